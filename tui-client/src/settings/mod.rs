//! What the client is started with, from four layers, each overriding the one before:
//! the defaults, the config file's top level, the chosen profile of the config file, and
//! the command line.
//!
//! The config file is `chat-tui/config.toml` in the XDG config directory ([`xdg`]), or
//! the one `--config` names; a default file that does not exist is no error, a named one
//! is. Every error is found before the terminal is touched, and names the file, line and
//! column ([`file`](mod@file)).

mod error;
pub mod file;
pub mod xdg;

use std::io;
use std::path::{Path, PathBuf};

use serde::Deserialize;

pub use error::SettingsError;
use file::{ConfigFile, check_host, known_profiles};
use xdg::Dirs;

/// The server asked for when nothing says which.
pub const DEFAULT_HOST: &str = "127.0.0.1";

/// The port asked for when nothing says which (the server's default).
pub const DEFAULT_PORT: u16 = 9999;

/// Whether to draw in color.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum ThemeChoice {
    /// Color unless `NO_COLOR` is set (<https://no-color.org>).
    #[default]
    Auto,
    /// Color, even with `NO_COLOR` set.
    Color,
    /// No color: emphasis by bold, underline and reverse video alone.
    None,
}

impl ThemeChoice {
    /// Whether to draw in color, given the value of `NO_COLOR` (unset or empty means
    /// color is welcome).
    pub fn color(self, no_color: Option<&std::ffi::OsStr>) -> bool {
        match self {
            ThemeChoice::Auto => no_color.is_none_or(|value| value.is_empty()),
            ThemeChoice::Color => true,
            ThemeChoice::None => false,
        }
    }
}

/// One layer of settings: what it sets, and `None` for what it leaves to the layer
/// below.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Layer {
    /// The server's host name or address.
    pub host: Option<String>,
    /// The server's port.
    pub port: Option<u16>,
    /// The name to pre-fill the login form with.
    pub name: Option<String>,
    /// Whether to connect with TLS.
    pub tls: Option<bool>,
    /// Whether to draw in color.
    pub theme: Option<ThemeChoice>,
}

impl Layer {
    /// This layer over `below`: what this one sets wins.
    fn over(self, below: Layer) -> Layer {
        Layer {
            host: self.host.or(below.host),
            port: self.port.or(below.port),
            name: self.name.or(below.name),
            tls: self.tls.or(below.tls),
            theme: self.theme.or(below.theme),
        }
    }
}

/// What the command line says about settings.
#[derive(Debug, Clone, Default)]
pub struct CommandLine {
    /// `--config`: the config file to read instead of the default one.
    pub config: Option<PathBuf>,
    /// `--profile`: the profile of the config file to use.
    pub profile: Option<String>,
    /// The settings given on the command line.
    pub layer: Layer,
}

/// The settings the client runs with, every layer applied.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settings {
    /// The server's host name or address.
    pub host: String,
    /// The server's port.
    pub port: u16,
    /// The name to pre-fill the login form with.
    pub name: Option<String>,
    /// Whether to connect with TLS.
    pub tls: bool,
    /// Whether to draw in color.
    pub theme: ThemeChoice,
}

impl Settings {
    /// Reads the config file (`--config`'s, else the default one if it exists) and
    /// applies the layers in order.
    pub fn load(command_line: CommandLine, dirs: &Dirs) -> Result<Self, SettingsError> {
        if let Some(host) = &command_line.layer.host {
            check_host(host).map_err(|message| SettingsError::BadHost {
                host: host.clone(),
                message,
            })?;
        }
        let file = match &command_line.config {
            Some(path) => Some(read(path)?),
            None => match dirs.config_file() {
                Some(path) => match std::fs::read_to_string(&path) {
                    Ok(text) => Some(ConfigFile::parse(&path, &text)?),
                    Err(error) if error.kind() == io::ErrorKind::NotFound => None,
                    Err(source) => return Err(SettingsError::Unreadable { path, source }),
                },
                None => None,
            },
        };
        Self::resolve(command_line, file)
    }

    /// Applies the layers: defaults, then the file's top level, then its profile (the
    /// one asked for, else its default one), then the command line.
    pub fn resolve(
        command_line: CommandLine,
        file: Option<ConfigFile>,
    ) -> Result<Self, SettingsError> {
        let Some(file) = file else {
            if let Some(profile) = command_line.profile {
                return Err(SettingsError::NoConfigFile { profile });
            }
            return Ok(Self::from(command_line.layer));
        };
        let profile = match command_line.profile.or(file.default_profile) {
            None => Layer::default(),
            Some(name) => match file.profiles.get(&name) {
                Some(profile) => profile.clone(),
                None => {
                    return Err(SettingsError::UnknownProfile {
                        name,
                        file: file.path,
                        known: known_profiles(&file.profiles),
                    });
                }
            },
        };
        Ok(Self::from(command_line.layer.over(profile.over(file.top))))
    }

    /// The server as the user reads and writes it: `host:port`, an IPv6 address in
    /// brackets.
    pub fn server(&self) -> String {
        if self.host.contains(':') {
            format!("[{}]:{}", self.host, self.port)
        } else {
            format!("{}:{}", self.host, self.port)
        }
    }
}

impl From<Layer> for Settings {
    /// The defaults, under what `layer` sets.
    fn from(layer: Layer) -> Self {
        Self {
            host: layer.host.unwrap_or_else(|| DEFAULT_HOST.to_owned()),
            port: layer.port.unwrap_or(DEFAULT_PORT),
            name: layer.name,
            tls: layer.tls.unwrap_or(false),
            theme: layer.theme.unwrap_or_default(),
        }
    }
}

/// Reads the config file at `path`, which must exist.
fn read(path: &Path) -> Result<ConfigFile, SettingsError> {
    let text = std::fs::read_to_string(path).map_err(|source| SettingsError::Unreadable {
        path: path.to_owned(),
        source,
    })?;
    ConfigFile::parse(path, &text)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(text: &str) -> ConfigFile {
        ConfigFile::parse(Path::new("c.toml"), text).unwrap()
    }

    fn flags(layer: Layer) -> CommandLine {
        CommandLine {
            layer,
            ..CommandLine::default()
        }
    }

    const LAYERED: &str = "host = \"top\"\nport = 1000\nname = \"topname\"\ntheme = \"none\"\n\
        [profiles.p]\nport = 2000\ntls = true\n[profiles.q]\nhost = \"qhost\"\n";

    #[test]
    fn without_anything_the_defaults_hold() {
        let settings = Settings::resolve(CommandLine::default(), None).unwrap();
        assert_eq!(
            settings,
            Settings {
                host: "127.0.0.1".to_owned(),
                port: 9999,
                name: None,
                tls: false,
                theme: ThemeChoice::Auto,
            }
        );
    }

    #[test]
    fn the_top_level_overrides_the_defaults() {
        let settings = Settings::resolve(CommandLine::default(), Some(file(LAYERED))).unwrap();
        assert_eq!(settings.host, "top");
        assert_eq!(settings.port, 1000);
        assert_eq!(settings.name.as_deref(), Some("topname"));
        assert!(!settings.tls);
        assert_eq!(settings.theme, ThemeChoice::None);
    }

    #[test]
    fn a_profile_overrides_the_top_level_only_where_it_says() {
        let command_line = CommandLine {
            profile: Some("p".to_owned()),
            ..CommandLine::default()
        };
        let settings = Settings::resolve(command_line, Some(file(LAYERED))).unwrap();
        assert_eq!(settings.host, "top");
        assert_eq!(settings.port, 2000);
        assert!(settings.tls);
        assert_eq!(settings.theme, ThemeChoice::None);
    }

    #[test]
    fn the_default_profile_applies_unless_another_is_asked_for() {
        let text = format!("default_profile = \"q\"\n{LAYERED}");
        let settings = Settings::resolve(CommandLine::default(), Some(file(&text))).unwrap();
        assert_eq!((settings.host.as_str(), settings.port), ("qhost", 1000));
        let command_line = CommandLine {
            profile: Some("p".to_owned()),
            ..CommandLine::default()
        };
        let settings = Settings::resolve(command_line, Some(file(&text))).unwrap();
        assert_eq!((settings.host.as_str(), settings.port), ("top", 2000));
    }

    #[test]
    fn the_command_line_overrides_everything() {
        let command_line = CommandLine {
            profile: Some("p".to_owned()),
            config: None,
            layer: Layer {
                host: Some("cli".to_owned()),
                port: Some(3000),
                name: Some("cliname".to_owned()),
                tls: Some(false),
                theme: Some(ThemeChoice::Color),
            },
        };
        let settings = Settings::resolve(command_line, Some(file(LAYERED))).unwrap();
        assert_eq!(
            settings,
            Settings {
                host: "cli".to_owned(),
                port: 3000,
                name: Some("cliname".to_owned()),
                tls: false,
                theme: ThemeChoice::Color,
            }
        );
    }

    #[test]
    fn an_unknown_profile_is_an_error_listing_those_there_are() {
        let command_line = CommandLine {
            profile: Some("nope".to_owned()),
            ..CommandLine::default()
        };
        let error = Settings::resolve(command_line.clone(), Some(file(LAYERED)))
            .unwrap_err()
            .to_string();
        assert_eq!(error, "no profile \"nope\" in c.toml (it has: p, q)");
        let error = Settings::resolve(command_line, None)
            .unwrap_err()
            .to_string();
        assert_eq!(error, "no profile \"nope\": there is no config file");
    }

    #[test]
    fn a_missing_default_file_is_fine_but_a_missing_named_one_is_not() {
        let empty = tempfile::tempdir().unwrap();
        let dirs = Dirs {
            home: None,
            config_home: Some(empty.path().into()),
            data_home: None,
        };
        let settings = Settings::load(flags(Layer::default()), &dirs).unwrap();
        assert_eq!(settings.port, DEFAULT_PORT);
        let command_line = CommandLine {
            config: Some(empty.path().join("missing.toml")),
            ..CommandLine::default()
        };
        let error = Settings::load(command_line, &dirs).unwrap_err().to_string();
        assert!(error.starts_with("cannot read "), "{error}");
        assert!(error.contains("missing.toml"), "{error}");
    }

    #[test]
    fn the_default_file_is_read_from_the_config_directory() {
        let home = tempfile::tempdir().unwrap();
        let dir = home.path().join("chat-tui");
        std::fs::create_dir(&dir).unwrap();
        std::fs::write(dir.join("config.toml"), "port = 4444\n").unwrap();
        let dirs = Dirs {
            home: None,
            config_home: Some(home.path().into()),
            data_home: None,
        };
        let settings = Settings::load(flags(Layer::default()), &dirs).unwrap();
        assert_eq!(settings.port, 4444);
        let settings = Settings::load(
            flags(Layer {
                port: Some(5555),
                ..Layer::default()
            }),
            &dirs,
        )
        .unwrap();
        assert_eq!(settings.port, 5555);
    }

    #[test]
    fn the_theme_decides_color_with_no_color_only_on_auto() {
        let set = Some(std::ffi::OsStr::new("1"));
        let empty = Some(std::ffi::OsStr::new(""));
        assert!(ThemeChoice::Auto.color(None));
        assert!(ThemeChoice::Auto.color(empty));
        assert!(!ThemeChoice::Auto.color(set));
        assert!(ThemeChoice::Color.color(set));
        assert!(!ThemeChoice::None.color(None));
    }

    #[test]
    fn the_sample_file_is_valid_and_its_profiles_apply() {
        let sample = include_str!("../../../assets/chat-tui.config.toml");
        let file = ConfigFile::parse(Path::new("sample.toml"), sample).unwrap();
        let command_line = CommandLine {
            profile: Some("work".to_owned()),
            ..CommandLine::default()
        };
        let settings = Settings::resolve(command_line, Some(file)).unwrap();
        assert_eq!(settings.server(), "chat.example.com:9999");
        assert!(settings.tls);
    }

    #[test]
    fn an_ipv6_server_is_written_in_brackets() {
        let mut settings = Settings::resolve(CommandLine::default(), None).unwrap();
        assert_eq!(settings.server(), "127.0.0.1:9999");
        settings.host = "::1".to_owned();
        assert_eq!(settings.server(), "[::1]:9999");
    }
}
