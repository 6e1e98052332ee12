//! The answer types of reservation and order questions (filters, stock levels,
//! backorders) and the reads they share: what is reserved now, a reservation as it
//! stands now. The handle's read methods live in the engine's API.

use serde::{Deserialize, Serialize};

use super::{Reservation, ReservationState};
use crate::ledger::Ledger;
use crate::model::{Qty, Timestamp};
use crate::setters::setters;

/// Which reservations to list.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct ReservationFilter {
    /// Only those of this order.
    #[serde(default)]
    pub order: Option<String>,
    /// Only those of this item.
    #[serde(default)]
    pub sku: Option<String>,
    /// Only those whose scope lies in this location's subtree.
    #[serde(default)]
    pub scope: Option<String>,
    /// Only those in this state.
    #[serde(default)]
    pub state: Option<ReservationState>,
}

impl ReservationFilter {
    /// A new `ReservationFilter` with every field at its default.
    #[must_use]
    pub fn new() -> ReservationFilter {
        ReservationFilter {
            order: None,
            sku: None,
            scope: None,
            state: None,
        }
    }
}

setters! {
    ReservationFilter {
        /// Only those of this order.
        text order,
        /// Only those of this item.
        text sku,
        /// Only those whose scope lies in this location's subtree.
        text scope,
        /// Only those in this state.
        opt(ReservationState) state,
    }
}

/// On hand, reserved and available of an item in a subtree, read at one instant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct StockLevel {
    /// On hand.
    pub on_hand: Qty,
    /// Reserved.
    pub reserved: Qty,
    /// Available to promise: on hand less reserved.
    pub available: Qty,
}

/// One backordered order line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Backorder {
    /// The order.
    pub order: String,
    /// The line.
    pub line: u32,
    /// The item.
    pub sku: String,
    /// How much waits for stock.
    pub qty: Qty,
    /// The order's priority.
    pub priority: u32,
    /// The order's due date.
    #[schemars(with = "Option<crate::model::InstantSchema>")]
    pub due_at: Option<Timestamp>,
}

/// Pending reserved units of `sku` in the subtree of `location` that still count at
/// `now` (reservations past their time-to-live stop counting even before a write records
/// their expiry).
pub(crate) fn reserved_now(s: Ledger<'_>, sku: &str, location: &str, now: Timestamp) -> i64 {
    let mut units = s.reserved_rollup(sku, location);
    for (_, id) in s.holds.expiring().take_while(|(at, _)| *at <= now) {
        if let Some(r) = s.holds.get(id)
            && r.sku == sku
            && s.chain(&r.scope).iter().any(|n| n == location)
        {
            units -= r.qty.units();
        }
    }
    units
}

/// A reservation as it stands at `now`: pending past its time-to-live shows as expired
/// even before a write records the expiry.
pub(crate) fn seen_at(r: &Reservation, now: Timestamp) -> Reservation {
    let mut r = r.clone();
    if r.state == ReservationState::Pending && r.expires_at.is_some_and(|t| t <= now) {
        r.state = ReservationState::Expired;
    }
    r
}
