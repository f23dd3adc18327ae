//! The help overlay, drawn as [`Help`] lays it out: keys and commands, scrollable when
//! the terminal is too low for it.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph};

use super::theme::Theme;
use crate::app::App;
use crate::app::help::{Help, HelpLine};
use crate::wrap::display_width;

/// Draws the help box over whatever is on screen.
pub fn render(app: &App, theme: &Theme, frame: &mut Frame, area: Rect) {
    let help = Help::new(area);
    let scroll = app.help_scroll.min(help.max_scroll());
    let mut block = Block::bordered()
        .border_style(theme.chrome)
        .title(Span::styled(" Help ", theme.key))
        .title_bottom(Span::styled(" Esc closes ", theme.chrome));
    if help.max_scroll() > 0 {
        block = block.title_bottom(Span::styled(" ↑↓ scroll ", theme.chrome));
    }
    let width = help.key_width;
    let lines: Vec<Line> = help
        .lines
        .into_iter()
        .map(|line| match line {
            HelpLine::Heading(title) => Line::from(Span::styled(title, theme.heading)),
            HelpLine::Row { keys, what } => Line::from(vec![
                Span::styled(format!(" {keys} "), theme.key),
                Span::raw(" ".repeat(width.saturating_sub(display_width(&keys)))),
                Span::raw(what),
            ]),
        })
        .collect();
    frame.render_widget(Clear, help.area);
    frame.render_widget(
        Paragraph::new(lines).block(block).scroll((scroll, 0)),
        help.area,
    );
}
