//! Reserve + commit throughput, durable, with 64 threads contending on 100 hot SKUs, and
//! the p50 / p99 latency of `reserve` (issue: reservations and orders).
//!
//! Run: `cargo bench -p stockbook-benches --bench reservations`

use std::sync::atomic::{AtomicI64, Ordering};
use std::time::{Duration, Instant};

use stockbook::orders::{CommitReservation, Reserve};
use stockbook::{Meta, Options};
use stockbook_benches::{fixture, sku};

const THREADS: usize = 64;
const HOT_SKUS: usize = 100;
const PAIRS_PER_THREAD: usize = 400;

fn main() {
    // `cargo test --benches` runs bench binaries with no `--bench` flag: keep that quick.
    let quick = !std::env::args().any(|a| a == "--bench");
    let per_thread = if quick { 5 } else { PAIRS_PER_THREAD };
    let dir = tempfile::tempdir().unwrap();
    let stock = (THREADS * per_thread) as i64; // plenty: contention, not shortage
    let sb = fixture(dir.path(), Options::default(), HOT_SKUS, 1, stock);
    let committed = AtomicI64::new(0);
    let start = Instant::now();
    let mut latencies: Vec<Duration> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..THREADS)
            .map(|t| {
                let (sb, committed) = (sb.clone(), &committed);
                s.spawn(move || {
                    let mut lat = Vec::with_capacity(per_thread);
                    for k in 0..per_thread {
                        let sku = sku((t * 7 + k) % HOT_SKUS);
                        let t0 = Instant::now();
                        let receipt = sb.execute(Reserve::new(&sku, "WH1", 1), Meta::default());
                        lat.push(t0.elapsed());
                        let id = receipt.expect("stock is plenty").reservation_id.unwrap();
                        sb.commit_reservation(CommitReservation::new(id).location("WH1/B000"))
                            .unwrap();
                        committed.fetch_add(1, Ordering::Relaxed);
                    }
                    lat
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap())
            .collect()
    });
    let elapsed = start.elapsed();
    latencies.sort_unstable();
    let pct = |p: f64| latencies[((latencies.len() as f64 * p) as usize).min(latencies.len() - 1)];
    let pairs = committed.load(Ordering::Relaxed);
    // Zero oversell: what left the bins equals what was committed.
    let left: i64 = (0..HOT_SKUS)
        .map(|i| sb.on_hand(&sku(i), "WH1").unwrap().units())
        .sum();
    assert_eq!(
        left,
        stock * HOT_SKUS as i64 * 100 - pairs * 100,
        "oversell or lost commit"
    );
    println!("== reservations (64 threads, 100 hot SKUs, durable)");
    println!(
        "reserve+commit pairs:   {pairs} in {:.2} s",
        elapsed.as_secs_f64()
    );
    println!(
        "reservations/s:         {:>10.0}  [target >= 20,000]",
        pairs as f64 / elapsed.as_secs_f64()
    );
    println!(
        "reserve latency p50:    {:>10.2} ms",
        pct(0.50).as_secs_f64() * 1e3
    );
    println!(
        "reserve latency p99:    {:>10.2} ms  [target <= 10 ms]",
        pct(0.99).as_secs_f64() * 1e3
    );
}
