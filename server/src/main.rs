//! `chat-server [PORT]`: command line, logging and signals; the server is the library.
//! `chat-server accounts list|delete NAME` and `chat-server bans list|delete TARGET` run
//! an offline command instead.

use std::env;
use std::io::{self, IsTerminal};
use std::path::PathBuf;
use std::process::ExitCode;

use chat_server::admin;
use chat_server::capacity::Capacity;
use chat_server::server::StartError;
use chat_server::{Config, Server};
use clap::Parser;
use signal_hook::consts::{SIGINT, SIGTERM};
use signal_hook::iterator::Signals;
use tracing_subscriber::EnvFilter;

fn main() -> ExitCode {
    let mut config = Config::parse();
    if !config.no_history && config.data_dir.is_none() {
        config.data_dir = default_data_dir();
    }
    if let Some(command) = &config.command {
        return match admin::run(command, config.data_dir.as_deref()) {
            Ok(output) => {
                print!("{output}");
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("chat-server: {e}");
                ExitCode::FAILURE
            }
        };
    }
    init_logging();
    let capacity = Capacity::of_this_machine();
    if config.max_clients > capacity.max_connections() {
        tracing::warn!(
            "lowering --max-clients from {} to {}: this machine allows {} open files and \
             {} memory mappings (vm.max_map_count) per process",
            config.max_clients,
            capacity.max_connections(),
            capacity.open_files,
            capacity.max_map_count
        );
        config.max_clients = capacity.max_connections();
    }
    let mut signals = match Signals::new([SIGINT, SIGTERM]) {
        Ok(signals) => signals,
        Err(e) => {
            eprintln!("chat-server: cannot install signal handlers: {e}");
            return ExitCode::FAILURE;
        }
    };
    let server = match Server::start(config) {
        Ok(server) => server,
        Err(StartError::Listen { address, source }) => {
            eprintln!(
                "chat-server: cannot listen on {address}: {}",
                explain(&source)
            );
            return ExitCode::FAILURE;
        }
        Err(e) => {
            eprintln!("chat-server: {e}");
            return ExitCode::FAILURE;
        }
    };
    if let Some(signal) = signals.forever().next() {
        tracing::info!("received signal {signal}");
    }
    server.shutdown();
    ExitCode::SUCCESS
}

/// Logs go to stdout, one line per event, without colors unless stdout is a terminal
/// (journald and log files get plain text). `RUST_LOG` overrides the `info` default.
fn init_logging() {
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(io::stdout)
        .with_ansi(io::stdout().is_terminal())
        .with_target(false)
        .init();
}

/// Where history goes without `--data-dir`: the state directory systemd made for the
/// service (`StateDirectory=`), else the user's XDG state directory.
fn default_data_dir() -> Option<PathBuf> {
    if let Ok(dirs) = env::var("STATE_DIRECTORY") {
        // systemd lists one directory per `StateDirectory=` entry, separated by colons.
        if let Some(first) = dirs.split(':').find(|dir| !dir.is_empty()) {
            return Some(PathBuf::from(first));
        }
    }
    let state = env::var_os("XDG_STATE_HOME")
        .map(PathBuf::from)
        .filter(|dir| dir.is_absolute())
        .or_else(|| env::var_os("HOME").map(|home| PathBuf::from(home).join(".local/state")))?;
    Some(state.join("chat-server"))
}

fn explain(error: &io::Error) -> String {
    match error.kind() {
        io::ErrorKind::AddrInUse => {
            "the port is already in use (is another server running? try another PORT)".to_owned()
        }
        io::ErrorKind::PermissionDenied => {
            "permission denied (ports below 1024 need privileges; try a port above 1024)".to_owned()
        }
        io::ErrorKind::AddrNotAvailable => "that address is not on this machine".to_owned(),
        _ => error.to_string(),
    }
}
