//! A panic inside the UI loop gives the terminal back, and its message stays readable.
//!
//! Raw mode lives in the kernel's terminal driver and the other modes in the terminal,
//! so only a real terminal can show them. The test runs this very test binary in tmux,
//! selecting `panicking_ui_loop` below: it runs the client exactly as `main` does
//! (`run_in_terminal`, which installs the panic hook and enters raw mode, the alternate
//! screen, mouse capture and bracketed paste), with a terminal event stream that panics
//! when the loop first reads it. The shipped binary carries no panic trigger; the only
//! seam used is `run_in_terminal`'s event stream parameter, which `main` fills with
//! crossterm's `EventStream`.
//!
//! Without the panic hook, the panic message would be printed on the alternate screen
//! and vanish with it, so the test also checks that the message is on the screen after.

mod common;

use std::io;
use std::net::TcpListener;

use chat_tui::app::Config;
use chat_tui::shell::run_in_terminal;
use common::net_config;
use common::tmux::{Tmux, assert_terminal_restored, script_reporting_terminal_state};
use crossterm::event::Event as TerminalEvent;
use futures_util::stream;
use jiff::tz::TimeZone;

/// Set for the run of [`panicking_ui_loop`] that the test starts in tmux.
const CHILD: &str = "CHAT_TUI_PANIC_CHILD";

#[test]
fn a_panic_in_the_ui_loop_restores_the_terminal() {
    let dir = tempfile::tempdir().unwrap();
    let test_binary = std::env::current_exe().unwrap();
    let command = format!(
        "{CHILD}=1 RUST_BACKTRACE=0 {} panicking_ui_loop --exact --ignored --nocapture --test-threads=1",
        test_binary.display()
    );
    let script = script_reporting_terminal_state(dir.path(), &command);
    let tmux = Tmux::new("panic");
    tmux.start("panic", 120, 40, &script);
    let screen = assert_terminal_restored(&tmux, "panic");
    assert!(
        screen.contains("the UI loop panicked on purpose"),
        "{screen}"
    );
    assert!(screen.contains("EXIT:101"), "{screen}");
}

/// The child: the client's real terminal setup and loop, with an input that panics.
/// Ignored, and a no-op without [`CHILD`], so a plain `cargo test` never runs it.
#[test]
#[ignore = "run in a terminal by a_panic_in_the_ui_loop_restores_the_terminal"]
fn panicking_ui_loop() {
    if std::env::var_os(CHILD).is_none() {
        return;
    }
    let unused = TcpListener::bind("127.0.0.1:0").unwrap();
    let config = Config {
        server: "test".into(),
        name: None,
        scrollback: 10,
        time_zone: TimeZone::UTC,
    };
    let input = stream::poll_fn(|_| -> std::task::Poll<Option<io::Result<TerminalEvent>>> {
        panic!("the UI loop panicked on purpose")
    });
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let result = runtime.block_on(run_in_terminal(
        config,
        net_config(unused.local_addr().unwrap()),
        input,
    ));
    unreachable!("the loop panics before it returns {result:?}");
}
