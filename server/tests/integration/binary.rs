//! The real `chat-server` binary: command line, a port in use, and SIGTERM.

use std::io::{BufRead, BufReader};
use std::net::{SocketAddr, TcpListener};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::thread;

use chat_shared::frame::ServerFrame;

use crate::support::{PATIENCE, Plain, Structured};

const BINARY: &str = env!("CARGO_BIN_EXE_chat-server");

/// Starts the binary on a free port and returns it with the address from its log.
fn spawn_server() -> (Child, SocketAddr, mpsc::Receiver<String>) {
    let mut child = Command::new(BINARY)
        .args(["0", "--bind", "127.0.0.1", "--shutdown-grace", "2s"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the server binary starts");
    let (lines_tx, lines) = mpsc::channel();
    let stdout = BufReader::new(child.stdout.take().unwrap());
    thread::spawn(move || {
        for line in stdout.lines().map_while(Result::ok) {
            if lines_tx.send(line).is_err() {
                break;
            }
        }
    });
    let listening = lines
        .recv_timeout(PATIENCE)
        .expect("the server logs its address");
    let addr = listening
        .split("listening on ")
        .nth(1)
        .and_then(|rest| rest.split_whitespace().next())
        .and_then(|addr| addr.parse().ok())
        .unwrap_or_else(|| panic!("no address in {listening:?}"));
    (child, addr, lines)
}

fn wait_for_exit(child: &mut Child) -> std::process::ExitStatus {
    let deadline = std::time::Instant::now() + PATIENCE;
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            return status;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "the server did not exit"
        );
        thread::yield_now();
    }
}

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
        "[PORT]",
    ] {
        assert!(help.contains(flag), "{flag} missing from --help");
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
        .args([port.as_str(), "--bind", "127.0.0.1"])
        .output()
        .unwrap();
    assert!(!output.status.success());
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(stderr.contains("already in use"), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
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
    let (mut child, addr, logs) = spawn_server();
    let mut plain = Plain::join(addr, "plain");
    let (mut structured, _) = Structured::join(addr, "structured");
    let mut undecided = crate::support::Conn::connect(addr);
    undecided.expect_line(|l| l.starts_with("* Choose"));
    plain.say("/who");
    plain.expect("* Online (2)");

    // SAFETY: kill only sends a signal to the child we started.
    assert_eq!(unsafe { libc::kill(child.id() as i32, libc::SIGTERM) }, 0);

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
    assert!(wait_for_exit(&mut child).success());
    let logged: Vec<String> = logs.iter().collect();
    assert!(
        logged.iter().any(|l| l.contains("plain joined")),
        "{logged:#?}"
    );
    assert!(logged.iter().any(|l| l.ends_with("stopped")), "{logged:#?}");
}
