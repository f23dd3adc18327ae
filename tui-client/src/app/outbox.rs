//! Messages on their way out: queued while away, waiting for the flood budget, then in
//! flight until the server answers.
//!
//! Nothing typed is dropped silently. A message typed while not in the room is queued,
//! drawn under the messages, and goes out after the next `welcome`. In the room, messages
//! (the parts of a long paste among them) wait their turn and go out only as fast as the
//! server's flood budget allows, at most a window of them unanswered at a time (see
//! [`super::pacing`]); the input line shows how many still wait.
//!
//! Each message gets a nonce of its own when it is typed ([`Nonces`]: a random prefix
//! per run and a counter), which it keeps however often it is sent. The server answers
//! every message, in order, with its echo (carrying the nonce) or an error: the echo
//! takes the message with its nonce off the list, an error the oldest one in flight, and
//! a message answered is never sent again. When the connection breaks, the messages
//! still in flight go back to the head of the waiting line, to be sent again after the
//! next `welcome`, and the rest go on from where they were. A message the server took
//! just before the break, whose echo was lost with the connection, is therefore sent
//! again with the same nonce: the server does not post it twice, it answers with the
//! original (its first id), which the buffer already showing it leaves out.

use std::collections::VecDeque;

use chat_shared::frame::ClientFrame;
use chat_shared::name::name_key;
use chat_shared::text::{MAX_MESSAGE_LINES, sanitize_text};

use super::buffer::Kind;

/// A message typed by the user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outgoing {
    /// To a room.
    Say {
        /// The room.
        room: String,
        /// Text.
        text: String,
    },
    /// A `/me` action in a room.
    Me {
        /// The room.
        room: String,
        /// Text.
        text: String,
    },
    /// A private message.
    Msg {
        /// Receiver.
        to: String,
        /// Text.
        text: String,
    },
}

impl Outgoing {
    /// The message's text.
    pub fn text(&self) -> &str {
        match self {
            Outgoing::Say { text, .. } | Outgoing::Me { text, .. } | Outgoing::Msg { text, .. } => {
                text
            }
        }
    }

    /// The message as the server takes it: its text sanitized (as the server does) and
    /// cut into parts of at most [`MAX_MESSAGE_LINES`] lines, in order, each of the same
    /// kind and to the same receiver. Parts with nothing left to send are left out, so a
    /// blank message has none.
    pub fn parts(&self) -> Vec<Outgoing> {
        let text = sanitize_text(self.text());
        let lines: Vec<&str> = text.split('\n').collect();
        lines
            .chunks(MAX_MESSAGE_LINES)
            .map(|chunk| sanitize_text(&chunk.join("\n")))
            .filter(|part| !part.is_empty())
            .map(|part| self.with_text(part))
            .collect()
    }

    /// Whether it belongs in a buffer about `kind`: a room's message in that room's, a
    /// private message in the conversation with its receiver.
    pub fn belongs_to(&self, kind: &Kind) -> bool {
        match (self, kind) {
            (Outgoing::Say { room, .. } | Outgoing::Me { room, .. }, Kind::Room(buffer)) => {
                name_key(room) == name_key(&buffer.name)
            }
            (Outgoing::Msg { to, .. }, Kind::Private { with }) => name_key(to) == name_key(with),
            _ => false,
        }
    }

    /// The same kind of message, to the same receiver, with another text.
    fn with_text(&self, text: String) -> Outgoing {
        match self {
            Outgoing::Say { room, .. } => Outgoing::Say {
                room: room.clone(),
                text,
            },
            Outgoing::Me { room, .. } => Outgoing::Me {
                room: room.clone(),
                text,
            },
            Outgoing::Msg { to, .. } => Outgoing::Msg {
                to: to.clone(),
                text,
            },
        }
    }

    /// The frame that carries it, with its nonce.
    pub fn frame(&self, nonce: Option<String>) -> ClientFrame {
        match self {
            Outgoing::Say { room, text } => ClientFrame::Say {
                nonce,
                room: Some(room.clone()),
                text: text.clone(),
            },
            Outgoing::Me { room, text } => ClientFrame::Me {
                nonce,
                room: Some(room.clone()),
                text: text.clone(),
            },
            Outgoing::Msg { to, text } => ClientFrame::Msg {
                nonce,
                to: to.clone(),
                text: text.clone(),
            },
        }
    }
}

/// The longest nonce [`Nonces`] makes: 16 hex digits, a dash and a counter.
pub const MAX_NONCE_BYTES: usize = 16 + 1 + 20;

/// Makes the nonces of one run: a random prefix, so that two runs (or two clients of
/// one user) never pick the same, and a counter, so that one run never repeats itself.
#[derive(Debug, Default)]
pub struct Nonces {
    /// Picked once per run.
    prefix: u64,
    /// Nonces made so far.
    made: u64,
}

impl Nonces {
    /// Nonces starting with `prefix` (random in a real run, fixed in tests).
    pub fn new(prefix: u64) -> Self {
        Self { prefix, made: 0 }
    }

    /// The next nonce: printable ASCII, at most [`MAX_NONCE_BYTES`] long.
    pub fn make(&mut self) -> String {
        self.made += 1;
        format!("{:016x}-{}", self.prefix, self.made)
    }
}

/// A message in the outbox, with the nonce it keeps until the server answers it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pending {
    /// Its nonce.
    pub nonce: String,
    /// The message.
    pub message: Outgoing,
}

impl Pending {
    /// The frame that carries it.
    pub fn frame(&self) -> ClientFrame {
        self.message.frame(Some(self.nonce.clone()))
    }
}

/// The messages not yet answered by the server, in the order they are sent.
#[derive(Debug, Default)]
pub struct Outbox {
    /// Gives each message its nonce.
    nonces: Nonces,
    /// Typed while not in the room; drawn in the message pane, and put behind the
    /// waiting ones after the next `welcome`.
    queued: VecDeque<Pending>,
    /// To be sent when the flood budget allows, in order.
    waiting: VecDeque<Pending>,
    /// Sent, answered by neither an echo nor an error yet; in sending order, which is the
    /// order the server answers in.
    in_flight: VecDeque<Pending>,
}

impl Outbox {
    /// An empty outbox whose nonces start with `prefix`.
    pub fn new(prefix: u64) -> Self {
        Self {
            nonces: Nonces::new(prefix),
            ..Self::default()
        }
    }

    /// Keeps a message typed while not in the room, until the next `welcome`.
    pub fn queue(&mut self, message: Outgoing) {
        let nonce = self.nonces.make();
        self.queued.push_back(Pending { nonce, message });
    }

    /// Lines up a message typed in the room, to be sent when the budget allows.
    pub fn push(&mut self, message: Outgoing) {
        let nonce = self.nonces.make();
        self.waiting.push_back(Pending { nonce, message });
    }

    /// Back in the room: what was queued meanwhile lines up behind what was waiting.
    pub fn joined(&mut self) {
        self.waiting.append(&mut self.queued);
    }

    /// Takes the next waiting message to send it; it is in flight from now on.
    pub fn send_next(&mut self) -> Option<Pending> {
        let message = self.waiting.pop_front()?;
        self.in_flight.push_back(message.clone());
        Some(message)
    }

    /// The server answered the oldest message in flight (an error, which names none).
    pub fn confirm_oldest(&mut self) {
        self.in_flight.pop_front();
    }

    /// The server posted the message with this nonce (its echo, or the event in a
    /// room's history): it is not sent (again). False if no message has it.
    pub fn confirm(&mut self, nonce: &str) -> bool {
        for line in [&mut self.in_flight, &mut self.waiting, &mut self.queued] {
            if let Some(at) = line.iter().position(|pending| pending.nonce == nonce) {
                line.remove(at);
                return true;
            }
        }
        false
    }

    /// The connection broke: the messages in flight go back to the head of the waiting
    /// line, in order, keeping their nonces.
    pub fn connection_lost(&mut self) {
        while let Some(message) = self.in_flight.pop_back() {
            self.waiting.push_front(message);
        }
    }

    /// Takes back the messages not sent yet (waiting, or queued while away) that belong
    /// in a buffer about `kind`, whose room was left; returns how many.
    pub fn take_back(&mut self, kind: &Kind) -> usize {
        let before = self.waiting.len() + self.queued.len();
        self.waiting
            .retain(|pending| !pending.message.belongs_to(kind));
        self.queued
            .retain(|pending| !pending.message.belongs_to(kind));
        before - self.waiting.len() - self.queued.len()
    }

    /// How many messages were sent and not answered yet.
    pub fn in_flight(&self) -> usize {
        self.in_flight.len()
    }

    /// How many messages wait to be sent (not counting those queued while away).
    pub fn waiting(&self) -> usize {
        self.waiting.len()
    }

    /// The messages typed while away, for display.
    pub fn queued(&self) -> impl DoubleEndedIterator<Item = &Outgoing> + ExactSizeIterator {
        self.queued.iter().map(|pending| &pending.message)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn say(text: &str) -> Outgoing {
        Outgoing::Say {
            room: "#general".into(),
            text: text.into(),
        }
    }

    fn me(text: &str) -> Outgoing {
        Outgoing::Me {
            room: "#dev".into(),
            text: text.into(),
        }
    }

    /// Sends everything waiting; returns the texts sent.
    fn send_all(outbox: &mut Outbox) -> Vec<String> {
        std::iter::from_fn(|| outbox.send_next())
            .map(|pending| pending.message.text().to_owned())
            .collect()
    }

    /// The next message sent, without its nonce.
    fn next(outbox: &mut Outbox) -> Option<Outgoing> {
        outbox.send_next().map(|pending| pending.message)
    }

    #[test]
    fn answered_messages_are_never_sent_again_and_the_rest_go_on_in_order() {
        let mut outbox = Outbox::default();
        for text in ["one", "two", "three", "four"] {
            outbox.push(say(text));
        }
        assert_eq!(next(&mut outbox), Some(say("one")));
        assert_eq!(next(&mut outbox), Some(say("two")));
        assert_eq!(next(&mut outbox), Some(say("three")));
        outbox.confirm_oldest();
        assert_eq!((outbox.in_flight(), outbox.waiting()), (2, 1));
        outbox.queue(me("typed while away"));
        outbox.connection_lost();
        assert_eq!(outbox.in_flight(), 0);
        assert_eq!(outbox.queued().len(), 1);
        outbox.joined();
        assert_eq!(
            send_all(&mut outbox),
            ["two", "three", "four", "typed while away"]
        );
        assert_eq!(outbox.queued().len(), 0);
    }

    #[test]
    fn a_message_keeps_its_nonce_when_sent_again_and_its_echo_confirms_it() {
        let mut outbox = Outbox::new(0xabc);
        outbox.push(say("one"));
        outbox.push(say("two"));
        let one = outbox.send_next().unwrap();
        let two = outbox.send_next().unwrap();
        assert_eq!(one.nonce, "0000000000000abc-1");
        assert_ne!(one.nonce, two.nonce);
        assert!(one.nonce.len() <= MAX_NONCE_BYTES);
        assert!(one.nonce.bytes().all(|b| b.is_ascii_graphic()));
        assert!(outbox.confirm(&two.nonce), "an echo out of order");
        assert!(!outbox.confirm(&two.nonce), "answered once");
        outbox.connection_lost();
        assert_eq!(outbox.send_next(), Some(one.clone()), "same nonce again");
        assert_eq!(
            one.frame(),
            ClientFrame::Say {
                nonce: Some(one.nonce.clone()),
                room: Some("#general".into()),
                text: "one".into(),
            }
        );
        outbox.push(say("three"));
        let three = outbox.send_next().unwrap().nonce;
        assert_eq!(three, "0000000000000abc-3", "nonces never repeat in a run");
    }

    /// `count` numbered lines, from `first`.
    fn numbered(first: usize, count: usize) -> String {
        let lines: Vec<String> = (first..first + count).map(|n| n.to_string()).collect();
        lines.join("\n")
    }

    #[test]
    fn a_long_text_is_cut_into_parts_of_at_most_the_line_limit_in_order() {
        let message = Outgoing::Msg {
            to: "bob".into(),
            text: numbered(0, 120),
        };
        let expected = [(0, 50), (50, 50), (100, 20)].map(|(first, count)| Outgoing::Msg {
            to: "bob".into(),
            text: numbered(first, count),
        });
        assert_eq!(message.parts(), expected);
        assert_eq!(MAX_MESSAGE_LINES, 50);
    }

    #[test]
    fn parts_are_counted_and_cleaned_as_the_server_does() {
        let text = format!("  \n{}\u{2028}last\x1b[31m\n\n", numbered(0, 50));
        assert_eq!(me(&text).parts(), [me(&numbered(0, 50)), me("last")]);
        let blank_middle = format!("first\n{}last", "\n".repeat(100));
        assert_eq!(say(&blank_middle).parts(), [say("first"), say("last")]);
        assert_eq!(say(" \n\x07 ").parts(), []);
    }
}
