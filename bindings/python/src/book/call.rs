//! `stockbook._call(book, call)`: the binding's one generic entry point. It forwards a
//! call given as JSON text to the core's `Stockbook::call_json` (the form, and the rule that
//! tells a command from a query, are the core's: `{"op", "args", "meta"?, "kind"?}`) and
//! answers its JSON text; a refusal raises the exception of its code, as every method
//! does. The scenarios drive the binding through it, and the generated surface builds on
//! it. A child of `book` to reach the handle's engine.

use pyo3::prelude::*;

use super::PyStockbook;
use crate::errors;

/// Performs one call given as JSON text on `book` and answers JSON text: a command's
/// receipt, a batch's receipts, or a query's answer. Internal: the entry point the
/// generated methods build on.
#[pyfunction]
pub(crate) fn _call(py: Python<'_>, book: &Bound<'_, PyStockbook>, call: &str) -> PyResult<String> {
    let engine = book.get().engine()?;
    errors::detach(py, || engine.call_json(call))
}
