//! Quick probes of the write path and of replay, for profiling sessions
//! (`valgrind --tool=callgrind target/release/probe …`).
//!
//! ```text
//! probe write                     # 30 batches of 1,000 receipts into a fresh store
//! probe stream <batches>          # W3's mixed stream, batches of 1,000, durable
//! probe single <commands>         # W1: the mixed stream one durable command at a time
//! probe build <file> <events>     # a W5-like history, left without a snapshot
//!                                 #   PROBE_SKUS=n items (10,000), PROBE_SPREAD=1 business
//!                                 #   times over a year, PROBE_CLOSE=1 close (snapshot,
//!                                 #   compaction) instead of leaving
//! probe replay <file>             # opens it: one replay of the whole log
//! probe stats <file>              # redb's per-table page and byte counts
//! probe compact <file>            # redb's compaction, and the size after it
//! ```
use std::time::Instant;

use stockbook::{Command, Durability, Meta, Options, Receive, Stockbook};
use stockbook_benches::workload::{Stream, master_data};
use stockbook_benches::{bin_code, fixture, sku};

fn write() {
    let dir = tempfile::tempdir().unwrap();
    let t = Instant::now();
    let sb = fixture(dir.path(), Options::default(), 1000, 4, 0);
    println!("fixture: {:?}", t.elapsed());
    let rounds = 30;
    let t = Instant::now();
    for n in 0..rounds {
        let cmds: Vec<Command> = (0..1000)
            .map(|i| Receive::new(sku(i), bin_code((i + n) % 4), 1).into())
            .collect();
        sb.execute_batch(cmds, Meta::default()).unwrap();
    }
    let el = t.elapsed();
    println!(
        "batches: {:.0} movements/s",
        f64::from(rounds as u32 * 1000) / el.as_secs_f64()
    );
}

/// A fresh durable store in `dir` with the master data of 1,000 items in 4 bins.
fn stream_book(dir: &std::path::Path) -> Stockbook {
    let sb = Stockbook::open(dir.join("stream.sb")).unwrap();
    sb.execute_batch(master_data(STREAM_SKUS, STREAM_BINS), Meta::default())
        .unwrap();
    sb
}

const STREAM_SKUS: usize = 1000;
const STREAM_BINS: usize = 4;

fn stream(batches: usize) {
    let dir = tempfile::tempdir().unwrap();
    let sb = stream_book(dir.path());
    let mut stream = Stream::new(3, STREAM_SKUS, STREAM_BINS, false);
    let batches: Vec<Vec<Command>> = (0..batches)
        .map(|_| stream.by_ref().take(1000).map(|op| op.command()).collect())
        .collect();
    let t = Instant::now();
    let n = batches.len() * 1000;
    for cmds in batches {
        sb.execute_batch(cmds, Meta::default()).unwrap();
    }
    println!(
        "stream: {:.0} events/s",
        n as f64 / t.elapsed().as_secs_f64()
    );
}

fn single(commands: usize) {
    let dir = tempfile::tempdir().unwrap();
    let sb = stream_book(dir.path());
    let commands: Vec<Command> = Stream::new(1, STREAM_SKUS, STREAM_BINS, false)
        .take(commands)
        .map(|op| op.command())
        .collect();
    let t = Instant::now();
    let n = commands.len();
    for command in commands {
        sb.execute(command, Meta::default()).unwrap();
    }
    let secs = t.elapsed().as_secs_f64();
    println!(
        "single: {:.0} commands/s, {:.0} µs each",
        n as f64 / secs,
        secs * 1e6 / n as f64
    );
}

fn build(file: &str, events: usize) {
    // No snapshot: the next open replays the whole log.
    let options = Options {
        snapshot_every_events: u64::MAX,
        ..Options::default().with_durability(Durability::BulkLoad)
    };
    let sb = Stockbook::open_with(file, options).unwrap();
    // PROBE_SKUS items (10,000 unless set); with PROBE_SPREAD, the batches' business times
    // spread over a year, as the comparison's histories are.
    let skus = std::env::var("PROBE_SKUS").map_or(10_000, |s| s.parse().expect("PROBE_SKUS"));
    let bins = 4;
    let spread = std::env::var_os("PROBE_SPREAD").is_some();
    sb.execute_batch(master_data(skus, bins), Meta::default())
        .unwrap();
    let mut stream = Stream::new(5, skus, bins, true);
    let t = Instant::now();
    let batches = events.div_ceil(1000);
    let year_ms = 365 * 86_400_000_i64;
    let start = sb.now().unwrap() - year_ms;
    for k in 0..batches {
        let cmds = stream.by_ref().take(1000).map(|op| op.command()).collect();
        let mut meta = Meta::default();
        if spread {
            meta.effective_at = Some(start + k as i64 * (year_ms / batches as i64));
        }
        sb.execute_batch(cmds, meta).unwrap();
    }
    sb.sync().unwrap();
    println!(
        "built {} events in {:.1} s",
        sb.last_seq().unwrap(),
        t.elapsed().as_secs_f64()
    );
    if std::env::var_os("PROBE_CLOSE").is_some() {
        sb.close().unwrap();
        println!("closed: {} bytes", std::fs::metadata(file).unwrap().len());
        return;
    }
    // Leaves without closing, so that no snapshot is written: the next open replays all.
    std::process::exit(0);
}

fn replay(file: &str) {
    let t = Instant::now();
    let sb = Stockbook::open(file).unwrap();
    let secs = t.elapsed().as_secs_f64();
    let events = sb.last_seq().unwrap();
    println!(
        "opened {events} events in {secs:.3} s: {:.0} events/s",
        events as f64 / secs
    );
    // Leaves without closing: the file keeps no snapshot for the next probe.
    std::process::exit(0);
}

/// redb's page and byte counts of every table of `file`.
fn stats(file: &str) {
    use redb::{ReadableDatabase, ReadableTableMetadata, TableHandle};
    let db = redb::Database::open(file).unwrap();
    let read = db.begin_read().unwrap();
    for t in read.list_tables().unwrap() {
        let table = read.open_untyped_table(t.clone()).unwrap();
        let st = table.stats().unwrap();
        println!(
            "{:20} len {:>9} leaf {:>7} branch {:>6} stored {:>11} meta {:>10} frag {:>10}",
            t.name(),
            table.len().unwrap(),
            st.leaf_pages(),
            st.branch_pages(),
            st.stored_bytes(),
            st.metadata_bytes(),
            st.fragmented_bytes()
        );
    }
}

/// redb's compaction of `file`, timed, and the file's size after it.
fn compact(file: &str) {
    let t = Instant::now();
    let mut db = redb::Database::open(file).unwrap();
    db.compact().unwrap();
    drop(db);
    println!(
        "compacted in {:.1} s: {} bytes",
        t.elapsed().as_secs_f64(),
        std::fs::metadata(file).unwrap().len()
    );
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args
        .iter()
        .map(String::as_str)
        .collect::<Vec<_>>()
        .as_slice()
    {
        [] | ["write"] => write(),
        ["single", commands] => single(commands.parse().expect("commands")),
        ["stream", batches] => stream(batches.parse().expect("batches")),
        ["build", file, events] => build(file, events.parse().expect("events")),
        ["replay", file] => replay(file),
        ["stats", file] => stats(file),
        ["compact", file] => compact(file),
        _ => panic!(
            "usage: probe [write | stream <batches> | single <commands> | build <file> <events> | replay <file> | stats <file> | compact <file>]"
        ),
    }
}
