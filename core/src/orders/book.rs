//! The order book, one part of the in-memory state: the orders, folded from the event log
//! by [`OrderBook::apply`]. Every order event carries the whole new record, so applying is
//! a replacement.

use std::collections::BTreeMap;

use crate::ledger::retention::ClosedIndex;
use crate::model::Timestamp;

use crate::event::{Envelope, Event};
use crate::model::order::{Order, OrderState};
use crate::store::schema::{FromPublic, IntoPublic, OrderV1};

/// The orders, by id.
#[derive(Debug, Clone, Default)]
pub(crate) struct OrderBook {
    /// Orders.
    pub(crate) orders: BTreeMap<String, Order>,
    /// Closed records in memory, by the time their retention window began.
    closed: ClosedIndex,
    /// Closed records brought back from the store for one command to read (never
    /// applied to, never compared, never imaged).
    recalled: Vec<Order>,
    journal: Option<Vec<Undo>>,
}

/// When an order's retention window began, if it is closed (delivered or cancelled): its
/// creation (an order records no closing time, and its stored shape does not change).
/// A shipped order is still open: its delivery is still to come.
fn closed_since(o: &Order) -> Option<Timestamp> {
    matches!(o.state, OrderState::Delivered | OrderState::Cancelled).then_some(o.created_at)
}

/// What the journal keeps to take one change back.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Undo {
    Order(String, Option<Order>),
}

impl OrderBook {
    /// Folds one event into the book; events of other parts leave it as it is.
    pub(crate) fn apply(&mut self, env: &Envelope) {
        if let Event::OrderChanged { order, .. } = &env.event {
            self.set(order.id.clone(), Some((**order).clone()));
        }
    }

    /// The order `id`, if it is in memory.
    pub(crate) fn get(&self, id: &str) -> Option<&Order> {
        match self.orders.get(id) {
            Some(o) => Some(o),
            None => self.recalled.iter().find(|o| o.id == id),
        }
    }

    /// Lets the command at hand read `o`, a closed record out of memory.
    pub(crate) fn recall(&mut self, o: Order) {
        self.recalled.push(o);
    }

    /// Forgets what was recalled.
    pub(crate) fn forget_recalled(&mut self) {
        self.recalled.clear();
    }

    /// Takes out of memory every closed record whose retention window began before
    /// `threshold`. Journaled only when `journaled` (else whoever keeps what left brings
    /// it back after a rolled-back batch: [`OrderBook::restore`]), so that no record is
    /// copied on its way out.
    pub(crate) fn evict(&mut self, threshold: Timestamp, journaled: bool) -> Vec<Order> {
        let due = self.closed.take_due(threshold);
        let mut out = Vec::with_capacity(due.len());
        for id in due {
            if let Some(o) = self.orders.remove(&id) {
                if journaled && let Some(journal) = &mut self.journal {
                    journal.push(Undo::Order(id, Some(o.clone())));
                }
                out.push(o);
            }
        }
        out
    }

    /// Brings back a record that left memory unjournaled in a batch rolled back, once the
    /// journal is undone (not journaled itself).
    pub(crate) fn restore(&mut self, o: Order) {
        let journal = self.journal.take();
        self.set(o.id.clone(), Some(o));
        self.journal = journal;
    }

    /// How many closed records are in memory.
    pub(crate) fn closed_in_memory(&self) -> usize {
        self.closed.len()
    }

    /// True when the order `id` is in memory or recalled for the command at hand.
    pub(crate) fn contains(&self, id: &str) -> bool {
        self.get(id).is_some()
    }

    /// True when the record `id` is in memory (recalled ones are not).
    pub(crate) fn in_memory(&self, id: &str) -> bool {
        self.orders.contains_key(id)
    }

    /// Every order in memory, by id.
    pub(crate) fn values(&self) -> impl Iterator<Item = &Order> {
        self.orders.values()
    }

    /// Starts recording undo entries; returns the mark to roll back to.
    pub(crate) fn begin_journal(&mut self) -> usize {
        self.journal.get_or_insert_with(Vec::new).len()
    }

    /// Undoes every change since `mark`.
    pub(crate) fn rollback_to(&mut self, mark: usize) {
        let Some(mut journal) = self.journal.take() else {
            return;
        };
        while journal.len() > mark {
            match journal.pop().expect("len > mark") {
                Undo::Order(k, v) => self.set(k, v),
            }
        }
        self.journal = Some(journal);
    }

    /// Stops recording and forgets the journal.
    pub(crate) fn end_journal(&mut self) {
        self.journal = None;
    }

    fn set(&mut self, id: String, order: Option<Order>) {
        let old = match order {
            Some(o) => self.orders.insert(id.clone(), o),
            None => self.orders.remove(&id),
        };
        let now_closed = self.orders.get(&id).and_then(closed_since);
        self.closed
            .update(&id, old.as_ref().and_then(closed_since), now_closed);
        if let Some(journal) = &mut self.journal {
            journal.push(Undo::Order(id, old));
        }
    }

    /// The part of the book a snapshot stores.
    pub(crate) fn to_image(&self) -> Vec<OrderV1> {
        self.orders.values().map(FromPublic::from_public).collect()
    }

    /// The book a snapshot stored.
    pub(crate) fn from_image(image: Vec<OrderV1>) -> OrderBook {
        let orders: Vec<(String, Order)> = image
            .into_iter()
            .map(|o| {
                let o: Order = o.into_public();
                (o.id.clone(), o)
            })
            .collect();
        let mut book = OrderBook::default();
        for (id, o) in orders {
            book.set(id, Some(o));
        }
        book
    }
}

/// Equality of the book itself; the undo journal is bookkeeping, not state.
impl PartialEq for OrderBook {
    fn eq(&self, other: &Self) -> bool {
        self.orders == other.orders && self.closed == other.closed
    }
}

impl Eq for OrderBook {}
