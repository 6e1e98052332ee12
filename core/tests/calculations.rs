//! The stateless planning functions through the one definition: every calculation given as
//! JSON answers what the plain function answers, refusals name the caller's field, and the
//! schema lists every calculation with its answer.

use serde_json::{Value, json};
use stockbook::planning::forecast::{self, Method};
use stockbook::planning::policy::{
    self, Demand, DiscreteDemand, FillRateFormula, GsmStage, InventoryCosts, LeadTime, PriceBreak,
};
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
        "fixed_cost": -1, "holding_cost": 1, "demand_rate": 1}}));
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
    assert_eq!(calculations.len(), 40);
    assert_eq!(calculations, answers);
    // Each op reads back as the variant it names.
    for op in &calculations {
        let value: Value = json!({"op": op, "args": {}});
        let err = serde_json::from_value::<Calculation>(value).unwrap_err();
        assert!(!err.to_string().contains("unknown variant"), "{op}: {err}");
    }
}

#[test]
fn round_two_policies_answer_through_the_one_definition() {
    let demand = Demand::new(20.0, 5.0);
    let costs = InventoryCosts::new(1.0, 9.0, 64.0);
    let d = json!({"mean": 20.0, "std_dev": 5.0});
    let c = json!({"holding": 1.0, "stockout": 9.0, "fixed": 64.0});
    let breaks = json!([{"min_quantity": 0, "unit_cost": 500}, {"min_quantity": 200,
        "unit_cost": 475}, {"min_quantity": 500, "unit_cost": 450}]);
    let price_breaks = [
        PriceBreak::new(0.0, 500.0),
        PriceBreak::new(200.0, 475.0),
        PriceBreak::new(500.0, 450.0),
    ];
    let all_units = call(
        "eoq_all_units_discounts",
        json!({"fixed_cost": 200, "holding_rate": 0.2, "demand_rate": 1000,
            "price_breaks": breaks}),
    );
    same(
        all_units.clone(),
        policy::eoq_all_units_discounts(200.0, 0.2, 1000.0, &price_breaks).unwrap(),
    );
    // Snyder & Shen's example: the largest break, at 472,900 a year.
    assert_eq!(all_units["quantity"], json!(500.0));
    assert_eq!(all_units["region"], json!(2));
    same(
        call(
            "eoq_incremental_discounts",
            json!({"fixed_cost": 200, "holding_rate": 0.2, "demand_rate": 1000,
                "price_breaks": breaks}),
        ),
        policy::eoq_incremental_discounts(200.0, 0.2, 1000.0, &price_breaks).unwrap(),
    );
    same(
        call(
            "epq_with_backorders",
            json!({"fixed_cost": 50, "holding_cost": 2, "stockout_cost": 18,
                "demand_rate": 1600, "production_rate": 4000}),
        ),
        policy::epq_with_backorders(50.0, 2.0, 18.0, 1600.0, 4000.0).unwrap(),
    );
    same(
        call("s_s_power_approximation", json!({"costs": c, "demand": d})),
        policy::s_s_power_approximation(costs, demand, 0.0).unwrap(),
    );
    same(
        call(
            "s_s_power_approximation",
            json!({"costs": c, "demand": d, "lead_time": 2}),
        ),
        policy::s_s_power_approximation(costs, demand, 2.0).unwrap(),
    );
    same(
        call(
            "r_q_loss_function",
            json!({"costs": c, "demand": d, "lead_time": 4}),
        ),
        policy::r_q_loss_function(costs, demand, 4.0).unwrap(),
    );
    same(
        call(
            "r_q_optimal_r_for_q",
            json!({"order_quantity": 40, "holding_cost": 1, "stockout_cost": 9,
                "demand": d, "lead_time": 4}),
        ),
        policy::r_q_optimal_r_for_q(40.0, 1.0, 9.0, demand, 4.0).unwrap(),
    );
    same(
        call(
            "r_q_optimal_normal",
            json!({"costs": c, "demand": d, "lead_time": 4}),
        ),
        policy::r_q_optimal_normal(costs, demand, 4.0).unwrap(),
    );
    same(
        call(
            "periodic_review_fill_rate",
            json!({"fill_rate": 0.98, "demand": d, "lead_time": {"mean": 4, "std_dev": 1},
                "review_period": 2, "formula": "exact"}),
        ),
        policy::periodic_review_fill_rate(
            0.98,
            demand,
            LeadTime::new(4.0, 1.0),
            2.0,
            FillRateFormula::Exact,
        )
        .unwrap(),
    );
    let line = json!([
        {"id": "plant", "processing_time": 3, "holding_cost": 1, "successors": ["dc"],
            "external_inbound_service_time": 1},
        {"id": "dc", "processing_time": 1, "holding_cost": 3, "demand": d,
            "max_service_time": 0},
    ]);
    let stages = [
        GsmStage::new("plant", 3, 1.0)
            .successors(["dc"])
            .external_inbound_service_time(1),
        GsmStage::new("dc", 1, 3.0)
            .demand(demand)
            .max_service_time(0),
    ];
    same(
        call(
            "gsm_serial",
            json!({"stages": line, "safety_factor": 1.645}),
        ),
        policy::gsm_serial(&stages, 1.645).unwrap(),
    );
    let tree = call("gsm_tree", json!({"stages": line, "safety_factor": 1.645}));
    same(tree.clone(), policy::gsm_tree(&stages, 1.645).unwrap());
    assert_eq!(tree["stages"][1]["id"], json!("dc"));
    same(
        call(
            "newsvendor_normal_lead_time",
            json!({"holding_cost": 1, "stockout_cost": 9, "demand": d, "lead_time": 3}),
        ),
        policy::newsvendor_normal_lead_time(1.0, 9.0, demand, 3.0).unwrap(),
    );
    same(
        call(
            "newsvendor_discrete",
            json!({"holding_cost": 1, "stockout_cost": 3, "demand": {"values": [4, 7, 7, 2]}}),
        ),
        policy::newsvendor_discrete(1.0, 3.0, &DiscreteDemand::new(vec![4.0, 7.0, 7.0, 2.0]))
            .unwrap(),
    );
    same(
        call(
            "newsvendor_discrete",
            json!({"holding_cost": 1, "stockout_cost": 3,
                "demand": {"values": [10, 20], "probabilities": [0.25, 0.75]}}),
        ),
        policy::newsvendor_discrete(
            1.0,
            3.0,
            &DiscreteDemand::new(vec![10.0, 20.0]).probabilities([0.25, 0.75]),
        )
        .unwrap(),
    );
}

#[test]
fn round_two_policies_refuse_unknown_keys_at_every_level() {
    let d = json!({"mean": 20.0, "std_dev": 5.0});
    let refused = |op: &str, args: Value, path: &str| {
        let err = calculate(json!({"op": op, "args": args})).unwrap_err();
        assert_eq!(err.code(), "invalid_argument", "{op}: {err}");
        assert!(err.to_string().contains(path), "{op}: {err}");
    };
    refused(
        "eoq_all_units_discounts",
        json!({"fixed_cost": 1, "holding_rate": 0.2, "demand_rate": 1,
            "price_breaks": [{"min_quantity": 0, "unit_cost": 1, "unit_price": 1}]}),
        "args.price_breaks",
    );
    refused(
        "eoq_incremental_discounts",
        json!({"fixed_cost": 1, "holding_rate": 0.2, "demand_rate": 1, "price_breaks": [],
            "discount": 1}),
        "args",
    );
    refused(
        "epq_with_backorders",
        json!({"fixed_cost": 1, "holding_cost": 1, "stockout_cost": 1, "demand_rate": 1,
            "production_rate": 2, "backorders": true}),
        "args",
    );
    refused(
        "s_s_power_approximation",
        json!({"costs": {"holding": 1, "stockout": 9, "fixed": 64, "setup": 1}, "demand": d}),
        "args.costs",
    );
    refused(
        "r_q_loss_function",
        json!({"costs": {"holding": 1, "stockout": 9, "fixed": 64}, "demand": d,
            "lead_time": 1, "tol": 1e-6}),
        "args",
    );
    refused(
        "r_q_optimal_r_for_q",
        json!({"order_quantity": 1, "holding_cost": 1, "stockout_cost": 1, "demand": d,
            "lead_time": 1, "fixed_cost": 1}),
        "args",
    );
    refused(
        "r_q_optimal_normal",
        json!({"costs": {"holding": 1, "stockout": 9, "fixed": 64}, "demand": d,
            "lead_time": 1, "exact": true}),
        "args",
    );
    refused(
        "periodic_review_fill_rate",
        json!({"fill_rate": 0.9, "demand": d, "lead_time": {"mean": 1, "sd": 0},
            "review_period": 1, "formula": "exact"}),
        "args.lead_time",
    );
    refused(
        "gsm_serial",
        json!({"stages": [{"id": "a", "processing_time": 1, "holding_cost": 1,
            "demand": d, "lead_time": 2}], "safety_factor": 1}),
        "args.stages",
    );
    refused(
        "gsm_tree",
        json!({"stages": [{"id": "a", "processing_time": 1, "holding_cost": 1,
            "demand": d}], "safety_factor": 1, "z": 2}),
        "args",
    );
    refused(
        "newsvendor_normal_lead_time",
        json!({"holding_cost": 1, "stockout_cost": 1, "demand": d, "lead_time": 1,
            "review": 1}),
        "args",
    );
    refused(
        "newsvendor_discrete",
        json!({"holding_cost": 1, "stockout_cost": 1,
            "demand": {"values": [1], "pmf": [1]}}),
        "args.demand",
    );
    // A bad link is the function's refusal, naming the stage's field.
    let err = calculate(json!({"op": "gsm_tree", "args": {"stages": [
        {"id": "a", "processing_time": 1, "holding_cost": 1, "successors": ["b"]},
        {"id": "b", "processing_time": 1, "holding_cost": 1, "successors": ["a"],
            "demand": d}], "safety_factor": 1}}))
    .unwrap_err();
    assert_eq!(err.code(), "invalid_parameter");
    assert!(err.to_string().contains("stages[1].successors[0]"), "{err}");
}
