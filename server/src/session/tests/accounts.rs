//! Accounts from the session's side, in both modes: registering, claiming a registered
//! name with its password (and failing to), renaming, and the refusal of passwords over
//! plain TCP from the network. The test clients come from 192.0.2.x, not loopback, so
//! a world without `--allow-plain-passwords` refuses their passwords.

use chat_shared::frame::{ClientFrame, ErrorCode, ServerFrame};

use super::{End, Next, World};

const PROMPT: &str = "* Choose a username (letters, digits, _ - . ; up to 24 characters):";

fn allowing_plain_passwords() -> World {
    World::new(|config| config.allow_plain_passwords = true)
}

fn structured_login(
    client: &mut super::Client<'_>,
    name: &str,
    password: Option<&str>,
) -> Vec<ServerFrame> {
    client.send_frame(&ClientFrame::Login {
        password: password.map(str::to_owned),
        after: None,
        name: name.to_owned(),
    });
    client.frames()
}

fn rejection(frames: &[ServerFrame]) -> ErrorCode {
    match frames {
        [ServerFrame::NameRejected { code, .. }] => *code,
        other => panic!("not one rejection: {other:?}"),
    }
}

#[test]
fn a_plain_member_registers_and_the_name_then_needs_its_password() {
    let world = allowing_plain_passwords();
    let mut alice = world.plain("alice");
    alice.send("/register s3cret pass");
    assert_eq!(
        alice.read(),
        ["* alice is now registered: from now on, using this name needs its password."]
    );
    assert_eq!(alice.session.account.as_deref(), Some("alice"));
    alice.finish(&End::Quit(None));

    let mut newcomer = world.connect();
    newcomer.read();
    newcomer.send("Alice");
    let asked = newcomer.read();
    assert_eq!(asked.len(), 1, "{asked:?}");
    assert!(
        asked[0].starts_with("* Alice is a registered name. Type its password on the next line"),
        "{asked:?}"
    );
    newcomer.send("wrong guess");
    assert_eq!(newcomer.read(), ["! Wrong password for alice", PROMPT]);
    assert_eq!(newcomer.session.account, None);

    newcomer.send("alice");
    newcomer.read();
    assert_eq!(newcomer.send("s3cret pass"), Next::Read);
    let welcome = newcomer.read();
    assert!(welcome[0].starts_with("* Welcome, alice!"), "{welcome:?}");
    assert_eq!(newcomer.session.account.as_deref(), Some("alice"));
}

#[test]
fn a_structured_client_needs_the_password_in_its_login() {
    let world = allowing_plain_passwords();
    let mut bob = world.structured("bob");
    bob.send_frame(&ClientFrame::Register {
        password: "hunter2".into(),
    });
    assert!(matches!(
        bob.frames().as_slice(),
        [ServerFrame::Account { name, registered: true, .. }] if name == "bob"
    ));
    bob.finish(&End::Quit(None));

    let mut program = world.connect();
    program.send(r#"{"type":"hello","version":3}"#);
    program.frames();
    assert_eq!(
        rejection(&structured_login(&mut program, "bob", None)),
        ErrorCode::PasswordRequired
    );
    assert_eq!(
        rejection(&structured_login(&mut program, "BOB", Some("hunter3"))),
        ErrorCode::WrongPassword
    );
    assert_eq!(
        rejection(&structured_login(
            &mut program,
            "bob",
            Some(&"x".repeat(1025))
        )),
        ErrorCode::PasswordInvalid
    );
    assert_eq!(
        rejection(&structured_login(&mut program, "bob", Some("a\u{1b}[2Jb"))),
        ErrorCode::PasswordInvalid
    );
    assert!(
        structured_login(&mut program, "bob", Some("hunter2"))
            .iter()
            .any(|frame| matches!(frame, ServerFrame::Welcome { name, .. } if name == "bob"))
    );
    assert_eq!(program.session.account.as_deref(), Some("bob"));
}

#[test]
fn a_look_alike_of_an_account_is_refused_to_others_and_renaming_to_an_account_needs_it() {
    let world = allowing_plain_passwords();
    let mut alice = world.plain("alice");
    alice.send("/register pw-of-alice");
    alice.read();
    alice.send("/nick alice2");
    alice.read();
    alice.send("/nick aIice");
    assert!(
        alice.read()[0].ends_with("is now known as aIice"),
        "a look-alike of one's own account is one's own"
    );
    alice.send("/nick alice");
    alice.read();
    assert_eq!(alice.session.name.as_deref(), Some("alice"));
    alice.finish(&End::Quit(None));

    let mut mallory = world.connect();
    mallory.read();
    mallory.send("aIice");
    assert_eq!(
        mallory.read(),
        [
            "! The name \"aIice\" looks like the registered name \"alice\"",
            PROMPT
        ]
    );
    mallory.send("mallory");
    mallory.read();
    mallory.send("/nick alice");
    assert_eq!(
        mallory.read(),
        ["! The name \"alice\" is registered; log in as it with its password to use it"]
    );
    mallory.send("/register other");
    assert_eq!(
        mallory.read(),
        ["* mallory is now registered: from now on, using this name needs its password."]
    );
}

#[test]
fn password_change_and_unregister_need_the_current_password() {
    let world = allowing_plain_passwords();
    let mut dave = world.plain("dave");
    dave.send("/password old new");
    assert_eq!(
        dave.read(),
        ["! You have not logged in to an account; /register makes your name one."]
    );
    dave.send("/register first");
    dave.read();
    dave.send("/register again");
    assert_eq!(
        dave.read(),
        ["! You are registered as dave already; /password changes the password"]
    );
    dave.send("/password wrong second");
    assert_eq!(dave.read(), ["! Wrong password for dave"]);
    dave.send("/password first second");
    assert_eq!(dave.read(), ["* The password of dave is changed."]);
    dave.send("/unregister first");
    assert_eq!(dave.read(), ["! Wrong password for dave"]);
    dave.send("/unregister second");
    assert_eq!(
        dave.read(),
        ["* dave is no longer registered: anyone may use the name once you leave it."]
    );
    assert_eq!(dave.session.account, None);
    dave.finish(&End::Quit(None));
    world.plain("dave");
}

#[test]
fn plain_tcp_from_the_network_may_not_carry_passwords() {
    let world = World::new(|_| {});
    let mut erin = world.plain("erin");
    erin.send("/register hunter2");
    assert_eq!(
        erin.read(),
        [
            "! Refused: passwords are not accepted over an unencrypted connection from the \
             network, where anyone on the way could read them; connect with TLS."
        ]
    );
    assert_eq!(erin.session.account, None);

    let mut program = world.structured("frank");
    program.send_frame(&ClientFrame::Register {
        password: "hunter2".into(),
    });
    assert!(matches!(
        program.frames().as_slice(),
        [ServerFrame::Error {
            code: ErrorCode::EncryptionRequired,
            ..
        }]
    ));
}

#[test]
fn a_registered_name_is_refused_before_its_password_is_asked_over_plain_tcp() {
    let world = World::new(|_| {});
    let hash = world.shared.hasher.hash("pw").unwrap();
    world
        .shared
        .accounts
        .create(&crate::accounts::Account {
            name: "grace".into(),
            hash,
            created_ms: 0,
        })
        .unwrap();
    let mut person = world.connect();
    person.read();
    person.send("grace");
    let refused = person.read();
    assert!(
        refused[0]
            .starts_with("! The name \"grace\" is registered, but passwords are not accepted"),
        "{refused:?}"
    );
    assert_eq!(refused[1], PROMPT, "not asked for the password");
}

#[test]
fn registering_a_name_whose_look_alike_became_an_account_meanwhile_is_refused() {
    let world = allowing_plain_passwords();
    let mut alice = world.plain("alice");
    let hash = world.shared.hasher.hash("theirs").unwrap();
    world
        .shared
        .accounts
        .create(&crate::accounts::Account {
            name: "aIice".into(),
            hash,
            created_ms: 0,
        })
        .unwrap();
    alice.send("/register mine");
    assert_eq!(
        alice.read(),
        ["! Cannot register alice: aIice is registered already"]
    );
    assert_eq!(alice.session.account, None);
}
