//! The listening socket and the accept loop.
//!
//! The accept loop does nothing slow: it configures the socket, asks the connection table
//! for admission, and starts the connection's thread. Refusals are one non-blocking
//! write. Accept errors (such as running out of file descriptors) back off briefly
//! instead of spinning.

use std::io;
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::thread;
use std::time::Duration;

use socket2::{Domain, Socket, TcpKeepalive, Type};

use crate::config::Config;
use crate::connections::Refusal;
use crate::outbox::Outbox;
use crate::server::Shared;
use crate::session;

/// Pending connections the kernel may queue before we accept them. The standard
/// library's 128 overflows under a burst of connections, and each overflow costs the
/// client a one-second retry.
const LISTEN_BACKLOG: i32 = 4096;

/// Stack reserved for each connection's thread. Only the pages touched are resident (a
/// few KiB); a small reservation keeps the address space of 10,000 threads modest.
pub const CLIENT_THREAD_STACK: usize = 256 * 1024;

/// Pause after a failed `accept`, so that running out of descriptors does not spin.
const ACCEPT_BACKOFF: Duration = Duration::from_millis(100);

/// Opens the listening socket with a large backlog.
pub fn bind(addr: SocketAddr) -> io::Result<TcpListener> {
    let socket = Socket::new(Domain::for_address(addr), Type::STREAM, None)?;
    socket.set_reuse_address(true)?;
    socket.bind(&addr.into())?;
    socket.listen(LISTEN_BACKLOG)?;
    Ok(socket.into())
}

/// Accepts connections until the server stops.
pub(crate) fn accept_loop(listener: TcpListener, shared: Arc<Shared>) {
    let mut next_id: usize = 0;
    loop {
        let accepted = listener.accept();
        if shared.stopping.load(Ordering::Acquire) {
            return;
        }
        match accepted {
            Ok((stream, peer)) => {
                next_id += 1;
                admit(&shared, stream, next_id, peer);
            }
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => {
                tracing::warn!("cannot accept a connection: {e}");
                thread::sleep(ACCEPT_BACKOFF);
            }
        }
    }
}

fn admit(shared: &Arc<Shared>, stream: TcpStream, id: usize, peer: SocketAddr) {
    configure(&stream, &shared.config);
    let outbox = Arc::new(Outbox::new(
        stream,
        shared.config.send_queue_bytes,
        id,
        Arc::clone(&shared.flusher),
    ));
    let permit = match shared.connections.admit(id, peer.ip(), &outbox) {
        Ok(permit) => permit,
        Err(refusal) => {
            tracing::info!(%peer, "refused: {}", refusal.line().trim_end());
            refuse(&outbox, refusal);
            return;
        }
    };
    let (for_thread, shared_for_thread) = (Arc::clone(&outbox), Arc::clone(shared));
    let spawned = thread::Builder::new()
        .name(format!("client-{id}"))
        .stack_size(CLIENT_THREAD_STACK)
        .spawn(move || session::run(shared_for_thread, for_thread, id, peer, permit));
    if let Err(e) = spawned {
        tracing::warn!(%peer, "refused: cannot start a thread: {e}");
        refuse(&outbox, Refusal::ServerFull(shared.connections.count()));
    }
}

fn refuse(outbox: &Arc<Outbox>, refusal: Refusal) {
    outbox.send(refusal.line().as_bytes());
    outbox.close();
}

/// No Nagle delay (chat lines are small and latency matters), and TCP keepalive so that
/// a peer that vanished is noticed even in plain mode, where nobody answers pings.
fn configure(stream: &TcpStream, config: &Config) {
    let _ = stream.set_nodelay(true);
    let keepalive = TcpKeepalive::new()
        .with_time(config.ping_interval)
        .with_interval(config.ping_timeout / 3)
        .with_retries(3);
    let _ = socket2::SockRef::from(stream).set_tcp_keepalive(&keepalive);
}
