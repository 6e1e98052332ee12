//! The exception family: `stockbook.StockbookError` and one subclass per core error code.
//!
//! Every exception carries the core's stable `.code`, its facts as a `.facts` dict of text
//! (exactly what the core reports, as in the scenarios) and each fact again as a typed
//! attribute (`.sku`, `.requested` as `Decimal`, `.index` as `int`, …). `io` errors are
//! also the matching builtin (`FileNotFoundError`, `PermissionError`, else `OSError`).
//! A code this build does not know falls back to the base class with its code intact.

use std::borrow::Cow;

use pyo3::exceptions::PyException;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyBool, PyDict, PyString, PyTuple, PyType};
use stockbook::Error;

use crate::convert;

/// The class name of a core error code: `insufficient_stock` is `InsufficientStock`. Every
/// code of the core but `io` (whose classes are builtins too, below) gets its class; the
/// docstrings are the core's own, set by the package from the generated surface.
fn class_name(code: &str) -> String {
    code.split('_')
        .map(|part| {
            let mut chars = part.chars();
            chars.next().map_or_else(String::new, |first| {
                first.to_uppercase().chain(chars).collect::<String>()
            })
        })
        .collect()
}

/// The codes that get a class of their own (every code but `io`).
fn codes() -> impl Iterator<Item = &'static str> {
    Error::CODES.iter().copied().filter(|code| *code != "io")
}

/// The `io` classes, which are builtins too: (class name, builtin base, io kind, errno).
const IO_CLASSES: &[(&str, &str, Option<&str>, Option<i32>)] = &[
    ("Io", "OSError", None, None),
    (
        "IoNotFound",
        "FileNotFoundError",
        Some("not_found"),
        Some(2),
    ),
    (
        "IoPermissionDenied",
        "PermissionError",
        Some("permission_denied"),
        Some(13),
    ),
];

/// Facts whose text is a quantity, given to Python as `Decimal`.
const DECIMAL_FACTS: &[&str] = &["requested", "available"];
/// Names an exception already uses for something else: such facts stay in `.facts` only.
const RESERVED: &[&str] = &["code", "facts", "args", "source"];

struct Family {
    base: Py<PyType>,
    by_code: Vec<(&'static str, Py<PyType>)>,
    io: Vec<(Option<&'static str>, Option<i32>, Py<PyType>)>,
}

static FAMILY: PyOnceLock<Family> = PyOnceLock::new();

fn family(py: Python<'_>) -> PyResult<&Family> {
    FAMILY.get_or_try_init(py, || {
        let builtins = py.import("builtins")?;
        let type_ = builtins.getattr("type")?;
        let make = |name: &str, bases: Bound<'_, PyTuple>, doc: &str| -> PyResult<Py<PyType>> {
            let ns = PyDict::new(py);
            ns.set_item("__module__", "stockbook")?;
            ns.set_item("__doc__", doc)?;
            Ok(type_
                .call1((name, bases, ns))?
                .cast_into::<PyType>()?
                .unbind())
        };
        let base = make(
            "StockbookError",
            PyTuple::new(py, [py.get_type::<PyException>()])?,
            "Base of every Stockbook error: `.code` is the core's stable error code, `.facts` \
             its facts as text, and each fact is also an attribute.",
        )?;
        let mut by_code = Vec::with_capacity(Error::CODES.len());
        for code in codes() {
            let doc = format!("The core's `{code}` error.");
            let bases = PyTuple::new(py, [base.bind(py)])?;
            by_code.push((code, make(&class_name(code), bases, &doc)?));
        }
        let mut io = Vec::with_capacity(IO_CLASSES.len());
        let io_doc = "The file or directory could not be read or written (also the builtin OSError \
                      subclass that fits).";
        let mut io_base: Option<Py<PyType>> = None;
        for (name, builtin, kind, errno) in IO_CLASSES {
            let builtin = builtins.getattr(*builtin)?;
            let first = io_base
                .as_ref()
                .map_or_else(|| base.bind(py).clone(), |b| b.bind(py).clone());
            let bases = PyTuple::new(py, [first.into_any(), builtin])?;
            let class = make(name, bases, io_doc)?;
            io_base.get_or_insert_with(|| class.clone_ref(py));
            io.push((*kind, *errno, class));
        }
        Ok(Family { base, by_code, io })
    })
}

/// Adds every exception class to the module.
pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = m.py();
    let family = family(py)?;
    m.add("StockbookError", family.base.bind(py))?;
    for (code, class) in &family.by_code {
        m.add(class_name(code).as_str(), class.bind(py))?;
    }
    for ((name, _, _, _), (_, _, class)) in IO_CLASSES.iter().zip(&family.io) {
        m.add(*name, class.bind(py))?;
    }
    Ok(())
}

/// The class of a (non-`io`) code: its own, or the base class for a code this build does
/// not know yet.
fn class_for<'a>(family: &'a Family, code: &str) -> &'a Py<PyType> {
    family
        .by_code
        .iter()
        .find(|(c, _)| *c == code)
        .map_or(&family.base, |(_, class)| class)
}

/// `_error_class(code)`: the exception class raised for a core error code (for tests).
#[pyfunction]
pub(crate) fn _error_class(py: Python<'_>, code: &str) -> PyResult<Py<PyType>> {
    Ok(class_for(family(py)?, code).clone_ref(py))
}

/// A core error on its way to Python. The wrapper exists because `From<stockbook::Error>
/// for PyErr` would implement a foreign trait for a foreign type (the orphan rule).
#[derive(Debug)]
pub(crate) struct CoreError(pub(crate) Error);

impl From<Error> for CoreError {
    fn from(err: Error) -> Self {
        CoreError(err)
    }
}

impl From<CoreError> for PyErr {
    fn from(err: CoreError) -> PyErr {
        Python::attach(|py| to_py(py, &err.0))
    }
}

/// Releases the GIL, runs `f` (an engine call or a pure planning computation) and maps
/// its error: every call into the core goes through here.
pub(crate) fn detach<T: Send>(
    py: Python<'_>,
    f: impl FnOnce() -> stockbook::Result<T> + Send,
) -> PyResult<T> {
    py.detach(f).map_err(|e| to_py(py, &e))
}

/// The Python exception for a core error.
pub(crate) fn to_py(py: Python<'_>, err: &Error) -> PyErr {
    match build(py, err) {
        Ok(instance) => PyErr::from_value(instance),
        Err(failure) => failure,
    }
}

/// A core error as an exception object, not raised (a plan's problems carry them).
pub(crate) fn instance<'py>(py: Python<'py>, err: &Error) -> PyResult<Bound<'py, PyAny>> {
    build(py, err)
}

/// A core field name as a Python caller spells it: instants and durations are datetimes
/// and timedeltas, so `ttl_ms` is the keyword `ttl` and `expiry_ms` the attribute `expiry`.
fn python_name(name: &str) -> String {
    name.split('.')
        .map(|part| part.strip_suffix("_ms").unwrap_or(part))
        .collect::<Vec<_>>()
        .join(".")
}

/// `err` with the argument or parameter it names spelt as in Python.
fn spelled(err: &Error) -> Cow<'_, Error> {
    match err {
        Error::InvalidArgument { field, reason } => Cow::Owned(Error::InvalidArgument {
            field: python_name(field),
            reason: reason.clone(),
        }),
        Error::InvalidParameter { parameter, reason } => Cow::Owned(Error::InvalidParameter {
            parameter: python_name(parameter),
            reason: reason.clone(),
        }),
        _ => Cow::Borrowed(err),
    }
}

fn build<'py>(py: Python<'py>, err: &Error) -> PyResult<Bound<'py, PyAny>> {
    let family = family(py)?;
    // `.facts` keeps the core's names (the scenarios' language-neutral contract); the
    // message and the typed attributes speak Python.
    let facts = err.facts();
    let err = &*spelled(err);
    let code = err.code();
    let message = err.to_string();
    let instance = if let Error::Io { path, kind, .. } = err {
        let (_, errno, class) = family
            .io
            .iter()
            .find(|(k, _, _)| k.is_some_and(|k| k == kind))
            .unwrap_or(&family.io[0]);
        let class = class.bind(py);
        if let Some(errno) = errno {
            class.call1((*errno, message.as_str(), path.as_str()))?
        } else {
            let e = class.call1((message.as_str(),))?;
            e.setattr("filename", path.as_str())?;
            e
        }
    } else {
        class_for(family, code)
            .bind(py)
            .call1((message.as_str(),))?
    };
    instance.setattr("code", PyString::new(py, code))?;
    let facts_dict = PyDict::new(py);
    for (name, text) in facts {
        facts_dict.set_item(name, text)?;
    }
    instance.setattr("facts", facts_dict)?;
    // Each field again as a typed attribute, absent ones as None: from the error's own
    // serialised form, so a field added to the core shows up here without a change.
    if let Ok(serde_json::Value::Object(outer)) = serde_json::to_value(err)
        && let Some((_, serde_json::Value::Object(fields))) = outer.into_iter().next()
    {
        for (name, value) in fields {
            if RESERVED.contains(&name.as_str()) {
                continue;
            }
            // An instant (`expiry_ms`) is an aware datetime under its Python name.
            if let (Some(stem), serde_json::Value::Number(n)) = (name.strip_suffix("_ms"), &value)
                && let Some(ms) = n.as_i64()
            {
                instance.setattr(stem, convert::time(py, ms)?)?;
                continue;
            }
            let value = match value {
                serde_json::Value::String(text) if DECIMAL_FACTS.contains(&name.as_str()) => {
                    convert::decimal_from_text(py, &text)?
                }
                serde_json::Value::String(text) => PyString::new(py, &text).into_any(),
                serde_json::Value::Number(n) => match n.as_i64() {
                    Some(n) => n.into_pyobject(py)?.into_any(),
                    None => PyString::new(py, &n.to_string()).into_any(),
                },
                serde_json::Value::Bool(b) => PyBool::new(py, b).to_owned().into_any(),
                serde_json::Value::Null => py.None().into_bound(py),
                _ => continue,
            };
            instance.setattr(name.as_str(), value)?;
        }
    }
    if let Error::BatchRefused { source, .. } = err {
        let inner = build(py, source)?;
        instance.setattr("source", &inner)?;
        instance.setattr("__cause__", inner)?;
    }
    Ok(instance)
}

/// A conversion refused by the binding, raised as the core error a Rust caller would see.
pub(crate) fn invalid_argument(field: &str, reason: impl Into<String>) -> PyErr {
    CoreError(Error::InvalidArgument {
        field: field.to_owned(),
        reason: reason.into(),
    })
    .into()
}

/// `_invalid_argument(field, reason)`: the `InvalidArgument` a refusal of the Python
/// surface raises (the same class, message and facts as the core's).
#[pyfunction]
pub(crate) fn _invalid_argument<'py>(
    py: Python<'py>,
    field: &str,
    reason: &str,
) -> PyResult<Bound<'py, PyAny>> {
    instance(
        py,
        &Error::InvalidArgument {
            field: field.to_owned(),
            reason: reason.to_owned(),
        },
    )
}

/// `_error(data)`: the exception of a core error given as data (an error an answer
/// carries, as a plan's problems do), not raised.
#[pyfunction]
pub(crate) fn _error<'py>(
    py: Python<'py>,
    data: &Bound<'py, PyAny>,
) -> PyResult<Bound<'py, PyAny>> {
    let err: Error = pythonize::depythonize(data)?;
    instance(py, &err)
}
