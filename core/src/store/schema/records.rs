//! The stored records that events, snapshots and commands carry: quantities, master data
//! (items, locations, lots), reservations, orders and purchase orders, and the stored
//! twins of their enumerations.
//!
//! Each struct's fields are in the order of the public type they were copied from when
//! their version was made; that order is the stored shape and never changes.

use std::collections::BTreeMap;

use serde::{Deserialize, Deserializer, Serialize};

use super::{FromPublic, IntoPublic, stored_struct, stored_unit_enum};
use crate::event::MovementKind;
use crate::model::Bucket;
use crate::model::order::{Order, OrderLine, OrderState, Package, PackageContent, Pick};
use crate::model::purchase_order::{
    OverReceipt, PurchaseOrder, PurchaseOrderLine, PurchaseOrderReceipt, PurchaseOrderState,
};
use crate::model::reservation::{Reservation, ReservationState};
use crate::model::{
    Capacity, Coordinates, Dimensions, Item, Location, LocationKind, Lot, MAX_SCALE, Qty, Tracking,
    UnitConversion,
};

/// A quantity as stored: `(units, scale)`, a zigzag varint and a byte. The scale is
/// checked when the record is read, so every `StoredQty` is a valid [`Qty`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub(crate) struct StoredQty {
    units: i64,
    scale: u8,
}

impl<'de> Deserialize<'de> for StoredQty {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<StoredQty, D::Error> {
        let (units, scale) = <(i64, u8)>::deserialize(deserializer)?;
        if scale > MAX_SCALE {
            return Err(serde::de::Error::custom(format_args!(
                "a stored quantity has scale {scale}, more than {MAX_SCALE}"
            )));
        }
        Ok(StoredQty { units, scale })
    }
}

impl FromPublic<Qty> for StoredQty {
    fn from_public(q: &Qty) -> Self {
        StoredQty {
            units: q.units(),
            scale: q.scale(),
        }
    }
}

impl IntoPublic<Qty> for StoredQty {
    fn into_public(self) -> Qty {
        Qty::from_units(self.units, self.scale)
            .expect("a stored quantity's scale is checked when it is read")
    }
}

/// A float as stored: its IEEE 754 bits, as a varint. Stored records compare bit for bit,
/// so they stay `Eq` where the public type holds an `f64`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct StoredF64(u64);

impl FromPublic<f64> for StoredF64 {
    fn from_public(v: &f64) -> Self {
        StoredF64(v.to_bits())
    }
}

impl IntoPublic<f64> for StoredF64 {
    fn into_public(self) -> f64 {
        f64::from_bits(self.0)
    }
}

// ---- enumerations -------------------------------------------------------------------------

stored_unit_enum! {
    /// A period length ([`Bucket`]).
    Bucket => StoredBucket { 0 => Day, 1 => Week, 2 => Month }
}

stored_unit_enum! {
    /// How an item's units are told apart ([`Tracking`]).
    Tracking => StoredTracking { 0 => None, 1 => Lot, 2 => Serial }
}

stored_unit_enum! {
    /// What a location is ([`LocationKind`]).
    LocationKind => StoredLocationKind {
        0 => Site, 1 => Zone, 2 => Aisle, 3 => Bin, 4 => Supplier, 5 => Customer,
        6 => Adjustment, 7 => Scrap, 8 => InTransit, 9 => Production,
    }
}

stored_unit_enum! {
    /// Why stock moved ([`MovementKind`]).
    MovementKind => StoredMovementKind {
        0 => Receive, 1 => Issue, 2 => Ship, 3 => Adjust, 4 => Scrap, 5 => Transfer,
        6 => Dispatch, 7 => TransferReceipt, 8 => Count, 9 => Pick, 10 => Return,
    }
}

stored_unit_enum! {
    /// Where a reservation stands ([`ReservationState`]).
    ReservationState => StoredReservationState {
        0 => Pending, 1 => Committed, 2 => Released, 3 => Expired,
    }
}

stored_unit_enum! {
    /// Where an order stands ([`OrderState`]).
    OrderState => StoredOrderState {
        0 => Draft, 1 => Confirmed, 2 => Allocated, 3 => Picking, 4 => Packed, 5 => Shipped,
        6 => Backordered, 7 => Delivered, 8 => Cancelled,
    }
}

stored_unit_enum! {
    /// Where a purchase order stands ([`PurchaseOrderState`]).
    PurchaseOrderState => StoredPurchaseOrderState {
        0 => Open, 1 => PartiallyReceived, 2 => Received, 3 => Closed, 4 => Cancelled,
    }
}

/// The tolerance of [`StoredOverReceipt::Allow`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct ToleranceV1 {
    /// Percent of the ordered quantity.
    pub tolerance_pct: StoredQty,
}

super::stored_enum! {
    /// What a receipt above the ordered quantity gets ([`OverReceipt`]).
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    pub(crate) enum StoredOverReceipt {
        /// `OverReceipt::Refuse`.
        0 => Refuse,
        /// `OverReceipt::Allow`.
        1 => Allow(ToleranceV1),
    }
}

impl FromPublic<OverReceipt> for StoredOverReceipt {
    fn from_public(p: &OverReceipt) -> Self {
        match p {
            OverReceipt::Refuse => StoredOverReceipt::Refuse,
            OverReceipt::Allow { tolerance_pct } => StoredOverReceipt::Allow(ToleranceV1 {
                tolerance_pct: StoredQty::from_public(tolerance_pct),
            }),
        }
    }
}

impl IntoPublic<OverReceipt> for StoredOverReceipt {
    fn into_public(self) -> OverReceipt {
        match self {
            StoredOverReceipt::Refuse => OverReceipt::Refuse,
            StoredOverReceipt::Allow(t) => OverReceipt::Allow {
                tolerance_pct: t.tolerance_pct.into_public(),
            },
        }
    }
}

// ---- master data ----------------------------------------------------------------------------

/// An alternative unit of an item ([`UnitConversion`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct UnitConversionV1 {
    /// The unit's name.
    pub unit: String,
    /// Base units per unit.
    pub factor: StoredQty,
}
stored_struct!(UnitConversion => UnitConversionV1 { unit, factor });

/// An item as format 4 stored it: [`Item`] without dimensions and weight.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct ItemV1 {
    /// The unique code.
    pub sku: String,
    /// A human name.
    pub name: String,
    /// The base unit.
    pub unit: String,
    /// Fractional digits of the base unit.
    pub decimals: u8,
    /// How units are told apart.
    pub tracking: StoredTracking,
    /// Shelf life in days.
    pub shelf_life_days: Option<u32>,
    /// Alternative units.
    pub conversions: Vec<UnitConversionV1>,
    /// Whether balances may go below zero.
    pub allow_negative: bool,
    /// A category.
    pub category: Option<String>,
    /// Free attributes.
    pub attributes: BTreeMap<String, String>,
    /// Archived.
    pub archived: bool,
}

/// An item's outer dimensions ([`Dimensions`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[allow(clippy::struct_field_names, reason = "units last in names")]
pub(crate) struct DimensionsV1 {
    /// Length in millimetres.
    pub length_mm: u32,
    /// Width in millimetres.
    pub width_mm: u32,
    /// Height in millimetres.
    pub height_mm: u32,
}
stored_struct!(Dimensions => DimensionsV1 { length_mm, width_mm, height_mm });

/// An item with dimensions and weight: [`ItemV1`]'s fields, then the two new ones.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct ItemV2 {
    /// The unique code.
    pub sku: String,
    /// A human name.
    pub name: String,
    /// The base unit.
    pub unit: String,
    /// Fractional digits of the base unit.
    pub decimals: u8,
    /// How units are told apart.
    pub tracking: StoredTracking,
    /// Shelf life in days.
    pub shelf_life_days: Option<u32>,
    /// Alternative units.
    pub conversions: Vec<UnitConversionV1>,
    /// Whether balances may go below zero.
    pub allow_negative: bool,
    /// A category.
    pub category: Option<String>,
    /// Free attributes.
    pub attributes: BTreeMap<String, String>,
    /// Archived.
    pub archived: bool,
    /// Outer dimensions of one base unit.
    pub dimensions: Option<DimensionsV1>,
    /// Grams per base unit.
    pub weight_g: Option<u64>,
}
stored_struct!(Item => ItemV2 {
    sku, name, unit, decimals, tracking, shelf_life_days, conversions, allow_negative,
    category, attributes, archived, dimensions, weight_g,
});

impl ItemV1 {
    /// The V1 record of `item`, when V1's shape can carry it (no dimensions, no weight).
    pub(crate) fn carrying(item: &Item) -> Option<ItemV1> {
        (item.dimensions.is_none() && item.weight_g.is_none()).then(|| ItemV1 {
            sku: item.sku.clone(),
            name: item.name.clone(),
            unit: item.unit.clone(),
            decimals: item.decimals,
            tracking: StoredTracking::from_public(&item.tracking),
            shelf_life_days: item.shelf_life_days,
            conversions: Vec::from_public(&item.conversions),
            allow_negative: item.allow_negative,
            category: item.category.clone(),
            attributes: item.attributes.clone(),
            archived: item.archived,
        })
    }

    /// The upcast: a V1 item is a V2 item without dimensions and weight.
    pub(crate) fn upcast(self) -> ItemV2 {
        ItemV2 {
            sku: self.sku,
            name: self.name,
            unit: self.unit,
            decimals: self.decimals,
            tracking: self.tracking,
            shelf_life_days: self.shelf_life_days,
            conversions: self.conversions,
            allow_negative: self.allow_negative,
            category: self.category,
            attributes: self.attributes,
            archived: self.archived,
            dimensions: None,
            weight_g: None,
        }
    }
}

impl IntoPublic<Item> for ItemV1 {
    fn into_public(self) -> Item {
        self.upcast().into_public()
    }
}

impl From<ItemV1> for Item {
    fn from(item: ItemV1) -> Item {
        item.into_public()
    }
}

/// Capacity limits of a location ([`Capacity`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct CapacityV1 {
    /// Most units.
    pub units: Option<StoredQty>,
    /// Most weight, kg.
    pub weight_kg: Option<StoredQty>,
    /// Most volume, l.
    pub volume_l: Option<StoredQty>,
}
stored_struct!(Capacity => CapacityV1 { units, weight_kg, volume_l });

/// Routing coordinates ([`Coordinates`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct CoordinatesV1 {
    /// Horizontal position.
    pub x: i32,
    /// Position along the aisle.
    pub y: i32,
    /// Level.
    pub z: i32,
}
stored_struct!(Coordinates => CoordinatesV1 { x, y, z });

/// A location ([`Location`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct LocationV1 {
    /// The unique code.
    pub code: String,
    /// A human name.
    pub name: String,
    /// What it is.
    pub kind: StoredLocationKind,
    /// The parent.
    pub parent: Option<String>,
    /// Capacity limits.
    pub capacity: CapacityV1,
    /// Routing coordinates.
    pub coordinates: Option<CoordinatesV1>,
    /// Pickable.
    pub pickable: bool,
    /// Receivable.
    pub receivable: bool,
    /// Archived.
    pub archived: bool,
}
stored_struct!(Location => LocationV1 {
    code, name, kind, parent, capacity, coordinates, pickable, receivable, archived,
});

/// A lot ([`Lot`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct LotV1 {
    /// The item.
    pub sku: String,
    /// The lot code.
    pub lot: String,
    /// Expiry.
    pub expiry: Option<i64>,
    /// Production date.
    pub produced: Option<i64>,
    /// First receipt.
    pub first_received: Option<i64>,
}
stored_struct!(Lot => LotV1 { sku, lot, expiry, produced, first_received });

// ---- reservations and orders ----------------------------------------------------------------

/// A reservation ([`Reservation`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct ReservationV1 {
    /// Its id.
    pub id: String,
    /// The item.
    pub sku: String,
    /// The scope.
    pub scope: String,
    /// The pinned lot.
    pub lot: Option<String>,
    /// Hard or soft.
    pub hard: bool,
    /// Still held.
    pub qty: StoredQty,
    /// First reserved.
    pub requested: StoredQty,
    /// Consumed.
    pub committed: StoredQty,
    /// The order.
    pub order: Option<String>,
    /// The order line.
    pub line: Option<u32>,
    /// Made at.
    pub created_at: i64,
    /// Expires at.
    pub expires_at: Option<i64>,
    /// Where it stands.
    pub state: StoredReservationState,
}
stored_struct!(Reservation => ReservationV1 {
    id, sku, scope, lot, hard, qty, requested, committed, order, line, created_at,
    expires_at, state,
});

/// Stock picked for an order line ([`Pick`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct PickV1 {
    /// The bin it came from.
    pub from: String,
    /// The lot.
    pub lot: Option<String>,
    /// How much.
    pub qty: StoredQty,
    /// The serials.
    pub serials: Vec<String>,
    /// The staging reservation.
    pub reservation: String,
}
stored_struct!(Pick => PickV1 { from, lot, qty, serials, reservation });

/// An order line ([`OrderLine`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct OrderLineV1 {
    /// Line number.
    pub line: u32,
    /// The item.
    pub sku: String,
    /// Ordered.
    pub ordered: StoredQty,
    /// Allocated.
    pub allocated: StoredQty,
    /// Picked.
    pub picked: StoredQty,
    /// Shipped.
    pub shipped: StoredQty,
    /// Backordered.
    pub backordered: StoredQty,
    /// Open picks.
    pub picks: Vec<PickV1>,
    /// Pending reservations.
    pub reservations: Vec<String>,
}
stored_struct!(OrderLine => OrderLineV1 {
    line, sku, ordered, allocated, picked, shipped, backordered, picks, reservations,
});

/// A quantity of an order line in a package ([`PackageContent`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct PackageContentV1 {
    /// The line.
    pub line: u32,
    /// How much.
    pub qty: StoredQty,
}
stored_struct!(PackageContent => PackageContentV1 { line, qty });

/// A package ([`Package`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct PackageV1 {
    /// Its label.
    pub id: String,
    /// What it holds.
    pub contents: Vec<PackageContentV1>,
}
stored_struct!(Package => PackageV1 { id, contents });

/// A customer order ([`Order`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct OrderV1 {
    /// Its id.
    pub id: String,
    /// The customer.
    pub customer: Option<String>,
    /// Priority.
    pub priority: u32,
    /// Due at.
    pub due_at: Option<i64>,
    /// Ships from.
    pub ship_from: String,
    /// Staging.
    pub staging: String,
    /// Ships to.
    pub ship_to: String,
    /// The lines.
    pub lines: Vec<OrderLineV1>,
    /// The packages.
    pub packages: Vec<PackageV1>,
    /// Where it stands.
    pub state: StoredOrderState,
    /// Created at.
    pub created_at: i64,
    /// Sequence of its creation.
    pub created_seq: u64,
}
stored_struct!(Order => OrderV1 {
    id, customer, priority, due_at, ship_from, staging, ship_to, lines, packages, state,
    created_at, created_seq,
});

// ---- purchase orders --------------------------------------------------------------------------

/// A purchase order line ([`PurchaseOrderLine`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct PurchaseOrderLineV1 {
    /// Line number.
    pub line: u32,
    /// The item.
    pub sku: String,
    /// Ordered.
    pub ordered: StoredQty,
    /// Received.
    pub received: StoredQty,
    /// Agreed unit cost.
    pub unit_cost: Option<StoredQty>,
    /// Its currency.
    pub currency: Option<String>,
}
stored_struct!(PurchaseOrderLine => PurchaseOrderLineV1 {
    line, sku, ordered, received, unit_cost, currency,
});

/// A receipt against a purchase order line ([`PurchaseOrderReceipt`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct PurchaseOrderReceiptV1 {
    /// The line.
    pub line: u32,
    /// How much.
    pub qty: StoredQty,
    /// Where it was put.
    pub location: String,
    /// Recorded at.
    pub received_at: i64,
}
stored_struct!(PurchaseOrderReceipt => PurchaseOrderReceiptV1 {
    line, qty, location, received_at,
});

/// A purchase order ([`PurchaseOrder`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct PurchaseOrderV1 {
    /// Its id.
    pub id: String,
    /// The supplier.
    pub supplier: String,
    /// Delivered to.
    pub location: String,
    /// The lines.
    pub lines: Vec<PurchaseOrderLineV1>,
    /// Placed at.
    pub ordered_at: i64,
    /// Expected at.
    pub expected_at: i64,
    /// Over-receipt policy.
    pub over_receipt: StoredOverReceipt,
    /// Under-receipt tolerance.
    pub under_tolerance_pct: StoredQty,
    /// Every receipt.
    pub receipts: Vec<PurchaseOrderReceiptV1>,
    /// Where it stands.
    pub state: StoredPurchaseOrderState,
    /// Created at.
    pub created_at: i64,
    /// Sequence of its creation.
    pub created_seq: u64,
    /// Closed or cancelled at.
    pub closed_at: Option<i64>,
}
stored_struct!(PurchaseOrder => PurchaseOrderV1 {
    id, supplier, location, lines, ordered_at, expected_at, over_receipt,
    under_tolerance_pct, receipts, state, created_at, created_seq, closed_at,
});
