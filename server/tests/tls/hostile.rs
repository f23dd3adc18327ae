//! Hostile TLS: a broken ClientHello, a handshake that stalls, and a TLS client that
//! never reads. Each is closed or dropped; everyone else goes on.

use std::io::{ErrorKind, Read, Write};
use std::net::TcpStream;
use std::time::Duration;

use crate::support::stuck_reader::{outpace_the_stuck_member, tiny_window};
use crate::support::tls::TlsServer;
use crate::support::{Conn, PATIENCE, Plain, Structured};

/// Reads `stream` until the server closes it; returns what arrived. Fails the test if
/// it stays open for [`PATIENCE`].
fn read_until_closed(stream: &mut TcpStream) -> Vec<u8> {
    stream.set_read_timeout(Some(PATIENCE)).unwrap();
    let mut received = Vec::new();
    let mut buf = [0u8; 4096];
    loop {
        match stream.read(&mut buf) {
            Ok(0) => return received,
            Ok(read) => received.extend_from_slice(&buf[..read]),
            Err(e) if e.kind() == ErrorKind::Interrupted => {}
            Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {
                panic!("still open after {PATIENCE:?}; received {received:?}")
            }
            Err(_) => return received,
        }
    }
}

/// A TLS record header for a handshake message of `len` bytes.
fn handshake_record(len: u16) -> Vec<u8> {
    let mut record = vec![0x16, 0x03, 0x01];
    record.extend_from_slice(&len.to_be_bytes());
    record
}

#[test]
fn a_broken_client_hello_is_closed_and_nobody_else_notices() {
    let server = TlsServer::start(|_| {});
    let (mut alice, _) = Structured::login(Structured::over(server.connect()), "alice");
    let mut nc = Plain::join_typing_first(server.addr(), "carol");

    for garbage in [
        [handshake_record(16), vec![0xff; 16]].concat(),
        [handshake_record(4), vec![0x01, 0x00, 0x00, 0x00]].concat(),
        [vec![0x16], b"GET / HTTP/1.1\r\n\r\n".to_vec()].concat(),
    ] {
        let mut broken = TcpStream::connect(server.addr()).unwrap();
        broken.write_all(&garbage).unwrap();
        let received = read_until_closed(&mut broken);
        assert!(
            received.is_empty() || received[0] == 0x15,
            "only a TLS alert may come back: {received:?}"
        );
    }

    alice.say("still here");
    nc.expect("<alice> still here");
    nc.say("me too");
    alice.expect(
        |f| matches!(f, chat_shared::frame::ServerFrame::Message { text, .. } if text == "me too"),
    );
}

#[test]
fn a_stalled_handshake_is_dropped_by_the_handshake_timeout() {
    let server = TlsServer::start(|c| c.handshake_timeout = Duration::from_secs(1));
    let mut stalled = TcpStream::connect(server.addr()).unwrap();
    stalled.write_all(&handshake_record(512)).unwrap();
    stalled.write_all(&[0x01, 0x00]).unwrap();
    let received = read_until_closed(&mut stalled);
    assert!(
        !String::from_utf8_lossy(&received).contains("Welcome"),
        "cleartext reached a TLS client: {received:?}"
    );
    let mut person = Plain::greeted(server.connect());
    person.say("alice");
    person.expect("* Type a message");
}

#[test]
fn a_tls_client_that_never_reads_is_dropped_and_the_others_receive_everything() {
    let server = TlsServer::start(|c| {
        c.flood_rate = 0.0;
        c.send_queue_bytes = 128 * 1024;
    });
    let stuck = Conn::tls_over(tiny_window(server.addr()), &server.client);
    let mut stuck = Plain::greeted(stuck);
    stuck.say("stuck");
    stuck.expect("* Type a message");
    // From here on, `stuck` never reads again.

    // The others speak cleartext, the quickest to read, so that only `stuck` falls
    // behind.
    outpace_the_stuck_member(
        Plain::join_typing_first(server.addr(), "sender"),
        Plain::join_typing_first(server.addr(), "reader"),
    );
    drop(stuck);
}

#[test]
fn a_tls_client_that_never_chooses_a_name_is_told_inside_tls_and_closed() {
    let server = TlsServer::start(|c| c.handshake_timeout = Duration::from_secs(1));
    let mut silent = server.connect();
    let rest = silent.expect_closed();
    assert!(
        rest.iter().any(|l| l.starts_with("! No name chosen")),
        "{rest:?}"
    );
    assert!(silent.tls_closed_cleanly(), "closed without close_notify");
}
