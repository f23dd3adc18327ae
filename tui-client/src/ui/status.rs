//! The status bar: server address, connection state, the user's name, a hint for help.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::theme;
use crate::app::{App, Connection};

/// Draws the status bar.
pub fn render(app: &App, frame: &mut Frame, area: Rect) {
    let (state, state_style) = describe(app.connection());
    let mut spans = vec![
        Span::raw(format!(" {} ", app.config.server)),
        Span::raw("│ "),
        Span::styled(state, state_style.bg(theme::STATUS.bg.unwrap_or_default())),
        Span::raw(" "),
    ];
    if let Some(me) = app.me() {
        spans.push(Span::raw("│ "));
        spans.push(Span::styled(format!("{me} "), Style::new().bold()));
    }
    let queued = app.outbox.queued().len();
    if queued > 0 {
        spans.push(Span::raw("│ "));
        spans.push(Span::styled(
            format!("{queued} queued "),
            theme::PENDING.bold(),
        ));
    }
    let hint = " F1 help ";
    let used: usize = spans.iter().map(|span| span.width()).sum();
    let gap = usize::from(area.width).saturating_sub(used + hint.len());
    spans.push(Span::raw(" ".repeat(gap)));
    spans.push(Span::raw(hint));
    frame.render_widget(Paragraph::new(Line::from(spans)).style(theme::STATUS), area);
}

/// The connection state in words, and its color.
pub fn describe(connection: &Connection) -> (String, Style) {
    match connection {
        Connection::Connecting { attempt: 1 } => ("● connecting…".to_owned(), theme::PENDING),
        Connection::Connecting { attempt } => {
            (format!("● reconnecting (try {attempt})…"), theme::PENDING)
        }
        Connection::Connected | Connection::LoggedIn => ("● connected".to_owned(), theme::GOOD),
        Connection::Down {
            reason,
            retry_in_secs,
        } => (
            format!("○ disconnected: {reason}; retry in {retry_in_secs}s (Ctrl-R now)"),
            theme::ERROR,
        ),
        Connection::Ended { .. } => (
            "○ the server shut down; press any key to exit".to_owned(),
            theme::ERROR,
        ),
    }
}
