//! `Stockbook#callJson(call)`: the binding's one generic entry point. It forwards a call
//! given as JSON text to the core's `Stockbook::call_json` (the form, and the rule that
//! tells a command from a query, are the core's: `{"op", "args", "meta"?, "kind"?}`) on the
//! thread pool, and settles with its JSON text or rejects with the engine error as every
//! method does. The scenarios drive the binding through it, and the generated surface
//! builds on it.

use napi_derive::napi;

use crate::book::Stockbook;
use crate::job::{Later, spawn};

#[napi]
impl Stockbook {
    /// The generic entry point (internal): performs one call given as JSON text
    /// (`{"op", "args", "meta"?, "kind"?}`) and settles with JSON text: a command's receipt,
    /// a batch's receipts, or a query's answer. A refusal rejects with the `StockbookError`
    /// of its code.
    #[napi(ts_return_type = "Promise<string>")]
    pub fn call_json(&self, call: String) -> Later<String> {
        let book = self.book().clone();
        spawn(move || book.call_json(&call))
    }
}
