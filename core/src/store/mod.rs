//! Storage: the redb tables, the event codec, the point-in-time index and snapshots.
//!
//! Tables:
//! - `meta`: format version and the file's magic, how far the index is folded (`folded`)
//!   and its block length (`block_events`);
//! - `events`: first seq → a chunk of encoded [`Envelope`]s (the log, the only truth;
//!   see [`log`]);
//! - `item_events`: (sku, seq) → () — per-item history without a log scan (see
//!   [`history`]);
//! - `moves`: (sku, location, axis, ordinal, seq) → signed units — raw index rows (see
//!   [`index`]);
//! - `move_sums`: (sku, location, axis, level, bucket) → summed units — bucket totals that
//!   let `on_hand_at` add a few dozen rows instead of scanning a long history;
//! - `idempotency`: key → (command fingerprint, outcome);
//! - `snapshots`: seq → the ledger state and the unfolded index rows of that time,
//!   compressed, so that opening replays only the tail.
//!
//! The rows and pairs of the newest events are kept in memory until their block is
//! folded into those three tables (see [`recent`]); `meta["folded"]` says how far.
//!
//! The index has two axes: effective (business) time and sequence. A late-entered
//! movement lands in the bucket of its effective time; nothing already written moves.

pub(crate) mod codec;
pub(crate) mod history;
pub(crate) mod index;
pub(crate) mod log;
pub(crate) mod recent;

use redb::TableDefinition;

pub(crate) const META: TableDefinition<&str, &[u8]> = TableDefinition::new("meta");
pub(crate) const EVENTS: TableDefinition<u64, &[u8]> = TableDefinition::new("events");
pub(crate) const ITEM_EVENTS: TableDefinition<(&str, u64), ()> =
    TableDefinition::new("item_events");
/// Version 2 only: the newest history pairs, folded into `item_events` on upgrade.
pub(crate) const V2_RECENT_ITEM_EVENTS: TableDefinition<(u64, &str, u64), ()> =
    TableDefinition::new("recent_item_events");
pub(crate) const MOVES: TableDefinition<(&str, &str, u8, i64, u64), i64> =
    TableDefinition::new("moves");
/// Version 2 only: the newest index rows, folded into `moves` on upgrade (`move_sums`
/// already counted them).
pub(crate) const V2_RECENT_MOVES: TableDefinition<(u64, &str, &str, u8, i64, u64), i64> =
    TableDefinition::new("recent_moves");
pub(crate) const MOVE_SUMS: TableDefinition<(&str, &str, u8, u8, i64), i64> =
    TableDefinition::new("move_sums");
pub(crate) const IDEMPOTENCY: TableDefinition<&str, &[u8]> = TableDefinition::new("idempotency");
pub(crate) const SNAPSHOTS: TableDefinition<u64, &[u8]> = TableDefinition::new("snapshots");

/// The current format version of a Stockbook file. Version 2 kept the newest index rows
/// and history pairs in two more tables; version 3 keeps them in memory and records how far
/// folding went in `meta["folded"]`. Files of versions 1 and 2 are upgraded when opened:
/// every row is folded, and the record says so.
pub const FORMAT_VERSION: u32 = 3;
/// The value of `meta["magic"]`: tells a Stockbook file from any other redb file.
pub(crate) const MAGIC: &[u8] = b"stockbook";
