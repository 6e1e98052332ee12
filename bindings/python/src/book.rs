//! The native handle: `open` / `in_memory`, closing and syncing, the lazy event iterator,
//! the fail-stop test hook and `ManualClock`. Every command and query goes through
//! [`call`] (`_call`, the one generic entry point); the methods Python callers use are
//! generated (`stockbook/_surface.py`) over this handle.

use std::path::PathBuf;
use std::sync::{Arc, Mutex, PoisonError};

use pyo3::prelude::*;
use pyo3::types::PyString;
use stockbook::{Durability, EventIter, ManualClock, Options};

pub(crate) mod call;

use crate::convert::{self, Duration, Instant};
use crate::errors;
/// A clock that moves only when told: for tests and simulations. Pass it as `clock=` to
/// `open` or `in_memory`; the engine then reads its time from it.
#[pyclass(frozen, name = "ManualClock", module = "stockbook")]
pub struct PyManualClock(Arc<ManualClock>);

#[pymethods]
impl PyManualClock {
    /// A clock standing at `now` (a timezone-aware datetime).
    #[new]
    fn new(now: Instant) -> Self {
        PyManualClock(ManualClock::new(now.0))
    }

    /// Sets the time.
    fn set(&self, now: Instant) {
        self.0.set(now.0);
    }

    /// Moves the time forward by `by` (a timedelta, whole milliseconds).
    fn advance(&self, by: Duration) {
        self.0.advance(by.0);
    }

    /// The clock's time, as an aware UTC datetime.
    fn now<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        convert::time(py, stockbook::Clock::now_ms(&*self.0))
    }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        Ok(format!("ManualClock({})", self.now(py)?.repr()?))
    }
}

/// The native handle of an open Stockbook (the package's `Stockbook` class wraps it).
#[pyclass(frozen, name = "Stockbook", module = "stockbook._stockbook")]
pub struct PyStockbook {
    book: stockbook::Stockbook,
}

impl PyStockbook {
    /// The engine, for the generic entry points.
    pub(crate) fn engine(&self) -> &stockbook::Stockbook {
        &self.book
    }
}

#[pymethods]
impl PyStockbook {
    /// Closes the engine for every user of this handle: waits for queued commands, makes
    /// everything durable and releases the file. Later calls raise `Closed`.
    fn close(&self, py: Python<'_>) -> PyResult<()> {
        errors::detach(py, || self.book.close())
    }

    /// Makes everything committed so far durable (needed only with `durability="bulk_load"`).
    fn sync(&self, py: Python<'_>) -> PyResult<()> {
        errors::detach(py, || self.book.sync())
    }

    /// Test hook: the next command naming `sku` panics inside the writer and is refused
    /// with `Internal` (`None` disarms). Not part of the API.
    #[pyo3(signature = (sku))]
    fn _inject_panic_for_sku(&self, py: Python<'_>, sku: Option<&str>) -> PyResult<()> {
        errors::detach(py, || self.book.inject_panic_for_sku(sku))
    }

    /// The file's path (`None` in memory).
    #[getter]
    fn path(&self) -> Option<String> {
        self.book.path().map(|p| p.display().to_string())
    }

    /// Every event from sequence `from_seq` on, as a lazy iterator of plain data that reads
    /// the log a page at a time.
    #[pyo3(signature = (from_seq = 1))]
    fn events(&self, from_seq: u64) -> PyEventIterator {
        PyEventIterator(Mutex::new(self.book.events_iter(from_seq)))
    }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        Ok(match self.book.path() {
            Some(p) => format!(
                "Stockbook({})",
                PyString::new(py, &p.display().to_string()).repr()?
            ),
            None => "Stockbook(':memory:')".to_owned(),
        })
    }
}

/// The events of the log, read lazily a page at a time (from `Stockbook.events`).
#[pyclass(frozen, name = "EventIterator", module = "stockbook._stockbook")]
pub struct PyEventIterator(Mutex<EventIter>);

#[pymethods]
impl PyEventIterator {
    fn __iter__(slf: Py<Self>) -> Py<Self> {
        slf
    }

    /// The next event as plain data (the generated `Envelope` reads it).
    fn __next__<'py>(&self, py: Python<'py>) -> PyResult<Option<Bound<'py, PyAny>>> {
        let next = py.detach(|| self.0.lock().unwrap_or_else(PoisonError::into_inner).next());
        match next {
            None => Ok(None),
            Some(Ok(env)) => Ok(Some(pythonize::pythonize(py, &env)?)),
            Some(Err(e)) => Err(errors::to_py(py, &e)),
        }
    }
}

fn options(durability: &str, clock: Option<&Bound<'_, PyManualClock>>) -> PyResult<Options> {
    let durability: Durability =
        serde_json::from_value(serde_json::Value::String(durability.to_owned())).map_err(|_| {
            errors::invalid_argument("durability", format!("unknown durability {durability:?}"))
        })?;
    let mut options = Options::default().with_durability(durability);
    if let Some(clock) = clock {
        options.clock = clock.get().0.clone();
    }
    Ok(options)
}

/// Opens (or creates) the Stockbook file at `path`. `durability` is `"immediate"` (every
/// commit is durable before it returns) or `"bulk_load"` (commits are flushed by `sync()`
/// or `close()`; a crash loses what was not synced). `clock` is a `ManualClock` for tests.
///
/// Raises `Locked` when another process has it open, `NotAStockbookFile` for any other
/// file, `UnsupportedFormat` for a file of a newer format, and `FileNotFoundError` (as
/// `stockbook.IoNotFound`) when its directory does not exist.
#[pyfunction]
#[pyo3(signature = (path, *, durability = "immediate", clock = None))]
pub fn open(
    py: Python<'_>,
    path: PathBuf,
    durability: &str,
    clock: Option<&Bound<'_, PyManualClock>>,
) -> PyResult<PyStockbook> {
    let options = options(durability, clock)?;
    let book = py
        .detach(|| stockbook::Stockbook::open_with(&path, options))
        .map_err(|e| errors::to_py(py, &e))?;
    Ok(PyStockbook { book })
}

/// A Stockbook that lives in memory only: for tests and scratch work. Options as for
/// `open`.
#[pyfunction]
#[pyo3(signature = (*, durability = "immediate", clock = None))]
pub fn in_memory(
    py: Python<'_>,
    durability: &str,
    clock: Option<&Bound<'_, PyManualClock>>,
) -> PyResult<PyStockbook> {
    let options = options(durability, clock)?;
    let book = py
        .detach(|| stockbook::Stockbook::in_memory_with(options))
        .map_err(|e| errors::to_py(py, &e))?;
    Ok(PyStockbook { book })
}
