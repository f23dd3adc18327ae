//! Rooms without sockets: the current room of plain mode, rooms named in frames, what
//! reaches whom, and a batch of one read that goes to two rooms.

use chat_shared::frame::{ClientFrame, ErrorCode, ServerFrame};

use super::World;

#[test]
fn plain_join_switches_the_current_room_and_names_the_others() {
    let world = World::new(|_| {});
    let mut alice = world.plain("alice");
    let mut bob = world.plain("bob");
    alice.read();
    alice.send("/join #dev");
    assert_eq!(alice.read(), ["* Now talking in #dev; 1 here: alice"]);
    bob.read();
    bob.send("/join #dev");
    bob.read();
    assert_eq!(alice.read().len(), 1, "bob's join");

    bob.send("in dev");
    assert!(alice.read()[0].ends_with("] <bob> in dev"));
    bob.send("/join #general");
    assert_eq!(
        bob.read(),
        ["* Now talking in #general; 2 here: alice, bob"]
    );
    bob.send("in general");
    let alice_saw = alice.read();
    assert_eq!(alice_saw.len(), 1, "{alice_saw:?}");
    assert!(
        alice_saw[0].ends_with("] #general <bob> in general"),
        "{alice_saw:?}"
    );
}

#[test]
fn one_read_to_two_rooms_is_two_batches_in_the_order_sent() {
    let world = World::new(|_| {});
    let mut bot = world.structured("bot");
    let mut watcher = world.structured("watcher");
    for client in [&mut bot, &mut watcher] {
        client.send_frame(&ClientFrame::Join {
            after: None,
            room: "#a".into(),
        });
    }
    bot.frames();
    watcher.frames();
    let lines: Vec<_> = [("#a", "1"), ("#general", "2"), ("#a", "3")]
        .iter()
        .map(|(room, text)| {
            let frame = ClientFrame::Say {
                nonce: None,
                text: (*text).into(),
                room: Some((*room).into()),
            };
            Ok(String::from_utf8(chat_shared::frame::encode(&frame))
                .unwrap()
                .trim_end()
                .to_owned())
        })
        .collect();
    bot.send_read(&lines);
    let heard: Vec<(String, String)> = watcher
        .frames()
        .into_iter()
        .filter_map(|frame| match frame {
            ServerFrame::Message { text, room, .. } => Some((room.unwrap(), text)),
            _ => None,
        })
        .collect();
    assert_eq!(
        heard,
        [
            ("#a".to_owned(), "1".to_owned()),
            ("#general".to_owned(), "2".to_owned()),
            ("#a".to_owned(), "3".to_owned())
        ]
    );
    assert_eq!(bot.frames().len(), 3, "each message is echoed once");
}

#[test]
fn each_message_to_a_room_the_client_is_not_in_gets_its_own_error() {
    let world = World::new(|_| {});
    let mut bot = world.structured("bot");
    let line = |text: &str| {
        let frame = ClientFrame::Say {
            nonce: None,
            text: text.into(),
            room: Some("#elsewhere".into()),
        };
        Ok(String::from_utf8(chat_shared::frame::encode(&frame))
            .unwrap()
            .trim_end()
            .to_owned())
    };
    bot.send_read(&[line("one"), line("two")]);
    let answers = bot.frames();
    assert_eq!(answers.len(), 2, "{answers:?}");
    assert!(answers.iter().all(|frame| matches!(
        frame,
        ServerFrame::Error {
            code: ErrorCode::NotInRoom,
            ..
        }
    )));
}

#[test]
fn a_rename_is_told_once_in_each_room() {
    let world = World::new(|_| {});
    let mut alice = world.structured("alice");
    let mut bob = world.structured("bob");
    for client in [&mut alice, &mut bob] {
        client.send_frame(&ClientFrame::Join {
            after: None,
            room: "#a".into(),
        });
    }
    alice.frames();
    bob.frames();
    bob.send_frame(&ClientFrame::Nick {
        name: "robert".into(),
    });
    let mut rooms: Vec<String> = alice
        .frames()
        .into_iter()
        .filter_map(|frame| match frame {
            ServerFrame::Renamed { room, old, new, .. } => {
                assert_eq!((old.as_str(), new.as_str()), ("bob", "robert"));
                room
            }
            _ => None,
        })
        .collect();
    rooms.sort();
    assert_eq!(rooms, ["#a", "#general"]);
}

#[test]
fn a_big_room_tells_joins_and_leaves_in_summaries() {
    let world = World::new(|c| c.presence_summary_above = 2);
    let alice = world.structured("alice");
    let mut bob = world.plain("bob");
    assert_eq!(alice.frames().len(), 1, "bob's join, told at once");
    let mut carol = world.structured("carol");
    assert_eq!(alice.frames(), [], "#general is big with carol in it");
    let mut dave = world.plain("dave");
    dave.send("/quit");
    dave.finish(&super::End::Quit(None));
    world.shared.rooms.send_summaries();
    let summaries = alice.frames();
    assert!(
        matches!(
            summaries.as_slice(),
            [ServerFrame::Presence { joined, left, room, .. }]
                if joined == &["carol"] && left.is_empty() && room == "#general"
        ),
        "dave came and went between two summaries: {summaries:?}"
    );
    assert!(
        bob.read()
            .last()
            .unwrap()
            .ends_with("] -!- 1 joined: carol")
    );

    carol.send_frame(&ClientFrame::Quit { reason: None });
    carol.finish(&super::End::Quit(None));
    assert!(
        matches!(
            alice.frames().as_slice(),
            [ServerFrame::Left { name, .. }] if name == "carol"
        ),
        "with two members left the room is small again: told at once"
    );
    world.shared.rooms.send_summaries();
    assert_eq!(alice.frames(), [], "nothing new, no summary");
    bob.read();
    bob.send("/who");
    assert_eq!(bob.read(), ["* In #general (2): alice, bob"]);
}
