//! Per-item history: which events concern an item, in two tables.
//!
//! Keyed by item, every commit group would add a row at the end of each of its items'
//! ranges — one B-tree leaf per item, rewritten and flushed per group (a batch of 1,000
//! commands over 1,000 items rewrote most of the table's leaves). So the newest rows live
//! in `recent_item_events`, keyed (block, sku, seq) with a block of [`BLOCK_EVENTS`]
//! sequence numbers: a group adds them at the end of the table, in a few leaves. When a
//! group starts a new block, the rows of the older blocks are folded into `item_events`,
//! keyed (sku, seq), once per block instead of once per group. Folding happens inside the
//! group's transaction, so every reader's snapshot holds each pair exactly once, and all
//! rows of `item_events` come before all rows of `recent_item_events` in sequence.

use redb::{ReadableTable, Table};

use crate::error::{Error, Result};

/// Sequence numbers per block of the recent table.
pub(crate) const BLOCK_EVENTS: u64 = 4096;

type ArchiveTable<'t> = Table<'t, (&'static str, u64), ()>;
type RecentTable<'t> = Table<'t, (u64, &'static str, u64), ()>;

/// The block of the recent tables that `seq` falls in.
pub(crate) fn block(seq: u64) -> u64 {
    seq / BLOCK_EVENTS
}

/// Records a group's (sku, seq) pairs, folding the blocks before the block of `newest`
/// (the group's last sequence number) into the archive first.
pub(crate) fn record(
    archive: &mut ArchiveTable<'_>,
    recent: &mut RecentTable<'_>,
    pairs: &[(&str, u64)],
    newest: u64,
) -> Result<()> {
    if pairs.is_empty() {
        return Ok(());
    }
    let current = block(newest);
    let older: Vec<(u64, String, u64)> = recent
        .range((0u64, "", 0u64)..(current, "", 0u64))
        .map_err(Error::storage)?
        .map(|row| {
            let (key, ()) = row.map_err(Error::storage).map(|(k, v)| (k, v.value()))?;
            let (b, sku, seq) = key.value();
            Ok((b, sku.to_owned(), seq))
        })
        .collect::<Result<_>>()?;
    for (b, sku, seq) in &older {
        recent
            .remove((*b, sku.as_str(), *seq))
            .map_err(Error::storage)?;
        archive
            .insert((sku.as_str(), *seq), ())
            .map_err(Error::storage)?;
    }
    for &(sku, seq) in pairs {
        if block(seq) < current {
            archive.insert((sku, seq), ()).map_err(Error::storage)?;
        } else {
            recent
                .insert((block(seq), sku, seq), ())
                .map_err(Error::storage)?;
        }
    }
    Ok(())
}

/// Up to `limit` sequence numbers of events concerning `sku` in `from..=to`, ascending.
pub(crate) fn seqs<A, R>(
    archive: &A,
    recent: &R,
    sku: &str,
    from: u64,
    to: u64,
    limit: usize,
) -> Result<Vec<u64>>
where
    A: ReadableTable<(&'static str, u64), ()>,
    R: ReadableTable<(u64, &'static str, u64), ()>,
{
    let mut out = Vec::new();
    if from > to || limit == 0 {
        return Ok(out);
    }
    for row in archive
        .range((sku, from)..=(sku, to))
        .map_err(Error::storage)?
    {
        out.push(row.map_err(Error::storage)?.0.value().1);
        if out.len() == limit {
            return Ok(out);
        }
    }
    // The recent table spans a few blocks: look the item up in each one in range.
    let first = recent
        .first()
        .map_err(Error::storage)?
        .map(|(k, _)| k.value().0);
    let last = recent
        .last()
        .map_err(Error::storage)?
        .map(|(k, _)| k.value().0);
    let (Some(first), Some(last)) = (first, last) else {
        return Ok(out);
    };
    for b in first.max(block(from))..=last.min(block(to)) {
        for row in recent
            .range((b, sku, from)..=(b, sku, to))
            .map_err(Error::storage)?
        {
            out.push(row.map_err(Error::storage)?.0.value().2);
            if out.len() == limit {
                return Ok(out);
            }
        }
    }
    Ok(out)
}

/// Every (sku, seq) pair of both tables, and how many pairs were found in both.
pub(crate) fn all<A, R>(
    archive: &A,
    recent: &R,
) -> Result<(std::collections::BTreeSet<(String, u64)>, usize)>
where
    A: ReadableTable<(&'static str, u64), ()>,
    R: ReadableTable<(u64, &'static str, u64), ()>,
{
    let mut out = std::collections::BTreeSet::new();
    for row in archive.iter().map_err(Error::storage)? {
        let (key, _) = row.map_err(Error::storage)?;
        let (sku, seq) = key.value();
        out.insert((sku.to_owned(), seq));
    }
    let mut twice = 0;
    for row in recent.iter().map_err(Error::storage)? {
        let (key, _) = row.map_err(Error::storage)?;
        let (_, sku, seq) = key.value();
        if !out.insert((sku.to_owned(), seq)) {
            twice += 1;
        }
    }
    Ok((out, twice))
}
