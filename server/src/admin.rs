//! Offline commands on a data directory, run without starting the server:
//! `chat-server accounts list` and `chat-server accounts delete NAME`.
//!
//! Each command is a variant of [`Command`], so that a new one (bans, say) is one more
//! variant and one more arm in [`run`]. Reading works while a server runs on the
//! directory (SQLite lets readers in beside its writer). Changing does not: it takes
//! the directory's lock first, so that it never races a running server, and says to
//! stop the server when the lock is held. A running server would otherwise go on
//! trusting a session that proved the account.

use std::fmt::Write;
use std::path::{Path, PathBuf};

use clap::Subcommand;
use rusqlite::{Connection, OpenFlags};

use crate::accounts::{AccountError, Accounts, SqliteAccounts};
use crate::store::sqlite::lock::DirLock;
use crate::store::{DB_FILE, LOCK_FILE, StoreError};

/// An offline command.
#[derive(Debug, Clone, PartialEq, Eq, Subcommand)]
pub enum Command {
    /// Lists or deletes accounts in the data directory, without starting the server.
    #[command(subcommand)]
    Accounts(AccountsCommand),
}

/// What to do with accounts.
#[derive(Debug, Clone, PartialEq, Eq, Subcommand)]
pub enum AccountsCommand {
    /// Prints every account: its name and when it was registered (UTC), one per line,
    /// separated by a tab. Works while the server runs.
    List,
    /// Deletes an account (any case), freeing its name. The server must be stopped.
    Delete {
        /// The account's name.
        name: String,
    },
}

/// Why an offline command failed; `Display` is what the operator reads.
#[derive(Debug, thiserror::Error)]
pub enum AdminError {
    /// No data directory was given or found.
    #[error("accounts live in the data directory: give --data-dir DIR")]
    NoDataDir,
    /// The directory holds no database.
    #[error("{} does not exist: no server has kept a history in {}", file.display(), dir.display())]
    NoDatabase {
        /// The directory.
        dir: PathBuf,
        /// The database file looked for.
        file: PathBuf,
    },
    /// The file is not this server's.
    #[error("{} is not a chat-server database", file.display())]
    Foreign {
        /// The database file.
        file: PathBuf,
    },
    /// A server runs on the directory.
    #[error(
        "a chat-server is running on {} (it holds {}); stop it first, then try again",
        dir.display(),
        dir.join(LOCK_FILE).display()
    )]
    ServerRunning {
        /// The directory.
        dir: PathBuf,
    },
    /// No account has that name.
    #[error("there is no account called {0}")]
    NoSuchAccount(String),
    /// The lock could not be taken.
    #[error("{0}")]
    Store(#[from] StoreError),
    /// The accounts could not be read or written.
    #[error("{0}")]
    Accounts(#[from] AccountError),
}

/// Runs `command` on the data directory `dir`; returns what to print.
pub fn run(command: &Command, dir: Option<&Path>) -> Result<String, AdminError> {
    let dir = dir.ok_or(AdminError::NoDataDir)?;
    match command {
        Command::Accounts(AccountsCommand::List) => list(dir),
        Command::Accounts(AccountsCommand::Delete { name }) => delete(dir, name),
    }
}

fn list(dir: &Path) -> Result<String, AdminError> {
    let file = database(dir)?;
    let accounts = SqliteAccounts::open_read_only(&file)?.list()?;
    let mut out = String::new();
    for account in accounts {
        let registered = jiff::Timestamp::from_millisecond(account.created_ms).map_or_else(
            |_| "?".to_owned(),
            |time| time.strftime("%F %T").to_string(),
        );
        let _ = writeln!(out, "{}\t{registered}", account.name);
    }
    Ok(out)
}

fn delete(dir: &Path, name: &str) -> Result<String, AdminError> {
    let file = database(dir)?;
    let _lock = DirLock::acquire(&dir.join(LOCK_FILE)).map_err(|error| match error {
        StoreError::InUse { .. } => AdminError::ServerRunning {
            dir: dir.to_path_buf(),
        },
        other => AdminError::Store(other),
    })?;
    if SqliteAccounts::open(&file)?.delete(name)? {
        Ok(format!("Deleted the account {name}.\n"))
    } else {
        Err(AdminError::NoSuchAccount(name.to_owned()))
    }
}

/// The database file in `dir`, if it is one this server made (its history format set).
fn database(dir: &Path) -> Result<PathBuf, AdminError> {
    let file = dir.join(DB_FILE);
    if !file.is_file() {
        return Err(AdminError::NoDatabase {
            dir: dir.to_path_buf(),
            file,
        });
    }
    let version = Connection::open_with_flags(&file, OpenFlags::SQLITE_OPEN_READ_ONLY)
        .and_then(|conn| conn.query_row("PRAGMA user_version", [], |row| row.get::<_, i64>(0)));
    match version {
        Ok(version) if version > 0 => Ok(file),
        _ => Err(AdminError::Foreign { file }),
    }
}
