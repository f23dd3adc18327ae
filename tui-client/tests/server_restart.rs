//! A restart of the real server is a short break: the client reconnects by itself to the
//! new server on the same port, under the same name, with its history, and sends what
//! was typed meanwhile.

mod common;

use std::time::Duration;

use chat_server::Config;
use chat_tui::app::Connection;
use common::{join, logged_in, start_server, start_server_on};

#[tokio::test]
async fn after_a_server_restart_the_client_is_back_with_its_name_history_and_queue() {
    let config = Config {
        shutdown_grace: Duration::from_millis(200),
        ..Config::default()
    };
    let server = start_server(config.clone());
    let address = server.local_addr();
    let mut alice = join(address, "alice").await;
    let mut bob = join(address, "bob").await;
    bob.enter("said before the restart");
    alice
        .until("bob's message", |alice| {
            alice.shows("said before the restart")
        })
        .await;

    let stopping = std::thread::spawn(move || server.shutdown());
    alice
        .until("the restart notice", |alice| {
            matches!(
                alice.app.connection(),
                Connection::Down {
                    restarting: true,
                    ..
                }
            )
        })
        .await;
    alice.enter("typed while the server was away");
    stopping.join().unwrap();

    let server = start_server_on(address.port(), config);
    let mut carol = join(server.local_addr(), "carol").await;
    alice.until("alice to rejoin", logged_in).await;
    assert_eq!(alice.app.me(), Some("alice"));
    assert!(alice.shows("said before the restart"));
    assert!(alice.shows("Reconnected as alice"));
    carol
        .until("alice's queued line", |carol| {
            carol.shows("typed while the server was away")
        })
        .await;
    server.shutdown();
}
