//! The client's state and network task against the real `chat-server`, in process, over
//! loopback: joining, a taken name, chatting, a paste over the limit of lines, losing the
//! connection and coming back (to every room the user was in), refusals, and keepalive. (A restart of the server is in
//! `server_restart.rs`.)

mod common;

use std::time::Duration;

use chat_server::Config;
use chat_tui::app::buffer::Membership;
use chat_tui::app::scrollback::EntryKind;
use chat_tui::app::{Connection, Screen};
use chat_tui::event::NetEvent;
use common::relay::Relay;
use common::{Client, join, logged_in, start_server};

#[tokio::test]
async fn a_taken_name_is_refused_then_two_people_chat() {
    let server = start_server(Config::default());
    let mut alice = join(server.local_addr(), "alice").await;

    let mut bob = Client::connect(server.local_addr());
    bob.enter("ALICE");
    bob.until("the refusal", |bob| {
        bob.app.screen() == Screen::Login && bob.screen().contains("is taken")
    })
    .await;
    bob.clear_line();
    bob.enter("bob");
    bob.until("bob to join", logged_in).await;
    assert_eq!(bob.app.online(), ["alice", "bob"]);
    alice
        .until("alice to see bob", |alice| {
            alice.app.online() == ["alice", "bob"]
        })
        .await;

    bob.enter("hello alice 👋");
    alice
        .until("bob's message", |alice| alice.shows("hello alice 👋"))
        .await;
    bob.until("bob's own echo", |bob| bob.shows("own: true"))
        .await;
    let screen = alice.screen();
    assert!(screen.contains("<bob> hello alice"), "{screen}");
    assert!(screen.contains("Members (2)"), "{screen}");
    server.shutdown();
}

#[tokio::test]
async fn a_paste_over_the_line_limit_arrives_whole_as_several_messages() {
    let server = start_server(Config::default());
    let mut alice = join(server.local_addr(), "alice").await;
    let mut bob = join(server.local_addr(), "bob").await;
    let lines: Vec<String> = (0..120).map(|n| format!("line {n}")).collect();
    alice.paste_and_enter(&lines.join("\n"));
    bob.until("the paste's last line", |bob| bob.shows("line 119"))
        .await;
    let received = bob.messages_from("alice");
    let parts: Vec<String> = lines.chunks(50).map(|part| part.join("\n")).collect();
    assert_eq!(received, parts);
    alice
        .until("alice's own echoes", |alice| alice.shows("line 119"))
        .await;
    assert!(
        !alice
            .app
            .entries()
            .any(|entry| matches!(entry.kind, EntryKind::Error(_))),
        "{}",
        alice.screen()
    );
    server.shutdown();
}

#[tokio::test]
async fn after_a_lost_connection_the_client_rejoins_and_sends_what_was_typed() {
    let server = start_server(Config::default());
    let relay = Relay::start(server.local_addr()).await;
    let mut bob = join(server.local_addr(), "bob").await;
    let mut alice = join(relay.address, "alice").await;
    bob.until("bob to see alice", |bob| bob.app.online().len() == 2)
        .await;

    relay.cut();
    alice
        .until("alice to notice", |alice| {
            matches!(alice.app.connection(), Connection::Down { .. })
        })
        .await;
    alice.enter("typed while away");
    assert!(alice.screen().contains("queued <alice> typed while away"));
    bob.until("alice's departure", |bob| bob.app.online() == ["bob"])
        .await;

    relay.resume();
    alice.until("alice to rejoin", logged_in).await;
    assert_eq!(alice.app.me(), Some("alice"));
    bob.until("the queued message", |bob| bob.shows("typed while away"))
        .await;
    assert!(alice.shows("Reconnected as alice"));
    server.shutdown();
}

/// Whether the client shows a room it is in, called `room`.
fn in_room(client: &Client, room: &str) -> bool {
    let shown = client.app.buffers().current();
    shown.name() == room
        && shown
            .as_room()
            .is_some_and(|room| room.membership == Membership::In)
}

#[tokio::test]
async fn after_a_lost_connection_the_client_joins_its_rooms_again() {
    let server = start_server(Config::default());
    let relay = Relay::start(server.local_addr()).await;
    let mut bob = join(server.local_addr(), "bob").await;
    let mut alice = join(relay.address, "alice").await;
    for client in [&mut alice, &mut bob] {
        client.enter("/join #dev");
        client.until("#dev", |client| in_room(client, "#dev")).await;
    }
    bob.until("alice in #dev", |bob| bob.app.online() == ["alice", "bob"])
        .await;

    relay.cut();
    alice
        .until("alice to notice", |alice| {
            matches!(alice.app.connection(), Connection::Down { .. })
        })
        .await;
    alice.enter("typed in #dev while away");
    bob.until("alice's departure", |bob| bob.app.online() == ["bob"])
        .await;

    relay.resume();
    alice
        .until("alice back in #dev", |alice| {
            logged_in(alice) && in_room(alice, "#dev")
        })
        .await;
    bob.until("the message typed away, in #dev", |bob| {
        bob.shows("typed in #dev while away")
    })
    .await;
    let names: Vec<&str> = alice.app.buffers().iter().map(|b| b.name()).collect();
    assert_eq!(names, ["server", "#general", "#dev"]);
    server.shutdown();
}

#[tokio::test]
async fn a_name_taken_while_away_brings_back_the_form_and_keeps_the_queue() {
    let server = start_server(Config::default());
    let relay = Relay::start(server.local_addr()).await;
    let mut alice = join(relay.address, "alice").await;
    let mut bob = join(server.local_addr(), "bob").await;

    relay.cut();
    alice.enter("still mine?");
    bob.until("alice's departure", |bob| bob.app.online() == ["bob"])
        .await;
    bob.enter("/nick alice");
    bob.until("bob's rename", |bob| bob.app.me() == Some("alice"))
        .await;

    relay.resume();
    alice
        .until("the name form", |alice| alice.app.screen() == Screen::Login)
        .await;
    assert!(
        alice.screen().contains("While you were away"),
        "{}",
        alice.screen()
    );
    alice.enter("2");
    alice.until("alice2 to join", logged_in).await;
    assert_eq!(alice.app.me(), Some("alice2"));
    bob.until("the queued message", |bob| bob.shows("still mine?"))
        .await;
    server.shutdown();
}

#[tokio::test]
async fn an_unreachable_server_is_explained_and_retried() {
    let free = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let address = free.local_addr().unwrap();
    drop(free);
    let mut client = Client::connect(address);
    client
        .until("a failed attempt", |client| {
            matches!(client.app.connection(), Connection::Down { .. })
        })
        .await;
    let screen = client.screen();
    assert!(
        screen.contains("cannot connect: connection refused"),
        "{screen}"
    );
    assert!(screen.contains(&address.to_string()), "{screen}");
    client
        .until_news(
            "another attempt",
            |news| matches!(news, NetEvent::Connecting { attempt } if *attempt >= 2),
        )
        .await;
}

#[tokio::test]
async fn a_full_server_refusal_is_shown_and_retried() {
    let server = start_server(Config {
        max_clients: 1,
        ..Config::default()
    });
    let _alice = join(server.local_addr(), "alice").await;
    let mut bob = Client::connect(server.local_addr());
    bob.until("the refusal", |bob| {
        matches!(bob.app.connection(), Connection::Down { reason, .. } if reason.contains("full"))
    })
    .await;
    assert!(
        bob.screen().contains("refused by the server"),
        "{}",
        bob.screen()
    );
    server.shutdown();
}

#[tokio::test]
async fn pings_are_answered_so_an_idle_client_stays_connected() {
    let server = start_server(Config {
        ping_interval: Duration::from_millis(100),
        ping_timeout: Duration::from_secs(3),
        ..Config::default()
    });
    let mut alice = join(server.local_addr(), "alice").await;
    let mut bob = join(server.local_addr(), "bob").await;
    for round in 0..3 {
        alice
            .until_news(&format!("ping {round}"), |news| {
                matches!(
                    news,
                    NetEvent::Frame(chat_shared::frame::ServerFrame::Ping { .. })
                )
            })
            .await;
    }
    bob.enter("still there?");
    alice
        .until("a message after several pings", |alice| {
            alice.shows("still there?")
        })
        .await;
    assert!(logged_in(&alice));
    assert!(alice.never_disconnected(), "{:#?}", alice.news);
    server.shutdown();
}

#[tokio::test]
async fn quitting_is_announced_to_the_others() {
    let server = start_server(Config::default());
    let mut alice = join(server.local_addr(), "alice").await;
    let mut bob = join(server.local_addr(), "bob").await;
    alice.enter("/quit see you");
    assert!(alice.quit);
    bob.until("alice's quit", |bob| bob.shows("see you")).await;
    assert_eq!(bob.app.online(), ["bob"]);
    server.shutdown();
}

#[tokio::test]
async fn the_real_server_answers_the_clients_pings() {
    let server = start_server(Config::default());
    let mut config = common::net_config(server.local_addr());
    config.quiet_before_ping = Duration::from_millis(50);
    config.ping_timeout = Duration::from_secs(5);
    let mut alice = Client::start(config);
    alice.enter("alice");
    alice.until("alice to join", logged_in).await;
    for round in 0..3 {
        alice
            .until_news(&format!("pong {round}"), |news| {
                matches!(
                    news,
                    NetEvent::Frame(chat_shared::frame::ServerFrame::Pong { .. })
                )
            })
            .await;
    }
    assert!(logged_in(&alice));
    assert!(alice.never_disconnected(), "{:#?}", alice.news);
    server.shutdown();
}
