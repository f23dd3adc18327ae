//! What a client asks of the server, whichever mode it speaks.

/// One request, parsed from a plain-mode line or a structured-mode frame.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Request {
    /// Choose a name and join.
    Login(String),
    /// A message to the room.
    Say(String),
    /// A `/me` action.
    Me(String),
    /// A private message.
    Msg {
        /// Receiver's name.
        to: String,
        /// The text.
        text: String,
    },
    /// Change name.
    Nick(String),
    /// List who is online.
    Who,
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
