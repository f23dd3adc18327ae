//! The one thread that finishes sends to clients whose sockets were full.
//!
//! Most deliveries never come here: the broadcasting thread writes directly while a
//! socket has room. A socket that is full (a slow or busy reader) is registered with a
//! poller; this thread waits for it to become writable and sends what is still queued.
//! One thread serves every client, so slow readers cost no thread each.

use std::collections::HashMap;
use std::io;
use std::net::TcpStream;
use std::sync::{Arc, Mutex, MutexGuard, Weak};
use std::time::Duration;

use polling::{Event, Events, Poller};

use crate::outbox::Outbox;
use crate::shutdown::{Shutdown, Stage, Wake};

/// Pause before waiting again after the poller failed; the thread never gives up, since
/// slow sockets and room notices depend on it.
const WAIT_RETRY: Duration = Duration::from_millis(100);

/// Waits for full sockets to drain and hands them back to their outbox.
#[derive(Debug)]
pub struct Flusher {
    /// Readiness notifications (epoll), in one-shot mode: re-armed by each `watch`.
    poller: Arc<Poller>,
    /// The outboxes registered with the poller, by key. Locked after an outbox's queue.
    watched: Mutex<HashMap<usize, Arc<Outbox>>>,
    /// The thread returns when shutdown has finished: only then are all the sessions,
    /// and their goodbyes, gone.
    shutdown: Arc<Shutdown>,
    /// Outboxes with room notices to send, swept by the flusher thread.
    deferred: Mutex<Vec<Arc<Outbox>>>,
}

impl Flusher {
    /// A flusher with nothing to watch; [`Flusher::run`] is its thread's body, which
    /// returns when `shutdown` finishes.
    pub fn new(shutdown: Arc<Shutdown>) -> io::Result<Self> {
        let poller = Arc::new(Poller::new()?);
        shutdown.wake_at(Stage::Finished, Arc::downgrade(&poller) as Weak<dyn Wake>);
        Ok(Self {
            poller,
            watched: Mutex::new(HashMap::new()),
            shutdown,
            deferred: Mutex::new(Vec::new()),
        })
    }

    /// Asks to be told when `stream` is writable again; `first_time` registers it.
    pub(crate) fn watch(
        &self,
        outbox: &Arc<Outbox>,
        stream: &TcpStream,
        first_time: bool,
    ) -> io::Result<()> {
        let key = outbox.key();
        if first_time {
            self.lock().insert(key, Arc::clone(outbox));
            // SAFETY: the outbox owns `stream` and calls `forget` in `Outbox::close`,
            // before the stream can be dropped, so it is never closed while registered.
            unsafe { self.poller.add(stream, Event::writable(key)) }
        } else {
            self.poller.modify(stream, Event::writable(key))
        }
    }

    /// Removes a registration; called by `Outbox::close` while the stream is still open.
    pub(crate) fn forget(&self, key: usize, stream: &TcpStream) {
        let _ = self.poller.delete(stream);
        self.lock().remove(&key);
    }

    /// Queues `outbox` for the next sweep.
    pub(crate) fn defer(&self, outbox: &Arc<Outbox>) {
        let mut deferred = self.deferred.lock().unwrap_or_else(|p| p.into_inner());
        let wake = deferred.is_empty();
        deferred.push(Arc::clone(outbox));
        drop(deferred);
        if wake {
            let _ = self.poller.notify();
        }
    }

    /// The flusher thread: waits for writable sockets and lets their outboxes send.
    pub fn run(&self) {
        let mut events = Events::new();
        while !self.shutdown.is_finished() {
            events.clear();
            if let Err(e) = self.poller.wait(&mut events, None)
                && e.kind() != io::ErrorKind::Interrupted
            {
                tracing::error!("flusher cannot wait for sockets: {e}; retrying");
                std::thread::sleep(WAIT_RETRY);
            }
            for event in events.iter() {
                let outbox = self.lock().get(&event.key).cloned();
                if let Some(outbox) = outbox {
                    outbox.on_writable();
                }
            }
            let sweep =
                std::mem::take(&mut *self.deferred.lock().unwrap_or_else(|p| p.into_inner()));
            for outbox in sweep {
                outbox.flush_deferred();
            }
        }
    }

    fn lock(&self) -> MutexGuard<'_, HashMap<usize, Arc<Outbox>>> {
        self.watched
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}
