//! Offline commands on a data directory, run without starting the server:
//! `chat-server accounts list`, `chat-server accounts delete NAME`, `chat-server bans
//! list` and `chat-server bans delete TARGET`.
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
use crate::moderation::Target;
use crate::moderation::offline::ban_lines;
use crate::moderation::store::BanStore;
use crate::room::now_ms;
use crate::store::sqlite::lock::DirLock;
use crate::store::{DB_FILE, LOCK_FILE, StoreError};

/// An offline command.
#[derive(Debug, Clone, PartialEq, Eq, Subcommand)]
pub enum Command {
    /// Lists or deletes accounts in the data directory, without starting the server.
    #[command(subcommand)]
    Accounts(AccountsCommand),
    /// Lists or lifts bans in the data directory, without starting the server.
    #[command(subcommand)]
    Bans(BansCommand),
}

/// What to do with bans.
#[derive(Debug, Clone, PartialEq, Eq, Subcommand)]
pub enum BansCommand {
    /// Prints the bans in force, one per line: what, until when (UTC), by whom, since
    /// when, and why. Works while the server runs.
    List,
    /// Lifts a ban (on a name, an address or a network, as /ban took it): how an
    /// operator whose own address was banned gets back in. The server must be stopped.
    Delete {
        /// What is banned.
        target: String,
    },
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
    #[error("accounts and bans live in the data directory: give --data-dir DIR")]
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
    /// The target is no name, address or network; the reason.
    #[error("{0}")]
    BadTarget(String),
    /// Nothing is banned under that target.
    #[error("{0} is not banned (chat-server bans list shows the bans)")]
    NoSuchBan(String),
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
        Command::Bans(BansCommand::List) => {
            database(dir)?;
            let lines = ban_lines(dir, now_ms())?;
            Ok(lines.iter().map(|line| format!("{line}\n")).collect())
        }
        Command::Bans(BansCommand::Delete { target }) => unban(dir, target),
    }
}

fn unban(dir: &Path, target: &str) -> Result<String, AdminError> {
    let target = Target::parse(target).map_err(AdminError::BadTarget)?;
    let file = database(dir)?;
    let _lock = lock(dir)?;
    if BanStore::open(&file)?.delete(&target.key())? {
        Ok(format!("Lifted the ban on {target}.\n"))
    } else {
        Err(AdminError::NoSuchBan(target.to_string()))
    }
}

/// Takes the directory's lock, or says a server is running on it.
fn lock(dir: &Path) -> Result<DirLock, AdminError> {
    DirLock::acquire(&dir.join(LOCK_FILE)).map_err(|error| match error {
        StoreError::InUse { .. } => AdminError::ServerRunning {
            dir: dir.to_path_buf(),
        },
        other => AdminError::Store(other),
    })
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
    let _lock = lock(dir)?;
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
