//! # stockbook (Python)
//!
//! The native module of the Python binding, built by maturin as `stockbook._stockbook`.
//! It holds what is written once for the language, never per command: the handle and its
//! lifecycle, the generic entry points and the exception family. The methods, records and
//! planning functions are generated from the core's one definition
//! (`cargo run -p xtask -- generate` writes `stockbook/_surface.py`) and call `_call` /
//! `_calculate`; every rule lives in the core crate.
//!
//! ## Map of the crate
//! - [`book`]: the handle (`open`, `in_memory`, `close`, `sync`, the event iterator, the
//!   fail-stop hook) and `ManualClock`; `book::call`: `_call`, `_calculate`, `_call_json`;
//! - [`convert`]: the instants and durations of the clock;
//! - [`errors`]: the exception family, one class per core error code.
#![forbid(unsafe_code)]

pub mod book;
pub mod convert;
pub mod errors;

use pyo3::prelude::*;

/// The native module; import `stockbook`, not this.
#[pymodule]
fn _stockbook(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(book::open, m)?)?;
    m.add_function(wrap_pyfunction!(book::in_memory, m)?)?;
    m.add_function(wrap_pyfunction!(book::call::_call, m)?)?;
    m.add_function(wrap_pyfunction!(book::call::_call_json, m)?)?;
    m.add_function(wrap_pyfunction!(book::call::_calculate, m)?)?;
    m.add_class::<book::PyStockbook>()?;
    m.add_class::<book::PyManualClock>()?;
    m.add_class::<book::PyEventIterator>()?;
    m.add("FORMAT_VERSION", stockbook::FORMAT_VERSION)?;
    // The package's version: maturin takes it from this crate's (the workspace's) version.
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    errors::register(m)?;
    m.add_function(wrap_pyfunction!(errors::_error_class, m)?)?;
    m.add_function(wrap_pyfunction!(errors::_invalid_argument, m)?)?;
    m.add_function(wrap_pyfunction!(errors::_error, m)?)?;
    Ok(())
}
