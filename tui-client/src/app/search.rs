//! `/search`: the server's matches in a results view over the chat, and a jump from a
//! result to the message in its buffer.
//!
//! `/search WORDS` searches every room the user is in and their private conversations;
//! `/search -here WORDS` only the room shown. The results view lists the matches, newest
//! first (Up/Down or the wheel select, PgUp/PgDn by a page); Enter shows the message in
//! its buffer, scrolled to it and highlighted; Esc closes the view. A message older than
//! the buffer holds is reached by loading pages back until it shows (contiguous pages,
//! so that the buffer never has a hole), as far as the buffer's cap allows.

use chat_shared::frame::{ClientFrame, EventId, SearchMatch};
use chat_shared::name::name_key;
use chat_shared::text::sanitize_text;
use jiff::Timestamp;

use super::buffer::Top;
use super::room_event::time;
use super::scrollback::EntryKind;
use super::view::{Anchor, View};
use super::{App, Connection, Update};
use crate::keymap::Action;

/// Results a page key moves the selection by.
const RESULTS_PAGE: usize = 10;

/// A search and its results.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Search {
    /// The words searched for.
    pub words: String,
    /// The room searched, or `None` for everything the user can see.
    pub room: Option<String>,
    /// The matches, newest first; `None` until the server answers.
    pub results: Option<Vec<Found>>,
    /// The selected match.
    pub selected: usize,
}

/// One match, sanitized.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    /// The room, or `None` for a private message.
    pub room: Option<String>,
    /// The other party of a private message.
    pub with: Option<String>,
    /// The event's id in its room.
    pub id: EventId,
    /// When it was said.
    pub time: Option<Timestamp>,
    /// Who said it.
    pub from: String,
    /// What was said, on one line.
    pub text: String,
}

impl Found {
    fn new(found: &SearchMatch) -> Self {
        Self {
            room: found.room.as_deref().map(sanitize_text),
            with: found.with.as_deref().map(sanitize_text),
            id: found.id,
            time: time(found.time_ms),
            from: sanitize_text(&found.from),
            text: sanitize_text(&found.text).replace('\n', " "),
        }
    }

    /// Where it was said, as the results view shows it: the room, or `*name*`.
    pub fn place(&self) -> String {
        match (&self.room, &self.with) {
            (Some(room), _) => room.clone(),
            (None, Some(with)) => format!("*{with}*"),
            (None, None) => "?".to_owned(),
        }
    }
}

/// A message a result jumps to, not in its buffer yet: pages load until it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Jump {
    /// The room's buffer.
    pub room: String,
    /// The message.
    pub id: EventId,
}

impl App {
    /// `/search [-here] WORDS`: `here` narrows it to the room shown.
    pub(super) fn search(&mut self, words: String, here: bool) {
        let room = if here {
            let Some(room) = self.buffers.current().as_room() else {
                return self.error("/search -here searches a room: go to its buffer first.");
            };
            Some(room.name.clone())
        } else {
            None
        };
        if self.connection != Connection::LoggedIn {
            return self.error("Not connected: try /search again once reconnected");
        }
        self.send_command(ClientFrame::Search {
            words: words.clone(),
            room: room.clone(),
        });
        self.search = Some(Search {
            words,
            room,
            results: None,
            selected: 0,
        });
    }

    /// The server's matches, for the search shown (an answer to an older one is
    /// dropped).
    pub(super) fn on_search_results(&mut self, words: &str, matches: &[SearchMatch]) -> Update {
        let Some(search) = self.search.as_mut().filter(|s| s.words == words) else {
            return Update::none();
        };
        if search.results.is_some() {
            return Update::none();
        }
        search.results = Some(matches.iter().map(Found::new).collect());
        search.selected = 0;
        Update::redraw()
    }

    /// What a key does while the results view is open.
    pub(super) fn act_on_search(&mut self, action: Action) -> Update {
        let Some(search) = self.search.as_mut() else {
            return Update::none();
        };
        let count = search.results.as_ref().map_or(0, Vec::len);
        let last = count.saturating_sub(1);
        search.selected = match action {
            Action::Escape | Action::ToggleHelp => {
                self.search = None;
                return Update::redraw();
            }
            Action::Submit => return self.jump_to_selected(),
            Action::HistoryUp | Action::WheelUp => search.selected.saturating_sub(1),
            Action::HistoryDown | Action::WheelDown => (search.selected + 1).min(last),
            Action::PageUp => search.selected.saturating_sub(RESULTS_PAGE),
            Action::PageDown => (search.selected + RESULTS_PAGE).min(last),
            Action::Home | Action::ScrollTop => 0,
            Action::End | Action::ScrollBottom => last,
            _ => return Update::none(),
        };
        Update::redraw()
    }

    /// Enter on a result: the view closes, and its message shows in its buffer.
    fn jump_to_selected(&mut self) -> Update {
        let Some(search) = self.search.take() else {
            return Update::none();
        };
        let Some(found) = search
            .results
            .and_then(|results| results.into_iter().nth(search.selected))
        else {
            return Update::redraw();
        };
        match (&found.room, &found.with) {
            (Some(room), _) => self.jump_in_room(room, found.id),
            (None, Some(with)) => self.jump_in_conversation(with, &found),
            (None, None) => {}
        }
        Update::redraw()
    }

    fn jump_in_room(&mut self, room: &str, id: EventId) {
        let Some(index) = self.buffers.find_room(room) else {
            return self.error(format!("{room} has no buffer here: /join {room} first."));
        };
        self.show(index);
        self.buffers.current_mut().log.set_found(Some(id));
        self.jump = Some(Jump {
            room: name_key(room),
            id,
        });
        self.jump_on(index, true);
    }

    /// Goes on with the jump in the room's buffer at `index`, after it changed: shows the
    /// message if it is there, else loads the page before (if `progress` was made and
    /// the message can be further back), else says why it cannot be shown.
    pub(super) fn jump_on(&mut self, index: usize, progress: bool) {
        let Some(jump) = self.jump.clone() else {
            return;
        };
        let Some(buffer) = self.buffers.get(index) else {
            return;
        };
        if !buffer.is_room(&jump.room) {
            return;
        }
        if let Some(at) = buffer.log.position(jump.id) {
            self.jump = None;
            if index == self.buffers.current_index() {
                self.scroll_to(at);
            }
            return;
        }
        let passed = buffer
            .log
            .oldest_id()
            .is_some_and(|oldest| oldest.epoch == jump.id.epoch && oldest.seq < jump.id.seq);
        let loading = buffer
            .as_room()
            .is_some_and(|room| room.top == Top::Loading);
        let full = buffer.log.is_full();
        if loading {
            return;
        }
        if progress && !passed && self.load_older(index) {
            return;
        }
        self.jump = None;
        let why = if full {
            "That message is further back than this buffer keeps (--scrollback)."
        } else {
            "That message cannot be shown here: it is not in the history the server gives back."
        };
        self.info_in(index, why);
    }

    fn jump_in_conversation(&mut self, with: &str, found: &Found) {
        let Some(index) = self.buffers.find_private(with) else {
            return self.error(format!(
                "Your conversation with {with} is not open: /query {with} to open it."
            ));
        };
        self.show(index);
        let at = self.log().entries().iter().position(|entry| {
            entry.time == found.time
                && matches!(&entry.kind, EntryKind::Private { text, .. } if text.replace('\n', " ") == found.text)
        });
        match at {
            Some(at) => self.scroll_to(at),
            None => self.info("That message is older than this conversation's buffer."),
        }
    }

    /// Scrolls the shown buffer so that entry `at` is in the middle of the pane.
    fn scroll_to(&mut self, at: usize) {
        self.move_view(|_, blocks, rows| {
            let bottom = View::Scrolled(Anchor {
                block: at,
                hidden: 0,
            });
            bottom.down(rows / 2, blocks).clamp(blocks, rows)
        });
    }

    /// The search shown in the results view, if one is open.
    pub fn search_view(&self) -> Option<&Search> {
        self.search.as_ref()
    }
}
