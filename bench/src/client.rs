//! One simulated chat client: its handshake, and what it makes of the lines it reads.
//!
//! A client writes `hello`, `login` and the `join` of its side room, if it has one, at
//! once when it connects, then reads. Until the server's `welcome` and `entered` it
//! decodes each line (skipping the plain banner, spotting refusals); after them, it only
//! looks for probes ([`crate::probe`]) and the server's keepalive pings, so that reading a
//! million deliveries costs the generator little. Counting is per sender: a delivery from
//! a sender the client should not hear (another room's, or named as said in another room)
//! is misdelivered, one whose number is not the next one expected from that sender is
//! reordered, and whatever a client never received by the end is lost.

use std::borrow::Cow;
use std::io::{self, Write};
use std::net::{SocketAddr, TcpStream};
use std::sync::Arc;

use chat_shared::frame::{ClientFrame, ServerFrame, decode_server, encode, parse_refusal};
use serde::Deserialize;

use rustls::ClientConfig;

use crate::layout::{Layout, Place};
use crate::probe::{Probe, ProbeFinder};
use crate::tls::TlsLink;

mod login;
mod talker;

pub use login::{hello, login, login_and_quit, read_login_answer, register};
pub use talker::Talker;

/// Something a client saw that the scenario cares about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Seen {
    /// The server's `welcome`, and `entered` for the side room if the client has one: the
    /// client is in all its rooms.
    Welcomed,
    /// The server refused the connection, the name or the room (with its reason).
    Refused(String),
    /// The answer to a barrier ping.
    Synced,
    /// A keepalive ping from the server, to be answered with this token.
    Pinged(String),
    /// A timed message.
    Message {
        /// Index of the sender.
        sender: u32,
        /// That sender's message number.
        seq: u32,
        /// When it was sent, in [`crate::probe::now_ns`] time.
        sent_ns: u64,
    },
}

/// Opens a connection and starts the handshake: `hello`, `login` and the `join` of `room`
/// (if any) in one write.
///
/// Returns a blocking, no-delay stream; the caller decides how it will be read.
pub fn connect(addr: SocketAddr, name: &str, room: Option<String>) -> io::Result<TcpStream> {
    open(addr, &opening(name, None, room))
}

/// A blocking, no-delay connection to `addr` that has sent `opening`.
pub(crate) fn open(addr: SocketAddr, opening: &[u8]) -> io::Result<TcpStream> {
    let mut stream = TcpStream::connect(addr)?;
    stream.set_nodelay(true)?;
    stream.write_all(opening)?;
    Ok(stream)
}

/// Like [`connect`], over TLS made with `config`: the handshake first, then the same
/// opening inside TLS.
pub fn connect_tls(
    addr: SocketAddr,
    name: &str,
    room: Option<String>,
    config: &Arc<ClientConfig>,
) -> io::Result<(TcpStream, TlsLink)> {
    let mut stream = TcpStream::connect(addr)?;
    stream.set_nodelay(true)?;
    let link = TlsLink::handshake(&mut stream, config)?;
    stream.write_all(&link.seal(&opening(name, None, room))?)?;
    Ok((stream, link))
}

/// `hello`, `login` as `name` (with `password`, if any) and the `join` of `room` (if
/// any), in one buffer.
fn opening(name: &str, password: Option<&str>, room: Option<String>) -> Vec<u8> {
    let mut opening = hello();
    opening.extend(login(name, password));
    if let Some(room) = room {
        opening.extend(encode(&ClientFrame::Join { after: None, room }));
    }
    opening
}

/// What a line read during the handshake says, when it matters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Greeting {
    /// `welcome`: logged in, and in the default room.
    Welcome,
    /// `entered`: in the room joined.
    Entered,
    /// A refusal of the connection, the name or the room, with its reason.
    Refused(String),
}

/// What a line read during the handshake means, if anything.
///
/// Only the `type` is decoded (a `welcome` to the ten-thousandth client lists ten
/// thousand names, which need not be built); refusals are decoded in full for their text.
pub fn classify_handshake_line(line: &[u8]) -> Option<Greeting> {
    #[derive(Deserialize)]
    struct Tag<'a> {
        #[serde(borrow, rename = "type")]
        kind: Cow<'a, str>,
    }
    let line = std::str::from_utf8(line).ok()?.trim_end_matches('\r');
    if let Some((code, reason)) = parse_refusal(line) {
        return Some(Greeting::Refused(format!("{code}: {reason}")));
    }
    let tag: Tag<'_> = serde_json::from_str(line).ok()?;
    match tag.kind.as_ref() {
        "welcome" => Some(Greeting::Welcome),
        "entered" => Some(Greeting::Entered),
        "name_rejected" | "error" | "shutdown" => {
            Some(Greeting::Refused(match decode_server(line).ok()? {
                ServerFrame::NameRejected { message, .. }
                | ServerFrame::Error { message, .. }
                | ServerFrame::Shutdown { message, .. } => message,
                other => format!("{other:?}"),
            }))
        }
        _ => None,
    }
}

/// Whether a line is a `presence` summary (structured frames start with their type).
fn is_presence(line: &[u8]) -> bool {
    line.starts_with(br#"{"type":"presence""#)
}

/// Whether a line without a probe could be a keepalive `ping`: short, and says "ping".
/// Only such lines are decoded, so join notices cost no JSON parsing.
fn may_be_ping(line: &[u8]) -> bool {
    line.len() < 128 && memchr::memmem::find(line, b"\"ping\"").is_some()
}

/// The reading side of one simulated client.
#[derive(Debug)]
pub struct Client {
    /// The connection, shared with whoever writes to it.
    pub talker: Talker,
    /// Its number in the fleet, which says what rooms it is in.
    id: usize,
    /// Who speaks where, and so what it should receive.
    layout: Layout,
    /// Frames still to come before it is in all its rooms: `welcome`, then `entered`.
    awaited: u32,
    /// The incomplete last line of the previous read.
    carry: Vec<u8>,
    /// Next message number expected from each sender.
    next_seq: Vec<u32>,
    /// Messages received in order or after a gap (duplicates excluded).
    received: u64,
    /// Messages that did not arrive in each sender's order.
    reordered: u64,
    /// Messages it should not have received.
    misdelivered: u64,
    /// Whether the answer to its barrier ping came.
    synced: bool,
    /// `presence` summaries received since then.
    presence: u64,
}

impl Client {
    /// Client number `id` of a fleet laid out as `layout`, connected with
    /// [`connect`] (or [`connect_tls`], giving `tls`) to the side room the layout gives
    /// it.
    pub fn new(stream: TcpStream, tls: Option<TlsLink>, id: usize, layout: Layout) -> Self {
        Self {
            talker: Talker::new(stream, tls),
            id,
            layout,
            awaited: 1 + u32::from(layout.side_room_of(id).is_some()),
            carry: Vec::new(),
            next_seq: vec![0; layout.senders() as usize],
            received: 0,
            reordered: 0,
            misdelivered: 0,
            synced: false,
            presence: 0,
        }
    }

    /// Distinct timed messages received so far.
    pub fn received(&self) -> u64 {
        self.received
    }

    /// Timed messages that arrived out of their sender's order (or twice).
    pub fn reordered(&self) -> u64 {
        self.reordered
    }

    /// Timed messages it should not have received.
    pub fn misdelivered(&self) -> u64 {
        self.misdelivered
    }

    /// `presence` summaries received after the barrier: joins and leaves told while
    /// the messages were timed.
    pub fn presence(&self) -> u64 {
        self.presence
    }

    /// Reads the lines in `bytes` (a line may continue from the previous call) and
    /// appends what they mean to `seen`.
    pub fn feed(&mut self, mut bytes: &[u8], finder: &ProbeFinder, seen: &mut Vec<Seen>) {
        if !self.carry.is_empty() {
            let Some(end) = memchr::memchr(b'\n', bytes) else {
                self.carry.extend_from_slice(bytes);
                return;
            };
            let mut line = std::mem::take(&mut self.carry);
            line.extend_from_slice(&bytes[..end]);
            self.line(&line, finder, seen);
            line.clear();
            self.carry = line;
            bytes = &bytes[end + 1..];
        }
        let mut start = 0;
        for end in memchr::memchr_iter(b'\n', bytes) {
            self.line(&bytes[start..end], finder, seen);
            start = end + 1;
        }
        self.carry.extend_from_slice(&bytes[start..]);
    }

    fn line(&mut self, line: &[u8], finder: &ProbeFinder, seen: &mut Vec<Seen>) {
        if self.awaited > 0 {
            match classify_handshake_line(line) {
                Some(Greeting::Welcome | Greeting::Entered) => {
                    self.awaited -= 1;
                    if self.awaited == 0 {
                        seen.push(Seen::Welcomed);
                    }
                }
                Some(Greeting::Refused(why)) => seen.push(Seen::Refused(why)),
                None => {}
            }
            return;
        }
        match finder.find(line) {
            Some(Probe::Sync) => {
                self.synced = true;
                seen.push(Seen::Synced);
            }
            Some(Probe::Message {
                sender,
                seq,
                sent_ns,
            }) => {
                self.count(sender, seq, line);
                seen.push(Seen::Message {
                    sender,
                    seq,
                    sent_ns,
                });
            }
            None if self.synced && is_presence(line) => self.presence += 1,
            None if may_be_ping(line) => {
                if let Ok(ServerFrame::Ping { token }) =
                    decode_server(std::str::from_utf8(line).unwrap_or_default())
                {
                    seen.push(Seen::Pinged(token));
                }
            }
            None => {}
        }
    }

    fn count(&mut self, sender: u32, seq: u32, line: &[u8]) {
        let said_in = if self.layout.checks_rooms() {
            Place::of_frame(line)
        } else {
            None
        };
        if !self.layout.delivers(self.id, sender, said_in) {
            self.misdelivered += 1;
            return;
        }
        let Some(next) = self.next_seq.get_mut(sender as usize) else {
            return;
        };
        if seq != *next {
            self.reordered += 1;
        }
        if seq >= *next {
            self.received += 1;
            *next = seq + 1;
        }
    }
}

#[cfg(test)]
mod tests;
