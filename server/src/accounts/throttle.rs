//! Refusing password guesses: after too many wrong passwords for one name, or from one
//! address, attempts are refused for a while, each new failure doubling the wait.
//!
//! Per name, so that guesses spread over many addresses still slow down; per address,
//! so that one address guessing many names does too. A refused attempt is not checked
//! at all, so guessing costs the server no hashing while refused. The price is that a
//! guesser can keep a name's owner waiting too (as on any service that locks logins);
//! the wait is bounded by [`MAX_LOCKOUT`], and sessions already logged in are not
//! affected. Exempt addresses (`--exempt`, e.g. a proxy that many people share) are
//! throttled per name only.

use std::collections::HashMap;
use std::hash::Hash;
use std::net::IpAddr;
use std::sync::{Mutex, PoisonError};
use std::time::{Duration, Instant};

use ipnet::IpNet;

use crate::address::AddressPolicy;
use crate::config::Config;

/// The longest a name or an address is ever refused after one more failure.
pub const MAX_LOCKOUT: Duration = Duration::from_secs(3600);

/// How long failures are remembered after the last one.
const FORGET_AFTER: Duration = Duration::from_secs(2 * 3600);

/// Entries kept before old ones are forgotten early.
const PRUNE_ABOVE: usize = 4096;

/// When the throttle refuses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ThrottleRules {
    /// Wrong passwords for one name before it is locked.
    pub per_name: u32,
    /// Wrong passwords from one address before it is locked.
    pub per_address: u32,
    /// The first lock's length; each further failure doubles it, up to [`MAX_LOCKOUT`].
    pub lockout: Duration,
}

impl ThrottleRules {
    /// The rules the flags set.
    pub fn new(config: &Config) -> Self {
        Self {
            per_name: config.login_failures,
            per_address: config.login_failures_per_address,
            lockout: config.login_lockout,
        }
    }
}

/// The failures of one name or one address.
#[derive(Debug, Clone, Copy)]
struct Failures {
    /// Wrong passwords so far.
    count: u32,
    /// When the last one came.
    last: Instant,
    /// Refused until then.
    locked_until: Option<Instant>,
}

/// Failures by name and by address.
#[derive(Debug)]
pub struct LoginThrottle {
    /// By name key. Taken alone, never with `addresses` held.
    names: Mutex<HashMap<String, Failures>>,
    /// By address group. Taken alone.
    addresses: Mutex<HashMap<IpNet, Failures>>,
    /// When to refuse.
    rules: ThrottleRules,
    /// Which addresses count as one, and which are exempt.
    policy: AddressPolicy,
}

impl LoginThrottle {
    /// A throttle with no failures yet.
    pub fn new(rules: ThrottleRules, policy: AddressPolicy) -> Self {
        Self {
            names: Mutex::default(),
            addresses: Mutex::default(),
            rules,
            policy,
        }
    }

    /// Whether a password for name key `name` from `ip` may be checked at `now`; if
    /// not, how long until it may.
    pub fn check(&self, name: &str, ip: IpAddr, now: Instant) -> Result<(), Duration> {
        let by_name = locked(&self.names, name, now);
        let by_address = self
            .policy
            .group(ip)
            .and_then(|group| locked(&self.addresses, &group, now));
        match by_name.max(by_address) {
            Some(wait) => Err(wait),
            None => Ok(()),
        }
    }

    /// A wrong password for name key `name` from `ip` at `now`.
    pub fn failed(&self, name: &str, ip: IpAddr, now: Instant) {
        let lockout = self.rules.lockout;
        record(&self.names, name, self.rules.per_name, lockout, now);
        if let Some(group) = self.policy.group(ip) {
            record(
                &self.addresses,
                &group,
                self.rules.per_address,
                lockout,
                now,
            );
        }
    }

    /// The right password for name key `name`: its failures are forgotten (the
    /// address's are not, or one account of its own would let an address guess on).
    pub fn succeeded(&self, name: &str) {
        self.names
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .remove(name);
    }
}

/// How long `key` is still locked at `now`, if it is.
fn locked<K, Q>(map: &Mutex<HashMap<K, Failures>>, key: &Q, now: Instant) -> Option<Duration>
where
    K: Eq + Hash + std::borrow::Borrow<Q>,
    Q: Eq + Hash + ?Sized,
{
    let map = map.lock().unwrap_or_else(PoisonError::into_inner);
    let until = map.get(key)?.locked_until?;
    (until > now).then(|| until - now)
}

/// Counts a failure of `key` at `now`, locking it once `free` failures are spent.
fn record<K, Q>(
    map: &Mutex<HashMap<K, Failures>>,
    key: &Q,
    free: u32,
    lockout: Duration,
    now: Instant,
) where
    K: Eq + Hash + std::borrow::Borrow<Q>,
    Q: Eq + Hash + ToOwned<Owned = K> + ?Sized,
{
    let mut map = map.lock().unwrap_or_else(PoisonError::into_inner);
    if map.len() > PRUNE_ABOVE {
        map.retain(|_, failures| now.saturating_duration_since(failures.last) < FORGET_AFTER);
    }
    let failures = map.entry(key.to_owned()).or_insert(Failures {
        count: 0,
        last: now,
        locked_until: None,
    });
    if now.saturating_duration_since(failures.last) >= FORGET_AFTER {
        failures.count = 0;
    }
    failures.count = failures.count.saturating_add(1);
    failures.last = now;
    if failures.count >= free.max(1) {
        let doublings = (failures.count - free.max(1)).min(20);
        let lock = lockout.saturating_mul(1 << doublings).min(MAX_LOCKOUT);
        failures.locked_until = Some(now + lock);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ATTACKER: IpAddr = IpAddr::V4(std::net::Ipv4Addr::new(203, 0, 113, 7));
    const OTHER: IpAddr = IpAddr::V4(std::net::Ipv4Addr::new(198, 51, 100, 1));

    fn throttle(exempt: &[&str]) -> LoginThrottle {
        let config = Config {
            exempt: exempt.iter().map(|net| net.parse().unwrap()).collect(),
            ..Config::default()
        };
        LoginThrottle::new(
            ThrottleRules {
                per_name: 3,
                per_address: 5,
                lockout: Duration::from_secs(10),
            },
            AddressPolicy::new(&config),
        )
    }

    #[test]
    fn locks_a_name_after_its_free_failures_and_doubles_each_time() {
        let throttle = throttle(&[]);
        let t0 = Instant::now();
        for _ in 0..2 {
            throttle.failed("alice", ATTACKER, t0);
            assert_eq!(throttle.check("alice", OTHER, t0), Ok(()));
        }
        throttle.failed("alice", ATTACKER, t0);
        assert_eq!(
            throttle.check("alice", OTHER, t0),
            Err(Duration::from_secs(10)),
            "locked for everyone: guesses may come from many addresses"
        );
        assert_eq!(throttle.check("bob", OTHER, t0), Ok(()));
        let t1 = t0 + Duration::from_secs(10);
        assert_eq!(throttle.check("alice", OTHER, t1), Ok(()), "the lock ends");
        throttle.failed("alice", OTHER, t1);
        assert_eq!(
            throttle.check("alice", OTHER, t1),
            Err(Duration::from_secs(20))
        );
        throttle.succeeded("alice");
        assert_eq!(throttle.check("alice", OTHER, t1), Ok(()));
    }

    #[test]
    fn locks_an_address_guessing_many_names_but_not_others() {
        let throttle = throttle(&[]);
        let now = Instant::now();
        for i in 0..5 {
            throttle.failed(&format!("user{i}"), ATTACKER, now);
        }
        assert!(throttle.check("carol", ATTACKER, now).is_err());
        assert_eq!(throttle.check("carol", OTHER, now), Ok(()));
    }

    #[test]
    fn an_exempt_address_is_throttled_per_name_only() {
        let throttle = throttle(&["203.0.113.0/24"]);
        let now = Instant::now();
        for i in 0..10 {
            throttle.failed(&format!("user{i}"), ATTACKER, now);
        }
        assert_eq!(throttle.check("carol", ATTACKER, now), Ok(()));
    }

    #[test]
    fn the_lock_never_exceeds_its_cap() {
        let throttle = throttle(&[]);
        let now = Instant::now();
        for _ in 0..100 {
            throttle.failed("alice", ATTACKER, now);
        }
        assert_eq!(throttle.check("alice", OTHER, now), Err(MAX_LOCKOUT));
    }
}
