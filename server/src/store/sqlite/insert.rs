//! Writing one batch of events, and the gaps of lost ones, inside the writer's
//! transaction. Rooms are found or created here, and a room's row is brought up to date
//! once per batch.

use std::collections::HashMap;

use rusqlite::{Connection, ErrorCode, OptionalExtension, params};

use super::codes::{kind_code, to_sql};
use super::losses::RoomLoss;
use crate::store::{EventKind, StoredEvent, conversation_parties};

/// What the writer remembers of a room between batches, so that an event costs no
/// lookup: the room's row id, and which generation its current epoch is.
#[derive(Debug, Clone)]
pub(super) struct RoomRow {
    /// The row id in `rooms`.
    pub id: i64,
    /// The generation of the current epoch.
    pub generation: i64,
    /// The current epoch.
    pub epoch: u64,
}

/// What one batch changed in one room, written to its row at the end of the batch.
#[derive(Debug, Default)]
pub(super) struct Touch {
    /// The room's name as last written.
    pub name: String,
    /// The highest `seq` written (gaps included).
    pub last_seq: u64,
    /// Rows added.
    pub added: u64,
}

/// The rooms touched by a batch, by row id, and the stored count each reached.
pub(super) type Touched = HashMap<i64, Touch>;

/// Finds the room `room_key` (from the cache, the database, or by creating it) and makes
/// `epoch` its current epoch, starting a new generation if it is a new one.
pub(super) fn resolve<'c>(
    conn: &Connection,
    cache: &'c mut HashMap<String, RoomRow>,
    room_key: &str,
    room: &str,
    epoch: u64,
) -> rusqlite::Result<&'c RoomRow> {
    if !cache.contains_key(room_key) {
        let row = load_or_create(conn, room_key, room, epoch)?;
        cache.insert(room_key.to_owned(), row);
    }
    let Some(row) = cache.get_mut(room_key) else {
        return Err(rusqlite::Error::QueryReturnedNoRows);
    };
    if row.epoch != epoch {
        row.generation += 1;
        row.epoch = epoch;
        conn.prepare_cached("INSERT INTO epochs (room_id, gen, epoch) VALUES (?1, ?2, ?3)")?
            .execute(params![row.id, row.generation, to_sql(epoch)])?;
        conn.prepare_cached("UPDATE rooms SET gen = ?2, epoch = ?3 WHERE id = ?1")?
            .execute(params![row.id, row.generation, to_sql(epoch)])?;
    }
    Ok(row)
}

/// The room's row, created (generation 1 in `epoch`) if the room is new.
fn load_or_create(
    conn: &Connection,
    room_key: &str,
    room: &str,
    epoch: u64,
) -> rusqlite::Result<RoomRow> {
    let found = conn
        .prepare_cached("SELECT id, gen, epoch FROM rooms WHERE key = ?1")?
        .query_row([room_key], |row| {
            Ok(RoomRow {
                id: row.get(0)?,
                generation: row.get(1)?,
                epoch: row.get::<_, i64>(2)? as u64,
            })
        })
        .optional()?;
    if let Some(row) = found {
        return Ok(row);
    }
    let (party_a, party_b) = conversation_parties(room_key).unzip();
    conn.prepare_cached(
        "INSERT INTO rooms (key, name, gen, epoch, last_seq, stored, party_a, party_b)
         VALUES (?1, ?2, 1, ?3, 0, 0, ?4, ?5)",
    )?
    .execute(params![room_key, room, to_sql(epoch), party_a, party_b])?;
    let id = conn.last_insert_rowid();
    conn.prepare_cached("INSERT INTO epochs (room_id, gen, epoch) VALUES (?1, 1, ?2)")?
        .execute(params![id, to_sql(epoch)])?;
    Ok(RoomRow {
        id,
        generation: 1,
        epoch,
    })
}

/// Whether an insert failed because that position is already stored: the event is a
/// repeat, refused alone while the rest of the batch goes on.
pub(super) fn is_duplicate(err: &rusqlite::Error) -> bool {
    err.sqlite_error_code() == Some(ErrorCode::ConstraintViolation)
}

/// Inserts `event` in the room `row`, and its text into the full-text index if people
/// wrote it.
pub(super) fn insert_event(
    conn: &Connection,
    row: &RoomRow,
    event: &StoredEvent,
) -> rusqlite::Result<()> {
    let through = match event.kind {
        EventKind::Gap { through_seq } => Some(to_sql(through_seq)),
        _ => None,
    };
    conn.prepare_cached(
        "INSERT INTO events (room_id, gen, seq, time_ms, kind, from_name, to_name, text,
                             nonce, sender_key, frame, through_seq)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
    )?
    .execute(params![
        row.id,
        row.generation,
        to_sql(event.seq),
        event.time_ms,
        kind_code(event.kind),
        event.from,
        event.to,
        event.text,
        event.nonce,
        event.sender_key,
        event.frame,
        through,
    ])?;
    if let (true, Some(text)) = (event.kind.is_searchable(), &event.text) {
        conn.prepare_cached("INSERT INTO events_fts (rowid, text) VALUES (?1, ?2)")?
            .execute(params![conn.last_insert_rowid(), text])?;
    }
    Ok(())
}

/// Inserts one gap event per run of `loss`, at the place of the first lost event.
pub(super) fn insert_gaps(
    conn: &Connection,
    cache: &mut HashMap<String, RoomRow>,
    touched: &mut Touched,
    loss: &RoomLoss,
) -> rusqlite::Result<()> {
    let row = resolve(conn, cache, &loss.room_key, &loss.room, loss.epoch)?.clone();
    for &(first, last) in &loss.runs {
        let gap = StoredEvent {
            room_key: loss.room_key.clone(),
            room: loss.room.clone(),
            epoch: loss.epoch,
            seq: first,
            time_ms: loss.time_ms,
            kind: EventKind::Gap { through_seq: last },
            from: None,
            to: None,
            text: None,
            nonce: None,
            sender_key: None,
            frame: String::new(),
        };
        match insert_event(conn, &row, &gap) {
            Ok(()) => touch(touched, row.id, &loss.room, last, 1),
            Err(err) if is_duplicate(&err) => touch(touched, row.id, &loss.room, last, 0),
            Err(err) => return Err(err),
        }
    }
    Ok(())
}

/// Notes that room `id` got `added` rows up to `seq`.
pub(super) fn touch(touched: &mut Touched, id: i64, name: &str, seq: u64, added: u64) {
    let touch = touched.entry(id).or_default();
    name.clone_into(&mut touch.name);
    touch.last_seq = touch.last_seq.max(seq);
    touch.added += added;
}

/// Brings each touched room's row up to date; returns the rooms now holding more than
/// `max_per_room` events.
pub(super) fn update_rooms(
    conn: &Connection,
    touched: &Touched,
    max_per_room: Option<u64>,
) -> rusqlite::Result<Vec<i64>> {
    let mut over = Vec::new();
    let mut update = conn.prepare_cached(
        "UPDATE rooms SET name = ?2, last_seq = max(last_seq, ?3), stored = stored + ?4
         WHERE id = ?1 RETURNING stored",
    )?;
    for (&id, touch) in touched {
        let stored: i64 = update.query_row(
            params![id, touch.name, to_sql(touch.last_seq), to_sql(touch.added)],
            |row| row.get(0),
        )?;
        if max_per_room.is_some_and(|max| stored as u64 > max) {
            over.push(id);
        }
    }
    Ok(over)
}
