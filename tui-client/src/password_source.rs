//! Where a login password may come from besides the login form: a file
//! (`--password-file PATH`) or the environment (`CHAT_PASSWORD`). Never the command line,
//! which every user of the machine can read in the process list.

use std::fs::File;
use std::io::Read;
use std::path::Path;

use anyhow::{Context, bail};
use chat_shared::password::{MAX_PASSWORD_BYTES, Secret, validate_password};

/// The environment variable that may hold the password.
pub const PASSWORD_ENV: &str = "CHAT_PASSWORD";

/// The password from `file` (its first line) if one is given, else from `env` (the
/// value of [`PASSWORD_ENV`]) if set and not empty; an error names what is wrong.
pub fn load(file: Option<&Path>, env: Option<String>) -> anyhow::Result<Option<Secret>> {
    let (text, source) = match file {
        Some(path) => (read_first_line(path)?, path.display().to_string()),
        None => match env.filter(|value| !value.is_empty()) {
            Some(value) => (value, PASSWORD_ENV.to_owned()),
            None => return Ok(None),
        },
    };
    match validate_password(&text) {
        Ok(password) => Ok(Some(Secret::new(password))),
        Err(reason) => bail!("the password in {source} is refused: {reason}"),
    }
}

/// The first line of `path`, read no further than a password can be long.
fn read_first_line(path: &Path) -> anyhow::Result<String> {
    let file = File::open(path).with_context(|| format!("cannot read {}", path.display()))?;
    let mut bytes = Vec::new();
    file.take(MAX_PASSWORD_BYTES as u64 * 4 + 2)
        .read_to_end(&mut bytes)
        .with_context(|| format!("cannot read {}", path.display()))?;
    let text = String::from_utf8(bytes)
        .with_context(|| format!("{} is not UTF-8 text", path.display()))?;
    Ok(text.lines().next().unwrap_or_default().to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_wins_over_the_environment_and_only_its_first_line_counts() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("pw");
        std::fs::write(&path, "from the file\nsecond line\n").unwrap();
        let loaded = load(Some(&path), Some("from env".into())).unwrap().unwrap();
        assert_eq!(loaded.expose(), "from the file");
        let loaded = load(None, Some("from env".into())).unwrap().unwrap();
        assert_eq!(loaded.expose(), "from env");
        assert_eq!(load(None, Some(String::new())).unwrap(), None);
        assert_eq!(load(None, None).unwrap(), None);
    }

    #[test]
    fn a_missing_file_or_a_refused_password_is_a_clear_error() {
        let dir = tempfile::tempdir().unwrap();
        let missing = load(Some(&dir.path().join("nope")), None).unwrap_err();
        assert!(missing.to_string().starts_with("cannot read "), "{missing}");
        let huge = dir.path().join("huge");
        std::fs::write(&huge, "x".repeat(10_000)).unwrap();
        let refused = load(Some(&huge), None).unwrap_err().to_string();
        assert!(
            refused.ends_with("a password may be at most 1024 bytes long"),
            "{refused}"
        );
        let refused = load(None, Some("\u{1b}[2J".into()))
            .unwrap_err()
            .to_string();
        assert_eq!(
            refused,
            "the password in CHAT_PASSWORD is refused: a password may not contain control \
             characters"
        );
    }
}
