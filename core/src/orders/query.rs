//! Read side of reservations and orders: available to promise, reservations by order,
//! SKU, scope and state, order status and the backorder list, at present or in the past.

use serde::{Deserialize, Serialize};

use super::{
    AllocateOrder, AllocateOrders, CancelOrder, CommitReservation, CreateOrder, FillBackorders,
    Order, OrderState, OrderStep, PackOrder, PickOrder, Reservation, ReservationState, Reserve,
};
use crate::command::Command;
use crate::engine::Stockbook;
use crate::error::{Error, Result};
use crate::ledger::allocation::{self, AllocationPlan, Pending, Strategy};
use crate::ledger::query::known;
use crate::ledger::state::State;
use crate::ledger::{AsOf, Meta, Receipt};
use crate::model::{Qty, Timestamp};
use crate::store::index::Measure;

/// Which reservations to list.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReservationFilter {
    /// Only those of this order.
    #[serde(default)]
    pub order: Option<String>,
    /// Only those of this item.
    #[serde(default)]
    pub sku: Option<String>,
    /// Only those whose scope lies in this location's subtree.
    #[serde(default)]
    pub scope: Option<String>,
    /// Only those in this state.
    #[serde(default)]
    pub state: Option<ReservationState>,
}

/// On hand, reserved and available of an item in a subtree, read at one instant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct StockLevel {
    /// On hand.
    pub on_hand: Qty,
    /// Reserved.
    pub reserved: Qty,
    /// Available to promise: on hand less reserved.
    pub available: Qty,
}

/// One backordered order line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Backorder {
    /// The order.
    pub order: String,
    /// The line.
    pub line: u32,
    /// The item.
    pub sku: String,
    /// How much waits for stock.
    pub qty: Qty,
    /// The order's priority.
    pub priority: u32,
    /// The order's due date.
    pub due_at: Option<Timestamp>,
}

/// Pending reserved units of `sku` in the subtree of `location` that still count at
/// `now` (reservations past their time-to-live stop counting even before a write records
/// their expiry).
pub(crate) fn reserved_now(s: &State, sku: &str, location: &str, now: Timestamp) -> i64 {
    let mut units = s.reserved_rollup(sku, location);
    for (_, id) in s.expiring.iter().take_while(|(at, _)| *at <= now) {
        if let Some(r) = s.reservations.get(id)
            && r.sku == sku
            && s.chain(&r.scope).iter().any(|n| n == location)
        {
            units -= r.qty.units();
        }
    }
    units
}

/// A reservation as it stands at `now`: pending past its time-to-live shows as expired
/// even before a write records the expiry.
fn seen_at(r: &Reservation, now: Timestamp) -> Reservation {
    let mut r = r.clone();
    if r.state == ReservationState::Pending && r.expires_at.is_some_and(|t| t <= now) {
        r.state = ReservationState::Expired;
    }
    r
}

impl Stockbook {
    /// One reservation. A pending reservation past its time-to-live is shown as expired,
    /// as [`Stockbook::reservations`] shows it.
    pub fn reservation(&self, id: &str) -> Result<Reservation> {
        self.read_now(|s, now| s.reservations.get(id).map(|r| seen_at(r, now)))?
            .ok_or_else(|| Error::not_found("reservation", id))
    }

    /// Reservations matching `filter`, by id. A pending reservation past its time-to-live
    /// is shown as expired.
    pub fn reservations(&self, filter: &ReservationFilter) -> Result<Vec<Reservation>> {
        self.read_now(|s, now| {
            let places = match &filter.scope {
                Some(code) => {
                    if !s.locations.contains_key(code) {
                        return Err(Error::not_found("location", code));
                    }
                    Some(s.subtree(code))
                }
                None => None,
            };
            Ok(s.reservations
                .values()
                .map(|r| seen_at(r, now))
                .filter(|r| {
                    filter
                        .order
                        .as_ref()
                        .is_none_or(|o| r.order.as_ref() == Some(o))
                        && filter.sku.as_ref().is_none_or(|k| *k == r.sku)
                        && places.as_ref().is_none_or(|p| p.contains(&r.scope))
                        && filter.state.is_none_or(|st| st == r.state)
                })
                .collect())
        })?
    }

    /// On hand, reserved and available of `sku` in the subtree of `location`, from one
    /// consistent state.
    pub fn stock_level(&self, sku: &str, location: &str) -> Result<StockLevel> {
        self.read_now(|s, now| {
            known(s, sku, location)?;
            let on_hand = s.on_hand_rollup(sku, location);
            let reserved = reserved_now(s, sku, location, now);
            Ok(StockLevel {
                on_hand: s.qty(sku, on_hand),
                reserved: s.qty(sku, reserved),
                available: s.qty(sku, on_hand - reserved),
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
        self.read(|s| s.orders.get(id).cloned())?
            .ok_or_else(|| Error::not_found("order", id))
    }

    /// Orders (in one state, or all), by id.
    pub fn orders(&self, state: Option<OrderState>) -> Result<Vec<Order>> {
        self.read(|s| {
            s.orders
                .values()
                .filter(|o| state.is_none_or(|st| o.state == st))
                .cloned()
                .collect()
        })
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
            let item = crate::ledger::active_item(s, sku)?;
            crate::ledger::physical_location(s, scope)?;
            let units = crate::ledger::movement_qty(item, qty, None)?.units();
            Ok(allocation::plan(
                s,
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

    // ---- typed command helpers ----------------------------------------------------------

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
}

fn step(id: &str) -> OrderStep {
    OrderStep {
        order_id: id.to_owned(),
    }
}
