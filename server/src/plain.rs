//! Plain mode: what a person with `nc` types ([`parse`]), and the readable lines they see
//! ([`render`]).
//!
//! What the server says and what users say must not be confusable, since both arrive as
//! plain text. By construction:
//! - every line of user text starts with the time (and, from a room other than the
//!   reader's current one, the room's name) and then `<name>`, `* name` or
//!   `*from -> to*`; a name starts with a letter, a digit or `_`;
//! - room notices (joins, leaves, renames, topics) have [`NOTICE_MARK`] where user lines
//!   have a name, which no user line can produce, and other server lines have no time
//!   at all;
//! - runs of blank characters in user text are collapsed to one space, so that no text
//!   can pad itself to push a fake line onto a row of its own in a terminal.

use std::fmt::Write;

use chat_shared::command::{COMMANDS, Scope};
use chat_shared::frame::ServerFrame;

mod parse;
mod render;

pub use parse::parse;
pub use render::{render, render_elsewhere};

/// The question asked until a name is accepted.
pub const NAME_PROMPT: &str =
    "* Choose a username (letters, digits, _ - . ; up to 24 characters):\r\n";

/// What follows the time in a room notice: `[12:04] -!- carol joined`. A user's line has
/// `<`, `* ` or `*` there instead, so a notice cannot be forged.
pub const NOTICE_MARK: &str = "-!-";

/// The help text, as a notice: every command plain mode knows, from the shared grammar.
pub fn help() -> ServerFrame {
    let mut text = String::from("Commands:");
    let width = COMMANDS
        .iter()
        .map(|spec| spec.usage().chars().count())
        .max()
        .unwrap_or(0);
    for spec in COMMANDS.iter().filter(|spec| spec.scope == Scope::Server) {
        let _ = write!(text, "\n  {:width$}  {}", spec.usage(), spec.help);
    }
    text.push_str(
        "\nAny other line is a message to your current room (start it with // to send a \
         leading /).",
    );
    ServerFrame::Notice { text }
}
