//! The status bar: connection state, the user's name, where something happened unseen
//! (when the sidebar is hidden), queued messages, the server's address and a hint for
//! help. The bar is the terminal's colors reversed; the state and
//! the count of queued messages are badges in their own color. When the terminal is
//! narrow, the hint goes first, then the address; the state is cut last. (Why the
//! connection broke is told in the message pane, which has room for it.)

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::theme::Theme;
use crate::app::layout::SIDEBAR_FROM_WIDTH;
use crate::app::{App, Connection};
use crate::wrap::truncate;

/// The hint at the right end.
const HINT: &str = " F1 help ";

/// Draws the status bar.
pub fn render(app: &App, theme: &Theme, frame: &mut Frame, area: Rect) {
    let width = usize::from(area.width);
    let (state, state_style) = describe(app.connection(), theme);
    let mut left = vec![Span::styled(
        truncate(&format!(" {state} "), width),
        state_style,
    )];
    if let Some(me) = app.me() {
        left.push(Span::raw("│ "));
        left.push(Span::styled(format!("{me} "), Style::new().bold()));
    }
    if area.width < SIDEBAR_FROM_WIDTH {
        left.extend(activity(app, theme));
    }
    let queued = app.outbox.queued().len();
    if queued > 0 {
        left.push(Span::raw("│ "));
        left.push(Span::styled(
            format!("{queued} queued "),
            theme.pending.bold(),
        ));
    }
    let address = format!(" {} ", app.config.server);
    let used: usize = left.iter().map(|span| span.width()).sum();
    let mut right = Vec::new();
    if used + address.len() + 1 + HINT.len() <= width {
        right.push(Span::raw(address));
        right.push(Span::raw("│"));
        right.push(Span::raw(HINT));
    } else if used + address.len() <= width {
        right.push(Span::raw(address));
    }
    let right_width: usize = right.iter().map(|span| span.width()).sum();
    let gap = width.saturating_sub(used + right_width);
    let mut spans = left;
    spans.push(Span::raw(" ".repeat(gap)));
    spans.extend(right);
    frame.render_widget(Paragraph::new(Line::from(spans)).style(theme.status), area);
}

/// `│ Act: 3,4 ` (irssi's way): the places in the buffer list of the buffers where
/// something happened unseen, those with a mention marked; nothing when there are none.
fn activity(app: &App, theme: &Theme) -> Vec<Span<'static>> {
    let active: Vec<(usize, bool)> = app
        .buffers()
        .iter()
        .enumerate()
        .filter(|(_, buffer)| buffer.activity())
        .map(|(index, buffer)| (index + 1, buffer.mention()))
        .collect();
    if active.is_empty() {
        return Vec::new();
    }
    let mut spans = vec![Span::raw("│ Act: ")];
    for (index, (place, mention)) in active.into_iter().enumerate() {
        if index > 0 {
            spans.push(Span::raw(","));
        }
        let style = if mention {
            theme.mention
        } else {
            theme.activity
        };
        spans.push(Span::styled(place.to_string(), style));
    }
    spans.push(Span::raw(" "));
    spans
}

/// The connection state in words, and its color.
fn describe(connection: &Connection, theme: &Theme) -> (String, Style) {
    match connection {
        Connection::Connecting { attempt: 1 } => ("● connecting…".to_owned(), theme.pending),
        Connection::Connecting { attempt } => {
            (format!("● reconnecting (try {attempt})…"), theme.pending)
        }
        Connection::Connected | Connection::LoggedIn => ("● connected".to_owned(), theme.good),
        Connection::Down {
            retry_in_secs: 0,
            restarting: false,
            ..
        } => ("○ disconnected; retrying…".to_owned(), theme.error),
        Connection::Down {
            retry_in_secs,
            restarting: false,
            ..
        } => (
            format!("○ disconnected; retry in {retry_in_secs}s (Ctrl-R: now)"),
            theme.error,
        ),
        Connection::Down {
            retry_in_secs: 0,
            restarting: true,
            ..
        } => (
            "○ server restarting; reconnecting…".to_owned(),
            theme.pending,
        ),
        Connection::Down {
            retry_in_secs,
            restarting: true,
            ..
        } => (
            format!("○ server restarting; reconnecting in {retry_in_secs}s (Ctrl-R: now)"),
            theme.pending,
        ),
        Connection::Removed { .. } => (
            "○ disconnected by the server (Ctrl-R: reconnect)".to_owned(),
            theme.error,
        ),
    }
}
