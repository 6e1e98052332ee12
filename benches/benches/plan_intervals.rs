//! Criterion bench of the replenishment plan with prediction intervals on (planning
//! issue, forecasting part): 100,000 items × 104 weeks of history at one site, every row
//! carrying its 80 % and 95 % intervals over a 13-week horizon, on a rayon pool of 2
//! threads. The target is ≤ 10 s for the plan on 2 cores.
//!
//! The book is `planning.rs`'s (`stockbook_benches::plan_book`): the items, their stock
//! and a few open purchase orders live in the engine and the demand series are given to the plan (`PlanOptions::series`), so the
//! whole plan path runs — state read, classification, forecasts (optimised SES with its
//! intervals for smooth and erratic demand, Croston–SBA for intermittent and lumpy
//! demand, which has none), safety stock, projection and orders — without first writing
//! ten million shipments.
//!
//! Run: `cargo bench -p stockbook-benches --bench plan_intervals`

use std::time::Instant;

use criterion::{Criterion, criterion_group, criterion_main};
use stockbook_benches::plan_book::{self, ITEMS};

fn setup() -> (stockbook::Stockbook, stockbook::planning::PlanOptions) {
    let (sb, options) = plan_book::setup();
    (sb, options.levels([80.0, 95.0]))
}

fn plan_with_intervals(c: &mut Criterion) {
    let (sb, options) = setup();
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(2)
        .build()
        .expect("rayon pool");
    let t = Instant::now();
    let p = pool.install(|| sb.replenishment_plan(&options)).unwrap();
    let with = p.rows.iter().filter(|r| !r.intervals.is_empty()).count();
    println!(
        "first plan: {} rows, {with} with intervals, {} problems, {:.2} s on 2 threads",
        p.rows.len(),
        p.problems.len(),
        t.elapsed().as_secs_f64()
    );
    assert_eq!(p.rows.len(), ITEMS);
    assert!(with > 0, "rows forecast by SES carry intervals");
    drop(p);
    let mut group = c.benchmark_group("plan_intervals");
    group.sample_size(10);
    group.bench_function("100k items x 104 weeks, levels 80/95, 2 threads", |b| {
        b.iter(|| pool.install(|| sb.replenishment_plan(&options)).unwrap());
    });
    group.finish();
}

criterion_group!(benches, plan_with_intervals);
criterion_main!(benches);
