//! The contract as Python types: one `TypedDict` or type alias per definition of the JSON
//! Schema, for the generic entry point (`stockbook._call`), checked by mypy like any
//! typed code. Written to `bindings/python/python/stockbook/contract.py`.
//!
//! Python has no inline object type, so an object inside a definition gets a name of its
//! own: the definition's name and the field's (`ReceivePurchaseOrder` → …), or the op of a
//! tagged variant (`Command` → `CommandReceive`). Every `TypedDict` is written in the
//! functional form (fields such as `from` are keywords in Python). An object with both
//! required and optional keys is a class over two of them, one of each totality (the
//! package supports Python 3.9, before `NotRequired`). Each name is defined after the names
//! it uses, so the types are real at run time too (forward references only in a cycle).

use std::fmt::Write;

use serde_json::Value;

/// The file written, relative to the workspace root.
pub const PATH: &str = "bindings/python/python/stockbook/contract.py";

/// The module of `schema` (the document `stockbook::command::schema` writes).
pub fn render(schema: &Value, generated_by: &str) -> String {
    let defs = schema["$defs"].as_object().expect("the schema has $defs");
    let mut body = Vec::new();
    for (name, def) in defs {
        define(&mut body, name, def);
    }
    let body = resolved(ordered(body));
    let mut names: Vec<&str> = body.iter().map(|(n, _, _)| n.as_str()).collect();
    names.sort_unstable();
    if let Some([twice, _]) = names.windows(2).find(|w| w[0] == w[1]) {
        panic!("two Python types would be named {twice}");
    }
    let mut out = String::new();
    writeln!(out, "# {generated_by}").unwrap();
    out.push_str(
        "\"\"\"The contract of every command, query and answer as Python types.\n\n\
         A call for the generic entry point `stockbook._call` is a `Call`; its `args` are\n\
         typed by op in `Command` and `Query` (a `TypedDict` per op), and what a query\n\
         answers is the `value` of the `Answer` of its op.\n\"\"\"\n\n\
         from typing import Literal, TypedDict, Union\n\n\
         __all__ = [\n",
    );
    for (name, _, _) in &body {
        writeln!(out, "    {name:?},").unwrap();
    }
    out.push_str("]\n");
    for (_, text, _) in body {
        out.push('\n');
        out.push_str(&text);
    }
    out
}

/// One name of the module: its text and the names it uses.
type Def = (String, String, Vec<String>);

/// Appends the definition `name` (and the names its inline objects need) to `out`.
fn define(out: &mut Vec<Def>, name: &str, def: &Value) {
    let mut deps = Vec::new();
    let mut text = String::new();
    comment(&mut text, def);
    if is_object(def) {
        let fields = def["properties"].as_object().expect("an object");
        let required = required(def);
        // Keys required and keys that may be left out, each as a `TypedDict` of its own
        // totality (no `NotRequired`: the package supports Python 3.9).
        let (mut must, mut may) = (String::new(), String::new());
        for (field, schema) in fields {
            let inner = ty(out, &mut deps, &format!("{name}{}", camel(field)), schema);
            let part = if required.contains(&field.as_str()) {
                &mut must
            } else {
                &mut may
            };
            writeln!(part, "        {field:?}: {inner},").unwrap();
        }
        let typed_dict = |text: &mut String, var: &str, title: &str, keys: &str, total: bool| {
            let total = if total { "" } else { "    total=False,\n" };
            writeln!(
                text,
                "{var} = TypedDict(\n    {title:?},\n    {{\n{keys}    }},\n{total})"
            )
            .unwrap();
        };
        match (must.is_empty(), may.is_empty()) {
            (_, true) => typed_dict(&mut text, name, name, &must, true),
            (true, false) => typed_dict(&mut text, name, name, &may, false),
            (false, false) => {
                let (required_part, optional_part) =
                    (format!("_{name}Required"), format!("_{name}Optional"));
                typed_dict(&mut text, &required_part, &required_part, &must, true);
                typed_dict(&mut text, &optional_part, &optional_part, &may, false);
                writeln!(
                    text,
                    "\n\nclass {name}({required_part}, {optional_part}):\n    pass"
                )
                .unwrap();
            }
        }
    } else {
        let alias = ty(out, &mut deps, name, def);
        writeln!(text, "{name} = {alias}").unwrap();
    }
    out.push((name.to_owned(), text, deps));
}

/// `defs` ordered so that each comes after every name it uses, except around a cycle
/// (depth first, in the schema's order otherwise).
fn ordered(defs: Vec<Def>) -> Vec<Def> {
    fn visit(
        i: usize,
        defs: &[Def],
        state: &mut [u8],
        order: &mut Vec<usize>,
        index: &std::collections::HashMap<&str, usize>,
    ) {
        // A name met again while its own uses are visited closes a cycle (an error holds
        // the error it wraps): that use stays a forward reference.
        if state[i] != 0 {
            return;
        }
        state[i] = 1;
        for dep in &defs[i].2 {
            if let Some(&j) = index.get(dep.as_str()) {
                visit(j, defs, state, order, index);
            }
        }
        state[i] = 2;
        order.push(i);
    }
    let index: std::collections::HashMap<&str, usize> = defs
        .iter()
        .enumerate()
        .map(|(i, d)| (d.0.as_str(), i))
        .collect();
    let mut state = vec![0u8; defs.len()];
    let mut order = Vec::with_capacity(defs.len());
    for i in 0..defs.len() {
        visit(i, &defs, &mut state, &mut order, &index);
    }
    let mut slots: Vec<Option<Def>> = defs.into_iter().map(Some).collect();
    order.into_iter().filter_map(|i| slots[i].take()).collect()
}

/// The Python type of `schema`, as text; an inline object is defined as `name`. The names
/// it uses are added to `deps`.
fn ty(out: &mut Vec<Def>, deps: &mut Vec<String>, name: &str, schema: &Value) -> String {
    if let Some(r) = schema.get("$ref").and_then(Value::as_str) {
        let target = r.trim_start_matches("#/$defs/").to_owned();
        deps.push(target.clone());
        return reference(&target);
    }
    if let Some(c) = schema.get("const") {
        return literal(c);
    }
    if let Some(values) = schema.get("enum").and_then(Value::as_array) {
        return union(values.iter().map(literal));
    }
    for key in ["oneOf", "anyOf"] {
        if let Some(options) = schema.get(key).and_then(Value::as_array) {
            let types: Vec<String> = options
                .iter()
                .enumerate()
                .map(|(i, o)| ty(out, deps, &format!("{name}{}", variant_name(o, i)), o))
                .collect();
            return union(types.into_iter());
        }
    }
    if let Some(all) = schema.get("allOf").and_then(Value::as_array)
        && let [one] = all.as_slice()
    {
        return ty(out, deps, name, one);
    }
    match schema.get("type") {
        Some(Value::Array(types)) => {
            let types: Vec<String> = types
                .iter()
                .map(|t| {
                    let mut one = schema.clone();
                    one["type"] = t.clone();
                    ty(out, deps, name, &one)
                })
                .collect();
            union(types.into_iter())
        }
        Some(Value::String(t)) => match t.as_str() {
            "string" => "str".to_owned(),
            "integer" => "int".to_owned(),
            "number" => "float".to_owned(),
            "boolean" => "bool".to_owned(),
            "null" => "None".to_owned(),
            "array" => match schema.get("items") {
                Some(items) => {
                    format!("list[{}]", ty(out, deps, &format!("{name}Item"), items))
                }
                None => "list[object]".to_owned(),
            },
            "object" if is_object(schema) => {
                define(out, name, schema);
                deps.push(name.to_owned());
                reference(name)
            }
            "object" => match schema.get("additionalProperties") {
                Some(v @ Value::Object(_)) => {
                    format!("dict[str, {}]", ty(out, deps, &format!("{name}Value"), v))
                }
                _ => "dict[str, object]".to_owned(),
            },
            other => panic!("a schema type the generator does not know: {other}"),
        },
        _ => "object".to_owned(),
    }
}

/// True for an object with named fields (an empty one is a `TypedDict` too).
fn is_object(schema: &Value) -> bool {
    schema.get("type").and_then(Value::as_str) == Some("object")
        && schema.get("properties").is_some_and(Value::is_object)
}

/// The fields `schema` requires.
fn required(schema: &Value) -> Vec<&str> {
    schema
        .get("required")
        .and_then(Value::as_array)
        .map(|r| r.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default()
}

/// The name part of a tagged variant: its `op` (or its one key), else its position.
fn variant_name(variant: &Value, index: usize) -> String {
    let properties = variant.get("properties").and_then(Value::as_object);
    if let Some(op) = properties
        .and_then(|p| p.get("op"))
        .and_then(|op| op.get("const"))
        .and_then(Value::as_str)
    {
        return camel(op);
    }
    if let Some(p) = properties
        && p.len() == 1
        && let Some(key) = p.keys().next()
    {
        return camel(key);
    }
    format!("{index}")
}

/// A use of the name `name`, resolved once the order of the module is known
/// ([`resolved`]): the name itself, or a string where it is defined later.
fn reference(name: &str) -> String {
    format!("{REF_OPEN}{name}{REF_CLOSE}")
}

const REF_OPEN: char = '\u{1}';
const REF_CLOSE: char = '\u{2}';

/// Every use of a name in `defs` written as the name, where it is defined before the use,
/// or as a forward reference (a string) where it is not.
fn resolved(defs: Vec<Def>) -> Vec<Def> {
    let position: std::collections::HashMap<String, usize> = defs
        .iter()
        .enumerate()
        .map(|(i, d)| (d.0.clone(), i))
        .collect();
    defs.into_iter()
        .enumerate()
        .map(|(at, (name, text, deps))| {
            let mut out = String::with_capacity(text.len());
            let mut rest = text.as_str();
            while let Some(open) = rest.find(REF_OPEN) {
                out.push_str(&rest[..open]);
                let after = &rest[open + REF_OPEN.len_utf8()..];
                let close = after.find(REF_CLOSE).expect("a closed reference");
                let used = &after[..close];
                if position.get(used).is_some_and(|&p| p < at) {
                    out.push_str(used);
                } else {
                    write!(out, "{used:?}").unwrap();
                }
                rest = &after[close + REF_CLOSE.len_utf8()..];
            }
            out.push_str(rest);
            (name, out, deps)
        })
        .collect()
}

/// A JSON literal as a Python `Literal[…]`.
fn literal(value: &Value) -> String {
    match value {
        Value::String(s) => format!("Literal[{s:?}]"),
        Value::Bool(b) => format!("Literal[{}]", if *b { "True" } else { "False" }),
        Value::Null => "None".to_owned(),
        other => format!("Literal[{other}]"),
    }
}

/// A `#` comment of the definition's description, if it has one.
fn comment(out: &mut String, def: &Value) {
    if let Some(text) = def.get("description").and_then(Value::as_str) {
        for line in text.lines() {
            writeln!(out, "{}", format!("# {line}").trim_end()).unwrap();
        }
    }
}

/// `snake_case` → `SnakeCase`.
fn camel(name: &str) -> String {
    name.split('_')
        .map(|part| {
            let mut chars = part.chars();
            chars
                .next()
                .map(|c| c.to_ascii_uppercase().to_string() + chars.as_str())
                .unwrap_or_default()
        })
        .collect()
}

/// `Union[a, b, …]` (each once, in order), or the one type.
fn union(types: impl Iterator<Item = String>) -> String {
    let mut seen: Vec<String> = Vec::new();
    for t in types {
        if !seen.contains(&t) {
            seen.push(t);
        }
    }
    match seen.as_slice() {
        [one] => one.clone(),
        _ => format!("Union[{}]", seen.join(", ")),
    }
}
