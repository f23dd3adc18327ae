//! How moderation reads in plain mode: kicks and bans as IRC shows them
//! (`-!- bob was kicked by root_op (spam)`), mutes, and the list of bans.

use std::time::Duration;

use chat_shared::duration::format_duration;
use chat_shared::frame::{BanInfo, LeaveReason};
use jiff::tz::TimeZone;

use super::{collapse_blanks, dated, line};
use crate::plain::NOTICE_MARK;

/// A member removed by operator `by`, after `when` (the time, and the room when shown):
/// `[12:03] -!- bob was kicked by root_op (spam)`.
pub(super) fn removed(
    when: &str,
    name: &str,
    reason: LeaveReason,
    by: &str,
    message: Option<&str>,
) -> String {
    let what = match reason {
        LeaveReason::Banned => "was banned",
        _ => "was kicked",
    };
    let why = message.map_or_else(String::new, |message| format!(" ({message})"));
    collapse_blanks(&format!("{when} {NOTICE_MARK} {name} {what} by {by}{why}"))
}

/// A mute, or its lifting (no `until_ms`), at `time_ms`, after `when`:
/// `[12:03] -!- bob was muted by root_op for 10m (calm down)`.
pub(super) fn muted(
    when: &str,
    (name, by): (&str, &str),
    time_ms: i64,
    until_ms: Option<i64>,
    reason: Option<&str>,
) -> String {
    let told = match until_ms {
        Some(until) => {
            let left = Duration::from_millis(until.saturating_sub(time_ms).max(0) as u64);
            let why = reason.map_or_else(String::new, |reason| format!(" ({reason})"));
            format!(
                "{when} {NOTICE_MARK} {name} was muted by {by} for {}{why}",
                format_duration(left)
            )
        }
        None => format!("{when} {NOTICE_MARK} {by} unmuted {name}"),
    };
    collapse_blanks(&told)
}

/// The bans in force, one per line.
pub(super) fn ban_list(out: &mut String, bans: &[BanInfo], tz: &TimeZone) {
    line(out, &format!("* Bans ({}):", bans.len()));
    for ban in bans {
        let until = match ban.until_ms {
            Some(until) => format!("until {}", dated(until, tz)),
            None => "for ever".to_owned(),
        };
        let why = ban
            .reason
            .as_ref()
            .map_or_else(String::new, |reason| format!(": {reason}"));
        let entry = format!(
            "{} {until}, by {} {}{why}",
            ban.target,
            ban.by,
            dated(ban.since_ms, tz)
        );
        line(out, &format!("*   {}", collapse_blanks(&entry)));
    }
}
