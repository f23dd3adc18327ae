//! The one shutdown signal that every thread of the server observes.
//!
//! Shutdown has two stages:
//! - it **begins**: nobody is admitted or joins any more, departures are no longer
//!   announced, every session tells its client goodbye, and flood control's waits end
//!   early; frames already queued still go out;
//! - it **finishes** once every connection is gone (or the grace is over): the threads
//!   that only serve the others, such as the flusher, end.
//!
//! A thread that blocks where no flag can reach it registers to be woken when a stage
//! is reached ([`Shutdown::wake_at`]): the accept loop's and the flusher's pollers, and
//! the connection table, which wakes every session blocked in a read. Everything else
//! checks [`Shutdown::is_begun`] or [`Shutdown::is_finished`] where it decides.

use std::fmt;
use std::sync::atomic::{AtomicU8, Ordering};
use std::sync::{Condvar, Mutex, MutexGuard, OnceLock, Weak};
use std::time::{Duration, Instant};

use polling::Poller;

/// How far shutdown has gone; the stages only ever move forward.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
#[repr(u8)]
pub enum Stage {
    /// Serving.
    Running,
    /// Telling everyone, and letting their queues drain.
    Begun,
    /// The connections are gone: the helper threads end.
    Finished,
}

/// Something blocked that must notice a stage of the shutdown at once.
pub trait Wake: Send + Sync {
    /// Makes the blocked thread return and look at the shutdown signal.
    fn wake(&self);
}

impl Wake for Poller {
    fn wake(&self) {
        if let Err(e) = self.notify() {
            tracing::error!("cannot wake a thread waiting for sockets: {e}");
        }
    }
}

/// How a wait through [`Shutdown::sleep`] ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Slept {
    /// The whole time passed.
    TimeUp,
    /// Shutdown began meanwhile; the rest of the wait was cut short.
    ShutdownBegun,
}

/// The shutdown signal: one per server, shared by every thread.
pub struct Shutdown {
    /// The stage, read without a lock on every path that checks it.
    stage: AtomicU8,
    /// The stage again, changed only under this lock, so that [`Shutdown::sleep`] cannot
    /// miss the start of shutdown.
    changing: Mutex<Stage>,
    /// Signalled when the stage changes.
    changed: Condvar,
    /// Set when shutdown begins: the window over which clients are asked to spread
    /// their reconnections, so that a restart is not followed by everyone at once.
    reconnect_spread: OnceLock<Duration>,
    /// Who to wake at which stage. Weak, so that a registration keeps nothing alive.
    wakers: Mutex<Vec<(Stage, Weak<dyn Wake>)>>,
}

impl fmt::Debug for Shutdown {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Shutdown")
            .field("stage", &self.stage())
            .field("reconnect_spread", &self.reconnect_spread.get())
            .finish_non_exhaustive()
    }
}

impl Default for Shutdown {
    fn default() -> Self {
        Self::new()
    }
}

impl Shutdown {
    /// A server that is running.
    pub fn new() -> Self {
        Self {
            stage: AtomicU8::new(Stage::Running as u8),
            changing: Mutex::new(Stage::Running),
            changed: Condvar::new(),
            reconnect_spread: OnceLock::new(),
            wakers: Mutex::new(Vec::new()),
        }
    }

    /// Wakes `waker` when `stage` is reached (at once if it already is).
    pub fn wake_at(&self, stage: Stage, waker: Weak<dyn Wake>) {
        let mut wakers = self.lock_wakers();
        if self.stage() < stage {
            wakers.push((stage, waker));
            return;
        }
        drop(wakers);
        if let Some(waker) = waker.upgrade() {
            waker.wake();
        }
    }

    /// Begins the shutdown; clients are asked to spread their reconnections over
    /// `reconnect_spread`. Returns false if it had already begun.
    pub fn begin(&self, reconnect_spread: Duration) -> bool {
        let _ = self.reconnect_spread.set(reconnect_spread);
        self.advance(Stage::Begun)
    }

    /// Whether shutdown has begun.
    pub fn is_begun(&self) -> bool {
        self.stage() >= Stage::Begun
    }

    /// The window over which clients should spread their reconnections, once shutdown
    /// has begun.
    pub fn reconnect_spread(&self) -> Option<Duration> {
        self.reconnect_spread.get().copied()
    }

    /// Finishes the shutdown: the connections are gone, the helper threads may end.
    pub fn finish(&self) {
        self.advance(Stage::Finished);
    }

    /// Whether shutdown has finished.
    pub fn is_finished(&self) -> bool {
        self.stage() >= Stage::Finished
    }

    /// Waits for `duration`, unless shutdown begins first.
    pub fn sleep(&self, duration: Duration) -> Slept {
        let deadline = Instant::now().checked_add(duration);
        let mut stage = self.lock_changing();
        loop {
            if *stage >= Stage::Begun {
                return Slept::ShutdownBegun;
            }
            let now = Instant::now();
            let left = match deadline {
                Some(deadline) if deadline <= now => return Slept::TimeUp,
                Some(deadline) => deadline - now,
                None => Duration::MAX,
            };
            stage = self
                .changed
                .wait_timeout(stage, left)
                .unwrap_or_else(|poisoned| poisoned.into_inner())
                .0;
        }
    }

    fn stage(&self) -> Stage {
        match self.stage.load(Ordering::Acquire) {
            0 => Stage::Running,
            1 => Stage::Begun,
            _ => Stage::Finished,
        }
    }

    /// Moves to `next` if it is further; wakes whoever waits for it. Returns whether
    /// the stage changed.
    fn advance(&self, next: Stage) -> bool {
        let mut stage = self.lock_changing();
        if *stage >= next {
            return false;
        }
        *stage = next;
        self.stage.store(next as u8, Ordering::Release);
        drop(stage);
        self.changed.notify_all();
        let due: Vec<Weak<dyn Wake>> = {
            let mut wakers = self.lock_wakers();
            let (due, later) = std::mem::take(&mut *wakers)
                .into_iter()
                .partition(|(stage, _)| *stage <= next);
            *wakers = later;
            due.into_iter().map(|(_, waker)| waker).collect()
        };
        for waker in due.iter().filter_map(Weak::upgrade) {
            waker.wake();
        }
        true
    }

    fn lock_changing(&self) -> MutexGuard<'_, Stage> {
        self.changing
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    fn lock_wakers(&self) -> MutexGuard<'_, Vec<(Stage, Weak<dyn Wake>)>> {
        self.wakers
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;
    use std::sync::atomic::AtomicUsize;

    #[derive(Default)]
    struct Counter(AtomicUsize);

    impl Wake for Counter {
        fn wake(&self) {
            self.0.fetch_add(1, Ordering::Relaxed);
        }
    }

    impl Counter {
        fn woken(&self) -> usize {
            self.0.load(Ordering::Relaxed)
        }
    }

    #[test]
    fn each_stage_wakes_its_waiters_once_and_only_moves_forward() {
        let shutdown = Shutdown::new();
        let (at_begin, at_finish) = (Arc::new(Counter::default()), Arc::new(Counter::default()));
        shutdown.wake_at(Stage::Begun, Arc::downgrade(&at_begin) as Weak<dyn Wake>);
        shutdown.wake_at(
            Stage::Finished,
            Arc::downgrade(&at_finish) as Weak<dyn Wake>,
        );
        assert!(!shutdown.is_begun());
        assert_eq!(shutdown.reconnect_spread(), None);

        assert!(shutdown.begin(Duration::from_secs(2)));
        assert!(shutdown.is_begun() && !shutdown.is_finished());
        assert_eq!((at_begin.woken(), at_finish.woken()), (1, 0));
        assert_eq!(shutdown.reconnect_spread(), Some(Duration::from_secs(2)));
        assert!(!shutdown.begin(Duration::from_secs(9)), "begins once");
        assert_eq!(shutdown.reconnect_spread(), Some(Duration::from_secs(2)));

        shutdown.finish();
        assert!(shutdown.is_finished());
        assert_eq!((at_begin.woken(), at_finish.woken()), (1, 1));
        assert!(!shutdown.begin(Duration::ZERO), "no way back");
    }

    #[test]
    fn a_waiter_registered_late_is_woken_at_once() {
        let shutdown = Shutdown::new();
        shutdown.begin(Duration::ZERO);
        let late = Arc::new(Counter::default());
        shutdown.wake_at(Stage::Begun, Arc::downgrade(&late) as Weak<dyn Wake>);
        assert_eq!(late.woken(), 1);
    }

    #[test]
    fn a_sleep_ends_when_shutdown_begins() {
        let shutdown = Arc::new(Shutdown::new());
        assert_eq!(shutdown.sleep(Duration::ZERO), Slept::TimeUp);
        let sleeper = std::thread::spawn({
            let shutdown = Arc::clone(&shutdown);
            move || shutdown.sleep(Duration::MAX)
        });
        shutdown.begin(Duration::ZERO);
        assert_eq!(sleeper.join().unwrap(), Slept::ShutdownBegun);
        assert_eq!(shutdown.sleep(Duration::MAX), Slept::ShutdownBegun);
    }
}
