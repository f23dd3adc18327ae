//! Flood control: token buckets.
//!
//! A client may send a burst of frames, then a steady rate. Over that, its frames are not
//! dropped: the session waits before handling the next one, so the client is slowed by
//! TCP's own back-pressure (what IRC servers call "fakelag"), and everyone else keeps
//! being served because each client has its own thread.
//!
//! The budget belongs to the client's address, not to the connection ([`FloodBucket`]):
//! all connections from one address draw on one bucket, and it outlives them until it has
//! refilled, so neither parallel connections nor reconnecting multiply it. Addresses the
//! operator exempts get a bucket per connection.
//!
//! The same bucket limits how often an address may connect, where an attempt over the
//! budget is refused rather than delayed ([`TokenBucket::try_take`]).

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// The flood budget a session draws on.
#[derive(Debug, Clone)]
pub enum FloodBucket {
    /// Its own (a connection from an exempt address).
    Own(TokenBucket),
    /// Its address's, shared with the address's other connections. The lock is a leaf:
    /// nothing else is locked while it is held.
    Address(Arc<Mutex<TokenBucket>>),
}

impl FloodBucket {
    /// Takes a token for one frame; see [`TokenBucket::take`].
    pub fn take(&mut self, now: Instant) -> Duration {
        match self {
            FloodBucket::Own(bucket) => bucket.take(now),
            FloodBucket::Address(shared) => shared
                .lock()
                .unwrap_or_else(|poisoned| poisoned.into_inner())
                .take(now),
        }
    }
}

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
        self.refill(now);
        self.tokens -= 1.0;
        self.time_to_reach(0.0)
    }

    /// Takes a token if one is available now; otherwise takes nothing and says how long
    /// until one is.
    pub fn try_take(&mut self, now: Instant) -> Result<(), Duration> {
        if self.rate <= 0.0 {
            return Ok(());
        }
        self.refill(now);
        if self.tokens >= 1.0 {
            self.tokens -= 1.0;
            Ok(())
        } else {
            Err(self.time_to_reach(1.0))
        }
    }

    /// Whether the bucket has refilled completely by `now`: then it says nothing that a
    /// new bucket would not, and need not be kept.
    pub fn is_full(&self, now: Instant) -> bool {
        self.rate <= 0.0 || self.tokens_at(now) >= self.capacity
    }

    fn tokens_at(&self, now: Instant) -> f64 {
        let elapsed = now.saturating_duration_since(self.updated).as_secs_f64();
        (self.tokens + elapsed * self.rate).min(self.capacity)
    }

    fn refill(&mut self, now: Instant) {
        self.tokens = self.tokens_at(now);
        self.updated = now;
    }

    fn time_to_reach(&self, level: f64) -> Duration {
        if self.tokens >= level {
            Duration::ZERO
        } else {
            Duration::try_from_secs_f64((level - self.tokens) / self.rate).unwrap_or(Duration::MAX)
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
    fn try_take_refuses_without_taking_and_says_when_to_come_back() {
        let start = Instant::now();
        let mut bucket = TokenBucket::new(2, 0.5, start);
        assert_eq!(bucket.try_take(start), Ok(()));
        assert_eq!(bucket.try_take(start), Ok(()));
        assert_eq!(bucket.try_take(start), Err(Duration::from_secs(2)));
        assert_eq!(bucket.try_take(start), Err(Duration::from_secs(2)));
        let later = start + Duration::from_secs(2);
        assert_eq!(bucket.try_take(later), Ok(()));
    }

    #[test]
    fn a_bucket_is_full_again_after_its_refill_time() {
        let start = Instant::now();
        let mut bucket = TokenBucket::new(4, 2.0, start);
        assert!(bucket.is_full(start));
        bucket.take(start);
        bucket.take(start);
        assert!(!bucket.is_full(start + Duration::from_millis(900)));
        assert!(bucket.is_full(start + Duration::from_secs(1)));
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
