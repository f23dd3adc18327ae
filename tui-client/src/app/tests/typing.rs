//! What the user does: keys, commands, paste, completion, history, scrolling, help.

use super::*;

#[test]
fn tab_completes_names_of_others_and_cycles() {
    let mut app = logged_in();
    frame(
        &mut app,
        ServerFrame::Joined {
            epoch: 0,
            room: None,
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
    let view = app.log().view();
    assert_eq!(app.scroll_state(), (true, 0));
    frame(&mut app, message("bob", "new one"));
    frame(&mut app, message("carol", "another"));
    assert_eq!(app.log().view(), view, "the same lines in view");
    assert_eq!(app.scroll_state(), (true, 2));
    press(&mut app, KeyCode::End);
    assert_eq!(app.scroll_state(), (false, 0));
    let update = app.update(Event::Key(KeyEvent::new(
        KeyCode::Home,
        KeyModifiers::CONTROL,
    )));
    assert!(
        matches!(&sent(&update)[..], [ClientFrame::History { .. }]),
        "older messages asked for"
    );
    frame(
        &mut app,
        ServerFrame::History {
            room: "#general".into(),
            epoch: 0,
            reason: chat_shared::frame::HistoryReason::Older,
            events: Vec::new(),
            complete: false,
            more: false,
        },
    );
    let top = app.log().view();
    let update = press(&mut app, KeyCode::PageUp);
    assert_eq!(
        app.log().view(),
        top,
        "cannot scroll past the oldest message"
    );
    assert_eq!(sent(&update), [], "nothing older to ask for");
}

#[test]
fn commands_send_frames_or_explain_mistakes() {
    let mut app = logged_in();
    type_text(&mut app, "/me waves");
    assert_eq!(
        sent(&press(&mut app, KeyCode::Enter)),
        [ClientFrame::Me {
            nonce: None,
            room: Some("#general".into()),
            text: "waves".into()
        }]
    );
    type_text(&mut app, "/msg bob psst");
    assert_eq!(
        sent(&press(&mut app, KeyCode::Enter)),
        [ClientFrame::Msg {
            nonce: None,
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
    assert_eq!(
        sent(&press(&mut app, KeyCode::Enter)),
        [ClientFrame::Who {
            room: Some("#general".into())
        }]
    );
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
fn a_message_too_long_for_the_server_stays_in_the_input_line() {
    let mut app = logged_in();
    let long = "x".repeat(9000);
    app.update(Event::Paste(long.clone()));
    assert!(sent(&press(&mut app, KeyCode::Enter)).is_empty());
    assert_eq!(app.input_text(), long);
    assert!(matches!(last_entry(&app), EntryKind::Error(text) if text.contains("too long")));
}

#[test]
fn the_help_scrolls_when_the_terminal_is_too_low_and_esc_closes_it() {
    let mut app = logged_in();
    app.update(Event::Resize(50, 20));
    press(&mut app, KeyCode::F(1));
    let max = crate::app::help::Help::new(ratatui::layout::Rect::new(0, 0, 50, 20)).max_scroll();
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
