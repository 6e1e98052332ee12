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

use std::fmt::Write;

use serde_json::Value;

use crate::model::{Contract, Field, Op, OpKind, Payload, Ty, TypeDef, Variant, camel, pascal};

/// The file written, relative to the workspace root.
pub const PATH: &str = "bindings/kotlin/src/main/kotlin/org/stockbook/generated/Surface.kt";

/// Definitions of the schema that are not Kotlin types of their own: the error
/// (`StockbookException`, mapped natively, its codes in `exceptionOf`) and the value types
/// with a Kotlin idiom (`BigDecimal`, `Instant`, `Duration`, in the runtime).
const NOT_TYPES: &[&str] = &["Error", "ErrorCode", "Qty", "Instant", "Millis"];

/// Kotlin names that differ from the op's camelCase: the one-step transfer command (the
/// query `transfer` looks a two-step transfer up).
fn method_name(op: &Op) -> String {
    match (op.name.as_str(), op.kind) {
        ("transfer", OpKind::Command) => "transferStock".to_owned(),
        (name, _) => camel(name),
    }
}

/// The Kotlin source of the surface.
pub fn render(c: &Contract, generated_by: &str) -> String {
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
    for (name, def) in c
        .types
        .iter()
        .filter(|(n, _)| !NOT_TYPES.contains(&n.as_str()))
    {
        out.push('\n');
        match def {
            TypeDef::Record { doc, fields } => record(&mut out, c, name, doc, fields),
            TypeDef::Enum { doc, values } => enumeration(&mut out, name, doc, values),
            TypeDef::Union { doc, tag, variants } => {
                union(&mut out, c, name, doc, tag.as_deref(), variants);
            }
            TypeDef::Alias { doc, ty } => {
                kdoc(&mut out, "", doc);
                writeln!(out, "typealias {name} = {}", kt(ty)).unwrap();
            }
        }
    }
    command_union(&mut out, c);
    out.push_str("\n// ---- the methods --------------------------------------------------------------------\n");
    for op in c.commands.iter().chain(&c.queries) {
        method(&mut out, c, op);
    }
    batch(&mut out);
    out.push_str("\n// ---- the calculations (no book needed) --------------------------------------------\n");
    for op in &c.calculations {
        calculation(&mut out, c, op);
    }
    errors(&mut out, c);
    out
}

// ---- types ----------------------------------------------------------------------------------

fn record(out: &mut String, c: &Contract, name: &str, doc: &str, fields: &[Field]) {
    kdoc(out, "", doc);
    if fields.is_empty() {
        writeln!(out, "class {name} {{").unwrap();
        writeln!(
            out,
            "    override fun equals(other: Any?): Boolean = other is {name}"
        )
        .unwrap();
        writeln!(out, "    override fun hashCode(): Int = 0").unwrap();
        writeln!(out, "    override fun toString(): String = \"{name}()\"").unwrap();
        writeln!(
            out,
            "    internal fun toJson(): Map<String, Any?> = emptyMap()"
        )
        .unwrap();
        writeln!(out, "}}").unwrap();
    } else {
        writeln!(out, "data class {name}(").unwrap();
        params(out, c, "    ", fields, Form::Properties);
        writeln!(out, ") {{").unwrap();
        writeln!(
            out,
            "    internal fun toJson(): Map<String, Any?> = {}",
            encode_fields(fields, "")
        )
        .unwrap();
        writeln!(out, "}}").unwrap();
    }
    writeln!(
        out,
        "\ninternal fun decode{name}(j: Any?, path: String): {name} {{"
    )
    .unwrap();
    if fields.is_empty() {
        writeln!(out, "    decObj(j, path)\n    return {name}()\n}}").unwrap();
        return;
    }
    writeln!(out, "    val o = decObj(j, path)").unwrap();
    writeln!(out, "    return {name}(").unwrap();
    for f in fields {
        writeln!(out, "        {} = {},", field_ident(f), decode_field(c, f)).unwrap();
    }
    writeln!(out, "    )\n}}").unwrap();
}

/// How parameters are written.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Form {
    /// A data class's properties: KDoc, `val`, typed defaults.
    Properties,
    /// A secondary constructor's parameters: typed defaults.
    Constructor,
    /// A method's parameters: optional ones nullable, `null` meaning absent.
    Method,
}

/// The parameters of a record's constructor or a flat method, in order.
fn params(out: &mut String, c: &Contract, indent: &str, fields: &[Field], form: Form) {
    let with_doc = form == Form::Properties;
    for f in fields {
        if with_doc {
            kdoc(out, indent, &f.doc);
        }
        // A method's optional parameter is nullable: `null` is absent (the engine's default).
        let (ty, default) = if form != Form::Method || f.required {
            field_type(c, f)
        } else {
            (kt(&optional(&f.ty)), Some("null".to_owned()))
        };
        let default = default.map(|d| format!(" = {d}")).unwrap_or_default();
        let val = if with_doc { "val " } else { "" };
        writeln!(out, "{indent}{val}{}: {ty}{default},", field_ident(f)).unwrap();
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
            let name = format!("{receiver}{}", field_ident(f));
            let ty = if f.required {
                f.ty.clone()
            } else {
                optional(&f.ty)
            };
            format!(
                "{:?} to {}",
                f.name,
                encode_named(&ty, &name, &field_name(f), &f.name)
            )
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
    encode_named(ty, e, field, field)
}

/// As [`encode`]; `wire` is the field's name in the contract, which a planning refusal names.
fn encode_named(ty: &Ty, e: &str, field: &str, wire: &str) -> String {
    match ty {
        Ty::Str | Ty::Bool | Ty::Int { .. } | Ty::Json | Ty::Unit => e.to_owned(),
        Ty::Float => format!("encFloat({e}, {wire:?})"),
        Ty::Qty => format!("encQty({e})"),
        Ty::Instant => format!("encInstant({e}, {field:?})"),
        Ty::Millis => format!("encDuration({e}, {field:?})"),
        Ty::Named(_) => format!("{e}.toJson()"),
        Ty::List(t) => match encode_named(t, "it", field, wire) {
            same if same == "it" => e.to_owned(),
            each => format!("{e}.map {{ {each} }}"),
        },
        Ty::Map(t) => match encode_named(t, "it.value", field, wire) {
            same if same == "it.value" => e.to_owned(),
            each => format!("{e}.mapValues {{ {each} }}"),
        },
        Ty::Optional(t) => match encode_named(t, "it", field, wire) {
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
    writeln!(
        out,
        "\ninternal fun decode{name}(j: Any?, path: String): {name} ="
    )
    .unwrap();
    writeln!(out, "    when (val t = decStr(j, path)) {{").unwrap();
    for (value, _) in values {
        writeln!(out, "        {value:?} -> {name}.{}", screaming(value)).unwrap();
    }
    writeln!(out, "        else -> unknownVariant(path, t)\n    }}").unwrap();
}

fn union(
    out: &mut String,
    c: &Contract,
    name: &str,
    doc: &str,
    tag: Option<&str>,
    variants: &[Variant],
) {
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
                params(&mut text, c, "        ", fields, Form::Properties);
                out.push_str(&qualified(c, &text));
                writeln!(out, "    ) : {name}()").unwrap();
            }
            Payload::Value(ty) => {
                writeln!(
                    out,
                    "    data class {class}(val value: {}) : {name}()",
                    qualified(c, &kt(ty))
                )
                .unwrap();
            }
        }
    }
    writeln!(out, "\n    internal fun toJson(): Any? = when (this) {{").unwrap();
    for v in variants {
        let class = pascal(&v.name);
        let t = &v.name;
        let (is, data) = match &v.payload {
            Payload::Unit => ("", None),
            Payload::Fields(fields) if fields.is_empty() => {
                ("", Some("emptyMap<String, Any?>()".to_owned()))
            }
            Payload::Fields(fields) => ("is ", Some(encode_fields(fields, ""))),
            Payload::Value(ty) => ("is ", Some(encode(ty, "value", "value"))),
        };
        let json = match (tag, data) {
            (None, None) => format!("{t:?}"),
            (None, Some(data)) => format!("mapOf({t:?} to {data})"),
            (Some(k), None) => format!("mapOf({k:?} to {t:?})"),
            (Some(k), Some(data)) => format!("tagged({k:?}, {t:?}, {data})"),
        };
        writeln!(out, "        {is}{class} -> {json}").unwrap();
    }
    writeln!(out, "    }}\n}}").unwrap();
    writeln!(
        out,
        "\ninternal fun decode{name}(j: Any?, path: String): {name} {{"
    )
    .unwrap();
    match tag {
        None => writeln!(out, "    val (tag, body) = decTag(j, path)").unwrap(),
        Some(k) => {
            writeln!(out, "    val body = decObj(j, path)").unwrap();
            writeln!(out, "    val tag = decStr(body[{k:?}], \"$path.{k}\")").unwrap();
        }
    }
    writeln!(out, "    return when (tag) {{").unwrap();
    for v in variants {
        let class = pascal(&v.name);
        let t = &v.name;
        // Where the variant's data is: under its tag, or beside the tag field.
        let at = if tag.is_some() {
            String::new()
        } else {
            format!(".{t}")
        };
        match &v.payload {
            Payload::Unit => writeln!(out, "        {t:?} -> {name}.{class}").unwrap(),
            Payload::Fields(fields) if fields.is_empty() => {
                writeln!(out, "        {t:?} -> {name}.{class}").unwrap();
            }
            Payload::Fields(fields) => {
                writeln!(out, "        {t:?} -> {{").unwrap();
                writeln!(out, "            val o = decObj(body, \"$path{at}\")").unwrap();
                writeln!(out, "            {name}.{class}(").unwrap();
                for f in fields {
                    let d = decode_field(c, f).replace("\"$path.", &format!("\"$path{at}."));
                    writeln!(out, "                {} = {d},", field_ident(f)).unwrap();
                }
                writeln!(out, "            )\n        }}").unwrap();
            }
            Payload::Value(ty) => writeln!(
                out,
                "        {t:?} -> {name}.{class}({})",
                decode(ty, "body", &format!("\"$path{at}\""), 1)
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
        let is_type = c.types.contains_key(word.as_str())
            && !NOT_TYPES.contains(&word.as_str())
            && next != Some('(');
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
    out.push_str(
        "\n/** Any command as a value: for [execute] and [executeBatch] (all or nothing). */\n",
    );
    writeln!(out, "sealed class Command {{").unwrap();
    let mut encode_arms = Vec::new();
    for op in &c.commands {
        let class = pascal(&op.name);
        kdoc(out, "    ", &op.doc);
        if let Some(record) = &op.args_type {
            writeln!(
                out,
                "    data class {class}(val args: org.stockbook.{record}) : Command() {{"
            )
            .unwrap();
            // The same command from the record's fields.
            let fields = c.fields(record).unwrap_or_default();
            writeln!(out, "        constructor(").unwrap();
            let mut text = String::new();
            params(&mut text, c, "            ", fields, Form::Constructor);
            out.push_str(&qualified(c, &text));
            let named: Vec<String> = fields
                .iter()
                .map(|f| format!("{0} = {0}", field_ident(f)))
                .collect();
            writeln!(
                out,
                "        ) : this(org.stockbook.{record}({}))\n    }}",
                named.join(", ")
            )
            .unwrap();
            encode_arms.push(format!("is {class} -> {:?} to args.toJson()", op.name));
        } else if op.params.is_empty() {
            writeln!(out, "    data object {class} : Command()").unwrap();
            encode_arms.push(format!("{class} -> {:?} to emptyMap()", op.name));
        } else {
            writeln!(out, "    data class {class}(").unwrap();
            let mut text = String::new();
            params(&mut text, c, "        ", &op.params, Form::Properties);
            out.push_str(&qualified(c, &text));
            writeln!(out, "    ) : Command()").unwrap();
            encode_arms.push(format!(
                "is {class} -> {:?} to {}",
                op.name,
                encode_fields(&op.params, "")
            ));
        }
    }
    writeln!(out, "\n    /** The op and the args of this command. */").unwrap();
    writeln!(
        out,
        "    internal fun toCall(): Pair<String, Map<String, Any?>> = when (this) {{"
    )
    .unwrap();
    for arm in encode_arms {
        writeln!(out, "        {arm}").unwrap();
    }
    writeln!(out, "    }}\n}}").unwrap();
}

// ---- methods --------------------------------------------------------------------------------

fn method(out: &mut String, c: &Contract, op: &Op) {
    let name = method_name(op);
    let is_command = op.kind == OpKind::Command;
    let kind = if !is_command && c.commands.iter().any(|o| o.name == op.name) {
        ", kind = \"query\""
    } else {
        ""
    };
    let answer = kt(&op.answer);
    let decoded = decode(&op.answer, "answer", &format!("{:?}", op.name), 1);
    let meta_param = if is_command {
        "    meta: Meta? = null,\n"
    } else {
        ""
    };
    let meta_arg = if is_command { ", meta" } else { "" };
    let mut doc = op.doc.clone();
    if is_command {
        doc.push_str(
            "\n\n`meta`: who acts, the idempotency key, correlation, reason, effective time.",
        );
    }
    // The record form: the args as one value.
    if let Some(record) = &op.args_type {
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
            write!(
                flat_doc,
                "\n@param {} {}",
                field_name(f),
                f.doc.replace('\n', " ")
            )
            .unwrap();
        }
    }
    kdoc(out, "", &flat_doc);
    let mut list = String::new();
    params(&mut list, c, "    ", &fields, Form::Method);
    list.push_str(meta_param);
    if list.is_empty() {
        writeln!(out, "fun Stockbook.{name}(): {answer} {{").unwrap();
    } else {
        writeln!(out, "fun Stockbook.{name}(\n{list}): {answer} {{").unwrap();
    }
    let args = encode_fields(&fields, "");
    writeln!(
        out,
        "    val answer = perform({:?}, {args}{meta_arg}{kind})",
        op.name
    )
    .unwrap();
    writeln!(out, "    return {decoded}\n}}").unwrap();
}

/// A calculation: a top-level function over plain values.
fn calculation(out: &mut String, c: &Contract, op: &Op) {
    let mut fields: Vec<Field> = op.params.iter().filter(|f| f.required).cloned().collect();
    fields.extend(op.params.iter().filter(|f| !f.required).cloned());
    let mut doc = op.doc.clone();
    for f in &fields {
        if !f.doc.is_empty() {
            write!(
                doc,
                "\n@param {} {}",
                field_name(f),
                f.doc.replace('\n', " ")
            )
            .unwrap();
        }
    }
    out.push('\n');
    kdoc(out, "", &doc);
    writeln!(out, "fun {}(", camel(&op.name)).unwrap();
    params(out, c, "    ", &fields, Form::Method);
    writeln!(out, "): {} {{", kt(&op.answer)).unwrap();
    writeln!(
        out,
        "    val answer = calculation({:?}, {})",
        op.name,
        encode_fields(&fields, "")
    )
    .unwrap();
    writeln!(
        out,
        "    return {}\n}}",
        decode(&op.answer, "answer", &format!("{:?}", op.name), 1)
    )
    .unwrap();
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
fn errors(out: &mut String, c: &Contract) {
    let codes: Vec<&str> = match c.types.get("ErrorCode") {
        Some(TypeDef::Enum { values, .. }) => values.iter().map(|(v, _)| v.as_str()).collect(),
        _ => Vec::new(),
    };
    out.push_str(
        "\n/** The exception of an error code, with its message and facts. */\n\
         internal fun exceptionOf(code: String, detail: String, facts: Map<String, String>): StockbookException =\n    \
         when (code) {\n",
    );
    for code in codes {
        writeln!(
            out,
            "        {code:?} -> StockbookException.{}(code, detail, facts)",
            pascal(code)
        )
        .unwrap();
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

/// A field's Kotlin name: camelCase, without the `_ms` of an instant or a duration (the
/// type says it: `ttl_ms: Duration` is `ttl`).
fn field_name(f: &Field) -> String {
    let base = match &f.ty {
        Ty::Optional(inner) => inner.as_ref(),
        ty => ty,
    };
    match (f.name.strip_suffix("_ms"), base) {
        (Some(stem), Ty::Instant | Ty::Millis) => camel(stem),
        (_, Ty::Named(n)) if KEYWORDS.contains(&f.name.as_str()) => camel(n),
        _ => camel(&f.name),
    }
}

/// A field's Kotlin identifier: a field named by a Kotlin keyword takes its type's name
/// (`class: DemandClass` is `demandClass`) where it has one, else backticks.
fn field_ident(f: &Field) -> String {
    ident(&field_name(f))
}

const KEYWORDS: &[&str] = &[
    "as",
    "break",
    "class",
    "continue",
    "do",
    "else",
    "false",
    "for",
    "fun",
    "if",
    "in",
    "interface",
    "is",
    "null",
    "object",
    "package",
    "return",
    "super",
    "this",
    "throw",
    "true",
    "try",
    "typealias",
    "typeof",
    "val",
    "var",
    "when",
    "while",
];

fn ident(name: &str) -> String {
    if KEYWORDS.contains(&name) {
        format!("`{name}`")
    } else {
        name.to_owned()
    }
}

fn screaming(name: &str) -> String {
    name.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_uppercase()
            } else {
                '_'
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use stockbook::command::schema;

    fn surface() -> String {
        let document = serde_json::from_str(&schema::document_text()).expect("JSON");
        super::render(
            &crate::model::Contract::from_schema(&document),
            schema::GENERATED_BY,
        )
    }

    #[test]
    fn the_surface_says_it_is_generated_and_types_every_command() {
        let text = surface();
        assert!(text.starts_with("// Generated by `cargo run -p xtask -- generate`"));
        // The record form and the flat form, required fields first, meta last.
        assert!(text.contains(
            "fun Stockbook.receive(\n    args: Receive,\n    meta: Meta? = null,\n): Written {"
        ));
        assert!(text.contains(
            "fun Stockbook.receive(\n    sku: String,\n    location: String,\n    qty: BigDecimal,"
        ));
        // The one-step transfer command and the two-step transfer query keep apart.
        assert!(text.contains("fun Stockbook.transferStock("));
        assert!(text.contains("perform(\"transfer\", obj(\"id\" to id), kind = \"query\")"));
        // A duration loses its unit suffix; instants and quantities take their Kotlin types.
        assert!(text.contains("    ttl: Duration? = null,"));
        assert!(text.contains("fun Stockbook.now(): Instant {"));
        // Calculations are top-level functions.
        assert!(text.contains("fun eoq(\n    fixedCost: Double,"));
    }
}
