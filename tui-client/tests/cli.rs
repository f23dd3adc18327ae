//! The command line: help, version, bad arguments, and running without a terminal,
//! each answered in words on stderr/stdout, never by a panic.

use std::process::{Command, Output};

fn chat_tui(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_chat-tui"))
        .args(args)
        .env("XDG_CONFIG_HOME", "/nonexistent-chat-tui-config")
        .output()
        .expect("chat-tui runs")
}

#[test]
fn help_lists_the_arguments_and_flags() {
    let output = chat_tui(&["--help"]);
    assert!(output.status.success());
    let help = String::from_utf8(output.stdout).unwrap();
    for expected in [
        "[HOST]",
        "[PORT]",
        "--name",
        "--log",
        "--scrollback",
        "--config",
        "--profile",
        "--theme",
        "--tls",
        "--no-tls",
        "known_hosts",
        "NO_COLOR",
        "config.toml",
        "[profiles.NAME]",
        "5000",
        "9999",
        "--password-file <PATH>",
        "CHAT_PASSWORD",
    ] {
        assert!(help.contains(expected), "{expected} missing from:\n{help}");
    }
    assert!(
        !help.contains("--password "),
        "no flag takes the password itself (anyone can read a command line):\n{help}"
    );
}

#[test]
fn an_unreadable_password_file_is_reported_before_the_terminal_is_touched() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("missing");
    let output = chat_tui(&["--password-file", missing.to_str().unwrap()]);
    assert!(!output.status.success());
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(
        stderr.starts_with("chat-tui: cannot read ") && stderr.contains("missing"),
        "{stderr}"
    );
}

#[test]
fn version_is_the_package_version() {
    let output = chat_tui(&["--version"]);
    assert!(output.status.success());
    assert_eq!(
        String::from_utf8(output.stdout).unwrap().trim(),
        format!("chat-tui {}", env!("CARGO_PKG_VERSION"))
    );
}

#[test]
fn a_bad_port_is_refused_with_a_reason() {
    let output = chat_tui(&["127.0.0.1", "99999"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("99999"));
}

#[test]
fn without_a_terminal_it_says_so_instead_of_panicking() {
    let output = chat_tui(&["127.0.0.1", "9"]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("not a terminal"), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
}

#[test]
fn an_unwritable_log_file_is_reported() {
    let output = chat_tui(&["--log", "/nonexistent-dir/chat.log"]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("cannot create /nonexistent-dir/chat.log"),
        "{stderr}"
    );
}
