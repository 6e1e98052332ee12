//! Idempotency keys are remembered for `Options::key_retention_ms`: within it a retry
//! answers the first outcome, after it a retry answers `key_expired` and executes nothing.
//! The writer prunes expired keys' records a bounded number per group, leaving a tombstone.

use std::path::Path;
use std::sync::Arc;

use redb::{ReadableDatabase, ReadableTableMetadata, TableDefinition};
use serde_json::{Value, json};
use stockbook::{
    Command, Durability, Error, Item, Location, ManualClock, Meta, Options, Qty, Receive, Stockbook,
};

const T0: i64 = 1_800_000_000_000;
const DAY_MS: i64 = 86_400_000;

fn options(clock: &Arc<ManualClock>, retention_ms: i64) -> Options {
    Options {
        key_retention_ms: retention_ms,
        ..Options::default().with_clock(clock.clone())
    }
}

fn book(path: &Path, clock: &Arc<ManualClock>, retention_ms: i64) -> Stockbook {
    let sb = Stockbook::open_with(path, options(clock, retention_ms)).unwrap();
    if sb.last_seq().unwrap() == 0 {
        sb.define_location(Location::new("WH1")).unwrap();
        sb.define_item(Item::new("A")).unwrap();
    }
    sb
}

#[test]
fn the_default_window_is_thirty_days() {
    assert_eq!(Options::default().key_retention_ms, 30 * DAY_MS);
}

#[test]
fn a_key_answers_its_first_outcome_within_the_window_and_expires_after_it() {
    let dir = tempfile::tempdir().unwrap();
    let clock = ManualClock::new(T0);
    let retention = 30 * DAY_MS;
    let sb = book(&dir.path().join("b.stockbook"), &clock, retention);
    let meta = Meta::new().key("rcv-1");
    let first = sb
        .execute(Receive::new("A", "WH1", 5), meta.clone())
        .unwrap();
    let seq = sb.last_seq().unwrap();
    clock.advance(retention - 1);
    let again = sb
        .execute(Receive::new("A", "WH1", 5), meta.clone())
        .unwrap();
    assert_eq!(again, first);
    // A refusal is remembered for as long.
    let refused = Meta::new().key("ship-1");
    let too_much = || stockbook::Issue::new("A", "WH1", 100);
    assert_eq!(
        sb.ship(too_much()).unwrap_err().code(),
        "insufficient_stock"
    );
    let err = sb
        .execute(Command::Ship(too_much()), refused.clone())
        .unwrap_err();
    assert_eq!(err.code(), "insufficient_stock");
    clock.advance(1);
    let expired = Error::KeyExpired {
        key: "rcv-1".into(),
    };
    assert_eq!(
        sb.execute(Receive::new("A", "WH1", 5), meta.clone())
            .unwrap_err(),
        expired
    );
    // Even with another command: the key is spent.
    assert_eq!(
        sb.execute(Receive::new("A", "WH1", 6), meta).unwrap_err(),
        expired
    );
    assert_eq!(sb.last_seq().unwrap(), seq, "nothing executed again");
    assert_eq!(sb.on_hand("A", "WH1").unwrap(), Qty::from_int(5));
    // The refusal's key is younger by a moment: still remembered.
    assert_eq!(
        sb.execute(Command::Ship(too_much()), refused)
            .unwrap_err()
            .code(),
        "insufficient_stock"
    );
    sb.close().unwrap();
}

const IDEMPOTENCY: TableDefinition<&str, &[u8]> = TableDefinition::new("idempotency");
const KEY_TIMES: TableDefinition<(i64, &str), ()> = TableDefinition::new("key_times");
const TOMBSTONES: TableDefinition<u64, ()> = TableDefinition::new("key_tombstones");

/// (records, key times, tombstones) in the closed file at `path`.
fn key_tables(path: &Path) -> (u64, u64, u64) {
    let db = redb::Database::open(path).unwrap();
    let read = db.begin_read().unwrap();
    (
        read.open_table(IDEMPOTENCY).unwrap().len().unwrap(),
        read.open_table(KEY_TIMES).unwrap().len().unwrap(),
        read.open_table(TOMBSTONES).unwrap().len().unwrap(),
    )
}

#[test]
fn expired_keys_are_pruned_a_bounded_number_per_group_and_stay_expired() {
    const KEYS: usize = 300;
    const PER_GROUP: u64 = 256;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("b.stockbook");
    let clock = ManualClock::new(T0);
    let retention = DAY_MS;
    let open = |durability| {
        let options = options(&clock, retention).with_durability(durability);
        Stockbook::open_with(&path, options).unwrap()
    };
    let sb = open(Durability::BulkLoad);
    sb.define_location(Location::new("WH1")).unwrap();
    sb.define_item(Item::new("A")).unwrap();
    for k in 0..KEYS {
        sb.execute(
            Receive::new("A", "WH1", 1),
            Meta::new().key(format!("k-{k}")),
        )
        .unwrap();
    }
    sb.close().unwrap();
    assert_eq!(key_tables(&path), (KEYS as u64, KEYS as u64, 0));
    // Past the window, a group that writes prunes at most its share.
    clock.advance(retention);
    let sb = open(Durability::Immediate);
    sb.receive(Receive::new("A", "WH1", 1)).unwrap();
    sb.close().unwrap();
    let left = KEYS as u64 - PER_GROUP;
    assert_eq!(key_tables(&path), (left, left, PER_GROUP));
    // The next one prunes the rest; a key still young stays.
    let sb = open(Durability::Immediate);
    sb.execute(Receive::new("A", "WH1", 1), Meta::new().key("young"))
        .unwrap();
    let seq = sb.last_seq().unwrap();
    // Every pruned key is still spent: its tombstone answers.
    for k in [0, KEYS - 1] {
        let key = format!("k-{k}");
        let err = sb
            .execute(Receive::new("A", "WH1", 1), Meta::new().key(key.clone()))
            .unwrap_err();
        assert_eq!(err, Error::KeyExpired { key });
    }
    assert_eq!(sb.last_seq().unwrap(), seq);
    // A new key is not taken for an expired one.
    sb.execute(Receive::new("A", "WH1", 1), Meta::new().key("k-new"))
        .unwrap();
    sb.close().unwrap();
    assert_eq!(key_tables(&path), (2, 2, KEYS as u64));
}

fn fixture_step(key: &str) -> (Command, Meta) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/format");
    let script: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("script.json")).unwrap()).unwrap();
    let step = script["steps"]
        .as_array()
        .or_else(|| script.as_array())
        .unwrap()
        .iter()
        .find(|s| s["meta"]["key"] == key)
        .unwrap()
        .clone();
    let op = json!({"op": step["op"], "args": step["args"]});
    (
        serde_json::from_value(op).unwrap(),
        serde_json::from_value(step["meta"].clone()).unwrap(),
    )
}

/// A key remembered by a build that did not record its time (the format-4 store) counts
/// its window from when this build first opened the file: a full window, then expired.
#[test]
fn keys_without_a_time_count_from_the_first_open_by_this_build() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("v4.stockbook");
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/format/v4/stockbook.redb");
    std::fs::copy(fixture, &path).unwrap();
    let clock = ManualClock::new(T0);
    let retention = 30 * DAY_MS;
    let (command, meta) = fixture_step("rcv-1");
    let sb = Stockbook::open_with(&path, options(&clock, retention)).unwrap();
    let seq = sb.last_seq().unwrap();
    let first = sb.execute(command.clone(), meta.clone()).unwrap();
    sb.close().unwrap();
    // Reopened later: the window still counts from the first open.
    clock.advance(retention - 1);
    let sb = Stockbook::open_with(&path, options(&clock, retention)).unwrap();
    assert_eq!(sb.execute(command.clone(), meta.clone()).unwrap(), first);
    sb.close().unwrap();
    clock.advance(1);
    let sb = Stockbook::open_with(&path, options(&clock, retention)).unwrap();
    assert_eq!(
        sb.execute(command, meta).unwrap_err(),
        Error::KeyExpired {
            key: "rcv-1".into()
        }
    );
    assert_eq!(sb.last_seq().unwrap(), seq);
    assert!(sb.verify().unwrap().is_sound());
    sb.close().unwrap();
}
