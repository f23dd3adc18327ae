//! The deadlines a session enforces by its socket's read timeout: the end of the
//! handshake, and the keepalive of joined structured-mode clients.

use std::ops::ControlFlow;
use std::time::Instant;

use chat_shared::frame::{ErrorCode, ServerFrame};

use super::{End, Session};
use crate::mode::Mode;

impl Session<'_> {
    /// Sets the socket's read timeout to the next deadline: the end of the handshake, or
    /// the keepalive interval of a joined structured client.
    pub(super) fn set_read_timeout(&mut self) -> ControlFlow<End> {
        let config = &self.shared.config;
        let wanted = match (self.name.is_some(), self.mode) {
            (false, _) => {
                let deadline = self.connected_at + config.handshake_timeout;
                match deadline.checked_duration_since(Instant::now()) {
                    Some(left) if !left.is_zero() => Some(left),
                    _ => {
                        self.error(
                            ErrorCode::HandshakeTimeout,
                            &format!(
                                "No name chosen within {}s; closing.",
                                config.handshake_timeout.as_secs_f64()
                            ),
                        );
                        return ControlFlow::Break(End::HandshakeTimeout);
                    }
                }
            }
            (true, Some(Mode::Structured)) if self.awaiting_pong => Some(config.ping_timeout),
            (true, Some(Mode::Structured)) => Some(config.ping_interval),
            (true, _) => None,
        };
        if self.read_timeout != Some(wanted) {
            let _ = self.outbox.stream().set_read_timeout(wanted);
            self.read_timeout = Some(wanted);
        }
        ControlFlow::Continue(())
    }

    /// The read timed out: ping a joined structured client, or give up on it.
    pub(super) fn on_silence(&mut self) -> ControlFlow<End> {
        if self.name.is_none() || self.mode != Some(Mode::Structured) {
            return ControlFlow::Continue(());
        }
        if self.awaiting_pong {
            return ControlFlow::Break(End::PingTimeout);
        }
        self.pings_sent += 1;
        self.reply(&ServerFrame::Ping {
            token: self.pings_sent.to_string(),
        });
        self.awaiting_pong = true;
        ControlFlow::Continue(())
    }
}
