//! The canonical command form: what an idempotency fingerprint is made of.
//!
//! `fingerprint(commands, meta)` is `[1] ++ postcard((Vec<StoredCommand>, MetaV1))`, the
//! meta without its key. The rule that keeps remembered keys matching across releases: a
//! command is encoded with the **oldest** tag whose shape can carry its value. A
//! `define_item` of an item without dimensions and weight is tag 0 with an [`ItemV1`],
//! byte for byte what format 4 wrote; only an item that has them takes tag 34 and an
//! [`ItemV2`]. Tags 0 to 33 are format 4's (the declaration order of `Command` then).

use serde::{Deserialize, Serialize};

use super::Command;
use crate::error::Result;
use crate::ledger::{
    Adjust, Count, Dispatch, Issue, Meta, Receive, ReceiveTransfer, ReturnStock, Scrap, Transfer,
};
use crate::orders::{
    AllocateOrder, AllocateOrders, CancelOrder, CommitReservation, CreateOrder, FillBackorders,
    NewOrderLine, OrderStep, PackOrder, PickOrder, Reserve, ShortagePolicy, Strategy,
};
use crate::planning::supply::{
    CreatePurchaseOrder, NewPurchaseOrderLine, PurchaseOrderStep, ReceivePurchaseOrder,
};
use crate::store::schema::records::{
    ItemV1, ItemV2, LocationV1, LotV1, PackageV1, StoredOverReceipt, StoredQty,
};
use crate::store::schema::{FromPublic, IntoPublic, stored_enum, stored_struct, stored_unit_enum};

/// Version byte of fingerprints of the canonical form of this module.
const FINGERPRINT_V1: u8 = 1;

// The allocation settings commands carry: stored only in fingerprints.

stored_unit_enum! {
    /// Who gets short stock ([`ShortagePolicy`]).
    ShortagePolicy => StoredShortagePolicy { 0 => PriorityDueDate, 1 => FairShare }
}

/// The argument of [`StoredStrategy::Fefo`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct FefoV1 {
    /// The least shelf life a lot must have left, in days.
    pub min_remaining_days: u32,
}

/// The argument of [`StoredStrategy::Nearest`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct NearestV1 {
    /// The location to measure from.
    pub location: String,
}

/// The argument of [`StoredStrategy::Ordered`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct OrderedV1 {
    /// Bin codes, first choice first.
    pub locations: Vec<String>,
}

stored_enum! {
    /// Which stock to take first ([`Strategy`]).
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub(crate) enum StoredStrategy {
        /// `Strategy::Fifo`.
        0 => Fifo,
        /// `Strategy::Fefo`.
        1 => Fefo(FefoV1),
        /// `Strategy::Lifo`.
        2 => Lifo,
        /// `Strategy::FewestLocations`.
        3 => FewestLocations,
        /// `Strategy::Nearest`.
        4 => Nearest(NearestV1),
        /// `Strategy::Ordered`.
        5 => Ordered(OrderedV1),
    }
}

impl FromPublic<Strategy> for StoredStrategy {
    fn from_public(p: &Strategy) -> Self {
        match p {
            Strategy::Fifo => StoredStrategy::Fifo,
            Strategy::Fefo { min_remaining_days } => StoredStrategy::Fefo(FefoV1 {
                min_remaining_days: *min_remaining_days,
            }),
            Strategy::Lifo => StoredStrategy::Lifo,
            Strategy::FewestLocations => StoredStrategy::FewestLocations,
            Strategy::Nearest { location } => StoredStrategy::Nearest(NearestV1 {
                location: location.clone(),
            }),
            Strategy::Ordered { locations } => StoredStrategy::Ordered(OrderedV1 {
                locations: locations.clone(),
            }),
        }
    }
}

impl IntoPublic<Strategy> for StoredStrategy {
    fn into_public(self) -> Strategy {
        match self {
            StoredStrategy::Fifo => Strategy::Fifo,
            StoredStrategy::Fefo(f) => Strategy::Fefo {
                min_remaining_days: f.min_remaining_days,
            },
            StoredStrategy::Lifo => Strategy::Lifo,
            StoredStrategy::FewestLocations => Strategy::FewestLocations,
            StoredStrategy::Nearest(n) => Strategy::Nearest {
                location: n.location,
            },
            StoredStrategy::Ordered(o) => Strategy::Ordered {
                locations: o.locations,
            },
        }
    }
}

/// [`Receive`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct ReceiveV1 {
    /// The item.
    pub sku: String,
    /// Where.
    pub location: String,
    /// How much.
    pub qty: StoredQty,
    /// In which unit.
    pub unit: Option<String>,
    /// The lot.
    pub lot: Option<String>,
    /// A new lot's expiry.
    pub expiry: Option<i64>,
    /// A new lot's production date.
    pub produced: Option<i64>,
    /// Serials.
    pub serials: Vec<String>,
    /// Cost per base unit.
    pub unit_cost: Option<StoredQty>,
    /// Its currency.
    pub currency: Option<String>,
    /// The supplier location.
    pub from: Option<String>,
}
stored_struct!(Receive => ReceiveV1 {
    sku, location, qty, unit, lot, expiry, produced, serials, unit_cost, currency, from,
});

/// [`ReturnStock`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct ReturnStockV1 {
    /// The item.
    pub sku: String,
    /// Where.
    pub location: String,
    /// How much.
    pub qty: StoredQty,
    /// In which unit.
    pub unit: Option<String>,
    /// The lot.
    pub lot: Option<String>,
    /// Serials.
    pub serials: Vec<String>,
    /// The customer location.
    pub from: Option<String>,
    /// Why.
    pub reason_code: Option<String>,
}
stored_struct!(ReturnStock => ReturnStockV1 {
    sku, location, qty, unit, lot, serials, from, reason_code,
});

/// [`Issue`] (issue and ship).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct IssueV1 {
    /// The item.
    pub sku: String,
    /// From where.
    pub location: String,
    /// How much.
    pub qty: StoredQty,
    /// In which unit.
    pub unit: Option<String>,
    /// The lot.
    pub lot: Option<String>,
    /// Serials.
    pub serials: Vec<String>,
    /// Take an expired lot anyway.
    pub allow_expired: bool,
    /// The customer location.
    pub to: Option<String>,
}
stored_struct!(Issue => IssueV1 {
    sku, location, qty, unit, lot, serials, allow_expired, to,
});

/// [`Adjust`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct AdjustV1 {
    /// The item.
    pub sku: String,
    /// Where.
    pub location: String,
    /// The signed change.
    pub qty: StoredQty,
    /// In which unit.
    pub unit: Option<String>,
    /// The lot.
    pub lot: Option<String>,
    /// Serials.
    pub serials: Vec<String>,
    /// Why.
    pub reason_code: String,
}
stored_struct!(Adjust => AdjustV1 { sku, location, qty, unit, lot, serials, reason_code });

/// [`Scrap`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct ScrapV1 {
    /// The item.
    pub sku: String,
    /// From where.
    pub location: String,
    /// How much.
    pub qty: StoredQty,
    /// In which unit.
    pub unit: Option<String>,
    /// The lot.
    pub lot: Option<String>,
    /// Serials.
    pub serials: Vec<String>,
    /// Why.
    pub reason_code: Option<String>,
}
stored_struct!(Scrap => ScrapV1 { sku, location, qty, unit, lot, serials, reason_code });

/// [`Transfer`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct TransferV1 {
    /// The item.
    pub sku: String,
    /// Source.
    pub from: String,
    /// Destination.
    pub to: String,
    /// How much.
    pub qty: StoredQty,
    /// In which unit.
    pub unit: Option<String>,
    /// The lot.
    pub lot: Option<String>,
    /// Serials.
    pub serials: Vec<String>,
    /// Move an expired lot anyway.
    pub allow_expired: bool,
}
stored_struct!(Transfer => TransferV1 {
    sku, from, to, qty, unit, lot, serials, allow_expired,
});

/// [`Dispatch`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct DispatchV1 {
    /// The transfer id.
    pub transfer_id: Option<String>,
    /// The item.
    pub sku: String,
    /// Source.
    pub from: String,
    /// Final destination.
    pub to: String,
    /// How much.
    pub qty: StoredQty,
    /// In which unit.
    pub unit: Option<String>,
    /// The lot.
    pub lot: Option<String>,
    /// Serials.
    pub serials: Vec<String>,
    /// Move an expired lot anyway.
    pub allow_expired: bool,
}
stored_struct!(Dispatch => DispatchV1 {
    transfer_id, sku, from, to, qty, unit, lot, serials, allow_expired,
});

/// [`ReceiveTransfer`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct ReceiveTransferV1 {
    /// The transfer.
    pub transfer_id: String,
    /// How much arrived.
    pub qty: StoredQty,
    /// In which unit.
    pub unit: Option<String>,
    /// Serials that arrived.
    pub serials: Vec<String>,
}
stored_struct!(ReceiveTransfer => ReceiveTransferV1 { transfer_id, qty, unit, serials });

/// [`Count`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct CountV1 {
    /// The item.
    pub sku: String,
    /// Where.
    pub location: String,
    /// The lot.
    pub lot: Option<String>,
    /// Counted.
    pub counted: StoredQty,
    /// In which unit.
    pub unit: Option<String>,
}
stored_struct!(Count => CountV1 { sku, location, lot, counted, unit });

/// [`Reserve`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct ReserveV1 {
    /// Its id.
    pub reservation_id: Option<String>,
    /// The item.
    pub sku: String,
    /// How much.
    pub qty: StoredQty,
    /// In which unit.
    pub unit: Option<String>,
    /// The scope.
    pub scope: String,
    /// Pin a lot.
    pub lot: Option<String>,
    /// Pin the bin.
    pub hard: bool,
    /// The order.
    pub order: Option<String>,
    /// The order line.
    pub line: Option<u32>,
    /// Time-to-live.
    pub ttl_ms: Option<i64>,
}
stored_struct!(Reserve => ReserveV1 {
    reservation_id, sku, qty, unit, scope, lot, hard, order, line, ttl_ms,
});

/// [`CommitReservation`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct CommitReservationV1 {
    /// The reservation.
    pub reservation_id: String,
    /// How much.
    pub qty: Option<StoredQty>,
    /// From which bin.
    pub location: Option<String>,
    /// Which lot.
    pub lot: Option<String>,
    /// Serials.
    pub serials: Vec<String>,
    /// The customer location.
    pub to: Option<String>,
}
stored_struct!(CommitReservation => CommitReservationV1 {
    reservation_id, qty, location, lot, serials, to,
});

/// The arguments of `release_reservation`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct ReleaseReservationV1 {
    /// The reservation.
    pub reservation_id: String,
    /// How much.
    pub qty: Option<StoredQty>,
}

/// The arguments of `expire_due`: none.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct ExpireDueV1 {}

/// The arguments of `archive_item`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct ArchiveItemV1 {
    /// The item.
    pub sku: String,
}

/// The arguments of `archive_location`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct ArchiveLocationV1 {
    /// The location.
    pub code: String,
}

/// [`NewOrderLine`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct NewOrderLineV1 {
    /// The item.
    pub sku: String,
    /// How much.
    pub qty: StoredQty,
    /// In which unit.
    pub unit: Option<String>,
}
stored_struct!(NewOrderLine => NewOrderLineV1 { sku, qty, unit });

/// [`CreateOrder`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct CreateOrderV1 {
    /// Its id.
    pub order_id: String,
    /// The customer.
    pub customer: Option<String>,
    /// Priority.
    pub priority: u32,
    /// Due at.
    pub due_at: Option<i64>,
    /// Ships from.
    pub ship_from: String,
    /// Staging.
    pub staging: Option<String>,
    /// Ships to.
    pub ship_to: Option<String>,
    /// The lines.
    pub lines: Vec<NewOrderLineV1>,
}
stored_struct!(CreateOrder => CreateOrderV1 {
    order_id, customer, priority, due_at, ship_from, staging, ship_to, lines,
});

/// [`OrderStep`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct OrderStepV1 {
    /// The order.
    pub order_id: String,
}
stored_struct!(OrderStep => OrderStepV1 { order_id });

/// [`AllocateOrder`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct AllocateOrderV1 {
    /// The order.
    pub order_id: String,
    /// Which stock first.
    pub strategy: StoredStrategy,
}
stored_struct!(AllocateOrder => AllocateOrderV1 { order_id, strategy });

/// [`AllocateOrders`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct AllocateOrdersV1 {
    /// The orders.
    pub order_ids: Vec<String>,
    /// Who gets short stock.
    pub policy: StoredShortagePolicy,
    /// Which stock first.
    pub strategy: StoredStrategy,
}
stored_struct!(AllocateOrders => AllocateOrdersV1 { order_ids, policy, strategy });

/// [`FillBackorders`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct FillBackordersV1 {
    /// Only this item.
    pub sku: Option<String>,
    /// Who gets short stock.
    pub policy: StoredShortagePolicy,
    /// Which stock first.
    pub strategy: StoredStrategy,
}
stored_struct!(FillBackorders => FillBackordersV1 { sku, policy, strategy });

/// [`PickOrder`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct PickOrderV1 {
    /// The order.
    pub order_id: String,
    /// The line.
    pub line: u32,
    /// From which bin.
    pub location: String,
    /// The lot.
    pub lot: Option<String>,
    /// How much.
    pub qty: StoredQty,
    /// Serials.
    pub serials: Vec<String>,
    /// The bin held less.
    pub short: bool,
}
stored_struct!(PickOrder => PickOrderV1 {
    order_id, line, location, lot, qty, serials, short,
});

/// [`PackOrder`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct PackOrderV1 {
    /// The order.
    pub order_id: String,
    /// The packages.
    pub packages: Vec<PackageV1>,
}
stored_struct!(PackOrder => PackOrderV1 { order_id, packages });

/// [`CancelOrder`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct CancelOrderV1 {
    /// The order.
    pub order_id: String,
    /// Where picked stock goes.
    pub return_to: Option<String>,
}
stored_struct!(CancelOrder => CancelOrderV1 { order_id, return_to });

/// [`NewPurchaseOrderLine`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct NewPurchaseOrderLineV1 {
    /// The item.
    pub sku: String,
    /// How much.
    pub qty: StoredQty,
    /// In which unit.
    pub unit: Option<String>,
    /// Agreed cost.
    pub unit_cost: Option<StoredQty>,
    /// Its currency.
    pub currency: Option<String>,
}
stored_struct!(NewPurchaseOrderLine => NewPurchaseOrderLineV1 {
    sku, qty, unit, unit_cost, currency,
});

/// [`CreatePurchaseOrder`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct CreatePurchaseOrderV1 {
    /// Its id.
    pub po_id: String,
    /// The supplier.
    pub supplier: String,
    /// Delivered to.
    pub location: String,
    /// The lines.
    pub lines: Vec<NewPurchaseOrderLineV1>,
    /// Expected at.
    pub expected_at: i64,
    /// Placed at.
    pub ordered_at: Option<i64>,
    /// Over-receipt policy.
    pub over_receipt: StoredOverReceipt,
    /// Under-receipt tolerance.
    pub under_tolerance_pct: StoredQty,
}
stored_struct!(CreatePurchaseOrder => CreatePurchaseOrderV1 {
    po_id, supplier, location, lines, expected_at, ordered_at, over_receipt,
    under_tolerance_pct,
});

/// [`ReceivePurchaseOrder`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct ReceivePurchaseOrderV1 {
    /// The purchase order.
    pub po_id: String,
    /// The line.
    pub line: u32,
    /// How much.
    pub qty: StoredQty,
    /// In which unit.
    pub unit: Option<String>,
    /// Where.
    pub location: Option<String>,
    /// The lot.
    pub lot: Option<String>,
    /// A new lot's expiry.
    pub expiry: Option<i64>,
    /// A new lot's production date.
    pub produced: Option<i64>,
    /// Serials.
    pub serials: Vec<String>,
    /// Cost per base unit.
    pub unit_cost: Option<StoredQty>,
    /// Its currency.
    pub currency: Option<String>,
}
stored_struct!(ReceivePurchaseOrder => ReceivePurchaseOrderV1 {
    po_id, line, qty, unit, location, lot, expiry, produced, serials, unit_cost, currency,
});

/// [`PurchaseOrderStep`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct PurchaseOrderStepV1 {
    /// The purchase order.
    pub po_id: String,
}
stored_struct!(PurchaseOrderStep => PurchaseOrderStepV1 { po_id });

stored_enum! {
    /// A command in canonical form ([`Command`]).
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub(crate) enum StoredCommand {
        /// `define_item` of an item without dimensions and weight.
        0 => DefineItem(ItemV1),
        /// `update_item` of an item without dimensions and weight.
        1 => UpdateItem(ItemV1),
        /// `archive_item`.
        2 => ArchiveItem(ArchiveItemV1),
        /// `define_location`.
        3 => DefineLocation(LocationV1),
        /// `update_location`.
        4 => UpdateLocation(LocationV1),
        /// `archive_location`.
        5 => ArchiveLocation(ArchiveLocationV1),
        /// `define_lot`.
        6 => DefineLot(LotV1),
        /// `receive`.
        7 => Receive(ReceiveV1),
        /// `issue`.
        8 => Issue(IssueV1),
        /// `ship`.
        9 => Ship(IssueV1),
        /// `adjust`.
        10 => Adjust(AdjustV1),
        /// `scrap`.
        11 => Scrap(ScrapV1),
        /// `transfer`.
        12 => Transfer(TransferV1),
        /// `dispatch_transfer`.
        13 => DispatchTransfer(DispatchV1),
        /// `receive_transfer`.
        14 => ReceiveTransfer(ReceiveTransferV1),
        /// `count`.
        15 => Count(CountV1),
        /// `reserve`.
        16 => Reserve(ReserveV1),
        /// `commit_reservation`.
        17 => CommitReservation(CommitReservationV1),
        /// `release_reservation`.
        18 => ReleaseReservation(ReleaseReservationV1),
        /// `expire_due`.
        19 => ExpireDue(ExpireDueV1),
        /// `create_order`.
        20 => CreateOrder(CreateOrderV1),
        /// `confirm_order`.
        21 => ConfirmOrder(OrderStepV1),
        /// `allocate_order`.
        22 => AllocateOrder(AllocateOrderV1),
        /// `allocate_orders`.
        23 => AllocateOrders(AllocateOrdersV1),
        /// `fill_backorders`.
        24 => FillBackorders(FillBackordersV1),
        /// `pick_order`.
        25 => PickOrder(PickOrderV1),
        /// `pack_order`.
        26 => PackOrder(PackOrderV1),
        /// `ship_order`.
        27 => ShipOrder(OrderStepV1),
        /// `deliver_order`.
        28 => DeliverOrder(OrderStepV1),
        /// `cancel_order`.
        29 => CancelOrder(CancelOrderV1),
        /// `create_purchase_order`.
        30 => CreatePurchaseOrder(CreatePurchaseOrderV1),
        /// `receive_purchase_order`.
        31 => ReceivePurchaseOrder(ReceivePurchaseOrderV1),
        /// `close_purchase_order`.
        32 => ClosePurchaseOrder(PurchaseOrderStepV1),
        /// `cancel_purchase_order`.
        33 => CancelPurchaseOrder(PurchaseOrderStepV1),
        /// `define_item` of an item with dimensions or weight.
        34 => DefineItemV2(ItemV2),
        /// `update_item` of an item with dimensions or weight.
        35 => UpdateItemV2(ItemV2),
        /// `return_stock`.
        36 => ReturnStock(ReturnStockV1),
    }
}

impl FromPublic<Command> for StoredCommand {
    /// The canonical form: the oldest tag whose shape carries the command.
    fn from_public(command: &Command) -> Self {
        use StoredCommand as S;
        match command {
            Command::DefineItem(i) => match ItemV1::carrying(i) {
                Some(v1) => S::DefineItem(v1),
                None => S::DefineItemV2(ItemV2::from_public(i)),
            },
            Command::UpdateItem(i) => match ItemV1::carrying(i) {
                Some(v1) => S::UpdateItem(v1),
                None => S::UpdateItemV2(ItemV2::from_public(i)),
            },
            Command::ArchiveItem { sku } => S::ArchiveItem(ArchiveItemV1 { sku: sku.clone() }),
            Command::DefineLocation(l) => S::DefineLocation(LocationV1::from_public(l)),
            Command::UpdateLocation(l) => S::UpdateLocation(LocationV1::from_public(l)),
            Command::ArchiveLocation { code } => {
                S::ArchiveLocation(ArchiveLocationV1 { code: code.clone() })
            }
            Command::DefineLot(l) => S::DefineLot(LotV1::from_public(l)),
            Command::Receive(c) => S::Receive(ReceiveV1::from_public(c)),
            Command::Issue(c) => S::Issue(IssueV1::from_public(c)),
            Command::Ship(c) => S::Ship(IssueV1::from_public(c)),
            Command::Adjust(c) => S::Adjust(AdjustV1::from_public(c)),
            Command::Scrap(c) => S::Scrap(ScrapV1::from_public(c)),
            Command::Transfer(c) => S::Transfer(TransferV1::from_public(c)),
            Command::DispatchTransfer(c) => S::DispatchTransfer(DispatchV1::from_public(c)),
            Command::ReceiveTransfer(c) => S::ReceiveTransfer(ReceiveTransferV1::from_public(c)),
            Command::Count(c) => S::Count(CountV1::from_public(c)),
            Command::Reserve(c) => S::Reserve(ReserveV1::from_public(c)),
            Command::CommitReservation(c) => {
                S::CommitReservation(CommitReservationV1::from_public(c))
            }
            Command::ReleaseReservation {
                reservation_id,
                qty,
            } => S::ReleaseReservation(ReleaseReservationV1 {
                reservation_id: reservation_id.clone(),
                qty: Option::from_public(qty),
            }),
            Command::ExpireDue {} => S::ExpireDue(ExpireDueV1 {}),
            Command::CreateOrder(c) => S::CreateOrder(CreateOrderV1::from_public(c)),
            Command::ConfirmOrder(c) => S::ConfirmOrder(OrderStepV1::from_public(c)),
            Command::AllocateOrder(c) => S::AllocateOrder(AllocateOrderV1::from_public(c)),
            Command::AllocateOrders(c) => S::AllocateOrders(AllocateOrdersV1::from_public(c)),
            Command::FillBackorders(c) => S::FillBackorders(FillBackordersV1::from_public(c)),
            Command::PickOrder(c) => S::PickOrder(PickOrderV1::from_public(c)),
            Command::PackOrder(c) => S::PackOrder(PackOrderV1::from_public(c)),
            Command::ShipOrder(c) => S::ShipOrder(OrderStepV1::from_public(c)),
            Command::DeliverOrder(c) => S::DeliverOrder(OrderStepV1::from_public(c)),
            Command::CancelOrder(c) => S::CancelOrder(CancelOrderV1::from_public(c)),
            Command::CreatePurchaseOrder(c) => {
                S::CreatePurchaseOrder(CreatePurchaseOrderV1::from_public(c))
            }
            Command::ReceivePurchaseOrder(c) => {
                S::ReceivePurchaseOrder(ReceivePurchaseOrderV1::from_public(c))
            }
            Command::ClosePurchaseOrder(c) => {
                S::ClosePurchaseOrder(PurchaseOrderStepV1::from_public(c))
            }
            Command::ReturnStock(c) => S::ReturnStock(ReturnStockV1::from_public(c)),
            Command::CancelPurchaseOrder(c) => {
                S::CancelPurchaseOrder(PurchaseOrderStepV1::from_public(c))
            }
        }
    }
}

impl IntoPublic<Command> for StoredCommand {
    fn into_public(self) -> Command {
        use StoredCommand as S;
        match self {
            S::DefineItem(i) => Command::DefineItem(i.into_public()),
            S::UpdateItem(i) => Command::UpdateItem(i.into_public()),
            S::DefineItemV2(i) => Command::DefineItem(i.into_public()),
            S::UpdateItemV2(i) => Command::UpdateItem(i.into_public()),
            S::ArchiveItem(a) => Command::ArchiveItem { sku: a.sku },
            S::DefineLocation(l) => Command::DefineLocation(l.into_public()),
            S::UpdateLocation(l) => Command::UpdateLocation(l.into_public()),
            S::ArchiveLocation(a) => Command::ArchiveLocation { code: a.code },
            S::DefineLot(l) => Command::DefineLot(l.into_public()),
            S::Receive(c) => Command::Receive(c.into_public()),
            S::Issue(c) => Command::Issue(c.into_public()),
            S::Ship(c) => Command::Ship(c.into_public()),
            S::Adjust(c) => Command::Adjust(c.into_public()),
            S::Scrap(c) => Command::Scrap(c.into_public()),
            S::Transfer(c) => Command::Transfer(c.into_public()),
            S::DispatchTransfer(c) => Command::DispatchTransfer(c.into_public()),
            S::ReceiveTransfer(c) => Command::ReceiveTransfer(c.into_public()),
            S::Count(c) => Command::Count(c.into_public()),
            S::Reserve(c) => Command::Reserve(c.into_public()),
            S::CommitReservation(c) => Command::CommitReservation(c.into_public()),
            S::ReleaseReservation(r) => Command::ReleaseReservation {
                reservation_id: r.reservation_id,
                qty: r.qty.into_public(),
            },
            S::ExpireDue(ExpireDueV1 {}) => Command::ExpireDue {},
            S::CreateOrder(c) => Command::CreateOrder(c.into_public()),
            S::ConfirmOrder(c) => Command::ConfirmOrder(c.into_public()),
            S::AllocateOrder(c) => Command::AllocateOrder(c.into_public()),
            S::AllocateOrders(c) => Command::AllocateOrders(c.into_public()),
            S::FillBackorders(c) => Command::FillBackorders(c.into_public()),
            S::PickOrder(c) => Command::PickOrder(c.into_public()),
            S::PackOrder(c) => Command::PackOrder(c.into_public()),
            S::ShipOrder(c) => Command::ShipOrder(c.into_public()),
            S::DeliverOrder(c) => Command::DeliverOrder(c.into_public()),
            S::CancelOrder(c) => Command::CancelOrder(c.into_public()),
            S::CreatePurchaseOrder(c) => Command::CreatePurchaseOrder(c.into_public()),
            S::ReceivePurchaseOrder(c) => Command::ReceivePurchaseOrder(c.into_public()),
            S::ClosePurchaseOrder(c) => Command::ClosePurchaseOrder(c.into_public()),
            S::CancelPurchaseOrder(c) => Command::CancelPurchaseOrder(c.into_public()),
            S::ReturnStock(c) => Command::ReturnStock(c.into_public()),
        }
    }
}

impl From<&Command> for StoredCommand {
    fn from(command: &Command) -> Self {
        StoredCommand::from_public(command)
    }
}

impl From<StoredCommand> for Command {
    fn from(command: StoredCommand) -> Self {
        command.into_public()
    }
}

/// What a caller says beyond the command ([`Meta`]); in a fingerprint, without its key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct MetaV1 {
    /// Who.
    pub actor: Option<String>,
    /// The idempotency key (none in a fingerprint).
    pub key: Option<String>,
    /// A correlation id.
    pub correlation: Option<String>,
    /// A reason.
    pub reason: Option<String>,
    /// Effective at.
    pub effective_at: Option<i64>,
}
stored_struct!(Meta => MetaV1 { actor, key, correlation, reason, effective_at });

/// The fingerprint an idempotency key remembers: a version byte, then postcard of the
/// canonical form of `commands` and of `meta` without its key. Format 4 fingerprinted
/// `(commands, meta)` of the public types the same way, so every command that existed then
/// keeps its fingerprint.
pub(crate) fn fingerprint(commands: &[Command], meta: &Meta) -> Result<Vec<u8>> {
    let commands: Vec<StoredCommand> = commands.iter().map(StoredCommand::from_public).collect();
    let mut meta = MetaV1::from_public(meta);
    meta.key = None;
    let mut out = vec![FINGERPRINT_V1];
    postcard::to_io(&(commands, meta), &mut out)
        .map_err(|e| crate::error::Error::storage_msg(format!("encode: {e}")))?;
    Ok(out)
}
