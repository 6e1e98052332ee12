//! # stockbook (Python)
//!
//! The Python binding of the Stockbook engine, built by maturin as `stockbook._stockbook`
//! and re-exported by the `stockbook` package. It converts and maps errors; every rule
//! lives in the core crate.
//!
//! ## Map of the crate
//! - [`book`]: the `Stockbook` handle (one method per core command and query),
//!   `ManualClock`, the lazy event iterator, `open` and `in_memory`;
//! - [`records`]: the result objects (`Item`, `Balance`, `Receipt`, `Event`, …);
//! - [`convert`]: every conversion of values (quantities, instants, enums, nested data);
//! - [`errors`]: the exception family, one class per core error code.
#![forbid(unsafe_code)]
// Python keyword arguments mirror the Rust fields one for one, plus the five of `Meta`.
#![allow(clippy::too_many_arguments)]

pub mod book;
pub mod convert;
pub mod errors;
pub mod records;

use pyo3::prelude::*;

/// The native module; import `stockbook`, not this.
#[pymodule]
fn _stockbook(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(book::open, m)?)?;
    m.add_function(wrap_pyfunction!(book::in_memory, m)?)?;
    m.add_class::<book::PyStockbook>()?;
    m.add_class::<book::PyManualClock>()?;
    m.add_class::<book::PyEventIterator>()?;
    m.add_class::<records::PyItem>()?;
    m.add_class::<records::PyUnitConversion>()?;
    m.add_class::<records::PyLocation>()?;
    m.add_class::<records::PyCapacity>()?;
    m.add_class::<records::PyCoordinates>()?;
    m.add_class::<records::PyLot>()?;
    m.add_class::<records::PySerial>()?;
    m.add_class::<records::PyBalance>()?;
    m.add_class::<records::PyTransferRecord>()?;
    m.add_class::<records::PyReceipt>()?;
    m.add_class::<records::PyIntegrityReport>()?;
    m.add_class::<records::PyEvent>()?;
    m.add_class::<records::PyMovement>()?;
    m.add_class::<records::PyCountRecord>()?;
    m.add_class::<records::PyItemArchived>()?;
    m.add_class::<records::PyLocationArchived>()?;
    m.add_class::<records::PyTransferReceived>()?;
    m.add("FORMAT_VERSION", stockbook::FORMAT_VERSION)?;
    errors::register(m)?;
    m.add_function(wrap_pyfunction!(errors::_error_class, m)?)?;
    Ok(())
}
