//! Pacing what the client sends to the server's flood budget.
//!
//! The server's `hello` announces the budget every connection gets: a burst of frames,
//! then one every interval. Beyond it the server does not lose frames but stops reading
//! until it can take them, and says "You are sending too fast". A client that sends a
//! long paste all at once therefore has most of it stuck in socket buffers, where it can
//! be neither confirmed nor taken back.
//!
//! The [`Pacer`] mirrors the server's token bucket, in the form of a "theoretical arrival
//! time" (GCRA): the moment the bucket would be full again. Each frame sent pushes that
//! moment one interval later; a frame may go when it is at most `burst - 1` intervals
//! ahead. It starts full. It is not refilled when a connection breaks: the server keeps
//! an address's budget until it has refilled, so after a reconnect the client goes on
//! where it was, which is never faster than the server allows.
//!
//! Nothing here reads a clock: the caller says what time it is.

use std::time::{Duration, Instant};

use chat_shared::frame::FloodBudget;

/// Messages that may be in flight, unanswered, when the server announces no budget (the
/// server's default burst).
pub const DEFAULT_WINDOW: usize = 10;

/// The longest interval between frames taken from a server: one announcing more is not
/// trusted to stall the client for longer.
pub const MAX_INTERVAL: Duration = Duration::from_secs(60);

/// The flood budget as the client spends it.
#[derive(Debug, Clone)]
pub struct Pacer {
    /// The server's budget; `None` when it announced none (flood control off).
    budget: Option<FloodBudget>,
    /// When the bucket would be full again: in the past while it is full.
    full_at: Instant,
}

impl Pacer {
    /// A full bucket, with no budget known yet.
    pub fn new(now: Instant) -> Self {
        Self {
            budget: None,
            full_at: now,
        }
    }

    /// The budget the server announced in its `hello`.
    pub fn set_budget(&mut self, budget: Option<FloodBudget>) {
        self.budget = budget;
    }

    /// Whether a frame may be sent at `now` without the server delaying it.
    pub fn allows(&self, now: Instant) -> bool {
        self.next_at().is_none_or(|next| now >= next)
    }

    /// When the next frame may be sent; `None` when nothing limits it.
    pub fn next_at(&self) -> Option<Instant> {
        let (burst, interval) = self.limits()?;
        let slack = interval.saturating_mul(burst - 1);
        self.full_at.checked_sub(slack)
    }

    /// A frame was sent at `now` (whether or not it waited for the budget).
    pub fn take(&mut self, now: Instant) {
        if let Some((_, interval)) = self.limits() {
            self.full_at = self.full_at.max(now) + interval;
        }
    }

    /// How many messages may be in flight, sent but not answered: the burst. That bounds
    /// what a broken connection can leave in doubt.
    pub fn window(&self) -> usize {
        self.limits()
            .map_or(DEFAULT_WINDOW, |(burst, _)| burst as usize)
    }

    /// The burst (at least 1) and the interval (at most [`MAX_INTERVAL`]).
    fn limits(&self) -> Option<(u32, Duration)> {
        self.budget.map(|budget| {
            let interval = Duration::from_millis(budget.interval_ms).min(MAX_INTERVAL);
            (budget.burst.max(1), interval)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const INTERVAL: Duration = Duration::from_millis(500);

    fn pacer(burst: u32, now: Instant) -> Pacer {
        let mut pacer = Pacer::new(now);
        pacer.set_budget(Some(FloodBudget {
            burst,
            interval_ms: 500,
        }));
        pacer
    }

    /// Sends as many frames as the pacer allows at `now`.
    fn send_all_allowed(pacer: &mut Pacer, now: Instant) -> usize {
        let mut sent = 0;
        while pacer.allows(now) {
            pacer.take(now);
            sent += 1;
        }
        sent
    }

    #[test]
    fn starts_full_then_allows_one_frame_per_interval() {
        let start = Instant::now();
        let mut pacer = pacer(3, start);
        assert_eq!(send_all_allowed(&mut pacer, start), 3);
        assert_eq!(pacer.next_at(), Some(start + INTERVAL));
        assert!(!pacer.allows(start + INTERVAL - Duration::from_millis(1)));
        assert_eq!(send_all_allowed(&mut pacer, start + INTERVAL), 1);
        assert_eq!(send_all_allowed(&mut pacer, start + INTERVAL * 3), 2);
    }

    #[test]
    fn refills_up_to_the_burst_and_no_further() {
        let start = Instant::now();
        let mut pacer = pacer(3, start);
        send_all_allowed(&mut pacer, start);
        let much_later = start + Duration::from_secs(3600);
        assert_eq!(send_all_allowed(&mut pacer, much_later), 3);
    }

    #[test]
    fn frames_sent_without_waiting_are_counted_too() {
        let start = Instant::now();
        let mut pacer = pacer(2, start);
        pacer.take(start);
        pacer.take(start);
        pacer.take(start);
        assert!(!pacer.allows(start + INTERVAL));
        assert!(pacer.allows(start + INTERVAL * 2));
    }

    #[test]
    fn without_a_budget_nothing_waits_and_the_window_is_the_default() {
        let start = Instant::now();
        let mut pacer = Pacer::new(start);
        for _ in 0..1000 {
            assert!(pacer.allows(start));
            pacer.take(start);
        }
        assert_eq!(pacer.next_at(), None);
        assert_eq!(pacer.window(), DEFAULT_WINDOW);
    }

    #[test]
    fn a_hostile_budget_is_bounded() {
        let start = Instant::now();
        let mut pacer = Pacer::new(start);
        pacer.set_budget(Some(FloodBudget {
            burst: 0,
            interval_ms: u64::MAX,
        }));
        assert_eq!(pacer.window(), 1);
        assert!(pacer.allows(start));
        pacer.take(start);
        assert_eq!(pacer.next_at(), Some(start + MAX_INTERVAL));
    }
}
