//! The search results view, over the chat: one row per match (when, where, who, what),
//! cut to the box by display width, the selected one reversed and kept in view.

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph};

use super::theme::Theme;
use crate::app::App;
use crate::app::search::{Found, Search};
use crate::wrap::{display_width, truncate};

/// Widest the box gets, borders included.
const MAX_BOX_WIDTH: u16 = 100;

/// Columns the place (room or conversation) takes at most.
const MAX_PLACE_COLUMNS: usize = 16;

/// Draws the results view of `search` over whatever is on screen.
pub fn render(app: &App, search: &Search, theme: &Theme, frame: &mut Frame, area: Rect) {
    let width = area.width.saturating_sub(4).min(MAX_BOX_WIDTH);
    let shown = search
        .results
        .as_ref()
        .map_or(1, |results| results.len().max(1));
    let height = area
        .height
        .saturating_sub(4)
        .min(u16::try_from(shown + 2).unwrap_or(u16::MAX))
        .max(3);
    let area = area
        .centered_horizontally(Constraint::Length(width))
        .centered_vertically(Constraint::Length(height));
    let scope = match &search.room {
        Some(room) => format!("in {room}"),
        None => "everywhere".to_owned(),
    };
    let title = match &search.results {
        Some(results) => format!(" Search “{}” {scope} ({}) ", search.words, results.len()),
        None => format!(" Search “{}” {scope} ", search.words),
    };
    let inner_width = usize::from(width.saturating_sub(2));
    let block = Block::bordered()
        .border_style(theme.chrome)
        .title(Span::styled(truncate(&title, inner_width), theme.key))
        .title_bottom(Span::styled(
            " ↑↓ select · Enter shows it · Esc closes ",
            theme.chrome,
        ));
    let rows = usize::from(height.saturating_sub(2));
    let lines: Vec<Line> = match &search.results {
        None => vec![Line::styled("Searching…", theme.pending)],
        Some(results) if results.is_empty() => {
            vec![Line::styled("No messages match.", theme.info)]
        }
        Some(results) => {
            let place_width = results
                .iter()
                .map(|found| display_width(&found.place()))
                .max()
                .unwrap_or(0)
                .min(MAX_PLACE_COLUMNS);
            let first = search.selected.saturating_sub(rows.saturating_sub(1));
            results
                .iter()
                .enumerate()
                .skip(first)
                .take(rows)
                .map(|(index, found)| {
                    let line = result_line(app, found, (inner_width, place_width), theme);
                    if index == search.selected {
                        selected(line, theme)
                    } else {
                        line
                    }
                })
                .collect()
        }
    };
    frame.render_widget(Clear, area);
    frame.render_widget(Paragraph::new(lines).block(block), area);
}

/// One match as a row `width` columns wide, its place in a column `place_width` wide:
/// `Nov 24 12:00 #room <bob> text`.
fn result_line<'a>(
    app: &App,
    found: &Found,
    (width, place_width): (usize, usize),
    theme: &Theme,
) -> Line<'a> {
    let time = found.time.map_or_else(
        || " ".repeat(12),
        |time| {
            app.config()
                .time_zone
                .to_datetime(time)
                .strftime("%b %d %H:%M")
                .to_string()
        },
    );
    let place = truncate(&found.place(), place_width);
    let place = format!("{place}{}", " ".repeat(place_width - display_width(&place)));
    let from = format!("<{}>", found.from);
    let used = display_width(&time) + 1 + place_width + 1 + display_width(&from) + 1;
    let text = truncate(&found.text, width.saturating_sub(used));
    let mut spans = vec![
        Span::styled(time, theme.time),
        Span::raw(" "),
        Span::styled(place, theme.info),
        Span::raw(" "),
        Span::styled(from, theme.nick(&found.from)),
        Span::raw(" "),
        Span::raw(text),
    ];
    let mut shown = 0;
    spans.retain(|span| {
        let fits = shown + display_width(&span.content) <= width;
        shown += display_width(&span.content);
        fits
    });
    Line::from(spans)
}

/// The selected row: the terminal's own colors reversed, as the shown buffer in the
/// list, whatever colors its pieces had (reversing those would put text on a colored
/// background).
fn selected<'a>(line: Line<'a>, theme: &Theme) -> Line<'a> {
    let spans: Vec<Span> = line
        .spans
        .into_iter()
        .map(|span| Span::styled(span.content, theme.current))
        .collect();
    Line::from(spans).style(theme.current)
}
