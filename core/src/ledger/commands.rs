//! The commands that move stock: receive, issue and ship, adjust, scrap, transfer in one
//! or two steps, and count. Plain serde inputs; [`super::decide`] holds their rules.

use serde::{Deserialize, Serialize};

use crate::model::{Qty, Timestamp};
use crate::setters::setters;

/// Receive stock from a supplier into a location.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct Receive {
    /// The item.
    pub sku: String,
    /// Where it arrives (a physical, receivable location).
    pub location: String,
    /// How much, in `unit` (default: the base unit).
    pub qty: Qty,
    /// The unit of `qty`, one of the item's units.
    #[serde(default)]
    pub unit: Option<String>,
    /// The lot (required for lot-tracked items).
    #[serde(default)]
    pub lot: Option<String>,
    /// The lot's expiry, for a new lot.
    #[serde(default)]
    #[schemars(with = "Option<crate::model::InstantSchema>")]
    pub expiry: Option<Timestamp>,
    /// The lot's production date, for a new lot.
    #[serde(default)]
    #[schemars(with = "Option<crate::model::InstantSchema>")]
    pub produced: Option<Timestamp>,
    /// Serial numbers (serial-tracked items: exactly `qty` distinct ones).
    #[serde(default)]
    pub serials: Vec<String>,
    /// Cost per base unit.
    #[serde(default)]
    pub unit_cost: Option<Qty>,
    /// ISO 4217 currency of the cost.
    #[serde(default)]
    pub currency: Option<String>,
    /// The supplier location (default `@supplier`).
    #[serde(default)]
    pub from: Option<String>,
}

impl Receive {
    /// A receipt of `qty` base units of `sku` into `location`.
    pub fn new(
        sku: impl Into<String>,
        location: impl Into<String>,
        qty: impl Into<Qty>,
    ) -> Receive {
        Receive {
            sku: sku.into(),
            location: location.into(),
            qty: qty.into(),
            unit: None,
            lot: None,
            expiry: None,
            produced: None,
            serials: Vec::new(),
            unit_cost: None,
            currency: None,
            from: None,
        }
    }
}

setters! {
    Receive {
        /// The unit of `qty`, one of the item's units.
        text unit,
        /// The lot (required for lot-tracked items).
        text lot,
        /// The lot's expiry, for a new lot.
        opt(Timestamp) expiry,
        /// The lot's production date, for a new lot.
        opt(Timestamp) produced,
        /// Serial numbers (serial-tracked items: exactly `qty` distinct ones).
        texts serials,
        /// Cost per base unit.
        qty unit_cost,
        /// ISO 4217 currency of the cost.
        text currency,
        /// The supplier location (default `@supplier`).
        text from,
    }
}

/// Take back stock a customer returns (a return authorisation) into a location: the
/// movement is a `return` from the customer, so demand history nets it out.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct ReturnStock {
    /// The item.
    pub sku: String,
    /// Where it arrives (a physical, receivable location).
    pub location: String,
    /// How much, in `unit` (default: the item's base unit).
    pub qty: Qty,
    /// The unit of `qty`, one of the item's units.
    #[serde(default)]
    pub unit: Option<String>,
    /// The lot (required for lot-tracked items).
    #[serde(default)]
    pub lot: Option<String>,
    /// Serial numbers (serial-tracked items: exactly `qty` distinct ones, none of them in
    /// stock).
    #[serde(default)]
    pub serials: Vec<String>,
    /// The customer location it comes from (default `@customer`).
    #[serde(default)]
    pub from: Option<String>,
    /// Why it came back (a code such as `damaged` or `wrong_item`).
    #[serde(default)]
    pub reason_code: Option<String>,
}

impl ReturnStock {
    /// A return of `qty` base units of `sku` into `location`.
    #[must_use]
    pub fn new(
        sku: impl Into<String>,
        location: impl Into<String>,
        qty: impl Into<Qty>,
    ) -> ReturnStock {
        ReturnStock {
            sku: sku.into(),
            location: location.into(),
            qty: qty.into(),
            unit: None,
            lot: None,
            serials: Vec::new(),
            from: None,
            reason_code: None,
        }
    }
}

setters! {
    ReturnStock {
        /// The unit of `qty`, one of the item's units.
        text unit,
        /// The lot (required for lot-tracked items).
        text lot,
        /// Serial numbers (serial-tracked items: exactly `qty` distinct ones).
        texts serials,
        /// The customer location it comes from (default `@customer`).
        text from,
        /// Why it came back.
        text reason_code,
    }
}

/// Take stock out of a location: an internal issue or a shipment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct Issue {
    /// The item.
    pub sku: String,
    /// Where it is taken from.
    pub location: String,
    /// How much, in `unit`.
    pub qty: Qty,
    /// The unit of `qty`.
    #[serde(default)]
    pub unit: Option<String>,
    /// The lot (required for lot-tracked items).
    #[serde(default)]
    pub lot: Option<String>,
    /// Serial numbers (serial-tracked items).
    #[serde(default)]
    pub serials: Vec<String>,
    /// Take from an expired lot anyway.
    #[serde(default)]
    pub allow_expired: bool,
    /// The customer location (default `@customer`).
    #[serde(default)]
    pub to: Option<String>,
}

impl Issue {
    /// An issue of `qty` base units of `sku` from `location`.
    pub fn new(sku: impl Into<String>, location: impl Into<String>, qty: impl Into<Qty>) -> Issue {
        Issue {
            sku: sku.into(),
            location: location.into(),
            qty: qty.into(),
            unit: None,
            lot: None,
            serials: Vec::new(),
            allow_expired: false,
            to: None,
        }
    }
}

setters! {
    Issue {
        /// The unit of `qty`.
        text unit,
        /// The lot (required for lot-tracked items).
        text lot,
        /// Serial numbers (serial-tracked items).
        texts serials,
        /// Take from an expired lot anyway.
        set(bool) allow_expired,
        /// The customer location (default `@customer`).
        text to,
    }
}

/// Correct a balance up (positive `qty`) or down (negative), with a reason code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct Adjust {
    /// The item.
    pub sku: String,
    /// The location.
    pub location: String,
    /// The signed change, in `unit`.
    pub qty: Qty,
    /// The unit of `qty`.
    #[serde(default)]
    pub unit: Option<String>,
    /// The lot.
    #[serde(default)]
    pub lot: Option<String>,
    /// Serial numbers.
    #[serde(default)]
    pub serials: Vec<String>,
    /// Why (`damaged`, `found`, …).
    pub reason_code: String,
}

impl Adjust {
    /// A new `Adjust` of `sku`, `location`, `qty`, `reason_code`; every other field takes its default.
    #[must_use]
    pub fn new(
        sku: impl Into<String>,
        location: impl Into<String>,
        qty: impl Into<Qty>,
        reason_code: impl Into<String>,
    ) -> Adjust {
        Adjust {
            sku: sku.into(),
            location: location.into(),
            qty: qty.into(),
            unit: None,
            lot: None,
            serials: Vec::new(),
            reason_code: reason_code.into(),
        }
    }
}

setters! {
    Adjust {
        /// The unit of `qty`.
        text unit,
        /// The lot.
        text lot,
        /// Serial numbers.
        texts serials,
    }
}

/// Write stock off to scrap.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct Scrap {
    /// The item.
    pub sku: String,
    /// Where it is taken from.
    pub location: String,
    /// How much, in `unit`.
    pub qty: Qty,
    /// The unit of `qty`.
    #[serde(default)]
    pub unit: Option<String>,
    /// The lot.
    #[serde(default)]
    pub lot: Option<String>,
    /// Serial numbers.
    #[serde(default)]
    pub serials: Vec<String>,
    /// Why.
    #[serde(default)]
    pub reason_code: Option<String>,
}

impl Scrap {
    /// A new `Scrap` of `sku`, `location`, `qty`; every other field takes its default.
    #[must_use]
    pub fn new(sku: impl Into<String>, location: impl Into<String>, qty: impl Into<Qty>) -> Scrap {
        Scrap {
            sku: sku.into(),
            location: location.into(),
            qty: qty.into(),
            unit: None,
            lot: None,
            serials: Vec::new(),
            reason_code: None,
        }
    }
}

setters! {
    Scrap {
        /// The unit of `qty`.
        text unit,
        /// The lot.
        text lot,
        /// Serial numbers.
        texts serials,
        /// Why.
        text reason_code,
    }
}

/// Move stock from one location to another in one step.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct Transfer {
    /// The item.
    pub sku: String,
    /// Source.
    pub from: String,
    /// Destination.
    pub to: String,
    /// How much, in `unit`.
    pub qty: Qty,
    /// The unit of `qty`.
    #[serde(default)]
    pub unit: Option<String>,
    /// The lot.
    #[serde(default)]
    pub lot: Option<String>,
    /// Serial numbers.
    #[serde(default)]
    pub serials: Vec<String>,
    /// Move an expired lot anyway.
    #[serde(default)]
    pub allow_expired: bool,
}

impl Transfer {
    /// A new `Transfer` of `sku`, `from`, `to`, `qty`; every other field takes its default.
    #[must_use]
    pub fn new(
        sku: impl Into<String>,
        from: impl Into<String>,
        to: impl Into<String>,
        qty: impl Into<Qty>,
    ) -> Transfer {
        Transfer {
            sku: sku.into(),
            from: from.into(),
            to: to.into(),
            qty: qty.into(),
            unit: None,
            lot: None,
            serials: Vec::new(),
            allow_expired: false,
        }
    }
}

setters! {
    Transfer {
        /// The unit of `qty`.
        text unit,
        /// The lot.
        text lot,
        /// Serial numbers.
        texts serials,
        /// Move an expired lot anyway.
        set(bool) allow_expired,
    }
}

/// Dispatch stock into transit: the first step of a two-step transfer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct Dispatch {
    /// The transfer id (default: generated, `TR-<seq>`).
    #[serde(default)]
    pub transfer_id: Option<String>,
    /// The item.
    pub sku: String,
    /// Source.
    pub from: String,
    /// Final destination.
    pub to: String,
    /// How much, in `unit`.
    pub qty: Qty,
    /// The unit of `qty`.
    #[serde(default)]
    pub unit: Option<String>,
    /// The lot.
    #[serde(default)]
    pub lot: Option<String>,
    /// Serial numbers.
    #[serde(default)]
    pub serials: Vec<String>,
    /// Move an expired lot anyway.
    #[serde(default)]
    pub allow_expired: bool,
}

impl Dispatch {
    /// A new `Dispatch` of `sku`, `from`, `to`, `qty`; every other field takes its default.
    #[must_use]
    pub fn new(
        sku: impl Into<String>,
        from: impl Into<String>,
        to: impl Into<String>,
        qty: impl Into<Qty>,
    ) -> Dispatch {
        Dispatch {
            transfer_id: None,
            sku: sku.into(),
            from: from.into(),
            to: to.into(),
            qty: qty.into(),
            unit: None,
            lot: None,
            serials: Vec::new(),
            allow_expired: false,
        }
    }
}

setters! {
    Dispatch {
        /// The transfer id (default: generated, `TR-<seq>`).
        text transfer_id,
        /// The unit of `qty`.
        text unit,
        /// The lot.
        text lot,
        /// Serial numbers.
        texts serials,
        /// Move an expired lot anyway.
        set(bool) allow_expired,
    }
}

/// Receive all or part of a dispatched transfer at its destination.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct ReceiveTransfer {
    /// The transfer.
    pub transfer_id: String,
    /// How much arrived, in `unit`.
    pub qty: Qty,
    /// The unit of `qty`.
    #[serde(default)]
    pub unit: Option<String>,
    /// Serial numbers that arrived.
    #[serde(default)]
    pub serials: Vec<String>,
}

impl ReceiveTransfer {
    /// A new `ReceiveTransfer` of `transfer_id`, `qty`; every other field takes its default.
    #[must_use]
    pub fn new(transfer_id: impl Into<String>, qty: impl Into<Qty>) -> ReceiveTransfer {
        ReceiveTransfer {
            transfer_id: transfer_id.into(),
            qty: qty.into(),
            unit: None,
            serials: Vec::new(),
        }
    }
}

setters! {
    ReceiveTransfer {
        /// The unit of `qty`.
        text unit,
        /// Serial numbers that arrived.
        texts serials,
    }
}

/// Record a cycle count; the engine posts the difference to its balance.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct Count {
    /// The item.
    pub sku: String,
    /// The location counted.
    pub location: String,
    /// The lot counted.
    #[serde(default)]
    pub lot: Option<String>,
    /// What was counted, in `unit`.
    pub counted: Qty,
    /// The unit of `counted`.
    #[serde(default)]
    pub unit: Option<String>,
}

impl Count {
    /// A new `Count` of `sku`, `location`, `counted`; every other field takes its default.
    #[must_use]
    pub fn new(
        sku: impl Into<String>,
        location: impl Into<String>,
        counted: impl Into<Qty>,
    ) -> Count {
        Count {
            sku: sku.into(),
            location: location.into(),
            lot: None,
            counted: counted.into(),
            unit: None,
        }
    }
}

setters! {
    Count {
        /// The lot counted.
        text lot,
        /// The unit of `counted`.
        text unit,
    }
}
