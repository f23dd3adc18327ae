//! Timers while the client is silent: a joined structured client is pinged and given
//! up if it stays silent; a plain one is never pinged; a connection that chooses no name
//! in time is closed.

use std::time::Duration;

use chat_shared::frame::{ClientFrame, ErrorCode, ServerFrame};

use super::{End, Next, World};

#[test]
fn a_silent_structured_client_is_pinged_and_any_line_answers() {
    let world = World::new(|c| {
        c.ping_interval = Duration::from_secs(90);
        c.ping_timeout = Duration::from_secs(45);
    });
    let mut bot = world.structured("bot");
    let interval = Duration::from_secs(90);
    assert_eq!(bot.session.next_deadline(), Some(bot.now + interval));

    let due = bot.now + interval;
    assert_eq!(bot.tick(due - Duration::from_millis(1)), Next::Read);
    assert_eq!(bot.frames(), []);
    assert_eq!(bot.tick(due), Next::Read);
    assert!(matches!(bot.frames().as_slice(), [ServerFrame::Ping { token }] if token == "1"));
    assert_eq!(
        bot.session.next_deadline(),
        Some(due + Duration::from_secs(45))
    );

    // Any line is a sign of life, not only a pong; the silence counts from it.
    bot.wait(Duration::from_secs(10));
    bot.send_frame(&ClientFrame::Who { room: None });
    bot.frames();
    assert_eq!(bot.session.next_deadline(), Some(bot.now + interval));
    let due = bot.now + interval;
    bot.tick(due);
    assert!(matches!(bot.frames().as_slice(), [ServerFrame::Ping { token }] if token == "2"));
}

#[test]
fn a_ping_left_unanswered_ends_the_session_with_ping_timeout() {
    let world = World::new(|c| {
        c.ping_interval = Duration::from_secs(90);
        c.ping_timeout = Duration::from_secs(45);
    });
    let person = world.plain("person");
    let mut mute = world.structured("mute");
    person.read();
    let pinged = mute.now + Duration::from_secs(90);
    mute.tick(pinged);
    assert_eq!(
        mute.tick(pinged + Duration::from_secs(44)),
        Next::Read,
        "still within the ping timeout"
    );
    let next = mute.tick(pinged + Duration::from_secs(45));
    assert_eq!(next, Next::Close(End::PingTimeout));
    assert_eq!(mute.finish(&End::PingTimeout), Duration::ZERO);
    let told = person.read();
    assert_eq!(told.len(), 1, "{told:?}");
    assert!(
        told[0].ends_with("-!- mute left (ping timeout)"),
        "{told:?}"
    );
}

#[test]
fn a_plain_member_has_no_timer_at_all() {
    let world = World::new(|_| {});
    let person = world.plain("person");
    assert_eq!(person.session.next_deadline(), None);
}

#[test]
fn a_connection_without_a_name_in_time_is_told_and_closed() {
    let world = World::new(|c| c.handshake_timeout = Duration::from_secs(30));
    let mut silent = world.connect();
    silent.read();
    let deadline = world.at(Duration::from_secs(30));
    assert_eq!(silent.session.next_deadline(), Some(deadline));

    // Refused names do not extend the handshake.
    silent.wait(Duration::from_secs(20));
    silent.send("bad name");
    silent.read();
    assert_eq!(silent.session.next_deadline(), Some(deadline));

    assert_eq!(silent.tick(deadline - Duration::from_millis(1)), Next::Read);
    assert_eq!(silent.tick(deadline), Next::Close(End::HandshakeTimeout));
    assert_eq!(silent.read(), ["! No name chosen within 30s; closing."]);

    let mut program = world.connect();
    program.send(r#"{"type":"hello","version":3}"#);
    program.frames();
    assert_eq!(program.tick(deadline), Next::Close(End::HandshakeTimeout));
    assert!(matches!(
        program.frames().as_slice(),
        [ServerFrame::Error {
            code: ErrorCode::HandshakeTimeout,
            ..
        }]
    ));
}

#[test]
fn the_handshake_shrinks_while_silent_connections_fill_their_share() {
    let world = World::new(|c| {
        c.max_clients = 8;
        c.unjoined_percent = 50;
        c.handshake_timeout = Duration::from_secs(30);
        c.busy_handshake_timeout = Duration::from_secs(5);
    });
    let first = world.connect();
    assert_eq!(
        first.session.next_deadline(),
        Some(world.at(Duration::from_secs(30)))
    );
    let _others: Vec<_> = (0..3).map(|_| world.connect()).collect();
    assert_eq!(
        first.session.next_deadline(),
        Some(world.at(Duration::from_secs(5))),
        "the share of silent connections is full"
    );
}
