//! What a room remembers of its events: each one stamped with the room's epoch, kept in
//! the room's recent events (to replay on join and close short gaps without reading the
//! store) and handed to the history store.

use std::collections::VecDeque;

use chat_shared::frame::{self, ServerFrame};
use chat_shared::name::name_key;

use crate::store::{self, EventKind, RoomCursor, StoredEvent};

/// Recent events a room keeps in memory, at most: a resume of up to this many missed
/// events, and a replay on join, need no read of the store.
pub(super) const RECENT_EVENTS: usize = 1000;

/// Bytes of text a room keeps in its recent events, at most (long messages make fewer):
/// memory stays bounded however long the lines.
pub(super) const RECENT_BYTES: usize = 256 * 1024;

/// What one event costs in memory besides its text, roughly.
const EVENT_OVERHEAD: usize = 160;

/// Sets the epoch of a room event.
pub(super) fn stamp_epoch(frame: &mut ServerFrame, room_epoch: u64) {
    match frame {
        ServerFrame::Message { epoch, .. }
        | ServerFrame::Action { epoch, .. }
        | ServerFrame::Joined { epoch, .. }
        | ServerFrame::Left { epoch, .. }
        | ServerFrame::Renamed { epoch, .. }
        | ServerFrame::Topic { epoch, .. }
        | ServerFrame::Presence { epoch, .. }
        | ServerFrame::Mute { epoch, .. } => *epoch = room_epoch,
        _ => {}
    }
}

/// A room event's `seq` (for a gap, the last one missing), or `None` for a frame that
/// is not one.
pub(crate) fn seq_of(frame: &ServerFrame) -> Option<u64> {
    match frame {
        ServerFrame::Message { seq, .. }
        | ServerFrame::Action { seq, .. }
        | ServerFrame::Joined { seq, .. }
        | ServerFrame::Left { seq, .. }
        | ServerFrame::Renamed { seq, .. }
        | ServerFrame::Topic { seq, .. }
        | ServerFrame::Presence { seq, .. }
        | ServerFrame::Mute { seq, .. } => Some(*seq),
        ServerFrame::Gap { through_seq, .. } => Some(*through_seq),
        _ => None,
    }
}

/// When a room event happened.
pub(crate) fn time_of(frame: &ServerFrame) -> Option<i64> {
    match frame {
        ServerFrame::Message { time_ms, .. }
        | ServerFrame::Action { time_ms, .. }
        | ServerFrame::Joined { time_ms, .. }
        | ServerFrame::Left { time_ms, .. }
        | ServerFrame::Renamed { time_ms, .. }
        | ServerFrame::Topic { time_ms, .. }
        | ServerFrame::Presence { time_ms, .. }
        | ServerFrame::Mute { time_ms, .. }
        | ServerFrame::Private { time_ms, .. } => Some(*time_ms),
        _ => None,
    }
}

/// Whether an event is worth replaying to a newcomer: something said, not a presence.
pub(crate) fn is_said(frame: &ServerFrame) -> bool {
    matches!(
        frame,
        ServerFrame::Message { .. } | ServerFrame::Action { .. } | ServerFrame::Topic { .. }
    )
}

/// The event of room `key` as the store keeps it.
pub(super) fn stored(key: &str, frame: &ServerFrame) -> Option<StoredEvent> {
    let (epoch, room, kind, from, to, text, nonce) = match frame {
        ServerFrame::Message {
            epoch,
            room,
            from,
            text,
            nonce,
            ..
        } => (
            *epoch,
            room.as_ref(),
            EventKind::Message,
            Some(from),
            None,
            Some(text),
            nonce,
        ),
        ServerFrame::Action {
            epoch,
            room,
            from,
            text,
            nonce,
            ..
        } => (
            *epoch,
            room.as_ref(),
            EventKind::Action,
            Some(from),
            None,
            Some(text),
            nonce,
        ),
        ServerFrame::Topic {
            epoch,
            room,
            by,
            text,
            ..
        } => (
            *epoch,
            Some(room),
            EventKind::Topic,
            Some(by),
            None,
            Some(text),
            &None,
        ),
        ServerFrame::Joined {
            epoch, room, name, ..
        } => (
            *epoch,
            room.as_ref(),
            EventKind::Joined,
            Some(name),
            None,
            None,
            &None,
        ),
        ServerFrame::Left {
            epoch, room, name, ..
        } => (
            *epoch,
            room.as_ref(),
            EventKind::Left,
            Some(name),
            None,
            None,
            &None,
        ),
        ServerFrame::Renamed {
            epoch,
            room,
            old,
            new,
            ..
        } => (
            *epoch,
            room.as_ref(),
            EventKind::Renamed,
            Some(old),
            Some(new),
            None,
            &None,
        ),
        ServerFrame::Mute {
            epoch,
            room,
            name,
            by,
            reason,
            ..
        } => (
            *epoch,
            Some(room),
            EventKind::Mute,
            Some(name),
            Some(by),
            reason.as_ref(),
            &None,
        ),
        ServerFrame::Presence { epoch, room, .. } => (
            *epoch,
            Some(room),
            EventKind::Presence,
            None,
            None,
            None,
            &None,
        ),
        _ => return None,
    };
    let sender_key = nonce.as_ref().and(from).map(|name| name_key(name));
    Some(StoredEvent {
        room_key: key.to_owned(),
        room: room.map_or_else(|| key.to_owned(), String::clone),
        epoch,
        seq: seq_of(frame)?,
        time_ms: time_of(frame)?,
        kind,
        from: from.cloned(),
        to: to.cloned(),
        text: text.cloned(),
        nonce: nonce.clone(),
        sender_key,
        frame: line_of(frame),
    })
}

/// A private message as the store keeps it: in the conversation of its two parties, as
/// event `seq` of that conversation's stream at `cursor`.
pub(super) fn stored_private(
    frame: &ServerFrame,
    conversation: &str,
    cursor: RoomCursor,
) -> Option<StoredEvent> {
    let ServerFrame::Private {
        time_ms,
        from,
        to,
        text,
        nonce,
    } = frame
    else {
        return None;
    };
    Some(StoredEvent {
        room_key: conversation.to_owned(),
        room: conversation.to_owned(),
        epoch: cursor.epoch,
        seq: cursor.last_seq + 1,
        time_ms: *time_ms,
        kind: EventKind::Private,
        from: Some(from.clone()),
        to: Some(to.clone()),
        text: Some(text.clone()),
        nonce: nonce.clone(),
        sender_key: Some(name_key(from)),
        frame: line_of(frame),
    })
}

/// The key of the private conversation between two names, the same whoever sends.
pub fn conversation_key(one: &str, other: &str) -> String {
    store::conversation_key(&name_key(one), &name_key(other))
}

fn line_of(frame: &ServerFrame) -> String {
    let mut line = frame::encode(frame);
    line.pop();
    String::from_utf8(line).expect("frames encode to UTF-8")
}

/// A room's most recent events, oldest first.
#[derive(Debug, Default)]
pub(super) struct Recent {
    events: VecDeque<ServerFrame>,
    /// Their size, as [`size_of_event`] counts it.
    bytes: usize,
}

/// Roughly what an event takes in memory.
fn size_of_event(frame: &ServerFrame) -> usize {
    let text = match frame {
        ServerFrame::Message { text, .. }
        | ServerFrame::Action { text, .. }
        | ServerFrame::Topic { text, .. } => text.len(),
        ServerFrame::Presence { joined, left, .. } => {
            joined.iter().chain(left).map(String::len).sum()
        }
        _ => 0,
    };
    text + EVENT_OVERHEAD
}

impl Recent {
    /// Keeps `frame`, forgetting the oldest beyond [`RECENT_EVENTS`] or [`RECENT_BYTES`].
    pub fn remember(&mut self, frame: ServerFrame) {
        self.bytes += size_of_event(&frame);
        self.events.push_back(frame);
        while self.events.len() > RECENT_EVENTS || self.bytes > RECENT_BYTES {
            match self.events.pop_front() {
                Some(oldest) => self.bytes -= size_of_event(&oldest),
                None => break,
            }
        }
    }

    /// Every event after `seq`, if the ones kept reach back that far (or nothing came
    /// after it).
    pub fn after(&self, seq: u64, last_seq: u64) -> Option<Vec<ServerFrame>> {
        if seq >= last_seq {
            return Some(Vec::new());
        }
        let first = self.events.front().and_then(seq_of)?;
        if first > seq + 1 {
            return None;
        }
        Some(
            self.events
                .iter()
                .filter(|frame| seq_of(frame).is_some_and(|s| s > seq))
                .cloned()
                .collect(),
        )
    }

    /// The last `limit` things said, none older than `since_ms`, oldest first.
    pub fn said(&self, limit: usize, since_ms: i64) -> Vec<ServerFrame> {
        let mut said: Vec<ServerFrame> = self
            .events
            .iter()
            .rev()
            .filter(|frame| is_said(frame) && time_of(frame).is_some_and(|t| t >= since_ms))
            .take(limit)
            .cloned()
            .collect();
        said.reverse();
        said
    }

    /// Whether the kept events start at the room's first event (nothing older exists
    /// to fetch); `last_seq` is the room's last event, to tell an empty room from one
    /// whose events are all in the store (a room of an earlier run).
    pub fn reaches_start(&self, last_seq: u64) -> bool {
        self.events.front().and_then(seq_of).unwrap_or(last_seq + 1) <= 1
    }
}
