//! Passwords in the client: the login form's hidden field, logging in again with the
//! password after a reconnect, the hidden field of `/register`, `/password` and
//! `/unregister`, and the places a password must never reach (the input history, the
//! scrollback).

use super::*;

fn login_with(update: &Update) -> Option<String> {
    match sent(update).as_slice() {
        [ClientFrame::Login { password, .. }] => password.clone(),
        other => panic!("not one login: {other:?}"),
    }
}

/// Every text the user could see again: the scrollback of every buffer and the input
/// history reached with Up.
fn everything_shown(app: &mut App) -> String {
    let mut shown = String::new();
    for index in 0..app.buffers.len() {
        app.show(index);
        for entry in app.entries() {
            shown.push_str(&format!("{:?}\n", entry.kind));
        }
    }
    while let Some(older) = app.history.older(app.input.text()) {
        shown.push_str(older);
        shown.push('\n');
        app.input.set(older);
    }
    shown
}

#[test]
fn the_login_form_sends_the_hidden_password_and_logs_in_again_with_it() {
    let mut app = new_app();
    connected(&mut app);
    type_text(&mut app, "alice");
    press(&mut app, KeyCode::Tab);
    assert_eq!(app.login.focus, LoginField::Password);
    type_text(&mut app, "hunter2");
    assert_eq!(app.login_name(), "alice", "typed into the password field");
    let update = press(&mut app, KeyCode::Enter);
    assert_eq!(login_with(&update).as_deref(), Some("hunter2"));
    welcome(&mut app, "alice", &["alice"]);

    disconnected(&mut app);
    let update = connected(&mut app);
    assert_eq!(
        login_with(&update).as_deref(),
        Some("hunter2"),
        "the reconnect logs in with the password it used"
    );
}

#[test]
fn a_wrong_password_empties_the_field_and_is_not_sent_again() {
    let mut app = new_app();
    connected(&mut app);
    type_text(&mut app, "alice");
    press(&mut app, KeyCode::Tab);
    type_text(&mut app, "guess");
    press(&mut app, KeyCode::Enter);
    frame(
        &mut app,
        ServerFrame::NameRejected {
            name: "alice".into(),
            code: ErrorCode::WrongPassword,
            message: "wrong password for alice".into(),
        },
    );
    assert!(app.login.password.is_empty());
    assert_eq!(app.login.focus, LoginField::Password);
    disconnected(&mut app);
    connected(&mut app);
    press(&mut app, KeyCode::Tab);
    let update = press(&mut app, KeyCode::Enter);
    assert_eq!(login_with(&update), None);
}

#[test]
fn register_without_a_password_asks_in_a_hidden_field_that_nothing_remembers() {
    let mut app = logged_in();
    type_text(&mut app, "/register");
    press(&mut app, KeyCode::Enter);
    assert!(app.secret_prompt().is_some());
    type_text(&mut app, "s3cret-pass");
    assert!(
        sent(&press(&mut app, KeyCode::Enter)).is_empty(),
        "asked again"
    );
    type_text(&mut app, "s3cret-pass");
    let update = press(&mut app, KeyCode::Enter);
    assert_eq!(
        sent(&update),
        [ClientFrame::Register {
            password: "s3cret-pass".into()
        }]
    );
    assert!(app.secret_prompt().is_none());
    frame(
        &mut app,
        ServerFrame::Account {
            name: "alice".into(),
            registered: true,
            message: "alice is now registered".into(),
        },
    );
    type_text(&mut app, "/password old-one new-one");
    press(&mut app, KeyCode::Enter);
    let shown = everything_shown(&mut app);
    for secret in ["s3cret-pass", "old-one", "new-one"] {
        assert!(!shown.contains(secret), "{secret} shown: {shown}");
    }
    assert!(shown.contains("alice is now registered"), "{shown}");

    disconnected(&mut app);
    let update = connected(&mut app);
    assert_eq!(
        login_with(&update).as_deref(),
        Some("s3cret-pass"),
        "the new password is not the account's until the server says so"
    );
}

#[test]
fn password_asks_for_the_old_one_then_the_new_one_twice_and_escape_sends_nothing() {
    let mut app = logged_in();
    type_text(&mut app, "/password");
    press(&mut app, KeyCode::Enter);
    type_text(&mut app, "old");
    assert!(sent(&press(&mut app, KeyCode::Enter)).is_empty());
    type_text(&mut app, "new");
    assert!(sent(&press(&mut app, KeyCode::Enter)).is_empty());
    type_text(&mut app, "new");
    assert_eq!(
        sent(&press(&mut app, KeyCode::Enter)),
        [ClientFrame::Password {
            old: "old".into(),
            new: "new".into()
        }]
    );
    frame(
        &mut app,
        ServerFrame::Account {
            name: "alice".into(),
            registered: true,
            message: "changed".into(),
        },
    );
    assert_eq!(app.password.as_ref().map(|p| p.expose()), Some("new"));

    type_text(&mut app, "/unregister");
    press(&mut app, KeyCode::Enter);
    type_text(&mut app, "typo");
    let update = press(&mut app, KeyCode::Esc);
    assert!(sent(&update).is_empty());
    assert!(app.secret_prompt().is_none());
    type_text(&mut app, "/unregister new");
    press(&mut app, KeyCode::Enter);
    frame(
        &mut app,
        ServerFrame::Account {
            name: "alice".into(),
            registered: false,
            message: "gone".into(),
        },
    );
    assert_eq!(app.password, None);
}

#[test]
fn a_refused_change_keeps_the_password_the_account_has() {
    let mut app = new_app();
    connected(&mut app);
    type_text(&mut app, "alice");
    press(&mut app, KeyCode::Tab);
    type_text(&mut app, "first");
    press(&mut app, KeyCode::Enter);
    welcome(&mut app, "alice", &["alice"]);
    type_text(&mut app, "/password wrong second");
    press(&mut app, KeyCode::Enter);
    frame(
        &mut app,
        ServerFrame::Error {
            code: ErrorCode::WrongPassword,
            message: "wrong password for alice".into(),
        },
    );
    frame(
        &mut app,
        ServerFrame::Account {
            name: "alice".into(),
            registered: true,
            message: "a late answer to something else".into(),
        },
    );
    assert_eq!(app.password.as_ref().map(|p| p.expose()), Some("first"));
}

#[test]
fn a_new_password_typed_differently_twice_is_not_sent() {
    let mut app = logged_in();
    for (command, steps) in [
        ("/register", &["first-try", "first-tyr"][..]),
        ("/password", &["old-secret", "new-one", "new-eno"]),
    ] {
        type_text(&mut app, command);
        press(&mut app, KeyCode::Enter);
        for step in steps {
            type_text(&mut app, step);
            assert!(
                sent(&press(&mut app, KeyCode::Enter)).is_empty(),
                "{command}"
            );
        }
        assert!(app.secret_prompt().is_none(), "{command}");
        let shown = everything_shown(&mut app);
        assert!(shown.contains("The two passwords differ"), "{shown}");
        for step in steps {
            assert!(!shown.contains(step), "{step} shown: {shown}");
        }
    }
}
