//! How long history is kept: the policy. The SQLite writer enforces it
//! (`sqlite/retention.rs`); another backend would enforce the same policy its own way.

use std::time::Duration;

/// How much history to keep. Both limits apply; `None` means no limit of that kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Retention {
    /// Events older than this are deleted (`--history-days`).
    pub max_age: Option<Duration>,
    /// Each room, and each private conversation, keeps at most this many of its newest
    /// events (`--history-max-messages`).
    pub max_per_room: Option<u64>,
}

impl Retention {
    /// Keeps everything: for tests and benchmarks, or an operator who prunes by hand.
    pub const KEEP_ALL: Self = Self {
        max_age: None,
        max_per_room: None,
    };

    /// The time before which events are deleted, at `now_ms`, if there is an age limit.
    pub(crate) fn cutoff_ms(&self, now_ms: i64) -> Option<i64> {
        let age = i64::try_from(self.max_age?.as_millis()).unwrap_or(i64::MAX);
        Some(now_ms.saturating_sub(age))
    }
}
