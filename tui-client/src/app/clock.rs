//! The app's only source of time, given to it, so that what depends on time (the bell's
//! rate limit, pacing what is sent) is tested with a clock the test moves by hand.

use std::fmt::Debug;
use std::time::Instant;

/// Tells the time.
pub trait Clock: Debug + Send {
    /// The current moment.
    fn now(&self) -> Instant;
}

/// The system's monotonic clock, for the real client.
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> Instant {
        Instant::now()
    }
}
