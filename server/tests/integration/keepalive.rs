//! Keepalive: silent structured clients are pinged, and dropped if they stop answering.

use std::time::Duration;

use chat_shared::frame::{ClientFrame, LeaveReason, ServerFrame};

use crate::support::{Plain, Structured, start_server};

#[test]
fn a_client_that_answers_pings_stays_and_one_that_does_not_is_dropped() {
    let server = start_server(|c| {
        c.ping_interval = Duration::from_millis(200);
        c.ping_timeout = Duration::from_secs(2);
    });
    let addr = server.local_addr();
    let (mut lively, _) = Structured::join(addr, "lively");
    let (mut mute, _) = Structured::join(addr, "mute");
    let mut person = Plain::join(addr, "person");

    assert!(matches!(
        mute.expect(|f| matches!(f, ServerFrame::Ping { .. })),
        ServerFrame::Ping { .. }
    ));
    // `mute` never answers; `lively` answers every ping until `mute` is gone.
    loop {
        match lively.next_frame() {
            Some(ServerFrame::Ping { token }) => lively.send(&ClientFrame::Pong { token }),
            Some(ServerFrame::Left { name, reason, .. }) => {
                assert_eq!((name.as_str(), reason), ("mute", LeaveReason::PingTimeout));
                break;
            }
            Some(_) => {}
            None => panic!("the lively client was dropped"),
        }
    }
    mute.0.expect_closed();
    person.expect("-!- mute left (ping timeout)");
    person.say("/who");
    // The plain client was as silent as `mute` but is not pinged, so it is still here.
    assert_eq!(
        person.expect("* In #general"),
        "* In #general (2): lively, person"
    );
}
