//! Silent connections cannot lock people out: connections that have not chosen a name
//! hold only their share of the server, and the oldest of them makes way for each
//! newcomer. The attack from the issue: with `--max-clients 200`, 512 silent connections
//! from 64 addresses (8 each, the per-address cap), then a real user. Every address is
//! a distinct loopback address (the whole of 127.0.0.0/8 is local on Linux), and none is
//! exempt, as on a real server.

use std::net::{Ipv4Addr, SocketAddr};
use std::time::Duration;

use chat_shared::frame::ServerFrame;
use socket2::{Domain, Socket, Type};

use crate::member::{Event, Member, Speaks};
use crate::support::{Conn, Plain, Structured, start_server};

/// Addresses the attacker holds.
const ADDRESSES: u8 = 64;

/// Connections per address: the per-address cap.
const PER_ADDRESS: usize = 8;

/// Connects from the loopback address `127.0.0.<host>`.
pub fn connect_from(host: u8, server: SocketAddr) -> Conn {
    let socket = Socket::new(Domain::IPV4, Type::STREAM, None).unwrap();
    let source = SocketAddr::from((Ipv4Addr::new(127, 0, 0, host), 0));
    socket.bind(&source.into()).unwrap();
    socket.connect(&server.into()).unwrap();
    Conn::from_stream(socket.into())
}

#[test]
fn silent_connections_make_way_for_a_real_user() {
    let server = start_server(|c| {
        c.max_clients = 200;
        c.max_per_ip = PER_ADDRESS;
        c.exempt = Vec::new();
        c.handshake_timeout = Duration::from_secs(60);
    });
    let addr = server.local_addr();
    let mut watcher = Member::join(addr, "watcher", Speaks::Structured);
    let mut silent = Vec::new();
    for host in 2..2 + ADDRESSES {
        for _ in 0..PER_ADDRESS {
            let mut conn = connect_from(host, addr);
            conn.expect_line(|l| l.starts_with("* Choose") || l.starts_with("ERROR"));
            silent.push(conn);
        }
    }

    let mut plain = Plain(connect_from(200, addr));
    plain
        .0
        .expect_line(|l| l.starts_with("* Choose a username"));
    plain.say("real_person");
    plain.expect("* Welcome, real_person!");
    let mut structured = Structured(connect_from(201, addr));
    structured.send(&chat_shared::frame::ClientFrame::Hello {
        version: chat_shared::PROTOCOL_VERSION,
        client: None,
    });
    structured.expect(|f| matches!(f, ServerFrame::Hello { .. }));
    structured.send(&chat_shared::frame::ClientFrame::Login {
        password: None,
        after: None,
        name: "real_program".into(),
    });
    structured.expect(|f| matches!(f, ServerFrame::Welcome { .. }));

    watcher.expect(|e| matches!(e, Event::Other(joined) if joined.contains("real_person")));
    watcher.expect(|e| matches!(e, Event::Other(joined) if joined.contains("real_program")));
    let mut expected = vec!["real_person", "real_program", "watcher"];
    expected.sort_unstable();
    assert_eq!(watcher.who(), expected);

    let oldest = silent.first_mut().unwrap();
    let goodbye = oldest.expect_closed();
    assert!(
        goodbye
            .iter()
            .any(|line| line.contains("needs room for newcomers")),
        "the oldest silent connection is told why it goes: {goodbye:?}"
    );
}
