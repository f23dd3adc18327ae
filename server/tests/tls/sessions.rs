//! Inside TLS a session is what it is outside: structured frames or plain lines, in the
//! same rooms as cleartext clients.

use chat_shared::frame::ServerFrame;
use std::time::Duration;

use crate::support::tls::TlsServer;
use crate::support::{Plain, Structured, start_server};

#[test]
fn a_structured_client_logs_in_over_tls_1_3_with_aes_128() {
    let server = TlsServer::start(|_| {});
    let conn = server.connect();
    assert_eq!(
        conn.tls().protocol_version(),
        Some(rustls::ProtocolVersion::TLSv1_3)
    );
    // The client asks for AES-256 first; the server's cheaper choice wins.
    assert_eq!(
        conn.tls()
            .negotiated_cipher_suite()
            .map(|suite| suite.suite()),
        Some(rustls::CipherSuite::TLS13_AES_128_GCM_SHA256)
    );
    let (mut alice, roster) = Structured::login(Structured::over(conn), "alice");
    assert_eq!(roster, ["alice"]);
    alice.say("hello over tls");
    alice.expect(|f| matches!(f, ServerFrame::Message { text, .. } if text == "hello over tls"));
}

#[test]
fn a_cleartext_user_and_tls_users_in_one_room_see_each_other() {
    let server = TlsServer::start(|_| {});
    let mut nc = Plain::join_typing_first(server.addr(), "carol");
    let (mut program, _) = Structured::login(Structured::over(server.connect()), "alice");
    let mut person = Plain::greeted(server.connect());
    person.say("bob");
    person.expect("* Type a message");

    nc.say("from cleartext");
    program.expect(|f| {
        matches!(f, ServerFrame::Message { from, text, .. }
        if from == "carol" && text == "from cleartext")
    });
    person.expect("<carol> from cleartext");

    program.say("from a program over tls");
    nc.expect("<alice> from a program over tls");
    person.expect("<alice> from a program over tls");

    person.say("plain lines inside tls");
    nc.expect("<bob> plain lines inside tls");
    program.expect(|f| {
        matches!(f, ServerFrame::Message { from, text, .. }
        if from == "bob" && text == "plain lines inside tls")
    });
}

#[test]
fn a_silent_cleartext_user_is_greeted_after_the_detection_wait() {
    let server = start_server(|c| c.tls_detect_wait = Duration::from_millis(200));
    let mut nc = Plain::connect(server.local_addr());
    nc.say("dave");
    nc.expect("* Type a message");
}

#[test]
fn a_tls_session_that_quits_ends_with_close_notify() {
    let server = TlsServer::start(|_| {});
    let mut person = Plain::greeted(server.connect());
    person.say("erin");
    person.expect("* Type a message");
    person.say("/quit");
    let rest = person.0.expect_closed();
    assert!(rest.iter().any(|l| l == "* Bye!"), "{rest:?}");
    assert!(
        person.0.tls_closed_cleanly(),
        "the server ended its TLS session without close_notify"
    );
}
