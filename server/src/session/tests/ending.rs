//! How a session ends: why the connection closed under it, the goodbye for each
//! reason, and what the others are told.

use std::sync::atomic::Ordering;
use std::time::Duration;

use chat_shared::frame::{LeaveReason, ServerFrame};

use super::{End, Next, World};
use crate::connections::Refusal;

#[test]
fn a_quit_is_told_to_everyone_with_its_reason() {
    let world = World::new(|_| {});
    let mut alice = world.plain("alice");
    let bob = world.structured("bob");
    alice.read();
    let end = End::Quit(Some("see you".into()));
    assert_eq!(alice.send("/quit see you"), Next::Close(end.clone()));
    assert_eq!(alice.finish(&end), Duration::from_secs(1));
    assert_eq!(alice.read(), ["* Bye!"]);
    assert!(matches!(
        bob.frames().as_slice(),
        [ServerFrame::Left { name, reason: LeaveReason::Quit, message: Some(message), .. }]
            if name == "alice" && message == "see you"
    ));
}

#[test]
fn a_closed_connection_is_lost_unless_it_read_too_slowly() {
    let world = World::new(|_| {});
    let mut alice = world.plain("alice");
    let mut bob = world.plain("bob");
    let carol = world.plain("carol");
    alice.read();
    carol.read();

    assert_eq!(alice.session.on_closed(), End::ConnectionLost);
    assert_eq!(alice.finish(&End::ConnectionLost), Duration::ZERO);
    bob.out.overflowed.store(true, Ordering::Relaxed);
    assert_eq!(bob.session.on_closed(), End::SendQueueExceeded);
    bob.finish(&End::SendQueueExceeded);

    let told = carol.read();
    assert_eq!(told.len(), 2, "{told:?}");
    assert!(
        told[0].ends_with("-!- alice left (connection lost)"),
        "{told:?}"
    );
    assert!(
        told[1].ends_with("-!- bob left (send queue exceeded)"),
        "{told:?}"
    );
}

#[test]
fn the_oldest_silent_connection_is_hung_up_to_make_room_and_told_why() {
    let world = World::new(|c| {
        c.max_clients = 4;
        c.unjoined_percent = 25;
    });
    let mut oldest = world.connect();
    oldest.read();
    let newcomer = world.connect();
    assert!(oldest.hung_up(), "its session is woken");
    assert!(!newcomer.hung_up());

    // Its socket loop may still hand it a name before noticing: it may not join.
    assert_eq!(oldest.send("alice"), Next::Close(End::Evicted));
    assert_eq!(oldest.session.on_closed(), End::Evicted);
    assert_eq!(oldest.finish(&End::Evicted), Duration::from_secs(1));
    let goodbye = oldest.read();
    assert_eq!(goodbye.len(), 1, "{goodbye:?}");
    assert!(
        goodbye[0].starts_with("! The server is busy and needs room for newcomers"),
        "{goodbye:?}"
    );
}

#[test]
fn at_shutdown_every_session_is_woken_and_says_goodbye_without_departures() {
    let world = World::new(|c| c.shutdown_grace = Duration::from_secs(3));
    let mut person = world.plain("person");
    let mut program = world.structured("program");
    let mut undecided = world.connect();
    person.read();
    undecided.read();

    assert!(world.shared.shutdown.begin(Duration::from_secs(2)));
    for client in [&person, &program, &undecided] {
        assert!(client.hung_up());
        assert_eq!(client.session.on_closed(), End::ServerStopping);
    }
    assert_eq!(person.finish(&End::ServerStopping), Duration::from_secs(3));
    program.finish(&End::ServerStopping);
    undecided.finish(&End::ServerStopping);

    assert_eq!(person.read(), ["* The server is shutting down."]);
    assert!(matches!(
        program.frames().as_slice(),
        [ServerFrame::Shutdown {
            retry_within_ms: Some(2000),
            ..
        }]
    ));
    assert_eq!(
        undecided.read(),
        ["ERROR shutting_down: the server is shutting down"]
    );
    let refused = world.try_connect().err();
    assert!(matches!(refused, Some(Refusal::ShuttingDown)));
}

#[test]
fn a_name_cannot_be_taken_once_shutdown_has_begun() {
    let world = World::new(|_| {});
    let mut late = world.connect();
    world.shared.shutdown.begin(Duration::ZERO);
    assert_eq!(late.send("alice"), Next::Close(End::ServerStopping));
}
