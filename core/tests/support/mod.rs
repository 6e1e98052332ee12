//! Helpers shared by test binaries that say `mod support;`.

pub mod fault;
pub mod rng;

use std::sync::Arc;

use stockbook::{Location, LocationKind, ManualClock, Options, Stockbook};

/// Options on `clock` under which closed records stay `retention_ms` in memory, with a
/// snapshot every `snapshot_every` events.
pub fn retention_options(
    clock: &Arc<ManualClock>,
    retention_ms: i64,
    snapshot_every: u64,
) -> Options {
    let mut o = Options::default().with_clock(clock.clone());
    o.closed_retention_ms = retention_ms;
    o.snapshot_every_events = snapshot_every;
    o
}

/// Defines the site `WH1` and its bin `WH1/A`.
pub fn site_with_bin(sb: &Stockbook) {
    let mut site = Location::new("WH1");
    site.kind = LocationKind::Site;
    sb.define_location(site).unwrap();
    let mut bin = Location::new("WH1/A");
    bin.parent = Some("WH1".into());
    sb.define_location(bin).unwrap();
}
