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

use super::recent::{MoveRow, Recent};

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

    /// The (level, bucket) of the fine and the coarse total a change at `ordinal` counts in.
    fn buckets(ordinal: i64) -> [(u8, i64); 2] {
        let (fine, coarse) = Axis::SHIFTS;
        [(1, ordinal >> fine), (2, ordinal >> coarse)]
    }

    /// True when an axis code (see [`axis_code`]) is of the effective axis.
    fn is_effective(code: u8) -> bool {
        code & 1 == Axis::Effective as u8
    }
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

/// Writes a folded share of rows (in key order) into `moves`, and the effective-axis ones
/// into the two levels of bucket totals above them. By time a row holds a raw change, by
/// sequence the running total after it, so that a question by sequence is one lookup of
/// the last row at or before it. The bucket totals hold folded rows only; the unfolded ones
/// are added from memory (see [`value_at`]).
pub(crate) fn fold_rows(
    moves: &mut MovesTable<'_>,
    sums: &mut SumsTable<'_>,
    rows: &[MoveRow],
) -> Result<()> {
    let mut totals: std::collections::BTreeMap<(&str, &str, u8, u8, i64), i64> =
        std::collections::BTreeMap::new();
    for row in rows {
        moves.insert(row.key(), row.value).map_err(Error::storage)?;
        if Axis::is_effective(row.code) {
            for (level, bucket) in Axis::buckets(row.ordinal) {
                let key = (
                    row.sku.as_str(),
                    row.location.as_str(),
                    row.code,
                    level,
                    bucket,
                );
                let total = totals.entry(key).or_default();
                *total = total.saturating_add(row.value);
            }
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

/// The running total of the last sequence-axis row at or before `seq`: unfolded in
/// memory if one is (every unfolded row of a range is newer than its folded ones), else in
/// `moves`.
fn last_running<M>(
    moves: &M,
    recent: &Recent,
    sku: &str,
    location: &str,
    code: u8,
    seq: i64,
) -> Result<i64>
where
    M: ReadableTable<(&'static str, &'static str, u8, i64, u64), i64>,
{
    if let Some(value) = recent.last_running(sku, location, code, seq) {
        return Ok(value);
    }
    let mut range = moves
        .range((sku, location, code, i64::MIN, 0u64)..=(sku, location, code, seq, u64::MAX))
        .map_err(Error::storage)?;
    match range.next_back() {
        Some(row) => Ok(row.map_err(Error::storage)?.1.value()),
        None => Ok(0),
    }
}

/// The rows the index holds for `rows` once all are folded, as (key, value): what a
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

/// The bucket totals `fold_rows` keeps for `rows` (keyed as in `moves`): what the
/// `move_sums` table must hold for the folded rows.
pub(crate) fn expected_sums(
    rows: &std::collections::BTreeMap<(String, String, u8, i64, u64), i64>,
) -> std::collections::BTreeMap<(String, String, u8, u8, i64), i64> {
    let mut out = std::collections::BTreeMap::new();
    for ((sku, location, code, ordinal, _), value) in rows {
        if !Axis::is_effective(*code) {
            continue;
        }
        for (level, bucket) in Axis::buckets(*ordinal) {
            let key = (sku.clone(), location.clone(), *code, level, bucket);
            let total: &mut i64 = out.entry(key).or_default();
            *total = total.saturating_add(*value);
        }
    }
    out
}

/// Units of `measure` of (sku, location) at `ordinal` on `axis`, inclusive.
#[allow(clippy::too_many_arguments)] // the two tables and memory, then the question
pub(crate) fn value_at<M, S>(
    moves: &M,
    recent: &Recent,
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
    // The unfolded rows are in no bucket total: all of them up to the ordinal count.
    add(recent.sum(sku, location, a, i64::MIN, ordinal));
    Ok(total)
}

#[cfg(test)]
mod tests {
    use redb::{Database, ReadableDatabase};

    use super::*;
    use crate::store::recent::{BLOCK_EVENTS, Folded};
    use crate::store::{MOVE_SUMS, MOVES};

    /// Every answer of the index for (sku "S", locations L0..L3), both axes, from the rows
    /// written so far, against a plain recomputation.
    fn check(db: &Database, recent: &Recent, written: &[(String, i64, u64, i64)]) {
        let read = db.begin_read().unwrap();
        let moves = read.open_table(MOVES).unwrap();
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
                    recent,
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
    fn folding_blocks_in_small_shares_keeps_every_answer() {
        let db = Database::builder()
            .create_with_backend(redb::backends::InMemoryBackend::new())
            .unwrap();
        let txn = db.begin_write().unwrap();
        txn.open_table(MOVES).unwrap();
        txn.open_table(MOVE_SUMS).unwrap();
        txn.commit().unwrap();
        let mut recent = Recent::new(Folded::default(), BLOCK_EVENTS);
        let mut written: Vec<(String, i64, u64, i64)> = Vec::new();
        let mut running = [0i64; 4];
        // Groups of one row each; seq jumps into later blocks, so that several blocks wait
        // to be folded while each group folds only a few rows.
        let mut seq = 0u64;
        let mut folded = 0usize;
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
            recent.add(&[row], &[("S", seq)]);
            let txn = db.begin_write().unwrap();
            if let Some(share) = recent.take_share(recent.block(seq), 3) {
                folded += share.moves.len();
                let mut moves = txn.open_table(MOVES).unwrap();
                let mut sums = txn.open_table(MOVE_SUMS).unwrap();
                fold_rows(&mut moves, &mut sums, &share.moves).unwrap();
            }
            txn.commit().unwrap();
            written.push((location, effective_at, seq, delta));
            if n % 97 == 0 || n % 400 >= 398 {
                check(&db, &recent, &written);
            }
        }
        check(&db, &recent, &written);
        // Every row is somewhere exactly once, and some of each kind.
        let unfolded = recent.rows().count();
        assert_eq!(folded + unfolded, 2 * written.len());
        assert!(folded > 0 && unfolded > 0);
    }
}
