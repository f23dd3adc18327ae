//! A room's past: nonces and event ids keep every message shown once, a reconnect
//! resumes where the client was, entering a room replays its recent messages, scrolling
//! to the top loads older pages, `/search` finds and shows messages, and a hostile
//! `history` frame changes nothing it should not.

use chat_shared::frame::{HistoryReason, SearchMatch};

use super::*;
use crate::app::buffer::Top;
use crate::app::scrollback::{Entry, Mark};

/// A message in `#general` with the given number.
fn numbered(seq: u64, from: &str, text: &str) -> ServerFrame {
    numbered_in("#general", seq, from, text, None)
}

/// A message in `room` with the given number and nonce.
fn numbered_in(room: &str, seq: u64, from: &str, text: &str, nonce: Option<&str>) -> ServerFrame {
    ServerFrame::Message {
        nonce: nonce.map(str::to_owned),
        epoch: 7,
        room: Some(room.into()),
        seq,
        time_ms: 1_795_500_000_000 + seq as i64 * 60_000,
        from: from.into(),
        text: text.into(),
    }
}

/// The `history` frame of `#general`.
fn history(
    reason: HistoryReason,
    events: Vec<ServerFrame>,
    complete: bool,
    more: bool,
) -> ServerFrame {
    history_of("#general", reason, events, complete, more)
}

/// The `history` frame of `room`.
fn history_of(
    room: &str,
    reason: HistoryReason,
    events: Vec<ServerFrame>,
    complete: bool,
    more: bool,
) -> ServerFrame {
    ServerFrame::History {
        room: room.into(),
        epoch: 7,
        reason,
        events,
        complete,
        more,
    }
}

/// The shown buffer's entries, without the client's own notices.
fn kept(app: &App) -> Vec<&Entry> {
    app.entries()
        .filter(|entry| !matches!(entry.kind, EntryKind::Info(_) | EntryKind::Error(_)))
        .collect()
}

/// The texts of the shown buffer's messages, oldest first.
fn texts(app: &App) -> Vec<String> {
    app.entries()
        .filter_map(|entry| match &entry.kind {
            EntryKind::Message { text, .. } => Some(text.clone()),
            _ => None,
        })
        .collect()
}

/// The nonce of a message frame.
fn nonce_of(frame: &ClientFrame) -> String {
    match frame {
        ClientFrame::Say { nonce, .. }
        | ClientFrame::Me { nonce, .. }
        | ClientFrame::Msg { nonce, .. } => nonce.clone().expect("a nonce"),
        other => panic!("not a message: {other:?}"),
    }
}

/// Alice's echo of `text`, with `nonce`.
fn echo(seq: u64, text: &str, nonce: &str) -> ServerFrame {
    numbered_in("#general", seq, "alice", text, Some(nonce))
}

#[test]
fn every_message_gets_a_nonce_its_echo_confirms_it_and_a_resend_keeps_it() {
    let mut app = logged_in();
    type_text(&mut app, "one");
    let first = sent_with_nonces(&press(&mut app, KeyCode::Enter));
    type_text(&mut app, "two");
    let second = sent_with_nonces(&press(&mut app, KeyCode::Enter));
    let (one, two) = (nonce_of(&first[0]), nonce_of(&second[0]));
    assert_ne!(one, two);
    frame(&mut app, echo(1, "two", &two));
    assert_eq!(
        app.outbox.in_flight(),
        1,
        "the echo confirms its own message"
    );
    disconnected(&mut app);
    connected(&mut app);
    let update = welcome(&mut app, "alice", &["alice"]);
    let again = sent_with_nonces(&update);
    assert_eq!(again.len(), 1, "only the unconfirmed one again: {again:?}");
    assert_eq!(nonce_of(&again[0]), one, "with the nonce it had");
}

#[test]
fn the_original_of_a_message_sent_again_is_not_shown_twice() {
    let mut app = logged_in();
    type_text(&mut app, "hello");
    let nonce = nonce_of(&sent_with_nonces(&press(&mut app, KeyCode::Enter))[0]);
    frame(&mut app, echo(3, "hello", &nonce));
    frame(&mut app, echo(3, "hello", &nonce));
    frame(&mut app, numbered(3, "alice", "hello"));
    assert_eq!(texts(&app), ["hello"]);
}

#[test]
fn a_reconnect_resumes_each_room_from_the_last_event_seen_and_shows_a_gap() {
    let mut app = logged_in();
    type_text(&mut app, "/join #dev");
    press(&mut app, KeyCode::Enter);
    frame(
        &mut app,
        ServerFrame::Entered {
            room: "#dev".into(),
            topic: None,
            roster: vec!["alice".into()],
        },
    );
    frame(&mut app, numbered_in("#dev", 40, "bob", "in dev", None));
    frame(&mut app, numbered(10, "bob", "seen"));
    disconnected(&mut app);
    let login = sent(&connected(&mut app));
    assert_eq!(
        login,
        [ClientFrame::Login {
            password: None,
            name: "alice".into(),
            after: Some(EventId { epoch: 7, seq: 10 })
        }]
    );
    let rejoin = sent(&welcome(&mut app, "alice", &["alice", "bob"]));
    assert_eq!(
        rejoin,
        [ClientFrame::Join {
            room: "#dev".into(),
            after: Some(EventId { epoch: 7, seq: 40 })
        }]
    );
    app.update(Event::Key(KeyEvent::new(
        KeyCode::Char('2'),
        KeyModifiers::ALT,
    )));
    let missed = vec![
        numbered(10, "bob", "seen"),
        numbered(11, "bob", "missed"),
        numbered(12, "carol", "missed too"),
    ];
    frame(
        &mut app,
        history(HistoryReason::Resume, missed, false, true),
    );
    assert_eq!(texts(&app), ["seen", "missed", "missed too"], "each once");
    assert_eq!(
        last_entry(&app),
        EntryKind::Mark(Mark::Gap),
        "more was missed than the server gave back"
    );
    assert!(
        app.entries().all(|entry| !entry.replayed),
        "missed events are news, not replayed history"
    );
    frame(&mut app, numbered(12, "carol", "missed too"));
    assert_eq!(
        texts(&app).len(),
        3,
        "a live event already shown is left out"
    );
}

#[test]
fn a_message_posted_before_the_break_and_found_in_the_resumed_history_is_not_sent_again() {
    let mut app = logged_in();
    type_text(&mut app, "did it go?");
    let nonce = nonce_of(&sent_with_nonces(&press(&mut app, KeyCode::Enter))[0]);
    disconnected(&mut app);
    connected(&mut app);
    type_text(&mut app, "typed while away");
    press(&mut app, KeyCode::Enter);
    frame(
        &mut app,
        ServerFrame::Welcome {
            room: Some("#general".into()),
            name: "alice".into(),
            roster: vec!["alice".into()],
        },
    );
    let resumed = history(
        HistoryReason::Resume,
        vec![echo(5, "did it go?", &nonce)],
        true,
        true,
    );
    frame(&mut app, resumed);
    assert_eq!(texts(&app), ["did it go?"]);
    assert_eq!(
        app.outbox.waiting() + app.outbox.in_flight(),
        1,
        "only the new line is left"
    );
}

#[test]
fn entering_a_room_replays_its_recent_messages_marked_and_leaves_the_roster_alone() {
    let mut app = logged_in();
    let recent = vec![
        numbered(1, "bob", "earlier"),
        ServerFrame::Left {
            by: None,
            epoch: 7,
            seq: 2,
            time_ms: 0,
            name: "carol".into(),
            reason: LeaveReason::Quit,
            message: None,
            room: Some("#general".into()),
        },
        numbered(3, "bob", "just now"),
    ];
    frame(&mut app, history(HistoryReason::Join, recent, true, false));
    frame(&mut app, numbered(4, "carol", "live"));
    let kinds: Vec<String> = kept(&app)
        .iter()
        .map(|entry| match &entry.kind {
            EntryKind::Mark(mark) => format!("{mark:?}"),
            EntryKind::Message { text, .. } => format!("{text} replayed={}", entry.replayed),
            other => format!("{other:?}"),
        })
        .collect();
    assert_eq!(
        kinds,
        [
            "History",
            "earlier replayed=true",
            "Left { name: \"carol\", reason: Quit, message: None, by: None }",
            "just now replayed=true",
            "Live",
            "live replayed=false",
        ]
    );
    assert_eq!(
        app.online(),
        ["alice", "bob", "carol"],
        "the past changes no roster"
    );
    let room = app.buffers().current().as_room().unwrap();
    assert_eq!(room.top, Top::Start, "nothing older");
    assert_eq!(room.last_seen, Some(EventId { epoch: 7, seq: 4 }));
}

/// An app in `#general` with messages 1..=`count` of the room, numbered from `first`.
fn with_messages(first: u64, count: u64) -> App {
    let mut app = logged_in();
    for seq in first..first + count {
        frame(&mut app, numbered(seq, "bob", &format!("message {seq}")));
    }
    app
}

#[test]
fn scrolling_to_the_top_loads_the_page_before_without_moving_the_view() {
    let mut app = with_messages(200, 40);
    press(&mut app, KeyCode::PageUp);
    assert_eq!(app.buffers().current().as_room().unwrap().top, Top::More);
    let update = app.update(Event::Key(KeyEvent::new(
        KeyCode::Home,
        KeyModifiers::CONTROL,
    )));
    assert_eq!(
        sent(&update),
        [ClientFrame::History {
            room: "#general".into(),
            after: None,
            before: Some(EventId { epoch: 7, seq: 200 }),
            limit: Some(crate::app::backlog::PAGE_EVENTS),
        }]
    );
    assert_eq!(app.buffers().current().as_room().unwrap().top, Top::Loading);
    let update = press(&mut app, KeyCode::PageUp);
    assert_eq!(sent(&update), [], "one page at a time");
    let bottom = match app.log().view() {
        View::Scrolled(at) => app.entries().nth(at.block).cloned(),
        View::Following => None,
    };
    let page = (150..200)
        .map(|seq| numbered(seq, "bob", &format!("message {seq}")))
        .collect();
    frame(&mut app, history(HistoryReason::Older, page, false, false));
    let now = match app.log().view() {
        View::Scrolled(at) => app.entries().nth(at.block).cloned(),
        View::Following => None,
    };
    assert_eq!(now, bottom, "the same entry on the bottom row");
    assert_eq!(texts(&app).first().map(String::as_str), Some("message 150"));
    assert!(
        app.entries().next().unwrap().replayed,
        "older pages are history"
    );
    assert_eq!(app.buffers().current().as_room().unwrap().top, Top::Start);
    press(&mut app, KeyCode::End);
    type_text(&mut app, "/clear");
    press(&mut app, KeyCode::Enter);
    app.buffers.current_mut().as_room_mut().unwrap().top = Top::More;
    let update = app.update(Event::Key(KeyEvent::new(
        KeyCode::Home,
        KeyModifiers::CONTROL,
    )));
    assert!(
        matches!(&sent(&update)[..], [ClientFrame::History { before: Some(id), .. }] if id.seq == 240),
        "after /clear, the page up to the last event seen: {:?}",
        sent(&update)
    );
    frame(
        &mut app,
        history(
            HistoryReason::Older,
            vec![numbered(239, "bob", "kept")],
            false,
            true,
        ),
    );
    assert_eq!(texts(&app), ["kept"]);
    app.update(Event::Key(KeyEvent::new(
        KeyCode::Home,
        KeyModifiers::CONTROL,
    )));
    let mixed = vec![numbered(238, "bob", "older"), numbered(245, "bob", "newer")];
    frame(&mut app, history(HistoryReason::Older, mixed, false, false));
    assert_eq!(
        texts(&app),
        ["older", "kept"],
        "only what is older goes on top"
    );
    let unasked = (100..150)
        .map(|seq| numbered(seq, "bob", "unasked"))
        .collect();
    frame(
        &mut app,
        history(HistoryReason::Older, unasked, false, true),
    );
    assert_eq!(texts(&app).len(), 2, "a page nobody asked for is dropped");
}

#[test]
fn an_older_page_fills_the_buffer_up_to_its_cap_and_keeps_the_newest() {
    let mut app = with_messages(500, 95);
    app.update(Event::Key(KeyEvent::new(
        KeyCode::Home,
        KeyModifiers::CONTROL,
    )));
    let page = (400..500)
        .map(|seq| numbered(seq, "bob", &format!("message {seq}")))
        .collect();
    frame(&mut app, history(HistoryReason::Older, page, false, true));
    assert_eq!(app.entries().count(), 100, "the cap");
    let texts = texts(&app);
    assert_eq!(
        texts.last().map(String::as_str),
        Some("message 594"),
        "the live end kept"
    );
    assert!(
        texts.contains(&"message 499".to_owned()),
        "the newest of the page first"
    );
    assert!(!texts.contains(&"message 400".to_owned()));
    let update = app.update(Event::Key(KeyEvent::new(
        KeyCode::Home,
        KeyModifiers::CONTROL,
    )));
    assert_eq!(sent(&update), [], "a full buffer loads no more");
}

#[test]
fn a_hostile_history_frame_adds_only_what_belongs() {
    let mut app = logged_in();
    frame(&mut app, numbered(5, "bob", "shown"));
    let events = vec![
        numbered(5, "bob", "shown again"),
        numbered_in("#elsewhere", 6, "mallory", "from another room", None),
        ServerFrame::Welcome {
            name: "mallory".into(),
            roster: vec![],
            room: None,
        },
        ServerFrame::Private {
            time_ms: 0,
            from: "mallory".into(),
            to: "alice".into(),
            text: "private, inside history".into(),
            nonce: None,
        },
        history(
            HistoryReason::Join,
            vec![numbered(8, "mallory", "nested")],
            true,
            true,
        ),
        numbered(9, "bob", "\x1b[31mnew"),
        numbered(9, "bob", "the same id again"),
    ];
    frame(&mut app, history(HistoryReason::Resume, events, true, true));
    assert_eq!(
        texts(&app),
        ["shown", "new"],
        "sanitized, each id once, this room's only"
    );
    assert!(app.buffers().find_private("mallory").is_none());
    assert_eq!(app.me(), Some("alice"));
    let flood = (10..10_000)
        .map(|seq| numbered(seq, "bob", &seq.to_string()))
        .collect();
    frame(&mut app, history(HistoryReason::Resume, flood, true, true));
    assert_eq!(app.entries().count(), 100, "no more than the buffer keeps");
    assert_eq!(
        texts(&app).first().map(String::as_str),
        Some("9900"),
        "the newest"
    );
    let other = history_of(
        "#nowhere",
        HistoryReason::Join,
        vec![numbered(1, "x", "y")],
        true,
        true,
    );
    assert!(!frame(&mut app, other).redraw, "a room without a buffer");
}

#[test]
fn search_everywhere_or_here_lists_matches_and_enter_shows_one_in_its_buffer() {
    let mut app = with_messages(1, 5);
    type_text(&mut app, "/search deploy friday");
    let update = press(&mut app, KeyCode::Enter);
    assert_eq!(
        sent(&update),
        [ClientFrame::Search {
            words: "deploy friday".into(),
            room: None
        }]
    );
    press(&mut app, KeyCode::Esc);
    assert!(app.search_view().is_none());
    type_text(&mut app, "/search -here message");
    let update = press(&mut app, KeyCode::Enter);
    assert_eq!(
        sent(&update),
        [ClientFrame::Search {
            words: "message".into(),
            room: Some("#general".into())
        }]
    );
    let found = |seq: u64| SearchMatch {
        room: Some("#general".into()),
        with: None,
        id: EventId { epoch: 7, seq },
        time_ms: 0,
        from: "bob".into(),
        text: format!("message {seq}"),
    };
    frame(
        &mut app,
        ServerFrame::SearchResults {
            words: "message".into(),
            matches: vec![found(5), found(2)],
        },
    );
    assert_eq!(
        app.search_view().unwrap().results.as_ref().unwrap().len(),
        2
    );
    press(&mut app, KeyCode::Down);
    press(&mut app, KeyCode::Down);
    assert_eq!(app.search_view().unwrap().selected, 1, "stops at the last");
    press(&mut app, KeyCode::Enter);
    assert!(app.search_view().is_none());
    assert_eq!(app.log().found(), Some(EventId { epoch: 7, seq: 2 }));
}

#[test]
fn a_search_result_older_than_the_buffer_loads_pages_until_it_shows() {
    let mut app = with_messages(300, 10);
    type_text(&mut app, "/search old");
    press(&mut app, KeyCode::Enter);
    let matches = vec![SearchMatch {
        room: Some("#general".into()),
        with: None,
        id: EventId { epoch: 7, seq: 120 },
        time_ms: 0,
        from: "bob".into(),
        text: "old".into(),
    }];
    frame(
        &mut app,
        ServerFrame::SearchResults {
            words: "old".into(),
            matches,
        },
    );
    let update = press(&mut app, KeyCode::Enter);
    let before = |seq| {
        vec![ClientFrame::History {
            room: "#general".into(),
            after: None,
            before: Some(EventId { epoch: 7, seq }),
            limit: Some(crate::app::backlog::PAGE_EVENTS),
        }]
    };
    assert_eq!(sent(&update), before(300));
    let page = |from: u64| {
        (from..from + 20)
            .map(|seq| numbered(seq, "bob", "old"))
            .collect()
    };
    let update = frame(
        &mut app,
        history(HistoryReason::Older, page(280), false, true),
    );
    assert_eq!(sent(&update), before(280), "not there yet: the page before");
    frame(
        &mut app,
        history(HistoryReason::Older, page(110), false, true),
    );
    assert!(app.log().is_scrolled(), "scrolled to it");
    assert_eq!(app.log().found(), Some(EventId { epoch: 7, seq: 120 }));
}

#[test]
fn history_unavailable_is_said_in_the_server_buffer_and_stops_loading() {
    let mut app = with_messages(200, 40);
    app.update(Event::Key(KeyEvent::new(
        KeyCode::Home,
        KeyModifiers::CONTROL,
    )));
    assert_eq!(app.buffers().current().as_room().unwrap().top, Top::Loading);
    frame(
        &mut app,
        ServerFrame::Error {
            code: ErrorCode::HistoryUnavailable,
            message: "History cannot be read right now; live chat goes on.".into(),
        },
    );
    assert_eq!(app.buffers().current().as_room().unwrap().top, Top::More);
    let server = app.buffers().get(0).unwrap();
    assert!(matches!(
        &server.log().entries().back().unwrap().kind,
        EntryKind::Error(text) if text.contains("History cannot be read")
    ));
    frame(&mut app, numbered(300, "bob", "live chat goes on"));
    assert_eq!(
        texts(&app).last().map(String::as_str),
        Some("live chat goes on")
    );
}

#[test]
fn a_broken_connection_stops_the_loading_and_closes_a_search_waiting_for_results() {
    let mut app = with_messages(200, 40);
    app.update(Event::Key(KeyEvent::new(
        KeyCode::Home,
        KeyModifiers::CONTROL,
    )));
    type_text(&mut app, "/search lost");
    press(&mut app, KeyCode::Enter);
    assert!(app.search_view().is_some());
    disconnected(&mut app);
    assert_eq!(app.buffers().current().as_room().unwrap().top, Top::More);
    assert!(app.search_view().is_none(), "its results will not come");
    connected(&mut app);
    welcome(&mut app, "alice", &["alice"]);
    let update = app.update(Event::Key(KeyEvent::new(
        KeyCode::Home,
        KeyModifiers::CONTROL,
    )));
    assert!(
        matches!(&sent(&update)[..], [ClientFrame::History { .. }]),
        "asked again on the new connection"
    );
}

#[test]
fn a_private_search_result_shows_its_conversation_scrolled_to_it() {
    let mut app = logged_in();
    for n in 0..40 {
        frame(
            &mut app,
            ServerFrame::Private {
                time_ms: 1_795_500_000_000 + n * 1000,
                from: "bob".into(),
                to: "alice".into(),
                text: format!("note {n}"),
                nonce: None,
            },
        );
    }
    type_text(&mut app, "/search note");
    press(&mut app, KeyCode::Enter);
    let matches = vec![SearchMatch {
        room: None,
        with: Some("bob".into()),
        id: EventId { epoch: 0, seq: 0 },
        time_ms: 1_795_500_000_000 + 3000,
        from: "bob".into(),
        text: "note 3".into(),
    }];
    frame(
        &mut app,
        ServerFrame::SearchResults {
            words: "note".into(),
            matches,
        },
    );
    press(&mut app, KeyCode::Enter);
    assert_eq!(app.buffers().current().name(), "bob");
    assert!(app.log().is_scrolled(), "scrolled back to note 3");
}

#[test]
fn a_resume_missing_its_oldest_events_marks_the_gap_before_what_it_gave_back() {
    let mut app = logged_in();
    frame(&mut app, numbered(10, "bob", "seen"));
    let newest = vec![
        numbered(50, "bob", "fifty"),
        numbered(51, "bob", "fifty-one"),
    ];
    frame(
        &mut app,
        history(HistoryReason::Resume, newest, false, true),
    );
    let tail: Vec<EntryKind> = kept(&app).iter().map(|entry| entry.kind.clone()).collect();
    assert!(
        matches!(
            &tail[..],
            [
                EntryKind::Message { .. },
                EntryKind::Mark(Mark::Gap),
                EntryKind::Message { .. },
                EntryKind::Message { .. }
            ]
        ),
        "{tail:?}"
    );
}

#[test]
fn a_gap_inside_history_is_marked_in_its_place_and_nowhere_else() {
    let mut app = logged_in();
    frame(&mut app, numbered(4, "bob", "seen"));
    let missed = vec![
        numbered(5, "bob", "five"),
        ServerFrame::Gap {
            epoch: 7,
            seq: 6,
            through_seq: 8,
            room: Some("#general".into()),
        },
        numbered(9, "bob", "nine"),
    ];
    frame(
        &mut app,
        history(HistoryReason::Resume, missed, false, true),
    );
    let tail: Vec<EntryKind> = kept(&app).iter().map(|entry| entry.kind.clone()).collect();
    assert!(
        matches!(
            &tail[..],
            [
                EntryKind::Message { .. },
                EntryKind::Message { .. },
                EntryKind::Mark(Mark::Gap),
                EntryKind::Message { .. },
            ]
        ),
        "{tail:?}"
    );
}
