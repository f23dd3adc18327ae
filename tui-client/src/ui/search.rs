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
const PLACE_COLUMNS: usize = 16;

/// Draws the results view of `search` over whatever is on screen.
pub fn render(app: &App, search: &Search, theme: &Theme, frame: &mut Frame, area: Rect) {
    let width = area.width.saturating_sub(4).min(MAX_BOX_WIDTH);
    let height = area.height.saturating_sub(4).max(3);
    let area = area
        .centered_horizontally(Constraint::Length(width))
        .centered_vertically(Constraint::Length(height));
    let scope = search.room.as_deref().unwrap_or("everywhere");
    let title = match &search.results {
        Some(results) => format!(" Search: {} in {scope} ({}) ", search.words, results.len()),
        None => format!(" Search: {} in {scope} ", search.words),
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
            let first = search.selected.saturating_sub(rows.saturating_sub(1));
            results
                .iter()
                .enumerate()
                .skip(first)
                .take(rows)
                .map(|(index, found)| {
                    let line = result_line(app, found, inner_width, theme);
                    if index == search.selected {
                        line.patch_style(theme.current)
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

/// One match as a row `width` columns wide: `Nov 24 12:00 #room <bob> text`.
fn result_line<'a>(app: &App, found: &Found, width: usize, theme: &Theme) -> Line<'a> {
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
    let place = truncate(&found.place(), PLACE_COLUMNS);
    let place = format!(
        "{place}{}",
        " ".repeat(PLACE_COLUMNS - display_width(&place))
    );
    let from = format!("<{}>", found.from);
    let used = display_width(&time) + 1 + PLACE_COLUMNS + 1 + display_width(&from) + 1;
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
