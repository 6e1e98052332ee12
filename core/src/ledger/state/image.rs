//! Snapshots of the state: the part a snapshot stores, in the order its bytes keep. The
//! field order is the stored format: files written before must keep decoding.

use super::{BalanceKey, State};
use crate::store::schema::{FromPublic, IntoPublic, StateV2};

/// The part of [`State`] that a snapshot stores (the rest is derived): the stored record
/// types of the store's schema, never the public ones, so that a public type can gain a
/// field without changing a snapshot's bytes.
pub(crate) type StateImage = StateV2;

impl State {
    /// The part of the state a snapshot stores.
    pub(crate) fn to_image(&self) -> StateImage {
        StateImage {
            items: self.items.values().map(FromPublic::from_public).collect(),
            locations: self
                .locations
                .values()
                .map(FromPublic::from_public)
                .collect(),
            lots: self.lots.values().map(FromPublic::from_public).collect(),
            serials: self
                .serials
                .iter()
                .map(|((s, n), l)| (s.clone(), n.clone(), l.clone()))
                .collect(),
            balances: self
                .balances
                .iter()
                .map(|(a, b, c, v)| (key(a, b, c), v))
                .collect(),
            transfers: self
                .transfers
                .values()
                .map(FromPublic::from_public)
                .collect(),
            counts: self.counts,
            moves: self
                .moves
                .iter()
                .map(|(k, v)| (k.to_string(), *v))
                .collect(),
            received: self
                .received
                .iter()
                .map(|(a, b, c, v)| (key(a, b, c), v))
                .collect(),
            reservations: self
                .reservations
                .values()
                .map(FromPublic::from_public)
                .collect(),
            orders: self.orders.values().map(FromPublic::from_public).collect(),
            last_seq: self.last_seq,
            purchase_orders: self
                .purchase_orders
                .values()
                .map(FromPublic::from_public)
                .collect(),
        }
    }

    /// The state a snapshot stored. It comes back replaying (see [`State::begin_replay`]):
    /// the events after the snapshot apply next, and [`State::finish_replay`] then derives
    /// the on-hand roll-ups once, for the balances of both.
    pub(crate) fn from_image(image: StateImage) -> State {
        let mut state = State::default();
        state.begin_replay();
        // Locations first: balances need to know which locations are virtual.
        for loc in image.locations {
            let loc: crate::model::Location = loc.into_public();
            state.set_location(loc.code.clone(), Some(loc));
        }
        for item in image.items {
            let item: crate::model::Item = item.into_public();
            state.set_item(item.sku.clone(), Some(item));
        }
        for lot in image.lots {
            let lot: crate::model::Lot = lot.into_public();
            state.set_lot((lot.sku.clone(), lot.lot.clone()), Some(lot));
        }
        for (sku, serial, loc) in image.serials {
            state.set_serial((sku, serial), Some(loc));
        }
        for ((sku, loc, lot), units) in image.balances {
            state.add_balance(&sku, &loc, &lot, units);
        }
        for t in image.transfers {
            let t: crate::event::TransferRecord = t.into_public();
            state.set_transfer(t.id.clone(), Some(t));
        }
        state.counts = image.counts;
        state.moves = image
            .moves
            .into_iter()
            .map(|(k, v)| (k.into(), v))
            .collect();
        for ((sku, loc, lot), at) in image.received {
            state.received.set(&sku, &loc, &lot, Some(at));
        }
        for r in image.reservations {
            let r: crate::model::reservation::Reservation = r.into_public();
            state.set_reservation(r.id.clone(), Some(r));
        }
        state.orders = image
            .orders
            .into_iter()
            .map(|o| {
                let o: crate::model::order::Order = o.into_public();
                (o.id.clone(), o)
            })
            .collect();
        state.last_seq = image.last_seq;
        state.purchase_orders = image
            .purchase_orders
            .into_iter()
            .map(|po| {
                let po: crate::model::purchase_order::PurchaseOrder = po.into_public();
                (po.id.clone(), po)
            })
            .collect();
        state
    }
}

fn key(a: &str, b: &str, c: &str) -> BalanceKey {
    (a.to_owned(), b.to_owned(), c.to_owned())
}
