//! The routing rules operators walk by, S-shape and largest gap (Hall 1993), and their
//! multi-block form (after Roodbergen & De Koster 2001): from the depot to the nearer outer
//! aisle holding picks, up it to the farthest block with picks, then block by block towards
//! the front, each block left by its front cross-aisle.
//!
//! Both are walked by a [`Walker`] that moves only along aisles and cross-aisles and stops
//! at each pick it passes, so a route's legs are what the picker walks. A depot on the back
//! cross-aisle is served by mirroring the layout (the back becomes the front).

use super::{Route, from_legs};
use crate::error::{Error, Result};
use crate::warehouse::layout::{Depot, Layout, PickLocation, Point};

/// The S-shape route.
pub(super) fn s_shape(layout: &Layout, picks: &[PickLocation], depot: Depot) -> Result<Route> {
    let (layout, picks, depot) = from_the_front(layout, picks, depot)?;
    let mut w = Walker::new(&layout, &picks);
    let Some(far) = w.enter(depot) else {
        return Ok(w.finish());
    };
    for b in (0..=far).rev() {
        let (front, back) = (layout.cross_aisle_y(b), layout.cross_aisle_y(b + 1));
        // The farthest block is entered at its front, every other at its back; all are left
        // at their front. A walk-through changes side, so their count's parity is set.
        let mut at_front = b == far;
        let mut aisles = w.aisles_with_picks(b);
        if aisles.is_empty() {
            if !at_front {
                w.along_aisle(front);
            }
            continue;
        }
        w.orient(&mut aisles);
        let even_needed = at_front;
        let through = if (aisles.len().is_multiple_of(2)) == even_needed {
            aisles.len()
        } else {
            aisles.len() - 1
        };
        for &a in &aisles[..through] {
            w.along_cross(a);
            w.along_aisle(if at_front { back } else { front });
            at_front = !at_front;
        }
        debug_assert!(at_front);
        if through < aisles.len() {
            let a = aisles[aisles.len() - 1];
            w.along_cross(a);
            let deepest = w.unvisited(b, a).last().unwrap_or(front);
            w.along_aisle(deepest);
            w.along_aisle(front);
        }
    }
    w.along_cross(depot.aisle as usize);
    Ok(w.finish())
}

/// The largest-gap route.
pub(super) fn largest_gap(layout: &Layout, picks: &[PickLocation], depot: Depot) -> Result<Route> {
    let (layout, picks, depot) = from_the_front(layout, picks, depot)?;
    let mut w = Walker::new(&layout, &picks);
    let Some(far) = w.enter(depot) else {
        return Ok(w.finish());
    };
    for b in (0..=far).rev() {
        let (front, back) = (layout.cross_aisle_y(b), layout.cross_aisle_y(b + 1));
        let at_front = b == far;
        let mut aisles = w.aisles_with_picks(b);
        if aisles.is_empty() {
            if !at_front {
                w.along_aisle(front);
            }
            continue;
        }
        w.orient(&mut aisles);
        if at_front && aisles.len() == 1 {
            // One aisle, entered and left at the front: up to its deepest pick and back.
            w.along_cross(aisles[0]);
            let deepest = w.unvisited(b, aisles[0]).last().unwrap_or(front);
            w.along_aisle(deepest);
            w.along_aisle(front);
            continue;
        }
        let rest = if at_front {
            w.along_cross(aisles[0]);
            w.along_aisle(back);
            &aisles[1..]
        } else {
            &aisles[..]
        };
        let Some((&last, middle)) = rest.split_last() else {
            continue;
        };
        for &a in middle {
            w.along_cross(a);
            if let Some(lowest) = w.back_part_lowest(b, a, front, back) {
                w.along_aisle(lowest);
                w.along_aisle(back);
            }
        }
        w.along_cross(last);
        w.along_aisle(front);
        for &a in middle.iter().rev() {
            w.along_cross(a);
            if let Some(highest) = w.unvisited(b, a).last() {
                w.along_aisle(highest);
                w.along_aisle(front);
            }
        }
    }
    w.along_cross(depot.aisle as usize);
    Ok(w.finish())
}

/// The layout, picks and depot seen with the depot on the front cross-aisle: as given, or
/// mirrored front to back for a depot at the back. Distances are unchanged by the mirror.
fn from_the_front(
    layout: &Layout,
    picks: &[PickLocation],
    depot: Depot,
) -> Result<(Layout, Vec<PickLocation>, Depot)> {
    let blocks = layout.blocks();
    if depot.cross_aisle == 0 {
        return Ok((layout.clone(), picks.to_vec(), depot));
    }
    if depot.cross_aisle as usize != blocks {
        return Err(Error::invalid_argument(
            "depot",
            "S-shape and largest gap start from a depot on the front or the back cross-aisle; \
             use the optimal or local-search router from an inner cross-aisle",
        ));
    }
    let mut mirrored = layout.clone();
    mirrored.block_lengths.reverse();
    let picks = picks
        .iter()
        .map(|pick| {
            let block = pick.block as usize;
            PickLocation {
                block: u32::try_from(blocks - 1 - block).expect("blocks are few"),
                aisle: pick.aisle,
                position: layout.block_lengths[block] - pick.position,
            }
        })
        .collect();
    Ok((mirrored, picks, Depot::new(depot.aisle)))
}

/// A picker walking the network from the depot, stopping at every pick it passes.
struct Walker<'a> {
    layout: &'a Layout,
    points: Vec<Point>,
    /// PickLocation indices of each aisle, by distance from the front.
    by_aisle: Vec<Vec<usize>>,
    visited: Vec<bool>,
    aisle: usize,
    y: f64,
    /// Walked since the last stop.
    walked: f64,
    order: Vec<usize>,
    legs: Vec<f64>,
}

impl<'a> Walker<'a> {
    /// At a depot on the front cross-aisle (set by [`Walker::enter`]).
    fn new(layout: &'a Layout, picks: &[PickLocation]) -> Walker<'a> {
        let points: Vec<Point> = picks.iter().map(|pick| layout.point(pick)).collect();
        let mut by_aisle = vec![Vec::new(); layout.aisles as usize];
        for (i, p) in points.iter().enumerate() {
            by_aisle[p.aisle].push(i);
        }
        for list in &mut by_aisle {
            list.sort_by(|&i, &j| points[i].y.total_cmp(&points[j].y));
        }
        Walker {
            layout,
            visited: vec![false; points.len()],
            points,
            by_aisle,
            aisle: 0,
            y: 0.0,
            walked: 0.0,
            order: Vec::new(),
            legs: Vec::new(),
        }
    }

    /// From the depot to the outer aisle holding picks nearer to it, and up that aisle to
    /// the front of the farthest block with picks, which it answers (`None` without picks).
    fn enter(&mut self, depot: Depot) -> Option<usize> {
        self.aisle = depot.aisle as usize;
        self.y = 0.0;
        let far = self.points.iter().map(|p| p.block).max()?;
        let left = self.points.iter().map(|p| p.aisle).min()?;
        let right = self.points.iter().map(|p| p.aisle).max()?;
        let entry = if self.aisle.abs_diff(left) <= right.abs_diff(self.aisle) {
            left
        } else {
            right
        };
        self.along_cross(entry);
        if far > 0 {
            self.along_aisle(self.layout.cross_aisle_y(far));
        }
        Some(far)
    }

    /// Along the cross-aisle the picker is on, to the head of `aisle`.
    fn along_cross(&mut self, aisle: usize) {
        self.walked += self.layout.aisle_spacing * self.aisle.abs_diff(aisle) as f64;
        self.aisle = aisle;
    }

    /// Along the current aisle to `target`, stopping at every unvisited pick on the way.
    fn along_aisle(&mut self, target: f64) {
        let (low, high) = (self.y.min(target), self.y.max(target));
        let mut on_the_way: Vec<usize> = self.by_aisle[self.aisle]
            .iter()
            .copied()
            .filter(|&i| !self.visited[i] && (low..=high).contains(&self.points[i].y))
            .collect();
        if target < self.y {
            on_the_way.reverse();
        }
        for i in on_the_way {
            self.walked += (self.points[i].y - self.y).abs();
            self.y = self.points[i].y;
            self.visited[i] = true;
            self.order.push(i);
            self.legs.push(std::mem::take(&mut self.walked));
        }
        self.walked += (target - self.y).abs();
        self.y = target;
    }

    /// The aisles holding unvisited picks of `block`, left to right.
    fn aisles_with_picks(&self, block: usize) -> Vec<usize> {
        (0..self.by_aisle.len())
            .filter(|&a| self.unvisited(block, a).next().is_some())
            .collect()
    }

    /// Reverses `aisles` when its last is nearer than its first, to sweep from the near end.
    fn orient(&self, aisles: &mut [usize]) {
        if let (Some(&first), Some(&last)) = (aisles.first(), aisles.last())
            && self.aisle.abs_diff(last) < self.aisle.abs_diff(first)
        {
            aisles.reverse();
        }
    }

    /// Where the unvisited picks of `aisle` in `block` are, front first.
    fn unvisited(&self, block: usize, aisle: usize) -> impl Iterator<Item = f64> + '_ {
        self.by_aisle[aisle]
            .iter()
            .filter(move |&&i| !self.visited[i] && self.points[i].block == block)
            .map(|&i| self.points[i].y)
    }

    /// The lowest pick above the largest gap of `aisle` in `block` (the gaps counted from
    /// the front end, between picks, and to the back end), reached from the back; `None`
    /// when the largest gap is at the back, all picks being reached from the front.
    fn back_part_lowest(&self, block: usize, aisle: usize, front: f64, back: f64) -> Option<f64> {
        let ys: Vec<f64> = self.unvisited(block, aisle).collect();
        let (&first, &last) = (ys.first()?, ys.last()?);
        let mut largest = (first - front, Some(first));
        for pair in ys.windows(2) {
            if pair[1] - pair[0] > largest.0 {
                largest = (pair[1] - pair[0], Some(pair[1]));
            }
        }
        if back - last > largest.0 {
            largest = (back - last, None);
        }
        largest.1
    }

    /// The route walked, with the leg back to the depot.
    fn finish(mut self) -> Route {
        self.legs.push(self.walked);
        from_legs(self.order, self.legs, false)
    }
}
