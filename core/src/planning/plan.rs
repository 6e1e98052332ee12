//! The replenishment plan: for every item × site, the inventory position projected
//! against the forecast, and an order suggested when it reaches the reorder point.
//!
//! For each pair the plan takes the demand history (from the ledger, or given), forecasts
//! it, turns the forecast's rate and one-step error and the lead time into safety stock
//! and a reorder point (cycle service level), and projects the inventory position —
//! on hand + on order − reserved − backordered — period by period. When the position
//! reaches the reorder point, it suggests an order up to the order-up-to level (reorder
//! point plus the order quantity), rounded to the minimum order quantity and the pack
//! size, placed when the position crosses the reorder point and expected a lead time
//! later. Every row carries the figures that explain it.
//!
//! The plan only reads: one short read lock copies the figures it needs from the
//! committed state, the ledger's history is read through MVCC read transactions, and the
//! forecasts run in parallel on rayon's pool afterwards, so writers are never held up by
//! the computation.

pub(crate) mod compute;
pub(crate) mod gather;

use serde::{Deserialize, Serialize};

use super::demand::Bucket;
use super::forecast::{DemandPattern, Interval, Method};
use crate::error::Error;
use crate::model::{Qty, Timestamp};
use crate::setters::setters;

/// How each pair's demand is forecast.
///
/// Serialised as `"by_class"`, `{"auto": {"season_length": 52}}` or `{"fixed": METHOD}`
/// with a [`Method`] as serialised (`{"fixed": "naive"}`).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[serde(rename_all = "snake_case")]
pub enum PlanMethod {
    /// By demand class (Syntetos–Boylan): optimised SES for smooth and erratic demand,
    /// Croston–SBA for intermittent and lumpy demand, zero without demand. Cheap enough
    /// for a plan of every item.
    #[default]
    ByClass,
    /// [`crate::planning::forecast::auto_forecast`]: candidates scored on a holdout. Far
    /// more expensive; needs at least 4 periods.
    Auto {
        /// Periods per season (1: no seasonality).
        season_length: usize,
    },
    /// One method for every pair.
    Fixed(Method),
}

/// How much to order once the position reaches the reorder point.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[serde(rename_all = "snake_case")]
pub enum OrderQuantity {
    /// The forecast demand of this many periods.
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

impl Default for OrderQuantity {
    fn default() -> Self {
        OrderQuantity::Cover { periods: 4.0 }
    }
}

/// Planning settings of one item that override the plan's defaults.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct ItemPlanning {
    /// The item.
    pub sku: String,
    /// Its supplier (default: the supplier of its latest purchase order).
    #[serde(default)]
    pub supplier: Option<String>,
    /// Its lead time in days, instead of the supplier's history (0: same-day delivery).
    #[serde(default)]
    pub lead_time_days: Option<f64>,
    /// The standard deviation of that lead time in days (default 0).
    #[serde(default)]
    pub lead_time_std_days: Option<f64>,
    /// Its cycle service level.
    #[serde(default)]
    pub service_level: Option<f64>,
    /// Its minimum order quantity.
    #[serde(default)]
    pub min_order_qty: Option<f64>,
    /// Its pack size.
    #[serde(default)]
    pub pack_size: Option<f64>,
}

impl ItemPlanning {
    /// No overrides for `sku`.
    pub fn new(sku: impl Into<String>) -> ItemPlanning {
        ItemPlanning {
            sku: sku.into(),
            supplier: None,
            lead_time_days: None,
            lead_time_std_days: None,
            service_level: None,
            min_order_qty: None,
            pack_size: None,
        }
    }
}

setters! {
    ItemPlanning {
        /// Its supplier (default: the supplier of its latest purchase order).
        text supplier,
        /// Its lead time in days, instead of the supplier's history.
        opt(f64) lead_time_days,
        /// The standard deviation of that lead time in days (default 0).
        opt(f64) lead_time_std_days,
        /// Its cycle service level.
        opt(f64) service_level,
        /// Its minimum order quantity.
        opt(f64) min_order_qty,
        /// Its pack size.
        opt(f64) pack_size,
    }
}

/// A demand series given to the plan instead of the ledger's history.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct DemandSeries {
    /// The item.
    pub sku: String,
    /// The site.
    pub site: String,
    /// Demand per period, oldest first, the last value the last full period before
    /// `as_of`; finite and not negative.
    pub demand: Vec<f64>,
}

impl DemandSeries {
    /// A new `DemandSeries` of `sku`, `site`, `demand`; every other field takes its default.
    #[must_use]
    pub fn new(sku: impl Into<String>, site: impl Into<String>, demand: Vec<f64>) -> DemandSeries {
        DemandSeries {
            sku: sku.into(),
            site: site.into(),
            demand,
        }
    }
}

/// What a replenishment plan covers and how it decides.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[serde(default)]
#[non_exhaustive]
pub struct PlanOptions {
    /// The instant the plan is made for (default: now). The history ends with the last
    /// full bucket before it; orders are dated from it.
    #[schemars(with = "Option<crate::model::InstantSchema>")]
    pub as_of: Option<Timestamp>,
    /// The period of history and forecast (default: week).
    pub bucket: Bucket,
    /// Buckets of history read from the ledger (default 104).
    pub history_periods: usize,
    /// Buckets projected ahead (default 13).
    pub horizon_periods: usize,
    /// The forecasting method (default: by demand class).
    pub method: PlanMethod,
    /// Cycle service level, strictly between 0 and 1 (default 0.95).
    pub service_level: f64,
    /// Lead time in days for items with neither their own nor a supplier history
    /// (default 7; 0 is same-day delivery).
    pub lead_time_days: f64,
    /// How much to order (default: 4 periods of demand).
    pub order_quantity: OrderQuantity,
    /// Minimum order quantity (default 0).
    pub min_order_qty: f64,
    /// Pack size: orders are whole packs (default 1).
    pub pack_size: f64,
    /// Plan on ordered demand, backorders included, instead of shipments.
    pub include_backorders: bool,
    /// The sites to plan (default: every location of kind `site`, or the top-level
    /// physical locations when there is none).
    pub sites: Vec<String>,
    /// The items to plan (default: every active item).
    pub skus: Vec<String>,
    /// Per-item overrides.
    pub items: Vec<ItemPlanning>,
    /// Demand series to plan on instead of the ledger's history; when given, the plan
    /// covers exactly these pairs.
    pub series: Option<Vec<DemandSeries>>,
    /// Prediction interval levels in percent, each in `(0, 100)`, that every row carries
    /// over its horizon (default none); rows forecast by a method without intervals
    /// (Croston–SBA for intermittent demand, no demand at all) carry none.
    pub levels: Vec<f64>,
}

impl PlanOptions {
    /// A new `PlanOptions` with every field at its default.
    #[must_use]
    pub fn new() -> PlanOptions {
        Self::default()
    }
}

setters! {
    PlanOptions {
        /// The instant the plan is made for (default: now). The history ends with the last
        /// full bucket before it; orders are dated from it.
        opt(Timestamp) as_of,
        /// The period of history and forecast (default: week).
        set(Bucket) bucket,
        /// Buckets of history read from the ledger (default 104).
        set(usize) history_periods,
        /// Buckets projected ahead (default 13).
        set(usize) horizon_periods,
        /// The forecasting method (default: by demand class).
        set(PlanMethod) method,
        /// Cycle service level, strictly between 0 and 1 (default 0.95).
        set(f64) service_level,
        /// Lead time in days for items with neither their own nor a supplier history
        /// (default 7).
        set(f64) lead_time_days,
        /// How much to order (default: 4 periods of demand).
        set(OrderQuantity) order_quantity,
        /// Minimum order quantity (default 0).
        set(f64) min_order_qty,
        /// Pack size: orders are whole packs (default 1).
        set(f64) pack_size,
        /// Plan on ordered demand, backorders included, instead of shipments.
        set(bool) include_backorders,
        /// The sites to plan (default: every location of kind `site`, or the top-level
        /// physical locations when there is none).
        texts sites,
        /// The items to plan (default: every active item).
        texts skus,
        /// Per-item overrides.
        list(ItemPlanning) items,
        /// Demand series to plan on instead of the ledger's history; when given, the plan
        /// covers exactly these pairs.
        opt_list(DemandSeries) series,
        /// Prediction interval levels in percent, each in `(0, 100)`, that every row
        /// carries over its horizon (default none).
        list(f64) levels,
    }
}

impl Default for PlanOptions {
    fn default() -> Self {
        PlanOptions {
            as_of: None,
            bucket: Bucket::Week,
            history_periods: 104,
            horizon_periods: 13,
            method: PlanMethod::ByClass,
            service_level: 0.95,
            lead_time_days: 7.0,
            order_quantity: OrderQuantity::default(),
            min_order_qty: 0.0,
            pack_size: 1.0,
            include_backorders: false,
            sites: Vec::new(),
            skus: Vec::new(),
            items: Vec::new(),
            series: None,
            levels: Vec::new(),
        }
    }
}

/// Where a row's lead time came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum LeadTimeSource {
    /// The item's own setting ([`ItemPlanning::lead_time_days`]).
    Item,
    /// The supplier's receipts of this item.
    SupplierItem,
    /// The supplier's receipts of every item.
    Supplier,
    /// The plan's default ([`PlanOptions::lead_time_days`]).
    Default,
}

/// An order the plan suggests.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct SuggestedOrder {
    /// How much, after the minimum order quantity and pack rounding, at the item's
    /// precision.
    pub qty: Qty,
    /// The order-up-to level less the position at the order date, before rounding.
    pub raw_qty: f64,
    /// The horizon period in which the position reaches the reorder point (0: now).
    pub period: usize,
    /// When to order: now if the position is at or below the reorder point already,
    /// else when the projection crosses it.
    #[schemars(with = "crate::model::InstantSchema")]
    pub order_date: Timestamp,
    /// When the order is expected to arrive: the order date plus the lead time.
    #[schemars(with = "crate::model::InstantSchema")]
    pub expected_receipt: Timestamp,
    /// The inventory position at the order date.
    pub position_at_order: f64,
}

/// One item at one site.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct PlanRow {
    /// The item.
    pub sku: String,
    /// The site.
    pub site: String,
    /// On hand in the site.
    pub on_hand: Qty,
    /// On open purchase orders delivered into the site.
    pub on_order: Qty,
    /// Reserved in the site.
    pub reserved: Qty,
    /// Backordered on open orders shipping from the site.
    pub backordered: Qty,
    /// Inventory position: on hand + on order − reserved − backordered.
    pub position: f64,
    /// Periods of history the forecast used.
    pub history_periods: usize,
    /// The demand pattern of the history.
    pub pattern: DemandPattern,
    /// The forecasting method used (`none` without demand).
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
    /// Prediction intervals of demand per horizon period, one per level of
    /// [`PlanOptions::levels`], bounds below zero raised to zero as the forecast is; none
    /// when no levels were asked for or the row's method has no intervals.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub intervals: Vec<Interval>,
    /// The suggested order, if the position reaches the reorder point within the horizon.
    pub order: Option<SuggestedOrder>,
}

/// A pair the plan could not compute (a method that does not fit its history).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct PlanProblem {
    /// The item.
    pub sku: String,
    /// The site.
    pub site: String,
    /// Why.
    pub error: Error,
}

/// A replenishment plan.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct ReplenishmentPlan {
    /// The instant it was made for.
    #[schemars(with = "crate::model::InstantSchema")]
    pub as_of: Timestamp,
    /// Its period.
    pub bucket: Bucket,
    /// Rows by (sku, site).
    pub rows: Vec<PlanRow>,
    /// Pairs that could not be planned, by (sku, site).
    pub problems: Vec<PlanProblem>,
}
