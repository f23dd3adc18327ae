//! `run.sh`, the launcher, on the paths that need no desktop: option checking, a port in
//! use, one client in the current terminal (over TLS, trusting the server's certificate
//! without a question), and clients in tmux windows. Each run ends
//! with `./run.sh stop` and a check that no server or client process is left.
//!
//! The launcher builds the release binaries itself, so the first test to run it waits
//! for that build.

use std::fs;
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::thread;
use std::time::{Duration, Instant};

/// Long enough for a release build of the workspace on a slow machine.
const BUILD_PATIENCE: Duration = Duration::from_secs(900);
/// Long enough for anything after the build.
const PATIENCE: Duration = Duration::from_secs(30);

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

fn run_sh(args: &[&str]) -> Output {
    Command::new(repo_root().join("run.sh"))
        .args(args)
        .env_remove("DISPLAY")
        .env_remove("WAYLAND_DISPLAY")
        .output()
        .expect("run.sh runs")
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// Waits for `done` to hold, checking every 50 ms, failing after `patience`.
fn wait_for(what: &str, patience: Duration, mut done: impl FnMut() -> bool) {
    let deadline = Instant::now() + patience;
    while !done() {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        thread::sleep(Duration::from_millis(50));
    }
}

/// Server and client processes whose command line names `port`.
fn processes_on(port: u16) -> Vec<String> {
    let port = port.to_string();
    fs::read_dir("/proc")
        .unwrap()
        .filter_map(|entry| fs::read(entry.ok()?.path().join("cmdline")).ok())
        .map(|raw| {
            raw.split(|&b| b == 0)
                .map(|arg| String::from_utf8_lossy(arg).into_owned())
                .collect::<Vec<_>>()
        })
        .filter(|args| {
            args.iter()
                .any(|a| a.ends_with("chat-server") || a.ends_with("chat-tui"))
                && args.contains(&port)
        })
        .map(|args| args.join(" "))
        .collect()
}

/// A private tmux server, killed when the test ends however it ends.
struct Tmux {
    socket: String,
}

impl Tmux {
    fn start(name: &str, command: &str) -> Self {
        let tmux = Self {
            socket: format!("run-sh-test-{}-{name}", std::process::id()),
        };
        let root = repo_root();
        let status = tmux
            .command()
            .args([
                "new-session",
                "-d",
                "-x",
                "120",
                "-y",
                "40",
                "-s",
                "main",
                "-c",
            ])
            .arg(&root)
            .arg(format!(
                "env -u DISPLAY -u WAYLAND_DISPLAY {command}; sleep 600"
            ))
            .status()
            .expect("tmux is installed (CI installs it)");
        assert!(status.success());
        tmux
    }

    fn command(&self) -> Command {
        let mut command = Command::new("tmux");
        command.args(["-L", &self.socket, "-f", "/dev/null"]);
        command
    }

    fn output(&self, args: &[&str]) -> String {
        let output = self.command().args(args).output().unwrap();
        String::from_utf8_lossy(&output.stdout).into_owned()
    }

    fn screen(&self, target: &str) -> String {
        self.output(&["capture-pane", "-p", "-t", target])
    }

    fn keys(&self, target: &str, keys: &[&str]) {
        let status = self
            .command()
            .args(["send-keys", "-t", target])
            .args(keys)
            .status()
            .unwrap();
        assert!(status.success());
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = self.command().arg("kill-server").status();
    }
}

fn stop_and_check_nothing_is_left(port: u16) {
    let stop = run_sh(&["stop", "-p", &port.to_string()]);
    assert!(stop.status.success(), "{stop:?}");
    wait_for("every process to stop", PATIENCE, || {
        processes_on(port).is_empty()
    });
    let pid_file = repo_root().join(format!("target/run/chat-server-{port}.pid"));
    assert!(!pid_file.exists(), "{} was left behind", pid_file.display());
}

#[test]
fn bad_options_print_usage_and_fail() {
    for args in [
        &["-x"][..],
        &["-p"],
        &["-p", "0"],
        &["-p", "70000"],
        &["-p", "http"],
        &["-n", "11"],
        &["-m", "desktop"],
        &["extra"],
        &["stop", "-p", "x"],
    ] {
        let output = run_sh(args);
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.starts_with("run.sh: "), "{args:?}: {stderr}");
        assert!(stderr.contains("Usage: ./run.sh"), "{args:?}: {stderr}");
    }
    let help = run_sh(&["-h"]);
    assert!(help.status.success());
    assert!(String::from_utf8_lossy(&help.stdout).contains("./run.sh stop [-p PORT]"));
}

#[test]
fn a_port_in_use_is_refused_before_anything_is_built_or_started() {
    let taken = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port();
    let output = run_sh(&["-p", &port.to_string(), "-m", "here"]);
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains(&format!("port {port} is already in use")),
        "{stderr}"
    );
    assert!(!String::from_utf8_lossy(&output.stdout).contains("Building"));
    assert!(processes_on(port).is_empty());
}

#[test]
fn runs_one_client_in_the_current_terminal_and_stops_cleanly() {
    let port = free_port();
    let tmux = Tmux::start("here", &format!("./run.sh -m here -p {port}"));
    wait_for("the client's name prompt", BUILD_PATIENCE, || {
        tmux.screen("main").contains("alice")
    });
    let screen = tmux.screen("main");
    assert!(
        !screen.contains("Building"),
        "the client owns the screen: {screen}"
    );
    assert!(
        screen.contains(&format!("127.0.0.1:{port} over TLS")),
        "{screen}"
    );
    tmux.keys("main", &["Enter"]);
    wait_for("the chat screen", PATIENCE, || {
        tmux.screen("main").contains("Welcome")
    });

    let mut other = TcpStream::connect(("127.0.0.1", port)).expect("the server listens");
    std::io::Write::write_all(&mut other, b"bob\n").unwrap();
    wait_for("bob in alice's sidebar", PATIENCE, || {
        tmux.screen("main").contains("bob")
    });

    let log = fs::read_to_string(repo_root().join(format!("target/run/chat-server-{port}.log")))
        .expect("the server log is where run.sh says");
    let alice = log
        .lines()
        .find(|line| line.contains("alice joined"))
        .unwrap_or_else(|| panic!("{log}"));
    assert!(alice.contains("tls=true"), "alice came over TLS: {alice}");
    stop_and_check_nothing_is_left(port);
}

#[test]
fn opens_clients_in_tmux_windows_without_a_desktop() {
    let port = free_port();
    let tmux = Tmux::start("tmux", &format!("./run.sh -n 2 -p {port}"));
    wait_for("two client windows", BUILD_PATIENCE, || {
        let windows = tmux.output(&["list-windows", "-F", "#W"]);
        windows.contains("client-1") && windows.contains("client-2")
    });
    let main = tmux.screen("main:0");
    assert!(
        main.contains("No desktop terminal used: opening the clients in tmux."),
        "{main}"
    );
    assert!(main.contains(&format!("./run.sh stop -p {port}")), "{main}");
    for (window, name) in [("client-1", "alice"), ("client-2", "bob")] {
        wait_for("a name prompt", PATIENCE, || {
            tmux.screen(&format!("main:{window}")).contains(name)
        });
        tmux.keys(&format!("main:{window}"), &["Enter"]);
    }
    wait_for("both in the sidebar", PATIENCE, || {
        let screen = tmux.screen("main:client-1");
        screen.contains("alice") && screen.contains("bob") && screen.contains("Welcome")
    });
    stop_and_check_nothing_is_left(port);
}
