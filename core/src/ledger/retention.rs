//! How long closed records stay in memory: the retention rule every part that keeps
//! closed records follows (reservations here, orders and purchase orders above), and the
//! index of closed records by the time their window counts from.
//!
//! The rule is a function of the log alone, so that a replay (and `verify`, which rebuilds
//! from the log) leaves exactly the records the live state kept: when an event's recorded
//! time enters a new bucket of `bucket_ms`, every closed record whose window began before
//! the bucket's start less `window_ms` leaves memory, before the event applies. A record
//! closed by the event stays at least until the next bucket, so nothing an event or its
//! group reads afterwards is gone. Between buckets an event costs one division and one
//! compare.

use std::collections::BTreeSet;

use compact_str::CompactString;

use crate::model::{DAY_MS, Timestamp};

/// The retention rule of a file: how long a closed record stays in memory.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Retention {
    /// How long after its window begins a closed record stays, at least.
    pub(crate) window_ms: i64,
    /// How often records leave: the width of a time bucket.
    pub(crate) bucket_ms: i64,
}

impl Retention {
    /// The rule for a window of `window_ms` (negative counts as zero): buckets of an
    /// eighth of the window, between a millisecond and an hour.
    pub(crate) fn new(window_ms: i64) -> Retention {
        let window_ms = window_ms.max(0);
        Retention {
            window_ms,
            bucket_ms: (window_ms / 8).clamp(1, DAY_MS / 24),
        }
    }

    /// The bucket of a recorded time.
    pub(crate) fn bucket(&self, at: Timestamp) -> i64 {
        at.div_euclid(self.bucket_ms)
    }

    /// Closed records whose window began before this leave when `bucket` begins.
    pub(crate) fn threshold(&self, bucket: i64) -> Timestamp {
        bucket
            .saturating_mul(self.bucket_ms)
            .saturating_sub(self.window_ms)
    }
}

impl Default for Retention {
    fn default() -> Self {
        Retention::new(i64::MAX)
    }
}

/// Closed records in memory, by the time their retention window began, then id (inline:
/// closing a record allocates nothing here for an id of up to 24 bytes).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct ClosedIndex(BTreeSet<(Timestamp, CompactString)>);

impl ClosedIndex {
    /// A record `id` changed: it was closed since `old` (or open), and now since `new`.
    pub(crate) fn update(&mut self, id: &str, old: Option<Timestamp>, new: Option<Timestamp>) {
        if old == new {
            return;
        }
        if let Some(at) = old {
            self.0.remove(&(at, CompactString::from(id)));
        }
        if let Some(at) = new {
            self.0.insert((at, CompactString::from(id)));
        }
    }

    /// Takes out the ids of the records whose window began before `threshold`.
    pub(crate) fn take_due(&mut self, threshold: Timestamp) -> Vec<String> {
        let mut out = Vec::new();
        while let Some(first) = self.0.first() {
            if first.0 >= threshold {
                break;
            }
            out.push(self.0.pop_first().expect("first exists").1.into_string());
        }
        out
    }

    /// How many closed records are in memory.
    pub(crate) fn len(&self) -> usize {
        self.0.len()
    }
}
