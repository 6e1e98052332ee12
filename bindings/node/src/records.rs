//! What the engine returns, as plain JavaScript objects: records, balances, receipts, the
//! events of the log. Quantities are exact decimal text, instants epoch milliseconds
//! (`number`), sequence numbers `bigint`; absent values are `null`.

use std::collections::BTreeMap;

use napi::bindgen_prelude::{BigInt, Either};
use napi_derive::napi;
use stockbook as sb;

use crate::convert::{qty_out, seq_out};
use crate::orders::{Order, Reservation};
use crate::supply::PurchaseOrder;

/// How an item's units are told apart. (Not `Tracking`: that is the error class of the
/// `tracking` code.)
#[napi(string_enum = "snake_case")]
pub enum ItemTracking {
    /// Interchangeable units.
    None,
    /// Every movement names a lot (batch), which may carry an expiry.
    Lot,
    /// Every unit has a serial number; quantities are whole.
    Serial,
}

impl From<sb::Tracking> for ItemTracking {
    fn from(t: sb::Tracking) -> Self {
        match t {
            sb::Tracking::None => ItemTracking::None,
            sb::Tracking::Lot => ItemTracking::Lot,
            sb::Tracking::Serial => ItemTracking::Serial,
        }
    }
}

impl From<ItemTracking> for sb::Tracking {
    fn from(t: ItemTracking) -> Self {
        match t {
            ItemTracking::None => sb::Tracking::None,
            ItemTracking::Lot => sb::Tracking::Lot,
            ItemTracking::Serial => sb::Tracking::Serial,
        }
    }
}

/// What a location is. The virtual kinds balance the books: every movement has a source
/// and a destination, so each item's ledger sums to zero.
#[napi(string_enum = "snake_case")]
pub enum LocationKind {
    /// A site or warehouse.
    Site,
    /// A zone within a site.
    Zone,
    /// An aisle.
    Aisle,
    /// A bin: where stock physically sits.
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

impl From<sb::LocationKind> for LocationKind {
    fn from(k: sb::LocationKind) -> Self {
        use sb::LocationKind as K;
        match k {
            K::Site => LocationKind::Site,
            K::Zone => LocationKind::Zone,
            K::Aisle => LocationKind::Aisle,
            K::Bin => LocationKind::Bin,
            K::Supplier => LocationKind::Supplier,
            K::Customer => LocationKind::Customer,
            K::Adjustment => LocationKind::Adjustment,
            K::Scrap => LocationKind::Scrap,
            K::InTransit => LocationKind::InTransit,
            K::Production => LocationKind::Production,
        }
    }
}

impl From<LocationKind> for sb::LocationKind {
    fn from(k: LocationKind) -> Self {
        use sb::LocationKind as K;
        match k {
            LocationKind::Site => K::Site,
            LocationKind::Zone => K::Zone,
            LocationKind::Aisle => K::Aisle,
            LocationKind::Bin => K::Bin,
            LocationKind::Supplier => K::Supplier,
            LocationKind::Customer => K::Customer,
            LocationKind::Adjustment => K::Adjustment,
            LocationKind::Scrap => K::Scrap,
            LocationKind::InTransit => K::InTransit,
            LocationKind::Production => K::Production,
        }
    }
}

/// Why stock moved.
#[napi(string_enum = "snake_case")]
pub enum MovementKind {
    /// Supplier → bin.
    Receive,
    /// Bin → consumer (internal use).
    Issue,
    /// Bin → customer.
    Ship,
    /// Adjustment ↔ bin, with a reason code.
    Adjust,
    /// Bin → scrap.
    Scrap,
    /// Bin → bin in one step.
    Transfer,
    /// Bin → in-transit: the first step of a two-step transfer.
    Dispatch,
    /// In-transit → bin: the second step of a two-step transfer.
    TransferReceipt,
    /// Adjustment ↔ bin: the difference a cycle count found.
    Count,
    /// Bin → staging: picked for an order.
    Pick,
    /// Staging → bin: picked stock of a cancelled order going back.
    Return,
}

impl From<sb::MovementKind> for MovementKind {
    fn from(k: sb::MovementKind) -> Self {
        use sb::MovementKind as K;
        match k {
            K::Receive => MovementKind::Receive,
            K::Issue => MovementKind::Issue,
            K::Ship => MovementKind::Ship,
            K::Adjust => MovementKind::Adjust,
            K::Scrap => MovementKind::Scrap,
            K::Transfer => MovementKind::Transfer,
            K::Dispatch => MovementKind::Dispatch,
            K::TransferReceipt => MovementKind::TransferReceipt,
            K::Count => MovementKind::Count,
            K::Pick => MovementKind::Pick,
            K::Return => MovementKind::Return,
        }
    }
}

/// An alternative unit of an item: `1 unit = factor × base unit` (1 box = 12 ea).
#[napi(object, object_from_js = false)]
pub struct UnitConversion {
    /// The alternative unit's name (`box`).
    pub unit: String,
    /// How many base units one of it holds; exact and positive.
    pub factor: String,
}

/// An item (SKU) as defined or last updated.
#[napi(object, object_from_js = false, use_nullable = true)]
pub struct Item {
    /// The unique code.
    pub sku: String,
    /// A human name.
    pub name: String,
    /// The base unit of measure (`ea`, `kg`).
    pub unit: String,
    /// The precision of its quantities: 0..=6 fractional digits of the base unit.
    pub decimals: u32,
    /// How units are told apart.
    pub tracking: ItemTracking,
    /// Shelf life in days from production, if the item perishes.
    pub shelf_life_days: Option<u32>,
    /// Alternative units.
    pub conversions: Vec<UnitConversion>,
    /// Whether balances of this item may go below zero (default: forbidden).
    pub allow_negative: bool,
    /// A category for reports.
    pub category: Option<String>,
    /// Free attributes.
    pub attributes: BTreeMap<String, String>,
    /// Archived items take no more movements.
    pub archived: bool,
}

impl From<sb::Item> for Item {
    fn from(i: sb::Item) -> Self {
        Item {
            sku: i.sku,
            name: i.name,
            unit: i.unit,
            decimals: u32::from(i.decimals),
            tracking: i.tracking.into(),
            shelf_life_days: i.shelf_life_days,
            conversions: i
                .conversions
                .into_iter()
                .map(|c| UnitConversion {
                    unit: c.unit,
                    factor: qty_out(c.factor),
                })
                .collect(),
            allow_negative: i.allow_negative,
            category: i.category,
            attributes: i.attributes,
            archived: i.archived,
        }
    }
}

/// Capacity limits of a location, as data for putaway planning.
#[napi(object, object_from_js = false, use_nullable = true)]
pub struct Capacity {
    /// Most units (of any item) it holds.
    pub units: Option<String>,
    /// Most weight, in kilograms.
    pub weight_kg: Option<String>,
    /// Most volume, in litres.
    pub volume_l: Option<String>,
}

/// Coordinates for routing: aisle number and position along it, and level.
#[napi(object)]
pub struct Coordinates {
    /// Horizontal position (e.g. aisle index).
    pub x: i32,
    /// Position along the aisle.
    pub y: i32,
    /// Level (shelf height); 0 when not given.
    pub z: Option<i32>,
}

impl From<sb::Coordinates> for Coordinates {
    fn from(c: sb::Coordinates) -> Self {
        Coordinates {
            x: c.x,
            y: c.y,
            z: Some(c.z),
        }
    }
}

impl From<Coordinates> for sb::Coordinates {
    fn from(c: Coordinates) -> Self {
        sb::Coordinates::new(c.x, c.y).z(c.z.unwrap_or_default())
    }
}

/// A location as defined or last updated.
#[napi(object, object_from_js = false, use_nullable = true)]
pub struct Location {
    /// The unique path-like code (`WH1/A/03/2`).
    pub code: String,
    /// A human name.
    pub name: String,
    /// What it is.
    pub kind: LocationKind,
    /// The parent in the hierarchy.
    pub parent: Option<String>,
    /// Capacity limits.
    pub capacity: Capacity,
    /// Coordinates for pick-path routing.
    pub coordinates: Option<Coordinates>,
    /// Whether stock may be picked from it.
    pub pickable: bool,
    /// Whether stock may be received into it.
    pub receivable: bool,
    /// Archived locations take no more movements.
    pub archived: bool,
}

impl From<sb::Location> for Location {
    fn from(l: sb::Location) -> Self {
        Location {
            code: l.code,
            name: l.name,
            kind: l.kind.into(),
            parent: l.parent,
            capacity: Capacity {
                units: l.capacity.units.map(qty_out),
                weight_kg: l.capacity.weight_kg.map(qty_out),
                volume_l: l.capacity.volume_l.map(qty_out),
            },
            coordinates: l.coordinates.map(Into::into),
            pickable: l.pickable,
            receivable: l.receivable,
            archived: l.archived,
        }
    }
}

/// A lot (batch) of an item.
#[napi(object, object_from_js = false, use_nullable = true)]
pub struct Lot {
    /// The item.
    pub sku: String,
    /// The lot code, unique per item.
    pub lot: String,
    /// When it expires, if it does (epoch ms).
    pub expiry: Option<i64>,
    /// When it was produced (epoch ms).
    pub produced: Option<i64>,
    /// The first time stock of it was received (set by the engine; epoch ms).
    pub first_received: Option<i64>,
}

impl From<sb::Lot> for Lot {
    fn from(l: sb::Lot) -> Self {
        Lot {
            sku: l.sku,
            lot: l.lot,
            expiry: l.expiry,
            produced: l.produced,
            first_received: l.first_received,
        }
    }
}

/// Where one serial-numbered unit is.
#[napi(object, object_from_js = false)]
pub struct Serial {
    /// The item.
    pub sku: String,
    /// The serial number.
    pub serial: String,
    /// The location it is at now (a virtual one once shipped or scrapped).
    pub location: String,
}

impl From<sb::Serial> for Serial {
    fn from(s: sb::Serial) -> Self {
        Serial {
            sku: s.sku,
            serial: s.serial,
            location: s.location,
        }
    }
}

/// A two-step transfer between dispatch and full receipt.
#[napi(object, object_from_js = false, use_nullable = true)]
pub struct TransferRecord {
    /// Its id.
    pub id: String,
    /// The item.
    pub sku: String,
    /// The lot.
    pub lot: Option<String>,
    /// Where it was dispatched from.
    pub from: String,
    /// Where it is going.
    pub to: String,
    /// How much was dispatched.
    pub dispatched: String,
    /// How much has been received so far.
    pub received: String,
    /// Serials dispatched and not yet received.
    pub serials_in_transit: Vec<String>,
}

impl From<sb::TransferRecord> for TransferRecord {
    fn from(t: sb::TransferRecord) -> Self {
        TransferRecord {
            id: t.id,
            sku: t.sku,
            lot: t.lot,
            from: t.from,
            to: t.to,
            dispatched: qty_out(t.dispatched),
            received: qty_out(t.received),
            serials_in_transit: t.serials_in_transit,
        }
    }
}

/// One balance: on hand of an item at a location, for one lot.
#[napi(object, object_from_js = false, use_nullable = true)]
pub struct Balance {
    /// The item.
    pub sku: String,
    /// The location.
    pub location: String,
    /// The lot, for lot-tracked items.
    pub lot: Option<String>,
    /// On hand, at the item's precision.
    pub on_hand: String,
}

impl From<sb::Balance> for Balance {
    fn from(b: sb::Balance) -> Self {
        Balance {
            sku: b.sku,
            location: b.location,
            lot: b.lot,
            on_hand: qty_out(b.on_hand),
        }
    }
}

/// What a command produced beyond its events.
#[napi(object, object_from_js = false, use_nullable = true)]
pub struct Receipt {
    /// Sequence of the first event written.
    pub first_seq: BigInt,
    /// Sequence of the last event written.
    pub last_seq: BigInt,
    /// The transfer id, for a dispatch.
    pub transfer_id: Option<String>,
    /// The difference a count posted (counted − expected).
    pub difference: Option<String>,
    /// The reservation id, for a reservation.
    pub reservation_id: Option<String>,
}

impl From<sb::Receipt> for Receipt {
    fn from(r: sb::Receipt) -> Self {
        Receipt {
            first_seq: seq_out(r.first_seq),
            last_seq: seq_out(r.last_seq),
            transfer_id: r.transfer_id,
            difference: r.difference.map(qty_out),
            reservation_id: r.reservation_id,
        }
    }
}

/// One double-entry movement: `qty` of `sku` (and `lot`) left `from` and arrived at `to`.
#[napi(object, object_from_js = false, use_nullable = true)]
pub struct Movement {
    /// Why it moved.
    pub kind: MovementKind,
    /// The item.
    pub sku: String,
    /// The lot, for lot-tracked items.
    pub lot: Option<String>,
    /// Where it came from.
    pub from: String,
    /// Where it went.
    pub to: String,
    /// How much, in base units at the item's precision; always positive.
    pub qty: String,
    /// The serial numbers moved, for serial-tracked items (exactly `qty` of them).
    pub serials: Vec<String>,
    /// Cost per base unit, for receipts (valuation replays it).
    pub unit_cost: Option<String>,
    /// Currency of `unitCost` (ISO 4217).
    pub currency: Option<String>,
    /// A reason code (adjustments, scrap).
    pub reason_code: Option<String>,
    /// The two-step transfer this belongs to.
    pub transfer: Option<String>,
}

/// What a cycle count found.
#[napi(object, object_from_js = false, use_nullable = true)]
pub struct CountRecord {
    /// The item.
    pub sku: String,
    /// The location counted.
    pub location: String,
    /// The lot counted.
    pub lot: Option<String>,
    /// The quantity counted.
    pub counted: String,
    /// The balance the engine held at the time of the count.
    pub expected: String,
}

/// An immutable fact of the log; `type` names it (`item_defined`, `moved`, …).
#[napi(
    discriminant = "type",
    discriminant_case = "snake_case",
    object_from_js = false,
    use_nullable = true
)]
pub enum Event {
    /// A new item.
    ItemDefined {
        /// The item as defined.
        item: Item,
    },
    /// An item's master data changed (the whole new record).
    ItemUpdated {
        /// The new record.
        item: Item,
    },
    /// An item was archived.
    ItemArchived {
        /// The item.
        sku: String,
    },
    /// A new location.
    LocationDefined {
        /// The location as defined.
        location: Location,
    },
    /// A location's master data changed (the whole new record).
    LocationUpdated {
        /// The new record.
        location: Location,
    },
    /// A location was archived.
    LocationArchived {
        /// The location.
        code: String,
    },
    /// A new lot, or a lot's dates changed (the whole new record).
    LotDefined {
        /// The lot.
        lot: Lot,
    },
    /// Stock moved.
    Moved {
        /// The movement.
        movement: Movement,
    },
    /// A two-step transfer was dispatched.
    TransferDispatched {
        /// The transfer as dispatched.
        transfer: TransferRecord,
    },
    /// Part or all of a two-step transfer arrived.
    TransferReceived {
        /// The transfer.
        id: String,
        /// How much arrived.
        qty: String,
        /// Which serials arrived.
        serials: Vec<String>,
    },
    /// A cycle count was recorded (its difference follows as a `moved` of kind `count`).
    Counted {
        /// What the count found.
        count: CountRecord,
    },
    /// A reservation was made.
    ReservationCreated {
        /// The reservation as made.
        reservation: Reservation,
    },
    /// Part or all of a reservation was consumed by a movement.
    ReservationCommitted {
        /// The reservation.
        id: String,
        /// How much.
        qty: String,
    },
    /// Part or all of a reservation was given back.
    ReservationReleased {
        /// The reservation.
        id: String,
        /// How much.
        qty: String,
    },
    /// A reservation's time-to-live ran out (effective at its expiry time).
    ReservationExpired {
        /// The reservation.
        id: String,
    },
    /// An order changed: the step taken and the whole new record.
    OrderChanged {
        /// The step (`created`, `confirmed`, `allocated`, `picked`, …).
        step: String,
        /// The order after the step.
        order: Order,
    },
    /// A purchase order changed: the step taken and the whole new record.
    PurchaseOrderChanged {
        /// The step (`created`, `received`, `closed`, `cancelled`).
        step: String,
        /// The purchase order after the step.
        order: PurchaseOrder,
    },
}

/// An event newer than this binding (a core variant it does not type yet): its name and
/// its data as the engine serialises it, with camelCase keys. TypeScript sees none.
#[napi(object, object_from_js = false)]
pub struct OtherEvent {
    /// The event's name.
    #[napi(js_name = "type", ts_type = "never")]
    pub kind: String,
    /// The event's data.
    #[napi(ts_type = "Record<string, unknown>")]
    pub data: serde_json::Value,
}

/// An event, typed; one newer than this binding as an [`OtherEvent`].
// The catch-all arm is for core variants added after this binding: it must not be exhaustive.
#[allow(unreachable_patterns, clippy::match_wildcard_for_single_variants)]
fn event(e: sb::Event) -> Either<Event, OtherEvent> {
    Either::A(match e {
        sb::Event::ItemDefined(i) => Event::ItemDefined { item: i.into() },
        sb::Event::ItemUpdated(i) => Event::ItemUpdated { item: i.into() },
        sb::Event::ItemArchived { sku } => Event::ItemArchived { sku },
        sb::Event::LocationDefined(l) => Event::LocationDefined { location: l.into() },
        sb::Event::LocationUpdated(l) => Event::LocationUpdated { location: l.into() },
        sb::Event::LocationArchived { code } => Event::LocationArchived { code },
        sb::Event::LotDefined(l) => Event::LotDefined { lot: l.into() },
        sb::Event::Moved(m) => Event::Moved {
            movement: Movement {
                kind: m.kind.into(),
                sku: m.sku,
                lot: m.lot,
                from: m.from,
                to: m.to,
                qty: qty_out(m.qty),
                serials: m.serials,
                unit_cost: m.unit_cost.map(qty_out),
                currency: m.currency,
                reason_code: m.reason_code,
                transfer: m.transfer,
            },
        },
        sb::Event::TransferDispatched(t) => Event::TransferDispatched { transfer: t.into() },
        sb::Event::TransferReceived { id, qty, serials } => Event::TransferReceived {
            id,
            qty: qty_out(qty),
            serials,
        },
        sb::Event::Counted(c) => Event::Counted {
            count: CountRecord {
                sku: c.sku,
                location: c.location,
                lot: c.lot,
                counted: qty_out(c.counted),
                expected: qty_out(c.expected),
            },
        },
        sb::Event::ReservationCreated(r) => Event::ReservationCreated {
            reservation: r.into(),
        },
        sb::Event::ReservationCommitted { id, qty } => Event::ReservationCommitted {
            id,
            qty: qty_out(qty),
        },
        sb::Event::ReservationReleased { id, qty } => Event::ReservationReleased {
            id,
            qty: qty_out(qty),
        },
        sb::Event::ReservationExpired { id } => Event::ReservationExpired { id },
        sb::Event::OrderChanged { step, order } => Event::OrderChanged {
            step,
            order: (*order).into(),
        },
        sb::Event::PurchaseOrderChanged { step, order } => Event::PurchaseOrderChanged {
            step,
            order: (*order).into(),
        },
        other => {
            let kind = other.name().to_owned();
            let data = match serde_json::to_value(&other) {
                // `{"variant": data}`: keep the data.
                Ok(serde_json::Value::Object(outer)) => outer
                    .into_iter()
                    .next()
                    .map(|(_, v)| camel_keys(v))
                    .unwrap_or_default(),
                Ok(v) => v,
                Err(err) => serde_json::Value::String(err.to_string()),
            };
            return Either::B(OtherEvent { kind, data });
        }
    })
}

/// Renames every object key of `value` from snake_case to camelCase.
pub(crate) fn camel_keys(value: serde_json::Value) -> serde_json::Value {
    match value {
        serde_json::Value::Object(map) => serde_json::Value::Object(
            map.into_iter()
                .map(|(k, v)| (crate::error::camel_case(&k), camel_keys(v)))
                .collect(),
        ),
        serde_json::Value::Array(items) => {
            serde_json::Value::Array(items.into_iter().map(camel_keys).collect())
        }
        other => other,
    }
}

/// An event with its place in the log and who caused it.
#[napi(object, object_from_js = false, use_nullable = true)]
pub struct Envelope {
    /// Global sequence number, from 1, without gaps.
    pub seq: BigInt,
    /// When the engine recorded it (engine clock, epoch ms).
    pub recorded_at: i64,
    /// When it took effect in business time (epoch ms).
    pub effective_at: i64,
    /// Who caused it.
    pub actor: Option<String>,
    /// The idempotency key of the command that caused it.
    pub key: Option<String>,
    /// A correlation id (order id, import batch, …).
    pub correlation: Option<String>,
    /// Free-text reason.
    pub reason: Option<String>,
    /// The fact.
    #[napi(ts_type = "Event | OtherEvent")]
    pub event: Either<Event, OtherEvent>,
}

impl From<sb::Envelope> for Envelope {
    fn from(e: sb::Envelope) -> Self {
        Envelope {
            seq: seq_out(e.seq),
            recorded_at: e.recorded_at,
            effective_at: e.effective_at,
            actor: e.actor,
            key: e.key,
            correlation: e.correlation,
            reason: e.reason,
            event: event(e.event),
        }
    }
}

/// What `verify()` found.
#[napi(object, object_from_js = false)]
pub struct IntegrityReport {
    /// Events read from the log.
    pub events: i64,
    /// Index rows checked.
    pub index_rows: i64,
    /// Every disagreement found; empty when the file is sound.
    pub problems: Vec<String>,
    /// True when nothing is wrong.
    pub sound: bool,
}

impl From<sb::IntegrityReport> for IntegrityReport {
    fn from(r: sb::IntegrityReport) -> Self {
        IntegrityReport {
            sound: r.is_sound(),
            events: i64::try_from(r.events).unwrap_or(i64::MAX),
            index_rows: i64::try_from(r.index_rows).unwrap_or(i64::MAX),
            problems: r.problems,
        }
    }
}
