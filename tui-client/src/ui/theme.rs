//! Colors and styles, in one place, so that every area styles the same things alike.
//!
//! The client cannot know the terminal's background (light or dark, and which palette),
//! so it uses no color whose readability depends on it:
//!
//! - Text that needs no emphasis is in the terminal's own foreground color.
//! - Every other color is a fixed one of the 256-color cube (`Color::Indexed`), not one
//!   of the 16 named colors, which each terminal theme redefines (GNOME's light profile
//!   draws "gray" text light grey on white, and Tango's "blue" is hard to read on
//!   black). Each was picked for a luminance in the middle, so that it contrasts at
//!   least 3:1 with a white, a black and the usual light and dark backgrounds
//!   (`tests/readability.rs` checks every screen against four terminal profiles).
//! - Nothing sets a background except over a foreground it is paired with: the status
//!   bar is the terminal's own colors reversed, and a colored badge in it is that color
//!   reversed, with the terminal's background as its text.
//!
//! With `NO_COLOR` set (<https://no-color.org>) the [`MONO`] theme draws no color at
//! all, and marks what colors would with bold, italics, underlines, dimming and reverse
//! video.
//!
//! Nick colors come from a stable hash of the name's case-insensitive key: the same
//! person has the same color in every session and on every screen, and snapshots are
//! deterministic.

use chat_shared::name::name_key;
use ratatui::style::{Color, Modifier, Style};

use crate::app::pane::rows::Tone;

/// Every style the client draws with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Theme {
    /// Colors a nick can get; none in [`MONO`].
    nick_colors: &'static [Color],
    /// Time stamps.
    pub time: Style,
    /// The text of the user's own messages.
    pub own_text: Style,
    /// A message that mentions the user.
    pub mention: Style,
    /// The text of `/me` actions.
    pub action: Style,
    /// Who a private message is from or to.
    pub private_tag: Style,
    /// The text of private messages.
    pub private: Style,
    /// Someone joined.
    pub joined: Style,
    /// Someone left.
    pub left: Style,
    /// Renames and information.
    pub info: Style,
    /// Errors.
    pub error: Style,
    /// Messages waiting to be sent.
    pub queued: Style,
    /// Borders, rules and hints.
    pub chrome: Style,
    /// Key names, and the titles of boxes and lists.
    pub key: Style,
    /// A section's title in the help.
    pub heading: Style,
    /// The status bar.
    pub status: Style,
    /// A good state (connected, a valid name).
    pub good: Style,
    /// A state that needs the user's attention (connecting, waiting).
    pub pending: Style,
    /// The shown buffer's row in the buffer list.
    pub current: Style,
    /// A buffer where something happened that the user has not seen.
    pub activity: Style,
    /// The text of messages replayed from a room's history.
    pub replayed: Style,
    /// The marks around replayed history and above the oldest entry.
    pub history: Style,
    /// The mark where events are missing.
    pub gap: Style,
    /// The message a search result jumped to.
    pub found: Style,
}

/// Nick colors: eight hues of the 256-color cube, each readable on light and dark
/// backgrounds.
const NICK_COLORS: [Color; 8] = [
    Color::Indexed(197),
    Color::Indexed(166),
    Color::Indexed(100),
    Color::Indexed(65),
    Color::Indexed(31),
    Color::Indexed(68),
    Color::Indexed(134),
    Color::Indexed(199),
];

/// A grey readable on light and dark backgrounds (#808080).
const GREY: Color = Color::Indexed(244);
/// Green, for good news.
const GREEN: Color = Color::Indexed(65);
/// Olive, for what is under way.
const OLIVE: Color = Color::Indexed(100);
/// Orange, for keys and titles.
const ORANGE: Color = Color::Indexed(166);
/// Teal, for information.
const TEAL: Color = Color::Indexed(31);
/// Red, for errors.
const RED: Color = Color::Indexed(196);
/// A softer red, for departures.
const SOFT_RED: Color = Color::Indexed(167);
/// Violet, for private messages.
const VIOLET: Color = Color::Indexed(165);
/// Black on gold, for a mention: the pair is readable whatever surrounds it.
const MENTION_TEXT: Color = Color::Indexed(16);
/// The gold behind a mention's text.
const MENTION_BACK: Color = Color::Indexed(220);

/// The theme in color.
pub const COLOR: Theme = Theme {
    nick_colors: &NICK_COLORS,
    time: Style::new().fg(GREY),
    own_text: Style::new(),
    mention: Style::new()
        .fg(MENTION_TEXT)
        .bg(MENTION_BACK)
        .add_modifier(Modifier::BOLD),
    action: Style::new().add_modifier(Modifier::ITALIC),
    private_tag: Style::new().fg(VIOLET).add_modifier(Modifier::BOLD),
    private: Style::new().fg(VIOLET),
    joined: Style::new().fg(GREEN),
    left: Style::new().fg(SOFT_RED),
    info: Style::new().fg(TEAL),
    error: Style::new().fg(RED).add_modifier(Modifier::BOLD),
    queued: Style::new().fg(GREY).add_modifier(Modifier::ITALIC),
    chrome: Style::new().fg(GREY),
    key: Style::new().fg(ORANGE).add_modifier(Modifier::BOLD),
    heading: Style::new().fg(TEAL).add_modifier(Modifier::BOLD),
    status: Style::new().add_modifier(Modifier::REVERSED),
    good: Style::new().fg(GREEN),
    pending: Style::new().fg(OLIVE),
    current: Style::new().add_modifier(Modifier::REVERSED),
    activity: Style::new().add_modifier(Modifier::BOLD),
    replayed: Style::new().fg(GREY),
    history: Style::new().fg(GREY).add_modifier(Modifier::ITALIC),
    gap: Style::new().fg(ORANGE).add_modifier(Modifier::BOLD),
    found: Style::new().add_modifier(Modifier::REVERSED),
};

/// The theme without color (`NO_COLOR`): emphasis by modifiers alone.
pub const MONO: Theme = Theme {
    nick_colors: &[],
    time: Style::new().add_modifier(Modifier::DIM),
    own_text: Style::new(),
    mention: Style::new().add_modifier(Modifier::BOLD.union(Modifier::UNDERLINED)),
    action: Style::new().add_modifier(Modifier::ITALIC),
    private_tag: Style::new().add_modifier(Modifier::BOLD),
    private: Style::new().add_modifier(Modifier::ITALIC),
    joined: Style::new(),
    left: Style::new(),
    info: Style::new(),
    error: Style::new().add_modifier(Modifier::BOLD),
    queued: Style::new().add_modifier(Modifier::DIM.union(Modifier::ITALIC)),
    chrome: Style::new().add_modifier(Modifier::DIM),
    key: Style::new().add_modifier(Modifier::BOLD),
    heading: Style::new().add_modifier(Modifier::BOLD.union(Modifier::UNDERLINED)),
    status: Style::new().add_modifier(Modifier::REVERSED),
    good: Style::new(),
    pending: Style::new().add_modifier(Modifier::BOLD),
    current: Style::new().add_modifier(Modifier::REVERSED),
    activity: Style::new().add_modifier(Modifier::BOLD),
    replayed: Style::new().add_modifier(Modifier::DIM),
    history: Style::new().add_modifier(Modifier::DIM.union(Modifier::ITALIC)),
    gap: Style::new().add_modifier(Modifier::BOLD),
    found: Style::new().add_modifier(Modifier::REVERSED),
};

/// The theme to draw with: in color unless the user asked for none.
pub fn theme(color: bool) -> &'static Theme {
    if color { &COLOR } else { &MONO }
}

impl Theme {
    /// The color of a nick: the same for `Alice` and `alice`, and across runs; `None`
    /// without colors.
    pub fn nick_color(&self, name: &str) -> Option<Color> {
        if self.nick_colors.is_empty() {
            return None;
        }
        // FNV-1a: tiny, and stable across Rust versions (unlike `DefaultHasher`).
        let hash = name_key(name)
            .bytes()
            .fold(0xcbf2_9ce4_8422_2325_u64, |hash, byte| {
                (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3)
            });
        Some(self.nick_colors[(hash % self.nick_colors.len() as u64) as usize])
    }

    /// A nick in a message prefix or the sidebar.
    pub fn nick(&self, name: &str) -> Style {
        let style = Style::new().add_modifier(Modifier::BOLD);
        match self.nick_color(name) {
            Some(color) => style.fg(color),
            None => style,
        }
    }

    /// The user's own nick: reversed, so own messages stand out at a glance.
    pub fn own_nick(&self, name: &str) -> Style {
        self.nick(name).add_modifier(Modifier::REVERSED)
    }

    /// The style of a piece of the message pane.
    pub fn tone(&self, tone: Tone) -> Style {
        match tone {
            Tone::Time => self.time,
            Tone::Nick { name, own: true } => self.own_nick(name),
            Tone::Nick { name, own: false } => self.nick(name),
            Tone::Plain => Style::new(),
            Tone::OwnText => self.own_text,
            Tone::Mention => self.mention,
            Tone::Action => self.action,
            Tone::PrivateTag => self.private_tag,
            Tone::Private => self.private,
            Tone::Joined => self.joined,
            Tone::Left => self.left,
            Tone::Info => self.info,
            Tone::Error => self.error,
            Tone::Queued => self.queued,
            Tone::Marker => self.key,
            Tone::Replayed => self.replayed,
            Tone::History => self.history,
            Tone::Gap => self.gap,
            Tone::Found => self.found,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nick_colors_ignore_case_and_differ_between_names() {
        assert_eq!(COLOR.nick_color("Alice"), COLOR.nick_color("alice"));
        let colors: std::collections::HashSet<_> = ["alice", "bob", "carol", "dave", "erin"]
            .iter()
            .map(|name| COLOR.nick_color(name))
            .collect();
        assert!(colors.len() >= 3, "{colors:?}");
    }

    #[test]
    fn the_mono_theme_has_no_color_anywhere() {
        let styles = [
            MONO.time,
            MONO.own_text,
            MONO.mention,
            MONO.action,
            MONO.private_tag,
            MONO.private,
            MONO.joined,
            MONO.left,
            MONO.info,
            MONO.error,
            MONO.queued,
            MONO.chrome,
            MONO.key,
            MONO.heading,
            MONO.status,
            MONO.good,
            MONO.pending,
            MONO.current,
            MONO.activity,
            MONO.replayed,
            MONO.history,
            MONO.gap,
            MONO.found,
            MONO.nick("alice"),
            MONO.own_nick("alice"),
        ];
        for style in styles {
            assert_eq!((style.fg, style.bg), (None, None), "{style:?}");
        }
        assert_ne!(MONO.mention, MONO.own_text, "a mention still stands out");
    }
}
