//! The point-in-time index: on hand (and reserved) of (sku, location) at any effective
//! time or sequence.
//!
//! By sequence, each change writes the running total after it, so a question is one
//! lookup of the last row at or before the sequence. By effective time, a late-entered
//! change can land anywhere in the past, so raw rows hold each change's signed units and
//! two levels of bucket totals sit above them: a query adds the coarse buckets before its
//! own, the fine buckets inside its coarse bucket, and the raw rows inside its fine bucket
//! — a bounded number of rows whatever the length of the history.

use crate::collections::HashMap;

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
    /// Bit widths of the (fine, coarse) buckets of effective time: ~18.6 h and ~49.7 days.
    const SHIFTS: (u32, u32) = (26, 32);
}

/// What an index row counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) enum Measure {
    /// On hand: one side of a movement at a physical location.
    OnHand = 0,
    /// Reserved: a change of a reservation at its scope.
    Reserved = 2,
}

/// The byte that keys a (measure, axis) pair in the tables.
pub(crate) const fn axis_code(measure: Measure, axis: Axis) -> u8 {
    measure as u8 + axis as u8
}

/// One change of one measure at one location.
pub(crate) struct IndexRow<'a> {
    pub measure: Measure,
    pub sku: &'a str,
    pub location: &'a str,
    pub effective_at: i64,
    pub seq: u64,
    pub delta: i64,
    /// The total at (sku, location) after this change, from the writer's state.
    pub running: i64,
}

pub(crate) type MovesTable<'t> = Table<'t, (&'static str, &'static str, u8, i64, u64), i64>;
pub(crate) type SumsTable<'t> = Table<'t, (&'static str, &'static str, u8, u8, i64), i64>;

/// Writes a group's rows into `moves`: on the effective axis a raw row each, on the
/// sequence axis a row holding the running total after the event, so that a question by
/// sequence is one lookup of the last row at or before it. [`record_sums`] adds the
/// bucket totals above the raw rows; the two touch different tables and may run at once.
pub(crate) fn record_rows(moves: &mut MovesTable<'_>, rows: &[IndexRow<'_>]) -> Result<()> {
    for row in rows {
        // (location, seq) is unique per measure: an event moves stock between two
        // different locations, and changes one reservation.
        let code = axis_code(row.measure, Axis::Effective);
        moves
            .insert(
                (row.sku, row.location, code, row.effective_at, row.seq),
                row.delta,
            )
            .map_err(Error::storage)?;
        let code = axis_code(row.measure, Axis::Sequence);
        moves
            .insert(
                (row.sku, row.location, code, row.seq as i64, row.seq),
                row.running,
            )
            .map_err(Error::storage)?;
    }
    Ok(())
}

/// Adds a group's rows to the two levels of bucket totals on the effective axis.
pub(crate) fn record_sums(sums: &mut SumsTable<'_>, rows: &[IndexRow<'_>]) -> Result<()> {
    let mut totals: HashMap<(&str, &str, u8, u8, i64), i64> = HashMap::default();
    for row in rows {
        let code = axis_code(row.measure, Axis::Effective);
        let (fine, coarse) = Axis::SHIFTS;
        for (level, shift) in [(1u8, fine), (2u8, coarse)] {
            *totals
                .entry((
                    row.sku,
                    row.location,
                    code,
                    level,
                    row.effective_at >> shift,
                ))
                .or_default() += row.delta;
        }
    }
    for (key, delta) in totals {
        let old = sums
            .get(key)
            .map_err(Error::storage)?
            .map_or(0, |v| v.value());
        sums.insert(key, old.saturating_add(delta))
            .map_err(Error::storage)?;
    }
    Ok(())
}

/// The running total of the last sequence-axis row at or before `seq`.
fn last_running<M>(moves: &M, sku: &str, location: &str, code: u8, seq: i64) -> Result<i64>
where
    M: ReadableTable<(&'static str, &'static str, u8, i64, u64), i64>,
{
    let mut range = moves
        .range((sku, location, code, i64::MIN, 0u64)..=(sku, location, code, seq, u64::MAX))
        .map_err(Error::storage)?;
    match range.next_back() {
        Some(row) => Ok(row.map_err(Error::storage)?.1.value()),
        None => Ok(0),
    }
}

/// The rows [`record`] writes for `rows` on an empty index, as (key, value): what a
/// rebuild from the log must find in the table.
pub(crate) fn expected_rows<'a>(
    rows: impl IntoIterator<Item = IndexRow<'a>>,
) -> std::collections::BTreeMap<(String, String, u8, i64, u64), i64> {
    let mut out = std::collections::BTreeMap::new();
    let mut running: HashMap<(String, String, u8), i64> = HashMap::default();
    for row in rows {
        let code = axis_code(row.measure, Axis::Effective);
        out.insert(
            (
                row.sku.to_owned(),
                row.location.to_owned(),
                code,
                row.effective_at,
                row.seq,
            ),
            row.delta,
        );
        let code = axis_code(row.measure, Axis::Sequence);
        let total = running
            .entry((row.sku.to_owned(), row.location.to_owned(), code))
            .or_default();
        *total = total.saturating_add(row.delta);
        out.insert(
            (
                row.sku.to_owned(),
                row.location.to_owned(),
                code,
                row.seq as i64,
                row.seq,
            ),
            *total,
        );
    }
    out
}

/// Units of `measure` of (sku, location) at `ordinal` on `axis`, inclusive.
pub(crate) fn value_at<M, S>(
    moves: &M,
    sums: &S,
    measure: Measure,
    sku: &str,
    location: &str,
    axis: Axis,
    ordinal: i64,
) -> Result<i64>
where
    M: ReadableTable<(&'static str, &'static str, u8, i64, u64), i64>,
    S: ReadableTable<(&'static str, &'static str, u8, u8, i64), i64>,
{
    let a = axis_code(measure, axis);
    if axis == Axis::Sequence {
        return last_running(moves, sku, location, a, ordinal);
    }
    let (fine_shift, coarse_shift) = Axis::SHIFTS;
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
