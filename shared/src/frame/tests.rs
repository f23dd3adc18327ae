//! Frame shapes, round trips, and decoding that never panics.

use super::*;
use proptest::prelude::*;

#[test]
fn client_frames_have_the_documented_shape() {
    assert_eq!(
        String::from_utf8(encode(&ClientFrame::Hello {
            version: 1,
            client: None
        }))
        .unwrap(),
        "{\"type\":\"hello\",\"version\":1}\n"
    );
    assert_eq!(
        decode_client(r#"{"type":"msg","to":"bob","text":"hi"}"#).unwrap(),
        ClientFrame::Msg {
            nonce: None,
            to: "bob".into(),
            text: "hi".into()
        }
    );
    assert_eq!(
        decode_client(r#"{"type":"who"}"#).unwrap(),
        ClientFrame::Who { room: None }
    );
}

#[test]
fn multi_line_text_stays_on_one_wire_line() {
    let line = encode(&ClientFrame::Say {
        nonce: None,
        room: None,
        text: "one\ntwo".into(),
    });
    assert_eq!(line.iter().filter(|&&b| b == b'\n').count(), 1);
    let text = std::str::from_utf8(&line).unwrap().trim_end();
    assert_eq!(
        decode_client(text).unwrap(),
        ClientFrame::Say {
            nonce: None,
            room: None,
            text: "one\ntwo".into()
        }
    );
}

#[test]
fn unknown_fields_are_ignored_and_unknown_types_refused() {
    assert_eq!(
        decode_client(r#"{"type":"who","future":true}"#).unwrap(),
        ClientFrame::Who { room: None }
    );
    assert!(decode_client(r#"{"type":"teleport"}"#).is_err());
    assert!(decode_client("hello").is_err());
}

#[test]
fn server_frames_use_snake_case_codes_and_reasons() {
    let left = ServerFrame::Left {
        by: None,
        epoch: 3,
        room: None,
        seq: 7,
        time_ms: 1,
        name: "bob".into(),
        reason: LeaveReason::ConnectionLost,
        message: None,
    };
    assert_eq!(
        String::from_utf8(encode(&left)).unwrap(),
        "{\"type\":\"left\",\"epoch\":3,\"seq\":7,\"time_ms\":1,\"name\":\"bob\",\"reason\":\"connection_lost\"}\n"
    );
    let json = serde_json::to_string(&ErrorCode::NameTaken).unwrap();
    assert_eq!(json, format!("\"{}\"", ErrorCode::NameTaken.as_str()));
}

#[test]
fn parses_refusal_lines() {
    assert_eq!(
        parse_refusal("ERROR server_full: the server is full"),
        Some(("server_full", "the server is full"))
    );
    assert_eq!(parse_refusal("* Welcome"), None);
}

fn any_text() -> impl Strategy<Value = String> {
    "\\PC{0,40}|[\\x00-\\x7f]{0,40}"
}

fn any_client_frame() -> impl Strategy<Value = ClientFrame> {
    prop_oneof![
        (any::<u32>(), proptest::option::of(any_text()))
            .prop_map(|(version, client)| ClientFrame::Hello { version, client }),
        (any_text(), proptest::option::of(any_text())).prop_map(|(name, password)| {
            ClientFrame::Login {
                password,
                after: None,
                name,
            }
        }),
        any_text().prop_map(|password| ClientFrame::Register { password }),
        (any_text(), any_text()).prop_map(|(old, new)| ClientFrame::Password { old, new }),
        any_text().prop_map(|password| ClientFrame::Unregister { password }),
        any_text().prop_map(|text| ClientFrame::Say {
            nonce: None,
            room: None,
            text
        }),
        any_text().prop_map(|text| ClientFrame::Me {
            nonce: None,
            room: None,
            text
        }),
        (any_text(), any_text()).prop_map(|(to, text)| ClientFrame::Msg {
            nonce: None,
            to,
            text
        }),
        any_text().prop_map(|name| ClientFrame::Nick { name }),
        Just(ClientFrame::Who { room: None }),
        any_text().prop_map(|token| ClientFrame::Ping { token }),
        any_text().prop_map(|token| ClientFrame::Pong { token }),
        proptest::option::of(any_text()).prop_map(|reason| ClientFrame::Quit { reason }),
    ]
}

fn any_server_frame() -> impl Strategy<Value = ServerFrame> {
    prop_oneof![
        (any_text(), any::<bool>(), any_text()).prop_map(|(name, registered, message)| {
            ServerFrame::Account {
                name,
                registered,
                message,
            }
        }),
        (any::<u64>(), any::<i64>(), any_text(), any_text()).prop_map(
            |(seq, time_ms, from, text)| ServerFrame::Message {
                nonce: None,
                epoch: 0,
                room: None,
                seq,
                time_ms,
                from,
                text
            }
        ),
        (
            any::<u64>(),
            any::<i64>(),
            any_text(),
            proptest::option::of(any_text())
        )
            .prop_map(|(seq, time_ms, name, message)| ServerFrame::Left {
                by: None,
                epoch: 0,
                room: None,
                seq,
                time_ms,
                name,
                reason: LeaveReason::Quit,
                message
            }),
        proptest::collection::vec(any_text(), 0..5)
            .prop_map(|names| ServerFrame::Roster { room: None, names }),
        (any_text(), any_text()).prop_map(|(name, message)| ServerFrame::NameRejected {
            name,
            code: ErrorCode::NameTaken,
            message
        }),
    ]
}

proptest! {
    #[test]
    fn client_frames_round_trip_as_one_line(frame in any_client_frame()) {
        let line = encode(&frame);
        prop_assert_eq!(line.last(), Some(&b'\n'));
        prop_assert!(!line[..line.len() - 1].contains(&b'\n'));
        let text = std::str::from_utf8(&line[..line.len() - 1]).unwrap();
        prop_assert_eq!(decode_client(text).unwrap(), frame);
    }

    #[test]
    fn server_frames_round_trip_as_one_line(frame in any_server_frame()) {
        let line = encode(&frame);
        prop_assert!(!line[..line.len() - 1].contains(&b'\n'));
        let text = std::str::from_utf8(&line[..line.len() - 1]).unwrap();
        prop_assert_eq!(decode_server(text).unwrap(), frame);
    }

    #[test]
    fn decoding_never_panics(line in "\\PC*|\\{.*") {
        let _ = decode_client(&line);
        let _ = decode_server(&line);
    }
}

#[test]
fn deeply_nested_lines_are_refused_before_parsing_in_both_directions() {
    for depth in [MAX_FRAME_DEPTH + 1, 120, 5000] {
        let arrays = "[".repeat(depth);
        let objects = r#"{"a":"#.repeat(depth);
        for line in [
            arrays.clone(),
            format!(r#"{{"type":"say","text":"x","extra":{arrays}}}"#),
            format!(r#"{{"extra":{objects},"type":"hello","version":1}}"#),
        ] {
            assert!(matches!(decode_client(&line), Err(FrameError::TooDeep)));
            assert!(matches!(decode_server(&line), Err(FrameError::TooDeep)));
        }
    }
}

#[test]
fn frames_nested_within_the_bound_still_decode() {
    let nested = format!(
        r#"{{"type":"who","extra":{}1{}}}"#,
        "[".repeat(MAX_FRAME_DEPTH - 1),
        "]".repeat(MAX_FRAME_DEPTH - 1)
    );
    assert_eq!(
        decode_client(&nested).unwrap(),
        ClientFrame::Who { room: None }
    );
}

#[test]
fn hello_carries_the_limits_a_client_paces_itself_by() {
    let hello = ServerFrame::Hello {
        version: 1,
        server: "s".into(),
        max_line_bytes: 8192,
        max_frame_bytes: Some(1_000_000),
        flood: Some(FloodBudget {
            burst: 10,
            interval_ms: 500,
        }),
    };
    assert_eq!(
        String::from_utf8(encode(&hello)).unwrap(),
        "{\"type\":\"hello\",\"version\":1,\"server\":\"s\",\"max_line_bytes\":8192,\
         \"max_frame_bytes\":1000000,\"flood\":{\"burst\":10,\"interval_ms\":500}}\n"
    );
    let older = r#"{"type":"hello","version":1,"server":"s","max_line_bytes":8192}"#;
    assert!(matches!(
        decode_server(older).unwrap(),
        ServerFrame::Hello {
            max_frame_bytes: None,
            flood: None,
            ..
        }
    ));
}
