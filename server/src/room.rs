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
//! Lock order: room → outbox queue → flusher registry. The connection table's lock is
//! never taken while the room lock is held.

use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{SystemTime, UNIX_EPOCH};

use chat_shared::frame::{EventId, HistoryReason, LeaveReason, RoomInfo, ServerFrame};
use chat_shared::name::name_key;
use chat_shared::text::line_count;
use jiff::tz::TimeZone;

use crate::deliver::Deliver;
use crate::mode::Mode;
use crate::shutdown::Shutdown;
use crate::store::{History, RoomCursor};

mod fanout;
mod moderation;
mod mutes;
mod nonces;
mod record;
mod state;

pub use moderation::Departure;
pub use mutes::Mute;
pub use record::conversation_key;
pub(crate) use record::{is_said, seq_of, time_of};

use fanout::{defer_all, fan_out, flush_all};
use state::{Member, RoomData, RoomKey, State};

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

/// How often a big room's joins and leaves are summed up.
pub const PRESENCE_INTERVAL: std::time::Duration = std::time::Duration::from_secs(1);

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

    /// Logs a member in under `name` and puts it in the default room: it gets `welcome`
    /// with that room's roster, then the room's history (the recent messages, or what
    /// came after `after`). Others get `joined` now if `announce`, otherwise when the
    /// member is announced (see the module's documentation). A default room that does not
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
    fn history_on_entering(
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

    fn query(
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
        if let Some(member) = state.members.get_mut(&id) {
            if switch || member.current.is_none() {
                member.current = Some(key.clone());
            }
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

    /// The time zone of plain-mode timestamps, for replies encoded outside the room.
    pub fn time_zone(&self) -> &TimeZone {
        &self.tz
    }

    /// How many are online, quiet members left out.
    pub fn online(&self) -> usize {
        let state = self.lock();
        state.members.values().filter(|m| m.announced).count()
    }

    /// Marks a quiet member announced and queues its `joined` for the others in each of
    /// its rooms; returns the outboxes to flush once the lock is released (none if there
    /// was nothing to do).
    fn announce_locked(&self, state: &mut State, id: usize) -> Vec<Arc<dyn Deliver>> {
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
    fn tell_joined(
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
    fn tell_left(
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
