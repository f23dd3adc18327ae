//! TLS for the test clients: rustls clients that trust exactly the certificate a test
//! names, and servers whose certificate is generated into a data directory of their own.

use std::io::{self, Read};
use std::net::{SocketAddr, TcpStream};
use std::path::Path;
use std::sync::Arc;

use chat_server::{Config, Server};
use rustls::crypto::ring::default_provider;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, ServerName};
use rustls::{ClientConfig, ClientConnection, RootCertStore};
use tempfile::TempDir;

use super::{Conn, PATIENCE, start_server};

/// The name test clients ask for; every generated certificate names it.
pub const SERVER_NAME: &str = "localhost";

/// A rustls client configuration that trusts `cert` alone.
pub fn trusting(cert: CertificateDer<'static>) -> Arc<ClientConfig> {
    let mut roots = RootCertStore::empty();
    roots
        .add(cert)
        .expect("the certificate is usable as a root");
    let config = ClientConfig::builder_with_provider(Arc::new(default_provider()))
        .with_safe_default_protocol_versions()
        .expect("the provider supports the default versions")
        .with_root_certificates(roots)
        .with_no_client_auth();
    Arc::new(config)
}

/// The first certificate of a PEM file.
pub fn read_cert(path: &Path) -> CertificateDer<'static> {
    CertificateDer::from_pem_file(path)
        .unwrap_or_else(|e| panic!("no certificate in {}: {e}", path.display()))
}

/// A server with a data directory of its own, where it generates its certificate, and a
/// client configuration that trusts that certificate.
pub struct TlsServer {
    /// The server.
    pub server: Server,
    /// Its data directory (`tls/cert.pem` and `tls/key.pem` inside).
    pub dir: TempDir,
    /// Trusts the server's generated certificate.
    pub client: Arc<ClientConfig>,
}

impl TlsServer {
    /// Starts a server like `start_server` does, adjusted by `tweak`, except that it
    /// waits up to [`PATIENCE`] for a connection's first byte: a TLS client sends its
    /// ClientHello at once, while a cleartext test client must type first.
    pub fn start(tweak: impl FnOnce(&mut Config)) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let server = start_server(|c| {
            c.data_dir = Some(dir.path().to_owned());
            c.tls_detect_wait = PATIENCE;
            tweak(c);
        });
        let client = trusting(read_cert(&dir.path().join("tls/cert.pem")));
        Self {
            server,
            dir,
            client,
        }
    }

    /// Where it listens.
    pub fn addr(&self) -> SocketAddr {
        self.server.local_addr()
    }

    /// A TLS connection to it, handshake done.
    pub fn connect(&self) -> Conn {
        Conn::connect_tls(self.addr(), &self.client)
    }
}

impl Conn {
    /// Connects to `addr` and completes a TLS handshake with `config`.
    pub fn connect_tls(addr: SocketAddr, config: &Arc<ClientConfig>) -> Self {
        Self::tls_over(TcpStream::connect(addr).expect("connect"), config)
    }

    /// Completes a TLS handshake with `config` over `stream`, just connected, asking
    /// for [`SERVER_NAME`]; panics if the handshake fails.
    pub fn tls_over(mut stream: TcpStream, config: &Arc<ClientConfig>) -> Self {
        let name = ServerName::try_from(SERVER_NAME).unwrap();
        let mut tls = ClientConnection::new(Arc::clone(config), name).unwrap();
        stream.set_read_timeout(Some(PATIENCE)).unwrap();
        while tls.is_handshaking() {
            tls.complete_io(&mut stream)
                .expect("the TLS handshake succeeds");
        }
        while tls.wants_write() {
            tls.write_tls(&mut stream).expect("send");
        }
        let mut conn = Self::from_stream(stream);
        conn.tls = Some(Box::new(tls));
        conn
    }

    /// The TLS session, for tests that look at what was negotiated.
    pub fn tls(&self) -> &ClientConnection {
        self.tls.as_deref().expect("a TLS connection")
    }

    /// After the connection closed: whether the server ended its TLS session with
    /// `close_notify` rather than just closing the socket.
    pub fn tls_closed_cleanly(&mut self) -> bool {
        let tls = self.tls.as_mut().expect("a TLS connection");
        matches!(tls.reader().read(&mut [0u8; 1]), Ok(0))
    }
}

/// Reads plaintext from `tls`, reading ciphertext from `stream` as needed; `Ok(0)` when
/// the server closed (with `close_notify` or not).
pub(super) fn read_plaintext(
    tls: &mut ClientConnection,
    stream: &mut TcpStream,
    buf: &mut [u8],
) -> io::Result<usize> {
    loop {
        match tls.reader().read(buf) {
            Err(e) if e.kind() == io::ErrorKind::WouldBlock => {}
            Err(e) if e.kind() == io::ErrorKind::UnexpectedEof => return Ok(0),
            other => return other,
        }
        if tls.read_tls(stream)? == 0 {
            return Ok(0);
        }
        tls.process_new_packets()
            .map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e))?;
        while tls.wants_write() {
            tls.write_tls(stream)?;
        }
    }
}
