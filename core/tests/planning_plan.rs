//! Demand history from the ledger and the replenishment plan, checked by hand on small
//! cases; bad input is a typed error naming the parameter.
// The hand-checked cases are chosen so that every figure is exact in binary floating
// point: comparing them exactly is the point.
#![allow(clippy::float_cmp)]

use std::sync::Arc;

use stockbook::orders::{
    CreateOrder, NewOrderLine, PackOrder, Package, PackageContent, PickOrder, Reserve, Strategy,
};
use stockbook::planning::forecast::{DemandPattern, Method};
use stockbook::planning::policy::normal_quantile;
use stockbook::planning::{
    Bucket, CreatePurchaseOrder, DemandSeries, ItemPlanning, LeadTimeSource, NewPurchaseOrderLine,
    OrderQuantity, PlanMethod, PlanOptions, PlanRow, ReceivePurchaseOrder,
};
use stockbook::{
    Adjust, Count, Error, Issue, Item, Location, LocationKind, ManualClock, Options, Qty, Receive,
    Scrap, Stockbook, Transfer,
};

const T0: i64 = 1_767_225_600_000; // 2026-01-01T00:00:00Z, a Thursday
const DAY: i64 = 86_400_000;
const WEEK: i64 = 7 * DAY;
/// Monday 2026-01-05, the start of week W0.
const MON: i64 = T0 + 4 * DAY;

fn q(text: &str) -> Qty {
    Qty::parse(text).unwrap()
}

fn book() -> (Stockbook, Arc<ManualClock>) {
    let clock = ManualClock::new(T0);
    let sb = Stockbook::in_memory_with(Options::default().with_clock(clock.clone())).unwrap();
    for site in ["WH1", "WH2"] {
        let mut loc = Location::new(site);
        loc.kind = LocationKind::Site;
        sb.define_location(loc).unwrap();
    }
    for (bin, parent) in [
        ("WH1/A", "WH1"),
        ("WH1/B", "WH1"),
        ("WH1/OUT", "WH1"),
        ("WH2/A", "WH2"),
    ] {
        let mut loc = Location::new(bin);
        loc.parent = Some(parent.into());
        sb.define_location(loc).unwrap();
    }
    for sku in ["A", "B", "C"] {
        sb.define_item(Item::new(sku)).unwrap();
    }
    (sb, clock)
}

fn order(sb: &Stockbook, id: &str, sku: &str, qty: &str, staging: &str) {
    sb.create_order(
        CreateOrder::new(id, "WH1", vec![NewOrderLine::new(sku, q(qty))])
            .priority(1)
            .staging(staging),
    )
    .unwrap();
    sb.confirm_order(id).unwrap();
    sb.allocate_order(id, Strategy::Fifo).unwrap();
}

fn pick_pack_ship(sb: &Stockbook, id: &str, bin: &str, qty: &str) {
    sb.pick_order(PickOrder::new(id, 1, bin, q(qty))).unwrap();
    sb.pack_order(PackOrder::new(
        id,
        vec![Package::new(
            format!("{id}-P{qty}"),
            vec![PackageContent::new(1, q(qty))],
        )],
    ))
    .unwrap();
    sb.ship_order(id).unwrap();
}

/// Four weeks of movements of every kind (see the expectations in the tests below).
fn history() -> (Stockbook, Arc<ManualClock>) {
    let (sb, clock) = book();
    clock.set(MON + 8 * 3_600_000);
    sb.receive(Receive::new("A", "WH1/A", 1000)).unwrap();
    sb.transfer_stock(Transfer::new("A", "WH1/A", "WH1/B", q("100")))
        .unwrap();
    sb.receive(Receive::new("A", "WH2/A", 100)).unwrap();
    sb.receive(Receive::new("B", "WH1/A", 10)).unwrap();
    // W0: ship 10 on Tuesday, issue 5 on Wednesday.
    clock.set(MON + DAY + 3_600_000);
    sb.ship(Issue::new("A", "WH1/A", 10)).unwrap();
    clock.set(MON + 2 * DAY + 3_600_000);
    sb.issue(Issue::new("A", "WH1/B", 5)).unwrap();
    // W1: a shipment of 7; adjustments, scrap and counts are not demand; order O1 for 25
    // of B finds 10, ships them and backorders 15.
    clock.set(MON + WEEK + 3_600_000);
    sb.ship(Issue::new("A", "WH1/A", 7)).unwrap();
    sb.adjust(Adjust::new("A", "WH1/A", q("-3"), "damaged"))
        .unwrap();
    sb.scrap(Scrap::new("A", "WH1/B", q("2"))).unwrap();
    sb.count(Count::new("A", "WH1/B", q("90"))).unwrap();
    order(&sb, "O1", "B", "25", "WH1/OUT");
    clock.set(MON + WEEK + DAY);
    pick_pack_ship(&sb, "O1", "WH1/A", "10");
    // W2: 20 of B arrive (15 fill the backorder); a plain shipment of 3.
    clock.set(MON + 2 * WEEK + 3_600_000);
    sb.receive(Receive::new("B", "WH1/A", 20)).unwrap();
    sb.ship(Issue::new("B", "WH1/A", 3)).unwrap();
    // W3: 20 of A leave WH2; O1's backorder ships; O2 picks 4 of A to a staging place in
    // WH2 and is cancelled: the 4 come back to WH1/A from outside WH1.
    clock.set(MON + 3 * WEEK + 3_600_000);
    sb.ship(Issue::new("A", "WH2/A", 20)).unwrap();
    pick_pack_ship(&sb, "O1", "WH1/A", "15");
    order(&sb, "O2", "A", "4", "WH2/A");
    sb.pick_order(PickOrder::new("O2", 1, "WH1/A", q("4")))
        .unwrap();
    sb.cancel_order("O2", None).unwrap();
    clock.set(MON + 4 * WEEK + DAY);
    (sb, clock)
}

fn demand(
    sb: &Stockbook,
    sku: &str,
    at: &str,
    bucket: Bucket,
    from: i64,
    to: i64,
    bo: bool,
) -> (Vec<String>, Vec<String>) {
    let h = sb.demand_history(sku, at, bucket, from, to, bo).unwrap();
    (
        h.periods.iter().map(|p| p.demand.to_string()).collect(),
        h.periods.iter().map(|p| p.returns.to_string()).collect(),
    )
}

fn strings(v: &[&str]) -> Vec<String> {
    v.iter().map(|s| (*s).to_owned()).collect()
}

#[test]
fn weekly_demand_counts_shipments_and_issues_only() {
    let (sb, _) = history();
    let end = MON + 4 * WEEK;
    let (d, r) = demand(&sb, "A", "WH1", Bucket::Week, MON, end, false);
    assert_eq!(d, strings(&["15", "7", "0", "0"]));
    assert_eq!(r, strings(&["0", "0", "0", "4"]));
    let (d, r) = demand(&sb, "A", "WH1/A", Bucket::Week, MON, end, false);
    assert_eq!(d, strings(&["10", "7", "0", "0"]));
    assert_eq!(r, strings(&["0", "0", "0", "4"]));
    let (d, _) = demand(&sb, "A", "WH1/B", Bucket::Week, MON, end, false);
    assert_eq!(d, strings(&["5", "0", "0", "0"]));
    // The pick out of WH1 was not demand, and the return out of WH2 is neither.
    let (d, r) = demand(&sb, "A", "WH2", Bucket::Week, MON, end, false);
    assert_eq!(d, strings(&["0", "0", "0", "20"]));
    assert_eq!(r, strings(&["0", "0", "0", "0"]));
    // A range that starts mid-week covers that whole week.
    let h = sb
        .demand_history(
            "A",
            "WH1",
            Bucket::Week,
            MON + 3 * DAY,
            MON + WEEK + 1,
            false,
        )
        .unwrap();
    assert_eq!(h.periods.len(), 2);
    assert_eq!(h.periods[0].start, MON);
    assert_eq!(h.periods[1].start, MON + WEEK);
    assert_eq!(h.series(), vec![15.0, 7.0]);
}

#[test]
fn daily_and_monthly_buckets() {
    let (sb, _) = history();
    let (d, _) = demand(&sb, "A", "WH1", Bucket::Day, MON, MON + 4 * DAY, false);
    assert_eq!(d, strings(&["0", "10", "5", "0"]));
    // January 2026 holds weeks W0–W3; February nothing yet.
    let feb_end = T0 + 59 * DAY;
    let h = sb
        .demand_history("A", "WH1", Bucket::Month, T0, feb_end, false)
        .unwrap();
    assert_eq!(h.periods.len(), 2);
    assert_eq!(h.periods[0].start, T0);
    assert_eq!(h.periods[1].start, T0 + 31 * DAY);
    assert_eq!(h.periods[0].demand, q("22"));
    assert_eq!(h.periods[0].returns, q("4"));
    assert_eq!(h.periods[1].demand, q("0"));
}

#[test]
fn ordered_demand_includes_backorders_and_drops_order_shipments() {
    let (sb, _) = history();
    let end = MON + 4 * WEEK;
    // Shipments: the order's 10 in W1, the plain 3 in W2, the backorder's 15 in W3.
    let (d, _) = demand(&sb, "B", "WH1", Bucket::Week, MON, end, false);
    assert_eq!(d, strings(&["0", "10", "3", "15"]));
    // Ordered: the 25 when the order was placed, and the plain shipment.
    let (d, _) = demand(&sb, "B", "WH1", Bucket::Week, MON, end, true);
    assert_eq!(d, strings(&["0", "25", "3", "0"]));
    // O2 for A was cancelled without shipping: it adds nothing.
    let (d, _) = demand(&sb, "A", "WH1", Bucket::Week, MON, end, true);
    assert_eq!(d, strings(&["15", "7", "0", "0"]));
    assert!(sb.verify().unwrap().is_sound());
}

#[test]
fn demand_history_refuses_bad_ranges_and_unknowns() {
    let (sb, _) = book();
    let param = |r: stockbook::Result<_>| match r {
        Err(Error::InvalidParameter { parameter, .. }) => parameter,
        other => panic!("expected invalid_parameter, got {other:?}"),
    };
    assert_eq!(
        param(sb.demand_history("A", "WH1", Bucket::Week, MON, MON, false)),
        "to"
    );
    assert_eq!(
        param(sb.demand_history("A", "WH1", Bucket::Day, MON, MON + 10_001 * DAY, false)),
        "to"
    );
    let code = |r: stockbook::Result<_>| r.unwrap_err().code();
    assert_eq!(
        code(sb.demand_history("NOPE", "WH1", Bucket::Week, MON, MON + WEEK, false)),
        "not_found"
    );
    assert_eq!(
        code(sb.demand_history("A", "WH9", Bucket::Week, MON, MON + WEEK, false)),
        "not_found"
    );
    assert_eq!(
        code(sb.demand_history("A", "@customer", Bucket::Week, MON, MON + WEEK, false)),
        "invalid_argument"
    );
}

/// Item C: 10 a week for 8 weeks, a 14-day supplier lead time learned from a purchase
/// order, stock on order, reserved and backordered.
fn steady() -> (Stockbook, Arc<ManualClock>) {
    let (sb, clock) = book();
    clock.set(MON);
    sb.receive(Receive::new("C", "WH1/A", 100)).unwrap();
    sb.create_purchase_order(CreatePurchaseOrder::new(
        "PO-C0",
        "ACME",
        "WH1",
        vec![NewPurchaseOrderLine::new("C", q("100"))],
        MON + 14 * DAY,
    ))
    .unwrap();
    for week in 0..8 {
        if week == 2 {
            clock.set(MON + 14 * DAY);
            let mut r = ReceivePurchaseOrder::new("PO-C0", 1, q("100"));
            r.location = Some("WH1/A".into());
            sb.receive_purchase_order(r).unwrap();
        }
        clock.set(MON + week * WEEK + DAY);
        sb.ship(Issue::new("C", "WH1/A", 10)).unwrap();
    }
    clock.set(MON + 7 * WEEK + 2 * DAY);
    for id in ["PO-C1", "PO-C2"] {
        sb.create_purchase_order(CreatePurchaseOrder::new(
            id,
            "ACME",
            "WH1",
            vec![NewPurchaseOrderLine::new("C", q("30"))],
            MON + 9 * WEEK,
        ))
        .unwrap();
    }
    sb.reserve(Reserve::new("C", "WH1", 5)).unwrap();
    // 115 are free: the order takes them and backorders 15.
    order(&sb, "O3", "C", "130", "WH1/OUT");
    clock.set(MON + 8 * WEEK + 3_600_000);
    (sb, clock)
}

fn steady_options() -> PlanOptions {
    PlanOptions::new()
        .as_of(MON + 8 * WEEK)
        .history_periods(8)
        .horizon_periods(6)
        .min_order_qty(50.0)
        .pack_size(12.0)
        .skus(["C"])
}

#[test]
fn a_small_plan_checked_by_hand() {
    let (sb, _) = steady();
    let plan = sb.replenishment_plan(&steady_options()).unwrap();
    assert!(plan.problems.is_empty(), "{:?}", plan.problems);
    // C has nothing at WH2: no row there.
    assert_eq!(plan.rows.len(), 1);
    let row = &plan.rows[0];
    assert_eq!((row.sku.as_str(), row.site.as_str()), ("C", "WH1"));
    // 200 received − 80 shipped; 2 × 30 on order; 5 + 115 reserved; 15 backordered.
    assert_eq!(row.on_hand, q("120"));
    assert_eq!(row.on_order, q("60"));
    assert_eq!(row.reserved, q("120"));
    assert_eq!(row.backordered, q("15"));
    assert_eq!(row.position, 45.0);
    // Constant demand: smooth, SES forecasts it exactly, no error.
    assert_eq!(row.history_periods, 8);
    assert_eq!(row.pattern, DemandPattern::Smooth);
    assert_eq!(row.method, "ses_optimized");
    assert_eq!(row.demand_rate, 10.0);
    assert_eq!(row.sigma, 0.0);
    // PO-C0 took 14 days from ACME: 2 weeks.
    assert_eq!(row.supplier.as_deref(), Some("ACME"));
    assert_eq!(row.lead_time_source, LeadTimeSource::SupplierItem);
    assert_eq!((row.lead_time_days, row.lead_time_std_days), (14.0, 0.0));
    // No uncertainty: no safety stock; reorder point 10 × 2; order up to 20 + 4 × 10.
    assert_eq!(row.safety_stock, 0.0);
    assert_eq!(row.reorder_point, 20.0);
    assert_eq!(row.order_up_to, 60.0);
    assert_eq!(row.projected, vec![35.0, 25.0, 15.0, 5.0, -5.0, -15.0]);
    // 25 → 15 in period 2 crosses 20 halfway: order 60 − 20 = 40, raised to the minimum
    // 50, then to whole packs of 12: 60; at 2.5 weeks, arriving 14 days later.
    let o = row.order.as_ref().expect("an order");
    assert_eq!(o.period, 2);
    assert_eq!(o.raw_qty, 40.0);
    assert_eq!(o.qty, q("60"));
    assert_eq!(o.position_at_order, 20.0);
    assert_eq!(o.order_date, MON + 8 * WEEK + 17 * DAY + DAY / 2);
    assert_eq!(o.expected_receipt, o.order_date + 14 * DAY);

    // An item's own lead time wins over its supplier's history; a position already below
    // the reorder point orders now, up to the order-up-to level.
    let mut options = steady_options();
    options.items = vec![(ItemPlanning::new("C")).lead_time_days(35.0)];
    options.min_order_qty = 0.0;
    options.pack_size = 1.0;
    let row = &sb.replenishment_plan(&options).unwrap().rows[0];
    assert_eq!(row.lead_time_source, LeadTimeSource::Item);
    assert_eq!(row.reorder_point, 50.0);
    let o = row.order.as_ref().unwrap();
    assert_eq!((o.period, o.order_date), (0, MON + 8 * WEEK));
    assert_eq!(o.qty, q("45")); // 50 + 40 − 45
    assert_eq!(o.expected_receipt, MON + 8 * WEEK + 35 * DAY);

    // The history in the plan is the ledger's.
    let h = sb
        .demand_history("C", "WH1", Bucket::Week, MON, MON + 8 * WEEK, false)
        .unwrap();
    assert_eq!(h.series(), vec![10.0; 8]);
}

#[test]
fn given_series_are_planned_with_safety_stock() {
    let (sb, _) = book();
    sb.receive(Receive::new("A", "WH2/A", 12)).unwrap();
    let options = PlanOptions::new()
        .as_of(MON)
        .method(PlanMethod::Fixed(Method::Naive))
        .service_level(0.9)
        .order_quantity(OrderQuantity::Cover { periods: 3.0 })
        .series(vec![
            DemandSeries::new("A", "WH2", vec![8.0, 12.0, 8.0, 12.0, 10.0]),
            DemandSeries::new("B", "WH1", vec![0.0; 6]),
        ]);
    let plan = sb.replenishment_plan(&options).unwrap();
    assert_eq!(plan.rows.len(), 2);
    let a = &plan.rows[0];
    assert_eq!((a.sku.as_str(), a.site.as_str()), ("A", "WH2"));
    // Naive: forecast 10; one-step errors 4, −4, 4, −2 → sigma √(52/4) = √13.
    assert_eq!(a.method, "naive");
    assert_eq!(a.demand_rate, 10.0);
    assert!((a.sigma - 13_f64.sqrt()).abs() < 1e-12);
    // Default lead time 7 days = 1 week: safety stock z(0.9) × √13.
    assert_eq!(a.lead_time_source, LeadTimeSource::Default);
    let ss = normal_quantile(0.9).unwrap() * 13_f64.sqrt();
    assert!((a.safety_stock - ss).abs() < 1e-9);
    assert!((a.reorder_point - (10.0 + ss)).abs() < 1e-9);
    assert!((a.order_up_to - (40.0 + ss)).abs() < 1e-9);
    // Position 12 is below the reorder point (≈ 14.62): order now, up to ≈ 44.62.
    let o = a.order.as_ref().unwrap();
    assert_eq!(
        (o.period, o.order_date, o.position_at_order),
        (0, MON, 12.0)
    );
    assert!((o.raw_qty - (28.0 + ss)).abs() < 1e-9);
    assert_eq!(o.qty, Qty::from_int((28.0 + ss).ceil() as i64));
    // No demand and nothing in stock: nothing to order.
    let b = &plan.rows[1];
    assert_eq!(b.pattern, DemandPattern::NoDemand);
    assert_eq!(b.order, None);
    assert_eq!(b.projected, vec![0.0; 13]);
}

#[test]
fn a_method_that_cannot_fit_one_pair_does_not_stop_the_others() {
    let (sb, _) = book();
    let options = PlanOptions::new()
        .method(PlanMethod::Fixed(Method::SeasonalNaive {
            season_length: 6,
        }))
        .series(vec![
            DemandSeries::new("A", "WH1", vec![1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 1.0, 2.0]),
            DemandSeries::new("B", "WH1", vec![1.0, 2.0, 3.0, 4.0, 5.0]),
        ]);
    let plan = sb.replenishment_plan(&options).unwrap();
    assert_eq!(plan.rows.len(), 1);
    assert_eq!(plan.rows[0].sku, "A");
    assert_eq!(plan.problems.len(), 1);
    assert_eq!(plan.problems[0].sku, "B");
    assert_eq!(plan.problems[0].error.code(), "invalid_parameter");
}

/// The parameter an `invalid_parameter` error names.
#[track_caller]
fn parameter(sb: &Stockbook, options: &PlanOptions) -> String {
    match sb.replenishment_plan(options) {
        Err(Error::InvalidParameter { parameter, reason }) => {
            assert!(!reason.is_empty());
            parameter
        }
        other => panic!("expected invalid_parameter, got {other:?}"),
    }
}

fn with_series(demand: Vec<f64>) -> PlanOptions {
    PlanOptions::new().series(vec![DemandSeries::new("A", "WH1", demand)])
}

#[test]
fn bad_input_is_a_typed_error_naming_the_parameter() {
    let (sb, _) = book();
    for level in [0.0, 1.0, -0.5, 1.5, f64::NAN] {
        let o = PlanOptions::new().service_level(level);
        assert_eq!(parameter(&sb, &o), "service_level");
    }
    // A lead time of zero is same-day delivery (see below); below zero or NaN means nothing.
    for days in [-1.0, f64::NAN] {
        let o = PlanOptions::new().lead_time_days(days);
        assert_eq!(parameter(&sb, &o), "lead_time_days");
        let o = PlanOptions::new().items(vec![(ItemPlanning::new("A")).lead_time_days(days)]);
        assert_eq!(parameter(&sb, &o), "lead_time_days");
    }
    let o = PlanOptions::new().items(vec![(ItemPlanning::new("A")).service_level(1.0)]);
    assert_eq!(parameter(&sb, &o), "service_level");
    assert_eq!(parameter(&sb, &with_series(vec![])), "series");
    assert_eq!(parameter(&sb, &with_series(vec![3.0])), "series");
    assert_eq!(parameter(&sb, &with_series(vec![3.0, -1.0, 2.0])), "series");
    assert_eq!(parameter(&sb, &with_series(vec![3.0, f64::NAN])), "series");
    let mut auto = with_series(vec![1.0, 2.0, 3.0]);
    auto.method = PlanMethod::Auto { season_length: 1 };
    assert_eq!(parameter(&sb, &auto), "series");
    let o = PlanOptions::new().history_periods(1);
    assert_eq!(parameter(&sb, &o), "history_periods");
    let o = PlanOptions::new().horizon_periods(0);
    assert_eq!(parameter(&sb, &o), "horizon_periods");
    let o = PlanOptions::new().pack_size(0.0);
    assert_eq!(parameter(&sb, &o), "pack_size");
    let o = PlanOptions::new().order_quantity(OrderQuantity::Cover { periods: 0.0 });
    assert_eq!(parameter(&sb, &o), "order_quantity.periods");
    let o = PlanOptions::new().order_quantity(OrderQuantity::Eoq {
        ordering_cost: 50.0,
        holding_cost: -1.0,
    });
    assert_eq!(parameter(&sb, &o), "order_quantity.holding_cost");
    let mut twice = with_series(vec![1.0, 2.0]);
    let again = twice.series.as_ref().unwrap()[0].clone();
    twice.series.as_mut().unwrap().push(again);
    assert_eq!(parameter(&sb, &twice), "series");
    // Unknown items and sites are not found.
    let mut unknown = with_series(vec![1.0, 2.0]);
    unknown.series.as_mut().unwrap()[0].site = "WH9".into();
    assert_eq!(
        sb.replenishment_plan(&unknown).unwrap_err().code(),
        "not_found"
    );
    let o = PlanOptions::new().skus(["NOPE"]);
    assert_eq!(sb.replenishment_plan(&o).unwrap_err().code(), "not_found");
    let o = PlanOptions::new().sites(["WH1", "WH1/A"]);
    assert_eq!(
        sb.replenishment_plan(&o).unwrap_err().code(),
        "invalid_argument"
    );
}

fn finite(row: &PlanRow) -> bool {
    let mut values = vec![
        row.position,
        row.demand_rate,
        row.sigma,
        row.lead_time_days,
        row.safety_stock,
        row.reorder_point,
        row.order_up_to,
    ];
    values.extend(&row.projected);
    if let Some(o) = &row.order {
        values.extend([o.raw_qty, o.position_at_order]);
    }
    values.iter().all(|v| v.is_finite())
}

#[test]
fn the_plan_is_the_same_on_one_thread_or_many_and_never_nan() {
    let (sb, _) = history();
    // Varied series: smooth, intermittent, lumpy, empty of demand, trending.
    let series: Vec<DemandSeries> = (0..200)
        .map(|i| {
            DemandSeries::new(
                ["A", "B", "C"][i % 3],
                format!("S{i}"),
                (0..52)
                    .map(|t| match i % 5 {
                        0 => 10.0 + ((t * 7 + i) % 5) as f64,
                        1 => {
                            if (t + i) % 4 == 0 {
                                6.0
                            } else {
                                0.0
                            }
                        }
                        2 => {
                            if (t * i) % 7 == 0 {
                                ((t % 9) * 3) as f64
                            } else {
                                0.0
                            }
                        }
                        3 => 0.0,
                        _ => t as f64 * 0.5,
                    })
                    .collect(),
            )
        })
        .collect();
    for s in &series {
        let mut loc = Location::new(s.site.clone());
        loc.kind = LocationKind::Site;
        let _ = sb.define_location(loc);
    }
    let options = PlanOptions::new().series(series);
    let one = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build()
        .unwrap();
    let two = rayon::ThreadPoolBuilder::new()
        .num_threads(2)
        .build()
        .unwrap();
    let a = one.install(|| sb.replenishment_plan(&options)).unwrap();
    let b = two.install(|| sb.replenishment_plan(&options)).unwrap();
    assert_eq!(a, b);
    assert_eq!(a.rows.len(), 200);
    assert!(a.problems.is_empty());
    assert!(a.rows.iter().all(finite));
    // The ledger-derived plan is also thread-count independent.
    let derived = PlanOptions::new().as_of(MON + 4 * WEEK).history_periods(4);
    let a = one.install(|| sb.replenishment_plan(&derived)).unwrap();
    let b = two.install(|| sb.replenishment_plan(&derived)).unwrap();
    assert_eq!(a, b);
    assert!(a.rows.iter().all(finite));
    // A and B at WH1, A at WH2: the pairs with stock or demand.
    let pairs: Vec<(&str, &str)> = a
        .rows
        .iter()
        .map(|r| (r.sku.as_str(), r.site.as_str()))
        .collect();
    assert_eq!(pairs, vec![("A", "WH1"), ("A", "WH2"), ("B", "WH1")]);
}

#[test]
fn a_lead_time_of_zero_is_same_day_delivery() {
    let (sb, _) = book();
    let options = with_series(vec![4.0, 6.0, 5.0, 5.0, 4.0, 6.0, 5.0, 5.0]).lead_time_days(0.0);
    let plan = sb.replenishment_plan(&options).unwrap();
    assert!(plan.problems.is_empty(), "{:?}", plan.problems);
    let row = &plan.rows[0];
    assert_eq!(row.lead_time_days, 0.0);
    // No demand falls within a lead time of zero, so none needs covering or buffering:
    // the order is placed when the position reaches zero and arrives the same moment.
    assert_eq!(row.safety_stock, 0.0);
    assert_eq!(row.reorder_point, 0.0);
    assert!(row.demand_rate > 0.0);
    let order = row
        .order
        .as_ref()
        .expect("an order once the position reaches zero");
    assert_eq!(order.order_date, order.expected_receipt);
}
