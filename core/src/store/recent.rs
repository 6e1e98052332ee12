//! The newest point-in-time rows and per-item history pairs, kept in memory.
//!
//! The index and the history are derived from the log, which is the only truth and is
//! written by every commit group anyway. Written to tables keyed by item, each group
//! rewrote a leaf per item it touched: most of a group's pages and B-tree inserts. So the
//! rows of the newest events stay in memory, in blocks of [`BLOCK_EVENTS`] sequence
//! numbers, as sorted runs; once a block is complete, each group folds a share of it into
//! `index_parts` and `item_events`, in key order, so that the rows of one item and block
//! are packed together (see [`super::index`]). A file keeps the block length it was
//! created with (`meta["block_events"]`). The meta table records how far folding
//! went ([`Folded`]), in the group's own transaction; a snapshot carries the unfolded rows
//! of its time, and opening regenerates the rows of the events after it while replaying
//! them — nothing written here can be lost, because nothing here is the truth.
//!
//! Readers see a [`Recent`] together with the redb snapshot committed with it (see
//! [`super::backend::StoreRead`]), so every row is counted once: either folded in that
//! snapshot, or unfolded in this copy.

use std::collections::BTreeMap;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use super::row::{Axis, IndexRow, RowKey, axis_code};
pub(crate) use super::row::{MoveRow, Pair};

/// Sequence numbers per block of a new file, unless its options say otherwise.
pub(crate) const BLOCK_EVENTS: u64 = 65_536;

/// How far folding went, stored in the meta table: every row of every event up to `seq`
/// is in the tables, and of the block being folded (the rows of its events after `seq`,
/// in key order) the first `moves_done` index rows and `pairs_done` history pairs are.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Folded {
    pub seq: u64,
    pub block: Option<u64>,
    pub moves_done: u64,
    pub pairs_done: u64,
}

impl Folded {
    /// The same progress with no block under way: what holds before a block's fold is
    /// resumed.
    fn settled(self) -> Folded {
        Folded {
            seq: self.seq,
            ..Folded::default()
        }
    }
}

/// Sorted runs: each group adds one; a run merges with the one before it until that one is
/// more than twice as long, so a block of n rows is a few (log n) runs and each row is
/// copied a few times. Once the block is complete, folding takes its rows in key order
/// across the runs, run by run up to `done[i]`: no run is copied again, so a fold never
/// stalls a group on sorting a whole block.
#[derive(Debug, Clone)]
struct Runs<T> {
    runs: Vec<Arc<Vec<T>>>,
    /// Per run, how many of its first rows are folded.
    done: Vec<usize>,
}

impl<T> Default for Runs<T> {
    fn default() -> Self {
        Runs {
            runs: Vec::new(),
            done: Vec::new(),
        }
    }
}

impl<T: Ord + Clone> Runs<T> {
    fn add(&mut self, mut run: Vec<T>) {
        if run.is_empty() {
            return;
        }
        run.sort_unstable();
        while let Some(last) = self.runs.last() {
            if last.len() > 2 * run.len() {
                break;
            }
            let last = self.runs.pop().expect("a last run");
            self.done.pop();
            run = merge(&last, run);
        }
        self.runs.push(Arc::new(run));
        self.done.push(0);
    }

    /// The rows not yet folded, run by run (each part sorted).
    fn unfolded(&self) -> impl Iterator<Item = &[T]> {
        self.runs
            .iter()
            .zip(&self.done)
            .map(|(run, &done)| run.get(done.min(run.len())..).unwrap_or_default())
    }

    /// Up to `n` of the smallest rows not yet folded, marked folded.
    fn take(&mut self, n: usize, out: &mut Vec<T>) {
        for _ in 0..n {
            let next = self
                .runs
                .iter()
                .zip(&self.done)
                .enumerate()
                .filter_map(|(i, (run, &done))| run.get(done).map(|row| (i, row)))
                .min_by(|a, b| a.1.cmp(b.1));
            let Some((i, row)) = next else { break };
            out.push(row.clone());
            self.done[i] += 1;
        }
    }

    /// How many rows are folded.
    fn folded(&self) -> usize {
        self.done.iter().sum()
    }

    /// Marks the `n` smallest rows folded (after a reopen: the runs are not those that
    /// were folded from, but the smallest rows are the same).
    fn skip(&mut self, n: usize) {
        self.done.iter_mut().for_each(|d| *d = 0);
        let mut sink = Vec::new();
        let mut left = n;
        while left > 0 {
            sink.clear();
            let step = left.min(4096);
            self.take(step, &mut sink);
            if sink.len() < step {
                break;
            }
            left -= step;
        }
    }

    fn len(&self) -> usize {
        self.runs.iter().map(|r| r.len()).sum()
    }
}

fn merge<T: Ord + Clone>(a: &[T], b: Vec<T>) -> Vec<T> {
    let mut out = Vec::with_capacity(a.len() + b.len());
    let mut a = a.iter().peekable();
    let mut b = b.into_iter().peekable();
    loop {
        let take_a = match (a.peek(), b.peek()) {
            (Some(x), Some(y)) => *x <= y,
            (Some(_), None) => true,
            (None, Some(_)) => false,
            (None, None) => break,
        };
        if take_a {
            out.push(a.next().expect("peeked").clone());
        } else {
            out.push(b.next().expect("peeked"));
        }
    }
    out
}

/// The rows and pairs of one block.
#[derive(Debug, Clone, Default)]
struct Block {
    moves: Runs<MoveRow>,
    pairs: Runs<Pair>,
}

impl Block {
    /// Every run with the part not yet folded.
    fn move_runs(&self) -> impl Iterator<Item = &[MoveRow]> {
        self.moves.unfolded()
    }

    fn pair_runs(&self) -> impl Iterator<Item = &[Pair]> {
        self.pairs.unfolded()
    }
}

/// The rows of `run` whose keys lie in `lo..=hi`.
fn range<'r>(run: &'r [MoveRow], lo: RowKey<'_>, hi: RowKey<'_>) -> &'r [MoveRow] {
    let start = run.partition_point(|r| r.key() < lo);
    let end = run.partition_point(|r| r.key() <= hi);
    &run[start..end.max(start)]
}

/// The unfolded rows and pairs, by block.
#[derive(Debug, Clone)]
pub(crate) struct Recent {
    blocks: BTreeMap<u64, Block>,
    folded: Folded,
    /// Sequence numbers per block.
    block_events: u64,
}

/// A share of a block to fold, taken by [`Recent::take_share`].
pub(crate) struct Share {
    pub moves: Vec<MoveRow>,
    pub pairs: Vec<Pair>,
}

/// The image of [`Recent`] a snapshot stores: every row and pair of the blocks not yet
/// completely folded at its time (how far folding went is read from the file when it is
/// opened). Rows as plain tuples: (sku, location, code, ordinal, seq, value). It is the
/// schema's stored record itself.
pub(crate) type RecentImage = super::schema::RecentV1;

impl Recent {
    /// Nothing unfolded, folding at `folded`, in blocks of `block_events` sequence numbers.
    pub(crate) fn new(folded: Folded, block_events: u64) -> Recent {
        Recent {
            blocks: BTreeMap::new(),
            folded,
            block_events: block_events.max(1),
        }
    }

    /// Sequence numbers per block.
    pub(crate) fn block_events(&self) -> u64 {
        self.block_events
    }

    /// The block that `seq` falls in.
    pub(crate) fn block(&self, seq: u64) -> u64 {
        seq / self.block_events
    }

    /// How far folding went.
    pub(crate) fn folded(&self) -> Folded {
        self.folded
    }

    /// Adds a group's rows (both axes of each index row) and history pairs, each in the
    /// block of its own sequence number. Events already folded are skipped (on replay).
    pub(crate) fn add(&mut self, rows: &[IndexRow<'_>], pairs: &[(&str, u64)]) {
        let floor = self.folded.seq;
        let mut moves = Vec::with_capacity(2 * rows.len());
        for row in rows.iter().filter(|r| r.seq > floor) {
            for (axis, ordinal, value) in [
                (Axis::Effective, row.effective_at, row.delta),
                (Axis::Sequence, row.seq as i64, row.running),
            ] {
                moves.push(MoveRow {
                    sku: row.sku.into(),
                    location: row.location.into(),
                    code: axis_code(row.measure, axis),
                    ordinal,
                    seq: row.seq,
                    value,
                });
            }
        }
        let pairs = pairs
            .iter()
            .filter(|p| p.1 > floor)
            .map(|&(sku, seq)| (sku.into(), seq))
            .collect();
        self.add_runs(moves, pairs);
    }

    /// Adds rows and pairs as one run per block they fall in.
    fn add_runs(&mut self, moves: Vec<MoveRow>, pairs: Vec<Pair>) {
        let mut moves_by_block: BTreeMap<u64, Vec<MoveRow>> = BTreeMap::new();
        for row in moves {
            moves_by_block
                .entry(self.block(row.seq))
                .or_default()
                .push(row);
        }
        let mut pairs_by_block: BTreeMap<u64, Vec<Pair>> = BTreeMap::new();
        for pair in pairs {
            pairs_by_block
                .entry(self.block(pair.1))
                .or_default()
                .push(pair);
        }
        for (b, run) in moves_by_block {
            self.blocks.entry(b).or_default().moves.add(run);
        }
        for (b, run) in pairs_by_block {
            self.blocks.entry(b).or_default().pairs.add(run);
        }
    }

    /// Takes the next share of at most `budget` rows and pairs of the oldest block before
    /// `current`, in key order, and records it as folded. The caller writes the share in
    /// the same transaction as [`Recent::folded`].
    pub(crate) fn take_share(&mut self, current: u64, budget: usize) -> Option<Share> {
        let mut share = Share {
            moves: Vec::new(),
            pairs: Vec::new(),
        };
        let mut left = budget;
        while left > 0 {
            let Some((&b, _)) = self.blocks.first_key_value() else {
                break;
            };
            if b >= current {
                break;
            }
            let block = self.blocks.get_mut(&b).expect("the first block");
            self.folded.block = Some(b);
            let before = share.moves.len();
            block.moves.take(left, &mut share.moves);
            left -= share.moves.len() - before;
            let before = share.pairs.len();
            block.pairs.take(left, &mut share.pairs);
            left -= share.pairs.len() - before;
            self.folded.moves_done = block.moves.folded() as u64;
            self.folded.pairs_done = block.pairs.folded() as u64;
            if block.moves.folded() >= block.moves.len()
                && block.pairs.folded() >= block.pairs.len()
            {
                self.blocks.remove(&b);
                self.folded = Folded {
                    seq: self.folded.seq.max((b + 1) * self.block_events - 1),
                    ..Folded::default()
                };
            }
        }
        (!share.moves.is_empty() || !share.pairs.is_empty()).then_some(share)
    }

    /// The value of the last sequence-axis row of (sku, location, code) at or before `seq`,
    /// if an unfolded one exists: every unfolded row of a range is newer than its folded
    /// ones, so it is then the answer.
    pub(crate) fn last_running(
        &self,
        sku: &str,
        location: &str,
        code: u8,
        seq: i64,
    ) -> Option<i64> {
        let lo = (sku, location, code, i64::MIN, 0);
        let hi = (sku, location, code, seq, u64::MAX);
        for block in self.blocks.values().rev() {
            let best = block
                .move_runs()
                .filter_map(|run| range(run, lo, hi).last())
                .max_by(|a, b| a.key().cmp(&b.key()));
            if let Some(row) = best {
                return Some(row.value);
            }
        }
        None
    }

    /// The sum of the unfolded rows of (sku, location, code) with ordinals in `from..=to`.
    pub(crate) fn sum(&self, sku: &str, location: &str, code: u8, from: i64, to: i64) -> i64 {
        let lo = (sku, location, code, from, 0);
        let hi = (sku, location, code, to, u64::MAX);
        self.blocks
            .values()
            .flat_map(Block::move_runs)
            .flat_map(|run| range(run, lo, hi))
            .fold(0i64, |acc, r| acc.saturating_add(r.value))
    }

    /// The unfolded sequence numbers of `sku`'s history in `from..=to`, ascending.
    pub(crate) fn seqs(&self, sku: &str, from: u64, to: u64) -> Vec<u64> {
        let mut out: Vec<u64> = Vec::new();
        for run in self.blocks.values().flat_map(Block::pair_runs) {
            let start = run.partition_point(|(s, q)| (s.as_str(), *q) < (sku, from));
            out.extend(
                run[start..]
                    .iter()
                    .take_while(|(s, q)| s.as_str() == sku && *q <= to)
                    .map(|(_, q)| *q),
            );
        }
        out.sort_unstable();
        out
    }

    /// Every unfolded row.
    pub(crate) fn rows(&self) -> impl Iterator<Item = &MoveRow> {
        self.blocks
            .values()
            .flat_map(Block::move_runs)
            .flat_map(|run| run.iter())
    }

    /// Every unfolded history pair.
    pub(crate) fn pairs(&self) -> impl Iterator<Item = &Pair> {
        self.blocks
            .values()
            .flat_map(Block::pair_runs)
            .flat_map(|run| run.iter())
    }

    /// Every row and pair of the blocks not yet completely folded, for a snapshot.
    pub(crate) fn to_image(&self) -> RecentImage {
        let all_moves = self
            .blocks
            .values()
            .flat_map(|b| b.moves.runs.iter().flat_map(|r| r.iter()));
        let all_pairs = self
            .blocks
            .values()
            .flat_map(|b| b.pairs.runs.iter().flat_map(|r| r.iter()));
        RecentImage {
            moves: all_moves
                .map(|r| {
                    let (sku, location) = (r.sku.to_string(), r.location.to_string());
                    (sku, location, r.code, r.ordinal, r.seq, r.value)
                })
                .collect(),
            pairs: all_pairs.map(|(s, q)| (s.to_string(), *q)).collect(),
        }
    }

    /// The rows of a snapshot's image, set at `folded` (what the file says now: folding may
    /// have gone on after the snapshot).
    pub(crate) fn from_image(image: RecentImage, folded: Folded, block_events: u64) -> Recent {
        let mut recent = Recent::new(folded.settled(), block_events);
        let floor = folded.seq;
        let moves = image
            .moves
            .into_iter()
            .filter(|r| r.4 > floor)
            .map(|(sku, location, code, ordinal, seq, value)| {
                MoveRow::from_key((&sku, &location, code, ordinal, seq), value)
            })
            .collect();
        let pairs = image
            .pairs
            .into_iter()
            .filter(|p| p.1 > floor)
            .map(|(sku, seq)| (sku.into(), seq))
            .collect();
        recent.add_runs(moves, pairs);
        recent
    }

    /// Once every row after the folded sequence is back (from a snapshot and replay),
    /// drops what the file says is already folded: the blocks before the one being folded,
    /// and that block's first rows and pairs in key order.
    pub(crate) fn resume(&mut self, folded: Folded) {
        self.folded = folded.settled();
        let Some(b) = folded.block else {
            return;
        };
        self.blocks.retain(|&k, _| k >= b);
        let block = self.blocks.entry(b).or_default();
        block
            .moves
            .skip(usize::try_from(folded.moves_done).unwrap_or(usize::MAX));
        block
            .pairs
            .skip(usize::try_from(folded.pairs_done).unwrap_or(usize::MAX));
        self.folded = folded;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::index::Measure;

    fn rows(n: u64, seq0: u64) -> Vec<(String, String, i64, u64, i64, i64)> {
        (0..n)
            .map(|i| {
                let seq = seq0 + i;
                (
                    format!("S{}", (seq * 7) % 5),
                    format!("L{}", seq % 3),
                    seq as i64 * 10,
                    seq,
                    1,
                    seq as i64,
                )
            })
            .collect()
    }

    fn add(recent: &mut Recent, rows: &[(String, String, i64, u64, i64, i64)]) {
        let index: Vec<IndexRow<'_>> = rows
            .iter()
            .map(|(sku, location, at, seq, delta, running)| IndexRow {
                measure: Measure::OnHand,
                sku,
                location,
                effective_at: *at,
                seq: *seq,
                delta: *delta,
                running: *running,
            })
            .collect();
        let pairs: Vec<(&str, u64)> = rows.iter().map(|r| (r.0.as_str(), r.3)).collect();
        recent.add(&index, &pairs);
    }

    #[test]
    fn runs_stay_few_and_sorted() {
        let mut runs = Runs::default();
        for n in (0..1_000u64).rev() {
            runs.add(vec![n * 2, n * 2 + 1]);
        }
        assert!(runs.runs.len() <= 12, "{} runs", runs.runs.len());
        for run in &runs.runs {
            assert!(run.windows(2).all(|w| w[0] < w[1]));
        }
        let mut all = Vec::new();
        runs.take(1_500, &mut all);
        assert_eq!(all, (0..1_500).collect::<Vec<u64>>());
        assert_eq!(runs.folded(), 1_500);
        runs.take(1_000, &mut all);
        assert_eq!(all, (0..2_000).collect::<Vec<u64>>());
    }

    #[test]
    fn shares_fold_each_row_once_and_resume_where_they_stopped() {
        let mut recent = Recent::new(Folded::default(), BLOCK_EVENTS);
        // Two blocks and a bit: every block before the third is foldable.
        let written = rows(2 * BLOCK_EVENTS + 10, 1);
        for chunk in written.chunks(997) {
            add(&mut recent, chunk);
        }
        let total_rows = 2 * written.len();
        let mut folded_rows = Vec::new();
        let mut folded_pairs = Vec::new();
        let image = recent.to_image();
        let mut rounds = 0;
        while let Some(share) = recent.take_share(2, 5_000) {
            rounds += 1;
            folded_rows.extend(share.moves);
            folded_pairs.extend(share.pairs);
            if rounds == 7 {
                // A reopen here: the snapshot's rows, resumed at the stored progress.
                let mut again = Recent::from_image(image.clone(), recent.folded(), BLOCK_EVENTS);
                again.resume(recent.folded());
                assert_eq!(sorted(&again), sorted(&recent));
                assert_eq!(again.folded(), recent.folded());
            }
        }
        // Both full blocks folded, in key order within each; the rest stays.
        let unfolded = recent.rows().count();
        assert_eq!(folded_rows.len() + unfolded, total_rows);
        assert_eq!(unfolded, 2 * 11, "seq 131072 ..= 131082 are in block 2");
        let (first, second) = folded_rows.split_at(2 * (BLOCK_EVENTS as usize - 1));
        assert!(first.windows(2).all(|w| w[0] < w[1]));
        assert!(second.windows(2).all(|w| w[0] < w[1]));
        assert!(first.iter().all(|r| recent.block(r.seq) == 0));
        assert_eq!(folded_pairs.len() + recent.pairs().count(), written.len());
        assert_eq!(recent.folded().seq, 2 * BLOCK_EVENTS - 1);
        assert_eq!(recent.folded().block, None);
        // The answers of the unfolded part alone.
        let newest = written.last().expect("rows");
        let (sku, location) = (newest.0.as_str(), newest.1.as_str());
        let mine: Vec<_> = written
            .iter()
            .filter(|r| r.0 == sku && r.1 == location && r.3 > 2 * BLOCK_EVENTS - 1)
            .collect();
        let code = axis_code(Measure::OnHand, Axis::Effective);
        assert_eq!(
            recent.sum(sku, location, code, i64::MIN, i64::MAX),
            mine.len() as i64
        );
        let code = axis_code(Measure::OnHand, Axis::Sequence);
        let last = mine.last().expect("the newest row");
        assert_eq!(
            recent.last_running(sku, location, code, last.3 as i64),
            Some(last.5)
        );
        assert_eq!(recent.last_running(sku, location, code, 5), None);
    }

    /// One step of the property test: a commit group of `n` events, each moving stock of
    /// item `sku % 3` at location `loc % 2` at a business time `at`; a fold of up to
    /// `budget` rows; or a reopen from a snapshot taken now or earlier.
    #[derive(Debug, Clone)]
    enum Step {
        Group(Vec<(u8, u8, i16)>),
        Fold(u16),
        Snapshot,
        Reopen,
    }

    fn step() -> impl proptest::strategy::Strategy<Value = Step> {
        use proptest::prelude::*;
        prop_oneof![
            4 => proptest::collection::vec((0u8..3, 0u8..2, -50i16..50), 1..12).prop_map(Step::Group),
            3 => (1u16..40).prop_map(Step::Fold),
            1 => Just(Step::Snapshot),
            1 => Just(Step::Reopen),
        ]
    }

    proptest::proptest! {
        /// Whatever the groups, folds, snapshots and reopens: every row is in the table
        /// (folded) or in memory, never both; folds come in key order, oldest block first;
        /// and the answers from table plus memory equal a recomputation from all rows.
        #[test]
        fn every_row_is_folded_or_in_memory_exactly_once(
            steps in proptest::collection::vec(step(), 1..60)
        ) {
            const BLOCK: u64 = 8;
            let mut recent = Recent::new(Folded::default(), BLOCK);
            let mut snapshot = (recent.to_image(), 0u64);
            let mut table: std::collections::BTreeMap<(String, String, u8, i64, u64), i64> =
                std::collections::BTreeMap::new();
            let mut pairs_folded: Vec<Pair> = Vec::new();
            let mut all: Vec<MoveRow> = Vec::new();
            let mut running = std::collections::HashMap::new();
            let mut seq = 0u64;
            let mut last_folded: Option<MoveRow> = None;
            for step in steps {
                match step {
                    Step::Group(events) => {
                        let mut rows = Vec::new();
                        for (sku, loc, at) in events {
                            seq += 1;
                            let (sku, loc) = (format!("S{sku}"), format!("L{loc}"));
                            let total: &mut i64 = running.entry((sku.clone(), loc.clone())).or_default();
                            *total += 1;
                            rows.push((sku, loc, i64::from(at), seq, *total));
                        }
                        let index: Vec<IndexRow<'_>> = rows
                            .iter()
                            .map(|(sku, loc, at, seq, total)| IndexRow {
                                measure: Measure::OnHand,
                                sku,
                                location: loc,
                                effective_at: *at,
                                seq: *seq,
                                delta: 1,
                                running: *total,
                            })
                            .collect();
                        let pairs: Vec<(&str, u64)> =
                            rows.iter().map(|r| (r.0.as_str(), r.3)).collect();
                        let before = recent.rows().count();
                        recent.add(&index, &pairs);
                        proptest::prop_assert_eq!(recent.rows().count(), before + 2 * rows.len());
                        for (sku, loc, at, seq, total) in rows {
                            for (code, ordinal, value) in [(0u8, at, 1), (1, seq as i64, total)] {
                                all.push(MoveRow {
                                    sku: sku.as_str().into(),
                                    location: loc.as_str().into(),
                                    code,
                                    ordinal,
                                    seq,
                                    value,
                                });
                            }
                        }
                    }
                    Step::Fold(budget) => {
                        if let Some(share) = recent.take_share(recent.block(seq), usize::from(budget)) {
                            for row in share.moves {
                                // In key order within a block, blocks oldest first.
                                if let Some(prev) = &last_folded {
                                    let same_block = recent.block(prev.seq) == recent.block(row.seq);
                                    let in_order = if same_block { *prev < row } else { prev.seq < row.seq };
                                    proptest::prop_assert!(in_order, "{:?} then {:?}", prev, row);
                                }
                                let key = (row.sku.to_string(), row.location.to_string(), row.code, row.ordinal, row.seq);
                                proptest::prop_assert!(table.insert(key, row.value).is_none(), "folded twice");
                                last_folded = Some(row);
                            }
                            pairs_folded.extend(share.pairs);
                        }
                    }
                    Step::Snapshot => snapshot = (recent.to_image(), seq),
                    Step::Reopen => {
                        // The snapshot's rows, the events after it regenerated, resumed at
                        // the progress the file records now.
                        let (image, snap_seq) = &snapshot;
                        let mut again = Recent::from_image(image.clone(), recent.folded(), BLOCK);
                        let tail: Vec<&MoveRow> = all
                            .iter()
                            .filter(|r| r.seq > *snap_seq && r.code == 0)
                            .collect();
                        let index: Vec<IndexRow<'_>> = tail
                            .iter()
                            .map(|r| {
                                let running = all
                                    .iter()
                                    .find(|x| x.code == 1 && x.seq == r.seq)
                                    .map_or(0, |x| x.value);
                                IndexRow {
                                    measure: Measure::OnHand,
                                    sku: &r.sku,
                                    location: &r.location,
                                    effective_at: r.ordinal,
                                    seq: r.seq,
                                    delta: r.value,
                                    running,
                                }
                            })
                            .collect();
                        let pairs: Vec<(&str, u64)> = tail.iter().map(|r| (r.sku.as_str(), r.seq)).collect();
                        again.add(&index, &pairs);
                        again.resume(recent.folded());
                        proptest::prop_assert_eq!(sorted(&again), sorted(&recent));
                        recent = again;
                    }
                }
                // Exactly once, somewhere.
                let mut union: Vec<(String, String, u8, i64, u64, i64)> = table
                    .iter()
                    .map(|((s, l, c, o, q), v)| (s.clone(), l.clone(), *c, *o, *q, *v))
                    .chain(recent.rows().map(|r| (r.sku.to_string(), r.location.to_string(), r.code, r.ordinal, r.seq, r.value)))
                    .collect();
                union.sort_unstable();
                let mut want: Vec<(String, String, u8, i64, u64, i64)> = all
                    .iter()
                    .map(|r| (r.sku.to_string(), r.location.to_string(), r.code, r.ordinal, r.seq, r.value))
                    .collect();
                want.sort_unstable();
                proptest::prop_assert_eq!(&union, &want);
                proptest::prop_assert_eq!(
                    pairs_folded.len() + recent.pairs().count(),
                    all.len() / 2
                );
                // The answers: by time the sum of everything up to it, by sequence the
                // running total of the last row up to it (memory first, then the table).
                for sku in ["S0", "S1", "S2"] {
                    for loc in ["L0", "L1"] {
                        for t in [-60i64, -10, 0, 25, 60] {
                            let in_table: i64 = table
                                .iter()
                                .filter(|((s, l, c, o, _), _)| s == sku && l == loc && *c == 0 && *o <= t)
                                .map(|(_, v)| v)
                                .sum();
                            let got = in_table + recent.sum(sku, loc, 0, i64::MIN, t);
                            let want: i64 = all
                                .iter()
                                .filter(|r| r.sku == sku && r.location == loc && r.code == 0 && r.ordinal <= t)
                                .map(|r| r.value)
                                .sum();
                            proptest::prop_assert_eq!(got, want);
                        }
                        for q in [1u64, seq / 2, seq] {
                            let got = recent.last_running(sku, loc, 1, q as i64).unwrap_or_else(|| {
                                table
                                    .iter()
                                    .rfind(|((s, l, c, o, _), _)| s == sku && l == loc && *c == 1 && *o <= q as i64)
                                    .map_or(0, |(_, v)| *v)
                            });
                            let want = all
                                .iter()
                                .rfind(|r| r.sku == sku && r.location == loc && r.code == 1 && r.seq <= q)
                                .map_or(0, |r| r.value);
                            proptest::prop_assert_eq!(got, want);
                        }
                    }
                }
            }
        }
    }

    /// The unfolded rows and pairs, sorted: runs differ between two copies that hold the
    /// same rows.
    fn sorted(r: &Recent) -> (Vec<MoveRow>, Vec<Pair>) {
        let mut rows: Vec<MoveRow> = r.rows().cloned().collect();
        rows.sort_unstable();
        let mut pairs: Vec<Pair> = r.pairs().cloned().collect();
        pairs.sort_unstable();
        (rows, pairs)
    }
}
