//! Scenario 8, max clients: with the server full of members, every connection over the
//! cap, in either mode, gets one polite `server_full` line and is closed; the others keep
//! talking and never hear of them; and once a place is free, a newcomer gets it. (A
//! server full of connections that have not chosen a name makes room instead: see
//! `silent_share`.)

use std::io::Write;

use chat_shared::frame::{ClientFrame, encode, parse_refusal};

use crate::member::{Event, Member, Speaks};
use crate::support::{Conn, PATIENCE, eventually, start_server};
use crate::usable::assert_still_usable;

/// The cap in this test.
const MAX: usize = 4;

/// Connections attempted over the cap.
const REFUSED: usize = 12;

#[test]
fn connections_over_the_cap_are_refused_politely_and_the_others_carry_on() {
    let server = start_server(|c| c.max_clients = MAX);
    let addr = server.local_addr();
    let alice = Member::join(addr, "alice", Speaks::Plain);
    let mut bob = Member::join(addr, "bob", Speaks::Structured);
    let mut others: Vec<Member> = (0..MAX - 2)
        .map(|n| Member::join(addr, &format!("other{n}"), Speaks::Plain))
        .collect();

    for n in 0..REFUSED {
        let mut over = Conn::connect(addr);
        if n % 2 == 1 {
            // A structured client says hello at once; the refusal comes first anyway.
            let hello = encode(&ClientFrame::Hello {
                version: chat_shared::PROTOCOL_VERSION,
                client: None,
            });
            let _ = (&mut over.stream()).write_all(&hello);
        }
        let lines = over.expect_closed();
        assert_eq!(
            lines,
            [format!(
                "ERROR server_full: the server is full ({MAX} connections); try again later"
            )]
        );
        assert_eq!(
            parse_refusal(&lines[0]).map(|(code, _)| code),
            Some("server_full")
        );
        alice.sender().say(&format!("still talking {n}"));
        let next = bob.expect(|e| !matches!(e, Event::Other(_)));
        assert!(
            matches!(&next, Event::Message { text, .. } if *text == format!("still talking {n}")),
            "{next:?}"
        );
    }

    // A place frees up: the next newcomer is let in.
    drop(others.pop());
    assert!(
        eventually(PATIENCE, || server.connections() < MAX),
        "the closed connection's place was not freed"
    );
    let carol = Member::join(addr, "carol", Speaks::Structured);
    bob.expect(|e| matches!(e, Event::Other(joined) if joined.contains("carol")));
    drop(others);
    assert!(eventually(PATIENCE, || server.connections() == 3));
    drop(carol);
    assert!(eventually(PATIENCE, || server.connections() == 2));
    assert_still_usable(addr, &["alice", "bob"]);
}
