//! One buffer: a room, a private conversation, or the server's own notices, each with
//! its own history, reader's place, and what the user has not seen in it yet.

use chat_shared::frame::EventId;
use chat_shared::name::name_key;

use super::roster::Roster;
use super::scrollback::{Entry, EntryKind, Scrollback};

/// What a buffer is about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Kind {
    /// Notices and errors that belong to no room, and news of the connection.
    Server,
    /// A room.
    Room(Room),
    /// A private conversation with someone.
    Private {
        /// Their name, as last seen.
        with: String,
    },
}

/// A room as its buffer knows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Room {
    /// Its name, `#` included, as the server writes it.
    pub name: String,
    /// Its topic, if it has one.
    pub topic: Option<String>,
    /// Who is in it; exact while [`Membership::In`], kept from `entered`, `joined`,
    /// `left` and `renamed`.
    pub members: Roster,
    /// Whether the user is in it.
    pub membership: Membership,
    /// The last event of the room the client saw: a reconnect (or a join after a part)
    /// resumes from it.
    pub last_seen: Option<EventId>,
    /// What is known of the room's history before the oldest entry shown.
    pub top: Top,
}

/// What lies before the oldest entry of a room's buffer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Top {
    /// Older events may exist: scrolling to the top asks for them.
    More,
    /// A page of older events was asked for; the pane shows "loading…" at the top.
    Loading,
    /// The server said nothing is older: the pane shows "start of history".
    Start,
}

/// Whether the user is in a room.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Membership {
    /// `join` was sent (or will be, once reconnected), not answered yet.
    Joining,
    /// In it.
    In,
    /// Left it (`/part`), or could not join it.
    Out,
}

/// A buffer.
#[derive(Debug)]
pub struct Buffer {
    /// What it is about.
    pub(crate) kind: Kind,
    /// Its history and the reader's place in it.
    pub(crate) log: Scrollback,
    /// Messages (not notices) that arrived while another buffer was shown.
    unread: usize,
    /// Whether one of them mentions the user, or is a private message to them.
    mention: bool,
    /// Whether anything from the server (a message, an arrival, a notice...) arrived
    /// while another buffer was shown.
    activity: bool,
}

impl Buffer {
    /// A buffer about `kind`, keeping at most `scrollback` entries.
    pub fn new(kind: Kind, scrollback: usize) -> Self {
        Self {
            kind,
            log: Scrollback::new(scrollback),
            unread: 0,
            mention: false,
            activity: false,
        }
    }

    /// A room's buffer, not joined yet.
    pub fn room(name: &str, scrollback: usize) -> Self {
        let room = Room {
            name: name.to_owned(),
            topic: None,
            members: Roster::default(),
            membership: Membership::Joining,
            last_seen: None,
            top: Top::More,
        };
        Self::new(Kind::Room(room), scrollback)
    }

    /// The name shown in the buffer list: `server`, the room, or who the conversation
    /// is with.
    pub fn name(&self) -> &str {
        match &self.kind {
            Kind::Server => "server",
            Kind::Room(room) => &room.name,
            Kind::Private { with } => with,
        }
    }

    /// What the buffer is about.
    pub fn kind(&self) -> &Kind {
        &self.kind
    }

    /// The room, for a room's buffer.
    pub fn as_room(&self) -> Option<&Room> {
        match &self.kind {
            Kind::Room(room) => Some(room),
            _ => None,
        }
    }

    /// The room, for a room's buffer, to change.
    pub(crate) fn as_room_mut(&mut self) -> Option<&mut Room> {
        match &mut self.kind {
            Kind::Room(room) => Some(room),
            _ => None,
        }
    }

    /// Whether this is the buffer of the room called `key` (a [`name_key`]).
    pub fn is_room(&self, key: &str) -> bool {
        self.as_room()
            .is_some_and(|room| name_key(&room.name) == key)
    }

    /// Whether this is the conversation with the user called `key` (a [`name_key`]).
    pub fn is_private_with(&self, key: &str) -> bool {
        matches!(&self.kind, Kind::Private { with } if name_key(with) == key)
    }

    /// Messages that arrived while another buffer was shown.
    pub fn unread(&self) -> usize {
        self.unread
    }

    /// Whether an unseen message mentions the user or is private to them.
    pub fn mention(&self) -> bool {
        self.mention
    }

    /// Whether anything from the server arrived while another buffer was shown.
    pub fn activity(&self) -> bool {
        self.activity
    }

    /// The history.
    pub fn log(&self) -> &Scrollback {
        &self.log
    }

    /// Adds an entry; `shown` says whether this buffer is on screen, else the entry
    /// counts as unseen (and gets the "new" marker, if it is the first). `queued` is how
    /// many queued messages the pane draws after the entries. The user's own messages
    /// are not unseen, and client notices (information, errors) are not activity: they
    /// repeat what the user already sees elsewhere, like a broken connection. Nor is
    /// what a room's history replays: it is not news.
    pub(crate) fn push(&mut self, entry: Entry, queued: usize, shown: bool) {
        if !shown && !entry.replayed {
            let unseen = match &entry.kind {
                EntryKind::Message {
                    own: false,
                    mentions_me,
                    ..
                }
                | EntryKind::Action {
                    own: false,
                    mentions_me,
                    ..
                } => {
                    self.unread += 1;
                    self.mention |= *mentions_me;
                    true
                }
                EntryKind::Private {
                    outgoing: false, ..
                } => {
                    self.unread += 1;
                    self.mention = true;
                    true
                }
                EntryKind::Message { own: true, .. }
                | EntryKind::Action { own: true, .. }
                | EntryKind::Private { outgoing: true, .. }
                | EntryKind::Info(_)
                | EntryKind::Error(_) => false,
                _ => true,
            };
            if unseen {
                self.activity = true;
                self.log.new_to_reader();
            }
        }
        self.log.push(entry, queued);
    }

    /// The user looks at this buffer: nothing in it is unseen any more.
    pub(crate) fn seen(&mut self) {
        self.unread = 0;
        self.mention = false;
        self.activity = false;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn message(from: &str, text: &str, mentions_me: bool) -> Entry {
        Entry {
            id: None,
            replayed: false,
            time: None,
            kind: EntryKind::Message {
                from: from.into(),
                text: text.into(),
                own: false,
                mentions_me,
            },
        }
    }

    #[test]
    fn counts_what_arrives_unseen_and_forgets_it_once_seen() {
        let mut buffer = Buffer::room("#dev", 100);
        buffer.push(message("bob", "hi", false), 0, true);
        assert_eq!((buffer.unread(), buffer.activity()), (0, false), "shown");
        let joined = Entry {
            id: None,
            replayed: false,
            time: None,
            kind: EntryKind::Joined("carol".into()),
        };
        buffer.push(joined, 0, false);
        assert_eq!((buffer.unread(), buffer.activity()), (0, true));
        buffer.push(message("bob", "alice?", true), 0, false);
        buffer.push(message("carol", "hello", false), 0, false);
        assert_eq!((buffer.unread(), buffer.mention()), (2, true));
        buffer.seen();
        assert_eq!(
            (buffer.unread(), buffer.mention(), buffer.activity()),
            (0, false, false)
        );
        let info = Entry {
            id: None,
            replayed: false,
            time: None,
            kind: EntryKind::Info("Connection lost".into()),
        };
        buffer.push(info, 0, false);
        assert!(
            !buffer.activity(),
            "the client's own notices are not activity"
        );
        let replayed = Entry {
            replayed: true,
            ..message("bob", "alice: an old mention", true)
        };
        buffer.push(replayed, 0, false);
        assert_eq!(
            (buffer.unread(), buffer.mention(), buffer.activity()),
            (0, false, false),
            "replayed history is not news"
        );
    }

    #[test]
    fn rooms_and_conversations_are_found_by_key() {
        let room = Buffer::room("#Dev", 10);
        assert!(room.is_room(&name_key("#dev")));
        assert_eq!(room.name(), "#Dev");
        let private = Buffer::new(Kind::Private { with: "Bob".into() }, 10);
        assert!(private.is_private_with(&name_key("BOB")));
        assert!(!private.is_room(&name_key("Bob")));
    }
}
