//! Forecast accuracy: forecasts kept as they were made, and compared with the demand that
//! came.
//!
//! A forecast is recorded by a command ([`RecordForecast`], or [`RecordForecasts`] for a
//! whole plan at once) and becomes a `forecast_recorded` event in the append-only log,
//! indexed under its item like a movement; no projection holds it, so replaying the log
//! and reading it give the same forecasts by construction. [`AccuracyOptions`] then asks,
//! per item × site and period of `[from, to)`: which forecast was the latest made at or
//! before the period's first instant and covering it — what was forecast at the time —
//! and how far it was from the demand that came, with demand defined as the plan defines
//! it ([`crate::planning::demand`]).
//!
//! The measures, over the periods that have such a forecast (`compared` of them), with
//! `e = forecast − actual`:
//! - MAE, the mean of `|e|`; bias, the mean of `e` (positive: over-forecast).
//! - MAPE, the mean of `|e| / actual` in percent, over the periods whose demand is not
//!   zero only (a zero demand has no percentage error); `mape_periods` says how many.
//! - MASE (Hyndman & Koehler 2006): each `|e|` divided by the in-sample MAE of the naive
//!   one-step forecast over the history the forecast that made it could see — the
//!   `history_periods` buckets before that forecast's first period, from the item's first
//!   event on — then averaged. A period whose forecast saw fewer than two periods, or a
//!   flat history, has no scale and is left out of MASE (`mase_periods`).

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use super::demand::{Bucket, DemandContext, Grid, PERIODS_MAX, qty_f64, tally};
use super::plan::ReplenishmentPlan;
use super::{Books, Reader};
use crate::error::{Error, Result};
use crate::event::{Event, ForecastRecord};
use crate::ledger::Decision;
use crate::limits::CODE_LEN_MAX;
use crate::model::{Qty, Timestamp};
use crate::setters::setters;
use crate::store::backend::StoreRead;

/// The most forecasts one [`RecordForecasts`] records.
pub const FORECASTS_PER_COMMAND_MAX: usize = 100_000;

/// Record a forecast of an item's demand at a site, as made at a time.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct RecordForecast {
    /// The item.
    pub sku: String,
    /// The site (a physical location) whose subtree's demand is forecast.
    pub site: String,
    /// The period length.
    pub bucket: Bucket,
    /// The first instant of the first period forecast: the start of a bucket.
    #[schemars(with = "crate::model::InstantSchema")]
    pub start: Timestamp,
    /// The point forecast of each period from `start` on (1 to 10,000 finite values).
    pub points: Vec<f64>,
    /// The method's name (`ses_optimized`, `croston_sba`, …).
    pub method: String,
    /// The lower bound of each period's prediction interval (as many as `points`).
    #[serde(default)]
    pub lower: Option<Vec<f64>>,
    /// The upper bound of each period's prediction interval (as many as `points`).
    #[serde(default)]
    pub upper: Option<Vec<f64>>,
    /// The intervals' level in percent, strictly between 0 and 100.
    #[serde(default)]
    pub level: Option<f64>,
    /// When the forecast was made (default: now).
    #[serde(default)]
    #[schemars(with = "Option<crate::model::InstantSchema>")]
    pub made_at: Option<Timestamp>,
}

// A forecast holding a NaN is refused before it is recorded; equality of the ones that are
// kept is reflexive.
impl Eq for RecordForecast {}

impl RecordForecast {
    /// A forecast of `sku` at `site`: `points` per `bucket` from `start`, by `method`.
    #[must_use]
    pub fn new(
        sku: impl Into<String>,
        site: impl Into<String>,
        bucket: Bucket,
        start: Timestamp,
        points: Vec<f64>,
        method: impl Into<String>,
    ) -> RecordForecast {
        RecordForecast {
            sku: sku.into(),
            site: site.into(),
            bucket,
            start,
            points,
            method: method.into(),
            lower: None,
            upper: None,
            level: None,
            made_at: None,
        }
    }

    /// The forecast as the event records it, made at `made_at` unless it says when.
    fn record(&self, now: Timestamp) -> ForecastRecord {
        ForecastRecord {
            sku: self.sku.clone(),
            site: self.site.clone(),
            made_at: self.made_at.unwrap_or(now),
            bucket: self.bucket,
            start: self.start,
            points: self.points.clone(),
            lower: self.lower.clone(),
            upper: self.upper.clone(),
            level: self.level,
            method: self.method.clone(),
        }
    }
}

setters! {
    RecordForecast {
        /// The lower bound of each period's prediction interval (as many as `points`).
        opt(Vec<f64>) lower,
        /// The upper bound of each period's prediction interval (as many as `points`).
        opt(Vec<f64>) upper,
        /// The intervals' level in percent, strictly between 0 and 100.
        opt(f64) level,
        /// When the forecast was made (default: now).
        opt(Timestamp) made_at,
    }
}

/// Record many forecasts at once, all or none: how a replenishment plan keeps its
/// forecasts ([`RecordForecasts::from_plan`]).
///
/// The plan stays a read: it is computed outside the writer, on the caller's threads, and
/// this command only validates and appends what it computed. A plan option that wrote
/// would make a query write, and would compute the forecasts of a whole book inside the
/// writer's transaction, holding up every other writer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct RecordForecasts {
    /// The forecasts (at most 100,000).
    pub forecasts: Vec<RecordForecast>,
}

impl RecordForecasts {
    /// The forecasts in `forecasts`.
    #[must_use]
    pub fn new(forecasts: Vec<RecordForecast>) -> RecordForecasts {
        RecordForecasts { forecasts }
    }

    /// The forecasts of every row of `plan`, made at the plan's `as_of`, starting with the
    /// bucket holding it. A row's per-period forecast is read back from its projection:
    /// the position falls by each period's forecast (`projected[k-1] − projected[k]`), so
    /// it is exact up to the rounding of one float subtraction.
    #[must_use]
    pub fn from_plan(plan: &ReplenishmentPlan) -> RecordForecasts {
        let start = plan.bucket.start_of(plan.as_of);
        let forecasts = plan
            .rows
            .iter()
            .map(|row| {
                let mut level = row.position;
                let points = row
                    .projected
                    .iter()
                    .map(|end| {
                        let f = (level - end).max(0.0);
                        level = *end;
                        f
                    })
                    .collect();
                RecordForecast::new(
                    row.sku.clone(),
                    row.site.clone(),
                    plan.bucket,
                    start,
                    points,
                    row.method.clone(),
                )
                .made_at(plan.as_of)
            })
            .collect();
        RecordForecasts { forecasts }
    }
}

/// Decides `record_forecast` and `record_forecasts`: one `forecast_recorded` event per
/// forecast, or a refusal naming the first bad one.
pub(crate) fn record_forecasts(
    state: crate::ledger::Ledger<'_>,
    forecasts: &[RecordForecast],
    now: Timestamp,
) -> Result<Decision> {
    if forecasts.len() > FORECASTS_PER_COMMAND_MAX {
        return Err(Error::limit_exceeded(
            "forecasts",
            FORECASTS_PER_COMMAND_MAX,
        ));
    }
    let mut events = Vec::with_capacity(forecasts.len());
    for (i, f) in forecasts.iter().enumerate() {
        check_forecast(state, f).map_err(|e| match e {
            Error::InvalidParameter { parameter, reason } if forecasts.len() > 1 => {
                Error::InvalidParameter {
                    parameter,
                    reason: format!("{reason} (forecast {i}: {} at {})", f.sku, f.site),
                }
            }
            other => other,
        })?;
        events.push(Event::ForecastRecorded(f.record(now)));
    }
    Ok(Decision::events(events))
}

fn check_forecast(state: crate::ledger::Ledger<'_>, f: &RecordForecast) -> Result<()> {
    crate::ledger::active_item(state, &f.sku)?;
    crate::ledger::physical_location(state, &f.site)?;
    if f.points.is_empty() || f.points.len() > PERIODS_MAX {
        return Err(Error::invalid_parameter(
            "points",
            format!(
                "must hold 1 to {PERIODS_MAX} values, got {}",
                f.points.len()
            ),
        ));
    }
    finite_all("points", &f.points)?;
    if f.bucket.start_of(f.start) != f.start {
        return Err(Error::invalid_parameter(
            "start",
            format!(
                "must be the first instant of a {} ({}), got {}",
                f.bucket.as_str(),
                f.bucket.start_of(f.start),
                f.start
            ),
        ));
    }
    if f.method.is_empty() || f.method.len() > CODE_LEN_MAX {
        return Err(Error::invalid_parameter(
            "method",
            format!("must be 1 to {CODE_LEN_MAX} bytes long"),
        ));
    }
    for (name, bounds, below) in [("lower", &f.lower, true), ("upper", &f.upper, false)] {
        let Some(bounds) = bounds else { continue };
        if bounds.len() != f.points.len() {
            return Err(Error::invalid_parameter(
                name,
                format!(
                    "must hold as many values as points ({}), got {}",
                    f.points.len(),
                    bounds.len()
                ),
            ));
        }
        finite_all(name, bounds)?;
        let outside = bounds
            .iter()
            .zip(&f.points)
            .position(|(b, p)| if below { b > p } else { b < p });
        if let Some(k) = outside {
            return Err(Error::invalid_parameter(
                name,
                format!("period {k}: the bound lies on the wrong side of the point forecast"),
            ));
        }
    }
    if let Some(level) = f.level
        && !(level > 0.0 && level < 100.0)
    {
        return Err(Error::invalid_parameter(
            "level",
            format!("must lie strictly between 0 and 100, got {level}"),
        ));
    }
    Ok(())
}

fn finite_all(name: &str, values: &[f64]) -> Result<()> {
    match values.iter().position(|v| !v.is_finite()) {
        Some(k) => Err(Error::invalid_parameter(
            name,
            format!("period {k}: must be finite, got {}", values[k]),
        )),
        None => Ok(()),
    }
}

// ---- the question ----------------------------------------------------------------------

/// What [`forecast_accuracy`](crate::Stockbook::forecast_accuracy) compares.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct AccuracyOptions {
    /// The location: forecasts recorded for it or any site below it are compared.
    pub location: String,
    /// The start of the range, ms since the epoch: every bucket meeting `[from, to)`.
    #[schemars(with = "crate::model::InstantSchema")]
    pub from: Timestamp,
    /// The end of the range (excluded), ms since the epoch.
    #[schemars(with = "crate::model::InstantSchema")]
    pub to: Timestamp,
    /// Only this item (default: every item with a forecast recorded there).
    #[serde(default)]
    pub sku: Option<String>,
    /// The period length; only forecasts of this bucket are compared (default: week).
    #[serde(default)]
    pub bucket: Bucket,
    /// Compare each period with the latest forecast that had it at this step only (1: the
    /// forecast's first period, one step ahead); default: the latest forecast, whatever
    /// the step.
    #[serde(default)]
    pub step: Option<usize>,
    /// Buckets of history before a forecast's first period that scale its MASE (default
    /// 104, as the plan's history).
    #[serde(default = "history_periods_default")]
    pub history_periods: usize,
    /// Demand is ordered demand, backorders included, as the plan's option of that name.
    #[serde(default)]
    pub include_backorders: bool,
}

fn history_periods_default() -> usize {
    104
}

impl AccuracyOptions {
    /// The accuracy of forecasts recorded at `location` (and below) over `[from, to)`.
    #[must_use]
    pub fn new(location: impl Into<String>, from: Timestamp, to: Timestamp) -> AccuracyOptions {
        AccuracyOptions {
            location: location.into(),
            from,
            to,
            sku: None,
            bucket: Bucket::Week,
            step: None,
            history_periods: history_periods_default(),
            include_backorders: false,
        }
    }
}

setters! {
    AccuracyOptions {
        /// Only this item (default: every item with a forecast recorded there).
        text sku,
        /// The period length; only forecasts of this bucket are compared (default: week).
        set(Bucket) bucket,
        /// Compare each period with the latest forecast that had it at this step only.
        opt(usize) step,
        /// Buckets of history before a forecast's first period that scale its MASE.
        set(usize) history_periods,
        /// Demand is ordered demand, backorders included.
        set(bool) include_backorders,
    }
}

/// One period of an item × site: the demand that came and what was forecast for it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct AccuracyPeriod {
    /// The bucket's first instant.
    #[schemars(with = "crate::model::InstantSchema")]
    pub start: Timestamp,
    /// The demand that came.
    pub actual: f64,
    /// The forecast of the latest forecast made at or before `start` that covers it.
    pub forecast: Option<f64>,
    /// When that forecast was made.
    #[schemars(with = "Option<crate::model::InstantSchema>")]
    pub made_at: Option<Timestamp>,
    /// The period's place in that forecast (1: its first period): the lag, in periods,
    /// between the forecast's start and this period, plus one.
    pub step: Option<usize>,
    /// That forecast's method.
    pub method: Option<String>,
    /// The MASE scale of that forecast: the in-sample MAE of the naive one-step forecast
    /// (none when undefined).
    pub scale: Option<f64>,
}

/// The accuracy of the forecasts of one item at one site.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct AccuracyRow {
    /// The item.
    pub sku: String,
    /// The site the forecasts were recorded for.
    pub site: String,
    /// Periods with a forecast to compare.
    pub compared: usize,
    /// Mean absolute error.
    pub mae: Option<f64>,
    /// Mean absolute percentage error, in percent, over periods of non-zero demand.
    pub mape: Option<f64>,
    /// Periods in the MAPE (compared periods of non-zero demand).
    pub mape_periods: usize,
    /// Mean absolute scaled error.
    pub mase: Option<f64>,
    /// Periods in the MASE (compared periods whose forecast has a scale).
    pub mase_periods: usize,
    /// Mean error, forecast − actual: positive when forecasts ran high.
    pub bias: Option<f64>,
    /// Every bucket of the range, oldest first.
    pub periods: Vec<AccuracyPeriod>,
}

/// The answer of [`forecast_accuracy`](crate::Stockbook::forecast_accuracy).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct ForecastAccuracy {
    /// The period length.
    pub bucket: Bucket,
    /// Rows by (sku, site).
    pub rows: Vec<AccuracyRow>,
}

/// The recorded forecasts of `sku`, in sequence order, up to `last_seq`.
pub(crate) fn recorded_forecasts(
    view: &StoreRead,
    sku: &str,
    last_seq: u64,
) -> Result<Vec<ForecastRecord>> {
    let events = view.event_log()?;
    let mut log = events.reader();
    let mut out = Vec::new();
    for seq in view.item_seqs(sku, 0, last_seq, usize::MAX)? {
        if let Event::ForecastRecorded(f) = &log.get(seq)?.event {
            out.push(f.clone());
        }
    }
    Ok(out)
}

/// The forecast chosen for one period: (index into the forecasts, step from 1).
type Chosen = Option<(usize, usize)>;

/// For each bucket of `grid`, the latest forecast (by time made, then by sequence) of
/// `forecasts` made at or before the bucket's start that covers it, at `step` if given.
pub(crate) fn choose(
    grid: &Grid,
    forecasts: &[ForecastRecord],
    step: Option<usize>,
) -> Vec<Chosen> {
    (0..grid.len)
        .map(|i| {
            let start = grid.start(i);
            let ordinal = grid.first + i as i64;
            let mut best: Option<(usize, usize)> = None;
            for (k, f) in forecasts.iter().enumerate() {
                if f.bucket != grid.bucket || f.made_at > start {
                    continue;
                }
                let Ok(at) = usize::try_from(ordinal - f.bucket.ordinal(f.start)) else {
                    continue;
                };
                if at >= f.points.len() || step.is_some_and(|s| s != at + 1) {
                    continue;
                }
                if best.is_none_or(|(b, _)| forecasts[b].made_at <= f.made_at) {
                    best = Some((k, at + 1));
                }
            }
            best
        })
        .collect()
}

/// The in-sample MAE of the naive one-step forecast over `history`: the mean absolute
/// difference of consecutive values; none with fewer than two values or a flat history.
pub fn naive_scale(history: &[f64]) -> Option<f64> {
    if history.len() < 2 {
        return None;
    }
    let total: f64 = history.windows(2).map(|w| (w[1] - w[0]).abs()).sum();
    let scale = total / (history.len() - 1) as f64;
    (scale > 0.0).then_some(scale)
}

/// One row's measures from its periods.
pub(crate) fn measure(sku: &str, site: &str, periods: Vec<AccuracyPeriod>) -> AccuracyRow {
    let (mut n, mut abs, mut err) = (0usize, 0.0, 0.0);
    let (mut n_pct, mut pct) = (0usize, 0.0);
    let (mut n_scaled, mut scaled) = (0usize, 0.0);
    for p in &periods {
        let Some(f) = p.forecast else { continue };
        let e = f - p.actual;
        n += 1;
        abs += e.abs();
        err += e;
        if p.actual != 0.0 {
            n_pct += 1;
            pct += e.abs() / p.actual.abs();
        }
        if let Some(scale) = p.scale {
            n_scaled += 1;
            scaled += e.abs() / scale;
        }
    }
    let mean = |total: f64, count: usize| (count > 0).then(|| total / count as f64);
    AccuracyRow {
        sku: sku.to_owned(),
        site: site.to_owned(),
        compared: n,
        mae: mean(abs, n),
        mape: mean(pct * 100.0, n_pct),
        mape_periods: n_pct,
        mase: mean(scaled, n_scaled),
        mase_periods: n_scaled,
        bias: mean(err, n),
        periods,
    }
}

/// What one item × site compares, before its demand is read.
struct Pair {
    sku: String,
    site: String,
    forecasts: Vec<ForecastRecord>,
    chosen: Vec<Chosen>,
}

/// Answers [`AccuracyOptions`] from the reader's committed state and log.
pub(crate) fn forecast_accuracy(
    reader: &impl Reader,
    o: &AccuracyOptions,
) -> Result<ForecastAccuracy> {
    let grid = Grid::spanning(o.bucket, o.from, o.to)?;
    if o.history_periods > PERIODS_MAX {
        return Err(Error::invalid_parameter(
            "history_periods",
            format!("must be at most {PERIODS_MAX}, got {}", o.history_periods),
        ));
    }
    if o.step == Some(0) {
        return Err(Error::invalid_parameter("step", "must be at least 1"));
    }
    // The items and the sites of the subtree, under one read lock.
    let (skus, sites, last_seq) = reader.with_books(|s: Books<'_>| {
        if !s.locations.contains_key(&o.location) {
            return Err(Error::not_found(
                crate::error::EntityKind::Location,
                &o.location,
            ));
        }
        let skus: Vec<String> = match &o.sku {
            Some(sku) => {
                if !s.items.contains_key(sku) {
                    return Err(Error::not_found(crate::error::EntityKind::Item, sku));
                }
                vec![sku.clone()]
            }
            None => s.items.keys().cloned().collect(),
        };
        let sites: std::collections::HashSet<String> = s.subtree(&o.location).into_iter().collect();
        Ok((skus, sites, s.last_seq))
    })??;
    let view = reader.store_read()?;
    let mut pairs = Vec::new();
    for sku in skus {
        let mut by_site: HashMap<String, Vec<ForecastRecord>> = HashMap::new();
        for f in recorded_forecasts(&view, &sku, last_seq)? {
            if sites.contains(&f.site) && f.bucket == o.bucket {
                by_site.entry(f.site.clone()).or_default().push(f);
            }
        }
        let mut by_site: Vec<_> = by_site.into_iter().collect();
        by_site.sort_by(|a, b| a.0.cmp(&b.0));
        for (site, forecasts) in by_site {
            let chosen = choose(&grid, &forecasts, o.step);
            pairs.push(Pair {
                sku: sku.clone(),
                site,
                forecasts,
                chosen,
            });
        }
    }
    let mut rows = Vec::with_capacity(pairs.len());
    for pair in pairs {
        rows.push(pair_row(reader, &view, o, &grid, pair)?);
    }
    Ok(ForecastAccuracy {
        bucket: o.bucket,
        rows,
    })
}

/// Reads the demand of one pair over the range and the histories its forecasts saw, and
/// measures it.
fn pair_row(
    reader: &impl Reader,
    view: &StoreRead,
    o: &AccuracyOptions,
    grid: &Grid,
    pair: Pair,
) -> Result<AccuracyRow> {
    let history = i64::try_from(o.history_periods).unwrap_or(i64::MAX);
    // The demand grid reaches back to the history of the earliest forecast used.
    let earliest = pair
        .chosen
        .iter()
        .flatten()
        .map(|(k, _)| pair.forecasts[*k].bucket.ordinal(pair.forecasts[*k].start) - history)
        .min()
        .unwrap_or(grid.first)
        .min(grid.first);
    let span = usize::try_from(grid.first + grid.len as i64 - earliest).unwrap_or(usize::MAX);
    if span > PERIODS_MAX {
        return Err(Error::invalid_parameter(
            "history_periods",
            format!("the range and its history span {span} buckets, more than {PERIODS_MAX}"),
        ));
    }
    let wide = Grid {
        bucket: grid.bucket,
        first: earliest,
        len: span,
    };
    let (ctx, scale) = reader.with_books(|s| {
        let scope_of = s.subtree(&pair.site).into_iter().map(|l| (l, 0)).collect();
        let scale = s.items.get(&pair.sku).map_or(0, |i| i.decimals);
        let ctx = DemandContext::new(s, scope_of, 1, o.include_backorders, Some(&pair.sku))?;
        Ok::<_, Error>((ctx, scale))
    })??;
    let tallied = tally(view, &ctx, &pair.sku, &wide)?;
    let demand: Vec<f64> = tallied.demand[0]
        .iter()
        .map(|u| Qty::from_units(*u, scale).map(qty_f64))
        .collect::<Result<_>>()?;
    let born = tallied
        .first_seen
        .map_or(i64::MIN, |at| o.bucket.ordinal(at));
    let offset = usize::try_from(grid.first - earliest).unwrap_or(0);
    let periods = (0..grid.len)
        .map(|i| {
            let actual = demand[offset + i];
            let Some((chosen, step)) = pair.chosen[i] else {
                return AccuracyPeriod {
                    start: grid.start(i),
                    actual,
                    forecast: None,
                    made_at: None,
                    step: None,
                    method: None,
                    scale: None,
                };
            };
            let made = &pair.forecasts[chosen];
            let first = made.bucket.ordinal(made.start);
            let lo = (first - history).max(born).max(earliest);
            let seen = match (
                usize::try_from(lo - earliest),
                usize::try_from(first - earliest),
            ) {
                (Ok(a), Ok(b)) if a < b => &demand[a..b],
                _ => &[][..],
            };
            AccuracyPeriod {
                start: grid.start(i),
                actual,
                forecast: Some(made.points[step - 1]),
                made_at: Some(made.made_at),
                step: Some(step),
                method: Some(made.method.clone()),
                scale: naive_scale(seen),
            }
        })
        .collect();
    Ok(measure(&pair.sku, &pair.site, periods))
}

#[cfg(test)]
#[allow(clippy::float_cmp)]
mod tests {
    use super::*;
    use crate::model::DAY_MS;

    fn record(made_at: Timestamp, start: Timestamp, points: Vec<f64>) -> ForecastRecord {
        ForecastRecord {
            sku: "A".into(),
            site: "S".into(),
            made_at,
            bucket: Bucket::Day,
            start,
            points,
            lower: None,
            upper: None,
            level: None,
            method: "naive".into(),
        }
    }

    #[test]
    fn each_period_takes_the_latest_forecast_made_by_its_start() {
        let grid = Grid {
            bucket: Bucket::Day,
            first: 10,
            len: 4,
        };
        let day = |d: i64| d * DAY_MS;
        let forecasts = vec![
            record(day(9), day(10), vec![1.0, 2.0, 3.0, 4.0]),
            // Made during day 11: too late for day 11, in time for day 12.
            record(day(11) + 5, day(12), vec![7.0, 8.0]),
        ];
        let chosen = choose(&grid, &forecasts, None);
        assert_eq!(
            chosen,
            vec![Some((0, 1)), Some((0, 2)), Some((1, 1)), Some((1, 2))]
        );
        // At step 2 only: day 10 and day 12 (step 3 of the first, 1 of the second) have none.
        let chosen = choose(&grid, &forecasts, Some(2));
        assert_eq!(chosen, vec![None, Some((0, 2)), None, Some((1, 2))]);
    }

    #[test]
    fn the_naive_scale_is_the_mean_absolute_step() {
        assert_eq!(naive_scale(&[10.0, 12.0, 9.0, 9.0]), Some(5.0 / 3.0));
        assert_eq!(naive_scale(&[4.0]), None);
        assert_eq!(naive_scale(&[4.0, 4.0]), None);
    }
}
