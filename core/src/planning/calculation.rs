//! Calculations: one definition of every stateless planning function (forecasting, safety
//! stock, order quantities, the cost models), in the form of the contract's commands and
//! queries (`{"op": "eoq", "args": {…}}`), so that every binding derives its planning
//! functions from it as it derives its methods from [`crate::Command`] and
//! [`crate::Query`]. A [`Calculation`] needs no book: `stockbook::calculate` answers one
//! from JSON (in the command layer, beside the other JSON entries), [`Calculation::run`]
//! from its typed form. Each answer is the plain function's.

use serde::{Deserialize, Serialize};

use super::forecast::{
    self, AutoForecast, DemandClass, Forecast, Method, ModelState, StateForecast,
};
use super::policy::{
    self, Demand, DiscountEoq, DiscreteDemand, Eoq, EoqBackorders, EpqBackorders, FillRateFormula,
    GsmSolution, GsmStage, IntervalDemand, InventoryCosts, LeadTime, LotPlan, MinMax, Newsvendor,
    PeriodicReview, PriceBreak, RqPolicy, SafetyStock, SsLevels, SsPolicy,
};
use crate::error::Result;
use crate::warehouse::{self, Layout, PickLocation, Route, Router};

/// Every stateless planning function: one definition, answered by [`Calculation::run`] with
/// the [`CalculationAnswer`] of the same `op`. Each variant calls the function of the same
/// name with its fields; the functions' docs say what they compute and refuse.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(
    tag = "op",
    content = "args",
    rename_all = "snake_case",
    deny_unknown_fields
)]
#[non_exhaustive]
pub enum Calculation {
    /// Point forecasts of the next `horizon` periods of a demand series with one method,
    /// with its fitted values and in-sample accuracy.
    Forecast {
        /// One demand value per period, oldest first (finite, non-negative).
        series: Vec<f64>,
        /// The method and its settings.
        method: Method,
        /// How many periods to forecast (at least 1).
        horizon: usize,
        /// Prediction interval levels in percent, each in `(0, 100)` (default none); a
        /// method without intervals refuses them.
        #[serde(default)]
        levels: Vec<f64>,
    },
    /// The demand pattern of a series, candidate methods chosen by it and scored on a
    /// holdout, and the winner's forecast.
    AutoForecast {
        /// One demand value per period, oldest first.
        series: Vec<f64>,
        /// Periods per season (1: no seasonality).
        season_length: usize,
        /// How many periods to forecast (at least 1).
        horizon: usize,
        /// Prediction interval levels in percent, each in `(0, 100)` (default none);
        /// given when the winner has intervals.
        #[serde(default)]
        levels: Vec<f64>,
    },
    /// A fitted model's state (a forecast's `state`) moved past new observations without
    /// refitting, and the forecast from there.
    UpdateForecast {
        /// The state to start from.
        state: ModelState,
        /// The new demand values, oldest first.
        observations: Vec<f64>,
        /// How many periods to forecast (at least 1).
        horizon: usize,
        /// Prediction interval levels in percent, each in `(0, 100)` (default none).
        #[serde(default)]
        levels: Vec<f64>,
    },
    /// The demand pattern of a series (smooth, erratic, intermittent, lumpy) by the
    /// Syntetos–Boylan ADI/CV² cut-offs.
    Classify {
        /// One demand value per period, oldest first.
        series: Vec<f64>,
    },
    /// Demand over the lead time: its mean and standard deviation.
    LeadTimeDemand {
        /// Demand per period.
        demand: Demand,
        /// The lead time in periods.
        lead_time: LeadTime,
    },
    /// Safety stock for a cycle service level (the probability of no stockout in a cycle).
    SafetyStockCycle {
        /// The cycle service level, strictly between 0 and 1.
        service_level: f64,
        /// Demand per period.
        demand: Demand,
        /// The lead time in periods.
        lead_time: LeadTime,
    },
    /// Safety stock for a fill rate (the share of demand met from stock).
    SafetyStockFillRate {
        /// The fill rate, strictly between 0 and 1.
        fill_rate: f64,
        /// The order quantity the fill rate is measured over.
        order_quantity: f64,
        /// Demand per period.
        demand: Demand,
        /// The lead time in periods.
        lead_time: LeadTime,
        /// The loss-function formula.
        formula: FillRateFormula,
    },
    /// Reorder point: lead-time demand plus safety stock.
    ReorderPoint {
        /// Demand per period.
        demand: Demand,
        /// The lead time in periods.
        lead_time: LeadTime,
        /// The safety stock.
        safety_stock: f64,
    },
    /// A min/max policy: the reorder point for a service level and the order-up-to level
    /// one order quantity above it.
    MinMax {
        /// The cycle service level, strictly between 0 and 1.
        service_level: f64,
        /// Demand per period.
        demand: Demand,
        /// The lead time in periods.
        lead_time: LeadTime,
        /// The order quantity (above zero).
        order_quantity: f64,
    },
    /// A periodic-review order-up-to level over the lead time plus the review period.
    PeriodicReview {
        /// The cycle service level, strictly between 0 and 1.
        service_level: f64,
        /// Demand per period.
        demand: Demand,
        /// The lead time in periods.
        lead_time: LeadTime,
        /// The review period, in periods.
        review_period: f64,
    },
    /// Economic order quantity and its cost per period.
    Eoq {
        /// Cost per order.
        fixed_cost: f64,
        /// Holding cost per unit per period.
        holding_cost: f64,
        /// Demand per period.
        demand_rate: f64,
    },
    /// The EOQ with planned backorders: the order quantity, the share of each cycle in
    /// backorder, and the cost per period.
    EoqWithBackorders {
        /// Cost per order.
        fixed_cost: f64,
        /// Holding cost per unit per period.
        holding_cost: f64,
        /// Backorder cost per unit per period.
        stockout_cost: f64,
        /// Demand per period.
        demand_rate: f64,
    },
    /// The least-cost lot sizes over a horizon of time-varying demand (Wagner–Whitin).
    WagnerWhitin {
        /// Demand per period, first period first (finite, non-negative).
        demand: Vec<f64>,
        /// Setup cost per order.
        fixed_cost: f64,
        /// Holding cost per unit per period.
        holding_cost: f64,
        /// Purchase cost per unit (default 0: it does not change the plan, only its cost).
        #[serde(default)]
        purchase_cost: f64,
    },
    /// Lot sizes by the Silver–Meal heuristic: each order covers periods while the cost per
    /// period covered falls.
    SilverMeal {
        /// Demand per period, first period first (finite, non-negative).
        demand: Vec<f64>,
        /// Setup cost per order.
        fixed_cost: f64,
        /// Holding cost per unit per period.
        holding_cost: f64,
        /// Purchase cost per unit (default 0).
        #[serde(default)]
        purchase_cost: f64,
    },
    /// Economic production quantity (finite production rate) and its cost per period.
    Epq {
        /// Cost per production run.
        fixed_cost: f64,
        /// Holding cost per unit per period.
        holding_cost: f64,
        /// Demand per period.
        demand_rate: f64,
        /// Production per period (above the demand rate).
        production_rate: f64,
    },
    /// An order quantity raised to a minimum and rounded up to whole packs.
    RoundOrderQuantity {
        /// The quantity wanted.
        quantity: f64,
        /// The least order.
        minimum: f64,
        /// The pack size (above zero).
        pack_size: f64,
    },
    /// The standard normal density at `x`.
    NormalPdf {
        /// The point.
        x: f64,
    },
    /// The standard normal distribution function at `x`.
    NormalCdf {
        /// The point.
        x: f64,
    },
    /// The standard normal quantile of `p`.
    NormalQuantile {
        /// The probability, strictly between 0 and 1.
        p: f64,
    },
    /// The standard normal loss function at `k`: E[(Z − k)⁺].
    StandardNormalLoss {
        /// The point.
        k: f64,
    },
    /// The newsvendor's optimal level and expected cost for normal demand.
    NewsvendorNormal {
        /// Cost per unit left over.
        holding_cost: f64,
        /// Cost per unit short.
        stockout_cost: f64,
        /// Demand of the period.
        demand: Demand,
    },
    /// The newsvendor's optimal level and expected cost for Poisson demand.
    NewsvendorPoisson {
        /// Cost per unit left over.
        holding_cost: f64,
        /// Cost per unit short.
        stockout_cost: f64,
        /// Mean demand of the period.
        demand_mean: f64,
    },
    /// The expected cost per period of a periodic-review (s, S) policy for Poisson demand.
    SSCostPoisson {
        /// The reorder point s.
        reorder_point: i64,
        /// The order-up-to level S.
        order_up_to: i64,
        /// The cost rates.
        costs: InventoryCosts,
        /// Mean demand per period.
        demand_mean: f64,
    },
    /// The optimal periodic-review (s, S) policy for Poisson demand (Zheng–Federgruen).
    SSOptimalPoisson {
        /// The cost rates.
        costs: InventoryCosts,
        /// Mean demand per period.
        demand_mean: f64,
    },
    /// The expected cost per period of a continuous-review (r, Q) policy for normal demand.
    RQCost {
        /// The reorder point r.
        reorder_point: f64,
        /// The order quantity Q.
        order_quantity: f64,
        /// The cost rates.
        costs: InventoryCosts,
        /// Demand per period.
        demand: Demand,
        /// The lead time in periods.
        lead_time: f64,
    },
    /// The (r, Q) policy by the expected-inventory-level (EIL) approximation for normal
    /// demand.
    RQEil {
        /// The cost rates.
        costs: InventoryCosts,
        /// Demand per period.
        demand: Demand,
        /// The lead time in periods.
        lead_time: f64,
    },
    /// The optimal continuous-review (r, Q) policy for Poisson demand.
    RQPoisson {
        /// The cost rates.
        costs: InventoryCosts,
        /// Mean demand per period.
        demand_rate: f64,
        /// The lead time in periods.
        lead_time: f64,
    },
    /// The EOQ under all-units quantity discounts: the order quantity, its price break and
    /// the cost per period.
    EoqAllUnitsDiscounts {
        /// Cost per order (0 or more).
        fixed_cost: f64,
        /// Holding cost per period as a share of the unit price (above zero).
        holding_rate: f64,
        /// Demand per period.
        demand_rate: f64,
        /// The price list: the first break at 0, breaks rising.
        price_breaks: Vec<PriceBreak>,
    },
    /// The EOQ under incremental quantity discounts.
    EoqIncrementalDiscounts {
        /// Cost per order (0 or more).
        fixed_cost: f64,
        /// Holding cost per period as a share of the unit price (above zero).
        holding_rate: f64,
        /// Demand per period.
        demand_rate: f64,
        /// The price list: the first break at 0, breaks rising.
        price_breaks: Vec<PriceBreak>,
    },
    /// The EPQ with planned backorders: batch, backorder share, largest backorder and
    /// stock, cost per period.
    EpqWithBackorders {
        /// Cost per production run (0 or more).
        fixed_cost: f64,
        /// Holding cost per unit per period.
        holding_cost: f64,
        /// Backorder cost per unit per period.
        stockout_cost: f64,
        /// Demand per period.
        demand_rate: f64,
        /// Production per period (above the demand rate).
        production_rate: f64,
    },
    /// An (s, S) policy for normal demand by the power approximation.
    SSPowerApproximation {
        /// The cost rates (per period).
        costs: InventoryCosts,
        /// Demand per period.
        demand: Demand,
        /// The lead time in periods (default 0).
        #[serde(default)]
        lead_time: f64,
    },
    /// The (r, Q) policy of the loss-function approximation for normal demand.
    RQLossFunction {
        /// The cost rates (a fixed cost above zero).
        costs: InventoryCosts,
        /// Demand per period.
        demand: Demand,
        /// The lead time in periods.
        lead_time: f64,
    },
    /// The best reorder point for a given order quantity, normal demand.
    RQOptimalRForQ {
        /// The order quantity Q (above zero).
        order_quantity: f64,
        /// Holding cost per unit per period.
        holding_cost: f64,
        /// Backorder cost per unit per period.
        stockout_cost: f64,
        /// Demand per period.
        demand: Demand,
        /// The lead time in periods.
        lead_time: f64,
    },
    /// The exact optimal continuous-review (r, Q) policy for normal demand.
    RQOptimalNormal {
        /// The cost rates.
        costs: InventoryCosts,
        /// Demand per period.
        demand: Demand,
        /// The lead time in periods.
        lead_time: f64,
    },
    /// An (R, S) periodic-review order-up-to level for a fill-rate target.
    PeriodicReviewFillRate {
        /// The fill rate, strictly between 0 and 1.
        fill_rate: f64,
        /// Demand per period.
        demand: Demand,
        /// The lead time in periods.
        lead_time: LeadTime,
        /// The review period, in periods.
        review_period: f64,
        /// The loss-function formula.
        formula: FillRateFormula,
    },
    /// Guaranteed-service base-stock levels of a serial line.
    GsmSerial {
        /// The stages and their links.
        stages: Vec<GsmStage>,
        /// The safety factor z of the demand bound z·σ·√τ, for stages without their own.
        safety_factor: f64,
    },
    /// Guaranteed-service base-stock levels of a tree network.
    GsmTree {
        /// The stages and their links.
        stages: Vec<GsmStage>,
        /// The safety factor z of the demand bound z·σ·√τ, for stages without their own.
        safety_factor: f64,
    },
    /// The newsvendor's level and cost for normal demand with a lead time.
    NewsvendorNormalLeadTime {
        /// Cost per unit left over per period.
        holding_cost: f64,
        /// Cost per unit short per period.
        stockout_cost: f64,
        /// Demand per period.
        demand: Demand,
        /// The lead time in periods.
        lead_time: f64,
    },
    /// The newsvendor's level and cost for a discrete demand (a mass function or a sample).
    NewsvendorDiscrete {
        /// Cost per unit left over.
        holding_cost: f64,
        /// Cost per unit short.
        stockout_cost: f64,
        /// Demand of the period.
        demand: DiscreteDemand,
    },
    /// The route that visits every pick of a list over a warehouse layout, from a depot and
    /// back: the visiting order, the legs and the length.
    PickRoute {
        /// The picking area: aisles, blocks, cross-aisles, depots.
        layout: Layout,
        /// The pick locations (at most 1,000).
        picks: Vec<PickLocation>,
        /// The depot the route starts and ends at, by its number in the layout's depots
        /// (default 0).
        #[serde(default)]
        depot: usize,
        /// The router (default: the optimal one).
        #[serde(default)]
        router: Router,
    },
}

/// The answer to a [`Calculation`]: the `op` it answers and the function's result.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(tag = "op", content = "value", rename_all = "snake_case")]
#[allow(
    clippy::large_enum_variant,
    reason = "an answer is built once and handed over"
)]
#[non_exhaustive]
pub enum CalculationAnswer {
    /// A forecast.
    Forecast(Forecast),
    /// An automatic forecast.
    AutoForecast(AutoForecast),
    /// A forecast from an updated state.
    UpdateForecast(StateForecast),
    /// A demand classification.
    Classify(DemandClass),
    /// Lead-time demand.
    LeadTimeDemand(IntervalDemand),
    /// A safety stock.
    SafetyStockCycle(SafetyStock),
    /// A safety stock.
    SafetyStockFillRate(SafetyStock),
    /// A reorder point.
    ReorderPoint(f64),
    /// A min/max policy.
    MinMax(MinMax),
    /// A periodic-review policy.
    PeriodicReview(PeriodicReview),
    /// An economic order quantity.
    Eoq(Eoq),
    /// The EOQ with planned backorders.
    EoqWithBackorders(EoqBackorders),
    /// The optimal lot sizes.
    WagnerWhitin(LotPlan),
    /// The heuristic lot sizes.
    SilverMeal(LotPlan),
    /// An economic production quantity.
    Epq(Eoq),
    /// The rounded quantity.
    RoundOrderQuantity(f64),
    /// The density.
    NormalPdf(f64),
    /// The probability.
    NormalCdf(f64),
    /// The quantile.
    NormalQuantile(f64),
    /// The loss.
    StandardNormalLoss(f64),
    /// The newsvendor's level and cost.
    NewsvendorNormal(Newsvendor),
    /// The newsvendor's level and cost.
    NewsvendorPoisson(Newsvendor),
    /// The expected cost per period.
    SSCostPoisson(f64),
    /// The optimal (s, S) policy.
    SSOptimalPoisson(SsPolicy),
    /// The expected cost per period.
    RQCost(f64),
    /// The (r, Q) policy.
    RQEil(RqPolicy),
    /// The optimal (r, Q) policy.
    RQPoisson(RqPolicy),
    /// The discounted order quantity.
    EoqAllUnitsDiscounts(DiscountEoq),
    /// The discounted order quantity.
    EoqIncrementalDiscounts(DiscountEoq),
    /// The EPQ with planned backorders.
    EpqWithBackorders(EpqBackorders),
    /// The (s, S) levels.
    SSPowerApproximation(SsLevels),
    /// The (r, Q) policy.
    RQLossFunction(RqPolicy),
    /// The reorder point.
    RQOptimalRForQ(f64),
    /// The optimal (r, Q) policy.
    RQOptimalNormal(RqPolicy),
    /// A periodic-review policy.
    PeriodicReviewFillRate(PeriodicReview),
    /// The service times and base-stock levels.
    GsmSerial(GsmSolution),
    /// The service times and base-stock levels.
    GsmTree(GsmSolution),
    /// The newsvendor's level and cost.
    NewsvendorNormalLeadTime(Newsvendor),
    /// The newsvendor's level and cost.
    NewsvendorDiscrete(Newsvendor),
    /// A pick route.
    PickRoute(Route),
}

impl Calculation {
    /// Runs the function the calculation names with its fields.
    pub fn run(&self) -> Result<CalculationAnswer> {
        use Calculation as C;
        use CalculationAnswer as A;
        Ok(match *self {
            C::Forecast {
                ref series,
                ref method,
                horizon,
                ref levels,
            } => A::Forecast(forecast::forecast_with(series, method, horizon, levels)?),
            C::AutoForecast {
                ref series,
                season_length,
                horizon,
                ref levels,
            } => A::AutoForecast(forecast::auto_forecast_with(
                series,
                season_length,
                horizon,
                levels,
            )?),
            C::UpdateForecast {
                ref state,
                ref observations,
                horizon,
                ref levels,
            } => A::UpdateForecast(forecast::update_forecast(
                state,
                observations,
                horizon,
                levels,
            )?),
            C::Classify { ref series } => A::Classify(forecast::classify(series)?),
            C::LeadTimeDemand { demand, lead_time } => {
                A::LeadTimeDemand(policy::lead_time_demand(demand, lead_time)?)
            }
            C::SafetyStockCycle {
                service_level,
                demand,
                lead_time,
            } => A::SafetyStockCycle(policy::safety_stock_cycle(
                service_level,
                demand,
                lead_time,
            )?),
            C::SafetyStockFillRate {
                fill_rate,
                order_quantity,
                demand,
                lead_time,
                formula,
            } => A::SafetyStockFillRate(policy::safety_stock_fill_rate(
                fill_rate,
                order_quantity,
                demand,
                lead_time,
                formula,
            )?),
            C::ReorderPoint {
                demand,
                lead_time,
                safety_stock,
            } => A::ReorderPoint(policy::reorder_point(demand, lead_time, safety_stock)?),
            C::MinMax {
                service_level,
                demand,
                lead_time,
                order_quantity,
            } => A::MinMax(policy::min_max(
                service_level,
                demand,
                lead_time,
                order_quantity,
            )?),
            C::PeriodicReview {
                service_level,
                demand,
                lead_time,
                review_period,
            } => A::PeriodicReview(policy::periodic_review(
                service_level,
                demand,
                lead_time,
                review_period,
            )?),
            C::Eoq {
                fixed_cost,
                holding_cost,
                demand_rate,
            } => A::Eoq(policy::eoq(fixed_cost, holding_cost, demand_rate)?),
            C::EoqWithBackorders {
                fixed_cost,
                holding_cost,
                stockout_cost,
                demand_rate,
            } => A::EoqWithBackorders(policy::eoq_with_backorders(
                fixed_cost,
                holding_cost,
                stockout_cost,
                demand_rate,
            )?),
            C::WagnerWhitin {
                ref demand,
                fixed_cost,
                holding_cost,
                purchase_cost,
            } => A::WagnerWhitin(policy::wagner_whitin(
                demand,
                fixed_cost,
                holding_cost,
                purchase_cost,
            )?),
            C::SilverMeal {
                ref demand,
                fixed_cost,
                holding_cost,
                purchase_cost,
            } => A::SilverMeal(policy::silver_meal(
                demand,
                fixed_cost,
                holding_cost,
                purchase_cost,
            )?),
            C::Epq {
                fixed_cost,
                holding_cost,
                demand_rate,
                production_rate,
            } => A::Epq(policy::epq(
                fixed_cost,
                holding_cost,
                demand_rate,
                production_rate,
            )?),
            C::RoundOrderQuantity {
                quantity,
                minimum,
                pack_size,
            } => A::RoundOrderQuantity(policy::round_order_quantity(quantity, minimum, pack_size)?),
            C::NormalPdf { x } => A::NormalPdf(policy::normal_pdf(x)),
            C::NormalCdf { x } => A::NormalCdf(policy::normal_cdf(x)),
            C::NormalQuantile { p } => A::NormalQuantile(policy::normal_quantile(p)?),
            C::StandardNormalLoss { k } => A::StandardNormalLoss(policy::standard_normal_loss(k)),
            C::NewsvendorNormal {
                holding_cost,
                stockout_cost,
                demand,
            } => A::NewsvendorNormal(policy::newsvendor_normal(
                holding_cost,
                stockout_cost,
                demand,
            )?),
            C::NewsvendorPoisson {
                holding_cost,
                stockout_cost,
                demand_mean,
            } => A::NewsvendorPoisson(policy::newsvendor_poisson(
                holding_cost,
                stockout_cost,
                demand_mean,
            )?),
            C::SSCostPoisson {
                reorder_point,
                order_up_to,
                costs,
                demand_mean,
            } => A::SSCostPoisson(policy::s_s_cost_poisson(
                reorder_point,
                order_up_to,
                costs,
                demand_mean,
            )?),
            C::SSOptimalPoisson { costs, demand_mean } => {
                A::SSOptimalPoisson(policy::s_s_optimal_poisson(costs, demand_mean)?)
            }
            C::RQCost {
                reorder_point,
                order_quantity,
                costs,
                demand,
                lead_time,
            } => A::RQCost(policy::r_q_cost(
                reorder_point,
                order_quantity,
                costs,
                demand,
                lead_time,
            )?),
            C::RQEil {
                costs,
                demand,
                lead_time,
            } => A::RQEil(policy::r_q_eil(costs, demand, lead_time)?),
            C::RQPoisson {
                costs,
                demand_rate,
                lead_time,
            } => A::RQPoisson(policy::r_q_poisson(costs, demand_rate, lead_time)?),
            C::EoqAllUnitsDiscounts {
                fixed_cost,
                holding_rate,
                demand_rate,
                ref price_breaks,
            } => A::EoqAllUnitsDiscounts(policy::eoq_all_units_discounts(
                fixed_cost,
                holding_rate,
                demand_rate,
                price_breaks,
            )?),
            C::EoqIncrementalDiscounts {
                fixed_cost,
                holding_rate,
                demand_rate,
                ref price_breaks,
            } => A::EoqIncrementalDiscounts(policy::eoq_incremental_discounts(
                fixed_cost,
                holding_rate,
                demand_rate,
                price_breaks,
            )?),
            C::EpqWithBackorders {
                fixed_cost,
                holding_cost,
                stockout_cost,
                demand_rate,
                production_rate,
            } => A::EpqWithBackorders(policy::epq_with_backorders(
                fixed_cost,
                holding_cost,
                stockout_cost,
                demand_rate,
                production_rate,
            )?),
            C::SSPowerApproximation {
                costs,
                demand,
                lead_time,
            } => {
                A::SSPowerApproximation(policy::s_s_power_approximation(costs, demand, lead_time)?)
            }
            C::RQLossFunction {
                costs,
                demand,
                lead_time,
            } => A::RQLossFunction(policy::r_q_loss_function(costs, demand, lead_time)?),
            C::RQOptimalRForQ {
                order_quantity,
                holding_cost,
                stockout_cost,
                demand,
                lead_time,
            } => A::RQOptimalRForQ(policy::r_q_optimal_r_for_q(
                order_quantity,
                holding_cost,
                stockout_cost,
                demand,
                lead_time,
            )?),
            C::RQOptimalNormal {
                costs,
                demand,
                lead_time,
            } => A::RQOptimalNormal(policy::r_q_optimal_normal(costs, demand, lead_time)?),
            C::PeriodicReviewFillRate {
                fill_rate,
                demand,
                lead_time,
                review_period,
                formula,
            } => A::PeriodicReviewFillRate(policy::periodic_review_fill_rate(
                fill_rate,
                demand,
                lead_time,
                review_period,
                formula,
            )?),
            C::GsmSerial {
                ref stages,
                safety_factor,
            } => A::GsmSerial(policy::gsm_serial(stages, safety_factor)?),
            C::GsmTree {
                ref stages,
                safety_factor,
            } => A::GsmTree(policy::gsm_tree(stages, safety_factor)?),
            C::NewsvendorNormalLeadTime {
                holding_cost,
                stockout_cost,
                demand,
                lead_time,
            } => A::NewsvendorNormalLeadTime(policy::newsvendor_normal_lead_time(
                holding_cost,
                stockout_cost,
                demand,
                lead_time,
            )?),
            C::NewsvendorDiscrete {
                holding_cost,
                stockout_cost,
                ref demand,
            } => A::NewsvendorDiscrete(policy::newsvendor_discrete(
                holding_cost,
                stockout_cost,
                demand,
            )?),
            C::PickRoute {
                ref layout,
                ref picks,
                depot,
                router,
            } => A::PickRoute(warehouse::route(layout, picks, depot, router)?),
        })
    }
}
