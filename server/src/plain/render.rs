//! How frames read in plain mode: one CRLF-terminated line per line of text.

use std::fmt::Write;

use chat_shared::frame::{HistoryReason, RoomInfo, ServerFrame};
use jiff::Timestamp;
use jiff::tz::TimeZone;

use super::NOTICE_MARK;

mod moderation;

/// How many names a plain-mode roster line shows before "and N more".
const ROSTER_SHOWN: usize = 50;

/// Renders a server frame as the lines a plain-mode client sees (CRLF line endings), for
/// a reader whose current room it is (or that belongs to no room). Frames that only make
/// sense to programs (`hello`, `ping`, `pong`) render as nothing.
pub fn render(frame: &ServerFrame, tz: &TimeZone) -> Vec<u8> {
    render_with(frame, tz, false)
}

/// Like [`render`], for a reader whose current room is another one: room events carry
/// their room's name after the time (`[12:03] #dev <bob> hi`).
pub fn render_elsewhere(frame: &ServerFrame, tz: &TimeZone) -> Vec<u8> {
    render_with(frame, tz, true)
}

fn render_with(frame: &ServerFrame, tz: &TimeZone, show_room: bool) -> Vec<u8> {
    let mut out = String::new();
    let stamp = |time_ms: i64, room: Option<&str>| {
        let clock = clock(time_ms, tz);
        match room.filter(|_| show_room) {
            Some(room) => format!("{clock} {room}"),
            None => clock,
        }
    };
    match frame {
        ServerFrame::Message {
            time_ms,
            from,
            text,
            room,
            ..
        } => {
            let prefix = format!("{} <{from}> ", stamp(*time_ms, room.as_deref()));
            each_user_line(&mut out, &prefix, text);
        }
        ServerFrame::Action {
            time_ms,
            from,
            text,
            room,
            ..
        } => {
            let prefix = format!("{} * {from} ", stamp(*time_ms, room.as_deref()));
            each_user_line(&mut out, &prefix, text);
        }
        ServerFrame::Private {
            time_ms,
            from,
            to,
            text,
            ..
        } => {
            let prefix = format!("{} *{from} -> {to}* ", clock(*time_ms, tz));
            each_user_line(&mut out, &prefix, text);
        }
        ServerFrame::Joined {
            time_ms,
            name,
            room,
            ..
        } => {
            let when = stamp(*time_ms, room.as_deref());
            line(&mut out, &format!("{when} {NOTICE_MARK} {name} joined"));
        }
        ServerFrame::Left {
            time_ms,
            name,
            reason,
            message,
            by: Some(by),
            room,
            ..
        } => {
            let when = stamp(*time_ms, room.as_deref());
            let told = moderation::removed(&when, name, *reason, by, message.as_deref());
            line(&mut out, &told);
        }
        ServerFrame::Left {
            time_ms,
            name,
            reason,
            message,
            room,
            ..
        } => {
            let why = collapse_blanks(&reason.describe_with(message.as_deref(), None));
            let when = stamp(*time_ms, room.as_deref());
            line(
                &mut out,
                &format!("{when} {NOTICE_MARK} {name} left ({why})"),
            );
        }
        ServerFrame::Renamed {
            time_ms,
            old,
            new,
            room,
            ..
        } => {
            let when = stamp(*time_ms, room.as_deref());
            line(
                &mut out,
                &format!("{when} {NOTICE_MARK} {old} is now known as {new}"),
            );
        }
        ServerFrame::Topic {
            time_ms,
            by,
            text,
            room,
            ..
        } => {
            let when = stamp(*time_ms, Some(room));
            let what = if text.is_empty() {
                "cleared the topic".to_owned()
            } else {
                format!("set the topic: {text}")
            };
            let told = format!("{when} {NOTICE_MARK} {by} {what}");
            line(&mut out, &collapse_blanks(&told));
        }
        ServerFrame::Mute {
            time_ms,
            name,
            by,
            until_ms,
            reason,
            room,
            ..
        } => {
            let when = stamp(*time_ms, Some(room));
            let who = (name.as_str(), by.as_str());
            let told = moderation::muted(&when, who, *time_ms, *until_ms, reason.as_deref());
            line(&mut out, &told);
        }
        ServerFrame::BanList { bans } => moderation::ban_list(&mut out, bans, tz),
        ServerFrame::Presence {
            time_ms,
            joined,
            left,
            room,
            ..
        } => {
            let when = stamp(*time_ms, Some(room));
            for (names_told, what) in [(joined, "joined"), (left, "left")] {
                if !names_told.is_empty() {
                    let listed = names(names_told);
                    let count = names_told.len();
                    line(
                        &mut out,
                        &format!("{when} {NOTICE_MARK} {count} {what}: {listed}"),
                    );
                }
            }
        }
        ServerFrame::Welcome { name, roster, .. } => {
            let online = names(roster);
            line(
                &mut out,
                &format!("* Welcome, {name}! {} online: {online}", roster.len()),
            );
            line(
                &mut out,
                "* Type a message and press Enter; /help lists the commands.",
            );
        }
        ServerFrame::Entered {
            room,
            topic,
            roster,
        } => {
            let here = names(roster);
            line(
                &mut out,
                &format!("* Now talking in {room}; {} here: {here}", roster.len()),
            );
            if let Some(topic) = topic {
                line(
                    &mut out,
                    &collapse_blanks(&format!("* Topic of {room}: {topic}")),
                );
            }
        }
        ServerFrame::Parted { room } => line(&mut out, &format!("* You left {room}.")),
        ServerFrame::Roster {
            names: roster,
            room,
        } => {
            let listed = names(roster);
            let heading = match room {
                Some(room) => format!("* In {room} ({}): {listed}", roster.len()),
                None => format!("* Online ({}): {listed}", roster.len()),
            };
            line(&mut out, &heading);
        }
        ServerFrame::RoomList { rooms } => room_list(&mut out, rooms),
        ServerFrame::Gap {
            seq, through_seq, ..
        } => {
            let missing = through_seq.saturating_sub(*seq) + 1;
            let events = if missing == 1 {
                "event is"
            } else {
                "events are"
            };
            line(
                &mut out,
                &format!("* {missing} {events} missing from history here."),
            );
        }
        ServerFrame::History {
            room,
            reason,
            events,
            complete,
            ..
        } => {
            if !events.is_empty() {
                line(&mut out, &format!("* History of {room}:"));
                let mut day = Some(day_of(Timestamp::now().as_millisecond(), tz));
                for event in events {
                    // Lines show the time only: a line of another day says which first.
                    if let Some(time_ms) = crate::room::time_of(event) {
                        let event_day = day_of(time_ms, tz);
                        if day.as_ref() != Some(&event_day) {
                            line(&mut out, &format!("* {event_day}"));
                            day = Some(event_day);
                        }
                    }
                    out.push_str(&String::from_utf8_lossy(&render_with(event, tz, false)));
                }
            }
            if *reason == HistoryReason::Resume && !complete {
                line(
                    &mut out,
                    &format!("* Some of what was said in {room} while you were away is not shown."),
                );
            }
            if !events.is_empty() {
                line(&mut out, "* Live from here.");
            }
        }
        ServerFrame::SearchResults { words, matches } => {
            let words = collapse_blanks(words);
            line(
                &mut out,
                &format!("* {} matches for \"{words}\":", matches.len()),
            );
            for found in matches {
                let when = dated(found.time_ms, tz);
                let prefix = match &found.room {
                    Some(room) => format!("{when} {room} <{}> ", found.from),
                    None => format!("{when} *{}* ", found.from),
                };
                each_user_line(&mut out, &prefix, &found.text);
            }
        }
        ServerFrame::NameRejected { message, .. } | ServerFrame::Error { message, .. } => {
            each_line(&mut out, "! ", &capitalized(message));
        }
        ServerFrame::Notice { text } | ServerFrame::Account { message: text, .. } => {
            each_line(&mut out, "* ", text);
        }
        ServerFrame::Shutdown { message, .. } => each_line(&mut out, "* ", message),
        ServerFrame::Hello { .. } | ServerFrame::Ping { .. } | ServerFrame::Pong { .. } => {}
    }
    out.into_bytes()
}

fn room_list(out: &mut String, rooms: &[RoomInfo]) {
    line(out, &format!("* Rooms ({}):", rooms.len()));
    for room in rooms {
        let mut entry = format!("{} ({})", room.name, room.members);
        if let Some(topic) = &room.topic {
            let _ = write!(entry, " {topic}");
        }
        line(out, &format!("*   {}", collapse_blanks(&entry)));
    }
}

/// The date and time of something that may be old (a search result).
fn dated(time_ms: i64, tz: &TimeZone) -> String {
    let time = Timestamp::from_millisecond(time_ms).unwrap_or(Timestamp::UNIX_EPOCH);
    tz.to_datetime(time)
        .strftime("[%Y-%m-%d %H:%M]")
        .to_string()
}

fn clock(time_ms: i64, tz: &TimeZone) -> String {
    let time = Timestamp::from_millisecond(time_ms).unwrap_or(Timestamp::UNIX_EPOCH);
    tz.to_datetime(time).strftime("[%H:%M]").to_string()
}

/// The day of `time_ms`, as a history's day line shows it: `Tue 1 Dec 2026`.
fn day_of(time_ms: i64, tz: &TimeZone) -> String {
    let time = Timestamp::from_millisecond(time_ms).unwrap_or(Timestamp::UNIX_EPOCH);
    tz.to_datetime(time).strftime("%a %-d %b %Y").to_string()
}

fn names(roster: &[String]) -> String {
    let mut shown = roster
        .iter()
        .take(ROSTER_SHOWN)
        .map(String::as_str)
        .collect::<Vec<_>>()
        .join(", ");
    if roster.len() > ROSTER_SHOWN {
        let _ = write!(shown, " and {} more", roster.len() - ROSTER_SHOWN);
    }
    shown
}

fn capitalized(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map_or_else(String::new, |first| {
        first.to_uppercase().chain(chars).collect()
    })
}

/// Each line of a user's text after `prefix`, its runs of blanks collapsed (a blank
/// that starts a line of text joins the space that ends the prefix).
fn each_user_line(out: &mut String, prefix: &str, text: &str) {
    for text_line in text.split('\n') {
        line(out, &collapse_blanks(&format!("{prefix}{text_line}")));
    }
}

/// `text` with every run of blank characters made one space.
fn collapse_blanks(text: &str) -> String {
    let mut collapsed = String::with_capacity(text.len());
    let mut in_run = false;
    for c in text.chars() {
        if is_blank(c) {
            if !in_run {
                collapsed.push(' ');
            }
            in_run = true;
        } else {
            collapsed.push(c);
            in_run = false;
        }
    }
    collapsed
}

/// Characters a terminal draws as empty space: Unicode whitespace, and the fillers and
/// blank patterns that are letters or symbols but show nothing.
fn is_blank(c: char) -> bool {
    c.is_whitespace()
        || matches!(
            c,
            '\u{115F}' | '\u{1160}' | '\u{3164}' | '\u{FFA0}' | '\u{2800}' | '\u{180E}'
        )
}

fn each_line(out: &mut String, prefix: &str, text: &str) {
    for text_line in text.split('\n') {
        line(out, &format!("{prefix}{text_line}"));
    }
}

fn line(out: &mut String, text: &str) {
    out.push_str(text);
    out.push_str("\r\n");
}

#[cfg(test)]
mod tests;
