//! The canonical forms of the order and purchase-order commands and of the allocation
//! settings they carry: stored only in fingerprints (see the parent module for the rule
//! that keeps them stable).

use serde::{Deserialize, Serialize};

use crate::orders::{
    AllocateOrder, AllocateOrders, CancelOrder, CreateOrder, FillBackorders, NewOrderLine,
    OrderStep, PackOrder, PickOrder, ShortagePolicy, Strategy,
};
use crate::planning::supply::{
    CreatePurchaseOrder, NewPurchaseOrderLine, PurchaseOrderStep, ReceivePurchaseOrder,
};
use crate::store::schema::records::{PackageV1, StoredOverReceipt, StoredQty};
use crate::store::schema::{FromPublic, IntoPublic, stored_enum, stored_struct, stored_unit_enum};

// The allocation settings commands carry: stored only in fingerprints.

stored_unit_enum! {
    /// Who gets short stock ([`ShortagePolicy`]).
    ShortagePolicy => StoredShortagePolicy { 0 => PriorityDueDate, 1 => FairShare }
}

/// The argument of [`StoredStrategy::Fefo`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct FefoV1 {
    /// The least shelf life a lot must have left, in days.
    pub min_remaining_days: u32,
}

/// The argument of [`StoredStrategy::Nearest`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct NearestV1 {
    /// The location to measure from.
    pub location: String,
}

/// The argument of [`StoredStrategy::Ordered`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct OrderedV1 {
    /// Bin codes, first choice first.
    pub locations: Vec<String>,
}

stored_enum! {
    /// Which stock to take first ([`Strategy`]).
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub(crate) enum StoredStrategy {
        /// `Strategy::Fifo`.
        0 => Fifo,
        /// `Strategy::Fefo`.
        1 => Fefo(FefoV1),
        /// `Strategy::Lifo`.
        2 => Lifo,
        /// `Strategy::FewestLocations`.
        3 => FewestLocations,
        /// `Strategy::Nearest`.
        4 => Nearest(NearestV1),
        /// `Strategy::Ordered`.
        5 => Ordered(OrderedV1),
    }
}

impl FromPublic<Strategy> for StoredStrategy {
    fn from_public(p: &Strategy) -> Self {
        match p {
            Strategy::Fifo => StoredStrategy::Fifo,
            Strategy::Fefo { min_remaining_days } => StoredStrategy::Fefo(FefoV1 {
                min_remaining_days: *min_remaining_days,
            }),
            Strategy::Lifo => StoredStrategy::Lifo,
            Strategy::FewestLocations => StoredStrategy::FewestLocations,
            Strategy::Nearest { location } => StoredStrategy::Nearest(NearestV1 {
                location: location.clone(),
            }),
            Strategy::Ordered { locations } => StoredStrategy::Ordered(OrderedV1 {
                locations: locations.clone(),
            }),
        }
    }
}

impl IntoPublic<Strategy> for StoredStrategy {
    fn into_public(self) -> Strategy {
        match self {
            StoredStrategy::Fifo => Strategy::Fifo,
            StoredStrategy::Fefo(f) => Strategy::Fefo {
                min_remaining_days: f.min_remaining_days,
            },
            StoredStrategy::Lifo => Strategy::Lifo,
            StoredStrategy::FewestLocations => Strategy::FewestLocations,
            StoredStrategy::Nearest(n) => Strategy::Nearest {
                location: n.location,
            },
            StoredStrategy::Ordered(o) => Strategy::Ordered {
                locations: o.locations,
            },
        }
    }
}

/// [`NewOrderLine`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct NewOrderLineV1 {
    /// The item.
    pub sku: String,
    /// How much.
    pub qty: StoredQty,
    /// In which unit.
    pub unit: Option<String>,
}
stored_struct!(NewOrderLine => NewOrderLineV1 { sku, qty, unit });

/// [`CreateOrder`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct CreateOrderV1 {
    /// Its id.
    pub order_id: String,
    /// The customer.
    pub customer: Option<String>,
    /// Priority.
    pub priority: u32,
    /// Due at.
    pub due_at: Option<i64>,
    /// Ships from.
    pub ship_from: String,
    /// Staging.
    pub staging: Option<String>,
    /// Ships to.
    pub ship_to: Option<String>,
    /// The lines.
    pub lines: Vec<NewOrderLineV1>,
}
stored_struct!(CreateOrder => CreateOrderV1 {
    order_id, customer, priority, due_at, ship_from, staging, ship_to, lines,
});

/// [`OrderStep`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct OrderStepV1 {
    /// The order.
    pub order_id: String,
}
stored_struct!(OrderStep => OrderStepV1 { order_id });

/// [`AllocateOrder`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct AllocateOrderV1 {
    /// The order.
    pub order_id: String,
    /// Which stock first.
    pub strategy: StoredStrategy,
}
stored_struct!(AllocateOrder => AllocateOrderV1 { order_id, strategy });

/// [`AllocateOrders`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct AllocateOrdersV1 {
    /// The orders.
    pub order_ids: Vec<String>,
    /// Who gets short stock.
    pub policy: StoredShortagePolicy,
    /// Which stock first.
    pub strategy: StoredStrategy,
}
stored_struct!(AllocateOrders => AllocateOrdersV1 { order_ids, policy, strategy });

/// [`FillBackorders`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct FillBackordersV1 {
    /// Only this item.
    pub sku: Option<String>,
    /// Who gets short stock.
    pub policy: StoredShortagePolicy,
    /// Which stock first.
    pub strategy: StoredStrategy,
}
stored_struct!(FillBackorders => FillBackordersV1 { sku, policy, strategy });

/// [`PickOrder`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct PickOrderV1 {
    /// The order.
    pub order_id: String,
    /// The line.
    pub line: u32,
    /// From which bin.
    pub location: String,
    /// The lot.
    pub lot: Option<String>,
    /// How much.
    pub qty: StoredQty,
    /// Serials.
    pub serials: Vec<String>,
    /// The bin held less.
    pub short: bool,
}
stored_struct!(PickOrder => PickOrderV1 {
    order_id, line, location, lot, qty, serials, short,
});

/// [`PackOrder`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct PackOrderV1 {
    /// The order.
    pub order_id: String,
    /// The packages.
    pub packages: Vec<PackageV1>,
}
stored_struct!(PackOrder => PackOrderV1 { order_id, packages });

/// [`CancelOrder`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct CancelOrderV1 {
    /// The order.
    pub order_id: String,
    /// Where picked stock goes.
    pub return_to: Option<String>,
}
stored_struct!(CancelOrder => CancelOrderV1 { order_id, return_to });

/// [`NewPurchaseOrderLine`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct NewPurchaseOrderLineV1 {
    /// The item.
    pub sku: String,
    /// How much.
    pub qty: StoredQty,
    /// In which unit.
    pub unit: Option<String>,
    /// Agreed cost.
    pub unit_cost: Option<StoredQty>,
    /// Its currency.
    pub currency: Option<String>,
}
stored_struct!(NewPurchaseOrderLine => NewPurchaseOrderLineV1 {
    sku, qty, unit, unit_cost, currency,
});

/// [`CreatePurchaseOrder`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct CreatePurchaseOrderV1 {
    /// Its id.
    pub po_id: String,
    /// The supplier.
    pub supplier: String,
    /// Delivered to.
    pub location: String,
    /// The lines.
    pub lines: Vec<NewPurchaseOrderLineV1>,
    /// Expected at.
    pub expected_at: i64,
    /// Placed at.
    pub ordered_at: Option<i64>,
    /// Over-receipt policy.
    pub over_receipt: StoredOverReceipt,
    /// Under-receipt tolerance.
    pub under_tolerance_pct: StoredQty,
}
stored_struct!(CreatePurchaseOrder => CreatePurchaseOrderV1 {
    po_id, supplier, location, lines, expected_at, ordered_at, over_receipt,
    under_tolerance_pct,
});

/// [`ReceivePurchaseOrder`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct ReceivePurchaseOrderV1 {
    /// The purchase order.
    pub po_id: String,
    /// The line.
    pub line: u32,
    /// How much.
    pub qty: StoredQty,
    /// In which unit.
    pub unit: Option<String>,
    /// Where.
    pub location: Option<String>,
    /// The lot.
    pub lot: Option<String>,
    /// A new lot's expiry.
    pub expiry: Option<i64>,
    /// A new lot's production date.
    pub produced: Option<i64>,
    /// Serials.
    pub serials: Vec<String>,
    /// Cost per base unit.
    pub unit_cost: Option<StoredQty>,
    /// Its currency.
    pub currency: Option<String>,
}
stored_struct!(ReceivePurchaseOrder => ReceivePurchaseOrderV1 {
    po_id, line, qty, unit, location, lot, expiry, produced, serials, unit_cost, currency,
});

/// [`PurchaseOrderStep`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct PurchaseOrderStepV1 {
    /// The purchase order.
    pub po_id: String,
}
stored_struct!(PurchaseOrderStep => PurchaseOrderStepV1 { po_id });
