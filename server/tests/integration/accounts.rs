//! Accounts over real sockets, in both modes: registering, logging in with the right and
//! wrong passwords and trying again, changing the password, unregistering, and accounts
//! that outlive a restart in a data directory.

use chat_server::Server;
use chat_shared::frame::{ClientFrame, ErrorCode, ServerFrame};

use crate::support::{Plain, Structured, start_server};

/// Logs in as `name` with `password`; returns the rejection's code, or `None` when
/// welcomed.
fn login(client: &mut Structured, name: &str, password: Option<&str>) -> Option<ErrorCode> {
    client.send(&ClientFrame::Login {
        password: password.map(str::to_owned),
        after: None,
        name: name.to_owned(),
    });
    match client.expect(|f| {
        matches!(
            f,
            ServerFrame::Welcome { .. } | ServerFrame::NameRejected { .. }
        )
    }) {
        ServerFrame::NameRejected { code, .. } => Some(code),
        _ => None,
    }
}

/// Registers the current name of a structured client with `password`.
fn register(client: &mut Structured, password: &str) {
    client.send(&ClientFrame::Register {
        password: password.to_owned(),
    });
    let answer =
        client.expect(|f| matches!(f, ServerFrame::Account { .. } | ServerFrame::Error { .. }));
    assert!(
        matches!(
            answer,
            ServerFrame::Account {
                registered: true,
                ..
            }
        ),
        "{answer:?}"
    );
}

/// Registers `name` in plain mode and leaves.
fn register_plain(server: &Server, name: &str, password: &str) {
    let mut person = Plain::join(server.local_addr(), name);
    person.say(&format!("/register {password}"));
    person.expect(&format!("* {name} is now registered"));
    person.say("/quit");
    person.0.expect_closed();
}

#[test]
fn a_plain_person_registers_and_logs_in_again_after_a_wrong_password() {
    let server = start_server(|_| {});
    register_plain(&server, "alice", "correct horse");

    let mut alice = Plain::connect(server.local_addr());
    alice.say("alice");
    let asked = alice.expect("registered name");
    assert!(asked.contains("this line is a password"), "{asked}");
    alice.say("battery staple");
    assert_eq!(alice.expect_error(), "! Wrong password for alice");
    alice
        .0
        .expect_line(|l| l.starts_with("* Choose a username"));
    alice.say("alice");
    alice.expect("registered name");
    alice.say("correct horse");
    alice.expect("* Welcome, alice!");

    let mut program = Structured::connect(server.local_addr());
    assert_eq!(
        login(&mut program, "bob2", Some("x")),
        None,
        "a password for a free name is not needed, and does no harm"
    );
}

#[test]
fn a_structured_client_registers_and_logs_in_with_its_password() {
    let server = start_server(|_| {});
    let (mut bob, _) = Structured::join(server.local_addr(), "bob");
    register(&mut bob, "hunter2");
    bob.send(&ClientFrame::Quit { reason: None });
    bob.0.expect_closed();

    let mut client = Structured::connect(server.local_addr());
    assert_eq!(
        login(&mut client, "bob", None),
        Some(ErrorCode::PasswordRequired)
    );
    assert_eq!(
        login(&mut client, "Bob", Some("hunter3")),
        Some(ErrorCode::WrongPassword)
    );
    assert_eq!(login(&mut client, "bob", Some("hunter2")), None);

    let mut plain = Plain::join(server.local_addr(), "carol");
    plain.say("/nick bob");
    assert_eq!(
        plain.expect_error(),
        "! The name \"bob\" is registered; log in as it with its password to use it"
    );
}

#[test]
fn a_password_changes_and_an_account_ends_only_with_the_password() {
    let server = start_server(|_| {});
    let addr = server.local_addr();
    let mut dave = Plain::join(addr, "dave");
    dave.say("/register first");
    dave.expect("now registered");
    dave.say("/password wrong second");
    assert_eq!(dave.expect_error(), "! Wrong password for dave");
    dave.say("/password first second");
    dave.expect("* The password of dave is changed.");
    dave.say("/unregister first");
    assert_eq!(dave.expect_error(), "! Wrong password for dave");
    dave.say("/quit");
    dave.0.expect_closed();

    let mut client = Structured::connect(addr);
    assert_eq!(
        login(&mut client, "dave", Some("first")),
        Some(ErrorCode::WrongPassword)
    );
    assert_eq!(login(&mut client, "dave", Some("second")), None);
    client.send(&ClientFrame::Unregister {
        password: "second".into(),
    });
    client.expect(|f| {
        matches!(
            f,
            ServerFrame::Account {
                registered: false,
                ..
            }
        )
    });
    client.send(&ClientFrame::Quit { reason: None });
    client.0.expect_closed();

    Plain::join(addr, "dave");
}

#[test]
fn accounts_outlive_a_restart_in_the_data_directory() {
    let dir = tempfile::tempdir().unwrap();
    let with_data = |config: &mut chat_server::Config| {
        config.data_dir = Some(dir.path().to_path_buf());
    };
    let server = start_server(with_data);
    register_plain(&server, "erin", "kept on disk");
    server.shutdown();

    let server = start_server(with_data);
    let mut client = Structured::connect(server.local_addr());
    assert_eq!(
        login(&mut client, "erin", None),
        Some(ErrorCode::PasswordRequired)
    );
    assert_eq!(
        login(&mut client, "erin", Some("kept on disk")),
        None,
        "the hash survived"
    );
}

#[test]
fn without_a_data_directory_accounts_end_with_the_server() {
    let server = start_server(|_| {});
    register_plain(&server, "frank", "gone soon");
    server.shutdown();
    let server = start_server(|_| {});
    Plain::join(server.local_addr(), "frank");
}
