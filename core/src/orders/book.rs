//! The order book, one part of the in-memory state: the orders, folded from the event log
//! by [`OrderBook::apply`]. Every order event carries the whole new record, so applying is
//! a replacement (see [`RecordBook`]).

use crate::event::{Envelope, Event};
use crate::ledger::book::{BookRecord, RecordBook};
use crate::model::Timestamp;
use crate::model::order::{Order, OrderState};
use crate::store::schema::OrderV1;

/// The orders, by id.
pub(crate) type OrderBook = RecordBook<Order>;

impl BookRecord for Order {
    type Stored = OrderV1;

    fn id(&self) -> &str {
        &self.id
    }

    /// Closed is delivered or cancelled, since its creation (an order records no closing
    /// time, and its stored shape does not change). A shipped order is still open: its
    /// delivery is still to come.
    fn closed_since(&self) -> Option<Timestamp> {
        matches!(self.state, OrderState::Delivered | OrderState::Cancelled)
            .then_some(self.created_at)
    }
}

impl OrderBook {
    /// Folds one event into the book; events of other parts leave it as it is.
    pub(crate) fn apply(&mut self, env: &Envelope) {
        if let Event::OrderChanged { order, .. } = &env.event {
            self.set(order.id.clone(), Some((**order).clone()));
        }
    }
}
