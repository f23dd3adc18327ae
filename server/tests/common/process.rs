//! The real `chat-server` binary as a child process, and what `/proc` says about it.

use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::mpsc;
use std::thread;

use super::{PATIENCE, eventually};

/// The server binary built for these tests.
pub const BINARY: &str = env!("CARGO_BIN_EXE_chat-server");

/// A running server binary on a free loopback port; killed if the test ends without
/// stopping it.
pub struct ServerProcess {
    child: Child,
    /// Where it listens, as logged at startup.
    pub addr: SocketAddr,
    /// Its log lines (stdout) after the `listening on` line.
    pub logs: mpsc::Receiver<String>,
}

impl ServerProcess {
    /// Starts the binary on port 0 of 127.0.0.1 with `flags` added, and waits for the
    /// address it logs. As with `start_server`, loopback is exempt from the per-address
    /// limits, newcomers are announced at once and greeted without waiting to see whether
    /// they speak TLS (unless `flags` set `--tls-detect-wait`); without `--data-dir` in
    /// `flags`, it keeps no history.
    pub fn spawn(flags: &[&str]) -> Self {
        let mut command = Command::new(BINARY);
        command
            .args(["0", "--bind", "127.0.0.1"])
            .args(["--exempt", "127.0.0.0/8", "--announce-delay", "0s"])
            .args(flags);
        if !flags.contains(&"--tls-detect-wait") {
            command.args(["--tls-detect-wait", "0s"]);
        }
        if !flags.contains(&"--data-dir") {
            command.arg("--no-history");
        }
        Self::start(command)
    }

    /// Runs `command`, which starts the server binary, and waits for the address it logs.
    pub fn start(mut command: Command) -> Self {
        let mut child = command
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("the server binary starts");
        let (lines_tx, logs) = mpsc::channel();
        let stdout = BufReader::new(child.stdout.take().expect("stdout is piped"));
        thread::spawn(move || {
            for line in stdout.lines().map_while(Result::ok) {
                if lines_tx.send(line).is_err() {
                    break;
                }
            }
        });
        let listening = std::iter::from_fn(|| logs.recv_timeout(PATIENCE).ok())
            .find(|line| line.contains("listening on "))
            .expect("the server logs its address");
        let addr = listening
            .split("listening on ")
            .nth(1)
            .and_then(|rest| rest.split_whitespace().next())
            .and_then(|addr| addr.parse().ok())
            .unwrap_or_else(|| panic!("no address in {listening:?}"));
        Self { child, addr, logs }
    }

    /// Sends SIGTERM, as a service manager would.
    pub fn terminate(&self) {
        let pid = i32::try_from(self.child.id()).expect("a pid fits in pid_t");
        // SAFETY: kill only sends a signal to the child this test started.
        assert_eq!(unsafe { libc::kill(pid, libc::SIGTERM) }, 0);
    }

    /// Sends SIGKILL: a crash, as far as the server can tell.
    pub fn kill(&mut self) {
        self.child.kill().expect("the server can be killed");
        let _ = self.child.wait();
    }

    /// Waits for the process to exit and returns its status.
    pub fn wait_for_exit(&mut self) -> ExitStatus {
        let mut status = None;
        let exited = eventually(PATIENCE, || {
            status = self.child.try_wait().expect("the child can be waited on");
            status.is_some()
        });
        assert!(exited, "the server did not exit within {PATIENCE:?}");
        status.expect("the server exited")
    }

    /// Threads of the server process (`/proc/PID/task`).
    pub fn threads(&self) -> usize {
        self.count_entries("task")
    }

    /// Open file descriptors of the server process (`/proc/PID/fd`).
    pub fn open_fds(&self) -> usize {
        self.count_entries("fd")
    }

    /// A `kB` field of `/proc/PID/status`, such as `VmRSS` or `VmHWM` (peak resident).
    pub fn memory_kib(&self, field: &str) -> u64 {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id()))
            .expect("the server's /proc status is readable");
        status
            .lines()
            .find_map(|line| line.strip_prefix(field)?.strip_prefix(':'))
            .and_then(|value| value.trim().strip_suffix(" kB"))
            .and_then(|kib| kib.trim().parse().ok())
            .unwrap_or_else(|| panic!("no {field} in /proc status"))
    }

    fn count_entries(&self, dir: &str) -> usize {
        std::fs::read_dir(format!("/proc/{}/{dir}", self.child.id()))
            .unwrap_or_else(|e| panic!("cannot read /proc/PID/{dir}: {e}"))
            .count()
    }
}

impl Drop for ServerProcess {
    fn drop(&mut self) {
        if matches!(self.child.try_wait(), Ok(None)) {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}
