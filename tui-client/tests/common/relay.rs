//! A TCP relay between a client and the real server, which can break every connection
//! through it (as a lost network does) and refuse new ones (as a server that is down
//! does). It forwards bytes unchanged: it is a fault, not a fake server.
//!
//! It breaks connections in two ways. [`Relay::cut`] drops both sides at once. And
//! [`Relay::partition`] breaks the link on the client's side only: the client loses its
//! connection at once, while what already reached the server's side still arrives there
//! and is handled before the server sees the connection end, as when a client's network
//! goes away in the middle of a long upload.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use tokio::io::AsyncWriteExt;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::oneshot;
use tokio::task::AbortHandle;

/// How a relayed connection is broken.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Break {
    /// Both sides dropped at once.
    Cut,
    /// The client's side dropped; the server's side closed gracefully.
    Partition,
}

/// The relay's shared state.
#[derive(Default)]
struct State {
    /// Whether new connections are closed at once.
    refusing: bool,
    /// How to break each connection being relayed.
    live: Vec<oneshot::Sender<Break>>,
}

/// A relay listening on a loopback port.
pub struct Relay {
    /// Where clients connect.
    pub address: SocketAddr,
    state: Arc<Mutex<State>>,
    accept: AbortHandle,
}

impl Relay {
    /// Starts relaying connections to `upstream`.
    pub async fn start(upstream: SocketAddr) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let address = listener.local_addr().unwrap();
        let state = Arc::new(Mutex::new(State::default()));
        let accept = tokio::spawn({
            let state = Arc::clone(&state);
            async move {
                loop {
                    let Ok((client, _)) = listener.accept().await else {
                        return;
                    };
                    let mut state = state.lock().unwrap();
                    if state.refusing {
                        continue;
                    }
                    let (breaker, broken) = oneshot::channel();
                    tokio::spawn(relay(client, upstream, broken));
                    state.live.push(breaker);
                }
            }
        })
        .abort_handle();
        Self {
            address,
            state,
            accept,
        }
    }

    /// Breaks every relayed connection, both sides at once; until [`Relay::resume`],
    /// new ones are closed as soon as they are accepted.
    pub fn cut(&self) {
        self.break_all(Break::Cut);
    }

    /// Breaks every relayed connection on the client's side only (see the module's
    /// doc); until [`Relay::resume`], new ones are closed as soon as they are accepted.
    pub fn partition(&self) {
        self.break_all(Break::Partition);
    }

    /// Relays new connections again.
    pub fn resume(&self) {
        self.state.lock().unwrap().refusing = false;
    }

    fn break_all(&self, how: Break) {
        let mut state = self.state.lock().unwrap();
        state.refusing = true;
        for connection in state.live.drain(..) {
            let _ = connection.send(how);
        }
    }
}

impl Drop for Relay {
    fn drop(&mut self) {
        self.cut();
        self.accept.abort();
    }
}

/// Relays one connection until either side closes it or it is broken.
async fn relay(client: TcpStream, upstream: SocketAddr, broken: oneshot::Receiver<Break>) {
    let Ok(server) = TcpStream::connect(upstream).await else {
        return;
    };
    let (mut client_read, mut client_write) = client.into_split();
    let (mut server_read, mut server_write) = server.into_split();
    let how = tokio::select! {
        _ = async {
            tokio::join!(
                tokio::io::copy(&mut client_read, &mut server_write),
                tokio::io::copy(&mut server_read, &mut client_write),
            )
        } => return,
        how = broken => how.unwrap_or(Break::Cut),
    };
    drop((client_read, client_write));
    if how == Break::Partition {
        let _ = server_write.shutdown().await;
        let _ = tokio::io::copy(&mut server_read, &mut tokio::io::sink()).await;
    }
}
