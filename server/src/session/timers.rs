//! What a session does by itself when the client is silent: end the handshake that took
//! too long, announce a quiet newcomer whose delay is over, and keep a joined
//! structured client alive. The socket loop reads until [`Session::next_deadline`] and
//! calls [`Session::on_timer`] when it has passed.

use std::time::Instant;

use chat_shared::frame::{ErrorCode, ServerFrame};

use super::ending::End;
use super::keepalive::Due;
use super::machine::{Next, Session};
use crate::mode::Mode;

impl Session<'_> {
    /// The next moment the session acts by itself if the client says nothing.
    pub(crate) fn next_deadline(&self) -> Option<Instant> {
        [
            self.handshake_deadline(),
            self.announce_at,
            self.keepalive_deadline(),
        ]
        .into_iter()
        .flatten()
        .min()
    }

    /// The clock says `now`: does whatever is due by then.
    pub(crate) fn on_timer(&mut self, now: Instant) -> Next {
        if self.announce_at.is_some_and(|at| now >= at) {
            self.announce_at = None;
            self.shared.rooms.announce(self.id);
        }
        if self.name.is_none() {
            let allowed = self.permit.handshake_timeout();
            if now >= self.connected_at + allowed {
                self.error(
                    ErrorCode::HandshakeTimeout,
                    &format!("No name chosen within {}s; closing.", allowed.as_secs_f64()),
                );
                return Next::Close(End::HandshakeTimeout);
            }
        }
        if self.keepalive_deadline().is_some() {
            match self.keepalive.on_timer(now) {
                Due::Nothing => {}
                Due::Ping(token) => self.reply(&ServerFrame::Ping { token }),
                Due::TimedOut => return Next::Close(End::PingTimeout),
            }
        }
        Next::Read
    }

    /// Until a name is accepted: the end of the handshake, which comes sooner while many
    /// connections are silent.
    fn handshake_deadline(&self) -> Option<Instant> {
        self.name
            .is_none()
            .then(|| self.connected_at + self.permit.handshake_timeout())
    }

    /// Only joined structured clients are pinged: a person in plain mode cannot answer.
    fn keepalive_deadline(&self) -> Option<Instant> {
        (self.name.is_some() && self.mode == Some(Mode::Structured))
            .then(|| self.keepalive.deadline())
    }
}
