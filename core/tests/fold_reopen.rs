//! The newest index rows live in memory until their block is folded into the tables; a
//! snapshot carries the unfolded rows of its time and the file records how far folding
//! went. Whatever stands between the snapshot and the end of the log — blocks folded
//! after the snapshot, a block half folded, rows never folded — a reopened file must count
//! every movement exactly once, by business time and by sequence, in the per-item history
//! and in `verify()`.
//!
//! A crash is taken as a copy of the file while the engine has it open between two
//! commits: every commit is durable, so the copy is what a power cut would leave.

use std::path::Path;

use stockbook::*;

const ITEMS: usize = 5;
const BINS: usize = 3;
/// Events per index block: small, so that a few hundred commands fold many blocks.
const BLOCK: u64 = 64;
const T0: i64 = 1_735_689_600_000;
const HOUR_MS: i64 = 3_600_000;

/// One receipt: (item, bin, business time, units).
type Receipt = (usize, usize, i64, i64);

fn item(i: usize) -> String {
    format!("I{i}")
}

fn bin(b: usize) -> String {
    format!("B{b}")
}

fn options() -> Options {
    options_with(BLOCK)
}

fn options_with(block: u64) -> Options {
    Options {
        index_block_events: block,
        ..Options::default()
    }
}

/// The `n`-th receipt, at business time `at`: items and bins in turn, 1 to 4 units.
fn receipt(n: usize, at: i64) -> Receipt {
    (n % ITEMS, (n / ITEMS) % BINS, at, (n % 4) as i64 + 1)
}

fn command(r: &Receipt) -> Command {
    Receive::new(item(r.0), bin(r.1), r.3).into()
}

/// Receipts `from..to`: each its own command, at business times that go back and forth
/// (a fifth of them back-dated by days), so rows land in old parts too.
fn receive(sb: &Stockbook, from: usize, to: usize, done: &mut Vec<(u64, Receipt)>) {
    for n in from..to {
        let back = if n % 5 == 4 { 72 } else { 0 };
        let r = receipt(n, T0 + (n as i64 - back) * HOUR_MS);
        let meta = Meta {
            effective_at: Some(r.2),
            ..Meta::default()
        };
        let written = sb.execute(command(&r), meta).unwrap();
        done.push((written.first_seq, r));
    }
}

/// Receipts `from..to` as atomic batches of `batch`, each batch at the business time of
/// its first receipt: a batch's commit folds large shares, an item's rows of a block in one.
fn receive_batches(
    sb: &Stockbook,
    from: usize,
    to: usize,
    batch: usize,
    done: &mut Vec<(u64, Receipt)>,
) {
    for start in (from..to).step_by(batch) {
        let end = (start + batch).min(to);
        let at = T0 + start as i64 * HOUR_MS;
        let receipts: Vec<Receipt> = (start..end).map(|n| receipt(n, at)).collect();
        let commands: Vec<Command> = receipts.iter().map(command).collect();
        let meta = Meta {
            effective_at: Some(at),
            ..Meta::default()
        };
        let written = sb.execute_batch(commands, meta).unwrap();
        assert_eq!(written.len(), receipts.len());
        for (r, receipt) in written.into_iter().zip(receipts) {
            done.push((r.first_seq, receipt));
        }
    }
}

/// Every answer the index gives, against a tally of the receipts.
fn check(sb: &Stockbook, done: &[(u64, Receipt)], context: &str) {
    let report = sb.verify().unwrap();
    assert!(report.is_sound(), "{context}: {:?}", report.problems);
    let last = sb.last_seq().unwrap();
    let seqs: Vec<u64> = (1..=last).step_by(17).chain([last]).collect();
    let times: Vec<i64> = (-80..(done.len() as i64 + 2))
        .step_by(13)
        .map(|h| T0 + h * HOUR_MS)
        .collect();
    for i in 0..ITEMS {
        for b in 0..BINS {
            let mine: Vec<&(u64, Receipt)> =
                done.iter().filter(|(_, r)| r.0 == i && r.1 == b).collect();
            for &seq in &seqs {
                let want: i64 = mine
                    .iter()
                    .filter(|(s, _)| *s <= seq)
                    .map(|(_, r)| r.3)
                    .sum();
                assert_eq!(
                    sb.on_hand_at(&item(i), &bin(b), AsOf::Seq(seq)).unwrap(),
                    Qty::from_int(want),
                    "{context}: {} at {} as of seq {seq}",
                    item(i),
                    bin(b)
                );
            }
            for &t in &times {
                let want: i64 = mine
                    .iter()
                    .filter(|(_, r)| r.2 <= t)
                    .map(|(_, r)| r.3)
                    .sum();
                assert_eq!(
                    sb.on_hand_at(&item(i), &bin(b), AsOf::Time(t)).unwrap(),
                    Qty::from_int(want),
                    "{context}: {} at {} as of {t}",
                    item(i),
                    bin(b)
                );
            }
        }
        let history: Vec<u64> = sb
            .history(&item(i), 1, 1_000)
            .unwrap()
            .iter()
            .map(|e| e.seq)
            .collect();
        let mut want: Vec<u64> = done
            .iter()
            .filter(|(_, r)| r.0 == i)
            .map(|(s, _)| *s)
            .collect();
        // Defined after the bins: the item's first event.
        want.insert(0, (BINS + i + 1) as u64);
        assert_eq!(history, want, "{context}: history of {}", item(i));
    }
}

fn setup(path: &Path) -> Stockbook {
    setup_with(path, options())
}

fn setup_with(path: &Path, options: Options) -> Stockbook {
    let sb = Stockbook::open_with(path, options).unwrap();
    for b in 0..BINS {
        sb.define_location(Location::new(bin(b))).unwrap();
    }
    for i in 0..ITEMS {
        sb.define_item(Item::new(item(i))).unwrap();
    }
    sb
}

#[test]
fn a_crash_after_folding_went_past_the_snapshot_counts_every_row_once() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("book.sb");
    let mut done = Vec::new();
    let sb = setup(&path);
    receive(&sb, 0, 150, &mut done);
    // Closing writes a snapshot holding the unfolded rows of its time.
    sb.close().unwrap();
    let sb = Stockbook::open(&path).unwrap();
    check(&sb, &done, "reopened");
    // Many more blocks: the snapshot's blocks are folded, and later ones. The copy is
    // taken one event into block 9 (8 definitions, then receipts): block 8 is then half
    // folded, its first share in the tables.
    receive(&sb, 150, 569, &mut done);
    assert_eq!(sb.last_seq().unwrap(), 9 * BLOCK + 1);
    let crashed = dir.path().join("crashed.sb");
    std::fs::copy(&path, &crashed).unwrap();
    check(&sb, &done, "live");
    sb.close().unwrap();
    for round in 0..2 {
        let sb = Stockbook::open(&crashed).unwrap();
        check(&sb, &done, &format!("after the crash, round {round}"));
        sb.close().unwrap();
    }
}

#[test]
fn a_crash_without_any_snapshot_regenerates_the_unfolded_rows() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("book.sb");
    let mut done = Vec::new();
    let sb = setup(&path);
    receive(&sb, 0, 333, &mut done);
    let crashed = dir.path().join("crashed.sb");
    std::fs::copy(&path, &crashed).unwrap();
    sb.close().unwrap();
    let sb = Stockbook::open(&crashed).unwrap();
    check(&sb, &done, "after the crash");
    receive(&sb, 333, 400, &mut done);
    check(&sb, &done, "written on after the crash");
    sb.close().unwrap();
    let sb = Stockbook::open(&crashed).unwrap();
    check(&sb, &done, "reopened");
}

/// The number of block directories in the file at `path` (index parts numbered
/// `u32::MAX`): stored once an item has more rows in a block than one part holds.
fn directories(path: &Path) -> usize {
    use redb::{ReadableDatabase, ReadableTable};
    let db = redb::Database::open(path).unwrap();
    let read = db.begin_read().unwrap();
    let parts = read
        .open_table(redb::TableDefinition::<(&str, u64, u32), &[u8]>::new(
            "index_parts",
        ))
        .unwrap();
    parts
        .iter()
        .unwrap()
        .filter(|e| e.as_ref().unwrap().0.value().2 == u32::MAX)
        .count()
}

#[test]
fn a_crash_while_folding_blocks_with_directories_counts_every_row_once() {
    // Blocks of 2,048 events: each of the 5 items has ~410 rows in a block, more than one
    // stored part holds, so folded blocks get directories.
    const LONG: u64 = 2_048;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("book.sb");
    let mut done = Vec::new();
    let sb = setup_with(&path, options_with(LONG));
    // Block 0 is complete at seq 2,048 and folds a share per commit after it: the copy
    // is taken with it partly folded. Later receipts come in batches, whose commits fold
    // an item's rows of a block in one share.
    receive(&sb, 0, 2_080, &mut done);
    let crashed = dir.path().join("crashed.sb");
    std::fs::copy(&path, &crashed).unwrap();
    receive_batches(&sb, 2_080, 4_300, 400, &mut done);
    check(&sb, &done, "live");
    sb.close().unwrap();
    assert!(
        directories(&path) > 0,
        "the test must fold blocks with directories"
    );
    let mut done_at_crash: Vec<(u64, Receipt)> = done[..2_080].to_vec();
    let sb = Stockbook::open_with(&crashed, options_with(LONG)).unwrap();
    check(&sb, &done_at_crash, "after the crash");
    receive_batches(&sb, 2_080, 4_300, 400, &mut done_at_crash);
    check(&sb, &done_at_crash, "written on after the crash");
    sb.close().unwrap();
    assert!(directories(&crashed) > 0);
    let sb = Stockbook::open(&crashed).unwrap();
    check(&sb, &done_at_crash, "reopened");
}
