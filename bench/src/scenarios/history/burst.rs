//! A burst of chat messages into one room from a few connections, each posting as fast
//! as its socket takes them while every one of them reads the whole room: the load whose
//! persistence the history scenario measures. Simpler than the fleet: a thread writes and
//! a thread reads each connection, and only `message` lines are counted.

use std::io::{BufRead, BufReader, BufWriter, Write};
use std::net::{SocketAddr, TcpStream};
use std::sync::{Arc, Barrier};
use std::thread;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, anyhow, bail};
use chat_shared::frame::{ClientFrame, encode};

use super::words::Words;
use crate::client::{self, Greeting, classify_handshake_line};

/// How long a reader waits for a line before the burst is called stalled.
const PATIENCE: Duration = Duration::from_secs(30);

/// What a burst did.
#[derive(Debug, Clone, Copy)]
pub struct Burst {
    /// Messages posted, over every connection.
    pub sent: u64,
    /// From the first post to the last echo read by every connection, in seconds.
    pub seconds: f64,
}

/// Connects `senders` clients to the default room at `addr`, then has each post
/// `messages` messages; returns once every client has read every message.
pub fn run(addr: SocketAddr, senders: usize, messages: u64) -> Result<Burst> {
    let mut readers = Vec::with_capacity(senders);
    for index in 0..senders {
        let stream = client::connect(addr, &format!("burst{index}"), None)?;
        stream.set_read_timeout(Some(PATIENCE))?;
        let mut reader = BufReader::new(stream.try_clone()?);
        await_welcome(&mut reader).with_context(|| format!("client burst{index}"))?;
        readers.push((stream, reader));
    }
    let total = senders as u64 * messages;
    let start = Arc::new(Barrier::new(2 * senders + 1));
    let mut threads = Vec::with_capacity(2 * senders);
    for (index, (stream, reader)) in readers.into_iter().enumerate() {
        let go = Arc::clone(&start);
        threads.push(thread::spawn(move || read_all(reader, total, &go)));
        let go = Arc::clone(&start);
        threads.push(thread::spawn(move || post(stream, index, messages, &go)));
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

/// Reads until the server welcomes the client.
fn await_welcome(reader: &mut BufReader<TcpStream>) -> Result<()> {
    let mut line = Vec::new();
    loop {
        line.clear();
        if reader.read_until(b'\n', &mut line)? == 0 {
            bail!("the server closed the connection before welcoming it");
        }
        match classify_handshake_line(&line) {
            Some(Greeting::Welcome) => return Ok(()),
            Some(Greeting::Refused(why)) => bail!("refused: {why}"),
            _ => {}
        }
    }
}

/// Reads until `total` messages have come; returns when the last one did.
fn read_all(mut reader: BufReader<TcpStream>, total: u64, start: &Barrier) -> Result<Instant> {
    start.wait();
    let mut line = Vec::new();
    let mut seen = 0;
    while seen < total {
        line.clear();
        if reader.read_until(b'\n', &mut line)? == 0 {
            bail!("the server closed the connection after {seen} of {total} messages");
        }
        if line.starts_with(br#"{"type":"message""#) {
            seen += 1;
        }
    }
    Ok(Instant::now())
}

/// Posts `messages` chat-like messages as fast as the socket takes them.
fn post(stream: TcpStream, index: usize, messages: u64, start: &Barrier) -> Result<Instant> {
    let mut words = Words::new(index as u64 + 1);
    let mut out = BufWriter::with_capacity(64 * 1024, stream);
    start.wait();
    for _ in 0..messages {
        out.write_all(&encode(&ClientFrame::Say {
            text: words.message(),
            nonce: None,
            room: None,
        }))?;
    }
    out.flush()?;
    Ok(Instant::now())
}
