//! What a client asks of the server, whichever mode it speaks.

/// One request, parsed from a plain-mode line or a structured-mode frame. A room left
/// out (`None`) is the client's current room: the default room for structured clients,
/// the one plain mode's `/join` switched to for people.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Request {
    /// Choose a name and join.
    Login(String),
    /// A message to a room.
    Say {
        /// The text.
        text: String,
        /// The room.
        room: Option<String>,
    },
    /// A `/me` action in a room.
    Me {
        /// The text.
        text: String,
        /// The room.
        room: Option<String>,
    },
    /// A private message.
    Msg {
        /// Receiver's name.
        to: String,
        /// The text.
        text: String,
    },
    /// Change name.
    Nick(String),
    /// List who is in a room.
    Who(Option<String>),
    /// Join rooms (plain mode also switches to the last one).
    Join(Vec<String>),
    /// Leave a room.
    Part {
        /// The room.
        room: Option<String>,
        /// Shown to its members.
        reason: Option<String>,
    },
    /// List every room.
    Rooms,
    /// Show a room's topic (`text` is `None`) or set it.
    Topic {
        /// The room.
        room: Option<String>,
        /// The new topic; empty clears it.
        text: Option<String>,
    },
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
