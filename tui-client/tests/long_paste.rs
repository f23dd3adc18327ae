//! Long pastes against the real server with flood control on. Into a busy room, over
//! small socket buffers and with a small send queue: the client reads while it sends, so
//! the server never drops it as a slow reader, and every part arrives once, in order.
//! Cut by a lost link, while what was sent before still reaches the server: the rest goes
//! on after the reconnection, and what was in flight at the cut, sent again with the same
//! nonces, is posted once: every part arrives exactly once, and the sender shows each once.

mod common;

use chat_server::Config;
use chat_shared::text::MAX_MESSAGE_LINES;
use chat_tui::app::Connection;
use chat_tui::net::NetConfig;
use common::relay::Relay;
use common::{Client, join, join_with, net_config, start_server};

/// `count` numbered lines of 40 bytes by `who`: a message of 50 of them takes about 2 KB,
/// so the send queue holds the first bursts of both pastes for a client that reads.
fn lines(who: &str, count: usize) -> Vec<String> {
    (0..count)
        .map(|n| format!("{who:5} {n:05} {}", "~".repeat(28)))
        .collect()
}

/// The messages a paste of `lines` is sent as.
fn parts(lines: &[String]) -> Vec<String> {
    lines
        .chunks(MAX_MESSAGE_LINES)
        .map(|part| part.join("\n"))
        .collect()
}

#[tokio::test]
async fn a_long_paste_into_a_busy_room_arrives_whole_and_the_sender_keeps_reading() {
    let server = start_server(Config {
        send_queue_bytes: 16 * 1024,
        socket_buffer_bytes: 4096,
        flood_burst: 3,
        flood_rate: 20.0,
        ..Config::default()
    });
    let address = server.local_addr();
    let small_buffers = NetConfig {
        socket_buffer_bytes: Some(4096),
        ..net_config(address)
    };
    let mut alice = join_with(small_buffers, "alice").await;
    let mut bob = join(address, "bob").await;
    let mut carol = join(address, "carol").await;

    let paste = lines("alice", 2000);
    let flood = lines("bob", 3000);
    let (pasted, flooded) = (parts(&paste), parts(&flood));
    alice.paste_and_enter(&paste.join("\n"));
    bob.paste_and_enter(&flood.join("\n"));
    let everything = |client: &Client| {
        client.messages_from("alice").len() >= pasted.len()
            && client.messages_from("bob").len() >= flooded.len()
    };
    tokio::join!(
        alice.until("alice to see both pastes", everything),
        bob.until("bob to see both pastes", everything),
        carol.until("carol to see both pastes", everything),
    );

    assert!(alice.never_disconnected(), "{:#?}", alice.news);
    assert_eq!(carol.messages_from("alice"), pasted);
    assert_eq!(carol.messages_from("bob"), flooded);
    assert_eq!(alice.messages_from("alice"), pasted);
    server.shutdown();
}

#[tokio::test]
async fn a_paste_cut_by_a_lost_connection_goes_on_and_every_part_is_posted_once() {
    let server = start_server(Config {
        flood_burst: 3,
        flood_rate: 20.0,
        ..Config::default()
    });
    let relay = Relay::start(server.local_addr()).await;
    let mut alice = join(relay.address, "alice").await;
    let mut bob = join(server.local_addr(), "bob").await;
    let paste = lines("alice", 2000);
    let pasted = parts(&paste);
    alice.paste_and_enter(&paste.join("\n"));
    let a_quarter = |client: &Client| client.messages_from("alice").len() >= pasted.len() / 4;
    tokio::join!(
        alice.until("alice's echoes of a quarter of the paste", a_quarter),
        bob.until("a quarter of the paste", a_quarter),
    );

    relay.partition();
    tokio::join!(
        alice.until("alice to notice the cut", |alice| {
            matches!(alice.app.connection(), Connection::Down { .. })
        }),
        // Until the server has let go of the old connection, alice's name is taken.
        bob.until("alice's departure", |bob| {
            !bob.app.online().iter().any(|name| name == "alice")
        }),
    );
    relay.resume();
    let last = pasted.last().unwrap();
    alice
        .until("alice's echo of the last part", |alice| {
            alice.messages_from("alice").last() == Some(last)
        })
        .await;
    // The room's order is the same for all: what alice's sessions posted reaches bob
    // before this line does.
    alice.enter("that was all");
    let the_end = |client: &Client| client.shows("that was all");
    tokio::join!(
        alice.until("alice's last line", the_end),
        bob.until("alice's last line", the_end),
    );

    let mut received = bob.messages_from("alice");
    assert_eq!(received.pop().as_deref(), Some("that was all"));
    assert_eq!(received, pasted, "all, in order, each once");
    let mut shown = alice.messages_from("alice");
    assert_eq!(shown.pop().as_deref(), Some("that was all"));
    assert_eq!(shown, pasted, "the sender shows each part once");
    server.shutdown();
}
