//! Customer orders: the record an order's steps rewrite, with its lines, picks and
//! packages. Plain data; the order saga's rules live with the orders context.

use serde::{Deserialize, Serialize};

use super::{Qty, Timestamp};

/// Where an order stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum OrderState {
    /// Being written; holds nothing.
    Draft,
    /// Accepted; waiting for allocation.
    Confirmed,
    /// Stock reserved in bins (lines may carry backorders).
    Allocated,
    /// Picking has started.
    Picking,
    /// Picked stock is packed.
    Packed,
    /// Everything ordered has shipped.
    Shipped,
    /// Part has shipped; the rest waits for stock.
    Backordered,
    /// The customer has it.
    Delivered,
    /// Cancelled; everything it held was given back.
    Cancelled,
}

impl OrderState {
    /// The snake_case name.
    pub fn as_str(self) -> &'static str {
        match self {
            OrderState::Draft => "draft",
            OrderState::Confirmed => "confirmed",
            OrderState::Allocated => "allocated",
            OrderState::Picking => "picking",
            OrderState::Packed => "packed",
            OrderState::Shipped => "shipped",
            OrderState::Backordered => "backordered",
            OrderState::Delivered => "delivered",
            OrderState::Cancelled => "cancelled",
        }
    }
}

/// Stock picked for a line and waiting at the order's staging location.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Pick {
    /// The bin it was picked from (where a cancellation returns it).
    pub from: String,
    /// The lot picked.
    pub lot: Option<String>,
    /// How much.
    pub qty: Qty,
    /// The serials picked.
    pub serials: Vec<String>,
    /// The reservation that holds it at the staging location.
    pub reservation: String,
}

/// One line of an order, with its quantities at every stage (base units).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct OrderLine {
    /// Line number, from 1.
    pub line: u32,
    /// The item.
    pub sku: String,
    /// Ordered.
    pub ordered: Qty,
    /// Reserved in bins and not yet picked.
    pub allocated: Qty,
    /// Picked and not yet shipped.
    pub picked: Qty,
    /// Shipped.
    pub shipped: Qty,
    /// Waiting for stock.
    pub backordered: Qty,
    /// Open picks (at staging).
    pub picks: Vec<Pick>,
    /// Reservations of this line in bins (pending ones).
    pub reservations: Vec<String>,
}

/// One package of a packed order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct Package {
    /// Its id (label).
    pub id: String,
    /// What it holds.
    pub contents: Vec<PackageContent>,
}

impl Package {
    /// A new `Package` of `id`, `contents`; every other field takes its default.
    #[must_use]
    pub fn new(id: impl Into<String>, contents: Vec<PackageContent>) -> Package {
        Package {
            id: id.into(),
            contents,
        }
    }
}

/// A quantity of one order line inside a package.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct PackageContent {
    /// The order line.
    pub line: u32,
    /// How much of it.
    pub qty: Qty,
}

impl PackageContent {
    /// A new `PackageContent` of `line`, `qty`; every other field takes its default.
    #[must_use]
    pub fn new(line: u32, qty: impl Into<Qty>) -> PackageContent {
        PackageContent {
            line,
            qty: qty.into(),
        }
    }
}

/// A customer order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Order {
    /// Its id.
    pub id: String,
    /// The customer.
    pub customer: Option<String>,
    /// Priority: lower numbers are served first.
    pub priority: u32,
    /// When it is due.
    #[schemars(with = "Option<crate::model::InstantSchema>")]
    pub due_at: Option<Timestamp>,
    /// The site (or zone) it ships from: stock is allocated within it.
    pub ship_from: String,
    /// Where picked stock waits for packing and shipping.
    pub staging: String,
    /// Where shipped stock goes (a customer location).
    pub ship_to: String,
    /// The lines.
    pub lines: Vec<OrderLine>,
    /// The packages, once packed.
    pub packages: Vec<Package>,
    /// Where it stands.
    pub state: OrderState,
    /// When it was created (engine time).
    #[schemars(with = "crate::model::InstantSchema")]
    pub created_at: Timestamp,
    /// Sequence of its creation: the last tie-breaker of every ordering.
    pub created_seq: u64,
}

impl Order {
    /// The order in which short stock serves orders: priority (lower first), due date
    /// (earlier first, none last), then age.
    pub fn serve_order(&self, other: &Order) -> std::cmp::Ordering {
        self.priority
            .cmp(&other.priority)
            .then(
                self.due_at
                    .unwrap_or(i64::MAX)
                    .cmp(&other.due_at.unwrap_or(i64::MAX)),
            )
            .then(self.created_seq.cmp(&other.created_seq))
    }
}
