//! Reads of purchase orders: the records, stock on order and supplier lead times.

use crate::engine::Stockbook;
use crate::error::{Error, Result};
use crate::ledger::query::known;
use crate::model::purchase_order::PurchaseOrder;
use crate::model::{Qty, validate_code};
use crate::planning::supply::query::{LeadTimeSums, lead_time_observations, on_order_units};
use crate::planning::supply::{LeadTimeStats, PurchaseOrderFilter};

impl Stockbook {
    /// One purchase order with its lines and receipts.
    pub fn purchase_order(&self, id: &str) -> Result<PurchaseOrder> {
        self.read(|s| s.supply.get(id).cloned())?
            .ok_or_else(|| Error::not_found("purchase_order", id))
    }

    /// Purchase orders matching `filter`, by id.
    pub fn purchase_orders(&self, filter: &PurchaseOrderFilter) -> Result<Vec<PurchaseOrder>> {
        self.read(|s| {
            if let Some(code) = &filter.location
                && !s.stock.locations.contains_key(code)
            {
                return Err(Error::not_found("location", code));
            }
            Ok(s.supply
                .values()
                .filter(|po| {
                    filter.supplier.as_ref().is_none_or(|v| *v == po.supplier)
                        && filter
                            .sku
                            .as_ref()
                            .is_none_or(|k| po.lines.iter().any(|l| l.sku == *k))
                        && filter.state.is_none_or(|st| st == po.state)
                        && filter
                            .location
                            .as_ref()
                            .is_none_or(|l| s.stock.chain(&po.location).contains(l))
                })
                .cloned()
                .collect())
        })?
    }

    /// Stock of `sku` on order for delivery into `location` or anywhere below it: what
    /// open purchase orders still expect (ordered less received, for lines not complete).
    pub fn on_order(&self, sku: &str, location: &str) -> Result<Qty> {
        self.read(|s| {
            known(s.ledger(), sku, location)?;
            Ok(s.stock
                .qty(sku, on_order_units(&s.stock, &s.supply, sku, location)))
        })?
    }

    /// Lead-time statistics of `supplier`, over all its receipts or those of one item.
    pub fn lead_time_stats(&self, supplier: &str, sku: Option<&str>) -> Result<LeadTimeStats> {
        validate_code("supplier", supplier)?;
        if let Some(sku) = sku {
            validate_code("sku", sku)?;
        }
        self.read(|s| {
            let mut sums = LeadTimeSums::default();
            for (sup, item, days) in lead_time_observations(s.supply.values()) {
                if sup == supplier && sku.is_none_or(|k| k == item) {
                    sums.add(days);
                }
            }
            sums.stats(supplier, sku)
        })
    }
}
