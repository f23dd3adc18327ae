//! Messages on their way out: queued while disconnected, then awaiting the server's echo.
//!
//! Nothing typed is dropped silently. A message typed while the connection is down waits
//! in the queue, drawn under the messages, and is sent after the next `welcome`. A message
//! that was sent but whose echo (or refusal) had not arrived when the connection broke is
//! put back at the head of the queue and sent again: the protocol has no message ids, so
//! after a break a message can at worst be shown twice, never lost.

use std::collections::VecDeque;

use chat_shared::frame::ClientFrame;
use chat_shared::text::{MAX_MESSAGE_LINES, sanitize_text};

/// A message typed by the user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outgoing {
    /// To the room.
    Say(String),
    /// A `/me` action.
    Me(String),
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
            Outgoing::Say(text) | Outgoing::Me(text) | Outgoing::Msg { text, .. } => text,
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

    /// The same kind of message, to the same receiver, with another text.
    fn with_text(&self, text: String) -> Outgoing {
        match self {
            Outgoing::Say(_) => Outgoing::Say(text),
            Outgoing::Me(_) => Outgoing::Me(text),
            Outgoing::Msg { to, .. } => Outgoing::Msg {
                to: to.clone(),
                text,
            },
        }
    }

    /// The frame that carries it.
    pub fn frame(&self) -> ClientFrame {
        match self {
            Outgoing::Say(text) => ClientFrame::Say { text: text.clone() },
            Outgoing::Me(text) => ClientFrame::Me { text: text.clone() },
            Outgoing::Msg { to, text } => ClientFrame::Msg {
                to: to.clone(),
                text: text.clone(),
            },
        }
    }
}

/// The queue of unsent messages and the list of unconfirmed ones.
#[derive(Debug, Default)]
pub struct Outbox {
    /// Typed while not logged in; sent in order after the next `welcome`.
    queued: VecDeque<Outgoing>,
    /// Sent, answered by neither an echo nor an error yet; in sending order, which is the
    /// order the server answers in.
    unconfirmed: VecDeque<Outgoing>,
}

impl Outbox {
    /// Keeps a message for later.
    pub fn queue(&mut self, message: Outgoing) {
        self.queued.push_back(message);
    }

    /// Records that a message went out and awaits its answer.
    pub fn sent(&mut self, message: Outgoing) {
        self.unconfirmed.push_back(message);
    }

    /// The server answered the oldest unconfirmed message (echo or error).
    pub fn confirm_oldest(&mut self) {
        self.unconfirmed.pop_front();
    }

    /// The connection broke: unanswered messages go back to the head of the queue.
    pub fn requeue_unconfirmed(&mut self) {
        while let Some(message) = self.unconfirmed.pop_back() {
            self.queued.push_front(message);
        }
    }

    /// Takes every queued message, to be sent now.
    pub fn drain_queue(&mut self) -> Vec<Outgoing> {
        self.queued.drain(..).collect()
    }

    /// The messages waiting to be sent, for display.
    pub fn queued(&self) -> impl DoubleEndedIterator<Item = &Outgoing> + ExactSizeIterator {
        self.queued.iter()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unanswered_messages_go_back_before_the_queue_in_order() {
        let mut outbox = Outbox::default();
        outbox.sent(Outgoing::Say("one".into()));
        outbox.sent(Outgoing::Say("two".into()));
        outbox.sent(Outgoing::Say("three".into()));
        outbox.confirm_oldest();
        outbox.queue(Outgoing::Me("later".into()));
        outbox.requeue_unconfirmed();
        assert_eq!(
            outbox.drain_queue(),
            [
                Outgoing::Say("two".into()),
                Outgoing::Say("three".into()),
                Outgoing::Me("later".into())
            ]
        );
        assert_eq!(outbox.queued().len(), 0);
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
        assert_eq!(
            Outgoing::Me(text).parts(),
            [Outgoing::Me(numbered(0, 50)), Outgoing::Me("last".into())]
        );
        let blank_middle = format!("first\n{}last", "\n".repeat(100));
        assert_eq!(
            Outgoing::Say(blank_middle).parts(),
            [Outgoing::Say("first".into()), Outgoing::Say("last".into())]
        );
        assert_eq!(Outgoing::Say(" \n\x07 ".into()).parts(), []);
    }
}
