//! What every thread of the server shares.
//!
//! It lives apart from [`crate::server`], which starts the threads, so that the modules
//! those threads run ([`crate::listener`], [`crate::session`]) depend on the state they
//! share and not on the server that owns them.

use std::sync::{Arc, Weak};

use jiff::tz::TimeZone;

use crate::accounts::throttle::ThrottleRules;
use crate::accounts::{Accounts, Hasher, LoginThrottle};
use crate::address::AddressPolicy;
use crate::config::Config;
use crate::connections::Connections;
use crate::moderation::{Bans, Operators};
use crate::room::{RoomLimits, Rooms};
use crate::shutdown::{Shutdown, Stage, Wake};
use crate::store::History;

/// What every thread of the server shares.
#[derive(Debug)]
pub(crate) struct Shared {
    /// The limits in force.
    pub config: Config,
    /// Members, rooms and room events (the one lock on the message path).
    pub rooms: Rooms,
    /// Live connections and their caps.
    pub connections: Arc<Connections>,
    /// The one shutdown signal; every thread observes it.
    pub shutdown: Arc<Shutdown>,
    /// Registered names and their password hashes; used from session threads only,
    /// never under the room lock.
    pub accounts: Arc<dyn Accounts>,
    /// Makes and checks password hashes, a few at a time.
    pub hasher: Hasher,
    /// Wrong passwords so far, per name and per address.
    pub logins: LoginThrottle,
    /// Who may moderate.
    pub operators: Operators,
    /// The bans in force (their own lock, taken alone).
    pub bans: Bans,
}

impl Shared {
    /// The state of a server that has just started: no rooms, an empty connection table,
    /// plain-mode times shown in `tz`, room events kept in `history`, names registered
    /// in `accounts`, the `bans` in force. When `shutdown` begins, the connection table
    /// wakes every session.
    pub fn new(
        config: Config,
        tz: TimeZone,
        shutdown: Arc<Shutdown>,
        history: Arc<dyn History>,
        accounts: Arc<dyn Accounts>,
        bans: Bans,
    ) -> Self {
        let connections = Arc::new(Connections::new(&config, Arc::clone(&shutdown)));
        shutdown.wake_at(Stage::Begun, Arc::downgrade(&connections) as Weak<dyn Wake>);
        Self {
            rooms: Rooms::new(tz, Arc::clone(&shutdown), room_limits(&config), history),
            connections,
            shutdown,
            accounts,
            hasher: Hasher::leaving_a_core_free(),
            logins: LoginThrottle::new(ThrottleRules::new(&config), AddressPolicy::new(&config)),
            operators: Operators::new(&config.operators),
            bans,
            config,
        }
    }
}

/// The limits on rooms the flags set.
fn room_limits(config: &Config) -> RoomLimits {
    RoomLimits {
        default_room: config.default_room.clone(),
        per_member: config.max_rooms_per_user as usize,
        total: config.max_rooms as usize,
        summary_above: config.presence_summary_above as usize,
        history_bytes: config.send_queue_bytes / 4,
        replay_messages: config.replay_messages as usize,
        replay_age: config.replay_age,
    }
}
