//! The thin loop that drives a session from its connection's thread, and the only part
//! of a session that reads the socket, sleeps, or waits for a goodbye to be sent.
//!
//! It reads with the session's next deadline as the socket's timeout, splits what
//! arrives into capped lines, and hands them over; it waits when flood control says so,
//! and maps the end of the connection to the session's reason.

use std::io::{self, Read};
use std::net::{Shutdown, SocketAddr};
use std::ops::ControlFlow;
use std::sync::Arc;
use std::time::{Duration, Instant};

use chat_shared::codec::{LineDecoder, LineError};
use chat_shared::frame::LeaveReason;

use rustls::ServerConfig;

use super::ending::End;
use super::machine::{Next, Session};
use super::transport;
use crate::connections::Permit;
use crate::deliver::Deliver;
use crate::outbox::{Decrypted, Outbox};
use crate::shared_state::Shared;
use crate::shutdown::Slept;

/// Bytes read from the socket at a time.
const READ_CHUNK: usize = 4096;

/// Most bytes read in one go before the messages among them are published (and at most
/// a quarter of the send queue, so that one batch never fills a receiver's queue).
const MAX_BATCH_BYTES: usize = 64 * 1024;

/// How far the socket's read timeout may be from the next deadline before it is set
/// again. Deadlines move with every line (keepalive counts from the last one); setting
/// the timeout on every read would cost a system call each, for a precision no timer
/// here needs.
const REARM_SLACK: Duration = Duration::from_millis(10);

/// How often the goodbye's progress is checked while it drains.
const DRAIN_POLL: Duration = Duration::from_millis(5);

/// Serves one connection until it ends; this is the body of the connection's thread.
/// A connection that opens with a TLS ClientHello is served over TLS made from `tls`.
pub(crate) fn run(
    shared: Arc<Shared>,
    outbox: Arc<Outbox>,
    tls: &Arc<ServerConfig>,
    id: usize,
    peer: SocketAddr,
    permit: Permit,
) {
    let connected_at = Instant::now();
    let _cleanup = Cleanup {
        shared: &shared,
        outbox: &outbox,
        id,
    };
    let Some(encrypted) = transport::choose(&shared, &outbox, tls, peer) else {
        return;
    };
    let out: Arc<dyn Deliver> = Arc::clone(&outbox) as Arc<dyn Deliver>;
    let mut session = Session::new(&shared, out, id, peer, encrypted, permit, connected_at);
    session.greet();
    let end = SocketLoop::new(&shared, &outbox, encrypted).serve(&mut session);
    let grace = session.finish(&end);
    outbox.end_tls();
    wait_until_sent(&outbox, grace);
    outbox.close();
    let _ = outbox.stream().shutdown(Shutdown::Both);
    // Only now, with the goodbye sent, does the connection leave the table.
    drop(session);
}

/// Leaves the room and closes the connection when dropped, so that even a session thread
/// that panics does not leave a ghost member holding its name. After a normal ending
/// every step is already done and does nothing.
struct Cleanup<'a> {
    shared: &'a Shared,
    outbox: &'a Arc<Outbox>,
    id: usize,
}

impl Drop for Cleanup<'_> {
    fn drop(&mut self) {
        if std::thread::panicking() {
            tracing::error!("the session of connection {} panicked; closing it", self.id);
        }
        self.shared
            .rooms
            .leave(self.id, LeaveReason::ConnectionLost, None);
        self.outbox.close();
        let _ = self.outbox.stream().shutdown(Shutdown::Both);
    }
}

/// Sends what is queued now (room notices may be waiting for the flusher's sweep),
/// then waits up to `grace` for the rest to drain.
pub(super) fn wait_until_sent(outbox: &Arc<Outbox>, grace: Duration) {
    Arc::clone(outbox).flush();
    let deadline = Instant::now() + grace;
    while !outbox.is_drained() && Instant::now() < deadline {
        std::thread::sleep(DRAIN_POLL);
    }
}

/// The reading side of one connection.
struct SocketLoop<'a> {
    shared: &'a Shared,
    outbox: &'a Arc<Outbox>,
    /// The connection is TLS: what the socket gives is ciphertext, for the outbox's TLS
    /// session to decrypt.
    encrypted: bool,
    /// The plaintext of the last read of a TLS connection, kept to reuse its allocation.
    plaintext: Vec<u8>,
    decoder: LineDecoder,
    /// Lines split from the last read, kept to reuse its allocation.
    lines: Vec<Result<String, LineError>>,
    /// The read timeout set on the socket, once one has been.
    armed: Option<Option<Duration>>,
}

impl<'a> SocketLoop<'a> {
    fn new(shared: &'a Shared, outbox: &'a Arc<Outbox>, encrypted: bool) -> Self {
        Self {
            shared,
            outbox,
            encrypted,
            plaintext: Vec::new(),
            decoder: LineDecoder::new(shared.config.max_line_bytes),
            lines: Vec::new(),
            armed: None,
        }
    }

    fn serve(&mut self, session: &mut Session<'_>) -> End {
        let mut buf = [0u8; READ_CHUNK];
        loop {
            let now = Instant::now();
            let deadline = session.next_deadline();
            if deadline.is_some_and(|deadline| deadline <= now) {
                let next = session.on_timer(now);
                if let ControlFlow::Break(end) = self.follow(session, next) {
                    return end;
                }
                continue;
            }
            self.arm(deadline.map(|deadline| deadline - now));
            match self.outbox.stream().read(&mut buf) {
                Ok(0) => return session.on_closed(),
                Ok(read) => {
                    session.on_input(Instant::now());
                    if let ControlFlow::Break(end) = self.take_input(session, &mut buf, read) {
                        return end;
                    }
                }
                Err(e)
                    if matches!(
                        e.kind(),
                        io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut
                    ) => {}
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(_) => return session.on_closed(),
            }
        }
    }

    /// Hands the session the lines of `buf[..read]`, and of whatever else has already
    /// arrived when the read filled the buffer, then lets it publish them.
    fn take_input(
        &mut self,
        session: &mut Session<'_>,
        buf: &mut [u8],
        read: usize,
    ) -> ControlFlow<End> {
        self.take_lines(session, &buf[..read])?;
        if read == buf.len() {
            self.take_ready_input(session, buf)?;
        }
        let next = session.on_input_done(self.decoder.discarding());
        self.follow(session, next)
    }

    /// After a read that filled the buffer, reads what else has already arrived (up to
    /// [`MAX_BATCH_BYTES`] or a quarter of the send queue) without waiting, so that a
    /// fast sender's messages are published under one room lock and reach each receiver
    /// in one send. The socket is non-blocking only meanwhile; sends never block whatever
    /// its mode.
    fn take_ready_input(&mut self, session: &mut Session<'_>, buf: &mut [u8]) -> ControlFlow<End> {
        let outbox = self.outbox;
        let mut stream = outbox.stream();
        if stream.set_nonblocking(true).is_err() {
            return ControlFlow::Continue(());
        }
        let limit = MAX_BATCH_BYTES.min(self.shared.config.send_queue_bytes / 4);
        let mut taken = buf.len();
        let mut flow = ControlFlow::Continue(());
        while taken < limit && flow.is_continue() {
            match stream.read(buf) {
                Ok(0) | Err(_) => break,
                Ok(read) => {
                    taken += read;
                    flow = self.take_lines(session, &buf[..read]);
                }
            }
        }
        let _ = stream.set_nonblocking(false);
        flow
    }

    /// Hands the session every line `input` (as read from the socket) completes, one at
    /// a time, doing what it asks after each. A TLS connection's input is decrypted
    /// first; the end of its TLS session, or TLS that is not valid, ends the session.
    fn take_lines(&mut self, session: &mut Session<'_>, input: &[u8]) -> ControlFlow<End> {
        if !self.encrypted {
            return self.take_plaintext(session, input);
        }
        let mut plaintext = std::mem::take(&mut self.plaintext);
        plaintext.clear();
        let decrypted = self.outbox.decrypt(input, &mut plaintext);
        let flow = self.take_plaintext(session, &plaintext);
        self.plaintext = plaintext;
        flow?;
        match decrypted {
            Decrypted::Open => ControlFlow::Continue(()),
            Decrypted::Closed => ControlFlow::Break(session.on_closed()),
            Decrypted::Broken(e) => {
                tracing::debug!("closing a connection that broke TLS: {e}");
                ControlFlow::Break(session.on_closed())
            }
        }
    }

    /// Hands the session every line `plaintext` completes, one at a time, doing what it
    /// asks after each.
    fn take_plaintext(&mut self, session: &mut Session<'_>, plaintext: &[u8]) -> ControlFlow<End> {
        self.decoder.feed(plaintext, &mut self.lines);
        let mut lines = std::mem::take(&mut self.lines);
        let flow = lines.drain(..).try_for_each(|line| {
            let next = session.on_line(line, Instant::now());
            self.follow(session, next)
        });
        self.lines = lines;
        flow
    }

    /// Does what the session asked: read on, end, or wait and resume (ending early if
    /// shutdown begins meanwhile).
    fn follow(&self, session: &mut Session<'_>, mut next: Next) -> ControlFlow<End> {
        loop {
            match next {
                Next::Read => return ControlFlow::Continue(()),
                Next::Close(end) => return ControlFlow::Break(end),
                Next::Wait(wait) => {
                    if self.shared.shutdown.sleep(wait) == Slept::ShutdownBegun {
                        return ControlFlow::Break(End::ServerStopping);
                    }
                    next = session.resume(Instant::now());
                }
            }
        }
    }

    /// Sets the socket's read timeout to `wanted` (none: wait for input for ever),
    /// unless the one set is within [`REARM_SLACK`] of it.
    fn arm(&mut self, wanted: Option<Duration>) {
        let close_enough = match (self.armed, wanted) {
            (Some(Some(armed)), Some(wanted)) => armed.abs_diff(wanted) <= REARM_SLACK,
            (Some(None), None) => true,
            _ => false,
        };
        if !close_enough {
            let _ = self.outbox.stream().set_read_timeout(wanted);
            self.armed = Some(wanted);
        }
    }
}
