//! The order book, one part of the in-memory state: the orders, folded from the event log
//! by [`OrderBook::apply`]. Every order event carries the whole new record, so applying is
//! a replacement.

use std::collections::BTreeMap;

use crate::event::{Envelope, Event};
use crate::model::order::Order;
use crate::store::schema::{FromPublic, IntoPublic, OrderV1};

/// The orders, by id.
#[derive(Debug, Clone, Default)]
pub(crate) struct OrderBook {
    /// Orders.
    pub(crate) orders: BTreeMap<String, Order>,
    journal: Option<Vec<Undo>>,
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
        self.orders.get(id)
    }

    /// True when the order `id` is in memory.
    pub(crate) fn contains(&self, id: &str) -> bool {
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
        let orders = image
            .into_iter()
            .map(|o| {
                let o: Order = o.into_public();
                (o.id.clone(), o)
            })
            .collect();
        OrderBook {
            orders,
            journal: None,
        }
    }
}

/// Equality of the book itself; the undo journal is bookkeeping, not state.
impl PartialEq for OrderBook {
    fn eq(&self, other: &Self) -> bool {
        self.orders == other.orders
    }
}

impl Eq for OrderBook {}
