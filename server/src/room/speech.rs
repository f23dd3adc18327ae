//! What members say: messages and actions in a room, private messages, renames and
//! topics.

use chat_shared::frame::ServerFrame;
use chat_shared::name::name_key;
use chat_shared::text::line_count;

use super::fanout::{defer_all, fan_out, flush_all};
use super::record;
use super::{RoomError, Rooms, conversation_key, now_ms};
use crate::mode::Mode;

/// One text a member says, in a batch published under one lock.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Said {
    /// `/me` action rather than a message.
    pub action: bool,
    /// The sanitized text.
    pub text: String,
    /// The client's id for it: a repeat is answered with the original.
    pub nonce: Option<String>,
}

impl Said {
    /// An upper bound of this text's size as one room event on the wire, in either mode:
    /// JSON escapes at most double the text and its frame adds under 384 bytes (a name is
    /// at most 96 bytes, a room name 129, numbers 60), plus the nonce and its key; plain
    /// mode adds a time, room and name prefix under 256 bytes per line.
    pub fn wire_size_bound(&self) -> usize {
        let nonce = self.nonce.as_ref().map_or(0, |nonce| 16 + nonce.len());
        2 * self.text.len() + 256 * line_count(&self.text) + 384 + nonce
    }
}

/// What a room's topic is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TopicInfo {
    /// The room, as everyone writes it.
    pub room: String,
    /// The topic and who set it, if it has one.
    pub topic: Option<(String, String)>,
}

impl Rooms {
    /// Publishes what a member said, in order, as consecutive events of a room (its
    /// current one when `room` is `None`).
    ///
    /// Structured-mode senders receive their own events (their confirmation, in the room's
    /// order); plain-mode senders do not, as they already see what they typed.
    pub fn publish(
        &self,
        id: usize,
        room: Option<&str>,
        batch: Vec<Said>,
    ) -> Result<(), RoomError> {
        let mut state = self.lock();
        if self.shutdown.is_begun() {
            return Err(RoomError::Closed);
        }
        let key = state.room_of(id, room)?;
        let time_ms = now_ms();
        state.refuse_if_muted(id, time_ms)?;
        let announced = self.announce_locked(&mut state, id);
        let from = state.members[&id].name.clone();
        let sender_key = name_key(&from);
        let sender_is_plain = state.members[&id].mode == Mode::Plain;
        let mut receivers = Vec::new();
        let mut fresh = Vec::new();
        for said in batch {
            let repeated = said
                .nonce
                .as_deref()
                .and_then(|nonce| state.nonces.get(&sender_key, nonce))
                .cloned();
            if let Some(original) = repeated {
                let frames = std::mem::take(&mut fresh);
                receivers.extend(self.to_room(&mut state, &key, frames, |member_id| {
                    member_id != id || !sender_is_plain
                }));
                receivers.extend(self.reply_locked(&state, id, &original));
                continue;
            }
            let room = state.rooms.get_mut(&key).expect("the member's room exists");
            let (seq, room_name) = (room.next_seq(), Some(room.name.clone()));
            let Said {
                action,
                text,
                nonce,
            } = said;
            let frame = if action {
                ServerFrame::Action {
                    epoch: room.epoch,
                    seq,
                    time_ms,
                    from: from.clone(),
                    text,
                    nonce: nonce.clone(),
                    room: room_name,
                }
            } else {
                ServerFrame::Message {
                    epoch: room.epoch,
                    seq,
                    time_ms,
                    from: from.clone(),
                    text,
                    nonce: nonce.clone(),
                    room: room_name,
                }
            };
            if let Some(nonce) = nonce {
                state.nonces.remember(&sender_key, &nonce, frame.clone());
            }
            fresh.push(frame);
        }
        receivers.extend(self.to_room(&mut state, &key, fresh, |member_id| {
            member_id != id || !sender_is_plain
        }));
        drop(state);
        defer_all(announced);
        flush_all(receivers);
        Ok(())
    }

    /// Sends a private message to the member called `to`, and a copy to its sender.
    pub fn private(
        &self,
        id: usize,
        to: &str,
        text: String,
        nonce: Option<String>,
    ) -> Result<(), RoomError> {
        let mut state = self.lock();
        if let Some(original) = state
            .members
            .get(&id)
            .zip(nonce.as_deref())
            .and_then(|(sender, nonce)| state.nonces.get(&name_key(&sender.name), nonce))
            .cloned()
        {
            let sender = self.reply_locked(&state, id, &original);
            drop(state);
            flush_all(sender);
            return Ok(());
        }
        state.refuse_if_muted(id, now_ms())?;
        let target_id = *state
            .by_key
            .get(&name_key(to))
            .filter(|&&target| target == id || state.is_announced(target))
            .ok_or(RoomError::NoSuchUser)?;
        let announced = self.announce_locked(&mut state, id);
        let (Some(sender), Some(target)) = (state.members.get(&id), state.members.get(&target_id))
        else {
            return Err(RoomError::NoSuchUser);
        };
        let frame = ServerFrame::Private {
            nonce: nonce.clone(),
            time_ms: now_ms(),
            from: sender.name.clone(),
            to: target.name.clone(),
            text,
        };
        let sender_key = name_key(&sender.name);
        let conversation = conversation_key(&sender.name, &target.name);
        if let Some(nonce) = &nonce {
            state.nonces.remember(&sender_key, nonce, frame.clone());
        }
        // The sender's session asked for this cursor before taking the lock, so the
        // store answers from memory (see `History::room_cursor`).
        match self.history.room_cursor(&conversation) {
            Ok(cursor) => {
                if let Some(event) = record::stored_private(&frame, &conversation, cursor) {
                    self.history.append(event);
                }
            }
            Err(error) => tracing::error!("a private message is not kept: {error}"),
        }
        let both = state
            .members
            .iter()
            .filter(|&(&member_id, _)| member_id == id || member_id == target_id)
            .map(|(_, member)| member);
        let receivers = fan_out(both, None, &[frame], &self.tz);
        drop(state);
        defer_all(announced);
        flush_all(receivers);
        Ok(())
    }

    /// Renames a member (a change of case, or to a look-alike of its own name, is
    /// allowed) and tells each of its rooms; renaming to the very same name changes
    /// nothing and tells nobody.
    pub fn rename(&self, id: usize, new: &str) -> Result<(), RoomError> {
        let mut state = self.lock();
        if self.shutdown.is_begun() {
            return Err(RoomError::Closed);
        }
        let Some(old) = state.members.get(&id).map(|member| member.name.clone()) else {
            return Err(RoomError::NoSuchUser);
        };
        if old == new {
            return Ok(());
        }
        state.refuse_if_muted(id, now_ms())?;
        state.take_name(id, Some(&old), new)?;
        let mut receivers = self.announce_locked(&mut state, id);
        state.rename_in_rooms(id, &old, new);
        let member = state.members.get_mut(&id).expect("the member exists");
        new.clone_into(&mut member.name);
        let keys = member.rooms.clone();
        for key in &keys {
            let room = state.rooms.get_mut(key).expect("the member's room exists");
            room.pending.rename(&old, new);
            let renamed = ServerFrame::Renamed {
                epoch: 0,
                seq: room.next_seq(),
                time_ms: now_ms(),
                old: old.clone(),
                new: new.to_owned(),
                room: Some(room.name.clone()),
            };
            receivers.extend(self.to_room(&mut state, key, vec![renamed], |_| true));
        }
        drop(state);
        defer_all(receivers);
        Ok(())
    }

    /// Sets a room's topic (its current one when `room` is `None`); an empty text clears
    /// it. The room's members are told.
    pub fn set_topic(&self, id: usize, room: Option<&str>, text: String) -> Result<(), RoomError> {
        let mut state = self.lock();
        if self.shutdown.is_begun() {
            return Err(RoomError::Closed);
        }
        let key = state.room_of(id, room)?;
        state.refuse_if_muted(id, now_ms())?;
        let mut receivers = self.announce_locked(&mut state, id);
        let by = state.members[&id].name.clone();
        let room = state.rooms.get_mut(&key).expect("the member's room exists");
        room.topic = (!text.is_empty()).then(|| (text.clone(), by.clone()));
        let topic = ServerFrame::Topic {
            epoch: 0,
            seq: room.next_seq(),
            time_ms: now_ms(),
            by,
            text,
            room: room.name.clone(),
        };
        receivers.extend(self.to_room(&mut state, &key, vec![topic], |_| true));
        drop(state);
        defer_all(receivers);
        Ok(())
    }

    /// A room's topic (the member's current room when `room` is `None`).
    pub fn topic(&self, id: usize, room: Option<&str>) -> Result<TopicInfo, RoomError> {
        let state = self.lock();
        let key = state.room_of(id, room)?;
        let room = &state.rooms[&key];
        Ok(TopicInfo {
            room: room.name.clone(),
            topic: room.topic.clone(),
        })
    }
}
