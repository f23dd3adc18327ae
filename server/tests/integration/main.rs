//! Integration tests: the real server on loopback, driven by plain and structured clients.

mod binary;
mod handshake;
mod keepalive;
mod limits;
mod membership;
mod messages;
mod slow_reader;
mod support;
