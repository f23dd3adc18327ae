//! Where the client's files live, by the XDG base directory rules: the config file
//! under `$XDG_CONFIG_HOME` (else `~/.config`), what it learns (the servers it trusts)
//! under `$XDG_DATA_HOME` (else `~/.local/share`), each in a `chat-tui` folder.
//!
//! The environment is read once into [`Dirs`], so that tests give their own.

use std::ffi::OsString;
use std::path::PathBuf;

/// The folder inside each base directory that holds the client's files.
const APP_DIR: &str = "chat-tui";

/// The environment variables the base directories come from.
#[derive(Debug, Clone, Default)]
pub struct Dirs {
    /// `$HOME`.
    pub home: Option<OsString>,
    /// `$XDG_CONFIG_HOME`.
    pub config_home: Option<OsString>,
    /// `$XDG_DATA_HOME`.
    pub data_home: Option<OsString>,
}

impl Dirs {
    /// The directories of the running process's environment.
    pub fn from_env() -> Self {
        Self {
            home: std::env::var_os("HOME"),
            config_home: std::env::var_os("XDG_CONFIG_HOME"),
            data_home: std::env::var_os("XDG_DATA_HOME"),
        }
    }

    /// `chat-tui/config.toml` in the config base directory; `None` without one.
    pub fn config_file(&self) -> Option<PathBuf> {
        base(&self.config_home, &self.home, ".config")
            .map(|base| base.join(APP_DIR).join("config.toml"))
    }

    /// `chat-tui/known_hosts` in the data base directory; `None` without one.
    pub fn known_hosts_file(&self) -> Option<PathBuf> {
        base(&self.data_home, &self.home, ".local/share")
            .map(|base| base.join(APP_DIR).join("known_hosts"))
    }
}

/// The variable's directory if it is set to an absolute path (the rules say a relative
/// one is to be ignored), else `fallback` under the home directory.
fn base(variable: &Option<OsString>, home: &Option<OsString>, fallback: &str) -> Option<PathBuf> {
    let set = variable
        .as_ref()
        .map(PathBuf::from)
        .filter(|path| path.is_absolute());
    set.or_else(|| {
        home.as_ref()
            .map(PathBuf::from)
            .filter(|path| path.is_absolute())
            .map(|home| home.join(fallback))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dirs(home: Option<&str>, config: Option<&str>, data: Option<&str>) -> Dirs {
        Dirs {
            home: home.map(OsString::from),
            config_home: config.map(OsString::from),
            data_home: data.map(OsString::from),
        }
    }

    #[test]
    fn the_variables_win_over_the_home_directory() {
        let dirs = dirs(Some("/home/ann"), Some("/cfg"), Some("/data"));
        assert_eq!(
            dirs.config_file(),
            Some(PathBuf::from("/cfg/chat-tui/config.toml"))
        );
        assert_eq!(
            dirs.known_hosts_file(),
            Some(PathBuf::from("/data/chat-tui/known_hosts"))
        );
    }

    #[test]
    fn without_the_variables_the_home_directory_is_used() {
        let dirs = dirs(Some("/home/ann"), None, None);
        assert_eq!(
            dirs.config_file(),
            Some(PathBuf::from("/home/ann/.config/chat-tui/config.toml"))
        );
        assert_eq!(
            dirs.known_hosts_file(),
            Some(PathBuf::from("/home/ann/.local/share/chat-tui/known_hosts"))
        );
    }

    #[test]
    fn relative_or_missing_directories_are_ignored() {
        let dirs = dirs(Some("relative"), Some("also/relative"), Some(""));
        assert_eq!(dirs.config_file(), None);
        assert_eq!(dirs.known_hosts_file(), None);
        let dirs = super::Dirs {
            home: Some("/home/ann".into()),
            config_home: Some("cfg".into()),
            data_home: None,
        };
        assert_eq!(
            dirs.config_file(),
            Some(PathBuf::from("/home/ann/.config/chat-tui/config.toml"))
        );
    }
}
