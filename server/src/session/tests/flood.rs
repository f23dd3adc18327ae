//! Flood control: over budget, a line is held back (the socket loop reads nothing
//! meanwhile) and carried out after the wait; the client is told once per episode;
//! nothing is dropped.

use std::time::Duration;

use chat_shared::frame::{ClientFrame, ServerFrame};

use super::{Next, World};

const SLOW_DOWN: &str = "You are sending too fast; your messages are being delayed.";

#[test]
fn a_line_over_budget_waits_its_turn_and_the_client_is_told_once() {
    let world = World::new(|c| {
        c.flood_burst = 3;
        c.flood_rate = 2.0;
    });
    let observer = world.plain("observer");
    // Joining takes the first token of the burst.
    let mut alice = world.plain("alice");
    observer.read();

    assert_eq!(alice.send("one"), Next::Read);
    assert_eq!(alice.send("two"), Next::Read);
    assert_eq!(alice.send("three"), Next::Wait(Duration::from_millis(500)));
    assert_eq!(alice.read(), [format!("* {SLOW_DOWN}")]);
    let seen = observer.read();
    assert_eq!(seen.len(), 2, "{seen:?}");
    assert!(
        seen[1].ends_with("<alice> two"),
        "the held line waits: {seen:?}"
    );

    alice.wait(Duration::from_millis(500));
    assert_eq!(alice.session.resume(alice.now), Next::Read);
    assert_eq!(alice.session.on_input_done(None), Next::Read);
    assert!(observer.read()[0].ends_with("<alice> three"));

    // Still over budget: waits again, without being told again.
    assert_eq!(alice.send("four"), Next::Wait(Duration::from_millis(500)));
    assert_eq!(alice.read(), Vec::<String>::new());
    alice.wait(Duration::from_millis(500));
    alice.session.resume(alice.now);
    alice.session.on_input_done(None);
    assert!(observer.read()[0].ends_with("<alice> four"));

    // After a pause the budget has refilled; a new episode is told again.
    alice.wait(Duration::from_secs(60));
    for text in ["five", "six", "seven"] {
        assert_eq!(alice.send(text), Next::Read);
    }
    assert!(matches!(alice.send("eight"), Next::Wait(_)));
    assert_eq!(alice.read(), [format!("* {SLOW_DOWN}")]);
}

#[test]
fn pongs_and_empty_lines_cost_nothing() {
    let world = World::new(|c| {
        c.flood_burst = 2;
        c.flood_rate = 1.0;
    });
    // Hello is free; the login takes one token and leaves one.
    let mut bot = world.structured("bot");
    for _ in 0..10 {
        assert_eq!(
            bot.send_frame(&ClientFrame::Pong { token: "1".into() }),
            Next::Read
        );
        assert_eq!(bot.send(""), Next::Read);
    }
    assert_eq!(
        bot.send_frame(&ClientFrame::Say {
            nonce: None,
            room: None,
            text: "a".into()
        }),
        Next::Read
    );
    assert!(matches!(
        bot.send_frame(&ClientFrame::Say {
            nonce: None,
            room: None,
            text: "b".into()
        }),
        Next::Wait(_)
    ));
    assert!(matches!(
        bot.frames().as_slice(),
        [ServerFrame::Message { text, .. }, ServerFrame::Notice { .. }] if text == "a"
    ));
}
