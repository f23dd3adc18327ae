//! Scenario 7, half-open peer: a structured client that answered pings for a while and
//! then went silent without closing (as a peer whose machine vanished) is dropped after
//! the ping timeout. Everyone is told once, as `ping timeout`; a client that keeps
//! answering stays, as does a silent plain client (plain mode is not pinged).

use std::thread;
use std::time::Duration;

use chat_shared::frame::{ClientFrame, LeaveReason, ServerFrame};

use crate::member::{Event, Member, Speaks};
use crate::support::{Structured, start_server};
use crate::usable::assert_still_usable;

/// Pings the fading client answers before it goes silent.
const ANSWERED: usize = 2;

#[test]
fn a_peer_that_stops_answering_pings_is_dropped_and_announced_once() {
    let server = start_server(|c| {
        c.ping_interval = Duration::from_millis(200);
        c.ping_timeout = Duration::from_secs(2);
    });
    let addr = server.local_addr();
    let mut lively = Member::join(addr, "lively", Speaks::Structured);
    let mut person = Member::join(addr, "person", Speaks::Plain);
    let (mut fading, _) = Structured::join(addr, "fading");

    for _ in 0..ANSWERED {
        let ServerFrame::Ping { token } = fading.expect(|f| matches!(f, ServerFrame::Ping { .. }))
        else {
            unreachable!("expect returns a ping");
        };
        fading.send(&ClientFrame::Pong { token });
    }
    // From here on `fading` neither reads nor writes; its socket stays open.

    // `lively` answers every ping (next_event does) and notes departures until told to
    // stop, so that it stays for as long as the test runs.
    let lively = thread::spawn(move || {
        let mut departures = Vec::new();
        loop {
            match lively.next_event() {
                Some(Event::Left { name, reason }) if name == "fading" => {
                    departures.push(Event::Left { name, reason });
                }
                Some(Event::Message { text, .. }) if text == "stop" => return departures,
                Some(_) => {}
                None => panic!("the lively client was dropped"),
            }
        }
    });
    let expected = Event::Left {
        name: "fading".into(),
        reason: LeaveReason::PingTimeout.describe().into(),
    };
    assert_eq!(person.expect(|e| matches!(e, Event::Left { .. })), expected);
    fading.0.expect_closed();
    assert_still_usable(addr, &["lively", "person"]);

    // Exactly once: the next room event the silent plain client got is a message.
    let next = person.expect(|e| !matches!(e, Event::Other(_)));
    assert!(
        matches!(&next, Event::Message { text, .. } if text == "hello from plain"),
        "{next:?}"
    );
    person.sender().say("stop");
    assert_eq!(lively.join().unwrap(), [expected]);
}
