//! The `Stockbook` class, its options and the `ManualClock`.
//!
//! Every write and every read that touches the file (`onHandAt`, `events`, `history`,
//! `verify`) and `open`/`close`/`sync` return a promise and run on the libuv thread pool;
//! reads of the in-memory projection (`item`, `onHand`, `balances`, …) are synchronous.

use std::sync::Arc;

use napi::Env;
use napi::bindgen_prelude::{BigInt, ClassInstance};
use napi_derive::napi;
use stockbook as sb;

use crate::convert::{Refusal, SeqIn, TimeIn, opt_int, time};
use crate::error::{self, throw};
use crate::inputs::{
    self, AdjustArgs, AsOf, BalanceFilter, Command, CountArgs, DispatchArgs, IssueArgs, ItemInput,
    LocationInput, LotInput, Meta, ReceiveArgs, ReceiveTransferArgs, ScrapArgs, TransferArgs,
};
use crate::job::{Later, spawn, spawn_with};
use crate::records::{
    Balance, Envelope, IntegrityReport, Item, Location, Lot, Receipt, Serial, TransferRecord,
};

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

/// An open Stockbook: an inventory ledger over one file (or in memory). Open one with
/// `Stockbook.open(path, options?)` or `Stockbook.inMemory(options?)`.
///
/// Quantities are accepted as decimal text, safe integers or bigints and returned as exact
/// decimal text at the item's precision. Instants are accepted as `Date` or epoch
/// milliseconds and returned as epoch milliseconds. Sequence numbers are `bigint`.
/// Engine refusals are `StockbookError`s (`InsufficientStock`, `NotFound`, …); arguments
/// of the wrong type are `TypeError`s, rejected by the methods that return a promise.
#[napi]
pub struct Stockbook {
    book: sb::Stockbook,
}

#[napi]
impl Stockbook {
    // ---- closing ------------------------------------------------------------------------

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

    /// The sequence of the last committed event (`0n` for an empty log).
    #[napi]
    pub fn last_seq(&self, env: Env) -> napi::Result<BigInt> {
        throw(&env, self.book.last_seq()).map(BigInt::from)
    }

    /// The engine clock's time, in epoch milliseconds.
    #[napi]
    pub fn now(&self, env: Env) -> napi::Result<i64> {
        throw(&env, self.book.now())
    }

    // ---- writes -------------------------------------------------------------------------

    /// The engine handle, for the other `impl` blocks of this class.
    pub(crate) fn book(&self) -> &sb::Stockbook {
        &self.book
    }

    /// Executes `command` with `meta` on the thread pool.
    pub(crate) fn write(
        &self,
        command: Result<sb::Command, Refusal>,
        meta: Option<Meta>,
    ) -> napi::Result<Later<Receipt>> {
        let book = self.book.clone();
        let args = command.and_then(|c| Ok((c, inputs::meta(meta)?)));
        spawn_with(args, move |(c, m)| book.execute(c, m).map(Receipt::from))
    }

    /// Executes one command (`{ op, args }`); resolved once it is durable.
    #[napi(ts_return_type = "Promise<Receipt>")]
    pub fn execute(&self, command: Command, meta: Option<Meta>) -> napi::Result<Later<Receipt>> {
        self.write(command.try_into(), meta)
    }

    /// Executes `commands` all or nothing, in order, in one commit. A refusal is
    /// `BatchRefused`, naming the command (`index`) and its own error (`source`).
    #[napi(ts_return_type = "Promise<Receipt[]>")]
    pub fn execute_batch(
        &self,
        commands: Vec<Command>,
        meta: Option<Meta>,
    ) -> napi::Result<Later<Vec<Receipt>>> {
        let book = self.book.clone();
        let args = commands
            .into_iter()
            .map(sb::Command::try_from)
            .collect::<Result<Vec<_>, _>>()
            .and_then(|c| Ok((c, inputs::meta(meta)?)));
        spawn_with(args, move |(c, m)| {
            book.execute_batch(c, m)
                .map(|r| r.into_iter().map(Receipt::from).collect())
        })
    }

    /// Defines an item.
    #[napi(ts_return_type = "Promise<Receipt>")]
    pub fn define_item(&self, item: ItemInput, meta: Option<Meta>) -> napi::Result<Later<Receipt>> {
        self.write(item.try_into().map(sb::Command::DefineItem), meta)
    }

    /// Replaces an item's master data (code, decimals and tracking stay once it moved).
    #[napi(ts_return_type = "Promise<Receipt>")]
    pub fn update_item(&self, item: ItemInput, meta: Option<Meta>) -> napi::Result<Later<Receipt>> {
        self.write(item.try_into().map(sb::Command::UpdateItem), meta)
    }

    /// Archives an item that holds no stock.
    #[napi(ts_return_type = "Promise<Receipt>")]
    pub fn archive_item(&self, sku: String, meta: Option<Meta>) -> napi::Result<Later<Receipt>> {
        self.write(Ok(sb::Command::ArchiveItem { sku }), meta)
    }

    /// Defines a location.
    #[napi(ts_return_type = "Promise<Receipt>")]
    pub fn define_location(
        &self,
        location: LocationInput,
        meta: Option<Meta>,
    ) -> napi::Result<Later<Receipt>> {
        self.write(location.try_into().map(sb::Command::DefineLocation), meta)
    }

    /// Replaces a location's master data.
    #[napi(ts_return_type = "Promise<Receipt>")]
    pub fn update_location(
        &self,
        location: LocationInput,
        meta: Option<Meta>,
    ) -> napi::Result<Later<Receipt>> {
        self.write(location.try_into().map(sb::Command::UpdateLocation), meta)
    }

    /// Archives a location whose subtree holds no stock.
    #[napi(ts_return_type = "Promise<Receipt>")]
    pub fn archive_location(
        &self,
        code: String,
        meta: Option<Meta>,
    ) -> napi::Result<Later<Receipt>> {
        self.write(Ok(sb::Command::ArchiveLocation { code }), meta)
    }

    /// Defines a lot or changes its dates.
    #[napi(ts_return_type = "Promise<Receipt>")]
    pub fn define_lot(&self, lot: LotInput, meta: Option<Meta>) -> napi::Result<Later<Receipt>> {
        self.write(lot.try_into().map(sb::Command::DefineLot), meta)
    }

    /// Receives stock from a supplier into a location.
    #[napi(ts_return_type = "Promise<Receipt>")]
    pub fn receive(&self, args: ReceiveArgs, meta: Option<Meta>) -> napi::Result<Later<Receipt>> {
        self.write(args.try_into().map(sb::Command::Receive), meta)
    }

    /// Issues stock to internal use.
    #[napi(ts_return_type = "Promise<Receipt>")]
    pub fn issue(&self, args: IssueArgs, meta: Option<Meta>) -> napi::Result<Later<Receipt>> {
        self.write(args.try_into().map(sb::Command::Issue), meta)
    }

    /// Ships stock to a customer.
    #[napi(ts_return_type = "Promise<Receipt>")]
    pub fn ship(&self, args: IssueArgs, meta: Option<Meta>) -> napi::Result<Later<Receipt>> {
        self.write(args.try_into().map(sb::Command::Ship), meta)
    }

    /// Corrects a balance up (positive `qty`) or down (negative), with a reason code.
    #[napi(ts_return_type = "Promise<Receipt>")]
    pub fn adjust(&self, args: AdjustArgs, meta: Option<Meta>) -> napi::Result<Later<Receipt>> {
        self.write(args.try_into().map(sb::Command::Adjust), meta)
    }

    /// Writes stock off to scrap.
    #[napi(ts_return_type = "Promise<Receipt>")]
    pub fn scrap(&self, args: ScrapArgs, meta: Option<Meta>) -> napi::Result<Later<Receipt>> {
        self.write(args.try_into().map(sb::Command::Scrap), meta)
    }

    /// Moves stock from one location to another in one step.
    #[napi(ts_return_type = "Promise<Receipt>")]
    pub fn transfer_stock(
        &self,
        args: TransferArgs,
        meta: Option<Meta>,
    ) -> napi::Result<Later<Receipt>> {
        self.write(args.try_into().map(sb::Command::Transfer), meta)
    }

    /// Dispatches stock into transit: the first step of a two-step transfer. The receipt
    /// carries the `transferId`.
    #[napi(ts_return_type = "Promise<Receipt>")]
    pub fn dispatch_transfer(
        &self,
        args: DispatchArgs,
        meta: Option<Meta>,
    ) -> napi::Result<Later<Receipt>> {
        self.write(args.try_into().map(sb::Command::DispatchTransfer), meta)
    }

    /// Receives all or part of a dispatched transfer at its destination.
    #[napi(ts_return_type = "Promise<Receipt>")]
    pub fn receive_transfer(
        &self,
        args: ReceiveTransferArgs,
        meta: Option<Meta>,
    ) -> napi::Result<Later<Receipt>> {
        self.write(args.try_into().map(sb::Command::ReceiveTransfer), meta)
    }

    /// Records a cycle count; the engine posts the difference (in the receipt's
    /// `difference`) to the balance.
    #[napi(ts_return_type = "Promise<Receipt>")]
    pub fn count(&self, args: CountArgs, meta: Option<Meta>) -> napi::Result<Later<Receipt>> {
        self.write(args.try_into().map(sb::Command::Count), meta)
    }

    // ---- reads of the current state (synchronous) ---------------------------------------

    /// One item.
    #[napi]
    pub fn item(&self, env: Env, sku: String) -> napi::Result<Item> {
        throw(&env, self.book.item(&sku)).map(Item::from)
    }

    /// Every item, archived ones included, by SKU.
    #[napi]
    pub fn items(&self, env: Env) -> napi::Result<Vec<Item>> {
        throw(&env, self.book.items()).map(|v| v.into_iter().map(Item::from).collect())
    }

    /// One location.
    #[napi]
    pub fn location(&self, env: Env, code: String) -> napi::Result<Location> {
        throw(&env, self.book.location(&code)).map(Location::from)
    }

    /// Every location (built-in virtual ones included), by code.
    #[napi]
    pub fn locations(&self, env: Env) -> napi::Result<Vec<Location>> {
        throw(&env, self.book.locations()).map(|v| v.into_iter().map(Location::from).collect())
    }

    /// The codes of the locations directly below `code`.
    #[napi]
    pub fn children(&self, env: Env, code: String) -> napi::Result<Vec<String>> {
        throw(&env, self.book.children(&code))
    }

    /// One lot.
    #[napi]
    pub fn lot(&self, env: Env, sku: String, lot: String) -> napi::Result<Lot> {
        throw(&env, self.book.lot(&sku, &lot)).map(Lot::from)
    }

    /// The lots of an item.
    #[napi]
    pub fn lots(&self, env: Env, sku: String) -> napi::Result<Vec<Lot>> {
        throw(&env, self.book.lots(&sku)).map(|v| v.into_iter().map(Lot::from).collect())
    }

    /// Where a serial-numbered unit is.
    #[napi]
    pub fn serial(&self, env: Env, sku: String, serial: String) -> napi::Result<Serial> {
        throw(&env, self.book.serial(&sku, &serial)).map(Serial::from)
    }

    /// The serials of `sku` at `location` (exactly there), sorted.
    #[napi]
    pub fn serials_at(&self, env: Env, sku: String, location: String) -> napi::Result<Vec<String>> {
        throw(&env, self.book.serials_at(&sku, &location))
    }

    /// A two-step transfer.
    #[napi]
    pub fn transfer(&self, env: Env, id: String) -> napi::Result<TransferRecord> {
        throw(&env, self.book.transfer(&id)).map(TransferRecord::from)
    }

    /// On hand of `sku` at `location` and every location below it: all lots, or one `lot`.
    #[napi]
    pub fn on_hand(
        &self,
        env: Env,
        sku: String,
        location: String,
        lot: Option<String>,
    ) -> napi::Result<String> {
        throw(&env, self.book.on_hand_lot(&sku, &location, lot.as_deref())).map(|q| q.to_string())
    }

    /// On hand of `sku` across every physical location.
    #[napi]
    pub fn item_total(&self, env: Env, sku: String) -> napi::Result<String> {
        throw(&env, self.book.item_total(&sku)).map(|q| q.to_string())
    }

    /// Balances matching `filter` (default: every physical balance), by (sku, location, lot).
    #[napi]
    pub fn balances(&self, env: Env, filter: Option<BalanceFilter>) -> napi::Result<Vec<Balance>> {
        let filter = filter.map(sb::BalanceFilter::from).unwrap_or_default();
        throw(&env, self.book.balances(&filter)).map(|v| v.into_iter().map(Balance::from).collect())
    }

    // ---- reads of the file (asynchronous) -----------------------------------------------

    /// On hand of `sku` at `location` (and below, all lots) as it stood at `asOf`: give
    /// `{ at }` (business time) or `{ seq }` (log position).
    #[napi(ts_return_type = "Promise<string>")]
    pub fn on_hand_at(
        &self,
        sku: String,
        location: String,
        as_of: AsOf,
    ) -> napi::Result<Later<String>> {
        let book = self.book.clone();
        spawn_with(sb::AsOf::try_from(as_of), move |as_of| {
            book.on_hand_at(&sku, &location, as_of)
                .map(|q| q.to_string())
        })
    }

    /// Up to `limit` (default and most: 10,000) events from sequence `fromSeq` on.
    #[napi(ts_return_type = "Promise<Envelope[]>")]
    pub fn events(
        &self,
        #[napi(ts_arg_type = "bigint | number")] from_seq: Option<SeqIn>,
        limit: Option<f64>,
    ) -> napi::Result<Later<Vec<Envelope>>> {
        let book = self.book.clone();
        spawn_with(inputs::page(from_seq, limit), move |(from, limit)| {
            book.events(from, limit)
                .map(|v| v.into_iter().map(Envelope::from).collect())
        })
    }

    /// Up to `limit` (default and most: 10,000) events concerning `sku`, from sequence
    /// `fromSeq` on.
    #[napi(ts_return_type = "Promise<Envelope[]>")]
    pub fn history(
        &self,
        sku: String,
        #[napi(ts_arg_type = "bigint | number")] from_seq: Option<SeqIn>,
        limit: Option<f64>,
    ) -> napi::Result<Later<Vec<Envelope>>> {
        let book = self.book.clone();
        spawn_with(inputs::page(from_seq, limit), move |(from, limit)| {
            book.history(&sku, from, limit)
                .map(|v| v.into_iter().map(Envelope::from).collect())
        })
    }

    /// Rebuilds every projection from the log alone and compares it with the maintained
    /// one; also checks that every item's ledger sums to zero and that no balance is
    /// negative where the item forbids it.
    #[napi(ts_return_type = "Promise<IntegrityReport>")]
    pub fn verify(&self) -> napi::Result<Later<IntegrityReport>> {
        let book = self.book.clone();
        Ok(spawn(move || book.verify().map(IntegrityReport::from)))
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
