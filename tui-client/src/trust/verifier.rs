//! The check of the server's certificate, as ssh checks host keys.
//!
//! - A server the user already trusts (in `known_hosts`) must present exactly the
//!   certificate they accepted, whoever signed it: anything else is a
//!   [`Distrust::Changed`], refused without asking.
//! - Any other server is checked against the system's certificate authorities. One they
//!   vouch for is accepted. One no authority vouches for (self-signed, an unknown
//!   issuer, or an issuer's name without its signature) is a [`Distrust::Unknown`],
//!   which the caller may show the user to decide. Any other failure (expired, another
//!   name) is refused as rustls reports it.
//!
//! The signatures of the handshake itself are always checked with the crypto provider's
//! algorithms: a pinned certificate proves nothing unless the server holds its key.
//!
//! A refusal travels through rustls as a certificate error wrapping a [`Distrust`], so
//! that whoever sees the handshake fail can tell it from a network failure
//! ([`Distrust::from_rustls`]).

use std::fmt;
use std::sync::Arc;

use rustls::client::WebPkiServerVerifier;
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::{CryptoProvider, verify_tls12_signature, verify_tls13_signature};
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{
    CertificateError, DigitallySignedStruct, Error, OtherError, RootCertStore, SignatureScheme,
};

use super::fingerprint::Fingerprint;
use super::known_hosts::KnownHost;

/// The server-certificate check of one server (one `host:port`), used by every
/// connection to it, reconnects included.
#[derive(Debug, Clone)]
pub struct TofuVerifier {
    /// `host:port`, for messages.
    host: String,
    /// The certificate the user trusts for this server, if any.
    pinned: Option<KnownHost>,
    /// The system's authorities; `None` when the system has none.
    authorities: Option<Arc<WebPkiServerVerifier>>,
    /// The algorithms for the handshake's signatures.
    provider: Arc<CryptoProvider>,
}

impl TofuVerifier {
    /// A check of `host` (`host:port`) against `roots`, or against `pinned` when the
    /// user trusts a certificate for it.
    pub fn new(
        host: &str,
        roots: Arc<RootCertStore>,
        pinned: Option<KnownHost>,
        provider: Arc<CryptoProvider>,
    ) -> Self {
        let authorities = if roots.is_empty() {
            None
        } else {
            WebPkiServerVerifier::builder_with_provider(roots, provider.clone())
                .build()
                .ok()
        };
        Self {
            host: host.to_owned(),
            pinned,
            authorities,
            provider,
        }
    }

    /// The same check, now trusting `pinned`.
    pub fn pinned(&self, pinned: KnownHost) -> Self {
        Self {
            host: self.host.clone(),
            pinned: Some(pinned),
            authorities: self.authorities.clone(),
            provider: self.provider.clone(),
        }
    }

    /// The server this checks.
    pub fn host(&self) -> &str {
        &self.host
    }

    fn distrust(&self, distrust: Distrust) -> Error {
        Error::InvalidCertificate(CertificateError::Other(OtherError(Arc::new(distrust))))
    }
}

impl ServerCertVerifier for TofuVerifier {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        ocsp_response: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, Error> {
        let presented = Fingerprint::of(end_entity);
        if let Some(known) = &self.pinned {
            return if known.fingerprint == presented {
                Ok(ServerCertVerified::assertion())
            } else {
                Err(self.distrust(Distrust::Changed {
                    known: known.clone(),
                    presented,
                }))
            };
        }
        let unknown = || {
            self.distrust(Distrust::Unknown {
                host: self.host.clone(),
                presented,
            })
        };
        let Some(authorities) = &self.authorities else {
            return Err(unknown());
        };
        match authorities.verify_server_cert(
            end_entity,
            intermediates,
            server_name,
            ocsp_response,
            now,
        ) {
            // No chain to an authority: none issued it, or one with the issuer's name
            // did not sign it (a self-signed certificate named like an authority).
            Err(Error::InvalidCertificate(
                CertificateError::UnknownIssuer | CertificateError::BadSignature,
            )) => Err(unknown()),
            verdict => verdict,
        }
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        signature: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, Error> {
        verify_tls12_signature(
            message,
            cert,
            signature,
            &self.provider.signature_verification_algorithms,
        )
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        signature: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, Error> {
        verify_tls13_signature(
            message,
            cert,
            signature,
            &self.provider.signature_verification_algorithms,
        )
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.provider
            .signature_verification_algorithms
            .supported_schemes()
    }
}

/// Why the server's certificate is not trusted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Distrust {
    /// No authority vouches for it and the user has not accepted it: the user may be
    /// asked.
    Unknown {
        /// `host:port`.
        host: String,
        /// Its fingerprint.
        presented: Fingerprint,
    },
    /// It is not the certificate the user accepted for this server: never asked.
    Changed {
        /// The certificate the user accepted, and where that is written.
        known: KnownHost,
        /// The fingerprint of the one presented.
        presented: Fingerprint,
    },
}

impl Distrust {
    /// The refusal inside a failed handshake's error, if that is why it failed.
    pub fn from_rustls(error: &Error) -> Option<&Distrust> {
        match error {
            Error::InvalidCertificate(CertificateError::Other(OtherError(inner))) => {
                inner.downcast_ref()
            }
            _ => None,
        }
    }
}

impl std::error::Error for Distrust {}

impl fmt::Display for Distrust {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Distrust::Unknown { host, presented } => write!(
                f,
                "the certificate of {host} is not signed by an authority this system \
                 trusts, and you have not accepted it (SHA-256 fingerprint {presented}); \
                 start chat-tui again to decide whether to trust it"
            ),
            Distrust::Changed { known, presented } => {
                let rule = "!".repeat(72);
                writeln!(f, "refusing to connect.")?;
                writeln!(f, "{rule}")?;
                writeln!(
                    f,
                    "!!  THE CERTIFICATE OF {} HAS CHANGED SINCE YOU TRUSTED IT",
                    known.host
                )?;
                writeln!(f, "{rule}")?;
                writeln!(
                    f,
                    "Someone may be intercepting the connection, or the server's operator \
                     replaced its certificate."
                )?;
                writeln!(f, "  trusted:   {}", known.fingerprint)?;
                writeln!(f, "  presented: {presented}")?;
                writeln!(
                    f,
                    "Ask the operator for the new fingerprint. If it is the one presented, \
                     remove line {} of",
                    known.line
                )?;
                writeln!(f, "  {}", known.path.display())?;
                writeln!(f, "which reads")?;
                write!(f, "  {}", known.text())
            }
        }
    }
}
