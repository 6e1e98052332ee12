//! The warehouse: space, putaway, picking and its routes. This first part is stateless: the
//! geometry of a picking area ([`Layout`]: parallel aisles in one or several blocks,
//! cross-aisles, depots) and the routers that order a pick list over it ([`route`]: S-shape,
//! largest gap, the optimum — exact for one block — and a local-search router for several).
//!
//! It imports only from [`crate::error`]; the commands that will use it (putaway, waves,
//! pick lists) sit above it.

pub mod layout;
pub mod routing;

pub use layout::{Depot, Layout, PickLocation};
pub use routing::{Route, Router, route};
