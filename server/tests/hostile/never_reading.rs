//! Scenario 1, a client that never reads: while four others (two per mode) exchange
//! thousands of messages, each of them receives every message meant for it, in order;
//! the stuck client is disconnected once its bounded send queue is full; everyone else
//! is told so exactly once; and the server serves newcomers afterwards.

use std::net::SocketAddr;
use std::thread;

use socket2::{Domain, Socket, Type};

use crate::member::{Event, Member, Speaks};
use crate::support::{Conn, start_server};
use crate::usable::assert_still_usable;

/// Talkers, alternating modes.
const TALKERS: usize = 4;

/// Messages each talker sends per round before it waits for everyone else's round, so
/// that the well-behaved clients never fall behind by more than their queues hold.
const ROUND: usize = 20;

/// Messages each talker sends at least; it goes on until it sees the stuck client
/// dropped, since the kernel buffers up to a few MiB before the server's queue fills.
const AT_LEAST: usize = 500;

/// Messages each talker sends at most: a server that never drops the stuck client fails.
const AT_MOST: usize = 20_000;

/// A plain connection with a tiny receive buffer that joins as `name` and then never
/// reads again.
pub fn join_and_stop_reading(addr: SocketAddr, name: &str) -> Conn {
    let socket = Socket::new(Domain::IPV4, Type::STREAM, None).unwrap();
    socket.set_recv_buffer_size(4096).unwrap();
    socket.connect(&addr.into()).unwrap();
    let mut conn = Conn::from_stream(socket.into());
    conn.expect_line(|l| l.starts_with("* Choose"));
    conn.send_line(name);
    conn.expect_line(|l| l.starts_with("* Type a message"));
    conn
}

#[test]
fn a_client_that_never_reads_is_dropped_while_the_others_exchange_everything() {
    let server = start_server(|c| {
        c.flood_rate = 0.0;
        c.send_queue_bytes = 32 * 1024;
    });
    let addr = server.local_addr();
    let stuck = join_and_stop_reading(addr, "stuck");
    let names: Vec<String> = (0..TALKERS).map(|i| format!("talker{i}")).collect();
    let talkers: Vec<Member> = names
        .iter()
        .enumerate()
        .map(|(i, name)| Member::join(addr, name, Speaks::alternating(i)))
        .collect();
    let handles: Vec<_> = talkers
        .into_iter()
        .map(|talker| thread::spawn(move || talk_until_stuck_is_dropped(talker)))
        .collect();
    let mut talkers: Vec<Member> = handles.into_iter().map(|h| h.join().unwrap()).collect();

    // Exactly once: the next event after the notice is a later message.
    talkers[0].sender().say("after");
    for talker in &mut talkers[1..] {
        let next = talker.expect(|e| !matches!(e, Event::Other(_)));
        assert!(
            matches!(&next, Event::Message { text, .. } if text == "after"),
            "{}: {next:?}",
            talker.name
        );
    }
    drop(stuck);
    let online: Vec<&str> = names.iter().map(String::as_str).collect();
    assert_still_usable(addr, &online);
}

/// Sends rounds of `NAME N` messages until the stuck client is seen leaving, then
/// `NAME done N`; reads until every talker's `done` arrived, checking that each one's
/// messages all came, in order, and that the stuck client left once, for reading too
/// slowly.
fn talk_until_stuck_is_dropped(mut talker: Member) -> Member {
    let me = names_index(&talker.name);
    let mut sender = talker.sender();
    let padding = "p".repeat(1000);
    let (mut sent, mut finished, mut stuck_left) = (0, false, false);
    let mut received = [0usize; TALKERS];
    let mut done: [Option<usize>; TALKERS] = [None; TALKERS];
    let mut departures = Vec::new();
    let echoed = talker.speaks == Speaks::Structured;
    while done.iter().any(Option::is_none) {
        if !finished && stuck_left && sent >= AT_LEAST {
            sender.say(&format!("{} done {sent}", talker.name));
            finished = true;
            if !echoed {
                done[me] = Some(sent);
            }
        } else if !finished {
            assert!(sent < AT_MOST, "the stuck client was never dropped");
            let round: Vec<String> = (sent..sent + ROUND)
                .map(|n| format!("{} {n} {padding}", talker.name))
                .collect();
            sender.say_all(&round);
            sent += ROUND;
            if !echoed {
                received[me] = sent;
            }
        }
        // Read until every talker has caught up with this round, or finished.
        let pending = |received: &[usize], done: &[Option<usize>]| {
            (0..TALKERS).any(|i| done[i].is_none() && (finished || received[i] < sent))
        };
        while pending(&received, &done) {
            match talker.next_event() {
                Some(Event::Message { from, text, .. }) => {
                    let from = names_index(&from);
                    let rest = text.split_once(' ').expect("talkers prefix their name").1;
                    if let Some(total) = rest.strip_prefix("done ") {
                        done[from] = Some(total.parse().unwrap());
                    } else {
                        let n = rest.split(' ').next().unwrap();
                        assert_eq!(n, received[from].to_string(), "{}", talker.name);
                        received[from] += 1;
                    }
                }
                Some(left @ Event::Left { .. }) => {
                    departures.push(left);
                    stuck_left = true;
                }
                Some(Event::Other(_)) => {}
                Some(Event::Shutdown) | None => panic!("{} was disconnected", talker.name),
            }
        }
    }
    for (i, total) in done.into_iter().enumerate() {
        assert_eq!(Some(received[i]), total, "{} from talker{i}", talker.name);
    }
    assert_eq!(
        departures,
        [Event::Left {
            name: "stuck".into(),
            reason: "send queue exceeded".into()
        }],
        "{} saw the stuck client leave once",
        talker.name
    );
    talker
}

fn names_index(name: &str) -> usize {
    name["talker".len()..].parse().expect("a talker")
}
