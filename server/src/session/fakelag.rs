//! Flood control's decisions for one session: whether a line may be handled now, and
//! whether to tell the client it is being slowed down (once per episode).
//!
//! The waiting itself is the socket loop's: while it waits it reads nothing, so TCP
//! pushes back on the client (what IRC servers call "fakelag"), and nothing is dropped.

use std::time::{Duration, Instant};

use crate::flood::FloodBucket;

/// A session's flood budget, and whether it is being slowed down right now.
#[derive(Debug)]
pub(super) struct Fakelag {
    /// The budget: its address's, or its own for an exempt address.
    bucket: FloodBucket,
    /// The client was told it is being slowed down, and has not slowed down since.
    throttled: bool,
}

/// What flood control says about one line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Verdict {
    /// Handle it now.
    Go,
    /// Handle it after `wait`; `tell` the client it is being slowed down (the first
    /// wait of an episode).
    Wait {
        /// How long to read nothing first.
        wait: Duration,
        /// Whether to tell the client.
        tell: bool,
    },
}

impl Fakelag {
    /// Flood control drawing on `bucket`.
    pub(super) fn new(bucket: FloodBucket) -> Self {
        Self {
            bucket,
            throttled: false,
        }
    }

    /// Takes a token for a line that arrived at `now`.
    pub(super) fn take(&mut self, now: Instant) -> Verdict {
        let wait = self.bucket.take(now);
        if wait.is_zero() {
            self.throttled = false;
            return Verdict::Go;
        }
        let tell = !std::mem::replace(&mut self.throttled, true);
        Verdict::Wait { wait, tell }
    }
}
