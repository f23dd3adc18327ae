//! A real rustls server (tokio-rustls) that speaks enough of the chat protocol for a
//! client to log in: it answers `hello` with `hello` and `login` with `welcome`.
//! Its certificates are made by rcgen: self-signed, or signed by a test authority. Each
//! connection may present a different certificate, to play a server whose certificate
//! changes between two connections.

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use chat_shared::frame::{ClientFrame, ServerFrame, decode_client, encode};
use chat_tui::trust::fingerprint::Fingerprint;
use rcgen::{CertificateParams, IsCa, Issuer, KeyPair};
use rustls::ServerConfig;
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use rustls::server::{ClientHello, ResolvesServerCert};
use rustls::sign::CertifiedKey;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpListener;
use tokio::sync::{Notify, watch};
use tokio_rustls::TlsAcceptor;

/// The `hello` the test server sends.
pub const HELLO: &[u8] =
    b"{\"type\":\"hello\",\"version\":3,\"server\":\"tls-test 1.0\",\"max_line_bytes\":8192}\n";

/// A certificate and its private key.
#[derive(Clone)]
pub struct Identity {
    /// The certificate, DER.
    pub cert: CertificateDer<'static>,
    /// Its private key.
    pub key: Arc<PrivateKeyDer<'static>>,
}

impl Identity {
    /// A self-signed certificate for `localhost` and 127.0.0.1, with a fresh key.
    pub fn self_signed() -> Self {
        let rcgen::CertifiedKey { cert, signing_key } =
            rcgen::generate_simple_self_signed(["localhost".to_owned(), "127.0.0.1".to_owned()])
                .unwrap();
        Self::from_parts(cert.der().clone(), &signing_key)
    }

    fn from_parts(cert: CertificateDer<'static>, key: &KeyPair) -> Self {
        let key = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(key.serialize_der()));
        Self {
            cert,
            key: Arc::new(key),
        }
    }

    /// The fingerprint a client shows for it.
    pub fn fingerprint(&self) -> Fingerprint {
        Fingerprint::of(&self.cert)
    }

    /// An acceptor presenting this certificate and signing with this key, whether or
    /// not they belong together (a test plays a server that stole a certificate).
    fn acceptor(&self) -> TlsAcceptor {
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let signing_key = provider
            .key_provider
            .load_private_key(self.key.clone_key())
            .unwrap();
        let certified = CertifiedKey::new(vec![self.cert.clone()], signing_key);
        let config = ServerConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .unwrap()
            .with_no_client_auth()
            .with_cert_resolver(Arc::new(Always(Arc::new(certified))));
        TlsAcceptor::from(Arc::new(config))
    }
}

/// Presents one certificate to every client.
#[derive(Debug)]
struct Always(Arc<CertifiedKey>);

impl ResolvesServerCert for Always {
    fn resolve(&self, _hello: ClientHello<'_>) -> Option<Arc<CertifiedKey>> {
        Some(self.0.clone())
    }
}

/// A certificate authority made for a test, and a server certificate it signed.
pub struct Authority {
    /// The authority's own certificate, to put among the client's roots.
    pub root: CertificateDer<'static>,
    /// A certificate for 127.0.0.1 it signed.
    pub server: Identity,
}

impl Authority {
    /// A new authority, and a certificate it signed for 127.0.0.1.
    pub fn new() -> Self {
        let mut params = CertificateParams::new(Vec::<String>::new()).unwrap();
        params.is_ca = IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
        let ca_key = KeyPair::generate().unwrap();
        let root = params.self_signed(&ca_key).unwrap();
        let issuer = Issuer::new(params, ca_key);
        let server_key = KeyPair::generate().unwrap();
        let server = CertificateParams::new(vec!["127.0.0.1".to_owned()])
            .unwrap()
            .signed_by(&server_key, &issuer)
            .unwrap();
        Self {
            root: root.der().clone(),
            server: Identity::from_parts(server.der().clone(), &server_key),
        }
    }
}

/// A running test server.
pub struct TlsServer {
    /// Where it listens.
    pub address: SocketAddr,
    /// How many TLS handshakes completed.
    handshakes: Arc<AtomicUsize>,
    /// How many `ping` frames it received, over all connections.
    pub pings: watch::Receiver<usize>,
    /// Lets held connections read on (see [`TlsServer::start_held`]).
    pub release: Arc<Notify>,
}

/// How each connection is served.
#[derive(Clone)]
struct Behaviour {
    /// Close the connection right after `welcome`.
    drop_after_welcome: bool,
    /// After answering `hello`, read nothing more until released.
    held: bool,
    /// Counts the `ping` frames received.
    pings: Arc<watch::Sender<usize>>,
    /// Releases held connections.
    release: Arc<Notify>,
}

impl TlsServer {
    /// Starts a server on a free loopback port whose `n`th connection (from 0)
    /// presents `identities[n]`, or the last one when there are fewer. With
    /// `drop_after_welcome`, it closes each connection right after its `welcome`.
    pub async fn start(identities: Vec<Identity>, drop_after_welcome: bool) -> Self {
        Self::start_with(identities, drop_after_welcome, false).await
    }

    /// Starts a server presenting `identity` that, after answering `hello`, reads
    /// nothing until [`TlsServer::release`] is notified: what the client writes
    /// meanwhile piles up in its buffers.
    pub async fn start_held(identity: Identity) -> Self {
        Self::start_with(vec![identity], false, true).await
    }

    async fn start_with(identities: Vec<Identity>, drop_after_welcome: bool, held: bool) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let address = listener.local_addr().unwrap();
        let handshakes = Arc::new(AtomicUsize::new(0));
        let (pings_sender, pings) = watch::channel(0);
        let release = Arc::new(Notify::new());
        let behaviour = Behaviour {
            drop_after_welcome,
            held,
            pings: Arc::new(pings_sender),
            release: release.clone(),
        };
        let acceptors: Vec<TlsAcceptor> = identities.iter().map(Identity::acceptor).collect();
        let counter = handshakes.clone();
        tokio::spawn(async move {
            for index in 0.. {
                let Ok((socket, _)) = listener.accept().await else {
                    return;
                };
                let acceptor = acceptors[index.min(acceptors.len() - 1)].clone();
                let counter = counter.clone();
                let behaviour = behaviour.clone();
                tokio::spawn(async move {
                    if let Ok(stream) = acceptor.accept(socket).await {
                        counter.fetch_add(1, Ordering::SeqCst);
                        serve(stream, behaviour).await;
                    }
                });
            }
        });
        Self {
            address,
            handshakes,
            pings,
            release,
        }
    }

    /// How many TLS handshakes completed so far.
    pub fn handshakes(&self) -> usize {
        self.handshakes.load(Ordering::SeqCst)
    }
}

/// Answers `hello` and `login`, and counts `ping`s, until the client leaves.
async fn serve<S>(stream: S, behaviour: Behaviour)
where
    S: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin,
{
    let mut stream = BufReader::new(stream);
    let mut line = String::new();
    loop {
        line.clear();
        match stream.read_line(&mut line).await {
            Ok(0) | Err(_) => return,
            Ok(_) => {}
        }
        let (reply, welcome) = match decode_client(line.trim_end()) {
            Ok(ClientFrame::Hello { .. }) => (HELLO.to_vec(), false),
            Ok(ClientFrame::Login { name, .. }) => {
                let welcome = ServerFrame::Welcome {
                    roster: vec![name.clone()],
                    name,
                    room: Some("#general".to_owned()),
                };
                (encode(&welcome), true)
            }
            Ok(ClientFrame::Ping { .. }) => {
                behaviour.pings.send_modify(|count| *count += 1);
                continue;
            }
            _ => continue,
        };
        if stream.get_mut().write_all(&reply).await.is_err() {
            return;
        }
        let _ = stream.get_mut().flush().await;
        if welcome && behaviour.drop_after_welcome {
            let _ = stream.get_mut().shutdown().await;
            return;
        }
        if !welcome && behaviour.held {
            behaviour.release.notified().await;
        }
    }
}
