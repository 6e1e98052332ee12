//! Value types of the domain: codes, exact quantities, timestamps and the master data
//! records (items, locations, lots).
//!
//! These are plain data. Rules that need the engine's state (does the parent exist, is
//! the location empty) live in the ledger; rules of the value alone live here.

mod bucket;
pub mod order;
pub mod purchase_order;
mod qty;
pub mod reservation;
pub mod strategy;

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

pub use bucket::Bucket;
pub(crate) use bucket::civil_from_days;
pub use qty::{MAX_ITEM_DECIMALS, MAX_SCALE, Qty};

use crate::error::{EntityKind, Error, Result};
use crate::setters::setters;

pub use crate::limits::{CODE_LEN_MAX, TEXT_LEN_MAX};

/// An instant: milliseconds since the Unix epoch, UTC.
pub type Timestamp = i64;

/// The contract's schema of a [`Timestamp`]: the named definition `Instant`, so that every
/// binding's generator knows an instant from any other integer (an aware datetime in
/// Python, a `Date` in Node, an `Instant` in Kotlin). Used as `#[schemars(with = …)]` on
/// every field that holds one; it is never a value.
pub struct InstantSchema;

impl schemars::JsonSchema for InstantSchema {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Instant".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "description": "An instant: milliseconds since the Unix epoch, UTC.",
            "type": "integer",
            "format": "int64",
        })
    }
}

/// The contract's schema of a duration in milliseconds: the named definition `Millis` (a
/// `timedelta` in Python, a `Duration` in Kotlin). Used as `#[schemars(with = …)]`.
pub struct MillisSchema;

impl schemars::JsonSchema for MillisSchema {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Millis".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "description": "A duration in milliseconds.",
            "type": "integer",
            "format": "int64",
        })
    }
}

/// Milliseconds in a day.
pub const DAY_MS: i64 = 86_400_000;

/// Checks that `code` is usable as a key: not empty, not too long, no control characters,
/// no surrounding white space.
pub fn validate_code(kind: &str, code: &str) -> Result<()> {
    let refuse = |reason: &str| Error::InvalidCode {
        kind: kind.to_owned(),
        code: code.chars().take(64).collect(),
        reason: reason.to_owned(),
    };
    if code.is_empty() {
        return Err(refuse("is empty"));
    }
    if code.len() > CODE_LEN_MAX {
        return Err(refuse(&format!("is longer than {CODE_LEN_MAX} bytes")));
    }
    if code.chars().any(char::is_control) {
        return Err(refuse("contains a control character"));
    }
    if code.trim() != code {
        return Err(refuse("has leading or trailing white space"));
    }
    Ok(())
}

/// Checks free text: bounded length, no control characters other than tab and newline.
pub fn validate_text(field: &str, text: &str) -> Result<()> {
    if text.len() > TEXT_LEN_MAX {
        return Err(Error::limit_exceeded(field, TEXT_LEN_MAX));
    }
    if text
        .chars()
        .any(|c| c.is_control() && c != '\n' && c != '\t')
    {
        return Err(Error::invalid_argument(
            field,
            "contains a control character",
        ));
    }
    Ok(())
}

/// How an item's units are told apart.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize, schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Tracking {
    /// Interchangeable units.
    #[default]
    None,
    /// Every movement names a lot (batch), which may carry an expiry.
    Lot,
    /// Every unit has a serial number; quantities are whole.
    Serial,
}

/// An alternative unit of an item: `1 unit = factor × base unit` (1 box = 12 ea).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct UnitConversion {
    /// The alternative unit's name (`box`).
    pub unit: String,
    /// How many base units one of it holds; exact and positive.
    pub factor: Qty,
}

impl UnitConversion {
    /// A new `UnitConversion` of `unit`, `factor`; every other field takes its default.
    #[must_use]
    pub fn new(unit: impl Into<String>, factor: impl Into<Qty>) -> UnitConversion {
        UnitConversion {
            unit: unit.into(),
            factor: factor.into(),
        }
    }
}

/// An item (SKU) as defined or last updated.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct Item {
    /// The unique code.
    pub sku: String,
    /// A human name.
    #[serde(default)]
    pub name: String,
    /// The base unit of measure (`ea`, `kg`).
    #[serde(default = "default_unit")]
    pub unit: String,
    /// The precision of its quantities: 0..=6 fractional digits of the base unit.
    #[serde(default)]
    pub decimals: u8,
    /// How units are told apart.
    #[serde(default)]
    pub tracking: Tracking,
    /// Shelf life in days from production, if the item perishes.
    #[serde(default)]
    pub shelf_life_days: Option<u32>,
    /// Alternative units.
    #[serde(default)]
    pub conversions: Vec<UnitConversion>,
    /// Whether balances of this item may go below zero (default: forbidden).
    #[serde(default)]
    pub allow_negative: bool,
    /// A category for reports.
    #[serde(default)]
    pub category: Option<String>,
    /// Free attributes.
    #[serde(default)]
    pub attributes: BTreeMap<String, String>,
    /// Archived items take no more movements.
    #[serde(default)]
    pub archived: bool,
    /// The outer dimensions of one base unit, for putaway and packing (absent: unknown).
    #[serde(default)]
    pub dimensions: Option<Dimensions>,
    /// The weight of one base unit in grams (absent: unknown).
    #[serde(default)]
    pub weight_g: Option<u64>,
}

impl Item {}

setters! {
    Item {
        /// A human name.
        string name,
        /// The base unit of measure (`ea`, `kg`).
        string unit,
        /// The precision of its quantities: 0..=6 fractional digits of the base unit.
        set(u8) decimals,
        /// How units are told apart.
        set(Tracking) tracking,
        /// Shelf life in days from production, if the item perishes.
        opt(u32) shelf_life_days,
        /// Alternative units.
        list(UnitConversion) conversions,
        /// Whether balances of this item may go below zero (default: forbidden).
        set(bool) allow_negative,
        /// A category for reports.
        text category,
        /// Free attributes.
        set(BTreeMap<String, String>) attributes,
        /// Archived items take no more movements.
        set(bool) archived,
        /// The outer dimensions of one base unit, for putaway and packing (absent: unknown).
        opt(Dimensions) dimensions,
        /// The weight of one base unit in grams (absent: unknown).
        opt(u64) weight_g,
    }
}

/// The outer dimensions of one base unit of an item, in whole millimetres; each is
/// positive.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[allow(clippy::struct_field_names, reason = "units last in names")]
#[non_exhaustive]
pub struct Dimensions {
    /// Length, mm.
    pub length_mm: u32,
    /// Width, mm.
    pub width_mm: u32,
    /// Height, mm.
    pub height_mm: u32,
}

impl Dimensions {
    /// A new `Dimensions` of `length_mm`, `width_mm`, `height_mm`; every other field takes its default.
    #[must_use]
    pub fn new(length_mm: u32, width_mm: u32, height_mm: u32) -> Dimensions {
        Dimensions {
            length_mm,
            width_mm,
            height_mm,
        }
    }
}

fn default_unit() -> String {
    "ea".to_owned()
}

impl Item {
    /// A new item with the given code and defaults elsewhere (`ea`, 0 decimals, no tracking).
    pub fn new(sku: impl Into<String>) -> Item {
        Item {
            sku: sku.into(),
            name: String::new(),
            unit: default_unit(),
            decimals: 0,
            tracking: Tracking::None,
            shelf_life_days: None,
            conversions: Vec::new(),
            allow_negative: false,
            category: None,
            attributes: BTreeMap::new(),
            archived: false,
            dimensions: None,
            weight_g: None,
        }
    }

    /// Checks the rules of the item record alone.
    pub fn validate(&self) -> Result<()> {
        validate_code("sku", &self.sku)?;
        validate_text("name", &self.name)?;
        validate_code("unit", &self.unit)?;
        if self.decimals > MAX_ITEM_DECIMALS {
            return Err(Error::invalid_argument(
                "decimals",
                format!("must be 0..={MAX_ITEM_DECIMALS}, got {}", self.decimals),
            ));
        }
        if self.tracking == Tracking::Serial && self.decimals != 0 {
            return Err(Error::invalid_argument(
                "decimals",
                "serial-tracked items count whole units",
            ));
        }
        if self.tracking == Tracking::Serial && self.allow_negative {
            return Err(Error::invalid_argument(
                "allow_negative",
                "serial-tracked items cannot go negative",
            ));
        }
        let mut seen = std::collections::BTreeSet::new();
        for c in &self.conversions {
            validate_code("unit", &c.unit)?;
            if c.unit == self.unit || !seen.insert(c.unit.as_str()) {
                return Err(Error::invalid_argument(
                    "conversions",
                    format!("unit {} is given twice", c.unit),
                ));
            }
            if c.factor <= Qty::ZERO {
                return Err(Error::invalid_argument(
                    "conversions",
                    "a factor must be positive",
                ));
            }
        }
        if let Some(category) = &self.category {
            validate_text("category", category)?;
        }
        if self.attributes.len() > crate::limits::ATTRIBUTES_MAX {
            return Err(Error::limit_exceeded(
                "attributes",
                crate::limits::ATTRIBUTES_MAX,
            ));
        }
        for (k, v) in &self.attributes {
            if v.len() > crate::limits::ATTRIBUTE_VALUE_LEN_MAX {
                return Err(Error::limit_exceeded(
                    "attribute_value",
                    crate::limits::ATTRIBUTE_VALUE_LEN_MAX,
                ));
            }
            validate_code("attribute", k)?;
            validate_text("attributes", v)?;
        }
        if let Some(d) = self.dimensions {
            for (field, mm) in [
                ("dimensions.length_mm", d.length_mm),
                ("dimensions.width_mm", d.width_mm),
                ("dimensions.height_mm", d.height_mm),
            ] {
                if mm == 0 {
                    return Err(Error::invalid_argument(
                        field,
                        "must be positive (leave the dimensions out when unknown)",
                    ));
                }
            }
        }
        if self.weight_g == Some(0) {
            return Err(Error::invalid_argument(
                "weight_g",
                "must be positive (leave the weight out when unknown)",
            ));
        }
        Ok(())
    }

    /// `qty` of `unit` (or of the base unit when `None`) as an exact base-unit quantity at
    /// the item's precision; more digits than the item allows is refused.
    pub fn to_base(&self, qty: Qty, unit: Option<&str>) -> Result<Qty> {
        match unit {
            None => qty.rescale(self.decimals),
            Some(u) if u == self.unit => qty.rescale(self.decimals),
            Some(u) => {
                let conv = self
                    .conversions
                    .iter()
                    .find(|c| c.unit == u)
                    .ok_or_else(|| {
                        Error::not_found(EntityKind::Unit, format!("{}/{u}", self.sku))
                    })?;
                qty.checked_mul_to(conv.factor, self.decimals)
            }
        }
    }

    /// A base-unit quantity expressed in `unit`, exactly or refused.
    pub fn from_base(&self, qty: Qty, unit: &str) -> Result<Qty> {
        if unit == self.unit {
            return Ok(qty);
        }
        let conv = self
            .conversions
            .iter()
            .find(|c| c.unit == unit)
            .ok_or_else(|| Error::not_found(EntityKind::Unit, format!("{}/{unit}", self.sku)))?;
        qty.checked_div_to(conv.factor, MAX_SCALE.min(qty.scale() + 6))
    }
}

/// What a location is. The virtual kinds balance the books: every movement has a source
/// and a destination, so each item's ledger sums to zero.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize, schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum LocationKind {
    /// A site or warehouse.
    Site,
    /// A zone within a site.
    Zone,
    /// An aisle.
    Aisle,
    /// A bin: where stock physically sits.
    #[default]
    Bin,
    /// Virtual: where received stock comes from.
    Supplier,
    /// Virtual: where shipped stock goes.
    Customer,
    /// Virtual: the other side of adjustments and count differences.
    Adjustment,
    /// Virtual: where scrapped stock goes.
    Scrap,
    /// Virtual: stock dispatched and not yet received.
    InTransit,
    /// Virtual: consumed by or produced from manufacturing.
    Production,
}

impl LocationKind {
    /// Virtual locations hold no physical stock; their balances may be negative.
    pub const fn is_virtual(self) -> bool {
        matches!(
            self,
            LocationKind::Supplier
                | LocationKind::Customer
                | LocationKind::Adjustment
                | LocationKind::Scrap
                | LocationKind::InTransit
                | LocationKind::Production
        )
    }

    /// The snake_case name.
    pub fn as_str(self) -> &'static str {
        match self {
            LocationKind::Site => "site",
            LocationKind::Zone => "zone",
            LocationKind::Aisle => "aisle",
            LocationKind::Bin => "bin",
            LocationKind::Supplier => "supplier",
            LocationKind::Customer => "customer",
            LocationKind::Adjustment => "adjustment",
            LocationKind::Scrap => "scrap",
            LocationKind::InTransit => "in_transit",
            LocationKind::Production => "production",
        }
    }
}

/// The built-in virtual locations every Stockbook file has.
pub mod virtual_locations {
    /// Source of receipts.
    pub const SUPPLIER: &str = "@supplier";
    /// Destination of shipments and issues.
    pub const CUSTOMER: &str = "@customer";
    /// Other side of adjustments and count differences.
    pub const ADJUSTMENT: &str = "@adjustment";
    /// Destination of scrap.
    pub const SCRAP: &str = "@scrap";
    /// Stock between dispatch and receipt of a two-step transfer.
    pub const IN_TRANSIT: &str = "@in-transit";
    /// Consumption and output of production.
    pub const PRODUCTION: &str = "@production";
}

/// Capacity limits of a location, as data for putaway planning.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct Capacity {
    /// Most units (of any item) it holds.
    #[serde(default)]
    pub units: Option<Qty>,
    /// Most weight, in kilograms.
    #[serde(default)]
    pub weight_kg: Option<Qty>,
    /// Most volume, in litres.
    #[serde(default)]
    pub volume_l: Option<Qty>,
}

impl Capacity {
    /// A new `Capacity` with every field at its default.
    #[must_use]
    pub fn new() -> Capacity {
        Capacity {
            units: None,
            weight_kg: None,
            volume_l: None,
        }
    }
}

setters! {
    Capacity {
        /// Most units (of any item) it holds.
        qty units,
        /// Most weight, in kilograms.
        qty weight_kg,
        /// Most volume, in litres.
        qty volume_l,
    }
}

/// Coordinates for routing: aisle number and position along it, and level.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, schemars::JsonSchema,
)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct Coordinates {
    /// Horizontal position (e.g. aisle index).
    pub x: i32,
    /// Position along the aisle.
    pub y: i32,
    /// Level (shelf height).
    #[serde(default)]
    pub z: i32,
}

impl Coordinates {
    /// A new `Coordinates` of `x`, `y`; every other field takes its default.
    #[must_use]
    pub fn new(x: i32, y: i32) -> Coordinates {
        Coordinates {
            x,
            y,
            z: i32::default(),
        }
    }
}

setters! {
    Coordinates {
        /// Level (shelf height).
        set(i32) z,
    }
}

/// A location as defined or last updated.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct Location {
    /// The unique path-like code (`WH1/A/03/2`).
    pub code: String,
    /// A human name.
    #[serde(default)]
    pub name: String,
    /// What it is.
    #[serde(default)]
    pub kind: LocationKind,
    /// The parent in the hierarchy.
    #[serde(default)]
    pub parent: Option<String>,
    /// Capacity limits.
    #[serde(default)]
    pub capacity: Capacity,
    /// Coordinates for pick-path routing.
    #[serde(default)]
    pub coordinates: Option<Coordinates>,
    /// Whether stock may be picked from it.
    #[serde(default = "yes")]
    pub pickable: bool,
    /// Whether stock may be received into it.
    #[serde(default = "yes")]
    pub receivable: bool,
    /// Archived locations take no more movements.
    #[serde(default)]
    pub archived: bool,
}

impl Location {}

setters! {
    Location {
        /// A human name.
        string name,
        /// What it is.
        set(LocationKind) kind,
        /// The parent in the hierarchy.
        text parent,
        /// Capacity limits.
        set(Capacity) capacity,
        /// Coordinates for pick-path routing.
        opt(Coordinates) coordinates,
        /// Whether stock may be picked from it.
        set(bool) pickable,
        /// Whether stock may be received into it.
        set(bool) receivable,
        /// Archived locations take no more movements.
        set(bool) archived,
    }
}

fn yes() -> bool {
    true
}

impl Location {
    /// A new bin with the given code, pickable and receivable, no parent.
    pub fn new(code: impl Into<String>) -> Location {
        Location {
            code: code.into(),
            name: String::new(),
            kind: LocationKind::Bin,
            parent: None,
            capacity: Capacity::default(),
            coordinates: None,
            pickable: true,
            receivable: true,
            archived: false,
        }
    }

    /// Checks the rules of the location record alone.
    pub fn validate(&self) -> Result<()> {
        validate_code("location", &self.code)?;
        if self.code.starts_with('@') {
            return Err(Error::InvalidCode {
                kind: "location".into(),
                code: self.code.clone(),
                reason: "codes starting with @ are reserved for built-in locations".into(),
            });
        }
        validate_text("name", &self.name)?;
        if let Some(parent) = &self.parent {
            validate_code("location", parent)?;
            if parent == &self.code {
                return Err(Error::HierarchyCycle {
                    location: self.code.clone(),
                    parent: parent.clone(),
                });
            }
        }
        for (field, cap) in [
            ("capacity.units", self.capacity.units),
            ("capacity.weight_kg", self.capacity.weight_kg),
            ("capacity.volume_l", self.capacity.volume_l),
        ] {
            if cap.is_some_and(Qty::is_negative) {
                return Err(Error::invalid_argument(field, "must not be negative"));
            }
        }
        Ok(())
    }
}

/// A lot (batch) of an item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct Lot {
    /// The item.
    pub sku: String,
    /// The lot code, unique per item.
    pub lot: String,
    /// When it expires, if it does.
    #[serde(default)]
    #[schemars(with = "Option<crate::model::InstantSchema>")]
    pub expiry: Option<Timestamp>,
    /// When it was produced.
    #[serde(default)]
    #[schemars(with = "Option<crate::model::InstantSchema>")]
    pub produced: Option<Timestamp>,
    /// The first time stock of it was received (set by the engine).
    #[serde(default)]
    #[schemars(with = "Option<crate::model::InstantSchema>")]
    pub first_received: Option<Timestamp>,
}

impl Lot {
    /// A new `Lot` of `sku`, `lot`; every other field takes its default.
    #[must_use]
    pub fn new(sku: impl Into<String>, lot: impl Into<String>) -> Lot {
        Lot {
            sku: sku.into(),
            lot: lot.into(),
            expiry: None,
            produced: None,
            first_received: None,
        }
    }
}

setters! {
    Lot {
        /// When it expires, if it does.
        opt(Timestamp) expiry,
        /// When it was produced.
        opt(Timestamp) produced,
        /// The first time stock of it was received (set by the engine).
        opt(Timestamp) first_received,
    }
}

/// Where one serial-numbered unit is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Serial {
    /// The item.
    pub sku: String,
    /// The serial number.
    pub serial: String,
    /// The location it is at now (a virtual one once shipped or scrapped).
    pub location: String,
}

/// What a command produced beyond its events.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Receipt {
    /// Sequence of the first event written.
    pub first_seq: u64,
    /// Sequence of the last event written.
    pub last_seq: u64,
    /// The transfer id, for a dispatch.
    #[serde(default)]
    pub transfer_id: Option<String>,
    /// The difference a count posted (counted − expected).
    #[serde(default)]
    pub difference: Option<Qty>,
    /// The reservation id, for a reservation.
    #[serde(default)]
    pub reservation_id: Option<String>,
}
