//! Opening a file: the format check, upgrades of older formats, and the replay that
//! rebuilds the state and the unfolded index rows from the newest snapshot and the log.

use redb::{Database, ReadableDatabase, ReadableTable, ReadableTableMetadata};

use super::rows::{IndexEntry, index_rows};
use crate::command::state::{ClosedRecords, State};
use crate::error::{Error, Result, io_kind};
use crate::ledger::retention::Retention;
use crate::store::backend::StoreWrite;
use crate::store::recent::{self, Folded, Recent};
use crate::store::schema;
use crate::store::schema::Archived;
use crate::store::{self, FORMAT_VERSION, MAGIC, index};

/// Empties the file at `path` if its creation lost power (see `store::creation`); answers
/// whether it did.
pub(super) fn unfinished_file(path: &std::path::Path) -> std::io::Result<bool> {
    use std::io::{Read, Seek};
    let mut file = std::fs::File::options().read(true).write(true).open(path)?;
    let len = file.metadata()?.len();
    let read = |at, out: &mut [u8]| {
        file.seek(std::io::SeekFrom::Start(at))?;
        file.read_exact(out)
    };
    if !store::creation::is_unfinished(len, read)? {
        return Ok(false);
    }
    file.set_len(0)?;
    file.sync_all()?;
    Ok(true)
}

pub(super) fn open_error(err: redb::DatabaseError, path: &str, existed: bool) -> Error {
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
        },
        other if existed => Error::NotAStockbookFile {
            path: path.to_owned(),
            reason: other.to_string(),
        },
        other => Error::storage(other),
    }
}

pub(super) fn check_or_init_meta(
    db: &Database,
    path: &str,
    block_events: u64,
    now: i64,
) -> Result<()> {
    let not_ours = |reason: &str| Error::NotAStockbookFile {
        path: path.to_owned(),
        reason: reason.to_owned(),
    };
    let read = db.begin_read().map_err(Error::storage)?;
    let tables: Vec<String> = read
        .list_tables()
        .map_err(Error::storage)?
        .map(|t| redb::TableHandle::name(&t).to_owned())
        .collect();
    match read.open_table(store::META) {
        Ok(meta) => {
            let ours = meta
                .get("magic")
                .map_err(Error::storage)?
                .is_some_and(|magic| magic.value() == MAGIC);
            if !ours {
                return Err(not_ours("no Stockbook magic in its meta table"));
            }
            let version = meta
                .get("format_version")
                .map_err(Error::storage)?
                .and_then(|v| <[u8; 4]>::try_from(v.value()).ok())
                .map(u32::from_le_bytes)
                .ok_or_else(|| not_ours("no format version"))?;
            if version > FORMAT_VERSION {
                return Err(Error::UnsupportedFormat {
                    found: version,
                    supported: FORMAT_VERSION,
                });
            }
            drop(meta);
            drop(read);
            if version < FORMAT_VERSION {
                upgrade(db, &tables, version, block_events)?;
            }
            Ok(())
        }
        Err(redb::TableError::TableDoesNotExist(_)) if tables.is_empty() => {
            drop(read);
            let txn = db.begin_write().map_err(Error::storage)?;
            {
                let mut meta = txn.open_table(store::META).map_err(Error::storage)?;
                meta.insert("magic", MAGIC).map_err(Error::storage)?;
                meta.insert("format_version", FORMAT_VERSION.to_le_bytes().as_slice())
                    .map_err(Error::storage)?;
                txn.open_table(store::EVENTS).map_err(Error::storage)?;
                meta.insert(
                    "folded",
                    schema::encode_folded(&Folded::default())?.as_slice(),
                )
                .map_err(Error::storage)?;
                meta.insert("block_events", block_events.to_le_bytes().as_slice())
                    .map_err(Error::storage)?;
                meta.insert(KEYS_UPCAST_AT, now.to_le_bytes().as_slice())
                    .map_err(Error::storage)?;
                txn.open_table(store::KEY_TIMES).map_err(Error::storage)?;
                txn.open_table(store::KEY_TOMBSTONES)
                    .map_err(Error::storage)?;
                txn.open_table(store::ITEM_EVENTS).map_err(Error::storage)?;
                txn.open_table(store::INDEX_PARTS).map_err(Error::storage)?;
                txn.open_table(store::IDEMPOTENCY).map_err(Error::storage)?;
                txn.open_table(store::SNAPSHOTS).map_err(Error::storage)?;
            }
            txn.commit().map_err(Error::storage)
        }
        Err(redb::TableError::TableDoesNotExist(_)) => Err(not_ours("a redb file of other tables")),
        Err(e) => Err(not_ours(&e.to_string())),
    }
}

/// Brings a file of an older version to the current one in one transaction. In files of
/// versions 1 and 2 every row of the log is folded, and the record says so; version 2's
/// recent tables are folded too and dropped. The rows of `moves` are packed into
/// `index_parts` (by the file's block length), and `moves` and its bucket totals dropped.
fn upgrade(db: &Database, tables: &[String], version: u32, block_events: u64) -> Result<()> {
    let has = |name: &str| tables.iter().any(|t| t == name);
    let txn = db.begin_write().map_err(Error::storage)?;
    let mut meta = txn.open_table(store::META).map_err(Error::storage)?;
    if version < 3 {
        let last_seq = {
            let events = txn.open_table(store::EVENTS).map_err(Error::storage)?;
            store::log::last_seq(&events)?
        };
        let folded = Folded {
            seq: last_seq,
            ..Folded::default()
        };
        meta.insert("folded", schema::encode_folded(&folded)?.as_slice())
            .map_err(Error::storage)?;
        meta.insert("block_events", block_events.to_le_bytes().as_slice())
            .map_err(Error::storage)?;
    }
    let block_events = stored_block_events(&meta)?.unwrap_or(block_events);
    meta.insert("format_version", FORMAT_VERSION.to_le_bytes().as_slice())
        .map_err(Error::storage)?;
    drop(meta);
    // Opened even when the file has no `moves`: `index_parts` exists afterwards.
    pack_moves(&txn, block_events)?;
    if has("recent_moves") {
        let rows: Vec<recent::MoveRow> = {
            let table = txn
                .open_table(store::V2_RECENT_MOVES)
                .map_err(Error::storage)?;
            let mut rows = Vec::new();
            for row in table.iter().map_err(Error::storage)? {
                let (key, value) = row.map_err(Error::storage)?;
                let (_, sku, location, code, ordinal, seq) = key.value();
                rows.push(recent::MoveRow::from_key(
                    (sku, location, code, ordinal, seq),
                    value.value(),
                ));
            }
            rows
        };
        let mut parts = txn.open_table(store::INDEX_PARTS).map_err(Error::storage)?;
        index::fold_rows(&mut parts, &rows, block_events)?;
        drop(parts);
        txn.delete_table(store::V2_RECENT_MOVES)
            .map_err(Error::storage)?;
    }
    if has("recent_item_events") {
        let pairs: Vec<recent::Pair> = {
            let table = txn
                .open_table(store::V2_RECENT_ITEM_EVENTS)
                .map_err(Error::storage)?;
            let mut pairs = Vec::new();
            for row in table.iter().map_err(Error::storage)? {
                let (key, ()) = row.map_err(Error::storage).map(|(k, v)| (k, v.value()))?;
                let (_, sku, seq) = key.value();
                pairs.push((sku.into(), seq));
            }
            pairs
        };
        let mut archive = txn.open_table(store::ITEM_EVENTS).map_err(Error::storage)?;
        store::history::fold_pairs(&mut archive, &pairs)?;
        drop(archive);
        txn.delete_table(store::V2_RECENT_ITEM_EVENTS)
            .map_err(Error::storage)?;
    }
    if has("move_sums") {
        txn.delete_table(store::V3_MOVE_SUMS)
            .map_err(Error::storage)?;
    }
    if version < 6 && has("snapshots") {
        // A snapshot of a format before retention holds closed records that a replay under
        // the file's retention rule would have moved out: the log is replayed instead.
        txn.delete_table(store::SNAPSHOTS).map_err(Error::storage)?;
        txn.open_table(store::SNAPSHOTS).map_err(Error::storage)?;
    }
    txn.commit().map_err(Error::storage)
}

/// Packs the index rows of `moves` into `index_parts`, in key order and in batches, and
/// drops `moves`.
fn pack_moves(txn: &redb::WriteTransaction, block_events: u64) -> Result<()> {
    const BATCH: usize = 100_000;
    let moves = txn.open_table(store::V3_MOVES).map_err(Error::storage)?;
    let mut parts = txn.open_table(store::INDEX_PARTS).map_err(Error::storage)?;
    let mut batch: Vec<recent::MoveRow> = Vec::with_capacity(BATCH);
    for row in moves.iter().map_err(Error::storage)? {
        let (key, value) = row.map_err(Error::storage)?;
        batch.push(recent::MoveRow::from_key(key.value(), value.value()));
        if batch.len() == BATCH {
            index::fold_rows(&mut parts, &batch, block_events)?;
            batch.clear();
        }
    }
    index::fold_rows(&mut parts, &batch, block_events)?;
    drop(moves);
    drop(parts);
    txn.delete_table(store::V3_MOVES).map_err(Error::storage)?;
    Ok(())
}

/// The block length the meta table records, if it does.
fn stored_block_events(
    meta: &impl ReadableTable<&'static str, &'static [u8]>,
) -> Result<Option<u64>> {
    Ok(meta
        .get("block_events")
        .map_err(Error::storage)?
        .and_then(|v| <[u8; 8]>::try_from(v.value()).ok())
        .map(u64::from_le_bytes)
        .filter(|&n| n > 0))
}

/// How far folding went and the block length, as the file says.
fn read_folded(read: &redb::ReadTransaction) -> Result<(Folded, u64)> {
    let meta = read.open_table(store::META).map_err(Error::storage)?;
    let folded = meta
        .get("folded")
        .map_err(Error::storage)?
        .ok_or_else(|| Error::storage("the file does not say how far its index is folded"))?;
    let block_events = stored_block_events(&meta)?
        .ok_or_else(|| Error::storage("the file does not say its index block length"))?;
    Ok((schema::decode_folded(folded.value())?, block_events))
}

/// The state as of the last commit, and the unfolded index rows and history pairs: the
/// newest snapshot, then the events after it replayed, regenerating the rows of every
/// event not yet folded.
pub(super) fn load_state(
    db: &Database,
    retention: Retention,
) -> Result<(State, Recent, ClosedRecords)> {
    let read = db.begin_read().map_err(Error::storage)?;
    let (folded, block_events) = read_folded(&read)?;
    let snapshots = read.open_table(store::SNAPSHOTS).map_err(Error::storage)?;
    let fresh = || {
        (
            State::with_builtins(retention),
            Recent::new(folded, block_events),
        )
    };
    let (mut state, mut recent) = match snapshots.last().map_err(Error::storage)? {
        Some((_, bytes)) => {
            let bytes = bytes.value();
            match schema::decode_snapshot(bytes) {
                Ok((image, Some(rows))) => (
                    State::from_image(image, retention),
                    Recent::from_image(rows, folded, block_events),
                ),
                // A snapshot of an older version, without rows: enough when it is no newer
                // than everything folded (as after an upgrade).
                Ok((image, None)) if image.last_seq <= folded.seq => (
                    State::from_image(image, retention),
                    Recent::new(folded, block_events),
                ),
                // A snapshot this build cannot use is only a lost shortcut: replay all.
                _ => fresh(),
            }
        }
        None => fresh(),
    };
    let events = read.open_table(store::EVENTS).map_err(Error::storage)?;
    let mut rows: Vec<IndexEntry> = Vec::new();
    let mut pairs: Vec<(String, u64)> = Vec::new();
    let flush =
        |recent: &mut Recent, rows: &mut Vec<IndexEntry>, pairs: &mut Vec<(String, u64)>| {
            let index: Vec<index::IndexRow<'_>> = rows.iter().map(IndexEntry::row).collect();
            let borrowed: Vec<(&str, u64)> = pairs.iter().map(|(s, q)| (s.as_str(), *q)).collect();
            recent.add(&index, &borrowed);
            rows.clear();
            pairs.clear();
        };
    state.begin_replay();
    state.record_closed();
    let resume = state.last_seq;
    // From the snapshot's last event: its recorded time resumes the retention clock.
    store::log::scan_ahead(&events, resume.max(1), |env| {
        if env.seq == resume {
            state.resume_retention(env.recorded_at);
            return Ok(true);
        }
        let unfolded = env.seq > folded.seq;
        if unfolded {
            rows.extend(index_rows(&state, env));
        }
        state.apply(env);
        if unfolded {
            pairs.extend(
                state
                    .skus_of(&env.event)
                    .into_iter()
                    .map(|sku| (sku, env.seq)),
            );
            if pairs.len() >= 65_536 {
                flush(&mut recent, &mut rows, &mut pairs);
            }
        }
        Ok(true)
    })?;
    state.finish_replay();
    flush(&mut recent, &mut rows, &mut pairs);
    recent.resume(folded);
    let closed = state.replayed_closed();
    Ok((state, recent, closed))
}

/// The file's retention window of closed records: the one it records, or `default`,
/// recorded now (a new file, or one of a format before retention).
pub(super) fn file_retention(db: &Database, default: i64) -> Result<i64> {
    let read = db.begin_read().map_err(Error::storage)?;
    let meta = read.open_table(store::META).map_err(Error::storage)?;
    let stored = meta
        .get("closed_retention_ms")
        .map_err(Error::storage)?
        .and_then(|v| <[u8; 8]>::try_from(v.value()).ok())
        .map(i64::from_le_bytes);
    if let Some(window) = stored {
        return Ok(window);
    }
    drop(meta);
    drop(read);
    let txn = db.begin_write().map_err(Error::storage)?;
    txn.open_table(store::META)
        .map_err(Error::storage)?
        .insert("closed_retention_ms", default.to_le_bytes().as_slice())
        .map_err(Error::storage)?;
    txn.commit().map_err(Error::storage)?;
    Ok(default)
}

/// Keeps in the `closed` table the records a replay took out of memory that it does not
/// hold yet (those of a file upgraded from a format before retention, whose whole log was
/// replayed); answers whether the table is empty.
pub(super) fn keep_closed(db: &Database, closed: &ClosedRecords) -> Result<bool> {
    let read = db.begin_read().map_err(Error::storage)?;
    let table = match read.open_table(store::CLOSED) {
        Ok(table) => Some(table),
        Err(redb::TableError::TableDoesNotExist(_)) => None,
        Err(e) => return Err(Error::storage(e)),
    };
    let mut missing = Vec::new();
    for ((kind, id), record) in closed {
        let held = match &table {
            Some(t) => t
                .get((*kind as u8, id.as_str()))
                .map_err(Error::storage)?
                .is_some(),
            None => false,
        };
        if !held {
            missing.push(Archived::Put(record.clone()));
        }
    }
    let empty = match &table {
        Some(t) => t.is_empty().map_err(Error::storage)?,
        None => true,
    };
    drop(table);
    drop(read);
    if missing.is_empty() {
        return Ok(empty);
    }
    let txn = StoreWrite::new(db.begin_write().map_err(Error::storage)?);
    txn.archive(&missing)?;
    txn.commit()?;
    Ok(false)
}

/// The meta entry holding when this build first opened the file (`i64` LE, ms).
const KEYS_UPCAST_AT: &str = "keys_upcast_at";

/// What the writer needs to know of the remembered keys to expire them.
pub(super) struct KeyClock {
    /// The recording time of key records written without one (before records carried
    /// their time): when this build first opened the file.
    pub(super) upcast_at: i64,
    /// The recording time of the oldest remembered key, if any.
    pub(super) oldest: Option<i64>,
    /// Whether any expired key was pruned (so that new keys must be checked against the
    /// tombstones).
    pub(super) tombstones: bool,
}

/// Reads the key clock. The first time this build opens a file written before key
/// records carried their time, it records `now` as their recording time and lists every
/// remembered key in `key_times` at that time, once: their retention window starts then.
pub(super) fn key_clock(db: &Database, now: i64) -> Result<KeyClock> {
    let read = db.begin_read().map_err(Error::storage)?;
    let upcast_at = read
        .open_table(store::META)
        .map_err(Error::storage)?
        .get(KEYS_UPCAST_AT)
        .map_err(Error::storage)?
        .and_then(|v| <[u8; 8]>::try_from(v.value()).ok())
        .map(i64::from_le_bytes);
    let upcast_at = if let Some(at) = upcast_at {
        at
    } else {
        drop(read);
        let txn = db.begin_write().map_err(Error::storage)?;
        {
            let mut meta = txn.open_table(store::META).map_err(Error::storage)?;
            meta.insert(KEYS_UPCAST_AT, now.to_le_bytes().as_slice())
                .map_err(Error::storage)?;
            let keys = txn.open_table(store::IDEMPOTENCY).map_err(Error::storage)?;
            let mut times = txn.open_table(store::KEY_TIMES).map_err(Error::storage)?;
            txn.open_table(store::KEY_TOMBSTONES)
                .map_err(Error::storage)?;
            for row in keys.iter().map_err(Error::storage)? {
                let (key, _) = row.map_err(Error::storage)?;
                times
                    .insert((now, key.value()), ())
                    .map_err(Error::storage)?;
            }
        }
        txn.commit().map_err(Error::storage)?;
        now
    };
    let read = db.begin_read().map_err(Error::storage)?;
    let oldest = read
        .open_table(store::KEY_TIMES)
        .map_err(Error::storage)?
        .first()
        .map_err(Error::storage)?
        .map(|(k, _)| k.value().0);
    let tombstones = !read
        .open_table(store::KEY_TOMBSTONES)
        .map_err(Error::storage)?
        .is_empty()
        .map_err(Error::storage)?;
    Ok(KeyClock {
        upcast_at,
        oldest,
        tombstones,
    })
}
