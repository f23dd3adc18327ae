//! Enforcing [`Retention`] in the writer: small batches, each its own short transaction,
//! between batches of new events, so that neither the writer nor a reader ever waits long.

use std::collections::{BTreeSet, HashMap};

use rusqlite::{Connection, params};

use super::codes::{kind_from_code, to_sql};
use crate::store::Retention;

/// Most events deleted per transaction.
pub(super) const BATCH: usize = 1000;

/// An event being deleted: its row, room, and the text to take out of the index.
struct Doomed {
    id: i64,
    room_id: i64,
    text: Option<String>,
}

/// Deletes up to [`BATCH`] events older than the age limit, oldest first; returns how many.
/// Events are visited in insertion order, which is time order: the visit stops at the
/// first event young enough (a clock set back can delay a deletion, never cause a wrong
/// one).
pub(super) fn expire_old(conn: &mut Connection, cutoff_ms: i64) -> rusqlite::Result<usize> {
    let tx = conn.transaction()?;
    let doomed: Vec<Doomed> = {
        let mut oldest = tx.prepare_cached(
            "SELECT id, room_id, kind, text, time_ms, through_seq FROM events ORDER BY id LIMIT ?1",
        )?;
        let mut rows = oldest.query([to_sql(BATCH as u64)])?;
        let mut doomed = Vec::new();
        while let Some(row) = rows.next()? {
            if row.get::<_, i64>(4)? >= cutoff_ms {
                break;
            }
            doomed.push(doomed_row(row)?);
        }
        doomed
    };
    delete(&tx, &doomed)?;
    tx.commit()?;
    Ok(doomed.len())
}

/// Deletes up to [`BATCH`] of the oldest events of each room in `over` beyond
/// `max_per_room`, for as few rooms as fill one batch; rooms still over the limit stay
/// in `over`.
pub(super) fn trim_rooms(
    conn: &mut Connection,
    over: &mut BTreeSet<i64>,
    max_per_room: u64,
) -> rusqlite::Result<usize> {
    let tx = conn.transaction()?;
    let mut doomed = Vec::new();
    while doomed.len() < BATCH {
        let Some(room_id) = over.pop_first() else {
            break;
        };
        let stored: i64 = tx
            .prepare_cached("SELECT stored FROM rooms WHERE id = ?1")?
            .query_row([room_id], |row| row.get(0))?;
        let excess = (stored as u64).saturating_sub(max_per_room);
        let room = excess.min((BATCH - doomed.len()) as u64);
        if room == 0 {
            continue;
        }
        let mut oldest = tx.prepare_cached(
            "SELECT id, room_id, kind, text, time_ms, through_seq FROM events
             WHERE room_id = ?1 ORDER BY gen, seq LIMIT ?2",
        )?;
        let mut rows = oldest.query(params![room_id, to_sql(room)])?;
        while let Some(row) = rows.next()? {
            doomed.push(doomed_row(row)?);
        }
        if excess > room {
            over.insert(room_id);
        }
    }
    delete(&tx, &doomed)?;
    tx.commit()?;
    Ok(doomed.len())
}

/// Reads the columns of an event to delete.
fn doomed_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<Doomed> {
    let kind = kind_from_code(row.get(2)?, row.get(5)?);
    let text: Option<String> = row.get(3)?;
    Ok(Doomed {
        id: row.get(0)?,
        room_id: row.get(1)?,
        text: text.filter(|_| kind.is_some_and(|kind| kind.is_searchable())),
    })
}

/// Deletes the events and their index entries, and lowers their rooms' counts.
fn delete(conn: &Connection, doomed: &[Doomed]) -> rusqlite::Result<()> {
    let mut unindex = conn.prepare_cached(
        "INSERT INTO events_fts (events_fts, rowid, text) VALUES ('delete', ?1, ?2)",
    )?;
    let mut remove = conn.prepare_cached("DELETE FROM events WHERE id = ?1")?;
    let mut per_room: HashMap<i64, i64> = HashMap::new();
    for event in doomed {
        if let Some(text) = &event.text {
            unindex.execute(params![event.id, text])?;
        }
        remove.execute([event.id])?;
        *per_room.entry(event.room_id).or_default() += 1;
    }
    let mut uncount = conn.prepare_cached("UPDATE rooms SET stored = stored - ?2 WHERE id = ?1")?;
    for (room_id, count) in per_room {
        uncount.execute([room_id, count])?;
    }
    Ok(())
}

/// The rooms holding more than `max_per_room` events, found once at startup (the limit
/// may have been lowered since the last run); afterwards the writer learns them as it
/// writes. Reads the rooms table only.
pub(super) fn rooms_over(
    conn: &Connection,
    retention: &Retention,
) -> rusqlite::Result<BTreeSet<i64>> {
    let Some(max) = retention.max_per_room else {
        return Ok(BTreeSet::new());
    };
    conn.prepare("SELECT id FROM rooms WHERE stored > ?1")?
        .query_map([to_sql(max)], |row| row.get(0))?
        .collect()
}
