//! Memory and snapshot size with closed records leaving memory, side by side with a
//! retention window longer than the run (every closed record kept in memory).
//!
//! ```text
//! retention [orders]          # both runs, each in its own process; default 1,000,000
//! retention run <window_ms> <orders>
//! ```
//!
//! A run creates, confirms and cancels `orders` orders in batches of 1,000 (bulk-load
//! durability, one flush at the end), with a manual clock that moves 100 minutes per batch:
//! a million orders span about 70 days, ten retention windows of the default 7 days. It
//! prints the process's resident memory (VmRSS, and its peak VmHWM, from /proc/self/status)
//! as it goes, and the snapshot and file sizes once closed.
use std::process::Command as Process;
use std::time::Instant;

use redb::{ReadableDatabase, ReadableTable, TableDefinition};
use stockbook::orders::{CancelOrder, CreateOrder, NewOrderLine, OrderState, OrderStep};
use stockbook::{
    Command, Durability, Item, Location, LocationKind, ManualClock, Meta, Options, Qty, Stockbook,
};

const T0: i64 = 1_767_225_600_000;
const BATCH: usize = 1000;
const STEP_MS: i64 = 100 * 60 * 1000;
const DAY_MS: i64 = 86_400_000;

/// (VmRSS, VmHWM) in MiB.
fn memory_mib() -> (f64, f64) {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let field = |name: &str| {
        status
            .lines()
            .find(|l| l.starts_with(name))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|kb| kb.parse::<f64>().ok())
            .map_or(0.0, |kb| kb / 1024.0)
    };
    (field("VmRSS:"), field("VmHWM:"))
}

fn run(window_ms: i64, orders: usize) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("retention.redb");
    let clock = ManualClock::new(T0);
    let mut options = Options::default()
        .with_clock(clock.clone())
        .with_durability(Durability::BulkLoad);
    options.closed_retention_ms = window_ms;
    let sb = Stockbook::open_with(&path, options).unwrap();
    let mut site = Location::new("WH1");
    site.kind = LocationKind::Site;
    sb.define_location(site).unwrap();
    sb.define_item(Item::new("A")).unwrap();
    let (rss, hwm) = memory_mib();
    println!("before: VmRSS {rss:.0} MiB, VmHWM {hwm:.0} MiB");
    let t = Instant::now();
    let mut done = 0;
    while done < orders {
        let ids: Vec<String> = (done..(done + BATCH).min(orders))
            .map(|i| format!("O-{i:07}"))
            .collect();
        let create = ids
            .iter()
            .map(|id| {
                Command::CreateOrder(
                    CreateOrder::new(
                        id.clone(),
                        "WH1",
                        vec![NewOrderLine::new("A", Qty::from_int(1))],
                    )
                    .customer("C-1")
                    .priority(100),
                )
            })
            .collect();
        sb.execute_batch(create, Meta::new()).unwrap();
        let confirm = ids
            .iter()
            .map(|id| Command::ConfirmOrder(OrderStep::new(id.clone())))
            .collect();
        sb.execute_batch(confirm, Meta::new()).unwrap();
        let cancel = ids
            .iter()
            .map(|id| Command::CancelOrder(CancelOrder::new(id.clone())))
            .collect();
        sb.execute_batch(cancel, Meta::new()).unwrap();
        done += ids.len();
        clock.advance(STEP_MS);
        if done % (orders / 5).max(BATCH) == 0 {
            let (rss, hwm) = memory_mib();
            println!(
                "{done:>9} orders: VmRSS {rss:>6.0} MiB, VmHWM {hwm:>6.0} MiB, closed in memory {:>9}, {:.1} s",
                sb.closed_in_memory().unwrap(),
                t.elapsed().as_secs_f64()
            );
        }
    }
    // Still answered, from memory or from the store.
    let first = sb.order("O-0000000").unwrap();
    assert_eq!(first.state, OrderState::Cancelled);
    let cancelled = sb.orders(Some(OrderState::Cancelled)).unwrap().len();
    assert_eq!(cancelled, orders);
    let (rss, hwm) = memory_mib();
    println!("after:  VmRSS {rss:.0} MiB, VmHWM {hwm:.0} MiB (after listing every order)");
    sb.close().unwrap();
    let file_bytes = std::fs::metadata(&path).unwrap().len();
    let db = redb::Database::open(&path).unwrap();
    let read = db.begin_read().unwrap();
    let snapshots: TableDefinition<u64, &[u8]> = TableDefinition::new("snapshots");
    let table = read.open_table(snapshots).unwrap();
    let snapshot_bytes: usize = table
        .iter()
        .unwrap()
        .map(|row| row.unwrap().1.value().len())
        .sum();
    println!(
        "snapshot {:.1} MiB, file {:.1} MiB",
        snapshot_bytes as f64 / 1_048_576.0,
        file_bytes as f64 / 1_048_576.0
    );
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.get(1).map(String::as_str) == Some("run") {
        let window: i64 = args[2].parse().unwrap();
        let orders: usize = args[3].parse().unwrap();
        run(window, orders);
        return;
    }
    let orders: usize = args.get(1).map_or(1_000_000, |n| n.parse().unwrap());
    let me = std::env::current_exe().unwrap();
    for (title, window) in [
        ("retention 7 days", 7 * DAY_MS),
        ("retention longer than the run (all kept)", i64::MAX),
    ] {
        println!("== {title}: {orders} orders created, confirmed, cancelled");
        let status = Process::new(&me)
            .args(["run", &window.to_string(), &orders.to_string()])
            .status()
            .unwrap();
        assert!(status.success());
    }
}
