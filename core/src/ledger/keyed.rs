//! Maps keyed by two or three codes (sku, location, lot) that look up by `&str`.
//!
//! Each map is one flat hash table of entries that hold their codes inline
//! (`CompactString`: up to 24 bytes without a heap allocation), looked up by a hash of the
//! borrowed codes. A lookup touches one table slot, where nested maps (one per code) took a
//! cache miss per level: replaying the log spent more than half its time descending them.
//! A flat map keyed by a tuple of `String`s would instead allocate the tuple per lookup.
//!
//! [`Map3`] also keeps an index of the keys by their first two codes, for the questions
//! "every lot of this item at this location" and "every balance of this item"; the index
//! changes only when a key comes or goes, not when a value changes.

use std::hash::{BuildHasher, Hash, Hasher};

use compact_str::CompactString;
use hashbrown::HashTable;

use crate::collections::HashMap;

/// The hasher of every table here: foldhash, seeded per process.
#[derive(Clone, Default)]
struct Seed(foldhash::fast::RandomState);

impl Seed {
    fn hash(&self, codes: &[&str]) -> u64 {
        let mut h = self.0.build_hasher();
        // `str`'s `Hash` ends each code with a marker byte, so ("ab", "c") and ("a",
        // "bc") hash apart.
        for code in codes {
            code.hash(&mut h);
        }
        h.finish()
    }
}

impl std::fmt::Debug for Seed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Seed")
    }
}

/// One entry: its codes and its value.
#[derive(Debug, Clone)]
struct Entry<const N: usize, V> {
    codes: [CompactString; N],
    value: V,
}

impl<const N: usize, V> Entry<N, V> {
    fn is(&self, codes: &[&str; N]) -> bool {
        self.codes
            .iter()
            .zip(codes)
            .all(|(mine, code)| same(mine.as_bytes(), code.as_bytes()))
    }
}

/// Byte equality of two short codes, inline: a call to `memcmp` per code cost more than
/// the comparison itself.
#[inline]
fn same(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    let mut a8 = a.chunks_exact(8);
    let mut b8 = b.chunks_exact(8);
    for (x, y) in a8.by_ref().zip(b8.by_ref()) {
        if u64::from_ne_bytes(x.try_into().expect("8 bytes"))
            != u64::from_ne_bytes(y.try_into().expect("8 bytes"))
        {
            return false;
        }
    }
    a8.remainder()
        .iter()
        .zip(b8.remainder())
        .all(|(x, y)| x == y)
}

/// A flat table of entries keyed by `N` codes.
#[derive(Debug, Clone)]
struct Table<const N: usize, V> {
    seed: Seed,
    entries: HashTable<Entry<N, V>>,
}

impl<const N: usize, V> Default for Table<N, V> {
    fn default() -> Self {
        Table {
            seed: Seed::default(),
            entries: HashTable::new(),
        }
    }
}

impl<const N: usize, V: Copy + PartialEq> Table<N, V> {
    fn get(&self, codes: [&str; N]) -> Option<V> {
        let hash = self.seed.hash(&codes);
        self.entries.find(hash, |e| e.is(&codes)).map(|e| e.value)
    }

    fn get_mut(&mut self, codes: [&str; N]) -> Option<&mut V> {
        let hash = self.seed.hash(&codes);
        self.entries
            .find_mut(hash, |e| e.is(&codes))
            .map(|e| &mut e.value)
    }

    /// Sets or removes the entry; returns the old value.
    fn set(&mut self, codes: [&str; N], value: Option<V>) -> Option<V> {
        let hash = self.seed.hash(&codes);
        let seed = &self.seed;
        let found = self.entries.find_entry(hash, |e| e.is(&codes));
        match (found, value) {
            (Ok(mut slot), Some(v)) => Some(std::mem::replace(&mut slot.get_mut().value, v)),
            (Ok(slot), None) => Some(slot.remove().0.value),
            (Err(_), Some(v)) => {
                let entry = Entry {
                    codes: codes.map(CompactString::from),
                    value: v,
                };
                self.entries.insert_unique(hash, entry, |e| {
                    seed.hash(&e.codes.each_ref().map(CompactString::as_str))
                });
                None
            }
            (Err(_), None) => None,
        }
    }

    fn iter(&self) -> impl Iterator<Item = (&[CompactString; N], V)> {
        self.entries.iter().map(|e| (&e.codes, e.value))
    }

    fn len(&self) -> usize {
        self.entries.len()
    }

    /// Same entries with the same values, whatever the tables' layout.
    fn same_as(&self, other: &Self) -> bool {
        self.len() == other.len()
            && self
                .iter()
                .all(|(codes, v)| other.get(codes.each_ref().map(CompactString::as_str)) == Some(v))
    }
}

/// (a, b) → V.
#[derive(Debug, Clone)]
pub(crate) struct Map2<V>(Table<2, V>);

impl<V> Default for Map2<V> {
    fn default() -> Self {
        Map2(Table::default())
    }
}

impl<V: Copy + PartialEq> PartialEq for Map2<V> {
    fn eq(&self, other: &Self) -> bool {
        self.0.same_as(&other.0)
    }
}

impl<V: Copy + Eq> Eq for Map2<V> {}

impl<V: Copy + PartialEq> Map2<V> {
    pub(crate) fn get(&self, a: &str, b: &str) -> Option<V> {
        self.0.get([a, b])
    }

    /// Sets or removes (a, b); returns the old value.
    pub(crate) fn set(&mut self, a: &str, b: &str, value: Option<V>) -> Option<V> {
        self.0.set([a, b], value)
    }
}

impl Map2<i64> {
    /// Adds `delta` to a counter, removing it at zero. One lookup when the counter exists
    /// and stays non-zero (the common case on the write path).
    pub(crate) fn add(&mut self, a: &str, b: &str, delta: i64) {
        if delta == 0 {
            return;
        }
        if let Some(slot) = self.0.get_mut([a, b]) {
            let new = slot.saturating_add(delta);
            if new != 0 {
                *slot = new;
                return;
            }
        }
        let new = self.get(a, b).unwrap_or(0).saturating_add(delta);
        self.set(a, b, (new != 0).then_some(new));
    }
}

/// (a, b, c) → V. Iteration order is unspecified: callers sort what they show.
#[derive(Debug, Clone)]
pub(crate) struct Map3<V> {
    entries: Table<3, V>,
    /// a → b → every c of an entry (a, b, c).
    keys: HashMap<CompactString, HashMap<CompactString, Vec<CompactString>>>,
}

impl<V> Default for Map3<V> {
    fn default() -> Self {
        Map3 {
            entries: Table::default(),
            keys: HashMap::default(),
        }
    }
}

impl<V: Copy + PartialEq> PartialEq for Map3<V> {
    fn eq(&self, other: &Self) -> bool {
        // The key index follows from the entries.
        self.entries.same_as(&other.entries)
    }
}

impl<V: Copy + Eq> Eq for Map3<V> {}

impl<V: Copy + PartialEq> Map3<V> {
    pub(crate) fn get(&self, a: &str, b: &str, c: &str) -> Option<V> {
        self.entries.get([a, b, c])
    }

    /// Sets or removes (a, b, c); returns the old value.
    pub(crate) fn set(&mut self, a: &str, b: &str, c: &str, value: Option<V>) -> Option<V> {
        let is_some = value.is_some();
        let old = self.entries.set([a, b, c], value);
        match (old.is_some(), is_some) {
            (false, true) => self.index_add(a, b, c),
            (true, false) => self.index_remove(a, b, c),
            _ => {}
        }
        old
    }

    fn index_add(&mut self, a: &str, b: &str, c: &str) {
        let level = match self.keys.get_mut(a) {
            Some(level) => level,
            None => self.keys.entry(a.into()).or_default(),
        };
        match level.get_mut(b) {
            Some(lots) => lots.push(c.into()),
            None => {
                level.insert(b.into(), vec![c.into()]);
            }
        }
    }

    fn index_remove(&mut self, a: &str, b: &str, c: &str) {
        let Some(level) = self.keys.get_mut(a) else {
            return;
        };
        if let Some(lots) = level.get_mut(b) {
            lots.retain(|lot| lot != c);
            if lots.is_empty() {
                level.remove(b);
            }
        }
        if level.is_empty() {
            self.keys.remove(a);
        }
    }

    /// The (c, value) entries under (a, b).
    pub(crate) fn under<'s>(&'s self, a: &str, b: &str) -> impl Iterator<Item = (&'s str, V)> {
        // The index's own copies of the codes, which live as long as the map.
        let found = self
            .keys
            .get_key_value(a)
            .and_then(|(a, level)| level.get_key_value(b).map(|(b, lots)| (a, b, lots)));
        found.into_iter().flat_map(move |(a, b, lots)| {
            lots.iter().filter_map(move |c| {
                let v = self.entries.get([a, b, c])?;
                Some((c.as_str(), v))
            })
        })
    }

    /// The (b, c, value) entries under `a`.
    pub(crate) fn of<'s>(&'s self, a: &str) -> impl Iterator<Item = (&'s str, &'s str, V)> {
        self.keys
            .get_key_value(a)
            .into_iter()
            .flat_map(move |(a, level)| {
                level.iter().flat_map(move |(b, lots)| {
                    lots.iter().filter_map(move |c| {
                        let v = self.entries.get([a, b, c])?;
                        Some((b.as_str(), c.as_str(), v))
                    })
                })
            })
    }

    /// Every (a, b, c, value).
    pub(crate) fn iter(&self) -> impl Iterator<Item = (&str, &str, &str, V)> {
        self.entries
            .iter()
            .map(|([a, b, c], v)| (a.as_str(), b.as_str(), c.as_str(), v))
    }
}

impl Map3<i64> {
    /// Adds `delta` to a counter, removing it at zero; returns (old, new).
    pub(crate) fn add(&mut self, a: &str, b: &str, c: &str, delta: i64) -> (i64, i64) {
        // One lookup when the counter exists and stays non-zero (the common case).
        if let Some(slot) = self.entries.get_mut([a, b, c]) {
            let old = *slot;
            let new = old.saturating_add(delta);
            if new != 0 {
                *slot = new;
                return (old, new);
            }
        }
        let old = self.get(a, b, c).unwrap_or(0);
        let new = old.saturating_add(delta);
        if delta != 0 {
            self.set(a, b, c, (new != 0).then_some(new));
        }
        (old, new)
    }
}

#[cfg(test)]
mod tests {
    use super::{Map2, Map3};

    #[test]
    fn empty_levels_vanish_so_equal_contents_compare_equal() {
        let mut m = Map3::default();
        m.add("a", "b", "c", 5);
        m.add("a", "b", "c", -5);
        assert_eq!(m, Map3::default());
        assert!(m.keys.is_empty());
        m.add("a", "x", "", 2);
        m.add("a", "b", "l", 3);
        let mut rows = m.iter().collect::<Vec<_>>();
        rows.sort_unstable();
        assert_eq!(rows, vec![("a", "b", "l", 3), ("a", "x", "", 2)]);
        assert_eq!(m.under("a", "x").collect::<Vec<_>>(), vec![("", 2)]);
        let mut n = Map2::default();
        n.add("s", "n", 1);
        n.add("s", "n", -1);
        assert_eq!(n, Map2::default());
    }

    proptest::proptest! {
        /// Whatever the order of changes, the maps answer as a plain ordered map of the
        /// same changes: by key, under (a, b), under a, and as a whole.
        #[test]
        fn maps_answer_like_an_ordered_map(
            changes in proptest::collection::vec((0u8..4, 0u8..4, 0u8..3, -3i64..4), 0..200)
        ) {
            use std::collections::BTreeMap;
            let code = |n: u8, prefix: &str| if n == 0 { String::new() } else { format!("{prefix}{n}") };
            let mut m3 = Map3::default();
            let mut m2 = Map2::default();
            let mut want3: BTreeMap<(String, String, String), i64> = BTreeMap::new();
            let mut want2: BTreeMap<(String, String), i64> = BTreeMap::new();
            for (a, b, c, delta) in changes {
                let (a, b, c) = (code(a, "a"), code(b, "b"), code(c, "c"));
                let slot = want3.entry((a.clone(), b.clone(), c.clone())).or_default();
                let old = *slot;
                *slot += delta;
                proptest::prop_assert_eq!(m3.add(&a, &b, &c, delta), (old, old + delta));
                want3.retain(|_, v| *v != 0);
                m2.add(&a, &b, delta);
                *want2.entry((a, b)).or_default() += delta;
                want2.retain(|_, v| *v != 0);
            }
            let mut all: Vec<_> = m3.iter().map(|(a, b, c, v)| ((a.to_owned(), b.to_owned(), c.to_owned()), v)).collect();
            all.sort();
            proptest::prop_assert_eq!(all, want3.clone().into_iter().collect::<Vec<_>>());
            for a in 0..4 {
                let a = code(a, "a");
                let mut of: Vec<_> = m3.of(&a).map(|(b, c, v)| (b.to_owned(), c.to_owned(), v)).collect();
                of.sort();
                let want_of: Vec<_> = want3.iter().filter(|(k, _)| k.0 == a).map(|(k, v)| (k.1.clone(), k.2.clone(), *v)).collect();
                proptest::prop_assert_eq!(of, want_of);
                for b in 0..4 {
                    let b = code(b, "b");
                    let mut under: Vec<_> = m3.under(&a, &b).map(|(c, v)| (c.to_owned(), v)).collect();
                    under.sort();
                    let want_under: Vec<_> = want3.iter().filter(|(k, _)| k.0 == a && k.1 == b).map(|(k, v)| (k.2.clone(), *v)).collect();
                    proptest::prop_assert_eq!(under, want_under);
                    proptest::prop_assert_eq!(m2.get(&a, &b), want2.get(&(a.clone(), b.clone())).copied());
                }
            }
            // Rebuilt in another order, the maps compare equal.
            let mut again = Map3::default();
            for ((a, b, c), v) in want3.iter().rev() {
                again.add(a, b, c, *v);
            }
            proptest::prop_assert!(again == m3);
        }
    }
}
