//! Accounts in the data directory's database, beside the history (`history.sqlite3`).
//!
//! The `accounts` table is created with `CREATE TABLE IF NOT EXISTS` by this module,
//! not by the history's schema: the history's format version (`PRAGMA user_version`)
//! stays 1, a data directory from before accounts simply gains the table, and other
//! tables added the same way (bans, say) never collide over that number. A server older
//! than accounts ignores the table. The table is only ever created in a file the
//! history store has already set up (or checked), so a foreign file is never touched.
//!
//! One row per account: `key` (the [`name_key`](chat_shared::name::name_key), primary
//! key), `name` as registered, `folded` and `written` (its look-alike claims, each
//! unique, so that no two accounts look alike), `hash` (argon2id, PHC string),
//! `created_ms` and `changed_ms` (Unix epoch milliseconds).
//!
//! One connection, behind a lock taken alone and held for one statement or one short
//! transaction: accounts are read at logins and written at registrations, rarely
//! enough that a pool would only add threads. SQLite's busy timeout covers the moments
//! the history's writer holds the file.

use std::path::{Path, PathBuf};
use std::sync::{Mutex, PoisonError};
use std::time::Duration;

use rusqlite::{Connection, OpenFlags, OptionalExtension, params};

use super::{Account, AccountError, AccountKeys, Accounts, Lookup};

/// The table, created if missing.
const TABLE: &str = "
CREATE TABLE IF NOT EXISTS accounts (
    key TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    folded TEXT NOT NULL UNIQUE,
    written TEXT NOT NULL UNIQUE,
    hash TEXT NOT NULL,
    created_ms INTEGER NOT NULL,
    changed_ms INTEGER NOT NULL
) WITHOUT ROWID;
";

/// How long a statement waits for another connection (the history's writer, or another
/// process) to release the file.
const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// Accounts in an SQLite database file.
#[derive(Debug)]
pub struct SqliteAccounts {
    /// The database file, for error messages.
    file: PathBuf,
    /// The one connection.
    conn: Mutex<Connection>,
}

impl SqliteAccounts {
    /// Opens the accounts in `file`, a database the history store has set up, creating
    /// the table if it is missing.
    pub fn open(file: &Path) -> Result<Self, AccountError> {
        let failed = |err: rusqlite::Error| store_error(file, &err);
        let conn = Connection::open(file).map_err(failed)?;
        conn.busy_timeout(BUSY_TIMEOUT).map_err(failed)?;
        conn.execute_batch(TABLE).map_err(failed)?;
        Ok(Self {
            file: file.to_path_buf(),
            conn: Mutex::new(conn),
        })
    }

    /// Opens the accounts in `file` for reading only, creating nothing: for listing
    /// them while a server may be running. A file without the table has no accounts.
    pub fn open_read_only(file: &Path) -> Result<Self, AccountError> {
        let failed = |err: rusqlite::Error| store_error(file, &err);
        let conn =
            Connection::open_with_flags(file, OpenFlags::SQLITE_OPEN_READ_ONLY).map_err(failed)?;
        conn.busy_timeout(BUSY_TIMEOUT).map_err(failed)?;
        Ok(Self {
            file: file.to_path_buf(),
            conn: Mutex::new(conn),
        })
    }

    /// The database file.
    pub fn file(&self) -> &Path {
        &self.file
    }

    fn with<T>(
        &self,
        work: impl FnOnce(&mut Connection) -> rusqlite::Result<T>,
    ) -> Result<T, AccountError> {
        let mut conn = self.conn.lock().unwrap_or_else(PoisonError::into_inner);
        work(&mut conn).map_err(|err| store_error(&self.file, &err))
    }

    fn has_table(conn: &Connection) -> rusqlite::Result<bool> {
        conn.query_row(
            "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'accounts'",
            [],
            |row| row.get::<_, i64>(0),
        )
        .map(|count| count > 0)
    }
}

fn store_error(file: &Path, err: &rusqlite::Error) -> AccountError {
    AccountError::Store(format!("{}: {err}", file.display()))
}

fn now_ms() -> i64 {
    jiff::Timestamp::now().as_millisecond()
}

fn account(row: &rusqlite::Row<'_>) -> rusqlite::Result<Account> {
    Ok(Account {
        name: row.get(0)?,
        hash: row.get(1)?,
        created_ms: row.get(2)?,
    })
}

/// The name of the account that `keys` collides with, if any.
fn colliding(conn: &Connection, keys: &AccountKeys) -> rusqlite::Result<Option<String>> {
    conn.query_row(
        "SELECT name FROM accounts WHERE key = ?1 OR folded = ?2 OR written = ?3
         ORDER BY key = ?1 DESC LIMIT 1",
        params![keys.key, keys.folded, keys.written],
        |row| row.get(0),
    )
    .optional()
}

impl Accounts for SqliteAccounts {
    fn lookup(&self, name: &str) -> Result<Lookup, AccountError> {
        let keys = AccountKeys::of(name);
        self.with(|conn| {
            if !Self::has_table(conn)? {
                return Ok(Lookup::Free);
            }
            let own = conn
                .query_row(
                    "SELECT name, hash, created_ms FROM accounts WHERE key = ?1",
                    [&keys.key],
                    account,
                )
                .optional()?;
            Ok(match own {
                Some(account) => Lookup::Registered(account),
                None => colliding(conn, &keys)?.map_or(Lookup::Free, Lookup::LooksLike),
            })
        })
    }

    fn create(&self, new: &Account) -> Result<(), AccountError> {
        let keys = AccountKeys::of(&new.name);
        let taken = self.with(|conn| {
            let tx = conn.transaction()?;
            if let Some(existing) = colliding(&tx, &keys)? {
                return Ok(Some(existing));
            }
            tx.execute(
                "INSERT INTO accounts (key, name, folded, written, hash, created_ms, changed_ms)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6)",
                params![
                    keys.key,
                    new.name,
                    keys.folded,
                    keys.written,
                    new.hash,
                    new.created_ms
                ],
            )?;
            tx.commit()?;
            Ok(None)
        })?;
        match taken {
            Some(existing) => Err(AccountError::Taken(existing)),
            None => Ok(()),
        }
    }

    fn set_hash(&self, name: &str, hash: &str) -> Result<bool, AccountError> {
        let key = AccountKeys::of(name).key;
        self.with(|conn| {
            conn.execute(
                "UPDATE accounts SET hash = ?2, changed_ms = ?3 WHERE key = ?1",
                params![key, hash, now_ms()],
            )
            .map(|changed| changed > 0)
        })
    }

    fn delete(&self, name: &str) -> Result<bool, AccountError> {
        let key = AccountKeys::of(name).key;
        self.with(|conn| {
            conn.execute("DELETE FROM accounts WHERE key = ?1", [key])
                .map(|changed| changed > 0)
        })
    }

    fn list(&self) -> Result<Vec<Account>, AccountError> {
        self.with(|conn| {
            if !Self::has_table(conn)? {
                return Ok(Vec::new());
            }
            conn.prepare("SELECT name, hash, created_ms FROM accounts ORDER BY key")?
                .query_map([], account)?
                .collect()
        })
    }
}
