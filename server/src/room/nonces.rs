//! The client nonces the server has seen lately, each with the event it made, so that a
//! message sent again after a broken connection is answered with the original instead of
//! being posted twice.

use std::collections::{HashMap, VecDeque};

use chat_shared::frame::ServerFrame;

/// Nonces remembered in all, oldest forgotten first: about the messages of the last
/// minutes of a busy server, which covers any reconnect.
pub(super) const REMEMBERED_NONCES: usize = 100_000;

/// The nonces seen, by sender.
#[derive(Debug, Default)]
pub(super) struct Nonces {
    /// (sender's name key, nonce) to the event it made.
    events: HashMap<(String, String), ServerFrame>,
    /// The same keys, oldest first.
    order: VecDeque<(String, String)>,
}

impl Nonces {
    /// The event the sender made with this nonce, if it is remembered.
    pub fn get(&self, sender_key: &str, nonce: &str) -> Option<&ServerFrame> {
        self.events.get(&(sender_key.to_owned(), nonce.to_owned()))
    }

    /// Remembers the event a sender made with a nonce.
    pub fn remember(&mut self, sender_key: &str, nonce: &str, event: ServerFrame) {
        let key = (sender_key.to_owned(), nonce.to_owned());
        if self.events.insert(key.clone(), event).is_none() {
            self.order.push_back(key);
        }
        while self.order.len() > REMEMBERED_NONCES {
            if let Some(oldest) = self.order.pop_front() {
                self.events.remove(&oldest);
            }
        }
    }
}
