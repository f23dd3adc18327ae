//! TLS on the chat port, against the real server over loopback with real rustls
//! clients that trust the server's certificate: sessions inside TLS, TLS and cleartext
//! side by side, passwords, `--require-tls`, hostile handshakes, and where the
//! certificate comes from.

mod accounts;
mod certificate;
mod hostile;
mod require;
mod sessions;
// Shared with the other suites; each crate uses only part of it.
#[allow(dead_code)]
#[path = "../common/mod.rs"]
mod support;
