//! chat-tui's TLS against the real chat-server, which speaks TLS and cleartext on one
//! port: the certificate the server generated into its data directory is the one the
//! user is asked to trust, and once trusted, a TLS user and a cleartext (`nc`-style)
//! user share a room and read each other. A connection the server refuses before it
//! looks for TLS is reported in the server's words, not as a server without TLS.

mod common;

use std::sync::Arc;
use std::time::Duration;

use chat_tui::net::NetConfig;
use chat_tui::trust::fingerprint::Fingerprint;
use chat_tui::trust::first_use::establish;
use chat_tui::trust::known_hosts::KnownHosts;
use common::{PATIENCE, join_with, net_config, start_server};
use rustls::RootCertStore;
use rustls::pki_types::CertificateDer;
use rustls::pki_types::pem::PemObject;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;

/// Reads cleartext lines until one contains `wanted`; panics after [`PATIENCE`].
async fn read_until(lines: &mut BufReader<TcpStream>, wanted: &str) {
    let reading = async {
        let mut line = String::new();
        loop {
            line.clear();
            let read = lines.read_line(&mut line).await.unwrap();
            assert_ne!(read, 0, "the server closed before {wanted:?}");
            if line.contains(wanted) {
                return;
            }
        }
    };
    tokio::time::timeout(PATIENCE, reading)
        .await
        .unwrap_or_else(|_| panic!("no line with {wanted:?}"));
}

#[tokio::test]
async fn the_generated_certificate_is_trusted_once_and_tls_and_cleartext_users_chat() {
    let data = tempfile::tempdir().unwrap();
    let server = start_server(chat_server::Config {
        data_dir: Some(data.path().to_owned()),
        tls_detect_wait: Duration::from_millis(200),
        ..chat_server::Config::default()
    });
    let address = server.local_addr();
    let pem = std::fs::read(data.path().join("tls/cert.pem")).unwrap();
    let generated = Fingerprint::of(&CertificateDer::from_pem_slice(&pem).unwrap());

    let known_hosts_folder = tempfile::tempdir().unwrap();
    let known_hosts_path = known_hosts_folder.path().join("known_hosts");
    let mut known_hosts = KnownHosts::load(&known_hosts_path).unwrap();
    let mut asked = Vec::new();
    let ask = |host: &str, fingerprint: &Fingerprint| {
        asked.push((host.to_owned(), *fingerprint));
        Ok(true)
    };
    let no_roots = Arc::new(RootCertStore::empty());
    let tls = establish(&net_config(address), &mut known_hosts, no_roots, ask)
        .await
        .expect("trusted on first use");
    assert_eq!(
        asked,
        [(format!("127.0.0.1:{}", address.port()), generated)]
    );
    let remembered = std::fs::read_to_string(&known_hosts_path).unwrap();
    assert!(remembered.contains(&generated.to_string()), "{remembered}");

    let tls_config = NetConfig {
        tls: Some(tls),
        ..net_config(address)
    };
    let mut ann = join_with(tls_config, "ann").await;

    let socket = TcpStream::connect(address).await.unwrap();
    let mut bob = BufReader::new(socket);
    read_until(&mut bob, "Choose a username").await;
    bob.get_mut().write_all(b"bob\r\n").await.unwrap();
    read_until(&mut bob, "Welcome, bob!").await;

    bob.get_mut()
        .write_all(b"hello from cleartext\r\n")
        .await
        .unwrap();
    ann.until("bob's message", |ann| ann.shows("hello from cleartext"))
        .await;
    ann.enter("hello from TLS");
    read_until(&mut bob, "<ann> hello from TLS").await;
    server.shutdown();
}

#[tokio::test]
async fn a_refusal_before_tls_is_reported_in_the_servers_words() {
    let data = tempfile::tempdir().unwrap();
    let server = chat_server::Server::start(chat_server::Config {
        port: 0,
        bind: "127.0.0.1".parse().unwrap(),
        data_dir: Some(data.path().to_owned()),
        max_per_ip: 1,
        ..chat_server::Config::default()
    })
    .expect("the server starts");
    let address = server.local_addr();
    let _first = TcpStream::connect(address).await.unwrap();
    let known_hosts_folder = tempfile::tempdir().unwrap();
    let mut known_hosts = KnownHosts::load(&known_hosts_folder.path().join("kh")).unwrap();
    let no_roots = Arc::new(RootCertStore::empty());
    let ask = |_: &str, _: &Fingerprint| panic!("nothing to ask about");
    let refused = establish(&net_config(address), &mut known_hosts, no_roots, ask)
        .await
        .unwrap_err()
        .to_string();
    assert!(
        refused.contains("refused by the server: too many connections from 127.0.0.1"),
        "{refused}"
    );
    server.shutdown();
}
