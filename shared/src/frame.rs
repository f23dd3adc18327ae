//! Typed frames of the structured session mode.
//!
//! Each frame is one JSON object on one line, tagged by `"type"` (snake_case). Text that
//! spans several lines travels as one frame, its line breaks escaped as `\n` by JSON.
//! Unknown fields are ignored so that either side can add optional fields within a
//! protocol version; an unknown `"type"` is an error.

use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::nesting::nesting_depth_exceeds;

/// The deepest nesting of arrays and objects a frame may have. Frames need 2 today; the
/// margin leaves room for new optional fields, and the bound keeps the recursive JSON
/// parser far from the end of a small thread stack whatever a line holds.
pub const MAX_FRAME_DEPTH: usize = 8;

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

/// A frame sent by the server.
///
/// Room events (`message`, `action`, `joined`, `left`, `renamed`, `topic`, `mute`) carry their
/// `room` and `seq`, a counter of that room's own: every client sees a room's events in
/// increasing `seq` order, and all its members see them in the same order. Events of
/// different rooms have no order between them. Times are Unix epoch milliseconds (UTC).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ServerFrame {
    /// Answers the client's `hello`: the version spoken and the limits that apply.
    Hello {
        /// The [`crate::PROTOCOL_VERSION`] the server speaks.
        version: u32,
        /// Server name and version, for display.
        server: String,
        /// Longest line the server accepts, in bytes, line ending not counted.
        max_line_bytes: usize,
        /// Longest line the server may send (a `welcome` listing everyone online is the
        /// longest), so that a client can size its own line cap to this server.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        max_frame_bytes: Option<usize>,
        /// The flood-control budget every connection gets, so that a client can pace
        /// what it sends instead of being slowed down; absent when flood control is off.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        flood: Option<FloodBudget>,
    },
    /// The name in `login` (or `nick`) was refused; the client may try another.
    NameRejected {
        /// The name that was refused.
        name: String,
        /// `name_taken`, `name_invalid` or `name_reserved`.
        code: ErrorCode,
        /// The reason, for display.
        message: String,
    },
    /// The client has joined: its final name, and the default room it is in with that
    /// room's members, itself included.
    Welcome {
        /// The name as others see it (normalized).
        name: String,
        /// The default room's members, sorted case-insensitively.
        roster: Vec<String>,
        /// The default room, which everyone joins at login.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        room: Option<String>,
    },
    /// The client is in a room (answers `join`): its members, itself included, and topic.
    Entered {
        /// The room, as everyone writes it.
        room: String,
        /// The room's topic, if it has one.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        topic: Option<String>,
        /// The room's members, sorted case-insensitively.
        roster: Vec<String>,
    },
    /// The client left a room (answers `part`).
    Parted {
        /// The room.
        room: String,
    },
    /// A message to a room (the sender receives its own, in order, as confirmation).
    Message {
        /// The room's history epoch: with `room` and `seq`, the event's id.
        #[serde(default)]
        epoch: u64,
        /// Room event number: a counter of its own for each room.
        seq: u64,
        /// When the server accepted it.
        time_ms: i64,
        /// Sender's name.
        from: String,
        /// Sanitized text; may contain line breaks.
        text: String,
        /// The sender's nonce, if it gave one.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        nonce: Option<String>,
        /// The room it happened in (always sent by a server that has rooms).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        room: Option<String>,
    },
    /// An action (`/me`).
    Action {
        /// The room's history epoch: with `room` and `seq`, the event's id.
        #[serde(default)]
        epoch: u64,
        /// Room event number.
        seq: u64,
        /// When the server accepted it.
        time_ms: i64,
        /// Who acts.
        from: String,
        /// Sanitized text.
        text: String,
        /// The sender's nonce, if it gave one.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        nonce: Option<String>,
        /// The room it happened in (always sent by a server that has rooms).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        room: Option<String>,
    },
    /// A private message, to its receiver and (as confirmation) to its sender.
    Private {
        /// When the server accepted it.
        time_ms: i64,
        /// Sender's name.
        from: String,
        /// Receiver's name.
        to: String,
        /// Sanitized text.
        text: String,
        /// The sender's nonce, if it gave one.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        nonce: Option<String>,
    },
    /// Someone joined a room.
    Joined {
        /// The room's history epoch: with `room` and `seq`, the event's id.
        #[serde(default)]
        epoch: u64,
        /// Room event number.
        seq: u64,
        /// When.
        time_ms: i64,
        /// The newcomer.
        name: String,
        /// The room it happened in (always sent by a server that has rooms).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        room: Option<String>,
    },
    /// Someone left a room; sent exactly once per departure from each room.
    Left {
        /// The room's history epoch: with `room` and `seq`, the event's id.
        #[serde(default)]
        epoch: u64,
        /// Room event number.
        seq: u64,
        /// When.
        time_ms: i64,
        /// Who left.
        name: String,
        /// Why.
        reason: LeaveReason,
        /// The quit or part message, if the user gave one; for a kick or a ban, the
        /// operator's reason.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        message: Option<String>,
        /// For a kick or a ban: the operator who did it.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        by: Option<String>,
        /// The room it happened in (always sent by a server that has rooms).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        room: Option<String>,
    },
    /// Someone changed name; sent in each room they are in.
    Renamed {
        /// The room's history epoch: with `room` and `seq`, the event's id.
        #[serde(default)]
        epoch: u64,
        /// Room event number.
        seq: u64,
        /// When.
        time_ms: i64,
        /// The previous name.
        old: String,
        /// The new name.
        new: String,
        /// The room it happened in (always sent by a server that has rooms).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        room: Option<String>,
    },
    /// Someone set a room's topic (an empty text means it was cleared).
    Topic {
        /// The room's history epoch: with `room` and `seq`, the event's id.
        #[serde(default)]
        epoch: u64,
        /// Room event number.
        seq: u64,
        /// When.
        time_ms: i64,
        /// Who set it.
        by: String,
        /// The topic, sanitized and on one line.
        text: String,
        /// The room.
        room: String,
    },
    /// An operator muted someone in this room (until `until_ms`), or lifted the mute
    /// (no `until_ms`). Sent in each room of the user concerned.
    Mute {
        /// The room's history epoch: with `room` and `seq`, the event's id.
        #[serde(default)]
        epoch: u64,
        /// Room event number.
        seq: u64,
        /// When.
        time_ms: i64,
        /// Who is muted (or unmuted).
        name: String,
        /// The operator.
        by: String,
        /// Until when the mute lasts; absent when it was lifted.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        until_ms: Option<i64>,
        /// The operator's reason, if given.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        reason: Option<String>,
        /// The room.
        room: String,
    },
    /// Who joined and who left a big room lately, in one event instead of one each: a
    /// room over the server's summary size gets these, at most once a second. Apply it as
    /// set updates (a name may already be in the roster, or already gone).
    Presence {
        /// The room's history epoch: with `room` and `seq`, the event's id.
        #[serde(default)]
        epoch: u64,
        /// Room event number.
        seq: u64,
        /// When the summary was made.
        time_ms: i64,
        /// Who joined since the last summary (and is still in the room).
        joined: Vec<String>,
        /// Who left since the last summary (and had been announced).
        left: Vec<String>,
        /// The room.
        room: String,
    },
    /// Answers `who`: a room's members, sorted case-insensitively.
    Roster {
        /// The names.
        names: Vec<String>,
        /// The room.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        room: Option<String>,
    },
    /// Only inside a `history` frame's events: events `seq` through `through_seq` of the
    /// room are missing from its history (lost to a full disk or a crash, or removed by
    /// retention). A client shows a gap marker in their place.
    Gap {
        /// The room's history epoch of the missing events.
        epoch: u64,
        /// The first missing event.
        seq: u64,
        /// The last missing event.
        through_seq: u64,
        /// The room.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        room: Option<String>,
    },
    /// A room's past events: after entering it (the recent ones, or those after the
    /// client's `after`), or answering `history`.
    History {
        /// The room.
        room: String,
        /// The room's current epoch.
        epoch: u64,
        /// Why they are sent.
        reason: HistoryReason,
        /// The events, oldest first, as they were sent live.
        events: Vec<ServerFrame>,
        /// For a resume: every event after the client's `after` is here (no gap). False
        /// when the epoch changed or more events were missed than the server replays.
        complete: bool,
        /// Older events exist before the first one here.
        more: bool,
    },
    /// Answers `search`: the newest matches first.
    SearchResults {
        /// The words searched for.
        words: String,
        /// The matches.
        matches: Vec<SearchMatch>,
    },
    /// Answers `bans` (operators only): the bans in force, oldest first.
    BanList {
        /// The bans.
        bans: Vec<BanInfo>,
    },
    /// Answers `rooms`: every room on the server.
    RoomList {
        /// The rooms, sorted by name.
        rooms: Vec<RoomInfo>,
    },
    /// Answers `register`, `password` and `unregister`: whether the name is now an
    /// account.
    Account {
        /// The account's name.
        name: String,
        /// True after `register` and `password`, false after `unregister`.
        registered: bool,
        /// What happened, for display.
        message: String,
    },
    /// Information for the user from the server (e.g. "slow down").
    Notice {
        /// The text, for display.
        text: String,
    },
    /// A request could not be carried out; the connection stays open unless it says so.
    Error {
        /// Machine-readable reason.
        code: ErrorCode,
        /// Human-readable reason.
        message: String,
    },
    /// Keepalive: the client must answer `pong` with the same token.
    Ping {
        /// To be echoed.
        token: String,
    },
    /// Answers the client's `ping`.
    Pong {
        /// The client's token.
        token: String,
    },
    /// The server is stopping; the connection will close.
    Shutdown {
        /// Why, for display.
        message: String,
        /// A restart is expected: reconnect after a random delay of up to this many
        /// milliseconds, so that every client does not return at the same moment.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        retry_within_ms: Option<u64>,
    },
}

/// An event's id: its room's epoch and its number in that epoch (the room is known
/// from where it is used).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct EventId {
    /// The room's history epoch, which changes only when history was lost.
    pub epoch: u64,
    /// The event's `seq`.
    pub seq: u64,
}

/// Why a `history` frame is sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum HistoryReason {
    /// The client entered the room: its recent events.
    Join,
    /// The client asked for what came after an event it saw.
    Resume,
    /// The client asked for the page before an event.
    Older,
}

/// One message found by `search`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SearchMatch {
    /// The room, or `None` for a private message.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub room: Option<String>,
    /// For a private message: the other party.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub with: Option<String>,
    /// The event's id in its room (0 and 0 for a private message).
    pub id: EventId,
    /// When it was said.
    pub time_ms: i64,
    /// Who said it.
    pub from: String,
    /// What was said.
    pub text: String,
}

/// One room, as `room_list` shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoomInfo {
    /// The room's name, `#` included.
    pub name: String,
    /// How many are in it.
    pub members: usize,
    /// Its topic, if it has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub topic: Option<String>,
}

/// One ban, as `ban_list` shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BanInfo {
    /// What is banned: a name, an address or a network (CIDR).
    pub target: String,
    /// The operator who set it.
    pub by: String,
    /// When it was set.
    pub since_ms: i64,
    /// When it ends; absent for a ban for ever.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub until_ms: Option<i64>,
    /// The operator's reason, if given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

/// How many frames a client may send: a burst, then one every `interval_ms`.
///
/// Frames beyond it are not lost, only delayed by the server; a client that paces itself
/// to this budget keeps reading and writing smoothly however much it has to send.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct FloodBudget {
    /// Frames that may be sent at once.
    pub burst: u32,
    /// Milliseconds between frames once the burst is spent.
    pub interval_ms: u64,
}

/// Machine-readable reasons in `error` and `name_rejected` frames (and, in plain text,
/// in the `ERROR code: text` line refusing a connection).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// The name is used by someone online (case-insensitively).
    NameTaken,
    /// The name breaks the rules in [`crate::name`].
    NameInvalid,
    /// The name is reserved.
    NameReserved,
    /// A line was longer than the server accepts; it was discarded.
    LineTooLong,
    /// A line was not valid UTF-8; it was discarded.
    InvalidUtf8,
    /// A line was not a frame the server understands.
    BadFrame,
    /// The client's protocol version is not spoken here; the connection closes.
    UnsupportedVersion,
    /// The frame is not allowed before logging in (or after).
    NotLoggedIn,
    /// A private message named nobody who is online.
    NoSuchUser,
    /// The text was empty after sanitizing.
    EmptyMessage,
    /// A message had more than [`crate::text::MAX_MESSAGE_LINES`] lines; it was not sent.
    TooManyLines,
    /// A plain-mode `/command` the server does not know.
    UnknownCommand,
    /// The handshake did not finish in time; the connection closes.
    HandshakeTimeout,
    /// The server has as many connections as it allows.
    ServerFull,
    /// Too many connections from one address.
    TooManyConnections,
    /// The address connects too often; it may try again later.
    Throttled,
    /// A room name breaks the rules in [`crate::name`].
    RoomInvalid,
    /// No room of that name exists.
    NoSuchRoom,
    /// The request names a room the client is not in.
    NotInRoom,
    /// The client is in as many rooms as it may be, or the server holds as many rooms
    /// as it may.
    TooManyRooms,
    /// A topic longer than the server accepts.
    TopicTooLong,
    /// History could not be read (the store failed); live chat goes on.
    HistoryUnavailable,
    /// The server is shutting down.
    ShuttingDown,
    /// The name is registered: logging in (or renaming) to it needs its password.
    PasswordRequired,
    /// The password given is not the account's.
    WrongPassword,
    /// A password breaks the rules in [`crate::password`] (empty, too long, control
    /// characters).
    PasswordInvalid,
    /// Passwords are not accepted over this connection: it is not encrypted and not
    /// from this machine. Connect with TLS.
    EncryptionRequired,
    /// The request needs an account the client has logged in to, and it has none.
    NotRegistered,
    /// The name is already an account.
    AlreadyRegistered,
    /// The accounts could not be read or written (the store failed).
    AccountsUnavailable,
    /// An operator command from someone who is not a logged-in operator.
    NotOperator,
    /// The user is muted: it may not speak (in rooms or in private), set a topic or
    /// change its name until the mute ends; the message says how long that is.
    Muted,
    /// The name, address or network is banned: a refused connection or name, or the
    /// goodbye of a user an operator just banned (the connection closes).
    Banned,
    /// An operator disconnected the user; the connection closes. It may come back.
    Kicked,
    /// Operators cannot kick, mute or ban an operator, nor ban their own address.
    Protected,
    /// `unban` names no ban in force.
    NoSuchBan,
    /// The server accepts only TLS connections (`--require-tls`) and this one is
    /// cleartext; the connection closes before anything the client sent is read.
    TlsRequired,
}

/// Why someone left, in a `left` frame.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LeaveReason {
    /// The user quit (`/quit` or a `quit` frame).
    Quit,
    /// The connection closed or broke without a quit.
    ConnectionLost,
    /// The client stopped answering keepalive pings.
    PingTimeout,
    /// The client read too slowly and its send queue overflowed.
    SendQueueExceeded,
    /// The user left this room only (`/part`).
    Parted,
    /// An operator disconnected the user (`by` says who), or the server did, for
    /// breaking the protocol (e.g. endless lines).
    Kicked,
    /// An operator banned the user (`by` says who).
    Banned,
}

impl LeaveReason {
    /// Short human-readable form, as shown in `* bob left (connection lost)`.
    pub fn describe(self) -> &'static str {
        match self {
            LeaveReason::Quit => "quit",
            LeaveReason::ConnectionLost => "connection lost",
            LeaveReason::PingTimeout => "ping timeout",
            LeaveReason::SendQueueExceeded => "send queue exceeded",
            LeaveReason::Parted => "parted",
            LeaveReason::Kicked => "kicked",
            LeaveReason::Banned => "banned",
        }
    }
}

impl LeaveReason {
    /// The reason with the operator who acted and the user's or operator's message, as
    /// shown in `* bob left (quit: bye)` or `* bob left (kicked by alice: spam)`; the
    /// message is kept on one line.
    pub fn describe_with(self, message: Option<&str>, by: Option<&str>) -> String {
        let mut described = self.describe().to_owned();
        if let Some(by) = by {
            described = format!("{described} by {by}");
        }
        match message {
            Some(message) => format!("{described}: {}", message.replace('\n', " ")),
            None => described,
        }
    }
}

impl ErrorCode {
    /// The code as it appears on the wire (`name_taken`), for plain-text lines.
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorCode::NameTaken => "name_taken",
            ErrorCode::NameInvalid => "name_invalid",
            ErrorCode::NameReserved => "name_reserved",
            ErrorCode::LineTooLong => "line_too_long",
            ErrorCode::InvalidUtf8 => "invalid_utf8",
            ErrorCode::BadFrame => "bad_frame",
            ErrorCode::UnsupportedVersion => "unsupported_version",
            ErrorCode::NotLoggedIn => "not_logged_in",
            ErrorCode::NoSuchUser => "no_such_user",
            ErrorCode::EmptyMessage => "empty_message",
            ErrorCode::TooManyLines => "too_many_lines",
            ErrorCode::UnknownCommand => "unknown_command",
            ErrorCode::HandshakeTimeout => "handshake_timeout",
            ErrorCode::ServerFull => "server_full",
            ErrorCode::TooManyConnections => "too_many_connections",
            ErrorCode::Throttled => "throttled",
            ErrorCode::RoomInvalid => "room_invalid",
            ErrorCode::NoSuchRoom => "no_such_room",
            ErrorCode::NotInRoom => "not_in_room",
            ErrorCode::TooManyRooms => "too_many_rooms",
            ErrorCode::TopicTooLong => "topic_too_long",
            ErrorCode::HistoryUnavailable => "history_unavailable",
            ErrorCode::ShuttingDown => "shutting_down",
            ErrorCode::PasswordRequired => "password_required",
            ErrorCode::WrongPassword => "wrong_password",
            ErrorCode::PasswordInvalid => "password_invalid",
            ErrorCode::EncryptionRequired => "encryption_required",
            ErrorCode::NotRegistered => "not_registered",
            ErrorCode::AlreadyRegistered => "already_registered",
            ErrorCode::AccountsUnavailable => "accounts_unavailable",
            ErrorCode::NotOperator => "not_operator",
            ErrorCode::Muted => "muted",
            ErrorCode::Banned => "banned",
            ErrorCode::Kicked => "kicked",
            ErrorCode::Protected => "protected",
            ErrorCode::NoSuchBan => "no_such_ban",
            ErrorCode::TlsRequired => "tls_required",
        }
    }
}

/// A line that is not a valid frame.
#[derive(Debug, Error)]
pub enum FrameError {
    /// Not JSON, or not a frame this side knows.
    #[error("not a valid frame: {0}")]
    Json(#[from] serde_json::Error),
    /// Arrays or objects nested deeper than any frame needs; refused before parsing, so
    /// that no line can exhaust a thread's stack in the JSON parser.
    #[error("not a valid frame: nested deeper than {MAX_FRAME_DEPTH} levels")]
    TooDeep,
}

/// Encodes a frame as one line, `\n` included, ready to write.
pub fn encode<F: Serialize>(frame: &F) -> Vec<u8> {
    let mut line = serde_json::to_vec(frame).expect("frames always serialize");
    line.push(b'\n');
    line
}

/// Decodes one line (without its line ending) sent by a client.
pub fn decode_client(line: &str) -> Result<ClientFrame, FrameError> {
    refuse_deep_nesting(line)?;
    Ok(serde_json::from_str(line)?)
}

/// Decodes one line (without its line ending) sent by the server.
pub fn decode_server(line: &str) -> Result<ServerFrame, FrameError> {
    refuse_deep_nesting(line)?;
    Ok(serde_json::from_str(line)?)
}

fn refuse_deep_nesting(line: &str) -> Result<(), FrameError> {
    if nesting_depth_exceeds(line, MAX_FRAME_DEPTH) {
        Err(FrameError::TooDeep)
    } else {
        Ok(())
    }
}

/// Parses a plain-text `ERROR code: reason` line, the form in which the server refuses a
/// connection before it knows the session mode (server full, too many connections).
pub fn parse_refusal(line: &str) -> Option<(&str, &str)> {
    let rest = line.strip_prefix("ERROR ")?;
    rest.split_once(": ")
}

#[cfg(test)]
mod tests;
