//! Many threads against one engine: stock never goes negative, every acknowledged command
//! is counted exactly once, and readers only ever see committed states.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread;

use stockbook::{
    BalanceFilter, Command, Error, Event, Issue, Item, Location, LocationKind, Meta, MovementKind,
    Qty, Receive, Stockbook, Transfer,
};

const SKUS: &[&str] = &["S0", "S1", "S2", "S3"];
const STOCK: i64 = 1_000;
const THREADS: usize = 32;
const ISSUES_PER_THREAD: usize = 150;

/// A small deterministic generator per thread (xorshift).
struct Rng(u64);
impl Rng {
    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n
    }
}

fn issue_race(sb: &Stockbook) {
    for sku in SKUS {
        sb.define_item(Item::new(*sku)).unwrap();
    }
    sb.define_location(Location::new("BIN")).unwrap();
    for sku in SKUS {
        sb.receive(Receive::new(*sku, "BIN", STOCK)).unwrap();
    }
    let start_seq = sb.last_seq().unwrap();
    let handles: Vec<_> = (0..THREADS)
        .map(|t| {
            let sb = sb.clone();
            thread::spawn(move || {
                let mut rng = Rng(0x9E37_79B9_7F4A_7C15 ^ ((t as u64 + 1) * 0x2545_F491));
                // (sku index, qty, first_seq) of every acknowledged issue.
                let mut acked = Vec::new();
                let mut refused = 0u32;
                for n in 0..ISSUES_PER_THREAD {
                    let sku = rng.below(SKUS.len() as u64) as usize;
                    let qty = 1 + rng.below(25) as i64;
                    let meta = Meta::new().correlation(format!("t{t}-{n}"));
                    match sb.execute(Command::Issue(Issue::new(SKUS[sku], "BIN", qty)), meta) {
                        Ok(r) => {
                            assert_eq!(r.first_seq, r.last_seq);
                            acked.push((sku, qty, r.first_seq));
                        }
                        Err(Error::InsufficientStock {
                            sku: s,
                            requested,
                            available,
                            ..
                        }) => {
                            assert_eq!(s, SKUS[sku]);
                            assert_eq!(requested, qty.to_string());
                            let available: i64 = available.parse().unwrap();
                            assert!(available < qty, "refused {qty} with {available} there");
                            assert!(available >= 0);
                            refused += 1;
                        }
                        Err(other) => panic!("unexpected error {}: {other}", other.code()),
                    }
                }
                (acked, refused)
            })
        })
        .collect();
    let mut acked_by_sku = [0i64; 4];
    let mut acked_seqs = BTreeSet::new();
    let mut refusals = 0;
    for h in handles {
        let (acked, refused) = h.join().unwrap();
        refusals += refused;
        for (sku, qty, seq) in acked {
            acked_by_sku[sku] += qty;
            assert!(
                acked_seqs.insert(seq),
                "two acknowledgements share seq {seq}"
            );
        }
    }
    assert!(refusals > 0, "the race never ran out of stock: not a race");
    for (i, sku) in SKUS.iter().enumerate() {
        let on_hand = sb.on_hand(sku, "BIN").unwrap();
        assert_eq!(on_hand, Qty::from_int(STOCK - acked_by_sku[i]), "{sku}");
        assert!(on_hand >= Qty::ZERO, "{sku} went negative: {on_hand}");
        assert_eq!(
            sb.on_hand(sku, "@customer").unwrap(),
            Qty::from_int(acked_by_sku[i])
        );
    }
    // The log holds exactly the acknowledged issues, once each, with their quantities.
    let mut logged_by_sku: BTreeMap<String, i64> = BTreeMap::new();
    let mut logged_seqs = BTreeSet::new();
    for env in sb.events_iter(start_seq + 1) {
        let env = env.unwrap();
        match &env.event {
            Event::Moved(m) if m.kind == MovementKind::Issue => {
                *logged_by_sku.entry(m.sku.clone()).or_default() += m.qty.units();
                logged_seqs.insert(env.seq);
            }
            other => panic!("unexpected event {other:?}"),
        }
    }
    assert_eq!(logged_seqs, acked_seqs);
    for (i, sku) in SKUS.iter().enumerate() {
        assert_eq!(
            logged_by_sku.get(*sku).copied().unwrap_or(0),
            acked_by_sku[i]
        );
    }
    let report = sb.verify().unwrap();
    assert!(report.is_sound(), "{:?}", report.problems);
}

#[test]
fn thirty_two_threads_never_drive_stock_negative() {
    issue_race(&Stockbook::in_memory().unwrap());
}

#[test]
fn thirty_two_threads_on_a_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("race.stockbook");
    let sb = Stockbook::open(&path).unwrap();
    issue_race(&sb);
    let balances = sb.balances(&BalanceFilter::default()).unwrap();
    sb.close().unwrap();
    let again = Stockbook::open(&path).unwrap();
    assert_eq!(again.balances(&BalanceFilter::default()).unwrap(), balances);
    assert!(again.verify().unwrap().is_sound());
}

/// Writers on clones of one handle; readers on other clones at the same time. A reader
/// sees only committed states:
/// - `GROW` only ever receives, in sizes whose running sums are sparse, so every value a
///   reader sees must be one of the log's prefix sums, and never less than the last one it saw;
/// - `SWAP` moves between two bins of one site: the site's total never changes;
/// - `PING` is received and issued: it is never negative.
#[test]
fn readers_see_only_committed_prefixes() {
    let sb = Stockbook::in_memory().unwrap();
    for sku in ["GROW", "SWAP", "PING"] {
        sb.define_item(Item::new(sku)).unwrap();
    }
    let mut site = Location::new("SITE");
    site.kind = LocationKind::Site;
    sb.define_location(site).unwrap();
    for bin in ["SITE/A", "SITE/B"] {
        let mut loc = Location::new(bin);
        loc.parent = Some("SITE".into());
        sb.define_location(loc).unwrap();
    }
    sb.receive(Receive::new("SWAP", "SITE/A", 500)).unwrap();
    let start_seq = sb.last_seq().unwrap();

    let done = Arc::new(AtomicBool::new(false));
    let readers: Vec<_> = (0..3)
        .map(|_| {
            let sb = sb.clone();
            let done = Arc::clone(&done);
            thread::spawn(move || {
                let mut seen_grow = Vec::new();
                let mut last = Qty::ZERO;
                let mut reads = 0u64;
                while !done.load(Ordering::Acquire) || reads < 100 {
                    let grow = sb.on_hand("GROW", "SITE").unwrap();
                    assert!(grow >= last, "GROW went back from {last} to {grow}");
                    last = grow;
                    seen_grow.push(grow.units());
                    let swap = sb.on_hand("SWAP", "SITE").unwrap();
                    assert_eq!(swap, Qty::from_int(500), "a torn transfer was visible");
                    let ping = sb.on_hand("PING", "SITE/A").unwrap();
                    assert!(ping >= Qty::ZERO, "PING went negative: {ping}");
                    reads += 1;
                    thread::yield_now();
                }
                seen_grow
            })
        })
        .collect();
    let writers: Vec<_> = (0..12)
        .map(|w| {
            let sb = sb.clone();
            thread::spawn(move || {
                let mut rng = Rng(0xD1B5_4A32_D192_ED03 ^ ((w as u64 + 7) * 0x9E37_79B9));
                for n in 0..120u64 {
                    match rng.below(3) {
                        0 => {
                            // Sizes up to 10^6 make accidental prefix sums unlikely.
                            let qty = 1 + rng.below(1_000_000) as i64;
                            sb.receive(Receive::new("GROW", "SITE/A", qty)).unwrap();
                        }
                        1 => {
                            let (from, to) = if n % 2 == 0 {
                                ("SITE/A", "SITE/B")
                            } else {
                                ("SITE/B", "SITE/A")
                            };
                            let result = sb.transfer_stock(Transfer::new(
                                "SWAP",
                                from,
                                to,
                                Qty::from_int(1 + rng.below(60) as i64),
                            ));
                            if let Err(e) = result {
                                assert_eq!(e.code(), "insufficient_stock", "{e}");
                            }
                        }
                        _ => {
                            let qty = 1 + rng.below(5) as i64;
                            if rng.below(2) == 0 {
                                sb.receive(Receive::new("PING", "SITE/A", qty)).unwrap();
                            } else if let Err(e) = sb.issue(Issue::new("PING", "SITE/A", qty)) {
                                assert_eq!(e.code(), "insufficient_stock", "{e}");
                            }
                        }
                    }
                }
            })
        })
        .collect();
    for w in writers {
        w.join().unwrap();
    }
    done.store(true, Ordering::Release);
    let seen: Vec<Vec<i64>> = readers.into_iter().map(|r| r.join().unwrap()).collect();

    // Every committed prefix sum of GROW, from the log.
    let mut prefixes = BTreeSet::from([0i64]);
    let mut running = 0i64;
    for env in sb.events_iter(start_seq + 1) {
        if let Event::Moved(m) = env.unwrap().event
            && m.sku == "GROW"
        {
            running += m.qty.units();
            prefixes.insert(running);
        }
    }
    assert_eq!(sb.on_hand("GROW", "SITE").unwrap(), Qty::from_int(running));
    let mut distinct = BTreeSet::new();
    for values in &seen {
        for v in values {
            assert!(
                prefixes.contains(v),
                "a reader saw {v}, which no committed prefix holds"
            );
            distinct.insert(*v);
        }
    }
    assert!(
        distinct.len() > 1,
        "the readers never saw the writers' progress"
    );
    let report = sb.verify().unwrap();
    assert!(report.is_sound(), "{:?}", report.problems);
}
