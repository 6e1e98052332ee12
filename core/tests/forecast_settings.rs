//! Every settings object of forecasting and of the replenishment plan refuses keys it does
//! not know, naming the key (a misspelt `"dampd"` is not silently taken as "no damping"),
//! through the JSON entries every binding uses — including inside the externally tagged
//! `Method`, the adjacently tagged `Calculation` and the plan's newtype `fixed` method,
//! where serde's `deny_unknown_fields` is easy to lose. Also: the new settings' defaults
//! are today's behaviour.

// Exact comparisons are the point where they appear: a state fed one observation at a
// time must be the longer run bit for bit, and given constants come back unchanged. y, m, h
// are the literature's names for the series, season length and horizon.
#![allow(clippy::float_cmp, clippy::many_single_char_names)]

use serde_json::{Value, json};
use stockbook::Error;
use stockbook::command::decode;
use stockbook::planning::PlanOptions;
use stockbook::planning::forecast::{Method, forecast};

const SERIES: [f64; 24] = [
    12.0, 15.0, 14.0, 18.0, 17.0, 21.0, 19.0, 24.0, 22.0, 26.0, 25.0, 29.0, 28.0, 31.0, 30.0, 35.0,
    33.0, 36.0, 38.0, 37.0, 41.0, 40.0, 44.0, 43.0,
];

/// The refusal of `call`, which must be an unknown key whose path ends with `key`.
#[track_caller]
fn refused_naming(result: stockbook::Result<Value>, key: &str) {
    match result {
        Err(Error::InvalidArgument { field, reason }) => assert!(
            field == key || field.ends_with(&format!(".{key}")),
            "field {field:?} ({reason}) does not name {key:?}"
        ),
        other => panic!("expected a refusal naming {key}, got {other:?}"),
    }
}

fn forecast_call(method: Value) -> Value {
    json!({"op": "forecast", "args": {"series": SERIES, "method": method, "horizon": 3}})
}

#[test]
fn every_method_refuses_an_unknown_key() {
    let bounds = json!({"lower": 0.1, "upper": 0.5});
    let ets_bounds =
        json!({"lower": [0.0001, 0.0001, 0.0001, 0.8], "upper": [0.9999, 0.9999, 0.9999, 0.98]});
    let spec = json!({"error": "additive", "trend": "none", "season": "none", "damped": false, "season_length": 1});
    let params = json!({"alpha": 0.3, "beta": null, "gamma": null, "phi": null, "level": 12.0, "slope": null, "seasonal": []});
    // (method name, valid settings) — each must work as given and fail with one extra key.
    let cases: Vec<(&str, Value)> = vec![
        ("seasonal_naive", json!({"season_length": 4})),
        ("moving_average", json!({"window": 3})),
        ("ses", json!({"alpha": 0.3})),
        ("holt", json!({"damped": true})),
        (
            "holt_winters",
            json!({"season_length": 4, "seasonality": "additive", "damped": null}),
        ),
        ("auto_ets", json!({"season_length": 1})),
        ("ets_fixed", json!({"spec": spec, "params": params})),
        (
            "tsb",
            json!({"alpha_demand": 0.2, "alpha_probability": 0.2}),
        ),
        ("ses_optimized_with", json!({"bounds": bounds})),
        ("holt_with", json!({"damped": null, "bounds": ets_bounds})),
        (
            "holt_winters_with",
            json!({"season_length": 4, "seasonality": "additive", "damped": false, "bounds": ets_bounds}),
        ),
        (
            "auto_ets_with",
            json!({"season_length": 1, "bounds": ets_bounds}),
        ),
        ("holt_fixed", json!({"alpha": 0.4, "beta_star": 0.1})),
        (
            "holt_winters_fixed",
            json!({"season_length": 4, "seasonality": "additive", "alpha": 0.4, "beta_star": 0.1, "gamma": 0.2}),
        ),
        ("croston_with", json!({"alpha": 0.2})),
        ("croston_optimized_with", json!({"bounds": bounds})),
        ("adida_with", json!({"aggregation_level": 2})),
        ("imapa_with", json!({"bounds": bounds})),
    ];
    for (name, settings) in cases {
        stockbook::calculate(forecast_call(json!({ name: settings.clone() })))
            .unwrap_or_else(|e| panic!("{name} {settings}: {e}"));
        let mut bad = settings.clone();
        bad["dampd"] = json!(true);
        refused_naming(
            stockbook::calculate(forecast_call(json!({ name: bad }))),
            "dampd",
        );
    }
    // Nested settings objects: the bounds, the ETS spec and parameters.
    let mut bad_bounds = bounds.clone();
    bad_bounds["uper"] = json!(0.4);
    refused_naming(
        stockbook::calculate(forecast_call(
            json!({"ses_optimized_with": {"bounds": bad_bounds}}),
        )),
        "uper",
    );
    let mut bad_ets_bounds = ets_bounds.clone();
    bad_ets_bounds["lowr"] = json!([0.1, 0.1, 0.1, 0.8]);
    refused_naming(
        stockbook::calculate(forecast_call(
            json!({"holt_with": {"damped": null, "bounds": bad_ets_bounds}}),
        )),
        "lowr",
    );
    let mut bad_spec = spec.clone();
    bad_spec["dampd"] = json!(false);
    refused_naming(
        stockbook::calculate(forecast_call(
            json!({"ets_fixed": {"spec": bad_spec, "params": params}}),
        )),
        "dampd",
    );
    let mut bad_params = params.clone();
    bad_params["slop"] = json!(1.0);
    refused_naming(
        stockbook::calculate(forecast_call(
            json!({"ets_fixed": {"spec": spec, "params": bad_params}}),
        )),
        "slop",
    );
    // A method without settings takes none.
    assert!(stockbook::calculate(forecast_call(json!({"naive": {"window": 3}}))).is_err());
    assert!(stockbook::calculate(forecast_call(json!("naive"))).is_ok());
}

#[test]
fn the_forecasting_calculations_refuse_an_unknown_key() {
    let mut call = forecast_call(json!("naive"));
    call["args"]["horizn"] = json!(3);
    refused_naming(stockbook::calculate(call), "horizn");
    let mut call = forecast_call(json!("naive"));
    call["args"]["level"] = json!([80]);
    refused_naming(stockbook::calculate(call), "level");
    let call = json!({"op": "auto_forecast", "args": {"series": SERIES, "season_length": 1, "horizon": 3, "levls": [80]}});
    refused_naming(stockbook::calculate(call), "levls");
    // The update takes a forecast's state back as it came, and nothing else.
    let answer = stockbook::calculate(forecast_call(json!({"holt": {"damped": false}}))).unwrap();
    let state = answer["state"].clone();
    assert!(state.is_object(), "{answer}");
    let update = |state: Value, extra: Option<(&str, Value)>| {
        let mut call = json!({"op": "update_forecast", "args": {"state": state, "observations": [45.0, 47.0], "horizon": 2, "levels": [80, 95]}});
        if let Some((k, v)) = extra {
            call["args"][k] = v;
        }
        stockbook::calculate(call)
    };
    let updated = update(state.clone(), None).unwrap();
    assert_eq!(updated["intervals"].as_array().unwrap().len(), 2);
    refused_naming(
        update(state.clone(), Some(("observatons", json!([1.0])))),
        "observatons",
    );
    let mut bad = state.clone();
    bad["sigma"] = json!(1.0);
    refused_naming(update(bad, None), "sigma");
    let mut bad = state.clone();
    bad["params"]["trend"] = json!(1.0);
    refused_naming(update(bad, None), "trend");
}

#[test]
fn plan_options_refuse_an_unknown_key_at_every_level() {
    let ok = json!({
        "horizon_periods": 8,
        "levels": [80, 95],
        "method": {"fixed": {"holt": {"damped": true}}},
        "order_quantity": {"cover": {"periods": 4}},
        "items": [{"sku": "A", "lead_time_days": 3}],
        "series": [{"sku": "A", "site": "S", "demand": [1.0, 2.0, 3.0]}],
    });
    decode::<PlanOptions>("options", ok.clone()).unwrap();
    let cases: Vec<(Value, &str)> = vec![
        (json!({"horizon_period": 8}), "horizon_period"),
        (json!({"levls": [80]}), "levls"),
        (
            json!({"method": {"auto": {"season_lenght": 4}}}),
            "season_lenght",
        ),
        (
            json!({"method": {"fixed": {"holt": {"dampd": true}}}}),
            "dampd",
        ),
        (
            json!({"method": {"fixed": {"holt_with": {"damped": true, "bounds": {"lower": [0.1, 0.1, 0.1, 0.8], "upper": [0.9, 0.9, 0.9, 0.98], "phi": 1}}}}}),
            "phi",
        ),
        (
            json!({"order_quantity": {"cover": {"period": 4}}}),
            "period",
        ),
        (
            json!({"order_quantity": {"eoq": {"ordering_cost": 1, "holding_cost": 1, "cost": 2}}}),
            "cost",
        ),
        (
            json!({"items": [{"sku": "A", "lead_time": 3}]}),
            "lead_time",
        ),
        (
            json!({"series": [{"sku": "A", "site": "S", "demand": [1.0], "dmand": []}]}),
            "dmand",
        ),
    ];
    for (bad, key) in cases {
        match decode::<PlanOptions>("options", bad.clone()) {
            Err(Error::InvalidArgument { field, .. }) => {
                assert!(
                    field.ends_with(key),
                    "{bad}: field {field} does not name {key}"
                );
            }
            other => panic!("{bad}: {other:?}"),
        }
    }
    // The newtype `fixed` takes exactly one method.
    assert!(
        decode::<PlanOptions>("options", json!({"method": {"fixed": "naive", "x": 1}})).is_err()
    );
}

/// The new settings at their defaults are the methods as they were.
#[test]
fn settings_at_their_defaults_are_the_plain_methods() {
    let y = [
        0.0, 0.0, 7.0, 0.0, 0.0, 0.0, 3.0, 12.0, 0.0, 0.0, 5.0, 0.0, 0.0, 9.0, 0.0, 4.0,
    ];
    let same = |a: Method, b: Method| {
        let (fa, fb) = (forecast(&y, &a, 3).unwrap(), forecast(&y, &b, 3).unwrap());
        assert_eq!(
            (fa.mean, fa.fitted, fa.params),
            (fb.mean, fb.fitted, fb.params),
            "{a:?}"
        );
    };
    same(
        Method::CrostonWith {
            alpha: 0.1,
            sba: false,
        },
        Method::CrostonClassic,
    );
    same(
        Method::CrostonWith {
            alpha: 0.1,
            sba: true,
        },
        Method::CrostonSba,
    );
    let parse = |v: Value| -> Method { serde_json::from_value(v).unwrap() };
    same(parse(json!({"adida_with": {}})), Method::Adida);
    same(parse(json!({"imapa_with": {}})), Method::Imapa);
    same(
        parse(json!({"croston_optimized_with": {"bounds": {"lower": 0.1, "upper": 0.3}}})),
        Method::CrostonOptimized,
    );
    same(
        parse(json!({"ses_optimized_with": {"bounds": {"lower": 0.01, "upper": 0.99}}})),
        Method::SesOptimized,
    );
    let ets_default =
        json!({"lower": [0.0001, 0.0001, 0.0001, 0.8], "upper": [0.9999, 0.9999, 0.9999, 0.98]});
    let z: Vec<f64> = SERIES.to_vec();
    let (a, b) = (
        forecast(
            &z,
            &parse(json!({"holt_with": {"damped": null, "bounds": ets_default}})),
            3,
        )
        .unwrap(),
        forecast(&z, &Method::Holt { damped: None }, 3).unwrap(),
    );
    assert_eq!((a.mean, a.params), (b.mean, b.params));
    // Bad settings are refused.
    for bad in [
        json!({"croston_with": {"alpha": 0.0}}),
        json!({"croston_with": {"alpha": 1.5}}),
        json!({"adida_with": {"aggregation_level": 0}}),
        json!({"imapa_with": {"max_aggregation_level": 99}}),
        json!({"ses_optimized_with": {"bounds": {"lower": 0.5, "upper": 0.2}}}),
        json!({"croston_optimized_with": {"bounds": {"lower": 0.0, "upper": 0.2}}}),
        json!({"holt_fixed": {"alpha": 0.4, "beta_star": 1.2}}),
        json!({"holt_winters_fixed": {"season_length": 4, "seasonality": "additive", "alpha": 0.8, "beta_star": 0.1, "gamma": 0.3}}),
    ] {
        let method = parse(bad.clone());
        assert!(
            matches!(
                forecast(&y, &method, 3),
                Err(Error::InvalidParameter { .. })
            ),
            "{bad}"
        );
    }
    let bad = parse(
        json!({"holt_with": {"damped": null, "bounds": {"lower": [0.5, 0.1, 0.1, 0.8], "upper": [0.4, 0.9, 0.9, 0.98]}}}),
    );
    assert!(matches!(
        forecast(&z, &bad, 3),
        Err(Error::InvalidParameter { .. })
    ));
}
