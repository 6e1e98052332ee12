//! The book the plan benches share: 100,000 items × 104 weeks of demand at one site, with
//! stock and a few open purchase orders in the engine and the demand series given to the
//! plan (`PlanOptions::series`), so that a bench does not first write ten million
//! shipments.

use std::time::Instant;

use stockbook::planning::{CreatePurchaseOrder, DemandSeries, NewPurchaseOrderLine, PlanOptions};
use stockbook::{
    Command, Durability, Item, Location, LocationKind, Meta, Options, Qty, Receive, Stockbook,
};

use crate::sku;

/// Items in the book.
pub const ITEMS: usize = 100_000;
/// Weeks of demand history per item.
pub const WEEKS: usize = 104;
const BATCH: usize = 1_000;

/// A small deterministic generator (SplitMix64): the same series on every run.
struct Mix(u64);

impl Mix {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// Uniform in [0, 1).
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// One item's weekly demand: a quarter each smooth, erratic, intermittent and lumpy.
pub fn series(i: usize) -> Vec<f64> {
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

/// The book and plan options carrying every item's series (the plan's defaults otherwise).
pub fn setup() -> (Stockbook, PlanOptions) {
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
    // Open purchase orders for one item in ten.
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
    let options =
        PlanOptions::new().series((0..ITEMS).map(|i| DemandSeries::new(sku(i), "WH1", series(i))));
    println!(
        "set-up: {ITEMS} items, {} events, {WEEKS} weeks of demand each, in {:.1} s",
        sb.last_seq().unwrap(),
        started.elapsed().as_secs_f64()
    );
    (sb, options)
}
