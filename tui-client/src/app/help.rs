//! What the help shows, laid out for the terminal: the keys (made from the keymap, so
//! that no binding is missed) and the commands, in two columns, and the box they go in.
//! The app scrolls the help by this layout and the ui draws it, so both agree on how
//! far it scrolls.

use ratatui::layout::{Constraint, Rect};

use crate::keymap;
use crate::wrap::{display_width, wrap};
use chat_shared::command::COMMANDS;

/// Widest the box gets, borders included.
const MAX_BOX_WIDTH: usize = 76;

/// Widest the key column gets; longer lists of keys go on over several lines.
const MAX_KEY_WIDTH: usize = 26;

/// One line of the help.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HelpLine {
    /// A section's title.
    Heading(&'static str),
    /// A line of a row: its part of the keys (or the command) and of what they do. A row
    /// too long for the box goes on over several lines.
    Row {
        /// Keys, or a command with its arguments; empty on a row's later lines.
        keys: String,
        /// What they do.
        what: String,
    },
}

/// The help laid out for a terminal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Help {
    /// The box, borders included, centered in the terminal.
    pub area: Rect,
    /// Columns of the key column (a row is drawn ` KEYS WHAT`).
    pub key_width: usize,
    /// Every line, top to bottom; those below the box are reached by scrolling.
    pub lines: Vec<HelpLine>,
}

impl Help {
    /// The help for a terminal of `terminal`'s size.
    pub fn new(terminal: Rect) -> Self {
        let sections = sections();
        let rows = || sections.iter().flat_map(|(_, rows)| rows);
        let widest =
            |column: fn(&(String, &'static str)) -> usize| rows().map(column).max().unwrap_or(0);
        let widest_keys = widest(|(keys, _)| display_width(keys));
        let widest_what = widest(|(_, what)| display_width(what));
        let width = (widest_keys.min(MAX_KEY_WIDTH) + widest_what + 4)
            .min(MAX_BOX_WIDTH)
            .min(usize::from(terminal.width));
        let inner = width.saturating_sub(2);
        let key_width = widest_keys
            .min(MAX_KEY_WIDTH)
            .min(inner.saturating_sub(2) * 3 / 5)
            .max(1);
        let what_width = inner.saturating_sub(key_width + 2).max(1);
        let mut lines = Vec::new();
        for (title, rows) in &sections {
            lines.push(HelpLine::Heading(title));
            for (keys, what) in rows {
                let keys = wrap(keys, key_width);
                let what = wrap(what, what_width);
                for index in 0..keys.len().max(what.len()) {
                    lines.push(HelpLine::Row {
                        keys: keys.get(index).cloned().unwrap_or_default(),
                        what: what.get(index).cloned().unwrap_or_default(),
                    });
                }
            }
        }
        let height = (lines.len() + 2).min(usize::from(terminal.height));
        let area = terminal.centered(
            Constraint::Length(width as u16),
            Constraint::Length(height as u16),
        );
        Self {
            area,
            key_width,
            lines,
        }
    }

    /// How far the help scrolls: 0 when every line fits in the box.
    pub fn max_scroll(&self) -> u16 {
        let shown = usize::from(self.area.height.saturating_sub(2));
        self.lines.len().saturating_sub(shown) as u16
    }
}

/// The sections: a title, then rows of keys (or a command) and what they do.
fn sections() -> [(&'static str, Vec<(String, &'static str)>); 3] {
    let mut commands: Vec<(String, &'static str)> = COMMANDS
        .iter()
        .map(|command| (command.usage(), command.help))
        .collect();
    commands.push(("//text".to_owned(), "send a line starting with /"));
    [
        ("Keys", keymap::help_rows()),
        ("Commands", commands),
        ("Search results", keymap::search_help_rows()),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys_of(help: &Help) -> Vec<&str> {
        help.lines
            .iter()
            .filter_map(|line| match line {
                HelpLine::Row { keys, .. } if !keys.is_empty() => Some(keys.as_str()),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn lists_every_key_row_and_every_command() {
        let help = Help::new(Rect::new(0, 0, 120, 60));
        let keys = keys_of(&help).join(" ");
        for (row, _) in keymap::help_rows() {
            assert!(keys.contains(&row), "{row} is missing");
        }
        for command in COMMANDS {
            assert!(keys.contains(&command.usage()), "{}", command.name);
        }
        assert_eq!(help.max_scroll(), 0, "all of it fits");
    }

    #[test]
    fn a_narrow_box_wraps_rows_and_a_low_one_scrolls() {
        let wide = Help::new(Rect::new(0, 0, 120, 60));
        let narrow = Help::new(Rect::new(0, 0, 50, 20));
        assert_eq!(narrow.area.width, 50);
        assert!(narrow.lines.len() > wide.lines.len());
        assert_eq!(narrow.area.height, 20);
        assert_eq!(
            usize::from(narrow.max_scroll()),
            narrow.lines.len() - 18,
            "the box shows 18 lines inside its borders"
        );
        for line in &narrow.lines {
            if let HelpLine::Row { keys, what } = line {
                assert!(display_width(keys) <= narrow.key_width, "{keys}");
                assert!(2 + narrow.key_width + display_width(what) <= 48, "{what}");
            }
        }
    }
}
