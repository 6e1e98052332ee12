//! The ledger's answer types (balances, filters, points in the past, the integrity
//! report) and the checks its questions share. The handle's read methods that use them
//! live in the engine's API.

use serde::{Deserialize, Serialize};

use super::Ledger;
use crate::error::{EntityKind, Error, Result};
use crate::model::{Qty, Timestamp};
use crate::setters::setters;

/// The most events one `events` or `history` call returns.
pub const PAGE_LEN_MAX: usize = 10_000;

/// One balance: on hand of an item at a location, for one lot.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Balance {
    /// The item.
    pub sku: String,
    /// The location.
    pub location: String,
    /// The lot, for lot-tracked items.
    pub lot: Option<String>,
    /// On hand, at the item's precision.
    pub on_hand: Qty,
}

/// Which balances to list.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct BalanceFilter {
    /// Only this item.
    #[serde(default)]
    pub sku: Option<String>,
    /// Only this location and the locations below it.
    #[serde(default)]
    pub location: Option<String>,
    /// Include virtual locations (supplier, customer, …).
    #[serde(default)]
    pub include_virtual: bool,
}

impl BalanceFilter {
    /// A new `BalanceFilter` with every field at its default.
    #[must_use]
    pub fn new() -> BalanceFilter {
        BalanceFilter {
            sku: None,
            location: None,
            include_virtual: false,
        }
    }
}

setters! {
    BalanceFilter {
        /// Only this item.
        text sku,
        /// Only this location and the locations below it.
        text location,
        /// Include virtual locations (supplier, customer, …).
        set(bool) include_virtual,
    }
}

/// A point in the past: business time or log position.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[serde(rename_all = "snake_case")]
pub enum AsOf {
    /// Every movement effective at or before this instant (ms since the epoch).
    #[schemars(with = "crate::model::InstantSchema")]
    Time(Timestamp),
    /// Every movement recorded at or before this sequence number.
    Seq(u64),
}

pub(crate) fn known(s: Ledger<'_>, sku: &str, location: &str) -> Result<()> {
    if !s.items.contains_key(sku) {
        return Err(Error::not_found(EntityKind::Item, sku));
    }
    if !s.locations.contains_key(location) {
        return Err(Error::not_found(EntityKind::Location, location));
    }
    Ok(())
}

/// What `Stockbook::verify` found.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct IntegrityReport {
    /// Events read from the log.
    pub events: u64,
    /// Index rows checked.
    pub index_rows: u64,
    /// Every disagreement found; empty when the file is sound.
    pub problems: Vec<String>,
}

impl IntegrityReport {
    /// True when nothing is wrong.
    pub fn is_sound(&self) -> bool {
        self.problems.is_empty()
    }
}
