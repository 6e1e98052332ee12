//! Readers while the index folds. Every commit publishes a redb snapshot together with the
//! unfolded rows that go with it; a reader that paired a snapshot with the rows of another
//! commit would count a folded row twice or miss it. Writers commit receipts from several
//! threads into a file whose index blocks are 16 events long, so that nearly every commit
//! folds; readers meanwhile ask for on-hand by sequence, by business time and the per-item
//! history, and every answer is checked afterwards against the log.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread;

use stockbook::*;

const ITEMS: usize = 3;
const BINS: usize = 2;
const WRITERS: usize = 3;
const RECEIPTS: usize = 150;

fn item(i: usize) -> String {
    format!("I{i}")
}

fn bin(b: usize) -> String {
    format!("B{b}")
}

/// What a reader saw: as of `seq`, (item, bin) held `by_seq`; at any business time,
/// `by_time` (asked before `after` was the last sequence); and the item's history
/// (which holds at least the events up to `seq`) was `history`.
struct Seen {
    seq: u64,
    after: u64,
    item: usize,
    bin: usize,
    by_seq: Qty,
    by_time: Qty,
    history: Vec<u64>,
}

#[test]
fn readers_see_each_row_once_while_every_commit_folds() {
    let dir = tempfile::tempdir().unwrap();
    let options = Options {
        index_block_events: 16,
        ..Options::default()
    };
    let sb = Stockbook::open_with(dir.path().join("book.sb"), options).unwrap();
    for b in 0..BINS {
        sb.define_location(Location::new(bin(b))).unwrap();
    }
    for i in 0..ITEMS {
        sb.define_item(Item::new(item(i))).unwrap();
    }
    let writing = AtomicUsize::new(WRITERS);
    let seen: Vec<Seen> = thread::scope(|scope| {
        for w in 0..WRITERS {
            let sb = sb.clone();
            let writing = &writing;
            scope.spawn(move || {
                for n in 0..RECEIPTS {
                    let (i, b) = ((w + n) % ITEMS, (w * 7 + n) % BINS);
                    sb.receive(Receive::new(item(i), bin(b), (n % 3 + 1) as i64))
                        .unwrap();
                }
                writing.fetch_sub(1, Ordering::SeqCst);
            });
        }
        let readers: Vec<_> = (0..2)
            .map(|r| {
                let sb = sb.clone();
                let writing = &writing;
                scope.spawn(move || {
                    let mut seen = Vec::new();
                    // Until the writers are done (at most 3,000 questions each).
                    for n in 0..3_000 {
                        if writing.load(Ordering::SeqCst) == 0 {
                            break;
                        }
                        let seq = sb.last_seq().unwrap();
                        let (i, b) = ((r + n) % ITEMS, n % BINS);
                        let by_seq = sb.on_hand_at(&item(i), &bin(b), AsOf::Seq(seq)).unwrap();
                        let by_time = sb
                            .on_hand_at(&item(i), &bin(b), AsOf::Time(i64::MAX / 2))
                            .unwrap();
                        let history = sb
                            .history(&item(i), 1, 10_000)
                            .unwrap()
                            .into_iter()
                            .map(|e| e.seq)
                            .collect();
                        let after = sb.last_seq().unwrap();
                        seen.push(Seen {
                            seq,
                            after,
                            item: i,
                            bin: b,
                            by_seq,
                            by_time,
                            history,
                        });
                    }
                    seen
                })
            })
            .collect();
        readers
            .into_iter()
            .flat_map(|r| r.join().unwrap())
            .collect()
    });
    let log: Vec<Envelope> = sb.events_iter(1).map(Result::unwrap).collect();
    assert_eq!(log.len() as u64, sb.last_seq().unwrap());
    let moved = |i: usize, b: usize, until: u64| -> i64 {
        log.iter()
            .filter(|e| e.seq <= until)
            .filter_map(|e| match &e.event {
                Event::Moved(m) if m.sku == item(i) && m.to == bin(b) => Some(m.qty.units()),
                _ => None,
            })
            .sum()
    };
    let mut folded_while_reading = 0;
    for s in &seen {
        assert_eq!(
            s.by_seq,
            Qty::from_int(moved(s.item, s.bin, s.seq)),
            "{} at {} as of seq {}",
            item(s.item),
            bin(s.bin),
            s.seq
        );
        // By time, with every business time included: what was committed when the question
        // was asked, so between the totals at `seq` and at `after`.
        let by_time = s.by_time.units();
        assert!(
            by_time >= moved(s.item, s.bin, s.seq),
            "by time fell behind"
        );
        assert!(
            by_time <= moved(s.item, s.bin, s.after),
            "by time overcounted"
        );
        // The history is exactly the item's events up to some point between `seq` and
        // `after`: each once, in order, none missing.
        let newest = s.history.last().copied().unwrap_or(0);
        let want: Vec<u64> = log
            .iter()
            .filter(|e| e.seq <= newest && e.event.sku() == Some(item(s.item).as_str()))
            .map(|e| e.seq)
            .collect();
        assert_eq!(s.history, want, "history read after seq {}", s.seq);
        let up_to_seq = log
            .iter()
            .filter(|e| e.seq <= s.seq && e.event.sku() == Some(item(s.item).as_str()))
            .count();
        assert!(s.history.len() >= up_to_seq && newest <= s.after);
        if s.seq > 3 * 16 {
            folded_while_reading += 1;
        }
    }
    assert!(
        folded_while_reading > 100,
        "the readers ran while blocks folded"
    );
    let report = sb.verify().unwrap();
    assert!(report.is_sound(), "{:?}", report.problems);
}
