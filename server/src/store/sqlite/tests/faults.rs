//! Bad files and failing disks: clear errors at startup, and a running store that keeps
//! the chat going and marks what it lost.

use std::fs;
use std::os::unix::fs::PermissionsExt;

use rusqlite::Connection;

use super::*;
use crate::store::StoreError;
use crate::store::sqlite::DB_FILE;

/// The error opening `dir` gives.
fn open_error(dir: &Path) -> StoreError {
    match SqliteHistory::open(dir, Retention::KEEP_ALL) {
        Ok(store) => panic!("expected an error, the store opened: {store:?}"),
        Err(err) => err,
    }
}

#[test]
fn a_file_of_garbage_is_refused_by_name_and_left_alone() {
    let dir = data_dir();
    let file = dir.path().join(DB_FILE);
    let garbage: Vec<u8> = (0..65_536u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect();
    fs::write(&file, &garbage).expect("the garbage is written");
    let err = open_error(dir.path());
    assert!(matches!(err, StoreError::NotADatabase { .. }), "{err:?}");
    let message = err.to_string();
    assert!(message.contains(&file.display().to_string()), "{message}");
    assert!(message.contains("not a database"), "{message}");
    assert_eq!(fs::read(&file).expect("the file is read"), garbage);
}

#[test]
fn a_database_damaged_inside_is_refused_by_name() {
    let dir = data_dir();
    drop(open(dir.path()));
    let file = dir.path().join(DB_FILE);
    let mut bytes = fs::read(&file).expect("the file is read");
    for byte in bytes.iter_mut().skip(100).take(3_900) {
        *byte = 0xA5;
    }
    fs::write(&file, &bytes).expect("the damage is written");
    let err = open_error(dir.path());
    assert!(
        matches!(
            err,
            StoreError::Corrupt { .. } | StoreError::NotADatabase { .. }
        ),
        "{err:?}"
    );
    assert!(err.to_string().contains(&file.display().to_string()));
}

#[test]
fn another_programs_database_is_refused() {
    let dir = data_dir();
    let conn = Connection::open(dir.path().join(DB_FILE)).expect("the file opens");
    conn.execute_batch("CREATE TABLE notes (text TEXT)")
        .expect("a table");
    drop(conn);
    assert!(matches!(open_error(dir.path()), StoreError::Foreign { .. }));
}

#[test]
fn a_newer_format_is_refused() {
    let dir = data_dir();
    drop(open(dir.path()));
    let conn = Connection::open(dir.path().join(DB_FILE)).expect("the file opens");
    conn.execute_batch("PRAGMA user_version = 99")
        .expect("a version");
    drop(conn);
    match open_error(dir.path()) {
        StoreError::TooNew {
            found: 99,
            supported: 1,
            ..
        } => {}
        other => panic!("expected TooNew, got {other:?}"),
    }
}

/// Runs `test` as an unprivileged user in this thread only: root may write anywhere, and
/// these tests are about what a server that is not root meets. The switch is a raw system
/// call, which changes the calling thread alone (the C library's wrapper would change
/// every thread of the test runner); the thread switches back before it returns.
fn as_unprivileged(test: impl FnOnce()) {
    // SAFETY: geteuid has no preconditions.
    if unsafe { libc::geteuid() } != 0 {
        test();
        return;
    }
    let nobody: libc::uid_t = 65_534;
    let keep = libc::uid_t::MAX;
    // SAFETY: setresuid takes three ids by value; -1 keeps the real and saved ids (root),
    // so that the thread can switch back.
    let switched = unsafe { libc::syscall(libc::SYS_setresuid, keep, nobody, keep) };
    assert_eq!(switched, 0, "cannot switch to an unprivileged user");
    let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(test));
    // SAFETY: as above; the saved id is root, so this is allowed.
    let back = unsafe { libc::syscall(libc::SYS_setresuid, keep, 0 as libc::uid_t, keep) };
    assert_eq!(back, 0, "cannot switch back to root");
    if let Err(panic) = outcome {
        std::panic::resume_unwind(panic);
    }
}

#[test]
fn a_read_only_directory_is_refused_by_name() {
    let dir = data_dir();
    fs::set_permissions(dir.path(), fs::Permissions::from_mode(0o755)).expect("permissions");
    let data = dir.path().join("chat-data");
    fs::create_dir(&data).expect("the data directory");
    fs::set_permissions(&data, fs::Permissions::from_mode(0o555)).expect("permissions");
    as_unprivileged(|| {
        let err = open_error(&data);
        assert!(matches!(err, StoreError::Lock { .. }), "{err:?}");
        let message = err.to_string();
        assert!(message.contains(&data.display().to_string()), "{message}");
        assert!(message.contains("ermission denied"), "{message}");
    });
}

#[test]
fn a_read_only_database_file_is_refused_by_name() {
    let dir = data_dir();
    fs::set_permissions(dir.path(), fs::Permissions::from_mode(0o777)).expect("permissions");
    drop(open(dir.path()));
    let file = dir.path().join(DB_FILE);
    fs::set_permissions(&file, fs::Permissions::from_mode(0o444)).expect("permissions");
    let lock = dir.path().join(super::super::LOCK_FILE);
    fs::set_permissions(&lock, fs::Permissions::from_mode(0o666)).expect("permissions");
    as_unprivileged(|| {
        let err = open_error(dir.path());
        assert!(matches!(err, StoreError::Unwritable { .. }), "{err:?}");
        assert!(err.to_string().contains(&file.display().to_string()));
    });
}

/// A store whose database may not grow past a few pages beyond what it holds, and a
/// second connection that can fill and free that room, as another program filling the
/// disk would.
fn nearly_full(dir: &Path) -> (SqliteHistory, Connection) {
    drop(open(dir));
    let filler = Connection::open(dir.join(DB_FILE)).expect("the file opens");
    filler
        .busy_timeout(std::time::Duration::from_secs(30))
        .expect("a timeout");
    let bytes = fs::metadata(dir.join(DB_FILE))
        .expect("the file's size")
        .len();
    let tuning = Tuning {
        queue_capacity: 100_000,
        max_bytes: Some(bytes + 2 * 1_048_576),
    };
    let store =
        SqliteHistory::open_with(dir, Retention::KEEP_ALL, tuning).expect("the store opens");
    filler
        .execute_batch(
            "CREATE TABLE filler (b BLOB); INSERT INTO filler VALUES (zeroblob(2097152));",
        )
        .expect("the filler");
    (store, filler)
}

/// Appends messages of 1 KiB one by one to `room_key` until one is dropped; returns
/// the last `seq` appended.
fn say_until_dropped(store: &SqliteHistory, room_key: &str) -> u64 {
    let cursor = store.room_cursor(room_key).expect("a cursor");
    let text = "x".repeat(1_024);
    for seq in 1..=10_000 {
        store.append(event(room_key, cursor, seq, EventKind::Message, &text));
        store.flush();
        if store.stats().dropped > 0 {
            return seq;
        }
    }
    panic!("the disk never filled");
}

#[test]
fn a_full_disk_drops_counts_and_marks_the_gap_and_chat_goes_on() {
    let dir = data_dir();
    let (store, filler) = nearly_full(dir.path());
    let cursor = store.room_cursor("#dev").expect("a cursor");
    let full_at = say_until_dropped(&store, "#dev");
    let text = "y".repeat(1_024);
    for seq in full_at + 1..=full_at + 20 {
        store.append(event("#dev", cursor, seq, EventKind::Message, &text));
    }
    store.flush();
    let during = store.stats();
    assert!(during.dropped >= 21, "{during:?}");
    filler
        .execute_batch("DROP TABLE filler")
        .expect("room is made");
    let last = full_at + 30;
    for seq in full_at + 21..=last {
        store.append(event("#dev", cursor, seq, EventKind::Message, "after"));
    }
    store.flush();
    let stats = store.stats();
    assert_eq!(stats.appended, last);
    assert_eq!(stats.committed + stats.dropped, stats.appended);
    assert_eq!(stats.committed, last - during.dropped);
    let page = store
        .after("#dev", cursor.epoch, 0, 100_000)
        .expect("a page");
    let mut next = 1;
    let mut gaps = 0;
    for event in &page.events {
        assert_eq!(
            event.seq, next,
            "no seq is skipped: stored, or inside a gap"
        );
        next = match event.kind {
            EventKind::Gap { through_seq } => {
                gaps += through_seq - event.seq + 1;
                through_seq + 1
            }
            _ => event.seq + 1,
        };
    }
    assert_eq!(next, last + 1);
    assert_eq!(gaps, during.dropped);
    drop(store);
    let store = open(dir.path());
    assert_eq!(
        store.room_cursor("#dev").expect("a cursor").epoch,
        cursor.epoch
    );
}

#[test]
fn a_disk_still_full_at_shutdown_gives_new_epochs_at_the_next_start() {
    let dir = data_dir();
    let (store, _filler) = nearly_full(dir.path());
    let cursor = store.room_cursor("#dev").expect("a cursor");
    let full_at = say_until_dropped(&store, "#dev");
    let mut seq = full_at;
    let mut dropped_in_a_row = 0;
    while dropped_in_a_row < 100 {
        seq += 1;
        let before = store.stats().dropped;
        let mut tiny = event("#dev", cursor, seq, EventKind::Joined, "");
        tiny.from = None;
        tiny.sender_key = None;
        tiny.text = None;
        tiny.frame = String::new();
        store.append(tiny);
        store.flush();
        dropped_in_a_row = if store.stats().dropped > before {
            dropped_in_a_row + 1
        } else {
            0
        };
        assert!(seq < full_at + 100_000, "the disk never filled up");
    }
    drop(store);
    let store = open(dir.path());
    let now = store.room_cursor("#dev").expect("a cursor");
    assert_ne!(now.epoch, cursor.epoch);
    assert!(now.last_seq < seq);
}
