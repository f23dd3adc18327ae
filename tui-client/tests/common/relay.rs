//! A TCP relay between a client and the real server, which can break every connection
//! through it (as a lost network does) and refuse new ones (as a server that is down
//! does). It forwards bytes unchanged: it is a fault, not a fake server.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use tokio::net::{TcpListener, TcpStream};
use tokio::task::AbortHandle;

/// The relay's shared state.
#[derive(Default)]
struct State {
    /// Whether new connections are closed at once.
    refusing: bool,
    /// The connections being relayed.
    live: Vec<AbortHandle>,
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
                    let Ok((mut client, _)) = listener.accept().await else {
                        return;
                    };
                    let mut state = state.lock().unwrap();
                    if state.refusing {
                        continue;
                    }
                    let task = tokio::spawn(async move {
                        if let Ok(mut server) = TcpStream::connect(upstream).await {
                            let _ = tokio::io::copy_bidirectional(&mut client, &mut server).await;
                        }
                    });
                    state.live.push(task.abort_handle());
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

    /// Breaks every relayed connection; until [`Relay::resume`], new ones are closed
    /// as soon as they are accepted.
    pub fn cut(&self) {
        let mut state = self.state.lock().unwrap();
        state.refusing = true;
        for connection in state.live.drain(..) {
            connection.abort();
        }
    }

    /// Relays new connections again.
    pub fn resume(&self) {
        self.state.lock().unwrap().refusing = false;
    }
}

impl Drop for Relay {
    fn drop(&mut self) {
        self.cut();
        self.accept.abort();
    }
}
