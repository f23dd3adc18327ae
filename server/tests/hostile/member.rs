//! A joined client of either session mode, reduced to what the scenarios compare: the
//! room's messages and departures, in the order one receiver got them.

use std::io::Write;
use std::net::{SocketAddr, TcpStream};

use chat_shared::frame::{ClientFrame, ServerFrame, encode};

use crate::support::{Plain, Structured};

/// Which session mode a member speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Speaks {
    /// A person with `nc`: readable lines, no echo of its own messages.
    Plain,
    /// A program: JSON frames with `seq`, its own messages echoed in the room's order.
    Structured,
}

impl Speaks {
    /// Alternates the two modes by index, so every scenario mixes them.
    pub fn alternating(index: usize) -> Self {
        if index.is_multiple_of(2) {
            Speaks::Plain
        } else {
            Speaks::Structured
        }
    }
}

/// What a receiver saw happen in the room, whichever mode it speaks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Event {
    /// A chat message; `seq` only in structured mode.
    Message {
        /// Room event number (structured mode only).
        seq: Option<u64>,
        /// The room it was said in; in plain mode only when it is not the reader's
        /// current room.
        room: Option<String>,
        /// The sender's name.
        from: String,
        /// The text.
        text: String,
    },
    /// Someone left; `reason` as plain mode words it (`send queue exceeded`).
    Left {
        /// Who left.
        name: String,
        /// Why, in words.
        reason: String,
    },
    /// The server is shutting down.
    Shutdown,
    /// Anything else (joins, notices, renames, pings answered).
    Other(String),
}

/// A client that has joined the room.
pub struct Member {
    /// The name it joined with.
    pub name: String,
    /// Its session mode.
    pub speaks: Speaks,
    conn: Connection,
}

enum Connection {
    Plain(Plain),
    Structured(Structured),
}

impl Member {
    /// Connects and joins as `name`.
    pub fn join(addr: SocketAddr, name: &str, speaks: Speaks) -> Self {
        let conn = match speaks {
            Speaks::Plain => Connection::Plain(Plain::join(addr, name)),
            Speaks::Structured => Connection::Structured(Structured::join(addr, name).0),
        };
        Self {
            name: name.to_owned(),
            speaks,
            conn,
        }
    }

    /// Joins `room` (plain mode: `/join`, which also makes it the current room) and
    /// waits until the server confirms.
    pub fn join_room(&mut self, room: &str) {
        match &mut self.conn {
            Connection::Plain(plain) => {
                plain.say(&format!("/join {room}"));
                plain.expect(&format!("* Now talking in {room}"));
            }
            Connection::Structured(structured) => {
                structured.send(&ClientFrame::Join {
                    after: None,
                    room: room.into(),
                });
                structured.expect(|f| matches!(f, ServerFrame::Entered { .. }));
            }
        }
    }

    /// A second handle on the socket for sending from another thread, while this one
    /// keeps reading.
    pub fn sender(&self) -> Sender {
        let stream = match &self.conn {
            Connection::Plain(plain) => plain.0.stream(),
            Connection::Structured(structured) => structured.0.stream(),
        };
        Sender {
            stream: stream.try_clone().expect("the socket can be shared"),
            speaks: self.speaks,
        }
    }

    /// The next room event, answering keepalive pings on the way; `None` once closed.
    pub fn next_event(&mut self) -> Option<Event> {
        match &mut self.conn {
            Connection::Plain(plain) => plain.0.next_line().map(|line| plain_event(&line)),
            Connection::Structured(structured) => {
                let frame = structured.next_frame()?;
                if let ServerFrame::Ping { token } = &frame {
                    structured.send(&ClientFrame::Pong {
                        token: token.clone(),
                    });
                }
                Some(structured_event(frame))
            }
        }
    }

    /// Asks who is online (`/who` or a `who` frame) and returns the names, sorted.
    pub fn who(&mut self) -> Vec<String> {
        let mut names = match &mut self.conn {
            Connection::Plain(plain) => {
                plain.say("/who");
                let line = plain.expect("* In #general (");
                let (_, names) = line.split_once("): ").expect("a roster line");
                assert!(!names.contains(" more"), "roster cut short: {line}");
                names.split(", ").map(str::to_owned).collect()
            }
            Connection::Structured(structured) => {
                structured.send(&ClientFrame::Who { room: None });
                match structured.expect(|f| matches!(f, ServerFrame::Roster { .. })) {
                    ServerFrame::Roster { room: _, names } => names,
                    _ => unreachable!("expect returns a roster"),
                }
            }
        };
        names.sort();
        names
    }

    /// Reads events until one satisfies `wanted`, and returns it.
    pub fn expect(&mut self, wanted: impl Fn(&Event) -> bool) -> Event {
        loop {
            match self.next_event() {
                Some(event) if wanted(&event) => return event,
                Some(_) => {}
                None => panic!("{} was disconnected while waiting", self.name),
            }
        }
    }

    /// Reads until `count` messages have arrived and returns them, with every departure
    /// seen on the way.
    pub fn messages(&mut self, count: usize) -> (Vec<Event>, Vec<Event>) {
        let (mut messages, mut departures) = (Vec::with_capacity(count), Vec::new());
        while messages.len() < count {
            match self.next_event() {
                Some(event @ Event::Message { .. }) => messages.push(event),
                Some(event @ Event::Left { .. }) => departures.push(event),
                Some(Event::Other(_)) => {}
                Some(Event::Shutdown) | None => panic!(
                    "{} was disconnected after {} of {count} messages",
                    self.name,
                    messages.len()
                ),
            }
        }
        (messages, departures)
    }
}

/// The sending half of a [`Member`], usable from another thread.
pub struct Sender {
    stream: TcpStream,
    speaks: Speaks,
}

impl Sender {
    /// Says `text` to the room in the member's mode.
    pub fn say(&mut self, text: &str) {
        self.stream
            .write_all(&self.wire(text, None))
            .expect("the server reads what is sent");
    }

    /// Says every text in one write, as fast as the socket takes it.
    pub fn say_all<S: AsRef<str>>(&mut self, texts: &[S]) {
        let wire: Vec<u8> = texts
            .iter()
            .flat_map(|t| self.wire(t.as_ref(), None))
            .collect();
        self.stream
            .write_all(&wire)
            .expect("the server reads what is sent");
    }

    /// Says every text, each in its room (structured mode; plain mode's lines go to its
    /// current room whatever is given), in one write.
    pub fn say_all_in(&mut self, texts: &[(String, String)]) {
        let wire: Vec<u8> = texts
            .iter()
            .flat_map(|(room, text)| self.wire(text, Some(room)))
            .collect();
        self.stream
            .write_all(&wire)
            .expect("the server reads what is sent");
    }

    fn wire(&self, text: &str, room: Option<&str>) -> Vec<u8> {
        match self.speaks {
            Speaks::Plain => format!("{text}\n").into_bytes(),
            Speaks::Structured => encode(&ClientFrame::Say {
                nonce: None,
                room: room.map(str::to_owned),
                text: text.into(),
            }),
        }
    }
}

/// Reads a plain-mode line: `[12:03] <bob> hi`, `[12:05] -!- carol left (quit: bye)` or
/// the shutdown notice.
fn plain_event(line: &str) -> Event {
    if line == "* The server is shutting down." {
        return Event::Shutdown;
    }
    let Some((_, event)) = line.split_once("] ").filter(|_| line.starts_with('[')) else {
        return Event::Other(line.to_owned());
    };
    let (room, event) = match event.strip_prefix('#').and_then(|e| e.split_once(' ')) {
        Some((room, rest)) => (Some(format!("#{room}")), rest),
        None => (None, event),
    };
    if let Some((from, text)) = event.strip_prefix('<').and_then(|e| e.split_once("> ")) {
        return Event::Message {
            seq: None,
            room,
            from: from.to_owned(),
            text: text.to_owned(),
        };
    }
    if let Some((name, why)) = event
        .strip_prefix("-!- ")
        .and_then(|e| e.split_once(" left ("))
    {
        let reason = why.strip_suffix(')').unwrap_or(why);
        return Event::Left {
            name: name.to_owned(),
            reason: reason.to_owned(),
        };
    }
    Event::Other(line.to_owned())
}

fn structured_event(frame: ServerFrame) -> Event {
    match frame {
        ServerFrame::Message {
            seq,
            from,
            text,
            room,
            ..
        } => Event::Message {
            seq: Some(seq),
            room,
            from,
            text,
        },
        ServerFrame::Left {
            name,
            reason,
            message,
            ..
        } => Event::Left {
            name,
            reason: match message {
                Some(message) => format!("{}: {message}", reason.describe()),
                None => reason.describe().to_owned(),
            },
        },
        ServerFrame::Shutdown { .. } => Event::Shutdown,
        other => Event::Other(format!("{other:?}")),
    }
}
