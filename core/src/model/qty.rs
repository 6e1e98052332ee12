//! Exact quantities.
//!
//! A [`Qty`] is an integer count of `10^-scale` units: fixed point, never a float. Input
//! may carry any scale; the ledger rescales it to the item's `decimals`, exactly or not
//! at all. Arithmetic is checked: overflow is an error, never a wrap.

use std::cmp::Ordering;
use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::error::{Error, Result};

/// The most fractional digits a quantity may carry (items allow at most 6).
pub const MAX_SCALE: u8 = 18;
/// The most fractional digits an item may declare.
pub const MAX_ITEM_DECIMALS: u8 = 6;

/// An exact decimal quantity: `units × 10^-scale`.
///
/// Equality and order compare values, so `2.0 == 2.00`.
#[derive(Clone, Copy)]
pub struct Qty {
    units: i64,
    scale: u8,
}

impl Qty {
    /// Zero at scale 0.
    pub const ZERO: Qty = Qty { units: 0, scale: 0 };

    /// A quantity of `units` counted in `10^-scale` steps.
    pub fn from_units(units: i64, scale: u8) -> Result<Qty> {
        if scale > MAX_SCALE {
            return Err(invalid(&units.to_string(), "too many fractional digits"));
        }
        Ok(Qty { units, scale })
    }

    /// A whole number.
    pub const fn from_int(value: i64) -> Qty {
        Qty {
            units: value,
            scale: 0,
        }
    }

    /// Parses decimal text such as `"12"`, `"-3.5"`, `"2.125"`.
    pub fn parse(text: &str) -> Result<Qty> {
        let s = text.trim();
        let (negative, digits) = match s.as_bytes().first() {
            Some(b'-') => (true, &s[1..]),
            Some(b'+') => (false, &s[1..]),
            _ => (false, s),
        };
        let (int_part, frac_part) = match digits.split_once('.') {
            Some((i, f)) => (i, f),
            None => (digits, ""),
        };
        if int_part.is_empty() && frac_part.is_empty() {
            return Err(invalid(text, "not a decimal number"));
        }
        if !int_part.bytes().all(|b| b.is_ascii_digit())
            || !frac_part.bytes().all(|b| b.is_ascii_digit())
            || (digits.contains('.') && frac_part.is_empty())
        {
            return Err(invalid(text, "not a decimal number"));
        }
        if frac_part.len() > usize::from(MAX_SCALE) {
            return Err(invalid(text, "too many fractional digits"));
        }
        let mut units: i64 = 0;
        for b in int_part.bytes().chain(frac_part.bytes()) {
            units = units
                .checked_mul(10)
                .and_then(|u| u.checked_add(i64::from(b - b'0')))
                .ok_or_else(|| invalid(text, "overflow"))?;
        }
        if negative {
            units = -units;
        }
        Ok(Qty {
            units,
            scale: frac_part.len() as u8,
        })
    }

    /// The integer count of `10^-scale` steps.
    pub const fn units(self) -> i64 {
        self.units
    }

    /// The number of fractional digits.
    pub const fn scale(self) -> u8 {
        self.scale
    }

    /// True for zero.
    pub const fn is_zero(self) -> bool {
        self.units == 0
    }

    /// True below zero.
    pub const fn is_negative(self) -> bool {
        self.units < 0
    }

    /// The same value at `scale` fractional digits, or an error if that would lose digits
    /// or overflow. Trailing zeros beyond the scale are not a loss: `2.50` fits scale 1.
    pub fn rescale(self, scale: u8) -> Result<Qty> {
        match self.scale.cmp(&scale) {
            Ordering::Equal => Ok(self),
            Ordering::Less => {
                let factor = pow10(scale - self.scale).ok_or_else(|| self.invalid("overflow"))?;
                let units = self
                    .units
                    .checked_mul(factor)
                    .ok_or_else(|| self.invalid("overflow"))?;
                Ok(Qty { units, scale })
            }
            Ordering::Greater => {
                let factor = pow10(self.scale - scale).ok_or_else(|| self.invalid("overflow"))?;
                if self.units % factor != 0 {
                    return Err(self.invalid(&format!(
                        "has more than {scale} decimal digit{}",
                        if scale == 1 { "" } else { "s" }
                    )));
                }
                Ok(Qty {
                    units: self.units / factor,
                    scale,
                })
            }
        }
    }

    /// Sum, at the larger scale; overflow is an error.
    pub fn checked_add(self, other: Qty) -> Result<Qty> {
        let scale = self.scale.max(other.scale);
        let (a, b) = (self.rescale(scale)?, other.rescale(scale)?);
        let units = a
            .units
            .checked_add(b.units)
            .ok_or_else(|| self.invalid("overflow"))?;
        Ok(Qty { units, scale })
    }

    /// Difference, at the larger scale; overflow is an error.
    pub fn checked_sub(self, other: Qty) -> Result<Qty> {
        self.checked_add(other.checked_neg()?)
    }

    /// Negation; overflow (of `i64::MIN`) is an error.
    pub fn checked_neg(self) -> Result<Qty> {
        let units = self
            .units
            .checked_neg()
            .ok_or_else(|| self.invalid("overflow"))?;
        Ok(Qty {
            units,
            scale: self.scale,
        })
    }

    /// Product with an exact decimal factor, at `scale` digits: exact or refused.
    pub fn checked_mul_to(self, factor: Qty, scale: u8) -> Result<Qty> {
        let product = i128::from(self.units) * i128::from(factor.units);
        let product_scale = self.scale + factor.scale;
        let exact = if product_scale >= scale {
            let div = 10i128.pow(u32::from(product_scale - scale));
            if product % div != 0 {
                return Err(invalid(
                    &format!("{self} × {factor}"),
                    &format!("is not exact at {scale} decimal digits"),
                ));
            }
            product / div
        } else {
            product
                .checked_mul(10i128.pow(u32::from(scale - product_scale)))
                .ok_or_else(|| self.invalid("overflow"))?
        };
        let units = i64::try_from(exact).map_err(|_| self.invalid("overflow"))?;
        Ok(Qty { units, scale })
    }

    /// Quotient by an exact decimal divisor, at `scale` digits: exact or refused.
    pub fn checked_div_to(self, divisor: Qty, scale: u8) -> Result<Qty> {
        if divisor.units == 0 {
            return Err(invalid(&divisor.to_string(), "division by zero"));
        }
        // self/divisor = (u1 / 10^s1) / (u2 / 10^s2); want units at `scale`:
        // u1 * 10^(scale + s2 - s1) / u2.
        let exp = i32::from(scale) + i32::from(divisor.scale) - i32::from(self.scale);
        let (num, den) = if exp >= 0 {
            let f = 10i128
                .checked_pow(exp as u32)
                .ok_or_else(|| self.invalid("overflow"))?;
            (
                i128::from(self.units)
                    .checked_mul(f)
                    .ok_or_else(|| self.invalid("overflow"))?,
                i128::from(divisor.units),
            )
        } else {
            let f = 10i128
                .checked_pow((-exp) as u32)
                .ok_or_else(|| self.invalid("overflow"))?;
            (i128::from(self.units), i128::from(divisor.units) * f)
        };
        if num % den != 0 {
            return Err(invalid(
                &format!("{self} ÷ {divisor}"),
                &format!("is not exact at {scale} decimal digits"),
            ));
        }
        let units = i64::try_from(num / den).map_err(|_| self.invalid("overflow"))?;
        Ok(Qty { units, scale })
    }

    fn invalid(self, reason: &str) -> Error {
        invalid(&self.to_string(), reason)
    }

    fn cmp_value(self, other: Qty) -> Ordering {
        let scale = self.scale.max(other.scale);
        let widen = |q: Qty| i128::from(q.units) * 10i128.pow(u32::from(scale - q.scale));
        widen(self).cmp(&widen(other))
    }
}

fn pow10(exp: u8) -> Option<i64> {
    10i64.checked_pow(u32::from(exp))
}

fn invalid(value: &str, reason: &str) -> Error {
    Error::InvalidQuantity {
        value: value.chars().take(64).collect(),
        reason: reason.to_owned(),
    }
}

impl PartialEq for Qty {
    fn eq(&self, other: &Self) -> bool {
        self.cmp_value(*other) == Ordering::Equal
    }
}

impl Eq for Qty {}

impl PartialOrd for Qty {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Qty {
    fn cmp(&self, other: &Self) -> Ordering {
        self.cmp_value(*other)
    }
}

impl Default for Qty {
    fn default() -> Self {
        Qty::ZERO
    }
}

impl fmt::Display for Qty {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.units < 0 { "-" } else { "" };
        let abs = self.units.unsigned_abs();
        if self.scale == 0 {
            return write!(f, "{sign}{abs}");
        }
        let div = 10u64.pow(u32::from(self.scale));
        write!(
            f,
            "{sign}{}.{:0width$}",
            abs / div,
            abs % div,
            width = usize::from(self.scale)
        )
    }
}

impl fmt::Debug for Qty {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Qty({self})")
    }
}

impl FromStr for Qty {
    type Err = Error;
    fn from_str(s: &str) -> Result<Qty> {
        Qty::parse(s)
    }
}

impl From<i64> for Qty {
    fn from(value: i64) -> Self {
        Qty::from_int(value)
    }
}

impl From<i32> for Qty {
    fn from(value: i32) -> Self {
        Qty::from_int(i64::from(value))
    }
}

/// Quantities travel as decimal text in JSON and scenarios; integers are accepted too.
impl Serialize for Qty {
    fn serialize<S: Serializer>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error> {
        if serializer.is_human_readable() {
            serializer.collect_str(self)
        } else {
            (self.units, self.scale).serialize(serializer)
        }
    }
}

impl<'de> Deserialize<'de> for Qty {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> std::result::Result<Qty, D::Error> {
        use serde::de::Error as _;
        if deserializer.is_human_readable() {
            deserializer.deserialize_any(QtyVisitor)
        } else {
            let (units, scale) = <(i64, u8)>::deserialize(deserializer)?;
            Qty::from_units(units, scale).map_err(D::Error::custom)
        }
    }
}

/// Reads a quantity given as decimal text or as a whole number. A floating-point number is
/// refused: it may already have lost the digits the caller meant.
struct QtyVisitor;

impl serde::de::Visitor<'_> for QtyVisitor {
    type Value = Qty;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(QTY_EXPECTED)
    }

    fn visit_str<E: serde::de::Error>(self, text: &str) -> std::result::Result<Qty, E> {
        Qty::parse(text).map_err(E::custom)
    }

    fn visit_i64<E: serde::de::Error>(self, value: i64) -> std::result::Result<Qty, E> {
        Ok(Qty::from_int(value))
    }

    fn visit_u64<E: serde::de::Error>(self, value: u64) -> std::result::Result<Qty, E> {
        i64::try_from(value)
            .map(Qty::from_int)
            .map_err(|_| E::custom(invalid(&value.to_string(), "overflow")))
    }
}

/// What a quantity is written as, in words, for refusals.
const QTY_EXPECTED: &str = "a quantity: decimal text such as \"2.5\", or a whole number";

impl schemars::JsonSchema for Qty {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Qty".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "description": "An exact decimal quantity: decimal text (\"12\", \"-3.5\", \"2.125\", at \
                most 18 fractional digits) or a whole number; never a floating-point number. \
                Answers carry it as text.",
            "type": ["string", "integer"],
            "pattern": "^[+-]?([0-9]+(\\.[0-9]{1,18})?|\\.[0-9]{1,18})$",
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_prints_exactly() {
        for (text, shown) in [
            ("2.125", "2.125"),
            ("-3.5", "-3.5"),
            ("12", "12"),
            ("0.000001", "0.000001"),
            (".5", "0.5"),
            ("+7", "7"),
        ] {
            assert_eq!(Qty::parse(text).unwrap().to_string(), shown);
        }
        for bad in [
            "",
            "-",
            "1.",
            "1e3",
            "1,5",
            "abc",
            "1.2.3",
            "--1",
            "99999999999999999999",
        ] {
            assert_eq!(
                Qty::parse(bad).unwrap_err().code(),
                "invalid_quantity",
                "{bad}"
            );
        }
    }

    #[test]
    fn rescale_refuses_lost_digits_and_keeps_trailing_zeros() {
        let q = Qty::parse("2.125").unwrap();
        assert_eq!(q.rescale(3).unwrap().units(), 2125);
        assert_eq!(q.rescale(6).unwrap().units(), 2_125_000);
        assert!(q.rescale(2).is_err());
        assert_eq!(Qty::parse("2.50").unwrap().rescale(1).unwrap().units(), 25);
        assert!(Qty::from_int(i64::MAX / 10).rescale(2).is_err());
    }

    #[test]
    fn arithmetic_is_checked_and_compares_by_value() {
        assert_eq!(Qty::parse("2.0").unwrap(), Qty::parse("2.00").unwrap());
        assert!(Qty::parse("1.9").unwrap() < Qty::from_int(2));
        assert!(
            Qty::from_int(i64::MAX)
                .checked_add(Qty::from_int(1))
                .is_err()
        );
        let box_factor = Qty::from_int(12);
        assert_eq!(
            Qty::from_int(3).checked_mul_to(box_factor, 0).unwrap(),
            Qty::from_int(36)
        );
        assert!(
            Qty::parse("0.5")
                .unwrap()
                .checked_mul_to(Qty::parse("0.5").unwrap(), 1)
                .is_err()
        );
        assert_eq!(
            Qty::from_int(36).checked_div_to(box_factor, 0).unwrap(),
            Qty::from_int(3)
        );
        assert!(Qty::from_int(35).checked_div_to(box_factor, 0).is_err());
    }
}
