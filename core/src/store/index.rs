//! The point-in-time index: on hand of (sku, location) at any effective time or sequence.
//!
//! Raw rows hold each movement's signed units; two levels of bucket totals sit above
//! them. A query adds the coarse buckets before its own, the fine buckets inside its
//! coarse bucket, and the raw rows inside its fine bucket: a bounded number of rows
//! whatever the length of the history.

use std::collections::HashMap;

use redb::{ReadableTable, Table};

use crate::error::{Error, Result};

/// Which order a point-in-time question follows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Axis {
    /// Business time (`effective_at`, ms).
    Effective = 0,
    /// Log order (`seq`).
    Sequence = 1,
}

impl Axis {
    /// Bit widths of the (fine, coarse) buckets: ~18.6 h and ~49.7 days of effective time;
    /// 1,024 and 65,536 events of sequence.
    const fn shifts(self) -> (u32, u32) {
        match self {
            Axis::Effective => (26, 32),
            Axis::Sequence => (10, 16),
        }
    }
}

/// One side of one movement at a physical location.
pub(crate) struct IndexRow<'a> {
    pub sku: &'a str,
    pub location: &'a str,
    pub effective_at: i64,
    pub seq: u64,
    pub delta: i64,
}

type MovesTable<'t> = Table<'t, (&'static str, &'static str, u8, i64, u64), i64>;
type SumsTable<'t> = Table<'t, (&'static str, &'static str, u8, u8, i64), i64>;

/// Writes the raw rows and updates the bucket totals of a group of movements.
pub(crate) fn record(
    moves: &mut MovesTable<'_>,
    sums: &mut SumsTable<'_>,
    rows: &[IndexRow<'_>],
) -> Result<()> {
    let mut totals: HashMap<(&str, &str, u8, u8, i64), i64> = HashMap::new();
    for row in rows {
        for axis in [Axis::Effective, Axis::Sequence] {
            let ordinal = ordinal(axis, row.effective_at, row.seq);
            moves
                .insert((row.sku, row.location, axis as u8, ordinal, row.seq), row.delta)
                .map_err(Error::storage)?;
            let (fine, coarse) = axis.shifts();
            for (level, shift) in [(1u8, fine), (2u8, coarse)] {
                *totals
                    .entry((row.sku, row.location, axis as u8, level, ordinal >> shift))
                    .or_default() += row.delta;
            }
        }
    }
    for (key, delta) in totals {
        let old = sums.get(key).map_err(Error::storage)?.map_or(0, |v| v.value());
        sums.insert(key, old.saturating_add(delta)).map_err(Error::storage)?;
    }
    Ok(())
}

fn ordinal(axis: Axis, effective_at: i64, seq: u64) -> i64 {
    match axis {
        Axis::Effective => effective_at,
        Axis::Sequence => seq as i64,
    }
}

/// Units of (sku, location) at `ordinal` on `axis`, inclusive.
pub(crate) fn on_hand_at<M, S>(
    moves: &M,
    sums: &S,
    sku: &str,
    location: &str,
    axis: Axis,
    ordinal: i64,
) -> Result<i64>
where
    M: ReadableTable<(&'static str, &'static str, u8, i64, u64), i64>,
    S: ReadableTable<(&'static str, &'static str, u8, u8, i64), i64>,
{
    let a = axis as u8;
    let (fine_shift, coarse_shift) = axis.shifts();
    let coarse = ordinal >> coarse_shift;
    let fine = ordinal >> fine_shift;
    let mut total: i64 = 0;
    let mut add = |v: i64| total = total.saturating_add(v);
    for row in sums
        .range((sku, location, a, 2u8, i64::MIN)..(sku, location, a, 2u8, coarse))
        .map_err(Error::storage)?
    {
        add(row.map_err(Error::storage)?.1.value());
    }
    let fine_start = coarse << (coarse_shift - fine_shift);
    for row in sums
        .range((sku, location, a, 1u8, fine_start)..(sku, location, a, 1u8, fine))
        .map_err(Error::storage)?
    {
        add(row.map_err(Error::storage)?.1.value());
    }
    let raw_start = fine << fine_shift;
    for row in moves
        .range((sku, location, a, raw_start, 0u64)..=(sku, location, a, ordinal, u64::MAX))
        .map_err(Error::storage)?
    {
        add(row.map_err(Error::storage)?.1.value());
    }
    Ok(total)
}
