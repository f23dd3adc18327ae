//! The database's tables, their version, and what a startup checks: the format, and
//! whether the last run ended cleanly.
//!
//! - `rooms`: one row per room or private conversation: its key, last name, current
//!   generation and epoch, last `seq`, number of stored events, and for a conversation its
//!   two parties (indexed, for search). The writer keeps it up to date, so that a startup
//!   reads positions without touching the events.
//! - `epochs`: each generation of a room's stream and its epoch. A room starts at
//!   generation 1; a new epoch (after a crash) starts the next one. Events are ordered by
//!   (generation, `seq`): `seq` alone may repeat after a crash.
//! - `events`: every event, in insertion order (`id`). Unique per (room, generation,
//!   `seq`), which is also the index for paging; nonces are indexed by sender.
//! - `events_fts`: the full-text index of what people wrote, an external-content FTS5
//!   table over `events.text`: the text is stored once, in `events`.
//! - `meta`: `clean` is 1 while no server runs on the file after a graceful shutdown, and
//!   0 while one runs (or after it crashed).

use rusqlite::{Connection, OptionalExtension, params};
use tracing::warn;

use crate::store::epoch::fresh_epoch;

/// The format this server writes (`PRAGMA user_version`); 0 is a file not yet set up.
pub(super) const VERSION: i64 = 1;

/// The tables and indexes of format [`VERSION`].
const SCHEMA: &str = "
CREATE TABLE meta (
    key TEXT PRIMARY KEY,
    value INTEGER NOT NULL
) WITHOUT ROWID;
INSERT INTO meta (key, value) VALUES ('clean', 1);
CREATE TABLE rooms (
    id INTEGER PRIMARY KEY,
    key TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    gen INTEGER NOT NULL,
    epoch INTEGER NOT NULL,
    last_seq INTEGER NOT NULL,
    stored INTEGER NOT NULL,
    party_a TEXT,
    party_b TEXT
);
CREATE INDEX rooms_party_a ON rooms (party_a) WHERE party_a IS NOT NULL;
CREATE INDEX rooms_party_b ON rooms (party_b) WHERE party_b IS NOT NULL;
CREATE TABLE epochs (
    room_id INTEGER NOT NULL,
    gen INTEGER NOT NULL,
    epoch INTEGER NOT NULL,
    PRIMARY KEY (room_id, gen)
) WITHOUT ROWID;
CREATE TABLE events (
    id INTEGER PRIMARY KEY,
    room_id INTEGER NOT NULL,
    gen INTEGER NOT NULL,
    seq INTEGER NOT NULL,
    time_ms INTEGER NOT NULL,
    kind INTEGER NOT NULL,
    from_name TEXT,
    to_name TEXT,
    text TEXT,
    nonce TEXT,
    sender_key TEXT,
    frame TEXT NOT NULL,
    through_seq INTEGER
);
CREATE UNIQUE INDEX events_position ON events (room_id, gen, seq);
CREATE INDEX events_nonce ON events (sender_key, nonce) WHERE nonce IS NOT NULL;
CREATE VIRTUAL TABLE events_fts USING fts5 (
    text,
    content = 'events',
    content_rowid = 'id',
    tokenize = 'unicode61 remove_diacritics 2'
);
";

/// What a startup found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Startup {
    /// The file was new (or empty): a history starts here.
    pub created: bool,
    /// The last run did not end with a graceful shutdown.
    pub unclean: bool,
    /// Rooms given a new epoch because of that.
    pub rooms_bumped: usize,
}

/// Why a file cannot be used, beyond SQLite's own errors.
#[derive(Debug)]
pub(super) enum Refusal {
    /// SQLite failed.
    Sqlite(rusqlite::Error),
    /// An SQLite file without our tables.
    Foreign,
    /// A newer format.
    TooNew(i64),
}

impl From<rusqlite::Error> for Refusal {
    fn from(err: rusqlite::Error) -> Self {
        Self::Sqlite(err)
    }
}

/// Sets the writer's connection up (WAL, `synchronous=NORMAL`, an optional page limit),
/// creates the tables in a new file, checks the format of an old one, and marks the
/// store as running, first giving every room a new epoch if the last run crashed.
/// Reads only the small tables: startup time does not grow with the history.
pub(super) fn prepare(conn: &mut Connection, max_bytes: Option<u64>) -> Result<Startup, Refusal> {
    conn.busy_timeout(std::time::Duration::from_secs(5))?;
    conn.query_row("PRAGMA journal_mode = WAL", [], |row| {
        row.get::<_, String>(0)
    })?;
    conn.execute_batch("PRAGMA synchronous = NORMAL")?;
    if let Some(bytes) = max_bytes {
        let page_size: i64 = conn.query_row("PRAGMA page_size", [], |row| row.get(0))?;
        let pages = (bytes / page_size.max(1) as u64).max(1);
        conn.query_row(&format!("PRAGMA max_page_count = {pages}"), [], |_| Ok(()))?;
    }
    let tx = conn.transaction()?;
    let version: i64 = tx.query_row("PRAGMA user_version", [], |row| row.get(0))?;
    let created = match version {
        0 => {
            let tables: i64 =
                tx.query_row("SELECT count(*) FROM sqlite_master", [], |row| row.get(0))?;
            if tables > 0 {
                return Err(Refusal::Foreign);
            }
            tx.execute_batch(SCHEMA)?;
            tx.execute_batch(&format!("PRAGMA user_version = {VERSION}"))?;
            true
        }
        VERSION => false,
        newer if newer > VERSION => return Err(Refusal::TooNew(newer)),
        _ => return Err(Refusal::Foreign),
    };
    let clean: Option<i64> = tx
        .query_row("SELECT value FROM meta WHERE key = 'clean'", [], |row| {
            row.get(0)
        })
        .optional()?;
    let unclean = clean != Some(1);
    let rooms_bumped = if unclean { bump_every_epoch(&tx)? } else { 0 };
    tx.execute(
        "INSERT INTO meta (key, value) VALUES ('clean', 0)
         ON CONFLICT (key) DO UPDATE SET value = 0",
        [],
    )?;
    tx.commit()?;
    if unclean {
        warn!(
            rooms = rooms_bumped,
            "history: the last run did not shut down cleanly; every room gets a new epoch, \
             so that clients reload instead of resuming past events that may be lost"
        );
    }
    Ok(Startup {
        created,
        unclean,
        rooms_bumped,
    })
}

/// Starts a new generation, with a fresh epoch, for every room. After a crash any room's
/// last events may have been sent to clients but never committed, and the store cannot
/// tell which rooms: all of them, so that no client resumes across a hole. One row per
/// room, never a scan of the events.
fn bump_every_epoch(tx: &rusqlite::Transaction<'_>) -> rusqlite::Result<usize> {
    let rooms: Vec<(i64, i64)> = tx
        .prepare("SELECT id, gen FROM rooms")?
        .query_map([], |row| Ok((row.get(0)?, row.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let mut update = tx.prepare("UPDATE rooms SET gen = ?2, epoch = ?3 WHERE id = ?1")?;
    let mut insert = tx.prepare("INSERT INTO epochs (room_id, gen, epoch) VALUES (?1, ?2, ?3)")?;
    for &(id, generation) in &rooms {
        let epoch = i64::try_from(fresh_epoch()).unwrap_or(1);
        update.execute(params![id, generation + 1, epoch])?;
        insert.execute(params![id, generation + 1, epoch])?;
    }
    Ok(rooms.len())
}

/// Records a graceful shutdown: the next startup keeps every epoch.
pub(super) fn mark_clean(conn: &Connection) -> rusqlite::Result<()> {
    conn.execute("UPDATE meta SET value = 1 WHERE key = 'clean'", [])?;
    Ok(())
}
