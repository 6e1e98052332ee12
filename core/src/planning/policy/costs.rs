//! Textbook cost models: the newsvendor, periodic-review (s, S) and continuous-review
//! (r, Q) policies, with normal or Poisson demand.
//!
//! Follows Snyder & Shen, *Fundamentals of Supply Chain Theory* (2nd ed.) ch. 4–5, as
//! stockpyl 1.0.2 implements it, so the book's examples check the numbers. The (r, Q)
//! cost integral is taken in closed form through the second-order loss function rather
//! than by quadrature.

use serde::{Deserialize, Serialize};

use super::Demand;
use super::normal::LeadDemand;
use super::normal::{normal_pdf, quantile, standard_normal_loss};
use crate::error::{Error, Result};
use crate::planning::check;

/// Upper limit on the integer levels the Poisson searches step through; far beyond any
/// sensible stock level, it only bounds a call.
const LEVEL_MAX: i64 = 1_000_000;

/// Cost rates of an inventory model.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct InventoryCosts {
    /// Holding cost per unit per unit time (per period for periodic models).
    pub holding: f64,
    /// Stockout (backorder) cost per unit per unit time.
    pub stockout: f64,
    /// Fixed cost per order.
    pub fixed: f64,
}

/// A newsvendor (base-stock) solution.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Newsvendor {
    /// The optimal stock level S*.
    pub level: f64,
    /// Expected holding plus stockout cost at S*.
    pub cost: f64,
}

/// An (r, Q) policy and its expected cost per unit time.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct RqPolicy {
    /// Reorder point r.
    pub reorder_point: f64,
    /// Order quantity Q.
    pub order_quantity: f64,
    /// Expected cost per unit time.
    pub cost: f64,
}

/// An (s, S) policy and its expected cost per period.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct SsPolicy {
    /// Reorder point s: order when the inventory position is at or below it.
    pub reorder_point: i64,
    /// Order-up-to level S.
    pub order_up_to: i64,
    /// Expected cost per period.
    pub cost: f64,
}

/// Newsvendor with normal demand: S* = μ + σΦ⁻¹(p/(p + h)), cost (h + p)σφ(Φ⁻¹(p/(p + h))).
pub fn newsvendor_normal(
    holding_cost: f64,
    stockout_cost: f64,
    demand: Demand,
) -> Result<Newsvendor> {
    check::positive("holding_cost", holding_cost)?;
    check::positive("stockout_cost", stockout_cost)?;
    check::non_negative("demand.mean", demand.mean)?;
    check::non_negative("demand.std_dev", demand.std_dev)?;
    let z = quantile(stockout_cost / (stockout_cost + holding_cost));
    Ok(Newsvendor {
        level: demand.mean + demand.std_dev * z,
        cost: (holding_cost + stockout_cost) * normal_pdf(z) * demand.std_dev,
    })
}

/// Newsvendor with Poisson demand of mean λ: the smallest S with F(S) ≥ p/(p + h), and the
/// expected cost h·E[(S − D)⁺] + p·E[(D − S)⁺] there.
pub fn newsvendor_poisson(
    holding_cost: f64,
    stockout_cost: f64,
    demand_mean: f64,
) -> Result<Newsvendor> {
    check::positive("holding_cost", holding_cost)?;
    check::positive("stockout_cost", stockout_cost)?;
    check::positive("demand_mean", demand_mean)?;
    let level = poisson_quantile(stockout_cost / (stockout_cost + holding_cost), demand_mean)?;
    Ok(Newsvendor {
        level: level as f64,
        cost: poisson_newsvendor_cost(level, holding_cost, stockout_cost, demand_mean),
    })
}

/// Expected cost per period of a periodic-review (s, S) policy with Poisson demand per
/// period and no lead time (Zheng & Federgruen's renewal expression, Snyder & Shen
/// §4.5): the fixed cost plus the newsvendor cost of each level the position passes
/// through, weighted by the expected periods spent there, over the expected cycle length.
pub fn s_s_cost_poisson(
    reorder_point: i64,
    order_up_to: i64,
    costs: InventoryCosts,
    demand_mean: f64,
) -> Result<f64> {
    check_costs(costs)?;
    check::positive("demand_mean", demand_mean)?;
    if order_up_to <= reorder_point {
        return Err(Error::invalid_parameter(
            "order_up_to",
            format!("must be above the reorder point {reorder_point}, got {order_up_to}"),
        ));
    }
    if order_up_to - reorder_point > LEVEL_MAX {
        return Err(Error::invalid_parameter(
            "order_up_to",
            format!("is more than {LEVEL_MAX} above the reorder point"),
        ));
    }
    Ok(ss_cost(reorder_point, order_up_to, costs, demand_mean))
}

/// The optimal (s, S) policy for Poisson demand per period, by Zheng & Federgruen's
/// exact search (1991).
pub fn s_s_optimal_poisson(costs: InventoryCosts, demand_mean: f64) -> Result<SsPolicy> {
    check_costs(costs)?;
    check::positive("demand_mean", demand_mean)?;
    let (h, p) = (costs.holding, costs.stockout);
    let g = |y: i64| poisson_newsvendor_cost(y, h, p, demand_mean);
    let y_star = poisson_quantile(p / (p + h), demand_mean)?;
    // s(S0): step s down from the newsvendor level until (s, S0) costs no more than
    // the newsvendor cost at s.
    let s_big0 = y_star;
    let mut s = y_star;
    loop {
        s -= 1;
        if ss_cost(s, s_big0, costs, demand_mean) <= g(s) || y_star - s > LEVEL_MAX {
            break;
        }
    }
    let mut s_hat = s;
    let mut big_hat = s_big0;
    let mut g_hat = ss_cost(s_hat, big_hat, costs, demand_mean);
    let mut big = big_hat + 1;
    while g(big) <= g_hat && big - y_star <= LEVEL_MAX {
        let cost = ss_cost(s_hat, big, costs, demand_mean);
        if cost < g_hat {
            big_hat = big;
            while ss_cost(s, big_hat, costs, demand_mean) <= g(s + 1) && s + 1 < big_hat {
                s += 1;
            }
            s_hat = s;
            g_hat = ss_cost(s_hat, big_hat, costs, demand_mean);
        }
        big += 1;
    }
    Ok(SsPolicy {
        reorder_point: s_hat,
        order_up_to: big_hat,
        cost: g_hat,
    })
}

/// Expected cost per unit time of a continuous-review (r, Q) policy with normal demand:
/// (Kλ + ∫ᵣ^{r+Q} g(y) dy)/Q, where g is the newsvendor cost for lead-time demand of mean
/// λL and standard deviation σ√L (Snyder & Shen §5.2). `demand` is per unit time,
/// `lead_time` in the same unit.
pub fn r_q_cost(
    reorder_point: f64,
    order_quantity: f64,
    costs: InventoryCosts,
    demand: Demand,
    lead_time: f64,
) -> Result<f64> {
    check::finite("reorder_point", reorder_point)?;
    check::positive("order_quantity", order_quantity)?;
    check_costs(costs)?;
    check_rq_demand(demand, lead_time)?;
    let ltd = LeadDemand::new(demand, lead_time);
    let integral = r_q_integral(reorder_point, order_quantity, costs, ltd);
    Ok((costs.fixed * demand.mean + integral) / order_quantity)
}

/// ∫ᵣ^{r+Q} g(y) dy for the newsvendor cost g of lead-time demand, in closed form:
/// ∫ n(y) dy = N₂(r) − N₂(r + Q) and ∫ (y − μ) dy = ((r + Q − μ)² − (r − μ)²)/2, with n the
/// shortage loss and N₂ the second-order loss.
pub(crate) fn r_q_integral(
    reorder_point: f64,
    order_quantity: f64,
    costs: InventoryCosts,
    ltd: LeadDemand,
) -> f64 {
    let mu = ltd.mu;
    let (a, b) = (reorder_point, reorder_point + order_quantity);
    let short = ltd.second_loss(a) - ltd.second_loss(b);
    let excess = 0.5 * ((b - mu) * (b - mu) - (a - mu) * (a - mu)) + short;
    costs.holding * excess + costs.stockout * short
}

/// The (r, Q) policy of the expected-inventory-level approximation (Snyder & Shen
/// §5.2.4): alternate r = μ + σΦ⁻¹(1 − Qh/(pλ)) and Q = √(2λ(K + p·n(r))/h) from the
/// EOQ until both move less than 1e-6. The cost is the approximation's own.
// h, p, K, λ, r, Q: the textbook's notation, kept so the code reads against it.
#[allow(clippy::many_single_char_names)]
pub fn r_q_eil(costs: InventoryCosts, demand: Demand, lead_time: f64) -> Result<RqPolicy> {
    const TOL: f64 = 1e-6;
    const ITER_MAX: usize = 10_000;
    check_costs(costs)?;
    check_rq_demand(demand, lead_time)?;
    if costs.fixed == 0.0 {
        return Err(Error::invalid_parameter(
            "costs.fixed",
            "the EIL approximation needs a fixed cost above zero; without one the optimum is \
             a base-stock policy (r_q_optimal_normal gives it)",
        ));
    }
    check::positive("demand.mean", demand.mean)?;
    let (h, p, k, lambda) = (costs.holding, costs.stockout, costs.fixed, demand.mean);
    let mu = lambda * lead_time;
    let sigma = demand.std_dev * lead_time.sqrt();
    let loss = |r: f64| {
        if sigma > 0.0 {
            sigma * standard_normal_loss((r - mu) / sigma)
        } else {
            (mu - r).max(0.0)
        }
    };
    let mut q = (2.0 * k * lambda / h).sqrt();
    let mut r = 0.0;
    let (mut q_prev, mut r_prev) = (f64::INFINITY, f64::INFINITY);
    let mut iterations = 0;
    while (q - q_prev).abs() > TOL || (r - r_prev).abs() > TOL {
        iterations += 1;
        if iterations > ITER_MAX {
            return Err(Error::invalid_parameter(
                "costs",
                "the EIL approximation does not converge",
            ));
        }
        q_prev = q;
        r_prev = r;
        let critical = 1.0 - q * h / (p * lambda);
        if !(critical > 0.0 && critical < 1.0) {
            return Err(Error::invalid_parameter(
                "costs.stockout",
                format!(
                    "too small against the holding cost for the EIL approximation (critical ratio {critical})"
                ),
            ));
        }
        r = mu + sigma * quantile(critical);
        q = (2.0 * lambda * (k + p * loss(r)) / h).sqrt();
    }
    let cost = h * (r - mu + q / 2.0) + k * lambda / q + p * lambda * loss(r) / q;
    Ok(RqPolicy {
        reorder_point: r,
        order_quantity: q,
        cost,
    })
}

/// The optimal integer (r, Q) policy with Poisson demand of rate λ and lead time L
/// (Federgruen & Zheng 1992, as in Snyder & Shen §5.5): Q grows one unit at a time, r
/// steps down when that is cheaper, until the cost rises.
// h, p, g, r, Q: the textbook's notation.
#[allow(clippy::many_single_char_names)]
pub fn r_q_poisson(costs: InventoryCosts, demand_rate: f64, lead_time: f64) -> Result<RqPolicy> {
    check_costs(costs)?;
    check::positive("demand_rate", demand_rate)?;
    check::non_negative("lead_time", lead_time)?;
    let (h, p) = (costs.holding, costs.stockout);
    let mu = demand_rate * lead_time;
    let g = |y: i64| poisson_newsvendor_cost(y, h, p, mu);
    let cost = |r: i64, q: i64| {
        let sum: f64 = (r + 1..=r + q).map(g).sum();
        (costs.fixed * demand_rate + sum) / q as f64
    };
    let s_star = poisson_quantile(p / (p + h), mu)?;
    let mut q = 1;
    let mut r = s_star - 1;
    let mut g_cur = cost(r, q);
    loop {
        let (g_prev, r_prev) = (g_cur, r);
        if g(r) < g(r + q + 1) {
            r -= 1;
        }
        g_cur = cost(r, q + 1);
        if g_cur > g_prev || q >= LEVEL_MAX {
            return Ok(RqPolicy {
                reorder_point: r_prev as f64,
                order_quantity: q as f64,
                cost: g_prev,
            });
        }
        q += 1;
    }
}

/// An (s, S) policy with real-valued levels.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct SsLevels {
    /// Reorder point s: order when the inventory position is at or below it.
    pub reorder_point: f64,
    /// Order-up-to level S.
    pub order_up_to: f64,
}

/// The (s, S) policy of the power approximation for normal demand per period (Ehrhardt &
/// Mosier 1984; Snyder & Shen eqs. 4.77–4.80, stockpyl's `s_s_power_approximation`):
/// `Q = 1.30 μ^0.494 (K/h)^0.506 (1 + σ_L²/μ²)^0.116`, `z = √(Q h/(σ_L p))`,
/// `s = 0.973 μ_L + σ_L(0.183/z + 1.063 − 2.192 z)`, `S = s + Q`, where μ_L and σ_L are
/// the mean and standard deviation of demand over the `lead_time` periods plus the one
/// under review (stockpyl's is the case `lead_time` = 0).
///
/// Without demand variability the limit σ_L → 0 is taken (`s = 0.973 μ_L`); without a
/// fixed cost the optimum is a base-stock policy, so `s = S` = the newsvendor level of
/// the protection interval's demand.
// h, p, K, Q, z, s: the paper's notation.
#[allow(clippy::many_single_char_names)]
pub fn s_s_power_approximation(
    costs: InventoryCosts,
    demand: Demand,
    lead_time: f64,
) -> Result<SsLevels> {
    check_costs(costs)?;
    check::positive("demand.mean", demand.mean)?;
    check::non_negative("demand.std_dev", demand.std_dev)?;
    check::non_negative("lead_time", lead_time)?;
    let (h, p, k) = (costs.holding, costs.stockout, costs.fixed);
    let periods = lead_time + 1.0;
    let mu = demand.mean;
    let mu_l = mu * periods;
    let sigma_l = demand.std_dev * periods.sqrt();
    if k == 0.0 {
        let level = mu_l + sigma_l * quantile(p / (p + h));
        return Ok(SsLevels {
            reorder_point: level,
            order_up_to: level,
        });
    }
    let q =
        1.30 * mu.powf(0.494) * (k / h).powf(0.506) * (1.0 + (sigma_l / mu).powi(2)).powf(0.116);
    let s = if sigma_l > 0.0 {
        let z = ((q / sigma_l) * (h / p)).sqrt();
        0.973 * mu_l + sigma_l * ((0.183 / z) + 1.063 - 2.192 * z)
    } else {
        0.973 * mu_l
    };
    Ok(SsLevels {
        reorder_point: s,
        order_up_to: s + q,
    })
}

/// Holding and stockout costs above zero; a fixed cost of zero is a base-stock setting
/// (each model's doc says what it gives then).
pub(crate) fn check_costs(c: InventoryCosts) -> Result<()> {
    check::positive("costs.holding", c.holding)?;
    check::positive("costs.stockout", c.stockout)?;
    check::non_negative("costs.fixed", c.fixed)?;
    Ok(())
}

/// Demand per unit time and a lead time of zero (same-day delivery) or more.
pub(crate) fn check_rq_demand(d: Demand, lead_time: f64) -> Result<()> {
    check::non_negative("demand.mean", d.mean)?;
    check::non_negative("demand.std_dev", d.std_dev)?;
    check::non_negative("lead_time", lead_time)?;
    Ok(())
}

/// (s, S) cost, arguments already checked.
fn ss_cost(s: i64, big_s: i64, costs: InventoryCosts, mean: f64) -> f64 {
    let width = (big_s - s) as usize;
    let pmf: Vec<f64> = (0..width).map(|k| poisson_pmf(k as i64, mean)).collect();
    // m[j]: expected number of periods the position spends at S − j in a cycle
    // (renewal equation of the demand process).
    let mut m = vec![0.0; width];
    m[0] = 1.0 / (1.0 - pmf[0]);
    for j in 1..width {
        let sum: f64 = (1..=j).map(|l| pmf[l] * m[j - l]).sum();
        m[j] = m[0] * sum;
    }
    let cycle: f64 = m.iter().sum();
    let mut cost = costs.fixed;
    for (d, md) in m.iter().enumerate() {
        cost += md * poisson_newsvendor_cost(big_s - d as i64, costs.holding, costs.stockout, mean);
    }
    cost / cycle
}

/// h·E[(y − D)⁺] + p·E[(D − y)⁺] for Poisson D of mean `mean`.
fn poisson_newsvendor_cost(y: i64, h: f64, p: f64, mean: f64) -> f64 {
    let (short, excess) = poisson_loss(y, mean);
    h * excess + p * short
}

/// E[(D − x)⁺] and E[(x − D)⁺] for Poisson D: (μ − x)P(D > x) + μP(D = x), and that
/// plus x − μ.
fn poisson_loss(x: i64, mean: f64) -> (f64, f64) {
    if x < 0 {
        return (mean - x as f64, 0.0);
    }
    let (_, upper) = poisson_cdf_sf(x, mean);
    let short = (mean - x as f64) * upper + mean * poisson_pmf(x, mean);
    (short, short + x as f64 - mean)
}

/// P(D = k) for Poisson D, in log space so large means do not underflow e^{−μ}.
fn poisson_pmf(k: i64, mean: f64) -> f64 {
    if k < 0 {
        return 0.0;
    }
    if mean == 0.0 {
        // No demand at all (a lead time of zero): all the mass at 0.
        return if k == 0 { 1.0 } else { 0.0 };
    }
    let kf = k as f64;
    (kf * mean.ln() - mean - ln_factorial(k)).exp()
}

/// P(D ≤ x) and P(D > x), each summed directly on its own side of the mean so that
/// neither is a difference of numbers near 1.
fn poisson_cdf_sf(x: i64, mean: f64) -> (f64, f64) {
    if x < 0 {
        return (0.0, 1.0);
    }
    if (x as f64) <= mean {
        let lower: f64 = (0..=x).map(|k| poisson_pmf(k, mean)).sum();
        (lower, 1.0 - lower)
    } else {
        let mut upper = 0.0;
        let mut k = x + 1;
        loop {
            let term = poisson_pmf(k, mean);
            upper += term;
            if term <= upper * 1e-17 || term == 0.0 || k - x > LEVEL_MAX {
                break;
            }
            k += 1;
        }
        (1.0 - upper, upper)
    }
}

/// The smallest integer S ≥ 0 with P(D ≤ S) ≥ `prob`.
fn poisson_quantile(prob: f64, mean: f64) -> Result<i64> {
    let mut cdf = 0.0;
    for s in 0..=LEVEL_MAX {
        cdf += poisson_pmf(s, mean);
        if cdf >= prob {
            return Ok(s);
        }
    }
    Err(Error::invalid_parameter(
        "demand_mean",
        format!("{mean} is too large for the Poisson search"),
    ))
}

/// ln k!, summed exactly below 30 and by Stirling's series (error < 1e-16) above.
fn ln_factorial(k: i64) -> f64 {
    if k < 30 {
        return (2..=k).map(|i| (i as f64).ln()).sum();
    }
    let x = k as f64;
    let x2 = x * x;
    x * x.ln() - x + 0.5 * (2.0 * std::f64::consts::PI * x).ln() + 1.0 / (12.0 * x)
        - 1.0 / (360.0 * x * x2)
        + 1.0 / (1260.0 * x * x2 * x2)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn poisson_helpers_are_consistent() {
        for mean in [0.5, 6.0, 50.0] {
            let total: f64 = (0..400).map(|k| poisson_pmf(k, mean)).sum();
            assert!((total - 1.0).abs() < 1e-13, "mean {mean}: {total}");
            for x in [0, 3, 10, 49, 50, 51, 80] {
                let (lo, up) = poisson_cdf_sf(x, mean);
                assert!((lo + up - 1.0).abs() < 1e-13);
                // Shortage loss by direct summation.
                let direct: f64 = (x + 1..400)
                    .map(|d| (d - x) as f64 * poisson_pmf(d, mean))
                    .sum();
                let (short, excess) = poisson_loss(x, mean);
                assert!(
                    (short - direct).abs() < 1e-11 * (1.0 + direct),
                    "mean {mean} x {x}"
                );
                assert!((excess - (short + x as f64 - mean)).abs() < 1e-12);
            }
        }
        let exact: f64 = (2..=40).map(|i| f64::from(i).ln()).sum();
        assert!((ln_factorial(40) - exact).abs() < 1e-12);
    }

    #[test]
    fn s_s_optimum_beats_every_nearby_policy() {
        let costs = InventoryCosts {
            holding: 1.0,
            stockout: 4.0,
            fixed: 5.0,
        };
        let best = s_s_optimal_poisson(costs, 6.0).unwrap();
        for s in -5..15 {
            for big in (s + 1)..30 {
                let c = s_s_cost_poisson(s, big, costs, 6.0).unwrap();
                assert!(
                    c >= best.cost - 1e-12,
                    "({s}, {big}) costs {c} < {}",
                    best.cost
                );
            }
        }
    }

    #[test]
    fn r_q_poisson_optimum_beats_nearby_policies() {
        let costs = InventoryCosts {
            holding: 20.0,
            stockout: 150.0,
            fixed: 100.0,
        };
        let best = r_q_poisson(costs, 1.5, 2.0).unwrap();
        let mu = 3.0;
        let cost = |r: i64, q: i64| {
            let sum: f64 = (r + 1..=r + q)
                .map(|y| poisson_newsvendor_cost(y, 20.0, 150.0, mu))
                .sum();
            (100.0 * 1.5 + sum) / q as f64
        };
        for r in -3..10 {
            for q in 1..20 {
                assert!(cost(r, q) >= best.cost - 1e-12, "({r}, {q})");
            }
        }
    }
}
