//! The Node surface, generated from the contract model: `bindings/node/surface.js` (every
//! command and query as a method of `Stockbook`, every calculation as a function, with
//! the conversions between the caller's camelCase objects and the core's snake_case JSON)
//! and `bindings/node/surface.d.ts` (their types, with the schema's descriptions as JSDoc).
//!
//! The conversions are written per type here, once for all; what they do with each kind
//! of value (checks, `Date` → ms, the error to raise) is the hand-written runtime's
//! (`bindings/node/runtime.js`), called by name:
//! - a record checks its keys (an unknown one is refused, naming it) and converts each
//!   field; `null` or a left-out optional field is absent;
//! - a union is its variant's name (text) or a one-key object `{variantName: payload}`;
//! - answers come back as plain objects with camelCase keys; map keys are left alone.
//!
//! Method shapes: a query or calculation with a required field, or any operation of at
//! most two fields of which at most one is required, takes its fields positionally
//! (required ones first, in the core's order); any other takes one object. Every command
//! takes `meta` last and returns a promise; a query that reads the store (the core's
//! `Query::reads_store`, asked of a sample query of each op) returns a promise, any other
//! answers at once.

use std::collections::BTreeSet;
use std::fmt::Write;

use serde_json::Value;

use crate::model::{Contract, Field, Op, OpKind, Payload, Ty, TypeDef, Variant, camel, pascal};

/// The contract's named types.
type Types = std::collections::BTreeMap<String, TypeDef>;

/// The files written, relative to the workspace root.
pub const JS_PATH: &str = "bindings/node/surface.js";
pub const DTS_PATH: &str = "bindings/node/surface.d.ts";

/// The contract's engine error: in answers, an instance of the package's error classes
/// (`errors.js`), not a generated type.
const ERROR_TYPE: &str = "Error";

/// Method names that differ from the op's camelCase: the one-step transfer command shares
/// its op with the query that looks a two-step transfer up.
fn method_name(op: &Op) -> String {
    match (op.kind, op.name.as_str()) {
        (OpKind::Command, "transfer") => "transferStock".to_owned(),
        _ => camel(&op.name),
    }
}

/// Whether an op's fields are positional parameters (else one object).
fn positional(op: &Op) -> bool {
    let required = op.params.iter().filter(|f| f.required).count();
    (op.params.len() <= 2 && required <= 1) || (op.kind != OpKind::Command && required > 0)
}

/// The calculations that may take long (fitting forecast models, the guaranteed-service
/// search over a network, routing a multi-block pick list by local search): off the main
/// thread, as a promise.
const SLOW_CALCULATIONS: &[&str] = &[
    "forecast",
    "auto_forecast",
    "gsm_serial",
    "gsm_tree",
    "pick_route",
];

fn is_async(types: &Types, op: &Op) -> bool {
    match op.kind {
        OpKind::Command => true,
        OpKind::Query => reads_store(types, op),
        OpKind::Calculation => SLOW_CALCULATIONS.contains(&op.name.as_str()),
    }
}

/// Whether a query is a hot read the native side takes as text fields without JSON
/// (`read1`/`read2`): an in-memory read whose one or two fields are all required text, and
/// not `transfer` (whose name is also a command's).
fn text_read(types: &Types, op: &Op) -> bool {
    op.kind == OpKind::Query
        && op.name != "transfer"
        && (1..=2).contains(&op.params.len())
        && op.params.iter().all(|f| f.required && f.ty == Ty::Str)
        && !reads_store(types, op)
}

/// Whether a query reads the store, as the core says of a sample of it (the rule is the
/// core's: `Query::reads_store`).
fn reads_store(types: &Types, op: &Op) -> bool {
    let args: serde_json::Map<String, Value> = op
        .params
        .iter()
        .filter(|f| f.required)
        .map(|f| (f.name.clone(), sample(types, &f.ty)))
        .collect();
    let call = serde_json::json!({"op": op.name, "args": args});
    match stockbook::Query::from_value(call) {
        Ok(query) => query.reads_store(),
        Err(e) => panic!("a sample of the query `{}` does not read: {e}", op.name),
    }
}

/// A value of `ty` that the core reads (the least one: required fields only).
fn sample(types: &Types, ty: &Ty) -> Value {
    match ty {
        Ty::Str => Value::from("x"),
        Ty::Bool => Value::from(false),
        Ty::Int { .. } | Ty::Instant | Ty::Millis => Value::from(0),
        Ty::Float => Value::from(1.0),
        Ty::Qty => Value::from("1"),
        Ty::Json | Ty::Unit | Ty::Optional(_) => Value::Null,
        Ty::List(_) => Value::Array(Vec::new()),
        Ty::Map(_) => Value::Object(serde_json::Map::new()),
        Ty::Named(name) => match types.get(name) {
            Some(TypeDef::Record { fields, .. }) => Value::Object(
                fields
                    .iter()
                    .filter(|f| f.required)
                    .map(|f| (f.name.clone(), sample(types, &f.ty)))
                    .collect(),
            ),
            Some(TypeDef::Enum { values, .. }) => Value::from(values[0].0.as_str()),
            Some(TypeDef::Union { variants, .. }) => {
                let v = &variants[0];
                match &v.payload {
                    Payload::Unit => Value::from(v.name.as_str()),
                    Payload::Value(ty) => serde_json::json!({ v.name.as_str(): sample(types, ty) }),
                    Payload::Fields(fields) => {
                        let inner: serde_json::Map<String, Value> = fields
                            .iter()
                            .filter(|f| f.required)
                            .map(|f| (f.name.clone(), sample(types, &f.ty)))
                            .collect();
                        serde_json::json!({ v.name.as_str(): inner })
                    }
                }
            }
            Some(TypeDef::Alias { ty, .. }) => sample(types, ty),
            None => panic!("no type {name}"),
        },
    }
}

/// The text of `surface.js`.
pub fn render_js(contract: &Contract, generated_by: &str) -> String {
    let mut g = Js {
        hoisted: Vec::new(),
        types: contract.types.clone(),
        out_types: contract
            .types
            .iter()
            .filter(|(_, def)| matches!(def, TypeDef::Record { .. } | TypeDef::Union { .. }))
            .map(|(name, _)| name.clone())
            .collect(),
    };
    let mut out = String::new();
    writeln!(out, "// {generated_by}").unwrap();
    out.push_str(JS_HEADER);
    // Every record, union and args object as an input converter, and every type an answer
    // reaches as an output converter.
    let mut body = String::new();
    for (name, def) in &contract.types {
        if name == ERROR_TYPE {
            continue;
        }
        match def {
            TypeDef::Record { fields, .. } => {
                g.in_record(&mut body, &format!("in{name}"), fields);
                g.out_record(&mut body, &format!("out{name}"), fields);
            }
            TypeDef::Union {
                variants,
                tag: None,
                ..
            } => {
                g.in_union(&mut body, name, variants);
                g.out_union(&mut body, name, variants);
            }
            TypeDef::Union {
                variants,
                tag: Some(tag),
                ..
            } => {
                g.in_tagged(&mut body, name, tag, variants);
                g.out_tagged(&mut body, name, tag, variants);
            }
            TypeDef::Enum { .. } | TypeDef::Alias { .. } => {}
        }
    }
    for op in contract
        .commands
        .iter()
        .chain(&contract.queries)
        .chain(&contract.calculations)
    {
        if op.args_type.is_none() {
            let name = format!("in{}{}", kind_prefix(op.kind), pascal(&op.name));
            g.in_record(&mut body, &name, &op.params);
        }
    }
    // The command table of `execute`/`executeBatch`.
    body.push_str("\n  /** Each command's args converter, by op. */\n  const commands = {\n");
    for op in &contract.commands {
        writeln!(body, "    {}: {},", op.name, args_fn(op)).unwrap();
    }
    body.push_str("  }\n");
    // Each command's typed receipt, for `execute`/`executeBatch`.
    body.push_str("\n  /** Each command's receipt converter, by op. */\n  const receipts = {\n");
    for op in &contract.commands {
        if let Ty::Named(receipt) = &op.answer {
            writeln!(body, "    {}: out{},", op.name, receipt).unwrap();
        }
    }
    body.push_str("  }\n");
    // The methods.
    body.push_str(
        "\n  /** The methods of `Stockbook`, one per command and query. */\n  const methods = {\n",
    );
    for op in contract.commands.iter().chain(&contract.queries) {
        g.method(&mut body, op);
    }
    body.push_str("  }\n");
    body.push_str("\n  /** The calculations, module-level functions. */\n");
    let mut calcs = String::new();
    for op in &contract.calculations {
        let mut f = String::new();
        g.method(&mut f, op);
        // `    name(…) {` … `    },` → `function name(…) {` … `}`, at the top level.
        let f = f.replacen("    ", "function ", 1);
        let f = f.strip_suffix("    },\n").unwrap_or(&f).to_owned() + "}\n";
        for line in f.lines() {
            writeln!(calcs, "{}", line.strip_prefix("    ").unwrap_or(line)).unwrap();
        }
    }
    // The integer ranges, hoisted.
    out.push_str("const { rt, install, Stockbook, ManualClock } = require('./runtime.js')\n");
    out.push_str("const { StockbookError, fromNative, register } = require('./errors.js')\n\n");
    out.push_str(
        "const { list, map, opt, object, variant, fields, listOut, mapOut } = rt\n// Scalar converters: `$` keeps them apart from parameter names (`qty`).\nconst { str: $str, bool: $bool, float: $float, qty: $qty, instant: $instant, millis: $millis, json: $json } = rt\n",
    );
    // In the order met, so that a converter comes after those it is built from.
    for (i, expr) in g.hoisted.iter().enumerate() {
        writeln!(out, "const c{i} = {expr}").unwrap();
    }
    // The body was written at a function's indent: the top level's.
    for line in body.lines() {
        writeln!(out, "{}", line.strip_prefix("  ").unwrap_or(line)).unwrap();
    }
    out.push('\n');
    out.push_str(&calcs);
    out.push_str("\ninstall({ commands, receipts, methods, inMeta: bMeta, metaKeys: kMeta })\n");
    // One error class per engine error code.
    let errors = error_variants(contract);
    out.push_str("\n// The engine's errors: one class per code.\n");
    for v in &errors {
        jsdoc(&mut out, &v.doc, "");
        writeln!(
            out,
            "class {} extends StockbookError {{\n  static code = '{}'\n}}",
            v.name,
            error_code(contract, &v.name)
        )
        .unwrap();
    }
    let names: Vec<&str> = errors.iter().map(|v| v.name.as_str()).collect();
    writeln!(out, "register({})\n", names.join(", ")).unwrap();
    out.push_str(
        "module.exports = {\n  Stockbook,\n  ManualClock,\n  StockbookError,\n  fromNative,\n",
    );
    for name in names {
        writeln!(out, "  {name},").unwrap();
    }
    for op in &contract.calculations {
        writeln!(out, "  {},", method_name(op)).unwrap();
    }
    out.push_str("}\n");
    out
}

/// The variants of the contract's engine error, each an error class.
fn error_variants(contract: &Contract) -> Vec<Variant> {
    match contract.types.get(ERROR_TYPE) {
        Some(TypeDef::Union { variants, .. }) => variants.clone(),
        _ => panic!("the contract has no `{ERROR_TYPE}` union"),
    }
}

/// An error variant's code (`InsufficientStock` → `insufficient_stock`), checked against the
/// contract's `ErrorCode`.
fn error_code(contract: &Contract, variant: &str) -> String {
    let mut code = String::new();
    for (i, ch) in variant.chars().enumerate() {
        if ch.is_ascii_uppercase() {
            if i > 0 {
                code.push('_');
            }
            code.push(ch.to_ascii_lowercase());
        } else {
            code.push(ch);
        }
    }
    let known = match contract.types.get("ErrorCode") {
        Some(TypeDef::Enum { values, .. }) => values.iter().any(|(v, _)| *v == code),
        _ => false,
    };
    assert!(known, "{variant}: `{code}` is not an ErrorCode");
    code
}

/// Facts an `Error` object names already: kept in `facts` only (as `errors.js` does).
const ERROR_OWN: &[&str] = &["code", "message", "name", "stack", "facts", "cause"];

const JS_HEADER: &str = "'use strict'
// The surface of every command, query and calculation, from the core's one definition: for
// each type of the contract an input converter (`inX(value, path, name)`: the caller's
// camelCase object checked and turned into the core's snake_case JSON) and an output
// converter (`outX(answer)`: the core's JSON turned into a camelCase object), and for each
// operation a method or function. The runtime (`lib.js`) gives the scalar conversions, the
// errors and the calls to the native module.

";

fn kind_prefix(kind: OpKind) -> &'static str {
    match kind {
        OpKind::Command => "Command",
        OpKind::Query => "Query",
        OpKind::Calculation => "Calc",
    }
}

/// The converter of an op's args object (`inX`).
fn args_fn(op: &Op) -> String {
    match &op.args_type {
        Some(name) => format!("in{name}"),
        None => format!("in{}{}", kind_prefix(op.kind), pascal(&op.name)),
    }
}

/// The body of an args builder (`bX`): for the object form of a method.
fn build_fn(op: &Op) -> String {
    args_fn(op).replacen("in", "b", 1)
}

fn bound(value: Option<i128>, low: bool) -> String {
    const SAFE: i128 = 9_007_199_254_740_991;
    match value {
        Some(v) if v.abs() <= SAFE => v.to_string(),
        _ if low => format!("-{SAFE}"),
        _ => SAFE.to_string(),
    }
}

struct Js {
    /// The converters built once at load (integer ranges, lists, maps), in the order met.
    hoisted: Vec<String>,
    /// The contract's named types.
    types: Types,
    /// The named types that have an output converter (records and unions).
    out_types: BTreeSet<String>,
}

impl Js {
    /// The name of a converter built once, at load (`c3` for `list(str)`).
    fn hoist(&mut self, expr: String) -> String {
        let i = match self.hoisted.iter().position(|e| *e == expr) {
            Some(i) => i,
            None => {
                self.hoisted.push(expr);
                self.hoisted.len() - 1
            }
        };
        format!("c{i}")
    }

    /// The input converter expression of `ty` (a function `(value, path, name)`).
    fn conv(&mut self, ty: &Ty) -> String {
        match ty {
            Ty::Str => "$str".to_owned(),
            Ty::Bool => "$bool".to_owned(),
            Ty::Float => "$float".to_owned(),
            Ty::Qty => "$qty".to_owned(),
            Ty::Instant => "$instant".to_owned(),
            Ty::Millis => "$millis".to_owned(),
            Ty::Json | Ty::Unit => "$json".to_owned(),
            Ty::Int { min, max } => {
                let expr = format!("rt.int({}, {})", bound(*min, true), bound(*max, false));
                self.hoist(expr)
            }
            Ty::Named(name) => match self.types.get(name) {
                Some(TypeDef::Enum { values, .. }) => {
                    let names: Vec<&str> = values.iter().map(|(v, _)| v.as_str()).collect();
                    self.hoist(format!("rt.choice({:?})", names.join("|")))
                }
                Some(TypeDef::Alias { ty, .. }) => {
                    let ty = ty.clone();
                    self.conv(&ty)
                }
                _ => format!("in{name}"),
            },
            Ty::List(inner) => {
                let inner = self.conv(inner);
                self.hoist(format!("list({inner})"))
            }
            Ty::Map(inner) => {
                let inner = self.conv(inner);
                self.hoist(format!("map({inner})"))
            }
            Ty::Optional(inner) => {
                let inner = self.conv(inner);
                self.hoist(format!("opt({inner})"))
            }
        }
    }

    /// `inName(x, p, n)` and its builder `bName(x, q)` for a record of `fields`.
    fn in_record(&mut self, out: &mut String, name: &str, fields: &[Field]) {
        self.in_record_with(out, name, fields, None);
    }

    /// As `in_record`, the record also taking the union's `tag` field (internal tagging).
    fn in_record_with(
        &mut self,
        out: &mut String,
        name: &str,
        fields: &[Field],
        tag: Option<&str>,
    ) {
        let mut keys: Vec<String> = fields.iter().map(|f| camel(&f.name)).collect();
        keys.extend(tag.map(camel));
        let build = name.replacen("in", "b", 1);
        writeln!(
            out,
            "\n  const k{} = fields('{}')",
            &name[2..],
            keys.join(" ")
        )
        .unwrap();
        writeln!(
            out,
            "  function {name}(x, p, n) {{\n    return {build}(x, object(x, p, n, k{}))\n  }}",
            &name[2..]
        )
        .unwrap();
        writeln!(out, "  function {build}(x, q) {{\n    const o = {{}}").unwrap();
        for field in fields {
            self.field_in(out, field, "x", "q", "o", "    ");
        }
        out.push_str("    return o\n  }\n");
    }

    /// One field of a record, from `src` (its path `path`) into `dst`.
    fn field_in(
        &mut self,
        out: &mut String,
        f: &Field,
        src: &str,
        path: &str,
        dst: &str,
        ind: &str,
    ) {
        let js = camel(&f.name);
        let inner = match &f.ty {
            Ty::Optional(inner) => inner.as_ref(),
            other => other,
        };
        let conv = self.conv(inner);
        let key = format!(".{}", f.name);
        if f.required && !matches!(f.ty, Ty::Optional(_)) {
            writeln!(out, "{ind}{dst}{key} = {conv}({src}.{js}, {path}, '{js}')").unwrap();
        } else {
            writeln!(
                out,
                "{ind}if ({src}.{js} != null) {dst}{key} = {conv}({src}.{js}, {path}, '{js}')"
            )
            .unwrap();
        }
    }

    /// `inName`: a variant's name, or `{variantName: payload}`.
    fn in_union(&mut self, out: &mut String, name: &str, variants: &[Variant]) {
        let tagged: Vec<&Variant> = variants
            .iter()
            .filter(|v| !matches!(v.payload, Payload::Unit))
            .collect();
        let keys: Vec<String> = tagged.iter().map(|v| camel(&v.name)).collect();
        let names: Vec<&str> = variants
            .iter()
            .filter(|v| matches!(v.payload, Payload::Unit))
            .map(|v| v.name.as_str())
            .collect();
        let choice = self.hoist(format!("rt.choice({:?})", names.join("|")));
        writeln!(out, "\n  const k{name} = fields('{}')", keys.join(" ")).unwrap();
        writeln!(out, "  function in{name}(x, p, n) {{\n    if (typeof x === 'string') return {choice}(x, p, n)").unwrap();
        writeln!(
            out,
            "    const [k, q] = variant(x, p, n, k{name})\n    switch (k) {{"
        )
        .unwrap();
        let mut extra = String::new();
        for v in tagged {
            let js = camel(&v.name);
            match &v.payload {
                Payload::Unit => {}
                Payload::Value(ty) => {
                    let conv = self.conv(ty);
                    writeln!(
                        out,
                        "      case '{js}': return {{ {}: {conv}(x.{js}, q, '{js}') }}",
                        v.name
                    )
                    .unwrap();
                }
                Payload::Fields(fields) => {
                    let fname = format!("in{name}{}", pascal(&v.name));
                    writeln!(
                        out,
                        "      case '{js}': return {{ {}: {fname}(x.{js}, q, '{js}') }}",
                        v.name
                    )
                    .unwrap();
                    self.in_record(&mut extra, &fname, fields);
                }
            }
        }
        out.push_str("    }\n  }\n");
        out.push_str(&extra);
    }

    /// `inName` of an internally tagged union: `{tag: 'variant', …fields}`.
    fn in_tagged(&mut self, out: &mut String, name: &str, tag: &str, variants: &[Variant]) {
        let js_tag = camel(tag);
        let names: Vec<&str> = variants.iter().map(|v| v.name.as_str()).collect();
        let mut extra = String::new();
        writeln!(out, "\n  function in{name}(x, p, n) {{\n    const q = object(x, p, n, null)\n    switch (x.{js_tag}) {{").unwrap();
        for v in variants {
            let fname = format!("in{name}{}", pascal(&v.name));
            let fields: Vec<Field> = match &v.payload {
                Payload::Unit => Vec::new(),
                Payload::Fields(fields) => fields.clone(),
                Payload::Value(Ty::Named(record)) => match self.types.get(record) {
                    Some(TypeDef::Record { fields, .. }) => fields.clone(),
                    _ => panic!(
                        "{name}.{}: an internally tagged variant merges a record",
                        v.name
                    ),
                },
                Payload::Value(other) => panic!("{name}.{}: cannot merge {other:?}", v.name),
            };
            self.in_record_with(&mut extra, &fname, &fields, Some(tag));
            writeln!(
                out,
                "      case '{}': {{\n        const o = b{}(x, object(x, p, n, k{}))\n        o.{tag} = '{}'\n        return o\n      }}",
                v.name,
                &fname[2..],
                &fname[2..],
                v.name
            )
            .unwrap();
        }
        writeln!(
            out,
            "    }}\n    throw rt.typeError(rt.join(q, '{js_tag}'), 'must be one of: {}')\n  }}",
            names.join(", ")
        )
        .unwrap();
        out.push_str(&extra);
    }

    /// `outName` of an internally tagged union.
    fn out_tagged(&mut self, out: &mut String, name: &str, tag: &str, variants: &[Variant]) {
        let js_tag = camel(tag);
        writeln!(out, "  function out{name}(v) {{\n    switch (v.{tag}) {{").unwrap();
        for v in variants {
            let fields: Vec<Field> = match &v.payload {
                Payload::Fields(fields) => fields.clone(),
                Payload::Value(Ty::Named(record)) => match self.types.get(record) {
                    Some(TypeDef::Record { fields, .. }) => fields.clone(),
                    _ => Vec::new(),
                },
                Payload::Unit | Payload::Value(_) => Vec::new(),
            };
            let mut parts = vec![format!("{js_tag}: v.{tag}")];
            for f in &fields {
                parts.push(format!(
                    "{}: {}",
                    camel(&f.name),
                    self.out_field(f, &format!("v.{}", f.name))
                ));
            }
            writeln!(
                out,
                "      case '{}': return {{ {} }}",
                v.name,
                parts.join(", ")
            )
            .unwrap();
        }
        out.push_str("    }\n    return v\n  }\n");
    }

    /// The output expression of `ty` for the value `v`.
    fn out_expr(&self, ty: &Ty, v: &str) -> String {
        match ty {
            // An engine error carried in an answer is an instance of its error class.
            Ty::Named(name) if name == ERROR_TYPE => format!("rt.errorOut({v})"),
            Ty::Named(name) if self.out_types.contains(name) => format!("out{name}({v})"),
            Ty::List(inner) if self.needs_out(inner) => {
                format!("listOut({v}, {})", self.out_fn(inner))
            }
            Ty::Map(inner) if self.needs_out(inner) => {
                format!("mapOut({v}, {})", self.out_fn(inner))
            }
            Ty::Optional(inner) if self.needs_out(inner) => {
                format!("({v} == null ? null : {})", self.out_expr(inner, v))
            }
            _ => v.to_owned(),
        }
    }

    /// The output expression of a record's field: a field the core may leave out (a
    /// default, such as an empty list it does not write) stays absent rather than being
    /// converted as if it were there.
    fn out_field(&self, f: &Field, v: &str) -> String {
        let expr = self.out_expr(&f.ty, v);
        if f.required || matches!(f.ty, Ty::Optional(_)) || expr == v {
            expr
        } else {
            format!("({v} === undefined ? undefined : {expr})")
        }
    }

    /// The output converter of `ty` as a function.
    fn out_fn(&self, ty: &Ty) -> String {
        match ty {
            Ty::Named(name) if name == ERROR_TYPE => "rt.errorOut".to_owned(),
            Ty::Named(name) if self.out_types.contains(name) => format!("out{name}"),
            _ => format!("(w) => {}", self.out_expr(ty, "w")),
        }
    }

    fn out_record(&mut self, out: &mut String, name: &str, fields: &[Field]) {
        writeln!(out, "  function {name}(v) {{\n    return {{").unwrap();
        for f in fields {
            let expr = self.out_field(f, &format!("v.{}", f.name));
            writeln!(out, "      {}: {expr},", &camel(&f.name)).unwrap();
        }
        out.push_str("    }\n  }\n");
    }

    fn out_union(&mut self, out: &mut String, name: &str, variants: &[Variant]) {
        writeln!(out, "  function out{name}(v) {{\n    if (typeof v !== 'object' || v === null) return v\n    for (const k in v) {{\n      switch (k) {{").unwrap();
        for v in variants {
            let js = &camel(&v.name);
            match &v.payload {
                Payload::Unit => {}
                Payload::Value(ty) => {
                    let expr = self.out_expr(ty, &format!("v.{}", v.name));
                    writeln!(out, "        case '{}': return {{ {js}: {expr} }}", v.name).unwrap();
                }
                Payload::Fields(fields) => {
                    let inner: Vec<String> = fields
                        .iter()
                        .map(|f| {
                            format!(
                                "{}: {}",
                                &camel(&f.name),
                                self.out_expr(&f.ty, &format!("w.{}", f.name))
                            )
                        })
                        .collect();
                    writeln!(
                        out,
                        "        case '{}': {{ const w = v.{}; return {{ {js}: {{ {} }} }} }}",
                        v.name,
                        v.name,
                        inner.join(", ")
                    )
                    .unwrap();
                }
            }
        }
        out.push_str("      }\n    }\n    return v\n  }\n");
    }

    /// One method (or function) of an op.
    fn method(&mut self, out: &mut String, op: &Op) {
        let name = method_name(op);
        let answer = self.out_fn_answer(&op.answer);
        let mut body = String::new();
        // The args as JSON text, `o`. Positional: written field by field (no object to
        // build and walk again: the in-memory reads are a few microseconds in all), each
        // value the parameter itself, its path its name.
        let params = if positional(op) {
            if op.params.is_empty() {
                body.push_str("const o = '{}'\n");
            } else {
                body.push_str("let a = ''\n");
            }
            for f in &op.params {
                let js = camel(&f.name);
                let inner = match &f.ty {
                    Ty::Optional(inner) => inner.as_ref(),
                    other => other,
                };
                let conv = self.conv(inner);
                let put = format!(
                    "a += ',\"{}\":' + JSON.stringify({conv}({js}, '', '{js}'))",
                    f.name
                );
                if f.required && !matches!(f.ty, Ty::Optional(_)) {
                    writeln!(body, "{put}").unwrap();
                } else {
                    writeln!(body, "if ({js} != null) {put}").unwrap();
                }
            }
            if !op.params.is_empty() {
                body.push_str("const o = `{${a.slice(1)}}`\n");
            }
            op.params.iter().map(|f| camel(&f.name)).collect::<Vec<_>>()
        } else {
            let (build, key) = (build_fn(op), &args_fn(op)[2..]);
            if op.params.iter().any(|f| f.required) {
                writeln!(
                    body,
                    "const o = JSON.stringify({build}(args, object(args, '', 'args', k{key}, true)))"
                )
                .unwrap();
            } else {
                writeln!(
                    body,
                    "const o = args == null ? '{{}}' : JSON.stringify({build}(args, object(args, '', 'args', k{key}, true)))"
                )
                .unwrap();
            }
            vec!["args".to_owned()]
        };
        let mut params = params;
        let call = match op.kind {
            OpKind::Command => {
                params.push("meta".to_owned());
                format!("rt.command(this, '{}', o, meta, {answer})", op.name)
            }
            OpKind::Calculation => {
                let how = if is_async(&self.types, op) {
                    "calculateAsync"
                } else {
                    "calculate"
                };
                format!("rt.{how}('{}', o, {answer})", op.name)
            }
            OpKind::Query if text_read(&self.types, op) => {
                // A hot in-memory read of text fields: the fields go to the native side as
                // they are, without JSON (`Query::from_texts`); `o` is not needed.
                body.clear();
                let fields: Vec<String> = op
                    .params
                    .iter()
                    .map(|f| {
                        let js = camel(&f.name);
                        format!("'{}', $str({js}, '', '{js}')", f.name)
                    })
                    .collect();
                format!(
                    "rt.read{}(this, '{}', {}, {answer})",
                    op.params.len(),
                    op.name,
                    fields.join(", ")
                )
            }
            OpKind::Query => {
                let kind = if op.name == "transfer" {
                    ", 'query'"
                } else {
                    ""
                };
                let how = if is_async(&self.types, op) {
                    "ask"
                } else {
                    "read"
                };
                format!("rt.{how}(this, '{}', o, {answer}{kind})", op.name)
            }
        };
        // An argument past the last is refused (unless absent): `onHand(sku, location, lot)`
        // must not answer for every lot. The check comes first.
        let count = params.len();
        let body = format!(
            "if (arguments.length > {count}) rt.extra(arguments, {count}, '{name}({})')\n{body}",
            params.join(", ")
        );
        writeln!(out, "    {name}({}) {{", params.join(", ")).unwrap();
        if is_async(&self.types, op) {
            out.push_str("      try {\n");
            for line in body.lines() {
                writeln!(out, "        {line}").unwrap();
            }
            writeln!(out, "        return {call}\n      }} catch (err) {{\n        return Promise.reject(err)\n      }}").unwrap();
        } else {
            for line in body.lines() {
                writeln!(out, "      {line}").unwrap();
            }
            writeln!(out, "      return {call}").unwrap();
        }
        out.push_str("    },\n");
    }

    fn out_fn_answer(&self, ty: &Ty) -> String {
        if self.needs_out(ty) {
            self.out_fn(ty)
        } else {
            "null".to_owned()
        }
    }

    /// Whether answers of `ty` need converting (a record or union somewhere inside).
    fn needs_out(&self, ty: &Ty) -> bool {
        match ty {
            Ty::Named(name) => self.out_types.contains(name),
            Ty::List(inner) | Ty::Map(inner) | Ty::Optional(inner) => self.needs_out(inner),
            _ => false,
        }
    }
}

/// The text of `surface.d.ts`.
pub fn render_dts(contract: &Contract, generated_by: &str) -> String {
    let mut out = String::new();
    writeln!(out, "// {generated_by}").unwrap();
    out.push_str(DTS_HEADER);
    let ts = Ts {
        contract,
        errors: error_variants(contract)
            .into_iter()
            .map(|v| v.name)
            .collect(),
    };
    for (name, def) in &contract.types {
        if name == ERROR_TYPE {
            continue;
        }
        let name = &ts.name(name);
        match def {
            TypeDef::Record { doc, fields } => {
                jsdoc(&mut out, doc, "");
                writeln!(out, "export interface {name} {{").unwrap();
                for f in fields {
                    jsdoc(&mut out, &f.doc, "  ");
                    writeln!(out, "  {}: {}", camel(&f.name), ts.out(&f.ty)).unwrap();
                }
                out.push_str("}\n");
                jsdoc(&mut out, doc, "");
                writeln!(out, "export interface {name}Input {{").unwrap();
                for f in fields {
                    jsdoc(&mut out, &f.doc, "  ");
                    writeln!(out, "  {}", ts.field_in(f)).unwrap();
                }
                out.push_str("}\n");
            }
            TypeDef::Enum { doc, values } => {
                jsdoc(&mut out, doc, "");
                let values: Vec<String> = values.iter().map(|(v, _)| format!("'{v}'")).collect();
                writeln!(out, "export type {name} = {}", values.join(" | ")).unwrap();
            }
            TypeDef::Union {
                doc,
                variants,
                tag: Some(tag),
            } => {
                for (suffix, input) in [("", false), ("Input", true)] {
                    jsdoc(&mut out, doc, "");
                    writeln!(out, "export type {name}{suffix} =").unwrap();
                    for v in variants {
                        let head = format!("{}: '{}'", camel(tag), v.name);
                        let text = match &v.payload {
                            Payload::Unit => format!("{{ {head} }}"),
                            Payload::Value(ty) => {
                                let t = if input { ts.input(ty) } else { ts.out(ty) };
                                format!("({{ {head} }} & {t})")
                            }
                            Payload::Fields(fields) => {
                                let mut inner = vec![head];
                                inner.extend(fields.iter().map(|f| {
                                    if input {
                                        ts.field_in(f)
                                    } else {
                                        format!("{}: {}", camel(&f.name), ts.out(&f.ty))
                                    }
                                }));
                                format!("{{ {} }}", inner.join("; "))
                            }
                        };
                        jsdoc(&mut out, &v.doc, "  ");
                        writeln!(out, "  | {text}").unwrap();
                    }
                }
            }
            TypeDef::Union { doc, variants, .. } => {
                for (suffix, input) in [("", false), ("Input", true)] {
                    jsdoc(&mut out, doc, "");
                    writeln!(out, "export type {name}{suffix} =").unwrap();
                    for v in variants {
                        let text = match &v.payload {
                            Payload::Unit => format!("'{}'", v.name),
                            Payload::Value(ty) => {
                                let t = if input { ts.input(ty) } else { ts.out(ty) };
                                format!("{{ {}: {t} }}", camel(&v.name))
                            }
                            Payload::Fields(fields) => {
                                let inner: Vec<String> = fields
                                    .iter()
                                    .map(|f| {
                                        if input {
                                            ts.field_in(f)
                                        } else {
                                            format!("{}: {}", camel(&f.name), ts.out(&f.ty))
                                        }
                                    })
                                    .collect();
                                format!("{{ {}: {{ {} }} }}", camel(&v.name), inner.join("; "))
                            }
                        };
                        jsdoc(&mut out, &v.doc, "  ");
                        writeln!(out, "  | {text}").unwrap();
                    }
                }
            }
            TypeDef::Alias { doc, ty } => {
                jsdoc(&mut out, doc, "");
                writeln!(out, "export type {name} = {}", ts.out(ty)).unwrap();
                writeln!(out, "export type {name}Input = {}", ts.input(ty)).unwrap();
            }
        }
    }
    // Args objects of ops whose fields are their own.
    for op in contract
        .commands
        .iter()
        .chain(&contract.queries)
        .chain(&contract.calculations)
    {
        if op.args_type.is_none() && !positional(op) {
            writeln!(out, "/** The arguments of `{}`. */", method_name(op)).unwrap();
            writeln!(out, "export interface {}Input {{", &args_fn(op)[2..]).unwrap();
            for f in &op.params {
                jsdoc(&mut out, &f.doc, "  ");
                writeln!(out, "  {}", ts.field_in(f)).unwrap();
            }
            out.push_str("}\n");
        }
    }
    // The error classes, their facts typed.
    for v in error_variants(contract) {
        jsdoc(&mut out, &v.doc, "");
        writeln!(
            out,
            "export declare class {} extends StockbookError {{",
            v.name
        )
        .unwrap();
        writeln!(out, "  readonly code: '{}'", error_code(contract, &v.name)).unwrap();
        if let Payload::Fields(fields) = &v.payload {
            for f in fields
                .iter()
                .filter(|f| !ERROR_OWN.contains(&f.name.as_str()))
            {
                jsdoc(&mut out, &f.doc, "  ");
                writeln!(out, "  readonly {}: {}", camel(&f.name), ts.out(&f.ty)).unwrap();
            }
        }
        out.push_str("}\n");
    }
    out.push_str(
        "/** A command as `execute` and `executeBatch` take it: its op and its args. */\n",
    );
    out.push_str("export type CommandInput =\n");
    for op in &contract.commands {
        let args = match &op.args_type {
            Some(name) => format!("{name}Input"),
            None if op.params.is_empty() => "Record<string, never>".to_owned(),
            None => {
                let inner: Vec<String> = op.params.iter().map(|f| ts.field_in(f)).collect();
                format!("{{ {} }}", inner.join("; "))
            }
        };
        let optional = if op.params.iter().any(|f| f.required) {
            ""
        } else {
            "?"
        };
        writeln!(out, "  | {{ op: '{}'; args{optional}: {args} }}", op.name).unwrap();
    }
    out.push_str("\n/** Every command and query, as methods of `Stockbook`. */\nexport interface StockbookMethods {\n");
    for op in contract.commands.iter().chain(&contract.queries) {
        ts.method(&mut out, op, "  ", "");
    }
    out.push_str("}\n");
    if !contract.calculations.is_empty() {
        out.push('\n');
        for op in &contract.calculations {
            ts.method(&mut out, op, "", "export declare function ");
        }
    }
    out
}

const DTS_HEADER: &str =
    "// The types of every command, query and calculation of the contract as the Node package
// takes and answers them: camelCase fields; quantities in as decimal text, a safe integer or
// a bigint and out as exact decimal text; instants in as a `Date` or epoch milliseconds and
// out as epoch milliseconds; `null` or a left-out optional field is absent. `XInput` is what
// a method takes, `X` what it answers.

import { StockbookError } from './errors'

";

struct Ts<'c> {
    contract: &'c Contract,
    /// The error classes' names: a type of the contract of the same name (`Tracking`) is
    /// written `<Name>Type`.
    errors: BTreeSet<String>,
}

impl Ts<'_> {
    /// The declared name of a contract type.
    fn name(&self, name: &str) -> String {
        if self.errors.contains(name) {
            format!("{name}Type")
        } else {
            name.to_owned()
        }
    }

    fn is_compound(&self, name: &str) -> bool {
        matches!(
            self.contract.types.get(name),
            Some(TypeDef::Record { .. } | TypeDef::Union { .. } | TypeDef::Alias { .. })
        )
    }

    fn input(&self, ty: &Ty) -> String {
        match ty {
            Ty::Qty => "string | number | bigint".to_owned(),
            Ty::Instant => "Date | number".to_owned(),
            Ty::Int { max, .. } if max.is_none_or(|m| m > 9_007_199_254_740_991) => {
                "number | bigint".to_owned()
            }
            Ty::Named(name) if name == ERROR_TYPE => "StockbookError".to_owned(),
            Ty::Named(name) if self.is_compound(name) => format!("{}Input", self.name(name)),
            Ty::List(inner) => format!("Array<{}>", self.input(inner)),
            Ty::Map(inner) => format!("Record<string, {}>", self.input(inner)),
            Ty::Optional(inner) => format!("{} | null", self.input(inner)),
            other => self.out(other),
        }
    }

    fn field_in(&self, f: &Field) -> String {
        let name = camel(&f.name);
        let ty = match &f.ty {
            Ty::Optional(inner) => inner.as_ref(),
            other => other,
        };
        if f.required && !matches!(f.ty, Ty::Optional(_)) {
            format!("{name}: {}", self.input(ty))
        } else {
            format!("{name}?: {} | null", self.input(ty))
        }
    }

    fn method(&self, out: &mut String, op: &Op, ind: &str, prefix: &str) {
        let mut doc = op.doc.clone();
        let params: Vec<String> = if positional(op) {
            for f in &op.params {
                if !f.doc.is_empty() {
                    write!(
                        doc,
                        "\n@param {} {}",
                        camel(&f.name),
                        f.doc.replace('\n', " ")
                    )
                    .unwrap();
                }
            }
            op.params.iter().map(|f| self.field_in(f)).collect()
        } else {
            let optional = if op.params.iter().any(|f| f.required) {
                ""
            } else {
                "?"
            };
            vec![format!("args{optional}: {}Input | null", &args_fn(op)[2..])]
                .into_iter()
                .map(|p| {
                    if optional.is_empty() {
                        p.replace(" | null", "")
                    } else {
                        p
                    }
                })
                .collect()
        };
        let mut params = params;
        if op.kind == OpKind::Command {
            params.push("meta?: MetaInput | null".to_owned());
        }
        let answer = self.out(&op.answer);
        let answer = if is_async(&self.contract.types, op) {
            format!("Promise<{answer}>")
        } else {
            answer
        };
        jsdoc(out, &doc, ind);
        writeln!(
            out,
            "{ind}{prefix}{}({}): {answer}",
            method_name(op),
            params.join(", ")
        )
        .unwrap();
    }
}

/// A JSDoc comment of `text`, if any.
fn jsdoc(out: &mut String, text: &str, ind: &str) {
    let text = text.trim().replace("*/", "* /");
    if text.is_empty() {
        return;
    }
    if !text.contains('\n') {
        writeln!(out, "{ind}/** {text} */").unwrap();
        return;
    }
    writeln!(out, "{ind}/**").unwrap();
    for line in text.lines() {
        writeln!(out, "{}", format!("{ind} * {line}").trim_end()).unwrap();
    }
    writeln!(out, "{ind} */").unwrap();
}

impl Ts<'_> {
    /// The TypeScript type of an answer of `ty`.
    fn out(&self, ty: &Ty) -> String {
        match ty {
            Ty::Str | Ty::Qty => "string".to_owned(),
            Ty::Bool => "boolean".to_owned(),
            Ty::Int { .. } | Ty::Float | Ty::Instant | Ty::Millis => "number".to_owned(),
            Ty::Json => "unknown".to_owned(),
            Ty::Unit => "null".to_owned(),
            Ty::Named(name) if name == ERROR_TYPE => "StockbookError".to_owned(),
            Ty::Named(name) => self.name(name),
            Ty::List(inner) => format!("Array<{}>", self.out(inner)),
            Ty::Map(inner) => format!("Record<string, {}>", self.out(inner)),
            Ty::Optional(inner) => format!("{} | null", self.out(inner)),
        }
    }
}
