//! The session without sockets: lines and a clock go in, and what each client would
//! read comes out. The room, the connection table and the shutdown signal are the
//! server's own; only the connection is replaced, by a recorder of what it is sent.

mod accounts;
mod ending;
mod flood;
mod keepalive;
mod lines;
mod moderation;
mod names;
mod quiet_join;
mod rooms;

use std::cell::Cell;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use chat_shared::frame::{ClientFrame, ServerFrame, decode_server, encode};
use jiff::tz::TimeZone;

use super::ending::End;
use super::machine::{Next, Session};
use crate::config::Config;
use crate::connections::Refusal;
use crate::deliver::Deliver;
use crate::shared_state::Shared;
use crate::shutdown::Shutdown;

/// A client's connection that keeps everything it is sent.
#[derive(Debug, Default)]
struct Recorder {
    bytes: Mutex<Vec<u8>>,
    /// Set by a test to play a client that read too slowly.
    overflowed: AtomicBool,
    /// Set when the connection table or the shutdown ends the session from outside.
    hung_up: AtomicBool,
}

impl Deliver for Recorder {
    fn push_all(&self, frames: &[&[u8]]) {
        let mut bytes = self.bytes.lock().unwrap();
        for frame in frames {
            bytes.extend_from_slice(frame);
        }
    }

    fn flush(self: Arc<Self>) {}

    fn flush_later(self: Arc<Self>) {}

    fn overflowed(&self) -> bool {
        self.overflowed.load(Ordering::Relaxed)
    }

    fn hang_up(&self) {
        self.hung_up.store(true, Ordering::Relaxed);
    }
}

/// A server's shared state, with a clock that tests move by hand.
struct World {
    shared: Shared,
    start: Instant,
    next_id: Cell<usize>,
}

impl World {
    /// A server with `tweak`ed limits; newcomers are announced at once unless a test
    /// says otherwise.
    fn new(tweak: impl FnOnce(&mut Config)) -> Self {
        let mut config = Config {
            announce_delay: Duration::ZERO,
            ..Config::default()
        };
        tweak(&mut config);
        Self {
            shared: Shared::new(
                config,
                TimeZone::UTC,
                Arc::new(Shutdown::new()),
                Arc::new(crate::store::NoHistory::new()),
                Arc::new(crate::accounts::MemoryAccounts::new()),
                crate::moderation::Bans::in_memory(),
            ),
            start: Instant::now(),
            next_id: Cell::new(0),
        }
    }

    /// `offset` after the world started.
    fn at(&self, offset: Duration) -> Instant {
        self.start + offset
    }

    /// A new connection, from an address of its own, at the start; it has been greeted.
    fn connect(&self) -> Client<'_> {
        self.try_connect().expect("admitted")
    }

    fn try_connect(&self) -> Result<Client<'_>, Refusal> {
        let id = self.next_id.get() + 1;
        self.next_id.set(id);
        let ip = IpAddr::V4(Ipv4Addr::new(192, 0, 2, id as u8));
        let out = Arc::new(Recorder::default());
        let permit = self.shared.connections.admit(
            id,
            ip,
            Arc::clone(&out) as Arc<dyn Deliver>,
            self.start,
        )?;
        let session = Session::new(
            &self.shared,
            Arc::clone(&out) as Arc<dyn Deliver>,
            id,
            SocketAddr::new(ip, 40_000),
            false,
            permit,
            self.start,
        );
        session.greet();
        Ok(Client {
            session,
            out,
            now: self.start,
        })
    }

    /// A plain-mode member called `name`, whose welcome has been read.
    fn plain(&self, name: &str) -> Client<'_> {
        let mut client = self.connect();
        assert_eq!(client.send(name), Next::Read);
        let welcome = client.read();
        assert!(
            welcome
                .iter()
                .any(|l| l.starts_with(&format!("* Welcome, {name}!"))),
            "{welcome:?}"
        );
        client
    }

    /// A structured-mode member called `name`, whose welcome has been read.
    fn structured(&self, name: &str) -> Client<'_> {
        let mut client = self.connect();
        client.send_frame(&ClientFrame::Hello {
            version: chat_shared::PROTOCOL_VERSION,
            client: None,
        });
        client.send_frame(&ClientFrame::Login {
            password: None,
            after: None,
            name: name.to_owned(),
        });
        let frames = client.frames();
        assert!(
            matches!(frames.last(), Some(ServerFrame::Welcome { name: joined, .. }) if joined == name),
            "{frames:?}"
        );
        client
    }
}

/// One connection: its session, what it has been sent, and its own clock.
struct Client<'w> {
    session: Session<'w>,
    out: Arc<Recorder>,
    now: Instant,
}

impl Client<'_> {
    /// The client sends one line in a read of its own.
    fn send(&mut self, line: &str) -> Next {
        self.send_read(&[Ok(line.to_owned())])
    }

    /// The client sends one structured frame in a read of its own.
    fn send_frame(&mut self, frame: &ClientFrame) -> Next {
        let line = String::from_utf8(encode(frame)).unwrap();
        self.send(line.trim_end())
    }

    /// One read that brought `lines`, as the socket loop hands them over; stops at the
    /// first line that does not let the session read on.
    fn send_read(&mut self, lines: &[Result<String, chat_shared::codec::LineError>]) -> Next {
        self.session.on_input(self.now);
        for line in lines {
            let next = self.session.on_line(line.clone(), self.now);
            if next != Next::Read {
                return next;
            }
        }
        self.session.on_input_done(None)
    }

    /// Moves this client's clock on by `elapsed`.
    fn wait(&mut self, elapsed: Duration) {
        self.now += elapsed;
    }

    /// The clock says it is `now`: lets the session do what is due.
    fn tick(&mut self, now: Instant) -> Next {
        self.now = now;
        self.session.on_timer(now)
    }

    /// Ends the session for `end`; returns how long its goodbye may take.
    fn finish(&mut self, end: &End) -> Duration {
        self.session.finish(end)
    }

    /// The lines received since the last look, line endings removed.
    fn read(&self) -> Vec<String> {
        let bytes = std::mem::take(&mut *self.out.bytes.lock().unwrap());
        String::from_utf8(bytes)
            .unwrap()
            .lines()
            .map(|line| line.trim_end_matches('\r').to_owned())
            .collect()
    }

    /// The structured frames received since the last look (the banner is not JSON).
    fn frames(&self) -> Vec<ServerFrame> {
        self.read()
            .iter()
            .filter_map(|line| decode_server(line).ok())
            .collect()
    }

    /// The client proves it owns the account of its name, as logging in with the
    /// password does.
    fn prove_account(&mut self) {
        self.session.account = self.session.name.clone();
        self.session.permit.set_operator(self.session.is_operator());
    }

    /// Whether the session was ended from outside (to make room, or at shutdown).
    fn hung_up(&self) -> bool {
        self.out.hung_up.load(Ordering::Relaxed)
    }
}
