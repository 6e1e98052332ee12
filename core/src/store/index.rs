//! The point-in-time index: on hand (and reserved) of (sku, location) at any effective
//! time or sequence.
//!
//! Every change of a measure at a location is one row: its effective time (the
//! *ordinal*), its sequence number and its signed units. Folded rows are stored packed:
//! one value per (sku, block, part) in `index_parts`, holding up to [`PART_ROWS`] rows of
//! that item from one block of sequence numbers, grouped in sections by (location,
//! measure). Each section's header summarizes it — row count, total, earliest and latest
//! time and sequence — so that a question reads a section's rows only when its time or
//! sequence falls inside the section; otherwise it adds the total or skips the section.
//! When an item has more than one part in a block, the block also has a directory (part
//! number `u32::MAX`): the summary of each of its sections over the whole block, then each
//! part's summaries. A question then reads one value for the block, and the parts only
//! where it falls inside them.
//!
//! Packed this way an index row takes a few bytes instead of a B-tree entry of ~45 bytes
//! keyed by item and location (whose leaves, growing at the end of every range, stayed
//! half empty), and no bucket totals are kept beside it. A question reads one value per
//! block of its item's history (a block is 65,536 events by default).
//!
//! - By effective time, a question adds, over the item's blocks, the rows at or before the
//!   time; a late-entered change lands in the part of its own block and nothing already
//!   written moves.
//! - By sequence, the blocks before the question's are whole: their totals count, and the
//!   rows of its own block are added up to the sequence.
//!
//! The newest rows are in memory (see [`super::recent`]), with the running total after
//! each change by sequence; those answer by sequence when one of them is at or before the
//! question's sequence.

mod packed;

use std::collections::{BTreeMap, HashSet};

use redb::{AccessGuard, ReadableTable, Table};

use super::recent::Recent;
pub(crate) use super::row::{Axis, IndexRow, Measure, MoveRow, axis_code};
use packed::{
    Directory, Section, Sections, Summary, corrupt, decode_part, encode_directory, encode_part,
    part_len, summaries_of,
};
#[cfg(test)]
pub(crate) use packed::{decode_part as decode_packed_part, encode_part as encode_packed_part};

use crate::collections::HashMap;
use crate::error::{Error, Result};

/// The directory of a block whose parts are `parts` (number, bytes), as [`fold_rows`]
/// writes it: for the golden bytes of the format.
#[cfg(test)]
pub(crate) fn directory_of(parts: &[(u32, Vec<u8>)]) -> Result<Vec<u8>> {
    let entries = parts
        .iter()
        .map(|(number, bytes)| Ok((*number, summaries_of(bytes)?)))
        .collect::<Result<Vec<_>>>()?;
    Ok(encode_directory(&entries))
}

/// A directory parsed and encoded again: the same bytes when it reads back whole.
#[cfg(test)]
pub(crate) fn reencode_directory(bytes: &[u8]) -> Result<Vec<u8>> {
    Ok(encode_directory(&Directory::parse(bytes)?.parts()?))
}

/// The most rows one stored part holds: a part's value stays well inside one page, and a
/// question by sequence decodes at most this many rows of its own block.
pub(crate) const PART_ROWS: usize = 384;

/// `index_parts`: (sku, block, part number) → packed rows.
pub(crate) type PartsTable<'t> = Table<'t, (&'static str, u64, u32), &'static [u8]>;
type PartKey = (&'static str, u64, u32);

/// Writes the effective rows of a folded share (in key order) into the parts of their
/// (sku, block): appended to the block's last part while it has room, else in new parts.
/// Once a block of an item has more than one part, its directory is rewritten too. The
/// sequence rows are not stored: their answers follow from the effective rows.
pub(crate) fn fold_rows(
    parts: &mut PartsTable<'_>,
    rows: &[MoveRow],
    block_events: u64,
) -> Result<()> {
    let block_events = block_events.max(1);
    let mut groups: BTreeMap<(&str, u64), Vec<&MoveRow>> = BTreeMap::new();
    for row in rows.iter().filter(|r| Axis::is_effective(r.code)) {
        groups
            .entry((row.sku.as_str(), row.seq / block_events))
            .or_default()
            .push(row);
    }
    for ((sku, block), new) in groups {
        let (first, mut all) = match last_part(parts, sku, block)? {
            Some((number, bytes)) if part_len(&bytes)? + new.len() <= PART_ROWS => {
                (number, decode_part(sku, &bytes)?)
            }
            Some((number, _)) => (next_number(number)?, Vec::new()),
            None => (0, Vec::new()),
        };
        all.extend(new.into_iter().cloned());
        all.sort_unstable();
        let mut written: Vec<(u32, Vec<u8>)> = Vec::new();
        let mut number = first;
        for chunk in all.chunks(PART_ROWS) {
            let bytes = encode_part(chunk);
            parts
                .insert((sku, block, number), bytes.as_slice())
                .map_err(Error::storage)?;
            written.push((number, bytes));
            number = next_number(number)?;
        }
        if written.last().is_some_and(|(n, _)| *n > 0) {
            write_directory(parts, sku, block, first, &written)?;
        }
    }
    Ok(())
}

/// The part number of a block's directory: the summaries of the block's parts, kept once
/// an item has more than one part in the block, so that a question reads one value per
/// block and only the parts its time or sequence falls inside.
const DIRECTORY: u32 = u32::MAX;

fn next_number(number: u32) -> Result<u32> {
    number
        .checked_add(1)
        .filter(|&n| n != DIRECTORY)
        .ok_or_else(|| Error::storage_msg("too many index parts in one block"))
}

/// The last part of (sku, block), owned.
fn last_part(parts: &PartsTable<'_>, sku: &str, block: u64) -> Result<Option<(u32, Vec<u8>)>> {
    let mut range = parts
        .range((sku, block, 0)..(sku, block, DIRECTORY))
        .map_err(Error::storage)?;
    match range.next_back() {
        Some(entry) => {
            let (key, value) = entry.map_err(Error::storage)?;
            Ok(Some((key.value().2, value.value().to_vec())))
        }
        None => Ok(None),
    }
}

/// Rewrites the directory of (sku, block) once parts `first..` were written as `written`.
fn write_directory(
    parts: &mut PartsTable<'_>,
    sku: &str,
    block: u64,
    first: u32,
    written: &[(u32, Vec<u8>)],
) -> Result<()> {
    let existing: Option<Vec<u8>> = parts
        .get((sku, block, DIRECTORY))
        .map_err(Error::storage)?
        .map(|v| v.value().to_vec());
    // Without a directory yet, the block had one part: read it.
    let earlier: Vec<(u32, Vec<u8>)> = match existing {
        Some(_) => Vec::new(),
        None => {
            let mut out = Vec::new();
            for entry in parts
                .range((sku, block, 0)..(sku, block, first))
                .map_err(Error::storage)?
            {
                let (key, value) = entry.map_err(Error::storage)?;
                out.push((key.value().2, value.value().to_vec()));
            }
            out
        }
    };
    let mut entries: Vec<(u32, Vec<Summary<'_>>)> = match &existing {
        Some(bytes) => Directory::parse(bytes)?
            .parts()?
            .into_iter()
            .filter(|(n, _)| *n < first)
            .collect(),
        None => Vec::new(),
    };
    for (number, bytes) in earlier.iter().chain(written) {
        entries.push((*number, summaries_of(bytes)?));
    }
    parts
        .insert(
            (sku, block, DIRECTORY),
            encode_directory(&entries).as_slice(),
        )
        .map_err(Error::storage)?;
    Ok(())
}

/// Units of `measure` of `sku`, summed over `locations`, at `ordinal` on `axis`, inclusive.
pub(crate) fn value_at<P>(
    parts: &P,
    recent: &Recent,
    measure: Measure,
    sku: &str,
    locations: &[String],
    axis: Axis,
    ordinal: i64,
) -> Result<i64>
where
    P: ReadableTable<PartKey, &'static [u8]>,
{
    let code = axis_code(measure, Axis::Effective);
    let mut total: i64 = 0;
    match axis {
        Axis::Effective => {
            let wanted: HashSet<&str> = locations.iter().map(String::as_str).collect();
            let question = Question {
                sku,
                code,
                locations: &wanted,
                quick: &|_, s: &Summary<'_>| s.by_time(ordinal),
                exact: &|section: &Section<'_>| section.rows_to(ordinal),
            };
            total = question.add_blocks(parts, u64::MAX)?;
            // The unfolded rows of the effective axis are all in memory.
            for location in locations {
                total = total.saturating_add(recent.sum(sku, location, code, i64::MIN, ordinal));
            }
        }
        Axis::Sequence => {
            if ordinal < 0 {
                return Ok(0);
            }
            let seq = ordinal as u64;
            // An unfolded running total at or before `seq` is the answer: every unfolded
            // row of a range is newer than its folded ones. Without one, every change up
            // to `seq` is folded (a block folds in key order, the effective rows of a
            // (sku, location, measure) before its sequence rows), so the stored rows
            // answer.
            let mut wanted: HashSet<&str> = HashSet::new();
            for location in locations {
                let seq_code = axis_code(measure, Axis::Sequence);
                match recent.last_running(sku, location, seq_code, ordinal) {
                    Some(running) => total = total.saturating_add(running),
                    None => {
                        wanted.insert(location.as_str());
                    }
                }
            }
            if !wanted.is_empty() {
                // The blocks before the sequence's own count whole.
                let own = recent.block(seq);
                let question = Question {
                    sku,
                    code,
                    locations: &wanted,
                    quick: &|block, s: &Summary<'_>| {
                        if block < own {
                            Some(s.total)
                        } else {
                            s.by_seq(seq)
                        }
                    },
                    exact: &|section: &Section<'_>| section.rows_to_seq(seq),
                };
                total = total.saturating_add(question.add_blocks(parts, own)?);
            }
        }
    }
    Ok(total)
}

/// A question to the stored parts of one item: the sections of `code` at `locations`,
/// each answered by `quick` from its summary when it can, else by `exact` from its rows.
struct Question<'q> {
    sku: &'q str,
    code: u8,
    locations: &'q HashSet<&'q str>,
    quick: &'q dyn Fn(u64, &Summary<'_>) -> Option<i64>,
    exact: &'q dyn Fn(&Section<'_>) -> Result<i64>,
}

impl Question<'_> {
    fn wants(&self, s: &Summary<'_>) -> bool {
        s.code == self.code && self.locations.contains(s.location)
    }

    /// The sum of the answers over the item's blocks up to `last_block`, oldest first. A
    /// block's first part waits until the next entry shows whether the block has a second
    /// part: then it has a directory, which answers for the whole block, and the scan goes
    /// on after it.
    fn add_blocks<P>(&self, parts: &P, last_block: u64) -> Result<i64>
    where
        P: ReadableTable<PartKey, &'static [u8]>,
    {
        let sku = self.sku;
        let mut total: i64 = 0;
        let mut from = (sku, 0u64, 0u32);
        'scan: loop {
            let range = parts
                .range(from..=(sku, last_block, DIRECTORY))
                .map_err(Error::storage)?;
            let mut waiting: Option<(u64, AccessGuard<'_, &'static [u8]>)> = None;
            for entry in range {
                let (key, value) = entry.map_err(Error::storage)?;
                let (_, block, number) = key.value();
                if let Some((first_block, first)) = waiting.take() {
                    if first_block == block {
                        let directory = parts
                            .get((sku, block, DIRECTORY))
                            .map_err(Error::storage)?
                            .ok_or_else(corrupt)?;
                        let units = self.add_directory(parts, block, directory.value())?;
                        total = total.saturating_add(units);
                        match block.checked_add(1) {
                            Some(next) if next <= last_block => {
                                from = (sku, next, 0);
                                continue 'scan;
                            }
                            _ => break 'scan,
                        }
                    }
                    total = total.saturating_add(self.add_part(first_block, first.value())?);
                }
                if number == 0 {
                    waiting = Some((block, value));
                } else if number == DIRECTORY {
                    // Reached only without the block's first parts (a damaged file).
                    return Err(corrupt());
                } else {
                    total = total.saturating_add(self.add_part(block, value.value())?);
                }
            }
            if let Some((block, first)) = waiting {
                total = total.saturating_add(self.add_part(block, first.value())?);
            }
            break;
        }
        Ok(total)
    }

    fn add_part(&self, block: u64, bytes: &[u8]) -> Result<i64> {
        let mut total: i64 = 0;
        for section in Sections::of(bytes)? {
            let section = section?;
            if self.wants(&section.summary) {
                let units = match (self.quick)(block, &section.summary) {
                    Some(units) => units,
                    None => (self.exact)(&section)?,
                };
                total = total.saturating_add(units);
            }
        }
        Ok(total)
    }

    /// A block's answer from its directory: the block's summary of each section, else the
    /// parts' summaries, else the rows of the parts the question falls inside.
    fn add_directory<P>(&self, parts: &P, block: u64, bytes: &[u8]) -> Result<i64>
    where
        P: ReadableTable<PartKey, &'static [u8]>,
    {
        let directory = Directory::parse(bytes)?;
        let mut total: i64 = 0;
        let mut open: Vec<(&str, u8)> = Vec::new();
        for s in directory.aggregates.iter().filter(|s| self.wants(s)) {
            match (self.quick)(block, s) {
                Some(units) => total = total.saturating_add(units),
                None => open.push((s.location, s.code)),
            }
        }
        if open.is_empty() {
            return Ok(total);
        }
        for (number, summaries) in directory.parts()? {
            for s in summaries
                .iter()
                .filter(|s| open.contains(&(s.location, s.code)))
            {
                let units = match (self.quick)(block, s) {
                    Some(units) => units,
                    None => {
                        let part = parts
                            .get((self.sku, block, number))
                            .map_err(Error::storage)?
                            .ok_or_else(corrupt)?;
                        let mut units = None;
                        for section in Sections::of(part.value())? {
                            let section = section?;
                            if (section.summary.location, section.summary.code)
                                == (s.location, s.code)
                            {
                                units = Some((self.exact)(&section)?);
                                break;
                            }
                        }
                        units.ok_or_else(corrupt)?
                    }
                };
                total = total.saturating_add(units);
            }
        }
        Ok(total)
    }
}

/// Every stored row, keyed as in memory (sku, location, code, ordinal, seq) → units, and
/// what is wrong with the parts: a header that disagrees with its rows, a row out of its
/// part's block or order, a row stored twice, a directory that disagrees with its block's
/// parts or is missing.
pub(crate) fn stored_rows<P>(parts: &P, block_events: u64) -> Result<(RowMap, Vec<String>)>
where
    P: ReadableTable<PartKey, &'static [u8]>,
{
    let mut rows = RowMap::new();
    let mut problems = Vec::new();
    // The parts of the block being read: its directory comes after them.
    let mut block_parts: Vec<(u32, Vec<u8>)> = Vec::new();
    let mut current: Option<(String, u64)> = None;
    for entry in parts.iter().map_err(Error::storage)? {
        let (key, value) = entry.map_err(Error::storage)?;
        let (sku, block, number) = key.value();
        let here = (sku.to_owned(), block);
        if current.as_ref() != Some(&here) {
            close_block(current.as_ref(), &mut block_parts, &mut problems);
            current = Some(here);
        }
        let name = format!("index part {sku}/{block}/{number}");
        if number == DIRECTORY {
            let expected: Result<Vec<(u32, Vec<Summary<'_>>)>> = block_parts
                .iter()
                .map(|(n, bytes)| Ok((*n, summaries_of(bytes)?)))
                .collect();
            let agrees = expected
                .is_ok_and(|e| block_parts.len() > 1 && encode_directory(&e) == value.value());
            if !agrees {
                problems.push(format!(
                    "{name}: the directory disagrees with the block's parts"
                ));
            }
            block_parts.clear();
            continue;
        }
        match check_part(sku, block, block_events.max(1), value.value()) {
            Ok((decoded, faults)) => {
                problems.extend(faults.into_iter().map(|f| format!("{name}: {f}")));
                for r in decoded {
                    if rows.insert(r.owned_key(), r.value).is_some() {
                        problems.push(format!("{name}: a row stored twice"));
                    }
                }
            }
            Err(e) => problems.push(format!("{name}: {e}")),
        }
        block_parts.push((number, value.value().to_vec()));
    }
    close_block(current.as_ref(), &mut block_parts, &mut problems);
    Ok((rows, problems))
}

/// The end of a block's entries: several parts must have had a directory after them.
fn close_block(
    current: Option<&(String, u64)>,
    block_parts: &mut Vec<(u32, Vec<u8>)>,
    problems: &mut Vec<String>,
) {
    if let Some((sku, block)) = current
        && block_parts.len() > 1
    {
        problems.push(format!(
            "index block {sku}/{block}: several parts and no directory"
        ));
    }
    block_parts.clear();
}

/// The rows of a part of (sku, block), and what disagrees in it.
fn check_part(
    sku: &str,
    block: u64,
    block_events: u64,
    bytes: &[u8],
) -> Result<(Vec<MoveRow>, Vec<&'static str>)> {
    let decoded = decode_part(sku, bytes)?;
    let mut faults = Vec::new();
    if part_len(bytes)? != decoded.len() {
        faults.push("its row count disagrees with its rows");
    }
    if !decoded.is_sorted() {
        faults.push("its rows are out of order");
    }
    if decoded
        .iter()
        .any(|r| r.seq / block_events != block || !Axis::is_effective(r.code))
    {
        faults.push("a row outside the part's block or axis");
    }
    for section in Sections::of(bytes)? {
        let section = section?;
        let body: Vec<_> = section.rows().collect::<Result<_>>()?;
        if Summary::of_rows(section.summary.location, section.summary.code, body).as_ref()
            != Some(&section.summary)
        {
            faults.push("a section's header disagrees with its rows");
        }
    }
    Ok((decoded, faults))
}

/// Index rows keyed (sku, location, code, ordinal, seq) → units (by effective time) or
/// the running total (by sequence).
pub(crate) type RowMap = BTreeMap<(String, String, u8, i64, u64), i64>;

/// The rows of both axes the index holds for `rows`: what a rebuild from the log must find
/// stored and in memory.
pub(crate) fn expected_rows<'a>(rows: impl IntoIterator<Item = IndexRow<'a>>) -> RowMap {
    let mut out = RowMap::new();
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

#[cfg(test)]
mod tests {
    use redb::{Database, ReadableDatabase};

    use super::*;
    use crate::store::INDEX_PARTS;
    use crate::store::recent::{BLOCK_EVENTS, Folded};

    /// Every answer of the index for (sku "S", locations L0..L3), both axes, from the rows
    /// written so far, against a plain recomputation.
    fn check(db: &Database, recent: &Recent, written: &[(String, i64, u64, i64)]) {
        let read = db.begin_read().unwrap();
        let parts = read.open_table(INDEX_PARTS).unwrap();
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
                    &parts,
                    recent,
                    Measure::OnHand,
                    "S",
                    std::slice::from_ref(&location),
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
        txn.open_table(INDEX_PARTS).unwrap();
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
                let mut parts = txn.open_table(INDEX_PARTS).unwrap();
                fold_rows(&mut parts, &share.moves, BLOCK_EVENTS).unwrap();
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
        // Some blocks took several parts, so their answers went through a directory.
        let read = db.begin_read().unwrap();
        let parts = read.open_table(INDEX_PARTS).unwrap();
        let directories = parts
            .iter()
            .unwrap()
            .filter(|e| e.as_ref().unwrap().0.value().2 == DIRECTORY)
            .count();
        assert!(directories > 0);
        let (_, problems) = stored_rows(&parts, BLOCK_EVENTS).unwrap();
        assert!(problems.is_empty(), "{problems:?}");
    }

    fn row(location: &str, code: u8, ordinal: i64, seq: u64, value: i64) -> MoveRow {
        MoveRow {
            sku: "S".into(),
            location: location.into(),
            code,
            ordinal,
            seq,
            value,
        }
    }

    /// Sorted rows of item "S", one per (location, code, ordinal, seq).
    fn rows_strategy() -> impl proptest::strategy::Strategy<Value = Vec<MoveRow>> {
        use proptest::prelude::*;
        let field = prop_oneof![-1_000i64..1_000, any::<i64>()];
        proptest::collection::vec(
            (0u8..3, any::<bool>(), field.clone(), 0u64..5_000, field),
            1..150,
        )
        .prop_map(|raw| {
            let mut rows: Vec<MoveRow> = raw
                .into_iter()
                .map(|(l, reserved, ordinal, seq, value)| {
                    let code = if reserved { 2 } else { 0 };
                    row(&format!("L{l}"), code, ordinal, seq, value)
                })
                .collect();
            rows.sort();
            rows.dedup_by(|a, b| a.key() == b.key());
            rows
        })
    }

    proptest::proptest! {
        /// A part decodes to the rows it was made of and passes its own check; each
        /// section's shortcuts (total, earliest and latest time) give what adding its rows
        /// one by one gives, at any time and any sequence.
        #[test]
        fn parts_keep_their_rows_and_sections_sum_like_their_rows(
            rows in rows_strategy(),
            probes in proptest::collection::vec(proptest::prelude::any::<i64>(), 1..8),
        ) {
            let bytes = encode_part(&rows);
            proptest::prop_assert_eq!(decode_part("S", &bytes).unwrap(), rows.clone());
            let (_, faults) = check_part("S", 0, u64::MAX, &bytes).unwrap();
            proptest::prop_assert!(faults.is_empty(), "{:?}", faults);
            let mut seen = 0;
            for section in Sections::of(&bytes).unwrap() {
                let section = section.unwrap();
                let mine: Vec<&MoveRow> = rows
                    .iter()
                    .filter(|r| {
                        r.location == section.summary.location && r.code == section.summary.code
                    })
                    .collect();
                seen += mine.len();
                let times = mine.iter().flat_map(|r| [r.ordinal, r.ordinal.saturating_sub(1)]);
                for t in probes.iter().copied().chain(times) {
                    let want = mine
                        .iter()
                        .filter(|r| r.ordinal <= t)
                        .fold(0i64, |a, r| a.saturating_add(r.value));
                    proptest::prop_assert_eq!(section.rows_to(t).unwrap(), want, "time {}", t);
                    if let Some(quick) = section.summary.by_time(t) {
                        proptest::prop_assert_eq!(quick, want, "time {}", t);
                    }
                }
                for q in mine.iter().map(|r| r.seq).chain([0, 2_500, u64::MAX]) {
                    let want = mine
                        .iter()
                        .filter(|r| r.seq <= q)
                        .fold(0i64, |a, r| a.saturating_add(r.value));
                    proptest::prop_assert_eq!(section.rows_to_seq(q).unwrap(), want, "seq {}", q);
                    if let Some(quick) = section.summary.by_seq(q) {
                        proptest::prop_assert_eq!(quick, want, "seq {}", q);
                    }
                }
            }
            proptest::prop_assert_eq!(seen, rows.len());
        }

        /// A damaged part is an error or a fault of the check, never a panic, and a part
        /// cut short never passes the check.
        #[test]
        fn damaged_parts_are_found(
            rows in rows_strategy(),
            cut in 0usize..10_000,
            flip in (0usize..10_000, 1u8..=255),
        ) {
            let bytes = encode_part(&rows);
            let cut = cut % bytes.len();
            match check_part("S", 0, u64::MAX, &bytes[..cut]) {
                Ok((_, faults)) => proptest::prop_assert!(!faults.is_empty()),
                Err(e) => proptest::prop_assert_eq!(e.code(), "storage"),
            }
            let mut altered = bytes.clone();
            let at = flip.0 % altered.len();
            altered[at] ^= flip.1;
            // Any outcome but a panic: an alteration can leave a well-formed part.
            let _ = check_part("S", 0, u64::MAX, &altered);
            if let Ok(sections) = Sections::of(&altered) {
                for section in sections.flatten() {
                    let _ = (section.rows_to(0), section.rows_to_seq(0));
                }
            }
        }
    }
}
