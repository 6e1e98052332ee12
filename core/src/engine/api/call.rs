//! [`Stockbook::call`]: the one generic entry point, a [`Call`] in JSON answered in JSON.
//! Every binding forwards to it; the scenarios of `tests/scenarios/` drive every language
//! through it.
use serde_json::Value;

use crate::command::call::answer_value;
use crate::command::{Call, Command};
use crate::engine::Stockbook;
use crate::error::Result;

impl Stockbook {
    /// Performs one call given as JSON (`{"op", "args", "meta"?, "kind"?}`; the form and the
    /// rule that tells a command from a query are in [`crate::command::call`]) and answers in
    /// JSON:
    /// - a command is executed with its `meta`: its typed receipt
    ///   ([`crate::command::receipt`]: `Written`, or `Reserved`, `Dispatched`, `Counted`);
    /// - `batch` executes `args.commands` all or nothing with the call's `meta`: the list
    ///   of their typed receipts;
    /// - a query is answered: the `value` of its [`crate::Answer`].
    ///
    /// A call that does not read is refused with `invalid_argument` naming the field's
    /// path; everything else is refused as the typed method would refuse it.
    ///
    /// ```
    /// use serde_json::json;
    /// use stockbook::Stockbook;
    ///
    /// let sb = Stockbook::in_memory()?;
    /// sb.call(json!({"op": "define_item", "args": {"sku": "A"}}))?;
    /// sb.call(json!({"op": "define_location", "args": {"code": "WH1"}}))?;
    /// let receipt = sb.call(json!({"op": "batch", "meta": {"key": "r-1"}, "args": {"commands": [
    ///     {"op": "receive", "args": {"sku": "A", "location": "WH1", "qty": "10"}},
    ///     {"op": "ship", "args": {"sku": "A", "location": "WH1", "qty": "3"}},
    /// ]}}))?;
    /// assert_eq!(receipt[1]["first_seq"], 4);
    /// let on_hand = sb.call(json!({"op": "on_hand", "args": {"sku": "A", "location": "WH1"}}))?;
    /// assert_eq!(on_hand, json!("7"));
    /// // `transfer` is the command unless the call says it is the query.
    /// let err = sb.call(json!({"op": "transfer", "kind": "query", "args": {"id": "T9"}}));
    /// assert_eq!(err.unwrap_err().code(), "not_found");
    /// # Ok::<(), stockbook::Error>(())
    /// ```
    pub fn call(&self, call: Value) -> Result<Value> {
        self.perform(Call::from_value(call)?)
    }

    /// As [`Stockbook::call`], from JSON text to JSON text: what a binding forwards its
    /// host's string to.
    ///
    /// ```
    /// let sb = stockbook::Stockbook::in_memory()?;
    /// let last = sb.call_json(r#"{"op": "last_seq"}"#)?;
    /// assert_eq!(last, "0");
    /// # Ok::<(), stockbook::Error>(())
    /// ```
    pub fn call_json(&self, call: &str) -> Result<String> {
        Ok(self.perform(Call::from_json(call)?)?.to_string())
    }

    /// Performs a call that has been read (by [`Call::from_value`] or [`Call::from_json`]),
    /// answering as [`Stockbook::call`] does. A binding reads the call first to learn
    /// whether it [blocks](Call::blocks).
    pub fn perform(&self, call: Call) -> Result<Value> {
        match call {
            Call::Command(command, meta) => {
                let kind = command.receipt_kind();
                kind.to_json(self.execute(command, meta)?)
            }
            Call::Batch(commands, meta) => {
                let kinds: Vec<_> = commands.iter().map(Command::receipt_kind).collect();
                let receipts = self.execute_batch(commands, meta)?;
                kinds
                    .into_iter()
                    .zip(receipts)
                    .map(|(kind, receipt)| kind.to_json(receipt))
                    .collect::<Result<Vec<_>>>()
                    .map(Value::Array)
            }
            Call::Query(query) => answer_value(&self.query(&query)?),
        }
    }
}
