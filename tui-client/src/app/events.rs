//! What happened in rooms and conversations, each put in its buffer: messages, actions,
//! arrivals, departures (one by one, or summed up in a big room), renames and topics in
//! their room's (a room event without a room
//! is from a server without rooms, and goes to the default room's), private messages in
//! the conversation with the other person (opened if need be), and the answers to
//! `/who` and `/rooms` in the buffer the user asked from. A room event already in its
//! buffer (the original of a message sent again after a reconnect, or one a room's
//! history brought first) is not shown again, and changes nothing. The user's own
//! messages confirm, by their nonce, the messages sent.

use chat_shared::frame::{BanInfo, RoomInfo, ServerFrame};
use chat_shared::name::name_key;
use chat_shared::text::sanitize_text;
use jiff::Timestamp;
use unicode_width::UnicodeWidthChar;

use super::buffer::{Kind, Membership};
use super::buffers::SERVER;
use super::commands::listing;
use super::room_event::{RoomEvent, room_event, time};
use super::scrollback::EntryKind;
use super::{App, Update};

impl App {
    /// A frame about rooms or conversations (every other frame is handled before).
    pub(super) fn on_event(&mut self, frame: ServerFrame) -> Update {
        if let Some(event) = room_event(&frame, self.me.as_deref()) {
            return self.on_room_event(&frame, event);
        }
        match frame {
            ServerFrame::Private {
                time_ms,
                from,
                to,
                text,
                nonce,
            } => self.on_private(time_ms, &from, &to, &text, nonce.as_deref()),
            ServerFrame::Roster { names, room } => {
                self.on_roster(room.as_deref(), &names);
                Update::redraw()
            }
            ServerFrame::RoomList { rooms } => {
                self.on_room_list(&rooms);
                Update::redraw()
            }
            ServerFrame::BanList { bans } => {
                self.on_ban_list(&bans);
                Update::redraw()
            }
            _ => Update::none(),
        }
    }

    /// A live room event: it changes what the buffer knows of the room (members, topic,
    /// the last event seen) and is shown, unless the buffer shows it already (the
    /// original of a message sent again after a reconnect). The user's own message
    /// confirms the message sent with its nonce.
    fn on_room_event(&mut self, frame: &ServerFrame, event: RoomEvent) -> Update {
        if let EntryKind::Message { own: true, .. } | EntryKind::Action { own: true, .. } =
            event.entry.kind
        {
            self.confirm_sent(event.nonce.as_deref());
        }
        let Some(index) = self.room_index(event.room.as_deref()) else {
            return Update::redraw();
        };
        let id = event.id();
        let Some(buffer) = self.buffers.get_mut(index) else {
            return Update::none();
        };
        if buffer.log.has(id) {
            return Update::none();
        }
        if let Some(room) = buffer.as_room_mut() {
            room.last_seen = Some(id);
            match frame {
                ServerFrame::Joined { name, .. } => room.members.add(sanitize_text(name)),
                ServerFrame::Left { name, .. } => room.members.remove(&sanitize_text(name)),
                ServerFrame::Presence { joined, left, .. } => {
                    joined
                        .iter()
                        .for_each(|name| room.members.add(sanitize_text(name)));
                    left.iter()
                        .for_each(|name| room.members.remove(&sanitize_text(name)));
                }
                ServerFrame::Topic { text, .. } => {
                    let text = sanitize_text(text);
                    room.topic = (!text.is_empty()).then_some(text);
                }
                _ => {}
            }
        }
        if let EntryKind::Renamed { old, new } = &event.entry.kind {
            let (old, new) = (old.clone(), new.clone());
            self.on_renamed(index, event.entry.time, &old, &new);
        }
        let mentions_me = matches!(
            event.entry.kind,
            EntryKind::Message {
                mentions_me: true,
                ..
            } | EntryKind::Action {
                mentions_me: true,
                ..
            }
        );
        self.push(index, event.entry);
        if mentions_me {
            self.bell(Update::redraw())
        } else {
            Update::redraw()
        }
    }

    /// The server answered a message the user sent: the one with this nonce, or (from a
    /// server that echoes none) the oldest in flight.
    fn confirm_sent(&mut self, nonce: Option<&str>) {
        match nonce {
            Some(nonce) => {
                self.outbox.confirm(nonce);
            }
            None => self.outbox.confirm_oldest(),
        }
    }

    /// The buffer of the room an event names (the default room when it names none), if
    /// the user has it open.
    fn room_index(&self, room: Option<&str>) -> Option<usize> {
        match room {
            Some(room) => self.buffers.find_room(&sanitize_text(room)),
            None => self.buffers.find_room(&self.default_room),
        }
    }

    /// Changes the members of the room in the buffer at `index`.
    fn members_of(&mut self, index: usize, change: impl FnOnce(&mut super::roster::Roster)) {
        if let Some(room) = self.buffers.get_mut(index).and_then(|b| b.as_room_mut()) {
            change(&mut room.members);
        }
    }

    /// A private message, in the conversation with the other person, which opens if it
    /// is not open; the user's own comes back as the server's confirmation.
    fn on_private(
        &mut self,
        time_ms: i64,
        from: &str,
        to: &str,
        text: &str,
        nonce: Option<&str>,
    ) -> Update {
        let (from, to, text) = (sanitize_text(from), sanitize_text(to), sanitize_text(text));
        let outgoing = self.is_me(&from);
        if outgoing {
            self.confirm_sent(nonce);
        }
        let index = self
            .buffers
            .private_or_new(if outgoing { &to } else { &from });
        let kind = EntryKind::Private {
            from,
            to,
            text,
            outgoing,
        };
        self.push_entry(index, time(time_ms), kind);
        if outgoing {
            Update::redraw()
        } else {
            self.bell(Update::redraw())
        }
    }

    /// Someone changed name, as the room's buffer at `index` heard (the server tells
    /// each room they are in): the room's members follow. The first time, the user's own
    /// name changes if it was theirs, and a conversation with them follows the new name.
    fn on_renamed(&mut self, index: usize, time: Option<Timestamp>, old: &str, new: &str) {
        self.members_of(index, |members| members.rename(old, new.to_owned()));
        let renamed_me = self.is_me(old);
        if renamed_me {
            self.me = Some(new.to_owned());
            self.claim = Some(new.to_owned());
        }
        if let Some(private) = self.buffers.find_private(old) {
            if let Some(buffer) = self.buffers.get_mut(private) {
                buffer.kind = Kind::Private {
                    with: new.to_owned(),
                };
            }
            let kind = EntryKind::Renamed {
                old: old.to_owned(),
                new: new.to_owned(),
            };
            self.push_entry(private, time, kind);
        }
        if renamed_me {
            self.clamp_view();
        }
    }

    /// The answer to `/who`: the room's members, which its buffer takes if the user is
    /// in it, listed where the user asked.
    fn on_roster(&mut self, room: Option<&str>, names: &[String]) {
        let room = room.map_or_else(|| self.default_room.clone(), sanitize_text);
        let names: Vec<String> = names.iter().map(|name| sanitize_text(name)).collect();
        if let Some(index) = self.buffers.find_room(&room) {
            let joined = self
                .buffers
                .get(index)
                .and_then(|buffer| buffer.as_room())
                .is_some_and(|room| room.membership == Membership::In);
            if joined {
                self.members_of(index, |members| members.set(names.iter().cloned()));
            }
        }
        self.info(format!("In {room} ({}): {}", names.len(), listing(&names)));
    }

    /// The answer to `/rooms`, listed where the user asked, and kept for completion.
    fn on_room_list(&mut self, rooms: &[RoomInfo]) {
        let mut text = format!("Rooms ({}):", rooms.len());
        self.rooms_listed.clear();
        for room in rooms {
            let name = sanitize_text(&room.name);
            text.push_str(&format!("\n  {name} ({})", room.members));
            if let Some(topic) = &room.topic {
                text.push_str(&format!(" {}", sanitize_text(topic)));
            }
            self.rooms_listed.push(name);
        }
        self.info(text);
    }

    /// The answer to `/bans`, in the server's buffer, which is shown.
    fn on_ban_list(&mut self, bans: &[BanInfo]) {
        let mut text = format!("Bans ({}):", bans.len());
        for ban in bans {
            let until = match ban.until_ms.and_then(time) {
                Some(until) => format!("until {}", until.strftime("%Y-%m-%d %H:%M UTC")),
                None => "for ever".to_owned(),
            };
            let why = ban
                .reason
                .as_ref()
                .map_or_else(String::new, |reason| format!(": {}", sanitize_text(reason)));
            text.push_str(&format!(
                "\n  {} {until}, by {}{why}",
                sanitize_text(&ban.target),
                sanitize_text(&ban.by)
            ));
        }
        self.info_in(SERVER, text);
        self.show(SERVER);
    }

    pub(super) fn is_me(&self, name: &str) -> bool {
        self.me
            .as_deref()
            .is_some_and(|me| name_key(me) == name_key(name))
    }
}

/// Whether `text` mentions `name` as a word of its own, in any case.
pub(crate) fn mentions(text: &str, name: &str) -> bool {
    let text = name_key(text);
    let name = name_key(name);
    if name.is_empty() {
        return false;
    }
    // Wide (CJK) characters count as word boundaries: those scripts put no spaces
    // between words, so "李雷你好" does mention 李雷.
    let is_name_char =
        |c: char| (c.is_alphanumeric() || c == '_') && UnicodeWidthChar::width(c) != Some(2);
    text.match_indices(&name).any(|(start, found)| {
        let before = text[..start].chars().next_back();
        let after = text[start + found.len()..].chars().next();
        !before.is_some_and(is_name_char) && !after.is_some_and(is_name_char)
    })
}

#[cfg(test)]
mod tests {
    use super::mentions;

    #[test]
    fn a_mention_is_the_name_as_a_word_in_any_case() {
        assert!(mentions("hey Alice, look", "alice"));
        assert!(mentions("ALICE: hi", "alice"));
        assert!(mentions("@alice", "alice"));
        assert!(!mentions("malice aforethought", "alice"));
        assert!(!mentions("alice_2 is here", "alice"));
        assert!(mentions("李雷你好", "李雷"));
        assert!(mentions("hi 李雷!", "李雷"));
    }
}
