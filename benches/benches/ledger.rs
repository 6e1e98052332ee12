//! Criterion benches of the ledger's write and read paths (issue: core engine):
//! (a) single durable commands from 1 thread, (b) from 64 threads with group commit,
//! (c) atomic batches of 1,000, (d) `on_hand_at` over a 1,000,000-event history.
//! The last bench prints the targets side by side with their baselines.
//!
//! Run: `cargo bench -p stockbook-benches --bench ledger`

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use stockbook::{AsOf, Command, Durability, Issue, Meta, Options, Receive, Transfer};
use stockbook_benches::{bin_code, criterion_mean_ns, fixture, sku};

const THREADS: usize = 64;

fn single_thread(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    let sb = fixture(dir.path(), Options::default(), 10, 4, 1_000_000);
    let mut g = c.benchmark_group("ledger");
    g.throughput(Throughput::Elements(1));
    g.measurement_time(Duration::from_secs(5));
    let mut i = 0usize;
    g.bench_function("a_single_durable_1_thread", |b| {
        b.iter(|| {
            i += 1;
            let cmd: Command = match i % 3 {
                0 => Receive::new(sku(i % 10), bin_code(i % 4), 5).into(),
                1 => Transfer::new(sku(i % 10), bin_code(i % 4), bin_code((i + 1) % 4), 1).into(),
                _ => Command::Issue(Issue::new(sku(i % 10), bin_code(i % 4), 2)),
            };
            sb.execute(cmd, Meta::default()).unwrap()
        });
    });
    g.finish();
}

fn many_threads(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    let sb = fixture(dir.path(), Options::default(), 100, 4, 1_000_000);
    let mut g = c.benchmark_group("ledger");
    g.throughput(Throughput::Elements(1));
    g.measurement_time(Duration::from_secs(8));
    let counter = Arc::new(AtomicUsize::new(0));
    g.bench_function("b_single_durable_64_threads", |b| {
        b.iter_custom(|iters| {
            let per_thread = (iters as usize).div_ceil(THREADS);
            let start = Instant::now();
            std::thread::scope(|s| {
                for _ in 0..THREADS {
                    let sb = sb.clone();
                    let counter = Arc::clone(&counter);
                    s.spawn(move || {
                        for _ in 0..per_thread {
                            let i = counter.fetch_add(1, Ordering::Relaxed);
                            let cmd: Command = if i.is_multiple_of(2) {
                                Receive::new(sku(i % 100), bin_code(i % 4), 3).into()
                            } else {
                                Command::Issue(Issue::new(sku(i % 100), bin_code(i % 4), 2))
                            };
                            sb.execute(cmd, Meta::default()).unwrap();
                        }
                    });
                }
            });
            // Normalise to the number of iterations asked for.
            start
                .elapsed()
                .mul_f64(iters as f64 / (per_thread * THREADS) as f64)
        });
    });
    g.finish();
}

fn batches(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    let sb = fixture(dir.path(), Options::default(), 1000, 4, 0);
    let mut g = c.benchmark_group("ledger");
    g.throughput(Throughput::Elements(1000));
    g.measurement_time(Duration::from_secs(5));
    let mut n = 0usize;
    g.bench_function(BenchmarkId::new("c_atomic_batch", 1000), |b| {
        b.iter(|| {
            n += 1;
            let cmds: Vec<Command> = (0..1000)
                .map(|i| Receive::new(sku(i), bin_code((i + n) % 4), 1).into())
                .collect();
            sb.execute_batch(cmds, Meta::default()).unwrap()
        });
    });
    g.finish();
}

fn point_in_time(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    // 1,000,000 movements of one SKU over a year, loaded in bulk mode.
    let clock = stockbook::ManualClock::new(1_735_689_600_000);
    let options = Options::default()
        .with_clock(clock.clone())
        .with_durability(Durability::BulkLoad);
    let sb = fixture(dir.path(), options, 1, 4, 0);
    let events = 1_000_000usize;
    let step_ms = 365 * 86_400_000 / events as i64;
    for chunk in 0..events / 1000 {
        let cmds: Vec<Command> = (0..1000)
            .map(|i| Receive::new(sku(0), bin_code((chunk + i) % 4), 1).into())
            .collect();
        sb.execute_batch(cmds, Meta::default()).unwrap();
        clock.advance(step_ms * 1000);
    }
    sb.sync().unwrap();
    let end = 1_735_689_600_000 + 365 * 86_400_000;
    let mut g = c.benchmark_group("ledger");
    let mut k = 0i64;
    g.bench_function("d_on_hand_at_1M_events", |b| {
        b.iter(|| {
            k = (k + 7_919) % 1000;
            let at = 1_735_689_600_000 + (end - 1_735_689_600_000) * k / 1000;
            sb.on_hand_at(&sku(0), "WH1", AsOf::Time(at)).unwrap()
        });
    });
    g.bench_function("d_on_hand_at_seq_1M_events", |b| {
        b.iter(|| {
            k = (k + 7_919) % 1000;
            sb.on_hand_at(&sku(0), "WH1", AsOf::Seq(k as u64 * 1000))
                .unwrap()
        });
    });
    g.finish();
}

fn summary(_c: &mut Criterion) {
    let target = std::env::var_os("CARGO_TARGET_DIR").map_or_else(
        || std::path::PathBuf::from("target"),
        std::path::PathBuf::from,
    );
    let target = if target.is_absolute() {
        target
    } else {
        std::path::PathBuf::from("../").join(target)
    };
    let mean = |id: &str| criterion_mean_ns(&target, id);
    let per_sec = |ns: f64, n: f64| n * 1e9 / ns;
    println!("\n== ledger summary (this run) ==");
    if let (Some(a), Some(b)) = (
        mean("ledger/a_single_durable_1_thread"),
        mean("ledger/b_single_durable_64_threads"),
    ) {
        let (ra, rb) = (per_sec(a, 1.0), per_sec(b, 1.0));
        println!("(a) 1 thread, durable:           {ra:>12.0} movements/s");
        println!(
            "(b) 64 threads, group commit:    {rb:>12.0} movements/s  = {:.1} x (a)  [target >= 10 x]",
            rb / ra
        );
    }
    if let Some(cn) = mean("ledger/c_atomic_batch/1000") {
        println!(
            "(c) atomic batches of 1,000:     {:>12.0} movements/s  [target >= 200,000]",
            per_sec(cn, 1000.0)
        );
    }
    for id in [
        "ledger/d_on_hand_at_1M_events",
        "ledger/d_on_hand_at_seq_1M_events",
    ] {
        if let Some(d) = mean(id) {
            println!(
                "(d) {id:<32} {:>9.1} µs per call  [target <= 1,000 µs]",
                d / 1000.0
            );
        }
    }
}

criterion_group!(
    benches,
    single_thread,
    many_threads,
    batches,
    point_in_time,
    summary
);
criterion_main!(benches);
