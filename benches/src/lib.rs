//! Shared set-up for Stockbook's benchmarks: fixtures that build a ledger of a given
//! shape, and the reader of criterion's estimates that prints the side-by-side summary.
//!
//! - [`workload`]: the deterministic command streams both engines run in the comparison;
//! - [`sqlite_ledger`]: the same ledger on SQLite, the yardstick of `compare`.

use std::path::Path;

pub mod plan_book;
pub mod sqlite_ledger;
pub mod workload;

use stockbook::{Item, Location, LocationKind, Options, Receive, Stockbook};

/// Opens a fresh file in `dir` with `items` SKUs and `bins` bins under one site, each
/// SKU stocked with `stock` units in every bin.
pub fn fixture(dir: &Path, options: Options, items: usize, bins: usize, stock: i64) -> Stockbook {
    let sb = Stockbook::open_with(dir.join("bench.stockbook"), options).expect("open");
    let mut site = Location::new("WH1");
    site.kind = LocationKind::Site;
    sb.define_location(site).expect("site");
    for b in 0..bins {
        let mut bin = Location::new(bin_code(b));
        bin.parent = Some("WH1".into());
        sb.define_location(bin).expect("bin");
    }
    for i in 0..items {
        let mut item = Item::new(sku(i));
        item.decimals = 2;
        sb.define_item(item).expect("item");
        if stock > 0 {
            let receipts = (0..bins)
                .map(|b| Receive::new(sku(i), bin_code(b), stock).into())
                .collect::<Vec<stockbook::Command>>();
            sb.execute_batch(receipts, stockbook::Meta::default())
                .expect("stock");
        }
    }
    sb
}

/// The code of bench item `i`.
pub fn sku(i: usize) -> String {
    format!("SKU-{i:06}")
}

/// The code of bench bin `b`.
pub fn bin_code(b: usize) -> String {
    format!("WH1/B{b:03}")
}

/// The mean time per iteration (ns) of a criterion benchmark of this run, read from
/// `target/criterion/<id>/new/estimates.json`.
pub fn criterion_mean_ns(target_dir: &Path, id: &str) -> Option<f64> {
    let path = target_dir
        .join("criterion")
        .join(id)
        .join("new")
        .join("estimates.json");
    let text = std::fs::read_to_string(path).ok()?;
    let json: serde_json::Value = serde_json::from_str(&text).ok()?;
    json["mean"]["point_estimate"].as_f64()
}
