//! What the smoke runs against the real server binary share.

use std::path::PathBuf;
use std::process::Command;

/// The `chat-server` binary of this build profile, built if needed: a dependency's
/// binary is not built for another package's tests.
pub fn server_binary() -> PathBuf {
    let profile = if cfg!(debug_assertions) {
        Vec::new()
    } else {
        vec!["--release"]
    };
    let status = Command::new(env!("CARGO"))
        .args([
            "build",
            "--quiet",
            "-p",
            "chat-server",
            "--bin",
            "chat-server",
        ])
        .args(profile)
        .status()
        .expect("cargo runs");
    assert!(status.success(), "chat-server builds");
    PathBuf::from(env!("CARGO_BIN_EXE_chat-bench")).with_file_name("chat-server")
}
