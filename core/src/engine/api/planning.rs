//! Planning questions: demand history and the replenishment plan.

use rayon::slice::ParallelSliceMut;

use crate::engine::Stockbook;
use crate::error::{Error, Result};
use crate::ledger::query::known;
use crate::model::{Qty, Timestamp};
use crate::planning::demand::{Bucket, DemandContext, DemandHistory, DemandPeriod, Grid, tally};
use crate::planning::plan::{PlanOptions, ReplenishmentPlan, compute, gather};

impl Stockbook {
    /// The demand of `sku` at `location` (and every location below it), bucket by bucket
    /// over every `bucket` that meets `[from, to)`, read from the ledger: shipments and
    /// issues, with returns kept apart. With `include_backorders`, ordered demand
    /// (backorders included) replaces the shipments of orders; see the [module
    /// docs](crate::planning::demand).
    pub fn demand_history(
        &self,
        sku: &str,
        location: &str,
        bucket: Bucket,
        from: Timestamp,
        to: Timestamp,
        include_backorders: bool,
    ) -> Result<DemandHistory> {
        let grid = Grid::spanning(bucket, from, to)?;
        let (ctx, scale) = crate::planning::Reader::with_books(self, |s| {
            known(s.ledger, sku, location)?;
            if s.is_virtual(location) {
                return Err(Error::invalid_argument(
                    "location",
                    format!("{location} is a virtual location: demand leaves physical ones"),
                ));
            }
            let scope_of = s.subtree(location).into_iter().map(|l| (l, 0)).collect();
            let scale = s.items.get(sku).map_or(0, |i| i.decimals);
            let ctx = DemandContext::new(s, scope_of, 1, include_backorders, Some(sku))?;
            Ok((ctx, scale))
        })??;
        let view = self.core()?.view();
        let t = tally(&view, &ctx, sku, &grid)?;
        let periods = (0..grid.len)
            .map(|i| {
                Ok(DemandPeriod {
                    start: grid.start(i),
                    demand: Qty::from_units(t.demand[0][i], scale)?,
                    returns: Qty::from_units(t.returns[0][i], scale)?,
                })
            })
            .collect::<Result<Vec<_>>>()?;
        Ok(DemandHistory {
            sku: sku.to_owned(),
            location: location.to_owned(),
            bucket,
            include_backorders,
            periods,
        })
    }
}

impl Stockbook {
    /// A replenishment plan for every item × site (see the [module
    /// docs](crate::planning::plan)), computed in parallel on rayon's current pool.
    ///
    /// Bad options — a service level outside (0, 1), a lead time of zero, a series that
    /// is empty, too short or holds a negative value — are refused as a whole with
    /// `invalid_parameter` naming the parameter; an unknown item or site with
    /// `not_found`. A pair whose history the chosen method cannot fit is reported in
    /// [`ReplenishmentPlan::problems`] and the others are planned.
    pub fn replenishment_plan(&self, options: &PlanOptions) -> Result<ReplenishmentPlan> {
        let now = self.now()?;
        let settings = compute::Settings::new(options, now)?;
        let outcomes = match &options.series {
            Some(series) => gather::given(self, options, &settings, series, now)?,
            None => gather::derived(self, options, &settings, now)?,
        };
        // Moved, not re-collected in parallel: problems are rare, and an unindexed parallel
        // collect would allocate and copy the rows twice over.
        let mut rows = Vec::with_capacity(outcomes.len());
        let mut problems = Vec::new();
        for outcome in outcomes {
            match outcome {
                Ok(row) => rows.push(row),
                Err(p) => problems.push(*p),
            }
        }
        rows.par_sort_unstable_by(|a, b| (&a.sku, &a.site).cmp(&(&b.sku, &b.site)));
        problems.sort_by(|a, b| (&a.sku, &a.site).cmp(&(&b.sku, &b.site)));
        Ok(ReplenishmentPlan {
            as_of: settings.as_of,
            bucket: options.bucket,
            rows,
            problems,
        })
    }
}
