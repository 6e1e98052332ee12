//! Every conversion between Python values and the core's, in one place.
//!
//! - Quantities: `int`, `str` or `decimal.Decimal` in (never `float`, never `bool`), exact
//!   `Decimal` out, at the item's precision.
//! - Instants: timezone-aware `datetime` in (a naive one is a `ValueError`), aware UTC
//!   `datetime` out. The core counts milliseconds; finer digits are dropped (floored).
//! - Enums (`tracking`, `kind`): their snake_case names as `str`.
//! - Nested master data (`conversions`, `capacity`, `coordinates`): mappings, pairs or the
//!   result objects themselves, so a record's `to_dict()` can be passed back in.

// Field converters share one shape, `fn(Python, &Field)`, so the record macro can call any
// of them on a borrowed field: hence `&Option<T>` and `&i64` parameters.
#![allow(clippy::ref_option, clippy::trivially_copy_pass_by_ref)]

use std::collections::BTreeMap;

use pyo3::BoundObject;
use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyBool, PyDict, PyFloat, PyInt, PyMapping, PyString, PyType};
use stockbook::{Capacity, Coordinates, Meta, Qty, Timestamp, UnitConversion};

use crate::errors::{CoreError, invalid_argument};

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

// ---- quantities ---------------------------------------------------------------------------

/// A quantity argument: `int`, `str` or `decimal.Decimal`.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Quantity(pub(crate) Qty);

impl<'a, 'py> FromPyObject<'a, 'py> for Quantity {
    type Error = PyErr;

    fn extract(obj: Borrowed<'a, 'py, PyAny>) -> PyResult<Self> {
        let py = obj.py();
        let obj = obj.to_owned();
        if obj.is_instance_of::<PyBool>() || obj.is_instance_of::<PyFloat>() {
            return Err(PyTypeError::new_err(format!(
                "quantities are exact: pass an int, str or decimal.Decimal, not {}",
                obj.get_type().name()?
            )));
        }
        let text = if obj.is_instance_of::<PyInt>() {
            if let Ok(n) = obj.extract::<i64>() {
                return Ok(Quantity(Qty::from_int(n)));
            }
            obj.str()?.to_string()
        } else if obj.is_instance_of::<PyString>() {
            obj.extract::<String>()?
        } else if obj.is_instance(DECIMAL.import(py, "decimal", "Decimal")?)? {
            if !obj.call_method0("is_finite")?.is_truthy()? {
                return Err(CoreError(stockbook::Error::InvalidQuantity {
                    value: obj.str()?.to_string(),
                    reason: "not a finite number".into(),
                })
                .into());
            }
            // Fixed-point text: `str(Decimal("1E+2"))` would be "1E+2".
            obj.call_method1("__format__", ("f",))?
                .extract::<String>()?
        } else {
            return Err(PyTypeError::new_err(format!(
                "a quantity must be an int, str or decimal.Decimal, not {}",
                obj.get_type().name()?
            )));
        };
        Qty::parse(&text)
            .map(Quantity)
            .map_err(|e| CoreError(e).into())
    }
}

/// Exact decimal text as a `decimal.Decimal`.
pub(crate) fn decimal_from_text<'py>(py: Python<'py>, text: &str) -> PyResult<Bound<'py, PyAny>> {
    DECIMAL.import(py, "decimal", "Decimal")?.call1((text,))
}

/// A quantity as a `decimal.Decimal` at its scale (`Decimal("8.25")`).
pub(crate) fn qty<'py>(py: Python<'py>, q: &Qty) -> PyResult<Bound<'py, PyAny>> {
    decimal_from_text(py, &q.to_string())
}

/// An optional quantity as `Decimal | None`.
pub(crate) fn opt_qty<'py>(py: Python<'py>, q: &Option<Qty>) -> PyResult<Bound<'py, PyAny>> {
    match q {
        Some(q) => qty(py, q),
        None => Ok(py.None().into_bound(py)),
    }
}

// ---- instants ---------------------------------------------------------------------------

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
pub(crate) fn time<'py>(py: Python<'py>, ms: &Timestamp) -> PyResult<Bound<'py, PyAny>> {
    let kwargs = PyDict::new(py);
    kwargs.set_item("milliseconds", *ms)?;
    let delta = TIMEDELTA
        .import(py, "datetime", "timedelta")?
        .call((), Some(&kwargs))?;
    epoch(py)?.call_method1("__add__", (delta,))
}

/// An optional instant as `datetime | None`.
pub(crate) fn opt_time<'py>(
    py: Python<'py>,
    ms: &Option<Timestamp>,
) -> PyResult<Bound<'py, PyAny>> {
    match ms {
        Some(ms) => time(py, ms),
        None => Ok(py.None().into_bound(py)),
    }
}

// ---- plain values and enums ---------------------------------------------------------------

/// Any value Python already understands (text, numbers, flags, lists and maps of them).
pub(crate) fn plain<'py, T>(py: Python<'py>, v: &T) -> PyResult<Bound<'py, PyAny>>
where
    T: Clone + IntoPyObject<'py>,
{
    v.clone()
        .into_pyobject(py)
        .map(BoundObject::into_any)
        .map(BoundObject::into_bound)
        .map_err(Into::into)
}

/// An enum as its snake_case name (`"lot"`, `"in_transit"`).
pub(crate) fn name<'py, T: serde::Serialize>(
    py: Python<'py>,
    v: &T,
) -> PyResult<Bound<'py, PyAny>> {
    match serde_json::to_value(v) {
        Ok(serde_json::Value::String(s)) => Ok(PyString::new(py, &s).into_any()),
        _ => Err(PyValueError::new_err("an enum without a name")),
    }
}

/// An enum from its snake_case name; an unknown name is the core's `invalid_argument`.
pub(crate) fn parse_name<T: serde::de::DeserializeOwned>(field: &str, text: &str) -> PyResult<T> {
    serde_json::from_value(serde_json::Value::String(text.to_owned()))
        .map_err(|_| invalid_argument(field, format!("unknown {field} {text:?}")))
}

// ---- nested master data -------------------------------------------------------------------

/// `conversions`: `{"box": 12}`, or pairs `[("box", 12)]`, or `[{"unit": "box", "factor": 12}]`
/// (what `Item.to_dict()` gives), or `UnitConversion` objects.
pub(crate) fn conversions(obj: Option<&Bound<'_, PyAny>>) -> PyResult<Vec<UnitConversion>> {
    let Some(obj) = obj.filter(|o| !o.is_none()) else {
        return Ok(Vec::new());
    };
    let mut out = Vec::new();
    if let Ok(map) = obj.cast::<PyMapping>() {
        for pair in map.items()?.iter() {
            let (unit, factor): (String, Quantity) = pair.extract()?;
            out.push(UnitConversion {
                unit,
                factor: factor.0,
            });
        }
        return Ok(out);
    }
    for entry in obj.try_iter()? {
        let entry = entry?;
        let (unit, factor): (String, Quantity) = if let Ok(map) = entry.cast::<PyMapping>() {
            (
                map.get_item("unit")?.extract()?,
                map.get_item("factor")?.extract()?,
            )
        } else if entry.hasattr("factor")? && entry.hasattr("unit")? {
            (
                entry.getattr("unit")?.extract()?,
                entry.getattr("factor")?.extract()?,
            )
        } else {
            entry.extract()?
        };
        out.push(UnitConversion {
            unit,
            factor: factor.0,
        });
    }
    Ok(out)
}

/// `capacity`: a mapping with any of `units`, `weight_kg`, `volume_l`, or a `Capacity`.
pub(crate) fn capacity(obj: Option<&Bound<'_, PyAny>>) -> PyResult<Capacity> {
    let Some(obj) = obj.filter(|o| !o.is_none()) else {
        return Ok(Capacity::default());
    };
    let dict = as_fields(obj, &["units", "weight_kg", "volume_l"], "capacity")?;
    let get = |k: &str| -> PyResult<Option<Qty>> {
        Ok(dict
            .get(k)
            .map(PyAnyMethods::extract::<Option<Quantity>>)
            .transpose()?
            .flatten()
            .map(|q| q.0))
    };
    Ok(Capacity {
        units: get("units")?,
        weight_kg: get("weight_kg")?,
        volume_l: get("volume_l")?,
    })
}

/// `coordinates`: `(x, y)`, `(x, y, z)`, a mapping with `x`, `y` (and `z`), or a
/// `Coordinates`.
pub(crate) fn coordinates(obj: Option<&Bound<'_, PyAny>>) -> PyResult<Option<Coordinates>> {
    let Some(obj) = obj.filter(|o| !o.is_none()) else {
        return Ok(None);
    };
    if let Ok((x, y)) = obj.extract::<(i32, i32)>() {
        return Ok(Some(Coordinates { x, y, z: 0 }));
    }
    if let Ok((x, y, z)) = obj.extract::<(i32, i32, i32)>() {
        return Ok(Some(Coordinates { x, y, z }));
    }
    let dict = as_fields(obj, &["x", "y", "z"], "coordinates")?;
    let get = |k: &str| -> PyResult<Option<i32>> {
        dict.get(k).map(PyAnyMethods::extract::<i32>).transpose()
    };
    let (Some(x), Some(y)) = (get("x")?, get("y")?) else {
        return Err(PyTypeError::new_err("coordinates need x and y"));
    };
    Ok(Some(Coordinates {
        x,
        y,
        z: get("z")?.unwrap_or(0),
    }))
}

/// The named fields of a mapping or an object with those attributes; unknown keys refused.
fn as_fields<'py>(
    obj: &Bound<'py, PyAny>,
    names: &[&str],
    what: &str,
) -> PyResult<BTreeMap<String, Bound<'py, PyAny>>> {
    let mut out = BTreeMap::new();
    if let Ok(map) = obj.cast::<PyMapping>() {
        for pair in map.items()?.iter() {
            let (k, v): (String, Bound<'py, PyAny>) = pair.extract()?;
            if !names.contains(&k.as_str()) {
                return Err(PyTypeError::new_err(format!(
                    "{what} takes only {}, not {k:?}",
                    names.join(", ")
                )));
            }
            out.insert(k, v);
        }
        return Ok(out);
    }
    for name in names {
        match obj.getattr_opt(*name)? {
            Some(v) => {
                out.insert((*name).to_owned(), v);
            }
            None => {
                return Err(PyTypeError::new_err(format!(
                    "{what} must be a mapping with {}",
                    names.join(", ")
                )));
            }
        }
    }
    Ok(out)
}

// ---- command metadata ---------------------------------------------------------------------

/// The keyword arguments every write takes, as the core's `Meta`.
pub(crate) fn meta(
    key: Option<String>,
    actor: Option<String>,
    correlation: Option<String>,
    reason: Option<String>,
    effective_at: Option<Instant>,
) -> Meta {
    Meta {
        actor,
        key,
        correlation,
        reason,
        effective_at: effective_at.map(|i| i.0),
    }
}
