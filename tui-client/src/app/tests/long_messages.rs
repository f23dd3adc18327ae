//! Messages over the server's limit of lines: sent in parts, queued in parts, and the
//! server's `too_many_lines` counted as the answer to the message it refuses.

use chat_shared::text::MAX_MESSAGE_LINES;

use super::*;

/// `count` numbered lines, from `first`.
fn numbered(first: usize, count: usize) -> String {
    let lines: Vec<String> = (first..first + count)
        .map(|n| format!("line {n}"))
        .collect();
    lines.join("\n")
}

/// Pastes `text` into the input line and presses Enter.
fn paste_and_send(app: &mut App, text: &str) -> Update {
    app.update(Event::Paste(text.into()));
    press(app, KeyCode::Enter)
}

#[test]
fn a_paste_of_120_lines_is_sent_as_messages_of_50_50_and_20_lines() {
    assert_eq!(MAX_MESSAGE_LINES, 50);
    let mut app = logged_in();
    let update = paste_and_send(&mut app, &numbered(0, 120));
    assert_eq!(
        sent(&update),
        [
            say(&numbered(0, 50)),
            say(&numbered(50, 50)),
            say(&numbered(100, 20))
        ]
    );
    assert_eq!(app.input_text(), "");
}

#[test]
fn me_and_msg_apply_to_every_part() {
    let mut app = logged_in();
    let update = paste_and_send(&mut app, &format!("/me {}", numbered(0, 60)));
    assert_eq!(
        sent(&update),
        [
            ClientFrame::Me {
                nonce: None,
                room: Some("#general".into()),
                text: numbered(0, 50)
            },
            ClientFrame::Me {
                nonce: None,
                room: Some("#general".into()),
                text: numbered(50, 10)
            }
        ]
    );
    let update = paste_and_send(&mut app, &format!("/msg bob {}", numbered(0, 51)));
    assert_eq!(
        sent(&update),
        [
            ClientFrame::Msg {
                nonce: None,
                to: "bob".into(),
                text: numbered(0, 50)
            },
            ClientFrame::Msg {
                nonce: None,
                to: "bob".into(),
                text: numbered(50, 1)
            }
        ]
    );
}

#[test]
fn a_long_paste_typed_while_disconnected_is_queued_in_parts_and_sent_in_order() {
    let mut app = logged_in();
    disconnected(&mut app);
    let update = paste_and_send(&mut app, &numbered(0, 120));
    assert!(sent(&update).is_empty());
    type_text(&mut app, "after");
    press(&mut app, KeyCode::Enter);
    assert_eq!(app.outbox.queued().len(), 4);
    connected(&mut app);
    let update = welcome(&mut app, "alice", &["alice"]);
    assert_eq!(
        sent(&update),
        [
            say(&numbered(0, 50)),
            say(&numbered(50, 50)),
            say(&numbered(100, 20)),
            say("after")
        ]
    );
}

#[test]
fn nothing_is_sent_when_a_part_is_too_long_for_the_server() {
    let mut app = logged_in();
    let long_lines = vec!["x".repeat(200); 120].join("\n");
    let update = paste_and_send(&mut app, &long_lines);
    assert!(sent(&update).is_empty());
    assert_eq!(app.input_text(), long_lines);
    assert!(matches!(
        last_entry(&app),
        EntryKind::Error(text) if text.starts_with("A part of that message is too long")
    ));
}

#[test]
fn too_many_lines_answers_the_message_it_refuses() {
    let mut app = logged_in();
    for line in ["refused", "pending"] {
        type_text(&mut app, line);
        press(&mut app, KeyCode::Enter);
    }
    frame(
        &mut app,
        ServerFrame::Error {
            code: ErrorCode::TooManyLines,
            message: "A message may have at most 50 lines; this one has 51.".into(),
        },
    );
    assert!(matches!(last_entry(&app), EntryKind::Error(text) if text.contains("at most 50")));
    disconnected(&mut app);
    connected(&mut app);
    let update = welcome(&mut app, "alice", &["alice"]);
    assert_eq!(
        sent(&update),
        [say("pending")],
        "the refused message is not sent again"
    );
}
