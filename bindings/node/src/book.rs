//! The native `Stockbook` handle, its options and the `ManualClock`: opening, closing and
//! syncing. Every command and query goes through the generic entry of [`crate::call`];
//! the methods users call are generated into `surface.js`.

use std::sync::Arc;

use napi::Env;
use napi::bindgen_prelude::ClassInstance;
use napi_derive::napi;
use stockbook as sb;

use crate::convert::{Refusal, TimeIn, opt_int, time};
use crate::error::{self, throw};
use crate::job::{Later, spawn, spawn_with};

/// A refused argument of a synchronous method, as the error to throw.
pub(crate) fn thrown(env: Env, refusal: Refusal) -> napi::Error {
    match refusal {
        Refusal::Type(err) => err,
        Refusal::Engine(err) => error::to_js(&env, &err),
    }
}

/// A clock that moves only when told: for tests and simulations. Pass it as the `clock`
/// option; the engine stamps events and judges expiry by it.
#[napi]
pub struct ManualClock {
    clock: Arc<sb::ManualClock>,
}

#[napi]
impl ManualClock {
    /// A clock standing at `now` (a `Date` or epoch milliseconds).
    #[napi(constructor)]
    pub fn new(env: Env, #[napi(ts_arg_type = "Date | number")] now: TimeIn) -> napi::Result<Self> {
        let now = time(now, "now").map_err(|r| thrown(env, r))?;
        Ok(ManualClock {
            clock: sb::ManualClock::new(now),
        })
    }

    /// Sets the time (a `Date` or epoch milliseconds).
    #[napi]
    pub fn set(
        &self,
        env: Env,
        #[napi(ts_arg_type = "Date | number")] now: TimeIn,
    ) -> napi::Result<()> {
        self.clock
            .set(time(now, "now").map_err(|r| thrown(env, r))?);
        Ok(())
    }

    /// Moves the time forward by `ms` milliseconds.
    #[napi]
    pub fn advance(&self, env: Env, ms: f64) -> napi::Result<()> {
        self.clock
            .advance(time(napi::Either::A(ms), "ms").map_err(|r| thrown(env, r))?);
        Ok(())
    }

    /// The time, in epoch milliseconds.
    #[napi]
    pub fn now(&self) -> i64 {
        sb::Clock::now_ms(&*self.clock)
    }
}

/// When a commit is on disk.
#[napi(string_enum = "snake_case")]
pub enum Durability {
    /// Every commit is durable before its callers are answered (the default).
    Immediate,
    /// Commits are not flushed; `sync()` or `close()` makes everything durable with one
    /// flush. For initial loads: a crash loses what was not synced.
    BulkLoad,
}

/// How a Stockbook is opened. Every field is optional.
#[napi(object, object_to_js = false)]
pub struct Options<'clock> {
    /// When a commit is on disk (default `immediate`).
    pub durability: Option<Durability>,
    /// The engine's clock (default: the system clock).
    pub clock: Option<ClassInstance<'clock, ManualClock>>,
    /// The most requests committed together in one group.
    pub group_commands_max: Option<f64>,
    /// The most requests waiting for the writer; callers wait beyond it (back-pressure).
    pub queue_depth_max: Option<f64>,
    /// A snapshot of the ledger state is written every this many events, so that opening
    /// replays at most this many.
    pub snapshot_every_events: Option<f64>,
    /// redb's page cache, in bytes.
    pub cache_size_bytes: Option<f64>,
    /// Events per block of the newest index rows kept in memory, for a new file (a file
    /// keeps the length it was created with).
    pub index_block_events: Option<f64>,
}

fn options(o: Option<Options<'_>>) -> Result<sb::Options, Refusal> {
    let mut out = sb::Options::default();
    let Some(o) = o else { return Ok(out) };
    if let Some(d) = o.durability {
        out.durability = match d {
            Durability::Immediate => sb::Durability::Immediate,
            Durability::BulkLoad => sb::Durability::BulkLoad,
        };
    }
    if let Some(clock) = o.clock {
        out.clock = clock.clock.clone();
    }
    let int = |value: Option<f64>, field: &str, default: usize| -> Result<usize, Refusal> {
        Ok(opt_int(value, field)?.unwrap_or(default))
    };
    out.group_commands_max = int(
        o.group_commands_max,
        "groupCommandsMax",
        out.group_commands_max,
    )?;
    out.queue_depth_max = int(o.queue_depth_max, "queueDepthMax", out.queue_depth_max)?;
    out.cache_size_bytes = int(o.cache_size_bytes, "cacheSizeBytes", out.cache_size_bytes)?;
    out.snapshot_every_events = opt_int(o.snapshot_every_events, "snapshotEveryEvents")?
        .unwrap_or(out.snapshot_every_events);
    out.index_block_events =
        opt_int(o.index_block_events, "indexBlockEvents")?.unwrap_or(out.index_block_events);
    Ok(out)
}

/// An open Stockbook (internal: `lib.js` wraps it in the public class).
#[napi]
pub struct Stockbook {
    book: sb::Stockbook,
}

#[napi]
impl Stockbook {
    /// Closes the engine: waits for queued commands, makes everything durable and
    /// releases the file. Later calls are refused with `closed`.
    #[napi(ts_return_type = "Promise<void>")]
    pub fn close(&self) -> napi::Result<Later<()>> {
        let book = self.book.clone();
        Ok(spawn(move || book.close()))
    }

    /// Makes everything committed so far durable (needed only with `bulk_load`).
    #[napi(ts_return_type = "Promise<void>")]
    pub fn sync(&self) -> napi::Result<Later<()>> {
        let book = self.book.clone();
        Ok(spawn(move || book.sync()))
    }

    /// The file's path (`null` in memory).
    #[napi(getter)]
    pub fn path(&self) -> Option<String> {
        self.book.path().map(|p| p.display().to_string())
    }

    /// The engine handle, for the other `impl` blocks of this class.
    pub(crate) fn book(&self) -> &sb::Stockbook {
        &self.book
    }
}

/// Opens (or creates) the Stockbook file at `path`: `Stockbook.open` (set up in `lib.js`,
/// which maps its errors like those of every method).
///
/// Refused with `locked` when another process has it open, `not_a_stockbook_file`
/// for any other file, and `unsupported_format` for a file of a newer format.
#[napi(skip_typescript)]
pub fn open_stockbook(
    path: String,
    options: Option<Options<'_>>,
) -> napi::Result<Later<Stockbook>> {
    spawn_with(self::options(options), move |options| {
        sb::Stockbook::open_with(path, options).map(|book| Stockbook { book })
    })
}

/// A Stockbook that lives in memory only, for tests and scratch work: `Stockbook.inMemory`.
#[napi(skip_typescript)]
pub fn in_memory_stockbook(env: Env, options: Option<Options<'_>>) -> napi::Result<Stockbook> {
    let options = self::options(options).map_err(|r| thrown(env, r))?;
    throw(&env, sb::Stockbook::in_memory_with(options)).map(|book| Stockbook { book })
}
