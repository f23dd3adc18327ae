//! The two tables of `chat-bench logins`: what a login costs, and the chat in quiet and
//! under the guessing storm.

use super::{LoginCost, StormReport};
use crate::report::{Tabular, count, maybe};

fn ms(value: f64) -> String {
    format!("{value:.2}")
}

fn ratio(value: f64) -> String {
    if value.is_finite() {
        format!("{value:.2}")
    } else {
        "-".to_owned()
    }
}

impl Tabular for LoginCost {
    fn header(&self) -> Vec<String> {
        [
            "login, connect to welcome",
            "registered",
            "free name",
            "ratio",
        ]
        .map(str::to_owned)
        .to_vec()
    }

    fn rows(&self) -> Vec<Vec<String>> {
        let (a, b) = (&self.registered, &self.unregistered);
        vec![
            vec![
                "logins".to_owned(),
                count(u64::from(self.logins)),
                count(u64::from(self.logins)),
                String::new(),
            ],
            vec![
                "p50 (ms)".to_owned(),
                ms(a.p50_ms),
                ms(b.p50_ms),
                ratio(self.ratio_p50),
            ],
            vec![
                "p99 (ms)".to_owned(),
                ms(a.p99_ms),
                ms(b.p99_ms),
                ratio(self.ratio_p99),
            ],
            vec![
                "max (ms)".to_owned(),
                ms(a.max_ms),
                ms(b.max_ms),
                String::new(),
            ],
        ]
    }
}

impl Tabular for StormReport {
    fn header(&self) -> Vec<String> {
        ["chat between two members", "quiet", "guessing", "ratio"]
            .map(str::to_owned)
            .to_vec()
    }

    fn rows(&self) -> Vec<Vec<String>> {
        let runs = [&self.quiet, &self.under_storm];
        let both = |name: &str, cell: &dyn Fn(&super::TimedRun) -> String, ratio: String| {
            let mut row = vec![name.to_owned()];
            row.extend(runs.iter().map(|run| cell(run)));
            row.push(ratio);
            row
        };
        let attack =
            |name: &str, value: String| vec![name.to_owned(), "-".to_owned(), value, String::new()];
        let busy = |run: &super::TimedRun| {
            maybe(run.cpu_seconds, |cpu| format!("{:.2}", cpu / run.seconds))
        };
        let storm = &self.attack;
        vec![
            both(
                "messages received",
                &|run| {
                    format!(
                        "{} of {}",
                        count(run.deliveries),
                        count(run.expected_deliveries)
                    )
                },
                String::new(),
            ),
            both(
                "latency p50 (ms)",
                &|run| ms(run.latency.p50_ms),
                ratio(self.ratio_p50),
            ),
            both(
                "latency p99 (ms)",
                &|run| ms(run.latency.p99_ms),
                ratio(self.ratio_p99),
            ),
            both(
                "latency max (ms)",
                &|run| ms(run.latency.max_ms),
                String::new(),
            ),
            both("server CPU (cores busy)", &busy, String::new()),
            attack("attackers", count(storm.attackers as u64)),
            attack("names guessed at", count(storm.names as u64)),
            attack("storm (s)", format!("{:.1}", storm.seconds)),
            attack("guesses hashed", count(storm.hashed)),
            attack("guesses throttled", count(storm.throttled)),
            attack("other answers", count(storm.other)),
            attack("hashes/s", format!("{:.1}", storm.hashes_per_second)),
            attack(
                "server CPU, storm (cores busy)",
                maybe(self.storm_cpu_seconds, |cpu| {
                    format!("{:.2}", cpu / storm.seconds)
                }),
            ),
        ]
    }
}
