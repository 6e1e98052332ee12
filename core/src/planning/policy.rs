//! Replenishment policies: safety stock, reorder points, order quantities.
//!
//! Owns the closed-form inventory rules (Silver, Pyke & Peterson ch. 7; Axsäter ch. 5;
//! Snyder & Shen, *Fundamentals of Supply Chain Theory*): safety stock for a cycle
//! service level or a fill rate, with demand and lead-time variability combined; reorder
//! point; min/max; (R, S) periodic review for a cycle service level or a fill rate; EOQ and
//! EPQ, with planned backorders and under quantity discounts; dynamic lot sizing;
//! minimum-order and pack-size rounding; the textbook cost models behind them (newsvendor
//! for normal, Poisson and discrete demand, (s, S), (r, Q) exact and approximate); and
//! multi-echelon base-stock levels by the guaranteed-service model.
//!
//! A fixed cost of zero and a lead time of zero are inputs like any other where the model
//! has an answer for them (the EOQ is then 0, a base-stock policy; lead-time demand is
//! nothing); each function's doc says what it gives, and which approximations need a
//! fixed cost.
//!
//! Quantities are in units of stock and times in periods of the caller's choosing; the
//! only requirement is that a demand rate and a lead time use the same period (daily
//! demand with a lead time in days, yearly demand with a lead time in years). The
//! per-period demand standard deviation is typically a forecast's
//! [`Accuracy::sigma`](crate::planning::forecast::Accuracy::sigma).

mod costs;
mod discounts;
mod lot_sizing;
mod multi_echelon;
mod newsvendor;
mod normal;
mod rq_normal;

use serde::{Deserialize, Serialize};

use super::check;
use crate::error::{Error, Result};

impl Demand {
    /// Demand of mean `mean` and standard deviation `std_dev` per period.
    #[must_use]
    pub fn new(mean: f64, std_dev: f64) -> Demand {
        Demand { mean, std_dev }
    }
}

impl InventoryCosts {
    /// Holding, stockout and fixed cost rates.
    #[must_use]
    pub fn new(holding: f64, stockout: f64, fixed: f64) -> InventoryCosts {
        InventoryCosts {
            holding,
            stockout,
            fixed,
        }
    }
}

pub use costs::{
    InventoryCosts, Newsvendor, RqPolicy, SsLevels, SsPolicy, newsvendor_normal,
    newsvendor_poisson, r_q_cost, r_q_eil, r_q_poisson, s_s_cost_poisson, s_s_optimal_poisson,
    s_s_power_approximation,
};
pub use discounts::{
    DiscountEoq, PRICE_BREAKS_MAX, PriceBreak, eoq_all_units_discounts, eoq_incremental_discounts,
};
pub use lot_sizing::{
    EoqBackorders, EpqBackorders, LotPlan, eoq_with_backorders, epq_with_backorders, silver_meal,
    wagner_whitin,
};
pub use multi_echelon::{
    GSM_REPLENISHMENT_TIME_MAX, GSM_STAGES_MAX, GsmSolution, GsmStage, GsmStageResult, gsm_serial,
    gsm_tree,
};
pub use newsvendor::{
    DISCRETE_VALUES_MAX, DiscreteDemand, newsvendor_discrete, newsvendor_normal_lead_time,
};
pub use normal::{normal_cdf, normal_pdf, normal_quantile, standard_normal_loss};
pub use rq_normal::{r_q_loss_function, r_q_optimal_normal, r_q_optimal_r_for_q};

/// Demand per period.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Demand {
    /// Mean demand per period.
    pub mean: f64,
    /// Standard deviation of demand per period (a forecast's one-step `sigma`).
    pub std_dev: f64,
}

/// Replenishment lead time in periods.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct LeadTime {
    /// Mean lead time; zero (same-day delivery) or more.
    pub mean: f64,
    /// Standard deviation of the lead time; zero (the default) for a fixed lead time.
    #[serde(default)]
    pub std_dev: f64,
}

impl LeadTime {
    /// A lead time of mean `mean` and standard deviation `std_dev` periods.
    #[must_use]
    pub fn new(mean: f64, std_dev: f64) -> Self {
        LeadTime { mean, std_dev }
    }

    /// A lead time without variability.
    pub fn fixed(periods: f64) -> Self {
        LeadTime {
            mean: periods,
            std_dev: 0.0,
        }
    }
}

/// Demand over an interval (lead time, or review period plus lead time).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct IntervalDemand {
    /// Mean demand over the interval.
    pub mean: f64,
    /// Its standard deviation.
    pub std_dev: f64,
}

/// A safety stock and the reorder point it gives.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct SafetyStock {
    /// Safety factor: safety stock in standard deviations of lead-time demand. Negative
    /// when a fill-rate target is met by the order quantity alone.
    pub k: f64,
    /// Safety stock, `k × lead_time_demand.std_dev`; negative with a negative `k` (not
    /// clamped: clamping would overshoot the target).
    pub safety_stock: f64,
    /// Reorder point, `lead_time_demand.mean + safety_stock`.
    pub reorder_point: f64,
    /// Demand over the lead time.
    pub lead_time_demand: IntervalDemand,
}

/// How a fill-rate (P2, the fraction of demand met from stock) target becomes a safety
/// factor for a continuous-review (s, Q) policy.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum FillRateFormula {
    /// Silver, Pyke & Peterson's rule G(k) = Q(1 − P2)/σ_L: counts the shortage of every
    /// cycle from zero, which overstates it (slightly) for small Q/σ_L.
    Approximate,
    /// The exact backorder expression 1 − σ_L[G(k) − G(k + Q/σ_L)]/Q = P2 (Axsäter).
    Exact,
}

/// An order quantity and its yearly (per unit of the demand rate's time) cost.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Eoq {
    /// The economic quantity.
    pub quantity: f64,
    /// Ordering plus holding cost per unit time at that quantity.
    pub cost: f64,
}

/// A min/max policy: order up to `max` when the inventory position falls to `min`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct MinMax {
    /// The reorder point.
    pub min: f64,
    /// The order-up-to level, `min` plus the order quantity.
    pub max: f64,
    /// The safety stock inside `min`.
    pub safety_stock: SafetyStock,
}

/// An (R, S) periodic-review policy: every R periods, order up to S.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct PeriodicReview {
    /// The order-up-to level S.
    pub order_up_to: f64,
    /// Safety factor.
    pub k: f64,
    /// Safety stock, `k × protection_demand.std_dev`.
    pub safety_stock: f64,
    /// Demand over the protection interval, review period plus lead time.
    pub protection_demand: IntervalDemand,
}

/// Demand over a lead time of random length: mean d·L and standard deviation
/// √(L·σ_d² + d²·σ_L²) (the variance of a random sum of independent periods).
pub fn lead_time_demand(demand: Demand, lead_time: LeadTime) -> Result<IntervalDemand> {
    check_demand(demand)?;
    check_lead_time(lead_time)?;
    Ok(interval_demand(demand, lead_time.mean, lead_time.std_dev))
}

/// Safety stock and reorder point for a cycle service level (P1, the probability of no
/// stockout in a replenishment cycle): k = Φ⁻¹(P1).
pub fn safety_stock_cycle(
    service_level: f64,
    demand: Demand,
    lead_time: LeadTime,
) -> Result<SafetyStock> {
    check::open_unit("service_level", service_level)?;
    let ltd = lead_time_demand(demand, lead_time)?;
    Ok(safety_stock_from_k(normal::quantile(service_level), ltd))
}

/// Safety stock and reorder point of an (s, Q) policy for a fill-rate target (P2).
///
/// Solves for k by bisection on the standard normal loss function. A large order
/// quantity can meet the target with stock to spare, which gives a negative k and a
/// negative safety stock: that is the answer, and it is returned as is.
pub fn safety_stock_fill_rate(
    fill_rate: f64,
    order_quantity: f64,
    demand: Demand,
    lead_time: LeadTime,
    formula: FillRateFormula,
) -> Result<SafetyStock> {
    check::open_unit("fill_rate", fill_rate)?;
    check::positive("order_quantity", order_quantity)?;
    let ltd = lead_time_demand(demand, lead_time)?;
    if ltd.std_dev == 0.0 {
        // No uncertainty: every unit is met from stock without safety stock.
        return Ok(safety_stock_from_k(0.0, ltd));
    }
    let sigma = ltd.std_dev;
    let shortage = (1.0 - fill_rate) * order_quantity / sigma;
    let k = match formula {
        FillRateFormula::Approximate => solve_decreasing(|k| standard_normal_loss(k) - shortage),
        FillRateFormula::Exact => {
            let q = order_quantity / sigma;
            solve_decreasing(|k| standard_normal_loss(k) - standard_normal_loss(k + q) - shortage)
        }
    };
    Ok(safety_stock_from_k(k, ltd))
}

/// Reorder point for a given safety stock: mean lead-time demand plus safety stock.
pub fn reorder_point(demand: Demand, lead_time: LeadTime, safety_stock: f64) -> Result<f64> {
    check::finite("safety_stock", safety_stock)?;
    Ok(lead_time_demand(demand, lead_time)?.mean + safety_stock)
}

/// Min/max levels for a cycle service level: min is the reorder point, max is min plus
/// the order quantity (typically the [`eoq`]).
pub fn min_max(
    service_level: f64,
    demand: Demand,
    lead_time: LeadTime,
    order_quantity: f64,
) -> Result<MinMax> {
    check::positive("order_quantity", order_quantity)?;
    let ss = safety_stock_cycle(service_level, demand, lead_time)?;
    Ok(MinMax {
        min: ss.reorder_point,
        max: ss.reorder_point + order_quantity,
        safety_stock: ss,
    })
}

/// An (R, S) periodic-review policy for a cycle service level: stock must cover the
/// review period plus the lead time, so S = d(R + L) + k·√((R + L)σ_d² + d²σ_L²).
pub fn periodic_review(
    service_level: f64,
    demand: Demand,
    lead_time: LeadTime,
    review_period: f64,
) -> Result<PeriodicReview> {
    check::open_unit("service_level", service_level)?;
    check_demand(demand)?;
    check_lead_time(lead_time)?;
    check::positive("review_period", review_period)?;
    let protection = interval_demand(demand, review_period + lead_time.mean, lead_time.std_dev);
    let k = normal::quantile(service_level);
    let safety_stock = k * protection.std_dev;
    Ok(PeriodicReview {
        order_up_to: protection.mean + safety_stock,
        k,
        safety_stock,
        protection_demand: protection,
    })
}

/// An (R, S) periodic-review policy for a fill-rate target P2 (the share of demand met
/// from stock): every R periods order up to S, where S leaves an expected shortage per
/// review cycle of `(1 − P2)·d·R`, the demand of a cycle not met.
///
/// The shortage of a cycle is what demand over the review period plus the lead time
/// takes below S. [`FillRateFormula::Approximate`] counts all of it,
/// `σ_{R+L}·G(k) = (1 − P2)dR` (Silver, Pyke & Peterson ch. 7's rule for the (R, S)
/// system); [`FillRateFormula::Exact`] subtracts the part already short when the cycle's
/// order was placed, which an earlier cycle counted:
/// `E[(D_{R+L} − S)⁺] − E[(D_L − S)⁺] = (1 − P2)dR`. A lead time of zero makes the two
/// equal. stockpyl has no (R, S) fill-rate model; the tests check the achieved fill rate
/// by integrating the normal density directly.
pub fn periodic_review_fill_rate(
    fill_rate: f64,
    demand: Demand,
    lead_time: LeadTime,
    review_period: f64,
    formula: FillRateFormula,
) -> Result<PeriodicReview> {
    check::open_unit("fill_rate", fill_rate)?;
    check_demand(demand)?;
    check_lead_time(lead_time)?;
    check::positive("review_period", review_period)?;
    let protection = interval_demand(demand, review_period + lead_time.mean, lead_time.std_dev);
    let shortage = (1.0 - fill_rate) * demand.mean * review_period;
    let sigma = protection.std_dev;
    let k = if sigma == 0.0 || shortage == 0.0 {
        // No uncertainty (or no demand to fill): cover the mean, nothing more.
        0.0
    } else {
        match formula {
            FillRateFormula::Approximate => {
                solve_decreasing(|k| standard_normal_loss(k) - shortage / sigma)
            }
            FillRateFormula::Exact => {
                let before = interval_demand(demand, lead_time.mean, lead_time.std_dev);
                let short_before = |s: f64| {
                    if before.std_dev > 0.0 {
                        before.std_dev * standard_normal_loss((s - before.mean) / before.std_dev)
                    } else {
                        (before.mean - s).max(0.0)
                    }
                };
                solve_decreasing(|k| {
                    let s = protection.mean + k * sigma;
                    (sigma * standard_normal_loss(k) - short_before(s)) / sigma - shortage / sigma
                })
            }
        }
    };
    let safety_stock = k * sigma;
    Ok(PeriodicReview {
        order_up_to: protection.mean + safety_stock,
        k,
        safety_stock,
        protection_demand: protection,
    })
}

/// The economic order quantity √(2Kλ/h) and its cost √(2Kλh), for fixed cost per order
/// K, holding cost per unit per unit time h and demand rate λ. Without a fixed cost
/// there is nothing to batch: the quantity is 0 at no cost (order as demand comes, a
/// base-stock policy).
pub fn eoq(fixed_cost: f64, holding_cost: f64, demand_rate: f64) -> Result<Eoq> {
    check::non_negative("fixed_cost", fixed_cost)?;
    check::positive("holding_cost", holding_cost)?;
    check::non_negative("demand_rate", demand_rate)?;
    let quantity = (2.0 * fixed_cost * demand_rate / holding_cost).sqrt();
    Ok(Eoq {
        quantity,
        cost: quantity * holding_cost,
    })
}

/// The economic production quantity: the EOQ when the batch arrives at a finite
/// production rate μ > λ, √(2Kλ/(h(1 − λ/μ))), with cost √(2Kλh(1 − λ/μ)); 0 at no cost
/// without a setup cost.
pub fn epq(
    fixed_cost: f64,
    holding_cost: f64,
    demand_rate: f64,
    production_rate: f64,
) -> Result<Eoq> {
    check::non_negative("fixed_cost", fixed_cost)?;
    check::positive("holding_cost", holding_cost)?;
    lot_sizing::check_production(demand_rate, production_rate)?;
    let rho = demand_rate / production_rate;
    let quantity = (2.0 * fixed_cost * demand_rate / (holding_cost * (1.0 - rho))).sqrt();
    Ok(Eoq {
        quantity,
        cost: quantity * holding_cost * (1.0 - rho),
    })
}

/// Rounds an order quantity to what a supplier accepts: nothing stays nothing; anything
/// else is raised to the minimum order quantity, then up to a whole number of packs.
///
/// `pack_size` is the unit the supplier sells in (1 for single units). A quantity within
/// 1e-9 of a whole number of packs counts as that number, so decimal pack sizes (0.1 kg)
/// do not round 1.1 up to 1.2 through binary representation error.
pub fn round_order_quantity(quantity: f64, minimum: f64, pack_size: f64) -> Result<f64> {
    check::non_negative("quantity", quantity)?;
    check::non_negative("minimum", minimum)?;
    check::positive("pack_size", pack_size)?;
    if quantity == 0.0 {
        return Ok(0.0);
    }
    let packs = quantity.max(minimum) / pack_size;
    let nearest = packs.round();
    let whole = if (packs - nearest).abs() <= 1e-9 * nearest.max(1.0) {
        nearest
    } else {
        packs.ceil()
    };
    Ok(whole * pack_size)
}

/// Mean and standard deviation of demand over `length` periods of random length
/// (standard deviation `length_sd`).
fn interval_demand(demand: Demand, length: f64, length_sd: f64) -> IntervalDemand {
    let variance = length * demand.std_dev * demand.std_dev
        + demand.mean * demand.mean * length_sd * length_sd;
    IntervalDemand {
        mean: demand.mean * length,
        std_dev: variance.sqrt(),
    }
}

fn safety_stock_from_k(k: f64, ltd: IntervalDemand) -> SafetyStock {
    let safety_stock = k * ltd.std_dev;
    SafetyStock {
        k,
        safety_stock,
        reorder_point: ltd.mean + safety_stock,
        lead_time_demand: ltd,
    }
}

fn check_demand(d: Demand) -> Result<()> {
    check::non_negative("demand.mean", d.mean)?;
    check::non_negative("demand.std_dev", d.std_dev)?;
    Ok(())
}

/// A lead time of zero (same-day delivery) or more; a lead time of mean zero cannot vary
/// (it would have to be negative part of the time).
fn check_lead_time(l: LeadTime) -> Result<()> {
    check::non_negative("lead_time.mean", l.mean)?;
    check::non_negative("lead_time.std_dev", l.std_dev)?;
    if l.mean == 0.0 && l.std_dev > 0.0 {
        return Err(Error::invalid_parameter(
            "lead_time.std_dev",
            format!("must be 0 for a lead time of mean 0, got {}", l.std_dev),
        ));
    }
    Ok(())
}

/// The root of a decreasing function that is positive far left and negative far right,
/// by bisection to the last bit (the loss functions are cheap; robustness matters more
/// than speed here).
fn solve_decreasing(f: impl Fn(f64) -> f64) -> f64 {
    let mut lo = -1.0;
    while f(lo) < 0.0 && lo > -1e12 {
        lo = lo * 2.0 - 1.0;
    }
    let mut hi = 1.0;
    // G(40) underflows to 0, so any positive target is bracketed by then.
    while f(hi) > 0.0 && hi < 40.0 {
        hi = hi * 2.0 + 1.0;
    }
    for _ in 0..200 {
        let mid = f64::midpoint(lo, hi);
        if mid <= lo || mid >= hi {
            break;
        }
        if f(mid) > 0.0 {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    f64::midpoint(lo, hi)
}

#[cfg(test)]
// Exact comparisons where the arithmetic is exact (zero errors, whole packs).
#[allow(clippy::float_cmp)]
mod tests {
    use super::*;

    #[test]
    fn rounding_applies_minimum_then_packs() {
        assert_eq!(round_order_quantity(0.0, 50.0, 12.0).unwrap(), 0.0);
        assert_eq!(round_order_quantity(7.0, 50.0, 12.0).unwrap(), 60.0);
        assert_eq!(round_order_quantity(61.0, 50.0, 12.0).unwrap(), 72.0);
        assert_eq!(round_order_quantity(72.0, 50.0, 12.0).unwrap(), 72.0);
        assert!((round_order_quantity(1.1, 0.0, 0.1).unwrap() - 1.1).abs() < 1e-12);
        assert!((round_order_quantity(1.11, 0.0, 0.1).unwrap() - 1.2).abs() < 1e-12);
    }

    #[test]
    fn periodic_review_covers_review_plus_lead_time() {
        let d = Demand {
            mean: 10.0,
            std_dev: 3.0,
        };
        let p = periodic_review(0.95, d, LeadTime::fixed(2.0), 7.0).unwrap();
        let sigma = (9.0_f64 * 9.0).sqrt();
        assert!((p.protection_demand.mean - 90.0).abs() < 1e-12);
        assert!((p.protection_demand.std_dev - sigma).abs() < 1e-12);
        assert!((p.order_up_to - (90.0 + normal::quantile(0.95) * sigma)).abs() < 1e-9);
    }

    #[test]
    fn min_max_spans_the_order_quantity() {
        let d = Demand {
            mean: 4.0,
            std_dev: 2.0,
        };
        let mm = min_max(0.9, d, LeadTime::fixed(4.0), 30.0).unwrap();
        assert!((mm.min - (16.0 + normal::quantile(0.9) * 4.0)).abs() < 1e-12);
        assert!((mm.max - mm.min - 30.0).abs() < 1e-12);
    }
}
