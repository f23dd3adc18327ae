//! What the room lock guards: the members and their names, and the rooms with their
//! members, topics and event counters. Pure bookkeeping: nothing here sends anything.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::Arc;

use chat_shared::name::{NameClaim, name_claims, name_key};

use chat_shared::frame::ServerFrame;

use super::RoomError;
use super::mutes::{Mute, Mutes};
use super::nonces::Nonces;
use super::record::Recent;
use crate::deliver::Deliver;
use crate::mode::Mode;
use crate::store::RoomCursor;

/// A room's key: the [`name_key`] of its name, so that `#Dev` and `#dev` are one room.
pub(super) type RoomKey = String;

/// Everything the lock guards.
#[derive(Debug, Default)]
pub(super) struct State {
    /// Everyone logged in, by connection id.
    pub members: HashMap<usize, Member>,
    /// Name keys (case-insensitive) to member ids: private messages find their receiver
    /// here.
    pub by_key: BTreeMap<String, usize>,
    /// The claims of every member's name to that member's id: a name with a claim here
    /// is, or looks like, someone else's.
    pub claims: HashMap<NameClaim, usize>,
    /// The rooms that have members.
    pub rooms: HashMap<RoomKey, RoomData>,
    /// The claims of every room's name to the room: a new room may not look like one.
    pub room_claims: HashMap<NameClaim, RoomKey>,
    /// Big rooms with joins or leaves waiting for their summary.
    pub pending_rooms: HashSet<RoomKey>,
    /// The nonces seen lately, with the events they made.
    pub nonces: Nonces,
    /// Who is muted, by name (online or not).
    pub mutes: Mutes,
}

/// One logged-in client.
#[derive(Debug)]
pub(super) struct Member {
    /// The name as everyone sees it.
    pub name: String,
    /// How its frames are encoded.
    pub mode: Mode,
    /// Where its frames go.
    pub outbox: Arc<dyn Deliver>,
    /// Others have been told this member joined.
    pub announced: bool,
    /// The rooms it is in, in the order it joined them.
    pub rooms: Vec<RoomKey>,
    /// The room its unaddressed lines go to (plain mode's current room), if any.
    pub current: Option<RoomKey>,
    /// Its mute, if an operator muted it (over once its time has passed).
    pub mute: Option<Mute>,
}

/// One room.
#[derive(Debug)]
pub(super) struct RoomData {
    /// The name as its first member wrote it.
    pub name: String,
    /// Members by name key: the roster's order.
    pub members: BTreeMap<String, usize>,
    /// Number of the room's last event.
    pub seq: u64,
    /// The topic and who set it, if any.
    pub topic: Option<(String, String)>,
    /// Joins and leaves not yet told, in a big room.
    pub pending: Pending,
    /// The room's history epoch: with the room and `seq`, an event's id.
    pub epoch: u64,
    /// The room's most recent events.
    pub recent: Recent,
}

/// The joins and leaves of a big room since its last summary.
#[derive(Debug, Default)]
pub(super) struct Pending {
    /// Who joined, in order.
    pub joined: Vec<String>,
    /// Who left, in order.
    pub left: Vec<String>,
}

impl Pending {
    /// `name` joined: a leave of the same name not yet told cancels out.
    pub fn join(&mut self, name: &str) {
        match self.left.iter().position(|left| left == name) {
            Some(at) => {
                self.left.remove(at);
            }
            None => self.joined.push(name.to_owned()),
        }
    }

    /// `name` left: a join of the same name not yet told cancels out.
    pub fn leave(&mut self, name: &str) {
        match self.joined.iter().position(|joined| joined == name) {
            Some(at) => {
                self.joined.remove(at);
            }
            None => self.left.push(name.to_owned()),
        }
    }

    /// `old`, whose join is not told yet, is now called `new`.
    pub fn rename(&mut self, old: &str, new: &str) {
        for joined in self.joined.iter_mut().filter(|joined| *joined == old) {
            new.clone_into(joined);
        }
    }

    /// Whether there is nothing to tell.
    pub fn is_empty(&self) -> bool {
        self.joined.is_empty() && self.left.is_empty()
    }
}

impl RoomData {
    /// The next event number of this room.
    pub fn next_seq(&mut self) -> u64 {
        self.seq += 1;
        self.seq
    }

    /// Keeps a room event among the recent ones.
    pub fn remember(&mut self, frame: ServerFrame) {
        self.recent.remember(frame);
    }
}

impl State {
    /// Gives `name` to member `id`, in place of its `old` name if it has one; refused when
    /// the name shares a claim with another member's.
    pub fn take_name(&mut self, id: usize, old: Option<&str>, name: &str) -> Result<(), RoomError> {
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
    pub fn release_name(&mut self, name: &str) {
        self.by_key.remove(&name_key(name));
        for claim in name_claims(name) {
            self.claims.remove(&claim);
        }
    }

    /// Moves member `id`'s entries in its rooms from `old` to `new`.
    pub fn rename_in_rooms(&mut self, id: usize, old: &str, new: &str) {
        let Some(member) = self.members.get(&id) else {
            return;
        };
        for key in &member.rooms {
            if let Some(room) = self.rooms.get_mut(key) {
                room.members.remove(&name_key(old));
                room.members.insert(name_key(new), id);
            }
        }
    }

    /// The room named `name`: the existing room with that key, or an error when another
    /// room looks like it. `Ok(None)` when no such room exists yet.
    pub fn find_room(&self, name: &str) -> Result<Option<RoomKey>, RoomError> {
        let key = name_key(name);
        if self.rooms.contains_key(&key) {
            return Ok(Some(key));
        }
        let look_alike = name_claims(name)
            .iter()
            .find_map(|claim| self.room_claims.get(claim))
            .and_then(|key| self.rooms.get(key));
        match look_alike {
            Some(room) => Err(RoomError::RoomLooksLike(room.name.clone())),
            None => Ok(None),
        }
    }

    /// Creates an empty room named `name`, whose history is at `cursor`.
    pub fn create_room(&mut self, name: &str, cursor: RoomCursor) -> RoomKey {
        let key = name_key(name);
        for claim in name_claims(name) {
            self.room_claims.insert(claim, key.clone());
        }
        self.rooms.insert(
            key.clone(),
            RoomData {
                name: name.to_owned(),
                members: BTreeMap::new(),
                seq: cursor.last_seq,
                topic: None,
                pending: Pending::default(),
                epoch: cursor.epoch,
                recent: Recent::default(),
            },
        );
        key
    }

    /// Removes a room that nobody is in any more.
    pub fn remove_room_if_empty(&mut self, key: &str) {
        if self
            .rooms
            .get(key)
            .is_some_and(|room| room.members.is_empty())
        {
            self.pending_rooms.remove(key);
            if let Some(room) = self.rooms.remove(key) {
                for claim in name_claims(&room.name) {
                    self.room_claims.remove(&claim);
                }
            }
        }
    }

    /// The room `room` names for member `id`: the one named (which it must be in), or its
    /// current room.
    pub fn room_of(&self, id: usize, room: Option<&str>) -> Result<RoomKey, RoomError> {
        let member = self.members.get(&id).ok_or(RoomError::NoSuchUser)?;
        match room {
            None => member.current.clone().ok_or(RoomError::NoCurrentRoom),
            Some(name) => {
                let key = name_key(name);
                if member.rooms.contains(&key) {
                    Ok(key)
                } else {
                    Err(RoomError::NotInRoom(name.to_owned()))
                }
            }
        }
    }

    /// A room's members as `viewer` knows them (quiet members left out, except the
    /// viewer itself), sorted case-insensitively.
    pub fn roster(&self, key: &str, viewer: usize) -> Vec<String> {
        let Some(room) = self.rooms.get(key) else {
            return Vec::new();
        };
        room.members
            .values()
            .filter(|&&id| id == viewer || self.is_announced(id))
            .filter_map(|id| self.members.get(id))
            .map(|member| member.name.clone())
            .collect()
    }

    /// How many announced members a room has.
    pub fn announced_in(&self, room: &RoomData) -> usize {
        room.members
            .values()
            .filter(|&&id| self.is_announced(id))
            .count()
    }

    /// Refuses what member `id` would say at `now_ms` when it is muted.
    pub fn refuse_if_muted(&self, id: usize, now_ms: i64) -> Result<(), RoomError> {
        match self
            .members
            .get(&id)
            .and_then(|member| member.mute.as_ref())
        {
            Some(mute) if mute.until_ms > now_ms => Err(RoomError::Muted(mute.clone())),
            _ => Ok(()),
        }
    }

    /// Whether member `id` has been announced.
    pub fn is_announced(&self, id: usize) -> bool {
        self.members.get(&id).is_some_and(|member| member.announced)
    }
}
