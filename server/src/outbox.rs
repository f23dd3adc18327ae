//! One client's bounded send queue, and the non-blocking writes that drain it.
//!
//! Delivering a message costs a copy into the queue (under the room lock, so that every
//! receiver queues room events in the same order) and, after the room lock is released,
//! one non-blocking `send` of everything queued. No thread is woken per delivery: the
//! broadcasting thread writes directly while the receiver's socket has room. Only bytes
//! that do not fit stay queued, and the [`Flusher`] finishes them when the socket becomes
//! writable. A queue that grows past its cap marks the client as too slow; its socket is
//! shut down, which ends its session with "send queue exceeded".
//!
//! A TLS connection's rustls session lives inside the queue, under the same lock: frames
//! are queued as plaintext (a copy, under the room lock) and encrypted only when sent,
//! after the room lock is released, so that encryption costs each receiver's lock and
//! never the room's. The session's own thread reads ciphertext from the socket without
//! any lock and takes this lock only to hand it to rustls and take the plaintext out
//! (`Outbox::decrypt`). Ciphertext waiting to be sent counts against the cap.
//!
//! Lock order: room → outbox queue → flusher registry. Nothing here blocks: sends use
//! `MSG_DONTWAIT`, so holding the queue lock across one is fine.

use std::io;
use std::net::{Shutdown, TcpStream};
use std::sync::{Arc, Mutex, MutexGuard};

use rustls::ServerConnection;
use socket2::SockRef;

use crate::deliver::Deliver;
use crate::flusher::Flusher;

mod sealed;

pub(crate) use sealed::Decrypted;

/// Capacity kept by an empty queue; a larger buffer left by a burst is released.
const RETAINED_CAPACITY: usize = 4096;

/// The sending half of one connection.
#[derive(Debug)]
pub struct Outbox {
    /// A handle to the client's socket, used only for sending and shutting it down.
    stream: TcpStream,
    /// Most bytes that may wait unsent before the client counts as too slow.
    cap: usize,
    /// Identifies this outbox to the flusher.
    key: usize,
    /// Where to wait for writability when the socket is full.
    flusher: Arc<Flusher>,
    /// Bytes waiting, and whether the queue still accepts more.
    queue: Mutex<Queue>,
}

#[derive(Debug, Default)]
struct Queue {
    /// Bytes for the wire (ciphertext on a TLS connection) not yet sent;
    /// `bytes[sent..]` is what remains.
    bytes: Vec<u8>,
    /// On a TLS connection: frames accepted but not yet encrypted into `bytes`.
    plaintext: Vec<u8>,
    /// The TLS session of an encrypted connection; `None` for cleartext.
    tls: Option<Box<ServerConnection>>,
    /// How much of `bytes` the socket has taken.
    sent: usize,
    /// Set when the queue stops accepting: closed, overflowed or the socket broke.
    state: State,
    /// The flusher is waiting for this socket to become writable; direct sends wait too.
    awaiting_writable: bool,
    /// The socket is registered with the flusher's poller.
    registered: bool,
    /// The socket was shut down already.
    shut: bool,
    /// Waiting in the flusher's sweep list.
    deferred: bool,
}

impl Queue {
    /// Bytes accepted but not yet sent: what counts against the cap.
    fn waiting(&self) -> usize {
        self.bytes.len() - self.sent + self.plaintext.len()
    }

    /// Drops the sent front of `bytes` once it is at least half of it, so that the
    /// buffer does not grow with a socket that always takes a little less than offered.
    fn compact(&mut self) {
        if self.sent > 0 && self.sent * 2 >= self.bytes.len() {
            let sent = std::mem::take(&mut self.sent);
            self.bytes.drain(..sent);
        }
    }
}

#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
enum State {
    #[default]
    Open,
    /// The cap was exceeded; the socket is (being) shut down.
    Overflowed,
    /// Sending failed: the peer is gone.
    Broken,
    /// The session ended or the server is stopping.
    Closed,
}

impl Outbox {
    /// An empty queue for `stream` that holds at most `cap` unsent bytes.
    pub fn new(stream: TcpStream, cap: usize, key: usize, flusher: Arc<Flusher>) -> Self {
        Self {
            stream,
            cap,
            key,
            flusher,
            queue: Mutex::new(Queue::default()),
        }
    }

    /// Queues one frame and sends it at once: for lines to this client alone.
    pub fn send(self: &Arc<Self>, frame: &[u8]) {
        self.push_all(&[frame]);
        self.send_now();
    }

    /// Sends as much of the queue as the socket takes without blocking.
    ///
    /// What does not fit waits for the flusher; an overflowed or broken queue has its
    /// socket shut down here, outside the room lock, which ends the client's session.
    fn send_now(self: &Arc<Self>) {
        let mut queue = self.lock();
        match queue.state {
            State::Open if !queue.awaiting_writable => self.send_queued(&mut queue),
            State::Open | State::Closed => {}
            State::Overflowed | State::Broken if !queue.shut => {
                queue.shut = true;
                drop(queue);
                let _ = self.stream.shutdown(Shutdown::Both);
            }
            State::Overflowed | State::Broken => {}
        }
    }

    /// Called by the flusher's sweep for an outbox left to it by
    /// [`Deliver::flush_later`].
    pub(crate) fn flush_deferred(self: &Arc<Self>) {
        self.lock().deferred = false;
        self.send_now();
    }

    /// Called by the flusher when the socket has room again.
    pub(crate) fn on_writable(self: &Arc<Self>) {
        let mut queue = self.lock();
        queue.awaiting_writable = false;
        if queue.state == State::Open {
            self.send_queued(&mut queue);
        }
    }

    /// The key that identifies this outbox to the flusher (the connection's id).
    pub(crate) fn key(&self) -> usize {
        self.key
    }

    /// Whether nothing is waiting to be sent (or nothing ever will be).
    pub fn is_drained(&self) -> bool {
        let queue = self.lock();
        queue.state != State::Open || queue.waiting() == 0
    }

    /// Stops accepting frames and forgets the flusher registration; called when the
    /// session ends, before the socket is closed.
    pub fn close(&self) {
        let mut queue = self.lock();
        if queue.state == State::Open {
            queue.state = State::Closed;
        }
        queue.bytes = Vec::new();
        queue.plaintext = Vec::new();
        queue.sent = 0;
        if std::mem::take(&mut queue.registered) {
            self.flusher.forget(self.key, &self.stream);
        }
    }

    /// The client's socket, for the session's reads (sends go through the queue).
    pub fn stream(&self) -> &TcpStream {
        &self.stream
    }

    fn send_queued(self: &Arc<Self>, queue: &mut MutexGuard<'_, Queue>) {
        queue.seal();
        let socket = SockRef::from(&self.stream);
        while queue.sent < queue.bytes.len() {
            let pending = &queue.bytes[queue.sent..];
            match socket.send_with_flags(pending, libc::MSG_DONTWAIT | libc::MSG_NOSIGNAL) {
                Ok(written) => queue.sent += written,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => {
                    queue.awaiting_writable = true;
                    let first_time = !std::mem::replace(&mut queue.registered, true);
                    if self.flusher.watch(self, &self.stream, first_time).is_err() {
                        self.break_connection(queue);
                    }
                    return;
                }
                Err(_) => {
                    self.break_connection(queue);
                    return;
                }
            }
        }
        queue.bytes.clear();
        queue.sent = 0;
        if queue.bytes.capacity() > RETAINED_CAPACITY {
            queue.bytes.shrink_to(RETAINED_CAPACITY);
        }
    }

    /// The socket failed (or cannot be watched): nothing more will be sent, and its
    /// session is woken to end.
    fn break_connection(&self, queue: &mut MutexGuard<'_, Queue>) {
        queue.state = State::Broken;
        queue.bytes = Vec::new();
        queue.plaintext = Vec::new();
        queue.sent = 0;
        queue.shut = true;
        let _ = self.stream.shutdown(Shutdown::Both);
    }

    fn lock(&self) -> MutexGuard<'_, Queue> {
        self.queue
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

impl Deliver for Outbox {
    /// Appends frames under one lock. The cap bounds the backlog: one frame larger than
    /// the cap (a big roster) is still accepted into an empty queue.
    fn push_all(&self, frames: &[&[u8]]) {
        let mut queue = self.lock();
        if queue.state != State::Open {
            return;
        }
        let total: usize = frames.iter().map(|f| f.len()).sum();
        let alone_in_empty_queue = queue.waiting() == 0 && frames.len() == 1;
        if queue.waiting() + total > self.cap && !alone_in_empty_queue {
            queue.state = State::Overflowed;
            queue.bytes = Vec::new();
            queue.plaintext = Vec::new();
            queue.sent = 0;
            return;
        }
        queue.compact();
        let queue = &mut *queue;
        let target = if queue.tls.is_some() {
            &mut queue.plaintext
        } else {
            &mut queue.bytes
        };
        target.reserve(total);
        for frame in frames {
            target.extend_from_slice(frame);
        }
    }

    fn flush(self: Arc<Self>) {
        self.send_now();
    }

    fn flush_later(self: Arc<Self>) {
        let mut queue = self.lock();
        if queue.state == State::Open {
            if !queue.deferred && !queue.awaiting_writable {
                queue.deferred = true;
                drop(queue);
                self.flusher.defer(&self);
            }
            return;
        }
        drop(queue);
        self.send_now();
    }

    fn overflowed(&self) -> bool {
        self.lock().state == State::Overflowed
    }

    /// Shuts the receiving side down: the session's blocked read returns at once, while
    /// queued frames can still be sent.
    fn hang_up(&self) {
        let _ = self.stream.shutdown(Shutdown::Read);
    }
}
