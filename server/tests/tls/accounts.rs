//! Passwords over TLS: from another machine, where cleartext may not carry them, TLS
//! may; and a name registered that way is claimed over TLS with its password.

use std::net::SocketAddr;

use chat_shared::frame::{ClientFrame, ErrorCode, ServerFrame};

use crate::support::tls::TlsServer;
use crate::support::{Conn, Plain, Structured, non_loopback_address};

#[test]
fn over_tls_a_password_from_the_network_is_accepted_where_cleartext_is_refused() {
    let Some(ip) = non_loopback_address() else {
        eprintln!("skipped: this machine has no address but loopback");
        return;
    };
    let server = TlsServer::start(|c| c.bind = "0.0.0.0".parse().unwrap());
    let from_the_network = SocketAddr::new(ip, server.addr().port());

    let mut cleartext = Plain::join_typing_first(from_the_network, "mallory");
    cleartext.say("/register hunter2");
    assert!(
        cleartext.expect_error().contains("connect with TLS"),
        "cleartext from the network may not carry a password"
    );

    let mut grace = Plain::greeted(Conn::connect_tls(from_the_network, &server.client));
    grace.say("grace");
    grace.expect("* Welcome, grace!");
    grace.say("/register hunter2");
    grace.expect("* grace is now registered");
    grace.say("/quit");
    grace.0.expect_closed();

    let over_tls = Conn::connect_tls(from_the_network, &server.client);
    let mut program = Structured::over(over_tls);
    for (password, refusal) in [
        (None, Some(ErrorCode::PasswordRequired)),
        (Some("hunter3"), Some(ErrorCode::WrongPassword)),
        (Some("hunter2"), None),
    ] {
        program.send(&ClientFrame::Login {
            password: password.map(str::to_owned),
            after: None,
            name: "grace".to_owned(),
        });
        let answer = program.expect(|f| {
            matches!(
                f,
                ServerFrame::Welcome { .. } | ServerFrame::NameRejected { .. }
            )
        });
        match (answer, refusal) {
            (ServerFrame::NameRejected { code, .. }, Some(expected)) => assert_eq!(code, expected),
            (ServerFrame::Welcome { name, .. }, None) => assert_eq!(name, "grace"),
            (answer, expected) => panic!("{answer:?} where {expected:?} was expected"),
        }
    }
}
