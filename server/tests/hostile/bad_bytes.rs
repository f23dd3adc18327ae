//! Scenario 4, bad bytes: invalid UTF-8, NUL, C0 and C1 controls, escape sequences (CSI,
//! OSC 52 clipboard writes, OSC 8 links, DCS), bidi overrides and invisible characters,
//! sent in every place a client can put text, in both modes. Each gets a clear error or
//! is sanitized to exactly its printable text; no receiver ever gets a raw escape,
//! control or bidi character (the test clients check every line they receive).

use chat_shared::frame::{ClientFrame, ErrorCode, ServerFrame};

use crate::member::{Event, Member, Speaks};
use crate::support::{Conn, Plain, Structured, start_server};
use crate::usable::assert_still_usable;

/// Hostile texts and what is left of each after sanitizing.
const TEXTS: &[(&str, &str)] = &[
    ("\x1b[2J\x1b[H\x1b[31mred\x1b[0m", "red"),
    ("a\x1b]52;c;ZXZpbA==\x07b", "ab"),
    (
        "\x1b]8;;http://evil.example/\x1b\\link\x1b]8;;\x1b\\",
        "link",
    ),
    ("x\x1bP1$r0m\x1b\\y", "xy"),
    ("n\0u\x01l\x07l\x08s\x7f", "nulls"),
    ("c\u{85}1\u{9b}2\u{9d}3", "c123"),
    (
        "\u{202e}evil\u{202c} \u{2066}iso\u{2069}\u{200f}",
        "evil iso",
    ),
    ("tab\tand\rreturn", "tab andreturn"),
];

/// Names that must be refused, each for a character no name may hold.
const NAMES: &[&str] = &[
    "bad\x1b[31m",
    "bad\x1b]8;;x\x07",
    "nul\0",
    "c1\u{9b}",
    "bidi\u{202e}",
    "zero\u{200b}width",
    "joiner\u{200d}",
    "nonjoiner\u{200c}",
    "bom\u{feff}",
    "del\x7f",
];

#[test]
fn hostile_texts_reach_everyone_sanitized_in_every_field_and_mode() {
    let server = start_server(|c| c.flood_rate = 0.0);
    let addr = server.local_addr();
    let plain_evil = Member::join(addr, "plain_evil", Speaks::Plain);
    let mut json_evil = Structured::join(addr, "json_evil").0;
    let mut plain_reader = Member::join(addr, "plain_reader", Speaks::Plain);
    let mut json_reader = Member::join(addr, "json_reader", Speaks::Structured);

    for &(raw, clean) in TEXTS {
        plain_evil.sender().say(raw);
        json_evil.say(raw);
        for reader in [&mut plain_reader, &mut json_reader] {
            let mut got: Vec<(String, String)> = (0..2)
                .map(
                    |_| match reader.expect(|e| matches!(e, Event::Message { .. })) {
                        Event::Message { from, text, .. } => (from, text),
                        _ => unreachable!("expect returns a message"),
                    },
                )
                .collect();
            got.sort();
            let expected = [("json_evil", clean), ("plain_evil", clean)];
            let expected = expected.map(|(from, text)| (from.to_owned(), text.to_owned()));
            assert_eq!(got, expected, "{raw:?}");
        }
        json_evil.send(&ClientFrame::Me {
            nonce: None,
            room: None,
            text: raw.into(),
        });
        json_evil.send(&ClientFrame::Msg {
            nonce: None,
            to: "plain_reader".into(),
            text: raw.into(),
        });
        let action = plain_line(&mut plain_reader, "* json_evil ");
        assert!(
            action.ends_with(&format!("* json_evil {clean}")),
            "{action:?}"
        );
        let private = plain_line(&mut plain_reader, "*json_evil -> ");
        let shown = format!("*json_evil -> plain_reader* {clean}");
        assert!(private.ends_with(&shown), "{private:?}");
    }
    // Drain json_evil's own echoes so that its next frames are answers.
    json_evil.send(&ClientFrame::Who { room: None });
    json_evil.expect(|f| matches!(f, ServerFrame::Roster { .. }));

    // A private message to a name full of escapes: a clean error to the sender only.
    json_evil.send(&ClientFrame::Msg {
        nonce: None,
        to: "\x1b[31mnobody\u{202e}".into(),
        text: "hi".into(),
    });
    assert_eq!(
        json_evil.expect(|f| matches!(f, ServerFrame::Error { .. })),
        ServerFrame::Error {
            code: ErrorCode::NoSuchUser,
            message: "No one called \"nobody\" is online".into()
        }
    );

    // Quitting with a hostile reason: the others see only its printable text.
    let (mut quitter, _) = Structured::join(addr, "quitter");
    quitter.send(&ClientFrame::Quit {
        reason: Some("\x1b]52;c;ZXZpbA==\x07bye\u{202e} now\x1b[0m".into()),
    });
    quitter.0.expect_closed();
    for reader in [&mut plain_reader, &mut json_reader] {
        assert_eq!(
            reader.expect(|e| matches!(e, Event::Left { .. })),
            Event::Left {
                name: "quitter".into(),
                reason: "quit: bye now".into()
            }
        );
    }
    assert_still_usable(
        addr,
        &["plain_evil", "json_evil", "plain_reader", "json_reader"],
    );
}

#[test]
fn hostile_names_are_refused_with_a_reason_in_both_modes_and_for_renames() {
    let server = start_server(|_| {});
    let addr = server.local_addr();
    let mut watcher = Member::join(addr, "watcher", Speaks::Structured);
    let mut plain = Plain::connect(addr);
    let mut json = Structured::connect(addr);
    let (mut renamer, _) = Structured::join(addr, "renamer");
    for &name in NAMES {
        plain.0.send_raw(format!("{name}\r\n").as_bytes());
        let refusal = plain.0.expect_line(|l| l.starts_with('!'));
        assert!(
            (refusal.starts_with("! The name may not contain the invisible")
                || refusal.starts_with("! The name may not contain the control"))
                && refusal.contains("U+"),
            "{name:?}: {refusal}"
        );
        plain
            .0
            .expect_line(|l| l.starts_with("* Choose a username"));

        json.send(&ClientFrame::Login {
            password: None,
            after: None,
            name: name.into(),
        });
        let rejected = json.expect(|f| matches!(f, ServerFrame::NameRejected { .. }));
        assert!(
            matches!(&rejected, ServerFrame::NameRejected { code: ErrorCode::NameInvalid, message, .. }
                if message.contains("U+")),
            "{name:?}: {rejected:?}"
        );

        renamer.send(&ClientFrame::Nick { name: name.into() });
        assert!(
            matches!(
                renamer.expect(|f| matches!(f, ServerFrame::NameRejected { .. })),
                ServerFrame::NameRejected {
                    code: ErrorCode::NameInvalid,
                    ..
                }
            ),
            "{name:?}"
        );
    }
    // Nobody joined or was renamed under any of those names.
    renamer.say("done");
    let next = watcher.expect(|e| !matches!(e, Event::Other(l) if l.starts_with("Joined")));
    assert!(
        matches!(&next, Event::Message { from, text, .. } if from == "renamer" && text == "done"),
        "{next:?}"
    );
    assert_still_usable(addr, &["watcher", "renamer"]);
}

#[test]
fn invalid_utf8_gets_an_error_in_both_modes_and_the_connection_stays() {
    let server = start_server(|_| {});
    let addr = server.local_addr();
    let mut plain = Member::join(addr, "plain", Speaks::Plain);
    let mut json = Member::join(addr, "json", Speaks::Structured);
    let mut raw_plain = Conn::connect(addr);
    raw_plain.expect_line(|l| l.starts_with("* Choose"));
    for bytes in [
        &b"\xff\xfe"[..],
        b"ok \xc3\x28 broken",
        b"\xed\xa0\x80 surrogate",
        b"\xf8\x88\x80\x80\x80 overlong",
        b"\xe2\x82 truncated",
    ] {
        raw_plain.send_raw(&[bytes, b"\n"].concat());
        assert_eq!(
            raw_plain.expect_line(|l| l.starts_with('!')),
            "! That line was not valid UTF-8; it was discarded."
        );
    }
    let mut structured = Structured::connect(addr);
    structured
        .0
        .send_raw(b"{\"type\":\"login\",\"name\":\"\xff\"}\n");
    assert!(matches!(
        structured.expect(|f| matches!(f, ServerFrame::Error { .. })),
        ServerFrame::Error {
            code: ErrorCode::InvalidUtf8,
            ..
        }
    ));
    // A lone surrogate escaped in JSON is not a string either.
    structured
        .0
        .send_raw(b"{\"type\":\"login\",\"name\":\"\\ud800\"}\n");
    assert!(matches!(
        structured.expect(|f| matches!(f, ServerFrame::Error { .. })),
        ServerFrame::Error {
            code: ErrorCode::BadFrame,
            ..
        }
    ));
    // JSON escapes of controls are sanitized like raw ones.
    structured.send(&ClientFrame::Login {
        password: None,
        after: None,
        name: "escaped".into(),
    });
    structured.expect(|f| matches!(f, ServerFrame::Welcome { .. }));
    structured
        .0
        .send_raw(b"{\"type\":\"say\",\"text\":\"\\u001b[31mred\\u0000\\u009b\"}\n");
    plain.expect(|e| matches!(e, Event::Message { text, .. } if text == "red"));
    json.expect(|e| matches!(e, Event::Message { text, .. } if text == "red"));

    raw_plain.send_line("recovered");
    raw_plain.expect_line(|l| l.starts_with("* Welcome, recovered!"));
    assert_still_usable(addr, &["plain", "json", "escaped", "recovered"]);
}

/// The next line `reader` gets that contains `needle` (an action or private message,
/// which the scenarios' events do not tell apart).
fn plain_line(reader: &mut Member, needle: &str) -> String {
    match reader.expect(|e| matches!(e, Event::Other(line) if line.contains(needle))) {
        Event::Other(line) => line,
        _ => unreachable!("expect returns what was asked for"),
    }
}

#[test]
fn a_quit_reason_cannot_forge_lines_for_plain_receivers() {
    let server = start_server(|_| {});
    let addr = server.local_addr();
    let mut reader = Plain::join(addr, "reader");
    let mut marker = Plain::join(addr, "marker");
    let (mut forger, _) = Structured::join(addr, "forger");
    reader.expect("-!- forger joined");
    forger.send(&ClientFrame::Quit {
        reason: Some("bye\n[12:00] <marker> I owe forger 100 EUR".into()),
    });
    forger.0.expect_closed();
    reader.expect("-!- forger left (quit: bye [12:00] <marker> I owe forger 100 EUR)");
    marker.say("the real next line");
    let next = reader.0.next_line().expect("the reader stays connected");
    assert!(
        next.ends_with("<marker> the real next line"),
        "a quit reason forged a line: {next:?}"
    );
}

#[test]
fn plain_lines_cannot_pass_for_server_notices_or_other_people() {
    let server = start_server(|_| {});
    let addr = server.local_addr();
    let mut reader = Plain::join(addr, "reader");
    let mut mallory = Plain::join(addr, "mallory");
    reader.expect("-!- mallory joined");
    for forged in [
        "/me joined",
        "/me left (quit: bye)",
        "/me is now known as alice",
        "/me -!- alice joined",
    ] {
        mallory.say(forged);
    }
    let padding = " ".repeat(300);
    mallory.say(&format!("hi{padding}[12:00] <alice> send me your password"));
    mallory.say("/quit");
    let departure = reader.expect("-!- mallory left");
    let seen = reader.0.seen.clone();
    let notices: Vec<&String> = seen.iter().filter(|l| l.contains("] -!- ")).collect();
    assert_eq!(
        notices.len(),
        2,
        "only the real join and leave read as notices: {notices:#?}"
    );
    assert!(
        departure.ends_with("] -!- mallory left (quit)"),
        "{departure}"
    );
    let padded = seen
        .iter()
        .find(|l| l.contains("send me your password"))
        .expect("the padded message arrived");
    assert!(
        padded.ends_with("<mallory> hi [12:00] <alice> send me your password"),
        "runs of spaces are collapsed: {padded:?}"
    );
}
