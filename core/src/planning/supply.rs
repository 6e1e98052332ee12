//! Inbound supply: purchase orders, receipts against them, stock on order and supplier
//! lead times.
//!
//! A purchase order asks a supplier for lines of items, delivered into a location (a
//! site, zone or bin) by an expected date. A receipt against one of its lines is a plain
//! receive in the ledger (the same `moved` event of kind `receive`) plus the order's new
//! record, in one decision. Its over-receipt policy refuses any quantity above what was
//! ordered, or allows it up to a tolerance; its under-receipt tolerance lets a line that
//! is short by no more than that count as complete. What is ordered and neither received
//! nor closed is **on order**; the time from ordering to each receipt is the supplier's
//! **lead time**, whose mean and spread feed the replenishment plan.
//!
//! A purchase order moves through open → partially received → received, and can be
//! closed (short: what is missing is no longer expected) at any point, or cancelled while
//! nothing has been received.

mod book;
pub(crate) mod decide;
pub(crate) mod query;

pub(crate) use book::SupplyBook;

use serde::{Deserialize, Serialize};

use crate::model::{Qty, Timestamp};
use crate::setters::setters;

pub use crate::model::purchase_order::{
    OverReceipt, PurchaseOrder, PurchaseOrderLine, PurchaseOrderReceipt, PurchaseOrderState,
};
pub use query::{LeadTimeStats, PurchaseOrderFilter};

/// The most lines one purchase order may have.
pub const PURCHASE_ORDER_LINES_MAX: usize = crate::limits::PURCHASE_ORDER_LINES_MAX;
/// The most receipts one purchase order may record.
pub const PURCHASE_ORDER_RECEIPTS_MAX: usize = 1000;
/// The largest over-receipt tolerance, in percent.
pub const OVER_RECEIPT_PCT_MAX: i64 = 1000;

/// A line of a new purchase order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct NewPurchaseOrderLine {
    /// The item.
    pub sku: String,
    /// How much, in `unit`.
    pub qty: Qty,
    /// The unit of `qty` (default: the base unit).
    #[serde(default)]
    pub unit: Option<String>,
    /// Agreed cost per base unit.
    #[serde(default)]
    pub unit_cost: Option<Qty>,
    /// ISO 4217 currency of the cost.
    #[serde(default)]
    pub currency: Option<String>,
}

impl NewPurchaseOrderLine {
    /// A new `NewPurchaseOrderLine` of `sku`, `qty`; every other field takes its default.
    #[must_use]
    pub fn new(sku: impl Into<String>, qty: impl Into<Qty>) -> NewPurchaseOrderLine {
        NewPurchaseOrderLine {
            sku: sku.into(),
            qty: qty.into(),
            unit: None,
            unit_cost: None,
            currency: None,
        }
    }
}

setters! {
    NewPurchaseOrderLine {
        /// The unit of `qty` (default: the base unit).
        text unit,
        /// Agreed cost per base unit.
        qty unit_cost,
        /// ISO 4217 currency of the cost.
        text currency,
    }
}

/// Place a purchase order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct CreatePurchaseOrder {
    /// Its id.
    pub po_id: String,
    /// The supplier's code. When a location of kind `supplier` has this code, receipts
    /// come from it; otherwise from `@supplier`.
    pub supplier: String,
    /// Where it is delivered (a physical location: site, zone or bin).
    pub location: String,
    /// The lines.
    pub lines: Vec<NewPurchaseOrderLine>,
    /// When the supplier is expected to deliver; not before `ordered_at`.
    #[schemars(with = "crate::model::InstantSchema")]
    pub expected_at: Timestamp,
    /// When it was placed (default: now); not after the engine clock's now.
    #[serde(default)]
    #[schemars(with = "Option<crate::model::InstantSchema>")]
    pub ordered_at: Option<Timestamp>,
    /// What a receipt above the ordered quantity gets (default: refused).
    #[serde(default)]
    pub over_receipt: OverReceipt,
    /// Under-receipt tolerance in percent (default 0).
    #[serde(default)]
    pub under_tolerance_pct: Qty,
}

impl CreatePurchaseOrder {
    /// A new `CreatePurchaseOrder` of `po_id`, `supplier`, `location`, `lines`, `expected_at`; every other field takes its default.
    #[must_use]
    pub fn new(
        po_id: impl Into<String>,
        supplier: impl Into<String>,
        location: impl Into<String>,
        lines: Vec<NewPurchaseOrderLine>,
        expected_at: Timestamp,
    ) -> CreatePurchaseOrder {
        CreatePurchaseOrder {
            po_id: po_id.into(),
            supplier: supplier.into(),
            location: location.into(),
            lines,
            expected_at,
            ordered_at: None,
            over_receipt: OverReceipt::default(),
            under_tolerance_pct: Qty::default(),
        }
    }
}

setters! {
    CreatePurchaseOrder {
        /// When it was placed (default: now); not after the engine clock's now.
        opt(Timestamp) ordered_at,
        /// What a receipt above the ordered quantity gets (default: refused).
        set(OverReceipt) over_receipt,
        /// Under-receipt tolerance in percent (default 0).
        quantity under_tolerance_pct,
    }
}

/// Receive stock against one line of a purchase order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct ReceivePurchaseOrder {
    /// The purchase order.
    pub po_id: String,
    /// The line.
    pub line: u32,
    /// How much arrived, in `unit`.
    pub qty: Qty,
    /// The unit of `qty`.
    #[serde(default)]
    pub unit: Option<String>,
    /// Where it is put (default: the order's location); within the order's location.
    #[serde(default)]
    pub location: Option<String>,
    /// The lot (lot-tracked items).
    #[serde(default)]
    pub lot: Option<String>,
    /// The lot's expiry, for a new lot.
    #[serde(default)]
    #[schemars(with = "Option<crate::model::InstantSchema>")]
    pub expiry: Option<Timestamp>,
    /// The lot's production date, for a new lot.
    #[serde(default)]
    #[schemars(with = "Option<crate::model::InstantSchema>")]
    pub produced: Option<Timestamp>,
    /// Serial numbers (serial-tracked items).
    #[serde(default)]
    pub serials: Vec<String>,
    /// Cost per base unit (default: the line's).
    #[serde(default)]
    pub unit_cost: Option<Qty>,
    /// Currency of `unit_cost` (default: the line's).
    #[serde(default)]
    pub currency: Option<String>,
}

impl ReceivePurchaseOrder {
    /// A receipt of `qty` base units against `line` of `po_id`, into the order's location.
    pub fn new(po_id: impl Into<String>, line: u32, qty: impl Into<Qty>) -> ReceivePurchaseOrder {
        ReceivePurchaseOrder {
            po_id: po_id.into(),
            line,
            qty: qty.into(),
            unit: None,
            location: None,
            lot: None,
            expiry: None,
            produced: None,
            serials: Vec::new(),
            unit_cost: None,
            currency: None,
        }
    }
}

setters! {
    ReceivePurchaseOrder {
        /// The unit of `qty`.
        text unit,
        /// Where it is put (default: the order's location); within the order's location.
        text location,
        /// The lot (lot-tracked items).
        text lot,
        /// The lot's expiry, for a new lot.
        opt(Timestamp) expiry,
        /// The lot's production date, for a new lot.
        opt(Timestamp) produced,
        /// Serial numbers (serial-tracked items).
        texts serials,
        /// Cost per base unit (default: the line's).
        qty unit_cost,
        /// Currency of `unit_cost` (default: the line's).
        text currency,
    }
}

/// A step on a purchase order that needs only its id (close, cancel).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct PurchaseOrderStep {
    /// The purchase order.
    pub po_id: String,
}

impl PurchaseOrderStep {
    /// A new `PurchaseOrderStep` of `po_id`; every other field takes its default.
    #[must_use]
    pub fn new(po_id: impl Into<String>) -> PurchaseOrderStep {
        PurchaseOrderStep {
            po_id: po_id.into(),
        }
    }
}

/// What the purchase-order rules read: the ledger's parts and the supply book. Copied by
/// value; it reads as the ledger it derefs to.
#[derive(Debug, Clone, Copy)]
pub(crate) struct SupplyView<'a> {
    /// The stock and the holds.
    pub(crate) ledger: crate::ledger::Ledger<'a>,
    /// The purchase orders.
    pub(crate) supply: &'a SupplyBook,
}

impl<'a> std::ops::Deref for SupplyView<'a> {
    type Target = crate::ledger::Ledger<'a>;
    fn deref(&self) -> &crate::ledger::Ledger<'a> {
        &self.ledger
    }
}
