//! The running server: starts the threads, and stops them gracefully.

use std::io;
use std::net::SocketAddr;
use std::sync::{Arc, Weak};
use std::thread::{self, JoinHandle};
use std::time::Duration;

use jiff::tz::TimeZone;
use polling::Poller;

use crate::accounts::{AccountError, Accounts, Lookup, MemoryAccounts, SqliteAccounts};
use crate::config::Config;
use crate::flusher::Flusher;
use crate::listener;
use crate::moderation::Bans;
use crate::moderation::store::BanStore;
use crate::room::PRESENCE_INTERVAL;
use crate::room::now_ms;
use crate::shared_state::Shared;
use crate::shutdown::{Shutdown, Slept, Stage, Wake};
use crate::store::{
    DB_FILE, History, HistoryStats, NoHistory, Retention, SqliteHistory, StoreError,
};
use crate::tls::{Tls, TlsError};

/// Why a server did not start.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    /// The port cannot be listened on.
    #[error("cannot listen on {address}: {source}")]
    Listen {
        /// The address and port asked for.
        address: SocketAddr,
        /// Why.
        source: io::Error,
    },
    /// The history store cannot be opened; the message names the file.
    #[error("{0}")]
    History(#[from] StoreError),
    /// The accounts cannot be opened; the message names the file.
    #[error("{0}")]
    Accounts(#[from] AccountError),
    /// TLS cannot be set up: a certificate or key file is missing or unusable, or the
    /// generated one cannot be saved.
    #[error("{0}")]
    Tls(#[from] TlsError),
    /// A thread cannot be started.
    #[error("cannot start a thread: {0}")]
    Thread(io::Error),
}

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

/// The history store the configuration asks for.
fn open_history(config: &Config) -> Result<Arc<dyn History>, StoreError> {
    let Some(dir) = config.data_dir.as_deref().filter(|_| !config.no_history) else {
        tracing::info!("keeping no history: nothing said survives a restart");
        return Ok(Arc::new(NoHistory::new()));
    };
    let retention = Retention {
        max_age: config
            .history_days
            .map(|days| Duration::from_secs(u64::from(days) * 24 * 3600)),
        max_per_room: config.history_max_messages,
    };
    let store = SqliteHistory::open(dir, retention)?;
    tracing::info!("history in {}", store.file().display());
    Ok(Arc::new(store))
}

/// The bans: in the history's database when there is one, else in memory only.
fn open_bans(config: &Config) -> Result<Bans, StoreError> {
    let Some(dir) = config.data_dir.as_deref().filter(|_| !config.no_history) else {
        return Ok(Bans::in_memory());
    };
    let bans = Bans::stored(BanStore::open(&dir.join(DB_FILE))?, now_ms())?;
    let count = bans.list(now_ms()).len();
    if count > 0 {
        tracing::info!("{count} bans in force");
    }
    Ok(bans)
}

/// Logs each `--operator` that is no registered account: until it is, whoever
/// registers the name first becomes that operator.
fn warn_of_unregistered_operators(config: &Config, accounts: &dyn Accounts) {
    for name in &config.operators {
        match accounts.lookup(name) {
            Ok(Lookup::Registered(_)) => {}
            Ok(_) => tracing::warn!(
                "operator {name} is no registered account yet: register it now (log in as \
                 {name}, then /register PASSWORD), before anyone else does"
            ),
            Err(error) => tracing::warn!("cannot check the operator {name}: {error}"),
        }
    }
}

/// The accounts beside the history: in its database when it has one, else in memory
/// for this run only.
fn open_accounts(config: &Config) -> Result<Arc<dyn Accounts>, AccountError> {
    match config.data_dir.as_deref().filter(|_| !config.no_history) {
        Some(dir) => Ok(Arc::new(SqliteAccounts::open(&dir.join(DB_FILE))?)),
        None => {
            tracing::warn!(
                "accounts are kept in memory: without a data directory, every account \
                 registered ends with this process"
            );
            Ok(Arc::new(MemoryAccounts::new()))
        }
    }
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
    /// Opens the history, the accounts and the bans (in `config.data_dir`; none without
    /// one, or with `--no-history`: accounts and bans then live in memory for the run),
    /// sets TLS up (see [`Tls::load`]; after the history, whose lock keeps a second
    /// server off the data directory), binds the port and starts accepting connections.
    pub fn start(config: Config) -> Result<Self, StartError> {
        let history = open_history(&config)?;
        let bans = open_bans(&config)?;
        let accounts = open_accounts(&config)?;
        warn_of_unregistered_operators(&config, accounts.as_ref());
        let tls = Tls::load(&config)?;
        let address = SocketAddr::new(config.bind, config.port);
        let listen_error = |source| StartError::Listen { address, source };
        let listener = listener::bind(address, &config).map_err(listen_error)?;
        let local_addr = listener.local_addr().map_err(listen_error)?;
        Self::run(config, tls, (history, accounts, bans), listener, local_addr)
            .map_err(StartError::Thread)
    }

    fn run(
        config: Config,
        tls: Tls,
        (history, accounts, bans): (Arc<dyn History>, Arc<dyn Accounts>, Bans),
        listener: std::net::TcpListener,
        local_addr: SocketAddr,
    ) -> io::Result<Self> {
        let shutdown = Arc::new(Shutdown::new());
        let flusher = Arc::new(Flusher::new(Arc::clone(&shutdown))?);
        let shared = Arc::new(Shared::new(
            config,
            TimeZone::system(),
            shutdown,
            history,
            accounts,
            bans,
        ));
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
            let tls = Arc::clone(&tls.server_config);
            move || listener::accept_loop(listener, accept_waker, shared, flusher, tls)
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
        tracing::info!(
            "TLS on the same port{}; certificate fingerprint SHA256:{}",
            if shared.config.require_tls {
                " (required: cleartext is refused)"
            } else {
                ", cleartext too"
            },
            tls.fingerprint
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

    /// What the history store has done so far.
    pub fn history_stats(&self) -> HistoryStats {
        self.shared.rooms.history().stats()
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
        let history = self.shared.rooms.history();
        history.close();
        let stats = history.stats();
        if stats.appended > 0 {
            tracing::info!(
                "history: {} events written, {} lost",
                stats.committed,
                stats.dropped
            );
        }
        tracing::info!("stopped");
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.stop();
    }
}
