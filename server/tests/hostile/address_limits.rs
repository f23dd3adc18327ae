//! One address that cycles connections cannot get around flood control or use joins and
//! leaves as a megaphone. The attack from the issue: eight connections at a time, each
//! connecting, choosing a name, sending eight 8 KB messages and quitting with an 8 KB
//! reason, over and over. Before, flood tokens lived per connection and loopback was
//! exempt, so thousands of cycles a second dropped every member within 100 ms. The
//! attacker's address is a loopback address of its own, not exempt, as on a real server.

use std::io::Read;
use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::thread;
use std::time::{Duration, Instant};

use crate::member::{Event, Member, Speaks};
use crate::silent_share::connect_from;
use crate::support::{Conn, PATIENCE, Plain, eventually, start_server};

/// The attacker's loopback address: `127.0.0.<ATTACKER>`.
const ATTACKER: u8 = 9;

/// How long the attack lasts.
const ATTACK: Duration = Duration::from_secs(3);

/// One attack cycle: connect, name, eight 8 KB messages, quit with an 8 KB reason, all in
/// one go without waiting for answers. Returns whether the server let the connection in.
fn cycle(server: SocketAddr, n: usize) -> bool {
    let mut conn = connect_from(ATTACKER, server);
    let first = conn.next_line().unwrap_or_default();
    if first.starts_with("ERROR") {
        return false;
    }
    let big = "x".repeat(8000);
    let mut lines = format!("spam{n}\n");
    for _ in 0..8 {
        lines.push_str(&big);
        lines.push('\n');
    }
    lines.push_str(&format!("/quit {big}\n"));
    conn.send_raw(lines.as_bytes());
    true
}

/// A member that reads about 50 KB a second, and notes whether it was dropped.
fn slow_reader(server: SocketAddr, stop: Arc<AtomicBool>) -> thread::JoinHandle<String> {
    let plain = Plain::join(server, "slow");
    thread::spawn(move || {
        let mut seen = Vec::new();
        let mut buffer = [0u8; 5000];
        while !stop.load(Ordering::Acquire) {
            let started = Instant::now();
            match plain.0.stream().read(&mut buffer) {
                Ok(0) => break,
                Ok(read) => seen.extend_from_slice(&buffer[..read]),
                Err(_) => {}
            }
            thread::sleep(Duration::from_millis(100).saturating_sub(started.elapsed()));
        }
        String::from_utf8_lossy(&seen).into_owned()
    })
}

#[test]
fn cycling_connections_from_one_address_cannot_drop_the_members() {
    let server = start_server(|c| c.exempt = Vec::new());
    let addr = server.local_addr();
    let mut fast = Member::join(addr, "fast", Speaks::Structured);
    let stop = Arc::new(AtomicBool::new(false));
    let slow = slow_reader(addr, Arc::clone(&stop));
    let admitted = Arc::new(AtomicUsize::new(0));
    let refused = Arc::new(AtomicUsize::new(0));
    let attackers: Vec<_> = (0..8)
        .map(|worker| {
            let (admitted, refused) = (Arc::clone(&admitted), Arc::clone(&refused));
            thread::spawn(move || {
                let deadline = Instant::now() + ATTACK;
                let mut n = worker;
                while Instant::now() < deadline {
                    let counter = if cycle(addr, n) { &admitted } else { &refused };
                    counter.fetch_add(1, Ordering::Relaxed);
                    n += 8;
                }
            })
        })
        .collect();
    for attacker in attackers {
        attacker.join().unwrap();
    }
    assert!(
        refused.load(Ordering::Relaxed) > 0,
        "the address was never throttled ({} cycles let in)",
        admitted.load(Ordering::Relaxed)
    );

    let online = fast.who();
    assert!(
        ["fast", "slow"]
            .iter()
            .all(|name| online.iter().any(|o| o == name)),
        "both members are still online: {online:?}"
    );
    stop.store(true, Ordering::Release);
    let slow_saw = slow.join().unwrap();
    assert!(!slow_saw.contains("send queue exceeded"), "{slow_saw}");
    let quits = slow_saw
        .lines()
        .filter(|l| l.contains("left (quit: "))
        .count();
    assert!(
        slow_saw
            .lines()
            .filter(|l| l.contains("left (quit: "))
            .all(|l| l.chars().count() < 400),
        "quit reasons are cut to their limit ({quits} quits)"
    );
}

#[test]
fn an_address_that_connects_too_often_is_refused_with_a_reason() {
    let server = start_server(|c| {
        c.exempt = Vec::new();
        c.connect_burst = 3;
        c.connect_rate = 1.0;
    });
    let addr = server.local_addr();
    for _ in 0..3 {
        let mut conn = connect_from(ATTACKER, addr);
        conn.expect_line(|l| l.starts_with("* Choose"));
    }
    let mut throttled = connect_from(ATTACKER, addr);
    let lines = throttled.expect_closed();
    assert_eq!(lines.len(), 1, "{lines:?}");
    assert!(
        lines[0].starts_with("ERROR throttled: 127.0.0.9 connects too often; try again in"),
        "{lines:?}"
    );
    let mut other = connect_from(ATTACKER + 1, addr);
    other.expect_line(|l| l.starts_with("* Choose"));
}

/// Joins from the attacker's address in plain mode as `name`.
fn join_from_attacker(server: SocketAddr, name: &str) -> Conn {
    let mut conn = connect_from(ATTACKER, server);
    conn.expect_line(|l| l.starts_with("* Choose"));
    conn.send_line(name);
    conn.expect_line(|l| l.starts_with("* Type a message"));
    conn
}

const SLOW_DOWN: &str = "* You are sending too fast";

#[test]
fn the_flood_budget_is_the_address_s_across_connections_and_reconnections() {
    let server = start_server(|c| {
        c.exempt = Vec::new();
        c.flood_burst = 3;
        c.flood_rate = 0.2;
    });
    let addr = server.local_addr();
    let mut first = join_from_attacker(addr, "first");
    first.send_line("/quit");
    first.expect_closed();
    let mut second = join_from_attacker(addr, "second");
    second.send_line("/who");
    second.expect_line(|l| l.starts_with("* In #general"));
    assert!(
        second.seen.iter().any(|l| l.starts_with(SLOW_DOWN)),
        "a new connection started with the budget its address left: {:?}",
        second.seen
    );

    let mut parallel = join_from_attacker(addr, "parallel");
    parallel.send_line("/who");
    parallel.expect_line(|l| l.starts_with("* In #general"));
    assert!(
        parallel.seen.iter().any(|l| l.starts_with(SLOW_DOWN)),
        "a parallel connection draws on the same budget: {:?}",
        parallel.seen
    );
}

#[test]
fn a_newcomer_who_leaves_at_once_having_said_nothing_is_never_announced() {
    let server = start_server(|c| c.announce_delay = Duration::from_secs(2));
    let addr = server.local_addr();
    let mut watcher = Member::join(addr, "watcher", Speaks::Structured);
    let mut hit_and_run = Plain::join(addr, "hit_and_run");
    hit_and_run.say("/quit see you all");
    hit_and_run.0.expect_closed();
    assert!(eventually(PATIENCE, || server.connections() == 1));

    let mut speaker = Plain::join(addr, "speaker");
    speaker.say("hello");
    let before_speaker = watcher.expect(|e| matches!(e, Event::Message { .. }));
    assert!(matches!(&before_speaker, Event::Message { from, .. } if from == "speaker"));
    let seen = format!("{:?}", watcher.who());
    assert!(!seen.contains("hit_and_run"), "{seen}");

    let _lurker = Plain::join(addr, "lurker");
    watcher.expect(|e| matches!(e, Event::Other(joined) if joined.contains("lurker")));
    assert_eq!(watcher.who(), ["lurker", "speaker", "watcher"]);
}
