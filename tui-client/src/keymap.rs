//! Every key binding, in one place: what each key does, and the table `/help` shows.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers, MouseEvent, MouseEventKind};

/// Something the user asked for, independent of which key asked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// Leave the chat and exit.
    Quit,
    /// Open or close the help overlay.
    ToggleHelp,
    /// Close the help overlay, cancel completion, or jump to the newest messages.
    Escape,
    /// Send the line (or the name, on the login form).
    Submit,
    /// Type a character.
    Type(char),
    /// Delete the character before the cursor.
    Backspace,
    /// Delete the character under the cursor.
    Delete,
    /// Cursor one character left.
    Left,
    /// Cursor one character right.
    Right,
    /// Cursor to the start of the line (or, on an empty line, the oldest message).
    Home,
    /// Cursor to the end of the line (or, on an empty line, the newest message).
    End,
    /// Cursor one word left.
    WordLeft,
    /// Cursor one word right.
    WordRight,
    /// Delete the word before the cursor.
    DeleteWord,
    /// Delete from the start of the line to the cursor.
    KillToStart,
    /// Delete from the cursor to the end of the line.
    KillToEnd,
    /// Previous line sent.
    HistoryUp,
    /// Next line sent.
    HistoryDown,
    /// Complete a name or command; again for the next candidate.
    Complete,
    /// Previous completion candidate.
    CompleteBack,
    /// Scroll the messages one page up.
    PageUp,
    /// Scroll the messages one page down.
    PageDown,
    /// Scroll to the oldest message.
    ScrollTop,
    /// Scroll to the newest message.
    ScrollBottom,
    /// Scroll a few lines up (mouse wheel).
    WheelUp,
    /// Scroll a few lines down (mouse wheel).
    WheelDown,
    /// Reconnect now instead of waiting for the next try.
    RetryNow,
}

/// The keys, as `/help` lists them.
pub const KEY_HELP: &[(&str, &str)] = &[
    ("Enter", "send the line"),
    ("Tab, Shift-Tab", "complete a name or /command"),
    ("Up, Down", "lines sent before"),
    ("←/→, Alt-B/F", "move by character / word"),
    ("Home/End, ^A/^E", "start / end of the line"),
    ("^W, ^U, ^K", "delete word, to start, to end"),
    ("PgUp/PgDn, wheel", "scroll the messages"),
    ("^Home/^End", "oldest / newest message"),
    ("Esc", "back to the newest message"),
    ("^R", "reconnect now"),
    ("F1", "this help (Esc closes)"),
    ("^C", "quit"),
];

/// The action bound to a key, if any.
pub fn action_for_key(key: KeyEvent) -> Option<Action> {
    let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
    let alt = key.modifiers.contains(KeyModifiers::ALT);
    let action = match key.code {
        KeyCode::Char('c') if ctrl => Action::Quit,
        KeyCode::Char('a') if ctrl => Action::Home,
        KeyCode::Char('e') if ctrl => Action::End,
        KeyCode::Char('w') if ctrl => Action::DeleteWord,
        KeyCode::Char('u') if ctrl => Action::KillToStart,
        KeyCode::Char('k') if ctrl => Action::KillToEnd,
        KeyCode::Char('r') if ctrl => Action::RetryNow,
        KeyCode::Char('b') if alt => Action::WordLeft,
        KeyCode::Char('f') if alt => Action::WordRight,
        KeyCode::Backspace if alt || ctrl => Action::DeleteWord,
        KeyCode::Char(_) if ctrl || alt => return None,
        KeyCode::Char(c) => Action::Type(c),
        KeyCode::Enter => Action::Submit,
        KeyCode::Backspace => Action::Backspace,
        KeyCode::Delete => Action::Delete,
        KeyCode::Left if ctrl || alt => Action::WordLeft,
        KeyCode::Right if ctrl || alt => Action::WordRight,
        KeyCode::Left => Action::Left,
        KeyCode::Right => Action::Right,
        KeyCode::Home if ctrl => Action::ScrollTop,
        KeyCode::End if ctrl => Action::ScrollBottom,
        KeyCode::Home => Action::Home,
        KeyCode::End => Action::End,
        KeyCode::Up => Action::HistoryUp,
        KeyCode::Down => Action::HistoryDown,
        KeyCode::Tab => Action::Complete,
        KeyCode::BackTab => Action::CompleteBack,
        KeyCode::PageUp => Action::PageUp,
        KeyCode::PageDown => Action::PageDown,
        KeyCode::Esc => Action::Escape,
        KeyCode::F(1) => Action::ToggleHelp,
        _ => return None,
    };
    Some(action)
}

/// The action bound to a mouse event, if any (only the wheel is used).
pub fn action_for_mouse(mouse: MouseEvent) -> Option<Action> {
    match mouse.kind {
        MouseEventKind::ScrollUp => Some(Action::WheelUp),
        MouseEventKind::ScrollDown => Some(Action::WheelDown),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(code: KeyCode, modifiers: KeyModifiers) -> Option<Action> {
        action_for_key(KeyEvent::new(code, modifiers))
    }

    #[test]
    fn emacs_style_control_keys_edit_the_line() {
        assert_eq!(
            key(KeyCode::Char('a'), KeyModifiers::CONTROL),
            Some(Action::Home)
        );
        assert_eq!(
            key(KeyCode::Char('w'), KeyModifiers::CONTROL),
            Some(Action::DeleteWord)
        );
        assert_eq!(
            key(KeyCode::Char('b'), KeyModifiers::ALT),
            Some(Action::WordLeft)
        );
        assert_eq!(
            key(KeyCode::Char('c'), KeyModifiers::CONTROL),
            Some(Action::Quit)
        );
    }

    #[test]
    fn shifted_characters_are_typed_and_unbound_chords_ignored() {
        assert_eq!(
            key(KeyCode::Char('A'), KeyModifiers::SHIFT),
            Some(Action::Type('A'))
        );
        assert_eq!(key(KeyCode::Char('z'), KeyModifiers::CONTROL), None);
    }

    #[test]
    fn ctrl_home_and_end_scroll_while_plain_home_and_end_edit() {
        assert_eq!(
            key(KeyCode::Home, KeyModifiers::CONTROL),
            Some(Action::ScrollTop)
        );
        assert_eq!(key(KeyCode::End, KeyModifiers::NONE), Some(Action::End));
    }
}
