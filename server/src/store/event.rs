//! The values that cross the [`History`](super::History) trait: an event as stored, a
//! room's position, a page of history, and the store's counters.

/// One event as the store keeps it: the fields that queries need, and the line the server
/// sent, so that a replay resends exactly what was seen live.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredEvent {
    /// The room's key (its name key), or for a private message the
    /// [`conversation_key`] of its two parties.
    pub room_key: String,
    /// The room's name as written (for a private message, what the sessions choose to
    /// show); read back as the name last written for that key.
    pub room: String,
    /// The epoch of the room's stream this event belongs to (see [`RoomCursor`]).
    pub epoch: u64,
    /// The event's number in its room's stream.
    pub seq: u64,
    /// When the server accepted it, in milliseconds since the Unix epoch.
    pub time_ms: i64,
    /// What happened.
    pub kind: EventKind,
    /// Who did it (sender, joiner, leaver, old name of a rename, topic setter).
    pub from: Option<String>,
    /// Whom it was for (receiver of a private message, new name of a rename).
    pub to: Option<String>,
    /// What was written (message, action, private text, topic, quit message): the
    /// searchable part.
    pub text: Option<String>,
    /// The client's nonce for this message, to recognize a repeat.
    pub nonce: Option<String>,
    /// The sender's name key, to find its nonces; names change, keys identify.
    pub sender_key: Option<String>,
    /// The event's line exactly as the server sends it, without the line ending. Empty
    /// for a [`EventKind::Gap`], which the sessions render themselves.
    pub frame: String,
}

/// What kind of event a [`StoredEvent`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EventKind {
    /// A message to a room.
    Message,
    /// An action (`/me`).
    Action,
    /// Someone joined the room.
    Joined,
    /// Someone left the room.
    Left,
    /// Someone changed name.
    Renamed,
    /// The topic was set or cleared.
    Topic,
    /// A summary of joins and leaves in a big room.
    Presence,
    /// A private message, filed under its conversation.
    Private,
    /// An operator muted someone in the room, or lifted the mute.
    Mute,
    /// Events from `seq` through `through_seq` were not kept (disk full or failing,
    /// queue full, or removed by retention): history says so instead of skipping them.
    Gap {
        /// The last `seq` missing.
        through_seq: u64,
    },
}

impl EventKind {
    /// Whether the text of this kind is what people wrote, and so is searched.
    pub fn is_searchable(self) -> bool {
        matches!(
            self,
            Self::Message | Self::Action | Self::Private | Self::Topic
        )
    }
}

/// Where a room's stream stands. A client remembers the epoch and the last `seq` it saw;
/// it can resume (ask for what it missed) only while the epoch is the same.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RoomCursor {
    /// Identifies one unbroken run of the room's `seq` numbers: a random number below
    /// 2^53 (exact in any JSON reader), unique across restarts, and changed only when the
    /// store may have lost the end of the room's history (a crash).
    pub epoch: u64,
    /// The `seq` of the room's last event (0 for a room without events).
    pub last_seq: u64,
}

/// The place of one event in its room's history, for paging back across epochs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Position {
    /// The event's epoch.
    pub epoch: u64,
    /// The event's `seq` in that epoch.
    pub seq: u64,
}

/// One page of a room's history.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Page {
    /// The events, oldest first.
    pub events: Vec<StoredEvent>,
    /// More events lie beyond this page in the direction asked for.
    pub more: bool,
}

/// What a store has done since it was opened, for the logs and for tests.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct HistoryStats {
    /// Events handed to [`History::append`](super::History::append).
    pub appended: u64,
    /// Events written to disk.
    pub committed: u64,
    /// Events that could not be kept (queue full, disk full or failing, store closed).
    pub dropped: u64,
}

/// The room key under which a private conversation between the name keys `a` and `b` is
/// filed: `@`, the smaller key, a NUL, the larger key. Both parties get the same key, and
/// no room key can look like it (room names start with `#` and never hold a NUL).
pub fn conversation_key(a: &str, b: &str) -> String {
    let (first, second) = if a <= b { (a, b) } else { (b, a) };
    format!("@{first}\u{0}{second}")
}

/// The two name keys of a [`conversation_key`], or `None` for a room key.
pub fn conversation_parties(room_key: &str) -> Option<(&str, &str)> {
    room_key.strip_prefix('@')?.split_once('\u{0}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_conversation_has_one_key_for_both_parties() {
        assert_eq!(conversation_key("bob", "alice"), "@alice\u{0}bob");
        assert_eq!(conversation_key("alice", "bob"), "@alice\u{0}bob");
        assert_eq!(
            conversation_parties("@alice\u{0}bob"),
            Some(("alice", "bob"))
        );
        assert_eq!(conversation_parties("#general"), None);
    }
}
