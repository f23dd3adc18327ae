//! The sidebar: the buffer list above the members of the shown buffer's room (or the
//! two people of a private conversation). The server's buffer has no members, and the
//! list takes the whole sidebar.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Padding, Paragraph};

use super::buffer_list;
use super::theme::Theme;
use crate::app::App;
use crate::app::buffer::{Kind, Membership};
use crate::wrap::truncate;

/// Marks the user's own name.
const ME_MARKER: &str = "▸";

/// The fewest rows the buffer list gets when there are members to show too.
const MIN_LIST_ROWS: u16 = 3;

/// Draws the buffer list and the members.
pub fn render(app: &App, theme: &Theme, frame: &mut Frame, area: Rect) {
    let members = members(app);
    let list_rows = match &members {
        None => area.height,
        Some(_) => {
            let wanted = app.buffers().len() as u16 + 1;
            wanted
                .min((area.height / 2).max(MIN_LIST_ROWS))
                .min(area.height)
        }
    };
    let [list, rest] =
        Layout::vertical([Constraint::Length(list_rows), Constraint::Min(0)]).areas(area);
    buffer_list::render(app, theme, frame, list);
    if let Some((title, names)) = members {
        render_members(app, theme, frame, rest, &title, &names);
    }
}

/// The members section's title and names: a room's members (once in it: until then,
/// what the client knows of them may be stale), or the two people of a conversation;
/// `None` for the server's buffer.
fn members(app: &App) -> Option<(String, Vec<String>)> {
    match app.buffers().current().kind() {
        Kind::Server => None,
        Kind::Room(room) => Some(match room.membership {
            Membership::In => (
                format!(" Members ({}) ", room.members.len()),
                room.members.names().to_vec(),
            ),
            Membership::Joining => (" Joining… ".to_owned(), Vec::new()),
            Membership::Out => (" Not joined ".to_owned(), Vec::new()),
        }),
        Kind::Private { with } => {
            let mut names: Vec<String> = app.me().map(str::to_owned).into_iter().collect();
            names.push(with.clone());
            Some((" Private ".to_owned(), names))
        }
    }
}

/// Draws the names, sorted, the user marked, cut to the width, with a count of those
/// that do not fit.
fn render_members(
    app: &App,
    theme: &Theme,
    frame: &mut Frame,
    area: Rect,
    title: &str,
    names: &[String],
) {
    let block = Block::new()
        .borders(Borders::LEFT)
        .border_style(theme.chrome)
        .padding(Padding::left(1))
        .title(Span::styled(title.to_owned(), theme.key));
    let name_width = usize::from(block.inner(area).width).saturating_sub(1);
    let me = app.me();
    let mut lines: Vec<Line> = names
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
    if overflow > 0 {
        lines.truncate(lines.len() - overflow - 1);
        lines.push(Line::from(Span::styled(
            format!(" …and {} more", overflow + 1),
            theme.chrome,
        )));
    }
    frame.render_widget(Paragraph::new(lines).block(block), area);
}
