//! The core's replenishment policies (`stockbook::planning::policy`) as top-level
//! functions: safety stock for a cycle service level or a fill rate, reorder point,
//! min/max, periodic review, EOQ/EPQ and order-quantity rounding. Demand and lead times are
//! in periods of the caller's choosing (the same for both); every figure is `f64`.

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
