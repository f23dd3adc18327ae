//! Choosing a name (joining) and changing it: a refused name gets its reason and
//! another try, in both modes.

use chat_shared::frame::{ClientFrame, ErrorCode, ServerFrame};

use super::{Next, World};

const PROMPT: &str = "* Choose a username (letters, digits, _ - . ; up to 24 characters):";

#[test]
fn a_plain_client_is_told_why_a_name_is_refused_and_asked_again() {
    let world = World::new(|_| {});
    let alice = world.plain("alice");
    let mut newcomer = world.connect();
    newcomer.read();

    newcomer.send("bad name");
    let refused = newcomer.read();
    assert_eq!(refused.len(), 2, "{refused:?}");
    assert!(refused[0].starts_with("! "), "{refused:?}");
    assert_eq!(refused[1], PROMPT);

    newcomer.send("ALICE");
    assert_eq!(newcomer.read(), ["! The name \"ALICE\" is taken", PROMPT]);

    newcomer.send("server");
    let reserved = newcomer.read();
    assert!(reserved[0].contains("reserved"), "{reserved:?}");
    assert_eq!(reserved[1], PROMPT);

    assert_eq!(newcomer.send("carol"), Next::Read);
    assert_eq!(
        newcomer.read()[0],
        "* Welcome, carol! 2 online: alice, carol"
    );
    let told = alice.read();
    assert_eq!(told.len(), 1, "{told:?}");
    assert!(told[0].ends_with("-!- carol joined"), "{told:?}");
}

#[test]
fn a_structured_client_gets_name_rejected_with_a_code_and_may_try_again() {
    let world = World::new(|_| {});
    let _bob = world.plain("bob");
    let mut program = world.connect();
    program.send(r#"{"type":"hello","version":3}"#);
    program.frames();
    let mut login = |name: &str| {
        program.send_frame(&ClientFrame::Login {
            password: None,
            after: None,
            name: name.to_owned(),
        });
        program.frames()
    };
    let codes: Vec<ErrorCode> = ["Bob", "b o b", "admin"]
        .into_iter()
        .map(|name| match login(name).as_slice() {
            [ServerFrame::NameRejected { code, .. }] => *code,
            other => panic!("{name}: {other:?}"),
        })
        .collect();
    assert_eq!(
        codes,
        [
            ErrorCode::NameTaken,
            ErrorCode::NameInvalid,
            ErrorCode::NameReserved
        ]
    );
    assert!(matches!(
        login("bob2").as_slice(),
        [ServerFrame::Welcome { room: _, name, roster }] if name == "bob2" && roster == &["bob", "bob2"]
    ));
}

#[test]
fn before_joining_only_a_name_quit_help_and_pings_are_accepted() {
    let world = World::new(|_| {});
    let mut program = world.connect();
    program.send(r#"{"type":"hello","version":3}"#);
    program.frames();
    program.send_frame(&ClientFrame::Say {
        nonce: None,
        room: None,
        text: "hi".into(),
    });
    program.send_frame(&ClientFrame::Who { room: None });
    program.send_frame(&ClientFrame::Ping { token: "t".into() });
    let frames = program.frames();
    assert!(
        matches!(
            frames.as_slice(),
            [
                ServerFrame::Error { code: ErrorCode::NotLoggedIn, .. },
                ServerFrame::Error { code: ErrorCode::NotLoggedIn, .. },
                ServerFrame::Pong { token },
            ] if token == "t"
        ),
        "{frames:?}"
    );
}

#[test]
fn a_rename_is_told_to_everyone_unless_the_name_is_taken_or_already_yours() {
    let world = World::new(|_| {});
    let mut alice = world.plain("alice");
    let bob = world.structured("bob");
    alice.read();

    alice.send("/nick alicia");
    assert!(alice.read()[0].ends_with("-!- alice is now known as alicia"));
    assert!(matches!(
        bob.frames().as_slice(),
        [ServerFrame::Renamed { old, new, .. }] if old == "alice" && new == "alicia"
    ));

    alice.send("/nick alicia");
    assert_eq!(alice.read(), ["* You are already called alicia."]);
    alice.send("/nick BOB");
    assert_eq!(alice.read(), ["! The name \"BOB\" is taken"]);
    alice.send("/nick no way");
    let invalid = alice.read();
    assert_eq!(invalid.len(), 1, "no prompt once joined: {invalid:?}");
    assert!(invalid[0].starts_with("! "), "{invalid:?}");
    assert_eq!(
        bob.frames(),
        [],
        "refused renames are nobody else's business"
    );

    alice.send("/nick Alicia");
    assert!(matches!(
        bob.frames().as_slice(),
        [ServerFrame::Renamed { new, .. }] if new == "Alicia"
    ));
}
