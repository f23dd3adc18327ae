//! The check every scenario ends with: whatever a hostile client did, the server still
//! serves newcomers in both modes.

use std::net::SocketAddr;

use crate::member::{Event, Member, Speaks};

/// Two newcomers, one per mode, join, exchange a message each way, and find exactly the
/// members in `online` (plus themselves) in the roster.
pub fn assert_still_usable(addr: SocketAddr, online: &[&str]) {
    let mut plain = Member::join(addr, "newcomer_plain", Speaks::Plain);
    let mut structured = Member::join(addr, "newcomer_json", Speaks::Structured);
    plain.sender().say("hello from plain");
    structured.expect(|e| matches!(e, Event::Message { text, .. } if text == "hello from plain"));
    structured.sender().say("hello from json");
    plain.expect(|e| matches!(e, Event::Message { text, .. } if text == "hello from json"));

    let mut expected: Vec<String> = online.iter().map(|&name| name.to_owned()).collect();
    expected.extend([plain.name.clone(), structured.name.clone()]);
    expected.sort();
    assert_eq!(structured.who(), expected, "who is online afterwards");
}
