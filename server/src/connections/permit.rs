//! What an admitted connection holds: its place in the table, given back when dropped,
//! and its questions to the table (its flood budget, whether it was evicted or removed
//! by an operator, how long it may take to choose a name).

use std::sync::Arc;
use std::time::{Duration, Instant};

use super::Connections;
use crate::flood::FloodBucket;
use crate::moderation::Removal;

/// Proof that a connection was admitted; dropping it removes the connection.
#[derive(Debug)]
pub struct Permit {
    pub(super) connections: Arc<Connections>,
    pub(super) id: usize,
}

impl Drop for Permit {
    fn drop(&mut self) {
        self.connections.remove(self.id);
    }
}

impl Permit {
    /// The flood-control budget this connection draws on: its address's, or its own
    /// when the address is exempt.
    pub fn flood_bucket(&self, now: Instant) -> FloodBucket {
        let table = self.connections.lock();
        match table
            .group_of(self.id)
            .and_then(|group| table.addresses.get(&group))
        {
            Some(record) => FloodBucket::Address(Arc::clone(&record.flood)),
            None => FloodBucket::Own(self.connections.limits.fresh_flood_bucket(now)),
        }
    }

    /// Records that the connection joined (or, after a refused name, did not), so that
    /// it stops (or starts again) counting among the silent ones. Returns false when the
    /// connection was already closed to make room: it must not join.
    pub fn set_joined(&self, joined: bool) -> bool {
        let mut table = self.connections.lock();
        let evicted = table.live.get(&self.id).is_none_or(|entry| entry.evicted);
        if evicted {
            return false;
        }
        if joined {
            table.unjoined.remove(&self.id);
        } else {
            table.unjoined.insert(self.id);
        }
        true
    }

    /// Records that the connection logged in as an operator (or, after a refused name,
    /// did not).
    pub fn set_operator(&self, operator: bool) {
        if let Some(entry) = self.connections.lock().live.get_mut(&self.id) {
            entry.operator = operator;
        }
    }

    /// Why an operator ended this connection, if one did.
    pub fn removal(&self) -> Option<Removal> {
        let table = self.connections.lock();
        table.live.get(&self.id)?.removal.clone()
    }

    /// Whether the connection was closed to make room for a newcomer.
    pub fn evicted(&self) -> bool {
        let table = self.connections.lock();
        table.live.get(&self.id).is_some_and(|entry| entry.evicted)
    }

    /// How long a connection may take to choose a name, given how full the share of
    /// silent connections is now.
    pub fn handshake_timeout(&self) -> Duration {
        let unjoined = self.connections.lock().unjoined.len();
        self.connections.limits.handshake_timeout_with(unjoined)
    }
}
