//! What the load goes to: a server at an address, a `chat-server` the generator started,
//! or the built-in baseline; and what each lets us measure about itself.

use std::net::SocketAddr;

use crate::baseline::Baseline;
use crate::proc_stats::Memory;
use crate::server_process::ServerProcess;

/// The server under load.
pub enum Target {
    /// Someone else's server: only what the generator sees is measured.
    External(SocketAddr),
    /// A `chat-server` process started for this run: CPU and memory are measured too.
    Process(ServerProcess),
    /// The built-in baseline (a thread of this process): its CPU time is measured.
    Baseline(Baseline),
}

impl Target {
    /// Where the clients connect.
    pub fn addr(&self) -> SocketAddr {
        match self {
            Target::External(addr) => *addr,
            Target::Process(server) => server.addr(),
            Target::Baseline(baseline) => baseline.local_addr(),
        }
    }

    /// How reports name it.
    pub fn label(&self) -> String {
        match self {
            Target::External(addr) => addr.to_string(),
            Target::Process(_) => "chat-server".to_owned(),
            Target::Baseline(_) => "baseline".to_owned(),
        }
    }

    /// CPU seconds it has used so far, when it can be read.
    pub fn cpu_seconds(&self) -> Option<f64> {
        match self {
            Target::External(_) => None,
            Target::Process(server) => server.proc_dir().cpu_seconds().ok(),
            Target::Baseline(baseline) => baseline.cpu_seconds().ok(),
        }
    }

    /// Its memory, threads and mappings, for a server process.
    pub fn memory(&self) -> Option<Memory> {
        match self {
            Target::Process(server) => server.proc_dir().memory().ok(),
            Target::External(_) | Target::Baseline(_) => None,
        }
    }

    /// Stops what this run started, while the clients are still connected: a server
    /// shutting down does not announce each departure. A server that is slow to stop is
    /// reported, not fatal: the figures were taken already.
    pub fn stop(self) {
        match self {
            Target::External(_) => {}
            Target::Process(server) => {
                if let Err(e) = server.stop() {
                    eprintln!("chat-bench: {e:#}");
                }
            }
            Target::Baseline(baseline) => baseline.stop(),
        }
    }
}
