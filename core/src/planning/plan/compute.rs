//! The arithmetic of one plan row: forecast, safety stock, reorder point, projection and
//! the suggested order. Pure: plain numbers in, a row out.

use super::{
    ItemPlanning, LeadTimeSource, OrderQuantity, PlanMethod, PlanOptions, PlanRow, SuggestedOrder,
};
use crate::error::{Error, Result};
use crate::model::{DAY_MS, Qty, Timestamp};
use crate::planning::check;
use crate::planning::demand::PERIODS_MAX;
use crate::planning::forecast::{
    DemandPattern, Interval, Method, auto_forecast_with, check_levels, classify, forecast_with,
    has_intervals,
};
use crate::planning::policy::{self, Demand, LeadTime};

/// The plan's options, checked once.
pub(crate) struct Settings {
    pub as_of: Timestamp,
    pub period_days: f64,
    pub horizon: usize,
    pub method: PlanMethod,
    pub order_quantity: OrderQuantity,
    /// Shortest history the method takes.
    pub series_len_min: usize,
    /// Prediction interval levels every row carries.
    pub levels: Vec<f64>,
}

impl Settings {
    pub(crate) fn new(o: &PlanOptions, now: Timestamp) -> Result<Settings> {
        check::open_unit("service_level", o.service_level)?;
        check::non_negative("lead_time_days", o.lead_time_days)?;
        check::non_negative("min_order_qty", o.min_order_qty)?;
        check::positive("pack_size", o.pack_size)?;
        check_levels(&o.levels)?;
        if o.horizon_periods == 0 || o.horizon_periods > PERIODS_MAX {
            return Err(Error::invalid_parameter(
                "horizon_periods",
                format!("must be 1 to {PERIODS_MAX}, got {}", o.horizon_periods),
            ));
        }
        let series_len_min = match &o.method {
            PlanMethod::Auto { season_length } => {
                if *season_length == 0 {
                    return Err(Error::invalid_parameter(
                        "season_length",
                        "must be at least 1",
                    ));
                }
                4
            }
            PlanMethod::ByClass | PlanMethod::Fixed(_) => 2,
        };
        if o.series.is_none()
            && (o.history_periods < series_len_min || o.history_periods > PERIODS_MAX)
        {
            return Err(Error::invalid_parameter(
                "history_periods",
                format!(
                    "must be {series_len_min} to {PERIODS_MAX} for this method, got {}",
                    o.history_periods
                ),
            ));
        }
        match o.order_quantity {
            OrderQuantity::Cover { periods } => {
                check::positive("order_quantity.periods", periods)?;
            }
            OrderQuantity::Eoq {
                ordering_cost,
                holding_cost,
            } => {
                check::positive("order_quantity.ordering_cost", ordering_cost)?;
                check::positive("order_quantity.holding_cost", holding_cost)?;
            }
        }
        for item in &o.items {
            check_item(item)?;
        }
        Ok(Settings {
            as_of: o.as_of.unwrap_or(now),
            period_days: o.bucket.days(),
            horizon: o.horizon_periods,
            method: o.method.clone(),
            order_quantity: o.order_quantity,
            series_len_min,
            levels: o.levels.clone(),
        })
    }
}

/// Checks an item's overrides; the error names the parameter and the reason the item.
fn check_item(item: &ItemPlanning) -> Result<()> {
    let named = |e: Error| match e {
        Error::InvalidParameter { parameter, reason } => Error::InvalidParameter {
            parameter,
            reason: format!("{reason} (item {})", item.sku),
        },
        other => other,
    };
    if let Some(v) = item.lead_time_days {
        check::non_negative("lead_time_days", v).map_err(named)?;
    }
    if let Some(v) = item.lead_time_std_days {
        check::non_negative("lead_time_std_days", v).map_err(named)?;
    }
    if let Some(v) = item.service_level {
        check::open_unit("service_level", v).map_err(named)?;
    }
    if let Some(v) = item.min_order_qty {
        check::non_negative("min_order_qty", v).map_err(named)?;
    }
    if let Some(v) = item.pack_size {
        check::positive("pack_size", v).map_err(named)?;
    }
    Ok(())
}

/// Stock figures of one pair, in item units.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Figures {
    pub on_hand: i64,
    pub on_order: i64,
    pub reserved: i64,
    pub backordered: i64,
}

impl Figures {
    pub(crate) fn is_zero(&self) -> bool {
        *self == Figures::default()
    }
}

/// The per-pair parameters resolved from the item, its supplier and the defaults.
#[derive(Debug, Clone)]
pub(crate) struct RowParams {
    pub decimals: u8,
    pub service_level: f64,
    pub min_order_qty: f64,
    pack_size: f64,
    pub supplier: Option<String>,
    pub lead_time_days: f64,
    pub lead_time_std_days: f64,
    pub lead_time_source: LeadTimeSource,
}

impl RowParams {
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn new(
        o: &PlanOptions,
        item: Option<&ItemPlanning>,
        decimals: u8,
        supplier: Option<String>,
        lead: (f64, f64, LeadTimeSource),
    ) -> RowParams {
        RowParams {
            decimals,
            service_level: item
                .and_then(|i| i.service_level)
                .unwrap_or(o.service_level),
            min_order_qty: item
                .and_then(|i| i.min_order_qty)
                .unwrap_or(o.min_order_qty),
            pack_size: item.and_then(|i| i.pack_size).unwrap_or(o.pack_size),
            supplier,
            lead_time_days: lead.0,
            lead_time_std_days: lead.1,
            lead_time_source: lead.2,
        }
    }
}

/// Units of an item as a float.
fn units_f64(units: i64, decimals: u8) -> f64 {
    units as f64 / 10_f64.powi(i32::from(decimals))
}

/// A non-negative float quantity as item units, rounded up; a float a hair above a whole
/// unit (1.1 packs of 0.1 is 1.1000000000000001) counts as that unit.
fn float_units(q: f64, decimals: u8) -> Result<i64> {
    let scaled = q * 10_f64.powi(i32::from(decimals));
    let nearest = scaled.round();
    let units = if (scaled - nearest).abs() <= 1e-9 * nearest.abs().max(1.0) {
        nearest
    } else {
        scaled.ceil()
    };
    if !units.is_finite() || units >= i64::MAX as f64 {
        return Err(Error::InvalidQuantity {
            value: q.to_string(),
            reason: "the suggested order quantity overflows".into(),
        });
    }
    Ok(units as i64)
}

/// The forecast of a row: method name, per-period forecast, one-step sigma, pattern.
struct Outlook {
    method: String,
    mean: Vec<f64>,
    sigma: f64,
    pattern: DemandPattern,
    intervals: Vec<Interval>,
}

/// The plan's levels when `method` has intervals, else none.
fn levels_for<'a>(method: &Method, s: &'a Settings) -> &'a [f64] {
    if has_intervals(method) {
        &s.levels
    } else {
        &[]
    }
}

fn outlook(series: &[f64], s: &Settings) -> Result<Outlook> {
    let zero = |pattern| Outlook {
        method: "none".into(),
        mean: vec![0.0; s.horizon],
        sigma: 0.0,
        pattern,
        intervals: Vec::new(),
    };
    match &s.method {
        PlanMethod::ByClass => {
            let class = classify(series)?;
            let method = match class.pattern {
                DemandPattern::NoDemand => return Ok(zero(class.pattern)),
                DemandPattern::Smooth | DemandPattern::Erratic => Method::SesOptimized,
                DemandPattern::Intermittent | DemandPattern::Lumpy => Method::CrostonSba,
            };
            let fc = forecast_with(series, &method, s.horizon, levels_for(&method, s))?;
            Ok(Outlook {
                method: method.name().into(),
                mean: fc.mean,
                sigma: fc.accuracy.sigma,
                pattern: class.pattern,
                intervals: fc.intervals,
            })
        }
        PlanMethod::Auto { season_length } => {
            let auto = auto_forecast_with(series, *season_length, s.horizon, &s.levels)?;
            Ok(Outlook {
                method: auto.forecast.method.name().into(),
                mean: auto.forecast.mean,
                sigma: auto.forecast.accuracy.sigma,
                pattern: auto.class.pattern,
                intervals: auto.forecast.intervals,
            })
        }
        PlanMethod::Fixed(method) => {
            let class = classify(series)?;
            let fc = forecast_with(series, method, s.horizon, levels_for(method, s))?;
            Ok(Outlook {
                method: method.name().into(),
                mean: fc.mean,
                sigma: fc.accuracy.sigma,
                pattern: class.pattern,
                intervals: fc.intervals,
            })
        }
    }
}

/// Plans one pair.
pub(crate) fn plan_row(
    sku: &str,
    site: &str,
    series: &[f64],
    figures: Figures,
    p: &RowParams,
    s: &Settings,
) -> Result<PlanRow> {
    let look = outlook(series, s)?;
    // Demand cannot be negative: a trend forecast that dips below zero counts as zero.
    let mut mean = look.mean;
    for v in &mut mean {
        *v = v.max(0.0);
    }
    let mut intervals = look.intervals;
    for i in &mut intervals {
        for v in i.lower.iter_mut().chain(i.upper.iter_mut()) {
            *v = v.max(0.0);
        }
    }
    let demand_rate = mean.iter().sum::<f64>() / mean.len() as f64;
    let lead = LeadTime {
        mean: p.lead_time_days / s.period_days,
        std_dev: p.lead_time_std_days / s.period_days,
    };
    let demand = Demand {
        mean: demand_rate,
        std_dev: look.sigma,
    };
    let ss = policy::safety_stock_cycle(p.service_level, demand, lead)?;
    let order_quantity = match s.order_quantity {
        OrderQuantity::Cover { periods } => demand_rate * periods,
        OrderQuantity::Eoq {
            ordering_cost,
            holding_cost,
        } => policy::eoq(ordering_cost, holding_cost, demand_rate)?.quantity,
    };
    let order_up_to = ss.reorder_point + order_quantity;
    let d = p.decimals;
    let position = units_f64(figures.on_hand, d) + units_f64(figures.on_order, d)
        - units_f64(figures.reserved, d)
        - units_f64(figures.backordered, d);
    let mut projected = Vec::with_capacity(mean.len());
    let mut level = position;
    // (period, fraction of it elapsed, position) when the reorder point is reached.
    let mut crossing = (position <= ss.reorder_point).then_some((0, 0.0, position));
    for (t, f) in mean.iter().enumerate() {
        let end = level - f;
        if crossing.is_none() && end <= ss.reorder_point {
            // level > reorder point ≥ end, so f > 0.
            let fraction = (level - ss.reorder_point) / f;
            crossing = Some((t, fraction, ss.reorder_point));
        }
        projected.push(end);
        level = end;
    }
    let order = match crossing {
        None => None,
        Some((period, fraction, at)) => {
            let raw_qty = (order_up_to - at).max(0.0);
            let rounded = policy::round_order_quantity(raw_qty, p.min_order_qty, p.pack_size)?;
            let units = float_units(rounded, d)?;
            if units <= 0 {
                None
            } else {
                let offset_ms = (period as f64 + fraction) * s.period_days * DAY_MS as f64;
                let order_date = s.as_of.saturating_add(offset_ms.round() as i64);
                let lead_ms = (p.lead_time_days * DAY_MS as f64).round() as i64;
                Some(SuggestedOrder {
                    qty: Qty::from_units(units, d)?,
                    raw_qty,
                    period,
                    order_date,
                    expected_receipt: order_date.saturating_add(lead_ms),
                    position_at_order: at,
                })
            }
        }
    };
    Ok(PlanRow {
        sku: sku.to_owned(),
        site: site.to_owned(),
        on_hand: Qty::from_units(figures.on_hand, d)?,
        on_order: Qty::from_units(figures.on_order, d)?,
        reserved: Qty::from_units(figures.reserved, d)?,
        backordered: Qty::from_units(figures.backordered, d)?,
        position,
        history_periods: series.len(),
        pattern: look.pattern,
        method: look.method,
        demand_rate,
        sigma: look.sigma,
        supplier: p.supplier.clone(),
        lead_time_days: p.lead_time_days,
        lead_time_std_days: p.lead_time_std_days,
        lead_time_source: p.lead_time_source,
        service_level: p.service_level,
        safety_stock: ss.safety_stock,
        reorder_point: ss.reorder_point,
        order_up_to,
        projected,
        intervals,
        order,
    })
}

#[cfg(test)]
#[allow(clippy::float_cmp)]
mod tests {
    use super::*;

    #[test]
    fn float_units_round_up_but_forgive_representation_error() {
        // 11 packs of 0.1 in binary floating point: 1.1000000000000001.
        assert_eq!(float_units(11.0 * 0.1, 1).unwrap(), 11);
        assert_eq!(float_units(1.11, 1).unwrap(), 12);
        assert_eq!(float_units(60.0, 0).unwrap(), 60);
        assert_eq!(float_units(0.0, 3).unwrap(), 0);
        assert!(float_units(1e300, 0).is_err());
    }
}
