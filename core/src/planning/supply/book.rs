//! The supply book, one part of the in-memory state: the purchase orders, folded from the
//! event log by [`SupplyBook::apply`]. Every purchase-order event carries the whole new
//! record, so applying is a replacement.

use std::collections::BTreeMap;

use crate::event::{Envelope, Event};
use crate::model::purchase_order::PurchaseOrder;
use crate::store::schema::{FromPublic, IntoPublic, PurchaseOrderV1};

/// The purchase orders, by id.
#[derive(Debug, Clone, Default)]
pub(crate) struct SupplyBook {
    /// Purchase orders.
    pub(crate) purchase_orders: BTreeMap<String, PurchaseOrder>,
    journal: Option<Vec<Undo>>,
}

/// What the journal keeps to take one change back.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Undo {
    PurchaseOrder(String, Option<PurchaseOrder>),
}

impl SupplyBook {
    /// Folds one event into the book; events of other parts leave it as it is.
    pub(crate) fn apply(&mut self, env: &Envelope) {
        if let Event::PurchaseOrderChanged { order, .. } = &env.event {
            self.set(order.id.clone(), Some((**order).clone()));
        }
    }

    /// The purchase order `id`, if it is in memory.
    pub(crate) fn get(&self, id: &str) -> Option<&PurchaseOrder> {
        self.purchase_orders.get(id)
    }

    /// True when the purchase order `id` is in memory.
    pub(crate) fn contains(&self, id: &str) -> bool {
        self.purchase_orders.contains_key(id)
    }

    /// Every purchase order in memory, by id.
    pub(crate) fn values(&self) -> impl Iterator<Item = &PurchaseOrder> {
        self.purchase_orders.values()
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
                Undo::PurchaseOrder(k, v) => self.set(k, v),
            }
        }
        self.journal = Some(journal);
    }

    /// Stops recording and forgets the journal.
    pub(crate) fn end_journal(&mut self) {
        self.journal = None;
    }

    fn set(&mut self, id: String, order: Option<PurchaseOrder>) {
        let old = match order {
            Some(o) => self.purchase_orders.insert(id.clone(), o),
            None => self.purchase_orders.remove(&id),
        };
        if let Some(journal) = &mut self.journal {
            journal.push(Undo::PurchaseOrder(id, old));
        }
    }

    /// The part of the book a snapshot stores.
    pub(crate) fn to_image(&self) -> Vec<PurchaseOrderV1> {
        self.purchase_orders
            .values()
            .map(FromPublic::from_public)
            .collect()
    }

    /// The book a snapshot stored.
    pub(crate) fn from_image(image: Vec<PurchaseOrderV1>) -> SupplyBook {
        let orders = image
            .into_iter()
            .map(|o| {
                let o: PurchaseOrder = o.into_public();
                (o.id.clone(), o)
            })
            .collect();
        SupplyBook {
            purchase_orders: orders,
            journal: None,
        }
    }
}

/// Equality of the book itself; the undo journal is bookkeeping, not state.
impl PartialEq for SupplyBook {
    fn eq(&self, other: &Self) -> bool {
        self.purchase_orders == other.purchase_orders
    }
}

impl Eq for SupplyBook {}
