//! Hostile input and the limits that contain it: over-long lines, bad bytes, floods and
//! the connection cap. Each time, the others keep being served.

use std::thread;

use chat_shared::frame::{LeaveReason, ServerFrame};

use crate::support::{Conn, Plain, Structured, start_server};

#[test]
fn an_over_long_line_is_refused_and_the_connection_stays_usable() {
    let server = start_server(|c| c.max_line_bytes = 100);
    let addr = server.local_addr();
    let mut talker = Plain::join(addr, "talker");
    let mut listener = Plain::join(addr, "listener");
    talker.say(&"x".repeat(101));
    assert_eq!(
        talker.expect_error(),
        "! Line longer than 100 bytes; it was discarded."
    );
    talker.say(&"y".repeat(100));
    listener.expect(&format!("<talker> {}", "y".repeat(100)));
}

#[test]
fn a_third_over_long_line_closes_the_connection_and_it_is_announced() {
    let server = start_server(|c| c.max_line_bytes = 100);
    let addr = server.local_addr();
    let (mut watcher, _) = Structured::join(addr, "watcher");
    let mut abuser = Plain::join(addr, "abuser");
    for _ in 0..3 {
        abuser.say(&"z".repeat(500));
    }
    let rest = abuser.0.expect_closed();
    assert!(
        rest.iter()
            .any(|l| l == "! Too many over-long lines; closing."),
        "{rest:#?}"
    );
    assert!(matches!(
        watcher.expect(|f| matches!(f, ServerFrame::Left { .. })),
        ServerFrame::Left {
            reason: LeaveReason::Kicked,
            ..
        }
    ));
}

#[test]
fn an_endless_line_is_cut_off_without_being_buffered() {
    let server = start_server(|_| {});
    let addr = server.local_addr();
    let mut bystander = Plain::join(addr, "bystander");
    let mut endless = Conn::connect(addr);
    let writer = endless.stream().try_clone().unwrap();
    let flood = thread::spawn(move || {
        let chunk = vec![b'a'; 64 * 1024];
        let mut writer = writer;
        for _ in 0..16 {
            if std::io::Write::write_all(&mut writer, &chunk).is_err() {
                break;
            }
        }
    });
    let rest = endless.expect_closed();
    assert!(
        rest.iter().any(|l| l == "! That line never ends; closing."),
        "{rest:#?}"
    );
    flood.join().unwrap();
    bystander.say("/who");
    assert_eq!(
        bystander.expect("* In #general"),
        "* In #general (1): bystander"
    );
}

#[test]
fn invalid_utf8_gets_an_error_and_nothing_else_is_affected() {
    let server = start_server(|_| {});
    let addr = server.local_addr();
    let mut sender = Plain::join(addr, "sender");
    let mut receiver = Plain::join(addr, "receiver");
    sender.0.send_raw(b"\xff\xfe broken \xc3\x28\n");
    assert_eq!(
        sender.expect_error(),
        "! That line was not valid UTF-8; it was discarded."
    );
    sender.say("fine");
    receiver.expect("<sender> fine");
}

#[test]
fn a_flooder_is_slowed_and_told_but_nothing_it_sent_is_lost() {
    let server = start_server(|c| {
        c.flood_burst = 5;
        c.flood_rate = 50.0;
    });
    let addr = server.local_addr();
    let mut flooder = Plain::join(addr, "flooder");
    let (mut receiver, _) = Structured::join(addr, "receiver");
    let burst: String = (0..40).map(|n| format!("flood {n}\n")).collect();
    flooder.0.send_raw(burst.as_bytes());
    flooder.expect("* You are sending too fast; your messages are being delayed.");
    for n in 0..40 {
        let expected = format!("flood {n}");
        assert!(matches!(
            receiver.expect(|f| matches!(f, ServerFrame::Message { .. })),
            ServerFrame::Message { ref text, .. } if *text == expected
        ));
    }
}

#[test]
fn the_connection_over_the_cap_is_refused_politely_and_the_others_carry_on() {
    let server = start_server(|c| c.max_clients = 2);
    let addr = server.local_addr();
    let mut alice = Plain::join(addr, "alice");
    let mut bob = Plain::join(addr, "bob");
    let mut third = Conn::connect(addr);
    assert_eq!(
        third.expect_closed(),
        ["ERROR server_full: the server is full (2 connections); try again later"]
    );
    alice.say("still fine");
    bob.expect("<alice> still fine");
}

#[test]
fn lines_the_server_cannot_use_cost_flood_tokens_too() {
    let server = start_server(|c| {
        c.flood_burst = 5;
        c.flood_rate = 50.0;
    });
    let mut typist = Plain::join(server.local_addr(), "typist");
    let nonsense: String = (0..20).map(|_| "/bogus\n").collect();
    typist.0.send_raw(nonsense.as_bytes());
    typist.expect("* You are sending too fast; your messages are being delayed.");
}

#[test]
fn empty_structured_lines_are_free_and_unanswered() {
    let server = start_server(|c| {
        c.flood_burst = 2;
        c.flood_rate = 0.1;
    });
    let (mut client, _) = Structured::join(server.local_addr(), "blank");
    client.0.send_raw(&b"\n \r\n\t\n".repeat(100));
    client.send(&chat_shared::frame::ClientFrame::Who { room: None });
    assert_eq!(
        client.next_frame(),
        Some(ServerFrame::Roster {
            room: Some("#general".into()),
            names: vec!["blank".into()]
        }),
        "no bad_frame and no slow-down notice came first"
    );
}
