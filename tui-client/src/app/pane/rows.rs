//! An entry (or a queued message) laid out as the rows of the message pane: its time, a
//! prefix that says what it is, and its text wrapped by display width under the prefix.
//! Each piece of text carries a [`Tone`] that says what it is, not how it looks: the ui's
//! theme picks the style. Laying out here, in the app, lets the view measure exactly the
//! rows that are drawn.

use std::borrow::Cow;

use chat_shared::frame::LeaveReason;
use jiff::tz::TimeZone;

use crate::app::outbox::Outgoing;
use crate::app::scrollback::{Entry, EntryKind, Mark};
use crate::wrap::{display_width, wrap_hanging};

/// Below this many columns for the text, wrapped lines are not indented under the text.
const MIN_INDENTED_TEXT: usize = 12;

/// Columns the time takes at the start of an entry's first row: `12:03 `, or blanks.
const TIME_COLUMNS: usize = 6;

/// What a piece of the message pane is, for the theme to style.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tone<'a> {
    /// A time stamp, or the blanks in its place.
    Time,
    /// A nick (with its brackets), colored after `name`.
    Nick {
        /// Whose nick.
        name: &'a str,
        /// The user's own.
        own: bool,
    },
    /// Text as anyone writes it; also the indent of wrapped rows.
    Plain,
    /// The text of the user's own message.
    OwnText,
    /// A message that mentions the user.
    Mention,
    /// A `/me` action, and its `* ` mark.
    Action,
    /// Who a private message is from or to.
    PrivateTag,
    /// A private message's text.
    Private,
    /// Someone joined.
    Joined,
    /// Someone left.
    Left,
    /// Renames and information.
    Info,
    /// Errors.
    Error,
    /// A message waiting to be sent.
    Queued,
    /// The line above what arrived since the reader last left the buffer.
    Marker,
    /// The text of a message replayed from the room's history.
    Replayed,
    /// Where replayed history starts and ends, and the row above the oldest entry
    /// ("loading…", "start of history").
    History,
    /// Where events are missing.
    Gap,
    /// The message a search result jumped to.
    Found,
}

/// A piece of a row: text, and what it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Piece<'a> {
    /// The text, on one row.
    pub text: Cow<'a, str>,
    /// What it is.
    pub tone: Tone<'a>,
}

impl<'a> Piece<'a> {
    fn new(text: impl Into<Cow<'a, str>>, tone: Tone<'a>) -> Self {
        Self {
            text: text.into(),
            tone,
        }
    }
}

/// One row of the message pane, left to right; at most as wide as the pane, except a
/// lone grapheme wider than the whole pane.
pub type Row<'a> = Vec<Piece<'a>>;

/// An entry as rows: time, prefix and wrapped text.
pub fn entry_rows<'a>(entry: &'a Entry, time_zone: &TimeZone, width: usize) -> Vec<Row<'a>> {
    if let EntryKind::Mark(mark) = entry.kind {
        return vec![mark_row(mark, width)];
    }
    let time = match entry.time {
        Some(time) => time_zone.to_datetime(time).strftime("%H:%M ").to_string(),
        None => " ".repeat(TIME_COLUMNS),
    };
    let (mut prefix, text, tone) = content(&entry.kind);
    prefix.insert(0, Piece::new(time, Tone::Time));
    let tone = if entry.replayed { Tone::Replayed } else { tone };
    lay_out(prefix, text, tone, width)
}

/// How many rows [`entry_rows`] gives, without formatting the time or building rows.
pub fn entry_height(entry: &Entry, width: usize) -> usize {
    if let EntryKind::Mark(_) = entry.kind {
        return 1;
    }
    let (prefix, text, _) = content(&entry.kind);
    wrapped(TIME_COLUMNS + pieces_width(&prefix), &text, width)
        .0
        .len()
}

/// A message waiting in the queue, marked as queued, as rows.
pub fn queued_rows<'a>(message: &'a Outgoing, me: Option<&str>, width: usize) -> Vec<Row<'a>> {
    let me = me.unwrap_or("you");
    let what = match message {
        Outgoing::Say { .. } => format!("<{me}> "),
        Outgoing::Me { .. } => format!("* {me} "),
        Outgoing::Msg { to, .. } => format!("-> *{to}* "),
    };
    let prefix = vec![Piece::new(format!("queued {what}"), Tone::Queued)];
    lay_out(prefix, Cow::Borrowed(message.text()), Tone::Queued, width)
}

/// The row above the first entry that arrived since the reader last left the buffer:
/// a rule with ` new ` in it, `width` columns wide.
pub fn marker_row(width: usize) -> Row<'static> {
    rule_row("new", width, Tone::Marker)
}

/// A mark in a room's history as its row.
fn mark_row(mark: Mark, width: usize) -> Row<'static> {
    match mark {
        Mark::History => rule_row("history", width, Tone::History),
        Mark::Live => rule_row("live from here", width, Tone::History),
        Mark::Gap => rule_row("some messages could not be recovered", width, Tone::Gap),
    }
}

/// The row above the oldest entry of a room's buffer: what lies before it.
pub fn top_row(top: TopRow, width: usize) -> Row<'static> {
    let label = match top {
        TopRow::Loading => "loading older messages…",
        TopRow::Start => "start of history",
        TopRow::Full => "scrollback full: /search finds older messages",
    };
    rule_row(label, width, Tone::History)
}

/// What the row above the oldest entry says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TopRow {
    /// Older messages were asked for.
    Loading,
    /// There are none.
    Start,
    /// The buffer keeps no more (`--scrollback`).
    Full,
}

/// A rule across the pane with `label` in it, `width` columns wide: the label alone,
/// cut to the width, when the rule does not fit.
fn rule_row(label: &str, width: usize, tone: Tone<'static>) -> Row<'static> {
    let label = format!(" {label} ");
    let label_width = display_width(&label);
    let text = if width >= TIME_COLUMNS + label_width {
        let rest = width - TIME_COLUMNS - label_width;
        format!("{}{label}{}", "─".repeat(TIME_COLUMNS), "─".repeat(rest))
    } else {
        label.trim().chars().take(width).collect()
    };
    vec![Piece::new(text, tone)]
}

/// What an entry shows after its time: a prefix that says what it is, the text, and the
/// text's tone.
fn content(kind: &EntryKind) -> (Row<'_>, Cow<'_, str>, Tone<'_>) {
    let mut prefix = Vec::with_capacity(4);
    let (text, tone) = match kind {
        EntryKind::Message {
            from,
            text,
            own,
            mentions_me,
        } => {
            let nick = Tone::Nick {
                name: from,
                own: *own,
            };
            prefix.push(Piece::new(format!("<{from}>"), nick));
            prefix.push(Piece::new(" ", Tone::Plain));
            let tone = match (own, mentions_me) {
                (true, _) => Tone::OwnText,
                (false, true) => Tone::Mention,
                (false, false) => Tone::Plain,
            };
            (Cow::Borrowed(text.as_str()), tone)
        }
        EntryKind::Action {
            from,
            text,
            own,
            mentions_me,
        } => {
            let nick = Tone::Nick {
                name: from,
                own: *own,
            };
            prefix.push(Piece::new("* ", Tone::Action));
            prefix.push(Piece::new(from.as_str(), nick));
            prefix.push(Piece::new(" ", Tone::Plain));
            let tone = if *mentions_me {
                Tone::Mention
            } else {
                Tone::Action
            };
            (Cow::Borrowed(text.as_str()), tone)
        }
        EntryKind::Private {
            from,
            to,
            text,
            outgoing,
        } => {
            let tag = if *outgoing {
                format!("-> *{to}* ")
            } else {
                format!("*{from}* ")
            };
            prefix.push(Piece::new(tag, Tone::PrivateTag));
            (Cow::Borrowed(text.as_str()), Tone::Private)
        }
        EntryKind::Joined(name) => {
            prefix.push(Piece::new("→ ", Tone::Joined));
            (Cow::Owned(format!("{name} joined")), Tone::Joined)
        }
        EntryKind::Left {
            name,
            reason,
            message,
            by: Some(by),
        } => {
            prefix.push(Piece::new("← ", Tone::Left));
            let what = if *reason == LeaveReason::Banned {
                "banned"
            } else {
                "kicked"
            };
            let why = message
                .as_ref()
                .map_or_else(String::new, |message| format!(" ({message})"));
            let text = format!("{name} was {what} by {by}{why}");
            (Cow::Owned(text), Tone::Left)
        }
        EntryKind::Left {
            name,
            reason,
            message,
            by: None,
        } => {
            prefix.push(Piece::new("← ", Tone::Left));
            let why = reason.describe_with(message.as_deref(), None);
            (Cow::Owned(format!("{name} left ({why})")), Tone::Left)
        }
        EntryKind::Muted {
            name,
            by,
            lasting,
            reason,
        } => {
            prefix.push(Piece::new("~ ", Tone::Info));
            let text = match lasting {
                Some(lasting) => {
                    let why = reason
                        .as_ref()
                        .map_or_else(String::new, |reason| format!(" ({reason})"));
                    let lasting = chat_shared::duration::format_duration(*lasting);
                    format!("{name} was muted by {by} for {lasting}{why}")
                }
                None => format!("{by} unmuted {name}"),
            };
            (Cow::Owned(text), Tone::Info)
        }
        EntryKind::Presence { joined, left } => {
            prefix.push(Piece::new("± ", Tone::Info));
            let text = match (joined, left) {
                (joined, 0) => format!("{joined} joined"),
                (0, left) => format!("{left} left"),
                (joined, left) => format!("{joined} joined, {left} left"),
            };
            (Cow::Owned(text), Tone::Info)
        }
        EntryKind::Renamed { old, new } => {
            prefix.push(Piece::new("~ ", Tone::Info));
            let text = format!("{old} is now known as {new}");
            (Cow::Owned(text), Tone::Info)
        }
        EntryKind::Topic { by, text } if text.is_empty() => {
            prefix.push(Piece::new("~ ", Tone::Info));
            (Cow::Owned(format!("{by} cleared the topic")), Tone::Info)
        }
        EntryKind::Topic { by, text } => {
            prefix.push(Piece::new("~ ", Tone::Info));
            let text = format!("{by} set the topic: {text}");
            (Cow::Owned(text), Tone::Info)
        }
        EntryKind::Notice(text) | EntryKind::Info(text) => {
            prefix.push(Piece::new("-- ", Tone::Info));
            (Cow::Borrowed(text.as_str()), Tone::Info)
        }
        EntryKind::Error(text) => {
            prefix.push(Piece::new("!! ", Tone::Error));
            (Cow::Borrowed(text.as_str()), Tone::Error)
        }
        EntryKind::Mark(_) => (Cow::Borrowed(""), Tone::History),
    };
    (prefix, text, tone)
}

/// Puts the prefix before the first row of the wrapped text, and indents the other rows
/// under the text when there is room for it.
fn lay_out<'a>(prefix: Row<'a>, text: Cow<'_, str>, tone: Tone<'a>, width: usize) -> Vec<Row<'a>> {
    let (pieces, indent) = wrapped(pieces_width(&prefix), &text, width);
    let mut prefix = Some(prefix);
    pieces
        .into_iter()
        .map(|piece| {
            let mut row = prefix
                .take()
                .unwrap_or_else(|| vec![Piece::new(" ".repeat(indent), Tone::Plain)]);
            row.push(Piece::new(piece, tone));
            row
        })
        .collect()
}

/// The text wrapped after a prefix `prefix_width` columns wide, and the indent of the
/// rows after the first: under the text when there is room for it, else none.
fn wrapped(prefix_width: usize, text: &str, width: usize) -> (Vec<String>, usize) {
    let (first, indent) = if width >= prefix_width + MIN_INDENTED_TEXT {
        (width - prefix_width, prefix_width)
    } else {
        (0, 0)
    };
    (wrap_hanging(text, first, width - indent), indent)
}

/// Columns of pieces drawn on one row.
fn pieces_width(pieces: &[Piece]) -> usize {
    pieces.iter().map(|piece| display_width(&piece.text)).sum()
}

#[cfg(test)]
mod tests {
    use chat_shared::frame::LeaveReason;
    use proptest::prelude::*;

    use super::*;

    /// The rows as text.
    fn text_of(rows: &[Row]) -> Vec<String> {
        rows.iter()
            .map(|row| row.iter().map(|piece| piece.text.as_ref()).collect())
            .collect()
    }

    #[test]
    fn indents_wrapped_rows_under_the_text() {
        let entry = Entry {
            id: None,
            replayed: false,
            time: Some("2026-01-01T12:03:00Z".parse().unwrap()),
            kind: EntryKind::Message {
                from: "bob".into(),
                text: "one two three four five six".into(),
                own: false,
                mentions_me: false,
            },
        };
        assert_eq!(
            text_of(&entry_rows(&entry, &TimeZone::UTC, 30)),
            ["12:03 <bob> one two three four", "            five six",]
        );
    }

    /// Every kind of entry, with names and texts that wrap, have wide characters or
    /// several lines.
    fn entry_kind() -> impl Strategy<Value = EntryKind> {
        let name = "[a-z李_]{1,24}";
        let text = "[a-z 李😂\n]{0,120}";
        prop_oneof![
            (name, text, any::<bool>(), any::<bool>()).prop_map(
                |(from, text, own, mentions_me)| EntryKind::Message {
                    from,
                    text,
                    own,
                    mentions_me
                }
            ),
            (name, text, any::<bool>(), any::<bool>()).prop_map(
                |(from, text, own, mentions_me)| EntryKind::Action {
                    from,
                    text,
                    own,
                    mentions_me
                }
            ),
            (name, name, text, any::<bool>()).prop_map(|(from, to, text, outgoing)| {
                EntryKind::Private {
                    from,
                    to,
                    text,
                    outgoing,
                }
            }),
            name.prop_map(EntryKind::Joined),
            (name, proptest::option::of(text)).prop_map(|(name, message)| EntryKind::Left {
                by: None,
                name,
                reason: LeaveReason::Quit,
                message
            }),
            (name, name).prop_map(|(old, new)| EntryKind::Renamed { old, new }),
            (0usize..2000, 0usize..2000)
                .prop_map(|(joined, left)| EntryKind::Presence { joined, left }),
            (name, text).prop_map(|(by, text)| EntryKind::Topic { by, text }),
            text.prop_map(EntryKind::Notice),
            text.prop_map(EntryKind::Info),
            text.prop_map(EntryKind::Error),
            prop_oneof![Just(Mark::History), Just(Mark::Live), Just(Mark::Gap)]
                .prop_map(EntryKind::Mark),
        ]
    }

    proptest! {
        #[test]
        fn an_entrys_height_is_the_number_of_its_rows(
            kind in entry_kind(),
            timed in any::<bool>(),
            replayed in any::<bool>(),
            width in 1usize..100,
        ) {
            let time = timed.then(|| "2026-01-01T12:03:00Z".parse().unwrap());
            let entry = Entry {
                id: None,
                replayed,
                time,
                kind,
            };
            prop_assert_eq!(
                entry_height(&entry, width),
                entry_rows(&entry, &TimeZone::UTC, width).len()
            );
        }
    }

    #[test]
    fn a_departure_reads_as_in_the_servers_plain_mode_on_one_row() {
        let entry = Entry {
            id: None,
            replayed: false,
            time: None,
            kind: EntryKind::Left {
                by: None,
                name: "bob".into(),
                reason: LeaveReason::Quit,
                message: Some("see you\nlater".into()),
            },
        };
        assert_eq!(
            text_of(&entry_rows(&entry, &TimeZone::UTC, 80)),
            ["      ← bob left (quit: see you later)"]
        );
    }

    #[test]
    fn starts_the_text_under_a_prefix_too_wide_to_share_a_row() {
        let entry = Entry {
            id: None,
            replayed: false,
            time: None,
            kind: EntryKind::Joined("a_rather_long_name".into()),
        };
        let rows = text_of(&entry_rows(&entry, &TimeZone::UTC, 12));
        assert_eq!(rows, ["      → ", "a_rather_lon", "g_name", "joined"]);
    }

    #[test]
    fn pieces_say_what_they_are() {
        let entry = Entry {
            id: None,
            replayed: false,
            time: None,
            kind: EntryKind::Message {
                from: "bob".into(),
                text: "hi alice".into(),
                own: false,
                mentions_me: true,
            },
        };
        let rows = entry_rows(&entry, &TimeZone::UTC, 80);
        let tones: Vec<Tone> = rows[0].iter().map(|piece| piece.tone).collect();
        assert_eq!(
            tones,
            [
                Tone::Time,
                Tone::Nick {
                    name: "bob",
                    own: false
                },
                Tone::Plain,
                Tone::Mention
            ]
        );
    }
}
