//! Unit tests of [`App::update`]: events in, state and effects out.

use std::time::Duration;

use chat_shared::frame::{ClientFrame, ErrorCode, LeaveReason, ServerFrame};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use jiff::tz::TimeZone;

use super::scrollback::EntryKind;
use super::*;
use crate::event::NetEvent;

fn new_app() -> App {
    let config = Config {
        server: "127.0.0.1:9999".into(),
        name: None,
        scrollback: 100,
        time_zone: TimeZone::UTC,
    };
    App::new(config, (80, 24))
}

fn press(app: &mut App, code: KeyCode) -> Update {
    app.update(Event::Key(KeyEvent::new(code, KeyModifiers::NONE)))
}

fn ctrl(app: &mut App, c: char) -> Update {
    app.update(Event::Key(KeyEvent::new(
        KeyCode::Char(c),
        KeyModifiers::CONTROL,
    )))
}

fn type_text(app: &mut App, text: &str) {
    for c in text.chars() {
        press(app, KeyCode::Char(c));
    }
}

fn net(app: &mut App, news: NetEvent) -> Update {
    app.update(Event::Net(news))
}

fn frame(app: &mut App, frame: ServerFrame) -> Update {
    net(app, NetEvent::Frame(frame))
}

fn connected(app: &mut App) -> Update {
    net(
        app,
        NetEvent::Connected {
            server: "chat-server 0.1.0".into(),
            max_line_bytes: 8192,
        },
    )
}

fn disconnected(app: &mut App) -> Update {
    net(
        app,
        NetEvent::Disconnected {
            reason: "connection reset".into(),
            retry_in: Duration::from_secs(2),
        },
    )
}

fn welcome(app: &mut App, name: &str, roster: &[&str]) -> Update {
    frame(
        app,
        ServerFrame::Welcome {
            name: name.into(),
            roster: roster.iter().map(|name| name.to_string()).collect(),
        },
    )
}

/// An app logged in as alice, with bob and carol online.
fn logged_in() -> App {
    let mut app = new_app();
    connected(&mut app);
    type_text(&mut app, "alice");
    press(&mut app, KeyCode::Enter);
    welcome(&mut app, "alice", &["alice", "bob", "carol"]);
    app
}

fn message(from: &str, text: &str) -> ServerFrame {
    ServerFrame::Message {
        seq: 1,
        time_ms: 1_795_500_000_000,
        from: from.into(),
        text: text.into(),
    }
}

fn sent(update: &Update) -> Vec<ClientFrame> {
    update
        .effects
        .iter()
        .filter_map(|effect| match effect {
            Effect::Send(frame) => Some(frame.clone()),
            _ => None,
        })
        .collect()
}

fn say(text: &str) -> ClientFrame {
    ClientFrame::Say { text: text.into() }
}

fn last_entry(app: &App) -> EntryKind {
    app.entries().last().expect("an entry").kind.clone()
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
    assert_eq!(queued, ["sent but unconfirmed", "typed while down"]);

    let update = connected(&mut app);
    assert_eq!(
        sent(&update),
        [ClientFrame::Login {
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
    let mut app = logged_in();
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
    let private = ServerFrame::Private {
        time_ms: 0,
        from: "bob".into(),
        to: "alice".into(),
        text: "psst".into(),
    };
    assert!(frame(&mut app, private).effects.contains(&Effect::Bell));
}

#[test]
fn the_roster_follows_join_leave_and_rename_notices() {
    let mut app = logged_in();
    frame(
        &mut app,
        ServerFrame::Joined {
            seq: 2,
            time_ms: 0,
            name: "dave".into(),
        },
    );
    frame(
        &mut app,
        ServerFrame::Left {
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
fn tab_completes_names_of_others_and_cycles() {
    let mut app = logged_in();
    frame(
        &mut app,
        ServerFrame::Joined {
            seq: 2,
            time_ms: 0,
            name: "carl".into(),
        },
    );
    type_text(&mut app, "ca");
    press(&mut app, KeyCode::Tab);
    assert_eq!(app.input_text(), "carl: ");
    press(&mut app, KeyCode::Tab);
    assert_eq!(app.input_text(), "carol: ");
    type_text(&mut app, "a");
    press(&mut app, KeyCode::Tab);
    assert_eq!(
        app.input_text(),
        "carol: a",
        "no name starts with a but alice (me)"
    );
}

#[test]
fn up_and_down_recall_sent_lines() {
    let mut app = logged_in();
    for line in ["first", "second"] {
        type_text(&mut app, line);
        press(&mut app, KeyCode::Enter);
    }
    type_text(&mut app, "draft");
    press(&mut app, KeyCode::Up);
    assert_eq!(app.input_text(), "second");
    press(&mut app, KeyCode::Up);
    assert_eq!(app.input_text(), "first");
    press(&mut app, KeyCode::Down);
    press(&mut app, KeyCode::Down);
    assert_eq!(app.input_text(), "draft");
}

#[test]
fn editing_keys_work_on_the_chat_line() {
    let mut app = logged_in();
    type_text(&mut app, "hello big world");
    ctrl(&mut app, 'w');
    assert_eq!(app.input_text(), "hello big ");
    ctrl(&mut app, 'a');
    press(&mut app, KeyCode::Delete);
    assert_eq!(app.input_text(), "ello big ");
    app.update(Event::Key(KeyEvent::new(
        KeyCode::Char('f'),
        KeyModifiers::ALT,
    )));
    ctrl(&mut app, 'k');
    assert_eq!(app.input_text(), "ello");
    ctrl(&mut app, 'e');
    press(&mut app, KeyCode::Backspace);
    ctrl(&mut app, 'u');
    assert_eq!(app.input_text(), "");
}

#[test]
fn a_multi_line_paste_becomes_one_message() {
    let mut app = logged_in();
    app.update(Event::Paste("line one\r\nline two\tend\x1b".into()));
    let update = press(&mut app, KeyCode::Enter);
    assert_eq!(sent(&update), [say("line one\nline two end")]);
}

#[test]
fn a_scrolled_view_stays_put_counts_new_messages_and_end_returns() {
    let mut app = logged_in();
    for n in 0..60 {
        frame(&mut app, message("bob", &format!("message {n}")));
    }
    press(&mut app, KeyCode::PageUp);
    let (scroll, unread) = app.scroll_state();
    assert!(scroll > 0);
    assert_eq!(unread, 0);
    frame(&mut app, message("bob", "new one"));
    frame(&mut app, message("carol", "another"));
    assert_eq!(app.scroll_state(), (scroll + 2, 2));
    press(&mut app, KeyCode::End);
    assert_eq!(app.scroll_state(), (0, 0));
    app.update(Event::Key(KeyEvent::new(
        KeyCode::Home,
        KeyModifiers::CONTROL,
    )));
    let (top, _) = app.scroll_state();
    press(&mut app, KeyCode::PageUp);
    assert_eq!(
        app.scroll_state().0,
        top,
        "cannot scroll past the oldest message"
    );
}

#[test]
fn commands_send_frames_or_explain_mistakes() {
    let mut app = logged_in();
    type_text(&mut app, "/me waves");
    assert_eq!(
        sent(&press(&mut app, KeyCode::Enter)),
        [ClientFrame::Me {
            text: "waves".into()
        }]
    );
    type_text(&mut app, "/msg bob psst");
    assert_eq!(
        sent(&press(&mut app, KeyCode::Enter)),
        [ClientFrame::Msg {
            to: "bob".into(),
            text: "psst".into()
        }]
    );
    type_text(&mut app, "/nick robert");
    assert_eq!(
        sent(&press(&mut app, KeyCode::Enter)),
        [ClientFrame::Nick {
            name: "robert".into()
        }]
    );
    type_text(&mut app, "/nick root");
    assert!(sent(&press(&mut app, KeyCode::Enter)).is_empty());
    assert!(matches!(last_entry(&app), EntryKind::Error(text) if text.contains("reserved")));
    type_text(&mut app, "/dance");
    press(&mut app, KeyCode::Enter);
    assert!(matches!(last_entry(&app), EntryKind::Error(text) if text.contains("/dance")));
    type_text(&mut app, "/who");
    assert_eq!(sent(&press(&mut app, KeyCode::Enter)), [ClientFrame::Who]);
    type_text(&mut app, "/help");
    press(&mut app, KeyCode::Enter);
    assert!(app.help_open());
    press(&mut app, KeyCode::Esc);
    assert!(!app.help_open());
    type_text(&mut app, "/clear");
    press(&mut app, KeyCode::Enter);
    assert_eq!(app.entries().count(), 0);
    type_text(&mut app, "/quit bye");
    assert_eq!(
        press(&mut app, KeyCode::Enter).effects,
        [
            Effect::Send(ClientFrame::Quit {
                reason: Some("bye".into())
            }),
            Effect::Quit
        ]
    );
}

#[test]
fn ctrl_c_quits_from_any_screen() {
    let mut app = new_app();
    assert_eq!(ctrl(&mut app, 'c').effects, [Effect::Quit]);
    let mut app = logged_in();
    assert_eq!(
        ctrl(&mut app, 'c').effects,
        [
            Effect::Send(ClientFrame::Quit { reason: None }),
            Effect::Quit
        ]
    );
}

#[test]
fn after_a_shutdown_notice_any_key_exits_and_the_network_is_ignored() {
    let mut app = logged_in();
    frame(
        &mut app,
        ServerFrame::Shutdown {
            message: "maintenance".into(),
        },
    );
    assert_eq!(
        *app.connection(),
        Connection::Ended {
            message: "maintenance".into()
        }
    );
    assert!(!disconnected(&mut app).redraw);
    assert_eq!(press(&mut app, KeyCode::Char('x')).effects, [Effect::Quit]);
}

#[test]
fn a_message_too_long_for_the_server_stays_in_the_input_line() {
    let mut app = logged_in();
    let long = "x".repeat(9000);
    app.update(Event::Paste(long.clone()));
    assert!(sent(&press(&mut app, KeyCode::Enter)).is_empty());
    assert_eq!(app.input_text(), long);
    assert!(matches!(last_entry(&app), EntryKind::Error(text) if text.contains("too long")));
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
            retry_in_secs: 1
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

#[test]
fn the_help_scrolls_when_the_terminal_is_too_low_and_esc_closes_it() {
    let mut app = logged_in();
    app.update(Event::Resize(50, 20));
    press(&mut app, KeyCode::F(1));
    let max = crate::ui::help::max_scroll(ratatui::layout::Rect::new(0, 0, 50, 20));
    assert!(max > 0);
    for _ in 0..max + 3 {
        press(&mut app, KeyCode::Down);
    }
    assert_eq!(app.help_scroll, max);
    assert_eq!(app.input_text(), "", "keys do not reach the input line");
    press(&mut app, KeyCode::Esc);
    assert!(!app.help_open());
    assert_eq!(app.help_scroll, 0);
}
