//! What opening the store hands the engine to rebuild its state: how far the index is
//! folded, the newest snapshot and a scan of the log, all read at one commit; and, once
//! the engine has replayed, the closed records it moved out that the file must keep.

use redb::{
    ReadOnlyTable, ReadTransaction, ReadableDatabase, ReadableTable, ReadableTableMetadata,
};

use super::file::stored_block_events;
use super::open::Store;
use super::recent::Folded;
use super::schema::{self, Archived, Closed, ClosedKind, RecentV1, StateV2};
use super::{CLOSED, EVENTS, META, SNAPSHOTS, log};
use crate::error::{Error, Result};
use crate::event::Envelope;

/// A decoded snapshot: the state, and the unfolded rows where the snapshot has them.
pub(crate) type Snapshot = (StateV2, Option<RecentV1>);

/// The store as last committed, read for a replay.
pub(crate) struct Replay {
    txn: ReadTransaction,
    folded: Folded,
    block_events: u64,
}

impl Store {
    /// Begins a replay: a read of the last commit, with how far its index is folded.
    pub(crate) fn begin_replay(&self) -> Result<Replay> {
        let txn = self.db.begin_read().map_err(Error::storage)?;
        let (folded, block_events) = read_folded(&txn)?;
        Ok(Replay {
            txn,
            folded,
            block_events,
        })
    }

    /// Keeps in the `closed` table the `records` (by kind and id) it does not hold yet:
    /// those a replay took out of memory in a file upgraded from a format before retention,
    /// whose whole log was replayed. Answers whether the table is empty.
    pub(crate) fn keep_closed<'r>(
        &self,
        records: impl IntoIterator<Item = ((ClosedKind, &'r str), &'r Closed)>,
    ) -> Result<bool> {
        let read = self.db.begin_read().map_err(Error::storage)?;
        let table = match read.open_table(CLOSED) {
            Ok(table) => Some(table),
            Err(redb::TableError::TableDoesNotExist(_)) => None,
            Err(e) => return Err(Error::storage(e)),
        };
        let mut missing = Vec::new();
        for ((kind, id), record) in records {
            let held = match &table {
                Some(t) => t.get((kind as u8, id)).map_err(Error::storage)?.is_some(),
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
        let txn = self.begin_write()?;
        txn.archive(&missing)?;
        txn.commit()?;
        Ok(false)
    }
}

impl Replay {
    /// Every row of every event up to `folded().seq` is in the stored index and history.
    pub(crate) fn folded(&self) -> Folded {
        self.folded
    }

    /// The file's index block length.
    pub(crate) fn block_events(&self) -> u64 {
        self.block_events
    }

    /// The newest snapshot, decoded: the state, and the unfolded rows where the snapshot
    /// has them (see [`schema::decode_snapshot`]). `Some(Err(_))` is a snapshot this build
    /// cannot read.
    pub(crate) fn newest_snapshot(&self) -> Result<Option<Result<Snapshot>>> {
        let snapshots = self.txn.open_table(SNAPSHOTS).map_err(Error::storage)?;
        let newest = snapshots.last().map_err(Error::storage)?;
        Ok(newest.map(|(_, bytes)| schema::decode_snapshot(bytes.value())))
    }

    /// Calls `visit` with every event from `from_seq` on, in order, while it answers true;
    /// the log is read and decoded ahead on a second thread (see [`log::scan_ahead`]).
    pub(crate) fn scan_log(
        &self,
        from_seq: u64,
        visit: impl FnMut(&Envelope) -> Result<bool>,
    ) -> Result<()> {
        let events: ReadOnlyTable<u64, &'static [u8]> =
            self.txn.open_table(EVENTS).map_err(Error::storage)?;
        log::scan_ahead(&events, from_seq, visit)
    }
}

/// How far folding went and the block length, as the file says.
fn read_folded(read: &ReadTransaction) -> Result<(Folded, u64)> {
    let meta = read.open_table(META).map_err(Error::storage)?;
    let folded = meta
        .get("folded")
        .map_err(Error::storage)?
        .ok_or_else(|| Error::storage_msg("the file does not say how far its index is folded"))?;
    let block_events = stored_block_events(&meta)?
        .ok_or_else(|| Error::storage_msg("the file does not say its index block length"))?;
    Ok((schema::decode_folded(folded.value())?, block_events))
}
