//! Reads of purchase orders: the records, stock on order and supplier lead times.

use crate::engine::Stockbook;
use crate::error::{EntityKind, Error, Result};
use crate::ledger::query::known;
use crate::model::purchase_order::PurchaseOrder;
use crate::model::{Qty, validate_code};
use crate::planning::supply::query::{LeadTimeSums, lead_time_observations, on_order_units};
use crate::planning::supply::{LeadTimeStats, PurchaseOrderFilter};
use crate::store::schema::{Closed, ClosedKind};

impl Stockbook {
    /// One purchase order with its lines and receipts.
    pub fn purchase_order(&self, id: &str) -> Result<PurchaseOrder> {
        let (found, view) = self.read_with_view(|s, _| s.supply.get(id).cloned())?;
        match found {
            Some(po) => Ok(po),
            None => match view.closed(ClosedKind::PurchaseOrder, id)? {
                Some(Closed::PurchaseOrder(po)) => Ok(po),
                _ => Err(Error::not_found(EntityKind::PurchaseOrder, id)),
            },
        }
    }

    /// Purchase orders matching `filter`, by id; closed ones out of memory too, from the
    /// store.
    pub fn purchase_orders(&self, filter: &PurchaseOrderFilter) -> Result<Vec<PurchaseOrder>> {
        let wanted = |po: &PurchaseOrder, places: Option<&[String]>| {
            filter.supplier.as_ref().is_none_or(|v| *v == po.supplier)
                && filter
                    .sku
                    .as_ref()
                    .is_none_or(|k| po.lines.iter().any(|l| l.sku == *k))
                && filter.state.is_none_or(|st| st == po.state)
                && places.is_none_or(|p| p.contains(&po.location))
        };
        let (found, view) = self.read_with_view(|s, _| {
            let places = match &filter.location {
                Some(code) => {
                    if !s.stock.locations.contains_key(code) {
                        return Err(Error::not_found(EntityKind::Location, code));
                    }
                    Some(s.stock.subtree(code))
                }
                None => None,
            };
            let listed: Vec<PurchaseOrder> = s
                .supply
                .values()
                .filter(|po| wanted(po, places.as_deref()))
                .cloned()
                .collect();
            Ok((listed, places))
        })?;
        let (mut listed, places) = found?;
        if filter.state.is_none_or(|st| !st.is_open()) {
            for record in view.closed_all(ClosedKind::PurchaseOrder)? {
                if let Closed::PurchaseOrder(po) = record
                    && wanted(&po, places.as_deref())
                {
                    listed.push(po);
                }
            }
            listed.sort_by(|a, b| a.id.cmp(&b.id));
        }
        Ok(listed)
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
        let (mut orders, view) = self.read_with_view(|s, _| {
            s.supply
                .values()
                .filter(|po| po.supplier == supplier)
                .cloned()
                .collect::<Vec<_>>()
        })?;
        // Closed purchase orders out of memory keep their receipts' lead times.
        for record in view.closed_all(ClosedKind::PurchaseOrder)? {
            if let Closed::PurchaseOrder(po) = record
                && po.supplier == supplier
            {
                orders.push(po);
            }
        }
        // In id order, as the sums always ran.
        orders.sort_by(|a, b| a.id.cmp(&b.id));
        let mut sums = LeadTimeSums::default();
        for (_, item, days) in lead_time_observations(orders.iter()) {
            if sku.is_none_or(|k| k == item) {
                sums.add(days);
            }
        }
        Ok(sums.stats(supplier, sku))
    }
}
