//! Events: the immutable facts of the log, and the envelope that orders and attributes
//! them.
//!
//! Events are never rewritten. A new shape is a new variant; the codec in
//! `store` carries an explicit version so that old bytes can be upcast on read.

use serde::{Deserialize, Serialize};

use crate::model::order::Order;
use crate::model::purchase_order::PurchaseOrder;
use crate::model::reservation::Reservation;
use crate::model::{Item, Location, Lot, Qty, Timestamp};

/// Why stock moved.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum MovementKind {
    /// Supplier → bin.
    Receive,
    /// Bin → consumer (internal use).
    Issue,
    /// Bin → customer.
    Ship,
    /// Adjustment ↔ bin, with a reason code.
    Adjust,
    /// Bin → scrap.
    Scrap,
    /// Bin → bin in one step.
    Transfer,
    /// Bin → in-transit: the first step of a two-step transfer.
    Dispatch,
    /// In-transit → bin: the second step of a two-step transfer.
    TransferReceipt,
    /// Adjustment ↔ bin: the difference a cycle count found.
    Count,
    /// Bin → staging: picked for an order.
    Pick,
    /// Staging → bin: picked stock of a cancelled order going back.
    Return,
}

/// One double-entry movement: `qty` of `sku` (and `lot`) left `from` and arrived at `to`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Movement {
    /// Why it moved.
    pub kind: MovementKind,
    /// The item.
    pub sku: String,
    /// The lot, for lot-tracked items.
    pub lot: Option<String>,
    /// Where it came from.
    pub from: String,
    /// Where it went.
    pub to: String,
    /// How much, in base units at the item's precision; always positive.
    pub qty: Qty,
    /// The serial numbers moved, for serial-tracked items (exactly `qty` of them).
    pub serials: Vec<String>,
    /// Cost per base unit, for receipts (valuation replays it).
    pub unit_cost: Option<Qty>,
    /// Currency of `unit_cost` (ISO 4217).
    pub currency: Option<String>,
    /// A reason code (adjustments, scrap).
    pub reason_code: Option<String>,
    /// The two-step transfer this belongs to.
    pub transfer: Option<String>,
}

/// A two-step transfer between dispatch and full receipt.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct TransferRecord {
    /// Its id.
    pub id: String,
    /// The item.
    pub sku: String,
    /// The lot.
    pub lot: Option<String>,
    /// Where it was dispatched from.
    pub from: String,
    /// Where it is going.
    pub to: String,
    /// How much was dispatched.
    pub dispatched: Qty,
    /// How much has been received so far.
    pub received: Qty,
    /// Serials dispatched and not yet received.
    pub serials_in_transit: Vec<String>,
}

/// What a cycle count found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct CountRecord {
    /// The item.
    pub sku: String,
    /// The location counted.
    pub location: String,
    /// The lot counted.
    pub lot: Option<String>,
    /// The quantity counted.
    pub counted: Qty,
    /// The balance the engine held at the time of the count.
    pub expected: Qty,
}

/// A forecast of an item's demand at a site, as it was made at a time: what forecast
/// accuracy is later measured against (`planning::accuracy`).
///
/// Every value is finite (the command that records it refuses anything else), which is
/// why the record can be `Eq` although it holds floats.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct ForecastRecord {
    /// The item.
    pub sku: String,
    /// The site whose subtree's demand was forecast.
    pub site: String,
    /// When the forecast was made (ms since the epoch, business time).
    #[schemars(with = "crate::model::InstantSchema")]
    pub made_at: Timestamp,
    /// The period length.
    pub bucket: crate::model::Bucket,
    /// The first instant of the first period forecast (the start of a bucket).
    #[schemars(with = "crate::model::InstantSchema")]
    pub start: Timestamp,
    /// The point forecast of each period, from `start` on.
    pub points: Vec<f64>,
    /// The lower bound of each period's prediction interval, if given.
    pub lower: Option<Vec<f64>>,
    /// The upper bound of each period's prediction interval, if given.
    pub upper: Option<Vec<f64>>,
    /// The interval's level in percent (`95`), if intervals are given.
    pub level: Option<f64>,
    /// The forecasting method's name.
    pub method: String,
}

// Every float of a recorded forecast is finite (refused otherwise before it becomes an
// event), so equality is reflexive.
impl Eq for ForecastRecord {}

/// An immutable fact.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Event {
    /// A new item.
    ItemDefined(Item),
    /// An item's master data changed (the whole new record).
    ItemUpdated(Item),
    /// An item was archived.
    ItemArchived {
        /// The item.
        sku: String,
    },
    /// A new location.
    LocationDefined(Location),
    /// A location's master data changed (the whole new record).
    LocationUpdated(Location),
    /// A location was archived.
    LocationArchived {
        /// The location.
        code: String,
    },
    /// A new lot, or a lot's dates changed (the whole new record).
    LotDefined(Lot),
    /// Stock moved.
    Moved(Movement),
    /// A two-step transfer was dispatched.
    TransferDispatched(TransferRecord),
    /// Part or all of a two-step transfer arrived.
    TransferReceived {
        /// The transfer.
        id: String,
        /// How much arrived.
        qty: Qty,
        /// Which serials arrived.
        serials: Vec<String>,
    },
    /// A cycle count was recorded (its difference follows as a `Moved` of kind `count`).
    Counted(CountRecord),
    /// A reservation was made.
    ReservationCreated(Reservation),
    /// Part or all of a reservation was consumed by a movement.
    ReservationCommitted {
        /// The reservation.
        id: String,
        /// How much.
        qty: Qty,
    },
    /// Part or all of a reservation was given back.
    ReservationReleased {
        /// The reservation.
        id: String,
        /// How much.
        qty: Qty,
    },
    /// A reservation's time-to-live ran out (effective at its expiry time).
    ReservationExpired {
        /// The reservation.
        id: String,
    },
    /// An order changed: the step taken and the whole new record.
    OrderChanged {
        /// The step (`created`, `confirmed`, `allocated`, `picked`, …).
        step: String,
        /// The order after the step.
        order: Box<Order>,
    },
    /// A purchase order changed: the step taken and the whole new record.
    PurchaseOrderChanged {
        /// The step (`created`, `received`, `closed`, `cancelled`).
        step: String,
        /// The purchase order after the step.
        order: Box<PurchaseOrder>,
    },
    /// A forecast was recorded (it changes no stock: it is kept for forecast accuracy).
    ForecastRecorded(ForecastRecord),
}

impl Event {
    /// The snake_case name of the event type.
    pub fn name(&self) -> &'static str {
        match self {
            Event::ItemDefined(_) => "item_defined",
            Event::ItemUpdated(_) => "item_updated",
            Event::ItemArchived { .. } => "item_archived",
            Event::LocationDefined(_) => "location_defined",
            Event::LocationUpdated(_) => "location_updated",
            Event::LocationArchived { .. } => "location_archived",
            Event::LotDefined(_) => "lot_defined",
            Event::Moved(_) => "moved",
            Event::TransferDispatched(_) => "transfer_dispatched",
            Event::TransferReceived { .. } => "transfer_received",
            Event::Counted(_) => "counted",
            Event::ReservationCreated(_) => "reservation_created",
            Event::ReservationCommitted { .. } => "reservation_committed",
            Event::ReservationReleased { .. } => "reservation_released",
            Event::ReservationExpired { .. } => "reservation_expired",
            Event::OrderChanged { .. } => "order_changed",
            Event::PurchaseOrderChanged { .. } => "purchase_order_changed",
            Event::ForecastRecorded(_) => "forecast_recorded",
        }
    }

    /// The item this event concerns, if it concerns one.
    pub fn sku(&self) -> Option<&str> {
        match self {
            Event::ItemDefined(i) | Event::ItemUpdated(i) => Some(&i.sku),
            Event::ItemArchived { sku } => Some(sku),
            Event::LotDefined(l) => Some(&l.sku),
            Event::Moved(m) => Some(&m.sku),
            Event::TransferDispatched(t) => Some(&t.sku),
            Event::Counted(c) => Some(&c.sku),
            Event::ReservationCreated(r) => Some(&r.sku),
            Event::ForecastRecorded(f) => Some(&f.sku),
            Event::ReservationCommitted { .. }
            | Event::ReservationReleased { .. }
            | Event::ReservationExpired { .. }
            | Event::OrderChanged { .. }
            | Event::PurchaseOrderChanged { .. }
            | Event::LocationDefined(_)
            | Event::LocationUpdated(_)
            | Event::LocationArchived { .. }
            | Event::TransferReceived { .. } => None,
        }
    }
}

/// An event with its place in the log and who caused it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Envelope {
    /// Global sequence number, from 1, without gaps.
    pub seq: u64,
    /// When the engine recorded it (engine clock).
    #[schemars(with = "crate::model::InstantSchema")]
    pub recorded_at: Timestamp,
    /// When it took effect in business time (a late-entered receipt dated last Tuesday).
    #[schemars(with = "crate::model::InstantSchema")]
    pub effective_at: Timestamp,
    /// Who caused it.
    pub actor: Option<String>,
    /// The idempotency key of the command that caused it.
    pub key: Option<String>,
    /// A correlation id (order id, import batch, …).
    pub correlation: Option<String>,
    /// Free-text reason.
    pub reason: Option<String>,
    /// The fact.
    pub event: Event,
}
