//! Demand planning and replenishment.
//!
//! [`forecast`] turns a demand history into point forecasts and the one-step error that
//! safety stock needs; [`policy`] turns demand, lead times and costs into safety stock,
//! reorder points and order quantities. Both are pure functions over plain numbers: no
//! storage, no clock, no I/O. Bad input is refused with [`crate::error::Error::InvalidParameter`]
//! naming the parameter, never answered with a NaN.
//!
//! The engine side: [`supply`] owns purchase orders (commands, rules, stock on order,
//! supplier lead times); [`demand`] reads demand histories from the ledger; [`plan`]
//! puts them together into a replenishment plan for every item × site.
//!
//! Planning at the scale of a book: [`accuracy`] keeps the forecasts as they were made
//! (events of the log) and measures them against the demand that came; [`whatif`]
//! replays a period of the log under another replenishment policy.

pub mod accuracy;
pub mod calculation;
mod check;
pub mod demand;
pub mod forecast;
pub mod plan;
pub mod policy;
pub mod supply;
pub mod whatif;

use std::sync::Arc;

use crate::error::Result;
use crate::ledger::Ledger;
use crate::orders::OrderBook;
use crate::store::backend::StoreRead;
use supply::SupplyBook;

pub use accuracy::{
    AccuracyOptions, AccuracyPeriod, AccuracyRow, ForecastAccuracy, RecordForecast, RecordForecasts,
};
pub use calculation::{Calculation, CalculationAnswer};
pub use demand::{Bucket, DemandHistory, DemandPeriod};
pub use plan::{
    DemandSeries, ItemPlanning, LeadTimeSource, OrderQuantity, PlanMethod, PlanOptions,
    PlanProblem, PlanRow, ReplenishmentPlan, SuggestedOrder,
};
pub use supply::{
    CreatePurchaseOrder, LeadTimeStats, NewPurchaseOrderLine, OverReceipt, PurchaseOrder,
    PurchaseOrderFilter, PurchaseOrderLine, PurchaseOrderReceipt, PurchaseOrderState,
    PurchaseOrderStep, ReceivePurchaseOrder,
};
pub use whatif::{
    ActualTotals, SimulatedTotals, WhatIf, WhatIfOptions, WhatIfPeriod, WhatIfPolicy,
};

/// What planning reads: every part of the state. Copied by value; it reads as the ledger
/// it derefs to.
#[derive(Clone, Copy)]
pub(crate) struct Books<'a> {
    /// The stock and the holds.
    pub(crate) ledger: Ledger<'a>,
    /// The orders.
    pub(crate) orders: &'a OrderBook,
    /// The purchase orders.
    pub(crate) supply: &'a SupplyBook,
    /// The sequence of the last event applied.
    pub(crate) last_seq: u64,
    /// The store read of the same commit: where closed records out of memory are.
    pub(crate) archive: &'a StoreRead,
}

impl<'a> std::ops::Deref for Books<'a> {
    type Target = Ledger<'a>;
    fn deref(&self) -> &Ledger<'a> {
        &self.ledger
    }
}

/// What planning's questions read, without knowing the engine that answers them: the
/// committed state, and consistent reads of the store for history and past stock.
pub(crate) trait Reader: Sync {
    /// Runs `f` on the committed state's parts, with the store read of the same commit.
    fn with_books<T>(&self, f: impl FnOnce(Books<'_>) -> T) -> Result<T>;
    /// A consistent read of the store as of the newest commit.
    fn store_read(&self) -> Result<Arc<StoreRead>>;
}

/// The closed records of `T`'s kind that left memory, from `archive`, by id.
pub(crate) fn closed_out_of_memory<T>(
    archive: &StoreRead,
    kind: crate::store::schema::ClosedKind,
    pick: impl Fn(crate::store::schema::Closed) -> Option<T>,
) -> Result<Vec<T>> {
    Ok(archive
        .closed_all(kind)?
        .into_iter()
        .filter_map(pick)
        .collect())
}
