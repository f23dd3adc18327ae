//! The help overlay: keys and commands.

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph};

use super::theme;
use crate::app::commands::COMMANDS;
use crate::keymap::KEY_HELP;

/// Width of the key column.
const KEY_COLUMN: usize = 28;

/// Draws the help box over whatever is on screen.
pub fn render(frame: &mut Frame, area: Rect) {
    let mut lines = vec![Line::from(Span::styled("Keys", theme::INFO.bold()))];
    for (keys, what) in KEY_HELP {
        lines.push(Line::from(vec![
            Span::styled(format!(" {keys:<KEY_COLUMN$}"), theme::KEY),
            Span::raw(*what),
        ]));
    }
    lines.push(Line::default());
    lines.push(Line::from(Span::styled("Commands", theme::INFO.bold())));
    for (command, arguments, what) in COMMANDS {
        let usage = format!("{command} {arguments}");
        lines.push(Line::from(vec![
            Span::styled(format!(" {usage:<KEY_COLUMN$}"), theme::KEY),
            Span::raw(*what),
        ]));
    }
    lines.push(Line::from(Span::styled(
        " //text sends a line starting with /",
        theme::CHROME,
    )));
    let height = (lines.len() + 2).min(usize::from(area.height)) as u16;
    let popup = area.centered(
        Constraint::Length(area.width.min(70)),
        Constraint::Length(height),
    );
    let block = Block::bordered()
        .border_style(theme::CHROME)
        .title(Span::styled(" Help ", theme::KEY))
        .title_bottom(Span::styled(" Esc closes ", theme::CHROME));
    frame.render_widget(Clear, popup);
    frame.render_widget(Paragraph::new(lines).block(block), popup);
}
