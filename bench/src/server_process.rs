//! A `chat-server` started by the generator, so that its CPU time and memory can be read.
//!
//! It listens on a free loopback port (the port comes from its startup log), with flood
//! control off and a client cap above what the scenario needs. Its log is drained so it
//! never blocks on a full pipe; warnings and errors are passed on to stderr.

use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};

use crate::proc_stats::ProcDir;

/// Longest wait for the server to say where it listens.
const STARTUP_PATIENCE: Duration = Duration::from_secs(15);

/// Longest wait for the server to exit after SIGTERM before it is killed.
const EXIT_PATIENCE: Duration = Duration::from_secs(60);

/// A running `chat-server` child process.
pub struct ServerProcess {
    child: Child,
    addr: SocketAddr,
    proc_dir: ProcDir,
}

/// The release `chat-server` built next to this binary (`target/release/`).
pub fn default_binary() -> Result<PathBuf> {
    let exe = std::env::current_exe().context("cannot find this program's path")?;
    Ok(exe.with_file_name("chat-server"))
}

impl ServerProcess {
    /// Starts `binary` for at least `clients` clients, with `extra` arguments appended;
    /// it keeps no history unless `extra` gives it a `--data-dir`.
    /// Flood control is off and loopback is exempt from the per-address limits: the
    /// generator puts every client on one address, and measures the server, not them.
    pub fn start(binary: &Path, clients: usize, extra: &[String]) -> Result<Self> {
        if !binary.exists() {
            bail!(
                "{} does not exist; build it with `cargo build --release -p chat-server`, \
                 or give --server-bin PATH or --addr HOST:PORT",
                binary.display()
            );
        }
        let mut child = Command::new(binary)
            .args(["0", "--bind", "127.0.0.1", "--flood-rate", "0"])
            .args(["--exempt", "127.0.0.0/8"])
            .args(["--max-clients", &(clients + 16).to_string()])
            .args(extra)
            .args((!extra.iter().any(|arg| arg == "--data-dir")).then_some("--no-history"))
            .env("RUST_LOG", "info")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .spawn()
            .with_context(|| format!("cannot start {}", binary.display()))?;
        let stdout = child.stdout.take().context("no stdout from the server")?;
        let (addr_tx, addr_rx) = mpsc::channel();
        thread::Builder::new()
            .name("server-log".to_owned())
            .spawn(move || {
                for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                    if let Some(addr) = listening_address(&line) {
                        let _ = addr_tx.send(addr);
                    } else if line.contains("WARN") || line.contains("ERROR") {
                        eprintln!("chat-server: {}", line.trim());
                    }
                }
            })?;
        let addr = match addr_rx.recv_timeout(STARTUP_PATIENCE) {
            Ok(addr) => addr,
            Err(_) => {
                let _ = child.kill();
                let status = child.wait()?;
                bail!("the server did not say where it listens ({status})");
            }
        };
        let proc_dir = ProcDir::process(child.id());
        Ok(Self {
            child,
            addr,
            proc_dir,
        })
    }

    /// Where it listens.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Its `/proc` directory.
    pub fn proc_dir(&self) -> &ProcDir {
        &self.proc_dir
    }

    /// Stops it with SIGTERM (its graceful shutdown), killing it if it takes too long.
    pub fn stop(mut self) -> Result<()> {
        let pid = libc::pid_t::try_from(self.child.id()).context("pid out of range")?;
        // SAFETY: kill only sends a signal to our own child, which has not been reaped.
        unsafe { libc::kill(pid, libc::SIGTERM) };
        let deadline = Instant::now() + EXIT_PATIENCE;
        while Instant::now() < deadline {
            if self.child.try_wait()?.is_some() {
                return Ok(());
            }
            thread::sleep(Duration::from_millis(20));
        }
        self.child.kill()?;
        self.child.wait()?;
        bail!("the server did not stop within {EXIT_PATIENCE:?} of SIGTERM; killed it")
    }

    /// Kills it with SIGKILL, as a crash would, and waits until it is gone: to see what
    /// a crash loses.
    pub fn kill(mut self) -> Result<()> {
        self.child.kill()?;
        self.child.wait()?;
        Ok(())
    }
}

impl Drop for ServerProcess {
    /// A run that failed half-way must not leave the server running.
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

/// The address in the server's `listening on 127.0.0.1:PORT (...)` log line.
fn listening_address(line: &str) -> Option<SocketAddr> {
    let rest = &line[line.find("listening on ")? + "listening on ".len()..];
    rest.split_whitespace().next()?.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_address_in_the_startup_line() {
        let line = "2026-01-01T00:00:00Z  INFO listening on 127.0.0.1:41234 (max 10 clients)";
        assert_eq!(
            listening_address(line),
            Some("127.0.0.1:41234".parse().unwrap())
        );
        assert_eq!(listening_address("INFO bench1 joined"), None);
    }
}
