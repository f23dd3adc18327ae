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
use crate::room::Said;

impl Session<'_> {
    /// Carries out one request, received at `now`. Messages are batched; everything else
    /// publishes the batch first, so that the client's requests take effect in the order
    /// it sent them.
    pub(super) fn execute(&mut self, request: Request, now: Instant) -> Next {
        match request {
            Request::Say { text, room } => return self.say(&text, room, false),
            Request::Me { text, room } => return self.say(&text, room, true),
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
            Request::Login(name) if self.name.is_none() => return self.login(&name, now),
            Request::Login(_) => self.error(
                ErrorCode::BadFrame,
                "You have already joined; use nick to change your name.",
            ),
            _ if self.name.is_none() => {
                self.error(ErrorCode::NotLoggedIn, "Choose a name first.");
            }
            Request::Msg { to, text } => self.private(&to, &text),
            Request::Nick(name) => self.rename(&name),
            Request::Who(room) => self.who(room.as_deref()),
            Request::Join(rooms) => self.join_rooms(&rooms),
            Request::Part { room, reason } => self.part(room.as_deref(), reason),
            Request::Rooms => self.reply(&ServerFrame::RoomList {
                rooms: self.shared.rooms.room_list(),
            }),
            Request::Topic { room, text } => self.topic(room.as_deref(), text),
            Request::Say { .. } | Request::Me { .. } | Request::Nothing | Request::Pong => {}
        }
        Next::Read
    }

    fn say(&mut self, text: &str, room: Option<String>, action: bool) -> Next {
        if self.name.is_none() {
            self.error(ErrorCode::NotLoggedIn, "Choose a name first.");
            return Next::Read;
        }
        if let Some(text) = self.sendable(text) {
            self.batch_message(Said { action, text }, room);
        }
        Next::Read
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

    fn private(&mut self, to: &str, text: &str) {
        let Some(text) = self.sendable(text) else {
            return;
        };
        if self.shared.rooms.private(self.id, to, text).is_err() {
            self.error(
                ErrorCode::NoSuchUser,
                &format!("No one called \"{}\" is online", sanitize_line(to)),
            );
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
