//! Index rows: what each event adds to the point-in-time index, derived from the state
//! just before it applies.

use crate::command::state::State;
use crate::event::{Envelope, Event};
use crate::store::index;

/// One point-in-time index row, owned.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct IndexEntry {
    pub measure: index::Measure,
    pub sku: String,
    pub location: String,
    pub effective_at: i64,
    pub seq: u64,
    pub delta: i64,
    /// The total at (sku, location) after this change.
    pub running: i64,
}

impl IndexEntry {
    /// The borrowed row the index writes.
    pub(crate) fn row(&self) -> index::IndexRow<'_> {
        index::IndexRow {
            measure: self.measure,
            sku: &self.sku,
            location: &self.location,
            effective_at: self.effective_at,
            seq: self.seq,
            delta: self.delta,
            running: self.running,
        }
    }
}

/// The index rows of one event, from the state just before it applies: each physical
/// side of a movement, and each change of a reservation at its scope.
pub(crate) fn index_rows(state: &State, env: &Envelope) -> Vec<IndexEntry> {
    let row = |measure, sku: &str, location: &str, delta: i64| IndexEntry {
        measure,
        sku: sku.to_owned(),
        location: location.to_owned(),
        effective_at: env.effective_at,
        seq: env.seq,
        delta,
        running: if measure == index::Measure::Reserved {
            state.holds.exact(sku, location)
        } else {
            state.stock.exact(sku, location)
        }
        .saturating_add(delta),
    };
    let reservation = |id: &str| state.holds.get(id);
    match &env.event {
        Event::Moved(m) => [(&m.from, -m.qty.units()), (&m.to, m.qty.units())]
            .into_iter()
            .filter(|(loc, _)| !state.stock.is_virtual(loc))
            .map(|(loc, delta)| row(index::Measure::OnHand, &m.sku, loc, delta))
            .collect(),
        Event::ReservationCreated(r) => {
            vec![row(
                index::Measure::Reserved,
                &r.sku,
                &r.scope,
                r.qty.units(),
            )]
        }
        Event::ReservationCommitted { id, qty } | Event::ReservationReleased { id, qty } => {
            reservation(id)
                .map(|r| row(index::Measure::Reserved, &r.sku, &r.scope, -qty.units()))
                .into_iter()
                .collect()
        }
        Event::ReservationExpired { id } => reservation(id)
            .map(|r| row(index::Measure::Reserved, &r.sku, &r.scope, -r.qty.units()))
            .into_iter()
            .collect(),
        _ => Vec::new(),
    }
}
