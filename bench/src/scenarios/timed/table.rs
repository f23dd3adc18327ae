//! How timed runs are shown side by side: one column per run, and the ratios of the first
//! to the second when there are two.

use serde::Serialize;

use super::TimedRun;
use crate::report::{bytes, count, maybe};

/// The first run compared with the second, measured in the same invocation.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct Ratios {
    /// First deliveries/s ÷ second deliveries/s (server ÷ baseline: aim ≥ 0.5).
    pub throughput: f64,
    /// First p99 ÷ second p99 (server ÷ baseline: aim ≤ 3).
    pub p99: f64,
    /// First CPU per delivery ÷ second CPU per delivery.
    pub cpu_per_delivery: Option<f64>,
}

impl Ratios {
    /// The ratios of `first` to `second`.
    pub fn between(first: &TimedRun, second: &TimedRun) -> Self {
        Self {
            throughput: first.deliveries_per_second / second.deliveries_per_second,
            p99: first.latency.p99_ms / second.latency.p99_ms,
            cpu_per_delivery: first
                .cpu_us_per_delivery
                .zip(second.cpu_us_per_delivery)
                .filter(|&(_, b)| b > 0.0)
                .map(|(a, b)| a / b),
        }
    }
}

/// One row per figure: its name, one cell per run, and a ratio column if `ratios` is
/// given (empty where no ratio applies).
pub fn rows(runs: &[TimedRun], ratios: Option<&Ratios>) -> Vec<Vec<String>> {
    let ratio =
        |pick: fn(&Ratios) -> Option<f64>| ratios.map(|r| maybe(pick(r), |v| format!("{v:.2}")));
    let row = |name: &str, cell: &dyn Fn(&TimedRun) -> String, ratio: Option<String>| {
        let mut row = vec![name.to_owned()];
        row.extend(runs.iter().map(cell));
        row.extend(ratio.or_else(|| ratios.map(|_| String::new())));
        row
    };
    let ms = |v: f64| format!("{v:.3}");
    vec![
        row("clients", &|r| count(r.clients as u64), None),
        row(
            "senders × messages",
            &|r| {
                format!(
                    "{} × {}",
                    r.senders,
                    count(u64::from(r.messages_per_sender))
                )
            },
            None,
        ),
        row(
            "rate per sender (msg/s)",
            &|r| match r.rate {
                0.0 => "max".to_owned(),
                rate => format!("{rate}"),
            },
            None,
        ),
        row("join time (s)", &|r| format!("{:.2}", r.join_seconds), None),
        row("deliveries", &|r| count(r.deliveries), None),
        row("lost", &|r| count(r.lost), None),
        row("reordered", &|r| count(r.reordered), None),
        row("misdelivered", &|r| count(r.misdelivered), None),
        row("disconnected", &|r| count(r.disconnected as u64), None),
        row(
            "presence frames in the window",
            &|r| count(r.presence_frames),
            None,
        ),
        row("run time (s)", &|r| format!("{:.3}", r.seconds), None),
        row(
            "deliveries/s",
            &|r| count(r.deliveries_per_second as u64),
            ratio(|r| Some(r.throughput)),
        ),
        row("latency p50 (ms)", &|r| ms(r.latency.p50_ms), None),
        row(
            "latency p99 (ms)",
            &|r| ms(r.latency.p99_ms),
            ratio(|r| Some(r.p99)),
        ),
        row("latency p99.9 (ms)", &|r| ms(r.latency.p999_ms), None),
        row("latency max (ms)", &|r| ms(r.latency.max_ms), None),
        row(
            "CPU (s)",
            &|r| maybe(r.cpu_seconds, |v| format!("{v:.2}")),
            None,
        ),
        row(
            "CPU per delivery (µs)",
            &|r| maybe(r.cpu_us_per_delivery, |v| format!("{v:.3}")),
            ratio(|r| r.cpu_per_delivery),
        ),
        row("peak RSS", &|r| maybe(r.peak_rss_bytes, bytes), None),
    ]
}
