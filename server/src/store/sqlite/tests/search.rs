//! Full-text search: plain words only, newest first, and private messages only for their
//! two parties.

use super::*;
use crate::store::conversation_key;

/// Appends one message with `text` to `room_key`.
fn post(store: &dyn History, room_key: &str, kind: EventKind, text: &str) {
    let cursor = store.room_cursor(room_key).expect("a cursor");
    store.append(event(room_key, cursor, cursor.last_seq + 1, kind, text));
}

/// The texts found for `words` in `rooms` by `party`.
fn found(store: &dyn History, words: &str, rooms: &[&str], party: Option<&str>) -> Vec<String> {
    let rooms: Vec<String> = rooms.iter().map(|room| (*room).to_owned()).collect();
    store
        .search(words, &rooms, party, 20)
        .expect("a search")
        .into_iter()
        .filter_map(|event| event.text)
        .collect()
}

#[test]
fn words_are_found_newest_first_in_the_rooms_asked() {
    let dir = data_dir();
    let store = open(dir.path());
    post(&store, "#dev", EventKind::Message, "the build is red");
    post(&store, "#dev", EventKind::Action, "fixes the build");
    post(&store, "#ops", EventKind::Message, "build server down");
    post(&store, "#dev", EventKind::Joined, "build");
    store.flush();
    assert_eq!(
        found(&store, "BUILD", &["#dev"], None),
        vec!["fixes the build", "the build is red"]
    );
    assert_eq!(
        found(&store, "build red", &["#dev", "#ops"], None),
        vec!["the build is red"]
    );
    assert_eq!(
        found(&store, "build", &["#ops", "#none"], None),
        vec!["build server down"]
    );
    assert!(found(&store, "build", &[], None).is_empty());
}

#[test]
fn syntax_in_the_words_is_only_words() {
    let dir = data_dir();
    let store = open(dir.path());
    post(&store, "#dev", EventKind::Message, "we are near the end");
    post(&store, "#dev", EventKind::Message, "say \"hello\" OR ELSE");
    post(&store, "#dev", EventKind::Message, "a star * here");
    store.flush();
    assert_eq!(
        found(&store, "NEAR", &["#dev"], None),
        vec!["we are near the end"]
    );
    assert_eq!(
        found(&store, "NEAR(end we)", &["#dev"], None),
        vec!["we are near the end"]
    );
    assert_eq!(
        found(&store, "\"hello\"", &["#dev"], None),
        vec!["say \"hello\" OR ELSE"]
    );
    assert_eq!(
        found(&store, "hello OR else", &["#dev"], None),
        vec!["say \"hello\" OR ELSE"]
    );
    assert!(found(&store, "hello OR near", &["#dev"], None).is_empty());
    assert!(found(&store, "he*", &["#dev"], None).is_empty());
    assert!(found(&store, "*", &["#dev"], None).is_empty());
    assert!(found(&store, "\"", &["#dev"], None).is_empty());
    assert!(found(&store, "text:near", &["#dev"], None).is_empty());
    assert!(found(&store, "'; DROP TABLE events; --", &["#dev"], None).is_empty());
    assert!(found(&store, "- ^ + : ( ) { }", &["#dev"], None).is_empty());
    assert_eq!(
        found(&store, "star", &["#dev"], None),
        vec!["a star * here"]
    );
}

#[test]
fn private_messages_are_found_by_their_two_parties_only() {
    let dir = data_dir();
    let store = open(dir.path());
    let pair = conversation_key("bob", "alice");
    post(&store, &pair, EventKind::Private, "secret plan");
    post(&store, "#dev", EventKind::Message, "public plan");
    store.flush();
    assert_eq!(
        found(&store, "plan", &["#dev"], Some("alice")),
        vec!["public plan", "secret plan"]
    );
    assert_eq!(found(&store, "plan", &[], Some("bob")), vec!["secret plan"]);
    assert!(found(&store, "secret", &[], Some("carol")).is_empty());
    assert!(found(&store, "secret", &[pair.as_str()], Some("carol")).is_empty());
    assert!(found(&store, "secret", &[pair.as_str()], None).is_empty());
    assert!(found(&store, "secret", &["#dev"], None).is_empty());
}
