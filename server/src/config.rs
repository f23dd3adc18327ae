//! Every limit of the server in one place, each with its documented default and a flag.

use std::net::{IpAddr, Ipv4Addr};
use std::path::PathBuf;
use std::time::Duration;

use chat_shared::codec::DEFAULT_MAX_LINE_BYTES;
use chat_shared::room_name::validate_room_name;
use clap::Parser;
use ipnet::IpNet;

/// How the server is run: address, and every limit that protects it from its clients.
#[derive(Debug, Clone, Parser)]
#[command(
    name = "chat-server",
    version,
    about = "A terminal chat server for a team: people join with chat-tui or plain nc.",
    long_about = "A terminal chat server for a team: people join with chat-tui or plain nc.\n\n\
        Runs headless and logs to stdout, one line per event. TLS and cleartext share the \
        port: a connection that opens with a TLS ClientHello is served over TLS. \
        Every limit below protects \
        the server and its users from hostile or broken clients; the defaults suit a team \
        on the internet. SIGINT or SIGTERM stops it gracefully."
)]
pub struct Config {
    /// An offline command on the data directory instead of serving (`chat-server
    /// accounts list`); none serves.
    #[command(subcommand)]
    pub command: Option<crate::admin::Command>,

    /// TCP port to listen on (0 picks a free port).
    #[arg(default_value_t = 9999)]
    pub port: u16,

    /// Address to listen on; 0.0.0.0 listens on every IPv4 interface, :: on every
    /// interface.
    #[arg(long, default_value_t = IpAddr::V4(Ipv4Addr::UNSPECIFIED))]
    pub bind: IpAddr,

    /// Most simultaneous connections; lowered at startup to what this machine's thread and
    /// file limits can hold (see the startup log).
    #[arg(long, default_value_t = 10_000)]
    pub max_clients: usize,

    /// Share of --max-clients, in percent, that connections still choosing a name may
    /// hold. When it is full, the oldest of them is closed to make way for a newcomer.
    #[arg(long, default_value_t = 25, value_parser = clap::value_parser!(u8).range(1..=100))]
    pub unjoined_percent: u8,

    /// Most simultaneous connections from one address (an IPv6 address counts per
    /// --ipv6-prefix network).
    #[arg(long, default_value_t = 8)]
    pub max_per_ip: usize,

    /// Connections one address may open in a burst before --connect-rate applies.
    #[arg(long, default_value_t = 10)]
    pub connect_burst: u32,

    /// Connections per minute one address may open after its burst; more are refused
    /// ("throttled"). 0 turns this limit off.
    #[arg(long, default_value_t = 12.0, value_parser = parse_connect_rate)]
    pub connect_rate: f64,

    /// Length of the IPv6 prefix that counts as one address for the per-address limits
    /// (a host usually holds a whole /64).
    #[arg(long, default_value_t = 64, value_parser = clap::value_parser!(u8).range(1..=128))]
    pub ipv6_prefix: u8,

    /// Address or network (CIDR) exempt from the per-address limits: connections per
    /// address, the connection rate, and the flood budget that outlives a connection.
    /// Repeatable. For a trusted proxy, or load tests from one machine; none by default.
    #[arg(long = "exempt", value_name = "CIDR", value_parser = parse_network)]
    pub exempt: Vec<IpNet>,

    /// The room everyone is put in at login.
    #[arg(long, default_value = "#general", value_parser = parse_room)]
    pub default_room: String,

    /// Most rooms one user may be in at once.
    #[arg(long, default_value_t = 32, value_parser = clap::value_parser!(u32).range(1..))]
    pub max_rooms_per_user: u32,

    /// Most rooms on the server at once (a room exists while someone is in it).
    #[arg(long, default_value_t = 1000, value_parser = clap::value_parser!(u32).range(1..))]
    pub max_rooms: u32,

    /// Rooms with more members than this tell joins and leaves in one summary a second
    /// instead of one notice each (0: every room).
    #[arg(long, default_value_t = 100)]
    pub presence_summary_above: u32,

    /// Longest room topic, in characters.
    #[arg(long, default_value_t = 300, value_parser = clap::value_parser!(u32).range(1..=4096))]
    pub max_topic_chars: u32,

    /// Longest line accepted, in bytes, not counting the line ending.
    #[arg(long, default_value_t = DEFAULT_MAX_LINE_BYTES)]
    pub max_line_bytes: usize,

    /// Bytes that may wait unsent to one client before it is disconnected
    /// ("send queue exceeded").
    #[arg(long, default_value_t = 256 * 1024)]
    pub send_queue_bytes: usize,

    /// Size asked of the kernel for each connection's send buffer and receive buffer
    /// (SO_SNDBUF and SO_RCVBUF; Linux doubles it for its bookkeeping).
    #[arg(long, default_value_t = 64 * 1024, value_parser = parse_socket_buffer)]
    pub socket_buffer_bytes: usize,

    /// Time to choose an accepted name before the connection is closed.
    #[arg(long, default_value = "30s", value_parser = parse_positive_duration)]
    pub handshake_timeout: Duration,

    /// The shorter time to choose a name while the share of connections still choosing
    /// is full; from half full to full the time shrinks towards it.
    #[arg(long, default_value = "5s", value_parser = parse_positive_duration)]
    pub busy_handshake_timeout: Duration,

    /// Silence from a structured-mode client after which the server pings it.
    #[arg(long, default_value = "90s", value_parser = parse_positive_duration)]
    pub ping_interval: Duration,

    /// Further silence after a ping after which the client is disconnected; also how
    /// long sent data may stay unacknowledged before a connection counts as dead.
    #[arg(long, default_value = "45s", value_parser = parse_positive_duration)]
    pub ping_timeout: Duration,

    /// Frames a client may send in a burst before flood control delays it.
    #[arg(long, default_value_t = 10)]
    pub flood_burst: u32,

    /// Frames per second a client may send after its burst; 0 turns flood control off.
    #[arg(long, default_value_t = 2.0, value_parser = parse_flood_rate)]
    pub flood_rate: f64,

    /// A newcomer is announced when it first says something, or after this long; one
    /// who leaves sooner having said nothing is never announced. 0 announces at once.
    #[arg(long, default_value = "5s", value_parser = parse_duration)]
    pub announce_delay: Duration,

    /// Longest wait at shutdown for queued messages to reach the clients.
    #[arg(long, default_value = "3s", value_parser = parse_duration)]
    pub shutdown_grace: Duration,

    /// Refuse cleartext connections: only TLS clients are served; a cleartext one gets
    /// `ERROR tls_required` and is closed before anything it sent is read.
    #[arg(long)]
    pub require_tls: bool,

    /// How long a new connection's first byte is waited for, to tell a TLS client (whose
    /// ClientHello comes at once) from a cleartext one; a silent cleartext client (`nc`)
    /// is greeted after it. 0 waits for nothing: a connection that has sent nothing yet
    /// is cleartext, so a TLS client must be quicker than the server looks (tests only).
    #[arg(long, default_value = "500ms", value_parser = parse_duration)]
    pub tls_detect_wait: Duration,

    /// The TLS certificate chain (PEM), leaf first. Without --tls-cert and --tls-key, a
    /// self-signed certificate is generated into DATA_DIR/tls/ on first start and reused
    /// (for this run only with --no-history).
    #[arg(long, value_name = "FILE", requires = "tls_key")]
    pub tls_cert: Option<PathBuf>,

    /// The private key of --tls-cert (PEM: PKCS#8, PKCS#1 or SEC1).
    #[arg(long, value_name = "FILE", requires = "tls_cert")]
    pub tls_key: Option<PathBuf>,

    /// Directory for the history database, the accounts, the bans and the generated TLS
    /// certificate (tls/; created if missing). The binary's default is
    /// $STATE_DIRECTORY (systemd), else $XDG_STATE_HOME/chat-server, else
    /// ~/.local/state/chat-server.
    #[arg(long, value_name = "DIR", conflicts_with = "no_history", global = true)]
    pub data_dir: Option<PathBuf>,

    /// Keep no history: nothing is written, nothing survives a restart (accounts and
    /// bans included: they are kept in memory for the run).
    #[arg(long, global = true)]
    pub no_history: bool,

    /// Delete history older than this many days (default: keep it all).
    #[arg(long, value_name = "DAYS", value_parser = clap::value_parser!(u32).range(1..=36_500))]
    pub history_days: Option<u32>,

    /// Keep at most this many of the newest events of each room and each private
    /// conversation (default: no limit).
    #[arg(long, value_name = "COUNT", value_parser = clap::value_parser!(u64).range(1..))]
    pub history_max_messages: Option<u64>,

    /// A newcomer to a room sees at most this many of its last messages...
    #[arg(long, default_value_t = 50, value_parser = clap::value_parser!(u32).range(0..=1000))]
    pub replay_messages: u32,

    /// ...and none older than this.
    #[arg(long, default_value = "24h", value_parser = parse_duration)]
    pub replay_age: Duration,

    /// Accept passwords (login, /register, /password, /unregister) over unencrypted
    /// connections from other machines. Without it, only TLS connections and this
    /// machine (loopback) may send passwords: anyone on the way could read them.
    #[arg(long)]
    pub allow_plain_passwords: bool,

    /// Wrong passwords for one name before its logins are refused for a while.
    #[arg(long, default_value_t = 5, value_parser = clap::value_parser!(u32).range(1..))]
    pub login_failures: u32,

    /// Wrong passwords from one address (any names) before its logins are refused for a
    /// while. Exempt addresses (--exempt) are throttled per name only.
    #[arg(long, default_value_t = 20, value_parser = clap::value_parser!(u32).range(1..))]
    pub login_failures_per_address: u32,

    /// How long logins are refused once the failures are spent; each further wrong
    /// password doubles it, up to an hour.
    #[arg(long, default_value = "30s", value_parser = parse_positive_duration)]
    pub login_lockout: Duration,

    /// A registered account that is an operator: once logged in with its password, it
    /// may /kick, /mute, /unmute, /ban, /unban and list the /bans. Repeatable; none by
    /// default. Operators cannot act on one another, nor ban an operator's address.
    #[arg(long = "operator", value_name = "NAME", value_parser = parse_operator)]
    pub operators: Vec<String>,
}

/// Longest duration any flag accepts. Longer ones are surely mistakes, and would overflow
/// the clock arithmetic of deadlines.
pub const MAX_DURATION: Duration = Duration::from_secs(24 * 3600);

/// Slowest flood-control rate accepted: one frame every 1,000 seconds.
const MIN_FLOOD_RATE: f64 = 0.001;

/// Slowest connection rate accepted: one connection a day.
const MIN_CONNECT_RATE: f64 = 1.0 / (24.0 * 60.0);

/// Smallest socket buffer accepted; Linux rounds smaller requests up to about this.
const MIN_SOCKET_BUFFER: usize = 4096;

/// Largest socket buffer accepted: a bound, not a wish, so kept well below the memory
/// of thousands of clients.
const MAX_SOCKET_BUFFER: usize = 16 << 20;

fn parse_flood_rate(text: &str) -> Result<f64, String> {
    parse_rate(text, MIN_FLOOD_RATE, "frames per second")
}

fn parse_connect_rate(text: &str) -> Result<f64, String> {
    parse_rate(text, MIN_CONNECT_RATE, "connections per minute")
}

fn parse_rate(text: &str, min: f64, unit: &str) -> Result<f64, String> {
    let rate: f64 = text.parse().map_err(|e| format!("{e}"))?;
    if rate == 0.0 || (rate.is_finite() && rate >= min) {
        Ok(rate)
    } else {
        Err(format!(
            "must be 0 (off) or a number of {unit} from {min:.4}"
        ))
    }
}

fn parse_duration(text: &str) -> Result<Duration, String> {
    let duration = humantime::parse_duration(text).map_err(|e| e.to_string())?;
    if duration > MAX_DURATION {
        return Err(format!(
            "{text} is too long; the most is {}",
            humantime::format_duration(MAX_DURATION)
        ));
    }
    Ok(duration)
}

fn parse_positive_duration(text: &str) -> Result<Duration, String> {
    let duration = parse_duration(text)?;
    if duration.is_zero() {
        return Err("must be longer than 0".to_owned());
    }
    Ok(duration)
}

fn parse_socket_buffer(text: &str) -> Result<usize, String> {
    let bytes: usize = text.parse().map_err(|e| format!("{e}"))?;
    if (MIN_SOCKET_BUFFER..=MAX_SOCKET_BUFFER).contains(&bytes) {
        Ok(bytes)
    } else {
        Err(format!(
            "must be from {MIN_SOCKET_BUFFER} to {MAX_SOCKET_BUFFER} bytes"
        ))
    }
}

/// A room name under the rules for room names (`#general`).
fn parse_room(text: &str) -> Result<String, String> {
    validate_room_name(text).map_err(|e| e.to_string())
}

/// An operator's account name, under the rules for names.
fn parse_operator(text: &str) -> Result<String, String> {
    chat_shared::name::validate_name(text).map_err(|e| e.to_string())
}

/// An address (`203.0.113.7`, `::1`) or a network (`10.0.0.0/8`, `2001:db8::/32`).
fn parse_network(text: &str) -> Result<IpNet, String> {
    if let Ok(ip) = text.parse::<IpAddr>() {
        return Ok(IpNet::from(ip));
    }
    text.parse::<IpNet>()
        .map(|net| net.trunc())
        .map_err(|_| format!("{text} is not an address or a network such as 10.0.0.0/8"))
}

impl Default for Config {
    fn default() -> Self {
        Config::parse_from(["chat-server"])
    }
}

#[cfg(test)]
mod tests;
