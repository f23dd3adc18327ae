//! `history`: what keeping history costs and gives. Against the release server binary
//! with `--data-dir`: messages persisted per second, the fan-out burst with history on
//! and off, what a `kill -9` right after a burst loses, and the startup time on a big
//! history. Through the `chat_server` library (the store alone, no sockets): a bulk fill,
//! bytes per message, opening time, replay, resume and search times over that history.
//! The bench depends on the server crate for that part.

mod burst;
mod fanout;
mod server;
mod store;
mod words;

use std::path::PathBuf;

use anyhow::{Result, bail};
use clap::Args;
use serde::Serialize;
use tempfile::TempDir;

use crate::report::{self, Latency, Tabular, count};
use crate::scenarios::FleetArgs;
use crate::server_process;

/// `chat-bench history`.
#[derive(Debug, Clone, Args)]
pub struct HistoryArgs {
    #[command(flatten)]
    fleet: FleetArgs,

    /// The chat-server binary to start [default: the release chat-server next to this
    /// program].
    #[arg(long, value_name = "PATH")]
    server_bin: Option<PathBuf>,

    /// Connections posting in the persistence burst, each in a room of its own.
    #[arg(long, default_value_t = 2)]
    senders: usize,

    /// Messages each of them posts.
    #[arg(long, default_value_t = 100_000)]
    posts: u64,

    /// Messages posted (over the same connections) before the server is killed.
    #[arg(long, default_value_t = 20_000)]
    kill_posts: u64,

    /// Messages per second, over all connections, of the second kill's burst: a busy
    /// chat the writer keeps up with (the first posts as fast as allowed).
    #[arg(long, default_value_t = 10_000.0)]
    kill_rate: f64,

    /// Clients in the fan-out burst run with history on and off.
    #[arg(long, default_value_t = 1000)]
    fanout_clients: usize,

    /// Senders in that burst.
    #[arg(long, default_value_t = 10)]
    fanout_senders: u32,

    /// Messages each of them sends.
    #[arg(long, default_value_t = 200)]
    fanout_messages: u32,

    /// Times the burst runs each way, alternated.
    #[arg(long, default_value_t = 2)]
    rounds: usize,

    /// Messages the store is filled with before replay, resume and search are timed.
    #[arg(long, default_value_t = 1_000_000)]
    fill: u64,

    /// Rooms they are spread over.
    #[arg(long, default_value_t = 200)]
    rooms: usize,

    /// Replays, resumes and searches timed.
    #[arg(long, default_value_t = 200)]
    samples: usize,
}

/// The result of `chat-bench history`.
#[derive(Debug, Clone, Serialize)]
pub struct HistoryReport {
    /// Which scenario this is.
    pub scenario: &'static str,
    /// Messages persisted in a burst, server stopped gracefully.
    pub persisted: server::Persisted,
    /// A burst as fast as allowed, server killed right after the last echo.
    pub killed: server::Persisted,
    /// A burst at `--kill-rate`, server killed right after the last echo.
    pub killed_paced: server::Persisted,
    /// The fan-out burst with history on and off.
    pub fanout: fanout::OnOff,
    /// The store alone, filled and read.
    pub store: store::StoreFigures,
    /// The server binary's start on the filled store, to `listening on`, in ms.
    pub startup_ms: f64,
}

/// Runs the scenario and prints its report; fails if the fan-out lost deliveries. Messages
/// the server could not keep (its queue to the disk full) are reported, not a failure:
/// how many is a figure.
pub fn run(args: &HistoryArgs, json: bool) -> Result<()> {
    let binary = match &args.server_bin {
        Some(path) => path.clone(),
        None => server_process::default_binary()?,
    };
    let senders = args.senders.max(1);
    let persist = |messages, rate, kill| {
        server::persist(
            &binary,
            TempDir::new()?.path(),
            (senders, messages, rate),
            kill,
        )
    };
    let persisted = persist(args.posts, 0.0, false)?;
    let per_sender = args.kill_posts.div_ceil(senders as u64);
    let killed = persist(per_sender, 0.0, true)?;
    let killed_paced = persist(per_sender, args.kill_rate / senders as f64, true)?;
    let load = fanout::load(
        args.fanout_clients,
        args.fanout_senders,
        args.fanout_messages,
    );
    let fanout = fanout::measure(&binary, &load, args.rounds, &args.fleet)?;
    let filled = TempDir::new()?;
    let store = store::measure(filled.path(), args.fill, args.rooms, args.samples)?;
    let startup_ms = server::startup_ms(&binary, filled.path())?;
    let report = HistoryReport {
        scenario: "history",
        persisted,
        killed,
        killed_paced,
        fanout,
        store,
        startup_ms,
    };
    report::print(&report, json)?;
    if report.fanout.lost > 0 {
        bail!("{} deliveries were lost", report.fanout.lost);
    }
    Ok(())
}

impl Tabular for HistoryReport {
    fn header(&self) -> Vec<String> {
        ["history", "measured", "aim"].map(str::to_owned).to_vec()
    }

    fn rows(&self) -> Vec<Vec<String>> {
        let row =
            |name: &str, value: String, aim: &str| vec![name.to_owned(), value, aim.to_owned()];
        let rate = |v: f64| count(v as u64);
        let ms = |l: &Latency| format!("{:.3} / {:.3}", l.p50_ms, l.p99_ms);
        let (p, f, s) = (&self.persisted, &self.fanout, &self.store);
        let kept = |p: &server::Persisted| format!("{} of {}", count(p.kept), count(p.sent));
        let lost = |p: &server::Persisted| format!("{} ({:.1} ms)", count(p.lost), p.lost_ms);
        let runs = |runs: &[f64]| runs.iter().map(|&v| rate(v)).collect::<Vec<_>>().join(", ");
        vec![
            row(
                "burst: senders × messages",
                format!(
                    "{} × {}",
                    p.senders,
                    count(p.sent / p.senders.max(1) as u64)
                ),
                "",
            ),
            row("burst: messages kept", kept(p), "all"),
            row(
                "burst: seconds posting + stopping",
                format!("{:.2} + {:.2}", p.seconds, p.stop_seconds),
                "",
            ),
            row(
                "burst: persisted messages/s (server)",
                rate(p.per_second),
                "≥ 20,000",
            ),
            row(
                "store alone: appended messages/s",
                rate(s.appends_per_second),
                "≥ 20,000",
            ),
            row(
                "kill -9 after a full-speed burst: kept",
                kept(&self.killed),
                "",
            ),
            row(
                "kill -9 after a full-speed burst: lost",
                lost(&self.killed),
                "",
            ),
            row(
                &format!(
                    "kill -9 after {} msg/s: kept",
                    rate(self.killed_paced.rate * self.killed_paced.senders as f64)
                ),
                kept(&self.killed_paced),
                "",
            ),
            row(
                &format!(
                    "kill -9 after {} msg/s: lost",
                    rate(self.killed_paced.rate * self.killed_paced.senders as f64)
                ),
                lost(&self.killed_paced),
                "",
            ),
            row(
                "fan-out burst: clients, senders × messages",
                format!(
                    "{}, {} × {}",
                    count(f.clients as u64),
                    f.senders,
                    f.messages
                ),
                "",
            ),
            row("fan-out deliveries/s, history on", runs(&f.on), ""),
            row("fan-out deliveries/s, history off", runs(&f.off), ""),
            row("fan-out on ÷ off", format!("{:.2}", f.ratio), "≥ 0.9"),
            row(
                "store: messages, rooms",
                format!("{}, {}", count(s.messages), count(s.rooms as u64)),
                "",
            ),
            row("store: dropped in the fill", count(s.dropped), "0"),
            row("store: bytes on disk", report::bytes(s.disk_bytes), ""),
            row(
                "store: bytes per message",
                format!("{:.0}", s.bytes_per_message),
                "",
            ),
            row("store: open (ms)", format!("{:.1}", s.open_ms), ""),
            row(
                "server start to listening (ms)",
                format!("{:.1}", self.startup_ms),
                "",
            ),
            row("replay 50 on join, p50 / p99 (ms)", ms(&s.replay), "≤ 1"),
            row("resume 1,000, p50 / p99 (ms)", ms(&s.resume), ""),
            row(
                &format!("search of 1–2 words ×{}, p50 / p99 (ms)", s.searches),
                ms(&s.search),
                "p99 ≤ 50",
            ),
            row("search: matches found", count(s.search_matches), ""),
        ]
    }
}
