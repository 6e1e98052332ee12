//! Demand history and the replenishment plan: their options, their records and the
//! `Stockbook` methods that reach them (another `#[napi] impl` block of the class).
//!
//! Both read the log and run on the libuv thread pool. Ledger quantities (demand, on
//! hand, the suggested order's `qty`) are exact decimal text; the plan's statistics (rates,
//! deviations, safety stock, positions) are plain numbers. Options left out take the
//! engine's own defaults.

use napi::bindgen_prelude::{Either, Object, ToNapiValue, TypeName, ValueType};
use napi::{Env, JsValue, sys};
use napi_derive::napi;
use stockbook as sb;
use stockbook::planning as pl;

use crate::book::Stockbook;
use crate::convert::{Refusal, TimeIn, int, opt_int, opt_time, qty_out, time, type_error};
use crate::job::{Later, spawn_with};
use crate::math::{DemandPattern, MethodIn, count_out, method};

// ---- demand history -----------------------------------------------------------------------

/// The length of a period of demand: calendar periods in UTC.
#[napi(string_enum = "snake_case")]
pub enum Bucket {
    /// A calendar day.
    Day,
    /// An ISO week, Monday 00:00 UTC to the next Monday.
    Week,
    /// A calendar month.
    Month,
}

impl From<Bucket> for pl::Bucket {
    fn from(b: Bucket) -> Self {
        match b {
            Bucket::Day => pl::Bucket::Day,
            Bucket::Week => pl::Bucket::Week,
            Bucket::Month => pl::Bucket::Month,
        }
    }
}

impl From<pl::Bucket> for Bucket {
    fn from(b: pl::Bucket) -> Self {
        match b {
            pl::Bucket::Day => Bucket::Day,
            pl::Bucket::Week => Bucket::Week,
            pl::Bucket::Month => Bucket::Month,
        }
    }
}

/// One bucket of demand.
#[napi(object, object_from_js = false)]
pub struct DemandPeriod {
    /// The bucket's first instant (epoch ms, UTC).
    pub start: i64,
    /// Demand in the bucket (never negative).
    pub demand: String,
    /// Stock that came back in the bucket, kept apart from demand.
    pub returns: String,
}

/// The demand of an item at a location (and below), bucket by bucket.
#[napi(object, object_from_js = false)]
pub struct DemandHistory {
    /// The item.
    pub sku: String,
    /// The location whose subtree the demand left.
    pub location: String,
    /// The bucket length.
    pub bucket: Bucket,
    /// Whether ordered demand (backorders included) replaced order shipments.
    pub include_backorders: bool,
    /// The buckets, oldest first: every bucket that meets the range asked for.
    pub periods: Vec<DemandPeriod>,
}

impl From<pl::DemandHistory> for DemandHistory {
    fn from(h: pl::DemandHistory) -> Self {
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
                    demand: qty_out(p.demand),
                    returns: qty_out(p.returns),
                })
                .collect(),
        }
    }
}

// ---- plan options -------------------------------------------------------------------------

/// The plan method without parameters.
#[napi(string_enum = "snake_case")]
pub enum PlanMethodName {
    /// By demand class (Syntetos–Boylan): optimised SES for smooth and erratic demand,
    /// Croston–SBA for intermittent and lumpy demand, zero without demand (the default).
    ByClass,
}

/// `autoForecast` for every pair: candidates scored on a holdout. Far more expensive than
/// `'by_class'`; needs at least 4 periods.
#[napi(object, object_to_js = false)]
pub struct AutoPlanMethod {
    /// Periods per season (1: no seasonality).
    pub season_length: f64,
}

/// A plan method with parameters: exactly one of its fields.
#[napi(object, object_to_js = false)]
pub struct PlanMethodWith {
    /// Choose each pair's method on a holdout.
    pub auto: Option<AutoPlanMethod>,
    /// One forecasting method for every pair.
    #[napi(ts_type = "MethodName | MethodWith")]
    pub fixed: Option<MethodIn>,
}

/// How each pair's demand is forecast: `'by_class'`, `{ auto: { seasonLength } }` or
/// `{ fixed: METHOD }` with a method as `forecast` takes it.
pub type PlanMethodIn = Either<PlanMethodName, PlanMethodWith>;

fn plan_method(m: PlanMethodIn) -> Result<pl::PlanMethod, Refusal> {
    match m {
        Either::A(PlanMethodName::ByClass) => Ok(pl::PlanMethod::ByClass),
        Either::B(w) => match (w.auto, w.fixed) {
            (Some(a), None) => Ok(pl::PlanMethod::Auto {
                season_length: int(a.season_length, "method.auto.seasonLength")?,
            }),
            (None, Some(m)) => Ok(pl::PlanMethod::Fixed(method(m)?)),
            _ => Err(type_error(
                "method",
                "'by_class' or an object with exactly one of auto or fixed",
            )),
        },
    }
}

/// Order the forecast demand of this many periods.
#[napi(object, object_to_js = false)]
pub struct CoverQuantity {
    /// Periods of demand, above zero.
    pub periods: f64,
}

/// Order the economic order quantity for the forecast demand rate.
#[napi(object, object_to_js = false)]
pub struct EoqQuantity {
    /// Fixed cost of one order.
    pub ordering_cost: f64,
    /// Cost of holding one unit for one period.
    pub holding_cost: f64,
}

/// How much to order once the position reaches the reorder point: exactly one of
/// `{ cover: { periods } }` or `{ eoq: { orderingCost, holdingCost } }`.
#[napi(object, object_to_js = false)]
pub struct OrderQuantity {
    /// The forecast demand of some periods.
    pub cover: Option<CoverQuantity>,
    /// The economic order quantity.
    pub eoq: Option<EoqQuantity>,
}

fn order_quantity(q: OrderQuantity) -> Result<pl::OrderQuantity, Refusal> {
    match (q.cover, q.eoq) {
        (Some(c), None) => Ok(pl::OrderQuantity::Cover { periods: c.periods }),
        (None, Some(e)) => Ok(pl::OrderQuantity::Eoq {
            ordering_cost: e.ordering_cost,
            holding_cost: e.holding_cost,
        }),
        _ => Err(type_error(
            "orderQuantity",
            "an object with exactly one of cover or eoq",
        )),
    }
}

/// Planning settings of one item that override the plan's defaults.
#[napi(object, object_to_js = false)]
pub struct ItemPlanning {
    /// The item.
    pub sku: String,
    /// Its supplier (default: the supplier of its latest purchase order).
    pub supplier: Option<String>,
    /// Its lead time in days, instead of the supplier's history.
    pub lead_time_days: Option<f64>,
    /// The standard deviation of that lead time in days (default 0).
    pub lead_time_std_days: Option<f64>,
    /// Its cycle service level.
    pub service_level: Option<f64>,
    /// Its minimum order quantity.
    pub min_order_qty: Option<f64>,
    /// Its pack size.
    pub pack_size: Option<f64>,
}

/// A demand series given to the plan instead of the ledger's history.
#[napi(object, object_to_js = false)]
pub struct DemandSeries {
    /// The item.
    pub sku: String,
    /// The site.
    pub site: String,
    /// Demand per period, oldest first, the last value the last full period before
    /// `asOf`; finite and not negative.
    pub demand: Vec<f64>,
}

/// What a replenishment plan covers and how it decides. Every field is optional; left out,
/// it takes the engine's default.
#[napi(object, object_to_js = false)]
pub struct PlanOptions {
    /// The instant the plan is made for (default: now). The history ends with the last
    /// full bucket before it; orders are dated from it.
    #[napi(ts_type = "Date | number")]
    pub as_of: Option<TimeIn>,
    /// The period of history and forecast (default `'week'`).
    pub bucket: Option<Bucket>,
    /// Buckets of history read from the ledger (default 104).
    pub history_periods: Option<f64>,
    /// Buckets projected ahead (default 13).
    pub horizon_periods: Option<f64>,
    /// The forecasting method (default `'by_class'`).
    #[napi(ts_type = "PlanMethodName | PlanMethodWith")]
    pub method: Option<PlanMethodIn>,
    /// Cycle service level, strictly between 0 and 1 (default 0.95).
    pub service_level: Option<f64>,
    /// Lead time in days for items with neither their own nor a supplier history
    /// (default 7).
    pub lead_time_days: Option<f64>,
    /// How much to order (default: 4 periods of demand).
    pub order_quantity: Option<OrderQuantity>,
    /// Minimum order quantity (default 0).
    pub min_order_qty: Option<f64>,
    /// Pack size: orders are whole packs (default 1).
    pub pack_size: Option<f64>,
    /// Plan on ordered demand, backorders included, instead of shipments.
    pub include_backorders: Option<bool>,
    /// The sites to plan (default: every location of kind `site`, or the top-level
    /// physical locations when there is none).
    pub sites: Option<Vec<String>>,
    /// The items to plan (default: every active item).
    pub skus: Option<Vec<String>>,
    /// Per-item overrides.
    pub items: Option<Vec<ItemPlanning>>,
    /// Demand series to plan on instead of the ledger's history; when given, the plan
    /// covers exactly these pairs.
    pub series: Option<Vec<DemandSeries>>,
}

impl TryFrom<PlanOptions> for pl::PlanOptions {
    type Error = Refusal;
    fn try_from(o: PlanOptions) -> Result<Self, Refusal> {
        let d = pl::PlanOptions::default();
        Ok(pl::PlanOptions {
            as_of: opt_time(o.as_of, "asOf")?,
            bucket: o.bucket.map_or(d.bucket, Into::into),
            history_periods: opt_int(o.history_periods, "historyPeriods")?
                .unwrap_or(d.history_periods),
            horizon_periods: opt_int(o.horizon_periods, "horizonPeriods")?
                .unwrap_or(d.horizon_periods),
            method: o.method.map_or(Ok(d.method), plan_method)?,
            service_level: o.service_level.unwrap_or(d.service_level),
            lead_time_days: o.lead_time_days.unwrap_or(d.lead_time_days),
            order_quantity: o
                .order_quantity
                .map_or(Ok(d.order_quantity), order_quantity)?,
            min_order_qty: o.min_order_qty.unwrap_or(d.min_order_qty),
            pack_size: o.pack_size.unwrap_or(d.pack_size),
            include_backorders: o.include_backorders.unwrap_or(d.include_backorders),
            sites: o.sites.unwrap_or(d.sites),
            skus: o.skus.unwrap_or(d.skus),
            items: o.items.map_or(d.items, |items| {
                items
                    .into_iter()
                    .map(|i| pl::ItemPlanning {
                        sku: i.sku,
                        supplier: i.supplier,
                        lead_time_days: i.lead_time_days,
                        lead_time_std_days: i.lead_time_std_days,
                        service_level: i.service_level,
                        min_order_qty: i.min_order_qty,
                        pack_size: i.pack_size,
                    })
                    .collect()
            }),
            series: o.series.map(|series| {
                series
                    .into_iter()
                    .map(|s| pl::DemandSeries {
                        sku: s.sku,
                        site: s.site,
                        demand: s.demand,
                    })
                    .collect()
            }),
        })
    }
}

// ---- plan records -------------------------------------------------------------------------

/// Where a row's lead time came from.
#[napi(string_enum = "snake_case")]
pub enum LeadTimeSource {
    /// The item's own setting (`items[].leadTimeDays`).
    Item,
    /// The supplier's receipts of this item.
    SupplierItem,
    /// The supplier's receipts of every item.
    Supplier,
    /// The plan's default (`leadTimeDays`).
    Default,
}

impl From<pl::LeadTimeSource> for LeadTimeSource {
    fn from(s: pl::LeadTimeSource) -> Self {
        match s {
            pl::LeadTimeSource::Item => LeadTimeSource::Item,
            pl::LeadTimeSource::SupplierItem => LeadTimeSource::SupplierItem,
            pl::LeadTimeSource::Supplier => LeadTimeSource::Supplier,
            pl::LeadTimeSource::Default => LeadTimeSource::Default,
        }
    }
}

/// An order the plan suggests.
#[napi(object, object_from_js = false)]
pub struct SuggestedOrder {
    /// How much, after the minimum order quantity and pack rounding, as exact decimal text
    /// at the item's precision.
    pub qty: String,
    /// The order-up-to level less the position at the order date, before rounding.
    pub raw_qty: f64,
    /// The horizon period in which the position reaches the reorder point (0: now).
    pub period: u32,
    /// When to order (epoch ms): now if the position is at or below the reorder point
    /// already, else when the projection crosses it.
    pub order_date: i64,
    /// When the order is expected to arrive (epoch ms): the order date plus the lead time.
    pub expected_receipt: i64,
    /// The inventory position at the order date.
    pub position_at_order: f64,
}

/// One item at one site.
#[napi(object, object_from_js = false, use_nullable = true)]
pub struct PlanRow {
    /// The item.
    pub sku: String,
    /// The site.
    pub site: String,
    /// On hand in the site.
    pub on_hand: String,
    /// On open purchase orders delivered into the site.
    pub on_order: String,
    /// Reserved in the site.
    pub reserved: String,
    /// Backordered on open orders shipping from the site.
    pub backordered: String,
    /// Inventory position: on hand + on order − reserved − backordered.
    pub position: f64,
    /// Periods of history the forecast used.
    pub history_periods: u32,
    /// The demand pattern of the history.
    pub pattern: DemandPattern,
    /// The forecasting method used (`'none'` without demand).
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

impl From<pl::PlanRow> for PlanRow {
    fn from(r: pl::PlanRow) -> Self {
        PlanRow {
            sku: r.sku,
            site: r.site,
            on_hand: qty_out(r.on_hand),
            on_order: qty_out(r.on_order),
            reserved: qty_out(r.reserved),
            backordered: qty_out(r.backordered),
            position: r.position,
            history_periods: count_out(r.history_periods),
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
                qty: qty_out(o.qty),
                raw_qty: o.raw_qty,
                period: count_out(o.period),
                order_date: o.order_date,
                expected_receipt: o.expected_receipt,
                position_at_order: o.position_at_order,
            }),
        }
    }
}

/// An engine error inside a record: the same JavaScript error object a refused call
/// rejects with (`lib.js` makes it an instance of its class, like thrown ones).
pub struct EngineError(pub sb::Error);

impl TypeName for EngineError {
    fn type_name() -> &'static str {
        "StockbookError"
    }
    fn value_type() -> ValueType {
        ValueType::Object
    }
}

impl ToNapiValue for EngineError {
    unsafe fn to_napi_value(env: sys::napi_env, val: Self) -> napi::Result<sys::napi_value> {
        let env = Env::from_raw(env);
        let object: Object<'_> = crate::error::build(&env, &val.0)?;
        Ok(object.raw())
    }
}

/// A pair the plan could not compute (a method that does not fit its history).
#[napi(object, object_from_js = false)]
pub struct PlanProblem {
    /// The item.
    pub sku: String,
    /// The site.
    pub site: String,
    /// Why: a `StockbookError` (usually `InvalidParameter`), as a refused call throws it.
    #[napi(
        ts_type = "Error & { readonly code: string; readonly facts: Readonly<Record<string, string>> }"
    )]
    pub error: EngineError,
}

/// A replenishment plan.
#[napi(object, object_from_js = false)]
pub struct ReplenishmentPlan {
    /// The instant it was made for (epoch ms).
    pub as_of: i64,
    /// Its period.
    pub bucket: Bucket,
    /// Rows by (sku, site).
    pub rows: Vec<PlanRow>,
    /// Pairs that could not be planned, by (sku, site).
    pub problems: Vec<PlanProblem>,
}

impl From<pl::ReplenishmentPlan> for ReplenishmentPlan {
    fn from(p: pl::ReplenishmentPlan) -> Self {
        ReplenishmentPlan {
            as_of: p.as_of,
            bucket: p.bucket.into(),
            rows: p.rows.into_iter().map(PlanRow::from).collect(),
            problems: p
                .problems
                .into_iter()
                .map(|x| PlanProblem {
                    sku: x.sku,
                    site: x.site,
                    error: EngineError(x.error),
                })
                .collect(),
        }
    }
}

// ---- methods ------------------------------------------------------------------------------

#[napi]
impl Stockbook {
    /// The demand of `sku` at `location` (and every location below it), bucket by bucket
    /// over every `bucket` that meets `[from, to)`, read from the ledger on the thread pool:
    /// shipments and issues, with returns kept apart. With `includeBackorders`, ordered
    /// demand (backorders included) replaces the shipments of orders. A range that is empty
    /// or spans more than 10,000 buckets is `InvalidParameter` (`parameter: 'to'`).
    #[napi(ts_return_type = "Promise<DemandHistory>")]
    pub fn demand_history(
        &self,
        sku: String,
        location: String,
        bucket: Bucket,
        #[napi(ts_arg_type = "Date | number")] from: TimeIn,
        #[napi(ts_arg_type = "Date | number")] to: TimeIn,
        include_backorders: Option<bool>,
    ) -> napi::Result<Later<DemandHistory>> {
        let book = self.book().clone();
        let range = time(from, "from").and_then(|f| Ok((f, time(to, "to")?)));
        let bucket = pl::Bucket::from(bucket);
        let backorders = include_backorders.unwrap_or(false);
        spawn_with(range, move |(from, to)| {
            book.demand_history(&sku, &location, bucket, from, to, backorders)
                .map(DemandHistory::from)
        })
    }

    /// A replenishment plan for every item × site, on the thread pool: the inventory
    /// position (on hand + on order − reserved − backordered) projected against the
    /// forecast, and an order suggested when it reaches the reorder point (cycle service
    /// level), rounded to the minimum order quantity and the pack size. Every row carries
    /// the figures that explain it.
    ///
    /// Bad options — a service level outside (0, 1), a lead time of zero, a series that is
    /// empty, too short or holds a negative value — are refused as a whole with
    /// `InvalidParameter` naming the parameter; an unknown item or site with `NotFound`. A
    /// pair whose history the chosen method cannot fit is reported in `problems` and the
    /// others are planned.
    #[napi(ts_return_type = "Promise<ReplenishmentPlan>")]
    pub fn replenishment_plan(
        &self,
        options: Option<PlanOptions>,
    ) -> napi::Result<Later<ReplenishmentPlan>> {
        let book = self.book().clone();
        let options = options.map_or_else(|| Ok(pl::PlanOptions::default()), TryInto::try_into);
        spawn_with(options, move |o| {
            book.replenishment_plan(&o).map(ReplenishmentPlan::from)
        })
    }
}
