//! The message pane: entries as styled, wrapped lines, scrolled to the reader's position,
//! with the messages still waiting to be sent at the bottom.

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
        self.lines(index).len()
    }
}

/// An entry as lines: time, a prefix that says what it is, and the wrapped text.
pub fn entry_lines(entry: &Entry, time_zone: &TimeZone, width: usize) -> Vec<Line<'static>> {
    let time = match entry.time {
        Some(time) => time_zone.to_datetime(time).strftime("%H:%M ").to_string(),
        None => "      ".to_owned(),
    };
    let mut prefix = vec![Span::styled(time, theme::TIME)];
    let (text, style) = match &entry.kind {
        EntryKind::Message {
            from,
            text,
            own,
            mentions_me,
        } => {
            let nick_style = if *own {
                theme::own_nick(from)
            } else {
                theme::nick(from)
            };
            prefix.push(Span::styled(format!("<{from}>"), nick_style));
            prefix.push(Span::raw(" "));
            let style = match (own, mentions_me) {
                (true, _) => theme::OWN_TEXT,
                (false, true) => theme::MENTION,
                (false, false) => Style::new(),
            };
            (text.clone(), style)
        }
        EntryKind::Action {
            from,
            text,
            own,
            mentions_me,
        } => {
            let nick_style = if *own {
                theme::own_nick(from)
            } else {
                theme::nick(from)
            };
            prefix.push(Span::styled("* ", theme::ACTION));
            prefix.push(Span::styled(from.clone(), nick_style));
            prefix.push(Span::raw(" "));
            let style = if *mentions_me {
                theme::MENTION
            } else {
                theme::ACTION
            };
            (text.clone(), style)
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
            (text.clone(), theme::PRIVATE)
        }
        EntryKind::Joined(name) => {
            prefix.push(Span::styled("→ ", theme::JOINED));
            (format!("{name} joined"), theme::JOINED)
        }
        EntryKind::Left {
            name,
            reason,
            message,
        } => {
            prefix.push(Span::styled("← ", theme::LEFT));
            let why = reason.describe_with(message.as_deref());
            (format!("{name} left ({why})"), theme::LEFT)
        }
        EntryKind::Renamed { old, new } => {
            prefix.push(Span::styled("~ ", theme::INFO));
            (format!("{old} is now known as {new}"), theme::INFO)
        }
        EntryKind::Info(text) => {
            prefix.push(Span::styled("-- ", theme::INFO));
            (text.clone(), theme::INFO)
        }
        EntryKind::Error(text) => {
            prefix.push(Span::styled("!! ", theme::ERROR));
            (text.clone(), theme::ERROR)
        }
    };
    lay_out(prefix, &text, style, width)
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
    let prefix_width: usize = prefix.iter().map(|span| display_width(&span.content)).sum();
    let (first, indent) = if width >= prefix_width + MIN_INDENTED_TEXT {
        (width - prefix_width, prefix_width)
    } else {
        (0, 0)
    };
    let mut prefix = Some(prefix);
    wrap_hanging(text, first, width - indent)
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

#[cfg(test)]
mod tests {
    use chat_shared::frame::LeaveReason;

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
