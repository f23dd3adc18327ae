//! Building app states for drawing tests: the app is driven only through
//! `App::update`, as the real client is, with fixed times shown in UTC.

use chat_shared::frame::{ErrorCode, FloodBudget, LeaveReason, ServerFrame};
use std::time::Instant;

use chat_tui::app::clock::Clock;
use chat_tui::app::{App, Config};
use chat_tui::event::{Event, NetEvent};
use chat_tui::ui;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use jiff::tz::TimeZone;
use ratatui::Terminal;
use ratatui::backend::TestBackend;

/// The server's default flood budget: 10 messages at once, then one every 500 ms.
pub const FLOOD: FloodBudget = FloodBudget {
    burst: 10,
    interval_ms: 500,
};

/// 2026-11-24 12:00:00 UTC.
pub const NOON_MS: i64 = 1_795_521_600_000;

/// A clock that never moves: what is sent at the server's pace is the same on every run.
#[derive(Debug)]
struct FrozenClock(Instant);

impl Clock for FrozenClock {
    fn now(&self) -> Instant {
        self.0
    }
}

pub fn new_app(size: (u16, u16)) -> App {
    new_app_colored(size, true)
}

/// An app drawn without colors, as with `NO_COLOR` set.
pub fn new_mono_app(size: (u16, u16)) -> App {
    new_app_colored(size, false)
}

fn new_app_colored(size: (u16, u16), color: bool) -> App {
    let config = Config {
        server: "127.0.0.1:9999".into(),
        name: None,
        scrollback: 5000,
        time_zone: TimeZone::UTC,
        color,
        password: None,
    };
    App::with_clock(config, size, Box::new(FrozenClock(Instant::now())))
}

pub fn draw(app: &App, size: (u16, u16)) -> Terminal<TestBackend> {
    let mut terminal = Terminal::new(TestBackend::new(size.0, size.1)).unwrap();
    terminal.draw(|frame| ui::render(app, frame)).unwrap();
    terminal
}

pub fn key(app: &mut App, code: KeyCode) {
    app.update(Event::Key(KeyEvent::new(code, KeyModifiers::NONE)));
}

/// Presses Alt with a key (Alt-2 shows the second buffer).
pub fn alt(app: &mut App, code: KeyCode) {
    app.update(Event::Key(KeyEvent::new(code, KeyModifiers::ALT)));
}

/// Types a line and presses Enter.
pub fn enter_line(app: &mut App, line: &str) {
    type_text(app, line);
    key(app, KeyCode::Enter);
}

/// Joins `room` as the user does (`/join`), and the server lets the user in.
pub fn join_room(app: &mut App, room: &str, topic: Option<&str>, roster: &[&str]) {
    enter_line(app, &format!("/join {room}"));
    frame(
        app,
        ServerFrame::Entered {
            room: room.into(),
            topic: topic.map(str::to_owned),
            roster: roster.iter().map(|name| name.to_string()).collect(),
        },
    );
}

/// A message in `room`.
pub fn say_in(app: &mut App, room: &str, minute: i64, from: &str, text: &str) {
    frame(
        app,
        ServerFrame::Message {
            nonce: None,
            epoch: 0,
            room: Some(room.into()),
            seq: minute as u64,
            time_ms: at(minute),
            from: from.into(),
            text: text.into(),
        },
    );
}

/// A private message.
pub fn private(app: &mut App, minute: i64, from: &str, to: &str, text: &str) {
    frame(
        app,
        ServerFrame::Private {
            nonce: None,
            time_ms: at(minute),
            from: from.into(),
            to: to.into(),
            text: text.into(),
        },
    );
}

pub fn type_text(app: &mut App, text: &str) {
    for c in text.chars() {
        key(app, KeyCode::Char(c));
    }
}

pub fn frame(app: &mut App, frame: ServerFrame) {
    app.update(Event::Net(NetEvent::Frame(frame)));
}

pub fn connected(app: &mut App) {
    app.update(Event::Net(NetEvent::Connected {
        server: "chat-server 0.1.0".into(),
        max_line_bytes: 8192,
        flood: Some(FLOOD),
    }));
}

pub fn join_as(app: &mut App, name: &str, roster: &[&str]) {
    connected(app);
    type_text(app, name);
    key(app, KeyCode::Enter);
    frame(
        app,
        ServerFrame::Welcome {
            room: Some("#general".into()),
            name: name.into(),
            roster: roster.iter().map(|name| name.to_string()).collect(),
        },
    );
}

pub fn at(minute: i64) -> i64 {
    NOON_MS + minute * 60_000
}

pub fn say(app: &mut App, minute: i64, from: &str, text: &str) {
    frame(
        app,
        ServerFrame::Message {
            nonce: None,
            epoch: 0,
            room: None,
            seq: minute as u64,
            time_ms: at(minute),
            from: from.into(),
            text: text.into(),
        },
    );
}

pub fn busy_chat(app: &mut App) {
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
            nonce: None,
            epoch: 0,
            room: None,
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
            nonce: None,
            time_ms: at(6),
            from: "carol".into(),
            to: "alice".into(),
            text: "lunch later?".into(),
        },
    );
    frame(
        app,
        ServerFrame::Private {
            nonce: None,
            time_ms: at(7),
            from: "alice".into(),
            to: "carol".into(),
            text: "sure".into(),
        },
    );
    frame(
        app,
        ServerFrame::Joined {
            epoch: 0,
            room: None,
            seq: 8,
            time_ms: at(8),
            name: "dave".into(),
        },
    );
    frame(
        app,
        ServerFrame::Renamed {
            epoch: 0,
            room: None,
            seq: 9,
            time_ms: at(9),
            old: "dave".into(),
            new: "david".into(),
        },
    );
    frame(
        app,
        ServerFrame::Left {
            by: None,
            epoch: 0,
            room: None,
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

/// The cell where `text` starts on the screen.
pub fn find(terminal: &Terminal<TestBackend>, text: &str) -> (u16, u16) {
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
