//! Pick routing: the exact router on one block of 30 aisles for 50 picks, and the
//! local-search router on 4 blocks for 50 picks (the warehouse issue asks ≤ 1 ms per exact
//! route at 60 picks). `cargo bench -p stockbook-benches --bench pick_route`.

use criterion::{Criterion, criterion_group, criterion_main};
use stockbook::warehouse::{Layout, PickLocation, Router, route};

const PICKS: usize = 50;
/// Pick lists per bench iteration: one route each, from different lists.
const LISTS: usize = 16;

/// Deterministic pick lists over `blocks` blocks of `aisles` aisles, each block 20 long.
fn pick_lists(aisles: u32, blocks: u32) -> Vec<Vec<PickLocation>> {
    let mut state = 0x2545_F491_4F6C_DD1D_u64;
    let mut next = move |n: u64| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state % n
    };
    (0..LISTS)
        .map(|_| {
            (0..PICKS)
                .map(|_| {
                    let aisle = next(u64::from(aisles)) as u32;
                    let position = next(81) as f64 / 4.0;
                    PickLocation::new(aisle, position).block(next(u64::from(blocks)) as u32)
                })
                .collect()
        })
        .collect()
}

fn pick_route(c: &mut Criterion) {
    let mut group = c.benchmark_group("pick_route");
    let one_block = Layout::new(30, 3.0, vec![20.0]);
    let lists = pick_lists(30, 1);
    group.bench_function("exact 1 block x 30 aisles, 50 picks (per route)", |b| {
        let mut i = 0;
        b.iter(|| {
            i = (i + 1) % LISTS;
            route(&one_block, &lists[i], 0, Router::Optimal)
                .unwrap()
                .length
        });
    });
    let four_blocks = Layout::new(10, 3.0, vec![20.0; 4]).cross_aisle_width(2.0);
    let lists = pick_lists(10, 4);
    group.bench_function(
        "local search 4 blocks x 10 aisles, 50 picks (per route)",
        |b| {
            let mut i = 0;
            b.iter(|| {
                i = (i + 1) % LISTS;
                route(&four_blocks, &lists[i], 0, Router::Optimal)
                    .unwrap()
                    .length
            });
        },
    );
    group.finish();
}

criterion_group!(benches, pick_route);
criterion_main!(benches);
