//! The real `chat-tui` binary in tmux, ended from outside: by each stopping signal (sent
//! with `kill`, as in raw mode Ctrl-C is a key, not a signal), and by Esc after it came
//! back to a server that had shut down. Each time it exits with status 0 and gives the
//! terminal back.

mod common;

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::path::Path;
use std::process::Command;
use std::thread;

use common::tmux::{Tmux, assert_terminal_restored, script_reporting_terminal_state};

/// Starts the client in a new tmux session `session`, connecting to `port`, and returns
/// the file its process id is written to.
fn start_client(tmux: &Tmux, dir: &Path, session: &str, port: u16) -> std::path::PathBuf {
    let session_dir = dir.join(session);
    std::fs::create_dir(&session_dir).unwrap();
    let pid_file = session_dir.join("pid");
    // `exec` keeps the shell's process id, so the file names the client itself.
    let command = format!(
        "sh -c 'echo $$ > {}; exec {} 127.0.0.1 {port}'",
        pid_file.display(),
        env!("CARGO_BIN_EXE_chat-tui"),
    );
    let script = script_reporting_terminal_state(&session_dir, &command);
    tmux.start(session, 100, 30, &script);
    pid_file
}

#[test]
fn a_stopping_signal_from_outside_exits_cleanly() {
    let free = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = free.local_addr().unwrap().port();
    drop(free);
    let dir = tempfile::tempdir().unwrap();
    let tmux = Tmux::new("signals");
    for signal in ["INT", "QUIT", "HUP", "TERM"] {
        let pid_file = start_client(&tmux, dir.path(), signal, port);
        // Drawn, so the loop runs and the signals are caught (they are caught before
        // the terminal is taken over).
        tmux.wait_for_text(signal, "Name:");
        let pid = std::fs::read_to_string(&pid_file).unwrap();
        let status = Command::new("kill")
            .args(["-s", signal, pid.trim()])
            .status()
            .unwrap();
        assert!(status.success(), "kill -s {signal} {pid}");
        let screen = assert_terminal_restored(&tmux, signal);
        assert!(screen.contains("EXIT:0"), "SIG{signal}:\n{screen}");
    }
}

#[test]
fn after_the_servers_shutdown_the_client_comes_back_and_esc_exits_cleanly() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let server = thread::spawn(move || {
        let answer = |reply: &[u8]| {
            let (socket, _) = listener.accept().unwrap();
            let mut hello = String::new();
            BufReader::new(&socket).read_line(&mut hello).unwrap();
            assert!(hello.contains("\"hello\""), "{hello}");
            (&socket).write_all(reply).unwrap();
            socket
        };
        drop(answer(
            b"{\"type\":\"hello\",\"version\":3,\"server\":\"test\",\"max_line_bytes\":8192}\n\
              {\"type\":\"shutdown\",\"message\":\"going down for a test\",\"retry_within_ms\":100}\n",
        ));
        answer(b"{\"type\":\"hello\",\"version\":3,\"server\":\"test again\",\"max_line_bytes\":8192}\n")
    });
    let dir = tempfile::tempdir().unwrap();
    let tmux = Tmux::new("shutdown");
    start_client(&tmux, dir.path(), "client", port);
    tmux.wait_for_text("client", "connected to test again");
    let _second_connection = server.join().unwrap();
    tmux.keys("client", &["Escape"]);
    let screen = assert_terminal_restored(&tmux, "client");
    assert!(screen.contains("EXIT:0"), "{screen}");
}
