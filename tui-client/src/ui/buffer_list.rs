//! The buffer list: each buffer's place (Alt-1…9 goes there), its name cut to the
//! column by display width, and what the user has not seen in it: a count of unread
//! messages, marked `!` when one mentions the user or is private, and the name in bold
//! when anything happened there. The shown buffer is drawn reversed, in plain colors. A list longer than
//! its rows scrolls to keep the shown buffer in view, and counts the buffers in its
//! title.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Padding, Paragraph};

use super::theme::Theme;
use crate::app::App;
use crate::app::buffer::Buffer;
use crate::wrap::{display_width, truncate};

/// Draws the list.
pub fn render(app: &App, theme: &Theme, frame: &mut Frame, area: Rect) {
    let buffers = app.buffers();
    let rows = usize::from(area.height.saturating_sub(1));
    let title = if buffers.len() > rows {
        format!(" Buffers ({}) ", buffers.len())
    } else {
        " Buffers ".to_owned()
    };
    let block = Block::new()
        .borders(Borders::LEFT)
        .border_style(theme.chrome)
        .padding(Padding::left(1))
        .title(Span::styled(title, theme.key));
    let inner = block.inner(area);
    let current = buffers.current_index();
    let first = current
        .saturating_sub(rows.saturating_sub(1))
        .min(buffers.len().saturating_sub(rows));
    let place_width = buffers.len().to_string().len();
    let lines: Vec<Line> = buffers
        .iter()
        .enumerate()
        .skip(first)
        .take(rows)
        .map(|(index, buffer)| {
            let place = (index + 1, place_width);
            let width = usize::from(inner.width);
            if index == current {
                row(buffer, place, width, Style::new(), theme).patch_style(theme.current)
            } else {
                row(buffer, place, width, theme.chrome, theme)
            }
        })
        .collect();
    frame.render_widget(Paragraph::new(lines).block(block), area);
}

/// One buffer's row, `width` columns wide: its place in the list (right-aligned in
/// `place_width` columns, in `place_style`), name, and the unread count at the right
/// end.
fn row(
    buffer: &Buffer,
    (place, place_width): (usize, usize),
    width: usize,
    place_style: Style,
    theme: &Theme,
) -> Line<'static> {
    let count = match (buffer.unread(), buffer.mention()) {
        (0, _) => String::new(),
        (unread, true) => format!("!{unread}"),
        (unread, false) => unread.to_string(),
    };
    let count_width = if count.is_empty() { 0 } else { count.len() + 1 };
    let name_width = width.saturating_sub(place_width + 1 + count_width);
    let name = truncate(buffer.name(), name_width);
    let gap = width.saturating_sub(place_width + 1 + display_width(&name) + count.len());
    let name_style = if buffer.activity() {
        theme.activity
    } else {
        Style::new()
    };
    let count_style = if buffer.mention() {
        theme.mention
    } else {
        theme.activity
    };
    Line::from(vec![
        Span::styled(format!("{place:>place_width$} "), place_style),
        Span::styled(name, name_style),
        Span::raw(" ".repeat(gap)),
        Span::styled(count, count_style),
    ])
}
