//! The replenishment plan's prediction intervals (`PlanOptions::levels`): each row carries
//! its forecast's intervals over the horizon, bounds below zero raised to zero as the
//! forecast is; rows whose method has none (Croston–SBA, no demand) carry none.

// Exact comparisons are the point where they appear: a state fed one observation at a
// time must be the longer run bit for bit, and given constants come back unchanged. y, m, h
// are the literature's names for the series, season length and horizon.
#![allow(clippy::float_cmp, clippy::many_single_char_names)]

use stockbook::planning::forecast::{Method, forecast_with};
use stockbook::planning::{DemandSeries, PlanMethod, PlanOptions};
use stockbook::{Error, Item, Location, LocationKind, Stockbook};

fn book() -> Stockbook {
    let sb = Stockbook::in_memory().unwrap();
    let mut site = Location::new("WH1");
    site.kind = LocationKind::Site;
    sb.define_location(site).unwrap();
    for sku in ["A", "B", "C"] {
        sb.define_item(Item::new(sku)).unwrap();
    }
    sb
}

#[test]
fn rows_carry_their_forecasts_intervals() {
    let sb = book();
    let smooth: Vec<f64> = (0..30).map(|t| 20.0 + f64::from(t % 5) * 3.0).collect();
    let intermittent: Vec<f64> = (0..30)
        .map(|t| if t % 4 == 0 { 9.0 } else { 0.0 })
        .collect();
    // Low, noisy demand: the lower bounds fall below zero and are raised to it.
    let low: Vec<f64> = (0..30).map(|t| [0.5, 4.0, 1.0, 6.0, 0.7][t % 5]).collect();
    let series = vec![
        DemandSeries::new("A", "WH1", smooth.clone()),
        DemandSeries::new("B", "WH1", intermittent),
        DemandSeries::new("C", "WH1", low.clone()),
    ];
    let options = PlanOptions::new()
        .horizon_periods(8)
        .levels([80.0, 95.0])
        .series(series.clone());
    let plan = sb.replenishment_plan(&options).unwrap();
    assert!(plan.problems.is_empty(), "{:?}", plan.problems);
    let row = |sku: &str| plan.rows.iter().find(|r| r.sku == sku).unwrap();
    let a = row("A");
    assert_eq!(a.method, "ses_optimized");
    let fc = forecast_with(&smooth, &Method::SesOptimized, 8, &[80.0, 95.0]).unwrap();
    assert_eq!(a.intervals, fc.intervals);
    assert_eq!(row("B").method, "croston_sba");
    assert!(row("B").intervals.is_empty());
    let c = row("C");
    let fc = forecast_with(&low, &Method::SesOptimized, 8, &[80.0, 95.0]).unwrap();
    assert!(fc.intervals[1].lower.iter().any(|v| *v < 0.0));
    for (ours, theirs) in c.intervals.iter().zip(&fc.intervals) {
        let raised: Vec<f64> = theirs.lower.iter().map(|v| v.max(0.0)).collect();
        assert_eq!(ours.lower, raised);
        assert_eq!(ours.upper, theirs.upper);
    }
    // A fixed method with intervals gives them for every row; without levels, none.
    let holt = PlanOptions::new()
        .horizon_periods(8)
        .levels([90.0])
        .method(PlanMethod::Fixed(Method::Naive))
        .series(series.clone());
    let plan = sb.replenishment_plan(&holt).unwrap();
    assert!(plan.rows.iter().all(|r| r.intervals.len() == 1));
    let none = PlanOptions::new().horizon_periods(8).series(series);
    let plan = sb.replenishment_plan(&none).unwrap();
    assert!(plan.rows.iter().all(|r| r.intervals.is_empty()));
    let json = serde_json::to_value(&plan.rows[0]).unwrap();
    assert!(json.get("intervals").is_none(), "no levels, no key: {json}");
}

#[test]
fn bad_levels_are_refused_naming_them() {
    let sb = book();
    for bad in [0.0, 100.0, f64::NAN, -1.0] {
        let options = PlanOptions::new()
            .levels([80.0, bad])
            .series(vec![DemandSeries::new("A", "WH1", vec![1.0, 2.0, 3.0])]);
        match sb.replenishment_plan(&options) {
            Err(Error::InvalidParameter { parameter, .. }) => assert_eq!(parameter, "levels"),
            other => panic!("{bad}: {other:?}"),
        }
    }
}
