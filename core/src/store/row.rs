//! The rows of the point-in-time index: what a row counts ([`Measure`]), on which axis
//! ([`Axis`]), a change as the writer derives it ([`IndexRow`]) and as memory and the
//! stored parts keep it ([`MoveRow`]); and the pairs of the per-item history. Both the
//! rows in memory ([`super::recent`]) and the stored index ([`super::index`]) use them.

use compact_str::CompactString;

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

/// One row of the point-in-time index: (sku, location, axis code, ordinal, seq) → value.
/// Ordered by key; the value comes last and never decides, keys being unique.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct MoveRow {
    pub sku: CompactString,
    pub location: CompactString,
    pub code: u8,
    pub ordinal: i64,
    pub seq: u64,
    /// A raw change on the effective axis, the running total on the sequence axis.
    pub value: i64,
}

pub(crate) type RowKey<'a> = (&'a str, &'a str, u8, i64, u64);

impl MoveRow {
    /// The row of `key` (as the tables key it) with `value`.
    pub(crate) fn from_key((sku, location, code, ordinal, seq): RowKey<'_>, value: i64) -> MoveRow {
        MoveRow {
            sku: sku.into(),
            location: location.into(),
            code,
            ordinal,
            seq,
            value,
        }
    }

    /// The row's key: items, then locations, then the axis code, then time and sequence.
    pub(crate) fn key(&self) -> RowKey<'_> {
        (&self.sku, &self.location, self.code, self.ordinal, self.seq)
    }

    /// The row's key, owned: as `index::RowMap` keys it.
    pub(crate) fn owned_key(&self) -> (String, String, u8, i64, u64) {
        (
            self.sku.to_string(),
            self.location.to_string(),
            self.code,
            self.ordinal,
            self.seq,
        )
    }
}

/// One (sku, seq) pair of the per-item history.
pub(crate) type Pair = (CompactString, u64);
