//! The supply book, one part of the in-memory state: the purchase orders, folded from the
//! event log by [`SupplyBook::apply`]. Every purchase-order event carries the whole new
//! record, so applying is a replacement (see [`RecordBook`]).

use crate::event::{Envelope, Event};
use crate::ledger::book::{BookRecord, RecordBook};
use crate::model::Timestamp;
use crate::model::purchase_order::{PurchaseOrder, PurchaseOrderState};
use crate::store::schema::PurchaseOrderV1;

/// The purchase orders, by id.
pub(crate) type SupplyBook = RecordBook<PurchaseOrder>;

impl BookRecord for PurchaseOrder {
    type Stored = PurchaseOrderV1;

    fn id(&self) -> &str {
        &self.id
    }

    /// Closed is received in full, closed by hand or cancelled, since its closing time,
    /// else its last receipt, else its creation. A received order can still take a receipt
    /// within its over-receipt tolerance or be closed: a command that does brings it back
    /// from the store.
    fn closed_since(&self) -> Option<Timestamp> {
        let closed = matches!(
            self.state,
            PurchaseOrderState::Received
                | PurchaseOrderState::Closed
                | PurchaseOrderState::Cancelled
        );
        closed.then(|| {
            self.closed_at
                .or_else(|| self.receipts.iter().map(|r| r.received_at).max())
                .unwrap_or(self.created_at)
        })
    }
}

impl SupplyBook {
    /// Folds one event into the book; events of other parts leave it as it is.
    pub(crate) fn apply(&mut self, env: &Envelope) {
        if let Event::PurchaseOrderChanged { order, .. } = &env.event {
            self.set(order.id.clone(), Some((**order).clone()));
        }
    }
}
