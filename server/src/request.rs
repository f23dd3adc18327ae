//! What a client asks of the server, whichever mode it speaks.

use std::time::Duration;

use chat_shared::frame::{ErrorCode, EventId, ServerFrame};
use chat_shared::password::Secret;

/// Why a line is not a request: the error it is answered with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refused {
    /// Machine-readable reason.
    pub code: ErrorCode,
    /// Human-readable reason.
    pub message: String,
}

impl From<Refused> for ServerFrame {
    fn from(refused: Refused) -> Self {
        ServerFrame::Error {
            code: refused.code,
            message: refused.message,
        }
    }
}

/// One request, parsed from a plain-mode line or a structured-mode frame. A room left
/// out (`None`) is the client's current room: the default room for structured clients,
/// the one plain mode's `/join` switched to for people.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Request {
    /// Choose a name and join the default room, resuming its history after `after`.
    Login {
        /// The name.
        name: String,
        /// The last event of the default room the client saw.
        after: Option<EventId>,
        /// The password, for a registered name.
        password: Option<Secret>,
    },
    /// Make the current name an account with this password.
    Register(Secret),
    /// Change the password of the account logged in to.
    ChangePassword {
        /// The password now.
        old: Secret,
        /// The password from now on.
        new: Secret,
    },
    /// End the account logged in to; its password again.
    Unregister(Secret),
    /// A message to a room.
    Say {
        /// The text.
        text: String,
        /// The room.
        room: Option<String>,
        /// The client's id for it.
        nonce: Option<String>,
    },
    /// A `/me` action in a room.
    Me {
        /// The text.
        text: String,
        /// The room.
        room: Option<String>,
        /// The client's id for it.
        nonce: Option<String>,
    },
    /// A private message.
    Msg {
        /// Receiver's name.
        to: String,
        /// The text.
        text: String,
        /// The client's id for it.
        nonce: Option<String>,
    },
    /// Change name.
    Nick(String),
    /// List who is in a room.
    Who(Option<String>),
    /// Join rooms (plain mode also switches to the last one), resuming each one's
    /// history after `after` (structured mode joins one room at a time).
    Join {
        /// The rooms.
        rooms: Vec<String>,
        /// The last event the client saw in the room.
        after: Option<EventId>,
    },
    /// Leave a room.
    Part {
        /// The room.
        room: Option<String>,
        /// Shown to its members.
        reason: Option<String>,
    },
    /// List every room.
    Rooms,
    /// A room's history after an event, or the page before one.
    History {
        /// The room (the current one when `None`).
        room: Option<String>,
        /// Events after this one.
        after: Option<EventId>,
        /// The newest events before this one.
        before: Option<EventId>,
        /// How many at most.
        limit: Option<u32>,
    },
    /// Search the messages the client may see.
    Search {
        /// The words.
        words: String,
        /// Only this room.
        room: Option<String>,
        /// Only the current room (plain mode's `/search -here`).
        here: bool,
    },
    /// Show a room's topic (`text` is `None`) or set it.
    Topic {
        /// The room.
        room: Option<String>,
        /// The new topic; empty clears it.
        text: Option<String>,
    },
    /// An operator's command.
    Moderate(Moderate),
    /// Show the commands (plain mode).
    Help,
    /// The client checks the server is alive; answer with this token.
    Ping(String),
    /// The client answers a keepalive ping.
    Pong,
    /// Leave, with an optional reason.
    Quit(Option<String>),
    /// Nothing to do (an empty line).
    Nothing,
}

/// What an operator asks for; anyone else is refused with `not_operator`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Moderate {
    /// Disconnect a user.
    Kick {
        /// Who.
        name: String,
        /// Why.
        reason: Option<String>,
    },
    /// Silence a user for a while.
    Mute {
        /// Who.
        name: String,
        /// How long; `None` is the default.
        duration: Option<Duration>,
        /// Why.
        reason: Option<String>,
    },
    /// Lift a mute.
    Unmute(String),
    /// Ban a name, an address or a network.
    Ban {
        /// What, as typed.
        target: String,
        /// How long; `None` is for ever.
        duration: Option<Duration>,
        /// Why.
        reason: Option<String>,
    },
    /// Lift a ban.
    Unban(String),
    /// List the bans.
    Bans,
}
