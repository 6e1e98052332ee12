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
//! Applying is the only way events change the state, live or on replay, so the two cannot
//! drift apart. Each event is applied once: the writer journals every change of a group
//! (one entry per primitive mutation of a part), publishes its state by swap, and brings
//! the copy readers had until then up to date by copying over the values the journal names,
//! through the same primitive mutations ([`State::catch_up`]); debug builds check after
//! every group that the two copies are equal.
//!
//! Closed records leave memory by the file's retention rule (`ledger::retention`), applied
//! here before each event, for every part at once: reservations (committed, released,
//! expired), orders (delivered, cancelled) and purchase orders (received in full, closed,
//! cancelled). The writer's state hands what left to the store, which keeps it in the
//! `closed` table in the same commit; questions read it there. A command that names a
//! record out of memory reads it back from the store ([`State::recall`]), so it is answered
//! as if the record had stayed. The writer's state keeps the hashes of the ids that left
//! ([`Evicted`]), so that naming a record that never left reads nothing from the store.

use std::collections::BTreeMap;

use super::evicted::Evicted;
use crate::error::Result;
use crate::event::{Envelope, Event};
use crate::ledger::book::Change;
use crate::ledger::retention::Retention;
use crate::ledger::{HoldChange, Holds, Ledger, Stock, StockChange};
use crate::model::order::Order;
use crate::model::purchase_order::PurchaseOrder;
use crate::orders::OrderBook;
use crate::planning::supply::SupplyBook;
use crate::store::schema::{Archived, Closed, ClosedKind, StateV2};

/// The part of the state that a snapshot stores (the rest is derived): the stored record
/// types of the store's schema, never the public ones, so that a public type can gain a
/// field without changing a snapshot's bytes.
pub(crate) type StateImage = StateV2;

/// The records a replay took out of memory, as the `closed` table should hold them.
pub(crate) type ClosedRecords = BTreeMap<(ClosedKind, String), Closed>;

/// The records one command brought back from the store: (kind, id).
pub(crate) type Recalled = Vec<(ClosedKind, String)>;

/// The `closed` table as the writer's transaction sees it: where the writer's state finds
/// the closed records that left memory.
pub(crate) trait ClosedStore {
    /// The closed record `id` of `kind`, if the table keeps it.
    fn closed(&self, kind: ClosedKind, id: &str) -> Result<Option<Closed>>;

    /// Calls `f` with the (kind, id) of every record the table keeps.
    fn closed_keys(&self, f: &mut dyn FnMut(ClosedKind, &str)) -> Result<()>;
}

/// The writer's store answers from its own transaction (the implementation sits here, with
/// the trait, so that the store does not import the command layer above it).
impl ClosedStore for crate::store::backend::StoreWrite {
    fn closed(&self, kind: ClosedKind, id: &str) -> Result<Option<Closed>> {
        crate::store::backend::StoreWrite::closed(self, kind, id)
    }

    fn closed_keys(&self, f: &mut dyn FnMut(ClosedKind, &str)) -> Result<()> {
        crate::store::backend::StoreWrite::closed_keys(self, f)
    }
}

/// The in-memory state: the parts of every context, as of `last_seq`.
#[derive(Debug, Clone, Default)]
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
    /// The file's retention rule for closed records.
    retention: Retention,
    /// The retention bucket of the last event applied.
    last_bucket: Option<i64>,
    /// The writer's: the changes of the `closed` table its group owes the store.
    outbox: Option<Vec<Archived>>,
    /// A replay's: what the `closed` table should hold, as far as the log has gone.
    replayed: Option<ClosedRecords>,
    /// True while nothing has ever left memory (no look-up of the store is needed).
    archive_empty: bool,
    /// The writer's: the hashes of the ids that left memory (empty elsewhere).
    evicted: Evicted,
}

/// Equality of the projection itself: the parts, the last sequence and the retention
/// bucket; the outbox and a replay's record of closed records are bookkeeping.
impl PartialEq for State {
    fn eq(&self, other: &Self) -> bool {
        self.stock == other.stock
            && self.holds == other.holds
            && self.orders == other.orders
            && self.supply == other.supply
            && self.last_seq == other.last_seq
            && self.last_bucket == other.last_bucket
    }
}

impl Eq for State {}

/// The writer's bookkeeping beside its state (see [`State::take_bookkeeping`]).
#[derive(Debug)]
pub(crate) struct Bookkeeping {
    /// The changes of the `closed` table owed to the store (`None`: not the writer's).
    pub(crate) outbox: Option<Vec<Archived>>,
    /// True while the store keeps no closed record.
    pub(crate) archive_empty: bool,
    /// The hashes of the ids that left memory.
    pub(crate) evicted: Evicted,
}

/// The changes of a group, one journal per part, in the order they were made: what the
/// writer's state made since [`State::begin_journal`] (see [`State::take_journal`]).
#[derive(Debug, Default)]
pub(crate) struct Journal {
    stock: Vec<StockChange>,
    holds: Vec<HoldChange>,
    orders: Vec<Change<Order>>,
    supply: Vec<Change<PurchaseOrder>>,
}

/// Where to roll an atomic batch back to: one mark per part.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Mark {
    stock: usize,
    holds: usize,
    orders: usize,
    supply: usize,
    last_seq: u64,
    last_bucket: Option<i64>,
    outbox: usize,
}

impl State {
    /// A state with the built-in virtual locations, under the retention rule `retention`.
    pub(crate) fn with_builtins(retention: Retention) -> State {
        State {
            stock: Stock::with_builtins(),
            retention,
            archive_empty: true,
            ..State::default()
        }
    }

    /// From here on, what leaves memory (or comes back) is kept for the writer to store:
    /// see [`State::take_archived`]. `archive_empty` says whether the store keeps nothing
    /// yet, so that commands need not look there. The hashes of the ids the store keeps
    /// are read from it when a command first needs them (see [`State::recall`]).
    pub(crate) fn keep_archived(&mut self, archive_empty: bool) {
        self.outbox = Some(Vec::new());
        self.archive_empty = archive_empty;
        self.evicted = Evicted::new(archive_empty);
    }

    /// Moves the writer's bookkeeping out (the `closed` changes owed, whether the store
    /// keeps any closed record, the hashes of the ids that left memory), leaving the
    /// projection alone: for the writer to publish its state by swap, or to rebuild it from
    /// the committed one, and keep its books. The hashes need no undoing when the writer
    /// goes back (a panic, a failed commit): a hash too many only costs a look-up.
    pub(crate) fn take_bookkeeping(&mut self) -> Bookkeeping {
        Bookkeeping {
            outbox: self.outbox.take(),
            archive_empty: std::mem::replace(&mut self.archive_empty, true),
            evicted: std::mem::take(&mut self.evicted),
        }
    }

    /// Puts back what [`State::take_bookkeeping`] took.
    pub(crate) fn put_bookkeeping(&mut self, books: Bookkeeping) {
        self.outbox = books.outbox;
        self.archive_empty = books.archive_empty;
        self.evicted = books.evicted;
    }

    /// How many `closed` changes are owed: a request's mark, to cut back to after a panic.
    pub(crate) fn owed_len(&self) -> usize {
        self.outbox.as_ref().map_or(0, Vec::len)
    }

    /// True while nothing has ever left memory.
    pub(crate) fn archive_is_empty(&self) -> bool {
        self.archive_empty
    }

    /// The changes of the `closed` table owed since the last call.
    pub(crate) fn take_archived(&mut self) -> Vec<Archived> {
        self.outbox.as_mut().map(std::mem::take).unwrap_or_default()
    }

    /// From here on, a replay: what leaves memory is recorded as the `closed` table should
    /// hold it (see [`State::replayed_closed`]).
    pub(crate) fn record_closed(&mut self) {
        self.replayed = Some(ClosedRecords::new());
    }

    /// What the `closed` table should hold after the events replayed.
    pub(crate) fn replayed_closed(&mut self) -> ClosedRecords {
        self.replayed.take().unwrap_or_default()
    }

    /// Picks up the retention rule's clock after a snapshot: `recorded_at` is the recorded
    /// time of the snapshot's last event.
    pub(crate) fn resume_retention(&mut self, recorded_at: crate::model::Timestamp) {
        self.last_bucket = Some(self.retention.bucket(recorded_at));
    }

    /// How many closed records are in memory: (reservations, orders, purchase orders).
    pub(crate) fn closed_in_memory(&self) -> (usize, usize, usize) {
        (
            self.holds.closed_in_memory(),
            self.orders.closed_in_memory(),
            self.supply.closed_in_memory(),
        )
    }

    /// The ledger's two parts, read together.
    pub(crate) fn ledger(&self) -> Ledger<'_> {
        Ledger {
            stock: &self.stock,
            holds: &self.holds,
        }
    }

    /// Every part, read together with `archive`, the store read of the same commit (what
    /// planning reads).
    pub(crate) fn books<'a>(
        &'a self,
        archive: &'a crate::store::backend::StoreRead,
    ) -> crate::planning::Books<'a> {
        crate::planning::Books {
            ledger: self.ledger(),
            orders: &self.orders,
            supply: &self.supply,
            last_seq: self.last_seq,
            archive,
        }
    }

    /// Folds one event into the parts it concerns. First, when the event's recorded time
    /// enters a new retention bucket, the closed records due leave memory.
    pub(crate) fn apply(&mut self, env: &Envelope) {
        debug_assert!(env.seq > self.last_seq, "events apply in sequence order");
        let bucket = self.retention.bucket(env.recorded_at);
        if self.last_bucket != Some(bucket) {
            self.last_bucket = Some(bucket);
            self.evict(self.retention.threshold(bucket));
        }
        if let Some(replayed) = &mut self.replayed {
            // A record changed while out of memory came back (a replay sees no recall).
            let back = match &env.event {
                Event::ReservationCreated(r) => Some((ClosedKind::Reservation, &r.id)),
                Event::OrderChanged { order, .. } => Some((ClosedKind::Order, &order.id)),
                Event::PurchaseOrderChanged { order, .. } => {
                    Some((ClosedKind::PurchaseOrder, &order.id))
                }
                _ => None,
            };
            if let Some((kind, id)) = back
                && !replayed.is_empty()
            {
                replayed.remove(&(kind, id.clone()));
            }
        }
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

    /// Takes out of memory every closed record whose window began before `threshold`.
    ///
    /// The writer's outbox keeps what left, so that a rolled-back batch brings it back
    /// from there ([`State::rollback_to`]): the parts journal no copy of it.
    fn evict(&mut self, threshold: crate::model::Timestamp) {
        let journaled = self.outbox.is_none();
        let reservations = self.holds.evict(threshold, journaled);
        let orders = self.orders.evict(threshold, journaled);
        let purchase_orders = self.supply.evict(threshold, journaled);
        if reservations.is_empty() && orders.is_empty() && purchase_orders.is_empty() {
            return;
        }
        self.archive_empty = false;
        let records = reservations
            .into_iter()
            .map(Closed::Reservation)
            .chain(orders.into_iter().map(Closed::Order))
            .chain(purchase_orders.into_iter().map(Closed::PurchaseOrder));
        if let Some(outbox) = &mut self.outbox {
            outbox.extend(records.map(|record| {
                let (kind, id) = record.key();
                self.evicted.insert(kind, id);
                Archived::Put(record)
            }));
        } else if let Some(replayed) = &mut self.replayed {
            for record in records {
                let (kind, id) = record.key();
                replayed.insert((kind, id.to_owned()), record);
            }
        }
    }

    // ---- records out of memory ----------------------------------------------------

    /// Brings back, for the command at hand, the closed records it names that are out of
    /// memory: from what this group took out, or from the store. Answers what it brought
    /// back; [`State::forget_recalled`] then drops them, and [`State::readmitted`] tells
    /// the store of those the command's events changed.
    ///
    /// Only an id whose hash is in the set of those that left memory is looked for (the
    /// first time, the set reads the table's keys in). `generated` is the sequence whose
    /// generated reservation id (`RS-<seq>`) the command names: looked for only when a
    /// caller's id of that shape, as high, left memory.
    pub(crate) fn recall(
        &mut self,
        named: &[(ClosedKind, &str)],
        generated: Option<u64>,
        store: &impl ClosedStore,
    ) -> Result<Recalled> {
        let mut out = Recalled::new();
        if self.archive_empty {
            return Ok(out);
        }
        if !self.evicted.is_loaded() {
            self.evicted.load(|f| store.closed_keys(f))?;
        }
        let generated = generated
            .filter(|&seq| self.evicted.may_hold_generated(seq))
            .map(|seq| format!("RS-{seq}"));
        let generated = generated.as_deref().map(|id| (ClosedKind::Reservation, id));
        for (kind, id) in named.iter().copied().chain(generated) {
            if !self.evicted.may_hold(kind, id) {
                continue;
            }
            let in_memory = match kind {
                ClosedKind::Reservation => self.holds.in_memory(id),
                ClosedKind::Order => self.orders.in_memory(id),
                ClosedKind::PurchaseOrder => self.supply.in_memory(id),
            };
            if in_memory || out.iter().any(|(k, i)| *k == kind && i == id) {
                continue;
            }
            let owed = self.outbox.iter().flatten().rev().find_map(|a| match a {
                Archived::Put(record) if record.key() == (kind, id) => Some(Some(record.clone())),
                Archived::Remove(k, i) if *k == kind && i == id => Some(None),
                _ => None,
            });
            let record = match owed {
                Some(record) => record,
                None => store.closed(kind, id)?,
            };
            let Some(record) = record else {
                continue;
            };
            match record {
                Closed::Reservation(r) => self.holds.recall(r),
                Closed::Order(o) => self.orders.recall(o),
                Closed::PurchaseOrder(po) => self.supply.recall(po),
            }
            out.push((kind, id.to_owned()));
        }
        Ok(out)
    }

    /// Drops what [`State::recall`] brought back.
    pub(crate) fn forget_recalled(&mut self) {
        self.holds.forget_recalled();
        self.orders.forget_recalled();
        self.supply.forget_recalled();
    }

    /// The command's events applied: the recalled records they brought into memory again
    /// leave the store's `closed` table.
    pub(crate) fn readmitted(&mut self, recalled: &Recalled) {
        for (kind, id) in recalled {
            let back = match kind {
                ClosedKind::Reservation => self.holds.in_memory(id),
                ClosedKind::Order => self.orders.in_memory(id),
                ClosedKind::PurchaseOrder => self.supply.in_memory(id),
            };
            if back && let Some(outbox) = &mut self.outbox {
                outbox.push(Archived::Remove(*kind, id.clone()));
            }
        }
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
            last_bucket: self.last_bucket,
            outbox: self.outbox.as_ref().map_or(0, Vec::len),
        }
    }

    /// Undoes every change since `mark`. The parts above the stock go first: the holds'
    /// roll-ups are taken back over the location tree they were counted on. Then the
    /// records that left memory since come back from the outbox, the latest departure
    /// first (a record that left twice comes back as it was before the first).
    pub(crate) fn rollback_to(&mut self, mark: Mark) {
        let owed = match &mut self.outbox {
            Some(outbox) if outbox.len() > mark.outbox => outbox.split_off(mark.outbox),
            _ => Vec::new(),
        };
        self.supply.rollback_to(mark.supply);
        self.orders.rollback_to(mark.orders);
        self.holds.rollback_to(&self.stock, mark.holds);
        self.stock.rollback_to(mark.stock);
        self.last_seq = mark.last_seq;
        self.last_bucket = mark.last_bucket;
        for change in owed.into_iter().rev() {
            match change {
                Archived::Put(Closed::Reservation(r)) => self.holds.restore(&self.stock, r),
                Archived::Put(Closed::Order(o)) => self.orders.restore(o),
                Archived::Put(Closed::PurchaseOrder(po)) => self.supply.restore(po),
                Archived::Remove(..) => {}
            }
        }
    }

    /// Stops recording and hands over the journals.
    pub(crate) fn take_journal(&mut self) -> Journal {
        Journal {
            stock: self.stock.take_journal(),
            holds: self.holds.take_journal(),
            orders: self.orders.take_journal(),
            supply: self.supply.take_journal(),
        }
    }

    /// Brings this copy up to date with `fresh`, a copy that stood where this one stands
    /// and then made the changes `journal` lists: no event is applied again. The
    /// reservations leave first, uncounted over the location tree they were counted on,
    /// and come back once the stock (and its tree) caught up.
    pub(crate) fn catch_up(&mut self, fresh: &State, journal: &Journal) {
        let reservations = Holds::touched(&journal.holds);
        self.holds.forget(&self.stock, &reservations);
        self.stock.catch_up(&fresh.stock, &journal.stock);
        self.holds
            .copy_from(&self.stock, &fresh.holds, &reservations);
        self.orders.catch_up(&fresh.orders, &journal.orders);
        self.supply.catch_up(&fresh.supply, &journal.supply);
        self.last_seq = fresh.last_seq;
        self.last_bucket = fresh.last_bucket;
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

    /// The state a snapshot stored, under the retention rule `retention`. It comes back
    /// replaying (see [`State::begin_replay`]): the events after the snapshot apply next,
    /// and [`State::finish_replay`] then derives the on-hand roll-ups once, for the
    /// balances of both. Its retention clock resumes with [`State::resume_retention`].
    pub(crate) fn from_image(image: StateImage, retention: Retention) -> State {
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
            retention,
            archive_empty: true,
            ..State::default()
        }
    }
}

#[cfg(test)]
mod tests {
    //! The writer's look-ups of records out of memory, against a store that counts them.

    use std::cell::Cell;

    use super::*;
    use crate::model::Qty;
    use crate::model::reservation::{Reservation, ReservationState};

    /// A `closed` table in memory that counts its reads.
    #[derive(Default)]
    struct Table {
        records: ClosedRecords,
        reads: Cell<usize>,
        scans: Cell<usize>,
    }

    impl Table {
        fn put(&mut self, id: &str) {
            let r = released(id);
            self.records.insert(
                (ClosedKind::Reservation, id.to_owned()),
                Closed::Reservation(r),
            );
        }
    }

    impl ClosedStore for Table {
        fn closed(&self, kind: ClosedKind, id: &str) -> Result<Option<Closed>> {
            self.reads.set(self.reads.get() + 1);
            Ok(self.records.get(&(kind, id.to_owned())).cloned())
        }

        fn closed_keys(&self, f: &mut dyn FnMut(ClosedKind, &str)) -> Result<()> {
            self.scans.set(self.scans.get() + 1);
            for (kind, id) in self.records.keys() {
                f(*kind, id);
            }
            Ok(())
        }
    }

    fn released(id: &str) -> Reservation {
        Reservation {
            id: id.into(),
            sku: "A".into(),
            scope: "WH1".into(),
            lot: None,
            hard: false,
            qty: Qty::ZERO,
            requested: Qty::from_int(1),
            committed: Qty::ZERO,
            order: None,
            line: None,
            created_at: 0,
            expires_at: None,
            state: ReservationState::Released,
        }
    }

    fn recall(state: &mut State, table: &Table, id: &str, generated: Option<u64>) -> Recalled {
        let named: Vec<(ClosedKind, &str)> = if id.is_empty() {
            Vec::new()
        } else {
            vec![(ClosedKind::Reservation, id)]
        };
        let out = state.recall(&named, generated, table).unwrap();
        state.forget_recalled();
        out
    }

    #[test]
    fn only_an_id_whose_hash_left_memory_is_looked_for() {
        let mut table = Table::default();
        table.put("R-1");
        table.put("RS-9");
        let mut state = State::with_builtins(Retention::new(3_600_000));
        state.keep_archived(false);
        // The first command that names a record out of memory reads the table's keys in.
        assert_eq!(recall(&mut state, &table, "R-2", None), Recalled::new());
        assert_eq!(
            (table.scans.get(), table.reads.get()),
            (1, 0),
            "R-2 never left"
        );
        let found = recall(&mut state, &table, "R-1", None);
        assert_eq!(found, vec![(ClosedKind::Reservation, "R-1".to_owned())]);
        assert_eq!(table.reads.get(), 1);
        for i in 2..1000 {
            recall(&mut state, &table, &format!("R-{i}"), None);
        }
        assert_eq!(
            (table.scans.get(), table.reads.get()),
            (1, 1),
            "no read, no rescan"
        );
        // A hash that is there for another id (as two ids sharing a hash would be): the
        // table answers, exactly.
        state.evicted.insert(ClosedKind::Reservation, "R-3");
        assert_eq!(recall(&mut state, &table, "R-3", None), Recalled::new());
        assert_eq!(table.reads.get(), 2);
        // A generated id: looked for only up to the highest caller's id of its shape.
        assert_eq!(recall(&mut state, &table, "", Some(10)), Recalled::new());
        assert_eq!(table.reads.get(), 2);
        let found = recall(&mut state, &table, "", Some(9));
        assert_eq!(found, vec![(ClosedKind::Reservation, "RS-9".to_owned())]);
        assert_eq!(table.reads.get(), 3);
    }

    #[test]
    fn the_set_travels_with_the_writers_books_and_never_with_its_state() {
        let mut table = Table::default();
        table.put("R-1");
        let mut state = State::with_builtins(Retention::new(3_600_000));
        state.keep_archived(false);
        recall(&mut state, &table, "R-1", None);
        let books = state.take_bookkeeping();
        assert!(books.evicted.is_loaded());
        assert_eq!(books.evicted.len(), 1);
        // What is left behind (the state readers get) knows nothing, and would read the
        // table again rather than answer wrongly.
        assert!(!state.evicted.is_loaded());
        assert_eq!(state.evicted.len(), 0);
        state.put_bookkeeping(books);
        assert_eq!(state.evicted.len(), 1);
        assert!(state.evicted.may_hold(ClosedKind::Reservation, "R-1"));
        assert_eq!(table.scans.get(), 1);
    }
}
