//! What moderation asks of the rooms: finding the members an operator names, muting and
//! unmuting them (each of their rooms is told), and the departure of a member an
//! operator removed.

use chat_shared::frame::{LeaveReason, ServerFrame};
use chat_shared::name::{name_claims, name_key};

use super::fanout::flush_all;
use super::mutes::Mute;
use super::state::State;
use super::{RoomError, Rooms, now_ms};
use crate::moderation::Target;

/// Why a member leaves, as its rooms are told.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Departure {
    /// The reason.
    pub reason: LeaveReason,
    /// The user's quit or part message, or the operator's reason.
    pub message: Option<String>,
    /// The operator who removed it, for a kick or a ban.
    pub by: Option<String>,
}

impl Rooms {
    /// The id and name of the member called `name` (in any case), if online.
    pub fn member_named(&self, name: &str) -> Option<(usize, String)> {
        let state = self.lock();
        let id = *state.by_key.get(&name_key(name))?;
        Some((id, state.members.get(&id)?.name.clone()))
    }

    /// The ids of the members whose names a ban on `target` covers (the name in any
    /// case, and its look-alikes).
    pub fn members_covered(&self, target: &Target) -> Vec<usize> {
        let Target::Name { claims, .. } = target else {
            return Vec::new();
        };
        let state = self.lock();
        let mut ids: Vec<usize> = claims
            .iter()
            .filter_map(|claim| state.claims.get(claim).copied())
            .collect();
        ids.sort_unstable();
        ids.dedup();
        ids
    }

    /// Mutes the member called `name` (in any case) with `mute`, for `reason`: it is
    /// told, and so is each of its rooms. Returns its name as everyone writes it. A
    /// later login under the name, or a look-alike, is muted too until the mute ends.
    pub fn mute(
        &self,
        name: &str,
        mute: Mute,
        reason: Option<String>,
    ) -> Result<String, RoomError> {
        let mut state = self.lock();
        if self.shutdown.is_begun() {
            return Err(RoomError::Closed);
        }
        let time_ms = now_ms();
        let id = *state
            .by_key
            .get(&name_key(name))
            .ok_or(RoomError::NoSuchUser)?;
        let mut receivers = self.announce_locked(&mut state, id);
        let member = state.members.get_mut(&id).ok_or(RoomError::NoSuchUser)?;
        member.mute = Some(mute.clone());
        let muted = member.name.clone();
        state.mutes.set(&muted, mute.clone(), time_ms);
        let event = |room: String| ServerFrame::Mute {
            epoch: 0,
            seq: 0,
            time_ms,
            name: muted.clone(),
            by: mute.by.clone(),
            until_ms: Some(mute.until_ms),
            reason: reason.clone(),
            room,
        };
        receivers.extend(self.tell_rooms_of(&mut state, id, event));
        let notice = ServerFrame::Notice {
            text: format!(
                "You are muted {} by {}{}: you cannot speak, set a topic or change your \
                 name until then.",
                crate::moderation::time_left(Some(mute.until_ms), time_ms),
                mute.by,
                reason
                    .as_ref()
                    .map_or_else(String::new, |r| format!(" ({r})")),
            ),
        };
        receivers.extend(self.reply_locked(&state, id, &notice));
        drop(state);
        flush_all(receivers);
        Ok(muted)
    }

    /// Lifts the mute on `name` (and its look-alikes), online or not; an online member
    /// is told, and so is each of its rooms. Returns whether a mute was in force.
    pub fn unmute(&self, name: &str, by: &str) -> bool {
        let mut state = self.lock();
        let time_ms = now_ms();
        let lifted = state.mutes.lift(name, time_ms);
        let online = name_claims(name)
            .iter()
            .find_map(|claim| state.claims.get(claim).copied());
        let Some(id) = online else {
            return lifted;
        };
        let Some(member) = state.members.get_mut(&id) else {
            return lifted;
        };
        let was_muted = member.mute.take().is_some_and(|m| m.until_ms > time_ms);
        if !was_muted || self.shutdown.is_begun() {
            return lifted || was_muted;
        }
        let unmuted = member.name.clone();
        let event = |room: String| ServerFrame::Mute {
            epoch: 0,
            seq: 0,
            time_ms,
            name: unmuted.clone(),
            by: by.to_owned(),
            until_ms: None,
            reason: None,
            room,
        };
        let mut receivers = self.tell_rooms_of(&mut state, id, event);
        let notice = ServerFrame::Notice {
            text: format!("{by} lifted your mute: you may speak again."),
        };
        receivers.extend(self.reply_locked(&state, id, &notice));
        drop(state);
        flush_all(receivers);
        true
    }

    /// Sends each room of member `id` the event `event` makes for the room's name,
    /// numbered in that room; returns the outboxes to flush.
    fn tell_rooms_of(
        &self,
        state: &mut State,
        id: usize,
        event: impl Fn(String) -> ServerFrame,
    ) -> Vec<std::sync::Arc<dyn crate::deliver::Deliver>> {
        let keys = state
            .members
            .get(&id)
            .map(|member| member.rooms.clone())
            .unwrap_or_default();
        let mut receivers = Vec::new();
        for key in &keys {
            let Some(room) = state.rooms.get_mut(key) else {
                continue;
            };
            let mut frame = event(room.name.clone());
            if let ServerFrame::Mute { seq, .. } = &mut frame {
                *seq = room.next_seq();
            }
            receivers.extend(self.to_room(state, key, vec![frame], |_| true));
        }
        receivers
    }
}
