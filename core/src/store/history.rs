//! Per-item history: which events concern an item.
//!
//! `item_events`, keyed (sku, seq), holds the folded pairs; the newest ones are in memory
//! (see [`super::recent`]) until their block is folded. Folding goes oldest block first and
//! in key order within it, so every folded pair of an item is older than every unfolded
//! pair of that item: a reader takes the table's pairs first, then memory's.

use redb::{ReadableTable, Table};

use super::recent::{Pair, Recent};
use crate::error::{Error, Result};

type ArchiveTable<'t> = Table<'t, (&'static str, u64), ()>;

/// Writes a folded share of pairs into the table.
pub(crate) fn fold_pairs(archive: &mut ArchiveTable<'_>, pairs: &[Pair]) -> Result<()> {
    for (sku, seq) in pairs {
        archive
            .insert((sku.as_str(), *seq), ())
            .map_err(Error::storage)?;
    }
    Ok(())
}

/// Up to `limit` sequence numbers of events concerning `sku` in `from..=to`, ascending.
pub(crate) fn seqs<A>(
    archive: &A,
    recent: &Recent,
    sku: &str,
    from: u64,
    to: u64,
    limit: usize,
) -> Result<Vec<u64>>
where
    A: ReadableTable<(&'static str, u64), ()>,
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
    out.extend(
        recent
            .seqs(sku, from, to)
            .into_iter()
            .take(limit - out.len()),
    );
    Ok(out)
}

/// Every (sku, seq) pair of the table and of memory, and how many pairs were found in
/// both.
pub(crate) fn all<A>(
    archive: &A,
    recent: &Recent,
) -> Result<(std::collections::BTreeSet<(String, u64)>, usize)>
where
    A: ReadableTable<(&'static str, u64), ()>,
{
    let mut out = std::collections::BTreeSet::new();
    for row in archive.iter().map_err(Error::storage)? {
        let (key, _) = row.map_err(Error::storage)?;
        let (sku, seq) = key.value();
        out.insert((sku.to_owned(), seq));
    }
    let mut twice = 0;
    for (sku, seq) in recent.pairs() {
        if !out.insert((sku.to_string(), *seq)) {
            twice += 1;
        }
    }
    Ok((out, twice))
}
