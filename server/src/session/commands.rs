//! Carrying out a client's requests against the room.

use std::ops::ControlFlow;
use std::sync::Arc;
use std::time::Instant;

use chat_shared::frame::{ErrorCode, ServerFrame};
use chat_shared::name::{NameError, validate_name};
use chat_shared::text::{
    MAX_MESSAGE_LINES, MAX_REASON_CHARS, line_count, sanitize_line, sanitize_text, shorten,
};

use super::{End, Session};
use crate::deliver::Deliver;
use crate::mode::Mode;
use crate::plain;
use crate::request::Request;
use crate::room::{RoomError, Said};

impl Session<'_> {
    /// Carries out one request; messages are batched, everything else flushes the batch
    /// first so that the client's requests take effect in the order it sent them.
    pub(super) fn execute(&mut self, request: Request) -> ControlFlow<End> {
        match request {
            Request::Say(text) => return self.say(text, false),
            Request::Me(text) => return self.say(text, true),
            Request::Nothing | Request::Pong => return ControlFlow::Continue(()),
            _ => self.publish_batch(),
        }
        match request {
            Request::Ping(token) => self.reply(&ServerFrame::Pong { token }),
            Request::Help => self.reply(&plain::help()),
            Request::Quit(reason) => {
                let reason = reason
                    .map(|r| shorten(&sanitize_line(&r), MAX_REASON_CHARS))
                    .filter(|r| !r.is_empty());
                return ControlFlow::Break(End::Quit(reason));
            }
            Request::Login(name) if self.name.is_none() => return self.login(&name),
            Request::Login(_) => self.error(
                ErrorCode::BadFrame,
                "You have already joined; use nick to change your name.",
            ),
            _ if self.name.is_none() => {
                self.error(ErrorCode::NotLoggedIn, "Choose a name first.");
            }
            Request::Msg { to, text } => self.private(&to, &text),
            Request::Nick(name) => self.rename(&name),
            Request::Who => self.reply(&ServerFrame::Roster {
                names: self.shared.room.roster(self.id),
            }),
            Request::Say(_) | Request::Me(_) | Request::Nothing | Request::Pong => {}
        }
        ControlFlow::Continue(())
    }

    fn say(&mut self, text: String, action: bool) -> ControlFlow<End> {
        if self.name.is_none() {
            self.error(ErrorCode::NotLoggedIn, "Choose a name first.");
            return ControlFlow::Continue(());
        }
        let Some(text) = self.sendable(&text) else {
            return ControlFlow::Continue(());
        };
        let said = Said { action, text };
        let limit = self.shared.config.send_queue_bytes / 4;
        if self.batch_wire_bytes + said.wire_size_bound() > limit {
            self.publish_batch();
        }
        self.batch_wire_bytes += said.wire_size_bound();
        self.batch.push(said);
        ControlFlow::Continue(())
    }

    /// The sanitized text of a message, or `None` (and an error to the client) when it is
    /// empty or has too many lines.
    fn sendable(&mut self, text: &str) -> Option<String> {
        let text = sanitize_text(text);
        let lines = line_count(&text);
        if text.is_empty() {
            self.error(
                ErrorCode::EmptyMessage,
                "Nothing to send after removing control characters.",
            );
            None
        } else if lines > MAX_MESSAGE_LINES {
            self.error(
                ErrorCode::TooManyLines,
                &format!(
                    "A message may have at most {MAX_MESSAGE_LINES} lines; this one has \
                     {lines}. Send it in parts."
                ),
            );
            None
        } else {
            Some(text)
        }
    }

    fn login(&mut self, requested: &str) -> ControlFlow<End> {
        let name = match validate_name(requested) {
            Ok(name) => name,
            Err(reason) => {
                self.reject_name(requested, &reason);
                return ControlFlow::Continue(());
            }
        };
        let mode = self.mode.unwrap_or(Mode::Plain);
        if !self.permit.set_joined(true) {
            return ControlFlow::Break(End::Evicted);
        }
        let delay = self.shared.config.announce_delay;
        let announce_now = delay.is_zero();
        match self.shared.room.join(
            self.id,
            &name,
            mode,
            Arc::clone(&self.outbox) as Arc<dyn Deliver>,
            announce_now,
        ) {
            Ok(()) => {
                tracing::info!(peer = %self.peer, mode = mode.label(), "{name} joined");
                self.name = Some(name);
                self.announce_at = (!announce_now).then(|| Instant::now() + delay);
            }
            Err(RoomError::Closed) => return ControlFlow::Break(End::ServerStopping),
            Err(RoomError::NameTaken | RoomError::NoSuchUser) => {
                self.permit.set_joined(false);
                self.reply(&ServerFrame::NameRejected {
                    message: format!("the name \"{name}\" is taken"),
                    name,
                    code: ErrorCode::NameTaken,
                });
                self.prompt_for_name();
            }
        }
        ControlFlow::Continue(())
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
            self.outbox.send(plain::NAME_PROMPT.as_bytes());
        }
    }

    fn private(&mut self, to: &str, text: &str) {
        let Some(text) = self.sendable(text) else {
            return;
        };
        if self.shared.room.private(self.id, to, text).is_err() {
            self.error(
                ErrorCode::NoSuchUser,
                &format!("No one called \"{}\" is online", sanitize_line(to)),
            );
        }
    }

    fn rename(&mut self, requested: &str) {
        let name = match validate_name(requested) {
            Ok(name) => name,
            Err(reason) => return self.reject_name(requested, &reason),
        };
        if self.name.as_deref() == Some(name.as_str()) {
            return self.reply(&ServerFrame::Notice {
                text: format!("You are already called {name}."),
            });
        }
        match self.shared.room.rename(self.id, &name) {
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
}
