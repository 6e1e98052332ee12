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
pub(crate) type RecentMovesTable<'t> =
    Table<'t, (u64, &'static str, &'static str, u8, i64, u64), i64>;
type RecentKey<'a> = (u64, &'a str, &'a str, u8, i64, u64);
/// A row of `recent_moves`, owned: its key and its value.
type RecentRow = ((u64, String, String, u8, i64, u64), i64);
pub(crate) type SumsTable<'t> = Table<'t, (&'static str, &'static str, u8, u8, i64), i64>;

/// The fewest rows of older blocks a group folds into `moves`.
const FOLD_ROWS_MIN: usize = 256;

/// Writes a group's rows: on the effective axis a raw row each, on the sequence axis a row
/// holding the running total after the event, so that a question by sequence is one
/// lookup of the last row at or before it. [`record_sums`] adds the bucket totals above the
/// raw rows; the two touch different tables and may run at once.
///
/// The rows go to `recent` under the block of `newest` (the group's last sequence number).
/// Keyed by item and location, each group's rows would land at the ends of as many ranges
/// of `moves` and rewrite a leaf for each; at the end of `recent` they fill a few. Once a
/// group is in a newer block, each group folds a share of the older blocks' rows into
/// `moves`, in key order, so that the rows of one range move together — a leaf per range
/// about once per block instead of once per group. Folding happens inside the group's
/// transaction, so every snapshot holds each row once.
pub(crate) fn record_rows(
    moves: &mut MovesTable<'_>,
    recent: &mut RecentMovesTable<'_>,
    rows: &[IndexRow<'_>],
    newest: u64,
) -> Result<()> {
    let current = super::history::block(newest);
    // Twice the group's own rows (two per index row), and a floor for small groups.
    fold(moves, recent, current, rows.len() * 4 + FOLD_ROWS_MIN)?;
    for row in rows {
        // (location, seq) is unique per measure: an event moves stock between two
        // different locations, and changes one reservation. By time a raw change, by
        // sequence the running total after it.
        for (axis, ordinal, value) in [
            (Axis::Effective, row.effective_at, row.delta),
            (Axis::Sequence, row.seq as i64, row.running),
        ] {
            let code = axis_code(row.measure, axis);
            recent
                .insert(
                    (current, row.sku, row.location, code, ordinal, row.seq),
                    value,
                )
                .map_err(Error::storage)?;
        }
    }
    Ok(())
}

/// Moves up to `budget` rows of the blocks before `current` from `recent` into `moves`,
/// the oldest block first and in key order within it. A bounded share per group spreads a
/// block's fold over the groups of the next one instead of stalling one group; it keeps up
/// as long as each group folds more rows than it adds. Rows of one (item, location) in one
/// block are folded oldest first, so every row left in `recent` is newer than every row of
/// the same range in `moves`.
fn fold(
    moves: &mut MovesTable<'_>,
    recent: &mut RecentMovesTable<'_>,
    current: u64,
    budget: usize,
) -> Result<()> {
    let start: RecentKey<'_> = (0, "", "", 0, i64::MIN, 0);
    let end: RecentKey<'_> = (current, "", "", 0, i64::MIN, 0);
    let older: Vec<RecentRow> = recent
        .range(start..end)
        .map_err(Error::storage)?
        .take(budget)
        .map(|row| {
            let (key, value) = row.map_err(Error::storage)?;
            let (b, sku, location, code, ordinal, seq) = key.value();
            Ok((
                (b, sku.to_owned(), location.to_owned(), code, ordinal, seq),
                value.value(),
            ))
        })
        .collect::<Result<_>>()?;
    let Some(((b, sku, location, code, ordinal, seq), _)) = older.last() else {
        return Ok(());
    };
    for ((_, sku, location, code, ordinal, seq), value) in &older {
        moves
            .insert(
                (sku.as_str(), location.as_str(), *code, *ordinal, *seq),
                *value,
            )
            .map_err(Error::storage)?;
    }
    let last: RecentKey<'_> = (*b, sku.as_str(), location.as_str(), *code, *ordinal, *seq);
    recent
        .retain_in(start..=last, |_, _| false)
        .map_err(Error::storage)?;
    Ok(())
}

/// `recent_moves` as one read snapshot sees it, with the span of blocks it holds, looked
/// up once for all the questions asked of it.
pub(crate) struct RecentMoves<'t, R> {
    table: &'t R,
    /// The first and last block, if it holds any row.
    blocks: Option<(u64, u64)>,
}

impl<'t, R> RecentMoves<'t, R>
where
    R: ReadableTable<(u64, &'static str, &'static str, u8, i64, u64), i64>,
{
    pub(crate) fn new(table: &'t R) -> Result<Self> {
        let first = table.first().map_err(Error::storage)?;
        let last = table.last().map_err(Error::storage)?;
        let blocks = first
            .zip(last)
            .map(|((first, _), (last, _))| (first.value().0, last.value().0));
        Ok(RecentMoves { table, blocks })
    }
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

/// The running total of the last sequence-axis row at or before `seq`: in the newest
/// recent block that has one, else in `moves`.
fn last_running<M, R>(
    moves: &M,
    recent: &RecentMoves<'_, R>,
    sku: &str,
    location: &str,
    code: u8,
    seq: i64,
) -> Result<i64>
where
    M: ReadableTable<(&'static str, &'static str, u8, i64, u64), i64>,
    R: ReadableTable<(u64, &'static str, &'static str, u8, i64, u64), i64>,
{
    if let Some((first, last)) = recent.blocks {
        for b in (first..=last).rev() {
            let found = recent
                .table
                .range(
                    (b, sku, location, code, i64::MIN, 0u64)
                        ..=(b, sku, location, code, seq, u64::MAX),
                )
                .map_err(Error::storage)?
                .next_back();
            if let Some(row) = found {
                return Ok(row.map_err(Error::storage)?.1.value());
            }
        }
    }
    let mut range = moves
        .range((sku, location, code, i64::MIN, 0u64)..=(sku, location, code, seq, u64::MAX))
        .map_err(Error::storage)?;
    match range.next_back() {
        Some(row) => Ok(row.map_err(Error::storage)?.1.value()),
        None => Ok(0),
    }
}

/// The rows [`record_rows`] writes for `rows` on an empty index, as (key, value): what a
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
#[allow(clippy::too_many_arguments)] // the three tables, then the question
pub(crate) fn value_at<M, R, S>(
    moves: &M,
    recent: &RecentMoves<'_, R>,
    sums: &S,
    measure: Measure,
    sku: &str,
    location: &str,
    axis: Axis,
    ordinal: i64,
) -> Result<i64>
where
    M: ReadableTable<(&'static str, &'static str, u8, i64, u64), i64>,
    R: ReadableTable<(u64, &'static str, &'static str, u8, i64, u64), i64>,
    S: ReadableTable<(&'static str, &'static str, u8, u8, i64), i64>,
{
    let a = axis_code(measure, axis);
    if axis == Axis::Sequence {
        return last_running(moves, recent, sku, location, a, ordinal);
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
    if let Some((first, last)) = recent.blocks {
        for b in first..=last {
            for row in recent
                .table
                .range(
                    (b, sku, location, a, raw_start, 0u64)
                        ..=(b, sku, location, a, ordinal, u64::MAX),
                )
                .map_err(Error::storage)?
            {
                add(row.map_err(Error::storage)?.1.value());
            }
        }
    }
    Ok(total)
}

#[cfg(test)]
mod tests {
    use redb::{Database, ReadableDatabase, ReadableTableMetadata};

    use super::*;
    use crate::store::history::BLOCK_EVENTS;
    use crate::store::{MOVE_SUMS, MOVES, RECENT_MOVES};

    /// Every answer of the index for (sku "S", locations L0..L3), both axes, at every
    /// ordinal from the rows written so far, against a plain recomputation.
    fn check(db: &Database, written: &[(String, i64, u64, i64)]) {
        let read = db.begin_read().unwrap();
        let moves = read.open_table(MOVES).unwrap();
        let recent_table = read.open_table(RECENT_MOVES).unwrap();
        let recent = RecentMoves::new(&recent_table).unwrap();
        let sums = read.open_table(MOVE_SUMS).unwrap();
        // Around every fifth row written and the last ten: its sequence and business time,
        // and just before them.
        let probes: Vec<(u64, i64)> = written
            .iter()
            .enumerate()
            .filter(|(i, _)| i % 5 == 0 || i + 10 >= written.len())
            .flat_map(|(_, w)| [(w.2, w.1), (w.2 - 1, w.1 - 1)])
            .collect();
        for l in 0..4 {
            let location = format!("L{l}");
            let mine: Vec<_> = written.iter().filter(|w| w.0 == location).collect();
            let answer = |axis, ordinal| {
                value_at(
                    &moves,
                    &recent,
                    &sums,
                    Measure::OnHand,
                    "S",
                    &location,
                    axis,
                    ordinal,
                )
                .unwrap()
            };
            for &(seq, at) in &probes {
                let by_seq: i64 = mine.iter().filter(|w| w.2 <= seq).map(|w| w.3).sum();
                let by_time: i64 = mine.iter().filter(|w| w.1 <= at).map(|w| w.3).sum();
                assert_eq!(
                    answer(Axis::Sequence, seq as i64),
                    by_seq,
                    "{location} seq {seq}"
                );
                assert_eq!(answer(Axis::Effective, at), by_time, "{location} time {at}");
            }
        }
    }

    #[test]
    fn folding_a_block_in_small_shares_keeps_every_answer() {
        let db = Database::builder()
            .create_with_backend(redb::backends::InMemoryBackend::new())
            .unwrap();
        let mut written: Vec<(String, i64, u64, i64)> = Vec::new();
        let mut running = [0i64; 4];
        // Groups of one row each; seq jumps into later blocks, so that several blocks wait
        // to be folded while each group folds only FOLD_ROWS_MIN + 4 rows.
        let mut seq = 0u64;
        for n in 0..1_200u64 {
            seq += if n % 400 == 399 { BLOCK_EVENTS } else { 1 };
            let l = (n % 4) as usize;
            let delta = (n % 7) as i64 - 2;
            running[l] += delta;
            let location = format!("L{l}");
            // Effective time mostly in order, one in five back-dated.
            let effective_at = if n % 5 == 4 {
                (seq as i64 - 30) * 1_000
            } else {
                seq as i64 * 1_000
            };
            let row = IndexRow {
                measure: Measure::OnHand,
                sku: "S",
                location: &location,
                effective_at,
                seq,
                delta,
                running: running[l],
            };
            let txn = db.begin_write().unwrap();
            {
                let mut moves = txn.open_table(MOVES).unwrap();
                let mut recent = txn.open_table(RECENT_MOVES).unwrap();
                let mut sums = txn.open_table(MOVE_SUMS).unwrap();
                let rows = [row];
                record_rows(&mut moves, &mut recent, &rows, seq).unwrap();
                record_sums(&mut sums, &rows).unwrap();
            }
            txn.commit().unwrap();
            written.push((location, effective_at, seq, delta));
            if n % 97 == 0 || n % 400 >= 398 {
                check(&db, &written);
            }
        }
        check(&db, &written);
        // Every row is somewhere exactly once.
        let read = db.begin_read().unwrap();
        let moves = read.open_table(MOVES).unwrap().len().unwrap();
        let recent = read.open_table(RECENT_MOVES).unwrap().len().unwrap();
        assert_eq!(moves + recent, 2 * written.len() as u64);
        assert!(moves > 0 && recent > 0);
    }
}
