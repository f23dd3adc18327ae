//! The frames the server sends.

use serde::{Deserialize, Serialize};

use super::{BanInfo, ErrorCode, FloodBudget, HistoryReason, LeaveReason, RoomInfo, SearchMatch};

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
