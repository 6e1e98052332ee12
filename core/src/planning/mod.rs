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

mod check;
pub mod demand;
pub mod forecast;
pub mod plan;
pub mod policy;
pub mod supply;

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
