//! The table of live connections: the door every connection passes, and the list that
//! stops everyone at shutdown.
//!
//! At the door, in this order (what the trusted IRC servers do, InspIRCd's connectban
//! and ergo's throttling among them):
//! - an address ([`AddressPolicy`]) may open `--connect-burst` connections, then
//!   `--connect-rate` per minute; the budget outlives its connections, so cycling
//!   connections does not get around it;
//! - an address may hold `--max-per-ip` connections at once;
//! - the server holds at most `--max-clients`;
//! - connections that have not chosen a name may hold only `--unjoined-percent` of that.
//!   A newcomer cannot be told from a silent connection when it arrives, so a full share
//!   does not turn it away: the oldest silent connection is closed to make room, as
//!   kernels drop the oldest half-open connection under a SYN flood. The time to choose
//!   a name also shrinks as the share fills.
//!
//! Each address also has one flood-control budget, which all its connections draw on
//! and which is kept until it has refilled (see `flood`).
//!
//! It also knows each connection's address and whether it is an operator's, so that a
//! ban on an address ends every connection from it, and never an operator's.
//!
//! Its lock is never held together with the room lock or an outbox lock, and nothing
//! under it blocks.

use std::collections::{BTreeSet, HashMap};
use std::net::IpAddr;
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use ipnet::IpNet;

use crate::address::AddressPolicy;
use crate::config::Config;
use crate::deliver::Deliver;
use crate::flood::TokenBucket;
use crate::moderation::{Removal, Target};
use crate::shutdown::{Shutdown, Wake};

/// Connections closed to make room that may still be on their way out; past this many,
/// newcomers are refused rather than admitted over `--max-clients`.
const MAX_EVICTIONS_IN_FLIGHT: usize = 64;

/// Address records kept before the first sweep of the ones that are no longer needed.
const MIN_SWEEP_AT: usize = 1024;

/// Every connection the server holds, with the limits on how many it may hold.
#[derive(Debug)]
pub struct Connections {
    limits: Limits,
    /// Once shutdown has begun, nobody is admitted.
    shutdown: Arc<Shutdown>,
    /// The live connections; the condition variable is signalled whenever one ends.
    table: Mutex<Table>,
    /// Signalled when a connection leaves the table.
    departed: Condvar,
}

/// The flags the door applies, copied from the configuration.
#[derive(Debug)]
struct Limits {
    max_total: usize,
    max_unjoined: usize,
    max_per_address: usize,
    policy: AddressPolicy,
    connect_burst: u32,
    /// Connections per second after the burst; 0 means unlimited.
    connect_rate: f64,
    flood_burst: u32,
    flood_rate: f64,
    handshake_timeout: Duration,
    busy_handshake_timeout: Duration,
}

#[derive(Debug, Default)]
struct Table {
    live: HashMap<usize, Entry>,
    /// Connections that have not joined and are not being closed, oldest (lowest id)
    /// first.
    unjoined: BTreeSet<usize>,
    /// Live connections closed to make room, not yet gone.
    evicting: usize,
    /// What each address network has used, while it matters.
    addresses: HashMap<IpNet, AddressRecord>,
    /// The next sweep of `addresses` happens when it holds this many.
    sweep_at: usize,
}

#[derive(Debug)]
struct Entry {
    /// The connection's address, for bans on addresses.
    ip: IpAddr,
    /// The network the connection counts against, unless exempt.
    group: Option<IpNet>,
    /// Logged in as an operator: no ban may cover its address.
    operator: bool,
    /// Ended by an operator, and why.
    removal: Option<Removal>,
    /// Where to hang up: to make room, or at shutdown.
    outbox: Arc<dyn Deliver>,
    /// Closed to make room for a newcomer.
    evicted: bool,
}

/// What one address network has used.
#[derive(Debug)]
struct AddressRecord {
    /// Its connections open now.
    live: usize,
    /// Its connection-rate budget.
    connects: TokenBucket,
    /// The flood budget its connections share.
    flood: Arc<Mutex<TokenBucket>>,
}

impl AddressRecord {
    /// Whether forgetting this record would change nothing.
    fn is_idle(&self, now: Instant) -> bool {
        self.live == 0
            && self.connects.is_full(now)
            && self
                .flood
                .lock()
                .unwrap_or_else(|poisoned| poisoned.into_inner())
                .is_full(now)
    }
}

impl Limits {
    fn new(config: &Config) -> Self {
        let max_total = config.max_clients;
        Self {
            max_total,
            max_unjoined: (max_total * usize::from(config.unjoined_percent) / 100).max(1),
            max_per_address: config.max_per_ip,
            policy: AddressPolicy::new(config),
            connect_burst: config.connect_burst,
            connect_rate: config.connect_rate / 60.0,
            flood_burst: config.flood_burst,
            flood_rate: config.flood_rate,
            handshake_timeout: config.handshake_timeout,
            busy_handshake_timeout: config.busy_handshake_timeout.min(config.handshake_timeout),
        }
    }

    fn fresh_flood_bucket(&self, now: Instant) -> TokenBucket {
        TokenBucket::new(self.flood_burst, self.flood_rate, now)
    }

    /// The full handshake timeout while the silent share is at most half full, then
    /// shrinking linearly to the busy one when it is full.
    fn handshake_timeout_with(&self, unjoined: usize) -> Duration {
        let half = self.max_unjoined as f64 / 2.0;
        let fill = ((unjoined as f64 - half) / half).clamp(0.0, 1.0);
        let spare = self.handshake_timeout - self.busy_handshake_timeout;
        self.handshake_timeout - spare.mul_f64(fill)
    }
}

impl Table {
    fn group_of(&self, id: usize) -> Option<IpNet> {
        self.live.get(&id).and_then(|entry| entry.group)
    }

    /// Forgets the address records that would change nothing, once there are many.
    fn sweep(&mut self, now: Instant) {
        if self.addresses.len() < self.sweep_at.max(MIN_SWEEP_AT) {
            return;
        }
        self.addresses.retain(|_, record| !record.is_idle(now));
        self.sweep_at = 2 * self.addresses.len();
    }

    /// Takes a connection token for `group` and checks its cap.
    fn admit_address(
        &mut self,
        group: IpNet,
        limits: &Limits,
        now: Instant,
    ) -> Result<(), Refusal> {
        let record = self
            .addresses
            .entry(group)
            .or_insert_with(|| AddressRecord {
                live: 0,
                connects: TokenBucket::new(limits.connect_burst, limits.connect_rate, now),
                flood: Arc::new(Mutex::new(limits.fresh_flood_bucket(now))),
            });
        record
            .connects
            .try_take(now)
            .map_err(|wait| Refusal::Throttled(group, wait))?;
        if record.live >= limits.max_per_address {
            return Err(Refusal::TooManyFromAddress(group, limits.max_per_address));
        }
        Ok(())
    }

    /// Makes room for one more connection: returns the silent connection to close for
    /// it, if one must be.
    fn make_room(&mut self, limits: &Limits) -> Result<Option<usize>, Refusal> {
        let staying = self.live.len() - self.evicting;
        let full = staying >= limits.max_total;
        if !full && self.unjoined.len() < limits.max_unjoined {
            return Ok(None);
        }
        if self.evicting >= MAX_EVICTIONS_IN_FLIGHT {
            return Err(Refusal::ServerFull(limits.max_total));
        }
        match self.unjoined.first().copied() {
            Some(oldest) => Ok(Some(oldest)),
            None => Err(Refusal::ServerFull(limits.max_total)),
        }
    }

    fn evict(&mut self, id: usize) -> Option<Arc<dyn Deliver>> {
        let entry = self.live.get_mut(&id)?;
        entry.evicted = true;
        self.unjoined.remove(&id);
        self.evicting += 1;
        Some(Arc::clone(&entry.outbox))
    }
}

impl Connections {
    /// An empty table applying the limits in `config`, admitting nobody once `shutdown`
    /// has begun.
    pub fn new(config: &Config, shutdown: Arc<Shutdown>) -> Self {
        Self {
            limits: Limits::new(config),
            shutdown,
            table: Mutex::new(Table::default()),
            departed: Condvar::new(),
        }
    }

    /// Admits connection `id` from `ip`, or says why not. When the silent connections'
    /// share is full, the oldest of them is closed to make room.
    pub fn admit(
        self: &Arc<Self>,
        id: usize,
        ip: IpAddr,
        outbox: Arc<dyn Deliver>,
        now: Instant,
    ) -> Result<Permit, Refusal> {
        // Checked under the table's lock: waking the sessions at shutdown takes it too,
        // so a connection admitted meanwhile is either refused here or woken there.
        let mut table = self.lock();
        if self.shutdown.is_begun() {
            return Err(Refusal::ShuttingDown);
        }
        table.sweep(now);
        let group = self.limits.policy.group(ip);
        if let Some(group) = group {
            table.admit_address(group, &self.limits, now)?;
        }
        let evicted = table
            .make_room(&self.limits)?
            .and_then(|oldest| table.evict(oldest));
        if let Some(record) = group.and_then(|group| table.addresses.get_mut(&group)) {
            record.live += 1;
        }
        table.live.insert(
            id,
            Entry {
                ip,
                group,
                operator: false,
                removal: None,
                outbox,
                evicted: false,
            },
        );
        table.unjoined.insert(id);
        drop(table);
        if let Some(evicted) = evicted {
            evicted.hang_up();
        }
        Ok(Permit {
            connections: Arc::clone(self),
            id,
        })
    }

    /// Ends connection `id` for `removal` (a kick or a ban by name): its session is
    /// stopped, and tells its rooms and its client why. Returns false when it is gone.
    pub fn remove_one(&self, id: usize, removal: &Removal) -> bool {
        let outbox = {
            let mut table = self.lock();
            let Some(entry) = table.live.get_mut(&id) else {
                return false;
            };
            entry.removal.get_or_insert_with(|| removal.clone());
            Arc::clone(&entry.outbox)
        };
        outbox.hang_up();
        true
    }

    /// Ends every connection from an address `target` covers, joined or not, for
    /// `removal`; returns how many. Refused (`None`, and nothing ended) when one of them
    /// is an operator's: a ban may not lock the operators out.
    pub fn remove_covered(&self, target: &Target, removal: &Removal) -> Option<usize> {
        let outboxes: Vec<Arc<dyn Deliver>> = {
            let mut table = self.lock();
            let covered = |entry: &Entry| target.covers_ip(entry.ip);
            if table.live.values().any(|e| covered(e) && e.operator) {
                return None;
            }
            table
                .live
                .values_mut()
                .filter(|entry| covered(entry))
                .map(|entry| {
                    entry.removal.get_or_insert_with(|| removal.clone());
                    Arc::clone(&entry.outbox)
                })
                .collect()
        };
        for outbox in &outboxes {
            outbox.hang_up();
        }
        Some(outboxes.len())
    }

    /// Whether connection `id` is an operator's (whatever its name is now).
    pub fn is_operator(&self, id: usize) -> bool {
        self.lock()
            .live
            .get(&id)
            .is_some_and(|entry| entry.operator)
    }

    /// Whether an operator is connected from an address `target` covers.
    pub fn covers_operator(&self, target: &Target) -> bool {
        let table = self.lock();
        table
            .live
            .values()
            .any(|entry| entry.operator && target.covers_ip(entry.ip))
    }

    /// How many connections are live.
    pub fn count(&self) -> usize {
        self.lock().live.len()
    }

    /// Waits until no connection is left, or until `timeout`; returns how many remain.
    pub fn wait_until_empty(&self, timeout: Duration) -> usize {
        let deadline = Instant::now() + timeout;
        let mut table = self.lock();
        while !table.live.is_empty() {
            let now = Instant::now();
            if now >= deadline {
                break;
            }
            table = self
                .departed
                .wait_timeout(table, deadline - now)
                .unwrap_or_else(|poisoned| poisoned.into_inner())
                .0;
        }
        table.live.len()
    }

    fn remove(&self, id: usize) {
        let mut table = self.lock();
        if let Some(entry) = table.live.remove(&id) {
            if entry.evicted {
                table.evicting -= 1;
            } else {
                table.unjoined.remove(&id);
            }
            if let Some(record) = entry
                .group
                .and_then(|group| table.addresses.get_mut(&group))
            {
                record.live -= 1;
            }
        }
        drop(table);
        self.departed.notify_all();
    }

    fn lock(&self) -> MutexGuard<'_, Table> {
        self.table
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

/// At shutdown, wakes every session's blocked read, so that each says goodbye to its
/// client and ends.
impl Wake for Connections {
    fn wake(&self) {
        let outboxes: Vec<Arc<dyn Deliver>> = self
            .lock()
            .live
            .values()
            .map(|entry| Arc::clone(&entry.outbox))
            .collect();
        for outbox in outboxes {
            outbox.hang_up();
        }
    }
}

mod permit;
mod refusal;

pub use permit::Permit;
pub use refusal::Refusal;

#[cfg(test)]
mod tests;
