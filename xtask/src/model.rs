//! The contract as every binding generator reads it: the operations (commands, queries,
//! calculations) with their parameters and answers, and the named types they reach, taken
//! from the JSON Schema document the core generates. A generator walks this model, never the
//! schema's JSON: the schema's shapes (`anyOf [X, null]`, one-key maps of a tagged union,
//! integer formats) are read here once.

use std::collections::BTreeMap;

use serde_json::{Map, Value};

/// Every operation of the contract and every named type they reach.
#[derive(Debug, Clone)]
pub struct Contract {
    /// The writes, in the order the core declares them; each is answered by its typed
    /// receipt (`Written`, `Reserved`, `Dispatched`, `Counted`).
    pub commands: Vec<Op>,
    /// The reads of the book, in the core's order.
    pub queries: Vec<Op>,
    /// The stateless planning functions (no book), in the core's order.
    pub calculations: Vec<Op>,
    /// Every named definition of the schema but the contract's own envelopes (`Command`,
    /// `Query`, `Answer`, `Call`, `Calculation`, `CalculationAnswer`), by name.
    pub types: BTreeMap<String, TypeDef>,
}

/// What an operation is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OpKind {
    /// A write of the book, answered by its receipt.
    Command,
    /// A read of the book.
    Query,
    /// A planning function over plain numbers, without a book.
    Calculation,
}

/// One operation: a method of the book (command, query) or a function (calculation).
#[derive(Debug, Clone)]
pub struct Op {
    /// Its `op` name, snake_case (`define_item`).
    pub name: String,
    /// What it does (the core's doc comment).
    pub doc: String,
    /// Its parameters, in the core's field order: the `args` object's fields.
    pub params: Vec<Field>,
    /// The named type its `args` are, when they are one (`Receive`, `BalanceFilter`); `None`
    /// when the fields are the variant's own.
    pub args_type: Option<String>,
    /// What it answers.
    pub answer: Ty,
    /// Which of the three it is.
    pub kind: OpKind,
}

/// A field of a record, a parameter of an operation, or a field of a union's variant.
#[derive(Debug, Clone)]
pub struct Field {
    /// Its name as serde spells it, snake_case.
    pub name: String,
    /// Its description.
    pub doc: String,
    /// Its type. An optional field that may be `null` is `Ty::Optional`.
    pub ty: Ty,
    /// Whether the caller must give it (and an answer always carries it).
    pub required: bool,
    /// The default the core applies when it is left out, if the schema states one
    /// (`null` for optional fields).
    pub default: Option<Value>,
}

/// A named type.
#[derive(Debug, Clone)]
pub enum TypeDef {
    /// An object with named fields.
    Record {
        /// Its description.
        doc: String,
        /// Its fields, in the core's order.
        fields: Vec<Field>,
    },
    /// One of a fixed set of strings.
    Enum {
        /// Its description.
        doc: String,
        /// The strings, with their descriptions.
        values: Vec<(String, String)>,
    },
    /// A tagged union. In serde's external tagging (`tag: None`) a variant without data is
    /// its name as a string, one with data a one-key object `{name: data}`. In internal
    /// tagging (`tag: Some("kind")`) every variant is an object whose `kind` field is its
    /// name, beside its fields (a [`Payload::Value`] of a named record: that record's
    /// fields).
    Union {
        /// Its description.
        doc: String,
        /// The field that names the variant, for internal tagging.
        tag: Option<String>,
        /// The variants, in the core's order.
        variants: Vec<Variant>,
    },
    /// Another name for a type (`Qty`, `Instant`, `Millis`, and the like).
    Alias {
        /// Its description.
        doc: String,
        /// The type it names.
        ty: Ty,
    },
}

/// A variant of a [`TypeDef::Union`].
#[derive(Debug, Clone)]
pub struct Variant {
    /// Its tag, snake_case (`fefo`, `item_defined`).
    pub name: String,
    /// Its description.
    pub doc: String,
    /// What it carries.
    pub payload: Payload,
}

/// What a union's variant carries.
#[derive(Debug, Clone)]
pub enum Payload {
    /// Nothing: the variant is its tag as a string.
    Unit,
    /// Named fields: `{tag: {fields…}}`.
    Fields(Vec<Field>),
    /// One value: `{tag: value}`.
    Value(Ty),
}

/// The type of a field, a parameter or an answer.
#[derive(Debug, Clone, PartialEq)]
pub enum Ty {
    /// Text.
    Str,
    /// `true` or `false`.
    Bool,
    /// A whole number within `min..=max` (from the schema's integer format and bounds).
    Int {
        /// The least value (`None`: unbounded below).
        min: Option<i128>,
        /// The greatest value (`None`: unbounded above).
        max: Option<i128>,
    },
    /// A floating-point number.
    Float,
    /// An exact decimal quantity: decimal text in answers; text or a whole number in inputs.
    Qty,
    /// An instant: whole milliseconds since the Unix epoch, UTC.
    Instant,
    /// A duration: whole milliseconds.
    Millis,
    /// Any JSON value.
    Json,
    /// A named type of [`Contract::types`].
    Named(String),
    /// A list.
    List(Box<Ty>),
    /// An object from text keys to values.
    Map(Box<Ty>),
    /// A value that may be absent (`null`).
    Optional(Box<Ty>),
    /// No value (the empty answer).
    Unit,
}

/// The definitions that are the contract's envelopes, not types a binding names.
const ENVELOPES: &[&str] = &[
    "Command",
    "Query",
    "Answer",
    "Call",
    "Calculation",
    "CalculationAnswer",
];

impl Contract {
    /// Reads the contract from the schema document (`schema::document()`).
    pub fn from_schema(document: &Value) -> Contract {
        let defs = document["$defs"].as_object().expect("the schema has $defs");
        let answers = answers_of(defs, "Answer");
        let calculation_answers = answers_of(defs, "CalculationAnswer");
        let receipts: BTreeMap<String, Ty> = variants_of(&defs["Command"])
            .iter()
            .filter_map(|v| {
                let op = v["properties"]["op"]["const"].as_str()?;
                let receipt = v["x-receipt"].as_str().unwrap_or("Written");
                Some((op.to_owned(), Ty::Named(receipt.to_owned())))
            })
            .collect();
        let commands = ops(defs, "Command", OpKind::Command, |name| {
            receipts[name].clone()
        });
        let queries = ops(defs, "Query", OpKind::Query, |name| {
            answers.get(name).cloned().unwrap_or(Ty::Unit)
        });
        let calculations = ops(defs, "Calculation", OpKind::Calculation, |name| {
            calculation_answers.get(name).cloned().unwrap_or(Ty::Unit)
        });
        let types = defs
            .iter()
            .filter(|(name, _)| !ENVELOPES.contains(&name.as_str()))
            .map(|(name, def)| (name.clone(), type_def(def)))
            .collect();
        Contract {
            commands,
            queries,
            calculations,
            types,
        }
    }

    /// The record's fields of a named type, if it is a record.
    pub fn fields(&self, name: &str) -> Option<&[Field]> {
        match self.types.get(name) {
            Some(TypeDef::Record { fields, .. }) => Some(fields),
            _ => None,
        }
    }
}

/// The answers of an `Answer`-like union (`{"op", "value"}` variants), by op.
fn answers_of(defs: &Map<String, Value>, name: &str) -> BTreeMap<String, Ty> {
    let Some(def) = defs.get(name) else {
        return BTreeMap::new();
    };
    variants_of(def)
        .iter()
        .filter_map(|v| {
            let op = v["properties"]["op"]["const"].as_str()?;
            let ty = v["properties"].get("value").map_or(Ty::Unit, ty);
            Some((op.to_owned(), ty))
        })
        .collect()
}

/// The `{"op", "args"}` variants of `Command`, `Query` or `Calculation`.
fn ops(
    defs: &Map<String, Value>,
    name: &str,
    kind: OpKind,
    answer: impl Fn(&str) -> Ty,
) -> Vec<Op> {
    let Some(def) = defs.get(name) else {
        return Vec::new();
    };
    variants_of(def)
        .iter()
        .map(|v| {
            let op = v["properties"]["op"]["const"]
                .as_str()
                .expect("every variant names its op")
                .to_owned();
            let args = &v["properties"]["args"];
            let (params, args_type) = match reference(args) {
                Some(target) => {
                    let fields = match type_def(&defs[target]) {
                        TypeDef::Record { fields, .. } => fields,
                        other => panic!("{op}'s args {target} are not a record: {other:?}"),
                    };
                    (fields, Some(target.to_owned()))
                }
                None => (fields(args), None),
            };
            let mut doc = text(v);
            if doc.is_empty()
                && let Some(target) = &args_type
            {
                doc = text(&defs[target]);
            }
            Op {
                answer: answer(&op),
                name: op,
                doc,
                params,
                args_type,
                kind,
            }
        })
        .collect()
}

fn variants_of(def: &Value) -> &[Value] {
    def.get("oneOf")
        .or_else(|| def.get("anyOf"))
        .and_then(Value::as_array)
        .map_or(&[], Vec::as_slice)
}

/// The named type a schema defines.
fn type_def(def: &Value) -> TypeDef {
    let doc = text(def);
    if let Some(values) = def.get("enum").and_then(Value::as_array) {
        let values = values
            .iter()
            .filter_map(|v| Some((v.as_str()?.to_owned(), String::new())))
            .collect();
        return TypeDef::Enum { doc, values };
    }
    let variants = variants_of(def);
    if !variants.is_empty() {
        if variants.iter().all(|v| v.get("const").is_some()) {
            let values = variants
                .iter()
                .map(|v| (v["const"].as_str().unwrap_or("").to_owned(), text(v)))
                .collect();
            return TypeDef::Enum { doc, values };
        }
        if let Some(tag) = internal_tag(variants) {
            let variants = variants.iter().map(|v| tagged_variant(v, &tag)).collect();
            return TypeDef::Union {
                doc,
                tag: Some(tag),
                variants,
            };
        }
        let variants = variants.iter().map(variant).collect();
        return TypeDef::Union {
            doc,
            tag: None,
            variants,
        };
    }
    if def.get("properties").is_some() {
        return TypeDef::Record {
            doc,
            fields: fields(def),
        };
    }
    TypeDef::Alias {
        ty: ty(&strip_description(def)),
        doc,
    }
}

/// The field every variant names itself by (a `const` property the same in all), if the
/// union is internally tagged.
fn internal_tag(variants: &[Value]) -> Option<String> {
    let first = variants.first()?["properties"].as_object()?;
    let (tag, _) = first.iter().find(|(_, p)| p.get("const").is_some())?;
    variants
        .iter()
        .all(|v| v["properties"][tag.as_str()].get("const").is_some())
        .then(|| tag.clone())
}

/// One variant of an internally tagged union: its name from the tag's `const`, its fields
/// the others (or the named record it merges).
fn tagged_variant(v: &Value, tag: &str) -> Variant {
    let name = v["properties"][tag]["const"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    let payload = match reference(v) {
        Some(target) => Payload::Value(named(target)),
        None => {
            let fields: Vec<Field> = fields(v).into_iter().filter(|f| f.name != tag).collect();
            if fields.is_empty() {
                Payload::Unit
            } else {
                Payload::Fields(fields)
            }
        }
    };
    Variant {
        name,
        doc: text(v),
        payload,
    }
}

/// One variant of an externally tagged union.
fn variant(v: &Value) -> Variant {
    if let Some(tag) = v.get("const").and_then(Value::as_str) {
        return Variant {
            name: tag.to_owned(),
            doc: text(v),
            payload: Payload::Unit,
        };
    }
    let (tag, data) = v["properties"]
        .as_object()
        .and_then(|p| p.iter().next())
        .expect("a union's variant is a one-key object");
    let payload = if data.get("properties").is_some() && reference(data).is_none() {
        Payload::Fields(fields(data))
    } else if data.get("type").and_then(Value::as_str) == Some("object")
        && data.get("additionalProperties") == Some(&Value::Bool(false))
    {
        Payload::Fields(Vec::new())
    } else {
        Payload::Value(ty(data))
    };
    Variant {
        name: tag.clone(),
        doc: text(v),
        payload,
    }
}

/// The fields of an object schema, in its `properties` order (the core's field order:
/// serde_json keeps insertion order only with `preserve_order`, so this follows the
/// document's order, which the schema writer keeps sorted; `required` fields come first).
fn fields(object: &Value) -> Vec<Field> {
    let required: Vec<&str> = object["required"]
        .as_array()
        .map(|r| r.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    let Some(properties) = object["properties"].as_object() else {
        return Vec::new();
    };
    let field = |(name, schema): (&String, &Value)| Field {
        name: name.clone(),
        doc: text(schema),
        ty: ty(schema),
        required: required.contains(&name.as_str()),
        default: schema.get("default").cloned(),
    };
    // The required fields in the order `required` lists them (the core's order), then the
    // optional ones by name.
    let mut out: Vec<Field> = required
        .iter()
        .filter_map(|name| properties.get_key_value(*name).map(field))
        .collect();
    out.extend(
        properties
            .iter()
            .filter(|(name, _)| !required.contains(&name.as_str()))
            .map(field),
    );
    out
}

/// The type a schema describes.
fn ty(schema: &Value) -> Ty {
    if let Some(target) = reference(schema) {
        return named(target);
    }
    for key in ["anyOf", "oneOf"] {
        if let Some(options) = schema.get(key).and_then(Value::as_array) {
            let present: Vec<&Value> = options.iter().filter(|o| !is_null(o)).collect();
            if present.len() == 1 && present.len() < options.len() {
                return Ty::Optional(Box::new(ty(present[0])));
            }
            if present.len() == 1 {
                return ty(present[0]);
            }
            return Ty::Json;
        }
    }
    match &schema["type"] {
        Value::Array(types) => {
            let present: Vec<&str> = types
                .iter()
                .filter_map(Value::as_str)
                .filter(|t| *t != "null")
                .collect();
            let nullable = present.len() < types.len();
            let inner = match present.as_slice() {
                [one] => {
                    let mut single = schema.clone();
                    single["type"] = Value::String((*one).to_owned());
                    ty(&single)
                }
                _ => Ty::Json,
            };
            if nullable {
                Ty::Optional(Box::new(inner))
            } else {
                inner
            }
        }
        Value::String(t) => match t.as_str() {
            "string" => Ty::Str,
            "boolean" => Ty::Bool,
            "number" => Ty::Float,
            "integer" => integer(schema),
            "null" => Ty::Unit,
            "array" => Ty::List(Box::new(schema.get("items").map_or(Ty::Json, ty))),
            "object" => match schema.get("additionalProperties") {
                Some(values @ Value::Object(_)) => Ty::Map(Box::new(ty(values))),
                _ => Ty::Json,
            },
            _ => Ty::Json,
        },
        _ => Ty::Json,
    }
}

/// An integer's range, from its format and its stated bounds.
fn integer(schema: &Value) -> Ty {
    let (mut min, mut max) = match schema["format"].as_str().unwrap_or("") {
        "uint8" => (Some(0), Some(i128::from(u8::MAX))),
        "uint16" => (Some(0), Some(i128::from(u16::MAX))),
        "uint32" => (Some(0), Some(i128::from(u32::MAX))),
        "uint64" | "uint" => (Some(0), Some(i128::from(u64::MAX))),
        "int8" => (Some(i128::from(i8::MIN)), Some(i128::from(i8::MAX))),
        "int16" => (Some(i128::from(i16::MIN)), Some(i128::from(i16::MAX))),
        "int32" => (Some(i128::from(i32::MIN)), Some(i128::from(i32::MAX))),
        "int64" | "int" => (Some(i128::from(i64::MIN)), Some(i128::from(i64::MAX))),
        _ => (None, None),
    };
    if let Some(low) = schema["minimum"].as_i64().map(i128::from) {
        min = Some(min.map_or(low, |m| m.max(low)));
    }
    if let Some(high) = schema["maximum"].as_i64().map(i128::from) {
        max = Some(max.map_or(high, |m| m.min(high)));
    }
    Ty::Int { min, max }
}

/// A `$ref` to a named type: the contract's scalar names become their own types.
fn named(target: &str) -> Ty {
    match target {
        "Qty" => Ty::Qty,
        "Instant" => Ty::Instant,
        "Millis" => Ty::Millis,
        other => Ty::Named(other.to_owned()),
    }
}

fn reference(schema: &Value) -> Option<&str> {
    schema
        .get("$ref")
        .and_then(Value::as_str)
        .and_then(|r| r.strip_prefix("#/$defs/"))
}

fn is_null(schema: &Value) -> bool {
    schema.get("type").and_then(Value::as_str) == Some("null")
}

fn strip_description(def: &Value) -> Value {
    let mut def = def.clone();
    if let Some(object) = def.as_object_mut() {
        object.remove("description");
    }
    def
}

/// A schema's description, or the empty string.
fn text(schema: &Value) -> String {
    schema
        .get("description")
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_owned()
}

/// `define_item` → `defineItem`.
pub fn camel(name: &str) -> String {
    let pascal = pascal(name);
    let mut chars = pascal.chars();
    match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// `define_item` → `DefineItem`.
pub fn pascal(name: &str) -> String {
    name.split('_')
        .map(|part| {
            let mut chars = part.chars();
            match chars.next() {
                Some(first) => first.to_uppercase().chain(chars).collect::<String>(),
                None => String::new(),
            }
        })
        .collect()
}

/// A readable one-line summary of the model, for `cargo run -p xtask -- model`.
pub fn summary(contract: &Contract) -> String {
    use std::fmt::Write;
    let mut out = String::new();
    for op in contract
        .commands
        .iter()
        .chain(&contract.queries)
        .chain(&contract.calculations)
    {
        let params: Vec<String> = op
            .params
            .iter()
            .map(|f| {
                format!(
                    "{}{}: {:?}",
                    f.name,
                    if f.required { "" } else { "?" },
                    f.ty
                )
            })
            .collect();
        let _ = writeln!(
            out,
            "{:?} {}({}) -> {:?}",
            op.kind,
            op.name,
            params.join(", "),
            op.answer
        );
    }
    for (name, def) in &contract.types {
        let shape = match def {
            TypeDef::Record { fields, .. } => format!(
                "record {{{}}}",
                fields
                    .iter()
                    .map(|f| format!(
                        "{}{}: {:?}",
                        f.name,
                        if f.required { "" } else { "?" },
                        f.ty
                    ))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            TypeDef::Enum { values, .. } => format!(
                "enum {}",
                values
                    .iter()
                    .map(|v| v.0.as_str())
                    .collect::<Vec<_>>()
                    .join("|")
            ),
            TypeDef::Union { variants, tag, .. } => format!(
                "union{} {}",
                tag.as_ref().map_or(String::new(), |t| format!("[{t}]")),
                variants
                    .iter()
                    .map(|v| match &v.payload {
                        Payload::Unit => v.name.clone(),
                        Payload::Fields(f) => format!(
                            "{}{{{}}}",
                            v.name,
                            f.iter()
                                .map(|f| f.name.as_str())
                                .collect::<Vec<_>>()
                                .join(",")
                        ),
                        Payload::Value(t) => format!("{}({t:?})", v.name),
                    })
                    .collect::<Vec<_>>()
                    .join("|")
            ),
            TypeDef::Alias { ty, .. } => format!("alias {ty:?}"),
        };
        let _ = writeln!(out, "type {name} = {shape}");
    }
    out
}
