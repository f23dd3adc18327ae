//! A long paste into a busy room, over small socket buffers, against the real server
//! with flood control on and a small send queue: the client reads while it sends, so the
//! server never drops it as a slow reader, and every part arrives once, in order.

mod common;

use chat_server::Config;
use chat_shared::text::MAX_MESSAGE_LINES;
use chat_tui::net::NetConfig;
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
