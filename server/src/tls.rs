//! TLS on the chat port: the certificate the server presents, and telling a TLS client
//! from a cleartext one by its first byte.
//!
//! One port serves both. A connection whose first byte is `0x16` (a TLS handshake
//! record, which opens every ClientHello) speaks TLS; any other first byte, or silence
//! for `--tls-detect-wait`, means cleartext, so `nc` keeps working. Inside TLS a session
//! is what it is outside: plain lines or structured frames.
//!
//! The certificate comes from `--tls-cert`/`--tls-key`, or is generated once into
//! `DATA_DIR/tls/` and reused, or (without a data directory) generated for this run
//! only. Its SHA-256 fingerprint is logged at startup as uppercase hex pairs separated
//! by colons, the form `openssl x509 -fingerprint -sha256` prints, so that people can
//! check what their client shows them.

mod certificate;
mod detect;

use std::path::PathBuf;
use std::sync::Arc;

use rustls::crypto::CryptoProvider;
use rustls::crypto::ring::default_provider;
use rustls::{CipherSuite, ServerConfig};
use rustls_pki_types::{CertificateDer, PrivateKeyDer};

use crate::config::Config;

pub use certificate::fingerprint;
pub(crate) use detect::{FirstByte, first_byte};

/// Why TLS cannot be set up at startup; the message names the file and what is wrong.
#[derive(Debug, thiserror::Error)]
pub enum TlsError {
    /// A certificate or key file is missing, unreadable, or holds no usable PEM.
    #[error("cannot use {what} {path}: {reason}")]
    File {
        /// Which file: "--tls-cert", "--tls-key", or the generated ones.
        what: &'static str,
        /// The file.
        path: PathBuf,
        /// What is wrong with it.
        reason: String,
    },
    /// The key is not the certificate's.
    #[error("cannot use the TLS certificate and key: the key does not belong to the certificate")]
    KeyMismatch,
    /// The certificate and key were read but do not make a usable TLS configuration
    /// (for example, a kind of key rustls cannot sign with).
    #[error("cannot use the TLS certificate and key: {0}")]
    Config(rustls::Error),
    /// A self-signed certificate could not be made.
    #[error("cannot generate a TLS certificate: {0}")]
    Generate(#[from] rcgen::Error),
    /// The generated certificate could not be saved in the data directory.
    #[error("cannot save the generated TLS certificate in {path}: {source}")]
    Save {
        /// The file or directory.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
}

/// What the server needs to speak TLS: the rustls configuration every TLS connection is
/// made from, and the certificate's fingerprint for the logs.
#[derive(Debug, Clone)]
pub struct Tls {
    /// Shared by every TLS connection (it also holds the session-resumption cache).
    pub(crate) server_config: Arc<ServerConfig>,
    /// SHA-256 of the certificate the server presents, as [`fingerprint`] writes it.
    pub fingerprint: String,
}

/// The ring provider, with the AES-128-GCM suites first: the server encrypts every
/// message once per receiver, and AES-128 costs less per byte than AES-256 (which most
/// clients ask for first) at a strength no attack on this chat comes near. The server's
/// order wins (`ignore_client_order`); a client without AES-128 still gets what it has.
fn provider() -> CryptoProvider {
    let mut provider = default_provider();
    provider.cipher_suites.sort_by_key(|suite| {
        !matches!(
            suite.suite(),
            CipherSuite::TLS13_AES_128_GCM_SHA256
                | CipherSuite::TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256
                | CipherSuite::TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256
        )
    });
    provider
}

impl Tls {
    /// Loads the configured certificate and key, or the generated ones in the data
    /// directory (making them on first start), or generates a certificate for this run
    /// alone; logs where it came from.
    pub fn load(config: &Config) -> Result<Self, TlsError> {
        let (chain, key) = match (&config.tls_cert, &config.tls_key) {
            (Some(cert), Some(key)) => {
                let (chain, key) = certificate::load(cert, "--tls-cert", key, "--tls-key")?;
                let tls = Self::from_chain(chain, key)?;
                tracing::info!("TLS certificate from {}", cert.display());
                return Ok(tls);
            }
            _ => match config.data_dir.as_deref() {
                Some(dir) => certificate::generated_in(&dir.join("tls"))?,
                None => {
                    tracing::info!(
                        "TLS certificate generated for this run only (no data directory)"
                    );
                    certificate::generate()?
                }
            },
        };
        Self::from_chain(chain, key)
    }

    fn from_chain(
        chain: Vec<CertificateDer<'static>>,
        key: PrivateKeyDer<'static>,
    ) -> Result<Self, TlsError> {
        let fingerprint = fingerprint(&chain[0]);
        let mut server_config = ServerConfig::builder_with_provider(Arc::new(provider()))
            .with_safe_default_protocol_versions()
            .map_err(TlsError::Config)?
            .with_no_client_auth()
            .with_single_cert(chain, key)
            .map_err(|e| match e {
                rustls::Error::InconsistentKeys(_) => TlsError::KeyMismatch,
                other => TlsError::Config(other),
            })?;
        server_config.ignore_client_order = true;
        Ok(Self {
            server_config: Arc::new(server_config),
            fingerprint,
        })
    }
}
