//! The packed form of the stored index: parts of rows in sections, each under a
//! summary, and the directories of blocks with more than one part.
//!
//! ```text
//! part      := uvarint(rows) section*
//! section   := summary uvarint(body len) body
//! summary   := uvarint(len) location code:u8 uvarint(rows) ivarint(total) ivarint(min)
//!              uvarint(max - min) uvarint(min seq) uvarint(max seq - min seq)
//! body      := (uvarint(ordinal - previous) ivarint(seq - previous) ivarint(units))*
//! directory := uvarint(n) summary*                  (the block's, one per section)
//!              uvarint(parts) (uvarint(number) uvarint(n) summary*)*
//! ```
//!
//! Rows are in (location, code, ordinal, seq) order; the first row's "previous" ordinal is
//! the section's min and its previous seq is 0. ivarint is zigzag over uvarint (LEB128).

use std::collections::BTreeMap;

use super::{MoveRow, PART_ROWS};
use crate::error::{Error, Result};

/// What a section (or a block's sections of one location and code) holds: its rows'
/// count, total, and earliest and latest time and sequence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Summary<'a> {
    pub(super) location: &'a str,
    pub(super) code: u8,
    pub(super) rows: u64,
    pub(super) total: i64,
    pub(super) min: i64,
    pub(super) max: i64,
    pub(super) min_seq: u64,
    pub(super) max_seq: u64,
}

impl<'a> Summary<'a> {
    /// The summary of `rows` (ordinal, seq, units) in order; `None` for no rows.
    pub(super) fn of_rows(
        location: &'a str,
        code: u8,
        rows: impl IntoIterator<Item = (i64, u64, i64)>,
    ) -> Option<Summary<'a>> {
        let mut rows = rows.into_iter();
        let (min, first_seq, first_units) = rows.next()?;
        let mut s = Summary {
            location,
            code,
            rows: 1,
            total: first_units,
            min,
            max: min,
            min_seq: first_seq,
            max_seq: first_seq,
        };
        for (ordinal, seq, units) in rows {
            s.rows += 1;
            s.total = s.total.saturating_add(units);
            s.max = s.max.max(ordinal);
            s.min_seq = s.min_seq.min(seq);
            s.max_seq = s.max_seq.max(seq);
        }
        Some(s)
    }

    /// Adds `other`'s rows to this summary's.
    pub(super) fn absorb(&mut self, other: &Summary<'_>) {
        self.rows += other.rows;
        self.total = self.total.saturating_add(other.total);
        self.min = self.min.min(other.min);
        self.max = self.max.max(other.max);
        self.min_seq = self.min_seq.min(other.min_seq);
        self.max_seq = self.max_seq.max(other.max_seq);
    }

    /// The units at or before `ordinal`, when the summary tells: all or nothing.
    pub(super) fn by_time(&self, ordinal: i64) -> Option<i64> {
        self.all_or_nothing(self.min, self.max, ordinal)
    }

    /// The units at or before sequence `seq`, when the summary tells: all or nothing.
    pub(super) fn by_seq(&self, seq: u64) -> Option<i64> {
        self.all_or_nothing(self.min_seq, self.max_seq, seq)
    }

    /// The total when every row is at or before `at`, nothing when none is, else `None`.
    pub(super) fn all_or_nothing<T: PartialOrd>(&self, min: T, max: T, at: T) -> Option<i64> {
        if max <= at {
            Some(self.total)
        } else if min > at {
            Some(0)
        } else {
            None
        }
    }

    pub(super) fn put(&self, out: &mut Vec<u8>) {
        put_u(out, self.location.len() as u64);
        out.extend_from_slice(self.location.as_bytes());
        out.push(self.code);
        put_u(out, self.rows);
        put_i(out, self.total);
        put_i(out, self.min);
        put_u(out, self.max.wrapping_sub(self.min) as u64);
        put_u(out, self.min_seq);
        put_u(out, self.max_seq.wrapping_sub(self.min_seq));
    }

    pub(super) fn get(rest: &mut &'a [u8]) -> Result<Summary<'a>> {
        let len = get_u(rest)? as usize;
        let location = std::str::from_utf8(take(rest, len)?).map_err(|_| corrupt())?;
        let code = take(rest, 1)?[0];
        let rows = get_u(rest)?;
        let total = get_i(rest)?;
        let min = get_i(rest)?;
        let max = min.wrapping_add(get_u(rest)? as i64);
        let min_seq = get_u(rest)?;
        let max_seq = min_seq.wrapping_add(get_u(rest)?);
        Ok(Summary {
            location,
            code,
            rows,
            total,
            min,
            max,
            min_seq,
            max_seq,
        })
    }
}

/// Encodes rows of one (sku, block), sorted, into a part.
pub(crate) fn encode_part(rows: &[MoveRow]) -> Vec<u8> {
    let mut out = Vec::with_capacity(16 + rows.len() * 6);
    put_u(&mut out, rows.len() as u64);
    let mut body = Vec::new();
    for section in rows.chunk_by(|a, b| a.location == b.location && a.code == b.code) {
        body.clear();
        let (mut ordinal, mut seq) = (section[0].ordinal, 0u64);
        for r in section {
            put_u(&mut body, r.ordinal.wrapping_sub(ordinal) as u64);
            put_i(&mut body, r.seq.wrapping_sub(seq) as i64);
            put_i(&mut body, r.value);
            (ordinal, seq) = (r.ordinal, r.seq);
        }
        let rows = section.iter().map(|r| (r.ordinal, r.seq, r.value));
        Summary::of_rows(&section[0].location, section[0].code, rows)
            .expect("a section has rows")
            .put(&mut out);
        put_u(&mut out, body.len() as u64);
        out.extend_from_slice(&body);
    }
    out
}

/// The summaries of a part's sections.
pub(super) fn summaries_of(bytes: &[u8]) -> Result<Vec<Summary<'_>>> {
    Sections::of(bytes)?.map(|s| s.map(|s| s.summary)).collect()
}

/// Encodes a block's directory from its parts' summaries, in part order.
pub(super) fn encode_directory(parts: &[(u32, Vec<Summary<'_>>)]) -> Vec<u8> {
    let mut block: BTreeMap<(&str, u8), Summary<'_>> = BTreeMap::new();
    for s in parts.iter().flat_map(|(_, summaries)| summaries) {
        block
            .entry((s.location, s.code))
            .and_modify(|b| b.absorb(s))
            .or_insert_with(|| s.clone());
    }
    let mut out = Vec::new();
    put_u(&mut out, block.len() as u64);
    for s in block.values() {
        s.put(&mut out);
    }
    put_u(&mut out, parts.len() as u64);
    for (number, summaries) in parts {
        put_u(&mut out, u64::from(*number));
        put_u(&mut out, summaries.len() as u64);
        for s in summaries {
            s.put(&mut out);
        }
    }
    out
}

/// A block's directory: the block's summary per section, then each part's.
pub(super) struct Directory<'a> {
    pub(super) aggregates: Vec<Summary<'a>>,
    pub(super) rest: &'a [u8],
}

impl<'a> Directory<'a> {
    pub(super) fn parse(bytes: &'a [u8]) -> Result<Directory<'a>> {
        let mut rest = bytes;
        let n = get_u(&mut rest)?;
        let aggregates = (0..n)
            .map(|_| Summary::get(&mut rest))
            .collect::<Result<_>>()?;
        Ok(Directory { aggregates, rest })
    }

    /// Each part's number and summaries.
    pub(super) fn parts(&self) -> Result<Vec<(u32, Vec<Summary<'a>>)>> {
        let mut rest = self.rest;
        let n = get_u(&mut rest)?;
        let mut out = Vec::new();
        for _ in 0..n {
            let number = u32::try_from(get_u(&mut rest)?).map_err(|_| corrupt())?;
            let count = get_u(&mut rest)?;
            let summaries = (0..count)
                .map(|_| Summary::get(&mut rest))
                .collect::<Result<_>>()?;
            out.push((number, summaries));
        }
        Ok(out)
    }
}

/// The number of rows a part holds, from its first field.
pub(super) fn part_len(bytes: &[u8]) -> Result<usize> {
    let mut rest = bytes;
    Ok(get_u(&mut rest)? as usize)
}

/// Every row of a part of `sku`.
pub(crate) fn decode_part(sku: &str, bytes: &[u8]) -> Result<Vec<MoveRow>> {
    // The count is only a hint: a damaged one must not allocate.
    let mut out = Vec::with_capacity(part_len(bytes)?.min(PART_ROWS));
    for section in Sections::of(bytes)? {
        let section = section?;
        for row in section.rows() {
            let (ordinal, seq, value) = row?;
            out.push(MoveRow {
                sku: sku.into(),
                location: section.summary.location.into(),
                code: section.summary.code,
                ordinal,
                seq,
                value,
            });
        }
    }
    Ok(out)
}

/// One (location, code) section of a part.
pub(super) struct Section<'a> {
    pub(super) summary: Summary<'a>,
    pub(super) body: &'a [u8],
}

impl<'a> Section<'a> {
    /// The rows as (ordinal, seq, units), in order.
    pub(super) fn rows(&self) -> impl Iterator<Item = Result<(i64, u64, i64)>> + 'a {
        let mut rest = self.body;
        let (mut ordinal, mut seq) = (self.summary.min, 0u64);
        (0..self.summary.rows).map(move |_| {
            ordinal = ordinal.wrapping_add(get_u(&mut rest)? as i64);
            seq = seq.wrapping_add(get_i(&mut rest)? as u64);
            Ok((ordinal, seq, get_i(&mut rest)?))
        })
    }

    /// The units of the rows at or before `ordinal`, read row by row.
    pub(super) fn rows_to(&self, ordinal: i64) -> Result<i64> {
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

    /// The units of the rows at or before sequence `seq`, read row by row.
    pub(super) fn rows_to_seq(&self, seq: u64) -> Result<i64> {
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
pub(super) struct Sections<'a> {
    pub(super) rest: &'a [u8],
}

impl<'a> Sections<'a> {
    pub(super) fn of(bytes: &'a [u8]) -> Result<Sections<'a>> {
        let mut rest = bytes;
        get_u(&mut rest)?;
        Ok(Sections { rest })
    }

    pub(super) fn next_section(&mut self) -> Result<Section<'a>> {
        let rest = &mut self.rest;
        let summary = Summary::get(rest)?;
        let body_len = get_u(rest)? as usize;
        let body = take(rest, body_len)?;
        Ok(Section { summary, body })
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

pub(super) fn corrupt() -> Error {
    Error::storage_msg("a stored index part is damaged")
}

pub(super) fn take<'a>(rest: &mut &'a [u8], n: usize) -> Result<&'a [u8]> {
    if rest.len() < n {
        return Err(corrupt());
    }
    let (head, tail) = rest.split_at(n);
    *rest = tail;
    Ok(head)
}

pub(super) fn put_u(out: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        out.push((v as u8) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

pub(super) fn put_i(out: &mut Vec<u8>, v: i64) {
    put_u(out, ((v << 1) ^ (v >> 63)) as u64);
}

pub(super) fn get_u(rest: &mut &[u8]) -> Result<u64> {
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

pub(super) fn get_i(rest: &mut &[u8]) -> Result<i64> {
    let v = get_u(rest)?;
    Ok((v >> 1) as i64 ^ -((v & 1) as i64))
}
