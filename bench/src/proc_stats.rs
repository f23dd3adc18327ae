//! What a process (or one thread) costs, read from `/proc`.
//!
//! The server's CPU time comes from `/proc/PID/stat` (user + system clock ticks), its
//! memory from `/proc/PID/status` (`VmRSS` now, `VmHWM` the peak), and its memory
//! mappings from `/proc/PID/maps`, since mappings, not memory, are what limit how many
//! threads one process may have.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use serde::Serialize;

/// Where one process's (or thread's) figures are.
#[derive(Debug, Clone)]
pub struct ProcDir(PathBuf);

/// A snapshot of one process's memory and threads.
#[derive(Debug, Clone, Copy, Default, Serialize)]
pub struct Memory {
    /// Resident memory now, in bytes.
    pub rss_bytes: u64,
    /// Most resident memory so far, in bytes.
    pub peak_rss_bytes: u64,
    /// Threads now.
    pub threads: u64,
    /// Memory mappings now.
    pub mappings: u64,
}

impl ProcDir {
    /// The process `pid`.
    pub fn process(pid: u32) -> Self {
        Self(PathBuf::from(format!("/proc/{pid}")))
    }

    /// One thread of this process.
    pub fn own_thread(tid: i64) -> Self {
        Self(PathBuf::from(format!("/proc/self/task/{tid}")))
    }

    /// User plus system CPU time so far, in seconds.
    pub fn cpu_seconds(&self) -> io::Result<f64> {
        let stat = fs::read_to_string(self.0.join("stat"))?;
        parse_cpu_ticks(&stat)
            .map(|ticks| ticks as f64 / clock_ticks_per_second())
            .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidData, "unreadable stat"))
    }

    /// Resident memory, peak, threads and mappings now.
    pub fn memory(&self) -> io::Result<Memory> {
        let status = fs::read_to_string(self.0.join("status"))?;
        let kib = |key| status_field(&status, key).unwrap_or(0) * 1024;
        Ok(Memory {
            rss_bytes: kib("VmRSS:"),
            peak_rss_bytes: kib("VmHWM:"),
            threads: status_field(&status, "Threads:").unwrap_or(0),
            mappings: count_lines(&self.0.join("maps"))?,
        })
    }
}

/// `utime + stime` from the text of a `stat` file. The command name (field 2) may hold
/// spaces and parentheses, so fields are counted from the last `)`.
fn parse_cpu_ticks(stat: &str) -> Option<u64> {
    let after_name = &stat[stat.rfind(')')? + 1..];
    let mut fields = after_name.split_ascii_whitespace().skip(11);
    let utime: u64 = fields.next()?.parse().ok()?;
    let stime: u64 = fields.next()?.parse().ok()?;
    Some(utime + stime)
}

/// The number after `key` in a `status` file.
fn status_field(status: &str, key: &str) -> Option<u64> {
    status
        .lines()
        .find_map(|line| line.strip_prefix(key))?
        .split_ascii_whitespace()
        .next()?
        .parse()
        .ok()
}

fn count_lines(path: &Path) -> io::Result<u64> {
    Ok(fs::read(path)?.iter().filter(|&&b| b == b'\n').count() as u64)
}

fn clock_ticks_per_second() -> f64 {
    // SAFETY: sysconf only reads a system constant.
    let ticks = unsafe { libc::sysconf(libc::_SC_CLK_TCK) };
    if ticks > 0 { ticks as f64 } else { 100.0 }
}

/// The calling thread's id, to read its own CPU time from `/proc/self/task`.
pub fn current_thread_id() -> i64 {
    // SAFETY: gettid has no preconditions.
    i64::from(unsafe { libc::gettid() })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_cpu_ticks_after_an_awkward_name() {
        let stat = "42 (a) b (c)) S 1 42 42 0 -1 4194304 100 0 0 0 250 50 0 0 20 0 9 0";
        assert_eq!(parse_cpu_ticks(stat), Some(300));
    }

    #[test]
    fn reads_status_fields() {
        let status = "Name:\tx\nVmHWM:\t  2048 kB\nVmRSS:\t  1024 kB\nThreads:\t7\n";
        assert_eq!(status_field(status, "VmRSS:"), Some(1024));
        assert_eq!(status_field(status, "Threads:"), Some(7));
        assert_eq!(status_field(status, "VmSwap:"), None);
    }

    #[test]
    fn reads_this_process() {
        let me = ProcDir::process(std::process::id());
        assert!(me.cpu_seconds().is_ok());
        let memory = me.memory().unwrap();
        assert!(memory.rss_bytes > 0 && memory.peak_rss_bytes >= memory.rss_bytes);
        assert!(memory.threads >= 1 && memory.mappings > 0);
        let thread = ProcDir::own_thread(current_thread_id());
        assert!(thread.cpu_seconds().is_ok());
    }
}
