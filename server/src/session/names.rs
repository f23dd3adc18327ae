//! Choosing a name, which logs in and joins the default room, and changing it.

use std::sync::Arc;
use std::time::Instant;

use chat_shared::frame::{ErrorCode, EventId, ServerFrame};
use chat_shared::name::{NameError, validate_name};
use chat_shared::text::sanitize_line;

use super::ending::End;
use super::machine::{Next, Session};
use crate::mode::Mode;
use crate::plain;
use crate::room::{Entering, RoomError};

impl Session<'_> {
    /// Logs in under `requested` at `now` (which joins the default room, with its history
    /// after `after`), or says why not and asks again.
    pub(super) fn login(&mut self, requested: &str, after: Option<EventId>, now: Instant) -> Next {
        let name = match validate_name(requested) {
            Ok(name) => name,
            Err(reason) => {
                self.reject_name(requested, &reason);
                return Next::Read;
            }
        };
        let mode = self.mode.unwrap_or(Mode::Plain);
        if !self.permit.set_joined(true) {
            return Next::Close(End::Evicted);
        }
        let delay = self.shared.config.announce_delay;
        let announce_now = delay.is_zero();
        let default_room = self.shared.config.default_room.clone();
        let joined = self.with_cursor(&default_room, |rooms, cursor| {
            let entering = Entering {
                name: &name,
                cursor,
                after,
            };
            rooms.login(self.id, entering, mode, Arc::clone(&self.out), announce_now)
        });
        match joined {
            Ok(query) => {
                tracing::info!(
                    peer = %self.peer,
                    mode = mode.label(),
                    tls = self.encrypted,
                    "{name} joined"
                );
                self.name = Some(name);
                self.announce_at = (!announce_now).then(|| now + delay);
                if let Some(query) = query {
                    self.send_stored_history(&query);
                }
            }
            Err(RoomError::Closed) => return Next::Close(End::ServerStopping),
            Err(_) => {
                self.permit.set_joined(false);
                self.reply(&ServerFrame::NameRejected {
                    message: format!("the name \"{name}\" is taken"),
                    name,
                    code: ErrorCode::NameTaken,
                });
                self.prompt_for_name();
            }
        }
        Next::Read
    }

    /// Changes a joined member's name to `requested`, which everyone is told.
    pub(super) fn rename(&mut self, requested: &str) {
        let name = match validate_name(requested) {
            Ok(name) => name,
            Err(reason) => return self.reject_name(requested, &reason),
        };
        if self.name.as_deref() == Some(name.as_str()) {
            return self.reply(&ServerFrame::Notice {
                text: format!("You are already called {name}."),
            });
        }
        match self.shared.rooms.rename(self.id, &name) {
            Ok(()) => {
                let old = self.name.replace(name.clone()).unwrap_or_default();
                tracing::info!(peer = %self.peer, "{old} is now known as {name}");
            }
            Err(_) => self.reply(&ServerFrame::NameRejected {
                message: format!("the name \"{name}\" is taken"),
                name,
                code: ErrorCode::NameTaken,
            }),
        }
    }

    fn reject_name(&mut self, requested: &str, reason: &NameError) {
        let code = match reason {
            NameError::Reserved(_) => ErrorCode::NameReserved,
            _ => ErrorCode::NameInvalid,
        };
        self.reply(&ServerFrame::NameRejected {
            name: sanitize_line(requested),
            code,
            message: reason.to_string(),
        });
        self.prompt_for_name();
    }

    fn prompt_for_name(&self) {
        if self.name.is_none() && self.mode == Some(Mode::Plain) {
            self.send(plain::NAME_PROMPT.as_bytes());
        }
    }
}
