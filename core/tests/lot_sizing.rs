//! Order quantities beyond the EOQ against reference vectors: stockpyl 1.0.2's
//! `economic_order_quantity_with_backorders` and `wagner_whitin` (computed with that
//! package, `pip install stockpyl==1.0.2`), to 1e-9; and the Silver–Meal heuristic on the
//! textbook example (demand 18, 30, 42, 5, 20; setup 80; holding 2), worked by hand below.

use serde_json::json;
use stockbook::calculate;
use stockbook::planning::policy::{eoq_with_backorders, silver_meal, wagner_whitin};

fn close(a: f64, b: f64) {
    assert!((a - b).abs() <= 1e-9 * b.abs().max(1.0), "{a} vs {b}");
}

#[test]
fn eoq_with_backorders_matches_stockpyl() {
    // (K, h, p, D) -> (Q, x, g) from stockpyl.
    let vectors = [
        (
            (8.0, 0.225, 5.0, 1300.0),
            (
                310.812_555_158_964_64,
                0.043_062_200_956_937_8,
                66.921_363_550_973_25,
            ),
        ),
        (
            (50.0, 2.0, 18.0, 1600.0),
            (298.142_396_999_971_94, 0.1, 536.656_314_599_949_5),
        ),
    ];
    for ((k, h, p, d), (q, x, g)) in vectors {
        let got = eoq_with_backorders(k, h, p, d).unwrap();
        close(got.quantity, q);
        close(got.stockout_fraction, x);
        close(got.cost, g);
    }
    let zero = eoq_with_backorders(8.0, 0.225, 0.0, 1300.0).unwrap_err();
    assert_eq!(zero.code(), "invalid_parameter");
    assert!(zero.to_string().contains("stockout_cost"), "{zero}");
}

/// A lot-sizing case: demand, setup, holding and purchase cost, then the plan's orders and
/// cost.
type Case<'a> = (&'a [f64], f64, f64, f64, &'a [f64], f64);

#[test]
fn wagner_whitin_matches_stockpyl() {
    // (demand, K, h, c) -> (orders, cost) from stockpyl.wagner_whitin.
    let vectors: [Case<'_>; 4] = [
        // stockpyl's own example (Snyder & Shen, Example 3.9).
        (
            &[90.0, 120.0, 80.0, 70.0],
            500.0,
            2.0,
            0.0,
            &[210.0, 0.0, 150.0, 0.0],
            1380.0,
        ),
        (
            &[20.0, 50.0, 10.0, 0.0, 80.0, 35.0, 5.0, 60.0, 100.0, 15.0],
            120.0,
            1.5,
            0.0,
            &[80.0, 0.0, 0.0, 0.0, 120.0, 0.0, 0.0, 60.0, 115.0, 0.0],
            675.0,
        ),
        (
            &[18.0, 30.0, 42.0, 5.0, 20.0],
            80.0,
            2.0,
            0.0,
            &[48.0, 0.0, 47.0, 0.0, 20.0],
            310.0,
        ),
        (
            &[10.0, 0.0, 0.0, 40.0, 25.0, 5.0],
            100.0,
            0.5,
            3.0,
            &[10.0, 0.0, 0.0, 70.0, 0.0, 0.0],
            457.5,
        ),
    ];
    for (demand, k, h, c, orders, cost) in vectors {
        let plan = wagner_whitin(demand, k, h, c).unwrap();
        assert_eq!(plan.orders, orders, "{demand:?}");
        close(plan.cost, cost);
        // Every unit of demand is ordered, in a period not after its own.
        close(plan.orders.iter().sum::<f64>(), demand.iter().sum::<f64>());
    }
}

#[test]
fn silver_meal_on_the_textbook_example() {
    // From period 1: one period costs 80 per period; two cost (80 + 2·30)/2 = 70; three
    // (80 + 60 + 2·2·42)/3 = 102.7, more: order 18 + 30 = 48. From period 3: 80, then
    // (80 + 2·5)/2 = 45, then (80 + 10 + 2·2·20)/3 = 56.7: order 42 + 5 = 47. Period 5: 20.
    // Cost 140 + 90 + 80 = 310, here the optimum too.
    let plan = silver_meal(&[18.0, 30.0, 42.0, 5.0, 20.0], 80.0, 2.0, 0.0).unwrap();
    assert_eq!(plan.orders, [48.0, 0.0, 47.0, 0.0, 20.0]);
    close(plan.cost, 310.0);
    // A heuristic never beats the optimum, and on stockpyl's example it costs more.
    let demand = [90.0, 120.0, 80.0, 70.0];
    let heuristic = silver_meal(&demand, 500.0, 2.0, 0.0).unwrap();
    let optimum = wagner_whitin(&demand, 500.0, 2.0, 0.0).unwrap();
    assert!(heuristic.cost >= optimum.cost);
    close(heuristic.orders.iter().sum::<f64>(), 360.0);
}

#[test]
fn lot_sizing_through_the_one_definition() {
    let plan = calculate(json!({"op": "wagner_whitin", "args": {
        "demand": [90, 120, 80, 70], "fixed_cost": 500, "holding_cost": 2}}))
    .unwrap();
    assert_eq!(
        plan,
        json!({"orders": [210.0, 0.0, 150.0, 0.0], "cost": 1380.0})
    );
    let refused = calculate(json!({"op": "silver_meal", "args": {
        "demand": [1, -2], "fixed_cost": 5, "holding_cost": 1}}))
    .unwrap_err();
    assert_eq!(refused.code(), "invalid_parameter");
    assert!(refused.to_string().contains("demand"), "{refused}");
    let unknown = calculate(json!({"op": "eoq_with_backorders", "args": {
        "fixed_cost": 1, "holding_cost": 1, "stockout_cost": 1, "demand_rate": 1, "lead": 0}}))
    .unwrap_err();
    assert_eq!(unknown.code(), "invalid_argument");
}
