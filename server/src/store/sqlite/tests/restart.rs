//! What survives a restart: graceful, and after a crash.

use rusqlite::Connection;

use super::*;
use crate::store::sqlite::DB_FILE;
use crate::store::{Position, StoreError};

/// Leaves the database as a crash after its last commit would: the clean marker unset.
fn unmark_clean(dir: &Path) {
    let conn = Connection::open(dir.join(DB_FILE)).expect("the file opens");
    conn.execute("UPDATE meta SET value = 0 WHERE key = 'clean'", [])
        .expect("the marker is cleared");
}

#[test]
fn a_graceful_restart_keeps_epochs_and_continues_seq() {
    let dir = data_dir();
    let before = {
        let store = open(dir.path());
        say(&store, "#dev", 10);
        store.room_cursor("#dev").expect("a cursor")
    };
    let store = open(dir.path());
    let after = store.room_cursor("#dev").expect("a cursor");
    assert_eq!(after, before);
    assert_eq!(after.last_seq, 10);
    say(&store, "#dev", 5);
    let page = store.after("#dev", before.epoch, 0, 100).expect("a page");
    assert_eq!(seqs(&page), (1..=15).collect::<Vec<_>>());
}

#[test]
fn dropping_the_store_writes_everything_queued() {
    let dir = data_dir();
    let appended = {
        let store = open_keeping(dir.path(), Retention::KEEP_ALL);
        for room in 0..10 {
            say(&store, &format!("#room{room}"), 2_000);
        }
        store.stats().appended
    };
    assert_eq!(appended, 20_000);
    let store = open(dir.path());
    for room in 0..10 {
        let key = format!("#room{room}");
        let cursor = store.room_cursor(&key).expect("a cursor");
        assert_eq!(cursor.last_seq, 2_000);
        let page = store.after(&key, cursor.epoch, 0, 5_000).expect("a page");
        assert_eq!(seqs(&page), (1..=2_000).collect::<Vec<_>>());
    }
}

#[test]
fn close_then_append_is_counted_as_dropped() {
    let dir = data_dir();
    let store = open(dir.path());
    let cursor = say(&store, "#dev", 1);
    store.close();
    store.append(event("#dev", cursor, 2, EventKind::Message, "late"));
    let stats = store.stats();
    assert_eq!((stats.appended, stats.committed, stats.dropped), (2, 1, 1));
    store.close();
}

#[test]
fn an_unclean_start_gives_every_room_a_new_epoch() {
    let dir = data_dir();
    let (dev, ops) = {
        let store = open(dir.path());
        say(&store, "#dev", 10);
        say(&store, "#ops", 3);
        (
            store.room_cursor("#dev").expect("a cursor"),
            store.room_cursor("#ops").expect("a cursor"),
        )
    };
    unmark_clean(dir.path());
    let store = open(dir.path());
    let dev_now = store.room_cursor("#dev").expect("a cursor");
    let ops_now = store.room_cursor("#ops").expect("a cursor");
    assert_ne!(dev_now.epoch, dev.epoch);
    assert_ne!(ops_now.epoch, ops.epoch);
    assert_eq!(dev_now.last_seq, 10);
    assert_eq!(ops_now.last_seq, 3);
    say(&store, "#dev", 2);
    let old = store.after("#dev", dev.epoch, 8, 100).expect("a page");
    assert_eq!(seqs(&old), vec![9, 10]);
    let new = store.after("#dev", dev_now.epoch, 10, 100).expect("a page");
    assert_eq!(seqs(&new), vec![11, 12]);
    let all = store.before("#dev", None, 100, None).expect("a page");
    assert_eq!(seqs(&all), (1..=12).collect::<Vec<_>>());
    let back = store
        .before(
            "#dev",
            Some(Position {
                epoch: dev_now.epoch,
                seq: 11,
            }),
            3,
            None,
        )
        .expect("a page");
    assert_eq!(seqs(&back), vec![8, 9, 10]);
    assert_eq!(back.events[0].epoch, dev.epoch);
    drop(store);
    let store = open(dir.path());
    assert_eq!(
        store.room_cursor("#dev").expect("a cursor").epoch,
        dev_now.epoch
    );
}

#[test]
fn a_repeated_nonce_is_found_across_a_restart() {
    let dir = data_dir();
    {
        let store = open(dir.path());
        let cursor = store.room_cursor("#dev").expect("a cursor");
        let mut message = event("#dev", cursor, 1, EventKind::Message, "once");
        message.nonce = Some("n-1".to_owned());
        store.append(message.clone());
        let found = store.find_nonce("alice", "n-1").expect("a lookup");
        assert_eq!(found.as_ref().map(|event| event.seq), Some(1));
    }
    let store = open(dir.path());
    let found = store
        .find_nonce("alice", "n-1")
        .expect("a lookup")
        .expect("found");
    assert_eq!(found.text.as_deref(), Some("once"));
    assert_eq!(found.room_key, "#dev");
    assert_eq!(store.find_nonce("bob", "n-1").expect("a lookup"), None);
    assert_eq!(store.find_nonce("alice", "n-2").expect("a lookup"), None);
}

#[test]
fn a_second_store_on_the_same_directory_is_refused() {
    let dir = data_dir();
    let _first = open(dir.path());
    match SqliteHistory::open(dir.path(), Retention::KEEP_ALL) {
        Err(StoreError::InUse { file }) => assert!(file.ends_with("history.lock")),
        other => panic!("expected InUse, got {other:?}"),
    }
}

#[test]
fn the_directory_is_created_if_missing() {
    let dir = data_dir();
    let nested = dir.path().join("a/b/chat-data");
    let store = open(&nested);
    assert!(store.file().ends_with("a/b/chat-data/history.sqlite3"));
    assert!(nested.join(DB_FILE).exists());
}
