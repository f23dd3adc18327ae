//! Messages read but not yet published: the lines of one read to one room go out under
//! one room lock, and reach each receiver in one send.

use crate::room::Said;

/// The messages read since the last publication, all to one room.
#[derive(Debug)]
pub(super) struct Batch {
    said: Vec<Said>,
    /// The room they go to (`None`: the client's current room).
    room: Option<String>,
    /// An upper bound of the batch's size on the wire.
    wire_bytes: usize,
    /// The most `wire_bytes` may reach: a quarter of the send queue, so that one batch
    /// never fills a receiver's queue by itself.
    limit: usize,
}

impl Batch {
    /// An empty batch whose size on the wire stays within `limit` (one message larger
    /// than that goes alone).
    pub(super) fn new(limit: usize) -> Self {
        Self {
            said: Vec::new(),
            room: None,
            wire_bytes: 0,
            limit,
        }
    }

    /// Whether `said`, to `room`, may join the batch: the same room, and the batch does
    /// not go over its limit.
    pub(super) fn has_room_for(&self, said: &Said, room: Option<&str>) -> bool {
        (self.said.is_empty() || self.room.as_deref() == room)
            && self.wire_bytes + said.wire_size_bound() <= self.limit
    }

    /// Adds a message to `room` at the end (after [`Batch::has_room_for`] said yes, or to
    /// an empty batch).
    pub(super) fn push(&mut self, said: Said, room: Option<String>) {
        self.wire_bytes += said.wire_size_bound();
        self.room = room;
        self.said.push(said);
    }

    /// The messages to publish and their room, if there are any; the batch is empty
    /// after.
    pub(super) fn take(&mut self) -> Option<(Option<String>, Vec<Said>)> {
        if self.said.is_empty() {
            return None;
        }
        self.wire_bytes = 0;
        Some((self.room.take(), std::mem::take(&mut self.said)))
    }
}
