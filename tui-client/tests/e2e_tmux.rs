//! End to end: the real `chat-server` binary and two real `chat-tui` binaries in tmux.
//!
//! Chatting: the second client tries a taken name and retries; a message typed in one
//! appears in the other; the sidebars list both; a multi-line paste arrives as one
//! message, a burst of typing arrives whole; and quitting gives the terminal back.
//!
//! Buffers: both join `#dev`; one goes back to `#general` with Alt-2, sees the unread
//! count of `#dev` rise when the other speaks there, and goes there with Alt-→; a
//! private message opens a buffer of its own, reached with Ctrl-N.
//!
//! The server binary belongs to another package, so `env!("CARGO_BIN_EXE_…")` cannot
//! name it: the test builds it with the same cargo (`cargo build -p chat-server`, a
//! no-op when it is up to date) and runs it from the same target directory as this
//! test. That works whether this test runs alone (`cargo test -p chat-tui`) or with the
//! whole workspace, and never runs a stale server binary.

mod common;

use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::thread;
use std::time::{Duration, Instant};

use common::PATIENCE;
use common::tmux::{Tmux, assert_terminal_restored, script_reporting_terminal_state};

/// The `chat-server` binary, freshly built.
fn server_binary() -> PathBuf {
    let workspace = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..");
    let status = Command::new(env!("CARGO"))
        .args([
            "build",
            "--quiet",
            "-p",
            "chat-server",
            "--bin",
            "chat-server",
        ])
        .current_dir(&workspace)
        .status()
        .expect("cargo runs");
    assert!(status.success(), "building chat-server failed");
    let client = PathBuf::from(env!("CARGO_BIN_EXE_chat-tui"));
    client.with_file_name("chat-server")
}

/// A running server process, killed when dropped.
struct ServerProcess {
    child: Child,
    port: u16,
}

impl ServerProcess {
    /// Starts the server on a free loopback port; picks another port if the one chosen
    /// was taken in the meantime.
    fn start() -> Self {
        let binary = server_binary();
        for _ in 0..5 {
            let port = TcpListener::bind("127.0.0.1:0")
                .unwrap()
                .local_addr()
                .unwrap()
                .port();
            let child = Command::new(&binary)
                .args([&port.to_string(), "--bind", "127.0.0.1", "--no-history"])
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .expect("chat-server starts");
            let mut server = ServerProcess { child, port };
            if server.wait_until_listening() {
                return server;
            }
        }
        panic!("could not start chat-server on a free port");
    }

    /// Waits until the port accepts connections; false if the server exited first.
    fn wait_until_listening(&mut self) -> bool {
        let deadline = Instant::now() + PATIENCE;
        while Instant::now() < deadline {
            if self.child.try_wait().unwrap().is_some() {
                return false;
            }
            if TcpStream::connect(("127.0.0.1", self.port)).is_ok() {
                return true;
            }
            thread::sleep(Duration::from_millis(20));
        }
        panic!("chat-server did not start listening");
    }
}

impl Drop for ServerProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// `chat-tui` in tmux sessions named after each of `names`, at 120x40, each reporting
/// how it left the terminal when it exits.
fn clients(server: &ServerProcess, dir: &Path, test: &str, names: &[&str]) -> Tmux {
    let client = env!("CARGO_BIN_EXE_chat-tui");
    let command = format!("{client} 127.0.0.1 {}", server.port);
    let tmux = Tmux::new(test);
    for name in names {
        let session_dir = dir.join(name);
        std::fs::create_dir(&session_dir).unwrap();
        let script = script_reporting_terminal_state(&session_dir, &command);
        tmux.start(name, 120, 40, &script);
        tmux.wait_for_text(name, "connected to chat-server");
    }
    tmux
}

#[test]
fn two_clients_chat_through_the_real_server_in_tmux() {
    let server = ServerProcess::start();
    let dir = tempfile::tempdir().unwrap();
    let tmux = clients(&server, dir.path(), "e2e", &["alice", "bob"]);

    tmux.type_text("alice", "alice");
    tmux.keys("alice", &["Enter"]);
    tmux.wait_for_text("alice", "Members (1)");

    tmux.type_text("bob", "Alice");
    tmux.keys("bob", &["Enter"]);
    tmux.wait_for_text("bob", "is taken");
    tmux.keys("bob", &["C-u"]);
    tmux.type_text("bob", "bob");
    tmux.keys("bob", &["Enter"]);
    tmux.wait_for_text("bob", "Members (2)");
    tmux.wait_for_text("alice", "bob joined");

    tmux.type_text("alice", "hello bob, 你好 👋");
    tmux.keys("alice", &["Enter"]);
    let bob_screen = tmux.wait_for_text("bob", "<alice> hello bob, 你好 👋");
    tmux.paste("bob", "two lines\nin one message");
    tmux.keys("bob", &["Enter"]);
    let alice_screen = tmux.wait_for("alice", "bob's two-line message", |screen| {
        screen.contains("<bob> two lines") && screen.contains("in one message")
    });

    // More than crossterm reads at once (1 KiB), typed faster than it is handled: with
    // an edge-triggered tty source the rest would wait for the next key press.
    let burst = format!("{}END-OF-BURST", "typing fast ".repeat(200));
    tmux.type_text("alice", &burst);
    tmux.keys("alice", &["Enter"]);
    tmux.wait_for_text("bob", "END-OF-BURST");

    for screen in [&alice_screen, &bob_screen] {
        assert!(screen.contains("Members (2)"), "{screen}");
        assert!(
            screen.contains("│  alice") || screen.contains("│ ▸alice"),
            "{screen}"
        );
        assert!(
            screen.contains("│  bob") || screen.contains("│ ▸bob"),
            "{screen}"
        );
    }
    assert!(alice_screen.contains("│ ▸alice"), "{alice_screen}");
    assert!(bob_screen.contains("│ ▸bob"), "{bob_screen}");

    tmux.type_text("alice", "/quit bye now");
    tmux.keys("alice", &["Enter"]);
    tmux.wait_for_text("bob", "alice left (quit: bye now)");
    let alice_after = assert_terminal_restored(&tmux, "alice");
    assert!(alice_after.contains("EXIT:0"), "{alice_after}");

    tmux.keys("bob", &["C-c"]);
    let bob_after = assert_terminal_restored(&tmux, "bob");
    assert!(bob_after.contains("EXIT:0"), "{bob_after}");
}

/// Whether a row of the sidebar shows `buffer` with `count` at its right end.
fn listed_with(screen: &str, buffer: &str, count: &str) -> bool {
    screen.lines().any(|line| {
        let row = line.trim_end();
        row.contains(&format!("│ {buffer} ")) && row.ends_with(&format!(" {count}"))
    })
}

#[test]
fn rooms_and_private_messages_open_buffers_switched_by_keys_in_tmux() {
    let server = ServerProcess::start();
    let dir = tempfile::tempdir().unwrap();
    let tmux = clients(&server, dir.path(), "e2e-buffers", &["alice", "bob"]);
    for name in ["alice", "bob"] {
        tmux.type_text(name, name);
        tmux.keys(name, &["Enter"]);
        tmux.wait_for_text(name, " #general ");
    }

    for name in ["alice", "bob"] {
        tmux.type_text(name, "/join #dev");
        tmux.keys(name, &["Enter"]);
        tmux.wait_for(name, "#dev shown", |screen| screen.starts_with(" #dev "));
    }
    tmux.wait_for_text("alice", "Members (2)");

    tmux.keys("alice", &["M-2"]);
    tmux.wait_for("alice", "#general shown", |screen| {
        screen.starts_with(" #general ")
    });
    tmux.type_text("bob", "ship it");
    tmux.keys("bob", &["Enter"]);
    tmux.wait_for("alice", "an unread message in #dev", |screen| {
        listed_with(screen, "3 #dev", "1")
    });

    tmux.keys("alice", &["M-Right"]);
    let dev = tmux.wait_for("alice", "#dev shown", |screen| screen.starts_with(" #dev "));
    assert!(dev.contains("<bob> ship it"), "{dev}");
    assert!(!listed_with(&dev, "3 #dev", "1"), "seen now:\n{dev}");

    tmux.type_text("bob", "/msg alice psst");
    tmux.keys("bob", &["Enter"]);
    let bob = tmux.wait_for("bob", "the conversation with alice", |screen| {
        screen.starts_with(" alice  private conversation") && screen.contains("-> *alice* psst")
    });
    assert!(bob.contains("│ 4 alice"), "{bob}");
    tmux.wait_for("alice", "a private buffer with a mention", |screen| {
        listed_with(screen, "4 bob", "!1")
    });
    tmux.keys("alice", &["C-n"]);
    let private = tmux.wait_for("alice", "the conversation with bob", |screen| {
        screen.starts_with(" bob  private conversation")
    });
    assert!(private.contains("*bob* psst"), "{private}");

    for name in ["alice", "bob"] {
        tmux.keys(name, &["C-c"]);
        let after = assert_terminal_restored(&tmux, name);
        assert!(after.contains("EXIT:0"), "{after}");
    }
}
