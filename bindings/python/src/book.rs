//! The `Stockbook` handle, `ManualClock`, the lazy event iterator and `open` / `in_memory`.
//!
//! Every engine call goes through [`PyStockbook::enter`] (release the GIL, call the core,
//! map its error) or, for a cheap read of the in-memory state, [`PyStockbook::read`] (the
//! same with the GIL kept). Every write goes through [`PyStockbook::write`], which builds nothing
//! itself: each write method converts its keyword arguments into a core `Command` and
//! hands it over. `execute_batch` replays `(op, kwargs)` pairs through those same methods
//! on a collecting handle, so a new command is one new method and nothing else.

use std::path::PathBuf;
use std::sync::{Arc, Mutex, PoisonError};

use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList, PyMapping, PyString, PyTuple};
use stockbook::orders::{
    AllocateOrder, AllocateOrders, CancelOrder, CommitReservation, CreateOrder, FillBackorders,
    OrderState, OrderStep, PackOrder, PickOrder, ReservationFilter, Reserve, Strategy,
};
use stockbook::planning::{
    Bucket, CreatePurchaseOrder, PlanOptions, PurchaseOrderFilter, PurchaseOrderStep,
    ReceivePurchaseOrder,
};
use stockbook::{
    Adjust, BalanceFilter, Command, Count, Dispatch, Durability, EventIter, Issue, Item, Location,
    Lot, ManualClock, Meta, Options, Receipt, Receive, ReceiveTransfer, Scrap, Transfer,
};

pub(crate) mod call;

use crate::convert::{self, Duration, Instant, Quantity, parse_name};
use crate::errors;
use crate::planning::{PyDemandHistory, PyLeadTimeStats, PyPurchaseOrder, PyReplenishmentPlan};
use crate::records::{
    PyAllocationPlan, PyBackorder, PyBalance, PyEvent, PyIntegrityReport, PyItem, PyLocation,
    PyLot, PyOrder, PyReceipt, PyReservation, PySerial, PyStockLevel, PyTransferRecord,
};

/// A clock that moves only when told: for tests and simulations. Pass it as `clock=` to
/// `open` or `in_memory`; the engine then reads its time from it.
#[pyclass(frozen, name = "ManualClock", module = "stockbook")]
pub struct PyManualClock(Arc<ManualClock>);

#[pymethods]
impl PyManualClock {
    /// A clock standing at `now` (a timezone-aware datetime).
    #[new]
    fn new(now: Instant) -> Self {
        PyManualClock(ManualClock::new(now.0))
    }

    /// Sets the time.
    fn set(&self, now: Instant) {
        self.0.set(now.0);
    }

    /// Moves the time forward by `by` (a timedelta, whole milliseconds).
    fn advance(&self, by: Duration) {
        self.0.advance(by.0);
    }

    /// The clock's time, as an aware UTC datetime.
    fn now<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        convert::time(py, &stockbook::Clock::now_ms(&*self.0))
    }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        Ok(format!("ManualClock({})", self.now(py)?.repr()?))
    }
}

enum Target {
    /// An open engine.
    Engine(stockbook::Stockbook),
    /// Collects the commands of `execute_batch` instead of running them.
    Collect(Mutex<Vec<Command>>),
}

/// An open Stockbook: one engine over one file (or in memory). Thread-safe: share one
/// handle between threads; concurrent writes are group-committed. Use it as a context
/// manager (`with stockbook.open(path) as sb:`) to close it at the end.
///
/// Every write takes the keyword arguments `key=` (idempotency key: the same key again
/// returns the first outcome and writes nothing), `actor=`, `correlation=`, `reason=` and
/// `effective_at=` (a timezone-aware datetime: the business time it takes effect; default
/// now), and returns a `Receipt`.
#[pyclass(frozen, name = "Stockbook", module = "stockbook")]
pub struct PyStockbook {
    target: Target,
}

impl PyStockbook {
    fn engine(&self) -> PyResult<&stockbook::Stockbook> {
        match &self.target {
            Target::Engine(book) => Ok(book),
            Target::Collect(_) => Err(PyValueError::new_err(
                "only commands can be part of execute_batch",
            )),
        }
    }

    /// Releases the GIL, runs `f` on the engine and maps its error: for the calls that wait
    /// (a write waits for its durable commit) or read the store or compute at length
    /// (point-in-time reads, history, verify, plans).
    fn enter<T: Send>(
        &self,
        py: Python<'_>,
        f: impl FnOnce(&stockbook::Stockbook) -> stockbook::Result<T> + Send,
    ) -> PyResult<T> {
        let book = self.engine()?;
        errors::detach(py, move || f(book))
    }

    /// Runs a cheap read of the engine's in-memory state with the GIL held and maps its
    /// error. Such a read takes about 2 µs: releasing and re-taking the GIL around it costs
    /// more than the read, and threads reading in a loop then slow each other down (four
    /// threads managed 0.16× the reads of one).
    fn read<T>(
        &self,
        py: Python<'_>,
        f: impl FnOnce(&stockbook::Stockbook) -> stockbook::Result<T>,
    ) -> PyResult<T> {
        f(self.engine()?).map_err(|e| errors::to_py(py, &e))
    }

    /// Executes one command (or, inside `execute_batch`, adds it to the batch).
    fn write(&self, py: Python<'_>, command: Command, meta: Meta) -> PyResult<PyReceipt> {
        match &self.target {
            Target::Engine(_) => self.enter(py, |b| b.execute(command, meta)).map(PyReceipt),
            Target::Collect(commands) => {
                if meta != Meta::default() {
                    return Err(PyTypeError::new_err(
                        "key=, actor=, correlation=, reason= and effective_at= belong to \
                         execute_batch, not to its commands",
                    ));
                }
                commands
                    .lock()
                    .unwrap_or_else(PoisonError::into_inner)
                    .push(command);
                Ok(PyReceipt(Receipt::default()))
            }
        }
    }
}

/// The arguments of `define_item` / `update_item` as an `Item`.
#[allow(clippy::too_many_arguments)]
fn item_of(
    sku: String,
    name: &str,
    unit: &str,
    decimals: i128,
    tracking: &str,
    shelf_life_days: Option<i128>,
    conversions: Option<&Bound<'_, PyAny>>,
    allow_negative: bool,
    category: Option<String>,
    attributes: Option<std::collections::BTreeMap<String, String>>,
    archived: bool,
) -> PyResult<Item> {
    Ok({
        let mut v = Item::new(sku)
            .name(name.to_owned())
            .unit(unit.to_owned())
            .decimals(convert::int(decimals, "decimals")?)
            .tracking(parse_name("tracking", tracking)?)
            .conversions(convert::conversions(conversions)?)
            .allow_negative(allow_negative)
            .attributes(attributes.unwrap_or_default())
            .archived(archived);
        v.shelf_life_days = convert::opt_int(shelf_life_days, "shelf_life_days")?;
        v.category = category;
        v
    })
}

/// The arguments of `define_location` / `update_location` as a `Location`.
#[allow(clippy::too_many_arguments)]
fn location_of(
    code: String,
    name: &str,
    kind: &str,
    parent: Option<String>,
    capacity: Option<&Bound<'_, PyAny>>,
    coordinates: Option<&Bound<'_, PyAny>>,
    pickable: bool,
    receivable: bool,
    archived: bool,
) -> PyResult<Location> {
    Ok({
        let mut v = Location::new(code)
            .name(name.to_owned())
            .kind(parse_name("kind", kind)?)
            .capacity(convert::capacity(capacity)?)
            .pickable(pickable)
            .receivable(receivable)
            .archived(archived);
        v.parent = parent;
        v.coordinates = convert::coordinates(coordinates)?;
        v
    })
}

fn list<'py, T>(
    py: Python<'py>,
    values: &[T],
    wrap: impl Fn(Python<'py>, &T) -> PyResult<Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyList>> {
    let out = PyList::empty(py);
    for v in values {
        out.append(wrap(py, v)?)?;
    }
    Ok(out)
}

#[pymethods]
impl PyStockbook {
    // ---- lifecycle ------------------------------------------------------------------------

    /// Closes the engine for every user of this handle: waits for queued commands, makes
    /// everything durable and releases the file. Later calls raise `Closed`.
    fn close(&self, py: Python<'_>) -> PyResult<()> {
        self.enter(py, stockbook::Stockbook::close)
    }

    /// Makes everything committed so far durable (needed only with `durability="bulk_load"`).
    fn sync(&self, py: Python<'_>) -> PyResult<()> {
        self.enter(py, stockbook::Stockbook::sync)
    }

    /// The sequence of the last committed event (0 for an empty log).
    fn last_seq(&self, py: Python<'_>) -> PyResult<u64> {
        self.read(py, stockbook::Stockbook::last_seq)
    }

    /// Test hook: the next command naming `sku` panics inside the writer and is refused
    /// with `Internal` (`None` disarms). Not part of the API.
    #[pyo3(signature = (sku))]
    fn _inject_panic_for_sku(&self, py: Python<'_>, sku: Option<&str>) -> PyResult<()> {
        self.enter(py, |b| b.inject_panic_for_sku(sku))
    }

    /// The engine clock's time, as an aware UTC datetime.
    fn now<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let ms = self.read(py, stockbook::Stockbook::now)?;
        convert::time(py, &ms)
    }

    /// The file's path (`None` in memory).
    #[getter]
    fn path(&self) -> PyResult<Option<String>> {
        Ok(self.engine()?.path().map(|p| p.display().to_string()))
    }

    fn __enter__(slf: Py<Self>) -> Py<Self> {
        slf
    }

    #[pyo3(signature = (*_exc))]
    fn __exit__(&self, py: Python<'_>, _exc: &Bound<'_, PyTuple>) -> PyResult<()> {
        self.close(py)
    }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        Ok(match &self.target {
            Target::Engine(b) => match b.path() {
                Some(p) => format!(
                    "Stockbook({})",
                    PyString::new(py, &p.display().to_string()).repr()?
                ),
                None => "Stockbook(':memory:')".to_owned(),
            },
            Target::Collect(_) => "Stockbook(<batch>)".to_owned(),
        })
    }

    // ---- master data ----------------------------------------------------------------------

    /// Defines a new item. `tracking` is `"none"`, `"lot"` or `"serial"`; `conversions`
    /// maps alternative units to their factor (`{"box": 12}`); `decimals` (0..=6) is the
    /// precision of its quantities.
    #[pyo3(signature = (sku, *, name = "", unit = "ea", decimals = 0,
        tracking = "none", shelf_life_days = None, conversions = None, allow_negative = false,
        category = None, attributes = None, archived = false,
        key = None, actor = None, correlation = None, reason = None, effective_at = None))]
    fn define_item(
        &self,
        py: Python<'_>,
        sku: String,
        name: &str,
        unit: &str,
        decimals: i128,
        tracking: &str,
        shelf_life_days: Option<i128>,
        conversions: Option<&Bound<'_, PyAny>>,
        allow_negative: bool,
        category: Option<String>,
        attributes: Option<std::collections::BTreeMap<String, String>>,
        archived: bool,
        key: Option<String>,
        actor: Option<String>,
        correlation: Option<String>,
        reason: Option<String>,
        effective_at: Option<Instant>,
    ) -> PyResult<PyReceipt> {
        let item = item_of(
            sku,
            name,
            unit,
            decimals,
            tracking,
            shelf_life_days,
            conversions,
            allow_negative,
            category,
            attributes,
            archived,
        )?;
        let meta = convert::meta(key, actor, correlation, reason, effective_at);
        self.write(py, Command::DefineItem(item), meta)
    }

    /// Replaces an item's master data with the record given (fields not given take their
    /// defaults, as in `define_item`); decimals and tracking stay once the item has moved.
    /// `sb.update_item(**{**sb.item(sku).to_dict(), "name": "New"})` changes one field.
    #[pyo3(signature = (sku, *, name = "", unit = "ea", decimals = 0,
        tracking = "none", shelf_life_days = None, conversions = None, allow_negative = false,
        category = None, attributes = None, archived = false,
        key = None, actor = None, correlation = None, reason = None, effective_at = None))]
    fn update_item(
        &self,
        py: Python<'_>,
        sku: String,
        name: &str,
        unit: &str,
        decimals: i128,
        tracking: &str,
        shelf_life_days: Option<i128>,
        conversions: Option<&Bound<'_, PyAny>>,
        allow_negative: bool,
        category: Option<String>,
        attributes: Option<std::collections::BTreeMap<String, String>>,
        archived: bool,
        key: Option<String>,
        actor: Option<String>,
        correlation: Option<String>,
        reason: Option<String>,
        effective_at: Option<Instant>,
    ) -> PyResult<PyReceipt> {
        let item = item_of(
            sku,
            name,
            unit,
            decimals,
            tracking,
            shelf_life_days,
            conversions,
            allow_negative,
            category,
            attributes,
            archived,
        )?;
        let meta = convert::meta(key, actor, correlation, reason, effective_at);
        self.write(py, Command::UpdateItem(item), meta)
    }

    /// Archives an item that holds no stock.
    #[pyo3(signature = (sku, *, key = None, actor = None, correlation = None, reason = None,
        effective_at = None))]
    fn archive_item(
        &self,
        py: Python<'_>,
        sku: String,
        key: Option<String>,
        actor: Option<String>,
        correlation: Option<String>,
        reason: Option<String>,
        effective_at: Option<Instant>,
    ) -> PyResult<PyReceipt> {
        let meta = convert::meta(key, actor, correlation, reason, effective_at);
        self.write(py, Command::ArchiveItem { sku }, meta)
    }

    /// Defines a new location. `kind` is `site`, `zone`, `aisle` or `bin` (default) or a
    /// virtual kind; `capacity` is a mapping of `units`, `weight_kg`, `volume_l`;
    /// `coordinates` is `(x, y)` or `(x, y, z)`.
    #[pyo3(signature = (code, *, name = "", kind = "bin", parent = None,
        capacity = None, coordinates = None, pickable = true, receivable = true,
        archived = false,
        key = None, actor = None, correlation = None, reason = None, effective_at = None))]
    fn define_location(
        &self,
        py: Python<'_>,
        code: String,
        name: &str,
        kind: &str,
        parent: Option<String>,
        capacity: Option<&Bound<'_, PyAny>>,
        coordinates: Option<&Bound<'_, PyAny>>,
        pickable: bool,
        receivable: bool,
        archived: bool,
        key: Option<String>,
        actor: Option<String>,
        correlation: Option<String>,
        reason: Option<String>,
        effective_at: Option<Instant>,
    ) -> PyResult<PyReceipt> {
        let location = location_of(
            code,
            name,
            kind,
            parent,
            capacity,
            coordinates,
            pickable,
            receivable,
            archived,
        )?;
        let meta = convert::meta(key, actor, correlation, reason, effective_at);
        self.write(py, Command::DefineLocation(location), meta)
    }

    /// Replaces a location's master data with the record given (fields not given take
    /// their defaults, as in `define_location`).
    #[pyo3(signature = (code, *, name = "", kind = "bin", parent = None,
        capacity = None, coordinates = None, pickable = true, receivable = true,
        archived = false,
        key = None, actor = None, correlation = None, reason = None, effective_at = None))]
    fn update_location(
        &self,
        py: Python<'_>,
        code: String,
        name: &str,
        kind: &str,
        parent: Option<String>,
        capacity: Option<&Bound<'_, PyAny>>,
        coordinates: Option<&Bound<'_, PyAny>>,
        pickable: bool,
        receivable: bool,
        archived: bool,
        key: Option<String>,
        actor: Option<String>,
        correlation: Option<String>,
        reason: Option<String>,
        effective_at: Option<Instant>,
    ) -> PyResult<PyReceipt> {
        let location = location_of(
            code,
            name,
            kind,
            parent,
            capacity,
            coordinates,
            pickable,
            receivable,
            archived,
        )?;
        let meta = convert::meta(key, actor, correlation, reason, effective_at);
        self.write(py, Command::UpdateLocation(location), meta)
    }

    /// Archives a location whose subtree holds no stock.
    #[pyo3(signature = (code, *, key = None, actor = None, correlation = None, reason = None,
        effective_at = None))]
    fn archive_location(
        &self,
        py: Python<'_>,
        code: String,
        key: Option<String>,
        actor: Option<String>,
        correlation: Option<String>,
        reason: Option<String>,
        effective_at: Option<Instant>,
    ) -> PyResult<PyReceipt> {
        let meta = convert::meta(key, actor, correlation, reason, effective_at);
        self.write(py, Command::ArchiveLocation { code }, meta)
    }

    /// Defines a lot of a lot-tracked item, or changes its dates.
    #[pyo3(signature = (sku, lot, *, expiry = None, produced = None,
        key = None, actor = None, correlation = None, reason = None, effective_at = None))]
    fn define_lot(
        &self,
        py: Python<'_>,
        sku: String,
        lot: String,
        expiry: Option<Instant>,
        produced: Option<Instant>,
        key: Option<String>,
        actor: Option<String>,
        correlation: Option<String>,
        reason: Option<String>,
        effective_at: Option<Instant>,
    ) -> PyResult<PyReceipt> {
        let lot = {
            let mut v = Lot::new(sku, lot);
            v.expiry = expiry.map(|i| i.0);
            v.produced = produced.map(|i| i.0);
            v
        };
        let meta = convert::meta(key, actor, correlation, reason, effective_at);
        self.write(py, Command::DefineLot(lot), meta)
    }

    // ---- movements ------------------------------------------------------------------------

    /// Receives stock from a supplier into a location (supplier → bin). `qty` is in `unit`
    /// (default: the item's base unit); `lot` is required for lot-tracked items (`expiry`
    /// and `produced` date a new lot); `serials` lists exactly `qty` serials for
    /// serial-tracked items; `from_` is the supplier location (default `@supplier`).
    #[pyo3(signature = (sku, location, qty, *, unit = None, lot = None, expiry = None,
        produced = None, serials = None, unit_cost = None, currency = None, from_ = None,
        key = None, actor = None, correlation = None, reason = None, effective_at = None))]
    fn receive(
        &self,
        py: Python<'_>,
        sku: String,
        location: String,
        qty: Quantity,
        unit: Option<String>,
        lot: Option<String>,
        expiry: Option<Instant>,
        produced: Option<Instant>,
        serials: Option<Vec<String>>,
        unit_cost: Option<Quantity>,
        currency: Option<String>,
        from_: Option<String>,
        key: Option<String>,
        actor: Option<String>,
        correlation: Option<String>,
        reason: Option<String>,
        effective_at: Option<Instant>,
    ) -> PyResult<PyReceipt> {
        let receive = {
            let mut v = Receive::new(sku, location, qty.0).serials(serials.unwrap_or_default());
            v.unit = unit;
            v.lot = lot;
            v.expiry = expiry.map(|i| i.0);
            v.produced = produced.map(|i| i.0);
            v.unit_cost = unit_cost.map(|q| q.0);
            v.currency = currency;
            v.from = from_;
            v
        };
        let meta = convert::meta(key, actor, correlation, reason, effective_at);
        self.write(py, Command::Receive(receive), meta)
    }

    /// Issues stock to internal use (bin → consumer). `to` is the customer-kind location
    /// (default `@customer`); `allow_expired` takes from an expired lot anyway.
    #[pyo3(signature = (sku, location, qty, *, unit = None, lot = None, serials = None,
        allow_expired = false, to = None,
        key = None, actor = None, correlation = None, reason = None, effective_at = None))]
    fn issue(
        &self,
        py: Python<'_>,
        sku: String,
        location: String,
        qty: Quantity,
        unit: Option<String>,
        lot: Option<String>,
        serials: Option<Vec<String>>,
        allow_expired: bool,
        to: Option<String>,
        key: Option<String>,
        actor: Option<String>,
        correlation: Option<String>,
        reason: Option<String>,
        effective_at: Option<Instant>,
    ) -> PyResult<PyReceipt> {
        let issue = {
            let mut v = Issue::new(sku, location, qty.0)
                .serials(serials.unwrap_or_default())
                .allow_expired(allow_expired);
            v.unit = unit;
            v.lot = lot;
            v.to = to;
            v
        };
        let meta = convert::meta(key, actor, correlation, reason, effective_at);
        self.write(py, Command::Issue(issue), meta)
    }

    /// Ships stock to a customer (bin → customer). Arguments as for `issue`.
    #[pyo3(signature = (sku, location, qty, *, unit = None, lot = None, serials = None,
        allow_expired = false, to = None,
        key = None, actor = None, correlation = None, reason = None, effective_at = None))]
    fn ship(
        &self,
        py: Python<'_>,
        sku: String,
        location: String,
        qty: Quantity,
        unit: Option<String>,
        lot: Option<String>,
        serials: Option<Vec<String>>,
        allow_expired: bool,
        to: Option<String>,
        key: Option<String>,
        actor: Option<String>,
        correlation: Option<String>,
        reason: Option<String>,
        effective_at: Option<Instant>,
    ) -> PyResult<PyReceipt> {
        let issue = {
            let mut v = Issue::new(sku, location, qty.0)
                .serials(serials.unwrap_or_default())
                .allow_expired(allow_expired);
            v.unit = unit;
            v.lot = lot;
            v.to = to;
            v
        };
        let meta = convert::meta(key, actor, correlation, reason, effective_at);
        self.write(py, Command::Ship(issue), meta)
    }

    /// Corrects a balance up (positive `qty`) or down (negative), with a reason code
    /// (`damaged`, `found`, …).
    #[pyo3(signature = (sku, location, qty, *, reason_code, unit = None, lot = None,
        serials = None,
        key = None, actor = None, correlation = None, reason = None, effective_at = None))]
    fn adjust(
        &self,
        py: Python<'_>,
        sku: String,
        location: String,
        qty: Quantity,
        reason_code: String,
        unit: Option<String>,
        lot: Option<String>,
        serials: Option<Vec<String>>,
        key: Option<String>,
        actor: Option<String>,
        correlation: Option<String>,
        reason: Option<String>,
        effective_at: Option<Instant>,
    ) -> PyResult<PyReceipt> {
        let adjust = {
            let mut v =
                Adjust::new(sku, location, qty.0, reason_code).serials(serials.unwrap_or_default());
            v.unit = unit;
            v.lot = lot;
            v
        };
        let meta = convert::meta(key, actor, correlation, reason, effective_at);
        self.write(py, Command::Adjust(adjust), meta)
    }

    /// Writes stock off to scrap (bin → scrap).
    #[pyo3(signature = (sku, location, qty, *, unit = None, lot = None, serials = None,
        reason_code = None,
        key = None, actor = None, correlation = None, reason = None, effective_at = None))]
    fn scrap(
        &self,
        py: Python<'_>,
        sku: String,
        location: String,
        qty: Quantity,
        unit: Option<String>,
        lot: Option<String>,
        serials: Option<Vec<String>>,
        reason_code: Option<String>,
        key: Option<String>,
        actor: Option<String>,
        correlation: Option<String>,
        reason: Option<String>,
        effective_at: Option<Instant>,
    ) -> PyResult<PyReceipt> {
        let scrap = {
            let mut v = Scrap::new(sku, location, qty.0).serials(serials.unwrap_or_default());
            v.unit = unit;
            v.lot = lot;
            v.reason_code = reason_code;
            v
        };
        let meta = convert::meta(key, actor, correlation, reason, effective_at);
        self.write(py, Command::Scrap(scrap), meta)
    }

    /// Moves stock from one location to another in one step (bin → bin). `from_` is the
    /// Rust field `from` (a Python keyword).
    #[pyo3(signature = (sku, from_, to, qty, *, unit = None, lot = None, serials = None,
        allow_expired = false,
        key = None, actor = None, correlation = None, reason = None, effective_at = None))]
    fn transfer_stock(
        &self,
        py: Python<'_>,
        sku: String,
        from_: String,
        to: String,
        qty: Quantity,
        unit: Option<String>,
        lot: Option<String>,
        serials: Option<Vec<String>>,
        allow_expired: bool,
        key: Option<String>,
        actor: Option<String>,
        correlation: Option<String>,
        reason: Option<String>,
        effective_at: Option<Instant>,
    ) -> PyResult<PyReceipt> {
        let transfer = {
            let mut v = Transfer::new(sku, from_, to, qty.0)
                .serials(serials.unwrap_or_default())
                .allow_expired(allow_expired);
            v.unit = unit;
            v.lot = lot;
            v
        };
        let meta = convert::meta(key, actor, correlation, reason, effective_at);
        self.write(py, Command::Transfer(transfer), meta)
    }

    /// Dispatches stock into transit (bin → in-transit): the first step of a two-step
    /// transfer. The receipt's `transfer_id` names it (default: generated, `TR-<seq>`).
    #[pyo3(signature = (sku, from_, to, qty, *, transfer_id = None, unit = None, lot = None,
        serials = None, allow_expired = false,
        key = None, actor = None, correlation = None, reason = None, effective_at = None))]
    fn dispatch_transfer(
        &self,
        py: Python<'_>,
        sku: String,
        from_: String,
        to: String,
        qty: Quantity,
        transfer_id: Option<String>,
        unit: Option<String>,
        lot: Option<String>,
        serials: Option<Vec<String>>,
        allow_expired: bool,
        key: Option<String>,
        actor: Option<String>,
        correlation: Option<String>,
        reason: Option<String>,
        effective_at: Option<Instant>,
    ) -> PyResult<PyReceipt> {
        let dispatch = {
            let mut v = Dispatch::new(sku, from_, to, qty.0)
                .serials(serials.unwrap_or_default())
                .allow_expired(allow_expired);
            v.transfer_id = transfer_id;
            v.unit = unit;
            v.lot = lot;
            v
        };
        let meta = convert::meta(key, actor, correlation, reason, effective_at);
        self.write(py, Command::DispatchTransfer(dispatch), meta)
    }

    /// Receives all or part of a dispatched transfer at its destination (in-transit → bin).
    #[pyo3(signature = (transfer_id, qty, *, unit = None, serials = None,
        key = None, actor = None, correlation = None, reason = None, effective_at = None))]
    fn receive_transfer(
        &self,
        py: Python<'_>,
        transfer_id: String,
        qty: Quantity,
        unit: Option<String>,
        serials: Option<Vec<String>>,
        key: Option<String>,
        actor: Option<String>,
        correlation: Option<String>,
        reason: Option<String>,
        effective_at: Option<Instant>,
    ) -> PyResult<PyReceipt> {
        let receive = {
            let mut v =
                ReceiveTransfer::new(transfer_id, qty.0).serials(serials.unwrap_or_default());
            v.unit = unit;
            v
        };
        let meta = convert::meta(key, actor, correlation, reason, effective_at);
        self.write(py, Command::ReceiveTransfer(receive), meta)
    }

    /// Records a cycle count; the engine posts the difference (counted − expected, in the
    /// receipt's `difference`) to the balance.
    #[pyo3(signature = (sku, location, counted, *, lot = None, unit = None,
        key = None, actor = None, correlation = None, reason = None, effective_at = None))]
    fn count(
        &self,
        py: Python<'_>,
        sku: String,
        location: String,
        counted: Quantity,
        lot: Option<String>,
        unit: Option<String>,
        key: Option<String>,
        actor: Option<String>,
        correlation: Option<String>,
        reason: Option<String>,
        effective_at: Option<Instant>,
    ) -> PyResult<PyReceipt> {
        let count = {
            let mut v = Count::new(sku, location, counted.0);
            v.lot = lot;
            v.unit = unit;
            v
        };
        let meta = convert::meta(key, actor, correlation, reason, effective_at);
        self.write(py, Command::Count(count), meta)
    }

    // ---- reservations and orders ----------------------------------------------------------

    /// Reserves `qty` of `sku` in the subtree of `scope` (a site, zone or bin): the stock is
    /// held for this use and no longer available to anyone else. Never more is reserved
    /// than is on hand, under any concurrency (`InsufficientStock` otherwise). `hard=True`
    /// pins a bin (a location without children) and, for lot-tracked items, a lot; `ttl`
    /// (a timedelta) makes it expire. The receipt's `reservation_id` names it (default:
    /// generated, `RS-<seq>`).
    #[pyo3(signature = (sku, scope, qty, *, reservation_id = None, unit = None, lot = None,
        hard = false, order = None, line = None, ttl = None,
        key = None, actor = None, correlation = None, reason = None, effective_at = None))]
    fn reserve(
        &self,
        py: Python<'_>,
        sku: String,
        scope: String,
        qty: Quantity,
        reservation_id: Option<String>,
        unit: Option<String>,
        lot: Option<String>,
        hard: bool,
        order: Option<String>,
        line: Option<i128>,
        ttl: Option<Duration>,
        key: Option<String>,
        actor: Option<String>,
        correlation: Option<String>,
        reason: Option<String>,
        effective_at: Option<Instant>,
    ) -> PyResult<PyReceipt> {
        let reserve = {
            let mut v = Reserve::new(sku, scope, qty.0).hard(hard);
            v.reservation_id = reservation_id;
            v.unit = unit;
            v.lot = lot;
            v.order = order;
            v.line = convert::opt_int(line, "line")?;
            v.ttl_ms = ttl.map(|d| d.0);
            v
        };
        let meta = convert::meta(key, actor, correlation, reason, effective_at);
        self.write(py, Command::Reserve(reserve), meta)
    }

    /// Issues reserved stock (ships it to `to`, default `@customer`): all it holds, or
    /// `qty`, taken from the bin `location` (default: the scope) and `lot` (default: the
    /// pinned one). A partial commit releases the rest.
    #[pyo3(signature = (reservation_id, qty = None, *, location = None, lot = None,
        serials = None, to = None,
        key = None, actor = None, correlation = None, reason = None, effective_at = None))]
    fn commit_reservation(
        &self,
        py: Python<'_>,
        reservation_id: String,
        qty: Option<Quantity>,
        location: Option<String>,
        lot: Option<String>,
        serials: Option<Vec<String>>,
        to: Option<String>,
        key: Option<String>,
        actor: Option<String>,
        correlation: Option<String>,
        reason: Option<String>,
        effective_at: Option<Instant>,
    ) -> PyResult<PyReceipt> {
        let commit = {
            let mut v = CommitReservation::new(reservation_id).serials(serials.unwrap_or_default());
            v.qty = qty.map(|q| q.0);
            v.location = location;
            v.lot = lot;
            v.to = to;
            v
        };
        let meta = convert::meta(key, actor, correlation, reason, effective_at);
        self.write(py, Command::CommitReservation(commit), meta)
    }

    /// Gives back all (`qty=None`) or part of a reservation.
    #[pyo3(signature = (reservation_id, qty = None, *,
        key = None, actor = None, correlation = None, reason = None, effective_at = None))]
    fn release_reservation(
        &self,
        py: Python<'_>,
        reservation_id: String,
        qty: Option<Quantity>,
        key: Option<String>,
        actor: Option<String>,
        correlation: Option<String>,
        reason: Option<String>,
        effective_at: Option<Instant>,
    ) -> PyResult<PyReceipt> {
        let command = Command::ReleaseReservation {
            reservation_id,
            qty: qty.map(|q| q.0),
        };
        let meta = convert::meta(key, actor, correlation, reason, effective_at);
        self.write(py, command, meta)
    }

    /// Records the expiry of every reservation past its time-to-live. (Any write does this
    /// first; this command does only this. Reads never count an expired reservation.)
    #[pyo3(signature = (*,
        key = None, actor = None, correlation = None, reason = None, effective_at = None))]
    fn expire_due(
        &self,
        py: Python<'_>,
        key: Option<String>,
        actor: Option<String>,
        correlation: Option<String>,
        reason: Option<String>,
        effective_at: Option<Instant>,
    ) -> PyResult<PyReceipt> {
        let meta = convert::meta(key, actor, correlation, reason, effective_at);
        self.write(py, Command::ExpireDue {}, meta)
    }

    /// Creates an order as a draft. `ship_from` is the site or zone whose stock serves it;
    /// `lines` are `{"sku": …, "qty": …, "unit": …}` mappings or `(sku, qty[, unit])`
    /// tuples; picked stock waits at `staging` (default: `ship_from`) and ships to
    /// `ship_to` (default `@customer`). Lower `priority` numbers are served first.
    #[pyo3(signature = (order_id, ship_from, lines, *, customer = None, priority = 100,
        due_at = None, staging = None, ship_to = None,
        key = None, actor = None, correlation = None, reason = None, effective_at = None))]
    fn create_order(
        &self,
        py: Python<'_>,
        order_id: String,
        ship_from: String,
        lines: &Bound<'_, PyAny>,
        customer: Option<String>,
        priority: i128,
        due_at: Option<Instant>,
        staging: Option<String>,
        ship_to: Option<String>,
        key: Option<String>,
        actor: Option<String>,
        correlation: Option<String>,
        reason: Option<String>,
        effective_at: Option<Instant>,
    ) -> PyResult<PyReceipt> {
        let order = {
            let mut v = CreateOrder::new(order_id, ship_from, convert::order_lines(lines)?)
                .priority(convert::int(priority, "priority")?);
            v.customer = customer;
            v.due_at = due_at.map(|t| t.0);
            v.staging = staging;
            v.ship_to = ship_to;
            v
        };
        let meta = convert::meta(key, actor, correlation, reason, effective_at);
        self.write(py, Command::CreateOrder(order), meta)
    }

    /// Confirms a draft order.
    #[pyo3(signature = (order_id, *,
        key = None, actor = None, correlation = None, reason = None, effective_at = None))]
    fn confirm_order(
        &self,
        py: Python<'_>,
        order_id: String,
        key: Option<String>,
        actor: Option<String>,
        correlation: Option<String>,
        reason: Option<String>,
        effective_at: Option<Instant>,
    ) -> PyResult<PyReceipt> {
        let meta = convert::meta(key, actor, correlation, reason, effective_at);
        self.write(py, Command::ConfirmOrder(OrderStep::new(order_id)), meta)
    }

    /// Allocates stock to an order's open lines (reserves it in bins); what is not there is
    /// backordered. `strategy` says which stock to take first (default `"fifo"`): `"fifo"`,
    /// `"lifo"`, `"fewest_locations"`, `{"fefo": {"min_remaining_days": N}}`,
    /// `{"nearest": {"location": CODE}}` or `{"ordered": {"locations": [CODE, …]}}`.
    #[pyo3(signature = (order_id, *, strategy = None,
        key = None, actor = None, correlation = None, reason = None, effective_at = None))]
    fn allocate_order(
        &self,
        py: Python<'_>,
        order_id: String,
        strategy: Option<&Bound<'_, PyAny>>,
        key: Option<String>,
        actor: Option<String>,
        correlation: Option<String>,
        reason: Option<String>,
        effective_at: Option<Instant>,
    ) -> PyResult<PyReceipt> {
        let allocate =
            AllocateOrder::new(order_id).strategy(convert::tagged("strategy", strategy)?);
        let meta = convert::meta(key, actor, correlation, reason, effective_at);
        self.write(py, Command::AllocateOrder(allocate), meta)
    }

    /// Allocates short stock across competing orders (`order_ids`, default: every confirmed
    /// or backordered order). `policy` says who gets it: `"priority_due_date"` (default) or
    /// `"fair_share"` (proportionally to demand, exactly); `strategy` as for
    /// `allocate_order`.
    #[pyo3(signature = (order_ids = None, *, policy = None, strategy = None,
        key = None, actor = None, correlation = None, reason = None, effective_at = None))]
    fn allocate_orders(
        &self,
        py: Python<'_>,
        order_ids: Option<Vec<String>>,
        policy: Option<&Bound<'_, PyAny>>,
        strategy: Option<&Bound<'_, PyAny>>,
        key: Option<String>,
        actor: Option<String>,
        correlation: Option<String>,
        reason: Option<String>,
        effective_at: Option<Instant>,
    ) -> PyResult<PyReceipt> {
        let allocate = AllocateOrders::new()
            .order_ids(order_ids.unwrap_or_default())
            .policy(convert::tagged("policy", policy)?)
            .strategy(convert::tagged("strategy", strategy)?);
        let meta = convert::meta(key, actor, correlation, reason, effective_at);
        self.write(py, Command::AllocateOrders(allocate), meta)
    }

    /// Fills backordered lines (of `sku`, or every item) from stock that has arrived;
    /// `policy` and `strategy` as for `allocate_orders`.
    #[pyo3(signature = (sku = None, *, policy = None, strategy = None,
        key = None, actor = None, correlation = None, reason = None, effective_at = None))]
    fn fill_backorders(
        &self,
        py: Python<'_>,
        sku: Option<String>,
        policy: Option<&Bound<'_, PyAny>>,
        strategy: Option<&Bound<'_, PyAny>>,
        key: Option<String>,
        actor: Option<String>,
        correlation: Option<String>,
        reason: Option<String>,
        effective_at: Option<Instant>,
    ) -> PyResult<PyReceipt> {
        let fill = {
            let mut v = FillBackorders::new()
                .policy(convert::tagged("policy", policy)?)
                .strategy(convert::tagged("strategy", strategy)?);
            v.sku = sku;
            v
        };
        let meta = convert::meta(key, actor, correlation, reason, effective_at);
        self.write(py, Command::FillBackorders(fill), meta)
    }

    /// Picks `qty` of order line `line` from the bin `location` to the order's staging
    /// location. `short=True`: the bin held less than allocated; the rest of its allocation
    /// there is released and allocated elsewhere, or backordered.
    #[pyo3(signature = (order_id, line, location, qty, *, lot = None, serials = None,
        short = false,
        key = None, actor = None, correlation = None, reason = None, effective_at = None))]
    fn pick_order(
        &self,
        py: Python<'_>,
        order_id: String,
        line: i128,
        location: String,
        qty: Quantity,
        lot: Option<String>,
        serials: Option<Vec<String>>,
        short: bool,
        key: Option<String>,
        actor: Option<String>,
        correlation: Option<String>,
        reason: Option<String>,
        effective_at: Option<Instant>,
    ) -> PyResult<PyReceipt> {
        let pick = {
            let mut v = PickOrder::new(order_id, convert::int(line, "line")?, location, qty.0)
                .serials(serials.unwrap_or_default())
                .short(short);
            v.lot = lot;
            v
        };
        let meta = convert::meta(key, actor, correlation, reason, effective_at);
        self.write(py, Command::PickOrder(pick), meta)
    }

    /// Packs the picked stock into `packages`: `{"id": …, "contents": [{"line": …, "qty":
    /// …}]}` mappings, `(id, [(line, qty), …])` tuples or `Package` objects; together they
    /// must hold exactly what was picked.
    #[pyo3(signature = (order_id, packages, *,
        key = None, actor = None, correlation = None, reason = None, effective_at = None))]
    fn pack_order(
        &self,
        py: Python<'_>,
        order_id: String,
        packages: &Bound<'_, PyAny>,
        key: Option<String>,
        actor: Option<String>,
        correlation: Option<String>,
        reason: Option<String>,
        effective_at: Option<Instant>,
    ) -> PyResult<PyReceipt> {
        let pack = PackOrder::new(order_id, convert::packages(packages)?);
        let meta = convert::meta(key, actor, correlation, reason, effective_at);
        self.write(py, Command::PackOrder(pack), meta)
    }

    /// Ships a packed order: issues its stock from staging and commits its reservations.
    #[pyo3(signature = (order_id, *,
        key = None, actor = None, correlation = None, reason = None, effective_at = None))]
    fn ship_order(
        &self,
        py: Python<'_>,
        order_id: String,
        key: Option<String>,
        actor: Option<String>,
        correlation: Option<String>,
        reason: Option<String>,
        effective_at: Option<Instant>,
    ) -> PyResult<PyReceipt> {
        let meta = convert::meta(key, actor, correlation, reason, effective_at);
        self.write(py, Command::ShipOrder(OrderStep::new(order_id)), meta)
    }

    /// Records delivery of a shipped order.
    #[pyo3(signature = (order_id, *,
        key = None, actor = None, correlation = None, reason = None, effective_at = None))]
    fn deliver_order(
        &self,
        py: Python<'_>,
        order_id: String,
        key: Option<String>,
        actor: Option<String>,
        correlation: Option<String>,
        reason: Option<String>,
        effective_at: Option<Instant>,
    ) -> PyResult<PyReceipt> {
        let meta = convert::meta(key, actor, correlation, reason, effective_at);
        self.write(py, Command::DeliverOrder(OrderStep::new(order_id)), meta)
    }

    /// Cancels an order with compensation: its reservations are released and picked stock
    /// goes back to the bins it came from (or to `return_to`).
    #[pyo3(signature = (order_id, *, return_to = None,
        key = None, actor = None, correlation = None, reason = None, effective_at = None))]
    fn cancel_order(
        &self,
        py: Python<'_>,
        order_id: String,
        return_to: Option<String>,
        key: Option<String>,
        actor: Option<String>,
        correlation: Option<String>,
        reason: Option<String>,
        effective_at: Option<Instant>,
    ) -> PyResult<PyReceipt> {
        let cancel = {
            let mut v = CancelOrder::new(order_id);
            v.return_to = return_to;
            v
        };
        let meta = convert::meta(key, actor, correlation, reason, effective_at);
        self.write(py, Command::CancelOrder(cancel), meta)
    }

    // ---- purchase orders ------------------------------------------------------------------

    /// Places a purchase order with `supplier` for delivery into `location` (a site, zone or
    /// bin) by `expected_at`. `lines` are `{"sku", "qty", "unit", "unit_cost", "currency"}`
    /// mappings or tuples in that order. `ordered_at` (default: now) starts every receipt's
    /// lead time. `over_receipt` is `"refuse"` (default) or `{"allow": {"tolerance_pct":
    /// 10}}`; a line short by at most `under_tolerance_pct` percent counts as complete.
    #[pyo3(signature = (po_id, supplier, location, lines, expected_at, *, ordered_at = None,
        over_receipt = None, under_tolerance_pct = None,
        key = None, actor = None, correlation = None, reason = None, effective_at = None))]
    fn create_purchase_order(
        &self,
        py: Python<'_>,
        po_id: String,
        supplier: String,
        location: String,
        lines: &Bound<'_, PyAny>,
        expected_at: Instant,
        ordered_at: Option<Instant>,
        over_receipt: Option<&Bound<'_, PyAny>>,
        under_tolerance_pct: Option<Quantity>,
        key: Option<String>,
        actor: Option<String>,
        correlation: Option<String>,
        reason: Option<String>,
        effective_at: Option<Instant>,
    ) -> PyResult<PyReceipt> {
        let order = CreatePurchaseOrder {
            po_id,
            supplier,
            location,
            lines: convert::purchase_lines(lines)?,
            expected_at: expected_at.0,
            ordered_at: ordered_at.map(|t| t.0),
            over_receipt: convert::over_receipt(over_receipt)?,
            under_tolerance_pct: under_tolerance_pct.map(|q| q.0).unwrap_or_default(),
        };
        let meta = convert::meta(key, actor, correlation, reason, effective_at);
        self.write(py, Command::CreatePurchaseOrder(order), meta)
    }

    /// Receives `qty` against line `line` of a purchase order: a receive into the order's
    /// location (or `location`, within it) plus the order's update, in one step. Cost and
    /// currency default to the line's.
    #[pyo3(signature = (po_id, line, qty, *, unit = None, location = None, lot = None,
        expiry = None, produced = None, serials = None, unit_cost = None, currency = None,
        key = None, actor = None, correlation = None, reason = None, effective_at = None))]
    fn receive_purchase_order(
        &self,
        py: Python<'_>,
        po_id: String,
        line: i128,
        qty: Quantity,
        unit: Option<String>,
        location: Option<String>,
        lot: Option<String>,
        expiry: Option<Instant>,
        produced: Option<Instant>,
        serials: Option<Vec<String>>,
        unit_cost: Option<Quantity>,
        currency: Option<String>,
        key: Option<String>,
        actor: Option<String>,
        correlation: Option<String>,
        reason: Option<String>,
        effective_at: Option<Instant>,
    ) -> PyResult<PyReceipt> {
        let receipt = ReceivePurchaseOrder {
            po_id,
            line: convert::int(line, "line")?,
            qty: qty.0,
            unit,
            location,
            lot,
            expiry: expiry.map(|t| t.0),
            produced: produced.map(|t| t.0),
            serials: serials.unwrap_or_default(),
            unit_cost: unit_cost.map(|q| q.0),
            currency,
        };
        let meta = convert::meta(key, actor, correlation, reason, effective_at);
        self.write(py, Command::ReceivePurchaseOrder(receipt), meta)
    }

    /// Closes a purchase order: what is missing is no longer expected (no longer on order).
    #[pyo3(signature = (po_id, *,
        key = None, actor = None, correlation = None, reason = None, effective_at = None))]
    fn close_purchase_order(
        &self,
        py: Python<'_>,
        po_id: String,
        key: Option<String>,
        actor: Option<String>,
        correlation: Option<String>,
        reason: Option<String>,
        effective_at: Option<Instant>,
    ) -> PyResult<PyReceipt> {
        let meta = convert::meta(key, actor, correlation, reason, effective_at);
        self.write(
            py,
            Command::ClosePurchaseOrder(PurchaseOrderStep { po_id }),
            meta,
        )
    }

    /// Cancels a purchase order against which nothing has been received.
    #[pyo3(signature = (po_id, *,
        key = None, actor = None, correlation = None, reason = None, effective_at = None))]
    fn cancel_purchase_order(
        &self,
        py: Python<'_>,
        po_id: String,
        key: Option<String>,
        actor: Option<String>,
        correlation: Option<String>,
        reason: Option<String>,
        effective_at: Option<Instant>,
    ) -> PyResult<PyReceipt> {
        let meta = convert::meta(key, actor, correlation, reason, effective_at);
        self.write(
            py,
            Command::CancelPurchaseOrder(PurchaseOrderStep { po_id }),
            meta,
        )
    }

    /// Executes `commands` all or nothing, in order, in one commit, and returns their
    /// receipts. Each command is an `(op, kwargs)` pair naming a write method and its
    /// keyword arguments, e.g. `("receive", {"sku": "A", "location": "WH1", "qty": 5})`;
    /// `key=`, `actor=`, … apply to the whole batch. A refusal raises `BatchRefused` with
    /// `.index` (zero-based) and `.source` (the command's own error).
    #[pyo3(signature = (commands, *,
        key = None, actor = None, correlation = None, reason = None, effective_at = None))]
    fn execute_batch<'py>(
        &self,
        py: Python<'py>,
        commands: &Bound<'py, PyAny>,
        key: Option<String>,
        actor: Option<String>,
        correlation: Option<String>,
        reason: Option<String>,
        effective_at: Option<Instant>,
    ) -> PyResult<Bound<'py, PyList>> {
        self.engine()?;
        let collector = Bound::new(
            py,
            PyStockbook {
                target: Target::Collect(Mutex::new(Vec::new())),
            },
        )?;
        for entry in commands.try_iter()? {
            let entry = entry?;
            let (op, args): (String, Bound<'py, PyAny>) = entry.extract().map_err(|_| {
                PyTypeError::new_err("each command of a batch is an (op, kwargs) pair")
            })?;
            let kwargs = PyDict::new(py);
            kwargs.update(args.cast::<PyMapping>().map_err(|_| {
                PyTypeError::new_err(format!("the arguments of {op:?} must be a mapping"))
            })?)?;
            let method = collector
                .getattr(op.as_str())
                .ok()
                .filter(|_| !op.starts_with('_'))
                .ok_or_else(|| PyValueError::new_err(format!("unknown command {op:?}")))?;
            method.call((), Some(&kwargs))?;
        }
        let Target::Collect(collected) = &collector.get().target else {
            unreachable!("the collector collects");
        };
        let batch = std::mem::take(&mut *collected.lock().unwrap_or_else(PoisonError::into_inner));
        let meta = convert::meta(key, actor, correlation, reason, effective_at);
        let receipts = self.enter(py, |b| b.execute_batch(batch, meta))?;
        list(py, &receipts, |py, r| {
            Ok(Bound::new(py, PyReceipt(r.clone()))?.into_any())
        })
    }

    // ---- queries --------------------------------------------------------------------------

    /// One item (archived ones too).
    fn item(&self, py: Python<'_>, sku: &str) -> PyResult<PyItem> {
        self.read(py, |b| b.item(sku)).map(PyItem)
    }

    /// Every item, archived ones included, by SKU.
    fn items<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        let items = self.read(py, stockbook::Stockbook::items)?;
        list(py, &items, PyItem::wrap)
    }

    /// One location.
    fn location(&self, py: Python<'_>, code: &str) -> PyResult<PyLocation> {
        self.read(py, |b| b.location(code)).map(PyLocation)
    }

    /// Every location (built-in virtual ones included), by code.
    fn locations<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        let locations = self.read(py, stockbook::Stockbook::locations)?;
        list(py, &locations, PyLocation::wrap)
    }

    /// The codes of the locations directly below `code`.
    fn children(&self, py: Python<'_>, code: &str) -> PyResult<Vec<String>> {
        self.read(py, |b| b.children(code))
    }

    /// One lot.
    fn lot(&self, py: Python<'_>, sku: &str, lot: &str) -> PyResult<PyLot> {
        self.read(py, |b| b.lot(sku, lot)).map(PyLot)
    }

    /// The lots of an item.
    fn lots<'py>(&self, py: Python<'py>, sku: &str) -> PyResult<Bound<'py, PyList>> {
        let lots = self.read(py, |b| b.lots(sku))?;
        list(py, &lots, PyLot::wrap)
    }

    /// Where a serial-numbered unit is.
    fn serial(&self, py: Python<'_>, sku: &str, serial: &str) -> PyResult<PySerial> {
        self.read(py, |b| b.serial(sku, serial)).map(PySerial)
    }

    /// The serials of `sku` at `location` (exactly there), sorted.
    fn serials_at(&self, py: Python<'_>, sku: &str, location: &str) -> PyResult<Vec<String>> {
        self.read(py, |b| b.serials_at(sku, location))
    }

    /// A two-step transfer.
    fn transfer(&self, py: Python<'_>, id: &str) -> PyResult<PyTransferRecord> {
        self.read(py, |b| b.transfer(id)).map(PyTransferRecord)
    }

    /// On hand of `sku` at `location` and every location below it: all lots, or one `lot`.
    #[pyo3(signature = (sku, location, *, lot = None))]
    fn on_hand<'py>(
        &self,
        py: Python<'py>,
        sku: &str,
        location: &str,
        lot: Option<&str>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let q = self.read(py, |b| b.on_hand_lot(sku, location, lot))?;
        convert::qty(py, &q)
    }

    /// On hand of `sku` across every physical location.
    fn item_total<'py>(&self, py: Python<'py>, sku: &str) -> PyResult<Bound<'py, PyAny>> {
        let q = self.read(py, |b| b.item_total(sku))?;
        convert::qty(py, &q)
    }

    /// Balances by (sku, location, lot): only `sku`, only `location` and the locations
    /// below it, virtual locations (supplier, customer, …) only with `include_virtual`.
    #[pyo3(signature = (*, sku = None, location = None, include_virtual = false))]
    fn balances<'py>(
        &self,
        py: Python<'py>,
        sku: Option<String>,
        location: Option<String>,
        include_virtual: bool,
    ) -> PyResult<Bound<'py, PyList>> {
        let filter = {
            let mut v = BalanceFilter::new().include_virtual(include_virtual);
            v.sku = sku;
            v.location = location;
            v
        };
        let balances = self.read(py, |b| b.balances(&filter))?;
        list(py, &balances, PyBalance::wrap)
    }

    /// On hand of `sku` at `location` (and below, all lots) as it stood at a past instant
    /// `at` (every movement effective at or before it) or log position `seq` (every
    /// movement recorded at or before it). Give exactly one of them.
    #[pyo3(signature = (sku, location, *, at = None, seq = None))]
    fn on_hand_at<'py>(
        &self,
        py: Python<'py>,
        sku: &str,
        location: &str,
        at: Option<Instant>,
        seq: Option<i128>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let as_of = convert::as_of("on_hand_at", at, seq)?;
        let q = self.enter(py, |b| b.on_hand_at(sku, location, as_of))?;
        convert::qty(py, &q)
    }

    /// Every event from sequence `from_seq` on, as a lazy iterator that reads the log a
    /// page at a time.
    #[pyo3(signature = (from_seq = 1))]
    fn events(&self, from_seq: i128) -> PyResult<PyEventIterator> {
        let from_seq = convert::int(from_seq, "from_seq")?;
        Ok(PyEventIterator(Mutex::new(
            self.engine()?.events_iter(from_seq),
        )))
    }

    /// Up to `limit` (at most 10,000) events concerning `sku`, from sequence `from_seq` on.
    #[pyo3(signature = (sku, *, from_seq = 1, limit = 10_000))]
    fn history<'py>(
        &self,
        py: Python<'py>,
        sku: &str,
        from_seq: i128,
        limit: i128,
    ) -> PyResult<Bound<'py, PyList>> {
        let (from_seq, limit) = (
            convert::int(from_seq, "from_seq")?,
            convert::int(limit, "limit")?,
        );
        let events = self.enter(py, |b| b.history(sku, from_seq, limit))?;
        list(py, &events, PyEvent::wrap)
    }

    /// Rebuilds every projection from the log alone and compares it with the maintained
    /// one; also checks that every item's ledger sums to zero and that no balance is
    /// negative where the item forbids it.
    fn verify(&self, py: Python<'_>) -> PyResult<PyIntegrityReport> {
        self.enter(py, stockbook::Stockbook::verify)
            .map(PyIntegrityReport)
    }

    // ---- reservations and orders: queries -------------------------------------------------

    /// One reservation. A pending reservation past its time-to-live shows as expired.
    fn reservation(&self, py: Python<'_>, id: &str) -> PyResult<PyReservation> {
        self.read(py, |b| b.reservation(id)).map(PyReservation)
    }

    /// Reservations by id: only those of `order`, of `sku`, whose scope lies in the subtree
    /// of `scope`, in `state` (`"pending"`, `"committed"`, `"released"`, `"expired"`).
    #[pyo3(signature = (*, order = None, sku = None, scope = None, state = None))]
    fn reservations<'py>(
        &self,
        py: Python<'py>,
        order: Option<String>,
        sku: Option<String>,
        scope: Option<String>,
        state: Option<&str>,
    ) -> PyResult<Bound<'py, PyList>> {
        let filter = {
            let mut v = ReservationFilter::new();
            v.order = order;
            v.sku = sku;
            v.scope = scope;
            v.state = state.map(|s| parse_name("state", s)).transpose()?;
            v
        };
        let found = self.read(py, |b| b.reservations(&filter))?;
        list(py, &found, PyReservation::wrap)
    }

    /// Available to promise: on hand less reserved, in the subtree of `location`.
    fn available<'py>(
        &self,
        py: Python<'py>,
        sku: &str,
        location: &str,
    ) -> PyResult<Bound<'py, PyAny>> {
        let q = self.read(py, |b| b.available(sku, location))?;
        convert::qty(py, &q)
    }

    /// Stock of `sku` reserved in the subtree of `location` now.
    fn reserved<'py>(
        &self,
        py: Python<'py>,
        sku: &str,
        location: &str,
    ) -> PyResult<Bound<'py, PyAny>> {
        let q = self.read(py, |b| b.reserved(sku, location))?;
        convert::qty(py, &q)
    }

    /// On hand, reserved and available of `sku` in the subtree of `location`, from one
    /// consistent state.
    fn stock_level(&self, py: Python<'_>, sku: &str, location: &str) -> PyResult<PyStockLevel> {
        self.read(py, |b| b.stock_level(sku, location))
            .map(PyStockLevel)
    }

    /// Available to promise as it stood at a past instant `at` or log position `seq` (as
    /// for `on_hand_at`; give exactly one).
    #[pyo3(signature = (sku, location, *, at = None, seq = None))]
    fn available_at<'py>(
        &self,
        py: Python<'py>,
        sku: &str,
        location: &str,
        at: Option<Instant>,
        seq: Option<i128>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let as_of = convert::as_of("available_at", at, seq)?;
        let q = self.enter(py, |b| b.available_at(sku, location, as_of))?;
        convert::qty(py, &q)
    }

    /// Stock reserved in the subtree of `location` as it stood at a past instant `at` or
    /// log position `seq` (give exactly one).
    #[pyo3(signature = (sku, location, *, at = None, seq = None))]
    fn reserved_at<'py>(
        &self,
        py: Python<'py>,
        sku: &str,
        location: &str,
        at: Option<Instant>,
        seq: Option<i128>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let as_of = convert::as_of("reserved_at", at, seq)?;
        let q = self.enter(py, |b| b.reserved_at(sku, location, as_of))?;
        convert::qty(py, &q)
    }

    /// Where `qty` of `sku` would be taken from in `scope` by `strategy` (as for
    /// `allocate_order`, default `"fifo"`), without reserving anything.
    #[pyo3(signature = (sku, qty, scope, *, strategy = None))]
    fn plan_allocation(
        &self,
        py: Python<'_>,
        sku: &str,
        qty: Quantity,
        scope: &str,
        strategy: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<PyAllocationPlan> {
        let strategy: Strategy = convert::tagged("strategy", strategy)?;
        self.read(py, |b| b.plan_allocation(sku, qty.0, scope, &strategy))
            .map(PyAllocationPlan)
    }

    /// One order with its line-level ordered, allocated, picked, shipped and backordered
    /// quantities.
    fn order(&self, py: Python<'_>, id: &str) -> PyResult<PyOrder> {
        self.read(py, |b| b.order(id)).map(PyOrder)
    }

    /// Orders by id: all, or those in `state` (`"draft"`, `"confirmed"`, …).
    #[pyo3(signature = (state = None))]
    fn orders<'py>(&self, py: Python<'py>, state: Option<&str>) -> PyResult<Bound<'py, PyList>> {
        let state: Option<OrderState> = state.map(|s| parse_name("state", s)).transpose()?;
        let orders = self.read(py, |b| b.orders(state))?;
        list(py, &orders, PyOrder::wrap)
    }

    /// Every backordered line of an open order (of `sku`, or all), in the order the
    /// shortage policy serves them (priority, due date, age).
    #[pyo3(signature = (sku = None))]
    fn backorders<'py>(&self, py: Python<'py>, sku: Option<&str>) -> PyResult<Bound<'py, PyList>> {
        let found = self.read(py, |b| b.backorders(sku))?;
        list(py, &found, PyBackorder::wrap)
    }

    // ---- planning: queries ----------------------------------------------------------------

    /// One purchase order with its lines and receipts.
    fn purchase_order(&self, py: Python<'_>, id: &str) -> PyResult<PyPurchaseOrder> {
        self.read(py, |b| b.purchase_order(id)).map(PyPurchaseOrder)
    }

    /// Purchase orders by id: only those of `supplier`, with a line of `sku`, in `state`
    /// (`"open"`, `"partially_received"`, `"received"`, `"closed"`, `"cancelled"`),
    /// delivered into the subtree of `location`.
    #[pyo3(signature = (*, supplier = None, sku = None, state = None, location = None))]
    fn purchase_orders<'py>(
        &self,
        py: Python<'py>,
        supplier: Option<String>,
        sku: Option<String>,
        state: Option<&str>,
        location: Option<String>,
    ) -> PyResult<Bound<'py, PyList>> {
        let filter = PurchaseOrderFilter {
            supplier,
            sku,
            state: state.map(|s| parse_name("state", s)).transpose()?,
            location,
        };
        let found = self.read(py, |b| b.purchase_orders(&filter))?;
        list(py, &found, PyPurchaseOrder::wrap)
    }

    /// Stock of `sku` on order for delivery into `location` or below: what open purchase
    /// orders still expect.
    fn on_order<'py>(
        &self,
        py: Python<'py>,
        sku: &str,
        location: &str,
    ) -> PyResult<Bound<'py, PyAny>> {
        let q = self.read(py, |b| b.on_order(sku, location))?;
        convert::qty(py, &q)
    }

    /// Lead-time statistics of `supplier` in days, over all its receipts or those of `sku`.
    #[pyo3(signature = (supplier, sku = None))]
    fn lead_time_stats(
        &self,
        py: Python<'_>,
        supplier: &str,
        sku: Option<&str>,
    ) -> PyResult<PyLeadTimeStats> {
        self.read(py, |b| b.lead_time_stats(supplier, sku))
            .map(PyLeadTimeStats)
    }

    /// The demand of `sku` at `location` (and below), per `bucket` (`"day"`, `"week"`,
    /// `"month"`, calendar periods in UTC) over every bucket that meets `[from_, to)`:
    /// shipments and issues, with returns kept apart. With `include_backorders`, ordered
    /// demand (backorders included) replaces the shipments of orders.
    #[pyo3(signature = (sku, location, bucket, from_, to, *, include_backorders = false))]
    fn demand_history(
        &self,
        py: Python<'_>,
        sku: &str,
        location: &str,
        bucket: &str,
        from_: Instant,
        to: Instant,
        include_backorders: bool,
    ) -> PyResult<PyDemandHistory> {
        let bucket: Bucket = parse_name("bucket", bucket)?;
        self.enter(py, |b| {
            b.demand_history(sku, location, bucket, from_.0, to.0, include_backorders)
        })
        .map(PyDemandHistory)
    }

    /// A replenishment plan for every item × site: the inventory position (on hand + on
    /// order − reserved − backordered) projected against the forecast, and an order
    /// suggested when it reaches the reorder point. Every option left `None` takes the
    /// core's default: `as_of` now, `bucket` `"week"`, `history_periods` 104,
    /// `horizon_periods` 13, `method` `"by_class"` (or `{"auto": {"season_length": N}}`,
    /// `{"fixed": METHOD}` with a method as for `stockbook.forecast`), `service_level` 0.95,
    /// `lead_time_days` 7, `order_quantity` `{"cover": {"periods": 4}}` (or `{"eoq":
    /// {"ordering_cost": K, "holding_cost": H}}`), `min_order_qty` 0, `pack_size` 1,
    /// `include_backorders` False, every site and every active item. `items` overrides per
    /// item (`{"sku", "supplier", "lead_time_days", "lead_time_std_days", "service_level",
    /// "min_order_qty", "pack_size"}`); `series` (`{"sku", "site", "demand": [floats]}`)
    /// plans on given demand instead of the ledger's.
    #[pyo3(signature = (*, as_of = None, bucket = None, history_periods = None,
        horizon_periods = None, method = None, service_level = None, lead_time_days = None,
        order_quantity = None, min_order_qty = None, pack_size = None,
        include_backorders = None, sites = None, skus = None, items = None, series = None))]
    fn replenishment_plan(
        &self,
        py: Python<'_>,
        as_of: Option<Instant>,
        bucket: Option<&Bound<'_, PyAny>>,
        history_periods: Option<&Bound<'_, PyAny>>,
        horizon_periods: Option<&Bound<'_, PyAny>>,
        method: Option<&Bound<'_, PyAny>>,
        service_level: Option<&Bound<'_, PyAny>>,
        lead_time_days: Option<&Bound<'_, PyAny>>,
        order_quantity: Option<&Bound<'_, PyAny>>,
        min_order_qty: Option<&Bound<'_, PyAny>>,
        pack_size: Option<&Bound<'_, PyAny>>,
        include_backorders: Option<&Bound<'_, PyAny>>,
        sites: Option<&Bound<'_, PyAny>>,
        skus: Option<&Bound<'_, PyAny>>,
        items: Option<&Bound<'_, PyAny>>,
        series: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<PyReplenishmentPlan> {
        let mut fields = serde_json::Map::new();
        if let Some(at) = as_of {
            fields.insert("as_of".into(), at.0.into());
        }
        for (name, value) in [
            ("bucket", bucket),
            ("history_periods", history_periods),
            ("horizon_periods", horizon_periods),
            ("method", method),
            ("service_level", service_level),
            ("lead_time_days", lead_time_days),
            ("order_quantity", order_quantity),
            ("min_order_qty", min_order_qty),
            ("pack_size", pack_size),
            ("include_backorders", include_backorders),
            ("sites", sites),
            ("skus", skus),
            ("items", items),
            ("series", series),
        ] {
            if let Some(value) = value.filter(|v| !v.is_none()) {
                let value = convert::json_of(name, value)?;
                // Read alone first, so that a refusal names the option it concerns.
                let alone = serde_json::json!({ name: value.clone() });
                convert::from_json::<PlanOptions>(name, alone)?;
                fields.insert(name.into(), value);
            }
        }
        let options: PlanOptions =
            convert::from_json("replenishment_plan", serde_json::Value::Object(fields))?;
        self.enter(py, |b| b.replenishment_plan(&options))
            .map(PyReplenishmentPlan)
    }
}

/// The events of the log, read lazily a page at a time (from `Stockbook.events`).
#[pyclass(frozen, name = "EventIterator", module = "stockbook")]
pub struct PyEventIterator(Mutex<EventIter>);

#[pymethods]
impl PyEventIterator {
    fn __iter__(slf: Py<Self>) -> Py<Self> {
        slf
    }

    fn __next__(&self, py: Python<'_>) -> PyResult<Option<PyEvent>> {
        let next = py.detach(|| self.0.lock().unwrap_or_else(PoisonError::into_inner).next());
        match next {
            None => Ok(None),
            Some(Ok(env)) => Ok(Some(PyEvent(env))),
            Some(Err(e)) => Err(errors::to_py(py, &e)),
        }
    }
}

fn options(durability: &str, clock: Option<&Bound<'_, PyManualClock>>) -> PyResult<Options> {
    let mut options =
        Options::default().with_durability(parse_name::<Durability>("durability", durability)?);
    if let Some(clock) = clock {
        options.clock = clock.get().0.clone();
    }
    Ok(options)
}

/// Opens (or creates) the Stockbook file at `path`. `durability` is `"immediate"` (every
/// commit is durable before it returns) or `"bulk_load"` (commits are flushed by `sync()`
/// or `close()`; a crash loses what was not synced). `clock` is a `ManualClock` for tests.
///
/// Raises `Locked` when another process has it open, `NotAStockbookFile` for any other
/// file, `UnsupportedFormat` for a file of a newer format, and `FileNotFoundError` (as
/// `stockbook.IoNotFound`) when its directory does not exist.
#[pyfunction]
#[pyo3(signature = (path, *, durability = "immediate", clock = None))]
pub fn open(
    py: Python<'_>,
    path: PathBuf,
    durability: &str,
    clock: Option<&Bound<'_, PyManualClock>>,
) -> PyResult<PyStockbook> {
    let options = options(durability, clock)?;
    let book = py
        .detach(|| stockbook::Stockbook::open_with(&path, options))
        .map_err(|e| errors::to_py(py, &e))?;
    Ok(PyStockbook {
        target: Target::Engine(book),
    })
}

/// A Stockbook that lives in memory only: for tests and scratch work. Options as for
/// `open`.
#[pyfunction]
#[pyo3(signature = (*, durability = "immediate", clock = None))]
pub fn in_memory(
    py: Python<'_>,
    durability: &str,
    clock: Option<&Bound<'_, PyManualClock>>,
) -> PyResult<PyStockbook> {
    let options = options(durability, clock)?;
    let book = py
        .detach(|| stockbook::Stockbook::in_memory_with(options))
        .map_err(|e| errors::to_py(py, &e))?;
    Ok(PyStockbook {
        target: Target::Engine(book),
    })
}
