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
use crate::wrap::{display_width, wrap_hanging};

/// Below this many columns for the text, wrapped lines are not indented under the text.
const MIN_INDENTED_TEXT: usize = 12;

/// Draws the visible part of the history.
pub fn render(app: &App, frame: &mut Frame, area: Rect) {
    let width = usize::from(area.width);
    let height = usize::from(area.height);
    let wanted = app.log.scroll() + height;
    let mut bottom_up: Vec<Line<'static>> = Vec::new();
    for message in app.outbox.queued().rev() {
        bottom_up.extend(queued_lines(message, app.me(), width).into_iter().rev());
    }
    for entry in app.log.entries().iter().rev() {
        if bottom_up.len() >= wanted {
            break;
        }
        bottom_up.extend(
            entry_lines(entry, &app.config.time_zone, width)
                .into_iter()
                .rev(),
        );
    }
    let visible = bottom_up.iter().skip(app.log.scroll()).take(height).rev();
    let top = area.y + area.height - visible.len() as u16;
    for (row, line) in visible.enumerate() {
        frame
            .buffer_mut()
            .set_line(area.x, top + row as u16, line, area.width);
    }
}

/// How many lines an entry takes at `width`.
pub fn entry_height(entry: &Entry, width: u16) -> usize {
    entry_lines(entry, &TimeZone::UTC, usize::from(width)).len()
}

/// How many lines the whole history (and the queue) takes at `width`.
pub fn total_height(app: &App, width: u16) -> usize {
    let width = usize::from(width);
    let entries: usize = app
        .log
        .entries()
        .iter()
        .map(|entry| entry_lines(entry, &TimeZone::UTC, width).len())
        .sum();
    let queued: usize = app
        .outbox
        .queued()
        .map(|message| queued_lines(message, app.me(), width).len())
        .sum();
    entries + queued
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
            let why = match message {
                Some(message) => format!("{}: {message}", reason.describe()),
                None => reason.describe().to_owned(),
            };
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
    fn starts_the_text_under_a_prefix_too_wide_to_share_a_line() {
        let entry = Entry {
            time: None,
            kind: EntryKind::Joined("a_rather_long_name".into()),
        };
        let lines = text_of(&entry_lines(&entry, &TimeZone::UTC, 12));
        assert_eq!(lines, ["      → ", "a_rather_lon", "g_name", "joined"]);
    }
}
