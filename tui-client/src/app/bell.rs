//! The terminal bell, rate-limited: a room that keeps mentioning you, or a flood of
//! private messages, must not turn the terminal into a buzzer. One bell says "look";
//! more within a few seconds say nothing new.

use std::time::{Duration, Instant};

/// The shortest time between two bells.
pub const BELL_INTERVAL: Duration = Duration::from_secs(3);

/// When the bell last rang.
#[derive(Debug, Default)]
pub struct BellLimiter {
    /// The last ring, if any.
    last: Option<Instant>,
}

impl BellLimiter {
    /// Whether to ring at `now`: yes unless it rang less than [`BELL_INTERVAL`] ago.
    pub fn ring(&mut self, now: Instant) -> bool {
        let quiet = self
            .last
            .is_none_or(|last| now.saturating_duration_since(last) >= BELL_INTERVAL);
        if quiet {
            self.last = Some(now);
        }
        quiet
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rings_at_most_once_per_interval() {
        let start = Instant::now();
        let mut bell = BellLimiter::default();
        assert!(bell.ring(start));
        assert!(!bell.ring(start));
        assert!(!bell.ring(start + BELL_INTERVAL - Duration::from_millis(1)));
        assert!(bell.ring(start + BELL_INTERVAL));
        assert!(!bell.ring(start + BELL_INTERVAL + Duration::from_secs(1)));
        assert!(bell.ring(start + BELL_INTERVAL * 3));
    }
}
