//! The stateless planning functions through the one definition: every calculation given as
//! JSON answers what the plain function answers, refusals name the caller's field, and the
//! schema lists every calculation with its answer.

use serde_json::{Value, json};
use stockbook::planning::forecast::{self, Method};
use stockbook::planning::policy::{self, Demand, FillRateFormula, InventoryCosts, LeadTime};
use stockbook::{Calculation, calculate, calculate_json};

fn call(op: &str, args: Value) -> Value {
    calculate(json!({"op": op, "args": args})).unwrap_or_else(|e| panic!("{op}: {e}"))
}

fn same<T: serde::Serialize>(answer: Value, direct: T) {
    assert_eq!(answer, serde_json::to_value(direct).unwrap());
}

#[test]
fn every_calculation_answers_what_its_function_answers() {
    let demand = Demand {
        mean: 20.0,
        std_dev: 5.0,
    };
    let lead = LeadTime {
        mean: 4.0,
        std_dev: 1.0,
    };
    let costs = InventoryCosts {
        holding: 1.0,
        stockout: 9.0,
        fixed: 64.0,
    };
    let d = json!({"mean": 20.0, "std_dev": 5.0});
    let l = json!({"mean": 4.0, "std_dev": 1.0});
    let c = json!({"holding": 1.0, "stockout": 9.0, "fixed": 64.0});
    let series = vec![3.0, 0.0, 5.0, 4.0, 0.0, 6.0, 2.0, 7.0, 0.0, 4.0, 5.0, 3.0];
    let method = Method::Ses { alpha: 0.3 };

    same(
        call(
            "forecast",
            json!({"series": series, "method": {"ses": {"alpha": 0.3}}, "horizon": 3}),
        ),
        forecast::forecast(&series, &method, 3).unwrap(),
    );
    same(
        call(
            "auto_forecast",
            json!({"series": series, "season_length": 1, "horizon": 2}),
        ),
        forecast::auto_forecast(&series, 1, 2).unwrap(),
    );
    same(
        call("classify", json!({"series": series})),
        forecast::classify(&series).unwrap(),
    );
    same(
        call("lead_time_demand", json!({"demand": d, "lead_time": l})),
        policy::lead_time_demand(demand, lead).unwrap(),
    );
    same(
        call(
            "safety_stock_cycle",
            json!({"service_level": 0.95, "demand": d, "lead_time": l}),
        ),
        policy::safety_stock_cycle(0.95, demand, lead).unwrap(),
    );
    same(
        call(
            "safety_stock_fill_rate",
            json!({"fill_rate": 0.98, "order_quantity": 100, "demand": d, "lead_time": l,
                "formula": "exact"}),
        ),
        policy::safety_stock_fill_rate(0.98, 100.0, demand, lead, FillRateFormula::Exact).unwrap(),
    );
    same(
        call(
            "reorder_point",
            json!({"demand": d, "lead_time": l, "safety_stock": 12.5}),
        ),
        policy::reorder_point(demand, lead, 12.5).unwrap(),
    );
    same(
        call(
            "min_max",
            json!({"service_level": 0.9, "demand": d, "lead_time": l, "order_quantity": 50}),
        ),
        policy::min_max(0.9, demand, lead, 50.0).unwrap(),
    );
    same(
        call(
            "periodic_review",
            json!({"service_level": 0.9, "demand": d, "lead_time": l, "review_period": 2}),
        ),
        policy::periodic_review(0.9, demand, lead, 2.0).unwrap(),
    );
    same(
        call(
            "eoq",
            json!({"fixed_cost": 50, "holding_cost": 2, "demand_rate": 1600}),
        ),
        policy::eoq(50.0, 2.0, 1600.0).unwrap(),
    );
    same(
        call(
            "epq",
            json!({"fixed_cost": 50, "holding_cost": 2, "demand_rate": 1600,
                "production_rate": 4000}),
        ),
        policy::epq(50.0, 2.0, 1600.0, 4000.0).unwrap(),
    );
    same(
        call(
            "round_order_quantity",
            json!({"quantity": 37.2, "minimum": 10, "pack_size": 12}),
        ),
        policy::round_order_quantity(37.2, 10.0, 12.0).unwrap(),
    );
    same(
        call("normal_pdf", json!({"x": 0.5})),
        policy::normal_pdf(0.5),
    );
    same(
        call("normal_cdf", json!({"x": 0.5})),
        policy::normal_cdf(0.5),
    );
    same(
        call("normal_quantile", json!({"p": 0.975})),
        policy::normal_quantile(0.975).unwrap(),
    );
    same(
        call("standard_normal_loss", json!({"k": 1.2})),
        policy::standard_normal_loss(1.2),
    );
    same(
        call(
            "newsvendor_normal",
            json!({"holding_cost": 1, "stockout_cost": 9, "demand": d}),
        ),
        policy::newsvendor_normal(1.0, 9.0, demand).unwrap(),
    );
    same(
        call(
            "newsvendor_poisson",
            json!({"holding_cost": 1, "stockout_cost": 9, "demand_mean": 20}),
        ),
        policy::newsvendor_poisson(1.0, 9.0, 20.0).unwrap(),
    );
    same(
        call(
            "s_s_cost_poisson",
            json!({"reorder_point": 18, "order_up_to": 40, "costs": c, "demand_mean": 20}),
        ),
        policy::s_s_cost_poisson(18, 40, costs, 20.0).unwrap(),
    );
    same(
        call(
            "s_s_optimal_poisson",
            json!({"costs": c, "demand_mean": 20}),
        ),
        policy::s_s_optimal_poisson(costs, 20.0).unwrap(),
    );
    same(
        call(
            "r_q_cost",
            json!({"reorder_point": 90, "order_quantity": 40, "costs": c, "demand": d,
                "lead_time": 4}),
        ),
        policy::r_q_cost(90.0, 40.0, costs, demand, 4.0).unwrap(),
    );
    same(
        call("r_q_eil", json!({"costs": c, "demand": d, "lead_time": 4})),
        policy::r_q_eil(costs, demand, 4.0).unwrap(),
    );
    same(
        call(
            "r_q_poisson",
            json!({"costs": c, "demand_rate": 2, "lead_time": 3}),
        ),
        policy::r_q_poisson(costs, 2.0, 3.0).unwrap(),
    );
    // A fixed lead time may leave its deviation out.
    same(
        call(
            "lead_time_demand",
            json!({"demand": d, "lead_time": {"mean": 4.0}}),
        ),
        policy::lead_time_demand(demand, LeadTime::fixed(4.0)).unwrap(),
    );
}

#[test]
fn refusals_name_the_callers_field() {
    let refused = |call: Value| calculate(call).unwrap_err();
    let missing = refused(json!({"op": "eoq", "args": {"fixed_cost": 1, "holding_cost": 1}}));
    assert_eq!(missing.code(), "invalid_argument");
    assert!(missing.to_string().contains("demand_rate"), "{missing}");
    let unknown = refused(json!({"op": "lead_time_demand", "args": {
        "demand": {"mean": 1, "std_dev": 0, "stdev": 1}, "lead_time": {"mean": 1}}}));
    assert_eq!(unknown.code(), "invalid_argument");
    assert!(unknown.to_string().contains("args.demand"), "{unknown}");
    let settings = refused(json!({"op": "forecast", "args": {
        "series": [1, 2, 3], "method": {"holt": {"dampd": true}}, "horizon": 1}}));
    assert_eq!(settings.code(), "invalid_argument");
    let negative = refused(json!({"op": "auto_forecast", "args": {
        "series": [1, 2, 3], "season_length": -1, "horizon": 1}}));
    assert_eq!(negative.code(), "invalid_argument");
    // The function's own refusal names its parameter.
    let zero = refused(json!({"op": "eoq", "args": {
        "fixed_cost": 0, "holding_cost": 1, "demand_rate": 1}}));
    assert_eq!(zero.code(), "invalid_parameter");
    assert!(zero.to_string().contains("fixed_cost"), "{zero}");
    assert_eq!(
        calculate_json("{\"op\": \"nope\"}").unwrap_err().code(),
        "invalid_argument"
    );
    assert_eq!(
        calculate_json(r#"{"op": "normal_cdf", "args": {"x": 0}}"#).unwrap(),
        "0.5"
    );
}

#[test]
fn the_schema_lists_every_calculation_and_its_answer() {
    let schema = stockbook::command::schema::document();
    let ops = |def: &str, key: &str| -> Vec<String> {
        schema["$defs"][def]["oneOf"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v["properties"][key]["const"].as_str().unwrap().to_owned())
            .collect()
    };
    let calculations = ops("Calculation", "op");
    let answers = ops("CalculationAnswer", "op");
    assert_eq!(calculations.len(), 26);
    assert_eq!(calculations, answers);
    // Each op reads back as the variant it names.
    for op in &calculations {
        let value: Value = json!({"op": op, "args": {}});
        let err = serde_json::from_value::<Calculation>(value).unwrap_err();
        assert!(!err.to_string().contains("unknown variant"), "{op}: {err}");
    }
}
