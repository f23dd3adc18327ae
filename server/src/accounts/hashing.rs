//! Password hashes: argon2id, with a random salt and OWASP's parameters.
//!
//! A hash costs tens of milliseconds and 19 MiB of memory on purpose, so that a stolen
//! database is slow to guess from. The same cost is a weapon in the hands of a client
//! that sends passwords: hashes run on the session's own thread, holding no lock, and
//! at most a few at a time (one per core but one), so that a crowd of logins waits its
//! turn instead of exhausting the memory, and a core is always left for the rest.

use std::sync::{Condvar, Mutex, PoisonError};

use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use argon2::{Algorithm, Argon2, Params, Version};

/// Makes and checks password hashes, a bounded number at once.
#[derive(Debug)]
pub struct Hasher {
    /// Hashes running now.
    running: Mutex<usize>,
    /// Signalled when one ends.
    ended: Condvar,
    /// The most that may run at once.
    limit: usize,
}

impl Hasher {
    /// A hasher that runs at most `limit` hashes at once (at least one).
    pub fn new(limit: usize) -> Self {
        Self {
            running: Mutex::new(0),
            ended: Condvar::new(),
            limit: limit.max(1),
        }
    }

    /// A hasher that runs one hash per core at once, but one: password guessing may
    /// keep every other core busy, never the last one, which the rest of the server
    /// (fan-out, every other session) needs whatever guessing costs. One at least, on
    /// a single core. See BENCHMARKS.md, logins, for what it changes.
    pub fn leaving_a_core_free() -> Self {
        let cores = std::thread::available_parallelism().map_or(2, usize::from);
        Self::new(cores - 1)
    }

    /// The PHC string of `password` hashed with a fresh random salt.
    pub fn hash(&self, password: &str) -> Result<String, String> {
        self.gated(|| {
            argon2()
                .hash_password(password.as_bytes())
                .map(|hash| hash.to_string())
                .map_err(|e| format!("cannot hash a password: {e}"))
        })
    }

    /// Whether `password` matches the PHC string `hash`; a hash that cannot be read
    /// matches nothing. The parameters are the hash's own, so that hashes made with
    /// older parameters keep working.
    pub fn verify(&self, password: &str, hash: &str) -> bool {
        let Ok(parsed) = PasswordHash::new(hash) else {
            tracing::error!("accounts: a stored password hash cannot be read");
            return false;
        };
        self.gated(|| {
            argon2()
                .verify_password(password.as_bytes(), &parsed)
                .is_ok()
        })
    }

    /// Runs `work` once fewer than `limit` others are running. The count's lock is
    /// never held while hashing.
    fn gated<T>(&self, work: impl FnOnce() -> T) -> T {
        {
            let mut running = self.running.lock().unwrap_or_else(PoisonError::into_inner);
            while *running >= self.limit {
                running = self
                    .ended
                    .wait(running)
                    .unwrap_or_else(PoisonError::into_inner);
            }
            *running += 1;
        }
        let _slot = Slot(self);
        work()
    }
}

/// Gives a hashing slot back when dropped, even if the hash panicked.
struct Slot<'a>(&'a Hasher);

impl Drop for Slot<'_> {
    fn drop(&mut self) {
        let mut running = self
            .0
            .running
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        *running -= 1;
        self.0.ended.notify_one();
    }
}

/// Argon2id with OWASP's first recommended parameters: 19 MiB, 2 passes, 1 lane (the
/// crate's defaults, spelled out so that a change of defaults cannot weaken them).
fn argon2() -> Argon2<'static> {
    let params = Params::new(19 * 1024, 2, 1, None).expect("valid argon2 parameters");
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_are_salted_argon2id_and_verify_only_their_password() {
        let hasher = Hasher::new(2);
        let first = hasher.hash("hunter2").unwrap();
        let second = hasher.hash("hunter2").unwrap();
        assert!(
            first.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"),
            "{first}"
        );
        assert_ne!(first, second, "each hash has its own salt");
        assert!(hasher.verify("hunter2", &first));
        assert!(hasher.verify("hunter2", &second));
        assert!(!hasher.verify("hunter3", &first));
        assert!(!hasher.verify("hunter2", "not a hash"));
    }

    #[test]
    fn no_more_than_the_limit_hash_at_once() {
        let hasher = Hasher::new(1);
        let peak = Mutex::new((0usize, 0usize));
        std::thread::scope(|scope| {
            for _ in 0..4 {
                scope.spawn(|| {
                    hasher.gated(|| {
                        {
                            let mut p = peak.lock().unwrap();
                            p.0 += 1;
                            p.1 = p.1.max(p.0);
                        }
                        let _ = argon2().hash_password(b"x");
                        peak.lock().unwrap().0 -= 1;
                    });
                });
            }
        });
        assert_eq!(peak.into_inner().unwrap().1, 1);
    }
}
