//! `Stockbook.callJson(call)`: the binding's one generic entry point. It forwards a call
//! given as JSON text to the core's `Stockbook::call_json` (the form, and the rule that
//! tells a command from a query, are the core's: `{"op", "args", "meta"?, "kind"?}`) and
//! answers its JSON text; a refusal throws the `StockbookException` of its code, as every
//! method does. The scenarios drive the binding through it, and the generated surface
//! builds on it.

use crate::{Result, Stockbook};

#[uniffi::export]
impl Stockbook {
    /// The generic entry point (internal): performs one call given as JSON text
    /// (`{"op", "args", "meta"?, "kind"?}`) and answers JSON text: a command's receipt, a
    /// batch's receipts, or a query's answer. A refusal throws the exception of its code.
    pub fn call_json(&self, call: String) -> Result<String> {
        Ok(self.inner.call_json(&call)?)
    }
}
