//! Moderation over real sockets, with the real SQLite store where accounts and bans are
//! kept: an operator (a registered account, logged in with its password) kicks, bans
//! and mutes, and plain and structured members see it; a banned address is refused at
//! the door in one line, before any session, until the ban ends; bans outlive a
//! restart; commands from anyone but an operator are refused.

use std::net::{Ipv4Addr, SocketAddr, TcpStream};
use std::path::Path;

use chat_server::Server;
use chat_server::moderation::store::BanStore;
use chat_server::moderation::{Ban, Target};
use chat_server::store::DB_FILE;
use chat_shared::frame::{ClientFrame, ErrorCode, LeaveReason, ServerFrame};
use socket2::{Domain, Socket, Type};

use crate::support::{Conn, PATIENCE, Plain, Structured, eventually, start_server};

/// The operator's password.
const PASSWORD: &str = "correct horse battery staple";

/// `root_op`, in plain mode from 127.0.0.1, having registered its account (which proves
/// it, as logging in with the password does).
fn operator(addr: SocketAddr) -> Plain {
    let mut op = Plain::join(addr, "root_op");
    op.say(&format!("/register {PASSWORD}"));
    op.expect("is now registered");
    op
}

/// `root_op` logging in to its registered account with its password, in structured mode.
fn operator_again(addr: SocketAddr) -> Structured {
    let mut op = Structured::connect(addr);
    op.send(&ClientFrame::Login {
        name: "root_op".into(),
        after: None,
        password: Some(PASSWORD.into()),
    });
    op.expect(|frame| matches!(frame, ServerFrame::Welcome { .. }));
    op
}

/// A plain member called `name`, connected from the loopback address `from`.
fn member_from(from: Ipv4Addr, addr: SocketAddr, name: &str) -> Plain {
    let mut conn = connect_from(from, addr);
    conn.expect_line(|line| line.starts_with("* Choose a username"));
    conn.send_line(name);
    conn.expect_line(|line| line.starts_with("* Welcome,"));
    Plain(conn)
}

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

#[test]
fn a_kick_and_a_ban_reach_the_user_and_every_member_in_both_modes() {
    let dir = tempfile::tempdir().unwrap();
    let server = server_in(dir.path());
    let addr = server.local_addr();
    let mut op = operator(addr);
    let mut alice = Plain::join(addr, "alice");
    let (mut bob, _) = Structured::join(addr, "bob");
    let mut carol = Plain::join(addr, "carol");
    let (mut mallory, _) = Structured::join(addr, "mallory");

    op.say("/kick carol flooding the room");
    op.expect("* You kicked carol.");
    let goodbye = carol.0.expect_closed();
    assert!(
        goodbye.contains(&"! You were kicked by root_op: flooding the room".to_owned()),
        "{goodbye:?}"
    );
    alice.expect("-!- carol was kicked by root_op (flooding the room)");
    bob.expect(|frame| {
        matches!(frame, ServerFrame::Left { name, reason: LeaveReason::Kicked, by: Some(by), message: Some(why), .. }
            if name == "carol" && by == "root_op" && why == "flooding the room")
    });
    Plain::join(addr, "carol");

    op.say("/ban mallory 1h spam");
    op.expect("* Banned mallory for 1h; 1 disconnected.");
    let error = mallory.expect(|frame| matches!(frame, ServerFrame::Error { .. }));
    assert!(
        matches!(&error, ServerFrame::Error { code: ErrorCode::Banned, message }
            if message.starts_with("You are banned: mallory is banned for")),
        "{error:?}"
    );
    assert!(mallory.next_frame().is_none(), "the connection closes");
    alice.expect("-!- mallory was banned by root_op (spam)");
    bob.expect(|frame| {
        matches!(frame, ServerFrame::Left { name, reason: LeaveReason::Banned, by: Some(by), .. }
            if name == "mallory" && by == "root_op")
    });
    let mut again = Structured::connect(addr);
    again.send(&ClientFrame::Login {
        name: "MaIlory".into(),
        after: None,
        password: None,
    });
    again.expect(|frame| {
        matches!(
            frame,
            ServerFrame::NameRejected {
                code: ErrorCode::Banned,
                ..
            }
        )
    });
}

#[test]
fn a_banned_address_is_refused_at_connect_until_the_ban_runs_out() {
    let dir = tempfile::tempdir().unwrap();
    let server = server_in(dir.path());
    let addr = server.local_addr();
    let mut op = operator(addr);
    let mut alice = Plain::join(addr, "alice");
    let mut eve = member_from(Ipv4Addr::new(127, 0, 0, 2), addr, "eve");

    op.say("/ban 127.0.0.1");
    assert!(
        op.expect_error().contains("operators cannot be"),
        "own address"
    );
    op.say("/ban 127.0.0.0/8");
    assert!(
        op.expect_error().contains("operators cannot be"),
        "covers the operator"
    );

    op.say("/ban 127.0.0.2 2s go away");
    op.expect("* Banned 127.0.0.2 for 2s; 1 disconnected.");
    let goodbye = eve.0.expect_closed();
    assert!(
        goodbye
            .iter()
            .any(|line| line.starts_with("! You are banned: 127.0.0.2 is banned")),
        "{goodbye:?}"
    );
    alice.expect("-!- eve was banned by root_op (go away)");

    let refused = connect_from(Ipv4Addr::new(127, 0, 0, 2), addr).expect_closed();
    assert_eq!(refused.len(), 1, "{refused:?}");
    assert!(
        refused[0].starts_with("ERROR banned: 127.0.0.2 is banned for ")
            && refused[0].ends_with("(by root_op: go away)"),
        "{refused:?}"
    );
    let mut others = connect_from(Ipv4Addr::new(127, 0, 0, 3), addr);
    others.expect_line(|line| line.starts_with("* Choose a username"));

    let admitted = eventually(PATIENCE, || {
        let mut conn = connect_from(Ipv4Addr::new(127, 0, 0, 2), addr);
        conn.next_line()
            .is_some_and(|line| line.starts_with("* Welcome"))
    });
    assert!(admitted, "the ban never ran out");
}

#[test]
fn bans_outlive_a_restart_and_are_lifted_by_an_operator_logging_in_again() {
    let dir = tempfile::tempdir().unwrap();
    let server = server_in(dir.path());
    let addr = server.local_addr();
    let mut op = operator(addr);
    op.say("/ban 127.0.0.2 for ever and ever");
    op.expect("* Banned 127.0.0.2 for ever; 0 disconnected.");
    op.say("/ban 2001:db8::/48");
    op.expect("* Banned 2001:db8::/48 for ever; 0 disconnected.");
    server.shutdown();

    let server = server_in(dir.path());
    let addr = server.local_addr();
    let refused = connect_from(Ipv4Addr::new(127, 0, 0, 2), addr).expect_closed();
    assert_eq!(
        refused,
        ["ERROR banned: 127.0.0.2 is banned for ever (by root_op: for ever and ever)"]
    );
    let mut op = operator_again(addr);
    op.send(&ClientFrame::Bans);
    let listed = op.expect(|frame| matches!(frame, ServerFrame::BanList { .. }));
    let ServerFrame::BanList { bans } = listed else {
        unreachable!()
    };
    let targets: Vec<&str> = bans.iter().map(|ban| ban.target.as_str()).collect();
    assert_eq!(targets, ["127.0.0.2", "2001:db8::/48"]);
    op.send(&ClientFrame::Unban {
        target: "127.0.0.2/32".into(),
    });
    op.expect(|frame| matches!(frame, ServerFrame::Notice { text } if text == "Lifted the ban on 127.0.0.2."));
    member_from(Ipv4Addr::new(127, 0, 0, 2), addr, "eve");
}

#[test]
fn a_muted_member_cannot_speak_until_the_mute_runs_out() {
    let dir = tempfile::tempdir().unwrap();
    let server = server_in(dir.path());
    let addr = server.local_addr();
    let mut op = operator(addr);
    let mut bob = Plain::join(addr, "bob");
    let (mut carol, _) = Structured::join(addr, "carol");

    op.say("/mute carol 1s calm down");
    op.expect("* You muted carol for 1s.");
    bob.expect("-!- carol was muted by root_op for 1s (calm down)");
    carol.expect(|frame| {
        matches!(frame, ServerFrame::Mute { name, by, until_ms: Some(_), reason: Some(why), .. }
            if name == "carol" && by == "root_op" && why == "calm down")
    });
    carol.expect(|frame| {
        matches!(frame, ServerFrame::Notice { text } if text.starts_with("You are muted for 1s by root_op"))
    });
    let muted = |frame: &ServerFrame| matches!(frame, ServerFrame::Error { code: ErrorCode::Muted, message } if message.starts_with("You are muted for "));
    carol.say("can you hear me?");
    assert!(muted(&carol.expect(|_| true)));
    carol.send(&ClientFrame::Msg {
        to: "bob".into(),
        text: "psst".into(),
        nonce: None,
    });
    assert!(muted(&carol.expect(|_| true)));

    let spoke = eventually(PATIENCE, || {
        carol.say("and now?");
        let answer = carol.expect(|frame| {
            matches!(
                frame,
                ServerFrame::Error { .. } | ServerFrame::Message { .. }
            )
        });
        matches!(answer, ServerFrame::Message { .. })
    });
    assert!(spoke, "the mute never ran out");
    bob.expect("<carol> and now?");
}
