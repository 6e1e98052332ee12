//! What-if: a period of the log replayed under another replenishment policy.
//!
//! The demand that came, bucket by bucket (as the plan defines demand,
//! [`crate::planning::demand`]), is served from a simulated stock that starts with the
//! on-hand the log held when the range began. Each period, in this order:
//! 1. the orders due arrive;
//! 2. on a review period the policy looks at the inventory position (on hand + on order
//!    − backordered) and may order; with a lead time of `L` periods the order arrives at
//!    the start of the period `L` later (with `L = 0`, at once, before the demand);
//! 3. backorders are served first (when short demand is backordered), then the period's
//!    demand; what is not met from stock is backordered or lost.
//!
//! The answer sets the simulation beside what the log says happened over the same
//! buckets: on-hand at the end of each, receipts from suppliers. Everything is integer
//! units of the item, so the simulation's balance is exact: start + received − met = end.

use serde::{Deserialize, Serialize};

use super::demand::{Bucket, Grid, qty_f64};
use crate::error::{Error, Result};
use crate::event::{Event, MovementKind};
use crate::model::{Qty, Timestamp};
use crate::setters::setters;
use crate::store::backend::StoreRead;

/// The longest lead time a what-if takes, in periods.
pub const LEAD_TIME_PERIODS_MAX: usize = 10_000;

/// The replenishment policy a what-if replays.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[serde(rename_all = "snake_case")]
pub enum WhatIfPolicy {
    /// (s, S), reviewed every period: when the position is at or below `reorder_point`,
    /// order up to `order_up_to`.
    MinMax {
        /// s: the reorder point.
        reorder_point: Qty,
        /// S: the level ordered up to, not below s.
        order_up_to: Qty,
    },
    /// (r, Q), reviewed every period: when the position is at or below `reorder_point`,
    /// order the fewest multiples of `order_qty` that lift it above.
    ReorderQuantity {
        /// r: the reorder point.
        reorder_point: Qty,
        /// Q: the order quantity, above zero.
        order_qty: Qty,
    },
    /// Base stock / order-up-to with a review period (R, S): every `review_periods`
    /// periods from the first, order up to `level`.
    OrderUpTo {
        /// S: the base-stock level.
        level: Qty,
        /// R: periods between reviews, at least 1.
        review_periods: usize,
    },
    /// The plan's reorder point at another cycle service level: s = μL + zσ√L with μ and
    /// σ the mean and standard deviation of the demand of the `history_periods` buckets
    /// before the range (from the item's first event on) and L the lead time in periods;
    /// ordered up to S = s + `cover_periods` × μ, reviewed every period. Both are rounded
    /// up to the item's precision.
    ServiceLevel {
        /// The cycle service level, strictly between 0 and 1.
        service_level: f64,
        /// Periods of mean demand ordered beyond the reorder point (the plan's default 4).
        cover_periods: f64,
    },
}

/// What a what-if replays.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct WhatIfOptions {
    /// The item.
    pub sku: String,
    /// The site (its subtree's stock and demand).
    pub site: String,
    /// The start of the range: every bucket meeting `[from, to)` is replayed.
    #[schemars(with = "crate::model::InstantSchema")]
    pub from: Timestamp,
    /// The end of the range (excluded).
    #[schemars(with = "crate::model::InstantSchema")]
    pub to: Timestamp,
    /// The policy.
    pub policy: WhatIfPolicy,
    /// The period length (default: week).
    #[serde(default)]
    pub bucket: Bucket,
    /// Periods from an order to its arrival (default 1; 0: the same period).
    #[serde(default = "lead_time_default")]
    pub lead_time_periods: usize,
    /// Short demand is backordered and served when stock comes (default: lost).
    #[serde(default)]
    pub backorders: bool,
    /// Buckets of history before the range that estimate demand for the service-level
    /// policy (default 104).
    #[serde(default = "history_default")]
    pub history_periods: usize,
    /// Demand is ordered demand, backorders included, as the plan's option of that name.
    #[serde(default)]
    pub include_backorders: bool,
}

fn lead_time_default() -> usize {
    1
}

fn history_default() -> usize {
    104
}

impl WhatIfOptions {
    /// A replay of `sku` at `site` over `[from, to)` under `policy`.
    #[must_use]
    pub fn new(
        sku: impl Into<String>,
        site: impl Into<String>,
        from: Timestamp,
        to: Timestamp,
        policy: WhatIfPolicy,
    ) -> WhatIfOptions {
        WhatIfOptions {
            sku: sku.into(),
            site: site.into(),
            from,
            to,
            policy,
            bucket: Bucket::Week,
            lead_time_periods: lead_time_default(),
            backorders: false,
            history_periods: history_default(),
            include_backorders: false,
        }
    }
}

setters! {
    WhatIfOptions {
        /// The period length (default: week).
        set(Bucket) bucket,
        /// Periods from an order to its arrival (default 1; 0: the same period).
        set(usize) lead_time_periods,
        /// Short demand is backordered and served when stock comes (default: lost).
        set(bool) backorders,
        /// Buckets of history before the range for the service-level policy.
        set(usize) history_periods,
        /// Demand is ordered demand, backorders included.
        set(bool) include_backorders,
    }
}

/// One period of the replay.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct WhatIfPeriod {
    /// The bucket's first instant.
    #[schemars(with = "crate::model::InstantSchema")]
    pub start: Timestamp,
    /// The demand that came.
    pub demand: Qty,
    /// Simulated: received at the start of the period.
    pub received: Qty,
    /// Simulated: ordered in the period.
    pub ordered: Qty,
    /// Simulated: demand met (backorders served included).
    pub met: Qty,
    /// Simulated: the period's demand not met from stock at once.
    pub short: Qty,
    /// Simulated: on hand at the end.
    pub on_hand: Qty,
    /// Simulated: backordered at the end.
    pub backordered: Qty,
    /// In the log: on hand at the end.
    pub actual_on_hand: Qty,
    /// In the log: received from suppliers in the period.
    pub actual_received: Qty,
}

/// The simulated outcome's totals.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct SimulatedTotals {
    /// On hand at the start (the log's, at the range's start).
    pub start_on_hand: Qty,
    /// On hand at the end.
    pub end_on_hand: Qty,
    /// Periods in which some demand was not met from stock at once.
    pub stockout_periods: usize,
    /// Units of demand not met from stock at once (lost, or backordered).
    pub units_short: Qty,
    /// Demand met from stock at once over all demand (none without demand).
    pub fill_rate: Option<f64>,
    /// The mean of the end-of-period on-hand.
    pub average_on_hand: f64,
    /// Orders placed.
    pub orders: usize,
    /// Units ordered.
    pub units_ordered: Qty,
    /// Units received (orders placed in the range and arrived within it).
    pub units_received: Qty,
    /// Units of demand met (backorders served included).
    pub units_met: Qty,
    /// Backordered at the end.
    pub end_backordered: Qty,
    /// On order at the end (placed, not yet arrived).
    pub end_on_order: Qty,
}

/// What the log says happened over the same buckets.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct ActualTotals {
    /// On hand at the end.
    pub end_on_hand: Qty,
    /// Periods that ended with nothing on hand (the log keeps no demand it did not see,
    /// so an empty shelf is what it tells of a stockout).
    pub stockout_periods: usize,
    /// The mean of the end-of-period on-hand.
    pub average_on_hand: f64,
    /// Receipts from suppliers.
    pub receipts: usize,
    /// Units received from suppliers.
    pub units_received: Qty,
}

/// The answer of [`what_if`](crate::Stockbook::what_if).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct WhatIf {
    /// The item.
    pub sku: String,
    /// The site.
    pub site: String,
    /// The period length.
    pub bucket: Bucket,
    /// The reorder point the policy used (s or r), if it has one.
    pub reorder_point: Option<Qty>,
    /// The level the policy ordered up to (S), if it has one.
    pub order_up_to: Option<Qty>,
    /// The simulated outcome.
    pub simulated: SimulatedTotals,
    /// What happened.
    pub actual: ActualTotals,
    /// Every bucket, oldest first.
    pub periods: Vec<WhatIfPeriod>,
}

// ---- the simulation ---------------------------------------------------------------------

/// A policy in item units, as the simulation runs it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UnitPolicy {
    /// (s, S).
    MinMax {
        /// s.
        reorder_point: i64,
        /// S.
        order_up_to: i64,
    },
    /// (r, Q).
    ReorderQuantity {
        /// r.
        reorder_point: i64,
        /// Q, above zero.
        order_qty: i64,
    },
    /// (R, S).
    OrderUpTo {
        /// S.
        level: i64,
        /// R, at least 1.
        review_periods: usize,
    },
}

impl UnitPolicy {
    /// The order placed in `period` at inventory position `position`.
    fn order(self, period: usize, position: i64) -> i64 {
        match self {
            UnitPolicy::MinMax {
                reorder_point,
                order_up_to,
            } => {
                if position <= reorder_point {
                    order_up_to.saturating_sub(position).max(0)
                } else {
                    0
                }
            }
            UnitPolicy::ReorderQuantity {
                reorder_point,
                order_qty,
            } => {
                if position <= reorder_point {
                    // The fewest n with position + n·Q > r.
                    let gap = reorder_point.saturating_sub(position);
                    let n = gap / order_qty + 1;
                    n.saturating_mul(order_qty)
                } else {
                    0
                }
            }
            UnitPolicy::OrderUpTo {
                level,
                review_periods,
            } => {
                if period.is_multiple_of(review_periods) {
                    level.saturating_sub(position).max(0)
                } else {
                    0
                }
            }
        }
    }
}

/// One simulated period, in item units.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct SimPeriod {
    /// Demand.
    pub demand: i64,
    /// Received at the start.
    pub received: i64,
    /// Ordered.
    pub ordered: i64,
    /// Met (backorders served included).
    pub met: i64,
    /// The period's demand not met at once.
    pub short: i64,
    /// On hand at the end.
    pub on_hand: i64,
    /// Backordered at the end.
    pub backordered: i64,
}

/// A simulation's periods, and what is on order at its end.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Simulation {
    /// Period by period.
    pub periods: Vec<SimPeriod>,
    /// Orders placed.
    pub orders: usize,
    /// Placed and not arrived by the end.
    pub on_order: i64,
}

/// Serves `demand` (units per period) from `start_on_hand` under `policy`, orders arriving
/// `lead` periods after they are placed; short demand is backordered or lost. A negative
/// start (stock the book let go below zero) starts at zero, backordered when backorders
/// are on.
pub fn simulate(
    start_on_hand: i64,
    demand: &[i64],
    policy: UnitPolicy,
    lead: usize,
    backorders: bool,
) -> Simulation {
    let mut on_hand = start_on_hand.max(0);
    let mut backlog = if backorders {
        (-start_on_hand).max(0)
    } else {
        0
    };
    // Arrivals by the period they arrive in; orders arriving after the range stay on order.
    let mut arriving = vec![0_i64; demand.len()];
    let mut on_order = 0_i64;
    let mut orders = 0;
    let mut periods = Vec::with_capacity(demand.len());
    for (t, &d) in demand.iter().enumerate() {
        let mut received = arriving[t];
        on_order -= received;
        on_hand += received;
        let q = policy.order(t, on_hand + on_order - backlog);
        if q > 0 {
            orders += 1;
            if lead == 0 {
                on_hand += q;
                received += q;
            } else {
                on_order += q;
                if let Some(slot) = arriving.get_mut(t + lead) {
                    *slot += q;
                }
            }
        }
        let served = backlog.min(on_hand);
        backlog -= served;
        on_hand -= served;
        let now = d.min(on_hand);
        on_hand -= now;
        let short = d - now;
        if backorders {
            backlog += short;
        }
        periods.push(SimPeriod {
            demand: d,
            received,
            ordered: q,
            met: served + now,
            short,
            on_hand,
            backordered: backlog,
        });
    }
    Simulation {
        periods,
        orders,
        on_order,
    }
}

/// Mean and sample standard deviation of `history` (zero for fewer than two values).
pub(crate) fn mean_and_std(history: &[f64]) -> (f64, f64) {
    if history.is_empty() {
        return (0.0, 0.0);
    }
    let n = history.len() as f64;
    let mean = history.iter().sum::<f64>() / n;
    if history.len() < 2 {
        return (mean, 0.0);
    }
    let var = history.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (n - 1.0);
    (mean, var.sqrt())
}

/// A non-negative float quantity as item units, rounded up.
fn ceil_units(q: f64, decimals: u8) -> Result<i64> {
    let scaled = (q.max(0.0) * 10_f64.powi(i32::from(decimals)) - 1e-9).ceil();
    if !scaled.is_finite() || scaled >= i64::MAX as f64 {
        return Err(Error::invalid_parameter(
            "policy",
            format!("the level {q} overflows"),
        ));
    }
    Ok(scaled.max(0.0) as i64)
}

/// A quantity of the policy as item units: refused when it has more digits than the item
/// or is negative.
fn policy_units(name: &str, q: Qty, decimals: u8) -> Result<i64> {
    if q.is_negative() {
        return Err(Error::invalid_parameter(
            name,
            format!("must not be negative, got {q}"),
        ));
    }
    let q = q.rescale(decimals).map_err(|_| {
        Error::invalid_parameter(
            name,
            format!("{q} has more digits than the item's {decimals} decimals"),
        )
    })?;
    Ok(q.units())
}

/// Checks `o` and turns its policy into units of an item of `decimals`, given the demand
/// history before the range (for the service-level policy): the policy, its reorder point
/// and its order-up-to level.
pub(crate) fn unit_policy(
    o: &WhatIfOptions,
    decimals: u8,
    history: &[f64],
) -> Result<(UnitPolicy, Option<i64>, Option<i64>)> {
    if o.lead_time_periods > LEAD_TIME_PERIODS_MAX {
        return Err(Error::invalid_parameter(
            "lead_time_periods",
            format!("must be at most {LEAD_TIME_PERIODS_MAX}"),
        ));
    }
    Ok(match &o.policy {
        WhatIfPolicy::MinMax {
            reorder_point,
            order_up_to,
        } => {
            let s = policy_units("reorder_point", *reorder_point, decimals)?;
            let big_s = policy_units("order_up_to", *order_up_to, decimals)?;
            if big_s < s {
                return Err(Error::invalid_parameter(
                    "order_up_to",
                    format!("must not lie below the reorder point {reorder_point}"),
                ));
            }
            (
                UnitPolicy::MinMax {
                    reorder_point: s,
                    order_up_to: big_s,
                },
                Some(s),
                Some(big_s),
            )
        }
        WhatIfPolicy::ReorderQuantity {
            reorder_point,
            order_qty,
        } => {
            let r = policy_units("reorder_point", *reorder_point, decimals)?;
            let q = policy_units("order_qty", *order_qty, decimals)?;
            if q == 0 {
                return Err(Error::invalid_parameter("order_qty", "must be above zero"));
            }
            (
                UnitPolicy::ReorderQuantity {
                    reorder_point: r,
                    order_qty: q,
                },
                Some(r),
                None,
            )
        }
        WhatIfPolicy::OrderUpTo {
            level,
            review_periods,
        } => {
            let s = policy_units("level", *level, decimals)?;
            if *review_periods == 0 {
                return Err(Error::invalid_parameter(
                    "review_periods",
                    "must be at least 1",
                ));
            }
            (
                UnitPolicy::OrderUpTo {
                    level: s,
                    review_periods: *review_periods,
                },
                None,
                Some(s),
            )
        }
        WhatIfPolicy::ServiceLevel {
            service_level,
            cover_periods,
        } => {
            super::check::open_unit("service_level", *service_level)?;
            super::check::non_negative("cover_periods", *cover_periods)?;
            let z = super::policy::normal_quantile(*service_level)?;
            let (mean, std) = mean_and_std(history);
            let lead = o.lead_time_periods as f64;
            let rop = (mean * lead + z * std * lead.sqrt()).max(0.0);
            let up_to = rop + cover_periods * mean;
            let s = ceil_units(rop, decimals)?;
            let big_s = ceil_units(up_to, decimals)?.max(s);
            (
                UnitPolicy::MinMax {
                    reorder_point: s,
                    order_up_to: big_s,
                },
                Some(s),
                Some(big_s),
            )
        }
    })
}

/// Receipts from suppliers into `scope` per bucket of `grid`, in units, and their count,
/// from the log of `sku` up to `last_seq`.
pub(crate) fn receipts(
    view: &StoreRead,
    sku: &str,
    scope: &std::collections::HashSet<String>,
    grid: &Grid,
    last_seq: u64,
) -> Result<(Vec<i64>, usize)> {
    let events = view.event_log()?;
    let mut log = events.reader();
    let mut units = vec![0_i64; grid.len];
    let mut count = 0;
    for seq in view.item_seqs(sku, 0, last_seq, usize::MAX)? {
        let env = log.get(seq)?;
        let Event::Moved(m) = &env.event else {
            continue;
        };
        if m.kind != MovementKind::Receive || !scope.contains(&m.to) {
            continue;
        }
        if let Some(slot) = grid.slot(env.effective_at) {
            units[slot] = units[slot].saturating_add(m.qty.units());
            count += 1;
        }
    }
    Ok((units, count))
}

/// The answer from the simulation and the log's figures, all in units of an item of
/// `decimals`: demand, actual end-of-period on-hand and actual receipts per bucket.
#[allow(clippy::too_many_arguments)]
pub(crate) fn answer(
    o: &WhatIfOptions,
    grid: &Grid,
    decimals: u8,
    levels: (Option<i64>, Option<i64>),
    start_on_hand: i64,
    sim: &Simulation,
    actual_on_hand: &[i64],
    actual_received: (&[i64], usize),
) -> Result<WhatIf> {
    let q = |units: i64| Qty::from_units(units, decimals);
    let mut periods = Vec::with_capacity(grid.len);
    for (i, p) in sim.periods.iter().enumerate() {
        periods.push(WhatIfPeriod {
            start: grid.start(i),
            demand: q(p.demand)?,
            received: q(p.received)?,
            ordered: q(p.ordered)?,
            met: q(p.met)?,
            short: q(p.short)?,
            on_hand: q(p.on_hand)?,
            backordered: q(p.backordered)?,
            actual_on_hand: q(actual_on_hand[i])?,
            actual_received: q(actual_received.0[i])?,
        });
    }
    let sum = |f: fn(&SimPeriod) -> i64| sim.periods.iter().map(f).sum::<i64>();
    let demand = sum(|p| p.demand);
    let short = sum(|p| p.short);
    let n = sim.periods.len().max(1) as f64;
    let avg = |units: i64| qty_f64(Qty::from_units(units, decimals).unwrap_or(Qty::ZERO)) / n;
    let last = sim.periods.last().copied().unwrap_or_default();
    let simulated = SimulatedTotals {
        start_on_hand: q(start_on_hand)?,
        end_on_hand: q(last.on_hand)?,
        stockout_periods: sim.periods.iter().filter(|p| p.short > 0).count(),
        units_short: q(short)?,
        fill_rate: (demand > 0).then(|| (demand - short) as f64 / demand as f64),
        average_on_hand: avg(sum(|p| p.on_hand)),
        orders: sim.orders,
        units_ordered: q(sum(|p| p.ordered))?,
        units_received: q(sum(|p| p.received))?,
        units_met: q(sum(|p| p.met))?,
        end_backordered: q(last.backordered)?,
        end_on_order: q(sim.on_order)?,
    };
    let actual = ActualTotals {
        end_on_hand: q(actual_on_hand.last().copied().unwrap_or(start_on_hand))?,
        stockout_periods: actual_on_hand.iter().filter(|u| **u <= 0).count(),
        average_on_hand: avg(actual_on_hand.iter().sum()),
        receipts: actual_received.1,
        units_received: q(actual_received.0.iter().sum())?,
    };
    Ok(WhatIf {
        sku: o.sku.clone(),
        site: o.site.clone(),
        bucket: o.bucket,
        reorder_point: levels.0.map(q).transpose()?,
        order_up_to: levels.1.map(q).transpose()?,
        simulated,
        actual,
        periods,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn min_max_with_one_period_of_lead_time_by_hand() {
        // s = 3, S = 10, start 5, demand 2 4 3 5 1, lost sales.
        // t0: pos 5 > 3; demand 2 → 3.        t1: pos 3 ≤ 3: order 7 (arrives t2); 4 → 0, short 1.
        // t2: +7 = 7, pos 7; 3 → 4.            t3: pos 4; 5 → 0, short 1.
        // t4: pos 0: order 10 (arrives t5, after the range); 1 → 0, short 1.
        let sim = simulate(
            5,
            &[2, 4, 3, 5, 1],
            UnitPolicy::MinMax {
                reorder_point: 3,
                order_up_to: 10,
            },
            1,
            false,
        );
        let on_hand: Vec<i64> = sim.periods.iter().map(|p| p.on_hand).collect();
        let short: Vec<i64> = sim.periods.iter().map(|p| p.short).collect();
        let ordered: Vec<i64> = sim.periods.iter().map(|p| p.ordered).collect();
        assert_eq!(on_hand, [3, 0, 4, 0, 0]);
        assert_eq!(short, [0, 1, 0, 1, 1]);
        assert_eq!(ordered, [0, 7, 0, 0, 10]);
        assert_eq!(sim.orders, 2);
        assert_eq!(sim.on_order, 10);
    }

    #[test]
    fn backorders_are_served_first_when_stock_arrives() {
        // r = 0, Q = 4, lead 0, start 1, demand 3 0 2.
        // t0: pos 1 > 0; 3 → met 1, short 2, backlog 2.
        // t1: pos 1 − 1 ... on hand 0, backlog 2: pos −2 ≤ 0: n = 2/4 + 1 = 1 → 4 now;
        //     serve backlog 2 → on hand 2.
        // t2: pos 2 > 0; demand 2 → 0.
        let sim = simulate(
            1,
            &[3, 0, 2],
            UnitPolicy::ReorderQuantity {
                reorder_point: 0,
                order_qty: 4,
            },
            0,
            true,
        );
        let met: Vec<i64> = sim.periods.iter().map(|p| p.met).collect();
        let on_hand: Vec<i64> = sim.periods.iter().map(|p| p.on_hand).collect();
        let backordered: Vec<i64> = sim.periods.iter().map(|p| p.backordered).collect();
        assert_eq!(met, [1, 2, 2]);
        assert_eq!(on_hand, [0, 2, 0]);
        assert_eq!(backordered, [2, 0, 0]);
        // At the end of t2 the position is 0 ≤ r, but the review came before the demand.
        assert_eq!(sim.orders, 1);
    }

    #[test]
    fn order_up_to_reviews_every_r_periods() {
        let sim = simulate(
            0,
            &[1, 1, 1, 1],
            UnitPolicy::OrderUpTo {
                level: 5,
                review_periods: 2,
            },
            0,
            false,
        );
        let ordered: Vec<i64> = sim.periods.iter().map(|p| p.ordered).collect();
        // t0: 0 → order 5; t2: position 3 → order 2.
        assert_eq!(ordered, [5, 0, 2, 0]);
    }
}
