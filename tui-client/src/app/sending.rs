//! What goes out to the server, and when: frames at once, or paced to the flood budget.
//!
//! `login` goes out at once, counted against the budget; `pong` goes out at once and is
//! not counted (it costs the server no token), nor is `quit` (nothing follows it). The
//! network task's own `ping`, sent only after minutes of silence from the server, is not
//! counted either: at worst the server delays the next frame by one interval. `nick` and
//! `who` wait for the budget, ahead of waiting messages, so that a command typed during a
//! long paste is not stuck behind it.
//! Messages go out in order as the budget allows, no more than the window unanswered
//! ([`super::outbox`]). After every event, [`App::update`] sends what may go; when the
//! budget is what holds the rest, [`App::wake_at`] says when to try again.

use std::collections::VecDeque;
use std::time::Instant;

use chat_shared::frame::ClientFrame;

use super::{App, Connection, Effect, Update};

/// Commands waiting for the budget, ahead of the messages.
pub(super) type Commands = VecDeque<ClientFrame>;

impl App {
    /// The frame, to be sent at once; counted against the budget unless the server does
    /// not count it.
    pub(super) fn send_now(&mut self, frame: ClientFrame) -> Effect {
        if !matches!(frame, ClientFrame::Pong { .. }) {
            self.pacer.take(self.clock.now());
        }
        Effect::Send(frame)
    }

    /// Lines up a command to be sent ahead of the waiting messages when the budget allows.
    pub(super) fn send_command(&mut self, frame: ClientFrame) {
        self.commands.push_back(frame);
    }

    /// Adds to `update` the frames that may go now: commands, then messages, as far as
    /// the budget and the window allow. Nothing is sent outside the room, or once the
    /// app is quitting.
    pub(super) fn send_what_may_go(&mut self, update: &mut Update) {
        if self.connection != Connection::LoggedIn || update.effects.contains(&Effect::Quit) {
            return;
        }
        let now = self.clock.now();
        while self.pacer.allows(now) {
            let frame = if let Some(command) = self.commands.pop_front() {
                command
            } else if self.outbox.in_flight() < self.pacer.window() {
                match self.outbox.send_next() {
                    Some(message) => {
                        update.redraw = true;
                        message.frame()
                    }
                    None => break,
                }
            } else {
                break;
            };
            self.pacer.take(now);
            update.effects.push(Effect::Send(frame));
        }
    }

    /// When the budget allows the next frame that waits for it; `None` when nothing
    /// waits for the budget (an answer from the server, or nothing at all, comes first).
    pub fn wake_at(&self) -> Option<Instant> {
        let messages_may_go =
            self.outbox.waiting() > 0 && self.outbox.in_flight() < self.pacer.window();
        let waiting = !self.commands.is_empty() || messages_may_go;
        if self.connection == Connection::LoggedIn && waiting {
            self.pacer.next_at()
        } else {
            None
        }
    }

    /// How many messages wait to be sent, for the input line.
    pub fn waiting_to_send(&self) -> usize {
        self.outbox.waiting()
    }
}
