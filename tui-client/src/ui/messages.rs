//! The message pane: entries as styled, wrapped lines, scrolled to the reader's position,
//! with the messages still waiting to be sent at the bottom.

use std::borrow::Cow;

use jiff::tz::TimeZone;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};

use super::theme;
use crate::app::App;
use crate::app::outbox::Outgoing;
use crate::app::scrollback::{Entry, EntryKind};
use crate::app::view::Blocks;
use crate::wrap::{display_width, wrap_hanging};

/// Below this many columns for the text, wrapped lines are not indented under the text.
const MIN_INDENTED_TEXT: usize = 12;

/// Draws the visible part of the history: from the view's bottom row up, laying out only
/// the blocks that show, wherever the view is in a history of any length.
pub fn render(app: &App, frame: &mut Frame, area: Rect) {
    let height = usize::from(area.height);
    let blocks = PaneBlocks::new(app, area.width);
    let Some(bottom) = app.log.view().bottom_row(&blocks) else {
        return;
    };
    let mut hidden = bottom.hidden;
    let mut bottom_up: Vec<Line<'static>> = Vec::with_capacity(height);
    for index in (0..=bottom.block).rev() {
        for line in blocks.lines(index).into_iter().rev() {
            if hidden > 0 {
                hidden -= 1;
            } else {
                bottom_up.push(line);
            }
        }
        if bottom_up.len() >= height {
            break;
        }
    }
    bottom_up.truncate(height);
    let top = area.y + area.height - bottom_up.len() as u16;
    for (row, line) in bottom_up.iter().rev().enumerate() {
        frame
            .buffer_mut()
            .set_line(area.x, top + row as u16, line, area.width);
    }
}

/// The message pane's content as the blocks a [`View`](crate::app::view::View) moves
/// over: the entries, oldest first, then the messages queued to be sent, each laid out at
/// the pane's width.
pub struct PaneBlocks<'a> {
    /// Whose entries and queue.
    app: &'a App,
    /// The pane's width in columns.
    width: usize,
}

impl<'a> PaneBlocks<'a> {
    /// The blocks of `app`'s message pane, `width` columns wide.
    pub fn new(app: &'a App, width: u16) -> Self {
        Self {
            app,
            width: usize::from(width),
        }
    }

    /// Block `index` as the lines drawn for it.
    pub fn lines(&self, index: usize) -> Vec<Line<'static>> {
        let entries = self.app.log.entries();
        match entries.get(index) {
            Some(entry) => entry_lines(entry, &self.app.config.time_zone, self.width),
            None => self
                .app
                .outbox
                .queued()
                .nth(index - entries.len())
                .map(|message| queued_lines(message, self.app.me(), self.width))
                .unwrap_or_default(),
        }
    }
}

impl Blocks for PaneBlocks<'_> {
    fn count(&self) -> usize {
        self.app.log.entries().len() + self.app.outbox.queued().len()
    }

    fn height(&self, index: usize) -> usize {
        match self.app.log.entries().get(index) {
            Some(entry) => entry_height(entry, self.width),
            None => self.lines(index).len(),
        }
    }
}

/// Columns the time takes at the start of an entry's first line: `12:03 `, or blanks.
const TIME_COLUMNS: usize = 6;

/// An entry as lines: time, a prefix that says what it is, and the wrapped text.
pub fn entry_lines(entry: &Entry, time_zone: &TimeZone, width: usize) -> Vec<Line<'static>> {
    let time = match entry.time {
        Some(time) => time_zone.to_datetime(time).strftime("%H:%M ").to_string(),
        None => " ".repeat(TIME_COLUMNS),
    };
    let (mut prefix, text, style) = entry_content(&entry.kind);
    prefix.insert(0, Span::styled(time, theme::TIME));
    lay_out(prefix, &text, style, width)
}

/// How many lines [`entry_lines`] gives, without formatting the time or styling lines.
fn entry_height(entry: &Entry, width: usize) -> usize {
    let (prefix, text, _) = entry_content(&entry.kind);
    wrapped(TIME_COLUMNS + spans_width(&prefix), &text, width)
        .0
        .len()
}

/// What an entry shows after its time: a prefix that says what it is, the text, and the
/// text's style.
fn entry_content(kind: &EntryKind) -> (Vec<Span<'static>>, Cow<'_, str>, Style) {
    let mut prefix = Vec::with_capacity(4);
    let (text, style) = match kind {
        EntryKind::Message {
            from,
            text,
            own,
            mentions_me,
        } => {
            let nick_style = theme::nick_of(from, *own);
            prefix.push(Span::styled(format!("<{from}>"), nick_style));
            prefix.push(Span::raw(" "));
            let style = match (own, mentions_me) {
                (true, _) => theme::OWN_TEXT,
                (false, true) => theme::MENTION,
                (false, false) => Style::new(),
            };
            (Cow::Borrowed(text.as_str()), style)
        }
        EntryKind::Action {
            from,
            text,
            own,
            mentions_me,
        } => {
            let nick_style = theme::nick_of(from, *own);
            prefix.push(Span::styled("* ", theme::ACTION));
            prefix.push(Span::styled(from.clone(), nick_style));
            prefix.push(Span::raw(" "));
            let style = if *mentions_me {
                theme::MENTION
            } else {
                theme::ACTION
            };
            (Cow::Borrowed(text.as_str()), style)
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
            prefix.push(Span::styled(tag, theme::PRIVATE.bold()));
            (Cow::Borrowed(text.as_str()), theme::PRIVATE)
        }
        EntryKind::Joined(name) => {
            prefix.push(Span::styled("→ ", theme::JOINED));
            (Cow::Owned(format!("{name} joined")), theme::JOINED)
        }
        EntryKind::Left {
            name,
            reason,
            message,
        } => {
            prefix.push(Span::styled("← ", theme::LEFT));
            let why = reason.describe_with(message.as_deref());
            (Cow::Owned(format!("{name} left ({why})")), theme::LEFT)
        }
        EntryKind::Renamed { old, new } => {
            prefix.push(Span::styled("~ ", theme::INFO));
            (
                Cow::Owned(format!("{old} is now known as {new}")),
                theme::INFO,
            )
        }
        EntryKind::Info(text) => {
            prefix.push(Span::styled("-- ", theme::INFO));
            (Cow::Borrowed(text.as_str()), theme::INFO)
        }
        EntryKind::Error(text) => {
            prefix.push(Span::styled("!! ", theme::ERROR));
            (Cow::Borrowed(text.as_str()), theme::ERROR)
        }
    };
    (prefix, text, style)
}

/// A message waiting in the queue, drawn dim and marked as queued.
fn queued_lines(message: &Outgoing, me: Option<&str>, width: usize) -> Vec<Line<'static>> {
    let me = me.unwrap_or("you");
    let what = match message {
        Outgoing::Say(_) => format!("<{me}> "),
        Outgoing::Me(_) => format!("* {me} "),
        Outgoing::Msg { to, .. } => format!("-> *{to}* "),
    };
    let prefix = vec![Span::styled(format!("queued {what}"), theme::QUEUED)];
    lay_out(prefix, message.text(), theme::QUEUED, width)
}

/// Puts the prefix before the first line of the wrapped text, and indents the other
/// lines under the text when there is room for it.
fn lay_out(
    prefix: Vec<Span<'static>>,
    text: &str,
    style: Style,
    width: usize,
) -> Vec<Line<'static>> {
    let (pieces, indent) = wrapped(spans_width(&prefix), text, width);
    let mut prefix = Some(prefix);
    pieces
        .into_iter()
        .map(|piece| {
            let mut spans = prefix
                .take()
                .unwrap_or_else(|| vec![Span::raw(" ".repeat(indent))]);
            spans.push(Span::styled(piece, style));
            Line::from(spans)
        })
        .collect()
}

/// The text wrapped after a prefix `prefix_width` columns wide, and the indent of the
/// lines after the first: under the text when there is room for it, else none.
fn wrapped(prefix_width: usize, text: &str, width: usize) -> (Vec<String>, usize) {
    let (first, indent) = if width >= prefix_width + MIN_INDENTED_TEXT {
        (width - prefix_width, prefix_width)
    } else {
        (0, 0)
    };
    (wrap_hanging(text, first, width - indent), indent)
}

/// Columns of spans drawn on one line.
fn spans_width(spans: &[Span]) -> usize {
    spans.iter().map(|span| display_width(&span.content)).sum()
}

#[cfg(test)]
mod tests {
    use chat_shared::frame::LeaveReason;
    use proptest::prelude::*;

    use super::*;

    fn text_of(lines: &[Line]) -> Vec<String> {
        lines.iter().map(|line| line.to_string()).collect()
    }

    #[test]
    fn indents_wrapped_lines_under_the_text() {
        let entry = Entry {
            time: Some("2026-01-01T12:03:00Z".parse().unwrap()),
            kind: EntryKind::Message {
                from: "bob".into(),
                text: "one two three four five six".into(),
                own: false,
                mentions_me: false,
            },
        };
        assert_eq!(
            text_of(&entry_lines(&entry, &TimeZone::UTC, 30)),
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
                name,
                reason: LeaveReason::Quit,
                message
            }),
            (name, name).prop_map(|(old, new)| EntryKind::Renamed { old, new }),
            text.prop_map(EntryKind::Info),
            text.prop_map(EntryKind::Error),
        ]
    }

    proptest! {
        #[test]
        fn an_entrys_height_is_the_number_of_its_lines(
            kind in entry_kind(),
            timed in any::<bool>(),
            width in 1usize..100,
        ) {
            let time = timed.then(|| "2026-01-01T12:03:00Z".parse().unwrap());
            let entry = Entry { time, kind };
            prop_assert_eq!(
                entry_height(&entry, width),
                entry_lines(&entry, &TimeZone::UTC, width).len()
            );
        }
    }

    #[test]
    fn a_departure_reads_as_in_the_servers_plain_mode_on_one_line() {
        let entry = Entry {
            time: None,
            kind: EntryKind::Left {
                name: "bob".into(),
                reason: LeaveReason::Quit,
                message: Some("see you\nlater".into()),
            },
        };
        assert_eq!(
            text_of(&entry_lines(&entry, &TimeZone::UTC, 80)),
            ["      ← bob left (quit: see you later)"]
        );
    }

    #[test]
    fn starts_the_text_under_a_prefix_too_wide_to_share_a_line() {
        let entry = Entry {
            time: None,
            kind: EntryKind::Joined("a_rather_long_name".into()),
        };
        let lines = text_of(&entry_lines(&entry, &TimeZone::UTC, 12));
        assert_eq!(lines, ["      → ", "a_rather_lon", "g_name", "joined"]);
    }
}
