//! Every limit of the server in one place, each with its documented default and a flag.

use std::net::{IpAddr, Ipv4Addr};
use std::time::Duration;

use chat_shared::codec::DEFAULT_MAX_LINE_BYTES;
use clap::Parser;

/// How the server is run: address, and every limit that protects it from its clients.
///
/// The command line is this struct (`chat-server --help` prints it); tests build it with
/// struct update syntax from [`Config::default`] and shrink the limits they exercise.
#[derive(Debug, Clone, Parser)]
#[command(
    name = "chat-server",
    version,
    about = "A lock-based, thread-per-client TCP chat server"
)]
pub struct Config {
    /// TCP port to listen on (0 picks a free port).
    #[arg(default_value_t = 9999)]
    pub port: u16,

    /// Address to listen on; 0.0.0.0 listens on every IPv4 interface.
    #[arg(long, default_value_t = IpAddr::V4(Ipv4Addr::UNSPECIFIED))]
    pub bind: IpAddr,

    /// Most simultaneous connections; lowered at startup to what this machine's thread and
    /// file limits can hold (see the startup log).
    #[arg(long, default_value_t = 10_000)]
    pub max_clients: usize,

    /// Most simultaneous connections from one IP address (loopback is exempt).
    #[arg(long, default_value_t = 8)]
    pub max_per_ip: usize,

    /// Longest line accepted, in bytes, not counting the line ending.
    #[arg(long, default_value_t = DEFAULT_MAX_LINE_BYTES)]
    pub max_line_bytes: usize,

    /// Bytes that may wait unsent to one client before it is disconnected
    /// ("send queue exceeded").
    #[arg(long, default_value_t = 256 * 1024)]
    pub send_queue_bytes: usize,

    /// Time to choose an accepted name before the connection is closed.
    #[arg(long, default_value = "30s", value_parser = humantime::parse_duration)]
    pub handshake_timeout: Duration,

    /// Silence from a structured-mode client after which the server pings it.
    #[arg(long, default_value = "90s", value_parser = humantime::parse_duration)]
    pub ping_interval: Duration,

    /// Further silence after a ping after which the client is disconnected.
    #[arg(long, default_value = "45s", value_parser = humantime::parse_duration)]
    pub ping_timeout: Duration,

    /// Frames a client may send in a burst before flood control delays it.
    #[arg(long, default_value_t = 10)]
    pub flood_burst: u32,

    /// Frames per second a client may send after its burst; 0 turns flood control off.
    #[arg(long, default_value_t = 2.0, value_parser = parse_flood_rate)]
    pub flood_rate: f64,

    /// Longest wait at shutdown for queued messages to reach the clients.
    #[arg(long, default_value = "3s", value_parser = humantime::parse_duration)]
    pub shutdown_grace: Duration,
}

/// Slowest flood-control rate accepted: one frame every 1,000 seconds.
const MIN_FLOOD_RATE: f64 = 0.001;

fn parse_flood_rate(text: &str) -> Result<f64, String> {
    let rate: f64 = text.parse().map_err(|e| format!("{e}"))?;
    if rate == 0.0 || (rate.is_finite() && rate >= MIN_FLOOD_RATE) {
        Ok(rate)
    } else {
        Err(format!(
            "must be 0 (off) or a number of frames per second from {MIN_FLOOD_RATE}"
        ))
    }
}

impl Default for Config {
    fn default() -> Self {
        Config::parse_from(["chat-server"])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_match_the_documented_values() {
        let config = Config::default();
        assert_eq!(config.port, 9999);
        assert_eq!(config.bind, IpAddr::V4(Ipv4Addr::UNSPECIFIED));
        assert_eq!(config.max_line_bytes, 8192);
        assert_eq!(config.send_queue_bytes, 262_144);
        assert_eq!(config.handshake_timeout, Duration::from_secs(30));
        assert_eq!(config.ping_interval, Duration::from_secs(90));
        assert_eq!(config.flood_rate, 2.0);
    }

    #[test]
    fn every_limit_is_a_flag() {
        let config = Config::try_parse_from([
            "chat-server",
            "4000",
            "--bind",
            "127.0.0.1",
            "--max-clients",
            "5",
            "--max-per-ip",
            "2",
            "--max-line-bytes",
            "100",
            "--send-queue-bytes",
            "1000",
            "--handshake-timeout",
            "500ms",
            "--ping-interval",
            "2s",
            "--ping-timeout",
            "1s",
            "--flood-burst",
            "3",
            "--flood-rate",
            "0",
            "--shutdown-grace",
            "1s",
        ])
        .unwrap();
        assert_eq!(config.port, 4000);
        assert_eq!(config.max_clients, 5);
        assert_eq!(config.handshake_timeout, Duration::from_millis(500));
        assert_eq!(config.flood_rate, 0.0);
    }

    #[test]
    fn rejects_a_flood_rate_that_is_negative_not_a_number_or_too_slow() {
        for rate in ["-1", "NaN", "inf", "1e-20", "fast"] {
            assert!(
                Config::try_parse_from(["chat-server", "--flood-rate", rate]).is_err(),
                "{rate}"
            );
        }
        assert!(Config::try_parse_from(["chat-server", "--flood-rate", "0.5"]).is_ok());
    }

    #[test]
    fn rejects_a_bad_duration() {
        assert!(Config::try_parse_from(["chat-server", "--ping-interval", "soon"]).is_err());
    }
}
