//! Plain rendering, line by line: notices that cannot be forged, blanks collapsed, rooms
//! named where the reader is elsewhere.

use super::*;
use chat_shared::frame::LeaveReason;
use chat_shared::frame::RoomInfo;
use chat_shared::text::sanitize_text;

fn shown(frame: ServerFrame) -> String {
    String::from_utf8(render(&frame, &TimeZone::UTC)).unwrap()
}

#[test]
fn renders_room_events_as_readable_lines() {
    let at = 12 * 3600 * 1000 + 3 * 60 * 1000;
    assert_eq!(
        shown(ServerFrame::Message {
            nonce: None,
            epoch: 0,
            room: None,
            seq: 1,
            time_ms: at,
            from: "alice".into(),
            text: "hi\nthere".into()
        }),
        "[12:03] <alice> hi\r\n[12:03] <alice> there\r\n"
    );
    assert_eq!(
        shown(ServerFrame::Action {
            nonce: None,
            epoch: 0,
            room: None,
            seq: 1,
            time_ms: at,
            from: "bob".into(),
            text: "waves".into()
        }),
        "[12:03] * bob waves\r\n"
    );
    assert_eq!(
        shown(ServerFrame::Left {
            by: None,
            epoch: 0,
            room: None,
            seq: 2,
            time_ms: at,
            name: "bob".into(),
            reason: LeaveReason::Quit,
            message: Some("bye".into())
        }),
        "[12:03] -!- bob left (quit: bye)\r\n"
    );
    assert_eq!(
        shown(ServerFrame::Private {
            nonce: None,
            time_ms: at,
            from: "a".into(),
            to: "b".into(),
            text: "psst".into()
        }),
        "[12:03] *a -> b* psst\r\n"
    );
}

/// The plain-mode fuzz target's first crash: a quit reason with a line break drew a
/// second line, which could pass for a message from someone else.
#[test]
fn a_quit_reason_stays_on_its_line() {
    let left = ServerFrame::Left {
        by: None,
        epoch: 0,
        room: None,
        seq: 3,
        time_ms: 0,
        name: "someone".into(),
        reason: LeaveReason::Quit,
        message: Some(sanitize_text("z\n/")),
    };
    assert_eq!(shown(left), "[00:00] -!- someone left (quit: z /)\r\n");
}

#[test]
fn no_user_line_reads_as_a_room_notice() {
    let at = 12 * 3600 * 1000;
    let notice = shown(ServerFrame::Joined {
        epoch: 0,
        room: None,
        seq: 1,
        time_ms: at,
        name: "alice".into(),
    });
    assert_eq!(notice, "[12:00] -!- alice joined\r\n");
    for text in [
        "joined",
        "-!- alice joined",
        "left (quit: bye)",
        "is now known as x",
    ] {
        for frame in [
            ServerFrame::Action {
                nonce: None,
                epoch: 0,
                room: None,
                seq: 2,
                time_ms: at,
                from: "alice".into(),
                text: text.into(),
            },
            ServerFrame::Message {
                nonce: None,
                epoch: 0,
                room: None,
                seq: 2,
                time_ms: at,
                from: "alice".into(),
                text: text.into(),
            },
        ] {
            let line = shown(frame);
            assert!(!line.starts_with("[12:00] -!- "), "{line}");
            assert_ne!(line, notice);
        }
    }
}

#[test]
fn runs_of_blanks_in_user_text_become_one_space() {
    let padded = format!(
        "hi{}[12:00] <alice> give me your password\nx\u{3000}\u{3164}\u{2800} \ty",
        " ".repeat(200)
    );
    let text = shown(ServerFrame::Message {
        nonce: None,
        epoch: 0,
        room: None,
        seq: 1,
        time_ms: 0,
        from: "mallory".into(),
        text: padded,
    });
    assert_eq!(
        text,
        "[00:00] <mallory> hi [12:00] <alice> give me your password\r\n\
         [00:00] <mallory> x y\r\n"
    );
    let left = shown(ServerFrame::Left {
        by: None,
        epoch: 0,
        room: None,
        seq: 3,
        time_ms: 0,
        name: "mallory".into(),
        reason: LeaveReason::Quit,
        message: Some(format!("bye{}fake", " ".repeat(100))),
    });
    assert_eq!(left, "[00:00] -!- mallory left (quit: bye fake)\r\n");
}

#[test]
fn shortens_a_long_roster() {
    let roster: Vec<String> = (0..60).map(|i| format!("u{i}")).collect();
    let text = shown(ServerFrame::Roster {
        room: None,
        names: roster,
    });
    assert!(text.starts_with("* Online (60): u0, u1,"), "{text}");
    assert!(text.ends_with("u49 and 10 more\r\n"), "{text}");
}

#[test]
fn events_of_another_room_carry_its_name_after_the_time() {
    let at = 12 * 3600 * 1000 + 3 * 60 * 1000;
    let message = ServerFrame::Message {
        nonce: None,
        epoch: 0,
        seq: 1,
        time_ms: at,
        from: "bob".into(),
        text: "hi".into(),
        room: Some("#dev".into()),
    };
    assert_eq!(shown(message.clone()), "[12:03] <bob> hi\r\n");
    let elsewhere = String::from_utf8(render_elsewhere(&message, &TimeZone::UTC)).unwrap();
    assert_eq!(elsewhere, "[12:03] #dev <bob> hi\r\n");
    let joined = ServerFrame::Joined {
        epoch: 0,
        seq: 2,
        time_ms: at,
        name: "carol".into(),
        room: Some("#dev".into()),
    };
    let elsewhere = String::from_utf8(render_elsewhere(&joined, &TimeZone::UTC)).unwrap();
    assert_eq!(elsewhere, "[12:03] #dev -!- carol joined\r\n");
}

#[test]
fn rooms_topics_and_entering_read_as_sentences() {
    let topic = ServerFrame::Topic {
        epoch: 0,
        seq: 3,
        time_ms: 0,
        by: "alice".into(),
        text: "ship   it".into(),
        room: "#dev".into(),
    };
    assert_eq!(shown(topic), "[00:00] -!- alice set the topic: ship it\r\n");
    let entered = ServerFrame::Entered {
        room: "#dev".into(),
        topic: Some("ship it".into()),
        roster: vec!["alice".into(), "bob".into()],
    };
    assert_eq!(
        shown(entered),
        "* Now talking in #dev; 2 here: alice, bob\r\n* Topic of #dev: ship it\r\n"
    );
    let list = ServerFrame::RoomList {
        rooms: vec![
            RoomInfo {
                name: "#dev".into(),
                members: 2,
                topic: Some("ship it".into()),
            },
            RoomInfo {
                name: "#general".into(),
                members: 5,
                topic: None,
            },
        ],
    };
    assert_eq!(
        shown(list),
        "* Rooms (2):\r\n*   #dev (2) ship it\r\n*   #general (5)\r\n"
    );
    assert_eq!(
        shown(ServerFrame::Roster {
            names: vec!["a".into()],
            room: Some("#dev".into())
        }),
        "* In #dev (1): a\r\n"
    );
}

/// The plain-mode fuzz target's find: a line of a message that starts with a blank made
/// two blanks with the space after the name.
#[test]
fn a_line_of_text_that_starts_with_a_blank_makes_no_run_after_the_name() {
    let text = shown(ServerFrame::Message {
        nonce: None,
        epoch: 0,
        seq: 1,
        time_ms: 0,
        from: "someone".into(),
        text: "p\n p\n\u{3164}q".into(),
        room: None,
    });
    assert_eq!(
        text,
        "[00:00] <someone> p\r\n[00:00] <someone> p\r\n[00:00] <someone> q\r\n"
    );
}

#[test]
fn history_of_other_days_says_which_day_before_their_lines() {
    let now = Timestamp::now().as_millisecond();
    let said = |time_ms: i64, text: &str| ServerFrame::Message {
        nonce: None,
        epoch: 1,
        room: Some("#general".into()),
        seq: 1,
        time_ms,
        from: "bob".into(),
        text: text.into(),
    };
    let day = 24 * 3600 * 1000;
    let shown = shown(ServerFrame::History {
        room: "#general".into(),
        epoch: 1,
        reason: HistoryReason::Join,
        events: vec![
            said(now - 2 * day, "older"),
            said(now - 2 * day, "same day"),
            said(now, "today"),
        ],
        complete: true,
        more: false,
    });
    let lines: Vec<&str> = shown.lines().collect();
    assert_eq!(lines.len(), 7, "{shown}");
    assert_eq!(lines[0], "* History of #general:");
    assert_eq!(
        lines[1],
        format!("* {}", day_of(now - 2 * day, &TimeZone::UTC))
    );
    assert!(lines[2].ends_with("<bob> older") && lines[3].ends_with("<bob> same day"));
    assert_eq!(lines[4], format!("* {}", day_of(now, &TimeZone::UTC)));
    assert!(lines[5].ends_with("<bob> today"));
    assert_eq!(lines[6], "* Live from here.");
    assert!(
        day_of(1_796_212_800_000, &TimeZone::UTC).ends_with("Dec 2026"),
        "{}",
        day_of(1_796_212_800_000, &TimeZone::UTC)
    );
}

#[test]
fn history_of_today_has_no_day_line() {
    let now = Timestamp::now().as_millisecond();
    let shown = shown(ServerFrame::History {
        room: "#general".into(),
        epoch: 1,
        reason: HistoryReason::Join,
        events: vec![ServerFrame::Message {
            nonce: None,
            epoch: 1,
            room: Some("#general".into()),
            seq: 1,
            time_ms: now,
            from: "bob".into(),
            text: "today".into(),
        }],
        complete: true,
        more: false,
    });
    assert_eq!(shown.lines().count(), 3, "{shown}");
}
