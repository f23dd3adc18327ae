//! What news from the network does to the app: login, chat, disconnections, frames.

use super::*;
use crate::app::bell::BELL_INTERVAL;

#[test]
fn the_handshake_timeout_of_an_idle_name_form_is_not_shown_as_an_error() {
    let mut app = new_app();
    connected(&mut app);
    frame(
        &mut app,
        ServerFrame::Error {
            code: ErrorCode::HandshakeTimeout,
            message: "No name chosen within 30s; closing.".into(),
        },
    );
    assert_eq!(app.login.rejection, None);
    frame(
        &mut app,
        ServerFrame::Error {
            code: ErrorCode::BadFrame,
            message: "something else".into(),
        },
    );
    assert_eq!(app.login.rejection.as_deref(), Some("something else"));
}

#[test]
fn enter_sends_a_valid_name_and_a_refusal_keeps_the_form_with_the_reason() {
    let mut app = new_app();
    connected(&mut app);
    type_text(&mut app, "alice");
    let update = press(&mut app, KeyCode::Enter);
    assert_eq!(
        sent(&update),
        [ClientFrame::Login {
            password: None,
            after: None,
            name: "alice".into()
        }]
    );
    frame(
        &mut app,
        ServerFrame::NameRejected {
            name: "alice".into(),
            code: ErrorCode::NameTaken,
            message: "the name \"alice\" is taken".into(),
        },
    );
    assert_eq!(app.screen(), Screen::Login);
    assert_eq!(
        app.login.rejection.as_deref(),
        Some("the name \"alice\" is taken")
    );
    type_text(&mut app, "2");
    assert_eq!(app.login.rejection, None);
    let update = press(&mut app, KeyCode::Enter);
    assert_eq!(
        sent(&update),
        [ClientFrame::Login {
            password: None,
            after: None,
            name: "alice2".into()
        }]
    );
}

#[test]
fn an_invalid_name_is_not_sent() {
    let mut app = new_app();
    connected(&mut app);
    type_text(&mut app, "al ice");
    assert!(press(&mut app, KeyCode::Enter).effects.is_empty());
    assert_eq!(app.claim, None);
}

#[test]
fn a_name_chosen_before_the_connection_is_sent_when_it_is_ready() {
    let mut app = new_app();
    type_text(&mut app, "alice");
    assert!(sent(&press(&mut app, KeyCode::Enter)).is_empty());
    assert_eq!(
        sent(&connected(&mut app)),
        [ClientFrame::Login {
            password: None,
            after: None,
            name: "alice".into()
        }]
    );
}

#[test]
fn welcome_opens_the_chat_with_the_roster() {
    let app = logged_in();
    assert_eq!(app.screen(), Screen::Chat);
    assert_eq!(app.me(), Some("alice"));
    assert_eq!(app.online(), ["alice", "bob", "carol"]);
    assert_eq!(*app.connection(), Connection::LoggedIn);
}

#[test]
fn a_typed_line_is_sent_and_shown_from_the_servers_echo() {
    let mut app = logged_in();
    type_text(&mut app, "hello");
    let update = press(&mut app, KeyCode::Enter);
    assert_eq!(sent(&update), [say("hello")]);
    assert_eq!(app.input_text(), "");
    frame(&mut app, message("alice", "hello"));
    assert_eq!(
        last_entry(&app),
        EntryKind::Message {
            from: "alice".into(),
            text: "hello".into(),
            own: true,
            mentions_me: false
        }
    );
}

#[test]
fn messages_typed_while_disconnected_are_queued_and_sent_after_relogin() {
    let mut app = logged_in();
    type_text(&mut app, "sent but unconfirmed");
    press(&mut app, KeyCode::Enter);
    disconnected(&mut app);
    assert!(matches!(
        last_entry(&app),
        EntryKind::Error(text) if text.starts_with("Connection lost: connection reset")
    ));
    type_text(&mut app, "typed while down");
    let update = press(&mut app, KeyCode::Enter);
    assert!(sent(&update).is_empty());
    let queued: Vec<&str> = app.outbox.queued().map(|message| message.text()).collect();
    assert_eq!(queued, ["typed while down"], "drawn as queued");
    assert_eq!(app.waiting_to_send(), 1, "the unanswered one waits again");

    let update = connected(&mut app);
    assert_eq!(
        sent(&update),
        [ClientFrame::Login {
            password: None,
            after: None,
            name: "alice".into()
        }]
    );
    let update = welcome(&mut app, "alice", &["alice", "bob"]);
    assert_eq!(
        sent(&update),
        [say("sent but unconfirmed"), say("typed while down")]
    );
    assert_eq!(app.outbox.queued().len(), 0);
    assert!(matches!(last_entry(&app), EntryKind::Info(text) if text.starts_with("Reconnected")));
}

#[test]
fn a_name_taken_while_away_leads_back_to_the_form_keeping_the_queue() {
    let mut app = logged_in();
    disconnected(&mut app);
    type_text(&mut app, "still here");
    press(&mut app, KeyCode::Enter);
    connected(&mut app);
    frame(
        &mut app,
        ServerFrame::NameRejected {
            name: "alice".into(),
            code: ErrorCode::NameTaken,
            message: "the name \"alice\" is taken".into(),
        },
    );
    assert_eq!(app.screen(), Screen::Login);
    assert_eq!(app.login_name(), "alice");
    assert!(
        app.login
            .rejection
            .as_deref()
            .unwrap()
            .contains("While you were away")
    );
    type_text(&mut app, "_");
    let update = press(&mut app, KeyCode::Enter);
    assert_eq!(
        sent(&update),
        [ClientFrame::Login {
            password: None,
            after: None,
            name: "alice_".into()
        }]
    );
    let update = welcome(&mut app, "alice_", &["alice", "alice_"]);
    assert_eq!(sent(&update), [say("still here")]);
    assert_eq!(app.screen(), Screen::Chat);
}

#[test]
fn ping_is_answered_without_a_redraw() {
    let mut app = logged_in();
    let update = frame(&mut app, ServerFrame::Ping { token: "41".into() });
    assert_eq!(
        update,
        Update {
            redraw: false,
            effects: vec![Effect::Send(ClientFrame::Pong { token: "41".into() })]
        }
    );
}

#[test]
fn mentions_and_private_messages_ring_the_bell_but_own_messages_do_not() {
    let clock = ManualClock::new();
    let mut app = logged_in_on(&clock);
    let update = frame(&mut app, message("bob", "hey Alice, look"));
    assert!(update.effects.contains(&Effect::Bell));
    assert!(matches!(
        last_entry(&app),
        EntryKind::Message {
            mentions_me: true,
            ..
        }
    ));
    assert!(
        !frame(&mut app, message("bob", "nothing"))
            .effects
            .contains(&Effect::Bell)
    );
    assert!(
        !frame(&mut app, message("alice", "alice"))
            .effects
            .contains(&Effect::Bell)
    );
    clock.advance(BELL_INTERVAL);
    assert!(
        frame(&mut app, private("psst"))
            .effects
            .contains(&Effect::Bell)
    );
}

fn private(text: &str) -> ServerFrame {
    ServerFrame::Private {
        nonce: None,
        time_ms: 0,
        from: "bob".into(),
        to: "alice".into(),
        text: text.into(),
    }
}

#[test]
fn the_bell_rings_at_most_once_per_interval_however_many_mentions() {
    let clock = ManualClock::new();
    let mut app = logged_in_on(&clock);
    let rings = |app: &mut App, count: usize| {
        (0..count)
            .filter(|n| {
                let news = if n % 2 == 0 {
                    message("bob", &format!("alice {n}"))
                } else {
                    private(&n.to_string())
                };
                frame(app, news).effects.contains(&Effect::Bell)
            })
            .count()
    };
    assert_eq!(rings(&mut app, 50), 1);
    clock.advance(BELL_INTERVAL - Duration::from_millis(1));
    assert_eq!(rings(&mut app, 50), 0);
    clock.advance(Duration::from_millis(1));
    assert_eq!(rings(&mut app, 50), 1);
    let bob = app
        .buffers
        .find_private("bob")
        .expect("a conversation with bob");
    let last = app
        .buffers
        .get(bob)
        .unwrap()
        .log()
        .entries()
        .back()
        .cloned();
    assert!(
        matches!(last.map(|entry| entry.kind), Some(EntryKind::Private { text, .. }) if text == "49"),
        "every message is shown, bell or not"
    );
}

#[test]
fn the_roster_follows_join_leave_and_rename_notices() {
    let mut app = logged_in();
    frame(
        &mut app,
        ServerFrame::Joined {
            epoch: 0,
            room: None,
            seq: 2,
            time_ms: 0,
            name: "dave".into(),
        },
    );
    frame(
        &mut app,
        ServerFrame::Left {
            by: None,
            epoch: 0,
            room: None,
            seq: 3,
            time_ms: 0,
            name: "bob".into(),
            reason: LeaveReason::Quit,
            message: Some("bye".into()),
        },
    );
    frame(
        &mut app,
        ServerFrame::Renamed {
            epoch: 0,
            room: None,
            seq: 4,
            time_ms: 0,
            old: "alice".into(),
            new: "Alicia".into(),
        },
    );
    assert_eq!(app.online(), ["Alicia", "carol", "dave"]);
    assert_eq!(app.me(), Some("Alicia"));
    assert_eq!(
        last_entry(&app),
        EntryKind::Renamed {
            old: "alice".into(),
            new: "Alicia".into()
        }
    );
}

#[test]
fn a_server_shutdown_is_a_restart_that_keeps_the_name_the_history_and_the_queue() {
    let mut app = logged_in();
    let before = message("bob", "before");
    let ServerFrame::Message { epoch, seq, .. } = before else {
        unreachable!()
    };
    frame(&mut app, before);
    type_text(&mut app, "sent but unconfirmed");
    press(&mut app, KeyCode::Enter);
    frame(
        &mut app,
        ServerFrame::Shutdown {
            message: "maintenance".into(),
            retry_within_ms: Some(3000),
        },
    );
    assert!(matches!(
        app.connection(),
        Connection::Down {
            restarting: true,
            ..
        }
    ));
    assert!(matches!(last_entry(&app), EntryKind::Info(text) if text.contains("maintenance")));
    let update = net(
        &mut app,
        NetEvent::Disconnected {
            reason: "the server shut down".into(),
            retry_in: Duration::from_millis(2500),
        },
    );
    assert!(update.redraw);
    assert_eq!(
        *app.connection(),
        Connection::Down {
            reason: "the server shut down".into(),
            retry_in_secs: 3,
            restarting: true
        }
    );
    type_text(&mut app, "typed while it restarts");
    assert!(sent(&press(&mut app, KeyCode::Enter)).is_empty());

    net(&mut app, NetEvent::Connecting { attempt: 2 });
    assert_eq!(
        sent(&connected(&mut app)),
        [ClientFrame::Login {
            password: None,
            after: Some(EventId { epoch, seq }),
            name: "alice".into()
        }],
        "resuming from the last event seen in the default room"
    );
    let update = welcome(&mut app, "alice", &["alice", "bob"]);
    assert_eq!(
        sent(&update),
        [say("sent but unconfirmed"), say("typed while it restarts")]
    );
    assert_eq!(app.me(), Some("alice"));
    assert!(app.entries().any(|entry| matches!(
        &entry.kind,
        EntryKind::Message { text, .. } if text == "before"
    )));
}

#[test]
fn a_failed_try_after_the_restart_is_an_ordinary_disconnection() {
    let mut app = logged_in();
    frame(
        &mut app,
        ServerFrame::Shutdown {
            message: "maintenance".into(),
            retry_within_ms: None,
        },
    );
    disconnected(&mut app);
    net(&mut app, NetEvent::Connecting { attempt: 2 });
    disconnected(&mut app);
    assert!(matches!(
        app.connection(),
        Connection::Down {
            restarting: false,
            ..
        }
    ));
}

#[test]
fn the_retry_countdown_ticks_down_and_ctrl_r_retries_now() {
    let mut app = new_app();
    disconnected(&mut app);
    assert!(app.wants_ticks());
    assert!(app.update(Event::Tick).redraw);
    assert_eq!(
        *app.connection(),
        Connection::Down {
            reason: "connection reset".into(),
            retry_in_secs: 1,
            restarting: false
        }
    );
    assert_eq!(ctrl(&mut app, 'r').effects, [Effect::RetryNow]);
    app.update(Event::Tick);
    assert!(!app.wants_ticks());
}

#[test]
fn text_from_the_network_is_sanitized_before_it_is_stored() {
    let mut app = logged_in();
    frame(
        &mut app,
        message("bob\x1b[31m", "hi\x1b]52;c;ZXZpbA==\x07 there\u{202e}"),
    );
    assert_eq!(
        last_entry(&app),
        EntryKind::Message {
            from: "bob".into(),
            text: "hi there".into(),
            own: false,
            mentions_me: false
        }
    );
}

#[test]
fn the_scrollback_keeps_at_most_its_cap() {
    let mut app = logged_in();
    for n in 0..150 {
        frame(&mut app, message("bob", &n.to_string()));
    }
    assert_eq!(app.entries().count(), 100);
}
