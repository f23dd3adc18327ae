//! Accounts: a name that only its password unlocks.
//!
//! `/register PASSWORD` makes a member's current name an account. From then on that
//! name, and every name that looks like it (the same [`name_claims`] as online names
//! hold), can be used only by a client that gives the password: at login, or by
//! renaming to it from a session that logged in to that account. `/password` changes
//! the password; `/unregister` ends the account.
//!
//! The parts, one job each:
//! - this file: what an account is, and the [`Accounts`] trait every store implements;
//! - [`sqlite`]: accounts in the history database of the data directory
//!   (table `accounts`), surviving restarts; [`memory`]: accounts for one run, for a
//!   server without a data directory;
//! - [`hashing`]: argon2id hashes, made and checked on the session's own thread, a
//!   few at a time;
//! - [`throttle`]: refusing logins for a while after too many wrong passwords, per
//!   name and per address;
//! - [`policy`]: whether a connection may carry passwords at all.
//!
//! Every method of [`Accounts`] may touch the disk: sessions call them from their own
//! thread, never under the room lock, and no lock of the accounts is held while a
//! password is hashed.

use chat_shared::name::{NameClaim, name_claims, name_key};

pub mod hashing;
pub mod memory;
pub mod policy;
pub mod sqlite;
pub mod throttle;

pub use hashing::Hasher;
pub use memory::MemoryAccounts;
pub use sqlite::SqliteAccounts;
pub use throttle::LoginThrottle;

/// One account, as stored.
#[derive(Clone, PartialEq, Eq)]
pub struct Account {
    /// The name as it was registered (NFC-normalized, as everyone saw it).
    pub name: String,
    /// The password's argon2id hash in PHC form (`$argon2id$v=19$m=...`), salt included.
    pub hash: String,
    /// When it was registered, Unix epoch milliseconds.
    pub created_ms: i64,
}

/// Never shows the hash, so that no log line can hold it.
impl std::fmt::Debug for Account {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Account")
            .field("name", &self.name)
            .field("created_ms", &self.created_ms)
            .finish_non_exhaustive()
    }
}

/// What a name is to the accounts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Lookup {
    /// The name is this account's (in any case).
    Registered(Account),
    /// The name is no account's, but looks like this account's name: nobody may use
    /// it, since others would take its holder for the account's owner.
    LooksLike(String),
    /// Anyone may use the name.
    Free,
}

/// Why an account could not be read or changed.
#[derive(Debug, thiserror::Error)]
pub enum AccountError {
    /// The name, or one that looks like it, is already an account: the one named.
    #[error("the name is already registered as {0}")]
    Taken(String),
    /// The store failed; the message names the file.
    #[error("accounts: {0}")]
    Store(String),
}

/// The keys an account's name is found by: its [`name_key`], and the two claims that
/// make look-alike names collide.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccountKeys {
    /// Same name in any case.
    pub key: String,
    /// [`NameClaim::Folded`].
    pub folded: String,
    /// [`NameClaim::Written`].
    pub written: String,
}

impl AccountKeys {
    /// The keys of `name`.
    pub fn of(name: &str) -> Self {
        let [first, second] = name_claims(name);
        let mut folded = String::new();
        let mut written = String::new();
        for claim in [first, second] {
            match claim {
                NameClaim::Folded(value) => folded = value,
                NameClaim::Written(value) => written = value,
            }
        }
        Self {
            key: name_key(name),
            folded,
            written,
        }
    }
}

/// Where accounts are kept. Kept small, like [`crate::store::History`], so that another
/// backend is a small job. Every method may block on the disk: call them from a
/// session's thread (or the offline command line), never under the room lock.
pub trait Accounts: Send + Sync + std::fmt::Debug {
    /// What `name` is to the accounts: an account's own name, a look-alike of one, or
    /// free.
    fn lookup(&self, name: &str) -> Result<Lookup, AccountError>;

    /// Stores a new account; refused with [`AccountError::Taken`] when its name, or a
    /// look-alike, is already an account (checked by the store itself, so that two
    /// registrations at once cannot both win).
    fn create(&self, account: &Account) -> Result<(), AccountError>;

    /// Replaces the hash of the account named `name` (in any case); false when there
    /// is no such account.
    fn set_hash(&self, name: &str, hash: &str) -> Result<bool, AccountError>;

    /// Deletes the account named `name` (in any case); false when there is none.
    fn delete(&self, name: &str) -> Result<bool, AccountError>;

    /// Every account, sorted by name key.
    fn list(&self) -> Result<Vec<Account>, AccountError>;
}

#[cfg(test)]
mod tests;
