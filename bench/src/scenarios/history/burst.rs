//! A burst of chat messages from a few connections, each posting as fast as its socket
//! takes them into a room of its own and reading its own echoes: the load whose
//! persistence the history scenario measures. One room each keeps the fan-out out of the
//! way (each message is written once, read once), so that the server's path to the disk
//! is what is loaded. Simpler than the fleet: a thread writes and a thread reads each
//! connection, and only `message` lines are counted.

use std::io::{BufRead, BufReader, BufWriter, Write};
use std::net::{SocketAddr, TcpStream};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Barrier};
use std::thread;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, anyhow, bail};
use chat_shared::frame::{ClientFrame, encode};

use super::words::Words;
use crate::client::{self, Greeting, classify_handshake_line};

/// How long a reader waits for a line before the burst is called stalled.
const PATIENCE: Duration = Duration::from_secs(30);

/// Messages a connection may have posted and not yet read back: as fast as allowed is as
/// fast as the server's send queue (256 KiB by default, about 1,500 such echoes) takes
/// without dropping the client for not reading.
const WINDOW: u64 = 512;

/// What a burst did.
#[derive(Debug, Clone, Copy)]
pub struct Burst {
    /// Messages posted, over every connection.
    pub sent: u64,
    /// From the first post to the last echo read by every connection, in seconds.
    pub seconds: f64,
}

/// Connects `senders` clients to `addr`, each into a room of its own, then has each post
/// `messages` messages there, `rate` a second (0: as fast as allowed); returns once every
/// client has read its messages back.
pub fn run(addr: SocketAddr, senders: usize, messages: u64, rate: f64) -> Result<Burst> {
    let mut readers = Vec::with_capacity(senders);
    for index in 0..senders {
        let room = format!("#burst{index}");
        let stream = client::connect(addr, &format!("burst{index}"), Some(room.clone()))?;
        stream.set_read_timeout(Some(PATIENCE))?;
        let mut reader = BufReader::new(stream.try_clone()?);
        await_entered(&mut reader).with_context(|| format!("client burst{index}"))?;
        readers.push((stream, reader, room));
    }
    let total = senders as u64 * messages;
    let start = Arc::new(Barrier::new(2 * senders + 1));
    let mut threads = Vec::with_capacity(2 * senders);
    for (index, (stream, reader, room)) in readers.into_iter().enumerate() {
        let seen = Arc::new(AtomicU64::new(0));
        let (go, read) = (Arc::clone(&start), Arc::clone(&seen));
        threads.push(thread::spawn(move || {
            read_all(reader, messages, &read, &go)
        }));
        let go = Arc::clone(&start);
        threads.push(thread::spawn(move || {
            post(stream, index, room, (messages, rate), &seen, &go)
        }));
    }
    start.wait();
    let began = Instant::now();
    let mut last = began;
    for thread in threads {
        let done = thread
            .join()
            .map_err(|_| anyhow!("a burst thread panicked"))??;
        last = last.max(done);
    }
    Ok(Burst {
        sent: total,
        seconds: (last - began).as_secs_f64(),
    })
}

/// Reads until the client is in its room.
fn await_entered(reader: &mut BufReader<TcpStream>) -> Result<()> {
    let mut line = Vec::new();
    loop {
        line.clear();
        if reader.read_until(b'\n', &mut line)? == 0 {
            bail!("the server closed the connection before the client was in its room");
        }
        match classify_handshake_line(&line) {
            Some(Greeting::Entered) => return Ok(()),
            Some(Greeting::Refused(why)) => bail!("refused: {why}"),
            _ => {}
        }
    }
}

/// Reads until `total` messages have come, counting them in `seen`; returns when the
/// last one did.
fn read_all(
    mut reader: BufReader<TcpStream>,
    total: u64,
    counted: &AtomicU64,
    start: &Barrier,
) -> Result<Instant> {
    start.wait();
    let mut line = Vec::new();
    let mut seen = 0;
    while seen < total {
        line.clear();
        if reader.read_until(b'\n', &mut line)? == 0 {
            bail!(
                "the server closed the connection after {seen} of {total} messages: {}",
                String::from_utf8_lossy(&line)
            );
        }
        if line.starts_with(br#"{"type":"message""#) {
            seen += 1;
            counted.store(seen, Ordering::Release);
        }
    }
    Ok(Instant::now())
}

/// Posts `messages` chat-like messages to `room`, `rate` a second or (at 0) as fast as
/// allowed: never more than [`WINDOW`] ahead of the echoes read (`seen`).
fn post(
    stream: TcpStream,
    index: usize,
    room: String,
    (messages, rate): (u64, f64),
    seen: &AtomicU64,
    start: &Barrier,
) -> Result<Instant> {
    let mut words = Words::new(index as u64 + 1);
    let mut out = BufWriter::with_capacity(16 * 1024, stream);
    start.wait();
    let began = Instant::now();
    for posted in 0..messages {
        if rate > 0.0 {
            let due = began + Duration::from_secs_f64(posted as f64 / rate);
            if let Some(wait) = due.checked_duration_since(Instant::now()) {
                out.flush()?;
                thread::sleep(wait);
            }
        }
        if posted >= seen.load(Ordering::Acquire) + WINDOW {
            out.flush()?;
            while posted >= seen.load(Ordering::Acquire) + WINDOW {
                thread::yield_now();
            }
        }
        out.write_all(&encode(&ClientFrame::Say {
            text: words.message(),
            nonce: None,
            room: Some(room.clone()),
        }))?;
    }
    out.flush()?;
    Ok(Instant::now())
}
