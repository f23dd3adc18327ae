//! The history store: every room event and private message, kept on disk so that a
//! client can page back through a room, resume after a reconnect (even across a
//! restart), find a message it already sent, and search what was said.
//!
//! # For operators: what is stored where
//!
//! With `--data-dir DIR` (created if missing) the server keeps:
//!
//! - `DIR/history.sqlite3`: an SQLite database in WAL mode, with its companions
//!   `history.sqlite3-wal` and `history.sqlite3-shm` while the server runs. Back it up with
//!   `sqlite3 DIR/history.sqlite3 ".backup copy.sqlite3"`, not by copying the file under a
//!   running server. It holds every event of every room (messages, actions, joins, leaves,
//!   renames, topics, presence summaries) with the exact line the server sent, and the
//!   private messages, each filed under the conversation of its two parties (see
//!   [`conversation_key`]): only those two are ever shown them. A full-text index of what
//!   people wrote sits in the same file.
//! - `DIR/history.lock`: held while a server uses `DIR`, so that a second server on the
//!   same directory stops at startup with a clear error instead of mixing two histories.
//!
//! Writes go through one writer thread that commits many events per transaction; the
//! chat never waits for the disk. A graceful shutdown (SIGINT, SIGTERM) writes everything
//! before it exits. A crash or `kill -9` loses at most what was queued but not yet
//! committed (see BENCHMARKS.md for how much that is). A commit survives a crash of the
//! process, not a power loss (`synchronous=NORMAL`).
//!
//! Retention (`--history-days`, `--history-max-messages` per room or conversation) is
//! applied by the writer in small batches. Deleted rows leave free pages that later events
//! reuse: the file stops growing, it does not shrink (`VACUUM` offline shrinks it).
//!
//! When events cannot be kept (the disk is full or failing, or the queue to the writer
//! is full), live chat goes on: the loss is logged and counted, and the room's history
//! gets a [`EventKind::Gap`] event at the place of the missing events as soon as the
//! writer can write again. A startup after a crash gives every room a new *epoch* (see
//! [`RoomCursor`]), since the last moment of any room may be missing.
//!
//! A startup fails with an error that names the file when the database is unreadable,
//! not a database, corrupt, read-only or from a newer server; it never starts with an
//! empty history in place of one it could not read.
//!
//! `--no-history` runs the server with [`NoHistory`]: nothing is written, nothing
//! survives a restart.
//!
//! # For developers
//!
//! Sessions and rooms use the store only through the [`History`] trait, so that another
//! backend (a distributed log, say) can be added without touching them. [`SqliteHistory`]
//! is the embedded default.

mod epoch;
mod error;
mod event;
mod none;
mod retention;
mod search;
pub(crate) mod sqlite;

pub use error::StoreError;
pub use event::{
    EventKind, HistoryStats, Page, Position, RoomCursor, StoredEvent, conversation_key,
    conversation_parties,
};
pub use none::NoHistory;
pub use retention::Retention;
pub use sqlite::{DB_FILE, LOCK_FILE, SqliteHistory, Tuning};

/// What sessions and rooms need from a history store, and no more: a room's position,
/// recording events, reading them back in both directions, finding a repeated message,
/// and search. Kept this small so that a second backend stays a small job.
///
/// Every method may be called from any thread. [`History::append`] never blocks and may
/// be called under the room lock (that is how events of one room reach the store in
/// order). Every other method may block on the disk: call them from a session's thread,
/// never under the room lock.
pub trait History: Send + Sync + std::fmt::Debug {
    /// Where the stream of `room_key` (a room key, or a [`conversation_key`]) stands: its
    /// epoch and the `seq` of its last event, including events still queued. A room never
    /// seen gets a fresh epoch and `last_seq` 0. The answer is the same for the whole run
    /// of the server, apart from `last_seq` growing; a room that is emptied and created
    /// again in one run continues its stream. The first call for a key may read the
    /// disk; later ones in the same run answer from memory, so a caller that asked once
    /// outside the room lock may ask again under it.
    fn room_cursor(&self, room_key: &str) -> Result<RoomCursor, StoreError>;

    /// Queues `event` for the disk and returns at once. If it cannot be kept (queue full,
    /// disk failing, store closed) it is dropped and counted, and its room's history
    /// marks the gap. Events of one room must be appended in `seq` order.
    fn append(&self, event: StoredEvent);

    /// Up to `limit` events of `room_key` in `epoch` after `after_seq`, oldest first: what
    /// a client missed. Events still queued are written first, so a resume sees
    /// everything already sent. Only that epoch is read: a client whose epoch is not the
    /// room's current one (see [`History::room_cursor`]) cannot resume and must reload.
    /// Events missing from the disk (lost, or removed by retention) show as an
    /// [`EventKind::Gap`].
    fn after(
        &self,
        room_key: &str,
        epoch: u64,
        after_seq: u64,
        limit: usize,
    ) -> Result<Page, StoreError>;

    /// The newest `limit` events of `room_key` before `before` (or the newest of all, when
    /// `None`), returned oldest first: a join's recent history, then scrolling back. It
    /// reads across epochs, so `before` is a whole [`Position`]: a `seq` alone can repeat
    /// in two epochs. `not_older_than_ms` stops at the first event older than that time.
    fn before(
        &self,
        room_key: &str,
        before: Option<Position>,
        limit: usize,
        not_older_than_ms: Option<i64>,
    ) -> Result<Page, StoreError>;

    /// The message the sender with name key `sender_key` already posted with this client
    /// nonce, if any: a client that repeats a message after a reconnect (or a restart) is
    /// answered with the original instead of posting it twice.
    fn find_nonce(&self, sender_key: &str, nonce: &str) -> Result<Option<StoredEvent>, StoreError>;

    /// Up to `limit` messages, newest first, containing every one of `words` (taken as
    /// plain words: quotes, `*`, `NEAR` or SQL are never syntax), in the rooms whose keys
    /// are in `rooms` and in the private conversations of the name key `private_party`.
    fn search(
        &self,
        words: &str,
        rooms: &[String],
        private_party: Option<&str>,
        limit: usize,
    ) -> Result<Vec<StoredEvent>, StoreError>;

    /// Waits until everything appended before this call is on disk (or counted as
    /// dropped): for tests, and for a caller that needs its last events durable.
    fn flush(&self);

    /// Writes everything queued, marks the store cleanly closed and stops the writer:
    /// the graceful shutdown. Later appends are dropped and counted. Idempotent; dropping
    /// the store does it too.
    fn close(&self);

    /// What the store has done so far, for the logs and for tests.
    fn stats(&self) -> HistoryStats;
}
