//! The shortest route on a single block, by Ratliff & Rosenthal's (1983) dynamic programme.
//!
//! A route is a connected multigraph over the aisle ends and the picks whose every vertex
//! has an even degree (then an Euler tour walks it). Left to right, each aisle adds one of
//! six edge sets inside it and each gap between aisles 0, 1 or 2 copies of the front and of
//! the back cross-aisle segment; Ratliff & Rosenthal show that an optimal route is among
//! those. What the choices so far leave for the ones to come is summed up by the frontier
//! (the current aisle's front and back end): the degree class of each (none, odd, even) and
//! whether they are joined, plus the state "closed" (finished, nothing may be added). The
//! programme keeps the cheapest partial route of each state, O(aisles) in all.
//!
//! The depot counts as a pick at its aisle end. The route is rebuilt from the choices, and
//! its visiting order read off an Euler tour of it from the depot.

use super::{Route, from_legs};
use crate::warehouse::layout::{Depot, Layout, PickLocation};

/// Degree class of a frontier vertex: no edge yet.
const NONE: u8 = 0;
/// Degree class of a frontier vertex: an odd number of edges.
const ODD: u8 = 1;
/// Degree class of a frontier vertex: an even number of edges, above zero.
const EVEN: u8 = 2;

/// What the partial route left of the frontier leaves for the rest.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct State {
    /// Degree class of the front end.
    front: u8,
    /// Degree class of the back end.
    back: u8,
    /// Both ends have edges and lie in one component.
    joined: bool,
    /// A finished route lies to the left: nothing more may be added.
    closed: bool,
}

const STATES: usize = 36;

impl State {
    const EMPTY: State = State {
        front: NONE,
        back: NONE,
        joined: false,
        closed: false,
    };

    fn index(self) -> usize {
        (usize::from(self.front) * 3 + usize::from(self.back)) * 4
            + usize::from(self.joined) * 2
            + usize::from(self.closed)
    }

    /// A complete route: one component, every degree even.
    fn is_final(self) -> bool {
        self.closed
            || (self.front != ODD
                && self.back != ODD
                && (self.front != NONE || self.back != NONE)
                && (self.joined || self.front == NONE || self.back == NONE))
    }

    /// After `edges` more edges at a vertex of class `class`.
    fn add(class: u8, edges: u8) -> u8 {
        if edges == 0 {
            class
        } else if (u8::from(class == ODD) + edges) % 2 == 1 {
            ODD
        } else {
            EVEN
        }
    }

    /// After the edge set `choice` inside the frontier's aisle.
    fn inside(self, choice: Inside) -> Option<State> {
        if self.closed {
            return (choice == Inside::Nothing).then_some(self);
        }
        let (at_front, at_back, joins) = choice.effect();
        let front = State::add(self.front, at_front);
        let back = State::add(self.back, at_back);
        let was_joined = self.front != NONE && self.back != NONE && self.joined;
        Some(State {
            front,
            back,
            joined: front != NONE && back != NONE && (joins || was_joined),
            closed: false,
        })
    }

    /// After `front` copies of the front cross-aisle segment to the next aisle and `back`
    /// of the back one: the frontier moves to the next aisle.
    fn across(self, front: u8, back: u8) -> Option<State> {
        if self.closed {
            return (front == 0 && back == 0).then_some(self);
        }
        // The ends left behind never get another edge: their degree must end even.
        if (u8::from(self.front == ODD) + front) % 2 == 1
            || (u8::from(self.back == ODD) + back) % 2 == 1
        {
            return None;
        }
        // Components by label: the old ends' (0, and 1 unless joined), new ones 2 and 3.
        let old_front = (self.front != NONE).then_some(0);
        let old_back =
            (self.back != NONE).then_some(u8::from(!(old_front.is_some() && self.joined)));
        let new_front = (front > 0).then(|| old_front.unwrap_or(2));
        let new_back = (back > 0).then(|| old_back.unwrap_or(3));
        let old: Vec<u8> = [old_front, old_back].into_iter().flatten().collect();
        if front == 0 && back == 0 {
            return match old.len() {
                0 => Some(State::EMPTY),
                // One component, cut from the rest: the route is finished.
                1 | 2 if old.iter().all(|&l| l == old[0]) => Some(State {
                    closed: true,
                    ..State::EMPTY
                }),
                _ => None,
            };
        }
        // A component that reaches neither new end could never join the others.
        if !old
            .iter()
            .all(|&l| Some(l) == new_front || Some(l) == new_back)
        {
            return None;
        }
        let class = |copies: u8| match copies {
            0 => NONE,
            1 => ODD,
            _ => EVEN,
        };
        Some(State {
            front: class(front),
            back: class(back),
            joined: new_front.is_some() && new_front == new_back,
            closed: false,
        })
    }
}

/// The edge sets inside one aisle.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Inside {
    /// No edge (an aisle without picks).
    Nothing,
    /// Walked through once, end to end.
    Through,
    /// Walked through twice.
    Twice,
    /// From the front to the deepest pick and back.
    FromFront,
    /// From the back to the nearest pick and back.
    FromBack,
    /// From both ends, up to the largest gap between two picks.
    Gap,
}

impl Inside {
    const ALL: [Inside; 6] = [
        Inside::Nothing,
        Inside::Through,
        Inside::Twice,
        Inside::FromFront,
        Inside::FromBack,
        Inside::Gap,
    ];

    /// Edges added at the front end, at the back end, and whether it joins the two.
    fn effect(self) -> (u8, u8, bool) {
        match self {
            Inside::Nothing => (0, 0, false),
            Inside::Through => (1, 1, true),
            Inside::Twice => (2, 2, true),
            Inside::FromFront => (2, 0, false),
            Inside::FromBack => (0, 2, false),
            Inside::Gap => (2, 2, false),
        }
    }
}

/// One aisle's chain: its front end, its stops by position, its back end.
struct Aisle {
    /// Positions of the chain's vertices: front end, stops, back end.
    positions: Vec<f64>,
    /// The stops: pick indices, the depot as `picks.len()`.
    stops: Vec<usize>,
    /// The longest segment between two stops (for [`Inside::Gap`]).
    gap: Option<usize>,
}

impl Aisle {
    fn segment(&self, s: usize) -> f64 {
        self.positions[s + 1] - self.positions[s]
    }

    fn segments(&self) -> usize {
        self.positions.len() - 1
    }

    /// The cost of `choice`, `None` if it cannot serve this aisle's stops.
    fn cost(&self, choice: Inside) -> Option<f64> {
        let stops = self.stops.len();
        let length = self.positions[self.segments()] - self.positions[0];
        match choice {
            Inside::Nothing => (stops == 0).then_some(0.0),
            Inside::Through => Some(length),
            Inside::Twice => Some(2.0 * length),
            Inside::FromFront if stops > 0 => Some(2.0 * (length - self.segment(stops))),
            Inside::FromBack if stops > 0 => Some(2.0 * (length - self.segment(0))),
            Inside::Gap => self.gap.map(|g| 2.0 * (length - self.segment(g))),
            Inside::FromFront | Inside::FromBack => None,
        }
    }

    /// Copies of each segment that `choice` walks.
    fn copies(&self, choice: Inside, s: usize) -> usize {
        let skipped = match choice {
            Inside::Nothing => return 0,
            Inside::Through => return 1,
            Inside::Twice => return 2,
            Inside::FromFront => self.stops.len(),
            Inside::FromBack => 0,
            Inside::Gap => self.gap.expect("a gap choice has a gap"),
        };
        if s == skipped { 0 } else { 2 }
    }
}

/// The shortest route over `picks` from `depot` on a single-block layout.
pub(super) fn optimal(layout: &Layout, picks: &[PickLocation], depot: Depot) -> Route {
    debug_assert_eq!(layout.blocks(), 1);
    let depot_point = layout.depot_point(depot);
    let points: Vec<_> = picks.iter().map(|p| layout.point(p)).collect();
    let first = points
        .iter()
        .map(|p| p.aisle)
        .chain([depot_point.aisle])
        .min()
        .expect("the depot is there");
    let last = points
        .iter()
        .map(|p| p.aisle)
        .chain([depot_point.aisle])
        .max()
        .expect("the depot is there");
    let (front, back) = (layout.cross_aisle_y(0), layout.cross_aisle_y(1));
    let mut aisles: Vec<Aisle> = (first..=last)
        .map(|_| Aisle {
            positions: Vec::new(),
            stops: Vec::new(),
            gap: None,
        })
        .collect();
    let located = points
        .iter()
        .enumerate()
        .map(|(i, p)| (i, *p))
        .chain([(picks.len(), depot_point)]);
    let mut by_aisle: Vec<Vec<(f64, usize)>> = vec![Vec::new(); aisles.len()];
    for (stop, p) in located {
        by_aisle[p.aisle - first].push((p.y, stop));
    }
    for (aisle, mut stops) in aisles.iter_mut().zip(by_aisle) {
        stops.sort_by(|x, y| x.0.total_cmp(&y.0));
        aisle.positions = std::iter::once(front)
            .chain(stops.iter().map(|s| s.0))
            .chain([back])
            .collect();
        aisle.stops = stops.into_iter().map(|s| s.1).collect();
        aisle.gap =
            (1..aisle.stops.len()).max_by(|&s, &t| aisle.segment(s).total_cmp(&aisle.segment(t)));
    }

    // The programme: `inside[j]` after aisle j's own edges, `across[j]` after the cross
    // segments into aisle j; each entry the cost and how it was reached.
    let n = aisles.len();
    let spacing = layout.aisle_spacing;
    let mut across = vec![[(f64::INFINITY, 0usize, 0u8, 0u8); STATES]; n];
    let mut inside = vec![[(f64::INFINITY, 0usize, Inside::Nothing); STATES]; n];
    let mut states: Vec<Option<State>> = vec![None; STATES];
    states[State::EMPTY.index()] = Some(State::EMPTY);
    across[0][State::EMPTY.index()].0 = 0.0;
    for j in 0..n {
        for s in 0..STATES {
            let (cost, ..) = across[j][s];
            let Some(state) = states[s].filter(|_| cost.is_finite()) else {
                continue;
            };
            for choice in Inside::ALL {
                let (Some(extra), Some(next)) = (aisles[j].cost(choice), state.inside(choice))
                else {
                    continue;
                };
                let t = next.index();
                states[t] = Some(next);
                if cost + extra < inside[j][t].0 {
                    inside[j][t] = (cost + extra, s, choice);
                }
            }
        }
        if j + 1 == n {
            break;
        }
        for s in 0..STATES {
            let (cost, ..) = inside[j][s];
            let Some(state) = states[s].filter(|_| cost.is_finite()) else {
                continue;
            };
            for front_copies in 0..=2u8 {
                for back_copies in 0..=2u8 {
                    let Some(next) = state.across(front_copies, back_copies) else {
                        continue;
                    };
                    let t = next.index();
                    states[t] = Some(next);
                    let total = cost + f64::from(front_copies + back_copies) * spacing;
                    if total < across[j + 1][t].0 {
                        across[j + 1][t] = (total, s, front_copies, back_copies);
                    }
                }
            }
        }
    }
    let end = (0..STATES)
        .filter(|&s| states[s].is_some_and(State::is_final) && inside[n - 1][s].0.is_finite())
        .min_by(|&s, &t| inside[n - 1][s].0.total_cmp(&inside[n - 1][t].0))
        .expect("walking every aisle through twice is always a route");
    let length = inside[n - 1][end].0;

    // Back through the choices, to the route's edges.
    let mut edges = Edges::new(2 * n + picks.len() + 1);
    let mut s = end;
    for j in (0..n).rev() {
        let (_, before, choice) = inside[j][s];
        let aisle = &aisles[j];
        let chain: Vec<usize> = std::iter::once(2 * j)
            .chain(aisle.stops.iter().map(|&stop| 2 * n + stop))
            .chain([2 * j + 1])
            .collect();
        for seg in 0..aisle.segments() {
            for _ in 0..aisle.copies(choice, seg) {
                edges.add(chain[seg], chain[seg + 1], aisle.segment(seg));
            }
        }
        s = before;
        if j > 0 {
            let (_, before, front_copies, back_copies) = across[j][s];
            for _ in 0..front_copies {
                edges.add(2 * (j - 1), 2 * j, spacing);
            }
            for _ in 0..back_copies {
                edges.add(2 * (j - 1) + 1, 2 * j + 1, spacing);
            }
            s = before;
        }
    }
    let route = edges.walk(2 * n + picks.len(), 2 * n, picks.len());
    debug_assert!((route.length - length).abs() <= 1e-9 * length.max(1.0));
    route
}

/// The route's multigraph.
struct Edges {
    /// Each edge's ends and length.
    ends: Vec<(usize, usize, f64)>,
    /// Edge numbers at each vertex.
    at: Vec<Vec<usize>>,
}

impl Edges {
    fn new(vertices: usize) -> Edges {
        Edges {
            ends: Vec::new(),
            at: vec![Vec::new(); vertices],
        }
    }

    fn add(&mut self, u: usize, v: usize, length: f64) {
        let e = self.ends.len();
        self.ends.push((u, v, length));
        self.at[u].push(e);
        self.at[v].push(e);
    }

    /// An Euler tour from `start` (Hierholzer), the picks (vertices `first_pick..` below
    /// `first_pick + picks`) in the order it first reaches them, and the legs between.
    fn walk(&self, start: usize, first_pick: usize, picks: usize) -> Route {
        let mut used = vec![false; self.ends.len()];
        let mut next = vec![0usize; self.at.len()];
        let mut stack: Vec<(usize, f64)> = vec![(start, 0.0)];
        let mut tour: Vec<(usize, f64)> = Vec::with_capacity(self.ends.len() + 1);
        while let Some(&(v, _)) = stack.last() {
            while next[v] < self.at[v].len() && used[self.at[v][next[v]]] {
                next[v] += 1;
            }
            if let Some(&e) = self.at[v].get(next[v]) {
                used[e] = true;
                let (a, b, length) = self.ends[e];
                stack.push((if a == v { b } else { a }, length));
            } else {
                tour.push(stack.pop().expect("not empty"));
            }
        }
        debug_assert!(used.iter().all(|&u| u), "the route is connected");
        // `tour` is the circuit in the order the vertices left the stack, each with the
        // length of the edge that first reached it; the step between neighbours in
        // `tour` is that edge of the earlier one, so reversed, of the later one.
        tour.reverse();
        let mut seen = vec![false; picks];
        let (mut order, mut legs) = (Vec::with_capacity(picks), Vec::with_capacity(picks + 1));
        let mut walked = 0.0;
        for pair in tour.windows(2) {
            let (v, length) = pair[1];
            walked += length;
            if let Some(pick) = v.checked_sub(first_pick).filter(|&p| p < picks)
                && !std::mem::replace(&mut seen[pick], true)
            {
                order.push(pick);
                legs.push(std::mem::take(&mut walked));
            }
        }
        legs.push(walked);
        from_legs(order, legs, true)
    }
}
