//! TLS over the connection, when asked for: the handshake, what its failures mean in
//! words, and a first contact that only checks the server's certificate.
//!
//! One [`TlsConnect`] (and so one [`TofuVerifier`]) serves every connection of the
//! client, reconnects included: a server must present the accepted certificate each
//! time.

use std::fmt;
use std::io;
use std::sync::Arc;

use chat_shared::frame::{ErrorCode, parse_refusal};
use chat_shared::text::sanitize_text;
use rustls::ClientConfig;
use rustls::pki_types::ServerName;
use tokio::io::AsyncWriteExt;
use tokio::net::TcpStream;
use tokio::time::timeout;
use tokio_rustls::TlsConnector;
use tokio_rustls::client::TlsStream;

use super::connection::connect;
use super::first_bytes::FirstBytes;
use super::{NetConfig, describe_io_error};
use crate::trust::verifier::{Distrust, TofuVerifier};

/// How to speak TLS to the server.
#[derive(Clone)]
pub struct TlsConnect {
    /// rustls's client, holding the verifier.
    connector: TlsConnector,
    /// The name the server's certificate is checked for (a host name or an address).
    server_name: ServerName<'static>,
}

impl fmt::Debug for TlsConnect {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TlsConnect")
            .field("server_name", &self.server_name)
            .finish_non_exhaustive()
    }
}

impl TlsConnect {
    /// TLS to `host` (a name or an address, without brackets), its certificate checked
    /// by `verifier`, with the protocol versions rustls deems safe.
    pub fn new(host: &str, verifier: Arc<TofuVerifier>) -> Result<Self, String> {
        let server_name = ServerName::try_from(host.to_owned())
            .map_err(|_| format!("{host} is not a host name or address TLS can check"))?;
        let config = ClientConfig::builder_with_provider(crate::trust::provider())
            .with_safe_default_protocol_versions()
            .map_err(|error| error.to_string())?
            .dangerous()
            .with_custom_certificate_verifier(verifier)
            .with_no_client_auth();
        Ok(Self {
            connector: TlsConnector::from(Arc::new(config)),
            server_name,
        })
    }

    /// The TLS handshake over `stream`.
    pub(super) async fn secure(
        &self,
        stream: TcpStream,
    ) -> Result<TlsStream<FirstBytes<TcpStream>>, HandshakeFailure> {
        self.connector
            .connect(self.server_name.clone(), FirstBytes::new(stream))
            .into_fallible()
            .await
            .map_err(|(error, stream)| HandshakeFailure::from_io(&error, stream.seen()))
    }
}

/// Why connecting with TLS failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HandshakeFailure {
    /// The server's certificate is not trusted.
    Distrust(Distrust),
    /// The server refused the connection with a cleartext `ERROR code: reason` line,
    /// as it does before it looks at what the client sends.
    Refused {
        /// The error code, such as `banned` or `server_full`.
        code: String,
        /// The server's words.
        reason: String,
    },
    /// Anything else, in words.
    Failed(String),
}

impl HandshakeFailure {
    /// The failure a handshake's error stands for, given the first bytes the server
    /// sent (`seen`).
    fn from_io(error: &io::Error, seen: &[u8]) -> Self {
        if let Some(refusal) = Self::refusal(seen) {
            return refusal;
        }
        let rustls_error = error
            .get_ref()
            .and_then(|inner| inner.downcast_ref::<rustls::Error>());
        let reason = match rustls_error {
            Some(error) => match Distrust::from_rustls(error) {
                Some(distrust) => return Self::Distrust(distrust.clone()),
                None => match error {
                    rustls::Error::InvalidMessage(_) => {
                        "the server does not speak TLS (a plain chat-server? connect without TLS)"
                            .to_owned()
                    }
                    other => format!("TLS: {other}"),
                },
            },
            None if error.kind() == io::ErrorKind::UnexpectedEof => {
                "the server closed the connection during the TLS handshake (does it speak TLS?)"
                    .to_owned()
            }
            None => describe_io_error(error),
        };
        Self::Failed(reason)
    }

    /// Whether the server refused a banned address: trying again by itself would only
    /// be refused again.
    pub fn is_ban(&self) -> bool {
        matches!(self, Self::Refused { code, .. } if code == ErrorCode::Banned.as_str())
    }

    /// The refusal line `seen` starts with, if it does, made safe to show.
    fn refusal(seen: &[u8]) -> Option<Self> {
        let end = seen.iter().position(|&byte| byte == b'\n')?;
        let line = std::str::from_utf8(&seen[..end])
            .ok()?
            .trim_end_matches('\r');
        let (code, reason) = parse_refusal(line)?;
        Some(Self::Refused {
            code: sanitize_text(code),
            reason: sanitize_text(reason),
        })
    }
}

impl fmt::Display for HandshakeFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            HandshakeFailure::Distrust(distrust) => distrust.fmt(f),
            HandshakeFailure::Refused { reason, .. } => {
                write!(f, "refused by the server: {reason}")
            }
            HandshakeFailure::Failed(reason) => f.write_str(reason),
        }
    }
}

/// Connects to the server, completes the TLS handshake and closes the connection
/// again: all it does is learn whether the server's certificate is trusted, before the
/// client starts. Within the config's handshake timeout.
pub async fn probe(config: &NetConfig, tls: &TlsConnect) -> Result<(), HandshakeFailure> {
    let handshake = async {
        let stream = connect(config)
            .await
            .map_err(|error| HandshakeFailure::Failed(describe_io_error(&error)))?;
        tls.secure(stream).await
    };
    match timeout(config.handshake_timeout, handshake).await {
        Err(_) => Err(HandshakeFailure::Failed(
            "timed out connecting with TLS".to_owned(),
        )),
        Ok(Err(failure)) => Err(failure),
        Ok(Ok(mut stream)) => {
            let _ = timeout(config.handshake_timeout, stream.shutdown()).await;
            Ok(())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn not_tls() -> io::Error {
        io::Error::new(
            io::ErrorKind::InvalidData,
            rustls::Error::InvalidMessage(rustls::InvalidMessage::InvalidContentType),
        )
    }

    #[test]
    fn a_refusal_line_before_the_handshake_is_shown_made_safe() {
        let seen = b"ERROR banned: 127.0.0.1 is banned \x1b[2J(by op: spam)\r\nrest";
        let failure = HandshakeFailure::from_io(&not_tls(), seen);
        assert!(failure.is_ban());
        assert_eq!(
            failure.to_string(),
            "refused by the server: 127.0.0.1 is banned (by op: spam)"
        );
    }

    #[test]
    fn other_first_bytes_mean_the_server_does_not_speak_tls() {
        for seen in [
            &b"* Welcome to chat-server 0.1.0 (3 online).\r\n"[..],
            b"ERROR server_full: no line end yet",
            b"",
        ] {
            let failure = HandshakeFailure::from_io(&not_tls(), seen);
            assert!(!failure.is_ban());
            assert!(
                failure.to_string().contains("does not speak TLS"),
                "{failure}"
            );
        }
    }
}
