//! How many connections this machine lets one process hold.
//!
//! Each connection costs one thread and one file descriptor. Linux caps a process's
//! memory mappings (`vm.max_map_count`, 65530 by default) and every thread takes
//! [`MAPPINGS_PER_THREAD`] of them (its stack and guard page, and the signal stack Rust
//! installs, with its guard page). Going past that does not fail cleanly: a thread that
//! already started cannot map its signal stack and the whole process aborts. So the
//! server lowers its connection cap at startup to what the limits can hold, and refuses
//! newcomers politely beyond it.

use std::io;

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
        let open_files = raise_open_files_limit().unwrap_or(1024);
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

/// Raises the soft limit on open files to the hard limit; returns the new soft limit.
fn raise_open_files_limit() -> io::Result<usize> {
    let mut limit = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    // SAFETY: getrlimit and setrlimit only read and write the struct passed to them.
    unsafe {
        if libc::getrlimit(libc::RLIMIT_NOFILE, &mut limit) != 0 {
            return Err(io::Error::last_os_error());
        }
        if limit.rlim_cur < limit.rlim_max {
            let raised = libc::rlimit {
                rlim_cur: limit.rlim_max,
                rlim_max: limit.rlim_max,
            };
            if libc::setrlimit(libc::RLIMIT_NOFILE, &raised) == 0 {
                limit = raised;
            }
        }
    }
    Ok(usize::try_from(limit.rlim_cur).unwrap_or(usize::MAX))
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
