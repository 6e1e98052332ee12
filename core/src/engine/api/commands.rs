//! Typed command helpers: each is the same as `execute(command, Meta::default())`.

use crate::command::Command;
use crate::engine::Stockbook;
use crate::error::Result;
use crate::ledger::{
    Adjust, CommitReservation, Count, Dispatch, Issue, Meta, Receipt, Receive, ReceiveTransfer,
    Reserve, Scrap, Transfer,
};
use crate::model::{Item, Location, Lot, Qty};
use crate::orders::{
    AllocateOrder, AllocateOrders, CancelOrder, CreateOrder, FillBackorders, OrderStep, PackOrder,
    PickOrder, Strategy,
};
use crate::planning::supply::{CreatePurchaseOrder, PurchaseOrderStep, ReceivePurchaseOrder};

impl Stockbook {
    /// Defines an item.
    pub fn define_item(&self, item: Item) -> Result<Receipt> {
        self.execute(Command::DefineItem(item), Meta::default())
    }

    /// Replaces an item's master data.
    pub fn update_item(&self, item: Item) -> Result<Receipt> {
        self.execute(Command::UpdateItem(item), Meta::default())
    }

    /// Archives an item that holds no stock.
    pub fn archive_item(&self, sku: &str) -> Result<Receipt> {
        self.execute(
            Command::ArchiveItem {
                sku: sku.to_owned(),
            },
            Meta::default(),
        )
    }

    /// Defines a location.
    pub fn define_location(&self, location: Location) -> Result<Receipt> {
        self.execute(Command::DefineLocation(location), Meta::default())
    }

    /// Replaces a location's master data.
    pub fn update_location(&self, location: Location) -> Result<Receipt> {
        self.execute(Command::UpdateLocation(location), Meta::default())
    }

    /// Archives a location whose subtree holds no stock.
    pub fn archive_location(&self, code: &str) -> Result<Receipt> {
        self.execute(
            Command::ArchiveLocation {
                code: code.to_owned(),
            },
            Meta::default(),
        )
    }

    /// Defines a lot or changes its dates.
    pub fn define_lot(&self, lot: Lot) -> Result<Receipt> {
        self.execute(Command::DefineLot(lot), Meta::default())
    }

    /// Receives stock.
    pub fn receive(&self, receive: Receive) -> Result<Receipt> {
        self.execute(Command::Receive(receive), Meta::default())
    }

    /// Issues stock to internal use.
    pub fn issue(&self, issue: Issue) -> Result<Receipt> {
        self.execute(Command::Issue(issue), Meta::default())
    }

    /// Ships stock to a customer.
    pub fn ship(&self, issue: Issue) -> Result<Receipt> {
        self.execute(Command::Ship(issue), Meta::default())
    }

    /// Adjusts a balance.
    pub fn adjust(&self, adjust: Adjust) -> Result<Receipt> {
        self.execute(Command::Adjust(adjust), Meta::default())
    }

    /// Scraps stock.
    pub fn scrap(&self, scrap: Scrap) -> Result<Receipt> {
        self.execute(Command::Scrap(scrap), Meta::default())
    }

    /// Transfers stock in one step.
    pub fn transfer_stock(&self, transfer: Transfer) -> Result<Receipt> {
        self.execute(Command::Transfer(transfer), Meta::default())
    }

    /// Dispatches a two-step transfer.
    pub fn dispatch_transfer(&self, dispatch: Dispatch) -> Result<Receipt> {
        self.execute(Command::DispatchTransfer(dispatch), Meta::default())
    }

    /// Receives (part of) a two-step transfer.
    pub fn receive_transfer(&self, receive: ReceiveTransfer) -> Result<Receipt> {
        self.execute(Command::ReceiveTransfer(receive), Meta::default())
    }

    /// Records a cycle count.
    pub fn count(&self, count: Count) -> Result<Receipt> {
        self.execute(Command::Count(count), Meta::default())
    }

    /// Reserves stock; the receipt names the reservation.
    pub fn reserve(&self, reserve: Reserve) -> Result<Receipt> {
        self.execute(Command::Reserve(reserve), Meta::default())
    }

    /// Issues reserved stock; a partial commit releases the rest.
    pub fn commit_reservation(&self, commit: CommitReservation) -> Result<Receipt> {
        self.execute(Command::CommitReservation(commit), Meta::default())
    }

    /// Gives back all (`None`) or part of a reservation.
    pub fn release_reservation(&self, id: &str, qty: Option<Qty>) -> Result<Receipt> {
        let cmd = Command::ReleaseReservation {
            reservation_id: id.to_owned(),
            qty,
        };
        self.execute(cmd, Meta::default())
    }

    /// Records the expiry of every reservation past its time-to-live.
    pub fn expire_due(&self) -> Result<Receipt> {
        self.execute(Command::ExpireDue {}, Meta::default())
    }

    /// Creates an order as a draft.
    pub fn create_order(&self, order: CreateOrder) -> Result<Receipt> {
        self.execute(Command::CreateOrder(order), Meta::default())
    }

    /// Confirms a draft order.
    pub fn confirm_order(&self, id: &str) -> Result<Receipt> {
        self.execute(Command::ConfirmOrder(step(id)), Meta::default())
    }

    /// Allocates stock to an order's open lines; what is not there is backordered.
    pub fn allocate_order(&self, id: &str, strategy: Strategy) -> Result<Receipt> {
        let cmd = AllocateOrder {
            order_id: id.to_owned(),
            strategy,
        };
        self.execute(Command::AllocateOrder(cmd), Meta::default())
    }

    /// Allocates short stock across competing orders.
    pub fn allocate_orders(&self, allocate: AllocateOrders) -> Result<Receipt> {
        self.execute(Command::AllocateOrders(allocate), Meta::default())
    }

    /// Fills backordered lines from stock that has arrived.
    pub fn fill_backorders(&self, fill: FillBackorders) -> Result<Receipt> {
        self.execute(Command::FillBackorders(fill), Meta::default())
    }

    /// Picks a line's stock from a bin to staging.
    pub fn pick_order(&self, pick: PickOrder) -> Result<Receipt> {
        self.execute(Command::PickOrder(pick), Meta::default())
    }

    /// Packs the picked stock.
    pub fn pack_order(&self, pack: PackOrder) -> Result<Receipt> {
        self.execute(Command::PackOrder(pack), Meta::default())
    }

    /// Ships a packed order.
    pub fn ship_order(&self, id: &str) -> Result<Receipt> {
        self.execute(Command::ShipOrder(step(id)), Meta::default())
    }

    /// Records delivery of a shipped order.
    pub fn deliver_order(&self, id: &str) -> Result<Receipt> {
        self.execute(Command::DeliverOrder(step(id)), Meta::default())
    }

    /// Cancels an order: reservations released, picked stock returned (to its bins, or
    /// to `return_to`).
    pub fn cancel_order(&self, id: &str, return_to: Option<&str>) -> Result<Receipt> {
        let cmd = CancelOrder {
            order_id: id.to_owned(),
            return_to: return_to.map(str::to_owned),
        };
        self.execute(Command::CancelOrder(cmd), Meta::default())
    }

    /// Places a purchase order.
    pub fn create_purchase_order(&self, order: CreatePurchaseOrder) -> Result<Receipt> {
        self.execute(Command::CreatePurchaseOrder(order), Meta::default())
    }

    /// Receives stock against one line of a purchase order.
    pub fn receive_purchase_order(&self, receipt: ReceivePurchaseOrder) -> Result<Receipt> {
        self.execute(Command::ReceivePurchaseOrder(receipt), Meta::default())
    }

    /// Closes a purchase order: what is missing is no longer expected.
    pub fn close_purchase_order(&self, id: &str) -> Result<Receipt> {
        let cmd = PurchaseOrderStep {
            po_id: id.to_owned(),
        };
        self.execute(Command::ClosePurchaseOrder(cmd), Meta::default())
    }

    /// Cancels a purchase order against which nothing has been received.
    pub fn cancel_purchase_order(&self, id: &str) -> Result<Receipt> {
        let cmd = PurchaseOrderStep {
            po_id: id.to_owned(),
        };
        self.execute(Command::CancelPurchaseOrder(cmd), Meta::default())
    }
}

/// The step of the order `id`.
fn step(id: &str) -> OrderStep {
    OrderStep {
        order_id: id.to_owned(),
    }
}
