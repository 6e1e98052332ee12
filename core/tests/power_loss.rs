//! Simulated power loss. A Stockbook runs over a fault-injecting redb backend (see
//! `support/fault.rs`) that loses power at a random `write` or `sync_data` call: every
//! write not followed by a sync is lost and the last one is torn at a random byte (in a
//! quarter of the rounds the disk reorders instead: each unsynced write but the last
//! survives or not, at random). Some rounds also fail one random call with an I/O error,
//! as a flaky disk does. Each round: reopen the surviving image (sometimes losing power
//! again while it opens and recovers, or, in a new file's first round, while it is
//! created), check it, run a mixed workload from three threads until the power goes,
//! close.
//!
//! The checks, after every loss: `verify()` is sound; every acknowledged command (answered
//! `Ok`, or refused for a reason of its own) is there, whole, under its key, and answers the
//! same when re-executed, writing nothing; a command whose answer was cut (an I/O error)
//! is re-executed with its key and is then either all there or not at all — never half a
//! batch; the balances of item `A` are what the acknowledged commands make them; reserved
//! never exceeds on hand; and the store goes on accepting commands. An I/O error reaches
//! the caller as a typed `storage` or `io` error, never a panic or a hang.
//!
//! `STOCKBOOK_CRASH_POINTS` sets how many power losses (default 1,000);
//! `STOCKBOOK_CRASH_SEED` the first chain's seed (a failure prints the seed of its chain:
//! the workload, the crash points and the torn bytes follow from it; the interleaving of
//! the threads does not).

#[allow(dead_code, reason = "this binary uses part of the shared support")]
mod support;

use std::collections::{BTreeMap, HashMap};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use stockbook::{Clock, Command, Error, ManualClock, Meta, Options, Receipt, Stockbook};
use support::fault::{Disk, Plan};
use support::rng::Rng;

const POINTS_DEFAULT: u64 = 1_000;
/// Rounds on one file before a fresh one: the log (and each check) stays short.
const ROUNDS_PER_CHAIN: u32 = 12;
/// The most jobs each thread runs in a round.
const JOBS_PER_THREAD: u32 = 8;
const START_MS: i64 = 1_767_225_600_000;
/// A round that makes no progress for this long is a hang.
const HANG: Duration = Duration::from_secs(120);
const SKUS: &[&str] = &["A", "C", "R", "O", "P"];
const LOCATIONS: &[&str] = &["WH", "WH/1", "WH/2", "WH/3", "WH/O", "WH/OUT"];

type Outcome = Result<Vec<Receipt>, Error>;

impl Rng {
    fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }
    /// A whole quantity in `1..=max`.
    fn qty(&mut self, max: u64) -> i64 {
        1 + self.below(max) as i64
    }
}

/// A line on the process's standard error, written past the test harness's capture (which
/// takes only what `eprintln!` prints), so that it shows with or without `--nocapture`.
macro_rules! say {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stderr().lock(), $($arg)*);
    }};
}

fn cmd(op: &str, args: Value) -> Command {
    serde_json::from_value(json!({ "op": op, "args": args }))
        .unwrap_or_else(|e| panic!("{op}: {e}"))
}

/// One request of the workload: a command, or an atomic batch, under its own key (also
/// its correlation, so its events can be counted).
#[derive(Debug, Clone)]
struct Job {
    key: String,
    commands: Vec<Command>,
    batch: bool,
}

impl Job {
    fn one(key: String, command: Command) -> Job {
        Job {
            key,
            commands: vec![command],
            batch: false,
        }
    }
    fn batch(key: String, commands: Vec<Command>) -> Job {
        Job {
            key,
            commands,
            batch: true,
        }
    }
    fn run(&self, sb: &Stockbook) -> Outcome {
        let meta = Meta::new()
            .key(&self.key)
            .correlation(&self.key)
            .actor("power");
        if self.batch {
            sb.execute_batch(self.commands.clone(), meta)
        } else {
            sb.execute(self.commands[0].clone(), meta).map(|r| vec![r])
        }
    }
    /// The events its receipts name.
    fn events(receipts: &[Receipt]) -> usize {
        receipts
            .iter()
            .map(|r| (r.last_seq + 1).saturating_sub(r.first_seq) as usize)
            .sum()
    }
}

/// An I/O error as the caller must see it.
fn is_io(e: &Error) -> bool {
    matches!(e.code(), "storage" | "io")
}

/// The refusals the workload provokes on purpose (anything else is a failure).
fn is_expected_refusal(e: &Error) -> bool {
    matches!(
        e.code(),
        "insufficient_stock" | "batch_refused" | "conflict" | "invalid_transition" | "not_found"
    )
}

fn setup_job() -> Job {
    let mut commands = Vec::new();
    for sku in SKUS {
        commands.push(cmd("define_item", json!({ "sku": sku, "decimals": 0 })));
    }
    commands.push(cmd(
        "define_location",
        json!({ "code": "WH", "kind": "site" }),
    ));
    for bin in &LOCATIONS[1..] {
        let pickable = *bin != "WH/OUT";
        commands.push(cmd(
            "define_location",
            json!({ "code": bin, "kind": "bin", "parent": "WH", "pickable": pickable }),
        ));
    }
    Job::batch("setup".into(), commands)
}

/// A generator of jobs for one thread; `done` hears each job's final outcome.
trait Flow: Send {
    fn next(&mut self, rng: &mut Rng, clock: &ManualClock) -> Job;
    fn done(&mut self, _job: &Job, _outcome: &Outcome) {}
    /// Whether any refusal of this flow's jobs is a failure.
    fn never_refused(&self) -> bool {
        false
    }
}

/// Single stock commands and atomic batches on `A` (the modelled item) and counts of `C`.
struct Singles {
    n: u64,
}

impl Flow for Singles {
    fn next(&mut self, rng: &mut Rng, _clock: &ManualClock) -> Job {
        self.n += 1;
        let key = format!("s{}", self.n);
        let bin = |rng: &mut Rng| ["WH/1", "WH/2"][rng.below(2) as usize];
        let receive = |loc: &str, q: i64| {
            cmd(
                "receive",
                json!({ "sku": "A", "location": loc, "qty": q.to_string() }),
            )
        };
        let ship = |loc: &str, q: i64| {
            cmd(
                "ship",
                json!({ "sku": "A", "location": loc, "qty": q.to_string() }),
            )
        };
        let transfer = |from: &str, to: &str, q: i64| {
            cmd(
                "transfer",
                json!({ "sku": "A", "from": from, "to": to, "qty": q.to_string() }),
            )
        };
        match rng.below(20) {
            0..=6 => Job::one(key, receive(bin(rng), rng.qty(10))),
            7..=10 => Job::one(key, ship(bin(rng), rng.qty(12))),
            11..=12 => {
                let (from, to) = if rng.chance(50) {
                    ("WH/1", "WH/2")
                } else {
                    ("WH/2", "WH/1")
                };
                Job::one(key, transfer(from, to, rng.qty(5)))
            }
            13..=16 => {
                // All or nothing; the ship may be refused, and the batch with it.
                let q = rng.qty(8);
                let shipped = rng.qty(q as u64 + 4);
                Job::batch(
                    format!("b{}", self.n),
                    vec![
                        receive("WH/3", q),
                        transfer("WH/3", "WH/1", q),
                        ship("WH/1", shipped),
                    ],
                )
            }
            17 => Job::batch(
                // Always refused: none of it may ever be in the log.
                format!("f{}", self.n),
                vec![receive("WH/2", 1), ship("WH/2", 1_000_000_000)],
            ),
            _ => Job::one(
                key,
                cmd(
                    "count",
                    json!({ "sku": "C", "location": "WH/1", "counted": rng.below(5).to_string() }),
                ),
            ),
        }
    }
}

/// Reservations of `R`: reserve (some with a time-to-live), commit, release, expire, ship
/// around them; moves the clock so that time-to-lives run out.
struct Reservations {
    n: u64,
    ids: Vec<String>,
}

impl Flow for Reservations {
    fn next(&mut self, rng: &mut Rng, clock: &ManualClock) -> Job {
        self.n += 1;
        let key = format!("r{}", self.n);
        if rng.chance(10) {
            clock.advance(20_000);
        }
        let some_id = |rng: &mut Rng, ids: &[String]| {
            if ids.is_empty() {
                "none".to_owned()
            } else {
                ids[rng.below(ids.len() as u64) as usize].clone()
            }
        };
        match rng.below(20) {
            0..=3 => Job::one(
                key,
                cmd(
                    "receive",
                    json!({ "sku": "R", "location": "WH/1", "qty": rng.qty(8).to_string() }),
                ),
            ),
            4..=9 => {
                let id = format!("res{}", self.n);
                self.ids.push(id.clone());
                let ttl = rng.chance(50).then_some(30_000);
                let scope = ["WH", "WH/1"][rng.below(2) as usize];
                Job::one(
                    key,
                    cmd(
                        "reserve",
                        json!({ "reservation_id": id, "sku": "R", "scope": scope,
                                "qty": rng.qty(4).to_string(), "ttl_ms": ttl }),
                    ),
                )
            }
            10..=12 => {
                let qty = rng.chance(50).then(|| "1".to_owned());
                Job::one(
                    key,
                    cmd(
                        "commit_reservation",
                        json!({ "reservation_id": some_id(rng, &self.ids), "qty": qty,
                                "location": "WH/1" }),
                    ),
                )
            }
            13..=15 => {
                let qty = rng.chance(50).then(|| "1".to_owned());
                Job::one(
                    key,
                    cmd(
                        "release_reservation",
                        json!({ "reservation_id": some_id(rng, &self.ids), "qty": qty }),
                    ),
                )
            }
            16 => Job::one(key, cmd("expire_due", json!({}))),
            _ => Job::one(
                key,
                cmd(
                    "ship",
                    json!({ "sku": "R", "location": "WH/1", "qty": rng.qty(5).to_string() }),
                ),
            ),
        }
    }
}

/// The order saga on `O` (receive, create + confirm as one batch, allocate, pick, pack,
/// ship, or cancel at a random step) and purchase orders of `P`, each step after the one
/// before: none of them may ever be refused.
struct Orders {
    order: u64,
    step: usize,
    cancel_at: Option<usize>,
    qty: i64,
    po: u64,
    po_step: usize,
}

impl Orders {
    fn new() -> Orders {
        Orders {
            order: 0,
            step: usize::MAX,
            cancel_at: None,
            qty: 1,
            po: 0,
            po_step: usize::MAX,
        }
    }
}

const ORDER_STEPS: usize = 6;
const PO_STEPS: usize = 3;

impl Flow for Orders {
    fn next(&mut self, rng: &mut Rng, clock: &ManualClock) -> Job {
        if self.po_step < PO_STEPS && (self.step >= ORDER_STEPS || rng.chance(30)) {
            let po = format!("PO{}", self.po);
            let key = format!("{po}-{}", self.po_step);
            return match self.po_step {
                0 => Job::one(
                    key,
                    cmd(
                        "create_purchase_order",
                        json!({ "po_id": po, "supplier": "S", "location": "WH/2",
                                "expected_at": clock.now_ms() + 86_400_000,
                                "lines": [{ "sku": "P", "qty": "10" }] }),
                    ),
                ),
                1 => Job::one(
                    key,
                    cmd(
                        "receive_purchase_order",
                        json!({ "po_id": po, "line": 1, "qty": "4" }),
                    ),
                ),
                _ => Job::one(key, cmd("close_purchase_order", json!({ "po_id": po }))),
            };
        }
        if self.step >= ORDER_STEPS {
            self.order += 1;
            self.step = 0;
            self.qty = rng.qty(5);
            self.cancel_at = rng.chance(30).then(|| 2 + rng.below(4) as usize);
            if self.po_step >= PO_STEPS && self.order.is_multiple_of(2) {
                self.po += 1;
                self.po_step = 0;
            }
        }
        let id = format!("O{}", self.order);
        let key = format!("{id}-{}", self.step);
        let q = self.qty.to_string();
        let step = |op: &str| cmd(op, json!({ "order_id": id }));
        if self.cancel_at == Some(self.step) {
            return Job::one(
                key,
                cmd(
                    "cancel_order",
                    json!({ "order_id": id, "return_to": "WH/O" }),
                ),
            );
        }
        match self.step {
            0 => Job::one(
                key,
                cmd(
                    "receive",
                    json!({ "sku": "O", "location": "WH/O", "qty": q }),
                ),
            ),
            1 => Job::batch(
                key,
                vec![
                    cmd(
                        "create_order",
                        json!({ "order_id": id, "ship_from": "WH", "staging": "WH/OUT",
                                "lines": [{ "sku": "O", "qty": q }] }),
                    ),
                    step("confirm_order"),
                ],
            ),
            2 => Job::one(
                key,
                cmd(
                    "allocate_order",
                    json!({ "order_id": id, "strategy": { "ordered": { "locations": ["WH/O"] } } }),
                ),
            ),
            3 => Job::one(
                key,
                cmd(
                    "pick_order",
                    json!({ "order_id": id, "line": 1, "location": "WH/O", "qty": q }),
                ),
            ),
            4 => Job::one(
                key,
                cmd(
                    "pack_order",
                    json!({ "order_id": id, "packages":
                            [{ "id": format!("P-{id}"), "contents": [{ "line": 1, "qty": q }] }] }),
                ),
            ),
            _ => Job::one(key, step("ship_order")),
        }
    }

    fn done(&mut self, job: &Job, _outcome: &Outcome) {
        if job.key.starts_with("PO") {
            self.po_step += 1;
        } else if self.cancel_at == Some(self.step) {
            self.step = ORDER_STEPS;
        } else {
            self.step += 1;
        }
    }

    fn never_refused(&self) -> bool {
        true
    }
}

/// A flow, its random stream, its job whose answer a fault cut, and its acknowledged jobs.
struct Slot {
    flow: Box<dyn Flow>,
    rng: Rng,
    cut: Option<Job>,
    acked: Vec<(Job, Outcome)>,
}

/// What the whole run did.
#[derive(Debug, Default)]
struct Totals {
    points: u64,
    points_in_open: u64,
    points_in_close: u64,
    torn: u64,
    reordered: u64,
    injected: u64,
    refusing_after_error: u64,
    rounds: u64,
    clean_rounds: u64,
    acked: u64,
    cut_there: u64,
    cut_absent: u64,
}

fn options(clock: &Arc<ManualClock>) -> Options {
    Options {
        index_block_events: 16,
        snapshot_every_events: 50,
        cache_size_bytes: 4 << 20,
        group_commands_max: 64,
        ..Options::default().with_clock(clock.clone())
    }
}

struct Chain {
    seed: u64,
    rng: Rng,
    disk: Disk,
    clock: Arc<ManualClock>,
    slots: Vec<Slot>,
    setup: Option<Job>,
    /// Acknowledged jobs that belong to no flow (the setup, probes, expiries).
    acked: Vec<(Job, Outcome)>,
    /// Probes whose answer a fault cut.
    cut: Vec<Job>,
    probes: u64,
}

/// How many calls a round makes, from the rounds that ran to their end: a crash point is
/// drawn among them.
#[derive(Debug)]
struct Calibration {
    /// `write` + `sync_data` calls of a workload and its close.
    ops_round: u64,
    /// Calls of any kind of a workload and its close.
    calls_round: u64,
    /// `sync_data` calls of a workload and its close.
    syncs_round: u64,
    /// `write` + `sync_data` calls of an open.
    ops_open: u64,
}

impl Default for Calibration {
    fn default() -> Self {
        Calibration {
            ops_round: 200,
            calls_round: 300,
            syncs_round: 40,
            ops_open: 10,
        }
    }
}

/// A moving average that follows the size of the rounds as the file grows.
fn follow(estimate: &mut u64, observed: u64) {
    *estimate = ((*estimate * 3 + observed) / 4).max(1);
}

impl Chain {
    fn new(seed: u64) -> Chain {
        let mut rng = Rng(seed);
        let mut slot = |flow: Box<dyn Flow>| Slot {
            flow,
            rng: Rng(rng.next()),
            cut: None,
            acked: Vec::new(),
        };
        let slots = vec![
            slot(Box::new(Singles { n: 0 })),
            slot(Box::new(Reservations {
                n: 0,
                ids: Vec::new(),
            })),
            slot(Box::new(Orders::new())),
        ];
        Chain {
            seed,
            disk: Disk::new(rng.next()),
            rng,
            clock: ManualClock::new(START_MS),
            slots,
            setup: Some(setup_job()),
            acked: Vec::new(),
            cut: Vec::new(),
            probes: 0,
        }
    }

    fn all_acked(&self) -> impl Iterator<Item = &(Job, Outcome)> {
        self.acked
            .iter()
            .chain(self.slots.iter().flat_map(|s| s.acked.iter()))
    }

    /// Lost power at some point: go on with what survived.
    fn survive(&mut self) {
        let seed = self.rng.next();
        self.disk = self.disk.survivor(seed);
    }

    fn round(&mut self, round: u32, cal: &mut Calibration, totals: &mut Totals, context: &str) {
        totals.rounds += 1;
        // 1. Open, sometimes losing power while opening and recovering.
        let crash_in_open = self.rng.chance(if round == 0 { 50 } else { 10 });
        let plan = Plan {
            crash_at_op: crash_in_open.then(|| 1 + self.rng.below(cal.ops_open)),
            ..Plan::default()
        };
        self.disk.arm(plan);
        let opened = Stockbook::open_with_backend(self.disk.backend(), options(&self.clock));
        let stats = self.disk.stats();
        if stats.crashed {
            match opened {
                Ok(sb) => {
                    let closed = sb.close();
                    assert!(
                        closed.as_ref().err().is_none_or(is_io),
                        "{context}: close after a loss: {closed:?}"
                    );
                }
                Err(e) => assert!(is_io(&e), "{context}: open during a loss: {e} ({e:?})"),
            }
            totals.points += 1;
            totals.points_in_open += 1;
            totals.torn += u64::from(stats.torn);
            self.survive();
            return;
        }
        let sb = opened.unwrap_or_else(|e| panic!("{context}: open: {e}"));
        if !crash_in_open {
            follow(&mut cal.ops_open, stats.ops);
        }
        self.disk.arm(Plan::default());

        // 2. Check what survived, and settle the answers the loss cut.
        self.check(&sb, context, totals);

        // 3. The workload, until the power goes (or the jobs run out).
        let flaky = self.rng.below(10);
        let plan = Plan {
            crash_at_op: self
                .rng
                .chance(95)
                .then(|| 1 + self.rng.below(cal.ops_round + cal.ops_round / 8)),
            fail_at_call: (flaky < 2).then(|| 1 + self.rng.below(cal.calls_round)),
            fail_at_sync: (flaky == 2).then(|| 1 + self.rng.below(cal.syncs_round)),
            reorder: self.rng.chance(25),
        };
        self.disk.arm(plan);
        let context = format!("{context}, plan {plan:?}");
        let clock = &self.clock;
        thread::scope(|scope| {
            for slot in &mut self.slots {
                let sb = sb.clone();
                let context = &context;
                scope.spawn(move || run_slot(&sb, slot, clock, context));
            }
        });
        let stats = self.disk.stats();
        if stats.injected && !stats.crashed {
            // A flaky call, no loss: the engine either goes on or refuses with a typed error.
            self.probes += 1;
            let probe = Job::one(
                format!("probe{}", self.probes),
                cmd(
                    "receive",
                    json!({ "sku": "C", "location": "WH/2", "qty": "1" }),
                ),
            );
            match probe.run(&sb) {
                Ok(receipts) => self.acked.push((probe, Ok(receipts))),
                Err(e) if is_io(&e) => {
                    totals.refusing_after_error += 1;
                    self.cut.push(probe);
                    // Reads still answer.
                    sb.last_seq()
                        .unwrap_or_else(|e| panic!("{context}: a read after an I/O error: {e}"));
                }
                Err(e) => panic!("{context}: probe after an injected error: {e} ({e:?})"),
            }
        }

        // 4. Close (the power may go while closing).
        let closed = sb.close();
        assert!(
            closed.as_ref().err().is_none_or(is_io),
            "{context}: close: {closed:?}"
        );
        drop(sb);
        let stats = self.disk.stats();
        totals.injected += u64::from(stats.injected);
        if stats.crashed {
            totals.points += 1;
            totals.torn += u64::from(stats.torn);
            totals.reordered += u64::from(plan.reorder);
            if self.slots.iter().all(|s| s.cut.is_none()) && self.cut.is_empty() {
                totals.points_in_close += 1;
            }
        } else {
            totals.clean_rounds += 1;
            if !stats.injected {
                follow(&mut cal.ops_round, stats.ops);
                follow(&mut cal.calls_round, stats.calls);
                follow(&mut cal.syncs_round, stats.syncs);
            }
            // Closed cleanly: the system writes back what is pending, or the power goes
            // before it does.
            if self.rng.chance(50) {
                self.disk.write_back_and_power_off();
            }
        }
        self.survive();
    }

    /// Reopened after a loss: settles the cut answers, then checks everything.
    fn check(&mut self, sb: &Stockbook, context: &str, totals: &mut Totals) {
        let report = sb
            .verify()
            .unwrap_or_else(|e| panic!("{context}: verify: {e}"));
        assert!(
            report.is_sound(),
            "{context}: verify: {:?}",
            report.problems
        );
        let before = correlations(sb, context);

        // A job whose answer was cut is all there or not at all; re-executed with its key,
        // it answers what it did, or does it now.
        let mut settle = |job: &Job, context: &str| -> Outcome {
            let outcome = job.run(sb);
            if let Err(e) = &outcome {
                assert!(
                    is_expected_refusal(e),
                    "{context}: re-executing {}: {e} ({e:?})",
                    job.key
                );
            }
            let had = before.get(&job.key).copied().unwrap_or(0);
            match &outcome {
                Ok(receipts) if had > 0 => {
                    assert_eq!(
                        had,
                        Job::events(receipts),
                        "{context}: {} is half there",
                        job.key
                    );
                    totals.cut_there += 1;
                }
                _ => {
                    assert_eq!(had, 0, "{context}: {} left events and is refused", job.key);
                    totals.cut_absent += 1;
                }
            }
            outcome
        };
        if let Some(job) = self.setup.take() {
            let outcome = settle(&job, context);
            assert!(outcome.is_ok(), "{context}: setup: {outcome:?}");
            self.acked.push((job, outcome));
        }
        for job in std::mem::take(&mut self.cut) {
            let outcome = settle(&job, context);
            self.acked.push((job, outcome));
        }
        for slot in &mut self.slots {
            if let Some(job) = slot.cut.take() {
                let outcome = settle(&job, context);
                if slot.flow.never_refused() {
                    assert!(
                        outcome.is_ok(),
                        "{context}: {} refused: {outcome:?}",
                        job.key
                    );
                }
                slot.flow.done(&job, &outcome);
                slot.acked.push((job, outcome));
            }
        }

        // Nothing is due, so that re-executing below writes nothing.
        let key = format!("expire{}", self.acked.len());
        let expire = Job::one(key, cmd("expire_due", json!({})));
        let outcome = expire.run(sb);
        assert!(outcome.is_ok(), "{context}: expire_due: {outcome:?}");
        self.acked.push((expire, outcome));

        // Every acknowledged job is there, whole, under its key; every refused one left
        // nothing; nothing else is in the log.
        let mut key_at: HashMap<u64, Option<String>> = HashMap::new();
        let mut by_correlation: HashMap<String, usize> = HashMap::new();
        for env in sb.events_iter(0) {
            let env = env.unwrap_or_else(|e| panic!("{context}: events: {e}"));
            if env.key.is_none() {
                assert_eq!(
                    env.actor.as_deref(),
                    Some("stockbook"),
                    "{context}: an event no job made: {env:?}"
                );
            }
            key_at.insert(env.seq, env.key.clone());
            if let Some(c) = env.correlation {
                *by_correlation.entry(c).or_default() += 1;
            }
        }
        let last_seq = sb.last_seq().unwrap();
        assert_eq!(key_at.len() as u64, last_seq, "{context}: gaps in the log");
        let mut known = 0;
        let mut model: BTreeMap<&str, i64> = BTreeMap::new();
        for (job, outcome) in self.all_acked() {
            match outcome {
                Ok(receipts) => {
                    assert_eq!(receipts.len(), job.commands.len(), "{context}: {}", job.key);
                    for r in receipts {
                        for seq in r.first_seq..=r.last_seq {
                            assert_eq!(
                                key_at.get(&seq),
                                Some(&Some(job.key.clone())),
                                "{context}: acknowledged {} lost its event {seq}",
                                job.key
                            );
                        }
                    }
                    let events = Job::events(receipts);
                    assert_eq!(
                        by_correlation.get(&job.key).copied().unwrap_or(0),
                        events,
                        "{context}: {} has other events than its receipts name",
                        job.key
                    );
                    known += events;
                    model_apply(&mut model, &job.commands);
                }
                Err(e) => {
                    assert!(
                        !is_io(e),
                        "{context}: an I/O error counted as an answer: {}",
                        job.key
                    );
                    assert_eq!(
                        by_correlation.get(&job.key),
                        None,
                        "{context}: refused {} left events",
                        job.key
                    );
                }
            }
        }
        let keyed = key_at.values().filter(|k| k.is_some()).count();
        assert_eq!(
            keyed, known,
            "{context}: the log holds events of unknown jobs"
        );
        totals.acked = totals.acked.max(self.all_acked().count() as u64);

        // The balances of `A` are what the acknowledged jobs make them.
        for bin in ["WH/1", "WH/2", "WH/3"] {
            let on_hand = sb.on_hand("A", bin).unwrap().units();
            let expected = model.get(bin).copied().unwrap_or(0);
            assert_eq!(on_hand, expected, "{context}: A at {bin}");
        }
        // Reserved never exceeds on hand.
        for sku in SKUS {
            for location in LOCATIONS {
                let level = sb.stock_level(sku, location).unwrap();
                assert!(
                    !level.reserved.is_negative() && level.reserved <= level.on_hand,
                    "{context}: {sku} at {location}: {level:?}"
                );
            }
        }

        // Re-executing acknowledged jobs answers the same and writes nothing: the newest
        // of each flow and a sample of older ones.
        let mut again: Vec<&(Job, Outcome)> =
            self.slots.iter().filter_map(|s| s.acked.last()).collect();
        let count = self.all_acked().count() as u64;
        let picks: Vec<usize> = (0..6).map(|_| self.rng.below(count) as usize).collect();
        let all: Vec<&(Job, Outcome)> = self.all_acked().collect();
        again.extend(picks.into_iter().map(|i| all[i]));
        for (job, outcome) in again {
            let answer = job.run(sb);
            assert_eq!(&answer, outcome, "{context}: {} answered anew", job.key);
        }
        assert_eq!(
            sb.last_seq().unwrap(),
            last_seq,
            "{context}: re-executions wrote events"
        );
    }
}

/// Events per correlation.
fn correlations(sb: &Stockbook, context: &str) -> HashMap<String, usize> {
    let mut by_correlation = HashMap::new();
    for env in sb.events_iter(0) {
        let env = env.unwrap_or_else(|e| panic!("{context}: events: {e}"));
        if let Some(c) = env.correlation {
            *by_correlation.entry(c).or_default() += 1;
        }
    }
    by_correlation
}

/// What accepted commands do to the bins of `A`.
fn model_apply<'a>(model: &mut BTreeMap<&'a str, i64>, commands: &'a [Command]) {
    for command in commands {
        match command {
            Command::Receive(r) if r.sku == "A" => {
                *model.entry(&r.location).or_default() += r.qty.units();
            }
            Command::Ship(s) if s.sku == "A" => {
                *model.entry(&s.location).or_default() -= s.qty.units();
            }
            Command::Transfer(t) if t.sku == "A" => {
                *model.entry(&t.from).or_default() -= t.qty.units();
                *model.entry(&t.to).or_default() += t.qty.units();
            }
            _ => {}
        }
    }
}

/// One thread of the workload: its flow's jobs, now and then a repeat of an acknowledged
/// one (the same answer, nothing written) or its key with another payload (a conflict),
/// until a job's answer is an I/O error.
fn run_slot(sb: &Stockbook, slot: &mut Slot, clock: &ManualClock, context: &str) {
    for _ in 0..JOBS_PER_THREAD {
        if !slot.acked.is_empty() && slot.rng.chance(10) {
            let (job, outcome) = &slot.acked[slot.rng.below(slot.acked.len() as u64) as usize];
            let conflicting = slot.rng.chance(25);
            let repeat = if conflicting {
                // A command no flow makes: never the payload the key was first used for.
                let other = json!({ "sku": "A", "location": "WH/3", "counted": "999" });
                Job::one(job.key.clone(), cmd("count", other))
            } else {
                job.clone()
            };
            match repeat.run(sb) {
                Err(e) if is_io(&e) => return,
                Err(e) if conflicting => {
                    assert_eq!(e.code(), "conflict", "{context}: {}: {e}", job.key);
                }
                answer => assert_eq!(&answer, outcome, "{context}: {} answered anew", job.key),
            }
            continue;
        }
        let job = slot.flow.next(&mut slot.rng, clock);
        let outcome = job.run(sb);
        match &outcome {
            Err(e) if is_io(e) => {
                slot.cut = Some(job);
                return;
            }
            Err(e) => {
                assert!(
                    is_expected_refusal(e) && !slot.flow.never_refused(),
                    "{context}: {} refused: {e} ({e:?})",
                    job.key
                );
            }
            Ok(_) => {}
        }
        slot.flow.done(&job, &outcome);
        slot.acked.push((job, outcome));
    }
}

fn env_u64(name: &str) -> Option<u64> {
    let value = std::env::var(name).ok()?;
    Some(
        value
            .parse()
            .unwrap_or_else(|e| panic!("{name}={value}: {e}")),
    )
}

/// Turns a hang into a failure that names where it hung.
struct Watchdog {
    beat: Arc<AtomicU64>,
    context: Arc<Mutex<String>>,
    stop: Arc<AtomicBool>,
}

impl Watchdog {
    fn start() -> Watchdog {
        let started = Instant::now();
        let dog = Watchdog {
            beat: Arc::new(AtomicU64::new(0)),
            context: Arc::new(Mutex::new(String::new())),
            stop: Arc::new(AtomicBool::new(false)),
        };
        let (beat, context, stop) = (dog.beat.clone(), dog.context.clone(), dog.stop.clone());
        thread::spawn(move || {
            while !stop.load(Ordering::Relaxed) {
                thread::sleep(Duration::from_millis(500));
                let last = Duration::from_millis(beat.load(Ordering::Relaxed));
                if started.elapsed().saturating_sub(last) > HANG {
                    say!(
                        "power loss: no progress for {HANG:?} at {}",
                        context.lock().unwrap()
                    );
                    std::process::abort();
                }
            }
        });
        dog
    }

    fn at(&self, context: &str, started: Instant) {
        context.clone_into(&mut self.context.lock().unwrap());
        self.beat
            .store(started.elapsed().as_millis() as u64, Ordering::Relaxed);
    }
}

impl Drop for Watchdog {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
    }
}

#[test]
fn power_loss_loses_nothing_acknowledged() {
    let started = Instant::now();
    let points = env_u64("STOCKBOOK_CRASH_POINTS").unwrap_or(POINTS_DEFAULT);
    let mut seed = env_u64("STOCKBOOK_CRASH_SEED").unwrap_or_else(|| {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_nanos() as u64
    });
    say!("power loss: seed {seed}, {points} crash points");
    let dog = Watchdog::start();
    let mut totals = Totals::default();
    let mut cal = Calibration::default();
    let mut chain_no = 0;
    while totals.points < points {
        let mut chain = Chain::new(seed);
        for round in 0..ROUNDS_PER_CHAIN {
            if totals.points >= points {
                break;
            }
            let context = format!(
                "chain {chain_no} (STOCKBOOK_CRASH_SEED={}), round {round}",
                chain.seed
            );
            dog.at(&context, started);
            let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                chain.round(round, &mut cal, &mut totals, &context);
            }));
            if let Err(panic) = outcome {
                say!("power loss: failed at {context}");
                std::panic::resume_unwind(panic);
            }
        }
        seed = chain.rng.next();
        chain_no += 1;
    }
    drop(dog);
    say!(
        "power loss: {} crash points, {} torn writes, {} injected I/O errors, all sound \
         ({} in open, {} after the workload, {} reordering; {} rounds, {} clean; {} jobs answered at most \
         in a chain; cut answers: {} there, {} absent; {} engines refused writes after an \
         I/O error; {:.1?})",
        totals.points,
        totals.torn,
        totals.injected,
        totals.points_in_open,
        totals.points_in_close,
        totals.reordered,
        totals.rounds,
        totals.clean_rounds,
        totals.acked,
        totals.cut_there,
        totals.cut_absent,
        totals.refusing_after_error,
        started.elapsed()
    );
    // The run exercised what it claims to.
    assert!(totals.torn > 0, "no torn write: {totals:?}");
    assert!(totals.cut_there > 0 && totals.cut_absent > 0, "{totals:?}");
    assert!(points < 50 || totals.injected > 0, "{totals:?}");
}

/// The fault disk itself: unsynced writes are lost, synced ones kept, the last one torn,
/// and a dead disk fails every call.
#[test]
fn fault_disk_loses_unsynced_writes() {
    use redb::StorageBackend;
    let mut torn = 0;
    for seed in 0..64 {
        let disk = Disk::new(seed);
        let backend = disk.backend();
        backend.set_len(16).unwrap();
        backend.write(0, &[1; 8]).unwrap();
        backend.sync_data().unwrap();
        backend.write(8, &[2; 8]).unwrap();
        backend.write(0, &[3; 4]).unwrap();
        disk.arm(Plan {
            crash_at_op: Some(2),
            fail_at_call: Some(1),
            ..Plan::default()
        });
        // The flaky call fails and changes nothing; the disk goes on.
        assert!(backend.write(0, &[9; 16]).is_err());
        assert!(disk.stats().injected);
        let mut seen = [0; 16];
        backend.read(0, &mut seen).unwrap();
        assert_eq!(seen, [3, 3, 3, 3, 1, 1, 1, 1, 2, 2, 2, 2, 2, 2, 2, 2]);
        // The second write-or-sync loses power: the write in progress is torn.
        backend.write(4, &[4; 12]).unwrap_err();
        assert!(disk.stats().crashed);
        assert!(backend.read(0, &mut seen).is_err());
        assert!(backend.len().is_err());
        assert!(backend.sync_data().is_err());
        let survivor = disk.survivor(seed);
        let after = survivor.backend();
        let len = after.len().unwrap() as usize;
        let mut image = vec![0; len];
        after.read(0, &mut image).unwrap();
        // Synced: the length and the 1s; the unsynced 2s and 3s are gone; a prefix of the
        // 4s reached the disk.
        let kept = image[4..].iter().take_while(|b| **b == 4).count();
        let mut expected = [1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0];
        expected[4..4 + kept].fill(4);
        assert_eq!(image, expected);
        if (1..12).contains(&kept) {
            torn += 1;
        }
    }
    assert!(torn > 0);
}

/// Reordering, each unsynced write but the last survives or not; synced data always does.
#[test]
fn fault_disk_reorders_unsynced_writes() {
    use redb::StorageBackend;
    let (mut kept, mut lost) = (0, 0);
    for seed in 0..64 {
        let disk = Disk::new(seed);
        let backend = disk.backend();
        backend.set_len(8).unwrap();
        backend.write(0, &[1; 8]).unwrap();
        backend.sync_data().unwrap();
        disk.arm(Plan {
            crash_at_op: Some(3),
            reorder: true,
            ..Plan::default()
        });
        backend.write(0, &[2; 2]).unwrap();
        backend.write(2, &[3; 2]).unwrap();
        backend.write(4, &[4; 4]).unwrap_err();
        let survivor = disk.survivor(seed).backend();
        let mut image = [0; 8];
        survivor.read(0, &mut image).unwrap();
        assert!(image[..2] == [1; 2] || image[..2] == [2; 2], "{image:?}");
        assert!(image[2..4] == [1; 2] || image[2..4] == [3; 2], "{image:?}");
        let torn = image[4..].iter().take_while(|b| **b == 4).count();
        assert!(image[4 + torn..].iter().all(|b| *b == 1), "{image:?}");
        if image[..2] == [2; 2] {
            kept += 1;
        } else {
            lost += 1;
        }
    }
    assert!(kept > 0 && lost > 0, "{kept} kept, {lost} lost");
}

/// A store whose very first open lost power, at any write or sync of its creation, opens
/// again (over a backend and as a file) and works: redb writes a new file's magic number
/// last, and a file without it was never a database.
#[test]
fn a_store_whose_creation_lost_power_opens_again() {
    let dir = tempfile::tempdir().unwrap();
    let clock = ManualClock::new(START_MS);
    let clean = Disk::new(0);
    clean.arm(Plan::default());
    Stockbook::open_with_backend(clean.backend(), options(&clock))
        .unwrap()
        .close()
        .unwrap();
    let ops = clean.stats().ops;
    assert!(ops > 2, "{ops}");
    let mut unfinished = 0;
    for op in 1..=ops {
        for seed in 0..4 {
            let disk = Disk::new(seed);
            disk.arm(Plan {
                crash_at_op: Some(op),
                ..Plan::default()
            });
            if let Ok(sb) = Stockbook::open_with_backend(disk.backend(), options(&clock)) {
                let _ = sb.close();
            }
            let survivor = disk.survivor(seed);
            let image = {
                use redb::StorageBackend;
                let backend = survivor.backend();
                let mut image = vec![0; backend.len().unwrap() as usize];
                backend.read(0, &mut image).unwrap();
                image
            };
            if !image.is_empty() && !image.starts_with(b"redb\x1a\x0a\xa9\x0d\x0a") {
                unfinished += 1;
            }
            let context = format!("lost at write-or-sync {op}, seed {seed}");
            let path = dir.path().join(format!("created-{op}-{seed}.stockbook"));
            std::fs::write(&path, &image).unwrap();
            for sb in [
                Stockbook::open_with_backend(survivor.backend(), options(&clock)),
                Stockbook::open_with(&path, options(&clock)),
            ] {
                let sb = sb.unwrap_or_else(|e| panic!("{context}: {e}"));
                assert!(sb.verify().unwrap().is_sound(), "{context}");
                let setup = setup_job().run(&sb);
                assert!(setup.is_ok(), "{context}: {setup:?}");
                sb.close().unwrap();
            }
        }
    }
    assert!(
        unfinished > 0,
        "no loss left a file without its magic number"
    );
}
