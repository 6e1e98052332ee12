//! Continuous-review (r, Q) policies for normal demand beyond the EIL approximation: the
//! loss-function approximation of Hadley & Whitin, the best reorder point for a given
//! order quantity, and the exact optimum (Snyder & Shen §5.2–5.3, as stockpyl 1.0.2's
//! `stockpyl.rq` computes them; vectors in `core/tests/policy_reference.rs`).
//!
//! Every function here solves to the last bit rather than to stockpyl's default tolerance
//! of 1e-6, so they agree with stockpyl run at a tight tolerance.

use super::costs::{InventoryCosts, RqPolicy, r_q_integral};
use super::normal::{LeadDemand, standard_normal_loss};
use super::{Demand, solve_decreasing};
use crate::error::{Error, Result};
use crate::planning::check;

/// Upper limit on the fixed-point iterations of the loss-function approximation; it
/// converges in tens.
const ITER_MAX: usize = 10_000;

/// The (r, Q) policy of the loss-function approximation (Hadley & Whitin 1963; Snyder &
/// Shen §5.2.3, eqs. 5.28–5.29): alternate `n(r) = hQ/(h+p)` and
/// `Q = √(2(Kλ + (h+p)n⁽²⁾(r))/h)` from the EOQ and r = 0 until neither moves, where n and
/// n⁽²⁾ are the first- and second-order loss functions of lead-time demand (mean λL,
/// standard deviation σ√L). The cost given is the exact expected cost of that policy
/// ([`r_q_cost`](super::r_q_cost)).
///
/// The approximation needs a fixed cost and a demand: without a fixed cost the optimum
/// is a base-stock policy, which [`r_q_optimal_normal`] gives.
// h, p, K, λ, r, Q: the textbook's notation.
#[allow(clippy::many_single_char_names)]
pub fn r_q_loss_function(
    costs: InventoryCosts,
    demand: Demand,
    lead_time: f64,
) -> Result<RqPolicy> {
    super::costs::check_costs(costs)?;
    super::costs::check_rq_demand(demand, lead_time)?;
    check::positive("costs.fixed", costs.fixed)?;
    check::positive("demand.mean", demand.mean)?;
    let (h, p, k, lambda) = (costs.holding, costs.stockout, costs.fixed, demand.mean);
    let ltd = LeadDemand::new(demand, lead_time);
    let mut q = (2.0 * k * lambda / h).sqrt();
    let mut r = 0.0;
    for _ in 0..ITER_MAX {
        let target = h * q / (h + p);
        let r_next = reorder_point_for_loss(ltd, target);
        let q_next = (2.0 * (k * lambda + (h + p) * ltd.second_loss(r_next)) / h).sqrt();
        let settled = same(q, q_next) && same(r, r_next);
        (q, r) = (q_next, r_next);
        if settled {
            let cost = r_q_integral(r, q, costs, ltd);
            return Ok(RqPolicy {
                reorder_point: r,
                order_quantity: q,
                cost: (k * lambda + cost) / q,
            });
        }
    }
    Err(Error::invalid_parameter(
        "costs",
        "the loss-function approximation does not converge",
    ))
}

/// The best reorder point for a given order quantity Q with normal demand: the r with
/// `g(r) = g(r + Q)` (Snyder & Shen eq. 5.9), g the newsvendor cost of lead-time demand,
/// found by bisection to the last bit (stockpyl's `r_q_optimal_r_for_q` bisects to a
/// tolerance of 1e-6 on the cost).
pub fn r_q_optimal_r_for_q(
    order_quantity: f64,
    holding_cost: f64,
    stockout_cost: f64,
    demand: Demand,
    lead_time: f64,
) -> Result<f64> {
    check::positive("order_quantity", order_quantity)?;
    check::positive("holding_cost", holding_cost)?;
    check::positive("stockout_cost", stockout_cost)?;
    super::costs::check_rq_demand(demand, lead_time)?;
    let ltd = LeadDemand::new(demand, lead_time);
    Ok(r_for_q(ltd, order_quantity, holding_cost, stockout_cost))
}

/// The exact optimal continuous-review (r, Q) policy for normal demand: the order quantity
/// where the cost `(Kλ + ∫ᵣ^{r+Q} g)/Q` is least, with r = r(Q) the best reorder point for
/// it. At the optimum `g(r) = g(r + Q)` equals the cost (the first-order conditions), so Q
/// is the root of `Q·g(r(Q)) − Kλ − ∫ᵣ^{r+Q} g`, which rises with Q; it is found by
/// bisection to the last bit (stockpyl minimises its `r_q_cost` over Q with
/// `r_q_optimal_r_for_q`; this is the same optimum solved exactly).
///
/// With no fixed cost or no demand there is nothing to batch: the answer is the
/// base-stock policy Q = 0, r = the newsvendor level of lead-time demand, at the
/// newsvendor cost.
// h, p, K, λ, r, Q: the textbook's notation.
#[allow(clippy::many_single_char_names)]
pub fn r_q_optimal_normal(
    costs: InventoryCosts,
    demand: Demand,
    lead_time: f64,
) -> Result<RqPolicy> {
    super::costs::check_costs(costs)?;
    super::costs::check_rq_demand(demand, lead_time)?;
    let (h, p, fixed) = (costs.holding, costs.stockout, costs.fixed * demand.mean);
    let ltd = LeadDemand::new(demand, lead_time);
    if fixed == 0.0 {
        let level = ltd.newsvendor_level(h, p);
        return Ok(RqPolicy {
            reorder_point: level,
            order_quantity: 0.0,
            cost: ltd.newsvendor_cost(level, h, p),
        });
    }
    // F(Q) = Kλ + ∫ − Q·g(r(Q)): positive for small Q, falling through zero at the optimum.
    let excess = |q: f64| {
        let r = r_for_q(ltd, q, h, p);
        fixed + r_q_integral(r, q, costs, ltd) - q * ltd.newsvendor_cost(r, h, p)
    };
    let mut hi = (2.0 * fixed / h).sqrt().max(f64::MIN_POSITIVE);
    while excess(hi) > 0.0 && hi < 1e300 {
        hi *= 2.0;
    }
    let mut lo = hi / 2.0;
    while excess(lo) < 0.0 && lo > 1e-300 {
        lo /= 2.0;
    }
    let q = bisect(lo, hi, |q| excess(q) > 0.0);
    let r = r_for_q(ltd, q, h, p);
    Ok(RqPolicy {
        reorder_point: r,
        order_quantity: q,
        cost: (fixed + r_q_integral(r, q, costs, ltd)) / q,
    })
}

/// The reorder point with `g(r) = g(r + Q)`: `g(r + Q) − g(r)` rises with r, is at most 0
/// at `S* − Q` and at least 0 at `S*`, S* the newsvendor level.
fn r_for_q(ltd: LeadDemand, q: f64, h: f64, p: f64) -> f64 {
    let level = ltd.newsvendor_level(h, p);
    bisect(level - q, level, |r| {
        ltd.newsvendor_cost(r + q, h, p) < ltd.newsvendor_cost(r, h, p)
    })
}

/// The r with n(r) = `target` (n falls with r).
fn reorder_point_for_loss(ltd: LeadDemand, target: f64) -> f64 {
    if ltd.sigma > 0.0 {
        let k = solve_decreasing(|k| standard_normal_loss(k) - target / ltd.sigma);
        ltd.mu + ltd.sigma * k
    } else {
        ltd.mu - target
    }
}

/// The boundary between where `below` holds (on the left, from `lo`) and where it does not
/// (from `hi`), to the last bit.
fn bisect(mut lo: f64, mut hi: f64, below: impl Fn(f64) -> bool) -> f64 {
    for _ in 0..2_000 {
        let mid = f64::midpoint(lo, hi);
        if mid <= lo || mid >= hi {
            break;
        }
        if below(mid) {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    f64::midpoint(lo, hi)
}

/// Two iterates equal to within a few units in the last place.
fn same(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-13 * a.abs().max(b.abs()).max(1.0)
}
