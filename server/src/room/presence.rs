//! Telling a room who joins and leaves: a quiet newcomer's late announcement, and a big
//! room's joins and leaves collected into periodic summaries.

use std::sync::Arc;

use chat_shared::frame::ServerFrame;

use super::fanout::defer_all;
use super::state::{RoomData, RoomKey, State};
use super::{Departure, Rooms, now_ms};
use crate::deliver::Deliver;

/// How often a big room's joins and leaves are summed up.
pub const PRESENCE_INTERVAL: std::time::Duration = std::time::Duration::from_secs(1);

impl Rooms {
    /// Tells the others that a quiet member joined; does nothing for a member already
    /// announced (or gone).
    pub fn announce(&self, id: usize) {
        let mut state = self.lock();
        if self.shutdown.is_begun() {
            return;
        }
        let receivers = self.announce_locked(&mut state, id);
        drop(state);
        defer_all(receivers);
    }

    /// Marks a quiet member announced and queues its `joined` for the others in each of
    /// its rooms; returns the outboxes to flush once the lock is released (none if there
    /// was nothing to do).
    pub(super) fn announce_locked(&self, state: &mut State, id: usize) -> Vec<Arc<dyn Deliver>> {
        let Some(member) = state.members.get_mut(&id).filter(|m| !m.announced) else {
            return Vec::new();
        };
        member.announced = true;
        let (name, keys) = (member.name.clone(), member.rooms.clone());
        let mut receivers = Vec::new();
        for key in &keys {
            receivers.extend(self.tell_joined(state, key, id, &name));
        }
        receivers
    }

    /// Tells room `key` that member `id`, `name`, joined: at once, or in the room's next
    /// summary when it is big.
    pub(super) fn tell_joined(
        &self,
        state: &mut State,
        key: &RoomKey,
        id: usize,
        name: &str,
    ) -> Vec<Arc<dyn Deliver>> {
        let Some(room) = state.rooms.get_mut(key) else {
            return Vec::new();
        };
        if self.sums_up(room) {
            room.pending.join(name);
            state.pending_rooms.insert(key.clone());
            return Vec::new();
        }
        let joined = ServerFrame::Joined {
            epoch: 0,
            seq: room.next_seq(),
            time_ms: now_ms(),
            name: name.to_owned(),
            room: Some(room.name.clone()),
        };
        self.to_room(state, key, vec![joined], |other| other != id)
    }

    /// Tells room `key` that `name` left, and why: at once, or in the room's next
    /// summary when it is big.
    pub(super) fn tell_left(
        &self,
        state: &mut State,
        key: &RoomKey,
        name: &str,
        departure: &Departure,
    ) -> Vec<Arc<dyn Deliver>> {
        let Some(room) = state.rooms.get_mut(key) else {
            return Vec::new();
        };
        let mut receivers = Vec::new();
        if self.sums_up(room) {
            if departure.by.is_none() {
                room.pending.leave(name);
                state.pending_rooms.insert(key.clone());
                return Vec::new();
            }
            // A kick or a ban is told at once, with who did it and why; the summary
            // due goes first, so that nothing overtakes it.
            receivers = self.summarize(state, key);
        }
        let Some(room) = state.rooms.get_mut(key) else {
            return receivers;
        };
        let left = ServerFrame::Left {
            epoch: 0,
            seq: room.next_seq(),
            time_ms: now_ms(),
            name: name.to_owned(),
            reason: departure.reason,
            message: departure.message.clone(),
            by: departure.by.clone(),
            room: Some(room.name.clone()),
        };
        receivers.extend(self.to_room(state, key, vec![left], |_| true));
        receivers
    }

    /// Whether `room` tells joins and leaves in summaries: it is big, or a summary is
    /// still due (so that nothing told at once overtakes it).
    fn sums_up(&self, room: &RoomData) -> bool {
        room.members.len() > self.limits.summary_above || !room.pending.is_empty()
    }

    /// Sends every big room with joins or leaves since its last summary a `presence`
    /// summary of them. Called every [`PRESENCE_INTERVAL`].
    pub fn send_summaries(&self) {
        let mut state = self.lock();
        let keys: Vec<RoomKey> = state.pending_rooms.drain().collect();
        let mut receivers = Vec::new();
        for key in keys {
            receivers.extend(self.summarize(&mut state, &key));
        }
        drop(state);
        defer_all(receivers);
    }

    /// Sends room `key` the summary of its joins and leaves not told yet, if it has
    /// any; returns the outboxes to flush once the lock is released.
    fn summarize(&self, state: &mut State, key: &RoomKey) -> Vec<Arc<dyn Deliver>> {
        state.pending_rooms.remove(key);
        let Some(room) = state.rooms.get_mut(key) else {
            return Vec::new();
        };
        let pending = std::mem::take(&mut room.pending);
        if pending.is_empty() {
            return Vec::new();
        }
        let summary = ServerFrame::Presence {
            epoch: 0,
            seq: room.next_seq(),
            time_ms: now_ms(),
            joined: pending.joined,
            left: pending.left,
            room: room.name.clone(),
        };
        self.to_room(state, key, vec![summary], |_| true)
    }
}
