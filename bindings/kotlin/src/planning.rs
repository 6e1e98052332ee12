//! Purchase orders, stock on order, supplier lead times, demand histories and the
//! replenishment plan as they cross the boundary. Plan figures are statistics (`f64`);
//! what is stock (on hand, on order, a suggested order's quantity) stays decimal text.

use stockbook::planning as core;

use crate::error::StockbookError;
use crate::forecast::{DemandPattern, ForecastMethod, count, periods};
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

// ---- the replenishment plan --------------------------------------------------------------

/// How each item × site's demand is forecast in a replenishment plan.
#[derive(Debug, Clone, PartialEq, uniffi::Enum)]
pub enum PlanMethod {
    /// By demand class: optimised SES for smooth and erratic demand, Croston–SBA for
    /// intermittent and lumpy demand, zero without demand (the default; cheap).
    ByClass,
    /// `autoForecast`: candidates scored on a holdout (far more expensive; needs at least
    /// 4 periods).
    Auto {
        /// Periods per season (1: no seasonality).
        season_length: i32,
    },
    /// One method for every pair.
    Fixed {
        /// The method.
        method: ForecastMethod,
    },
}

impl TryFrom<PlanMethod> for core::PlanMethod {
    type Error = StockbookError;
    fn try_from(m: PlanMethod) -> Result<Self> {
        Ok(match m {
            PlanMethod::ByClass => core::PlanMethod::ByClass,
            PlanMethod::Auto { season_length } => core::PlanMethod::Auto {
                season_length: periods("season_length", season_length)?,
            },
            PlanMethod::Fixed { method } => core::PlanMethod::Fixed(method.try_into()?),
        })
    }
}

/// How much a plan orders once the position reaches the reorder point.
#[derive(Debug, Clone, Copy, PartialEq, uniffi::Enum)]
pub enum OrderQuantity {
    /// The forecast demand of this many periods (default: 4).
    Cover {
        /// Periods of demand, above zero.
        periods: f64,
    },
    /// The economic order quantity for the forecast demand rate.
    Eoq {
        /// Fixed cost of one order.
        ordering_cost: f64,
        /// Cost of holding one unit for one period.
        holding_cost: f64,
    },
}

impl From<OrderQuantity> for core::OrderQuantity {
    fn from(q: OrderQuantity) -> Self {
        match q {
            OrderQuantity::Cover { periods } => core::OrderQuantity::Cover { periods },
            OrderQuantity::Eoq {
                ordering_cost,
                holding_cost,
            } => core::OrderQuantity::Eoq {
                ordering_cost,
                holding_cost,
            },
        }
    }
}

/// Planning settings of one item that override the plan's.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct ItemPlanning {
    /// The item.
    pub sku: String,
    /// Its supplier (default: the supplier of its latest purchase order).
    #[uniffi(default)]
    pub supplier: Option<String>,
    /// Its lead time in days, instead of the supplier's history.
    #[uniffi(default)]
    pub lead_time_days: Option<f64>,
    /// The standard deviation of that lead time in days (default 0).
    #[uniffi(default)]
    pub lead_time_std_days: Option<f64>,
    /// Its cycle service level.
    #[uniffi(default)]
    pub service_level: Option<f64>,
    /// Its minimum order quantity.
    #[uniffi(default)]
    pub min_order_qty: Option<f64>,
    /// Its pack size.
    #[uniffi(default)]
    pub pack_size: Option<f64>,
}

impl From<ItemPlanning> for core::ItemPlanning {
    fn from(i: ItemPlanning) -> Self {
        core::ItemPlanning {
            sku: i.sku,
            supplier: i.supplier,
            lead_time_days: i.lead_time_days,
            lead_time_std_days: i.lead_time_std_days,
            service_level: i.service_level,
            min_order_qty: i.min_order_qty,
            pack_size: i.pack_size,
        }
    }
}

/// A demand series given to the plan instead of the ledger's history.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct DemandSeries {
    /// The item.
    pub sku: String,
    /// The site.
    pub site: String,
    /// Demand per period, oldest first, the last value the last full period before
    /// `asOf`; finite and not negative.
    pub demand: Vec<f64>,
}

/// What a replenishment plan covers and how it decides; every field left null (or empty)
/// takes the core's default.
#[derive(Debug, Clone, Default, PartialEq, uniffi::Record)]
pub struct PlanOptions {
    /// The instant the plan is made for, ms since the epoch (default: now).
    #[uniffi(default)]
    pub as_of: Option<i64>,
    /// The period of history and forecast (default: week).
    #[uniffi(default)]
    pub bucket: Option<Bucket>,
    /// Buckets of history read from the ledger (default 104).
    #[uniffi(default)]
    pub history_periods: Option<i32>,
    /// Buckets projected ahead (default 13).
    #[uniffi(default)]
    pub horizon_periods: Option<i32>,
    /// The forecasting method (default: by demand class).
    #[uniffi(default)]
    pub method: Option<PlanMethod>,
    /// Cycle service level, strictly between 0 and 1 (default 0.95).
    #[uniffi(default)]
    pub service_level: Option<f64>,
    /// Lead time in days for items with neither their own nor a supplier history
    /// (default 7).
    #[uniffi(default)]
    pub lead_time_days: Option<f64>,
    /// How much to order (default: 4 periods of demand).
    #[uniffi(default)]
    pub order_quantity: Option<OrderQuantity>,
    /// Minimum order quantity (default 0).
    #[uniffi(default)]
    pub min_order_qty: Option<f64>,
    /// Pack size: orders are whole packs (default 1).
    #[uniffi(default)]
    pub pack_size: Option<f64>,
    /// Plan on ordered demand, backorders included, instead of shipments.
    #[uniffi(default)]
    pub include_backorders: bool,
    /// The sites to plan (default: every site).
    #[uniffi(default)]
    pub sites: Vec<String>,
    /// The items to plan (default: every active item).
    #[uniffi(default)]
    pub skus: Vec<String>,
    /// Per-item overrides.
    #[uniffi(default)]
    pub items: Vec<ItemPlanning>,
    /// Demand series to plan on instead of the ledger's history; when given, the plan
    /// covers exactly these pairs.
    #[uniffi(default)]
    pub series: Option<Vec<DemandSeries>>,
}

impl TryFrom<PlanOptions> for core::PlanOptions {
    type Error = StockbookError;
    fn try_from(o: PlanOptions) -> Result<Self> {
        let mut out = core::PlanOptions {
            as_of: o.as_of,
            include_backorders: o.include_backorders,
            sites: o.sites,
            skus: o.skus,
            items: o.items.into_iter().map(Into::into).collect(),
            series: o.series.map(|all| {
                all.into_iter()
                    .map(|s| core::DemandSeries {
                        sku: s.sku,
                        site: s.site,
                        demand: s.demand,
                    })
                    .collect()
            }),
            ..core::PlanOptions::default()
        };
        if let Some(b) = o.bucket {
            out.bucket = b.into();
        }
        if let Some(n) = o.history_periods {
            out.history_periods = periods("history_periods", n)?;
        }
        if let Some(n) = o.horizon_periods {
            out.horizon_periods = periods("horizon_periods", n)?;
        }
        if let Some(m) = o.method {
            out.method = m.try_into()?;
        }
        if let Some(v) = o.service_level {
            out.service_level = v;
        }
        if let Some(v) = o.lead_time_days {
            out.lead_time_days = v;
        }
        if let Some(q) = o.order_quantity {
            out.order_quantity = q.into();
        }
        if let Some(v) = o.min_order_qty {
            out.min_order_qty = v;
        }
        if let Some(v) = o.pack_size {
            out.pack_size = v;
        }
        Ok(out)
    }
}

/// Where a plan row's lead time came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum LeadTimeSource {
    /// The item's own setting (`ItemPlanning.leadTimeDays`).
    Item,
    /// The supplier's receipts of this item.
    SupplierItem,
    /// The supplier's receipts of every item.
    Supplier,
    /// The plan's default (`PlanOptions.leadTimeDays`).
    Default,
}

same_variants!(LeadTimeSource <=> core::LeadTimeSource { Item, SupplierItem, Supplier, Default });

/// An order the plan suggests.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct SuggestedOrder {
    /// How much, after the minimum order quantity and pack rounding, as decimal text at
    /// the item's precision.
    pub qty: String,
    /// The order-up-to level less the position at the order date, before rounding.
    pub raw_qty: f64,
    /// The horizon period in which the position reaches the reorder point (0: now).
    pub period: i32,
    /// When to order (ms since the epoch).
    pub order_date: i64,
    /// When the order is expected to arrive: the order date plus the lead time.
    pub expected_receipt: i64,
    /// The inventory position at the order date.
    pub position_at_order: f64,
}

/// One item at one site of a replenishment plan, with the figures that explain it.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct PlanRow {
    /// The item.
    pub sku: String,
    /// The site.
    pub site: String,
    /// On hand in the site (decimal text).
    pub on_hand: String,
    /// On open purchase orders delivered into the site (decimal text).
    pub on_order: String,
    /// Reserved in the site (decimal text).
    pub reserved: String,
    /// Backordered on open orders shipping from the site (decimal text).
    pub backordered: String,
    /// Inventory position: on hand + on order − reserved − backordered.
    pub position: f64,
    /// Periods of history the forecast used.
    pub history_periods: i32,
    /// The demand pattern of the history.
    pub pattern: DemandPattern,
    /// The forecasting method used, by its snake_case name (`none` without demand).
    pub method: String,
    /// Forecast demand per period (mean over the horizon).
    pub demand_rate: f64,
    /// Standard deviation of demand per period (the forecast's one-step error).
    pub sigma: f64,
    /// The supplier, if known.
    pub supplier: Option<String>,
    /// Lead time used, in days.
    pub lead_time_days: f64,
    /// Its standard deviation, in days.
    pub lead_time_std_days: f64,
    /// Where the lead time came from.
    pub lead_time_source: LeadTimeSource,
    /// Cycle service level used.
    pub service_level: f64,
    /// Safety stock.
    pub safety_stock: f64,
    /// Reorder point: demand over the lead time plus safety stock.
    pub reorder_point: f64,
    /// Order-up-to level: reorder point plus the order quantity.
    pub order_up_to: f64,
    /// Inventory position at the end of each horizon period, before any suggested order.
    pub projected: Vec<f64>,
    /// The suggested order, if the position reaches the reorder point within the horizon.
    pub order: Option<SuggestedOrder>,
}

impl From<core::PlanRow> for PlanRow {
    fn from(r: core::PlanRow) -> Self {
        PlanRow {
            sku: r.sku,
            site: r.site,
            on_hand: r.on_hand.to_string(),
            on_order: r.on_order.to_string(),
            reserved: r.reserved.to_string(),
            backordered: r.backordered.to_string(),
            position: r.position,
            history_periods: count(r.history_periods),
            pattern: r.pattern.into(),
            method: r.method,
            demand_rate: r.demand_rate,
            sigma: r.sigma,
            supplier: r.supplier,
            lead_time_days: r.lead_time_days,
            lead_time_std_days: r.lead_time_std_days,
            lead_time_source: r.lead_time_source.into(),
            service_level: r.service_level,
            safety_stock: r.safety_stock,
            reorder_point: r.reorder_point,
            order_up_to: r.order_up_to,
            projected: r.projected,
            order: r.order.map(|o| SuggestedOrder {
                qty: o.qty.to_string(),
                raw_qty: o.raw_qty,
                period: count(o.period),
                order_date: o.order_date,
                expected_receipt: o.expected_receipt,
                position_at_order: o.position_at_order,
            }),
        }
    }
}

/// A pair the plan could not compute (a method that does not fit its history).
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct PlanProblem {
    /// The item.
    pub sku: String,
    /// The site.
    pub site: String,
    /// Why: the error (not thrown) the computation gave.
    pub error: StockbookError,
}

/// A replenishment plan.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct ReplenishmentPlan {
    /// The instant it was made for (ms since the epoch).
    pub as_of: i64,
    /// Its period.
    pub bucket: Bucket,
    /// Rows by (sku, site).
    pub rows: Vec<PlanRow>,
    /// Pairs that could not be planned, by (sku, site).
    pub problems: Vec<PlanProblem>,
}

impl From<core::ReplenishmentPlan> for ReplenishmentPlan {
    fn from(p: core::ReplenishmentPlan) -> Self {
        ReplenishmentPlan {
            as_of: p.as_of,
            bucket: p.bucket.into(),
            rows: p.rows.into_iter().map(Into::into).collect(),
            problems: p
                .problems
                .into_iter()
                .map(|p| PlanProblem {
                    sku: p.sku,
                    site: p.site,
                    error: p.error.into(),
                })
                .collect(),
        }
    }
}
