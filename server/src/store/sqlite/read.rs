//! The queries behind the reads of [`History`](crate::store::History): each takes a
//! read-only connection and touches only the rows it returns (through the indexes), never
//! a whole table of events.

use rusqlite::types::Type;
use rusqlite::{Connection, OptionalExtension, Row, params};

use super::codes::{kind_from_code, to_sql};
use crate::store::{EventKind, Page, Position, RoomCursor, StoredEvent, conversation_parties};

/// The columns of a [`StoredEvent`], in the order [`event_from_row`] reads them.
const SELECT_EVENT: &str = "
SELECT r.key, r.name, ep.epoch, e.seq, e.time_ms, e.kind, e.from_name, e.to_name, e.text,
       e.nonce, e.sender_key, e.frame, e.through_seq
FROM events e
JOIN rooms r ON r.id = e.room_id
JOIN epochs ep ON ep.room_id = e.room_id AND ep.gen = e.gen";

/// Reads one event from a row of [`SELECT_EVENT`].
fn event_from_row(row: &Row<'_>) -> rusqlite::Result<StoredEvent> {
    let code: i64 = row.get(5)?;
    let kind = kind_from_code(code, row.get(12)?).ok_or_else(|| {
        rusqlite::Error::FromSqlConversionFailure(5, Type::Integer, "unknown event kind".into())
    })?;
    Ok(StoredEvent {
        room_key: row.get(0)?,
        room: row.get(1)?,
        epoch: row.get::<_, i64>(2)? as u64,
        seq: row.get::<_, i64>(3)? as u64,
        time_ms: row.get(4)?,
        kind,
        from: row.get(6)?,
        to: row.get(7)?,
        text: row.get(8)?,
        nonce: row.get(9)?,
        sender_key: row.get(10)?,
        frame: row.get(11)?,
    })
}

/// A gap the store knows of without a row for it: events missing between two stored
/// ones, or at the end.
fn gap(room_key: &str, room: &str, epoch: u64, seq: u64, through_seq: u64) -> StoredEvent {
    StoredEvent {
        room_key: room_key.to_owned(),
        room: room.to_owned(),
        epoch,
        seq,
        time_ms: 0,
        kind: EventKind::Gap { through_seq },
        from: None,
        to: None,
        text: None,
        nonce: None,
        sender_key: None,
        frame: String::new(),
    }
}

/// The room's position as last committed, if the room was ever written.
pub(super) fn cursor(conn: &Connection, room_key: &str) -> rusqlite::Result<Option<RoomCursor>> {
    conn.prepare_cached("SELECT epoch, last_seq FROM rooms WHERE key = ?1")?
        .query_row([room_key], |row| {
            Ok(RoomCursor {
                epoch: row.get::<_, i64>(0)? as u64,
                last_seq: row.get::<_, i64>(1)? as u64,
            })
        })
        .optional()
}

/// The room's row id and name, and the generation of `epoch` in it.
fn find_generation(
    conn: &Connection,
    room_key: &str,
    epoch: u64,
) -> rusqlite::Result<Option<(i64, String, i64)>> {
    conn.prepare_cached(
        "SELECT r.id, r.name, ep.gen FROM rooms r JOIN epochs ep ON ep.room_id = r.id
         WHERE r.key = ?1 AND ep.epoch = ?2",
    )?
    .query_row(params![room_key, to_sql(epoch)], |row| {
        Ok((row.get(0)?, row.get(1)?, row.get(2)?))
    })
    .optional()
}

/// See [`History::after`](crate::store::History::after). `last_seq` is the room's last
/// `seq` as this run knows it: events missing up to it show as a gap at the end.
pub(super) fn after(
    conn: &Connection,
    room_key: &str,
    epoch: u64,
    after_seq: u64,
    limit: usize,
    last_seq: Option<u64>,
) -> rusqlite::Result<Page> {
    let Some((room_id, room, generation)) = find_generation(conn, room_key, epoch)? else {
        return Ok(Page::default());
    };
    if limit == 0 {
        return Ok(Page::default());
    }
    let (stored_last, current): (i64, i64) = conn
        .prepare_cached("SELECT last_seq, gen FROM rooms WHERE id = ?1")?
        .query_row([room_id], |row| Ok((row.get(0)?, row.get(1)?)))?;
    let last_seq = if current == generation {
        last_seq.unwrap_or(0).max(stored_last as u64)
    } else {
        0
    };
    let sql = format!(
        "{SELECT_EVENT} WHERE e.room_id = ?1 AND e.gen = ?2 AND e.seq > ?3 ORDER BY e.seq LIMIT ?4"
    );
    let mut statement = conn.prepare_cached(&sql)?;
    let mut rows = statement.query(params![
        room_id,
        generation,
        to_sql(after_seq),
        to_sql(limit as u64 + 1)
    ])?;
    let mut events = Vec::new();
    let mut expected = after_seq + 1;
    let mut rows_read = 0;
    while let Some(row) = rows.next()? {
        rows_read += 1;
        let event = event_from_row(row)?;
        if event.seq > expected {
            events.push(gap(room_key, &room, epoch, expected, event.seq - 1));
        }
        expected = match event.kind {
            EventKind::Gap { through_seq } => through_seq.max(event.seq) + 1,
            _ => event.seq + 1,
        };
        events.push(event);
    }
    if rows_read <= limit && expected <= last_seq {
        events.push(gap(room_key, &room, epoch, expected, last_seq));
    }
    let more = events.len() > limit;
    events.truncate(limit);
    Ok(Page { events, more })
}

/// See [`History::before`](crate::store::History::before).
pub(super) fn before(
    conn: &Connection,
    room_key: &str,
    before: Option<Position>,
    limit: usize,
    not_older_than_ms: Option<i64>,
) -> rusqlite::Result<Page> {
    let room_id: Option<i64> = conn
        .prepare_cached("SELECT id FROM rooms WHERE key = ?1")?
        .query_row([room_key], |row| row.get(0))
        .optional()?;
    let Some(room_id) = room_id else {
        return Ok(Page::default());
    };
    let (generation, seq) = match before {
        None => (i64::MAX, i64::MAX),
        Some(position) => match find_generation(conn, room_key, position.epoch)? {
            Some((_, _, generation)) => (generation, to_sql(position.seq)),
            None => return Ok(Page::default()),
        },
    };
    let sql = format!(
        "{SELECT_EVENT} WHERE e.room_id = ?1 AND (e.gen, e.seq) < (?2, ?3)
         ORDER BY e.gen DESC, e.seq DESC LIMIT ?4"
    );
    let mut statement = conn.prepare_cached(&sql)?;
    let mut rows = statement.query(params![room_id, generation, seq, to_sql(limit as u64 + 1)])?;
    let mut events = Vec::new();
    let mut more = false;
    while let Some(row) = rows.next()? {
        let event = event_from_row(row)?;
        if not_older_than_ms.is_some_and(|oldest| event.time_ms < oldest) {
            break;
        }
        if events.len() == limit {
            more = true;
            break;
        }
        events.push(event);
    }
    events.reverse();
    Ok(Page { events, more })
}

/// See [`History::find_nonce`](crate::store::History::find_nonce).
pub(super) fn find_nonce(
    conn: &Connection,
    sender_key: &str,
    nonce: &str,
) -> rusqlite::Result<Option<StoredEvent>> {
    let sql = format!(
        "{SELECT_EVENT} WHERE e.sender_key = ?1 AND e.nonce = ?2 ORDER BY e.id DESC LIMIT 1"
    );
    conn.prepare_cached(&sql)?
        .query_row([sender_key, nonce], event_from_row)
        .optional()
}

/// See [`History::search`](crate::store::History::search); `query` is already an FTS5
/// query of quoted words. A conversation key among `rooms` counts only if
/// `private_party` is one of its parties.
pub(super) fn search(
    conn: &Connection,
    query: &str,
    rooms: &[String],
    private_party: Option<&str>,
    limit: usize,
) -> rusqlite::Result<Vec<StoredEvent>> {
    let mut room_ids: Vec<i64> = Vec::new();
    let mut by_key = conn.prepare_cached("SELECT id FROM rooms WHERE key = ?1")?;
    for room_key in rooms {
        let allowed = conversation_parties(room_key)
            .is_none_or(|(a, b)| private_party.is_some_and(|party| party == a || party == b));
        if !allowed {
            continue;
        }
        if let Some(id) = by_key.query_row([room_key], |row| row.get(0)).optional()? {
            room_ids.push(id);
        }
    }
    if let Some(party) = private_party {
        let mut conversations = conn.prepare_cached(
            "SELECT id FROM rooms WHERE party_a = ?1 UNION SELECT id FROM rooms WHERE party_b = ?1",
        )?;
        for id in conversations.query_map([party], |row| row.get(0))? {
            room_ids.push(id?);
        }
    }
    if room_ids.is_empty() || limit == 0 {
        return Ok(Vec::new());
    }
    let ids: Vec<String> = room_ids.iter().map(i64::to_string).collect();
    let sql = format!(
        "{SELECT_EVENT} JOIN events_fts f ON f.rowid = e.id
         WHERE events_fts MATCH ?1 AND e.room_id IN (SELECT value FROM json_each(?2))
         ORDER BY f.rowid DESC LIMIT ?3"
    );
    conn.prepare_cached(&sql)?
        .query_map(
            params![query, format!("[{}]", ids.join(",")), to_sql(limit as u64)],
            event_from_row,
        )?
        .collect()
}
