//! Messages: who receives what, in which order, and cleaned of anything a terminal would
//! interpret.

use std::thread;

use chat_shared::frame::{ClientFrame, ErrorCode, ServerFrame};

use crate::support::{Plain, Structured, start_server};

fn chat_lines(plain: &mut Plain, count: usize) -> Vec<String> {
    (0..count)
        .map(|_| plain.0.expect_line(|l| l.contains("] <")))
        .map(|l| l.split_once("] ").expect("timestamped").1.to_owned())
        .collect()
}

#[test]
fn a_plain_sender_does_not_receive_its_own_message_back() {
    let server = start_server(|_| {});
    let addr = server.local_addr();
    let mut alice = Plain::join(addr, "alice");
    let mut bob = Plain::join(addr, "bob");
    alice.say("one");
    bob.expect("<alice> one");
    bob.say("two");
    assert_eq!(chat_lines(&mut alice, 1), ["<bob> two"]);
}

#[test]
fn a_structured_sender_receives_its_own_message_in_the_room_order() {
    let server = start_server(|_| {});
    let addr = server.local_addr();
    let (mut alice, _) = Structured::join(addr, "alice");
    let mut bob = Plain::join(addr, "bob");
    alice.say("hello");
    let echo = alice.expect(|f| matches!(f, ServerFrame::Message { .. }));
    assert!(
        matches!(echo, ServerFrame::Message { ref from, ref text, .. } if from == "alice" && text == "hello")
    );
    bob.expect("<alice> hello");
}

#[test]
fn every_receiver_sees_one_and_the_same_order() {
    let server = start_server(|c| c.flood_rate = 0.0);
    let addr = server.local_addr();
    let (mut observer_a, _) = Structured::join(addr, "observer_a");
    let (mut observer_b, _) = Structured::join(addr, "observer_b");
    let mut plain_observer = Plain::join(addr, "plain_observer");
    let senders: Vec<_> = (0..4)
        .map(|i| {
            let name = format!("sender{i}");
            if i % 2 == 0 {
                let (mut client, _) = Structured::join(addr, &name);
                thread::spawn(move || {
                    for n in 0..50 {
                        client.say(&format!("{name} {n}"));
                    }
                    client
                        .expect(|f| matches!(f, ServerFrame::Message { text, .. } if text.ends_with(" 49") && text.starts_with(&name)));
                })
            } else {
                let mut client = Plain::join(addr, &name);
                thread::spawn(move || {
                    for n in 0..50 {
                        client.say(&format!("{name} {n}"));
                    }
                    client.say("/who");
                    client.expect("* In #general");
                })
            }
        })
        .collect();
    for sender in senders {
        sender.join().unwrap();
    }
    let messages = |client: &mut Structured| -> Vec<(u64, String)> {
        (0..200)
            .map(
                |_| match client.expect(|f| matches!(f, ServerFrame::Message { .. })) {
                    ServerFrame::Message { seq, text, .. } => (seq, text),
                    _ => unreachable!(),
                },
            )
            .collect()
    };
    let seen_a = messages(&mut observer_a);
    let seen_b = messages(&mut observer_b);
    assert_eq!(seen_a, seen_b);
    assert!(seen_a.windows(2).all(|w| w[0].0 < w[1].0), "seq increases");
    let plain_seen: Vec<String> = chat_lines(&mut plain_observer, 200)
        .into_iter()
        .map(|l| l.split_once("> ").expect("a message line").1.to_owned())
        .collect();
    let texts: Vec<String> = seen_a.into_iter().map(|(_, text)| text).collect();
    assert_eq!(plain_seen, texts);
    for i in 0..4 {
        let own: Vec<&String> = texts
            .iter()
            .filter(|t| t.starts_with(&format!("sender{i} ")))
            .collect();
        let expected: Vec<String> = (0..50).map(|n| format!("sender{i} {n}")).collect();
        assert_eq!(
            own,
            expected.iter().collect::<Vec<_>>(),
            "each sender's order is kept"
        );
    }
}

#[test]
fn a_multi_line_message_stays_one_message() {
    let server = start_server(|_| {});
    let addr = server.local_addr();
    let (mut alice, _) = Structured::join(addr, "alice");
    let (mut watcher, _) = Structured::join(addr, "watcher");
    let mut plain = Plain::join(addr, "plain");
    alice.say("first line\nsecond line");
    assert!(matches!(
        watcher.expect(|f| matches!(f, ServerFrame::Message { .. })),
        ServerFrame::Message { ref text, .. } if text == "first line\nsecond line"
    ));
    assert_eq!(
        chat_lines(&mut plain, 2),
        ["<alice> first line", "<alice> second line"]
    );
}

#[test]
fn escape_sequences_controls_and_bidi_overrides_never_reach_anyone() {
    let server = start_server(|_| {});
    let addr = server.local_addr();
    let mut evil = Plain::join(addr, "evil");
    let (mut structured_evil, _) = Structured::join(addr, "evil2");
    let mut plain = Plain::join(addr, "plain");
    let (mut structured, _) = Structured::join(addr, "structured");
    let payload = "\x1b[2J\x1b[31mred\x1b[0m \x1b]52;c;ZXZpbA==\x07clip \x1b]8;;http://x.example\x1b\\link\x1b]8;;\x1b\\ \u{202e}desrever\u{0}\u{7}\u{9b}";
    evil.0.send_raw(format!("{payload}\r\n").as_bytes());
    structured_evil.say(payload);
    let expected = "red clip link desrever";
    for _ in 0..2 {
        let line = plain.0.expect_line(|l| l.contains("] <"));
        assert!(line.ends_with(&format!("> {expected}")), "{line:?}");
        assert!(matches!(
            structured.expect(|f| matches!(f, ServerFrame::Message { .. })),
            ServerFrame::Message { ref text, .. } if text == expected
        ));
    }
}

#[test]
fn actions_literal_slashes_and_empty_messages() {
    let server = start_server(|_| {});
    let addr = server.local_addr();
    let mut alice = Plain::join(addr, "alice");
    let (mut watcher, _) = Structured::join(addr, "watcher");
    alice.say("/me waves");
    assert!(matches!(
        watcher.expect(|f| matches!(f, ServerFrame::Action { .. })),
        ServerFrame::Action { ref from, ref text, .. } if from == "alice" && text == "waves"
    ));
    alice.say("//etc is a path");
    assert!(matches!(
        watcher.expect(|f| matches!(f, ServerFrame::Message { .. })),
        ServerFrame::Message { ref text, .. } if text == "/etc is a path"
    ));
    watcher.send(&ClientFrame::Say {
        nonce: None,
        room: None,
        text: "\x1b[0m\u{7}".into(),
    });
    assert!(matches!(
        watcher.expect(|f| matches!(f, ServerFrame::Error { .. })),
        ServerFrame::Error {
            code: ErrorCode::EmptyMessage,
            ..
        }
    ));
}

#[test]
fn a_message_of_more_than_fifty_lines_is_refused_and_fifty_pass() {
    let server = start_server(|_| {});
    let addr = server.local_addr();
    let (mut sender, _) = Structured::join(addr, "sender");
    let mut plain = Plain::join(addr, "plain");
    let lines = |count: usize| {
        (1..=count)
            .map(|n| n.to_string())
            .collect::<Vec<_>>()
            .join("\n")
    };
    sender.say(&lines(51));
    assert!(matches!(
        sender.expect(|f| matches!(f, ServerFrame::Error { .. } | ServerFrame::Message { .. })),
        ServerFrame::Error {
            code: ErrorCode::TooManyLines,
            ..
        }
    ));
    sender.say(&lines(50));
    let shown = chat_lines(&mut plain, 50);
    assert_eq!(shown.first().map(String::as_str), Some("<sender> 1"));
    assert_eq!(shown.last().map(String::as_str), Some("<sender> 50"));
}

#[test]
fn errors_about_unreadable_lines_come_after_the_answers_to_earlier_lines() {
    let server = start_server(|c| c.max_line_bytes = 200);
    let addr = server.local_addr();
    let (mut sender, _) = Structured::join(addr, "sender");
    let say = |text: &str| {
        String::from_utf8(chat_shared::frame::encode(&ClientFrame::Say {
            nonce: None,
            room: None,
            text: text.into(),
        }))
        .unwrap()
    };
    let mut burst = say("first").into_bytes();
    burst.extend_from_slice(&[b'x'; 300]);
    burst.push(b'\n');
    burst.extend_from_slice(say("second").as_bytes());
    burst.extend_from_slice(b"\xff\n");
    sender.0.send_raw(&burst);
    let answers: Vec<String> = (0..4)
        .map(|_| {
            match sender
                .expect(|f| matches!(f, ServerFrame::Message { .. } | ServerFrame::Error { .. }))
            {
                ServerFrame::Message { text, .. } => text,
                ServerFrame::Error { code, .. } => code.as_str().to_owned(),
                _ => unreachable!(),
            }
        })
        .collect();
    assert_eq!(
        answers,
        ["first", "line_too_long", "second", "invalid_utf8"]
    );
}
