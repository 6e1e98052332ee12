//! Criterion bench of the replenishment plan with prediction intervals on (planning
//! issue, forecasting part): 100,000 items × 104 weeks of history at one site, every row
//! carrying its 80 % and 95 % intervals over a 13-week horizon, on a rayon pool of 2
//! threads. The target is ≤ 10 s for the plan on 2 cores.
//!
//! As in `planning.rs`, the items, their stock and a few open purchase orders live in the
//! engine and the demand series are given to the plan (`PlanOptions::series`), so the
//! whole plan path runs — state read, classification, forecasts (optimised SES with its
//! intervals for smooth and erratic demand, Croston–SBA for intermittent and lumpy
//! demand, which has none), safety stock, projection and orders — without first writing
//! ten million shipments.
//!
//! Run: `cargo bench -p stockbook-benches --bench plan_intervals`

use std::time::Instant;

use criterion::{Criterion, criterion_group, criterion_main};
use stockbook::planning::{CreatePurchaseOrder, DemandSeries, NewPurchaseOrderLine, PlanOptions};
use stockbook::{
    Command, Durability, Item, Location, LocationKind, Meta, Options, Qty, Receive, Stockbook,
};
use stockbook_benches::sku;

const ITEMS: usize = 100_000;
const WEEKS: usize = 104;
const BATCH: usize = 1_000;

/// SplitMix64: the same series on every run.
struct Mix(u64);

impl Mix {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// One item's weekly demand: a quarter each smooth, erratic, intermittent and lumpy.
fn series(i: usize) -> Vec<f64> {
    let mut r = Mix(i as u64);
    let level = 5.0 + (i % 50) as f64;
    (0..WEEKS)
        .map(|_| match i % 4 {
            0 => (level * (0.8 + 0.4 * r.unit())).round(),
            1 => (level * 2.0 * r.unit() * r.unit()).round(),
            2 if r.unit() < 0.3 => level.round(),
            3 if r.unit() < 0.25 => (level * 3.0 * r.unit()).round(),
            _ => 0.0,
        })
        .collect()
}

fn setup() -> (Stockbook, PlanOptions) {
    let started = Instant::now();
    let sb = Stockbook::in_memory_with(Options::default().with_durability(Durability::BulkLoad))
        .expect("open");
    let mut site = Location::new("WH1");
    site.kind = LocationKind::Site;
    sb.define_location(site).expect("site");
    let mut bin = Location::new("WH1/A");
    bin.parent = Some("WH1".into());
    sb.define_location(bin).expect("bin");
    for first in (0..ITEMS).step_by(BATCH) {
        let defines = (first..first + BATCH)
            .map(|i| Command::DefineItem(Item::new(sku(i))))
            .collect();
        sb.execute_batch(defines, Meta::default()).expect("items");
        let receipts = (first..first + BATCH)
            .map(|i| Receive::new(sku(i), "WH1/A", (i % 200) as i64 + 1).into())
            .collect();
        sb.execute_batch(receipts, Meta::default()).expect("stock");
    }
    for first in (0..ITEMS).step_by(BATCH * 10) {
        let lines = (first..first + BATCH * 10)
            .step_by(10)
            .map(|i| NewPurchaseOrderLine::new(sku(i), Qty::from_int(50)))
            .collect();
        sb.create_purchase_order(CreatePurchaseOrder::new(
            format!("PO-{first}"),
            "ACME",
            "WH1",
            lines,
            sb.now().unwrap() + 14 * 86_400_000,
        ))
        .expect("purchase order");
    }
    sb.sync().expect("sync");
    let options = PlanOptions::new()
        .levels([80.0, 95.0])
        .series((0..ITEMS).map(|i| DemandSeries::new(sku(i), "WH1", series(i))));
    println!(
        "set-up: {ITEMS} items, {WEEKS} weeks of demand each, in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    (sb, options)
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
