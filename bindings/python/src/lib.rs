//! # stockbook (Python)
//!
//! The Python binding of the Stockbook engine, built by maturin as `stockbook._stockbook`
//! and re-exported by the `stockbook` package. It converts and maps errors; every rule
//! lives in the core crate.
//!
//! ## Map of the crate
//! - [`book`]: the `Stockbook` handle (one method per core command and query),
//!   `ManualClock`, the lazy event iterator, `open` and `in_memory`; `book::call`: `_call`,
//!   the one generic entry point (a call as JSON text, forwarded to the core);
//! - [`records`]: the result objects (`Item`, `Balance`, `Receipt`, `Event`, `Order`,
//!   `Reservation`, …), each declared once with the `record!` macro;
//! - [`planning`]: the planning result objects and the pure forecasting and policy
//!   functions (`stockbook.forecast`, `stockbook.eoq`, …);
//! - [`convert`]: every conversion of values (quantities, instants, enums, nested data);
//! - [`errors`]: the exception family, one class per core error code.
#![forbid(unsafe_code)]
// Python keyword arguments mirror the Rust fields one for one, plus the five of `Meta`.
#![allow(clippy::too_many_arguments)]

// `record!` is defined in `records` and used by `planning`: declared first.
#[macro_use]
pub mod records;
pub mod book;
pub mod convert;
pub mod errors;
pub mod planning;

use pyo3::prelude::*;

/// The native module; import `stockbook`, not this.
#[pymodule]
fn _stockbook(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(book::open, m)?)?;
    m.add_function(wrap_pyfunction!(book::in_memory, m)?)?;
    m.add_function(wrap_pyfunction!(book::call::_call, m)?)?;
    m.add_function(wrap_pyfunction!(book::call::_call_json, m)?)?;
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
    m.add_class::<records::PyReservation>()?;
    m.add_class::<records::PyPick>()?;
    m.add_class::<records::PyOrderLine>()?;
    m.add_class::<records::PyPackageContent>()?;
    m.add_class::<records::PyPackage>()?;
    m.add_class::<records::PyOrder>()?;
    m.add_class::<records::PyStockLevel>()?;
    m.add_class::<records::PyBackorder>()?;
    m.add_class::<records::PyAllocationLine>()?;
    m.add_class::<records::PyAllocationPlan>()?;
    m.add_class::<records::PyReservationCommitted>()?;
    m.add_class::<records::PyReservationReleased>()?;
    m.add_class::<records::PyReservationExpired>()?;
    m.add_class::<records::PyOrderChanged>()?;
    m.add_class::<records::PyPurchaseOrderChanged>()?;
    planning::register(m)?;
    m.add("FORMAT_VERSION", stockbook::FORMAT_VERSION)?;
    // The package's version: maturin takes it from this crate's (the workspace's) version.
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    errors::register(m)?;
    m.add_function(wrap_pyfunction!(errors::_error_class, m)?)?;
    Ok(())
}
