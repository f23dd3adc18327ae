//! Answers about the rooms that change nothing: rosters, the room list, where a room's
//! history stands, which rooms a member is in, and how many are online.

use chat_shared::frame::{EventId, RoomInfo, ServerFrame};
use chat_shared::name::name_key;

use super::entering::{HistoryQuery, RESUME_EVENTS};
use super::{RoomError, Rooms};

impl Rooms {
    /// A room's members as `viewer` knows them (quiet members left out, except the viewer
    /// itself), sorted case-insensitively, with the room's name. `None` is the viewer's
    /// current room; any existing room may be asked about.
    pub fn roster(
        &self,
        viewer: usize,
        room: Option<&str>,
    ) -> Result<(String, Vec<String>), RoomError> {
        let state = self.lock();
        let key = match room {
            None => state.room_of(viewer, None)?,
            Some(name) => state
                .find_room(name)
                .ok()
                .flatten()
                .ok_or_else(|| RoomError::NoSuchRoom(name.to_owned()))?,
        };
        let name = state.rooms[&key].name.clone();
        Ok((name, state.roster(&key, viewer)))
    }

    /// Every room with its announced members and topic, sorted by name.
    pub fn room_list(&self) -> Vec<RoomInfo> {
        let state = self.lock();
        let mut rooms: Vec<RoomInfo> = state
            .rooms
            .values()
            .map(|room| RoomInfo {
                name: room.name.clone(),
                members: state.announced_in(room),
                topic: room.topic.as_ref().map(|(text, _)| text.clone()),
            })
            .filter(|room| room.members > 0)
            .collect();
        rooms.sort_by_key(|room| name_key(&room.name));
        rooms
    }

    /// Where a member's room (its current one when `room` is `None`) stands: for a
    /// `history` request, with the events after `after` when the recent ones in memory
    /// reach back to it.
    pub fn room_history(
        &self,
        id: usize,
        room: Option<&str>,
        after: Option<EventId>,
    ) -> Result<(HistoryQuery, Option<Vec<ServerFrame>>), RoomError> {
        let state = self.lock();
        let key = state.room_of(id, room)?;
        let data = &state.rooms[&key];
        let recent = after
            .filter(|after| after.epoch == data.epoch)
            .and_then(|after| data.recent.after(after.seq, data.seq))
            .filter(|events| events.len() <= RESUME_EVENTS);
        Ok((self.query(&key, data, after.map(|a| a.seq), false), recent))
    }

    /// The keys of the rooms a member is in (`room`: only that one, if it is in it),
    /// for a search.
    pub fn rooms_of(&self, id: usize, room: Option<&str>) -> Result<Vec<String>, RoomError> {
        let state = self.lock();
        match room {
            Some(_) => state.room_of(id, room).map(|key| vec![key]),
            None => Ok(state
                .members
                .get(&id)
                .map(|member| member.rooms.clone())
                .unwrap_or_default()),
        }
    }

    /// The name of a member's current room, if it is in one.
    pub fn current_room(&self, id: usize) -> Option<String> {
        let state = self.lock();
        let key = state.members.get(&id)?.current.as_ref()?;
        state.rooms.get(key).map(|room| room.name.clone())
    }

    /// How many are online, quiet members left out.
    pub fn online(&self) -> usize {
        let state = self.lock();
        state.members.values().filter(|m| m.announced).count()
    }
}
