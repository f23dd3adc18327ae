//! Attacks on moderation and through it: an operator's hostile arguments (targets that
//! are no address, networks that would ban everyone, absurd durations, huge and
//! control-laden reasons), a crowd of non-operators sending operator frames, and a
//! banned host hammering the door. The server refuses each with a reason, stays up, and
//! serves everyone else.

use std::net::SocketAddr;

use chat_shared::frame::{ClientFrame, ErrorCode, LeaveReason, ServerFrame};
use chat_shared::text::MAX_REASON_CHARS;

use crate::silent_share::connect_from;
use crate::support::{Plain, Structured, start_server};
use crate::usable::assert_still_usable;

/// `root_op`, registered (which proves the account), in structured mode.
fn operator(server: SocketAddr) -> Structured {
    let mut op = Plain::join(server, "root_op");
    op.say("/register a long enough password");
    op.expect("now registered");
    op.say("/quit");
    op.0.expect_closed();
    let mut op = Structured::connect(server);
    op.send(&ClientFrame::Login {
        name: "root_op".into(),
        after: None,
        password: Some("a long enough password".into()),
    });
    op.expect(|frame| matches!(frame, ServerFrame::Welcome { .. }));
    op
}

/// The error that answers the operator's last frame.
fn refusal(op: &mut Structured) -> (ErrorCode, String) {
    match op.expect(|frame| matches!(frame, ServerFrame::Error { .. })) {
        ServerFrame::Error { code, message } => (code, message),
        _ => unreachable!(),
    }
}

#[test]
fn hostile_operator_arguments_are_refused_with_a_reason_and_reasons_are_cut() {
    let server = start_server(|config| {
        config.operators = vec!["root_op".to_owned()];
        config.flood_rate = 0.0;
    });
    let addr = server.local_addr();
    let mut op = operator(addr);
    let (mut victim, _) = Structured::join(addr, "victim");
    let (mut witness, _) = Structured::join(addr, "witness");

    let ban = |target: &str, duration_s: Option<u64>| ClientFrame::Ban {
        target: target.into(),
        duration_s,
        reason: None,
    };
    let hostile = [
        ban("0.0.0.0/0", None),
        ban("::/0", None),
        ban("10.0.0.0/33", None),
        ban("1.2.3.4/", None),
        ban("300.1.2.3", None),
        ban(&"9".repeat(5000), None),
        ban("\u{1b}]0;pwned\u{7}", None),
        ban("victim", Some(0)),
        ban("victim", Some(u64::MAX)),
        ClientFrame::Mute {
            name: "victim".into(),
            duration_s: Some(400 * 86_400),
            reason: None,
        },
        ClientFrame::Unban {
            target: "not/a/target".into(),
        },
    ];
    for frame in &hostile {
        op.send(frame);
        let (code, message) = refusal(&mut op);
        assert_eq!(code, ErrorCode::BadFrame, "{frame:?}: {message}");
        assert!(message.len() < 400, "{frame:?}: {message}");
    }

    let reason = format!("\u{1b}[2J\u{202e}{}\nmore", "é".repeat(3_000));
    op.send(&ClientFrame::Kick {
        name: "victim".into(),
        reason: Some(reason),
    });
    let told = victim.expect(|frame| matches!(frame, ServerFrame::Error { .. }));
    assert!(
        matches!(&told, ServerFrame::Error { code: ErrorCode::Kicked, message } if message.chars().count() < MAX_REASON_CHARS + 40),
        "{told:?}"
    );
    let left = witness.expect(|frame| matches!(frame, ServerFrame::Left { .. }));
    let ServerFrame::Left {
        reason: LeaveReason::Kicked,
        message: Some(message),
        ..
    } = left
    else {
        panic!("{left:?}");
    };
    assert!(message.chars().count() <= MAX_REASON_CHARS);
    assert!(
        !message.contains(['\u{1b}', '\u{202e}', '\n']),
        "{message:?}"
    );
    assert_still_usable(addr, &["root_op", "witness"]);
}

#[test]
fn non_operators_flooding_operator_frames_change_nothing() {
    let server = start_server(|config| {
        config.operators = vec!["root_op".to_owned()];
        config.flood_rate = 0.0;
    });
    let addr = server.local_addr();
    let (mut target, _) = Structured::join(addr, "target");
    let mut attackers: Vec<Structured> = (0..4)
        .map(|n| Structured::join(addr, &format!("attacker{n}")).0)
        .collect();
    for attacker in &mut attackers {
        for _ in 0..25 {
            for frame in [
                ClientFrame::Kick {
                    name: "target".into(),
                    reason: None,
                },
                ClientFrame::Ban {
                    target: "127.0.0.1".into(),
                    duration_s: None,
                    reason: None,
                },
                ClientFrame::Bans,
            ] {
                attacker.send(&frame);
            }
        }
    }
    for attacker in &mut attackers {
        for _ in 0..75 {
            assert_eq!(refusal(attacker).0, ErrorCode::NotOperator);
        }
    }
    target.say("still here");
    target
        .expect(|frame| matches!(frame, ServerFrame::Message { text, .. } if text == "still here"));
}

#[test]
fn a_banned_host_hammering_the_door_gets_one_line_each_time_and_nobody_else_notices() {
    let server = start_server(|config| config.operators = vec!["root_op".to_owned()]);
    let addr = server.local_addr();
    let mut op = operator(addr);
    op.send(&ClientFrame::Ban {
        target: "127.0.0.31".into(),
        duration_s: None,
        reason: Some("hammering".into()),
    });
    op.expect(|frame| matches!(frame, ServerFrame::Notice { text } if text.starts_with("Banned 127.0.0.31")));
    for _ in 0..200 {
        let lines = connect_from(31, addr).expect_closed();
        assert_eq!(
            lines,
            ["ERROR banned: 127.0.0.31 is banned for ever (by root_op: hammering)"]
        );
    }
    assert_still_usable(addr, &["root_op"]);
}
