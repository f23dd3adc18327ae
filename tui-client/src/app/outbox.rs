//! Messages on their way out: queued while disconnected, then awaiting the server's echo.
//!
//! Nothing typed is dropped silently. A message typed while the connection is down waits
//! in the queue, drawn under the messages, and is sent after the next `welcome`. A message
//! that was sent but whose echo (or refusal) had not arrived when the connection broke is
//! put back at the head of the queue and sent again: the protocol has no message ids, so
//! after a break a message can at worst be shown twice, never lost.

use std::collections::VecDeque;

use chat_shared::frame::ClientFrame;

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
}
