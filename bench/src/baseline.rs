//! The baseline: the least a fan-out server can do, to show what this machine allows.
//!
//! One thread, one epoll set, blocking sockets. It answers the handshake just enough for
//! the generator (`hello`, a `welcome` without roster, `pong`), and for every `say` it
//! numbers and encodes one `message` frame; the frames of all the lines one `read`
//! brought are then written to every socket in turn, with one `write` per socket. No
//! names, no sanitizing, no send queues, no flood control, no locks, no join notices. The generator measures it exactly as it measures the server, in the
//! same run, so the server's figures can be given as a fraction of it.

use std::collections::HashMap;
use std::io::{self, Read, Write};
use std::net::{Ipv4Addr, Shutdown, SocketAddr, TcpListener, TcpStream};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;
use std::thread::{self, JoinHandle};
use std::time::{SystemTime, UNIX_EPOCH};

use chat_shared::PROTOCOL_VERSION;
use chat_shared::frame::{ClientFrame, ServerFrame, decode_client, encode};
use polling::{Event, Events, PollMode, Poller};
use socket2::{Domain, Socket, Type};

use crate::proc_stats::{ProcDir, current_thread_id};

/// Key of the listening socket in the epoll set (`polling` reserves `usize::MAX`).
const LISTENER: usize = usize::MAX - 1;

/// Pending connections the kernel may queue: the standard 128 overflows under a burst.
const BACKLOG: i32 = 4096;

/// A running baseline server; [`Baseline::stop`] ends it.
pub struct Baseline {
    addr: SocketAddr,
    poller: Arc<Poller>,
    stopping: Arc<AtomicBool>,
    thread: JoinHandle<()>,
    /// The serving thread, to read its CPU time.
    proc_dir: ProcDir,
}

impl Baseline {
    /// Listens on `127.0.0.1:port` (0 picks a free port) and starts serving.
    pub fn start(port: u16) -> io::Result<Self> {
        let addr = SocketAddr::from((Ipv4Addr::LOCALHOST, port));
        let socket = Socket::new(Domain::IPV4, Type::STREAM, None)?;
        socket.set_reuse_address(true)?;
        socket.bind(&addr.into())?;
        socket.listen(BACKLOG)?;
        let listener: TcpListener = socket.into();
        listener.set_nonblocking(true)?;
        let addr = listener.local_addr()?;
        let poller = Arc::new(Poller::new()?);
        let stopping = Arc::new(AtomicBool::new(false));
        let (tid_tx, tid_rx) = mpsc::channel();
        let thread = thread::Builder::new().name("baseline".to_owned()).spawn({
            let (poller, stopping) = (Arc::clone(&poller), Arc::clone(&stopping));
            move || {
                let _ = tid_tx.send(current_thread_id());
                if let Err(e) = serve(&listener, &poller, &stopping) {
                    eprintln!("chat-bench: the baseline stopped: {e}");
                }
            }
        })?;
        let tid = tid_rx
            .recv()
            .map_err(|_| io::Error::other("the baseline thread did not start"))?;
        Ok(Self {
            addr,
            poller,
            stopping,
            thread,
            proc_dir: ProcDir::own_thread(tid),
        })
    }

    /// Where it listens.
    pub fn local_addr(&self) -> SocketAddr {
        self.addr
    }

    /// The serving thread's CPU time so far, in seconds.
    pub fn cpu_seconds(&self) -> io::Result<f64> {
        self.proc_dir.cpu_seconds()
    }

    /// Stops serving and closes every connection.
    pub fn stop(self) {
        self.stopping.store(true, Ordering::Release);
        let _ = self.poller.notify();
        let _ = self.thread.join();
    }

    /// Serves until the process is stopped (for `chat-bench baseline`).
    pub fn wait(self) {
        let _ = self.thread.join();
    }
}

/// One connection: its socket, the incomplete line read so far, and its name.
struct Conn {
    stream: TcpStream,
    carry: Vec<u8>,
    name: String,
}

fn serve(listener: &TcpListener, poller: &Poller, stopping: &AtomicBool) -> io::Result<()> {
    // SAFETY: the listener outlives the poller's use of it (both live until we return).
    unsafe { poller.add_with_mode(listener, Event::readable(LISTENER), PollMode::Level)? };
    let mut conns: HashMap<usize, Conn> = HashMap::new();
    let mut next_key = 0;
    let mut seq = 0;
    let mut events = Events::new();
    let mut buf = vec![0u8; 64 * 1024];
    let mut outgoing = Vec::new();
    while !stopping.load(Ordering::Acquire) {
        events.clear();
        poller.wait(&mut events, None)?;
        for event in events.iter() {
            if event.key == LISTENER {
                accept_all(listener, poller, &mut conns, &mut next_key);
                continue;
            }
            let Some(conn) = conns.get_mut(&event.key) else {
                continue;
            };
            let read = match (&conn.stream).read(&mut buf) {
                Ok(0) | Err(_) => {
                    close(poller, &mut conns, event.key);
                    continue;
                }
                Ok(read) => read,
            };
            conn.carry.extend_from_slice(&buf[..read]);
            let complete = conn
                .carry
                .iter()
                .rposition(|&b| b == b'\n')
                .map_or(0, |i| i + 1);
            let lines: Vec<u8> = conn.carry.drain(..complete).collect();
            for line in lines.split(|&b| b == b'\n').filter(|line| !line.is_empty()) {
                answer(line, event.key, &mut conns, &mut seq, &mut outgoing);
            }
            if !outgoing.is_empty() {
                broadcast(&outgoing, poller, &mut conns);
                outgoing.clear();
            }
        }
    }
    for key in conns.keys().copied().collect::<Vec<_>>() {
        close(poller, &mut conns, key);
    }
    poller.delete(listener)
}

fn accept_all(
    listener: &TcpListener,
    poller: &Poller,
    conns: &mut HashMap<usize, Conn>,
    next_key: &mut usize,
) {
    while let Ok((stream, _)) = listener.accept() {
        if stream.set_nonblocking(false).is_err() {
            continue;
        }
        let _ = stream.set_nodelay(true);
        let key = *next_key;
        *next_key += 1;
        // SAFETY: the stream is deleted from the poller before it is dropped (`close`).
        let added = unsafe { poller.add_with_mode(&stream, Event::readable(key), PollMode::Level) };
        if added.is_ok() {
            conns.insert(
                key,
                Conn {
                    stream,
                    carry: Vec::new(),
                    name: String::new(),
                },
            );
        }
    }
}

/// Handles one line from connection `key`: answers the handshake and pings at once, and
/// appends the `message` frame of a `say` to `outgoing`, for everyone.
fn answer(
    line: &[u8],
    key: usize,
    conns: &mut HashMap<usize, Conn>,
    seq: &mut u64,
    outgoing: &mut Vec<u8>,
) {
    let Ok(text) = std::str::from_utf8(line) else {
        return;
    };
    let Ok(frame) = decode_client(text.trim_end()) else {
        return;
    };
    let reply = match frame {
        ClientFrame::Hello { .. } => ServerFrame::Hello {
            version: PROTOCOL_VERSION,
            server: "chat-bench baseline".to_owned(),
            max_line_bytes: usize::MAX,
            max_frame_bytes: None,
            flood: None,
        },
        ClientFrame::Login { name, .. } => {
            if let Some(conn) = conns.get_mut(&key) {
                conn.name.clone_from(&name);
            }
            ServerFrame::Welcome {
                room: None,
                roster: vec![name.clone()],
                name,
            }
        }
        ClientFrame::Ping { token } => ServerFrame::Pong { token },
        ClientFrame::Say { room: _, text, .. } => {
            *seq += 1;
            let from = conns.get(&key).map(|c| c.name.clone()).unwrap_or_default();
            outgoing.extend(encode(&ServerFrame::Message {
                nonce: None,
                epoch: 0,
                room: None,
                seq: *seq,
                time_ms: now_ms(),
                from,
                text,
            }));
            return;
        }
        ClientFrame::Quit { .. } => {
            if let Some(conn) = conns.get(&key) {
                let _ = conn.stream.shutdown(Shutdown::Both);
            }
            return;
        }
        _ => return,
    };
    if let Some(conn) = conns.get(&key) {
        let _ = (&conn.stream).write_all(&encode(&reply));
    }
}

/// Writes `frames` to every connection, in one `write` each (as the sockets allow),
/// closing those that are gone.
fn broadcast(frames: &[u8], poller: &Poller, conns: &mut HashMap<usize, Conn>) {
    let broken: Vec<usize> = conns
        .iter()
        .filter(|(_, conn)| (&conn.stream).write_all(frames).is_err())
        .map(|(&key, _)| key)
        .collect();
    for key in broken {
        close(poller, conns, key);
    }
}

/// Milliseconds since the Unix epoch, like the server's `time_ms`, so that frames are as
/// long as the server's.
fn now_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |elapsed| elapsed.as_millis() as i64)
}

fn close(poller: &Poller, conns: &mut HashMap<usize, Conn>, key: usize) {
    if let Some(conn) = conns.remove(&key) {
        let _ = poller.delete(&conn.stream);
    }
}
