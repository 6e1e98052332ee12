//! Reads of the ledger: master data, balances rolled up the location tree, the log,
//! per-item history and stock at a past time.
//!
//! Current state is read from the committed in-memory projection (never blocked by a
//! commit in progress); the log and the point-in-time index are read from the store's
//! read transactions (MVCC).

use crate::engine::Stockbook;
use crate::error::{EntityKind, Error, Result};
use crate::event::{Envelope, TransferRecord};
use crate::ledger::query::known;
use crate::ledger::{AsOf, Balance, BalanceFilter, PAGE_LEN_MAX};
use crate::model::{Item, Location, Lot, Qty, Serial};
use crate::store::index::{Axis, Measure};

impl Stockbook {
    /// One item.
    pub fn item(&self, sku: &str) -> Result<Item> {
        self.read(|s| s.stock.items.get(sku).cloned())?
            .ok_or_else(|| Error::not_found(EntityKind::Item, sku))
    }

    /// Every item, archived ones included, by SKU.
    pub fn items(&self) -> Result<Vec<Item>> {
        let mut items = self.read(|s| s.stock.items.values().cloned().collect::<Vec<_>>())?;
        items.sort_by(|a, b| a.sku.cmp(&b.sku));
        Ok(items)
    }

    /// One location.
    pub fn location(&self, code: &str) -> Result<Location> {
        self.read(|s| s.stock.locations.get(code).cloned())?
            .ok_or_else(|| Error::not_found(EntityKind::Location, code))
    }

    /// Every location (built-in virtual ones included), by code.
    pub fn locations(&self) -> Result<Vec<Location>> {
        self.read(|s| s.stock.locations.values().cloned().collect())
    }

    /// The locations directly below `code`.
    pub fn children(&self, code: &str) -> Result<Vec<String>> {
        self.location(code)?;
        self.read(|s| {
            s.stock
                .children
                .get(code)
                .map(|c| c.iter().cloned().collect())
                .unwrap_or_default()
        })
    }

    /// One lot.
    pub fn lot(&self, sku: &str, lot: &str) -> Result<Lot> {
        self.read(|s| s.stock.lots.get(&(sku.to_owned(), lot.to_owned())).cloned())?
            .ok_or_else(|| Error::not_found(EntityKind::Lot, format!("{sku}/{lot}")))
    }

    /// The lots of an item.
    pub fn lots(&self, sku: &str) -> Result<Vec<Lot>> {
        self.item(sku)?;
        self.read(|s| {
            s.stock
                .lots
                .range((sku.to_owned(), String::new())..)
                .take_while(|((s, _), _)| s == sku)
                .map(|(_, l)| l.clone())
                .collect()
        })
    }

    /// Where a serial-numbered unit is.
    pub fn serial(&self, sku: &str, serial: &str) -> Result<Serial> {
        let location = self
            .read(|s| {
                s.stock
                    .serials
                    .get(&(sku.to_owned(), serial.to_owned()))
                    .cloned()
            })?
            .ok_or_else(|| Error::not_found(EntityKind::Serial, format!("{sku}/{serial}")))?;
        Ok(Serial {
            sku: sku.to_owned(),
            serial: serial.to_owned(),
            location,
        })
    }

    /// The serials of `sku` at `location` (exactly there), sorted.
    pub fn serials_at(&self, sku: &str, location: &str) -> Result<Vec<String>> {
        let mut found = self.read(|s| {
            s.stock
                .serials
                .iter()
                .filter(|((k, _), l)| k == sku && l.as_str() == location)
                .map(|((_, n), _)| n.clone())
                .collect::<Vec<_>>()
        })?;
        found.sort();
        Ok(found)
    }

    /// A two-step transfer.
    pub fn transfer(&self, id: &str) -> Result<TransferRecord> {
        self.read(|s| s.stock.transfers.get(id).cloned())?
            .ok_or_else(|| Error::not_found(EntityKind::Transfer, id))
    }

    /// On hand of `sku` at `location` and every location below it, all lots.
    pub fn on_hand(&self, sku: &str, location: &str) -> Result<Qty> {
        self.on_hand_lot(sku, location, None)
    }

    /// On hand of `sku` at `location` and below, for one lot (`None`: all lots).
    pub fn on_hand_lot(&self, sku: &str, location: &str, lot: Option<&str>) -> Result<Qty> {
        self.read(|s| {
            known(s.ledger(), sku, location)?;
            let units = if s.stock.is_virtual(location) {
                s.stock
                    .balances_at(sku, location)
                    .filter(|(l, _)| lot.is_none_or(|want| want == *l))
                    .fold(0i64, |acc, (_, q)| acc.saturating_add(q))
            } else {
                match lot {
                    None => s.stock.on_hand_rollup(sku, location),
                    Some(lot) => s.stock.on_hand_lot_rollup(sku, location, lot),
                }
            };
            Ok(s.stock.qty(sku, units))
        })?
    }

    /// On hand of `sku` across every physical location.
    pub fn item_total(&self, sku: &str) -> Result<Qty> {
        self.read(|s| {
            if !s.stock.items.contains_key(sku) {
                return Err(Error::not_found(EntityKind::Item, sku));
            }
            let units = s
                .stock
                .balances
                .of(sku)
                .filter(|(l, _, _)| !s.stock.is_virtual(l))
                .fold(0i64, |acc, (_, _, q)| acc.saturating_add(q));
            Ok(s.stock.qty(sku, units))
        })?
    }

    /// Balances matching `filter`, by (sku, location, lot).
    pub fn balances(&self, filter: &BalanceFilter) -> Result<Vec<Balance>> {
        self.read(|s| {
            let places = match &filter.location {
                Some(code) => {
                    if !s.stock.locations.contains_key(code) {
                        return Err(Error::not_found(EntityKind::Location, code));
                    }
                    Some(
                        s.stock
                            .subtree(code)
                            .into_iter()
                            .collect::<std::collections::HashSet<_>>(),
                    )
                }
                None => None,
            };
            let rows: Box<dyn Iterator<Item = (&str, &str, &str, i64)>> = match &filter.sku {
                Some(sku) => Box::new(
                    s.stock
                        .balances
                        .of(sku)
                        .map(move |(l, t, q)| (sku.as_str(), l, t, q)),
                ),
                None => Box::new(s.stock.balances.iter()),
            };
            Ok(rows
                .filter(|(_, loc, _, _)| {
                    places.as_ref().is_none_or(|p| p.contains(*loc))
                        && (filter.include_virtual || !s.stock.is_virtual(loc))
                })
                .map(|(sku, location, lot, units)| Balance {
                    sku: sku.to_owned(),
                    location: location.to_owned(),
                    lot: (!lot.is_empty()).then(|| lot.to_owned()),
                    on_hand: s.stock.qty(sku, units),
                })
                .collect::<Vec<_>>())
            .map(|mut rows| {
                rows.sort_unstable_by(|a, b| {
                    (&a.sku, &a.location, &a.lot).cmp(&(&b.sku, &b.location, &b.lot))
                });
                rows
            })
        })?
    }

    /// On hand of `sku` at `location` (and below, all lots) as it stood at `as_of`, from
    /// the point-in-time index: a bounded number of rows, whatever the history's length.
    /// Virtual locations (supplier, customer, …) are not indexed: asking for one is an
    /// `invalid_argument`.
    pub fn on_hand_at(&self, sku: &str, location: &str, as_of: AsOf) -> Result<Qty> {
        if self.read(|s| s.stock.is_virtual(location))? {
            return Err(Error::invalid_argument(
                "location",
                format!("{location} is virtual: stock in the past is kept for physical locations"),
            ));
        }
        self.measure_at(Measure::OnHand, sku, location, as_of)
    }

    /// A measure of `sku` summed over the subtree of `location` at `as_of`.
    pub(crate) fn measure_at(
        &self,
        measure: Measure,
        sku: &str,
        location: &str,
        as_of: AsOf,
    ) -> Result<Qty> {
        let places =
            self.read(|s| known(s.ledger(), sku, location).map(|()| s.stock.subtree(location)))??;
        let view = self.core()?.view();
        let (axis, ordinal) = match as_of {
            AsOf::Time(t) => (Axis::Effective, t),
            AsOf::Seq(seq) => (Axis::Sequence, i64::try_from(seq).unwrap_or(i64::MAX)),
        };
        let units = view.index_value_at(measure, sku, &places, axis, ordinal)?;
        self.read(|s| s.stock.qty(sku, units))
    }

    /// Up to `limit` events from sequence `from_seq` on.
    pub fn events(&self, from_seq: u64, limit: usize) -> Result<Vec<Envelope>> {
        self.core()?.store.events(from_seq, limit.min(PAGE_LEN_MAX))
    }

    /// Every event from `from_seq` on, read lazily in pages.
    pub fn events_iter(&self, from_seq: u64) -> EventIter {
        EventIter {
            book: self.clone(),
            next: from_seq.max(1),
            page: Vec::new().into_iter(),
        }
    }

    /// Up to `limit` events concerning `sku`, from sequence `from_seq` on.
    pub fn history(&self, sku: &str, from_seq: u64, limit: usize) -> Result<Vec<Envelope>> {
        self.item(sku)?;
        self.core()?
            .view()
            .item_history(sku, from_seq, limit.min(PAGE_LEN_MAX))
    }
}

/// Iterates the log lazily, a page per read transaction.
pub struct EventIter {
    book: Stockbook,
    next: u64,
    page: std::vec::IntoIter<Envelope>,
}

impl Iterator for EventIter {
    type Item = Result<Envelope>;

    fn next(&mut self) -> Option<Self::Item> {
        if let Some(env) = self.page.next() {
            return Some(Ok(env));
        }
        match self.book.events(self.next, 1024) {
            Ok(page) if page.is_empty() => None,
            Ok(page) => {
                self.next = page.last().map_or(self.next, |e| e.seq + 1);
                self.page = page.into_iter();
                self.page.next().map(Ok)
            }
            Err(e) => {
                self.next = u64::MAX;
                Some(Err(e))
            }
        }
    }
}
