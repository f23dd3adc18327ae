//! What a line means: the first one chooses the mode; lines that cannot be read are
//! answered, and too many of them close the connection; answers keep the order of the
//! lines they answer.

use chat_shared::codec::LineError;
use chat_shared::frame::{ClientFrame, ErrorCode, ServerFrame, encode};

use super::{End, Next, World};

fn json(frame: &ClientFrame) -> String {
    String::from_utf8(encode(frame))
        .unwrap()
        .trim_end()
        .to_owned()
}

#[test]
fn the_banner_asks_for_a_name() {
    let world = World::new(|_| {});
    let client = world.connect();
    assert_eq!(
        client.read(),
        [
            format!(
                "* Welcome to chat-server {} (0 online).",
                env!("CARGO_PKG_VERSION")
            ),
            "* Choose a username (letters, digits, _ - . ; up to 24 characters):".to_owned(),
        ]
    );
}

#[test]
fn a_hello_chooses_structured_mode_and_anything_else_plain_mode() {
    let world = World::new(|_| {});
    let mut program = world.connect();
    program.read();
    assert_eq!(program.send(r#"{"type":"hello","version":3}"#), Next::Read);
    assert!(matches!(
        program.frames().as_slice(),
        [ServerFrame::Hello { version: 3, .. }]
    ));
    program.send("alice");
    assert!(
        matches!(
            program.frames().as_slice(),
            [ServerFrame::Error {
                code: ErrorCode::BadFrame,
                ..
            }]
        ),
        "structured mode reads JSON only"
    );

    let mut person = world.connect();
    person.read();
    assert_eq!(person.send("alice"), Next::Read);
    let lines = person.read();
    assert_eq!(lines[0], "* Welcome, alice! 1 online: alice");
}

#[test]
fn a_hello_in_another_version_is_refused_and_closes() {
    let world = World::new(|_| {});
    let mut program = world.connect();
    program.read();
    let next = program.send(r#"{"type":"hello","version":99}"#);
    assert_eq!(next, Next::Close(End::UnsupportedVersion));
    assert!(matches!(
        program.frames().as_slice(),
        [ServerFrame::Error {
            code: ErrorCode::UnsupportedVersion,
            ..
        }]
    ));
}

#[test]
fn a_first_line_too_deep_to_read_is_refused_in_json_and_the_mode_stays_open() {
    let world = World::new(|_| {});
    let mut program = world.connect();
    program.read();
    assert_eq!(program.send(&"[".repeat(100)), Next::Read);
    assert!(matches!(
        program.frames().as_slice(),
        [ServerFrame::Error {
            code: ErrorCode::BadFrame,
            ..
        }]
    ));
    program.send(r#"{"type":"hello","version":3}"#);
    assert!(matches!(
        program.frames().as_slice(),
        [ServerFrame::Hello { .. }]
    ));
}

#[test]
fn the_third_over_long_line_closes_the_connection() {
    let world = World::new(|c| c.max_line_bytes = 100);
    let mut alice = world.plain("alice");
    for _ in 0..2 {
        assert_eq!(alice.send_read(&[Err(LineError::TooLong)]), Next::Read);
        assert_eq!(
            alice.read(),
            ["! Line longer than 100 bytes; it was discarded."]
        );
    }
    assert_eq!(
        alice.send_read(&[Err(LineError::TooLong)]),
        Next::Close(End::Kicked)
    );
    assert_eq!(alice.read(), ["! Too many over-long lines; closing."]);
}

#[test]
fn a_line_that_is_not_utf8_is_answered_and_the_connection_stays() {
    let world = World::new(|_| {});
    let mut alice = world.plain("alice");
    for _ in 0..5 {
        assert_eq!(alice.send_read(&[Err(LineError::InvalidUtf8)]), Next::Read);
        assert_eq!(
            alice.read(),
            ["! That line was not valid UTF-8; it was discarded."]
        );
    }
}

#[test]
fn a_line_that_never_ends_closes_the_connection() {
    let world = World::new(|_| {});
    let mut alice = world.plain("alice");
    assert_eq!(alice.session.on_input_done(Some(64 * 1024)), Next::Read);
    assert_eq!(
        alice.session.on_input_done(Some(64 * 1024 + 1)),
        Next::Close(End::Kicked)
    );
    assert_eq!(alice.read(), ["! That line never ends; closing."]);
}

#[test]
fn answers_keep_the_order_of_the_lines_of_one_read() {
    let world = World::new(|_| {});
    let mut alice = world.structured("alice");
    let bob = world.plain("bob");
    alice.frames();
    let say = |text: &str| {
        Ok(json(&ClientFrame::Say {
            nonce: None,
            room: None,
            text: text.to_owned(),
        }))
    };
    let read = [
        say("one"),
        say("two"),
        Ok("not json".to_owned()),
        say(""),
        say("three"),
    ];
    assert_eq!(alice.send_read(&read), Next::Read);
    let seen: Vec<String> = alice
        .frames()
        .into_iter()
        .map(|frame| match frame {
            ServerFrame::Message { text, .. } => text,
            ServerFrame::Error { code, .. } => code.as_str().to_owned(),
            other => format!("{other:?}"),
        })
        .collect();
    assert_eq!(seen, ["one", "two", "bad_frame", "empty_message", "three"]);
    let to_bob: Vec<String> = bob.read();
    assert_eq!(to_bob.len(), 3, "{to_bob:?}");
    assert!(to_bob[0].ends_with("<alice> one") && to_bob[2].ends_with("<alice> three"));
}
