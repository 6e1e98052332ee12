//! Every conversion between Python values and the core's, in one place.
//!
//! - Quantities: `int`, `str` or `decimal.Decimal` in (never `float`, never `bool`), exact
//!   `Decimal` out, at the item's precision.
//! - Instants: timezone-aware `datetime` in (a naive one is a `ValueError`), aware UTC
//!   `datetime` out. The core counts milliseconds; finer digits are dropped (floored).
//! - Enums (`tracking`, `kind`): their snake_case names as `str`.
//! - Nested master data (`conversions`, `capacity`, `coordinates`): mappings, pairs or the
//!   result objects themselves, so a record's `to_dict()` can be passed back in.
//! - Structured command arguments (order lines, packages, purchase order lines): mappings,
//!   tuples of the fields in order, or result objects, read through [`Fields`]; their
//!   quantities are exact as everywhere.
//! - Tagged choices (`strategy`, `policy`, planning `method`, plan options): exactly the
//!   JSON form of the scenarios (`"fifo"`, `{"fefo": {"min_remaining_days": 30}}`), turned
//!   into JSON by [`json_of`] and read by the core's own serde definitions, so the binding
//!   never restates their variants. Planning figures are statistics: floats are accepted
//!   there, and only there.

// Field converters share one shape, `fn(Python, &Field)`, so the record macro can call any
// of them on a borrowed field: hence `&Option<T>` and `&i64` parameters.
#![allow(clippy::ref_option, clippy::trivially_copy_pass_by_ref)]

use std::collections::BTreeMap;

use pyo3::BoundObject;
use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{
    PyBool, PyBytes, PyDict, PyFloat, PyInt, PyList, PyMapping, PyString, PyTuple, PyType,
};
use stockbook::orders::{NewOrderLine, Package, PackageContent};
use stockbook::planning::NewPurchaseOrderLine;
use stockbook::planning::policy::{Demand, LeadTime};
use stockbook::planning::supply::OverReceipt;
use stockbook::{AsOf, Capacity, Coordinates, Meta, Qty, Timestamp, UnitConversion};

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

// ---- integers -----------------------------------------------------------------------------

/// An integer keyword (taken as `i128`, so that a literal default stays in the signature)
/// as the core's `T`, range-checked: never wrapped or truncated. Out of range it is the
/// package's `InvalidArgument` naming the keyword, not a bare `OverflowError`.
pub(crate) fn int<T: TryFrom<i128>>(value: i128, field: &str) -> PyResult<T> {
    T::try_from(value).map_err(|_| {
        let reason = if value < 0 && T::try_from(-1).is_err() {
            "must not be negative"
        } else {
            "is out of range"
        };
        invalid_argument(field, format!("{reason} (got {value})"))
    })
}

/// An optional integer keyword, as [`int`].
pub(crate) fn opt_int<T: TryFrom<i128>>(value: Option<i128>, field: &str) -> PyResult<Option<T>> {
    value.map(|v| int(v, field)).transpose()
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
            out.push(UnitConversion::new(unit, factor.0));
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
        out.push(UnitConversion::new(unit, factor.0));
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
    Ok({
        let mut v = Capacity::new();
        v.units = get("units")?;
        v.weight_kg = get("weight_kg")?;
        v.volume_l = get("volume_l")?;
        v
    })
}

/// `coordinates`: `(x, y)`, `(x, y, z)`, a mapping with `x`, `y` (and `z`), or a
/// `Coordinates`.
pub(crate) fn coordinates(obj: Option<&Bound<'_, PyAny>>) -> PyResult<Option<Coordinates>> {
    let Some(obj) = obj.filter(|o| !o.is_none()) else {
        return Ok(None);
    };
    if let Ok((x, y)) = obj.extract::<(i32, i32)>() {
        return Ok(Some(Coordinates::new(x, y)));
    }
    if let Ok((x, y, z)) = obj.extract::<(i32, i32, i32)>() {
        return Ok(Some(Coordinates::new(x, y).z(z)));
    }
    let dict = as_fields(obj, &["x", "y", "z"], "coordinates")?;
    let get = |k: &str| -> PyResult<Option<i32>> {
        dict.get(k).map(PyAnyMethods::extract::<i32>).transpose()
    };
    let (Some(x), Some(y)) = (get("x")?, get("y")?) else {
        return Err(PyTypeError::new_err("coordinates need x and y"));
    };
    Ok(Some(Coordinates::new(x, y).z(get("z")?.unwrap_or(0))))
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

// ---- structured arguments -----------------------------------------------------------------

/// The named fields of one structured argument (an order line, a package, a purchase order
/// line, a demand): a mapping, a tuple or list of the fields in the order named, or a
/// result object (read through its `to_dict()`). Names it does not take are refused.
pub(crate) struct Fields<'py> {
    what: &'static str,
    values: BTreeMap<String, Bound<'py, PyAny>>,
}

impl<'py> Fields<'py> {
    pub(crate) fn of(
        obj: &Bound<'py, PyAny>,
        names: &[&str],
        what: &'static str,
    ) -> PyResult<Fields<'py>> {
        let record = if obj.is_instance_of::<PyDict>() || !obj.hasattr("to_dict")? {
            None
        } else {
            Some(obj.call_method0("to_dict")?)
        };
        let source = record.as_ref().unwrap_or(obj);
        let mut values = BTreeMap::new();
        if let Ok(map) = source.cast::<PyMapping>() {
            for pair in map.items()?.iter() {
                let (k, v): (String, Bound<'py, PyAny>) = pair.extract()?;
                if !names.contains(&k.as_str()) {
                    return Err(PyTypeError::new_err(format!(
                        "{what} takes only {}, not {k:?}",
                        names.join(", ")
                    )));
                }
                values.insert(k, v);
            }
        } else if source.is_instance_of::<PyTuple>() || source.is_instance_of::<PyList>() {
            let items: Vec<Bound<'py, PyAny>> = source.extract()?;
            if items.len() > names.len() {
                return Err(PyTypeError::new_err(format!(
                    "{what} is at most ({}), got {} values",
                    names.join(", "),
                    items.len()
                )));
            }
            for (name, v) in names.iter().zip(items) {
                values.insert((*name).to_owned(), v);
            }
        } else {
            return Err(PyTypeError::new_err(format!(
                "{what} must be a mapping or a tuple ({}), not {}",
                names.join(", "),
                obj.get_type().name()?
            )));
        }
        Ok(Fields { what, values })
    }

    /// A field that may be absent (or `None`).
    pub(crate) fn opt<T>(&self, name: &str) -> PyResult<Option<T>>
    where
        T: for<'a> FromPyObject<'a, 'py, Error = PyErr>,
    {
        match self.values.get(name) {
            Some(v) if !v.is_none() => v.extract::<T>().map(Some),
            _ => Ok(None),
        }
    }

    /// A field that must be there, as it is.
    pub(crate) fn raw(&self, name: &str) -> PyResult<&Bound<'py, PyAny>> {
        self.values
            .get(name)
            .filter(|v| !v.is_none())
            .ok_or_else(|| PyTypeError::new_err(format!("{} needs {name}", self.what)))
    }

    /// A field that must be there.
    pub(crate) fn req<T>(&self, name: &str) -> PyResult<T>
    where
        T: for<'a> FromPyObject<'a, 'py, Error = PyErr>,
    {
        self.opt(name)?
            .ok_or_else(|| PyTypeError::new_err(format!("{} needs {name}", self.what)))
    }
}

/// The entries of a list argument, each read as [`Fields`].
fn each<'py, T>(
    obj: &Bound<'py, PyAny>,
    mut one: impl FnMut(&Bound<'py, PyAny>) -> PyResult<T>,
) -> PyResult<Vec<T>> {
    if obj.is_instance_of::<PyString>() || obj.cast::<PyMapping>().is_ok() {
        return Err(PyTypeError::new_err(format!(
            "expected a list, not {}",
            obj.get_type().name()?
        )));
    }
    obj.try_iter()?.map(|entry| one(&entry?)).collect()
}

/// `lines` of `create_order`: `{"sku", "qty", "unit"}` mappings or `(sku, qty[, unit])`.
pub(crate) fn order_lines(obj: &Bound<'_, PyAny>) -> PyResult<Vec<NewOrderLine>> {
    each(obj, |entry| {
        let f = Fields::of(entry, &["sku", "qty", "unit"], "an order line")?;
        Ok({
            let mut v = NewOrderLine::new(f.req::<String>("sku")?, f.req::<Quantity>("qty")?.0);
            v.unit = f.opt("unit")?;
            v
        })
    })
}

/// `packages` of `pack_order`: `{"id", "contents": [{"line", "qty"}]}` mappings, tuples
/// `(id, [(line, qty), …])` or `Package` objects.
pub(crate) fn packages(obj: &Bound<'_, PyAny>) -> PyResult<Vec<Package>> {
    each(obj, |entry| {
        let f = Fields::of(entry, &["id", "contents"], "a package")?;
        Ok(Package::new(
            f.req::<String>("id")?,
            each(f.raw("contents")?, |c| {
                let c = Fields::of(c, &["line", "qty"], "a package content")?;
                Ok(PackageContent::new(
                    c.req("line")?,
                    c.req::<Quantity>("qty")?.0,
                ))
            })?,
        ))
    })
}

/// `lines` of `create_purchase_order`: `{"sku", "qty", "unit", "unit_cost", "currency"}`
/// mappings or tuples in that order.
pub(crate) fn purchase_lines(obj: &Bound<'_, PyAny>) -> PyResult<Vec<NewPurchaseOrderLine>> {
    each(obj, |entry| {
        let f = Fields::of(
            entry,
            &["sku", "qty", "unit", "unit_cost", "currency"],
            "a purchase order line",
        )?;
        Ok(NewPurchaseOrderLine {
            sku: f.req("sku")?,
            qty: f.req::<Quantity>("qty")?.0,
            unit: f.opt("unit")?,
            unit_cost: f.opt::<Quantity>("unit_cost")?.map(|q| q.0),
            currency: f.opt("currency")?,
        })
    })
}

/// `over_receipt`: `"refuse"` or `{"allow": {"tolerance_pct": <exact quantity>}}`.
pub(crate) fn over_receipt(obj: Option<&Bound<'_, PyAny>>) -> PyResult<OverReceipt> {
    let Some(obj) = obj.filter(|o| !o.is_none()) else {
        return Ok(OverReceipt::default());
    };
    if let Ok(text) = obj.extract::<String>() {
        return parse_name("over_receipt", &text);
    }
    let f = Fields::of(obj, &["allow"], "over_receipt")?;
    let allow = Fields::of(f.raw("allow")?, &["tolerance_pct"], "over_receipt allow")?;
    Ok(OverReceipt::Allow {
        tolerance_pct: allow.req::<Quantity>("tolerance_pct")?.0,
    })
}

/// An over-receipt policy as the caller writes it: `"refuse"` or
/// `{"allow": {"tolerance_pct": Decimal}}`.
pub(crate) fn over_receipt_out<'py>(
    py: Python<'py>,
    v: &OverReceipt,
) -> PyResult<Bound<'py, PyAny>> {
    match v {
        OverReceipt::Refuse => Ok(PyString::new(py, "refuse").into_any()),
        OverReceipt::Allow { tolerance_pct } => {
            let inner = PyDict::new(py);
            inner.set_item("tolerance_pct", qty(py, tolerance_pct)?)?;
            let outer = PyDict::new(py);
            outer.set_item("allow", inner)?;
            Ok(outer.into_any())
        }
    }
}

/// A demand per period for the policy functions: `(mean, std_dev)` or a mapping.
pub(crate) fn demand(obj: &Bound<'_, PyAny>) -> PyResult<Demand> {
    let f = Fields::of(obj, &["mean", "std_dev"], "demand")?;
    Ok(Demand {
        mean: f.req("mean")?,
        std_dev: f.req("std_dev")?,
    })
}

/// A lead time in periods: a number (fixed), `(mean, std_dev)` or a mapping.
pub(crate) fn lead_time(obj: &Bound<'_, PyAny>) -> PyResult<LeadTime> {
    if !obj.is_instance_of::<PyBool>()
        && (obj.is_instance_of::<PyFloat>() || obj.is_instance_of::<PyInt>())
    {
        return Ok(LeadTime::fixed(obj.extract()?));
    }
    let f = Fields::of(obj, &["mean", "std_dev"], "lead_time")?;
    Ok(LeadTime {
        mean: f.req("mean")?,
        std_dev: f.req("std_dev")?,
    })
}

/// `at=` or `seq=`, exactly one of them.
pub(crate) fn as_of(what: &str, at: Option<Instant>, seq: Option<i128>) -> PyResult<AsOf> {
    match (at, seq) {
        (Some(at), None) => Ok(AsOf::Time(at.0)),
        (None, Some(seq)) => Ok(AsOf::Seq(int(seq, "seq")?)),
        _ => Err(PyTypeError::new_err(format!(
            "{what} takes exactly one of at= or seq="
        ))),
    }
}

// ---- tagged choices and options, through the core's serde definitions --------------------

/// A Python value as JSON: `None`, `bool`, `int`, `float` (finite), `str`, `Decimal` (as a
/// number: only planning figures come this way), an aware `datetime` (milliseconds),
/// mappings, sequences and result objects (their `to_dict()`).
pub(crate) fn json_of(field: &str, obj: &Bound<'_, PyAny>) -> PyResult<serde_json::Value> {
    use serde_json::Value;
    let py = obj.py();
    if obj.is_none() {
        return Ok(Value::Null);
    }
    if obj.is_instance_of::<PyBool>() {
        return Ok(Value::Bool(obj.extract()?));
    }
    if obj.is_instance_of::<PyInt>() {
        if let Ok(n) = obj.extract::<i64>() {
            return Ok(Value::from(n));
        }
        return Ok(Value::from(obj.extract::<u64>()?));
    }
    if obj.is_instance_of::<PyString>() {
        return Ok(Value::String(obj.extract()?));
    }
    if obj.is_instance_of::<PyFloat>()
        || obj.is_instance(DECIMAL.import(py, "decimal", "Decimal")?)?
    {
        let x: f64 = obj.extract()?;
        return serde_json::Number::from_f64(x)
            .map(Value::Number)
            .ok_or_else(|| {
                CoreError(stockbook::Error::InvalidParameter {
                    parameter: field.to_owned(),
                    reason: format!("{x} is not a finite number"),
                })
                .into()
            });
    }
    if obj.is_instance(DATETIME.import(py, "datetime", "datetime")?)? {
        return Ok(Value::from(obj.extract::<Instant>()?.0));
    }
    if obj.hasattr("to_dict")? && !obj.is_instance_of::<PyDict>() {
        return json_of(field, &obj.call_method0("to_dict")?);
    }
    if let Ok(map) = obj.cast::<PyMapping>() {
        let mut out = serde_json::Map::new();
        for pair in map.items()?.iter() {
            let (k, v): (String, Bound<'_, PyAny>) = pair.extract()?;
            out.insert(k, json_of(field, &v)?);
        }
        return Ok(Value::Object(out));
    }
    if obj.is_instance_of::<PyBytes>() {
        return Err(PyTypeError::new_err(format!(
            "{field}: bytes are not accepted"
        )));
    }
    if let Ok(iter) = obj.try_iter() {
        return iter
            .map(|v| json_of(field, &v?))
            .collect::<PyResult<Vec<_>>>()
            .map(Value::Array);
    }
    Err(PyTypeError::new_err(format!(
        "{field}: cannot take a {}",
        obj.get_type().name()?
    )))
}

/// JSON read by the core's serde definition of `T`; a mismatch is `invalid_argument`.
pub(crate) fn from_json<T: serde::de::DeserializeOwned>(
    field: &str,
    value: serde_json::Value,
) -> PyResult<T> {
    serde_json::from_value(value).map_err(|e| invalid_argument(field, e.to_string()))
}

/// A tagged choice in its JSON form: a name (`"fifo"`), or a one-key mapping of a name to
/// its settings (`{"fefo": {"min_remaining_days": 30}}`). A bare name of a choice whose
/// settings all have defaults is that choice with its defaults (`"fefo"`).
pub(crate) fn tagged<T: serde::de::DeserializeOwned + Default>(
    field: &str,
    obj: Option<&Bound<'_, PyAny>>,
) -> PyResult<T> {
    match obj.filter(|o| !o.is_none()) {
        None => Ok(T::default()),
        Some(obj) => tagged_value(field, obj),
    }
}

/// As [`tagged`], for a choice without a default.
pub(crate) fn tagged_value<T: serde::de::DeserializeOwned>(
    field: &str,
    obj: &Bound<'_, PyAny>,
) -> PyResult<T> {
    if let Ok(name) = obj.extract::<String>() {
        let plain = serde_json::Value::String(name.clone());
        if let Ok(v) = serde_json::from_value(plain) {
            return Ok(v);
        }
        return from_json(field, serde_json::json!({ name: {} }));
    }
    from_json(field, json_of(field, obj)?)
}

/// A serialisable core value as plain Python data (dicts, lists, numbers, text).
pub(crate) fn json<'py, T: serde::Serialize>(
    py: Python<'py>,
    v: &T,
) -> PyResult<Bound<'py, PyAny>> {
    let value = serde_json::to_value(v).map_err(|e| PyValueError::new_err(e.to_string()))?;
    py_of_json(py, &value)
}

fn py_of_json<'py>(py: Python<'py>, value: &serde_json::Value) -> PyResult<Bound<'py, PyAny>> {
    use serde_json::Value;
    Ok(match value {
        Value::Null => py.None().into_bound(py),
        Value::Bool(b) => PyBool::new(py, *b).to_owned().into_any(),
        Value::Number(n) => match (n.as_i64(), n.as_u64()) {
            (Some(i), _) => i.into_pyobject(py)?.into_any(),
            (None, Some(u)) => u.into_pyobject(py)?.into_any(),
            _ => n.as_f64().unwrap_or(f64::NAN).into_pyobject(py)?.into_any(),
        },
        Value::String(s) => PyString::new(py, s).into_any(),
        Value::Array(items) => {
            let list = PyList::empty(py);
            for v in items {
                list.append(py_of_json(py, v)?)?;
            }
            list.into_any()
        }
        Value::Object(fields) => {
            let dict = PyDict::new(py);
            for (k, v) in fields {
                dict.set_item(k, py_of_json(py, v)?)?;
            }
            dict.into_any()
        }
    })
}
