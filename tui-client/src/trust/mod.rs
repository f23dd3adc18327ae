//! Whom the client trusts when it connects with TLS: servers whose certificate an
//! authority of the system vouches for, and servers whose certificate the user accepted
//! on first contact, as ssh does with host keys.
//!
//! - [`fingerprint`]: a certificate's SHA-256, as people compare it.
//! - [`known_hosts`]: the file of accepted certificates.
//! - [`verifier`]: the check of each handshake's certificate.
//! - [`first_use`]: the first contact with a server nobody vouches for: the question to
//!   the user, and remembering the answer.
//!
//! None of it needs the terminal's full screen, so all of it is tested without one.

pub mod fingerprint;
pub mod first_use;
pub mod known_hosts;
pub mod verifier;

use std::sync::Arc;

use rustls::RootCertStore;
use rustls::crypto::CryptoProvider;

/// The cryptography TLS uses: rustls's *ring* provider.
pub fn provider() -> Arc<CryptoProvider> {
    Arc::new(rustls::crypto::ring::default_provider())
}

/// The certificate authorities the system trusts (its own store, as OpenSSL finds it,
/// `SSL_CERT_FILE` and `SSL_CERT_DIR` included). Certificates it cannot read are skipped
/// and logged; none at all leaves every server to be accepted by the user.
pub fn system_roots() -> Arc<RootCertStore> {
    let found = rustls_native_certs::load_native_certs();
    for error in &found.errors {
        tracing::warn!(%error, "a system certificate authority could not be loaded");
    }
    let mut roots = RootCertStore::empty();
    let (added, ignored) = roots.add_parsable_certificates(found.certs);
    tracing::info!(added, ignored, "system certificate authorities loaded");
    Arc::new(roots)
}

/// How a server is named in `known_hosts` and in messages: `host:port`, an IPv6 address
/// in brackets, a host name in lowercase (DNS names ignore case).
pub fn host_key(host: &str, port: u16) -> String {
    let host = host.to_ascii_lowercase();
    if host.contains(':') {
        format!("[{host}]:{port}")
    } else {
        format!("{host}:{port}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_host_key_is_lowercase_with_ipv6_in_brackets() {
        assert_eq!(host_key("Chat.Example", 9999), "chat.example:9999");
        assert_eq!(host_key("::1", 7000), "[::1]:7000");
        assert_eq!(host_key("127.0.0.1", 1), "127.0.0.1:1");
    }
}
