//! The [`Stockbook`] handle: open and close, options, and the write path.
//!
//! One writer thread owns the store's write transaction. Callers queue their commands and
//! wait; the writer drains the queue into a group, decides and applies each command in
//! order against its own copy of the state, writes the group's events and index rows in
//! one transaction, commits once (durably, by default) and only then answers every
//! caller and lets readers see the new state. A refused command is refused alone: deciding
//! is pure, so it leaves nothing to undo. An atomic batch that fails half-way is undone
//! with the state's journal.
//!
//! The writer is fail-stop. A panic while one request is decided or applied refuses that
//! request alone (`internal`) and rolls the writer back to before it; checks of the
//! group's invariants before every commit (sequence numbers, reserved within on hand,
//! folding within the log) stop the writer on failure (`invariant_violated`, sticky for
//! every later write) rather than commit a state it cannot vouch for. Remembered
//! idempotency keys expire after `Options::key_retention_ms` and are pruned a few per
//! group.

mod api;
mod open;
pub(crate) mod rows;
mod writer;

pub use api::{EventIter, Feed, WithMeta};

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicI64, AtomicU8, Ordering};
use std::thread::JoinHandle;

use crossbeam_channel::Sender;
use parking_lot::{Condvar, Mutex, RwLock};
use serde::{Deserialize, Serialize};

use crate::command::Command;
use crate::command::state::State;
use crate::error::{Error, Result};
use crate::ledger::retention::Retention;
use crate::ledger::{Meta, Receipt};
use crate::model::Timestamp;
use crate::store::backend::StoreRead;
use crate::store::{Store, recent};
use open::load_state;
use writer::{Request, Writer};

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

/// The default retention window of closed records: seven days.
pub const CLOSED_RETENTION_MS: i64 = 7 * crate::model::DAY_MS;

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
    /// The store's page cache, in bytes.
    pub cache_size_bytes: usize,
    /// Events per block of the newest index rows kept in memory, for a new file (a file
    /// keeps the length it was created with). Longer blocks fold into the tables with
    /// fewer page writes per event and keep more rows in memory, for up to two blocks: an
    /// index row takes 80 bytes and a history pair 32, and a stream of receipts, issues and
    /// transfers makes about two and a half rows and one pair per event. The stored index
    /// keeps an item's rows by block, and a question at a past time reads one stored value
    /// per block of the item's history: longer blocks also make those questions cheaper.
    pub index_block_events: u64,
    /// How long an idempotency key is remembered, in milliseconds of the engine clock
    /// (default 30 days). Within it a retry answers the first outcome; after it a retry
    /// answers `key_expired` and is not executed again. Expired keys' records are pruned by
    /// the writer, a bounded number per commit group; each leaves a tombstone of 8 bytes
    /// (a hash of the key, plus the table's per-entry overhead) for as long as the file
    /// lives, which is how an expired key is still told from a new one. Keys remembered
    /// by a build that did not record their time count from when this build first opened
    /// the file: they are kept one more full window.
    pub key_retention_ms: i64,
    /// How long a closed record stays in memory, for a new file (a file keeps the window it
    /// was created with, so that a replay of its log always follows one rule): closed
    /// reservations (committed, released, expired), orders (delivered, cancelled) and
    /// purchase orders (received in full, closed, cancelled) then leave memory for the
    /// file's `closed` table, where every question still finds them. The window counts
    /// from a purchase order's closing (or last receipt), and from the creation of a
    /// reservation or an order (their records carry no closing time); records leave at
    /// the first event of each retention bucket (an eighth of the window, at most an
    /// hour) that finds them due. `i64::MAX` keeps them all in memory.
    pub closed_retention_ms: i64,
}

/// The default of [`Options::key_retention_ms`]: 30 days.
pub const KEY_RETENTION_MS_DEFAULT: i64 = 30 * crate::model::DAY_MS;

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
            key_retention_ms: KEY_RETENTION_MS_DEFAULT,
            closed_retention_ms: CLOSED_RETENTION_MS,
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

/// The parts shared by the handle, its clones and the writer.
pub(crate) struct Core {
    pub(crate) store: Store,
    pub(crate) state: RwLock<State>,
    /// The newest committed view of the index and history.
    view: RwLock<Arc<StoreRead>>,
    pub(crate) options: Options,
    /// Faults the tests ask for (see [`Stockbook::inject_panic_for_sku`]).
    faults: Faults,
    /// The file's retention rule for closed records.
    pub(crate) retention: Retention,
    /// The last published sequence, for readers that wait for new events
    /// ([`Stockbook::wait_for_events`]).
    published: Mutex<Published>,
    /// Signalled after each commit that published new events, and at close.
    published_changed: Condvar,
}

/// What a waiting reader looks at: the last sequence readers can see, and whether the
/// engine closed (no event will come).
struct Published {
    seq: u64,
    closed: bool,
}

/// Test hooks of the writer. The write path reads one atomic per request (a panic asked
/// for) and one per group (a corrupted check): nothing else unless a test arms them.
#[derive(Default)]
struct Faults {
    /// Whether `panic_sku` is set.
    panic_armed: AtomicBool,
    /// The item whose next decision panics.
    panic_sku: Mutex<Option<String>>,
    /// The invariant check whose input the next group corrupts (0: none).
    invariant: AtomicU8,
    /// Armed (non-zero): the first group committed past sequence `value - 1` panics while
    /// the readers' copy catches up.
    panic_catching_up: std::sync::atomic::AtomicU64,
}

struct Inner {
    core: RwLock<Option<Arc<Core>>>,
    queue: Mutex<Option<Sender<Request>>>,
    writer: Mutex<Option<JoinHandle<Result<()>>>>,
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
    pub fn open_with(path: impl AsRef<Path>, options: Options) -> Result<Stockbook> {
        let path = path.as_ref();
        let store = Store::open(path, options.cache_size_bytes)?;
        Stockbook::start(store, options, Some(path.to_owned()))
    }

    /// A Stockbook that lives in memory only: for tests and scratch work.
    pub fn in_memory() -> Result<Stockbook> {
        Stockbook::in_memory_with(Options::default())
    }

    /// A Stockbook in memory with `options`.
    pub fn in_memory_with(options: Options) -> Result<Stockbook> {
        Stockbook::start(Store::in_memory()?, options, None)
    }

    /// Opens (or creates) a Stockbook over a caller-supplied redb storage backend: for
    /// tests (a backend that loses unsynced writes or fails a call on purpose) and for
    /// custom storage. The backend's I/O errors reach the caller as `storage` errors. A
    /// backend whose creation lost power before redb finished it is created afresh.
    pub fn open_with_backend(
        backend: impl redb::StorageBackend,
        options: Options,
    ) -> Result<Stockbook> {
        let store = Store::with_backend(backend, options.cache_size_bytes)?;
        Stockbook::start(store, options, None)
    }

    fn start(store: Store, options: Options, path: Option<PathBuf>) -> Result<Self> {
        let (core, writer, queue) = Stockbook::prepare(store, options)?;
        Stockbook::launch(core, writer, queue, path)
    }

    /// Opens the file's contents: the engine's shared parts, its writer (not yet running)
    /// and the writer's queue.
    fn prepare(store: Store, options: Options) -> Result<(Arc<Core>, Writer, Sender<Request>)> {
        let now = options.clock.now_ms();
        store.check_or_init(options.index_block_events.max(1), now)?;
        let keys = store.key_clock(now)?;
        let retention = Retention::new(store.closed_retention(options.closed_retention_ms)?);
        let (state, recent, closed) = load_state(&store, retention)?;
        let archive_empty = store.keep_closed(
            closed
                .iter()
                .map(|((kind, id), record)| ((*kind, id.as_str()), record)),
        )?;
        let resume_seq = state.last_seq;
        let mut work = state.clone();
        work.keep_archived(archive_empty);
        let (tx, rx) = crossbeam_channel::bounded(options.queue_depth_max.max(1));
        let view = store.begin_read(recent.clone())?;
        let core = Arc::new(Core {
            store,
            state: RwLock::new(state),
            view: RwLock::new(Arc::new(view)),
            options,
            faults: Faults::default(),
            retention,
            published: Mutex::new(Published {
                seq: resume_seq,
                closed: false,
            }),
            published_changed: Condvar::new(),
        });
        let writer = Writer::new(Arc::clone(&core), work, recent, rx, &keys);
        Ok((core, writer, tx))
    }

    /// Starts the writer's thread and hands out the handle.
    fn launch(
        core: Arc<Core>,
        writer: Writer,
        queue: Sender<Request>,
        path: Option<PathBuf>,
    ) -> Result<Self> {
        let handle = std::thread::Builder::new()
            .name("stockbook-writer".into())
            .spawn(move || writer.run())
            .map_err(Error::from)?;
        Ok(Stockbook {
            inner: Arc::new(Inner {
                core: RwLock::new(Some(core)),
                queue: Mutex::new(Some(queue)),
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
    ///
    /// The last commit's error is the answer (a `storage` error when the final flush
    /// fails: what was not flushed before may be lost), as is `invariant_violated` when the
    /// writer had stopped. The file is released either way.
    pub fn close(&self) -> Result<()> {
        let sender = self.inner.queue.lock().take();
        drop(sender);
        let finished = match self.inner.writer.lock().take() {
            Some(handle) => handle.join().unwrap_or_else(|_| {
                Err(Error::Internal {
                    message: "the writer thread panicked".into(),
                })
            }),
            None => Ok(()),
        };
        let core = self.inner.core.write().take();
        if let Some(core) = &core {
            core.close_published();
        }
        if let Err(err) = finished {
            drop(core);
            return Err(err);
        }
        if let Some(core) = core
            && core.options.durability == Durability::BulkLoad
            && let Ok(Core {
                mut store, view, ..
            }) = Arc::try_unwrap(core)
        {
            // The published read would hold the pages in place.
            drop(view);
            store.compact()?;
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

    /// Runs `f` on the committed state and the engine clock's time, and answers with the
    /// store read of the same commit (where the closed records out of memory are).
    pub(crate) fn read_with_view<T>(
        &self,
        f: impl FnOnce(&State, Timestamp) -> T,
    ) -> Result<(T, Arc<StoreRead>)> {
        let core = self.core()?;
        let now = core.options.clock.now_ms();
        // The writer swaps the view while it holds the state's write lock: taken under the
        // state's read lock, the two are of one commit.
        let state = core.state.read();
        let answer = f(&state, now);
        Ok((answer, core.view()))
    }

    /// How many closed records (reservations, orders, purchase orders) are in memory: those
    /// whose retention window has not passed yet.
    pub fn closed_in_memory(&self) -> Result<usize> {
        self.read(|s| {
            let (reservations, orders, purchase_orders) = s.closed_in_memory();
            reservations + orders + purchase_orders
        })
    }

    /// Runs `f` on the committed state.
    pub(crate) fn read<T>(&self, f: impl FnOnce(&State) -> T) -> Result<T> {
        let core = self.core()?;
        let state = core.state.read();
        Ok(f(&state))
    }

    fn submit(&self, commands: Vec<Command>, meta: Meta, batch: bool) -> Result<Vec<Receipt>> {
        check_limits(&commands, batch)?;
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
            .ok_or_else(|| Error::storage_msg("no receipt for a command"))
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

    /// Test hook: the next decision of a command naming `sku` panics inside the writer
    /// (`None` disarms). Not part of the API.
    #[doc(hidden)]
    pub fn inject_panic_for_sku(&self, sku: Option<&str>) -> Result<()> {
        let core = self.core()?;
        let mut armed = core.faults.panic_sku.lock();
        *armed = sku.map(str::to_owned);
        core.faults
            .panic_armed
            .store(armed.is_some(), Ordering::SeqCst);
        Ok(())
    }

    /// Test hook: the writer panics after the next commit of a group that begins after this
    /// call (whatever the writer still does for groups committed before), once the group's
    /// callers are answered, while it brings the readers' former copy up to date: outside
    /// any one request's work. Not part of the API.
    #[doc(hidden)]
    pub fn inject_writer_panic_after_commit(&self) -> Result<()> {
        let core = self.core()?;
        // Armed as "after this sequence" (plus one, so that zero stays "disarmed").
        let committed = self.last_seq()?;
        core.faults
            .panic_catching_up
            .store(committed + 1, Ordering::SeqCst);
        Ok(())
    }

    /// Test hook: the next group's commit check sees a corrupted input for `invariant`
    /// (`seq_contiguous`, `reserved_within_on_hand` or `folded_within_log`), so that the
    /// check fails. Not part of the API.
    #[doc(hidden)]
    pub fn inject_invariant_fault(&self, invariant: &str) -> Result<()> {
        let fault = writer::Invariant::ALL
            .iter()
            .position(|i| i.name() == invariant)
            .ok_or_else(|| Error::invalid_argument("invariant", "no such invariant"))?;
        let core = self.core()?;
        core.faults
            .invariant
            .store(u8::try_from(fault + 1).unwrap_or(0), Ordering::SeqCst);
        Ok(())
    }
}

/// Refuses a request beyond the engine's limits ([`crate::limits`]), on the caller's
/// thread: the batch's length and each command's counts (a command of an atomic batch is
/// refused as `batch_refused` naming it). The key is a code, checked with the meta.
fn check_limits(commands: &[Command], batch: bool) -> Result<()> {
    use crate::limits::BATCH_COMMANDS_MAX;
    if commands.len() > BATCH_COMMANDS_MAX {
        return Err(Error::limit_exceeded("batch", BATCH_COMMANDS_MAX));
    }
    for (i, command) in commands.iter().enumerate() {
        command.check_limits().map_err(|err| {
            if batch {
                Error::BatchRefused {
                    index: u32::try_from(i).unwrap_or(u32::MAX),
                    source: Box::new(err),
                }
            } else {
                err
            }
        })?;
    }
    Ok(())
}

impl Drop for Inner {
    fn drop(&mut self) {
        self.queue.lock().take();
        if let Some(handle) = self.writer.lock().take() {
            let _ = handle.join();
        }
    }
}

impl Core {
    /// Tells waiting readers that events up to `seq` are visible (a no-op when none are
    /// new, so that a group that only refused wakes nobody).
    pub(crate) fn publish(&self, seq: u64) {
        let mut published = self.published.lock();
        if seq > published.seq {
            published.seq = seq;
            self.published_changed.notify_all();
        }
    }

    /// Tells waiting readers that the engine closed.
    fn close_published(&self) {
        self.published.lock().closed = true;
        self.published_changed.notify_all();
    }

    /// The newest committed view of the index and history.
    pub(crate) fn view(&self) -> Arc<StoreRead> {
        Arc::clone(&self.view.read())
    }
}
