//! Why the store could not do something, each case naming the file concerned so that an
//! operator knows what to look at.

use std::io;
use std::path::{Path, PathBuf};

use rusqlite::ErrorCode;

/// A failure of the history store. Startup failures stop the server with this message;
/// a failed read is answered as an error to the one client that asked.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The data directory does not exist and cannot be created.
    #[error("cannot create the data directory {}: {source}", dir.display())]
    CreateDir {
        /// The directory.
        dir: PathBuf,
        /// Why.
        source: io::Error,
    },
    /// The lock file that keeps a second server out cannot be opened or locked.
    #[error("cannot lock {}: {source}", file.display())]
    Lock {
        /// The lock file.
        file: PathBuf,
        /// Why.
        source: io::Error,
    },
    /// Another server holds the data directory.
    #[error("{} is held by another running chat-server; give each server its own --data-dir", file.display())]
    InUse {
        /// The lock file.
        file: PathBuf,
    },
    /// The file is not an SQLite database (garbage, encrypted, or another format).
    #[error("{} is not a history database (file is not a database); move it away to start with an empty history", file.display())]
    NotADatabase {
        /// The database file.
        file: PathBuf,
    },
    /// The file is an SQLite database, but damaged.
    #[error("{} is corrupt (database disk image is malformed); restore a backup or move it away to start with an empty history", file.display())]
    Corrupt {
        /// The database file.
        file: PathBuf,
    },
    /// The file or its directory cannot be opened, read or written by this process.
    #[error("cannot open or write {} (permission denied, read-only, or missing): {detail}", file.display())]
    Unwritable {
        /// The database file.
        file: PathBuf,
        /// SQLite's own words.
        detail: String,
    },
    /// The disk (or the store's size limit) is full.
    #[error("{}: the disk is full (database or disk is full)", file.display())]
    DiskFull {
        /// The database file.
        file: PathBuf,
    },
    /// The database is an SQLite file of something else than this server's history.
    #[error("{} is an SQLite database, but not a chat-server history", file.display())]
    Foreign {
        /// The database file.
        file: PathBuf,
    },
    /// The database was written by a newer server, whose format this one does not know.
    #[error("{} has history format {found}, newer than this server's {supported}; run the newer server", file.display())]
    TooNew {
        /// The database file.
        file: PathBuf,
        /// The format found in the file.
        found: i64,
        /// The newest format this server knows.
        supported: i64,
    },
    /// The writer thread could not be started.
    #[error("cannot start the history writer thread: {source}")]
    Thread {
        /// Why.
        source: io::Error,
    },
    /// Any other failure of SQLite.
    #[error("{}: {source}", file.display())]
    Sqlite {
        /// The database file.
        file: PathBuf,
        /// SQLite's error.
        source: rusqlite::Error,
    },
}

impl StoreError {
    /// Classifies an error of SQLite on `file`: the cases an operator can act on get their
    /// own variant.
    pub(crate) fn sqlite(file: &Path, source: rusqlite::Error) -> Self {
        let file = file.to_path_buf();
        match source.sqlite_error_code() {
            Some(ErrorCode::NotADatabase) => Self::NotADatabase { file },
            Some(ErrorCode::DatabaseCorrupt) => Self::Corrupt { file },
            Some(ErrorCode::DiskFull) => Self::DiskFull { file },
            Some(
                ErrorCode::CannotOpen
                | ErrorCode::ReadOnly
                | ErrorCode::PermissionDenied
                | ErrorCode::AuthorizationForStatementDenied,
            ) => Self::Unwritable {
                file,
                detail: source.to_string(),
            },
            _ => Self::Sqlite { file, source },
        }
    }
}
