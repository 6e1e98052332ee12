//! The storage seam: what the engine and the contexts' questions ask of the store, in
//! the store's own terms (events, per-item history, index values, snapshots, remembered
//! keys), so that no caller opens a table. Today one backend answers: a redb file. A
//! second backend (PostgreSQL) is another implementation of these calls, not a rewrite
//! of their callers.

use redb::{ReadOnlyTable, ReadTransaction, ReadableTable, WriteTransaction};

use super::index::{self, Axis, Measure, RowMap};
use super::log::{self, LogReader};
use super::recent::{Folded, Recent, Share};
use super::schema::{Archived, Closed, ClosedKind, decode_closed, encode_closed_into};
use super::{
    CLOSED, EVENTS, IDEMPOTENCY, INDEX_PARTS, ITEM_EVENTS, KEY_TIMES, KEY_TOMBSTONES, META,
    SNAPSHOTS, history,
};
use crate::error::{Error, Result};
use crate::event::Envelope;

/// A consistent read of the store at one commit: the file as committed and the index rows
/// and history pairs not yet folded into it, published together after each commit, so
/// that every row is counted once — folded in the file or unfolded beside it.
pub(crate) struct StoreRead {
    txn: ReadTransaction,
    recent: Recent,
}

/// The log, opened for reads by sequence number.
pub(crate) struct EventLog {
    table: ReadOnlyTable<u64, &'static [u8]>,
}

impl EventLog {
    /// A reader that keeps the last decoded chunk: cheap for sequences close together.
    pub(crate) fn reader(&self) -> LogReader<'_, ReadOnlyTable<u64, &'static [u8]>> {
        LogReader::new(&self.table)
    }

    /// Calls `f` with every event from `from_seq` on, in order, while it answers true.
    pub(crate) fn scan(
        &self,
        from_seq: u64,
        f: impl FnMut(Envelope) -> Result<bool>,
    ) -> Result<()> {
        log::scan(&self.table, from_seq, f)
    }
}

impl StoreRead {
    /// A read of the committed file with the unfolded rows of its time.
    pub(crate) fn new(txn: ReadTransaction, recent: Recent) -> StoreRead {
        StoreRead { txn, recent }
    }

    /// The unfolded index rows and history pairs of this read.
    pub(crate) fn recent(&self) -> &Recent {
        &self.recent
    }

    /// The log as of this read.
    pub(crate) fn event_log(&self) -> Result<EventLog> {
        let table = self.txn.open_table(EVENTS).map_err(Error::storage)?;
        Ok(EventLog { table })
    }

    /// Up to `limit` sequence numbers of events concerning `sku` in `from..=to`, ascending.
    pub(crate) fn item_seqs(
        &self,
        sku: &str,
        from: u64,
        to: u64,
        limit: usize,
    ) -> Result<Vec<u64>> {
        let archive = self.txn.open_table(ITEM_EVENTS).map_err(Error::storage)?;
        history::seqs(&archive, &self.recent, sku, from, to, limit)
    }

    /// Up to `limit` events concerning `sku`, from sequence `from_seq` on.
    pub(crate) fn item_history(
        &self,
        sku: &str,
        from_seq: u64,
        limit: usize,
    ) -> Result<Vec<Envelope>> {
        let seqs = self.item_seqs(sku, from_seq, u64::MAX, limit)?;
        let events = self.event_log()?;
        let mut log = events.reader();
        seqs.into_iter().map(|seq| log.get(seq).cloned()).collect()
    }

    /// Every (sku, seq) pair of the per-item history, and how many are both folded and in
    /// memory.
    pub(crate) fn item_history_all(
        &self,
    ) -> Result<(std::collections::BTreeSet<(String, u64)>, usize)> {
        let archive = self.txn.open_table(ITEM_EVENTS).map_err(Error::storage)?;
        history::all(&archive, &self.recent)
    }

    /// The value of `measure` of `sku` summed over `places` at `ordinal` on `axis`.
    pub(crate) fn index_value_at(
        &self,
        measure: Measure,
        sku: &str,
        places: &[String],
        axis: Axis,
        ordinal: i64,
    ) -> Result<i64> {
        let parts = self.txn.open_table(INDEX_PARTS).map_err(Error::storage)?;
        index::value_at(&parts, &self.recent, measure, sku, places, axis, ordinal)
    }

    /// The closed record `id` of `kind` that left memory, if there is one.
    pub(crate) fn closed(&self, kind: ClosedKind, id: &str) -> Result<Option<Closed>> {
        match self.txn.open_table(CLOSED) {
            Ok(table) => closed_get(&table, kind, id),
            Err(redb::TableError::TableDoesNotExist(_)) => Ok(None),
            Err(e) => Err(Error::storage(e)),
        }
    }

    /// Every closed record of `kind` that left memory, by id.
    pub(crate) fn closed_all(&self, kind: ClosedKind) -> Result<Vec<Closed>> {
        match self.txn.open_table(CLOSED) {
            Ok(table) => closed_of(&table, kind),
            Err(redb::TableError::TableDoesNotExist(_)) => Ok(Vec::new()),
            Err(e) => Err(Error::storage(e)),
        }
    }

    /// Every folded index row, and the problems found reading them.
    pub(crate) fn index_rows_folded(&self) -> Result<(RowMap, Vec<String>)> {
        let parts = self.txn.open_table(INDEX_PARTS).map_err(Error::storage)?;
        index::stored_rows(&parts, self.recent.block_events())
    }
}

fn closed_get(
    table: &impl ReadableTable<(u8, &'static str), &'static [u8]>,
    kind: ClosedKind,
    id: &str,
) -> Result<Option<Closed>> {
    let found = table.get((kind as u8, id)).map_err(Error::storage)?;
    found.map(|bytes| decode_closed(bytes.value())).transpose()
}

fn closed_of(
    table: &impl ReadableTable<(u8, &'static str), &'static [u8]>,
    kind: ClosedKind,
) -> Result<Vec<Closed>> {
    let mut out = Vec::new();
    let rows = table
        .range((kind as u8, "")..(kind as u8 + 1, ""))
        .map_err(Error::storage)?;
    for row in rows {
        let (_, bytes) = row.map_err(Error::storage)?;
        out.push(decode_closed(bytes.value())?);
    }
    Ok(out)
}

/// Up to `limit` events from sequence `from_seq` on, read in `txn`.
pub(crate) fn read_events(
    txn: &ReadTransaction,
    from_seq: u64,
    limit: usize,
) -> Result<Vec<Envelope>> {
    let table = txn.open_table(EVENTS).map_err(Error::storage)?;
    let mut out = Vec::new();
    if limit > 0 {
        log::scan(&table, from_seq, |env| {
            out.push(env);
            Ok(out.len() < limit)
        })?;
    }
    Ok(out)
}

/// One write of the store: a commit group's events, folded index rows and history pairs,
/// remembered keys and snapshot, all committed at once or not at all.
pub(crate) struct StoreWrite {
    txn: WriteTransaction,
}

impl StoreWrite {
    /// A write in `txn`.
    pub(crate) fn new(txn: WriteTransaction) -> StoreWrite {
        StoreWrite { txn }
    }

    /// Whether the commit is flushed before it returns (`false`: left for a later flush).
    pub(crate) fn set_durable(&mut self, durable: bool) -> Result<()> {
        let durability = if durable {
            redb::Durability::Immediate
        } else {
            redb::Durability::None
        };
        self.txn.set_durability(durability).map_err(Error::storage)
    }

    /// Appends `events` (in sequence order, after the last one written) to the log.
    pub(crate) fn append_events(&self, events: &[Envelope]) -> Result<()> {
        let mut table = self.txn.open_table(EVENTS).map_err(Error::storage)?;
        log::append(&mut table, events)
    }

    /// Folds a share of the unfolded rows and pairs into the stored index and history,
    /// and records how far folding went.
    pub(crate) fn fold(&self, share: &Share, folded: Folded, block_events: u64) -> Result<()> {
        let mut parts = self.txn.open_table(INDEX_PARTS).map_err(Error::storage)?;
        index::fold_rows(&mut parts, &share.moves, block_events)?;
        let mut archive = self.txn.open_table(ITEM_EVENTS).map_err(Error::storage)?;
        history::fold_pairs(&mut archive, &share.pairs)?;
        self.txn
            .open_table(META)
            .map_err(Error::storage)?
            .insert("folded", super::schema::encode_folded(&folded)?.as_slice())
            .map_err(Error::storage)?;
        Ok(())
    }

    /// The record remembered for the idempotency `key`, as stored.
    pub(crate) fn recall_key(&self, key: &str) -> Result<Option<Vec<u8>>> {
        let table = self.txn.open_table(IDEMPOTENCY).map_err(Error::storage)?;
        let found = table.get(key).map_err(Error::storage)?;
        Ok(found.map(|bytes| bytes.value().to_vec()))
    }

    /// Remembers `record` for each idempotency key, recorded at the given time (which
    /// `key_times` keeps, for pruning in order).
    pub(crate) fn remember_keys<'k>(
        &self,
        records: impl IntoIterator<Item = (&'k str, Vec<u8>, i64)>,
    ) -> Result<()> {
        let mut table = self.txn.open_table(IDEMPOTENCY).map_err(Error::storage)?;
        let mut times = self.txn.open_table(KEY_TIMES).map_err(Error::storage)?;
        for (key, record, at) in records {
            table
                .insert(key, record.as_slice())
                .map_err(Error::storage)?;
            times.insert((at, key), ()).map_err(Error::storage)?;
        }
        Ok(())
    }

    /// Whether `key` expired and its record was pruned.
    pub(crate) fn key_tombstoned(&self, key: &str) -> Result<bool> {
        let table = self
            .txn
            .open_table(KEY_TOMBSTONES)
            .map_err(Error::storage)?;
        let found = table.get(key_tombstone(key)).map_err(Error::storage)?;
        Ok(found.is_some())
    }

    /// Prunes up to `max` remembered keys recorded at or before `cutoff`, oldest first: each
    /// record goes, a tombstone stays. Answers how many went and the recording time of the
    /// oldest key left.
    pub(crate) fn prune_keys(&self, cutoff: i64, max: usize) -> Result<(usize, Option<i64>)> {
        let mut times = self.txn.open_table(KEY_TIMES).map_err(Error::storage)?;
        let due: Vec<(i64, String)> = times
            .range(..(cutoff.saturating_add(1), ""))
            .map_err(Error::storage)?
            .take(max)
            .map(|row| row.map(|(k, _)| (k.value().0, k.value().1.to_owned())))
            .collect::<std::result::Result<_, _>>()
            .map_err(Error::storage)?;
        let mut records = self.txn.open_table(IDEMPOTENCY).map_err(Error::storage)?;
        let mut tombstones = self
            .txn
            .open_table(KEY_TOMBSTONES)
            .map_err(Error::storage)?;
        for (at, key) in &due {
            records.remove(key.as_str()).map_err(Error::storage)?;
            tombstones
                .insert(key_tombstone(key), ())
                .map_err(Error::storage)?;
            times.remove((*at, key.as_str())).map_err(Error::storage)?;
        }
        let next = times
            .first()
            .map_err(Error::storage)?
            .map(|(k, _)| k.value().0);
        Ok((due.len(), next))
    }

    /// Applies `changes` to the `closed` table, in order: a record that left memory is kept
    /// under its (kind, id), replacing what an earlier departure kept; one that came back
    /// is forgotten.
    pub(crate) fn archive(&self, changes: &[Archived]) -> Result<()> {
        let mut table = self.txn.open_table(CLOSED).map_err(Error::storage)?;
        // One buffer for every record: a group moves thousands out at a bucket's turn.
        let mut bytes = Vec::with_capacity(256);
        for change in changes {
            match change {
                Archived::Put(record) => {
                    let (kind, id) = record.key();
                    bytes.clear();
                    encode_closed_into(record, &mut bytes)?;
                    table
                        .insert((kind as u8, id), bytes.as_slice())
                        .map_err(Error::storage)?;
                }
                Archived::Remove(kind, id) => {
                    table
                        .remove((*kind as u8, id.as_str()))
                        .map_err(Error::storage)?;
                }
            }
        }
        Ok(())
    }

    /// The closed record `id` of `kind` that left memory, as committed so far.
    pub(crate) fn closed(&self, kind: ClosedKind, id: &str) -> Result<Option<Closed>> {
        let table = self.txn.open_table(CLOSED).map_err(Error::storage)?;
        closed_get(&table, kind, id)
    }

    /// Calls `f` with the (kind, id) of every closed record that left memory, as
    /// committed so far (keys only: no record is decoded).
    pub(crate) fn closed_keys(&self, f: &mut dyn FnMut(ClosedKind, &str)) -> Result<()> {
        let table = self.txn.open_table(CLOSED).map_err(Error::storage)?;
        for row in table.iter().map_err(Error::storage)? {
            let (key, _) = row.map_err(Error::storage)?;
            let (tag, id) = key.value();
            let kind = ClosedKind::from_tag(tag)
                .ok_or_else(|| Error::storage_msg(format!("closed: unknown kind {tag}")))?;
            f(kind, id);
        }
        Ok(())
    }

    /// Stores `snapshot`, taken at `seq`, as the only snapshot.
    pub(crate) fn write_snapshot(&self, seq: u64, snapshot: &[u8]) -> Result<()> {
        let mut table = self.txn.open_table(SNAPSHOTS).map_err(Error::storage)?;
        // Only the newest snapshot is kept: older ones would only cost space.
        let older: Vec<u64> = table
            .iter()
            .map_err(Error::storage)?
            .filter_map(|r| r.ok().map(|(k, _)| k.value()))
            .collect();
        for old in older {
            table.remove(old).map_err(Error::storage)?;
        }
        table.insert(seq, snapshot).map_err(Error::storage)?;
        Ok(())
    }

    /// Commits everything written.
    pub(crate) fn commit(self) -> Result<()> {
        self.txn.commit().map_err(Error::storage)
    }

    /// Drops everything written.
    pub(crate) fn abort(self) -> Result<()> {
        self.txn.abort().map_err(Error::storage)
    }
}

/// The tombstone of an idempotency key: its 64-bit FNV-1a hash, stable across builds and
/// platforms (it is stored). Two keys share a tombstone with a chance of about 2^-64 per
/// pair: a new key that hits an expired key's tombstone is refused as `key_expired`.
pub(crate) fn key_tombstone(key: &str) -> u64 {
    const OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
    const PRIME: u64 = 0x0000_0100_0000_01b3;
    key.bytes()
        .fold(OFFSET, |h, b| (h ^ u64::from(b)).wrapping_mul(PRIME))
}

#[cfg(test)]
mod tests {
    /// The hash is stored: it must never change.
    #[test]
    fn the_key_tombstone_is_fnv1a_64() {
        assert_eq!(super::key_tombstone(""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(super::key_tombstone("a"), 0xaf63_dc4c_8601_ec8c);
        assert_eq!(super::key_tombstone("foobar"), 0x8594_4171_f739_67e8);
    }
}
