//! Reads of purchase orders over the state: stock on order and supplier lead times, and
//! their answer types. The handle's read methods live in the engine's API.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use super::PurchaseOrderState;
use super::SupplyBook;
use crate::ledger::Stock;
use crate::model::DAY_MS;
use crate::model::purchase_order::PurchaseOrder;
use crate::setters::setters;

/// Which purchase orders to list.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct PurchaseOrderFilter {
    /// Only those of this supplier.
    #[serde(default)]
    pub supplier: Option<String>,
    /// Only those with a line of this item.
    #[serde(default)]
    pub sku: Option<String>,
    /// Only those in this state.
    #[serde(default)]
    pub state: Option<PurchaseOrderState>,
    /// Only those delivered into this location's subtree.
    #[serde(default)]
    pub location: Option<String>,
}

impl PurchaseOrderFilter {
    /// A new `PurchaseOrderFilter` with every field at its default.
    #[must_use]
    pub fn new() -> PurchaseOrderFilter {
        PurchaseOrderFilter {
            supplier: None,
            sku: None,
            state: None,
            location: None,
        }
    }
}

setters! {
    PurchaseOrderFilter {
        /// Only those of this supplier.
        text supplier,
        /// Only those with a line of this item.
        text sku,
        /// Only those in this state.
        opt(PurchaseOrderState) state,
        /// Only those delivered into this location's subtree.
        text location,
    }
}

/// Lead times of a supplier (for one item, or all), in days.
///
/// One observation per receipt against a purchase order line: the time from the order's
/// `ordered_at` to the receipt's recording. Cancelled orders have no receipts; closed
/// ones keep theirs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct LeadTimeStats {
    /// The supplier.
    pub supplier: String,
    /// The item, when the statistics are for one item.
    pub sku: Option<String>,
    /// Number of observations.
    pub count: u64,
    /// Mean lead time in days; absent without observations.
    pub mean_days: Option<f64>,
    /// Sample standard deviation (n − 1) in days: 0 for one observation, absent without.
    pub std_dev_days: Option<f64>,
    /// Shortest lead time in days.
    pub min_days: Option<f64>,
    /// Longest lead time in days.
    pub max_days: Option<f64>,
}

/// Running sums of lead-time observations, in days.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct LeadTimeSums {
    pub count: u64,
    sum: f64,
    sum_sq: f64,
    min: f64,
    max: f64,
}

impl LeadTimeSums {
    pub(crate) fn add(&mut self, days: f64) {
        if self.count == 0 {
            self.min = days;
            self.max = days;
        } else {
            self.min = self.min.min(days);
            self.max = self.max.max(days);
        }
        self.count += 1;
        self.sum += days;
        self.sum_sq += days * days;
    }

    pub(crate) fn mean(&self) -> Option<f64> {
        (self.count > 0).then(|| self.sum / self.count as f64)
    }

    /// Sample standard deviation; 0 for one observation.
    pub(crate) fn std_dev(&self) -> Option<f64> {
        let mean = self.mean()?;
        if self.count < 2 {
            return Some(0.0);
        }
        let n = self.count as f64;
        // Clamped: rounding can leave a hair below zero for identical observations.
        let variance = ((self.sum_sq - n * mean * mean) / (n - 1.0)).max(0.0);
        Some(variance.sqrt())
    }

    pub(crate) fn stats(&self, supplier: &str, sku: Option<&str>) -> LeadTimeStats {
        LeadTimeStats {
            supplier: supplier.to_owned(),
            sku: sku.map(str::to_owned),
            count: self.count,
            mean_days: self.mean(),
            std_dev_days: self.std_dev(),
            min_days: (self.count > 0).then_some(self.min),
            max_days: (self.count > 0).then_some(self.max),
        }
    }
}

/// Every lead-time observation of the purchase orders `pos`: (supplier, sku, days).
pub(crate) fn lead_time_observations<'a>(
    pos: impl Iterator<Item = &'a PurchaseOrder> + 'a,
) -> impl Iterator<Item = (&'a str, &'a str, f64)> + 'a {
    pos.flat_map(|po| {
        po.receipts.iter().filter_map(move |r| {
            let line = po.lines.iter().find(|l| l.line == r.line)?;
            let days = (r.received_at - po.ordered_at) as f64 / DAY_MS as f64;
            Some((po.supplier.as_str(), line.sku.as_str(), days))
        })
    })
}

/// Units of `sku` on order for delivery into `location` or a location above it, from
/// every open purchase order.
pub(crate) fn on_order_units(s: &Stock, supply: &SupplyBook, sku: &str, location: &str) -> i64 {
    let mut units: i64 = 0;
    for po in supply.values().filter(|po| po.state.is_open()) {
        if !s.chain(&po.location).iter().any(|n| n == location) {
            continue;
        }
        for line in po.lines.iter().filter(|l| l.sku == sku) {
            units = units.saturating_add(po.open_units(line));
        }
    }
    units
}

/// Units per item and location: `map[sku][location]`, looked up without allocating.
pub(crate) type PerItemNode = HashMap<String, HashMap<String, i64>>;

/// Adds `units` of `sku` at every location of `chain`.
pub(crate) fn add_along(map: &mut PerItemNode, sku: &str, chain: &[String], units: i64) {
    let nodes = map.entry(sku.to_owned()).or_default();
    for node in chain {
        let entry = nodes.entry(node.clone()).or_default();
        *entry = entry.saturating_add(units);
    }
}

/// The units of `sku` at `node` in `map`.
pub(crate) fn units_at(map: &PerItemNode, sku: &str, node: &str) -> i64 {
    map.get(sku).and_then(|n| n.get(node)).copied().unwrap_or(0)
}

/// Units on order per item for every location on the chain of each open order's
/// delivery location.
pub(crate) fn on_order_by_node(s: &Stock, supply: &SupplyBook) -> PerItemNode {
    let mut out = PerItemNode::new();
    for po in supply.values().filter(|po| po.state.is_open()) {
        let chain = s.chain(&po.location);
        for line in &po.lines {
            let units = po.open_units(line);
            if units != 0 {
                add_along(&mut out, &line.sku, &chain, units);
            }
        }
    }
    out
}
