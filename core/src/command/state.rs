//! The in-memory state: one part per context, and the routing of each event to the parts
//! it concerns.
//!
//! | part                                  | owns                                                 |
//! |---------------------------------------|------------------------------------------------------|
//! | [`Stock`] (ledger)                    | items, locations, lots, serials, balances, transfers, counts, roll-ups |
//! | [`Holds`] (ledger)                    | reservations and the reserved roll-ups               |
//! | [`OrderBook`] (orders)                | orders                                               |
//! | [`SupplyBook`] (planning)             | purchase orders                                      |
//!
//! Each part has its own apply, undo journal and snapshot image; this composite holds
//! them, routes events, rolls an atomic batch back part by part and assembles the stored
//! image (`StateV2`) from the parts' images. It lives at the command layer because it
//! holds parts of contexts that the ledger below must not know; the contexts' functions
//! take the parts they need, never the composite.
//!
//! Applying is the only way the state changes, whether live, on replay or when a reader's
//! copy catches up after a commit, so the three cannot drift apart.

use crate::event::{Envelope, Event};
use crate::ledger::{Holds, Ledger, Stock};
use crate::orders::OrderBook;
use crate::planning::supply::SupplyBook;
use crate::store::schema::StateV2;

/// The part of the state that a snapshot stores (the rest is derived): the stored record
/// types of the store's schema, never the public ones, so that a public type can gain a
/// field without changing a snapshot's bytes.
pub(crate) type StateImage = StateV2;

/// The in-memory state: the parts of every context, as of `last_seq`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct State {
    /// The ledger's stock.
    pub(crate) stock: Stock,
    /// The ledger's holds (reservations).
    pub(crate) holds: Holds,
    /// The orders.
    pub(crate) orders: OrderBook,
    /// The purchase orders.
    pub(crate) supply: SupplyBook,
    /// The sequence of the last event applied.
    pub(crate) last_seq: u64,
}

/// Where to roll an atomic batch back to: one mark per part.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Mark {
    stock: usize,
    holds: usize,
    orders: usize,
    supply: usize,
    last_seq: u64,
}

impl State {
    /// A state with the built-in virtual locations.
    pub(crate) fn with_builtins() -> State {
        State {
            stock: Stock::with_builtins(),
            ..State::default()
        }
    }

    /// The ledger's two parts, read together.
    pub(crate) fn ledger(&self) -> Ledger<'_> {
        Ledger {
            stock: &self.stock,
            holds: &self.holds,
        }
    }

    /// Every part, read together (what planning reads).
    pub(crate) fn books(&self) -> crate::planning::Books<'_> {
        crate::planning::Books {
            ledger: self.ledger(),
            orders: &self.orders,
            supply: &self.supply,
            last_seq: self.last_seq,
        }
    }

    /// Folds one event into the parts it concerns.
    pub(crate) fn apply(&mut self, env: &Envelope) {
        debug_assert!(env.seq > self.last_seq, "events apply in sequence order");
        match &env.event {
            Event::ReservationCreated(_)
            | Event::ReservationCommitted { .. }
            | Event::ReservationReleased { .. }
            | Event::ReservationExpired { .. } => self.holds.apply(&self.stock, env),
            Event::OrderChanged { .. } => self.orders.apply(env),
            Event::PurchaseOrderChanged { .. } => self.supply.apply(env),
            _ => self.stock.apply(env),
        }
        self.last_seq = env.seq;
    }

    /// The items an event concerns, for the per-item history: those it names, and those
    /// of the transfer, reservation or document it refers to. Read after the event
    /// applied (a record an event refers to is open, so it is in memory).
    pub(crate) fn skus_of(&self, event: &Event) -> Vec<String> {
        let one = |sku: Option<&String>| sku.into_iter().cloned().collect::<Vec<_>>();
        match event {
            Event::TransferReceived { id, .. } => one(self.stock.transfers.get(id).map(|t| &t.sku)),
            Event::ReservationCommitted { id, .. }
            | Event::ReservationReleased { id, .. }
            | Event::ReservationExpired { id } => one(self.holds.get(id).map(|r| &r.sku)),
            Event::OrderChanged { order, .. } => {
                let mut skus: Vec<String> = order.lines.iter().map(|l| l.sku.clone()).collect();
                skus.sort_unstable();
                skus.dedup();
                skus
            }
            Event::PurchaseOrderChanged { order, .. } => {
                let mut skus: Vec<String> = order.lines.iter().map(|l| l.sku.clone()).collect();
                skus.sort_unstable();
                skus.dedup();
                skus
            }
            other => other.sku().map(str::to_owned).into_iter().collect(),
        }
    }

    // ---- undo journal -------------------------------------------------------------

    /// Starts recording undo entries in every part; returns the mark to roll back to.
    pub(crate) fn begin_journal(&mut self) -> Mark {
        Mark {
            stock: self.stock.begin_journal(),
            holds: self.holds.begin_journal(),
            orders: self.orders.begin_journal(),
            supply: self.supply.begin_journal(),
            last_seq: self.last_seq,
        }
    }

    /// Undoes every change since `mark`. The parts above the stock go first: the holds'
    /// roll-ups are taken back over the location tree they were counted on.
    pub(crate) fn rollback_to(&mut self, mark: Mark) {
        self.supply.rollback_to(mark.supply);
        self.orders.rollback_to(mark.orders);
        self.holds.rollback_to(&self.stock, mark.holds);
        self.stock.rollback_to(mark.stock);
        self.last_seq = mark.last_seq;
    }

    /// Stops recording and forgets the journals.
    pub(crate) fn end_journal(&mut self) {
        self.stock.end_journal();
        self.holds.end_journal();
        self.orders.end_journal();
        self.supply.end_journal();
    }

    /// From here on, movements change the balances only, until [`State::finish_replay`].
    pub(crate) fn begin_replay(&mut self) {
        self.stock.begin_replay();
    }

    /// Derives what a replay left underived, once.
    pub(crate) fn finish_replay(&mut self) {
        self.stock.finish_replay();
    }

    // ---- image --------------------------------------------------------------------

    /// The part of the state a snapshot stores, assembled from the parts' images.
    pub(crate) fn to_image(&self) -> StateImage {
        let stock = self.stock.to_image();
        StateImage {
            items: stock.items,
            locations: stock.locations,
            lots: stock.lots,
            serials: stock.serials,
            balances: stock.balances,
            transfers: stock.transfers,
            counts: stock.counts,
            moves: stock.moves,
            received: stock.received,
            reservations: self.holds.to_image(),
            orders: self.orders.to_image(),
            last_seq: self.last_seq,
            purchase_orders: self.supply.to_image(),
        }
    }

    /// The state a snapshot stored. It comes back replaying (see [`State::begin_replay`]):
    /// the events after the snapshot apply next, and [`State::finish_replay`] then derives
    /// the on-hand roll-ups once, for the balances of both.
    pub(crate) fn from_image(image: StateImage) -> State {
        let stock = Stock::from_image(crate::ledger::StockImage {
            items: image.items,
            locations: image.locations,
            lots: image.lots,
            serials: image.serials,
            balances: image.balances,
            transfers: image.transfers,
            counts: image.counts,
            moves: image.moves,
            received: image.received,
        });
        let holds = Holds::from_image(&stock, image.reservations);
        State {
            stock,
            holds,
            orders: OrderBook::from_image(image.orders),
            supply: SupplyBook::from_image(image.purchase_orders),
            last_seq: image.last_seq,
        }
    }
}
