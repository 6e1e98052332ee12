//! The commands that move stock: receive, issue and ship, adjust, scrap, transfer in one
//! or two steps, and count. Plain serde inputs; [`super::decide`] holds their rules.

use serde::{Deserialize, Serialize};

use crate::model::{Qty, Timestamp};

/// Receive stock from a supplier into a location.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
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
    pub expiry: Option<Timestamp>,
    /// The lot's production date, for a new lot.
    #[serde(default)]
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
    pub fn new(sku: &str, location: &str, qty: impl Into<Qty>) -> Receive {
        Receive {
            sku: sku.to_owned(),
            location: location.to_owned(),
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

/// Take stock out of a location: an internal issue or a shipment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
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
    pub fn new(sku: &str, location: &str, qty: impl Into<Qty>) -> Issue {
        Issue {
            sku: sku.to_owned(),
            location: location.to_owned(),
            qty: qty.into(),
            unit: None,
            lot: None,
            serials: Vec::new(),
            allow_expired: false,
            to: None,
        }
    }
}

/// Correct a balance up (positive `qty`) or down (negative), with a reason code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
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

/// Write stock off to scrap.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
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

/// Move stock from one location to another in one step.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
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

/// Dispatch stock into transit: the first step of a two-step transfer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
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

/// Receive all or part of a dispatched transfer at its destination.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
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

/// Record a cycle count; the engine posts the difference to its balance.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
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
