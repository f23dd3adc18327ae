//! The servers the user chose to trust: one line per server, `HOST:PORT FINGERPRINT`,
//! in `known_hosts` under the XDG data directory, as ssh keeps its host keys.
//!
//! The file is read strictly: a line that is not a server and a fingerprint (a typo, a
//! cut line, a server listed twice) is an error naming its line, never skipped, since a
//! skipped line would turn a remembered server into an unknown one and ask again. Blank
//! lines and `#` comments are kept. A new server is added by writing the whole file to
//! a temporary file beside it and renaming that over it, so that a crash or a full disk
//! never leaves half a file; the file is read again just before, so that another
//! client's addition is kept.

use std::fs::{self, DirBuilder, OpenOptions};
use std::io::{self, Write};
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt};
use std::path::{Path, PathBuf};

use super::fingerprint::Fingerprint;

/// The file's contents, read and checked.
#[derive(Debug, Clone)]
pub struct KnownHosts {
    /// Where it is.
    path: PathBuf,
    /// Its lines as written, comments included, to write them back unchanged.
    lines: Vec<String>,
    /// The servers in it.
    entries: Vec<KnownHost>,
}

/// A server the user trusts, and where that is written (for the message that tells how
/// to forget it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KnownHost {
    /// `host:port`, as [`super::host_key`] writes it.
    pub host: String,
    /// The fingerprint of the certificate the user accepted.
    pub fingerprint: Fingerprint,
    /// The file it is in.
    pub path: PathBuf,
    /// Its line there, from 1.
    pub line: usize,
}

impl KnownHost {
    /// The line as it is written in the file.
    pub fn text(&self) -> String {
        format!("{} {}", self.host, self.fingerprint)
    }
}

/// Why the file cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum KnownHostsError {
    /// It exists but cannot be read.
    #[error("cannot read {}: {source}", path.display())]
    Unreadable {
        /// The file.
        path: PathBuf,
        /// Why.
        source: io::Error,
    },
    /// A line is not a server and a fingerprint.
    #[error("{}:{line}: {message} (each line must be \"HOST:PORT FINGERPRINT\")", path.display())]
    Corrupt {
        /// The file.
        path: PathBuf,
        /// The line, from 1.
        line: usize,
        /// What is wrong with it.
        message: String,
    },
    /// The file cannot be written.
    #[error("cannot write {}: {source}", path.display())]
    Unwritable {
        /// The file.
        path: PathBuf,
        /// Why.
        source: io::Error,
    },
}

impl KnownHosts {
    /// Reads the file at `path`; one that does not exist yet lists nobody.
    pub fn load(path: &Path) -> Result<Self, KnownHostsError> {
        match fs::read_to_string(path) {
            Ok(text) => Self::parse(path, &text),
            Err(error) if error.kind() == io::ErrorKind::NotFound => Self::parse(path, ""),
            Err(source) => Err(KnownHostsError::Unreadable {
                path: path.to_owned(),
                source,
            }),
        }
    }

    /// Checks `text`, the contents of the file at `path`.
    pub fn parse(path: &Path, text: &str) -> Result<Self, KnownHostsError> {
        let mut known = Self {
            path: path.to_owned(),
            lines: Vec::new(),
            entries: Vec::new(),
        };
        for (index, line) in text.lines().enumerate() {
            let number = index + 1;
            let corrupt = |message: String| KnownHostsError::Corrupt {
                path: path.to_owned(),
                line: number,
                message,
            };
            let content = line.trim();
            if !content.is_empty() && !content.starts_with('#') {
                let (host, fingerprint) = parse_line(content).map_err(corrupt)?;
                if let Some(earlier) = known.get(&host) {
                    let message = format!("{host} is listed again (line {} has it)", earlier.line);
                    return Err(corrupt(message));
                }
                known.entries.push(KnownHost {
                    host,
                    fingerprint,
                    path: path.to_owned(),
                    line: number,
                });
            }
            known.lines.push(line.to_owned());
        }
        Ok(known)
    }

    /// The trusted certificate of `host` (`host:port`), if the user accepted one.
    pub fn get(&self, host: &str) -> Option<&KnownHost> {
        self.entries
            .iter()
            .find(|entry| entry.host.eq_ignore_ascii_case(host))
    }

    /// Adds `host` with `fingerprint` to the file (read again first), written at once,
    /// atomically; returns the entry as written.
    pub fn remember(
        &mut self,
        host: &str,
        fingerprint: Fingerprint,
    ) -> Result<KnownHost, KnownHostsError> {
        *self = Self::load(&self.path)?;
        if let Some(known) = self.get(host) {
            // Another client added it meanwhile: a different certificate is the other
            // client's choice to keep, not this one's to overwrite.
            return Ok(known.clone());
        }
        let entry = KnownHost {
            host: host.to_owned(),
            fingerprint,
            path: self.path.clone(),
            line: self.lines.len() + 1,
        };
        // What is written must read back as this one entry: a host with a space or a
        // line break would otherwise corrupt the file, or add a line of its own.
        if parse_line(&entry.text()).as_ref() != Ok(&(entry.host.clone(), fingerprint)) {
            return Err(KnownHostsError::Unwritable {
                path: self.path.clone(),
                source: io::Error::new(
                    io::ErrorKind::InvalidInput,
                    format!("{} is not HOST:PORT", escape(host)),
                ),
            });
        }
        let mut contents = String::new();
        for line in &self.lines {
            contents.push_str(line);
            contents.push('\n');
        }
        contents.push_str(&entry.text());
        contents.push('\n');
        write_atomically(&self.path, contents.as_bytes()).map_err(|source| {
            KnownHostsError::Unwritable {
                path: self.path.clone(),
                source,
            }
        })?;
        self.lines.push(entry.text());
        self.entries.push(entry.clone());
        Ok(entry)
    }
}

/// Reads `HOST:PORT FINGERPRINT`.
fn parse_line(content: &str) -> Result<(String, Fingerprint), String> {
    let mut fields = content.split_whitespace();
    let (Some(host), Some(fingerprint), None) = (fields.next(), fields.next(), fields.next())
    else {
        return Err("expected two fields".to_owned());
    };
    check_host(host)?;
    let fingerprint = fingerprint
        .parse()
        .map_err(|error| format!("{}: {error}", escape(fingerprint)))?;
    Ok((host.to_owned(), fingerprint))
}

/// A server is `host:port`, with an IPv6 address in brackets, and a port from 1.
fn check_host(text: &str) -> Result<(), String> {
    let bad = || format!("{} is not HOST:PORT", escape(text));
    let (host, port) = text.rsplit_once(':').ok_or_else(bad)?;
    if port.is_empty() || !port.bytes().all(|b| b.is_ascii_digit()) {
        return Err(bad());
    }
    if !matches!(port.parse::<u16>(), Ok(port) if port != 0) {
        return Err(format!("port {} is not from 1 to 65535", escape(port)));
    }
    let bare = match host.strip_prefix('[') {
        Some(inner) => inner.strip_suffix(']').ok_or_else(bad)?,
        None if host.contains(':') => return Err(bad()),
        None => host,
    };
    if bare.is_empty() || bare.contains(['[', ']']) || bare.chars().any(char::is_control) {
        return Err(bad());
    }
    Ok(())
}

/// A text from the file made safe to print: control characters as escapes.
fn escape(text: &str) -> String {
    text.chars()
        .map(|c| {
            if c.is_control() {
                c.escape_default().collect()
            } else {
                c.to_string()
            }
        })
        .collect()
}

/// Writes `contents` to a new file beside `path`, flushed to disk, then renames it over
/// `path`. The folder is made if missing, readable by the user alone, as is the file.
fn write_atomically(path: &Path, contents: &[u8]) -> io::Result<()> {
    let folder = path
        .parent()
        .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "the path has no folder"))?;
    DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(folder)?;
    let file_name = path.file_name().unwrap_or_default().to_string_lossy();
    let temporary = folder.join(format!(".{file_name}.{}.tmp", std::process::id()));
    let written = (|| {
        let mut file = OpenOptions::new()
            .write(true)
            .create(true)
            .truncate(true)
            .mode(0o600)
            .open(&temporary)?;
        file.write_all(contents)?;
        file.sync_all()?;
        fs::rename(&temporary, path)?;
        fs::File::open(folder)?.sync_all()
    })();
    if written.is_err() {
        let _ = fs::remove_file(&temporary);
    }
    written
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fingerprint(seed: &str) -> Fingerprint {
        Fingerprint::of(seed.as_bytes())
    }

    fn parse(text: &str) -> Result<KnownHosts, String> {
        KnownHosts::parse(Path::new("kh"), text).map_err(|error| error.to_string())
    }

    #[test]
    fn servers_are_found_by_host_and_port_whatever_the_case() {
        let a = fingerprint("a");
        let b = fingerprint("b");
        let text = format!("# trusted\n\nchat.example:9999 {a}\n[::1]:7000 {b}\n");
        let known = parse(&text).unwrap();
        let entry = known.get("CHAT.example:9999").unwrap();
        assert_eq!((entry.fingerprint, entry.line), (a, 3));
        assert_eq!(known.get("[::1]:7000").unwrap().fingerprint, b);
        assert!(known.get("chat.example:9998").is_none());
    }

    #[test]
    fn a_corrupt_line_is_an_error_naming_it() {
        let good = format!("ok:1 {}", fingerprint("a"));
        let cases = [
            ("ok:1", "expected two fields"),
            ("ok:1 AB:CD", "not a SHA-256 fingerprint"),
            (&format!("{good} extra"), "expected two fields"),
            (&format!("nocolon {}", fingerprint("x")), "is not HOST:PORT"),
            (&format!("host:0 {}", fingerprint("x")), "port 0"),
            (&format!("host:99999 {}", fingerprint("x")), "port 99999"),
            (&format!("host:+1 {}", fingerprint("x")), "is not HOST:PORT"),
            (
                &format!("::1:7000 {}", fingerprint("x")),
                "is not HOST:PORT",
            ),
            (&format!("[]:7000 {}", fingerprint("x")), "is not HOST:PORT"),
            (&format!(":7000 {}", fingerprint("x")), "is not HOST:PORT"),
        ];
        for (line, expected) in cases {
            let error = parse(&format!("# header\n{good}\n{line}\n")).unwrap_err();
            assert!(error.starts_with("kh:3: "), "{line}: {error}");
            assert!(error.contains(expected), "{line}: {error}");
        }
    }

    #[test]
    fn a_server_listed_twice_is_an_error() {
        let text = format!("h:1 {}\nH:1 {}\n", fingerprint("a"), fingerprint("a"));
        let error = parse(&text).unwrap_err();
        assert!(
            error.starts_with("kh:2: H:1 is listed again (line 1 has it)"),
            "{error}"
        );
    }

    #[test]
    fn control_characters_in_a_corrupt_line_are_escaped() {
        let error = parse("evil\u{1b}[2J:1 AB\n").unwrap_err();
        assert!(!error.contains('\u{1b}'), "{error:?}");
    }

    #[test]
    fn a_missing_file_lists_nobody_and_is_created_with_the_first_server() {
        let folder = tempfile::tempdir().unwrap();
        let path = folder.path().join("deep/chat-tui/known_hosts");
        let mut known = KnownHosts::load(&path).unwrap();
        assert!(known.get("h:1").is_none());
        let entry = known.remember("h:1", fingerprint("a")).unwrap();
        assert_eq!(entry.line, 1);
        assert_eq!(
            fs::read_to_string(&path).unwrap(),
            format!("h:1 {}\n", fingerprint("a"))
        );
        use std::os::unix::fs::PermissionsExt;
        let mode = fs::metadata(&path).unwrap().permissions().mode();
        assert_eq!(mode & 0o077, 0, "only the user may read it: {mode:o}");
        let leftovers: Vec<_> = fs::read_dir(path.parent().unwrap()).unwrap().collect();
        assert_eq!(leftovers.len(), 1, "no temporary file is left");
    }

    #[test]
    fn remembering_keeps_comments_and_what_another_client_added() {
        let folder = tempfile::tempdir().unwrap();
        let path = folder.path().join("known_hosts");
        fs::write(&path, format!("# mine\na:1 {}\n", fingerprint("a"))).unwrap();
        let mut known = KnownHosts::load(&path).unwrap();
        let mut text = fs::read_to_string(&path).unwrap();
        text.push_str(&format!("b:2 {}\n", fingerprint("b")));
        fs::write(&path, text).unwrap();
        let entry = known.remember("c:3", fingerprint("c")).unwrap();
        assert_eq!(entry.line, 4);
        let again = KnownHosts::load(&path).unwrap();
        assert_eq!(again.get("a:1").unwrap().line, 2);
        assert_eq!(again.get("b:2").unwrap().fingerprint, fingerprint("b"));
        assert_eq!(again.get("c:3").unwrap().fingerprint, fingerprint("c"));
        assert!(fs::read_to_string(&path).unwrap().starts_with("# mine\n"));
    }

    #[test]
    fn remembering_never_overwrites_a_server_already_there() {
        let folder = tempfile::tempdir().unwrap();
        let path = folder.path().join("known_hosts");
        let mut known = KnownHosts::load(&path).unwrap();
        fs::write(&path, format!("h:1 {}\n", fingerprint("first"))).unwrap();
        let entry = known.remember("h:1", fingerprint("second")).unwrap();
        assert_eq!(entry.fingerprint, fingerprint("first"));
        assert_eq!(
            fs::read_to_string(&path).unwrap(),
            format!("h:1 {}\n", fingerprint("first"))
        );
    }

    #[test]
    fn a_host_that_would_not_read_back_is_not_written() {
        let folder = tempfile::tempdir().unwrap();
        let path = folder.path().join("known_hosts");
        let mut known = KnownHosts::load(&path).unwrap();
        let line = format!("evil:1 {}\nvictim:1", fingerprint("forged"));
        for host in ["a b:1", "nohost", line.as_str()] {
            let error = known.remember(host, fingerprint("a")).unwrap_err();
            assert!(error.to_string().contains("is not HOST:PORT"), "{error}");
        }
        assert!(!path.exists());
    }

    #[test]
    fn a_corrupt_file_is_not_overwritten() {
        let folder = tempfile::tempdir().unwrap();
        let path = folder.path().join("known_hosts");
        let mut known = KnownHosts::load(&path).unwrap();
        fs::write(&path, "garbage\n").unwrap();
        let error = known.remember("h:1", fingerprint("a")).unwrap_err();
        assert!(error.to_string().contains(":1: "), "{error}");
        assert_eq!(fs::read_to_string(&path).unwrap(), "garbage\n");
    }
}
