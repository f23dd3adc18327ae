//! Flood control: a token bucket per client.
//!
//! A client may send a burst of frames, then a steady rate. Over that, its frames are not
//! dropped: the session waits before handling the next one, so the client is slowed by
//! TCP's own back-pressure (what IRC servers call "fakelag"), and everyone else keeps
//! being served because each client has its own thread.

use std::time::{Duration, Instant};

/// How many frames a client may send right now, refilled over time.
#[derive(Debug, Clone)]
pub struct TokenBucket {
    /// Tokens when full: the burst.
    capacity: f64,
    /// Tokens added per second; 0 means unlimited.
    rate: f64,
    /// Tokens available; negative while frames wait for tokens not yet earned.
    tokens: f64,
    /// When `tokens` was last brought up to date.
    updated: Instant,
}

impl TokenBucket {
    /// A full bucket allowing `burst` frames at once and `rate` per second after.
    pub fn new(burst: u32, rate: f64, now: Instant) -> Self {
        Self {
            capacity: f64::from(burst.max(1)),
            rate,
            tokens: f64::from(burst.max(1)),
            updated: now,
        }
    }

    /// Takes a token for one frame and returns how long to wait before handling it
    /// (zero when within the allowance).
    pub fn take(&mut self, now: Instant) -> Duration {
        if self.rate <= 0.0 {
            return Duration::ZERO;
        }
        let elapsed = now.saturating_duration_since(self.updated).as_secs_f64();
        self.updated = now;
        self.tokens = (self.tokens + elapsed * self.rate).min(self.capacity) - 1.0;
        if self.tokens >= 0.0 {
            Duration::ZERO
        } else {
            Duration::try_from_secs_f64(-self.tokens / self.rate).unwrap_or(Duration::MAX)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn allows_the_burst_then_spaces_frames_at_the_rate() {
        let start = Instant::now();
        let mut bucket = TokenBucket::new(3, 2.0, start);
        for _ in 0..3 {
            assert_eq!(bucket.take(start), Duration::ZERO);
        }
        assert_eq!(bucket.take(start), Duration::from_millis(500));
        assert_eq!(bucket.take(start), Duration::from_millis(1000));
    }

    #[test]
    fn refills_over_time_up_to_the_burst() {
        let start = Instant::now();
        let mut bucket = TokenBucket::new(2, 1.0, start);
        bucket.take(start);
        bucket.take(start);
        let later = start + Duration::from_secs(60);
        assert_eq!(bucket.take(later), Duration::ZERO);
        assert_eq!(bucket.take(later), Duration::ZERO);
        assert!(bucket.take(later) > Duration::ZERO);
    }

    #[test]
    fn a_zero_rate_means_unlimited() {
        let now = Instant::now();
        let mut bucket = TokenBucket::new(1, 0.0, now);
        for _ in 0..1000 {
            assert_eq!(bucket.take(now), Duration::ZERO);
        }
    }
}
