//! A buffer's message history, capped, with the reader's place in it and the mark of
//! where the reader left off.

use std::collections::{HashSet, VecDeque};

use chat_shared::frame::{EventId, LeaveReason};
use jiff::Timestamp;

use super::view::View;

/// The default number of entries each buffer keeps (`--scrollback`); older ones are
/// forgotten so that memory stays bounded in a long-running session.
pub const DEFAULT_SCROLLBACK: usize = 5000;

/// One thing shown in the message pane.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// The event's id in its room, for what happened in a room: a buffer shows each id
    /// once, however often it arrives (live, in a room's history, again after a
    /// reconnect).
    pub id: Option<EventId>,
    /// Shown from the room's history on entering it, not live: drawn dimmed.
    pub replayed: bool,
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
        /// Their quit message, or the operator's reason.
        message: Option<String>,
        /// The operator who kicked or banned them.
        by: Option<String>,
    },
    /// An operator muted someone for a while, or lifted the mute.
    Muted {
        /// Who.
        name: String,
        /// The operator.
        by: String,
        /// For how long (from the event); `None` when the mute was lifted.
        lasting: Option<std::time::Duration>,
        /// The operator's reason.
        reason: Option<String>,
    },
    /// Who joined and left a big room lately, counted (the server sums them up there
    /// rather than telling each).
    Presence {
        /// How many joined.
        joined: usize,
        /// How many left.
        left: usize,
    },
    /// Someone changed name.
    Renamed {
        /// Before.
        old: String,
        /// After.
        new: String,
    },
    /// Someone set the room's topic; an empty text cleared it.
    Topic {
        /// Who.
        by: String,
        /// The new topic.
        text: String,
    },
    /// A notice from the server.
    Notice(String),
    /// Information from the client.
    Info(String),
    /// Something went wrong.
    Error(String),
    /// A mark in a room's history: where replayed history starts or ends, or where
    /// events are missing.
    Mark(Mark),
}

/// A mark between entries of a room's buffer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mark {
    /// The recent messages replayed on entering the room start here.
    History,
    /// The replayed messages end here: what follows came live.
    Live,
    /// Events are missing here: more were missed than the server could replay, or it
    /// lost its history.
    Gap,
}

/// Entries, oldest first, with the reader's place in them.
#[derive(Debug)]
pub struct Scrollback {
    /// At most `cap` entries.
    entries: VecDeque<Entry>,
    /// The ids of the entries kept, to show each event once.
    ids: HashSet<EventId>,
    /// The message a search result jumped to, highlighted.
    found: Option<EventId>,
    /// The most entries kept.
    cap: usize,
    /// Where the reader is; following new messages unless scrolled up.
    view: View,
    /// Entries that arrived while scrolled up ("N new messages").
    unread: usize,
    /// Entries ever added, forgotten ones included: an entry's number is its place in
    /// this count, which does not change when older entries are forgotten.
    added: u64,
    /// The number of the first entry new to the reader since they last left this
    /// history; `None` if none came (or they never left).
    first_new: Option<u64>,
}

impl Scrollback {
    /// An empty history keeping at most `cap` entries (at least one).
    pub fn new(cap: usize) -> Self {
        Self {
            entries: VecDeque::new(),
            ids: HashSet::new(),
            found: None,
            cap: cap.max(1),
            view: View::Following,
            unread: 0,
            added: 0,
            first_new: None,
        }
    }

    /// Adds an entry; a scrolled-up view stays where it is. `queued` is how many blocks the
    /// pane shows after the entries (messages waiting to be sent), where a view can be too.
    pub fn push(&mut self, entry: Entry, queued: usize) {
        let before = self.entries.len();
        let evicted = before == self.cap;
        if evicted {
            self.forget_oldest();
        }
        self.ids.extend(entry.id);
        self.entries.push_back(entry);
        self.added += 1;
        if self.is_scrolled() {
            self.unread += 1;
            let count = self.entries.len() + queued;
            self.set_view(self.view.entry_added(before, evicted, count));
        }
    }

    /// Puts older entries (oldest first) before the oldest one kept, as far as the cap
    /// leaves room for them (the newest of them first); returns how many. The reader
    /// stays on the lines they were reading, and the "new" marker on its entry.
    pub fn prepend(&mut self, older: Vec<Entry>) -> usize {
        let room = self.cap - self.entries.len();
        let skip = older.len().saturating_sub(room);
        let mut added = 0;
        for entry in older.into_iter().skip(skip).rev() {
            self.ids.extend(entry.id);
            self.entries.push_front(entry);
            added += 1;
        }
        self.added += added as u64;
        if let Some(first_new) = &mut self.first_new {
            *first_new += added as u64;
        }
        if let View::Scrolled(mut at) = self.view {
            at.block += added;
            self.view = View::Scrolled(at);
        }
        added
    }

    /// The message a search result jumped to.
    pub fn found(&self) -> Option<EventId> {
        self.found
    }

    /// Highlights the message a search result jumped to (`None`: none).
    pub fn set_found(&mut self, id: Option<EventId>) {
        self.found = id;
    }

    /// Whether the entries kept are as many as the cap allows.
    pub fn is_full(&self) -> bool {
        self.entries.len() >= self.cap
    }

    /// Whether an entry with this id is kept.
    pub fn has(&self, id: EventId) -> bool {
        self.ids.contains(&id)
    }

    /// Where the entry with this id is, if it is kept.
    pub fn position(&self, id: EventId) -> Option<usize> {
        if !self.has(id) {
            return None;
        }
        self.entries.iter().position(|entry| entry.id == Some(id))
    }

    /// The id of the oldest entry kept that has one: where a page back starts.
    pub fn oldest_id(&self) -> Option<EventId> {
        self.entries.iter().find_map(|entry| entry.id)
    }

    fn forget_oldest(&mut self) {
        if let Some(id) = self.entries.pop_front().and_then(|entry| entry.id) {
            self.ids.remove(&id);
        }
    }

    /// The entries, oldest first.
    pub fn entries(&self) -> &VecDeque<Entry> {
        &self.entries
    }

    /// Where the reader is.
    pub fn view(&self) -> View {
        self.view
    }

    /// Whether the reader scrolled up from the bottom.
    pub fn is_scrolled(&self) -> bool {
        self.view != View::Following
    }

    /// Entries that arrived since the reader scrolled up.
    pub fn unread(&self) -> usize {
        self.unread
    }

    /// Moves the reader; back at the bottom, nothing is unread any more.
    pub fn set_view(&mut self, view: View) {
        self.view = view;
        if view == View::Following {
            self.unread = 0;
        }
    }

    /// Forgets every entry (`/clear`).
    pub fn clear(&mut self) {
        self.entries.clear();
        self.ids.clear();
        self.first_new = None;
        self.set_view(View::Following);
    }

    /// The reader leaves this history: what is new to them from now on gets the marker.
    pub fn leave(&mut self) {
        self.first_new = None;
    }

    /// The entry about to be added is new to the reader, who is away: unless one came
    /// before it, the marker goes above it. (The user's own messages, and the client's
    /// notices, are not new to them.)
    pub fn new_to_reader(&mut self) {
        self.first_new.get_or_insert(self.added);
    }

    /// Where the "new since you left" marker goes: the index of the first entry new to
    /// the reader since they last left (the oldest kept, if that one was forgotten).
    pub fn marker(&self) -> Option<usize> {
        let first_kept = self.added - self.entries.len() as u64;
        let index = self.first_new?.saturating_sub(first_kept) as usize;
        (index < self.entries.len()).then_some(index)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::view::Anchor;

    fn info(text: &str) -> Entry {
        Entry {
            id: None,
            replayed: false,
            time: None,
            kind: EntryKind::Info(text.into()),
        }
    }

    #[test]
    fn forgets_the_oldest_beyond_the_cap() {
        let mut log = Scrollback::new(2);
        for text in ["a", "b", "c"] {
            log.push(info(text), 0);
        }
        assert_eq!(
            log.entries().iter().collect::<Vec<_>>(),
            [&info("b"), &info("c")]
        );
    }

    #[test]
    fn a_scrolled_view_stays_put_and_counts_new_entries() {
        let mut log = Scrollback::new(100);
        log.push(info("a"), 0);
        log.push(info("b"), 0);
        let up = View::Scrolled(Anchor {
            block: 0,
            hidden: 0,
        });
        log.set_view(up);
        log.push(info("c"), 0);
        assert_eq!((log.view(), log.unread()), (up, 1));
        log.set_view(View::Following);
        assert_eq!((log.is_scrolled(), log.unread()), (false, 0));
        log.push(info("d"), 0);
        assert_eq!((log.is_scrolled(), log.unread()), (false, 0));
    }

    #[test]
    fn the_marker_is_on_the_first_entry_new_to_the_reader_since_they_left() {
        let mut log = Scrollback::new(3);
        log.push(info("a"), 0);
        log.leave();
        log.push(info("own message"), 0);
        assert_eq!(log.marker(), None, "nothing new to the reader");
        log.new_to_reader();
        log.push(info("c"), 0);
        log.new_to_reader();
        log.push(info("d"), 0);
        assert_eq!(log.marker(), Some(1), "c, the first new one");
        log.push(info("e"), 0);
        assert_eq!(
            log.marker(),
            Some(0),
            "older ones forgotten: c is the oldest kept"
        );
        log.push(info("f"), 0);
        assert_eq!(
            log.marker(),
            Some(0),
            "c forgotten too: the oldest kept is new"
        );
        log.leave();
        assert_eq!(log.marker(), None);
        log.new_to_reader();
        log.clear();
        log.push(info("g"), 0);
        assert_eq!(log.marker(), None, "cleared: nothing to mark");
    }

    #[test]
    fn a_view_brought_to_the_bottom_by_the_cap_has_nothing_unread() {
        let mut log = Scrollback::new(1);
        log.push(info("a"), 0);
        log.set_view(View::Scrolled(Anchor {
            block: 0,
            hidden: 1,
        }));
        log.push(info("b"), 0);
        assert_eq!((log.is_scrolled(), log.unread()), (false, 0));
    }
}
