//! PickLocation routes: the order to visit a pick list in over a [`Layout`], from a depot and back.
//!
//! Four routers, chosen by [`Router`]:
//! - S-shape and largest gap, the rules operators walk by (Hall 1993; for several blocks
//!   block by block from the farthest, after Roodbergen & De Koster 2001);
//! - the optimum: exact on one block by Ratliff & Rosenthal's (1983) dynamic programme over
//!   the aisles, on several blocks the local-search router;
//! - local search: 2-opt and or-opt moves over the shortest-path distances between the
//!   picks, from the S-shape, largest-gap and nearest-neighbour tours, the best kept.
//!
//! A route's `legs` are the distances walked between successive stops, the first from the
//! depot and the last back to it; its `length` is their sum.

mod exact;
mod local_search;
mod traversal;

use serde::{Deserialize, Serialize};

use super::layout::{Layout, PickLocation, Point};
use crate::error::{Error, Result};

/// Most picks one route may visit. The local-search router's passes cost the square of the
/// count and its distance matrix the square in memory; a picker's trip is far shorter.
pub const PICKS_MAX: usize = 1_000;

/// How a route is chosen.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize, schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Router {
    /// Every aisle holding picks is walked through end to end, alternately up and down;
    /// where the count would end the walk on the wrong side, the last aisle of the block is
    /// entered and left from the same end. Needs the depot on the front or back
    /// cross-aisle.
    SShape,
    /// In each block the aisles with picks are entered from the back cross-aisle and then
    /// from the front one, each time up to the largest gap between neighbouring picks
    /// (or an aisle end), which is never walked; the block's last aisle is walked through
    /// to the front, and in the farthest block also its first, to reach the back. Needs the
    /// depot on the front or back cross-aisle.
    LargestGap,
    /// The shortest route: exact on a single block (Ratliff–Rosenthal), the local-search
    /// router on several blocks.
    #[default]
    Optimal,
    /// 2-opt and or-opt local search over the shortest-path distances, on any layout.
    LocalSearch,
}

/// A route over a pick list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[non_exhaustive]
pub struct Route {
    /// The router that made it.
    pub router: Router,
    /// The picks in visiting order, as indices into the pick list; each exactly once.
    pub order: Vec<usize>,
    /// Distance walked to each stop of `order` (the first from the depot), then back to the
    /// depot: one more leg than stops.
    pub legs: Vec<f64>,
    /// The route's total length, the sum of its legs.
    pub length: f64,
    /// Whether the length is proven the shortest possible (the exact router on one block).
    pub proven_optimal: bool,
}

/// The route `router` makes over `picks`, starting and ending at the layout's depot number
/// `depot`. Refuses an invalid layout, a depot it does not have, more than [`PICKS_MAX`]
/// picks, a pick outside it, and S-shape or largest gap from a depot on an inner
/// cross-aisle.
pub fn route(
    layout: &Layout,
    picks: &[PickLocation],
    depot: usize,
    router: Router,
) -> Result<Route> {
    layout.validate()?;
    if depot >= layout.depots.len() {
        return Err(Error::invalid_argument(
            "depot",
            format!(
                "is {depot}; the layout has {} depot(s), numbered from 0",
                layout.depots.len()
            ),
        ));
    }
    if picks.len() > PICKS_MAX {
        return Err(Error::limit_exceeded("picks", PICKS_MAX));
    }
    for (i, pick) in picks.iter().enumerate() {
        layout.check_pick(i, pick)?;
    }
    let depot = layout.depots[depot];
    let route = match router {
        Router::SShape => traversal::s_shape(layout, picks, depot)?,
        Router::LargestGap => traversal::largest_gap(layout, picks, depot)?,
        Router::Optimal if layout.blocks() == 1 => exact::optimal(layout, picks, depot),
        Router::Optimal | Router::LocalSearch => local_search::route(layout, picks, depot),
    };
    let route = Route { router, ..route };
    debug_assert!(visits_each_once(&route.order, picks.len()));
    debug_assert_eq!(route.legs.len(), route.order.len() + 1);
    debug_assert!(
        (route.legs.iter().sum::<f64>() - route.length).abs() <= 1e-9 * route.length.max(1.0)
    );
    Ok(route)
}

/// Whether `order` holds each of `0..count` exactly once.
fn visits_each_once(order: &[usize], count: usize) -> bool {
    let mut seen = vec![false; count];
    order.len() == count
        && order
            .iter()
            .all(|&i| i < count && !std::mem::replace(&mut seen[i], true))
}

/// A route from its stops and legs, the length their sum.
fn from_legs(order: Vec<usize>, legs: Vec<f64>, proven_optimal: bool) -> Route {
    let length = legs.iter().sum();
    Route {
        router: Router::Optimal,
        order,
        legs,
        length,
        proven_optimal,
    }
}

/// The depot and the picks as points of the network: the depot first, pick `i` at `i + 1`.
fn stops(layout: &Layout, picks: &[PickLocation], depot: super::Depot) -> Vec<Point> {
    std::iter::once(layout.depot_point(depot))
        .chain(picks.iter().map(|pick| layout.point(pick)))
        .collect()
}
