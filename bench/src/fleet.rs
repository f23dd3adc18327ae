//! Many simulated clients read by a few threads.
//!
//! Every client must keep reading, or the server drops it for "send queue exceeded"; with
//! ten thousand clients that is ten thousand sockets to read cheaply. A thread per client
//! would make the generator cost as much as the server it measures, so the clients are
//! spread over a few reader threads (one per core by default), each waiting on its own
//! epoll set (level-triggered, through `polling`, the crate the server uses too) and
//! reading each ready socket once per wake-up with one large buffer.
//!
//! Reader threads tell the scenario what happened through one channel ([`FleetEvent`]),
//! record latencies in their own histogram, and hand their tallies back at the end.

use std::io::{self, Read};
use std::net::TcpStream;
use std::sync::Arc;
use std::sync::atomic::{AtomicU32, AtomicU64, Ordering};
use std::sync::mpsc::{self, Receiver, Sender};
use std::thread::{self, JoinHandle};
use std::time::Duration;

use chat_shared::frame::{ClientFrame, encode};
use polling::{Event, Events, PollMode, Poller};
use rustls::ClientConfig;

use crate::client::{Client, Seen, Talker};
use crate::layout::Layout;
use crate::probe::{ProbeFinder, now_ns, sync_token};
use crate::tls::TlsLink;

mod tally;

pub use tally::Tally;

/// Bytes read from a socket at a time.
const READ_BUFFER: usize = 64 * 1024;

/// Fleets started so far by this process, to name each one's clients apart.
static FLEETS: AtomicU32 = AtomicU32::new(0);

/// Something that happened to one client, for the scenario to wait on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FleetEvent {
    /// The client is in all its rooms.
    Welcomed(usize),
    /// The client read the answer to its barrier ping.
    Synced(usize),
    /// The client received every timed message it was expected to.
    Done(usize),
    /// The connection was refused or closed, with why.
    Closed(usize, String),
}

/// Counters every reader thread adds to, for the progress line.
#[derive(Debug, Default)]
pub struct Counters {
    /// Timed messages read so far, by all clients.
    pub deliveries: AtomicU64,
    /// Bytes read so far, by all clients.
    pub bytes: AtomicU64,
}

/// What a reader thread is asked to do besides reading.
enum Command {
    /// Take over this client, identified by this number.
    Add(usize, Client),
    /// Send every client a barrier ping.
    Sync,
    /// Stop and hand back the tally.
    Stop,
}

struct Shard {
    poller: Arc<Poller>,
    commands: Sender<Command>,
    thread: JoinHandle<Tally>,
}

/// A group of simulated clients and the threads that read them.
pub struct Fleet {
    shards: Vec<Shard>,
    events: Receiver<FleetEvent>,
    counters: Arc<Counters>,
    /// Who is in which room and who speaks where.
    layout: Layout,
    /// This fleet's number in this process.
    serial: u32,
    /// Set when the clients speak TLS.
    tls: Option<Arc<ClientConfig>>,
}

impl Fleet {
    /// Starts `threads` reader threads for clients laid out as `layout`, whose senders
    /// will send `messages` timed messages each.
    pub fn new(threads: usize, layout: Layout, messages: u32) -> io::Result<Self> {
        let expected = layout.expected_per_client(messages);
        let (events_tx, events) = mpsc::channel();
        let counters = Arc::new(Counters::default());
        let shards = (0..threads.max(1))
            .map(|index| {
                let poller = Arc::new(Poller::new()?);
                let (commands, inbox) = mpsc::channel();
                let reader = Reader {
                    poller: Arc::clone(&poller),
                    inbox,
                    events: events_tx.clone(),
                    counters: Arc::clone(&counters),
                    expected,
                    clients: Vec::new(),
                    tally: Tally::new(),
                    stride: threads.max(1),
                    index,
                    plaintext: Vec::new(),
                };
                let thread = thread::Builder::new()
                    .name(format!("reader-{index}"))
                    .spawn(move || reader.run())?;
                Ok(Shard {
                    poller,
                    commands,
                    thread,
                })
            })
            .collect::<io::Result<Vec<_>>>()?;
        Ok(Self {
            shards,
            events,
            counters,
            layout,
            serial: FLEETS.fetch_add(1, Ordering::Relaxed),
            tls: None,
        })
    }

    /// The name of client `id`. The process id and the fleet's number keep runs apart: a
    /// server at `--addr` may still hold the names of an earlier run's clients while it
    /// tells their departures, even in the same invocation.
    pub fn client_name(&self, id: usize) -> String {
        format!("b{}-{}-{id}", std::process::id(), self.serial)
    }

    /// Who is in which room and who speaks where.
    pub fn layout(&self) -> Layout {
        self.layout
    }

    /// The live counters, for the progress line.
    pub fn counters(&self) -> Arc<Counters> {
        Arc::clone(&self.counters)
    }

    /// Makes the fleet's clients connect over TLS with `config` (bench only: see
    /// [`crate::tls`]).
    pub fn over_tls(mut self, config: Arc<ClientConfig>) -> Self {
        self.tls = Some(config);
        self
    }

    /// The TLS configuration its clients connect with, if they speak TLS.
    pub fn tls(&self) -> Option<&Arc<ClientConfig>> {
        self.tls.as_ref()
    }

    /// Hands client number `id` (connected, handshake sent; `tls` if it speaks TLS) to
    /// its reader thread; returns its writing side.
    pub fn add(&self, id: usize, stream: TcpStream, tls: Option<TlsLink>) -> io::Result<Talker> {
        stream.set_nonblocking(true)?;
        let shard = &self.shards[id % self.shards.len()];
        let client = Client::new(stream, tls, id, self.layout);
        let talker = client.talker.clone();
        self.send(shard, Command::Add(id, client));
        Ok(talker)
    }

    /// Sends every client a ping; each answers [`FleetEvent::Synced`] once it has read
    /// everything the server queued for it before.
    pub fn sync(&self) {
        for shard in &self.shards {
            self.send(shard, Command::Sync);
        }
    }

    /// The next event, or `None` if none came within `patience`.
    pub fn next_event(&self, patience: Duration) -> Option<FleetEvent> {
        self.events.recv_timeout(patience).ok()
    }

    /// Stops the reader threads, closes every connection and merges what they measured.
    pub fn finish(self) -> Tally {
        for shard in &self.shards {
            self.send(shard, Command::Stop);
        }
        let mut total = Tally::new();
        for shard in self.shards {
            total.merge(shard.thread.join().expect("reader thread panicked"));
        }
        total
    }

    fn send(&self, shard: &Shard, command: Command) {
        if shard.commands.send(command).is_ok() {
            let _ = shard.poller.notify();
        }
    }
}

/// One reader thread's state.
struct Reader {
    poller: Arc<Poller>,
    inbox: Receiver<Command>,
    events: Sender<FleetEvent>,
    counters: Arc<Counters>,
    expected: u64,
    /// This thread's clients, by `id / stride`.
    clients: Vec<Option<Client>>,
    tally: Tally,
    /// Client `id` belongs to thread `id % stride`.
    stride: usize,
    /// This thread's number, `id % stride` of its clients.
    index: usize,
    /// What the last read decrypted to, for clients that speak TLS.
    plaintext: Vec<u8>,
}

impl Reader {
    fn run(mut self) -> Tally {
        let mut events = Events::new();
        let mut buf = vec![0u8; READ_BUFFER];
        let mut seen = Vec::new();
        let finder = ProbeFinder::default();
        loop {
            events.clear();
            if let Err(e) = self.poller.wait(&mut events, None)
                && e.kind() != io::ErrorKind::Interrupted
            {
                eprintln!("chat-bench: a reader thread cannot wait for sockets: {e}");
                return self.stop();
            }
            while let Ok(command) = self.inbox.try_recv() {
                match command {
                    Command::Add(id, client) => self.adopt(id, client),
                    Command::Sync => self.ping_all(),
                    Command::Stop => return self.stop(),
                }
            }
            for event in events.iter() {
                self.read(event.key, &mut buf, &finder, &mut seen);
            }
        }
    }

    fn adopt(&mut self, id: usize, client: Client) {
        let slot = id / self.stride;
        if self.clients.len() <= slot {
            self.clients.resize_with(slot + 1, || None);
        }
        // SAFETY: the stream stays open while registered: every path that drops a
        // client (`close`, `stop`) deletes it from the poller first.
        let added = unsafe {
            self.poller
                .add_with_mode(client.talker.stream(), Event::readable(id), PollMode::Level)
        };
        match added {
            Ok(()) => self.clients[slot] = Some(client),
            Err(e) => {
                let _ = self.events.send(FleetEvent::Closed(id, e.to_string()));
            }
        }
    }

    fn ping_all(&mut self) {
        let ping = encode(&ClientFrame::Ping {
            token: sync_token(),
        });
        for slot in 0..self.clients.len() {
            let Some(client) = &self.clients[slot] else {
                continue;
            };
            if let Err(e) = client.talker.send_small(&ping) {
                self.close(slot * self.stride + self.index, e.to_string());
            }
        }
    }

    fn read(&mut self, id: usize, buf: &mut [u8], finder: &ProbeFinder, seen: &mut Vec<Seen>) {
        let Some(Some(client)) = self.clients.get_mut(id / self.stride) else {
            return;
        };
        let read = match client.talker.stream().read(buf) {
            Ok(0) => return self.close(id, "the server closed the connection".to_owned()),
            Ok(read) => read,
            Err(e) if e.kind() == io::ErrorKind::WouldBlock => return,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => return,
            Err(e) => return self.close(id, e.to_string()),
        };
        let now = now_ns();
        let before = client.received();
        match client.talker.tls() {
            None => client.feed(&buf[..read], finder, seen),
            Some(link) => {
                self.plaintext.clear();
                if let Err(e) = link.open(&buf[..read], &mut self.plaintext) {
                    return self.close(id, format!("TLS: {e}"));
                }
                client.feed(&self.plaintext, finder, seen);
            }
        }
        let received = client.received() - before;
        let done = received > 0 && client.received() == self.expected;
        self.counters
            .bytes
            .fetch_add(read as u64, Ordering::Relaxed);
        if received > 0 {
            self.counters
                .deliveries
                .fetch_add(received, Ordering::Relaxed);
            self.tally.last_receipt_ns = now;
        }
        for event in seen.drain(..) {
            let event = match event {
                Seen::Pinged(token) => {
                    let pong = encode(&ClientFrame::Pong { token });
                    if let Err(e) = client.talker.send_small(&pong) {
                        let _ = self.events.send(FleetEvent::Closed(id, e.to_string()));
                    }
                    continue;
                }
                Seen::Welcomed => FleetEvent::Welcomed(id),
                Seen::Synced => FleetEvent::Synced(id),
                Seen::Refused(why) => FleetEvent::Closed(id, why),
                Seen::Message { sent_ns, .. } => {
                    let _ = self
                        .tally
                        .latency_ns
                        .record(now.saturating_sub(sent_ns).max(1));
                    continue;
                }
            };
            let _ = self.events.send(event);
        }
        if done {
            let _ = self.events.send(FleetEvent::Done(id));
        }
    }

    fn close(&mut self, id: usize, why: String) {
        if let Some(client) = self
            .clients
            .get_mut(id / self.stride)
            .and_then(Option::take)
        {
            let _ = self.poller.delete(client.talker.stream());
            self.account(&client);
            let _ = self.events.send(FleetEvent::Closed(id, why));
        }
    }

    fn account(&mut self, client: &Client) {
        self.tally.received += client.received();
        self.tally.reordered += client.reordered();
        self.tally.misdelivered += client.misdelivered();
        self.tally.presence += client.presence();
        self.tally.lost += self.expected.saturating_sub(client.received());
    }

    fn stop(mut self) -> Tally {
        for client in std::mem::take(&mut self.clients).into_iter().flatten() {
            let _ = self.poller.delete(client.talker.stream());
            self.account(&client);
        }
        self.tally
    }
}
