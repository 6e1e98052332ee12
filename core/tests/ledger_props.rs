//! Properties of the ledger over random command sequences, many of them refused.
//!
//! After every run: physical balances are never negative unless the item allows it; every
//! item's ledger (virtual locations included) sums to zero; every balance equals the sum of
//! its movements recomputed naively from the log; `verify()` is sound; and stock at every
//! past sequence, and at random business times, equals a naive recomputation from the log.
//! A second property reopens a file and finds the same state.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use proptest::prelude::*;
use stockbook::{
    Adjust, AsOf, BalanceFilter, Command, Count, Dispatch, Envelope, Event, Issue, Item, Location,
    LocationKind, ManualClock, Meta, Options, Qty, Receive, ReceiveTransfer, Scrap, Stockbook,
    Tracking, Transfer,
};

const START_MS: i64 = 1_767_225_600_000;
const HOUR_MS: i64 = 3_600_000;
const DAY_MS: i64 = 86_400_000;

/// (sku, decimals, tracking, allow_negative)
const ITEMS: &[(&str, u8, Tracking, bool)] = &[
    ("P", 0, Tracking::None, false),
    ("D", 2, Tracking::None, false),
    ("L", 0, Tracking::Lot, false),
    ("N", 1, Tracking::None, true),
];
/// (code, parent, kind)
const LOCATIONS: &[(&str, Option<&str>, LocationKind)] = &[
    ("WH", None, LocationKind::Site),
    ("WH/A", Some("WH"), LocationKind::Zone),
    ("WH/A/1", Some("WH/A"), LocationKind::Bin),
    ("WH/A/2", Some("WH/A"), LocationKind::Bin),
    ("WH/B", Some("WH"), LocationKind::Bin),
    ("X", None, LocationKind::Site),
    ("X/1", Some("X"), LocationKind::Bin),
];
/// Where commands act: bins, a site (physical too) and a virtual one (always refused).
const PLACES: &[&str] = &["WH/A/1", "WH/A/2", "WH/B", "X/1", "WH", "@customer"];
const LOTS: &[&str] = &["L1", "L2"];
/// L1 expires two days in; L2 never.
const L1_EXPIRY_MS: i64 = START_MS + 2 * DAY_MS;

#[derive(Debug, Clone)]
enum Op {
    Receive {
        sku: usize,
        loc: usize,
        qty: (i64, u8),
        lot: Option<usize>,
        expiry: bool,
    },
    Issue {
        sku: usize,
        loc: usize,
        qty: (i64, u8),
        lot: Option<usize>,
        allow_expired: bool,
    },
    Ship {
        sku: usize,
        loc: usize,
        qty: (i64, u8),
        lot: Option<usize>,
    },
    Adjust {
        sku: usize,
        loc: usize,
        qty: (i64, u8),
        lot: Option<usize>,
    },
    Scrap {
        sku: usize,
        loc: usize,
        qty: (i64, u8),
        lot: Option<usize>,
    },
    Transfer {
        sku: usize,
        from: usize,
        to: usize,
        qty: (i64, u8),
        lot: Option<usize>,
    },
    Dispatch {
        sku: usize,
        from: usize,
        to: usize,
        qty: (i64, u8),
        lot: Option<usize>,
    },
    ReceiveTransfer {
        which: usize,
        qty: (i64, u8),
    },
    Count {
        sku: usize,
        loc: usize,
        counted: (i64, u8),
        lot: Option<usize>,
    },
    Batch(Vec<Op>),
}

#[derive(Debug, Clone)]
struct Step {
    op: Op,
    advance_ms: i64,
    /// Back-date the command's effective time by this much.
    back_date_ms: Option<i64>,
    /// An idempotency key from a small pool, so that conflicts happen.
    key: Option<u8>,
    /// Instead of `op`, execute the n-th last keyed step again, exactly.
    replay: Option<usize>,
}

/// Receipts are larger than takings, so that stock builds up and takings can succeed.
fn receive_qty_strategy() -> impl Strategy<Value = (i64, u8)> {
    prop_oneof![
        4 => (1i64..=40).prop_map(|u| (u, 0)),
        2 => (1i64..=4000, 1u8..=2),
        1 => (-3i64..=3, 0u8..=3),
    ]
}

fn qty_strategy() -> impl Strategy<Value = (i64, u8)> {
    // Mostly small whole numbers; some with fractional digits (refused for whole items).
    prop_oneof![
        4 => (1i64..=12).prop_map(|u| (u, 0)),
        2 => (1i64..=1500, 1u8..=2),
        1 => (-3i64..=3, 0u8..=3),
    ]
}

/// `Some(i)`: the right thing for the item (lot `i` if it is lot-tracked, none otherwise);
/// `None`: the wrong thing (no lot for a lot-tracked item, a lot for any other).
fn lot_strategy() -> impl Strategy<Value = Option<usize>> {
    prop_oneof![1 => Just(None), 7 => (0..LOTS.len()).prop_map(Some)]
}

fn leaf_op() -> impl Strategy<Value = Op> {
    let sku = 0..ITEMS.len();
    let loc = 0..PLACES.len();
    prop_oneof![
        6 => (sku.clone(), loc.clone(), receive_qty_strategy(), lot_strategy(), any::<bool>())
            .prop_map(|(sku, loc, qty, lot, expiry)| Op::Receive { sku, loc, qty, lot, expiry }),
        2 => (sku.clone(), loc.clone(), qty_strategy(), lot_strategy(), any::<bool>()).prop_map(
            |(sku, loc, qty, lot, allow_expired)| Op::Issue { sku, loc, qty, lot, allow_expired }
        ),
        2 => (sku.clone(), loc.clone(), qty_strategy(), lot_strategy())
            .prop_map(|(sku, loc, qty, lot)| Op::Ship { sku, loc, qty, lot }),
        2 => (sku.clone(), loc.clone(), qty_strategy(), lot_strategy(), any::<bool>()).prop_map(
            |(sku, loc, (u, s), lot, down)| Op::Adjust {
                sku,
                loc,
                qty: (if down { -u } else { u }, s),
                lot
            }
        ),
        1 => (sku.clone(), loc.clone(), qty_strategy(), lot_strategy())
            .prop_map(|(sku, loc, qty, lot)| Op::Scrap { sku, loc, qty, lot }),
        2 => (sku.clone(), loc.clone(), loc.clone(), qty_strategy(), lot_strategy())
            .prop_map(|(sku, from, to, qty, lot)| Op::Transfer { sku, from, to, qty, lot }),
        2 => (sku.clone(), loc.clone(), loc.clone(), qty_strategy(), lot_strategy())
            .prop_map(|(sku, from, to, qty, lot)| Op::Dispatch { sku, from, to, qty, lot }),
        2 => (0usize..6, qty_strategy()).prop_map(|(which, qty)| Op::ReceiveTransfer { which, qty }),
        2 => (sku, loc, (0i64..=20, 0u8..=1), lot_strategy())
            .prop_map(|(sku, loc, counted, lot)| Op::Count { sku, loc, counted, lot }),
    ]
}

fn step_strategy() -> impl Strategy<Value = Step> {
    let op = prop_oneof![9 => leaf_op(), 1 => prop::collection::vec(leaf_op(), 2..4).prop_map(Op::Batch)];
    (
        op,
        prop_oneof![Just(0i64), 0i64..=12 * HOUR_MS],
        prop_oneof![3 => Just(None), 1 => (0i64..=3 * DAY_MS).prop_map(Some)],
        prop_oneof![3 => Just(None), 1 => (0u8..24).prop_map(Some)],
        prop_oneof![9 => Just(None), 1 => (0usize..8).prop_map(Some)],
    )
        .prop_map(|(op, advance_ms, back_date_ms, key, replay)| Step {
            op,
            advance_ms,
            back_date_ms,
            key,
            replay,
        })
}

fn qty((units, scale): (i64, u8)) -> Qty {
    Qty::from_units(units, scale).unwrap()
}

fn lot_of(sku: usize, lot: Option<usize>) -> Option<String> {
    let tracked = ITEMS[sku].2 == Tracking::Lot;
    match lot {
        Some(i) if tracked => Some(LOTS[i].to_owned()),
        Some(_) => None,
        None if tracked => None,
        None => Some(LOTS[0].to_owned()),
    }
}

/// The command an op becomes; `transfers` are the ids dispatched so far.
fn command(op: &Op, transfers: &[String]) -> Vec<Command> {
    let sku = |i: usize| ITEMS[i].0.to_owned();
    let place = |i: usize| PLACES[i].to_owned();
    let one = match op {
        Op::Receive {
            sku: s,
            loc,
            qty: q,
            lot,
            expiry,
        } => {
            let mut r = Receive::new(sku(*s), place(*loc), qty(*q));
            r.lot = lot_of(*s, *lot);
            if *expiry && r.lot.as_deref() == Some(LOTS[0]) {
                r.expiry = Some(L1_EXPIRY_MS);
            }
            Command::Receive(r)
        }
        Op::Issue {
            sku: s,
            loc,
            qty: q,
            lot,
            allow_expired,
        } => {
            let mut i = Issue::new(sku(*s), place(*loc), qty(*q));
            i.lot = lot_of(*s, *lot);
            i.allow_expired = *allow_expired;
            Command::Issue(i)
        }
        Op::Ship {
            sku: s,
            loc,
            qty: q,
            lot,
        } => {
            let mut i = Issue::new(sku(*s), place(*loc), qty(*q));
            i.lot = lot_of(*s, *lot);
            Command::Ship(i)
        }
        Op::Adjust {
            sku: s,
            loc,
            qty: q,
            lot,
        } => Command::Adjust({
            let mut v = Adjust::new(sku(*s), place(*loc), qty(*q), "prop");
            v.lot = lot_of(*s, *lot);
            v
        }),
        Op::Scrap {
            sku: s,
            loc,
            qty: q,
            lot,
        } => Command::Scrap({
            let mut v = Scrap::new(sku(*s), place(*loc), qty(*q));
            v.lot = lot_of(*s, *lot);
            v
        }),
        Op::Transfer {
            sku: s,
            from,
            to,
            qty: q,
            lot,
        } => Command::Transfer({
            let mut v = Transfer::new(sku(*s), place(*from), place(*to), qty(*q));
            v.lot = lot_of(*s, *lot);
            v
        }),
        Op::Dispatch {
            sku: s,
            from,
            to,
            qty: q,
            lot,
        } => Command::DispatchTransfer({
            let mut v =
                Dispatch::new(sku(*s), place(*from), place(*to), qty(*q)).allow_expired(true);
            v.lot = lot_of(*s, *lot);
            v
        }),
        Op::ReceiveTransfer { which, qty: q } => Command::ReceiveTransfer(ReceiveTransfer::new(
            transfers
                .get(*which)
                .cloned()
                .unwrap_or_else(|| "TR-none".into()),
            qty(*q),
        )),
        Op::Count {
            sku: s,
            loc,
            counted,
            lot,
        } => Command::Count({
            let mut v = Count::new(sku(*s), place(*loc), qty(*counted));
            v.lot = lot_of(*s, *lot);
            v
        }),
        Op::Batch(ops) => return ops.iter().flat_map(|o| command(o, transfers)).collect(),
    };
    vec![one]
}

fn setup(sb: &Stockbook) {
    for (sku, decimals, tracking, allow_negative) in ITEMS {
        let mut item = Item::new(*sku);
        item.decimals = *decimals;
        item.tracking = *tracking;
        item.allow_negative = *allow_negative;
        sb.define_item(item).unwrap();
    }
    for (code, parent, kind) in LOCATIONS {
        let mut loc = Location::new(*code);
        loc.parent = parent.map(str::to_owned);
        loc.kind = *kind;
        sb.define_location(loc).unwrap();
    }
}

/// Runs the steps; returns how many were accepted.
fn run(sb: &Stockbook, clock: &ManualClock, steps: &[Step]) -> usize {
    type Outcome = stockbook::Result<Vec<stockbook::Receipt>>;
    let mut transfers: Vec<String> = Vec::new();
    let mut keyed: Vec<(Vec<Command>, Meta, bool, Outcome)> = Vec::new();
    let mut accepted = 0;
    for step in steps {
        clock.advance(step.advance_ms);
        let before = sb.last_seq().unwrap();
        let execute = |commands: Vec<Command>, meta: Meta, batch: bool| -> Outcome {
            if batch {
                sb.execute_batch(commands, meta)
            } else {
                sb.execute(commands.into_iter().next().unwrap(), meta)
                    .map(|r| vec![r])
            }
        };
        if let Some(back) = step.replay
            && let Some((commands, meta, batch, first)) =
                keyed.len().checked_sub(back + 1).map(|i| keyed[i].clone())
        {
            // The same key and command again: the first outcome, and nothing written.
            let again = execute(commands, meta, batch);
            assert_eq!(again, first, "a replay answered differently");
            assert_eq!(sb.last_seq().unwrap(), before, "a replay wrote events");
            continue;
        }
        let now = sb.now().unwrap();
        let mut meta = Meta::new().actor("prop");
        if let Some(back) = step.back_date_ms {
            meta = meta.effective_at(now - back);
        }
        if let Some(k) = step.key {
            meta = meta.key(format!("key-{k}"));
        }
        let commands = command(&step.op, &transfers);
        let batch = matches!(step.op, Op::Batch(_));
        let outcome = execute(commands.clone(), meta.clone(), batch);
        if meta.key.is_some() && !matches!(&outcome, Err(e) if e.code() == "conflict") {
            keyed.push((commands, meta, batch, outcome.clone()));
        }
        match outcome {
            Ok(receipts) => {
                accepted += 1;
                for r in receipts {
                    if let Some(id) = r.transfer_id
                        && !transfers.contains(&id)
                    {
                        transfers.push(id);
                    }
                }
            }
            Err(err) => {
                assert!(
                    !matches!(err.code(), "storage" | "io" | "closed"),
                    "an engine failure, not a refusal: {err}"
                );
                assert_eq!(
                    sb.last_seq().unwrap(),
                    before,
                    "a refusal wrote events: {err}"
                );
            }
        }
    }
    accepted
}

/// Every location code with its subtree (from the fixed tree above).
fn subtrees() -> BTreeMap<&'static str, BTreeSet<&'static str>> {
    let mut out: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    for (code, _, _) in LOCATIONS {
        let mut cursor = Some(*code);
        while let Some(c) = cursor {
            out.entry(c).or_default().insert(code);
            cursor = LOCATIONS
                .iter()
                .find(|(k, _, _)| *k == c)
                .and_then(|(_, p, _)| *p);
        }
    }
    out
}

fn decimals(sku: &str) -> u8 {
    ITEMS.iter().find(|i| i.0 == sku).unwrap().1
}

fn units_at(q: Qty, sku: &str) -> i128 {
    i128::from(q.rescale(decimals(sku)).unwrap().units())
}

fn all_events(sb: &Stockbook) -> Vec<Envelope> {
    let events: Vec<Envelope> = sb.events_iter(0).map(Result::unwrap).collect();
    for (i, env) in events.iter().enumerate() {
        assert_eq!(env.seq, i as u64 + 1, "the log has no gaps");
    }
    events
}

/// The checks shared by the properties.
fn check_invariants(sb: &Stockbook) -> Result<(), TestCaseError> {
    let report = sb.verify().unwrap();
    prop_assert!(report.is_sound(), "verify: {:?}", report.problems);
    let events = all_events(sb);
    prop_assert_eq!(events.len() as u64, sb.last_seq().unwrap());

    // Balances, virtual locations included, against the naive sum of movements.
    let all = BalanceFilter::new().include_virtual(true);
    let mut listed: BTreeMap<(String, String, Option<String>), i128> = BTreeMap::new();
    let mut sums: BTreeMap<String, i128> = BTreeMap::new();
    for b in sb.balances(&all).unwrap() {
        let u = units_at(b.on_hand, &b.sku);
        prop_assert!(u != 0, "a zero balance is listed: {:?}", b);
        *sums.entry(b.sku.clone()).or_default() += u;
        let virtual_place = b.location.starts_with('@');
        let allow = ITEMS.iter().any(|i| i.0 == b.sku && i.3);
        prop_assert!(u >= 0 || virtual_place || allow, "negative balance {:?}", b);
        prop_assert_eq!(b.on_hand.scale(), decimals(&b.sku), "precision of {:?}", b);
        listed.insert((b.sku, b.location, b.lot), u);
    }
    for (sku, sum) in &sums {
        prop_assert_eq!(*sum, 0, "the ledger of {} sums to {}", sku, sum);
    }
    let mut naive: BTreeMap<(String, String, Option<String>), i128> = BTreeMap::new();
    for env in &events {
        if let Event::Moved(m) = &env.event {
            prop_assert!(m.qty > Qty::ZERO, "a movement of {}", m.qty);
            let u = units_at(m.qty, &m.sku);
            *naive
                .entry((m.sku.clone(), m.from.clone(), m.lot.clone()))
                .or_default() -= u;
            *naive
                .entry((m.sku.clone(), m.to.clone(), m.lot.clone()))
                .or_default() += u;
        }
    }
    naive.retain(|_, u| *u != 0);
    prop_assert_eq!(&listed, &naive, "balances differ from the sum of movements");

    // Stock at every past sequence, for every item at every location (with roll-up).
    let trees = subtrees();
    for (sku, ..) in ITEMS {
        for (place, subtree) in &trees {
            let mut running: i128 = 0;
            let mut expected = vec![0i128];
            for env in &events {
                if let Event::Moved(m) = &env.event
                    && m.sku == *sku
                {
                    let u = units_at(m.qty, sku);
                    if subtree.contains(m.to.as_str()) {
                        running += u;
                    }
                    if subtree.contains(m.from.as_str()) {
                        running -= u;
                    }
                }
                expected.push(running);
            }
            for (seq, want) in expected.iter().enumerate() {
                let got = sb.on_hand_at(sku, place, AsOf::Seq(seq as u64)).unwrap();
                prop_assert_eq!(
                    units_at(got, sku),
                    *want,
                    "on_hand_at({}, {}, seq {})",
                    sku,
                    place,
                    seq
                );
            }
            let now = sb.on_hand(sku, place).unwrap();
            prop_assert_eq!(units_at(now, sku), running, "on_hand({}, {})", sku, place);
        }
    }
    Ok(())
}

/// Stock at business times: every effective time in the log, one ms either side, and the
/// ends of the range.
fn check_effective_times(sb: &Stockbook) -> Result<(), TestCaseError> {
    let events = all_events(sb);
    let mut times: BTreeSet<i64> = BTreeSet::new();
    times.insert(i64::MIN);
    times.insert(0);
    times.insert(i64::MAX);
    for env in &events {
        times.extend([env.effective_at - 1, env.effective_at, env.effective_at + 1]);
    }
    let trees = subtrees();
    for (sku, ..) in ITEMS {
        for place in ["WH", "WH/A/1", "X/1", "WH/B"] {
            let subtree = &trees[place];
            for &t in &times {
                let mut want: i128 = 0;
                for env in &events {
                    if let Event::Moved(m) = &env.event
                        && m.sku == *sku
                        && env.effective_at <= t
                    {
                        let u = units_at(m.qty, sku);
                        if subtree.contains(m.to.as_str()) {
                            want += u;
                        }
                        if subtree.contains(m.from.as_str()) {
                            want -= u;
                        }
                    }
                }
                let got = sb.on_hand_at(sku, place, AsOf::Time(t)).unwrap();
                prop_assert_eq!(
                    units_at(got, sku),
                    want,
                    "on_hand_at({}, {}, t {})",
                    sku,
                    place,
                    t
                );
            }
        }
    }
    Ok(())
}

fn in_memory() -> (Stockbook, Arc<ManualClock>) {
    let clock = ManualClock::new(START_MS);
    let sb = Stockbook::in_memory_with(Options::default().with_clock(clock.clone())).unwrap();
    setup(&sb);
    (sb, clock)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, max_shrink_iters: 200, ..ProptestConfig::default() })]

    #[test]
    fn random_commands_keep_the_ledger_sound(steps in prop::collection::vec(step_strategy(), 1..50)) {
        let (sb, clock) = in_memory();
        run(&sb, &clock, &steps);
        check_invariants(&sb)?;
        check_effective_times(&sb)?;
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 16, max_shrink_iters: 50, ..ProptestConfig::default() })]

    #[test]
    fn a_reopened_file_has_the_same_state(
        steps in prop::collection::vec(step_strategy(), 1..40),
        snapshot_every in prop_oneof![Just(1u64), Just(7u64), Just(250_000u64)],
        close_first in any::<bool>(),
    ) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("book.stockbook");
        let clock = ManualClock::new(START_MS);
        let mut options = Options::default().with_clock(clock.clone());
        options.snapshot_every_events = snapshot_every;
        let sb = Stockbook::open_with(&path, options.clone()).unwrap();
        setup(&sb);
        run(&sb, &clock, &steps);
        let all = BalanceFilter::new().include_virtual(true);
        let balances = sb.balances(&all).unwrap();
        let items = sb.items().unwrap();
        let locations = sb.locations().unwrap();
        let events = all_events(&sb);
        let lots = sb.lots("L").unwrap();
        let last_seq = sb.last_seq().unwrap();
        if close_first {
            sb.close().unwrap();
        } else {
            drop(sb);
        }
        let again = Stockbook::open_with(&path, options).unwrap();
        prop_assert_eq!(again.balances(&all).unwrap(), balances);
        prop_assert_eq!(again.items().unwrap(), items);
        prop_assert_eq!(again.locations().unwrap(), locations);
        prop_assert_eq!(again.lots("L").unwrap(), lots);
        prop_assert_eq!(again.last_seq().unwrap(), last_seq);
        prop_assert_eq!(all_events(&again), events);
        check_invariants(&again)?;
        // The reopened book keeps working from where it was.
        again.receive(Receive::new("P", "WH/B", 1)).unwrap();
        prop_assert_eq!(again.last_seq().unwrap(), last_seq + 1);
        prop_assert!(again.verify().unwrap().is_sound());
    }
}

/// The generator is not vacuous: over fixed runs of the size the properties use, many
/// commands are accepted and many refused, and stock moves through every kind of movement.
#[test]
fn the_generator_exercises_the_ledger() {
    use proptest::strategy::ValueTree;
    use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};
    let mut runner = TestRunner::new_with_rng(
        Config::default(),
        TestRng::deterministic_rng(RngAlgorithm::ChaCha),
    );
    let (mut accepted, mut total) = (0, 0);
    let mut kinds: BTreeSet<String> = BTreeSet::new();
    for _ in 0..12 {
        let steps: Vec<Step> = prop::collection::vec(step_strategy(), 50)
            .new_tree(&mut runner)
            .unwrap()
            .current();
        let (sb, clock) = in_memory();
        accepted += run(&sb, &clock, &steps);
        total += steps.len();
        kinds.extend(all_events(&sb).iter().filter_map(|e| match &e.event {
            Event::Moved(m) => Some(format!("{:?}", m.kind)),
            _ => None,
        }));
        check_invariants(&sb).unwrap();
        check_effective_times(&sb).unwrap();
    }
    assert!(accepted * 4 > total, "only {accepted} of {total} accepted");
    assert!(
        accepted * 10 < total * 9,
        "{accepted} of {total} accepted: too few refusals"
    );
    for kind in [
        "Receive",
        "Issue",
        "Ship",
        "Adjust",
        "Scrap",
        "Transfer",
        "Dispatch",
        "TransferReceipt",
        "Count",
    ] {
        assert!(kinds.contains(kind), "no {kind} movement in {kinds:?}");
    }
}
