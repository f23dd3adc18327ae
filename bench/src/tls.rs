//! TLS for the simulated clients (`fanout --tls`): a rustls client session per
//! connection, shared by whoever writes to it and the reader thread that reads it.
//!
//! BENCH ONLY: the clients accept whatever certificate the server presents (the
//! handshake signature is still checked, so the TLS work is the real one). That measures
//! the cost of TLS, and nothing else; no real client may ever do this.

use std::io::{self, Read};
use std::net::TcpStream;
use std::sync::{Arc, Mutex, MutexGuard};

use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::ring::default_provider;
use rustls::crypto::{CryptoProvider, verify_tls12_signature, verify_tls13_signature};
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{ClientConfig, ClientConnection, DigitallySignedStruct, SignatureScheme};

/// The name the clients ask for; any certificate is accepted anyway.
const SERVER_NAME: &str = "localhost";

/// A client configuration that accepts any certificate (bench only, see the module).
pub fn accepting_any_certificate() -> Arc<ClientConfig> {
    let provider = Arc::new(default_provider());
    let config = ClientConfig::builder_with_provider(Arc::clone(&provider))
        .with_safe_default_protocol_versions()
        .expect("the provider supports the default versions")
        .dangerous()
        .with_custom_certificate_verifier(Arc::new(AnyCertificate(provider)))
        .with_no_client_auth();
    Arc::new(config)
}

/// Trusts every certificate, and checks only that the server signed the handshake with
/// the key of the certificate it presented.
#[derive(Debug)]
struct AnyCertificate(Arc<CryptoProvider>);

impl ServerCertVerifier for AnyCertificate {
    fn verify_server_cert(
        &self,
        _end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp_response: &[u8],
        _now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        Ok(ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        verify_tls12_signature(
            message,
            cert,
            dss,
            &self.0.signature_verification_algorithms,
        )
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        verify_tls13_signature(
            message,
            cert,
            dss,
            &self.0.signature_verification_algorithms,
        )
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.0.signature_verification_algorithms.supported_schemes()
    }
}

/// One connection's TLS session. Writers encrypt under the client's write lock (so that
/// records reach the socket in the order they were made) and then this lock; the reader
/// thread takes this lock alone to decrypt.
#[derive(Debug)]
pub struct TlsLink(Mutex<ClientConnection>);

impl TlsLink {
    /// Completes a handshake over `stream` (blocking, connected) with `config`.
    pub fn handshake(stream: &mut TcpStream, config: &Arc<ClientConfig>) -> io::Result<Self> {
        let name = ServerName::try_from(SERVER_NAME).expect("a valid name");
        let mut tls = ClientConnection::new(Arc::clone(config), name).map_err(io::Error::other)?;
        while tls.is_handshaking() {
            tls.complete_io(stream)?;
        }
        Ok(Self(Mutex::new(tls)))
    }

    /// Encrypts `plaintext`; the records are to be written whole, in order, before any
    /// made later.
    pub fn seal(&self, plaintext: &[u8]) -> io::Result<Vec<u8>> {
        let mut tls = self.lock();
        io::Write::write_all(&mut tls.writer(), plaintext)?;
        let mut records = Vec::with_capacity(plaintext.len() + 64);
        while tls.wants_write() {
            tls.write_tls(&mut records)?;
        }
        Ok(records)
    }

    /// Decrypts `ciphertext`, appending the plaintext to `plaintext`; an error if the
    /// server's TLS is broken or it closed its session.
    pub fn open(&self, mut ciphertext: &[u8], plaintext: &mut Vec<u8>) -> io::Result<()> {
        let mut tls = self.lock();
        while !ciphertext.is_empty() {
            tls.read_tls(&mut ciphertext)?;
            tls.process_new_packets()
                .map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e))?;
            match tls.reader().read_to_end(plaintext) {
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => {}
                Ok(_) => return Err(io::ErrorKind::ConnectionAborted.into()),
                Err(e) => return Err(e),
            }
        }
        Ok(())
    }

    fn lock(&self) -> MutexGuard<'_, ClientConnection> {
        self.0
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}
