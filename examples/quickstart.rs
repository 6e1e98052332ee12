//! Quickstart: an embedded Stockbook file — define items and locations, receive,
//! transfer, count, and print balances and the history.
//!
//! Run: `cargo run -p stockbook --example quickstart [path]`

use stockbook::{
    BalanceFilter, Count, Item, Location, LocationKind, Meta, Receive, Stockbook, Tracking,
    Transfer, UnitConversion,
};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let path = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "quickstart.stockbook".into());
    let _ = std::fs::remove_file(&path);
    let sb = Stockbook::open(&path)?;

    let mut bolt = Item::new("BOLT-M8");
    bolt.name = "Hex bolt M8x40".into();
    bolt.conversions.push(UnitConversion::new("box", 50));
    sb.define_item(bolt)?;
    let mut resin = Item::new("RESIN-5L");
    resin.name = "Epoxy resin".into();
    resin.unit = "l".into();
    resin.decimals = 3;
    resin.tracking = Tracking::Lot;
    sb.define_item(resin)?;

    let mut site = Location::new("WH1");
    site.kind = LocationKind::Site;
    sb.define_location(site)?;
    for bin in ["WH1/A/01", "WH1/A/02"] {
        let mut loc = Location::new(bin);
        loc.parent = Some("WH1".into());
        sb.define_location(loc)?;
    }

    let mut receipt = Receive::new("BOLT-M8", "WH1/A/01", 4);
    receipt.unit = Some("box".into());
    sb.execute(receipt, Meta::new().actor("ann").key("po-1001-line-1"))?;
    let mut resin_in = Receive::new("RESIN-5L", "WH1/A/02", "12.5".parse::<stockbook::Qty>()?);
    resin_in.lot = Some("L2026-11".into());
    resin_in.expiry = Some(1_798_761_600_000); // 2027-01-01
    sb.receive(resin_in)?;

    sb.transfer_stock(Transfer::new("BOLT-M8", "WH1/A/01", "WH1/A/02", 60))?;
    let counted = sb.count(Count::new("BOLT-M8", "WH1/A/01", 138))?;
    println!(
        "cycle count at WH1/A/01 posted a difference of {:?}",
        counted.difference
    );

    println!("\nBalances:");
    for b in sb.balances(&BalanceFilter::default())? {
        println!(
            "  {:<10} {:<10} {:<10} {:>10}",
            b.sku,
            b.location,
            b.lot.unwrap_or_default(),
            b.on_hand
        );
    }
    println!("\nBOLT-M8 in all of WH1: {}", sb.on_hand("BOLT-M8", "WH1")?);
    println!("\nHistory of BOLT-M8:");
    for env in sb.history("BOLT-M8", 0, 100)? {
        println!(
            "  #{:<3} {:<14} {}",
            env.seq,
            env.event.name(),
            serde_json_line(&env.event)
        );
    }
    sb.close()?;
    println!("\nwritten to {path}");
    Ok(())
}

fn serde_json_line(event: &stockbook::Event) -> String {
    match event {
        stockbook::Event::Moved(m) => format!("{:?} {} {} → {}", m.kind, m.qty, m.from, m.to),
        stockbook::Event::Counted(c) => format!("counted {} (expected {})", c.counted, c.expected),
        other => other.name().to_owned(),
    }
}
