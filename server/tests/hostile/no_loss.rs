//! Scenario 10, no loss and one order per room: fifty clients, half in each mode, in five
//! rooms that overlap (each client is in two of them, each room shared with two other
//! groups of clients), each send two hundred messages at once. Structured clients
//! alternate their two rooms; plain clients talk in their current room. Every client
//! receives every message of its rooms exactly once (structured clients their own too,
//! as confirmation), nothing of the rooms it is not in, each sender's messages in the
//! order sent, and each room's messages in one and the same order for all its members.

use std::collections::HashMap;
use std::sync::{Arc, Barrier};
use std::thread;

use crate::member::{Event, Member, Speaks};
use crate::support::start_server;
use crate::usable::assert_still_usable;

/// Clients, alternating modes.
const CLIENTS: usize = 50;

/// Rooms; client `i` is in `#r{i % ROOMS}` and `#r{(i + 1) % ROOMS}`.
const ROOMS: usize = 5;

/// Messages each client sends.
const EACH: usize = 200;

fn rooms_of(client: usize) -> [String; 2] {
    [
        format!("#r{}", client % ROOMS),
        format!("#r{}", (client + 1) % ROOMS),
    ]
}

/// The room client `client` sends its `n`th message to: structured clients alternate,
/// plain clients stay in their current room (the one they joined last).
fn room_of_message(client: usize, n: usize) -> String {
    let [first, second] = rooms_of(client);
    match Speaks::alternating(client) {
        Speaks::Structured if n.is_multiple_of(2) => first,
        _ => second,
    }
}

/// How many messages client `reader` receives: all of its rooms', less its own when
/// plain mode does not echo them.
fn expected_for(reader: usize) -> usize {
    let rooms = rooms_of(reader);
    (0..CLIENTS)
        .filter(|&sender| sender != reader || Speaks::alternating(reader) == Speaks::Structured)
        .map(|sender| {
            (0..EACH)
                .filter(|&n| rooms.contains(&room_of_message(sender, n)))
                .count()
        })
        .sum()
}

#[test]
fn every_message_reaches_every_member_of_its_room_once_and_in_one_order_per_room() {
    let server = start_server(|c| {
        c.flood_rate = 0.0;
        // Every client reads while it sends; a large queue keeps a client that the
        // scheduler leaves behind for a moment from counting as a slow reader.
        c.send_queue_bytes = 8 * 1024 * 1024;
    });
    let addr = server.local_addr();
    let members: Vec<Member> = (0..CLIENTS)
        .map(|i| {
            let mut member = Member::join(addr, &format!("c{i}"), Speaks::alternating(i));
            for room in rooms_of(i) {
                member.join_room(&room);
            }
            member
        })
        .collect();
    let start = Arc::new(Barrier::new(CLIENTS));
    let handles: Vec<_> = members
        .into_iter()
        .enumerate()
        .map(|(i, mut member)| {
            let start = Arc::clone(&start);
            thread::spawn(move || {
                let mut sender = member.sender();
                let texts: Vec<(String, String)> = (0..EACH)
                    .map(|n| (room_of_message(i, n), format!("{} {n}", member.name)))
                    .collect();
                start.wait();
                sender.say_all_in(&texts);
                let (messages, departures) = member.messages(expected_for(i));
                assert_eq!(departures, [], "nobody left");
                (i, member, messages)
            })
        })
        .collect();
    let received: Vec<(usize, Member, Vec<Event>)> =
        handles.into_iter().map(|h| h.join().unwrap()).collect();

    let reference = reference_orders(&received);
    for (i, member, messages) in &received {
        let [_, current] = rooms_of(*i);
        let mut per_room: HashMap<String, Vec<(String, String)>> = HashMap::new();
        for event in messages {
            let Event::Message {
                room, from, text, ..
            } = event
            else {
                unreachable!("messages() returns messages")
            };
            let room = room.clone().unwrap_or_else(|| current.clone());
            per_room
                .entry(room)
                .or_default()
                .push((from.clone(), text.clone()));
        }
        let mut rooms: Vec<&String> = per_room.keys().collect();
        rooms.sort();
        let mut mine = rooms_of(*i).to_vec();
        mine.sort();
        assert_eq!(
            rooms,
            mine.iter().collect::<Vec<_>>(),
            "{}'s rooms",
            member.name
        );
        for (room, got) in &per_room {
            let due: Vec<&(String, String)> = reference[room]
                .iter()
                .filter(|(from, _)| member.speaks == Speaks::Structured || *from != member.name)
                .collect();
            assert_eq!(got.len(), due.len(), "{} in {room}", member.name);
            for (got, due) in got.iter().zip(due) {
                assert_eq!(got, due, "{} in {room}", member.name);
            }
        }
    }
    let online: Vec<&str> = received.iter().map(|(_, m, _)| m.name.as_str()).collect();
    assert_still_usable(addr, &online);
}

/// Each room's order, as a structured member of it saw it: every message of the room
/// once, numbered in increasing `seq`, each sender's in the order it sent them.
fn reference_orders(
    received: &[(usize, Member, Vec<Event>)],
) -> HashMap<String, Vec<(String, String)>> {
    let mut orders = HashMap::new();
    for room in (0..ROOMS).map(|r| format!("#r{r}")) {
        let (_, _, messages) = received
            .iter()
            .find(|(i, member, _)| {
                member.speaks == Speaks::Structured && rooms_of(*i).contains(&room)
            })
            .expect("a structured member in every room");
        let mut next: HashMap<String, usize> = HashMap::new();
        let mut last_seq = 0;
        let mut order = Vec::new();
        for event in messages {
            let Event::Message {
                seq: Some(seq),
                room: Some(in_room),
                from,
                text,
            } = event
            else {
                panic!("not a numbered message: {event:?}");
            };
            if *in_room != room {
                continue;
            }
            assert!(
                *seq > last_seq,
                "{room}: seq goes up: {seq} after {last_seq}"
            );
            last_seq = *seq;
            let client: usize = from[1..].parse().expect("a client name");
            let n = next.entry(from.clone()).or_default();
            while *n < EACH && room_of_message(client, *n) != room {
                *n += 1;
            }
            assert_eq!(*text, format!("{from} {n}"), "{from}'s order in {room}");
            *n += 1;
            order.push((from.clone(), text.clone()));
        }
        let senders: usize = (0..CLIENTS)
            .map(|c| (0..EACH).filter(|&m| room_of_message(c, m) == room).count())
            .sum();
        assert_eq!(
            order.len(),
            senders,
            "{room} holds every message sent to it"
        );
        orders.insert(room, order);
    }
    orders
}
