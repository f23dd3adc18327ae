//! How many connections this machine lets one process hold.
//!
//! Each connection costs one thread and one file descriptor. Linux caps a process's
//! memory mappings (`vm.max_map_count`, 65530 by default) and every thread takes
//! [`MAPPINGS_PER_THREAD`] of them (its stack and guard page, and the signal stack Rust
//! installs, with its guard page). Going past that does not fail cleanly: a thread that
//! already started cannot map its signal stack and the whole process aborts. So the
//! server lowers its connection cap at startup to what the limits can hold, and refuses
//! newcomers politely beyond it.

/// Memory mappings one connection thread adds (measured; see BENCHMARKS.md).
pub const MAPPINGS_PER_THREAD: usize = 4;

/// Mappings left for everything else: the binary, libraries, heap arenas.
const RESERVED_MAPPINGS: usize = 2048;

/// File descriptors left for everything else: the listener, the poller, logs.
const RESERVED_FILES: usize = 64;

/// The limits read from the system, and the connection count they allow.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Capacity {
    /// `vm.max_map_count`.
    pub max_map_count: usize,
    /// The soft limit on open files, after raising it as far as allowed.
    pub open_files: usize,
}

impl Capacity {
    /// Reads the limits, raising the soft open-files limit to the hard one first.
    pub fn of_this_machine() -> Self {
        let max_map_count = std::fs::read_to_string("/proc/sys/vm/max_map_count")
            .ok()
            .and_then(|text| text.trim().parse().ok())
            .unwrap_or(65_530);
        let open_files = rlimit::increase_nofile_limit(u64::MAX)
            .ok()
            .and_then(|limit| usize::try_from(limit).ok())
            .unwrap_or(1024);
        Self {
            max_map_count,
            open_files,
        }
    }

    /// The most connections these limits can hold with a safety margin.
    pub fn max_connections(&self) -> usize {
        let by_mappings =
            self.max_map_count.saturating_sub(RESERVED_MAPPINGS) / MAPPINGS_PER_THREAD;
        let by_files = self.open_files.saturating_sub(RESERVED_FILES);
        by_mappings.min(by_files)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_map_limit_holds_more_than_ten_thousand_connections() {
        let capacity = Capacity {
            max_map_count: 65_530,
            open_files: 1 << 20,
        };
        assert!(capacity.max_connections() >= 10_000);
        assert!(capacity.max_connections() * MAPPINGS_PER_THREAD < 65_530);
    }

    #[test]
    fn a_low_file_limit_lowers_the_cap() {
        let capacity = Capacity {
            max_map_count: 65_530,
            open_files: 1024,
        };
        assert_eq!(capacity.max_connections(), 960);
    }
}
