//! PickLocation routing over a warehouse layout (`stockbook::warehouse`), checked three ways:
//! - the fixed instances of `data/pickpath_vectors.json` (S-shape, largest gap and the
//!   optimum match its figures exactly; its distance model is the layout's);
//! - an exact solver written here, independent of the core: shortest paths by
//!   Floyd–Warshall over the aisle network built edge by edge, then Held–Karp over the
//!   picks. The Ratliff–Rosenthal router must equal it on every random single-block
//!   instance; the local-search router must stay within 2 % of it on several blocks;
//! - the invariants of every route: each pick visited once, from the depot and back, the
//!   length the sum of the legs, no leg shorter than the shortest path, the optimum never
//!   longer than S-shape or largest gap.
//!
//! `cargo test -p stockbook --test pick_route -- --nocapture` prints the measured gaps.
#![allow(
    clippy::float_cmp,
    reason = "the reference lengths are sums of quarter units, exact in binary: matched exactly"
)]

use proptest::prelude::*;
use serde_json::{Value, json};
use stockbook::calculate;
use stockbook::warehouse::layout::AISLES_MAX;
use stockbook::warehouse::routing::PICKS_MAX;
use stockbook::warehouse::{Depot, Layout, PickLocation, Route, Router, route};

#[allow(dead_code, reason = "this binary uses part of the shared support")]
mod support;
use support::rng::Rng;

/// A layout and a pick list in plain numbers, for the independent solver.
#[derive(Debug, Clone)]
struct Instance {
    aisles: u32,
    spacing: f64,
    lengths: Vec<f64>,
    cross_width: f64,
    /// (aisle, cross-aisle)
    depot: (u32, u32),
    /// (block, aisle, position)
    picks: Vec<(u32, u32, f64)>,
}

impl Instance {
    fn layout(&self) -> Layout {
        Layout::new(self.aisles, self.spacing, self.lengths.clone())
            .cross_aisle_width(self.cross_width)
            .depots([Depot::new(self.depot.0).cross_aisle(self.depot.1)])
    }

    fn picks(&self) -> Vec<PickLocation> {
        self.picks
            .iter()
            .map(|&(b, a, y)| PickLocation::new(a, y).block(b))
            .collect()
    }

    fn route(&self, router: Router) -> Route {
        route(&self.layout(), &self.picks(), 0, router)
            .unwrap_or_else(|e| panic!("{router:?} on {self:?}: {e}"))
    }

    fn depot_outside(&self) -> bool {
        self.depot.1 == 0 || self.depot.1 as usize == self.lengths.len()
    }

    /// Shortest-path distances between the stops (the depot first, then the picks), by
    /// Floyd–Warshall over the network: a node at every aisle/cross-aisle crossing and at
    /// every pick, edges along the cross-aisles between neighbouring aisles and along each
    /// aisle segment between successive points.
    fn distances(&self) -> Vec<Vec<f64>> {
        let aisles = self.aisles as usize;
        let blocks = self.lengths.len();
        let crossing = |k: usize, a: usize| k * aisles + a;
        let pick_node = |i: usize| (blocks + 1) * aisles + i;
        let nodes = (blocks + 1) * aisles + self.picks.len();
        let mut d = vec![vec![f64::INFINITY; nodes]; nodes];
        let mut edge = |u: usize, v: usize, w: f64| {
            assert!(w >= 0.0);
            d[u][v] = d[u][v].min(w);
            d[v][u] = d[v][u].min(w);
        };
        let mut y = vec![0.0];
        for (b, length) in self.lengths.iter().enumerate() {
            y.push(y[b] + length + self.cross_width);
        }
        for k in 0..=blocks {
            for a in 0..aisles.saturating_sub(1) {
                edge(crossing(k, a), crossing(k, a + 1), self.spacing);
            }
        }
        for b in 0..blocks {
            for a in 0..aisles {
                let mut chain: Vec<(f64, usize)> = vec![(y[b], crossing(b, a))];
                for (i, &(pb, pa, pos)) in self.picks.iter().enumerate() {
                    if pb as usize == b && pa as usize == a {
                        chain.push((y[b] + self.cross_width / 2.0 + pos, pick_node(i)));
                    }
                }
                chain.push((y[b + 1], crossing(b + 1, a)));
                chain.sort_by(|p, q| p.0.total_cmp(&q.0));
                for pair in chain.windows(2) {
                    edge(pair[0].1, pair[1].1, pair[1].0 - pair[0].0);
                }
            }
        }
        for (v, row) in d.iter_mut().enumerate() {
            row[v] = 0.0;
        }
        for m in 0..nodes {
            for u in 0..nodes {
                for v in 0..nodes {
                    let via = d[u][m] + d[m][v];
                    if via < d[u][v] {
                        d[u][v] = via;
                    }
                }
            }
        }
        let stops: Vec<usize> =
            std::iter::once(crossing(self.depot.1 as usize, self.depot.0 as usize))
                .chain((0..self.picks.len()).map(pick_node))
                .collect();
        stops
            .iter()
            .map(|&u| stops.iter().map(|&v| d[u][v]).collect())
            .collect()
    }
}

/// The shortest tour through every stop from stop 0 (Held–Karp).
fn held_karp(d: &[Vec<f64>]) -> f64 {
    let n = d.len() - 1;
    if n == 0 {
        return 0.0;
    }
    let full = 1usize << n;
    let mut best = vec![f64::INFINITY; full * n];
    for j in 0..n {
        best[(1 << j) * n + j] = d[0][j + 1];
    }
    for mask in 1..full {
        for j in 0..n {
            let here = best[mask * n + j];
            if mask & (1 << j) == 0 || !here.is_finite() {
                continue;
            }
            for k in 0..n {
                if mask & (1 << k) == 0 {
                    let next = (mask | (1 << k)) * n + k;
                    best[next] = best[next].min(here + d[j + 1][k + 1]);
                }
            }
        }
    }
    (0..n)
        .map(|j| best[(full - 1) * n + j] + d[j + 1][0])
        .fold(f64::INFINITY, f64::min)
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * a.abs().max(b.abs()).max(1.0)
}

/// Every route's invariants against the independent distances `d` (stop 0 the depot).
fn check_route(route: &Route, d: &[Vec<f64>]) {
    let picks = d.len() - 1;
    let mut seen = vec![false; picks];
    assert_eq!(route.order.len(), picks, "{route:?}");
    for &i in &route.order {
        assert!(
            !std::mem::replace(&mut seen[i], true),
            "{i} twice: {route:?}"
        );
    }
    assert_eq!(route.legs.len(), picks + 1);
    assert!(close(route.legs.iter().sum(), route.length), "{route:?}");
    // Stops in order, from the depot and back to it: no leg beats the shortest path.
    let stops: Vec<usize> = std::iter::once(0)
        .chain(route.order.iter().map(|&i| i + 1))
        .chain([0])
        .collect();
    for (leg, pair) in route.legs.iter().zip(stops.windows(2)) {
        assert!(
            *leg >= d[pair[0]][pair[1]] - 1e-9 * d[pair[0]][pair[1]].max(1.0),
            "leg {leg} below the shortest path {}: {route:?}",
            d[pair[0]][pair[1]]
        );
    }
}

/// `data/pickpath_vectors.json`: a single block, w = 2.5, L = 10, depot at the front of
/// aisle 0; distance within an aisle |y1 − y2|, between aisles |a1 − a2|·w + min(y1 + y2,
/// 2L − y1 − y2).
fn reference() -> Value {
    serde_json::from_str(include_str!("data/pickpath_vectors.json")).unwrap()
}

#[test]
fn the_reference_instances_match_exactly() {
    let data = reference();
    let w = data["layout"]["aisle_centre_distance_w"].as_f64().unwrap();
    let l = data["layout"]["aisle_length_L"].as_f64().unwrap();
    let instances = data["fixed_instances"].as_array().unwrap();
    assert_eq!(instances.len(), 3);
    for case in instances {
        let name = case["name"].as_str().unwrap();
        let inst = Instance {
            aisles: u32::try_from(case["n_aisles"].as_u64().unwrap()).unwrap(),
            spacing: w,
            lengths: vec![l],
            cross_width: 0.0,
            depot: (0, 0),
            picks: case["picks_aisle_y"]
                .as_array()
                .unwrap()
                .iter()
                .map(|p| {
                    let aisle = u32::try_from(p[0].as_u64().unwrap()).unwrap();
                    (0, aisle, p[1].as_f64().unwrap())
                })
                .collect(),
        };
        let d = inst.distances();
        let figure = |key: &str| case[key].as_f64().unwrap();
        for (router, key) in [
            (Router::SShape, "s_shape"),
            (Router::LargestGap, "largest_gap"),
            (Router::Optimal, "optimal"),
        ] {
            let got = inst.route(router);
            check_route(&got, &d);
            assert_eq!(got.length, figure(key), "{name}: {router:?} {got:?}");
        }
        assert!(inst.route(Router::Optimal).proven_optimal);
        assert_eq!(
            held_karp(&d),
            figure("optimal"),
            "{name}: independent solver"
        );
        // The local search ends where the reference's nearest neighbour + 2-opt did, or
        // shorter.
        let local = inst.route(Router::LocalSearch);
        check_route(&local, &d);
        assert!(local.length <= figure("nn_2opt"), "{name}: {local:?}");
        assert!(!local.proven_optimal);
    }
}

#[test]
fn distances_follow_the_reference_model() {
    let data = reference();
    let w = data["layout"]["aisle_centre_distance_w"].as_f64().unwrap();
    let l = data["layout"]["aisle_length_L"].as_f64().unwrap();
    let layout = Layout::new(6, w, vec![l]);
    let spots: Vec<PickLocation> = (0..6u32)
        .flat_map(|a| [0.0, 1.5, 5.0, 9.5, 10.0].map(|y| PickLocation::new(a, y)))
        .collect();
    for p in &spots {
        for q in &spots {
            let expected = if p.aisle == q.aisle {
                (p.position - q.position).abs()
            } else {
                f64::from(p.aisle.abs_diff(q.aisle)) * w
                    + (p.position + q.position).min(2.0 * l - p.position - q.position)
            };
            assert_eq!(layout.distance(p, q), expected, "{p:?} {q:?}");
        }
    }
}

#[test]
fn a_route_without_picks_stays_at_the_depot() {
    let layout = Layout::new(4, 2.0, vec![10.0, 8.0]);
    for router in [
        Router::SShape,
        Router::LargestGap,
        Router::Optimal,
        Router::LocalSearch,
    ] {
        let got = route(&layout, &[], 0, router).unwrap();
        assert!(got.order.is_empty());
        assert_eq!(got.legs, [0.0]);
        assert_eq!(got.length, 0.0);
        assert_eq!(got.router, router);
    }
    let one_block = Layout::new(4, 2.0, vec![10.0]);
    assert_eq!(
        route(&one_block, &[], 0, Router::Optimal).unwrap().length,
        0.0
    );
}

/// A depot at the back is served as well as one at the front: the mirrored instance gives
/// the same lengths.
#[test]
fn a_depot_at_the_back_mirrors_one_at_the_front() {
    let front = Instance {
        aisles: 6,
        spacing: 3.0,
        lengths: vec![12.0, 8.0],
        cross_width: 1.0,
        depot: (1, 0),
        picks: vec![
            (0, 0, 2.0),
            (0, 4, 11.0),
            (1, 2, 3.0),
            (1, 5, 7.5),
            (0, 2, 6.0),
        ],
    };
    let back = Instance {
        lengths: vec![8.0, 12.0],
        depot: (1, 2),
        picks: front
            .picks
            .iter()
            .map(|&(b, a, y)| (1 - b, a, front.lengths[b as usize] - y))
            .collect(),
        ..front.clone()
    };
    for router in [Router::SShape, Router::LargestGap, Router::LocalSearch] {
        let (f, b) = (front.route(router), back.route(router));
        assert!(close(f.length, b.length), "{router:?}: {f:?} vs {b:?}");
        check_route(&b, &back.distances());
    }
}

#[test]
fn bad_input_is_refused_with_a_typed_error() {
    let picks = [PickLocation::new(1, 3.0)];
    let refused = |layout: Layout, picks: &[PickLocation], depot: usize, field: &str| {
        let err = route(&layout, picks, depot, Router::Optimal).unwrap_err();
        assert_eq!(err.code(), "invalid_argument", "{err}");
        assert!(err.to_string().contains(field), "{field}: {err}");
    };
    let ok = || Layout::new(4, 2.5, vec![10.0, 6.0]);
    refused(Layout::new(0, 2.5, vec![10.0]), &picks, 0, "layout.aisles");
    refused(
        Layout::new(4, 2.5, vec![]),
        &picks,
        0,
        "layout.block_lengths",
    );
    refused(
        Layout::new(4, f64::NAN, vec![10.0]),
        &picks,
        0,
        "aisle_spacing",
    );
    refused(Layout::new(4, 0.0, vec![10.0]), &picks, 0, "aisle_spacing");
    refused(
        Layout::new(4, 2.5, vec![10.0, f64::INFINITY]),
        &picks,
        0,
        "layout.block_lengths[1]",
    );
    refused(
        Layout::new(4, 2.5, vec![-1.0]),
        &picks,
        0,
        "block_lengths[0]",
    );
    refused(
        ok().cross_aisle_width(f64::NAN),
        &picks,
        0,
        "cross_aisle_width",
    );
    refused(ok().depots([]), &picks, 0, "layout.depots");
    refused(ok().depots([Depot::new(4)]), &picks, 0, "depots[0].aisle");
    refused(
        ok().depots([Depot::new(0).cross_aisle(3)]),
        &picks,
        0,
        "depots[0].cross_aisle",
    );
    refused(ok(), &picks, 1, "depot");
    refused(Layout::new(1, 1e308, vec![1e308, 1e308]), &[], 0, "layout");
    // Picks outside the layout.
    refused(ok(), &[PickLocation::new(4, 1.0)], 0, "picks[0].aisle");
    refused(
        ok(),
        &[PickLocation::new(0, 1.0).block(2)],
        0,
        "picks[0].block",
    );
    refused(
        ok(),
        &[
            PickLocation::new(0, 1.0),
            PickLocation::new(0, 7.0).block(1),
        ],
        0,
        "picks[1].position",
    );
    refused(ok(), &[PickLocation::new(0, -0.5)], 0, "picks[0].position");
    refused(
        ok(),
        &[PickLocation::new(0, f64::NAN)],
        0,
        "picks[0].position",
    );
    // Limits.
    let too_many = vec![PickLocation::new(0, 1.0); PICKS_MAX + 1];
    assert_eq!(
        route(&ok(), &too_many, 0, Router::Optimal)
            .unwrap_err()
            .code(),
        "limit_exceeded"
    );
    assert_eq!(
        route(
            &Layout::new(AISLES_MAX + 1, 1.0, vec![1.0]),
            &[],
            0,
            Router::Optimal
        )
        .unwrap_err()
        .code(),
        "limit_exceeded"
    );
    // The operators' rules need the depot on an outer cross-aisle; the others do not.
    let inner = ok().depots([Depot::new(2).cross_aisle(1)]);
    for router in [Router::SShape, Router::LargestGap] {
        let err = route(&inner, &picks, 0, router).unwrap_err();
        assert_eq!(err.code(), "invalid_argument");
        assert!(err.to_string().contains("depot"), "{err}");
    }
    assert!(route(&inner, &picks, 0, Router::Optimal).is_ok());
}

/// F4 of the reference, as JSON.
fn f4_args() -> Value {
    json!({
        "layout": {"aisles": 8, "aisle_spacing": 2.5, "block_lengths": [10]},
        "picks": [
            {"aisle": 1, "position": 1.0}, {"aisle": 2, "position": 1.5},
            {"aisle": 4, "position": 0.5}, {"aisle": 5, "position": 2.0},
            {"aisle": 7, "position": 1.0}, {"aisle": 7, "position": 9.5}
        ]
    })
}

#[test]
fn pick_route_through_the_one_definition() {
    let call = |args: Value| calculate(json!({"op": "pick_route", "args": args}));
    // The default router is the optimal one, from depot 0.
    let optimal = call(f4_args()).unwrap();
    assert_eq!(optimal["length"], json!(61.0));
    assert_eq!(optimal["router"], json!("optimal"));
    assert_eq!(optimal["proven_optimal"], json!(true));
    assert_eq!(optimal["order"].as_array().unwrap().len(), 6);
    assert_eq!(optimal["legs"].as_array().unwrap().len(), 7);
    for (router, length) in [("s_shape", 94.0), ("largest_gap", 63.0)] {
        let mut args = f4_args();
        args["router"] = json!(router);
        let answer = call(args).unwrap();
        assert_eq!(answer["length"], json!(length), "{router}");
        assert_eq!(answer["router"], json!(router));
    }
    // The typed answer is the plain function's.
    let layout = Layout::new(8, 2.5, vec![10.0]);
    let picks: Vec<PickLocation> = serde_json::from_value(f4_args()["picks"].clone()).unwrap();
    assert_eq!(
        optimal,
        serde_json::to_value(route(&layout, &picks, 0, Router::Optimal).unwrap()).unwrap()
    );
    // Several blocks and depots.
    let answer = call(json!({
        "layout": {"aisles": 5, "aisle_spacing": 3, "block_lengths": [10, 10],
                   "cross_aisle_width": 2, "depots": [{"aisle": 0}, {"aisle": 4, "cross_aisle": 2}]},
        "picks": [{"block": 1, "aisle": 3, "position": 4}, {"aisle": 1, "position": 9}],
        "depot": 1, "router": "local_search"}))
    .unwrap();
    assert_eq!(answer["order"].as_array().unwrap().len(), 2);

    // Unknown keys are refused, at every level.
    let refused = |args: Value, needle: &str| {
        let err = call(args).unwrap_err();
        assert_eq!(err.code(), "invalid_argument", "{err}");
        assert!(err.to_string().contains(needle), "{needle}: {err}");
    };
    let mut extra = f4_args();
    extra["speed"] = json!(1.0);
    refused(extra, "speed");
    let mut extra = f4_args();
    extra["layout"]["aisle_width"] = json!(1.0);
    refused(extra, "aisle_width");
    let mut extra = f4_args();
    extra["picks"][0]["sku"] = json!("BOLT");
    refused(extra, "sku");
    let mut extra = f4_args();
    extra["layout"]["depots"] = json!([{"aisle": 0, "side": "front"}]);
    refused(extra, "side");
    let mut unknown_router = f4_args();
    unknown_router["router"] = json!("tabu");
    refused(unknown_router, "tabu");
    // And a pick outside the layout, with the caller's field.
    let mut outside = f4_args();
    outside["picks"][5]["position"] = json!(10.5);
    refused(outside, "picks[5].position");
}

/// A random instance: `blocks` blocks, positions on a quarter-unit grid so that ties and
/// aisle ends occur, the depot on an outer cross-aisle unless `inner_depot`.
fn random_instance(rng: &mut Rng, blocks: usize, picks: usize, inner_depot: bool) -> Instance {
    let aisles = 2 + rng.below(9) as u32;
    let lengths: Vec<f64> = (0..blocks).map(|_| (4 + rng.below(17)) as f64).collect();
    let cross_aisle = if inner_depot {
        rng.below(blocks as u64 + 1) as u32
    } else if rng.below(4) == 0 {
        blocks as u32
    } else {
        0
    };
    Instance {
        aisles,
        spacing: (1 + rng.below(8)) as f64 / 2.0,
        cross_width: if rng.below(2) == 0 { 0.0 } else { 1.0 },
        depot: (rng.below(u64::from(aisles)) as u32, cross_aisle),
        picks: (0..picks)
            .map(|_| {
                let b = rng.below(blocks as u64) as usize;
                let y = (rng.unit() * lengths[b] * 4.0).round() / 4.0;
                (b as u32, rng.below(u64::from(aisles)) as u32, y)
            })
            .collect(),
        lengths,
    }
}

/// Gaps to the exact optimum, in per cent: (worst, mean).
struct Gaps(Vec<f64>);

impl Gaps {
    fn add(&mut self, length: f64, optimum: f64) {
        self.0.push(if optimum > 0.0 {
            100.0 * (length - optimum) / optimum
        } else {
            0.0
        });
    }

    fn worst(&self) -> f64 {
        self.0.iter().copied().fold(0.0, f64::max)
    }

    fn mean(&self) -> f64 {
        self.0.iter().sum::<f64>() / self.0.len() as f64
    }
}

/// The local-search router on random 2- and 3-block layouts against the independent exact
/// solver: worst gap ≤ 2 %, mean ≤ 1 %; S-shape and largest gap measured beside it.
#[test]
fn several_blocks_the_local_search_stays_within_two_percent() {
    let mut rng = Rng(16);
    let (mut local, mut s_shape, mut largest_gap) = (Gaps(vec![]), Gaps(vec![]), Gaps(vec![]));
    for case in 0..600 {
        let blocks = 2 + case % 2;
        let picks = 2 + rng.below(9) as usize;
        let inst = random_instance(&mut rng, blocks, picks, false);
        let d = inst.distances();
        let optimum = held_karp(&d);
        let got = inst.route(Router::Optimal);
        check_route(&got, &d);
        assert!(got.length >= optimum - 1e-9, "below the optimum: {inst:?}");
        local.add(got.length, optimum);
        for (router, gaps) in [
            (Router::SShape, &mut s_shape),
            (Router::LargestGap, &mut largest_gap),
        ] {
            let walked = inst.route(router);
            check_route(&walked, &d);
            assert!(got.length <= walked.length + 1e-9, "{router:?}: {inst:?}");
            gaps.add(walked.length, optimum);
        }
    }
    println!(
        "2-3 blocks, 2-10 picks, 600 instances, gap to the optimum: local search worst {:.3} % \
         mean {:.4} %; S-shape worst {:.1} % mean {:.1} %; largest gap worst {:.1} % mean {:.1} %",
        local.worst(),
        local.mean(),
        s_shape.worst(),
        s_shape.mean(),
        largest_gap.worst(),
        largest_gap.mean()
    );
    assert!(local.worst() <= 2.0, "worst gap {} %", local.worst());
    assert!(local.mean() <= 1.0, "mean gap {} %", local.mean());

    // Larger lists, where the exact solver still runs in a test: 12 picks on 2 to 4 blocks,
    // the depot on any cross-aisle.
    let mut larger = Gaps(vec![]);
    for case in 0..90 {
        let inst = random_instance(&mut rng, 2 + case % 3, 12, true);
        let d = inst.distances();
        let got = inst.route(Router::Optimal);
        check_route(&got, &d);
        larger.add(got.length, held_karp(&d));
    }
    println!(
        "2-4 blocks, 12 picks, any depot, 90 instances: local search worst {:.3} % mean {:.4} %",
        larger.worst(),
        larger.mean()
    );
    assert!(larger.worst() <= 2.0, "worst gap {} %", larger.worst());
    assert!(larger.mean() <= 1.0, "mean gap {} %", larger.mean());
}

/// On one block, where the exact router gives the optimum for any size, the local search
/// at 20–60 picks stays within 2 % of it too.
#[test]
fn one_block_the_local_search_stays_within_two_percent_of_the_exact_router() {
    let mut rng = Rng(7);
    let mut gaps = Gaps(vec![]);
    for _ in 0..150 {
        let picks = 20 + rng.below(41) as usize;
        let mut inst = random_instance(&mut rng, 1, picks, false);
        inst.aisles = 5 + rng.below(16) as u32;
        inst.picks = (0..picks)
            .map(|_| {
                let y = (rng.unit() * inst.lengths[0] * 4.0).round() / 4.0;
                (0, rng.below(u64::from(inst.aisles)) as u32, y)
            })
            .collect();
        inst.depot.0 %= inst.aisles;
        let exact = inst.route(Router::Optimal);
        let local = inst.route(Router::LocalSearch);
        assert!(local.length >= exact.length - 1e-9, "{inst:?}");
        gaps.add(local.length, exact.length);
    }
    println!(
        "1 block, 20-60 picks, 150 instances: local search worst {:.3} % mean {:.4} % above \
         the exact router",
        gaps.worst(),
        gaps.mean()
    );
    assert!(gaps.worst() <= 2.0, "worst gap {} %", gaps.worst());
}

/// Random instances for proptest: the raw numbers, mapped into the layout.
fn instances(
    blocks: std::ops::RangeInclusive<usize>,
    picks_max: usize,
) -> impl Strategy<Value = Instance> {
    (
        1u32..=8,
        1u32..=8,
        prop::collection::vec(2u32..=20, blocks),
        any::<bool>(),
        (any::<u32>(), any::<u32>()),
        prop::collection::vec((any::<u32>(), any::<u32>(), 0.0..=1.0f64), 0..=picks_max),
    )
        .prop_map(|(aisles, spacing, lengths, wide, depot, picks)| {
            let lengths: Vec<f64> = lengths.into_iter().map(f64::from).collect();
            let blocks = lengths.len() as u32;
            let picks = picks
                .into_iter()
                .map(|(b, a, y)| {
                    let b = b % blocks;
                    let length = lengths[b as usize];
                    (b, a % aisles, (y * length * 4.0).round() / 4.0)
                })
                .collect();
            Instance {
                aisles,
                spacing: f64::from(spacing) / 2.0,
                cross_width: if wide { 1.5 } else { 0.0 },
                depot: (depot.0 % aisles, depot.1 % (blocks + 1)),
                picks,
                lengths,
            }
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    /// Ratliff–Rosenthal equals the independent exact solver on one block, and every
    /// router's route is a valid tour no shorter than it.
    #[test]
    fn the_exact_router_equals_an_independent_exact_solver(inst in instances(1..=1, 9)) {
        let d = inst.distances();
        let optimum = held_karp(&d);
        let exact = inst.route(Router::Optimal);
        check_route(&exact, &d);
        prop_assert!(exact.proven_optimal);
        prop_assert!(close(exact.length, optimum), "{} vs {optimum}", exact.length);
        for router in [Router::SShape, Router::LargestGap, Router::LocalSearch] {
            let other = inst.route(router);
            check_route(&other, &d);
            prop_assert!(exact.length <= other.length + 1e-9, "{:?} {}", router, other.length);
        }
    }

    /// On several blocks, from any depot (inner cross-aisles included), the local search is
    /// a valid tour within 2 % of the optimum; S-shape and largest gap from an outer depot
    /// are valid tours no shorter than it.
    #[test]
    fn several_blocks_routes_are_valid_and_near_optimal(inst in instances(2..=4, 8)) {
        let d = inst.distances();
        let optimum = held_karp(&d);
        let got = inst.route(Router::Optimal);
        check_route(&got, &d);
        prop_assert!(!got.proven_optimal);
        prop_assert!(got.length >= optimum - 1e-9);
        prop_assert!(got.length <= optimum * 1.02 + 1e-9, "{} vs {optimum}", got.length);
        if inst.depot_outside() {
            for router in [Router::SShape, Router::LargestGap] {
                let walked = inst.route(router);
                check_route(&walked, &d);
                prop_assert!(got.length <= walked.length + 1e-9);
            }
        }
    }
}
