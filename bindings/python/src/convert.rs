//! The conversions the native module makes itself: the instants and durations of the
//! clock and the errors' typed attributes. Every value of a call is converted by the
//! Python runtime (`stockbook/_runtime.py`) before it reaches `_call`.

use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyDict, PyType};
use stockbook::Timestamp;

static DECIMAL: PyOnceLock<Py<PyType>> = PyOnceLock::new();
static DATETIME: PyOnceLock<Py<PyType>> = PyOnceLock::new();
static TIMEDELTA: PyOnceLock<Py<PyType>> = PyOnceLock::new();
static EPOCH: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
static ONE_MS: PyOnceLock<Py<PyAny>> = PyOnceLock::new();

fn epoch(py: Python<'_>) -> PyResult<&Bound<'_, PyAny>> {
    EPOCH
        .get_or_try_init(py, || {
            let dt = py.import("datetime")?;
            let utc = dt.getattr("timezone")?.getattr("utc")?;
            let kwargs = PyDict::new(py);
            kwargs.set_item("tzinfo", utc)?;
            Ok::<_, PyErr>(
                dt.getattr("datetime")?
                    .call((1970, 1, 1), Some(&kwargs))?
                    .unbind(),
            )
        })
        .map(|e| e.bind(py))
}

fn one_ms(py: Python<'_>) -> PyResult<&Bound<'_, PyAny>> {
    ONE_MS
        .get_or_try_init(py, || {
            let kwargs = PyDict::new(py);
            kwargs.set_item("milliseconds", 1)?;
            Ok::<_, PyErr>(
                TIMEDELTA
                    .import(py, "datetime", "timedelta")?
                    .call((), Some(&kwargs))?
                    .unbind(),
            )
        })
        .map(|e| e.bind(py))
}

/// Exact decimal text as a `decimal.Decimal`.
pub(crate) fn decimal_from_text<'py>(py: Python<'py>, text: &str) -> PyResult<Bound<'py, PyAny>> {
    DECIMAL.import(py, "decimal", "Decimal")?.call1((text,))
}

/// An instant argument: a timezone-aware `datetime`.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Instant(pub(crate) Timestamp);

impl<'a, 'py> FromPyObject<'a, 'py> for Instant {
    type Error = PyErr;

    fn extract(obj: Borrowed<'a, 'py, PyAny>) -> PyResult<Self> {
        let py = obj.py();
        let obj = obj.to_owned();
        if !obj.is_instance(DATETIME.import(py, "datetime", "datetime")?)? {
            return Err(PyTypeError::new_err(format!(
                "an instant must be a timezone-aware datetime.datetime, not {}",
                obj.get_type().name()?
            )));
        }
        if obj.call_method0("utcoffset")?.is_none() {
            return Err(PyValueError::new_err(
                "naive datetime refused: give it a timezone (e.g. tzinfo=datetime.timezone.utc)",
            ));
        }
        let since = obj.call_method1("__sub__", (epoch(py)?,))?;
        Ok(Instant(
            since
                .call_method1("__floordiv__", (one_ms(py)?,))?
                .extract::<i64>()?,
        ))
    }
}

/// A duration argument: a `datetime.timedelta`, counted in whole milliseconds (floored).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Duration(pub(crate) i64);

impl<'a, 'py> FromPyObject<'a, 'py> for Duration {
    type Error = PyErr;

    fn extract(obj: Borrowed<'a, 'py, PyAny>) -> PyResult<Self> {
        let py = obj.py();
        let obj = obj.to_owned();
        if !obj.is_instance(TIMEDELTA.import(py, "datetime", "timedelta")?)? {
            return Err(PyTypeError::new_err(format!(
                "a duration must be a datetime.timedelta, not {}",
                obj.get_type().name()?
            )));
        }
        Ok(Duration(
            obj.call_method1("__floordiv__", (one_ms(py)?,))?
                .extract::<i64>()?,
        ))
    }
}

/// Milliseconds since the epoch as an aware UTC `datetime`.
pub(crate) fn time(py: Python<'_>, ms: Timestamp) -> PyResult<Bound<'_, PyAny>> {
    let kwargs = PyDict::new(py);
    kwargs.set_item("milliseconds", ms)?;
    let delta = TIMEDELTA
        .import(py, "datetime", "timedelta")?
        .call((), Some(&kwargs))?;
    epoch(py)?.call_method1("__add__", (delta,))
}
