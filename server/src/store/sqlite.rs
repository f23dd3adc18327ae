//! [`SqliteHistory`]: the embedded store, one SQLite file in the data directory.
//!
//! Who does what: the chat threads only queue events ([`History::append`]) into a
//! bounded channel; one writer thread (`writer`) drains it and commits in batches;
//! reading threads use a small pool of read-only connections (`readers`, `read`). What
//! they share while running is in `live`; the tables are described in `schema`.

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, SyncSender, TrySendError};
use std::sync::{Arc, Mutex, PoisonError};
use std::thread::{self, JoinHandle};

use rusqlite::Connection;
use tracing::error;

use super::epoch::fresh_epoch;
use super::search::fts_query;
use super::{
    History, HistoryStats, Page, Position, Retention, RoomCursor, StoreError, StoredEvent,
};

mod codes;
mod insert;
mod live;
pub(crate) mod lock;
mod losses;
mod read;
mod readers;
mod retention;
mod schema;
mod writer;

#[cfg(test)]
mod tests;

use live::Live;
use lock::DirLock;
use readers::Readers;
use schema::Refusal;
use writer::{Command, Writer};

/// The database's file name in the data directory.
pub const DB_FILE: &str = "history.sqlite3";

/// The lock file's name in the data directory.
pub const LOCK_FILE: &str = "history.lock";

/// How the store is sized; the defaults suit a server of thousands of clients.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Tuning {
    /// Events that may wait for the writer. Past this, new events are dropped (and
    /// marked as a gap) rather than slowing the chat down. The default holds about a
    /// second of the busiest chat this machine can carry, to ride out a slow disk.
    pub queue_capacity: usize,
    /// Largest size the database may reach, in bytes; past it, writes fail as on a full
    /// disk. `None` lets it grow as far as the disk allows.
    pub max_bytes: Option<u64>,
}

impl Default for Tuning {
    fn default() -> Self {
        Self {
            queue_capacity: 16_384,
            max_bytes: None,
        }
    }
}

/// The history in an SQLite database in the data directory (see the module
/// documentation of [`crate::store`] for what is stored and how it fails).
#[derive(Debug)]
pub struct SqliteHistory {
    /// The database file.
    file: PathBuf,
    /// The writer's queue.
    queue: SyncSender<Command>,
    /// The writer thread, until closed.
    writer: Mutex<Option<JoinHandle<()>>>,
    /// Set when closing begins: appends from then on are dropped at once.
    closed: AtomicBool,
    /// What the chat threads, readers and the writer share.
    live: Arc<Live>,
    /// Connections for reading.
    readers: Readers,
    /// Keeps other servers out of the directory while the store is open.
    _lock: DirLock,
}

impl SqliteHistory {
    /// Opens (or creates) the history in `dir`, created if missing, with the default
    /// [`Tuning`].
    pub fn open(dir: &Path, retention: Retention) -> Result<Self, StoreError> {
        Self::open_with(dir, retention, Tuning::default())
    }

    /// Opens (or creates) the history in `dir` with `tuning`. Fails, naming the file, if
    /// the directory cannot be created or locked, or the database cannot be read, written
    /// or understood. Reads only the small tables: fast whatever the history's size.
    pub fn open_with(dir: &Path, retention: Retention, tuning: Tuning) -> Result<Self, StoreError> {
        fs::create_dir_all(dir).map_err(|source| StoreError::CreateDir {
            dir: dir.to_path_buf(),
            source,
        })?;
        let lock = DirLock::acquire(&dir.join(LOCK_FILE))?;
        let file = dir.join(DB_FILE);
        let failed = |err| StoreError::sqlite(&file, err);
        let mut conn = Connection::open(&file).map_err(failed)?;
        schema::prepare(&mut conn, tuning.max_bytes).map_err(|refusal| match refusal {
            Refusal::Sqlite(err) => StoreError::sqlite(&file, err),
            Refusal::Foreign => StoreError::Foreign { file: file.clone() },
            Refusal::TooNew(found) => StoreError::TooNew {
                file: file.clone(),
                found,
                supported: schema::VERSION,
            },
        })?;
        let live = Arc::new(Live::default());
        let writer = Writer::new(conn, file.clone(), Arc::clone(&live), retention)
            .map_err(|err| StoreError::sqlite(&file, err))?;
        let (queue, commands) = mpsc::sync_channel(tuning.queue_capacity.max(1));
        let handle = thread::Builder::new()
            .name("history-writer".to_owned())
            .spawn(move || writer.run(commands))
            .map_err(|source| StoreError::Thread { source })?;
        Ok(Self {
            readers: Readers::new(file.clone()),
            file,
            queue,
            writer: Mutex::new(Some(handle)),
            closed: AtomicBool::new(false),
            live,
            _lock: lock,
        })
    }

    /// The database file, for the startup log.
    pub fn file(&self) -> &Path {
        &self.file
    }

    /// Waits for the writer if `room_key` has events queued, so that a read sees
    /// everything already sent to clients.
    fn settle(&self, room_key: &str) {
        if self.live.room(room_key).is_some_and(|room| room.queued > 0) {
            self.flush();
        }
    }
}

impl History for SqliteHistory {
    fn room_cursor(&self, room_key: &str) -> Result<RoomCursor, StoreError> {
        if let Some(room) = self.live.room(room_key) {
            return Ok(room.cursor);
        }
        let stored = self.readers.with(|conn| read::cursor(conn, room_key))?;
        let cursor = stored.unwrap_or_else(|| RoomCursor {
            epoch: fresh_epoch(),
            last_seq: 0,
        });
        Ok(self.live.adopt(room_key, cursor))
    }

    fn append(&self, event: StoredEvent) {
        self.live.queueing(&event);
        let refused = if self.closed.load(Ordering::Acquire) {
            Some(event)
        } else {
            match self.queue.try_send(Command::Event(Box::new(event))) {
                Ok(()) => None,
                Err(TrySendError::Full(command) | TrySendError::Disconnected(command)) => {
                    match command {
                        Command::Event(event) => Some(*event),
                        Command::Flush(_) | Command::Close(_) => None,
                    }
                }
            }
        };
        if let Some(event) = refused {
            self.live.handled(&event.room_key, 1);
            self.live.lost(&event);
        }
    }

    fn after(
        &self,
        room_key: &str,
        epoch: u64,
        after_seq: u64,
        limit: usize,
    ) -> Result<Page, StoreError> {
        self.settle(room_key);
        let last_seq = self
            .live
            .room(room_key)
            .filter(|room| room.cursor.epoch == epoch)
            .map(|room| room.cursor.last_seq);
        self.readers
            .with(|conn| read::after(conn, room_key, epoch, after_seq, limit, last_seq))
    }

    fn before(
        &self,
        room_key: &str,
        before: Option<Position>,
        limit: usize,
        not_older_than_ms: Option<i64>,
    ) -> Result<Page, StoreError> {
        self.settle(room_key);
        self.readers
            .with(|conn| read::before(conn, room_key, before, limit, not_older_than_ms))
    }

    fn find_nonce(&self, sender_key: &str, nonce: &str) -> Result<Option<StoredEvent>, StoreError> {
        if self.live.anything_queued() {
            self.flush();
        }
        self.readers
            .with(|conn| read::find_nonce(conn, sender_key, nonce))
    }

    /// Waits for what is queued first, so that a message just sent is found.
    fn search(
        &self,
        words: &str,
        rooms: &[String],
        private_party: Option<&str>,
        limit: usize,
    ) -> Result<Vec<StoredEvent>, StoreError> {
        let Some(query) = fts_query(words) else {
            return Ok(Vec::new());
        };
        if self.live.anything_queued() {
            self.flush();
        }
        self.readers
            .with(|conn| read::search(conn, &query, rooms, private_party, limit))
    }

    fn flush(&self) {
        let (done, wait) = mpsc::channel();
        if self.queue.send(Command::Flush(done)).is_ok() {
            // An error means the writer is gone: nothing is left to wait for.
            let _ = wait.recv();
        }
    }

    fn close(&self) {
        let handle = self
            .writer
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .take();
        let Some(handle) = handle else {
            return;
        };
        self.closed.store(true, Ordering::Release);
        let (done, wait) = mpsc::channel();
        if self.queue.send(Command::Close(done)).is_ok() {
            let _ = wait.recv();
        }
        if handle.join().is_err() {
            error!(file = %self.file.display(), "history: the writer thread panicked");
        }
        self.readers.close_idle();
    }

    fn stats(&self) -> HistoryStats {
        self.live.stats()
    }
}

impl Drop for SqliteHistory {
    fn drop(&mut self) {
        self.close();
    }
}
