//! The writer thread: the only one that writes the database.
//!
//! Group commit: it waits for the first command, then takes everything else already
//! queued (up to [`MAX_BATCH`] events) and writes it all in one transaction. While it
//! commits, new events queue up and form the next batch, so the busier the chat, the
//! more events share a commit; an idle chat commits each event at once. Between batches
//! it applies retention, one small batch at a time. Nothing here ever holds a lock that
//! a chat thread waits for.

use std::collections::{BTreeSet, HashMap};
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::sync::mpsc::{Receiver, RecvTimeoutError, Sender};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use rusqlite::Connection;
use tracing::{error, info, warn};

use super::insert::update_rooms;
use super::insert::{RoomRow, Touched, insert_event, insert_gaps, is_duplicate, resolve, touch};
use super::live::Live;
use super::retention::{BATCH, expire_old, rooms_over, trim_rooms};
use super::schema::mark_clean;
use crate::store::{Retention, StoredEvent};

/// Most events written in one transaction: a bound on how long one commit takes.
pub(super) const MAX_BATCH: usize = 4096;

/// How often an idle writer looks at the age limit.
const TICK: Duration = Duration::from_secs(1);

/// Least time between two log lines about dropped events.
const REPORT_EVERY: Duration = Duration::from_secs(5);

/// What the store asks of its writer, in order.
#[derive(Debug)]
pub(super) enum Command {
    /// Write this event.
    Event(Box<StoredEvent>),
    /// Answer once everything before is written.
    Flush(Sender<()>),
    /// Write everything, mark the store clean, and stop; answer when done.
    Close(Sender<()>),
}

/// The writer's state: its connection, and what it remembers between batches.
#[derive(Debug)]
pub(super) struct Writer {
    /// The one connection that writes.
    conn: Connection,
    /// The database file, for the logs.
    file: PathBuf,
    /// What the store shares with the chat threads.
    live: Arc<Live>,
    /// What to keep.
    retention: Retention,
    /// Rooms written this run, by key.
    rooms: HashMap<String, RoomRow>,
    /// Rooms holding more events than the per-room limit.
    over: BTreeSet<i64>,
    /// The last age check deleted a full batch: more may be due.
    age_backlog: bool,
    /// When the age limit was last applied.
    last_age_check: Option<Instant>,
    /// Writes are failing (logged once when it starts, once when it ends).
    failing: bool,
    /// Dropped events already told in the log.
    reported_dropped: u64,
    /// When dropped events were last told.
    last_report: Instant,
}

impl Writer {
    /// A writer on `conn`, which startup has prepared.
    pub fn new(
        conn: Connection,
        file: PathBuf,
        live: Arc<Live>,
        retention: Retention,
    ) -> rusqlite::Result<Self> {
        let over = rooms_over(&conn, &retention)?;
        Ok(Self {
            conn,
            file,
            live,
            retention,
            rooms: HashMap::new(),
            over,
            age_backlog: false,
            last_age_check: None,
            failing: false,
            reported_dropped: 0,
            last_report: Instant::now(),
        })
    }

    /// Runs until closed (or until the store is gone).
    pub fn run(mut self, commands: Receiver<Command>) {
        loop {
            let wait = if self.retention_backlog() {
                Duration::ZERO
            } else {
                TICK
            };
            let first = match commands.recv_timeout(wait) {
                Ok(command) => command,
                Err(RecvTimeoutError::Timeout) => {
                    self.retain();
                    self.report();
                    continue;
                }
                Err(RecvTimeoutError::Disconnected) => {
                    self.finish(&commands);
                    return;
                }
            };
            let mut events = Vec::new();
            let mut waiters = Vec::new();
            let mut closing = None;
            let mut next = Some(first);
            while let Some(command) = next {
                match command {
                    Command::Event(event) => events.push(event),
                    Command::Flush(waiter) => waiters.push(waiter),
                    Command::Close(done) => closing = Some(done),
                }
                next = if events.len() < MAX_BATCH {
                    commands.try_recv().ok()
                } else {
                    None
                };
            }
            self.write(&events);
            let close_now = closing.is_some();
            if close_now {
                self.finish(&commands);
            }
            for waiter in waiters.into_iter().chain(closing) {
                // The asker may have given up waiting; nothing to tell it then.
                let _ = waiter.send(());
            }
            if close_now {
                return;
            }
            self.retain();
            self.report();
        }
    }

    /// Writes `events`, and the gaps of earlier losses, in one transaction. If that
    /// fails, every one of them is lost: counted, logged, and remembered for its gap.
    fn write(&mut self, events: &[Box<StoredEvent>]) {
        let losses = self.live.losses().take();
        if events.is_empty() && losses.is_empty() {
            return;
        }
        match self.try_write(events, &losses) {
            Ok((written, repeated)) => {
                self.live.committed.fetch_add(written, Ordering::Relaxed);
                if repeated > 0 {
                    self.live.dropped.fetch_add(repeated, Ordering::Relaxed);
                    warn!(
                        events = repeated,
                        "history: events repeat a position already stored; not stored again"
                    );
                }
                if self.failing {
                    self.failing = false;
                    info!(file = %self.file.display(), "history: writing again; the gaps are marked in history");
                }
            }
            Err(err) => {
                self.rooms.clear();
                self.live.losses().restore(losses);
                for event in events {
                    self.live.lost(event);
                }
                if !self.failing {
                    self.failing = true;
                    error!(
                        file = %self.file.display(),
                        error = %err,
                        "history: cannot write; live chat goes on, and the events lost are marked \
                         as a gap in history once writing works again"
                    );
                }
            }
        }
        let mut per_room: HashMap<&str, u64> = HashMap::new();
        for event in events {
            *per_room.entry(event.room_key.as_str()).or_default() += 1;
        }
        for (room_key, count) in per_room {
            self.live.handled(room_key, count);
        }
    }

    /// The transaction of [`Writer::write`]; returns the events written and the events
    /// refused as repeats.
    fn try_write(
        &mut self,
        events: &[Box<StoredEvent>],
        losses: &[super::losses::RoomLoss],
    ) -> rusqlite::Result<(u64, u64)> {
        let tx = self.conn.transaction()?;
        let mut touched = Touched::new();
        for loss in losses {
            insert_gaps(&tx, &mut self.rooms, &mut touched, loss)?;
        }
        let (mut written, mut repeated) = (0, 0);
        for event in events {
            let row = resolve(
                &tx,
                &mut self.rooms,
                &event.room_key,
                &event.room,
                event.epoch,
            )?;
            match insert_event(&tx, row, event) {
                Ok(()) => {
                    let id = row.id;
                    touch(&mut touched, id, &event.room, event.seq, 1);
                    written += 1;
                }
                Err(err) if is_duplicate(&err) => repeated += 1,
                Err(err) => return Err(err),
            }
        }
        let over = update_rooms(&tx, &touched, self.retention.max_per_room)?;
        tx.commit()?;
        self.over.extend(over);
        Ok((written, repeated))
    }

    /// Whether retention has more to do right away.
    fn retention_backlog(&self) -> bool {
        self.age_backlog || !self.over.is_empty()
    }

    /// Applies retention for one small batch of each kind that is due.
    fn retain(&mut self) {
        let now_ms = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |since| {
                i64::try_from(since.as_millis()).unwrap_or(i64::MAX)
            });
        if let Some(cutoff) = self.retention.cutoff_ms(now_ms) {
            let due = self.age_backlog || self.last_age_check.is_none_or(|at| at.elapsed() >= TICK);
            if due {
                self.last_age_check = Some(Instant::now());
                match expire_old(&mut self.conn, cutoff) {
                    Ok(deleted) => self.age_backlog = deleted == BATCH,
                    Err(err) => {
                        self.age_backlog = false;
                        warn!(file = %self.file.display(), error = %err, "history: retention by age failed; retried later");
                    }
                }
            }
        }
        if let (Some(max), false) = (self.retention.max_per_room, self.over.is_empty())
            && let Err(err) = trim_rooms(&mut self.conn, &mut self.over, max)
        {
            warn!(file = %self.file.display(), error = %err, "history: retention per room failed; retried later");
            self.over = rooms_over(&self.conn, &self.retention).unwrap_or_default();
        }
    }

    /// Logs events dropped since the last report, at most every [`REPORT_EVERY`].
    fn report(&mut self) {
        let dropped = self.live.dropped.load(Ordering::Relaxed);
        if dropped > self.reported_dropped && self.last_report.elapsed() >= REPORT_EVERY {
            warn!(
                dropped = dropped - self.reported_dropped,
                total = dropped,
                "history: events could not be kept (queue full, or disk full or failing); \
                 their gaps are marked in history"
            );
            self.reported_dropped = dropped;
            self.last_report = Instant::now();
        }
    }

    /// The graceful end: writes everything still queued and the gaps of earlier losses,
    /// then marks the store clean, unless some gap could not be written: then the next
    /// startup treats this run as a crash and gives every room a new epoch.
    fn finish(&mut self, commands: &Receiver<Command>) {
        let mut waiters = Vec::new();
        loop {
            let mut events = Vec::new();
            while events.len() < MAX_BATCH {
                match commands.try_recv() {
                    Ok(Command::Event(event)) => events.push(event),
                    Ok(Command::Flush(waiter) | Command::Close(waiter)) => waiters.push(waiter),
                    Err(_) => break,
                }
            }
            if events.is_empty() {
                break;
            }
            self.write(&events);
        }
        self.write(&[]);
        let unmarked = !self.live.losses().is_empty();
        if unmarked {
            error!(
                file = %self.file.display(),
                "history: the gaps of lost events could not be written; the next startup \
                 gives every room a new epoch"
            );
        } else if let Err(err) = mark_clean(&self.conn) {
            error!(file = %self.file.display(), error = %err, "history: cannot record the clean shutdown");
        } else if let Err(err) = self
            .conn
            .query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))
        {
            warn!(file = %self.file.display(), error = %err, "history: cannot fold the write-ahead log into the database");
        }
        for waiter in waiters {
            let _ = waiter.send(());
        }
    }
}
