//! The history store against a hostile disk: a database file full of garbage, a data
//! directory the server may not write, and a `kill -9` in the middle of a burst. The real
//! binary is started each time: what an operator sees is its exit status and its words.

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::os::unix::process::CommandExt;
use std::path::Path;
use std::process::{Command, Output};

use chat_server::store::{EventKind, History, Retention, SqliteHistory};
use chat_shared::frame::{ClientFrame, EventId, ServerFrame};

use crate::support::Structured;
use crate::support::process::{BINARY, ServerProcess};

/// Runs the binary on `data_dir` as `uid` (when given) and returns how it ended; it is
/// expected to refuse to start, so it is never left running.
fn start_refused(data_dir: &Path, uid: Option<u32>) -> Output {
    let mut command = Command::new(BINARY);
    command
        .args(["0", "--bind", "127.0.0.1", "--data-dir"])
        .arg(data_dir);
    if let Some(uid) = uid {
        command.uid(uid);
    }
    command.output().expect("the binary runs")
}

fn assert_refused_naming(output: &Output, file: &Path, words: &str) {
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "stderr: {stderr}");
    assert!(stderr.contains(&file.display().to_string()), "{stderr}");
    assert!(stderr.contains(words), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
}

#[test]
fn a_database_file_of_garbage_stops_the_start_naming_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("history.sqlite3");
    let garbage: Vec<u8> = (0..64 * 1024).map(|n| (n * 7 + 13) as u8).collect();
    fs::write(&file, &garbage).unwrap();
    let output = start_refused(dir.path(), None);
    assert_refused_naming(&output, &file, "not a history database");
    assert_eq!(fs::read(&file).unwrap(), garbage, "the file is left alone");
}

#[test]
fn a_data_directory_the_server_cannot_write_stops_the_start_naming_it() {
    let dir = tempfile::tempdir().unwrap();
    fs::set_permissions(dir.path(), fs::Permissions::from_mode(0o755)).unwrap();
    let data = dir.path().join("data");
    fs::create_dir(&data).unwrap();
    fs::set_permissions(&data, fs::Permissions::from_mode(0o555)).unwrap();
    // SAFETY: geteuid has no preconditions.
    let uid = (unsafe { libc::geteuid() } == 0).then_some(65_534);
    let output = start_refused(&data, uid);
    assert_refused_naming(&output, &data, "ermission denied");
}

#[test]
fn a_kill_in_the_middle_of_a_burst_keeps_a_readable_history_and_a_new_epoch() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().to_str().unwrap();
    let mut server = ServerProcess::spawn(&["--data-dir", data, "--flood-rate", "0"]);
    let (mut alice, _) = Structured::join(server.addr, "alice");
    let burst = 3_000;
    for n in 1..=burst {
        alice.say(&format!("burst {n}"));
    }
    let mut last = None;
    for _ in 0..burst {
        if let ServerFrame::Message { epoch, seq, .. } =
            alice.expect(|f| matches!(f, ServerFrame::Message { .. }))
        {
            last = Some(EventId { epoch, seq });
        }
    }
    server.kill();
    let last = last.expect("the burst was echoed");

    let store = SqliteHistory::open(dir.path(), Retention::KEEP_ALL)
        .expect("a killed server leaves a database that opens");
    let cursor = store.room_cursor("#general").unwrap();
    assert_ne!(cursor.epoch, last.epoch, "a crash starts a new epoch");
    let kept = store
        .before("#general", None, 10_000, None)
        .unwrap()
        .events
        .into_iter()
        .filter(|event| event.kind == EventKind::Message)
        .map(|event| event.text.unwrap_or_default())
        .collect::<Vec<_>>();
    let wanted: Vec<String> = (1..=kept.len()).map(|n| format!("burst {n}")).collect();
    assert_eq!(
        kept, wanted,
        "what is kept is the burst's beginning, in order"
    );
    println!(
        "kill -9 right after the last echo: {} of {burst} messages kept, {} lost",
        kept.len(),
        burst - kept.len()
    );
    drop(store);

    let server = ServerProcess::spawn(&["--data-dir", data]);
    let mut bob = Structured::connect(server.addr);
    bob.send(&ClientFrame::Login {
        password: None,
        name: "bob".into(),
        after: Some(last),
    });
    let resumed = bob.expect(|f| matches!(f, ServerFrame::History { .. }));
    assert!(
        matches!(
            resumed,
            ServerFrame::History {
                complete: false,
                ..
            }
        ),
        "a resume across a crash is not complete: {resumed:?}"
    );
}
