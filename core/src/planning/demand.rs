//! Demand history: what customers and internal consumers took, per item and location,
//! in day, week or month buckets, read from the ledger.
//!
//! Demand is the outbound movements that consume stock: shipments and issues leaving the
//! location's subtree. Transfers, counts, adjustments, scrap and picks are not demand (a
//! pick only stages stock; its shipment is the demand). Stock that comes back — from a
//! customer location, or returned from an order's staging outside the subtree — is
//! counted apart as `returns`, so the demand series never holds a negative value.
//!
//! With `include_backorders`, demand is what was *ordered*: every confirmed order
//! shipping from the subtree counts its full ordered quantity when it was created
//! (backordered and not yet shipped parts included; a cancelled order only what it
//! shipped), and the shipments of orders are left out so nothing counts twice. Plain
//! shipments and issues without an order still count when they happen.
//!
//! Buckets are calendar periods in UTC: days, ISO weeks (Monday to Sunday) and months.
//! A movement falls in the bucket of its effective (business) time.

use std::collections::{HashMap, HashSet};

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::event::{Event, MovementKind};
pub use crate::model::Bucket;
use crate::model::{LocationKind, Qty, Timestamp};
use crate::orders::OrderState;
use crate::planning::Books;
use crate::store;
use crate::store::backend::StoreRead;
use crate::store::schema::{Closed, ClosedKind};

/// The most buckets one demand history or plan history may span.
pub const PERIODS_MAX: usize = 10_000;

/// Consecutive buckets: `len` of them from the one numbered `first`.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Grid {
    pub bucket: Bucket,
    pub first: i64,
    pub len: usize,
}

impl Grid {
    /// The buckets that meet `[from, to)`; refused when empty or longer than
    /// [`PERIODS_MAX`].
    pub(crate) fn spanning(bucket: Bucket, from: Timestamp, to: Timestamp) -> Result<Grid> {
        if to <= from {
            return Err(Error::invalid_parameter(
                "to",
                format!("must lie after from ({from}), got {to}"),
            ));
        }
        let first = bucket.ordinal(from);
        let last = bucket.ordinal(to - 1);
        let len = usize::try_from(last - first + 1).unwrap_or(usize::MAX);
        if len > PERIODS_MAX {
            return Err(Error::invalid_parameter(
                "to",
                format!(
                    "the range spans {len} {}s, more than the limit of {PERIODS_MAX}",
                    bucket.as_str()
                ),
            ));
        }
        Ok(Grid { bucket, first, len })
    }

    /// The slot of the bucket holding `t`, if it is in the grid.
    pub(crate) fn slot(&self, t: Timestamp) -> Option<usize> {
        usize::try_from(self.bucket.ordinal(t) - self.first)
            .ok()
            .filter(|i| *i < self.len)
    }

    /// The first instant of slot `i`.
    pub(crate) fn start(&self, i: usize) -> Timestamp {
        self.bucket.start_of_ordinal(self.first + i as i64)
    }
}

/// One bucket of demand.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct DemandPeriod {
    /// The bucket's first instant (ms since the epoch, UTC).
    #[schemars(with = "crate::model::InstantSchema")]
    pub start: Timestamp,
    /// Demand in the bucket (never negative).
    pub demand: Qty,
    /// Stock that came back in the bucket, kept apart from demand.
    pub returns: Qty,
}

/// The demand of an item at a location (and below), bucket by bucket.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct DemandHistory {
    /// The item.
    pub sku: String,
    /// The location whose subtree the demand left.
    pub location: String,
    /// The bucket length.
    pub bucket: Bucket,
    /// Whether ordered demand (backorders included) replaced order shipments.
    pub include_backorders: bool,
    /// The buckets, oldest first: every bucket that meets the range asked for.
    pub periods: Vec<DemandPeriod>,
}

impl DemandHistory {
    /// The demand of each period as plain numbers, oldest first: the input of
    /// [`crate::planning::forecast::forecast`].
    pub fn series(&self) -> Vec<f64> {
        self.periods.iter().map(|p| qty_f64(p.demand)).collect()
    }
}

/// A quantity as a float (exact for the magnitudes of demand).
pub(crate) fn qty_f64(q: Qty) -> f64 {
    q.units() as f64 / 10_f64.powi(i32::from(q.scale()))
}

/// What the log scan needs from the state, taken under one read lock.
pub(crate) struct DemandContext {
    /// Events after this were committed after the state was read: left out.
    pub last_seq: u64,
    /// Physical location → the scope (location subtree or site) it belongs to.
    pub scope_of: HashMap<String, usize>,
    /// Number of scopes.
    pub scopes: usize,
    /// Customer locations: stock coming from them is a return.
    pub customers: HashSet<String>,
    pub include_backorders: bool,
    /// Reservations that serve an order: the shipments committing them are the order's.
    pub order_reservations: HashSet<String>,
    /// Ordered demand per item: (order created, scope, units).
    pub ordered: HashMap<String, Vec<(Timestamp, usize, i64)>>,
}

impl DemandContext {
    /// Reads what the scan needs; `skus` limits the ordered demand kept (`None`: all).
    pub(crate) fn new(
        s: Books<'_>,
        scope_of: HashMap<String, usize>,
        scopes: usize,
        include_backorders: bool,
        sku: Option<&str>,
    ) -> Result<DemandContext> {
        let customers = s
            .locations
            .values()
            .filter(|l| l.kind == LocationKind::Customer)
            .map(|l| l.code.clone())
            .collect();
        let mut order_reservations = HashSet::new();
        let mut ordered: HashMap<String, Vec<(Timestamp, usize, i64)>> = HashMap::new();
        if include_backorders {
            // Closed orders and reservations out of memory count as they did in memory.
            let closed_orders =
                crate::planning::closed_out_of_memory(s.archive, ClosedKind::Order, |c| match c {
                    Closed::Order(o) => Some(o),
                    _ => None,
                })?;
            let closed_reservations =
                crate::planning::closed_out_of_memory(s.archive, ClosedKind::Reservation, |c| {
                    match c {
                        Closed::Reservation(r) => Some(r),
                        _ => None,
                    }
                })?;
            let closed_ids: HashSet<&str> = closed_orders.iter().map(|o| o.id.as_str()).collect();
            order_reservations = s
                .holds
                .reservations
                .values()
                .chain(closed_reservations.iter())
                .filter(|r| {
                    r.order
                        .as_ref()
                        .is_some_and(|o| s.orders.contains(o) || closed_ids.contains(o.as_str()))
                })
                .map(|r| r.id.clone())
                .collect();
            let mut orders: Vec<&crate::model::order::Order> =
                s.orders.values().chain(closed_orders.iter()).collect();
            orders.sort_by(|a, b| a.id.cmp(&b.id));
            for o in orders {
                if o.state == OrderState::Draft {
                    continue;
                }
                let Some(scope) = scope_of.get(&o.ship_from).copied() else {
                    continue;
                };
                for line in o.lines.iter().filter(|l| sku.is_none_or(|k| k == l.sku)) {
                    let units = if o.state == OrderState::Cancelled {
                        line.shipped.units()
                    } else {
                        line.ordered.units()
                    };
                    if units > 0 {
                        ordered.entry(line.sku.clone()).or_default().push((
                            o.created_at,
                            scope,
                            units,
                        ));
                    }
                }
            }
        }
        Ok(DemandContext {
            last_seq: s.last_seq,
            scope_of,
            scopes,
            customers,
            include_backorders,
            order_reservations,
            ordered,
        })
    }
}

/// Demand and returns of one item, per scope and slot, in item units.
pub(crate) struct Tally {
    /// `demand[scope][slot]`.
    pub demand: Vec<Vec<i64>>,
    /// `returns[scope][slot]`.
    pub returns: Vec<Vec<i64>>,
    /// The earliest effective time of any event of the item (when it came to exist).
    pub first_seen: Option<Timestamp>,
}

/// Scans the log of `sku` (through its per-item index) up to the context's sequence.
pub(crate) fn tally(
    view: &StoreRead,
    ctx: &DemandContext,
    sku: &str,
    grid: &Grid,
) -> Result<Tally> {
    let events = view.event_log()?;
    let mut out = Tally {
        demand: vec![vec![0; grid.len]; ctx.scopes],
        returns: vec![vec![0; grid.len]; ctx.scopes],
        first_seen: None,
    };
    let add = |cell: &mut i64, units: i64| *cell = cell.saturating_add(units);
    // One reader for the whole scan: an item's events cluster in few log chunks, and the
    // commit before an order's shipment sits in the same chunk as the shipment.
    let mut log = events.reader();
    let seqs = view.item_seqs(sku, 0, ctx.last_seq, usize::MAX)?;
    for seq in seqs {
        let env = log.get(seq)?;
        let at = env.effective_at;
        out.first_seen = Some(out.first_seen.map_or(at, |t| t.min(at)));
        let Event::Moved(m) = &env.event else {
            continue;
        };
        let Some(slot) = grid.slot(at) else {
            continue;
        };
        let units = m.qty.units();
        let from = ctx.scope_of.get(&m.from).copied();
        let to = ctx.scope_of.get(&m.to).copied();
        let outbound = matches!(m.kind, MovementKind::Ship | MovementKind::Issue);
        let returned = m.kind == MovementKind::Return || ctx.customers.contains(&m.from);
        let kind = m.kind;
        if outbound {
            if let Some(scope) = from
                && !(ctx.include_backorders && serves_order(&mut log, ctx, seq)?)
            {
                add(&mut out.demand[scope][slot], units);
            }
        } else if let Some(scope) = to
            && returned
            && (kind != MovementKind::Return || from != Some(scope))
        {
            // Stock back from a customer, or from an order's staging outside the scope.
            add(&mut out.returns[scope][slot], units);
        }
    }
    if let Some(lines) = ctx.ordered.get(sku) {
        for (at, scope, units) in lines {
            if let Some(slot) = grid.slot(*at) {
                add(&mut out.demand[*scope][slot], *units);
            }
        }
    }
    Ok(out)
}

/// True when the shipment at `seq` commits a reservation of an order: an order's shipment
/// (and a commit of an order's reservation) writes the commit just before the movement.
fn serves_order(
    log: &mut store::log::EventReader<'_>,
    ctx: &DemandContext,
    seq: u64,
) -> Result<bool> {
    if seq <= 1 {
        return Ok(false);
    }
    Ok(match &log.get(seq - 1)?.event {
        Event::ReservationCommitted { id, .. } => ctx.order_reservations.contains(id),
        _ => false,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::DAY_MS;

    #[test]
    fn grids_cover_the_buckets_meeting_the_range() {
        let monday = 20_451 * DAY_MS;
        let g = Grid::spanning(Bucket::Week, monday + DAY_MS, monday + 15 * DAY_MS).unwrap();
        assert_eq!(g.len, 3);
        assert_eq!(g.start(0), monday);
        assert_eq!(g.slot(monday - 1), None);
        assert_eq!(g.slot(monday + 20 * DAY_MS), Some(2));
        assert_eq!(g.slot(monday + 21 * DAY_MS), None);
        assert!(Grid::spanning(Bucket::Day, 5, 5).is_err());
    }
}
