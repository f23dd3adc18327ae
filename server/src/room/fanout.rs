//! Copying encoded frames into receivers' queues under the room lock, each frame encoded
//! once per way it is shown, and sending after the lock is released.

use std::cell::OnceCell;
use std::sync::Arc;

use chat_shared::frame::{self, ServerFrame};
use jiff::tz::TimeZone;

use super::state::{Member, RoomKey};
use crate::deliver::Deliver;
use crate::mode::Mode;
use crate::plain;

/// How a receiver sees a frame.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Shown {
    /// As JSON.
    Structured,
    /// As a plain line, in the receiver's current room (no room name).
    PlainHere,
    /// As a plain line from another room (with the room's name).
    PlainElsewhere,
}

impl Shown {
    fn for_member(member: &Member, room: Option<&RoomKey>) -> Self {
        match member.mode {
            Mode::Structured => Shown::Structured,
            Mode::Plain if room.is_none() || member.current.as_ref() == room => Shown::PlainHere,
            Mode::Plain => Shown::PlainElsewhere,
        }
    }
}

/// A frame with its wire form for each way it is shown, computed on first use.
pub(super) struct EncodedOnce<'a> {
    frame: &'a ServerFrame,
    tz: &'a TimeZone,
    structured: OnceCell<Vec<u8>>,
    plain_here: OnceCell<Vec<u8>>,
    plain_elsewhere: OnceCell<Vec<u8>>,
}

impl<'a> EncodedOnce<'a> {
    /// `frame`, not encoded yet; plain mode shows times in `tz`.
    pub fn new(frame: &'a ServerFrame, tz: &'a TimeZone) -> Self {
        Self {
            frame,
            tz,
            structured: OnceCell::new(),
            plain_here: OnceCell::new(),
            plain_elsewhere: OnceCell::new(),
        }
    }

    fn get(&self, shown: Shown) -> &[u8] {
        match shown {
            Shown::Structured => self.structured.get_or_init(|| frame::encode(self.frame)),
            Shown::PlainHere => self
                .plain_here
                .get_or_init(|| plain::render(self.frame, self.tz)),
            Shown::PlainElsewhere => self
                .plain_elsewhere
                .get_or_init(|| plain::render_elsewhere(self.frame, self.tz)),
        }
    }
}

/// Queues `frames` (events of `room`, or of no room) for each of `receivers`, encoding
/// each frame at most once per way it is shown; returns the outboxes to flush once the
/// lock is released.
pub(super) fn fan_out<'m>(
    receivers: impl Iterator<Item = &'m Member>,
    room: Option<&RoomKey>,
    frames: &[ServerFrame],
    tz: &TimeZone,
) -> Vec<Arc<dyn Deliver>> {
    let encoded: Vec<EncodedOnce<'_>> = frames
        .iter()
        .map(|frame| EncodedOnce::new(frame, tz))
        .collect();
    let mut outboxes = Vec::new();
    let mut wire: Vec<&[u8]> = Vec::with_capacity(encoded.len());
    for member in receivers {
        let shown = Shown::for_member(member, room);
        wire.clear();
        wire.extend(encoded.iter().map(|frame| frame.get(shown)));
        member.outbox.push_all(&wire);
        outboxes.push(Arc::clone(&member.outbox));
    }
    outboxes
}

/// Leaves the sending to the flusher's next sweep (room notices, not urgent).
pub(super) fn defer_all(outboxes: Vec<Arc<dyn Deliver>>) {
    for outbox in outboxes {
        outbox.flush_later();
    }
}

/// Sends at once what each outbox takes without blocking (messages).
pub(super) fn flush_all(outboxes: Vec<Arc<dyn Deliver>>) {
    for outbox in outboxes {
        outbox.flush();
    }
}
