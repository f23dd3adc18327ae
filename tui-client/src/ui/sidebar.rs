//! The sidebar: who is online, sorted, the user marked, the count in the title.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Padding, Paragraph};

use super::theme::Theme;
use crate::app::App;
use crate::wrap::truncate;

/// Marks the user's own name.
const ME_MARKER: &str = "▸";

/// Draws the list of who is online.
pub fn render(app: &App, theme: &Theme, frame: &mut Frame, area: Rect) {
    let block = Block::new()
        .borders(Borders::LEFT)
        .border_style(theme.chrome)
        .padding(Padding::left(1))
        .title(Span::styled(
            format!(" Online ({}) ", app.online().len()),
            theme.key,
        ));
    let name_width = usize::from(block.inner(area).width).saturating_sub(1);
    let me = app.me();
    let lines: Vec<Line> = app
        .online()
        .iter()
        .map(|name| {
            let shown = truncate(name, name_width);
            if Some(name.as_str()) == me {
                Line::from(vec![
                    Span::styled(ME_MARKER, theme.key),
                    Span::styled(shown, theme.own_nick(name)),
                ])
            } else {
                Line::from(vec![Span::raw(" "), Span::styled(shown, theme.nick(name))])
            }
        })
        .collect();
    let overflow = lines
        .len()
        .saturating_sub(usize::from(area.height.saturating_sub(1)));
    let mut lines = lines;
    if overflow > 0 {
        lines.truncate(lines.len() - overflow - 1);
        lines.push(Line::from(Span::styled(
            format!(" …and {} more", overflow + 1),
            theme.chrome,
        )));
    }
    frame.render_widget(Paragraph::new(lines).block(block), area);
}
