//! Conversions of scalar values between JavaScript and the engine: quantities, instants
//! and sequence numbers, and the two ways a conversion can fail.
//!
//! A value of the wrong JavaScript type is a programming error: a `TypeError` (napi's
//! `InvalidArg` status, which `lib.js` turns into a `TypeError`, rejecting the promise of
//! an async method). A value
//! of the right type that the engine refuses (`"1.2.3"` as a quantity) is reported like any
//! other engine refusal: a `StockbookError`, rejecting the promise of an async method.

use napi::bindgen_prelude::{BigInt, Either, Either3};
use napi::{Error, Status};
use stockbook as sb;

/// A quantity as JavaScript passes it: decimal text, a safe integer or a bigint.
pub type QtyIn = Either3<String, f64, BigInt>;
/// An instant as JavaScript passes it: epoch milliseconds or a `Date`.
pub type TimeIn = Either<f64, chrono::DateTime<chrono::Utc>>;
/// A sequence number as JavaScript passes it: a bigint or a safe integer.
pub type SeqIn = Either<BigInt, f64>;

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

/// A quantity from JavaScript: text and bigints are parsed by the engine; a number must
/// be a safe integer (a fraction in a float is never exact).
pub fn qty(value: QtyIn, what: &str) -> Result<sb::Qty, Refusal> {
    match value {
        Either3::A(text) => Ok(sb::Qty::parse(&text)?),
        Either3::B(number) => safe_integer(number)
            .map(sb::Qty::from_int)
            .ok_or_else(|| type_error(what, "decimal text, a safe integer or a bigint")),
        Either3::C(big) => Ok(sb::Qty::parse(&bigint_text(&big))?),
    }
}

/// An optional quantity.
pub fn opt_qty(value: Option<QtyIn>, what: &str) -> Result<Option<sb::Qty>, Refusal> {
    value.map(|v| qty(v, what)).transpose()
}

/// A quantity to JavaScript: exact decimal text at its scale.
pub fn qty_out(value: sb::Qty) -> String {
    value.to_string()
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

/// An optional instant.
pub fn opt_time(value: Option<TimeIn>, what: &str) -> Result<Option<sb::Timestamp>, Refusal> {
    value.map(|v| time(v, what)).transpose()
}

/// A sequence number from JavaScript.
pub fn seq(value: SeqIn, what: &str) -> Result<u64, Refusal> {
    let refused = || type_error(what, "a non-negative bigint or safe integer");
    match value {
        Either::A(big) => match big.get_u64() {
            (false, n, true) => Ok(n),
            _ => Err(refused()),
        },
        Either::B(number) => safe_integer(number)
            .and_then(|n| u64::try_from(n).ok())
            .ok_or_else(refused),
    }
}

/// A sequence number to JavaScript.
pub fn seq_out(value: u64) -> BigInt {
    BigInt::from(value)
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

/// The decimal text of a bigint of any size, for the engine to parse (and refuse when it
/// overflows).
fn bigint_text(big: &BigInt) -> String {
    use std::fmt::Write as _;
    // Long division by 10^18 from the most significant word down.
    const CHUNK: u128 = 1_000_000_000_000_000_000;
    let mut words = big.words.clone();
    let mut digits = Vec::new();
    while words.iter().any(|w| *w != 0) {
        let mut rest: u128 = 0;
        for word in words.iter_mut().rev() {
            let acc = (rest << 64) | u128::from(*word);
            *word = (acc / CHUNK) as u64;
            rest = acc % CHUNK;
        }
        digits.push(rest as u64);
    }
    let mut text = String::from(if big.sign_bit { "-" } else { "" });
    match digits.split_last() {
        None => text.push('0'),
        Some((top, lower)) => {
            text.push_str(&top.to_string());
            for chunk in lower.iter().rev() {
                let _ = write!(text, "{chunk:018}");
            }
        }
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bigint_text_is_exact_for_any_size() {
        let big = |sign_bit, words: Vec<u64>| BigInt { sign_bit, words };
        assert_eq!(bigint_text(&big(false, vec![0])), "0");
        assert_eq!(bigint_text(&big(true, vec![42])), "-42");
        assert_eq!(
            bigint_text(&big(false, vec![u64::MAX])),
            "18446744073709551615"
        );
        assert_eq!(bigint_text(&big(false, vec![0, 1])), "18446744073709551616");
        assert_eq!(
            bigint_text(&big(false, vec![0, 0, 1])),
            "340282366920938463463374607431768211456"
        );
    }

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
