//! Where each area of the chat screen goes: the app scrolls the message pane by its
//! size, and the ui draws each area where this says.

use ratatui::layout::{Constraint, Layout, Rect};

/// Narrowest terminal anything is drawn in.
pub const MIN_WIDTH: u16 = 30;
/// Lowest terminal the chat is drawn in.
pub const MIN_CHAT_HEIGHT: u16 = 6;
/// Lowest terminal the login form is drawn in.
pub const MIN_LOGIN_HEIGHT: u16 = 12;
/// Width of the sidebar with its border and padding; longer names are cut with `…`.
pub const SIDEBAR_WIDTH: u16 = 22;
/// Terminals narrower than this hide the sidebar, to leave room for messages.
pub const SIDEBAR_FROM_WIDTH: u16 = 64;

/// The areas of the chat screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ChatAreas {
    /// The shown buffer's name and its room's topic, above the messages.
    pub header: Rect,
    /// Messages.
    pub messages: Rect,
    /// The buffers and who is in the shown one; `None` when the terminal is too narrow.
    pub sidebar: Option<Rect>,
    /// A rule (with the new-messages marker) and the input line.
    pub input: Rect,
    /// The status bar.
    pub status: Rect,
}

/// Splits the terminal into the chat's areas.
pub fn chat(area: Rect) -> ChatAreas {
    let [main, input, status] = Layout::vertical([
        Constraint::Min(1),
        Constraint::Length(2),
        Constraint::Length(1),
    ])
    .areas(area);
    let (column, sidebar) = if area.width >= SIDEBAR_FROM_WIDTH {
        let [column, _gap, sidebar] = Layout::horizontal([
            Constraint::Min(1),
            Constraint::Length(1),
            Constraint::Length(SIDEBAR_WIDTH),
        ])
        .areas(main);
        (column, Some(sidebar))
    } else {
        (main, None)
    };
    let [header, messages] =
        Layout::vertical([Constraint::Length(1), Constraint::Min(1)]).areas(column);
    ChatAreas {
        header,
        messages,
        sidebar,
        input,
        status,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hides_the_sidebar_on_narrow_terminals() {
        assert!(chat(Rect::new(0, 0, 80, 24)).sidebar.is_some());
        let narrow = chat(Rect::new(0, 0, 50, 20));
        assert!(narrow.sidebar.is_none());
        assert_eq!(narrow.header, Rect::new(0, 0, 50, 1));
        assert_eq!(narrow.messages, Rect::new(0, 1, 50, 16));
        let wide = chat(Rect::new(0, 0, 80, 24));
        assert_eq!(wide.messages.right() + 1, wide.sidebar.unwrap().x);
        assert_eq!(wide.sidebar.unwrap().height, 21, "beside the header too");
    }
}
