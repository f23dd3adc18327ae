//! The session's state and its inputs: what the client has done so far decides what
//! each new line means, and what the socket loop does next.

use std::net::SocketAddr;
use std::ops::ControlFlow;
use std::sync::Arc;
use std::time::{Duration, Instant};

use chat_shared::codec::LineError;
use chat_shared::frame::{self, ErrorCode, ServerFrame};
use chat_shared::password::Secret;

use super::batch::Batch;
use super::ending::End;
use super::fakelag::{Fakelag, Verdict};
use super::keepalive::Keepalive;
use crate::connections::Permit;
use crate::deliver::Deliver;
use crate::mode::Mode;
use crate::plain;
use crate::request::{Refused, Request};
use crate::room::Said;
use crate::shared_state::Shared;
use crate::structured::{self, FirstLine};

/// Over-long lines a connection may send before it is closed.
const MAX_OVERLONG_LINES: u32 = 3;

/// Bytes of one over-long line after which the connection is closed.
const MAX_DISCARDED_BYTES: usize = 64 * 1024;

/// What flood control tells a client, once per episode of being slowed down.
const SLOW_DOWN: &str = "You are sending too fast; your messages are being delayed.";

/// What the socket loop does after giving the session an input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Next {
    /// Read on.
    Read,
    /// Flood control: read nothing for this long, then call [`Session::resume`].
    Wait(Duration),
    /// The session is over: call [`Session::finish`] with this reason.
    Close(End),
}

/// What a line asks for: decided when the line arrives, carried out once flood control
/// lets it.
#[derive(Debug)]
enum Work {
    /// A line that could not be read: too long, or not UTF-8.
    Unreadable(LineError),
    /// A first line too deeply nested to tell the mode. It is answered in JSON, since a
    /// program probably sent it, and the mode stays undecided.
    UndecidedRefusal(ServerFrame),
    /// A request, or the error that answers a line that is not one.
    Parsed(Result<Request, Refused>),
}

impl Work {
    /// Every line costs a flood-control token, except a pong and an empty line.
    fn costs_a_token(&self) -> bool {
        !matches!(self, Work::Parsed(Ok(Request::Pong | Request::Nothing)))
    }
}

/// One connection's protocol state. It never touches a socket or reads the clock: the
/// socket loop feeds it, and what the client is to receive goes into `out`.
#[derive(Debug)]
pub(crate) struct Session<'a> {
    /// The room, the limits and the shutdown signal.
    pub(super) shared: &'a Shared,
    /// Where this client's frames go: replies from here, room events from the room.
    pub(super) out: Arc<dyn Deliver>,
    /// The connection's id, also its member id in the room.
    pub(super) id: usize,
    /// Who the client is, for the logs.
    pub(super) peer: SocketAddr,
    /// Whether the connection is encrypted (TLS): what the client sends cannot be read
    /// on the way, so passwords may then come from anywhere. A cleartext connection may
    /// carry passwords only from this machine, unless the operator allows it.
    pub(super) encrypted: bool,
    /// The connection's place in the connection table, given back when the session is
    /// dropped.
    pub(super) permit: Permit,
    /// Chosen by the first line.
    pub(super) mode: Option<Mode>,
    /// Set once the client has joined the room under this name.
    pub(super) name: Option<String>,
    /// The account this session proved it owns, by its password (or by registering
    /// it): the account's name as registered. `None` for a session that logged in
    /// under a name that is no account. It stays while the member renames (renaming
    /// back to the account's name needs no password again), and ends with
    /// `/unregister`. Moderation trusts this, never the name alone.
    pub(super) account: Option<String>,
    /// Plain mode: the registered name whose password the next line is.
    pub(super) awaiting_password: Option<String>,
    /// When the connection arrived: the handshake timeout runs from here.
    pub(super) connected_at: Instant,
    /// When a quiet member is to be announced, if it has not been yet.
    pub(super) announce_at: Option<Instant>,
    /// Pings a joined structured client that stays silent.
    pub(super) keepalive: Keepalive,
    /// Flood control.
    fakelag: Fakelag,
    /// Messages read but not yet published.
    batch: Batch,
    /// Over-long lines received so far.
    overlong_lines: u32,
    /// A line whose flood-control wait is running, to carry out on [`Session::resume`].
    held: Option<Work>,
    /// How many more of this session's messages with a nonce are looked up in the store
    /// when the rooms do not remember the nonce (see [`Session::posted_before`]).
    pub(super) stored_nonce_checks: u32,
}

impl<'a> Session<'a> {
    /// The session of connection `id` from `peer`, which arrived at `now` and was
    /// admitted with `permit`; `out` is where its frames go; `encrypted` says whether
    /// the connection is TLS.
    pub(crate) fn new(
        shared: &'a Shared,
        out: Arc<dyn Deliver>,
        id: usize,
        peer: SocketAddr,
        encrypted: bool,
        permit: Permit,
        now: Instant,
    ) -> Self {
        let config = &shared.config;
        Self {
            shared,
            out,
            id,
            peer,
            encrypted,
            fakelag: Fakelag::new(permit.flood_bucket(now)),
            permit,
            mode: None,
            name: None,
            account: None,
            awaiting_password: None,
            connected_at: now,
            announce_at: None,
            keepalive: Keepalive::new(config.ping_interval, config.ping_timeout, now),
            batch: Batch::new(config.send_queue_bytes / 4),
            overlong_lines: 0,
            held: None,
            stored_nonce_checks: super::history::STORED_NONCE_CHECKS,
        }
    }

    /// Greets the client: the banner, then the question for a name.
    pub(crate) fn greet(&self) {
        let banner = format!(
            "* Welcome to chat-server {} ({} online).\r\n{}",
            env!("CARGO_PKG_VERSION"),
            self.shared.rooms.online(),
            plain::NAME_PROMPT
        );
        self.send(banner.as_bytes());
    }

    /// Bytes arrived from the client at `now`: whatever they are, it is alive.
    pub(crate) fn on_input(&mut self, now: Instant) {
        self.keepalive.heard(now);
    }

    /// Handles one line that arrived at `now`. Messages are batched until
    /// [`Session::on_input_done`]; anything else is carried out at once, unless flood
    /// control asks to wait first.
    pub(crate) fn on_line(&mut self, line: Result<String, LineError>, now: Instant) -> Next {
        let work = match line {
            Err(error) => Work::Unreadable(error),
            Ok(line) => match self.mode {
                Some(mode) => Work::Parsed(self.parse(mode, &line)),
                None => match self.first_line(&line) {
                    ControlFlow::Continue(work) => work,
                    ControlFlow::Break(next) => return next,
                },
            },
        };
        if work.costs_a_token()
            && let Verdict::Wait { wait, tell } = self.fakelag.take(now)
        {
            self.publish_batch();
            if tell {
                self.reply(&ServerFrame::Notice {
                    text: SLOW_DOWN.to_owned(),
                });
            }
            self.held = Some(work);
            return Next::Wait(wait);
        }
        self.carry_out(work, now)
    }

    /// Flood control's wait is over at `now`: carries out the line it held back. The
    /// time spent waiting was not the client's silence.
    pub(crate) fn resume(&mut self, now: Instant) -> Next {
        self.keepalive.heard(now);
        match self.held.take() {
            Some(work) => self.carry_out(work, now),
            None => Next::Read,
        }
    }

    /// Every line read so far has been handled: publishes the messages among them under
    /// one lock. `discarding` is how much of an over-long line still arriving has been
    /// dropped so far; a line that never ends closes the connection.
    pub(crate) fn on_input_done(&mut self, discarding: Option<usize>) -> Next {
        self.publish_batch();
        if discarding > Some(MAX_DISCARDED_BYTES) {
            self.error(ErrorCode::LineTooLong, "That line never ends; closing.");
            return Next::Close(End::Kicked);
        }
        Next::Read
    }

    /// The first line: a structured `hello` (answered here, and free), the first line of
    /// plain mode, or a line too deeply nested to tell.
    fn first_line(&mut self, line: &str) -> ControlFlow<Next, Work> {
        match structured::detect_hello(line) {
            FirstLine::Hello => {
                self.mode = Some(Mode::Structured);
                self.reply(&structured::hello_reply(&self.shared.config));
                ControlFlow::Break(Next::Read)
            }
            FirstLine::UnsupportedVersion(refusal) => {
                self.mode = Some(Mode::Structured);
                self.reply(&refusal);
                ControlFlow::Break(Next::Close(End::UnsupportedVersion))
            }
            FirstLine::Unreadable(refusal) => {
                ControlFlow::Continue(Work::UndecidedRefusal(refusal))
            }
            FirstLine::Plain => {
                self.mode = Some(Mode::Plain);
                ControlFlow::Continue(Work::Parsed(self.parse(Mode::Plain, line)))
            }
        }
    }

    fn parse(&self, mode: Mode, line: &str) -> Result<Request, Refused> {
        if let (Mode::Plain, Some(name)) = (mode, &self.awaiting_password) {
            return Ok(Request::Login {
                name: name.clone(),
                after: None,
                password: Some(Secret::new(line.trim())),
            });
        }
        match mode {
            Mode::Plain => plain::parse(line, self.name.is_some()),
            Mode::Structured => structured::parse(line),
        }
    }

    fn carry_out(&mut self, work: Work, now: Instant) -> Next {
        match work {
            Work::Unreadable(error) => self.refuse_line(error),
            Work::UndecidedRefusal(refusal) => {
                self.send(&frame::encode(&refusal));
                Next::Read
            }
            Work::Parsed(Ok(request)) => self.execute(request, now),
            Work::Parsed(Err(answer)) => {
                self.reply(&answer.into());
                Next::Read
            }
        }
    }

    /// Answers a line that could not be read: too long, or not UTF-8.
    fn refuse_line(&mut self, error: LineError) -> Next {
        match error {
            LineError::TooLong => {
                self.overlong_lines += 1;
                if self.overlong_lines >= MAX_OVERLONG_LINES {
                    self.error(ErrorCode::LineTooLong, "Too many over-long lines; closing.");
                    return Next::Close(End::Kicked);
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
        Next::Read
    }

    /// Adds a message to `room` to the batch; a batch to another room, or that would
    /// grow past its bound, is published first.
    pub(super) fn batch_message(&mut self, said: Said, room: Option<String>) {
        if !self.batch.has_room_for(&said, room.as_deref()) {
            self.publish_batch();
        }
        self.batch.push(said, room);
    }

    /// Publishes the messages read so far, in order, under one room lock. Refused (not
    /// in that room), each message gets its own error, as each would have its echo.
    pub(super) fn publish_batch(&mut self) {
        if let Some((room, batch)) = self.batch.take() {
            let count = batch.len();
            if let Err(refusal) = self.shared.rooms.publish(self.id, room.as_deref(), batch) {
                for _ in 0..count {
                    self.refuse_room(&refusal);
                }
            }
        }
    }

    /// Sends `frame` to this client alone, after publishing the messages read before the
    /// line it answers, so that answers keep the order of what the client sent.
    pub(super) fn reply(&mut self, frame: &ServerFrame) {
        self.publish_batch();
        let mode = self.mode.unwrap_or(Mode::Plain);
        self.send(&mode.encode(frame, self.shared.rooms.time_zone()));
    }

    /// Replies with an error.
    pub(super) fn error(&mut self, code: ErrorCode, message: &str) {
        self.reply(&ServerFrame::Error {
            code,
            message: message.to_owned(),
        });
    }

    /// Queues bytes already encoded for this client and sends them.
    pub(super) fn send(&self, bytes: &[u8]) {
        self.out.push_all(&[bytes]);
        Arc::clone(&self.out).flush();
    }
}
