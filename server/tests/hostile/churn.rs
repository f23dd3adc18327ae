//! Scenario 6, connection churn: three thousand connections to the real binary that
//! connect, get as far as some point of the handshake, and vanish with a TCP reset.
//! Afterwards the server's threads and open file descriptors are back where they
//! started, everyone who joined was announced leaving exactly once, and nobody is left
//! in the roster but the observers.

use std::collections::HashMap;
use std::net::{SocketAddr, TcpStream};
use std::thread;
use std::time::Duration;

use chat_shared::frame::{LeaveReason, ServerFrame};
use socket2::SockRef;

use crate::member::{Member, Speaks};
use crate::support::process::ServerProcess;
use crate::support::{Plain, Structured, eventually};

/// Threads making connections at once.
const WORKERS: usize = 4;

/// Connections each worker makes, one after the other.
const CYCLES: usize = 750;

/// How long the server may take to let every thread and descriptor go.
const SETTLE: Duration = Duration::from_secs(60);

/// How far a connection gets before it is reset.
#[derive(Debug, Clone, Copy)]
enum Stage {
    /// Connected, nothing read or sent.
    Connected,
    /// Read the banner and sent half a name.
    HalfAName,
    /// Joined in plain mode.
    JoinedPlain,
    /// Joined in structured mode.
    JoinedStructured,
}

impl Stage {
    fn of(cycle: usize) -> Self {
        match cycle % 4 {
            0 => Stage::Connected,
            1 => Stage::HalfAName,
            2 => Stage::JoinedPlain,
            _ => Stage::JoinedStructured,
        }
    }

    fn joins(self) -> bool {
        matches!(self, Stage::JoinedPlain | Stage::JoinedStructured)
    }
}

/// Makes one connection, takes it to `stage`, and resets it (SO_LINGER 0: no goodbye).
fn cycle(addr: SocketAddr, stage: Stage, name: &str) {
    let stream = match stage {
        Stage::Connected => TcpStream::connect(addr).expect("connect"),
        Stage::HalfAName => {
            let mut plain = Plain::connect(addr);
            plain.0.send_raw(&name.as_bytes()[..2]);
            plain.0.stream().try_clone().unwrap()
        }
        Stage::JoinedPlain => Plain::join(addr, name).0.stream().try_clone().unwrap(),
        Stage::JoinedStructured => {
            let (structured, _) = Structured::join(addr, name);
            structured.0.stream().try_clone().unwrap()
        }
    };
    SockRef::from(&stream)
        .set_linger(Some(Duration::ZERO))
        .unwrap();
}

#[test]
fn thousands_of_abrupt_connections_leave_no_thread_descriptor_or_member_behind() {
    let server = ServerProcess::spawn(&[]);
    let addr = server.addr;
    let (mut watcher, _) = Structured::join(addr, "watcher");
    let (threads, fds) = (server.threads(), server.open_fds());

    let joins = WORKERS * (0..CYCLES).filter(|&n| Stage::of(n).joins()).count();
    let watching = thread::spawn(move || {
        let mut seen: HashMap<String, (usize, usize)> = HashMap::new();
        let mut left = 0;
        while left < joins {
            match watcher.next_frame().expect("the watcher stays connected") {
                ServerFrame::Joined { name, .. } => seen.entry(name).or_default().0 += 1,
                ServerFrame::Left { name, reason, .. } => {
                    assert_eq!(reason, LeaveReason::ConnectionLost, "{name}");
                    seen.entry(name).or_default().1 += 1;
                    left += 1;
                }
                _ => {}
            }
        }
        (watcher, seen)
    });
    let workers: Vec<_> = (0..WORKERS)
        .map(|worker| {
            thread::spawn(move || {
                for n in 0..CYCLES {
                    cycle(addr, Stage::of(n), &format!("w{worker}_{n}"));
                }
            })
        })
        .collect();
    for worker in workers {
        worker.join().unwrap();
    }
    let (watcher, seen) = watching.join().unwrap();
    assert_eq!(seen.len(), joins, "everyone who joined was announced");
    for (name, counts) in &seen {
        assert_eq!(*counts, (1, 1), "{name}: joined and left once each");
    }
    for (worker, n) in (0..WORKERS).flat_map(|w| (0..CYCLES).map(move |n| (w, n))) {
        let joined = seen.contains_key(&format!("w{worker}_{n}"));
        assert_eq!(joined, Stage::of(n).joins(), "w{worker}_{n}");
    }

    let mut now = (0, 0);
    let settled = eventually(SETTLE, || {
        now = (server.threads(), server.open_fds());
        now == (threads, fds)
    });
    assert!(
        settled,
        "(threads, descriptors) are {now:?}, were {:?} before",
        (threads, fds)
    );
    let mut fresh = Member::join(addr, "fresh", Speaks::Plain);
    assert_eq!(fresh.who(), ["fresh", "watcher"]);
    drop(watcher);
}
