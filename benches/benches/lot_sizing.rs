//! Dynamic lot sizing at the scale of a book: Wagner–Whitin (and Silver–Meal beside it) for
//! 10,000 items × 52 weekly periods, the planning issue's target being ≤ 1 s for all of
//! them on one core. `cargo bench -p stockbook-benches --bench lot_sizing`.

use criterion::{Criterion, criterion_group, criterion_main};
use stockbook::planning::policy::{silver_meal, wagner_whitin};

const ITEMS: usize = 10_000;
const PERIODS: usize = 52;

/// A deterministic, lumpy weekly demand per item: some weeks without demand, sizes that
/// vary by item and week.
fn demand() -> Vec<Vec<f64>> {
    (0..ITEMS)
        .map(|i| {
            (0..PERIODS)
                .map(|w| {
                    let x = (i * 7919 + w * 104_729) % 97;
                    if x < 20 { 0.0 } else { (x % 40) as f64 + 5.0 }
                })
                .collect()
        })
        .collect()
}

fn lot_sizing(c: &mut Criterion) {
    let all = demand();
    let mut group = c.benchmark_group("lot_sizing");
    group.sample_size(10);
    group.bench_function("wagner_whitin 10k items x 52 periods", |b| {
        b.iter(|| {
            all.iter()
                .map(|d| wagner_whitin(d, 120.0, 0.5, 0.0).unwrap().cost)
                .sum::<f64>()
        });
    });
    group.bench_function("silver_meal 10k items x 52 periods", |b| {
        b.iter(|| {
            all.iter()
                .map(|d| silver_meal(d, 120.0, 0.5, 0.0).unwrap().cost)
                .sum::<f64>()
        });
    });
    group.finish();
}

criterion_group!(benches, lot_sizing);
criterion_main!(benches);
