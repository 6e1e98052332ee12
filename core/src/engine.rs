//! The [`Stockbook`] handle: open and close, options, and the write path.
//!
//! One writer thread owns the redb write transaction. Callers queue their commands and
//! wait; the writer drains the queue into a group, decides and applies each command in
//! order against its own copy of the state, writes the group's events and index rows in
//! one transaction, commits once (durably, by default) and only then answers every
//! caller and lets readers see the new state. A refused command is refused alone: deciding
//! is pure, so it leaves nothing to undo. An atomic batch that fails half-way is undone
//! with the state's journal.

use crate::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};
use std::thread::JoinHandle;

use crossbeam_channel::{Receiver, Sender};
use parking_lot::{Mutex, RwLock};
use redb::{Database, ReadableDatabase, ReadableTable};
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result, io_kind};
use crate::event::{Envelope, Event};
use crate::ledger::state::{State, StateImage};
use crate::ledger::{Command, Meta, Receipt, decide};
use crate::model::Timestamp;
use crate::store::recent::{self, Folded, Recent, RecentImage};
use crate::store::{self, FORMAT_VERSION, MAGIC, codec, index};

/// A source of the engine's time.
pub trait Clock: Send + Sync + std::fmt::Debug {
    /// Milliseconds since the Unix epoch.
    fn now_ms(&self) -> Timestamp;
}

/// The operating system's clock.
#[derive(Debug, Default, Clone, Copy)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now_ms(&self) -> Timestamp {
        let since = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap_or_default();
        i64::try_from(since.as_millis()).unwrap_or(i64::MAX)
    }
}

/// A clock that moves only when told: for tests and simulations.
#[derive(Debug, Default)]
pub struct ManualClock {
    now_ms: AtomicI64,
}

impl ManualClock {
    /// A clock standing at `now_ms`.
    pub fn new(now_ms: Timestamp) -> Arc<ManualClock> {
        Arc::new(ManualClock {
            now_ms: AtomicI64::new(now_ms),
        })
    }
    /// Sets the time.
    pub fn set(&self, now_ms: Timestamp) {
        self.now_ms.store(now_ms, Ordering::SeqCst);
    }
    /// Moves the time forward by `ms`.
    pub fn advance(&self, ms: i64) {
        self.now_ms.fetch_add(ms, Ordering::SeqCst);
    }
}

impl Clock for ManualClock {
    fn now_ms(&self) -> Timestamp {
        self.now_ms.load(Ordering::SeqCst)
    }
}

/// When a commit is on disk.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Durability {
    /// Every commit is durable before its callers are answered.
    #[default]
    Immediate,
    /// Commits are not flushed; [`Stockbook::sync`] or closing makes everything durable
    /// with one flush. For initial loads: a crash loses what was not synced. Closing also
    /// compacts the file: pages copied between two flushes cannot be reused until the
    /// flush, so a long load leaves free space behind.
    BulkLoad,
}

/// How a [`Stockbook`] is opened.
#[derive(Debug, Clone)]
pub struct Options {
    /// When a commit is on disk.
    pub durability: Durability,
    /// The engine's clock.
    pub clock: Arc<dyn Clock>,
    /// The most requests committed together in one group.
    pub group_commands_max: usize,
    /// The most requests waiting for the writer; callers wait beyond it (back-pressure).
    pub queue_depth_max: usize,
    /// A snapshot of the ledger state is written every this many events, so that opening
    /// replays at most this many.
    pub snapshot_every_events: u64,
    /// redb's page cache, in bytes.
    pub cache_size_bytes: usize,
    /// Events per block of the newest index rows kept in memory, for a new file (a file
    /// keeps the length it was created with). Longer blocks fold into the tables with
    /// fewer page writes per event and keep more rows in memory, for up to two blocks: an
    /// index row takes 80 bytes and a history pair 32, and a stream of receipts, issues and
    /// transfers makes about two and a half rows and one pair per event. The stored index
    /// keeps an item's rows by block, and a question at a past time reads one stored value
    /// per block of the item's history: longer blocks also make those questions cheaper.
    pub index_block_events: u64,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            durability: Durability::Immediate,
            clock: Arc::new(SystemClock),
            group_commands_max: 4096,
            queue_depth_max: 65_536,
            snapshot_every_events: 250_000,
            cache_size_bytes: 256 * 1024 * 1024,
            index_block_events: recent::BLOCK_EVENTS,
        }
    }
}

impl Options {
    /// Default options with `clock`.
    #[must_use]
    pub fn with_clock(mut self, clock: Arc<dyn Clock>) -> Options {
        self.clock = clock;
        self
    }
    /// Default options with `durability`.
    #[must_use]
    pub fn with_durability(mut self, durability: Durability) -> Options {
        self.durability = durability;
        self
    }
}

/// What a remembered idempotency key holds.
#[derive(Serialize, Deserialize)]
struct KeyRecord {
    fingerprint: Vec<u8>,
    outcome: std::result::Result<Vec<Receipt>, Error>,
}

type Reply = Sender<Result<Vec<Receipt>>>;

enum Request {
    /// `batch`: sent by `execute_batch`, whose refusals are `batch_refused` even for one command.
    Commands {
        commands: Vec<Command>,
        meta: Meta,
        batch: bool,
        reply: Reply,
    },
    Sync {
        reply: Sender<Result<()>>,
    },
}

/// The parts shared by the handle, its clones and the writer.
pub(crate) struct Core {
    pub(crate) db: Database,
    pub(crate) state: RwLock<State>,
    /// The newest committed view of the index and history.
    view: RwLock<Arc<View>>,
    pub(crate) options: Options,
}

/// What readers of the point-in-time index and the per-item history see: a snapshot of
/// the file and the unfolded rows that go with it, published together after each commit,
/// so that every row is counted once — folded in the snapshot or unfolded beside it.
pub(crate) struct View {
    pub(crate) txn: redb::ReadTransaction,
    pub(crate) recent: Recent,
}

struct Inner {
    core: RwLock<Option<Arc<Core>>>,
    queue: Mutex<Option<Sender<Request>>>,
    writer: Mutex<Option<JoinHandle<()>>>,
    path: Option<PathBuf>,
}

/// An open Stockbook: a cheap, `Send + Sync` handle; clones share one engine.
#[derive(Clone)]
pub struct Stockbook {
    inner: Arc<Inner>,
}

impl std::fmt::Debug for Stockbook {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Stockbook")
            .field("path", &self.inner.path)
            .finish_non_exhaustive()
    }
}

impl Stockbook {
    /// Opens (or creates) the Stockbook file at `path` with default options.
    pub fn open(path: impl AsRef<Path>) -> Result<Stockbook> {
        Stockbook::open_with(path, Options::default())
    }

    /// Opens (or creates) the Stockbook file at `path`.
    ///
    /// Refused with `locked` when another process has it open, `not_a_stockbook_file`
    /// for any other file, and `unsupported_format` for a file of a newer format.
    /// A file whose creation lost power before redb finished it (nothing was ever stored
    /// in it) is created afresh.
    pub fn open_with(path: impl AsRef<Path>, options: Options) -> Result<Stockbook> {
        let path = path.as_ref();
        let shown = path.display().to_string();
        let existed = std::fs::metadata(path).is_ok_and(|m| m.len() > 0);
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty())
            && !dir.is_dir()
        {
            return Err(Error::Io {
                path: dir.display().to_string(),
                kind: "not_found".into(),
                message: "the directory does not exist".into(),
            });
        }
        let create = || {
            redb::Builder::new()
                .set_cache_size(options.cache_size_bytes)
                .create(path)
        };
        let db = match create() {
            // Refused, and nobody else has it open: a creation that lost power is begun anew.
            Err(e)
                if existed
                    && !matches!(
                        e,
                        redb::DatabaseError::DatabaseAlreadyOpen
                            | redb::DatabaseError::LockProtocolMismatch
                    ) =>
            {
                if unfinished_file(path).unwrap_or(false) {
                    create().map_err(|e| open_error(e, &shown, existed))?
                } else {
                    return Err(open_error(e, &shown, existed));
                }
            }
            opened => opened.map_err(|e| open_error(e, &shown, existed))?,
        };
        Stockbook::start(db, options, Some(path.to_owned()), &shown)
    }

    /// A Stockbook that lives in memory only: for tests and scratch work.
    pub fn in_memory() -> Result<Stockbook> {
        Stockbook::in_memory_with(Options::default())
    }

    /// A Stockbook in memory with `options`.
    pub fn in_memory_with(options: Options) -> Result<Stockbook> {
        let db = redb::Builder::new()
            .create_with_backend(redb::backends::InMemoryBackend::new())
            .map_err(Error::storage)?;
        Stockbook::start(db, options, None, ":memory:")
    }

    /// Opens (or creates) a Stockbook over a caller-supplied redb storage backend: for
    /// tests (a backend that loses unsynced writes or fails a call on purpose) and for
    /// custom storage. The backend's I/O errors reach the caller as `storage` errors. A
    /// backend whose creation lost power before redb finished it is created afresh.
    pub fn open_with_backend(
        backend: impl redb::StorageBackend,
        options: Options,
    ) -> Result<Stockbook> {
        // A creation that lost power is begun anew (see `store::creation`).
        let len = backend.len().map_err(Error::storage)?;
        if store::creation::is_unfinished(len, |at, out| backend.read(at, out))
            .map_err(Error::storage)?
        {
            backend.set_len(0).map_err(Error::storage)?;
            backend.sync_data().map_err(Error::storage)?;
        }
        let db = redb::Builder::new()
            .set_cache_size(options.cache_size_bytes)
            .create_with_backend(backend)
            .map_err(Error::storage)?;
        Stockbook::start(db, options, None, ":backend:")
    }

    fn start(db: Database, options: Options, path: Option<PathBuf>, shown: &str) -> Result<Self> {
        check_or_init_meta(&db, shown, options.index_block_events.max(1))?;
        let (state, recent) = load_state(&db)?;
        let (tx, rx) = crossbeam_channel::bounded(options.queue_depth_max.max(1));
        let view = View {
            txn: db.begin_read().map_err(Error::storage)?,
            recent: recent.clone(),
        };
        let core = Arc::new(Core {
            db,
            state: RwLock::new(state.clone()),
            view: RwLock::new(Arc::new(view)),
            options,
        });
        let writer = Writer {
            core: Arc::clone(&core),
            work: state,
            recent,
            rx,
        };
        let handle = std::thread::Builder::new()
            .name("stockbook-writer".into())
            .spawn(move || writer.run())
            .map_err(Error::from)?;
        Ok(Stockbook {
            inner: Arc::new(Inner {
                core: RwLock::new(Some(core)),
                queue: Mutex::new(Some(tx)),
                writer: Mutex::new(Some(handle)),
                path,
            }),
        })
    }

    /// The file's path (`None` in memory).
    pub fn path(&self) -> Option<&Path> {
        self.inner.path.as_deref()
    }

    /// Closes the engine for every clone of this handle: waits for queued commands, makes
    /// everything durable and releases the file. Later calls answer `closed`. In bulk-load
    /// mode the file is compacted first, unless a reader on another thread is still in the
    /// middle of a question (the file is then left as it is: sound, only larger).
    pub fn close(&self) -> Result<()> {
        let sender = self.inner.queue.lock().take();
        drop(sender);
        if let Some(handle) = self.inner.writer.lock().take() {
            handle
                .join()
                .map_err(|_| Error::storage("the writer thread panicked"))?;
        }
        let core = self.inner.core.write().take();
        if let Some(core) = core
            && core.options.durability == Durability::BulkLoad
            && let Ok(Core { mut db, view, .. }) = Arc::try_unwrap(core)
        {
            // The published read transaction would hold the pages in place.
            drop(view);
            match db.compact() {
                Ok(_) | Err(redb::CompactionError::TransactionInProgress) => {}
                Err(e) => return Err(Error::storage(e)),
            }
        }
        Ok(())
    }

    pub(crate) fn core(&self) -> Result<Arc<Core>> {
        self.inner.core.read().clone().ok_or(Error::Closed)
    }

    /// Runs `f` on the committed state and the engine clock's time, from one handle look-up.
    pub(crate) fn read_now<T>(&self, f: impl FnOnce(&State, Timestamp) -> T) -> Result<T> {
        let core = self.core()?;
        let now = core.options.clock.now_ms();
        let state = core.state.read();
        Ok(f(&state, now))
    }

    /// Runs `f` on the committed state.
    pub(crate) fn read<T>(&self, f: impl FnOnce(&State) -> T) -> Result<T> {
        let core = self.core()?;
        let state = core.state.read();
        Ok(f(&state))
    }

    fn submit(&self, commands: Vec<Command>, meta: Meta, batch: bool) -> Result<Vec<Receipt>> {
        let (reply, answer) = crossbeam_channel::bounded(1);
        let sender = self.inner.queue.lock().clone().ok_or(Error::Closed)?;
        sender
            .send(Request::Commands {
                commands,
                meta,
                batch,
                reply,
            })
            .map_err(|_| Error::Closed)?;
        answer.recv().map_err(|_| Error::Closed)?
    }

    /// Executes one command; answered once it is durable (or refused).
    pub fn execute(&self, command: impl Into<Command>, meta: Meta) -> Result<Receipt> {
        let mut receipts = self.submit(vec![command.into()], meta, false)?;
        receipts
            .pop()
            .ok_or_else(|| Error::storage("no receipt for a command"))
    }

    /// Executes `commands` all or nothing, in order, in one commit. A refusal is
    /// `batch_refused` naming the command and its own error.
    pub fn execute_batch(&self, commands: Vec<Command>, meta: Meta) -> Result<Vec<Receipt>> {
        if commands.is_empty() {
            return Ok(Vec::new());
        }
        self.submit(commands, meta, true)
    }

    /// Makes everything committed so far durable (needed only in bulk-load mode).
    pub fn sync(&self) -> Result<()> {
        let (reply, answer) = crossbeam_channel::bounded(1);
        let sender = self.inner.queue.lock().clone().ok_or(Error::Closed)?;
        sender
            .send(Request::Sync { reply })
            .map_err(|_| Error::Closed)?;
        answer.recv().map_err(|_| Error::Closed)?
    }

    /// The sequence of the last committed event (0 for an empty log).
    pub fn last_seq(&self) -> Result<u64> {
        self.read(|s| s.last_seq)
    }

    /// The engine clock's time.
    pub fn now(&self) -> Result<Timestamp> {
        Ok(self.core()?.options.clock.now_ms())
    }
}

impl Drop for Inner {
    fn drop(&mut self) {
        self.queue.lock().take();
        if let Some(handle) = self.writer.lock().take() {
            let _ = handle.join();
        }
    }
}

fn open_error(err: redb::DatabaseError, path: &str, existed: bool) -> Error {
    match err {
        redb::DatabaseError::DatabaseAlreadyOpen | redb::DatabaseError::LockProtocolMismatch => {
            Error::Locked {
                path: path.to_owned(),
            }
        }
        redb::DatabaseError::Storage(redb::StorageError::Io(io)) if !existed => Error::Io {
            path: path.to_owned(),
            kind: io_kind(io.kind()),
            message: io.to_string(),
        },
        other if existed => Error::NotAStockbookFile {
            path: path.to_owned(),
            reason: other.to_string(),
        },
        other => Error::storage(other),
    }
}

/// Empties the file at `path` if its creation lost power (see `store::creation`); answers
/// whether it did.
fn unfinished_file(path: &Path) -> std::io::Result<bool> {
    use std::io::{Read, Seek};
    let mut file = std::fs::File::options().read(true).write(true).open(path)?;
    let len = file.metadata()?.len();
    let read = |at, out: &mut [u8]| {
        file.seek(std::io::SeekFrom::Start(at))?;
        file.read_exact(out)
    };
    if !store::creation::is_unfinished(len, read)? {
        return Ok(false);
    }
    file.set_len(0)?;
    file.sync_all()?;
    Ok(true)
}

fn check_or_init_meta(db: &Database, path: &str, block_events: u64) -> Result<()> {
    let not_ours = |reason: &str| Error::NotAStockbookFile {
        path: path.to_owned(),
        reason: reason.to_owned(),
    };
    let read = db.begin_read().map_err(Error::storage)?;
    let tables: Vec<String> = read
        .list_tables()
        .map_err(Error::storage)?
        .map(|t| redb::TableHandle::name(&t).to_owned())
        .collect();
    match read.open_table(store::META) {
        Ok(meta) => {
            let ours = meta
                .get("magic")
                .map_err(Error::storage)?
                .is_some_and(|magic| magic.value() == MAGIC);
            if !ours {
                return Err(not_ours("no Stockbook magic in its meta table"));
            }
            let version = meta
                .get("format_version")
                .map_err(Error::storage)?
                .and_then(|v| <[u8; 4]>::try_from(v.value()).ok())
                .map(u32::from_le_bytes)
                .ok_or_else(|| not_ours("no format version"))?;
            if version > FORMAT_VERSION {
                return Err(Error::UnsupportedFormat {
                    found: version,
                    supported: FORMAT_VERSION,
                });
            }
            drop(meta);
            drop(read);
            if version < FORMAT_VERSION {
                upgrade(db, &tables, version, block_events)?;
            }
            Ok(())
        }
        Err(redb::TableError::TableDoesNotExist(_)) if tables.is_empty() => {
            drop(read);
            let txn = db.begin_write().map_err(Error::storage)?;
            {
                let mut meta = txn.open_table(store::META).map_err(Error::storage)?;
                meta.insert("magic", MAGIC).map_err(Error::storage)?;
                meta.insert("format_version", FORMAT_VERSION.to_le_bytes().as_slice())
                    .map_err(Error::storage)?;
                txn.open_table(store::EVENTS).map_err(Error::storage)?;
                meta.insert("folded", codec::encode(&Folded::default())?.as_slice())
                    .map_err(Error::storage)?;
                meta.insert("block_events", block_events.to_le_bytes().as_slice())
                    .map_err(Error::storage)?;
                txn.open_table(store::ITEM_EVENTS).map_err(Error::storage)?;
                txn.open_table(store::INDEX_PARTS).map_err(Error::storage)?;
                txn.open_table(store::IDEMPOTENCY).map_err(Error::storage)?;
                txn.open_table(store::SNAPSHOTS).map_err(Error::storage)?;
            }
            txn.commit().map_err(Error::storage)
        }
        Err(redb::TableError::TableDoesNotExist(_)) => Err(not_ours("a redb file of other tables")),
        Err(e) => Err(not_ours(&e.to_string())),
    }
}

/// Brings a file of an older version to the current one in one transaction. In files of
/// versions 1 and 2 every row of the log is folded, and the record says so; version 2's
/// recent tables are folded too and dropped. The rows of `moves` are packed into
/// `index_parts` (by the file's block length), and `moves` and its bucket totals dropped.
fn upgrade(db: &Database, tables: &[String], version: u32, block_events: u64) -> Result<()> {
    let has = |name: &str| tables.iter().any(|t| t == name);
    let txn = db.begin_write().map_err(Error::storage)?;
    let mut meta = txn.open_table(store::META).map_err(Error::storage)?;
    if version < 3 {
        let last_seq = {
            let events = txn.open_table(store::EVENTS).map_err(Error::storage)?;
            store::log::last_seq(&events)?
        };
        let folded = Folded {
            seq: last_seq,
            ..Folded::default()
        };
        meta.insert("folded", codec::encode(&folded)?.as_slice())
            .map_err(Error::storage)?;
        meta.insert("block_events", block_events.to_le_bytes().as_slice())
            .map_err(Error::storage)?;
    }
    let block_events = stored_block_events(&meta)?.unwrap_or(block_events);
    meta.insert("format_version", FORMAT_VERSION.to_le_bytes().as_slice())
        .map_err(Error::storage)?;
    drop(meta);
    // Opened even when the file has no `moves`: `index_parts` exists afterwards.
    pack_moves(&txn, block_events)?;
    if has("recent_moves") {
        let rows: Vec<recent::MoveRow> = {
            let table = txn
                .open_table(store::V2_RECENT_MOVES)
                .map_err(Error::storage)?;
            let mut rows = Vec::new();
            for row in table.iter().map_err(Error::storage)? {
                let (key, value) = row.map_err(Error::storage)?;
                let (_, sku, location, code, ordinal, seq) = key.value();
                rows.push(recent::MoveRow::from_key(
                    (sku, location, code, ordinal, seq),
                    value.value(),
                ));
            }
            rows
        };
        let mut parts = txn.open_table(store::INDEX_PARTS).map_err(Error::storage)?;
        index::fold_rows(&mut parts, &rows, block_events)?;
        drop(parts);
        txn.delete_table(store::V2_RECENT_MOVES)
            .map_err(Error::storage)?;
    }
    if has("recent_item_events") {
        let pairs: Vec<recent::Pair> = {
            let table = txn
                .open_table(store::V2_RECENT_ITEM_EVENTS)
                .map_err(Error::storage)?;
            let mut pairs = Vec::new();
            for row in table.iter().map_err(Error::storage)? {
                let (key, ()) = row.map_err(Error::storage).map(|(k, v)| (k, v.value()))?;
                let (_, sku, seq) = key.value();
                pairs.push((sku.into(), seq));
            }
            pairs
        };
        let mut archive = txn.open_table(store::ITEM_EVENTS).map_err(Error::storage)?;
        store::history::fold_pairs(&mut archive, &pairs)?;
        drop(archive);
        txn.delete_table(store::V2_RECENT_ITEM_EVENTS)
            .map_err(Error::storage)?;
    }
    if has("move_sums") {
        txn.delete_table(store::V3_MOVE_SUMS)
            .map_err(Error::storage)?;
    }
    txn.commit().map_err(Error::storage)
}

/// Packs the index rows of `moves` into `index_parts`, in key order and in batches, and
/// drops `moves`.
fn pack_moves(txn: &redb::WriteTransaction, block_events: u64) -> Result<()> {
    const BATCH: usize = 100_000;
    let moves = txn.open_table(store::V3_MOVES).map_err(Error::storage)?;
    let mut parts = txn.open_table(store::INDEX_PARTS).map_err(Error::storage)?;
    let mut batch: Vec<recent::MoveRow> = Vec::with_capacity(BATCH);
    for row in moves.iter().map_err(Error::storage)? {
        let (key, value) = row.map_err(Error::storage)?;
        batch.push(recent::MoveRow::from_key(key.value(), value.value()));
        if batch.len() == BATCH {
            index::fold_rows(&mut parts, &batch, block_events)?;
            batch.clear();
        }
    }
    index::fold_rows(&mut parts, &batch, block_events)?;
    drop(moves);
    drop(parts);
    txn.delete_table(store::V3_MOVES).map_err(Error::storage)?;
    Ok(())
}

/// The block length the meta table records, if it does.
fn stored_block_events(
    meta: &impl ReadableTable<&'static str, &'static [u8]>,
) -> Result<Option<u64>> {
    Ok(meta
        .get("block_events")
        .map_err(Error::storage)?
        .and_then(|v| <[u8; 8]>::try_from(v.value()).ok())
        .map(u64::from_le_bytes)
        .filter(|&n| n > 0))
}

/// How far folding went and the block length, as the file says.
fn read_folded(read: &redb::ReadTransaction) -> Result<(Folded, u64)> {
    let meta = read.open_table(store::META).map_err(Error::storage)?;
    let folded = meta
        .get("folded")
        .map_err(Error::storage)?
        .ok_or_else(|| Error::storage("the file does not say how far its index is folded"))?;
    let block_events = stored_block_events(&meta)?
        .ok_or_else(|| Error::storage("the file does not say its index block length"))?;
    Ok((codec::decode(folded.value())?, block_events))
}

/// The state as of the last commit, and the unfolded index rows and history pairs: the
/// newest snapshot, then the events after it replayed, regenerating the rows of every
/// event not yet folded.
fn load_state(db: &Database) -> Result<(State, Recent)> {
    let read = db.begin_read().map_err(Error::storage)?;
    let (folded, block_events) = read_folded(&read)?;
    let snapshots = read.open_table(store::SNAPSHOTS).map_err(Error::storage)?;
    let fresh = || (State::with_builtins(), Recent::new(folded, block_events));
    let (mut state, mut recent) = match snapshots.last().map_err(Error::storage)? {
        Some((_, bytes)) => {
            let bytes = bytes.value();
            match codec::decode::<(StateImage, RecentImage)>(bytes) {
                Ok((image, rows)) => (
                    State::from_image(image),
                    Recent::from_image(rows, folded, block_events),
                ),
                // A snapshot of an older version, without rows: enough when it is no newer
                // than everything folded (as after an upgrade).
                Err(_) => match codec::decode::<StateImage>(bytes) {
                    Ok(image) if image.last_seq() <= folded.seq => {
                        (State::from_image(image), Recent::new(folded, block_events))
                    }
                    // A snapshot this build cannot use is only a lost shortcut: replay all.
                    _ => fresh(),
                },
            }
        }
        None => fresh(),
    };
    let events = read.open_table(store::EVENTS).map_err(Error::storage)?;
    let mut rows: Vec<IndexEntry> = Vec::new();
    let mut pairs: Vec<(String, u64)> = Vec::new();
    let flush =
        |recent: &mut Recent, rows: &mut Vec<IndexEntry>, pairs: &mut Vec<(String, u64)>| {
            let index: Vec<index::IndexRow<'_>> = rows.iter().map(IndexEntry::row).collect();
            let borrowed: Vec<(&str, u64)> = pairs.iter().map(|(s, q)| (s.as_str(), *q)).collect();
            recent.add(&index, &borrowed);
            rows.clear();
            pairs.clear();
        };
    state.begin_replay();
    store::log::scan_ahead(&events, state.last_seq + 1, |env| {
        let unfolded = env.seq > folded.seq;
        if unfolded {
            rows.extend(index_rows(&state, env));
        }
        state.apply(env);
        if unfolded {
            pairs.extend(
                state
                    .skus_of(&env.event)
                    .into_iter()
                    .map(|sku| (sku, env.seq)),
            );
            if pairs.len() >= 65_536 {
                flush(&mut recent, &mut rows, &mut pairs);
            }
        }
        Ok(true)
    })?;
    state.finish_replay();
    flush(&mut recent, &mut rows, &mut pairs);
    recent.resume(folded);
    Ok((state, recent))
}

/// One point-in-time index row, owned.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct IndexEntry {
    pub measure: index::Measure,
    pub sku: String,
    pub location: String,
    pub effective_at: i64,
    pub seq: u64,
    pub delta: i64,
    /// The total at (sku, location) after this change.
    pub running: i64,
}

impl IndexEntry {
    /// The borrowed row the index writes.
    pub(crate) fn row(&self) -> index::IndexRow<'_> {
        index::IndexRow {
            measure: self.measure,
            sku: &self.sku,
            location: &self.location,
            effective_at: self.effective_at,
            seq: self.seq,
            delta: self.delta,
            running: self.running,
        }
    }
}

/// The events of one group, with the index rows they add, in log order.
#[derive(Default)]
struct GroupBuffer {
    events: Vec<Envelope>,
    index: Vec<IndexEntry>,
}

impl GroupBuffer {
    fn mark(&self) -> (usize, usize) {
        (self.events.len(), self.index.len())
    }
    fn truncate(&mut self, (events, index): (usize, usize)) {
        self.events.truncate(events);
        self.index.truncate(index);
    }
}

/// The index rows of one event, from the state just before it applies: each physical
/// side of a movement, and each change of a reservation at its scope.
pub(crate) fn index_rows(state: &State, env: &Envelope) -> Vec<IndexEntry> {
    let row = |measure, sku: &str, location: &str, delta: i64| IndexEntry {
        measure,
        sku: sku.to_owned(),
        location: location.to_owned(),
        effective_at: env.effective_at,
        seq: env.seq,
        delta,
        running: state
            .exact(measure == index::Measure::Reserved, sku, location)
            .saturating_add(delta),
    };
    let reservation = |id: &str| state.reservations.get(id);
    match &env.event {
        Event::Moved(m) => [(&m.from, -m.qty.units()), (&m.to, m.qty.units())]
            .into_iter()
            .filter(|(loc, _)| !state.is_virtual(loc))
            .map(|(loc, delta)| row(index::Measure::OnHand, &m.sku, loc, delta))
            .collect(),
        Event::ReservationCreated(r) => {
            vec![row(
                index::Measure::Reserved,
                &r.sku,
                &r.scope,
                r.qty.units(),
            )]
        }
        Event::ReservationCommitted { id, qty } | Event::ReservationReleased { id, qty } => {
            reservation(id)
                .map(|r| row(index::Measure::Reserved, &r.sku, &r.scope, -qty.units()))
                .into_iter()
                .collect()
        }
        Event::ReservationExpired { id } => reservation(id)
            .map(|r| row(index::Measure::Reserved, &r.sku, &r.scope, -r.qty.units()))
            .into_iter()
            .collect(),
        _ => Vec::new(),
    }
}

/// The fewest index rows and history pairs a group folds while a block waits.
const FOLD_ROWS_MIN: usize = 64;

struct Writer {
    core: Arc<Core>,
    work: State,
    /// The unfolded rows and pairs, as of the group being written.
    recent: Recent,
    rx: Receiver<Request>,
}

impl Writer {
    fn run(mut self) {
        let group_max = self.core.options.group_commands_max.max(1);
        let mut snapshot_seq = self.work.last_seq;
        while let Ok(first) = self.rx.recv() {
            let mut group = Vec::with_capacity(64);
            group.push(first);
            while group.len() < group_max {
                match self.rx.try_recv() {
                    Ok(req) => group.push(req),
                    Err(_) => break,
                }
            }
            self.process(group, &mut snapshot_seq);
        }
        // Closing: one last durable commit with a fresh snapshot.
        let _ = self.commit_final(snapshot_seq);
    }

    fn process(&mut self, group: Vec<Request>, snapshot_seq: &mut u64) {
        let now = self.core.options.clock.now_ms();
        let mut buffer = GroupBuffer::default();
        let mut keys: HashMap<String, KeyRecord> = HashMap::default();
        let mut answers: Vec<(Reply, Result<Vec<Receipt>>)> = Vec::with_capacity(group.len());
        let mut syncs = Vec::new();
        let txn = match self.core.db.begin_write() {
            Ok(txn) => txn,
            Err(e) => {
                let err = Error::storage(e);
                for req in group {
                    match req {
                        Request::Commands { reply, .. } => {
                            let _ = reply.send(Err(err.clone()));
                        }
                        Request::Sync { reply } => {
                            let _ = reply.send(Err(err.clone()));
                        }
                    }
                }
                return;
            }
        };
        self.expire_due(now, &mut buffer);
        for req in group {
            match req {
                Request::Commands {
                    commands,
                    meta,
                    batch,
                    reply,
                } => {
                    let outcome =
                        self.handle(&txn, &commands, &meta, batch, now, &mut buffer, &mut keys);
                    answers.push((reply, outcome));
                }
                Request::Sync { reply } => syncs.push(reply),
            }
        }
        let take_snapshot = self.work.last_seq
            >= snapshot_seq.saturating_add(self.core.options.snapshot_every_events);
        // A group that only refused (and remembered no key) changed nothing: it needs no
        // commit, so its callers do not wait for a flush.
        let written = if buffer.events.is_empty() && keys.is_empty() && syncs.is_empty() {
            txn.abort().map_err(Error::storage)
        } else {
            self.write_group(txn, &buffer, &keys, take_snapshot, !syncs.is_empty())
        };
        match written {
            Ok(()) => {
                if take_snapshot {
                    *snapshot_seq = self.work.last_seq;
                }
                let view = self.next_view();
                {
                    // The view changes under the state's lock, so that a reader holding
                    // the lock sees the two of one commit.
                    let mut shared = self.core.state.write();
                    if let Some(view) = view {
                        *self.core.view.write() = view;
                    }
                    for env in &buffer.events {
                        shared.apply(env);
                    }
                }
                for (reply, outcome) in answers {
                    let _ = reply.send(outcome);
                }
                for reply in syncs {
                    let _ = reply.send(Ok(()));
                }
            }
            Err(err) => {
                // Nothing of the group is on disk: go back to what readers see.
                self.work = self.core.state.read().clone();
                self.recent = self.core.view().recent.clone();
                for (reply, _) in answers {
                    let _ = reply.send(Err(err.clone()));
                }
                for reply in syncs {
                    let _ = reply.send(Err(err.clone()));
                }
            }
        }
    }

    /// Decides and applies one request (one command, or an atomic batch).
    #[allow(clippy::too_many_arguments)]
    fn handle(
        &mut self,
        txn: &redb::WriteTransaction,
        commands: &[Command],
        meta: &Meta,
        batch: bool,
        now: Timestamp,
        buffer: &mut GroupBuffer,
        keys: &mut HashMap<String, KeyRecord>,
    ) -> Result<Vec<Receipt>> {
        meta.validate(now)?;
        let fingerprint = match &meta.key {
            Some(key) => {
                let fingerprint = fingerprint(commands, meta)?;
                let earlier = match keys.get(key) {
                    Some(rec) => Some((rec.fingerprint.clone(), rec.outcome.clone())),
                    None => remembered(txn, key)?.map(|rec| (rec.fingerprint, rec.outcome)),
                };
                if let Some((earlier_fingerprint, outcome)) = earlier {
                    if earlier_fingerprint != fingerprint {
                        return Err(Error::Conflict {
                            key: key.clone(),
                            reason: "the key was used for a different command".into(),
                        });
                    }
                    return outcome;
                }
                Some(fingerprint)
            }
            None => None,
        };
        // Only an atomic batch can need undoing: a single command is decided before it
        // changes anything, so it is not journaled.
        let journal_mark = (commands.len() > 1).then(|| self.work.begin_journal());
        let buffer_mark = buffer.mark();
        let mut receipts = Vec::with_capacity(commands.len());
        let mut outcome = Ok(());
        for (i, command) in commands.iter().enumerate() {
            match decide(&self.work, command, now, self.work.last_seq + 1) {
                Ok(decision) => {
                    let first_seq = self.work.last_seq + 1;
                    for event in decision.events {
                        self.append(event, meta, now, None, buffer);
                    }
                    self.follow_up(command, meta, now, buffer);
                    receipts.push(Receipt {
                        first_seq,
                        last_seq: self.work.last_seq,
                        transfer_id: decision.transfer_id,
                        difference: decision.difference,
                        reservation_id: decision.reservation_id,
                    });
                }
                Err(err) => {
                    if let Some(mark) = journal_mark {
                        self.work.rollback_to(mark);
                    }
                    buffer.truncate(buffer_mark);
                    outcome = Err(if batch {
                        Error::BatchRefused {
                            index: i as u32,
                            source: Box::new(err),
                        }
                    } else {
                        err
                    });
                    break;
                }
            }
        }
        if journal_mark.is_some() {
            self.work.end_journal();
        }
        let outcome = outcome.map(|()| receipts);
        if let (Some(key), Some(fingerprint)) = (&meta.key, fingerprint) {
            keys.insert(
                key.clone(),
                KeyRecord {
                    fingerprint,
                    outcome: outcome.clone(),
                },
            );
        }
        outcome
    }

    /// Wraps `event` in its envelope (the next sequence, the caller's meta, `reason` in
    /// place of the caller's when the engine acts on its own), applies it to the
    /// writer's state and buffers it with its index rows.
    fn append(
        &mut self,
        event: Event,
        meta: &Meta,
        now: Timestamp,
        reason: Option<&str>,
        buffer: &mut GroupBuffer,
    ) {
        let env = Envelope {
            seq: self.work.last_seq + 1,
            recorded_at: now,
            effective_at: meta.effective_at.unwrap_or(now),
            actor: meta.actor.clone(),
            key: meta.key.clone(),
            correlation: meta.correlation.clone(),
            reason: reason.map_or_else(|| meta.reason.clone(), |r| Some(r.to_owned())),
            event,
        };
        buffer.index.extend(index_rows(&self.work, &env));
        self.work.apply(&env);
        buffer.events.push(env);
    }

    /// Records the expiry of every reservation whose time ran out, before any command of
    /// the group: from then on they hold nothing and cannot be committed. Each expiry is
    /// effective at its own expiry time.
    fn expire_due(&mut self, now: Timestamp, buffer: &mut GroupBuffer) {
        for (expired_at, event) in crate::orders::decide::due_expiries(&self.work, now) {
            let meta = Meta::new().actor("stockbook").effective_at(expired_at);
            self.append(event, &meta, now, Some("time-to-live ran out"), buffer);
        }
    }

    /// Work a command triggers in the same commit: stock that arrives fills backorders of
    /// its item in policy order.
    fn follow_up(
        &mut self,
        command: &Command,
        meta: &Meta,
        now: Timestamp,
        buffer: &mut GroupBuffer,
    ) {
        let sku = match command {
            Command::Receive(r) => Some(r.sku.as_str()),
            Command::Adjust(a) if !a.qty.is_negative() => Some(a.sku.as_str()),
            Command::Count(c) => Some(c.sku.as_str()),
            Command::ReceiveTransfer(r) => self
                .work
                .transfers
                .get(&r.transfer_id)
                .map(|t| t.sku.as_str()),
            Command::ReceivePurchaseOrder(r) => self
                .work
                .purchase_orders
                .get(&r.po_id)
                .and_then(|po| po.lines.iter().find(|l| l.line == r.line))
                .map(|l| l.sku.as_str()),
            _ => None,
        };
        let Some(sku) = sku.map(str::to_owned) else {
            return;
        };
        if !crate::orders::decide::has_backorders(&self.work, &sku) {
            return;
        }
        let fill = Command::FillBackorders(crate::orders::FillBackorders {
            sku: Some(sku),
            ..Default::default()
        });
        // A fill that finds nothing to do, or fails, leaves the receipt as it was.
        if let Ok(decision) = decide(&self.work, &fill, now, self.work.last_seq + 1) {
            for event in decision.events {
                let reason = "backorders filled by arriving stock";
                self.append(event, meta, now, Some(reason), buffer);
            }
        }
    }

    /// Writes a group: its log chunks and idempotency keys; its index rows and history
    /// pairs go to memory, and while a complete block waits, a share of it is folded into
    /// the tables — twice what the group adds, so that a block is folded before the next
    /// one completes.
    fn write_group(
        &mut self,
        mut txn: redb::WriteTransaction,
        buffer: &GroupBuffer,
        keys: &HashMap<String, KeyRecord>,
        take_snapshot: bool,
        force_durable: bool,
    ) -> Result<()> {
        let durability = match self.core.options.durability {
            Durability::BulkLoad if !force_durable => redb::Durability::None,
            _ => redb::Durability::Immediate,
        };
        txn.set_durability(durability).map_err(Error::storage)?;
        if let Some(newest) = buffer.events.last() {
            let mut events = txn.open_table(store::EVENTS).map_err(Error::storage)?;
            store::log::append(&mut events, &buffer.events)?;
            let skus: Vec<(Vec<String>, u64)> = buffer
                .events
                .iter()
                .map(|env| (self.work.skus_of(&env.event), env.seq))
                .collect();
            let pairs: Vec<(&str, u64)> = skus
                .iter()
                .flat_map(|(skus, seq)| skus.iter().map(|sku| (sku.as_str(), *seq)))
                .collect();
            let rows: Vec<index::IndexRow<'_>> = buffer.index.iter().map(IndexEntry::row).collect();
            self.recent.add(&rows, &pairs);
            let budget = 2 * (2 * rows.len() + pairs.len()) + FOLD_ROWS_MIN;
            if let Some(share) = self
                .recent
                .take_share(self.recent.block(newest.seq), budget)
            {
                let mut parts = txn.open_table(store::INDEX_PARTS).map_err(Error::storage)?;
                index::fold_rows(&mut parts, &share.moves, self.recent.block_events())?;
                let mut archive = txn.open_table(store::ITEM_EVENTS).map_err(Error::storage)?;
                store::history::fold_pairs(&mut archive, &share.pairs)?;
                txn.open_table(store::META)
                    .map_err(Error::storage)?
                    .insert("folded", codec::encode(&self.recent.folded())?.as_slice())
                    .map_err(Error::storage)?;
            }
        }
        if !keys.is_empty() {
            let mut table = txn.open_table(store::IDEMPOTENCY).map_err(Error::storage)?;
            for (key, record) in keys {
                table
                    .insert(key.as_str(), codec::encode(record)?.as_slice())
                    .map_err(Error::storage)?;
            }
        }
        if take_snapshot {
            write_snapshot(&txn, &self.work, &self.recent)?;
        }
        txn.commit().map_err(Error::storage)
    }

    /// The file as just committed with the unfolded rows that go with it. If no read
    /// transaction can be begun, readers keep the previous pair: older, but consistent.
    fn next_view(&self) -> Option<Arc<View>> {
        let txn = self.core.db.begin_read().ok()?;
        Some(Arc::new(View {
            txn,
            recent: self.recent.clone(),
        }))
    }

    fn commit_final(&self, snapshot_seq: u64) -> Result<()> {
        let txn = self.core.db.begin_write().map_err(Error::storage)?;
        if self.work.last_seq > snapshot_seq {
            write_snapshot(&txn, &self.work, &self.recent)?;
        }
        txn.commit().map_err(Error::storage)
    }
}

/// Writes the state and the unfolded rows of its time as the only snapshot.
fn write_snapshot(txn: &redb::WriteTransaction, state: &State, recent: &Recent) -> Result<()> {
    let mut table = txn.open_table(store::SNAPSHOTS).map_err(Error::storage)?;
    let bytes = codec::encode_compressed(&(state.to_image(), recent.to_image()))?;
    // Only the newest snapshot is kept: older ones would only cost space.
    let older: Vec<u64> = table
        .iter()
        .map_err(Error::storage)?
        .filter_map(|r| r.ok().map(|(k, _)| k.value()))
        .collect();
    for seq in older {
        table.remove(seq).map_err(Error::storage)?;
    }
    table
        .insert(state.last_seq, bytes.as_slice())
        .map_err(Error::storage)?;
    Ok(())
}

fn fingerprint(commands: &[Command], meta: &Meta) -> Result<Vec<u8>> {
    let mut unkeyed = meta.clone();
    unkeyed.key = None;
    codec::encode(&(commands, unkeyed))
}

fn remembered(txn: &redb::WriteTransaction, key: &str) -> Result<Option<KeyRecord>> {
    let table = txn.open_table(store::IDEMPOTENCY).map_err(Error::storage)?;
    let found = table.get(key).map_err(Error::storage)?;
    found.map(|bytes| codec::decode(bytes.value())).transpose()
}

impl Core {
    /// A read transaction on the committed file.
    pub(crate) fn begin_read(&self) -> Result<redb::ReadTransaction> {
        self.db.begin_read().map_err(Error::storage)
    }

    /// The newest committed view of the index and history.
    pub(crate) fn view(&self) -> Arc<View> {
        Arc::clone(&self.view.read())
    }
}
