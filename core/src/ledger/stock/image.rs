//! The stock's share of a snapshot: the part it stores (the rest is derived), as the
//! stored record types of the store's schema, never the public ones, so that a public type
//! can gain a field without changing a snapshot's bytes.

use super::{BalanceKey, Stock};
use crate::store::schema::{
    BalanceKeyV1, FromPublic, IntoPublic, ItemV2, LocationV1, LotV1, TransferRecordV1,
};

/// The stock's fields of the stored state image (`StateV2`), in its order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct StockImage {
    pub items: Vec<ItemV2>,
    pub locations: Vec<LocationV1>,
    pub lots: Vec<LotV1>,
    pub serials: Vec<(String, String, String)>,
    pub balances: Vec<(BalanceKeyV1, i64)>,
    pub transfers: Vec<TransferRecordV1>,
    pub counts: u64,
    pub moves: Vec<(String, u64)>,
    pub received: Vec<(BalanceKeyV1, i64)>,
}

impl Stock {
    /// The part of the stock a snapshot stores.
    pub(crate) fn to_image(&self) -> StockImage {
        StockImage {
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
        }
    }

    /// The stock a snapshot stored. It comes back replaying (see [`Stock::begin_replay`]):
    /// the events after the snapshot apply next, and [`Stock::finish_replay`] then derives
    /// the on-hand roll-ups once, for the balances of both.
    pub(crate) fn from_image(image: StockImage) -> Stock {
        let mut stock = Stock::default();
        stock.begin_replay();
        // Locations first: balances need to know which locations are virtual.
        for loc in image.locations {
            let loc: crate::model::Location = loc.into_public();
            stock.set_location(loc.code.clone(), Some(loc));
        }
        for item in image.items {
            let item: crate::model::Item = item.into_public();
            stock.set_item(item.sku.clone(), Some(item));
        }
        for lot in image.lots {
            let lot: crate::model::Lot = lot.into_public();
            stock.set_lot((lot.sku.clone(), lot.lot.clone()), Some(lot));
        }
        for (sku, serial, loc) in image.serials {
            stock.set_serial((sku, serial), Some(loc));
        }
        for ((sku, loc, lot), units) in image.balances {
            stock.add_balance(&sku, &loc, &lot, units);
        }
        for t in image.transfers {
            let t: crate::event::TransferRecord = t.into_public();
            stock.set_transfer(t.id.clone(), Some(t));
        }
        stock.counts = image.counts;
        stock.moves = image
            .moves
            .into_iter()
            .map(|(k, v)| (k.into(), v))
            .collect();
        for ((sku, loc, lot), at) in image.received {
            stock.received.set(&sku, &loc, &lot, Some(at));
        }
        stock
    }
}

fn key(a: &str, b: &str, c: &str) -> BalanceKey {
    (a.to_owned(), b.to_owned(), c.to_owned())
}
