//! Who is in which room: joining and parting rooms, and leaving the server (by quitting,
//! or removed by an operator).

use chat_shared::frame::{LeaveReason, ServerFrame};
use chat_shared::name::name_key;

use super::entering::{Entering, HistoryQuery};
use super::fanout::{defer_all, flush_all};
use super::{Departure, RoomError, Rooms, now_ms};

impl Rooms {
    /// Removes a member, and tells each of its rooms why it left, unless it was never
    /// announced or shutdown has begun.
    pub fn leave(&self, id: usize, reason: LeaveReason, message: Option<String>) {
        self.depart(
            id,
            Departure {
                reason,
                message,
                by: None,
            },
        );
    }

    /// Removes a member, and tells each of its rooms why it left, unless shutdown has
    /// begun. A member removed by an operator (`by`) is announced first if it was
    /// quiet, so that its rooms see every kick and ban; any other quiet member leaves
    /// unannounced. A muted member's quit message is dropped.
    pub fn depart(&self, id: usize, mut departure: Departure) {
        let mut state = self.lock();
        let mut receivers = Vec::new();
        if departure.by.is_some() && !self.shutdown.is_begun() {
            receivers = self.announce_locked(&mut state, id);
        }
        if departure.by.is_none() && state.refuse_if_muted(id, now_ms()).is_err() {
            // A quit message is speech too: a muted member leaves without one.
            departure.message = None;
        }
        let Some(member) = state.members.remove(&id) else {
            return;
        };
        state.release_name(&member.name);
        let tell = member.announced && !self.shutdown.is_begun();
        for key in &member.rooms {
            let Some(room) = state.rooms.get_mut(key) else {
                continue;
            };
            room.members.remove(&name_key(&member.name));
            if tell {
                receivers.extend(self.tell_left(&mut state, key, &member.name, &departure));
            }
            state.remove_room_if_empty(key);
        }
        drop(state);
        defer_all(receivers);
    }

    /// Puts a member in the room `entering` names (already validated), creating the room
    /// if need be (with the cursor the store gave), and answers `entered` and the room's
    /// history; a member already in it gets them again. With `switch`, the room becomes
    /// its current room.
    pub fn join(
        &self,
        id: usize,
        entering: Entering<'_>,
        switch: bool,
    ) -> Result<Option<HistoryQuery>, RoomError> {
        let name = entering.name;
        let mut state = self.lock();
        if self.shutdown.is_begun() {
            return Err(RoomError::Closed);
        }
        let member = state.members.get(&id).ok_or(RoomError::NoSuchUser)?;
        let (member_name, in_rooms) = (member.name.clone(), member.rooms.len());
        let existing = state.find_room(name)?;
        let already_in = existing
            .as_ref()
            .is_some_and(|key| member.rooms.contains(key));
        let mut receivers = Vec::new();
        let key = match existing {
            Some(key) if already_in => key,
            found => {
                if in_rooms >= self.limits.per_member {
                    return Err(RoomError::TooManyRoomsForMember(self.limits.per_member));
                }
                let key = match found {
                    Some(key) => key,
                    None if state.rooms.len() >= self.limits.total => {
                        return Err(RoomError::TooManyRooms(self.limits.total));
                    }
                    None => state.create_room(name, entering.cursor.ok_or(RoomError::NeedsCursor)?),
                };
                receivers = self.announce_locked(&mut state, id);
                let room = state.rooms.get_mut(&key).expect("the room exists");
                room.members.insert(name_key(&member_name), id);
                receivers.extend(self.tell_joined(&mut state, &key, id, &member_name));
                if let Some(member) = state.members.get_mut(&id) {
                    member.rooms.push(key.clone());
                }
                key
            }
        };
        if let Some(member) = state.members.get_mut(&id)
            && (switch || member.current.is_none())
        {
            member.current = Some(key.clone());
        }
        let room = state.rooms.get(&key).expect("the room exists");
        let entered = ServerFrame::Entered {
            room: room.name.clone(),
            topic: room.topic.as_ref().map(|(text, _)| text.clone()),
            roster: state.roster(&key, id),
        };
        let joiner = self.reply_locked(&state, id, &entered);
        let query = self.history_on_entering(&state, &key, id, entering.after);
        drop(state);
        defer_all(receivers);
        flush_all(joiner);
        Ok(query)
    }

    /// Takes a member out of a room (its current one when `room` is `None`), tells the
    /// room, and answers `parted`. A member leaving its current room moves to the room it
    /// joined last, if any; a muted member's part message is dropped. Returns the
    /// room's name.
    pub fn part(
        &self,
        id: usize,
        room: Option<&str>,
        reason: Option<String>,
    ) -> Result<String, RoomError> {
        let mut state = self.lock();
        if self.shutdown.is_begun() {
            return Err(RoomError::Closed);
        }
        let key = state.room_of(id, room)?;
        // A part message is speech too: a muted member leaves without one.
        let reason = reason.filter(|_| state.refuse_if_muted(id, now_ms()).is_ok());
        let mut receivers = self.announce_locked(&mut state, id);
        let member = state
            .members
            .get_mut(&id)
            .expect("room_of found the member");
        member.rooms.retain(|joined| *joined != key);
        if member.current.as_ref() == Some(&key) {
            member.current = member.rooms.last().cloned();
        }
        let member_name = member.name.clone();
        let room = state.rooms.get_mut(&key).expect("the member's room exists");
        room.members.remove(&name_key(&member_name));
        let room_name = room.name.clone();
        let why = Departure {
            reason: LeaveReason::Parted,
            message: reason,
            by: None,
        };
        receivers.extend(self.tell_left(&mut state, &key, &member_name, &why));
        let leaver = self.reply_locked(
            &state,
            id,
            &ServerFrame::Parted {
                room: room_name.clone(),
            },
        );
        state.remove_room_if_empty(&key);
        drop(state);
        defer_all(receivers);
        flush_all(leaver);
        Ok(room_name)
    }
}
