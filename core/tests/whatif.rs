//! What-if replays: a hand-made history replayed under (s, S), (r, Q), (R, S) and the
//! plan's reorder point at another service level, each figure computed by hand; the log's
//! own figures beside it; and the simulation's inventory balance as a property.
#![allow(clippy::float_cmp)]

use std::sync::Arc;

use proptest::prelude::*;
use stockbook::planning::Bucket;
use stockbook::planning::whatif::{UnitPolicy, simulate};
use stockbook::{
    Answer, Issue, Item, Location, LocationKind, ManualClock, Options, Qty, Query, Receive,
    Stockbook, WhatIfOptions, WhatIfPolicy,
};

const T0: i64 = 1_767_225_600_000; // 2026-01-01T00:00:00Z
const DAY: i64 = 86_400_000;
const HOUR: i64 = 3_600_000;

fn day(d: i64) -> i64 {
    T0 + d * DAY
}

fn q(n: i64) -> Qty {
    Qty::from_int(n)
}

/// Item A at WH1 (bin WH1/A): 5 received on day 0; shipped 2 4 3 5 1 on days 1 to 5, and
/// 10 received on day 2 before that day's shipment. On hand at the end of days 1 to 5:
/// 3 9 6 1 0.
fn book() -> (Stockbook, Arc<ManualClock>) {
    let clock = ManualClock::new(T0);
    let sb = Stockbook::in_memory_with(Options::default().with_clock(clock.clone())).unwrap();
    let mut site = Location::new("WH1");
    site.kind = LocationKind::Site;
    sb.define_location(site).unwrap();
    let mut bin = Location::new("WH1/A");
    bin.parent = Some("WH1".into());
    sb.define_location(bin).unwrap();
    sb.define_item(Item::new("A")).unwrap();
    sb.receive(Receive::new("A", "WH1/A", 5)).unwrap();
    for (d, qty) in [(1, 2), (2, 4), (3, 3), (4, 5), (5, 1)] {
        clock.set(day(d) + HOUR);
        if d == 2 {
            sb.receive(Receive::new("A", "WH1/A", 10)).unwrap();
        }
        sb.ship(Issue::new("A", "WH1/A", qty)).unwrap();
    }
    clock.set(day(9));
    (sb, clock)
}

fn replay(policy: WhatIfPolicy) -> WhatIfOptions {
    WhatIfOptions::new("A", "WH1", day(1), day(6), policy).bucket(Bucket::Day)
}

#[test]
fn min_max_with_lost_sales_by_hand() {
    let (sb, _clock) = book();
    let w = sb
        .what_if(&replay(WhatIfPolicy::MinMax {
            reorder_point: q(3),
            order_up_to: q(10),
        }))
        .unwrap();
    // Start 5. Day 1: position 5 > 3; 2 → 3. Day 2: 3 ≤ 3, order 7 (arrives day 3); 4 → 0,
    // short 1. Day 3: +7; 3 → 4. Day 4: 5 → 0, short 1. Day 5: position 0, order 10
    // (after the range); 1 short.
    let on_hand: Vec<Qty> = w.periods.iter().map(|p| p.on_hand).collect();
    assert_eq!(on_hand, [q(3), q(0), q(4), q(0), q(0)]);
    let ordered: Vec<Qty> = w.periods.iter().map(|p| p.ordered).collect();
    assert_eq!(ordered, [q(0), q(7), q(0), q(0), q(10)]);
    let s = &w.simulated;
    assert_eq!(s.start_on_hand, q(5));
    assert_eq!(s.stockout_periods, 3);
    assert_eq!(s.units_short, q(3));
    assert_eq!(s.fill_rate, Some(12.0 / 15.0));
    assert_eq!(s.average_on_hand, 7.0 / 5.0);
    assert_eq!((s.orders, s.units_ordered), (2, q(17)));
    assert_eq!(s.units_received, q(7));
    assert_eq!(s.units_met, q(12));
    assert_eq!(s.end_on_order, q(10));
    assert_eq!((w.reorder_point, w.order_up_to), (Some(q(3)), Some(q(10))));
    // What the log says: on hand 3 9 6 1 0, one receipt of 10, one day ending empty.
    let actual: Vec<Qty> = w.periods.iter().map(|p| p.actual_on_hand).collect();
    assert_eq!(actual, [q(3), q(9), q(6), q(1), q(0)]);
    let a = &w.actual;
    assert_eq!(a.end_on_hand, q(0));
    assert_eq!(a.stockout_periods, 1);
    assert_eq!(a.average_on_hand, 19.0 / 5.0);
    assert_eq!((a.receipts, a.units_received), (1, q(10)));
    assert_eq!(w.periods[1].actual_received, q(10));
    let demand: Vec<Qty> = w.periods.iter().map(|p| p.demand).collect();
    assert_eq!(demand, [q(2), q(4), q(3), q(5), q(1)]);
}

#[test]
fn reorder_quantity_with_backorders_and_no_lead_time_by_hand() {
    let (sb, _clock) = book();
    let w = sb
        .what_if(
            &replay(WhatIfPolicy::ReorderQuantity {
                reorder_point: q(2),
                order_qty: q(4),
            })
            .lead_time_periods(0)
            .backorders(true),
        )
        .unwrap();
    // Start 5. Day 1: 5 > 2; 2 → 3. Day 2: 3 > 2; 4 → 0, backorder 1. Day 3: position −1:
    // n = 3/4 + 1 = 1, 4 at once; backorder 1 served, 3 → 0. Day 4: position 0: 4 at
    // once; 5 → 0, backorder 1. Day 5: position −1: 4 at once; backorder 1, then 1 → 2.
    let on_hand: Vec<Qty> = w.periods.iter().map(|p| p.on_hand).collect();
    assert_eq!(on_hand, [q(3), q(0), q(0), q(0), q(2)]);
    let backordered: Vec<Qty> = w.periods.iter().map(|p| p.backordered).collect();
    assert_eq!(backordered, [q(0), q(1), q(0), q(1), q(0)]);
    let met: Vec<Qty> = w.periods.iter().map(|p| p.met).collect();
    assert_eq!(met, [q(2), q(3), q(4), q(4), q(2)]);
    let s = &w.simulated;
    assert_eq!(
        (s.orders, s.units_ordered, s.units_received),
        (3, q(12), q(12))
    );
    assert_eq!(s.stockout_periods, 2);
    assert_eq!(s.units_short, q(2));
    assert_eq!(s.fill_rate, Some(13.0 / 15.0));
    assert_eq!(s.end_backordered, q(0));
    // Balance: 5 + 12 − 15 = 2.
    assert_eq!(s.end_on_hand, q(2));
}

#[test]
fn order_up_to_with_a_review_period_by_hand() {
    let (sb, _clock) = book();
    let w = sb
        .what_if(
            &replay(WhatIfPolicy::OrderUpTo {
                level: q(8),
                review_periods: 2,
            })
            .lead_time_periods(1),
        )
        .unwrap();
    // Reviews on days 1, 3, 5. Day 1: order 3 (arrives day 2); 2 → 3. Day 2: +3 = 6;
    // 4 → 2. Day 3: position 2, order 6 (arrives day 4); 3 → 0, short 1. Day 4: +6; 5 → 1.
    // Day 5: position 1, order 7 (after the range); 1 → 0.
    let ordered: Vec<Qty> = w.periods.iter().map(|p| p.ordered).collect();
    assert_eq!(ordered, [q(3), q(0), q(6), q(0), q(7)]);
    let on_hand: Vec<Qty> = w.periods.iter().map(|p| p.on_hand).collect();
    assert_eq!(on_hand, [q(3), q(2), q(0), q(1), q(0)]);
    assert_eq!(w.simulated.units_short, q(1));
    assert_eq!(w.simulated.stockout_periods, 1);
    assert_eq!(w.order_up_to, Some(q(8)));
}

#[test]
fn the_plans_reorder_point_at_another_service_level() {
    let (sb, _clock) = book();
    let from_day_3 = |service_level: f64| {
        WhatIfOptions::new(
            "A",
            "WH1",
            day(3),
            day(6),
            WhatIfPolicy::ServiceLevel {
                service_level,
                cover_periods: 2.0,
            },
        )
        .bucket(Bucket::Day)
    };
    // The history before day 3, from the item's first day: 0 2 4 (mean 2, std dev 2).
    // At 50 %: s = 2·1 + 0 = 2, S = 2 + 2·2 = 6. Start 9 (the log's, end of day 2).
    // Day 3: 9 > 2; 3 → 6. Day 4: 6 > 2; 5 → 1. Day 5: 1 ≤ 2, order 5; 1 → 0.
    let w = sb.what_if(&from_day_3(0.5)).unwrap();
    assert_eq!((w.reorder_point, w.order_up_to), (Some(q(2)), Some(q(6))));
    assert_eq!(w.simulated.start_on_hand, q(9));
    let ordered: Vec<Qty> = w.periods.iter().map(|p| p.ordered).collect();
    assert_eq!(ordered, [q(0), q(0), q(5)]);
    assert_eq!(w.simulated.fill_rate, Some(1.0));
    // At 95 %: s = 2 + 1.6449·2 = 5.29 → 6, S = 5.29 + 4 = 9.29 → 10.
    let w = sb.what_if(&from_day_3(0.95)).unwrap();
    assert_eq!((w.reorder_point, w.order_up_to), (Some(q(6)), Some(q(10))));
    // Day 3: 9 > 6; → 6. Day 4: 6 ≤ 6, order 4 (arrives day 5); 5 → 1. Day 5: +4 = 5,
    // position 5 ≤ 6: order 5; 1 → 4.
    let ordered: Vec<Qty> = w.periods.iter().map(|p| p.ordered).collect();
    assert_eq!(ordered, [q(0), q(4), q(5)]);
    assert_eq!(w.simulated.end_on_hand, q(4));
}

#[test]
fn a_query_answers_the_same_and_bad_options_are_refused() {
    let (sb, _clock) = book();
    let options = replay(WhatIfPolicy::MinMax {
        reorder_point: q(3),
        order_up_to: q(10),
    });
    let query = Query::from_json(&format!(
        r#"{{"op": "what_if", "args": {{"sku": "A", "site": "WH1", "from": {}, "to": {},
            "bucket": "day", "policy": {{"min_max": {{"reorder_point": "3",
            "order_up_to": "10"}}}}}}}}"#,
        day(1),
        day(6)
    ))
    .unwrap();
    assert!(query.reads_store());
    assert_eq!(
        sb.query(&query).unwrap(),
        Answer::WhatIf(sb.what_if(&options).unwrap())
    );
    let refuse = |policy: WhatIfPolicy| sb.what_if(&replay(policy)).unwrap_err().code();
    assert_eq!(
        refuse(WhatIfPolicy::MinMax {
            reorder_point: q(5),
            order_up_to: q(4)
        }),
        "invalid_parameter"
    );
    assert_eq!(
        refuse(WhatIfPolicy::ReorderQuantity {
            reorder_point: q(1),
            order_qty: q(0)
        }),
        "invalid_parameter"
    );
    assert_eq!(
        refuse(WhatIfPolicy::OrderUpTo {
            level: q(1),
            review_periods: 0
        }),
        "invalid_parameter"
    );
    assert_eq!(
        refuse(WhatIfPolicy::ServiceLevel {
            service_level: 1.0,
            cover_periods: 1.0
        }),
        "invalid_parameter"
    );
    assert_eq!(
        refuse(WhatIfPolicy::MinMax {
            reorder_point: Qty::parse("0.5").unwrap(),
            order_up_to: q(4)
        }),
        "invalid_parameter",
        "more digits than the item has"
    );
    let unknown = WhatIfOptions::new(
        "NOPE",
        "WH1",
        day(1),
        day(6),
        WhatIfPolicy::OrderUpTo {
            level: q(1),
            review_periods: 1,
        },
    );
    assert_eq!(sb.what_if(&unknown).unwrap_err().code(), "not_found");
    let empty = WhatIfOptions::new(
        "A",
        "WH1",
        day(6),
        day(6),
        WhatIfPolicy::OrderUpTo {
            level: q(1),
            review_periods: 1,
        },
    );
    assert_eq!(sb.what_if(&empty).unwrap_err().code(), "invalid_parameter");
}

fn policy() -> impl Strategy<Value = UnitPolicy> {
    prop_oneof![
        (0_i64..50, 0_i64..50).prop_map(|(s, extra)| UnitPolicy::MinMax {
            reorder_point: s,
            order_up_to: s + extra,
        }),
        (0_i64..50, 1_i64..30).prop_map(|(r, q)| UnitPolicy::ReorderQuantity {
            reorder_point: r,
            order_qty: q,
        }),
        (0_i64..80, 1_usize..5).prop_map(|(level, review)| UnitPolicy::OrderUpTo {
            level,
            review_periods: review,
        }),
    ]
}

proptest! {
    /// start + received − met = end, period by period and over the whole range; demand is
    /// met, or short (lost, or backordered and served later); nothing is negative.
    #[test]
    fn the_simulation_keeps_its_inventory_balance(
        start in 0_i64..60,
        demand in proptest::collection::vec(0_i64..25, 0..40),
        policy in policy(),
        lead in 0_usize..5,
        backorders in any::<bool>(),
    ) {
        let sim = simulate(start, &demand, policy, lead, backorders);
        prop_assert_eq!(sim.periods.len(), demand.len());
        let mut on_hand = start;
        let mut backlog = 0;
        for p in &sim.periods {
            prop_assert_eq!(on_hand + p.received - p.met, p.on_hand);
            prop_assert!(p.on_hand >= 0 && p.short >= 0 && p.backordered >= 0);
            if backorders {
                prop_assert_eq!(backlog + p.demand - p.met, p.backordered);
            } else {
                prop_assert_eq!(p.demand - p.met, p.short);
                prop_assert_eq!(p.backordered, 0);
            }
            on_hand = p.on_hand;
            backlog = p.backordered;
        }
        let received: i64 = sim.periods.iter().map(|p| p.received).sum();
        let met: i64 = sim.periods.iter().map(|p| p.met).sum();
        let ordered: i64 = sim.periods.iter().map(|p| p.ordered).sum();
        prop_assert_eq!(start + received - met, on_hand);
        // Every unit ordered has arrived or is still on order.
        prop_assert_eq!(ordered, received + sim.on_order);
    }
}
