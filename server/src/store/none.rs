//! `--no-history`: an ephemeral server. Nothing is written and nothing survives a restart,
//! but the streams still behave: within a run a room keeps its epoch and its `seq`, so a
//! client that reconnects learns exactly what it cannot get back.

use std::collections::HashMap;
use std::sync::{Mutex, PoisonError};

use super::epoch::fresh_epoch;
use super::{
    EventKind, History, HistoryStats, Page, Position, RoomCursor, StoreError, StoredEvent,
};

/// The store of a server without history. It remembers only where each room's stream
/// stands in this run: a fresh random epoch per room and the last `seq` appended.
#[derive(Debug, Default)]
pub struct NoHistory {
    /// Each room's stream, by room key, with the room's name as last seen.
    rooms: Mutex<HashMap<String, (RoomCursor, String)>>,
}

impl NoHistory {
    /// A store that keeps nothing.
    pub fn new() -> Self {
        Self::default()
    }
}

impl History for NoHistory {
    fn room_cursor(&self, room_key: &str) -> Result<RoomCursor, StoreError> {
        let mut rooms = self.rooms.lock().unwrap_or_else(PoisonError::into_inner);
        let (cursor, _) = rooms.entry(room_key.to_owned()).or_insert_with(|| {
            let cursor = RoomCursor {
                epoch: fresh_epoch(),
                last_seq: 0,
            };
            (cursor, room_key.to_owned())
        });
        Ok(*cursor)
    }

    fn append(&self, event: StoredEvent) {
        let mut rooms = self.rooms.lock().unwrap_or_else(PoisonError::into_inner);
        let cursor = RoomCursor {
            epoch: event.epoch,
            last_seq: event.seq,
        };
        let entry = rooms
            .entry(event.room_key)
            .or_insert((cursor, event.room.clone()));
        entry.0.last_seq = entry.0.last_seq.max(event.seq);
        entry.1 = event.room;
    }

    /// Everything after `after_seq` is missing: one [`EventKind::Gap`] says so (an empty
    /// page when nothing was missed, or when `epoch` is not this run's).
    fn after(
        &self,
        room_key: &str,
        epoch: u64,
        after_seq: u64,
        limit: usize,
    ) -> Result<Page, StoreError> {
        let rooms = self.rooms.lock().unwrap_or_else(PoisonError::into_inner);
        let Some((cursor, room)) = rooms.get(room_key) else {
            return Ok(Page::default());
        };
        if limit == 0 || cursor.epoch != epoch || cursor.last_seq <= after_seq {
            return Ok(Page::default());
        }
        let gap = StoredEvent {
            room_key: room_key.to_owned(),
            room: room.clone(),
            epoch,
            seq: after_seq + 1,
            time_ms: 0,
            kind: EventKind::Gap {
                through_seq: cursor.last_seq,
            },
            from: None,
            to: None,
            text: None,
            nonce: None,
            sender_key: None,
            frame: String::new(),
        };
        Ok(Page {
            events: vec![gap],
            more: false,
        })
    }

    fn before(
        &self,
        _room_key: &str,
        _before: Option<Position>,
        _limit: usize,
        _not_older_than_ms: Option<i64>,
    ) -> Result<Page, StoreError> {
        Ok(Page::default())
    }

    fn find_nonce(
        &self,
        _sender_key: &str,
        _nonce: &str,
    ) -> Result<Option<StoredEvent>, StoreError> {
        Ok(None)
    }

    fn search(
        &self,
        _words: &str,
        _rooms: &[String],
        _private_party: Option<&str>,
        _limit: usize,
    ) -> Result<Vec<StoredEvent>, StoreError> {
        Ok(Vec::new())
    }

    fn flush(&self) {}

    fn close(&self) {}

    fn stats(&self) -> HistoryStats {
        HistoryStats::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn message(room_key: &str, epoch: u64, seq: u64) -> StoredEvent {
        StoredEvent {
            room_key: room_key.to_owned(),
            room: room_key.to_owned(),
            epoch,
            seq,
            time_ms: 1,
            kind: EventKind::Message,
            from: Some("alice".to_owned()),
            to: None,
            text: Some("hello".to_owned()),
            nonce: None,
            sender_key: Some("alice".to_owned()),
            frame: "{}".to_owned(),
        }
    }

    #[test]
    fn a_room_keeps_its_epoch_and_seq_within_a_run() {
        let store = NoHistory::new();
        let first = store.room_cursor("#a").expect("no error");
        assert_eq!(first.last_seq, 0);
        store.append(message("#a", first.epoch, 1));
        store.append(message("#a", first.epoch, 2));
        let again = store.room_cursor("#a").expect("no error");
        assert_eq!(
            again,
            RoomCursor {
                epoch: first.epoch,
                last_seq: 2
            }
        );
        let other = store.room_cursor("#b").expect("no error");
        assert_ne!(other.epoch, first.epoch);
        assert_ne!(NoHistory::new().room_cursor("#a").ok(), Some(again));
    }

    #[test]
    fn what_was_missed_is_one_gap_and_nothing_is_found() {
        let store = NoHistory::new();
        let cursor = store.room_cursor("#a").expect("no error");
        for seq in 1..=5 {
            store.append(message("#a", cursor.epoch, seq));
        }
        let page = store.after("#a", cursor.epoch, 2, 50).expect("no error");
        assert_eq!(page.events.len(), 1);
        assert_eq!(page.events[0].seq, 3);
        assert_eq!(page.events[0].kind, EventKind::Gap { through_seq: 5 });
        let none = store.after("#a", cursor.epoch, 5, 50).expect("no error");
        assert!(none.events.is_empty());
        let before = store.before("#a", None, 50, None).expect("no error");
        assert!(before.events.is_empty());
        assert!(
            store
                .search("hello", &["#a".to_owned()], None, 10)
                .unwrap_or_default()
                .is_empty()
        );
        assert_eq!(store.find_nonce("alice", "n").ok(), Some(None));
    }
}
