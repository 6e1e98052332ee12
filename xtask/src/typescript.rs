//! The contract as TypeScript declarations: one type per definition of the JSON Schema,
//! with its description as JSDoc, and the maps a typed generic call needs (`CommandArgs`,
//! `QueryArgs`, `QueryAnswers`). Written to `bindings/node/contract.d.ts`.
//!
//! The schema is read as data: `$ref` becomes the type's name, `oneOf`/`anyOf` a union,
//! `const`/`enum` literals, an object an inline type whose optional fields are those it
//! does not require, `additionalProperties: false` nothing more (TypeScript's own excess
//! property check refuses an unknown field of an object literal). Integers are `number`:
//! every integer of the contract (sequences, times in ms, counts) is within 2^53.

use std::fmt::Write;

use serde_json::{Map, Value};

/// The file written, relative to the workspace root.
pub const PATH: &str = "bindings/node/contract.d.ts";

/// The declarations of `schema` (the document `stockbook::command::schema` writes).
pub fn render(schema: &Value, generated_by: &str) -> String {
    let defs = schema["$defs"].as_object().expect("the schema has $defs");
    let mut out = String::new();
    writeln!(out, "// {generated_by}").unwrap();
    out.push_str(
        "// The contract of every command, query and answer as TypeScript types, for the\n\
         // generic entry point `Stockbook#callJson` (JSON text of a `Call`).\n",
    );
    for (name, def) in defs {
        out.push('\n');
        doc(&mut out, def, "");
        writeln!(out, "export type {name} = {};", ty(def, "")).unwrap();
    }
    out.push('\n');
    variant_map(
        &mut out,
        defs,
        "Command",
        "args",
        "CommandArgs",
        "The args of each command, by op.",
    );
    variant_map(
        &mut out,
        defs,
        "Query",
        "args",
        "QueryArgs",
        "The args of each query, by op.",
    );
    variant_map(
        &mut out,
        defs,
        "Answer",
        "value",
        "QueryAnswers",
        "What each query answers, by op.",
    );
    out.push_str(TYPED_CALLS);
    out
}

/// A call typed by its op, from the maps above: what a caller builds for `callJson`.
const TYPED_CALLS: &str = "
/** A command call, its args typed by its op (`transfer` is this one unless `kind` says query). */
export type CommandCall = {
  [Op in keyof CommandArgs]: { op: Op; args: CommandArgs[Op]; meta?: Meta; kind?: \"command\" };
}[keyof CommandArgs];

/** A query call, its args typed by its op; `kind: \"query\"` is needed for `transfer`. */
export type QueryCall = {
  [Op in keyof QueryArgs]: { op: Op; args: QueryArgs[Op]; kind?: \"query\" };
}[keyof QueryArgs];
";

/// `export interface <map> { <op>: <field type>; … }` over the tagged variants of `def`.
fn variant_map(
    out: &mut String,
    defs: &Map<String, Value>,
    def: &str,
    field: &str,
    map: &str,
    what: &str,
) {
    writeln!(out, "/** {what} */").unwrap();
    writeln!(out, "export interface {map} {{").unwrap();
    for variant in defs[def]["oneOf"].as_array().expect("a tagged enum") {
        let op = variant["properties"]["op"]["const"]
            .as_str()
            .expect("a tag");
        let value = match variant["properties"].get(field) {
            Some(v) => ty(v, "  "),
            None => "null".to_owned(),
        };
        writeln!(out, "  {op}: {value};").unwrap();
    }
    out.push_str("}\n");
}

/// A JSDoc comment of the definition's description, if it has one.
fn doc(out: &mut String, def: &Value, indent: &str) {
    let Some(text) = def.get("description").and_then(Value::as_str) else {
        return;
    };
    let text = text.replace("*/", "* /");
    let mut lines = text.lines();
    match (lines.next(), lines.next()) {
        (Some(only), None) => writeln!(out, "{indent}/** {only} */").unwrap(),
        _ => {
            writeln!(out, "{indent}/**").unwrap();
            for line in text.lines() {
                let line = format!("{indent} * {line}");
                writeln!(out, "{}", line.trim_end()).unwrap();
            }
            writeln!(out, "{indent} */").unwrap();
        }
    }
}

/// The TypeScript type of a schema, at `indent` (for the fields of an inline object).
fn ty(schema: &Value, indent: &str) -> String {
    if let Some(r) = schema.get("$ref").and_then(Value::as_str) {
        return r.trim_start_matches("#/$defs/").to_owned();
    }
    if let Some(c) = schema.get("const") {
        return c.to_string();
    }
    if let Some(values) = schema.get("enum").and_then(Value::as_array) {
        return union(values.iter().map(Value::to_string));
    }
    for key in ["oneOf", "anyOf"] {
        if let Some(options) = schema.get(key).and_then(Value::as_array) {
            return union(options.iter().map(|o| ty(o, indent)));
        }
    }
    if let Some(all) = schema.get("allOf").and_then(Value::as_array) {
        return all
            .iter()
            .map(|s| ty(s, indent))
            .collect::<Vec<_>>()
            .join(" & ");
    }
    match schema.get("type") {
        Some(Value::Array(types)) => union(types.iter().map(|t| {
            let mut one = schema.clone();
            one["type"] = t.clone();
            ty(&one, indent)
        })),
        Some(Value::String(t)) => match t.as_str() {
            "string" => "string".to_owned(),
            "integer" | "number" => "number".to_owned(),
            "boolean" => "boolean".to_owned(),
            "null" => "null".to_owned(),
            "array" => match schema.get("items") {
                Some(items) => format!("Array<{}>", ty(items, indent)),
                None => "unknown[]".to_owned(),
            },
            "object" => object(schema, indent),
            other => panic!("a schema type the generator does not know: {other}"),
        },
        _ => "unknown".to_owned(),
    }
}

/// An inline object type: its fields (optional where not required), or a record.
fn object(schema: &Value, indent: &str) -> String {
    let properties = schema.get("properties").and_then(Value::as_object);
    let Some(properties) = properties.filter(|p| !p.is_empty()) else {
        return match schema.get("additionalProperties") {
            Some(Value::Object(_)) => {
                format!(
                    "{{ [key: string]: {} }}",
                    ty(&schema["additionalProperties"], indent)
                )
            }
            Some(Value::Bool(false)) => "Record<string, never>".to_owned(),
            _ => "{ [key: string]: unknown }".to_owned(),
        };
    };
    let required: Vec<&str> = schema
        .get("required")
        .and_then(Value::as_array)
        .map(|r| r.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    let inner = format!("{indent}  ");
    let mut out = String::from("{\n");
    for (field, def) in properties {
        doc(&mut out, def, &inner);
        let optional = if required.contains(&field.as_str()) {
            ""
        } else {
            "?"
        };
        writeln!(out, "{inner}{field}{optional}: {};", ty(def, &inner)).unwrap();
    }
    write!(out, "{indent}}}").unwrap();
    out
}

/// `a | b | …`, each once, in order.
fn union(types: impl Iterator<Item = String>) -> String {
    let mut seen: Vec<String> = Vec::new();
    for t in types {
        if !seen.contains(&t) {
            seen.push(t);
        }
    }
    seen.join(" | ")
}
