//! Smoke runs of every scenario with tiny numbers against an in-process server: the
//! generator talks the protocol, loses nothing and prints the documented JSON. No timing
//! is asserted; real figures come from release runs (see BENCHMARKS.md).

use std::net::{IpAddr, Ipv4Addr};
use std::process::Command;

use chat_server::{Config, Server};
use serde_json::Value;

fn start_server() -> Server {
    Server::start(Config {
        port: 0,
        bind: IpAddr::V4(Ipv4Addr::LOCALHOST),
        flood_rate: 0.0,
        exempt: vec!["127.0.0.0/8".parse().unwrap()],
        ..Config::default()
    })
    .expect("server starts")
}

/// Runs `chat-bench ARGS --json` against `server` and returns its parsed output.
fn bench(server: &Server, args: &[&str]) -> Value {
    let output = Command::new(env!("CARGO_BIN_EXE_chat-bench"))
        .args(args)
        .args(["--addr", &server.local_addr().to_string(), "--json"])
        .args(["--threads", "2", "--patience", "20"])
        .output()
        .expect("chat-bench runs");
    assert!(
        output.status.success(),
        "chat-bench failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).expect("chat-bench prints JSON")
}

#[test]
fn fanout_delivers_everything_to_the_server_and_the_baseline() {
    let server = start_server();
    let report = bench(
        &server,
        &[
            "fanout",
            "--clients",
            "5",
            "--senders",
            "2",
            "--messages",
            "10",
            "--baseline",
        ],
    );
    assert_eq!(report["scenario"], "fanout");
    let runs = report["runs"].as_array().expect("runs");
    assert_eq!(runs.len(), 2);
    assert_eq!(runs[1]["target"], "baseline");
    for run in runs {
        assert_eq!(run["expected_deliveries"], 100);
        assert_eq!(run["deliveries"], 100);
        assert_eq!(run["lost"], 0);
        assert_eq!(run["reordered"], 0);
        assert_eq!(run["misdelivered"], 0);
        assert_eq!(run["disconnected"], 0);
        for field in ["deliveries_per_second", "seconds", "join_seconds"] {
            assert!(run[field].as_f64().is_some(), "{field} in {run}");
        }
        for field in ["p50_ms", "p99_ms", "p999_ms", "max_ms"] {
            assert!(run["latency"][field].as_f64().is_some(), "{field}");
        }
    }
    assert!(report["ratios"]["throughput"].as_f64().is_some());
    assert!(report["ratios"]["p99"].as_f64().is_some());
    server.shutdown();
}

#[test]
fn fanout_over_tls_delivers_everything_and_compares_with_cleartext() {
    let server = start_server();
    let report = bench(
        &server,
        &[
            "fanout",
            "--clients",
            "5",
            "--senders",
            "2",
            "--messages",
            "10",
            "--tls",
        ],
    );
    let runs = report["runs"].as_array().expect("runs");
    assert_eq!(runs.len(), 2);
    assert!(
        runs[0]["target"].as_str().unwrap().ends_with("(tls)"),
        "{}",
        runs[0]["target"]
    );
    assert!(!runs[1]["target"].as_str().unwrap().contains("tls"));
    for run in runs {
        assert_eq!(run["deliveries"], 100);
        assert_eq!(run["lost"], 0);
        assert_eq!(run["reordered"], 0);
        assert_eq!(run["disconnected"], 0);
    }
    assert!(report["ratios"]["throughput"].as_f64().is_some());
    server.shutdown();
}

#[test]
fn connections_holds_idle_clients_and_reaches_them_all() {
    let server = start_server();
    let report = bench(&server, &["connections", "--clients", "20", "--hold", "0"]);
    assert_eq!(report["scenario"], "connections");
    assert_eq!(report["clients"], 20);
    assert_eq!(report["disconnected"], 0);
    assert_eq!(report["broadcast_received"], 20);
    assert!(report["joins_per_second"].as_f64().is_some());
    assert!(report["broadcast"]["max_ms"].as_f64().is_some());
    server.shutdown();
}

#[test]
fn churn_cycles_without_failures() {
    let server = start_server();
    let report = bench(
        &server,
        &["churn", "--cycles", "20", "--workers", "2", "--idle", "3"],
    );
    assert_eq!(report["scenario"], "churn");
    assert_eq!(report["cycles"], 20);
    assert_eq!(report["failures"], 0);
    assert!(report["cycles_per_second"].as_f64().is_some());
    server.shutdown();
}

#[test]
fn rooms_deliver_within_their_rooms_beside_one_room() {
    let server = start_server();
    let report = bench(
        &server,
        &[
            "rooms",
            "--clients",
            "7",
            "--rooms",
            "3",
            "--senders",
            "1",
            "--general-senders",
            "2",
            "--messages",
            "10",
            "--settle",
            "0",
        ],
    );
    assert_eq!(report["scenario"], "rooms");
    assert_eq!(report["rooms"], 3);
    let runs = report["runs"].as_array().expect("runs");
    assert_eq!(runs.len(), 2);
    // Each client hears its side room's sender and the two in #general; in one room,
    // all five.
    for (run, expected) in runs.iter().zip([7 * 3 * 10, 7 * 5 * 10]) {
        assert_eq!(run["senders"], 5);
        assert_eq!(run["expected_deliveries"], expected);
        assert_eq!(run["deliveries"], expected);
        for field in ["lost", "reordered", "misdelivered", "disconnected"] {
            assert_eq!(run[field], 0, "{field} in {run}");
        }
        assert!(run["presence_frames"].as_u64().is_some());
        assert!(run["latency"]["p99_ms"].as_f64().is_some());
    }
    assert!(report["ratios"]["throughput"].as_f64().is_some());
    assert!(report["ratios"]["p99"].as_f64().is_some());
    server.shutdown();
}
