//! The Python binding's method surface, generated from the contract model: every command
//! and query as a method of `stockbook.Stockbook` (the class `Surface` the package's handle
//! derives from), every record of the contract as a frozen, hashable dataclass, every enum
//! as a `Literal`, every planning function as a module-level function; all with their
//! docstrings and annotations (mypy --strict and stubtest read them inline: no stub file).
//!
//! The conversions are the runtime's (`stockbook/_runtime.py`, written once): the code
//! written here only names, per field, the conversion of its type. What is Python's own
//! spelling of the contract is in the small tables below (a method renamed where two
//! operations share a name, positional parameters in the order Python callers have always
//! used, the keyword of a choice's variant).

use std::fmt::Write as _;

use crate::model::{Contract, Field, Op, OpKind, Payload, Ty, TypeDef, Variant, pascal};

/// The generated module, relative to the workspace root.
pub const PATH: &str = "bindings/python/python/stockbook/_surface.py";

/// Python method names where the operation's own name is taken: `transfer` is the query.
const METHOD_NAMES: &[(OpKind, &str, &str)] = &[(OpKind::Command, "transfer", "transfer_stock")];

/// Operations a hand-written method answers instead (the lazy event iterator).
const HAND_WRITTEN: &[(OpKind, &str)] = &[(OpKind::Query, "events")];

/// Positional parameters, where Python callers have always passed them in another order
/// than the contract's required fields (or passed an optional one by position too).
const POSITIONAL: &[(&str, &[&str])] = &[
    ("reserve", &["sku", "scope", "qty"]),
    ("commit_reservation", &["reservation_id", "qty"]),
    ("release_reservation", &["reservation_id", "qty"]),
    ("allocate_orders", &["order_ids"]),
    ("fill_backorders", &["sku"]),
    ("orders", &["state"]),
    ("backorders", &["sku"]),
    ("lead_time_stats", &["supplier", "sku"]),
];

/// The keyword of a choice's variant where its tag reads badly as a keyword.
const VARIANT_KEYWORDS: &[(&str, &str, &str)] = &[("AsOf", "time", "at")];

/// The core's declaration order of a record's fields, where Python shows it (a record's
/// `repr`, a tuple given for a record): the schema keeps the order of required fields only
/// (optional ones come sorted by name).
const FIELD_ORDER: &[(&str, &[&str])] = &[
    (
        "Item",
        &[
            "sku",
            "name",
            "unit",
            "decimals",
            "tracking",
            "shelf_life_days",
            "conversions",
            "allow_negative",
            "category",
            "attributes",
            "archived",
            "dimensions",
            "weight_g",
        ],
    ),
    (
        "NewPurchaseOrderLine",
        &["sku", "qty", "unit", "unit_cost", "currency"],
    ),
];

/// Methods a record has in Python beyond its fields.
const EXTRA_METHODS: &[(&str, &str)] = &[
    (
        "IntegrityReport",
        "    def is_sound(self) -> bool:\n        \"\"\"Whether verification found no problem.\"\"\"\n        return not self.problems\n",
    ),
    (
        "DemandHistory",
        "    def series(self) -> List[float]:\n        \"\"\"The demand of each period as floats: the series the forecasting functions take.\"\"\"\n        return [float(p.demand) for p in self.periods]\n",
    ),
];

/// Python's reserved words: a field so named gets a trailing underscore (`from_`).
const KEYWORDS: &[&str] = &[
    "False", "None", "True", "and", "as", "assert", "async", "await", "break", "class", "continue",
    "def", "del", "elif", "else", "except", "finally", "for", "from", "global", "if", "import",
    "in", "is", "lambda", "nonlocal", "not", "or", "pass", "raise", "return", "try", "while",
    "with", "yield",
];

/// The fields of `Meta`, every command's keywords.
const META: &[&str] = &["key", "actor", "correlation", "reason", "effective_at"];

/// The module's text.
pub fn render(contract: &Contract, generated_by: &str) -> String {
    let g = Gen { contract };
    let mut out = String::new();
    let _ = writeln!(out, "# {generated_by}");
    out.push_str(PRELUDE);
    g.aliases(&mut out);
    g.records(&mut out);
    g.unions(&mut out);
    g.surface(&mut out);
    g.calculations(&mut out);
    g.argument_types(&mut out);
    g.error_docs(&mut out);
    g.command_names(&mut out);
    g.all(&mut out);
    out
}

const PRELUDE: &str = r#""""The generated surface of the Stockbook handle, its records and the planning functions.

Import ``stockbook``, not this module: the package re-exports what is public here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from typing import (
    TYPE_CHECKING,
    Any,
    ClassVar,
    Dict,
    List,
    Literal,
    Mapping,
    Optional,
    Sequence,
    Tuple,
    TypedDict,
    Union,
)

from . import _runtime as _rt
from ._runtime import Number, Quantity
from ._stockbook import _calculate
"#;

/// An operation's parameters as Python takes them.
struct Params {
    /// The signature's parts after `self`.
    sig: Vec<String>,
    /// The lines building the wire arguments `a`.
    body: Vec<String>,
    /// Each argument's name and doc.
    docs: Vec<(String, String)>,
    /// Wire paths a refusal may name, with the keyword the caller gave (`"as_of.seq": "seq"`).
    respell: Vec<String>,
}

struct Gen<'a> {
    contract: &'a Contract,
}

/// The Python name of a field: a reserved word gets a trailing underscore; an instant or a
/// duration drops the `_ms` of its wire name (it is a datetime or a timedelta here).
fn py_name(field: &Field) -> String {
    let mut name = field.name.clone();
    if let Some(stem) = name.strip_suffix("_ms")
        && matches!(base(&field.ty), Ty::Millis | Ty::Instant)
    {
        name = stem.to_owned();
    }
    if KEYWORDS.contains(&name.as_str()) {
        name.push('_');
    }
    name
}

/// A type without its `Optional`.
fn base(ty: &Ty) -> &Ty {
    match ty {
        Ty::Optional(inner) => base(inner),
        other => other,
    }
}

/// A docstring's text: indented, with no closing quotes inside.
fn doc_lines(text: &str, indent: &str) -> String {
    let text = text.trim().replace('\\', "\\\\").replace("\"\"\"", "'''");
    let mut out = String::new();
    for (i, line) in text.lines().enumerate() {
        if i > 0 {
            out.push('\n');
            if !line.trim().is_empty() {
                out.push_str(indent);
            }
        }
        out.push_str(line.trim_end());
    }
    out
}

fn py_str(text: &str) -> String {
    format!("{text:?}")
}

/// A JSON default as a Python literal, when it is a scalar.
fn literal(value: &serde_json::Value) -> Option<String> {
    use serde_json::Value as V;
    match value {
        V::Bool(true) => Some("True".to_owned()),
        V::Bool(false) => Some("False".to_owned()),
        V::Number(n) => Some(n.to_string()),
        V::String(s) => Some(py_str(s)),
        _ => None,
    }
}

impl Gen<'_> {
    fn def(&self, name: &str) -> Option<&TypeDef> {
        self.contract.types.get(name)
    }

    /// A named alias resolved to its type.
    fn resolve<'t>(&'t self, ty: &'t Ty) -> &'t Ty {
        if let Ty::Named(name) = ty
            && let Some(TypeDef::Alias { ty: inner, .. }) = self.def(name)
            && !matches!(inner, Ty::Json)
        {
            return self.resolve(inner);
        }
        ty
    }

    /// A choice of facts (`Event`): externally tagged, some variants carrying a named
    /// record. Each variant with fields of its own gets a record class named after it
    /// (`ItemArchived`), and a record field holding the choice reads as two attributes:
    /// `type` (the variant's tag) and `data` (its record).
    fn record_union(&self, ty: &Ty) -> Option<&[Variant]> {
        let Ty::Named(name) = ty else { return None };
        match self.def(name) {
            Some(TypeDef::Union {
                tag: None,
                variants,
                ..
            }) if variants.iter().any(|v| {
                matches!(&v.payload, Payload::Value(Ty::Named(n))
                        if matches!(self.def(n), Some(TypeDef::Record { .. })))
            }) =>
            {
                Some(variants)
            }
            _ => None,
        }
    }

    /// The records of a record union's payloads (for the `data` annotation).
    fn payload_classes(variants: &[Variant]) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for v in variants {
            let class = match &v.payload {
                Payload::Value(Ty::Named(n)) => n.clone(),
                Payload::Fields(_) => pascal(&v.name),
                _ => continue,
            };
            if !out.contains(&class) {
                out.push(class);
            }
        }
        out
    }

    // ---- annotations --------------------------------------------------------------------

    /// The annotation of a value the caller gives.
    fn ann_in(&self, ty: &Ty) -> String {
        match self.resolve(ty) {
            Ty::Str => "str".into(),
            Ty::Bool => "bool".into(),
            Ty::Int { .. } => "int".into(),
            Ty::Float => "Number".into(),
            Ty::Qty => "Quantity".into(),
            Ty::Instant => "datetime".into(),
            Ty::Millis => "timedelta".into(),
            Ty::Json | Ty::Unit => "Any".into(),
            Ty::Named(name) if name == "Qty" => "Quantity".into(),
            Ty::Named(name) => match self.def(name) {
                Some(TypeDef::Record { .. }) => format!("_{name}Arg"),
                Some(_) => name.clone(),
                None => "Any".into(),
            },
            Ty::List(inner) => match self.pair_record(inner) {
                Some((_, _, v)) => format!(
                    "Union[Sequence[{}], Mapping[str, {}]]",
                    self.ann_in(inner),
                    self.ann_in(v)
                ),
                None => format!("Sequence[{}]", self.ann_in(inner)),
            },
            Ty::Map(inner) => format!("Mapping[str, {}]", self.ann_in(inner)),
            Ty::Optional(inner) => format!("Optional[{}]", self.ann_in(inner)),
        }
    }

    /// The annotation of a value the caller gets.
    fn ann_out(&self, ty: &Ty) -> String {
        match self.resolve(ty) {
            Ty::Str => "str".into(),
            Ty::Bool => "bool".into(),
            Ty::Int { .. } => "int".into(),
            Ty::Float => "float".into(),
            Ty::Qty => "Decimal".into(),
            Ty::Instant => "datetime".into(),
            Ty::Millis => "timedelta".into(),
            Ty::Json => "Any".into(),
            Ty::Unit => "None".into(),
            Ty::Named(name) if name == "Qty" => "Decimal".into(),
            Ty::Named(name) if name == "Error" => "_rt.StockbookError".into(),
            Ty::Named(name) => match self.def(name) {
                Some(TypeDef::Record { .. } | TypeDef::Enum { .. }) => name.clone(),
                _ => "Any".into(),
            },
            Ty::List(inner) => format!("Tuple[{}, ...]", self.ann_out(inner)),
            Ty::Map(inner) => format!("Mapping[str, {}]", self.ann_out(inner)),
            Ty::Optional(inner) => format!("Optional[{}]", self.ann_out(inner)),
        }
    }

    /// A record of two fields (a unit and its factor): a list of them may be given as a
    /// mapping from the first to the second (`{"box": 12}`).
    fn pair_record<'t>(&'t self, ty: &'t Ty) -> Option<(&'t str, &'t Ty, &'t Ty)> {
        let Ty::Named(name) = ty else { return None };
        match self.def(name) {
            Some(TypeDef::Record { fields, .. })
                if fields.len() == 2 && fields[0].ty == Ty::Str && fields[1].required =>
            {
                Some((name, &fields[0].ty, &fields[1].ty))
            }
            _ => None,
        }
    }

    // ---- conversions ---------------------------------------------------------------------

    /// Whether a value of `ty` needs converting on its way in.
    fn needs_in(&self, ty: &Ty) -> bool {
        match self.resolve(ty) {
            Ty::Float | Ty::Qty | Ty::Instant | Ty::Millis | Ty::List(_) => true,
            Ty::Named(name) if name == "Qty" => true,
            Ty::Named(name) => match self.def(name) {
                Some(TypeDef::Record { .. }) => true,
                // A bare name of a variant with settings takes the defaults (`"fefo"`).
                Some(TypeDef::Union {
                    tag: None,
                    variants,
                    ..
                }) => variants.iter().any(|v| match &v.payload {
                    Payload::Unit => false,
                    Payload::Fields(_) => true,
                    Payload::Value(ty) => self.needs_in(ty),
                }),
                _ => false,
            },
            Ty::Map(inner) | Ty::Optional(inner) => self.needs_in(inner),
            _ => false,
        }
    }

    /// The expression converting `src` (a caller's value of `ty`) to its wire form; `field`
    /// names it in a refusal; `depth` keeps comprehension variables apart.
    fn conv_in(&self, ty: &Ty, src: &str, field: &str, depth: usize) -> String {
        if !self.needs_in(ty) {
            return src.to_owned();
        }
        let f = py_str(field);
        match self.resolve(ty) {
            Ty::Float => format!("_rt.number_in({src}, {f})"),
            Ty::Qty => format!("_rt.qty_in({src}, {f})"),
            Ty::Named(name) if name == "Qty" => format!("_rt.qty_in({src}, {f})"),
            Ty::Instant => format!("_rt.instant_in({src}, {f})"),
            Ty::Millis => format!("_rt.millis_in({src}, {f})"),
            Ty::Named(name) => format!("_in_{name}({src}, {f})"),
            Ty::List(inner) => {
                let x = format!("x{depth}");
                let seq = if self.pair_record(inner).is_some() {
                    format!("_rt.pairs({src}, {f})")
                } else {
                    format!("_rt.seq({src}, {f})")
                };
                if self.needs_in(inner) {
                    let item = self.conv_in(inner, &x, field, depth + 1);
                    format!("[{item} for {x} in {seq}]")
                } else {
                    seq
                }
            }
            Ty::Map(inner) => {
                let (k, v) = (format!("k{depth}"), format!("v{depth}"));
                let item = self.conv_in(inner, &v, field, depth + 1);
                format!("{{{k}: {item} for {k}, {v} in {src}.items()}}")
            }
            Ty::Optional(inner) => {
                let inner = self.conv_in(inner, src, field, depth);
                format!("(None if {src} is None else {inner})")
            }
            _ => src.to_owned(),
        }
    }

    /// The expression converting `src` (a wire value of `ty`) to what the caller gets, or
    /// `None` where the wire value is it already.
    fn conv_out(&self, ty: &Ty, src: &str, depth: usize) -> Option<String> {
        match self.resolve(ty) {
            Ty::Qty => Some(format!("_rt.qty_out({src})")),
            Ty::Named(name) if name == "Qty" => Some(format!("_rt.qty_out({src})")),
            Ty::Instant => Some(format!("_rt.instant_out({src})")),
            Ty::Millis => Some(format!("_rt.millis_out({src})")),
            Ty::Json => Some(format!("_rt.frozen({src})")),
            // An error an answer carries is the exception of its code (not raised).
            Ty::Named(name) if name == "Error" => Some(format!("_rt.error_out({src})")),
            Ty::Named(name) => match self.def(name) {
                Some(TypeDef::Record { .. }) => Some(format!("{name}._from_wire({src})")),
                Some(TypeDef::Union { .. }) => Some(format!("_out_{name}({src})")),
                _ => None,
            },
            Ty::List(inner) => {
                let x = format!("x{depth}");
                Some(match self.conv_out(inner, &x, depth + 1) {
                    Some(item) => format!("tuple([{item} for {x} in {src}])"),
                    None => format!("tuple({src})"),
                })
            }
            Ty::Map(inner) => {
                let (k, v) = (format!("k{depth}"), format!("v{depth}"));
                Some(match self.conv_out(inner, &v, depth + 1) {
                    Some(item) => {
                        format!("_rt.FrozenDict({{{k}: {item} for {k}, {v} in {src}.items()}})")
                    }
                    None => format!("_rt.FrozenDict({src})"),
                })
            }
            Ty::Optional(inner) => {
                let x = format!("x{depth}");
                self.conv_out(inner, &x, depth + 1).map(|e| {
                    match e.strip_suffix(&format!("({x})")) {
                        Some(f) if !f.contains('(') => format!("_rt.opt({f}, {src})"),
                        _ => format!("_rt.opt(lambda {x}: {e}, {src})"),
                    }
                })
            }
            _ => None,
        }
    }

    fn out_or_same(&self, ty: &Ty, src: &str) -> String {
        self.conv_out(ty, src, 0).unwrap_or_else(|| src.to_owned())
    }

    // ---- module parts --------------------------------------------------------------------

    /// Enums as `Literal`s, choices (unions) as what a caller may give.
    fn aliases(&self, out: &mut String) {
        out.push_str("\n# ---- enums ----\n");
        for (name, def) in &self.contract.types {
            if let TypeDef::Enum { doc, values } = def {
                let values: Vec<String> = values.iter().map(|(v, _)| py_str(v)).collect();
                let _ = writeln!(out, "\n{name} = Literal[{}]", values.join(", "));
                if !doc.is_empty() {
                    let _ = writeln!(out, "\"\"\"{}\"\"\"", doc_lines(doc, ""));
                }
            }
        }
    }

    /// What a caller may give for a record or a choice, for type checkers only (a
    /// `TYPE_CHECKING` block: the names may refer to one another in any order): per record
    /// `_XArg` (the record, a mapping of its fields, a tuple of them in order, or a number
    /// for a record of one required number), per choice a `TypedDict` of each variant with
    /// settings and the choice's alias.
    fn argument_types(&self, out: &mut String) {
        out.push_str("\n\nif TYPE_CHECKING:\n    # ---- what a caller may give for a record or a choice ----\n");
        for (name, _, fields) in self.record_defs() {
            let mut parts = vec![name.clone(), "Mapping[str, Any]".to_owned()];
            let required = fields.iter().take_while(|f| f.required).count();
            if fields.len() <= 6 {
                for len in required.max(1)..=fields.len() {
                    let types: Vec<String> = fields[..len]
                        .iter()
                        .map(|f| {
                            let ann = self.ann_in(&f.ty);
                            if f.required || ann.starts_with("Optional[") {
                                ann
                            } else {
                                format!("Optional[{ann}]")
                            }
                        })
                        .collect();
                    parts.push(format!("Tuple[{}]", types.join(", ")));
                }
            }
            if required == 1
                && matches!(
                    self.resolve(&fields[0].ty),
                    Ty::Float | Ty::Int { .. } | Ty::Qty
                )
            {
                parts.push(self.ann_in(&fields[0].ty));
            }
            let parts: Vec<String> = parts.iter().map(|p| py_str(p)).collect();
            let _ = writeln!(out, "    _{name}Arg = Union[{}]", parts.join(", "));
        }
        for (name, def) in &self.contract.types {
            let TypeDef::Union { doc, variants, tag } = def else {
                continue;
            };
            let mut parts = Vec::new();
            let names: Vec<String> = variants
                .iter()
                .filter(|v| !matches!(v.payload, Payload::Value(_)))
                .map(|v| py_str(&v.name))
                .collect();
            if !names.is_empty() {
                parts.push(format!("Literal[{}]", names.join(", ")));
            }
            if tag.is_some() {
                parts.push("Mapping[str, Any]".to_owned());
            } else {
                for v in variants {
                    let form = format!("_{name}{}", pascal(&v.name));
                    let payload = match &v.payload {
                        Payload::Unit => continue,
                        Payload::Value(ty) => self.ann_in(ty),
                        Payload::Fields(fields) => {
                            let settings: Vec<String> = fields
                                .iter()
                                .map(|f| {
                                    format!("{}: {}", py_str(&f.name), py_str(&self.ann_in(&f.ty)))
                                })
                                .collect();
                            let _ = writeln!(
                                out,
                                "    {form}Settings = TypedDict({}, {{{}}}, total=False)",
                                py_str(&format!("{form}Settings")),
                                settings.join(", ")
                            );
                            format!("{form}Settings")
                        }
                    };
                    let _ = writeln!(
                        out,
                        "    {form} = TypedDict({}, {{{}: {}}})",
                        py_str(&form),
                        py_str(&v.name),
                        py_str(&payload)
                    );
                    parts.push(form);
                }
            }
            let parts: Vec<String> = parts.iter().map(|p| py_str(p)).collect();
            let ann = format!("Union[{}]", parts.join(", "));
            let forms: Vec<String> = variants.iter().map(variant_form).collect();
            let _ = writeln!(
                out,
                "    # {}",
                doc.trim().lines().next().unwrap_or_default()
            );
            let _ = writeln!(out, "    # One of: {}.", forms.join(", "));
            let _ = writeln!(out, "    {name} = {ann}");
        }
    }

    /// Every record as a frozen dataclass, with its reader from the wire and its writer to it.
    fn records(&self, out: &mut String) {
        out.push_str("\n\n# ---- records ----\n");
        for (name, doc, fields) in self.record_defs() {
            let (name, doc, fields) = (&name, &doc, &fields);
            let _ = writeln!(
                out,
                "\n\n@dataclass(frozen=True)\nclass {name}(_rt.Record):"
            );
            let doc = if doc.is_empty() { name.as_str() } else { doc };
            let _ = writeln!(out, "    \"\"\"{}\"\"\"\n", doc_lines(doc, "    "));
            let names: Vec<String> = fields.iter().map(py_name).collect();
            let attrs: Vec<String> = fields
                .iter()
                .zip(&names)
                .flat_map(|(f, n)| match self.record_union(&f.ty) {
                    Some(_) => vec!["type".to_owned(), "data".to_owned()],
                    None => vec![n.clone()],
                })
                .collect();
            let trailing = if attrs.len() == 1 { "," } else { "" };
            // Slots with their docs: `help()` and `Record.field.__doc__` read them.
            let _ = writeln!(out, "    __slots__ = {{");
            for (field, py) in fields.iter().zip(&names) {
                match self.record_union(&field.ty) {
                    Some(variants) => {
                        let tags: Vec<&str> = variants.iter().map(|v| v.name.as_str()).collect();
                        let _ = writeln!(
                            out,
                            "        \"type\": {},\n        \"data\": {},",
                            py_str(&format!(
                                "What kind of {}: {}.",
                                field.name,
                                tags.join(", ")
                            )),
                            py_str(&format!(
                                "{}: the record of its kind.",
                                field.doc.trim().trim_end_matches('.')
                            ))
                        );
                    }
                    None => {
                        let doc = if field.doc.trim().is_empty() {
                            py
                        } else {
                            field.doc.trim()
                        };
                        let _ = writeln!(out, "        {}: {},", py_str(py), py_str(doc));
                    }
                }
            }
            let _ = writeln!(out, "    }}");
            let wire: Vec<String> = fields
                .iter()
                .zip(&names)
                .filter(|(f, n)| f.name != **n)
                .map(|(f, n)| format!("{}: {}", py_str(n), py_str(&f.name)))
                .collect();
            if !wire.is_empty() {
                let _ = writeln!(
                    out,
                    "    _WIRE: ClassVar[Mapping[str, str]] = {{{}}}",
                    wire.join(", ")
                );
            }
            for (field, py) in fields.iter().zip(&names) {
                if let Some(variants) = self.record_union(&field.ty) {
                    let classes = Self::payload_classes(variants);
                    let _ = writeln!(
                        out,
                        "    type: str\n    data: Union[{}]",
                        classes.join(", ")
                    );
                    continue;
                }
                let _ = writeln!(out, "    {py}: {}", self.ann_out(&Self::field_ty(field)));
            }
            // From the wire.
            let _ = writeln!(
                out,
                "\n    @staticmethod\n    def _from_wire(d: Mapping[str, Any]) -> {name}:"
            );
            let args: Vec<String> = fields
                .iter()
                .flat_map(|f| {
                    let src = Self::wire_get(f);
                    match (self.record_union(&f.ty), &f.ty) {
                        (Some(_), Ty::Named(union)) => {
                            vec![format!("_rt.tag({src})"), format!("_out_{union}({src})")]
                        }
                        _ => vec![self.out_or_same(&Self::field_ty(f), &src)],
                    }
                })
                .collect();
            let _ = writeln!(
                out,
                "        return {name}(\n            {},\n        )",
                args.join(",\n            ")
            );
            for (record, code) in EXTRA_METHODS {
                if record == name {
                    let _ = write!(out, "\n{code}");
                }
            }
            // To the wire.
            let tuple: Vec<String> = names.iter().map(|n| py_str(n)).collect();
            let _ = writeln!(
                out,
                "\n\ndef _in_{name}(value: Any, field: str) -> Dict[str, Any]:\n    \
                 f = dict(_rt.fields_of(value, ({}{trailing}), field))\n    \
                 d: Dict[str, Any] = {{}}",
                tuple.join(", ")
            );
            for (field, py) in fields.iter().zip(&names) {
                let get = if *py == field.name {
                    format!("f.pop({})", py_str(py))
                } else {
                    format!(
                        "f.pop({}) if {} in f else f.pop({}, None)",
                        py_str(py),
                        py_str(py),
                        py_str(&field.name)
                    )
                };
                let get = if *py == field.name {
                    format!("f.pop({}, None)", py_str(py))
                } else {
                    get
                };
                let label = format!("{{field}}.{py}");
                let conv = self.conv_in(base(&field.ty), "v", &label, 1);
                let conv = conv.replace(&py_str(&label), &format!("f\"{label}\""));
                let _ = writeln!(
                    out,
                    "    v = {get}\n    if v is not None:\n        d[{}] = {conv}",
                    py_str(&field.name)
                );
            }
            let _ = writeln!(
                out,
                "    if f:\n        _rt.unknown(f, ({}{trailing}), field)",
                tuple.join(", ")
            );
            for field in fields.iter().filter(|f| f.required) {
                let key = py_str(&field.name);
                let _ = writeln!(
                    out,
                    "    if {key} not in d:\n        _rt.needs(field, {})",
                    py_str(&py_name(field))
                );
            }
            let _ = writeln!(out, "    return d");
        }
    }

    /// A field's type as answers carry it: an optional field without a default that is
    /// not `Optional` may still be absent, so it reads as `Optional`.
    fn field_ty(field: &Field) -> Ty {
        if field.required
            || matches!(field.ty, Ty::Optional(_))
            || field.default.as_ref().is_some_and(|d| !d.is_null())
        {
            field.ty.clone()
        } else {
            Ty::Optional(Box::new(field.ty.clone()))
        }
    }

    /// The expression reading a field from a wire dict `d`.
    fn wire_get(field: &Field) -> String {
        let key = py_str(&field.name);
        if field.required {
            return format!("d[{key}]");
        }
        match field.default.as_ref().filter(|d| !d.is_null()) {
            Some(serde_json::Value::Array(a)) if a.is_empty() => format!("d.get({key}, ())"),
            Some(serde_json::Value::Object(o)) if o.is_empty() => format!("d.get({key}, {{}})"),
            Some(default) => match literal(default) {
                Some(lit) => format!("d.get({key}, {lit})"),
                None => format!("d[{key}]"),
            },
            None => format!("d.get({key})"),
        }
    }

    /// A reader (`_out_X`) and a writer (`_in_X`) for every choice.
    fn unions(&self, out: &mut String) {
        out.push_str("\n\n# ---- choices: readers and writers ----\n");
        for (name, def) in &self.contract.types {
            let TypeDef::Union { tag, variants, .. } = def else {
                continue;
            };
            // Out: the wire form with its values converted: a name, or {tag: payload}.
            let _ = writeln!(out, "\n\ndef _out_{name}(v: Any) -> Any:");
            let _ = writeln!(out, "    if not isinstance(v, dict):\n        return v");
            if let Some(tag) = tag {
                // Internally tagged: {tag: name, fields…}.
                let _ = writeln!(out, "    t = v.get({})", py_str(tag));
                for variant in variants {
                    let fields = self.variant_fields(variant);
                    if fields
                        .iter()
                        .all(|f| self.conv_out(&f.ty, "x", 0).is_none())
                    {
                        continue;
                    }
                    let _ = writeln!(out, "    if t == {}:", py_str(&variant.name));
                    let _ = writeln!(out, "        v = dict(v)");
                    for f in &fields {
                        if let Some(e) = self.conv_out(&f.ty, "x", 1) {
                            let key = py_str(&f.name);
                            let _ = writeln!(
                                out,
                                "        if v.get({key}) is not None:\n            x = v[{key}]\n            v[{key}] = {e}"
                            );
                        }
                    }
                }
                let _ = writeln!(out, "    return _rt.frozen(v)");
            } else if self.record_union(&Ty::Named(name.clone())).is_some() {
                // A fact: its record (the tag is the field's `type`).
                let _ = writeln!(out, "    ((t, p),) = v.items()");
                for variant in variants {
                    let class = match &variant.payload {
                        Payload::Value(Ty::Named(n)) => n.clone(),
                        Payload::Fields(_) => pascal(&variant.name),
                        _ => continue,
                    };
                    let _ = writeln!(
                        out,
                        "    if t == {}:\n        return {class}._from_wire(p)",
                        py_str(&variant.name)
                    );
                }
                let _ = writeln!(out, "    return _rt.frozen(p)");
            } else {
                let _ = writeln!(out, "    ((t, p),) = v.items()");
                for variant in variants {
                    match &variant.payload {
                        Payload::Unit => {}
                        Payload::Value(ty) => {
                            if let Some(e) = self.conv_out(ty, "p", 0) {
                                let _ = writeln!(
                                    out,
                                    "    if t == {}:\n        return _rt.FrozenDict({{t: {e}}})",
                                    py_str(&variant.name)
                                );
                            }
                        }
                        Payload::Fields(fields) => {
                            let conv: Vec<String> = fields
                                .iter()
                                .map(|f| {
                                    let src = format!("p.get({})", py_str(&f.name));
                                    format!(
                                        "{}: {}",
                                        py_str(&f.name),
                                        self.conv_out(
                                            &Ty::Optional(Box::new(f.ty.clone())),
                                            &src,
                                            1
                                        )
                                        .unwrap_or_else(|| format!("_rt.frozen({src})"))
                                    )
                                })
                                .collect();
                            let _ = writeln!(
                                out,
                                "    if t == {}:\n        return _rt.FrozenDict({{t: _rt.FrozenDict({{{}}})}})",
                                py_str(&variant.name),
                                conv.join(", ")
                            );
                        }
                    }
                }
                let _ = writeln!(out, "    return _rt.frozen(v)");
            }
            // In: a name passes; {tag: payload} has its values converted.
            let _ = writeln!(out, "\n\ndef _in_{name}(v: Any, field: str) -> Any:");
            if tag.is_some() {
                let _ = writeln!(out, "    return v");
                continue;
            }
            let with_settings: Vec<String> = variants
                .iter()
                .filter(|v| matches!(v.payload, Payload::Fields(_)))
                .map(|v| py_str(&v.name))
                .collect();
            if !with_settings.is_empty() {
                let trailing = if with_settings.len() == 1 { "," } else { "" };
                let _ = writeln!(
                    out,
                    "    if isinstance(v, str) and v in ({}{trailing}):\n        return {{v: {{}}}}",
                    with_settings.join(", ")
                );
            }
            let _ = writeln!(
                out,
                "    if not isinstance(v, Mapping) or len(v) != 1:\n        return v"
            );
            let _ = writeln!(out, "    ((t, p),) = v.items()");
            for variant in variants {
                match &variant.payload {
                    Payload::Unit => {}
                    Payload::Value(ty) => {
                        if self.needs_in(ty) {
                            let label = format!("{{field}}.{}", variant.name);
                            let conv = self.conv_in(ty, "p", &label, 1);
                            let conv = conv.replace(&py_str(&label), &format!("f\"{label}\""));
                            let _ = writeln!(
                                out,
                                "    if t == {}:\n        return {{t: {conv}}}",
                                py_str(&variant.name)
                            );
                        }
                    }
                    Payload::Fields(fields) => {
                        // A figure inside a choice goes as given: the contract refuses what
                        // is no number, naming its path.
                        let converted: Vec<&Field> = fields
                            .iter()
                            .filter(|f| {
                                self.needs_in(&f.ty)
                                    && !matches!(self.resolve(base(&f.ty)), Ty::Float)
                            })
                            .collect();
                        if converted.is_empty() {
                            continue;
                        }
                        let _ = writeln!(
                            out,
                            "    if t == {} and isinstance(p, Mapping):\n        p = dict(p)",
                            py_str(&variant.name)
                        );
                        for f in converted {
                            let key = py_str(&f.name);
                            let label = format!("{{field}}.{}.{}", variant.name, f.name);
                            let conv = self.conv_in(base(&f.ty), "x", &label, 1);
                            let conv = conv.replace(&py_str(&label), &format!("f\"{label}\""));
                            let _ = writeln!(
                                out,
                                "        if p.get({key}) is not None:\n            x = p[{key}]\n            p[{key}] = {conv}"
                            );
                        }
                        let _ = writeln!(out, "        return {{t: p}}");
                    }
                }
            }
            let _ = writeln!(out, "    return v");
        }
    }

    fn variant_fields(&self, variant: &Variant) -> Vec<Field> {
        match &variant.payload {
            Payload::Fields(fields) => fields.clone(),
            Payload::Value(Ty::Named(name)) => self
                .contract
                .fields(name)
                .map(<[Field]>::to_vec)
                .unwrap_or_default(),
            _ => Vec::new(),
        }
    }

    /// The `Surface` class: every command and query as a method.
    fn surface(&self, out: &mut String) {
        out.push_str(
            "\n\n# ---- the handle's methods ----\n\n\nclass Surface(_rt.BookBase):\n    \
             \"\"\"Every command and query of the book as a method (the handle's lifecycle is\n    \
             ``BookBase``'s). Every command also takes the keywords ``key=`` (an idempotency\n    \
             key: the same key again answers the first outcome and writes nothing),\n    \
             ``actor=``, ``correlation=``, ``reason=`` and ``effective_at=`` (an aware\n    \
             datetime: the business time it takes effect; default now), and answers its\n    \
             receipt.\"\"\"\n\n    __slots__ = ()\n",
        );
        let both: Vec<&str> = self
            .contract
            .commands
            .iter()
            .filter(|c| self.contract.queries.iter().any(|q| q.name == c.name))
            .map(|c| c.name.as_str())
            .collect();
        for op in self.contract.commands.iter().chain(&self.contract.queries) {
            if HAND_WRITTEN.contains(&(op.kind, op.name.as_str())) {
                continue;
            }
            self.method(out, op, both.contains(&op.name.as_str()));
        }
    }

    fn method_name(op: &Op) -> String {
        METHOD_NAMES
            .iter()
            .find(|(kind, name, _)| *kind == op.kind && *name == op.name)
            .map_or_else(|| op.name.clone(), |(_, _, py)| (*py).to_owned())
    }

    /// The parameters of an operation as Python takes them: (signature parts, body lines,
    /// docs of the arguments).
    fn params(&self, op: &Op) -> Params {
        let positional: Vec<String> = match POSITIONAL.iter().find(|(n, _)| *n == op.name) {
            Some((_, names)) => names.iter().map(|n| (*n).to_owned()).collect(),
            None => op
                .params
                .iter()
                .filter(|f| f.required && self.flattened(f).is_none())
                .map(|f| f.name.clone())
                .collect(),
        };
        let by_name = |n: &str| op.params.iter().find(|f| f.name == n);
        let mut sig = Vec::new();
        let mut body = Vec::new();
        let mut literal_entries = Vec::new();
        let mut respell = Vec::new();
        let mut docs = Vec::new();
        let mut ordered: Vec<&Field> = positional.iter().filter_map(|n| by_name(n)).collect();
        let mut keyword_only: Vec<&Field> = op
            .params
            .iter()
            .filter(|f| !positional.contains(&f.name))
            .collect();
        // Required keywords first, as Python wants no default before a default.
        keyword_only.sort_by_key(|f| !f.required);
        let star_at = ordered.len();
        ordered.append(&mut keyword_only);
        for (i, field) in ordered.iter().enumerate() {
            if i == star_at {
                sig.push("*".to_owned());
            }
            let py = py_name(field);
            if let Some(variants) = self.flattened(field) {
                // A required choice of one value among several: one keyword each, exactly
                // one given.
                let mut pairs = Vec::new();
                for (variant, ty) in &variants {
                    let kw = variant_keyword(field, variant);
                    sig.push(format!("{kw}: Optional[{}] = None", self.ann_in(ty)));
                    let conv = self.conv_in(ty, &kw, &kw, 0);
                    pairs.push(format!(
                        "({}, {}, None if {kw} is None else {conv})",
                        py_str(&kw),
                        py_str(variant)
                    ));
                    respell.push(format!(
                        "{}: {}",
                        py_str(&format!("{}.{variant}", field.name)),
                        py_str(&kw)
                    ));
                    docs.push((kw, format!("{} (give exactly one)", field.doc.trim())));
                }
                literal_entries.push(format!(
                    "{}: _rt.one_of({}, [{}])",
                    py_str(&field.name),
                    py_str(&py),
                    pairs.join(", ")
                ));
                continue;
            }
            let required = field.required;
            let default_lit = field
                .default
                .as_ref()
                .filter(|_| !matches!(field.ty, Ty::Optional(_)))
                .and_then(literal);
            let ann = self.ann_in(&field.ty);
            let conv = self.conv_in(base(&field.ty), &py, &py, 0);
            let key = py_str(&field.name);
            if required {
                sig.push(format!("{py}: {ann}"));
                literal_entries.push(format!("{key}: {conv}"));
            } else if let Some(lit) = default_lit {
                // None is absent, as for every optional parameter: the core's default.
                sig.push(format!("{py}: Optional[{ann}] = {lit}"));
                body.push(format!(
                    "if {py} is not None:\n            a[{key}] = {conv}"
                ));
            } else {
                let ann = if ann.starts_with("Optional[") {
                    ann
                } else {
                    format!("Optional[{ann}]")
                };
                sig.push(format!("{py}: {ann} = None"));
                body.push(format!(
                    "if {py} is not None:\n            a[{key}] = {conv}"
                ));
            }
            docs.push((py, self.arg_doc(field)));
        }
        if op.kind == OpKind::Command {
            if sig.len() == star_at {
                sig.push("*".to_owned());
            }
            for name in META {
                let ann = if *name == "effective_at" {
                    "datetime"
                } else {
                    "str"
                };
                sig.push(format!("{name}: Optional[{ann}] = None"));
            }
        }
        if sig.last().is_some_and(|s| s == "*") {
            sig.pop();
        }
        body.insert(
            0,
            format!("a: Dict[str, Any] = {{{}}}", literal_entries.join(", ")),
        );
        Params {
            sig,
            body,
            docs,
            respell,
        }
    }

    /// An argument's doc; a choice's also lists its forms.
    fn arg_doc(&self, field: &Field) -> String {
        let mut doc = field.doc.trim().to_owned();
        if matches!(self.resolve(base(&field.ty)), Ty::Millis) {
            // The wire counts milliseconds; Python gives a timedelta.
            doc = doc.replace(" in milliseconds", "");
            doc = format!("{} (a `timedelta`).", doc.trim_end_matches('.'));
        }
        if let Ty::Named(name) = base(&field.ty)
            && let Some(TypeDef::Union {
                variants,
                tag: None,
                ..
            }) = self.def(name)
        {
            let forms: Vec<String> = variants.iter().map(variant_form).collect();
            let _ = write!(doc, " One of: {}.", forms.join(", "));
        }
        doc
    }

    /// The variants of a required choice whose every variant is one value (`AsOf`): Python
    /// takes one keyword per variant.
    fn flattened(&self, field: &Field) -> Option<Vec<(String, Ty)>> {
        let Ty::Named(name) = &field.ty else {
            return None;
        };
        let Some(TypeDef::Union {
            tag: None,
            variants,
            ..
        }) = self.def(name)
        else {
            return None;
        };
        if !field.required {
            return None;
        }
        variants
            .iter()
            .map(|v| match &v.payload {
                Payload::Value(ty) if !matches!(ty, Ty::Named(_)) => {
                    Some((v.name.clone(), ty.clone()))
                }
                _ => None,
            })
            .collect()
    }

    fn method(&self, out: &mut String, op: &Op, both: bool) {
        let name = Self::method_name(op);
        let Params {
            sig,
            body,
            docs,
            respell,
        } = self.params(op);
        let ret = self.ann_answer(&op.answer);
        let mut parts = vec!["self".to_owned()];
        parts.extend(sig);
        let _ = writeln!(
            out,
            "\n    def {name}(\n        {},\n    ) -> {ret}:",
            parts.join(",\n        ")
        );
        let _ = writeln!(
            out,
            "        \"\"\"{}\"\"\"",
            doc_lines(&op_doc(op, &docs), "        ")
        );
        for line in body {
            let _ = writeln!(out, "        {line}");
        }
        let call = match op.kind {
            OpKind::Command => format!(
                "self._command({}, a, _rt.meta(key, actor, correlation, reason, effective_at))",
                py_str(&op.name)
            ),
            _ if both => format!("self._query({}, a, \"query\")", py_str(&op.name)),
            _ => format!("self._query({}, a)", py_str(&op.name)),
        };
        let mut answer = self.answer(&op.answer, &call);
        if answer == call {
            // The wire value is the answer: typed through a local (the entry answers Any).
            let _ = writeln!(out, "        r: {ret} = {call}");
            "r".clone_into(&mut answer);
        }
        if respell.is_empty() {
            let _ = writeln!(out, "        return {answer}");
        } else {
            // The core names the variant's path (`as_of.seq`); the caller gave a keyword.
            let _ = writeln!(
                out,
                "        try:\n            return {answer}\n        except _rt.InvalidArgument as e:\n            raise _rt.respelled(e, {{{}}}) from None",
                respell.join(", ")
            );
        }
    }

    /// A method's answer: a list is the caller's own (`list`); lists inside records are
    /// tuples, so that records hash.
    fn answer(&self, ty: &Ty, call: &str) -> String {
        if let Ty::List(inner) = self.resolve(ty) {
            return match self.conv_out(inner, "x", 1) {
                Some(item) => format!("[{item} for x in {call}]"),
                None => format!("list({call})"),
            };
        }
        self.out_or_same(ty, call)
    }

    fn ann_answer(&self, ty: &Ty) -> String {
        match self.resolve(ty) {
            Ty::List(inner) => format!("List[{}]", self.ann_out(inner)),
            _ => self.ann_out(ty),
        }
    }

    /// The planning functions, module-level.
    fn calculations(&self, out: &mut String) {
        out.push_str("\n\n# ---- planning functions ----\n");
        for op in &self.contract.calculations {
            let Params {
                sig, body, docs, ..
            } = self.params(op);
            let ret = self.ann_out(&op.answer);
            let _ = writeln!(
                out,
                "\n\ndef {}(\n    {},\n) -> {ret}:",
                op.name,
                sig.join(",\n    ")
            );
            let _ = writeln!(
                out,
                "    \"\"\"{}\"\"\"",
                doc_lines(&op_doc(op, &docs), "    ")
            );
            for line in body {
                let _ = writeln!(out, "    {}", line.replace("\n            ", "\n        "));
            }
            let call = format!("_calculate({}, a)", py_str(&op.name));
            let answer = self.out_or_same(&op.answer, &call);
            if answer == call {
                let _ = writeln!(out, "    r: {ret} = {call}\n    return r");
            } else {
                let _ = writeln!(out, "    return {answer}");
            }
        }
    }
}

impl Gen<'_> {
    /// Every record class: the contract's records, then the classes of the variants of
    /// record unions.
    fn record_defs(&self) -> Vec<(String, String, Vec<Field>)> {
        let mut out: Vec<(String, String, Vec<Field>)> = Vec::new();
        for (name, def) in &self.contract.types {
            if let TypeDef::Record { doc, fields } = def {
                let mut fields = fields.clone();
                if let Some((_, order)) = FIELD_ORDER.iter().find(|(n, _)| n == name) {
                    fields.sort_by_key(|f| order.iter().position(|o| *o == f.name));
                }
                out.push((name.clone(), doc.clone(), fields));
            }
        }
        for name in self.contract.types.keys() {
            let Some(variants) = self.record_union(&Ty::Named(name.clone())) else {
                continue;
            };
            for v in variants {
                if let Payload::Fields(fields) = &v.payload {
                    out.push((pascal(&v.name), v.doc.clone(), fields.clone()));
                }
            }
        }
        out
    }

    /// The docstring of each exception class (named as the error's variant), from the
    /// core's docs: the package gives them to the classes the native module creates.
    fn error_docs(&self, out: &mut String) {
        let Some(TypeDef::Union { variants, .. }) = self.def("Error") else {
            return;
        };
        out.push_str("\n\n#: The docstring of each exception class, from the core's error docs.\n");
        out.push_str("ERROR_DOCS: Dict[str, str] = {\n");
        for v in variants {
            let _ = writeln!(out, "    {}: {},", py_str(&v.name), py_str(v.doc.trim()));
        }
        out.push_str("}\n");
    }

    /// The names of the write methods: what a batch may name.
    fn command_names(&self, out: &mut String) {
        out.push_str("\n\n#: The write methods of the handle: the commands a batch may name.\nCOMMANDS = frozenset({\n");
        for op in &self.contract.commands {
            let _ = writeln!(out, "    {},", py_str(&Self::method_name(op)));
        }
        out.push_str("})\n");
    }

    /// `__all__`: the public names, which the package re-exports.
    fn all(&self, out: &mut String) {
        // A type named as an exception class (`Tracking`) stays in this module: the
        // package's name is the exception's.
        let errors: Vec<String> = match self.def("ErrorCode") {
            Some(TypeDef::Enum { values, .. }) => values.iter().map(|(v, _)| pascal(v)).collect(),
            _ => Vec::new(),
        };
        // The enums and choices are annotations (``stockbook._surface.Strategy``): not
        // exported, as a `Literal` is no class.
        let records: Vec<String> = self.record_defs().into_iter().map(|(n, _, _)| n).collect();
        let mut names: Vec<&str> = records
            .iter()
            .map(String::as_str)
            .filter(|name| !errors.iter().any(|e| e == name))
            .collect();
        names.extend(self.contract.calculations.iter().map(|op| op.name.as_str()));
        names.sort_unstable();
        let _ = writeln!(out, "\n\n__all__ = [");
        for name in names {
            let _ = writeln!(out, "    {},", py_str(name));
        }
        out.push_str("]\n");
    }
}

/// The keyword of a flattened choice's variant.
fn variant_keyword(field: &Field, variant: &str) -> String {
    let _ = field;
    VARIANT_KEYWORDS
        .iter()
        .find(|(_, v, _)| *v == variant)
        .map_or_else(|| variant.to_owned(), |(_, _, kw)| (*kw).to_owned())
}

/// An operation's docstring: its doc, then its arguments.
fn op_doc(op: &Op, args: &[(String, String)]) -> String {
    let mut text = op.doc.trim().to_owned();
    if text.is_empty() {
        text = pascal(&op.name);
    }
    let documented: Vec<&(String, String)> = args.iter().filter(|(_, d)| !d.is_empty()).collect();
    if !documented.is_empty() {
        text.push_str("\n\nArgs:");
        for (name, doc) in documented {
            let doc = doc.trim().replace('\n', " ");
            let _ = write!(text, "\n    {name}: {doc}");
        }
    }
    text
}

/// How a caller writes a choice's variant.
fn variant_form(variant: &Variant) -> String {
    match &variant.payload {
        Payload::Unit => format!("``{:?}``", variant.name),
        Payload::Fields(fields) => {
            let names: Vec<String> = fields.iter().map(|f| format!("{:?}: …", f.name)).collect();
            format!("``{{{:?}: {{{}}}}}``", variant.name, names.join(", "))
        }
        Payload::Value(_) => format!("``{{{:?}: …}}``", variant.name),
    }
}
