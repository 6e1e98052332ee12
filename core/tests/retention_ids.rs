//! The writer keeps the hashes of the ids that left memory for the `closed` table, and
//! reads the table only for an id whose hash is there: a book whose closed records leave
//! memory refuses and accepts exactly the ids a book that keeps everything does, through
//! atomic batches that roll back, panics, reopens, power losses, and generated reservation
//! ids that a caller's id took first.

#[allow(dead_code, reason = "this binary uses part of the shared support")]
mod support;

use std::sync::Arc;

use proptest::prelude::*;
use stockbook::orders::{CreateOrder, NewOrderLine, OrderStep, ReservationFilter, Reserve};
use stockbook::planning::supply::{CreatePurchaseOrder, NewPurchaseOrderLine, PurchaseOrderFilter};
use stockbook::{Command, Item, ManualClock, Meta, Options, Qty, Receive, Stockbook};
use support::fault::Disk;

const T0: i64 = 1_767_225_600_000;
const HOUR: i64 = 3_600_000;

fn options(clock: &Arc<ManualClock>, retention_ms: i64) -> Options {
    support::retention_options(clock, retention_ms, 48)
}

fn setup(sb: &Stockbook) {
    support::site_with_bin(sb);
    sb.define_item(Item::new("A")).unwrap();
    sb.define_item(Item::new("B")).unwrap();
    sb.receive(Receive::new("A", "WH1/A", 100_000)).unwrap();
}

fn create_order(id: &str) -> Command {
    Command::CreateOrder(
        CreateOrder::new(id, "WH1", vec![NewOrderLine::new("A", Qty::from_int(1))]).priority(100),
    )
}

fn create_po(id: &str) -> Command {
    Command::CreatePurchaseOrder(CreatePurchaseOrder::new(
        id,
        "SUP",
        "WH1",
        vec![NewPurchaseOrderLine::new("A", Qty::from_int(5))],
        T0,
    ))
}

fn reserve(id: Option<String>) -> Command {
    let mut r = Reserve::new("A", "WH1", 1);
    r.reservation_id = id;
    Command::Reserve(r)
}

fn receive_a() -> Command {
    Command::Receive(Receive::new("A", "WH1/A", 1))
}

#[derive(Debug, Clone)]
enum Op {
    /// Create the order `O-i`, then cancel it (closed at once).
    OrderClosed(u8),
    /// Create the order `O-i` and leave it open.
    Order(u8),
    /// Reserve `R-i`, then release it.
    ReservationClosed(u8),
    /// Reserve with a caller's id in the generated shape, `RS-<last seq + d>`, then release.
    ReserveAhead(u8),
    /// Reserve with a generated id.
    ReserveGenerated,
    /// Create the purchase order `P-i`, then cancel it.
    PurchaseOrderClosed(u8),
    /// One atomic batch: a receipt (a new bucket takes records out first), then two order
    /// creations (`O-i` twice is refused by the second).
    Batch(u8, u8),
    /// An atomic batch that creates `O-i` then is refused: rolled back.
    BatchRefused(u8),
    /// An atomic batch that creates `O-i` then panics in the writer: rolled back.
    Panic(u8),
    /// The clock moves on.
    Advance(u32),
    /// Closed and opened again.
    Reopen,
    /// The power goes: opened again from what the disk kept.
    PowerLoss,
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        3 => (0u8..10).prop_map(Op::OrderClosed),
        1 => (0u8..10).prop_map(Op::Order),
        2 => (0u8..10).prop_map(Op::ReservationClosed),
        1 => (1u8..8).prop_map(Op::ReserveAhead),
        2 => Just(Op::ReserveGenerated),
        1 => (0u8..6).prop_map(Op::PurchaseOrderClosed),
        1 => ((0u8..10), (0u8..10)).prop_map(|(a, b)| Op::Batch(a, b)),
        1 => (0u8..10).prop_map(Op::BatchRefused),
        1 => (0u8..10).prop_map(Op::Panic),
        3 => (0u32..(3 * HOUR as u32)).prop_map(Op::Advance),
        1 => Just(Op::Reopen),
        1 => Just(Op::PowerLoss),
    ]
}

/// A typed method's receipt as the engine's, for `step`'s answers.
fn written(r: stockbook::Result<stockbook::Written>) -> stockbook::Result<Vec<stockbook::Receipt>> {
    r.map(|w| {
        vec![stockbook::Receipt {
            first_seq: w.first_seq,
            last_seq: w.last_seq,
            ..stockbook::Receipt::default()
        }]
    })
}

/// The answers of one step: each command's code and the receipts' reservation ids.
fn step(sb: &Stockbook, op: &Op) -> Vec<String> {
    let answer = |r: stockbook::Result<Vec<stockbook::Receipt>>| match r {
        Ok(receipts) => format!(
            "ok {:?}",
            receipts
                .iter()
                .map(|r| r.reservation_id.clone())
                .collect::<Vec<_>>()
        ),
        Err(e) => e.code().to_owned(),
    };
    let one = |c: Command| answer(sb.execute(c, Meta::new()).map(|r| vec![r]));
    let batch = |cs: Vec<Command>| answer(sb.execute_batch(cs, Meta::new()));
    match op {
        Op::OrderClosed(i) => {
            let id = format!("O-{i}");
            vec![
                one(create_order(&id)),
                answer(written(sb.cancel_order(&id, None))),
            ]
        }
        Op::Order(i) => vec![one(create_order(&format!("O-{i}")))],
        Op::ReservationClosed(i) => {
            let id = format!("R-{i}");
            vec![
                one(reserve(Some(id.clone()))),
                answer(written(sb.release_reservation(&id, None))),
            ]
        }
        Op::ReserveAhead(d) => {
            let id = format!("RS-{}", sb.last_seq().unwrap() + u64::from(*d));
            vec![
                one(reserve(Some(id.clone()))),
                answer(written(sb.release_reservation(&id, None))),
            ]
        }
        Op::ReserveGenerated => {
            let out = sb.execute(reserve(None), Meta::new());
            let id = out.as_ref().ok().and_then(|r| r.reservation_id.clone());
            let mut answers = vec![answer(out.map(|r| vec![r]))];
            if let Some(id) = id {
                answers.push(answer(written(sb.release_reservation(&id, None))));
            }
            answers
        }
        Op::PurchaseOrderClosed(i) => {
            let id = format!("P-{i}");
            vec![
                one(create_po(&id)),
                answer(written(sb.cancel_purchase_order(&id))),
            ]
        }
        Op::Batch(a, b) => vec![batch(vec![
            receive_a(),
            create_order(&format!("O-{a}")),
            create_order(&format!("O-{b}")),
        ])],
        Op::BatchRefused(i) => vec![batch(vec![
            receive_a(),
            create_order(&format!("O-{i}")),
            Command::ConfirmOrder(OrderStep::new("NOPE")),
        ])],
        Op::Panic(i) => {
            sb.inject_panic_for_sku(Some("B")).unwrap();
            vec![batch(vec![
                receive_a(),
                create_order(&format!("O-{i}")),
                Command::Receive(Receive::new("B", "WH1/A", 1)),
            ])]
        }
        Op::Advance(_) | Op::Reopen | Op::PowerLoss => Vec::new(),
    }
}

/// What the books hold: every order, reservation and purchase order.
fn holdings(sb: &Stockbook) -> String {
    format!(
        "{:?}\n{:?}\n{:?}",
        sb.orders(None).unwrap(),
        sb.reservations(&ReservationFilter::default()).unwrap(),
        sb.purchase_orders(&PurchaseOrderFilter::default()).unwrap()
    )
}

fn assert_sound(sb: &Stockbook) {
    let report = sb.verify().unwrap();
    assert!(report.problems.is_empty(), "{:?}", report.problems);
}

/// Runs `ops` on a book whose closed records leave memory after an hour and on one that
/// keeps everything, and compares every answer.
fn differential(ops: &[Op], seed: u64) {
    let clock = ManualClock::new(T0);
    let mut disk = Disk::new(seed);
    let open =
        |disk: &Disk| Stockbook::open_with_backend(disk.backend(), options(&clock, HOUR)).unwrap();
    let mut sb = open(&disk);
    let all = Stockbook::in_memory_with(options(&clock, i64::MAX)).unwrap();
    setup(&sb);
    setup(&all);
    for (n, op) in ops.iter().enumerate() {
        match op {
            Op::Advance(ms) => clock.advance(i64::from(*ms)),
            Op::Reopen => {
                sb.close().unwrap();
                sb = open(&disk);
            }
            Op::PowerLoss => {
                // Every answered write was flushed: nothing answered is lost.
                disk = disk.survivor(seed.wrapping_add(n as u64));
                drop(sb);
                sb = open(&disk);
            }
            other => {
                assert_eq!(sb.last_seq().unwrap(), all.last_seq().unwrap(), "{op:?}");
                assert_eq!(step(&sb, other), step(&all, other), "step {n}: {other:?}");
            }
        }
    }
    assert_eq!(holdings(&sb), holdings(&all));
    assert_sound(&sb);
    // Past the window, whatever is closed leaves; the ids stay taken.
    clock.advance(2 * HOUR);
    for op in (0..10).map(Op::OrderClosed).chain([Op::ReserveGenerated]) {
        assert_eq!(step(&sb, &op), step(&all, &op), "{op:?}");
    }
    assert_sound(&sb);
    sb.close().unwrap();
    let sb = open(&disk);
    for op in (0..10)
        .map(Op::Order)
        .chain((0..10).map(Op::ReservationClosed))
    {
        assert_eq!(step(&sb, &op), step(&all, &op), "after a reopen: {op:?}");
    }
    assert_eq!(holdings(&sb), holdings(&all));
    assert_sound(&sb);
    sb.close().unwrap();
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 32, ..ProptestConfig::default() })]

    /// Every id is refused or accepted as by the book that keeps everything.
    #[test]
    fn ids_are_refused_and_accepted_as_if_every_record_had_stayed(
        ops in proptest::collection::vec(op(), 1..80),
        seed in any::<u64>(),
    ) {
        differential(&ops, seed);
    }
}

/// Records leave memory, the book is reopened, and the very ids that left are named again
/// first: the set of ids that left is rebuilt from the table, not only from what this
/// session took out.
#[test]
fn after_a_reopen_an_id_that_left_in_an_earlier_session_is_still_taken() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("book.redb");
    let clock = ManualClock::new(T0);
    let sb = Stockbook::open_with(&path, options(&clock, HOUR)).unwrap();
    setup(&sb);
    for i in 0..5 {
        step(&sb, &Op::OrderClosed(i));
        step(&sb, &Op::ReservationClosed(i));
        step(&sb, &Op::PurchaseOrderClosed(i));
    }
    clock.advance(2 * HOUR);
    sb.receive(Receive::new("A", "WH1/A", 1)).unwrap();
    assert_eq!(sb.closed_in_memory().unwrap(), 0);
    sb.close().unwrap();
    let sb = Stockbook::open_with(&path, options(&clock, HOUR)).unwrap();
    let code = |c: Command| sb.execute(c, Meta::new()).unwrap_err().code().to_owned();
    assert_eq!(code(create_order("O-3")), "already_exists");
    assert_eq!(code(reserve(Some("R-3".into()))), "already_exists");
    assert_eq!(code(create_po("P-3")), "already_exists");
    // An id that never left is taken as before.
    sb.execute(create_order("O-5"), Meta::new()).unwrap();
    assert_sound(&sb);
    sb.close().unwrap();
}

/// A caller took a reservation id in the generated shape ahead of the sequence; it left
/// memory; when the sequence reaches it, the generated reservation is refused, as it would
/// be had the caller's reservation stayed in memory.
#[test]
fn a_generated_id_that_a_callers_id_took_first_is_refused_after_it_left_memory() {
    let clock = ManualClock::new(T0);
    let sb = Stockbook::in_memory_with(options(&clock, HOUR)).unwrap();
    setup(&sb);
    let ahead = sb.last_seq().unwrap() + 10;
    let id = format!("RS-{ahead}");
    sb.execute(reserve(Some(id.clone())), Meta::new()).unwrap();
    sb.release_reservation(&id, None).unwrap();
    clock.advance(2 * HOUR);
    while sb.last_seq().unwrap() + 1 < ahead {
        sb.receive(Receive::new("A", "WH1/A", 1)).unwrap();
    }
    assert_eq!(sb.closed_in_memory().unwrap(), 0, "{id} left memory");
    let err = sb.execute(reserve(None), Meta::new()).unwrap_err();
    assert_eq!(err.code(), "already_exists", "{err}");
    // One sequence on, the generated id is free.
    sb.receive(Receive::new("A", "WH1/A", 1)).unwrap();
    let receipt = sb.execute(reserve(None), Meta::new()).unwrap();
    assert_eq!(receipt.reservation_id, Some(format!("RS-{}", ahead + 1)));
    assert_sound(&sb);
}
