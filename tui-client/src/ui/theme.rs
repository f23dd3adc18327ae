//! Colors and styles, in one place, so that every area styles the same things alike.
//!
//! Nick colors come from a stable hash of the name's case-insensitive key: the same
//! person has the same color in every session and on every screen, and snapshots are
//! deterministic.

use chat_shared::name::name_key;
use ratatui::style::{Color, Modifier, Style};

use crate::app::pane::rows::Tone;

/// Colors a nick can get; black, white and grays are left for text and chrome.
const NICK_PALETTE: [Color; 12] = [
    Color::Red,
    Color::Green,
    Color::Yellow,
    Color::Blue,
    Color::Magenta,
    Color::Cyan,
    Color::LightRed,
    Color::LightGreen,
    Color::LightYellow,
    Color::LightBlue,
    Color::LightMagenta,
    Color::LightCyan,
];

/// The color of a nick: the same for `Alice` and `alice`, and across runs.
pub fn nick_color(name: &str) -> Color {
    // FNV-1a: tiny, and stable across Rust versions (unlike `DefaultHasher`).
    let hash = name_key(name)
        .bytes()
        .fold(0xcbf2_9ce4_8422_2325_u64, |hash, byte| {
            (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3)
        });
    NICK_PALETTE[(hash % NICK_PALETTE.len() as u64) as usize]
}

/// A nick in a message prefix or the sidebar.
pub fn nick(name: &str) -> Style {
    Style::new()
        .fg(nick_color(name))
        .add_modifier(Modifier::BOLD)
}

/// The user's own nick: reversed, so own messages stand out at a glance.
pub fn own_nick(name: &str) -> Style {
    nick(name).add_modifier(Modifier::REVERSED)
}

/// The nick of a message's author: the user's own one stands out.
pub fn nick_of(name: &str, own: bool) -> Style {
    if own { own_nick(name) } else { nick(name) }
}

/// The style of a piece of the message pane.
pub fn tone(tone: Tone) -> Style {
    match tone {
        Tone::Time => TIME,
        Tone::Nick { name, own } => nick_of(name, own),
        Tone::Plain => Style::new(),
        Tone::OwnText => OWN_TEXT,
        Tone::Mention => MENTION,
        Tone::Action => ACTION,
        Tone::PrivateTag => PRIVATE.bold(),
        Tone::Private => PRIVATE,
        Tone::Joined => JOINED,
        Tone::Left => LEFT,
        Tone::Info => INFO,
        Tone::Error => ERROR,
        Tone::Queued => QUEUED,
    }
}

/// Time stamps.
pub const TIME: Style = Style::new().fg(Color::DarkGray);
/// The text of the user's own messages.
pub const OWN_TEXT: Style = Style::new().fg(Color::Gray);
/// A message that mentions the user.
pub const MENTION: Style = Style::new()
    .fg(Color::Black)
    .bg(Color::Yellow)
    .add_modifier(Modifier::BOLD);
/// The text of `/me` actions.
pub const ACTION: Style = Style::new().add_modifier(Modifier::ITALIC);
/// Private messages.
pub const PRIVATE: Style = Style::new().fg(Color::LightMagenta);
/// Someone joined.
pub const JOINED: Style = Style::new().fg(Color::Green);
/// Someone left.
pub const LEFT: Style = Style::new().fg(Color::LightRed);
/// Renames and information.
pub const INFO: Style = Style::new().fg(Color::Cyan);
/// Errors.
pub const ERROR: Style = Style::new().fg(Color::Red).add_modifier(Modifier::BOLD);
/// Messages waiting to be sent.
pub const QUEUED: Style = Style::new()
    .fg(Color::DarkGray)
    .add_modifier(Modifier::ITALIC);
/// Borders and rules.
pub const CHROME: Style = Style::new().fg(Color::DarkGray);
/// Key names in hints and help.
pub const KEY: Style = Style::new().fg(Color::Yellow).add_modifier(Modifier::BOLD);
/// The status bar.
pub const STATUS: Style = Style::new().fg(Color::White).bg(Color::DarkGray);
/// A good state (connected, valid name).
pub const GOOD: Style = Style::new().fg(Color::Green);
/// A state that needs the user's attention (connecting, waiting).
pub const PENDING: Style = Style::new().fg(Color::Yellow);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nick_colors_ignore_case_and_differ_between_names() {
        assert_eq!(nick_color("Alice"), nick_color("alice"));
        let colors: std::collections::HashSet<_> = ["alice", "bob", "carol", "dave", "erin"]
            .iter()
            .map(|name| nick_color(name))
            .collect();
        assert!(colors.len() >= 3, "{colors:?}");
    }
}
