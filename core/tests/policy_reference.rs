//! The inventory models of planning round 2 against reference vectors: stockpyl 1.0.2
//! (`pip install stockpyl==1.0.2`), computed by `core/tests/data/gen_policy_vectors.py`,
//! which names the stockpyl call behind each table (repeated above each one here). Where
//! stockpyl has no such model the check says what it rests on instead: the EPQ with planned
//! backorders is checked through its reduction to stockpyl's EOQ with backorders, and the
//! (R, S) fill-rate policy by integrating the normal density directly. Values agree to 1e-9,
//! relative where they are large.
//!
//! The last tests are the models' limits that stockpyl refuses (a fixed cost or a lead
//! time of zero) and the refusals of what has no meaning.

// The tables are printed by the generator and pasted unchanged, so that a re-run can be diffed
// against them: their digits stay ungrouped, and √2 stays the number stockpyl printed.
// Exact comparisons where the arithmetic is exact (a quantity of zero, whole levels).
#![allow(clippy::unreadable_literal, clippy::approx_constant, clippy::float_cmp)]

use stockbook::planning::policy::{
    self, Demand, DiscreteDemand, FillRateFormula, GsmStage, InventoryCosts, LeadTime, PriceBreak,
};

fn close(got: f64, want: f64, what: &str) {
    assert!(
        (got - want).abs() <= 1e-9 * want.abs().max(1.0),
        "{what}: {got} vs {want}"
    );
}

fn breaks(b: &[f64], c: &[f64]) -> Vec<PriceBreak> {
    b.iter()
        .zip(c)
        .map(|(&b, &c)| PriceBreak::new(b, c))
        .collect()
}

/// (K, i, λ, breaks, unit costs) → (Q, region, cost).
type DiscountCase<'a> = (f64, f64, f64, &'a [f64], &'a [f64], f64, usize, f64);

#[test]
fn all_units_discounts_match_stockpyl() {
    // stockpyl: eoq.economic_order_quantity_with_all_units_discounts(K, i, lambda, b, c)
    let cases: [DiscountCase<'_>; 6] = [
        (
            200.0,
            0.2,
            1000.0,
            &[0.0, 200.0, 500.0],
            &[500.0, 475.0, 450.0],
            500.0,
            2,
            472900.0,
        ),
        (
            150.0,
            0.25,
            2400.0,
            &[0.0, 300.0, 600.0],
            &[100.0, 90.0, 80.0],
            600.0,
            2,
            198600.0,
        ),
        (
            8.0,
            0.3,
            1300.0,
            &[0.0, 400.0, 800.0],
            &[1.0, 0.98, 0.96],
            400.0,
            1,
            1358.8,
        ),
        (
            100.0,
            0.2,
            5000.0,
            &[0.0, 1000.0, 2500.0],
            &[10.0, 9.9, 9.85],
            1000.0,
            1,
            50990.0,
        ),
        (
            40.0,
            0.15,
            200.0,
            &[0.0],
            &[12.0],
            94.28090415820634,
            0,
            2569.705627484771,
        ),
        (
            500.0,
            0.1,
            60.0,
            &[0.0, 50.0, 100.0, 1000.0],
            &[20.0, 18.0, 17.5, 17.0],
            185.16401995451028,
            2,
            1374.0370349203931,
        ),
    ];
    for (k, i, lambda, b, c, q, region, g) in cases {
        let got = policy::eoq_all_units_discounts(k, i, lambda, &breaks(b, c)).unwrap();
        close(got.quantity, q, "quantity");
        assert_eq!(got.region, region, "{b:?}");
        close(got.unit_cost, c[region], "unit cost");
        close(got.cost, g, "cost");
    }
}

#[test]
fn incremental_discounts_match_stockpyl() {
    // stockpyl: eoq.economic_order_quantity_with_incremental_discounts(K, i, lambda, b, c)
    let cases: [DiscountCase<'_>; 6] = [
        (
            200.0,
            0.2,
            1000.0,
            &[0.0, 200.0, 500.0],
            &[500.0, 475.0, 450.0],
            63.245553203367585,
            0,
            506324.5553203367,
        ),
        (
            150.0,
            0.25,
            2400.0,
            &[0.0, 300.0, 600.0],
            &[100.0, 90.0, 80.0],
            1481.8906842274164,
            2,
            222762.8136845483,
        ),
        (
            8.0,
            0.3,
            1300.0,
            &[0.0, 400.0, 800.0],
            &[1.0, 0.98, 0.96],
            263.31223544175333,
            0,
            1378.9936706325261,
        ),
        (
            100.0,
            0.2,
            5000.0,
            &[0.0, 1000.0, 2500.0],
            &[10.0, 9.9, 9.85],
            707.1067811865476,
            0,
            51414.2135623731,
        ),
        (
            40.0,
            0.15,
            200.0,
            &[0.0],
            &[12.0],
            94.28090415820634,
            0,
            2569.705627484771,
        ),
        (
            500.0,
            0.1,
            60.0,
            &[0.0, 50.0, 100.0, 1000.0],
            &[20.0, 18.0, 17.5, 17.0],
            211.11946516469905,
            2,
            1426.9590640382235,
        ),
    ];
    for (k, i, lambda, b, c, q, region, g) in cases {
        let got = policy::eoq_incremental_discounts(k, i, lambda, &breaks(b, c)).unwrap();
        close(got.quantity, q, "quantity");
        assert_eq!(got.region, region, "{b:?}");
        close(got.cost, g, "cost");
    }
}

/// (K, h, p, λ, μ) → (Q, stockout fraction, cost).
type EpqCase = (f64, f64, f64, f64, f64, f64, f64, f64);

#[test]
fn epq_with_backorders_is_the_eoq_with_backorders_at_scaled_rates() {
    // (K, h, p, λ, μ) → (Q, stockout fraction, cost). stockpyl has no EPQ with backorders:
    // the swing of a batch is Q(1 − λ/μ), so it is stockpyl's EOQ with backorders with h and
    // p scaled by 1 − λ/μ (Snyder & Shen §3.3 with §3.4).
    // stockpyl: eoq.economic_order_quantity_with_backorders(K, h(1-lambda/mu), p(1-lambda/mu),
    // lambda)
    let cases: [EpqCase; 4] = [
        (
            8.0,
            0.225,
            5.0,
            1300.0,
            2000.0,
            525.3691068312814,
            0.043062200956937795,
            39.59121259613723,
        ),
        (
            50.0,
            2.0,
            18.0,
            1600.0,
            4000.0,
            384.9001794597505,
            0.1,
            415.6921938165306,
        ),
        (
            100.0,
            1.0,
            1.0,
            10.0,
            10.5,
            289.8275349237886,
            0.5,
            6.900655593423546,
        ),
        (
            75.0,
            0.5,
            20.0,
            900.0,
            100000.0,
            528.4537542046579,
            0.024390243902439025,
            255.46227825210536,
        ),
    ];
    for (k, h, p, lambda, mu, q, x, g) in cases {
        let got = policy::epq_with_backorders(k, h, p, lambda, mu).unwrap();
        close(got.quantity, q, "quantity");
        close(got.stockout_fraction, x, "stockout fraction");
        close(got.cost, g, "cost");
        let swing = q * (1.0 - lambda / mu);
        close(got.max_backorder, swing * x, "max backorder");
        close(got.max_inventory, swing * (1.0 - x), "max inventory");
    }
    // A production rate far above demand is the EOQ with backorders itself.
    let fast = policy::epq_with_backorders(50.0, 2.0, 18.0, 1600.0, 1.6e15).unwrap();
    let eoqb = policy::eoq_with_backorders(50.0, 2.0, 18.0, 1600.0).unwrap();
    close(fast.quantity, eoqb.quantity, "fast production");
    // Backorders that cost a fortune make it the plain EPQ.
    let dear = policy::epq_with_backorders(50.0, 2.0, 1e15, 1600.0, 4000.0).unwrap();
    let plain = policy::epq(50.0, 2.0, 1600.0, 4000.0).unwrap();
    assert!((dear.quantity - plain.quantity).abs() < 1e-5 * plain.quantity);
}

#[test]
fn s_s_power_approximation_matches_stockpyl() {
    // (h, p, K, μ, σ) → (s, S), no lead time (stockpyl's model).
    // stockpyl: ss.s_s_power_approximation(h, p, K, mu, sigma)
    let cases: [(f64, f64, f64, f64, f64, f64, f64); 4] = [
        (
            0.18,
            0.7,
            2.5,
            50.0,
            8.0,
            40.19461695647407,
            74.29017010980579,
        ),
        (
            1.0,
            9.0,
            64.0,
            20.0,
            5.0,
            14.448011935082747,
            61.61448406317169,
        ),
        (
            2.0,
            30.0,
            500.0,
            100.0,
            40.0,
            100.27952876694287,
            310.5499203315299,
        ),
        (
            0.5,
            4.0,
            10.0,
            6.0,
            0.5,
            4.341497431592771,
            18.697049111754055,
        ),
    ];
    for (h, p, k, mu, sd, s, big_s) in cases {
        let got =
            policy::s_s_power_approximation(InventoryCosts::new(h, p, k), Demand::new(mu, sd), 0.0)
                .unwrap();
        close(got.reorder_point, s, "s");
        close(got.order_up_to, big_s, "S");
    }
    // A lead time of L periods protects over L + 1: the same as one period of demand with
    // mean μ(L + 1) for s, while Q keeps the per-period mean (Ehrhardt & Mosier).
    let lead = policy::s_s_power_approximation(
        InventoryCosts::new(1.0, 9.0, 64.0),
        Demand::new(20.0, 5.0),
        3.0,
    )
    .unwrap();
    let (mu_l, sigma_l) = (80.0, 10.0);
    let q = 1.30 * 20f64.powf(0.494) * 64f64.powf(0.506) * (1.0 + 0.25f64).powf(0.116);
    let z = (q / sigma_l / 9.0).sqrt();
    let s = 0.973 * mu_l + sigma_l * (0.183 / z + 1.063 - 2.192 * z);
    close(lead.reorder_point, s, "s with a lead time");
    close(lead.order_up_to, s + q, "S with a lead time");
}

/// (h, p, K, λ, τ, L) → (r, Q, cost).
type RqCase = (f64, f64, f64, f64, f64, f64, f64, f64, f64);

#[test]
fn r_q_loss_function_approximation_matches_stockpyl() {
    // stockpyl: rq.r_q_loss_function_approximation(h, p, K, lambda, tau, L): its fixed point
    // solved with stockpyl's lf.normal_loss / lf.normal_second_loss by brentq to 1e-14
    // (rq.r_q_loss_function_approximation(tol=1e-10) agrees to 1e-6, its fsolve's precision);
    // cost = rq.r_q_cost(r, Q, ...)
    let cases: [RqCase; 4] = [
        (
            0.225,
            7.5,
            8.0,
            1300.0,
            150.0,
            0.08333333333333333,
            126.86706336762325,
            328.44914227838467,
            78.07114627035179,
        ),
        (
            1.0,
            9.0,
            64.0,
            20.0,
            5.0,
            4.0,
            76.77347943070957,
            58.08558294278889,
            54.85906236331822,
        ),
        (
            2.0,
            25.0,
            100.0,
            50.0,
            20.0,
            0.5,
            24.40175638009954,
            80.27187634721474,
            159.3472654383547,
        ),
        (
            0.5,
            3.0,
            30.0,
            10.0,
            6.0,
            2.0,
            15.737018178170366,
            41.54551690044329,
            18.641266123786313,
        ),
    ];
    for (h, p, k, lambda, tau, lead, r, q, g) in cases {
        let got =
            policy::r_q_loss_function(InventoryCosts::new(h, p, k), Demand::new(lambda, tau), lead)
                .unwrap();
        close(got.reorder_point, r, "r");
        close(got.order_quantity, q, "Q");
        close(got.cost, g, "cost");
    }
}

#[test]
fn r_q_optimal_r_for_q_matches_stockpyl() {
    // (Q, h, p, λ, τ, L) → r.
    // stockpyl: rq.r_q_optimal_r_for_q(Q, h, p, lambda, tau, L, tol=1e-12)
    let cases: [(f64, f64, f64, f64, f64, f64, f64); 4] = [
        (
            300.0,
            0.225,
            7.5,
            1300.0,
            150.0,
            0.08333333333333333,
            129.42727969763894,
        ),
        (40.0, 1.0, 9.0, 20.0, 5.0, 4.0, 79.97871941544116),
        (120.5, 2.0, 25.0, 50.0, 20.0, 0.5, 19.327627107318307),
        (25.0, 0.5, 3.0, 10.0, 6.0, 2.0, 19.624904649764666),
    ];
    for (q, h, p, lambda, tau, lead, r) in cases {
        let got = policy::r_q_optimal_r_for_q(q, h, p, Demand::new(lambda, tau), lead).unwrap();
        close(got, r, "r(Q)");
    }
}

#[test]
fn r_q_exact_optimum_matches_stockpyl() {
    // stockpyl: exact (r, Q) optimum: Q solving Q*g(r(Q)) = K*lambda + integral(g) by brentq,
    // with rq.r_q_optimal_r_for_q(tol=1e-12), rq.r_q_cost and newsvendor.newsvendor_normal_cost
    let cases: [RqCase; 4] = [
        (
            0.225,
            7.5,
            8.0,
            1300.0,
            150.0,
            0.08333333333333333,
            126.8670633676228,
            328.4491422783849,
            78.0711462703518,
        ),
        (
            1.0,
            9.0,
            64.0,
            20.0,
            5.0,
            4.0,
            76.77347943264286,
            58.08558257731357,
            54.85906236331823,
        ),
        (
            2.0,
            25.0,
            100.0,
            50.0,
            20.0,
            0.5,
            24.401756381460437,
            80.27187605537864,
            159.34726543835475,
        ),
        (
            0.5,
            3.0,
            30.0,
            10.0,
            6.0,
            2.0,
            15.737018914259428,
            41.54544434791048,
            18.64126612375526,
        ),
    ];
    for (h, p, k, lambda, tau, lead, r, q, g) in cases {
        let costs = InventoryCosts::new(h, p, k);
        let demand = Demand::new(lambda, tau);
        let got = policy::r_q_optimal_normal(costs, demand, lead).unwrap();
        close(got.order_quantity, q, "Q");
        close(got.reorder_point, r, "r");
        close(got.cost, g, "cost");
        // The optimum beats its neighbours and the loss-function approximation.
        let approx = policy::r_q_loss_function(costs, demand, lead).unwrap();
        assert!(got.cost <= approx.cost + 1e-12 * approx.cost);
        for (dr, dq) in [(-0.5, 0.0), (0.5, 0.0), (0.0, -0.5), (0.0, 0.5)] {
            let c = policy::r_q_cost(
                got.reorder_point + dr,
                got.order_quantity + dq,
                costs,
                demand,
                lead,
            )
            .unwrap();
            assert!(c > got.cost, "({dr}, {dq}): {c} <= {}", got.cost);
        }
    }
}

#[test]
fn newsvendor_with_a_lead_time_matches_stockpyl() {
    // (h, p, μ, σ, L) → (S, cost).
    // stockpyl: newsvendor.newsvendor_normal(h, p, mu, sigma, lead_time=L)
    let cases: [(f64, f64, f64, f64, f64, f64, f64); 4] = [
        (
            0.18,
            0.7,
            50.0,
            8.0,
            0.0,
            56.60395592743389,
            1.9976051931766445,
        ),
        (
            0.18,
            0.7,
            50.0,
            8.0,
            3.0,
            213.20791185486777,
            3.995210386353289,
        ),
        (
            1.0,
            9.0,
            20.0,
            5.0,
            4.0,
            114.32818208614502,
            19.621310006943133,
        ),
        (
            2.0,
            1.0,
            100.0,
            30.0,
            1.0,
            181.72578834956084,
            46.27869593594722,
        ),
    ];
    for (h, p, mu, sd, lead, level, cost) in cases {
        let got = policy::newsvendor_normal_lead_time(h, p, Demand::new(mu, sd), lead).unwrap();
        close(got.level, level, "level");
        close(got.cost, cost, "cost");
    }
    // No lead time is the one-period newsvendor.
    let d = Demand::new(50.0, 8.0);
    assert_eq!(
        policy::newsvendor_normal_lead_time(0.18, 0.7, d, 0.0).unwrap(),
        policy::newsvendor_normal(0.18, 0.7, d).unwrap()
    );
}

/// (h, p, values, probabilities) → (S, cost).
type PmfCase<'a> = (f64, f64, &'a [f64], &'a [f64], f64, f64);

#[test]
fn discrete_newsvendor_matches_stockpyl() {
    // (h, p, values, probabilities) → (S, cost).
    // stockpyl: newsvendor.newsvendor_discrete(h, p, demand_pmf=dict(zip(values,
    // probabilities)))
    let cases: [PmfCase<'_>; 3] = [
        (
            1.0,
            4.0,
            &[
                0.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0, 11.0, 12.0,
            ],
            &[
                0.01, 0.03, 0.05, 0.09, 0.12, 0.15, 0.15, 0.13, 0.1, 0.08, 0.05, 0.03, 0.01,
            ],
            8.0,
            3.6399999999999997,
        ),
        (
            1.5,
            2.0,
            &[10.0, 20.0, 30.0, 40.0],
            &[0.1, 0.4, 0.3, 0.2],
            30.0,
            13.0,
        ),
        (
            3.0,
            1.0,
            &[5.0, 0.0, 7.0, 2.0],
            &[0.25, 0.25, 0.25, 0.25],
            0.0,
            3.5,
        ),
    ];
    for (h, p, values, probs, level, cost) in cases {
        let demand = DiscreteDemand::new(values.to_vec()).probabilities(probs.iter().copied());
        let got = policy::newsvendor_discrete(h, p, &demand).unwrap();
        close(got.level, level, "level");
        close(got.cost, cost, "cost");
    }
    // (h, p, sample) → (S, cost).
    // stockpyl: newsvendor.newsvendor_discrete(h, p, demand_pmf={value: count/n}) of a sample
    let cases: [(f64, f64, &[f64], f64, f64); 2] = [
        (
            1.0,
            3.0,
            &[4.0, 7.0, 7.0, 2.0, 9.0, 5.0, 7.0, 3.0, 12.0, 6.0, 0.0, 8.0],
            7.0,
            3.833333333333333,
        ),
        (
            2.0,
            2.0,
            &[3.0, 1.0, 4.0, 1.0, 5.0, 9.0, 2.0, 6.0],
            3.0,
            4.25,
        ),
    ];
    for (h, p, sample, level, cost) in cases {
        let got = policy::newsvendor_discrete(h, p, &DiscreteDemand::new(sample.to_vec())).unwrap();
        close(got.level, level, "level");
        close(got.cost, cost, "cost");
    }
}

/// A stage: (id, processing time, holding cost, successors, demand (mean, sd), external
/// inbound service time, max service time).
type Stage<'a> = (
    &'a str,
    u32,
    f64,
    &'a [&'a str],
    Option<(f64, f64)>,
    u32,
    Option<u32>,
);
/// (z, stages, per stage (CST, safety stock, base-stock level), optimal cost).
type GsmCase<'a> = (f64, &'a [Stage<'a>], &'a [(u32, f64, f64)], f64);

fn stages(list: &[Stage<'_>]) -> Vec<GsmStage> {
    list.iter()
        .map(|&(id, t, h, succ, demand, ext_in, ext_out)| {
            let mut stage = GsmStage::new(id, t, h)
                .successors(succ.iter().copied())
                .external_inbound_service_time(ext_in);
            if let Some((mean, sd)) = demand {
                stage = stage.demand(Demand::new(mean, sd));
            }
            if let Some(t) = ext_out {
                stage = stage.max_service_time(t);
            }
            stage
        })
        .collect()
}

fn check_gsm(
    solution: &policy::GsmSolution,
    list: &[Stage<'_>],
    want: &[(u32, f64, f64)],
    cost: f64,
) {
    close(solution.cost, cost, "cost");
    for ((got, stage), &(cst, ss, bsl)) in solution.stages.iter().zip(list).zip(want) {
        assert_eq!(got.id, stage.0);
        assert_eq!(got.outbound_service_time, cst, "stage {}", stage.0);
        close(got.safety_stock, ss, "safety stock");
        close(got.base_stock_level, bsl, "base-stock level");
    }
    let total: f64 = solution.stages.iter().map(|s| s.holding_cost).sum();
    close(total, cost, "the stages' holding costs add up to the cost");
}

#[test]
fn gsm_serial_matches_stockpyl() {
    // stockpyl: gsm_serial.optimize_committed_service_times(network=...); per stage (CST,
    // gsm_helpers.safety_stock_levels, gsm_helpers.cst_to_base_stock_levels), then the optimal
    // cost
    let cases: [GsmCase<'_>; 3] = [
        (
            1.0,
            &[
                ("3", 1, 2.0, &["2"], None, 1, None),
                ("2", 0, 4.0, &["1"], None, 0, None),
                ("1", 1, 7.0, &[], Some((0.0, 1.0)), 0, Some(1)),
            ],
            &[
                (0, 1.4142135623730951, 1.4142135623730951),
                (0, 0.0, 0.0),
                (1, 0.0, 0.0),
            ],
            2.8284271247461903,
        ),
        (
            1.645,
            &[
                ("raw", 4, 0.5, &["part"], None, 2, None),
                ("part", 3, 1.0, &["sub"], None, 0, None),
                ("sub", 2, 1.5, &["final"], None, 0, None),
                ("final", 5, 3.0, &["dc"], None, 0, None),
                ("dc", 1, 4.0, &[], Some((40.0, 12.0)), 0, Some(0)),
            ],
            &[
                (0, 48.352927522539936, 288.3529275225399),
                (0, 34.19068294140964, 154.19068294140965),
                (2, 0.0, 0.0),
                (7, 0.0, 0.0),
                (0, 55.8331514424898, 375.8331514424898),
            ],
            281.6997524726388,
        ),
        (
            2.0,
            &[
                ("a", 2, 1.0, &["b"], None, 0, None),
                ("b", 6, 1.2, &["c"], None, 0, None),
                ("c", 3, 5.0, &[], Some((10.0, 3.0)), 0, Some(2)),
            ],
            &[
                (2, 0.0, 0.0),
                (0, 16.970562748477143, 96.97056274847714),
                (2, 6.0, 16.0),
            ],
            50.36467529817257,
        ),
    ];
    for (z, list, want, cost) in cases {
        let net = stages(list);
        check_gsm(&policy::gsm_serial(&net, z).unwrap(), list, want, cost);
        // A line is a tree too: the tree algorithm finds the same optimum.
        close(
            policy::gsm_tree(&net, z).unwrap().cost,
            cost,
            "tree on a line",
        );
    }
}

#[test]
fn gsm_tree_matches_stockpyl() {
    // stockpyl: gsm_tree.optimize_committed_service_times(tree); per stage (CST,
    // gsm_helpers.safety_stock_levels, gsm_helpers.cst_to_base_stock_levels), then the optimal
    // cost
    let cases: [GsmCase<'_>; 4] = [
        (
            1.0,
            &[
                ("1", 2, 1.0, &["3"], None, 1, None),
                ("3", 1, 2.0, &["2", "4"], None, 0, None),
                ("2", 1, 3.0, &[], Some((0.0, 1.0)), 0, Some(0)),
                ("4", 1, 3.0, &[], Some((0.0, 1.0)), 0, Some(1)),
            ],
            &[
                (0, 2.4494897427831783, 2.4494897427831783),
                (0, 1.4142135623730951, 1.4142135623730951),
                (0, 1.0, 1.0),
                (1, 0.0, 0.0),
            ],
            8.277916867529369,
        ),
        (
            4.0,
            &[
                (
                    "1",
                    7,
                    0.12054794520547946,
                    &[],
                    Some((22.0, 4.1)),
                    0,
                    Some(3),
                ),
                (
                    "2",
                    7,
                    0.07671232876712329,
                    &[],
                    Some((15.3, 6.2)),
                    0,
                    Some(3),
                ),
                ("3", 21, 0.049315068493150684, &["1", "2"], None, 0, None),
                ("4", 3, 0.0027397260273972603, &["3"], None, 0, None),
                ("5", 8, 0.010958904109589041, &["3"], None, 0, None),
                ("6", 2, 0.00410958904109589, &["5"], None, 0, None),
            ],
            &[
                (3, 32.8, 120.8),
                (3, 49.6, 110.80000000000001),
                (0, 136.2497706420088, 919.5497706420088),
                (0, 51.49757275833493, 163.39757275833492),
                (0, 94.02127418834527, 467.0212741883453),
                (2, 0.0, 0.0),
            ],
            15.649530249501026,
        ),
        (
            1.645,
            &[
                ("plant", 5, 1.0, &["east", "west"], None, 3, None),
                ("east", 2, 2.0, &["e1", "e2", "e3"], None, 0, None),
                ("west", 3, 2.0, &["w1", "w2"], None, 0, None),
                ("e1", 1, 4.0, &[], Some((20.0, 6.0)), 0, Some(0)),
                ("e2", 1, 4.5, &[], Some((35.0, 9.0)), 0, Some(1)),
                ("e3", 2, 4.0, &[], Some((12.0, 5.0)), 0, Some(0)),
                ("w1", 1, 5.0, &[], Some((50.0, 15.0)), 0, Some(0)),
                ("w2", 1, 3.5, &[], Some((8.0, 4.0)), 0, Some(2)),
            ],
            &[
                (0, 91.05635947038515, 1091.0563594703851),
                (0, 27.72203275375022, 161.72203275375023),
                (0, 44.231844580573394, 218.2318445805734),
                (0, 9.870000000000001, 29.87),
                (1, 0.0, 0.0),
                (0, 11.631906550518707, 35.63190655051871),
                (0, 24.675, 74.675),
                (1, 0.0, 0.0),
            ],
            444.3467403411072,
        ),
        (
            2.0,
            &[
                ("s1", 3, 0.3, &["asm"], None, 1, None),
                ("s2", 6, 0.4, &["asm"], None, 0, None),
                ("asm", 2, 1.0, &["m1", "m2"], Some((5.0, 2.0)), 0, Some(4)),
                ("m1", 1, 2.5, &[], Some((15.0, 5.0)), 0, Some(0)),
                ("m2", 2, 2.0, &[], Some((9.0, 4.0)), 0, Some(1)),
            ],
            &[
                (4, 0.0, 0.0),
                (6, 0.0, 0.0),
                (0, 37.94733192202056, 269.94733192202057),
                (0, 10.0, 25.0),
                (1, 8.0, 17.0),
            ],
            78.94733192202057,
        ),
    ];
    for (z, list, want, cost) in cases {
        check_gsm(
            &policy::gsm_tree(&stages(list), z).unwrap(),
            list,
            want,
            cost,
        );
    }
}

/// E[(X − s)⁺] for X normal, by Simpson's rule over ±12 standard deviations: an
/// integration of the density that shares nothing with the loss functions under test.
fn shortage_by_quadrature(mean: f64, sd: f64, s: f64) -> f64 {
    if sd == 0.0 {
        return (mean - s).max(0.0);
    }
    let (lo, hi) = (s.max(mean - 12.0 * sd), (mean + 12.0 * sd).max(s));
    let n = 20_000;
    let step = (hi - lo) / f64::from(n);
    let density = |x: f64| {
        let z = (x - mean) / sd;
        (-0.5 * z * z).exp() / (sd * (2.0 * std::f64::consts::PI).sqrt())
    };
    let mut sum = 0.0;
    for i in 0..=n {
        let x = lo + step * f64::from(i);
        let weight = if i == 0 || i == n {
            1.0
        } else if i % 2 == 1 {
            4.0
        } else {
            2.0
        };
        sum += weight * (x - s).max(0.0) * density(x);
    }
    sum * step / 3.0
}

#[test]
fn periodic_review_fill_rate_meets_its_target() {
    // stockpyl has no (R, S) fill-rate model: the level found must leave exactly the
    // target's shortage per cycle, integrated from the normal density directly.
    for (fill, d, l, r) in [
        (0.98, Demand::new(20.0, 5.0), LeadTime::new(4.0, 1.0), 2.0),
        (0.95, Demand::new(100.0, 40.0), LeadTime::fixed(1.0), 7.0),
        (0.999, Demand::new(3.0, 2.5), LeadTime::fixed(10.0), 1.0),
        (0.9, Demand::new(10.0, 3.0), LeadTime::fixed(0.0), 1.0),
        (0.5, Demand::new(50.0, 30.0), LeadTime::fixed(2.0), 0.5),
    ] {
        let target = (1.0 - fill) * d.mean * r;
        let protection = policy::lead_time_demand(d, LeadTime::new(l.mean + r, l.std_dev)).unwrap();
        let before = policy::lead_time_demand(d, l).unwrap();
        let exact =
            policy::periodic_review_fill_rate(fill, d, l, r, FillRateFormula::Exact).unwrap();
        let s = exact.order_up_to;
        let shortage = shortage_by_quadrature(protection.mean, protection.std_dev, s)
            - shortage_by_quadrature(before.mean, before.std_dev, s);
        assert!(
            (shortage - target).abs() < 1e-7 * target.max(1.0),
            "{shortage} vs {target}"
        );
        close(
            exact.protection_demand.mean,
            protection.mean,
            "protection mean",
        );
        close(exact.safety_stock, s - protection.mean, "safety stock");
        let approx =
            policy::periodic_review_fill_rate(fill, d, l, r, FillRateFormula::Approximate).unwrap();
        let counted =
            shortage_by_quadrature(protection.mean, protection.std_dev, approx.order_up_to);
        assert!(
            (counted - target).abs() < 1e-7 * target.max(1.0),
            "{counted} vs {target}"
        );
        // Counting every cycle's shortage from zero asks for at least as much stock.
        assert!(approx.order_up_to >= exact.order_up_to - 1e-9);
        // A higher target never asks for less.
        let higher = policy::periodic_review_fill_rate(
            fill + (1.0 - fill) / 2.0,
            d,
            l,
            r,
            FillRateFormula::Exact,
        )
        .unwrap();
        assert!(higher.order_up_to > exact.order_up_to);
    }
}

/// Net demand of stage `k` (mean, variance): its own plus every successor's.
fn net(k: usize, list: &[Stage<'_>], index: &dyn Fn(&str) -> usize) -> (f64, f64) {
    let (mut m, mut v) = list[k].4.map_or((0.0, 0.0), |(m, sd)| (m, sd * sd));
    for s in list[k].3 {
        let (sm, sv) = net(index(s), list, index);
        m += sm;
        v += sv;
    }
    (m, v)
}

/// The least total holding cost over every assignment of outbound service times, by
/// enumeration: what the dynamic programmes must find.
fn gsm_by_enumeration(list: &[Stage<'_>], z: f64) -> f64 {
    let n = list.len();
    let index = |id: &str| list.iter().position(|s| s.0 == id).unwrap();
    let preds: Vec<Vec<usize>> = (0..n)
        .map(|k| (0..n).filter(|&i| list[i].3.contains(&list[k].0)).collect())
        .collect();
    let sd: Vec<f64> = (0..n).map(|k| net(k, list, &index).1.sqrt()).collect();
    let bound = |k: usize| match (list[k].6, list[k].4) {
        (Some(t), _) => t,
        (None, Some(_)) => 0,
        (None, None) => 60,
    };
    let mut cst = vec![0u32; n];
    let mut best = f64::INFINITY;
    loop {
        let mut cost = 0.0;
        let mut feasible = true;
        for k in 0..n {
            let si = preds[k].iter().map(|&i| cst[i]).fold(list[k].5, u32::max);
            let nlt = i64::from(si) + i64::from(list[k].1) - i64::from(cst[k]);
            if nlt < 0 {
                feasible = false;
                break;
            }
            cost += list[k].2 * z * sd[k] * (nlt as f64).sqrt();
        }
        if feasible && cost < best {
            best = cost;
        }
        // Next assignment, odometer style, each CST up to its bound (or 12 unbounded).
        let mut k = 0;
        loop {
            if k == n {
                return best;
            }
            if cst[k] < bound(k).min(12) {
                cst[k] += 1;
                break;
            }
            cst[k] = 0;
            k += 1;
        }
    }
}

#[test]
fn gsm_optima_are_the_least_cost_assignments() {
    let serial: &[Stage<'_>] = &[
        ("a", 2, 1.0, &["b"], None, 1, None),
        ("b", 3, 1.5, &["c"], None, 0, None),
        ("c", 1, 2.0, &["d"], None, 0, None),
        ("d", 2, 4.0, &[], Some((10.0, 4.0)), 0, Some(1)),
    ];
    let mixed: &[Stage<'_>] = &[
        ("s1", 3, 0.3, &["asm"], None, 1, None),
        ("s2", 6, 0.4, &["asm"], None, 0, None),
        ("asm", 2, 1.0, &["m1", "m2"], Some((5.0, 2.0)), 0, Some(4)),
        ("m1", 1, 2.5, &[], Some((15.0, 5.0)), 0, Some(0)),
        ("m2", 2, 2.0, &[], Some((9.0, 4.0)), 0, Some(1)),
    ];
    let distribution: &[Stage<'_>] = &[
        ("dc", 3, 1.0, &["r1", "r2"], None, 2, None),
        ("r1", 2, 1.8, &["s1", "s2"], None, 0, None),
        ("r2", 1, 2.2, &[], Some((7.0, 3.0)), 0, Some(0)),
        ("s1", 1, 3.0, &[], Some((12.0, 4.0)), 0, Some(0)),
        ("s2", 2, 2.5, &[], Some((4.0, 2.0)), 0, Some(1)),
    ];
    close(
        policy::gsm_serial(&stages(serial), 1.645).unwrap().cost,
        gsm_by_enumeration(serial, 1.645),
        "serial",
    );
    for list in [serial, mixed, distribution] {
        let tree = policy::gsm_tree(&stages(list), 2.0).unwrap();
        close(tree.cost, gsm_by_enumeration(list, 2.0), "tree");
        // The listed order of the stages changes nothing but the order of the answer.
        let mut reversed: Vec<Stage<'_>> = list.to_vec();
        reversed.reverse();
        close(
            policy::gsm_tree(&stages(&reversed), 2.0).unwrap().cost,
            tree.cost,
            "reversed",
        );
    }
}

#[test]
fn no_fixed_cost_is_a_base_stock_policy() {
    // Nothing to batch: order as demand comes, at no ordering cost.
    let eoq = policy::eoq(0.0, 2.0, 1600.0).unwrap();
    assert_eq!((eoq.quantity, eoq.cost), (0.0, 0.0));
    let epq = policy::epq(0.0, 2.0, 1600.0, 4000.0).unwrap();
    assert_eq!((epq.quantity, epq.cost), (0.0, 0.0));
    let eoqb = policy::eoq_with_backorders(0.0, 2.0, 18.0, 1600.0).unwrap();
    assert_eq!((eoqb.quantity, eoqb.cost), (0.0, 0.0));
    let epqb = policy::epq_with_backorders(0.0, 2.0, 18.0, 1600.0, 4000.0).unwrap();
    assert_eq!(
        (epqb.quantity, epqb.max_backorder, epqb.cost),
        (0.0, 0.0, 0.0)
    );
    // Under discounts, ordering continuously at the full price unless a break's discount
    // pays for holding its quantity.
    let plain =
        policy::eoq_all_units_discounts(0.0, 0.2, 1000.0, &breaks(&[0.0], &[10.0])).unwrap();
    assert_eq!((plain.quantity, plain.region), (0.0, 0));
    close(plain.cost, 10_000.0, "continuous ordering");
    let b = breaks(&[0.0, 100.0], &[10.0, 9.0]);
    let discounted = policy::eoq_all_units_discounts(0.0, 0.2, 1000.0, &b).unwrap();
    assert_eq!((discounted.quantity, discounted.region), (100.0, 1));
    close(
        discounted.cost,
        9_000.0 + 0.2 * 9.0 * 100.0 / 2.0,
        "break 1",
    );
    // Incrementally the break's units below it act as a fixed cost c̄ = (10 − 9)·100 = 100,
    // so it orders √(2·100·1000/(0.2·9)) = 333.3 at 9000 + 10 + 300 + 300 = 9610 < 10,000.
    let incremental = policy::eoq_incremental_discounts(0.0, 0.2, 1000.0, &b).unwrap();
    assert_eq!(incremental.region, 1);
    close(incremental.quantity, 1000.0 / 3.0, "incremental quantity");
    close(incremental.cost, 9610.0, "incremental cost");
    // (r, Q) and (s, S) without a fixed cost: the newsvendor level of lead-time demand.
    let (h, p) = (1.0, 9.0);
    let d = Demand::new(20.0, 5.0);
    let costs = InventoryCosts::new(h, p, 0.0);
    let rq = policy::r_q_optimal_normal(costs, d, 4.0).unwrap();
    let nv = policy::newsvendor_normal(h, p, Demand::new(80.0, 10.0)).unwrap();
    assert_eq!(rq.order_quantity, 0.0);
    close(rq.reorder_point, nv.level, "r = S*");
    close(rq.cost, nv.cost, "newsvendor cost");
    let ss = policy::s_s_power_approximation(costs, d, 3.0).unwrap();
    close(ss.reorder_point, nv.level, "s = S*");
    close(ss.order_up_to, nv.level, "S = S*");
    let poisson = policy::s_s_optimal_poisson(costs, 6.0).unwrap();
    let nv = policy::newsvendor_poisson(h, p, 6.0).unwrap();
    assert_eq!(poisson.order_up_to as f64, nv.level);
    assert_eq!(poisson.reorder_point, poisson.order_up_to - 1);
    close(poisson.cost, nv.cost, "Poisson base stock");
    let one_for_one = policy::r_q_poisson(costs, 2.0, 3.0).unwrap();
    let nv = policy::newsvendor_poisson(h, p, 6.0).unwrap();
    assert_eq!(one_for_one.order_quantity, 1.0);
    assert_eq!(one_for_one.reorder_point + 1.0, nv.level);
    close(one_for_one.cost, nv.cost, "one for one");
    let cost = policy::r_q_cost(80.0, 10.0, costs, d, 4.0).unwrap();
    assert!(cost > 0.0);
    // The approximations have no meaning without a fixed cost: refused, naming it.
    for refused in [
        policy::r_q_eil(costs, d, 4.0).unwrap_err(),
        policy::r_q_loss_function(costs, d, 4.0).unwrap_err(),
    ] {
        assert_eq!(refused.code(), "invalid_parameter");
        assert!(refused.to_string().contains("costs.fixed"), "{refused}");
    }
}

#[test]
fn no_lead_time_is_same_day_delivery() {
    let d = Demand::new(20.0, 5.0);
    let now = LeadTime::fixed(0.0);
    let ltd = policy::lead_time_demand(d, now).unwrap();
    assert_eq!((ltd.mean, ltd.std_dev), (0.0, 0.0));
    let ss = policy::safety_stock_cycle(0.95, d, now).unwrap();
    assert_eq!((ss.safety_stock, ss.reorder_point), (0.0, 0.0));
    let fill = policy::safety_stock_fill_rate(0.99, 50.0, d, now, FillRateFormula::Exact).unwrap();
    assert_eq!(fill.reorder_point, 0.0);
    assert_eq!(policy::reorder_point(d, now, 3.0).unwrap(), 3.0);
    let mm = policy::min_max(0.9, d, now, 40.0).unwrap();
    assert_eq!((mm.min, mm.max), (0.0, 40.0));
    // Periodic review still protects over the review period.
    let review = policy::periodic_review(0.95, d, now, 7.0).unwrap();
    let one_week = policy::safety_stock_cycle(0.95, d, LeadTime::fixed(7.0)).unwrap();
    close(
        review.order_up_to,
        one_week.reorder_point,
        "review period alone",
    );
    // (r, Q) models: lead-time demand is nothing, so r sits below zero by the backorders
    // worth carrying, and the cost is the deterministic EOQ with backorders'.
    let costs = InventoryCosts::new(1.0, 9.0, 64.0);
    let rq = policy::r_q_optimal_normal(costs, d, 0.0).unwrap();
    let eoqb = policy::eoq_with_backorders(64.0, 1.0, 9.0, 20.0).unwrap();
    close(rq.order_quantity, eoqb.quantity, "Q = EOQB");
    close(
        rq.reorder_point,
        -eoqb.quantity * eoqb.stockout_fraction,
        "r = -backorder",
    );
    close(rq.cost, eoqb.cost, "cost = EOQB");
    let eil = policy::r_q_eil(costs, d, 0.0).unwrap();
    assert!(eil.order_quantity > 0.0);
    let lf = policy::r_q_loss_function(costs, d, 0.0).unwrap();
    close(lf.order_quantity, eoqb.quantity, "loss-function Q = EOQB");
    close(
        policy::r_q_optimal_r_for_q(40.0, 1.0, 9.0, d, 0.0).unwrap(),
        -4.0,
        "r(Q) = -Qh/(h+p)",
    );
    let poisson = policy::r_q_poisson(costs, 2.0, 0.0).unwrap();
    assert!(poisson.reorder_point < 0.0);
    let nv = policy::newsvendor_normal_lead_time(1.0, 9.0, d, 0.0).unwrap();
    assert_eq!(nv, policy::newsvendor_normal(1.0, 9.0, d).unwrap());
}

#[test]
fn meaningless_inputs_are_refused_naming_the_parameter() {
    let d = Demand::new(20.0, 5.0);
    let costs = InventoryCosts::new(1.0, 9.0, 64.0);
    let b = breaks(&[0.0, 100.0], &[10.0, 9.0]);
    let refusals = [
        (policy::eoq(-1.0, 1.0, 1.0).map(|_| ()), "fixed_cost"),
        (policy::eoq(f64::NAN, 1.0, 1.0).map(|_| ()), "fixed_cost"),
        (
            policy::lead_time_demand(d, LeadTime::fixed(-1.0)).map(|_| ()),
            "lead_time.mean",
        ),
        (
            policy::lead_time_demand(d, LeadTime::new(0.0, 1.0)).map(|_| ()),
            "lead_time.std_dev",
        ),
        (
            policy::r_q_cost(1.0, 1.0, costs, d, -0.5).map(|_| ()),
            "lead_time",
        ),
        (
            policy::eoq_all_units_discounts(1.0, 0.2, 10.0, &[]).map(|_| ()),
            "price_breaks",
        ),
        (
            policy::eoq_all_units_discounts(1.0, 0.2, 10.0, &breaks(&[5.0], &[1.0])).map(|_| ()),
            "price_breaks[0].min_quantity",
        ),
        (
            policy::eoq_incremental_discounts(1.0, 0.2, 10.0, &breaks(&[0.0, 0.0], &[2.0, 1.0]))
                .map(|_| ()),
            "price_breaks[1].min_quantity",
        ),
        (
            policy::eoq_all_units_discounts(1.0, 0.0, 10.0, &b).map(|_| ()),
            "holding_rate",
        ),
        (
            policy::epq_with_backorders(1.0, 1.0, 1.0, 10.0, 10.0).map(|_| ()),
            "production_rate",
        ),
        (
            policy::s_s_power_approximation(costs, Demand::new(0.0, 1.0), 0.0).map(|_| ()),
            "demand.mean",
        ),
        (
            policy::r_q_optimal_r_for_q(0.0, 1.0, 9.0, d, 1.0).map(|_| ()),
            "order_quantity",
        ),
        (
            policy::periodic_review_fill_rate(
                1.0,
                d,
                LeadTime::fixed(1.0),
                1.0,
                FillRateFormula::Exact,
            )
            .map(|_| ()),
            "fill_rate",
        ),
        (
            policy::newsvendor_discrete(1.0, 1.0, &DiscreteDemand::new(vec![])).map(|_| ()),
            "demand.values",
        ),
        (
            policy::newsvendor_discrete(1.0, 1.0, &DiscreteDemand::new(vec![1.0, -1.0]))
                .map(|_| ()),
            "demand.values[1]",
        ),
        (
            policy::newsvendor_discrete(
                1.0,
                1.0,
                &DiscreteDemand::new(vec![1.0, 2.0]).probabilities([0.5, 0.6]),
            )
            .map(|_| ()),
            "demand.probabilities",
        ),
        (
            policy::newsvendor_discrete(
                1.0,
                1.0,
                &DiscreteDemand::new(vec![1.0, 2.0]).probabilities([1.0]),
            )
            .map(|_| ()),
            "demand.probabilities",
        ),
    ];
    for (result, parameter) in refusals {
        let err = result.unwrap_err();
        assert_eq!(err.code(), "invalid_parameter", "{err}");
        assert!(err.to_string().contains(parameter), "{parameter}: {err}");
    }
}

#[test]
fn gsm_refuses_networks_that_are_not_trees() {
    let demand = Demand::new(10.0, 3.0);
    let stage = |id: &str, succ: &[&str]| {
        let s = GsmStage::new(id, 1, 1.0).successors(succ.iter().copied());
        if succ.is_empty() { s.demand(demand) } else { s }
    };
    let cases: [(Vec<GsmStage>, &str); 8] = [
        (vec![], "stages"),
        (
            vec![stage("a", &["b"]), stage("b", &[]), stage("a", &[])],
            "stages[2].id",
        ),
        (vec![stage("a", &["x"]), stage("b", &[])], "names no stage"),
        (vec![stage("a", &["a"])], "to itself"),
        (
            vec![stage("a", &["b", "b"]), stage("b", &[])],
            "a second time",
        ),
        // a → b → c → a: a cycle.
        (
            vec![stage("a", &["b"]), stage("b", &["c"]), stage("c", &["a"])],
            "closes a cycle",
        ),
        // a → c, a → b → c: a cycle once direction is set aside.
        (
            vec![stage("a", &["b", "c"]), stage("b", &["c"]), stage("c", &[])],
            "closes a cycle",
        ),
        (vec![stage("a", &[]), stage("b", &[])], "not linked"),
    ];
    for (stages, why) in cases {
        for result in [
            policy::gsm_tree(&stages, 1.0),
            policy::gsm_serial(&stages, 1.0),
        ] {
            let err = result.unwrap_err();
            assert_eq!(err.code(), "invalid_parameter", "{err}");
            assert!(err.to_string().contains(why), "{why}: {err}");
        }
    }
    // A stage that ships nowhere must serve demand.
    let err = policy::gsm_tree(&[GsmStage::new("a", 1, 1.0)], 1.0).unwrap_err();
    assert!(err.to_string().contains("stages[0].demand"), "{err}");
    // A serial line is a chain with demand only at its end.
    let branching = [stage("a", &["b", "c"]), stage("b", &[]), stage("c", &[])];
    assert!(policy::gsm_tree(&branching, 1.0).is_ok());
    let err = policy::gsm_serial(&branching, 1.0).unwrap_err();
    assert!(err.to_string().contains("serial line is a chain"), "{err}");
    let err =
        policy::gsm_serial(&[stage("a", &["b"]).demand(demand), stage("b", &[])], 1.0).unwrap_err();
    assert!(err.to_string().contains("stages[0].demand"), "{err}");
    // Limits.
    let long = [GsmStage::new("a", 5_000, 1.0).demand(demand)];
    let err = policy::gsm_tree(&long, 1.0).unwrap_err();
    assert!(err.to_string().contains("replenishment time"), "{err}");
    let many: Vec<GsmStage> = (0..=policy::GSM_STAGES_MAX)
        .map(|i| stage(&i.to_string(), &[]))
        .collect();
    assert_eq!(
        policy::gsm_tree(&many, 1.0).unwrap_err().code(),
        "limit_exceeded"
    );
    let err = policy::gsm_tree(&[stage("a", &[])], f64::NAN).unwrap_err();
    assert!(err.to_string().contains("safety_factor"), "{err}");
}
