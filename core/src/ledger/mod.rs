//! The stock ledger: master data, movements and balances.
//!
//! It owns the [`Command`]s that change stock and master data, the rules that accept or
//! refuse them ([`decide`]), and the in-memory projection they fold into
//! ([`state::State`]). Deciding is pure: a refused command leaves no trace, which is what
//! lets a refused command in a commit group refuse alone.

mod keyed;
pub(crate) mod query;
pub(crate) mod state;

pub use query::{AsOf, Balance, BalanceFilter, EventIter, IntegrityReport, PAGE_LEN_MAX};

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::event::{CountRecord, Event, Movement, MovementKind, TransferRecord};
use crate::model::{
    DAY_MS, Item, Location, LocationKind, Lot, Qty, Timestamp, Tracking, validate_code,
    validate_text, virtual_locations as vl,
};
use crate::orders;
use crate::planning;
use state::State;

/// The most serials one movement may carry.
pub const SERIALS_PER_MOVEMENT_MAX: usize = 10_000;
/// How far into the future an effective time may lie.
pub const EFFECTIVE_AHEAD_MS_MAX: i64 = DAY_MS;

pub(crate) fn builtin_locations() -> [(&'static str, LocationKind); 6] {
    [
        (vl::SUPPLIER, LocationKind::Supplier),
        (vl::CUSTOMER, LocationKind::Customer),
        (vl::ADJUSTMENT, LocationKind::Adjustment),
        (vl::SCRAP, LocationKind::Scrap),
        (vl::IN_TRANSIT, LocationKind::InTransit),
        (vl::PRODUCTION, LocationKind::Production),
    ]
}

/// Receive stock from a supplier into a location.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Receive {
    /// The item.
    pub sku: String,
    /// Where it arrives (a physical, receivable location).
    pub location: String,
    /// How much, in `unit` (default: the base unit).
    pub qty: Qty,
    /// The unit of `qty`, one of the item's units.
    #[serde(default)]
    pub unit: Option<String>,
    /// The lot (required for lot-tracked items).
    #[serde(default)]
    pub lot: Option<String>,
    /// The lot's expiry, for a new lot.
    #[serde(default)]
    pub expiry: Option<Timestamp>,
    /// The lot's production date, for a new lot.
    #[serde(default)]
    pub produced: Option<Timestamp>,
    /// Serial numbers (serial-tracked items: exactly `qty` distinct ones).
    #[serde(default)]
    pub serials: Vec<String>,
    /// Cost per base unit.
    #[serde(default)]
    pub unit_cost: Option<Qty>,
    /// ISO 4217 currency of the cost.
    #[serde(default)]
    pub currency: Option<String>,
    /// The supplier location (default `@supplier`).
    #[serde(default)]
    pub from: Option<String>,
}

impl Receive {
    /// A receipt of `qty` base units of `sku` into `location`.
    pub fn new(sku: &str, location: &str, qty: impl Into<Qty>) -> Receive {
        Receive {
            sku: sku.to_owned(),
            location: location.to_owned(),
            qty: qty.into(),
            unit: None,
            lot: None,
            expiry: None,
            produced: None,
            serials: Vec::new(),
            unit_cost: None,
            currency: None,
            from: None,
        }
    }
}

/// Take stock out of a location: an internal issue or a shipment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Issue {
    /// The item.
    pub sku: String,
    /// Where it is taken from.
    pub location: String,
    /// How much, in `unit`.
    pub qty: Qty,
    /// The unit of `qty`.
    #[serde(default)]
    pub unit: Option<String>,
    /// The lot (required for lot-tracked items).
    #[serde(default)]
    pub lot: Option<String>,
    /// Serial numbers (serial-tracked items).
    #[serde(default)]
    pub serials: Vec<String>,
    /// Take from an expired lot anyway.
    #[serde(default)]
    pub allow_expired: bool,
    /// The customer location (default `@customer`).
    #[serde(default)]
    pub to: Option<String>,
}

impl Issue {
    /// An issue of `qty` base units of `sku` from `location`.
    pub fn new(sku: &str, location: &str, qty: impl Into<Qty>) -> Issue {
        Issue {
            sku: sku.to_owned(),
            location: location.to_owned(),
            qty: qty.into(),
            unit: None,
            lot: None,
            serials: Vec::new(),
            allow_expired: false,
            to: None,
        }
    }
}

/// Correct a balance up (positive `qty`) or down (negative), with a reason code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Adjust {
    /// The item.
    pub sku: String,
    /// The location.
    pub location: String,
    /// The signed change, in `unit`.
    pub qty: Qty,
    /// The unit of `qty`.
    #[serde(default)]
    pub unit: Option<String>,
    /// The lot.
    #[serde(default)]
    pub lot: Option<String>,
    /// Serial numbers.
    #[serde(default)]
    pub serials: Vec<String>,
    /// Why (`damaged`, `found`, …).
    pub reason_code: String,
}

/// Write stock off to scrap.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Scrap {
    /// The item.
    pub sku: String,
    /// Where it is taken from.
    pub location: String,
    /// How much, in `unit`.
    pub qty: Qty,
    /// The unit of `qty`.
    #[serde(default)]
    pub unit: Option<String>,
    /// The lot.
    #[serde(default)]
    pub lot: Option<String>,
    /// Serial numbers.
    #[serde(default)]
    pub serials: Vec<String>,
    /// Why.
    #[serde(default)]
    pub reason_code: Option<String>,
}

/// Move stock from one location to another in one step.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Transfer {
    /// The item.
    pub sku: String,
    /// Source.
    pub from: String,
    /// Destination.
    pub to: String,
    /// How much, in `unit`.
    pub qty: Qty,
    /// The unit of `qty`.
    #[serde(default)]
    pub unit: Option<String>,
    /// The lot.
    #[serde(default)]
    pub lot: Option<String>,
    /// Serial numbers.
    #[serde(default)]
    pub serials: Vec<String>,
    /// Move an expired lot anyway.
    #[serde(default)]
    pub allow_expired: bool,
}

/// Dispatch stock into transit: the first step of a two-step transfer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Dispatch {
    /// The transfer id (default: generated, `TR-<seq>`).
    #[serde(default)]
    pub transfer_id: Option<String>,
    /// The item.
    pub sku: String,
    /// Source.
    pub from: String,
    /// Final destination.
    pub to: String,
    /// How much, in `unit`.
    pub qty: Qty,
    /// The unit of `qty`.
    #[serde(default)]
    pub unit: Option<String>,
    /// The lot.
    #[serde(default)]
    pub lot: Option<String>,
    /// Serial numbers.
    #[serde(default)]
    pub serials: Vec<String>,
    /// Move an expired lot anyway.
    #[serde(default)]
    pub allow_expired: bool,
}

/// Receive all or part of a dispatched transfer at its destination.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReceiveTransfer {
    /// The transfer.
    pub transfer_id: String,
    /// How much arrived, in `unit`.
    pub qty: Qty,
    /// The unit of `qty`.
    #[serde(default)]
    pub unit: Option<String>,
    /// Serial numbers that arrived.
    #[serde(default)]
    pub serials: Vec<String>,
}

/// Record a cycle count; the engine posts the difference to its balance.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Count {
    /// The item.
    pub sku: String,
    /// The location counted.
    pub location: String,
    /// The lot counted.
    #[serde(default)]
    pub lot: Option<String>,
    /// What was counted, in `unit`.
    pub counted: Qty,
    /// The unit of `counted`.
    #[serde(default)]
    pub unit: Option<String>,
}

/// Everything that changes the ledger.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "op", content = "args", rename_all = "snake_case")]
pub enum Command {
    /// Define a new item.
    DefineItem(Item),
    /// Replace an item's master data (code, decimals and tracking stay once it moved).
    UpdateItem(Item),
    /// Archive an item that holds no stock.
    ArchiveItem {
        /// The item.
        sku: String,
    },
    /// Define a new location.
    DefineLocation(Location),
    /// Replace a location's master data.
    UpdateLocation(Location),
    /// Archive a location whose subtree holds no stock.
    ArchiveLocation {
        /// The location.
        code: String,
    },
    /// Define a lot or change its dates.
    DefineLot(Lot),
    /// Supplier → bin.
    Receive(Receive),
    /// Bin → consumer.
    Issue(Issue),
    /// Bin → customer.
    Ship(Issue),
    /// Adjustment ↔ bin.
    Adjust(Adjust),
    /// Bin → scrap.
    Scrap(Scrap),
    /// Bin → bin.
    Transfer(Transfer),
    /// Bin → in-transit.
    DispatchTransfer(Dispatch),
    /// In-transit → bin.
    ReceiveTransfer(ReceiveTransfer),
    /// A cycle count.
    Count(Count),
    /// Reserve stock.
    Reserve(orders::Reserve),
    /// Issue reserved stock; a partial commit releases the rest.
    CommitReservation(orders::CommitReservation),
    /// Give back all or part of a reservation.
    ReleaseReservation {
        /// The reservation.
        reservation_id: String,
        /// How much (default: all it holds).
        #[serde(default)]
        qty: Option<Qty>,
    },
    /// Record the expiry of every reservation whose time-to-live has run out. (Any write
    /// does this first; this command does only this.)
    ExpireDue {},
    /// Create an order as a draft.
    CreateOrder(orders::CreateOrder),
    /// Confirm a draft order.
    ConfirmOrder(orders::OrderStep),
    /// Allocate stock to an order's open lines.
    AllocateOrder(orders::AllocateOrder),
    /// Allocate short stock across competing orders under a policy.
    AllocateOrders(orders::AllocateOrders),
    /// Fill backordered lines from stock that has arrived.
    FillBackorders(orders::FillBackorders),
    /// Pick a line's stock from a bin to staging.
    PickOrder(orders::PickOrder),
    /// Pack the picked stock.
    PackOrder(orders::PackOrder),
    /// Ship a packed order: issues the stock, commits the reservations.
    ShipOrder(orders::OrderStep),
    /// Record delivery of a shipped order.
    DeliverOrder(orders::OrderStep),
    /// Cancel an order with compensation.
    CancelOrder(orders::CancelOrder),
    /// Place a purchase order.
    CreatePurchaseOrder(planning::supply::CreatePurchaseOrder),
    /// Receive stock against a purchase order line: a receive plus the order's update.
    ReceivePurchaseOrder(planning::supply::ReceivePurchaseOrder),
    /// Close a purchase order: what is missing is no longer expected.
    ClosePurchaseOrder(planning::supply::PurchaseOrderStep),
    /// Cancel a purchase order against which nothing has been received.
    CancelPurchaseOrder(planning::supply::PurchaseOrderStep),
}

impl Command {
    /// The snake_case name of the command (its `op` in scenarios).
    pub fn name(&self) -> &'static str {
        match self {
            Command::DefineItem(_) => "define_item",
            Command::UpdateItem(_) => "update_item",
            Command::ArchiveItem { .. } => "archive_item",
            Command::DefineLocation(_) => "define_location",
            Command::UpdateLocation(_) => "update_location",
            Command::ArchiveLocation { .. } => "archive_location",
            Command::DefineLot(_) => "define_lot",
            Command::Receive(_) => "receive",
            Command::Issue(_) => "issue",
            Command::Ship(_) => "ship",
            Command::Adjust(_) => "adjust",
            Command::Scrap(_) => "scrap",
            Command::Transfer(_) => "transfer",
            Command::DispatchTransfer(_) => "dispatch_transfer",
            Command::ReceiveTransfer(_) => "receive_transfer",
            Command::Count(_) => "count",
            Command::Reserve(_) => "reserve",
            Command::CommitReservation(_) => "commit_reservation",
            Command::ReleaseReservation { .. } => "release_reservation",
            Command::ExpireDue {} => "expire_due",
            Command::CreateOrder(_) => "create_order",
            Command::ConfirmOrder(_) => "confirm_order",
            Command::AllocateOrder(_) => "allocate_order",
            Command::AllocateOrders(_) => "allocate_orders",
            Command::FillBackorders(_) => "fill_backorders",
            Command::PickOrder(_) => "pick_order",
            Command::PackOrder(_) => "pack_order",
            Command::ShipOrder(_) => "ship_order",
            Command::DeliverOrder(_) => "deliver_order",
            Command::CancelOrder(_) => "cancel_order",
            Command::CreatePurchaseOrder(_) => "create_purchase_order",
            Command::ReceivePurchaseOrder(_) => "receive_purchase_order",
            Command::ClosePurchaseOrder(_) => "close_purchase_order",
            Command::CancelPurchaseOrder(_) => "cancel_purchase_order",
        }
    }
}

macro_rules! command_from {
    ($($ty:ty => $variant:ident),* $(,)?) => {
        $(impl From<$ty> for Command {
            fn from(c: $ty) -> Command { Command::$variant(c) }
        })*
    };
}
command_from!(Receive => Receive, Adjust => Adjust, Scrap => Scrap, Transfer => Transfer,
    Dispatch => DispatchTransfer, ReceiveTransfer => ReceiveTransfer, Count => Count,
    orders::Reserve => Reserve, orders::CommitReservation => CommitReservation,
    orders::CreateOrder => CreateOrder, orders::AllocateOrder => AllocateOrder,
    orders::AllocateOrders => AllocateOrders, orders::FillBackorders => FillBackorders,
    orders::PickOrder => PickOrder, orders::PackOrder => PackOrder,
    orders::CancelOrder => CancelOrder,
    planning::supply::CreatePurchaseOrder => CreatePurchaseOrder,
    planning::supply::ReceivePurchaseOrder => ReceivePurchaseOrder);

/// What a caller says about a command beyond the command itself.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Meta {
    /// Who is acting.
    #[serde(default)]
    pub actor: Option<String>,
    /// Idempotency key: the same key again returns the first outcome and writes nothing.
    #[serde(default)]
    pub key: Option<String>,
    /// Correlation id (order, import batch).
    #[serde(default)]
    pub correlation: Option<String>,
    /// Free-text reason.
    #[serde(default)]
    pub reason: Option<String>,
    /// Business time the command takes effect (default: now).
    #[serde(default)]
    pub effective_at: Option<Timestamp>,
}

impl Meta {
    /// Empty meta.
    pub fn new() -> Meta {
        Meta::default()
    }
    /// With an actor.
    #[must_use]
    pub fn actor(mut self, actor: impl Into<String>) -> Meta {
        self.actor = Some(actor.into());
        self
    }
    /// With an idempotency key.
    #[must_use]
    pub fn key(mut self, key: impl Into<String>) -> Meta {
        self.key = Some(key.into());
        self
    }
    /// With a correlation id.
    #[must_use]
    pub fn correlation(mut self, id: impl Into<String>) -> Meta {
        self.correlation = Some(id.into());
        self
    }
    /// With a reason.
    #[must_use]
    pub fn reason(mut self, reason: impl Into<String>) -> Meta {
        self.reason = Some(reason.into());
        self
    }
    /// With an effective (business) time.
    #[must_use]
    pub fn effective_at(mut self, at: Timestamp) -> Meta {
        self.effective_at = Some(at);
        self
    }

    /// Checks lengths and characters; `now` bounds the effective time.
    pub(crate) fn validate(&self, now: Timestamp) -> Result<()> {
        if let Some(actor) = &self.actor {
            validate_code("actor", actor)?;
        }
        if let Some(key) = &self.key {
            validate_code("key", key)?;
        }
        if let Some(c) = &self.correlation {
            validate_code("correlation", c)?;
        }
        if let Some(r) = &self.reason {
            validate_text("reason", r)?;
        }
        if let Some(at) = self.effective_at
            && at > now.saturating_add(EFFECTIVE_AHEAD_MS_MAX)
        {
            return Err(Error::invalid_argument(
                "effective_at",
                "lies more than a day in the future",
            ));
        }
        Ok(())
    }
}

/// What a command produced beyond its events.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
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

/// The events a command becomes, and the facts to answer with.
pub(crate) struct Decision {
    pub events: Vec<Event>,
    pub transfer_id: Option<String>,
    pub difference: Option<Qty>,
    pub reservation_id: Option<String>,
}

impl Decision {
    pub(crate) fn events(events: Vec<Event>) -> Decision {
        Decision {
            events,
            transfer_id: None,
            difference: None,
            reservation_id: None,
        }
    }
}

/// Decides whether `cmd` is accepted against `state` at engine time `now`, and which
/// events it becomes. `next_seq` is the sequence its first event will get.
pub(crate) fn decide(
    state: &State,
    cmd: &Command,
    now: Timestamp,
    next_seq: u64,
) -> Result<Decision> {
    match cmd {
        Command::DefineItem(item) => {
            item.validate()?;
            if state.items.contains_key(&item.sku) {
                return Err(Error::AlreadyExists {
                    kind: "item".into(),
                    key: item.sku.clone(),
                });
            }
            if item.archived {
                return Err(Error::invalid_argument(
                    "archived",
                    "define the item, then archive it",
                ));
            }
            Ok(Decision::events(vec![Event::ItemDefined(item.clone())]))
        }
        Command::UpdateItem(item) => {
            item.validate()?;
            let old = active_item(state, &item.sku)?;
            if state.item_moved(&item.sku)
                && (old.decimals != item.decimals || old.tracking != item.tracking)
            {
                return Err(Error::invalid_argument(
                    if old.decimals == item.decimals {
                        "tracking"
                    } else {
                        "decimals"
                    },
                    "cannot change once the item has moved",
                ));
            }
            let mut new = item.clone();
            new.archived = false;
            Ok(Decision::events(vec![Event::ItemUpdated(new)]))
        }
        Command::ArchiveItem { sku } => {
            active_item(state, sku)?;
            // Stock in transit is still the item's: archiving would strand it.
            if state.stocked_item.contains_key(sku) || in_transit(state, |t| t.sku == *sku) {
                return Err(Error::NotEmpty {
                    kind: "item".into(),
                    key: sku.clone(),
                });
            }
            Ok(Decision::events(vec![Event::ItemArchived {
                sku: sku.clone(),
            }]))
        }
        Command::DefineLocation(loc) => {
            loc.validate()?;
            if state.locations.contains_key(&loc.code) {
                return Err(Error::AlreadyExists {
                    kind: "location".into(),
                    key: loc.code.clone(),
                });
            }
            if loc.archived {
                return Err(Error::invalid_argument(
                    "archived",
                    "define it, then archive it",
                ));
            }
            if let Some(parent) = &loc.parent {
                active_location(state, parent)?;
            }
            Ok(Decision::events(vec![Event::LocationDefined(loc.clone())]))
        }
        Command::UpdateLocation(loc) => {
            loc.validate()?;
            let old = active_location(state, &loc.code)?;
            if let Some(parent) = &loc.parent {
                active_location(state, parent)?;
                let mut cursor = Some(parent.as_str());
                while let Some(code) = cursor {
                    if code == loc.code {
                        return Err(Error::HierarchyCycle {
                            location: loc.code.clone(),
                            parent: parent.clone(),
                        });
                    }
                    cursor = state.locations.get(code).and_then(|l| l.parent.as_deref());
                }
            }
            let holds = |code: &str| {
                state.subtree(code).iter().any(|l| {
                    state.stocked_at.contains_key(l)
                        || state.reservations.values().any(|r| {
                            r.scope == *l && r.state == crate::orders::ReservationState::Pending
                        })
                })
            };
            // Roll-ups follow the tree: a subtree holding stock keeps its place in it.
            if old.parent != loc.parent && holds(&loc.code) {
                return Err(Error::NotEmpty {
                    kind: "location".into(),
                    key: loc.code.clone(),
                });
            }
            if old.kind.is_virtual() != loc.kind.is_virtual()
                && state.stocked_at.contains_key(&loc.code)
            {
                return Err(Error::NotEmpty {
                    kind: "location".into(),
                    key: loc.code.clone(),
                });
            }
            let mut new = loc.clone();
            new.archived = false;
            Ok(Decision::events(vec![Event::LocationUpdated(new)]))
        }
        Command::ArchiveLocation { code } => {
            validate_code("location", code)?;
            if code.starts_with('@') {
                return Err(Error::InvalidCode {
                    kind: "location".into(),
                    code: code.clone(),
                    reason: "built-in locations cannot be archived".into(),
                });
            }
            active_location(state, code)?;
            for loc in state.subtree(code) {
                // An open transfer to it could never be received once it is archived.
                if state.stocked_at.contains_key(&loc) || in_transit(state, |t| t.to == loc) {
                    return Err(Error::NotEmpty {
                        kind: "location".into(),
                        key: code.clone(),
                    });
                }
                if loc != *code && state.locations.get(&loc).is_some_and(|l| !l.archived) {
                    return Err(Error::invalid_argument(
                        "code",
                        format!("child location {loc} is active; archive it first"),
                    ));
                }
            }
            Ok(Decision::events(vec![Event::LocationArchived {
                code: code.clone(),
            }]))
        }
        Command::DefineLot(lot) => {
            let item = active_item(state, &lot.sku)?;
            if item.tracking != Tracking::Lot {
                return Err(tracking(item, "is not lot-tracked"));
            }
            validate_code("lot", &lot.lot)?;
            let mut rec = lot.clone();
            rec.first_received = state
                .lots
                .get(&(lot.sku.clone(), lot.lot.clone()))
                .and_then(|l| l.first_received);
            fill_expiry(item, &mut rec);
            Ok(Decision::events(vec![Event::LotDefined(rec)]))
        }
        Command::Receive(r) => decide_receive(state, r),
        Command::Issue(i) => decide_issue(state, i, MovementKind::Issue, now),
        Command::Ship(i) => decide_issue(state, i, MovementKind::Ship, now),
        Command::Adjust(a) => decide_adjust(state, a, now),
        Command::Scrap(s) => {
            if let Some(code) = &s.reason_code {
                validate_code("reason_code", code)?;
            }
            let item = active_item(state, &s.sku)?;
            let loc = physical_location(state, &s.location)?;
            let qty = movement_qty(item, s.qty, s.unit.as_deref())?;
            let lot = check_tracking(item, s.lot.as_ref(), &s.serials, qty)?;
            check_take(state, item, loc, lot, &s.serials, qty, now, true)?;
            check_put(state, item, (&loc.code, vl::SCRAP), lot, qty)?;
            let mut m = movement(MovementKind::Scrap, item, lot, &loc.code, vl::SCRAP, qty);
            m.serials.clone_from(&s.serials);
            m.reason_code.clone_from(&s.reason_code);
            Ok(Decision::events(vec![Event::Moved(m)]))
        }
        Command::Transfer(t) => {
            let item = active_item(state, &t.sku)?;
            let from = physical_location(state, &t.from)?;
            let to = physical_location(state, &t.to)?;
            if from.code == to.code {
                return Err(Error::invalid_argument(
                    "to",
                    "is the same location as from",
                ));
            }
            let qty = movement_qty(item, t.qty, t.unit.as_deref())?;
            let lot = check_tracking(item, t.lot.as_ref(), &t.serials, qty)?;
            // Ancestors of both ends keep the stock: only the subtrees it leaves are checked.
            check_take_within(
                state,
                item,
                from,
                lot,
                &t.serials,
                qty,
                now,
                t.allow_expired,
                None,
                Some(&to.code),
            )?;
            check_put(state, item, (&from.code, &to.code), lot, qty)?;
            let mut m = movement(MovementKind::Transfer, item, lot, &from.code, &to.code, qty);
            m.serials.clone_from(&t.serials);
            Ok(Decision::events(vec![Event::Moved(m)]))
        }
        Command::DispatchTransfer(d) => decide_dispatch(state, d, now, next_seq),
        Command::ReceiveTransfer(r) => decide_receive_transfer(state, r),
        Command::Count(c) => decide_count(state, c),
        Command::Reserve(r) => orders::decide::reserve(state, r, now, next_seq),
        Command::CommitReservation(c) => orders::decide::commit(state, c, now),
        Command::ReleaseReservation {
            reservation_id,
            qty,
        } => orders::decide::release(state, reservation_id, *qty),
        Command::ExpireDue {} => Ok(Decision::events(Vec::new())),
        Command::CreateOrder(c) => orders::decide::create(state, c, now, next_seq),
        Command::ConfirmOrder(c) => orders::decide::confirm(state, c),
        Command::AllocateOrder(c) => orders::decide::allocate(state, c, now, next_seq),
        Command::AllocateOrders(c) => orders::decide::allocate_orders(state, c, now, next_seq),
        Command::FillBackorders(c) => orders::decide::fill_backorders(state, c, now, next_seq),
        Command::PickOrder(c) => orders::decide::pick(state, c, now, next_seq),
        Command::PackOrder(c) => orders::decide::pack(state, c),
        Command::ShipOrder(c) => orders::decide::ship(state, c, now),
        Command::DeliverOrder(c) => orders::decide::deliver(state, c),
        Command::CancelOrder(c) => orders::decide::cancel(state, c),
        Command::CreatePurchaseOrder(c) => {
            planning::supply::decide::create(state, c, now, next_seq)
        }
        Command::ReceivePurchaseOrder(c) => planning::supply::decide::receive(state, c, now),
        Command::ClosePurchaseOrder(c) => planning::supply::decide::close(state, c, now),
        Command::CancelPurchaseOrder(c) => planning::supply::decide::cancel(state, c, now),
    }
}

pub(crate) fn decide_receive(state: &State, r: &Receive) -> Result<Decision> {
    let item = active_item(state, &r.sku)?;
    let loc = physical_location(state, &r.location)?;
    if !loc.receivable {
        return Err(Error::invalid_argument(
            "location",
            format!("{} is not receivable", loc.code),
        ));
    }
    let from = match &r.from {
        Some(code) => virtual_location(state, code, LocationKind::Supplier)?,
        None => vl::SUPPLIER,
    };
    let qty = movement_qty(item, r.qty, r.unit.as_deref())?;
    let lot = check_tracking(item, r.lot.as_ref(), &r.serials, qty)?;
    if let Some(cost) = r.unit_cost
        && cost.is_negative()
    {
        return Err(Error::invalid_argument("unit_cost", "must not be negative"));
    }
    if let Some(currency) = &r.currency {
        if currency.len() != 3 || !currency.bytes().all(|b| b.is_ascii_uppercase()) {
            return Err(Error::invalid_argument(
                "currency",
                "must be an ISO 4217 code such as EUR",
            ));
        }
        if r.unit_cost.is_none() {
            return Err(Error::invalid_argument(
                "currency",
                "given without a unit_cost",
            ));
        }
    }
    for serial in &r.serials {
        if let Some(at) = state.serials.get(&(r.sku.clone(), serial.clone()))
            && !state.is_virtual(at)
        {
            return Err(tracking(
                item,
                &format!("serial {serial} is already at {at}"),
            ));
        }
    }
    let mut events = Vec::with_capacity(2);
    if let Some(lot_code) = lot {
        events.extend(lot_event(state, item, lot_code, r.expiry, r.produced)?);
    } else if r.expiry.is_some() || r.produced.is_some() {
        return Err(Error::invalid_argument(
            "expiry",
            "dates belong to lots; the item has none",
        ));
    }
    check_put(state, item, (from, &loc.code), lot, qty)?;
    let mut m = movement(MovementKind::Receive, item, lot, from, &loc.code, qty);
    m.serials.clone_from(&r.serials);
    m.unit_cost = r.unit_cost;
    m.currency.clone_from(&r.currency);
    events.push(Event::Moved(m));
    Ok(Decision::events(events))
}

fn decide_issue(state: &State, i: &Issue, kind: MovementKind, now: Timestamp) -> Result<Decision> {
    let item = active_item(state, &i.sku)?;
    let loc = physical_location(state, &i.location)?;
    let to = match &i.to {
        Some(code) => virtual_location(state, code, LocationKind::Customer)?,
        None => vl::CUSTOMER,
    };
    let qty = movement_qty(item, i.qty, i.unit.as_deref())?;
    let lot = check_tracking(item, i.lot.as_ref(), &i.serials, qty)?;
    check_take(state, item, loc, lot, &i.serials, qty, now, i.allow_expired)?;
    check_put(state, item, (&loc.code, to), lot, qty)?;
    let mut m = movement(kind, item, lot, &loc.code, to, qty);
    m.serials.clone_from(&i.serials);
    Ok(Decision::events(vec![Event::Moved(m)]))
}

fn decide_adjust(state: &State, a: &Adjust, now: Timestamp) -> Result<Decision> {
    validate_code("reason_code", &a.reason_code)?;
    let item = active_item(state, &a.sku)?;
    let loc = physical_location(state, &a.location)?;
    let signed = item.to_base(a.qty, a.unit.as_deref())?;
    if signed.is_zero() {
        return Err(Error::InvalidQuantity {
            value: a.qty.to_string(),
            reason: "is zero".into(),
        });
    }
    let qty = if signed.is_negative() {
        signed.checked_neg()?
    } else {
        signed
    };
    let lot = check_tracking(item, a.lot.as_ref(), &a.serials, qty)?;
    let mut events = Vec::with_capacity(2);
    let mut m = if signed.is_negative() {
        check_take(state, item, loc, lot, &a.serials, qty, now, true)?;
        check_put(state, item, (&loc.code, vl::ADJUSTMENT), lot, qty)?;
        movement(
            MovementKind::Adjust,
            item,
            lot,
            &loc.code,
            vl::ADJUSTMENT,
            qty,
        )
    } else {
        if let Some(lot_code) = lot {
            events.extend(lot_event(state, item, lot_code, None, None)?);
        }
        for serial in &a.serials {
            if let Some(at) = state.serials.get(&(a.sku.clone(), serial.clone()))
                && !state.is_virtual(at)
            {
                return Err(tracking(
                    item,
                    &format!("serial {serial} is already at {at}"),
                ));
            }
        }
        check_put(state, item, (vl::ADJUSTMENT, &loc.code), lot, qty)?;
        movement(
            MovementKind::Adjust,
            item,
            lot,
            vl::ADJUSTMENT,
            &loc.code,
            qty,
        )
    };
    m.serials.clone_from(&a.serials);
    m.reason_code = Some(a.reason_code.clone());
    events.push(Event::Moved(m));
    Ok(Decision::events(events))
}

fn decide_dispatch(state: &State, d: &Dispatch, now: Timestamp, next_seq: u64) -> Result<Decision> {
    let id = d
        .transfer_id
        .clone()
        .unwrap_or_else(|| format!("TR-{next_seq}"));
    validate_code("transfer", &id)?;
    if state.transfers.contains_key(&id) {
        return Err(Error::AlreadyExists {
            kind: "transfer".into(),
            key: id,
        });
    }
    let item = active_item(state, &d.sku)?;
    let from = physical_location(state, &d.from)?;
    let to = physical_location(state, &d.to)?;
    if from.code == to.code {
        return Err(Error::invalid_argument(
            "to",
            "is the same location as from",
        ));
    }
    let qty = movement_qty(item, d.qty, d.unit.as_deref())?;
    let lot = check_tracking(item, d.lot.as_ref(), &d.serials, qty)?;
    check_take(
        state,
        item,
        from,
        lot,
        &d.serials,
        qty,
        now,
        d.allow_expired,
    )?;
    check_put(state, item, (&from.code, vl::IN_TRANSIT), lot, qty)?;
    let record = TransferRecord {
        id: id.clone(),
        sku: item.sku.clone(),
        lot: lot.cloned(),
        from: from.code.clone(),
        to: to.code.clone(),
        dispatched: qty,
        received: Qty::from_units(0, item.decimals)?,
        serials_in_transit: d.serials.clone(),
    };
    let mut m = movement(
        MovementKind::Dispatch,
        item,
        lot,
        &from.code,
        vl::IN_TRANSIT,
        qty,
    );
    m.serials.clone_from(&d.serials);
    m.transfer = Some(id.clone());
    Ok(Decision {
        events: vec![Event::TransferDispatched(record), Event::Moved(m)],
        transfer_id: Some(id),
        difference: None,
        reservation_id: None,
    })
}

fn decide_receive_transfer(state: &State, r: &ReceiveTransfer) -> Result<Decision> {
    validate_code("transfer", &r.transfer_id)?;
    let t = state
        .transfers
        .get(&r.transfer_id)
        .ok_or_else(|| Error::not_found("transfer", &r.transfer_id))?;
    let item = active_item(state, &t.sku)?;
    let to = physical_location(state, &t.to)?;
    let qty = movement_qty(item, r.qty, r.unit.as_deref())?;
    let remaining = t.dispatched.checked_sub(t.received)?;
    if remaining.is_zero() {
        return Err(Error::InvalidTransition {
            entity: "transfer".into(),
            id: t.id.clone(),
            state: "received".into(),
            step: "receive".into(),
        });
    }
    if qty > remaining {
        return Err(Error::InvalidQuantity {
            value: qty.to_string(),
            reason: format!("exceeds the {remaining} still in transit"),
        });
    }
    check_tracking(item, t.lot.as_ref(), &r.serials, qty)?;
    for serial in &r.serials {
        if !t.serials_in_transit.contains(serial) {
            return Err(tracking(
                item,
                &format!("serial {serial} is not in transfer {}", t.id),
            ));
        }
    }
    check_put(state, item, (vl::IN_TRANSIT, &to.code), t.lot.as_ref(), qty)?;
    let mut m = movement(
        MovementKind::TransferReceipt,
        item,
        t.lot.as_ref(),
        vl::IN_TRANSIT,
        &to.code,
        qty,
    );
    m.serials.clone_from(&r.serials);
    m.transfer = Some(t.id.clone());
    Ok(Decision::events(vec![
        Event::TransferReceived {
            id: t.id.clone(),
            qty,
            serials: r.serials.clone(),
        },
        Event::Moved(m),
    ]))
}

fn decide_count(state: &State, c: &Count) -> Result<Decision> {
    let item = active_item(state, &c.sku)?;
    if item.tracking == Tracking::Serial {
        return Err(tracking(
            item,
            "serial-tracked items are counted by scanning serials",
        ));
    }
    let loc = physical_location(state, &c.location)?;
    let counted = item.to_base(c.counted, c.unit.as_deref())?;
    if counted.is_negative() {
        return Err(Error::InvalidQuantity {
            value: c.counted.to_string(),
            reason: "a count cannot be negative".into(),
        });
    }
    let lot = check_tracking(item, c.lot.as_ref(), &[], counted)?;
    let lot_key = lot.map_or("", String::as_str);
    let expected_units = state.balance(&item.sku, &loc.code, lot_key);
    let expected = Qty::from_units(expected_units, item.decimals)?;
    let difference = counted.checked_sub(expected)?.rescale(item.decimals)?;
    let mut events = Vec::with_capacity(3);
    if let Some(lot_code) = lot
        && !state
            .lots
            .contains_key(&(item.sku.clone(), lot_code.clone()))
    {
        events.extend(lot_event(state, item, lot_code, None, None)?);
    }
    events.push(Event::Counted(CountRecord {
        sku: item.sku.clone(),
        location: loc.code.clone(),
        lot: lot.cloned(),
        counted,
        expected,
    }));
    if !difference.is_zero() {
        let qty = if difference.is_negative() {
            difference.checked_neg()?
        } else {
            difference
        };
        let (from, to) = if difference.is_negative() {
            // A count below what is reserved here would leave reservations holding stock
            // that is not there: refused, so that the holder releases or re-allocates
            // first and the invariant reserved <= on hand never breaks.
            crate::orders::decide::check_unreserved(
                state,
                &item.sku,
                &loc.code,
                lot.map(String::as_str),
                qty.units(),
                None,
                None,
            )?;
            (loc.code.as_str(), vl::ADJUSTMENT)
        } else {
            (vl::ADJUSTMENT, loc.code.as_str())
        };
        check_put(state, item, (from, to), lot, qty)?;
        events.push(Event::Moved(movement(
            MovementKind::Count,
            item,
            lot,
            from,
            to,
            qty,
        )));
    }
    Ok(Decision {
        events,
        transfer_id: None,
        difference: Some(difference),
        reservation_id: None,
    })
}

// ---- rules shared by the commands ---------------------------------------------------------

/// True when a two-step transfer matching `pred` still has stock in transit.
fn in_transit(state: &State, pred: impl Fn(&TransferRecord) -> bool) -> bool {
    state
        .transfers
        .values()
        .any(|t| t.received < t.dispatched && pred(t))
}

pub(crate) fn active_item<'a>(state: &'a State, sku: &str) -> Result<&'a Item> {
    validate_code("sku", sku)?;
    let item = state
        .items
        .get(sku)
        .ok_or_else(|| Error::not_found("item", sku))?;
    if item.archived {
        return Err(Error::Archived {
            kind: "item".into(),
            key: sku.to_owned(),
        });
    }
    Ok(item)
}

fn active_location<'a>(state: &'a State, code: &str) -> Result<&'a Location> {
    validate_code("location", code)?;
    let loc = state
        .locations
        .get(code)
        .ok_or_else(|| Error::not_found("location", code))?;
    if loc.archived {
        return Err(Error::Archived {
            kind: "location".into(),
            key: code.to_owned(),
        });
    }
    Ok(loc)
}

pub(crate) fn physical_location<'a>(state: &'a State, code: &str) -> Result<&'a Location> {
    let loc = active_location(state, code)?;
    if loc.kind.is_virtual() {
        return Err(Error::invalid_argument(
            "location",
            format!("{code} is a virtual {} location", loc.kind.as_str()),
        ));
    }
    Ok(loc)
}

pub(crate) fn virtual_location<'a>(
    state: &'a State,
    code: &'a str,
    kind: LocationKind,
) -> Result<&'a str> {
    let loc = active_location(state, code)?;
    if loc.kind != kind {
        return Err(Error::invalid_argument(
            "location",
            format!("{code} is not a {} location", kind.as_str()),
        ));
    }
    Ok(code)
}

/// A positive movement quantity in base units at the item's precision.
pub(crate) fn movement_qty(item: &Item, qty: Qty, unit: Option<&str>) -> Result<Qty> {
    let base = item.to_base(qty, unit)?;
    if base <= Qty::ZERO {
        return Err(Error::InvalidQuantity {
            value: qty.to_string(),
            reason: "must be positive".into(),
        });
    }
    Ok(base)
}

fn tracking(item: &Item, reason: &str) -> Error {
    Error::Tracking {
        sku: item.sku.clone(),
        reason: reason.to_owned(),
    }
}

/// Checks lot and serials against the item's tracking; returns the lot to use.
pub(crate) fn check_tracking<'a>(
    item: &Item,
    lot: Option<&'a String>,
    serials: &[String],
    qty: Qty,
) -> Result<Option<&'a String>> {
    match (item.tracking, lot) {
        (Tracking::Lot, None) => return Err(tracking(item, "is lot-tracked: a lot is required")),
        (Tracking::Lot, Some(code)) => validate_code("lot", code)?,
        (_, Some(_)) => return Err(tracking(item, "is not lot-tracked: no lot is taken")),
        (_, None) => {}
    }
    if item.tracking == Tracking::Serial {
        if serials.len() > SERIALS_PER_MOVEMENT_MAX {
            return Err(Error::invalid_argument(
                "serials",
                "too many for one movement",
            ));
        }
        if i64::try_from(serials.len()).ok() != Some(qty.units()) {
            return Err(tracking(
                item,
                &format!(
                    "is serial-tracked: {qty} units need {qty} serials, got {}",
                    serials.len()
                ),
            ));
        }
        let mut seen = std::collections::HashSet::with_capacity(serials.len());
        for s in serials {
            validate_code("serial", s)?;
            if !seen.insert(s.as_str()) {
                return Err(tracking(item, &format!("serial {s} is given twice")));
            }
        }
    } else if !serials.is_empty() {
        return Err(tracking(
            item,
            "is not serial-tracked: no serials are taken",
        ));
    }
    Ok(lot)
}

/// Checks that `qty` can leave `loc`: lot known and not expired, serials there, enough on
/// hand unless the item allows negative stock, and nothing reserved left uncovered.
#[allow(clippy::too_many_arguments)]
fn check_take(
    state: &State,
    item: &Item,
    loc: &Location,
    lot: Option<&String>,
    serials: &[String],
    qty: Qty,
    now: Timestamp,
    allow_expired: bool,
) -> Result<()> {
    check_take_reserved(
        state,
        item,
        loc,
        lot,
        serials,
        qty,
        now,
        allow_expired,
        None,
    )
}

/// [`check_take`] for a movement that consumes the reservation `credit`.
#[allow(clippy::too_many_arguments)]
pub(crate) fn check_take_reserved(
    state: &State,
    item: &Item,
    loc: &Location,
    lot: Option<&String>,
    serials: &[String],
    qty: Qty,
    now: Timestamp,
    allow_expired: bool,
    credit: Option<&crate::orders::Reservation>,
) -> Result<()> {
    check_take_within(
        state,
        item,
        loc,
        lot,
        serials,
        qty,
        now,
        allow_expired,
        credit,
        None,
    )
}

/// [`check_take_reserved`] for a movement to `kept_in`, a physical location: the
/// ancestors it shares with `loc` keep the stock, so their reservations do not stop it.
#[allow(clippy::too_many_arguments)]
pub(crate) fn check_take_within(
    state: &State,
    item: &Item,
    loc: &Location,
    lot: Option<&String>,
    serials: &[String],
    qty: Qty,
    now: Timestamp,
    allow_expired: bool,
    credit: Option<&crate::orders::Reservation>,
    kept_in: Option<&str>,
) -> Result<()> {
    if let Some(lot_code) = lot {
        let rec = state
            .lots
            .get(&(item.sku.clone(), lot_code.clone()))
            .ok_or_else(|| Error::not_found("lot", format!("{}/{lot_code}", item.sku)))?;
        if let Some(expiry) = rec.expiry
            && expiry <= now
            && !allow_expired
        {
            return Err(Error::LotExpired {
                sku: item.sku.clone(),
                lot: lot_code.clone(),
                expiry_ms: expiry,
            });
        }
    }
    for serial in serials {
        let at = state.serials.get(&(item.sku.clone(), serial.clone()));
        if at != Some(&loc.code) {
            return Err(tracking(
                item,
                &format!("serial {serial} is not at {}", loc.code),
            ));
        }
    }
    let on_hand = state.balance(&item.sku, &loc.code, lot.map_or("", String::as_str));
    let after = on_hand
        .checked_sub(qty.units())
        .filter(|_| fits(state, &item.sku, &loc.code, lot, -qty.units()))
        .ok_or_else(|| Error::InvalidQuantity {
            value: qty.to_string(),
            reason: "overflow".into(),
        })?;
    if after < 0 && !item.allow_negative {
        return Err(Error::InsufficientStock {
            sku: item.sku.clone(),
            location: loc.code.clone(),
            lot: lot.cloned(),
            requested: qty.to_string(),
            available: state.qty(&item.sku, on_hand.max(0)).to_string(),
        });
    }
    crate::orders::decide::check_unreserved(
        state,
        &item.sku,
        &loc.code,
        lot.map(String::as_str),
        qty.units(),
        credit,
        kept_in,
    )
}

/// Checks that `qty` can move from `from` to `to` without overflowing either balance
/// (the virtual side of a receipt grows ever more negative).
pub(crate) fn check_put(
    state: &State,
    item: &Item,
    (from, to): (&str, &str),
    lot: Option<&String>,
    qty: Qty,
) -> Result<()> {
    if !fits(state, &item.sku, to, lot, qty.units())
        || !fits(state, &item.sku, from, lot, -qty.units())
    {
        return Err(Error::InvalidQuantity {
            value: qty.to_string(),
            reason: "overflow".into(),
        });
    }
    Ok(())
}

/// True when adding `delta` to the balance of (`sku`, `loc`, `lot`) and to the roll-ups of
/// every location above it stays in range: two bins that each fit may not fit together.
fn fits(state: &State, sku: &str, loc: &str, lot: Option<&String>, delta: i64) -> bool {
    let lot = lot.map_or("", String::as_str);
    state.balance(sku, loc, lot).checked_add(delta).is_some()
        && (state.is_virtual(loc)
            || state.chain(loc).iter().all(|node| {
                state.on_hand_rollup(sku, node).checked_add(delta).is_some()
                    && state
                        .on_hand_lot_rollup(sku, node, lot)
                        .checked_add(delta)
                        .is_some()
            }))
}

/// The `LotDefined` event a movement into `lot` needs, if the lot is new; refuses dates
/// that contradict an existing lot.
fn lot_event(
    state: &State,
    item: &Item,
    lot: &str,
    expiry: Option<Timestamp>,
    produced: Option<Timestamp>,
) -> Result<Option<Event>> {
    match state.lots.get(&(item.sku.clone(), lot.to_owned())) {
        Some(existing) => {
            if expiry.is_some() && expiry != existing.expiry {
                return Err(Error::invalid_argument(
                    "expiry",
                    format!("lot {lot} already has another expiry; use define_lot to change it"),
                ));
            }
            if produced.is_some() && produced != existing.produced {
                return Err(Error::invalid_argument(
                    "produced",
                    format!("lot {lot} already has another production date"),
                ));
            }
            Ok(None)
        }
        None => {
            let mut rec = Lot {
                sku: item.sku.clone(),
                lot: lot.to_owned(),
                expiry,
                produced,
                first_received: None,
            };
            fill_expiry(item, &mut rec);
            Ok(Some(Event::LotDefined(rec)))
        }
    }
}

/// A lot with a production date and no expiry expires after the item's shelf life.
fn fill_expiry(item: &Item, lot: &mut Lot) {
    if lot.expiry.is_none()
        && let (Some(produced), Some(days)) = (lot.produced, item.shelf_life_days)
    {
        lot.expiry = Some(produced.saturating_add(i64::from(days) * DAY_MS));
    }
}

pub(crate) fn movement(
    kind: MovementKind,
    item: &Item,
    lot: Option<&String>,
    from: &str,
    to: &str,
    qty: Qty,
) -> Movement {
    Movement {
        kind,
        sku: item.sku.clone(),
        lot: lot.cloned(),
        from: from.to_owned(),
        to: to.to_owned(),
        qty,
        serials: Vec::new(),
        unit_cost: None,
        currency: None,
        reason_code: None,
        transfer: None,
    }
}
