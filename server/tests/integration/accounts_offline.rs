//! `chat-server accounts list|delete` on a real data directory, with the real binary,
//! beside a running server and after it stopped.

use std::path::Path;
use std::process::{Command, Output};

use crate::support::Plain;
use crate::support::process::{BINARY, ServerProcess};

fn accounts(dir: &Path, args: &[&str]) -> Output {
    Command::new(BINARY)
        .arg("accounts")
        .args(args)
        .arg("--data-dir")
        .arg(dir)
        .output()
        .expect("the binary runs")
}

fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).unwrap()
}

fn stderr(output: &Output) -> String {
    String::from_utf8(output.stderr.clone()).unwrap()
}

fn names(output: &Output) -> Vec<String> {
    assert!(output.status.success(), "{}", stderr(output));
    stdout(output)
        .lines()
        .map(|line| line.split('\t').next().unwrap().to_owned())
        .collect()
}

#[test]
fn accounts_are_listed_beside_a_running_server_and_deleted_once_it_stopped() {
    let dir = tempfile::tempdir().unwrap();
    let data_dir = dir.path().to_str().unwrap();
    let mut server = ServerProcess::spawn(&["--data-dir", data_dir]);
    for name in ["bob", "alice"] {
        let mut person = Plain::join(server.addr, name);
        person.say(&format!("/register pw-{name}"));
        person.expect("now registered");
    }

    let listed = accounts(dir.path(), &["list"]);
    assert_eq!(names(&listed), ["alice", "bob"]);
    let line = stdout(&listed).lines().next().unwrap().to_owned();
    let registered = line.split('\t').nth(1).unwrap();
    assert_eq!(registered.len(), "2026-12-03 08:40:00".len(), "{line}");

    let refused = accounts(dir.path(), &["delete", "alice"]);
    assert!(!refused.status.success());
    assert!(
        stderr(&refused).contains("a chat-server is running on"),
        "{}",
        stderr(&refused)
    );

    server.terminate();
    assert!(server.wait_for_exit().success());
    let deleted = accounts(dir.path(), &["delete", "ALICE"]);
    assert!(deleted.status.success(), "{}", stderr(&deleted));
    assert_eq!(stdout(&deleted), "Deleted the account ALICE.\n");
    assert_eq!(names(&accounts(dir.path(), &["list"])), ["bob"]);
    let again = accounts(dir.path(), &["delete", "alice"]);
    assert!(!again.status.success());
    assert_eq!(
        stderr(&again),
        "chat-server: there is no account called alice\n"
    );

    let server = ServerProcess::spawn(&["--data-dir", data_dir]);
    Plain::join(server.addr, "alice");
    let mut bob = Plain::connect(server.addr);
    bob.say("bob");
    bob.expect("bob is a registered name");
}

#[test]
fn a_directory_without_a_database_or_with_a_foreign_file_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let empty = accounts(dir.path(), &["list"]);
    assert!(!empty.status.success());
    assert!(
        stderr(&empty).contains("does not exist"),
        "{}",
        stderr(&empty)
    );
    assert!(
        !dir.path().join("history.sqlite3").exists(),
        "listing creates nothing"
    );

    std::fs::write(dir.path().join("history.sqlite3"), b"not a database at all").unwrap();
    let foreign = accounts(dir.path(), &["delete", "x"]);
    assert!(!foreign.status.success());
    assert!(
        stderr(&foreign).contains("is not a chat-server database"),
        "{}",
        stderr(&foreign)
    );
}
