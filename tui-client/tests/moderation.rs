//! The client against the real server when it is banned: a refusal at connect stops the
//! reconnecting, with the reason on the name form, until the user asks again.

mod common;

use chat_server::Config;
use chat_server::moderation::store::BanStore;
use chat_server::moderation::{Ban, Target};
use chat_server::store::DB_FILE;
use chat_tui::app::{Connection, Screen};
use chat_tui::event::NetEvent;
use common::{Client, start_server};

#[tokio::test]
async fn a_banned_address_is_not_retried_by_itself_and_the_user_is_told_why() {
    let dir = tempfile::tempdir().unwrap();
    let with_history = || Config {
        data_dir: Some(dir.path().to_path_buf()),
        ..Config::default()
    };
    start_server(with_history()).shutdown();
    BanStore::open(&dir.path().join(DB_FILE))
        .unwrap()
        .save(&Ban {
            target: Target::parse("127.0.0.1").unwrap(),
            by: "root_op".into(),
            reason: Some("abuse".into()),
            since_ms: 0,
            until_ms: None,
        })
        .unwrap();
    let server = start_server(with_history());

    let mut client = Client::connect(server.local_addr());
    client
        .until_news("the refusal", |news| {
            matches!(news, NetEvent::Removed { .. })
        })
        .await;
    assert!(
        !client
            .news
            .iter()
            .any(|news| matches!(news, NetEvent::Disconnected { .. })),
        "a ban is never reported as a break to retry: {:#?}",
        client.news
    );
    client
        .until("the state", |client| {
            matches!(client.app.connection(), Connection::Removed { .. })
        })
        .await;
    assert_eq!(client.app.screen(), Screen::Login);
    let screen = client.screen();
    assert!(screen.contains("is banned for ever"), "{screen}");
    assert!(screen.contains("Not trying again by itself"), "{screen}");

    client.ctrl('r');
    client
        .until_news("a try on the user's word", |news| {
            matches!(news, NetEvent::Connecting { .. })
        })
        .await;
    client
        .until_news("the same refusal", |news| {
            matches!(news, NetEvent::Removed { .. })
        })
        .await;
    server.shutdown();
}
