//! `chat-tui [HOST] [PORT]`: the command line, the settings, logging, and the runtime;
//! everything else is in the library.

use std::fs::{File, OpenOptions};
use std::io::{self, BufReader, IsTerminal};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Mutex;

use anyhow::{Context, bail};
use chat_tui::app::Config;
use chat_tui::app::scrollback::DEFAULT_SCROLLBACK;
use chat_tui::net::tls::TlsConnect;
use chat_tui::net::{self, NetConfig};
use chat_tui::password_source;
use chat_tui::settings::xdg::Dirs;
use chat_tui::settings::{CommandLine, Layer, Settings, ThemeChoice};
use chat_tui::shell::run_in_terminal;
use chat_tui::trust::fingerprint::Fingerprint;
use chat_tui::trust::known_hosts::KnownHosts;
use chat_tui::trust::{self, first_use};
use clap::Parser;
use crossterm::event::EventStream;
use jiff::tz::TimeZone;

/// Where settings come from, for `--help`.
const SETTINGS_HELP: &str = "\
Settings come from the defaults, then the config file ($XDG_CONFIG_HOME/chat-tui/config.toml,
else ~/.config/chat-tui/config.toml; keys host, port, name, tls, theme, and the same keys in
[profiles.NAME] tables), then the profile chosen (--profile, else the file's default_profile),
then the command line: each overrides the one before.";

/// Full-screen terminal client for chat-server.
#[derive(Debug, Parser)]
#[command(version, about, after_help = SETTINGS_HELP)]
struct Args {
    /// Server host name or address [default: 127.0.0.1, or the config file's].
    host: Option<String>,
    /// Server port [default: 9999, or the config file's].
    port: Option<u16>,
    /// Name to pre-fill the login form with.
    #[arg(long)]
    name: Option<String>,
    /// Connect with TLS: the server's certificate must be signed by an authority the
    /// system trusts, or be the one accepted on first use (then remembered in
    /// $XDG_DATA_HOME/chat-tui/known_hosts, else ~/.local/share/chat-tui/known_hosts).
    #[arg(long, overrides_with = "no_tls")]
    tls: bool,
    /// Connect without TLS, even if the config file says tls = true.
    #[arg(long, overrides_with = "tls")]
    no_tls: bool,
    /// Colors: auto (none if NO_COLOR is set), color, or none [default: auto].
    #[arg(long, value_enum, value_name = "THEME")]
    theme: Option<ThemeChoice>,
    /// Read this config file instead of the default one (it must exist).
    #[arg(long, value_name = "FILE")]
    config: Option<PathBuf>,
    /// Use this profile of the config file ([profiles.NAME]).
    #[arg(long, value_name = "NAME")]
    profile: Option<String>,
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

impl Args {
    /// What the command line says about the settings a config file may also give.
    fn command_line(&self) -> CommandLine {
        CommandLine {
            config: self.config.clone(),
            profile: self.profile.clone(),
            layer: Layer {
                host: self.host.clone(),
                port: self.port,
                name: self.name.clone(),
                tls: match (self.tls, self.no_tls) {
                    (true, _) => Some(true),
                    (_, true) => Some(false),
                    _ => None,
                },
                theme: self.theme,
            },
        }
    }
}

/// The exit code of a bad command line or config file (clap's for bad arguments too).
const USAGE_ERROR: u8 = 2;

fn main() -> ExitCode {
    let args = Args::parse();
    // Before anything touches the terminal, so that the message is readable.
    let dirs = Dirs::from_env();
    let settings = match Settings::load(args.command_line(), &dirs) {
        Ok(settings) => settings,
        Err(error) => {
            eprintln!("chat-tui: {error}");
            return ExitCode::from(USAGE_ERROR);
        }
    };
    match run(args, settings, &dirs) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            // The terminal is restored by now, so this is readable.
            eprintln!("chat-tui: {error:#}");
            ExitCode::FAILURE
        }
    }
}

fn run(args: Args, settings: Settings, dirs: &Dirs) -> anyhow::Result<()> {
    if let Some(path) = &args.log {
        let file =
            File::create(path).with_context(|| format!("cannot create {}", path.display()))?;
        tracing_subscriber::fmt()
            .with_writer(Mutex::new(file))
            .with_ansi(false)
            .init();
    }
    let password = password_source::load(
        args.password_file.as_deref(),
        std::env::var(password_source::PASSWORD_ENV).ok(),
    )?;
    let config = Config {
        password,
        // Shown on the login form, the status line and in the server buffer, so that
        // the user sees whether the connection is encrypted.
        server: if settings.tls {
            format!("{} over TLS", settings.server())
        } else {
            settings.server()
        },
        name: settings.name.clone(),
        scrollback: args.scrollback,
        time_zone: TimeZone::system(),
        color: settings
            .theme
            .color(std::env::var_os("NO_COLOR").as_deref()),
    };
    let mut net_config = NetConfig::new(&settings.host, settings.port);
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
        if settings.tls {
            net_config.tls = Some(trust_the_server(&net_config, dirs).await?);
        }
        run_in_terminal(config, net::spawn(net_config), EventStream::new()).await
    })
}

/// Decides, before the terminal is taken over, how to trust the server's certificate;
/// asks the user on the terminal if the server is new and nobody vouches for it.
async fn trust_the_server(net_config: &NetConfig, dirs: &Dirs) -> anyhow::Result<TlsConnect> {
    let path = dirs.known_hosts_file().context(
        "no folder to remember trusted servers in: set XDG_DATA_HOME or HOME to an absolute path",
    )?;
    let mut known_hosts = KnownHosts::load(&path)?;
    let ask = |host: &str, fingerprint: &Fingerprint| {
        let terminal = OpenOptions::new().read(true).write(true).open("/dev/tty")?;
        let mut input = BufReader::new(terminal.try_clone()?);
        first_use::ask(&mut input, &mut &terminal, host, fingerprint, &path)
    };
    let roots = trust::system_roots();
    Ok(first_use::establish(net_config, &mut known_hosts, roots, ask).await?)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn layer(args: &[&str]) -> Layer {
        let args =
            Args::try_parse_from(std::iter::once("chat-tui").chain(args.iter().copied())).unwrap();
        args.command_line().layer
    }

    #[test]
    fn only_what_the_command_line_says_overrides_the_file() {
        assert_eq!(layer(&[]), Layer::default());
        let given = layer(&["example.org", "7000", "--name", "ann", "--theme", "none"]);
        assert_eq!(
            given,
            Layer {
                host: Some("example.org".to_owned()),
                port: Some(7000),
                name: Some("ann".to_owned()),
                tls: None,
                theme: Some(ThemeChoice::None),
            }
        );
    }

    #[test]
    fn the_last_of_tls_and_no_tls_wins() {
        assert_eq!(layer(&["--tls"]).tls, Some(true));
        assert_eq!(layer(&["--no-tls"]).tls, Some(false));
        assert_eq!(layer(&["--tls", "--no-tls"]).tls, Some(false));
        assert_eq!(layer(&["--no-tls", "--tls"]).tls, Some(true));
    }
}
