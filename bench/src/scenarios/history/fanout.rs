//! The `fanout` burst with history on and off in one invocation, the two alternated so
//! that a slow moment of the machine does not fall on one side only: what keeping
//! history costs the chat itself.

use std::path::Path;

use anyhow::Result;
use serde::Serialize;
use tempfile::TempDir;

use crate::layout::Layout;
use crate::scenarios::FleetArgs;
use crate::scenarios::timed::{self, TimedLoad};
use crate::sender::SendPlan;
use crate::server_process::ServerProcess;
use crate::target::Target;

/// Deliveries per second of each run, history on and off.
#[derive(Debug, Clone, Serialize)]
pub struct OnOff {
    /// Clients in the room.
    pub clients: usize,
    /// Clients that send.
    pub senders: u32,
    /// Messages per sender.
    pub messages: u32,
    /// Deliveries/s of each run with `--data-dir`, in the order run.
    pub on: Vec<f64>,
    /// Deliveries/s of each run with `--no-history`, in the order run.
    pub off: Vec<f64>,
    /// Deliveries lost over every run (must be 0).
    pub lost: u64,
    /// Mean of `on` ÷ mean of `off`.
    pub ratio: f64,
}

/// Runs the burst `rounds` times each way, history on first in every round.
pub fn measure(binary: &Path, load: &TimedLoad, rounds: usize, fleet: &FleetArgs) -> Result<OnOff> {
    let (mut on, mut off, mut lost) = (Vec::new(), Vec::new(), 0);
    for _ in 0..rounds {
        let dir = TempDir::new()?;
        for history in [Some(dir.path()), None] {
            let run = timed::measure(Target::Process(start(binary, load, history)?), load, fleet)?;
            lost += run.lost;
            match history {
                Some(_) => on.push(run.deliveries_per_second),
                None => off.push(run.deliveries_per_second),
            }
        }
    }
    let mean = |runs: &[f64]| runs.iter().sum::<f64>() / runs.len().max(1) as f64;
    Ok(OnOff {
        clients: load.clients,
        senders: load.layout.senders(),
        messages: load.plan.messages,
        ratio: mean(&on) / mean(&off),
        on,
        off,
        lost,
    })
}

/// The load: `clients` in one room, `senders` of them posting `messages` at full speed.
pub fn load(clients: usize, senders: u32, messages: u32) -> TimedLoad {
    TimedLoad {
        clients,
        layout: Layout::one_room(senders),
        plan: SendPlan {
            messages,
            rate: 0.0,
            text_bytes: 64,
        },
        settle: std::time::Duration::ZERO,
        tls: false,
    }
}

/// Starts the server for `load`, keeping its history in `dir` if given.
fn start(binary: &Path, load: &TimedLoad, dir: Option<&Path>) -> Result<ServerProcess> {
    let extra: Vec<String> = match dir {
        Some(dir) => vec!["--data-dir".to_owned(), dir.display().to_string()],
        None => Vec::new(),
    };
    ServerProcess::start(binary, load.clients, &extra)
}
