//! Snapshots of every screen and state, drawn into ratatui's `TestBackend` at 80x24, a
//! wide 120x40 and a narrow 50x20 terminal. (Styles are checked in `styles.rs`.)

mod common;

use std::time::Duration;

use chat_shared::frame::{ErrorCode, ServerFrame};
use chat_tui::app::App;
use chat_tui::event::{Event, NetEvent};
use common::screens::*;
use crossterm::event::KeyCode;

/// The sizes every state is drawn at.
const SIZES: [(u16, u16); 3] = [(80, 24), (120, 40), (50, 20)];

/// Builds the state at each size and compares the drawing with its snapshot.
fn snapshot_at_every_size(name: &str, build: impl Fn(&mut App)) {
    for size in SIZES {
        let mut app = new_app(size);
        build(&mut app);
        let terminal = draw(&app, size);
        insta::assert_snapshot!(format!("{name}_{}x{}", size.0, size.1), terminal.backend());
    }
}

#[test]
fn login_while_connecting() {
    snapshot_at_every_size("login_connecting", |_| {});
}

#[test]
fn login_with_live_validation() {
    snapshot_at_every_size("login_invalid_name", |app| {
        connected(app);
        type_text(app, "bad name!");
    });
}

#[test]
fn login_name_taken() {
    snapshot_at_every_size("login_name_taken", |app| {
        connected(app);
        type_text(app, "alice");
        key(app, KeyCode::Enter);
        frame(
            app,
            ServerFrame::NameRejected {
                name: "alice".into(),
                code: ErrorCode::NameTaken,
                message: "the name \"alice\" is taken".into(),
            },
        );
    });
}

#[test]
fn login_server_unreachable() {
    snapshot_at_every_size("login_unreachable", |app| {
        type_text(app, "alice");
        app.update(Event::Net(NetEvent::Disconnected {
            reason: "connection refused (is chat-server running?)".into(),
            retry_in: Duration::from_secs(4),
        }));
    });
}

#[test]
fn chat_empty() {
    snapshot_at_every_size("chat_empty", |app| join_as(app, "alice", &["alice"]));
}

#[test]
fn chat_busy_with_wrapped_lines() {
    snapshot_at_every_size("chat_busy", busy_chat);
}

#[test]
fn chat_with_wide_characters_and_emoji() {
    snapshot_at_every_size("chat_wide_chars", |app| {
        join_as(app, "李雷", &["李雷", "Zoë", "Miłosz", "emoji_fan"]);
        say(
            app,
            1,
            "Zoë",
            "Zoë, Miłosz and e\u{301}\u{301} combining marks",
        );
        say(
            app,
            2,
            "李雷",
            "中文的句子没有空格所以必须在任意两个汉字之间换行而且每个汉字占两列宽度",
        );
        say(
            app,
            3,
            "emoji_fan",
            "family 👨\u{200d}👩\u{200d}👧 party 🎉🎉🎉 flags 🇵🇱🇯🇵 thumbs 👍🏽 \
             🎉🎉🎉🎉🎉🎉🎉🎉🎉🎉🎉🎉🎉🎉🎉🎉🎉🎉🎉🎉🎉🎉🎉🎉🎉🎉🎉🎉🎉🎉",
        );
        say(
            app,
            4,
            "Miłosz",
            "Zażółć gęślą jaźń — ｆｕｌｌｗｉｄｔｈ ｔｅｘｔ",
        );
    });
}

#[test]
fn chat_scrolled_up_with_new_messages_below() {
    snapshot_at_every_size("chat_scrolled_new_messages", |app| {
        join_as(app, "alice", &["alice", "bob"]);
        for n in 0..60 {
            say(app, n, "bob", &format!("message number {n}"));
        }
        key(app, KeyCode::PageUp);
        for n in 60..63 {
            say(app, n, "bob", &format!("new message {n}"));
        }
    });
}

#[test]
fn chat_connection_lost_with_queued_messages() {
    snapshot_at_every_size("chat_connection_lost", |app| {
        join_as(app, "alice", &["alice", "bob"]);
        say(app, 1, "bob", "are you there?");
        app.update(Event::Net(NetEvent::Disconnected {
            reason: "the server closed the connection".into(),
            retry_in: Duration::from_secs(8),
        }));
        type_text(app, "yes, typing while offline");
        key(app, KeyCode::Enter);
        type_text(app, "/me waits");
        key(app, KeyCode::Enter);
    });
}

#[test]
fn chat_while_a_long_paste_goes_out() {
    snapshot_at_every_size("chat_paste_going_out", |app| {
        join_as(app, "alice", &["alice", "bob"]);
        for n in 0..30 {
            say(app, n, "bob", &format!("message number {n}"));
        }
        let lines: Vec<String> = (0..2000).map(|n| format!("pasted line {n}")).collect();
        app.update(Event::Paste(lines.join("\n")));
        key(app, KeyCode::Enter);
        key(app, KeyCode::PageUp);
        for n in 30..33 {
            say(app, n, "bob", &format!("new message {n}"));
        }
    });
}

#[test]
fn help_overlay() {
    snapshot_at_every_size("help_overlay", |app| {
        busy_chat(app);
        key(app, KeyCode::F(1));
    });
}

#[test]
fn chat_while_the_server_restarts() {
    snapshot_at_every_size("chat_server_restarting", |app| {
        join_as(app, "alice", &["alice", "bob"]);
        frame(
            app,
            ServerFrame::Shutdown {
                message: "The server is shutting down.".into(),
                retry_within_ms: Some(2000),
            },
        );
        app.update(Event::Net(NetEvent::Disconnected {
            reason: "the server shut down".into(),
            retry_in: Duration::from_millis(1400),
        }));
    });
}

#[test]
fn chat_long_input_scrolls_horizontally() {
    snapshot_at_every_size("chat_long_input", |app| {
        join_as(app, "alice", &["alice", "bob"]);
        app.update(Event::Paste(
            "a long line typed into the input, far wider than any terminal used in these \
             tests, ending with 世界 and a second\nline"
                .into(),
        ));
    });
}

#[test]
fn chat_sidebar_with_many_and_long_names() {
    snapshot_at_every_size("chat_many_online", |app| {
        let mut names: Vec<String> = (1..=45).map(|n| format!("user{n:02}")).collect();
        names.push("a_very_long_name_of_24_c".into());
        names.push("alice".into());
        let roster: Vec<&str> = names.iter().map(String::as_str).collect();
        join_as(app, "alice", &roster);
    });
}

#[test]
fn too_small_terminals_show_a_short_message() {
    let mut chat = new_app((29, 5));
    join_as(&mut chat, "alice", &["alice"]);
    insta::assert_snapshot!("too_small_chat_29x5", draw(&chat, (29, 5)).backend());
    let login = new_app((40, 8));
    insta::assert_snapshot!("too_small_login_40x8", draw(&login, (40, 8)).backend());
}

#[test]
fn resizing_redraws_at_the_new_size() {
    let mut app = new_app((80, 24));
    busy_chat(&mut app);
    assert!(app.update(Event::Resize(50, 20)).redraw);
    insta::assert_snapshot!("resized_to_50x20", draw(&app, (50, 20)).backend());
}
