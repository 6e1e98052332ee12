//! Maps keyed by two or three codes (sku, location, lot) that look up by `&str`.
//!
//! A flat map keyed by a tuple of `String`s must allocate the tuple for every lookup; the
//! hot path of the writer looks balances up several times per command. Nested maps borrow
//! each level as `&str`, allocate only when a key is new, and drop empty levels so that
//! equal contents compare equal.

use compact_str::CompactString;

use crate::collections::HashMap;

/// (a, b) → V.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Map2<V>(HashMap<CompactString, HashMap<CompactString, V>>);

impl<V> Default for Map2<V> {
    fn default() -> Self {
        Map2(HashMap::default())
    }
}

impl<V: Copy> Map2<V> {
    pub(crate) fn get(&self, a: &str, b: &str) -> Option<V> {
        self.0.get(a)?.get(b).copied()
    }

    /// Sets or removes (a, b); returns the old value.
    pub(crate) fn set(&mut self, a: &str, b: &str, value: Option<V>) -> Option<V> {
        match value {
            Some(v) => match self.0.get_mut(a) {
                Some(inner) => match inner.get_mut(b) {
                    Some(slot) => Some(std::mem::replace(slot, v)),
                    None => inner.insert(b.into(), v),
                },
                None => {
                    self.0.entry(a.into()).or_default().insert(b.into(), v);
                    None
                }
            },
            None => {
                let inner = self.0.get_mut(a)?;
                let old = inner.remove(b);
                if inner.is_empty() {
                    self.0.remove(a);
                }
                old
            }
        }
    }
}

impl Map2<i64> {
    /// Adds `delta` to a counter, removing it at zero. One descent when the counter
    /// exists and stays non-zero (the common case on the write path).
    pub(crate) fn add(&mut self, a: &str, b: &str, delta: i64) {
        if delta == 0 {
            return;
        }
        if let Some(slot) = self.0.get_mut(a).and_then(|inner| inner.get_mut(b)) {
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
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Map3<V>(
    HashMap<CompactString, HashMap<CompactString, HashMap<CompactString, V>>>,
);

impl<V> Default for Map3<V> {
    fn default() -> Self {
        Map3(HashMap::default())
    }
}

impl<V: Copy> Map3<V> {
    pub(crate) fn get(&self, a: &str, b: &str, c: &str) -> Option<V> {
        self.0.get(a)?.get(b)?.get(c).copied()
    }

    /// Sets or removes (a, b, c); returns the old value.
    pub(crate) fn set(&mut self, a: &str, b: &str, c: &str, value: Option<V>) -> Option<V> {
        match value {
            Some(v) => {
                let level = match self.0.get_mut(a) {
                    Some(level) => level,
                    None => self.0.entry(a.into()).or_default(),
                };
                let inner = match level.get_mut(b) {
                    Some(inner) => inner,
                    None => level.entry(b.into()).or_default(),
                };
                match inner.get_mut(c) {
                    Some(slot) => Some(std::mem::replace(slot, v)),
                    None => inner.insert(c.into(), v),
                }
            }
            None => {
                let level = self.0.get_mut(a)?;
                let inner = level.get_mut(b)?;
                let old = inner.remove(c);
                if inner.is_empty() {
                    level.remove(b);
                    if level.is_empty() {
                        self.0.remove(a);
                    }
                }
                old
            }
        }
    }

    /// The (c, value) entries under (a, b).
    pub(crate) fn under<'s>(&'s self, a: &str, b: &str) -> impl Iterator<Item = (&'s str, V)> {
        self.0
            .get(a)
            .and_then(|level| level.get(b))
            .into_iter()
            .flat_map(|inner| inner.iter().map(|(c, v)| (c.as_str(), *v)))
    }

    /// The (b, c, value) entries under `a`.
    pub(crate) fn of<'s>(&'s self, a: &str) -> impl Iterator<Item = (&'s str, &'s str, V)> {
        self.0.get(a).into_iter().flat_map(|level| {
            level
                .iter()
                .flat_map(|(b, inner)| inner.iter().map(move |(c, v)| (b.as_str(), c.as_str(), *v)))
        })
    }

    /// Every (a, b, c, value).
    pub(crate) fn iter(&self) -> impl Iterator<Item = (&str, &str, &str, V)> {
        self.0.iter().flat_map(|(a, level)| {
            level.iter().flat_map(move |(b, inner)| {
                inner
                    .iter()
                    .map(move |(c, v)| (a.as_str(), b.as_str(), c.as_str(), *v))
            })
        })
    }
}

impl Map3<i64> {
    /// Adds `delta` to a counter, removing it at zero; returns (old, new).
    pub(crate) fn add(&mut self, a: &str, b: &str, c: &str, delta: i64) -> (i64, i64) {
        // One descent when the counter exists and stays non-zero (the common case).
        if let Some(slot) = self
            .0
            .get_mut(a)
            .and_then(|level| level.get_mut(b))
            .and_then(|inner| inner.get_mut(c))
        {
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
}
