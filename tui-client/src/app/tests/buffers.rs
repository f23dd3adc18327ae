//! Buffers: one per room and per private conversation, and the server's; joining and
//! leaving rooms, switching with keys, what is unseen, where messages go, and what a
//! reconnect keeps.

use super::*;
use crate::app::buffer::{Kind, Membership};

fn alt(app: &mut App, code: KeyCode) -> Update {
    app.update(Event::Key(KeyEvent::new(code, KeyModifiers::ALT)))
}

fn enter(app: &mut App, line: &str) -> Update {
    type_text(app, line);
    press(app, KeyCode::Enter)
}

fn entered(app: &mut App, room: &str, topic: Option<&str>, roster: &[&str]) -> Update {
    frame(
        app,
        ServerFrame::Entered {
            room: room.into(),
            topic: topic.map(str::to_owned),
            roster: roster.iter().map(|name| name.to_string()).collect(),
        },
    )
}

fn message_in(room: &str, from: &str, text: &str) -> ServerFrame {
    ServerFrame::Message {
        nonce: None,
        epoch: 0,
        room: Some(room.into()),
        seq: next_seq(),
        time_ms: 1_795_500_000_000,
        from: from.into(),
        text: text.into(),
    }
}

fn private(from: &str, to: &str, text: &str) -> ServerFrame {
    ServerFrame::Private {
        nonce: None,
        time_ms: 1_795_500_000_000,
        from: from.into(),
        to: to.into(),
        text: text.into(),
    }
}

/// The names in the buffer list, in order.
fn names(app: &App) -> Vec<String> {
    app.buffers().iter().map(|b| b.name().to_owned()).collect()
}

fn shown(app: &App) -> String {
    app.buffers().current().name().to_owned()
}

fn buffer<'a>(app: &'a App, name: &str) -> &'a crate::app::buffer::Buffer {
    app.buffers()
        .iter()
        .find(|buffer| buffer.name() == name)
        .unwrap_or_else(|| panic!("no buffer {name}"))
}

fn join(room: &str) -> ClientFrame {
    ClientFrame::Join {
        after: None,
        room: room.into(),
    }
}

/// Logged in as alice, in #general and #dev (with bob), #dev shown.
fn in_dev() -> App {
    let mut app = logged_in();
    enter(&mut app, "/join #dev");
    entered(
        &mut app,
        "#dev",
        Some("release on friday"),
        &["alice", "bob"],
    );
    app
}

#[test]
fn login_opens_the_server_buffer_and_shows_the_default_room() {
    let app = logged_in();
    assert_eq!(names(&app), ["server", "#general"]);
    assert_eq!(shown(&app), "#general");
    assert_eq!(app.online(), ["alice", "bob", "carol"]);
}

#[test]
fn join_opens_the_rooms_buffer_shows_it_and_entered_fills_it() {
    let mut app = logged_in();
    let update = enter(&mut app, "/join #dev,#ops");
    assert_eq!(sent(&update), [join("#dev"), join("#ops")]);
    assert_eq!(names(&app), ["server", "#general", "#dev", "#ops"]);
    assert_eq!(shown(&app), "#ops");
    let ops = buffer(&app, "#ops").as_room().unwrap();
    assert_eq!(ops.membership, Membership::Joining);
    entered(
        &mut app,
        "#dev",
        Some("release on friday"),
        &["alice", "bob"],
    );
    entered(&mut app, "#Ops", None, &["alice"]);
    let dev = buffer(&app, "#dev").as_room().unwrap();
    assert_eq!(dev.membership, Membership::In);
    assert_eq!(dev.topic.as_deref(), Some("release on friday"));
    assert_eq!(dev.members.names(), ["alice", "bob"]);
    assert_eq!(
        buffer(&app, "#Ops").as_room().unwrap().membership,
        Membership::In,
        "the server's spelling of the name wins"
    );
    assert!(
        sent(&enter(&mut app, "/join #dev")).is_empty(),
        "a room the user is in is just shown"
    );
    assert_eq!(shown(&app), "#dev");
}

#[test]
fn an_invalid_room_name_is_refused_before_it_is_sent() {
    let mut app = logged_in();
    let update = enter(&mut app, "/join #a!b,#ok");
    assert_eq!(sent(&update), [join("#ok")]);
    assert_eq!(
        names(&app),
        ["server", "#general", "#ok"],
        "none for a bad name"
    );
}

#[test]
fn a_refused_join_marks_its_room_and_says_why_there() {
    let mut app = logged_in();
    enter(&mut app, "/join #dev,#ops");
    frame(
        &mut app,
        ServerFrame::Error {
            code: ErrorCode::TooManyRooms,
            message: "You are in 32 rooms".into(),
        },
    );
    entered(&mut app, "#ops", None, &["alice"]);
    let dev = buffer(&app, "#dev");
    assert_eq!(dev.as_room().unwrap().membership, Membership::Out);
    assert!(matches!(
        &dev.log().entries().back().unwrap().kind,
        EntryKind::Error(text) if text.contains("32 rooms")
    ));
    assert_eq!(
        buffer(&app, "#ops").as_room().unwrap().membership,
        Membership::In
    );
}

#[test]
fn messages_go_to_the_shown_rooms_buffer_and_carry_its_room() {
    let mut app = in_dev();
    let update = enter(&mut app, "shipping it");
    assert_eq!(
        sent(&update),
        [ClientFrame::Say {
            nonce: None,
            room: Some("#dev".into()),
            text: "shipping it".into()
        }]
    );
    frame(&mut app, message_in("#dev", "alice", "shipping it"));
    frame(&mut app, message_in("#general", "carol", "lunch?"));
    assert!(matches!(
        last_entry(&app),
        EntryKind::Message { own: true, .. }
    ));
    assert_eq!(app.outbox.in_flight(), 0, "the echo answered it");
    let general = buffer(&app, "#general");
    assert_eq!(general.unread(), 1);
    assert!(general.activity());
}

#[test]
fn keys_switch_buffers_and_what_was_unseen_is_seen() {
    let mut app = in_dev();
    frame(&mut app, message_in("#general", "bob", "alice: you there?"));
    let general = buffer(&app, "#general");
    assert_eq!((general.unread(), general.mention()), (1, true));
    alt(&mut app, KeyCode::Char('2'));
    assert_eq!(shown(&app), "#general");
    let general = buffer(&app, "#general");
    assert_eq!((general.unread(), general.mention()), (0, false));
    alt(&mut app, KeyCode::Right);
    assert_eq!(shown(&app), "#dev");
    alt(&mut app, KeyCode::Right);
    assert_eq!(shown(&app), "server", "around from the last to the first");
    ctrl(&mut app, 'p');
    assert_eq!(shown(&app), "#dev");
    ctrl(&mut app, 'n');
    assert_eq!(shown(&app), "server");
    alt(&mut app, KeyCode::Char('9'));
    assert_eq!(shown(&app), "server", "no ninth buffer");
}

#[test]
fn each_buffer_keeps_its_own_scroll_position() {
    let mut app = in_dev();
    for n in 0..60 {
        frame(&mut app, message_in("#dev", "bob", &format!("dev {n}")));
        frame(
            &mut app,
            message_in("#general", "bob", &format!("general {n}")),
        );
    }
    press(&mut app, KeyCode::PageUp);
    let dev_view = app.log().view();
    assert!(app.log().is_scrolled());
    alt(&mut app, KeyCode::Char('2'));
    assert!(!app.log().is_scrolled(), "#general follows its newest");
    alt(&mut app, KeyCode::Char('3'));
    assert_eq!(app.log().view(), dev_view);
}

#[test]
fn a_private_message_opens_its_own_buffer_without_switching_and_rings() {
    let mut app = logged_in();
    let update = frame(&mut app, private("bob", "alice", "psst"));
    assert!(update.effects.contains(&Effect::Bell));
    assert_eq!(names(&app), ["server", "#general", "bob"]);
    assert_eq!(shown(&app), "#general");
    let bob = buffer(&app, "bob");
    assert_eq!((bob.unread(), bob.mention()), (1, true));
    frame(&mut app, private("BOB", "alice", "again"));
    assert_eq!(buffer(&app, "bob").unread(), 2, "the same conversation");
}

#[test]
fn msg_opens_the_conversation_shows_it_and_typing_there_is_private() {
    let mut app = logged_in();
    let update = enter(&mut app, "/msg bob hi there");
    assert_eq!(
        sent(&update),
        [ClientFrame::Msg {
            nonce: None,
            to: "bob".into(),
            text: "hi there".into()
        }]
    );
    assert_eq!(shown(&app), "bob");
    frame(&mut app, private("alice", "bob", "hi there"));
    assert!(matches!(
        last_entry(&app),
        EntryKind::Private { outgoing: true, .. }
    ));
    let update = enter(&mut app, "and more");
    assert_eq!(
        sent(&update),
        [ClientFrame::Msg {
            nonce: None,
            to: "bob".into(),
            text: "and more".into()
        }]
    );
    let update = enter(&mut app, "/me waves");
    assert!(sent(&update).is_empty(), "no actions in a conversation");
    assert_eq!(app.input_text(), "/me waves", "given back to edit");
}

#[test]
fn query_opens_a_conversation_and_refuses_impossible_names() {
    let mut app = logged_in();
    assert!(sent(&enter(&mut app, "/query carol")).is_empty());
    assert_eq!(shown(&app), "carol");
    enter(&mut app, "/query no one");
    assert!(matches!(last_entry(&app), EntryKind::Error(_)));
    assert_eq!(names(&app), ["server", "#general", "carol"]);
}

#[test]
fn the_server_buffer_takes_notices_and_refuses_messages() {
    let mut app = logged_in();
    frame(
        &mut app,
        ServerFrame::Notice {
            text: "slow down".into(),
        },
    );
    assert!(buffer(&app, "server").activity());
    alt(&mut app, KeyCode::Char('1'));
    assert!(matches!(last_entry(&app), EntryKind::Notice(text) if text == "slow down"));
    assert!(sent(&enter(&mut app, "hello?")).is_empty());
    assert!(matches!(last_entry(&app), EntryKind::Error(_)));
    assert!(matches!(sent(&enter(&mut app, "/close")).as_slice(), []));
    assert_eq!(names(&app)[0], "server", "it stays");
}

#[test]
fn part_leaves_the_room_keeps_the_buffer_and_refuses_messages_there() {
    let mut app = in_dev();
    let update = enter(&mut app, "/part see you");
    assert_eq!(
        sent(&update),
        [ClientFrame::Part {
            room: "#dev".into(),
            reason: Some("see you".into())
        }]
    );
    frame(
        &mut app,
        ServerFrame::Parted {
            room: "#dev".into(),
        },
    );
    assert_eq!(shown(&app), "#dev");
    assert_eq!(
        buffer(&app, "#dev").as_room().unwrap().membership,
        Membership::Out
    );
    assert!(sent(&enter(&mut app, "anyone?")).is_empty());
    assert_eq!(app.input_text(), "anyone?");
    assert!(matches!(last_entry(&app), EntryKind::Error(text) if text.contains("/join #dev")));
    app.input.set("");
    assert!(
        sent(&enter(&mut app, "/topic new")).is_empty(),
        "not a member"
    );
    assert_eq!(sent(&enter(&mut app, "/join #dev")), [join("#dev")]);
}

#[test]
fn close_leaves_the_room_and_news_still_arriving_from_it_is_dropped() {
    let mut app = in_dev();
    let update = enter(&mut app, "/close");
    assert_eq!(
        sent(&update),
        [ClientFrame::Part {
            room: "#dev".into(),
            reason: None
        }]
    );
    assert_eq!(names(&app), ["server", "#general"]);
    assert_eq!(shown(&app), "#general");
    frame(&mut app, message_in("#dev", "bob", "bye"));
    frame(
        &mut app,
        ServerFrame::Parted {
            room: "#dev".into(),
        },
    );
    assert_eq!(names(&app), ["server", "#general"]);
}

#[test]
fn a_buffer_closed_while_its_join_is_answered_is_not_reopened() {
    let mut app = logged_in();
    enter(&mut app, "/join #dev");
    let update = enter(&mut app, "/close");
    assert_eq!(
        sent(&update),
        [ClientFrame::Part {
            room: "#dev".into(),
            reason: None
        }]
    );
    entered(&mut app, "#dev", None, &["alice"]);
    assert_eq!(names(&app), ["server", "#general"]);
}

#[test]
fn leaving_a_room_takes_back_what_was_not_sent_to_it() {
    let clock = ManualClock::new();
    let mut app = logged_in_on(&clock);
    enter(&mut app, "/join #dev");
    entered(&mut app, "#dev", None, &["alice"]);
    disconnected(&mut app);
    enter(&mut app, "typed while away");
    assert_eq!(app.outbox.queued().len(), 1);
    enter(&mut app, "/part");
    assert_eq!(app.outbox.queued().len(), 0);
    assert!(matches!(last_entry(&app), EntryKind::Info(text) if text.starts_with("You left")));
    assert!(app.entries().any(|entry| matches!(
        &entry.kind,
        EntryKind::Error(text) if text.contains("1 message to #dev not sent")
    )));
}

#[test]
fn topic_is_answered_from_what_the_client_heard_and_set_through_the_server() {
    let mut app = in_dev();
    assert!(sent(&enter(&mut app, "/topic")).is_empty());
    assert!(
        matches!(last_entry(&app), EntryKind::Info(text) if text.contains("release on friday"))
    );
    assert_eq!(
        sent(&enter(&mut app, "/topic release on monday")),
        [ClientFrame::Topic {
            room: "#dev".into(),
            text: Some("release on monday".into())
        }]
    );
    frame(
        &mut app,
        ServerFrame::Topic {
            epoch: 0,
            room: "#dev".into(),
            seq: 3,
            time_ms: 0,
            by: "alice".into(),
            text: "release on monday".into(),
        },
    );
    let dev = buffer(&app, "#dev").as_room().unwrap();
    assert_eq!(dev.topic.as_deref(), Some("release on monday"));
    alt(&mut app, KeyCode::Char('1'));
    enter(&mut app, "/topic");
    assert!(
        matches!(last_entry(&app), EntryKind::Error(_)),
        "not a room"
    );
}

#[test]
fn who_and_rooms_are_asked_of_the_server_and_listed_where_asked() {
    let mut app = in_dev();
    assert_eq!(
        sent(&enter(&mut app, "/who")),
        [ClientFrame::Who {
            room: Some("#dev".into())
        }]
    );
    frame(
        &mut app,
        ServerFrame::Roster {
            room: Some("#dev".into()),
            names: vec!["alice".into(), "bob".into(), "carol".into()],
        },
    );
    assert_eq!(app.online(), ["alice", "bob", "carol"]);
    assert_eq!(sent(&enter(&mut app, "/rooms")), [ClientFrame::Rooms]);
    frame(
        &mut app,
        ServerFrame::RoomList {
            rooms: vec![chat_shared::frame::RoomInfo {
                name: "#qa".into(),
                members: 2,
                topic: Some("tests".into()),
            }],
        },
    );
    assert!(matches!(last_entry(&app), EntryKind::Info(text) if text.contains("#qa (2) tests")));
    type_text(&mut app, "/join #q");
    press(&mut app, KeyCode::Tab);
    assert_eq!(app.input_text(), "/join #qa ", "listed rooms complete");
}

#[test]
fn tab_completes_the_users_rooms_and_the_shown_rooms_members_first() {
    let mut app = in_dev();
    type_text(&mut app, "see #g");
    press(&mut app, KeyCode::Tab);
    assert_eq!(app.input_text(), "see #general ");
    app.input.set("");
    type_text(&mut app, "c");
    press(&mut app, KeyCode::Tab);
    assert_eq!(app.input_text(), "carol: ", "from #general, after #dev's");
}

#[test]
fn a_reconnect_joins_the_rooms_again_and_keeps_every_buffer() {
    let mut app = in_dev();
    frame(&mut app, private("bob", "alice", "psst"));
    disconnected(&mut app);
    enter(&mut app, "typed in #dev while away");
    connected(&mut app);
    let update = welcome(&mut app, "alice", &["alice", "bob"]);
    assert_eq!(
        sent(&update),
        [
            join("#dev"),
            ClientFrame::Say {
                nonce: None,
                room: Some("#dev".into()),
                text: "typed in #dev while away".into()
            }
        ],
        "the join goes first, so the message finds its room"
    );
    assert_eq!(names(&app), ["server", "#general", "#dev", "bob"]);
    assert_eq!(shown(&app), "#dev");
    assert_eq!(
        buffer(&app, "#dev").as_room().unwrap().membership,
        Membership::Joining
    );
    entered(&mut app, "#dev", None, &["alice", "bob"]);
    assert_eq!(
        buffer(&app, "#dev").as_room().unwrap().membership,
        Membership::In
    );
}

#[test]
fn a_message_refused_as_not_in_the_room_is_answered() {
    let mut app = in_dev();
    enter(&mut app, "hello");
    assert_eq!(app.outbox.in_flight(), 1);
    frame(
        &mut app,
        ServerFrame::Error {
            code: ErrorCode::NotInRoom,
            message: "You are not in #dev".into(),
        },
    );
    assert_eq!(app.outbox.in_flight(), 0);
}

#[test]
fn a_rename_follows_into_rooms_and_conversations() {
    let mut app = in_dev();
    frame(&mut app, private("bob", "alice", "psst"));
    for room in ["#general", "#dev"] {
        frame(
            &mut app,
            ServerFrame::Renamed {
                epoch: 0,
                room: Some(room.into()),
                seq: 5,
                time_ms: 0,
                old: "bob".into(),
                new: "robert".into(),
            },
        );
    }
    assert_eq!(names(&app), ["server", "#general", "#dev", "robert"]);
    let dev = buffer(&app, "#dev").as_room().unwrap();
    assert_eq!(dev.members.names(), ["alice", "robert"]);
    let conversation = buffer(&app, "robert");
    assert!(matches!(conversation.kind(), Kind::Private { with } if with == "robert"));
    let renames = conversation
        .log()
        .entries()
        .iter()
        .filter(|entry| matches!(entry.kind, EntryKind::Renamed { .. }))
        .count();
    assert_eq!(renames, 1, "told once, not once per room");
}

#[test]
fn a_room_event_without_a_room_goes_to_the_default_room() {
    let mut app = in_dev();
    frame(&mut app, message("bob", "from an older server"));
    assert_eq!(buffer(&app, "#general").unread(), 1);
}

#[test]
fn a_big_rooms_summary_of_joins_and_leaves_updates_its_members() {
    let mut app = in_dev();
    alt(&mut app, KeyCode::Char('2'));
    frame(
        &mut app,
        ServerFrame::Presence {
            epoch: 0,
            room: "#dev".into(),
            seq: 4,
            time_ms: 0,
            joined: vec!["carol".into(), "dave".into(), "bob".into()],
            left: vec!["bob".into(), "nobody".into()],
        },
    );
    let dev = buffer(&app, "#dev");
    assert_eq!(
        dev.as_room().unwrap().members.names(),
        ["alice", "carol", "dave"]
    );
    assert!(dev.activity());
    assert_eq!(
        dev.log().entries().back().unwrap().kind,
        EntryKind::Presence { joined: 3, left: 2 }
    );
}
