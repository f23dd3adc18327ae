//! The chat's wire protocol, shared by `chat-server` and `chat-tui`.
//!
//! Everything that crosses the network is defined here, so the server and the client
//! cannot disagree about it:
//!
//! - [`codec`]: line framing. Every frame is one line of UTF-8 ending in `\n` (a `\r`
//!   before it is dropped). A line longer than the cap is never buffered whole.
//! - [`command`]: the slash-command grammar that plain mode and `chat-tui` share.
//! - [`duration`]: durations as moderation commands write them (`10m`, `2h`, `1d`).
//! - [`frame`]: the typed frames of the *structured* session mode (JSON, one object per
//!   line, tagged by `"type"`), in both directions.
//! - [`nesting`]: a bound on how deeply a frame nests, checked before any JSON parser
//!   sees the line.
//! - [`name`]: the username rules (which characters, how long, which names are
//!   reserved) and the case-insensitive key that makes names unique.
//! - [`password`]: the rules for account passwords.
//! - [`room_name`]: the rules for room names (`#` and a name).
//! - [`text`]: sanitizing of user text, so that no control or escape sequence typed by
//!   one user can reach another user's terminal.
//!
//! The *plain* session mode (a human with `nc`) is readable text, formatted by the server;
//! only its framing and its rules for names and text come from this crate.
//!
//! The full specification with examples is `docs/PROTOCOL.md`; [`PROTOCOL_VERSION`] is
//! the version it describes.

pub mod codec;
pub mod command;
pub mod duration;
pub mod frame;
pub mod name;
pub mod nesting;
pub mod password;
pub mod room_name;
pub mod text;

/// Version of the structured protocol, exchanged in the `hello` frames.
///
/// A server refuses a client whose version it does not speak, with a clear error, rather
/// than misreading its frames.
pub const PROTOCOL_VERSION: u32 = 3;
