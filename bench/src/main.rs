//! `chat-bench`: a load generator for chat-server that speaks the structured protocol over
//! real TCP, and a baseline to compare it with.
//!
//! Scenarios (one subcommand each, see `BENCHMARKS.md`):
//! - `fanout`: many clients in one room, some sending; deliveries/s, latency, losses.
//! - `rooms`: many small rooms inside one big one, messages in both, beside one room.
//! - `connections`: many idle clients; join rate, memory per client, broadcast time.
//! - `churn`: connect / join / quit cycles per second.
//! - `history`: persisted messages/s, history's cost to fan-out, what a crash loses,
//!   replay, resume and search times over a big history, bytes per message.
//! - `logins`: what a login with a password costs, and the chat's latency while
//!   attackers guess passwords.
//! - `baseline`: serve the minimal fan-out program alone, for `--addr` runs.
//!
//! How it is built: [`client`] is one simulated client, [`fleet`] reads many of them with
//! a few epoll threads, [`layout`] says who is in which room and who speaks where,
//! [`sender`] writes timed messages ([`probe`]), [`target`] is what is loaded
//! ([`server_process`] or [`baseline`]), [`proc_stats`] reads its costs from `/proc`,
//! [`report`] and [`progress`] print; [`tls`] lets the clients speak TLS (bench only:
//! they accept any certificate).

mod baseline;
mod client;
mod fleet;
mod layout;
mod probe;
mod proc_stats;
mod progress;
mod report;
mod scenarios;
mod sender;
mod server_process;
mod target;
mod tls;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::baseline::Baseline;
use crate::scenarios::{churn, connections, fanout, history, logins, rooms};

/// Load generator and benchmarks for chat-server.
#[derive(Debug, Parser)]
#[command(name = "chat-bench", version)]
struct Cli {
    /// Print the result as JSON on stdout instead of a table.
    #[arg(long, global = true)]
    json: bool,

    #[command(subcommand)]
    scenario: Scenario,
}

#[derive(Debug, Subcommand)]
enum Scenario {
    /// N clients in one room, K of them sending M timed messages each.
    Fanout(fanout::FanoutArgs),
    /// N clients in many small rooms and all in the default room, senders in both;
    /// beside one room with the same messages.
    ///
    /// The defaults (1,000 clients in 100 rooms of 10, 100 + 10 senders × 200 messages at
    /// full speed) make 2.2 million deliveries in the rooms and 22 million in the one room
    /// beside them: about half a second and a few seconds of sending on two cores, well
    /// under a minute in all, and long enough for the server's CPU time (read in 10 ms
    /// ticks) to mean something.
    Rooms(rooms::RoomsArgs),
    /// Ramp up to N idle clients; join rate, server memory per client, broadcast time.
    Connections(connections::ConnectionsArgs),
    /// Connect / join / quit cycles per second.
    Churn(churn::ChurnArgs),
    /// History kept on disk: persisted messages/s, fan-out with history on and off, loss
    /// on `kill -9`, startup, replay, resume and search over a million stored messages.
    History(history::HistoryArgs),
    /// Accounts: a login with a password beside one without, and two members' chat in
    /// quiet and while attackers guess passwords (hashes/s, throttled guesses, CPU).
    Logins(logins::LoginsArgs),
    /// Serve the baseline fan-out program on 127.0.0.1 until stopped.
    Baseline {
        /// Port to listen on (0 picks a free one).
        #[arg(long, default_value_t = 0)]
        port: u16,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    if let Err(e) = rlimit::increase_nofile_limit(u64::MAX) {
        eprintln!("chat-bench: cannot raise the open-files limit: {e}");
    }
    let outcome = match &cli.scenario {
        Scenario::Fanout(args) => fanout::run(args, cli.json),
        Scenario::Rooms(args) => rooms::run(args, cli.json),
        Scenario::Connections(args) => connections::run(args, cli.json),
        Scenario::Churn(args) => churn::run(args, cli.json),
        Scenario::History(args) => history::run(args, cli.json),
        Scenario::Logins(args) => logins::run(args, cli.json),
        Scenario::Baseline { port } => serve_baseline(*port),
    };
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("chat-bench: {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn serve_baseline(port: u16) -> anyhow::Result<()> {
    let baseline = Baseline::start(port)?;
    println!("baseline listening on {}", baseline.local_addr());
    baseline.wait();
    Ok(())
}
