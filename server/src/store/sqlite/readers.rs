//! Read-only connections for the reading threads. WAL lets them read beside the writer,
//! each from the last commit it saw, without waiting for it.

use std::path::PathBuf;
use std::sync::{Mutex, PoisonError};
use std::time::Duration;

use rusqlite::{Connection, OpenFlags};

use crate::store::StoreError;

/// Idle connections kept for the next reads; more are opened when more threads read at
/// once, and closed after.
const MAX_IDLE: usize = 4;

/// A small pool of read-only connections to the database.
#[derive(Debug)]
pub(super) struct Readers {
    /// The database file.
    file: PathBuf,
    /// Connections not in use.
    idle: Mutex<Vec<Connection>>,
}

impl Readers {
    /// A pool for `file`, opening connections as they are needed.
    pub fn new(file: PathBuf) -> Self {
        Self {
            file,
            idle: Mutex::new(Vec::new()),
        }
    }

    /// Runs `read` on a connection of the pool; an error names the file.
    pub fn with<T>(
        &self,
        read: impl FnOnce(&Connection) -> rusqlite::Result<T>,
    ) -> Result<T, StoreError> {
        let idle = self
            .idle
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .pop();
        let conn = match idle {
            Some(conn) => conn,
            None => self
                .open()
                .map_err(|err| StoreError::sqlite(&self.file, err))?,
        };
        let result = read(&conn).map_err(|err| StoreError::sqlite(&self.file, err));
        let mut idle = self.idle.lock().unwrap_or_else(PoisonError::into_inner);
        if idle.len() < MAX_IDLE {
            idle.push(conn);
        }
        result
    }

    /// Closes the idle connections (at shutdown, so that the last one out tidies the
    /// write-ahead log away).
    pub fn close_idle(&self) {
        self.idle
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clear();
    }

    /// A new read-only connection.
    fn open(&self) -> rusqlite::Result<Connection> {
        let conn = Connection::open_with_flags(
            &self.file,
            OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?;
        conn.busy_timeout(Duration::from_secs(5))?;
        Ok(conn)
    }
}
