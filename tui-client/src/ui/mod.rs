//! Drawing: a pure function of the [`App`] into a ratatui [`Frame`], one file per area.

pub mod buffer_list;
pub mod header;
pub mod help;
pub mod input;
pub mod login;
pub mod messages;
pub mod search;
pub mod sidebar;
pub mod status;
pub mod theme;

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Paragraph, Wrap};

use crate::app::layout;
use crate::app::{App, Screen};

/// Draws the whole screen for the app's state.
pub fn render(app: &App, frame: &mut Frame) {
    let area = frame.area();
    let theme = theme::theme(app.config().color);
    let min_height = match app.screen() {
        Screen::Login => layout::MIN_LOGIN_HEIGHT,
        Screen::Chat => layout::MIN_CHAT_HEIGHT,
    };
    if area.width < layout::MIN_WIDTH || area.height < min_height {
        render_too_small(frame, area, min_height);
        return;
    }
    match app.screen() {
        Screen::Login => login::render(app, theme, frame, area),
        Screen::Chat => {
            let areas = layout::chat(area);
            header::render(app, theme, frame, areas.header);
            messages::render(app, theme, frame, areas.messages);
            if let Some(sidebar) = areas.sidebar {
                sidebar::render(app, theme, frame, sidebar);
            }
            input::render(app, theme, frame, areas.input);
            status::render(app, theme, frame, areas.status);
            if let Some(search) = app.search_view() {
                search::render(app, search, theme, frame, area);
            }
        }
    }
    if app.help_open() {
        help::render(app, theme, frame, area);
    }
}

/// A short message instead of a layout that cannot fit.
fn render_too_small(frame: &mut Frame, area: Rect, min_height: u16) {
    let text = vec![
        Line::from("Terminal too small"),
        Line::from(format!("(need {}x{})", layout::MIN_WIDTH, min_height)),
    ];
    let height = 2.min(area.height);
    let message_area = area.centered_vertically(Constraint::Length(height));
    frame.render_widget(
        Paragraph::new(text).centered().wrap(Wrap { trim: true }),
        message_area,
    );
}
