//! Joining and leaving rooms: `/join`, `/part` and `/close`, the server's answers, and
//! joining again after a reconnect.
//!
//! A room's buffer opens as soon as the user joins it, and is shown, marked as joining
//! until the server's `entered`. The server answers every `join`, in order, with
//! `entered` or a refusal (`room_invalid`, `too_many_rooms`), so the client keeps the
//! rooms it asked for in that order ([`App::joins`]) and knows which room a refusal is
//! about. After a reconnect, the server puts the user back in its default room only; the
//! client joins the others again, keeping their buffers.

use chat_shared::frame::{ClientFrame, ErrorCode};
use chat_shared::name::name_key;
use chat_shared::room_name::validate_room_name;
use chat_shared::text::sanitize_text;

use super::buffer::Membership;
use super::buffers::SERVER;
use super::scrollback::EntryKind;
use super::{App, Connection};

impl App {
    /// `/join #A,#B`: opens each room's buffer and joins it (at once, or after the next
    /// reconnect), then shows the last one. A room the user is in is just shown.
    pub(super) fn join(&mut self, rooms: &[String]) {
        let mut last = None;
        for requested in rooms {
            let room = match validate_room_name(requested) {
                Ok(room) => room,
                Err(reason) => {
                    self.error(format!("Cannot join {requested}: {reason}."));
                    continue;
                }
            };
            let existed = self.buffers.find_room(&room).is_some();
            let index = self.buffers.room_or_new(&room);
            let Some(buffer) = self.buffers.get_mut(index).and_then(|b| b.as_room_mut()) else {
                continue;
            };
            if !existed || buffer.membership == Membership::Out {
                buffer.membership = Membership::Joining;
                let name = buffer.name.clone();
                self.send_join(name);
            }
            last = Some(index);
        }
        if let Some(index) = last {
            self.show(index);
        }
    }

    /// Sends `join`, when connected (otherwise the next `welcome` does), resuming from
    /// the last event seen in the room.
    fn send_join(&mut self, room: String) {
        if self.connection == Connection::LoggedIn {
            self.joins.push_back(name_key(&room));
            let after = self.resume_point(&room);
            self.send_command(ClientFrame::Join { after, room });
        }
    }

    /// `/part [#ROOM] [REASON]`: leaves the room named, or the shown one, keeping its
    /// buffer.
    pub(super) fn part(&mut self, room: Option<String>, reason: Option<String>) {
        let room = room.or_else(|| Some(self.buffers.current().as_room()?.name.clone()));
        let Some(room) = room else {
            return self.error("Name the room to leave (/part #ROOM), or go to its buffer.");
        };
        let index = self.buffers.find_room(&room);
        let joined = index
            .and_then(|index| self.buffers.get_mut(index)?.as_room_mut())
            .filter(|room| room.membership != Membership::Out);
        let (Some(index), Some(joined)) = (index, joined) else {
            return self.error(format!("You are not in {room}."));
        };
        joined.membership = Membership::Out;
        let room = joined.name.clone();
        self.take_back_unsent(index);
        if self.connection == Connection::LoggedIn {
            self.send_command(ClientFrame::Part { room, reason });
        } else {
            self.info_in(index, left_message(&room));
        }
    }

    /// `/close`: closes the shown buffer, leaving its room first.
    pub(super) fn close(&mut self) {
        let index = self.buffers.current_index();
        if index == SERVER {
            return self.error("The server's buffer stays open.");
        }
        let buffer = self.buffers.current();
        if let Some(room) = buffer.as_room() {
            let room = (room.membership != Membership::Out).then(|| room.name.clone());
            self.take_back_unsent(index);
            if let Some(room) = room.filter(|_| self.connection == Connection::LoggedIn) {
                self.parting.push(name_key(&room));
                self.send_command(ClientFrame::Part { room, reason: None });
            }
        }
        self.buffers.close(index);
        self.clamp_view();
    }

    /// Messages typed in the buffer at `index` and not sent yet cannot be sent once its
    /// room is left: they are dropped, and the user told how many.
    fn take_back_unsent(&mut self, index: usize) {
        let Some(buffer) = self.buffers.get(index) else {
            return;
        };
        let dropped = self.outbox.take_back(&buffer.kind);
        if dropped > 0 {
            let what = if dropped == 1 { "message" } else { "messages" };
            self.error(format!("{dropped} {what} to {} not sent.", buffer.name()));
        }
    }

    /// Back in the chat after a reconnect: joins again every room the user was in or
    /// joining, except the default room, where the server put the user already.
    pub(super) fn rejoin(&mut self) {
        let default = name_key(&self.default_room);
        let mut rooms = Vec::new();
        for index in 0..self.buffers.len() {
            let Some(room) = self.buffers.get_mut(index).and_then(|b| b.as_room_mut()) else {
                continue;
            };
            if room.membership != Membership::Out && name_key(&room.name) != default {
                room.membership = Membership::Joining;
                rooms.push(room.name.clone());
            }
        }
        for room in rooms {
            self.send_join(room);
        }
    }

    /// The server's `entered`: the user is in `room`, with these members and topic.
    pub(super) fn on_entered(&mut self, room: &str, topic: Option<String>, roster: Vec<String>) {
        let room = sanitize_text(room);
        let asked = self.joins.pop_front();
        let index = self.buffers.find_room(&room).or_else(|| {
            let asked = asked.as_deref()?;
            self.buffers.find_room_key(asked)
        });
        let index = match index {
            Some(index) => index,
            None if self.parting.contains(&name_key(&room)) => return,
            None => self.buffers.room_or_new(&room),
        };
        let Some(buffer) = self.buffers.get_mut(index).and_then(|b| b.as_room_mut()) else {
            return;
        };
        buffer.name.clone_from(&room);
        buffer.topic = topic
            .map(|topic| sanitize_text(&topic))
            .filter(|t| !t.is_empty());
        buffer
            .members
            .set(roster.iter().map(|name| sanitize_text(name)));
        buffer.membership = Membership::In;
        let here = buffer.members.len();
        let topic = buffer.topic.clone();
        self.info_in(index, format!("You are in {room}; {here} here."));
        if let Some(topic) = topic {
            self.info_in(index, format!("Topic: {topic}"));
        }
        self.clamp_view();
    }

    /// The server's `parted`: the user left `room`.
    pub(super) fn on_parted(&mut self, room: &str) {
        let room = sanitize_text(room);
        let key = name_key(&room);
        self.parting.retain(|parting| *parting != key);
        if let Some(index) = self.buffers.find_room(&room) {
            if let Some(buffer) = self.buffers.get_mut(index).and_then(|b| b.as_room_mut()) {
                buffer.membership = Membership::Out;
            }
            self.info_in(index, left_message(&room));
        }
    }

    /// A refusal of the oldest `join` waiting for its answer, if `code` is one: the room
    /// is not joined, and its buffer says why. False if `code` is not about a join.
    pub(super) fn join_refused(&mut self, code: ErrorCode, message: &str) -> bool {
        if !matches!(code, ErrorCode::RoomInvalid | ErrorCode::TooManyRooms) {
            return false;
        }
        let Some(asked) = self.joins.pop_front() else {
            return false;
        };
        let Some(index) = self.buffers.find_room_key(&asked) else {
            return false;
        };
        if let Some(room) = self.buffers.get_mut(index).and_then(|b| b.as_room_mut()) {
            room.membership = Membership::Out;
        }
        self.push_entry(index, None, EntryKind::Error(message.to_owned()));
        true
    }
}

/// What the user reads after leaving a room.
fn left_message(room: &str) -> String {
    format!("You left {room}. /join {room} to come back, /close to close this buffer.")
}
