//! Snapshots of every screen and state, drawn into ratatui's `TestBackend` at 80x24, a
//! wide 120x40 and a narrow 50x20 terminal, plus checks of the styles where color
//! carries meaning (nick colors, mentions, own messages).
//!
//! The app is driven only through `App::update`, as the real client is; times are fixed
//! and shown in UTC, so the snapshots are deterministic.

use std::time::Duration;

use chat_shared::frame::{ErrorCode, LeaveReason, ServerFrame};
use chat_tui::app::{App, Config};
use chat_tui::event::{Event, NetEvent};
use chat_tui::ui;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use jiff::tz::TimeZone;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::style::{Color, Modifier};

/// The sizes every state is drawn at.
const SIZES: [(u16, u16); 3] = [(80, 24), (120, 40), (50, 20)];

/// 2026-11-24 12:00:00 UTC.
const NOON_MS: i64 = 1_795_521_600_000;

fn new_app(size: (u16, u16)) -> App {
    let config = Config {
        server: "127.0.0.1:9999".into(),
        name: None,
        scrollback: 5000,
        time_zone: TimeZone::UTC,
    };
    App::new(config, size)
}

fn draw(app: &App, size: (u16, u16)) -> Terminal<TestBackend> {
    let mut terminal = Terminal::new(TestBackend::new(size.0, size.1)).unwrap();
    terminal.draw(|frame| ui::render(app, frame)).unwrap();
    terminal
}

/// Builds the state at each size and compares the drawing with its snapshot.
fn snapshot_at_every_size(name: &str, build: impl Fn(&mut App)) {
    for size in SIZES {
        let mut app = new_app(size);
        build(&mut app);
        let terminal = draw(&app, size);
        insta::assert_snapshot!(format!("{name}_{}x{}", size.0, size.1), terminal.backend());
    }
}

fn key(app: &mut App, code: KeyCode) {
    app.update(Event::Key(KeyEvent::new(code, KeyModifiers::NONE)));
}

fn type_text(app: &mut App, text: &str) {
    for c in text.chars() {
        key(app, KeyCode::Char(c));
    }
}

fn frame(app: &mut App, frame: ServerFrame) {
    app.update(Event::Net(NetEvent::Frame(frame)));
}

fn connected(app: &mut App) {
    app.update(Event::Net(NetEvent::Connected {
        server: "chat-server 0.1.0".into(),
        max_line_bytes: 8192,
    }));
}

fn join_as(app: &mut App, name: &str, roster: &[&str]) {
    connected(app);
    type_text(app, name);
    key(app, KeyCode::Enter);
    frame(
        app,
        ServerFrame::Welcome {
            name: name.into(),
            roster: roster.iter().map(|name| name.to_string()).collect(),
        },
    );
}

fn at(minute: i64) -> i64 {
    NOON_MS + minute * 60_000
}

fn say(app: &mut App, minute: i64, from: &str, text: &str) {
    frame(
        app,
        ServerFrame::Message {
            seq: minute as u64,
            time_ms: at(minute),
            from: from.into(),
            text: text.into(),
        },
    );
}

fn busy_chat(app: &mut App) {
    join_as(app, "alice", &["alice", "bob", "carol"]);
    say(app, 1, "bob", "morning all");
    say(
        app,
        2,
        "carol",
        "here is a rather long message that has to wrap over several lines in every \
         terminal size, so that the hanging indent under the text can be checked",
    );
    say(app, 3, "alice", "hi bob, hi carol");
    frame(
        app,
        ServerFrame::Action {
            seq: 4,
            time_ms: at(4),
            from: "bob".into(),
            text: "waves".into(),
        },
    );
    say(app, 5, "bob", "alice: did you see the report?");
    frame(
        app,
        ServerFrame::Private {
            time_ms: at(6),
            from: "carol".into(),
            to: "alice".into(),
            text: "lunch later?".into(),
        },
    );
    frame(
        app,
        ServerFrame::Private {
            time_ms: at(7),
            from: "alice".into(),
            to: "carol".into(),
            text: "sure".into(),
        },
    );
    frame(
        app,
        ServerFrame::Joined {
            seq: 8,
            time_ms: at(8),
            name: "dave".into(),
        },
    );
    frame(
        app,
        ServerFrame::Renamed {
            seq: 9,
            time_ms: at(9),
            old: "dave".into(),
            new: "david".into(),
        },
    );
    frame(
        app,
        ServerFrame::Left {
            seq: 10,
            time_ms: at(10),
            name: "bob".into(),
            reason: LeaveReason::Quit,
            message: Some("see you".into()),
        },
    );
    say(app, 11, "carol", "line one\nline two of one message");
    frame(
        app,
        ServerFrame::Error {
            code: ErrorCode::NoSuchUser,
            message: "no one called \"zed\" is online".into(),
        },
    );
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
fn help_overlay() {
    snapshot_at_every_size("help_overlay", |app| {
        busy_chat(app);
        key(app, KeyCode::F(1));
    });
}

#[test]
fn chat_after_server_shutdown() {
    snapshot_at_every_size("chat_shutdown", |app| {
        join_as(app, "alice", &["alice", "bob"]);
        frame(
            app,
            ServerFrame::Shutdown {
                message: "the server is shutting down".into(),
            },
        );
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

/// The cell where `text` starts on the screen.
fn find(terminal: &Terminal<TestBackend>, text: &str) -> (u16, u16) {
    let buffer = terminal.backend().buffer();
    for y in 0..buffer.area.height {
        let row: String = (0..buffer.area.width)
            .map(|x| buffer[(x, y)].symbol().to_owned())
            .collect();
        if let Some(byte) = row.find(text) {
            return (row[..byte].chars().count() as u16, y);
        }
    }
    panic!("{text:?} is not on the screen");
}

#[test]
fn nicks_mentions_and_own_messages_are_styled_apart() {
    let mut app = new_app((80, 24));
    busy_chat(&mut app);
    let terminal = draw(&app, (80, 24));
    let buffer = terminal.backend().buffer();

    let bob = find(&terminal, "<bob> morning");
    let carol = find(&terminal, "<carol> here");
    let bob_color = buffer[(bob.0 + 1, bob.1)].fg;
    let carol_color = buffer[(carol.0 + 1, carol.1)].fg;
    assert_eq!(bob_color, ui::theme::nick_color("bob"));
    assert_eq!(carol_color, ui::theme::nick_color("carol"));
    assert_ne!(bob_color, carol_color);
    assert!(buffer[(bob.0 + 1, bob.1)].modifier.contains(Modifier::BOLD));

    let own = find(&terminal, "<alice> hi bob");
    assert!(
        buffer[(own.0 + 1, own.1)]
            .modifier
            .contains(Modifier::REVERSED)
    );
    let own_text = find(&terminal, "hi bob, hi carol");
    assert_eq!(buffer[own_text].fg, Color::Gray);

    let mention = find(&terminal, "alice: did you");
    assert_eq!(buffer[mention].bg, Color::Yellow);
    let plain = find(&terminal, "morning all");
    assert_eq!(buffer[plain].bg, Color::Reset);

    let private = find(&terminal, "lunch later?");
    assert_eq!(buffer[private].fg, Color::LightMagenta);
    let joined = find(&terminal, "dave joined");
    assert_eq!(buffer[joined].fg, Color::Green);
}

#[test]
fn the_sidebar_marks_me_and_colors_names() {
    let mut app = new_app((80, 24));
    busy_chat(&mut app);
    let terminal = draw(&app, (80, 24));
    let buffer = terminal.backend().buffer();
    let me = find(&terminal, "▸alice");
    assert!(
        buffer[(me.0 + 1, me.1)]
            .modifier
            .contains(Modifier::REVERSED)
    );
    let carol = find(&terminal, " carol ");
    assert_eq!(
        buffer[(carol.0 + 1, carol.1)].fg,
        ui::theme::nick_color("carol")
    );
}

#[test]
fn the_cursor_sits_after_the_typed_text() {
    let mut app = new_app((80, 24));
    join_as(&mut app, "alice", &["alice"]);
    type_text(&mut app, "你好");
    let mut terminal = draw(&app, (80, 24));
    terminal.backend_mut().assert_cursor_position((2 + 4, 22));
}
