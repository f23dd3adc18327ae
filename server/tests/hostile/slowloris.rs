//! Scenario 2, slowloris: connections that never finish the handshake, whether silent,
//! stopped halfway through a name, or trying refused names over and over, are all closed
//! with `handshake_timeout` once the (shortened) handshake timeout is over. Meanwhile
//! the joined clients talk undisturbed, and afterwards the server holds only them.

use std::io::Write;
use std::time::{Duration, Instant};

use chat_shared::frame::{ClientFrame, encode};

use crate::member::{Event, Member, Speaks};
use crate::support::{Conn, PATIENCE, Structured, eventually, start_server};
use crate::usable::assert_still_usable;

/// Connections of each kind.
const EACH: usize = 5;

/// What a connection closed for its handshake timeout was last told, in either mode.
fn told_timeout(seen: &[String]) -> bool {
    seen.iter()
        .any(|l| l.starts_with("! No name chosen") || l.contains("\"handshake_timeout\""))
}

#[test]
fn connections_that_never_finish_the_handshake_are_closed_and_nobody_notices() {
    let server = start_server(|c| c.handshake_timeout = Duration::from_secs(2));
    let addr = server.local_addr();
    let mut alice = Member::join(addr, "alice", Speaks::Plain);
    let mut bob = Member::join(addr, "bob", Speaks::Structured);

    let silent: Vec<Conn> = (0..EACH).map(|_| Conn::connect(addr)).collect();
    let halfway: Vec<Conn> = (0..EACH)
        .map(|_| {
            let mut conn = Conn::connect(addr);
            conn.send_raw(b"ali");
            conn
        })
        .collect();
    let hello_only: Vec<Structured> = (0..EACH).map(|_| Structured::connect(addr)).collect();
    let mut persistent = Structured::connect(addr);

    // The persistent one keeps trying names that are refused until it is closed (a
    // send may then fail: the server is gone), for at most the test's patience.
    let give_up = Instant::now() + PATIENCE;
    for n in 0.. {
        assert!(Instant::now() < give_up, "still not closed after {n} names");
        let login = encode(&ClientFrame::Login {
            password: None,
            after: None,
            name: format!("bad name {n}"),
        });
        if persistent.0.stream().write_all(&login).is_err() {
            break;
        }
        let answer = persistent.0.next_line();
        let answer = match answer {
            Some(line) if line.contains("\"notice\"") => persistent.0.next_line(),
            other => other,
        };
        match answer {
            Some(line) if line.contains("\"name_rejected\"") => {}
            _ => break,
        }
    }
    persistent.0.expect_closed();
    assert!(told_timeout(&persistent.0.seen), "{:?}", persistent.0.seen);

    alice.sender().say("are we alone?");
    bob.expect(|e| matches!(e, Event::Message { text, .. } if text == "are we alone?"));
    let conns = silent
        .into_iter()
        .chain(halfway)
        .chain(hello_only.into_iter().map(|s| s.0));
    for mut conn in conns {
        conn.expect_closed();
        assert!(told_timeout(&conn.seen), "{:?}", conn.seen);
    }
    assert!(
        eventually(PATIENCE, || server.connections() == 2),
        "connections left: {}",
        server.connections()
    );
    // Nobody joined or left in the meantime: the next event is the next message.
    bob.sender().say("yes");
    let next = alice.expect(|e| !matches!(e, Event::Other(_)));
    assert!(
        matches!(&next, Event::Message { text, .. } if text == "yes"),
        "{next:?}"
    );
    assert_still_usable(addr, &["alice", "bob"]);
}
