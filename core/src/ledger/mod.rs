//! The stock ledger: the kernel every context calls down into.
//!
//! It owns master data, movements and balances, and the rule that **reserved never
//! exceeds on hand**: reservations are its two-phase holds (like a ledger's pending
//! transfers), made, committed, released and expired here. Orders and supply decide their
//! own documents and call down into these rules for every movement and hold; the ledger
//! never looks up at them. Deciding is pure: a refused command leaves no trace, which is
//! what lets a refused command in a commit group refuse alone.

pub mod allocation;
pub(crate) mod book;
mod commands;
pub(crate) mod decide;
mod holds;
mod keyed;
pub(crate) mod query;
pub(crate) mod reservations;
pub(crate) mod retention;
pub(crate) mod rules;
mod stock;

pub use crate::model::Receipt;
pub use commands::{
    Adjust, Count, Dispatch, Issue, Receive, ReceiveTransfer, ReturnStock, Scrap, Transfer,
};
pub(crate) use holds::{Holds, Undo as HoldChange};
pub use query::{AsOf, Balance, BalanceFilter, IntegrityReport, PAGE_LEN_MAX};
pub use reservations::{CommitReservation, Reserve};
pub(crate) use rules::{
    active_item, check_put, check_take_reserved, check_tracking, movement, movement_qty,
    physical_location, virtual_location,
};
pub(crate) use stock::{Stock, StockImage, Undo as StockChange};

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::event::Event;
use crate::model::{
    DAY_MS, LocationKind, Qty, Timestamp, validate_code, validate_text, virtual_locations as vl,
};

/// The most serials one movement may carry.
pub const SERIALS_PER_MOVEMENT_MAX: usize = crate::limits::SERIALS_PER_COMMAND_MAX;
/// How far into the future an effective time may lie.
pub const EFFECTIVE_AHEAD_MS_MAX: i64 = DAY_MS;

pub(crate) fn builtin_locations() -> [(&'static str, LocationKind); 6] {
    [
        (vl::SUPPLIER, LocationKind::Supplier),
        (vl::CUSTOMER, LocationKind::Customer),
        (vl::ADJUSTMENT, LocationKind::Adjustment),
        (vl::SCRAP, LocationKind::Scrap),
        (vl::IN_TRANSIT, LocationKind::InTransit),
        (vl::PRODUCTION, LocationKind::Production),
    ]
}

/// What a caller says about a command beyond the command itself.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Meta {
    /// Who is acting.
    #[serde(default)]
    pub actor: Option<String>,
    /// Idempotency key: the same key again returns the first outcome and writes nothing.
    #[serde(default)]
    pub key: Option<String>,
    /// Correlation id (order, import batch).
    #[serde(default)]
    pub correlation: Option<String>,
    /// Free-text reason.
    #[serde(default)]
    pub reason: Option<String>,
    /// Business time the command takes effect (default: now).
    #[serde(default)]
    #[schemars(with = "Option<crate::model::InstantSchema>")]
    pub effective_at: Option<Timestamp>,
}

impl Meta {
    /// Empty meta.
    pub fn new() -> Meta {
        Meta::default()
    }
    /// With an actor.
    #[must_use]
    pub fn actor(mut self, actor: impl Into<String>) -> Meta {
        self.actor = Some(actor.into());
        self
    }
    /// With an idempotency key.
    #[must_use]
    pub fn key(mut self, key: impl Into<String>) -> Meta {
        self.key = Some(key.into());
        self
    }
    /// With a correlation id.
    #[must_use]
    pub fn correlation(mut self, id: impl Into<String>) -> Meta {
        self.correlation = Some(id.into());
        self
    }
    /// With a reason.
    #[must_use]
    pub fn reason(mut self, reason: impl Into<String>) -> Meta {
        self.reason = Some(reason.into());
        self
    }
    /// With an effective (business) time.
    #[must_use]
    pub fn effective_at(mut self, at: Timestamp) -> Meta {
        self.effective_at = Some(at);
        self
    }

    /// Checks lengths and characters; `now` bounds the effective time.
    pub(crate) fn validate(&self, now: Timestamp) -> Result<()> {
        if let Some(actor) = &self.actor {
            validate_code("actor", actor)?;
        }
        if let Some(key) = &self.key {
            validate_code("key", key)?;
        }
        if let Some(c) = &self.correlation {
            validate_code("correlation", c)?;
        }
        if let Some(r) = &self.reason {
            validate_text("reason", r)?;
        }
        if let Some(at) = self.effective_at
            && at > now.saturating_add(EFFECTIVE_AHEAD_MS_MAX)
        {
            return Err(Error::invalid_argument(
                "effective_at",
                "lies more than a day in the future",
            ));
        }
        Ok(())
    }
}

/// The events a command becomes, and the facts to answer with.
pub(crate) struct Decision {
    pub events: Vec<Event>,
    pub transfer_id: Option<String>,
    pub difference: Option<Qty>,
    pub reservation_id: Option<String>,
}

impl Decision {
    pub(crate) fn events(events: Vec<Event>) -> Decision {
        Decision {
            events,
            transfer_id: None,
            difference: None,
            reservation_id: None,
        }
    }
}

/// The ledger's two parts, read together: the stock and the holds on it. Two references,
/// passed by value; it reads as the stock it derefs to, and answers the reserved roll-ups
/// from the holds.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Ledger<'a> {
    /// Master data, balances and the on-hand roll-ups.
    pub(crate) stock: &'a Stock,
    /// Reservations and the reserved roll-ups.
    pub(crate) holds: &'a Holds,
}

impl std::ops::Deref for Ledger<'_> {
    type Target = Stock;
    fn deref(&self) -> &Stock {
        self.stock
    }
}

impl Ledger<'_> {
    /// Pending reserved quantity of `sku` in the subtree of `node`.
    pub(crate) fn reserved_rollup(&self, sku: &str, node: &str) -> i64 {
        self.holds.reserved_rollup(sku, node)
    }

    /// Pending reserved quantity pinned to `lot` in the subtree of `node`.
    pub(crate) fn reserved_lot_rollup(&self, sku: &str, node: &str, lot: &str) -> i64 {
        self.holds.reserved_lot_rollup(sku, node, lot)
    }
}
