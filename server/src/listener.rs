//! The listening socket and the accept loop.
//!
//! The accept loop does nothing slow: it configures the socket, refuses a banned address
//! (a scan of the short list of bans), asks the connection table for admission, and
//! starts the connection's thread. Refusals are one non-blocking
//! write. Accept errors (such as running out of file descriptors) back off briefly
//! instead of spinning.
//!
//! The loop waits on a poller rather than in `accept`, so that shutdown can wake it
//! with the poller's own notification. Waking it by connecting to the listening port
//! would fail where the server cannot reach its own address (`--bind ::` on a host
//! without `::1`, a namespace without loopback, no descriptor left), and shutdown
//! would then hang.

use std::io;
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::Arc;
use std::thread;
use std::time::{Duration, Instant};

use polling::{Event, Events, Poller};
use rustls::ServerConfig;
use socket2::{Domain, SockRef, Socket, TcpKeepalive, Type};

use crate::config::Config;
use crate::connections::Refusal;
use crate::deliver::Deliver;
use crate::flusher::Flusher;
use crate::outbox::Outbox;
use crate::session;
use crate::shared_state::Shared;

/// Pending connections the kernel may queue before we accept them. The standard
/// library's 128 overflows under a burst of connections, and each overflow costs the
/// client a one-second retry.
const LISTEN_BACKLOG: i32 = 4096;

/// Stack reserved for each connection's thread. Only the pages touched are resident (a
/// few KiB); a small reservation keeps the address space of 10,000 threads modest.
pub const CLIENT_THREAD_STACK: usize = 256 * 1024;

/// Pause after a failed `accept`, so that running out of descriptors does not spin.
const ACCEPT_BACKOFF: Duration = Duration::from_millis(100);

/// Opens the listening socket with a large backlog. Accepted connections inherit its
/// buffer sizes, so the receive window is negotiated for the bounded buffer from the
/// first packet.
pub fn bind(addr: SocketAddr, config: &Config) -> io::Result<TcpListener> {
    let socket = Socket::new(Domain::for_address(addr), Type::STREAM, None)?;
    socket.set_reuse_address(true)?;
    bound_buffers(&SockRef::from(&socket), config);
    socket.bind(&addr.into())?;
    socket.listen(LISTEN_BACKLOG)?;
    Ok(socket.into())
}

/// The key of the listening socket in the accept loop's poller.
const LISTENER_KEY: usize = 0;

/// Accepts connections until shutdown begins; `waker` must be woken when it does. Each
/// connection's outbox leaves what its socket cannot take to `flusher`; a connection
/// that speaks TLS is served with `tls`.
pub(crate) fn accept_loop(
    listener: TcpListener,
    waker: Arc<Poller>,
    shared: Arc<Shared>,
    flusher: Arc<Flusher>,
    tls: Arc<ServerConfig>,
) {
    if let Err(e) = watch(&listener, &waker) {
        tracing::error!("cannot wait for connections: {e}");
        return;
    }
    let shutdown = &shared.shutdown;
    let mut events = Events::new();
    let mut next_id: usize = 0;
    while !shutdown.is_begun() {
        events.clear();
        if let Err(e) = waker.wait(&mut events, None)
            && e.kind() != io::ErrorKind::Interrupted
        {
            tracing::warn!("cannot wait for connections: {e}");
            thread::sleep(ACCEPT_BACKOFF);
        }
        while !shutdown.is_begun() {
            match listener.accept() {
                Ok((stream, peer)) => {
                    next_id += 1;
                    admit(&shared, &flusher, &tls, stream, next_id, peer);
                }
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => break,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => {
                    tracing::warn!("cannot accept a connection: {e}");
                    thread::sleep(ACCEPT_BACKOFF);
                    break;
                }
            }
        }
        let _ = waker.modify(&listener, Event::readable(LISTENER_KEY));
    }
    let _ = waker.delete(&listener);
}

/// Registers the listener, made non-blocking, with the poller.
fn watch(listener: &TcpListener, poller: &Poller) -> io::Result<()> {
    listener.set_nonblocking(true)?;
    // SAFETY: `accept_loop` owns the listener and deletes it from the poller before
    // returning, so it is never closed while registered.
    unsafe { poller.add(listener, Event::readable(LISTENER_KEY)) }
}

fn admit(
    shared: &Arc<Shared>,
    flusher: &Arc<Flusher>,
    tls: &Arc<ServerConfig>,
    stream: TcpStream,
    id: usize,
    peer: SocketAddr,
) {
    if stream.set_nonblocking(false).is_err() {
        return;
    }
    configure(&stream, &shared.config);
    let outbox = Arc::new(Outbox::new(
        stream,
        shared.config.send_queue_bytes,
        id,
        Arc::clone(flusher),
    ));
    let now_ms = crate::room::now_ms();
    if let Some(ban) = shared.bans.on_address(peer.ip(), now_ms) {
        let line = ban.refusal_line(now_ms);
        tracing::info!(%peer, "refused: {}", line.trim_end());
        refuse(&outbox, &line);
        return;
    }
    let permit = match shared.connections.admit(
        id,
        peer.ip(),
        Arc::clone(&outbox) as Arc<dyn Deliver>,
        Instant::now(),
    ) {
        Ok(permit) => permit,
        Err(refusal) => {
            let line = refusal.line();
            tracing::info!(%peer, "refused: {}", line.trim_end());
            refuse(&outbox, &line);
            return;
        }
    };
    let (for_thread, shared_for_thread) = (Arc::clone(&outbox), Arc::clone(shared));
    let tls = Arc::clone(tls);
    let spawned = thread::Builder::new()
        .name(format!("client-{id}"))
        .stack_size(CLIENT_THREAD_STACK)
        .spawn(move || session::run(shared_for_thread, for_thread, &tls, id, peer, permit));
    if let Err(e) = spawned {
        tracing::warn!(%peer, "refused: cannot start a thread: {e}");
        refuse(
            &outbox,
            &Refusal::ServerFull(shared.connections.count()).line(),
        );
    }
}

/// Sends the one line that refuses a connection, and closes it.
fn refuse(outbox: &Arc<Outbox>, line: &str) {
    outbox.send(line.as_bytes());
    outbox.close();
}

/// Longest keepalive idle time Linux accepts (`TCP_KEEPIDLE`, in seconds).
const MAX_KEEPALIVE_IDLE: Duration = Duration::from_secs(32_767);

/// Sets up an accepted connection:
/// - no Nagle delay: chat lines are small and latency matters;
/// - TCP keepalive, so that a quiet peer that vanished is noticed even in plain mode,
///   where nobody answers pings;
/// - a user timeout of the ping timeout: a peer that leaves sent data unacknowledged that
///   long is dead, even while keepalive is suspended by the data in flight;
/// - bounded kernel buffers, so that what a client costs is bounded by the flags and not
///   by the kernel's autotuning (several MiB per socket otherwise).
///
/// Failures are not fatal: the connection works, with the kernel's defaults.
fn configure(stream: &TcpStream, config: &Config) {
    let socket = SockRef::from(stream);
    let _ = socket.set_tcp_nodelay(true);
    let keepalive = TcpKeepalive::new()
        .with_time(config.ping_interval.min(MAX_KEEPALIVE_IDLE))
        .with_interval((config.ping_timeout / 3).clamp(Duration::from_secs(1), MAX_KEEPALIVE_IDLE))
        .with_retries(3);
    let _ = socket.set_tcp_keepalive(&keepalive);
    let _ = socket.set_tcp_user_timeout(Some(config.ping_timeout));
    bound_buffers(&socket, config);
}

/// Fixes the kernel's send and receive buffers at `--socket-buffer-bytes`, which also
/// turns their autotuning off.
fn bound_buffers(socket: &SockRef<'_>, config: &Config) {
    let _ = socket.set_send_buffer_size(config.socket_buffer_bytes);
    let _ = socket.set_recv_buffer_size(config.socket_buffer_bytes);
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;
    use std::net::Ipv4Addr;

    /// A client socket that connects with a small receive buffer and never reads.
    fn never_reading_peer(addr: SocketAddr) -> Socket {
        let peer = Socket::new(Domain::IPV4, Type::STREAM, None).unwrap();
        peer.set_recv_buffer_size(PEER_RECEIVE_BUFFER).unwrap();
        peer.connect(&addr.into()).unwrap();
        peer
    }

    /// What the never-reading peer asks of its own kernel.
    const PEER_RECEIVE_BUFFER: usize = 4096;

    /// Writes to `stream` without blocking until it has stayed full for a while; returns
    /// how many bytes the kernel took.
    fn fill(stream: &mut TcpStream) -> usize {
        stream.set_nonblocking(true).unwrap();
        let chunk = [b'x'; 4096];
        let mut taken = 0;
        let mut full_since = None;
        loop {
            match stream.write(&chunk) {
                Ok(written) => {
                    taken += written;
                    full_since = None;
                }
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => {
                    let since = *full_since.get_or_insert_with(std::time::Instant::now);
                    if since.elapsed() > Duration::from_millis(300) {
                        return taken;
                    }
                    thread::yield_now();
                }
                Err(e) => panic!("write failed: {e}"),
            }
        }
    }

    #[test]
    fn the_kernel_holds_a_bounded_amount_for_a_peer_that_never_reads() {
        let config = Config {
            socket_buffer_bytes: 64 * 1024,
            ..Config::default()
        };
        let listener = bind((Ipv4Addr::LOCALHOST, 0).into(), &config).unwrap();
        let _peer = never_reading_peer(listener.local_addr().unwrap());
        let (mut stream, _) = listener.accept().unwrap();
        configure(&stream, &config);
        let taken = fill(&mut stream);
        // Linux doubles both requested sizes for its bookkeeping; the rest is slack for
        // packets in flight on loopback.
        let bound = 2 * config.socket_buffer_bytes + 2 * PEER_RECEIVE_BUFFER + 64 * 1024;
        assert!(
            taken <= bound,
            "the kernel took {taken} bytes for a peer that never reads (bound {bound})"
        );
    }

    #[test]
    fn unacknowledged_data_times_out_with_the_ping_timeout() {
        let config = Config {
            ping_timeout: Duration::from_secs(7),
            ..Config::default()
        };
        let listener = bind((Ipv4Addr::LOCALHOST, 0).into(), &config).unwrap();
        let _peer = TcpStream::connect(listener.local_addr().unwrap()).unwrap();
        let (stream, _) = listener.accept().unwrap();
        configure(&stream, &config);
        let socket = SockRef::from(&stream);
        assert_eq!(
            socket.tcp_user_timeout().unwrap(),
            Some(Duration::from_secs(7))
        );
        assert!(socket.keepalive().unwrap());
    }
}
