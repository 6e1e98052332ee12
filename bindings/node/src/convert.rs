//! Conversions of the handle's own arguments (the clock's instants, the options' integers),
//! and the two ways a conversion can fail. Every command and query argument is converted
//! by the JavaScript runtime (`runtime.js`) instead.
//!
//! A value of the wrong JavaScript type is a `TypeError` (napi's `InvalidArg` status, which
//! `errors.js` turns into a `TypeError`); a value of the right type out of range is the
//! engine's `invalid_argument`.

use napi::bindgen_prelude::Either;
use napi::{Error, Status};
use stockbook as sb;

/// An instant as JavaScript passes it: epoch milliseconds or a `Date`.
pub type TimeIn = Either<f64, chrono::DateTime<chrono::Utc>>;

/// Why an argument could not become an engine value.
pub enum Refusal {
    /// The JavaScript value has the wrong type: a `TypeError`.
    Type(Error),
    /// The engine refuses the value: reported as a `StockbookError`.
    Engine(sb::Error),
}

impl From<sb::Error> for Refusal {
    fn from(err: sb::Error) -> Self {
        Refusal::Engine(err)
    }
}

/// A `TypeError` about `what`.
pub fn type_error(what: &str, expected: &str) -> Refusal {
    Refusal::Type(Error::new(
        Status::InvalidArg,
        format!("{what} must be {expected}"),
    ))
}

/// The largest integer a JavaScript number holds exactly.
const SAFE_INTEGER_MAX: f64 = 9_007_199_254_740_991.0;

/// `value` as an exact integer, when it is a safe integer.
fn safe_integer(value: f64) -> Option<i64> {
    (value.fract() == 0.0 && value.abs() <= SAFE_INTEGER_MAX).then_some(value as i64)
}

/// An instant from JavaScript, in milliseconds since the Unix epoch.
pub fn time(value: TimeIn, what: &str) -> Result<sb::Timestamp, Refusal> {
    match value {
        Either::A(ms) => {
            safe_integer(ms).ok_or_else(|| type_error(what, "a Date or integer epoch milliseconds"))
        }
        Either::B(date) => Ok(date.timestamp_millis()),
    }
}

/// An integer from JavaScript (a `number`: TypeScript has no integer type) as a `T`,
/// range-checked: never wrapped, truncated or rounded. A fraction, a value outside `T` or
/// past 2^53 is the engine's `invalid_argument` naming `field` as the caller spells it.
pub fn int<T: TryFrom<i64>>(value: f64, field: &str) -> Result<T, sb::Error> {
    let refused = |reason: &str| sb::Error::InvalidArgument {
        field: field.to_owned(),
        reason: format!("{reason} (got {value})"),
    };
    let n = safe_integer(value).ok_or_else(|| refused("must be a whole number"))?;
    T::try_from(n).map_err(|_| {
        if n < 0 && T::try_from(-1).is_err() {
            refused("must not be negative")
        } else {
            refused("is out of range")
        }
    })
}

/// An optional integer, as [`int`].
pub fn opt_int<T: TryFrom<i64>>(value: Option<f64>, field: &str) -> Result<Option<T>, sb::Error> {
    value.map(|v| int(v, field)).transpose()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_must_be_safe_integers() {
        assert_eq!(safe_integer(12.0), Some(12));
        assert_eq!(safe_integer(-3.0), Some(-3));
        assert_eq!(safe_integer(1.5), None);
        assert_eq!(safe_integer(9_007_199_254_740_992.0), None);
        assert_eq!(safe_integer(f64::NAN), None);
    }

    // The checks answer the engine's error, never a napi one: a unit test of the binding
    // cannot link napi's symbols (node provides them at run time).
    fn reason<T: std::fmt::Debug>(r: Result<T, sb::Error>) -> String {
        match r {
            Err(sb::Error::InvalidArgument { field, reason }) => format!("{field}: {reason}"),
            Err(other) => panic!("not invalid_argument: {other}"),
            Ok(v) => panic!("accepted: {v:?}"),
        }
    }

    #[test]
    fn integers_are_range_checked_never_wrapped_or_truncated() {
        assert_eq!(int::<u32>(7.0, "line").ok(), Some(7));
        assert_eq!(
            reason(int::<u32>(-3.0, "shelfLifeDays")),
            "shelfLifeDays: must not be negative (got -3)"
        );
        assert_eq!(
            reason(int::<u8>(2.5, "decimals")),
            "decimals: must be a whole number (got 2.5)"
        );
        assert_eq!(
            reason(int::<u8>(300.0, "decimals")),
            "decimals: is out of range (got 300)"
        );
        assert_eq!(
            reason(int::<u32>(f64::NAN, "priority")),
            "priority: must be a whole number (got NaN)"
        );
    }
}
