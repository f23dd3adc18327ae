//! A TCP relay between a client and the real server, which can break every connection
//! through it (as a lost network does) and refuse new ones (as a server that is down
//! does). It forwards bytes unchanged: it is a fault, not a fake server.
//!
//! It breaks connections in two ways. [`Relay::cut`] drops both sides at once. And
//! [`Relay::partition`] breaks the link on the client's side only: the client loses its
//! connection at once, while what already reached the server's side still arrives there
//! and is handled before the server sees the connection end, as when a client's network
//! goes away in the middle of a long upload.
//!
//! [`Relay::deafen`] holds back what the server sends while still passing on what the
//! client sends: a break after it loses the server's answers to the client's last
//! frames, which the server did take.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::tcp::{OwnedReadHalf, OwnedWriteHalf};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{oneshot, watch};
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

/// Whether what the server sends is held back.
type Deaf = watch::Sender<bool>;

/// A relay listening on a loopback port.
pub struct Relay {
    /// Where clients connect.
    pub address: SocketAddr,
    state: Arc<Mutex<State>>,
    deaf: Arc<Deaf>,
    accept: AbortHandle,
}

impl Relay {
    /// Starts relaying connections to `upstream`.
    pub async fn start(upstream: SocketAddr) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let address = listener.local_addr().unwrap();
        let state = Arc::new(Mutex::new(State::default()));
        let deaf = Arc::new(watch::Sender::new(false));
        let accept = tokio::spawn({
            let state = Arc::clone(&state);
            let deaf = Arc::clone(&deaf);
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
                    tokio::spawn(relay(client, upstream, broken, deaf.subscribe()));
                    state.live.push(breaker);
                }
            }
        })
        .abort_handle();
        Self {
            address,
            state,
            deaf,
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

    /// Holds back what the server sends, on every connection, until [`Relay::resume`];
    /// what the client sends still goes through.
    pub fn deafen(&self) {
        self.deaf.send_replace(true);
    }

    /// Relays new connections again, and what the server sends.
    pub fn resume(&self) {
        self.state.lock().unwrap().refusing = false;
        self.deaf.send_replace(false);
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
async fn relay(
    client: TcpStream,
    upstream: SocketAddr,
    broken: oneshot::Receiver<Break>,
    deaf: watch::Receiver<bool>,
) {
    let Ok(server) = TcpStream::connect(upstream).await else {
        return;
    };
    let (mut client_read, mut client_write) = client.into_split();
    let (mut server_read, mut server_write) = server.into_split();
    let how = tokio::select! {
        _ = async {
            tokio::join!(
                tokio::io::copy(&mut client_read, &mut server_write),
                to_client(&mut server_read, &mut client_write, deaf),
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

/// Copies what the server sends to the client, holding it back while deafened.
async fn to_client(
    server: &mut OwnedReadHalf,
    client: &mut OwnedWriteHalf,
    mut deaf: watch::Receiver<bool>,
) {
    let mut chunk = vec![0; 16 * 1024];
    loop {
        let Ok(read) = server.read(&mut chunk).await else {
            return;
        };
        if read == 0 || deaf.wait_for(|deaf| !deaf).await.is_err() {
            return;
        }
        if client.write_all(&chunk[..read]).await.is_err() {
            return;
        }
    }
}
