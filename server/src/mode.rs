//! The two session modes and how each one puts a frame on the wire.

use chat_shared::frame::{self, ServerFrame};
use jiff::tz::TimeZone;

use crate::plain;

/// How a connection talks, chosen by its first line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Readable text for a person with `nc` or `telnet`.
    Plain,
    /// JSON frames for programs such as `chat-tui`.
    Structured,
}

impl Mode {
    /// Encodes `frame` for this mode; plain mode shows times in `tz`.
    pub fn encode(self, frame: &ServerFrame, tz: &TimeZone) -> Vec<u8> {
        match self {
            Mode::Plain => plain::render(frame, tz),
            Mode::Structured => frame::encode(frame),
        }
    }

    /// Short name for logs.
    pub fn label(self) -> &'static str {
        match self {
            Mode::Plain => "plain",
            Mode::Structured => "structured",
        }
    }
}
