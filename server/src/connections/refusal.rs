//! The one line a connection turned away at the door receives before it is closed.

use std::time::Duration;

use chat_shared::frame::ErrorCode;
use ipnet::IpNet;

/// Why a connection is turned away at the door.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// The server holds as many connections as it may.
    ServerFull(usize),
    /// This address holds as many connections as it may.
    TooManyFromAddress(IpNet, usize),
    /// This address connects too often; it may come back after the delay.
    Throttled(IpNet, Duration),
    /// The server is stopping.
    ShuttingDown,
    /// The server serves only TLS (`--require-tls`) and this connection is cleartext.
    TlsRequired,
}

impl Refusal {
    /// The one line sent before closing: `ERROR <code>: <reason>`, readable by a person
    /// and parseable by a program (the session mode is not known yet).
    pub fn line(&self) -> String {
        let (code, reason) = match self {
            Refusal::ServerFull(max) => (
                ErrorCode::ServerFull,
                format!("the server is full ({max} connections); try again later"),
            ),
            Refusal::TooManyFromAddress(net, max) => (
                ErrorCode::TooManyConnections,
                format!("too many connections from {} (limit {max})", shown(net)),
            ),
            Refusal::Throttled(net, wait) => (
                ErrorCode::Throttled,
                format!(
                    "{} connects too often; try again in {} s",
                    shown(net),
                    wait.as_secs() + 1
                ),
            ),
            Refusal::ShuttingDown => (
                ErrorCode::ShuttingDown,
                "the server is shutting down".to_owned(),
            ),
            Refusal::TlsRequired => (
                ErrorCode::TlsRequired,
                "this server accepts only TLS connections; connect with TLS (for example \
                 openssl s_client -quiet -connect HOST:PORT)"
                    .to_owned(),
            ),
        };
        format!("ERROR {}: {reason}\r\n", code.as_str())
    }
}

/// A network as people read it: a lone address without its `/32` or `/128`.
fn shown(net: &IpNet) -> String {
    if net.prefix_len() == net.max_prefix_len() {
        net.addr().to_string()
    } else {
        net.to_string()
    }
}
