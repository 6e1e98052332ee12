//! Planning: the result objects of purchase orders, demand histories and replenishment
//! plans (the engine side, whose methods live on `Stockbook` in [`crate::book`]), and the
//! pure forecasting and policy math as module-level functions.
//!
//! Planning figures are statistics, not ledger quantities: they are `float` in and out.
//! What is stock (on hand, on order, a suggested order's quantity) stays an exact
//! `Decimal`. Every function runs in [`errors::detach`], without the GIL, except the
//! nanosecond-cheap normal distribution functions.

use pyo3::prelude::*;
use stockbook::Error;
use stockbook::planning::forecast::{
    self as fc, Accuracy, AutoForecast, Candidate, DemandClass, Forecast, Method,
};
use stockbook::planning::policy::{
    self, Eoq, FillRateFormula, IntervalDemand, InventoryCosts, MinMax, Newsvendor, PeriodicReview,
    RqPolicy, SafetyStock, SsPolicy,
};
use stockbook::planning::{
    DemandHistory, DemandPeriod, LeadTimeStats, PlanProblem, PlanRow, PurchaseOrder,
    PurchaseOrderLine, PurchaseOrderReceipt, ReplenishmentPlan, SuggestedOrder,
};

use crate::convert::{
    self, Fields, json, name, opt_qty, opt_time, over_receipt_out, parse_name, plain, qty,
    tagged_value, time,
};
use crate::errors;

// ---- purchase orders ----------------------------------------------------------------------

record! {
    /// One line of a purchase order (base units at the item's precision).
    "PurchaseOrderLine" PyPurchaseOrderLine(PurchaseOrderLine) {
        /// Line number, from 1.
        line: plain,
        /// The item.
        sku: plain,
        /// Ordered.
        ordered: qty,
        /// Received so far.
        received: qty,
        /// Agreed cost per base unit, carried to the receipt's movement.
        unit_cost: opt_qty,
        /// ISO 4217 currency of `unit_cost`.
        currency: plain,
    }
}

record! {
    /// One receipt against a purchase order line.
    "PurchaseOrderReceipt" PyPurchaseOrderReceipt(PurchaseOrderReceipt) {
        /// The line.
        line: plain,
        /// How much arrived (base units).
        qty: qty,
        /// Where it was put.
        location: plain,
        /// When it was recorded (engine time): the end of this receipt's lead time.
        received_at: time,
    }
}

record! {
    /// A purchase order: open → partially received → received, or closed (short) or
    /// cancelled.
    "PurchaseOrder" PyPurchaseOrder(PurchaseOrder) {
        /// Its id.
        id: plain,
        /// The supplier's code.
        supplier: plain,
        /// Where it is delivered: receipts go to this location or one below it, and its
        /// stock on order counts for every location above it.
        location: plain,
        /// The lines.
        lines: PyPurchaseOrderLine::wrap_list,
        /// When it was placed: the start of every receipt's lead time.
        ordered_at: time,
        /// When the supplier is expected to deliver.
        expected_at: time,
        /// What a receipt above the ordered quantity gets: `"refuse"` or
        /// `{"allow": {"tolerance_pct": Decimal}}`.
        over_receipt: over_receipt_out,
        /// A line short by at most this percentage of its ordered quantity counts as
        /// complete (0 to 100).
        under_tolerance_pct: qty,
        /// Every receipt, in order.
        receipts: PyPurchaseOrderReceipt::wrap_list,
        /// Where it stands: `open`, `partially_received`, `received`, `closed` or
        /// `cancelled`.
        state: name,
        /// When it was created (engine time).
        created_at: time,
        /// Sequence of its creation.
        created_seq: plain,
        /// When it was closed or cancelled.
        closed_at: opt_time,
    }
}

record! {
    /// Lead times of a supplier (for one item, or all), in days: one observation per
    /// receipt against a purchase order line, from the order's `ordered_at` to the receipt.
    "LeadTimeStats" PyLeadTimeStats(LeadTimeStats) {
        /// The supplier.
        supplier: plain,
        /// The item, when the statistics are for one item.
        sku: plain,
        /// Number of observations.
        count: plain,
        /// Mean lead time in days; `None` without observations.
        mean_days: plain,
        /// Sample standard deviation (n − 1) in days: 0 for one observation, `None`
        /// without.
        std_dev_days: plain,
        /// Shortest lead time in days.
        min_days: plain,
        /// Longest lead time in days.
        max_days: plain,
    }
}

// ---- demand history and the replenishment plan --------------------------------------------

record! {
    /// One bucket of demand.
    "DemandPeriod" PyDemandPeriod(DemandPeriod) {
        /// The bucket's first instant (UTC).
        start: time,
        /// Demand in the bucket (never negative).
        demand: qty,
        /// Stock that came back in the bucket, kept apart from demand.
        returns: qty,
    }
}

record! {
    /// The demand of an item at a location (and below), bucket by bucket.
    "DemandHistory" PyDemandHistory(DemandHistory) {
        /// The item.
        sku: plain,
        /// The location whose subtree the demand left.
        location: plain,
        /// The bucket length: `day`, `week` or `month`.
        bucket: name,
        /// Whether ordered demand (backorders included) replaced order shipments.
        include_backorders: plain,
        /// The buckets, oldest first: every bucket that meets the range asked for.
        periods: PyDemandPeriod::wrap_list,
    }

    /// The demand of each period as floats, oldest first: the input of
    /// `stockbook.forecast`.
    fn series(&self) -> Vec<f64> {
        self.0.series()
    }
}

record! {
    /// An order the replenishment plan suggests.
    "SuggestedOrder" PySuggestedOrder(SuggestedOrder) {
        /// How much, after the minimum order quantity and pack rounding, at the item's
        /// precision.
        qty: qty,
        /// The order-up-to level less the position at the order date, before rounding.
        raw_qty: plain,
        /// The horizon period in which the position reaches the reorder point (0: now).
        period: plain,
        /// When to order: now if the position is at or below the reorder point already,
        /// else when the projection crosses it.
        order_date: time,
        /// When the order is expected to arrive: the order date plus the lead time.
        expected_receipt: time,
        /// The inventory position at the order date.
        position_at_order: plain,
    }
}

record! {
    /// One item at one site of a replenishment plan, with the figures that explain it.
    "PlanRow" PyPlanRow(PlanRow) {
        /// The item.
        sku: plain,
        /// The site.
        site: plain,
        /// On hand in the site.
        on_hand: qty,
        /// On open purchase orders delivered into the site.
        on_order: qty,
        /// Reserved in the site.
        reserved: qty,
        /// Backordered on open orders shipping from the site.
        backordered: qty,
        /// Inventory position: on hand + on order − reserved − backordered.
        position: plain,
        /// Periods of history the forecast used.
        history_periods: plain,
        /// The demand pattern of the history: `smooth`, `erratic`, `intermittent`, `lumpy`
        /// or `no_demand`.
        pattern: name,
        /// The forecasting method used (`none` without demand).
        method: plain,
        /// Forecast demand per period (mean over the horizon).
        demand_rate: plain,
        /// Standard deviation of demand per period (the forecast's one-step error).
        sigma: plain,
        /// The supplier, if known.
        supplier: plain,
        /// Lead time used, in days.
        lead_time_days: plain,
        /// Its standard deviation, in days.
        lead_time_std_days: plain,
        /// Where the lead time came from: `item`, `supplier_item`, `supplier` or `default`.
        lead_time_source: name,
        /// Cycle service level used.
        service_level: plain,
        /// Safety stock.
        safety_stock: plain,
        /// Reorder point: demand over the lead time plus safety stock.
        reorder_point: plain,
        /// Order-up-to level: reorder point plus the order quantity.
        order_up_to: plain,
        /// Inventory position at the end of each horizon period, before any suggested
        /// order.
        projected: plain,
        /// The suggested order, if the position reaches the reorder point within the
        /// horizon.
        order: PySuggestedOrder::wrap_opt,
    }
}

/// A core error as the (unraised) exception object a caller would have caught.
fn error<'py>(py: Python<'py>, err: &Error) -> PyResult<Bound<'py, PyAny>> {
    errors::instance(py, err)
}

record! {
    /// A pair the plan could not compute (a method that does not fit its history).
    "PlanProblem" PyPlanProblem(PlanProblem) {
        /// The item.
        sku: plain,
        /// The site.
        site: plain,
        /// Why: the `StockbookError` (not raised) the computation gave.
        error: error,
    }
}

record! {
    /// A replenishment plan (`Stockbook.replenishment_plan`).
    "ReplenishmentPlan" PyReplenishmentPlan(ReplenishmentPlan) {
        /// The instant it was made for.
        as_of: time,
        /// Its period: `day`, `week` or `month`.
        bucket: name,
        /// Rows by (sku, site).
        rows: PyPlanRow::wrap_list,
        /// Pairs that could not be planned, by (sku, site).
        problems: PyPlanProblem::wrap_list,
    }
}

// ---- forecasting --------------------------------------------------------------------------

record! {
    /// In-sample accuracy of the one-step-ahead fitted values.
    "Accuracy" PyAccuracy(Accuracy) {
        /// Root mean square of the one-step in-sample errors, about zero: the standard
        /// deviation of demand around the forecast that safety stock must cover.
        sigma: plain,
        /// Mean absolute one-step error.
        mae: plain,
        /// Mean absolute scaled error; `None` for a constant series.
        mase: plain,
        /// How many periods have a fitted value and so enter the measures.
        n: plain,
    }
}

record! {
    /// The result of `stockbook.forecast`.
    "Forecast" PyForecast(Forecast) {
        /// The method as asked for, in its JSON form (`"naive"`, `{"ses": {"alpha": 0.3}}`).
        method: json,
        /// Point forecasts for the next `horizon` periods.
        mean: plain,
        /// One-step-ahead in-sample forecasts, one per observation; `None` where the method
        /// has none (the first period, or the first season).
        fitted: plain,
        /// The parameters used, fitted or given, as a dict whose `"kind"` names them
        /// (`none`, `ses`, `ets`, `croston`, `tsb`, `aggregation`).
        params: json,
        /// One-step in-sample error measures.
        accuracy: PyAccuracy::wrap,
    }
}

record! {
    /// The Syntetos–Boylan classification of a demand series.
    "DemandClass" PyDemandClass(DemandClass) {
        /// The pattern: `smooth`, `erratic`, `intermittent`, `lumpy` or `no_demand`.
        pattern: name,
        /// Average inter-demand interval in periods; `None` without demand.
        adi: plain,
        /// Squared coefficient of variation of the positive demand sizes; `None` without
        /// demand.
        cv2: plain,
        /// Number of periods with demand.
        demand_periods: plain,
    }
}

record! {
    /// How one candidate method of `auto_forecast` did on the holdout.
    "Candidate" PyCandidate(Candidate) {
        /// The candidate method, in its JSON form.
        method: json,
        /// Mean absolute error over the holdout.
        mae: plain,
        /// `mae` scaled by the naive method's in-sample error; `None` when that is zero.
        mase: plain,
    }
}

record! {
    /// The result of `stockbook.auto_forecast`.
    "AutoForecast" PyAutoForecast(AutoForecast) {
        /// The demand classification that chose the candidates (`class` in Rust and in
        /// `to_dict()`).
        class_[class]: PyDemandClass::wrap,
        /// Periods held out at the end of the series for scoring.
        holdout: plain,
        /// Every candidate that could be fitted on the training part, in the order tried.
        candidates: PyCandidate::wrap_list,
        /// The winner refitted on the whole series.
        forecast: PyForecast::wrap,
    }
}

/// Forecasts `horizon` periods of `series` (one demand value per period, oldest first;
/// finite and not negative) with `method`: a name (`"naive"`, `"historic_average"`,
/// `"ses_optimized"`, `"holt"`, `"croston_classic"`, `"croston_sba"`,
/// `"croston_optimized"`, `"adida"`, `"imapa"`) or a one-key dict of a name and its
/// settings (`{"ses": {"alpha": 0.3}}`, `{"moving_average": {"window": 4}}`,
/// `{"seasonal_naive": {"season_length": 12}}`, `{"holt": {"damped": True}}`,
/// `{"holt_winters": {"season_length": 12, "seasonality": "additive"}}`,
/// `{"auto_ets": {"season_length": 12}}`, `{"tsb": {"alpha_demand": 0.1,
/// "alpha_probability": 0.1}}`). Numbers follow Nixtla statsforecast.
///
/// Raises `InvalidParameter` for a series that is too short, negative or not finite, and
/// `InvalidArgument` for a method it does not know.
#[pyfunction]
pub fn forecast(
    py: Python<'_>,
    series: Vec<f64>,
    method: &Bound<'_, PyAny>,
    horizon: i128,
) -> PyResult<PyForecast> {
    let method: Method = tagged_value("method", method)?;
    let horizon = convert::int(horizon, "horizon")?;
    errors::detach(py, || fc::forecast(&series, &method, horizon)).map(PyForecast)
}

/// Classifies `series` by demand pattern (Syntetos–Boylan), holds out its last part,
/// scores the candidate methods of that class on it and refits the best (lowest MASE) on
/// the whole series. `season_length` is 1 without seasonality.
#[pyfunction]
pub fn auto_forecast(
    py: Python<'_>,
    series: Vec<f64>,
    season_length: i128,
    horizon: i128,
) -> PyResult<PyAutoForecast> {
    let (season_length, horizon) = (
        convert::int(season_length, "season_length")?,
        convert::int(horizon, "horizon")?,
    );
    errors::detach(py, || fc::auto_forecast(&series, season_length, horizon)).map(PyAutoForecast)
}

/// Classifies a demand series by Syntetos–Boylan (ADI cut-off 1.32, CV² cut-off 0.49).
#[pyfunction]
pub fn classify(py: Python<'_>, series: Vec<f64>) -> PyResult<PyDemandClass> {
    errors::detach(py, || fc::classify(&series)).map(PyDemandClass)
}

// ---- replenishment policies ---------------------------------------------------------------

record! {
    /// Demand over an interval (lead time, or review period plus lead time).
    "IntervalDemand" PyIntervalDemand(IntervalDemand) {
        /// Mean demand over the interval.
        mean: plain,
        /// Its standard deviation.
        std_dev: plain,
    }
}

record! {
    /// A safety stock and the reorder point it gives.
    "SafetyStock" PySafetyStock(SafetyStock) {
        /// Safety factor: safety stock in standard deviations of lead-time demand
        /// (negative when a fill-rate target is met by the order quantity alone).
        k: plain,
        /// Safety stock, `k × lead_time_demand.std_dev` (not clamped at zero).
        safety_stock: plain,
        /// Reorder point, `lead_time_demand.mean + safety_stock`.
        reorder_point: plain,
        /// Demand over the lead time.
        lead_time_demand: PyIntervalDemand::wrap,
    }
}

record! {
    /// A min/max policy: order up to `max` when the inventory position falls to `min`.
    "MinMax" PyMinMax(MinMax) {
        /// The reorder point.
        min: plain,
        /// The order-up-to level, `min` plus the order quantity.
        max: plain,
        /// The safety stock inside `min`.
        safety_stock: PySafetyStock::wrap,
    }
}

record! {
    /// An (R, S) periodic-review policy: every R periods, order up to S.
    "PeriodicReview" PyPeriodicReview(PeriodicReview) {
        /// The order-up-to level S.
        order_up_to: plain,
        /// Safety factor.
        k: plain,
        /// Safety stock, `k × protection_demand.std_dev`.
        safety_stock: plain,
        /// Demand over the protection interval, review period plus lead time.
        protection_demand: PyIntervalDemand::wrap,
    }
}

record! {
    /// An order quantity and its cost per unit of the demand rate's time.
    "Eoq" PyEoq(Eoq) {
        /// The economic quantity.
        quantity: plain,
        /// Ordering plus holding cost per unit time at that quantity.
        cost: plain,
    }
}

// The policy functions take `demand` as `(mean, std_dev)` per period (or a mapping with
// those keys) and `lead_time` in the same periods: a number (fixed), or `(mean, std_dev)`.

/// Demand over a lead time of random length: mean d·L and standard deviation
/// √(L·σ_d² + d²·σ_L²).
#[pyfunction]
pub fn lead_time_demand(
    py: Python<'_>,
    demand: &Bound<'_, PyAny>,
    lead_time: &Bound<'_, PyAny>,
) -> PyResult<PyIntervalDemand> {
    let (d, l) = (convert::demand(demand)?, convert::lead_time(lead_time)?);
    errors::detach(py, || policy::lead_time_demand(d, l)).map(PyIntervalDemand)
}

/// Safety stock and reorder point for a cycle service level (P1, the probability of no
/// stockout in a replenishment cycle): k = Φ⁻¹(P1).
#[pyfunction]
pub fn safety_stock_cycle(
    py: Python<'_>,
    service_level: f64,
    demand: &Bound<'_, PyAny>,
    lead_time: &Bound<'_, PyAny>,
) -> PyResult<PySafetyStock> {
    let (d, l) = (convert::demand(demand)?, convert::lead_time(lead_time)?);
    errors::detach(py, || policy::safety_stock_cycle(service_level, d, l)).map(PySafetyStock)
}

/// Safety stock and reorder point of an (s, Q) policy for a fill-rate target (P2, the
/// fraction of demand met from stock). `formula` is `"approximate"` (Silver, Pyke &
/// Peterson's G(k) = Q(1 − P2)/σ_L) or `"exact"` (Axsäter's backorder expression). A
/// large order quantity can meet the target alone: k and the safety stock are then
/// negative, and returned as they are.
#[pyfunction]
pub fn safety_stock_fill_rate(
    py: Python<'_>,
    fill_rate: f64,
    order_quantity: f64,
    demand: &Bound<'_, PyAny>,
    lead_time: &Bound<'_, PyAny>,
    formula: &str,
) -> PyResult<PySafetyStock> {
    let (d, l) = (convert::demand(demand)?, convert::lead_time(lead_time)?);
    let formula: FillRateFormula = parse_name("formula", formula)?;
    errors::detach(py, || {
        policy::safety_stock_fill_rate(fill_rate, order_quantity, d, l, formula)
    })
    .map(PySafetyStock)
}

/// Reorder point for a given safety stock: mean lead-time demand plus safety stock.
#[pyfunction]
pub fn reorder_point(
    py: Python<'_>,
    demand: &Bound<'_, PyAny>,
    lead_time: &Bound<'_, PyAny>,
    safety_stock: f64,
) -> PyResult<f64> {
    let (d, l) = (convert::demand(demand)?, convert::lead_time(lead_time)?);
    errors::detach(py, || policy::reorder_point(d, l, safety_stock))
}

/// Min/max levels for a cycle service level: min is the reorder point, max is min plus
/// the order quantity (typically the `eoq`).
#[pyfunction]
pub fn min_max(
    py: Python<'_>,
    service_level: f64,
    demand: &Bound<'_, PyAny>,
    lead_time: &Bound<'_, PyAny>,
    order_quantity: f64,
) -> PyResult<PyMinMax> {
    let (d, l) = (convert::demand(demand)?, convert::lead_time(lead_time)?);
    errors::detach(py, || policy::min_max(service_level, d, l, order_quantity)).map(PyMinMax)
}

/// An (R, S) periodic-review policy for a cycle service level: stock must cover the
/// review period plus the lead time.
#[pyfunction]
pub fn periodic_review(
    py: Python<'_>,
    service_level: f64,
    demand: &Bound<'_, PyAny>,
    lead_time: &Bound<'_, PyAny>,
    review_period: f64,
) -> PyResult<PyPeriodicReview> {
    let (d, l) = (convert::demand(demand)?, convert::lead_time(lead_time)?);
    errors::detach(py, || {
        policy::periodic_review(service_level, d, l, review_period)
    })
    .map(PyPeriodicReview)
}

/// The economic order quantity √(2Kλ/h) and its cost √(2Kλh), for a fixed cost per order
/// K, a holding cost per unit per unit time h and a demand rate λ.
#[pyfunction]
pub fn eoq(
    py: Python<'_>,
    fixed_cost: f64,
    holding_cost: f64,
    demand_rate: f64,
) -> PyResult<PyEoq> {
    errors::detach(py, || policy::eoq(fixed_cost, holding_cost, demand_rate)).map(PyEoq)
}

/// The economic production quantity: the EOQ when the batch arrives at a finite
/// production rate μ above the demand rate λ.
#[pyfunction]
pub fn epq(
    py: Python<'_>,
    fixed_cost: f64,
    holding_cost: f64,
    demand_rate: f64,
    production_rate: f64,
) -> PyResult<PyEoq> {
    errors::detach(py, || {
        policy::epq(fixed_cost, holding_cost, demand_rate, production_rate)
    })
    .map(PyEoq)
}

/// Rounds an order quantity to what a supplier accepts: nothing stays nothing; anything
/// else is raised to the minimum order quantity, then up to a whole number of packs (a
/// quantity within 1e-9 of a whole number of packs counts as that number).
#[pyfunction]
pub fn round_order_quantity(
    py: Python<'_>,
    quantity: f64,
    minimum: f64,
    pack_size: f64,
) -> PyResult<f64> {
    errors::detach(py, || {
        policy::round_order_quantity(quantity, minimum, pack_size)
    })
}

// ---- the standard normal distribution -----------------------------------------------------
//
// A few nanoseconds each: they keep the GIL (releasing and re-taking it would cost more
// than the call).

/// The standard normal density φ(x).
#[pyfunction]
pub fn normal_pdf(x: f64) -> f64 {
    policy::normal_pdf(x)
}

/// The standard normal distribution function Φ(x).
#[pyfunction]
pub fn normal_cdf(x: f64) -> f64 {
    policy::normal_cdf(x)
}

/// The standard normal quantile Φ⁻¹(p), for `p` strictly between 0 and 1.
#[pyfunction]
pub fn normal_quantile(py: Python<'_>, p: f64) -> PyResult<f64> {
    policy::normal_quantile(p).map_err(|e| errors::to_py(py, &e))
}

/// The standard normal loss function G(k) = E[(Z − k)⁺] = φ(k) − k(1 − Φ(k)): the
/// expected shortage per unit of standard deviation when the safety factor is k.
#[pyfunction]
pub fn standard_normal_loss(k: f64) -> f64 {
    policy::standard_normal_loss(k)
}

// ---- cost models: newsvendor, (s, S), (r, Q) ----------------------------------------------

record! {
    /// A newsvendor (base-stock) solution.
    "Newsvendor" PyNewsvendor(Newsvendor) {
        /// The optimal stock level S*.
        level: plain,
        /// Expected holding plus stockout cost at S*.
        cost: plain,
    }
}

record! {
    /// An (s, S) policy and its expected cost per period.
    "SsPolicy" PySsPolicy(SsPolicy) {
        /// Reorder point s: order when the inventory position is at or below it.
        reorder_point: plain,
        /// Order-up-to level S.
        order_up_to: plain,
        /// Expected cost per period.
        cost: plain,
    }
}

record! {
    /// An (r, Q) policy and its expected cost per unit time.
    "RqPolicy" PyRqPolicy(RqPolicy) {
        /// Reorder point r.
        reorder_point: plain,
        /// Order quantity Q.
        order_quantity: plain,
        /// Expected cost per unit time.
        cost: plain,
    }
}

/// The cost rates of a model: `(holding, stockout, fixed)` or a mapping with those keys.
fn costs(obj: &Bound<'_, PyAny>) -> PyResult<InventoryCosts> {
    let f = Fields::of(obj, &["holding", "stockout", "fixed"], "costs")?;
    Ok(InventoryCosts {
        holding: f.req("holding")?,
        stockout: f.req("stockout")?,
        fixed: f.req("fixed")?,
    })
}

/// Newsvendor with normal demand: S* = μ + σΦ⁻¹(p/(p + h)), cost (h + p)σφ(Φ⁻¹(p/(p + h))).
#[pyfunction]
pub fn newsvendor_normal(
    py: Python<'_>,
    holding_cost: f64,
    stockout_cost: f64,
    demand: &Bound<'_, PyAny>,
) -> PyResult<PyNewsvendor> {
    let d = convert::demand(demand)?;
    errors::detach(py, || {
        policy::newsvendor_normal(holding_cost, stockout_cost, d)
    })
    .map(PyNewsvendor)
}

/// Newsvendor with Poisson demand of mean λ: the smallest S with F(S) ≥ p/(p + h), and the
/// expected cost h·E[(S − D)⁺] + p·E[(D − S)⁺] there.
#[pyfunction]
pub fn newsvendor_poisson(
    py: Python<'_>,
    holding_cost: f64,
    stockout_cost: f64,
    demand_mean: f64,
) -> PyResult<PyNewsvendor> {
    errors::detach(py, || {
        policy::newsvendor_poisson(holding_cost, stockout_cost, demand_mean)
    })
    .map(PyNewsvendor)
}

/// Expected cost per period of a periodic-review (s, S) policy with Poisson demand of mean
/// `demand_mean` per period and no lead time (Zheng & Federgruen's renewal expression);
/// `order_up_to` must exceed `reorder_point`, both whole units.
#[pyfunction]
pub fn s_s_cost_poisson(
    py: Python<'_>,
    reorder_point: i128,
    order_up_to: i128,
    costs: &Bound<'_, PyAny>,
    demand_mean: f64,
) -> PyResult<f64> {
    let (s, big_s) = (
        convert::int(reorder_point, "reorder_point")?,
        convert::int(order_up_to, "order_up_to")?,
    );
    let c = self::costs(costs)?;
    errors::detach(py, || policy::s_s_cost_poisson(s, big_s, c, demand_mean))
}

/// The optimal (s, S) policy for Poisson demand per period, by Zheng & Federgruen's exact
/// search (1991).
#[pyfunction]
pub fn s_s_optimal_poisson(
    py: Python<'_>,
    costs: &Bound<'_, PyAny>,
    demand_mean: f64,
) -> PyResult<PySsPolicy> {
    let c = self::costs(costs)?;
    errors::detach(py, || policy::s_s_optimal_poisson(c, demand_mean)).map(PySsPolicy)
}

/// Expected cost per unit time of a continuous-review (r, Q) policy with normal demand
/// (closed form through the second-order loss function). `demand` is per unit time,
/// `lead_time` in the same unit.
#[pyfunction]
pub fn r_q_cost(
    py: Python<'_>,
    reorder_point: f64,
    order_quantity: f64,
    costs: &Bound<'_, PyAny>,
    demand: &Bound<'_, PyAny>,
    lead_time: f64,
) -> PyResult<f64> {
    let (c, d) = (self::costs(costs)?, convert::demand(demand)?);
    errors::detach(py, || {
        policy::r_q_cost(reorder_point, order_quantity, c, d, lead_time)
    })
}

/// The (r, Q) policy of the expected-inventory-level approximation: alternate
/// r = μ + σΦ⁻¹(1 − Qh/(pλ)) and Q = √(2λ(K + p·n(r))/h) from the EOQ until both move less
/// than 1e-6. The cost is the approximation's own.
#[pyfunction]
pub fn r_q_eil(
    py: Python<'_>,
    costs: &Bound<'_, PyAny>,
    demand: &Bound<'_, PyAny>,
    lead_time: f64,
) -> PyResult<PyRqPolicy> {
    let (c, d) = (self::costs(costs)?, convert::demand(demand)?);
    errors::detach(py, || policy::r_q_eil(c, d, lead_time)).map(PyRqPolicy)
}

/// The optimal integer (r, Q) policy with Poisson demand of rate λ and lead time L
/// (Federgruen & Zheng 1992).
#[pyfunction]
pub fn r_q_poisson(
    py: Python<'_>,
    costs: &Bound<'_, PyAny>,
    demand_rate: f64,
    lead_time: f64,
) -> PyResult<PyRqPolicy> {
    let c = self::costs(costs)?;
    errors::detach(py, || policy::r_q_poisson(c, demand_rate, lead_time)).map(PyRqPolicy)
}

/// Adds the planning functions and result classes.
pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(forecast, m)?)?;
    m.add_function(wrap_pyfunction!(auto_forecast, m)?)?;
    m.add_function(wrap_pyfunction!(classify, m)?)?;
    m.add_function(wrap_pyfunction!(lead_time_demand, m)?)?;
    m.add_function(wrap_pyfunction!(safety_stock_cycle, m)?)?;
    m.add_function(wrap_pyfunction!(safety_stock_fill_rate, m)?)?;
    m.add_function(wrap_pyfunction!(reorder_point, m)?)?;
    m.add_function(wrap_pyfunction!(min_max, m)?)?;
    m.add_function(wrap_pyfunction!(periodic_review, m)?)?;
    m.add_function(wrap_pyfunction!(eoq, m)?)?;
    m.add_function(wrap_pyfunction!(epq, m)?)?;
    m.add_function(wrap_pyfunction!(round_order_quantity, m)?)?;
    m.add_function(wrap_pyfunction!(normal_pdf, m)?)?;
    m.add_function(wrap_pyfunction!(normal_cdf, m)?)?;
    m.add_function(wrap_pyfunction!(normal_quantile, m)?)?;
    m.add_function(wrap_pyfunction!(standard_normal_loss, m)?)?;
    m.add_function(wrap_pyfunction!(newsvendor_normal, m)?)?;
    m.add_function(wrap_pyfunction!(newsvendor_poisson, m)?)?;
    m.add_function(wrap_pyfunction!(s_s_cost_poisson, m)?)?;
    m.add_function(wrap_pyfunction!(s_s_optimal_poisson, m)?)?;
    m.add_function(wrap_pyfunction!(r_q_cost, m)?)?;
    m.add_function(wrap_pyfunction!(r_q_eil, m)?)?;
    m.add_function(wrap_pyfunction!(r_q_poisson, m)?)?;
    m.add_class::<PyPurchaseOrderLine>()?;
    m.add_class::<PyPurchaseOrderReceipt>()?;
    m.add_class::<PyPurchaseOrder>()?;
    m.add_class::<PyLeadTimeStats>()?;
    m.add_class::<PyDemandPeriod>()?;
    m.add_class::<PyDemandHistory>()?;
    m.add_class::<PySuggestedOrder>()?;
    m.add_class::<PyPlanRow>()?;
    m.add_class::<PyPlanProblem>()?;
    m.add_class::<PyReplenishmentPlan>()?;
    m.add_class::<PyAccuracy>()?;
    m.add_class::<PyForecast>()?;
    m.add_class::<PyDemandClass>()?;
    m.add_class::<PyCandidate>()?;
    m.add_class::<PyAutoForecast>()?;
    m.add_class::<PyIntervalDemand>()?;
    m.add_class::<PySafetyStock>()?;
    m.add_class::<PyMinMax>()?;
    m.add_class::<PyPeriodicReview>()?;
    m.add_class::<PyEoq>()?;
    m.add_class::<PyNewsvendor>()?;
    m.add_class::<PySsPolicy>()?;
    m.add_class::<PyRqPolicy>()?;
    Ok(())
}
