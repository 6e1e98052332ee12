//! Calls: the one generic form in which every binding (and every scenario step) asks the
//! book for anything. A call is a JSON object
//!
//! ```json
//! {"op": "receive", "args": {"sku": "A", "location": "WH1", "qty": "10"}, "meta": {"key": "r-1"}}
//! {"op": "on_hand", "args": {"sku": "A", "location": "WH1"}}
//! {"op": "transfer", "kind": "query", "args": {"id": "T-1"}}
//! {"op": "batch", "args": {"commands": [{"op": "receive", "args": {…}}, …]}, "meta": {…}}
//! ```
//!
//! - `op` names a [`Command`], a [`Query`], or `batch`; `args` are its fields (left out:
//!   none); `meta` ([`Meta`]) goes with a command or a batch only.
//! - **Which kind**: a call is a query when it says `"kind": "query"` or when its `op`
//!   names a query and no command; otherwise it is a command (or the batch). The rule reads
//!   the names only, never the args. One name is both: `transfer` is the one-step
//!   transfer command, and the query that looks a two-step transfer up by `id` is asked
//!   with `"kind": "query"`. `"kind": "command"` may be given too; a kind the `op` does not
//!   have is refused.
//! - `batch`: `args` is `{"commands": [{"op", "args"}, …]}`, executed all or nothing with
//!   the call's `meta`.
//!
//! A call that does not read is refused with `invalid_argument` naming the field's path
//! (`args.qty`, `args.commands[1].args.qty`, `meta.key`, `kind`).

use serde_json::{Map, Value};

use super::{Command, Query, input};
use crate::error::{Error, Result};
use crate::ledger::Meta;
use crate::limits::BATCH_COMMANDS_MAX;

/// The `op` of an atomic batch of commands.
pub const BATCH_OP: &str = "batch";

/// The `op` of every [`Command`], as serde names it (also [`Command::name`]).
pub const COMMAND_OPS: &[&str] = &[
    "define_item",
    "update_item",
    "archive_item",
    "define_location",
    "update_location",
    "archive_location",
    "define_lot",
    "receive",
    "issue",
    "ship",
    "adjust",
    "scrap",
    "transfer",
    "dispatch_transfer",
    "receive_transfer",
    "count",
    "reserve",
    "commit_reservation",
    "release_reservation",
    "expire_due",
    "create_order",
    "confirm_order",
    "allocate_order",
    "allocate_orders",
    "fill_backorders",
    "pick_order",
    "pack_order",
    "ship_order",
    "deliver_order",
    "cancel_order",
    "create_purchase_order",
    "receive_purchase_order",
    "close_purchase_order",
    "cancel_purchase_order",
    "return_stock",
    "record_forecast",
    "record_forecasts",
];

/// The `op` of every [`Query`], as serde names it.
pub const QUERY_OPS: &[&str] = &[
    "item",
    "items",
    "location",
    "locations",
    "children",
    "lot",
    "lots",
    "serial",
    "serials_at",
    "transfer",
    "on_hand",
    "on_hand_lot",
    "item_total",
    "balances",
    "on_hand_at",
    "events",
    "cloud_events",
    "history",
    "reservation",
    "reservations",
    "stock_level",
    "reserved",
    "available",
    "reserved_at",
    "available_at",
    "order",
    "orders",
    "backorders",
    "plan_allocation",
    "demand_history",
    "replenishment_plan",
    "purchase_order",
    "purchase_orders",
    "on_order",
    "lead_time_stats",
    "forecast_accuracy",
    "what_if",
    "verify",
    "last_seq",
    "now",
];

/// One call, read: what to do and with what.
#[derive(Debug, Clone, PartialEq)]
#[allow(
    clippy::large_enum_variant,
    reason = "a call is read once and consumed"
)]
pub enum Call {
    /// Execute one command with its meta; answered with the [`crate::Receipt`].
    Command(Command, Meta),
    /// Execute commands all or nothing with one meta; answered with the receipts.
    Batch(Vec<Command>, Meta),
    /// Answer a query; answered with the [`super::Answer`]'s value.
    Query(Query),
}

/// What a call says it is (`kind`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Command,
    Query,
}

impl Call {
    /// Whether performing it may wait — a command or a batch waits for its commit to be
    /// durable, a query that [reads the store](Query::reads_store) may wait for the disk —
    /// so that a binding leaves its host's thread (releases the GIL, runs off the event
    /// loop). `false`: a read of the in-memory state that answers in microseconds.
    pub fn blocks(&self) -> bool {
        match self {
            Call::Command(..) | Call::Batch(..) => true,
            Call::Query(query) => query.reads_store(),
        }
    }

    /// Reads a call from its JSON text (see the [module docs](self) for the form and the
    /// rule that tells a command from a query).
    pub fn from_json(text: &str) -> Result<Call> {
        let value: Value = serde_json::from_str(text)
            .map_err(|e| Error::invalid_argument("input", format!("is not valid JSON: {e}")))?;
        Call::from_value(value)
    }

    /// As [`Call::from_json`], from a parsed JSON value.
    pub fn from_value(value: Value) -> Result<Call> {
        let Value::Object(mut map) = value else {
            return Err(Error::invalid_argument(
                "input",
                "expected an object with `op`, `args`, and `meta` or `kind` where needed",
            ));
        };
        if let Some(key) = map
            .keys()
            .find(|k| !matches!(k.as_str(), "op" | "args" | "meta" | "kind"))
        {
            return Err(Error::invalid_argument(
                key,
                "is not a known field (expected `op`, `args`, `meta`, `kind`)",
            ));
        }
        let op = match map.remove("op") {
            Some(Value::String(op)) => op,
            Some(_) => return Err(Error::invalid_argument("op", "expected text")),
            None => return Err(Error::invalid_argument("op", "is required")),
        };
        let kind = match map.remove("kind") {
            None | Some(Value::Null) => None,
            Some(Value::String(k)) if k == "command" => Some(Kind::Command),
            Some(Value::String(k)) if k == "query" => Some(Kind::Query),
            Some(other) => {
                return Err(Error::invalid_argument(
                    "kind",
                    format!("{other} is not a known choice (expected `command`, `query`)"),
                ));
            }
        };
        let args = match map.remove("args") {
            None | Some(Value::Null) => Value::Object(Map::new()),
            Some(args) => args,
        };
        let meta = map.remove("meta").filter(|m| !m.is_null());
        let is_command = op == BATCH_OP || COMMAND_OPS.contains(&op.as_str());
        let is_query = QUERY_OPS.contains(&op.as_str());
        let kind = match kind {
            Some(Kind::Query) if !is_query => {
                return Err(Error::invalid_argument(
                    "kind",
                    format!("`{op}` is not a query"),
                ));
            }
            Some(Kind::Command) if !is_command => {
                return Err(Error::invalid_argument(
                    "kind",
                    format!("`{op}` is not a command"),
                ));
            }
            Some(kind) => kind,
            None if is_command => Kind::Command,
            None if is_query => Kind::Query,
            None => {
                return Err(Error::invalid_argument(
                    "op",
                    format!("`{op}` is not a known command, query or `{BATCH_OP}`"),
                ));
            }
        };
        if kind == Kind::Query {
            if meta.is_some() {
                return Err(Error::invalid_argument(
                    "meta",
                    "is taken by commands only: a query writes nothing",
                ));
            }
            return Ok(Call::Query(input::from_value(tagged(op, args))?));
        }
        let meta: Meta = match meta {
            Some(meta) => input::decode("meta", meta)?,
            None => Meta::default(),
        };
        if op == BATCH_OP {
            return Ok(Call::Batch(batch_commands(args)?, meta));
        }
        Ok(Call::Command(input::from_value(tagged(op, args))?, meta))
    }
}

/// `{"op": op, "args": args}`: the form [`Command`] and [`Query`] read.
fn tagged(op: String, args: Value) -> Value {
    let mut map = Map::with_capacity(2);
    map.insert("op".to_owned(), Value::String(op));
    map.insert("args".to_owned(), args);
    Value::Object(map)
}

/// The commands of a batch's `args` (`{"commands": [{"op", "args"}, …]}`), each read as a
/// [`Command`] (`args` left out: none, as in a call) with its refusal's path under
/// `args.commands[i]`.
fn batch_commands(args: Value) -> Result<Vec<Command>> {
    let Value::Object(mut map) = args else {
        return Err(Error::invalid_argument(
            "args",
            "expected an object with `commands`",
        ));
    };
    if let Some(key) = map.keys().find(|k| *k != "commands") {
        return Err(Error::invalid_argument(
            &format!("args.{key}"),
            "is not a known field (expected `commands`)",
        ));
    }
    let Some(Value::Array(commands)) = map.remove("commands") else {
        return Err(Error::invalid_argument(
            "args.commands",
            "is required: a list of commands",
        ));
    };
    if commands.len() > BATCH_COMMANDS_MAX {
        return Err(Error::limit_exceeded("batch", BATCH_COMMANDS_MAX));
    }
    commands
        .into_iter()
        .enumerate()
        .map(|(i, mut command)| {
            if let Value::Object(map) = &mut command
                && map.get("args").is_none_or(Value::is_null)
            {
                map.insert("args".to_owned(), Value::Object(Map::new()));
            }
            input::from_value(command).map_err(|err| match err {
                Error::InvalidArgument { field, reason } => Error::InvalidArgument {
                    field: format!("args.commands[{i}].{field}"),
                    reason,
                },
                other => other,
            })
        })
        .collect()
}

/// An answer as JSON. Receipts and answers are plain data (text keys, no failing
/// `Serialize`), so this cannot fail; it is still not a panic if it ever does.
pub(crate) fn to_json<T: serde::Serialize>(value: &T) -> Result<Value> {
    serde_json::to_value(value).map_err(|e| Error::Internal {
        message: format!("an answer did not serialise: {e}"),
    })
}

/// The `value` of a tagged answer (`{"op", "value"}`, an `Answer` or a
/// `CalculationAnswer`) as JSON: the op is the caller's own.
pub(crate) fn answer_value<T: serde::Serialize>(tagged: &T) -> Result<Value> {
    match to_json(tagged)? {
        Value::Object(mut tagged) => Ok(tagged.remove("value").unwrap_or(Value::Null)),
        other => Ok(other),
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use serde_json::json;

    use super::*;

    /// The `op` constants of a tagged enum's schema, in the order serde declares them.
    fn schema_ops(schema: &Value) -> Vec<String> {
        schema["oneOf"]
            .as_array()
            .expect("a tagged enum's schema is a oneOf")
            .iter()
            .map(|variant| {
                variant["properties"]["op"]["const"]
                    .as_str()
                    .expect("each variant names its op")
                    .to_owned()
            })
            .collect()
    }

    #[test]
    fn the_op_lists_are_the_contracts_names() {
        let command = serde_json::to_value(schemars::schema_for!(Command)).unwrap();
        let query = serde_json::to_value(schemars::schema_for!(Query)).unwrap();
        assert_eq!(schema_ops(&command), COMMAND_OPS);
        assert_eq!(schema_ops(&query), QUERY_OPS);
    }

    #[test]
    fn transfer_is_the_only_name_of_both_kinds_and_batch_is_neither() {
        let commands: BTreeSet<_> = COMMAND_OPS.iter().collect();
        let queries: BTreeSet<_> = QUERY_OPS.iter().collect();
        let both: Vec<_> = commands.intersection(&queries).collect();
        assert_eq!(both, [&&"transfer"]);
        assert!(!commands.contains(&BATCH_OP) && !queries.contains(&BATCH_OP));
    }

    #[test]
    fn the_kind_comes_from_the_names_not_the_args() {
        let read = |v: Value| Call::from_value(v).unwrap();
        // The shared name is the command, whatever its args…
        let command = json!({"op": "transfer", "args": {"id": "T1"}});
        let err = Call::from_value(command).unwrap_err();
        assert_eq!(err.code(), "invalid_argument");
        assert!(err.to_string().contains("args.id"), "{err}");
        // …and the query when the call says so.
        let query = read(json!({"op": "transfer", "kind": "query", "args": {"id": "T1"}}));
        assert_eq!(query, Call::Query(Query::Transfer { id: "T1".into() }));
        // A name of one kind only needs no `kind`; a wrong `kind` is refused.
        assert!(matches!(read(json!({"op": "last_seq"})), Call::Query(_)));
        let c = read(json!({"op": "expire_due", "kind": "command"}));
        assert!(matches!(c, Call::Command(Command::ExpireDue {}, _)));
        for wrong in [
            json!({"op": "receive", "kind": "query"}),
            json!({"op": "on_hand", "kind": "command"}),
            json!({"op": "on_hand", "kind": "read"}),
        ] {
            let err = Call::from_value(wrong).unwrap_err();
            assert_eq!(err.facts()[0], ("field", "kind".to_owned()));
        }
    }

    #[test]
    fn meta_goes_with_commands_and_batches_only() {
        let call = json!({"op": "expire_due", "meta": {"key": "k"}});
        assert_eq!(
            Call::from_value(call).unwrap(),
            Call::Command(Command::ExpireDue {}, Meta::new().key("k"))
        );
        let query = json!({"op": "last_seq", "meta": {"key": "k"}});
        let err = Call::from_value(query).unwrap_err();
        assert_eq!(err.facts()[0], ("field", "meta".to_owned()));
        let bad_meta = json!({"op": "expire_due", "meta": {"kee": "k"}});
        let err = Call::from_value(bad_meta).unwrap_err();
        assert_eq!(err.facts()[0], ("field", "meta.kee".to_owned()));
    }

    #[test]
    fn refusals_name_the_path_inside_a_batch() {
        let call = json!({"op": "batch", "args": {"commands": [
            {"op": "expire_due"},
            {"op": "receive", "args": {"sku": "A", "location": "L", "qty": "x"}},
        ]}});
        let err = Call::from_value(call).unwrap_err();
        assert_eq!(err.code(), "invalid_argument");
        assert_eq!(
            err.facts()[0],
            ("field", "args.commands[1].args.qty".to_owned())
        );
        let unknown = json!({"op": "batch", "args": {"commands": [], "atomic": true}});
        let err = Call::from_value(unknown).unwrap_err();
        assert_eq!(err.facts()[0], ("field", "args.atomic".to_owned()));
        let empty = Call::from_value(json!({"op": "batch", "args": {"commands": []}}));
        assert_eq!(empty.unwrap(), Call::Batch(Vec::new(), Meta::default()));
    }

    #[test]
    fn an_unknown_op_or_field_is_refused() {
        for (call, field) in [
            (json!({"op": "recieve"}), "op"),
            (json!({"args": {}}), "op"),
            (json!({"op": 3}), "op"),
            (json!({"op": "last_seq", "mode": 1}), "mode"),
            (json!([1]), "input"),
        ] {
            let err = Call::from_value(call).unwrap_err();
            assert_eq!(err.facts()[0], ("field", field.to_owned()));
        }
        let err = Call::from_json("{").unwrap_err();
        assert_eq!(err.facts()[0], ("field", "input".to_owned()));
    }
}
