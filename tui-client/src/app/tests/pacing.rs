//! Sending at the server's pace: a long paste goes out as the flood budget allows, at
//! most a window of it unanswered; commands go ahead of it; keepalive never waits; and
//! after a break, what the server answered is not sent again.

use chat_shared::frame::FloodBudget;

use super::*;

const INTERVAL: Duration = Duration::from_millis(500);

/// Logged in as alice to a server whose budget is `burst` frames, then one per 500 ms.
fn logged_in_with_budget(clock: &ManualClock, burst: u32) -> App {
    let mut app = new_app_on(clock);
    type_text(&mut app, "alice");
    press(&mut app, KeyCode::Enter);
    connected_with_budget(&mut app, burst);
    welcome(&mut app, "alice", &["alice", "bob"]);
    app
}

/// Connected to a server whose budget is `burst` frames, then one per 500 ms.
fn connected_with_budget(app: &mut App, burst: u32) -> Update {
    net(
        app,
        NetEvent::Connected {
            server: "chat-server 0.1.0".into(),
            max_line_bytes: 8192,
            flood: Some(FloodBudget {
                burst,
                interval_ms: 500,
            }),
        },
    )
}

/// A paste of `parts` messages of 50 numbered lines, and the texts of those messages.
fn paste(parts: usize) -> (String, Vec<String>) {
    let lines: Vec<String> = (0..parts * 50).map(|n| n.to_string()).collect();
    let texts = lines.chunks(50).map(|part| part.join("\n")).collect();
    (lines.join("\n"), texts)
}

fn paste_and_send(app: &mut App, text: &str) -> Update {
    app.update(Event::Paste(text.into()));
    press(app, KeyCode::Enter)
}

/// The texts of the `say` frames in `update`.
fn said(update: &Update) -> Vec<String> {
    sent(update)
        .into_iter()
        .filter_map(|frame| match frame {
            ClientFrame::Say { room: _, text, .. } => Some(text),
            _ => None,
        })
        .collect()
}

/// The server's echo of alice's `text`.
fn echo(app: &mut App, text: &str) -> Update {
    frame(app, message("alice", text))
}

#[test]
fn a_long_paste_goes_out_at_the_servers_pace_and_no_more_than_a_window_unanswered() {
    let clock = ManualClock::new();
    let start = clock.now();
    let mut app = logged_in_with_budget(&clock, 3);
    let (text, parts) = paste(5);

    // The login took one of the three frames of the burst.
    assert_eq!(said(&paste_and_send(&mut app, &text)), parts[..2]);
    assert_eq!(app.waiting_to_send(), 3);
    assert_eq!(app.wake_at(), Some(start + INTERVAL));

    clock.advance(INTERVAL - Duration::from_millis(1));
    assert!(sent(&app.update(Event::Wake)).is_empty());
    clock.advance(Duration::from_millis(1));
    assert_eq!(said(&app.update(Event::Wake)), parts[2..3]);

    // Three unanswered: the window is full, however long the budget has been full.
    clock.advance(INTERVAL * 100);
    assert_eq!(app.wake_at(), None);
    assert!(sent(&app.update(Event::Wake)).is_empty());
    assert_eq!(app.waiting_to_send(), 2);

    assert_eq!(said(&echo(&mut app, &parts[0])), parts[3..4]);
    assert_eq!(said(&echo(&mut app, &parts[1])), parts[4..5]);
    assert_eq!(app.waiting_to_send(), 0);
    assert_eq!(app.wake_at(), None);
}

#[test]
fn a_command_goes_ahead_of_a_waiting_paste_and_keepalive_never_waits() {
    let clock = ManualClock::new();
    let mut app = logged_in_with_budget(&clock, 3);
    let (text, parts) = paste(4);
    paste_and_send(&mut app, &text);

    type_text(&mut app, "/who");
    assert!(sent(&press(&mut app, KeyCode::Enter)).is_empty());
    let pong = frame(&mut app, ServerFrame::Ping { token: "7".into() });
    assert_eq!(sent(&pong), [ClientFrame::Pong { token: "7".into() }]);

    clock.advance(INTERVAL);
    assert_eq!(
        sent(&app.update(Event::Wake)),
        [ClientFrame::Who {
            room: Some("#general".into())
        }]
    );
    clock.advance(INTERVAL);
    assert_eq!(said(&app.update(Event::Wake)), parts[2..3]);
}

#[test]
fn after_a_break_what_the_server_answered_is_not_sent_again_and_the_rest_goes_on() {
    let clock = ManualClock::new();
    let mut app = logged_in_with_budget(&clock, 3);
    let (text, parts) = paste(6);
    let mut sent_parts = said(&paste_and_send(&mut app, &text));
    clock.advance(INTERVAL);
    sent_parts.extend(said(&app.update(Event::Wake)));
    assert_eq!(sent_parts, parts[..3]);
    echo(&mut app, &parts[0]);

    disconnected(&mut app);
    assert_eq!(app.waiting_to_send(), 5);
    assert_eq!(app.wake_at(), None, "nothing goes out while away");
    clock.advance(INTERVAL * 10);
    connected_with_budget(&mut app, 3);
    let after = said(&welcome(&mut app, "alice", &["alice", "bob"]));
    assert_eq!(
        after,
        parts[1..3],
        "from the first unanswered part (login took one)"
    );
    clock.advance(INTERVAL);
    assert_eq!(said(&app.update(Event::Wake)), parts[3..4]);
    for (answered, next) in [(1, 4), (2, 5)] {
        clock.advance(INTERVAL);
        assert_eq!(said(&echo(&mut app, &parts[answered])), parts[next..=next]);
    }
    assert_eq!(app.waiting_to_send(), 0);
}

#[test]
fn without_a_budget_messages_go_at_once_up_to_the_default_window() {
    let mut app = logged_in();
    let (text, parts) = paste(12);
    assert_eq!(said(&paste_and_send(&mut app, &text)), parts[..10]);
    assert_eq!(app.wake_at(), None);
    assert_eq!(said(&echo(&mut app, &parts[0])), parts[10..11]);
}
