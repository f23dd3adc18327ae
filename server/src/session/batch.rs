//! Messages read but not yet published: the lines of one read go out under one room
//! lock, and reach each receiver in one send.

use crate::room::Said;

/// The messages read since the last publication.
#[derive(Debug)]
pub(super) struct Batch {
    said: Vec<Said>,
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
            wire_bytes: 0,
            limit,
        }
    }

    /// Whether `said` fits without the batch going over its limit.
    pub(super) fn has_room_for(&self, said: &Said) -> bool {
        self.wire_bytes + said.wire_size_bound() <= self.limit
    }

    /// Adds a message at the end.
    pub(super) fn push(&mut self, said: Said) {
        self.wire_bytes += said.wire_size_bound();
        self.said.push(said);
    }

    /// The messages to publish, if there are any; the batch is empty after.
    pub(super) fn take(&mut self) -> Option<Vec<Said>> {
        if self.said.is_empty() {
            return None;
        }
        self.wire_bytes = 0;
        Some(std::mem::take(&mut self.said))
    }
}
