//! Scenario 10, no loss and one order: fifty clients, half in each mode, each send two
//! hundred messages at once. Every client receives every other client's messages exactly
//! once (structured clients their own too, as confirmation), each sender's messages in
//! the order sent, and all of them in one and the same global order.

use std::sync::{Arc, Barrier};
use std::thread;

use crate::member::{Event, Member, Speaks};
use crate::support::start_server;
use crate::usable::assert_still_usable;

/// Clients, alternating modes.
const CLIENTS: usize = 50;

/// Messages each client sends.
const EACH: usize = 200;

#[test]
fn every_message_reaches_every_client_once_and_in_one_global_order() {
    let server = start_server(|c| {
        c.flood_rate = 0.0;
        // Every client reads while it sends; a large queue keeps a client that the
        // scheduler leaves behind for a moment from counting as a slow reader.
        c.send_queue_bytes = 8 * 1024 * 1024;
    });
    let addr = server.local_addr();
    let members: Vec<Member> = (0..CLIENTS)
        .map(|i| Member::join(addr, &format!("c{i}"), Speaks::alternating(i)))
        .collect();
    let start = Arc::new(Barrier::new(CLIENTS));
    let handles: Vec<_> = members
        .into_iter()
        .map(|mut member| {
            let start = Arc::clone(&start);
            thread::spawn(move || {
                let mut sender = member.sender();
                let texts: Vec<String> =
                    (0..EACH).map(|n| format!("{} {n}", member.name)).collect();
                start.wait();
                sender.say_all(&texts);
                let expected = match member.speaks {
                    Speaks::Plain => (CLIENTS - 1) * EACH,
                    Speaks::Structured => CLIENTS * EACH,
                };
                let (messages, departures) = member.messages(expected);
                assert_eq!(departures, [], "nobody left");
                (member, messages)
            })
        })
        .collect();
    let received: Vec<(Member, Vec<Event>)> =
        handles.into_iter().map(|h| h.join().unwrap()).collect();

    let (_, global) = received
        .iter()
        .find(|(member, _)| member.speaks == Speaks::Structured)
        .expect("a structured client");
    assert_one_numbered_order_of_everything(global);
    for (member, messages) in &received {
        let expected: Vec<&Event> = global
            .iter()
            .filter(|event| member.speaks == Speaks::Structured || !sent_by(event, &member.name))
            .collect();
        assert_eq!(messages.len(), expected.len(), "{}", member.name);
        for (got, want) in messages.iter().zip(expected) {
            let same = match member.speaks {
                Speaks::Structured => got == want,
                Speaks::Plain => without_seq(got) == without_seq(want),
            };
            assert!(same, "{} got {got:?} where {want:?} was due", member.name);
        }
    }
    let online: Vec<&str> = received.iter().map(|(m, _)| m.name.as_str()).collect();
    assert_still_usable(addr, &online);
}

/// The reference order holds every message once, numbered in increasing `seq`, and each
/// sender's messages in the order it sent them.
fn assert_one_numbered_order_of_everything(global: &[Event]) {
    assert_eq!(global.len(), CLIENTS * EACH);
    let mut next = vec![0usize; CLIENTS];
    let mut last_seq = 0;
    for event in global {
        let Event::Message {
            seq: Some(seq),
            from,
            text,
        } = event
        else {
            panic!("not a numbered message: {event:?}");
        };
        assert!(*seq > last_seq, "seq goes up: {seq} after {last_seq}");
        last_seq = *seq;
        let sender: usize = from[1..].parse().expect("a client name");
        assert_eq!(*text, format!("{from} {}", next[sender]), "{from}'s order");
        next[sender] += 1;
    }
    assert!(next.iter().all(|&n| n == EACH));
}

fn sent_by(event: &Event, name: &str) -> bool {
    matches!(event, Event::Message { from, .. } if from == name)
}

fn without_seq(event: &Event) -> (&str, &str) {
    match event {
        Event::Message { from, text, .. } => (from, text),
        other => panic!("not a message: {other:?}"),
    }
}
