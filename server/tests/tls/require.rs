//! `--require-tls`: cleartext is refused before anything it sent is read, in the form
//! every refusal takes; TLS clients are served as usual.

use std::time::Duration;

use chat_shared::frame::parse_refusal;

use crate::support::tls::TlsServer;
use crate::support::{Conn, Plain, start_server};

#[test]
fn a_cleartext_client_that_types_first_is_refused_while_tls_is_served() {
    let server = TlsServer::start(|c| c.require_tls = true);
    let mut nc = Conn::connect(server.addr());
    nc.send_line("mallory");
    let lines = nc.expect_closed();
    let refusal = lines.first().expect("a refusal line");
    assert_eq!(
        parse_refusal(refusal).map(|(code, _)| code),
        Some("tls_required"),
        "{lines:?}"
    );
    assert_eq!(lines.len(), 1, "nothing but the refusal: {lines:?}");

    // The refused line was never read as a name: a TLS user can take it.
    let mut person = Plain::greeted(server.connect());
    person.say("mallory");
    person.expect("* Type a message");
}

#[test]
fn a_silent_cleartext_client_is_refused_after_the_detection_wait() {
    let server = start_server(|c| {
        c.require_tls = true;
        c.tls_detect_wait = Duration::ZERO;
    });
    let mut nc = Conn::connect(server.local_addr());
    let lines = nc.expect_closed();
    assert_eq!(lines.len(), 1, "{lines:?}");
    assert!(lines[0].starts_with("ERROR tls_required: "), "{lines:?}");
}

#[test]
fn a_structured_client_in_cleartext_gets_the_refusal_line_it_already_parses() {
    let server = TlsServer::start(|c| c.require_tls = true);
    let mut program = Conn::connect(server.addr());
    program.send_line(r#"{"type":"hello","version":2}"#);
    let lines = program.expect_closed();
    assert_eq!(lines.len(), 1, "the hello was not answered: {lines:?}");
    assert!(lines[0].starts_with("ERROR tls_required: "), "{lines:?}");
}
