//! The router for any layout, several blocks included: local search over the shortest-path
//! distances between the stops. Three tours start it — the S-shape and largest-gap orders
//! (when the depot is on an outer cross-aisle) and nearest neighbour — and each is improved
//! by 2-opt (reverse a stretch) and or-opt (move a run of up to three stops elsewhere, either
//! way round) until no move shortens it; the shortest is then kicked and improved again
//! (iterated local search), a hundred times at most. The legs are the distances
//! between successive stops, walked along the shortest paths.

use super::{Route, from_legs, stops, traversal};
use crate::warehouse::layout::{Depot, Layout, PickLocation};

/// Longest run of stops or-opt moves at once.
const RUN_MAX: usize = 3;

/// Most kicks of the iterated local search (reached up to 100 stops).
const KICKS_MAX: usize = 100;

/// Kicks × stops: above 100 stops the kicks thin out, each descent costing more.
const KICKS_WORK: usize = 10_000;

/// The local-search route over `picks` from `depot`.
pub(super) fn route(layout: &Layout, picks: &[PickLocation], depot: Depot) -> Route {
    let points = stops(layout, picks, depot);
    let n = points.len();
    let distances = Distances {
        n,
        d: points
            .iter()
            .flat_map(|&p| points.iter().map(move |&q| (p, q)))
            .map(|(p, q)| layout.point_distance(p, q))
            .collect(),
    };
    let as_tour = |route: Route| -> Vec<usize> {
        std::iter::once(0)
            .chain(route.order.iter().map(|&i| i + 1))
            .collect()
    };
    let mut starts = vec![nearest_neighbour(&distances)];
    starts.extend(traversal::s_shape(layout, picks, depot).ok().map(as_tour));
    starts.extend(
        traversal::largest_gap(layout, picks, depot)
            .ok()
            .map(as_tour),
    );
    let (mut best_length, mut best) = starts
        .into_iter()
        .map(|mut tour| {
            improve(&mut tour, &distances);
            (distances.length(&tour), tour)
        })
        .min_by(|a, b| a.0.total_cmp(&b.0))
        .expect("nearest neighbour always gives a tour");
    // Iterated local search: kick the best tour (a double bridge, which 2-opt and or-opt
    // cannot undo in one move), descend again, keep what is shorter. Deterministic: the
    // kicks come from a fixed seed, so a pick list always gets the same route.
    let mut random = SplitMix(0x5EED_0016);
    let epsilon = distances.epsilon();
    if n >= 4 {
        for _ in 0..(KICKS_WORK / n).min(KICKS_MAX) {
            let mut tour = best.clone();
            double_bridge(&mut tour, &mut random);
            improve(&mut tour, &distances);
            let length = distances.length(&tour);
            if length < best_length - epsilon {
                (best_length, best) = (length, tour);
            }
        }
    }
    let legs = (0..n).map(|i| distances.get(best[i], best[(i + 1) % n]));
    let order = best[1..].iter().map(|&stop| stop - 1).collect();
    from_legs(order, legs.collect(), false)
}

/// The distances between the stops, row by row; stop 0 is the depot.
struct Distances {
    n: usize,
    d: Vec<f64>,
}

impl Distances {
    fn get(&self, i: usize, j: usize) -> f64 {
        self.d[i * self.n + j]
    }

    fn length(&self, tour: &[usize]) -> f64 {
        (0..tour.len())
            .map(|i| self.get(tour[i], tour[(i + 1) % tour.len()]))
            .sum()
    }

    /// A change smaller than this is rounding, not an improvement (it keeps the search from
    /// cycling on ties).
    fn epsilon(&self) -> f64 {
        1e-9 * self.d.iter().copied().fold(1.0, f64::max)
    }
}

/// From the depot, always to the nearest stop not yet visited.
fn nearest_neighbour(d: &Distances) -> Vec<usize> {
    let mut tour = vec![0];
    let mut left: Vec<usize> = (1..d.n).collect();
    while !left.is_empty() {
        let at = tour[tour.len() - 1];
        let nearest = (0..left.len())
            .min_by(|&i, &j| d.get(at, left[i]).total_cmp(&d.get(at, left[j])))
            .expect("not empty");
        tour.push(left.swap_remove(nearest));
    }
    tour
}

/// 2-opt and or-opt until neither shortens the tour; the depot stays first.
fn improve(tour: &mut Vec<usize>, d: &Distances) {
    let epsilon = d.epsilon();
    while two_opt(tour, d, epsilon) | or_opt(tour, d, epsilon) {}
}

/// One sweep of 2-opt moves (each applied when found); whether any was.
fn two_opt(tour: &mut [usize], dist: &Distances, epsilon: f64) -> bool {
    let n = tour.len();
    let mut improved = false;
    for i in 0..n.saturating_sub(2) {
        for j in i + 2..n {
            // Edges (from, to) and (last, after) become (from, last) and (to, after).
            let (from, to) = (tour[i], tour[i + 1]);
            let (last, after) = (tour[j], tour[(j + 1) % n]);
            if after == from {
                continue;
            }
            let gain = dist.get(from, to) + dist.get(last, after)
                - dist.get(from, last)
                - dist.get(to, after);
            if gain > epsilon {
                tour[i + 1..=j].reverse();
                improved = true;
            }
        }
    }
    improved
}

/// One sweep of or-opt moves (each applied when found); whether any was.
fn or_opt(tour: &mut Vec<usize>, dist: &Distances, epsilon: f64) -> bool {
    let n = tour.len();
    let mut improved = false;
    for run in 1..=RUN_MAX.min(n.saturating_sub(2)) {
        let mut i = 1;
        while i + run <= n {
            let (prev, first) = (tour[i - 1], tour[i]);
            let (last, next) = (tour[i + run - 1], tour[(i + run) % n]);
            let saved = dist.get(prev, first) + dist.get(last, next) - dist.get(prev, next);
            let mut best: Option<(f64, usize, bool)> = None;
            for k in 0..n {
                // The edge (tour[k], tour[k + 1]) must lie outside the run and its ends.
                if (i - 1..i + run).contains(&k) {
                    continue;
                }
                let (u, v) = (tour[k], tour[(k + 1) % n]);
                let forward = dist.get(u, first) + dist.get(last, v) - dist.get(u, v);
                let reversed = dist.get(u, last) + dist.get(first, v) - dist.get(u, v);
                let (added, flip) = if reversed < forward {
                    (reversed, true)
                } else {
                    (forward, false)
                };
                if saved - added > epsilon && best.is_none_or(|b| added < b.0) {
                    best = Some((added, k, flip));
                }
            }
            if let Some((_, k, flip)) = best {
                let mut moved: Vec<usize> = tour.drain(i..i + run).collect();
                if flip {
                    moved.reverse();
                }
                let at = if k < i { k + 1 } else { k + 1 - run };
                tour.splice(at..at, moved);
                improved = true;
            }
            i += 1;
        }
    }
    debug_assert_eq!(tour[0], 0, "the depot stays first");
    improved
}

/// Swaps two neighbouring stretches of the tour after the depot: A B C D becomes A C B D.
fn double_bridge(tour: &mut [usize], random: &mut SplitMix) {
    let n = tour.len();
    debug_assert!(n >= 4);
    // Cuts from 1 (after the depot) to n (D empty: the last stop moves too).
    let mut cuts = [0usize; 3];
    for cut in &mut cuts {
        *cut = 1 + random.below(n);
    }
    cuts.sort_unstable();
    let [first, second, third] = cuts;
    tour[first..third].rotate_left(second - first);
}

/// A small deterministic generator (SplitMix64) for the kicks.
struct SplitMix(u64);

impl SplitMix {
    fn below(&mut self, n: usize) -> usize {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        ((z ^ (z >> 31)) % n as u64) as usize
    }
}
