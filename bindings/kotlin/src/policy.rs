//! The core's replenishment policies (`stockbook::planning::policy`) as top-level
//! functions: safety stock for a cycle service level or a fill rate, reorder point,
//! min/max, periodic review, EOQ/EPQ and order-quantity rounding; the standard normal
//! distribution and loss function; the newsvendor, (s, S) and (r, Q) cost models. Demand
//! and lead times are in periods of the caller's choosing (the same for both); every
//! figure is `f64` (the (s, S) levels are whole units, `i64`).

use stockbook::planning::policy as core;

use crate::error::StockbookError;

type Result<T> = std::result::Result<T, StockbookError>;

/// Demand per period.
#[derive(Debug, Clone, Copy, PartialEq, uniffi::Record)]
pub struct Demand {
    /// Mean demand per period.
    pub mean: f64,
    /// Standard deviation of demand per period (a forecast's `accuracy.sigma`).
    pub std_dev: f64,
}

impl From<Demand> for core::Demand {
    fn from(d: Demand) -> Self {
        core::Demand {
            mean: d.mean,
            std_dev: d.std_dev,
        }
    }
}

/// Replenishment lead time in periods.
#[derive(Debug, Clone, Copy, PartialEq, uniffi::Record)]
pub struct LeadTime {
    /// Mean lead time; must be above zero.
    pub mean: f64,
    /// Standard deviation of the lead time; 0 (the default) for a fixed lead time.
    #[uniffi(default = 0.0)]
    pub std_dev: f64,
}

impl From<LeadTime> for core::LeadTime {
    fn from(l: LeadTime) -> Self {
        core::LeadTime {
            mean: l.mean,
            std_dev: l.std_dev,
        }
    }
}

/// Demand over an interval (lead time, or review period plus lead time).
#[derive(Debug, Clone, Copy, PartialEq, uniffi::Record)]
pub struct IntervalDemand {
    /// Mean demand over the interval.
    pub mean: f64,
    /// Its standard deviation.
    pub std_dev: f64,
}

impl From<core::IntervalDemand> for IntervalDemand {
    fn from(d: core::IntervalDemand) -> Self {
        IntervalDemand {
            mean: d.mean,
            std_dev: d.std_dev,
        }
    }
}

/// A safety stock and the reorder point it gives.
#[derive(Debug, Clone, Copy, PartialEq, uniffi::Record)]
pub struct SafetyStock {
    /// Safety factor: safety stock in standard deviations of lead-time demand (negative
    /// when a fill-rate target is met by the order quantity alone).
    pub k: f64,
    /// Safety stock, `k × leadTimeDemand.stdDev` (not clamped at zero).
    pub safety_stock: f64,
    /// Reorder point, `leadTimeDemand.mean + safetyStock`.
    pub reorder_point: f64,
    /// Demand over the lead time.
    pub lead_time_demand: IntervalDemand,
}

impl From<core::SafetyStock> for SafetyStock {
    fn from(s: core::SafetyStock) -> Self {
        SafetyStock {
            k: s.k,
            safety_stock: s.safety_stock,
            reorder_point: s.reorder_point,
            lead_time_demand: s.lead_time_demand.into(),
        }
    }
}

/// How a fill-rate target (P2, the fraction of demand met from stock) becomes a safety
/// factor for an (s, Q) policy.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum FillRateFormula {
    /// Silver, Pyke & Peterson's rule G(k) = Q(1 − P2)/σ_L (overstates the shortage
    /// slightly for small Q/σ_L).
    Approximate,
    /// The exact backorder expression 1 − σ_L[G(k) − G(k + Q/σ_L)]/Q = P2 (Axsäter).
    Exact,
}

same_variants!(FillRateFormula <=> core::FillRateFormula { Approximate, Exact });

/// An order quantity and its cost per unit of the demand rate's time.
#[derive(Debug, Clone, Copy, PartialEq, uniffi::Record)]
pub struct Eoq {
    /// The economic quantity.
    pub quantity: f64,
    /// Ordering plus holding cost per unit time at that quantity.
    pub cost: f64,
}

impl From<core::Eoq> for Eoq {
    fn from(e: core::Eoq) -> Self {
        Eoq {
            quantity: e.quantity,
            cost: e.cost,
        }
    }
}

/// A min/max policy: order up to `max` when the inventory position falls to `min`.
#[derive(Debug, Clone, Copy, PartialEq, uniffi::Record)]
pub struct MinMax {
    /// The reorder point.
    pub min: f64,
    /// The order-up-to level, `min` plus the order quantity.
    pub max: f64,
    /// The safety stock inside `min`.
    pub safety_stock: SafetyStock,
}

/// An (R, S) periodic-review policy: every R periods, order up to S.
#[derive(Debug, Clone, Copy, PartialEq, uniffi::Record)]
pub struct PeriodicReview {
    /// The order-up-to level S.
    pub order_up_to: f64,
    /// Safety factor.
    pub k: f64,
    /// Safety stock, `k × protectionDemand.stdDev`.
    pub safety_stock: f64,
    /// Demand over the protection interval, review period plus lead time.
    pub protection_demand: IntervalDemand,
}

/// Demand over a lead time of random length: mean d·L and standard deviation
/// √(L·σ_d² + d²·σ_L²).
#[uniffi::export]
pub fn lead_time_demand(demand: Demand, lead_time: LeadTime) -> Result<IntervalDemand> {
    Ok(core::lead_time_demand(demand.into(), lead_time.into())?.into())
}

/// Safety stock and reorder point for a cycle service level (P1, the probability of no
/// stockout in a replenishment cycle): k = Φ⁻¹(P1).
#[uniffi::export]
pub fn safety_stock_cycle(
    service_level: f64,
    demand: Demand,
    lead_time: LeadTime,
) -> Result<SafetyStock> {
    Ok(core::safety_stock_cycle(service_level, demand.into(), lead_time.into())?.into())
}

/// Safety stock and reorder point of an (s, Q) policy for a fill-rate target (P2). A large
/// order quantity can meet the target alone: k and the safety stock are then negative,
/// and returned as they are.
#[uniffi::export]
pub fn safety_stock_fill_rate(
    fill_rate: f64,
    order_quantity: f64,
    demand: Demand,
    lead_time: LeadTime,
    formula: FillRateFormula,
) -> Result<SafetyStock> {
    let ss = core::safety_stock_fill_rate(
        fill_rate,
        order_quantity,
        demand.into(),
        lead_time.into(),
        formula.into(),
    )?;
    Ok(ss.into())
}

/// Reorder point for a given safety stock: mean lead-time demand plus safety stock.
#[uniffi::export]
pub fn reorder_point(demand: Demand, lead_time: LeadTime, safety_stock: f64) -> Result<f64> {
    Ok(core::reorder_point(
        demand.into(),
        lead_time.into(),
        safety_stock,
    )?)
}

/// Min/max levels for a cycle service level: min is the reorder point, max is min plus
/// the order quantity (typically the `eoq`).
#[uniffi::export]
pub fn min_max(
    service_level: f64,
    demand: Demand,
    lead_time: LeadTime,
    order_quantity: f64,
) -> Result<MinMax> {
    let mm = core::min_max(
        service_level,
        demand.into(),
        lead_time.into(),
        order_quantity,
    )?;
    Ok(MinMax {
        min: mm.min,
        max: mm.max,
        safety_stock: mm.safety_stock.into(),
    })
}

/// An (R, S) periodic-review policy for a cycle service level: stock must cover the
/// review period plus the lead time, S = d(R + L) + k·√((R + L)σ_d² + d²σ_L²).
#[uniffi::export]
pub fn periodic_review(
    service_level: f64,
    demand: Demand,
    lead_time: LeadTime,
    review_period: f64,
) -> Result<PeriodicReview> {
    let p = core::periodic_review(
        service_level,
        demand.into(),
        lead_time.into(),
        review_period,
    )?;
    Ok(PeriodicReview {
        order_up_to: p.order_up_to,
        k: p.k,
        safety_stock: p.safety_stock,
        protection_demand: p.protection_demand.into(),
    })
}

/// The economic order quantity √(2Kλ/h) and its cost √(2Kλh), for a fixed cost per order
/// K, a holding cost per unit per unit time h and a demand rate λ.
#[uniffi::export]
pub fn eoq(fixed_cost: f64, holding_cost: f64, demand_rate: f64) -> Result<Eoq> {
    Ok(core::eoq(fixed_cost, holding_cost, demand_rate)?.into())
}

/// The economic production quantity: the EOQ when the batch arrives at a finite
/// production rate μ above the demand rate λ, √(2Kλ/(h(1 − λ/μ))).
#[uniffi::export]
pub fn epq(
    fixed_cost: f64,
    holding_cost: f64,
    demand_rate: f64,
    production_rate: f64,
) -> Result<Eoq> {
    Ok(core::epq(fixed_cost, holding_cost, demand_rate, production_rate)?.into())
}

/// Rounds an order quantity to what a supplier accepts: nothing stays nothing; anything
/// else is raised to the minimum order quantity, then up to a whole number of packs (a
/// quantity within 1e-9 of a whole number of packs counts as that number).
#[uniffi::export]
pub fn round_order_quantity(quantity: f64, minimum: f64, pack_size: f64) -> Result<f64> {
    Ok(core::round_order_quantity(quantity, minimum, pack_size)?)
}

// ---- the standard normal distribution -----------------------------------------------------

/// The standard normal density φ(x).
#[uniffi::export]
pub fn normal_pdf(x: f64) -> f64 {
    core::normal_pdf(x)
}

/// The standard normal distribution function Φ(x).
#[uniffi::export]
pub fn normal_cdf(x: f64) -> f64 {
    core::normal_cdf(x)
}

/// The standard normal quantile Φ⁻¹(p), for `p` strictly between 0 and 1.
#[uniffi::export]
pub fn normal_quantile(p: f64) -> Result<f64> {
    Ok(core::normal_quantile(p)?)
}

/// The standard normal loss function G(k) = E[(Z − k)⁺] = φ(k) − k(1 − Φ(k)): the
/// expected shortage per unit of standard deviation when the safety factor is k.
#[uniffi::export]
pub fn standard_normal_loss(k: f64) -> f64 {
    core::standard_normal_loss(k)
}

// ---- cost models: newsvendor, (s, S), (r, Q) ----------------------------------------------

/// Cost rates of an inventory model.
#[derive(Debug, Clone, Copy, PartialEq, uniffi::Record)]
pub struct InventoryCosts {
    /// Holding cost per unit per unit time (per period for periodic models).
    pub holding: f64,
    /// Stockout (backorder) cost per unit per unit time.
    pub stockout: f64,
    /// Fixed cost per order.
    pub fixed: f64,
}

impl From<InventoryCosts> for core::InventoryCosts {
    fn from(c: InventoryCosts) -> Self {
        core::InventoryCosts {
            holding: c.holding,
            stockout: c.stockout,
            fixed: c.fixed,
        }
    }
}

/// A newsvendor (base-stock) solution.
#[derive(Debug, Clone, Copy, PartialEq, uniffi::Record)]
pub struct Newsvendor {
    /// The optimal stock level S*.
    pub level: f64,
    /// Expected holding plus stockout cost at S*.
    pub cost: f64,
}

impl From<core::Newsvendor> for Newsvendor {
    fn from(n: core::Newsvendor) -> Self {
        Newsvendor {
            level: n.level,
            cost: n.cost,
        }
    }
}

/// An (s, S) policy and its expected cost per period.
#[derive(Debug, Clone, Copy, PartialEq, uniffi::Record)]
pub struct SsPolicy {
    /// Reorder point s: order when the inventory position is at or below it.
    pub reorder_point: i64,
    /// Order-up-to level S.
    pub order_up_to: i64,
    /// Expected cost per period.
    pub cost: f64,
}

impl From<core::SsPolicy> for SsPolicy {
    fn from(p: core::SsPolicy) -> Self {
        SsPolicy {
            reorder_point: p.reorder_point,
            order_up_to: p.order_up_to,
            cost: p.cost,
        }
    }
}

/// An (r, Q) policy and its expected cost per unit time.
#[derive(Debug, Clone, Copy, PartialEq, uniffi::Record)]
pub struct RqPolicy {
    /// Reorder point r.
    pub reorder_point: f64,
    /// Order quantity Q.
    pub order_quantity: f64,
    /// Expected cost per unit time.
    pub cost: f64,
}

impl From<core::RqPolicy> for RqPolicy {
    fn from(p: core::RqPolicy) -> Self {
        RqPolicy {
            reorder_point: p.reorder_point,
            order_quantity: p.order_quantity,
            cost: p.cost,
        }
    }
}

/// Newsvendor with normal demand: S* = μ + σΦ⁻¹(p/(p + h)), cost (h + p)σφ(Φ⁻¹(p/(p + h))).
#[uniffi::export]
pub fn newsvendor_normal(
    holding_cost: f64,
    stockout_cost: f64,
    demand: Demand,
) -> Result<Newsvendor> {
    Ok(core::newsvendor_normal(holding_cost, stockout_cost, demand.into())?.into())
}

/// Newsvendor with Poisson demand of mean λ: the smallest S with F(S) ≥ p/(p + h), and the
/// expected cost h·E[(S − D)⁺] + p·E[(D − S)⁺] there.
#[uniffi::export]
pub fn newsvendor_poisson(
    holding_cost: f64,
    stockout_cost: f64,
    demand_mean: f64,
) -> Result<Newsvendor> {
    Ok(core::newsvendor_poisson(holding_cost, stockout_cost, demand_mean)?.into())
}

/// Expected cost per period of a periodic-review (s, S) policy with Poisson demand of
/// mean `demand_mean` per period and no lead time (Zheng & Federgruen's renewal
/// expression); `order_up_to` must exceed `reorder_point`.
#[uniffi::export]
pub fn s_s_cost_poisson(
    reorder_point: i64,
    order_up_to: i64,
    costs: InventoryCosts,
    demand_mean: f64,
) -> Result<f64> {
    Ok(core::s_s_cost_poisson(
        reorder_point,
        order_up_to,
        costs.into(),
        demand_mean,
    )?)
}

/// The optimal (s, S) policy for Poisson demand per period, by Zheng & Federgruen's exact
/// search (1991).
#[uniffi::export]
pub fn s_s_optimal_poisson(costs: InventoryCosts, demand_mean: f64) -> Result<SsPolicy> {
    Ok(core::s_s_optimal_poisson(costs.into(), demand_mean)?.into())
}

/// Expected cost per unit time of a continuous-review (r, Q) policy with normal lead-time
/// demand; `demand` is per unit time and `lead_time` in the same unit.
#[uniffi::export]
pub fn r_q_cost(
    reorder_point: f64,
    order_quantity: f64,
    costs: InventoryCosts,
    demand: Demand,
    lead_time: f64,
) -> Result<f64> {
    Ok(core::r_q_cost(
        reorder_point,
        order_quantity,
        costs.into(),
        demand.into(),
        lead_time,
    )?)
}

/// The (r, Q) policy of the expected-inventory-level approximation: alternate
/// r = μ + σΦ⁻¹(1 − Qh/(pλ)) and Q = √(2λ(K + p·n(r))/h) from the EOQ until both move less
/// than 1e-6. The cost is the approximation's own.
#[uniffi::export]
pub fn r_q_eil(costs: InventoryCosts, demand: Demand, lead_time: f64) -> Result<RqPolicy> {
    Ok(core::r_q_eil(costs.into(), demand.into(), lead_time)?.into())
}

/// The optimal integer (r, Q) policy with Poisson demand of rate λ and lead time L
/// (Federgruen & Zheng 1992).
#[uniffi::export]
pub fn r_q_poisson(costs: InventoryCosts, demand_rate: f64, lead_time: f64) -> Result<RqPolicy> {
    Ok(core::r_q_poisson(costs.into(), demand_rate, lead_time)?.into())
}
