//! Bulk loading: commits are not flushed one by one, so pages copied between two flushes
//! cannot be reused until the flush; closing compacts the file. The compacted file must
//! hold everything that was loaded, exactly.

use std::collections::HashMap;

use stockbook::*;

const ITEMS: usize = 50;
const BINS: usize = 4;

fn item(i: usize) -> String {
    format!("ITEM-{i:03}")
}

fn bin(b: usize) -> String {
    format!("BIN-{b}")
}

#[test]
fn closing_a_bulk_load_compacts_the_file_and_keeps_every_event() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bulk.sb");
    // Small index blocks: folding rewrites the index tables many times over the load.
    let options = Options {
        index_block_events: 64,
        ..Options::default().with_durability(Durability::BulkLoad)
    };
    let sb = Stockbook::open_with(&path, options).unwrap();
    for b in 0..BINS {
        sb.define_location(Location::new(bin(b))).unwrap();
    }
    for i in 0..ITEMS {
        sb.define_item(Item::new(item(i))).unwrap();
    }
    let mut want: HashMap<(usize, usize), i64> = HashMap::new();
    for batch in 0..100usize {
        let commands: Vec<Command> = (0..250)
            .map(|n| {
                let (i, b) = ((batch * 7 + n) % ITEMS, (batch + n / 3) % BINS);
                let units = (n % 5) as i64 + 1;
                *want.entry((i, b)).or_default() += units;
                Receive::new(item(i), bin(b), units).into()
            })
            .collect();
        sb.execute_batch(commands, Meta::default()).unwrap();
    }
    sb.sync().unwrap();
    let last = sb.last_seq().unwrap();
    let loaded = std::fs::metadata(&path).unwrap().len();
    sb.close().unwrap();
    let compacted = std::fs::metadata(&path).unwrap().len();
    assert!(
        compacted < loaded,
        "closing compacts: {compacted} bytes after, {loaded} before"
    );
    // Compacting again finds little to give back.
    let mut db = redb::Database::open(&path).unwrap();
    db.compact().unwrap();
    drop(db);
    let again = std::fs::metadata(&path).unwrap().len();
    assert!(
        again * 20 >= compacted * 19,
        "a second compaction took {compacted} bytes to {again}"
    );

    let sb = Stockbook::open(&path).unwrap();
    assert_eq!(sb.last_seq().unwrap(), last);
    let report = sb.verify().unwrap();
    assert!(report.is_sound(), "{:?}", report.problems);
    for ((i, b), units) in &want {
        assert_eq!(
            sb.on_hand(&item(*i), &bin(*b)).unwrap(),
            Qty::from_int(*units)
        );
        assert_eq!(
            sb.on_hand_at(&item(*i), &bin(*b), AsOf::Seq(last)).unwrap(),
            Qty::from_int(*units)
        );
    }
    // The file takes durable commits as before.
    sb.receive(Receive::new(item(0), bin(0), 1)).unwrap();
    sb.close().unwrap();
    let sb = Stockbook::open(&path).unwrap();
    assert_eq!(sb.last_seq().unwrap(), last + 1);
}
