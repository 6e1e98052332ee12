//! Purchase orders: what was asked of a supplier and what has arrived against it.
//! Plain data; the rules of placing and receiving them live in planning.

use serde::{Deserialize, Serialize};

use super::{Qty, Timestamp};

/// Where a purchase order stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum PurchaseOrderState {
    /// Placed; nothing received yet.
    Open,
    /// Some lines, or part of a line, received.
    PartiallyReceived,
    /// Every line complete (received in full, or within the under-receipt tolerance).
    /// Receipts within the over-receipt tolerance are still taken.
    Received,
    /// Closed by hand: what is missing is no longer expected.
    Closed,
    /// Cancelled before anything was received.
    Cancelled,
}

impl PurchaseOrderState {
    /// The snake_case name.
    pub fn as_str(self) -> &'static str {
        match self {
            PurchaseOrderState::Open => "open",
            PurchaseOrderState::PartiallyReceived => "partially_received",
            PurchaseOrderState::Received => "received",
            PurchaseOrderState::Closed => "closed",
            PurchaseOrderState::Cancelled => "cancelled",
        }
    }

    /// True while the order still expects stock (its open lines are on order).
    pub fn is_open(self) -> bool {
        matches!(
            self,
            PurchaseOrderState::Open | PurchaseOrderState::PartiallyReceived
        )
    }
}

/// What a receipt above the ordered quantity of a line gets.
///
/// Serialised as `"refuse"` or `{"allow": {"tolerance_pct": "10"}}`.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, schemars::JsonSchema,
)]
#[serde(deny_unknown_fields)]
#[serde(rename_all = "snake_case")]
pub enum OverReceipt {
    /// Nothing above the ordered quantity is taken.
    #[default]
    Refuse,
    /// Up to `tolerance_pct` percent above the ordered quantity is taken.
    Allow {
        /// The tolerance in percent of the ordered quantity, 0 to 1000.
        tolerance_pct: Qty,
    },
}

/// One line of a purchase order (base units at the item's precision).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct PurchaseOrderLine {
    /// Line number, from 1.
    pub line: u32,
    /// The item.
    pub sku: String,
    /// Ordered.
    pub ordered: Qty,
    /// Received so far.
    pub received: Qty,
    /// Agreed cost per base unit, carried to the receipt's movement.
    pub unit_cost: Option<Qty>,
    /// ISO 4217 currency of `unit_cost`.
    pub currency: Option<String>,
}

/// One receipt against a purchase order line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct PurchaseOrderReceipt {
    /// The line.
    pub line: u32,
    /// How much arrived (base units).
    pub qty: Qty,
    /// Where it was put.
    pub location: String,
    /// When it was recorded (engine time): the end of this receipt's lead time.
    #[schemars(with = "crate::model::InstantSchema")]
    pub received_at: Timestamp,
}

/// A purchase order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct PurchaseOrder {
    /// Its id.
    pub id: String,
    /// The supplier's code.
    pub supplier: String,
    /// Where it is delivered: receipts go to this location or one below it, and its
    /// stock on order counts for every location above it.
    pub location: String,
    /// The lines.
    pub lines: Vec<PurchaseOrderLine>,
    /// When it was placed: the start of every receipt's lead time.
    #[schemars(with = "crate::model::InstantSchema")]
    pub ordered_at: Timestamp,
    /// When the supplier is expected to deliver.
    #[schemars(with = "crate::model::InstantSchema")]
    pub expected_at: Timestamp,
    /// What a receipt above the ordered quantity gets.
    pub over_receipt: OverReceipt,
    /// A line short by at most this percentage of its ordered quantity counts as
    /// complete (0 to 100).
    pub under_tolerance_pct: Qty,
    /// Every receipt, in order.
    pub receipts: Vec<PurchaseOrderReceipt>,
    /// Where it stands.
    pub state: PurchaseOrderState,
    /// When it was created (engine time).
    #[schemars(with = "crate::model::InstantSchema")]
    pub created_at: Timestamp,
    /// Sequence of its creation.
    pub created_seq: u64,
    /// When it was closed or cancelled.
    #[schemars(with = "Option<crate::model::InstantSchema>")]
    pub closed_at: Option<Timestamp>,
}

impl PurchaseOrder {
    /// True when `line` counts as complete: received at least the ordered quantity less
    /// the under-receipt tolerance.
    pub fn line_complete(&self, line: &PurchaseOrderLine) -> bool {
        // received ≥ ordered × (1 − pct/100), exactly: received·100·10^s ≥ ordered·(100·10^s − pct).
        let pct = self.under_tolerance_pct;
        let scale = 10_i128.pow(u32::from(pct.scale()));
        i128::from(line.received.units()) * 100 * scale
            >= i128::from(line.ordered.units()) * (100 * scale - i128::from(pct.units()))
    }

    /// Units of `line` still on order: what is missing while the order is open and the
    /// line is not complete, otherwise nothing.
    pub fn open_units(&self, line: &PurchaseOrderLine) -> i64 {
        if !self.state.is_open() || self.line_complete(line) {
            return 0;
        }
        (line.ordered.units() - line.received.units()).max(0)
    }
}
