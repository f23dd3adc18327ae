//! The reading side of one connection: bytes in, news for the app out.
//!
//! Before the server's `hello`, banner lines are skipped (an `ERROR code: reason` line is
//! a refusal); after it, every line must be a frame. A kick, a ban or the refusal of a
//! banned address ends the connection for good ([`Stop::Removed`]). The phase reached also says which
//! frames may be written ([`Phase::accepts`]).

use std::time::Duration;

use chat_shared::PROTOCOL_VERSION;
use chat_shared::codec::{LineDecoder, LineError};
use chat_shared::frame::{ClientFrame, ErrorCode, ServerFrame, decode_server, parse_refusal};
use tokio::sync::mpsc;
use tokio::time::Instant;

use super::{MAX_ANNOUNCED_LINE_BYTES, MAX_SERVER_LINE_BYTES};
use crate::event::NetEvent;

/// How far the connection got.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Phase {
    /// The server has not said `hello` yet.
    Greeting,
    /// The server said `hello`; the user is not in the room.
    Ready,
    /// The server welcomed the user into the room.
    Joined,
}

impl Phase {
    /// Whether `frame` may be written now. Room frames wait for `welcome`: one the app
    /// sent for the connection before (it had not heard of the break yet) is dropped
    /// rather than refused by the server as `not_logged_in`, whose answer the app would
    /// take for the answer to another message. The app sends such messages again itself.
    pub(super) fn accepts(self, frame: &ClientFrame) -> bool {
        match self {
            Phase::Greeting => false,
            Phase::Ready => matches!(
                frame,
                ClientFrame::Login { .. }
                    | ClientFrame::Ping { .. }
                    | ClientFrame::Pong { .. }
                    | ClientFrame::Quit { .. }
            ),
            Phase::Joined => true,
        }
    }
}

/// What the server's lines mean.
pub(super) struct Incoming {
    /// How far the connection got.
    phase: Phase,
    /// When the server said `hello`.
    ready_since: Option<Instant>,
    /// Splits what arrives into capped lines.
    decoder: LineDecoder,
    /// The decoder's cap: [`MAX_SERVER_LINE_BYTES`], then what the server's `hello` says.
    max_line: usize,
    /// Set when the server refused a banned address: the refusal ends the connection
    /// as [`Stop::Removed`].
    banned: bool,
    /// Lines decoded from the last read, reused between reads.
    lines: Vec<Result<String, LineError>>,
}

/// Why the reading side gives up on the connection.
#[derive(Debug)]
pub(super) enum Stop {
    /// The app is gone.
    AppGone,
    /// The server shut down (after its `shutdown` frame was passed on); it suggested
    /// reconnecting within this long, if it expects to be back.
    ServerShutdown(Option<Duration>),
    /// The server broke the protocol or refused us; the reason, for display.
    Failed(String),
    /// An operator kicked or banned the user, or the server refused a banned address:
    /// the reason, for display. Trying again by itself would only repeat it.
    Removed(String),
}

impl Incoming {
    /// Before anything arrived.
    pub(super) fn new() -> Self {
        Self {
            phase: Phase::Greeting,
            ready_since: None,
            decoder: LineDecoder::new(MAX_SERVER_LINE_BYTES),
            max_line: MAX_SERVER_LINE_BYTES,
            banned: false,
            lines: Vec::new(),
        }
    }

    /// How far the connection got.
    pub(super) fn phase(&self) -> Phase {
        self.phase
    }

    /// How long since the server said `hello`, if it did.
    pub(super) fn up_for(&self) -> Option<Duration> {
        self.ready_since.map(|since| since.elapsed())
    }

    /// Handles the bytes of one read, passing news on to the app; `Err` when the
    /// connection must end.
    pub(super) async fn receive(
        &mut self,
        bytes: &[u8],
        events: &mpsc::Sender<NetEvent>,
    ) -> Result<(), Stop> {
        self.decoder.feed(bytes, &mut self.lines);
        let lines = std::mem::take(&mut self.lines);
        for line in lines {
            let news = match line {
                Err(LineError::TooLong) => {
                    return Err(Stop::Failed(format!(
                        "protocol error: the server sent a line over {} bytes",
                        self.max_line
                    )));
                }
                Err(LineError::InvalidUtf8) => {
                    return Err(Stop::Failed(
                        "protocol error: the server sent invalid UTF-8".to_owned(),
                    ));
                }
                Ok(line) => match self.understand(&line) {
                    Ok(Some(news)) => news,
                    Ok(None) => continue,
                    Err(reason) if self.banned => return Err(Stop::Removed(reason)),
                    Err(reason) => return Err(Stop::Failed(reason)),
                },
            };
            let stop = match &news {
                NetEvent::Frame(ServerFrame::Shutdown {
                    retry_within_ms, ..
                }) => Some(Stop::ServerShutdown(
                    retry_within_ms.map(Duration::from_millis),
                )),
                NetEvent::Frame(ServerFrame::Error {
                    code: ErrorCode::Kicked | ErrorCode::Banned,
                    message,
                }) => Some(Stop::Removed(message.clone())),
                _ => None,
            };
            if events.send(news).await.is_err() {
                return Err(Stop::AppGone);
            }
            if let Some(stop) = stop {
                return Err(stop);
            }
        }
        Ok(())
    }

    /// What one line means: news for the app, nothing (a banner line), or a reason to
    /// give up on the connection.
    fn understand(&mut self, line: &str) -> Result<Option<NetEvent>, String> {
        if self.phase != Phase::Greeting {
            return match decode_server(line) {
                Ok(frame) => {
                    if matches!(frame, ServerFrame::Welcome { .. }) {
                        self.phase = Phase::Joined;
                    }
                    Ok(Some(NetEvent::Frame(frame)))
                }
                Err(error) => {
                    tracing::warn!(%error, line = %line.chars().take(200).collect::<String>(), "bad frame");
                    Err("protocol error: the server sent something that is not a frame".to_owned())
                }
            };
        }
        if let Some((code, reason)) = parse_refusal(line) {
            tracing::info!(code, reason, "refused");
            self.banned = code == ErrorCode::Banned.as_str();
            return Err(format!("refused by the server: {reason}"));
        }
        match decode_server(line) {
            Ok(ServerFrame::Hello {
                version,
                server,
                max_line_bytes,
                max_frame_bytes,
                flood,
            }) => {
                if version != PROTOCOL_VERSION {
                    return Err(format!(
                        "the server speaks protocol version {version}, this client {PROTOCOL_VERSION}"
                    ));
                }
                self.phase = Phase::Ready;
                self.ready_since = Some(Instant::now());
                self.max_line = line_cap(max_frame_bytes);
                self.decoder.set_max_line(self.max_line);
                tracing::info!(%server, "connected");
                Ok(Some(NetEvent::Connected {
                    server,
                    max_line_bytes,
                    flood,
                }))
            }
            Ok(ServerFrame::Error { message, .. }) => {
                Err(format!("refused by the server: {message}"))
            }
            Ok(frame @ ServerFrame::Shutdown { .. }) => Ok(Some(NetEvent::Frame(frame))),
            Ok(_) | Err(_) => {
                tracing::debug!(%line, "banner line skipped");
                Ok(None)
            }
        }
    }
}

/// The longest line to accept from a server whose `hello` announced `max_frame_bytes`:
/// what it announced, up to [`MAX_ANNOUNCED_LINE_BYTES`]; [`MAX_SERVER_LINE_BYTES`] when
/// it announced nothing.
fn line_cap(max_frame_bytes: Option<usize>) -> usize {
    max_frame_bytes.map_or(MAX_SERVER_LINE_BYTES, |announced| {
        announced.min(MAX_ANNOUNCED_LINE_BYTES)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_line_cap_follows_the_server_up_to_a_ceiling() {
        assert_eq!(line_cap(None), MAX_SERVER_LINE_BYTES);
        assert_eq!(line_cap(Some(991_024)), 991_024);
        assert_eq!(line_cap(Some(5 << 20)), 5 << 20);
        assert_eq!(line_cap(Some(usize::MAX)), MAX_ANNOUNCED_LINE_BYTES);
    }
}
