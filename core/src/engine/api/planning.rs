//! Planning questions: demand history, the replenishment plan, forecast accuracy and the
//! what-if replay.

use std::collections::HashSet;

use rayon::slice::ParallelSliceMut;

use crate::engine::Stockbook;
use crate::error::{Error, Result};
use crate::ledger::AsOf;
use crate::ledger::query::known;
use crate::model::{Qty, Timestamp};
use crate::planning::accuracy::{AccuracyOptions, ForecastAccuracy};
use crate::planning::demand::{Bucket, DemandContext, DemandHistory, DemandPeriod, Grid, tally};
use crate::planning::plan::{PlanOptions, ReplenishmentPlan, compute, gather};
use crate::planning::whatif::{self, WhatIf, WhatIfOptions};

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

impl Stockbook {
    /// The accuracy of the recorded forecasts at `options.location` (and below) over a
    /// range: per item × site, each period against the latest forecast made at or before
    /// its start, and MAE, MAPE, MASE and bias (see the [module
    /// docs](crate::planning::accuracy)).
    pub fn forecast_accuracy(&self, options: &AccuracyOptions) -> Result<ForecastAccuracy> {
        crate::planning::accuracy::forecast_accuracy(self, options)
    }

    /// Replays the buckets of `[from, to)` of an item at a site under another
    /// replenishment policy, from the on-hand the log held at the start, against the
    /// demand that came; beside it, what the log says happened (see the [module
    /// docs](crate::planning::whatif)).
    pub fn what_if(&self, options: &WhatIfOptions) -> Result<WhatIf> {
        let o = options;
        let grid = Grid::spanning(o.bucket, o.from, o.to)?;
        if o.history_periods > crate::planning::demand::PERIODS_MAX {
            return Err(Error::invalid_parameter(
                "history_periods",
                format!(
                    "must be at most {}, got {}",
                    crate::planning::demand::PERIODS_MAX,
                    o.history_periods
                ),
            ));
        }
        let history = i64::try_from(o.history_periods).unwrap_or(i64::MAX);
        let wide = Grid {
            bucket: o.bucket,
            first: grid.first - history,
            len: grid.len + o.history_periods,
        };
        let (ctx, decimals, scope, last_seq) = crate::planning::Reader::with_books(self, |s| {
            known(s.ledger, &o.sku, &o.site)?;
            if s.is_virtual(&o.site) {
                return Err(Error::invalid_argument(
                    "site",
                    format!(
                        "{} is a virtual location: stock is kept in physical ones",
                        o.site
                    ),
                ));
            }
            let subtree = s.subtree(&o.site);
            let scope: HashSet<String> = subtree.iter().cloned().collect();
            let scope_of = subtree.into_iter().map(|l| (l, 0)).collect();
            let decimals = s.items.get(&o.sku).map_or(0, |i| i.decimals);
            let ctx = DemandContext::new(s, scope_of, 1, o.include_backorders, Some(&o.sku))?;
            Ok((ctx, decimals, scope, s.last_seq))
        })??;
        let view = self.core()?.view();
        let t = tally(&view, &ctx, &o.sku, &wide)?;
        let offset = o.history_periods;
        let born = t
            .first_seen
            .map_or(0, |at| o.bucket.ordinal(at) - wide.first);
        let born = usize::try_from(born.max(0)).unwrap_or(0).min(offset);
        let history: Vec<f64> = t.demand[0][born..offset]
            .iter()
            .map(|u| Qty::from_units(*u, decimals).map(crate::planning::demand::qty_f64))
            .collect::<Result<_>>()?;
        let (policy, s, big_s) = whatif::unit_policy(o, decimals, &history)?;
        let demand = &t.demand[0][offset..];
        // On hand at the start and at the end of every bucket: movements effective before
        // the instant (the point-in-time index counts those at or before `at`).
        let at = |t: Timestamp| self.on_hand_at(&o.sku, &o.site, AsOf::Time(t.saturating_sub(1)));
        let start = at(grid.start(0))?.rescale(decimals)?.units();
        let actual_on_hand = (1..=grid.len)
            .map(|i| Ok(at(grid.start(i))?.rescale(decimals)?.units()))
            .collect::<Result<Vec<i64>>>()?;
        let (received, receipts) = whatif::receipts(&view, &o.sku, &scope, &grid, last_seq)?;
        let sim = whatif::simulate(start, demand, policy, o.lead_time_periods, o.backorders);
        whatif::answer(
            o,
            &grid,
            decimals,
            (s, big_s),
            start,
            &sim,
            &actual_on_hand,
            (&received, receipts),
        )
    }
}
