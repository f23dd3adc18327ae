//! The running server: starts the threads, and stops them gracefully.

use std::io;
use std::net::SocketAddr;
use std::sync::{Arc, Weak};
use std::thread::{self, JoinHandle};
use std::time::Duration;

use jiff::tz::TimeZone;
use polling::Poller;

use crate::config::Config;
use crate::flusher::Flusher;
use crate::listener;
use crate::room::PRESENCE_INTERVAL;
use crate::shared_state::Shared;
use crate::shutdown::{Shutdown, Slept, Stage, Wake};
use crate::store::{History, NoHistory};

/// The shortest window over which clients are asked to spread their reconnections.
const MIN_RECONNECT_SPREAD: Duration = Duration::from_secs(2);

/// Joins per second a restarted server is assumed to take comfortably; the reconnection
/// window grows with the number online so that they arrive at about this rate.
const COMFORTABLE_JOINS_PER_SECOND: u64 = 500;

/// The window over which `online` clients should spread their reconnections.
fn reconnect_spread(online: usize) -> Duration {
    let spread = Duration::from_millis(online as u64 * 1000 / COMFORTABLE_JOINS_PER_SECOND);
    spread.max(MIN_RECONNECT_SPREAD)
}

/// The body of the thread that sends big rooms their summaries, until shutdown begins.
fn send_summaries(shared: &Shared) {
    while shared.shutdown.sleep(PRESENCE_INTERVAL) == Slept::TimeUp {
        shared.rooms.send_summaries();
    }
}

/// A running chat server; [`Server::shutdown`] (or dropping it) stops it gracefully.
#[derive(Debug)]
pub struct Server {
    local_addr: SocketAddr,
    shared: Arc<Shared>,
    acceptor: Option<JoinHandle<()>>,
    flusher: Option<JoinHandle<()>>,
    /// Sends big rooms their summaries of joins and leaves.
    summaries: Option<JoinHandle<()>>,
}

impl Server {
    /// Binds the port and starts accepting connections.
    pub fn start(config: Config) -> io::Result<Self> {
        let listener = listener::bind(SocketAddr::new(config.bind, config.port), &config)?;
        let local_addr = listener.local_addr()?;
        let shutdown = Arc::new(Shutdown::new());
        let flusher = Arc::new(Flusher::new(Arc::clone(&shutdown))?);
        let history: Arc<dyn History> = Arc::new(NoHistory);
        let shared = Arc::new(Shared::new(config, TimeZone::system(), shutdown, history));
        let flusher_thread = thread::Builder::new().name("flusher".to_owned()).spawn({
            let flusher = Arc::clone(&flusher);
            move || flusher.run()
        })?;
        let accept_waker = Arc::new(Poller::new()?);
        shared.shutdown.wake_at(
            Stage::Begun,
            Arc::downgrade(&accept_waker) as Weak<dyn Wake>,
        );
        let acceptor = thread::Builder::new().name("acceptor".to_owned()).spawn({
            let shared = Arc::clone(&shared);
            move || listener::accept_loop(listener, accept_waker, shared, flusher)
        })?;
        let summaries = thread::Builder::new().name("summaries".to_owned()).spawn({
            let shared = Arc::clone(&shared);
            move || send_summaries(&shared)
        })?;
        tracing::info!(
            "listening on {local_addr} (max {} clients, {} per address)",
            shared.config.max_clients,
            shared.config.max_per_ip
        );
        Ok(Self {
            local_addr,
            shared,
            acceptor: Some(acceptor),
            flusher: Some(flusher_thread),
            summaries: Some(summaries),
        })
    }

    /// The address the server listens on (with the real port when 0 was asked for).
    pub fn local_addr(&self) -> SocketAddr {
        self.local_addr
    }

    /// How many connections are open right now (joined or still choosing a name).
    pub fn connections(&self) -> usize {
        self.shared.connections.count()
    }

    /// Stops gracefully: every client is told, queues get up to the shutdown grace to
    /// drain, then every connection is closed and the server's threads end.
    pub fn shutdown(mut self) {
        self.stop();
    }

    /// Begins the shutdown, which wakes the accept loop and every session; waits for the
    /// connections to go (each gets the shutdown grace to drain its queue); then
    /// finishes it, which ends the flusher.
    fn stop(&mut self) {
        let spread = reconnect_spread(self.shared.rooms.online());
        if !self.shared.shutdown.begin(spread) {
            return;
        }
        tracing::info!("shutting down: telling {} connections", self.connections());
        for thread in [self.acceptor.take(), self.summaries.take()]
            .into_iter()
            .flatten()
        {
            let _ = thread.join();
        }
        let patience = self.shared.config.shutdown_grace + Duration::from_secs(1);
        let left = self.shared.connections.wait_until_empty(patience);
        if left > 0 {
            tracing::warn!("{left} connections did not close in time");
        }
        self.shared.shutdown.finish();
        if let Some(flusher) = self.flusher.take() {
            let _ = flusher.join();
        }
        tracing::info!("stopped");
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.stop();
    }
}
