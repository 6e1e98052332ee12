//! Criterion bench of the replenishment plan (issue: demand planning and replenishment):
//! 100,000 items × 104 weeks of history at one site, planned on rayon pools of 1 and 2
//! threads. The last bench prints both wall times and the speed-up.
//!
//! The items, their stock and a few open purchase orders live in the engine; the demand
//! series are given to the plan (`PlanOptions::series`) so that the bench does not first
//! write ten million shipments. Everything else — the state read, the forecasts (SES or
//! Croston–SBA by demand class), safety stock, projection and suggested orders — is the
//! normal path.
//!
//! Wall times are of computing the plan; freeing the returned plan afterwards is not
//! counted. On a shared machine the "CPU per wall second" figures of the alternating runs
//! show how much of the two cores the runs actually got.
//!
//! Run: `cargo bench -p stockbook-benches --bench planning`

use std::time::{Duration, Instant};

use criterion::{Criterion, criterion_group, criterion_main};
use stockbook_benches::criterion_mean_ns;
use stockbook_benches::plan_book::{ITEMS, WEEKS, setup};

/// CPU time used by this process so far (user + system), in seconds, from
/// `/proc/self/stat` (Linux; `None` elsewhere). Against wall time it shows how much of the
/// machine a run actually got.
fn cpu_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // Fields after the parenthesised command name; utime and stime are the 12th and 13th.
    let rest = stat.rsplit_once(')')?.1;
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let ticks: f64 = fields.get(11)?.parse::<f64>().ok()? + fields.get(12)?.parse::<f64>().ok()?;
    Some(ticks / 100.0)
}

/// CPU seconds (user + system) of every thread of this process whose name starts with
/// `prefix`, by name.
fn thread_cpu_seconds(prefix: &str) -> Vec<(String, f64)> {
    let Ok(tasks) = std::fs::read_dir("/proc/self/task") else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for task in tasks.flatten() {
        let dir = task.path();
        let Ok(name) = std::fs::read_to_string(dir.join("comm")) else {
            continue;
        };
        let name = name.trim().to_owned();
        if !name.starts_with(prefix) {
            continue;
        }
        let Ok(stat) = std::fs::read_to_string(dir.join("stat")) else {
            continue;
        };
        let Some((_, rest)) = stat.rsplit_once(')') else {
            continue;
        };
        let fields: Vec<&str> = rest.split_whitespace().collect();
        let ticks = |i: usize| fields.get(i).and_then(|f| f.parse::<f64>().ok());
        if let (Some(u), Some(s)) = (ticks(11), ticks(12)) {
            out.push((name, (u + s) / 100.0));
        }
    }
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

fn pool(threads: usize) -> rayon::ThreadPool {
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .thread_name(move |i| format!("plan{threads}-{i}"))
        .build()
        .expect("rayon pool")
}

fn plan(c: &mut Criterion) {
    let (sb, options) = setup();
    let pools = [(1, pool(1)), (2, pool(2))];
    // One plan first, to show what is being computed.
    let p = pools[1]
        .1
        .install(|| sb.replenishment_plan(&options))
        .unwrap();
    let orders = p.rows.iter().filter(|r| r.order.is_some()).count();
    println!(
        "plan: {} rows, {} suggested orders, {} problems",
        p.rows.len(),
        orders,
        p.problems.len()
    );
    assert_eq!(p.rows.len(), ITEMS);
    // A yardstick: pure arithmetic on each pool, nothing shared. Its speed-up is what the
    // machine gives two threads right now.
    let spin = |pool: &rayon::ThreadPool| {
        use rayon::prelude::*;
        let t = Instant::now();
        let x: f64 = pool.install(|| {
            (0..64u32)
                .into_par_iter()
                .map(|i| {
                    (0..2_000_000u32)
                        .fold(f64::from(i), |a, k| (a * 1.000_000_1 + f64::from(k)).sqrt())
                })
                .sum()
        });
        std::hint::black_box(x);
        t.elapsed().as_secs_f64()
    };
    let (s1, s2) = (spin(&pools[0].1), spin(&pools[1].1));
    println!(
        "yardstick (pure arithmetic): 1 thread {s1:.2} s, 2 threads {s2:.2} s: {:.2} x",
        s1 / s2
    );
    // Alternating runs, so that load from elsewhere on the machine hits both alike; the
    // CPU time each run got tells whether the second core was there to be had.
    let mut walls = [Vec::new(), Vec::new()];
    let mut cpus = [Vec::new(), Vec::new()];
    let workers_before = thread_cpu_seconds("plan2-");
    for _ in 0..5 {
        for (k, (_, pool)) in pools.iter().enumerate() {
            let cpu = cpu_seconds();
            let t = Instant::now();
            let p = pool.install(|| sb.replenishment_plan(&options)).unwrap();
            walls[k].push(t.elapsed().as_secs_f64());
            if let (Some(a), Some(b)) = (cpu, cpu_seconds()) {
                cpus[k].push(b - a);
            }
            assert_eq!(p.rows.len(), ITEMS);
        }
    }
    let median = |v: &mut Vec<f64>| {
        v.sort_by(f64::total_cmp);
        v.get(v.len() / 2).copied().unwrap_or(f64::NAN)
    };
    let (w1, w2) = (median(&mut walls[0]), median(&mut walls[1]));
    let (c1, c2) = (median(&mut cpus[0]), median(&mut cpus[1]));
    println!(
        "alternating runs (median of 5): 1 thread {w1:.2} s wall ({c1:.2} s CPU), \
         2 threads {w2:.2} s wall ({c2:.2} s CPU): speed-up {:.2} x; \
         CPU per wall second {:.2} and {:.2}",
        w1 / w2,
        c1 / w1,
        c2 / w2
    );
    // The same plan on 2-week series: what is not forecasting (state read, checks,
    // sorting, freeing the result) — the part that bounds the speed-up.
    let mut short = options.clone();
    if let Some(all) = short.series.as_mut() {
        for s in all {
            s.demand.drain(..WEEKS - 2);
        }
    }
    for (threads, pool) in &pools {
        let t = Instant::now();
        pool.install(|| sb.replenishment_plan(&short)).unwrap();
        println!(
            "fixed cost (2-week series), {threads} thread(s): {:.2} s",
            t.elapsed().as_secs_f64()
        );
    }
    // How the two workers of the 2-thread pool shared the work of those five runs: CPU
    // time does not depend on what else the machine runs, so the busiest worker's share
    // bounds the speed-up two idle cores would give (the work of the plan runs on the
    // pool's threads; the caller only waits).
    let workers: Vec<f64> = thread_cpu_seconds("plan2-")
        .iter()
        .map(|(name, after)| {
            let before = workers_before
                .iter()
                .find(|(n, _)| n == name)
                .map_or(0.0, |(_, b)| *b);
            after - before
        })
        .collect();
    let total: f64 = workers.iter().sum();
    let busiest = workers.iter().copied().fold(0.0, f64::max);
    if busiest > 0.0 {
        println!(
            "2-thread pool, 5 runs: worker CPU {workers:.2?} s; total / busiest worker = \
             {:.2} x (the speed-up two idle cores would give)",
            total / busiest
        );
    }
    let mut g = c.benchmark_group("planning");
    g.sample_size(10);
    g.measurement_time(Duration::from_secs(20));
    for (threads, pool) in &pools {
        g.bench_function(format!("plan_100k_items_104_weeks_{threads}_thread"), |b| {
            // Freeing the returned plan is the caller's business: not timed.
            b.iter_with_large_drop(|| pool.install(|| sb.replenishment_plan(&options)).unwrap());
        });
    }
    g.finish();
}

fn summary(_c: &mut Criterion) {
    let target = std::env::var_os("CARGO_TARGET_DIR").map_or_else(
        || std::path::PathBuf::from("target"),
        std::path::PathBuf::from,
    );
    let target = if target.is_absolute() {
        target
    } else {
        std::path::PathBuf::from("../").join(target)
    };
    let mean = |threads: usize| {
        criterion_mean_ns(
            &target,
            &format!("planning/plan_100k_items_104_weeks_{threads}_thread"),
        )
    };
    println!("\n== planning summary (this run) ==");
    if let (Some(one), Some(two)) = (mean(1), mean(2)) {
        println!("plan, 1 thread:   {:>7.2} s", one / 1e9);
        println!("plan, 2 threads:  {:>7.2} s  [target <= 10 s]", two / 1e9);
        println!("speed-up:         {:>7.2} x  [target >= 1.7 x]", one / two);
    }
}

criterion_group!(benches, plan, summary);
criterion_main!(benches);
