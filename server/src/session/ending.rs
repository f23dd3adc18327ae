//! How a session ends: the goodbye, leaving the room exactly once, and closing.

use std::net::Shutdown;
use std::sync::Arc;
use std::time::{Duration, Instant};

use chat_shared::frame::{ErrorCode, LeaveReason, ServerFrame};

use super::{End, GOODBYE_GRACE, Session};
use crate::connections::Refusal;
use crate::deliver::Deliver;
use crate::mode::Mode;
use crate::outbox::Outbox;
use crate::shared_state::Shared;

/// Leaves the room and closes the connection when dropped, so that even a session thread
/// that panics does not leave a ghost member holding its name. After a normal
/// [`Session::finish`] every step is already done and does nothing.
pub(super) struct Cleanup<'a> {
    /// Where the member is.
    pub shared: &'a Shared,
    /// The connection.
    pub outbox: &'a Arc<Outbox>,
    /// The member's id.
    pub id: usize,
}

impl Drop for Cleanup<'_> {
    fn drop(&mut self) {
        if std::thread::panicking() {
            tracing::error!("the session of connection {} panicked; closing it", self.id);
        }
        self.shared
            .room
            .leave(self.id, LeaveReason::ConnectionLost, None);
        self.outbox.close();
        let _ = self.outbox.stream().shutdown(Shutdown::Both);
    }
}

impl Session<'_> {
    /// Says goodbye, leaves the room and closes the connection.
    pub(super) fn finish(mut self, end: End) {
        let stopping = end == End::ServerStopping;
        if !stopping {
            self.publish_batch();
        }
        if let Some(name) = self.name.take() {
            let (reason, message) = match &end {
                End::Quit(message) => (LeaveReason::Quit, message.clone()),
                End::PingTimeout => (LeaveReason::PingTimeout, None),
                End::SendQueueExceeded => (LeaveReason::SendQueueExceeded, None),
                End::Kicked => (LeaveReason::Kicked, None),
                _ => (LeaveReason::ConnectionLost, None),
            };
            self.shared.room.leave(self.id, reason, message);
            let why = if stopping {
                "server shutting down"
            } else {
                reason.describe()
            };
            tracing::info!(peer = %self.peer, "{name} left ({why})");
        } else {
            tracing::debug!(peer = %self.peer, "connection closed before joining: {end:?}");
        }
        let grace = match &end {
            End::ServerStopping => {
                self.say_shutdown();
                self.shared.config.shutdown_grace
            }
            End::Quit(_) => {
                if self.mode == Some(Mode::Plain) {
                    self.reply(&ServerFrame::Notice {
                        text: "Bye!".to_owned(),
                    });
                }
                GOODBYE_GRACE
            }
            End::Evicted => {
                self.error(
                    ErrorCode::HandshakeTimeout,
                    "The server is busy and needs room for newcomers; you had not chosen a \
                     name yet. Closing.",
                );
                GOODBYE_GRACE
            }
            End::HandshakeTimeout | End::UnsupportedVersion | End::Kicked => GOODBYE_GRACE,
            End::ConnectionLost | End::PingTimeout | End::SendQueueExceeded => Duration::ZERO,
        };
        self.wait_until_sent(grace);
        self.outbox.close();
        let _ = self.outbox.stream().shutdown(Shutdown::Both);
    }

    fn say_shutdown(&mut self) {
        if self.mode.is_some() {
            let spread = self.shared.shutdown.reconnect_spread();
            self.reply(&ServerFrame::Shutdown {
                message: "The server is shutting down.".to_owned(),
                retry_within_ms: spread.map(|spread| spread.as_millis() as u64),
            });
        } else {
            self.outbox.send(Refusal::ShuttingDown.line().as_bytes());
        }
    }

    /// Sends what is queued now (room notices may be waiting for the flusher's sweep),
    /// then waits up to `grace` for the rest to drain.
    fn wait_until_sent(&self, grace: Duration) {
        Arc::clone(&self.outbox).flush();
        let deadline = Instant::now() + grace;
        while !self.outbox.is_drained() && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(5));
        }
    }
}
