//! `chat-server bans list|delete` on a real data directory, with the real binary, beside
//! a running server and after it stopped: how an operator reads the bans, and gets back
//! in after banning itself from another session.

use std::path::Path;
use std::process::{Command, Output};

use crate::support::Plain;
use crate::support::process::{BINARY, ServerProcess};

fn bans(dir: &Path, args: &[&str]) -> Output {
    Command::new(BINARY)
        .arg("bans")
        .args(args)
        .arg("--data-dir")
        .arg(dir)
        .output()
        .expect("the binary runs")
}

fn stdout(output: &Output) -> String {
    assert!(output.status.success(), "{}", stderr(output));
    String::from_utf8(output.stdout.clone()).unwrap()
}

fn stderr(output: &Output) -> String {
    String::from_utf8(output.stderr.clone()).unwrap()
}

#[test]
fn bans_are_listed_beside_a_running_server_and_lifted_once_it_stopped() {
    let dir = tempfile::tempdir().unwrap();
    let data_dir = dir.path().to_str().unwrap();
    let flags = ["--data-dir", data_dir, "--operator", "root_op"];
    let mut server = ServerProcess::spawn(&flags);
    let mut op = Plain::join(server.addr, "root_op");
    op.say("/register a long enough password");
    op.expect("now registered");
    op.say("/ban 203.0.113.0/24 spam bots");
    op.expect("* Banned 203.0.113.0/24 for ever");
    op.say("/ban mallory 2d");
    op.expect("* Banned mallory for 2d");

    let listed = stdout(&bans(dir.path(), &["list"]));
    let lines: Vec<&str> = listed.lines().collect();
    assert_eq!(lines.len(), 2, "{listed}");
    assert!(
        lines[0].starts_with("203.0.113.0/24  for ever  by root_op  since ")
            && lines[0].ends_with(" UTC: spam bots"),
        "{listed}"
    );
    assert!(lines[1].starts_with("mallory  until "), "{listed}");

    let refused = bans(dir.path(), &["delete", "203.0.113.0/24"]);
    assert!(!refused.status.success());
    assert!(stderr(&refused).contains("a chat-server is running on"));

    server.terminate();
    assert!(server.wait_for_exit().success());
    let lifted = bans(dir.path(), &["delete", "203.0.113.9/24"]);
    assert_eq!(stdout(&lifted), "Lifted the ban on 203.0.113.0/24.\n");
    let again = bans(dir.path(), &["delete", "203.0.113.0/24"]);
    assert_eq!(
        stderr(&again),
        "chat-server: 203.0.113.0/24 is not banned (chat-server bans list shows the bans)\n"
    );
    let bad = bans(dir.path(), &["delete", "10.0.0.0/99"]);
    assert!(!bad.status.success());
    assert!(stderr(&bad).contains("not an address or a network"));
    assert!(stdout(&bans(dir.path(), &["list"])).starts_with("mallory  until "));
}
