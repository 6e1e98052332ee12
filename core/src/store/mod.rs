//! Storage: the redb tables, the event codec, the point-in-time index and snapshots.
//!
//! What the tables hold is declared in [`schema`]: stored record types of their own,
//! converted to and from the public types (see `FORMAT.md` at the repository root).
//!
//! # The seam
//!
//! Nothing above this module opens a table, begins a transaction or names redb: the
//! engine reaches the store through [`Store`] and the reads and writes it begins, in the
//! store's own terms. A second backend (PostgreSQL) is another implementation of these
//! calls, not a rewrite of their callers. It must provide:
//!
//! - **opening** ([`open`]): a store from its address, refused with the same typed errors
//!   (`locked`, `not_a_stockbook_file`, `io`), and `compact` (which may do nothing);
//! - **the file's records** ([`file`](mod@file)): the format check of an existing
//!   store, the tables of a new one, the upgrades of older formats, and the settings the
//!   store keeps (the index block length, the retention window of closed records, the key
//!   clock);
//! - **a replay** ([`replay`]): at one commit, how far the index is folded, the newest
//!   snapshot and an in-order scan of the log; then keeping the closed records the replay
//!   moved out;
//! - **a read** ([`backend::StoreRead`]) at one commit, published with the unfolded rows of
//!   that commit: the log by sequence, the per-item history, index values at a time or
//!   sequence, the closed records out of memory, and the folded rows (for `verify`);
//! - **a write** ([`backend::StoreWrite`]) of one commit group, all or nothing: appending
//!   events, folding index rows and history pairs, remembering, tombstoning and pruning
//!   idempotency keys, keeping closed records, replacing the snapshot, and a commit that
//!   is durable or left for a later flush.
//!
//! One write is open at a time (the engine's writer); reads never wait for it. The bytes
//! of every record are [`schema`]'s, whatever holds them. Today [`Store`], the read, the
//! write and the replay are concrete types over redb; a second backend makes each an
//! enum (or a trait) over the two, and their callers stay as they are.
//!
//! Tables:
//! - `meta`: format version and the file's magic, how far the index is folded (`folded`)
//!   and its block length (`block_events`), and when this build first opened the file
//!   (`keys_upcast_at`: the recording time of key records that carry none);
//! - `events`: first seq → a chunk of encoded [`Envelope`]s (the log, the only truth;
//!   see [`log`]);
//! - `item_events`: (sku, seq) → () — per-item history without a log scan (see
//!   [`history`]);
//! - `index_parts`: (sku, block, part) → the point-in-time index rows of that item and
//!   block of sequence numbers, packed (see [`index`]);
//! - `idempotency`: key → (command fingerprint, outcome, when it was recorded);
//! - `key_times`: (recorded at, key) → () — the remembered keys in the order they expire;
//! - `key_tombstones`: 64-bit hash of an expired, pruned key → ();
//! - `snapshots`: seq → the ledger state and the unfolded index rows of that time,
//!   compressed, so that opening replays only the tail;
//! - `closed`: (kind, id) → a closed reservation, order or purchase order that left memory
//!   after the file's retention window (`meta["closed_retention_ms"]`).
//!
//! The rows and pairs of the newest events are kept in memory until their block is
//! folded into those two tables (see [`recent`]); `meta["folded"]` says how far.
//!
//! The index has two axes: effective (business) time and sequence. A late-entered
//! movement lands in the bucket of its effective time; nothing already written moves.

pub(crate) mod backend;
pub(crate) mod codec;
mod creation;
pub(crate) mod file;
pub(crate) mod history;
pub(crate) mod index;
pub(crate) mod log;
pub(crate) mod open;
pub(crate) mod recent;
pub(crate) mod replay;
pub(crate) mod row;
pub(crate) mod schema;

pub(crate) use open::Store;

use redb::TableDefinition;

pub(crate) const META: TableDefinition<&str, &[u8]> = TableDefinition::new("meta");
pub(crate) const EVENTS: TableDefinition<u64, &[u8]> = TableDefinition::new("events");
pub(crate) const ITEM_EVENTS: TableDefinition<(&str, u64), ()> =
    TableDefinition::new("item_events");
/// Version 2 only: the newest history pairs, folded into `item_events` on upgrade.
pub(crate) const V2_RECENT_ITEM_EVENTS: TableDefinition<(u64, &str, u64), ()> =
    TableDefinition::new("recent_item_events");
pub(crate) const INDEX_PARTS: TableDefinition<(&str, u64, u32), &[u8]> =
    TableDefinition::new("index_parts");
/// Versions 1 to 3: one B-tree entry per index row, packed into `index_parts` on upgrade.
pub(crate) const V3_MOVES: TableDefinition<(&str, &str, u8, i64, u64), i64> =
    TableDefinition::new("moves");
/// Version 2 only: the newest index rows, folded into `moves` on upgrade.
pub(crate) const V2_RECENT_MOVES: TableDefinition<(u64, &str, &str, u8, i64, u64), i64> =
    TableDefinition::new("recent_moves");
/// Versions 1 to 3: bucket totals above `moves`, dropped on upgrade.
pub(crate) const V3_MOVE_SUMS: TableDefinition<(&str, &str, u8, u8, i64), i64> =
    TableDefinition::new("move_sums");
pub(crate) const IDEMPOTENCY: TableDefinition<&str, &[u8]> = TableDefinition::new("idempotency");
pub(crate) const SNAPSHOTS: TableDefinition<u64, &[u8]> = TableDefinition::new("snapshots");
/// Remembered idempotency keys by the time they were recorded: the order they expire in.
pub(crate) const KEY_TIMES: TableDefinition<(i64, &str), ()> = TableDefinition::new("key_times");
/// The tombstones of expired keys whose records were pruned: a 64-bit hash of each key
/// ([`backend::key_tombstone`]), so that a retry answers `key_expired`.
pub(crate) const KEY_TOMBSTONES: TableDefinition<u64, ()> = TableDefinition::new("key_tombstones");
/// Version 6 on: (kind, id) → a closed record that left memory after its retention window.
/// A file of an older version has no such table until its first write.
pub(crate) const CLOSED: TableDefinition<(u8, &str), &[u8]> = TableDefinition::new("closed");

/// The current format version of a Stockbook file. Version 2 kept the newest index rows
/// and history pairs in two more tables; version 3 keeps them in memory and records how far
/// folding went in `meta["folded"]`; version 4 stores the folded index rows packed by
/// (sku, block) in `index_parts`, instead of one entry per row in `moves` with bucket
/// totals in `move_sums`; version 5 stores its records as the types of `store::schema` (byte
/// for byte format 4's records, plus items with dimensions and weight under new event
/// tags, which a format-4 build cannot read); version 6 moves closed reservations, orders
/// and purchase orders out of memory into the `closed` table after a retention window
/// (`meta["closed_retention_ms"]`), which a format-5 build would not look in; version 7
/// writes format 6's records byte for byte, plus the forecasts a plan made as a new event
/// (tag 19, `forecast_recorded`), which a format-6 build cannot read. Older files
/// are upgraded when opened: versions 1 and 2 have every row folded (and the record says
/// so), `moves` is packed into `index_parts`, and a file of version 4 or 5 has its
/// snapshots dropped (they hold records a replay under retention would have moved out).
pub const FORMAT_VERSION: u32 = 7;
/// The value of `meta["magic"]`: tells a Stockbook file from any other redb file.
pub(crate) const MAGIC: &[u8] = b"stockbook";
