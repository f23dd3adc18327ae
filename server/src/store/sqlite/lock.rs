//! The data directory's lock: one server per history.

use std::fs::{File, OpenOptions};
use std::io;
use std::os::fd::AsRawFd;
use std::path::Path;

use crate::store::StoreError;

/// An exclusive lock on the lock file, held for as long as the store is open and released
/// by the operating system when the process ends, however it ends. Two servers on one
/// directory would each number the same rooms: the second one stops at startup instead.
#[derive(Debug)]
pub(crate) struct DirLock {
    /// The open lock file; closing it releases the lock.
    _file: File,
}

impl DirLock {
    /// Takes the lock on `path`, creating the file if needed; fails at once if another
    /// process (or another store in this one) holds it.
    pub fn acquire(path: &Path) -> Result<Self, StoreError> {
        let failed = |source| StoreError::Lock {
            file: path.to_path_buf(),
            source,
        };
        let file = OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(path)
            .map_err(failed)?;
        // SAFETY: `flock` only reads the descriptor, which `file` keeps open for the call.
        let locked = unsafe { libc::flock(file.as_raw_fd(), libc::LOCK_EX | libc::LOCK_NB) };
        if locked != 0 {
            let err = io::Error::last_os_error();
            return Err(if err.kind() == io::ErrorKind::WouldBlock {
                StoreError::InUse {
                    file: path.to_path_buf(),
                }
            } else {
                failed(err)
            });
        }
        Ok(Self { _file: file })
    }
}
