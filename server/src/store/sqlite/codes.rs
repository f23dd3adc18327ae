//! How values are written in the database: event kinds as small integers, and the
//! store's unsigned numbers as SQLite's signed ones.

use crate::store::EventKind;

/// The integer stored for `kind`. These numbers are part of the file format.
pub(super) fn kind_code(kind: EventKind) -> i64 {
    match kind {
        EventKind::Message => 1,
        EventKind::Action => 2,
        EventKind::Joined => 3,
        EventKind::Left => 4,
        EventKind::Renamed => 5,
        EventKind::Topic => 6,
        EventKind::Presence => 7,
        EventKind::Private => 8,
        EventKind::Gap { .. } => 9,
        EventKind::Mute => 10,
    }
}

/// The kind stored as `code`, with a gap's last `seq` from its own column; `None` for a
/// code this server does not know.
pub(super) fn kind_from_code(code: i64, through_seq: Option<i64>) -> Option<EventKind> {
    Some(match code {
        1 => EventKind::Message,
        2 => EventKind::Action,
        3 => EventKind::Joined,
        4 => EventKind::Left,
        5 => EventKind::Renamed,
        6 => EventKind::Topic,
        7 => EventKind::Presence,
        8 => EventKind::Private,
        9 => EventKind::Gap {
            through_seq: through_seq? as u64,
        },
        10 => EventKind::Mute,
        _ => return None,
    })
}

/// A `seq`, count or epoch as SQLite stores it. They never reach 2^63 (epochs stay
/// below 2^53), so the bits are kept as they are.
pub(super) fn to_sql(value: u64) -> i64 {
    value as i64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_reads_back_as_written() {
        let kinds = [
            EventKind::Message,
            EventKind::Action,
            EventKind::Joined,
            EventKind::Left,
            EventKind::Renamed,
            EventKind::Topic,
            EventKind::Presence,
            EventKind::Private,
            EventKind::Gap { through_seq: 42 },
            EventKind::Mute,
        ];
        for kind in kinds {
            assert_eq!(kind_from_code(kind_code(kind), Some(42)), Some(kind));
        }
        assert_eq!(kind_from_code(99, None), None);
    }
}
