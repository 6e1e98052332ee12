//! Commands: one definition of every command, and the dispatch that hands each to the
//! context owning its rules. It stands above the contexts (orders, supply) and the ledger
//! kernel they call down into, so no context needs to know another.

use serde::{Deserialize, Serialize};

use crate::error::Result;
use crate::event::MovementKind;
use crate::ledger::{
    self, Adjust, Count, Decision, Dispatch, Issue, Receive, ReceiveTransfer, Scrap, Transfer,
};
use crate::model::{Item, Location, Lot, Qty, Timestamp};
use crate::orders;
use crate::planning;
use crate::planning::supply::SupplyView;
use crate::store::schema::ClosedKind;
use state::{ClosedStore, Recalled, State};

pub mod calculate;
pub mod call;
pub(crate) mod canonical;
pub(crate) mod evicted;
mod input;
pub mod query;
pub mod receipt;
pub mod schema;
pub(crate) mod state;
mod texts;

pub use calculate::{calculate, calculate_json};
pub use call::Call;
pub use input::decode;
pub use query::{Answer, Query};
pub use receipt::{Counted, Dispatched, ReceiptKind, Reserved, TypedReceipt, Written};

/// Everything that changes the book: one definition of every command, dispatched by
/// the command layer to the context that owns its rules.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(
    tag = "op",
    content = "args",
    rename_all = "snake_case",
    deny_unknown_fields
)]
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
    Reserve(ledger::Reserve),
    /// Issue reserved stock; a partial commit releases the rest.
    CommitReservation(ledger::CommitReservation),
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
    /// Customer → bin: stock a customer sends back.
    ReturnStock(ledger::ReturnStock),
    /// Keep a forecast of an item at a site as it was made, for forecast accuracy.
    RecordForecast(planning::accuracy::RecordForecast),
    /// Keep many forecasts at once (a plan's), all or none.
    RecordForecasts(planning::accuracy::RecordForecasts),
}

impl Command {
    /// Reads a command from its JSON text (`{"op": "receive", "args": {…}}`). Anything the
    /// definition does not take — an unknown field or settings key, a wrong type, an
    /// integer out of range — is refused with `invalid_argument` naming the field's path
    /// (`args.lines[0].qty`).
    pub fn from_json(text: &str) -> Result<Command> {
        input::from_json(text)
    }

    /// As [`Command::from_json`], from a parsed JSON value.
    pub fn from_value(value: serde_json::Value) -> Result<Command> {
        input::from_value(value)
    }

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
            Command::ReturnStock(_) => "return_stock",
            Command::RecordForecast(_) => "record_forecast",
            Command::RecordForecasts(_) => "record_forecasts",
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
    ledger::Reserve => Reserve, ledger::CommitReservation => CommitReservation,
    orders::CreateOrder => CreateOrder, orders::AllocateOrder => AllocateOrder,
    orders::AllocateOrders => AllocateOrders, orders::FillBackorders => FillBackorders,
    orders::PickOrder => PickOrder, orders::PackOrder => PackOrder,
    orders::CancelOrder => CancelOrder,
    planning::supply::CreatePurchaseOrder => CreatePurchaseOrder,
    planning::supply::ReceivePurchaseOrder => ReceivePurchaseOrder);

impl Command {
    /// Refuses a command beyond the engine's count limits ([`crate::limits`]) with
    /// `limit_exceeded`, before it reaches the writer: lines of an order or purchase
    /// order, serials of a movement. (An item's attributes are checked with the item.)
    pub(crate) fn check_limits(&self) -> Result<()> {
        use crate::error::Error;
        use crate::limits::{ORDER_LINES_MAX, PURCHASE_ORDER_LINES_MAX, SERIALS_PER_COMMAND_MAX};
        let (serials, lines) = match self {
            Command::Receive(c) => (c.serials.len(), None),
            Command::ReturnStock(c) => (c.serials.len(), None),
            Command::Issue(c) | Command::Ship(c) => (c.serials.len(), None),
            Command::Adjust(c) => (c.serials.len(), None),
            Command::Scrap(c) => (c.serials.len(), None),
            Command::Transfer(c) => (c.serials.len(), None),
            Command::DispatchTransfer(c) => (c.serials.len(), None),
            Command::ReceiveTransfer(c) => (c.serials.len(), None),
            Command::CommitReservation(c) => (c.serials.len(), None),
            Command::PickOrder(c) => (c.serials.len(), None),
            Command::ReceivePurchaseOrder(c) => (c.serials.len(), None),
            Command::CreateOrder(c) => (0, Some((c.lines.len(), ORDER_LINES_MAX))),
            Command::CreatePurchaseOrder(c) => (0, Some((c.lines.len(), PURCHASE_ORDER_LINES_MAX))),
            Command::RecordForecasts(c) => (
                0,
                Some((
                    c.forecasts.len(),
                    planning::accuracy::FORECASTS_PER_COMMAND_MAX,
                )),
            ),
            _ => (0, None),
        };
        if serials > SERIALS_PER_COMMAND_MAX {
            return Err(Error::limit_exceeded("serials", SERIALS_PER_COMMAND_MAX));
        }
        if let Some((lines, max)) = lines
            && lines > max
        {
            return Err(Error::limit_exceeded("lines", max));
        }
        Ok(())
    }
}

/// The closed-able records `cmd` names by id: the ones a record out of memory must be
/// brought back for (to refuse a second creation, to answer a step on a closed record as
/// before). A reservation whose id is to be generated (`RS-<seq>`) is not among them: see
/// [`generated_reservation`].
fn named(cmd: &Command) -> Vec<(ClosedKind, &str)> {
    use ClosedKind::{Order, PurchaseOrder, Reservation};
    fn one(kind: ClosedKind, id: &str) -> Vec<(ClosedKind, &str)> {
        vec![(kind, id)]
    }
    match cmd {
        Command::Reserve(c) => c
            .reservation_id
            .iter()
            .map(|id| (Reservation, id.as_str()))
            .collect(),
        Command::CommitReservation(c) => one(Reservation, &c.reservation_id),
        Command::ReleaseReservation { reservation_id, .. } => one(Reservation, reservation_id),
        Command::CreateOrder(c) => one(Order, &c.order_id),
        Command::ConfirmOrder(c) | Command::ShipOrder(c) | Command::DeliverOrder(c) => {
            one(Order, &c.order_id)
        }
        Command::AllocateOrder(c) => one(Order, &c.order_id),
        Command::AllocateOrders(c) => c.order_ids.iter().map(|id| (Order, id.as_str())).collect(),
        Command::PickOrder(c) => one(Order, &c.order_id),
        Command::PackOrder(c) => one(Order, &c.order_id),
        Command::CancelOrder(c) => one(Order, &c.order_id),
        Command::CreatePurchaseOrder(c) => one(PurchaseOrder, &c.po_id),
        Command::ReceivePurchaseOrder(c) => one(PurchaseOrder, &c.po_id),
        Command::ClosePurchaseOrder(c) | Command::CancelPurchaseOrder(c) => {
            one(PurchaseOrder, &c.po_id)
        }
        _ => Vec::new(),
    }
}

/// The sequence whose generated reservation id (`RS-<seq>`, see
/// `ledger::reservations::reserve`) `cmd` names: a reservation without an id of its own,
/// decided when `next_seq` is the next sequence.
fn generated_reservation(cmd: &Command, next_seq: u64) -> Option<u64> {
    match cmd {
        Command::Reserve(c) if c.reservation_id.is_none() => Some(next_seq),
        _ => None,
    }
}

/// [`decide`] for the writer, whose state keeps only the closed records of the retention
/// window: the closed records `cmd` names that are out of memory are brought back from
/// the store (`store`) for the decision, then dropped. Answers the decision and what was
/// brought back, for [`State::readmitted`] once the events applied.
pub(crate) fn decide_recalling(
    state: &mut State,
    cmd: &Command,
    now: Timestamp,
    next_seq: u64,
    store: &impl ClosedStore,
) -> Result<(Decision, Recalled)> {
    if state.archive_is_empty() {
        return Ok((decide(state, cmd, now, next_seq)?, Recalled::new()));
    }
    let recalled = state.recall(&named(cmd), generated_reservation(cmd, next_seq), store)?;
    let decision = decide(state, cmd, now, next_seq);
    if !recalled.is_empty() {
        state.forget_recalled();
    }
    Ok((decision?, recalled))
}

/// Decides whether `cmd` is accepted against `state` at engine time `now`, and which
/// events it becomes. `next_seq` is the sequence its first event will get.
pub(crate) fn decide(
    state: &State,
    cmd: &Command,
    now: Timestamp,
    next_seq: u64,
) -> Result<Decision> {
    use ledger::decide as l;
    use ledger::reservations as r;
    use orders::decide as o;
    use orders::fulfil as f;
    use planning::supply::decide as s;
    let ledger = state.ledger();
    let orders = orders::OrdersView {
        ledger,
        orders: &state.orders,
    };
    let supply = SupplyView {
        ledger,
        supply: &state.supply,
    };
    match cmd {
        Command::DefineItem(item) => l::define_item(ledger, item),
        Command::UpdateItem(item) => l::update_item(ledger, item),
        Command::ArchiveItem { sku } => l::archive_item(ledger, sku),
        Command::DefineLocation(loc) => l::define_location(ledger, loc),
        Command::UpdateLocation(loc) => l::update_location(ledger, loc),
        Command::ArchiveLocation { code } => l::archive_location(ledger, code),
        Command::DefineLot(lot) => l::define_lot(ledger, lot),
        Command::Receive(c) => l::receive(ledger, c),
        Command::ReturnStock(c) => l::return_stock(ledger, c),
        Command::Issue(c) => l::issue(ledger, c, MovementKind::Issue, now),
        Command::Ship(c) => l::issue(ledger, c, MovementKind::Ship, now),
        Command::Adjust(c) => l::adjust(ledger, c, now),
        Command::Scrap(c) => l::scrap(ledger, c, now),
        Command::Transfer(c) => l::transfer(ledger, c, now),
        Command::DispatchTransfer(c) => l::dispatch(ledger, c, now, next_seq),
        Command::ReceiveTransfer(c) => l::receive_transfer(ledger, c),
        Command::Count(c) => l::count(ledger, c),
        Command::Reserve(c) => r::reserve(ledger, c, now, next_seq),
        Command::CommitReservation(c) => {
            o::unmanaged(orders, &c.reservation_id)?;
            r::commit(ledger, c, now)
        }
        Command::ReleaseReservation {
            reservation_id,
            qty,
        } => {
            o::unmanaged(orders, reservation_id)?;
            r::release(ledger, reservation_id, *qty)
        }
        Command::ExpireDue {} => Ok(Decision::events(Vec::new())),
        Command::CreateOrder(c) => o::create(orders, c, now, next_seq),
        Command::ConfirmOrder(c) => o::confirm(orders, c),
        Command::AllocateOrder(c) => o::allocate(orders, c, now, next_seq),
        Command::AllocateOrders(c) => o::allocate_orders(orders, c, now, next_seq),
        Command::FillBackorders(c) => o::fill_backorders(orders, c, now, next_seq),
        Command::PickOrder(c) => f::pick(orders, c, now, next_seq),
        Command::PackOrder(c) => f::pack(orders, c),
        Command::ShipOrder(c) => f::ship(orders, c, now),
        Command::DeliverOrder(c) => f::deliver(orders, c),
        Command::CancelOrder(c) => f::cancel(orders, c),
        Command::CreatePurchaseOrder(c) => s::create(supply, c, now, next_seq),
        Command::ReceivePurchaseOrder(c) => s::receive(supply, c, now),
        Command::ClosePurchaseOrder(c) => s::close(supply, c, now),
        Command::CancelPurchaseOrder(c) => s::cancel(supply, c, now),
        Command::RecordForecast(c) => {
            planning::accuracy::record_forecasts(ledger, std::slice::from_ref(c), now)
        }
        Command::RecordForecasts(c) => {
            planning::accuracy::record_forecasts(ledger, &c.forecasts, now)
        }
    }
}
