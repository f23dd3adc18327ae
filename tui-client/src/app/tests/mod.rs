//! Unit tests of [`App::update`]: events in, state and effects out. The helpers here
//! drive the app as the shell does; [`connection`] tests news from the network, [`typing`]
//! what the user does, [`scrolling`] the message pane's view over a changing history,
//! [`long_messages`] messages over the server's limit of lines, [`pacing`] sending at the
//! server's pace, [`buffers`] rooms, conversations and switching between them, [`history`]
//! a room's past (resume, replay, older pages, search) and showing each message once.

mod accounts;
mod buffers;
mod connection;
mod history;
mod long_messages;
mod moderation;
mod pacing;
mod scrolling;
mod typing;

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use chat_shared::frame::{ClientFrame, ErrorCode, EventId, LeaveReason, ServerFrame};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use jiff::tz::TimeZone;

use super::clock::Clock;
use super::scrollback::EntryKind;
use super::*;
use crate::event::NetEvent;

/// A clock that stands still until the test moves it.
#[derive(Debug, Clone)]
struct ManualClock {
    /// Where it started.
    start: Instant,
    /// How far it was moved.
    moved: Arc<Mutex<Duration>>,
}

impl ManualClock {
    fn new() -> Self {
        Self {
            start: Instant::now(),
            moved: Arc::default(),
        }
    }

    fn advance(&self, by: Duration) {
        *self.moved.lock().unwrap() += by;
    }
}

impl Clock for ManualClock {
    fn now(&self) -> Instant {
        self.start + *self.moved.lock().unwrap()
    }
}

fn new_app() -> App {
    new_app_on(&ManualClock::new())
}

/// An app whose time is `clock`'s.
fn new_app_on(clock: &ManualClock) -> App {
    let config = Config {
        server: "127.0.0.1:9999".into(),
        name: None,
        scrollback: 100,
        time_zone: TimeZone::UTC,
        color: true,
        password: None,
    };
    App::with_clock(config, (80, 24), Box::new(clock.clone()))
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
            flood: None,
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
            room: Some("#general".into()),
            name: name.into(),
            roster: roster.iter().map(|name| name.to_string()).collect(),
        },
    )
}

/// An app logged in as alice, with bob and carol online.
fn logged_in() -> App {
    logged_in_on(&ManualClock::new())
}

/// [`logged_in`], with the time `clock`'s.
fn logged_in_on(clock: &ManualClock) -> App {
    let mut app = new_app_on(clock);
    connected(&mut app);
    type_text(&mut app, "alice");
    press(&mut app, KeyCode::Enter);
    welcome(&mut app, "alice", &["alice", "bob", "carol"]);
    app
}

thread_local! {
    /// The last room event number given out on this test's thread.
    static SEQ: std::cell::Cell<u64> = const { std::cell::Cell::new(100) };
}

/// A new room event number: every event a test makes up is a new one, as the server's.
fn next_seq() -> u64 {
    SEQ.with(|seq| {
        seq.set(seq.get() + 1);
        seq.get()
    })
}

fn message(from: &str, text: &str) -> ServerFrame {
    ServerFrame::Message {
        nonce: None,
        epoch: 0,
        room: Some("#general".into()),
        seq: next_seq(),
        time_ms: 1_795_500_000_000,
        from: from.into(),
        text: text.into(),
    }
}

/// The frames sent, without the nonces of messages (each test of nonces reads them with
/// [`sent_with_nonces`]).
fn sent(update: &Update) -> Vec<ClientFrame> {
    sent_with_nonces(update)
        .into_iter()
        .map(|frame| match frame {
            ClientFrame::Say { text, room, .. } => ClientFrame::Say {
                text,
                room,
                nonce: None,
            },
            ClientFrame::Me { text, room, .. } => ClientFrame::Me {
                text,
                room,
                nonce: None,
            },
            ClientFrame::Msg { to, text, .. } => ClientFrame::Msg {
                to,
                text,
                nonce: None,
            },
            frame => frame,
        })
        .collect()
}

/// The frames sent, as they are.
fn sent_with_nonces(update: &Update) -> Vec<ClientFrame> {
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
    ClientFrame::Say {
        nonce: None,
        room: Some("#general".into()),
        text: text.into(),
    }
}

fn last_entry(app: &App) -> EntryKind {
    app.entries().last().expect("an entry").kind.clone()
}
