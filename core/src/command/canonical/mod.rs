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
use crate::orders::{CommitReservation, Reserve};
use crate::planning::accuracy::{RecordForecast, RecordForecasts};
use crate::store::schema::records::{
    ItemV1, ItemV2, LocationV1, LotV1, StoredBucket, StoredF64, StoredQty,
};
use crate::store::schema::{FromPublic, IntoPublic, stored_enum, stored_struct};
use orders::{
    AllocateOrderV1, AllocateOrdersV1, CancelOrderV1, CreateOrderV1, CreatePurchaseOrderV1,
    FillBackordersV1, OrderStepV1, PackOrderV1, PickOrderV1, PurchaseOrderStepV1,
    ReceivePurchaseOrderV1,
};

mod orders;

/// Version byte of fingerprints of the canonical form of this module.
const FINGERPRINT_V1: u8 = 1;

/// [`RecordForecast`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct RecordForecastV1 {
    /// The item.
    pub sku: String,
    /// The site.
    pub site: String,
    /// The period length.
    pub bucket: StoredBucket,
    /// The first period's start.
    pub start: i64,
    /// Point forecasts.
    pub points: Vec<StoredF64>,
    /// The method.
    pub method: String,
    /// Lower bounds.
    pub lower: Option<Vec<StoredF64>>,
    /// Upper bounds.
    pub upper: Option<Vec<StoredF64>>,
    /// The intervals' level.
    pub level: Option<StoredF64>,
    /// When it was made.
    pub made_at: Option<i64>,
}
stored_struct!(RecordForecast => RecordForecastV1 {
    sku, site, bucket, start, points, method, lower, upper, level, made_at,
});

/// [`RecordForecasts`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct RecordForecastsV1 {
    /// The forecasts.
    pub forecasts: Vec<RecordForecastV1>,
}
stored_struct!(RecordForecasts => RecordForecastsV1 { forecasts });

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
        /// `record_forecast`.
        37 => RecordForecast(RecordForecastV1),
        /// `record_forecasts`.
        38 => RecordForecasts(RecordForecastsV1),
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
            Command::RecordForecast(c) => S::RecordForecast(RecordForecastV1::from_public(c)),
            Command::RecordForecasts(c) => S::RecordForecasts(RecordForecastsV1::from_public(c)),
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
            S::RecordForecast(c) => Command::RecordForecast(c.into_public()),
            S::RecordForecasts(c) => Command::RecordForecasts(c.into_public()),
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
