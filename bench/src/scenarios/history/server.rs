//! The release server binary with history on: how many posted messages per second reach
//! the disk, how many a `kill -9` right after a burst loses, and how long the server takes
//! to start on a big history. What was kept is counted in the database afterwards.

use std::path::Path;
use std::time::Instant;

use anyhow::{Context, Result};
use rusqlite::Connection;
use serde::Serialize;

use super::burst::{self, Burst};
use crate::server_process::ServerProcess;

/// The stored code of a room message (`kind` column; part of the file format).
const MESSAGE_KIND: i64 = 1;

/// Messages kept out of a burst.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct Persisted {
    /// Connections posting.
    pub senders: usize,
    /// Messages per second per connection (0: as fast as allowed).
    pub rate: f64,
    /// Messages posted.
    pub sent: u64,
    /// Messages found in the database afterwards.
    pub kept: u64,
    /// From the first post to the last echo, in seconds.
    pub seconds: f64,
    /// From the last echo until the server had exited (a graceful stop writes what is
    /// still queued), in seconds; 0 for a kill.
    pub stop_seconds: f64,
    /// `kept` ÷ (`seconds` + `stop_seconds`): messages on disk per second, counting the
    /// time to write the queue's tail.
    pub per_second: f64,
    /// Messages posted and not kept.
    pub lost: u64,
    /// The same as milliseconds of this burst's posting.
    pub lost_ms: f64,
}

/// Posts `messages` from each of `senders` connections, `rate` a second each (0: as fast
/// as allowed), to a server keeping history in `dir`, stops it gracefully (or with
/// SIGKILL right after the last echo, if `kill`) and counts the messages kept.
pub fn persist(
    binary: &Path,
    dir: &Path,
    (senders, messages, rate): (usize, u64, f64),
    kill: bool,
) -> Result<Persisted> {
    let server = start(binary, dir, senders)?;
    let Burst { sent, seconds } = burst::run(server.addr(), senders, messages, rate)?;
    let stopping = Instant::now();
    if kill {
        server.kill()?;
    } else {
        server.stop()?;
    }
    let stop_seconds = if kill {
        0.0
    } else {
        stopping.elapsed().as_secs_f64()
    };
    let kept = count_messages(dir)?;
    let lost = sent.saturating_sub(kept);
    Ok(Persisted {
        senders,
        rate,
        sent,
        kept,
        seconds,
        stop_seconds,
        per_second: kept as f64 / (seconds + stop_seconds),
        lost,
        lost_ms: lost as f64 * 1e3 * seconds / sent.max(1) as f64,
    })
}

/// How long the server takes from its start to `listening on` with the history in
/// `dir`, in milliseconds; stops it again.
pub fn startup_ms(binary: &Path, dir: &Path) -> Result<f64> {
    let begun = Instant::now();
    let server = start(binary, dir, 1)?;
    let elapsed = begun.elapsed().as_secs_f64() * 1e3;
    server.stop()?;
    Ok(elapsed)
}

/// Starts `binary` with its history in `dir`, for `clients` clients.
fn start(binary: &Path, dir: &Path, clients: usize) -> Result<ServerProcess> {
    let dir = dir.to_str().context("the data directory is not UTF-8")?;
    ServerProcess::start(binary, clients, &["--data-dir".to_owned(), dir.to_owned()])
}

/// Room messages in the database in `dir`, read after the server is gone. Opened for
/// writing, as a restarted server would: after a kill, SQLite first recovers the log.
fn count_messages(dir: &Path) -> Result<u64> {
    let file = dir.join(chat_server::store::DB_FILE);
    let conn =
        Connection::open(&file).with_context(|| format!("cannot open {}", file.display()))?;
    let count: i64 = conn.query_row(
        "SELECT count(*) FROM events WHERE kind = ?1",
        [MESSAGE_KIND],
        |row| row.get(0),
    )?;
    Ok(count as u64)
}
