//! What JavaScript passes in: command arguments, meta, filters. Optional fields may be
//! left out (or `null`); the engine's own defaults fill them. Quantities are `string |
//! number | bigint`, instants `Date | number` (epoch ms).

use std::collections::BTreeMap;

use napi_derive::napi;
use stockbook as sb;

use crate::convert::{
    QtyIn, Refusal, SeqIn, TimeIn, opt_int, opt_qty, opt_time, qty, seq, time, type_error,
};
use crate::orders::{
    AllocateOrderArgs, AllocateOrdersArgs, CancelOrderArgs, CommitReservationArgs, CreateOrderArgs,
    FillBackordersArgs, OrderStepArgs, PackOrderArgs, PickOrderArgs, ReleaseReservationArgs,
    ReserveArgs, command,
};
use crate::records::{Coordinates, ItemTracking, LocationKind};
use crate::supply::command as supply;
use crate::supply::{CreatePurchaseOrderArgs, PurchaseOrderStepArgs, ReceivePurchaseOrderArgs};

/// An alternative unit of an item: `1 unit = factor × base unit`.
#[napi(object, object_to_js = false)]
pub struct UnitConversionInput {
    /// The alternative unit's name (`box`).
    pub unit: String,
    /// How many base units one of it holds; exact and positive.
    #[napi(ts_type = "string | number | bigint")]
    pub factor: QtyIn,
}

/// An item to define or the new master data of one to update. Left-out fields take the
/// engine's defaults (`unit` `ea`, 0 decimals, no tracking).
#[napi(object, object_to_js = false)]
pub struct ItemInput {
    /// The unique code.
    pub sku: String,
    /// A human name.
    pub name: Option<String>,
    /// The base unit of measure (`ea`, `kg`).
    pub unit: Option<String>,
    /// The precision of its quantities: 0..=6 fractional digits of the base unit.
    pub decimals: Option<f64>,
    /// How units are told apart.
    pub tracking: Option<ItemTracking>,
    /// Shelf life in days from production, if the item perishes.
    pub shelf_life_days: Option<f64>,
    /// Alternative units.
    pub conversions: Option<Vec<UnitConversionInput>>,
    /// Whether balances of this item may go below zero (default: forbidden).
    pub allow_negative: Option<bool>,
    /// A category for reports.
    pub category: Option<String>,
    /// Free attributes.
    pub attributes: Option<BTreeMap<String, String>>,
    /// Archived items take no more movements (archive with `archiveItem`).
    pub archived: Option<bool>,
}

impl TryFrom<ItemInput> for sb::Item {
    type Error = Refusal;
    fn try_from(i: ItemInput) -> Result<Self, Refusal> {
        let mut item = sb::Item::new(i.sku);
        if let Some(name) = i.name {
            item.name = name;
        }
        if let Some(unit) = i.unit {
            item.unit = unit;
        }
        if let Some(decimals) = opt_int(i.decimals, "decimals")? {
            item.decimals = decimals;
        }
        if let Some(tracking) = i.tracking {
            item.tracking = tracking.into();
        }
        item.shelf_life_days = opt_int(i.shelf_life_days, "shelfLifeDays")?;
        for c in i.conversions.unwrap_or_default() {
            let factor = qty(c.factor, "factor")?;
            item.conversions
                .push(sb::UnitConversion::new(c.unit, factor));
        }
        item.allow_negative = i.allow_negative.unwrap_or(item.allow_negative);
        item.category = i.category;
        item.attributes = i.attributes.unwrap_or_default();
        item.archived = i.archived.unwrap_or(item.archived);
        Ok(item)
    }
}

/// Capacity limits of a location.
#[napi(object, object_to_js = false)]
pub struct CapacityInput {
    /// Most units (of any item) it holds.
    #[napi(ts_type = "string | number | bigint")]
    pub units: Option<QtyIn>,
    /// Most weight, in kilograms.
    #[napi(ts_type = "string | number | bigint")]
    pub weight_kg: Option<QtyIn>,
    /// Most volume, in litres.
    #[napi(ts_type = "string | number | bigint")]
    pub volume_l: Option<QtyIn>,
}

/// A location to define or the new master data of one to update. Left-out fields take the
/// engine's defaults (a pickable, receivable bin without parent).
#[napi(object, object_to_js = false)]
pub struct LocationInput {
    /// The unique path-like code (`WH1/A/03/2`).
    pub code: String,
    /// A human name.
    pub name: Option<String>,
    /// What it is.
    pub kind: Option<LocationKind>,
    /// The parent in the hierarchy.
    pub parent: Option<String>,
    /// Capacity limits.
    pub capacity: Option<CapacityInput>,
    /// Coordinates for pick-path routing.
    pub coordinates: Option<Coordinates>,
    /// Whether stock may be picked from it.
    pub pickable: Option<bool>,
    /// Whether stock may be received into it.
    pub receivable: Option<bool>,
    /// Archived locations take no more movements (archive with `archiveLocation`).
    pub archived: Option<bool>,
}

impl TryFrom<LocationInput> for sb::Location {
    type Error = Refusal;
    fn try_from(l: LocationInput) -> Result<Self, Refusal> {
        let mut loc = sb::Location::new(l.code);
        if let Some(name) = l.name {
            loc.name = name;
        }
        if let Some(kind) = l.kind {
            loc.kind = kind.into();
        }
        loc.parent = l.parent;
        if let Some(c) = l.capacity {
            loc.capacity = {
                let mut v = sb::Capacity::new();
                v.units = opt_qty(c.units, "capacity.units")?;
                v.weight_kg = opt_qty(c.weight_kg, "capacity.weightKg")?;
                v.volume_l = opt_qty(c.volume_l, "capacity.volumeL")?;
                v
            };
        }
        loc.coordinates = l.coordinates.map(Into::into);
        loc.pickable = l.pickable.unwrap_or(loc.pickable);
        loc.receivable = l.receivable.unwrap_or(loc.receivable);
        loc.archived = l.archived.unwrap_or(loc.archived);
        Ok(loc)
    }
}

/// A lot to define, or new dates for one.
#[napi(object, object_to_js = false)]
pub struct LotInput {
    /// The item.
    pub sku: String,
    /// The lot code, unique per item.
    pub lot: String,
    /// When it expires, if it does.
    #[napi(ts_type = "Date | number")]
    pub expiry: Option<TimeIn>,
    /// When it was produced.
    #[napi(ts_type = "Date | number")]
    pub produced: Option<TimeIn>,
}

impl TryFrom<LotInput> for sb::Lot {
    type Error = Refusal;
    fn try_from(l: LotInput) -> Result<Self, Refusal> {
        Ok({
            let mut v = sb::Lot::new(l.sku, l.lot);
            v.expiry = opt_time(l.expiry, "expiry")?;
            v.produced = opt_time(l.produced, "produced")?;
            v
        })
    }
}

/// Receive stock from a supplier into a location.
#[napi(object, object_to_js = false)]
pub struct ReceiveArgs {
    /// The item.
    pub sku: String,
    /// Where it arrives (a physical, receivable location).
    pub location: String,
    /// How much, in `unit` (default: the base unit).
    #[napi(ts_type = "string | number | bigint")]
    pub qty: QtyIn,
    /// The unit of `qty`, one of the item's units.
    pub unit: Option<String>,
    /// The lot (required for lot-tracked items).
    pub lot: Option<String>,
    /// The lot's expiry, for a new lot.
    #[napi(ts_type = "Date | number")]
    pub expiry: Option<TimeIn>,
    /// The lot's production date, for a new lot.
    #[napi(ts_type = "Date | number")]
    pub produced: Option<TimeIn>,
    /// Serial numbers (serial-tracked items: exactly `qty` distinct ones).
    pub serials: Option<Vec<String>>,
    /// Cost per base unit.
    #[napi(ts_type = "string | number | bigint")]
    pub unit_cost: Option<QtyIn>,
    /// ISO 4217 currency of the cost.
    pub currency: Option<String>,
    /// The supplier location (default `@supplier`).
    pub from: Option<String>,
}

impl TryFrom<ReceiveArgs> for sb::Receive {
    type Error = Refusal;
    fn try_from(r: ReceiveArgs) -> Result<Self, Refusal> {
        Ok({
            let mut v = sb::Receive::new(r.sku, r.location, qty(r.qty, "qty")?)
                .serials(r.serials.unwrap_or_default());
            v.unit = r.unit;
            v.lot = r.lot;
            v.expiry = opt_time(r.expiry, "expiry")?;
            v.produced = opt_time(r.produced, "produced")?;
            v.unit_cost = opt_qty(r.unit_cost, "unitCost")?;
            v.currency = r.currency;
            v.from = r.from;
            v
        })
    }
}

/// Take stock out of a location: an internal issue or a shipment.
#[napi(object, object_to_js = false)]
pub struct IssueArgs {
    /// The item.
    pub sku: String,
    /// Where it is taken from.
    pub location: String,
    /// How much, in `unit`.
    #[napi(ts_type = "string | number | bigint")]
    pub qty: QtyIn,
    /// The unit of `qty`.
    pub unit: Option<String>,
    /// The lot (required for lot-tracked items).
    pub lot: Option<String>,
    /// Serial numbers (serial-tracked items).
    pub serials: Option<Vec<String>>,
    /// Take from an expired lot anyway.
    pub allow_expired: Option<bool>,
    /// The customer location (default `@customer`).
    pub to: Option<String>,
}

impl TryFrom<IssueArgs> for sb::Issue {
    type Error = Refusal;
    fn try_from(i: IssueArgs) -> Result<Self, Refusal> {
        Ok({
            let mut v = sb::Issue::new(i.sku, i.location, qty(i.qty, "qty")?)
                .serials(i.serials.unwrap_or_default())
                .allow_expired(i.allow_expired.unwrap_or_default());
            v.unit = i.unit;
            v.lot = i.lot;
            v.to = i.to;
            v
        })
    }
}

/// Correct a balance up (positive `qty`) or down (negative), with a reason code.
#[napi(object, object_to_js = false)]
pub struct AdjustArgs {
    /// The item.
    pub sku: String,
    /// The location.
    pub location: String,
    /// The signed change, in `unit`.
    #[napi(ts_type = "string | number | bigint")]
    pub qty: QtyIn,
    /// The unit of `qty`.
    pub unit: Option<String>,
    /// The lot.
    pub lot: Option<String>,
    /// Serial numbers.
    pub serials: Option<Vec<String>>,
    /// Why (`damaged`, `found`, …).
    pub reason_code: String,
}

impl TryFrom<AdjustArgs> for sb::Adjust {
    type Error = Refusal;
    fn try_from(a: AdjustArgs) -> Result<Self, Refusal> {
        Ok({
            let mut v = sb::Adjust::new(a.sku, a.location, qty(a.qty, "qty")?, a.reason_code)
                .serials(a.serials.unwrap_or_default());
            v.unit = a.unit;
            v.lot = a.lot;
            v
        })
    }
}

/// Write stock off to scrap.
#[napi(object, object_to_js = false)]
pub struct ScrapArgs {
    /// The item.
    pub sku: String,
    /// Where it is taken from.
    pub location: String,
    /// How much, in `unit`.
    #[napi(ts_type = "string | number | bigint")]
    pub qty: QtyIn,
    /// The unit of `qty`.
    pub unit: Option<String>,
    /// The lot.
    pub lot: Option<String>,
    /// Serial numbers.
    pub serials: Option<Vec<String>>,
    /// Why.
    pub reason_code: Option<String>,
}

impl TryFrom<ScrapArgs> for sb::Scrap {
    type Error = Refusal;
    fn try_from(s: ScrapArgs) -> Result<Self, Refusal> {
        Ok({
            let mut v = sb::Scrap::new(s.sku, s.location, qty(s.qty, "qty")?)
                .serials(s.serials.unwrap_or_default());
            v.unit = s.unit;
            v.lot = s.lot;
            v.reason_code = s.reason_code;
            v
        })
    }
}

/// Move stock from one location to another in one step.
#[napi(object, object_to_js = false)]
pub struct TransferArgs {
    /// The item.
    pub sku: String,
    /// Source.
    pub from: String,
    /// Destination.
    pub to: String,
    /// How much, in `unit`.
    #[napi(ts_type = "string | number | bigint")]
    pub qty: QtyIn,
    /// The unit of `qty`.
    pub unit: Option<String>,
    /// The lot.
    pub lot: Option<String>,
    /// Serial numbers.
    pub serials: Option<Vec<String>>,
    /// Move an expired lot anyway.
    pub allow_expired: Option<bool>,
}

impl TryFrom<TransferArgs> for sb::Transfer {
    type Error = Refusal;
    fn try_from(t: TransferArgs) -> Result<Self, Refusal> {
        Ok({
            let mut v = sb::Transfer::new(t.sku, t.from, t.to, qty(t.qty, "qty")?)
                .serials(t.serials.unwrap_or_default())
                .allow_expired(t.allow_expired.unwrap_or_default());
            v.unit = t.unit;
            v.lot = t.lot;
            v
        })
    }
}

/// Dispatch stock into transit: the first step of a two-step transfer.
#[napi(object, object_to_js = false)]
pub struct DispatchArgs {
    /// The transfer id (default: generated, `TR-<seq>`).
    pub transfer_id: Option<String>,
    /// The item.
    pub sku: String,
    /// Source.
    pub from: String,
    /// Final destination.
    pub to: String,
    /// How much, in `unit`.
    #[napi(ts_type = "string | number | bigint")]
    pub qty: QtyIn,
    /// The unit of `qty`.
    pub unit: Option<String>,
    /// The lot.
    pub lot: Option<String>,
    /// Serial numbers.
    pub serials: Option<Vec<String>>,
    /// Move an expired lot anyway.
    pub allow_expired: Option<bool>,
}

impl TryFrom<DispatchArgs> for sb::Dispatch {
    type Error = Refusal;
    fn try_from(d: DispatchArgs) -> Result<Self, Refusal> {
        Ok({
            let mut v = sb::Dispatch::new(d.sku, d.from, d.to, qty(d.qty, "qty")?)
                .serials(d.serials.unwrap_or_default())
                .allow_expired(d.allow_expired.unwrap_or_default());
            v.transfer_id = d.transfer_id;
            v.unit = d.unit;
            v.lot = d.lot;
            v
        })
    }
}

/// Receive all or part of a dispatched transfer at its destination.
#[napi(object, object_to_js = false)]
pub struct ReceiveTransferArgs {
    /// The transfer.
    pub transfer_id: String,
    /// How much arrived, in `unit`.
    #[napi(ts_type = "string | number | bigint")]
    pub qty: QtyIn,
    /// The unit of `qty`.
    pub unit: Option<String>,
    /// Serial numbers that arrived.
    pub serials: Option<Vec<String>>,
}

impl TryFrom<ReceiveTransferArgs> for sb::ReceiveTransfer {
    type Error = Refusal;
    fn try_from(r: ReceiveTransferArgs) -> Result<Self, Refusal> {
        Ok({
            let mut v = sb::ReceiveTransfer::new(r.transfer_id, qty(r.qty, "qty")?)
                .serials(r.serials.unwrap_or_default());
            v.unit = r.unit;
            v
        })
    }
}

/// Record a cycle count; the engine posts the difference to its balance.
#[napi(object, object_to_js = false)]
pub struct CountArgs {
    /// The item.
    pub sku: String,
    /// The location counted.
    pub location: String,
    /// The lot counted.
    pub lot: Option<String>,
    /// What was counted, in `unit`.
    #[napi(ts_type = "string | number | bigint")]
    pub counted: QtyIn,
    /// The unit of `counted`.
    pub unit: Option<String>,
}

impl TryFrom<CountArgs> for sb::Count {
    type Error = Refusal;
    fn try_from(c: CountArgs) -> Result<Self, Refusal> {
        Ok({
            let mut v = sb::Count::new(c.sku, c.location, qty(c.counted, "counted")?);
            v.lot = c.lot;
            v.unit = c.unit;
            v
        })
    }
}

/// The item to archive.
#[napi(object, object_to_js = false)]
pub struct ArchiveItemArgs {
    /// The item.
    pub sku: String,
}

/// The location to archive.
#[napi(object, object_to_js = false)]
pub struct ArchiveLocationArgs {
    /// The location.
    pub code: String,
}

/// Everything that changes the books, for `execute` and `executeBatch`: `op` names the
/// command (the typed method's name in snake_case, `transfer` for `transferStock`) and
/// `args` carries its arguments as one object.
#[napi(
    discriminant = "op",
    discriminant_case = "snake_case",
    object_to_js = false
)]
pub enum Command {
    /// Define a new item.
    DefineItem {
        /// The item.
        args: ItemInput,
    },
    /// Replace an item's master data (code, decimals and tracking stay once it moved).
    UpdateItem {
        /// The new master data.
        args: ItemInput,
    },
    /// Archive an item that holds no stock.
    ArchiveItem {
        /// The item.
        args: ArchiveItemArgs,
    },
    /// Define a new location.
    DefineLocation {
        /// The location.
        args: LocationInput,
    },
    /// Replace a location's master data.
    UpdateLocation {
        /// The new master data.
        args: LocationInput,
    },
    /// Archive a location whose subtree holds no stock.
    ArchiveLocation {
        /// The location.
        args: ArchiveLocationArgs,
    },
    /// Define a lot or change its dates.
    DefineLot {
        /// The lot.
        args: LotInput,
    },
    /// Supplier → bin.
    Receive {
        /// The receipt.
        args: ReceiveArgs,
    },
    /// Bin → consumer.
    Issue {
        /// The issue.
        args: IssueArgs,
    },
    /// Bin → customer.
    Ship {
        /// The shipment.
        args: IssueArgs,
    },
    /// Adjustment ↔ bin.
    Adjust {
        /// The adjustment.
        args: AdjustArgs,
    },
    /// Bin → scrap.
    Scrap {
        /// The scrap.
        args: ScrapArgs,
    },
    /// Bin → bin.
    Transfer {
        /// The transfer.
        args: TransferArgs,
    },
    /// Bin → in-transit.
    DispatchTransfer {
        /// The dispatch.
        args: DispatchArgs,
    },
    /// In-transit → bin.
    ReceiveTransfer {
        /// The receipt.
        args: ReceiveTransferArgs,
    },
    /// A cycle count.
    Count {
        /// The count.
        args: CountArgs,
    },
    /// Reserve stock.
    Reserve {
        /// The reservation.
        args: ReserveArgs,
    },
    /// Issue reserved stock; a partial commit releases the rest.
    CommitReservation {
        /// The commit.
        args: CommitReservationArgs,
    },
    /// Give back all or part of a reservation.
    ReleaseReservation {
        /// The release.
        args: ReleaseReservationArgs,
    },
    /// Record the expiry of every reservation past its time-to-live.
    ExpireDue,
    /// Create an order as a draft.
    CreateOrder {
        /// The order.
        args: CreateOrderArgs,
    },
    /// Confirm a draft order.
    ConfirmOrder {
        /// The order.
        args: OrderStepArgs,
    },
    /// Allocate stock to an order's open lines.
    AllocateOrder {
        /// The order and strategy.
        args: AllocateOrderArgs,
    },
    /// Allocate short stock across competing orders under a policy.
    AllocateOrders {
        /// The orders, policy and strategy.
        args: AllocateOrdersArgs,
    },
    /// Fill backordered lines from stock that has arrived.
    FillBackorders {
        /// Which backorders, policy and strategy.
        args: FillBackordersArgs,
    },
    /// Pick a line's stock from a bin to staging.
    PickOrder {
        /// The pick.
        args: PickOrderArgs,
    },
    /// Pack the picked stock.
    PackOrder {
        /// The packages.
        args: PackOrderArgs,
    },
    /// Ship a packed order.
    ShipOrder {
        /// The order.
        args: OrderStepArgs,
    },
    /// Record delivery of a shipped order.
    DeliverOrder {
        /// The order.
        args: OrderStepArgs,
    },
    /// Cancel an order with compensation.
    CancelOrder {
        /// The order and where picked stock goes.
        args: CancelOrderArgs,
    },
    /// Place a purchase order.
    CreatePurchaseOrder {
        /// The purchase order.
        args: CreatePurchaseOrderArgs,
    },
    /// Receive stock against one line of a purchase order.
    ReceivePurchaseOrder {
        /// The receipt.
        args: ReceivePurchaseOrderArgs,
    },
    /// Close a purchase order: what is missing is no longer expected.
    ClosePurchaseOrder {
        /// The purchase order.
        args: PurchaseOrderStepArgs,
    },
    /// Cancel a purchase order against which nothing has been received.
    CancelPurchaseOrder {
        /// The purchase order.
        args: PurchaseOrderStepArgs,
    },
}

impl TryFrom<Command> for sb::Command {
    type Error = Refusal;
    fn try_from(c: Command) -> Result<Self, Refusal> {
        use sb::Command as C;
        Ok(match c {
            Command::DefineItem { args } => C::DefineItem(args.try_into()?),
            Command::UpdateItem { args } => C::UpdateItem(args.try_into()?),
            Command::ArchiveItem { args } => C::ArchiveItem { sku: args.sku },
            Command::DefineLocation { args } => C::DefineLocation(args.try_into()?),
            Command::UpdateLocation { args } => C::UpdateLocation(args.try_into()?),
            Command::ArchiveLocation { args } => C::ArchiveLocation { code: args.code },
            Command::DefineLot { args } => C::DefineLot(args.try_into()?),
            Command::Receive { args } => C::Receive(args.try_into()?),
            Command::Issue { args } => C::Issue(args.try_into()?),
            Command::Ship { args } => C::Ship(args.try_into()?),
            Command::Adjust { args } => C::Adjust(args.try_into()?),
            Command::Scrap { args } => C::Scrap(args.try_into()?),
            Command::Transfer { args } => C::Transfer(args.try_into()?),
            Command::DispatchTransfer { args } => C::DispatchTransfer(args.try_into()?),
            Command::ReceiveTransfer { args } => C::ReceiveTransfer(args.try_into()?),
            Command::Count { args } => C::Count(args.try_into()?),
            Command::Reserve { args } => command::reserve(args)?,
            Command::CommitReservation { args } => command::commit_reservation(args)?,
            Command::ReleaseReservation { args } => command::release_reservation(args)?,
            Command::ExpireDue => C::ExpireDue {},
            Command::CreateOrder { args } => command::create_order(args)?,
            Command::ConfirmOrder { args } => C::ConfirmOrder(command::step(args)),
            Command::AllocateOrder { args } => command::allocate_order(args)?,
            Command::AllocateOrders { args } => command::allocate_orders(args)?,
            Command::FillBackorders { args } => command::fill_backorders(args)?,
            Command::PickOrder { args } => command::pick_order(args)?,
            Command::PackOrder { args } => command::pack_order(args)?,
            Command::ShipOrder { args } => C::ShipOrder(command::step(args)),
            Command::DeliverOrder { args } => C::DeliverOrder(command::step(args)),
            Command::CancelOrder { args } => command::cancel_order(args),
            Command::CreatePurchaseOrder { args } => supply::create_purchase_order(args)?,
            Command::ReceivePurchaseOrder { args } => supply::receive_purchase_order(args)?,
            Command::ClosePurchaseOrder { args } => C::ClosePurchaseOrder(supply::step(args)),
            Command::CancelPurchaseOrder { args } => C::CancelPurchaseOrder(supply::step(args)),
        })
    }
}

/// What a caller says about a command beyond the command itself.
#[napi(object, object_to_js = false)]
pub struct Meta {
    /// Who is acting.
    pub actor: Option<String>,
    /// Idempotency key: the same key again returns the first outcome and writes nothing.
    pub key: Option<String>,
    /// Correlation id (order, import batch).
    pub correlation: Option<String>,
    /// Free-text reason.
    pub reason: Option<String>,
    /// Business time the command takes effect (default: now).
    #[napi(ts_type = "Date | number")]
    pub effective_at: Option<TimeIn>,
}

/// Meta from JavaScript (none: empty meta).
pub fn meta(m: Option<Meta>) -> Result<sb::Meta, Refusal> {
    let Some(m) = m else {
        return Ok(sb::Meta::default());
    };
    Ok(sb::Meta {
        actor: m.actor,
        key: m.key,
        correlation: m.correlation,
        reason: m.reason,
        effective_at: opt_time(m.effective_at, "effectiveAt")?,
    })
}

/// Which balances to list.
#[napi(object, object_to_js = false)]
pub struct BalanceFilter {
    /// Only this item.
    pub sku: Option<String>,
    /// Only this location and the locations below it.
    pub location: Option<String>,
    /// Include virtual locations (supplier, customer, …).
    pub include_virtual: Option<bool>,
}

impl From<BalanceFilter> for sb::BalanceFilter {
    fn from(f: BalanceFilter) -> Self {
        {
            let mut v =
                sb::BalanceFilter::new().include_virtual(f.include_virtual.unwrap_or_default());
            v.sku = f.sku;
            v.location = f.location;
            v
        }
    }
}

/// A point in the past: give exactly one of `at` (business time) or `seq` (log position).
#[napi(object, object_to_js = false)]
pub struct AsOf {
    /// Every movement effective at or before this instant.
    #[napi(ts_type = "Date | number")]
    pub at: Option<TimeIn>,
    /// Every movement recorded at or before this sequence number.
    #[napi(ts_type = "bigint | number")]
    pub seq: Option<SeqIn>,
}

impl TryFrom<AsOf> for sb::AsOf {
    type Error = Refusal;
    fn try_from(a: AsOf) -> Result<Self, Refusal> {
        match (a.at, a.seq) {
            (Some(at), None) => Ok(sb::AsOf::Time(time(at, "asOf.at")?)),
            (None, Some(s)) => Ok(sb::AsOf::Seq(seq(s, "asOf.seq")?)),
            _ => Err(type_error(
                "asOf",
                "an object with exactly one of `at` or `seq`",
            )),
        }
    }
}

/// A sequence number to start from (none: the beginning).
pub fn from_seq(value: Option<SeqIn>) -> Result<u64, Refusal> {
    value.map_or(Ok(0), |v| seq(v, "fromSeq"))
}

/// Where a page of events starts and how long it is at most.
pub fn page(from: Option<SeqIn>, limit: Option<f64>) -> Result<(u64, usize), Refusal> {
    Ok((from_seq(from)?, self::limit(limit)?))
}

/// How many events to return at most (none: the engine's page limit).
pub fn limit(value: Option<f64>) -> Result<usize, Refusal> {
    Ok(opt_int(value, "limit")?.unwrap_or(sb::ledger::PAGE_LEN_MAX))
}
