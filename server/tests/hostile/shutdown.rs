//! Scenario 9, graceful shutdown of the real binary with SIGTERM: forty clients of both
//! modes, clients still choosing a name, and one that never reads with a backlog queued
//! for it. Every client that reads gets the shutdown notice before its connection
//! closes, and the process exits with status 0.

use crate::member::{Event, Member, Speaks};
use crate::never_reading::join_and_stop_reading;
use crate::support::Conn;
use crate::support::process::ServerProcess;

/// Joined clients, alternating modes.
const JOINED: usize = 40;

/// Clients still at the name prompt.
const UNDECIDED: usize = 5;

#[test]
fn sigterm_tells_every_reading_client_and_exits_zero_despite_a_sleeper() {
    let mut server = ServerProcess::spawn(&["--shutdown-grace", "2s", "--flood-rate", "0"]);
    let addr = server.addr;
    let sleeper = join_and_stop_reading(addr, "sleeper");
    let mut joined: Vec<Member> = (0..JOINED)
        .map(|i| Member::join(addr, &format!("m{i}"), Speaks::alternating(i)))
        .collect();
    let undecided: Vec<Conn> = (0..UNDECIDED)
        .map(|_| {
            let mut conn = Conn::connect(addr);
            conn.expect_line(|l| l.starts_with("* Choose"));
            conn
        })
        .collect();
    // A backlog for the sleeper, which it will never read.
    let backlog: Vec<String> = (0..20)
        .map(|n| format!("{n} {}", "b".repeat(2000)))
        .collect();
    joined[0].sender().say_all(&backlog);
    let last = backlog.last().unwrap().clone();
    for member in &mut joined[1..] {
        member.expect(|e| matches!(e, Event::Message { text, .. } if *text == last));
    }

    server.terminate();
    for mut member in joined {
        let mut last = None;
        while let Some(event) = member.next_event() {
            last = Some(event);
        }
        assert_eq!(last, Some(Event::Shutdown), "{}'s last event", member.name);
    }
    for mut conn in undecided {
        assert_eq!(
            conn.expect_closed(),
            ["ERROR shutting_down: the server is shutting down"]
        );
    }
    assert!(server.wait_for_exit().success());
    drop(sleeper);
}
