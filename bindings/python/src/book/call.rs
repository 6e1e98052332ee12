//! The binding's generic entry points, children of `book` to reach the handle's engine.
//!
//! - `_call(book, op, args, meta, kind)`: what every generated method calls. `args` and
//!   `meta` are plain Python data (dicts, lists, text, numbers, `None`: the generated
//!   surface has already turned quantities, instants and durations into their wire form);
//!   they are read into the core's `Call` through serde (`pythonize`, no JSON text) and the
//!   answer comes back as plain Python data the same way. A refusal names the field as the
//!   caller spelt it (`qty`, `ttl`), not the wire path (`args.qty`, `args.ttl_ms`).
//! - `_call_json(book, text)`: the same call as JSON text, answered in JSON text, with the
//!   core's field paths in refusals: the scenarios' language-neutral entry.
//!
//! A command, a batch and a query that reads the store release the GIL; a cheap read of the
//! in-memory state keeps it (releasing and re-taking the GIL costs more than such a read).

use pyo3::prelude::*;
use pyo3::types::PyDict;
use serde_json::{Map, Value};
use stockbook::{Call, Error, Query};

use super::PyStockbook;
use crate::errors;

/// Performs one call on `book`: `op` (a command, a query or `batch`) with `args` (a dict
/// of its fields, wire form), `meta` (a dict of `Meta`'s fields, commands only) and `kind`
/// (`"command"` or `"query"`, where `op` names both). Answers plain data: a command's
/// receipt as a dict, a batch's receipts as a list, a query's answer. Internal: the entry
/// point the generated methods build on.
#[pyfunction]
#[pyo3(signature = (book, op, args = None, meta = None, kind = None))]
pub(crate) fn _call<'py>(
    py: Python<'py>,
    book: &Bound<'py, PyStockbook>,
    op: String,
    args: Option<&Bound<'py, PyAny>>,
    meta: Option<&Bound<'py, PyAny>>,
    kind: Option<&str>,
) -> PyResult<Bound<'py, PyAny>> {
    let engine = book.get().engine()?;
    let mut call = Map::with_capacity(4);
    call.insert("op".to_owned(), Value::String(op));
    if let Some(args) = args.filter(|a| !a.is_none()) {
        call.insert("args".to_owned(), wire(args, "")?);
    }
    if let Some(meta) = meta.filter(|m| !m.is_none()) {
        call.insert("meta".to_owned(), wire(meta, "")?);
    }
    if let Some(kind) = kind {
        call.insert("kind".to_owned(), Value::String(kind.to_owned()));
    }
    let call = Call::from_value(Value::Object(call)).map_err(|e| refused(py, e))?;
    let out = |e: Error| refused(py, e);
    match call {
        Call::Command(command, meta) => {
            let receipt = py.detach(|| engine.execute(command, meta)).map_err(out)?;
            python(py, &receipt)
        }
        Call::Batch(commands, meta) => {
            let receipts = py
                .detach(|| engine.execute_batch(commands, meta))
                .map_err(out)?;
            python(py, &receipts)
        }
        Call::Query(query) => {
            let answer = if reads_the_store(&query) {
                py.detach(|| engine.query(&query))
            } else {
                engine.query(&query)
            }
            .map_err(out)?;
            // The answer is `{"op", "value"}`: the op is the caller's own.
            python(py, &answer)?
                .cast_into::<PyDict>()?
                .get_item("value")?
                .map_or_else(|| Ok(py.None().into_bound(py)), Ok)
        }
    }
}

/// Performs one call given as JSON text on `book` and answers JSON text: a command's
/// receipt, a batch's receipts, or a query's answer. Refusals name the core's field paths
/// (`args.qty`). Internal: the scenarios' entry point.
#[pyfunction]
pub(crate) fn _call_json(
    py: Python<'_>,
    book: &Bound<'_, PyStockbook>,
    call: &str,
) -> PyResult<String> {
    let engine = book.get().engine()?;
    errors::detach(py, || engine.call_json(call))
}

/// Whether answering `query` reads the store or computes at length (point-in-time reads,
/// the log, verification, plans): then the GIL is released around it.
fn reads_the_store(query: &Query) -> bool {
    matches!(
        query,
        Query::OnHandAt { .. }
            | Query::ReservedAt { .. }
            | Query::AvailableAt { .. }
            | Query::Events { .. }
            | Query::History { .. }
            | Query::Verify {}
            | Query::DemandHistory { .. }
            | Query::ReplenishmentPlan(_)
            | Query::LeadTimeStats { .. }
    )
}

/// A core value as plain Python data.
fn python<'py, T: serde::Serialize>(py: Python<'py>, value: &T) -> PyResult<Bound<'py, PyAny>> {
    pythonize::pythonize(py, value).map_err(PyErr::from)
}

/// Plain Python data as a JSON value. What serde cannot take (an integer beyond 64 bits, a
/// `set`, an object) is refused as `invalid_argument` naming the key it was found under.
fn wire(value: &Bound<'_, PyAny>, field: &str) -> PyResult<Value> {
    match pythonize::depythonize::<Value>(value) {
        Ok(v) => Ok(v),
        Err(err) => {
            if let Ok(dict) = value.cast::<PyDict>() {
                for (key, item) in dict.iter() {
                    let key = key.str()?.to_string();
                    let path = if field.is_empty() {
                        key
                    } else {
                        format!("{field}.{key}")
                    };
                    wire(&item, &path)?;
                }
            }
            let reason = if value.is_instance_of::<pyo3::types::PyInt>() {
                format!("is out of range (got {})", value.str()?)
            } else {
                format!("is not a value of the documented type ({err})")
            };
            let field = if field.is_empty() { "input" } else { field };
            Err(errors::to_py(
                value.py(),
                &Error::InvalidArgument {
                    field: field.to_owned(),
                    reason,
                },
            ))
        }
    }
}

/// A refusal with its field as the caller of a generated method spelt it: the wire path's
/// `args.` or `meta.` dropped (the facts keep the core's field name below it).
fn refused(py: Python<'_>, err: Error) -> PyErr {
    let err = match err {
        Error::InvalidArgument { field, reason } => {
            let field = field
                .strip_prefix("args.")
                .or_else(|| field.strip_prefix("meta."))
                .map_or(field.clone(), str::to_owned);
            Error::InvalidArgument { field, reason }
        }
        other => other,
    };
    errors::to_py(py, &err)
}
