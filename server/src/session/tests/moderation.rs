//! Operators: who is one, and what a kick, a mute and a ban do to the user, its rooms
//! and the operator; and the commands' hostile inputs.

use std::time::Duration;

use chat_shared::frame::{ClientFrame, ErrorCode, LeaveReason, ServerFrame};
use chat_shared::text::MAX_REASON_CHARS;

use super::{Client, End, Next, World};

/// A server whose operator is `root_op`.
/// A server whose operator is `root_op`, without flood control (some tests repeat a
/// line until a mute runs out).
fn world() -> World {
    World::new(|config| {
        config.operators = vec!["root_op".to_owned()];
        config.flood_rate = 0.0;
    })
}

/// `root_op`, logged in with its account's password, in plain mode.
fn operator(world: &World) -> Client<'_> {
    let mut op = world.plain("root_op");
    op.prove_account();
    op.read();
    op
}

/// Ends a session the connection table hung up, as its socket loop would.
fn ended_from_outside(client: &mut Client<'_>) -> Vec<String> {
    assert!(client.hung_up(), "the session was not stopped");
    let end = client.session.on_closed();
    assert!(matches!(end, End::Removed(_)), "{end:?}");
    client.finish(&end);
    client.read()
}

#[test]
fn anyone_else_is_refused_with_not_operator_even_under_an_operators_name() {
    let world = world();
    let mut bob = world.structured("bob");
    let mut unproved = world.plain("root_op");
    let carol = world.plain("carol");
    unproved.read();
    bob.frames();
    for frame in [
        ClientFrame::Kick {
            name: "carol".into(),
            reason: None,
        },
        ClientFrame::Ban {
            target: "carol".into(),
            duration_s: None,
            reason: None,
        },
        ClientFrame::Bans,
    ] {
        bob.send_frame(&frame);
        assert!(matches!(
            bob.frames().as_slice(),
            [ServerFrame::Error {
                code: ErrorCode::NotOperator,
                ..
            }]
        ));
    }
    for line in [
        "/kick carol",
        "/mute carol",
        "/unmute carol",
        "/unban carol",
    ] {
        unproved.send(line);
        let refused = unproved.read();
        assert!(refused[0].starts_with("! Only operators"), "{refused:?}");
    }
    assert!(!carol.hung_up());
}

#[test]
fn a_kick_disconnects_with_the_reason_and_every_room_sees_who_and_why() {
    let world = world();
    let mut op = operator(&world);
    let alice = world.plain("alice");
    let bob = world.structured("bob");
    let mut carol = world.plain("carol");
    alice.read();
    bob.frames();
    op.read();

    assert_eq!(op.send("/kick CAROL flooding the room"), Next::Read);
    assert_eq!(op.read(), ["* You kicked carol."]);
    assert_eq!(
        ended_from_outside(&mut carol),
        ["! You were kicked by root_op: flooding the room"]
    );
    let told = alice.read();
    assert!(
        told[0].ends_with("-!- carol was kicked by root_op (flooding the room)"),
        "{told:?}"
    );
    assert!(matches!(
        bob.frames().as_slice(),
        [ServerFrame::Left { name, reason: LeaveReason::Kicked, by: Some(by), message: Some(why), .. }]
            if name == "carol" && by == "root_op" && why == "flooding the room"
    ));
}

#[test]
fn operators_cannot_be_kicked_muted_or_banned_and_nobody_is_found_offline() {
    let world = World::new(|config| {
        config.operators = vec!["root_op".to_owned(), "second_op".to_owned()];
        config.flood_rate = 0.0;
    });
    let mut op = operator(&world);
    let other = world.plain("second_op");
    op.read();
    for line in [
        "/kick second_op",
        "/mute second_op",
        "/ban second_op",
        "/ban r00t_op",
        "/kick root_op",
        "/ban 192.0.2.1",
        "/ban 192.0.2.0/24",
    ] {
        op.send(line);
        let refused = op.read();
        assert!(
            refused[0].contains("operators cannot be"),
            "{line}: {refused:?}"
        );
    }
    assert!(!other.hung_up());
    op.send("/nick plain_bob");
    op.read();
    for line in ["/ban plain_bob", "/ban PLAIN_BOB 1h"] {
        op.send(line);
        let refused = op.read();
        assert!(
            refused[0].contains("operators cannot be"),
            "{line}: {refused:?}"
        );
    }
    op.send("/kick nobody");
    assert_eq!(op.read(), ["! No one called \"nobody\" is online"]);
}

#[test]
fn a_muted_user_cannot_speak_anywhere_until_unmuted_and_reconnecting_keeps_the_mute() {
    let world = world();
    let mut op = operator(&world);
    let alice = world.plain("alice");
    let mut carol = world.plain("carol");
    op.read();
    alice.read();

    op.send("/mute carol 2h calm down");
    assert!(op.read().contains(&"* You muted carol for 2h.".to_owned()));
    let told = carol.read();
    assert!(
        told.iter()
            .any(|l| l.ends_with("-!- carol was muted by root_op for 2h (calm down)"))
    );
    assert!(
        told.iter()
            .any(|l| l.starts_with("* You are muted for 2h by root_op"))
    );
    assert!(alice.read()[0].ends_with("-!- carol was muted by root_op for 2h (calm down)"));

    for line in [
        "hello?",
        "/me waves",
        "/msg alice psst",
        "/topic mine",
        "/nick carol2",
    ] {
        carol.send(line);
        let refused = carol.read();
        assert_eq!(refused.len(), 1, "{line}: {refused:?}");
        assert!(
            refused[0].starts_with("! You are muted for "),
            "{line}: {refused:?}"
        );
        assert!(
            refused[0].ends_with(" more (by root_op)."),
            "{line}: {refused:?}"
        );
    }
    assert!(alice.read().is_empty(), "nothing got through");
    carol.send("/join #side");
    carol.send("/part #side shouting through the door");
    carol.read();
    let mut spy = world.plain("spy");
    spy.send("/join #side");
    spy.read();
    carol.send("/join #side");
    carol.send("/part #side shouting again");
    assert!(
        spy.read()
            .iter()
            .any(|l| l.ends_with("-!- carol left (parted)")),
        "a muted member parts without its message"
    );
    carol.read();
    alice.read();

    let end = End::Quit(Some("a last word".into()));
    carol.finish(&end);
    let quit = alice.read();
    assert!(quit[0].ends_with("-!- carol left (quit)"), "{quit:?}");
    let mut again = world.plain("CAROL");
    again.read();
    again.send("back");
    assert!(again.read()[0].starts_with("! You are muted"));

    op.send("/unmute carol");
    assert!(op.read().contains(&"* carol may speak again.".to_owned()));
    assert!(
        again
            .read()
            .iter()
            .any(|l| l.ends_with("-!- root_op unmuted CAROL"))
    );
    again.send("thanks");
    assert!(alice.read().iter().any(|l| l.ends_with("<CAROL> thanks")));
    op.read();
    op.send("/unmute carol");
    assert_eq!(op.read(), ["* carol is not muted."]);
}

#[test]
fn a_ban_on_a_name_disconnects_it_and_refuses_it_and_its_look_alikes_until_lifted() {
    let world = world();
    let mut op = operator(&world);
    let bob = world.structured("bob");
    let mut mallory = world.plain("mallory");
    bob.frames();
    op.read();

    op.send("/ban Mallory 1d spam");
    assert_eq!(op.read(), ["* Banned Mallory for 1d; 1 disconnected."]);
    let goodbye = ended_from_outside(&mut mallory);
    assert!(
        goodbye[0].starts_with("! You are banned: Mallory is banned for 1d"),
        "{goodbye:?}"
    );
    assert!(matches!(
        bob.frames().as_slice(),
        [ServerFrame::Left { name, reason: LeaveReason::Banned, by: Some(by), message: Some(why), .. }]
            if name == "mallory" && by == "root_op" && why == "spam"
    ));

    let mut back = world.connect();
    back.read();
    for name in ["mallory", "MALLORY", "maIlory"] {
        back.send(name);
        let refused = back.read();
        assert!(refused[0].contains("is banned for"), "{name}: {refused:?}");
    }
    let mut renamer = world.plain("eve");
    renamer.send("/nick mallory");
    assert!(renamer.read()[0].contains("is banned"));

    op.read();
    op.send("/bans");
    let listed = op.read();
    assert_eq!(listed[0], "* Bans (1):");
    assert!(listed[1].starts_with("*   Mallory until "), "{listed:?}");
    op.send("/unban mallory");
    assert_eq!(op.read(), ["* Lifted the ban on Mallory."]);
    assert_eq!(back.send("mallory"), Next::Read);
    assert!(back.read()[0].starts_with("* Welcome, mallory!"));
    op.send("/unban mallory");
    let refused = op.read();
    assert!(
        refused
            .last()
            .unwrap()
            .starts_with("! Nothing is banned as mallory"),
        "{refused:?}"
    );
}

#[test]
fn a_ban_on_an_address_disconnects_every_connection_from_it() {
    let world = world();
    let mut op = operator(&world);
    let alice = world.plain("alice");
    let mut carol = world.plain("carol");
    let silent = world.connect();
    op.read();
    alice.read();

    op.send("/ban 192.0.2.3 no more");
    assert_eq!(op.read(), ["* Banned 192.0.2.3 for ever; 1 disconnected."]);
    let goodbye = ended_from_outside(&mut carol);
    assert!(goodbye[0].contains("192.0.2.3 is banned for ever (by root_op: no more)"));
    assert!(alice.read()[0].ends_with("-!- carol was banned by root_op (no more)"));
    assert!(!silent.hung_up(), "another address");
    silent.read();
}

#[test]
fn hostile_targets_durations_and_reasons_are_refused_or_cut() {
    let world = world();
    let mut op = operator(&world);
    let mut carol = world.plain("carol");
    op.read();
    for line in [
        "/ban 10.0.0.0/33",
        "/ban 0.0.0.0/0",
        "/ban ::/0",
        "/ban 300.1.2.3",
        "/ban \u{1b}[2Jevil",
        "/mute carol 9999999999999999999999d",
        "/ban carol 400d",
        "/mute carol 0s",
    ] {
        assert_eq!(op.send(line), Next::Read);
        let refused = op.read();
        assert_eq!(refused.len(), 1, "{line}: {refused:?}");
        assert!(refused[0].starts_with("! "), "{line}: {refused:?}");
        assert!(!refused[0].contains('\u{1b}'), "{refused:?}");
    }
    assert!(!carol.hung_up());
    let huge = format!("{}\u{7}\u{1b}[31m", "x".repeat(20_000));
    op.send(&format!("/kick carol {huge}"));
    let goodbye = ended_from_outside(&mut carol);
    let reason = goodbye[0].trim_start_matches("! You were kicked by root_op: ");
    assert!(
        reason.chars().count() <= MAX_REASON_CHARS,
        "{}",
        reason.len()
    );
    assert!(!reason.contains('\u{1b}') && !reason.contains('\u{7}'));
}

#[test]
fn a_mute_runs_out_by_itself() {
    let world = world();
    let mut op = operator(&world);
    let alice = world.plain("alice");
    let mut carol = world.plain("carol");
    op.read();
    op.send("/mute carol 1s");
    carol.read();
    alice.read();
    carol.send("too early");
    assert!(carol.read()[0].starts_with("! You are muted"));
    let deadline = std::time::Instant::now() + Duration::from_secs(15);
    loop {
        carol.send("now?");
        if carol.read().is_empty() {
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "the mute never ran out"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    let told = alice.read();
    assert!(told.iter().any(|l| l.ends_with("<carol> now?")), "{told:?}");
}

#[test]
fn a_quiet_newcomer_who_is_kicked_is_announced_first_so_the_kick_is_seen() {
    let world = World::new(|config| {
        config.operators = vec!["root_op".to_owned()];
        config.announce_delay = Duration::from_secs(60);
    });
    let mut op = operator(&world);
    let alice = world.plain("alice");
    op.read();
    alice.read();
    let mut quiet = world.plain("quiet");
    assert!(alice.read().is_empty(), "not announced yet");

    op.send("/kick quiet");
    ended_from_outside(&mut quiet);
    let told = alice.read();
    assert_eq!(told.len(), 2, "{told:?}");
    assert!(told[0].ends_with("-!- quiet joined"), "{told:?}");
    assert!(
        told[1].ends_with("-!- quiet was kicked by root_op"),
        "{told:?}"
    );
}
