//! Keepalive of a joined structured-mode client: a ping after a silence of the ping
//! interval, and the end of the session if the ping timeout passes without a word.
//! Any bytes from the client count as an answer.

use std::time::{Duration, Instant};

/// When the client was last heard from, and whether a ping is unanswered.
#[derive(Debug)]
pub(super) struct Keepalive {
    /// Silence after which the client is pinged.
    interval: Duration,
    /// Silence after a ping after which the client is given up.
    timeout: Duration,
    /// When the client was last heard from (or the server last listened again after a
    /// flood-control wait).
    last_heard: Instant,
    /// When the unanswered ping went out, if there is one.
    ping_sent: Option<Instant>,
    /// Pings sent so far; the next one's token.
    pings_sent: u64,
}

/// What the keepalive has to do at a given time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Due {
    /// Nothing yet.
    Nothing,
    /// Send a ping with this token.
    Ping(String),
    /// The ping went unanswered: the client is gone.
    TimedOut,
}

impl Keepalive {
    /// A client heard from at `now`, pinged after `interval` of silence and given up
    /// `timeout` after that.
    pub(super) fn new(interval: Duration, timeout: Duration, now: Instant) -> Self {
        Self {
            interval,
            timeout,
            last_heard: now,
            ping_sent: None,
            pings_sent: 0,
        }
    }

    /// The client was heard from at `now`: whatever it sent answers the ping.
    pub(super) fn heard(&mut self, now: Instant) {
        self.last_heard = now;
        self.ping_sent = None;
    }

    /// When the keepalive next has something to do, if the client stays silent.
    pub(super) fn deadline(&self) -> Instant {
        match self.ping_sent {
            Some(sent) => sent + self.timeout,
            None => self.last_heard + self.interval,
        }
    }

    /// What is due at `now`; a ping is recorded as sent.
    pub(super) fn on_timer(&mut self, now: Instant) -> Due {
        if now < self.deadline() {
            return Due::Nothing;
        }
        if self.ping_sent.is_some() {
            return Due::TimedOut;
        }
        self.ping_sent = Some(now);
        self.pings_sent += 1;
        Due::Ping(self.pings_sent.to_string())
    }
}
