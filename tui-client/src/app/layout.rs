//! Where each area of the chat screen goes: the app scrolls the message pane by its
//! size, and the ui draws each area where this says.

use ratatui::layout::{Constraint, Layout, Rect};

/// Narrowest terminal anything is drawn in.
pub const MIN_WIDTH: u16 = 30;
/// Lowest terminal the chat is drawn in.
pub const MIN_CHAT_HEIGHT: u16 = 6;
/// Lowest terminal the login form is drawn in.
pub const MIN_LOGIN_HEIGHT: u16 = 11;
/// Width of the sidebar with its border and padding; longer names are cut with `…`.
pub const SIDEBAR_WIDTH: u16 = 22;
/// Terminals narrower than this hide the sidebar, to leave room for messages.
pub const SIDEBAR_FROM_WIDTH: u16 = 64;

/// The areas of the chat screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ChatAreas {
    /// Messages.
    pub messages: Rect,
    /// Who is online; `None` when the terminal is too narrow.
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
    if area.width >= SIDEBAR_FROM_WIDTH {
        let [messages, _gap, sidebar] = Layout::horizontal([
            Constraint::Min(1),
            Constraint::Length(1),
            Constraint::Length(SIDEBAR_WIDTH),
        ])
        .areas(main);
        ChatAreas {
            messages,
            sidebar: Some(sidebar),
            input,
            status,
        }
    } else {
        ChatAreas {
            messages: main,
            sidebar: None,
            input,
            status,
        }
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
        assert_eq!(narrow.messages, Rect::new(0, 0, 50, 17));
        let wide = chat(Rect::new(0, 0, 80, 24));
        assert_eq!(wide.messages.right() + 1, wide.sidebar.unwrap().x);
    }
}
