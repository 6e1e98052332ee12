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
pub struct NewOrderLine {
    /// The item.
    pub sku: String,
    /// How much, in `unit`.
    pub qty: Qty,
    /// The unit of `qty`.
    #[serde(default)]
    pub unit: Option<String>,
}

/// Create an order (as a draft).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
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

fn default_priority() -> u32 {
    100
}

/// Allocate stock to an order's open lines (what is not there is backordered).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AllocateOrder {
    /// The order.
    pub order_id: String,
    /// Which stock to take first.
    #[serde(default)]
    pub strategy: Strategy,
}

/// Allocate short stock across competing orders.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
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

/// Fill backordered lines from stock that has arrived.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
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

/// Pick stock of one line from one bin to the order's staging location.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
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

/// Pack the picked stock into packages.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PackOrder {
    /// The order.
    pub order_id: String,
    /// The packages; together they must hold exactly what was picked.
    pub packages: Vec<Package>,
}

/// A step on an order that needs only its id (confirm, ship, deliver).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct OrderStep {
    /// The order.
    pub order_id: String,
}

/// Cancel an order, releasing what it holds and returning picked stock.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CancelOrder {
    /// The order.
    pub order_id: String,
    /// Where picked stock goes (default: back to the bins it was picked from).
    #[serde(default)]
    pub return_to: Option<String>,
}
