//! The bans in force: kept in memory for the checks at the door and at login, and
//! written through to the data directory's database when there is one.
//!
//! The checks are a scan of a short list under a lock taken alone (never with the room
//! lock or the connection table's), so that the accept loop stays quick. An expired ban
//! is ignored at once and forgotten (in memory and on disk) the next time the list
//! changes or is shown.

use std::net::IpAddr;
use std::sync::{Mutex, MutexGuard};

use chat_shared::frame::BanInfo;
use chat_shared::name::NameClaim;

use super::store::BanStore;
use super::target::Target;
use crate::store::StoreError;

/// One ban.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ban {
    /// What is banned.
    pub target: Target,
    /// The operator who set it.
    pub by: String,
    /// Why, if said (sanitized, on one line, capped).
    pub reason: Option<String>,
    /// When it was set (Unix milliseconds).
    pub since_ms: i64,
    /// When it ends (Unix milliseconds); `None` for ever.
    pub until_ms: Option<i64>,
}

impl Ban {
    /// Whether the ban is over at `now_ms`.
    pub fn expired(&self, now_ms: i64) -> bool {
        self.until_ms.is_some_and(|until| until <= now_ms)
    }

    /// The ban as its target is told it at `now_ms`:
    /// `127.0.0.1 is banned for 2h (by root_op: spam)`.
    pub fn describe(&self, now_ms: i64) -> String {
        let reason = self
            .reason
            .as_ref()
            .map_or_else(String::new, |reason| format!(": {reason}"));
        format!(
            "{} is banned {} (by {}{reason})",
            self.target,
            super::time_left(self.until_ms, now_ms),
            self.by
        )
    }

    /// The line that refuses a connection from a banned address at `now_ms`, before
    /// the session mode is known: `ERROR banned: ...`.
    pub fn refusal_line(&self, now_ms: i64) -> String {
        format!(
            "ERROR {}: {}\r\n",
            chat_shared::frame::ErrorCode::Banned.as_str(),
            self.describe(now_ms)
        )
    }

    /// The ban as `ban_list` shows it.
    pub fn info(&self) -> BanInfo {
        BanInfo {
            target: self.target.to_string(),
            by: self.by.clone(),
            since_ms: self.since_ms,
            until_ms: self.until_ms,
            reason: self.reason.clone(),
        }
    }
}

/// The bans in force, and where they are kept.
#[derive(Debug)]
pub struct Bans {
    list: Mutex<Vec<Ban>>,
    /// The database they are written to; `None` keeps them in memory only.
    store: Option<BanStore>,
}

impl Bans {
    /// No bans, kept in memory only (a server without a data directory).
    pub fn in_memory() -> Self {
        Self {
            list: Mutex::new(Vec::new()),
            store: None,
        }
    }

    /// The bans kept in `store`, read now (the expired ones are dropped).
    pub fn stored(store: BanStore, now_ms: i64) -> Result<Self, StoreError> {
        let list = store.load()?;
        let bans = Self {
            list: Mutex::new(list),
            store: Some(store),
        };
        bans.forget_expired(now_ms);
        Ok(bans)
    }

    /// The ban on the address `ip` at `now_ms`, if any: a connection from it is refused.
    pub fn on_address(&self, ip: IpAddr, now_ms: i64) -> Option<Ban> {
        self.find(now_ms, |target| target.covers_ip(ip))
    }

    /// The ban on a name with `claims` at `now_ms`, if any: it may not log in.
    pub fn on_name(&self, claims: &[NameClaim; 2], now_ms: i64) -> Option<Ban> {
        self.find(now_ms, |target| target.covers_name(claims))
    }

    /// Adds `ban`, replacing a ban on the same target (a new duration or reason). Kept
    /// in memory even when it cannot be written down; the error says so.
    pub fn add(&self, ban: Ban) -> Result<(), StoreError> {
        self.forget_expired(ban.since_ms);
        let key = ban.target.key();
        {
            let mut list = self.lock();
            list.retain(|old| old.target.key() != key);
            list.push(ban.clone());
        }
        match &self.store {
            Some(store) => store.save(&ban),
            None => Ok(()),
        }
    }

    /// Lifts the ban on `target`; returns it, or `None` when there was none in force.
    pub fn remove(&self, target: &Target, now_ms: i64) -> Result<Option<Ban>, StoreError> {
        self.forget_expired(now_ms);
        let key = target.key();
        let removed = {
            let mut list = self.lock();
            let at = list.iter().position(|ban| ban.target.key() == key);
            at.map(|at| list.remove(at))
        };
        if let (Some(store), Some(_)) = (&self.store, &removed) {
            store.delete(&key)?;
        }
        Ok(removed)
    }

    /// The bans in force at `now_ms`, oldest first.
    pub fn list(&self, now_ms: i64) -> Vec<Ban> {
        self.forget_expired(now_ms);
        self.lock().clone()
    }

    fn find(&self, now_ms: i64, covers: impl Fn(&Target) -> bool) -> Option<Ban> {
        self.lock()
            .iter()
            .find(|ban| !ban.expired(now_ms) && covers(&ban.target))
            .cloned()
    }

    /// Drops the bans over at `now_ms`, from memory and from the database.
    fn forget_expired(&self, now_ms: i64) {
        let expired: Vec<Ban> = {
            let mut list = self.lock();
            let (over, in_force) = list.drain(..).partition(|ban| ban.expired(now_ms));
            *list = in_force;
            over
        };
        if let Some(store) = &self.store {
            for ban in expired {
                if let Err(error) = store.delete(&ban.target.key()) {
                    tracing::warn!("an expired ban stays in the database: {error}");
                }
            }
        }
    }

    fn lock(&self) -> MutexGuard<'_, Vec<Ban>> {
        self.list
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ban(target: &str, until_ms: Option<i64>) -> Ban {
        Ban {
            target: Target::parse(target).unwrap(),
            by: "root_op".into(),
            reason: None,
            since_ms: 1_000,
            until_ms,
        }
    }

    #[test]
    fn a_ban_applies_until_it_expires_and_is_then_forgotten() {
        let bans = Bans::in_memory();
        bans.add(ban("192.0.2.0/24", Some(5_000))).unwrap();
        let ip: IpAddr = "192.0.2.9".parse().unwrap();
        assert!(bans.on_address(ip, 4_999).is_some());
        assert!(bans.on_address(ip, 5_000).is_none());
        assert!(bans.list(5_000).is_empty());
    }

    #[test]
    fn banning_a_target_again_replaces_its_ban_and_unbanning_lifts_it() {
        let bans = Bans::in_memory();
        bans.add(ban("Mallory", Some(5_000))).unwrap();
        bans.add(ban("mallory", None)).unwrap();
        assert_eq!(bans.list(2_000).len(), 1);
        let claims = chat_shared::name::name_claims("maIlory");
        assert!(bans.on_name(&claims, 10_000).is_some(), "now for ever");
        let lifted = bans.remove(&Target::parse("MALLORY").unwrap(), 10_000);
        assert!(lifted.unwrap().is_some());
        assert!(bans.on_name(&claims, 10_000).is_none());
        let again = bans.remove(&Target::parse("mallory").unwrap(), 10_000);
        assert!(again.unwrap().is_none());
    }
}
