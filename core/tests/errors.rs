//! Every error code the ledger produces: the code, its facts, and that a refusal leaves the
//! state exactly as it was (same last sequence, same balances).

use std::collections::BTreeMap;
use std::io::Write;
use std::process::Command as Process;

use stockbook::{
    Adjust, BalanceFilter, Command, Count, Dispatch, Error, Issue, Item, Location, LocationKind,
    ManualClock, Meta, Options, Qty, Receive, ReceiveTransfer, Stockbook, Tracking, Transfer,
};

const START_MS: i64 = 1_767_225_600_000;
const DAY_MS: i64 = 86_400_000;

/// What a refusal must not change.
#[derive(Debug, PartialEq)]
struct Snapshot {
    last_seq: u64,
    balances: Vec<stockbook::Balance>,
    items: Vec<Item>,
    locations: Vec<Location>,
}

fn snapshot(sb: &Stockbook) -> Snapshot {
    Snapshot {
        last_seq: sb.last_seq().unwrap(),
        balances: sb
            .balances(&BalanceFilter::new().include_virtual(true))
            .unwrap(),
        items: sb.items().unwrap(),
        locations: sb.locations().unwrap(),
    }
}

/// Runs `f`, which must be refused with `code`; checks that nothing changed and returns
/// the error with its facts as a map.
fn refused<T: std::fmt::Debug>(
    sb: &Stockbook,
    code: &str,
    f: impl FnOnce(&Stockbook) -> stockbook::Result<T>,
) -> (Error, BTreeMap<&'static str, String>) {
    let before = snapshot(sb);
    let err = f(sb).expect_err("the command must be refused");
    assert_eq!(err.code(), code, "unexpected error: {err}");
    assert!(!err.to_string().is_empty());
    assert_eq!(snapshot(sb), before, "a refusal changed the state ({code})");
    let facts = err.facts().into_iter().collect();
    (err, facts)
}

fn fact<'a>(facts: &'a BTreeMap<&'static str, String>, name: &str) -> &'a str {
    facts.get(name).map_or_else(
        || panic!("fact {name} missing in {facts:?}"),
        String::as_str,
    )
}

/// A book with items A (whole units), D (2 decimals), L (lots, 10 days shelf life),
/// S (serials), locations WH ⊃ WH/1, WH/2, and 10 A at WH/1.
fn book() -> (Stockbook, std::sync::Arc<ManualClock>) {
    let clock = ManualClock::new(START_MS);
    let sb = Stockbook::in_memory_with(Options::default().with_clock(clock.clone())).unwrap();
    sb.define_item(Item::new("A")).unwrap();
    let mut d = Item::new("D");
    d.decimals = 2;
    sb.define_item(d).unwrap();
    let mut l = Item::new("L");
    l.tracking = Tracking::Lot;
    l.shelf_life_days = Some(10);
    sb.define_item(l).unwrap();
    let mut s = Item::new("S");
    s.tracking = Tracking::Serial;
    sb.define_item(s).unwrap();
    let mut wh = Location::new("WH");
    wh.kind = LocationKind::Site;
    sb.define_location(wh).unwrap();
    for code in ["WH/1", "WH/2"] {
        let mut bin = Location::new(code);
        bin.parent = Some("WH".into());
        sb.define_location(bin).unwrap();
    }
    sb.receive(Receive::new("A", "WH/1", 10)).unwrap();
    (sb, clock)
}

fn qty(text: &str) -> Qty {
    Qty::parse(text).unwrap()
}

#[test]
fn insufficient_stock() {
    let (sb, _) = book();
    let (_, facts) = refused(&sb, "insufficient_stock", |sb| {
        sb.ship(Issue::new("A", "WH/1", 11))
    });
    assert_eq!(fact(&facts, "sku"), "A");
    assert_eq!(fact(&facts, "location"), "WH/1");
    assert_eq!(fact(&facts, "requested"), "11");
    assert_eq!(fact(&facts, "available"), "10");
    assert!(
        !facts.contains_key("lot"),
        "no lot for an untracked item: {facts:?}"
    );
    // The same for every kind of taking.
    refused(&sb, "insufficient_stock", |sb| {
        sb.issue(Issue::new("A", "WH/2", 1))
    });
    refused(&sb, "insufficient_stock", |sb| {
        sb.transfer_stock(Transfer::new("A", "WH/1", "WH/2", Qty::from_int(12)))
    });
    refused(&sb, "insufficient_stock", |sb| {
        sb.adjust(Adjust::new("A", "WH/1", Qty::from_int(-11), "lost"))
    });
    // A lot-tracked refusal names its lot.
    let mut r = Receive::new("L", "WH/1", 2);
    r.lot = Some("L1".into());
    sb.receive(r).unwrap();
    let mut take = Issue::new("L", "WH/1", 3);
    take.lot = Some("L1".into());
    let (_, facts) = refused(&sb, "insufficient_stock", |sb| sb.ship(take));
    assert_eq!(fact(&facts, "lot"), "L1");
    assert_eq!(fact(&facts, "available"), "2");
}

#[test]
fn not_found() {
    let (sb, _) = book();
    let (_, facts) = refused(&sb, "not_found", |sb| {
        sb.ship(Issue::new("NOPE", "WH/1", 1))
    });
    assert_eq!(
        (fact(&facts, "kind"), fact(&facts, "key")),
        ("item", "NOPE")
    );
    let (_, facts) = refused(&sb, "not_found", |sb| {
        sb.receive(Receive::new("A", "WH/9", 1))
    });
    assert_eq!(
        (fact(&facts, "kind"), fact(&facts, "key")),
        ("location", "WH/9")
    );
    let (_, facts) = refused(&sb, "not_found", |sb| {
        sb.receive_transfer(ReceiveTransfer::new("T-404", Qty::from_int(1)))
    });
    assert_eq!(
        (fact(&facts, "kind"), fact(&facts, "key")),
        ("transfer", "T-404")
    );
    let mut take = Issue::new("L", "WH/1", 1);
    take.lot = Some("NOLOT".into());
    let (_, facts) = refused(&sb, "not_found", |sb| sb.issue(take));
    assert_eq!(
        (fact(&facts, "kind"), fact(&facts, "key")),
        ("lot", "L/NOLOT")
    );
    let mut boxed = Issue::new("A", "WH/1", 1);
    boxed.unit = Some("box".into());
    let (_, facts) = refused(&sb, "not_found", |sb| sb.ship(boxed));
    assert_eq!(
        (fact(&facts, "kind"), fact(&facts, "key")),
        ("unit", "A/box")
    );
    // Queries answer not_found too, and change nothing either.
    refused(&sb, "not_found", |sb| sb.item("NOPE"));
    refused(&sb, "not_found", |sb| sb.location("NOPE"));
    refused(&sb, "not_found", |sb| sb.on_hand("A", "NOPE"));
    refused(&sb, "not_found", |sb| sb.history("NOPE", 0, 10));
    refused(&sb, "not_found", |sb| sb.serial("S", "NOPE"));
}

#[test]
fn already_exists() {
    let (sb, _) = book();
    let (_, facts) = refused(&sb, "already_exists", |sb| sb.define_item(Item::new("A")));
    assert_eq!((fact(&facts, "kind"), fact(&facts, "key")), ("item", "A"));
    let (_, facts) = refused(&sb, "already_exists", |sb| {
        sb.define_location(Location::new("WH"))
    });
    assert_eq!(
        (fact(&facts, "kind"), fact(&facts, "key")),
        ("location", "WH")
    );
    let dispatch = Dispatch::new("A", "WH/1", "WH/2", Qty::from_int(1)).transfer_id("T1");
    sb.dispatch_transfer(dispatch.clone()).unwrap();
    let (_, facts) = refused(&sb, "already_exists", |sb| sb.dispatch_transfer(dispatch));
    assert_eq!(
        (fact(&facts, "kind"), fact(&facts, "key")),
        ("transfer", "T1")
    );
}

#[test]
fn archived() {
    let (sb, _) = book();
    sb.define_item(Item::new("OLD")).unwrap();
    sb.archive_item("OLD").unwrap();
    let (_, facts) = refused(&sb, "archived", |sb| {
        sb.receive(Receive::new("OLD", "WH/1", 1))
    });
    assert_eq!((fact(&facts, "kind"), fact(&facts, "key")), ("item", "OLD"));
    refused(&sb, "archived", |sb| sb.update_item(Item::new("OLD")));
    sb.archive_location("WH/2").unwrap();
    let (_, facts) = refused(&sb, "archived", |sb| {
        sb.receive(Receive::new("A", "WH/2", 1))
    });
    assert_eq!(
        (fact(&facts, "kind"), fact(&facts, "key")),
        ("location", "WH/2")
    );
    let mut child = Location::new("WH/2/x");
    child.parent = Some("WH/2".into());
    refused(&sb, "archived", |sb| sb.define_location(child));
}

#[test]
fn not_empty() {
    let (sb, _) = book();
    let (_, facts) = refused(&sb, "not_empty", |sb| sb.archive_location("WH/1"));
    assert_eq!(
        (fact(&facts, "kind"), fact(&facts, "key")),
        ("location", "WH/1")
    );
    let (_, facts) = refused(&sb, "not_empty", |sb| sb.archive_item("A"));
    assert_eq!((fact(&facts, "kind"), fact(&facts, "key")), ("item", "A"));
    // Stock in transit to a location keeps it (and the item) from being archived.
    sb.dispatch_transfer(Dispatch::new("A", "WH/1", "WH/2", Qty::from_int(10)).transfer_id("T1"))
        .unwrap();
    assert_eq!(sb.on_hand("A", "WH").unwrap(), Qty::ZERO);
    refused(&sb, "not_empty", |sb| sb.archive_location("WH/2"));
    refused(&sb, "not_empty", |sb| sb.archive_item("A"));
    sb.archive_location("WH/1").unwrap();
}

#[test]
fn invalid_code() {
    let (sb, _) = book();
    for bad in ["", " A", "A\u{7}", &"X".repeat(129)] {
        let (_, facts) = refused(&sb, "invalid_code", |sb| sb.define_item(Item::new(bad)));
        assert_eq!(fact(&facts, "kind"), "sku");
        assert!(!fact(&facts, "reason").is_empty());
    }
    let (_, facts) = refused(&sb, "invalid_code", |sb| {
        sb.define_location(Location::new("@x"))
    });
    assert_eq!(fact(&facts, "kind"), "location");
    let (_, facts) = refused(&sb, "invalid_code", |sb| {
        sb.execute(Receive::new("A", "WH/1", 1), Meta::new().key("bad\nkey"))
    });
    assert_eq!(fact(&facts, "kind"), "key");
    sb.define_item(Item::new("X".repeat(128))).unwrap();
}

#[test]
fn invalid_quantity() {
    let (sb, _) = book();
    let (_, facts) = refused(&sb, "invalid_quantity", |sb| {
        sb.receive(Receive::new("A", "WH/1", qty("1.5")))
    });
    assert_eq!(fact(&facts, "value"), "1.5");
    let (_, facts) = refused(&sb, "invalid_quantity", |sb| {
        sb.receive(Receive::new("D", "WH/1", qty("0.001")))
    });
    assert_eq!(fact(&facts, "value"), "0.001");
    refused(&sb, "invalid_quantity", |sb| {
        sb.receive(Receive::new("A", "WH/1", 0))
    });
    refused(&sb, "invalid_quantity", |sb| {
        sb.ship(Issue::new("A", "WH/1", -1))
    });
    refused(&sb, "invalid_quantity", |sb| {
        sb.count(Count::new("A", "WH/1", Qty::from_int(-1)))
    });
    // Overflow is refused, not wrapped or saturated: of a bin's balance, and of the roll-up
    // of two bins that each fit (WH holds 10 + (MAX - 10) = MAX).
    sb.receive(Receive::new("A", "WH/2", i64::MAX - 10))
        .unwrap();
    assert_eq!(sb.on_hand("A", "WH").unwrap(), Qty::from_int(i64::MAX));
    refused(&sb, "invalid_quantity", |sb| {
        sb.receive(Receive::new("A", "WH/2", 1))
    });
    refused(&sb, "invalid_quantity", |sb| {
        sb.receive(Receive::new("A", "WH/1", 1))
    });
    refused(&sb, "invalid_quantity", |sb| {
        sb.count(Count::new("A", "WH/1", Qty::from_int(11)))
    });
    let mut n = Item::new("N");
    n.allow_negative = true;
    sb.define_item(n).unwrap();
    sb.issue(Issue::new("N", "WH/1", i64::MAX)).unwrap();
    // @customer holds MAX now: one more would overflow it.
    refused(&sb, "invalid_quantity", |sb| {
        sb.issue(Issue::new("N", "WH/2", 1))
    });
    let scrap = |location: &str| stockbook::Scrap::new("N", location, Qty::from_int(1));
    sb.scrap(scrap("WH/2")).unwrap();
    assert_eq!(
        sb.on_hand("N", "WH").unwrap(),
        Qty::from_units(i64::MIN, 0).unwrap()
    );
    // Each bin fits one more below zero; their roll-up at WH does not.
    refused(&sb, "invalid_quantity", |sb| sb.scrap(scrap("WH/2")));
    refused(&sb, "invalid_quantity", |sb| sb.scrap(scrap("WH/1")));
    assert!(sb.verify().unwrap().is_sound());
    assert_eq!(
        Qty::parse("99999999999999999999").unwrap_err().code(),
        "invalid_quantity"
    );
}

#[test]
fn invalid_argument() {
    let (sb, _) = book();
    let (_, facts) = refused(&sb, "invalid_argument", |sb| {
        sb.transfer_stock(Transfer::new("A", "WH/1", "WH/1", Qty::from_int(1)))
    });
    assert_eq!(fact(&facts, "field"), "to");
    assert!(!fact(&facts, "reason").is_empty());
    let mut item = Item::new("P");
    item.decimals = 7;
    let (_, facts) = refused(&sb, "invalid_argument", |sb| sb.define_item(item));
    assert_eq!(fact(&facts, "field"), "decimals");
    let (_, facts) = refused(&sb, "invalid_argument", |sb| {
        let ahead = sb.now().unwrap() + DAY_MS + 1;
        sb.execute(
            Receive::new("A", "WH/1", 1),
            Meta::new().effective_at(ahead),
        )
    });
    assert_eq!(fact(&facts, "field"), "effective_at");
    let (_, facts) = refused(&sb, "invalid_argument", |sb| {
        sb.receive(Receive::new("A", "@customer", 1))
    });
    assert_eq!(fact(&facts, "field"), "location");
}

#[test]
fn hierarchy_cycle() {
    let (sb, _) = book();
    let mut wh = Location::new("WH");
    wh.kind = LocationKind::Site;
    wh.parent = Some("WH/1".into());
    let (_, facts) = refused(&sb, "hierarchy_cycle", |sb| sb.update_location(wh));
    assert_eq!(
        (fact(&facts, "location"), fact(&facts, "parent")),
        ("WH", "WH/1")
    );
    let mut selfish = Location::new("SELF");
    selfish.parent = Some("SELF".into());
    refused(&sb, "hierarchy_cycle", |sb| sb.define_location(selfish));
}

#[test]
fn tracking() {
    let (sb, _) = book();
    let (_, facts) = refused(&sb, "tracking", |sb| {
        sb.receive(Receive::new("L", "WH/1", 1))
    });
    assert_eq!(fact(&facts, "sku"), "L");
    assert!(fact(&facts, "reason").contains("lot"));
    let mut r = Receive::new("S", "WH/1", 2);
    r.serials = vec!["S1".into()];
    let (_, facts) = refused(&sb, "tracking", |sb| sb.receive(r));
    assert_eq!(fact(&facts, "sku"), "S");
    let mut r = Receive::new("S", "WH/1", 2);
    r.serials = vec!["S1".into(), "S1".into()];
    refused(&sb, "tracking", |sb| sb.receive(r));
    let mut r = Receive::new("S", "WH/1", 1);
    r.serials = vec!["S1".into()];
    sb.receive(r.clone()).unwrap();
    r.location = "WH/2".into();
    refused(&sb, "tracking", |sb| sb.receive(r));
    let mut r = Receive::new("A", "WH/1", 1);
    r.lot = Some("L1".into());
    refused(&sb, "tracking", |sb| sb.receive(r));
}

#[test]
fn lot_expired() {
    let (sb, clock) = book();
    let mut r = Receive::new("L", "WH/1", 5);
    r.lot = Some("L1".into());
    r.produced = Some(START_MS);
    sb.receive(r).unwrap();
    assert_eq!(
        sb.lot("L", "L1").unwrap().expiry,
        Some(START_MS + 10 * DAY_MS)
    );
    clock.set(START_MS + 10 * DAY_MS);
    let mut take = Issue::new("L", "WH/1", 1);
    take.lot = Some("L1".into());
    let (_, facts) = refused(&sb, "lot_expired", |sb| sb.ship(take.clone()));
    assert_eq!(fact(&facts, "sku"), "L");
    assert_eq!(fact(&facts, "lot"), "L1");
    assert_eq!(
        fact(&facts, "expiry_ms"),
        (START_MS + 10 * DAY_MS).to_string()
    );
    take.allow_expired = true;
    sb.ship(take).unwrap();
    assert_eq!(sb.on_hand("L", "WH/1").unwrap(), Qty::from_int(4));
}

#[test]
fn conflict() {
    let (sb, _) = book();
    let receipt = sb
        .execute(Receive::new("A", "WH/1", 1), Meta::new().key("k1"))
        .unwrap();
    let (_, facts) = refused(&sb, "conflict", |sb| {
        sb.execute(Receive::new("A", "WH/1", 2), Meta::new().key("k1"))
    });
    assert_eq!(fact(&facts, "key"), "k1");
    // The first outcome stands.
    let again = sb
        .execute(Receive::new("A", "WH/1", 1), Meta::new().key("k1"))
        .unwrap();
    assert_eq!(again, receipt);
}

#[test]
fn invalid_transition() {
    let (sb, _) = book();
    sb.dispatch_transfer(Dispatch::new("A", "WH/1", "WH/2", Qty::from_int(3)).transfer_id("T1"))
        .unwrap();
    let receive = |n: i64| ReceiveTransfer::new("T1", Qty::from_int(n));
    sb.receive_transfer(receive(3)).unwrap();
    let (_, facts) = refused(&sb, "invalid_transition", |sb| {
        sb.receive_transfer(receive(1))
    });
    assert_eq!(fact(&facts, "entity"), "transfer");
    assert_eq!(fact(&facts, "id"), "T1");
    assert_eq!(fact(&facts, "state"), "received");
    assert_eq!(fact(&facts, "step"), "receive");
}

#[test]
fn batch_refused() {
    let (sb, _) = book();
    let commands = vec![
        Command::Receive(Receive::new("A", "WH/2", 5)),
        Command::DefineItem(Item::new("NEW")),
        Command::Ship(Issue::new("A", "WH/1", 100)),
    ];
    let (err, facts) = refused(&sb, "batch_refused", |sb| {
        sb.execute_batch(commands, Meta::new())
    });
    assert_eq!(fact(&facts, "index"), "2");
    match err {
        Error::BatchRefused { index, source } => {
            assert_eq!(index, 2);
            assert_eq!(source.code(), "insufficient_stock");
        }
        other => panic!("not a batch refusal: {other:?}"),
    }
    refused(&sb, "not_found", |sb| sb.item("NEW"));
    // A batch of one is still a batch.
    let (_, facts) = refused(&sb, "batch_refused", |sb| {
        sb.execute_batch(
            vec![Command::Ship(Issue::new("A", "WH/1", 100))],
            Meta::new(),
        )
    });
    assert_eq!(fact(&facts, "index"), "0");
}

fn temp_book() -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("book.stockbook");
    let sb = Stockbook::open(&path).unwrap();
    sb.define_item(Item::new("A")).unwrap();
    sb.define_location(Location::new("BIN")).unwrap();
    sb.receive(Receive::new("A", "BIN", 7)).unwrap();
    sb.close().unwrap();
    (dir, path)
}

#[test]
fn locked_in_process() {
    let (_dir, path) = temp_book();
    let sb = Stockbook::open(&path).unwrap();
    let before = snapshot(&sb);
    let err = Stockbook::open(&path).unwrap_err();
    assert_eq!(err.code(), "locked", "{err}");
    assert_eq!(err.facts()[0], ("path", path.display().to_string()));
    assert_eq!(snapshot(&sb), before);
    // The first handle still works, and once closed the file opens again.
    sb.ship(Issue::new("A", "BIN", 1)).unwrap();
    sb.close().unwrap();
    let again = Stockbook::open(&path).unwrap();
    assert_eq!(again.on_hand("A", "BIN").unwrap(), Qty::from_int(6));
}

const PROBE_ENV: &str = "STOCKBOOK_ERRORS_PROBE_PATH";

/// In a child process (see `locked_across_processes`) this opens the file named by the
/// environment and prints the outcome. Run on its own, it checks that a file nobody
/// holds opens.
#[test]
fn open_probe() {
    if let Ok(path) = std::env::var(PROBE_ENV) {
        let outcome = match Stockbook::open(&path) {
            Ok(_) => "ok".to_owned(),
            Err(e) => e.code().to_owned(),
        };
        let mut out = std::io::stdout().lock();
        writeln!(out, "PROBE {outcome}").unwrap();
        out.flush().unwrap();
        return;
    }
    let (_dir, path) = temp_book();
    let sb = Stockbook::open(&path).unwrap();
    assert_eq!(sb.on_hand("A", "BIN").unwrap(), Qty::from_int(7));
}

fn probe(path: &std::path::Path) -> String {
    let out = Process::new(std::env::current_exe().unwrap())
        .args(["--exact", "open_probe", "--nocapture", "--test-threads=1"])
        .env(PROBE_ENV, path)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    stdout
        .lines()
        .find_map(|l| l.split_once("PROBE ").map(|(_, rest)| rest.trim()))
        .unwrap_or_else(|| panic!("no probe line in {stdout}"))
        .to_owned()
}

#[test]
fn locked_across_processes() {
    let (_dir, path) = temp_book();
    let sb = Stockbook::open(&path).unwrap();
    let before = snapshot(&sb);
    assert_eq!(probe(&path), "locked");
    assert_eq!(snapshot(&sb), before);
    sb.close().unwrap();
    assert_eq!(probe(&path), "ok");
}

#[test]
fn not_a_stockbook_file() {
    let dir = tempfile::tempdir().unwrap();
    // Random bytes.
    let noise = dir.path().join("noise.bin");
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    let bytes: Vec<u8> = (0..16_384)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x as u8
        })
        .collect();
    std::fs::write(&noise, &bytes).unwrap();
    let err = Stockbook::open(&noise).unwrap_err();
    assert_eq!(err.code(), "not_a_stockbook_file", "{err}");
    assert!(
        err.facts()
            .iter()
            .any(|(k, v)| *k == "path" && v.ends_with("noise.bin"))
    );
    assert_eq!(
        std::fs::read(&noise).unwrap(),
        bytes,
        "a foreign file was changed"
    );
    // A short text file.
    let text = dir.path().join("notes.txt");
    std::fs::write(&text, "hello, not a database\n").unwrap();
    assert_eq!(
        Stockbook::open(&text).unwrap_err().code(),
        "not_a_stockbook_file"
    );
    assert_eq!(
        std::fs::read_to_string(&text).unwrap(),
        "hello, not a database\n"
    );
    // A redb file of someone else's tables.
    let other = dir.path().join("other.redb");
    let table: redb::TableDefinition<&str, u64> = redb::TableDefinition::new("accounts");
    {
        let db = redb::Database::create(&other).unwrap();
        let txn = db.begin_write().unwrap();
        txn.open_table(table).unwrap().insert("alice", 42).unwrap();
        txn.commit().unwrap();
    }
    let err = Stockbook::open(&other).unwrap_err();
    assert_eq!(err.code(), "not_a_stockbook_file", "{err}");
    let db = redb::Database::open(&other).unwrap();
    let read = redb::ReadableDatabase::begin_read(&db).unwrap();
    let names: Vec<String> = read
        .list_tables()
        .unwrap()
        .map(|t| redb::TableHandle::name(&t).to_owned())
        .collect();
    assert_eq!(
        names,
        vec!["accounts".to_owned()],
        "a foreign redb file got new tables"
    );
    let accounts = read.open_table(table).unwrap();
    assert_eq!(
        redb::ReadableTable::get(&accounts, "alice")
            .unwrap()
            .unwrap()
            .value(),
        42
    );
}

#[test]
fn unsupported_format() {
    let (_dir, path) = temp_book();
    let meta: redb::TableDefinition<&str, &[u8]> = redb::TableDefinition::new("meta");
    {
        let db = redb::Database::open(&path).unwrap();
        let txn = db.begin_write().unwrap();
        let newer = (stockbook::FORMAT_VERSION + 1).to_le_bytes();
        txn.open_table(meta)
            .unwrap()
            .insert("format_version", newer.as_slice())
            .unwrap();
        txn.commit().unwrap();
    }
    let err = Stockbook::open(&path).unwrap_err();
    assert_eq!(err.code(), "unsupported_format", "{err}");
    let facts: BTreeMap<_, _> = err.facts().into_iter().collect();
    assert_eq!(
        fact(&facts, "found"),
        (stockbook::FORMAT_VERSION + 1).to_string()
    );
    assert_eq!(
        fact(&facts, "supported"),
        stockbook::FORMAT_VERSION.to_string()
    );
    // Put the version back: the data was not touched by the refused open.
    {
        let db = redb::Database::open(&path).unwrap();
        let txn = db.begin_write().unwrap();
        let current = stockbook::FORMAT_VERSION.to_le_bytes();
        txn.open_table(meta)
            .unwrap()
            .insert("format_version", current.as_slice())
            .unwrap();
        txn.commit().unwrap();
    }
    let sb = Stockbook::open(&path).unwrap();
    assert_eq!(sb.on_hand("A", "BIN").unwrap(), Qty::from_int(7));
    assert_eq!(sb.last_seq().unwrap(), 3);
}

/// Rewrites the file of `temp_book` (item A defined at seq 1, BIN at 2, 7 received at
/// seq 3 at `at`) as an older version wrote it. Versions 1 to 3 kept each folded index row
/// as one entry of `moves`, with bucket totals in `move_sums`. Version 1 kept every row
/// and history pair in `moves` and `item_events`; version 2 kept the newest ones in two
/// more tables, with the bucket totals counting every row. Neither recorded how far
/// folding went. Version 3 did, and this file is rewritten with everything folded. The
/// snapshot is dropped, so opening replays.
fn rewrite_as_version(path: &std::path::Path, version: u32, at: i64) {
    let db = redb::Database::open(path).unwrap();
    let txn = db.begin_write().unwrap();
    txn.delete_table(redb::TableDefinition::<(&str, u64, u32), &[u8]>::new(
        "index_parts",
    ))
    .unwrap();
    {
        let mut meta = txn
            .open_table(redb::TableDefinition::<&str, &[u8]>::new("meta"))
            .unwrap();
        if version == 3 {
            // Folded { seq: 3, block: None, moves_done: 0, pairs_done: 0 }: a version-1
            // record of postcard.
            meta.insert("folded", [1u8, 3, 0, 0, 0].as_slice()).unwrap();
        } else {
            meta.remove("folded").unwrap();
            meta.remove("block_events").unwrap();
        }
        meta.insert("format_version", version.to_le_bytes().as_slice())
            .unwrap();
        let mut snapshots = txn
            .open_table(redb::TableDefinition::<u64, &[u8]>::new("snapshots"))
            .unwrap();
        snapshots.retain(|_, _| false).unwrap();
        // (sku, location, axis code, ordinal, seq) → units: by time the raw change, by
        // sequence the running total.
        let rows = [
            (("A", "BIN", 0u8, at, 3u64), 7i64),
            (("A", "BIN", 1, 3, 3), 7),
        ];
        let mut sums = txn
            .open_table(redb::TableDefinition::<(&str, &str, u8, u8, i64), i64>::new("move_sums"))
            .unwrap();
        sums.insert(("A", "BIN", 0, 1, at >> 26), 7).unwrap();
        sums.insert(("A", "BIN", 0, 2, at >> 32), 7).unwrap();
        let mut archive = txn
            .open_table(redb::TableDefinition::<(&str, u64), ()>::new("item_events"))
            .unwrap();
        archive.insert(("A", 1), ()).unwrap();
        if matches!(version, 1 | 3) {
            archive.insert(("A", 3), ()).unwrap();
            let mut moves = txn
                .open_table(redb::TableDefinition::<(&str, &str, u8, i64, u64), i64>::new("moves"))
                .unwrap();
            for (key, units) in rows {
                moves.insert(key, units).unwrap();
            }
        } else {
            let mut recent = txn
                .open_table(redb::TableDefinition::<(u64, &str, u64), ()>::new(
                    "recent_item_events",
                ))
                .unwrap();
            recent.insert((0, "A", 3), ()).unwrap();
            let mut recent = txn
                .open_table(
                    redb::TableDefinition::<(u64, &str, &str, u8, i64, u64), i64>::new(
                        "recent_moves",
                    ),
                )
                .unwrap();
            for ((sku, location, code, ordinal, seq), units) in rows {
                recent
                    .insert((0, sku, location, code, ordinal, seq), units)
                    .unwrap();
            }
        }
    }
    txn.commit().unwrap();
}

#[test]
fn files_of_older_versions_are_upgraded_on_open() {
    use redb::ReadableDatabase;
    for version in [1u32, 2, 3] {
        let (_dir, path) = temp_book();
        let (history_before, at) = {
            let sb = Stockbook::open(&path).unwrap();
            let history = sb.history("A", 1, 100).unwrap();
            sb.close().unwrap();
            let seqs: Vec<u64> = history.iter().map(|e| e.seq).collect();
            (seqs, history[1].effective_at)
        };
        assert_eq!(history_before, vec![1, 3], "defined, then received");
        rewrite_as_version(&path, version, at);
        for reopened in [false, true] {
            let sb = Stockbook::open(&path).unwrap();
            let history: Vec<u64> = sb
                .history("A", 1, 100)
                .unwrap()
                .iter()
                .map(|e| e.seq)
                .collect();
            let on_hand = |as_of| sb.on_hand_at("A", "BIN", as_of).unwrap();
            assert_eq!(on_hand(stockbook::AsOf::Time(at)), Qty::from_int(7));
            assert_eq!(on_hand(stockbook::AsOf::Time(at - 1)), Qty::ZERO);
            assert_eq!(on_hand(stockbook::AsOf::Seq(3)), Qty::from_int(7));
            assert_eq!(on_hand(stockbook::AsOf::Seq(2)), Qty::ZERO);
            assert!(sb.verify().unwrap().is_sound(), "version {version}");
            if reopened {
                assert_eq!(history, vec![1, 3, 4]);
                assert_eq!(
                    on_hand(stockbook::AsOf::Seq(4)),
                    Qty::from_int(5),
                    "the issue after the upgrade"
                );
            } else {
                assert_eq!(history, history_before, "version {version}");
                sb.ship(Issue::new("A", "BIN", 2)).unwrap();
                assert_eq!(sb.history("A", 1, 100).unwrap().len(), 3);
            }
            sb.close().unwrap();
        }
        let db = redb::Database::open(&path).unwrap();
        let read = db.begin_read().unwrap();
        let version_now = read
            .open_table(redb::TableDefinition::<&str, &[u8]>::new("meta"))
            .unwrap()
            .get("format_version")
            .unwrap()
            .map(|v| u32::from_le_bytes(v.value().try_into().unwrap()));
        assert_eq!(version_now, Some(stockbook::FORMAT_VERSION));
        let tables: Vec<String> = read
            .list_tables()
            .unwrap()
            .map(|t| redb::TableHandle::name(&t).to_owned())
            .collect();
        assert!(
            !tables
                .iter()
                .any(|t| t.starts_with("recent_") || t == "moves" || t == "move_sums"),
            "{tables:?}"
        );
        assert!(tables.iter().any(|t| t == "index_parts"), "{tables:?}");
    }
}

#[test]
fn io_error_for_a_missing_directory() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("no/such/dir/book.stockbook");
    let err = Stockbook::open(&path).unwrap_err();
    assert_eq!(err.code(), "io", "{err}");
    assert!(!path.exists());
}

#[test]
fn closed() {
    let (sb, _) = book();
    let clone = sb.clone();
    sb.close().unwrap();
    for err in [
        clone.ship(Issue::new("A", "WH/1", 1)).unwrap_err(),
        clone.on_hand("A", "WH/1").unwrap_err(),
        clone.last_seq().unwrap_err(),
        clone.events(0, 10).unwrap_err(),
        clone.verify().unwrap_err(),
        clone
            .execute_batch(vec![Command::DefineItem(Item::new("Z"))], Meta::new())
            .unwrap_err(),
        sb.sync().unwrap_err(),
    ] {
        assert_eq!(err.code(), "closed", "{err}");
        assert!(err.facts().is_empty());
    }
    assert!(matches!(
        clone.events_iter(0).next(),
        Some(Err(Error::Closed))
    ));
    // Closing twice is harmless.
    clone.close().unwrap();
}

/// A file closed with stock in it reopens with exactly that state.
#[test]
fn refusals_leave_the_file_unchanged_across_reopen() {
    let (_dir, path) = temp_book();
    let sb = Stockbook::open(&path).unwrap();
    refused(&sb, "insufficient_stock", |sb| {
        sb.ship(Issue::new("A", "BIN", 8))
    });
    refused(&sb, "batch_refused", |sb| {
        sb.execute_batch(
            vec![
                Command::Receive(Receive::new("A", "BIN", 1)),
                Command::Ship(Issue::new("A", "BIN", 9)),
            ],
            Meta::new(),
        )
    });
    let before = snapshot(&sb);
    sb.close().unwrap();
    let sb = Stockbook::open(&path).unwrap();
    assert_eq!(snapshot(&sb), before);
    assert!(sb.verify().unwrap().is_sound());
}

/// A book whose index rows are folded into parts: blocks of 4 events, 20 receipts of A at
/// BIN.
fn folded_book() -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("book.stockbook");
    let options = stockbook::Options {
        index_block_events: 4,
        ..stockbook::Options::default()
    };
    let sb = Stockbook::open_with(&path, options).unwrap();
    sb.define_item(Item::new("A")).unwrap();
    sb.define_location(Location::new("BIN")).unwrap();
    for _ in 0..20 {
        sb.receive(Receive::new("A", "BIN", 1)).unwrap();
    }
    assert!(sb.verify().unwrap().is_sound());
    sb.close().unwrap();
    (dir, path)
}

/// Rewrites the first stored index part of `path`: removed, or with `bytes` in its place.
fn damage_first_part(path: &std::path::Path, bytes: Option<&[u8]>) {
    use redb::ReadableTable;
    let parts = redb::TableDefinition::<(&str, u64, u32), &[u8]>::new("index_parts");
    let db = redb::Database::open(path).unwrap();
    let txn = db.begin_write().unwrap();
    {
        let mut table = txn.open_table(parts).unwrap();
        let (sku, block, number) = {
            let (key, _) = table.first().unwrap().expect("a folded part");
            let (sku, block, number) = key.value();
            (sku.to_owned(), block, number)
        };
        match bytes {
            Some(bytes) => table.insert((sku.as_str(), block, number), bytes),
            None => table.remove((sku.as_str(), block, number)),
        }
        .unwrap();
    }
    txn.commit().unwrap();
}

/// Opens the damaged book and checks that `verify` reports a problem `found` accepts, and
/// that the balance, which comes from the log, still reads.
fn open_and_verify(path: &std::path::Path, found: impl Fn(&str) -> bool) -> Stockbook {
    let sb = Stockbook::open(path).unwrap();
    let report = sb.verify().unwrap();
    assert!(report.problems.iter().any(|p| found(p)), "{report:?}");
    assert_eq!(sb.on_hand("A", "BIN").unwrap(), Qty::from_int(20));
    sb
}

#[test]
fn verify_finds_a_missing_index_part() {
    let (_dir, path) = folded_book();
    damage_first_part(&path, None);
    open_and_verify(&path, |p| {
        p.contains("point-in-time index differs from the log")
    });
}

#[test]
fn a_damaged_index_part_is_reported_and_refused_not_read() {
    let (_dir, path) = folded_book();
    damage_first_part(&path, Some(&[5, 0xff]));
    let sb = open_and_verify(&path, |p| {
        p.starts_with("index part A/") && p.contains("damaged")
    });
    let err = sb
        .on_hand_at("A", "BIN", stockbook::AsOf::Time(i64::MAX))
        .unwrap_err();
    assert_eq!(err.code(), "storage", "{err}");
}

/// A log chunk that cannot be read stops the open with a storage error (the replay reads
/// the log on a second thread; its error must come through, and nothing may hang).
#[test]
fn a_damaged_log_chunk_is_refused_on_open() {
    use redb::{ReadableTable, ReadableTableMetadata};
    let (_dir, path) = temp_book();
    {
        let db = redb::Database::open(&path).unwrap();
        let txn = db.begin_write().unwrap();
        {
            let mut events = txn
                .open_table(redb::TableDefinition::<u64, &[u8]>::new("events"))
                .unwrap();
            let first = events.first().unwrap().expect("a chunk").0.value();
            assert!(
                events.len().unwrap() > 1,
                "the damaged chunk is not the last"
            );
            events.insert(first, [2u8, 9, 9, 9].as_slice()).unwrap();
            let mut snapshots = txn
                .open_table(redb::TableDefinition::<u64, &[u8]>::new("snapshots"))
                .unwrap();
            snapshots.retain(|_, _| false).unwrap();
        }
        txn.commit().unwrap();
    }
    let err = Stockbook::open(&path).unwrap_err();
    assert_eq!(err.code(), "storage", "{err}");
}

/// An item with more changes in a block than one index part holds: its blocks get a
/// directory, the answers by time and by sequence equal a tally before and after reopening,
/// and a lost directory is reported by `verify`.
#[test]
fn a_busy_item_is_answered_through_block_directories() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("book.stockbook");
    let clock = ManualClock::new(START_MS);
    let options = Options {
        index_block_events: 1_000,
        ..Options::default()
    }
    .with_clock(clock.clone());
    // (effective time, seq, units) of every receipt and issue at BIN.
    let mut changes: Vec<(i64, u64, i64)> = Vec::new();
    {
        let sb = Stockbook::open_with(&path, options.clone()).unwrap();
        sb.define_item(Item::new("A")).unwrap();
        sb.define_location(Location::new("BIN")).unwrap();
        for i in 0..3_500i64 {
            clock.advance(60_000);
            let receipt = if i % 3 == 2 {
                sb.ship(Issue::new("A", "BIN", 1)).unwrap()
            } else {
                sb.receive(Receive::new("A", "BIN", 2)).unwrap()
            };
            let units = if i % 3 == 2 { -1 } else { 2 };
            changes.push((START_MS + (i + 1) * 60_000, receipt.last_seq, units));
        }
        sb.close().unwrap();
    }
    let tally_time = |t: i64| {
        changes
            .iter()
            .filter(|c| c.0 <= t)
            .map(|c| c.2)
            .sum::<i64>()
    };
    let tally_seq = |q: u64| {
        changes
            .iter()
            .filter(|c| c.1 <= q)
            .map(|c| c.2)
            .sum::<i64>()
    };
    for _ in 0..2 {
        let sb = Stockbook::open_with(&path, options.clone()).unwrap();
        assert!(sb.verify().unwrap().is_sound());
        for k in (0..changes.len()).step_by(97).chain([changes.len() - 1]) {
            let (t, q, _) = changes[k];
            for (t, q) in [(t, q), (t - 1, q - 1)] {
                let at = |as_of| sb.on_hand_at("A", "BIN", as_of).unwrap();
                assert_eq!(at(stockbook::AsOf::Time(t)), Qty::from_int(tally_time(t)));
                assert_eq!(at(stockbook::AsOf::Seq(q)), Qty::from_int(tally_seq(q)));
            }
        }
        sb.close().unwrap();
    }
    // Drop the first directory: the block still has its parts, and verify says so.
    {
        use redb::ReadableTable;
        let parts = redb::TableDefinition::<(&str, u64, u32), &[u8]>::new("index_parts");
        let db = redb::Database::open(&path).unwrap();
        let txn = db.begin_write().unwrap();
        {
            let mut table = txn.open_table(parts).unwrap();
            let first = table
                .iter()
                .unwrap()
                .map(|e| e.unwrap().0.value().1)
                .next()
                .unwrap();
            assert!(table.remove(("A", first, u32::MAX)).unwrap().is_some());
        }
        txn.commit().unwrap();
    }
    let sb = Stockbook::open_with(&path, options).unwrap();
    let report = sb.verify().unwrap();
    assert!(
        report
            .problems
            .iter()
            .any(|p| p.contains("several parts and no directory")),
        "{report:?}"
    );
}
