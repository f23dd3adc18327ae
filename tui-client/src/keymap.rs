//! Every key binding, in one place: [`BINDINGS`] says what each key (and the mouse
//! wheel) does, and the help's rows about keys are made from that same table
//! ([`help_rows`]), so that the help cannot miss or misstate a binding.

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
    /// Show the buffer at this place in the list, counted from 1.
    Buffer(u8),
    /// Show the buffer before the shown one (the last, from the first).
    PreviousBuffer,
    /// Show the buffer after the shown one (the first, from the last).
    NextBuffer,
}

/// Something the user presses or turns.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Input {
    /// A key, with the Ctrl and Alt held with it. Shift is left out: it is part of the
    /// character typed (and Shift-Tab is a key of its own, `BackTab`).
    Key(KeyCode, KeyModifiers),
    /// The mouse wheel, turned up.
    WheelUp,
    /// The mouse wheel, turned down.
    WheelDown,
}

/// A key without modifiers.
const fn key(code: KeyCode) -> Input {
    Input::Key(code, KeyModifiers::NONE)
}

/// A key with Ctrl.
const fn ctrl(code: KeyCode) -> Input {
    Input::Key(code, KeyModifiers::CONTROL)
}

/// A key with Alt.
const fn alt(code: KeyCode) -> Input {
    Input::Key(code, KeyModifiers::ALT)
}

/// Every binding, in the order the help names the keys. A key not in here types its
/// character, unless Ctrl or Alt is held.
pub const BINDINGS: &[(Input, Action)] = &[
    (key(KeyCode::Enter), Action::Submit),
    (key(KeyCode::Tab), Action::Complete),
    (key(KeyCode::BackTab), Action::CompleteBack),
    (key(KeyCode::Up), Action::HistoryUp),
    (key(KeyCode::Down), Action::HistoryDown),
    (key(KeyCode::Left), Action::Left),
    (key(KeyCode::Right), Action::Right),
    (ctrl(KeyCode::Left), Action::WordLeft),
    (ctrl(KeyCode::Right), Action::WordRight),
    (alt(KeyCode::Char('b')), Action::WordLeft),
    (alt(KeyCode::Char('f')), Action::WordRight),
    (key(KeyCode::Home), Action::Home),
    (key(KeyCode::End), Action::End),
    (ctrl(KeyCode::Char('a')), Action::Home),
    (ctrl(KeyCode::Char('e')), Action::End),
    (key(KeyCode::Backspace), Action::Backspace),
    (key(KeyCode::Delete), Action::Delete),
    (ctrl(KeyCode::Char('w')), Action::DeleteWord),
    (ctrl(KeyCode::Backspace), Action::DeleteWord),
    (alt(KeyCode::Backspace), Action::DeleteWord),
    (ctrl(KeyCode::Char('u')), Action::KillToStart),
    (ctrl(KeyCode::Char('k')), Action::KillToEnd),
    (key(KeyCode::PageUp), Action::PageUp),
    (key(KeyCode::PageDown), Action::PageDown),
    (Input::WheelUp, Action::WheelUp),
    (Input::WheelDown, Action::WheelDown),
    (ctrl(KeyCode::Home), Action::ScrollTop),
    (ctrl(KeyCode::End), Action::ScrollBottom),
    (alt(KeyCode::Char('1')), Action::Buffer(1)),
    (alt(KeyCode::Char('2')), Action::Buffer(2)),
    (alt(KeyCode::Char('3')), Action::Buffer(3)),
    (alt(KeyCode::Char('4')), Action::Buffer(4)),
    (alt(KeyCode::Char('5')), Action::Buffer(5)),
    (alt(KeyCode::Char('6')), Action::Buffer(6)),
    (alt(KeyCode::Char('7')), Action::Buffer(7)),
    (alt(KeyCode::Char('8')), Action::Buffer(8)),
    (alt(KeyCode::Char('9')), Action::Buffer(9)),
    (alt(KeyCode::Left), Action::PreviousBuffer),
    (alt(KeyCode::Right), Action::NextBuffer),
    (ctrl(KeyCode::Char('p')), Action::PreviousBuffer),
    (ctrl(KeyCode::Char('n')), Action::NextBuffer),
    (key(KeyCode::Esc), Action::Escape),
    (ctrl(KeyCode::Char('r')), Action::RetryNow),
    (key(KeyCode::F(1)), Action::ToggleHelp),
    (ctrl(KeyCode::Char('c')), Action::Quit),
];

/// The help's rows about keys: the actions each row is about (two for a pair such as
/// Left and Right, whose keys are then written `←/→`; a run such as Alt-1 to Alt-9 is
/// written `Alt-1…9`), and what it says they do.
const HELP: &[(&[Action], &str)] = &[
    (&[Action::Submit], "send the line (on the name form: join)"),
    (
        &[Action::Complete, Action::CompleteBack],
        "complete a name or /command (name form: name / password)",
    ),
    (
        &[Action::HistoryUp, Action::HistoryDown],
        "lines sent before",
    ),
    (&[Action::Left, Action::Right], "move by character"),
    (&[Action::WordLeft, Action::WordRight], "move by word"),
    (
        &[Action::Home, Action::End],
        "line start / end (empty line: oldest / newest message)",
    ),
    (
        &[Action::Backspace, Action::Delete],
        "delete before / under the cursor",
    ),
    (&[Action::DeleteWord], "delete the word before the cursor"),
    (
        &[Action::KillToStart, Action::KillToEnd],
        "delete to the start / end",
    ),
    (
        &[Action::PageUp, Action::PageDown],
        "scroll a page (at the top: older messages)",
    ),
    (
        &[Action::WheelUp, Action::WheelDown],
        "scroll the messages a few lines",
    ),
    (
        &[Action::ScrollTop, Action::ScrollBottom],
        "oldest / newest message",
    ),
    (
        &[
            Action::Buffer(1),
            Action::Buffer(2),
            Action::Buffer(3),
            Action::Buffer(4),
            Action::Buffer(5),
            Action::Buffer(6),
            Action::Buffer(7),
            Action::Buffer(8),
            Action::Buffer(9),
        ],
        "buffer 1 to 9 of the list",
    ),
    (
        &[Action::PreviousBuffer, Action::NextBuffer],
        "previous / next buffer",
    ),
    (
        &[Action::Escape],
        "newest message; closes help; cancels a password; name form: quit",
    ),
    (&[Action::RetryNow], "reconnect now"),
    (&[Action::ToggleHelp], "this help"),
    (&[Action::Quit], "quit"),
];

/// The help's rows about the keys of the search results view, which gives some of the
/// actions above a meaning of its own there.
const SEARCH_HELP: &[(&[Action], &str)] = &[
    (&[Action::HistoryUp, Action::HistoryDown], "select a result"),
    (&[Action::Submit], "show the message in its buffer"),
    (&[Action::Escape], "close the results"),
];

/// The action bound to a key, if any: its binding, or typing its character.
pub fn action_for_key(key: KeyEvent) -> Option<Action> {
    let modifiers = key.modifiers.difference(KeyModifiers::SHIFT);
    bound(Input::Key(key.code, modifiers)).or(match key.code {
        KeyCode::Char(c) if !modifiers.intersects(KeyModifiers::CONTROL | KeyModifiers::ALT) => {
            Some(Action::Type(c))
        }
        _ => None,
    })
}

/// The action bound to a mouse event, if any (only the wheel is used).
pub fn action_for_mouse(mouse: MouseEvent) -> Option<Action> {
    match mouse.kind {
        MouseEventKind::ScrollUp => bound(Input::WheelUp),
        MouseEventKind::ScrollDown => bound(Input::WheelDown),
        _ => None,
    }
}

/// The action an input is bound to.
fn bound(input: Input) -> Option<Action> {
    BINDINGS
        .iter()
        .find(|(bound, _)| *bound == input)
        .map(|(_, action)| *action)
}

/// The help's rows about keys: the keys of each row, as the user reads them (`Ctrl-A`,
/// `PgUp/PgDn`), and what they do.
pub fn help_rows() -> Vec<(String, &'static str)> {
    HELP.iter()
        .map(|(actions, what)| (keys_of(actions), *what))
        .collect()
}

/// The help's rows about the search results view's keys, made as [`help_rows`] are.
pub fn search_help_rows() -> Vec<(String, &'static str)> {
    SEARCH_HELP
        .iter()
        .map(|(actions, what)| (keys_of(actions), *what))
        .collect()
}

/// The keys bound to `actions`, named. For a pair whose keys go together (`Home` and
/// `End`, `Ctrl-A` and `Ctrl-E`), each couple shares its modifier: `Home/End, Ctrl-A/E`;
/// a longer run of one key each, with one modifier, is written from first to last:
/// `Alt-1…9`.
fn keys_of(actions: &[Action]) -> String {
    let inputs: Vec<Vec<(String, String)>> = actions
        .iter()
        .map(|action| {
            BINDINGS
                .iter()
                .filter(|(_, bound)| bound == action)
                .map(|(input, _)| name(*input))
                .collect()
        })
        .collect();
    if let Some(run) = run_of(&inputs) {
        return run;
    }
    let paired = match inputs.as_slice() {
        [first, second] if first.len() == second.len() => first
            .iter()
            .zip(second)
            .map(|((modifier, a), (other, b))| {
                (modifier == other).then(|| format!("{modifier}{a}/{b}"))
            })
            .collect::<Option<Vec<String>>>(),
        _ => None,
    };
    paired
        .unwrap_or_else(|| {
            inputs
                .into_iter()
                .flatten()
                .map(|(modifier, base)| format!("{modifier}{base}"))
                .collect()
        })
        .join(", ")
}

/// `Alt-1…9` for more than two actions bound to one key each, all with one modifier.
fn run_of(inputs: &[Vec<(String, String)>]) -> Option<String> {
    let keys: Vec<&(String, String)> = inputs
        .iter()
        .map(|keys| match keys.as_slice() {
            [key] => Some(key),
            _ => None,
        })
        .collect::<Option<_>>()?;
    let ((modifier, first), (_, last)) = (keys.first()?, keys.last()?);
    let one_modifier = keys.iter().all(|(other, _)| other == modifier);
    (keys.len() > 2 && one_modifier).then(|| format!("{modifier}{first}…{last}"))
}

/// An input's name, in two parts: the modifier (`Ctrl-`, or empty) and the key.
fn name(input: Input) -> (String, String) {
    let (code, modifiers) = match input {
        Input::Key(code, modifiers) => (code, modifiers),
        Input::WheelUp => return ("wheel ".to_owned(), "↑".to_owned()),
        Input::WheelDown => return ("wheel ".to_owned(), "↓".to_owned()),
    };
    let mut modifier = String::new();
    if modifiers.contains(KeyModifiers::CONTROL) {
        modifier.push_str("Ctrl-");
    }
    if modifiers.contains(KeyModifiers::ALT) {
        modifier.push_str("Alt-");
    }
    let base = match code {
        KeyCode::Char(c) => c.to_uppercase().collect(),
        KeyCode::Left => "←".to_owned(),
        KeyCode::Right => "→".to_owned(),
        KeyCode::Up => "↑".to_owned(),
        KeyCode::Down => "↓".to_owned(),
        KeyCode::PageUp => "PgUp".to_owned(),
        KeyCode::PageDown => "PgDn".to_owned(),
        KeyCode::BackTab => "Shift-Tab".to_owned(),
        KeyCode::Delete => "Del".to_owned(),
        KeyCode::Backspace => "Backspace".to_owned(),
        KeyCode::Enter => "Enter".to_owned(),
        KeyCode::Esc => "Esc".to_owned(),
        KeyCode::Tab => "Tab".to_owned(),
        KeyCode::Home => "Home".to_owned(),
        KeyCode::End => "End".to_owned(),
        KeyCode::F(n) => format!("F{n}"),
        code => code.to_string(),
    };
    (modifier, base)
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

    #[test]
    fn shift_is_part_of_the_key_and_shift_tab_completes_backwards() {
        assert_eq!(
            key(KeyCode::BackTab, KeyModifiers::SHIFT),
            Some(Action::CompleteBack)
        );
        assert_eq!(
            key(KeyCode::Enter, KeyModifiers::SHIFT),
            Some(Action::Submit)
        );
    }

    #[test]
    fn every_binding_is_in_the_help_once_and_no_input_is_bound_twice() {
        for (input, action) in BINDINGS {
            let rows = HELP
                .iter()
                .filter(|(actions, _)| actions.contains(action))
                .count();
            assert_eq!(rows, 1, "{action:?} is in {rows} rows of the help");
            let bindings = BINDINGS.iter().filter(|(other, _)| other == input).count();
            assert_eq!(bindings, 1, "{input:?} is bound {bindings} times");
        }
        for (actions, what) in HELP {
            for action in *actions {
                assert!(
                    BINDINGS.iter().any(|(_, bound)| bound == action),
                    "the help says {what:?} of {action:?}, which no key does"
                );
            }
        }
    }

    #[test]
    fn the_help_names_keys_and_pairs_them_by_modifier() {
        let rows = help_rows();
        let keys = |what: &str| {
            rows.iter()
                .find(|(_, row)| row.starts_with(what))
                .map(|(keys, _)| keys.as_str())
                .unwrap()
        };
        assert_eq!(keys("line start / end"), "Home/End, Ctrl-A/E");
        assert_eq!(keys("move by word"), "Ctrl-←/→, Alt-B/F");
        assert_eq!(keys("buffer 1 to 9"), "Alt-1…9");
        assert_eq!(keys("previous / next buffer"), "Alt-←/→, Ctrl-P/N");
        assert_eq!(
            keys("delete the word"),
            "Ctrl-W, Ctrl-Backspace, Alt-Backspace"
        );
        assert_eq!(keys("scroll the messages a few"), "wheel ↑/↓");
        assert_eq!(keys("complete"), "Tab/Shift-Tab");
        let search = search_help_rows();
        assert_eq!(search[0].0, "↑/↓", "from the bindings: {search:?}");
        assert_eq!(search[2].0, "Esc");
    }
}
