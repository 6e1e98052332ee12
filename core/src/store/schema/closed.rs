//! Closed records that left memory after their retention window: reservations, orders
//! and purchase orders, one row each in the `closed` table, keyed by (kind, id).

use super::{
    FromPublic, IntoPublic, OrderV1, PurchaseOrderV1, ReservationV1, decode_whole, stored_enum,
};
use crate::error::Result;
use crate::model::order::Order;
use crate::model::purchase_order::PurchaseOrder;
use crate::model::reservation::Reservation;
use crate::store::codec;

/// A closed record, as its public type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Closed {
    /// A committed, released or expired reservation.
    Reservation(Reservation),
    /// A delivered or cancelled order.
    Order(Order),
    /// A received, closed or cancelled purchase order.
    PurchaseOrder(PurchaseOrder),
}

/// The kinds of closed records: the first part of a `closed` key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) enum ClosedKind {
    /// Reservations.
    Reservation = 0,
    /// Orders.
    Order = 1,
    /// Purchase orders.
    PurchaseOrder = 2,
}

impl ClosedKind {
    /// The kind of a `closed` key's first part (`None`: no kind has that tag).
    pub(crate) fn from_tag(tag: u8) -> Option<ClosedKind> {
        match tag {
            0 => Some(ClosedKind::Reservation),
            1 => Some(ClosedKind::Order),
            2 => Some(ClosedKind::PurchaseOrder),
            _ => None,
        }
    }
}

impl Closed {
    /// Its key in the `closed` table: (kind, id).
    pub(crate) fn key(&self) -> (ClosedKind, &str) {
        match self {
            Closed::Reservation(r) => (ClosedKind::Reservation, &r.id),
            Closed::Order(o) => (ClosedKind::Order, &o.id),
            Closed::PurchaseOrder(po) => (ClosedKind::PurchaseOrder, &po.id),
        }
    }
}

/// A change of the `closed` table: a record that left memory, or one that came back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Archived {
    /// A closed record left memory: keep it.
    Put(Closed),
    /// A record brought back by a command is in memory again: forget the kept copy.
    Remove(ClosedKind, String),
}

stored_enum! {
    /// A closed record as stored ([`Closed`]).
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub(crate) enum ClosedV1 {
        /// `Closed::Reservation`.
        0 => Reservation(ReservationV1),
        /// `Closed::Order`.
        1 => Order(OrderV1),
        /// `Closed::PurchaseOrder`.
        2 => PurchaseOrder(PurchaseOrderV1),
    }
}

impl FromPublic<Closed> for ClosedV1 {
    fn from_public(p: &Closed) -> Self {
        match p {
            Closed::Reservation(r) => ClosedV1::Reservation(FromPublic::from_public(r)),
            Closed::Order(o) => ClosedV1::Order(FromPublic::from_public(o)),
            Closed::PurchaseOrder(po) => ClosedV1::PurchaseOrder(FromPublic::from_public(po)),
        }
    }
}

impl IntoPublic<Closed> for ClosedV1 {
    fn into_public(self) -> Closed {
        match self {
            ClosedV1::Reservation(r) => Closed::Reservation(r.into_public()),
            ClosedV1::Order(o) => Closed::Order(o.into_public()),
            ClosedV1::PurchaseOrder(po) => Closed::PurchaseOrder(po.into_public()),
        }
    }
}

/// Encodes a closed record, appending to `out`: `[1] ++ postcard(ClosedV1)`.
pub(crate) fn encode_closed_into(record: &Closed, out: &mut Vec<u8>) -> Result<()> {
    codec::encode_into(&ClosedV1::from_public(record), out)
}

/// Encodes a closed record (see [`encode_closed_into`]).
#[cfg(test)]
pub(crate) fn encode_closed(record: &Closed) -> Result<Vec<u8>> {
    let mut out = Vec::new();
    encode_closed_into(record, &mut out)?;
    Ok(out)
}

/// Decodes a closed record.
pub(crate) fn decode_closed(bytes: &[u8]) -> Result<Closed> {
    let stored: ClosedV1 = decode_whole(&codec::body(bytes)?)?;
    Ok(stored.into_public())
}
