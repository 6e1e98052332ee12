//! Bad input to the planning functions is a typed `invalid_parameter` error naming the
//! parameter, never a NaN, a panic or a silently clamped answer.

use stockbook::Error;
use stockbook::planning::forecast::{
    Component, EtsParams, EtsSpec, Method, Seasonality, auto_forecast, classify, forecast,
};
use stockbook::planning::policy::{
    Demand, FillRateFormula, InventoryCosts, LeadTime, eoq, epq, lead_time_demand, min_max,
    newsvendor_normal, newsvendor_poisson, normal_quantile, periodic_review, r_q_cost, r_q_eil,
    r_q_poisson, reorder_point, round_order_quantity, s_s_cost_poisson, s_s_optimal_poisson,
    safety_stock_cycle, safety_stock_fill_rate,
};

/// The parameter an error names; fails on any other kind of error or on success.
#[track_caller]
fn refused<T: std::fmt::Debug>(r: stockbook::Result<T>) -> String {
    match r {
        Err(e) => {
            assert_eq!(e.code(), "invalid_parameter", "{e}");
            match e {
                Error::InvalidParameter { parameter, reason } => {
                    assert!(!reason.is_empty());
                    parameter
                }
                other => panic!("unexpected error {other}"),
            }
        }
        Ok(v) => panic!("accepted: {v:?}"),
    }
}

fn trend_series(n: usize) -> Vec<f64> {
    (0..n)
        .map(|t| 10.0 + t as f64 + if t % 3 == 0 { 2.0 } else { 0.0 })
        .collect()
}

const DEMAND: Demand = Demand {
    mean: 100.0,
    std_dev: 20.0,
};
const LEAD: LeadTime = LeadTime {
    mean: 9.0,
    std_dev: 0.0,
};
const COSTS: InventoryCosts = InventoryCosts {
    holding: 1.0,
    stockout: 4.0,
    fixed: 5.0,
};

#[test]
fn series_must_be_non_empty_finite_non_negative_and_long_enough() {
    let m = Method::Naive;
    assert_eq!(refused(forecast(&[], &m, 3)), "series");
    assert_eq!(refused(forecast(&[5.0], &m, 3)), "series");
    assert_eq!(refused(forecast(&[5.0, -1.0, 3.0], &m, 3)), "series");
    assert_eq!(refused(forecast(&[5.0, f64::NAN, 3.0], &m, 3)), "series");
    assert_eq!(
        refused(forecast(&[5.0, f64::INFINITY, 3.0], &m, 3)),
        "series"
    );
    assert_eq!(
        refused(forecast(&[5.0, 3.0, f64::NEG_INFINITY], &m, 3)),
        "series"
    );
    assert_eq!(refused(forecast(&vec![1.0; 10_001], &m, 3)), "series");
    // The methods whose fitted values are quadratic in the length have a lower limit.
    for method in [Method::CrostonOptimized, Method::Adida, Method::Imapa] {
        assert_eq!(refused(forecast(&vec![1.0; 3_001], &method, 3)), "series");
    }
    // Negative demand is refused by every method, not just some.
    for method in [
        Method::CrostonClassic,
        Method::Adida,
        Method::Holt { damped: None },
    ] {
        let mut y = trend_series(30);
        y[7] = -2.0;
        assert_eq!(refused(forecast(&y, &method, 3)), "series", "{method:?}");
    }
}

#[test]
fn horizon_must_be_positive_and_bounded() {
    assert_eq!(refused(forecast(&[1.0, 2.0], &Method::Naive, 0)), "horizon");
    assert_eq!(
        refused(forecast(&[1.0, 2.0], &Method::Naive, 10_001)),
        "horizon"
    );
}

#[test]
fn method_settings_are_checked() {
    let y = trend_series(40);
    for alpha in [0.0, -0.1, 1.5, f64::NAN] {
        assert_eq!(refused(forecast(&y, &Method::Ses { alpha }, 3)), "alpha");
    }
    let tsb = |a, p| Method::Tsb {
        alpha_demand: a,
        alpha_probability: p,
    };
    assert_eq!(refused(forecast(&y, &tsb(0.0, 0.1), 3)), "alpha_demand");
    assert_eq!(
        refused(forecast(&y, &tsb(0.1, 2.0), 3)),
        "alpha_probability"
    );
    assert_eq!(
        refused(forecast(&y, &Method::MovingAverage { window: 0 }, 3)),
        "window"
    );
    assert_eq!(
        refused(forecast(&y[..5], &Method::MovingAverage { window: 5 }, 3)),
        "series"
    );
    assert_eq!(
        refused(forecast(&y, &Method::SeasonalNaive { season_length: 0 }, 3)),
        "season_length"
    );
    assert_eq!(
        refused(forecast(
            &y[..12],
            &Method::SeasonalNaive { season_length: 12 },
            3
        )),
        "series"
    );
    assert_eq!(
        refused(forecast(&y, &Method::AutoEts { season_length: 0 }, 3)),
        "season_length"
    );
}

#[test]
fn ets_models_need_enough_positive_data() {
    assert_eq!(
        refused(forecast(
            &trend_series(8),
            &Method::Holt { damped: None },
            3
        )),
        "series"
    );
    assert!(forecast(&trend_series(9), &Method::Holt { damped: None }, 3).is_ok());
    let hw = |m, s| Method::HoltWinters {
        season_length: m,
        seasonality: s,
        damped: None,
    };
    assert_eq!(
        refused(forecast(
            &trend_series(40),
            &hw(1, Seasonality::Additive),
            3
        )),
        "season_length"
    );
    assert_eq!(
        refused(forecast(
            &trend_series(12),
            &hw(12, Seasonality::Additive),
            3
        )),
        "series"
    );
    let mut y = trend_series(40);
    y[5] = 0.0;
    assert_eq!(
        refused(forecast(&y, &hw(4, Seasonality::Multiplicative), 3)),
        "series"
    );
    // The additive model takes the zero.
    assert!(forecast(&y, &hw(4, Seasonality::Additive), 3).is_ok());
    assert_eq!(
        refused(forecast(
            &trend_series(6),
            &Method::AutoEts { season_length: 1 },
            3
        )),
        "series"
    );
}

fn fixed_spec() -> (EtsSpec, EtsParams) {
    let spec = EtsSpec {
        error: Component::Additive,
        trend: Component::Additive,
        season: Component::Additive,
        damped: false,
        season_length: 4,
    };
    let params = EtsParams {
        alpha: 0.3,
        beta: Some(0.03),
        gamma: Some(0.1),
        phi: None,
        level: 10.0,
        slope: Some(1.0),
        seasonal: vec![1.0, -1.0, 2.0, -2.0],
    };
    (spec, params)
}

#[test]
fn fixed_ets_inputs_are_checked() {
    let y = trend_series(20);
    let run =
        |spec: EtsSpec, params: EtsParams| forecast(&y, &Method::EtsFixed { spec, params }, 3);
    let (spec, params) = fixed_spec();
    assert!(run(spec, params.clone()).is_ok());
    assert_eq!(
        refused(run(
            EtsSpec {
                error: Component::None,
                ..spec
            },
            params.clone()
        )),
        "spec.error"
    );
    assert_eq!(
        refused(run(
            EtsSpec {
                trend: Component::Multiplicative,
                ..spec
            },
            params.clone()
        )),
        "spec.trend"
    );
    let no_trend = EtsSpec {
        trend: Component::None,
        damped: true,
        ..spec
    };
    assert_eq!(refused(run(no_trend, params.clone())), "spec.damped");
    assert_eq!(
        refused(run(
            EtsSpec {
                season_length: 1,
                ..spec
            },
            params.clone()
        )),
        "spec.season_length"
    );
    for alpha in [0.0, 1.2, f64::NAN] {
        assert_eq!(
            refused(run(
                spec,
                EtsParams {
                    alpha,
                    ..params.clone()
                }
            )),
            "params.alpha"
        );
    }
    assert_eq!(
        refused(run(
            spec,
            EtsParams {
                beta: None,
                ..params.clone()
            }
        )),
        "params.beta"
    );
    assert_eq!(
        refused(run(
            spec,
            EtsParams {
                beta: Some(-0.1),
                ..params.clone()
            }
        )),
        "params.beta"
    );
    assert_eq!(
        refused(run(
            spec,
            EtsParams {
                gamma: Some(1.5),
                ..params.clone()
            }
        )),
        "params.gamma"
    );
    assert_eq!(
        refused(run(
            spec,
            EtsParams {
                phi: Some(0.9),
                ..params.clone()
            }
        )),
        "params.phi"
    );
    let damped = EtsSpec {
        damped: true,
        ..spec
    };
    assert_eq!(
        refused(run(
            damped,
            EtsParams {
                phi: Some(1.5),
                ..params.clone()
            }
        )),
        "params.phi"
    );
    assert_eq!(
        refused(run(
            spec,
            EtsParams {
                level: f64::NAN,
                ..params.clone()
            }
        )),
        "params.level"
    );
    assert_eq!(
        refused(run(
            spec,
            EtsParams {
                seasonal: vec![0.0; 3],
                ..params.clone()
            }
        )),
        "params.seasonal"
    );
    let mut zeros = y.clone();
    zeros[3] = 0.0;
    let mult = EtsSpec {
        error: Component::Multiplicative,
        ..spec
    };
    assert_eq!(
        refused(forecast(
            &zeros,
            &Method::EtsFixed { spec: mult, params },
            3
        )),
        "series"
    );
}

#[test]
fn classification_and_auto_forecast_check_their_input() {
    assert_eq!(refused(classify(&[])), "series");
    assert_eq!(refused(classify(&[1.0, -1.0])), "series");
    assert_eq!(refused(classify(&[1.0, f64::NAN])), "series");
    let y = trend_series(30);
    assert_eq!(refused(auto_forecast(&y, 0, 3)), "season_length");
    assert_eq!(refused(auto_forecast(&y, 1, 0)), "horizon");
    assert_eq!(refused(auto_forecast(&y[..3], 1, 3)), "series");
    assert_eq!(
        refused(auto_forecast(&[3.0, -1.0, 2.0, 5.0, 1.0], 1, 3)),
        "series"
    );
}

#[test]
fn service_levels_must_be_strictly_between_zero_and_one() {
    for sl in [0.0, 1.0, -0.1, 1.2, f64::NAN, f64::INFINITY] {
        assert_eq!(
            refused(safety_stock_cycle(sl, DEMAND, LEAD)),
            "service_level"
        );
        assert_eq!(
            refused(periodic_review(sl, DEMAND, LEAD, 7.0)),
            "service_level"
        );
        assert_eq!(refused(min_max(sl, DEMAND, LEAD, 50.0)), "service_level");
        assert_eq!(
            refused(safety_stock_fill_rate(
                sl,
                50.0,
                DEMAND,
                LEAD,
                FillRateFormula::Exact
            )),
            "fill_rate"
        );
    }
    assert_eq!(refused(normal_quantile(0.0)), "p");
    assert_eq!(refused(normal_quantile(1.0)), "p");
}

#[test]
fn lead_times_must_be_positive() {
    // Zero is same-day delivery, accepted (policy_reference.rs checks its answers);
    // negative or not a number is refused.
    let now = LeadTime {
        mean: 0.0,
        std_dev: 0.0,
    };
    assert!(safety_stock_cycle(0.95, DEMAND, now).is_ok());
    assert!(r_q_cost(10.0, 50.0, COSTS, DEMAND, 0.0).is_ok());
    assert!(r_q_poisson(COSTS, 1.5, 0.0).is_ok());
    for mean in [-3.0, f64::NAN] {
        let lead = LeadTime { mean, std_dev: 0.0 };
        assert_eq!(
            refused(safety_stock_cycle(0.95, DEMAND, lead)),
            "lead_time.mean"
        );
        assert_eq!(refused(lead_time_demand(DEMAND, lead)), "lead_time.mean");
        assert_eq!(
            refused(periodic_review(0.95, DEMAND, lead, 7.0)),
            "lead_time.mean"
        );
        assert_eq!(refused(reorder_point(DEMAND, lead, 10.0)), "lead_time.mean");
    }
    let wobbly = LeadTime {
        mean: 5.0,
        std_dev: -1.0,
    };
    assert_eq!(
        refused(safety_stock_cycle(0.95, DEMAND, wobbly)),
        "lead_time.std_dev"
    );
    assert_eq!(
        refused(r_q_cost(10.0, 50.0, COSTS, DEMAND, -1.0)),
        "lead_time"
    );
    assert_eq!(refused(r_q_eil(COSTS, DEMAND, -1.0)), "lead_time");
    assert_eq!(refused(r_q_poisson(COSTS, 1.5, -1.0)), "lead_time");
}

#[test]
fn demand_must_be_non_negative_and_finite() {
    let bad_mean = Demand {
        mean: -1.0,
        std_dev: 2.0,
    };
    let bad_sd = Demand {
        mean: 10.0,
        std_dev: f64::NAN,
    };
    assert_eq!(
        refused(safety_stock_cycle(0.95, bad_mean, LEAD)),
        "demand.mean"
    );
    assert_eq!(
        refused(safety_stock_cycle(0.95, bad_sd, LEAD)),
        "demand.std_dev"
    );
    assert_eq!(
        refused(newsvendor_normal(1.0, 2.0, bad_mean)),
        "demand.mean"
    );
    assert_eq!(refused(newsvendor_poisson(1.0, 2.0, 0.0)), "demand_mean");
    assert_eq!(refused(s_s_cost_poisson(2, 8, COSTS, -1.0)), "demand_mean");
    assert_eq!(refused(r_q_poisson(COSTS, 0.0, 1.0)), "demand_rate");
    assert_eq!(refused(eoq(8.0, 0.225, -1.0)), "demand_rate");
}

#[test]
fn costs_must_be_positive() {
    let c = |holding, stockout, fixed| InventoryCosts {
        holding,
        stockout,
        fixed,
    };
    // A fixed cost of zero is a base-stock setting, accepted (policy_reference.rs checks
    // its answers); below zero or not a number it is refused.
    assert!(eoq(0.0, 0.225, 1300.0).unwrap().quantity.abs() < 1e-300);
    assert!(epq(0.0, 0.225, 1300.0, 1700.0).unwrap().quantity.abs() < 1e-300);
    let no_fixed = InventoryCosts {
        holding: 1.0,
        stockout: 4.0,
        fixed: 0.0,
    };
    assert!(r_q_cost(10.0, 50.0, no_fixed, DEMAND, 1.0).is_ok());
    assert!((r_q_poisson(no_fixed, 1.5, 2.0).unwrap().order_quantity - 1.0).abs() < 1e-12);
    for bad in [-1.0, f64::NAN] {
        assert_eq!(refused(eoq(bad, 0.225, 1300.0)), "fixed_cost");
        assert_eq!(refused(epq(bad, 0.225, 1300.0, 1700.0)), "fixed_cost");
        assert_eq!(
            refused(r_q_cost(10.0, 50.0, c(1.0, 4.0, bad), DEMAND, 1.0)),
            "costs.fixed"
        );
        assert_eq!(
            refused(r_q_poisson(c(1.0, 4.0, bad), 1.5, 2.0)),
            "costs.fixed"
        );
    }
    for bad in [0.0, -1.0, f64::NAN] {
        assert_eq!(refused(eoq(8.0, bad, 1300.0)), "holding_cost");
        assert_eq!(refused(newsvendor_normal(bad, 0.7, DEMAND)), "holding_cost");
        assert_eq!(
            refused(newsvendor_poisson(0.18, bad, 50.0)),
            "stockout_cost"
        );
        assert_eq!(
            refused(s_s_cost_poisson(4, 10, c(bad, 4.0, 5.0), 6.0)),
            "costs.holding"
        );
        assert_eq!(
            refused(s_s_optimal_poisson(c(1.0, bad, 5.0), 6.0)),
            "costs.stockout"
        );
        assert_eq!(
            refused(r_q_eil(c(bad, 4.0, 5.0), DEMAND, 1.0)),
            "costs.holding"
        );
    }
    assert_eq!(refused(epq(8.0, 0.225, 1700.0, 1700.0)), "production_rate");
    // The EIL approximation needs a stockout cost large against the holding cost.
    let cheap_stockout = InventoryCosts {
        holding: 10.0,
        stockout: 0.01,
        fixed: 100.0,
    };
    assert_eq!(
        refused(r_q_eil(cheap_stockout, DEMAND, 1.0)),
        "costs.stockout"
    );
}

#[test]
fn quantities_are_checked() {
    assert_eq!(
        refused(safety_stock_fill_rate(
            0.95,
            0.0,
            DEMAND,
            LEAD,
            FillRateFormula::Approximate
        )),
        "order_quantity"
    );
    assert_eq!(refused(min_max(0.95, DEMAND, LEAD, -5.0)), "order_quantity");
    assert_eq!(
        refused(periodic_review(0.95, DEMAND, LEAD, 0.0)),
        "review_period"
    );
    assert_eq!(
        refused(reorder_point(DEMAND, LEAD, f64::NAN)),
        "safety_stock"
    );
    assert_eq!(refused(round_order_quantity(-1.0, 0.0, 1.0)), "quantity");
    assert_eq!(refused(round_order_quantity(5.0, -1.0, 1.0)), "minimum");
    assert_eq!(refused(round_order_quantity(5.0, 0.0, 0.0)), "pack_size");
    assert_eq!(refused(s_s_cost_poisson(10, 10, COSTS, 6.0)), "order_up_to");
    assert_eq!(
        refused(r_q_cost(10.0, 0.0, COSTS, DEMAND, 1.0)),
        "order_quantity"
    );
    assert_eq!(
        refused(r_q_cost(f64::NAN, 10.0, COSTS, DEMAND, 1.0)),
        "reorder_point"
    );
}
