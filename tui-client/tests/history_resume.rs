//! Resuming after a lost connection, against the real server: the link breaks in the
//! middle of a burst of messages from someone else, and while it is down the user types.
//! Back in the room, the client resumes from the last event it saw (the server's recent
//! events in memory are enough, no database): its buffer has every message of the burst
//! exactly once, in order, and what the user sent around the break (a line whose echo was
//! lost with the link, lines typed while away) is posted once and shown once.

mod common;

use chat_server::Config;
use chat_tui::app::Connection;
use chat_tui::app::scrollback::EntryKind;
use common::relay::Relay;
use common::{Client, join, start_server};

/// How many messages bob sends in his burst.
const BURST: usize = 200;

/// Bob's message number `n`.
fn burst_line(n: usize) -> String {
    format!("burst {n:03}")
}

/// What alice sends: one line just before the break, two while it is down.
const ALICE: [&str; 3] = ["just before the cut", "typed while away", "and another"];

#[tokio::test]
async fn after_a_break_in_a_burst_every_message_is_shown_once_and_own_lines_posted_once() {
    let server = start_server(Config {
        flood_burst: 20,
        flood_rate: 200.0,
        send_queue_bytes: 1 << 20,
        ..Config::default()
    });
    let relay = Relay::start(server.local_addr()).await;
    let mut alice = join(relay.address, "alice").await;
    let mut bob = join(server.local_addr(), "bob").await;
    bob.until("alice in the room", |bob| {
        bob.app.online().iter().any(|name| name == "alice")
    })
    .await;

    for n in 0..BURST {
        bob.enter(&burst_line(n));
    }
    let some_of_the_burst = |client: &Client| client.messages_from("bob").len() >= BURST / 5;
    tokio::join!(
        alice.until("a fifth of the burst", some_of_the_burst),
        bob.until("a fifth of his burst echoed", some_of_the_burst),
    );

    // The server takes alice's line, but its echo is lost with the link.
    relay.deafen();
    alice.enter(ALICE[0]);
    bob.until("alice's line before the break", |bob| bob.shows(ALICE[0]))
        .await;
    relay.partition();
    tokio::join!(
        alice.until("alice to notice the break", |alice| {
            matches!(alice.app.connection(), Connection::Down { .. })
        }),
        // Until the server has let go of the old connection, alice's name is taken.
        bob.until("alice's departure", |bob| {
            !bob.app.online().iter().any(|name| name == "alice")
        }),
    );
    alice.enter(ALICE[1]);
    alice.enter(ALICE[2]);
    bob.until("the whole burst echoed", |bob| {
        bob.messages_from("bob").len() == BURST
    })
    .await;
    assert!(
        alice.messages_from("bob").len() < BURST,
        "the break fell in the middle of the burst"
    );

    relay.resume();
    let everything = |client: &Client| {
        client.messages_from("bob").len() >= BURST
            && client.messages_from("alice").len() >= ALICE.len()
    };
    tokio::join!(
        alice.until("the burst and her own lines", everything),
        bob.until("alice's lines", everything),
    );
    // A line after everything, through the same room: once it is in, nothing else is
    // still on its way to alice.
    bob.enter("the end");
    alice
        .until("bob's last line", |alice| alice.shows("the end"))
        .await;

    let mut burst = alice.messages_from("bob");
    assert_eq!(burst.pop().as_deref(), Some("the end"));
    let expected: Vec<String> = (0..BURST).map(burst_line).collect();
    assert_eq!(burst, expected, "every message, in order, each once");
    assert_eq!(alice.messages_from("alice"), ALICE, "alice shows hers once");
    assert_eq!(bob.messages_from("alice"), ALICE, "posted once");
    let gaps = alice
        .app
        .entries()
        .filter(|entry| matches!(entry.kind, EntryKind::Mark(_)))
        .count();
    assert_eq!(gaps, 0, "nothing was lost, so no gap is marked");
    server.shutdown();
}
