//! The help overlay: keys and commands, scrollable when the terminal is too low for it.

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph};

use super::theme;
use crate::app::App;
use crate::app::commands::COMMANDS;
use crate::keymap::KEY_HELP;

/// Width of the key column.
const KEY_COLUMN: usize = 17;
/// Widest the box gets.
const BOX_WIDTH: u16 = 56;

/// Draws the help box over whatever is on screen.
pub fn render(app: &App, frame: &mut Frame, area: Rect) {
    let lines = content();
    let popup = popup_area(area, lines.len());
    let scroll = app.help_scroll.min(max_scroll(area));
    let mut block = Block::bordered()
        .border_style(theme::CHROME)
        .title(Span::styled(" Help ", theme::KEY))
        .title_bottom(Span::styled(" Esc closes ", theme::CHROME));
    if max_scroll(area) > 0 {
        block = block.title_bottom(Span::styled(" ↑↓ scroll ", theme::CHROME));
    }
    frame.render_widget(Clear, popup);
    frame.render_widget(
        Paragraph::new(lines).block(block).scroll((scroll, 0)),
        popup,
    );
}

/// How far the help can scroll in a terminal of `area`: 0 when it fits.
pub fn max_scroll(area: Rect) -> u16 {
    let lines = content().len();
    let inner = popup_area(area, lines).height.saturating_sub(2);
    (lines as u16).saturating_sub(inner)
}

fn popup_area(area: Rect, lines: usize) -> Rect {
    let height = (lines + 2).min(usize::from(area.height)) as u16;
    area.centered(
        Constraint::Length(area.width.min(BOX_WIDTH)),
        Constraint::Length(height),
    )
}

fn content() -> Vec<Line<'static>> {
    let row = |keys: String, what: &'static str| {
        Line::from(vec![
            Span::styled(format!(" {keys:<KEY_COLUMN$} "), theme::KEY),
            Span::raw(what),
        ])
    };
    let mut lines = vec![Line::from(Span::styled("Keys", theme::INFO.bold()))];
    lines.extend(
        KEY_HELP
            .iter()
            .map(|(keys, what)| row((*keys).to_owned(), what)),
    );
    lines.push(Line::from(Span::styled("Commands", theme::INFO.bold())));
    lines.extend(
        COMMANDS
            .iter()
            .map(|(command, arguments, what)| row(format!("{command} {arguments}"), what)),
    );
    lines.push(row("//text".to_owned(), "send a line starting with /"));
    lines
}
