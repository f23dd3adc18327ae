//! The rooms: who is online under which name, which rooms exist, who is in each, and each
//! room's ordered stream of events.
//!
//! This is the server's only shared lock (one for all rooms: names are unique across the
//! server, and a quit or rename touches every room of its member). It is a plain
//! `std::sync::Mutex` because every critical section is short and never blocks: it
//! updates the tables, numbers the event in its room, encodes it once per way it is shown
//! and copies it into each receiver's queue. The sockets are written after the lock is
//! released ([`Deliver::flush`]); since the copies were queued under the lock, every
//! member of a room gets its events in `seq` order. Receivers are [`Deliver`]ers: the
//! server's [`Outbox`](crate::outbox::Outbox)es, or in tests recorders that need no socket.
//!
//! Everyone is put in the default room (`--default-room`) at login. A room is created by
//! its first join and removed when its last member leaves. Each room has its own `seq`.
//! A member has a *current* room, where its lines without a room go: plain mode's
//! `/join` switches it; structured clients name the room in each frame.
//!
//! A big room (more members than `--presence-summary-above`) does not tell each join
//! and leave to every member as it happens: that is O(N²) frames as a crowd arrives,
//! which is what a restart brings. It collects them and sends one `presence` summary
//! at most every [`PRESENCE_INTERVAL`] (a join and a leave of the same name in between
//! cancel out). Rosters stay exact: a roster is taken when it is sent, and summaries
//! apply to it as set updates.
//!
//! A newcomer can be *quiet*: a member, but not yet announced. Others get its `joined`
//! (in each of its rooms) when it first does something they can see (a message, an
//! action, a private message, a rename, a join, a topic), or when its session decides the
//! announcement delay is over. A quiet member who leaves is never announced, so cycling
//! through join and leave cannot be used to shout at everyone. Others' rosters leave
//! quiet members out, so that every roster agrees with the notices its holder has seen.
//!
//! The parts: this file holds [`Rooms`], its lock and the two ways anything is queued
//! under it (a room event for the room's members, a reply for one member); `state` is
//! what the lock guards; `entering` is the login and the history a member gets on
//! entering a room; `membership` is joining, parting and leaving; `presence` tells who
//! joins and leaves (late announcements, summaries); `speech` is messages, private
//! messages, renames and topics; `lookups` answers questions that change nothing;
//! `moderation` is mutes, the members an operator names and why a member leaves
//! ([`Departure`]), with `mutes` keeping the mutes; `fanout` encodes each frame once
//! per way it is shown and copies it into the queues; `record` stamps, keeps and
//! stores room events; `nonces` remembers the client ids of recent messages so that a
//! repeat is answered with the original.
//!
//! Lock order: room → outbox queue → flusher registry, and room → the history store's
//! maps (appending an event, and the cursor of a conversation already read). Each
//! public method takes the lock once and writes to sockets only after releasing it.
//! The connection table's lock is never taken while the room lock is held.

use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{SystemTime, UNIX_EPOCH};

use chat_shared::frame::ServerFrame;
use jiff::tz::TimeZone;

use crate::deliver::Deliver;
use crate::shutdown::Shutdown;
use crate::store::History;

mod entering;
mod fanout;
mod lookups;
mod membership;
mod moderation;
mod mutes;
mod nonces;
mod presence;
mod record;
mod speech;
mod state;

pub use entering::{Entering, HistoryQuery, RESUME_EVENTS, fit_history};
pub use moderation::Departure;
pub use mutes::Mute;
pub use presence::PRESENCE_INTERVAL;
pub use record::conversation_key;
pub(crate) use record::{is_said, seq_of, time_of};
pub use speech::{Said, TopicInfo};

use fanout::fan_out;
use state::{RoomKey, State};

/// Every room, and everyone online.
#[derive(Debug)]
pub struct Rooms {
    /// Time zone for plain-mode timestamps.
    tz: TimeZone,
    /// Once shutdown has begun, nobody joins and departures are not announced.
    shutdown: Arc<Shutdown>,
    /// How many rooms there may be, and where everyone starts.
    limits: RoomLimits,
    /// Where room events are kept; appended to under the lock (it never blocks).
    history: Arc<dyn History>,
    state: Mutex<State>,
}

/// The limits on rooms, from the configuration.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoomLimits {
    /// The room everyone is put in at login.
    pub default_room: String,
    /// Most rooms one member may be in.
    pub per_member: usize,
    /// Most rooms on the server.
    pub total: usize,
    /// Rooms with more members than this tell joins and leaves in summaries.
    pub summary_above: usize,
    /// The most bytes of history sent at once (a share of the send queue, so that a
    /// replay never overflows it); older events beyond it are left for paging.
    pub history_bytes: usize,
    /// A newcomer sees at most this many of a room's last messages...
    pub replay_messages: usize,
    /// ...none older than this.
    pub replay_age: std::time::Duration,
}

/// Why a room operation was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RoomError {
    /// Someone online already has that name in some case, or one that looks like it.
    NameTaken,
    /// Nobody online has that name.
    NoSuchUser,
    /// The server is shutting down.
    Closed,
    /// No room of that name exists.
    NoSuchRoom(String),
    /// The member is not in that room.
    NotInRoom(String),
    /// The member is in no room, and named none.
    NoCurrentRoom,
    /// A new room's name looks like this existing room's.
    RoomLooksLike(String),
    /// The member is in as many rooms as it may be (the limit).
    TooManyRoomsForMember(usize),
    /// The server holds as many rooms as it may (the limit).
    TooManyRooms(usize),
    /// The room does not exist yet: its cursor must be read from the store first.
    NeedsCursor,
    /// The member is muted: it may not speak, set a topic or change its name.
    Muted(Mute),
}

impl Rooms {
    /// No rooms and nobody online; plain-mode times are shown in `tz`; room events are
    /// kept in `history`. Everything closes when `shutdown` begins.
    pub fn new(
        tz: TimeZone,
        shutdown: Arc<Shutdown>,
        limits: RoomLimits,
        history: Arc<dyn History>,
    ) -> Self {
        Self {
            tz,
            shutdown,
            limits,
            history,
            state: Mutex::new(State::default()),
        }
    }

    /// The limits on rooms and their history, as configured.
    pub fn limits(&self) -> &RoomLimits {
        &self.limits
    }

    /// Where room events are kept: sessions read it (outside the lock) for history and
    /// searches.
    pub fn history(&self) -> &Arc<dyn History> {
        &self.history
    }

    /// The time zone of plain-mode timestamps, for replies encoded outside the room.
    pub fn time_zone(&self) -> &TimeZone {
        &self.tz
    }

    /// Makes `frames` events of room `key`: stamps them with the room's epoch, keeps
    /// them in its recent events and its history, and queues them for the members that
    /// `wanted` accepts; returns the outboxes to flush once the lock is released.
    fn to_room(
        &self,
        state: &mut State,
        key: &RoomKey,
        mut frames: Vec<ServerFrame>,
        wanted: impl Fn(usize) -> bool,
    ) -> Vec<Arc<dyn Deliver>> {
        let Some(room) = state.rooms.get_mut(key) else {
            return Vec::new();
        };
        for frame in &mut frames {
            record::stamp_epoch(frame, room.epoch);
            room.remember(frame.clone());
            if let Some(event) = record::stored(key, frame) {
                self.history.append(event);
            }
        }
        let room = &state.rooms[key];
        let members = room
            .members
            .values()
            .filter(|&&id| wanted(id))
            .filter_map(|id| state.members.get(id));
        fan_out(members, Some(key), &frames, &self.tz)
    }

    /// Queues a reply for member `id` under the lock, so that it keeps its place among
    /// the room events the member receives; returns the outbox to flush once the lock is
    /// released.
    fn reply_locked(&self, state: &State, id: usize, frame: &ServerFrame) -> Vec<Arc<dyn Deliver>> {
        let Some(member) = state.members.get(&id) else {
            return Vec::new();
        };
        member
            .outbox
            .push_all(&[&member.mode.encode(frame, &self.tz)]);
        vec![Arc::clone(&member.outbox)]
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        self.state
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

/// Milliseconds since the Unix epoch, the protocol's time unit.
pub fn now_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |elapsed| elapsed.as_millis() as i64)
}

#[cfg(test)]
mod tests;
