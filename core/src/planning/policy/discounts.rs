//! The EOQ under quantity discounts (Snyder & Shen §3.5): all-units discounts, where the
//! price of every unit of an order falls once the order reaches a break, and incremental
//! discounts, where only the units above each break are cheaper. Holding is a rate on the
//! price (`i·c` per unit per unit time), so a cheaper unit is also cheaper to hold. The
//! results match stockpyl 1.0.2's `economic_order_quantity_with_all_units_discounts` and
//! `..._with_incremental_discounts` to 1e-9 (vectors in `core/tests/policy_reference.rs`).

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::planning::check;

/// Most price breaks one schedule may have; a supplier's list is a handful, this bounds a
/// call.
pub const PRICE_BREAKS_MAX: usize = 1_000;

/// One step of a supplier's price list: from `min_quantity` units on, a unit costs
/// `unit_cost` (the whole order for all-units discounts, the units above the break for
/// incremental ones).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct PriceBreak {
    /// The least order quantity the price applies from; the first break is 0 and the
    /// breaks rise strictly.
    pub min_quantity: f64,
    /// The price per unit from this break on (above zero).
    pub unit_cost: f64,
}

impl PriceBreak {
    /// The price `unit_cost` from `min_quantity` units on.
    #[must_use]
    pub fn new(min_quantity: f64, unit_cost: f64) -> PriceBreak {
        PriceBreak {
            min_quantity,
            unit_cost,
        }
    }
}

/// The best order quantity under a discount schedule.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct DiscountEoq {
    /// The order quantity.
    pub quantity: f64,
    /// The index of the price break it falls in (0: the undiscounted price).
    pub region: usize,
    /// The price per unit of that break.
    pub unit_cost: f64,
    /// Purchase, ordering and holding cost per unit time at that quantity.
    pub cost: f64,
}

/// The EOQ with all-units discounts: every unit of an order of `Q` in break `j`
/// (`b_j ≤ Q < b_{j+1}`) costs `c_j`, and an order costs `g_j(Q) = c_j λ + Kλ/Q + i c_j Q/2`
/// per unit time. The optimum is either a break's own EOQ `√(2Kλ/(i c_j))` when it falls
/// inside that break, or a break quantity `b_j` itself; the least of these wins (the
/// first one on a tie, as stockpyl orders them: the EOQs by break, then the breaks).
///
/// `holding_rate` is the holding cost per unit time as a share of the price (0.2: 20% a
/// year). A fixed cost of zero orders continuously (quantity 0 in the first break) unless
/// a break's discount pays for holding its quantity.
pub fn eoq_all_units_discounts(
    fixed_cost: f64,
    holding_rate: f64,
    demand_rate: f64,
    price_breaks: &[PriceBreak],
) -> Result<DiscountEoq> {
    check_discounts(fixed_cost, holding_rate, demand_rate, price_breaks)?;
    let (k, i, lambda) = (fixed_cost, holding_rate, demand_rate);
    let cost = |q: f64, c: f64| c * lambda + ordering_rate(k * lambda, q) + i * c * q / 2.0;
    let mut best: Option<DiscountEoq> = None;
    let mut consider = |quantity: f64, region: usize| {
        let unit_cost = price_breaks[region].unit_cost;
        let candidate = DiscountEoq {
            quantity,
            region,
            unit_cost,
            cost: cost(quantity, unit_cost),
        };
        if best.is_none_or(|b| candidate.cost < b.cost) {
            best = Some(candidate);
        }
    };
    for (j, pb) in price_breaks.iter().enumerate() {
        let q = (2.0 * k * lambda / (i * pb.unit_cost)).sqrt();
        if realizable(price_breaks, j, q) {
            consider(q, j);
        }
    }
    for (j, pb) in price_breaks.iter().enumerate().skip(1) {
        consider(pb.min_quantity, j);
    }
    best.ok_or_else(|| Error::invalid_parameter("price_breaks", "no order quantity is feasible"))
}

/// The EOQ with incremental discounts: the units of an order above break `b_j` cost `c_j`,
/// those below it the earlier prices, so an order of `Q` in break `j` costs `c̄_j + c_j Q`
/// with `c̄_j = Σ_{i<j} c_i (b_{i+1} − b_i) − c_j b_j`. Per unit time that is
/// `c_j λ + i c̄_j/2 + (K + c̄_j)λ/Q + i c_j Q/2`, least at `√(2(K + c̄_j)λ/(i c_j))`; the
/// optimum is the cheapest of those that fall inside their own break (it is never at a
/// break, where the cost curve has a kink pointing up).
pub fn eoq_incremental_discounts(
    fixed_cost: f64,
    holding_rate: f64,
    demand_rate: f64,
    price_breaks: &[PriceBreak],
) -> Result<DiscountEoq> {
    check_discounts(fixed_cost, holding_rate, demand_rate, price_breaks)?;
    let (k, i, lambda) = (fixed_cost, holding_rate, demand_rate);
    let mut best: Option<DiscountEoq> = None;
    // Σ_{i<j} c_i (b_{i+1} − b_i): the purchase cost of the first b_j units.
    let mut below = 0.0;
    for (j, pb) in price_breaks.iter().enumerate() {
        if j > 0 {
            let prev = price_breaks[j - 1];
            below += prev.unit_cost * (pb.min_quantity - prev.min_quantity);
        }
        let c_bar = if j == 0 {
            0.0
        } else {
            below - pb.unit_cost * pb.min_quantity
        };
        let c = pb.unit_cost;
        let q = (2.0 * (k + c_bar) * lambda / (i * c)).sqrt();
        if !realizable(price_breaks, j, q) {
            continue;
        }
        let cost =
            c * lambda + i * c_bar / 2.0 + ordering_rate((k + c_bar) * lambda, q) + i * c * q / 2.0;
        if best.is_none_or(|b| cost < b.cost) {
            best = Some(DiscountEoq {
                quantity: q,
                region: j,
                unit_cost: c,
                cost,
            });
        }
    }
    best.ok_or_else(|| {
        Error::invalid_parameter("price_breaks", "no break's own EOQ falls inside that break")
    })
}

/// `a / q`, taken as zero when nothing is ordered at all (`a = 0`: no fixed cost or no
/// demand), the limit as the quantity shrinks to nothing with it.
fn ordering_rate(a: f64, q: f64) -> f64 {
    if a == 0.0 { 0.0 } else { a / q }
}

/// Whether `q` lies in break `j`: `b_j ≤ q < b_{j+1}`, or `q ≥ b_j` in the last.
fn realizable(breaks: &[PriceBreak], j: usize, q: f64) -> bool {
    q >= breaks[j].min_quantity && breaks.get(j + 1).is_none_or(|next| q < next.min_quantity)
}

fn check_discounts(
    fixed_cost: f64,
    holding_rate: f64,
    demand_rate: f64,
    price_breaks: &[PriceBreak],
) -> Result<()> {
    check::non_negative("fixed_cost", fixed_cost)?;
    check::positive("holding_rate", holding_rate)?;
    check::non_negative("demand_rate", demand_rate)?;
    if price_breaks.is_empty() {
        return Err(Error::invalid_parameter("price_breaks", "is empty"));
    }
    if price_breaks.len() > PRICE_BREAKS_MAX {
        return Err(Error::limit_exceeded("price_breaks", PRICE_BREAKS_MAX));
    }
    for (j, pb) in price_breaks.iter().enumerate() {
        check::non_negative(&format!("price_breaks[{j}].min_quantity"), pb.min_quantity)?;
        check::positive(&format!("price_breaks[{j}].unit_cost"), pb.unit_cost)?;
    }
    if price_breaks[0].min_quantity != 0.0 {
        return Err(Error::invalid_parameter(
            "price_breaks[0].min_quantity",
            format!(
                "must be 0 (the first price applies from the first unit), got {}",
                price_breaks[0].min_quantity
            ),
        ));
    }
    for (j, pair) in price_breaks.windows(2).enumerate() {
        if pair[1].min_quantity <= pair[0].min_quantity {
            return Err(Error::invalid_parameter(
                &format!("price_breaks[{}].min_quantity", j + 1),
                format!(
                    "must be above the break before it ({}), got {}",
                    pair[0].min_quantity, pair[1].min_quantity
                ),
            ));
        }
    }
    Ok(())
}
