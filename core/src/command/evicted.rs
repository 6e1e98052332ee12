//! The ids of the closed records that left memory for the store's `closed` table, kept by
//! the writer as 64-bit hashes, per kind: a command that names a record not in memory
//! reads the table only when the id's hash is there.
//!
//! The set answers "maybe" or "certainly not": an id whose hash is absent never left
//! memory (no table read); a hash that is present sends the command to the table, which
//! answers exactly (two ids sharing a hash cost one read more, never a wrong answer).
//! So the set may hold more than the table (a hash stays when its record comes back into
//! memory, or when the group or batch that took it out is undone), never less: every id
//! the table holds, or the writer owes it, has its hash here.
//!
//! It is the writer's alone, bookkeeping beside its state (see
//! [`super::state::State::take_bookkeeping`]): readers, replays and snapshots never see
//! it. It starts out knowing nothing of what earlier sessions moved out ([`Evicted::new`]
//! with `loaded` false) and reads the table's keys the first time a command needs it, in
//! the writer's transaction ([`Evicted::load`]).
//!
//! A generated reservation id, `RS-<seq>`, is named after the sequence number its command
//! takes, so it never equals an earlier generated one; only an id given by a caller in the
//! same shape can equal it. The set keeps the greatest such number among reservations that
//! left memory, so that a generated id beyond it is known new without a look-up.

use std::collections::HashSet;
use std::hash::{BuildHasher, BuildHasherDefault, Hasher};

use crate::store::schema::ClosedKind;

/// A hasher for values that are hashes already: it passes a `u64` through.
#[derive(Debug, Default, Clone, Copy)]
struct Prehashed(u64);

impl Hasher for Prehashed {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        // Only `u64`s are written; any other bytes still hash soundly.
        for &b in bytes {
            self.0 = self.0.rotate_left(8) ^ u64::from(b);
        }
    }

    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

/// A set of hashes, hashed by themselves.
type Hashes = HashSet<u64, BuildHasherDefault<Prehashed>>;

/// The writer's set of the ids that left memory: see the module's documentation.
#[derive(Debug, Default, Clone)]
pub(crate) struct Evicted {
    /// Per kind (indexed by `ClosedKind as usize`): the hashes of the ids.
    hashes: [Hashes; 3],
    /// Hashes ids: seeded at random per set, so that ids cannot be chosen to collide.
    hasher: foldhash::fast::RandomState,
    /// Whether the table's keys have been read in (else the set knows only what left
    /// memory since it was made).
    loaded: bool,
    /// The greatest `n` of a reservation id `RS-<n>` (canonical decimal) in the set.
    generated_max: Option<u64>,
}

impl Evicted {
    /// An empty set; `loaded` says whether the table is known to hold nothing (else its
    /// keys are read in when a command first needs them: [`Evicted::load`]).
    pub(crate) fn new(loaded: bool) -> Evicted {
        Evicted {
            loaded,
            ..Evicted::default()
        }
    }

    /// Whether the table's keys are in the set.
    pub(crate) fn is_loaded(&self) -> bool {
        self.loaded
    }

    /// Reads in the table's keys: `scan` calls its argument with every (kind, id) the
    /// table holds. Until it succeeds, the set counts as not loaded (what it read stays:
    /// more is never wrong).
    pub(crate) fn load(
        &mut self,
        scan: impl FnOnce(&mut dyn FnMut(ClosedKind, &str)) -> crate::error::Result<()>,
    ) -> crate::error::Result<()> {
        scan(&mut |kind, id| self.insert(kind, id))?;
        self.loaded = true;
        Ok(())
    }

    /// The record `id` of `kind` left memory (or is in the table).
    pub(crate) fn insert(&mut self, kind: ClosedKind, id: &str) {
        let hash = self.hash(id);
        self.hashes[kind as usize].insert(hash);
        if kind == ClosedKind::Reservation
            && let Some(n) = generated_number(id)
        {
            self.generated_max = Some(self.generated_max.map_or(n, |m| m.max(n)));
        }
    }

    /// False when the record `id` of `kind` certainly never left memory (as far as the set
    /// is loaded: see [`Evicted::is_loaded`]); true when the table must answer.
    pub(crate) fn may_hold(&self, kind: ClosedKind, id: &str) -> bool {
        let set = &self.hashes[kind as usize];
        !set.is_empty() && set.contains(&self.hash(id))
    }

    /// False when no reservation that left memory can have the generated id of sequence
    /// `seq` (`RS-<seq>`): no caller's id of that shape reaches `seq`.
    pub(crate) fn may_hold_generated(&self, seq: u64) -> bool {
        self.generated_max.is_some_and(|max| max >= seq)
    }

    /// How many hashes the set holds (ids sharing a hash count once).
    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        self.hashes.iter().map(HashSet::len).sum()
    }

    /// The bytes the set takes on the heap, about: each table's buckets (a hash and a
    /// control byte each, plus a group of control bytes).
    #[cfg(test)]
    pub(crate) fn heap_bytes(&self) -> usize {
        self.hashes
            .iter()
            .filter(|set| set.capacity() > 0)
            .map(|set| {
                // hashbrown keeps at most 7/8 of its buckets full, a power of two of them.
                let buckets = (set.capacity() * 8 / 7).next_power_of_two();
                buckets * (std::mem::size_of::<u64>() + 1) + 16
            })
            .sum()
    }

    fn hash(&self, id: &str) -> u64 {
        self.hasher.hash_one(id)
    }
}

/// The `n` of an id `RS-<n>` written as a generated one is (`n` in canonical decimal).
pub(crate) fn generated_number(id: &str) -> Option<u64> {
    let digits = id.strip_prefix("RS-")?;
    let canonical = !digits.is_empty()
        && digits.bytes().all(|b| b.is_ascii_digit())
        && (digits == "0" || !digits.starts_with('0'));
    if !canonical {
        return None;
    }
    digits.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_canonical_generated_ids_count() {
        assert_eq!(generated_number("RS-0"), Some(0));
        assert_eq!(generated_number("RS-17"), Some(17));
        assert_eq!(generated_number("RS-017"), None, "never generated");
        assert_eq!(generated_number("RS-"), None);
        assert_eq!(generated_number("RS-1a"), None);
        assert_eq!(generated_number("RS-+1"), None);
        assert_eq!(generated_number("rs-1"), None);
        assert_eq!(
            generated_number("RS-99999999999999999999"),
            None,
            "beyond u64"
        );
        assert_eq!(generated_number("O-1-L1-R5"), None);
    }

    #[test]
    fn an_id_left_is_found_and_an_id_never_left_almost_never() {
        let mut set = Evicted::new(true);
        assert!(!set.may_hold(ClosedKind::Order, "O-1"));
        for i in 0..10_000 {
            set.insert(ClosedKind::Order, &format!("O-{i}"));
        }
        for i in 0..10_000 {
            assert!(set.may_hold(ClosedKind::Order, &format!("O-{i}")));
            // Per kind: the same id of another kind is not there.
            assert!(!set.may_hold(ClosedKind::Reservation, &format!("O-{i}")));
        }
        let false_hits = (10_000..1_010_000)
            .filter(|i| set.may_hold(ClosedKind::Order, &format!("O-{i}")))
            .count();
        assert_eq!(false_hits, 0, "a 64-bit hash: about 2^-50 per look-up");
        assert_eq!(set.len(), 10_000);
    }

    #[test]
    fn generated_ids_beyond_every_callers_id_of_their_shape_need_no_look_up() {
        let mut set = Evicted::new(true);
        assert!(!set.may_hold_generated(1));
        set.insert(ClosedKind::Reservation, "R-12");
        set.insert(ClosedKind::Order, "RS-50");
        assert!(!set.may_hold_generated(1), "neither shape nor kind");
        set.insert(ClosedKind::Reservation, "RS-40");
        set.insert(ClosedKind::Reservation, "RS-7");
        assert!(set.may_hold_generated(40));
        assert!(set.may_hold_generated(3));
        assert!(!set.may_hold_generated(41));
    }

    #[test]
    fn loading_reads_every_key_and_a_failed_load_stays_unloaded() {
        let mut set = Evicted::new(false);
        assert!(!set.is_loaded());
        let failed = set.load(|f| {
            f(ClosedKind::PurchaseOrder, "P-1");
            Err(crate::error::Error::storage_msg("lost"))
        });
        assert!(failed.is_err());
        assert!(!set.is_loaded());
        set.load(|f| {
            f(ClosedKind::PurchaseOrder, "P-1");
            f(ClosedKind::PurchaseOrder, "P-2");
            Ok(())
        })
        .unwrap();
        assert!(set.is_loaded());
        assert!(set.may_hold(ClosedKind::PurchaseOrder, "P-2"));
        assert_eq!(set.len(), 2);
    }

    /// The memory the set takes per id, reported by `cargo test -- --nocapture`.
    #[test]
    fn the_set_takes_a_few_bytes_per_id() {
        let mut set = Evicted::new(true);
        for n in [100_000usize, 1_000_000] {
            while set.len() < n {
                let i = set.len();
                set.insert(ClosedKind::Order, &format!("O-{i:07}"));
            }
            let per_id = set.heap_bytes() as f64 / n as f64;
            println!("{n} ids: {} bytes, {per_id:.1} per id", set.heap_bytes());
            assert!(per_id <= 2.0 * 9.0 * 8.0 / 7.0 + 1.0, "{per_id}");
        }
    }
}
