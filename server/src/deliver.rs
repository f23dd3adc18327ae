//! What the room and the connection table need of a client's connection: somewhere to
//! queue frames and send them without blocking, and a way to end its session from
//! outside.
//!
//! [`Outbox`](crate::outbox::Outbox) is the implementation the server runs. Keeping the
//! room and the connection table behind this trait lets the session's unit tests run
//! them, unchanged, with receivers that record frames in memory instead of sockets.

use std::fmt;
use std::sync::Arc;

/// A client's connection, as those who send it frames see it.
///
/// The room calls [`Deliver::push_all`] under its lock, so that every receiver queues
/// room events in the same order, and [`Deliver::flush`] or [`Deliver::flush_later`]
/// after releasing it. None of these may block.
pub trait Deliver: Send + Sync + fmt::Debug {
    /// Appends frames (one batch of room events, or one reply) without sending them.
    /// Frames to a client that is gone or too slow are dropped: its session is ending.
    fn push_all(&self, frames: &[&[u8]]);

    /// Sends as much of what is queued as the connection takes without blocking; the
    /// rest is finished later.
    fn flush(self: Arc<Self>);

    /// Leaves the sending to a later sweep, so that notices queued meanwhile go out in
    /// the same send (for room notices, which are not urgent).
    fn flush_later(self: Arc<Self>);

    /// Whether the queue overflowed: the client read too slowly and is being dropped.
    fn overflowed(&self) -> bool;

    /// Makes the client's session stop reading, so that it ends, while queued frames can
    /// still be sent: to make room for a newcomer, or at shutdown.
    fn hang_up(&self);
}
