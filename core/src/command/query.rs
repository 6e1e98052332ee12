//! Queries: one definition of every read of the book, and the typed answer to each.
//!
//! A [`Query`] has the serde shape of a [`super::Command`] (`{"op": "on_hand", "args":
//! {…}}`), and its [`Answer`] names the same `op` with the value the read returns (`{"op":
//! "on_hand", "value": "8.25"}`). `Stockbook::query` answers one by calling the handle's
//! read method of the same name, so a binding that speaks queries and one that calls the
//! methods get the same answers.

use serde::{Deserialize, Serialize};

use crate::error::Error;
use crate::event::{Envelope, TransferRecord};
use crate::ledger::allocation::AllocationPlan;
use crate::ledger::{AsOf, Balance, BalanceFilter, IntegrityReport, PAGE_LEN_MAX};
use crate::model::order::{Order, OrderState};
use crate::model::purchase_order::PurchaseOrder;
use crate::model::reservation::Reservation;
use crate::model::strategy::Strategy;
use crate::model::{Item, Location, Lot, Qty, Serial, Timestamp};
use crate::orders::{Backorder, ReservationFilter, StockLevel};
use crate::planning::accuracy::{AccuracyOptions, ForecastAccuracy};
use crate::planning::demand::{Bucket, DemandHistory};
use crate::planning::plan::{PlanOptions, ReplenishmentPlan};
use crate::planning::supply::{LeadTimeStats, PurchaseOrderFilter};
use crate::planning::whatif::{WhatIf, WhatIfOptions};

/// Every read of the book: one definition, answered by `Stockbook::query` with the
/// [`Answer`] of the same `op`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(
    tag = "op",
    content = "args",
    rename_all = "snake_case",
    deny_unknown_fields
)]
#[allow(
    clippy::large_enum_variant,
    reason = "a query is built once and lent to the reader"
)]
pub enum Query {
    /// One item.
    Item {
        /// The item.
        sku: String,
    },
    /// Every item, archived ones included, by SKU.
    Items {},
    /// One location.
    Location {
        /// The location.
        code: String,
    },
    /// Every location (built-in virtual ones included), by code.
    Locations {},
    /// The codes of the locations directly below a location.
    Children {
        /// The location.
        code: String,
    },
    /// One lot.
    Lot {
        /// The item.
        sku: String,
        /// The lot code.
        lot: String,
    },
    /// The lots of an item.
    Lots {
        /// The item.
        sku: String,
    },
    /// Where a serial-numbered unit is.
    Serial {
        /// The item.
        sku: String,
        /// The serial number.
        serial: String,
    },
    /// The serials of an item at a location (exactly there), sorted.
    SerialsAt {
        /// The item.
        sku: String,
        /// The location.
        location: String,
    },
    /// A two-step transfer.
    Transfer {
        /// The transfer id.
        id: String,
    },
    /// On hand of an item at a location and every location below it, all lots.
    OnHand {
        /// The item.
        sku: String,
        /// The location.
        location: String,
    },
    /// On hand of an item at a location and below, for one lot (absent: all lots).
    OnHandLot {
        /// The item.
        sku: String,
        /// The location.
        location: String,
        /// The lot (absent: all lots).
        #[serde(default)]
        lot: Option<String>,
    },
    /// On hand of an item across every physical location.
    ItemTotal {
        /// The item.
        sku: String,
    },
    /// Balances matching a filter, by (sku, location, lot).
    Balances(BalanceFilter),
    /// On hand of an item at a location (and below, all lots) as it stood at a point in
    /// the past. Virtual locations are not indexed: asking for one is refused.
    OnHandAt {
        /// The item.
        sku: String,
        /// The location.
        location: String,
        /// The point in the past.
        as_of: AsOf,
    },
    /// Events of the log in sequence order.
    Events {
        /// The first sequence number (default 1).
        #[serde(default = "first_seq")]
        from_seq: u64,
        /// The most events to answer (default and upper bound 10,000).
        #[serde(default = "page_len")]
        limit: u32,
    },
    /// Events of the log in sequence order as CloudEvents 1.0 JSON records (type
    /// `stockbook.<kind>`, id the sequence, time the commit time, data the event's fields).
    CloudEvents {
        /// The first sequence number (default 1).
        #[serde(default = "first_seq")]
        from_seq: u64,
        /// The most events to answer (default and upper bound 10,000).
        #[serde(default = "page_len")]
        limit: u32,
        /// The records' source after `stockbook://` (default: the book's file name
        /// without its extension, `memory` for a book in memory).
        #[serde(default)]
        source: Option<String>,
    },
    /// Events concerning an item, in sequence order.
    History {
        /// The item.
        sku: String,
        /// The first sequence number (default 1).
        #[serde(default = "first_seq")]
        from_seq: u64,
        /// The most events to answer (default and upper bound 10,000).
        #[serde(default = "page_len")]
        limit: u32,
    },
    /// One reservation; pending past its time-to-live shows as expired.
    Reservation {
        /// The reservation id.
        id: String,
    },
    /// Reservations matching a filter, by id.
    Reservations(ReservationFilter),
    /// On hand, reserved and available of an item in a location's subtree, from one
    /// consistent state.
    StockLevel {
        /// The item.
        sku: String,
        /// The location.
        location: String,
    },
    /// Stock of an item reserved in a location's subtree now.
    Reserved {
        /// The item.
        sku: String,
        /// The location.
        location: String,
    },
    /// Available to promise: on hand less reserved, in a location's subtree.
    Available {
        /// The item.
        sku: String,
        /// The location.
        location: String,
    },
    /// Stock of an item reserved in a location's subtree as it stood at a point in the
    /// past.
    ReservedAt {
        /// The item.
        sku: String,
        /// The location.
        location: String,
        /// The point in the past.
        as_of: AsOf,
    },
    /// Available to promise as it stood at a point in the past.
    AvailableAt {
        /// The item.
        sku: String,
        /// The location.
        location: String,
        /// The point in the past.
        as_of: AsOf,
    },
    /// One order with its line-level quantities.
    Order {
        /// The order id.
        id: String,
    },
    /// Orders (in one state, or all), by id.
    Orders {
        /// Only orders in this state (absent: all).
        #[serde(default)]
        state: Option<OrderState>,
    },
    /// Every backordered line of an open order, in the order the shortage policy serves
    /// them.
    Backorders {
        /// Only lines of this item (absent: all).
        #[serde(default)]
        sku: Option<String>,
    },
    /// Where a quantity of an item would be taken from within a scope, without reserving
    /// anything.
    PlanAllocation {
        /// The item.
        sku: String,
        /// How much, in base units.
        qty: Qty,
        /// The location whose subtree is searched.
        scope: String,
        /// Which stock to take first (default: FIFO).
        #[serde(default)]
        strategy: Strategy,
    },
    /// The demand of an item at a location (and below), bucket by bucket over every
    /// bucket that meets `[from, to)`.
    DemandHistory {
        /// The item.
        sku: String,
        /// The location.
        location: String,
        /// The bucket length.
        bucket: Bucket,
        /// The start of the range, ms since the epoch.
        #[schemars(with = "crate::model::InstantSchema")]
        from: Timestamp,
        /// The end of the range (excluded), ms since the epoch.
        #[schemars(with = "crate::model::InstantSchema")]
        to: Timestamp,
        /// Ordered demand (backorders included) replaces the shipments of orders.
        #[serde(default)]
        include_backorders: bool,
    },
    /// A replenishment plan for every item × site.
    ReplenishmentPlan(PlanOptions),
    /// One purchase order with its lines and receipts.
    PurchaseOrder {
        /// The purchase order id.
        id: String,
    },
    /// Purchase orders matching a filter, by id.
    PurchaseOrders(PurchaseOrderFilter),
    /// Stock of an item on order for delivery into a location or anywhere below it.
    OnOrder {
        /// The item.
        sku: String,
        /// The location.
        location: String,
    },
    /// Lead-time statistics of a supplier, over all its receipts or those of one item.
    LeadTimeStats {
        /// The supplier's code.
        supplier: String,
        /// Only receipts of this item (absent: all).
        #[serde(default)]
        sku: Option<String>,
    },
    /// Recorded forecasts compared with the demand that came: MAE, MAPE, MASE and bias per
    /// item × site.
    ForecastAccuracy(AccuracyOptions),
    /// A period of the log replayed under another replenishment policy, beside what
    /// happened.
    WhatIf(WhatIfOptions),
    /// Every projection rebuilt from the log alone and compared with the maintained one.
    Verify {},
    /// The sequence number of the last event written (0 for an empty book).
    LastSeq {},
    /// The engine clock's now, ms since the epoch.
    Now {},
}

fn first_seq() -> u64 {
    1
}

fn page_len() -> u32 {
    PAGE_LEN_MAX as u32
}

/// The answer to a [`Query`]: the same `op`, with the value its read returns.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(tag = "op", content = "value", rename_all = "snake_case")]
#[allow(
    clippy::large_enum_variant,
    reason = "answers are moved once, to the caller"
)]
pub enum Answer {
    /// The item.
    Item(Item),
    /// Every item, by SKU.
    Items(Vec<Item>),
    /// The location.
    Location(Location),
    /// Every location, by code.
    Locations(Vec<Location>),
    /// The codes of the child locations.
    Children(Vec<String>),
    /// The lot.
    Lot(Lot),
    /// The lots of the item.
    Lots(Vec<Lot>),
    /// Where the unit is.
    Serial(Serial),
    /// The serial numbers, sorted.
    SerialsAt(Vec<String>),
    /// The transfer.
    Transfer(TransferRecord),
    /// On hand.
    OnHand(Qty),
    /// On hand of the lot.
    OnHandLot(Qty),
    /// On hand across every physical location.
    ItemTotal(Qty),
    /// The balances.
    Balances(Vec<Balance>),
    /// On hand then.
    OnHandAt(Qty),
    /// The events.
    Events(Vec<Envelope>),
    /// The events as CloudEvents records.
    CloudEvents(Vec<crate::integration::CloudEvent>),
    /// The item's events.
    History(Vec<Envelope>),
    /// The reservation.
    Reservation(Reservation),
    /// The reservations.
    Reservations(Vec<Reservation>),
    /// On hand, reserved and available.
    StockLevel(StockLevel),
    /// Reserved.
    Reserved(Qty),
    /// Available.
    Available(Qty),
    /// Reserved then.
    ReservedAt(Qty),
    /// Available then.
    AvailableAt(Qty),
    /// The order.
    Order(Order),
    /// The orders.
    Orders(Vec<Order>),
    /// The backordered lines.
    Backorders(Vec<Backorder>),
    /// The allocation plan.
    PlanAllocation(AllocationPlan),
    /// The demand history.
    DemandHistory(DemandHistory),
    /// The replenishment plan.
    ReplenishmentPlan(ReplenishmentPlan),
    /// The purchase order.
    PurchaseOrder(PurchaseOrder),
    /// The purchase orders.
    PurchaseOrders(Vec<PurchaseOrder>),
    /// Stock on order.
    OnOrder(Qty),
    /// The lead-time statistics.
    LeadTimeStats(LeadTimeStats),
    /// The forecast accuracy.
    ForecastAccuracy(ForecastAccuracy),
    /// The replay.
    WhatIf(WhatIf),
    /// The integrity report.
    Verify(IntegrityReport),
    /// The last sequence number.
    LastSeq(u64),
    /// Now, ms since the epoch.
    #[schemars(with = "crate::model::InstantSchema")]
    Now(Timestamp),
}

impl Query {
    /// Whether answering it reads the store (history, past stock, the log, a plan over
    /// demand history, the integrity check): it may take long and may wait for the disk.
    /// Every other query is a read of the in-memory state of a few microseconds, which a
    /// binding answers without leaving its thread (releasing Python's GIL around it costs
    /// more than the read).
    pub fn reads_store(&self) -> bool {
        matches!(
            self,
            Query::OnHandAt { .. }
                | Query::ReservedAt { .. }
                | Query::AvailableAt { .. }
                | Query::Events { .. }
                | Query::CloudEvents { .. }
                | Query::History { .. }
                | Query::DemandHistory { .. }
                | Query::ReplenishmentPlan(..)
                | Query::ForecastAccuracy(..)
                | Query::WhatIf(..)
                | Query::Verify {}
        )
    }

    /// Reads a query from its JSON text (`{"op": …, "args": {…}}`). Anything the
    /// definition does not take — an unknown field or settings key, a wrong type, an
    /// integer out of range — is refused with `invalid_argument` naming the field's path
    /// (`args.as_of.seq`).
    pub fn from_json(text: &str) -> Result<Query, Error> {
        super::input::from_json(text)
    }

    /// As [`Query::from_json`], from a parsed JSON value.
    pub fn from_value(value: serde_json::Value) -> Result<Query, Error> {
        super::input::from_value(value)
    }
}
