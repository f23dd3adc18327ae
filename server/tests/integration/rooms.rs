//! Rooms over real sockets, in both modes: joining, talking, topics, listing, leaving,
//! the limits, and notices that reach only the rooms concerned.

use chat_shared::frame::{ClientFrame, ErrorCode, LeaveReason, RoomInfo, ServerFrame};

use crate::support::{Plain, Structured, start_server};

fn join(client: &mut Structured, room: &str) -> ServerFrame {
    client.send(&ClientFrame::Join {
        after: None,
        room: room.into(),
    });
    client.expect(|f| matches!(f, ServerFrame::Entered { .. } | ServerFrame::Error { .. }))
}

fn say_in(client: &mut Structured, room: &str, text: &str) {
    client.send(&ClientFrame::Say {
        nonce: None,
        text: text.into(),
        room: Some(room.into()),
    });
}

fn error_code(frame: ServerFrame) -> ErrorCode {
    match frame {
        ServerFrame::Error { code, .. } => code,
        other => panic!("not an error: {other:?}"),
    }
}

#[test]
fn members_of_a_room_hear_it_and_nobody_else_does() {
    let server = start_server(|_| {});
    let addr = server.local_addr();
    let mut alice = Plain::join(addr, "alice");
    let (mut bob, welcome) = Structured::join(addr, "bob");
    assert_eq!(welcome, ["alice", "bob"]);
    let mut carol = Plain::join(addr, "carol");

    alice.say("/join #dev");
    assert_eq!(
        alice.expect("* Now talking in"),
        "* Now talking in #dev; 1 here: alice"
    );
    assert_eq!(
        join(&mut bob, "#DEV"),
        ServerFrame::Entered {
            room: "#dev".into(),
            topic: None,
            roster: vec!["alice".into(), "bob".into()],
        },
        "#DEV is #dev"
    );
    assert!(alice.expect("bob joined").ends_with("] -!- bob joined"));

    alice.say("hi dev");
    let heard = bob.expect(|f| matches!(f, ServerFrame::Message { .. }));
    let ServerFrame::Message {
        seq,
        from,
        text,
        room,
        ..
    } = heard
    else {
        unreachable!()
    };
    assert_eq!((from.as_str(), text.as_str()), ("alice", "hi dev"));
    assert_eq!(room.as_deref(), Some("#dev"));
    assert_eq!(seq, 3, "#dev counts its own events: two joins, then this");

    say_in(&mut bob, "#general", "hi all");
    assert!(
        alice.expect("hi all").ends_with("] #general <bob> hi all"),
        "a line from another room than alice's current one names it"
    );
    assert!(carol.expect("hi all").ends_with("] <bob> hi all"));
    carol.say("/who");
    assert_eq!(carol.expect("* In"), "* In #general (3): alice, bob, carol");
    carol.say("/who #dev");
    assert_eq!(carol.expect("* In"), "* In #dev (2): alice, bob");
    let carol_saw = carol.0.seen.join("\n");
    assert!(!carol_saw.contains("hi dev"), "{carol_saw}");
    assert!(!carol_saw.contains("bob joined"), "{carol_saw}");
}

#[test]
fn topics_the_room_list_and_parting() {
    let server = start_server(|_| {});
    let addr = server.local_addr();
    let mut alice = Plain::join(addr, "alice");
    let (mut bob, _) = Structured::join(addr, "bob");
    alice.say("/join #ops");
    alice.expect("* Now talking in #ops");
    join(&mut bob, "#ops");
    alice.say("/topic deploy   on friday");
    assert!(
        alice
            .expect("set the topic")
            .ends_with("] -!- alice set the topic: deploy on friday")
    );
    let topic = bob.expect(|f| matches!(f, ServerFrame::Topic { .. }));
    assert!(matches!(
        topic,
        ServerFrame::Topic { ref by, ref text, ref room, .. }
            if by == "alice" && text == "deploy   on friday" && room == "#ops"
    ));
    bob.send(&ClientFrame::Rooms);
    assert_eq!(
        bob.expect(|f| matches!(f, ServerFrame::RoomList { .. })),
        ServerFrame::RoomList {
            rooms: vec![
                RoomInfo {
                    name: "#general".into(),
                    members: 2,
                    topic: None
                },
                RoomInfo {
                    name: "#ops".into(),
                    members: 2,
                    topic: Some("deploy   on friday".into())
                },
            ]
        }
    );
    alice.say("/topic");
    assert_eq!(
        alice.expect("* Topic of"),
        "* Topic of #ops: deploy   on friday (set by alice)"
    );
    alice.say("/topic -delete");
    assert!(
        alice
            .expect("the topic")
            .ends_with("] -!- alice cleared the topic")
    );
    assert!(matches!(
        bob.expect(|f| matches!(f, ServerFrame::Topic { .. })),
        ServerFrame::Topic { ref text, .. } if text.is_empty()
    ));

    bob.send(&ClientFrame::Part {
        room: "#ops".into(),
        reason: Some("lunch".into()),
    });
    assert_eq!(
        bob.expect(|f| matches!(f, ServerFrame::Parted { .. })),
        ServerFrame::Parted {
            room: "#ops".into()
        }
    );
    assert!(
        alice
            .expect("bob left")
            .ends_with("] -!- bob left (parted: lunch)")
    );
    alice.say("/part");
    assert_eq!(alice.expect("* You left"), "* You left #ops.");
    assert_eq!(alice.expect("* Now talking"), "* Now talking in #general.");
    alice.say("/rooms");
    assert_eq!(alice.expect("* Rooms"), "* Rooms (1):");
    assert_eq!(alice.0.next_line().as_deref(), Some("*   #general (2)"));
}

#[test]
fn a_quit_is_announced_once_in_each_room_of_the_member() {
    let server = start_server(|_| {});
    let addr = server.local_addr();
    let (mut watcher, _) = Structured::join(addr, "watcher");
    let (mut dave, _) = Structured::join(addr, "dave");
    for room in ["#a", "#b"] {
        join(&mut watcher, room);
        join(&mut dave, room);
    }
    dave.send(&ClientFrame::Quit {
        reason: Some("bye".into()),
    });
    let mut rooms = Vec::new();
    while rooms.len() < 3 {
        if let ServerFrame::Left {
            name, reason, room, ..
        } = watcher.expect(|f| matches!(f, ServerFrame::Left { .. }))
        {
            assert_eq!((name.as_str(), reason), ("dave", LeaveReason::Quit));
            rooms.push(room.expect("a left names its room"));
        }
    }
    rooms.sort();
    assert_eq!(rooms, ["#a", "#b", "#general"]);
}

#[test]
fn rooms_refuse_what_breaks_their_rules_with_a_reason() {
    let server = start_server(|c| {
        c.max_rooms_per_user = 3;
        c.max_rooms = 4;
    });
    let addr = server.local_addr();
    let (mut bob, _) = Structured::join(addr, "bob");
    let (mut amy, _) = Structured::join(addr, "amy");
    assert_eq!(error_code(join(&mut bob, "dev")), ErrorCode::RoomInvalid);
    assert_eq!(error_code(join(&mut bob, "#a b")), ErrorCode::RoomInvalid);
    assert_eq!(
        error_code(join(&mut bob, "#d\u{435}v")),
        ErrorCode::RoomInvalid,
        "a Cyrillic е among Latin letters"
    );
    join(&mut bob, "#one");
    join(&mut bob, "#two");
    assert_eq!(
        error_code(join(&mut bob, "#three")),
        ErrorCode::TooManyRooms,
        "bob is in #general, #one and #two"
    );
    join(&mut amy, "#uno");
    assert_eq!(
        error_code(join(&mut amy, "#dos")),
        ErrorCode::TooManyRooms,
        "the server holds #general, #one, #two and #uno"
    );
    assert_eq!(
        error_code(join(&mut amy, "#0ne")),
        ErrorCode::RoomInvalid,
        "#0ne looks like #one"
    );

    say_in(&mut amy, "#one", "let me in");
    assert_eq!(
        error_code(amy.expect(|f| matches!(f, ServerFrame::Error { .. }))),
        ErrorCode::NotInRoom
    );
    amy.send(&ClientFrame::Who {
        room: Some("#nowhere".into()),
    });
    assert_eq!(
        error_code(amy.expect(|f| matches!(f, ServerFrame::Error { .. }))),
        ErrorCode::NoSuchRoom
    );
    amy.send(&ClientFrame::Topic {
        room: "#uno".into(),
        text: Some("x".repeat(301)),
    });
    assert_eq!(
        error_code(amy.expect(|f| matches!(f, ServerFrame::Error { .. }))),
        ErrorCode::TopicTooLong
    );
    let mut plain = Plain::join(addr, "plain");
    plain.say("/part");
    plain.expect("* You left #general.");
    plain.expect("* You are in no room now");
    plain.say("anyone?");
    assert_eq!(
        plain.expect_error(),
        "! You are in no room; /join #room first."
    );
}
