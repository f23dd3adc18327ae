//! The values frames carry besides text and names: event ids, why a history is sent or
//! someone left, search matches, the room and ban listings, and the flood budget.

use serde::{Deserialize, Serialize};

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
