//! Carrying out a client's requests: messages, private messages and the simple commands.

use std::time::Instant;

use chat_shared::frame::{ErrorCode, ServerFrame};
use chat_shared::text::{
    MAX_MESSAGE_LINES, MAX_REASON_CHARS, line_count, sanitize_line, sanitize_text, shorten,
};

use super::ending::End;
use super::machine::{Next, Session};
use crate::plain;
use crate::request::Request;
use crate::room::{RoomError, Said};

/// The longest client nonce, in bytes.
pub(super) const MAX_NONCE_BYTES: usize = 64;

impl Session<'_> {
    /// Carries out one request, received at `now`. Messages are batched; everything else
    /// publishes the batch first, so that the client's requests take effect in the order
    /// it sent them.
    pub(super) fn execute(&mut self, request: Request, now: Instant) -> Next {
        match request {
            Request::Say { text, room, nonce } => return self.say(&text, room, nonce, false),
            Request::Me { text, room, nonce } => return self.say(&text, room, nonce, true),
            Request::Nothing | Request::Pong => return Next::Read,
            _ => self.publish_batch(),
        }
        match request {
            Request::Ping(token) => self.reply(&ServerFrame::Pong { token }),
            Request::Help => self.reply(&plain::help()),
            Request::Quit(reason) => {
                let reason = reason
                    .map(|r| shorten(&sanitize_line(&r), MAX_REASON_CHARS))
                    .filter(|r| !r.is_empty());
                return Next::Close(End::Quit(reason));
            }
            Request::Login {
                name,
                after,
                password,
            } if self.name.is_none() => {
                return self.login(&name, after, password, now);
            }
            Request::Login { .. } => self.error(
                ErrorCode::BadFrame,
                "You have already joined; use nick to change your name.",
            ),
            _ if self.name.is_none() => {
                self.error(ErrorCode::NotLoggedIn, "Choose a name first.");
            }
            Request::Msg { to, text, nonce } => self.private(&to, &text, nonce),
            Request::Nick(name) => self.rename(&name, now),
            Request::Register(password) => self.register(&password),
            Request::ChangePassword { old, new } => self.change_password(&old, &new, now),
            Request::Unregister(password) => self.unregister(&password, now),
            Request::Who(room) => self.who(room.as_deref()),
            Request::Join { rooms, after } => self.join_rooms(&rooms, after),
            Request::Part { room, reason } => self.part(room.as_deref(), reason),
            Request::Rooms => self.reply(&ServerFrame::RoomList {
                rooms: self.shared.rooms.room_list(),
            }),
            Request::Topic { room, text } => self.topic(room.as_deref(), text),
            Request::Moderate(command) => self.moderate(command),
            Request::History {
                room,
                after,
                before,
                limit,
            } => self.history(room.as_deref(), after, before, limit),
            Request::Search { words, room, here } => {
                let room =
                    room.or_else(|| here.then(|| self.shared.rooms.current_room(self.id))?);
                self.search(&words, room.as_deref());
            }
            Request::Say { .. } | Request::Me { .. } | Request::Nothing | Request::Pong => {}
        }
        Next::Read
    }

    fn say(
        &mut self,
        text: &str,
        room: Option<String>,
        nonce: Option<String>,
        action: bool,
    ) -> Next {
        if self.name.is_none() {
            self.error(ErrorCode::NotLoggedIn, "Choose a name first.");
            return Next::Read;
        }
        if !self.nonce_is_valid(nonce.as_deref()) {
            return Next::Read;
        }
        if let Some(text) = self.sendable(text) {
            if self.posted_before(nonce.as_deref()) {
                return Next::Read;
            }
            self.batch_message(
                Said {
                    action,
                    text,
                    nonce,
                },
                room,
            );
        }
        Next::Read
    }

    /// Whether a client's nonce is short and printable; an error answers one that is
    /// not (and its message is not sent).
    fn nonce_is_valid(&mut self, nonce: Option<&str>) -> bool {
        let valid = nonce.is_none_or(|nonce| {
            !nonce.is_empty()
                && nonce.len() <= MAX_NONCE_BYTES
                && nonce.bytes().all(|b| b.is_ascii_graphic())
        });
        if !valid {
            self.error(
                ErrorCode::BadFrame,
                &format!("A nonce is 1 to {MAX_NONCE_BYTES} printable ASCII characters."),
            );
        }
        valid
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

    fn private(&mut self, to: &str, text: &str, nonce: Option<String>) {
        if !self.nonce_is_valid(nonce.as_deref()) {
            return;
        }
        let Some(text) = self.sendable(text) else {
            return;
        };
        if self.posted_before(nonce.as_deref()) {
            return;
        }
        self.prepare_conversation(to);
        match self.shared.rooms.private(self.id, to, text, nonce) {
            Ok(()) => {}
            Err(refusal @ RoomError::Muted(_)) => self.refuse_room(&refusal),
            Err(_) => self.error(
                ErrorCode::NoSuchUser,
                &format!("No one called \"{}\" is online", sanitize_line(to)),
            ),
        }
    }

    fn who(&mut self, room: Option<&str>) {
        match self.shared.rooms.roster(self.id, room) {
            Ok((room, names)) => self.reply(&ServerFrame::Roster {
                names,
                room: Some(room),
            }),
            Err(refusal) => self.refuse_room(&refusal),
        }
    }
}
