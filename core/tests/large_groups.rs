//! Large commit groups beside single commands. A group's point-in-time index rows and
//! history pairs stay in memory until their block is complete, then are folded into the
//! tables a share per group. Whatever mix of batch sizes and concurrent single commands the
//! writer groups, and wherever folding stands, the file and memory together must hold
//! exactly what one thread would have written: `verify()` rebuilds the index from the log
//! and compares, and on-hand at past effective times and by sequence must equal a tally of
//! the movements, before and after reopening.

use std::collections::HashMap;
use std::thread;

use stockbook::*;

const ITEMS: usize = 40;
/// Events per index block of the file: small, so that the run folds several blocks.
const BLOCK: u64 = 1_000;
const BINS: usize = 4;
const DAY_MS: i64 = 86_400_000;
/// 2025-01-01T00:00:00Z: the batches' business times lie around it, well before now.
const T0: i64 = 1_735_689_600_000;

fn item(i: usize) -> String {
    format!("I{i:02}")
}

fn bin(b: usize) -> String {
    format!("WH/B{b}")
}

/// A small deterministic generator (SplitMix64).
struct Mix(u64);

impl Mix {
    fn below(&mut self, n: u64) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        (z ^ (z >> 31)) % n
    }
}

/// One signed change of (item, bin) at a business time (`None`: now).
type Change = (usize, usize, Option<i64>, i64);

fn on_hand_by_tally(changes: &[Change], i: usize, b: usize, until: Option<i64>) -> i64 {
    changes
        .iter()
        .filter(|(ci, cb, at, _)| {
            *ci == i && *cb == b && until.is_none_or(|t| at.is_some_and(|at| at <= t))
        })
        .map(|c| c.3)
        .sum()
}

/// Every item's history, read in pages of 100, is the log's events of that item in order.
/// (The run spans several blocks, so part of it has been folded.)
fn check_history(sb: &Stockbook) {
    assert!(sb.last_seq().unwrap() > 4 * BLOCK);
    let mut by_item: HashMap<String, Vec<u64>> = HashMap::new();
    for env in sb.events_iter(1) {
        let env = env.unwrap();
        if let Some(sku) = env.event.sku() {
            by_item.entry(sku.to_owned()).or_default().push(env.seq);
        }
    }
    for i in 0..ITEMS {
        let mut seen = Vec::new();
        let mut from = 1;
        loop {
            let page = sb.history(&item(i), from, 100).unwrap();
            let Some(last) = page.last() else { break };
            from = last.seq + 1;
            seen.extend(page.iter().map(|e| e.seq));
        }
        assert_eq!(seen, by_item[&item(i)], "history of {}", item(i));
    }
}

/// On hand by sequence, at points in folded blocks, at block edges and in memory, equals
/// the log's movements up to each point.
fn check_by_sequence(sb: &Stockbook) {
    let last = sb.last_seq().unwrap();
    let points = [
        500,
        2_000,
        4 * BLOCK - 1,
        4 * BLOCK,
        4 * BLOCK + 200,
        last - 3,
        last,
    ];
    let mut expected: HashMap<(u64, String, String), i64> = HashMap::new();
    let mut running: HashMap<(String, String), i64> = HashMap::new();
    let mut next = 0;
    for env in sb.events_iter(1) {
        let env = env.unwrap();
        while next < points.len() && points[next] < env.seq {
            for ((sku, at), units) in &running {
                expected.insert((points[next], sku.clone(), at.clone()), *units);
            }
            next += 1;
        }
        if let Event::Moved(m) = &env.event {
            let units = m.qty.units();
            *running.entry((m.sku.clone(), m.from.clone())).or_default() -= units;
            *running.entry((m.sku.clone(), m.to.clone())).or_default() += units;
        }
    }
    for point in &points[next..] {
        for ((sku, at), units) in &running {
            expected.insert((*point, sku.clone(), at.clone()), *units);
        }
    }
    for point in points {
        for i in 0..ITEMS {
            for b in 0..BINS {
                let want = expected
                    .get(&(point, item(i), bin(b)))
                    .copied()
                    .unwrap_or(0);
                assert_eq!(
                    sb.on_hand_at(&item(i), &bin(b), AsOf::Seq(point)).unwrap(),
                    Qty::from_int(want),
                    "{} at {} as of seq {point}",
                    item(i),
                    bin(b)
                );
            }
        }
    }
}

fn check(sb: &Stockbook, changes: &[Change]) {
    let report = sb.verify().unwrap();
    assert!(report.is_sound(), "{report:?}");
    check_history(sb);
    check_by_sequence(sb);
    let times = [1, 6, 12, 26, 33, 45, 70].map(|d| T0 + d * DAY_MS);
    for i in 0..ITEMS {
        let mut site_now = 0;
        for b in 0..BINS {
            let now = on_hand_by_tally(changes, i, b, None);
            site_now += now;
            assert_eq!(
                sb.on_hand(&item(i), &bin(b)).unwrap(),
                Qty::from_int(now),
                "{} at {}",
                item(i),
                bin(b)
            );
            for t in times {
                assert_eq!(
                    sb.on_hand_at(&item(i), &bin(b), AsOf::Time(t)).unwrap(),
                    Qty::from_int(on_hand_by_tally(changes, i, b, Some(t))),
                    "{} at {} as of {t}",
                    item(i),
                    bin(b)
                );
            }
        }
        assert_eq!(sb.on_hand(&item(i), "WH").unwrap(), Qty::from_int(site_now));
        let site_then: i64 = (0..BINS)
            .map(|b| on_hand_by_tally(changes, i, b, Some(times[3])))
            .sum();
        assert_eq!(
            sb.on_hand_at(&item(i), "WH", AsOf::Time(times[3])).unwrap(),
            Qty::from_int(site_then)
        );
    }
}

#[test]
fn large_batches_and_concurrent_singles_land_as_one_writer_would_write_them() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("large.sb");
    let options = Options {
        index_block_events: BLOCK,
        ..Options::default()
    };
    let sb = Stockbook::open_with(&path, options).unwrap();
    let mut site = Location::new("WH");
    site.kind = LocationKind::Site;
    sb.define_location(site).unwrap();
    for b in 0..BINS {
        let mut l = Location::new(bin(b));
        l.parent = Some("WH".into());
        sb.define_location(l).unwrap();
    }
    for i in 0..ITEMS {
        sb.define_item(Item::new(item(i))).unwrap();
    }

    let mut rng = Mix(7);
    let mut balance: HashMap<(usize, usize), i64> = HashMap::new();
    let mut changes: Vec<Change> = Vec::new();
    // Business days of the six batches: in order, then two entered late.
    let days = [10, 20, 30, 40, 5, 25];
    // Single receipts from four threads run while the batches are written, so that the
    // writer groups them with batches and with each other.
    let singles = thread::scope(|scope| {
        let workers: Vec<_> = (0..4)
            .map(|t| {
                let sb = sb.clone();
                scope.spawn(move || {
                    let mut mine = Vec::new();
                    for k in 0..60 {
                        let (i, b) = ((t * 13 + k * 7) % ITEMS, (t + k) % BINS);
                        sb.receive(Receive::new(item(i), bin(b), 2)).unwrap();
                        mine.push((i, b, None, 2));
                    }
                    mine
                })
            })
            .collect();
        for day in days {
            let at = T0 + day * DAY_MS;
            let mut commands = Vec::new();
            let mut batch_changes = Vec::new();
            for _ in 0..700 {
                let (i, b) = (
                    rng.below(ITEMS as u64) as usize,
                    rng.below(BINS as u64) as usize,
                );
                let have = balance.get(&(i, b)).copied().unwrap_or(0);
                if have >= 3 && rng.below(2) == 0 {
                    let to = (b + 1) % BINS;
                    commands.push(Command::Transfer(Transfer::new(
                        item(i),
                        bin(b),
                        bin(to),
                        Qty::from_int(3),
                    )));
                    *balance.entry((i, b)).or_default() -= 3;
                    *balance.entry((i, to)).or_default() += 3;
                    batch_changes.push((i, b, Some(at), -3));
                    batch_changes.push((i, to, Some(at), 3));
                } else {
                    let qty = rng.below(9) as i64 + 1;
                    commands.push(Receive::new(item(i), bin(b), qty).into());
                    *balance.entry((i, b)).or_default() += qty;
                    batch_changes.push((i, b, Some(at), qty));
                }
            }
            let meta = Meta {
                effective_at: Some(at),
                ..Meta::default()
            };
            let receipts = sb.execute_batch(commands, meta).unwrap();
            assert_eq!(receipts.len(), 700);
            changes.extend(batch_changes);
        }
        workers
            .into_iter()
            .flat_map(|w| w.join().unwrap())
            .collect::<Vec<_>>()
    });
    changes.extend(singles);

    check(&sb, &changes);
    sb.close().unwrap();
    // Reopened with the default options: the file keeps its own block length.
    let sb = Stockbook::open(&path).unwrap();
    check(&sb, &changes);
}
