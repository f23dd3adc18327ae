//! Properties of the wire as a whole: any sequence of frames of every kind, encoded and
//! cut into arbitrary reads, comes out of the line decoder and the frame decoder as the
//! same frames, in both directions; and every error code and leave reason has the wire
//! name its `as_str`/`describe` promise.

use chat_shared::codec::LineDecoder;
use chat_shared::frame::{
    ClientFrame, ErrorCode, FloodBudget, LeaveReason, ServerFrame, decode_client, decode_server,
    encode,
};
use proptest::prelude::*;

/// Every error code, as the protocol lists them.
const CODES: [ErrorCode; 24] = [
    ErrorCode::NameTaken,
    ErrorCode::NameInvalid,
    ErrorCode::NameReserved,
    ErrorCode::LineTooLong,
    ErrorCode::InvalidUtf8,
    ErrorCode::BadFrame,
    ErrorCode::UnsupportedVersion,
    ErrorCode::NotLoggedIn,
    ErrorCode::NoSuchUser,
    ErrorCode::EmptyMessage,
    ErrorCode::TooManyLines,
    ErrorCode::UnknownCommand,
    ErrorCode::HandshakeTimeout,
    ErrorCode::ServerFull,
    ErrorCode::TooManyConnections,
    ErrorCode::Throttled,
    ErrorCode::RoomInvalid,
    ErrorCode::NoSuchRoom,
    ErrorCode::NotInRoom,
    ErrorCode::TooManyRooms,
    ErrorCode::TopicTooLong,
    ErrorCode::HistoryUnavailable,
    ErrorCode::ShuttingDown,
    ErrorCode::TlsRequired,
];

/// Every reason for leaving.
const REASONS: [LeaveReason; 5] = [
    LeaveReason::Quit,
    LeaveReason::ConnectionLost,
    LeaveReason::PingTimeout,
    LeaveReason::SendQueueExceeded,
    LeaveReason::Kicked,
];

/// Text of any kind: printable, controls and escapes, quotes and backslashes.
fn text() -> impl Strategy<Value = String> {
    "\\PC{0,30}|[\\x00-\\x7f]{0,30}|[\"\\\\\u{2028}\u{202e}\u{feff}]{0,5}"
}

fn code() -> impl Strategy<Value = ErrorCode> {
    proptest::sample::select(CODES.to_vec())
}

fn reason() -> impl Strategy<Value = LeaveReason> {
    proptest::sample::select(REASONS.to_vec())
}

fn client_frame() -> impl Strategy<Value = ClientFrame> {
    prop_oneof![
        (any::<u32>(), proptest::option::of(text()))
            .prop_map(|(version, client)| ClientFrame::Hello { version, client }),
        text().prop_map(|name| ClientFrame::Login {
            password: None,
            after: None,
            name
        }),
        text().prop_map(|text| ClientFrame::Say {
            nonce: None,
            room: None,
            text
        }),
        text().prop_map(|text| ClientFrame::Me {
            nonce: None,
            room: None,
            text
        }),
        (text(), text()).prop_map(|(to, text)| ClientFrame::Msg {
            nonce: None,
            to,
            text
        }),
        text().prop_map(|name| ClientFrame::Nick { name }),
        Just(ClientFrame::Who { room: None }),
        text().prop_map(|token| ClientFrame::Ping { token }),
        text().prop_map(|token| ClientFrame::Pong { token }),
        proptest::option::of(text()).prop_map(|reason| ClientFrame::Quit { reason }),
    ]
}

fn server_frame() -> impl Strategy<Value = ServerFrame> {
    let event = (any::<u64>(), any::<i64>());
    prop_oneof![
        (
            (any::<u32>(), text(), any::<usize>()),
            proptest::option::of(any::<usize>()),
            proptest::option::of((any::<u32>(), any::<u64>()))
        )
            .prop_map(
                |((version, server, max_line_bytes), max_frame_bytes, flood)| {
                    ServerFrame::Hello {
                        version,
                        server,
                        max_line_bytes,
                        max_frame_bytes,
                        flood: flood.map(|(burst, interval_ms)| FloodBudget { burst, interval_ms }),
                    }
                }
            ),
        (text(), code(), text()).prop_map(|(name, code, message)| ServerFrame::NameRejected {
            name,
            code,
            message
        }),
        (text(), proptest::collection::vec(text(), 0..4)).prop_map(|(name, roster)| {
            ServerFrame::Welcome {
                room: None,
                name,
                roster,
            }
        }),
        (event, text(), text()).prop_map(|((seq, time_ms), from, text)| {
            ServerFrame::Message {
                nonce: None,
                epoch: 0,
                room: None,
                seq,
                time_ms,
                from,
                text,
            }
        }),
        (event, text(), text()).prop_map(|((seq, time_ms), from, text)| {
            ServerFrame::Action {
                nonce: None,
                epoch: 0,
                room: None,
                seq,
                time_ms,
                from,
                text,
            }
        }),
        (any::<i64>(), text(), text(), text()).prop_map(|(time_ms, from, to, text)| {
            ServerFrame::Private {
                nonce: None,
                time_ms,
                from,
                to,
                text,
            }
        }),
        (event, text()).prop_map(|((seq, time_ms), name)| ServerFrame::Joined {
            epoch: 0,
            room: None,
            seq,
            time_ms,
            name
        }),
        (event, text(), reason(), proptest::option::of(text())).prop_map(
            |((seq, time_ms), name, reason, message)| ServerFrame::Left {
                by: None,
                epoch: 0,
                room: None,
                seq,
                time_ms,
                name,
                reason,
                message,
            }
        ),
        (event, text(), text()).prop_map(|((seq, time_ms), old, new)| ServerFrame::Renamed {
            epoch: 0,
            room: None,
            seq,
            time_ms,
            old,
            new
        }),
        proptest::collection::vec(text(), 0..4)
            .prop_map(|names| ServerFrame::Roster { room: None, names }),
        text().prop_map(|text| ServerFrame::Notice { text }),
        (code(), text()).prop_map(|(code, message)| ServerFrame::Error { code, message }),
        text().prop_map(|token| ServerFrame::Ping { token }),
        text().prop_map(|token| ServerFrame::Pong { token }),
        (text(), proptest::option::of(any::<u64>())).prop_map(|(message, retry_within_ms)| {
            ServerFrame::Shutdown {
                message,
                retry_within_ms,
            }
        }),
    ]
}

/// Encodes `frames` back to back, cuts the bytes at `cuts`, and decodes the lines that a
/// decoder capped at `cap` bytes yields.
fn through_the_wire<F: serde::Serialize>(frames: &[F], cuts: &[usize], cap: usize) -> Vec<String> {
    let wire: Vec<u8> = frames.iter().flat_map(encode).collect();
    let mut offsets: Vec<usize> = cuts.iter().map(|c| c % (wire.len() + 1)).collect();
    offsets.sort_unstable();
    let mut decoder = LineDecoder::new(cap);
    let mut lines = Vec::new();
    let mut start = 0;
    for end in offsets.into_iter().chain([wire.len()]) {
        decoder.feed(&wire[start..end], &mut lines);
        start = end;
    }
    assert_eq!(decoder.buffered(), 0, "every frame ends its line");
    lines
        .into_iter()
        .map(|line| line.expect("an encoded frame is a valid line"))
        .collect()
}

proptest! {
    #[test]
    fn client_frame_streams_survive_any_cutting(
        frames in proptest::collection::vec(client_frame(), 0..8),
        cuts in proptest::collection::vec(any::<usize>(), 0..10),
    ) {
        let decoded: Vec<ClientFrame> = through_the_wire(&frames, &cuts, 8192)
            .iter()
            .map(|line| decode_client(line).unwrap())
            .collect();
        prop_assert_eq!(decoded, frames);
    }

    #[test]
    fn server_frame_streams_survive_any_cutting(
        frames in proptest::collection::vec(server_frame(), 0..8),
        cuts in proptest::collection::vec(any::<usize>(), 0..10),
    ) {
        let decoded: Vec<ServerFrame> = through_the_wire(&frames, &cuts, 8192)
            .iter()
            .map(|line| decode_server(line).unwrap())
            .collect();
        prop_assert_eq!(decoded, frames);
    }

    #[test]
    fn encoded_frames_carry_no_raw_c0_control(frame in server_frame()) {
        let line = encode(&frame);
        let body = &line[..line.len() - 1];
        prop_assert!(!body.iter().any(|&b| b < b' '), "{:?}", String::from_utf8_lossy(body));
    }
}

#[test]
fn codes_and_reasons_have_their_documented_wire_names() {
    for code in CODES {
        let frame = ServerFrame::Error {
            code,
            message: String::new(),
        };
        let line = String::from_utf8(encode(&frame)).unwrap();
        assert!(
            line.contains(&format!("\"code\":\"{}\"", code.as_str())),
            "{line}"
        );
    }
    for reason in REASONS {
        let wire = serde_json::to_string(&reason).unwrap();
        assert_eq!(wire.trim_matches('"').replace('_', " "), reason.describe());
    }
}
