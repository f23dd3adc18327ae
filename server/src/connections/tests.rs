//! The door's rules, with a clock the tests move by hand.

use super::*;
use std::net::{TcpListener, TcpStream};

use crate::flusher::Flusher;
use crate::outbox::Outbox;
use crate::shutdown::Shutdown;

/// Real sockets for the outboxes; nothing is sent on them.
struct Fixture {
    listener: TcpListener,
    flusher: Arc<Flusher>,
    shutdown: Arc<Shutdown>,
    connections: Arc<Connections>,
    now: Instant,
    next_id: usize,
}

impl Fixture {
    fn new(tweak: impl FnOnce(&mut Config)) -> Self {
        let mut config = Config {
            max_clients: 100,
            max_per_ip: 100,
            connect_burst: 1000,
            ..Config::default()
        };
        tweak(&mut config);
        let shutdown = Arc::new(Shutdown::new());
        Self {
            listener: TcpListener::bind("127.0.0.1:0").unwrap(),
            flusher: Arc::new(Flusher::new(Arc::clone(&shutdown)).unwrap()),
            connections: Arc::new(Connections::new(&config, Arc::clone(&shutdown))),
            shutdown,
            now: Instant::now(),
            next_id: 0,
        }
    }

    fn admit(&mut self, ip: &str) -> Result<Permit, Refusal> {
        self.next_id += 1;
        let stream = TcpStream::connect(self.listener.local_addr().unwrap()).unwrap();
        let outbox = Arc::new(Outbox::new(
            stream,
            1024,
            self.next_id,
            Arc::clone(&self.flusher),
        ));
        self.connections
            .admit(self.next_id, ip.parse().unwrap(), outbox, self.now)
    }

    fn joined(&mut self, ip: &str) -> Permit {
        let permit = self.admit(ip).unwrap();
        assert!(permit.set_joined(true));
        permit
    }
}

fn net(text: &str) -> IpNet {
    text.parse().unwrap()
}

#[test]
fn caps_connections_per_address_loopback_included_unless_exempt() {
    let mut door = Fixture::new(|c| {
        c.max_per_ip = 2;
        c.exempt = vec![net("10.0.0.0/8")];
    });
    for ip in ["203.0.113.7", "127.0.0.1"] {
        let first = door.admit(ip).unwrap();
        let _second = door.admit(ip).unwrap();
        let group = IpNet::from(ip.parse::<IpAddr>().unwrap());
        assert_eq!(
            door.admit(ip).unwrap_err(),
            Refusal::TooManyFromAddress(group, 2)
        );
        drop(first);
        assert!(door.admit(ip).is_ok());
    }
    let exempt: Vec<Permit> = (0..5).map(|_| door.admit("10.1.2.3").unwrap()).collect();
    assert_eq!(exempt.len(), 5);
}

#[test]
fn an_ipv4_client_of_a_dual_stack_listener_is_the_same_address() {
    let mut door = Fixture::new(|c| c.max_per_ip = 1);
    let _first = door.admit("127.0.0.1").unwrap();
    assert_eq!(
        door.admit("::ffff:127.0.0.1").unwrap_err(),
        Refusal::TooManyFromAddress(net("127.0.0.1/32"), 1)
    );
}

#[test]
fn ipv6_hosts_count_per_network() {
    let mut door = Fixture::new(|c| c.max_per_ip = 2);
    let _a = door.admit("2001:db8:0:1::a").unwrap();
    let _b = door.admit("2001:db8:0:1::b").unwrap();
    assert_eq!(
        door.admit("2001:db8:0:1::c").unwrap_err(),
        Refusal::TooManyFromAddress(net("2001:db8:0:1::/64"), 2)
    );
    assert!(door.admit("2001:db8:0:2::a").is_ok());
}

#[test]
fn an_address_that_connects_too_often_is_throttled_until_its_budget_refills() {
    let mut door = Fixture::new(|c| {
        c.connect_burst = 3;
        c.connect_rate = 6.0;
    });
    for _ in 0..3 {
        drop(door.admit("203.0.113.7").unwrap());
    }
    assert_eq!(
        door.admit("203.0.113.7").unwrap_err(),
        Refusal::Throttled(net("203.0.113.7/32"), Duration::from_secs(10))
    );
    assert!(
        door.admit("198.51.100.1").is_ok(),
        "other addresses are not"
    );
    door.now += Duration::from_secs(10);
    assert!(door.admit("203.0.113.7").is_ok());
    assert!(door.admit("203.0.113.7").is_err());
}

#[test]
fn refuses_everyone_over_the_total_and_after_closing() {
    let mut door = Fixture::new(|c| c.max_clients = 1);
    let only = door.joined("127.0.0.1");
    assert_eq!(door.admit("127.0.0.1").unwrap_err(), Refusal::ServerFull(1));
    drop(only);
    assert_eq!(door.connections.wait_until_empty(Duration::from_secs(5)), 0);
    door.shutdown.begin(Duration::ZERO);
    assert_eq!(door.admit("127.0.0.1").unwrap_err(), Refusal::ShuttingDown);
}

#[test]
fn the_oldest_silent_connection_makes_way_when_their_share_is_full() {
    let mut door = Fixture::new(|c| {
        c.max_clients = 8;
        c.unjoined_percent = 25;
    });
    let member = door.joined("192.0.2.1");
    let oldest = door.admit("192.0.2.2").unwrap();
    let younger = door.admit("192.0.2.3").unwrap();
    let newest = door.admit("192.0.2.4").unwrap();
    assert!(oldest.evicted(), "the oldest silent connection is closed");
    assert!(!oldest.set_joined(true), "and may no longer join");
    assert!(!younger.evicted() && !newest.evicted() && !member.evicted());
    assert!(newest.set_joined(true));
}

#[test]
fn a_full_server_makes_way_for_a_newcomer_only_by_closing_a_silent_connection() {
    let mut door = Fixture::new(|c| {
        c.max_clients = 4;
        c.unjoined_percent = 50;
    });
    let members: Vec<Permit> = (1..=3)
        .map(|i| door.joined(&format!("192.0.2.{i}")))
        .collect();
    let silent = door.admit("192.0.2.9").unwrap();
    let newcomer = door.admit("192.0.2.10").unwrap();
    assert!(silent.evicted());
    assert!(newcomer.set_joined(true));
    assert_eq!(
        door.admit("192.0.2.11").unwrap_err(),
        Refusal::ServerFull(4),
        "everyone has joined: nobody makes way"
    );
    assert!(members.iter().all(|member| !member.evicted()));
}

#[test]
fn a_refused_name_puts_a_connection_back_among_the_silent_ones() {
    let mut door = Fixture::new(|c| {
        c.max_clients = 4;
        c.unjoined_percent = 50;
    });
    let retrying = door.admit("192.0.2.1").unwrap();
    assert!(retrying.set_joined(true));
    assert!(retrying.set_joined(false));
    let _second = door.admit("192.0.2.2").unwrap();
    let _third = door.admit("192.0.2.3").unwrap();
    assert!(retrying.evicted());
}

#[test]
fn the_time_to_choose_a_name_shrinks_as_the_silent_share_fills() {
    let mut door = Fixture::new(|c| {
        c.max_clients = 40;
        c.unjoined_percent = 25;
        c.handshake_timeout = Duration::from_secs(30);
        c.busy_handshake_timeout = Duration::from_secs(5);
    });
    let mut held = vec![door.admit("192.0.2.1").unwrap()];
    assert_eq!(held[0].handshake_timeout(), Duration::from_secs(30));
    while held.len() < 5 {
        held.push(door.admit("192.0.2.1").unwrap());
    }
    assert_eq!(held[0].handshake_timeout(), Duration::from_secs(30));
    while held.len() < 10 {
        held.push(door.admit("192.0.2.1").unwrap());
    }
    assert_eq!(held[9].handshake_timeout(), Duration::from_secs(5));
    held.truncate(8);
    let shorter = held[0].handshake_timeout();
    assert!(shorter < Duration::from_secs(30) && shorter > Duration::from_secs(5));
}

#[test]
fn an_address_has_one_flood_budget_for_all_its_connections_and_after_them() {
    let mut door = Fixture::new(|c| {
        c.flood_burst = 3;
        c.flood_rate = 1.0;
        c.exempt = vec![net("10.0.0.0/8")];
    });
    let now = door.now;
    for ip in ["203.0.113.7", "10.0.0.1"] {
        let first = door.admit(ip).unwrap();
        let parallel = door.admit(ip).unwrap();
        let mut budget = first.flood_bucket(now);
        for _ in 0..3 {
            assert_eq!(budget.take(now), Duration::ZERO);
        }
        let exempt = ip.starts_with("10.");
        let expected = if exempt {
            Duration::ZERO
        } else {
            Duration::from_secs(1)
        };
        assert_eq!(parallel.flood_bucket(now).take(now), expected, "{ip}");
        drop((first, parallel));
        let again = door.admit(ip).unwrap();
        let expected = if exempt {
            Duration::ZERO
        } else {
            Duration::from_secs(2)
        };
        assert_eq!(
            again.flood_bucket(now).take(now),
            expected,
            "{ip}: reconnected"
        );
    }
}

#[test]
fn refusal_lines_carry_the_code_and_a_reason() {
    assert_eq!(
        Refusal::TooManyFromAddress(net("203.0.113.7/32"), 8).line(),
        "ERROR too_many_connections: too many connections from 203.0.113.7 (limit 8)\r\n"
    );
    assert_eq!(
        Refusal::Throttled(net("2001:db8::/64"), Duration::from_millis(4200)).line(),
        "ERROR throttled: 2001:db8::/64 connects too often; try again in 5 s\r\n"
    );
}
