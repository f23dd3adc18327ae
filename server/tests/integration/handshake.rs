//! Choosing a mode and a name: refusals with reasons, retries on the same connection,
//! and the handshake timeout.

use std::time::Duration;

use chat_shared::frame::{ClientFrame, ErrorCode, ServerFrame};

use crate::support::{Conn, Plain, Structured, start_server};

#[test]
fn plain_mode_greets_and_retries_after_a_taken_name_on_the_same_connection() {
    let server = start_server(|_| {});
    let _alice = Plain::join(server.local_addr(), "Alice");
    let mut second = Plain::connect(server.local_addr());
    second.say("alice");
    assert_eq!(second.expect_error(), "! The name \"alice\" is taken");
    second
        .0
        .expect_line(|l| l.starts_with("* Choose a username"));
    second.say("bob");
    assert_eq!(
        second.expect("* Welcome"),
        "* Welcome, bob! 2 online: Alice, bob"
    );
}

#[test]
fn plain_mode_explains_invalid_and_reserved_names() {
    let server = start_server(|_| {});
    let mut plain = Plain::connect(server.local_addr());
    plain.say("al ice");
    assert_eq!(plain.expect_error(), "! The name may not contain spaces");
    plain.say("Server");
    assert_eq!(plain.expect_error(), "! The name \"Server\" is reserved");
    plain.say("Zoë");
    plain.expect("* Welcome, Zoë!");
}

#[test]
fn structured_mode_rejects_with_codes_and_accepts_a_retry() {
    let server = start_server(|_| {});
    let (_taken, _) = Structured::join(server.local_addr(), "李雷");
    let mut client = Structured::connect(server.local_addr());
    for (name, expected) in [
        ("李雷", ErrorCode::NameTaken),
        ("bad\u{200b}name", ErrorCode::NameInvalid),
        ("ADMIN", ErrorCode::NameReserved),
    ] {
        client.send(&ClientFrame::Login {
            password: None,
            after: None,
            name: name.into(),
        });
        match client.next_frame() {
            Some(ServerFrame::NameRejected { code, .. }) => assert_eq!(code, expected, "{name}"),
            other => panic!("{name}: {other:?}"),
        }
    }
    client.send(&ClientFrame::Login {
        password: None,
        after: None,
        name: "Miłosz".into(),
    });
    assert!(matches!(
        client.next_frame(),
        Some(ServerFrame::Welcome { name, .. }) if name == "Miłosz"
    ));
}

#[test]
fn room_requests_before_login_are_refused() {
    let server = start_server(|_| {});
    let mut client = Structured::connect(server.local_addr());
    client.say("too early");
    assert!(matches!(
        client.next_frame(),
        Some(ServerFrame::Error {
            code: ErrorCode::NotLoggedIn,
            ..
        })
    ));
}

#[test]
fn an_unsupported_protocol_version_is_refused_and_closed() {
    let server = start_server(|_| {});
    let mut conn = Conn::connect(server.local_addr());
    conn.send_line(r#"{"type":"hello","version":99}"#);
    let rest = conn.expect_closed();
    assert!(
        rest.iter().any(|l| l.contains("unsupported_version")),
        "{rest:#?}"
    );
}

#[test]
fn a_connection_that_never_chooses_a_name_is_closed_after_the_timeout() {
    let server = start_server(|c| c.handshake_timeout = Duration::from_secs(1));
    let mut silent = Conn::connect(server.local_addr());
    let rest = silent.expect_closed();
    assert!(
        rest.iter().any(|l| l.starts_with("! No name chosen")),
        "{rest:#?}"
    );

    let mut structured = Structured::connect(server.local_addr());
    structured.send(&ClientFrame::Login {
        password: None,
        after: None,
        name: "all".into(),
    });
    let rest = structured.0.expect_closed();
    assert!(
        rest.iter().any(|l| l.contains("handshake_timeout")),
        "{rest:#?}"
    );
}

#[test]
fn joined_clients_outlive_the_handshake_timeout() {
    let server = start_server(|c| c.handshake_timeout = Duration::from_secs(1));
    let mut alice = Plain::join(server.local_addr(), "alice");
    let mut late = Conn::connect(server.local_addr());
    late.expect_closed();
    let mut bob = Plain::join(server.local_addr(), "bob");
    alice.say("still here");
    bob.expect("<alice> still here");
}
