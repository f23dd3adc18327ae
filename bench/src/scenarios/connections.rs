//! `connections`: ramp up to N idle clients; how fast they join, what each costs the
//! server in memory, and how long one message takes to reach them all.
//!
//! Every join is announced to everyone already in the room, so a ramp to N clients makes
//! the server send, and the clients read, about N²/2 join notices: the join rate falls as
//! the room grows, which is why the last tenth of the ramp is reported on its own.

use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use clap::Args;
use serde::Serialize;

use crate::fleet::{Fleet, FleetEvent};
use crate::layout::Layout;
use crate::proc_stats::Memory;
use crate::progress::Progress;
use crate::report::{self, Latency, Tabular, bytes, count, maybe};
use crate::scenarios::{FleetArgs, TargetArgs, await_done, counter, join, open_target, sync};
use crate::sender::{self, SendPlan};

/// `chat-bench connections`.
#[derive(Debug, Clone, Args)]
pub struct ConnectionsArgs {
    #[command(flatten)]
    target: TargetArgs,

    #[command(flatten)]
    fleet: FleetArgs,

    /// Idle clients to bring into the room.
    #[arg(long, default_value_t = 10_000)]
    clients: usize,

    /// Seconds to hold them all idle, measuring the server's idle CPU time.
    #[arg(long, default_value_t = 5.0)]
    hold: f64,
}

/// The result of `chat-bench connections`.
#[derive(Debug, Clone, Serialize)]
pub struct ConnectionsReport {
    /// Which scenario this is.
    pub scenario: &'static str,
    /// What was measured.
    pub target: String,
    /// Clients that joined and were held.
    pub clients: usize,
    /// Time for all of them to join, in seconds.
    pub join_seconds: f64,
    /// Joins per second over the whole ramp.
    pub joins_per_second: f64,
    /// Joins per second over the last tenth of the ramp (the fullest room).
    pub last_tenth_joins_per_second: f64,
    /// Time for every client to read its backlog of join notices after the ramp, in s.
    pub drain_seconds: f64,
    /// The server process before any client, and with all of them idle.
    pub memory_before: Option<Memory>,
    /// See `memory_before`.
    pub memory_held: Option<Memory>,
    /// (RSS held − RSS before) ÷ clients, in bytes.
    pub rss_per_client_bytes: Option<f64>,
    /// Memory mappings ÷ threads, with all clients held.
    pub mappings_per_thread: Option<f64>,
    /// How long the clients were held idle, in seconds.
    pub hold_seconds: f64,
    /// Server CPU seconds used while they were idle.
    pub idle_cpu_seconds: Option<f64>,
    /// Clients that lost their connection.
    pub disconnected: usize,
    /// Time for one message to reach each client: p50 is half of them, max is all.
    pub broadcast: Latency,
    /// Clients that received that message.
    pub broadcast_received: u64,
}

/// Runs the scenario and prints its report.
pub fn run(args: &ConnectionsArgs, json: bool) -> Result<()> {
    let clients = args.clients;
    if clients == 0 {
        bail!("--clients must be at least 1");
    }
    let target = open_target(&args.target, clients)?;
    let memory_before = target.memory();
    let announcing = Layout::one_room(1);
    let fleet = Fleet::new(args.fleet.threads(), announcing, 1)?;
    let joined = counter();
    let progress = Progress::start({
        let (joined, counters) = (Arc::clone(&joined), fleet.counters());
        let mut last = (0.0, 0);
        move |now| {
            let done = joined.load(Ordering::Relaxed);
            let rate = (done - last.1) as f64 / (now - last.0);
            last = (now, done);
            format!(
                "{done} of {clients} joined ({rate:.0}/s), clients read {} MiB",
                counters.bytes.load(Ordering::Relaxed) >> 20
            )
        }
    });
    let addr = target.addr();
    let most = clients - clients / 10;
    let (first_part, senders) = join(&fleet, addr, 0, most, &args.fleet, &joined, 1)?;
    let (last_tenth, _) = join(&fleet, addr, most, clients - most, &args.fleet, &joined, 0)?;
    let drain = sync(&fleet, clients, args.fleet.patience())?;
    drop(progress);
    let memory_held = target.memory();

    let hold = Duration::from_secs_f64(args.hold);
    let cpu_before = target.cpu_seconds();
    let mut disconnected = 0;
    let deadline = Instant::now() + hold;
    while let Some(left) = deadline.checked_duration_since(Instant::now()) {
        if let Some(FleetEvent::Closed(..)) = fleet.next_event(left) {
            disconnected += 1;
        }
    }
    let idle_cpu = target.cpu_seconds().zip(cpu_before).map(|(a, b)| a - b);

    let announcer = senders
        .into_iter()
        .next()
        .context("no client to broadcast")?;
    let plan = SendPlan {
        messages: 1,
        rate: 0.0,
        text_bytes: 0,
    };
    let start = Arc::new(std::sync::Barrier::new(1));
    sender::spawn(0, announcing, announcer, plan, start)?
        .join()
        .map_err(|_| anyhow::anyhow!("the sender panicked"))??;
    let completion = await_done(&fleet, clients - disconnected, args.fleet.patience());
    let label = target.label();
    target.stop();
    let tally = fleet.finish();

    let join_seconds = (first_part + last_tenth).as_secs_f64();
    let report = ConnectionsReport {
        scenario: "connections",
        target: label,
        clients,
        join_seconds,
        joins_per_second: clients as f64 / join_seconds,
        last_tenth_joins_per_second: (clients - most) as f64 / last_tenth.as_secs_f64(),
        drain_seconds: drain.as_secs_f64(),
        memory_before,
        memory_held,
        rss_per_client_bytes: memory_before.zip(memory_held).map(|(before, held)| {
            held.rss_bytes.saturating_sub(before.rss_bytes) as f64 / clients as f64
        }),
        mappings_per_thread: memory_held.map(|m| m.mappings as f64 / m.threads.max(1) as f64),
        hold_seconds: hold.as_secs_f64(),
        idle_cpu_seconds: idle_cpu,
        disconnected: disconnected + completion.closed,
        broadcast: Latency::from_ns(&tally.latency_ns),
        broadcast_received: tally.received,
    };
    report::print(&report, json)
}

impl Tabular for ConnectionsReport {
    fn header(&self) -> Vec<String> {
        vec!["connections".to_owned(), self.target.clone()]
    }

    fn rows(&self) -> Vec<Vec<String>> {
        let memory = |pick: fn(&Memory) -> u64, m: Option<Memory>| m.map(|m| pick(&m));
        let rows = [
            ("clients held", count(self.clients as u64)),
            ("join time (s)", format!("{:.2}", self.join_seconds)),
            ("joins/s", format!("{:.0}", self.joins_per_second)),
            (
                "joins/s, last tenth",
                format!("{:.0}", self.last_tenth_joins_per_second),
            ),
            (
                "backlog drained in (s)",
                format!("{:.2}", self.drain_seconds),
            ),
            (
                "server RSS before",
                maybe(memory(|m| m.rss_bytes, self.memory_before), bytes),
            ),
            (
                "server RSS held",
                maybe(memory(|m| m.rss_bytes, self.memory_held), bytes),
            ),
            (
                "RSS per client",
                maybe(self.rss_per_client_bytes, |b| bytes(b as u64)),
            ),
            (
                "peak RSS",
                maybe(memory(|m| m.peak_rss_bytes, self.memory_held), bytes),
            ),
            (
                "server threads",
                maybe(memory(|m| m.threads, self.memory_held), count),
            ),
            (
                "memory mappings",
                maybe(memory(|m| m.mappings, self.memory_held), count),
            ),
            (
                "mappings per thread",
                maybe(self.mappings_per_thread, |v| format!("{v:.2}")),
            ),
            (
                "idle CPU (s)",
                maybe(self.idle_cpu_seconds, |v| {
                    format!("{v:.2} in {:.0} s", self.hold_seconds)
                }),
            ),
            ("disconnected", count(self.disconnected as u64)),
            ("broadcast reached", count(self.broadcast_received)),
            (
                "broadcast to half (ms)",
                format!("{:.1}", self.broadcast.p50_ms),
            ),
            (
                "broadcast to all (ms)",
                format!("{:.1}", self.broadcast.max_ms),
            ),
        ];
        rows.into_iter()
            .map(|(name, value)| vec![name.to_owned(), value])
            .collect()
    }
}
