//! Named states of the client, each built through `App::update` as the real client is:
//! the snapshots draw each one at every size, and the readability check reads every
//! character of each one.

use std::time::Duration;

use chat_shared::frame::{ErrorCode, EventId, HistoryReason, SearchMatch, ServerFrame};
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
    ("login_password_typed", login_password_typed),
    ("login_wrong_password", login_wrong_password),
    ("chat_password_prompt", chat_password_prompt),
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
    ("buffers_unseen", buffers_unseen),
    ("buffers_room_with_topic", buffers_room_with_topic),
    ("buffers_private", buffers_private),
    ("buffers_server", buffers_server),
    ("buffers_left_room", buffers_left_room),
    ("buffers_new_since_left", buffers_new_since_left),
    ("buffers_wide_names", buffers_wide_names),
    ("buffers_many", buffers_many),
    ("history_replayed", history_replayed),
    ("history_gap", history_gap),
    ("history_loading", history_loading),
    ("search_results", search_results),
    ("search_no_matches", search_no_matches),
];

/// The login form, before the server answered.
pub fn login_connecting(_: &mut App) {}

/// The login form judging a name as it is typed.
pub fn login_invalid_name(app: &mut App) {
    connected(app);
    type_text(app, "bad name!");
}

/// The login form with a name and a password typed: the password shows as dots.
pub fn login_password_typed(app: &mut App) {
    connected(app);
    type_text(app, "alice");
    key(app, KeyCode::Tab);
    type_text(app, "hunter2 secret");
}

/// The login form after the server refused the password: the field is empty again and
/// has the focus.
pub fn login_wrong_password(app: &mut App) {
    login_password_typed(app);
    key(app, KeyCode::Enter);
    frame(
        app,
        ServerFrame::NameRejected {
            name: "alice".into(),
            code: ErrorCode::WrongPassword,
            message: "wrong password for alice".into(),
        },
    );
}

/// `/register` typed alone: a hidden field over the input line asks for the password.
pub fn chat_password_prompt(app: &mut App) {
    join_as(app, "alice", &["alice", "bob"]);
    enter_line(app, "/register");
    type_text(app, "s3cret");
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

/// Back in #general while things happen elsewhere: a message in #dev, a mention in
/// #ops, a private message from dave, someone joining #qa, a notice from the server.
pub fn buffers_unseen(app: &mut App) {
    join_as(app, "alice", &["alice", "bob", "carol", "dave"]);
    join_room(app, "#dev", None, &["alice", "bob"]);
    join_room(app, "#ops", Some("pager rotation"), &["alice", "carol"]);
    join_room(app, "#qa", None, &["alice"]);
    alt(app, KeyCode::Char('2'));
    say(app, 1, "bob", "back in general");
    say_in(app, "#dev", 2, "bob", "the build is green");
    say_in(app, "#dev", 3, "bob", "shipping it");
    say_in(app, "#ops", 4, "carol", "alice: can you take the pager?");
    private(app, 5, "dave", "alice", "got a minute?");
    frame(
        app,
        ServerFrame::Joined {
            epoch: 0,
            room: Some("#qa".into()),
            seq: 1,
            time_ms: at(6),
            name: "erin".into(),
        },
    );
    frame(
        app,
        ServerFrame::Notice {
            text: "The server restarts at 18:00.".into(),
        },
    );
}

/// In a room with a topic too long for the header, set while the user was there.
pub fn buffers_room_with_topic(app: &mut App) {
    join_as(app, "alice", &["alice", "bob"]);
    join_room(
        app,
        "#dev",
        Some("release on friday"),
        &["alice", "bob", "carol"],
    );
    frame(
        app,
        ServerFrame::Topic {
            epoch: 0,
            room: "#dev".into(),
            seq: 1,
            time_ms: at(1),
            by: "bob".into(),
            text: "release moved to monday: the migration needs another day of testing \
                   on the staging copy, and nobody wants to deploy on a friday anyway"
                .into(),
        },
    );
    say_in(app, "#dev", 2, "carol", "fine by me");
}

/// A private conversation the user opened with /msg.
pub fn buffers_private(app: &mut App) {
    join_as(app, "alice", &["alice", "bob"]);
    enter_line(app, "/msg bob are you free for lunch?");
    private(app, 1, "alice", "bob", "are you free for lunch?");
    private(app, 2, "bob", "alice", "sure, noon?");
}

/// The server's buffer, with its notices.
pub fn buffers_server(app: &mut App) {
    join_as(app, "alice", &["alice", "bob"]);
    frame(
        app,
        ServerFrame::Notice {
            text: "You are sending too fast; your messages are being delayed.".into(),
        },
    );
    alt(app, KeyCode::Char('1'));
}

/// A room the user left, its buffer kept.
pub fn buffers_left_room(app: &mut App) {
    join_as(app, "alice", &["alice", "bob"]);
    join_room(app, "#dev", None, &["alice", "bob"]);
    say_in(app, "#dev", 1, "bob", "bye then");
    enter_line(app, "/part");
    frame(
        app,
        ServerFrame::Parted {
            room: "#dev".into(),
        },
    );
}

/// Back in #general after a while in #dev: a marker above what arrived meanwhile.
pub fn buffers_new_since_left(app: &mut App) {
    join_as(app, "alice", &["alice", "bob", "carol"]);
    say(app, 1, "bob", "before you left");
    join_room(app, "#dev", None, &["alice", "bob"]);
    say(app, 2, "bob", "while you were in #dev");
    say(app, 3, "carol", "another one");
    alt(app, KeyCode::Char('2'));
}

/// A room and a person with names in Chinese, too wide for the sidebar's column, and a
/// conversation with emoji.
pub fn buffers_wide_names(app: &mut App) {
    join_as(app, "alice", &["alice", "李雷韩梅梅王小明张三李四"]);
    join_room(
        app,
        "#中文频道讨论区域名字很长",
        Some("欢迎 👋 大家好"),
        &["alice", "李雷韩梅梅王小明张三李四"],
    );
    private(app, 1, "李雷韩梅梅王小明张三李四", "alice", "你好 🎉🎉");
    say_in(
        app,
        "#中文频道讨论区域名字很长",
        2,
        "李雷韩梅梅王小明张三李四",
        "大家好 👨\u{200d}👩\u{200d}👧",
    );
}

/// More buffers than the list has rows: the list keeps the shown one in view.
pub fn buffers_many(app: &mut App) {
    join_as(app, "alice", &["alice"]);
    for n in 1..=14 {
        join_room(app, &format!("#room{n:02}"), None, &["alice"]);
    }
    say_in(app, "#room02", 1, "bob", "hello");
}

/// A message of `#general` from `minute`, as a room's history holds it.
fn past(minute: i64, from: &str, text: &str) -> ServerFrame {
    ServerFrame::Message {
        nonce: None,
        epoch: 1,
        room: Some("#general".into()),
        seq: (minute + 1000) as u64,
        time_ms: at(minute),
        from: from.into(),
        text: text.into(),
    }
}

/// `#general`'s history frame.
fn history(
    reason: HistoryReason,
    events: Vec<ServerFrame>,
    complete: bool,
    more: bool,
) -> ServerFrame {
    ServerFrame::History {
        room: "#general".into(),
        epoch: 1,
        reason,
        events,
        complete,
        more,
    }
}

/// Just in a room with a short past: its recent messages replayed (dimmed, between
/// marks), nothing older, then a live message.
pub fn history_replayed(app: &mut App) {
    join_as(app, "alice", &["alice", "bob", "carol"]);
    let recent = vec![
        past(-95, "bob", "the deploy is at five"),
        past(-94, "carol", "I will watch the dashboards"),
        past(-30, "bob", "done, all green"),
    ];
    frame(app, history(HistoryReason::Join, recent, true, false));
    say(app, 1, "carol", "welcome back, alice");
}

/// Back after a long break: what the server gave back, and a mark where more was lost.
pub fn history_gap(app: &mut App) {
    join_as(app, "alice", &["alice", "bob"]);
    frame(app, past(1, "bob", "before the break"));
    app.update(Event::Net(NetEvent::Disconnected {
        reason: "the connection was reset".into(),
        retry_in: Duration::from_secs(1),
    }));
    join_as(app, "alice", &["alice", "bob"]);
    let missed = vec![
        past(2, "bob", "while you were away"),
        past(3, "bob", "and this"),
    ];
    frame(app, history(HistoryReason::Resume, missed, false, true));
    say(app, 4, "bob", "you are back");
}

/// Scrolled to the top of a room's buffer: older messages are loading.
pub fn history_loading(app: &mut App) {
    join_as(app, "alice", &["alice", "bob"]);
    for minute in 0..40 {
        frame(
            app,
            past(minute, "bob", &format!("message number {minute}")),
        );
    }
    app.update(Event::Key(crossterm::event::KeyEvent::new(
        KeyCode::Home,
        crossterm::event::KeyModifiers::CONTROL,
    )));
}

/// The results of `/search deploy`: rooms and a private conversation, one with wide
/// characters, the second selected.
pub fn search_results(app: &mut App) {
    join_as(app, "alice", &["alice", "bob"]);
    join_room(app, "#dev", None, &["alice", "bob"]);
    enter_line(app, "/search deploy");
    let found =
        |room: Option<&str>, with: Option<&str>, minute: i64, from: &str, text: &str| SearchMatch {
            room: room.map(str::to_owned),
            with: with.map(str::to_owned),
            id: EventId {
                epoch: 1,
                seq: (minute + 1000) as u64,
            },
            time_ms: at(minute),
            from: from.into(),
            text: text.into(),
        };
    let matches = vec![
        found(Some("#dev"), None, -5, "bob", "deploy on friday? no way"),
        found(None, Some("bob"), -60, "alice", "can you deploy it for me?"),
        found(
            Some("#general"),
            None,
            -1500,
            "李雷",
            "部署 deploy 完成了 🎉 and a long tail of words that cannot fit on one row of the view",
        ),
    ];
    frame(
        app,
        ServerFrame::SearchResults {
            words: "deploy".into(),
            matches,
        },
    );
    key(app, KeyCode::Down);
}

/// A search that found nothing.
pub fn search_no_matches(app: &mut App) {
    join_as(app, "alice", &["alice"]);
    enter_line(app, "/search -here zebra");
    frame(
        app,
        ServerFrame::SearchResults {
            words: "zebra".into(),
            matches: Vec::new(),
        },
    );
}
