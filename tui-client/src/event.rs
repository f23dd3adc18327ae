//! Everything that can happen to the client, as one type for [`crate::app::App::update`].

use std::time::Duration;

use chat_shared::frame::{FloodBudget, ServerFrame};
use crossterm::event::{Event as TerminalEvent, KeyEvent, KeyEventKind, MouseEvent};

/// An input to the client's state: from the terminal, the network task or the timer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Event {
    /// A key was pressed.
    Key(KeyEvent),
    /// Text was pasted (bracketed paste): one event, however many lines.
    Paste(String),
    /// The mouse moved, clicked or scrolled.
    Mouse(MouseEvent),
    /// The terminal is now this many columns and rows.
    Resize(u16, u16),
    /// News from the network task.
    Net(NetEvent),
    /// A second passed (sent only while a countdown is shown).
    Tick,
    /// The moment [`crate::app::App::wake_at`] asked for came: the flood budget allows
    /// the next frame.
    Wake,
}

/// What the network task reports about the connection.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NetEvent {
    /// Trying to connect; `attempt` is 1 for the first try after a success or start.
    Connecting {
        /// How many tries in a row, this one included.
        attempt: u32,
    },
    /// Connected and the server answered `hello`: ready for `login`.
    Connected {
        /// The server's name and version.
        server: String,
        /// The longest line the server accepts.
        max_line_bytes: usize,
        /// The server's flood budget; `None` when flood control is off.
        flood: Option<FloodBudget>,
    },
    /// A frame from the server.
    Frame(ServerFrame),
    /// An operator kicked or banned the user, or the server refused a banned address:
    /// no try comes until the user asks for one.
    Removed {
        /// Why, for display.
        reason: String,
    },
    /// The connection failed, was refused or broke; the next try comes after `retry_in`.
    Disconnected {
        /// Why, for display (already readable, e.g. "connection refused").
        reason: String,
        /// Delay before the next automatic try.
        retry_in: Duration,
    },
}

impl Event {
    /// Translates a terminal event; `None` for what the client does not use (key
    /// releases and repeats reported by some terminals, focus changes).
    pub fn from_terminal(event: TerminalEvent) -> Option<Self> {
        match event {
            TerminalEvent::Key(key) if key.kind != KeyEventKind::Release => Some(Event::Key(key)),
            TerminalEvent::Paste(text) => Some(Event::Paste(text)),
            TerminalEvent::Mouse(mouse) => Some(Event::Mouse(mouse)),
            TerminalEvent::Resize(columns, rows) => Some(Event::Resize(columns, rows)),
            _ => None,
        }
    }
}
