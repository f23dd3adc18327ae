//! End to end: the real `chat-server` binary and two real `chat-tui` binaries in tmux.
//! The second client tries a taken name and retries; a message typed in one appears in
//! the other; the sidebars list both; a multi-line paste arrives as one message, a burst
//! of typing arrives whole; and quitting gives the terminal back.
//!
//! The server binary belongs to another package, so `env!("CARGO_BIN_EXE_…")` cannot
//! name it: the test builds it with the same cargo (`cargo build -p chat-server`, a
//! no-op when it is up to date) and runs it from the same target directory as this
//! test. That works whether this test runs alone (`cargo test -p chat-tui`) or with the
//! whole workspace, and never runs a stale server binary.

mod common;

use std::net::{TcpListener, TcpStream};
use std::path::PathBuf;
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
                .args([&port.to_string(), "--bind", "127.0.0.1"])
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

#[test]
fn two_clients_chat_through_the_real_server_in_tmux() {
    let server = ServerProcess::start();
    let dir = tempfile::tempdir().unwrap();
    let client = env!("CARGO_BIN_EXE_chat-tui");
    let command = format!("{client} 127.0.0.1 {}", server.port);
    let tmux = Tmux::new("e2e");
    for name in ["alice", "bob"] {
        let session_dir = dir.path().join(name);
        std::fs::create_dir(&session_dir).unwrap();
        let script = script_reporting_terminal_state(&session_dir, &command);
        tmux.start(name, 120, 40, &script);
        tmux.wait_for_text(name, "connected to chat-server");
    }

    tmux.type_text("alice", "alice");
    tmux.keys("alice", &["Enter"]);
    tmux.wait_for_text("alice", "Online (1)");

    tmux.type_text("bob", "Alice");
    tmux.keys("bob", &["Enter"]);
    tmux.wait_for_text("bob", "is taken");
    tmux.keys("bob", &["C-u"]);
    tmux.type_text("bob", "bob");
    tmux.keys("bob", &["Enter"]);
    tmux.wait_for_text("bob", "Online (2)");
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
        assert!(screen.contains("Online (2)"), "{screen}");
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
