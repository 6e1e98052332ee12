//! Typed receipts: what each command reports, as its own type instead of one record of
//! optional fields. Most commands report the events they wrote ([`Written`]); a reservation
//! names itself ([`Reserved`]), a dispatch its transfer ([`Dispatched`]), a count the
//! difference it posted ([`Counted`]). The typed command methods of `Stockbook` answer these,
//! the generic entry (`Stockbook::call`) answers their JSON, and the schema names each
//! command's receipt (`x-receipt` on its variant), so every binding's generated method is
//! typed by it. The engine keeps one [`Receipt`] per command internally (and in its stored
//! idempotency records, whose shape does not change); these are views of it.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::Command;
use crate::error::{Error, Result};
use crate::model::{Qty, Receipt};

/// The receipt of a command that reports the events it wrote and nothing more.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[non_exhaustive]
pub struct Written {
    /// Sequence of the first event written.
    pub first_seq: u64,
    /// Sequence of the last event written.
    pub last_seq: u64,
}

/// The receipt of `reserve`: the reservation made.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[non_exhaustive]
pub struct Reserved {
    /// Sequence of the first event written.
    pub first_seq: u64,
    /// Sequence of the last event written.
    pub last_seq: u64,
    /// The reservation's id (the one given, or the one the engine chose).
    pub reservation_id: String,
}

/// The receipt of `dispatch_transfer`: the transfer in transit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[non_exhaustive]
pub struct Dispatched {
    /// Sequence of the first event written.
    pub first_seq: u64,
    /// Sequence of the last event written.
    pub last_seq: u64,
    /// The transfer's id (the one given, or the one the engine chose).
    pub transfer_id: String,
}

/// The receipt of `count`: the difference the count posted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[non_exhaustive]
pub struct Counted {
    /// Sequence of the first event written.
    pub first_seq: u64,
    /// Sequence of the last event written.
    pub last_seq: u64,
    /// Counted less expected (zero: the count confirmed the book).
    pub difference: Qty,
}

/// A typed receipt, read from the engine's receipt of the command that produced it.
pub trait TypedReceipt: Sized {
    /// The typed view of `receipt`; `internal` if the engine's receipt lacks what this
    /// command always reports (a defect, never the caller's fault).
    fn from_receipt(receipt: Receipt) -> Result<Self>;
}

impl TypedReceipt for Written {
    fn from_receipt(receipt: Receipt) -> Result<Self> {
        Ok(Written {
            first_seq: receipt.first_seq,
            last_seq: receipt.last_seq,
        })
    }
}

impl TypedReceipt for Reserved {
    fn from_receipt(receipt: Receipt) -> Result<Self> {
        Ok(Reserved {
            first_seq: receipt.first_seq,
            last_seq: receipt.last_seq,
            reservation_id: lacking(receipt.reservation_id, "reservation_id")?,
        })
    }
}

impl TypedReceipt for Dispatched {
    fn from_receipt(receipt: Receipt) -> Result<Self> {
        Ok(Dispatched {
            first_seq: receipt.first_seq,
            last_seq: receipt.last_seq,
            transfer_id: lacking(receipt.transfer_id, "transfer_id")?,
        })
    }
}

impl TypedReceipt for Counted {
    fn from_receipt(receipt: Receipt) -> Result<Self> {
        Ok(Counted {
            first_seq: receipt.first_seq,
            last_seq: receipt.last_seq,
            difference: lacking(receipt.difference, "difference")?,
        })
    }
}

fn lacking<T>(value: Option<T>, field: &str) -> Result<T> {
    value.ok_or_else(|| Error::Internal {
        message: format!("the engine's receipt lacks its {field}"),
    })
}

/// Which typed receipt a command answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ReceiptKind {
    /// [`Written`].
    Written,
    /// [`Reserved`].
    Reserved,
    /// [`Dispatched`].
    Dispatched,
    /// [`Counted`].
    Counted,
}

impl ReceiptKind {
    /// The receipt of the command named `op`.
    pub fn of(op: &str) -> ReceiptKind {
        match op {
            "reserve" => ReceiptKind::Reserved,
            "dispatch_transfer" => ReceiptKind::Dispatched,
            "count" => ReceiptKind::Counted,
            _ => ReceiptKind::Written,
        }
    }

    /// The receipt type's name in the schema.
    pub fn name(self) -> &'static str {
        match self {
            ReceiptKind::Written => "Written",
            ReceiptKind::Reserved => "Reserved",
            ReceiptKind::Dispatched => "Dispatched",
            ReceiptKind::Counted => "Counted",
        }
    }

    /// The typed receipt's JSON.
    pub(crate) fn to_json(self, receipt: Receipt) -> Result<Value> {
        use super::call::to_json;
        match self {
            ReceiptKind::Written => to_json(&Written::from_receipt(receipt)?),
            ReceiptKind::Reserved => to_json(&Reserved::from_receipt(receipt)?),
            ReceiptKind::Dispatched => to_json(&Dispatched::from_receipt(receipt)?),
            ReceiptKind::Counted => to_json(&Counted::from_receipt(receipt)?),
        }
    }
}

impl Command {
    /// Which typed receipt this command answers.
    pub fn receipt_kind(&self) -> ReceiptKind {
        ReceiptKind::of(self.name())
    }
}
