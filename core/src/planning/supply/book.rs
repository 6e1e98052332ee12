//! The supply book, one part of the in-memory state: the purchase orders, folded from the
//! event log by [`SupplyBook::apply`]. Every purchase-order event carries the whole new
//! record, so applying is a replacement.

use std::collections::BTreeMap;

use crate::ledger::retention::ClosedIndex;
use crate::model::Timestamp;

use crate::event::{Envelope, Event};
use crate::model::purchase_order::{PurchaseOrder, PurchaseOrderState};
use crate::store::schema::{FromPublic, IntoPublic, PurchaseOrderV1};

/// The purchase orders, by id.
#[derive(Debug, Clone, Default)]
pub(crate) struct SupplyBook {
    /// Purchase orders.
    pub(crate) purchase_orders: BTreeMap<String, PurchaseOrder>,
    /// Closed records in memory, by the time their retention window began.
    closed: ClosedIndex,
    /// Closed records brought back from the store for one command to read (never
    /// applied to, never compared, never imaged).
    recalled: Vec<PurchaseOrder>,
    journal: Option<Vec<Undo>>,
}

/// When a purchase order's retention window began, if it is closed (received in full,
/// closed by hand or cancelled): its closing time, else its last receipt, else its
/// creation. A received order can still take a receipt within its over-receipt tolerance
/// or be closed: a command that does brings it back from the store.
fn closed_since(po: &PurchaseOrder) -> Option<Timestamp> {
    let closed = matches!(
        po.state,
        PurchaseOrderState::Received | PurchaseOrderState::Closed | PurchaseOrderState::Cancelled
    );
    closed.then(|| {
        po.closed_at
            .or_else(|| po.receipts.iter().map(|r| r.received_at).max())
            .unwrap_or(po.created_at)
    })
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
        match self.purchase_orders.get(id) {
            Some(o) => Some(o),
            None => self.recalled.iter().find(|o| o.id == id),
        }
    }

    /// Lets the command at hand read `o`, a closed record out of memory.
    pub(crate) fn recall(&mut self, o: PurchaseOrder) {
        self.recalled.push(o);
    }

    /// Forgets what was recalled.
    pub(crate) fn forget_recalled(&mut self) {
        self.recalled.clear();
    }

    /// Takes out of memory every closed record whose retention window began before
    /// `threshold`. Journaled only when `journaled` (else whoever keeps what left brings
    /// it back after a rolled-back batch: [`SupplyBook::restore`]), so that no record is
    /// copied on its way out.
    pub(crate) fn evict(&mut self, threshold: Timestamp, journaled: bool) -> Vec<PurchaseOrder> {
        let due = self.closed.take_due(threshold);
        let mut out = Vec::with_capacity(due.len());
        for id in due {
            if let Some(o) = self.purchase_orders.remove(&id) {
                if journaled && let Some(journal) = &mut self.journal {
                    journal.push(Undo::PurchaseOrder(id, Some(o.clone())));
                }
                out.push(o);
            }
        }
        out
    }

    /// Brings back a record that left memory unjournaled in a batch rolled back, once the
    /// journal is undone (not journaled itself).
    pub(crate) fn restore(&mut self, o: PurchaseOrder) {
        let journal = self.journal.take();
        self.set(o.id.clone(), Some(o));
        self.journal = journal;
    }

    /// How many closed records are in memory.
    pub(crate) fn closed_in_memory(&self) -> usize {
        self.closed.len()
    }

    /// True when the purchase order `id` is in memory or recalled for the command at hand.
    pub(crate) fn contains(&self, id: &str) -> bool {
        self.get(id).is_some()
    }

    /// True when the record `id` is in memory (recalled ones are not).
    pub(crate) fn in_memory(&self, id: &str) -> bool {
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
        let now_closed = self.purchase_orders.get(&id).and_then(closed_since);
        self.closed
            .update(&id, old.as_ref().and_then(closed_since), now_closed);
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
        let orders: Vec<(String, PurchaseOrder)> = image
            .into_iter()
            .map(|o| {
                let o: PurchaseOrder = o.into_public();
                (o.id.clone(), o)
            })
            .collect();
        let mut book = SupplyBook::default();
        for (id, o) in orders {
            book.set(id, Some(o));
        }
        book
    }
}

/// Equality of the book itself; the undo journal is bookkeeping, not state.
impl PartialEq for SupplyBook {
    fn eq(&self, other: &Self) -> bool {
        self.purchase_orders == other.purchase_orders && self.closed == other.closed
    }
}

impl Eq for SupplyBook {}
