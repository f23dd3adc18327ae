//! The buffers, in the order the list shows them (the server's first, then rooms and
//! conversations as they opened), and which one is shown.
//!
//! Each buffer keeps at most `--scrollback` entries of its own: a quiet room's history
//! is not pushed out by a busy one. What that costs is bounded by the rooms a user may
//! be in (the server's `--max-rooms-per-user`) and by who writes to the user privately,
//! each conversation holding only what was said in it.

use chat_shared::name::name_key;

use super::buffer::{Buffer, Kind};
use super::scrollback::Entry;

/// Where the server's buffer is: always first, never closed.
pub const SERVER: usize = 0;

/// Every buffer, and the one shown.
#[derive(Debug)]
pub struct Buffers {
    /// In the list's order; the server's first.
    list: Vec<Buffer>,
    /// The one shown.
    current: usize,
    /// Entries each new buffer keeps.
    scrollback: usize,
}

impl Buffers {
    /// The server's buffer alone, shown; each buffer keeps `scrollback` entries.
    pub fn new(scrollback: usize) -> Self {
        Self {
            list: vec![Buffer::new(Kind::Server, scrollback)],
            current: SERVER,
            scrollback,
        }
    }

    /// Every buffer, in the list's order.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = &Buffer> {
        self.list.iter()
    }

    /// How many there are.
    pub fn len(&self) -> usize {
        self.list.len()
    }

    /// Whether there are none; never, the server's buffer is always there.
    pub fn is_empty(&self) -> bool {
        self.list.is_empty()
    }

    /// Where the shown buffer is in the list.
    pub fn current_index(&self) -> usize {
        self.current
    }

    /// The buffer shown.
    pub fn current(&self) -> &Buffer {
        &self.list[self.current]
    }

    /// The buffer shown, to change.
    pub(crate) fn current_mut(&mut self) -> &mut Buffer {
        &mut self.list[self.current]
    }

    /// The buffer at `index`.
    pub fn get(&self, index: usize) -> Option<&Buffer> {
        self.list.get(index)
    }

    /// The buffer at `index`, to change.
    pub(crate) fn get_mut(&mut self, index: usize) -> Option<&mut Buffer> {
        self.list.get_mut(index)
    }

    /// Where the buffer of the room named `room` (in any case) is.
    pub fn find_room(&self, room: &str) -> Option<usize> {
        self.find_room_key(&name_key(room))
    }

    /// Where the buffer of the room whose [`name_key`] is `key` is.
    pub fn find_room_key(&self, key: &str) -> Option<usize> {
        self.list.iter().position(|buffer| buffer.is_room(key))
    }

    /// Where the conversation with `name` (in any case) is.
    pub fn find_private(&self, name: &str) -> Option<usize> {
        let key = name_key(name);
        self.list
            .iter()
            .position(|buffer| buffer.is_private_with(&key))
    }

    /// The room's buffer, opened at the end of the list (not joined yet) if there is
    /// none.
    pub(crate) fn room_or_new(&mut self, room: &str) -> usize {
        self.find_room(room).unwrap_or_else(|| {
            self.list.push(Buffer::room(room, self.scrollback));
            self.list.len() - 1
        })
    }

    /// The conversation with `name`, opened at the end of the list if there is none.
    pub(crate) fn private_or_new(&mut self, name: &str) -> usize {
        self.find_private(name).unwrap_or_else(|| {
            let with = name.to_owned();
            self.list
                .push(Buffer::new(Kind::Private { with }, self.scrollback));
            self.list.len() - 1
        })
    }

    /// Shows the buffer at `index`: the one left keeps a mark of where the reader left
    /// off, and nothing in the one shown is unseen any more. False if there is no such
    /// buffer or it is shown already.
    pub(crate) fn show(&mut self, index: usize) -> bool {
        if index == self.current || index >= self.list.len() {
            return false;
        }
        self.list[self.current].log.leave();
        self.current = index;
        self.list[index].seen();
        true
    }

    /// Closes the buffer at `index` (not the server's); if it was shown, the one before
    /// it is shown instead.
    pub(crate) fn close(&mut self, index: usize) {
        if index == SERVER || index >= self.list.len() {
            return;
        }
        self.list.remove(index);
        if self.current == index {
            self.current = index - 1;
            self.list[self.current].seen();
        } else if self.current > index {
            self.current -= 1;
        }
    }

    /// Adds an entry to the buffer at `index`, unseen unless it is shown; `queued` is
    /// how many queued messages its pane draws after the entries.
    pub(crate) fn push(&mut self, index: usize, entry: Entry, queued: usize) {
        let shown = index == self.current;
        if let Some(buffer) = self.list.get_mut(index) {
            buffer.push(entry, queued, shown);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::scrollback::EntryKind;

    fn message(text: &str) -> Entry {
        Entry {
            id: None,
            replayed: false,
            time: None,
            kind: EntryKind::Message {
                from: "bob".into(),
                text: text.into(),
                own: false,
                mentions_me: false,
            },
        }
    }

    #[test]
    fn opens_each_room_and_conversation_once_after_the_server() {
        let mut buffers = Buffers::new(10);
        assert_eq!(buffers.current().name(), "server");
        assert_eq!(buffers.room_or_new("#general"), 1);
        assert_eq!(buffers.private_or_new("bob"), 2);
        assert_eq!(buffers.room_or_new("#GENERAL"), 1);
        assert_eq!(buffers.private_or_new("Bob"), 2);
        let names: Vec<&str> = buffers.iter().map(Buffer::name).collect();
        assert_eq!(names, ["server", "#general", "bob"]);
    }

    #[test]
    fn what_arrives_in_a_buffer_not_shown_is_unseen_until_it_is_shown() {
        let mut buffers = Buffers::new(10);
        let general = buffers.room_or_new("#general");
        let dev = buffers.room_or_new("#dev");
        assert!(buffers.show(general));
        buffers.push(general, message("seen"), 0);
        buffers.push(dev, message("unseen"), 0);
        buffers.push(dev, message("unseen too"), 0);
        assert_eq!(buffers.get(general).unwrap().unread(), 0);
        assert_eq!(buffers.get(dev).unwrap().unread(), 2);
        buffers.push(general, message("still here"), 0);
        assert!(buffers.show(dev));
        assert_eq!(buffers.get(dev).unwrap().unread(), 0);
        assert!(!buffers.show(dev), "shown already");
        buffers.push(general, message("while away"), 0);
        assert_eq!(
            buffers.get(general).unwrap().log().marker(),
            Some(2),
            "the first entry new to the reader"
        );
    }

    #[test]
    fn closing_the_shown_buffer_shows_the_one_before_and_the_server_stays() {
        let mut buffers = Buffers::new(10);
        let general = buffers.room_or_new("#general");
        let bob = buffers.private_or_new("bob");
        buffers.show(bob);
        buffers.close(bob);
        assert_eq!(buffers.current_index(), general);
        buffers.close(SERVER);
        assert_eq!(buffers.len(), 2);
        buffers.show(SERVER);
        buffers.close(general);
        assert_eq!(buffers.current_index(), SERVER);
    }
}
