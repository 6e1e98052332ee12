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
use stockbook::command::call::{COMMAND_OPS, QUERY_OPS};
use stockbook::{Calculation, Call, Command, Error, Meta, Query};

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
    let engine = book.get().engine();
    let args = args.filter(|a| !a.is_none());
    let meta = meta.filter(|m| !m.is_none());
    let call = match typed(py, &op, args, meta, kind)? {
        Some(call) => call,
        None => {
            // The call does not read as it stands: read it again through JSON, which names
            // what is wrong with it (`args.lines[0].qty`) as every binding does.
            let mut call = Map::with_capacity(4);
            call.insert("op".to_owned(), Value::String(op));
            if let Some(args) = args {
                call.insert("args".to_owned(), wire(args, "")?);
            }
            if let Some(meta) = meta {
                call.insert("meta".to_owned(), wire(meta, "")?);
            }
            if let Some(kind) = kind {
                call.insert("kind".to_owned(), Value::String(kind.to_owned()));
            }
            Call::from_value(Value::Object(call)).map_err(|e| refused(py, e))?
        }
    };
    let out = |e: Error| refused(py, e);
    let blocks = call.blocks();
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
            let answer = if blocks {
                py.detach(|| engine.query(&query))
            } else {
                engine.query(&query)
            }
            .map_err(out)?;
            answer_value(py, &answer)
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
    let engine = book.get().engine();
    errors::detach(py, || engine.call_json(call))
}

/// Computes one planning function (`stockbook::calculate`): `op` with `args` (a dict of
/// its fields, wire form); answers plain data. Pure arithmetic on the caller's numbers: the
/// GIL is released only for the series methods, which may search at length.
#[pyfunction]
#[pyo3(signature = (op, args = None))]
pub(crate) fn _calculate<'py>(
    py: Python<'py>,
    op: String,
    args: Option<&Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyAny>> {
    let long = matches!(
        op.as_str(),
        "forecast" | "auto_forecast" | "s_s_optimal_poisson"
    );
    let args = args.filter(|a| !a.is_none());
    let tagged = self::tagged(py, &op, args)?;
    let Ok(calculation) = pythonize::depythonize::<Calculation>(tagged.as_any()) else {
        // Read again through JSON, for the refusal that names the field.
        let mut call = Map::with_capacity(2);
        call.insert("op".to_owned(), Value::String(op));
        if let Some(args) = args {
            call.insert("args".to_owned(), wire(args, "")?);
        }
        let err = match stockbook::calculate(Value::Object(call)) {
            Err(err) => err,
            Ok(_) => Error::InvalidArgument {
                field: "input".to_owned(),
                reason: "is not a value of the documented type".to_owned(),
            },
        };
        return Err(refused(py, err));
    };
    let answer = if long {
        py.detach(|| calculation.run())
    } else {
        calculation.run()
    }
    .map_err(|e| refused(py, e))?;
    answer_value(py, &answer)
}

/// `{"op": op, "args": args}`, the form the core's tagged definitions read.
fn tagged<'py>(
    py: Python<'py>,
    op: &str,
    args: Option<&Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyDict>> {
    let tagged = PyDict::new(py);
    tagged.set_item("op", op)?;
    match args {
        Some(args) => tagged.set_item("args", args)?,
        None => tagged.set_item("args", PyDict::new(py))?,
    }
    Ok(tagged)
}

/// The call read straight from the Python values into the core's types (no JSON between:
/// a float stays a float, NaN included, for the engine to refuse by its own rule), or
/// `None` when it does not read so (the caller then reads it through JSON for the
/// refusal) or is a batch.
fn typed(
    py: Python<'_>,
    op: &str,
    args: Option<&Bound<'_, PyAny>>,
    meta: Option<&Bound<'_, PyAny>>,
    kind: Option<&str>,
) -> PyResult<Option<Call>> {
    let is_command = COMMAND_OPS.contains(&op);
    let is_query = QUERY_OPS.contains(&op);
    let query = match kind {
        None => !is_command && is_query,
        Some("query") if is_query => true,
        Some("command") if is_command => false,
        Some(_) => return Ok(None),
    };
    let tagged = tagged(py, op, args)?;
    if query {
        if meta.is_some() {
            return Ok(None);
        }
        return Ok(pythonize::depythonize::<Query>(tagged.as_any())
            .ok()
            .map(Call::Query));
    }
    if !is_command {
        return Ok(None);
    }
    let Ok(command) = pythonize::depythonize::<Command>(tagged.as_any()) else {
        return Ok(None);
    };
    let meta = match meta {
        None => Meta::default(),
        Some(meta) => match pythonize::depythonize::<Meta>(meta) {
            Ok(meta) => meta,
            Err(_) => return Ok(None),
        },
    };
    Ok(Some(Call::Command(command, meta)))
}

/// An answer (`{"op", "value"}`) as the plain Python data of its value: the op is the
/// caller's own.
fn answer_value<'py, T: serde::Serialize>(
    py: Python<'py>,
    answer: &T,
) -> PyResult<Bound<'py, PyAny>> {
    python(py, answer)?
        .cast_into::<PyDict>()?
        .get_item("value")?
        .map_or_else(|| Ok(py.None().into_bound(py)), Ok)
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

/// A refusal as the caller of a generated method sees it: the wire path's `args.` or
/// `meta.` dropped from the field (the facts keep the core's names below it, the message
/// the whole path: `strategy.nearest.location`), and `.field` the keyword the caller gave
/// (`strategy`).
fn refused(py: Python<'_>, err: Error) -> PyErr {
    let Error::InvalidArgument { field, reason } = err else {
        return errors::to_py(py, &err);
    };
    let field = field
        .strip_prefix("args.")
        .or_else(|| field.strip_prefix("meta."))
        .map_or(field.clone(), str::to_owned);
    let keyword = field.split(['.', '[']).next().unwrap_or(&field).to_owned();
    let err = errors::to_py(py, &Error::InvalidArgument { field, reason });
    if let Ok(attr) = err.value(py).getattr("field")
        && let Ok(spelt) = attr.extract::<String>()
    {
        // The keyword as Python spells it (`ttl`, not `ttl_ms`).
        let spelt_keyword = spelt
            .split(['.', '['])
            .next()
            .unwrap_or(&keyword)
            .to_owned();
        let _ = err.value(py).setattr("field", spelt_keyword);
    }
    err
}
