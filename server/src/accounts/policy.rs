//! Whether a connection may carry passwords.
//!
//! A password sent over plain TCP can be read by anyone on the way. From this machine
//! (loopback) there is no way; from anywhere else the connection must be encrypted
//! (TLS), unless the operator accepts the risk with `--allow-plain-passwords` (a
//! trusted network, or a tunnel the server cannot see). The decision is made before a
//! password is looked at, and the refusal says why.

use std::net::IpAddr;

/// Whether a client at `peer` may send passwords: over an `encrypted` connection, from
/// this machine, or anywhere when the operator `allow_plain` passwords.
pub fn passwords_allowed(peer: IpAddr, encrypted: bool, allow_plain: bool) -> bool {
    encrypted || allow_plain || peer.to_canonical().is_loopback()
}

/// What a client refused by [`passwords_allowed`] is told.
pub const PLAIN_PASSWORDS_REFUSED: &str = "passwords are not accepted over an unencrypted \
     connection from the network, where anyone on the way could read them; connect with \
     TLS";

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(text: &str) -> IpAddr {
        text.parse().unwrap()
    }

    #[test]
    fn plain_tcp_from_the_network_is_refused_unless_allowed() {
        assert!(!passwords_allowed(ip("203.0.113.7"), false, false));
        assert!(!passwords_allowed(ip("2001:db8::1"), false, false));
        assert!(!passwords_allowed(ip("::ffff:203.0.113.7"), false, false));
        assert!(passwords_allowed(ip("203.0.113.7"), true, false), "TLS");
        assert!(
            passwords_allowed(ip("203.0.113.7"), false, true),
            "the flag"
        );
    }

    #[test]
    fn loopback_is_this_machine_in_every_spelling() {
        assert!(passwords_allowed(ip("127.0.0.1"), false, false));
        assert!(passwords_allowed(ip("127.8.9.10"), false, false));
        assert!(passwords_allowed(ip("::1"), false, false));
        assert!(passwords_allowed(ip("::ffff:127.0.0.1"), false, false));
    }
}
