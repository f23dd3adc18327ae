//! Why the settings cannot be used, in words that name the place in the config file.

use std::io;
use std::ops::Range;
use std::path::{Path, PathBuf};

/// Why the settings cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum SettingsError {
    /// The config file cannot be read.
    #[error("cannot read {}: {source}", path.display())]
    Unreadable {
        /// The file.
        path: PathBuf,
        /// Why.
        source: io::Error,
    },
    /// Something in the config file is wrong, at a place in it.
    #[error("{}:{line}:{column}: {message}", path.display())]
    Invalid {
        /// The file.
        path: PathBuf,
        /// The line, from 1.
        line: usize,
        /// The column, in characters, from 1.
        column: usize,
        /// What is wrong.
        message: String,
    },
    /// `--profile` (or `default_profile`) names a profile the file does not have.
    #[error("no profile \"{name}\" in {} ({known})", file.display())]
    UnknownProfile {
        /// The profile asked for.
        name: String,
        /// The config file read.
        file: PathBuf,
        /// The profiles there are, in words.
        known: String,
    },
    /// The host given on the command line cannot be a host.
    #[error("invalid host {host:?}: {message}")]
    BadHost {
        /// The host given.
        host: String,
        /// What is wrong with it.
        message: String,
    },
    /// `--profile` was given, and there is no config file to find it in.
    #[error("no profile \"{profile}\": there is no config file")]
    NoConfigFile {
        /// The profile asked for.
        profile: String,
    },
}

impl SettingsError {
    /// An error at the byte range `span` of `text`, the contents of `path`.
    pub(super) fn at(path: &Path, text: &str, span: Range<usize>, message: String) -> Self {
        let start = span.start.min(text.len());
        let start = (0..=start)
            .rev()
            .find(|&index| text.is_char_boundary(index))
            .unwrap_or(0);
        let before = &text[..start];
        let line_start = before.rfind('\n').map_or(0, |newline| newline + 1);
        Self::Invalid {
            path: path.to_owned(),
            line: before.matches('\n').count() + 1,
            column: before[line_start..].chars().count() + 1,
            message: message.trim_end().chars().map(visible).collect(),
        }
    }
}

/// A control character (the file may hold any, and the message goes to the terminal) as
/// its escape, anything else as itself.
fn visible(c: char) -> String {
    if c.is_control() {
        c.escape_default().collect()
    } else {
        c.to_string()
    }
}
