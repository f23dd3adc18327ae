//! Accounts for one run: a server without a data directory (`--no-history`) still has
//! accounts, but they end with the process (the server warns at startup).

use std::collections::BTreeMap;
use std::sync::{Mutex, PoisonError};

use super::{Account, AccountError, AccountKeys, Accounts, Lookup};

/// Accounts in memory, by name key.
#[derive(Debug, Default)]
pub struct MemoryAccounts {
    /// Each account with its keys, by name key (sorted, for `list`).
    accounts: Mutex<BTreeMap<String, (AccountKeys, Account)>>,
}

impl MemoryAccounts {
    /// No accounts yet.
    pub fn new() -> Self {
        Self::default()
    }

    fn accounts(&self) -> std::sync::MutexGuard<'_, BTreeMap<String, (AccountKeys, Account)>> {
        self.accounts.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// The account among `accounts` that `keys` collides with: the same name, or a
/// look-alike.
fn colliding<'a>(
    accounts: &'a BTreeMap<String, (AccountKeys, Account)>,
    keys: &AccountKeys,
) -> Option<&'a Account> {
    accounts
        .get(&keys.key)
        .map(|(_, account)| account)
        .or_else(|| {
            accounts
                .values()
                .find(|(other, _)| other.folded == keys.folded || other.written == keys.written)
                .map(|(_, account)| account)
        })
}

impl Accounts for MemoryAccounts {
    fn lookup(&self, name: &str) -> Result<Lookup, AccountError> {
        let keys = AccountKeys::of(name);
        let accounts = self.accounts();
        Ok(match accounts.get(&keys.key) {
            Some((_, account)) => Lookup::Registered(account.clone()),
            None => match colliding(&accounts, &keys) {
                Some(account) => Lookup::LooksLike(account.name.clone()),
                None => Lookup::Free,
            },
        })
    }

    fn create(&self, account: &Account) -> Result<(), AccountError> {
        let keys = AccountKeys::of(&account.name);
        let mut accounts = self.accounts();
        if let Some(existing) = colliding(&accounts, &keys) {
            return Err(AccountError::Taken(existing.name.clone()));
        }
        accounts.insert(keys.key.clone(), (keys, account.clone()));
        Ok(())
    }

    fn set_hash(&self, name: &str, hash: &str) -> Result<bool, AccountError> {
        let key = AccountKeys::of(name).key;
        Ok(match self.accounts().get_mut(&key) {
            Some((_, account)) => {
                hash.clone_into(&mut account.hash);
                true
            }
            None => false,
        })
    }

    fn delete(&self, name: &str) -> Result<bool, AccountError> {
        let key = AccountKeys::of(name).key;
        Ok(self.accounts().remove(&key).is_some())
    }

    fn list(&self) -> Result<Vec<Account>, AccountError> {
        Ok(self
            .accounts()
            .values()
            .map(|(_, account)| account.clone())
            .collect())
    }
}
