//! Retention: per room and by age, in batches, with the index kept in step.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use rusqlite::Connection;

use super::*;
use crate::store::sqlite::DB_FILE;

/// Checks the full-text index against the events, after the store is closed.
fn assert_index_sound(dir: &Path) {
    let conn = Connection::open(dir.join(DB_FILE)).expect("the file opens");
    conn.execute(
        "INSERT INTO events_fts (events_fts) VALUES ('integrity-check')",
        [],
    )
    .expect("the index matches the events");
}

#[test]
fn each_room_keeps_its_newest_events() {
    let dir = data_dir();
    let retention = Retention {
        max_age: None,
        max_per_room: Some(1_000),
    };
    {
        let store = open_keeping(dir.path(), retention);
        let big = say(&store, "#big", 3_500);
        say(&store, "#small", 10);
        flush_until(&store, || {
            store
                .before("#big", None, 2_000, None)
                .expect("a page")
                .events
                .len()
                == 1_000
        });
        let page = store.before("#big", None, 2_000, None).expect("a page");
        assert_eq!(seqs(&page), (2_501..=3_500).collect::<Vec<_>>());
        assert_eq!(store.room_cursor("#big").expect("a cursor").last_seq, 3_500);
        let small = store.before("#small", None, 100, None).expect("a page");
        assert_eq!(small.events.len(), 10);
        assert!(found_nothing(&store, "#big", "message 2500"));
        let resumed = store.after("#big", big.epoch, 2_000, 10).expect("a page");
        assert_eq!(
            resumed.events[0].kind,
            EventKind::Gap { through_seq: 2_500 }
        );
        assert_eq!(resumed.events[1].seq, 2_501);
    }
    assert_index_sound(dir.path());
    let store = open_keeping(dir.path(), retention);
    say(&store, "#big", 10);
    flush_until(&store, || {
        store
            .before("#big", None, 2_000, None)
            .expect("a page")
            .events
            .len()
            == 1_000
    });
}

/// Whether searching `room_key` for the words of `text` finds that exact text.
fn found_nothing(store: &dyn History, room_key: &str, text: &str) -> bool {
    !store
        .search(text, &[room_key.to_owned()], None, 10)
        .expect("a search")
        .iter()
        .any(|event| event.text.as_deref() == Some(text))
}

#[test]
fn events_older_than_the_limit_go() {
    let dir = data_dir();
    let now_ms = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |since| since.as_millis() as i64);
    let day_ms = 24 * 3_600_000;
    {
        let store = open_keeping(dir.path(), Retention::KEEP_ALL);
        let cursor = store.room_cursor("#dev").expect("a cursor");
        for seq in 1..=2_500 {
            let mut old = event("#dev", cursor, seq, EventKind::Message, "old");
            old.time_ms = now_ms - 10 * day_ms + seq as i64;
            store.append(old);
        }
        for seq in 2_501..=2_510 {
            let mut new = event("#dev", cursor, seq, EventKind::Message, "new");
            new.time_ms = now_ms;
            store.append(new);
        }
    }
    let retention = Retention {
        max_age: Some(Duration::from_secs(86_400)),
        max_per_room: None,
    };
    {
        let store = open_keeping(dir.path(), retention);
        flush_until(&store, || {
            store
                .before("#dev", None, 5_000, None)
                .expect("a page")
                .events
                .len()
                == 10
        });
        let kept = store.before("#dev", None, 5_000, None).expect("a page");
        assert_eq!(seqs(&kept), (2_501..=2_510).collect::<Vec<_>>());
        assert!(
            store
                .search("old", &["#dev".to_owned()], None, 10)
                .expect("a search")
                .is_empty()
        );
        assert_eq!(
            store
                .search("new", &["#dev".to_owned()], None, 100)
                .expect("a search")
                .len(),
            10
        );
    }
    assert_index_sound(dir.path());
}
