//! `chat-tui [HOST] [PORT]`: the command line, logging, and the runtime; everything else
//! is in the library.

use std::fs::{File, OpenOptions};
use std::io::{self, IsTerminal};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Mutex;

use anyhow::{Context, bail};
use chat_tui::app::Config;
use chat_tui::app::scrollback::DEFAULT_SCROLLBACK;
use chat_tui::net::{self, NetConfig};
use chat_tui::password_source;
use chat_tui::shell::run_in_terminal;
use clap::Parser;
use crossterm::event::EventStream;
use jiff::tz::TimeZone;

/// Full-screen terminal client for chat-server.
#[derive(Debug, Parser)]
#[command(version, about)]
struct Args {
    /// Server host name or address.
    #[arg(default_value = "127.0.0.1")]
    host: String,
    /// Server port.
    #[arg(default_value_t = 9999)]
    port: u16,
    /// Name to pre-fill the login form with.
    #[arg(long)]
    name: Option<String>,

    /// Read the password of a registered name from the first line of this file (else
    /// from the CHAT_PASSWORD environment variable; there is no flag for the password
    /// itself, since anyone on the machine can read a command line).
    #[arg(long, value_name = "PATH")]
    password_file: Option<PathBuf>,
    /// Write diagnostics to this file (nothing is ever printed over the UI).
    #[arg(long, value_name = "FILE")]
    log: Option<PathBuf>,
    /// How many entries each buffer keeps (each room and conversation); older ones are
    /// forgotten.
    #[arg(long, value_name = "N", default_value_t = DEFAULT_SCROLLBACK)]
    scrollback: usize,
}

fn main() -> ExitCode {
    match run(Args::parse()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            // The terminal is restored by now, so this is readable.
            eprintln!("chat-tui: {error:#}");
            ExitCode::FAILURE
        }
    }
}

fn run(args: Args) -> anyhow::Result<()> {
    if let Some(path) = &args.log {
        let file =
            File::create(path).with_context(|| format!("cannot create {}", path.display()))?;
        tracing_subscriber::fmt()
            .with_writer(Mutex::new(file))
            .with_ansi(false)
            .init();
    }
    let server = if args.host.contains(':') {
        format!("[{}]:{}", args.host, args.port)
    } else {
        format!("{}:{}", args.host, args.port)
    };
    let password = password_source::load(
        args.password_file.as_deref(),
        std::env::var(password_source::PASSWORD_ENV).ok(),
    )?;
    let config = Config {
        password,
        server,
        name: args.name,
        scrollback: args.scrollback,
        time_zone: TimeZone::system(),
        color: std::env::var_os("NO_COLOR").is_none_or(|value| value.is_empty()),
    };
    let net_config = NetConfig::new(&args.host, args.port);
    // Without a terminal crossterm cannot read keys (it panics creating its stream).
    let has_terminal = io::stdout().is_terminal()
        && OpenOptions::new()
            .read(true)
            .write(true)
            .open("/dev/tty")
            .is_ok();
    if !has_terminal {
        bail!("not a terminal; this is a full-screen program, run it in a terminal");
    }
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async {
        run_in_terminal(config, net::spawn(net_config), EventStream::new()).await
    })
}
