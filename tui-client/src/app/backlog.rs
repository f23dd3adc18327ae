//! A room's past, from the server's `history` frames: the recent messages replayed on
//! entering a room (dimmed, between a "history" and a "live from here" mark), the events
//! missed while away (after a reconnect, or a join after a part, the client says the last
//! event it saw), and pages of older events, asked for when the reader scrolls to the top.
//!
//! A buffer shows each event once: an event already shown is left out, whichever way it
//! came again. Whatever a server sends, only what belongs is taken: room events (no other
//! frame) of the room the frame names, each id once, at most a buffer's worth; a page of
//! older events only when one was asked for. When the server could not give back
//! everything missed, a mark says so where events are missing.
//!
//! Memory stays bounded by the buffer's cap (`--scrollback`). New events push the oldest
//! out, as always. An older page is put in front only as far as the cap leaves room: a
//! full buffer loads no more, and its top row says so (searching still finds older
//! messages). The newest entries are never dropped to make room for older ones, so the
//! bottom of a buffer is always the live end, and returning to it needs no refetch.

use std::collections::HashSet;

use chat_shared::frame::{ClientFrame, EventId, HistoryReason, ServerFrame};
use chat_shared::name::name_key;
use chat_shared::text::sanitize_text;

use super::buffer::{Membership, Top};
use super::buffers::SERVER;
use super::room_event::{RoomEvent, room_event};
use super::scrollback::{Entry, EntryKind, Mark};
use super::view::View;
use super::{App, Connection, Update};

/// How many older events one scroll to the top asks for.
pub const PAGE_EVENTS: u32 = 100;

/// A `history` frame, taken apart.
pub(super) struct HistoryFrame {
    /// The room it is about.
    pub room: String,
    /// Why it was sent.
    pub reason: HistoryReason,
    /// Its events, oldest first.
    pub events: Vec<ServerFrame>,
    /// For a resume: nothing missed is left out.
    pub complete: bool,
    /// Older events exist before the first one.
    pub more: bool,
}

impl App {
    /// A room's past events, shown in its buffer as `reason` says.
    pub(super) fn on_history(&mut self, history: HistoryFrame) -> Update {
        let room = sanitize_text(&history.room);
        let Some(index) = self.buffers.find_room(&room) else {
            return Update::none();
        };
        let events = self.belonging(index, &room, &history.events);
        match history.reason {
            HistoryReason::Join => self.replayed(index, events, &history),
            HistoryReason::Resume => self.resumed(index, events, history.complete),
            HistoryReason::Older => self.older(index, events, history.more),
        }
        self.clamp_view();
        Update::redraw()
    }

    /// The events of `frames` that belong in the room's buffer at `index`: room events
    /// of `room`, not shown already, each id once, the newest that fit in the buffer.
    fn belonging(&self, index: usize, room: &str, frames: &[ServerFrame]) -> Vec<RoomEvent> {
        let Some(buffer) = self.buffers.get(index) else {
            return Vec::new();
        };
        let key = name_key(room);
        let default = name_key(&self.default_room);
        let mut ids = HashSet::new();
        let mut events: Vec<RoomEvent> = frames
            .iter()
            .filter_map(|frame| room_event(frame, self.me.as_deref()))
            .filter(|event| {
                let of = event.room.as_deref().map_or(default.clone(), name_key);
                of == key && !buffer.log.has(event.id()) && ids.insert(event.id())
            })
            .collect();
        let cap = self.config.scrollback.max(1);
        events.drain(..events.len().saturating_sub(cap));
        events
    }

    /// The recent messages of a room just entered, marked as history; a mark above them
    /// when the events since the last one seen could not all be given back.
    fn replayed(&mut self, index: usize, events: Vec<RoomEvent>, history: &HistoryFrame) {
        let had_history = self
            .log_of(index)
            .is_some_and(|log| log.oldest_id().is_some());
        if !history.complete {
            self.mark(index, Mark::Gap);
        }
        if !events.is_empty() {
            self.mark(index, Mark::History);
            self.append(index, events, true);
            self.mark(index, Mark::Live);
        }
        if !had_history {
            let top = if history.more { Top::More } else { Top::Start };
            self.set_top(index, top);
        }
    }

    /// The events missed while away, in order after what was shown; a mark where some
    /// are missing, when the server could not give back all of them: before the first
    /// one given back if it does not follow the last event seen (the oldest were left
    /// out), else after the last one (the newest were).
    fn resumed(&mut self, index: usize, events: Vec<RoomEvent>, complete: bool) {
        let last_seen = self
            .buffers
            .get(index)
            .and_then(|buffer| buffer.as_room())
            .and_then(|room| room.last_seen);
        let follows = match (last_seen, events.first()) {
            (Some(seen), Some(first)) => {
                first.id()
                    == EventId {
                        epoch: seen.epoch,
                        seq: seen.seq + 1,
                    }
            }
            _ => false,
        };
        // A gap the server marked in place needs no mark at either end.
        let placed = events
            .iter()
            .any(|event| event.entry.kind == EntryKind::Mark(Mark::Gap));
        if !complete && !follows && !placed {
            self.mark(index, Mark::Gap);
        }
        let any = !events.is_empty();
        self.append(index, events, false);
        if !complete && follows && any && !placed {
            self.mark(index, Mark::Gap);
        }
    }

    /// A page of older events, asked for by scrolling to the top (or by a search's
    /// jump): put in front of the oldest entry, as far as the cap leaves room. An event
    /// of the page that is not older than that entry is left out.
    fn older(&mut self, index: usize, events: Vec<RoomEvent>, more: bool) {
        let loading = self
            .buffers
            .get(index)
            .and_then(|buffer| buffer.as_room())
            .is_some_and(|room| room.top == Top::Loading);
        if !loading {
            return;
        }
        let oldest = self.log_of(index).and_then(|log| log.oldest_id());
        let entries: Vec<Entry> = events
            .into_iter()
            .filter(|event| {
                oldest.is_none_or(|oldest| {
                    let id = event.id();
                    id.epoch != oldest.epoch || id.seq < oldest.seq
                })
            })
            .map(|event| Entry {
                replayed: true,
                ..event.entry
            })
            .collect();
        let offered = entries.len();
        let added = match self.buffers.get_mut(index) {
            Some(buffer) => buffer.log.prepend(entries),
            None => return,
        };
        self.set_top(index, if more { Top::More } else { Top::Start });
        self.jump_on(index, added > 0 || offered == 0);
    }

    /// Adds events after the buffer's entries (dimmed if `replayed`); the room's last
    /// event seen is the last of them, and the user's own messages among them are not
    /// sent again.
    fn append(&mut self, index: usize, events: Vec<RoomEvent>, replayed: bool) {
        for event in events {
            if let Some(nonce) = &event.nonce {
                self.outbox.confirm(nonce);
            }
            let id = event.id();
            if let Some(room) = self.buffers.get_mut(index).and_then(|b| b.as_room_mut()) {
                room.last_seen = Some(id);
            }
            self.push(
                index,
                Entry {
                    replayed,
                    ..event.entry
                },
            );
        }
    }

    fn mark(&mut self, index: usize, mark: Mark) {
        self.push_entry(index, None, EntryKind::Mark(mark));
    }

    fn set_top(&mut self, index: usize, top: Top) {
        if let Some(room) = self.buffers.get_mut(index).and_then(|b| b.as_room_mut()) {
            room.top = top;
        }
    }

    /// Asks for the page before the oldest entry of the room's buffer at `index` (up to
    /// the last event seen, when no entry with an id is left, as after `/clear`), unless
    /// one is loading, none is left, the buffer is full or the user is not in the room;
    /// true if asked.
    pub(super) fn load_older(&mut self, index: usize) -> bool {
        let Some(buffer) = self.buffers.get(index) else {
            return false;
        };
        let Some(room) = buffer.as_room() else {
            return false;
        };
        let can = room.top == Top::More
            && room.membership == Membership::In
            && !buffer.log.is_full()
            && self.connection == Connection::LoggedIn;
        if !can {
            return false;
        }
        let after_last_seen = room.last_seen.map(|id| EventId {
            epoch: id.epoch,
            seq: id.seq + 1,
        });
        let frame = ClientFrame::History {
            room: room.name.clone(),
            after: None,
            before: buffer.log.oldest_id().or(after_last_seen),
            limit: Some(PAGE_EVENTS),
        };
        self.set_top(index, Top::Loading);
        self.send_command(frame);
        true
    }

    /// The reader moved: at the top of a room's buffer, the page before it loads, and
    /// the "loading" row above the oldest entry shows.
    pub(super) fn load_older_at_top(&mut self) {
        let pane = self.message_pane();
        let blocks = super::pane::PaneBlocks::new(self, pane.width);
        let at_top = self
            .log()
            .view()
            .shows_top(&blocks, usize::from(pane.height));
        if at_top && self.load_older(self.buffers.current_index()) {
            self.move_view(|view, blocks, rows| match view {
                View::Following => view,
                View::Scrolled(_) => View::top(blocks, rows),
            });
        }
    }

    /// The room's last event seen, to resume from: for `login` (the default room) and
    /// `join`.
    pub(super) fn resume_point(&self, room: &str) -> Option<EventId> {
        let index = self.buffers.find_room(room)?;
        self.buffers.get(index)?.as_room()?.last_seen
    }

    /// The server cannot read history: nothing loads any more, and the server's buffer
    /// says why (and the buffer shown too, when it was waiting for history there).
    pub(super) fn history_unavailable(&mut self, message: String) {
        let waited = self.stop_waiting_for_history();
        self.push_entry(SERVER, None, EntryKind::Error(message.clone()));
        if waited && self.buffers.current_index() != SERVER {
            self.error(message);
        }
    }

    /// No answer to what was asked of history will come (it cannot be read, or the
    /// connection broke): pages stop loading, a jump stops, a search waiting for its
    /// results closes. True if the buffer shown (or the search) was waiting.
    pub(super) fn stop_waiting_for_history(&mut self) -> bool {
        let mut waited = self.jump.take().is_some();
        for index in 0..self.buffers.len() {
            if let Some(room) = self.buffers.get_mut(index).and_then(|b| b.as_room_mut())
                && room.top == Top::Loading
            {
                room.top = Top::More;
                waited |= index == self.buffers.current_index();
            }
        }
        if self.search.as_ref().is_some_and(|s| s.results.is_none()) {
            self.search = None;
            waited = true;
        }
        waited
    }

    fn log_of(&self, index: usize) -> Option<&super::scrollback::Scrollback> {
        self.buffers.get(index).map(|buffer| &buffer.log)
    }
}
