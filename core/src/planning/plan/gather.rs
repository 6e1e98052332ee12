//! Gathers what a plan needs — one short read lock for the state's figures, MVCC read
//! transactions for the ledger's history — and runs the rows in parallel.

use std::collections::HashMap;

use rayon::prelude::*;

use super::compute::{Figures, RowParams, Settings, plan_row};
use super::{DemandSeries, ItemPlanning, LeadTimeSource, PlanOptions, PlanProblem, PlanRow};
use crate::error::{EntityKind, Error, Result};
use crate::model::Timestamp;
use crate::model::purchase_order::PurchaseOrder;
use crate::orders::OrderState;
use crate::orders::query::reserved_now;
use crate::planning::check;
use crate::planning::demand::{DemandContext, Grid, tally};
use crate::planning::supply::PurchaseOrderState;
use crate::planning::supply::query::{
    LeadTimeSums, PerItemNode, add_along, lead_time_observations, on_order_by_node, units_at,
};
use crate::planning::{Books, Reader};
use crate::store::schema::{Closed, ClosedKind};

/// A row, or why the pair could not be planned (boxed: rows are the common case).
pub(super) type Outcome = std::result::Result<PlanRow, Box<PlanProblem>>;

/// Items read per store read when the history comes from the ledger.
const ITEMS_PER_READ: usize = 64;

/// Suppliers and lead-time statistics from the purchase orders.
struct Supply {
    /// sku → supplier of its latest (not cancelled) purchase order.
    latest: HashMap<String, String>,
    /// supplier → sku → lead times.
    by_item: HashMap<String, HashMap<String, LeadTimeSums>>,
    by_supplier: HashMap<String, LeadTimeSums>,
}

impl Supply {
    fn new(s: Books<'_>) -> Result<Supply> {
        // Closed purchase orders out of memory count as they did in memory, in id order.
        let closed = crate::planning::closed_out_of_memory(
            s.archive,
            ClosedKind::PurchaseOrder,
            |c| match c {
                Closed::PurchaseOrder(po) => Some(po),
                _ => None,
            },
        )?;
        let mut all: Vec<&PurchaseOrder> = s.supply.values().chain(closed.iter()).collect();
        all.sort_by(|a, b| a.id.cmp(&b.id));
        let mut newest: HashMap<&str, (u64, &str)> = HashMap::new();
        for po in all.iter().copied() {
            if po.state == PurchaseOrderState::Cancelled {
                continue;
            }
            for line in &po.lines {
                let entry = newest
                    .entry(line.sku.as_str())
                    .or_insert((po.created_seq, &po.supplier));
                if po.created_seq > entry.0 {
                    *entry = (po.created_seq, &po.supplier);
                }
            }
        }
        let mut by_item: HashMap<String, HashMap<String, LeadTimeSums>> = HashMap::new();
        let mut by_supplier: HashMap<String, LeadTimeSums> = HashMap::new();
        for (supplier, sku, days) in lead_time_observations(all.iter().copied()) {
            by_item
                .entry(supplier.to_owned())
                .or_default()
                .entry(sku.to_owned())
                .or_default()
                .add(days);
            by_supplier
                .entry(supplier.to_owned())
                .or_default()
                .add(days);
        }
        Ok(Supply {
            latest: newest
                .into_iter()
                .map(|(k, (_, v))| (k.to_owned(), v.to_owned()))
                .collect(),
            by_item,
            by_supplier,
        })
    }

    /// The row parameters of `sku`: its overrides, else its supplier's history, else the
    /// plan's defaults. A history whose mean is not above zero is not used.
    fn params(
        &self,
        o: &PlanOptions,
        item: Option<&ItemPlanning>,
        sku: &str,
        decimals: u8,
    ) -> RowParams {
        let supplier = item
            .and_then(|i| i.supplier.clone())
            .or_else(|| self.latest.get(sku).cloned());
        let std_given = item.and_then(|i| i.lead_time_std_days).unwrap_or(0.0);
        let usable = |sums: Option<&LeadTimeSums>| {
            sums.and_then(|s| Some((s.mean()?, s.std_dev()?)))
                .filter(|(mean, _)| *mean > 0.0)
        };
        let lead = if let Some(days) = item.and_then(|i| i.lead_time_days) {
            (days, std_given, LeadTimeSource::Item)
        } else if let Some((mean, sd)) = supplier
            .as_ref()
            .and_then(|sup| usable(self.by_item.get(sup).and_then(|m| m.get(sku))))
        {
            (mean, sd, LeadTimeSource::SupplierItem)
        } else if let Some((mean, sd)) = supplier
            .as_ref()
            .and_then(|sup| usable(self.by_supplier.get(sup)))
        {
            (mean, sd, LeadTimeSource::Supplier)
        } else {
            (o.lead_time_days, std_given, LeadTimeSource::Default)
        };
        RowParams::new(o, item, decimals, supplier, lead)
    }
}

/// Units backordered per item for every location on the chain of each open order's
/// ship-from location.
fn backorders_by_node(s: Books<'_>) -> PerItemNode {
    let mut out = PerItemNode::new();
    for o in s.orders.values() {
        if matches!(o.state, OrderState::Cancelled | OrderState::Delivered) {
            continue;
        }
        let chain = s.chain(&o.ship_from);
        for line in o.lines.iter().filter(|l| !l.backordered.is_zero()) {
            add_along(&mut out, &line.sku, &chain, line.backordered.units());
        }
    }
    out
}

/// The state's figures for plans: on order and backorders by node, supply history.
struct Book {
    supply: Supply,
    on_order: PerItemNode,
    backorders: PerItemNode,
    now: Timestamp,
}

impl Book {
    fn new(s: Books<'_>, now: Timestamp) -> Result<Book> {
        Ok(Book {
            supply: Supply::new(s)?,
            on_order: on_order_by_node(s.stock, s.supply),
            backorders: backorders_by_node(s),
            now,
        })
    }

    fn figures(&self, s: Books<'_>, sku: &str, site: &str) -> Figures {
        Figures {
            on_hand: s.on_hand_rollup(sku, site),
            on_order: units_at(&self.on_order, sku, site),
            reserved: reserved_now(s.ledger, sku, site, self.now),
            backordered: units_at(&self.backorders, sku, site),
        }
    }
}

/// The item overrides by SKU; every SKU must be a known item, and given once.
fn overrides<'a>(s: Books<'_>, o: &'a PlanOptions) -> Result<HashMap<&'a str, &'a ItemPlanning>> {
    let mut out = HashMap::with_capacity(o.items.len());
    for item in &o.items {
        if !s.items.contains_key(&item.sku) {
            return Err(Error::not_found(EntityKind::Item, &item.sku));
        }
        if out.insert(item.sku.as_str(), item).is_some() {
            return Err(Error::invalid_parameter(
                "items",
                format!("item {} is given twice", item.sku),
            ));
        }
    }
    Ok(out)
}

fn problem(sku: &str, site: &str, error: Error) -> Box<PlanProblem> {
    Box::new(PlanProblem {
        sku: sku.to_owned(),
        site: site.to_owned(),
        error,
    })
}

/// Adds the pair to an `invalid_parameter` reason, keeping the parameter's name.
fn about(sku: &str, site: &str) -> impl Fn(Error) -> Error {
    move |e| match e {
        Error::InvalidParameter { parameter, reason } => Error::InvalidParameter {
            parameter,
            reason: format!("{reason} (item {sku} at {site})"),
        },
        other => other,
    }
}

/// Plans exactly the pairs of `series` on the series given.
pub(crate) fn given(
    sb: &impl Reader,
    o: &PlanOptions,
    settings: &Settings,
    series: &[DemandSeries],
    now: Timestamp,
) -> Result<Vec<Outcome>> {
    // Checks that need no state come first, outside the lock.
    let mut pairs: Vec<(&str, &str)> = series
        .par_iter()
        .map(|ds| (ds.sku.as_str(), ds.site.as_str()))
        .collect();
    pairs.par_sort_unstable();
    if let Some(w) = pairs.windows(2).find(|w| w[0] == w[1]) {
        return Err(Error::invalid_parameter(
            "series",
            format!("item {} at {} is given twice", w[0].0, w[0].1),
        ));
    }
    drop(pairs);
    series.par_iter().try_for_each(|ds| {
        check::series(&ds.demand, settings.series_len_min).map_err(about(&ds.sku, &ds.site))
    })?;
    // The figures under one read lock, read in parallel (readers share the lock).
    let inputs: Vec<(Figures, RowParams)> = sb.with_books(|s| {
        let items = overrides(s, o)?;
        let book = Book::new(s, now)?;
        series
            .par_iter()
            .map(|ds| {
                let item = s
                    .items
                    .get(&ds.sku)
                    .ok_or_else(|| Error::not_found(EntityKind::Item, &ds.sku))?;
                let site = s
                    .locations
                    .get(&ds.site)
                    .ok_or_else(|| Error::not_found(EntityKind::Location, &ds.site))?;
                if site.kind.is_virtual() {
                    return Err(Error::invalid_parameter(
                        "series",
                        format!("site {} is a virtual location", ds.site),
                    ));
                }
                let params = book.supply.params(
                    o,
                    items.get(ds.sku.as_str()).copied(),
                    &ds.sku,
                    item.decimals,
                );
                Ok((book.figures(s, &ds.sku, &ds.site), params))
            })
            .collect::<Result<Vec<_>>>()
    })??;
    Ok(series
        .par_iter()
        .zip(inputs.par_iter())
        .map(|(ds, (figures, params))| {
            plan_row(&ds.sku, &ds.site, &ds.demand, *figures, params, settings)
                .map_err(|e| problem(&ds.sku, &ds.site, e))
        })
        .collect())
}

/// One item of a ledger-derived plan: its figures per site and its parameters.
struct ItemInput {
    sku: String,
    figures: Vec<Figures>,
    params: RowParams,
}

/// The sites a plan covers: those asked for (none nested in another), else every site,
/// else every top-level physical location.
fn plan_sites(s: Books<'_>, asked: &[String]) -> Result<Vec<String>> {
    if asked.is_empty() {
        let sites: Vec<String> = s
            .locations
            .values()
            .filter(|l| l.kind == crate::model::LocationKind::Site && !l.archived)
            .map(|l| l.code.clone())
            .collect();
        if !sites.is_empty() {
            return Ok(sites);
        }
        return Ok(s
            .locations
            .values()
            .filter(|l| l.parent.is_none() && !l.kind.is_virtual() && !l.archived)
            .map(|l| l.code.clone())
            .collect());
    }
    let mut out: Vec<String> = Vec::with_capacity(asked.len());
    for code in asked {
        let loc = s
            .locations
            .get(code)
            .ok_or_else(|| Error::not_found(EntityKind::Location, code))?;
        if loc.kind.is_virtual() {
            return Err(Error::invalid_argument(
                "sites",
                format!("{code} is a virtual location"),
            ));
        }
        if out.contains(code) {
            continue;
        }
        for other in &out {
            if s.chain(code).contains(other) || s.chain(other).contains(code) {
                return Err(Error::invalid_argument(
                    "sites",
                    format!("{code} and {other} are nested: a site's stock would count twice"),
                ));
            }
        }
        out.push(code.clone());
    }
    Ok(out)
}

/// Plans every active item (or those asked for) at every site on the ledger's history.
pub(crate) fn derived(
    sb: &impl Reader,
    o: &PlanOptions,
    settings: &Settings,
    now: Timestamp,
) -> Result<Vec<Outcome>> {
    let last = o.bucket.ordinal(settings.as_of) - 1;
    let grid = Grid {
        bucket: o.bucket,
        first: last - o.history_periods as i64 + 1,
        len: o.history_periods,
    };
    let (sites, ctx, items) = sb.with_books(|s| {
        let sites = plan_sites(s, &o.sites)?;
        let overrides = overrides(s, o)?;
        let mut scope_of = HashMap::new();
        for code in s.locations.keys() {
            if let Some(i) = s
                .chain(code)
                .iter()
                .find_map(|node| sites.iter().position(|site| site == node))
            {
                scope_of.insert(code.clone(), i);
            }
        }
        let ctx = DemandContext::new(s, scope_of, sites.len(), o.include_backorders, None)?;
        let skus: Vec<&str> = if o.skus.is_empty() {
            let mut all: Vec<&str> = s
                .items
                .values()
                .filter(|i| !i.archived)
                .map(|i| i.sku.as_str())
                .collect();
            all.sort_unstable();
            all
        } else {
            for sku in &o.skus {
                if !s.items.contains_key(sku) {
                    return Err(Error::not_found(EntityKind::Item, sku));
                }
            }
            o.skus.iter().map(String::as_str).collect()
        };
        let book = Book::new(s, now)?;
        let items: Vec<ItemInput> = skus
            .into_par_iter()
            .map(|sku| {
                let decimals = s.items.get(sku).map_or(0, |i| i.decimals);
                ItemInput {
                    sku: sku.to_owned(),
                    figures: sites
                        .iter()
                        .map(|site| book.figures(s, sku, site))
                        .collect(),
                    params: book
                        .supply
                        .params(o, overrides.get(sku).copied(), sku, decimals),
                }
            })
            .collect();
        Ok((sites, ctx, items))
    })??;
    let len_min = settings.series_len_min;
    let chunks: Vec<Vec<Outcome>> = items
        .par_chunks(ITEMS_PER_READ)
        .map(|chunk| {
            let view = sb.store_read()?;
            let mut out = Vec::new();
            for item in chunk {
                let t = tally(&view, &ctx, &item.sku, &grid)?;
                // Periods before the item existed are not demand of zero: leave them out,
                // keeping the shortest history the method takes.
                let born = t
                    .first_seen
                    .map_or(0, |at| o.bucket.ordinal(at) - grid.first);
                let start = usize::try_from(born.max(0))
                    .unwrap_or(0)
                    .min(grid.len - len_min);
                let scale = 10_f64.powi(i32::from(item.params.decimals));
                for (i, site) in sites.iter().enumerate() {
                    let demand = &t.demand[i];
                    if item.figures[i].is_zero() && demand.iter().all(|u| *u == 0) {
                        continue;
                    }
                    let series: Vec<f64> =
                        demand[start..].iter().map(|u| *u as f64 / scale).collect();
                    out.push(
                        plan_row(
                            &item.sku,
                            site,
                            &series,
                            item.figures[i],
                            &item.params,
                            settings,
                        )
                        .map_err(|e| problem(&item.sku, site, e)),
                    );
                }
            }
            Ok(out)
        })
        .collect::<Result<Vec<_>>>()?;
    Ok(chunks.into_iter().flatten().collect())
}
