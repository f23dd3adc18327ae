//! The message history shown in the message pane, capped, and the reader's position in it.

use std::collections::VecDeque;

use chat_shared::frame::LeaveReason;
use jiff::Timestamp;

/// The default number of entries kept (`--scrollback`); older ones are forgotten so that
/// memory stays bounded in a long-running session.
pub const DEFAULT_SCROLLBACK: usize = 5000;

/// One thing shown in the message pane.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// When the server accepted it; `None` for what the client itself reports.
    pub time: Option<Timestamp>,
    /// What happened.
    pub kind: EntryKind,
}

/// What an [`Entry`] shows; each kind is styled apart. All text in here is sanitized.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EntryKind {
    /// A room message.
    Message {
        /// Sender.
        from: String,
        /// Text, possibly several lines.
        text: String,
        /// Sent by this client's user.
        own: bool,
        /// Mentions this client's user.
        mentions_me: bool,
    },
    /// A `/me` action.
    Action {
        /// Who acts.
        from: String,
        /// What they do.
        text: String,
        /// Sent by this client's user.
        own: bool,
        /// Mentions this client's user.
        mentions_me: bool,
    },
    /// A private message, in either direction.
    Private {
        /// Sender.
        from: String,
        /// Receiver.
        to: String,
        /// Text.
        text: String,
        /// Sent by this client's user (the server's confirmation).
        outgoing: bool,
    },
    /// Someone joined.
    Joined(String),
    /// Someone left.
    Left {
        /// Who.
        name: String,
        /// Why.
        reason: LeaveReason,
        /// Their quit message.
        message: Option<String>,
    },
    /// Someone changed name.
    Renamed {
        /// Before.
        old: String,
        /// After.
        new: String,
    },
    /// Information, from the server or the client.
    Info(String),
    /// Something went wrong.
    Error(String),
}

/// Entries, oldest first, with the reader's scroll position.
#[derive(Debug)]
pub struct Scrollback {
    /// At most `cap` entries.
    entries: VecDeque<Entry>,
    /// The most entries kept.
    cap: usize,
    /// How many drawn lines the view is above the bottom; 0 follows new messages.
    scroll: usize,
    /// Entries that arrived while scrolled up ("N new messages").
    unread: usize,
}

impl Scrollback {
    /// An empty history keeping at most `cap` entries (at least one).
    pub fn new(cap: usize) -> Self {
        Self {
            entries: VecDeque::new(),
            cap: cap.max(1),
            scroll: 0,
            unread: 0,
        }
    }

    /// Adds an entry that takes `height` lines; a scrolled-up view stays where it is.
    pub fn push(&mut self, entry: Entry, height: usize) {
        if self.scroll > 0 {
            self.scroll += height;
            self.unread += 1;
        }
        if self.entries.len() == self.cap {
            self.entries.pop_front();
        }
        self.entries.push_back(entry);
    }

    /// The entries, oldest first.
    pub fn entries(&self) -> &VecDeque<Entry> {
        &self.entries
    }

    /// Lines between the bottom of the view and the bottom of the history.
    pub fn scroll(&self) -> usize {
        self.scroll
    }

    /// Entries that arrived since the reader scrolled up.
    pub fn unread(&self) -> usize {
        self.unread
    }

    /// Scrolls up by `lines`, no further than `max` (the top of the history).
    pub fn scroll_up(&mut self, lines: usize, max: usize) {
        self.scroll = (self.scroll + lines).min(max);
    }

    /// Scrolls down by `lines`; reaching the bottom clears the unread count.
    pub fn scroll_down(&mut self, lines: usize) {
        self.scroll = self.scroll.saturating_sub(lines);
        if self.scroll == 0 {
            self.unread = 0;
        }
    }

    /// Keeps the scroll position within `max` lines (after a resize or eviction).
    pub fn clamp(&mut self, max: usize) {
        self.scroll = self.scroll.min(max);
        if self.scroll == 0 {
            self.unread = 0;
        }
    }

    /// Forgets every entry (`/clear`).
    pub fn clear(&mut self) {
        self.entries.clear();
        self.scroll = 0;
        self.unread = 0;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn info(text: &str) -> Entry {
        Entry {
            time: None,
            kind: EntryKind::Info(text.into()),
        }
    }

    #[test]
    fn forgets_the_oldest_beyond_the_cap() {
        let mut log = Scrollback::new(2);
        for text in ["a", "b", "c"] {
            log.push(info(text), 1);
        }
        assert_eq!(
            log.entries().iter().collect::<Vec<_>>(),
            [&info("b"), &info("c")]
        );
    }

    #[test]
    fn a_scrolled_view_stays_put_and_counts_new_entries() {
        let mut log = Scrollback::new(100);
        log.push(info("a"), 1);
        log.scroll_up(3, 10);
        log.push(info("b"), 2);
        assert_eq!((log.scroll(), log.unread()), (5, 1));
        log.scroll_down(100);
        assert_eq!((log.scroll(), log.unread()), (0, 0));
        log.push(info("c"), 2);
        assert_eq!((log.scroll(), log.unread()), (0, 0));
    }

    #[test]
    fn scrolling_up_stops_at_the_top() {
        let mut log = Scrollback::new(100);
        log.scroll_up(50, 7);
        assert_eq!(log.scroll(), 7);
    }
}
