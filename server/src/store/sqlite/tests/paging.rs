//! Appending, then reading back in both directions.

use super::*;
use crate::store::Position;

#[test]
fn after_pages_forward_oldest_first() {
    let dir = data_dir();
    let store = open(dir.path());
    let cursor = say(&store, "#dev", 120);
    let first = store.after("#dev", cursor.epoch, 0, 50).expect("a page");
    assert_eq!(seqs(&first), (1..=50).collect::<Vec<_>>());
    assert!(first.more);
    assert_eq!(
        first.events[0].frame,
        "{\"room\":\"#dev\",\"seq\":1,\"text\":\"message 1\"}"
    );
    assert_eq!(first.events[0].room, "#DEV");
    assert_eq!(first.events[0].text.as_deref(), Some("message 1"));
    let last = store.after("#dev", cursor.epoch, 100, 50).expect("a page");
    assert_eq!(seqs(&last), (101..=120).collect::<Vec<_>>());
    assert!(!last.more);
    let exact = store.after("#dev", cursor.epoch, 70, 50).expect("a page");
    assert_eq!(seqs(&exact), (71..=120).collect::<Vec<_>>());
    assert!(!exact.more);
    assert!(
        store
            .after("#dev", cursor.epoch, 120, 50)
            .expect("a page")
            .events
            .is_empty()
    );
}

#[test]
fn after_in_an_unknown_epoch_or_room_is_empty() {
    let dir = data_dir();
    let store = open(dir.path());
    let cursor = say(&store, "#dev", 3);
    assert_eq!(
        store
            .after("#dev", cursor.epoch + 1, 0, 50)
            .expect("a page"),
        Page::default()
    );
    assert_eq!(
        store.after("#none", cursor.epoch, 0, 50).expect("a page"),
        Page::default()
    );
}

#[test]
fn before_pages_backward_and_returns_oldest_first() {
    let dir = data_dir();
    let store = open(dir.path());
    let cursor = say(&store, "#dev", 120);
    let newest = store.before("#dev", None, 50, None).expect("a page");
    assert_eq!(seqs(&newest), (71..=120).collect::<Vec<_>>());
    assert!(newest.more);
    let at = |seq| {
        Some(Position {
            epoch: cursor.epoch,
            seq,
        })
    };
    let older = store.before("#dev", at(71), 50, None).expect("a page");
    assert_eq!(seqs(&older), (21..=70).collect::<Vec<_>>());
    assert!(older.more);
    let oldest = store.before("#dev", at(21), 50, None).expect("a page");
    assert_eq!(seqs(&oldest), (1..=20).collect::<Vec<_>>());
    assert!(!oldest.more);
    assert!(
        store
            .before("#dev", Some(Position { epoch: 1, seq: 5 }), 50, None)
            .expect("a page")
            .events
            .is_empty()
    );
}

#[test]
fn before_stops_at_the_age_asked_for() {
    let dir = data_dir();
    let store = open(dir.path());
    say(&store, "#dev", 100);
    let recent = store
        .before("#dev", None, 50, Some(1_700_000_000_000 + 91))
        .expect("a page");
    assert_eq!(seqs(&recent), (91..=100).collect::<Vec<_>>());
    assert!(!recent.more);
}

#[test]
fn reads_see_events_still_queued_and_rooms_are_apart() {
    let dir = data_dir();
    let store = open(dir.path());
    let dev = say(&store, "#dev", 30);
    let ops = say(&store, "#ops", 5);
    let page = store.after("#dev", dev.epoch, 0, 100).expect("a page");
    assert_eq!(seqs(&page), (1..=30).collect::<Vec<_>>());
    let page = store.after("#ops", ops.epoch, 0, 100).expect("a page");
    assert_eq!(seqs(&page), (1..=5).collect::<Vec<_>>());
    assert_eq!(store.room_cursor("#dev").expect("a cursor").last_seq, 30);
}

#[test]
fn a_room_emptied_and_made_again_continues_its_stream() {
    let dir = data_dir();
    let store = open(dir.path());
    let first = say(&store, "#dev", 3);
    let again = store.room_cursor("#dev").expect("a cursor");
    assert_eq!(
        again,
        RoomCursor {
            epoch: first.epoch,
            last_seq: 3
        }
    );
    let unseen = store.room_cursor("#new").expect("a cursor");
    assert_eq!(unseen.last_seq, 0);
    assert_ne!(unseen.epoch, first.epoch);
    assert_eq!(store.room_cursor("#new").expect("a cursor"), unseen);
}

#[test]
fn a_missing_event_shows_as_a_gap() {
    let dir = data_dir();
    let store = open(dir.path());
    let cursor = store.room_cursor("#dev").expect("a cursor");
    for seq in [1, 2, 5, 6] {
        store.append(event("#dev", cursor, seq, EventKind::Message, "hi"));
    }
    let page = store.after("#dev", cursor.epoch, 0, 50).expect("a page");
    assert_eq!(seqs(&page), vec![1, 2, 3, 5, 6]);
    assert_eq!(page.events[2].kind, EventKind::Gap { through_seq: 4 });
    assert!(page.events[2].frame.is_empty());
}

#[test]
fn a_repeated_position_is_refused_and_counted() {
    let dir = data_dir();
    let store = open(dir.path());
    let cursor = say(&store, "#dev", 2);
    store.append(event("#dev", cursor, 2, EventKind::Message, "again"));
    store.flush();
    let stats = store.stats();
    assert_eq!((stats.appended, stats.committed, stats.dropped), (3, 2, 1));
    let page = store.after("#dev", cursor.epoch, 0, 50).expect("a page");
    assert_eq!(page.events[1].text.as_deref(), Some("message 2"));
}
