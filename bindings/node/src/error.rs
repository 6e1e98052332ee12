//! Engine errors as JavaScript `Error` objects ([`to_js`], for the few native methods that
//! throw: open, close, sync, the clock), and as JSON text ([`json`]) for the generic entry,
//! from which `lib.js` builds the error object.
//!
//! The object carries `name = "StockbookError"`, the engine's stable `code`, `facts` (the
//! error's facts as text under the engine's own names, exactly what `Error::facts`
//! reports, as in the scenarios) and each fact again as a typed camelCase property
//! (`requested`, `available`, `expiryMs` as a number, …). A `batch_refused` carries the
//! refused command's own error object as `source`. Facts whose name the `Error` object uses
//! for something else (`code`, `message`, …) stay in `facts` only. `lib.js` turns these
//! objects into instances of the exported error classes. The typed facts are read from the
//! error's serde form, so a new error variant in the core needs no change here.

use std::borrow::Cow;

use napi::bindgen_prelude::{JsObjectValue, Null, Object};
use napi::{Env, Error, JsValue, Status};
use serde_json::Value;
use stockbook as sb;

/// Property names an `Error` object uses already: such facts stay in `facts` only.
const RESERVED: &[&str] = &["code", "message", "name", "stack", "facts", "cause"];

/// The JavaScript error for `err`, ready to be thrown or to reject a promise.
pub fn to_js(env: &Env, err: &sb::Error) -> Error {
    match build(env, err) {
        Ok(object) => Error::from(object.to_unknown()),
        // Creating the object failed (out of memory, a pending exception): keep the message.
        Err(_) => Error::new(Status::GenericFailure, format!("{}: {err}", err.code())),
    }
}

/// A thrown engine error, for synchronous methods.
pub fn throw<T>(env: &Env, result: sb::Result<T>) -> napi::Result<T> {
    result.map_err(|err| to_js(env, &err))
}

/// The error object for `err` (what [`to_js`] throws), for errors carried inside records.
pub(crate) fn build<'env>(env: &'env Env, err: &sb::Error) -> napi::Result<Object<'env>> {
    // The facts stay in the engine's spelling (the scenarios' contract); the message and
    // the typed properties name the argument as a JavaScript caller spells it.
    let mut facts = Object::new(env)?;
    for (name, text) in err.facts() {
        facts.set_named_property(name, text)?;
    }
    let err = &spelled(err);
    let mut object = env.create_error(Error::new(Status::GenericFailure, err.to_string()))?;
    object.set_named_property("name", "StockbookError")?;
    object.set_named_property("code", err.code())?;
    object.set_named_property("facts", facts)?;
    let value = serde_json::to_value(err).map_err(|e| Error::from_reason(e.to_string()))?;
    // Serde's external tagging: `{"Variant": {fields}}`, or `"Variant"` for a unit variant.
    let Value::Object(outer) = value else {
        return Ok(object);
    };
    let Some((_, Value::Object(fields))) = outer.into_iter().next() else {
        return Ok(object);
    };
    for (name, fact) in fields {
        if RESERVED.contains(&name.as_str()) {
            continue;
        }
        let key = camel_case(&name);
        match fact {
            Value::String(text) => object.set_named_property(&key, text)?,
            Value::Number(number) => {
                object.set_named_property(&key, number.as_f64().unwrap_or(f64::NAN))?;
            }
            Value::Bool(flag) => object.set_named_property(&key, flag)?,
            Value::Null => object.set_named_property(&key, Null)?,
            Value::Object(_) => match serde_json::from_value::<sb::Error>(fact.clone()) {
                // A nested error (`source` of `batch_refused`).
                Ok(inner) => object.set_named_property(&key, build(env, &inner)?)?,
                Err(_) => object.set_named_property(&key, fact.to_string())?,
            },
            Value::Array(_) => object.set_named_property(&key, fact.to_string())?,
        }
    }
    Ok(object)
}

/// `!` and the JSON of `err`: `{"code", "message", "facts", "fields"}`, `facts` as
/// [`sb::Error::facts`] reports them, `fields` the variant's fields under the engine's names
/// (a nested error, the `source` of `batch_refused`, in the same form).
pub fn json(err: &sb::Error) -> String {
    format!("!{}", value(err))
}

fn value(err: &sb::Error) -> Value {
    let facts: serde_json::Map<String, Value> = err
        .facts()
        .into_iter()
        .map(|(name, text)| (name.to_owned(), Value::String(text)))
        .collect();
    let mut fields = serde_json::Map::new();
    // Serde's external tagging: `{"Variant": {fields}}`, or `"Variant"` for a unit variant.
    if let Ok(Value::Object(outer)) = serde_json::to_value(err)
        && let Some((_, Value::Object(inner))) = outer.into_iter().next()
    {
        for (name, fact) in inner {
            let fact = match fact {
                Value::Object(_) => match serde_json::from_value::<sb::Error>(fact.clone()) {
                    Ok(nested) => value(&nested),
                    Err(_) => fact,
                },
                other => other,
            };
            fields.insert(name, fact);
        }
    }
    serde_json::json!({
        "code": err.code(),
        "message": err.to_string(),
        "facts": facts,
        "fields": fields,
    })
}

/// `err` with the argument or parameter it names in camelCase (`ttl_ms` → `ttlMs`).
fn spelled(err: &sb::Error) -> Cow<'_, sb::Error> {
    match err {
        sb::Error::InvalidArgument { field, reason } => Cow::Owned(sb::Error::InvalidArgument {
            field: camel_case(field),
            reason: reason.clone(),
        }),
        sb::Error::InvalidParameter { parameter, reason } => {
            Cow::Owned(sb::Error::InvalidParameter {
                parameter: camel_case(parameter),
                reason: reason.clone(),
            })
        }
        _ => Cow::Borrowed(err),
    }
}

/// `expiry_ms` → `expiryMs`.
pub(crate) fn camel_case(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut upper = false;
    for ch in name.chars() {
        if ch == '_' {
            upper = true;
        } else if upper {
            out.push(ch.to_ascii_uppercase());
            upper = false;
        } else {
            out.push(ch);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn fact_names_become_camel_case() {
        assert_eq!(super::camel_case("expiry_ms"), "expiryMs");
        assert_eq!(super::camel_case("sku"), "sku");
    }
}
