//! Fuzzes plain mode, the mode a person with `nc` types in: `plain::parse` on any line,
//! and `plain::render` of every frame that carries user text.
//!
//! Checked on every input: no panic; before joining, a line can only be a name attempt,
//! `/quit`, `/help` or nothing; after joining, a message is the typed line (trimmed, with
//! a leading `//` turned into `/`); and once text went through `sanitize_text`, what is
//! rendered is whole `\r\n`-terminated lines without any other control character, no
//! user's line reads as a room notice (the time, then `-!-`), and no user text keeps a run
//! of blanks that could push a forged line onto a row of its own.

#![no_main]

use chat_server::plain::{NOTICE_MARK, parse, render, render_elsewhere};
use chat_server::request::Request;
use chat_shared::frame::{ErrorCode, LeaveReason, ServerFrame};
use chat_shared::text::sanitize_text;
use jiff::tz::TimeZone;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|input: (bool, i64, &str)| {
    let (joined, time_ms, line) = input;
    check_parse(line, joined);
    let text = sanitize_text(line);
    for frame in frames_carrying(&text, time_ms) {
        check_rendered(&frame, &render(&frame, &TimeZone::UTC));
        check_rendered(&frame, &render_elsewhere(&frame, &TimeZone::UTC));
    }
});

/// What `parse` may make of `line`.
fn check_parse(line: &str, joined: bool) {
    let typed = line.trim();
    match parse(line, joined) {
        Ok(Request::Nothing) => assert!(typed.is_empty()),
        Ok(Request::Login(name)) => {
            assert!(!joined);
            assert_eq!(name, typed);
        }
        Ok(Request::Quit(_) | Request::Help) => assert!(typed.starts_with('/')),
        Ok(Request::Say { text, room: None }) => {
            assert!(joined);
            let expected = match typed.strip_prefix("//") {
                Some(rest) => format!("/{rest}"),
                None => typed.to_owned(),
            };
            assert_eq!(text, expected);
        }
        Ok(Request::Me { text, room: None } | Request::Nick(text)) => {
            assert!(joined && typed.starts_with('/') && !text.is_empty());
        }
        Ok(
            Request::Join(_)
            | Request::Part {
                room: None | Some(_),
                ..
            }
            | Request::Rooms
            | Request::Topic { room: None, .. },
        ) => assert!(joined && typed.starts_with('/')),
        Ok(request @ (Request::Say { .. } | Request::Me { .. } | Request::Topic { .. })) => {
            panic!("plain mode names no room in {request:?}")
        }
        Ok(Request::Msg { to, text }) => {
            assert!(joined && !to.is_empty() && !text.trim().is_empty());
        }
        Ok(Request::Who(_)) => assert!(joined),
        Ok(request @ (Request::Ping(_) | Request::Pong)) => {
            panic!("plain mode has no {request:?}")
        }
        Err(frame) => {
            assert!(joined && typed.starts_with('/'));
            assert!(!frame.message.is_empty(), "{frame:?}");
        }
    }
}

/// Every frame kind whose rendering includes user text, filled with `text`.
fn frames_carrying(text: &str, time_ms: i64) -> Vec<ServerFrame> {
    let name = || "someone".to_owned();
    vec![
        ServerFrame::Message {
            room: Some("#general".to_owned()),
            seq: 1,
            time_ms,
            from: name(),
            text: text.to_owned(),
        },
        ServerFrame::Action {
            room: Some("#general".to_owned()),
            seq: 2,
            time_ms,
            from: name(),
            text: text.to_owned(),
        },
        ServerFrame::Private {
            time_ms,
            from: name(),
            to: name(),
            text: text.to_owned(),
        },
        ServerFrame::Left {
            room: Some("#general".to_owned()),
            seq: 3,
            time_ms,
            name: name(),
            reason: LeaveReason::Quit,
            message: Some(text.to_owned()),
        },
        ServerFrame::NameRejected {
            name: text.to_owned(),
            code: ErrorCode::NameInvalid,
            message: text.to_owned(),
        },
        ServerFrame::Error {
            code: ErrorCode::NoSuchUser,
            message: text.to_owned(),
        },
        ServerFrame::Notice {
            text: text.to_owned(),
        },
        ServerFrame::Topic {
            seq: 4,
            time_ms,
            by: name(),
            text: text.replace('\n', " "),
            room: "#general".to_owned(),
        },
    ]
}

/// Rendered output is whole CRLF lines, one per line of text, and nothing else controls
/// the terminal.
fn check_rendered(frame: &ServerFrame, rendered: &[u8]) {
    let rendered = std::str::from_utf8(rendered).expect("render produces UTF-8");
    let body = rendered
        .strip_suffix("\r\n")
        .unwrap_or_else(|| panic!("{frame:?} rendered without a final CRLF: {rendered:?}"));
    let user_line = matches!(
        frame,
        ServerFrame::Message { .. } | ServerFrame::Action { .. } | ServerFrame::Private { .. }
    );
    for line in body.split("\r\n") {
        assert!(
            !line.chars().any(char::is_control),
            "{frame:?} rendered a control character: {line:?}"
        );
        if user_line {
            let after_time = line.split_once("] ").map_or(line, |(_, rest)| rest);
            assert!(
                !after_time.starts_with(NOTICE_MARK),
                "a forged notice: {line:?}"
            );
        }
        if user_line || matches!(frame, ServerFrame::Left { .. } | ServerFrame::Topic { .. }) {
            assert!(
                !line.contains("  ") && !line.contains(" \u{3000}"),
                "a run of blanks: {line:?}"
            );
        }
    }
}
