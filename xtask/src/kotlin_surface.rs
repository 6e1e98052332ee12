//! The Kotlin surface of the binding, generated from the contract: every command and query
//! as an extension method of the uniffi handle `Stockbook` (camelCase, required parameters
//! first, optional ones defaulting to `null`, `meta` on every command), every record as a
//! data class, every enum as an enum class, every tagged union as a sealed class, each with
//! its JSON encoder and decoder, and KDoc from the schema's descriptions. Written to
//! `bindings/kotlin/src/main/kotlin/org/stockbook/generated/Surface.kt`.
//!
//! Calls go through the native `callJson`; the per-type idioms (BigDecimal quantities,
//! Instant, Duration) and the JSON reader/writer are the hand-written runtime
//! (`Runtime.kt`, `Json.kt`), written once.
//!
//! A command whose `args` is a named record gets two methods: one taking the record
//! (`receive(Receive(…), meta)`) and one taking its fields (`receive(sku, location, qty, …)`).

use std::collections::BTreeSet;
use std::fmt::Write;

use serde_json::Value;

use contract::{Contract, Field, Op, Payload, Ty, TypeDef};

/// The file written, relative to the workspace root.
pub const PATH: &str = "bindings/kotlin/src/main/kotlin/org/stockbook/generated/Surface.kt";

/// Definitions of the schema that are not Kotlin types of their own: the call forms (the
/// methods are their Kotlin form) and the error (`StockbookException`, mapped natively).
const NOT_TYPES: &[&str] = &["Call", "Command", "Query", "Answer", "Error", "ErrorCode", "Qty"];

/// Kotlin names that differ from the op's camelCase: the one-step transfer command (the
/// query `transfer` looks a two-step transfer up).
fn method_name(op: &Op) -> String {
    match (op.name.as_str(), op.kind) {
        ("transfer", contract::Kind::Command) => "transferStock".to_owned(),
        (name, _) => camel(name),
    }
}

/// The Kotlin source of the surface.
pub fn render(schema: &Value, generated_by: &str) -> String {
    let c = contract::read(schema);
    let mut out = String::new();
    writeln!(out, "// {generated_by}").unwrap();
    out.push_str(
        "// The Kotlin surface of Stockbook: every command and query as a method of `Stockbook`,\n\
         // every record, enum and union of the contract as a Kotlin type, with their JSON codecs.\n\
         @file:Suppress(\"RedundantVisibilityModifier\", \"unused\", \"UNUSED_PARAMETER\", \"MemberVisibilityCanBePrivate\")\n\n\
         package org.stockbook\n\n\
         import java.math.BigDecimal\n\
         import java.time.Duration\n\
         import java.time.Instant\n",
    );
    for (name, def) in &c.types {
        out.push('\n');
        match def {
            TypeDef::Record { doc, fields } => record(&mut out, &c, name, doc, fields),
            TypeDef::Enum { doc, values } => enumeration(&mut out, name, doc, values),
            TypeDef::Union { doc, variants } => union(&mut out, &c, name, doc, variants),
            TypeDef::Alias { doc, ty } => {
                kdoc(&mut out, "", doc);
                writeln!(out, "typealias {name} = {}", kt(ty)).unwrap();
            }
        }
    }
    command_union(&mut out, &c);
    out.push_str("\n// ---- the methods --------------------------------------------------------------------\n");
    for op in c.commands.iter().chain(&c.queries) {
        method(&mut out, &c, op);
    }
    batch(&mut out);
    errors(&mut out, schema);
    out
}

// ---- types ----------------------------------------------------------------------------------

fn record(out: &mut String, c: &Contract, name: &str, doc: &str, fields: &[Field]) {
    kdoc(out, "", doc);
    if fields.is_empty() {
        writeln!(out, "class {name} {{").unwrap();
        writeln!(out, "    override fun equals(other: Any?): Boolean = other is {name}").unwrap();
        writeln!(out, "    override fun hashCode(): Int = 0").unwrap();
        writeln!(out, "    override fun toString(): String = \"{name}()\"").unwrap();
        writeln!(out, "    internal fun toJson(): Map<String, Any?> = emptyMap()").unwrap();
        writeln!(out, "}}").unwrap();
    } else {
        writeln!(out, "data class {name}(").unwrap();
        params(out, c, "    ", fields, true);
        writeln!(out, ") {{").unwrap();
        writeln!(out, "    internal fun toJson(): Map<String, Any?> = {}", encode_fields(fields, "")).unwrap();
        writeln!(out, "}}").unwrap();
    }
    writeln!(out, "\ninternal fun decode{name}(j: Any?, path: String): {name} {{").unwrap();
    if fields.is_empty() {
        writeln!(out, "    decObj(j, path)\n    return {name}()\n}}").unwrap();
        return;
    }
    writeln!(out, "    val o = decObj(j, path)").unwrap();
    writeln!(out, "    return {name}(").unwrap();
    for f in fields {
        writeln!(out, "        {} = {},", ident(&camel(&f.name)), decode_field(c, f)).unwrap();
    }
    writeln!(out, "    )\n}}").unwrap();
}

/// The parameters of a record's constructor or a flat method: with KDoc, in order.
fn params(out: &mut String, c: &Contract, indent: &str, fields: &[Field], with_doc: bool) {
    for f in fields {
        if with_doc {
            kdoc(out, indent, &f.doc);
        }
        let (ty, default) = field_type(c, f);
        let default = default.map(|d| format!(" = {d}")).unwrap_or_default();
        let val = if with_doc { "val " } else { "" };
        writeln!(out, "{indent}{val}{}: {ty}{default},", ident(&camel(&f.name))).unwrap();
    }
}

/// A field's Kotlin type and default: required fields have none; an optional field with a
/// plain default (text, number, boolean, enum value, empty list or map) takes it; any other
/// optional field is nullable, `null` meaning absent (the engine's default).
fn field_type(c: &Contract, f: &Field) -> (String, Option<String>) {
    if f.required {
        return (kt(&f.ty), None);
    }
    let base = match &f.ty {
        Ty::Optional(inner) => inner.as_ref(),
        ty => ty,
    };
    if let Some(d) = f.default.as_ref().and_then(|d| kotlin_default(c, base, d)) {
        return (kt(base), Some(d));
    }
    (format!("{}?", kt(base)), Some("null".to_owned()))
}

fn kotlin_default(c: &Contract, ty: &Ty, d: &Value) -> Option<String> {
    Some(match (ty, d) {
        (Ty::Str, Value::String(s)) => format!("{s:?}").replace('$', "\\$"),
        (Ty::Bool, Value::Bool(b)) => b.to_string(),
        (Ty::Int { .. }, Value::Number(n)) if kt(ty) == "Long" => format!("{n}L"),
        (Ty::Int { .. }, Value::Number(n)) => n.to_string(),
        (Ty::Float, Value::Number(n)) => format!("{:?}", n.as_f64()?),
        (Ty::List(_), Value::Array(a)) if a.is_empty() => "emptyList()".to_owned(),
        (Ty::Map(_), Value::Object(o)) if o.is_empty() => "emptyMap()".to_owned(),
        (Ty::Named(n), Value::String(s)) => match c.types.get(n)? {
            TypeDef::Enum { .. } => format!("{n}.{}", screaming(s)),
            TypeDef::Union { .. } => format!("{n}.{}", pascal(s)),
            _ => return None,
        },
        _ => return None,
    })
}

fn encode_fields(fields: &[Field], receiver: &str) -> String {
    if fields.is_empty() {
        return "emptyMap()".to_owned();
    }
    let entries: Vec<String> = fields
        .iter()
        .map(|f| {
            let name = format!("{receiver}{}", ident(&camel(&f.name)));
            let ty = if f.required { f.ty.clone() } else { optional(&f.ty) };
            format!("{:?} to {}", f.name, encode(&ty, &name, &camel(&f.name)))
        })
        .collect();
    format!("obj({})", entries.join(", "))
}

fn optional(ty: &Ty) -> Ty {
    match ty {
        Ty::Optional(_) => ty.clone(),
        ty => Ty::Optional(Box::new(ty.clone())),
    }
}

/// The JSON value of the Kotlin expression `e` of type `ty`; `field` names it in errors.
fn encode(ty: &Ty, e: &str, field: &str) -> String {
    match ty {
        Ty::Str | Ty::Bool | Ty::Int { .. } | Ty::Float | Ty::Json | Ty::Unit => e.to_owned(),
        Ty::Qty => format!("encQty({e})"),
        Ty::Instant => format!("encInstant({e}, {field:?})"),
        Ty::Millis => format!("encDuration({e}, {field:?})"),
        Ty::Named(_) => format!("{e}.toJson()"),
        Ty::List(t) => match encode(t, "it", field) {
            same if same == "it" => e.to_owned(),
            each => format!("{e}.map {{ {each} }}"),
        },
        Ty::Map(t) => match encode(t, "it.value", field) {
            same if same == "it.value" => e.to_owned(),
            each => format!("{e}.mapValues {{ {each} }}"),
        },
        Ty::Optional(t) => match encode(t, "it", field) {
            same if same == "it" => e.to_owned(),
            each => format!("{e}?.let {{ {each} }}"),
        },
    }
}

fn decode_field(c: &Contract, f: &Field) -> String {
    let j = format!("o[{:?}]", f.name);
    let path = format!("\"$path.{}\"", f.name);
    if f.required {
        return decode(&f.ty, &j, &path, 1);
    }
    let base = match &f.ty {
        Ty::Optional(inner) => inner.as_ref(),
        ty => ty,
    };
    let value = format!("{j}?.let {{ v -> {} }}", decode(base, "v", &path, 1));
    match field_type(c, f).1 {
        Some(d) if d != "null" => format!("{value} ?: {d}"),
        _ => value,
    }
}

/// The Kotlin value of the JSON expression `j` as `ty`; `path` is a Kotlin string
/// expression naming it; `depth` keeps nested lambda names apart.
fn decode(ty: &Ty, j: &str, path: &str, depth: usize) -> String {
    let (e, p) = (format!("e{depth}"), format!("p{depth}"));
    match ty {
        Ty::Str => format!("decStr({j}, {path})"),
        Ty::Bool => format!("decBool({j}, {path})"),
        Ty::Int { .. } if kt(ty) == "Long" => format!("decLong({j}, {path})"),
        Ty::Int { .. } => format!("decInt({j}, {path})"),
        Ty::Float => format!("decDouble({j}, {path})"),
        Ty::Qty => format!("decQty({j}, {path})"),
        Ty::Instant => format!("decInstant({j}, {path})"),
        Ty::Millis => format!("decDuration({j}, {path})"),
        Ty::Json => j.to_owned(),
        Ty::Unit => "Unit".to_owned(),
        Ty::Named(n) => format!("decode{n}({j}, {path})"),
        Ty::List(t) => format!(
            "decList({j}, {path}) {{ {e}, {p} -> {} }}",
            decode(t, &e, &p, depth + 1)
        ),
        Ty::Map(t) => format!(
            "decMap({j}, {path}) {{ {e}, {p} -> {} }}",
            decode(t, &e, &p, depth + 1)
        ),
        Ty::Optional(t) => format!(
            "{j}.let {{ {e} -> if ({e} == null) null else {} }}",
            decode(t, &e, path, depth + 1)
        ),
    }
}

fn enumeration(out: &mut String, name: &str, doc: &str, values: &[(String, String)]) {
    kdoc(out, "", doc);
    writeln!(out, "enum class {name}(internal val json: String) {{").unwrap();
    for (value, doc) in values {
        kdoc(out, "    ", doc);
        writeln!(out, "    {}({value:?}),", screaming(value)).unwrap();
    }
    writeln!(out, "    ;\n\n    internal fun toJson(): Any? = json\n}}").unwrap();
    writeln!(out, "\ninternal fun decode{name}(j: Any?, path: String): {name} =").unwrap();
    writeln!(out, "    when (val t = decStr(j, path)) {{").unwrap();
    for (value, _) in values {
        writeln!(out, "        {value:?} -> {name}.{}", screaming(value)).unwrap();
    }
    writeln!(out, "        else -> unknownVariant(path, t)\n    }}").unwrap();
}

fn union(out: &mut String, c: &Contract, name: &str, doc: &str, variants: &[contract::Variant]) {
    kdoc(out, "", doc);
    writeln!(out, "sealed class {name} {{").unwrap();
    for v in variants {
        let class = pascal(&v.name);
        kdoc(out, "    ", &v.doc);
        match &v.payload {
            Payload::Unit => writeln!(out, "    data object {class} : {name}()").unwrap(),
            Payload::Fields(fields) if fields.is_empty() => {
                writeln!(out, "    data object {class} : {name}()").unwrap();
            }
            Payload::Fields(fields) => {
                writeln!(out, "    data class {class}(").unwrap();
                let mut text = String::new();
                params(&mut text, c, "        ", fields, true);
                out.push_str(&qualified(c, &text));
                writeln!(out, "    ) : {name}()").unwrap();
            }
            Payload::Newtype(ty) => {
                writeln!(out, "    data class {class}(val value: {}) : {name}()", qualified(c, &kt(ty)))
                    .unwrap();
            }
        }
    }
    writeln!(out, "\n    internal fun toJson(): Any? = when (this) {{").unwrap();
    for v in variants {
        let class = pascal(&v.name);
        let tag = &v.name;
        match &v.payload {
            Payload::Unit => writeln!(out, "        {class} -> {tag:?}").unwrap(),
            Payload::Fields(fields) if fields.is_empty() => {
                writeln!(out, "        {class} -> mapOf({tag:?} to emptyMap<String, Any?>())").unwrap();
            }
            Payload::Fields(fields) => writeln!(
                out,
                "        is {class} -> mapOf({tag:?} to {})",
                encode_fields(fields, "")
            )
            .unwrap(),
            Payload::Newtype(ty) => writeln!(
                out,
                "        is {class} -> mapOf({tag:?} to {})",
                encode(ty, "value", "value")
            )
            .unwrap(),
        }
    }
    writeln!(out, "    }}\n}}").unwrap();
    writeln!(out, "\ninternal fun decode{name}(j: Any?, path: String): {name} {{").unwrap();
    writeln!(out, "    val (tag, body) = decTag(j, path)").unwrap();
    writeln!(out, "    return when (tag) {{").unwrap();
    for v in variants {
        let class = pascal(&v.name);
        let tag = &v.name;
        match &v.payload {
            Payload::Unit => writeln!(out, "        {tag:?} -> {name}.{class}").unwrap(),
            Payload::Fields(fields) if fields.is_empty() => {
                writeln!(out, "        {tag:?} -> {name}.{class}").unwrap();
            }
            Payload::Fields(fields) => {
                writeln!(out, "        {tag:?} -> {{").unwrap();
                writeln!(out, "            val o = decObj(body, \"$path.{tag}\")").unwrap();
                writeln!(out, "            {name}.{class}(").unwrap();
                for f in fields {
                    let d = decode_field(c, f).replace("\"$path.", &format!("\"$path.{tag}."));
                    writeln!(out, "                {} = {d},", ident(&camel(&f.name))).unwrap();
                }
                writeln!(out, "            )\n        }}").unwrap();
            }
            Payload::Newtype(ty) => writeln!(
                out,
                "        {tag:?} -> {name}.{class}({})",
                decode(ty, "body", &format!("\"$path.{tag}\""), 1)
            )
            .unwrap(),
        }
    }
    writeln!(out, "        else -> unknownVariant(path, tag)\n    }}\n}}").unwrap();
}

/// Type names inside a sealed class are qualified: a variant may share a type's name.
fn qualified(c: &Contract, text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut word = String::new();
    let flush = |word: &mut String, out: &mut String, next: Option<char>| {
        let is_type = c.types.contains_key(word.as_str()) && next != Some('(');
        if is_type && !out.ends_with('.') {
            out.push_str("org.stockbook.");
        }
        out.push_str(word);
        word.clear();
    };
    let chars: Vec<char> = text.chars().collect();
    let mut in_doc = false;
    for (i, &ch) in chars.iter().enumerate() {
        if ch == '/' && chars.get(i + 1) == Some(&'*') {
            in_doc = true;
        }
        if in_doc {
            out.push(ch);
            if ch == '/' && i > 0 && chars[i - 1] == '*' {
                in_doc = false;
            }
            continue;
        }
        if ch.is_alphanumeric() || ch == '_' {
            word.push(ch);
        } else {
            flush(&mut word, &mut out, Some(ch));
            out.push(ch);
        }
    }
    flush(&mut word, &mut out, None);
    out
}

/// `Command`: any command as a value, for `execute` and `executeBatch`.
fn command_union(out: &mut String, c: &Contract) {
    out.push_str("\n/** Any command as a value: for [execute] and [executeBatch] (all or nothing). */\n");
    writeln!(out, "sealed class Command {{").unwrap();
    let mut encode_arms = Vec::new();
    for op in &c.commands {
        let class = pascal(&op.name);
        kdoc(out, "    ", &op.doc);
        if let Some(record) = &op.record {
            writeln!(out, "    data class {class}(val args: org.stockbook.{record}) : Command()").unwrap();
            encode_arms.push(format!("is {class} -> {:?} to args.toJson()", op.name));
        } else if op.params.is_empty() {
            writeln!(out, "    data object {class} : Command()").unwrap();
            encode_arms.push(format!("{class} -> {:?} to emptyMap()", op.name));
        } else {
            writeln!(out, "    data class {class}(").unwrap();
            let mut text = String::new();
            params(&mut text, c, "        ", &op.params, true);
            out.push_str(&qualified(c, &text));
            writeln!(out, "    ) : Command()").unwrap();
            encode_arms.push(format!("is {class} -> {:?} to {}", op.name, encode_fields(&op.params, "")));
        }
    }
    writeln!(out, "\n    /** The op and the args of this command. */").unwrap();
    writeln!(out, "    internal fun toCall(): Pair<String, Map<String, Any?>> = when (this) {{").unwrap();
    for arm in encode_arms {
        writeln!(out, "        {arm}").unwrap();
    }
    writeln!(out, "    }}\n}}").unwrap();
}

// ---- methods --------------------------------------------------------------------------------

fn method(out: &mut String, c: &Contract, op: &Op) {
    let name = method_name(op);
    let is_command = op.kind == contract::Kind::Command;
    let kind = if !is_command && c.commands.iter().any(|o| o.name == op.name) {
        ", kind = \"query\""
    } else {
        ""
    };
    let answer = kt(&op.answer);
    let decoded = decode(&op.answer, "answer", &format!("{:?}", op.name), 1);
    let meta_param = if is_command { "    meta: Meta? = null,\n" } else { "" };
    let meta_arg = if is_command { ", meta" } else { "" };
    let mut doc = op.doc.clone();
    if is_command {
        doc.push_str("\n\n`meta`: who acts, the idempotency key, correlation, reason, effective time.");
    }
    // The record form: the args as one value.
    if let Some(record) = &op.record {
        let param = record_param(&op.name, record);
        out.push('\n');
        kdoc(out, "", &doc);
        writeln!(out, "fun Stockbook.{name}(").unwrap();
        writeln!(out, "    {param}: {record},").unwrap();
        out.push_str(meta_param);
        writeln!(out, "): {answer} {{").unwrap();
        writeln!(
            out,
            "    val answer = perform({:?}, {param}.toJson(){meta_arg}{kind})",
            op.name
        )
        .unwrap();
        writeln!(out, "    return {decoded}\n}}").unwrap();
    }
    // The flat form: required fields first, then the optional ones.
    let mut fields: Vec<&Field> = op.params.iter().filter(|f| f.required).collect();
    fields.extend(op.params.iter().filter(|f| !f.required));
    let fields: Vec<Field> = fields.into_iter().cloned().collect();
    out.push('\n');
    let mut flat_doc = doc.clone();
    for f in &fields {
        if !f.doc.is_empty() {
            write!(flat_doc, "\n@param {} {}", camel(&f.name), f.doc.replace('\n', " ")).unwrap();
        }
    }
    kdoc(out, "", &flat_doc);
    writeln!(out, "fun Stockbook.{name}(").unwrap();
    params(out, c, "    ", &fields, false);
    out.push_str(meta_param);
    writeln!(out, "): {answer} {{").unwrap();
    let args = match &op.record {
        Some(record) => {
            let named: Vec<String> = fields
                .iter()
                .map(|f| {
                    let n = ident(&camel(&f.name));
                    format!("{n} = {n}")
                })
                .collect();
            format!("{record}({}).toJson()", named.join(", "))
        }
        None => encode_fields(&fields, ""),
    };
    writeln!(out, "    val answer = perform({:?}, {args}{meta_arg}{kind})", op.name).unwrap();
    writeln!(out, "    return {decoded}\n}}").unwrap();
}

fn record_param(op: &str, record: &str) -> String {
    if op.starts_with("define_") || op.starts_with("update_") {
        let mut p = record.to_owned();
        p[..1].make_ascii_lowercase();
        p
    } else if record.ends_with("Filter") {
        "filter".to_owned()
    } else if record.ends_with("Options") {
        "options".to_owned()
    } else {
        "args".to_owned()
    }
}

fn batch(out: &mut String) {
    out.push_str(
        "\n/** Executes one command given as a value; answered once it is durable (or refused). */\n\
         fun Stockbook.execute(command: Command, meta: Meta? = null): Receipt {\n    \
             val (op, args) = command.toCall()\n    \
             return decodeReceipt(perform(op, args, meta), op)\n}\n\n\
         /**\n * Executes [commands] all or nothing, in order, in one commit; a refusal is\n \
         * [StockbookException.BatchRefused] naming the command (`index`) and its own error.\n */\n\
         fun Stockbook.executeBatch(commands: List<Command>, meta: Meta? = null): List<Receipt> {\n    \
             val calls = commands.map { c -> c.toCall().let { (op, args) -> mapOf(\"op\" to op, \"args\" to args) } }\n    \
             val answer = perform(\"batch\", mapOf(\"commands\" to calls), meta)\n    \
             return decList(answer, \"batch\") { e, p -> decodeReceipt(e, p) }\n}\n",
    );
}

/// `exceptionOf(code, detail, facts)`: the exception of an error code, for errors that come
/// back inside an answer (a plan's problems).
fn errors(out: &mut String, schema: &Value) {
    let codes: Vec<&str> = schema["$defs"]["ErrorCode"]["enum"]
        .as_array()
        .map(|a| a.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    out.push_str(
        "\n/** The exception of an error code, with its message and facts. */\n\
         internal fun exceptionOf(code: String, detail: String, facts: Map<String, String>): StockbookException =\n    \
         when (code) {\n",
    );
    for code in codes {
        writeln!(out, "        {code:?} -> StockbookException.{}(code, detail, facts)", pascal(code)).unwrap();
    }
    out.push_str("        else -> StockbookException.Other(code, detail, facts)\n    }\n");
    out.push_str(
        "\n/** An error as the core writes it inside an answer. */\n\
         internal fun StockbookException.toJson(): Any? =\n    \
         mapOf(errorCode().split('_').joinToString(\"\") { it.replaceFirstChar(Char::uppercaseChar) } to errorFacts())\n",
    );
    out.push_str(
        "\n/** An error inside an answer (`{\"InsufficientStock\": {…}}`) as its exception. */\n\
         internal fun decodeError(j: Any?, path: String): StockbookException {\n    \
             val (variant, body) = decTag(j, path)\n    \
             val code = variant.replace(Regex(\"([a-z0-9])([A-Z])\"), \"$1_$2\").lowercase()\n    \
             val facts = (body as? Map<*, *>)?.entries?.filter { it.value != null }\n        \
                 ?.associate { (k, v) -> k as String to (if (v is String) v else Json.write(v)) }.orEmpty()\n    \
             return exceptionOf(code, \"$code ${facts.entries.joinToString { \"${it.key}=${it.value}\" }}\", facts)\n}\n",
    );
}

// ---- names and docs -------------------------------------------------------------------------

/// The Kotlin type of `ty`.
fn kt(ty: &Ty) -> String {
    match ty {
        Ty::Str => "String".to_owned(),
        Ty::Bool => "Boolean".to_owned(),
        Ty::Int { min, max } => {
            let fits = |v: &Option<i128>, lo: i128, hi: i128| v.is_some_and(|v| v >= lo && v <= hi);
            if fits(min, i128::from(i32::MIN), i128::from(i32::MAX))
                && fits(max, i128::from(i32::MIN), i128::from(i32::MAX))
            {
                "Int".to_owned()
            } else {
                "Long".to_owned()
            }
        }
        Ty::Float => "Double".to_owned(),
        Ty::Qty => "BigDecimal".to_owned(),
        Ty::Instant => "Instant".to_owned(),
        Ty::Millis => "Duration".to_owned(),
        Ty::Json => "Any?".to_owned(),
        Ty::Unit => "Unit".to_owned(),
        Ty::Named(n) if n == "Error" => "StockbookException".to_owned(),
        Ty::Named(n) => n.clone(),
        Ty::List(t) => format!("List<{}>", kt(t)),
        Ty::Map(t) => format!("Map<String, {}>", kt(t)),
        Ty::Optional(t) => match kt(t) {
            any if any.ends_with('?') => any,
            t => format!("{t}?"),
        },
    }
}

fn kdoc(out: &mut String, indent: &str, doc: &str) {
    let doc = doc.trim();
    if doc.is_empty() {
        return;
    }
    let doc = doc.replace("*/", "*&#47;");
    let lines: Vec<&str> = doc.lines().collect();
    if lines.len() == 1 {
        writeln!(out, "{indent}/** {} */", lines[0]).unwrap();
        return;
    }
    writeln!(out, "{indent}/**").unwrap();
    for line in lines {
        if line.is_empty() {
            writeln!(out, "{indent} *").unwrap();
        } else {
            writeln!(out, "{indent} * {line}").unwrap();
        }
    }
    writeln!(out, "{indent} */").unwrap();
}

const KEYWORDS: &[&str] = &[
    "as", "break", "class", "continue", "do", "else", "false", "for", "fun", "if", "in",
    "interface", "is", "null", "object", "package", "return", "super", "this", "throw", "true",
    "try", "typealias", "typeof", "val", "var", "when", "while",
];

fn ident(name: &str) -> String {
    if KEYWORDS.contains(&name) {
        format!("`{name}`")
    } else {
        name.to_owned()
    }
}

fn camel(name: &str) -> String {
    let mut out = String::new();
    let mut up = false;
    for ch in name.chars() {
        if ch == '_' {
            up = true;
        } else if up {
            out.extend(ch.to_uppercase());
            up = false;
        } else {
            out.push(ch);
        }
    }
    out
}

fn pascal(name: &str) -> String {
    let c = camel(name);
    let mut chars = c.chars();
    chars
        .next()
        .map(|f| f.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

fn screaming(name: &str) -> String {
    name.chars()
        .map(|c| if c.is_ascii_alphanumeric() { c.to_ascii_uppercase() } else { '_' })
        .collect()
}

/// The names every generated type takes, to tell a record's field from a type in `qualified`.
#[allow(dead_code)]
fn type_names(c: &Contract) -> BTreeSet<&str> {
    c.types.keys().map(String::as_str).collect()
}

/// The contract as the generator reads it from the schema document.
mod contract {
    use std::collections::BTreeMap;

    use serde_json::Value;

    use super::NOT_TYPES;

    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    pub enum Kind {
        Command,
        Query,
    }

    #[derive(Debug, Clone)]
    pub enum Ty {
        Str,
        Bool,
        Int { min: Option<i128>, max: Option<i128> },
        Float,
        Qty,
        Instant,
        Millis,
        Json,
        Named(String),
        List(Box<Ty>),
        Map(Box<Ty>),
        Optional(Box<Ty>),
        #[allow(dead_code)]
        Unit,
    }

    #[derive(Debug, Clone)]
    pub struct Field {
        pub name: String,
        pub doc: String,
        pub ty: Ty,
        pub required: bool,
        pub default: Option<Value>,
    }

    #[derive(Debug, Clone)]
    pub enum Payload {
        Unit,
        Fields(Vec<Field>),
        Newtype(Ty),
    }

    #[derive(Debug, Clone)]
    pub struct Variant {
        pub name: String,
        pub doc: String,
        pub payload: Payload,
    }

    #[derive(Debug, Clone)]
    pub enum TypeDef {
        Record { doc: String, fields: Vec<Field> },
        Enum { doc: String, values: Vec<(String, String)> },
        Union { doc: String, variants: Vec<Variant> },
        Alias { doc: String, ty: Ty },
    }

    #[derive(Debug, Clone)]
    pub struct Op {
        pub name: String,
        pub doc: String,
        pub params: Vec<Field>,
        /// The named record the args are, where they are one.
        pub record: Option<String>,
        pub answer: Ty,
        pub kind: Kind,
    }

    pub struct Contract {
        pub commands: Vec<Op>,
        pub queries: Vec<Op>,
        pub types: BTreeMap<String, TypeDef>,
    }

    fn doc(v: &Value) -> String {
        v["description"].as_str().unwrap_or_default().to_owned()
    }

    fn ref_name(v: &Value) -> Option<&str> {
        v["$ref"].as_str().and_then(|r| r.strip_prefix("#/$defs/"))
    }

    pub fn read(schema: &Value) -> Contract {
        let defs = schema["$defs"].as_object().expect("the schema has $defs");
        let mut types = BTreeMap::new();
        for (name, def) in defs {
            if NOT_TYPES.contains(&name.as_str()) {
                continue;
            }
            types.insert(name.clone(), typedef(def));
        }
        let answers: BTreeMap<String, Ty> = defs["Answer"]["oneOf"]
            .as_array()
            .expect("Answer is a oneOf")
            .iter()
            .map(|v| {
                let op = v["properties"]["op"]["const"].as_str().unwrap().to_owned();
                (op, ty(&v["properties"]["value"]))
            })
            .collect();
        let ops = |def: &str, kind: Kind| -> Vec<Op> {
            defs[def]["oneOf"]
                .as_array()
                .expect("a oneOf of ops")
                .iter()
                .map(|v| {
                    let name = v["properties"]["op"]["const"].as_str().unwrap().to_owned();
                    let args = &v["properties"]["args"];
                    let (params, record) = match ref_name(args) {
                        Some(r) => (fields(&defs[r]), Some(r.to_owned())),
                        None => (fields(args), None),
                    };
                    let answer = match kind {
                        Kind::Command => Ty::Named("Receipt".to_owned()),
                        Kind::Query => answers.get(&name).cloned().unwrap_or(Ty::Json),
                    };
                    Op { name, doc: doc(v), params, record, answer, kind }
                })
                .collect()
        };
        Contract {
            commands: ops("Command", Kind::Command),
            queries: ops("Query", Kind::Query),
            types,
        }
    }

    fn fields(obj: &Value) -> Vec<Field> {
        let required: Vec<&str> = obj["required"]
            .as_array()
            .map(|a| a.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        let Some(props) = obj["properties"].as_object() else {
            return Vec::new();
        };
        // Required fields in the order the schema lists them, then the others by name.
        let mut names: Vec<&str> = required.clone();
        names.extend(props.keys().map(String::as_str).filter(|k| !required.contains(k)));
        names
            .into_iter()
            .filter_map(|name| {
                let p = props.get(name)?;
                Some(Field {
                    name: name.to_owned(),
                    doc: doc(p),
                    ty: ty(p),
                    required: required.contains(&name),
                    default: p.get("default").cloned(),
                })
            })
            .collect()
    }

    fn typedef(def: &Value) -> TypeDef {
        let d = doc(def);
        if let Some(variants) = def["oneOf"].as_array() {
            if variants.iter().all(|v| v.get("const").is_some()) {
                let values = variants
                    .iter()
                    .map(|v| (v["const"].as_str().unwrap().to_owned(), doc(v)))
                    .collect();
                return TypeDef::Enum { doc: d, values };
            }
            let variants = variants
                .iter()
                .map(|v| {
                    if let Some(c) = v["const"].as_str() {
                        return Variant { name: c.to_owned(), doc: doc(v), payload: Payload::Unit };
                    }
                    let (tag, body) = v["properties"]
                        .as_object()
                        .and_then(|p| p.iter().next())
                        .expect("a tagged variant has one key");
                    let payload = if body.get("properties").is_some()
                        || body["type"] == "object" && ref_name(body).is_none()
                    {
                        Payload::Fields(fields(body))
                    } else {
                        Payload::Newtype(ty(body))
                    };
                    Variant { name: tag.clone(), doc: doc(v), payload }
                })
                .collect();
            return TypeDef::Union { doc: d, variants };
        }
        if let Some(values) = def["enum"].as_array() {
            let values = values
                .iter()
                .filter_map(Value::as_str)
                .map(|v| (v.to_owned(), String::new()))
                .collect();
            return TypeDef::Enum { doc: d, values };
        }
        if def.get("properties").is_some() || def["type"] == "object" {
            return TypeDef::Record { doc: d, fields: fields(def) };
        }
        TypeDef::Alias { doc: d, ty: ty(def) }
    }

    fn ty(v: &Value) -> Ty {
        if let Some(r) = ref_name(v) {
            return match r {
                "Qty" => Ty::Qty,
                "Instant" => Ty::Instant,
                "Millis" => Ty::Millis,
                r => Ty::Named(r.to_owned()),
            };
        }
        if let Some(any) = v["anyOf"].as_array() {
            let inner: Vec<&Value> = any.iter().filter(|s| s["type"] != "null").collect();
            if inner.len() == 1 && inner.len() < any.len() {
                return Ty::Optional(Box::new(ty(inner[0])));
            }
            return Ty::Json;
        }
        let (t, nullable) = match &v["type"] {
            Value::String(s) => (s.as_str(), false),
            Value::Array(a) => {
                let ts: Vec<&str> = a.iter().filter_map(Value::as_str).collect();
                let non_null: Vec<&str> = ts.iter().copied().filter(|t| *t != "null").collect();
                if non_null.len() != 1 {
                    return Ty::Json;
                }
                (non_null[0], ts.contains(&"null"))
            }
            _ => return Ty::Json,
        };
        let base = match t {
            "string" => Ty::Str,
            "boolean" => Ty::Bool,
            "number" => Ty::Float,
            "integer" => {
                let (min, max) = match v["format"].as_str() {
                    Some("uint8") => (Some(0), Some(255)),
                    Some("int32") => (Some(i128::from(i32::MIN)), Some(i128::from(i32::MAX))),
                    Some("uint32") => (Some(0), Some(i128::from(u32::MAX))),
                    Some("uint16") => (Some(0), Some(65_535)),
                    _ => (v["minimum"].as_i64().map(i128::from), None),
                };
                Ty::Int { min, max }
            }
            "array" => Ty::List(Box::new(ty(&v["items"]))),
            "object" => match v.get("additionalProperties") {
                Some(ap) if ap.is_object() => Ty::Map(Box::new(ty(ap))),
                _ => Ty::Json,
            },
            _ => Ty::Json,
        };
        if nullable { Ty::Optional(Box::new(base)) } else { base }
    }
}
