//! The room: who is online, under which name, and the one ordered stream of room events.
//!
//! This is the server's only shared lock. It is a plain `std::sync::Mutex` because every
//! critical section is short and never blocks: it updates the member tables, numbers the
//! event, encodes it once per session mode and copies it into each receiver's queue. The
//! sockets are written after the lock is released ([`Deliver::flush`]); since the copies
//! were queued under the lock, every receiver still gets events in `seq` order. Receivers
//! are [`Deliver`]ers: the server's [`Outbox`](crate::outbox::Outbox)es, or in tests
//! recorders that need no socket.
//!
//! A newcomer can be *quiet*: a member, but not yet announced. Others get its `joined`
//! when it first does something they can see (a message, an action, a private message,
//! a rename), or when its session decides the announcement delay is over. A quiet member
//! who leaves is never announced, so cycling through join and leave cannot be used to
//! shout at everyone. Others' rosters leave quiet members out, so that every roster
//! agrees with the notices its holder has seen.
//!
//! Lock order: room → outbox queue → flusher registry. The connection table's lock is
//! never taken while the room lock is held.

use std::cell::OnceCell;
use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{SystemTime, UNIX_EPOCH};

use chat_shared::frame::{LeaveReason, ServerFrame};
use chat_shared::name::{NameClaim, name_claims, name_key};
use chat_shared::text::line_count;
use jiff::tz::TimeZone;

use crate::deliver::Deliver;
use crate::mode::Mode;
use crate::shutdown::Shutdown;

/// The chat room every connection joins once it has a name.
#[derive(Debug)]
pub struct Room {
    /// Time zone for plain-mode timestamps.
    tz: TimeZone,
    /// Once shutdown has begun, nobody joins and departures are not announced.
    shutdown: Arc<Shutdown>,
    state: Mutex<RoomState>,
}

#[derive(Debug, Default)]
struct RoomState {
    members: HashMap<usize, Member>,
    /// Name keys (case-insensitive) to member ids; its order is the roster's order, and
    /// private messages find their receiver here.
    by_key: BTreeMap<String, usize>,
    /// The claims of every member's name to that member's id: a name with a claim here
    /// is, or looks like, someone else's.
    claims: HashMap<NameClaim, usize>,
    /// Number of the last room event.
    seq: u64,
}

#[derive(Debug)]
struct Member {
    name: String,
    mode: Mode,
    outbox: Arc<dyn Deliver>,
    /// Others have been told this member joined.
    announced: bool,
}

/// Why a room operation was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RoomError {
    /// Someone online already has that name in some case, or one that looks like it.
    NameTaken,
    /// Nobody online has that name.
    NoSuchUser,
    /// The server is shutting down.
    Closed,
}

/// One text a member says, in a batch published under one lock.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Said {
    /// `/me` action rather than a message.
    pub action: bool,
    /// The sanitized text.
    pub text: String,
}

impl Said {
    /// An upper bound of this text's size as one room event on the wire, in either mode:
    /// JSON escapes at most double the text and its frame adds under 256 bytes (a name is
    /// at most 96 bytes); plain mode adds a time and name prefix under 128 bytes per line.
    pub fn wire_size_bound(&self) -> usize {
        2 * self.text.len() + 128 * line_count(&self.text) + 256
    }
}

impl Room {
    /// An empty room; plain-mode times are shown in `tz`. It closes when `shutdown`
    /// begins.
    pub fn new(tz: TimeZone, shutdown: Arc<Shutdown>) -> Self {
        Self {
            tz,
            shutdown,
            state: Mutex::new(RoomState::default()),
        }
    }

    /// Adds a member under `name`: it gets `welcome` with the roster. Others get
    /// `joined` now if `announce`, otherwise when the member is announced (see the
    /// module's documentation).
    pub fn join(
        &self,
        id: usize,
        name: &str,
        mode: Mode,
        outbox: Arc<dyn Deliver>,
        announce: bool,
    ) -> Result<(), RoomError> {
        let mut state = self.lock();
        if self.shutdown.is_begun() {
            return Err(RoomError::Closed);
        }
        state.take_name(id, None, name)?;
        state.members.insert(
            id,
            Member {
                name: name.to_owned(),
                mode,
                outbox: Arc::clone(&outbox),
                announced: false,
            },
        );
        let receivers = if announce {
            self.announce_locked(&mut state, id)
        } else {
            Vec::new()
        };
        let welcome = ServerFrame::Welcome {
            name: name.to_owned(),
            roster: state.roster(id),
        };
        outbox.push_all(&[&mode.encode(&welcome, &self.tz)]);
        drop(state);
        defer_all(receivers);
        outbox.flush();
        Ok(())
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

    /// Removes a member and tells everyone else why it left, unless it was never
    /// announced or shutdown has begun.
    pub fn leave(&self, id: usize, reason: LeaveReason, message: Option<String>) {
        let mut state = self.lock();
        let Some(member) = state.members.remove(&id) else {
            return;
        };
        state.release_name(&member.name);
        if self.shutdown.is_begun() || !member.announced {
            return;
        }
        let left = ServerFrame::Left {
            seq: state.next_seq(),
            time_ms: now_ms(),
            name: member.name,
            reason,
            message,
        };
        let receivers = self.fan_out(&state, &[left], |_, _| true);
        drop(state);
        defer_all(receivers);
    }

    /// Publishes what a member said, in order, as consecutive room events.
    ///
    /// Structured-mode senders receive their own events (their confirmation, in the room's
    /// order); plain-mode senders do not, as they already see what they typed.
    pub fn publish(&self, id: usize, batch: Vec<Said>) -> Result<(), RoomError> {
        let mut state = self.lock();
        if self.shutdown.is_begun() {
            return Err(RoomError::Closed);
        }
        let Some(from) = state.members.get(&id).map(|m| m.name.clone()) else {
            return Err(RoomError::NoSuchUser);
        };
        let announced = self.announce_locked(&mut state, id);
        let time_ms = now_ms();
        let frames: Vec<ServerFrame> = batch
            .into_iter()
            .map(|said| {
                let seq = state.next_seq();
                let (from, text) = (from.clone(), said.text);
                if said.action {
                    ServerFrame::Action {
                        seq,
                        time_ms,
                        from,
                        text,
                    }
                } else {
                    ServerFrame::Message {
                        seq,
                        time_ms,
                        from,
                        text,
                    }
                }
            })
            .collect();
        let receivers = self.fan_out(&state, &frames, |member_id, member| {
            member_id != id || member.mode == Mode::Structured
        });
        drop(state);
        defer_all(announced);
        flush_all(receivers);
        Ok(())
    }

    /// Sends a private message to the member called `to`, and a copy to its sender.
    pub fn private(&self, id: usize, to: &str, text: String) -> Result<(), RoomError> {
        let mut state = self.lock();
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
            time_ms: now_ms(),
            from: sender.name.clone(),
            to: target.name.clone(),
            text,
        };
        let receivers = self.fan_out(&state, &[frame], |member_id, _| {
            member_id == id || member_id == target_id
        });
        drop(state);
        defer_all(announced);
        flush_all(receivers);
        Ok(())
    }

    /// Renames a member (a change of case, or to a look-alike of its own name, is
    /// allowed) and tells everyone; renaming to the very same name changes nothing and
    /// tells nobody.
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
        state.take_name(id, Some(&old), new)?;
        let mut receivers = self.announce_locked(&mut state, id);
        if let Some(member) = state.members.get_mut(&id) {
            new.clone_into(&mut member.name);
        }
        let renamed = ServerFrame::Renamed {
            seq: state.next_seq(),
            time_ms: now_ms(),
            old,
            new: new.to_owned(),
        };
        receivers.extend(self.fan_out(&state, &[renamed], |_, _| true));
        drop(state);
        defer_all(receivers);
        Ok(())
    }

    /// Everyone online as `viewer` knows them (quiet members left out, except the viewer
    /// itself), sorted case-insensitively.
    pub fn roster(&self, viewer: usize) -> Vec<String> {
        self.lock().roster(viewer)
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

    /// Marks a quiet member announced and queues its `joined` for the others; returns
    /// the outboxes to flush once the lock is released (none if there was nothing to do).
    fn announce_locked(&self, state: &mut RoomState, id: usize) -> Vec<Arc<dyn Deliver>> {
        let Some(member) = state.members.get_mut(&id).filter(|m| !m.announced) else {
            return Vec::new();
        };
        member.announced = true;
        let name = member.name.clone();
        let joined = ServerFrame::Joined {
            seq: state.next_seq(),
            time_ms: now_ms(),
            name,
        };
        self.fan_out(state, &[joined], |member_id, _| member_id != id)
    }

    /// Queues `frames` for every member `wanted` accepts, encoding each frame at most once
    /// per mode; returns the outboxes to flush once the lock is released.
    fn fan_out(
        &self,
        state: &RoomState,
        frames: &[ServerFrame],
        wanted: impl Fn(usize, &Member) -> bool,
    ) -> Vec<Arc<dyn Deliver>> {
        let encoded: Vec<EncodedOnce<'_>> = frames
            .iter()
            .map(|frame| EncodedOnce::new(frame, &self.tz))
            .collect();
        let mut receivers = Vec::with_capacity(state.members.len());
        let mut frames: Vec<&[u8]> = Vec::with_capacity(encoded.len());
        for (&member_id, member) in &state.members {
            if !wanted(member_id, member) {
                continue;
            }
            frames.clear();
            frames.extend(encoded.iter().map(|frame| frame.get(member.mode)));
            member.outbox.push_all(&frames);
            receivers.push(Arc::clone(&member.outbox));
        }
        receivers
    }

    fn lock(&self) -> MutexGuard<'_, RoomState> {
        self.state
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

impl RoomState {
    fn next_seq(&mut self) -> u64 {
        self.seq += 1;
        self.seq
    }

    /// Gives `name` to member `id`, in place of its `old` name if it has one; refused when
    /// the name shares a claim with another member's.
    fn take_name(&mut self, id: usize, old: Option<&str>, name: &str) -> Result<(), RoomError> {
        let claims = name_claims(name);
        let held_by_another =
            |claim: &NameClaim| self.claims.get(claim).is_some_and(|&holder| holder != id);
        if claims.iter().any(held_by_another) {
            return Err(RoomError::NameTaken);
        }
        if let Some(old) = old {
            self.release_name(old);
        }
        self.by_key.insert(name_key(name), id);
        self.claims
            .extend(claims.into_iter().map(|claim| (claim, id)));
        Ok(())
    }

    /// Frees a departing or renamed member's name and its claims.
    fn release_name(&mut self, name: &str) {
        self.by_key.remove(&name_key(name));
        for claim in name_claims(name) {
            self.claims.remove(&claim);
        }
    }

    fn roster(&self, viewer: usize) -> Vec<String> {
        self.by_key
            .values()
            .filter(|&&id| id == viewer || self.is_announced(id))
            .filter_map(|id| self.members.get(id))
            .map(|member| member.name.clone())
            .collect()
    }

    fn is_announced(&self, id: usize) -> bool {
        self.members.get(&id).is_some_and(|member| member.announced)
    }
}

/// A frame with its wire form for each mode, computed on first use.
struct EncodedOnce<'a> {
    frame: &'a ServerFrame,
    tz: &'a TimeZone,
    plain: OnceCell<Vec<u8>>,
    structured: OnceCell<Vec<u8>>,
}

impl<'a> EncodedOnce<'a> {
    fn new(frame: &'a ServerFrame, tz: &'a TimeZone) -> Self {
        Self {
            frame,
            tz,
            plain: OnceCell::new(),
            structured: OnceCell::new(),
        }
    }

    fn get(&self, mode: Mode) -> &[u8] {
        let cell = match mode {
            Mode::Plain => &self.plain,
            Mode::Structured => &self.structured,
        };
        cell.get_or_init(|| mode.encode(self.frame, self.tz))
    }
}

fn defer_all(outboxes: Vec<Arc<dyn Deliver>>) {
    for outbox in outboxes {
        outbox.flush_later();
    }
}

fn flush_all(outboxes: Vec<Arc<dyn Deliver>>) {
    for outbox in outboxes {
        outbox.flush();
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
