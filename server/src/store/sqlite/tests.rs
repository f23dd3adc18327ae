//! Tests of the SQLite store on real files in temporary directories, one file per
//! subject. Nothing here sleeps or measures time: where the writer works on its own
//! (retention), a test flushes until what it waits for is there, with a bound.

use std::path::Path;

use super::{SqliteHistory, Tuning};
use crate::store::{EventKind, History, Page, Retention, RoomCursor, StoredEvent};

mod faults;
mod paging;
mod restart;
mod retention;
mod search;

/// A temporary data directory.
fn data_dir() -> tempfile::TempDir {
    tempfile::tempdir().expect("a temporary directory")
}

/// The store in `dir`, keeping everything.
fn open(dir: &Path) -> SqliteHistory {
    SqliteHistory::open(dir, Retention::KEEP_ALL).expect("the store opens")
}

/// The store in `dir` with `retention` and a queue that holds any test's burst.
fn open_keeping(dir: &Path, retention: Retention) -> SqliteHistory {
    let tuning = Tuning {
        queue_capacity: 100_000,
        max_bytes: None,
    };
    SqliteHistory::open_with(dir, retention, tuning).expect("the store opens")
}

/// An event of `kind` in `room_key` with `text`, and a frame that names its position.
fn event(room_key: &str, cursor: RoomCursor, seq: u64, kind: EventKind, text: &str) -> StoredEvent {
    StoredEvent {
        room_key: room_key.to_owned(),
        room: room_key.to_uppercase(),
        epoch: cursor.epoch,
        seq,
        time_ms: 1_700_000_000_000 + seq as i64,
        kind,
        from: Some("Alice".to_owned()),
        to: None,
        text: Some(text.to_owned()),
        nonce: None,
        sender_key: Some("alice".to_owned()),
        frame: format!("{{\"room\":\"{room_key}\",\"seq\":{seq},\"text\":\"{text}\"}}"),
    }
}

/// Appends `count` messages to `room_key` after its last one; returns the room's cursor
/// as it was before.
fn say(store: &dyn History, room_key: &str, count: u64) -> RoomCursor {
    let cursor = store.room_cursor(room_key).expect("a cursor");
    for seq in cursor.last_seq + 1..=cursor.last_seq + count {
        store.append(event(
            room_key,
            cursor,
            seq,
            EventKind::Message,
            &format!("message {seq}"),
        ));
    }
    cursor
}

/// The `seq`s of a page, in order.
fn seqs(page: &Page) -> Vec<u64> {
    page.events.iter().map(|event| event.seq).collect()
}

/// Flushes until `done` holds; a bounded number of times, never by the clock.
fn flush_until(store: &dyn History, mut done: impl FnMut() -> bool) {
    for _ in 0..100_000 {
        if done() {
            return;
        }
        store.flush();
    }
    panic!("the writer never got there");
}
