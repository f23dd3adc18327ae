//! The real `chat-server` binary: command line, a port in use, and SIGTERM.

use std::net::TcpListener;
use std::process::{Command, Stdio};

use chat_shared::frame::ServerFrame;

use crate::support::process::{BINARY, ServerProcess};
use crate::support::{Conn, PATIENCE, Plain, Structured, eventually};

#[test]
fn help_and_version_describe_the_server() {
    let help = Command::new(BINARY).arg("--help").output().unwrap();
    assert!(help.status.success());
    let help = String::from_utf8(help.stdout).unwrap();
    for flag in [
        "--bind",
        "--max-clients",
        "--send-queue-bytes",
        "--flood-rate",
        "--exempt <CIDR>",
        "--connect-rate",
        "--unjoined-percent",
        "--socket-buffer-bytes",
        "--announce-delay",
        "[PORT]",
        "--allow-plain-passwords",
        "--login-failures",
        "--login-lockout",
        "accounts",
    ] {
        assert!(help.contains(flag), "{flag} missing from --help");
    }
    assert!(
        help.starts_with("A terminal chat server for a team"),
        "the help opens for operators: {help}"
    );
    for developer_words in ["struct update", "tests build", "Default"] {
        assert!(!help.contains(developer_words), "{developer_words}: {help}");
    }
    let version = Command::new(BINARY).arg("--version").output().unwrap();
    assert_eq!(
        String::from_utf8(version.stdout).unwrap().trim(),
        format!("chat-server {}", env!("CARGO_PKG_VERSION"))
    );
}

#[test]
fn a_port_in_use_is_one_clear_line_and_a_failure_exit() {
    let taken = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port().to_string();
    let output = Command::new(BINARY)
        .args([port.as_str(), "--bind", "127.0.0.1", "--no-history"])
        .output()
        .unwrap();
    assert!(!output.status.success());
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(stderr.contains("already in use"), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
}

#[test]
fn a_huge_duration_is_refused_with_a_reason_instead_of_overflowing_later() {
    for flag in ["--handshake-timeout", "--shutdown-grace"] {
        let mut child = Command::new(BINARY)
            .args([
                "0",
                "--bind",
                "127.0.0.1",
                "--no-history",
                flag,
                "500000000years",
            ])
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let exited = eventually(PATIENCE, || matches!(child.try_wait(), Ok(Some(_))));
        if !exited {
            let _ = child.kill();
        }
        let output = child.wait_with_output().unwrap();
        assert!(
            exited,
            "{flag}: the server started with a duration it cannot handle"
        );
        assert_eq!(output.status.code(), Some(2), "{flag}");
        let stderr = String::from_utf8(output.stderr).unwrap();
        assert!(stderr.contains("is too long; the most is 1day"), "{stderr}");
        assert!(!stderr.contains("panicked"), "{stderr}");
    }
}

/// Whether this machine lets an unprivileged process have a network namespace of its own.
fn can_unshare_the_network() -> bool {
    Command::new("unshare")
        .args(["-rn", "true"])
        .status()
        .is_ok_and(|status| status.success())
}

/// A server that cannot connect to its own address, in a network namespace of its own
/// where even loopback is down: shutdown must not depend on reaching it.
#[test]
fn sigterm_stops_a_server_that_cannot_reach_its_own_address() {
    if !can_unshare_the_network() {
        eprintln!("skipped: `unshare -rn` is not allowed on this machine");
        return;
    }
    let mut command = Command::new("unshare");
    command.args(["-rn", BINARY, "0", "--bind", "0.0.0.0", "--no-history"]);
    let mut server = ServerProcess::start(command);
    server.terminate();
    assert!(server.wait_for_exit().success());
}

#[test]
fn bad_flags_are_refused_with_usage() {
    let output = Command::new(BINARY)
        .args(["--ping-interval", "soon"])
        .output()
        .unwrap();
    assert!(!output.status.success());
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(
        stderr.contains("invalid value 'soon' for '--ping-interval"),
        "{stderr}"
    );
    assert!(stderr.contains("--help"), "{stderr}");
}

#[test]
fn sigterm_tells_every_client_and_exits_zero() {
    let mut server = ServerProcess::spawn(&["--shutdown-grace", "2s"]);
    let addr = server.addr;
    let mut plain = Plain::join(addr, "plain");
    let (mut structured, _) = Structured::join(addr, "structured");
    let mut undecided = Conn::connect(addr);
    undecided.expect_line(|l| l.starts_with("* Choose"));
    plain.say("/who");
    plain.expect("* In #general (2)");

    server.terminate();

    assert!(
        plain
            .0
            .expect_closed()
            .contains(&"* The server is shutting down.".to_owned())
    );
    assert!(matches!(
        structured.expect(|f| matches!(f, ServerFrame::Shutdown { .. })),
        ServerFrame::Shutdown { .. }
    ));
    assert_eq!(
        undecided.expect_closed(),
        ["ERROR shutting_down: the server is shutting down"]
    );
    assert!(server.wait_for_exit().success());
    let logged: Vec<String> = server.logs.iter().collect();
    assert!(
        logged.iter().any(|l| l.contains("plain joined")),
        "{logged:#?}"
    );
    assert!(logged.iter().any(|l| l.ends_with("stopped")), "{logged:#?}");
}
