//! A room event (a message, an action, an arrival, a departure, a rename, a topic, a
//! mute, a presence summary) read out of its frame: its room, its id and the entry a buffer
//! shows for it, all text sanitized. Live events and those in a room's history are read
//! alike, so that each shows the same way, and once, whichever way it came.

use chat_shared::frame::{EventId, ServerFrame};
use chat_shared::name::name_key;
use chat_shared::text::sanitize_text;
use jiff::Timestamp;

use super::events::mentions;
use super::scrollback::{Entry, EntryKind, Mark};

/// A room event, ready for a buffer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoomEvent {
    /// The room it happened in; `None` from a server without rooms (the default room).
    pub room: Option<String>,
    /// The sender's nonce, for a message or an action.
    pub nonce: Option<String>,
    /// The entry, its id set.
    pub entry: Entry,
}

impl RoomEvent {
    /// The event's id.
    pub fn id(&self) -> EventId {
        self.entry.id.expect("a room event has an id")
    }
}

/// The room event a frame carries, seen by the user called `me`; `None` for a frame that
/// is not a room event.
pub fn room_event(frame: &ServerFrame, me: Option<&str>) -> Option<RoomEvent> {
    if let ServerFrame::Gap {
        epoch,
        through_seq,
        room,
        ..
    } = frame
    {
        return Some(gap(*epoch, *through_seq, room.as_deref()));
    }
    let is_me = |name: &str| me.is_some_and(|me| name_key(me) == name_key(name));
    let (epoch, seq, time_ms, room, nonce, kind) = match frame {
        ServerFrame::Message {
            epoch,
            seq,
            time_ms,
            from,
            text,
            nonce,
            room,
        }
        | ServerFrame::Action {
            epoch,
            seq,
            time_ms,
            from,
            text,
            nonce,
            room,
        } => {
            let (from, text) = (sanitize_text(from), sanitize_text(text));
            let own = is_me(&from);
            let mentions_me = !own && me.is_some_and(|me| mentions(&text, me));
            let kind = if matches!(frame, ServerFrame::Action { .. }) {
                EntryKind::Action {
                    from,
                    text,
                    own,
                    mentions_me,
                }
            } else {
                EntryKind::Message {
                    from,
                    text,
                    own,
                    mentions_me,
                }
            };
            (*epoch, *seq, *time_ms, room.clone(), nonce.clone(), kind)
        }
        ServerFrame::Joined {
            epoch,
            seq,
            time_ms,
            name,
            room,
        } => {
            let kind = EntryKind::Joined(sanitize_text(name));
            (*epoch, *seq, *time_ms, room.clone(), None, kind)
        }
        ServerFrame::Left {
            epoch,
            seq,
            time_ms,
            name,
            reason,
            message,
            by,
            room,
        } => {
            let kind = EntryKind::Left {
                name: sanitize_text(name),
                reason: *reason,
                message: message.as_deref().map(sanitize_text),
                by: by.as_deref().map(sanitize_text),
            };
            (*epoch, *seq, *time_ms, room.clone(), None, kind)
        }
        ServerFrame::Mute {
            epoch,
            seq,
            time_ms,
            name,
            by,
            until_ms,
            reason,
            room,
        } => {
            let lasting = until_ms.map(|until| {
                std::time::Duration::from_millis(until.saturating_sub(*time_ms).max(0) as u64)
            });
            let kind = EntryKind::Muted {
                name: sanitize_text(name),
                by: sanitize_text(by),
                lasting,
                reason: reason.as_deref().map(sanitize_text),
            };
            (*epoch, *seq, *time_ms, Some(room.clone()), None, kind)
        }
        ServerFrame::Renamed {
            epoch,
            seq,
            time_ms,
            old,
            new,
            room,
        } => {
            let kind = EntryKind::Renamed {
                old: sanitize_text(old),
                new: sanitize_text(new),
            };
            (*epoch, *seq, *time_ms, room.clone(), None, kind)
        }
        ServerFrame::Topic {
            epoch,
            seq,
            time_ms,
            by,
            text,
            room,
        } => {
            let kind = EntryKind::Topic {
                by: sanitize_text(by),
                text: sanitize_text(text),
            };
            (*epoch, *seq, *time_ms, Some(room.clone()), None, kind)
        }
        ServerFrame::Presence {
            epoch,
            seq,
            time_ms,
            joined,
            left,
            room,
        } => {
            let kind = EntryKind::Presence {
                joined: joined.len(),
                left: left.len(),
            };
            (*epoch, *seq, *time_ms, Some(room.clone()), None, kind)
        }
        _ => return None,
    };
    let entry = Entry {
        id: Some(EventId { epoch, seq }),
        replayed: false,
        time: time(time_ms),
        kind,
    };
    Some(RoomEvent {
        room: room.map(|room| sanitize_text(&room)),
        nonce,
        entry,
    })
}

/// The mark of events missing from a room's history (inside a `history` frame), in
/// their place: its id is the last one missing, so that it sorts before the next event.
fn gap(epoch: u64, through_seq: u64, room: Option<&str>) -> RoomEvent {
    RoomEvent {
        room: room.map(sanitize_text),
        nonce: None,
        entry: Entry {
            id: Some(EventId {
                epoch,
                seq: through_seq,
            }),
            replayed: false,
            time: None,
            kind: EntryKind::Mark(Mark::Gap),
        },
    }
}

/// The server's time stamp as a [`Timestamp`]; `None` if it is out of range.
pub fn time(time_ms: i64) -> Option<Timestamp> {
    Timestamp::from_millisecond(time_ms).ok()
}
