//! The store's handle: one redb database, opened from a path, a caller's storage backend or
//! memory, and the reads and writes the engine begins on it.

use std::path::Path;

use redb::{Database, ReadableDatabase};

use super::backend::{self, StoreRead, StoreWrite};
use super::creation;
use super::recent::Recent;
use crate::error::{Error, Result, io_kind};
use crate::event::Envelope;

/// An open store: the file (or memory, or backend) and the name its errors give it.
pub(crate) struct Store {
    /// The redb database: every table of the file.
    pub(super) db: Database,
    /// How errors name the store: its path, `:memory:` or `:backend:`.
    pub(super) shown: String,
}

impl Store {
    /// Opens (or creates) the file at `path` with a page cache of `cache_size_bytes`.
    ///
    /// Refused with `io` when its directory does not exist, `locked` when another process
    /// has it open and `not_a_stockbook_file` when redb cannot read it. A file whose
    /// creation lost power (see [`creation`]) is created anew.
    pub(crate) fn open(path: &Path, cache_size_bytes: usize) -> Result<Store> {
        let shown = path.display().to_string();
        let existed = std::fs::metadata(path).is_ok_and(|m| m.len() > 0);
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty())
            && !dir.is_dir()
        {
            return Err(Error::Io {
                path: dir.display().to_string(),
                kind: "not_found".into(),
                message: "the directory does not exist".into(),
                cause: None,
            });
        }
        let create = || {
            redb::Builder::new()
                .set_cache_size(cache_size_bytes)
                .create(path)
        };
        let db = match create() {
            // Refused, and nobody else has it open: a creation that lost power is begun anew.
            Err(e)
                if existed
                    && !matches!(
                        e,
                        redb::DatabaseError::DatabaseAlreadyOpen
                            | redb::DatabaseError::LockProtocolMismatch
                    ) =>
            {
                if unfinished_file(path).unwrap_or(false) {
                    create().map_err(|e| open_error(e, &shown, existed))?
                } else {
                    return Err(open_error(e, &shown, existed));
                }
            }
            opened => opened.map_err(|e| open_error(e, &shown, existed))?,
        };
        Ok(Store { db, shown })
    }

    /// A store that lives in memory only.
    pub(crate) fn in_memory() -> Result<Store> {
        let db = redb::Builder::new()
            .create_with_backend(redb::backends::InMemoryBackend::new())
            .map_err(Error::storage)?;
        Ok(Store {
            db,
            shown: ":memory:".into(),
        })
    }

    /// Opens (or creates) a store over `backend`, with a page cache of `cache_size_bytes`.
    /// The backend's I/O errors are `storage` errors. A backend whose creation lost power
    /// before redb finished it is created afresh.
    pub(crate) fn with_backend(
        backend: impl redb::StorageBackend,
        cache_size_bytes: usize,
    ) -> Result<Store> {
        // A creation that lost power is begun anew (see `creation`).
        let len = backend.len().map_err(Error::storage)?;
        if creation::is_unfinished(len, |at, out| backend.read(at, out)).map_err(Error::storage)? {
            backend.set_len(0).map_err(Error::storage)?;
            backend.sync_data().map_err(Error::storage)?;
        }
        let db = redb::Builder::new()
            .set_cache_size(cache_size_bytes)
            .create_with_backend(backend)
            .map_err(Error::storage)?;
        Ok(Store {
            db,
            shown: ":backend:".into(),
        })
    }

    /// A read of the store as last committed, with `recent`: the unfolded rows of that
    /// commit.
    pub(crate) fn begin_read(&self, recent: Recent) -> Result<StoreRead> {
        let txn = self.db.begin_read().map_err(Error::storage)?;
        Ok(StoreRead::new(txn, recent))
    }

    /// A write of the store; only one is open at a time (the writer's).
    pub(crate) fn begin_write(&self) -> Result<StoreWrite> {
        let txn = self.db.begin_write().map_err(Error::storage)?;
        Ok(StoreWrite::new(txn))
    }

    /// Up to `limit` events from sequence `from_seq` on, as last committed.
    pub(crate) fn events(&self, from_seq: u64, limit: usize) -> Result<Vec<Envelope>> {
        let txn = self.db.begin_read().map_err(Error::storage)?;
        backend::read_events(&txn, from_seq, limit)
    }

    /// Gives the free space back to the file system. Left undone (and not an error) while
    /// a read is still open elsewhere: the store is then sound, only larger.
    pub(crate) fn compact(&mut self) -> Result<()> {
        match self.db.compact() {
            Ok(_) | Err(redb::CompactionError::TransactionInProgress) => Ok(()),
            Err(e) => Err(Error::storage(e)),
        }
    }
}

/// Empties the file at `path` if its creation lost power (see [`creation`]); answers
/// whether it did.
fn unfinished_file(path: &Path) -> std::io::Result<bool> {
    use std::io::{Read, Seek};
    let mut file = std::fs::File::options().read(true).write(true).open(path)?;
    let len = file.metadata()?.len();
    let read = |at, out: &mut [u8]| {
        file.seek(std::io::SeekFrom::Start(at))?;
        file.read_exact(out)
    };
    if !creation::is_unfinished(len, read)? {
        return Ok(false);
    }
    file.set_len(0)?;
    file.sync_all()?;
    Ok(true)
}

/// The typed error of a file redb would not open.
fn open_error(err: redb::DatabaseError, path: &str, existed: bool) -> Error {
    match err {
        redb::DatabaseError::DatabaseAlreadyOpen | redb::DatabaseError::LockProtocolMismatch => {
            Error::Locked {
                path: path.to_owned(),
            }
        }
        redb::DatabaseError::Storage(redb::StorageError::Io(io)) if !existed => Error::Io {
            path: path.to_owned(),
            kind: io_kind(io.kind()),
            message: io.to_string(),
            cause: Some(crate::error::Cause::from(io)),
        },
        other if existed => Error::NotAStockbookFile {
            path: path.to_owned(),
            reason: other.to_string(),
        },
        other => Error::storage(other),
    }
}
