//! The login form: a centered box with the name field, the password field (hidden,
//! needed only for a registered name), live validation, the server's answer and the
//! connection state.

use chat_shared::name::{MAX_NAME_CHARS, validate_name};
use chat_shared::password::validate_password;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph, Wrap};

use super::input;
use super::theme::Theme;
use crate::app::layout;
use crate::app::{App, Connection, LoginField};

/// Widest the box gets.
const BOX_WIDTH: u16 = 60;

/// Draws the form and places the cursor in the name field.
pub fn render(app: &App, theme: &Theme, frame: &mut Frame, area: Rect) {
    let popup = area.centered(
        Constraint::Length(area.width.min(BOX_WIDTH)),
        Constraint::Length(layout::MIN_LOGIN_HEIGHT),
    );
    let block = Block::bordered()
        .border_style(theme.chrome)
        .title(Span::styled(" chat-tui ", theme.key));
    let inner = block.inner(popup).inner(ratatui::layout::Margin::new(1, 0));
    frame.render_widget(block, popup);
    let [_, name_row, password_row, validation, server, hint] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Length(2),
        Constraint::Length(3),
        Constraint::Length(2),
    ])
    .areas(inner);
    let name_cursor = input::field(theme, frame, name_row, &app.login.name, "Name:     ");
    let masked = app.login.password.masked();
    let password_cursor = input::field(theme, frame, password_row, &masked, "Password: ");
    let cursor = match app.login.focus {
        LoginField::Name => name_cursor,
        LoginField::Password => password_cursor,
    };
    if !app.help_open() {
        frame.set_cursor_position(cursor);
    }
    frame.render_widget(
        Paragraph::new(validation_line(app, theme)).wrap(Wrap { trim: true }),
        validation,
    );
    frame.render_widget(
        Paragraph::new(server_lines(app, theme)).wrap(Wrap { trim: true }),
        server,
    );
    frame.render_widget(
        Paragraph::new(hint_line(app, theme)).wrap(Wrap { trim: true }),
        hint,
    );
}

/// What is wrong or right with the name, live; or the server's reason for refusing it.
fn validation_line(app: &App, theme: &Theme) -> Line<'static> {
    if let Some(rejection) = &app.login.rejection {
        return Line::from(Span::styled(format!("✗ {rejection}"), theme.error));
    }
    if app.login.focus == LoginField::Password {
        return match validate_password(app.login.password.text()) {
            Err(reason) if !app.login.password.is_empty() => {
                Line::from(Span::styled(format!("✗ {reason}"), theme.error))
            }
            _ => Line::from(Span::styled(
                "Only for a registered name; leave it empty otherwise",
                theme.chrome,
            )),
        };
    }
    let typed = app.login.name.text();
    if typed.is_empty() {
        return Line::from(Span::styled(
            format!("Letters, digits, _ - . ; up to {MAX_NAME_CHARS} characters"),
            theme.chrome,
        ));
    }
    match validate_name(typed) {
        Err(reason) => Line::from(Span::styled(format!("✗ {reason}"), theme.error)),
        Ok(name) if app.claim.as_deref() == Some(name.as_str()) => {
            Line::from(Span::styled(format!("… joining as {name}"), theme.pending))
        }
        Ok(name) => Line::from(Span::styled(
            format!("✓ {} of {MAX_NAME_CHARS} characters", name.chars().count()),
            theme.good,
        )),
    }
}

/// The server's address and the connection's state.
fn server_lines(app: &App, theme: &Theme) -> Vec<Line<'static>> {
    let address = Line::from(vec![
        Span::styled("Server ", theme.chrome),
        Span::raw(app.config.server.clone()),
    ]);
    let state = match app.connection() {
        Connection::Connecting { attempt: 1 } => {
            Line::from(Span::styled("● connecting…", theme.pending))
        }
        Connection::Connecting { attempt } => Line::from(Span::styled(
            format!("● connecting (try {attempt})…"),
            theme.pending,
        )),
        Connection::Connected | Connection::LoggedIn => {
            let server = app.server_name.clone().unwrap_or_default();
            Line::from(Span::styled(format!("● connected to {server}"), theme.good))
        }
        Connection::Down {
            restarting: true,
            retry_in_secs,
            ..
        } => Line::from(Span::styled(
            format!("○ the server is restarting. Trying again in {retry_in_secs}s."),
            theme.pending,
        )),
        Connection::Down {
            reason,
            retry_in_secs,
            ..
        } => Line::from(Span::styled(
            format!("✗ cannot connect: {reason}. Trying again in {retry_in_secs}s."),
            theme.error,
        )),
        Connection::Removed { reason } => Line::from(Span::styled(
            format!("✗ {reason}. Not trying again by itself."),
            theme.error,
        )),
    };
    vec![address, state]
}

/// The keys that work here.
fn hint_line(app: &App, theme: &Theme) -> Line<'static> {
    let mut keys = vec![
        ("Enter", "join"),
        ("Tab", "password"),
        ("F1", "help"),
        ("Esc", "quit"),
    ];
    if app.login.focus == LoginField::Password {
        keys[1] = ("Tab", "name");
    }
    if let Connection::Down { .. } | Connection::Removed { .. } = app.connection() {
        keys.insert(1, ("Ctrl-R", "retry now"));
    }
    let mut spans = Vec::new();
    for (index, (key, what)) in keys.into_iter().enumerate() {
        if index > 0 {
            spans.push(Span::styled(" · ", theme.chrome));
        }
        spans.push(Span::styled(key, theme.key));
        spans.push(Span::raw(format!("\u{a0}{what}")));
    }
    Line::from(spans)
}
