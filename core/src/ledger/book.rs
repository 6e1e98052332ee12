//! A book of whole records by id — the shape of the order book and the supply book: every
//! event of such a record carries the whole new record, so applying is a replacement; a
//! closed record leaves memory after the retention window, and a command may read one
//! back from the store for itself.

use std::collections::BTreeMap;

use super::retention::ClosedIndex;
use crate::model::Timestamp;
use crate::store::schema::{FromPublic, IntoPublic};

/// A record a [`RecordBook`] keeps.
pub(crate) trait BookRecord: Clone + PartialEq {
    /// Its stored form, in snapshots.
    type Stored: FromPublic<Self> + IntoPublic<Self>;
    /// Its id.
    fn id(&self) -> &str;
    /// When its retention window began, if it is closed.
    fn closed_since(&self) -> Option<Timestamp>;
}

/// Records by id, with the closed ones indexed by when their retention window began.
#[derive(Debug, Clone)]
pub(crate) struct RecordBook<R> {
    records: BTreeMap<String, R>,
    /// Closed records in memory, by the time their retention window began.
    closed: ClosedIndex,
    /// Closed records brought back from the store for one command to read (never
    /// applied to, never compared, never imaged).
    recalled: Vec<R>,
    /// The writer's group journal: one entry per change, to take a change back or to
    /// bring the readers' copy up to date.
    journal: Option<Vec<Change<R>>>,
}

/// One change a [`RecordBook`] journals.
#[derive(Debug, Clone)]
pub(crate) enum Change<R> {
    /// The record `id` was replaced; it was this before.
    Set(String, Option<R>),
    /// The record `id` left memory unjournaled: whoever keeps what left brings it back
    /// ([`RecordBook::restore`]); taking this entry back changes nothing.
    Left(String),
}

impl<R> Change<R> {
    /// The id the change concerns.
    fn id(&self) -> &str {
        match self {
            Change::Set(id, _) | Change::Left(id) => id,
        }
    }
}

impl<R> Default for RecordBook<R> {
    fn default() -> Self {
        RecordBook {
            records: BTreeMap::new(),
            closed: ClosedIndex::default(),
            recalled: Vec::new(),
            journal: None,
        }
    }
}

impl<R: BookRecord> RecordBook<R> {
    /// The record `id`, if it is in memory or recalled for the command at hand.
    pub(crate) fn get(&self, id: &str) -> Option<&R> {
        match self.records.get(id) {
            Some(r) => Some(r),
            None => self.recalled.iter().find(|r| r.id() == id),
        }
    }

    /// Lets the command at hand read `r`, a closed record out of memory.
    pub(crate) fn recall(&mut self, r: R) {
        self.recalled.push(r);
    }

    /// Forgets what was recalled.
    pub(crate) fn forget_recalled(&mut self) {
        self.recalled.clear();
    }

    /// Takes out of memory every closed record whose retention window began before
    /// `threshold`. Journaled only when `journaled` (else whoever keeps what left brings
    /// it back after a rolled-back batch: [`RecordBook::restore`]), so that no record is
    /// copied on its way out.
    pub(crate) fn evict(&mut self, threshold: Timestamp, journaled: bool) -> Vec<R> {
        let due = self.closed.take_due(threshold);
        let mut out = Vec::with_capacity(due.len());
        for id in due {
            if let Some(r) = self.records.remove(&id) {
                if let Some(journal) = &mut self.journal {
                    journal.push(if journaled {
                        Change::Set(id, Some(r.clone()))
                    } else {
                        Change::Left(id)
                    });
                }
                out.push(r);
            }
        }
        out
    }

    /// Brings back a record that left memory unjournaled in a batch rolled back, once the
    /// journal is undone (not journaled itself).
    pub(crate) fn restore(&mut self, r: R) {
        let journal = self.journal.take();
        self.set(r.id().to_owned(), Some(r));
        self.journal = journal;
    }

    /// How many closed records are in memory.
    pub(crate) fn closed_in_memory(&self) -> usize {
        self.closed.len()
    }

    /// True when the record `id` is in memory or recalled for the command at hand.
    pub(crate) fn contains(&self, id: &str) -> bool {
        self.get(id).is_some()
    }

    /// True when the record `id` is in memory (recalled ones are not).
    pub(crate) fn in_memory(&self, id: &str) -> bool {
        self.records.contains_key(id)
    }

    /// Every record in memory, by id.
    pub(crate) fn values(&self) -> impl Iterator<Item = &R> {
        self.records.values()
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
            if let Change::Set(id, before) = journal.pop().expect("len > mark") {
                self.set(id, before);
            }
        }
        self.journal = Some(journal);
    }

    /// Stops recording and hands over the journal.
    pub(crate) fn take_journal(&mut self) -> Vec<Change<R>> {
        self.journal.take().unwrap_or_default()
    }

    /// Brings this copy up to date with `fresh`, a copy that made the changes `journal`
    /// lists from the same start: each record a change names is copied over, once.
    pub(crate) fn catch_up(&mut self, fresh: &RecordBook<R>, journal: &[Change<R>]) {
        let mut seen = std::collections::HashSet::with_capacity(journal.len());
        for change in journal.iter().rev() {
            let id = change.id();
            if seen.insert(id) {
                self.set(id.to_owned(), fresh.records.get(id).cloned());
            }
        }
    }

    /// Replaces (or, with `None`, removes) the record `id`.
    pub(crate) fn set(&mut self, id: String, record: Option<R>) {
        let old = match record {
            Some(r) => self.records.insert(id.clone(), r),
            None => self.records.remove(&id),
        };
        let now_closed = self.records.get(&id).and_then(R::closed_since);
        self.closed
            .update(&id, old.as_ref().and_then(R::closed_since), now_closed);
        if let Some(journal) = &mut self.journal {
            journal.push(Change::Set(id, old));
        }
    }

    /// The part of the book a snapshot stores.
    pub(crate) fn to_image(&self) -> Vec<R::Stored> {
        self.records.values().map(FromPublic::from_public).collect()
    }

    /// The book a snapshot stored.
    pub(crate) fn from_image(image: Vec<R::Stored>) -> RecordBook<R> {
        let mut book = RecordBook::default();
        for stored in image {
            let r: R = stored.into_public();
            book.set(r.id().to_owned(), Some(r));
        }
        book
    }
}

/// Equality of the book itself; the undo journal and what was recalled are bookkeeping.
impl<R: PartialEq> PartialEq for RecordBook<R> {
    fn eq(&self, other: &Self) -> bool {
        self.records == other.records && self.closed == other.closed
    }
}

impl<R: Eq> Eq for RecordBook<R> {}
