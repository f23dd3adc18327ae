//! The deadlines a session enforces by its socket's read timeout: the end of the
//! handshake, the announcement of a quiet member, and the keepalive of joined
//! structured-mode clients.

use std::ops::ControlFlow;
use std::time::Instant;

use chat_shared::frame::{ErrorCode, ServerFrame};

use super::{End, Session};
use crate::mode::Mode;

impl Session<'_> {
    /// Sets the socket's read timeout to the next deadline: the end of the handshake, or
    /// the keepalive interval of a joined structured client.
    pub(super) fn set_read_timeout(&mut self) -> ControlFlow<End> {
        let now = Instant::now();
        if self.announce_at.is_some_and(|at| now >= at) {
            self.announce_at = None;
            self.shared.room.announce(self.id);
        }
        let config = &self.shared.config;
        let wanted = match (self.name.is_some(), self.mode) {
            (false, _) => {
                let allowed = self.permit.handshake_timeout();
                let deadline = self.connected_at + allowed;
                match deadline.checked_duration_since(Instant::now()) {
                    Some(left) if !left.is_zero() => Some(left),
                    _ => {
                        self.error(
                            ErrorCode::HandshakeTimeout,
                            &format!("No name chosen within {}s; closing.", allowed.as_secs_f64()),
                        );
                        return ControlFlow::Break(End::HandshakeTimeout);
                    }
                }
            }
            (true, Some(Mode::Structured)) if self.awaiting_pong => Some(config.ping_timeout),
            (true, Some(Mode::Structured)) => Some(config.ping_interval),
            (true, _) => None,
        };
        let until_announce = self.announce_at.map(|at| at - now);
        self.timer_announces = until_announce.is_some_and(|left| wanted.is_none_or(|w| left < w));
        let wanted = if self.timer_announces {
            until_announce
        } else {
            wanted
        };
        if self.read_timeout != Some(wanted) {
            let _ = self.outbox.stream().set_read_timeout(wanted);
            self.read_timeout = Some(wanted);
        }
        ControlFlow::Continue(())
    }

    /// The read timed out: time to announce a quiet member (done when the timeout is set
    /// again), or to ping a joined structured client, or to give up on it.
    pub(super) fn on_silence(&mut self) -> ControlFlow<End> {
        if self.timer_announces || self.name.is_none() || self.mode != Some(Mode::Structured) {
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
