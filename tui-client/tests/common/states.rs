//! Named states of the client, each built through `App::update` as the real client is:
//! the snapshots draw each one at every size, and the readability check reads every
//! character of each one.

use std::time::Duration;

use chat_shared::frame::{ErrorCode, ServerFrame};
use chat_tui::app::App;
use chat_tui::event::{Event, NetEvent};
use crossterm::event::KeyCode;

use super::screens::*;

/// The sizes every state is drawn at: the usual 80x24, a wide 120x40 and a narrow 50x20
/// that hides the sidebar.
pub const SIZES: [(u16, u16); 3] = [(80, 24), (120, 40), (50, 20)];

/// Builds a state on a new app.
pub type Build = fn(&mut App);

/// Every state, by the name its snapshots carry.
pub const STATES: &[(&str, Build)] = &[
    ("login_connecting", login_connecting),
    ("login_invalid_name", login_invalid_name),
    ("login_name_taken", login_name_taken),
    ("login_unreachable", login_unreachable),
    ("chat_empty", chat_empty),
    ("chat_busy", busy_chat),
    ("chat_wide_chars", chat_wide_chars),
    ("chat_scrolled_new_messages", chat_scrolled_new_messages),
    ("chat_connection_lost", chat_connection_lost),
    ("chat_paste_going_out", chat_paste_going_out),
    ("help_overlay", help_overlay),
    ("chat_server_restarting", chat_server_restarting),
    ("chat_long_input", chat_long_input),
    ("chat_many_online", chat_many_online),
];

/// The login form, before the server answered.
pub fn login_connecting(_: &mut App) {}

/// The login form judging a name as it is typed.
pub fn login_invalid_name(app: &mut App) {
    connected(app);
    type_text(app, "bad name!");
}

/// The login form after the server refused the name.
pub fn login_name_taken(app: &mut App) {
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
}

/// The login form while the server cannot be reached.
pub fn login_unreachable(app: &mut App) {
    type_text(app, "alice");
    app.update(Event::Net(NetEvent::Disconnected {
        reason: "connection refused (is chat-server running?)".into(),
        retry_in: Duration::from_secs(4),
    }));
}

/// The chat alone.
pub fn chat_empty(app: &mut App) {
    join_as(app, "alice", &["alice"]);
}

/// Names and texts with wide characters, combining marks and emoji.
pub fn chat_wide_chars(app: &mut App) {
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
}

/// Scrolled up while new messages arrive below.
pub fn chat_scrolled_new_messages(app: &mut App) {
    join_as(app, "alice", &["alice", "bob"]);
    for n in 0..60 {
        say(app, n, "bob", &format!("message number {n}"));
    }
    key(app, KeyCode::PageUp);
    for n in 60..63 {
        say(app, n, "bob", &format!("new message {n}"));
    }
}

/// Disconnected, with messages typed meanwhile waiting in the queue.
pub fn chat_connection_lost(app: &mut App) {
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
}

/// A long paste going out at the server's pace while the user scrolls up.
pub fn chat_paste_going_out(app: &mut App) {
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
}

/// The help over a busy chat.
pub fn help_overlay(app: &mut App) {
    busy_chat(app);
    key(app, KeyCode::F(1));
}

/// The server said it is restarting, and the client waits to reconnect.
pub fn chat_server_restarting(app: &mut App) {
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
}

/// An input line longer than the terminal, with a line break in it.
pub fn chat_long_input(app: &mut App) {
    join_as(app, "alice", &["alice", "bob"]);
    app.update(Event::Paste(
        "a long line typed into the input, far wider than any terminal used in these \
         tests, ending with 世界 and a second\nline"
            .into(),
    ));
}

/// More people online than the sidebar has rows, one with a name of 24 characters.
pub fn chat_many_online(app: &mut App) {
    let mut names: Vec<String> = (1..=45).map(|n| format!("user{n:02}")).collect();
    names.push("a_very_long_name_of_24_c".into());
    names.push("alice".into());
    let roster: Vec<&str> = names.iter().map(String::as_str).collect();
    join_as(app, "alice", &roster);
}
