//! Allocation: which bins and lots serve a demand, and who gets short stock.
//!
//! A plan never takes more than is free: for every location on the way from a bin to the
//! root, on hand in its subtree minus what is reserved there (including what this plan
//! has already taken). Expired lots are never allocated. Ties are broken by location code
//! then lot, so a plan is a pure function of the state.

use crate::collections::HashMap;

use serde::{Deserialize, Serialize};

use crate::ledger::Ledger;
use crate::model::{DAY_MS, Qty, Timestamp};

pub use crate::model::strategy::{ShortagePolicy, Strategy};

/// One bin and lot of a plan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct AllocationLine {
    /// The bin.
    pub location: String,
    /// The lot.
    pub lot: Option<String>,
    /// How much to take there.
    pub qty: Qty,
}

/// Where a demand would be served from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct AllocationPlan {
    /// The item.
    pub sku: String,
    /// What was asked for.
    pub requested: Qty,
    /// The split over bins and lots.
    pub lines: Vec<AllocationLine>,
    /// What could not be served.
    pub short: Qty,
}

/// Reservations a decision has planned but not yet applied.
#[derive(Debug, Default)]
pub(crate) struct Pending {
    /// (sku, node) → units reserved within the node's subtree.
    node: HashMap<(String, String), i64>,
    /// (sku, node, lot) → units of the lot reserved within the subtree.
    node_lot: HashMap<(String, String, String), i64>,
}

impl Pending {
    /// Counts a hard reservation of `units` at (`location`, `lot`).
    pub(crate) fn add(
        &mut self,
        state: Ledger<'_>,
        sku: &str,
        location: &str,
        lot: &str,
        units: i64,
    ) {
        for node in state.chain(location) {
            *self.node.entry((sku.to_owned(), node.clone())).or_default() += units;
            *self
                .node_lot
                .entry((sku.to_owned(), node, lot.to_owned()))
                .or_default() += units;
        }
    }

    fn node(&self, sku: &str, node: &str) -> i64 {
        self.node
            .get(&(sku.to_owned(), node.to_owned()))
            .copied()
            .unwrap_or(0)
    }

    fn node_lot(&self, sku: &str, node: &str, lot: &str) -> i64 {
        self.node_lot
            .get(&(sku.to_owned(), node.to_owned(), lot.to_owned()))
            .copied()
            .unwrap_or(0)
    }
}

/// Units that can still be reserved at (`location`, `lot`): the least free quantity over
/// the location's chain to the root, for all lots and for this lot.
pub(crate) fn free_units(
    state: Ledger<'_>,
    pending: &Pending,
    sku: &str,
    location: &str,
    lot: Option<&str>,
) -> i64 {
    let mut free = i64::MAX;
    for node in state.chain(location) {
        let all = state.on_hand_rollup(sku, &node)
            - state.reserved_rollup(sku, &node)
            - pending.node(sku, &node);
        free = free.min(all);
        if let Some(lot) = lot {
            let one = state.on_hand_lot_rollup(sku, &node, lot)
                - state.reserved_lot_rollup(sku, &node, lot)
                - pending.node_lot(sku, &node, lot);
            free = free.min(one);
        }
    }
    free.max(0)
}

struct Candidate {
    location: String,
    lot: String,
    units: i64,
    received_at: Timestamp,
    expiry: Option<Timestamp>,
    distance: Option<i64>,
    rank: usize,
}

/// Plans `need` units of `sku` within `scope` by `strategy`, skipping `excluded` bins.
/// Adds what it plans to `pending`.
#[allow(clippy::too_many_arguments)]
pub(crate) fn plan(
    state: Ledger<'_>,
    pending: &mut Pending,
    sku: &str,
    need: i64,
    scope: &str,
    strategy: &Strategy,
    now: Timestamp,
    excluded: &[String],
) -> AllocationPlan {
    let mut candidates = candidates(state, sku, scope, strategy, now, excluded);
    // Rank by what is free, not by what is there: held stock serves no one else (a bin
    // that "holds it all" for fewest_locations must hold it free).
    for c in &mut candidates {
        let lot = (!c.lot.is_empty()).then_some(c.lot.as_str());
        c.units = c
            .units
            .min(free_units(state, pending, sku, &c.location, lot));
    }
    sort(&mut candidates, strategy, need);
    let mut left = need;
    let mut lines = Vec::new();
    for c in candidates {
        if left == 0 {
            break;
        }
        let lot = (!c.lot.is_empty()).then_some(c.lot.as_str());
        let free = free_units(state, pending, sku, &c.location, lot).min(c.units);
        let take = free.min(left);
        if take <= 0 {
            continue;
        }
        pending.add(state, sku, &c.location, &c.lot, take);
        left -= take;
        lines.push(AllocationLine {
            location: c.location,
            lot: lot.map(str::to_owned),
            qty: state.qty(sku, take),
        });
    }
    AllocationPlan {
        sku: sku.to_owned(),
        requested: state.qty(sku, need),
        lines,
        short: state.qty(sku, left),
    }
}

fn candidates(
    state: Ledger<'_>,
    sku: &str,
    scope: &str,
    strategy: &Strategy,
    now: Timestamp,
    excluded: &[String],
) -> Vec<Candidate> {
    let min_left_ms = match strategy {
        Strategy::Fefo { min_remaining_days } => i64::from(*min_remaining_days) * DAY_MS,
        _ => 0,
    };
    let origin = match strategy {
        Strategy::Nearest { location } => state.locations.get(location).and_then(|l| l.coordinates),
        _ => None,
    };
    let mut out = Vec::new();
    for code in state.subtree(scope) {
        let Some(loc) = state.locations.get(&code) else {
            continue;
        };
        if loc.kind.is_virtual() || loc.archived || !loc.pickable || excluded.contains(&code) {
            continue;
        }
        let rank = match strategy {
            Strategy::Ordered { locations } => match locations.iter().position(|l| *l == code) {
                Some(p) => p,
                None => continue,
            },
            _ => 0,
        };
        for (lot, units) in state.balances_at(sku, &code) {
            if units <= 0 {
                continue;
            }
            let lot_rec = (!lot.is_empty())
                .then(|| state.lots.get(&(sku.to_owned(), lot.to_owned())))
                .flatten();
            let expiry = lot_rec.and_then(|l| l.expiry);
            if expiry.is_some_and(|e| e <= now.saturating_add(min_left_ms)) {
                continue;
            }
            let received_at = lot_rec
                .and_then(|l| l.first_received)
                .or_else(|| state.received_at(sku, &code, lot))
                .unwrap_or(i64::MAX);
            let distance = match (origin, loc.coordinates) {
                (Some(a), Some(b)) => Some(
                    i64::from((a.x - b.x).abs())
                        + i64::from((a.y - b.y).abs())
                        + i64::from((a.z - b.z).abs()),
                ),
                _ => None,
            };
            out.push(Candidate {
                location: code.clone(),
                lot: lot.to_owned(),
                units,
                received_at,
                expiry,
                distance,
                rank,
            });
        }
    }
    out
}

fn sort(c: &mut [Candidate], strategy: &Strategy, need: i64) {
    let tie = |a: &Candidate, b: &Candidate| a.location.cmp(&b.location).then(a.lot.cmp(&b.lot));
    match strategy {
        Strategy::Fifo => c.sort_by(|a, b| a.received_at.cmp(&b.received_at).then(tie(a, b))),
        Strategy::Lifo => c.sort_by(|a, b| {
            // Unknown receipt times (MAX) go last in both directions.
            let key = |x: &Candidate| {
                if x.received_at == i64::MAX {
                    i64::MIN
                } else {
                    x.received_at
                }
            };
            key(b).cmp(&key(a)).then(tie(a, b))
        }),
        Strategy::Fefo { .. } => c.sort_by(|a, b| {
            let key = |x: &Candidate| x.expiry.unwrap_or(i64::MAX);
            key(a)
                .cmp(&key(b))
                .then(a.received_at.cmp(&b.received_at))
                .then(tie(a, b))
        }),
        Strategy::FewestLocations => {
            c.sort_by(|a, b| b.units.cmp(&a.units).then(tie(a, b)));
            // One bin that covers it all beats several: the smallest such bin first.
            if let Some(best) = c
                .iter()
                .enumerate()
                .filter(|(_, x)| x.units >= need)
                .min_by(|(_, a), (_, b)| a.units.cmp(&b.units).then(tie(a, b)))
                .map(|(i, _)| i)
            {
                c[..=best].rotate_right(1);
            }
        }
        Strategy::Nearest { .. } => c.sort_by(|a, b| {
            let key = |x: &Candidate| x.distance.unwrap_or(i64::MAX);
            key(a).cmp(&key(b)).then(tie(a, b))
        }),
        Strategy::Ordered { .. } => c.sort_by(|a, b| a.rank.cmp(&b.rank).then(tie(a, b))),
    }
}

/// Splits `available` units among demands exactly in proportion: floor shares, then the
/// remainder one unit at a time to the largest fractional parts (ties by position in
/// `demands`, which the caller orders by priority, due date and age).
pub(crate) fn fair_shares(available: i64, demands: &[i64]) -> Vec<i64> {
    let total: i128 = demands.iter().map(|d| i128::from(*d)).sum();
    if total <= i128::from(available) {
        return demands.to_vec();
    }
    let avail = i128::from(available.max(0));
    let mut shares: Vec<i64> = Vec::with_capacity(demands.len());
    let mut fractions: Vec<(i128, usize)> = Vec::with_capacity(demands.len());
    for (i, d) in demands.iter().enumerate() {
        let exact = avail * i128::from(*d);
        shares.push((exact / total) as i64);
        fractions.push((exact % total, i));
    }
    let mut left = available.max(0) - shares.iter().sum::<i64>();
    fractions.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    for (_, i) in fractions {
        if left == 0 {
            break;
        }
        if shares[i] < demands[i] {
            shares[i] += 1;
            left -= 1;
        }
    }
    shares
}

#[cfg(test)]
mod tests {
    use super::fair_shares;

    #[test]
    fn fair_shares_are_exact_and_deterministic() {
        assert_eq!(fair_shares(10, &[5, 5, 5]), vec![4, 3, 3]);
        assert_eq!(fair_shares(7, &[10, 20, 40]), vec![1, 2, 4]);
        assert_eq!(fair_shares(100, &[10, 20]), vec![10, 20]);
        assert_eq!(fair_shares(0, &[3, 4]), vec![0, 0]);
        // 2 units over three equal demands: the first two in order get them.
        assert_eq!(fair_shares(2, &[1, 1, 1]), vec![1, 1, 0]);
        let shares = fair_shares(997, &[333, 500, 999, 1]);
        assert_eq!(shares.iter().sum::<i64>(), 997);
    }
}
