//! Scenario 5, flood: two clients, one per mode, send as fast as they can. Each is told
//! it is being slowed down; while they are held back, the others keep talking and are
//! served at once (their messages are relayed before the flood is through); and nothing
//! the flooders sent is dropped: every one of their messages arrives, in order.

use chat_shared::frame::{ClientFrame, ServerFrame, decode_server, encode};

use crate::member::{Event, Member, Speaks};
use crate::support::{Plain, Structured, start_server};
use crate::usable::assert_still_usable;

/// Messages each flooder sends in one write.
const FLOOD: usize = 150;

/// Round trips the two bystanders make while the flood is held back.
const ROUND_TRIPS: usize = 5;

#[test]
fn flooders_are_slowed_and_told_while_everyone_else_is_served_and_nothing_is_lost() {
    let server = start_server(|c| {
        c.flood_burst = 5;
        c.flood_rate = 40.0;
    });
    let addr = server.local_addr();
    let mut observer = Member::join(addr, "observer", Speaks::Structured);
    let mut plain_observer = Member::join(addr, "plain_observer", Speaks::Plain);
    let mut alice = Member::join(addr, "alice", Speaks::Plain);
    let mut bob = Member::join(addr, "bob", Speaks::Structured);
    let mut plain_flooder = Plain::join(addr, "plain_flooder");
    let (mut json_flooder, _) = Structured::join(addr, "json_flooder");

    let texts = |who: &str| -> Vec<String> { (0..FLOOD).map(|n| format!("{who} {n}")).collect() };
    let plain_flood: String = texts("plain_flooder")
        .iter()
        .map(|t| format!("{t}\n"))
        .collect();
    plain_flooder.0.send_raw(plain_flood.as_bytes());
    let json_flood: Vec<u8> = texts("json_flooder")
        .iter()
        .flat_map(|text| {
            encode(&ClientFrame::Say {
                nonce: None,
                room: None,
                text: text.clone(),
            })
        })
        .collect();
    json_flooder.0.send_raw(&json_flood);
    let slow_down = "You are sending too fast; your messages are being delayed.";
    plain_flooder.expect(&format!("* {slow_down}"));
    json_flooder.expect(|f| matches!(f, ServerFrame::Notice { text } if text == slow_down));

    // Both flooders are being held back now; the bystanders talk back and forth.
    for n in 0..ROUND_TRIPS {
        alice.sender().say(&format!("ping {n}"));
        bob.expect(|e| matches!(e, Event::Message { text, .. } if *text == format!("ping {n}")));
        bob.sender().say(&format!("pong {n}"));
        alice.expect(|e| matches!(e, Event::Message { text, .. } if *text == format!("pong {n}")));
    }

    let total = 2 * FLOOD + 2 * ROUND_TRIPS;
    for receiver in [&mut observer, &mut plain_observer] {
        let (messages, departures) = receiver.messages(total);
        assert_eq!(departures, [], "nobody was dropped");
        let from = |who: &str| -> Vec<String> {
            messages
                .iter()
                .filter_map(|e| match e {
                    Event::Message { from, text, .. } if from == who => Some(text.clone()),
                    _ => None,
                })
                .collect()
        };
        assert_eq!(
            from("plain_flooder"),
            texts("plain_flooder"),
            "{}",
            receiver.name
        );
        assert_eq!(
            from("json_flooder"),
            texts("json_flooder"),
            "{}",
            receiver.name
        );
        // The bystanders were served while the flood was still being held back.
        let position = |wanted: &str| {
            messages
                .iter()
                .position(|e| matches!(e, Event::Message { text, .. } if text == wanted))
                .unwrap()
        };
        let last_bystander = position(&format!("pong {}", ROUND_TRIPS - 1));
        for flooder in ["plain_flooder", "json_flooder"] {
            let last_flood = position(&format!("{flooder} {}", FLOOD - 1));
            assert!(
                last_bystander < last_flood,
                "{}: the bystanders waited for {flooder}'s flood",
                receiver.name
            );
        }
    }
    // The structured flooder got every one of its messages back as confirmation.
    let last = format!("json_flooder {}", FLOOD - 1);
    json_flooder.expect(|f| matches!(f, ServerFrame::Message { text, .. } if *text == last));
    let echoed: Vec<String> = json_flooder
        .0
        .seen
        .iter()
        .filter_map(|line| match decode_server(line) {
            Ok(ServerFrame::Message { from, text, .. }) if from == "json_flooder" => Some(text),
            _ => None,
        })
        .collect();
    assert_eq!(echoed, texts("json_flooder"));
    assert_still_usable(
        addr,
        &[
            "observer",
            "plain_observer",
            "alice",
            "bob",
            "plain_flooder",
            "json_flooder",
        ],
    );
}
