//! Who is muted, and until when: by name claim, so that the mute follows the name (in
//! any case, and its look-alikes) through a reconnection.

use std::collections::HashMap;

use chat_shared::name::{NameClaim, name_claims};

/// One mute.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mute {
    /// When it ends (Unix milliseconds).
    pub until_ms: i64,
    /// The operator who set it.
    pub by: String,
}

/// The mutes in force, by the claims of the muted name.
#[derive(Debug, Default)]
pub(super) struct Mutes {
    by_claim: HashMap<NameClaim, Mute>,
}

impl Mutes {
    /// The mute on `name` at `now_ms`, if one is in force.
    pub fn of(&self, name: &str, now_ms: i64) -> Option<Mute> {
        name_claims(name)
            .iter()
            .filter_map(|claim| self.by_claim.get(claim))
            .find(|mute| mute.until_ms > now_ms)
            .cloned()
    }

    /// Mutes `name` (and its look-alikes), replacing a mute already on it; mutes over at
    /// `now_ms` are forgotten meanwhile, so that the table holds only those in force.
    pub fn set(&mut self, name: &str, mute: Mute, now_ms: i64) {
        self.by_claim.retain(|_, old| old.until_ms > now_ms);
        for claim in name_claims(name) {
            self.by_claim.insert(claim, mute.clone());
        }
    }

    /// Lifts the mute on `name`; returns whether one was in force at `now_ms`.
    pub fn lift(&mut self, name: &str, now_ms: i64) -> bool {
        let removed: Vec<Mute> = name_claims(name)
            .iter()
            .filter_map(|claim| self.by_claim.remove(claim))
            .collect();
        removed.iter().any(|mute| mute.until_ms > now_ms)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mute(until_ms: i64) -> Mute {
        Mute {
            until_ms,
            by: "root_op".into(),
        }
    }

    #[test]
    fn a_mute_follows_the_name_in_any_case_and_its_look_alikes_until_it_ends() {
        let mut mutes = Mutes::default();
        mutes.set("alice", mute(5_000), 0);
        assert_eq!(mutes.of("ALICE", 4_999), Some(mute(5_000)));
        assert_eq!(mutes.of("aIice", 4_999), Some(mute(5_000)));
        assert_eq!(mutes.of("alice", 5_000), None);
        assert_eq!(mutes.of("bob", 0), None);
    }

    #[test]
    fn lifting_tells_whether_a_mute_was_in_force() {
        let mut mutes = Mutes::default();
        mutes.set("alice", mute(5_000), 0);
        assert!(mutes.lift("Alice", 1_000));
        assert!(!mutes.lift("alice", 1_000));
        mutes.set("bob", mute(2_000), 0);
        assert!(!mutes.lift("bob", 3_000), "over already");
    }
}
