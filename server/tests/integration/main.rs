//! Integration tests: the real server on loopback, driven by plain and structured clients.

mod accounts;
mod accounts_offline;
mod bans_offline;
mod binary;
mod handshake;
mod history;
mod keepalive;
mod limits;
mod membership;
mod messages;
mod moderation;
mod rooms;
mod slow_reader;
// Shared with the hostile suite; each crate uses only part of it.
#[allow(dead_code)]
#[path = "../common/mod.rs"]
mod support;
