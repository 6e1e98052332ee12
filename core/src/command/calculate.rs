//! [`calculate`]: the generic entry of the stateless planning functions, a
//! [`Calculation`] in JSON answered in JSON, read with the same refusals as every call.

use serde_json::Value;

use crate::error::Result;
use crate::planning::Calculation;

/// Answers one calculation given as JSON (`{"op": "eoq", "args": {…}}`) with the JSON of
/// its result (the answer's `value`). Anything the definition does not take is refused with
/// `invalid_argument` naming the field's path (`args.demand.mean`); the function's own
/// refusals are `invalid_parameter` naming its parameter.
///
/// ```
/// use serde_json::json;
///
/// let eoq = stockbook::calculate(json!({"op": "eoq", "args":
///     {"fixed_cost": 50, "holding_cost": 2, "demand_rate": 1600}}))?;
/// assert!((eoq["quantity"].as_f64().unwrap() - 282.842_712_474_619).abs() < 1e-9);
/// let refused = stockbook::calculate(json!({"op": "eoq", "args": {"fixed_cost": 50}}));
/// assert_eq!(refused.unwrap_err().code(), "invalid_argument");
/// # Ok::<(), stockbook::Error>(())
/// ```
pub fn calculate(call: Value) -> Result<Value> {
    let calculation: Calculation = super::input::from_value(call)?;
    super::call::answer_value(&calculation.run()?)
}

/// As [`calculate`], from JSON text to JSON text: what a binding forwards its host's
/// string to.
pub fn calculate_json(call: &str) -> Result<String> {
    let value: Value = super::input::from_json(call)?;
    Ok(calculate(value)?.to_string())
}
