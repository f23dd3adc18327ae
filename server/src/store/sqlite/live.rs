//! What the appending threads, the reading threads and the writer share while the store
//! runs: the counters, each room's position including events still queued, and the
//! losses not yet marked. Each lock here is taken alone, never inside another of these,
//! and only for a few map operations.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, MutexGuard, PoisonError};

use super::losses::Losses;
use crate::store::{HistoryStats, RoomCursor, StoredEvent};

/// One room's stream as this run knows it.
#[derive(Debug, Clone, Copy)]
pub(super) struct LiveRoom {
    /// Its epoch and the last `seq` appended (queued or written).
    pub cursor: RoomCursor,
    /// Its events appended but not yet handled by the writer: a read waits for them.
    pub queued: u64,
}

/// The state shared by everyone who uses the store.
#[derive(Debug, Default)]
pub(super) struct Live {
    /// Events handed to `append`.
    pub appended: AtomicU64,
    /// Events written.
    pub committed: AtomicU64,
    /// Events lost.
    pub dropped: AtomicU64,
    /// Every room this run has seen, by key.
    rooms: Mutex<HashMap<String, LiveRoom>>,
    /// Lost events whose gap is not yet in history.
    losses: Mutex<Losses>,
}

impl Live {
    /// The rooms, even if a thread panicked while holding them (the map stays valid).
    fn rooms(&self) -> MutexGuard<'_, HashMap<String, LiveRoom>> {
        self.rooms.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The losses, likewise.
    pub fn losses(&self) -> MutexGuard<'_, Losses> {
        self.losses.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The room's position if this run has seen it.
    pub fn room(&self, room_key: &str) -> Option<LiveRoom> {
        self.rooms().get(room_key).copied()
    }

    /// Adopts `cursor` (read from disk, or fresh) for a room this run had not seen, unless
    /// another thread was first; returns the room's position either way.
    pub fn adopt(&self, room_key: &str, cursor: RoomCursor) -> RoomCursor {
        self.rooms()
            .entry(room_key.to_owned())
            .or_insert(LiveRoom { cursor, queued: 0 })
            .cursor
    }

    /// `event` is being queued: its room's position moves on.
    pub fn queueing(&self, event: &StoredEvent) {
        self.appended.fetch_add(1, Ordering::Relaxed);
        let mut rooms = self.rooms();
        let cursor = RoomCursor {
            epoch: event.epoch,
            last_seq: event.seq,
        };
        match rooms.get_mut(event.room_key.as_str()) {
            Some(room) => {
                room.cursor.last_seq = room.cursor.last_seq.max(event.seq);
                room.queued += 1;
            }
            None => {
                rooms.insert(event.room_key.clone(), LiveRoom { cursor, queued: 1 });
            }
        }
    }

    /// The writer handled `count` queued events of `room_key` (written or lost).
    pub fn handled(&self, room_key: &str, count: u64) {
        if let Some(room) = self.rooms().get_mut(room_key) {
            room.queued = room.queued.saturating_sub(count);
        }
    }

    /// `event` is lost: counted, and remembered for its gap.
    pub fn lost(&self, event: &StoredEvent) {
        self.dropped.fetch_add(1, Ordering::Relaxed);
        self.losses().record(event);
    }

    /// Whether any event is queued and not yet handled by the writer.
    pub fn anything_queued(&self) -> bool {
        let stats = self.stats();
        stats.appended > stats.committed + stats.dropped
    }

    /// The counters.
    pub fn stats(&self) -> HistoryStats {
        HistoryStats {
            appended: self.appended.load(Ordering::Relaxed),
            committed: self.committed.load(Ordering::Relaxed),
            dropped: self.dropped.load(Ordering::Relaxed),
        }
    }
}
