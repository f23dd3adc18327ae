//! Why a session ends, and how: the goodbye, and leaving the room exactly once.

use std::time::Duration;

use chat_shared::frame::{ErrorCode, LeaveReason, ServerFrame};

use super::machine::Session;
use crate::connections::Refusal;
use crate::mode::Mode;
use crate::moderation::Removal;
use crate::room::Departure;

/// Longest wait for a goodbye line (quit, timeout) to be sent before closing.
const GOODBYE_GRACE: Duration = Duration::from_secs(1);

/// Why a session ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum End {
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
    /// An operator kicked or banned the client.
    Removed(Removal),
}

impl Session<'_> {
    /// The connection closed under the session (end of input, or an error): why.
    pub(crate) fn on_closed(&self) -> End {
        if self.shared.shutdown.is_begun() {
            End::ServerStopping
        } else if let Some(removal) = self.permit.removal() {
            End::Removed(removal)
        } else if self.permit.evicted() {
            End::Evicted
        } else if self.out.overflowed() {
            End::SendQueueExceeded
        } else {
            End::ConnectionLost
        }
    }

    /// Ends the session for `end`: leaves the room (telling the others why) and says
    /// goodbye. Returns how long the goodbye may take to reach the client; the caller
    /// waits for that, closes the connection, then drops the session, which gives its
    /// place in the connection table back.
    pub(crate) fn finish(&mut self, end: &End) -> Duration {
        let stopping = *end == End::ServerStopping;
        if !stopping {
            self.publish_batch();
        }
        if let Some(name) = self.name.take() {
            let departure = departure(end);
            let why = if stopping {
                "server shutting down".to_owned()
            } else {
                departure
                    .reason
                    .describe_with(None, departure.by.as_deref())
            };
            self.shared.rooms.depart(self.id, departure);
            tracing::info!(peer = %self.peer, "{name} left ({why})");
        } else {
            tracing::debug!(peer = %self.peer, "connection closed before joining: {end:?}");
        }
        match end {
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
            End::Removed(removal) => {
                self.error(removal.code(), &removal.goodbye);
                GOODBYE_GRACE
            }
            End::HandshakeTimeout | End::UnsupportedVersion | End::Kicked => GOODBYE_GRACE,
            End::ConnectionLost | End::PingTimeout | End::SendQueueExceeded => Duration::ZERO,
        }
    }

    fn say_shutdown(&mut self) {
        if self.mode.is_some() {
            let spread = self.shared.shutdown.reconnect_spread();
            self.reply(&ServerFrame::Shutdown {
                message: "The server is shutting down.".to_owned(),
                retry_within_ms: spread.map(|spread| spread.as_millis() as u64),
            });
        } else {
            self.send(Refusal::ShuttingDown.line().as_bytes());
        }
    }
}

/// What a member's rooms are told when its session ends for `end`.
fn departure(end: &End) -> Departure {
    let (reason, message, by) = match end {
        End::Quit(message) => (LeaveReason::Quit, message.clone(), None),
        End::PingTimeout => (LeaveReason::PingTimeout, None, None),
        End::SendQueueExceeded => (LeaveReason::SendQueueExceeded, None, None),
        End::Kicked => (LeaveReason::Kicked, None, None),
        End::Removed(removal) => (
            removal.reason,
            removal.message.clone(),
            Some(removal.by.clone()),
        ),
        _ => (LeaveReason::ConnectionLost, None, None),
    };
    Departure {
        reason,
        message,
        by,
    }
}
