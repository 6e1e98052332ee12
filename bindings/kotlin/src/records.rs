//! The values that cross the boundary, and their conversions to and from the core's.
//!
//! Quantities cross as exact decimal text (`"10.50"`), timestamps as milliseconds since the
//! Unix epoch (`i64`), counts and sequence numbers as signed integers (Kotlin `Long`/`Int`,
//! Swift `Int64`/`Int32`): a negative count is refused as `invalid_argument`.

use std::collections::HashMap;

use stockbook::Qty;

use crate::error::{StockbookError, invalid_argument};
use crate::{orders, planning};

type Result<T> = std::result::Result<T, StockbookError>;

// ---- scalar conversions ------------------------------------------------------------------

/// Decimal text to an exact quantity.
pub(crate) fn qty(text: &str) -> Result<Qty> {
    Ok(Qty::parse(text)?)
}

fn opt_qty(text: Option<&str>) -> Result<Option<Qty>> {
    text.map(qty).transpose()
}

fn text(q: Qty) -> String {
    q.to_string()
}

/// A non-negative `i64` as `u64`.
pub(crate) fn unsigned(field: &str, value: i64) -> Result<u64> {
    u64::try_from(value)
        .map_err(|_| invalid_argument(field, format!("must not be negative, got {value}")))
}

/// A non-negative `i32` as `u32`.
fn unsigned32(field: &str, value: i32) -> Result<u32> {
    u32::try_from(value)
        .map_err(|_| invalid_argument(field, format!("must not be negative, got {value}")))
}

/// A `u64` count or sequence as `i64` (saturating: no log gets near 2^63 events).
pub(crate) fn signed(value: u64) -> i64 {
    i64::try_from(value).unwrap_or(i64::MAX)
}

// ---- master data -------------------------------------------------------------------------

/// How an item's units are told apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum Tracking {
    /// Interchangeable units.
    None,
    /// Every movement names a lot.
    Lot,
    /// Every unit has a serial number.
    Serial,
}

impl From<Tracking> for stockbook::Tracking {
    fn from(t: Tracking) -> Self {
        match t {
            Tracking::None => stockbook::Tracking::None,
            Tracking::Lot => stockbook::Tracking::Lot,
            Tracking::Serial => stockbook::Tracking::Serial,
        }
    }
}

impl From<stockbook::Tracking> for Tracking {
    fn from(t: stockbook::Tracking) -> Self {
        match t {
            stockbook::Tracking::None => Tracking::None,
            stockbook::Tracking::Lot => Tracking::Lot,
            stockbook::Tracking::Serial => Tracking::Serial,
        }
    }
}

/// An alternative unit of an item: `1 unit = factor × base unit`.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct UnitConversion {
    /// The alternative unit's name (`box`).
    pub unit: String,
    /// How many base units one of it holds, as decimal text.
    pub factor: String,
}

/// An item (SKU).
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct Item {
    /// The unique code.
    pub sku: String,
    /// How units are told apart.
    pub tracking: Tracking,
    /// A human name.
    #[uniffi(default)]
    pub name: String,
    /// The base unit of measure.
    #[uniffi(default = "ea")]
    pub unit: String,
    /// Fractional digits of its quantities, 0..=6.
    #[uniffi(default = 0)]
    pub decimals: i32,
    /// Shelf life in days, if it perishes.
    #[uniffi(default)]
    pub shelf_life_days: Option<i32>,
    /// Alternative units.
    #[uniffi(default)]
    pub conversions: Vec<UnitConversion>,
    /// Whether balances may go below zero.
    #[uniffi(default = false)]
    pub allow_negative: bool,
    /// A category for reports.
    #[uniffi(default)]
    pub category: Option<String>,
    /// Free attributes.
    #[uniffi(default)]
    pub attributes: HashMap<String, String>,
    /// Archived items take no more movements.
    #[uniffi(default = false)]
    pub archived: bool,
}

impl TryFrom<Item> for stockbook::Item {
    type Error = StockbookError;
    fn try_from(i: Item) -> Result<Self> {
        let decimals = u8::try_from(i.decimals).map_err(|_| {
            invalid_argument("decimals", format!("must be 0..=6, got {}", i.decimals))
        })?;
        let shelf_life_days = i
            .shelf_life_days
            .map(|d| unsigned32("shelf_life_days", d))
            .transpose()?;
        let conversions = i
            .conversions
            .into_iter()
            .map(|c| Ok(stockbook::UnitConversion::new(c.unit, qty(&c.factor)?)))
            .collect::<Result<Vec<_>>>()?;
        let mut item = stockbook::Item::new(i.sku);
        item.name = i.name;
        item.unit = i.unit;
        item.decimals = decimals;
        item.tracking = i.tracking.into();
        item.shelf_life_days = shelf_life_days;
        item.conversions = conversions;
        item.allow_negative = i.allow_negative;
        item.category = i.category;
        item.attributes = i.attributes.into_iter().collect();
        item.archived = i.archived;
        Ok(item)
    }
}

impl From<stockbook::Item> for Item {
    fn from(i: stockbook::Item) -> Self {
        Item {
            sku: i.sku,
            tracking: i.tracking.into(),
            name: i.name,
            unit: i.unit,
            decimals: i32::from(i.decimals),
            shelf_life_days: i
                .shelf_life_days
                .map(|d| i32::try_from(d).unwrap_or(i32::MAX)),
            conversions: i
                .conversions
                .into_iter()
                .map(|c| UnitConversion {
                    unit: c.unit,
                    factor: text(c.factor),
                })
                .collect(),
            allow_negative: i.allow_negative,
            category: i.category,
            attributes: i.attributes.into_iter().collect(),
            archived: i.archived,
        }
    }
}

/// What a location is; the virtual kinds balance the books.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
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

same_variants!(LocationKind <=> stockbook::LocationKind {
    Site, Zone, Aisle, Bin, Supplier, Customer, Adjustment, Scrap, InTransit, Production
});

/// Capacity limits of a location, as decimal text.
#[derive(Debug, Clone, PartialEq, Eq, Default, uniffi::Record)]
pub struct Capacity {
    /// Most units it holds.
    #[uniffi(default)]
    pub units: Option<String>,
    /// Most weight, in kilograms.
    #[uniffi(default)]
    pub weight_kg: Option<String>,
    /// Most volume, in litres.
    #[uniffi(default)]
    pub volume_l: Option<String>,
}

/// Coordinates for routing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Record)]
pub struct Coordinates {
    /// Horizontal position (aisle index).
    pub x: i32,
    /// Position along the aisle.
    pub y: i32,
    /// Level.
    #[uniffi(default = 0)]
    pub z: i32,
}

/// A location.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct Location {
    /// The unique path-like code (`WH1/A/03/2`).
    pub code: String,
    /// What it is.
    pub kind: LocationKind,
    /// A human name.
    #[uniffi(default)]
    pub name: String,
    /// The parent in the hierarchy.
    #[uniffi(default)]
    pub parent: Option<String>,
    /// Capacity limits.
    #[uniffi(default)]
    pub capacity: Capacity,
    /// Coordinates for pick-path routing.
    #[uniffi(default)]
    pub coordinates: Option<Coordinates>,
    /// Whether stock may be picked from it.
    #[uniffi(default = true)]
    pub pickable: bool,
    /// Whether stock may be received into it.
    #[uniffi(default = true)]
    pub receivable: bool,
    /// Archived locations take no more movements.
    #[uniffi(default = false)]
    pub archived: bool,
}

impl TryFrom<Location> for stockbook::Location {
    type Error = StockbookError;
    fn try_from(l: Location) -> Result<Self> {
        let mut loc = stockbook::Location::new(l.code);
        loc.kind = l.kind.into();
        loc.name = l.name;
        loc.parent = l.parent;
        loc.capacity = {
            let mut v = stockbook::Capacity::new();
            v.units = opt_qty(l.capacity.units.as_deref())?;
            v.weight_kg = opt_qty(l.capacity.weight_kg.as_deref())?;
            v.volume_l = opt_qty(l.capacity.volume_l.as_deref())?;
            v
        };
        loc.coordinates = l
            .coordinates
            .map(|c| stockbook::Coordinates::new(c.x, c.y).z(c.z));
        loc.pickable = l.pickable;
        loc.receivable = l.receivable;
        loc.archived = l.archived;
        Ok(loc)
    }
}

impl From<stockbook::Location> for Location {
    fn from(l: stockbook::Location) -> Self {
        Location {
            code: l.code,
            kind: l.kind.into(),
            name: l.name,
            parent: l.parent,
            capacity: Capacity {
                units: l.capacity.units.map(text),
                weight_kg: l.capacity.weight_kg.map(text),
                volume_l: l.capacity.volume_l.map(text),
            },
            coordinates: l.coordinates.map(|c| Coordinates {
                x: c.x,
                y: c.y,
                z: c.z,
            }),
            pickable: l.pickable,
            receivable: l.receivable,
            archived: l.archived,
        }
    }
}

/// A lot (batch) of an item.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct Lot {
    /// The item.
    pub sku: String,
    /// The lot code, unique per item.
    pub lot: String,
    /// When it expires (ms since the epoch).
    #[uniffi(default)]
    pub expiry: Option<i64>,
    /// When it was produced (ms since the epoch).
    #[uniffi(default)]
    pub produced: Option<i64>,
    /// The first time stock of it was received (set by the engine).
    #[uniffi(default)]
    pub first_received: Option<i64>,
}

impl From<Lot> for stockbook::Lot {
    fn from(l: Lot) -> Self {
        {
            let mut v = stockbook::Lot::new(l.sku, l.lot);
            v.expiry = l.expiry;
            v.produced = l.produced;
            v.first_received = l.first_received;
            v
        }
    }
}

impl From<stockbook::Lot> for Lot {
    fn from(l: stockbook::Lot) -> Self {
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
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct Serial {
    /// The item.
    pub sku: String,
    /// The serial number.
    pub serial: String,
    /// The location it is at now.
    pub location: String,
}

impl From<stockbook::Serial> for Serial {
    fn from(s: stockbook::Serial) -> Self {
        Serial {
            sku: s.sku,
            serial: s.serial,
            location: s.location,
        }
    }
}

// ---- commands ----------------------------------------------------------------------------

/// What a caller says about a command beyond the command itself.
#[derive(Debug, Clone, PartialEq, Eq, Default, uniffi::Record)]
pub struct Meta {
    /// Who is acting.
    #[uniffi(default)]
    pub actor: Option<String>,
    /// Idempotency key: the same key again returns the first outcome and writes nothing.
    #[uniffi(default)]
    pub key: Option<String>,
    /// Correlation id (order, import batch).
    #[uniffi(default)]
    pub correlation: Option<String>,
    /// Free-text reason.
    #[uniffi(default)]
    pub reason: Option<String>,
    /// Business time the command takes effect (ms since the epoch; default: now).
    #[uniffi(default)]
    pub effective_at: Option<i64>,
}

impl From<Meta> for stockbook::Meta {
    fn from(m: Meta) -> Self {
        stockbook::Meta {
            actor: m.actor,
            key: m.key,
            correlation: m.correlation,
            reason: m.reason,
            effective_at: m.effective_at,
        }
    }
}

/// Receive stock from a supplier into a location.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct Receive {
    /// The item.
    pub sku: String,
    /// Where it arrives.
    pub location: String,
    /// How much, in `unit`, as decimal text.
    pub qty: String,
    /// The unit of `qty` (default: the base unit).
    #[uniffi(default)]
    pub unit: Option<String>,
    /// The lot (lot-tracked items).
    #[uniffi(default)]
    pub lot: Option<String>,
    /// The lot's expiry, for a new lot (ms since the epoch).
    #[uniffi(default)]
    pub expiry: Option<i64>,
    /// The lot's production date, for a new lot (ms since the epoch).
    #[uniffi(default)]
    pub produced: Option<i64>,
    /// Serial numbers (serial-tracked items).
    #[uniffi(default)]
    pub serials: Vec<String>,
    /// Cost per base unit, as decimal text.
    #[uniffi(default)]
    pub unit_cost: Option<String>,
    /// ISO 4217 currency of the cost.
    #[uniffi(default)]
    pub currency: Option<String>,
    /// The supplier location (default `@supplier`).
    #[uniffi(default)]
    pub from: Option<String>,
}

impl TryFrom<Receive> for stockbook::Receive {
    type Error = StockbookError;
    fn try_from(r: Receive) -> Result<Self> {
        Ok({
            let mut v = stockbook::Receive::new(r.sku, r.location, qty(&r.qty)?).serials(r.serials);
            v.unit = r.unit;
            v.lot = r.lot;
            v.expiry = r.expiry;
            v.produced = r.produced;
            v.unit_cost = opt_qty(r.unit_cost.as_deref())?;
            v.currency = r.currency;
            v.from = r.from;
            v
        })
    }
}

/// Take stock out of a location: an internal issue or a shipment.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct Issue {
    /// The item.
    pub sku: String,
    /// Where it is taken from.
    pub location: String,
    /// How much, in `unit`, as decimal text.
    pub qty: String,
    /// The unit of `qty`.
    #[uniffi(default)]
    pub unit: Option<String>,
    /// The lot (lot-tracked items).
    #[uniffi(default)]
    pub lot: Option<String>,
    /// Serial numbers (serial-tracked items).
    #[uniffi(default)]
    pub serials: Vec<String>,
    /// Take from an expired lot anyway.
    #[uniffi(default = false)]
    pub allow_expired: bool,
    /// The customer location (default `@customer`).
    #[uniffi(default)]
    pub to: Option<String>,
}

impl TryFrom<Issue> for stockbook::Issue {
    type Error = StockbookError;
    fn try_from(i: Issue) -> Result<Self> {
        Ok({
            let mut v = stockbook::Issue::new(i.sku, i.location, qty(&i.qty)?)
                .serials(i.serials)
                .allow_expired(i.allow_expired);
            v.unit = i.unit;
            v.lot = i.lot;
            v.to = i.to;
            v
        })
    }
}

/// Correct a balance up (positive `qty`) or down (negative), with a reason code.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct Adjust {
    /// The item.
    pub sku: String,
    /// The location.
    pub location: String,
    /// The signed change, in `unit`, as decimal text.
    pub qty: String,
    /// Why (`damaged`, `found`, …).
    pub reason_code: String,
    /// The unit of `qty`.
    #[uniffi(default)]
    pub unit: Option<String>,
    /// The lot.
    #[uniffi(default)]
    pub lot: Option<String>,
    /// Serial numbers.
    #[uniffi(default)]
    pub serials: Vec<String>,
}

impl TryFrom<Adjust> for stockbook::Adjust {
    type Error = StockbookError;
    fn try_from(a: Adjust) -> Result<Self> {
        Ok({
            let mut v = stockbook::Adjust::new(a.sku, a.location, qty(&a.qty)?, a.reason_code)
                .serials(a.serials);
            v.unit = a.unit;
            v.lot = a.lot;
            v
        })
    }
}

/// Write stock off to scrap.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct Scrap {
    /// The item.
    pub sku: String,
    /// Where it is taken from.
    pub location: String,
    /// How much, in `unit`, as decimal text.
    pub qty: String,
    /// The unit of `qty`.
    #[uniffi(default)]
    pub unit: Option<String>,
    /// The lot.
    #[uniffi(default)]
    pub lot: Option<String>,
    /// Serial numbers.
    #[uniffi(default)]
    pub serials: Vec<String>,
    /// Why.
    #[uniffi(default)]
    pub reason_code: Option<String>,
}

impl TryFrom<Scrap> for stockbook::Scrap {
    type Error = StockbookError;
    fn try_from(s: Scrap) -> Result<Self> {
        Ok({
            let mut v = stockbook::Scrap::new(s.sku, s.location, qty(&s.qty)?).serials(s.serials);
            v.unit = s.unit;
            v.lot = s.lot;
            v.reason_code = s.reason_code;
            v
        })
    }
}

/// Move stock from one location to another in one step.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct Transfer {
    /// The item.
    pub sku: String,
    /// Source.
    pub from: String,
    /// Destination.
    pub to: String,
    /// How much, in `unit`, as decimal text.
    pub qty: String,
    /// The unit of `qty`.
    #[uniffi(default)]
    pub unit: Option<String>,
    /// The lot.
    #[uniffi(default)]
    pub lot: Option<String>,
    /// Serial numbers.
    #[uniffi(default)]
    pub serials: Vec<String>,
    /// Move an expired lot anyway.
    #[uniffi(default = false)]
    pub allow_expired: bool,
}

impl TryFrom<Transfer> for stockbook::Transfer {
    type Error = StockbookError;
    fn try_from(t: Transfer) -> Result<Self> {
        Ok({
            let mut v = stockbook::Transfer::new(t.sku, t.from, t.to, qty(&t.qty)?)
                .serials(t.serials)
                .allow_expired(t.allow_expired);
            v.unit = t.unit;
            v.lot = t.lot;
            v
        })
    }
}

/// Dispatch stock into transit: the first step of a two-step transfer.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct Dispatch {
    /// The item.
    pub sku: String,
    /// Source.
    pub from: String,
    /// Final destination.
    pub to: String,
    /// How much, in `unit`, as decimal text.
    pub qty: String,
    /// The transfer id (default: generated, `TR-<seq>`).
    #[uniffi(default)]
    pub transfer_id: Option<String>,
    /// The unit of `qty`.
    #[uniffi(default)]
    pub unit: Option<String>,
    /// The lot.
    #[uniffi(default)]
    pub lot: Option<String>,
    /// Serial numbers.
    #[uniffi(default)]
    pub serials: Vec<String>,
    /// Move an expired lot anyway.
    #[uniffi(default = false)]
    pub allow_expired: bool,
}

impl TryFrom<Dispatch> for stockbook::Dispatch {
    type Error = StockbookError;
    fn try_from(d: Dispatch) -> Result<Self> {
        Ok({
            let mut v = stockbook::Dispatch::new(d.sku, d.from, d.to, qty(&d.qty)?)
                .serials(d.serials)
                .allow_expired(d.allow_expired);
            v.transfer_id = d.transfer_id;
            v.unit = d.unit;
            v.lot = d.lot;
            v
        })
    }
}

/// Receive all or part of a dispatched transfer at its destination.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct ReceiveTransfer {
    /// The transfer.
    pub transfer_id: String,
    /// How much arrived, in `unit`, as decimal text.
    pub qty: String,
    /// The unit of `qty`.
    #[uniffi(default)]
    pub unit: Option<String>,
    /// Serial numbers that arrived.
    #[uniffi(default)]
    pub serials: Vec<String>,
}

impl TryFrom<ReceiveTransfer> for stockbook::ReceiveTransfer {
    type Error = StockbookError;
    fn try_from(r: ReceiveTransfer) -> Result<Self> {
        Ok({
            let mut v =
                stockbook::ReceiveTransfer::new(r.transfer_id, qty(&r.qty)?).serials(r.serials);
            v.unit = r.unit;
            v
        })
    }
}

/// Record a cycle count; the engine posts the difference to its balance.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct Count {
    /// The item.
    pub sku: String,
    /// The location counted.
    pub location: String,
    /// What was counted, in `unit`, as decimal text.
    pub counted: String,
    /// The lot counted.
    #[uniffi(default)]
    pub lot: Option<String>,
    /// The unit of `counted`.
    #[uniffi(default)]
    pub unit: Option<String>,
}

impl TryFrom<Count> for stockbook::Count {
    type Error = StockbookError;
    fn try_from(c: Count) -> Result<Self> {
        Ok({
            let mut v = stockbook::Count::new(c.sku, c.location, qty(&c.counted)?);
            v.lot = c.lot;
            v.unit = c.unit;
            v
        })
    }
}

/// Any command, for [`crate::Stockbook::execute`] and atomic batches.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Enum)]
pub enum Command {
    /// Define a new item.
    DefineItem {
        /// The item.
        item: Item,
    },
    /// Replace an item's master data.
    UpdateItem {
        /// The item's new record.
        item: Item,
    },
    /// Archive an item that holds no stock.
    ArchiveItem {
        /// The item.
        sku: String,
    },
    /// Define a new location.
    DefineLocation {
        /// The location.
        location: Location,
    },
    /// Replace a location's master data.
    UpdateLocation {
        /// The location's new record.
        location: Location,
    },
    /// Archive a location whose subtree holds no stock.
    ArchiveLocation {
        /// The location.
        code: String,
    },
    /// Define a lot or change its dates.
    DefineLot {
        /// The lot.
        lot: Lot,
    },
    /// Supplier → bin.
    Receive {
        /// What to receive.
        args: Receive,
    },
    /// Bin → consumer.
    Issue {
        /// What to issue.
        args: Issue,
    },
    /// Bin → customer.
    Ship {
        /// What to ship.
        args: Issue,
    },
    /// Adjustment ↔ bin.
    Adjust {
        /// The adjustment.
        args: Adjust,
    },
    /// Bin → scrap.
    Scrap {
        /// What to scrap.
        args: Scrap,
    },
    /// Bin → bin in one step.
    Transfer {
        /// What to move.
        args: Transfer,
    },
    /// Bin → in-transit.
    DispatchTransfer {
        /// What to dispatch.
        args: Dispatch,
    },
    /// In-transit → bin.
    ReceiveTransfer {
        /// What arrived.
        args: ReceiveTransfer,
    },
    /// A cycle count.
    Count {
        /// The count.
        args: Count,
    },
    /// Reserve stock.
    Reserve {
        /// The reservation.
        args: orders::Reserve,
    },
    /// Issue reserved stock; a partial commit releases the rest.
    CommitReservation {
        /// What to commit.
        args: orders::CommitReservation,
    },
    /// Give back all or part of a reservation.
    ReleaseReservation {
        /// The reservation.
        reservation_id: String,
        /// How much, as decimal text (`None`: all it holds).
        qty: Option<String>,
    },
    /// Record the expiry of every reservation past its time-to-live.
    ExpireDue,
    /// Create an order as a draft.
    CreateOrder {
        /// The order.
        args: orders::CreateOrder,
    },
    /// Confirm a draft order.
    ConfirmOrder {
        /// The order.
        order_id: String,
    },
    /// Allocate stock to an order's open lines.
    AllocateOrder {
        /// The order.
        order_id: String,
        /// Which stock to take first (`None`: FIFO).
        strategy: Option<orders::Strategy>,
    },
    /// Allocate short stock across competing orders.
    AllocateOrders {
        /// Which orders, under which policy.
        args: orders::AllocateOrders,
    },
    /// Fill backordered lines from stock that has arrived.
    FillBackorders {
        /// Which backorders.
        args: orders::FillBackorders,
    },
    /// Pick a line's stock from a bin to staging.
    PickOrder {
        /// The pick.
        args: orders::PickOrder,
    },
    /// Pack the picked stock.
    PackOrder {
        /// The order.
        order_id: String,
        /// The packages; together they hold exactly what was picked.
        packages: Vec<orders::Package>,
    },
    /// Ship a packed order.
    ShipOrder {
        /// The order.
        order_id: String,
    },
    /// Record delivery of a shipped order.
    DeliverOrder {
        /// The order.
        order_id: String,
    },
    /// Cancel an order with compensation.
    CancelOrder {
        /// The order.
        order_id: String,
        /// Where picked stock goes (`None`: back to its bins).
        return_to: Option<String>,
    },
    /// Place a purchase order.
    CreatePurchaseOrder {
        /// The purchase order.
        args: planning::CreatePurchaseOrder,
    },
    /// Receive stock against a purchase order line.
    ReceivePurchaseOrder {
        /// The receipt.
        args: planning::ReceivePurchaseOrder,
    },
    /// Close a purchase order: what is missing is no longer expected.
    ClosePurchaseOrder {
        /// The purchase order.
        po_id: String,
    },
    /// Cancel a purchase order against which nothing has been received.
    CancelPurchaseOrder {
        /// The purchase order.
        po_id: String,
    },
}

/// The core's order step for `order_id`.
pub(crate) fn order_step(order_id: String) -> stockbook::orders::OrderStep {
    stockbook::orders::OrderStep::new(order_id)
}

impl TryFrom<Command> for stockbook::Command {
    type Error = StockbookError;
    fn try_from(c: Command) -> Result<Self> {
        use stockbook::Command as C;
        use stockbook::orders::{AllocateOrder, CancelOrder, PackOrder};
        Ok(match c {
            Command::DefineItem { item } => C::DefineItem(item.try_into()?),
            Command::UpdateItem { item } => C::UpdateItem(item.try_into()?),
            Command::ArchiveItem { sku } => C::ArchiveItem { sku },
            Command::DefineLocation { location } => C::DefineLocation(location.try_into()?),
            Command::UpdateLocation { location } => C::UpdateLocation(location.try_into()?),
            Command::ArchiveLocation { code } => C::ArchiveLocation { code },
            Command::DefineLot { lot } => C::DefineLot(lot.into()),
            Command::Receive { args } => C::Receive(args.try_into()?),
            Command::Issue { args } => C::Issue(args.try_into()?),
            Command::Ship { args } => C::Ship(args.try_into()?),
            Command::Adjust { args } => C::Adjust(args.try_into()?),
            Command::Scrap { args } => C::Scrap(args.try_into()?),
            Command::Transfer { args } => C::Transfer(args.try_into()?),
            Command::DispatchTransfer { args } => C::DispatchTransfer(args.try_into()?),
            Command::ReceiveTransfer { args } => C::ReceiveTransfer(args.try_into()?),
            Command::Count { args } => C::Count(args.try_into()?),
            Command::Reserve { args } => C::Reserve(args.try_into()?),
            Command::CommitReservation { args } => C::CommitReservation(args.try_into()?),
            Command::ReleaseReservation {
                reservation_id,
                qty: q,
            } => C::ReleaseReservation {
                reservation_id,
                qty: opt_qty(q.as_deref())?,
            },
            Command::ExpireDue => C::ExpireDue {},
            Command::CreateOrder { args } => C::CreateOrder(args.try_into()?),
            Command::ConfirmOrder { order_id } => C::ConfirmOrder(order_step(order_id)),
            Command::AllocateOrder { order_id, strategy } => {
                C::AllocateOrder(AllocateOrder::new(order_id).strategy(orders::strategy(strategy)?))
            }
            Command::AllocateOrders { args } => C::AllocateOrders(args.try_into()?),
            Command::FillBackorders { args } => C::FillBackorders(args.try_into()?),
            Command::PickOrder { args } => C::PickOrder(args.try_into()?),
            Command::PackOrder { order_id, packages } => {
                C::PackOrder(PackOrder::new(order_id, orders::packages(packages)?))
            }
            Command::ShipOrder { order_id } => C::ShipOrder(order_step(order_id)),
            Command::DeliverOrder { order_id } => C::DeliverOrder(order_step(order_id)),
            Command::CancelOrder {
                order_id,
                return_to,
            } => C::CancelOrder({
                let mut v = CancelOrder::new(order_id);
                v.return_to = return_to;
                v
            }),
            Command::CreatePurchaseOrder { args } => C::CreatePurchaseOrder(args.try_into()?),
            Command::ReceivePurchaseOrder { args } => C::ReceivePurchaseOrder(args.try_into()?),
            Command::ClosePurchaseOrder { po_id } => {
                C::ClosePurchaseOrder(planning::po_step(po_id))
            }
            Command::CancelPurchaseOrder { po_id } => {
                C::CancelPurchaseOrder(planning::po_step(po_id))
            }
        })
    }
}

// ---- results -----------------------------------------------------------------------------

/// What a command produced beyond its events.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct Receipt {
    /// Sequence of the first event written.
    pub first_seq: i64,
    /// Sequence of the last event written.
    pub last_seq: i64,
    /// The transfer id, for a dispatch.
    pub transfer_id: Option<String>,
    /// The difference a count posted (counted − expected), as decimal text.
    pub difference: Option<String>,
    /// The reservation id, for a reservation.
    pub reservation_id: Option<String>,
}

impl From<stockbook::Receipt> for Receipt {
    fn from(r: stockbook::Receipt) -> Self {
        Receipt {
            first_seq: signed(r.first_seq),
            last_seq: signed(r.last_seq),
            transfer_id: r.transfer_id,
            difference: r.difference.map(text),
            reservation_id: r.reservation_id,
        }
    }
}

/// One balance: on hand of an item at a location, for one lot.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct Balance {
    /// The item.
    pub sku: String,
    /// The location.
    pub location: String,
    /// The lot, for lot-tracked items.
    pub lot: Option<String>,
    /// On hand, as decimal text at the item's precision.
    pub on_hand: String,
}

impl From<stockbook::Balance> for Balance {
    fn from(b: stockbook::Balance) -> Self {
        Balance {
            sku: b.sku,
            location: b.location,
            lot: b.lot,
            on_hand: text(b.on_hand),
        }
    }
}

/// Which balances to list.
#[derive(Debug, Clone, PartialEq, Eq, Default, uniffi::Record)]
pub struct BalanceFilter {
    /// Only this item.
    #[uniffi(default)]
    pub sku: Option<String>,
    /// Only this location and the locations below it.
    #[uniffi(default)]
    pub location: Option<String>,
    /// Include virtual locations (supplier, customer, …).
    #[uniffi(default = false)]
    pub include_virtual: bool,
}

impl From<BalanceFilter> for stockbook::BalanceFilter {
    fn from(f: BalanceFilter) -> Self {
        {
            let mut v = stockbook::BalanceFilter::new().include_virtual(f.include_virtual);
            v.sku = f.sku;
            v.location = f.location;
            v
        }
    }
}

/// A point in the past: business time or log position.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum AsOf {
    /// Every movement effective at or before this instant.
    Time {
        /// Milliseconds since the epoch.
        at_ms: i64,
    },
    /// Every movement recorded at or before this sequence number.
    Seq {
        /// The sequence number.
        seq: i64,
    },
}

impl TryFrom<AsOf> for stockbook::AsOf {
    type Error = StockbookError;
    fn try_from(a: AsOf) -> Result<Self> {
        Ok(match a {
            AsOf::Time { at_ms } => stockbook::AsOf::Time(at_ms),
            AsOf::Seq { seq } => stockbook::AsOf::Seq(unsigned("seq", seq)?),
        })
    }
}

/// A two-step transfer between dispatch and full receipt.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
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
    /// How much was dispatched, as decimal text.
    pub dispatched: String,
    /// How much has been received so far, as decimal text.
    pub received: String,
    /// Serials dispatched and not yet received.
    pub serials_in_transit: Vec<String>,
}

impl From<stockbook::TransferRecord> for TransferRecord {
    fn from(t: stockbook::TransferRecord) -> Self {
        TransferRecord {
            id: t.id,
            sku: t.sku,
            lot: t.lot,
            from: t.from,
            to: t.to,
            dispatched: text(t.dispatched),
            received: text(t.received),
            serials_in_transit: t.serials_in_transit,
        }
    }
}

/// An event with its place in the log and who caused it.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct Envelope {
    /// Global sequence number, from 1, without gaps.
    pub seq: i64,
    /// When the engine recorded it (ms since the epoch).
    pub recorded_at: i64,
    /// When it took effect in business time (ms since the epoch).
    pub effective_at: i64,
    /// Who caused it.
    pub actor: Option<String>,
    /// The idempotency key of the command that caused it.
    pub key: Option<String>,
    /// A correlation id.
    pub correlation: Option<String>,
    /// Free-text reason.
    pub reason: Option<String>,
    /// The event's type name (`item_defined`, `moved`, `transfer_dispatched`, …).
    pub event: String,
    /// The event's fields as a JSON object (quantities as decimal text).
    pub payload_json: String,
}

impl From<stockbook::Envelope> for Envelope {
    fn from(e: stockbook::Envelope) -> Self {
        let event = e.event.name().to_owned();
        // The core's JSON of an event is `{"<name>": {fields}}`; the name is carried apart.
        let payload = match serde_json::to_value(&e.event) {
            Ok(serde_json::Value::Object(outer)) if outer.len() == 1 => outer
                .into_iter()
                .next()
                .map_or(serde_json::Value::Null, |(_, v)| v),
            Ok(other) => other,
            Err(_) => serde_json::Value::Null,
        };
        Envelope {
            seq: signed(e.seq),
            recorded_at: e.recorded_at,
            effective_at: e.effective_at,
            actor: e.actor,
            key: e.key,
            correlation: e.correlation,
            reason: e.reason,
            event,
            payload_json: payload.to_string(),
        }
    }
}

/// What `verify` found.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
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

impl From<stockbook::IntegrityReport> for IntegrityReport {
    fn from(r: stockbook::IntegrityReport) -> Self {
        IntegrityReport {
            events: signed(r.events),
            index_rows: signed(r.index_rows),
            sound: r.is_sound(),
            problems: r.problems,
        }
    }
}

/// When a commit is on disk.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum Durability {
    /// Every commit is durable before its callers are answered.
    Immediate,
    /// Commits are not flushed until `sync` or `close`: for initial loads.
    BulkLoad,
}

impl From<Durability> for stockbook::Durability {
    fn from(d: Durability) -> Self {
        match d {
            Durability::Immediate => stockbook::Durability::Immediate,
            Durability::BulkLoad => stockbook::Durability::BulkLoad,
        }
    }
}
