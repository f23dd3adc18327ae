//! The history store measured alone, through the `chat_server` library: how fast it
//! takes events, how big they are on disk, how long it takes to open, and how long a
//! replay, a resume and a search take once it holds many messages. No sockets: what is
//! timed is the store's own work, the part of the server that depends on history size.

use std::fs;
use std::path::Path;
use std::time::Instant;

use anyhow::{Result, bail};
use chat_server::store::{EventKind, History, Retention, SqliteHistory, StoredEvent, Tuning};
use chat_shared::frame::ServerFrame;
use hdrhistogram::Histogram;

use super::words::Words;
use crate::report::Latency;

/// Events the bulk fill hands to the writer between two flushes: within its queue.
const FILL_BATCH: usize = 8192;

/// The writer's queue during the fill: room for one batch and the next.
const FILL_QUEUE: usize = 2 * FILL_BATCH;

/// Messages a join replays (the server's recent history on entering a room).
const REPLAY: usize = 50;

/// Messages a resume reads at most (the server's cap).
const RESUME: usize = 1000;

/// Matches a search returns (the server's cap).
const SEARCH_MATCHES: usize = 50;

/// What the store-alone part measured.
#[derive(Debug, Clone, serde::Serialize)]
pub struct StoreFigures {
    /// Messages written by the bulk fill.
    pub messages: u64,
    /// Rooms they were spread over.
    pub rooms: usize,
    /// Messages per second through `append` and `flush`.
    pub appends_per_second: f64,
    /// Events the store dropped during the fill (must be 0).
    pub dropped: u64,
    /// Database, WAL and shared-memory files after a clean close, in bytes.
    pub disk_bytes: u64,
    /// `disk_bytes` per message.
    pub bytes_per_message: f64,
    /// Time to open the filled store, in milliseconds.
    pub open_ms: f64,
    /// The newest 50 events of a random room, read from a reopened store.
    pub replay: Latency,
    /// 1,000 events after a point in a random room, read from a reopened store.
    pub resume: Latency,
    /// Searches of one or two words over every room.
    pub search: Latency,
    /// Searches run.
    pub searches: usize,
    /// Matches found, summed over the searches.
    pub search_matches: u64,
}

/// Fills a store in `dir` with `messages` messages over `rooms` rooms, closes it, then
/// reopens it and times `samples` replays, resumes and searches.
pub fn measure(dir: &Path, messages: u64, rooms: usize, samples: usize) -> Result<StoreFigures> {
    let mut words = Words::new(0x5eed);
    let (appends_per_second, dropped) = fill(dir, messages, rooms, &mut words)?;
    let disk_bytes = disk_bytes(dir)?;
    let opening = Instant::now();
    let store = SqliteHistory::open(dir, Retention::KEEP_ALL)?;
    let open_ms = opening.elapsed().as_secs_f64() * 1e3;
    let (mut replay, mut resume, mut search) = (histogram()?, histogram()?, histogram()?);
    let keys: Vec<String> = (0..rooms).map(room_key).collect();
    let mut search_matches = 0;
    for sample in 0..samples {
        let key = &keys[words.below(rooms)];
        let cursor = store.room_cursor(key)?;
        let start = Instant::now();
        let page = store.before(key, None, REPLAY, None)?;
        replay.record(elapsed_ns(start))?;
        check_len(page.events.len(), REPLAY.min(cursor.last_seq as usize))?;
        let from = cursor.last_seq.saturating_sub(RESUME as u64);
        let start = Instant::now();
        let page = store.after(key, cursor.epoch, from, RESUME)?;
        resume.record(elapsed_ns(start))?;
        check_len(page.events.len(), (cursor.last_seq - from) as usize)?;
        let query = words.query(1 + sample % 2);
        let start = Instant::now();
        let found = store.search(&query, &keys, None, SEARCH_MATCHES)?;
        search.record(elapsed_ns(start))?;
        search_matches += found.len() as u64;
    }
    store.close();
    Ok(StoreFigures {
        messages,
        rooms,
        appends_per_second,
        dropped,
        disk_bytes,
        bytes_per_message: disk_bytes as f64 / messages.max(1) as f64,
        open_ms,
        replay: Latency::from_ns(&replay),
        resume: Latency::from_ns(&resume),
        search: Latency::from_ns(&search),
        searches: samples,
        search_matches,
    })
}

/// Appends `messages` messages round-robin over `rooms` rooms, flushing after each
/// batch, then closes the store. Returns messages per second and the events dropped.
fn fill(dir: &Path, messages: u64, rooms: usize, words: &mut Words) -> Result<(f64, u64)> {
    let tuning = Tuning {
        queue_capacity: FILL_QUEUE,
        max_bytes: None,
    };
    let store = SqliteHistory::open_with(dir, Retention::KEEP_ALL, tuning)?;
    let epochs = (0..rooms)
        .map(|room| Ok(store.room_cursor(&room_key(room))?.epoch))
        .collect::<Result<Vec<u64>>>()?;
    let start = Instant::now();
    let now_ms = now_ms() - messages as i64;
    for n in 0..messages {
        let room = (n % rooms as u64) as usize;
        let seq = n / rooms as u64 + 1;
        let text = words.message();
        let from = format!("user{}", words.below(500));
        store.append(message(
            room,
            epochs[room],
            seq,
            now_ms + n as i64,
            from,
            text,
        ));
        if (n + 1) % FILL_BATCH as u64 == 0 {
            store.flush();
        }
    }
    store.flush();
    let seconds = start.elapsed().as_secs_f64();
    store.close();
    Ok((messages as f64 / seconds, store.stats().dropped))
}

/// A message event as the server would store it, with the line it would have sent.
fn message(
    room: usize,
    epoch: u64,
    seq: u64,
    time_ms: i64,
    from: String,
    text: String,
) -> StoredEvent {
    let key = room_key(room);
    let frame = ServerFrame::Message {
        epoch,
        seq,
        time_ms,
        from: from.clone(),
        text: text.clone(),
        nonce: None,
        room: Some(key.clone()),
    };
    StoredEvent {
        room: key.clone(),
        room_key: key,
        epoch,
        seq,
        time_ms,
        kind: EventKind::Message,
        sender_key: Some(from.clone()),
        from: Some(from),
        to: None,
        text: Some(text),
        nonce: None,
        frame: serde_json::to_string(&frame).expect("a frame always encodes"),
    }
}

/// The key (and name) of room number `room`.
fn room_key(room: usize) -> String {
    format!("#room{room}")
}

/// The size of every file in `dir` whose name starts with the database's.
pub fn disk_bytes(dir: &Path) -> Result<u64> {
    let mut total = 0;
    for entry in fs::read_dir(dir)? {
        let entry = entry?;
        if entry
            .file_name()
            .to_string_lossy()
            .starts_with(chat_server::store::DB_FILE)
        {
            total += entry.metadata()?.len();
        }
    }
    Ok(total)
}

/// Milliseconds since the Unix epoch, now.
fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |since| since.as_millis() as i64)
}

/// A histogram of nanoseconds.
fn histogram() -> Result<Histogram<u64>> {
    Ok(Histogram::new(3)?)
}

/// Nanoseconds since `start`.
fn elapsed_ns(start: Instant) -> u64 {
    start.elapsed().as_nanos() as u64
}

/// A read that returned fewer events than were written is a broken store, not a figure.
fn check_len(got: usize, wanted: usize) -> Result<()> {
    if got != wanted {
        bail!("the store returned {got} events where {wanted} were written");
    }
    Ok(())
}
