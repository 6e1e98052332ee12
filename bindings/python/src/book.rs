//! The `Stockbook` handle, `ManualClock`, the lazy event iterator and `open` / `in_memory`.
//!
//! Every engine call goes through [`PyStockbook::enter`]: release the GIL, call the core,
//! map its error. Every write goes through [`PyStockbook::write`], which builds nothing
//! itself: each write method converts its keyword arguments into a core `Command` and
//! hands it over. `execute_batch` replays `(op, kwargs)` pairs through those same methods
//! on a collecting handle, so a new command is one new method and nothing else.

use std::path::PathBuf;
use std::sync::{Arc, Mutex, PoisonError};

use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList, PyMapping, PyString, PyTuple};
use stockbook::{
    Adjust, AsOf, BalanceFilter, Command, Count, Dispatch, Durability, EventIter, Issue, Item,
    Location, Lot, ManualClock, Meta, Options, Receipt, Receive, ReceiveTransfer, Scrap, Transfer,
};

use crate::convert::{self, Duration, Instant, Quantity, parse_name};
use crate::errors;
use crate::records::{
    PyBalance, PyEvent, PyIntegrityReport, PyItem, PyLocation, PyLot, PyReceipt, PySerial,
    PyTransferRecord,
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

    /// Releases the GIL, runs `f` on the engine and maps its error.
    fn enter<T: Send>(
        &self,
        py: Python<'_>,
        f: impl FnOnce(&stockbook::Stockbook) -> stockbook::Result<T> + Send,
    ) -> PyResult<T> {
        let book = self.engine()?;
        py.detach(move || f(book))
            .map_err(|e| errors::to_py(py, &e))
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
    decimals: u8,
    tracking: &str,
    shelf_life_days: Option<u32>,
    conversions: Option<&Bound<'_, PyAny>>,
    allow_negative: bool,
    category: Option<String>,
    attributes: Option<std::collections::BTreeMap<String, String>>,
    archived: bool,
) -> PyResult<Item> {
    Ok(Item {
        sku,
        name: name.to_owned(),
        unit: unit.to_owned(),
        decimals,
        tracking: parse_name("tracking", tracking)?,
        shelf_life_days,
        conversions: convert::conversions(conversions)?,
        allow_negative,
        category,
        attributes: attributes.unwrap_or_default(),
        archived,
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
    Ok(Location {
        code,
        name: name.to_owned(),
        kind: parse_name("kind", kind)?,
        parent,
        capacity: convert::capacity(capacity)?,
        coordinates: convert::coordinates(coordinates)?,
        pickable,
        receivable,
        archived,
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
        self.enter(py, stockbook::Stockbook::last_seq)
    }

    /// The engine clock's time, as an aware UTC datetime.
    fn now<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let ms = self.enter(py, stockbook::Stockbook::now)?;
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
    fn __exit__(&self, py: Python<'_>, _exc: &Bound<'_, PyTuple>) -> PyResult<bool> {
        self.close(py)?;
        Ok(false)
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
        decimals: u8,
        tracking: &str,
        shelf_life_days: Option<u32>,
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
        decimals: u8,
        tracking: &str,
        shelf_life_days: Option<u32>,
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
        let lot = Lot {
            sku,
            lot,
            expiry: expiry.map(|i| i.0),
            produced: produced.map(|i| i.0),
            first_received: None,
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
        let receive = Receive {
            sku,
            location,
            qty: qty.0,
            unit,
            lot,
            expiry: expiry.map(|i| i.0),
            produced: produced.map(|i| i.0),
            serials: serials.unwrap_or_default(),
            unit_cost: unit_cost.map(|q| q.0),
            currency,
            from: from_,
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
        let issue = Issue {
            sku,
            location,
            qty: qty.0,
            unit,
            lot,
            serials: serials.unwrap_or_default(),
            allow_expired,
            to,
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
        let issue = Issue {
            sku,
            location,
            qty: qty.0,
            unit,
            lot,
            serials: serials.unwrap_or_default(),
            allow_expired,
            to,
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
        let adjust = Adjust {
            sku,
            location,
            qty: qty.0,
            unit,
            lot,
            serials: serials.unwrap_or_default(),
            reason_code,
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
        let scrap = Scrap {
            sku,
            location,
            qty: qty.0,
            unit,
            lot,
            serials: serials.unwrap_or_default(),
            reason_code,
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
        let transfer = Transfer {
            sku,
            from: from_,
            to,
            qty: qty.0,
            unit,
            lot,
            serials: serials.unwrap_or_default(),
            allow_expired,
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
        let dispatch = Dispatch {
            transfer_id,
            sku,
            from: from_,
            to,
            qty: qty.0,
            unit,
            lot,
            serials: serials.unwrap_or_default(),
            allow_expired,
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
        let receive = ReceiveTransfer {
            transfer_id,
            qty: qty.0,
            unit,
            serials: serials.unwrap_or_default(),
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
        let count = Count {
            sku,
            location,
            lot,
            counted: counted.0,
            unit,
        };
        let meta = convert::meta(key, actor, correlation, reason, effective_at);
        self.write(py, Command::Count(count), meta)
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
        self.enter(py, |b| b.item(sku)).map(PyItem)
    }

    /// Every item, archived ones included, by SKU.
    fn items<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        let items = self.enter(py, stockbook::Stockbook::items)?;
        list(py, &items, PyItem::wrap)
    }

    /// One location.
    fn location(&self, py: Python<'_>, code: &str) -> PyResult<PyLocation> {
        self.enter(py, |b| b.location(code)).map(PyLocation)
    }

    /// Every location (built-in virtual ones included), by code.
    fn locations<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        let locations = self.enter(py, stockbook::Stockbook::locations)?;
        list(py, &locations, PyLocation::wrap)
    }

    /// The codes of the locations directly below `code`.
    fn children(&self, py: Python<'_>, code: &str) -> PyResult<Vec<String>> {
        self.enter(py, |b| b.children(code))
    }

    /// One lot.
    fn lot(&self, py: Python<'_>, sku: &str, lot: &str) -> PyResult<PyLot> {
        self.enter(py, |b| b.lot(sku, lot)).map(PyLot)
    }

    /// The lots of an item.
    fn lots<'py>(&self, py: Python<'py>, sku: &str) -> PyResult<Bound<'py, PyList>> {
        let lots = self.enter(py, |b| b.lots(sku))?;
        list(py, &lots, PyLot::wrap)
    }

    /// Where a serial-numbered unit is.
    fn serial(&self, py: Python<'_>, sku: &str, serial: &str) -> PyResult<PySerial> {
        self.enter(py, |b| b.serial(sku, serial)).map(PySerial)
    }

    /// The serials of `sku` at `location` (exactly there), sorted.
    fn serials_at(&self, py: Python<'_>, sku: &str, location: &str) -> PyResult<Vec<String>> {
        self.enter(py, |b| b.serials_at(sku, location))
    }

    /// A two-step transfer.
    fn transfer(&self, py: Python<'_>, id: &str) -> PyResult<PyTransferRecord> {
        self.enter(py, |b| b.transfer(id)).map(PyTransferRecord)
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
        let q = self.enter(py, |b| b.on_hand_lot(sku, location, lot))?;
        convert::qty(py, &q)
    }

    /// On hand of `sku` across every physical location.
    fn item_total<'py>(&self, py: Python<'py>, sku: &str) -> PyResult<Bound<'py, PyAny>> {
        let q = self.enter(py, |b| b.item_total(sku))?;
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
        let filter = BalanceFilter {
            sku,
            location,
            include_virtual,
        };
        let balances = self.enter(py, |b| b.balances(&filter))?;
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
        seq: Option<u64>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let as_of = match (at, seq) {
            (Some(at), None) => AsOf::Time(at.0),
            (None, Some(seq)) => AsOf::Seq(seq),
            _ => {
                return Err(PyTypeError::new_err(
                    "on_hand_at takes exactly one of at= or seq=",
                ));
            }
        };
        let q = self.enter(py, |b| b.on_hand_at(sku, location, as_of))?;
        convert::qty(py, &q)
    }

    /// Every event from sequence `from_seq` on, as a lazy iterator that reads the log a
    /// page at a time.
    #[pyo3(signature = (from_seq = 1))]
    fn events(&self, from_seq: u64) -> PyResult<PyEventIterator> {
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
        from_seq: u64,
        limit: usize,
    ) -> PyResult<Bound<'py, PyList>> {
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
