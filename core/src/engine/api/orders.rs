//! Reads of reservations and orders: holds as they stand now (time-to-live included),
//! stock levels, backorders and allocation plans.

use crate::engine::Stockbook;
use crate::error::{EntityKind, Error, Result};
use crate::ledger::AsOf;
use crate::ledger::allocation::{self, AllocationPlan, Pending, Strategy};
use crate::ledger::query::known;
use crate::model::Qty;
use crate::model::order::{Order, OrderState};
use crate::model::reservation::Reservation;
use crate::orders::query::{reserved_now, seen_at};
use crate::orders::{Backorder, ReservationFilter, StockLevel};
use crate::store::index::Measure;
use crate::store::schema::{Closed, ClosedKind};

/// True when `r` is one `filter` asks for; `places` is the subtree of its scope.
fn reservation_matches(
    filter: &ReservationFilter,
    places: Option<&[String]>,
    r: &Reservation,
) -> bool {
    filter
        .order
        .as_ref()
        .is_none_or(|o| r.order.as_ref() == Some(o))
        && filter.sku.as_ref().is_none_or(|k| *k == r.sku)
        && places.is_none_or(|p| p.contains(&r.scope))
        && filter.state.is_none_or(|st| st == r.state)
}

impl Stockbook {
    /// One reservation. A pending reservation past its time-to-live is shown as expired,
    /// as [`Stockbook::reservations`] shows it.
    pub fn reservation(&self, id: &str) -> Result<Reservation> {
        let (found, view) =
            self.read_with_view(|s, now| s.holds.get(id).map(|r| seen_at(r, now)))?;
        match found {
            Some(r) => Ok(r),
            None => match view.closed(ClosedKind::Reservation, id)? {
                Some(Closed::Reservation(r)) => Ok(r),
                _ => Err(Error::not_found(EntityKind::Reservation, id)),
            },
        }
    }

    /// Reservations matching `filter`, by id. A pending reservation past its time-to-live
    /// is shown as expired.
    /// Closed reservations out of memory are listed too, from the store.
    pub fn reservations(&self, filter: &ReservationFilter) -> Result<Vec<Reservation>> {
        let (found, view) = self.read_with_view(|s, now| {
            let places = match &filter.scope {
                Some(code) => {
                    if !s.stock.locations.contains_key(code) {
                        return Err(Error::not_found(EntityKind::Location, code));
                    }
                    Some(s.stock.subtree(code))
                }
                None => None,
            };
            let listed: Vec<Reservation> = s
                .holds
                .reservations
                .values()
                .map(|r| seen_at(r, now))
                .filter(|r| reservation_matches(filter, places.as_deref(), r))
                .collect();
            Ok((listed, places))
        })?;
        let (mut listed, places) = found?;
        // A record is in memory or in the store, never both, at one commit.
        for record in view.closed_all(ClosedKind::Reservation)? {
            if let Closed::Reservation(r) = record
                && reservation_matches(filter, places.as_deref(), &r)
            {
                listed.push(r);
            }
        }
        listed.sort_by(|a, b| a.id.cmp(&b.id));
        Ok(listed)
    }

    /// On hand, reserved and available of `sku` in the subtree of `location`, from one
    /// consistent state.
    pub fn stock_level(&self, sku: &str, location: &str) -> Result<StockLevel> {
        self.read_now(|s, now| {
            known(s.ledger(), sku, location)?;
            let on_hand = s.stock.on_hand_rollup(sku, location);
            let reserved = reserved_now(s.ledger(), sku, location, now);
            Ok(StockLevel {
                on_hand: s.stock.qty(sku, on_hand),
                reserved: s.stock.qty(sku, reserved),
                available: s.stock.qty(sku, on_hand - reserved),
            })
        })?
    }

    /// Stock of `sku` reserved in the subtree of `location` now.
    pub fn reserved(&self, sku: &str, location: &str) -> Result<Qty> {
        Ok(self.stock_level(sku, location)?.reserved)
    }

    /// Available to promise: on hand less reserved, in the subtree of `location`.
    pub fn available(&self, sku: &str, location: &str) -> Result<Qty> {
        Ok(self.stock_level(sku, location)?.available)
    }

    /// Stock of `sku` reserved in the subtree of `location` as it stood at `as_of`.
    pub fn reserved_at(&self, sku: &str, location: &str, as_of: AsOf) -> Result<Qty> {
        self.measure_at(Measure::Reserved, sku, location, as_of)
    }

    /// Available to promise as it stood at `as_of`.
    pub fn available_at(&self, sku: &str, location: &str, as_of: AsOf) -> Result<Qty> {
        let on_hand = self.on_hand_at(sku, location, as_of)?;
        let reserved = self.reserved_at(sku, location, as_of)?;
        on_hand.checked_sub(reserved)
    }

    /// One order with its line-level ordered, allocated, picked, shipped and backordered
    /// quantities.
    pub fn order(&self, id: &str) -> Result<Order> {
        let (found, view) = self.read_with_view(|s, _| s.orders.get(id).cloned())?;
        match found {
            Some(o) => Ok(o),
            None => match view.closed(ClosedKind::Order, id)? {
                Some(Closed::Order(o)) => Ok(o),
                _ => Err(Error::not_found(EntityKind::Order, id)),
            },
        }
    }

    /// Orders (in one state, or all), by id; closed orders out of memory too, from the
    /// store.
    pub fn orders(&self, state: Option<OrderState>) -> Result<Vec<Order>> {
        let wanted = |o: &Order| state.is_none_or(|st| o.state == st);
        let (mut listed, view) = self.read_with_view(|s, _| {
            s.orders
                .values()
                .filter(|o| wanted(o))
                .cloned()
                .collect::<Vec<_>>()
        })?;
        // Only a closed state can be out of memory.
        if state.is_none_or(|st| matches!(st, OrderState::Delivered | OrderState::Cancelled)) {
            for record in view.closed_all(ClosedKind::Order)? {
                if let Closed::Order(o) = record
                    && wanted(&o)
                {
                    listed.push(o);
                }
            }
            listed.sort_by(|a, b| a.id.cmp(&b.id));
        }
        Ok(listed)
    }

    /// Every backordered line of an open order, in the order the shortage policy serves
    /// them (priority, due date, age).
    pub fn backorders(&self, sku: Option<&str>) -> Result<Vec<Backorder>> {
        self.read(|s| {
            let mut orders: Vec<&Order> = s
                .orders
                .values()
                .filter(|o| !matches!(o.state, OrderState::Cancelled | OrderState::Delivered))
                .collect();
            orders.sort_by(|a, b| a.serve_order(b));
            orders
                .into_iter()
                .flat_map(|o| {
                    o.lines
                        .iter()
                        .filter(|l| !l.backordered.is_zero())
                        .map(move |l| Backorder {
                            order: o.id.clone(),
                            line: l.line,
                            sku: l.sku.clone(),
                            qty: l.backordered,
                            priority: o.priority,
                            due_at: o.due_at,
                        })
                })
                .filter(|b| sku.is_none_or(|k| k == b.sku))
                .collect()
        })
    }

    /// Where `qty` of `sku` would be taken from in `scope` by `strategy`, without
    /// reserving anything.
    pub fn plan_allocation(
        &self,
        sku: &str,
        qty: Qty,
        scope: &str,
        strategy: &Strategy,
    ) -> Result<AllocationPlan> {
        let now = self.now()?;
        self.read(|s| {
            let item = crate::ledger::active_item(s.ledger(), sku)?;
            crate::ledger::physical_location(s.ledger(), scope)?;
            let units = crate::ledger::movement_qty(item, qty, None)?.units();
            Ok(allocation::plan(
                s.ledger(),
                &mut Pending::default(),
                sku,
                units,
                scope,
                strategy,
                now,
                &[],
            ))
        })?
    }
}
