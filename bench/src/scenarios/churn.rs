//! `churn`: clients that connect, join, quit and disconnect, over and over; how many such
//! cycles per second the server sustains, optionally with idle members in the room who
//! receive every join and leave notice.
//!
//! A cycle is [`client::login_and_quit`]: connect, `hello` + `login`, wait for `welcome`,
//! `quit`, wait until the server closes the connection (by then the name is free again).
//! Each worker thread runs its cycles one after another under one name.

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::thread;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use clap::Args;
use hdrhistogram::Histogram;
use serde::Serialize;

use crate::client;
use crate::fleet::Fleet;
use crate::layout::Layout;
use crate::progress::Progress;
use crate::report::{self, Latency, Tabular, count, maybe};
use crate::scenarios::{FleetArgs, TargetArgs, counter, join, open_target, sync};

/// `chat-bench churn`.
#[derive(Debug, Clone, Args)]
pub struct ChurnArgs {
    #[command(flatten)]
    target: TargetArgs,

    #[command(flatten)]
    fleet: FleetArgs,

    /// Connect / join / quit cycles in all.
    #[arg(long, default_value_t = 5000)]
    cycles: u32,

    /// Threads running cycles at the same time.
    #[arg(long, default_value_t = 4)]
    workers: u32,

    /// Idle members in the room, receiving every join and leave notice.
    #[arg(long, default_value_t = 0)]
    idle: usize,
}

/// The result of `chat-bench churn`.
#[derive(Debug, Clone, Serialize)]
pub struct ChurnReport {
    /// Which scenario this is.
    pub scenario: &'static str,
    /// What was measured.
    pub target: String,
    /// Idle members in the room.
    pub idle: usize,
    /// Threads cycling at once.
    pub workers: u32,
    /// Cycles completed.
    pub cycles: u64,
    /// Cycles that failed.
    pub failures: u64,
    /// Why the first failure failed.
    pub first_failure: Option<String>,
    /// Time for all cycles, in seconds.
    pub seconds: f64,
    /// Cycles completed per second.
    pub cycles_per_second: f64,
    /// Duration of one cycle.
    pub cycle: Latency,
    /// Server CPU seconds used by the cycles.
    pub cpu_seconds: Option<f64>,
    /// Its CPU time per cycle, in microseconds.
    pub cpu_us_per_cycle: Option<f64>,
}

/// Runs the scenario and prints its report.
pub fn run(args: &ChurnArgs, json: bool) -> Result<()> {
    if args.workers == 0 {
        bail!("--workers must be at least 1");
    }
    let target = open_target(&args.target, args.idle + args.workers as usize)?;
    let addr = target.addr();
    let fleet = Fleet::new(args.fleet.threads(), Layout::one_room(0), 0)?;
    let joined = counter();
    if args.idle > 0 {
        join(&fleet, addr, 0, args.idle, &args.fleet, &joined, 0)?;
        sync(&fleet, args.idle, args.fleet.patience())?;
    }
    let completed = counter();
    let progress = Progress::start({
        let completed = Arc::clone(&completed);
        let total = args.cycles;
        move |now| {
            let done = completed.load(Ordering::Relaxed);
            format!("{done} of {total} cycles ({:.0}/s)", done as f64 / now)
        }
    });
    let cpu_before = target.cpu_seconds();
    let start = Instant::now();
    let workers = (0..args.workers)
        .map(|worker| {
            let cycles =
                args.cycles / args.workers + u32::from(worker < args.cycles % args.workers);
            let name = format!("c{}-{worker}", std::process::id());
            let completed = Arc::clone(&completed);
            let patience = args.fleet.patience();
            thread::Builder::new()
                .name(format!("churn-{worker}"))
                .spawn(move || cycle_many(addr, &name, cycles, patience, &completed))
        })
        .collect::<std::io::Result<Vec<_>>>()?;
    let mut histogram = new_histogram();
    let (mut failures, mut first_failure) = (0, None);
    for worker in workers {
        let outcome = worker
            .join()
            .map_err(|_| anyhow::anyhow!("a worker panicked"))?;
        histogram
            .add(&outcome.cycles)
            .context("merging histograms")?;
        failures += outcome.failures;
        first_failure = first_failure.or(outcome.first_failure);
    }
    let seconds = start.elapsed().as_secs_f64();
    let cpu = target.cpu_seconds().zip(cpu_before).map(|(a, b)| a - b);
    drop(progress);
    let label = target.label();
    target.stop();
    fleet.finish();
    let cycles = histogram.len();
    let report = ChurnReport {
        scenario: "churn",
        target: label,
        idle: args.idle,
        workers: args.workers,
        cycles,
        failures,
        first_failure,
        seconds,
        cycles_per_second: cycles as f64 / seconds,
        cycle: Latency::from_ns(&histogram),
        cpu_seconds: cpu,
        cpu_us_per_cycle: cpu.map(|cpu| cpu * 1e6 / cycles.max(1) as f64),
    };
    report::print(&report, json)?;
    if failures > 0 {
        bail!("{failures} cycles failed");
    }
    Ok(())
}

/// What one worker measured.
struct Outcome {
    cycles: Histogram<u64>,
    failures: u64,
    first_failure: Option<String>,
}

fn new_histogram() -> Histogram<u64> {
    Histogram::new_with_bounds(1, 3_600_000_000_000, 3).expect("valid histogram bounds")
}

fn cycle_many(
    addr: SocketAddr,
    name: &str,
    cycles: u32,
    patience: Duration,
    completed: &AtomicU64,
) -> Outcome {
    let mut outcome = Outcome {
        cycles: new_histogram(),
        failures: 0,
        first_failure: None,
    };
    for _ in 0..cycles {
        let start = Instant::now();
        match client::login_and_quit(addr, name, None, patience) {
            Ok(_) => {
                let _ = outcome
                    .cycles
                    .record(start.elapsed().as_nanos().max(1) as u64);
                completed.fetch_add(1, Ordering::Relaxed);
            }
            Err(e) => {
                outcome.failures += 1;
                outcome.first_failure.get_or_insert(format!("{e:#}"));
            }
        }
    }
    outcome
}

impl Tabular for ChurnReport {
    fn header(&self) -> Vec<String> {
        vec!["churn".to_owned(), self.target.clone()]
    }

    fn rows(&self) -> Vec<Vec<String>> {
        let ms = |v: f64| format!("{v:.2}");
        let rows = [
            ("idle members", count(self.idle as u64)),
            ("workers", count(u64::from(self.workers))),
            ("cycles", count(self.cycles)),
            ("failures", count(self.failures)),
            ("run time (s)", format!("{:.2}", self.seconds)),
            ("cycles/s", format!("{:.0}", self.cycles_per_second)),
            ("cycle p50 (ms)", ms(self.cycle.p50_ms)),
            ("cycle p99 (ms)", ms(self.cycle.p99_ms)),
            ("cycle max (ms)", ms(self.cycle.max_ms)),
            ("CPU (s)", maybe(self.cpu_seconds, |v| format!("{v:.2}"))),
            (
                "CPU per cycle (µs)",
                maybe(self.cpu_us_per_cycle, |v| format!("{v:.0}")),
            ),
        ];
        rows.into_iter()
            .map(|(name, value)| vec![name.to_owned(), value])
            .collect()
    }
}
