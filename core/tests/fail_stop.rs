//! The writer fails loudly: a panic in one request refuses that request (`internal`) while
//! the others commit, and `close()` answers the final commit's error.

#[allow(dead_code, reason = "this binary uses part of the shared support")]
mod support;

use std::sync::{Arc, Barrier};

use stockbook::{Durability, Item, Location, Meta, Options, Qty, Receive, Stockbook};
use support::fault::{Disk, Plan};

/// Many callers at once, one of them on the item whose decision panics: that caller alone
/// is refused with `internal`, nothing of it is written, the others commit, and the
/// engine keeps serving.
#[test]
fn a_panic_in_one_concurrent_request_refuses_it_alone() {
    const CALLERS: usize = 16;
    let sb = Stockbook::in_memory().unwrap();
    sb.define_location(Location::new("WH1")).unwrap();
    for sku in ["A", "BAD"] {
        sb.define_item(Item::new(sku)).unwrap();
    }
    sb.receive(Receive::new("BAD", "WH1", 7)).unwrap();
    let before = sb.last_seq().unwrap();
    sb.inject_panic_for_sku(Some("BAD")).unwrap();
    let barrier = Arc::new(Barrier::new(CALLERS));
    let outcomes: Vec<(usize, Result<_, stockbook::Error>)> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..CALLERS)
            .map(|i| {
                let (sb, barrier) = (sb.clone(), Arc::clone(&barrier));
                s.spawn(move || {
                    barrier.wait();
                    let sku = if i == CALLERS / 2 { "BAD" } else { "A" };
                    (i, sb.receive(Receive::new(sku, "WH1", 1)))
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    for (i, outcome) in &outcomes {
        if *i == CALLERS / 2 {
            assert_eq!(outcome.as_ref().unwrap_err().code(), "internal");
        } else {
            assert!(outcome.is_ok(), "caller {i}: {outcome:?}");
        }
    }
    assert_eq!(
        sb.on_hand("A", "WH1").unwrap(),
        Qty::from_int(CALLERS as i64 - 1)
    );
    assert_eq!(sb.on_hand("BAD", "WH1").unwrap(), Qty::from_int(7));
    assert_eq!(sb.last_seq().unwrap(), before + CALLERS as u64 - 1);
    let report = sb.verify().unwrap();
    assert!(report.is_sound(), "{:?}", report.problems);
    // The hook fired once: the item takes stock again.
    sb.receive(Receive::new("BAD", "WH1", 1)).unwrap();
    assert_eq!(sb.on_hand("BAD", "WH1").unwrap(), Qty::from_int(8));
    // A keyed request that panicked is not remembered: its retry executes.
    sb.inject_panic_for_sku(Some("BAD")).unwrap();
    let meta = Meta::new().key("rcv-bad");
    let first = sb.execute(Receive::new("BAD", "WH1", 2), meta.clone());
    assert_eq!(first.unwrap_err().code(), "internal");
    sb.execute(Receive::new("BAD", "WH1", 2), meta).unwrap();
    assert_eq!(sb.on_hand("BAD", "WH1").unwrap(), Qty::from_int(10));
    sb.close().unwrap();
}

/// A bulk-load store flushes once, when it closes: if that flush fails, `close()` says so
/// instead of reporting success.
#[test]
fn close_answers_the_error_of_the_final_flush() {
    let disk = Disk::new(7);
    let options = Options::default().with_durability(Durability::BulkLoad);
    let sb = Stockbook::open_with_backend(disk.backend(), options).unwrap();
    sb.define_location(Location::new("WH1")).unwrap();
    sb.define_item(Item::new("A")).unwrap();
    sb.receive(Receive::new("A", "WH1", 5)).unwrap();
    disk.arm(Plan {
        fail_at_sync: Some(1),
        ..Plan::default()
    });
    let err = sb.close().unwrap_err();
    assert_eq!(err.code(), "storage", "{err}");
    let stats = disk.stats();
    assert!(stats.injected, "the flush failed");
    // The error is the final commit's own: close stopped there, and did not go on to
    // compact (which flushes too, and would have answered an error of its own).
    assert_eq!(stats.syncs, 1, "{stats:?}");
    // Closed all the same.
    assert_eq!(sb.last_seq().unwrap_err().code(), "closed");
}

/// Closing a sound store answers `Ok`.
#[test]
fn close_answers_ok_when_the_final_flush_succeeds() {
    let disk = Disk::new(7);
    let options = Options::default().with_durability(Durability::BulkLoad);
    let sb = Stockbook::open_with_backend(disk.backend(), options).unwrap();
    sb.define_location(Location::new("WH1")).unwrap();
    sb.close().unwrap();
    let sb = Stockbook::open_with_backend(disk.survivor(1).backend(), Options::default()).unwrap();
    assert!(sb.verify().unwrap().is_sound());
    assert_eq!(sb.last_seq().unwrap(), 1);
}

/// With immediate durability `close()` does not compact: its answer is the final commit's
/// alone (the snapshot it writes), and a failed flush there is an error, not `Ok`.
#[test]
fn close_answers_the_error_of_the_final_commit() {
    let disk = Disk::new(11);
    let sb = Stockbook::open_with_backend(disk.backend(), Options::default()).unwrap();
    sb.define_location(Location::new("WH1")).unwrap();
    sb.define_item(Item::new("A")).unwrap();
    sb.receive(Receive::new("A", "WH1", 5)).unwrap();
    disk.arm(Plan {
        fail_at_sync: Some(1),
        ..Plan::default()
    });
    let err = sb.close().unwrap_err();
    assert_eq!(err.code(), "storage", "{err}");
    assert!(disk.stats().injected);
    // What was committed before is durable all the same.
    let sb = Stockbook::open_with_backend(disk.survivor(1).backend(), Options::default()).unwrap();
    assert_eq!(sb.on_hand("A", "WH1").unwrap(), Qty::from_int(5));
    assert!(sb.verify().unwrap().is_sound());
}

/// A panic rebuilds the writer's state from the committed one: the writer must keep its
/// own books while doing so, or the records that leave memory afterwards would never reach
/// the `closed` table and could no longer be found.
#[test]
fn after_a_panic_records_that_leave_memory_still_reach_the_closed_table() {
    use stockbook::orders::Reserve;
    use stockbook::{ManualClock, Options};
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("after-panic.stockbook");
    let clock = ManualClock::new(1_767_225_600_000);
    let mut options = Options::default().with_clock(clock.clone());
    options.closed_retention_ms = 60_000;
    let sb = Stockbook::open_with(&path, options.clone()).unwrap();
    sb.define_location(Location::new("WH1")).unwrap();
    sb.define_item(Item::new("A")).unwrap();
    sb.receive(Receive::new("A", "WH1", 10)).unwrap();
    sb.inject_panic_for_sku(Some("A")).unwrap();
    let err = sb.receive(Receive::new("A", "WH1", 1)).unwrap_err();
    assert_eq!(err.code(), "internal");
    let held = sb.reserve(Reserve::new("A", "WH1", 3)).unwrap();
    let id = held.reservation_id;
    sb.release_reservation(&id, None).unwrap();
    // Past the window: the next event makes the released reservation leave memory.
    clock.advance(10 * 60_000);
    sb.receive(Receive::new("A", "WH1", 1)).unwrap();
    assert_eq!(sb.reservation(&id).unwrap().state.as_str(), "released");
    assert!(sb.verify().unwrap().is_sound());
    sb.close().unwrap();
    let sb = Stockbook::open_with(&path, options).unwrap();
    assert_eq!(sb.reservation(&id).unwrap().state.as_str(), "released");
    assert!(sb.verify().unwrap().is_sound());
    assert_eq!(sb.on_hand("A", "WH1").unwrap(), Qty::from_int(11));
}

/// A panic outside any one request (here after a commit, while the writer brings the
/// readers' former copy up to date) stops the writer: the group already answered stays
/// committed, every later write is refused with `internal` rather than left waiting,
/// reads keep answering, and `close()` reports the stop. Reopened, nothing acknowledged is
/// missing.
#[test]
fn a_panic_outside_a_request_stops_the_writer_and_no_caller_waits_forever() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("writer-panic.stockbook");
    let sb = Stockbook::open(&path).unwrap();
    sb.define_location(Location::new("WH1")).unwrap();
    sb.define_item(Item::new("A")).unwrap();
    sb.inject_writer_panic_after_commit().unwrap();
    sb.receive(Receive::new("A", "WH1", 5)).unwrap();
    let callers: Vec<_> = (0..4)
        .map(|_| {
            let sb = sb.clone();
            std::thread::spawn(move || sb.receive(Receive::new("A", "WH1", 1)))
        })
        .collect();
    for caller in callers {
        let err = caller.join().unwrap().unwrap_err();
        assert_eq!(err.code(), "internal", "{err}");
        assert!(err.to_string().contains("writer stopped"), "{err}");
    }
    assert_eq!(sb.on_hand("A", "WH1").unwrap(), Qty::from_int(5));
    assert_eq!(sb.close().unwrap_err().code(), "internal");
    let sb = Stockbook::open(&path).unwrap();
    assert_eq!(sb.on_hand("A", "WH1").unwrap(), Qty::from_int(5));
    assert!(sb.verify().unwrap().is_sound());
    sb.receive(Receive::new("A", "WH1", 1)).unwrap();
    assert_eq!(sb.on_hand("A", "WH1").unwrap(), Qty::from_int(6));
}
