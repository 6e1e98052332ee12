//! The ledger's holds, one part of the in-memory state: the reservations and the reserved
//! roll-ups derived from them, folded from the event log by [`Holds::apply`].
//!
//! The rule that reserved never exceeds on hand belongs to the ledger kernel, so the holds
//! live here, beside the [`Stock`] they count against: the roll-ups follow the location
//! tree of the stock. The reserved counters are derived from the reservation records
//! themselves (never patched separately), so they cannot drift from them.

use std::collections::{BTreeMap, BTreeSet};

use compact_str::CompactString;

use super::keyed::{Map2, Map3};
use super::retention::ClosedIndex;
use super::stock::Stock;
use crate::event::{Envelope, Event};
use crate::model::reservation::{Reservation, ReservationState};
use crate::model::{Qty, Timestamp};
use crate::store::schema::{FromPublic, IntoPublic, ReservationV1};

/// The reservations, open and closed (until they leave memory), and the reserved
/// quantities of the pending ones, rolled up the location tree.
#[derive(Debug, Clone, Default)]
pub(crate) struct Holds {
    /// Reservations, open and closed.
    pub(crate) reservations: BTreeMap<String, Reservation>,
    /// What the pending reservations add up to, derived from the records.
    pending: Pending,
    /// Closed reservations in memory, by the time their retention window began.
    closed: ClosedIndex,
    /// Closed reservations brought back from the store for one command to read (never
    /// applied to, never compared, never imaged).
    recalled: Vec<Reservation>,
    journal: Option<Vec<Undo>>,
}

/// What the pending reservations add up to: the reserved roll-ups and the expiry index.
/// Kept apart from the records so that a record is counted where it lies, uncopied.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct Pending {
    /// (sku, node) → pending reserved quantity in the node's subtree.
    reserved_node: Map2<i64>,
    /// (sku, node, lot) → pending reserved quantity pinned to the lot in the subtree.
    reserved_node_lot: Map3<i64>,
    /// (sku, scope) → pending reserved quantity whose scope is exactly this location.
    reserved_exact: Map2<i64>,
    /// Pending reservations with a time-to-live, by expiry (ids inline: no allocation).
    expiring: BTreeSet<(Timestamp, CompactString)>,
}

impl Pending {
    /// Counts `r` in (`sign` 1) or out (-1), if it is pending.
    fn count(&mut self, stock: &Stock, r: &Reservation, sign: i64) {
        if r.state != ReservationState::Pending {
            return;
        }
        let units = sign * r.qty.units();
        self.reserved_exact.add(&r.sku, &r.scope, units);
        for node in stock.ancestors(&r.scope) {
            self.reserved_node.add(&r.sku, node, units);
            if let Some(lot) = &r.lot {
                self.reserved_node_lot.add(&r.sku, node, lot, units);
            }
        }
        if let Some(at) = r.expires_at {
            let key = (at, CompactString::from(r.id.as_str()));
            if sign > 0 {
                self.expiring.insert(key);
            } else {
                self.expiring.remove(&key);
            }
        }
    }
}

/// When a reservation's retention window began, if it is closed: its creation (a
/// reservation records no closing time, and its stored shape does not change).
fn closed_since(r: &Reservation) -> Option<Timestamp> {
    (r.state != ReservationState::Pending).then_some(r.created_at)
}

/// What the journal keeps to take one change back.
#[derive(Debug, Clone, PartialEq, Eq)]
#[allow(
    clippy::large_enum_variant,
    reason = "boxing would allocate for every change of a reservation; a departure is rare"
)]
pub(crate) enum Undo {
    /// The reservation was this before.
    Reservation(String, Option<Reservation>),
    /// The reservation left memory unjournaled ([`Holds::restore`] brings it back).
    Left(String),
}

impl Undo {
    /// The reservation the change concerns.
    fn id(&self) -> &str {
        match self {
            Undo::Reservation(id, _) | Undo::Left(id) => id,
        }
    }
}

impl Holds {
    /// Folds one event into the holds; events of other parts leave them as they are.
    /// `stock` is the stock as the event finds it: its location tree carries the roll-ups.
    pub(crate) fn apply(&mut self, stock: &Stock, env: &Envelope) {
        match &env.event {
            Event::ReservationCreated(r) => {
                self.set_reservation(stock, r.id.clone(), Some(r.clone()));
            }
            Event::ReservationCommitted { id, qty } => self.close(stock, id, *qty, true),
            Event::ReservationReleased { id, qty } => self.close(stock, id, *qty, false),
            Event::ReservationExpired { id } => {
                if let Some(mut r) = self.reservations.get(id).cloned() {
                    r.qty = Qty::from_units(0, r.qty.scale()).unwrap_or(Qty::ZERO);
                    r.state = ReservationState::Expired;
                    self.set_reservation(stock, id.clone(), Some(r));
                }
            }
            _ => {}
        }
    }

    /// Consumes (`committed`) or gives back `qty` of a reservation; closes it at zero.
    fn close(&mut self, stock: &Stock, id: &str, qty: Qty, committed: bool) {
        let Some(mut r) = self.reservations.get(id).cloned() else {
            return;
        };
        r.qty = r.qty.checked_sub(qty).unwrap_or(r.qty);
        if committed {
            r.committed = r.committed.checked_add(qty).unwrap_or(r.committed);
        }
        if r.qty.is_zero() {
            r.state = if r.committed.is_zero() {
                ReservationState::Released
            } else {
                ReservationState::Committed
            };
        }
        self.set_reservation(stock, id.to_owned(), Some(r));
    }

    /// The reservation `id`, if it is in memory (or recalled for the command at hand).
    pub(crate) fn get(&self, id: &str) -> Option<&Reservation> {
        match self.reservations.get(id) {
            Some(r) => Some(r),
            None => self.recalled.iter().find(|r| r.id == id),
        }
    }

    /// True when the reservation `id` is in memory (recalled ones are not).
    pub(crate) fn in_memory(&self, id: &str) -> bool {
        self.reservations.contains_key(id)
    }

    /// Lets the command at hand read `r`, a closed reservation out of memory.
    pub(crate) fn recall(&mut self, r: Reservation) {
        self.recalled.push(r);
    }

    /// Forgets what was recalled.
    pub(crate) fn forget_recalled(&mut self) {
        self.recalled.clear();
    }

    /// Takes out of memory every closed reservation whose retention window began before
    /// `threshold`. Journaled only when `journaled` (else whoever keeps what left brings
    /// it back after a rolled-back batch: [`Holds::restore`]), so that no record is copied
    /// on its way out. A closed reservation counts in no roll-up: none changes.
    pub(crate) fn evict(&mut self, threshold: Timestamp, journaled: bool) -> Vec<Reservation> {
        let due = self.closed.take_due(threshold);
        let mut out = Vec::with_capacity(due.len());
        for id in due {
            if let Some(r) = self.reservations.remove(&id) {
                if let Some(journal) = &mut self.journal {
                    journal.push(if journaled {
                        Undo::Reservation(id, Some(r.clone()))
                    } else {
                        Undo::Left(id)
                    });
                }
                out.push(r);
            }
        }
        out
    }

    /// Brings back a reservation that left memory unjournaled in a batch rolled back, once
    /// the journal is undone (not journaled itself).
    pub(crate) fn restore(&mut self, stock: &Stock, r: Reservation) {
        let journal = self.journal.take();
        self.set_reservation(stock, r.id.clone(), Some(r));
        self.journal = journal;
    }

    /// How many closed reservations are in memory.
    pub(crate) fn closed_in_memory(&self) -> usize {
        self.closed.len()
    }

    /// Pending reserved quantity of `sku` in the subtree of `node`.
    pub(crate) fn reserved_rollup(&self, sku: &str, node: &str) -> i64 {
        self.pending.reserved_node.get(sku, node).unwrap_or(0)
    }

    /// Pending reserved quantity pinned to `lot` in the subtree of `node`.
    pub(crate) fn reserved_lot_rollup(&self, sku: &str, node: &str, lot: &str) -> i64 {
        self.pending
            .reserved_node_lot
            .get(sku, node, lot)
            .unwrap_or(0)
    }

    /// Pending reserved quantity of `sku` whose scope is exactly `location`: what the
    /// point-in-time index keeps a running total of.
    pub(crate) fn exact(&self, sku: &str, location: &str) -> i64 {
        self.pending.reserved_exact.get(sku, location).unwrap_or(0)
    }

    // ---- undo journal -------------------------------------------------------------

    /// Starts recording undo entries; returns the mark to roll back to.
    pub(crate) fn begin_journal(&mut self) -> usize {
        self.journal.get_or_insert_with(Vec::new).len()
    }

    /// Undoes every change since `mark`, over the location tree of `stock`.
    pub(crate) fn rollback_to(&mut self, stock: &Stock, mark: usize) {
        let Some(mut journal) = self.journal.take() else {
            return;
        };
        while journal.len() > mark {
            match journal.pop().expect("len > mark") {
                Undo::Reservation(k, v) => self.set_reservation(stock, k, v),
                Undo::Left(_) => {}
            }
        }
        self.journal = Some(journal);
    }

    /// Stops recording and hands over the journal.
    pub(crate) fn take_journal(&mut self) -> Vec<Undo> {
        self.journal.take().unwrap_or_default()
    }

    /// The reservations `journal` changed, each once.
    pub(crate) fn touched(journal: &[Undo]) -> Vec<&str> {
        let mut seen = std::collections::HashSet::with_capacity(journal.len());
        journal
            .iter()
            .map(Undo::id)
            .filter(|id| seen.insert(*id))
            .collect()
    }

    /// Catching up, first step: the reservations `ids` leave this copy, uncounted over
    /// the location tree they were counted on (before the stock catches up).
    pub(crate) fn forget(&mut self, stock: &Stock, ids: &[&str]) {
        for id in ids {
            self.set_reservation(stock, (*id).to_owned(), None);
        }
    }

    /// Catching up, second step: over the location tree brought up to date, each of the
    /// reservations `ids` comes back as `fresh` has it.
    pub(crate) fn copy_from(&mut self, stock: &Stock, fresh: &Holds, ids: &[&str]) {
        for id in ids {
            if let Some(r) = fresh.reservations.get(*id) {
                self.set_reservation(stock, (*id).to_owned(), Some(r.clone()));
            }
        }
    }

    fn record(&mut self, undo: impl FnOnce() -> Undo) {
        if let Some(journal) = &mut self.journal {
            journal.push(undo());
        }
    }

    /// Replaces a reservation record; the reserved roll-ups and the expiry index follow
    /// from the records, so they cannot drift from them.
    pub(crate) fn set_reservation(&mut self, stock: &Stock, id: String, r: Option<Reservation>) {
        let old = match r {
            Some(r) => self.reservations.insert(id.clone(), r),
            None => self.reservations.remove(&id),
        };
        if let Some(o) = &old {
            self.pending.count(stock, o, -1);
        }
        let new = self.reservations.get(&id);
        self.closed.update(
            &id,
            old.as_ref().and_then(closed_since),
            new.and_then(closed_since),
        );
        if let Some(new) = new {
            self.pending.count(stock, new, 1);
        }
        self.record(|| Undo::Reservation(id, old));
    }

    /// The pending reservations with a time-to-live, soonest expiry first.
    pub(crate) fn expiring(&self) -> impl Iterator<Item = (Timestamp, &str)> + '_ {
        self.pending
            .expiring
            .iter()
            .map(|(at, id)| (*at, id.as_str()))
    }

    // ---- image ------------------------------------------------------------------------

    /// The part of the holds a snapshot stores: the records (the roll-ups are derived).
    pub(crate) fn to_image(&self) -> Vec<ReservationV1> {
        self.reservations
            .values()
            .map(FromPublic::from_public)
            .collect()
    }

    /// The holds a snapshot stored, their roll-ups over the location tree of `stock`.
    pub(crate) fn from_image(stock: &Stock, image: Vec<ReservationV1>) -> Holds {
        let mut holds = Holds::default();
        for r in image {
            let r: Reservation = r.into_public();
            holds.set_reservation(stock, r.id.clone(), Some(r));
        }
        holds
    }
}

/// Equality of the holds themselves; the undo journal is bookkeeping, not state.
impl PartialEq for Holds {
    fn eq(&self, other: &Self) -> bool {
        self.reservations == other.reservations
            && self.pending == other.pending
            && self.closed == other.closed
    }
}

impl Eq for Holds {}
