//! Inputs read from JSON: the one door through which every binding's commands, queries and
//! settings enter. A value the definition does not take is refused with
//! [`Error::InvalidArgument`] whose `field` is the path of the offending field
//! (`args.lines[0].qty`, `args.method.fixed.holt.dampd`) and whose `reason` is in plain
//! words: never a Rust type name, whatever serde's own message said.

use std::fmt::Write as _;

use serde::de::DeserializeOwned;
use serde::de::value::MapDeserializer;
use serde_json::Value;
use serde_path_to_error::Segment;

use crate::error::{Error, Result};

/// The field named for input that is not JSON at all, or not an object where one is needed.
const WHOLE_INPUT: &str = "input";

/// Reads a tagged input (`{"op": …, "args": {…}}`) from JSON text.
pub(crate) fn from_json<T: DeserializeOwned>(text: &str) -> Result<T> {
    let value: Value = serde_json::from_str(text)
        .map_err(|e| Error::invalid_argument(WHOLE_INPUT, format!("is not valid JSON: {e}")))?;
    from_value(value)
}

/// Reads a tagged input (`{"op": …, "args": {…}}`) from a JSON value.
///
/// `op` is handed to serde before `args` whatever their order in the value (a parsed
/// object keeps its keys sorted): an enum tagged by a neighbouring key would otherwise
/// buffer `args` before it knew its type, and lose the path inside it.
pub(crate) fn from_value<T: DeserializeOwned>(value: Value) -> Result<T> {
    let Value::Object(mut map) = value else {
        return Err(Error::invalid_argument(
            WHOLE_INPUT,
            format!(
                "expected an object with `op` and `args`, got {}",
                kind(&value)
            ),
        ));
    };
    if let Some(key) = map.keys().find(|k| !matches!(k.as_str(), "op" | "args")) {
        return Err(Error::invalid_argument(
            key,
            "is not a known field (expected `op` and `args`)",
        ));
    }
    let op = map
        .remove("op")
        .ok_or_else(|| Error::invalid_argument("op", "is required"))?;
    let entries = std::iter::once(("op", op)).chain(map.remove("args").map(|a| ("args", a)));
    decode_from("", MapDeserializer::<_, serde_json::Error>::new(entries))
}

/// Reads any input type (a [`crate::Meta`], a forecasting
/// [`crate::planning::forecast::Method`], a filter) from a JSON value given as the argument
/// `field` (`""` for none), refusing what its definition does not take as
/// [`crate::Command::from_value`] does; paths start at `field` (`settings.holt.dampd`).
pub fn decode<T: DeserializeOwned>(field: &str, value: Value) -> Result<T> {
    decode_from(field, value)
}

fn decode_from<'de, T: serde::Deserialize<'de>>(
    field: &str,
    de: impl serde::Deserializer<'de, Error = serde_json::Error>,
) -> Result<T> {
    serde_path_to_error::deserialize(de)
        .map_err(|e| refusal(field, e.path(), &e.inner().to_string()))
}

/// The refusal of serde's `message` at `path` below the argument `prefix`, in plain words.
fn refusal(prefix: &str, path: &serde_path_to_error::Path, message: &str) -> Error {
    let mut field = prefix.to_owned();
    for segment in path {
        match segment {
            Segment::Seq { index } => {
                let _ = write!(field, "[{index}]");
            }
            Segment::Map { key } | Segment::Enum { variant: key } => push_key(&mut field, key),
            Segment::Unknown => push_key(&mut field, "?"),
        }
    }
    let (named, reason) = plain(message);
    // Serde names a missing or unknown field in its message, at the path of the object
    // that holds it: the field is the user's, so it joins the path.
    if let Some(name) = named
        && field != name
        && !field.ends_with(&format!(".{name}"))
    {
        push_key(&mut field, &name);
    }
    if field.is_empty() {
        field.push_str(WHOLE_INPUT);
    }
    let reason = match reason.split_once(", got ") {
        Some((_, got)) if field == "op" => format!("expected the name of an operation, got {got}"),
        _ => reason,
    };
    Error::InvalidArgument { field, reason }
}

fn push_key(path: &mut String, key: &str) {
    if !path.is_empty() {
        path.push('.');
    }
    path.push_str(key);
}

/// Serde's message in plain words, and the field it names when it names one.
fn plain(message: &str) -> (Option<String>, String) {
    if let Some(rest) = message.strip_prefix("missing field ") {
        return (Some(unquote(rest)), "is required".to_owned());
    }
    if let Some(rest) = message.strip_prefix("duplicate field ") {
        return (Some(unquote(rest)), "is given twice".to_owned());
    }
    if let Some(rest) = message.strip_prefix("unknown field ") {
        let (name, expected) = split_expected(rest);
        let reason = match expected {
            Some(e) if e.starts_with("there are no") => {
                "is not a known field (none is taken here)".to_owned()
            }
            Some(e) => format!(
                "is not a known field (expected {})",
                e.trim_start_matches("one of ")
            ),
            None => "is not a known field".to_owned(),
        };
        return (Some(unquote(name)), reason);
    }
    if let Some(rest) = message.strip_prefix("unknown variant ") {
        let (name, expected) = split_expected(rest);
        let choices = expected.map_or(String::new(), |e| {
            format!(" (expected {})", e.trim_start_matches("one of "))
        });
        return (None, format!("{name} is not a known choice{choices}"));
    }
    for prefix in ["invalid type: ", "invalid value: "] {
        if let Some(rest) = message.strip_prefix(prefix)
            && let Some((got, expected)) = rest.split_once(", expected ")
        {
            return (
                None,
                format!(
                    "expected {}, got {}",
                    expected_words(expected),
                    got_words(got)
                ),
            );
        }
    }
    if let Some(rest) = message.strip_prefix("invalid length ")
        && let Some((len, expected)) = rest.split_once(", expected ")
    {
        return (
            None,
            format!("expected {}, got {len} elements", expected_words(expected)),
        );
    }
    // The engine's own refusals (a malformed quantity) are already in plain words.
    (None, message.to_owned())
}

/// `` `name`, expected … `` (or `` `name`, there are no … ``) split at the comma; the
/// second part without its `expected`.
fn split_expected(rest: &str) -> (&str, Option<&str>) {
    match rest.split_once(", ") {
        Some((name, tail)) => (name, Some(tail.strip_prefix("expected ").unwrap_or(tail))),
        None => (rest, None),
    }
}

/// Removes the backticks serde puts around a name.
fn unquote(name: &str) -> String {
    name.trim().trim_matches('`').to_owned()
}

/// What serde says was expected, in words a user of any language reads.
fn expected_words(expected: &str) -> String {
    let range = |min: i128, max: i128| format!("a whole number from {min} to {max}");
    match expected {
        "u8" => range(0, u8::MAX.into()),
        "u16" => range(0, u16::MAX.into()),
        "u32" => range(0, u32::MAX.into()),
        "u64" | "usize" => range(0, u64::MAX.into()),
        "i8" => range(i8::MIN.into(), i8::MAX.into()),
        "i16" => range(i16::MIN.into(), i16::MAX.into()),
        "i32" => range(i32::MIN.into(), i32::MAX.into()),
        "i64" | "isize" => range(i64::MIN.into(), i64::MAX.into()),
        "f32" | "f64" => "a number".to_owned(),
        "a boolean" => "true or false".to_owned(),
        "a string" | "a borrowed string" | "a character" | "a char" => "text".to_owned(),
        "a sequence" => "a list".to_owned(),
        "a map" => "an object".to_owned(),
        "unit" => "null".to_owned(),
        e if e.starts_with("a quantity") => e.to_owned(),
        e if e.starts_with("struct ") || e.starts_with("adjacently tagged enum") => {
            "an object".to_owned()
        }
        e if e.starts_with("enum ") || e.contains("variant") || e == "string or map" => {
            "a choice: a name, or an object of one name and its settings".to_owned()
        }
        "map with a single key" => "an object of exactly one name and its settings".to_owned(),
        e if e.starts_with("a tuple") || e.starts_with("tuple") => "a list".to_owned(),
        _ => "a value of the documented type".to_owned(),
    }
}

/// What serde says it found, in the same words.
fn got_words(got: &str) -> String {
    for (prefix, words) in [
        ("string ", "text "),
        ("character ", "text "),
        ("integer ", ""),
        ("floating point ", ""),
        ("boolean ", ""),
    ] {
        if let Some(rest) = got.strip_prefix(prefix) {
            return format!("{words}{}", rest.trim_matches('`'));
        }
    }
    match got {
        "sequence" => "a list",
        "map" => "an object",
        "unit" | "unit value" | "Option value" | "null" => "null",
        g if g.contains("variant") => "a name",
        _ => "something else",
    }
    .to_owned()
}

/// The JSON kind of `value`, for a refusal.
fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "true or false",
        Value::Number(_) => "a number",
        Value::String(_) => "text",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}
