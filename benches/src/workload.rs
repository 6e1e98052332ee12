//! The commands both engines run in the comparison, generated deterministically so that a
//! Stockbook file and a SQLite file built from the same seed hold the same ledger (the
//! harness checks that their answers agree before it compares their speed).

use stockbook::{Command, Issue, Item, Location, LocationKind, Receive, Transfer};

use crate::{bin_code, sku};

/// The site every bench bin belongs to.
pub const SITE: &str = "WH1";

/// A small, fast, seedable generator (splitmix64): enough for workloads, no dependency.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    /// A generator seeded with `seed`.
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (`n > 0`).
    pub fn below(&mut self, n: u64) -> u64 {
        assert!(n > 0, "below(0)");
        self.next_u64() % n
    }

    /// A number in `lo..=hi`.
    pub fn between(&mut self, lo: i64, hi: i64) -> i64 {
        assert!(lo <= hi, "between({lo}, {hi})");
        lo + self.below((hi - lo + 1) as u64) as i64
    }
}

/// One ledger command of a workload, in base units of an item with no decimals.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    /// Supplier → bin.
    Receive {
        /// Item index.
        sku: usize,
        /// Bin index.
        bin: usize,
        /// Units.
        qty: i64,
    },
    /// Bin → consumer.
    Issue {
        /// Item index.
        sku: usize,
        /// Bin index.
        bin: usize,
        /// Units.
        qty: i64,
    },
    /// Bin → bin.
    Transfer {
        /// Item index.
        sku: usize,
        /// Source bin index.
        from: usize,
        /// Destination bin index.
        to: usize,
        /// Units.
        qty: i64,
    },
    /// A soft reservation with a bin as its scope.
    Reserve {
        /// Item index.
        sku: usize,
        /// Bin index.
        bin: usize,
        /// Units.
        qty: i64,
    },
}

impl Op {
    /// The Stockbook command.
    pub fn command(&self) -> Command {
        match *self {
            Op::Receive { sku: s, bin, qty } => Receive::new(sku(s), bin_code(bin), qty).into(),
            Op::Issue { sku: s, bin, qty } => {
                Command::Issue(Issue::new(sku(s), bin_code(bin), qty))
            }
            Op::Transfer {
                sku: s,
                from,
                to,
                qty,
            } => Transfer::new(sku(s), bin_code(from), bin_code(to), qty).into(),
            Op::Reserve { sku: s, bin, qty } => {
                stockbook::orders::Reserve::new(sku(s), bin_code(bin), qty).into()
            }
        }
    }
}

/// The master data of a bench ledger: `items` SKUs (no decimals) and `bins` bins under
/// the site [`SITE`], as Stockbook commands (site first).
pub fn master_data(items: usize, bins: usize) -> Vec<Command> {
    let mut site = Location::new(SITE);
    site.kind = LocationKind::Site;
    let mut commands = vec![Command::DefineLocation(site)];
    for b in 0..bins {
        let mut bin = Location::new(bin_code(b));
        bin.parent = Some(SITE.into());
        commands.push(Command::DefineLocation(bin));
    }
    for i in 0..items {
        commands.push(Command::DefineItem(Item::new(sku(i))));
    }
    commands
}

/// The single-command mix of W1 and W2 (receive 5, transfer 1 to the next bin, issue 2, in
/// turn), spread over `skus` items and `bins` bins: never refused once every bin holds a
/// large opening stock.
pub fn cyclic_op(i: usize, skus: usize, bins: usize) -> Op {
    let (s, b) = (i % skus, (i / 3) % bins);
    match i % 3 {
        0 => Op::Receive {
            sku: s,
            bin: b,
            qty: 5,
        },
        1 => Op::Transfer {
            sku: s,
            from: b,
            to: (b + 1) % bins,
            qty: 1,
        },
        _ => Op::Issue {
            sku: s,
            bin: b,
            qty: 2,
        },
    }
}

/// An endless, always-valid stream of receipts (40 %), transfers (30 %), issues (25 %) and,
/// if enabled, reservations (5 %), over `skus` × `bins` balances that start empty. It keeps
/// its own copy of the balances, so it only ever takes what is available.
#[derive(Debug, Clone)]
pub struct Stream {
    rng: Rng,
    skus: usize,
    bins: usize,
    reserve: bool,
    on_hand: Vec<i64>,
    reserved: Vec<i64>,
}

impl Stream {
    /// A stream from `seed`; `reserve` mixes in reservations.
    pub fn new(seed: u64, skus: usize, bins: usize, reserve: bool) -> Stream {
        assert!(skus > 0 && bins > 1, "a stream needs items and two bins");
        Stream {
            rng: Rng::new(seed),
            skus,
            bins,
            reserve,
            on_hand: vec![0; skus * bins],
            reserved: vec![0; skus * bins],
        }
    }

    /// On hand of item `s` in bin `b` after the ops generated so far.
    pub fn on_hand(&self, s: usize, b: usize) -> i64 {
        self.on_hand[s * self.bins + b]
    }

    /// Reserved of item `s` in bin `b` after the ops generated so far.
    pub fn reserved(&self, s: usize, b: usize) -> i64 {
        self.reserved[s * self.bins + b]
    }

    fn available(&self, s: usize, b: usize) -> i64 {
        let k = s * self.bins + b;
        self.on_hand[k] - self.reserved[k]
    }
}

impl Iterator for Stream {
    type Item = Op;

    fn next(&mut self) -> Option<Op> {
        let s = self.rng.below(self.skus as u64) as usize;
        let b = self.rng.below(self.bins as u64) as usize;
        let roll = self.rng.below(100);
        let available = self.available(s, b);
        let k = s * self.bins + b;
        let op = if roll < 40 || available == 0 {
            let qty = self.rng.between(1, 20);
            self.on_hand[k] += qty;
            Op::Receive {
                sku: s,
                bin: b,
                qty,
            }
        } else if roll < 70 {
            let qty = self.rng.between(1, available.min(10));
            let to = (b + 1 + self.rng.below(self.bins as u64 - 1) as usize) % self.bins;
            self.on_hand[k] -= qty;
            self.on_hand[s * self.bins + to] += qty;
            Op::Transfer {
                sku: s,
                from: b,
                to,
                qty,
            }
        } else if roll < 95 || !self.reserve {
            let qty = self.rng.between(1, available.min(10));
            self.on_hand[k] -= qty;
            Op::Issue {
                sku: s,
                bin: b,
                qty,
            }
        } else {
            let qty = self.rng.between(1, available.min(5));
            self.reserved[k] += qty;
            Op::Reserve {
                sku: s,
                bin: b,
                qty,
            }
        };
        debug_assert!(self.on_hand[k] >= self.reserved[k]);
        Some(op)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_stream_never_takes_more_than_is_available() {
        let mut on_hand = vec![0i64; 20 * 3];
        let mut reserved = vec![0i64; 20 * 3];
        for op in Stream::new(7, 20, 3, true).take(50_000) {
            match op {
                Op::Receive { sku, bin, qty } => on_hand[sku * 3 + bin] += qty,
                Op::Issue { sku, bin, qty } => on_hand[sku * 3 + bin] -= qty,
                Op::Transfer { sku, from, to, qty } => {
                    assert_ne!(from, to);
                    on_hand[sku * 3 + from] -= qty;
                    on_hand[sku * 3 + to] += qty;
                }
                Op::Reserve { sku, bin, qty } => reserved[sku * 3 + bin] += qty,
            }
            assert!(
                on_hand
                    .iter()
                    .zip(&reserved)
                    .all(|(h, r)| h >= r && *r >= 0)
            );
        }
        assert!(
            reserved.iter().sum::<i64>() > 0,
            "reservations were mixed in"
        );
    }

    #[test]
    fn the_same_seed_gives_the_same_stream() {
        let a: Vec<Op> = Stream::new(3, 10, 4, false).take(1000).collect();
        let b: Vec<Op> = Stream::new(3, 10, 4, false).take(1000).collect();
        let c: Vec<Op> = Stream::new(4, 10, 4, false).take(1000).collect();
        assert_eq!(a, b);
        assert_ne!(a, c);
        assert!(a.iter().all(|op| !matches!(op, Op::Reserve { .. })));
    }
}
