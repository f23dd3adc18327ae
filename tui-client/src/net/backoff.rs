//! How long to wait before reconnecting: exponential backoff with full jitter.
//!
//! After `n` failures in a row, the delay is drawn uniformly from `[0, window]` where the
//! window is `initial × 2ⁿ⁻¹`, at most `max` ("full jitter"). The randomness is the point:
//! when a server restarts, thousands of clients lose it at the same moment, and delays
//! that depended only on the count of failures would bring them all back in lockstep,
//! again and again.
//!
//! The count starts over only after a connection that stayed up for `stable_after`
//! since the server's `hello`. A server that answers `hello` and then fails at once (a
//! crash loop, a proxy that accepts and drops) therefore sees its clients' delays grow
//! as with any other failure, instead of a storm of reconnections one second apart.
//!
//! A server that shuts down may suggest a window of its own (`retry_within_ms`); the
//! delay is then drawn from the larger of that window (at most `max`) and the client's.
//!
//! Nothing here reads a clock or a socket: the caller says how long the connection was
//! up, and the random source is given, so the tests can replay it.

use std::time::Duration;

/// The reconnection delays of one network task.
#[derive(Debug)]
pub struct Backoff {
    /// The window after the first failure.
    initial: Duration,
    /// The largest window, and the most a server's suggestion is followed.
    max: Duration,
    /// How long a connection must stay up after `hello` to count as a success.
    stable_after: Duration,
    /// Failures in a row.
    failures: u32,
    /// Where the jitter comes from.
    rng: fastrand::Rng,
}

impl Backoff {
    /// Backoff from `initial` doubling up to `max`, started over by a connection up for
    /// `stable_after`, with jitter from `rng`.
    pub fn new(
        initial: Duration,
        max: Duration,
        stable_after: Duration,
        rng: fastrand::Rng,
    ) -> Self {
        Self {
            initial,
            max,
            stable_after,
            failures: 0,
            rng,
        }
    }

    /// The number of the next try: 1 when nothing failed since the last success.
    pub fn attempt(&self) -> u32 {
        self.failures.saturating_add(1)
    }

    /// A connection ended: `up_for` is how long it was up after the server's `hello`
    /// (`None` if it never got that far), `suggested` the window the server suggested,
    /// if any. Returns how long to wait before the next try.
    pub fn delay_after(
        &mut self,
        up_for: Option<Duration>,
        suggested: Option<Duration>,
    ) -> Duration {
        if up_for.is_some_and(|up_for| up_for >= self.stable_after) {
            self.failures = 0;
        }
        self.failures = self.failures.saturating_add(1);
        let suggested = suggested.unwrap_or_default().min(self.max);
        let window = self.window().max(suggested);
        let nanos = u64::try_from(window.as_nanos()).unwrap_or(u64::MAX);
        Duration::from_nanos(self.rng.u64(0..=nanos))
    }

    /// The window the delay is drawn from after the failures so far.
    pub fn window(&self) -> Duration {
        let doublings = self.failures.saturating_sub(1).min(31);
        self.initial.saturating_mul(1 << doublings).min(self.max)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const STABLE: Duration = Duration::from_secs(10);

    fn backoff(seed: u64) -> Backoff {
        Backoff::new(
            Duration::from_secs(1),
            Duration::from_secs(30),
            STABLE,
            fastrand::Rng::with_seed(seed),
        )
    }

    #[test]
    fn windows_double_up_to_the_cap_and_delays_stay_inside_them() {
        let expected = [1, 2, 4, 8, 16, 30, 30, 30];
        for seed in 0..200 {
            let mut backoff = backoff(seed);
            for (attempt, window) in expected.iter().enumerate() {
                let delay = backoff.delay_after(None, None);
                assert_eq!(backoff.window(), Duration::from_secs(*window));
                assert!(delay <= backoff.window(), "{delay:?}");
                assert_eq!(backoff.attempt(), attempt as u32 + 2);
            }
        }
    }

    #[test]
    fn delays_are_spread_over_the_whole_window() {
        let mut backoff = backoff(7);
        let delays: Vec<Duration> = (0..1000)
            .map(|_| {
                let delay = backoff.delay_after(Some(STABLE), None);
                assert!(delay <= Duration::from_secs(1), "{delay:?}");
                delay
            })
            .collect();
        let min = delays.iter().min().unwrap();
        let max = delays.iter().max().unwrap();
        assert!(*min < Duration::from_millis(100), "{min:?}");
        assert!(*max > Duration::from_millis(900), "{max:?}");
    }

    #[test]
    fn a_failure_right_after_hello_does_not_start_the_count_over() {
        let mut backoff = backoff(1);
        backoff.delay_after(None, None);
        for _ in 0..5 {
            backoff.delay_after(Some(Duration::from_millis(5)), None);
        }
        assert_eq!(backoff.window(), Duration::from_secs(30));
        assert_eq!(backoff.attempt(), 7);
        backoff.delay_after(Some(STABLE), None);
        assert_eq!(backoff.window(), Duration::from_secs(1));
        assert_eq!(backoff.attempt(), 2);
    }

    #[test]
    fn a_servers_suggestion_widens_the_window_up_to_the_cap() {
        let mut longest = Duration::ZERO;
        for seed in 0..200 {
            let mut backoff = backoff(seed);
            let suggested = Some(Duration::from_secs(22));
            let delay = backoff.delay_after(Some(STABLE), suggested);
            assert!(delay <= Duration::from_secs(22), "{delay:?}");
            longest = longest.max(delay);
            let huge = Some(Duration::from_secs(1 << 40));
            assert!(backoff.delay_after(Some(STABLE), huge) <= Duration::from_secs(30));
        }
        assert!(longest > Duration::from_secs(1), "{longest:?}");
    }
}
