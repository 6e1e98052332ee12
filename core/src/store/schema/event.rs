//! The log: envelopes and events as stored, and the chunk rows of the `events` table.
//!
//! A chunk row is `[2] ++ LZ4(postcard(Vec<EnvelopeV1>))` (see `store::codec`); rows of
//! version byte 1 (plain postcard) are read too. Items are written as [`ItemV2`] under the
//! tags 17 and 18; the tags 0 and 1 carry [`ItemV1`] records of format 4 and are upcast on
//! read.

use serde::{Deserialize, Serialize};

use super::records::{
    ItemV1, ItemV2, LocationV1, LotV1, OrderV1, PurchaseOrderV1, ReservationV1, StoredBucket,
    StoredF64, StoredMovementKind, StoredQty,
};
use super::{FromPublic, IntoPublic, decode_whole, stored_struct};
use crate::error::Result;
use crate::event::{CountRecord, Envelope, Event, ForecastRecord, Movement, TransferRecord};
use crate::store::codec;

/// One double-entry movement ([`Movement`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct MovementV1 {
    /// Why it moved.
    pub kind: StoredMovementKind,
    /// The item.
    pub sku: String,
    /// The lot.
    pub lot: Option<String>,
    /// Source.
    pub from: String,
    /// Destination.
    pub to: String,
    /// How much.
    pub qty: StoredQty,
    /// Serials moved.
    pub serials: Vec<String>,
    /// Cost per base unit.
    pub unit_cost: Option<StoredQty>,
    /// Its currency.
    pub currency: Option<String>,
    /// A reason code.
    pub reason_code: Option<String>,
    /// The two-step transfer.
    pub transfer: Option<String>,
}
stored_struct!(Movement => MovementV1 {
    kind, sku, lot, from, to, qty, serials, unit_cost, currency, reason_code, transfer,
});

/// A two-step transfer ([`TransferRecord`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct TransferRecordV1 {
    /// Its id.
    pub id: String,
    /// The item.
    pub sku: String,
    /// The lot.
    pub lot: Option<String>,
    /// Dispatched from.
    pub from: String,
    /// Going to.
    pub to: String,
    /// Dispatched.
    pub dispatched: StoredQty,
    /// Received so far.
    pub received: StoredQty,
    /// Serials in transit.
    pub serials_in_transit: Vec<String>,
}
stored_struct!(TransferRecord => TransferRecordV1 {
    id, sku, lot, from, to, dispatched, received, serials_in_transit,
});

/// What a cycle count found ([`CountRecord`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct CountRecordV1 {
    /// The item.
    pub sku: String,
    /// The location.
    pub location: String,
    /// The lot.
    pub lot: Option<String>,
    /// Counted.
    pub counted: StoredQty,
    /// Held by the engine.
    pub expected: StoredQty,
}
stored_struct!(CountRecord => CountRecordV1 { sku, location, lot, counted, expected });

/// The fields of `item_archived`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct ItemArchivedV1 {
    /// The item.
    pub sku: String,
}

/// The fields of `location_archived`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct LocationArchivedV1 {
    /// The location.
    pub code: String,
}

/// The fields of `transfer_received`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct TransferReceivedV1 {
    /// The transfer.
    pub id: String,
    /// How much arrived.
    pub qty: StoredQty,
    /// Which serials arrived.
    pub serials: Vec<String>,
}

/// The fields of `reservation_committed` and `reservation_released`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct ReservationQtyV1 {
    /// The reservation.
    pub id: String,
    /// How much.
    pub qty: StoredQty,
}

/// The fields of `reservation_expired`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct ReservationExpiredV1 {
    /// The reservation.
    pub id: String,
}

/// The fields of `order_changed`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct OrderChangedV1 {
    /// The step.
    pub step: String,
    /// The order after it.
    pub order: Box<OrderV1>,
}

/// The fields of `purchase_order_changed`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct PurchaseOrderChangedV1 {
    /// The step.
    pub step: String,
    /// The purchase order after it.
    pub order: Box<PurchaseOrderV1>,
}

/// A recorded forecast ([`ForecastRecord`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct ForecastRecordV1 {
    /// The item.
    pub sku: String,
    /// The site.
    pub site: String,
    /// When it was made.
    pub made_at: i64,
    /// The period length.
    pub bucket: StoredBucket,
    /// The first period's start.
    pub start: i64,
    /// Point forecasts.
    pub points: Vec<StoredF64>,
    /// Lower bounds.
    pub lower: Option<Vec<StoredF64>>,
    /// Upper bounds.
    pub upper: Option<Vec<StoredF64>>,
    /// The intervals' level.
    pub level: Option<StoredF64>,
    /// The method.
    pub method: String,
}
stored_struct!(ForecastRecord => ForecastRecordV1 {
    sku, site, made_at, bucket, start, points, lower, upper, level, method,
});

super::stored_enum! {
    /// An event as stored ([`Event`]). Tags 0 to 16 are format 4's; 17 and 18 carry items
    /// with dimensions and weight, and are what the writer writes for items.
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub(crate) enum StoredEvent {
        /// `item_defined`, an item of format 4.
        0 => ItemDefined(ItemV1),
        /// `item_updated`, an item of format 4.
        1 => ItemUpdated(ItemV1),
        /// `item_archived`.
        2 => ItemArchived(ItemArchivedV1),
        /// `location_defined`.
        3 => LocationDefined(LocationV1),
        /// `location_updated`.
        4 => LocationUpdated(LocationV1),
        /// `location_archived`.
        5 => LocationArchived(LocationArchivedV1),
        /// `lot_defined`.
        6 => LotDefined(LotV1),
        /// `moved`.
        7 => Moved(MovementV1),
        /// `transfer_dispatched`.
        8 => TransferDispatched(TransferRecordV1),
        /// `transfer_received`.
        9 => TransferReceived(TransferReceivedV1),
        /// `counted`.
        10 => Counted(CountRecordV1),
        /// `reservation_created`.
        11 => ReservationCreated(ReservationV1),
        /// `reservation_committed`.
        12 => ReservationCommitted(ReservationQtyV1),
        /// `reservation_released`.
        13 => ReservationReleased(ReservationQtyV1),
        /// `reservation_expired`.
        14 => ReservationExpired(ReservationExpiredV1),
        /// `order_changed`.
        15 => OrderChanged(OrderChangedV1),
        /// `purchase_order_changed`.
        16 => PurchaseOrderChanged(PurchaseOrderChangedV1),
        /// `item_defined`, with dimensions and weight.
        17 => ItemDefinedV2(ItemV2),
        /// `item_updated`, with dimensions and weight.
        18 => ItemUpdatedV2(ItemV2),
        /// `forecast_recorded`.
        19 => ForecastRecorded(ForecastRecordV1),
    }
}

impl FromPublic<Event> for StoredEvent {
    fn from_public(event: &Event) -> Self {
        match event {
            Event::ItemDefined(i) => StoredEvent::ItemDefinedV2(ItemV2::from_public(i)),
            Event::ItemUpdated(i) => StoredEvent::ItemUpdatedV2(ItemV2::from_public(i)),
            Event::ItemArchived { sku } => {
                StoredEvent::ItemArchived(ItemArchivedV1 { sku: sku.clone() })
            }
            Event::LocationDefined(l) => StoredEvent::LocationDefined(LocationV1::from_public(l)),
            Event::LocationUpdated(l) => StoredEvent::LocationUpdated(LocationV1::from_public(l)),
            Event::LocationArchived { code } => {
                StoredEvent::LocationArchived(LocationArchivedV1 { code: code.clone() })
            }
            Event::LotDefined(l) => StoredEvent::LotDefined(LotV1::from_public(l)),
            Event::Moved(m) => StoredEvent::Moved(MovementV1::from_public(m)),
            Event::TransferDispatched(t) => {
                StoredEvent::TransferDispatched(TransferRecordV1::from_public(t))
            }
            Event::TransferReceived { id, qty, serials } => {
                StoredEvent::TransferReceived(TransferReceivedV1 {
                    id: id.clone(),
                    qty: StoredQty::from_public(qty),
                    serials: serials.clone(),
                })
            }
            Event::Counted(c) => StoredEvent::Counted(CountRecordV1::from_public(c)),
            Event::ReservationCreated(r) => {
                StoredEvent::ReservationCreated(ReservationV1::from_public(r))
            }
            Event::ReservationCommitted { id, qty } => {
                StoredEvent::ReservationCommitted(ReservationQtyV1 {
                    id: id.clone(),
                    qty: StoredQty::from_public(qty),
                })
            }
            Event::ReservationReleased { id, qty } => {
                StoredEvent::ReservationReleased(ReservationQtyV1 {
                    id: id.clone(),
                    qty: StoredQty::from_public(qty),
                })
            }
            Event::ReservationExpired { id } => {
                StoredEvent::ReservationExpired(ReservationExpiredV1 { id: id.clone() })
            }
            Event::OrderChanged { step, order } => StoredEvent::OrderChanged(OrderChangedV1 {
                step: step.clone(),
                order: Box::from_public(order),
            }),
            Event::PurchaseOrderChanged { step, order } => {
                StoredEvent::PurchaseOrderChanged(PurchaseOrderChangedV1 {
                    step: step.clone(),
                    order: Box::from_public(order),
                })
            }
            Event::ForecastRecorded(f) => {
                StoredEvent::ForecastRecorded(ForecastRecordV1::from_public(f))
            }
        }
    }
}

impl IntoPublic<Event> for StoredEvent {
    fn into_public(self) -> Event {
        match self {
            StoredEvent::ItemDefined(i) => Event::ItemDefined(i.into_public()),
            StoredEvent::ItemUpdated(i) => Event::ItemUpdated(i.into_public()),
            StoredEvent::ItemDefinedV2(i) => Event::ItemDefined(i.into_public()),
            StoredEvent::ItemUpdatedV2(i) => Event::ItemUpdated(i.into_public()),
            StoredEvent::ItemArchived(a) => Event::ItemArchived { sku: a.sku },
            StoredEvent::LocationDefined(l) => Event::LocationDefined(l.into_public()),
            StoredEvent::LocationUpdated(l) => Event::LocationUpdated(l.into_public()),
            StoredEvent::LocationArchived(a) => Event::LocationArchived { code: a.code },
            StoredEvent::LotDefined(l) => Event::LotDefined(l.into_public()),
            StoredEvent::Moved(m) => Event::Moved(m.into_public()),
            StoredEvent::TransferDispatched(t) => Event::TransferDispatched(t.into_public()),
            StoredEvent::TransferReceived(t) => Event::TransferReceived {
                id: t.id,
                qty: t.qty.into_public(),
                serials: t.serials,
            },
            StoredEvent::Counted(c) => Event::Counted(c.into_public()),
            StoredEvent::ReservationCreated(r) => Event::ReservationCreated(r.into_public()),
            StoredEvent::ReservationCommitted(r) => Event::ReservationCommitted {
                id: r.id,
                qty: r.qty.into_public(),
            },
            StoredEvent::ReservationReleased(r) => Event::ReservationReleased {
                id: r.id,
                qty: r.qty.into_public(),
            },
            StoredEvent::ReservationExpired(r) => Event::ReservationExpired { id: r.id },
            StoredEvent::OrderChanged(o) => Event::OrderChanged {
                step: o.step,
                order: o.order.into_public(),
            },
            StoredEvent::PurchaseOrderChanged(o) => Event::PurchaseOrderChanged {
                step: o.step,
                order: o.order.into_public(),
            },
            StoredEvent::ForecastRecorded(f) => Event::ForecastRecorded(f.into_public()),
        }
    }
}

impl From<&Event> for StoredEvent {
    fn from(event: &Event) -> Self {
        StoredEvent::from_public(event)
    }
}

impl From<StoredEvent> for Event {
    fn from(event: StoredEvent) -> Self {
        event.into_public()
    }
}

/// An event with its place in the log and who caused it ([`Envelope`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct EnvelopeV1 {
    /// Sequence number.
    pub seq: u64,
    /// Recorded at (engine clock).
    pub recorded_at: i64,
    /// Effective at (business time).
    pub effective_at: i64,
    /// Who.
    pub actor: Option<String>,
    /// The idempotency key.
    pub key: Option<String>,
    /// A correlation id.
    pub correlation: Option<String>,
    /// A reason.
    pub reason: Option<String>,
    /// The fact.
    pub event: StoredEvent,
}
stored_struct!(Envelope => EnvelopeV1 {
    seq, recorded_at, effective_at, actor, key, correlation, reason, event,
});

/// Encodes `events` as one chunk row, appending to `out`.
pub(crate) fn encode_chunk_into(events: &[Envelope], out: &mut Vec<u8>) -> Result<()> {
    let stored: Vec<EnvelopeV1> = events.iter().map(EnvelopeV1::from_public).collect();
    codec::encode_compressed_into(&stored, out)
}

/// Decodes a chunk row.
pub(crate) fn decode_chunk(bytes: &[u8]) -> Result<Vec<Envelope>> {
    let body = codec::body(bytes)?;
    let stored: Vec<EnvelopeV1> = decode_whole(&body)?;
    Ok(stored.into_public())
}
