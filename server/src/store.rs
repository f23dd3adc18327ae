//! Where room history is kept: behind the small [`History`] trait, so that the rooms and
//! sessions do not depend on how it is stored.
//!
//! [`NoHistory`] keeps nothing (`--no-history`): every room starts a fresh epoch each
//! run, so a client that resumes is told its history is gone.

use std::fmt;

use thiserror::Error;

/// A room's place in its history: the epoch and the last event number stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RoomCursor {
    /// Changes only when history was lost; with the room and `seq`, an event's id.
    pub epoch: u64,
    /// The last `seq` stored in this epoch (0: none).
    pub last_seq: u64,
}

/// What kind of event is stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EventKind {
    /// A message.
    Message,
    /// A `/me` action.
    Action,
    /// A topic change.
    Topic,
    /// A join, a leave, a rename or a summary of them.
    Presence,
    /// A private message (its room key names the two parties).
    Private,
}

/// One event as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredEvent {
    /// The room's key, or a private conversation's.
    pub room_key: String,
    /// The room's epoch.
    pub epoch: u64,
    /// The event's number in the room.
    pub seq: u64,
    /// When it happened.
    pub time_ms: i64,
    /// What it is.
    pub kind: EventKind,
    /// The sender's name key, for messages (to find a repeated nonce).
    pub sender_key: Option<String>,
    /// The sender's nonce, if it gave one.
    pub nonce: Option<String>,
    /// The text to search, for messages.
    pub text: Option<String>,
    /// The event as the server sends it (a structured frame, one line of JSON).
    pub frame: String,
}

/// Some events of a room, oldest first.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Page {
    /// The events.
    pub events: Vec<StoredEvent>,
    /// More events exist beyond these, in the direction asked.
    pub more: bool,
}

/// Why the store could not answer.
#[derive(Debug, Error)]
pub enum StoreError {
    /// The store cannot be read; the message names the file.
    #[error("{0}")]
    Unreadable(String),
}

/// The history of rooms and private conversations.
pub trait History: Send + Sync + fmt::Debug {
    /// A room's epoch and last stored `seq` (a room never seen gets a fresh epoch).
    fn room_cursor(&self, room_key: &str) -> Result<RoomCursor, StoreError>;
    /// Queues an event for storing; never blocks.
    fn append(&self, event: StoredEvent);
    /// A room's events after `after_seq` in `epoch`, oldest first.
    fn after(
        &self,
        room_key: &str,
        epoch: u64,
        after_seq: u64,
        limit: usize,
    ) -> Result<Page, StoreError>;
    /// The newest `limit` events of a room before `before_seq`, oldest first.
    fn before(
        &self,
        room_key: &str,
        before_seq: Option<u64>,
        limit: usize,
        not_older_than_ms: Option<i64>,
    ) -> Result<Page, StoreError>;
    /// The message a sender already posted with this nonce, if any.
    fn find_nonce(&self, sender_key: &str, nonce: &str) -> Result<Option<StoredEvent>, StoreError>;
    /// The newest messages with all of `words`, in `rooms` and the private conversations
    /// of `private_party`.
    fn search(
        &self,
        words: &str,
        rooms: &[String],
        private_party: Option<&str>,
        limit: usize,
    ) -> Result<Vec<StoredEvent>, StoreError>;
    /// Waits until everything queued is stored.
    fn flush(&self);
}

/// A server that keeps no history (`--no-history`).
#[derive(Debug, Default)]
pub struct NoHistory;

impl History for NoHistory {
    fn room_cursor(&self, _room_key: &str) -> Result<RoomCursor, StoreError> {
        Ok(RoomCursor {
            epoch: fresh_epoch(),
            last_seq: 0,
        })
    }

    fn append(&self, _event: StoredEvent) {}

    fn after(&self, _: &str, _: u64, _: u64, _: usize) -> Result<Page, StoreError> {
        Ok(Page::default())
    }

    fn before(
        &self,
        _: &str,
        _: Option<u64>,
        _: usize,
        _: Option<i64>,
    ) -> Result<Page, StoreError> {
        Ok(Page::default())
    }

    fn find_nonce(&self, _: &str, _: &str) -> Result<Option<StoredEvent>, StoreError> {
        Ok(None)
    }

    fn search(
        &self,
        _: &str,
        _: &[String],
        _: Option<&str>,
        _: usize,
    ) -> Result<Vec<StoredEvent>, StoreError> {
        Ok(Vec::new())
    }

    fn flush(&self) {}
}

/// An epoch nobody has seen: the clock in nanoseconds, which no earlier run can have used.
fn fresh_epoch() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(1, |elapsed| elapsed.as_nanos() as u64)
}
