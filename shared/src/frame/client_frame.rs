//! The frames a client sends.

use serde::{Deserialize, Serialize};

use super::EventId;

/// A frame sent by a client.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ClientFrame {
    /// First line of a structured session: selects structured mode and the version.
    Hello {
        /// The [`crate::PROTOCOL_VERSION`] the client speaks.
        version: u32,
        /// Free-form client name and version, for the server's log.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        client: Option<String>,
    },
    /// Claims a username; answered by `welcome` or `name_rejected`.
    Login {
        /// The name wanted.
        name: String,
        /// The last event of the room the client saw: the history sent after entering
        /// resumes from it instead of showing the recent messages.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        after: Option<EventId>,
        /// The password of a registered name (see `register`); needed for such a name,
        /// ignored for another.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        password: Option<String>,
    },
    /// Makes the client's current name an account: from then on, only a client that
    /// gives this password may use the name. Answered by `account`.
    Register {
        /// The new account's password.
        password: String,
    },
    /// Changes the password of the account the client logged in to. Answered by
    /// `account`.
    Password {
        /// The password now.
        old: String,
        /// The password from now on.
        new: String,
    },
    /// Ends the account the client logged in to: its name is free for anyone again.
    /// Answered by `account`.
    Unregister {
        /// The account's password, asked again so that an unattended session cannot
        /// give the name away.
        password: String,
    },
    /// A message to everyone in a room.
    Say {
        /// The message; may contain line breaks.
        text: String,
        /// The client's own id for this message, echoed back: a repeat of a nonce the
        /// server already took is answered with the original instead of posted again.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        nonce: Option<String>,

        /// The room; absent means the default room (the one everyone joins at login).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        room: Option<String>,
    },
    /// An action (`/me waves`), shown as `* alice waves`.
    Me {
        /// What the user does.
        text: String,
        /// The client's own id for this message, echoed back: a repeat of a nonce the
        /// server already took is answered with the original instead of posted again.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        nonce: Option<String>,

        /// The room; absent means the default room (the one everyone joins at login).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        room: Option<String>,
    },
    /// A private message to one user.
    Msg {
        /// The receiver's name (any case).
        to: String,
        /// The message.
        text: String,
        /// The client's own id for this message, echoed back: a repeat of a nonce the
        /// server already took is answered with the original instead of posted again.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        nonce: Option<String>,
    },
    /// Changes the user's name.
    Nick {
        /// The new name.
        name: String,
    },
    /// Asks who is in a room; answered by `roster`.
    Who {
        /// The room; absent means the default room (the one everyone joins at login).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        room: Option<String>,
    },
    /// Joins a room, creating it if nobody is in it; answered by `entered` (also for a
    /// room the client is in already, with its roster as it is now).
    Join {
        /// The room's name, `#` included.
        room: String,
        /// The last event of the room the client saw: the history sent after entering
        /// resumes from it instead of showing the recent messages.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        after: Option<EventId>,
    },
    /// Leaves a room; answered by `parted`, and the room's members get `left`.
    Part {
        /// The room.
        room: String,
        /// Shown to the room's members.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        reason: Option<String>,
    },
    /// Asks for every room; answered by `room_list`.
    Rooms,
    /// Asks for a room's history: what came after an event (to close a gap), or the page
    /// before one (to scroll back); answered by `history`.
    History {
        /// The room.
        room: String,
        /// Events after this one (oldest first).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        after: Option<EventId>,
        /// The newest events before this one (a page back; history reads across epochs).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        before: Option<EventId>,
        /// How many events at most; the server caps it.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        limit: Option<u32>,
    },
    /// Searches the messages the client may see; answered by `search_results`.
    Search {
        /// Words that must all appear (plain words, any case).
        words: String,
        /// Only this room; absent means every room the client is in and its private
        /// conversations.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        room: Option<String>,
    },
    /// Sets a room's topic (an empty text clears it), or asks for it (no text: answered
    /// by a `notice`).
    Topic {
        /// The room.
        room: String,
        /// The new topic.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        text: Option<String>,
    },
    /// Operators only: disconnects a user, telling its rooms why; it may come back.
    Kick {
        /// Who (any case).
        name: String,
        /// Shown to the user and its rooms.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        reason: Option<String>,
    },
    /// Operators only: silences a user in rooms and in private for a while.
    Mute {
        /// Who (any case).
        name: String,
        /// How long, in seconds; absent means the server's default (10 minutes).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        duration_s: Option<u64>,
        /// Shown to the user and its rooms.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        reason: Option<String>,
    },
    /// Operators only: lifts a mute before it runs out.
    Unmute {
        /// Who (any case).
        name: String,
    },
    /// Operators only: bans a name (and its look-alikes) from logging in, or an address
    /// or network from connecting; whoever matches is disconnected.
    Ban {
        /// A name, an address (`203.0.113.7`, `2001:db8::1`) or a network in CIDR
        /// notation (`203.0.113.0/24`).
        target: String,
        /// How long, in seconds; absent means for ever.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        duration_s: Option<u64>,
        /// Shown to whoever is disconnected or refused, and to their rooms.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        reason: Option<String>,
    },
    /// Operators only: lifts a ban.
    Unban {
        /// The ban's target, as `ban` took it.
        target: String,
    },
    /// Operators only: asks for the bans in force; answered by `ban_list`.
    Bans,
    /// Asks the server to answer `pong` with the same token.
    Ping {
        /// Echoed back unchanged.
        token: String,
    },
    /// Answers the server's `ping`.
    Pong {
        /// The token of the `ping` being answered.
        token: String,
    },
    /// Leaves the chat; the server announces it and closes the connection.
    Quit {
        /// Shown to the others as the reason for leaving.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        reason: Option<String>,
    },
}
