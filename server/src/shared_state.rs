//! What every thread of the server shares.
//!
//! It lives apart from [`crate::server`], which starts the threads, so that the modules
//! those threads run ([`crate::listener`], [`crate::session`]) depend on the state they
//! share and not on the server that owns them.

use std::sync::atomic::AtomicBool;
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use crate::config::Config;
use crate::connections::Connections;
use crate::flusher::Flusher;
use crate::room::Room;

/// What every thread of the server shares.
#[derive(Debug)]
pub(crate) struct Shared {
    /// The limits in force.
    pub config: Config,
    /// Members and room events (the one lock on the message path).
    pub room: Room,
    /// Live connections and their caps.
    pub connections: Arc<Connections>,
    /// Finishes sends to sockets that were full.
    pub flusher: Arc<Flusher>,
    /// Set once shutdown has begun; every thread checks it.
    pub stopping: AtomicBool,
    /// Set at shutdown: the window over which clients are asked to spread their
    /// reconnections, so that a restart is not followed by everyone at once.
    pub reconnect_spread: OnceLock<Duration>,
}
