//! Fuzzes the frames of protocol v2 that carry history: `login` and `join` with `after`,
//! the client's `history` and `search`, and the server's `history` (with events nested
//! in it), `search_results` and `gap`.
//!
//! Three ways in, checked the same on every input (no panic; every frame that decodes
//! encodes back to one line that decodes to the same frame):
//! - the bytes as a whole line, for either side's decoder;
//! - the bytes spliced into the one place of a v2 frame where they vary most (the nested
//!   events, the matches, an event id), so that nearly every input reaches those fields;
//! - frames built from the input's numbers and strings, encoded and decoded back, with
//!   every kind of room event nested in a history.

#![no_main]

use chat_shared::frame::{
    ClientFrame, EventId, HistoryReason, LeaveReason, SearchMatch, ServerFrame, decode_client,
    decode_server, encode,
};
use libfuzzer_sys::fuzz_target;

/// Frames with a hole for the fuzzer's bytes, and which side decodes them.
const TEMPLATES: &[(Side, &str, &str)] = &[
    (
        Side::Server,
        r##"{"type":"history","room":"#a","epoch":1,"reason":"resume","events":["##,
        r#"],"complete":false,"more":true}"#,
    ),
    (
        Side::Server,
        r#"{"type":"search_results","words":"a b","matches":["#,
        "]}",
    ),
    (Side::Server, r##"{"type":"gap","room":"#a","epoch":"##, "}"),
    (Side::Client, r#"{"type":"login","name":"a","after":"#, "}"),
    (
        Side::Client,
        r##"{"type":"join","room":"#a","after":"##,
        "}",
    ),
    (
        Side::Client,
        r##"{"type":"history","room":"#a","before":"##,
        "}",
    ),
    (Side::Client, r#"{"type":"search","words":"#, "}"),
];

/// Which decoder a line goes to.
#[derive(Clone, Copy)]
enum Side {
    Client,
    Server,
}

/// Numbers and strings for frames built directly.
type Parts = (
    u8,
    u64,
    u64,
    Option<u64>,
    String,
    String,
    Vec<(u8, u64, u64, String)>,
);

fuzz_target!(|input: (Parts, &[u8])| {
    let (parts, bytes) = input;
    let raw = String::from_utf8_lossy(bytes);
    for line in raw.lines() {
        round_trip(Side::Client, line);
        round_trip(Side::Server, line);
    }
    let (side, head, tail) = TEMPLATES[usize::from(parts.0) % TEMPLATES.len()];
    round_trip(side, &format!("{head}{}{tail}", raw.replace('\n', " ")));
    built(parts);
});

/// Decodes `line` for `side`; if it is a frame, checks that it survives encoding.
fn round_trip(side: Side, line: &str) {
    match side {
        Side::Client => {
            if let Ok(frame) = decode_client(line) {
                assert_eq!(decode_client(&one_line(&encode(&frame))).unwrap(), frame);
            }
        }
        Side::Server => {
            if let Ok(frame) = decode_server(line) {
                assert_eq!(decode_server(&one_line(&encode(&frame))).unwrap(), frame);
            }
        }
    }
}

/// Builds the v2 frames from `parts` and checks that each decodes to itself.
fn built(parts: Parts) {
    let (_, epoch, seq, other, room, text, events) = parts;
    let id = |epoch, seq| EventId { epoch, seq };
    let after = other.map(|seq| id(epoch, seq));
    let clients = [
        ClientFrame::Login {
            name: text.clone(),
            after,
            password: other.map(|_| text.clone()),
        },
        ClientFrame::Join {
            room: room.clone(),
            after,
        },
        ClientFrame::History {
            room: room.clone(),
            after,
            before: Some(id(epoch, seq)),
            limit: other.map(|n| n as u32),
        },
        ClientFrame::Search {
            words: text.clone(),
            room: Some(room.clone()),
        },
    ];
    for frame in clients {
        assert_eq!(decode_client(&one_line(&encode(&frame))).unwrap(), frame);
    }
    let nested: Vec<ServerFrame> = events
        .iter()
        .map(|(kind, epoch, seq, text)| event(*kind, *epoch, *seq, text, &room))
        .collect();
    let matches = events
        .iter()
        .map(|(kind, epoch, seq, text)| SearchMatch {
            room: (kind % 2 == 0).then(|| room.clone()),
            with: (kind % 2 == 1).then(|| text.clone()),
            id: id(*epoch, *seq),
            time_ms: *seq as i64,
            from: room.clone(),
            text: text.clone(),
        })
        .collect();
    let servers = [
        ServerFrame::History {
            room: room.clone(),
            epoch,
            reason: [
                HistoryReason::Join,
                HistoryReason::Resume,
                HistoryReason::Older,
            ][(seq % 3) as usize],
            events: nested,
            complete: seq % 2 == 0,
            more: epoch % 2 == 0,
        },
        ServerFrame::SearchResults {
            words: text.clone(),
            matches,
        },
        ServerFrame::Gap {
            epoch,
            seq,
            through_seq: other.unwrap_or(seq),
            room: Some(room),
        },
    ];
    for frame in servers {
        assert_eq!(decode_server(&one_line(&encode(&frame))).unwrap(), frame);
    }
}

/// A room event of the kind `kind` picks, as a history frame nests it: every kind a
/// room records, the operators' kicks, bans and mutes included.
fn event(kind: u8, epoch: u64, seq: u64, text: &str, room: &str) -> ServerFrame {
    let time_ms = seq as i64;
    let name = || text.to_owned();
    let optional = |present: bool| present.then(name);
    let shared_room = || Some(room.to_owned());
    match kind % 9 {
        0 => ServerFrame::Message {
            epoch,
            seq,
            time_ms,
            from: name(),
            text: name(),
            nonce: Some(name()),
            room: shared_room(),
        },
        1 => ServerFrame::Action {
            epoch,
            seq,
            time_ms,
            from: name(),
            text: name(),
            nonce: None,
            room: shared_room(),
        },
        2 => ServerFrame::Joined {
            epoch,
            seq,
            time_ms,
            name: name(),
            room: shared_room(),
        },
        3 => ServerFrame::Left {
            epoch,
            seq,
            time_ms,
            name: name(),
            reason: [
                LeaveReason::Quit,
                LeaveReason::ConnectionLost,
                LeaveReason::PingTimeout,
                LeaveReason::SendQueueExceeded,
                LeaveReason::Parted,
                LeaveReason::Kicked,
                LeaveReason::Banned,
            ][(epoch % 7) as usize],
            message: optional(seq.is_multiple_of(2)),
            by: optional(epoch.is_multiple_of(2)),
            room: shared_room(),
        },
        4 => ServerFrame::Renamed {
            epoch,
            seq,
            time_ms,
            old: name(),
            new: room.to_owned(),
            room: shared_room(),
        },
        5 => ServerFrame::Topic {
            epoch,
            seq,
            time_ms,
            by: room.to_owned(),
            text: name(),
            room: room.to_owned(),
        },
        6 => ServerFrame::Mute {
            epoch,
            seq,
            time_ms,
            name: name(),
            by: room.to_owned(),
            until_ms: seq.is_multiple_of(2).then_some(epoch as i64),
            reason: optional(epoch.is_multiple_of(2)),
            room: room.to_owned(),
        },
        7 => ServerFrame::Presence {
            epoch,
            seq,
            time_ms,
            joined: vec![name(); (seq % 3) as usize],
            left: vec![room.to_owned(); (epoch % 3) as usize],
            room: room.to_owned(),
        },
        _ => ServerFrame::Gap {
            epoch,
            seq,
            through_seq: seq,
            room: shared_room(),
        },
    }
}

/// An encoded frame as the one line it must be, without its `\n`.
fn one_line(encoded: &[u8]) -> String {
    let (last, line) = encoded
        .split_last()
        .expect("an encoded frame is never empty");
    assert_eq!(*last, b'\n');
    assert!(!line.contains(&b'\n'));
    String::from_utf8(line.to_vec()).expect("encoded frames are UTF-8")
}
