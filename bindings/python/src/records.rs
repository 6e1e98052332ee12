//! Result objects: small frozen classes over the core's records.
//!
//! Each wraps the core value and converts a field when it is read, so a class is declared
//! once with the [`record!`] macro: its fields, each with its converter from
//! [`crate::convert`]. Every class gets `to_dict()` (keys are the Rust field names,
//! nested records become dicts), a readable `__repr__`, `==` and a hash consistent with it.

use pyo3::prelude::*;
use pyo3::types::{PyDict, PyFrozenSet, PyList, PyTuple};
use stockbook::orders::{
    AllocationLine, AllocationPlan, Backorder, Order, OrderLine, Package, PackageContent, Pick,
    Reservation, StockLevel,
};
use stockbook::planning::PurchaseOrder;
use stockbook::{
    Balance, Capacity, Coordinates, CountRecord, Envelope, Event, IntegrityReport, Item, Location,
    Lot, Movement, Qty, Receipt, Serial, TransferRecord, UnitConversion,
};

use crate::convert::{name, opt_qty, opt_time, plain, qty, time};
use crate::planning::PyPurchaseOrder;

/// `base.field`, where the field is named `field` or, when given, `rust`.
macro_rules! field {
    ($base:expr, $getter:ident) => {
        $base.$getter
    };
    ($base:expr, $getter:ident, $rust:ident) => {
        $base.$rust
    };
}

/// The `to_dict()` key of a field: its Rust name.
macro_rules! key {
    ($getter:ident) => {
        stringify!($getter)
    };
    ($getter:ident, $rust:ident) => {
        stringify!($rust)
    };
    ($getter:ident, $rust:ident, $key:literal) => {
        $key
    };
}

/// Declares a result class: `"PyName" RustName(CoreType) { getter[rust_field, "key"]: converter }`.
/// `[rust_field]` is needed only where the Python name differs (`from_` for `from`), and
/// `"key"` only where the `to_dict()` key is not the Rust field's name.
macro_rules! record {
    (
        $(#[doc = $doc:literal])*
        $pyname:literal $name:ident($inner:ty) {
            $( $(#[doc = $fdoc:literal])* $getter:ident $([$rust:ident $(, $key:literal)?])? : $conv:expr ),* $(,)?
        }
        $($extra:tt)*
    ) => {
        $(#[doc = $doc])*
        #[pyclass(frozen, name = $pyname, module = "stockbook")]
        #[derive(Debug, Clone)]
        pub struct $name(pub(crate) $inner);

        impl $name {
            /// The core value as a new Python object.
            #[allow(dead_code)]
            pub(crate) fn wrap<'py>(
                py: ::pyo3::Python<'py>,
                v: &$inner,
            ) -> ::pyo3::PyResult<::pyo3::Bound<'py, ::pyo3::PyAny>> {
                Ok(::pyo3::Bound::new(py, $name(v.clone()))?.into_any())
            }
            /// An optional core value as an object or `None`.
            #[allow(dead_code, clippy::ref_option)]
            pub(crate) fn wrap_opt<'py>(
                py: Python<'py>,
                v: &Option<$inner>,
            ) -> PyResult<Bound<'py, PyAny>> {
                match v {
                    Some(v) => Self::wrap(py, v),
                    None => Ok(py.None().into_bound(py)),
                }
            }
            /// Core values as a list of objects.
            #[allow(dead_code)]
            pub(crate) fn wrap_list<'py>(
                py: Python<'py>,
                v: &[$inner],
            ) -> PyResult<Bound<'py, PyAny>> {
                let list = ::pyo3::types::PyList::empty(py);
                for x in v {
                    list.append(Self::wrap(py, x)?)?;
                }
                Ok(list.into_any())
            }
        }

        #[pymethods]
        impl $name {
            $(
                $(#[doc = $fdoc])*
                #[getter]
                fn $getter<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
                    $conv(py, &field!(self.0, $getter $(, $rust)?))
                }
            )*

            /// The record as a dict keyed by the field names; nested records are dicts.
            fn to_dict<'py>(
                &self,
                py: ::pyo3::Python<'py>,
            ) -> ::pyo3::PyResult<::pyo3::Bound<'py, ::pyo3::types::PyDict>> {
                let dict = ::pyo3::types::PyDict::new(py);
                $( dict.set_item(
                    key!($getter $(, $rust $(, $key)?)?),
                    $crate::records::deep(self.$getter(py)?)?,
                )?; )*
                Ok(dict)
            }

            fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
                let parts: Vec<String> = vec![
                    $( format!("{}={}", key!($getter $(, $rust $(, $key)?)?), self.$getter(py)?.repr()?) ),*
                ];
                Ok(format!("{}({})", $pyname, parts.join(", ")))
            }

            fn __eq__(&self, other: &Bound<'_, PyAny>) -> bool {
                other.cast::<Self>().is_ok_and(|o| o.get().0 == self.0)
            }

            /// The hash of the fields as Python values: equal records have equal fields.
            fn __hash__(&self, py: Python<'_>) -> PyResult<isize> {
                let fields: Vec<Bound<'_, PyAny>> = vec![
                    $( $crate::records::frozen(self.$getter(py)?)? ),*
                ];
                ::pyo3::types::PyTuple::new(py, fields)?.hash()
            }

            $($extra)*
        }
    };
}

/// A field value made hashable for `__hash__`: lists as tuples, dicts as frozensets of
/// their items (records and plain values hash as they are).
pub(crate) fn frozen(value: Bound<'_, PyAny>) -> PyResult<Bound<'_, PyAny>> {
    let py = value.py();
    if let Ok(list) = value.cast::<PyList>() {
        let items = list.iter().map(frozen).collect::<PyResult<Vec<_>>>()?;
        return Ok(PyTuple::new(py, items)?.into_any());
    }
    if let Ok(dict) = value.cast::<PyDict>() {
        let mut items = Vec::with_capacity(dict.len());
        for (k, v) in dict.iter() {
            items.push(PyTuple::new(py, [frozen(k)?, frozen(v)?])?);
        }
        return Ok(PyFrozenSet::new(py, &items)?.into_any());
    }
    Ok(value)
}

/// A value for `to_dict()`: records as dicts, lists element by element.
pub(crate) fn deep(value: Bound<'_, PyAny>) -> PyResult<Bound<'_, PyAny>> {
    if let Ok(list) = value.cast::<PyList>() {
        let out = PyList::empty(value.py());
        for x in list.iter() {
            out.append(deep(x)?)?;
        }
        return Ok(out.into_any());
    }
    if value.hasattr("to_dict")? {
        return value.call_method0("to_dict");
    }
    Ok(value)
}

record! {
    /// An alternative unit of an item: `1 unit = factor × base unit` (1 box = 12 ea).
    "UnitConversion" PyUnitConversion(UnitConversion) {
        /// The alternative unit's name (`box`).
        unit: plain,
        /// How many base units one of it holds; exact and positive.
        factor: qty,
    }
}

record! {
    /// An item (SKU) as defined or last updated.
    "Item" PyItem(Item) {
        /// The unique code.
        sku: plain,
        /// A human name.
        name: plain,
        /// The base unit of measure (`ea`, `kg`).
        unit: plain,
        /// The precision of its quantities: 0..=6 fractional digits of the base unit.
        decimals: plain,
        /// How units are told apart: `"none"`, `"lot"` or `"serial"`.
        tracking: name,
        /// Shelf life in days from production, if the item perishes.
        shelf_life_days: plain,
        /// Alternative units.
        conversions: PyUnitConversion::wrap_list,
        /// Whether balances of this item may go below zero (default: forbidden).
        allow_negative: plain,
        /// A category for reports.
        category: plain,
        /// Free attributes.
        attributes: plain,
        /// Archived items take no more movements.
        archived: plain,
    }
}

record! {
    /// Capacity limits of a location, as data for putaway planning.
    "Capacity" PyCapacity(Capacity) {
        /// Most units (of any item) it holds.
        units: opt_qty,
        /// Most weight, in kilograms.
        weight_kg: opt_qty,
        /// Most volume, in litres.
        volume_l: opt_qty,
    }
}

record! {
    /// Coordinates for routing: aisle number and position along it, and level.
    "Coordinates" PyCoordinates(Coordinates) {
        /// Horizontal position (e.g. aisle index).
        x: plain,
        /// Position along the aisle.
        y: plain,
        /// Level (shelf height).
        z: plain,
    }
}

record! {
    /// A location as defined or last updated.
    "Location" PyLocation(Location) {
        /// The unique path-like code (`WH1/A/03/2`).
        code: plain,
        /// A human name.
        name: plain,
        /// What it is: `site`, `zone`, `aisle`, `bin`, or a virtual kind (`supplier`,
        /// `customer`, `adjustment`, `scrap`, `in_transit`, `production`).
        kind: name,
        /// The parent in the hierarchy.
        parent: plain,
        /// Capacity limits.
        capacity: PyCapacity::wrap,
        /// Coordinates for pick-path routing.
        coordinates: PyCoordinates::wrap_opt,
        /// Whether stock may be picked from it.
        pickable: plain,
        /// Whether stock may be received into it.
        receivable: plain,
        /// Archived locations take no more movements.
        archived: plain,
    }
}

record! {
    /// A lot (batch) of an item.
    "Lot" PyLot(Lot) {
        /// The item.
        sku: plain,
        /// The lot code, unique per item.
        lot: plain,
        /// When it expires, if it does.
        expiry: opt_time,
        /// When it was produced.
        produced: opt_time,
        /// The first time stock of it was received (set by the engine).
        first_received: opt_time,
    }
}

record! {
    /// Where one serial-numbered unit is.
    "Serial" PySerial(Serial) {
        /// The item.
        sku: plain,
        /// The serial number.
        serial: plain,
        /// The location it is at now (a virtual one once shipped or scrapped).
        location: plain,
    }
}

record! {
    /// One balance: on hand of an item at a location, for one lot.
    "Balance" PyBalance(Balance) {
        /// The item.
        sku: plain,
        /// The location.
        location: plain,
        /// The lot, for lot-tracked items.
        lot: plain,
        /// On hand, at the item's precision.
        on_hand: qty,
    }
}

record! {
    /// A two-step transfer between dispatch and full receipt.
    "TransferRecord" PyTransferRecord(TransferRecord) {
        /// Its id.
        id: plain,
        /// The item.
        sku: plain,
        /// The lot.
        lot: plain,
        /// Where it was dispatched from (`from` in Rust and in `to_dict()`).
        from_[from]: plain,
        /// Where it is going.
        to: plain,
        /// How much was dispatched.
        dispatched: qty,
        /// How much has been received so far.
        received: qty,
        /// Serials dispatched and not yet received.
        serials_in_transit: plain,
    }
}

record! {
    /// What a command produced beyond its events.
    "Receipt" PyReceipt(Receipt) {
        /// Sequence of the first event written.
        first_seq: plain,
        /// Sequence of the last event written.
        last_seq: plain,
        /// The transfer id, for a dispatch.
        transfer_id: plain,
        /// The difference a count posted (counted − expected).
        difference: opt_qty,
        /// The reservation id, for a reservation.
        reservation_id: plain,
    }
}

record! {
    /// What `Stockbook.verify()` found.
    "IntegrityReport" PyIntegrityReport(IntegrityReport) {
        /// Events read from the log.
        events: plain,
        /// Index rows checked.
        index_rows: plain,
        /// Every disagreement found; empty when the file is sound.
        problems: plain,
    }

    /// True when nothing is wrong.
    fn is_sound(&self) -> bool {
        self.0.is_sound()
    }
}

record! {
    /// One double-entry movement: `qty` of `sku` (and `lot`) left `from_` and arrived at `to`.
    "Movement" PyMovement(Movement) {
        /// Why it moved: `receive`, `issue`, `ship`, `adjust`, `scrap`, `transfer`,
        /// `dispatch`, `transfer_receipt` or `count`.
        kind: name,
        /// The item.
        sku: plain,
        /// The lot, for lot-tracked items.
        lot: plain,
        /// Where it came from (`from` in Rust and in `to_dict()`).
        from_[from]: plain,
        /// Where it went.
        to: plain,
        /// How much, in base units at the item's precision; always positive.
        qty: qty,
        /// The serial numbers moved, for serial-tracked items (exactly `qty` of them).
        serials: plain,
        /// Cost per base unit, for receipts.
        unit_cost: opt_qty,
        /// Currency of `unit_cost` (ISO 4217).
        currency: plain,
        /// A reason code (adjustments, scrap).
        reason_code: plain,
        /// The two-step transfer this belongs to.
        transfer: plain,
    }
}

record! {
    /// What a cycle count found.
    "CountRecord" PyCountRecord(CountRecord) {
        /// The item.
        sku: plain,
        /// The location counted.
        location: plain,
        /// The lot counted.
        lot: plain,
        /// The quantity counted.
        counted: qty,
        /// The balance the engine held at the time of the count.
        expected: qty,
    }
}

// ---- reservations and orders --------------------------------------------------------------

record! {
    /// A hold on stock: `pending` → `committed` (stock issued) | `released` | `expired`.
    "Reservation" PyReservation(Reservation) {
        /// Its id.
        id: plain,
        /// The item.
        sku: plain,
        /// The location whose subtree the stock is held in.
        scope: plain,
        /// The lot held, if one is pinned.
        lot: plain,
        /// Hard reservations pin a bin (a location without children) and, for lot-tracked
        /// items, a lot; soft ones hold a quantity anywhere in the scope.
        hard: plain,
        /// The quantity still held (zero once closed).
        qty: qty,
        /// The quantity first reserved.
        requested: qty,
        /// The quantity consumed by movements.
        committed: qty,
        /// The order it serves.
        order: plain,
        /// The order line it serves.
        line: plain,
        /// When it was made (engine time).
        created_at: time,
        /// When it stops holding stock, if it has a time-to-live.
        expires_at: opt_time,
        /// Where it stands: `pending`, `committed`, `released` or `expired`.
        state: name,
    }
}

record! {
    /// Stock picked for a line and waiting at the order's staging location.
    "Pick" PyPick(Pick) {
        /// The bin it was picked from (where a cancellation returns it; `from` in Rust and
        /// in `to_dict()`).
        from_[from]: plain,
        /// The lot picked.
        lot: plain,
        /// How much.
        qty: qty,
        /// The serials picked.
        serials: plain,
        /// The reservation that holds it at the staging location.
        reservation: plain,
    }
}

record! {
    /// One line of an order, with its quantities at every stage (base units).
    "OrderLine" PyOrderLine(OrderLine) {
        /// Line number, from 1.
        line: plain,
        /// The item.
        sku: plain,
        /// Ordered.
        ordered: qty,
        /// Reserved in bins and not yet picked.
        allocated: qty,
        /// Picked and not yet shipped.
        picked: qty,
        /// Shipped.
        shipped: qty,
        /// Waiting for stock.
        backordered: qty,
        /// Open picks (at staging).
        picks: PyPick::wrap_list,
        /// Reservations of this line in bins (pending ones).
        reservations: plain,
    }
}

record! {
    /// A quantity of one order line inside a package.
    "PackageContent" PyPackageContent(PackageContent) {
        /// The order line.
        line: plain,
        /// How much of it.
        qty: qty,
    }
}

record! {
    /// One package of a packed order.
    "Package" PyPackage(Package) {
        /// Its id (label).
        id: plain,
        /// What it holds.
        contents: PyPackageContent::wrap_list,
    }
}

record! {
    /// A customer order: draft → confirmed → allocated → picking → packed → shipped →
    /// delivered (or backordered after a partial shipment), or cancelled.
    "Order" PyOrder(Order) {
        /// Its id.
        id: plain,
        /// The customer.
        customer: plain,
        /// Priority: lower numbers are served first.
        priority: plain,
        /// When it is due.
        due_at: opt_time,
        /// The site (or zone) it ships from: stock is allocated within it.
        ship_from: plain,
        /// Where picked stock waits for packing and shipping.
        staging: plain,
        /// Where shipped stock goes (a customer location).
        ship_to: plain,
        /// The lines.
        lines: PyOrderLine::wrap_list,
        /// The packages, once packed.
        packages: PyPackage::wrap_list,
        /// Where it stands: `draft`, `confirmed`, `allocated`, `picking`, `packed`,
        /// `shipped`, `backordered`, `delivered` or `cancelled`.
        state: name,
        /// When it was created (engine time).
        created_at: time,
        /// Sequence of its creation: the last tie-breaker of every ordering.
        created_seq: plain,
    }
}

record! {
    /// On hand, reserved and available of an item in a subtree, read at one instant.
    "StockLevel" PyStockLevel(StockLevel) {
        /// On hand.
        on_hand: qty,
        /// Reserved.
        reserved: qty,
        /// Available to promise: on hand less reserved.
        available: qty,
    }
}

record! {
    /// One backordered order line.
    "Backorder" PyBackorder(Backorder) {
        /// The order.
        order: plain,
        /// The line.
        line: plain,
        /// The item.
        sku: plain,
        /// How much waits for stock.
        qty: qty,
        /// The order's priority.
        priority: plain,
        /// The order's due date.
        due_at: opt_time,
    }
}

record! {
    /// One bin and lot of an allocation plan.
    "AllocationLine" PyAllocationLine(AllocationLine) {
        /// The bin.
        location: plain,
        /// The lot.
        lot: plain,
        /// How much to take there.
        qty: qty,
    }
}

record! {
    /// Where a demand would be served from (`Stockbook.plan_allocation`).
    "AllocationPlan" PyAllocationPlan(AllocationPlan) {
        /// The item.
        sku: plain,
        /// What was asked for.
        requested: qty,
        /// The split over bins and lots.
        lines: PyAllocationLine::wrap_list,
        /// What could not be served.
        short: qty,
    }
}

/// The payload of an `item_archived` event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ItemArchived {
    sku: String,
}

/// The payload of a `location_archived` event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LocationArchived {
    code: String,
}

/// The payload of a `transfer_received` event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TransferReceived {
    id: String,
    qty: Qty,
    serials: Vec<String>,
}

/// The payload of a `reservation_committed` or `reservation_released` event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReservationChange {
    id: String,
    qty: Qty,
}

/// The payload of a `reservation_expired` event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReservationExpired {
    id: String,
}

/// The payload of an `order_changed` event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrderChanged {
    step: String,
    order: Order,
}

/// The payload of a `purchase_order_changed` event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PurchaseOrderChanged {
    step: String,
    order: PurchaseOrder,
}

record! {
    /// An item was archived.
    "ItemArchived" PyItemArchived(ItemArchived) {
        /// The item.
        sku: plain,
    }
}

record! {
    /// A location was archived.
    "LocationArchived" PyLocationArchived(LocationArchived) {
        /// The location.
        code: plain,
    }
}

record! {
    /// Part or all of a two-step transfer arrived.
    "TransferReceived" PyTransferReceived(TransferReceived) {
        /// The transfer.
        id: plain,
        /// How much arrived.
        qty: qty,
        /// Which serials arrived.
        serials: plain,
    }
}

record! {
    /// Part or all of a reservation was consumed by a movement.
    "ReservationCommitted" PyReservationCommitted(ReservationChange) {
        /// The reservation.
        id: plain,
        /// How much.
        qty: qty,
    }
}

record! {
    /// Part or all of a reservation was given back.
    "ReservationReleased" PyReservationReleased(ReservationChange) {
        /// The reservation.
        id: plain,
        /// How much.
        qty: qty,
    }
}

record! {
    /// A reservation's time-to-live ran out (effective at its expiry time).
    "ReservationExpired" PyReservationExpired(ReservationExpired) {
        /// The reservation.
        id: plain,
    }
}

record! {
    /// An order changed: the step taken and the whole new record.
    "OrderChanged" PyOrderChanged(OrderChanged) {
        /// The step (`created`, `confirmed`, `allocated`, `picked`, …).
        step: plain,
        /// The order after the step.
        order: PyOrder::wrap,
    }
}

record! {
    /// A purchase order changed: the step taken and the whole new record.
    "PurchaseOrderChanged" PyPurchaseOrderChanged(PurchaseOrderChanged) {
        /// The step (`created`, `received`, `closed`, `cancelled`).
        step: plain,
        /// The purchase order after the step.
        order: PyPurchaseOrder::wrap,
    }
}

/// The payload of an event as its typed object.
fn payload<'py>(py: Python<'py>, event: &Event) -> PyResult<Bound<'py, PyAny>> {
    match event {
        Event::ItemDefined(i) | Event::ItemUpdated(i) => PyItem::wrap(py, i),
        Event::ItemArchived { sku } => PyItemArchived::wrap(py, &ItemArchived { sku: sku.clone() }),
        Event::LocationDefined(l) | Event::LocationUpdated(l) => PyLocation::wrap(py, l),
        Event::LocationArchived { code } => {
            PyLocationArchived::wrap(py, &LocationArchived { code: code.clone() })
        }
        Event::LotDefined(l) => PyLot::wrap(py, l),
        Event::Moved(m) => PyMovement::wrap(py, m),
        Event::TransferDispatched(t) => PyTransferRecord::wrap(py, t),
        Event::TransferReceived { id, qty, serials } => PyTransferReceived::wrap(
            py,
            &TransferReceived {
                id: id.clone(),
                qty: *qty,
                serials: serials.clone(),
            },
        ),
        Event::Counted(c) => PyCountRecord::wrap(py, c),
        Event::ReservationCreated(r) => PyReservation::wrap(py, r),
        Event::ReservationCommitted { id, qty } => PyReservationCommitted::wrap(
            py,
            &ReservationChange {
                id: id.clone(),
                qty: *qty,
            },
        ),
        Event::ReservationReleased { id, qty } => PyReservationReleased::wrap(
            py,
            &ReservationChange {
                id: id.clone(),
                qty: *qty,
            },
        ),
        Event::ReservationExpired { id } => {
            PyReservationExpired::wrap(py, &ReservationExpired { id: id.clone() })
        }
        Event::OrderChanged { step, order } => PyOrderChanged::wrap(
            py,
            &OrderChanged {
                step: step.clone(),
                order: (**order).clone(),
            },
        ),
        Event::PurchaseOrderChanged { step, order } => PyPurchaseOrderChanged::wrap(
            py,
            &PurchaseOrderChanged {
                step: step.clone(),
                order: (**order).clone(),
            },
        ),
        // An event type this binding has no class for yet: its serialised fields as a dict.
        #[allow(unreachable_patterns)]
        other => json_payload(py, other),
    }
}

/// An event's fields as a dict of plain values (quantities stay decimal text).
fn json_payload<'py>(py: Python<'py>, event: &Event) -> PyResult<Bound<'py, PyAny>> {
    let text = serde_json::to_string(event)
        .map_err(|e| pyo3::exceptions::PyValueError::new_err(e.to_string()))?;
    let value = py.import("json")?.call_method1("loads", (text,))?;
    match value.cast::<PyDict>() {
        Ok(outer) => match outer.values().iter().next() {
            Some(fields) => Ok(fields),
            None => Ok(value),
        },
        Err(_) => Ok(value),
    }
}

/// An event's type name, e.g. `"moved"`.
fn event_type<'py>(py: Python<'py>, event: &Event) -> PyResult<Bound<'py, PyAny>> {
    plain(py, &event.name())
}

record! {
    /// An immutable fact of the log with its envelope: its place in the log and who caused it.
    "Event" PyEvent(Envelope) {
        /// Global sequence number, from 1, without gaps.
        seq: plain,
        /// When the engine recorded it (engine clock).
        recorded_at: time,
        /// When it took effect in business time.
        effective_at: time,
        /// Who caused it.
        actor: plain,
        /// The idempotency key of the command that caused it.
        key: plain,
        /// A correlation id (order id, import batch, …).
        correlation: plain,
        /// Free-text reason.
        reason: plain,
        /// The event type: `item_defined`, `item_updated`, `item_archived`,
        /// `location_defined`, `location_updated`, `location_archived`, `lot_defined`,
        /// `moved`, `transfer_dispatched`, `transfer_received`, `counted`,
        /// `reservation_created`, `reservation_committed`, `reservation_released`,
        /// `reservation_expired`, `order_changed` or `purchase_order_changed`.
        r#type[event, "type"]: event_type,
        /// The fact itself: an `Item`, `Location`, `Lot`, `Movement`, `TransferRecord`,
        /// `CountRecord`, `ItemArchived`, `LocationArchived`, `TransferReceived`,
        /// `Reservation`, `ReservationCommitted`, `ReservationReleased`,
        /// `ReservationExpired`, `OrderChanged` or `PurchaseOrderChanged`; a plain dict for
        /// an event type this binding has no class for yet.
        data[event, "data"]: payload,
    }
}
