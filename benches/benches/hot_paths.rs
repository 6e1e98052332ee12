//! Criterion benches of every hot path, through the public API (the codec and the apply
//! step are crate-private, so they are measured by the calls that are mostly them):
//!
//! - `codec/decode_1000_events`: `events(from, 1000)`, reading and decoding the log;
//! - `apply/batch_1000_in_memory`: `execute_batch` of 1,000 commands on an in-memory book
//!   in bulk mode: deciding, applying, encoding and indexing, with no disk in the way;
//! - `group_commit/{16,64}_threads`: single durable commands from many threads;
//! - `atp/available_site`: available to promise at a site of 4 bins, 10,000 SKUs;
//! - `point_in_time/on_hand_at_1M_events`: on hand at a past time over 1,000,000 events;
//! - `replay/open_{no_snapshot,snapshot}_200k_events`: opening a 200,000-event file.
//!
//! Run: `cargo bench -p stockbook-benches --bench hot_paths` (about three minutes).

use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use stockbook::{AsOf, Command, Durability, ManualClock, Meta, Options, Stockbook};
use stockbook_benches::workload::{Op, Rng, SITE, Stream, cyclic_op, master_data};
use stockbook_benches::{bin_code, sku};

const BINS: usize = 4;
const T0_MS: i64 = 1_735_689_600_000;
const SPAN_MS: i64 = 365 * 86_400_000;

/// Loads `events` stream commands over `skus` items in batches of 1,000, spread over a
/// year of business time, in bulk mode, and syncs.
fn history(sb: &Stockbook, clock: &ManualClock, skus: usize, events: usize, reserve: bool) {
    for chunk in master_data(skus, BINS).chunks(1000) {
        sb.execute_batch(chunk.to_vec(), Meta::default())
            .expect("master data");
    }
    let batches = events.div_ceil(1000);
    let step = SPAN_MS / batches as i64;
    let mut stream = Stream::new(5, skus, BINS, reserve);
    for k in 0..batches {
        clock.set(T0_MS + k as i64 * step);
        let commands: Vec<Command> = stream.by_ref().take(1000).map(|op| op.command()).collect();
        sb.execute_batch(commands, Meta::default()).expect("batch");
    }
    sb.sync().expect("sync");
}

fn bulk(path: Option<&Path>, snapshots: bool) -> (Stockbook, std::sync::Arc<ManualClock>) {
    let clock = ManualClock::new(T0_MS);
    let mut options = Options::default()
        .with_durability(Durability::BulkLoad)
        .with_clock(clock.clone());
    if !snapshots {
        options.snapshot_every_events = u64::MAX;
    }
    let sb = match path {
        Some(p) => Stockbook::open_with(p, options),
        None => Stockbook::in_memory_with(options),
    }
    .expect("open");
    (sb, clock)
}

fn codec(c: &mut Criterion) {
    let (sb, clock) = bulk(None, true);
    history(&sb, &clock, 1000, 100_000, true);
    let last = sb.last_seq().unwrap();
    let mut g = c.benchmark_group("codec");
    g.throughput(Throughput::Elements(1000));
    let mut rng = Rng::new(1);
    g.bench_function("decode_1000_events", |b| {
        b.iter(|| {
            let from = 1 + rng.below(last - 1000);
            let events = sb.events(from, 1000).unwrap();
            assert_eq!(events.len(), 1000);
            events
        });
    });
    g.finish();
}

fn apply(c: &mut Criterion) {
    let (sb, _clock) = bulk(None, true);
    for chunk in master_data(1000, BINS).chunks(1000) {
        sb.execute_batch(chunk.to_vec(), Meta::default()).unwrap();
    }
    let mut stream = Stream::new(9, 1000, BINS, false);
    let mut g = c.benchmark_group("apply");
    g.throughput(Throughput::Elements(1000));
    g.bench_function("batch_1000_in_memory", |b| {
        b.iter_batched(
            || {
                stream
                    .by_ref()
                    .take(1000)
                    .map(|op| op.command())
                    .collect::<Vec<_>>()
            },
            |commands| sb.execute_batch(commands, Meta::default()).unwrap(),
            criterion::BatchSize::SmallInput,
        );
    });
    g.finish();
}

fn group_commit(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    let sb = Stockbook::open(dir.path().join("gc.stockbook")).unwrap();
    for chunk in master_data(100, BINS).chunks(1000) {
        sb.execute_batch(chunk.to_vec(), Meta::default()).unwrap();
    }
    let opening: Vec<Command> = (0..100 * BINS)
        .map(|k| {
            Op::Receive {
                sku: k / BINS,
                bin: k % BINS,
                qty: 1_000_000_000,
            }
            .command()
        })
        .collect();
    sb.execute_batch(opening, Meta::default()).unwrap();
    let next = AtomicUsize::new(0);
    let mut g = c.benchmark_group("group_commit");
    g.throughput(Throughput::Elements(1));
    for threads in [16usize, 64] {
        g.bench_function(format!("{threads}_threads"), |b| {
            b.iter_custom(|iters| {
                let per_thread = (iters as usize).div_ceil(threads);
                let start = Instant::now();
                std::thread::scope(|s| {
                    for _ in 0..threads {
                        let (sb, next) = (sb.clone(), &next);
                        s.spawn(move || {
                            for _ in 0..per_thread {
                                let i = next.fetch_add(1, Ordering::Relaxed);
                                let op = cyclic_op(i, 100, BINS);
                                sb.execute(op.command(), Meta::default()).unwrap();
                            }
                        });
                    }
                });
                start
                    .elapsed()
                    .mul_f64(iters as f64 / (per_thread * threads) as f64)
            });
        });
    }
    g.finish();
    sb.close().unwrap();
}

fn atp(c: &mut Criterion) {
    let (sb, clock) = bulk(None, true);
    history(&sb, &clock, 10_000, 200_000, true);
    let mut rng = Rng::new(2);
    let mut g = c.benchmark_group("atp");
    g.bench_function("available_site", |b| {
        b.iter_batched(
            || sku(rng.below(10_000) as usize),
            |s| sb.available(&s, SITE).unwrap(),
            criterion::BatchSize::SmallInput,
        );
    });
    g.bench_function("stock_level_bin", |b| {
        b.iter_batched(
            || {
                (
                    sku(rng.below(10_000) as usize),
                    bin_code(rng.below(4) as usize),
                )
            },
            |(s, l)| sb.stock_level(&s, &l).unwrap(),
            criterion::BatchSize::SmallInput,
        );
    });
    g.finish();
}

fn point_in_time(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    let (sb, clock) = bulk(Some(&dir.path().join("pit.stockbook")), true);
    history(&sb, &clock, 1000, 1_000_000, false);
    let mut rng = Rng::new(3);
    let mut g = c.benchmark_group("point_in_time");
    g.bench_function("on_hand_at_1M_events", |b| {
        b.iter_batched(
            || {
                (
                    sku(rng.below(1000) as usize),
                    bin_code(rng.below(4) as usize),
                    T0_MS + rng.below(SPAN_MS as u64) as i64,
                )
            },
            |(s, l, at)| sb.on_hand_at(&s, &l, AsOf::Time(at)).unwrap(),
            criterion::BatchSize::SmallInput,
        );
    });
    g.bench_function("on_hand_at_site_1M_events", |b| {
        b.iter_batched(
            || {
                (
                    sku(rng.below(1000) as usize),
                    T0_MS + rng.below(SPAN_MS as u64) as i64,
                )
            },
            |(s, at)| sb.on_hand_at(&s, SITE, AsOf::Time(at)).unwrap(),
            criterion::BatchSize::SmallInput,
        );
    });
    g.finish();
    sb.close().unwrap();
}

fn replay(c: &mut Criterion) {
    const EVENTS: usize = 200_000;
    let dir = tempfile::tempdir().unwrap();
    let (original, crashed) = (
        dir.path().join("replay.stockbook"),
        dir.path().join("crashed.stockbook"),
    );
    let (sb, clock) = bulk(Some(&original), false);
    history(&sb, &clock, 1000, EVENTS, false);
    // A copy of the synced file is a crash with no snapshot: after its first open (which
    // repairs it) and a close with nothing new (which writes no snapshot), every open
    // replays the whole log.
    std::fs::copy(&original, &crashed).unwrap();
    sb.close().unwrap();
    drop(sb);
    let events = {
        let sb = Stockbook::open(&crashed).unwrap();
        let n = sb.last_seq().unwrap();
        sb.close().unwrap();
        n
    };
    let mut g = c.benchmark_group("replay");
    g.sample_size(10);
    g.throughput(Throughput::Elements(events));
    g.bench_function("open_no_snapshot_200k_events", |b| {
        b.iter(|| {
            let sb = Stockbook::open(&crashed).unwrap();
            assert_eq!(sb.last_seq().unwrap(), events);
            sb.close().unwrap();
        });
    });
    g.bench_function("open_snapshot_200k_events", |b| {
        b.iter(|| {
            let sb = Stockbook::open(&original).unwrap();
            assert_eq!(sb.last_seq().unwrap(), events);
            sb.close().unwrap();
        });
    });
    g.finish();
}

fn config() -> Criterion {
    Criterion::default()
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3))
}

criterion_group! {
    name = benches;
    config = config();
    targets = codec, apply, group_commit, atp, point_in_time, replay
}
criterion_main!(benches);
