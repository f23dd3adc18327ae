//! History over real sockets with the real SQLite store in a temporary directory: replay
//! on join, resume after a reconnect and after a restart, repeated nonces, paging back,
//! search, and what a graceful shutdown keeps.

use std::path::Path;

use chat_server::Server;
use chat_server::store::{History, Retention, SqliteHistory};
use chat_shared::frame::{ClientFrame, EventId, HistoryReason, ServerFrame};

use crate::support::{Plain, Structured, start_server};

/// A server keeping its history in `dir`, without flood control (the tests post fast).
fn server_in(dir: &Path) -> Server {
    start_server(|config| {
        config.data_dir = Some(dir.to_path_buf());
        config.flood_rate = 0.0;
    })
}

fn say_with(client: &mut Structured, text: &str, nonce: Option<&str>) {
    client.send(&ClientFrame::Say {
        text: text.into(),
        nonce: nonce.map(str::to_owned),
        room: None,
    });
}

/// Posts `texts` and waits for the echo of the last one; returns the id of each echo.
fn post_all(client: &mut Structured, texts: &[String]) -> Vec<EventId> {
    for text in texts {
        client.say(text);
    }
    let mut ids = Vec::new();
    while ids.len() < texts.len() {
        if let ServerFrame::Message { epoch, seq, .. } =
            client.expect(|f| matches!(f, ServerFrame::Message { .. }))
        {
            ids.push(EventId { epoch, seq });
        }
    }
    ids
}

fn numbered(prefix: &str, count: usize) -> Vec<String> {
    (1..=count).map(|n| format!("{prefix} {n}")).collect()
}

/// Logs in as `name` with `after`; returns the welcome's history frame.
fn login_after(
    addr: std::net::SocketAddr,
    name: &str,
    after: Option<EventId>,
) -> (Structured, ServerFrame) {
    let mut client = Structured::connect(addr);
    client.send(&ClientFrame::Login {
        password: None,
        name: name.into(),
        after,
    });
    client.expect(|f| matches!(f, ServerFrame::Welcome { .. }));
    let history = client.expect(|f| matches!(f, ServerFrame::History { .. }));
    (client, history)
}

/// The texts of the messages among `events`.
fn texts(events: &[ServerFrame]) -> Vec<String> {
    events
        .iter()
        .filter_map(|event| match event {
            ServerFrame::Message { text, .. } => Some(text.clone()),
            _ => None,
        })
        .collect()
}

fn parts(history: ServerFrame) -> (HistoryReason, Vec<ServerFrame>, bool, bool) {
    match history {
        ServerFrame::History {
            reason,
            events,
            complete,
            more,
            ..
        } => (reason, events, complete, more),
        other => panic!("not history: {other:?}"),
    }
}

#[test]
fn a_newcomer_sees_the_last_fifty_messages_marked_as_history_in_both_modes() {
    let dir = tempfile::tempdir().unwrap();
    let server = server_in(dir.path());
    let (mut alice, _) = Structured::join(server.local_addr(), "alice");
    post_all(&mut alice, &numbered("line", 60));

    let (_bob, history) = login_after(server.local_addr(), "bob", None);
    let (reason, events, _, more) = parts(history);
    assert_eq!(reason, HistoryReason::Join);
    assert_eq!(texts(&events), numbered("line", 60)[10..]);
    assert!(more, "older messages exist");

    let mut carol = Plain::join(server.local_addr(), "carol");
    carol.expect("* History of #general:");
    let first = carol.expect("<alice> line 11");
    assert!(
        first.starts_with('['),
        "a replayed line keeps its time: {first}"
    );
    carol.expect("<alice> line 60");
    carol.expect("* Live from here.");
}

#[test]
fn history_and_ids_survive_a_graceful_restart() {
    let dir = tempfile::tempdir().unwrap();
    let server = server_in(dir.path());
    let (mut alice, _) = Structured::join(server.local_addr(), "alice");
    let before = post_all(&mut alice, &numbered("kept", 3));
    drop(alice);
    server.shutdown();

    let server = server_in(dir.path());
    let (mut bob, history) = login_after(server.local_addr(), "bob", None);
    let (_, events, _, _) = parts(history);
    assert_eq!(texts(&events), numbered("kept", 3));
    let after = post_all(&mut bob, &["new".to_owned()]);
    assert_eq!(
        after[0].epoch, before[0].epoch,
        "a graceful restart keeps the epoch"
    );
    assert!(
        after[0].seq > before[2].seq,
        "ids go on after a restart: {after:?} after {before:?}"
    );
}

#[test]
fn a_client_resumes_after_a_restart_with_nothing_lost_or_repeated() {
    let dir = tempfile::tempdir().unwrap();
    let server = server_in(dir.path());
    let (mut alice, _) = Structured::join(server.local_addr(), "alice");
    let (mut bob, _) = Structured::join(server.local_addr(), "bob");
    post_all(&mut bob, &numbered("seen", 5));
    let last_seen = match alice
        .expect(|f| matches!(f, ServerFrame::Message { text, .. } if text == "seen 5"))
    {
        ServerFrame::Message { epoch, seq, .. } => Some(EventId { epoch, seq }),
        _ => unreachable!(),
    };
    drop(alice);
    post_all(&mut bob, &numbered("missed before the restart", 3));
    drop(bob);
    server.shutdown();

    let server = server_in(dir.path());
    let (mut bob, _) = Structured::join(server.local_addr(), "bob");
    post_all(&mut bob, &numbered("missed after the restart", 2));
    let (_alice, history) = login_after(server.local_addr(), "alice", last_seen);
    let (reason, events, complete, _) = parts(history);
    assert_eq!(reason, HistoryReason::Resume);
    assert!(complete, "the gap is closed");
    let mut wanted = numbered("missed before the restart", 3);
    wanted.extend(numbered("missed after the restart", 2));
    assert_eq!(texts(&events), wanted);
}

#[test]
fn a_repeated_nonce_is_answered_with_the_original_even_after_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let server = server_in(dir.path());
    let (mut alice, _) = Structured::join(server.local_addr(), "alice");
    let (mut bob, _) = Structured::join(server.local_addr(), "bob");
    say_with(&mut alice, "only once", Some("n-1"));
    let original = alice.expect(|f| matches!(f, ServerFrame::Message { .. }));
    say_with(&mut alice, "only once", Some("n-1"));
    let repeat = alice.expect(|f| matches!(f, ServerFrame::Message { .. }));
    assert_eq!(repeat, original, "the repeat is answered with the original");
    bob.say("after");
    bob.expect(|f| matches!(f, ServerFrame::Message { text, .. } if text == "after"));
    drop((alice, bob));
    server.shutdown();

    let server = server_in(dir.path());
    let (mut alice, _) = Structured::join(server.local_addr(), "alice");
    say_with(&mut alice, "only once", Some("n-1"));
    let after_restart = alice.expect(|f| matches!(f, ServerFrame::Message { .. }));
    assert_eq!(after_restart, original, "the store remembers the nonce");
    say_with(&mut alice, "marker", Some("n-2"));
    alice.expect(|f| matches!(f, ServerFrame::Message { text, .. } if text == "marker"));
    let (_dave, history) = login_after(server.local_addr(), "dave", None);
    let (_, events, _, _) = parts(history);
    assert_eq!(texts(&events), ["only once", "after", "marker"]);
}

#[test]
fn a_resume_past_the_cap_says_the_gap_is_not_closed() {
    let dir = tempfile::tempdir().unwrap();
    let server = server_in(dir.path());
    let (mut alice, _) = Structured::join(server.local_addr(), "alice");
    let first = post_all(&mut alice, &["start".to_owned()])[0];
    post_all(&mut alice, &numbered("flood", 1_100));

    let (_bob, history) = login_after(server.local_addr(), "bob", Some(first));
    let (reason, events, complete, _) = parts(history);
    assert_eq!(reason, HistoryReason::Resume);
    assert!(
        !complete,
        "1,100 missed events are more than a resume replays"
    );
    assert!(
        !events.is_empty() && events.len() <= 1_000,
        "{}",
        events.len()
    );
    assert_eq!(
        texts(&events).last().map(String::as_str),
        Some("flood 1100"),
        "the newest are given back, next to what comes live; the gap is the oldest"
    );
}

#[test]
fn paging_back_reaches_the_first_message_once_each() {
    let dir = tempfile::tempdir().unwrap();
    let server = server_in(dir.path());
    let (mut alice, _) = Structured::join(server.local_addr(), "alice");
    let ids = post_all(&mut alice, &numbered("page", 450));
    let mut before = Some(ids[ids.len() - 1]);
    let mut seen = vec![numbered("page", 450)[449].clone()];
    loop {
        alice.send(&ClientFrame::History {
            room: "#general".into(),
            after: None,
            before,
            limit: Some(100),
        });
        let (reason, events, _, more) =
            parts(alice.expect(|f| matches!(f, ServerFrame::History { .. })));
        assert_eq!(reason, HistoryReason::Older);
        let mut page = texts(&events);
        page.extend(seen);
        seen = page;
        before = events.first().map(|first| match first {
            ServerFrame::Message { epoch, seq, .. } | ServerFrame::Joined { epoch, seq, .. } => {
                EventId {
                    epoch: *epoch,
                    seq: *seq,
                }
            }
            other => panic!("unexpected event {other:?}"),
        });
        if !more {
            break;
        }
    }
    assert_eq!(seen, numbered("page", 450));
}

#[test]
fn search_finds_room_messages_and_only_ones_own_private_messages() {
    let dir = tempfile::tempdir().unwrap();
    let server = server_in(dir.path());
    let (mut alice, _) = Structured::join(server.local_addr(), "alice");
    let (mut bob, _) = Structured::join(server.local_addr(), "bob");
    let (mut carol, _) = Structured::join(server.local_addr(), "carol");
    post_all(&mut alice, &["banana bread for everyone".to_owned()]);
    bob.send(&ClientFrame::Msg {
        to: "alice".into(),
        text: "secret banana".into(),
        nonce: None,
    });
    bob.expect(|f| matches!(f, ServerFrame::Private { .. }));
    alice.expect(|f| matches!(f, ServerFrame::Private { .. }));

    let search = |client: &mut Structured| {
        client.send(&ClientFrame::Search {
            words: "BANANA".into(),
            room: None,
        });
        match client.expect(|f| matches!(f, ServerFrame::SearchResults { .. })) {
            ServerFrame::SearchResults { matches, .. } => matches
                .into_iter()
                .map(|found| (found.room, found.with, found.text))
                .collect::<Vec<_>>(),
            _ => unreachable!(),
        }
    };
    let general = (
        Some("#general".to_owned()),
        None,
        "banana bread for everyone".to_owned(),
    );
    assert_eq!(
        search(&mut alice),
        [
            (None, Some("bob".into()), "secret banana".into()),
            general.clone()
        ]
    );
    assert_eq!(
        search(&mut bob)[0],
        (None, Some("alice".into()), "secret banana".into())
    );
    assert_eq!(search(&mut carol), [general]);

    let mut dave = Plain::join(server.local_addr(), "dave");
    dave.say("/search bread");
    dave.expect("* 1 matches for \"bread\":");
    dave.expect("#general <alice> banana bread for everyone");
    dave.say("/join #dev");
    dave.expect("* Now talking in #dev");
    dave.say("banana split in dev");
    dave.say("/search -here banana");
    dave.expect("* 1 matches for \"banana\":");
    dave.expect("#dev <dave> banana split in dev");
}

#[test]
fn a_graceful_shutdown_writes_every_message_the_clients_were_sent() {
    let dir = tempfile::tempdir().unwrap();
    let server = server_in(dir.path());
    let mut talkers: Vec<Structured> = (0..4)
        .map(|n| Structured::join(server.local_addr(), &format!("talker{n}")).0)
        .collect();
    for (n, talker) in talkers.iter_mut().enumerate() {
        for line in numbered(&format!("from {n}"), 500) {
            talker.say(&line);
        }
    }
    // Every talker hears all 2,000 messages: each was posted, so each is the store's.
    for talker in &mut talkers {
        for _ in 0..2_000 {
            talker.expect(|f| matches!(f, ServerFrame::Message { .. }));
        }
    }
    server.shutdown();

    let store = SqliteHistory::open(dir.path(), Retention::KEEP_ALL).unwrap();
    let cursor = store.room_cursor("#general").unwrap();
    let page = store.after("#general", cursor.epoch, 0, 10_000).unwrap();
    let messages = page
        .events
        .iter()
        .filter(|event| event.kind == chat_server::store::EventKind::Message)
        .count();
    assert_eq!(messages, 2_000);
}
