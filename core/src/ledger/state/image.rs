//! Snapshots of the state: the part a snapshot stores, in the order its bytes keep. The
//! field order is the stored format: files written before must keep decoding.

use serde::{Deserialize, Serialize};

use super::{BalanceKey, State};
use crate::event::TransferRecord;
use crate::model::order::Order;
use crate::model::purchase_order::PurchaseOrder;
use crate::model::reservation::Reservation;
use crate::model::{Item, Location, Lot, Timestamp};

/// The part of [`State`] that a snapshot stores; the rest is derived.
#[derive(Serialize, Deserialize)]
pub(crate) struct StateImage {
    items: Vec<Item>,
    locations: Vec<Location>,
    lots: Vec<Lot>,
    serials: Vec<(String, String, String)>,
    balances: Vec<(BalanceKey, i64)>,
    transfers: Vec<TransferRecord>,
    counts: u64,
    moves: Vec<(String, u64)>,
    received: Vec<(BalanceKey, Timestamp)>,
    reservations: Vec<Reservation>,
    orders: Vec<Order>,
    last_seq: u64,
    purchase_orders: Vec<PurchaseOrder>,
}

impl StateImage {
    /// The sequence of the last event the image holds.
    pub(crate) fn last_seq(&self) -> u64 {
        self.last_seq
    }
}

impl State {
    /// The part of the state a snapshot stores.
    pub(crate) fn to_image(&self) -> StateImage {
        StateImage {
            items: self.items.values().cloned().collect(),
            locations: self.locations.values().cloned().collect(),
            lots: self.lots.values().cloned().collect(),
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
            transfers: self.transfers.values().cloned().collect(),
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
            reservations: self.reservations.values().cloned().collect(),
            orders: self.orders.values().cloned().collect(),
            last_seq: self.last_seq,
            purchase_orders: self.purchase_orders.values().cloned().collect(),
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
            state.set_location(loc.code.clone(), Some(loc));
        }
        for item in image.items {
            state.set_item(item.sku.clone(), Some(item));
        }
        for lot in image.lots {
            state.set_lot((lot.sku.clone(), lot.lot.clone()), Some(lot));
        }
        for (sku, serial, loc) in image.serials {
            state.set_serial((sku, serial), Some(loc));
        }
        for ((sku, loc, lot), units) in image.balances {
            state.add_balance(&sku, &loc, &lot, units);
        }
        for t in image.transfers {
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
            state.set_reservation(r.id.clone(), Some(r));
        }
        state.orders = image
            .orders
            .into_iter()
            .map(|o| (o.id.clone(), o))
            .collect();
        state.last_seq = image.last_seq;
        state.purchase_orders = image
            .purchase_orders
            .into_iter()
            .map(|po| (po.id.clone(), po))
            .collect();
        state
    }
}

fn key(a: &str, b: &str, c: &str) -> BalanceKey {
    (a.to_owned(), b.to_owned(), c.to_owned())
}
