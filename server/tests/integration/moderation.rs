//! Moderation over real sockets, with the real SQLite store where bans are kept: a
//! banned address is refused at the door in one line, before any session, and the ban
//! outlives a restart; commands from anyone but an operator are refused.

use std::net::{Ipv4Addr, SocketAddr, TcpStream};
use std::path::Path;

use chat_server::Server;
use chat_server::moderation::store::BanStore;
use chat_server::moderation::{Ban, Target};
use chat_server::store::DB_FILE;
use chat_shared::frame::{ClientFrame, ErrorCode, ServerFrame};
use socket2::{Domain, Socket, Type};

use crate::support::{Conn, Plain, Structured, start_server};

/// A server keeping its history and bans in `dir`, whose operator is `root_op`.
fn server_in(dir: &Path) -> Server {
    start_server(|config| {
        config.data_dir = Some(dir.to_path_buf());
        config.operators = vec!["root_op".to_owned()];
    })
}

/// A connection to `server` from the loopback address `from` (any of 127.0.0.0/8 reaches
/// the loopback interface on Linux, so tests can play several hosts).
fn connect_from(from: Ipv4Addr, server: SocketAddr) -> Conn {
    let socket = Socket::new(Domain::IPV4, Type::STREAM, None).unwrap();
    socket.bind(&SocketAddr::from((from, 0)).into()).unwrap();
    socket.connect(&server.into()).unwrap();
    Conn::from_stream(TcpStream::from(socket))
}

/// Writes `bans` into the store of `dir`, as an operator's `/ban` would have.
fn ban_in_store(dir: &Path, bans: &[(&str, Option<i64>)]) {
    let store = BanStore::open(&dir.join(DB_FILE)).unwrap();
    for &(target, until_ms) in bans {
        store
            .save(&Ban {
                target: Target::parse(target).unwrap(),
                by: "root_op".into(),
                reason: Some("abuse".into()),
                since_ms: 1_000,
                until_ms,
            })
            .unwrap();
    }
}

#[test]
fn a_banned_address_is_refused_at_connect_in_one_line_and_the_ban_outlives_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    server_in(dir.path()).shutdown();
    ban_in_store(
        dir.path(),
        &[("127.0.0.2", None), ("127.0.0.3", Some(2_000))],
    );
    let server = server_in(dir.path());
    let addr = server.local_addr();

    let mut banned = connect_from(Ipv4Addr::new(127, 0, 0, 2), addr);
    let lines = banned.expect_closed();
    assert_eq!(
        lines,
        ["ERROR banned: 127.0.0.2 is banned for ever (by root_op: abuse)"],
        "one line, then the connection closes, before any session"
    );

    let mut expired = connect_from(Ipv4Addr::new(127, 0, 0, 3), addr);
    expired.expect_line(|line| line.starts_with("* Choose a username"));
    Plain::join(addr, "alice");
}

#[test]
fn operator_commands_from_anyone_else_are_refused_in_both_modes() {
    let dir = tempfile::tempdir().unwrap();
    let server = server_in(dir.path());
    let addr = server.local_addr();
    let mut carol = Plain::join(addr, "carol");
    let mut impostor = Plain::join(addr, "root_op");
    impostor.say("/kick carol");
    assert!(
        impostor
            .expect_error()
            .starts_with("! Only operators may do that")
    );
    let (mut bob, _) = Structured::join(addr, "bob");
    bob.send(&ClientFrame::Ban {
        target: "127.0.0.1".into(),
        duration_s: None,
        reason: None,
    });
    bob.expect(|frame| {
        matches!(
            frame,
            ServerFrame::Error {
                code: ErrorCode::NotOperator,
                ..
            }
        )
    });
    carol.say("still here");
    bob.expect(|frame| matches!(frame, ServerFrame::Message { text, .. } if text == "still here"));
}
