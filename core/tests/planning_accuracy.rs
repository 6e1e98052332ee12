//! Stored forecasts and their accuracy: forecasts are events of the log (durable, replayed,
//! one outcome per idempotency key), each period is compared with the latest forecast made
//! by its start, and MAE, MAPE, MASE and bias are checked against a hand computation.
#![allow(clippy::float_cmp)]

use std::sync::Arc;

use stockbook::planning::forecast::Method;
use stockbook::planning::{
    Bucket, DemandSeries, OrderQuantity, PlanMethod, PlanOptions, RecordForecast, RecordForecasts,
};
use stockbook::{
    AccuracyOptions, Answer, Error, Event, Issue, Item, Location, LocationKind, ManualClock, Meta,
    Options, Query, Receive, Stockbook,
};

const T0: i64 = 1_767_225_600_000; // 2026-01-01T00:00:00Z
const DAY: i64 = 86_400_000;
const HOUR: i64 = 3_600_000;

fn day(d: i64) -> i64 {
    T0 + d * DAY
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-12 * b.abs().max(1.0)
}

/// Item A at WH1 (bin WH1/A), defined and stocked on day 0; shipped 4 6 5 9 on days 0 to 3
/// (the history the first forecast sees), then 10 0 5 on days 4 to 6. Item B at WH2.
fn book(options: Options) -> (Stockbook, Arc<ManualClock>) {
    let clock = ManualClock::new(T0);
    let sb = Stockbook::in_memory_with(options.with_clock(clock.clone())).unwrap();
    fill(&sb, &clock);
    (sb, clock)
}

fn fill(sb: &Stockbook, clock: &ManualClock) {
    for site in ["WH1", "WH2"] {
        let mut loc = Location::new(site);
        loc.kind = LocationKind::Site;
        sb.define_location(loc).unwrap();
    }
    let mut bin = Location::new("WH1/A");
    bin.parent = Some("WH1".into());
    sb.define_location(bin).unwrap();
    for sku in ["A", "B"] {
        sb.define_item(Item::new(sku)).unwrap();
    }
    sb.receive(Receive::new("A", "WH1/A", 1000)).unwrap();
    for (d, qty) in [(0, 4), (1, 6), (2, 5), (3, 9), (4, 10), (6, 5)] {
        clock.set(day(d) + HOUR);
        sb.ship(Issue::new("A", "WH1/A", qty)).unwrap();
    }
}

/// The first forecast, made at the start of day 4: 7 a day for days 4 to 6.
fn first() -> RecordForecast {
    RecordForecast::new(
        "A",
        "WH1",
        Bucket::Day,
        day(4),
        vec![7.0, 7.0, 7.0],
        "naive",
    )
    .made_at(day(4))
}

/// The second, made during day 5 (too late for day 5): 6 for day 6.
fn second() -> RecordForecast {
    RecordForecast::new("A", "WH1", Bucket::Day, day(6), vec![6.0], "ses_optimized")
        .lower(vec![4.0])
        .upper(vec![8.0])
        .level(80.0)
        .made_at(day(5) + 12 * HOUR)
}

fn record_both(sb: &Stockbook) {
    sb.record_forecast(first()).unwrap();
    sb.record_forecast(second()).unwrap();
    // Another item at another site, which a question about WH1 does not see.
    sb.record_forecast(
        RecordForecast::new("B", "WH2", Bucket::Day, day(4), vec![1.0], "naive").made_at(day(4)),
    )
    .unwrap();
}

fn options() -> AccuracyOptions {
    AccuracyOptions::new("WH1", day(4), day(7)).bucket(Bucket::Day)
}

#[test]
fn accuracy_against_a_hand_computation() {
    let (sb, clock) = book(Options::default());
    clock.set(day(7));
    record_both(&sb);
    let answer = sb.forecast_accuracy(&options()).unwrap();
    assert_eq!(
        answer.rows.len(),
        1,
        "only the forecasts recorded under WH1"
    );
    let row = &answer.rows[0];
    assert_eq!((row.sku.as_str(), row.site.as_str()), ("A", "WH1"));
    let actual: Vec<f64> = row.periods.iter().map(|p| p.actual).collect();
    assert_eq!(actual, [10.0, 0.0, 5.0]);
    // Day 4 and day 5 from the first forecast (steps 1 and 2); day 6 from the second,
    // the latest made by the start of day 6.
    let forecast: Vec<Option<f64>> = row.periods.iter().map(|p| p.forecast).collect();
    assert_eq!(forecast, [Some(7.0), Some(7.0), Some(6.0)]);
    let steps: Vec<Option<usize>> = row.periods.iter().map(|p| p.step).collect();
    assert_eq!(steps, [Some(1), Some(2), Some(1)]);
    assert_eq!(row.periods[2].made_at, Some(day(5) + 12 * HOUR));
    assert_eq!(row.periods[2].method.as_deref(), Some("ses_optimized"));
    // Errors (forecast − actual): −3, +7, +1.
    assert_eq!(row.compared, 3);
    assert!(close(row.mae.unwrap(), 11.0 / 3.0));
    assert!(close(row.bias.unwrap(), 5.0 / 3.0));
    // MAPE leaves out day 5 (no demand): (3/10 + 1/5) / 2 = 25 %.
    assert_eq!(row.mape_periods, 2);
    assert!(close(row.mape.unwrap(), 25.0));
    // MASE: the first forecast saw days 0..3 = 4 6 5 9 (steps 2 1 4: scale 7/3); the
    // second saw days 0..5 = 4 6 5 9 10 0 (steps 2 1 4 1 10: scale 18/5).
    assert!(close(row.periods[0].scale.unwrap(), 7.0 / 3.0));
    assert!(close(row.periods[2].scale.unwrap(), 18.0 / 5.0));
    let mase = (3.0 / (7.0 / 3.0) + 7.0 / (7.0 / 3.0) + 1.0 / (18.0 / 5.0)) / 3.0;
    assert_eq!(row.mase_periods, 3);
    assert!(close(row.mase.unwrap(), mase));

    // One step ahead only: day 5 had no one-step forecast.
    let one_step = sb.forecast_accuracy(&options().step(1)).unwrap();
    let row = &one_step.rows[0];
    assert_eq!(row.compared, 2);
    assert_eq!(row.periods[1].forecast, None);
    assert!(close(row.mae.unwrap(), 2.0));
    assert!(close(row.bias.unwrap(), -1.0));

    // The same through the one query definition.
    let query = Query::from_json(&format!(
        r#"{{"op": "forecast_accuracy", "args": {{"location": "WH1", "from": {}, "to": {},
            "bucket": "day", "sku": "A"}}}}"#,
        day(4),
        day(7)
    ))
    .unwrap();
    assert!(query.reads_store());
    let Answer::ForecastAccuracy(by_query) = sb.query(&query).unwrap() else {
        panic!("a forecast_accuracy answer")
    };
    assert_eq!(by_query, answer);
}

#[test]
fn a_period_without_a_forecast_made_in_time_is_not_compared() {
    let (sb, clock) = book(Options::default());
    clock.set(day(7));
    // Made an hour into day 4: too late for day 4.
    sb.record_forecast(
        RecordForecast::new("A", "WH1", Bucket::Day, day(4), vec![7.0, 7.0], "naive")
            .made_at(day(4) + HOUR),
    )
    .unwrap();
    let row = &sb.forecast_accuracy(&options()).unwrap().rows[0];
    let forecast: Vec<Option<f64>> = row.periods.iter().map(|p| p.forecast).collect();
    assert_eq!(forecast, [None, Some(7.0), None]);
    assert_eq!(row.compared, 1);
    assert_eq!(row.mape, None, "day 5 had no demand");
    assert_eq!(row.mae, Some(7.0));
    // Forecasts of another bucket are not compared.
    let weekly = options().bucket(Bucket::Week);
    assert!(sb.forecast_accuracy(&weekly).unwrap().rows.is_empty());
}

#[test]
fn forecasts_are_events_kept_across_a_reopen_and_replayed() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("forecasts.stockbook");
    let clock = ManualClock::new(T0);
    let sb = Stockbook::open_with(&path, Options::default().with_clock(clock.clone())).unwrap();
    fill(&sb, &clock);
    clock.set(day(7));
    let keyed = sb.with_meta(Meta::new().key("fc-1"));
    let written = keyed.record_forecast(first()).unwrap();
    assert_eq!(keyed.record_forecast(first()).unwrap(), written);
    sb.record_forecast(second()).unwrap();
    let before = sb.forecast_accuracy(&options()).unwrap();
    let history = sb.history("A", 1, 10_000).unwrap();
    let recorded: Vec<_> = history
        .iter()
        .filter_map(|e| match &e.event {
            Event::ForecastRecorded(f) => Some(f.clone()),
            _ => None,
        })
        .collect();
    assert_eq!(recorded.len(), 2, "the key wrote the first forecast once");
    assert_eq!(recorded[1].lower, Some(vec![4.0]));
    assert_eq!(recorded[1].level, Some(80.0));
    assert!(sb.verify().unwrap().is_sound());
    sb.close().unwrap();

    let sb = Stockbook::open_with(&path, Options::default().with_clock(clock.clone())).unwrap();
    assert_eq!(sb.forecast_accuracy(&options()).unwrap(), before);
    assert!(sb.verify().unwrap().is_sound());
    let again = sb
        .with_meta(Meta::new().key("fc-1"))
        .record_forecast(first())
        .unwrap();
    assert_eq!(
        again, written,
        "the key remembers its outcome across a reopen"
    );
}

#[test]
fn bad_forecasts_are_refused_and_change_nothing() {
    let (sb, _clock) = book(Options::default());
    let before = sb.last_seq().unwrap();
    let code = |f: RecordForecast| sb.record_forecast(f).unwrap_err();
    let param = |e: Error| match e {
        Error::InvalidParameter { parameter, .. } => parameter,
        other => panic!("invalid_parameter expected, got {other:?}"),
    };
    let base = || RecordForecast::new("A", "WH1", Bucket::Day, day(4), vec![1.0], "naive");
    assert_eq!(
        param(code(RecordForecast::new(
            "A",
            "WH1",
            Bucket::Day,
            day(4),
            vec![],
            "n"
        ))),
        "points"
    );
    assert_eq!(param(code(base().lower(vec![2.0]))), "lower");
    assert_eq!(param(code(base().upper(vec![0.5]))), "upper");
    assert_eq!(param(code(base().lower(vec![0.0, 0.0]))), "lower");
    assert_eq!(param(code(base().level(100.0))), "level");
    assert_eq!(
        param(code(RecordForecast::new(
            "A",
            "WH1",
            Bucket::Day,
            day(4) + 1,
            vec![1.0],
            "n"
        ))),
        "start"
    );
    assert_eq!(
        param(code(RecordForecast::new(
            "A",
            "WH1",
            Bucket::Day,
            day(4),
            vec![f64::NAN],
            "n"
        ))),
        "points"
    );
    assert_eq!(
        param(code(RecordForecast::new(
            "A",
            "WH1",
            Bucket::Day,
            day(4),
            vec![1.0],
            ""
        ))),
        "method"
    );
    assert_eq!(
        code(RecordForecast::new(
            "NOPE",
            "WH1",
            Bucket::Day,
            day(4),
            vec![1.0],
            "n"
        ))
        .code(),
        "not_found"
    );
    assert_eq!(
        code(RecordForecast::new(
            "A",
            "@customer",
            Bucket::Day,
            day(4),
            vec![1.0],
            "n"
        ))
        .code(),
        "invalid_argument"
    );
    // A batch with one bad forecast records none of them.
    let refused = sb
        .record_forecasts(RecordForecasts::new(vec![base(), base().level(0.0)]))
        .unwrap_err();
    assert_eq!(refused.code(), "invalid_parameter");
    assert_eq!(sb.last_seq().unwrap(), before);
    // Bad questions.
    let bad = sb
        .forecast_accuracy(&AccuracyOptions::new("WH1", day(4), day(4)))
        .unwrap_err();
    assert_eq!(bad.code(), "invalid_parameter");
    let bad = sb.forecast_accuracy(&options().step(0)).unwrap_err();
    assert_eq!(bad.code(), "invalid_parameter");
    let bad = sb
        .forecast_accuracy(&AccuracyOptions::new("NOWHERE", day(4), day(7)))
        .unwrap_err();
    assert_eq!(bad.code(), "not_found");
}

#[test]
fn a_plan_records_its_forecasts_in_one_command() {
    let (sb, clock) = book(Options::default());
    clock.set(day(4));
    let plan = sb
        .replenishment_plan(
            &PlanOptions::new()
                .bucket(Bucket::Day)
                .horizon_periods(3)
                .method(PlanMethod::Fixed(Method::Naive))
                .order_quantity(OrderQuantity::Cover { periods: 2.0 })
                .series(vec![
                    DemandSeries::new("A", "WH1", vec![4.0, 6.0, 5.0, 9.0]),
                    DemandSeries::new("B", "WH1", vec![1.0, 3.0]),
                ]),
        )
        .unwrap();
    assert_eq!(plan.rows.len(), 2);
    let batch = RecordForecasts::from_plan(&plan);
    assert_eq!(batch.forecasts.len(), 2);
    // The naive forecast repeats the last value: 9 a day for A, 3 for B.
    assert_eq!(batch.forecasts[0].points, [9.0, 9.0, 9.0]);
    assert_eq!(batch.forecasts[1].points, [3.0, 3.0, 3.0]);
    assert_eq!(batch.forecasts[0].start, day(4));
    assert_eq!(batch.forecasts[0].made_at, Some(day(4)));
    assert_eq!(batch.forecasts[0].method, plan.rows[0].method);
    let before = sb.last_seq().unwrap();
    sb.record_forecasts(batch).unwrap();
    assert_eq!(sb.last_seq().unwrap(), before + 2, "one event per row");
    clock.set(day(7));
    let row = &sb.forecast_accuracy(&options().sku("A")).unwrap().rows[0];
    // 9 against 10, 0, 5: errors −1, +9, +4.
    assert_eq!(row.compared, 3);
    assert!(close(row.mae.unwrap(), 14.0 / 3.0));
    assert!(close(row.bias.unwrap(), 4.0));
}
