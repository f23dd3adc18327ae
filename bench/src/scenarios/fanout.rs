//! `fanout`: N clients in one room, K of them sending; how many deliveries per second
//! reach everyone, how late, and whether any is lost. The run itself is
//! [`crate::scenarios::timed`]; a run expects `clients × senders × messages`
//! deliveries.

use std::time::Duration;

use anyhow::{Context, Result, bail};
use clap::Args;
use serde::Serialize;

use crate::baseline::Baseline;
use crate::layout::Layout;
use crate::report::{self, Tabular};
use crate::scenarios::timed::table::{self, Ratios};
use crate::scenarios::timed::{self, TimedLoad, TimedRun};
use crate::scenarios::{FleetArgs, TargetArgs, open_target};
use crate::sender::SendPlan;
use crate::target::Target;

/// The pause after the joins of a `--tls` comparison, so that the server's summary of
/// the joins (sent once a second) falls before the timed window in both runs: TLS
/// handshakes make joining slow enough for it to fall inside otherwise.
const PAST_THE_JOIN_SUMMARY: Duration = Duration::from_millis(1200);

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

    /// Run the same load twice, over TLS and then in cleartext (a fresh server each,
    /// or the same --addr), and print the ratios TLS ÷ cleartext. The clients accept
    /// any certificate: a benchmark measures TLS's cost, it checks nobody's identity.
    #[arg(long, conflicts_with = "baseline")]
    tls: bool,
}

/// The result of `chat-bench fanout`.
#[derive(Debug, Clone, Serialize)]
pub struct FanoutReport {
    /// Which scenario this is.
    pub scenario: &'static str,
    /// The target first (over TLS with `--tls`), then the baseline if asked for (or the
    /// target in cleartext with `--tls`).
    pub runs: Vec<TimedRun>,
    /// Target ÷ baseline (TLS ÷ cleartext with `--tls`), when both ran.
    pub ratios: Option<Ratios>,
}

/// Runs the scenario and prints its report; fails if any delivery was lost.
pub fn run(args: &FanoutArgs, json: bool) -> Result<()> {
    let load = TimedLoad {
        clients: args.clients,
        layout: Layout::one_room(args.senders),
        plan: SendPlan {
            messages: args.messages,
            rate: args.rate,
            text_bytes: args.text_bytes,
        },
        settle: if args.tls {
            PAST_THE_JOIN_SUMMARY
        } else {
            Duration::ZERO
        },
        tls: args.tls,
    };
    let target = open_target(&args.target, args.clients)?;
    let mut runs = vec![timed::measure(target, &load, &args.fleet)?];
    if args.tls {
        let cleartext = TimedLoad { tls: false, ..load };
        let target = open_target(&args.target, args.clients)?;
        runs.push(timed::measure(target, &cleartext, &args.fleet)?);
    }
    if args.baseline {
        let baseline = Baseline::start(0).context("cannot start the baseline")?;
        runs.push(timed::measure(
            Target::Baseline(baseline),
            &load,
            &args.fleet,
        )?);
    }
    let ratios = match runs.as_slice() {
        [target, baseline] => Some(Ratios::between(target, baseline)),
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
        table::rows(&self.runs, self.ratios.as_ref())
    }
}
