//! How stock is chosen: the strategy that picks bins and lots, and the policy that shares
//! short stock among competing orders. Plain values that commands carry and the store
//! keeps; the allocation that follows them lives in the ledger.

use serde::{Deserialize, Serialize};

/// Which stock to take first.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[serde(rename_all = "snake_case")]
pub enum Strategy {
    /// First in, first out: the oldest receipt first.
    #[default]
    Fifo,
    /// First expired, first out: the earliest expiry first, skipping lots with less than
    /// `min_remaining_days` of shelf life left.
    Fefo {
        /// The least shelf life a lot must have left, in days.
        #[serde(default)]
        min_remaining_days: u32,
    },
    /// Last in, first out.
    Lifo,
    /// As few bins as possible: one bin that holds it all if there is one (the smallest
    /// such), else the fullest bins first.
    FewestLocations,
    /// The bins nearest to a location (Manhattan distance of coordinates; bins without
    /// coordinates last).
    Nearest {
        /// The location to measure from.
        location: String,
    },
    /// The caller's order of bins; bins not listed are not used.
    Ordered {
        /// Bin codes, first choice first.
        locations: Vec<String>,
    },
}

/// Who gets short stock when orders compete for it.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum ShortagePolicy {
    /// By priority (lower first), then due date (earlier first, none last), then age.
    #[default]
    PriorityDueDate,
    /// Proportionally to demand, exactly: the remainder units go one by one to the
    /// largest fractional shares, ties by priority, due date and age.
    FairShare,
}
