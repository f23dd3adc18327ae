//! Scenario 3, oversized input against the real binary: a mebibyte without a newline on
//! each of many connections, and a long stream of maximum-length lines. The endless lines
//! are refused and their connections closed as documented, the maximum-length lines are
//! relayed whole, the others are served throughout, and the server's resident memory
//! does not grow with the input (its peak, `VmHWM`, stays within a bound well below it).

use std::io::Write;
use std::sync::mpsc;
use std::thread;

use crate::member::{Event, Member, Speaks};
use crate::support::process::ServerProcess;
use crate::support::{Conn, PATIENCE, Plain};

/// Connections that each send a mebibyte without a newline.
const ENDLESS: usize = 32;

/// The longest line the server accepts (its default).
const MAX_LINE: usize = 8192;

/// Maximum-length lines streamed through the room.
const LINES: usize = 4000;

/// Lines the streamer sends before it waits for the readers to catch up.
const ROUND: usize = 8;

/// How much the server's peak memory may exceed its resident memory before the test,
/// in KiB: a quarter of each test's input.
const BOUND_KIB: u64 = 8 * 1024;

/// The binary with flood control off, so that the stream goes as fast as it can.
fn spawn() -> ServerProcess {
    ServerProcess::spawn(&["--flood-rate", "0", "--max-line-bytes", "8192"])
}

/// How much the peak resident memory rose above `before` (a `VmRSS` reading), in KiB.
fn growth_kib(server: &ServerProcess, before: u64) -> u64 {
    server.memory_kib("VmHWM").saturating_sub(before)
}

#[test]
fn a_mebibyte_without_newline_on_many_connections_is_cut_off_unbuffered() {
    let server = spawn();
    let addr = server.addr;
    let mut alice = Member::join(addr, "alice", Speaks::Plain);
    let mut bob = Member::join(addr, "bob", Speaks::Structured);
    let before = server.memory_kib("VmRSS");

    let endless: Vec<Conn> = (0..ENDLESS).map(|_| Conn::connect(addr)).collect();
    let writers: Vec<_> = endless
        .iter()
        .map(|conn| {
            let mut stream = conn.stream().try_clone().unwrap();
            thread::spawn(move || {
                let chunk = vec![b'a'; 64 * 1024];
                // The server closes the connection long before the mebibyte is through.
                for _ in 0..16 {
                    if stream.write_all(&chunk).is_err() {
                        break;
                    }
                }
            })
        })
        .collect();
    alice.sender().say("still here");
    bob.expect(|e| matches!(e, Event::Message { text, .. } if text == "still here"));
    for mut conn in endless {
        conn.expect_closed();
        assert!(
            conn.seen
                .iter()
                .any(|l| l == "! That line never ends; closing."),
            "{:?}",
            conn.seen
        );
    }
    for writer in writers {
        writer.join().unwrap();
    }
    let growth = growth_kib(&server, before);
    assert!(
        growth < BOUND_KIB,
        "peak memory grew by {growth} KiB for {ENDLESS} MiB of input"
    );
    bob.sender().say("and still");
    alice.expect(|e| matches!(e, Event::Message { text, .. } if text == "and still"));
}

#[test]
fn a_long_stream_of_maximum_length_lines_is_relayed_in_bounded_memory() {
    let server = spawn();
    let addr = server.addr;
    let plain = Member::join(addr, "plain_reader", Speaks::Plain);
    let structured = Member::join(addr, "json_reader", Speaks::Structured);
    let streamer = Member::join(addr, "streamer", Speaks::Plain);
    let before = server.memory_kib("VmRSS");

    // The streamer sends a round, then waits for both readers to have it all, so that
    // the readers are never so far behind that they would count as slow.
    let (acks, acked) = mpsc::channel();
    let readers: Vec<_> = [plain, structured]
        .into_iter()
        .map(|mut reader| {
            let acks = acks.clone();
            thread::spawn(move || {
                for n in 0..LINES {
                    match reader.expect(|e| matches!(e, Event::Message { .. })) {
                        Event::Message { text, .. } => {
                            assert_eq!(text.len(), MAX_LINE);
                            assert!(text.starts_with(&format!("{n}x")), "line {n}");
                        }
                        _ => unreachable!("expect returns a message"),
                    }
                    if (n + 1) % ROUND == 0 {
                        acks.send(()).unwrap();
                    }
                }
                reader
            })
        })
        .collect();
    let mut sender = streamer.sender();
    for round in 0..LINES / ROUND {
        let lines: Vec<String> = (round * ROUND..(round + 1) * ROUND)
            .map(|n| {
                let digits = format!("{n}x");
                digits.clone() + &"x".repeat(MAX_LINE - digits.len())
            })
            .collect();
        sender.say_all(&lines);
        for _ in 0..readers.len() {
            acked.recv_timeout(PATIENCE).expect("both readers keep up");
        }
    }
    let mut readers = readers.into_iter().map(|r| r.join().unwrap());
    let (_plain, mut structured) = (readers.next().unwrap(), readers.next().unwrap());
    let growth = growth_kib(&server, before);
    assert!(
        growth < BOUND_KIB,
        "peak memory grew by {growth} KiB for {} MiB of input",
        (LINES * MAX_LINE) >> 20
    );

    // One byte more than the maximum is refused; the third such line closes.
    let mut over = Plain::join(addr, "over");
    for _ in 0..3 {
        over.say(&"y".repeat(MAX_LINE + 1));
    }
    let rest = over.0.expect_closed();
    assert_eq!(
        rest.iter()
            .filter(|l| l.starts_with("! Line longer than 8192"))
            .count(),
        2,
        "{rest:?}"
    );
    assert!(rest.contains(&"! Too many over-long lines; closing.".to_owned()));
    structured.expect(|e| matches!(e, Event::Left { name, .. } if name == "over"));
}
