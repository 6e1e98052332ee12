//! The geometry of a picking area, as the routers see it (Roodbergen & De Koster's
//! multi-block layout): `aisles` parallel aisles, their centre lines `aisle_spacing` apart,
//! cut by cross-aisles into blocks. Cross-aisle 0 is the front; block `b` lies between
//! cross-aisles `b` and `b + 1`; the last cross-aisle is the back. Every cross-aisle runs
//! across every aisle, so a picker changes aisle only along a cross-aisle and changes block
//! only along an aisle.
//!
//! A pick is a point of an aisle: its block, its aisle and its position along the aisle
//! from the block's front end. A depot stands on a cross-aisle, at the head of an aisle.
//! Distances are shortest walks on that network (the reference model of
//! `core/tests/data/pickpath_vectors.json`): within one aisle of one block the difference of
//! the positions, otherwise out of the aisle at one end, along the cross-aisles and aisles,
//! and into the other at one end.

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

/// Most aisles a layout may have.
pub const AISLES_MAX: u32 = 1_000;
/// Most blocks a layout may have.
pub const BLOCKS_MAX: usize = 64;
/// Most depots a layout may have.
pub const DEPOTS_MAX: usize = 64;

/// A picking area: parallel aisles in one or several blocks, the cross-aisles between them
/// and the depots where routes start and end.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct Layout {
    /// Number of aisles, numbered from 0 left to right (1 to 1,000).
    pub aisles: u32,
    /// Distance between the centre lines of two neighbouring aisles (above zero).
    pub aisle_spacing: f64,
    /// Length of the aisles of each block, block 0 (at the front) first: one value per
    /// block, each above zero (at most 64 blocks).
    pub block_lengths: Vec<f64>,
    /// Distance a picker walks to cross a cross-aisle from one block to the next (default
    /// 0: cross-aisles as lines, the reference model).
    #[serde(default)]
    pub cross_aisle_width: f64,
    /// The depots a route may start and end at (default: one, at the front of aisle 0).
    #[serde(default = "Layout::default_depots")]
    pub depots: Vec<Depot>,
}

impl Layout {
    /// A layout of `aisles` aisles `aisle_spacing` apart, one block per entry of
    /// `block_lengths`, cross-aisles without width and one depot at the front of aisle 0.
    #[must_use]
    pub fn new(aisles: u32, aisle_spacing: f64, block_lengths: Vec<f64>) -> Layout {
        Layout {
            aisles,
            aisle_spacing,
            block_lengths,
            cross_aisle_width: 0.0,
            depots: Layout::default_depots(),
        }
    }

    fn default_depots() -> Vec<Depot> {
        vec![Depot::new(0)]
    }

    /// Number of blocks.
    #[must_use]
    pub fn blocks(&self) -> usize {
        self.block_lengths.len()
    }

    /// Refuses a layout without aisles or blocks, with a length, spacing or width that is
    /// not a finite number in range, or with a depot off its cross-aisles.
    pub fn validate(&self) -> Result<()> {
        if self.aisles == 0 {
            return Err(Error::invalid_argument(
                "layout.aisles",
                "is 0: a layout needs at least one aisle",
            ));
        }
        if self.aisles > AISLES_MAX {
            return Err(Error::limit_exceeded("layout.aisles", AISLES_MAX as usize));
        }
        if self.block_lengths.is_empty() {
            return Err(Error::invalid_argument(
                "layout.block_lengths",
                "is empty: a layout needs at least one block",
            ));
        }
        if self.block_lengths.len() > BLOCKS_MAX {
            return Err(Error::limit_exceeded("layout.block_lengths", BLOCKS_MAX));
        }
        positive("layout.aisle_spacing", self.aisle_spacing)?;
        for (b, &length) in self.block_lengths.iter().enumerate() {
            positive(&format!("layout.block_lengths[{b}]"), length)?;
        }
        if !self.cross_aisle_width.is_finite() || self.cross_aisle_width < 0.0 {
            return Err(Error::invalid_argument(
                "layout.cross_aisle_width",
                format!(
                    "must be a finite number not below 0, got {}",
                    self.cross_aisle_width
                ),
            ));
        }
        if self.depots.is_empty() {
            return Err(Error::invalid_argument(
                "layout.depots",
                "is empty: a route starts and ends at a depot",
            ));
        }
        if self.depots.len() > DEPOTS_MAX {
            return Err(Error::limit_exceeded("layout.depots", DEPOTS_MAX));
        }
        for (i, depot) in self.depots.iter().enumerate() {
            if depot.aisle >= self.aisles {
                return Err(Error::invalid_argument(
                    &format!("layout.depots[{i}].aisle"),
                    format!(
                        "is {}; the layout's aisles are 0 to {}",
                        depot.aisle,
                        self.aisles - 1
                    ),
                ));
            }
            if depot.cross_aisle as usize > self.blocks() {
                return Err(Error::invalid_argument(
                    &format!("layout.depots[{i}].cross_aisle"),
                    format!(
                        "is {}; the layout's cross-aisles are 0 (front) to {} (back)",
                        depot.cross_aisle,
                        self.blocks()
                    ),
                ));
            }
        }
        // Sums of lengths must stay finite too, or distances would overflow to infinity.
        let span = self.cross_aisle_y(self.blocks());
        let width = self.aisle_spacing * f64::from(self.aisles);
        if !span.is_finite() || !width.is_finite() || !(span + width).is_finite() {
            return Err(Error::invalid_argument(
                "layout",
                "its total length or width is not a finite number",
            ));
        }
        Ok(())
    }

    /// Refuses a pick outside the layout: a block or aisle it does not have, or a
    /// position that is not a finite number from 0 to the block's aisle length.
    pub fn check_pick(&self, index: usize, pick: &PickLocation) -> Result<()> {
        let block = pick.block as usize;
        if block >= self.blocks() {
            return Err(Error::invalid_argument(
                &format!("picks[{index}].block"),
                format!(
                    "is {}; the layout's blocks are 0 to {}",
                    pick.block,
                    self.blocks() - 1
                ),
            ));
        }
        if pick.aisle >= self.aisles {
            return Err(Error::invalid_argument(
                &format!("picks[{index}].aisle"),
                format!(
                    "is {}; the layout's aisles are 0 to {}",
                    pick.aisle,
                    self.aisles - 1
                ),
            ));
        }
        let length = self.block_lengths[block];
        if !pick.position.is_finite() || pick.position < 0.0 || pick.position > length {
            return Err(Error::invalid_argument(
                &format!("picks[{index}].position"),
                format!(
                    "is {}; positions in block {block} run from 0 to {length}",
                    pick.position
                ),
            ));
        }
        Ok(())
    }

    /// The shortest walking distance between two picks (the layout and the picks valid).
    #[must_use]
    pub fn distance(&self, from: &PickLocation, to: &PickLocation) -> f64 {
        self.point_distance(self.point(from), self.point(to))
    }

    /// Distance from the front cross-aisle's centre line to cross-aisle `k`'s.
    pub(crate) fn cross_aisle_y(&self, k: usize) -> f64 {
        self.block_lengths[..k]
            .iter()
            .map(|length| length + self.cross_aisle_width)
            .sum()
    }

    /// Where a pick is on the network.
    pub(crate) fn point(&self, pick: &PickLocation) -> Point {
        let block = pick.block as usize;
        Point {
            aisle: pick.aisle as usize,
            block,
            y: self.cross_aisle_y(block) + self.cross_aisle_width / 2.0 + pick.position,
        }
    }

    /// Where a depot is on the network: the end of an aisle segment on its cross-aisle.
    pub(crate) fn depot_point(&self, depot: Depot) -> Point {
        let k = depot.cross_aisle as usize;
        Point {
            aisle: depot.aisle as usize,
            block: k.min(self.blocks() - 1),
            y: self.cross_aisle_y(k),
        }
    }

    /// The shortest walk between two points of the network.
    pub(crate) fn point_distance(&self, p: Point, q: Point) -> f64 {
        if p.aisle == q.aisle && p.block == q.block {
            return (p.y - q.y).abs();
        }
        let across = self.aisle_spacing * p.aisle.abs_diff(q.aisle) as f64;
        let (p_ends, q_ends) = (self.segment_ends(p.block), self.segment_ends(q.block));
        let mut best = f64::INFINITY;
        for e in p_ends {
            for f in q_ends {
                let walk = (p.y - e).abs() + across + (e - f).abs() + (f - q.y).abs();
                best = best.min(walk);
            }
        }
        best
    }

    /// The cross-aisles at both ends of a block's aisle segments.
    fn segment_ends(&self, block: usize) -> [f64; 2] {
        [self.cross_aisle_y(block), self.cross_aisle_y(block + 1)]
    }
}

crate::setters::setters! {
    Layout {
        /// Distance a picker walks to cross a cross-aisle from one block to the next
        /// (default 0).
        set(f64) cross_aisle_width,
        /// The depots a route may start and end at (default: one, at the front of aisle 0).
        list(Depot) depots,
    }
}

/// Refuses a value that is not a finite number above zero.
fn positive(field: &str, value: f64) -> Result<()> {
    if value.is_finite() && value > 0.0 {
        Ok(())
    } else {
        Err(Error::invalid_argument(
            field,
            format!("must be a finite number above 0, got {value}"),
        ))
    }
}

/// A depot: where a route starts and ends, on a cross-aisle at the head of an aisle.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct Depot {
    /// The aisle it stands at the head of.
    pub aisle: u32,
    /// The cross-aisle it stands on: 0 the front (the default), the number of blocks the
    /// back.
    #[serde(default)]
    pub cross_aisle: u32,
}

impl Depot {
    /// A depot at the front of `aisle`.
    #[must_use]
    pub fn new(aisle: u32) -> Depot {
        Depot {
            aisle,
            cross_aisle: 0,
        }
    }
}

crate::setters::setters! {
    Depot {
        /// The cross-aisle it stands on: 0 the front (the default), the number of blocks
        /// the back.
        set(u32) cross_aisle,
    }
}

/// A pick location: a point of an aisle.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct PickLocation {
    /// The block (default 0, the front block).
    #[serde(default)]
    pub block: u32,
    /// The aisle.
    pub aisle: u32,
    /// The distance along the aisle from the block's front end, 0 to the block's length.
    pub position: f64,
}

impl PickLocation {
    /// A pick in block 0, `position` along `aisle`.
    #[must_use]
    pub fn new(aisle: u32, position: f64) -> PickLocation {
        PickLocation {
            block: 0,
            aisle,
            position,
        }
    }
}

crate::setters::setters! {
    PickLocation {
        /// The block (default 0, the front block).
        set(u32) block,
    }
}

/// A point of the network: an aisle segment (aisle, block) and the distance from the front
/// cross-aisle's centre line.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Point {
    pub(crate) aisle: usize,
    pub(crate) block: usize,
    pub(crate) y: f64,
}
