//! Smoke runs of `chat-bench logins` with tiny numbers against the real server binary,
//! which the scenario starts with a temporary data directory (accounts in SQLite): both
//! parts run, no chat message is lost, and the documented JSON and tables come out.
//! No timing is asserted; real figures come from release runs (see BENCHMARKS.md).

mod common;

use std::path::Path;
use std::process::Command;

use common::server_binary;
use serde_json::Value;

/// Runs `chat-bench logins` with tiny numbers, `extra` arguments appended, and checks
/// that it succeeded.
fn logins(server: &Path, extra: &[&str]) -> String {
    let output = Command::new(env!("CARGO_BIN_EXE_chat-bench"))
        .arg("logins")
        .arg("--server-bin")
        .arg(server)
        .args(["--logins", "3", "--attackers", "2", "--accounts", "4"])
        .args(["--messages", "10", "--rate", "100", "--warmup", "0.2"])
        .args(["--threads", "2", "--patience", "20"])
        .args(extra)
        .output()
        .expect("chat-bench runs");
    assert!(
        output.status.success(),
        "chat-bench failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).expect("the output is UTF-8")
}

fn number(value: &Value) -> f64 {
    value
        .as_f64()
        .unwrap_or_else(|| panic!("{value} is not a number"))
}

#[test]
fn logins_measures_both_parts_and_prints_them() {
    let server = server_binary();
    let report: Value =
        serde_json::from_str(&logins(&server, &["--json"])).expect("chat-bench prints JSON");
    assert_eq!(report["scenario"], "logins");
    assert_eq!(report["target"], "chat-server");

    let cost = &report["cost"];
    assert_eq!(cost["logins"], 3);
    for kind in ["registered", "unregistered"] {
        assert!(number(&cost[kind]["p50_ms"]) > 0.0, "{kind}");
        assert!(number(&cost[kind]["p99_ms"]) >= number(&cost[kind]["p50_ms"]));
    }
    assert!(number(&cost["ratio_p50"]) > 0.0);

    let storm = &report["storm"];
    for run in ["quiet", "under_storm"] {
        assert_eq!(storm[run]["clients"], 2, "{run}");
        assert_eq!(storm[run]["expected_deliveries"], 20, "{run}");
        assert_eq!(
            storm[run]["deliveries"], 20,
            "{run}: replayed or lost messages"
        );
        assert_eq!(storm[run]["lost"], 0, "{run}");
        assert_eq!(storm[run]["disconnected"], 0, "{run}");
        assert!(number(&storm[run]["cpu_seconds"]) >= 0.0, "{run}");
    }
    let attack = &storm["attack"];
    assert_eq!(attack["attackers"], 2);
    assert_eq!(attack["names"], 4);
    assert_eq!(attack["other"], 0, "{attack}");
    let hashed = attack["hashed"].as_u64().expect("hashed");
    assert!(hashed > 0, "the attackers got guesses hashed: {attack}");
    assert!(number(&attack["hashes_per_second"]) > 0.0);
    assert!(number(&storm["storm_cpu_seconds"]) > 0.0);
    assert!(number(&storm["ratio_p99"]) > 0.0);

    let table = logins(&server, &[]);
    for figure in [
        "login, connect to welcome",
        "chat between two members",
        "latency p99 (ms)",
        "guesses hashed",
        "guesses throttled",
        "hashes/s",
        "server CPU, storm (cores busy)",
    ] {
        assert!(table.contains(figure), "{figure} in\n{table}");
    }
}

#[test]
fn guesses_beyond_the_throttle_are_counted_as_refused_not_hashed() {
    let server = server_binary();
    let output = logins(&server, &["--json", "--server-arg=--login-failures=1"]);
    let report: Value = serde_json::from_str(&output).expect("chat-bench prints JSON");
    let attack = &report["storm"]["attack"];
    assert_eq!(attack["other"], 0, "{attack}");
    let hashed = attack["hashed"].as_u64().expect("hashed");
    assert!(hashed >= 1, "{attack}");
    assert!(
        hashed <= 4 * 2,
        "one wrong password per name (4), or one per attacker (2) racing for it: {attack}"
    );
    assert!(
        attack["throttled"].as_u64().expect("throttled") > 0,
        "{attack}"
    );
    assert_eq!(report["storm"]["under_storm"]["lost"], 0);
}
