//! `fanout`: N clients in one room, K of them sending; how many deliveries per second
//! reach everyone, how late, and whether any is lost.
//!
//! Every client, senders included, counts every timed message: the server sends the
//! sender its own message back as confirmation, and the baseline does the same, so a run
//! expects `clients × senders × messages` deliveries. Clients first join and drain their
//! join notices (a barrier ping), so that the measured window holds only the messages.

use std::sync::atomic::Ordering;
use std::sync::{Arc, Barrier};

use anyhow::{Context, Result, bail};
use clap::Args;
use serde::Serialize;

use crate::baseline::Baseline;
use crate::fleet::Fleet;
use crate::progress::Progress;
use crate::report::{self, Latency, Tabular, bytes, count, maybe};
use crate::scenarios::{FleetArgs, TargetArgs, await_done, counter, join, open_target, sync};
use crate::sender::{self, SendPlan};
use crate::target::Target;

/// `chat-bench fanout`.
#[derive(Debug, Clone, Args)]
pub struct FanoutArgs {
    #[command(flatten)]
    target: TargetArgs,

    #[command(flatten)]
    fleet: FleetArgs,

    /// Clients in the room.
    #[arg(long, default_value_t = 1000)]
    clients: usize,

    /// How many of them send.
    #[arg(long, default_value_t = 10)]
    senders: u32,

    /// Messages each sender sends.
    #[arg(long, default_value_t = 200)]
    messages: u32,

    /// Messages per second per sender; 0 sends as fast as possible.
    #[arg(long, default_value_t = 0.0)]
    rate: f64,

    /// Shortest message text in bytes (the timing probe is padded up to it).
    #[arg(long, default_value_t = 64)]
    text_bytes: usize,

    /// Also run the same load against the built-in baseline and print the ratios.
    #[arg(long)]
    baseline: bool,
}

/// One fan-out run against one target.
#[derive(Debug, Clone, Serialize)]
pub struct FanoutRun {
    /// What was measured.
    pub target: String,
    /// Clients in the room.
    pub clients: usize,
    /// Clients that sent.
    pub senders: u32,
    /// Messages per sender.
    pub messages_per_sender: u32,
    /// Messages per second per sender (0: as fast as possible).
    pub rate: f64,
    /// Time for every client to join, in seconds.
    pub join_seconds: f64,
    /// Deliveries expected: clients × senders × messages.
    pub expected_deliveries: u64,
    /// Deliveries received.
    pub deliveries: u64,
    /// Deliveries never received (must be 0).
    pub lost: u64,
    /// Deliveries out of their sender's order (must be 0).
    pub reordered: u64,
    /// Clients whose connection closed during the run.
    pub disconnected: usize,
    /// Why the first of them was closed.
    pub disconnect_reason: Option<String>,
    /// From the first send to the last receipt, in seconds.
    pub seconds: f64,
    /// Deliveries per second over that window.
    pub deliveries_per_second: f64,
    /// Send-to-receipt latency.
    pub latency: Latency,
    /// CPU seconds the target used over the run (server process or baseline thread).
    pub cpu_seconds: Option<f64>,
    /// Its CPU time per delivery, in microseconds.
    pub cpu_us_per_delivery: Option<f64>,
    /// The server process's peak resident memory, in bytes.
    pub peak_rss_bytes: Option<u64>,
}

/// The target compared with the baseline, measured in the same run.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct Ratios {
    /// Target deliveries/s ÷ baseline deliveries/s (aim: ≥ 0.5).
    pub throughput: f64,
    /// Target p99 ÷ baseline p99 (aim: ≤ 3).
    pub p99: f64,
    /// Target CPU per delivery ÷ baseline CPU per delivery.
    pub cpu_per_delivery: Option<f64>,
}

/// The result of `chat-bench fanout`.
#[derive(Debug, Clone, Serialize)]
pub struct FanoutReport {
    /// Which scenario this is.
    pub scenario: &'static str,
    /// The target first, then the baseline if asked for.
    pub runs: Vec<FanoutRun>,
    /// Target ÷ baseline, when both ran.
    pub ratios: Option<Ratios>,
}

/// Runs the scenario and prints its report; fails if any delivery was lost.
pub fn run(args: &FanoutArgs, json: bool) -> Result<()> {
    let mut runs = vec![measure(open_target(&args.target, args.clients)?, args)?];
    if args.baseline {
        let baseline = Baseline::start(0).context("cannot start the baseline")?;
        runs.push(measure(Target::Baseline(baseline), args)?);
    }
    let ratios = match runs.as_slice() {
        [target, baseline] => Some(Ratios {
            throughput: target.deliveries_per_second / baseline.deliveries_per_second,
            p99: target.latency.p99_ms / baseline.latency.p99_ms,
            cpu_per_delivery: target
                .cpu_us_per_delivery
                .zip(baseline.cpu_us_per_delivery)
                .filter(|&(_, b)| b > 0.0)
                .map(|(t, b)| t / b),
        }),
        _ => None,
    };
    let report = FanoutReport {
        scenario: "fanout",
        runs,
        ratios,
    };
    report::print(&report, json)?;
    let lost: u64 = report.runs.iter().map(|run| run.lost).sum();
    if lost > 0 {
        bail!("{lost} deliveries were lost");
    }
    Ok(())
}

fn measure(target: Target, args: &FanoutArgs) -> Result<FanoutRun> {
    let (clients, senders) = (args.clients, args.senders);
    if senders as usize > clients {
        bail!("--senders ({senders}) cannot exceed --clients ({clients})");
    }
    let per_client = u64::from(senders) * u64::from(args.messages);
    let expected = per_client * clients as u64;
    let label = target.label();
    let fleet = Fleet::new(args.fleet.threads(), senders as usize, per_client)?;
    let joined = counter();
    let _progress = Progress::start({
        let (counters, joined, label) = (fleet.counters(), Arc::clone(&joined), label.clone());
        let mut last = (0.0, 0);
        move |now| {
            let delivered = counters.deliveries.load(Ordering::Relaxed);
            let rate = (delivered - last.1) as f64 / (now - last.0);
            last = (now, delivered);
            format!(
                "{label}: {} of {clients} joined, {} of {} delivered ({}/s)",
                joined.load(Ordering::Relaxed),
                count(delivered),
                count(expected),
                count(rate as u64)
            )
        }
    });
    let patience = args.fleet.patience();
    let (join_time, streams) = join(
        &fleet,
        target.addr(),
        0,
        clients,
        &args.fleet,
        &joined,
        senders as usize,
    )?;
    sync(&fleet, clients, patience)?;
    let cpu_before = target.cpu_seconds();
    let start = Arc::new(Barrier::new(senders as usize + 1));
    let plan = SendPlan {
        messages: args.messages,
        rate: args.rate,
        text_bytes: args.text_bytes,
    };
    let threads = streams
        .into_iter()
        .zip(0..)
        .map(|(stream, index)| sender::spawn(index, senders, stream, plan, Arc::clone(&start)))
        .collect::<std::io::Result<Vec<_>>>()?;
    start.wait();
    let completion = await_done(&fleet, clients, patience);
    let cpu = target.cpu_seconds().zip(cpu_before).map(|(a, b)| a - b);
    let memory = target.memory();
    let mut first_send = u64::MAX;
    for thread in threads {
        let started = thread
            .join()
            .map_err(|_| anyhow::anyhow!("a sender panicked"))?
            .context("a sender could not send")?;
        first_send = first_send.min(started);
    }
    target.stop();
    let tally = fleet.finish();
    let seconds = tally.last_receipt_ns.saturating_sub(first_send) as f64 / 1e9;
    Ok(FanoutRun {
        target: label,
        clients,
        senders,
        messages_per_sender: args.messages,
        rate: args.rate,
        join_seconds: join_time.as_secs_f64(),
        expected_deliveries: expected,
        deliveries: tally.received,
        lost: tally.lost,
        reordered: tally.reordered,
        disconnected: completion.closed,
        disconnect_reason: completion.first_close_reason,
        seconds,
        deliveries_per_second: tally.received as f64 / seconds,
        latency: Latency::from_ns(&tally.latency_ns),
        cpu_seconds: cpu,
        cpu_us_per_delivery: cpu.map(|cpu| cpu * 1e6 / tally.received.max(1) as f64),
        peak_rss_bytes: memory.map(|m| m.peak_rss_bytes),
    })
}

impl Tabular for FanoutReport {
    fn header(&self) -> Vec<String> {
        let mut header = vec!["fanout".to_owned()];
        header.extend(self.runs.iter().map(|run| run.target.clone()));
        if self.ratios.is_some() {
            header.push("ratio".to_owned());
        }
        header
    }

    fn rows(&self) -> Vec<Vec<String>> {
        let ratio = |pick: fn(&Ratios) -> Option<f64>| {
            self.ratios
                .as_ref()
                .map(|r| maybe(pick(r), |v| format!("{v:.2}")))
        };
        let row = |name: &str, cell: &dyn Fn(&FanoutRun) -> String, ratio: Option<String>| {
            let mut row = vec![name.to_owned()];
            row.extend(self.runs.iter().map(cell));
            row.extend(ratio.or_else(|| self.ratios.map(|_| String::new())));
            row
        };
        let ms = |v: f64| format!("{v:.3}");
        vec![
            row("clients", &|r| count(r.clients as u64), None),
            row(
                "senders × messages",
                &|r| {
                    format!(
                        "{} × {}",
                        r.senders,
                        count(u64::from(r.messages_per_sender))
                    )
                },
                None,
            ),
            row(
                "rate per sender (msg/s)",
                &|r| match r.rate {
                    0.0 => "max".to_owned(),
                    rate => format!("{rate}"),
                },
                None,
            ),
            row("join time (s)", &|r| format!("{:.2}", r.join_seconds), None),
            row("deliveries", &|r| count(r.deliveries), None),
            row("lost", &|r| count(r.lost), None),
            row("reordered", &|r| count(r.reordered), None),
            row("disconnected", &|r| count(r.disconnected as u64), None),
            row("run time (s)", &|r| format!("{:.3}", r.seconds), None),
            row(
                "deliveries/s",
                &|r| count(r.deliveries_per_second as u64),
                ratio(|r| Some(r.throughput)),
            ),
            row("latency p50 (ms)", &|r| ms(r.latency.p50_ms), None),
            row(
                "latency p99 (ms)",
                &|r| ms(r.latency.p99_ms),
                ratio(|r| Some(r.p99)),
            ),
            row("latency p99.9 (ms)", &|r| ms(r.latency.p999_ms), None),
            row("latency max (ms)", &|r| ms(r.latency.max_ms), None),
            row(
                "CPU (s)",
                &|r| maybe(r.cpu_seconds, |v| format!("{v:.2}")),
                None,
            ),
            row(
                "CPU per delivery (µs)",
                &|r| maybe(r.cpu_us_per_delivery, |v| format!("{v:.3}")),
                ratio(|r| r.cpu_per_delivery),
            ),
            row("peak RSS", &|r| maybe(r.peak_rss_bytes, bytes), None),
        ]
    }
}
