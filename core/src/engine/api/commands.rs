//! Typed command methods. Each is `execute(command, meta)` with its typed receipt: on the
//! handle with no meta (`sb.receive(…)`), and on [`WithMeta`] with the caller's
//! (`sb.with_meta(Meta::new().key("r-1")).receive(…)`), so an idempotency key, an actor or
//! a business time reaches every command. Both sets are written once, by
//! `command_methods!`.

use crate::command::{Command, Counted, Dispatched, Reserved, TypedReceipt, Written};
use crate::engine::Stockbook;
use crate::error::Result;
use crate::ledger::{
    Adjust, CommitReservation, Count, Dispatch, Issue, Meta, Receive, ReceiveTransfer, Reserve,
    ReturnStock, Scrap, Transfer,
};
use crate::model::{Item, Location, Lot, Qty};
use crate::orders::{
    AllocateOrder, AllocateOrders, CancelOrder, CreateOrder, FillBackorders, OrderStep, PackOrder,
    PickOrder, Strategy,
};
use crate::planning::accuracy::{RecordForecast, RecordForecasts};
use crate::planning::supply::{CreatePurchaseOrder, PurchaseOrderStep, ReceivePurchaseOrder};

/// The handle with a caller's [`Meta`] for the commands called through it: idempotency
/// key, actor, correlation, reason, business time. Made by [`Stockbook::with_meta`].
///
/// ```
/// use stockbook::{Item, Location, Meta, Qty, Receive, Stockbook};
///
/// let sb = Stockbook::in_memory()?;
/// sb.define_item(Item::new("A"))?;
/// sb.define_location(Location::new("WH1"))?;
/// let keyed = sb.with_meta(Meta::new().key("delivery-7"));
/// let first = keyed.receive(Receive::new("A", "WH1", Qty::from(5)))?;
/// // The same key again answers the first outcome and writes nothing.
/// let again = keyed.receive(Receive::new("A", "WH1", Qty::from(5)))?;
/// assert_eq!(first, again);
/// assert_eq!(sb.on_hand("A", "WH1")?, Qty::from(5));
/// # Ok::<(), stockbook::Error>(())
/// ```
#[derive(Clone)]
pub struct WithMeta<'a> {
    book: &'a Stockbook,
    meta: Meta,
}

impl Stockbook {
    /// This handle with `meta` for every command called through the answer.
    pub fn with_meta(&self, meta: Meta) -> WithMeta<'_> {
        WithMeta { book: self, meta }
    }
}

impl WithMeta<'_> {
    /// Executes `command` with this meta and reads its typed receipt.
    fn run<R: TypedReceipt>(&self, command: Command) -> Result<R> {
        R::from_receipt(self.book.execute(command, self.meta.clone())?)
    }
}

/// Writes each command method twice from one definition: on [`WithMeta`] (the command
/// with the caller's meta) and on [`Stockbook`] (the same with no meta).
macro_rules! command_methods {
    ($(
        $(#[doc = $doc:literal])*
        fn $name:ident($($arg:ident: $ty:ty),*) -> $receipt:ty $body:block
    )*) => {
        impl WithMeta<'_> {
            $(
                $(#[doc = $doc])*
                pub fn $name(&self, $($arg: $ty),*) -> Result<$receipt> {
                    self.run($body)
                }
            )*
        }

        impl Stockbook {
            $(
                $(#[doc = $doc])*
                ///
                /// With no meta: [`Stockbook::with_meta`] gives one.
                pub fn $name(&self, $($arg: $ty),*) -> Result<$receipt> {
                    self.with_meta(Meta::default()).$name($($arg),*)
                }
            )*
        }
    };
}

command_methods! {
    /// Defines an item.
    fn define_item(item: Item) -> Written {
        Command::DefineItem(item)
    }

    /// Replaces an item's master data.
    fn update_item(item: Item) -> Written {
        Command::UpdateItem(item)
    }

    /// Archives an item that holds no stock.
    fn archive_item(sku: &str) -> Written {
        Command::ArchiveItem {
            sku: sku.to_owned(),
        }
    }

    /// Defines a location.
    fn define_location(location: Location) -> Written {
        Command::DefineLocation(location)
    }

    /// Replaces a location's master data.
    fn update_location(location: Location) -> Written {
        Command::UpdateLocation(location)
    }

    /// Archives a location whose subtree holds no stock.
    fn archive_location(code: &str) -> Written {
        Command::ArchiveLocation {
            code: code.to_owned(),
        }
    }

    /// Defines a lot or changes its dates.
    fn define_lot(lot: Lot) -> Written {
        Command::DefineLot(lot)
    }

    /// Receives stock.
    fn receive(receive: Receive) -> Written {
        Command::Receive(receive)
    }

    /// Takes back stock a customer returns.
    fn return_stock(r: ReturnStock) -> Written {
        Command::ReturnStock(r)
    }

    /// Keeps a forecast as it was made, for forecast accuracy.
    fn record_forecast(f: RecordForecast) -> Written {
        Command::RecordForecast(f)
    }

    /// Keeps many forecasts at once (a plan's: [`RecordForecasts::from_plan`]), all or
    /// none.
    fn record_forecasts(f: RecordForecasts) -> Written {
        Command::RecordForecasts(f)
    }

    /// Issues stock to internal use.
    fn issue(issue: Issue) -> Written {
        Command::Issue(issue)
    }

    /// Ships stock to a customer.
    fn ship(issue: Issue) -> Written {
        Command::Ship(issue)
    }

    /// Adjusts a balance.
    fn adjust(adjust: Adjust) -> Written {
        Command::Adjust(adjust)
    }

    /// Scraps stock.
    fn scrap(scrap: Scrap) -> Written {
        Command::Scrap(scrap)
    }

    /// Transfers stock in one step.
    fn transfer_stock(transfer: Transfer) -> Written {
        Command::Transfer(transfer)
    }

    /// Dispatches a two-step transfer; the receipt names the transfer.
    fn dispatch_transfer(dispatch: Dispatch) -> Dispatched {
        Command::DispatchTransfer(dispatch)
    }

    /// Receives (part of) a two-step transfer.
    fn receive_transfer(receive: ReceiveTransfer) -> Written {
        Command::ReceiveTransfer(receive)
    }

    /// Records a cycle count; the receipt holds the difference it posted.
    fn count(count: Count) -> Counted {
        Command::Count(count)
    }

    /// Reserves stock; the receipt names the reservation.
    fn reserve(reserve: Reserve) -> Reserved {
        Command::Reserve(reserve)
    }

    /// Issues reserved stock; a partial commit releases the rest.
    fn commit_reservation(commit: CommitReservation) -> Written {
        Command::CommitReservation(commit)
    }

    /// Gives back all (`None`) or part of a reservation.
    fn release_reservation(id: &str, qty: Option<Qty>) -> Written {
        Command::ReleaseReservation {
            reservation_id: id.to_owned(),
            qty,
        }
    }

    /// Records the expiry of every reservation past its time-to-live.
    fn expire_due() -> Written {
        Command::ExpireDue {}
    }

    /// Creates an order as a draft.
    fn create_order(order: CreateOrder) -> Written {
        Command::CreateOrder(order)
    }

    /// Confirms a draft order.
    fn confirm_order(id: &str) -> Written {
        Command::ConfirmOrder(step(id))
    }

    /// Allocates stock to an order's open lines; what is not there is backordered.
    fn allocate_order(id: &str, strategy: Strategy) -> Written {
        Command::AllocateOrder(AllocateOrder {
            order_id: id.to_owned(),
            strategy,
        })
    }

    /// Allocates short stock across competing orders.
    fn allocate_orders(allocate: AllocateOrders) -> Written {
        Command::AllocateOrders(allocate)
    }

    /// Fills backordered lines from stock that has arrived.
    fn fill_backorders(fill: FillBackorders) -> Written {
        Command::FillBackorders(fill)
    }

    /// Picks a line's stock from a bin to staging.
    fn pick_order(pick: PickOrder) -> Written {
        Command::PickOrder(pick)
    }

    /// Packs the picked stock.
    fn pack_order(pack: PackOrder) -> Written {
        Command::PackOrder(pack)
    }

    /// Ships a packed order.
    fn ship_order(id: &str) -> Written {
        Command::ShipOrder(step(id))
    }

    /// Records delivery of a shipped order.
    fn deliver_order(id: &str) -> Written {
        Command::DeliverOrder(step(id))
    }

    /// Cancels an order: reservations released, picked stock returned (to its bins, or
    /// to `return_to`).
    fn cancel_order(id: &str, return_to: Option<&str>) -> Written {
        Command::CancelOrder(CancelOrder {
            order_id: id.to_owned(),
            return_to: return_to.map(str::to_owned),
        })
    }

    /// Places a purchase order.
    fn create_purchase_order(order: CreatePurchaseOrder) -> Written {
        Command::CreatePurchaseOrder(order)
    }

    /// Receives stock against one line of a purchase order.
    fn receive_purchase_order(receipt: ReceivePurchaseOrder) -> Written {
        Command::ReceivePurchaseOrder(receipt)
    }

    /// Closes a purchase order: what is missing is no longer expected.
    fn close_purchase_order(id: &str) -> Written {
        Command::ClosePurchaseOrder(PurchaseOrderStep {
            po_id: id.to_owned(),
        })
    }

    /// Cancels a purchase order against which nothing has been received.
    fn cancel_purchase_order(id: &str) -> Written {
        Command::CancelPurchaseOrder(PurchaseOrderStep {
            po_id: id.to_owned(),
        })
    }
}

/// The step of the order `id`.
fn step(id: &str) -> OrderStep {
    OrderStep {
        order_id: id.to_owned(),
    }
}
