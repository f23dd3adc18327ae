//! `logins`: what accounts cost, and whether guessing passwords slows the chat down.
//!
//! One server, started with a fresh temporary data directory (accounts in SQLite, as in
//! production; with `--addr`, whatever store that server has), measured in two parts.
//! It replays no history to newcomers (`--replay-messages=0`): the members who chat
//! under the storm would otherwise be shown the quiet run's timed messages again, and
//! count them as theirs. A server at `--addr` that keeps history needs the same flag.
//!
//! - **Cost of a login**: `--logins` logins to a registered name with its password,
//!   alternated with as many to a free name without one, each a
//!   [`client::login_and_quit`] cycle timed from connecting to `welcome`. The first
//!   checks an argon2id hash; the second only looks the name up.
//! - **Guessing storm**: two members chat ([`timed`]: one sends `--messages` timed
//!   messages at `--rate`, both time their arrival), once in quiet and once while
//!   `--attackers` connections guess wrong passwords for `--accounts` registered names
//!   ([`storm`]). The server's CPU time and the attackers' hashes per second are read
//!   over the same window.
//!
//! The generated server exempts loopback from the per-address limits, as for every
//! scenario (all generated clients share 127.0.0.1): the attackers stand for guessers
//! on many addresses, which only the per-name throttle slows. Enough names keep every
//! guess hashed, the worst case for the server; whatever the throttle refused is counted
//! and shown.

pub mod storm;
mod table;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, PoisonError};
use std::thread;
use std::time::Duration;

use anyhow::{Context, Result, bail};
use clap::Args;
use hdrhistogram::Histogram;
use serde::Serialize;

use crate::client;
use crate::layout::Layout;
use crate::report::{self, Latency};
use crate::scenarios::timed::{self, TimedLoad, TimedRun};
use crate::scenarios::{FleetArgs, TargetArgs, open_target};
use crate::sender::SendPlan;
use crate::target::Target;
use storm::{Storm, StormFigures};

/// `chat-bench logins`.
#[derive(Debug, Clone, Args)]
pub struct LoginsArgs {
    #[command(flatten)]
    target: TargetArgs,

    #[command(flatten)]
    fleet: FleetArgs,

    /// Logins timed of each kind (to a registered name, to a free one).
    #[arg(long, default_value_t = 50)]
    logins: u32,

    /// Attacker connections guessing passwords [default: two per core].
    #[arg(long)]
    attackers: Option<usize>,

    /// Registered names the attackers guess at. The server allows 5 wrong passwords
    /// per name before refusing it for 30 s (its --login-failures and --login-lockout):
    /// the default is enough names for every guess of a default run to be hashed.
    #[arg(long, default_value_t = 200)]
    accounts: usize,

    /// Timed chat messages, in quiet and again under the storm.
    #[arg(long, default_value_t = 250)]
    messages: u32,

    /// Chat messages per second.
    #[arg(long, default_value_t = 50.0)]
    rate: f64,

    /// Seconds the storm runs before the chat is timed, so that it is at full strength.
    #[arg(long, default_value_t = 1.0)]
    warmup: f64,
}

/// The result of `chat-bench logins`.
#[derive(Debug, Clone, Serialize)]
pub struct LoginsReport {
    /// Which scenario this is.
    pub scenario: &'static str,
    /// What was measured.
    pub target: String,
    /// What one login costs.
    pub cost: LoginCost,
    /// The chat in quiet and under a guessing storm.
    pub storm: StormReport,
}

/// Logins to a registered name with its password against logins to a free name.
#[derive(Debug, Clone, Serialize)]
pub struct LoginCost {
    /// Logins timed of each kind.
    pub logins: u32,
    /// Connect to `welcome`, registered name with the right password.
    pub registered: Latency,
    /// Connect to `welcome`, free name without a password.
    pub unregistered: Latency,
    /// Registered ÷ unregistered, medians.
    pub ratio_p50: f64,
    /// Registered ÷ unregistered, 99th percentiles.
    pub ratio_p99: f64,
}

/// The same chat measured in quiet and under the storm.
#[derive(Debug, Clone, Serialize)]
pub struct StormReport {
    /// The chat with nobody guessing.
    pub quiet: TimedRun,
    /// The chat while the attackers guess.
    pub under_storm: TimedRun,
    /// What the attackers did.
    pub attack: StormFigures,
    /// The server's CPU seconds over the whole storm.
    pub storm_cpu_seconds: Option<f64>,
    /// Storm ÷ quiet, median chat latency.
    pub ratio_p50: f64,
    /// Storm ÷ quiet, 99th percentile of chat latency.
    pub ratio_p99: f64,
}

/// Runs the scenario and prints its report; fails if a login failed or a chat message
/// was lost.
pub fn run(args: &LoginsArgs, json: bool) -> Result<()> {
    let cores = std::thread::available_parallelism().map_or(2, usize::from);
    let attackers = args.attackers.unwrap_or(2 * cores);
    if args.logins == 0 || attackers == 0 || args.accounts == 0 || args.messages == 0 {
        bail!("--logins, --attackers, --accounts and --messages must be at least 1");
    }
    let warmup = Duration::try_from_secs_f64(args.warmup)
        .context("--warmup must be a number of seconds, 0 or more")?;
    let mut target_args = args.target.clone();
    let data_dir = match target_args.addr {
        Some(_) => None,
        None => Some(tempfile::tempdir().context("cannot make a temporary data directory")?),
    };
    if let Some(dir) = &data_dir {
        let dir = dir.path().display().to_string();
        target_args.server_arg.extend([
            "--data-dir".to_owned(),
            dir,
            "--replay-messages=0".to_owned(),
        ]);
    }
    // Attackers wait unjoined; the server must have room for them under its share of
    // connections still choosing a name.
    let target = open_target(&target_args, 4 * attackers + 16)?;
    let patience = args.fleet.patience();
    let cost = login_cost(&target, args.logins, patience)?;
    let names = register_accounts(&target, args.accounts, cores, patience)?;
    let load = TimedLoad {
        clients: 2,
        layout: Layout::one_room(1),
        plan: SendPlan {
            messages: args.messages,
            rate: args.rate,
            text_bytes: 64,
        },
        settle: Duration::ZERO,
        tls: false,
    };
    let quiet = timed::measure_on(&target, &load, &args.fleet)?;
    let cpu_before = target.cpu_seconds();
    let storm = Storm::start(target.addr(), attackers, names, patience)?;
    thread::sleep(warmup);
    let under_storm = timed::measure_on(&target, &load, &args.fleet);
    let attack = storm.stop();
    let storm_cpu_seconds = target.cpu_seconds().zip(cpu_before).map(|(a, b)| a - b);
    let under_storm = under_storm?;
    let label = target.label();
    target.stop();
    drop(data_dir);
    let report = LoginsReport {
        scenario: "logins",
        target: label,
        cost,
        storm: StormReport {
            ratio_p50: under_storm.latency.p50_ms / quiet.latency.p50_ms,
            ratio_p99: under_storm.latency.p99_ms / quiet.latency.p99_ms,
            quiet,
            under_storm,
            attack,
            storm_cpu_seconds,
        },
    };
    report::print_tables(&report, &[&report.cost, &report.storm], json)?;
    let lost = report.storm.quiet.lost + report.storm.under_storm.lost;
    if lost > 0 {
        bail!("{lost} chat messages were lost");
    }
    Ok(())
}

/// Registers a name and times logins to it, alternated with logins to a free name.
fn login_cost(target: &Target, logins: u32, patience: Duration) -> Result<LoginCost> {
    let addr = target.addr();
    let pid = std::process::id();
    let (owner, password, guest) = (
        format!("o{pid}"),
        "the owner's passphrase",
        format!("g{pid}"),
    );
    client::register(addr, &owner, password, patience)?;
    let (mut registered, mut unregistered) = (histogram(), histogram());
    for _ in 0..logins {
        let time = client::login_and_quit(addr, &owner, Some(password), patience)
            .with_context(|| format!("logging in to the registered {owner}"))?;
        registered.record(nanos(time))?;
        let time = client::login_and_quit(addr, &guest, None, patience)
            .with_context(|| format!("logging in as the free {guest}"))?;
        unregistered.record(nanos(time))?;
    }
    let (registered, unregistered) = (
        Latency::from_ns(&registered),
        Latency::from_ns(&unregistered),
    );
    Ok(LoginCost {
        logins,
        ratio_p50: registered.p50_ms / unregistered.p50_ms,
        ratio_p99: registered.p99_ms / unregistered.p99_ms,
        registered,
        unregistered,
    })
}

/// Registers `count` names for the attackers, `threads` at a time; returns them.
fn register_accounts(
    target: &Target,
    count: usize,
    threads: usize,
    patience: Duration,
) -> Result<Vec<String>> {
    let addr = target.addr();
    let pid = std::process::id();
    let names: Vec<String> = (0..count).map(|i| format!("v{pid}-{i}")).collect();
    let next = AtomicUsize::new(0);
    let failure = Mutex::new(None);
    thread::scope(|scope| {
        for _ in 0..threads.max(1) {
            scope.spawn(|| {
                while let Some(name) = names.get(next.fetch_add(1, Ordering::Relaxed)) {
                    let password = format!("{name}'s own passphrase");
                    if let Err(e) = client::register(addr, name, &password, patience) {
                        failure
                            .lock()
                            .unwrap_or_else(PoisonError::into_inner)
                            .get_or_insert(e);
                        return;
                    }
                }
            });
        }
    });
    match failure.into_inner().unwrap_or_else(PoisonError::into_inner) {
        Some(e) => Err(e.context("registering the names to guess at")),
        None => Ok(names),
    }
}

fn histogram() -> Histogram<u64> {
    Histogram::new_with_bounds(1, 3_600_000_000_000, 3).expect("valid histogram bounds")
}

fn nanos(time: Duration) -> u64 {
    u64::try_from(time.as_nanos()).unwrap_or(u64::MAX).max(1)
}
