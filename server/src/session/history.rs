//! A room's history for a client: what the store holds when the recent events in memory
//! do not reach back far enough, the pages before an event, and searches. The store is
//! read here, on the client's own thread and outside the room lock.

use chat_shared::frame::{
    ErrorCode, EventId, HistoryReason, SearchMatch, ServerFrame, decode_server,
};
use chat_shared::name::name_key;

use super::machine::Session;
use crate::room::{
    HistoryQuery, RESUME_EVENTS, RoomError, Rooms, conversation_key, fit_history, is_said, now_ms,
    seq_of,
};
use crate::store::{EventKind, Position, RoomCursor, StoredEvent};

/// The most events one `history` request gets.
const PAGE_EVENTS: usize = 200;

/// The most matches one search gets.
const SEARCH_MATCHES: usize = 50;

/// How many of a session's first messages with a nonce are looked up in the store. A
/// client resends its unconfirmed messages (a pacing window, a few) right after it
/// reconnects; the rooms remember recent nonces themselves, so this only matters after a
/// restart, and only the first messages of a session pay for a read.
pub(super) const STORED_NONCE_CHECKS: u32 = 64;

impl Session<'_> {
    /// Whether the message with `nonce` was posted before this server started (the rooms
    /// remember the nonces of this run): then the client gets the original back, and
    /// nothing is posted again. Only the first [`STORED_NONCE_CHECKS`] messages with a
    /// nonce are looked up.
    pub(super) fn posted_before(&mut self, nonce: Option<&str>) -> bool {
        let (Some(nonce), Some(name)) = (nonce, self.name.as_deref()) else {
            return false;
        };
        if self.stored_nonce_checks == 0 {
            return false;
        }
        self.stored_nonce_checks -= 1;
        let found = self
            .shared
            .rooms
            .history()
            .find_nonce(&name_key(name), nonce);
        let original = match found {
            Ok(Some(event)) => decode_server(&event.frame).ok(),
            Ok(None) => None,
            Err(error) => {
                tracing::error!("cannot look for a repeated message: {error}");
                None
            }
        };
        match original {
            Some(frame) => {
                self.reply(&frame);
                true
            }
            None => false,
        }
    }

    /// Reads, before the room lock is taken, the position of the private conversation
    /// with `to`, so that the rooms find it in memory.
    pub(super) fn prepare_conversation(&self, to: &str) {
        let Some(name) = self.name.as_deref() else {
            return;
        };
        let key = conversation_key(name, to);
        if let Err(error) = self.shared.rooms.history().room_cursor(&key) {
            tracing::error!("cannot read a private conversation's history: {error}");
        }
    }

    /// Enters a room with `enter`, first without its cursor (an existing room needs none)
    /// and, when the room must be created, again with its cursor from the store.
    pub(super) fn with_cursor<T>(
        &self,
        room: &str,
        enter: impl Fn(&Rooms, Option<RoomCursor>) -> Result<T, RoomError>,
    ) -> Result<T, RoomError> {
        let rooms = &self.shared.rooms;
        match enter(rooms, None) {
            Err(RoomError::NeedsCursor) => {
                let cursor = rooms
                    .history()
                    .room_cursor(&name_key(room))
                    .map_err(|error| {
                        tracing::error!("cannot read the history of {room}: {error}");
                        RoomError::Closed
                    })?;
                enter(rooms, Some(cursor))
            }
            entered => entered,
        }
    }

    /// Sends the history a client gets on entering a room, read from the store.
    pub(super) fn send_stored_history(&mut self, query: &HistoryQuery) {
        let history = self.shared.rooms.history();
        let (events, complete, more) = match query.after {
            Some(after_seq) => {
                // Too many missed: the newest of them, next to what comes live, and the
                // gap stays right after the client's last event.
                let missed = query.last_seq.saturating_sub(after_seq);
                let page = if missed > RESUME_EVENTS as u64 {
                    let newest = Position {
                        epoch: query.epoch,
                        seq: query.last_seq + 1,
                    };
                    history.before(&query.room_key, Some(newest), RESUME_EVENTS, None)
                } else {
                    history.after(&query.room_key, query.epoch, after_seq, RESUME_EVENTS + 1)
                };
                match page {
                    Ok(page) => {
                        let events = up_to(page.events, query.last_seq);
                        let complete = missed <= RESUME_EVENTS as u64
                            && without_gaps(&events)
                            && events
                                .last()
                                .and_then(seq_of)
                                .is_none_or(|last| last >= query.last_seq);
                        (
                            events.into_iter().take(RESUME_EVENTS).collect(),
                            complete,
                            true,
                        )
                    }
                    Err(error) => return self.unreadable(&error.to_string()),
                }
            }
            None => {
                let limits = self.shared.rooms.limits();
                let (replay, since) = (
                    limits.replay_messages,
                    now_ms() - limits.replay_age.as_millis() as i64,
                );
                match history.before(
                    &query.room_key,
                    Some(Position {
                        epoch: query.epoch,
                        seq: query.last_seq + 1,
                    }),
                    4 * replay,
                    Some(since),
                ) {
                    Ok(page) => {
                        let read = page.events.len();
                        let mut said: Vec<ServerFrame> =
                            frames(page.events).into_iter().filter(is_said).collect();
                        let skip = said.len().saturating_sub(replay);
                        said.drain(..skip);
                        // Events read and not shown are older ones a client may page to.
                        let more = page.more || said.len() < read;
                        (said, !query.stale_resume, more)
                    }
                    Err(error) => return self.unreadable(&error.to_string()),
                }
            }
        };
        let mut events = events;
        let cut = fit_history(&mut events, self.shared.config.send_queue_bytes / 4);
        let (complete, more) = (complete && !cut, more || cut);
        self.reply(&ServerFrame::History {
            room: query.room.clone(),
            epoch: query.epoch,
            reason: if query.after.is_some() || query.stale_resume {
                HistoryReason::Resume
            } else {
                HistoryReason::Join
            },
            events,
            complete,
            more,
        });
    }

    /// Answers a `history` request: the events after `after`, or the page before
    /// `before` (the newest ones when neither is given).
    pub(super) fn history(
        &mut self,
        room: Option<&str>,
        after: Option<EventId>,
        before: Option<EventId>,
        limit: Option<u32>,
    ) {
        let (query, recent) = match self.shared.rooms.room_history(self.id, room, after) {
            Ok(found) => found,
            Err(refusal) => return self.refuse_room(&refusal),
        };
        let limit = limit.map_or(PAGE_EVENTS, |limit| (limit as usize).clamp(1, PAGE_EVENTS));
        if let Some(mut events) = recent {
            let cut = fit_history(&mut events, self.shared.config.send_queue_bytes / 4);
            return self.reply(&ServerFrame::History {
                room: query.room,
                epoch: query.epoch,
                reason: HistoryReason::Resume,
                events,
                complete: !cut,
                more: true,
            });
        }
        let history = self.shared.rooms.history();
        let resume = after.filter(|after| after.epoch == query.epoch);
        let page = match resume {
            Some(after) => history.after(&query.room_key, query.epoch, after.seq, limit),
            None => history.before(
                &query.room_key,
                before.map(|id| Position {
                    epoch: id.epoch,
                    seq: id.seq,
                }),
                limit,
                None,
            ),
        };
        match page {
            Ok(page) => {
                let reason = if after.is_some() {
                    HistoryReason::Resume
                } else {
                    HistoryReason::Older
                };
                let mut events = frames(page.events);
                let budget = self.shared.config.send_queue_bytes / 4;
                let cut = fit_history(&mut events, budget);
                let complete = resume.is_some() && !page.more && !cut && without_gaps(&events);
                self.reply(&ServerFrame::History {
                    room: query.room,
                    epoch: query.epoch,
                    reason,
                    events,
                    complete,
                    more: page.more || cut,
                });
            }
            Err(error) => self.unreadable(&error.to_string()),
        }
    }

    /// Answers a search of the rooms the client is in (or one of them) and its private
    /// conversations.
    pub(super) fn search(&mut self, words: &str, room: Option<&str>) {
        let rooms = match self.shared.rooms.rooms_of(self.id, room) {
            Ok(rooms) => rooms,
            Err(refusal) => return self.refuse_room(&refusal),
        };
        let party = self
            .name
            .as_deref()
            .map(name_key)
            .filter(|_| room.is_none());
        let found =
            self.shared
                .rooms
                .history()
                .search(words, &rooms, party.as_deref(), SEARCH_MATCHES);
        match found {
            Ok(events) => {
                let matches = frames(events)
                    .iter()
                    .filter_map(|frame| self.as_match(frame))
                    .collect();
                self.reply(&ServerFrame::SearchResults {
                    words: words.to_owned(),
                    matches,
                });
            }
            Err(error) => self.unreadable(&error.to_string()),
        }
    }

    fn as_match(&self, frame: &ServerFrame) -> Option<SearchMatch> {
        let me = self.name.as_deref().map(name_key);
        Some(match frame {
            ServerFrame::Message {
                epoch,
                seq,
                time_ms,
                from,
                text,
                room,
                ..
            }
            | ServerFrame::Action {
                epoch,
                seq,
                time_ms,
                from,
                text,
                room,
                ..
            } => SearchMatch {
                room: room.clone(),
                with: None,
                id: EventId {
                    epoch: *epoch,
                    seq: *seq,
                },
                time_ms: *time_ms,
                from: from.clone(),
                text: text.clone(),
            },
            ServerFrame::Private {
                time_ms,
                from,
                to,
                text,
                ..
            } => SearchMatch {
                room: None,
                with: Some(if me.as_deref() == Some(name_key(from).as_str()) {
                    to.clone()
                } else {
                    from.clone()
                }),
                id: EventId { epoch: 0, seq: 0 },
                time_ms: *time_ms,
                from: from.clone(),
                text: text.clone(),
            },
            _ => return None,
        })
    }

    fn unreadable(&mut self, reason: &str) {
        tracing::error!("cannot read history: {reason}");
        self.error(
            ErrorCode::HistoryUnavailable,
            "History cannot be read right now; live chat goes on.",
        );
    }
}

/// The events as frames: each as it was sent live, and a gap as a `gap` frame. One the
/// store cannot give back as a frame is skipped.
fn frames(events: Vec<StoredEvent>) -> Vec<ServerFrame> {
    events
        .into_iter()
        .filter_map(|event| match event.kind {
            EventKind::Gap { through_seq } => Some(ServerFrame::Gap {
                epoch: event.epoch,
                seq: event.seq,
                through_seq,
                room: Some(event.room),
            }),
            _ => decode_server(&event.frame).ok(),
        })
        .collect()
}

/// Whether `events` miss none of the room's events in their range.
fn without_gaps(events: &[ServerFrame]) -> bool {
    !events
        .iter()
        .any(|event| matches!(event, ServerFrame::Gap { .. }))
}

/// The events (as frames) up to `last_seq`: later ones reached the client live.
fn up_to(events: Vec<StoredEvent>, last_seq: u64) -> Vec<ServerFrame> {
    frames(
        events
            .into_iter()
            .filter(|event| event.seq <= last_seq)
            .collect(),
    )
}
