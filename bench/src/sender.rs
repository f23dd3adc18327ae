//! The clients that talk: one thread each, writing timed `say` frames at a steady rate or
//! as fast as the socket takes them.
//!
//! The sockets are shared with the reader threads, which made them non-blocking and may
//! write a pong between two messages; a sender writes each frame whole under the
//! client's write lock, waiting on its own small epoll set when the socket is full.

use std::io::{self, Write};
use std::sync::{Arc, Barrier};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

use chat_shared::frame::{ClientFrame, encode};
use polling::{Event, Events, Poller};

use crate::client::Talker;
use crate::layout::Layout;
use crate::probe::{message_text, now_ns};

/// What each sender sends.
#[derive(Debug, Clone, Copy)]
pub struct SendPlan {
    /// Messages per sender.
    pub messages: u32,
    /// Messages per second per sender; 0 sends as fast as possible.
    pub rate: f64,
    /// Shortest text of a message, in bytes (the probe is padded up to it).
    pub text_bytes: usize,
}

/// Starts sender number `index` of `layout`'s on `talker`, speaking where the layout
/// says; it begins when `start` opens.
///
/// The thread returns when it started sending ([`now_ns`] time), the start of the
/// window over which throughput is measured.
pub fn spawn(
    index: u32,
    layout: Layout,
    talker: Talker,
    plan: SendPlan,
    start: Arc<Barrier>,
) -> io::Result<JoinHandle<io::Result<u64>>> {
    thread::Builder::new()
        .name(format!("sender-{index}"))
        .spawn(move || {
            let mut writer = Writer::new(talker)?;
            start.wait();
            run(index, layout, &mut writer, plan)
        })
}

fn run(index: u32, layout: Layout, writer: &mut Writer, plan: SendPlan) -> io::Result<u64> {
    let (senders, room) = (layout.senders(), layout.say_room(index));
    let interval = (plan.rate > 0.0).then(|| Duration::from_secs_f64(1.0 / plan.rate));
    // Paced senders are spread over one interval so that they do not all write at once.
    let begin = Instant::now() + interval.map_or(Duration::ZERO, |i| i * index / senders);
    let first_ns = now_ns();
    for seq in 0..plan.messages {
        if let Some(interval) = interval {
            let due = begin + interval * seq;
            if let Some(wait) = due.checked_duration_since(Instant::now()) {
                thread::sleep(wait);
            }
        }
        let text = message_text(index, seq, now_ns(), plan.text_bytes);
        let say = ClientFrame::Say {
            nonce: None,
            room: room.clone(),
            text,
        };
        writer.write_all(&encode(&say))?;
    }
    Ok(first_ns)
}

/// Writes whole frames to a non-blocking socket, waiting whenever it is full.
struct Writer {
    talker: Talker,
    poller: Poller,
    registered: bool,
    events: Events,
}

impl Writer {
    fn new(talker: Talker) -> io::Result<Self> {
        Ok(Self {
            talker,
            poller: Poller::new()?,
            registered: false,
            events: Events::new(),
        })
    }

    fn write_all(&mut self, frame: &[u8]) -> io::Result<()> {
        let talker = self.talker.clone();
        let _whole = talker.lock();
        let wire = talker.wire(frame)?;
        let mut bytes = wire.as_ref();
        while !bytes.is_empty() {
            match self.talker.stream().write(bytes) {
                Ok(0) => return Err(io::ErrorKind::WriteZero.into()),
                Ok(written) => bytes = &bytes[written..],
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => self.wait_writable()?,
                Err(e) => return Err(e),
            }
        }
        Ok(())
    }

    fn wait_writable(&mut self) -> io::Result<()> {
        if self.registered {
            self.poller
                .modify(self.talker.stream(), Event::writable(0))?;
        } else {
            // SAFETY: the stream outlives the registration: `Drop` deletes it first.
            unsafe { self.poller.add(self.talker.stream(), Event::writable(0))? };
            self.registered = true;
        }
        self.events.clear();
        self.poller.wait(&mut self.events, None)?;
        Ok(())
    }
}

impl Drop for Writer {
    fn drop(&mut self) {
        if self.registered {
            let _ = self.poller.delete(self.talker.stream());
        }
    }
}
