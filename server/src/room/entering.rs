//! Entering a room: the login that puts a newcomer in the default room, and the history
//! a member gets on entering a room (a resume, or the recent messages), from memory or,
//! when that does not reach back far enough, as a query the session runs on the store.

use std::sync::Arc;

use chat_shared::frame::{EventId, HistoryReason, ServerFrame};
use chat_shared::name::name_key;

use super::fanout::defer_all;
use super::record;
use super::state::{Member, RoomData, RoomKey, State};
use super::{RoomError, Rooms, now_ms};
use crate::deliver::Deliver;
use crate::mode::Mode;
use crate::store::RoomCursor;

/// Missed events replayed to a client that resumes, at most; a longer gap is not closed.
pub const RESUME_EVENTS: usize = 1000;

/// What a client that entered a room gets of its history, when the room's recent events
/// in memory do not reach back far enough: the session reads it from the store, outside
/// the lock, and sends it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HistoryQuery {
    /// The room's key in the store.
    pub room_key: String,
    /// The room as everyone writes it.
    pub room: String,
    /// The room's current epoch.
    pub epoch: u64,
    /// Events after this `seq` (a resume), or the recent messages (`None`).
    pub after: Option<u64>,
    /// The room's last event when the client entered: the query stops there (later ones
    /// reach the client live).
    pub last_seq: u64,
    /// The client asked to resume from an epoch that is gone: it gets the recent
    /// messages, told that its gap cannot be closed.
    pub stale_resume: bool,
}

/// Who enters a room, and what it needs to: its name, the room's history cursor from the
/// store (for a room that does not exist yet), and the last event it saw there.
#[derive(Debug, Clone, Copy)]
pub struct Entering<'a> {
    /// The member's name (at login) or the room's (at a join).
    pub name: &'a str,
    /// The room's cursor in the store, read before taking the lock.
    pub cursor: Option<RoomCursor>,
    /// The last event of the room the client saw.
    pub after: Option<EventId>,
}

/// Drops the oldest of `events` until what is left takes at most `budget` bytes on the
/// wire; returns whether any was dropped.
pub fn fit_history(events: &mut Vec<ServerFrame>, budget: usize) -> bool {
    let sizes: Vec<usize> = events
        .iter()
        .map(|event| chat_shared::frame::encode(event).len() * 2)
        .collect();
    let mut total: usize = sizes.iter().sum();
    let mut dropped = 0;
    while total > budget && dropped < events.len() {
        total -= sizes[dropped];
        dropped += 1;
    }
    events.drain(..dropped);
    dropped > 0
}

impl Rooms {
    /// Logs a member in under `name` and puts it in the default room: it gets `welcome`
    /// with that room's roster, then the room's history (the recent messages, or what
    /// came after `after`). Others get `joined` now if `announce`, otherwise when the
    /// member is announced (see [`crate::room`]). A default room that does not
    /// exist yet needs its `cursor` from the store ([`RoomError::NeedsCursor`]).
    pub fn login(
        &self,
        id: usize,
        entering: Entering<'_>,
        mode: Mode,
        outbox: Arc<dyn Deliver>,
        announce: bool,
    ) -> Result<Option<HistoryQuery>, RoomError> {
        let name = entering.name;
        let mut state = self.lock();
        if self.shutdown.is_begun() {
            return Err(RoomError::Closed);
        }
        let default = &self.limits.default_room;
        let existing = state.find_room(default).ok().flatten();
        if existing.is_none() && entering.cursor.is_none() {
            return Err(RoomError::NeedsCursor);
        }
        state.take_name(id, None, name)?;
        let key = match (existing, entering.cursor) {
            (Some(key), _) => key,
            (None, Some(cursor)) => state.create_room(default, cursor),
            (None, None) => unreachable!("checked above"),
        };
        let mute = state.mutes.of(name, now_ms());
        state.members.insert(
            id,
            Member {
                name: name.to_owned(),
                mode,
                outbox: Arc::clone(&outbox),
                announced: false,
                rooms: vec![key.clone()],
                current: Some(key.clone()),
                mute,
            },
        );
        let room = state.rooms.get_mut(&key).expect("the default room exists");
        room.members.insert(name_key(name), id);
        let room_name = room.name.clone();
        let receivers = if announce {
            self.announce_locked(&mut state, id)
        } else {
            Vec::new()
        };
        let welcome = ServerFrame::Welcome {
            name: name.to_owned(),
            roster: state.roster(&key, id),
            room: Some(room_name),
        };
        outbox.push_all(&[&mode.encode(&welcome, &self.tz)]);
        let query = self.history_on_entering(&state, &key, id, entering.after);
        drop(state);
        defer_all(receivers);
        outbox.flush();
        Ok(query)
    }

    /// Queues, right after a member entered room `key`, the room's history it gets:
    /// what came after `after` if the room's epoch is the same, or else the recent
    /// messages (nothing at all for a newcomer to a room with nothing said). Returns the
    /// query for the store when the recent events in memory do not reach back far enough.
    pub(super) fn history_on_entering(
        &self,
        state: &State,
        key: &RoomKey,
        id: usize,
        after: Option<EventId>,
    ) -> Option<HistoryQuery> {
        let room = &state.rooms[key];
        let resume = after.filter(|after| after.epoch == room.epoch);
        let (mut events, complete) = match resume {
            Some(after) => match room.recent.after(after.seq, room.seq) {
                Some(events) if events.len() <= RESUME_EVENTS => (events, true),
                _ => return Some(self.query(key, room, Some(after.seq), false)),
            },
            None => {
                let since = now_ms() - self.limits.replay_age.as_millis() as i64;
                let said = room.recent.said(self.limits.replay_messages, since);
                if said.len() < self.limits.replay_messages && !room.recent.reaches_start(room.seq)
                {
                    return Some(self.query(key, room, None, after.is_some()));
                }
                (said, after.is_none())
            }
        };
        let cut = fit_history(&mut events, self.limits.history_bytes);
        if events.is_empty() && complete && resume.is_none() {
            return None;
        }
        let older = events
            .first()
            .and_then(record::seq_of)
            .map_or(!room.recent.reaches_start(room.seq), |first| first > 1);
        let history = ServerFrame::History {
            room: room.name.clone(),
            epoch: room.epoch,
            reason: if after.is_some() {
                HistoryReason::Resume
            } else {
                HistoryReason::Join
            },
            events,
            complete: complete && !cut,
            more: cut || older,
        };
        self.reply_locked(state, id, &history);
        None
    }

    pub(super) fn query(
        &self,
        key: &RoomKey,
        room: &RoomData,
        after: Option<u64>,
        stale_resume: bool,
    ) -> HistoryQuery {
        HistoryQuery {
            room_key: key.clone(),
            room: room.name.clone(),
            epoch: room.epoch,
            after,
            last_seq: room.seq,
            stale_resume,
        }
    }
}
