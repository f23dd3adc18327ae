//! `chat-tui`: the full-screen terminal client of `chat-server`.
//!
//! How it fits together:
//!
//! - [`app`]: the whole state, changed only by [`app::App::update`], a pure function of an
//!   [`event::Event`] that returns effects (send a frame, ring the bell, quit, reconnect).
//! - [`ui`]: drawing, a pure function of the app into a ratatui frame.
//! - [`keymap`]: every key binding.
//! - [`net`]: the network task, which owns the socket and the reconnect loop.
//! - [`password_source`]: a login password from a file or the environment.
//! - [`settings`]: what the client is started with: defaults, the config file, the
//!   command line.
//! - [`shell`]: the async loop joining terminal events, the network, a timer and the
//!   [`signals`] that stop the client.
//! - [`trust`]: whose TLS certificates the client accepts (trust on first use).
//! - [`terminal`]: terminal modes, restored on every exit path.
//! - [`wrap`]: wrapping by display width.
//!
//! The protocol itself is in the `chat-shared` crate.

#![warn(missing_docs)]

pub mod app;
pub mod event;
pub mod keymap;
pub mod net;
pub mod password_source;
pub mod settings;
pub mod shell;
pub mod signals;
pub mod terminal;
pub mod trust;
pub mod ui;
pub mod wrap;
