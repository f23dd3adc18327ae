//! Who is in which room, and who speaks where.
//!
//! Every client is in the default room, where the server puts everyone at login. With
//! side rooms, client `i` is also in side room `i % rooms`, named `#room{i % rooms}`. The
//! senders are the first clients: of the first `rooms × per_room`, sender `k` speaks in
//! side room `k % rooms` (its own), and the `general` after them speak in the default
//! room. Every client therefore hears `per_room + general` senders, whatever its room. A
//! layout without side rooms is the one-room fan-out.

use memchr::memmem;

/// Side rooms are named this, then their number.
const SIDE_ROOM_PREFIX: &str = "#room";

/// Where a sender speaks, or where a delivered message says it was said.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Place {
    /// The default room.
    Default,
    /// Side room number `n`.
    Side(u32),
}

impl Place {
    /// The place a received frame names in its `room` field: a side room's name is that
    /// side room, any other name the default room (whose name is the server's choice).
    /// `None` if the frame names no room.
    pub fn of_frame(line: &[u8]) -> Option<Place> {
        const FIELD: &[u8] = br#""room":""#;
        let start = memmem::rfind(line, FIELD)? + FIELD.len();
        let rest = &line[start..];
        let name = &rest[..memchr::memchr(b'"', rest)?];
        let number = name
            .strip_prefix(SIDE_ROOM_PREFIX.as_bytes())
            .and_then(|n| std::str::from_utf8(n).ok())
            .and_then(|n| n.parse().ok());
        Some(number.map_or(Place::Default, Place::Side))
    }
}

/// The rooms of a run and its senders' places.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Layout {
    /// Side rooms; 0: everyone is in the default room only.
    pub rooms: u32,
    /// Senders in each side room.
    pub per_room: u32,
    /// Senders in the default room.
    pub general: u32,
}

impl Layout {
    /// Everyone in the default room only, `senders` of them speaking there.
    pub fn one_room(senders: u32) -> Self {
        Self {
            rooms: 0,
            per_room: 0,
            general: senders,
        }
    }

    /// Senders in all.
    pub fn senders(&self) -> u32 {
        self.rooms * self.per_room + self.general
    }

    /// Where sender `sender` speaks; `None` if there is no such sender.
    pub fn place_of_sender(&self, sender: u32) -> Option<Place> {
        let in_side_rooms = self.rooms * self.per_room;
        if sender < in_side_rooms {
            Some(Place::Side(sender % self.rooms))
        } else if sender < self.senders() {
            Some(Place::Default)
        } else {
            None
        }
    }

    /// The side room client `id` joins after login, if there are side rooms.
    pub fn side_room_of(&self, id: usize) -> Option<String> {
        self.side_room_number(id).map(side_room_name)
    }

    /// The room sender `sender` names when it speaks: none for the default room (a
    /// `say` without a room goes there), the name of its side room otherwise.
    pub fn say_room(&self, sender: u32) -> Option<String> {
        match self.place_of_sender(sender)? {
            Place::Default => None,
            Place::Side(n) => Some(side_room_name(n)),
        }
    }

    /// Timed messages each client should receive when each sender sends `messages`.
    pub fn expected_per_client(&self, messages: u32) -> u64 {
        let heard = if self.rooms > 0 {
            self.per_room + self.general
        } else {
            self.general
        };
        u64::from(heard) * u64::from(messages)
    }

    /// Whether client `id` should receive what `sender` says, in a frame that names the
    /// room `said_in`. With side rooms the frame must name the sender's room; without,
    /// the room is not checked (the baseline names none).
    pub fn delivers(&self, id: usize, sender: u32, said_in: Option<Place>) -> bool {
        let Some(place) = self.place_of_sender(sender) else {
            return false;
        };
        let member = match place {
            Place::Default => true,
            Place::Side(n) => self.side_room_number(id) == Some(n),
        };
        member && (self.rooms == 0 || said_in == Some(place))
    }

    /// Whether a delivery's room is checked, so that [`Place::of_frame`] is worth reading.
    pub fn checks_rooms(&self) -> bool {
        self.rooms > 0
    }

    fn side_room_number(&self, id: usize) -> Option<u32> {
        (self.rooms > 0).then(|| (id % self.rooms as usize) as u32)
    }
}

fn side_room_name(n: u32) -> String {
    format!("{SIDE_ROOM_PREFIX}{n}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use chat_shared::frame::{ServerFrame, encode};

    const ROOMS: Layout = Layout {
        rooms: 3,
        per_room: 2,
        general: 4,
    };

    fn message_in(room: Option<&str>) -> Vec<u8> {
        encode(&ServerFrame::Message {
            nonce: None,
            epoch: 0,
            room: room.map(str::to_owned),
            seq: 1,
            time_ms: 1,
            from: "b1-0".into(),
            text: r##"say "room":"#room9" here"##.into(),
        })
    }

    #[test]
    fn reads_the_room_a_frame_names() {
        assert_eq!(
            Place::of_frame(&message_in(Some("#room12"))),
            Some(Place::Side(12))
        );
        assert_eq!(
            Place::of_frame(&message_in(Some("#general"))),
            Some(Place::Default)
        );
        assert_eq!(Place::of_frame(&message_in(None)), None);
    }

    #[test]
    fn senders_speak_in_their_own_side_room_then_in_the_default_room() {
        assert_eq!(ROOMS.senders(), 10);
        assert_eq!(ROOMS.place_of_sender(4), Some(Place::Side(1)));
        assert_eq!(ROOMS.say_room(4), ROOMS.side_room_of(4));
        assert_eq!(ROOMS.place_of_sender(6), Some(Place::Default));
        assert_eq!(ROOMS.say_room(9), None);
        assert_eq!(ROOMS.place_of_sender(10), None);
        assert_eq!(ROOMS.side_room_of(7).as_deref(), Some("#room1"));
        assert_eq!(ROOMS.expected_per_client(5), 30);
    }

    #[test]
    fn delivers_a_side_rooms_messages_to_its_members_only_and_named_as_said() {
        let side = Some(Place::Side(1));
        assert!(ROOMS.delivers(7, 4, side));
        assert!(!ROOMS.delivers(8, 4, side));
        assert!(!ROOMS.delivers(7, 4, Some(Place::Default)));
        assert!(ROOMS.delivers(8, 6, Some(Place::Default)));
        assert!(!ROOMS.delivers(8, 6, None));
        assert!(!ROOMS.delivers(8, 10, Some(Place::Default)));
    }

    #[test]
    fn one_room_delivers_every_senders_messages_to_everyone_unnamed() {
        let one = Layout::one_room(2);
        assert_eq!(one.side_room_of(5), None);
        assert_eq!(one.say_room(1), None);
        assert_eq!(one.expected_per_client(3), 6);
        assert!(one.delivers(5, 1, None));
        assert!(!one.delivers(5, 2, None));
        assert!(!one.checks_rooms());
    }
}
