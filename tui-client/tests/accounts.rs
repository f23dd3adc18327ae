//! Accounts with the real server: a name registered through the hidden prompt is claimed
//! again with its password after the server restarts on its data directory, and a second
//! client without the password is refused.

mod common;

use std::time::Duration;

use chat_server::Config;
use chat_tui::app::{Connection, Screen};
use common::{Client, join, logged_in, start_server, start_server_on};

#[tokio::test]
async fn a_registered_name_is_claimed_again_with_its_password_after_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let config = Config {
        shutdown_grace: Duration::from_millis(200),
        data_dir: Some(dir.path().to_path_buf()),
        ..Config::default()
    };
    let server = start_server(config.clone());
    let address = server.local_addr();
    let mut alice = join(address, "alice").await;
    alice.enter("/register");
    alice.enter("kept secret");
    alice.enter("kept secret");
    alice
        .until("the registration", |alice| {
            alice.shows("alice is now registered")
        })
        .await;
    assert!(!alice.shows("kept secret"), "{}", alice.screen());

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
    stopping.join().unwrap();
    let server = start_server_on(address.port(), config);
    alice.until("alice to log in again", logged_in).await;
    assert_eq!(alice.app.me(), Some("alice"));

    alice.enter("/quit");
    let mut impostor = Client::connect(server.local_addr());
    impostor.enter("alice");
    impostor
        .until("the refusal", |client| {
            client.app.screen() == Screen::Login && client.screen().contains("is registered")
        })
        .await;
    assert_eq!(
        impostor.app.login_name(),
        "alice",
        "the name stays, and the keys now go to the password field"
    );
    impostor.enter("kept secret");
    impostor.until("the right password", logged_in).await;
}
