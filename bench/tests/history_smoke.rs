//! A smoke run of `chat-bench history` with tiny numbers against the real server binary
//! (the scenario starts and kills it): every part runs, nothing a graceful stop should
//! keep is lost, and the documented JSON and table come out. No timing is asserted; real
//! figures come from release runs (see BENCHMARKS.md).

mod common;

use std::path::PathBuf;
use std::process::Command;

use common::server_binary;
use serde_json::Value;

/// Runs `chat-bench history` with tiny numbers, `extra` arguments appended.
fn history(server: &PathBuf, extra: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_chat-bench"))
        .arg("history")
        .arg("--server-bin")
        .arg(server)
        .args([
            "--senders",
            "2",
            "--posts",
            "50",
            "--kill-posts",
            "40",
            "--kill-rate",
            "400",
        ])
        .args(["--fanout-clients", "4", "--fanout-senders", "2"])
        .args(["--fanout-messages", "10", "--rounds", "1"])
        .args(["--fill", "3000", "--rooms", "5", "--samples", "20"])
        .args([
            "--threads",
            "2",
            "--patience",
            "20",
            "--connect-window",
            "4",
        ])
        .args(extra)
        .output()
        .expect("chat-bench runs")
}

#[test]
fn history_measures_every_part_and_prints_them() {
    let server = server_binary();
    let output = history(&server, &["--json"]);
    assert!(
        output.status.success(),
        "chat-bench failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let report: Value = serde_json::from_slice(&output.stdout).expect("chat-bench prints JSON");
    assert_eq!(report["scenario"], "history");
    assert_eq!(report["persisted"]["sent"], 100);
    assert!(report["persisted"]["kept"].as_u64().unwrap() <= 100);
    for kill in ["killed", "killed_paced"] {
        assert_eq!(report[kill]["sent"], 40);
        assert!(report[kill]["kept"].as_u64().unwrap() <= 40);
        assert!(report[kill]["lost_ms"].as_f64().is_some());
    }
    assert_eq!(report["fanout"]["lost"], 0);
    assert_eq!(report["fanout"]["on"].as_array().unwrap().len(), 1);
    assert_eq!(report["fanout"]["off"].as_array().unwrap().len(), 1);
    assert!(report["fanout"]["ratio"].as_f64().is_some());
    let store = &report["store"];
    assert_eq!(store["messages"], 3000);
    assert_eq!(store["dropped"], 0);
    assert_eq!(store["searches"], 20);
    assert!(store["bytes_per_message"].as_f64().unwrap() > 0.0);
    for figure in ["replay", "resume", "search"] {
        assert!(store[figure]["p99_ms"].as_f64().is_some(), "{figure}");
    }
    assert!(report["startup_ms"].as_f64().is_some());

    let output = history(&server, &[]);
    assert!(output.status.success());
    let table = String::from_utf8(output.stdout).expect("the table is UTF-8");
    for figure in [
        "persisted messages/s",
        "fan-out on ÷ off",
        "bytes per message",
        "replay 50 on join",
        "kill -9 after 400 msg/s: lost",
    ] {
        assert!(table.contains(figure), "{figure} in\n{table}");
    }
}
