//! The scenarios, and the steps they share: choosing the target, bringing clients into
//! the room, and waiting for the fleet to report.

pub mod churn;
pub mod connections;
pub mod fanout;
pub mod history;
pub mod logins;
pub mod rooms;
pub mod timed;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use clap::Args;

use crate::client::{self, Talker};
use crate::fleet::{Fleet, FleetEvent};
use crate::server_process::{self, ServerProcess};
use crate::target::Target;

/// Where the load goes (shared by every scenario).
#[derive(Debug, Clone, Args)]
pub struct TargetArgs {
    /// Load a server already running at HOST:PORT (its CPU and memory are not measured).
    #[arg(long, value_name = "HOST:PORT")]
    pub addr: Option<SocketAddr>,

    /// The chat-server binary to start on a free loopback port [default: the release
    /// chat-server next to this program].
    #[arg(long, value_name = "PATH", conflicts_with = "addr")]
    pub server_bin: Option<PathBuf>,

    /// An extra argument for the started server (repeatable), e.g.
    /// --server-arg=--send-queue-bytes=1048576.
    #[arg(long, value_name = "ARG", allow_hyphen_values = true)]
    pub server_arg: Vec<String>,
}

/// How the fleet is run (shared by every scenario).
#[derive(Debug, Clone, Args)]
pub struct FleetArgs {
    /// Reader threads for the simulated clients [default: one per core].
    #[arg(long)]
    pub threads: Option<usize>,

    /// Handshakes in flight at once while clients join.
    #[arg(long, default_value_t = 64)]
    pub connect_window: usize,

    /// Give up when nothing happens for this many seconds.
    #[arg(long, default_value_t = 60.0)]
    pub patience: f64,
}

impl FleetArgs {
    /// Reader threads to start.
    pub fn threads(&self) -> usize {
        self.threads.unwrap_or_else(|| {
            std::thread::available_parallelism().map_or(2, std::num::NonZeroUsize::get)
        })
    }

    /// The stall timeout.
    pub fn patience(&self) -> Duration {
        Duration::from_secs_f64(self.patience)
    }
}

/// Starts (or points at) the server the scenario loads, for `clients` clients.
pub fn open_target(args: &TargetArgs, clients: usize) -> Result<Target> {
    if let Some(addr) = args.addr {
        return Ok(Target::External(addr));
    }
    let binary = match &args.server_bin {
        Some(path) => path.clone(),
        None => server_process::default_binary()?,
    };
    Ok(Target::Process(ServerProcess::start(
        &binary,
        clients,
        &args.server_arg,
    )?))
}

/// Connects clients `first..first + count` and waits until every one is in all its rooms,
/// with at most `window` handshakes in flight; `joined` counts them for the progress line.
///
/// Returns how long it took, and the writing side of the first `keep` clients (the
/// senders').
pub fn join(
    fleet: &Fleet,
    addr: SocketAddr,
    first: usize,
    count: usize,
    fleet_args: &FleetArgs,
    joined: &AtomicU64,
    keep: usize,
) -> Result<(Duration, Vec<Talker>)> {
    let start = Instant::now();
    let window = fleet_args.connect_window.max(1);
    let mut kept = Vec::with_capacity(keep);
    let (mut connected, mut welcomed) = (0, 0);
    while welcomed < count {
        while connected < count && connected - welcomed < window {
            let id = first + connected;
            let room = fleet.layout().side_room_of(id);
            let name = fleet.client_name(id);
            let (stream, tls) = match fleet.tls() {
                None => (client::connect(addr, &name, room), None),
                Some(config) => match client::connect_tls(addr, &name, room, config) {
                    Ok((stream, link)) => (Ok(stream), Some(link)),
                    Err(e) => (Err(e), None),
                },
            };
            let stream = stream.with_context(|| format!("client {id} cannot connect to {addr}"))?;
            let talker = fleet.add(id, stream, tls)?;
            if kept.len() < keep {
                kept.push(talker);
            }
            connected += 1;
        }
        match fleet.next_event(fleet_args.patience()) {
            Some(FleetEvent::Welcomed(_)) => {
                welcomed += 1;
                joined.fetch_add(1, Ordering::Relaxed);
            }
            Some(FleetEvent::Closed(id, why)) => {
                bail!("client {id} was turned away after {welcomed} joined: {why}")
            }
            Some(_) => {}
            None => bail!(
                "no client joined for {:?} ({welcomed} joined)",
                fleet_args.patience()
            ),
        }
    }
    Ok((start.elapsed(), kept))
}

/// Pings every one of the `count` clients and waits until each has read its answer, so
/// that nothing queued before (join notices) is still on its way.
pub fn sync(fleet: &Fleet, count: usize, patience: Duration) -> Result<Duration> {
    let start = Instant::now();
    fleet.sync();
    let mut synced = 0;
    while synced < count {
        match fleet.next_event(patience) {
            Some(FleetEvent::Synced(_)) => synced += 1,
            Some(FleetEvent::Closed(id, why)) => bail!("client {id} was lost while syncing: {why}"),
            Some(_) => {}
            None => bail!("no answer to the barrier ping for {patience:?} ({synced} of {count})"),
        }
    }
    Ok(start.elapsed())
}

/// How waiting for the timed messages ended.
#[derive(Debug, Default)]
pub struct Completion {
    /// Clients that received every message they should have.
    pub done: usize,
    /// Clients whose connection closed first, with the first reason seen.
    pub closed: usize,
    /// Why the first closed client was closed.
    pub first_close_reason: Option<String>,
    /// Nothing happened for the patience: some messages never came.
    pub stalled: bool,
}

/// Waits until each of `count` clients has received everything or was closed, or until
/// nothing happens for `patience`.
pub fn await_done(fleet: &Fleet, count: usize, patience: Duration) -> Completion {
    let mut completion = Completion::default();
    while completion.done + completion.closed < count {
        match fleet.next_event(patience) {
            Some(FleetEvent::Done(_)) => completion.done += 1,
            Some(FleetEvent::Closed(_, why)) => {
                completion.closed += 1;
                completion.first_close_reason.get_or_insert(why);
            }
            Some(_) => {}
            None => {
                completion.stalled = true;
                break;
            }
        }
    }
    completion
}

/// A shared counter for the progress line.
pub fn counter() -> Arc<AtomicU64> {
    Arc::new(AtomicU64::new(0))
}
