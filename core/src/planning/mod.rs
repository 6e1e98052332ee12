//! Demand planning and replenishment math.
//!
//! Pure functions over plain numbers: no storage, no clock, no I/O. [`forecast`] turns a
//! demand history into point forecasts and the one-step error that safety stock needs;
//! [`policy`] turns demand, lead times and costs into safety stock, reorder points and
//! order quantities. Bad input is refused with [`crate::Error::InvalidParameter`] naming
//! the parameter, never answered with a NaN.

mod check;
pub mod forecast;
pub mod policy;
