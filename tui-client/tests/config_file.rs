//! The config file, through the real binary: a bad file is refused with its path, line
//! and column on stderr and exit code 2, before the terminal is touched (nothing at all
//! on stdout, where the terminal's escape sequences would go); a good one is accepted.
//! Each run gets its own empty config directory, so the user's own file never counts.

use std::path::Path;
use std::process::{Command, Output};

use tempfile::TempDir;

/// Runs chat-tui with `args` and the XDG config directory `config_home`.
fn chat_tui(config_home: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_chat-tui"))
        .args(args)
        .env("XDG_CONFIG_HOME", config_home)
        .env_remove("NO_COLOR")
        .output()
        .expect("chat-tui runs")
}

/// A config directory, with `text` as its default config file if given.
fn config_home(text: Option<&str>) -> TempDir {
    let home = tempfile::tempdir().unwrap();
    if let Some(text) = text {
        let dir = home.path().join("chat-tui");
        std::fs::create_dir(&dir).unwrap();
        std::fs::write(dir.join("config.toml"), text).unwrap();
    }
    home
}

/// Asserts a refusal with exit code 2 whose message is `expected` (after `chat-tui: `),
/// the terminal untouched.
fn assert_refused(output: &Output, expected: &str) {
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert_eq!(stderr.trim_end(), format!("chat-tui: {expected}"));
    assert!(output.stdout.is_empty(), "{:?}", output.stdout);
}

/// Asserts the settings were accepted: the client got as far as looking for a terminal.
fn assert_accepted(output: &Output) {
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("not a terminal"), "{stderr}");
}

#[test]
fn a_bad_config_file_names_its_line_and_exits_2() {
    let home = config_home(None);
    let bad = home.path().join("bad.toml");
    std::fs::write(
        &bad,
        "host = \"chat.example\"\n\n[profiles.x]\n  prot = 7000\n",
    )
    .unwrap();
    let output = chat_tui(home.path(), &["--config", bad.to_str().unwrap()]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    let expected = format!("{}:4:3: unknown field `prot`", bad.display());
    assert!(
        stderr.starts_with(&format!("chat-tui: {expected}")),
        "{stderr}"
    );
    assert_eq!(output.status.code(), Some(2));
    assert!(output.stdout.is_empty());
}

#[test]
fn the_default_file_is_read_and_its_errors_named_too() {
    let home = config_home(Some("port = 0\n"));
    let path = home.path().join("chat-tui/config.toml");
    let output = chat_tui(home.path(), &[]);
    assert_refused(
        &output,
        &format!("{}:1:8: port 0 is not from 1 to 65535", path.display()),
    );
}

#[test]
fn an_invalid_name_in_the_file_is_refused_with_the_shared_rules() {
    let home = config_home(Some("name = \"admin\"\n"));
    let path = home.path().join("chat-tui/config.toml");
    let output = chat_tui(home.path(), &[]);
    assert_refused(
        &output,
        &format!(
            "{}:1:8: invalid name: the name \"admin\" is reserved",
            path.display()
        ),
    );
}

#[test]
fn a_missing_named_config_file_is_an_error() {
    let home = config_home(None);
    let missing = home.path().join("missing.toml");
    let output = chat_tui(home.path(), &["--config", missing.to_str().unwrap()]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.starts_with(&format!("chat-tui: cannot read {}", missing.display())),
        "{stderr}"
    );
    assert!(output.stdout.is_empty());
}

#[test]
fn a_missing_default_file_is_fine() {
    let home = config_home(None);
    assert_accepted(&chat_tui(home.path(), &["127.0.0.1", "9"]));
}

#[test]
fn an_unknown_profile_lists_those_there_are() {
    let home = config_home(Some("[profiles.work]\nport = 7000\n[profiles.home]\n"));
    let path = home.path().join("chat-tui/config.toml");
    let output = chat_tui(home.path(), &["--profile", "wrok"]);
    assert_refused(
        &output,
        &format!(
            "no profile \"wrok\" in {} (it has: home, work)",
            path.display()
        ),
    );
    assert_accepted(&chat_tui(home.path(), &["--profile", "work"]));
}

#[test]
fn a_profile_without_a_config_file_is_an_error() {
    let home = config_home(None);
    let output = chat_tui(home.path(), &["--profile", "work"]);
    assert_refused(&output, "no profile \"work\": there is no config file");
}

#[test]
fn the_sample_config_file_is_accepted() {
    let home = config_home(None);
    let sample = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../assets/chat-tui.config.toml"
    );
    assert_accepted(&chat_tui(home.path(), &["--config", sample]));
    assert_accepted(&chat_tui(
        home.path(),
        &["--config", sample, "--profile", "local"],
    ));
}

#[test]
fn control_characters_in_a_bad_file_do_not_reach_the_terminal() {
    let home = config_home(Some("host = \"x\u{1b}[2J\"\n"));
    let output = chat_tui(home.path(), &[]);
    assert_eq!(output.status.code(), Some(2));
    assert!(!output.stderr.contains(&0x1b), "{:?}", output.stderr);
}

#[test]
fn control_characters_in_an_unknown_key_are_escaped() {
    let home = config_home(Some("\"\\u001b]0;owned\\u0007\" = 1\n"));
    let output = chat_tui(home.path(), &[]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("unknown field"), "{stderr}");
    assert!(stderr.contains("\\u{1b}]0;owned\\u{7}"), "{stderr}");
    assert!(
        !output
            .stderr
            .iter()
            .any(|&byte| byte == 0x1b || byte == 0x07)
    );
}

#[test]
fn a_hostile_host_on_the_command_line_is_refused() {
    let home = config_home(None);
    for host in ["evil host", "evil\nhost", "\u{1b}[2J"] {
        let output = chat_tui(home.path(), &[host, "9"]);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{stderr}");
        assert!(stderr.starts_with("chat-tui: invalid host"), "{stderr}");
        assert!(!output.stderr.contains(&0x1b), "{stderr:?}");
        assert!(output.stdout.is_empty());
    }
}
