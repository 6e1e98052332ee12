//! The stock ledger: the kernel every context calls down into.
//!
//! It owns master data, movements and balances, and the rule that **reserved never
//! exceeds on hand**: reservations are its two-phase holds (like a ledger's pending
//! transfers), made, committed, released and expired here. Orders and supply decide their
//! own documents and call down into these rules for every movement and hold; the ledger
//! never looks up at them. Deciding is pure: a refused command leaves no trace, which is
//! what lets a refused command in a commit group refuse alone.

pub mod allocation;
mod commands;
pub(crate) mod decide;
mod keyed;
pub(crate) mod query;
pub(crate) mod reservations;
pub(crate) mod rules;
pub(crate) mod state;

pub use crate::model::Receipt;
pub use commands::{Adjust, Count, Dispatch, Issue, Receive, ReceiveTransfer, Scrap, Transfer};
pub use query::{AsOf, Balance, BalanceFilter, IntegrityReport, PAGE_LEN_MAX};
pub use reservations::{CommitReservation, Reserve};
pub(crate) use rules::{
    active_item, check_put, check_take_reserved, check_tracking, movement, movement_qty,
    physical_location, virtual_location,
};

use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::event::Event;
use crate::model::{
    DAY_MS, LocationKind, Qty, Timestamp, validate_code, validate_text, virtual_locations as vl,
};
use crate::store::backend::StoreRead;
use state::State;

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
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
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

/// What the contexts' questions read, without knowing the engine that answers them: the
/// committed state, and consistent reads of the store for history and past stock.
pub(crate) trait Reader: Sync {
    /// Runs `f` on the committed state.
    fn with_state<T>(&self, f: impl FnOnce(&State) -> T) -> Result<T>;
    /// A consistent read of the store as of the newest commit.
    fn store_read(&self) -> Result<Arc<StoreRead>>;
}
