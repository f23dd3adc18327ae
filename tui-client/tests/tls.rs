//! TLS and trust on first use, against a real rustls server (tests/common/tls_server.rs)
//! and the real network task: a new self-signed server is asked about once and
//! remembered; a remembered one is not asked about again; a certificate that changed,
//! at start or on a reconnect, is refused loudly without a question; a certificate an
//! authority signed needs no question; declining saves nothing; TLS against a plain
//! server fails clearly, not by hanging; and a server that presents the trusted
//! certificate without holding its key is refused; and one an authority vouched for
//! cannot switch to a certificate nobody vouches for while the client runs. Bytes TLS
//! holds when the socket is full still go out.

mod common;

use std::cell::RefCell;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use chat_tui::event::NetEvent;
use chat_tui::net::tls::TlsConnect;
use chat_tui::net::{self, NetConfig};
use chat_tui::trust::fingerprint::Fingerprint;
use chat_tui::trust::first_use::{TrustError, establish};
use chat_tui::trust::known_hosts::KnownHosts;
use common::tls_server::{Authority, Identity, TlsServer};
use common::{PATIENCE, join_with, net_config};
use rustls::RootCertStore;

/// No authority at all: every certificate is one the user must decide about.
fn no_roots() -> Arc<RootCertStore> {
    Arc::new(RootCertStore::empty())
}

/// A `known_hosts` path in a fresh folder (kept alive by the returned guard).
fn known_hosts_path() -> (tempfile::TempDir, PathBuf) {
    let folder = tempfile::tempdir().unwrap();
    let path = folder.path().join("chat-tui/known_hosts");
    (folder, path)
}

/// What the question was asked about, each time it was.
type Asked = RefCell<Vec<(String, Fingerprint)>>;

/// Runs the first-use step with `answer` as the user's, recording the questions.
async fn trust(
    address: SocketAddr,
    path: &Path,
    roots: Arc<RootCertStore>,
    answer: bool,
    asked: &Asked,
) -> Result<TlsConnect, TrustError> {
    let mut known_hosts = KnownHosts::load(path).unwrap();
    let ask = |host: &str, fingerprint: &Fingerprint| {
        asked.borrow_mut().push((host.to_owned(), *fingerprint));
        Ok(answer)
    };
    establish(&net_config(address), &mut known_hosts, roots, ask).await
}

/// Network settings for `address` with TLS.
fn tls_config(address: SocketAddr, tls: TlsConnect) -> NetConfig {
    NetConfig {
        tls: Some(tls),
        ..net_config(address)
    }
}

/// Runs the network task until it ends by itself, and returns its error.
async fn refusal(config: NetConfig) -> String {
    let mut handle = net::spawn(config);
    let drained = async { while handle.events.recv().await.is_some() {} };
    tokio::time::timeout(PATIENCE, drained)
        .await
        .expect("the network task ends");
    handle.failure().await.to_string()
}

fn host(address: SocketAddr) -> String {
    format!("127.0.0.1:{}", address.port())
}

#[tokio::test]
async fn a_new_self_signed_server_is_asked_about_once_then_remembered() {
    let identity = Identity::self_signed();
    let server = TlsServer::start(vec![identity.clone()], false).await;
    let (_folder, path) = known_hosts_path();
    let asked = Asked::default();
    let tls = trust(server.address, &path, no_roots(), true, &asked)
        .await
        .unwrap();
    assert_eq!(
        asked.take(),
        vec![(host(server.address), identity.fingerprint())]
    );
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        format!("{} {}\n", host(server.address), identity.fingerprint())
    );
    let client = join_with(tls_config(server.address, tls), "ann").await;
    assert!(common::logged_in(&client));

    // The next start: remembered, so neither asked nor even probed.
    let handshakes = server.handshakes();
    let tls = trust(server.address, &path, no_roots(), false, &asked)
        .await
        .unwrap();
    assert!(asked.borrow().is_empty(), "asked again: {asked:?}");
    assert_eq!(server.handshakes(), handshakes);
    let client = join_with(tls_config(server.address, tls), "bob").await;
    assert!(common::logged_in(&client));
}

#[tokio::test]
async fn declining_saves_nothing_and_says_so() {
    let server = TlsServer::start(vec![Identity::self_signed()], false).await;
    let (_folder, path) = known_hosts_path();
    let asked = Asked::default();
    let error = trust(server.address, &path, no_roots(), false, &asked)
        .await
        .unwrap_err();
    assert_eq!(asked.borrow().len(), 1);
    assert!(matches!(error, TrustError::Declined { .. }), "{error:?}");
    assert!(
        error.to_string().contains("not trusted; nothing was saved"),
        "{error}"
    );
    assert!(!path.exists());
}

#[tokio::test]
async fn a_changed_certificate_is_refused_loudly_without_a_question() {
    let trusted = Identity::self_signed();
    let impostor = Identity::self_signed();
    let server = TlsServer::start(vec![impostor.clone()], false).await;
    let (_folder, path) = known_hosts_path();
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    let line = format!("{} {}", host(server.address), trusted.fingerprint());
    std::fs::write(&path, format!("# mine\n{line}\n")).unwrap();
    let asked = Asked::default();
    let tls = trust(server.address, &path, no_roots(), true, &asked)
        .await
        .unwrap();
    let message = refusal(tls_config(server.address, tls)).await;
    assert!(asked.borrow().is_empty());
    assert!(message.contains("HAS CHANGED"), "{message}");
    assert!(
        message.contains(&format!("trusted:   {}", trusted.fingerprint())),
        "{message}"
    );
    assert!(
        message.contains(&format!("presented: {}", impostor.fingerprint())),
        "{message}"
    );
    assert!(
        message.contains(&format!("remove line 2 of\n  {}\n", path.display())),
        "{message}"
    );
    assert!(message.contains(&line), "{message}");
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        format!("# mine\n{line}\n"),
        "known_hosts is left alone"
    );
}

#[tokio::test]
async fn a_reconnect_must_present_the_accepted_certificate() {
    let accepted = Identity::self_signed();
    let impostor = Identity::self_signed();
    // The first-use probe and the first connection see the accepted certificate; the
    // reconnect after the server drops the client sees another.
    let server = TlsServer::start(vec![accepted.clone(), accepted, impostor.clone()], true).await;
    let (_folder, path) = known_hosts_path();
    let asked = Asked::default();
    let tls = trust(server.address, &path, no_roots(), true, &asked)
        .await
        .unwrap();
    let mut client = common::Client::start(tls_config(server.address, tls));
    client.enter("ann");
    client
        .until_news("a welcome over TLS", |news| {
            matches!(
                news,
                NetEvent::Frame(chat_shared::frame::ServerFrame::Welcome { .. })
            )
        })
        .await;
    let drained = async { while client.net.events.recv().await.is_some() {} };
    tokio::time::timeout(PATIENCE, drained)
        .await
        .expect("the network task ends on the reconnect");
    let message = client.net.failure().await.to_string();
    assert!(message.contains("HAS CHANGED"), "{message}");
    assert!(
        message.contains(&impostor.fingerprint().to_string()),
        "{message}"
    );
    assert_eq!(asked.borrow().len(), 1, "asked only on first use");
}

#[tokio::test]
async fn a_certificate_an_authority_signed_needs_no_question() {
    let authority = Authority::new();
    let server = TlsServer::start(vec![authority.server.clone()], false).await;
    let mut roots = RootCertStore::empty();
    roots.add(authority.root.clone()).unwrap();
    let (_folder, path) = known_hosts_path();
    let asked = Asked::default();
    let tls = trust(server.address, &path, Arc::new(roots), false, &asked)
        .await
        .unwrap();
    assert!(asked.borrow().is_empty());
    assert!(!path.exists(), "nothing to remember");
    let client = join_with(tls_config(server.address, tls), "ann").await;
    assert!(common::logged_in(&client));
}

#[tokio::test]
async fn tls_against_a_plain_server_is_a_clear_error() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move {
        let (mut socket, _) = listener.accept().await.unwrap();
        let banner = b"* Welcome to an older chat-server (0 online).\r\n";
        tokio::io::AsyncWriteExt::write_all(&mut socket, banner)
            .await
            .unwrap();
        tokio::time::sleep(PATIENCE).await;
    });
    let (_folder, path) = known_hosts_path();
    let asked = Asked::default();
    let error = trust(address, &path, no_roots(), true, &asked)
        .await
        .unwrap_err();
    let message = error.to_string();
    assert!(matches!(error, TrustError::Unreachable { .. }), "{error:?}");
    assert!(message.contains("does not speak TLS"), "{message}");
    assert!(asked.borrow().is_empty());
}

#[tokio::test]
async fn a_server_must_hold_the_key_of_the_certificate_it_presents() {
    let trusted = Identity::self_signed();
    let thief = Identity {
        cert: trusted.cert.clone(),
        key: Identity::self_signed().key,
    };
    let server = TlsServer::start(vec![thief], false).await;
    let (_folder, path) = known_hosts_path();
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    let line = format!("{} {}\n", host(server.address), trusted.fingerprint());
    std::fs::write(&path, line).unwrap();
    let asked = Asked::default();
    let tls = trust(server.address, &path, no_roots(), true, &asked)
        .await
        .unwrap();
    let mut handle = net::spawn(tls_config(server.address, tls));
    let reason = tokio::time::timeout(PATIENCE, async {
        loop {
            match handle.events.recv().await {
                Some(NetEvent::Disconnected { reason, .. }) => return reason,
                Some(NetEvent::Connected { .. }) => panic!("connected to a server without the key"),
                Some(_) => {}
                None => panic!("the network task ended"),
            }
        }
    })
    .await
    .expect("the connection fails");
    assert!(reason.contains("TLS"), "{reason}");
    handle.close(PATIENCE).await;
}

#[tokio::test]
async fn a_server_an_authority_vouched_for_cannot_switch_to_an_unknown_certificate() {
    // rcgen gives the authority and the self-signed certificate the same name, so the
    // stranger claims to be issued by the trusted authority, with a signature that does
    // not verify: it is no more vouched for than one of an unknown issuer.
    let authority = Authority::new();
    let stranger = Identity::self_signed();
    let server = TlsServer::start(
        vec![
            authority.server.clone(),
            authority.server.clone(),
            stranger.clone(),
        ],
        true,
    )
    .await;
    let mut roots = RootCertStore::empty();
    roots.add(authority.root.clone()).unwrap();
    let (_folder, path) = known_hosts_path();
    let asked = Asked::default();
    let tls = trust(server.address, &path, Arc::new(roots), true, &asked)
        .await
        .unwrap();
    let mut client = common::Client::start(tls_config(server.address, tls));
    client.enter("ann");
    client
        .until_news("a welcome over TLS", |news| {
            matches!(
                news,
                NetEvent::Frame(chat_shared::frame::ServerFrame::Welcome { .. })
            )
        })
        .await;
    let drained = async { while client.net.events.recv().await.is_some() {} };
    tokio::time::timeout(PATIENCE, drained)
        .await
        .expect("the network task ends on the reconnect");
    let message = client.net.failure().await.to_string();
    assert!(
        message.contains(&stranger.fingerprint().to_string()),
        "{message}"
    );
    assert!(message.contains("start chat-tui again"), "{message}");
    assert!(asked.borrow().is_empty(), "never asked while running");
    assert!(!path.exists());
}

#[tokio::test]
async fn what_tls_holds_when_the_socket_is_full_is_sent_without_more_writes() {
    // The server reads nothing while the client writes far more than small socket
    // buffers hold; whatever rustls took but could not pass on must still go out once
    // the client has nothing more to write.
    let identity = Identity::self_signed();
    let server = TlsServer::start_held(identity).await;
    let (_folder, path) = known_hosts_path();
    let tls = trust(server.address, &path, no_roots(), true, &Asked::default())
        .await
        .unwrap();
    let config = NetConfig {
        socket_buffer_bytes: Some(4096),
        ..tls_config(server.address, tls)
    };
    let mut client = common::Client::start(config);
    client
        .until_news("the server's hello", |news| {
            matches!(news, NetEvent::Connected { .. })
        })
        .await;
    const PINGS: usize = 5000;
    for index in 0..PINGS {
        client.net.command(net::NetCommand::Send(
            chat_shared::frame::ClientFrame::Ping {
                token: format!("burst-{index:05}"),
            },
        ));
    }
    server.release.notify_one();
    let mut pings = server.pings.clone();
    tokio::time::timeout(PATIENCE, pings.wait_for(|count| *count == PINGS))
        .await
        .expect("every ping arrives")
        .unwrap();
}
