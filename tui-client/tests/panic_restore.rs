//! A panic gives the terminal back, once, and its message stays readable: in the UI loop
//! (the process dies with it), and in the network task (a tokio task: the process would
//! live on, so the UI loop must notice and end the client with an error rather than draw
//! on the restored terminal or show "connecting" forever).
//!
//! Raw mode lives in the kernel's terminal driver and the other modes in the terminal,
//! so only a real terminal can show them. Each test runs this very test binary in tmux,
//! selecting one of the ignored children below: it runs the client exactly as `main`
//! does (`run_in_terminal`, which installs the panic hook and enters raw mode, the
//! alternate screen, mouse capture and bracketed paste), with a terminal event stream or
//! a network task that panics. The shipped binary carries no panic trigger; the only
//! seams used are `run_in_terminal`'s parameters, which `main` fills with crossterm's
//! `EventStream` and `net::spawn`.
//!
//! Without the panic hook, the panic message would be printed on the alternate screen
//! and vanish with it, so the tests also check that the message is on the screen after.
//! Restoring twice would move the cursor back to where the client started and write
//! over it, hence the check that what follows the message comes after it.

mod common;

use std::io;
use std::net::TcpListener;

use chat_tui::app::Config;
use chat_tui::net::{self, NetHandle};
use chat_tui::shell::run_in_terminal;
use common::net_config;
use common::tmux::{Tmux, assert_terminal_restored, script_reporting_terminal_state};
use crossterm::event::Event as TerminalEvent;
use futures_util::stream;
use jiff::tz::TimeZone;
use tokio::sync::mpsc;

/// Set for the run of a child that a test starts in tmux.
const CHILD: &str = "CHAT_TUI_PANIC_CHILD";

/// Runs the ignored test `child` of this binary in tmux, checks that it gave the
/// terminal back, and returns the screen after it.
fn run_child_in_tmux(child: &str) -> String {
    let dir = tempfile::tempdir().unwrap();
    let test_binary = std::env::current_exe().unwrap();
    let command = format!(
        "{CHILD}=1 RUST_BACKTRACE=0 {} {child} --exact --ignored --nocapture --test-threads=1",
        test_binary.display()
    );
    let script = script_reporting_terminal_state(dir.path(), &command);
    let tmux = Tmux::new("panic");
    tmux.start("panic", 120, 40, &script);
    assert_terminal_restored(&tmux, "panic")
}

/// Where `text` is on `screen`; panics with the screen if it is not there.
fn position(screen: &str, text: &str) -> usize {
    screen
        .find(text)
        .unwrap_or_else(|| panic!("{text:?} is not on the screen:\n{screen}"))
}

#[test]
fn a_panic_in_the_ui_loop_restores_the_terminal() {
    let screen = run_child_in_tmux("panicking_ui_loop");
    let panic = position(&screen, "the UI loop panicked on purpose");
    assert!(panic < position(&screen, "EXIT:101"), "{screen}");
}

#[test]
fn a_panic_in_the_network_task_restores_the_terminal_and_ends_the_client() {
    let screen = run_child_in_tmux("panicking_network_task");
    let panic = position(&screen, "the network task panicked on purpose");
    let error = position(&screen, "chat-tui: the network task stopped unexpectedly");
    assert!(panic < error, "{screen}");
    assert!(error < position(&screen, "EXIT:1\n"), "{screen}");
}

/// The client's settings for the children.
fn config() -> Config {
    Config {
        server: "test".into(),
        name: None,
        scrollback: 10,
        time_zone: TimeZone::UTC,
        color: true,
        password: None,
    }
}

/// A current-thread runtime, as `main` builds.
fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
}

/// A child: the client's real terminal setup and loop, with an input that panics.
/// Ignored, and a no-op without [`CHILD`], so a plain `cargo test` never runs it.
#[test]
#[ignore = "run in a terminal by a_panic_in_the_ui_loop_restores_the_terminal"]
fn panicking_ui_loop() {
    if std::env::var_os(CHILD).is_none() {
        return;
    }
    let unused = TcpListener::bind("127.0.0.1:0").unwrap();
    let input = stream::poll_fn(|_| -> std::task::Poll<Option<io::Result<TerminalEvent>>> {
        panic!("the UI loop panicked on purpose")
    });
    let result = runtime().block_on(async {
        let net = net::spawn(net_config(unused.local_addr().unwrap()));
        run_in_terminal(config(), net, input).await
    });
    unreachable!("the loop panics before it returns {result:?}");
}

/// A child: the client's real terminal setup and loop, with a network task that panics
/// once the loop waits, and no input. Ends as `main` does with the loop's error.
/// Ignored, and a no-op without [`CHILD`], so a plain `cargo test` never runs it.
#[test]
#[ignore = "run in a terminal by a_panic_in_the_network_task_restores_the_terminal_and_ends_the_client"]
fn panicking_network_task() {
    if std::env::var_os(CHILD).is_none() {
        return;
    }
    let result = runtime().block_on(async {
        let (commands, _) = mpsc::unbounded_channel();
        let (events_sender, events) = mpsc::channel(1);
        let task = tokio::spawn(async move {
            let _events = events_sender;
            panic!("the network task panicked on purpose");
        });
        let net = NetHandle {
            commands,
            events,
            task,
        };
        run_in_terminal(config(), net, stream::pending()).await
    });
    let error = result.expect_err("the client ends with an error");
    eprintln!("chat-tui: {error:#}");
    std::process::exit(1);
}
