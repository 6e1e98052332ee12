//! The point-in-time index: on hand (and reserved) of (sku, location) at any effective
//! time or sequence.
//!
//! Every change of a measure at a location is one row: its effective time (the
//! *ordinal*), its sequence number and its signed units. Folded rows are stored packed:
//! one value per (sku, block, part) in `index_parts`, holding up to [`PART_ROWS`] rows of
//! that item from one block of sequence numbers, grouped in sections by (location,
//! measure). Each section's header carries its row count, its total and its earliest and
//! latest ordinal, so that a question reads a section's rows only when its time falls
//! inside the section; otherwise it adds the total or skips the section.
//!
//! Packed this way an index row takes a few bytes instead of a B-tree entry of ~45 bytes
//! keyed by item and location (whose leaves, growing at the end of every range, stayed
//! half empty), and no bucket totals are kept beside it.
//!
//! - By effective time, a question adds, over the item's parts, the rows at or before the
//!   time; a late-entered change lands in the part of its own block and nothing already
//!   written moves.
//! - By sequence, the blocks before the question's are whole: their sections' totals
//!   count, and the rows of its own block are added up to the sequence.
//!
//! The newest rows are in memory (see [`super::recent`]), with the running total after
//! each change by sequence; those answer by sequence when one of them is at or before the
//! question's sequence.

use std::collections::{BTreeMap, HashSet};

use redb::{ReadableTable, Table};

use super::recent::{MoveRow, Recent};

use crate::collections::HashMap;
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
    /// True when an axis code (see [`axis_code`]) is of the effective axis.
    pub(crate) fn is_effective(code: u8) -> bool {
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

/// The byte that keys a (measure, axis) pair. In memory both axes of a change are kept
/// (by sequence with its running total); the stored parts hold the effective ones only.
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

/// The most rows one stored part holds: a part's value stays well inside one page, and a
/// question by sequence decodes at most this many rows of its own block.
pub(crate) const PART_ROWS: usize = 384;

/// `index_parts`: (sku, block, part number) → packed rows.
pub(crate) type PartsTable<'t> = Table<'t, (&'static str, u64, u32), &'static [u8]>;
type PartKey = (&'static str, u64, u32);

/// Writes the effective rows of a folded share (in key order) into the parts of their
/// (sku, block): appended to the block's last part while it has room, else in new parts.
/// The sequence rows are not stored: their answers follow from the effective rows.
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
        let last = {
            let mut range = parts
                .range((sku, block, 0)..=(sku, block, u32::MAX))
                .map_err(Error::storage)?;
            match range.next_back() {
                Some(entry) => {
                    let (key, value) = entry.map_err(Error::storage)?;
                    let bytes = value.value();
                    let number = key.value().2;
                    if part_len(bytes)? + new.len() <= PART_ROWS {
                        Some((number, decode_part(sku, bytes)?))
                    } else {
                        Some((number + 1, Vec::new()))
                    }
                }
                None => None,
            }
        };
        let (mut number, mut all) = last.unwrap_or((0, Vec::new()));
        all.extend(new.into_iter().cloned());
        all.sort_unstable();
        for chunk in all.chunks(PART_ROWS) {
            parts
                .insert((sku, block, number), encode_part(chunk).as_slice())
                .map_err(Error::storage)?;
            number = number
                .checked_add(1)
                .ok_or_else(|| Error::storage("too many index parts in one block"))?;
        }
    }
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
            for_each_section(parts, sku, u64::MAX, code, &wanted, |_, section| {
                total = total.saturating_add(section.sum_to(ordinal)?);
                Ok(())
            })?;
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
                let own = recent.block(seq);
                for_each_section(parts, sku, own, code, &wanted, |block, section| {
                    let units = if block < own {
                        section.total
                    } else {
                        section.sum_while_seq(seq)?
                    };
                    total = total.saturating_add(units);
                    Ok(())
                })?;
            }
        }
    }
    Ok(total)
}

/// Calls `f(block, section)` for every stored section of `sku` of blocks up to `last_block`
/// with the axis code `code` at one of `locations`.
fn for_each_section<P>(
    parts: &P,
    sku: &str,
    last_block: u64,
    code: u8,
    locations: &HashSet<&str>,
    mut f: impl FnMut(u64, &Section<'_>) -> Result<()>,
) -> Result<()>
where
    P: ReadableTable<PartKey, &'static [u8]>,
{
    for entry in parts
        .range((sku, 0u64, 0u32)..=(sku, last_block, u32::MAX))
        .map_err(Error::storage)?
    {
        let (key, value) = entry.map_err(Error::storage)?;
        let block = key.value().1;
        for section in Sections::of(value.value())? {
            let section = section?;
            if section.code == code && locations.contains(section.location) {
                f(block, &section)?;
            }
        }
    }
    Ok(())
}

/// Every stored row, keyed as in memory (sku, location, code, ordinal, seq) → units, and
/// what is wrong with the parts: a header that disagrees with its rows, a row out of its
/// part's block or order, a row stored twice.
pub(crate) fn stored_rows<P>(parts: &P, block_events: u64) -> Result<(RowMap, Vec<String>)>
where
    P: ReadableTable<PartKey, &'static [u8]>,
{
    let mut rows = RowMap::new();
    let mut problems = Vec::new();
    for entry in parts.iter().map_err(Error::storage)? {
        let (key, value) = entry.map_err(Error::storage)?;
        let (sku, block, number) = key.value();
        let name = format!("index part {sku}/{block}/{number}");
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
    }
    Ok((rows, problems))
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
        let total = body.iter().fold(0i64, |t, r| t.saturating_add(r.2));
        let (min, max) = (body.first().map(|r| r.0), body.last().map(|r| r.0));
        if body.len() as u64 != section.rows
            || total != section.total
            || min != Some(section.min)
            || max != Some(section.max)
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

// ---- the packed form ------------------------------------------------------------------
//
// part    := uvarint(rows) section*
// section := uvarint(len) location code:u8 uvarint(rows) ivarint(total) ivarint(min)
//            uvarint(max - min) uvarint(body len) body
// body    := (uvarint(ordinal - previous) ivarint(seq - previous) ivarint(units))*
//
// Rows are in (location, code, ordinal, seq) order; the first row's "previous" ordinal is
// the section's min and its previous seq is 0. ivarint is zigzag over uvarint (LEB128).

/// Encodes rows of one (sku, block), sorted, into a part.
fn encode_part(rows: &[MoveRow]) -> Vec<u8> {
    let mut out = Vec::with_capacity(16 + rows.len() * 6);
    put_u(&mut out, rows.len() as u64);
    let mut body = Vec::new();
    for section in rows.chunk_by(|a, b| a.location == b.location && a.code == b.code) {
        body.clear();
        let min = section[0].ordinal;
        let max = section[section.len() - 1].ordinal;
        let (mut ordinal, mut seq) = (min, 0u64);
        let mut total: i64 = 0;
        for r in section {
            put_u(&mut body, r.ordinal.wrapping_sub(ordinal) as u64);
            put_i(&mut body, r.seq.wrapping_sub(seq) as i64);
            put_i(&mut body, r.value);
            (ordinal, seq) = (r.ordinal, r.seq);
            total = total.saturating_add(r.value);
        }
        let location = section[0].location.as_bytes();
        put_u(&mut out, location.len() as u64);
        out.extend_from_slice(location);
        out.push(section[0].code);
        put_u(&mut out, section.len() as u64);
        put_i(&mut out, total);
        put_i(&mut out, min);
        put_u(&mut out, max.wrapping_sub(min) as u64);
        put_u(&mut out, body.len() as u64);
        out.extend_from_slice(&body);
    }
    out
}

/// The number of rows a part holds, from its first field.
fn part_len(bytes: &[u8]) -> Result<usize> {
    let mut rest = bytes;
    Ok(get_u(&mut rest)? as usize)
}

/// Every row of a part of `sku`.
fn decode_part(sku: &str, bytes: &[u8]) -> Result<Vec<MoveRow>> {
    // The count is only a hint: a damaged one must not allocate.
    let mut out = Vec::with_capacity(part_len(bytes)?.min(PART_ROWS));
    for section in Sections::of(bytes)? {
        let section = section?;
        for row in section.rows() {
            let (ordinal, seq, value) = row?;
            out.push(MoveRow {
                sku: sku.into(),
                location: section.location.into(),
                code: section.code,
                ordinal,
                seq,
                value,
            });
        }
    }
    Ok(out)
}

/// One (location, code) section of a part.
struct Section<'a> {
    location: &'a str,
    code: u8,
    rows: u64,
    total: i64,
    min: i64,
    max: i64,
    body: &'a [u8],
}

impl<'a> Section<'a> {
    /// The rows as (ordinal, seq, units), in order.
    fn rows(&self) -> impl Iterator<Item = Result<(i64, u64, i64)>> + 'a {
        let mut rest = self.body;
        let (mut ordinal, mut seq) = (self.min, 0u64);
        (0..self.rows).map(move |_| {
            ordinal = ordinal.wrapping_add(get_u(&mut rest)? as i64);
            seq = seq.wrapping_add(get_i(&mut rest)? as u64);
            Ok((ordinal, seq, get_i(&mut rest)?))
        })
    }

    /// The units of the rows at or before `ordinal`: the total or nothing unless the
    /// ordinal falls inside the section.
    fn sum_to(&self, ordinal: i64) -> Result<i64> {
        if self.max <= ordinal {
            return Ok(self.total);
        }
        if self.min > ordinal {
            return Ok(0);
        }
        let mut total: i64 = 0;
        for row in self.rows() {
            let (at, _, units) = row?;
            if at > ordinal {
                break;
            }
            total = total.saturating_add(units);
        }
        Ok(total)
    }

    /// The units of the rows at or before sequence `seq`.
    fn sum_while_seq(&self, seq: u64) -> Result<i64> {
        let mut total: i64 = 0;
        for row in self.rows() {
            let (_, at, units) = row?;
            if at <= seq {
                total = total.saturating_add(units);
            }
        }
        Ok(total)
    }
}

/// The sections of a part, in order.
struct Sections<'a> {
    rest: &'a [u8],
}

impl<'a> Sections<'a> {
    fn of(bytes: &'a [u8]) -> Result<Sections<'a>> {
        let mut rest = bytes;
        get_u(&mut rest)?;
        Ok(Sections { rest })
    }

    fn next_section(&mut self) -> Result<Section<'a>> {
        let rest = &mut self.rest;
        let len = get_u(rest)? as usize;
        let location = take(rest, len)?;
        let location = std::str::from_utf8(location).map_err(|_| corrupt())?;
        let code = take(rest, 1)?[0];
        let rows = get_u(rest)?;
        let total = get_i(rest)?;
        let min = get_i(rest)?;
        let max = min.wrapping_add(get_u(rest)? as i64);
        let body_len = get_u(rest)? as usize;
        let body = take(rest, body_len)?;
        Ok(Section {
            location,
            code,
            rows,
            total,
            min,
            max,
            body,
        })
    }
}

impl<'a> Iterator for Sections<'a> {
    type Item = Result<Section<'a>>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.rest.is_empty() {
            return None;
        }
        let section = self.next_section();
        if section.is_err() {
            self.rest = &[];
        }
        Some(section)
    }
}

fn corrupt() -> Error {
    Error::storage("a stored index part is damaged")
}

fn take<'a>(rest: &mut &'a [u8], n: usize) -> Result<&'a [u8]> {
    if rest.len() < n {
        return Err(corrupt());
    }
    let (head, tail) = rest.split_at(n);
    *rest = tail;
    Ok(head)
}

fn put_u(out: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        out.push((v as u8) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

fn put_i(out: &mut Vec<u8>, v: i64) {
    put_u(out, ((v << 1) ^ (v >> 63)) as u64);
}

fn get_u(rest: &mut &[u8]) -> Result<u64> {
    let mut v: u64 = 0;
    for shift in (0..64).step_by(7) {
        let (&byte, tail) = rest.split_first().ok_or_else(corrupt)?;
        *rest = tail;
        v |= u64::from(byte & 0x7f) << shift;
        if byte & 0x80 == 0 {
            return Ok(v);
        }
    }
    Err(corrupt())
}

fn get_i(rest: &mut &[u8]) -> Result<i64> {
    let v = get_u(rest)?;
    Ok((v >> 1) as i64 ^ -((v & 1) as i64))
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
                    .filter(|r| r.location == section.location && r.code == section.code)
                    .collect();
                seen += mine.len();
                let times = mine.iter().flat_map(|r| [r.ordinal, r.ordinal.saturating_sub(1)]);
                for t in probes.iter().copied().chain(times) {
                    let want = mine
                        .iter()
                        .filter(|r| r.ordinal <= t)
                        .fold(0i64, |a, r| a.saturating_add(r.value));
                    proptest::prop_assert_eq!(section.sum_to(t).unwrap(), want, "time {}", t);
                }
                for q in mine.iter().map(|r| r.seq).chain([0, 2_500, u64::MAX]) {
                    let want = mine
                        .iter()
                        .filter(|r| r.seq <= q)
                        .fold(0i64, |a, r| a.saturating_add(r.value));
                    proptest::prop_assert_eq!(section.sum_while_seq(q).unwrap(), want, "seq {}", q);
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
                    let _ = (section.sum_to(0), section.sum_while_seq(0));
                }
            }
        }
    }
}
