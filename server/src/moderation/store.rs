//! The `bans` table, in the history's database file (`DIR/history.sqlite3`).
//!
//! It has a table of its own, created when missing, so that the history's format (its
//! `user_version`) is untouched: an older server opens the file and ignores the table.
//! Bans change rarely: each change is one statement on a connection of its own, from
//! the operator's session thread, never under a lock of the chat.
//!
//! `key` is the ban's target in a form that makes two spellings of it one ban (see
//! [`Target::key`]); `target` is how it is shown, and read back.

use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};
use std::time::Duration;

use rusqlite::{Connection, OpenFlags, OptionalExtension, params};

use super::bans::Ban;
use super::target::Target;
use crate::store::StoreError;

/// The table, created if missing.
const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS bans (
    key TEXT PRIMARY KEY,
    target TEXT NOT NULL,
    by_name TEXT NOT NULL,
    reason TEXT,
    since_ms INTEGER NOT NULL,
    until_ms INTEGER
) WITHOUT ROWID;
";

/// How long a write waits for the history's writer to let go of the file.
const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// The bans table of one database file.
#[derive(Debug)]
pub struct BanStore {
    file: PathBuf,
    conn: Mutex<Connection>,
}

impl BanStore {
    /// Opens the database `file` (the history's, already set up by its store) and
    /// creates the table if it is missing.
    pub fn open(file: &Path) -> Result<Self, StoreError> {
        let failed = |err| StoreError::sqlite(file, err);
        let conn = Connection::open(file).map_err(failed)?;
        conn.busy_timeout(BUSY_TIMEOUT).map_err(failed)?;
        conn.execute_batch(SCHEMA).map_err(failed)?;
        Ok(Self {
            file: file.to_path_buf(),
            conn: Mutex::new(conn),
        })
    }

    /// Every ban in the table, oldest first.
    pub fn load(&self) -> Result<Vec<Ban>, StoreError> {
        read_bans(&self.lock(), &self.file)
    }

    /// Writes `ban`, replacing the row of a ban on the same target.
    pub fn save(&self, ban: &Ban) -> Result<(), StoreError> {
        self.lock()
            .execute(
                "INSERT INTO bans (key, target, by_name, reason, since_ms, until_ms)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)
                 ON CONFLICT (key) DO UPDATE SET target = ?2, by_name = ?3, reason = ?4,
                     since_ms = ?5, until_ms = ?6",
                params![
                    ban.target.key(),
                    ban.target.to_string(),
                    ban.by,
                    ban.reason,
                    ban.since_ms,
                    ban.until_ms
                ],
            )
            .map(drop)
            .map_err(|err| StoreError::sqlite(&self.file, err))
    }

    /// Deletes the ban with `key`; returns whether there was one.
    pub fn delete(&self, key: &str) -> Result<bool, StoreError> {
        self.lock()
            .execute("DELETE FROM bans WHERE key = ?1", params![key])
            .map(|deleted| deleted > 0)
            .map_err(|err| StoreError::sqlite(&self.file, err))
    }

    fn lock(&self) -> MutexGuard<'_, Connection> {
        self.conn
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

/// The bans in the database `file`, read without writing anything (a server may be
/// running on it): for `chat-server bans list`. A file or table that does not exist
/// holds no bans.
pub fn read_offline(file: &Path) -> Result<Vec<Ban>, StoreError> {
    if !file.exists() {
        return Ok(Vec::new());
    }
    let failed = |err| StoreError::sqlite(file, err);
    let conn =
        Connection::open_with_flags(file, OpenFlags::SQLITE_OPEN_READ_ONLY).map_err(failed)?;
    conn.busy_timeout(BUSY_TIMEOUT).map_err(failed)?;
    let table: Option<String> = conn
        .query_row(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'bans'",
            [],
            |row| row.get(0),
        )
        .optional()
        .map_err(failed)?;
    match table {
        Some(_) => read_bans(&conn, file),
        None => Ok(Vec::new()),
    }
}

fn read_bans(conn: &Connection, file: &Path) -> Result<Vec<Ban>, StoreError> {
    let failed = |err| StoreError::sqlite(file, err);
    let mut statement = conn
        .prepare(
            "SELECT target, by_name, reason, since_ms, until_ms FROM bans
             ORDER BY since_ms, key",
        )
        .map_err(failed)?;
    let rows = statement
        .query_map([], |row| {
            Ok((
                row.get::<_, String>(0)?,
                row.get::<_, String>(1)?,
                row.get::<_, Option<String>>(2)?,
                row.get::<_, i64>(3)?,
                row.get::<_, Option<i64>>(4)?,
            ))
        })
        .map_err(failed)?;
    let mut bans = Vec::new();
    for row in rows {
        let (target, by, reason, since_ms, until_ms) = row.map_err(failed)?;
        match Target::parse(&target) {
            Ok(target) => bans.push(Ban {
                target,
                by,
                reason,
                since_ms,
                until_ms,
            }),
            Err(why) => tracing::warn!("{}: a ban is ignored: {why}", file.display()),
        }
    }
    Ok(bans)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ban(target: &str, until_ms: Option<i64>) -> Ban {
        Ban {
            target: Target::parse(target).unwrap(),
            by: "root_op".into(),
            reason: Some("spam".into()),
            since_ms: 1_000,
            until_ms,
        }
    }

    #[test]
    fn bans_are_read_back_after_reopening_and_offline() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("history.sqlite3");
        let store = BanStore::open(&file).unwrap();
        store.save(&ban("2001:db8::/48", None)).unwrap();
        store.save(&ban("Mallory", Some(9_000))).unwrap();
        store.save(&ban("mallory", Some(8_000))).unwrap();
        store
            .delete(&Target::parse("2001:db8::/48").unwrap().key())
            .unwrap();
        drop(store);
        let again = BanStore::open(&file).unwrap().load().unwrap();
        assert_eq!(again, vec![ban("mallory", Some(8_000))]);
        assert_eq!(read_offline(&file).unwrap(), again);
    }

    #[test]
    fn a_missing_file_or_table_holds_no_bans() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("history.sqlite3");
        assert!(read_offline(&file).unwrap().is_empty());
        Connection::open(&file)
            .unwrap()
            .execute_batch("CREATE TABLE other (x)")
            .unwrap();
        assert!(read_offline(&file).unwrap().is_empty());
    }
}
