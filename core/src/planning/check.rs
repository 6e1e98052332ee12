//! Input checks shared by the planning functions.
//!
//! Every public planning function validates its arguments here first, so the math below
//! it can assume finite numbers in range and never produces a NaN from bad input.

use crate::error::{Error, Result};

/// Longest demand series the forecasters accept. Some methods (optimised Croston, ADIDA
/// and IMAPA fitted values) are quadratic in the length; this keeps one call bounded.
pub(crate) const SERIES_LEN_MAX: usize = 10_000;

/// Longest series for the methods whose fitted values re-optimise on every prefix
/// (optimised Croston, ADIDA, IMAPA): their cost grows with the square of the length, and
/// 3,000 periods keep one call near a second. Demand older than that has no weight left
/// in their smoothing anyway (0.9^3000), so callers can pass the most recent part.
pub(crate) const QUADRATIC_SERIES_LEN_MAX: usize = 3_000;

/// Refuses a series longer than [`QUADRATIC_SERIES_LEN_MAX`] for a quadratic method.
pub(crate) fn quadratic_series(y: &[f64], method: &str) -> Result<()> {
    if y.len() > QUADRATIC_SERIES_LEN_MAX {
        return Err(Error::invalid_parameter(
            "series",
            format!(
                "has {} values; {method} accepts at most {QUADRATIC_SERIES_LEN_MAX} (its fitted \
                 values cost the square of the length): pass the most recent part",
                y.len()
            ),
        ));
    }
    Ok(())
}

/// Longest forecast horizon accepted.
pub(crate) const HORIZON_MAX: usize = 10_000;

/// A demand series: non-empty, at most [`SERIES_LEN_MAX`] long, at least `len_min` long,
/// every value finite and non-negative (a return is not demand: it would make demand sizes
/// and occurrences disagree in the intermittent methods).
pub(crate) fn series(y: &[f64], len_min: usize) -> Result<()> {
    if y.is_empty() {
        return Err(Error::invalid_parameter("series", "is empty"));
    }
    if y.len() > SERIES_LEN_MAX {
        return Err(Error::invalid_parameter(
            "series",
            format!(
                "has {} values, more than the limit of {SERIES_LEN_MAX}",
                y.len()
            ),
        ));
    }
    for (i, v) in y.iter().enumerate() {
        if !v.is_finite() {
            return Err(Error::invalid_parameter(
                "series",
                format!("value at index {i} is not a finite number ({v})"),
            ));
        }
        if *v < 0.0 {
            return Err(Error::invalid_parameter(
                "series",
                format!("value at index {i} is negative ({v}); demand cannot be negative"),
            ));
        }
    }
    if y.len() < len_min {
        return Err(Error::invalid_parameter(
            "series",
            format!(
                "has {} values; this method needs at least {len_min}",
                y.len()
            ),
        ));
    }
    Ok(())
}

/// A forecast horizon: at least 1, at most [`HORIZON_MAX`].
pub(crate) fn horizon(h: usize) -> Result<()> {
    if h == 0 {
        return Err(Error::invalid_parameter("horizon", "must be at least 1"));
    }
    if h > HORIZON_MAX {
        return Err(Error::invalid_parameter(
            "horizon",
            format!("{h} is more than the limit of {HORIZON_MAX}"),
        ));
    }
    Ok(())
}

/// A finite number.
pub(crate) fn finite(name: &str, v: f64) -> Result<f64> {
    if v.is_finite() {
        Ok(v)
    } else {
        Err(Error::invalid_parameter(
            name,
            format!("must be a finite number, got {v}"),
        ))
    }
}

/// A finite number strictly above zero.
pub(crate) fn positive(name: &str, v: f64) -> Result<f64> {
    finite(name, v)?;
    if v > 0.0 {
        Ok(v)
    } else {
        Err(Error::invalid_parameter(
            name,
            format!("must be greater than zero, got {v}"),
        ))
    }
}

/// A finite number at or above zero.
pub(crate) fn non_negative(name: &str, v: f64) -> Result<f64> {
    finite(name, v)?;
    if v >= 0.0 {
        Ok(v)
    } else {
        Err(Error::invalid_parameter(
            name,
            format!("must not be negative, got {v}"),
        ))
    }
}

/// A probability strictly between 0 and 1 (a service level or fill rate of exactly 0 or 1
/// asks for an infinite safety factor).
pub(crate) fn open_unit(name: &str, v: f64) -> Result<f64> {
    finite(name, v)?;
    if v > 0.0 && v < 1.0 {
        Ok(v)
    } else {
        Err(Error::invalid_parameter(
            name,
            format!("must be strictly between 0 and 1, got {v}"),
        ))
    }
}

/// A number in the closed interval `[lo, hi]`.
pub(crate) fn in_range(name: &str, v: f64, lo: f64, hi: f64) -> Result<f64> {
    finite(name, v)?;
    if v >= lo && v <= hi {
        Ok(v)
    } else {
        Err(Error::invalid_parameter(
            name,
            format!("must be between {lo} and {hi}, got {v}"),
        ))
    }
}
