//! `chat-server bans list`: the bans in a data directory, read without starting a
//! server (one may be running on it: the file is only read).

use std::path::Path;

use jiff::Timestamp;

use super::store::read_offline;
use crate::store::{DB_FILE, StoreError};

/// One line per ban in force at `now_ms` in the database of `data_dir`, oldest first:
/// `203.0.113.0/24  until 2026-12-04 10:00 UTC  by root_op  since 2026-12-03 10:00 UTC: spam`;
/// a single line saying so when there is none.
pub fn ban_lines(data_dir: &Path, now_ms: i64) -> Result<Vec<String>, StoreError> {
    let bans: Vec<_> = read_offline(&data_dir.join(DB_FILE))?
        .into_iter()
        .filter(|ban| !ban.expired(now_ms))
        .collect();
    if bans.is_empty() {
        return Ok(vec![format!("No bans in {}.", data_dir.display())]);
    }
    Ok(bans
        .iter()
        .map(|ban| {
            let until = ban.until_ms.map_or_else(
                || "for ever".to_owned(),
                |until| format!("until {}", utc(until)),
            );
            let why = ban
                .reason
                .as_ref()
                .map_or_else(String::new, |reason| format!(": {reason}"));
            format!(
                "{}  {until}  by {}  since {}{why}",
                ban.target,
                ban.by,
                utc(ban.since_ms)
            )
        })
        .collect())
}

/// A time as an operator reads it in a terminal or a log: UTC, to the minute.
fn utc(time_ms: i64) -> String {
    Timestamp::from_millisecond(time_ms)
        .unwrap_or(Timestamp::UNIX_EPOCH)
        .strftime("%Y-%m-%d %H:%M UTC")
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::moderation::store::BanStore;
    use crate::moderation::{Ban, Target};

    #[test]
    fn lists_the_bans_in_force_and_says_when_there_is_none() {
        let dir = tempfile::tempdir().unwrap();
        let none = ban_lines(dir.path(), 0).unwrap();
        assert_eq!(none, [format!("No bans in {}.", dir.path().display())]);
        let store = BanStore::open(&dir.path().join(DB_FILE)).unwrap();
        for (since_ms, (target, until_ms, reason)) in [
            ("203.0.113.0/24", None, Some("spam")),
            ("mallory", Some(86_400_000), None),
            ("10.0.0.1", Some(1), None),
        ]
        .into_iter()
        .enumerate()
        {
            store
                .save(&Ban {
                    target: Target::parse(target).unwrap(),
                    by: "root_op".into(),
                    reason: reason.map(str::to_owned),
                    since_ms: since_ms as i64,
                    until_ms,
                })
                .unwrap();
        }
        assert_eq!(
            ban_lines(dir.path(), 1_000).unwrap(),
            [
                "203.0.113.0/24  for ever  by root_op  since 1970-01-01 00:00 UTC: spam",
                "mallory  until 1970-01-02 00:00 UTC  by root_op  since 1970-01-01 00:00 UTC",
            ]
        );
    }
}
