//! Orders: allocation across competing orders, shortage policies and the order lifecycle.
//!
//! Orders hold stock through the ledger's reservations, whose kernel keeps the promise
//! **never oversell**: a reservation holds stock at a scope (a site, zone or bin), and for
//! every location the stock reserved in its subtree never exceeds the stock on hand in
//! that subtree. Because locations form a tree, these per-subtree checks are enough for
//! every reservation to be served at once. They are made by the single writer against
//! the state every earlier command of the group left, so no interleaving of callers can
//! break them, and the reserved counters are derived from the reservation records
//! themselves (never patched separately). The reservation records and commands
//! ([`Reservation`], [`Reserve`], [`CommitReservation`]) are re-exported here.
//!
//! Orders move through draft → confirmed → allocated → picking → packed → shipped →
//! delivered (or backordered after a partial shipment), and can be cancelled at any step
//! with compensation: reservations released, picked stock returned.

mod book;
pub(crate) mod decide;
pub(crate) mod fulfil;
pub(crate) mod query;

use serde::{Deserialize, Serialize};

use crate::ledger::Ledger;
use crate::model::{Qty, Timestamp};
use crate::setters::setters;

pub(crate) use book::OrderBook;

pub use crate::ledger::allocation;
pub use crate::ledger::{CommitReservation, Reserve};
pub use crate::model::order::{Order, OrderLine, OrderState, Package, PackageContent, Pick};
pub use crate::model::reservation::{Reservation, ReservationState};
pub use allocation::{AllocationLine, AllocationPlan, ShortagePolicy, Strategy};
pub use query::{Backorder, ReservationFilter, StockLevel};

/// What the order rules read: the ledger's parts and the order book. Copied by value; it
/// reads as the ledger it derefs to.
#[derive(Debug, Clone, Copy)]
pub(crate) struct OrdersView<'a> {
    /// The stock and the holds.
    pub(crate) ledger: Ledger<'a>,
    /// The orders.
    pub(crate) orders: &'a OrderBook,
}

impl<'a> std::ops::Deref for OrdersView<'a> {
    type Target = Ledger<'a>;
    fn deref(&self) -> &Ledger<'a> {
        &self.ledger
    }
}

/// A line of a new order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct NewOrderLine {
    /// The item.
    pub sku: String,
    /// How much, in `unit`.
    pub qty: Qty,
    /// The unit of `qty`.
    #[serde(default)]
    pub unit: Option<String>,
}

impl NewOrderLine {
    /// A new `NewOrderLine` of `sku`, `qty`; every other field takes its default.
    #[must_use]
    pub fn new(sku: impl Into<String>, qty: impl Into<Qty>) -> NewOrderLine {
        NewOrderLine {
            sku: sku.into(),
            qty: qty.into(),
            unit: None,
        }
    }
}

setters! {
    NewOrderLine {
        /// The unit of `qty`.
        text unit,
    }
}

/// Create an order (as a draft).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct CreateOrder {
    /// Its id.
    pub order_id: String,
    /// The customer.
    #[serde(default)]
    pub customer: Option<String>,
    /// Priority: lower numbers are served first (default 100).
    #[serde(default = "default_priority")]
    pub priority: u32,
    /// When it is due.
    #[serde(default)]
    #[schemars(with = "Option<crate::model::InstantSchema>")]
    pub due_at: Option<Timestamp>,
    /// The site or zone it ships from.
    pub ship_from: String,
    /// Where picked stock waits (default: `ship_from`).
    #[serde(default)]
    pub staging: Option<String>,
    /// Where shipped stock goes (default `@customer`).
    #[serde(default)]
    pub ship_to: Option<String>,
    /// The lines.
    pub lines: Vec<NewOrderLine>,
}

impl CreateOrder {
    /// A new `CreateOrder` of `order_id`, `ship_from`, `lines`; every other field takes its default.
    #[must_use]
    pub fn new(
        order_id: impl Into<String>,
        ship_from: impl Into<String>,
        lines: Vec<NewOrderLine>,
    ) -> CreateOrder {
        CreateOrder {
            order_id: order_id.into(),
            customer: None,
            priority: default_priority(),
            due_at: None,
            ship_from: ship_from.into(),
            staging: None,
            ship_to: None,
            lines,
        }
    }
}

setters! {
    CreateOrder {
        /// The customer.
        text customer,
        /// Priority: lower numbers are served first (default 100).
        set(u32) priority,
        /// When it is due.
        opt(Timestamp) due_at,
        /// Where picked stock waits (default: `ship_from`).
        text staging,
        /// Where shipped stock goes (default `@customer`).
        text ship_to,
    }
}

fn default_priority() -> u32 {
    100
}

/// Allocate stock to an order's open lines (what is not there is backordered).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct AllocateOrder {
    /// The order.
    pub order_id: String,
    /// Which stock to take first.
    #[serde(default)]
    pub strategy: Strategy,
}

impl AllocateOrder {
    /// A new `AllocateOrder` of `order_id`; every other field takes its default.
    #[must_use]
    pub fn new(order_id: impl Into<String>) -> AllocateOrder {
        AllocateOrder {
            order_id: order_id.into(),
            strategy: Strategy::default(),
        }
    }
}

setters! {
    AllocateOrder {
        /// Which stock to take first.
        set(Strategy) strategy,
    }
}

/// Allocate short stock across competing orders.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct AllocateOrders {
    /// The orders (empty: every confirmed or backordered order).
    #[serde(default)]
    pub order_ids: Vec<String>,
    /// Who gets short stock.
    #[serde(default)]
    pub policy: ShortagePolicy,
    /// Which stock to take first.
    #[serde(default)]
    pub strategy: Strategy,
}

impl AllocateOrders {
    /// A new `AllocateOrders` with every field at its default.
    #[must_use]
    pub fn new() -> AllocateOrders {
        AllocateOrders {
            order_ids: Vec::new(),
            policy: ShortagePolicy::default(),
            strategy: Strategy::default(),
        }
    }
}

setters! {
    AllocateOrders {
        /// The orders (empty: every confirmed or backordered order).
        texts order_ids,
        /// Who gets short stock.
        set(ShortagePolicy) policy,
        /// Which stock to take first.
        set(Strategy) strategy,
    }
}

/// Fill backordered lines from stock that has arrived.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct FillBackorders {
    /// Only this item (default: every item with backorders).
    #[serde(default)]
    pub sku: Option<String>,
    /// Who gets short stock.
    #[serde(default)]
    pub policy: ShortagePolicy,
    /// Which stock to take first.
    #[serde(default)]
    pub strategy: Strategy,
}

impl FillBackorders {
    /// A new `FillBackorders` with every field at its default.
    #[must_use]
    pub fn new() -> FillBackorders {
        FillBackorders {
            sku: None,
            policy: ShortagePolicy::default(),
            strategy: Strategy::default(),
        }
    }
}

setters! {
    FillBackorders {
        /// Only this item (default: every item with backorders).
        text sku,
        /// Who gets short stock.
        set(ShortagePolicy) policy,
        /// Which stock to take first.
        set(Strategy) strategy,
    }
}

/// Pick stock of one line from one bin to the order's staging location.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct PickOrder {
    /// The order.
    pub order_id: String,
    /// The line.
    pub line: u32,
    /// The bin picked from.
    pub location: String,
    /// The lot picked.
    #[serde(default)]
    pub lot: Option<String>,
    /// How much was picked.
    pub qty: Qty,
    /// The serials picked.
    #[serde(default)]
    pub serials: Vec<String>,
    /// The bin held less than allocated: release the rest of its allocation there and
    /// allocate it elsewhere, or backorder it.
    #[serde(default)]
    pub short: bool,
}

impl PickOrder {
    /// A new `PickOrder` of `order_id`, `line`, `location`, `qty`; every other field takes its default.
    #[must_use]
    pub fn new(
        order_id: impl Into<String>,
        line: u32,
        location: impl Into<String>,
        qty: impl Into<Qty>,
    ) -> PickOrder {
        PickOrder {
            order_id: order_id.into(),
            line,
            location: location.into(),
            lot: None,
            qty: qty.into(),
            serials: Vec::new(),
            short: false,
        }
    }
}

setters! {
    PickOrder {
        /// The lot picked.
        text lot,
        /// The serials picked.
        texts serials,
        /// The bin held less than allocated: release the rest of its allocation there and
        /// allocate it elsewhere, or backorder it.
        set(bool) short,
    }
}

/// Pack the picked stock into packages.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct PackOrder {
    /// The order.
    pub order_id: String,
    /// The packages; together they must hold exactly what was picked.
    pub packages: Vec<Package>,
}

impl PackOrder {
    /// A new `PackOrder` of `order_id`, `packages`; every other field takes its default.
    #[must_use]
    pub fn new(order_id: impl Into<String>, packages: Vec<Package>) -> PackOrder {
        PackOrder {
            order_id: order_id.into(),
            packages,
        }
    }
}

/// A step on an order that needs only its id (confirm, ship, deliver).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct OrderStep {
    /// The order.
    pub order_id: String,
}

impl OrderStep {
    /// A new `OrderStep` of `order_id`; every other field takes its default.
    #[must_use]
    pub fn new(order_id: impl Into<String>) -> OrderStep {
        OrderStep {
            order_id: order_id.into(),
        }
    }
}

/// Cancel an order, releasing what it holds and returning picked stock.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct CancelOrder {
    /// The order.
    pub order_id: String,
    /// Where picked stock goes (default: back to the bins it was picked from).
    #[serde(default)]
    pub return_to: Option<String>,
}

impl CancelOrder {
    /// A new `CancelOrder` of `order_id`; every other field takes its default.
    #[must_use]
    pub fn new(order_id: impl Into<String>) -> CancelOrder {
        CancelOrder {
            order_id: order_id.into(),
            return_to: None,
        }
    }
}

setters! {
    CancelOrder {
        /// Where picked stock goes (default: back to the bins it was picked from).
        text return_to,
    }
}
