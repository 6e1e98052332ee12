//! Hash maps for the engine's in-memory state and write path.
//!
//! The standard library's SipHash costs more than the rest of a balance update: a replay
//! of the log spent two fifths of its time hashing codes. foldhash is a fast,
//! randomly seeded hasher (the default of `hashbrown`); its seed differs per process, so
//! the tables' layout is not predictable from the codes alone.

/// A [`std::collections::HashMap`] with foldhash.
pub(crate) type HashMap<K, V> = std::collections::HashMap<K, V, foldhash::fast::RandomState>;

/// A [`std::collections::HashSet`] with foldhash.
pub(crate) type HashSet<T> = std::collections::HashSet<T, foldhash::fast::RandomState>;
