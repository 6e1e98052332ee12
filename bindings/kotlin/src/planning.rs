//! Purchase orders, stock on order, supplier lead times and demand histories as they cross
//! the boundary. The replenishment plan crosses as the core's JSON (see
//! [`crate::Stockbook::replenishment_plan`]).

use stockbook::planning as core;

use crate::error::StockbookError;
use crate::orders::u32_of;
use crate::records::{qty, signed};

type Result<T> = std::result::Result<T, StockbookError>;

fn opt_qty(text: Option<&str>) -> Result<Option<stockbook::Qty>> {
    text.map(qty).transpose()
}

fn i32_of(value: u32) -> i32 {
    i32::try_from(value).unwrap_or(i32::MAX)
}

/// Where a purchase order stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum PurchaseOrderState {
    /// Placed; nothing received yet.
    Open,
    /// Some lines, or part of a line, received.
    PartiallyReceived,
    /// Every line complete.
    Received,
    /// Closed by hand: what is missing is no longer expected.
    Closed,
    /// Cancelled before anything was received.
    Cancelled,
}

same_variants!(PurchaseOrderState <=> core::PurchaseOrderState {
    Open, PartiallyReceived, Received, Closed, Cancelled
});

/// What a receipt above the ordered quantity of a line gets.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Enum)]
pub enum OverReceipt {
    /// Nothing above the ordered quantity is taken.
    Refuse,
    /// Up to `tolerance_pct` percent above the ordered quantity is taken.
    Allow {
        /// The tolerance in percent of the ordered quantity, as decimal text (0 to 1000).
        tolerance_pct: String,
    },
}

impl TryFrom<OverReceipt> for core::OverReceipt {
    type Error = StockbookError;
    fn try_from(o: OverReceipt) -> Result<Self> {
        Ok(match o {
            OverReceipt::Refuse => core::OverReceipt::Refuse,
            OverReceipt::Allow { tolerance_pct } => core::OverReceipt::Allow {
                tolerance_pct: qty(&tolerance_pct)?,
            },
        })
    }
}

impl From<core::OverReceipt> for OverReceipt {
    fn from(o: core::OverReceipt) -> Self {
        match o {
            core::OverReceipt::Refuse => OverReceipt::Refuse,
            core::OverReceipt::Allow { tolerance_pct } => OverReceipt::Allow {
                tolerance_pct: tolerance_pct.to_string(),
            },
        }
    }
}

/// A line of a new purchase order.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct NewPurchaseOrderLine {
    /// The item.
    pub sku: String,
    /// How much, in `unit`, as decimal text.
    pub qty: String,
    /// The unit of `qty` (default: the base unit).
    #[uniffi(default)]
    pub unit: Option<String>,
    /// Agreed cost per base unit, as decimal text.
    #[uniffi(default)]
    pub unit_cost: Option<String>,
    /// ISO 4217 currency of the cost.
    #[uniffi(default)]
    pub currency: Option<String>,
}

/// Place a purchase order.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct CreatePurchaseOrder {
    /// Its id.
    pub po_id: String,
    /// The supplier's code.
    pub supplier: String,
    /// Where it is delivered (a physical location: site, zone or bin).
    pub location: String,
    /// The lines.
    pub lines: Vec<NewPurchaseOrderLine>,
    /// When the supplier is expected to deliver (ms since the epoch).
    pub expected_at: i64,
    /// When it was placed (default: now).
    #[uniffi(default)]
    pub ordered_at: Option<i64>,
    /// What a receipt above the ordered quantity gets (default: refused).
    #[uniffi(default)]
    pub over_receipt: Option<OverReceipt>,
    /// Under-receipt tolerance in percent, as decimal text (default 0).
    #[uniffi(default)]
    pub under_tolerance_pct: Option<String>,
}

impl TryFrom<CreatePurchaseOrder> for core::CreatePurchaseOrder {
    type Error = StockbookError;
    fn try_from(p: CreatePurchaseOrder) -> Result<Self> {
        Ok(core::CreatePurchaseOrder {
            po_id: p.po_id,
            supplier: p.supplier,
            location: p.location,
            lines: p
                .lines
                .into_iter()
                .map(|l| {
                    Ok(core::NewPurchaseOrderLine {
                        sku: l.sku,
                        qty: qty(&l.qty)?,
                        unit: l.unit,
                        unit_cost: opt_qty(l.unit_cost.as_deref())?,
                        currency: l.currency,
                    })
                })
                .collect::<Result<_>>()?,
            expected_at: p.expected_at,
            ordered_at: p.ordered_at,
            over_receipt: p
                .over_receipt
                .map(TryInto::try_into)
                .transpose()?
                .unwrap_or_default(),
            under_tolerance_pct: opt_qty(p.under_tolerance_pct.as_deref())?.unwrap_or_default(),
        })
    }
}

/// Receive stock against one line of a purchase order.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct ReceivePurchaseOrder {
    /// The purchase order.
    pub po_id: String,
    /// The line.
    pub line: i32,
    /// How much arrived, in `unit`, as decimal text.
    pub qty: String,
    /// The unit of `qty`.
    #[uniffi(default)]
    pub unit: Option<String>,
    /// Where it is put (default: the order's location); within the order's location.
    #[uniffi(default)]
    pub location: Option<String>,
    /// The lot (lot-tracked items).
    #[uniffi(default)]
    pub lot: Option<String>,
    /// The lot's expiry, for a new lot.
    #[uniffi(default)]
    pub expiry: Option<i64>,
    /// The lot's production date, for a new lot.
    #[uniffi(default)]
    pub produced: Option<i64>,
    /// Serial numbers (serial-tracked items).
    #[uniffi(default)]
    pub serials: Vec<String>,
    /// Cost per base unit (default: the line's).
    #[uniffi(default)]
    pub unit_cost: Option<String>,
    /// Currency of `unit_cost` (default: the line's).
    #[uniffi(default)]
    pub currency: Option<String>,
}

impl TryFrom<ReceivePurchaseOrder> for core::ReceivePurchaseOrder {
    type Error = StockbookError;
    fn try_from(r: ReceivePurchaseOrder) -> Result<Self> {
        Ok(core::ReceivePurchaseOrder {
            po_id: r.po_id,
            line: u32_of("line", r.line)?,
            qty: qty(&r.qty)?,
            unit: r.unit,
            location: r.location,
            lot: r.lot,
            expiry: r.expiry,
            produced: r.produced,
            serials: r.serials,
            unit_cost: opt_qty(r.unit_cost.as_deref())?,
            currency: r.currency,
        })
    }
}

/// The core's step on purchase order `po_id`.
pub(crate) fn po_step(po_id: String) -> core::PurchaseOrderStep {
    core::PurchaseOrderStep { po_id }
}

/// One line of a purchase order (base units, decimal text).
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct PurchaseOrderLine {
    /// Line number, from 1.
    pub line: i32,
    /// The item.
    pub sku: String,
    /// Ordered.
    pub ordered: String,
    /// Received so far.
    pub received: String,
    /// Agreed cost per base unit.
    pub unit_cost: Option<String>,
    /// ISO 4217 currency of `unit_cost`.
    pub currency: Option<String>,
}

/// One receipt against a purchase order line.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct PurchaseOrderReceipt {
    /// The line.
    pub line: i32,
    /// How much arrived (base units, decimal text).
    pub qty: String,
    /// Where it was put.
    pub location: String,
    /// When it was recorded (engine time, ms since the epoch).
    pub received_at: i64,
}

/// A purchase order.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct PurchaseOrder {
    /// Its id.
    pub id: String,
    /// The supplier's code.
    pub supplier: String,
    /// Where it is delivered.
    pub location: String,
    /// The lines.
    pub lines: Vec<PurchaseOrderLine>,
    /// When it was placed (ms since the epoch).
    pub ordered_at: i64,
    /// When the supplier is expected to deliver.
    pub expected_at: i64,
    /// What a receipt above the ordered quantity gets.
    pub over_receipt: OverReceipt,
    /// Under-receipt tolerance in percent, as decimal text.
    pub under_tolerance_pct: String,
    /// Every receipt, in order.
    pub receipts: Vec<PurchaseOrderReceipt>,
    /// Where it stands.
    pub state: PurchaseOrderState,
    /// When it was created (engine time).
    pub created_at: i64,
    /// Sequence of its creation.
    pub created_seq: i64,
    /// When it was closed or cancelled.
    pub closed_at: Option<i64>,
}

impl From<core::PurchaseOrder> for PurchaseOrder {
    fn from(p: core::PurchaseOrder) -> Self {
        PurchaseOrder {
            id: p.id,
            supplier: p.supplier,
            location: p.location,
            lines: p
                .lines
                .into_iter()
                .map(|l| PurchaseOrderLine {
                    line: i32_of(l.line),
                    sku: l.sku,
                    ordered: l.ordered.to_string(),
                    received: l.received.to_string(),
                    unit_cost: l.unit_cost.map(|c| c.to_string()),
                    currency: l.currency,
                })
                .collect(),
            ordered_at: p.ordered_at,
            expected_at: p.expected_at,
            over_receipt: p.over_receipt.into(),
            under_tolerance_pct: p.under_tolerance_pct.to_string(),
            receipts: p
                .receipts
                .into_iter()
                .map(|r| PurchaseOrderReceipt {
                    line: i32_of(r.line),
                    qty: r.qty.to_string(),
                    location: r.location,
                    received_at: r.received_at,
                })
                .collect(),
            state: p.state.into(),
            created_at: p.created_at,
            created_seq: signed(p.created_seq),
            closed_at: p.closed_at,
        }
    }
}

/// Which purchase orders to list.
#[derive(Debug, Clone, PartialEq, Eq, Default, uniffi::Record)]
pub struct PurchaseOrderFilter {
    /// Only those of this supplier.
    #[uniffi(default)]
    pub supplier: Option<String>,
    /// Only those with a line of this item.
    #[uniffi(default)]
    pub sku: Option<String>,
    /// Only those in this state.
    #[uniffi(default)]
    pub state: Option<PurchaseOrderState>,
    /// Only those delivered into this location's subtree.
    #[uniffi(default)]
    pub location: Option<String>,
}

impl From<PurchaseOrderFilter> for core::PurchaseOrderFilter {
    fn from(f: PurchaseOrderFilter) -> Self {
        core::PurchaseOrderFilter {
            supplier: f.supplier,
            sku: f.sku,
            state: f.state.map(Into::into),
            location: f.location,
        }
    }
}

/// Lead times of a supplier (for one item, or all), in days.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct LeadTimeStats {
    /// The supplier.
    pub supplier: String,
    /// The item, when the statistics are for one item.
    pub sku: Option<String>,
    /// Number of observations.
    pub count: i64,
    /// Mean lead time in days; null without observations.
    pub mean_days: Option<f64>,
    /// Sample standard deviation in days.
    pub std_dev_days: Option<f64>,
    /// Shortest lead time in days.
    pub min_days: Option<f64>,
    /// Longest lead time in days.
    pub max_days: Option<f64>,
}

impl From<core::LeadTimeStats> for LeadTimeStats {
    fn from(s: core::LeadTimeStats) -> Self {
        LeadTimeStats {
            supplier: s.supplier,
            sku: s.sku,
            count: signed(s.count),
            mean_days: s.mean_days,
            std_dev_days: s.std_dev_days,
            min_days: s.min_days,
            max_days: s.max_days,
        }
    }
}

/// The length of a demand bucket.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum Bucket {
    /// A UTC day.
    Day,
    /// An ISO week (Monday to Sunday, UTC).
    Week,
    /// A calendar month (UTC).
    Month,
}

same_variants!(Bucket <=> core::Bucket { Day, Week, Month });

/// One bucket of demand.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct DemandPeriod {
    /// The bucket's first instant (ms since the epoch, UTC).
    pub start: i64,
    /// Demand in the bucket, as decimal text.
    pub demand: String,
    /// Stock that came back in the bucket, kept apart from demand.
    pub returns: String,
}

/// The demand of an item at a location (and below), bucket by bucket.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct DemandHistory {
    /// The item.
    pub sku: String,
    /// The location whose subtree the demand left.
    pub location: String,
    /// The bucket length.
    pub bucket: Bucket,
    /// Whether ordered demand (backorders included) replaced order shipments.
    pub include_backorders: bool,
    /// The buckets, oldest first.
    pub periods: Vec<DemandPeriod>,
}

impl From<core::DemandHistory> for DemandHistory {
    fn from(h: core::DemandHistory) -> Self {
        DemandHistory {
            sku: h.sku,
            location: h.location,
            bucket: h.bucket.into(),
            include_backorders: h.include_backorders,
            periods: h
                .periods
                .into_iter()
                .map(|p| DemandPeriod {
                    start: p.start,
                    demand: p.demand.to_string(),
                    returns: p.returns.to_string(),
                })
                .collect(),
        }
    }
}
