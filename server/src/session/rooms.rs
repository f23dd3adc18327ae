//! Joining and leaving rooms, their topics, and the words for what the rooms refuse.

use chat_shared::frame::{ErrorCode, EventId, ServerFrame};
use chat_shared::room_name::validate_room_name;
use chat_shared::text::{MAX_REASON_CHARS, sanitize_line, shorten};

use super::machine::Session;
use crate::mode::Mode;
use crate::room::{Entering, RoomError};

impl Session<'_> {
    /// Joins each room in turn; each gets `entered` and its history (after `after` if
    /// the room's epoch is the same), or an error. In plain mode the last room joined
    /// becomes the current one.
    pub(super) fn join_rooms(&mut self, rooms: &[String], after: Option<EventId>) {
        let switch = self.mode == Some(Mode::Plain);
        for requested in rooms {
            let room = match validate_room_name(requested) {
                Ok(room) => room,
                Err(reason) => {
                    self.error(
                        ErrorCode::RoomInvalid,
                        &format!("{}: {reason}", sanitize_line(requested)),
                    );
                    continue;
                }
            };
            let joined = self.with_cursor(&room, |rooms, cursor| {
                let entering = Entering {
                    name: &room,
                    cursor,
                    after,
                };
                rooms.join(self.id, entering, switch)
            });
            match joined {
                Ok(Some(query)) => self.send_stored_history(&query),
                Ok(None) => {}
                Err(refusal) => self.refuse_room(&refusal),
            }
        }
    }

    /// Leaves a room (the current one when `room` is `None`). A person in plain mode is
    /// told where its lines go now.
    pub(super) fn part(&mut self, room: Option<&str>, reason: Option<String>) {
        let reason = reason
            .map(|r| shorten(&sanitize_line(&r), MAX_REASON_CHARS))
            .filter(|r| !r.is_empty());
        if let Err(refusal) = self.shared.rooms.part(self.id, room, reason) {
            return self.refuse_room(&refusal);
        }
        if self.mode == Some(Mode::Plain) {
            let text = match self.shared.rooms.current_room(self.id) {
                Some(current) => format!("Now talking in {current}."),
                None => "You are in no room now; /join #room to talk.".to_owned(),
            };
            self.reply(&ServerFrame::Notice { text });
        }
    }

    /// Shows a room's topic (`text` is `None`), or sets it (an empty text clears it).
    pub(super) fn topic(&mut self, room: Option<&str>, text: Option<String>) {
        let Some(text) = text else {
            return match self.shared.rooms.topic(self.id, room) {
                Ok(info) => self.reply(&ServerFrame::Notice {
                    text: match info.topic {
                        Some((topic, by)) => {
                            format!("Topic of {}: {topic} (set by {by})", info.room)
                        }
                        None => format!("{} has no topic.", info.room),
                    },
                }),
                Err(refusal) => self.refuse_room(&refusal),
            };
        };
        let text = sanitize_line(&text);
        let max = self.shared.config.max_topic_chars as usize;
        if text.chars().count() > max {
            return self.error(
                ErrorCode::TopicTooLong,
                &format!("A topic may have at most {max} characters."),
            );
        }
        if let Err(refusal) = self.shared.rooms.set_topic(self.id, room, text) {
            self.refuse_room(&refusal);
        }
    }

    /// Tells the client why the rooms refused what it asked.
    pub(super) fn refuse_room(&mut self, refusal: &RoomError) {
        let (code, message) = match refusal {
            RoomError::NotInRoom(room) => (
                ErrorCode::NotInRoom,
                format!("You are not in {}; /join it first.", sanitize_line(room)),
            ),
            RoomError::NoCurrentRoom => (
                ErrorCode::NotInRoom,
                "You are in no room; /join #room first.".to_owned(),
            ),
            RoomError::NoSuchRoom(room) => (
                ErrorCode::NoSuchRoom,
                format!("There is no room {}.", sanitize_line(room)),
            ),
            RoomError::RoomLooksLike(existing) => (
                ErrorCode::RoomInvalid,
                format!("That name looks like {existing}; join it, or choose another name."),
            ),
            RoomError::TooManyRoomsForMember(max) => (
                ErrorCode::TooManyRooms,
                format!("You are in {max} rooms, the most allowed; /part one first."),
            ),
            RoomError::TooManyRooms(max) => (
                ErrorCode::TooManyRooms,
                format!("The server has {max} rooms, the most it allows."),
            ),
            RoomError::Muted(mute) => (
                ErrorCode::Muted,
                format!(
                    "You are muted {} more (by {}).",
                    crate::moderation::time_left(Some(mute.until_ms), crate::room::now_ms()),
                    mute.by
                ),
            ),
            RoomError::NameTaken
            | RoomError::NoSuchUser
            | RoomError::Closed
            | RoomError::NeedsCursor => return,
        };
        self.error(code, &message);
    }
}
