//! Reservations: holds on stock, pending until committed, released or expired. The
//! record is plain data; the rules that make and close reservations live in the ledger.

use serde::{Deserialize, Serialize};

use super::{Qty, Timestamp};

/// Where a reservation stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ReservationState {
    /// Holding stock.
    Pending,
    /// Consumed by a movement (shipped or picked); any rest was released.
    Committed,
    /// Given back before use.
    Released,
    /// Its time-to-live ran out.
    Expired,
}

impl ReservationState {
    /// The snake_case name.
    pub fn as_str(self) -> &'static str {
        match self {
            ReservationState::Pending => "pending",
            ReservationState::Committed => "committed",
            ReservationState::Released => "released",
            ReservationState::Expired => "expired",
        }
    }
}

/// A hold on stock.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Reservation {
    /// Its id.
    pub id: String,
    /// The item.
    pub sku: String,
    /// The location whose subtree the stock is held in.
    pub scope: String,
    /// The lot held, if one is pinned.
    pub lot: Option<String>,
    /// Hard reservations pin a bin (a location without children) and, for lot-tracked
    /// items, a lot; soft ones hold a quantity anywhere in the scope.
    pub hard: bool,
    /// The quantity still held (zero once closed).
    pub qty: Qty,
    /// The quantity first reserved.
    pub requested: Qty,
    /// The quantity consumed by movements.
    pub committed: Qty,
    /// The order it serves.
    pub order: Option<String>,
    /// The order line it serves.
    pub line: Option<u32>,
    /// When it was made (engine time).
    #[schemars(with = "crate::model::InstantSchema")]
    pub created_at: Timestamp,
    /// When it stops holding stock, if it has a time-to-live.
    #[schemars(with = "Option<crate::model::InstantSchema>")]
    pub expires_at: Option<Timestamp>,
    /// Where it stands.
    pub state: ReservationState,
}
