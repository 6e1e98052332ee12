//! The file's own records: the format check of an existing file and the tables of a new
//! one, the upgrades of older formats, and the settings the file keeps in `meta` (the
//! retention window of closed records, the key clock).

use redb::{ReadableDatabase, ReadableTable, ReadableTableMetadata};

use super::open::Store;
use super::recent::{self, Folded};
use super::{
    EVENTS, FORMAT_VERSION, IDEMPOTENCY, INDEX_PARTS, ITEM_EVENTS, KEY_TIMES, KEY_TOMBSTONES,
    MAGIC, META, SNAPSHOTS, V2_RECENT_ITEM_EVENTS, V2_RECENT_MOVES, V3_MOVE_SUMS, V3_MOVES,
    history, index, log, schema,
};
use crate::error::{Error, Result};

/// The meta entry holding when this build first opened the file (`i64` LE, ms).
const KEYS_UPCAST_AT: &str = "keys_upcast_at";

/// What the writer needs to know of the remembered keys to expire them.
pub(crate) struct KeyClock {
    /// The recording time of key records written without one (before records carried
    /// their time): when this build first opened the file.
    pub(crate) upcast_at: i64,
    /// The recording time of the oldest remembered key, if any.
    pub(crate) oldest: Option<i64>,
    /// Whether any expired key was pruned (so that new keys must be checked against the
    /// tombstones).
    pub(crate) tombstones: bool,
}

impl Store {
    /// Checks that the store is a Stockbook file of a format this build reads, and brings
    /// an older one to the current format; an empty store gets the tables of a new file
    /// (with index blocks of `block_events`, its keys' clock starting at `now`).
    ///
    /// Refused with `not_a_stockbook_file` for any other redb file and
    /// `unsupported_format` for a newer format.
    pub(crate) fn check_or_init(&self, block_events: u64, now: i64) -> Result<()> {
        let not_ours = |reason: &str| Error::NotAStockbookFile {
            path: self.shown.clone(),
            reason: reason.to_owned(),
        };
        let read = self.db.begin_read().map_err(Error::storage)?;
        let tables: Vec<String> = read
            .list_tables()
            .map_err(Error::storage)?
            .map(|t| redb::TableHandle::name(&t).to_owned())
            .collect();
        match read.open_table(META) {
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
                    self.upgrade(&tables, version, block_events)?;
                }
                Ok(())
            }
            Err(redb::TableError::TableDoesNotExist(_)) if tables.is_empty() => {
                drop(read);
                self.init(block_events, now)
            }
            Err(redb::TableError::TableDoesNotExist(_)) => {
                Err(not_ours("a redb file of other tables"))
            }
            Err(e) => Err(not_ours(&e.to_string())),
        }
    }

    /// Writes the tables of a new file.
    fn init(&self, block_events: u64, now: i64) -> Result<()> {
        let txn = self.db.begin_write().map_err(Error::storage)?;
        {
            let mut meta = txn.open_table(META).map_err(Error::storage)?;
            meta.insert("magic", MAGIC).map_err(Error::storage)?;
            meta.insert("format_version", FORMAT_VERSION.to_le_bytes().as_slice())
                .map_err(Error::storage)?;
            txn.open_table(EVENTS).map_err(Error::storage)?;
            meta.insert(
                "folded",
                schema::encode_folded(&Folded::default())?.as_slice(),
            )
            .map_err(Error::storage)?;
            meta.insert("block_events", block_events.to_le_bytes().as_slice())
                .map_err(Error::storage)?;
            meta.insert(KEYS_UPCAST_AT, now.to_le_bytes().as_slice())
                .map_err(Error::storage)?;
            txn.open_table(KEY_TIMES).map_err(Error::storage)?;
            txn.open_table(KEY_TOMBSTONES).map_err(Error::storage)?;
            txn.open_table(ITEM_EVENTS).map_err(Error::storage)?;
            txn.open_table(INDEX_PARTS).map_err(Error::storage)?;
            txn.open_table(IDEMPOTENCY).map_err(Error::storage)?;
            txn.open_table(SNAPSHOTS).map_err(Error::storage)?;
        }
        txn.commit().map_err(Error::storage)
    }

    /// Brings a file of an older version to the current one in one transaction. In files of
    /// versions 1 and 2 every row of the log is folded, and the record says so; version 2's
    /// recent tables are folded too and dropped. The rows of `moves` are packed into
    /// `index_parts` (by the file's block length), and `moves` and its bucket totals
    /// dropped.
    fn upgrade(&self, tables: &[String], version: u32, block_events: u64) -> Result<()> {
        let has = |name: &str| tables.iter().any(|t| t == name);
        let txn = self.db.begin_write().map_err(Error::storage)?;
        let mut meta = txn.open_table(META).map_err(Error::storage)?;
        if version < 3 {
            let last_seq = {
                let events = txn.open_table(EVENTS).map_err(Error::storage)?;
                log::last_seq(&events)?
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
                let table = txn.open_table(V2_RECENT_MOVES).map_err(Error::storage)?;
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
            let mut parts = txn.open_table(INDEX_PARTS).map_err(Error::storage)?;
            index::fold_rows(&mut parts, &rows, block_events)?;
            drop(parts);
            txn.delete_table(V2_RECENT_MOVES).map_err(Error::storage)?;
        }
        if has("recent_item_events") {
            let pairs: Vec<recent::Pair> = {
                let table = txn
                    .open_table(V2_RECENT_ITEM_EVENTS)
                    .map_err(Error::storage)?;
                let mut pairs = Vec::new();
                for row in table.iter().map_err(Error::storage)? {
                    let (key, ()) = row.map_err(Error::storage).map(|(k, v)| (k, v.value()))?;
                    let (_, sku, seq) = key.value();
                    pairs.push((sku.into(), seq));
                }
                pairs
            };
            let mut archive = txn.open_table(ITEM_EVENTS).map_err(Error::storage)?;
            history::fold_pairs(&mut archive, &pairs)?;
            drop(archive);
            txn.delete_table(V2_RECENT_ITEM_EVENTS)
                .map_err(Error::storage)?;
        }
        if has("move_sums") {
            txn.delete_table(V3_MOVE_SUMS).map_err(Error::storage)?;
        }
        if version < 6 && has("snapshots") {
            // A snapshot of a format before retention holds closed records that a replay
            // under the file's retention rule would have moved out: the log is replayed
            // instead.
            txn.delete_table(SNAPSHOTS).map_err(Error::storage)?;
            txn.open_table(SNAPSHOTS).map_err(Error::storage)?;
        }
        txn.commit().map_err(Error::storage)
    }

    /// The file's retention window of closed records: the one it records, or `default`,
    /// recorded now (a new file, or one of a format before retention).
    pub(crate) fn closed_retention(&self, default: i64) -> Result<i64> {
        let read = self.db.begin_read().map_err(Error::storage)?;
        let meta = read.open_table(META).map_err(Error::storage)?;
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
        let txn = self.db.begin_write().map_err(Error::storage)?;
        txn.open_table(META)
            .map_err(Error::storage)?
            .insert("closed_retention_ms", default.to_le_bytes().as_slice())
            .map_err(Error::storage)?;
        txn.commit().map_err(Error::storage)?;
        Ok(default)
    }

    /// Reads the key clock. The first time this build opens a file written before key
    /// records carried their time, it records `now` as their recording time and lists every
    /// remembered key in `key_times` at that time, once: their retention window starts
    /// then.
    pub(crate) fn key_clock(&self, now: i64) -> Result<KeyClock> {
        let read = self.db.begin_read().map_err(Error::storage)?;
        let upcast_at = read
            .open_table(META)
            .map_err(Error::storage)?
            .get(KEYS_UPCAST_AT)
            .map_err(Error::storage)?
            .and_then(|v| <[u8; 8]>::try_from(v.value()).ok())
            .map(i64::from_le_bytes);
        let upcast_at = if let Some(at) = upcast_at {
            at
        } else {
            drop(read);
            let txn = self.db.begin_write().map_err(Error::storage)?;
            {
                let mut meta = txn.open_table(META).map_err(Error::storage)?;
                meta.insert(KEYS_UPCAST_AT, now.to_le_bytes().as_slice())
                    .map_err(Error::storage)?;
                let keys = txn.open_table(IDEMPOTENCY).map_err(Error::storage)?;
                let mut times = txn.open_table(KEY_TIMES).map_err(Error::storage)?;
                txn.open_table(KEY_TOMBSTONES).map_err(Error::storage)?;
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
        let read = self.db.begin_read().map_err(Error::storage)?;
        let oldest = read
            .open_table(KEY_TIMES)
            .map_err(Error::storage)?
            .first()
            .map_err(Error::storage)?
            .map(|(k, _)| k.value().0);
        let tombstones = !read
            .open_table(KEY_TOMBSTONES)
            .map_err(Error::storage)?
            .is_empty()
            .map_err(Error::storage)?;
        Ok(KeyClock {
            upcast_at,
            oldest,
            tombstones,
        })
    }
}

/// Packs the index rows of `moves` into `index_parts`, in key order and in batches, and
/// drops `moves`.
fn pack_moves(txn: &redb::WriteTransaction, block_events: u64) -> Result<()> {
    const BATCH: usize = 100_000;
    let moves = txn.open_table(V3_MOVES).map_err(Error::storage)?;
    let mut parts = txn.open_table(INDEX_PARTS).map_err(Error::storage)?;
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
    txn.delete_table(V3_MOVES).map_err(Error::storage)?;
    Ok(())
}

/// The block length the meta table records, if it does.
pub(super) fn stored_block_events(
    meta: &impl ReadableTable<&'static str, &'static [u8]>,
) -> Result<Option<u64>> {
    Ok(meta
        .get("block_events")
        .map_err(Error::storage)?
        .and_then(|v| <[u8; 8]>::try_from(v.value()).ok())
        .map(u64::from_le_bytes)
        .filter(|&n| n > 0))
}
