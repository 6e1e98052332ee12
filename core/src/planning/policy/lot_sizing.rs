//! Order quantities beyond the plain EOQ: the EOQ with planned backorders, and dynamic lot
//! sizing over a horizon of time-varying demand — the Wagner–Whitin optimum and the
//! Silver–Meal heuristic planners know. The results match stockpyl's
//! (`economic_order_quantity_with_backorders`, `wagner_whitin`) to 1e-9; the vectors are in
//! `core/tests/lot_sizing.rs`.

use serde::{Deserialize, Serialize};

use super::check;
use crate::error::{Error, Result};

/// The EOQ with planned backorders (Snyder & Shen §3.3): each cycle ends with a share of
/// its demand backordered, when a backorder costs `stockout_cost` per unit per period.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct EoqBackorders {
    /// The order quantity.
    pub quantity: f64,
    /// The share of each cycle spent in backorder, `h / (h + p)`.
    pub stockout_fraction: f64,
    /// The cost per period: setup, holding and backorder.
    pub cost: f64,
}

/// A lot-sizing plan over a horizon: how much to order in each period (zero: no order),
/// each order covering the demand up to the next.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct LotPlan {
    /// The order placed in each period, one per period of the demand.
    pub orders: Vec<f64>,
    /// The plan's cost: a setup per order that covers some demand, holding of each unit
    /// from its order's period to its own, and the purchase cost of every unit.
    pub cost: f64,
}

/// The EPQ with planned backorders: the batch arrives at a finite production rate, and
/// each cycle ends with a share of its demand backordered.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct EpqBackorders {
    /// The production batch.
    pub quantity: f64,
    /// The share of each cycle spent in backorder, `h / (h + p)`.
    pub stockout_fraction: f64,
    /// The largest backorder of a cycle, reached when production restarts.
    pub max_backorder: f64,
    /// The largest stock on hand of a cycle, reached when production stops.
    pub max_inventory: f64,
    /// The cost per period: setup, holding and backorder.
    pub cost: f64,
}

/// The EOQ with planned backorders: `Q* = √(2KD(h+p)/(hp))`, a stockout share of
/// `h/(h+p)` and a cost of `Q*·hp/(h+p)` per period. A fixed cost of zero gives
/// `Q* = 0` at no cost: order continuously, nothing held, nothing short.
pub fn eoq_with_backorders(
    fixed_cost: f64,
    holding_cost: f64,
    stockout_cost: f64,
    demand_rate: f64,
) -> Result<EoqBackorders> {
    check::non_negative("fixed_cost", fixed_cost)?;
    check::positive("holding_cost", holding_cost)?;
    check::positive("stockout_cost", stockout_cost)?;
    check::non_negative("demand_rate", demand_rate)?;
    let (h, p) = (holding_cost, stockout_cost);
    let quantity = (2.0 * fixed_cost * demand_rate * (h + p) / (h * p)).sqrt();
    Ok(EoqBackorders {
        quantity,
        stockout_fraction: h / (h + p),
        cost: quantity * h * p / (h + p),
    })
}

/// The EPQ with planned backorders: production at rate μ above the demand rate λ builds
/// the net stock up for part of each cycle, demand draws it down for the rest, and a
/// share `h/(h+p)` of each swing is backorder. The swing of a batch `Q` is `Q(1 − λ/μ)`,
/// so the model is the EOQ with backorders with both rates scaled by `1 − λ/μ`:
/// `Q* = √(2Kλ(h+p)/(hp(1 − λ/μ)))`, cost `√(2Kλhp(1 − λ/μ)/(h+p))` per period, largest
/// backorder `Q*(1 − λ/μ)h/(h+p)`: Snyder & Shen's §3.3 (planned backorders) and §3.4
/// (finite production rate) combined. stockpyl has no such function; the tests check the
/// reduction against its `economic_order_quantity_with_backorders`.
pub fn epq_with_backorders(
    fixed_cost: f64,
    holding_cost: f64,
    stockout_cost: f64,
    demand_rate: f64,
    production_rate: f64,
) -> Result<EpqBackorders> {
    check::non_negative("fixed_cost", fixed_cost)?;
    check::positive("holding_cost", holding_cost)?;
    check::positive("stockout_cost", stockout_cost)?;
    check_production(demand_rate, production_rate)?;
    let (h, p) = (holding_cost, stockout_cost);
    let keep = 1.0 - demand_rate / production_rate;
    let quantity = (2.0 * fixed_cost * demand_rate * (h + p) / (h * p * keep)).sqrt();
    let stockout_fraction = h / (h + p);
    let swing = quantity * keep;
    Ok(EpqBackorders {
        quantity,
        stockout_fraction,
        max_backorder: swing * stockout_fraction,
        max_inventory: swing * (1.0 - stockout_fraction),
        cost: swing * h * p / (h + p),
    })
}

/// The least-cost lot sizes for `demand` (one value per period, oldest first) with a setup
/// cost per order, a holding cost per unit per period and a purchase cost per unit: the
/// Wagner–Whitin recursion, backwards over the periods, in O(T²).
pub fn wagner_whitin(
    demand: &[f64],
    fixed_cost: f64,
    holding_cost: f64,
    purchase_cost: f64,
) -> Result<LotPlan> {
    check_lot_sizing(demand, fixed_cost, holding_cost, purchase_cost)?;
    let n = demand.len();
    // best[t]: the least cost of periods t.. ; next[t]: the period after the run from t.
    let mut best = vec![0.0; n + 1];
    let mut next = vec![n; n];
    for t in (0..n).rev() {
        let (mut covered, mut holding) = (0.0, 0.0);
        let mut choice = (f64::INFINITY, n);
        for s in t + 1..=n {
            // The run t..s adds period s-1: its demand, held s-1-t periods.
            let d = demand[s - 1];
            covered += d;
            holding += holding_cost * (s - 1 - t) as f64 * d;
            let setup = if covered > 0.0 { fixed_cost } else { 0.0 };
            let cost = setup + purchase_cost * covered + holding + best[s];
            if cost < choice.0 {
                choice = (cost, s);
            }
        }
        (best[t], next[t]) = choice;
    }
    Ok(LotPlan {
        orders: orders_of(demand, |t| next[t]),
        cost: best[0],
    })
}

/// Lot sizes for `demand` by the Silver–Meal heuristic: each order covers periods as long
/// as the cost per period covered (setup plus holding) keeps falling.
pub fn silver_meal(
    demand: &[f64],
    fixed_cost: f64,
    holding_cost: f64,
    purchase_cost: f64,
) -> Result<LotPlan> {
    check_lot_sizing(demand, fixed_cost, holding_cost, purchase_cost)?;
    let n = demand.len();
    let mut next = vec![n; n];
    let mut cost = 0.0;
    let mut t = 0;
    while t < n {
        let (mut holding, mut covered) = (0.0, demand[t]);
        let mut per_period = fixed_cost;
        let mut s = t + 1;
        while s < n {
            let extra = holding_cost * (s - t) as f64 * demand[s];
            let candidate = (fixed_cost + holding + extra) / (s - t + 1) as f64;
            if candidate > per_period {
                break;
            }
            holding += extra;
            covered += demand[s];
            per_period = candidate;
            s += 1;
        }
        next[t] = s;
        let setup = if covered > 0.0 { fixed_cost } else { 0.0 };
        cost += setup + holding + purchase_cost * covered;
        t = s;
    }
    Ok(LotPlan {
        orders: orders_of(demand, |t| next[t]),
        cost,
    })
}

/// Each run's order in its first period, from where each run ends.
fn orders_of(demand: &[f64], next: impl Fn(usize) -> usize) -> Vec<f64> {
    let mut orders = vec![0.0; demand.len()];
    let mut t = 0;
    while t < demand.len() {
        let s = next(t);
        orders[t] = demand[t..s].iter().sum();
        t = s;
    }
    orders
}

fn check_lot_sizing(
    demand: &[f64],
    fixed_cost: f64,
    holding_cost: f64,
    purchase_cost: f64,
) -> Result<()> {
    check::series(demand, 1).map_err(|e| match e {
        Error::InvalidParameter { reason, .. } => Error::invalid_parameter("demand", reason),
        other => other,
    })?;
    check::non_negative("fixed_cost", fixed_cost)?;
    check::non_negative("holding_cost", holding_cost)?;
    check::non_negative("purchase_cost", purchase_cost)?;
    Ok(())
}

/// A finite production rate's inputs: demand at or above zero, production above it (else
/// stock never builds up between runs).
pub(super) fn check_production(demand_rate: f64, production_rate: f64) -> Result<()> {
    check::non_negative("demand_rate", demand_rate)?;
    check::positive("production_rate", production_rate)?;
    if demand_rate >= production_rate {
        return Err(Error::invalid_parameter(
            "production_rate",
            format!("must exceed the demand rate {demand_rate}, got {production_rate}"),
        ));
    }
    Ok(())
}
