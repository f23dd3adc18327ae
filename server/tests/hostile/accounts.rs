//! Attacks on accounts: guessing passwords (throttled per name and per address, while
//! others log in undisturbed), passwords over plain TCP from the network, huge and
//! control-laden passwords, registering before logging in, and taking a registered name
//! or a look-alike of it.

use std::net::SocketAddr;

use chat_shared::frame::{ClientFrame, ErrorCode, ServerFrame};

use crate::silent_share::connect_from;
use crate::support::{Conn, Plain, Structured, non_loopback_address, start_server};

/// The attacker's loopback address: `127.0.0.<ATTACKER>`.
const ATTACKER: u8 = 21;

/// An honest user's loopback address.
const HONEST: u8 = 22;

/// A structured client from `127.0.0.<host>`, past its `hello`.
fn structured_from(host: u8, server: SocketAddr) -> Structured {
    let mut client = Structured(connect_from(host, server));
    client.send(&ClientFrame::Hello {
        version: chat_shared::PROTOCOL_VERSION,
        client: None,
    });
    client.expect(|f| matches!(f, ServerFrame::Hello { .. }));
    client
}

/// Logs in; the rejection's code and message, or `None` when welcomed.
fn login(client: &mut Structured, name: &str, password: &str) -> Option<(ErrorCode, String)> {
    client.send(&ClientFrame::Login {
        password: Some(password.to_owned()),
        after: None,
        name: name.to_owned(),
    });
    match client.expect(|f| {
        matches!(
            f,
            ServerFrame::Welcome { .. } | ServerFrame::NameRejected { .. }
        )
    }) {
        ServerFrame::NameRejected { code, message, .. } => Some((code, message)),
        _ => None,
    }
}

/// Registers `name` with `password` from loopback, and leaves.
fn register(server: SocketAddr, name: &str, password: &str) {
    let mut person = Plain::join(server, name);
    person.say(&format!("/register {password}"));
    person.expect("now registered");
    person.say("/quit");
    person.0.expect_closed();
}

#[test]
fn guessing_one_name_is_throttled_while_other_names_and_addresses_log_in() {
    let server = start_server(|c| {
        c.exempt = Vec::new();
        c.flood_rate = 0.0;
        c.login_failures = 5;
    });
    let addr = server.local_addr();
    register(addr, "alice", "the real one");
    register(addr, "bob", "bobs own");

    let mut attacker = structured_from(ATTACKER, addr);
    for guess in 0..5 {
        let (code, _) = login(&mut attacker, "alice", &format!("guess{guess}")).unwrap();
        assert_eq!(code, ErrorCode::WrongPassword, "guess {guess}");
    }
    let (code, message) = login(&mut attacker, "alice", "guess5").unwrap();
    assert_eq!(code, ErrorCode::Throttled);
    assert!(
        message.starts_with("too many wrong passwords; try again in "),
        "{message}"
    );
    let (code, _) = login(&mut attacker, "alice", "the real one").unwrap();
    assert_eq!(
        code,
        ErrorCode::Throttled,
        "while locked, not even the right password is checked"
    );

    let mut honest = structured_from(HONEST, addr);
    assert_eq!(
        login(&mut honest, "bob", "bobs own"),
        None,
        "another name from another address is unaffected"
    );
}

#[test]
fn one_address_guessing_many_names_is_throttled_but_not_the_names_owners() {
    let server = start_server(|c| {
        c.exempt = Vec::new();
        c.flood_rate = 0.0;
        c.login_failures = 100;
        c.login_failures_per_address = 3;
    });
    let addr = server.local_addr();
    for name in ["carol", "dave", "erin"] {
        register(addr, name, &format!("{name}-pw"));
    }
    let mut attacker = structured_from(ATTACKER, addr);
    for name in ["carol", "dave", "erin"] {
        let (code, _) = login(&mut attacker, name, "123456").unwrap();
        assert_eq!(code, ErrorCode::WrongPassword);
    }
    let (code, _) = login(&mut attacker, "carol", "carol-pw").unwrap();
    assert_eq!(code, ErrorCode::Throttled, "the address is locked");

    let mut honest = structured_from(HONEST, addr);
    assert_eq!(login(&mut honest, "carol", "carol-pw"), None);
}

#[test]
fn passwords_over_plain_tcp_from_the_network_are_refused_unless_the_flag_allows_them() {
    let Some(ip) = non_loopback_address() else {
        eprintln!("skipped: this machine has no address but loopback");
        return;
    };
    for allowed in [false, true] {
        let server = start_server(|c| {
            c.bind = "0.0.0.0".parse().unwrap();
            c.allow_plain_passwords = allowed;
        });
        let addr = SocketAddr::new(ip, server.local_addr().port());
        let mut plain = Plain(Conn::connect(addr));
        plain.0.expect_line(|l| l.starts_with("* Choose"));
        plain.say("grace");
        plain.expect("* Welcome, grace!");
        plain.say("/register hunter2");
        let answer = plain
            .0
            .expect_line(|l| l.starts_with("! ") || l.contains("registered"));
        if allowed {
            assert!(answer.starts_with("* grace is now registered"), "{answer}");
        } else {
            assert_eq!(
                answer,
                "! Refused: passwords are not accepted over an unencrypted connection from \
                 the network, where anyone on the way could read them; connect with TLS."
            );
        }
    }
}

#[test]
fn huge_and_control_laden_passwords_are_refused_with_a_reason() {
    let server = start_server(|_| {});
    let addr = server.local_addr();
    let (mut hank, _) = Structured::join(addr, "hank");
    for (password, reason) in [
        (
            "x".repeat(4000),
            "a password may be at most 1024 bytes long",
        ),
        (
            "bell\u{7}and\nbreak".to_owned(),
            "a password may not contain control characters",
        ),
        ("   ".to_owned(), "a password may not be empty"),
    ] {
        hank.send(&ClientFrame::Register { password });
        let answer = hank.expect(|f| matches!(f, ServerFrame::Error { .. }));
        assert_eq!(
            answer,
            ServerFrame::Error {
                code: ErrorCode::PasswordInvalid,
                message: reason.to_owned()
            }
        );
    }
    let mut plain = Plain::join(addr, "ivy");
    plain.say(&format!("/register {}", "é".repeat(600)));
    assert_eq!(
        plain.expect_error(),
        "! A password may be at most 1024 bytes long"
    );
    plain.say("/who");
    plain.expect("* In #general");
}

#[test]
fn registering_before_logging_in_is_refused() {
    let server = start_server(|_| {});
    let mut client = Structured::connect(server.local_addr());
    client.send(&ClientFrame::Register {
        password: "early".into(),
    });
    assert!(matches!(
        client.expect(|f| matches!(f, ServerFrame::Error { .. })),
        ServerFrame::Error {
            code: ErrorCode::NotLoggedIn,
            ..
        }
    ));
    let mut plain = Plain::connect(server.local_addr());
    plain.say("/register early");
    assert_eq!(
        plain.expect_error(),
        "! The name may not contain '/' (U+002F)",
        "before joining, a line is a name attempt"
    );
}

#[test]
fn a_registered_name_and_its_look_alikes_are_out_of_reach_without_its_password() {
    let server = start_server(|_| {});
    let addr = server.local_addr();
    register(addr, "alice", "alices secret");
    let mut mallory = Structured::connect(addr);
    for (name, code) in [
        ("alice", ErrorCode::WrongPassword),
        ("ALICE", ErrorCode::WrongPassword),
        ("aIice", ErrorCode::NameTaken),
        ("a\u{430}lice", ErrorCode::NameInvalid),
    ] {
        let (got, message) = login(&mut mallory, name, "guess").unwrap();
        assert_eq!(got, code, "{name}: {message}");
    }
    assert_eq!(login(&mut mallory, "mallory", "unused"), None);
    mallory.send(&ClientFrame::Nick {
        name: "aIice".into(),
    });
    assert!(matches!(
        mallory.expect(|f| matches!(f, ServerFrame::NameRejected { .. })),
        ServerFrame::NameRejected {
            code: ErrorCode::NameTaken,
            ..
        }
    ));

    let (mut holder, _) = Structured::join(addr, "rnike");
    holder.send(&ClientFrame::Register {
        password: "pw".into(),
    });
    holder.expect(|f| matches!(f, ServerFrame::Account { .. }));
    holder.send(&ClientFrame::Quit { reason: None });
    holder.0.expect_closed();
    let mut other = Plain::connect(addr);
    other.say("mike");
    assert_eq!(
        other.expect_error(),
        "! The name \"mike\" looks like the registered name \"rnike\""
    );
}
