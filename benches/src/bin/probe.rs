//! A quick timing probe of the write path, for profiling sessions.
use std::time::Instant;

use stockbook::{Command, Meta, Options, Receive};
use stockbook_benches::{bin_code, fixture, sku};

fn main() {
    let dir = tempfile::tempdir().unwrap();
    let t = Instant::now();
    let sb = fixture(dir.path(), Options::default(), 1000, 4, 0);
    println!("fixture: {:?}", t.elapsed());
    let rounds = 30;
    let t = Instant::now();
    for n in 0..rounds {
        let cmds: Vec<Command> = (0..1000)
            .map(|i| Receive::new(&sku(i), &bin_code((i + n) % 4), 1).into())
            .collect();
        sb.execute_batch(cmds, Meta::default()).unwrap();
    }
    let el = t.elapsed();
    println!(
        "batches: {:.0} movements/s",
        f64::from(rounds as u32 * 1000) / el.as_secs_f64()
    );
}
