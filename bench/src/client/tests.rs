use super::*;
use crate::probe::{message_text, sync_token};
use std::net::TcpListener;

fn client_in(id: usize, layout: Layout) -> Client {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let stream = TcpStream::connect(listener.local_addr().unwrap()).unwrap();
    Client::new(stream, None, id, layout)
}

fn client(senders: u32) -> Client {
    client_in(0, Layout::one_room(senders))
}

fn message_in(room: Option<&str>, sender: u32, seq: u32) -> Vec<u8> {
    encode(&ServerFrame::Message {
        nonce: None,
        epoch: 0,
        room: room.map(str::to_owned),
        seq: 1,
        time_ms: 1,
        from: "bench0".into(),
        text: message_text(sender, seq, 5, 0),
    })
}

fn message(sender: u32, seq: u32) -> Vec<u8> {
    message_in(None, sender, seq)
}

#[test]
fn skips_the_banner_and_joins_on_welcome() {
    let mut client = client(1);
    let mut seen = Vec::new();
    let welcome = encode(&ServerFrame::Welcome {
        room: None,
        name: "bench0".into(),
        roster: vec!["bench0".into()],
    });
    let mut bytes = b"* Welcome to chat-server 0.1.0 (0 online).\r\n".to_vec();
    bytes.extend(&welcome);
    let finder = ProbeFinder::default();
    let (first, second) = bytes.split_at(50);
    client.feed(first, &finder, &mut seen);
    client.feed(second, &finder, &mut seen);
    assert_eq!(seen, [Seen::Welcomed]);
}

#[test]
fn is_in_once_it_entered_its_side_room_too() {
    let layout = Layout {
        rooms: 2,
        per_room: 1,
        general: 1,
    };
    let mut client = client_in(1, layout);
    let mut seen = Vec::new();
    let finder = ProbeFinder::default();
    let welcome = encode(&ServerFrame::Welcome {
        room: Some("#general".into()),
        name: "bench1".into(),
        roster: vec!["bench1".into()],
    });
    client.feed(&welcome, &finder, &mut seen);
    assert_eq!(seen, []);
    let presence = encode(&ServerFrame::Presence {
        epoch: 0,
        seq: 4,
        time_ms: 1,
        joined: vec!["bench2".into()],
        left: Vec::new(),
        room: "#general".into(),
    });
    client.feed(&presence, &finder, &mut seen);
    let entered = encode(&ServerFrame::Entered {
        room: "#room1".into(),
        topic: None,
        roster: vec!["bench1".into()],
    });
    client.feed(&entered, &finder, &mut seen);
    assert_eq!(seen, [Seen::Welcomed]);
}

#[test]
fn counts_what_comes_from_another_room_or_named_wrong_as_misdelivered() {
    let layout = Layout {
        rooms: 2,
        per_room: 1,
        general: 1,
    };
    let mut client = client_in(1, layout);
    client.awaited = 0;
    let mut bytes = Vec::new();
    for (room, sender) in [
        ("#room1", 1),
        ("#general", 2),
        ("#room0", 0),
        ("#general", 1),
        ("#room1", 2),
    ] {
        bytes.extend(message_in(Some(room), sender, 0));
    }
    client.feed(&bytes, &ProbeFinder::default(), &mut Vec::new());
    assert_eq!(client.received(), 2);
    assert_eq!(client.misdelivered(), 3);
    assert_eq!(client.reordered(), 0);
}

#[test]
fn reports_refusals_with_their_reason() {
    assert_eq!(
        classify_handshake_line(b"ERROR server_full: the server is full\r"),
        Some(Greeting::Refused("server_full: the server is full".into()))
    );
    let rejected = encode(&ServerFrame::NameRejected {
        name: "x".into(),
        code: chat_shared::frame::ErrorCode::NameTaken,
        message: "taken".into(),
    });
    assert_eq!(
        classify_handshake_line(rejected.trim_ascii_end()),
        Some(Greeting::Refused("taken".into()))
    );
}

#[test]
fn counts_messages_per_sender_and_spots_disorder() {
    let mut client = client(2);
    client.awaited = 0;
    let finder = ProbeFinder::default();
    let mut seen = Vec::new();
    let mut bytes = Vec::new();
    for (sender, seq) in [(0, 0), (1, 0), (0, 2), (0, 1), (1, 1)] {
        bytes.extend(message(sender, seq));
    }
    bytes.extend(encode(&ServerFrame::Pong {
        token: sync_token(),
    }));
    client.feed(&bytes, &finder, &mut seen);
    assert_eq!(client.received(), 4);
    assert_eq!(client.reordered(), 2);
    assert_eq!(seen.len(), 6);
    assert_eq!(seen.last(), Some(&Seen::Synced));
}

#[test]
fn counts_presence_summaries_after_the_barrier_only() {
    let mut client = client(0);
    client.awaited = 0;
    let presence = encode(&ServerFrame::Presence {
        epoch: 0,
        seq: 2,
        time_ms: 1,
        joined: vec!["bench4".into()],
        left: vec!["bench5".into()],
        room: "#general".into(),
    });
    let mut bytes = presence.clone();
    bytes.extend(encode(&ServerFrame::Pong {
        token: sync_token(),
    }));
    bytes.extend(&presence);
    client.feed(&bytes, &ProbeFinder::default(), &mut Vec::new());
    assert_eq!(client.presence(), 1);
}

#[test]
fn notices_keepalive_pings_but_not_join_notices() {
    let mut client = client(0);
    client.awaited = 0;
    let mut seen = Vec::new();
    let mut bytes = encode(&ServerFrame::Joined {
        epoch: 0,
        room: None,
        seq: 1,
        time_ms: 1,
        name: "ping".into(),
    });
    bytes.extend(encode(&ServerFrame::Ping { token: "7".into() }));
    client.feed(&bytes, &ProbeFinder::default(), &mut seen);
    assert_eq!(seen, [Seen::Pinged("7".into())]);
}
