//! One connection's thread: reads lines, runs the handshake and the read loop, enforces
//! the timeouts, and makes sure a member leaves the room exactly once.

use std::io::{self, Read};
use std::net::SocketAddr;
use std::ops::ControlFlow;
use std::sync::Arc;
use std::time::{Duration, Instant};

use chat_shared::codec::{LineDecoder, LineError};
use chat_shared::frame::{self, ErrorCode, ServerFrame};

use crate::connections::Permit;
use crate::deliver::Deliver;
use crate::flood::FloodBucket;
use crate::mode::Mode;
use crate::outbox::Outbox;
use crate::plain;
use crate::request::Request;
use crate::room::Said;
use crate::shared_state::Shared;
use crate::shutdown::Slept;
use crate::structured::{self, FirstLine};

mod commands;
mod ending;
mod timeouts;

/// Bytes read from the socket at a time.
const READ_CHUNK: usize = 4096;

/// Most bytes read in one go before the messages among them are published (and at most
/// a quarter of the send queue, so that one batch never fills a receiver's queue).
const MAX_BATCH_BYTES: usize = 64 * 1024;

/// Over-long lines a connection may send before it is closed.
const MAX_OVERLONG_LINES: u32 = 3;

/// Bytes of one over-long line after which the connection is closed.
const MAX_DISCARDED_BYTES: usize = 64 * 1024;

/// Longest wait for a goodbye line (quit, timeout) to be sent before closing.
const GOODBYE_GRACE: Duration = Duration::from_secs(1);

/// Why a session ended.
#[derive(Debug, Clone, PartialEq, Eq)]
enum End {
    /// The client asked to leave, maybe with a reason.
    Quit(Option<String>),
    /// The connection closed or broke.
    ConnectionLost,
    /// A structured client stopped answering pings.
    PingTimeout,
    /// The client read too slowly.
    SendQueueExceeded,
    /// The client kept breaking the protocol (endless or repeated over-long lines).
    Kicked,
    /// No accepted name within the handshake timeout.
    HandshakeTimeout,
    /// Closed before choosing a name, to make room for a newcomer.
    Evicted,
    /// The client's protocol version is not spoken here.
    UnsupportedVersion,
    /// The server is shutting down.
    ServerStopping,
}

/// Serves one connection until it ends; this is the body of the connection's thread.
pub(crate) fn run(
    shared: Arc<Shared>,
    outbox: Arc<Outbox>,
    id: usize,
    peer: SocketAddr,
    permit: Permit,
) {
    let _cleanup = ending::Cleanup {
        shared: &shared,
        outbox: &outbox,
        id,
    };
    let mut session = Session::new(&shared, Arc::clone(&outbox), id, peer, permit);
    let end = session.serve();
    session.finish(end);
}

/// The state of one connection.
struct Session<'a> {
    shared: &'a Shared,
    outbox: Arc<Outbox>,
    id: usize,
    peer: SocketAddr,
    /// The connection's place in the connection table; dropped when the session ends.
    permit: Permit,
    /// Chosen by the first line.
    mode: Option<Mode>,
    /// Set once the client has joined the room under this name.
    name: Option<String>,
    connected_at: Instant,
    decoder: LineDecoder,
    bucket: FloodBucket,
    /// The "slow down" notice was sent and the client has not slowed down since.
    throttled: bool,
    /// When a quiet member is to be announced, if it has not been yet.
    announce_at: Option<Instant>,
    /// The read timeout set is the one for the announcement, not for keepalive.
    timer_announces: bool,
    /// A keepalive ping is unanswered (no line since it was sent).
    awaiting_pong: bool,
    pings_sent: u64,
    overlong_lines: u32,
    /// Messages read but not yet published, so that the lines of one read go out
    /// under one room lock.
    batch: Vec<Said>,
    /// An upper bound of the batch's size on the wire, kept under a quarter of the send
    /// queue so that one batch never fills a receiver's queue.
    batch_wire_bytes: usize,
    /// The read timeout currently set on the socket.
    read_timeout: Option<Option<Duration>>,
}

impl<'a> Session<'a> {
    fn new(
        shared: &'a Shared,
        outbox: Arc<Outbox>,
        id: usize,
        peer: SocketAddr,
        permit: Permit,
    ) -> Self {
        let now = Instant::now();
        Self {
            shared,
            outbox,
            id,
            peer,
            bucket: permit.flood_bucket(now),
            permit,
            mode: None,
            name: None,
            connected_at: now,
            decoder: LineDecoder::new(shared.config.max_line_bytes),
            throttled: false,
            announce_at: None,
            timer_announces: false,
            awaiting_pong: false,
            pings_sent: 0,
            overlong_lines: 0,
            batch: Vec::new(),
            batch_wire_bytes: 0,
            read_timeout: None,
        }
    }

    fn serve(&mut self) -> End {
        let banner = format!(
            "* Welcome to chat-server {} ({} online).\r\n{}",
            env!("CARGO_PKG_VERSION"),
            self.shared.room.online(),
            plain::NAME_PROMPT
        );
        self.outbox.send(banner.as_bytes());
        let mut buf = [0u8; READ_CHUNK];
        let mut lines = Vec::new();
        loop {
            if let ControlFlow::Break(end) = self.set_read_timeout() {
                return end;
            }
            match self.outbox.stream().read(&mut buf) {
                Ok(0) => return self.lost(),
                Ok(read) => {
                    self.awaiting_pong = false;
                    if let ControlFlow::Break(end) = self.take_input(&buf[..read], &mut lines) {
                        return end;
                    }
                    if read == READ_CHUNK {
                        if let ControlFlow::Break(end) = self.take_ready_input(&mut buf, &mut lines)
                        {
                            return end;
                        }
                    }
                    self.publish_batch();
                    if self.decoder.discarding() > Some(MAX_DISCARDED_BYTES) {
                        self.error(ErrorCode::LineTooLong, "That line never ends; closing.");
                        return End::Kicked;
                    }
                }
                Err(e)
                    if matches!(
                        e.kind(),
                        io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut
                    ) =>
                {
                    if let ControlFlow::Break(end) = self.on_silence() {
                        return end;
                    }
                }
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(_) => return self.lost(),
            }
        }
    }

    /// Handles the lines that `input` completes; messages among them are batched.
    fn take_input(
        &mut self,
        input: &[u8],
        lines: &mut Vec<Result<String, LineError>>,
    ) -> ControlFlow<End> {
        self.decoder.feed(input, lines);
        for line in lines.drain(..) {
            self.handle_line(line)?;
        }
        ControlFlow::Continue(())
    }

    /// After a read that filled the buffer, reads what else has already arrived (up to
    /// [`MAX_BATCH_BYTES`] or a quarter of the send queue) without waiting, so that a fast sender's messages are
    /// published under one room lock and reach each receiver in one send. The socket is
    /// non-blocking only meanwhile; sends never block whatever its mode.
    fn take_ready_input(
        &mut self,
        buf: &mut [u8],
        lines: &mut Vec<Result<String, LineError>>,
    ) -> ControlFlow<End> {
        let outbox = Arc::clone(&self.outbox);
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
                    flow = self.take_input(&buf[..read], lines);
                }
            }
        }
        let _ = stream.set_nonblocking(false);
        flow
    }

    /// Why the connection closed under us.
    fn lost(&self) -> End {
        if self.shared.shutdown.is_begun() {
            End::ServerStopping
        } else if self.permit.evicted() {
            End::Evicted
        } else if self.outbox.overflowed() {
            End::SendQueueExceeded
        } else {
            End::ConnectionLost
        }
    }

    fn handle_line(&mut self, line: Result<String, LineError>) -> ControlFlow<End> {
        let line = match line {
            Ok(line) => line,
            Err(error) => {
                self.throttle()?;
                return self.refuse_line(error);
            }
        };
        let Some(mode) = self.mode else {
            return self.choose_mode(&line);
        };
        let parsed = match mode {
            Mode::Plain => plain::parse(&line, self.name.is_some()),
            Mode::Structured => structured::parse(&line),
        };
        if !matches!(parsed, Ok(Request::Pong | Request::Nothing)) {
            self.throttle()?;
        }
        match parsed {
            Ok(request) => self.execute(request),
            Err(frame) => {
                self.reply(&frame);
                ControlFlow::Continue(())
            }
        }
    }

    /// Answers a line that could not be read: too long, or not UTF-8.
    fn refuse_line(&mut self, error: LineError) -> ControlFlow<End> {
        match error {
            LineError::TooLong => {
                self.overlong_lines += 1;
                if self.overlong_lines >= MAX_OVERLONG_LINES {
                    self.error(ErrorCode::LineTooLong, "Too many over-long lines; closing.");
                    return ControlFlow::Break(End::Kicked);
                }
                let max = self.shared.config.max_line_bytes;
                self.error(
                    ErrorCode::LineTooLong,
                    &format!("Line longer than {max} bytes; it was discarded."),
                );
            }
            LineError::InvalidUtf8 => self.error(
                ErrorCode::InvalidUtf8,
                "That line was not valid UTF-8; it was discarded.",
            ),
        }
        ControlFlow::Continue(())
    }

    /// The first line: a structured `hello`, or a plain-mode name attempt.
    fn choose_mode(&mut self, line: &str) -> ControlFlow<End> {
        match structured::detect_hello(line) {
            FirstLine::Hello => {
                self.mode = Some(Mode::Structured);
                self.reply(&structured::hello_reply(&self.shared.config));
                ControlFlow::Continue(())
            }
            FirstLine::UnsupportedVersion(refusal) => {
                self.mode = Some(Mode::Structured);
                self.reply(&refusal);
                ControlFlow::Break(End::UnsupportedVersion)
            }
            FirstLine::Unreadable(refusal) => {
                self.throttle()?;
                self.outbox.send(&frame::encode(&refusal));
                ControlFlow::Continue(())
            }
            FirstLine::Plain => {
                self.mode = Some(Mode::Plain);
                self.handle_line(Ok(line.to_owned()))
            }
        }
    }

    /// Flood control: waits until the client may send another frame.
    fn throttle(&mut self) -> ControlFlow<End> {
        let wait = self.bucket.take(Instant::now());
        if wait.is_zero() {
            self.throttled = false;
            return ControlFlow::Continue(());
        }
        self.publish_batch();
        if !self.throttled {
            self.throttled = true;
            self.reply(&ServerFrame::Notice {
                text: "You are sending too fast; your messages are being delayed.".to_owned(),
            });
        }
        if self.shared.shutdown.sleep(wait) == Slept::ShutdownBegun {
            return ControlFlow::Break(End::ServerStopping);
        }
        ControlFlow::Continue(())
    }

    fn publish_batch(&mut self) {
        if !self.batch.is_empty() {
            let batch = std::mem::take(&mut self.batch);
            let _ = self.shared.room.publish(self.id, batch);
            self.batch_wire_bytes = 0;
        }
    }

    /// Sends `frame` to this client alone, after publishing the messages read before the
    /// line it answers, so that answers keep the order of what the client sent.
    fn reply(&mut self, frame: &ServerFrame) {
        self.publish_batch();
        let mode = self.mode.unwrap_or(Mode::Plain);
        self.outbox
            .send(&mode.encode(frame, self.shared.room.time_zone()));
    }

    fn error(&mut self, code: ErrorCode, message: &str) {
        self.reply(&ServerFrame::Error {
            code,
            message: message.to_owned(),
        });
    }
}
