//! The header above the messages: the shown buffer's name, and its room's topic (or
//! what the buffer is), cut to the width.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

use super::theme::Theme;
use crate::app::App;
use crate::app::buffer::{Kind, Membership};
use crate::wrap::{display_width, truncate};

/// Draws the header.
pub fn render(app: &App, theme: &Theme, frame: &mut Frame, area: Rect) {
    let buffer = app.buffers().current();
    let (about, style) = match buffer.kind() {
        Kind::Server => {
            let server = app.server_name().unwrap_or("the server");
            (
                format!("notices from {server} ({})", app.config().server),
                theme.chrome,
            )
        }
        Kind::Room(room) => match (&room.membership, &room.topic) {
            (Membership::Joining, _) => ("joining…".to_owned(), theme.pending),
            (Membership::Out, _) => ("you are not in this room".to_owned(), theme.chrome),
            (Membership::In, Some(topic)) => (topic.clone(), Default::default()),
            (Membership::In, None) => ("no topic".to_owned(), theme.chrome),
        },
        Kind::Private { .. } => ("private conversation".to_owned(), theme.chrome),
    };
    let width = usize::from(area.width);
    let name = truncate(buffer.name(), width.saturating_sub(1));
    let room_left = width.saturating_sub(1 + display_width(&name) + 2);
    let line = Line::from(vec![
        Span::raw(" "),
        Span::styled(name, theme.key),
        Span::raw("  "),
        Span::styled(truncate(&about, room_left), style),
    ]);
    frame
        .buffer_mut()
        .set_line(area.x, area.y, &line, area.width);
}
