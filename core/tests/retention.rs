//! Closed records leave memory after the retention window and stay queryable: by id, in
//! lists and to commands; `verify` is sound; a reopen and a replay from the log alone
//! give the same state; and no answer differs from a book that keeps everything.

#[allow(dead_code, reason = "this binary uses part of the shared support")]
mod support;

use std::fmt::Write as _;
use std::sync::Arc;

use proptest::prelude::*;
use stockbook::orders::ReservationState;
use stockbook::orders::{CreateOrder, NewOrderLine, OrderState, ReservationFilter, Reserve};
use stockbook::planning::supply::{
    CreatePurchaseOrder, NewPurchaseOrderLine, PurchaseOrderFilter, PurchaseOrderState,
    ReceivePurchaseOrder,
};
use stockbook::{Item, ManualClock, Options, Qty, Receive, Stockbook};

const T0: i64 = 1_767_225_600_000;
const HOUR: i64 = 3_600_000;

fn options(clock: &Arc<ManualClock>, retention_ms: i64) -> Options {
    support::retention_options(clock, retention_ms, 64)
}

fn setup(sb: &Stockbook) {
    support::site_with_bin(sb);
    sb.define_item(Item::new("A")).unwrap();
    sb.receive(Receive::new("A", "WH1/A", 1000)).unwrap();
}

fn create_order(sb: &Stockbook, id: &str) -> stockbook::Result<stockbook::Written> {
    sb.create_order(
        CreateOrder::new(id, "WH1", vec![NewOrderLine::new("A", Qty::from_int(1))]).priority(100),
    )
}

fn create_po(sb: &Stockbook, id: &str, expected_at: i64) -> stockbook::Result<stockbook::Written> {
    sb.create_purchase_order(CreatePurchaseOrder::new(
        id,
        "SUP",
        "WH1",
        vec![NewPurchaseOrderLine::new("A", Qty::from_int(5))],
        expected_at,
    ))
}

fn reserve(sb: &Stockbook, id: &str) -> stockbook::Result<stockbook::Reserved> {
    let mut r = Reserve::new("A", "WH1", 1);
    r.reservation_id = Some(id.into());
    sb.reserve(r)
}

/// Every answer the closed records give: by id and in every list.
fn answers(sb: &Stockbook) -> String {
    let mut out = String::new();
    let orders = sb.orders(None).unwrap();
    writeln!(out, "{orders:?}").unwrap();
    writeln!(out, "{:?}", sb.orders(Some(OrderState::Cancelled)).unwrap()).unwrap();
    for o in &orders {
        writeln!(out, "{:?}", sb.order(&o.id).unwrap()).unwrap();
    }
    let reservations = sb.reservations(&ReservationFilter::default()).unwrap();
    writeln!(out, "{reservations:?}").unwrap();
    let released = ReservationFilter::new()
        .state(ReservationState::Released)
        .scope("WH1");
    writeln!(out, "{:?}", sb.reservations(&released).unwrap()).unwrap();
    for r in &reservations {
        writeln!(out, "{:?}", sb.reservation(&r.id).unwrap()).unwrap();
    }
    let pos = sb.purchase_orders(&PurchaseOrderFilter::default()).unwrap();
    writeln!(out, "{pos:?}").unwrap();
    let closed = PurchaseOrderFilter::new()
        .state(PurchaseOrderState::Received)
        .location("WH1");
    writeln!(out, "{:?}", sb.purchase_orders(&closed).unwrap()).unwrap();
    for po in &pos {
        writeln!(out, "{:?}", sb.purchase_order(&po.id).unwrap()).unwrap();
    }
    writeln!(out, "{:?}", sb.lead_time_stats("SUP", None).unwrap()).unwrap();
    writeln!(out, "{:?}", sb.available("A", "WH1").unwrap()).unwrap();
    out
}

fn assert_sound(sb: &Stockbook) {
    let report = sb.verify().unwrap();
    assert!(report.problems.is_empty(), "{:?}", report.problems);
}

#[test]
fn closed_records_leave_memory_after_the_window_and_stay_queryable() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("book.redb");
    let clock = ManualClock::new(T0);
    let sb = Stockbook::open_with(&path, options(&clock, HOUR)).unwrap();
    setup(&sb);
    for i in 0..20 {
        let id = format!("O-{i}");
        create_order(&sb, &id).unwrap();
        sb.confirm_order(&id).unwrap();
        if i % 2 == 0 {
            sb.cancel_order(&id, None).unwrap();
        }
        let r = format!("R-{i}");
        reserve(&sb, &r).unwrap();
        sb.release_reservation(&r, None).unwrap();
        let po = format!("P-{i}");
        create_po(&sb, &po, T0 + HOUR).unwrap();
        sb.receive_purchase_order(ReceivePurchaseOrder::new(&po, 1, 5))
            .unwrap();
    }
    // Within the window: everything closed is still in memory.
    assert_eq!(sb.closed_in_memory().unwrap(), 10 + 20 + 20);
    // The window passes: the next write takes them out of memory.
    clock.advance(2 * HOUR);
    sb.receive(Receive::new("A", "WH1/A", 1)).unwrap();
    assert_eq!(
        sb.closed_in_memory().unwrap(),
        0,
        "closed records left memory"
    );
    let now = answers(&sb);
    assert!(now.contains("O-0") && now.contains("R-19") && now.contains("P-7"));
    assert_eq!(
        sb.order("O-0").unwrap().state,
        OrderState::Cancelled,
        "by id, from the store"
    );
    assert_eq!(sb.orders(Some(OrderState::Cancelled)).unwrap().len(), 10);
    assert_eq!(sb.orders(Some(OrderState::Confirmed)).unwrap().len(), 10);
    assert_eq!(
        sb.reservation("R-3").unwrap().state,
        ReservationState::Released
    );
    assert_eq!(
        sb.purchase_order("P-3").unwrap().state,
        PurchaseOrderState::Received
    );
    assert_sound(&sb);
    // Commands answer as if they had stayed.
    assert_eq!(
        create_order(&sb, "O-0").unwrap_err().code(),
        "already_exists"
    );
    assert_eq!(reserve(&sb, "R-0").unwrap_err().code(), "already_exists");
    assert_eq!(
        create_po(&sb, "P-0", T0).unwrap_err().code(),
        "already_exists"
    );
    assert_eq!(
        sb.confirm_order("O-0").unwrap_err().code(),
        "invalid_transition"
    );
    assert_eq!(
        sb.release_reservation("R-0", None).unwrap_err().code(),
        "invalid_transition"
    );
    sb.cancel_order("O-0", None).unwrap();
    // A received purchase order can still be closed: it comes back into memory, and out of
    // the store, until the window passes again.
    sb.close_purchase_order("P-0").unwrap();
    assert_eq!(
        sb.purchase_order("P-0").unwrap().state,
        PurchaseOrderState::Closed
    );
    assert_eq!(sb.closed_in_memory().unwrap(), 1);
    assert_sound(&sb);
    let kept = answers(&sb);
    // Reopened: the same answers, a sound state.
    sb.close().unwrap();
    let sb = Stockbook::open_with(&path, options(&clock, HOUR)).unwrap();
    assert_eq!(answers(&sb), kept);
    assert_sound(&sb);
    clock.advance(2 * HOUR);
    sb.receive(Receive::new("A", "WH1/A", 1)).unwrap();
    assert_eq!(sb.closed_in_memory().unwrap(), 0);
    assert_eq!(
        sb.purchase_order("P-0").unwrap().state,
        PurchaseOrderState::Closed
    );
    assert_sound(&sb);
    // The file keeps the window it was created with: a reopen with another keeps it.
    sb.close().unwrap();
    let sb = Stockbook::open_with(&path, options(&clock, i64::MAX)).unwrap();
    assert_eq!(sb.closed_in_memory().unwrap(), 0);
    assert_sound(&sb);
}

#[test]
fn an_atomic_batch_refused_after_records_left_memory_brings_them_back() {
    let clock = ManualClock::new(T0);
    let sb = Stockbook::in_memory_with(options(&clock, HOUR)).unwrap();
    setup(&sb);
    create_order(&sb, "O-1").unwrap();
    sb.cancel_order("O-1", None).unwrap();
    clock.advance(2 * HOUR);
    // The batch's first event enters a new bucket (O-1 leaves), then the batch is refused.
    let err = sb
        .execute_batch(
            vec![
                stockbook::Command::Receive(Receive::new("A", "WH1/A", 1)),
                stockbook::Command::ConfirmOrder(stockbook::orders::OrderStep::new("NOPE")),
            ],
            stockbook::Meta::new(),
        )
        .unwrap_err();
    assert_eq!(err.code(), "batch_refused");
    assert_eq!(
        sb.closed_in_memory().unwrap(),
        1,
        "the refusal took nothing out"
    );
    assert_eq!(sb.order("O-1").unwrap().state, OrderState::Cancelled);
    assert_sound(&sb);
    // Back in the bucket of the last event written: a write there takes nothing out, and
    // the store keeps nothing the refused batch had taken out.
    clock.set(T0);
    sb.receive(Receive::new("A", "WH1/A", 1)).unwrap();
    assert_eq!(sb.closed_in_memory().unwrap(), 1);
    assert_eq!(sb.orders(None).unwrap().len(), 1);
    assert_sound(&sb);
    // Refused again in a later bucket: a write in that same bucket takes O-1 out.
    clock.advance(2 * HOUR);
    assert_eq!(refused(&sb), "batch_refused");
    assert_eq!(sb.closed_in_memory().unwrap(), 1);
    sb.receive(Receive::new("A", "WH1/A", 1)).unwrap();
    assert_eq!(sb.closed_in_memory().unwrap(), 0);
    assert_eq!(sb.order("O-1").unwrap().state, OrderState::Cancelled);
    assert_sound(&sb);
}

/// An atomic batch whose first command writes and whose second is refused.
fn refused(sb: &Stockbook) -> String {
    let err = sb
        .execute_batch(
            vec![
                stockbook::Command::Receive(Receive::new("A", "WH1/A", 1)),
                stockbook::Command::ConfirmOrder(stockbook::orders::OrderStep::new("NOPE")),
            ],
            stockbook::Meta::new(),
        )
        .unwrap_err();
    err.code().to_owned()
}

#[derive(Debug, Clone)]
enum Op {
    CreateOrder(u8),
    Confirm(u8),
    Cancel(u8),
    Reserve(u8),
    Release(u8),
    CreatePo(u8),
    ReceivePo(u8),
    ClosePo(u8),
    Advance(u32),
    Reopen,
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        (0u8..12).prop_map(Op::CreateOrder),
        (0u8..12).prop_map(Op::Confirm),
        (0u8..12).prop_map(Op::Cancel),
        (0u8..12).prop_map(Op::Reserve),
        (0u8..12).prop_map(Op::Release),
        (0u8..8).prop_map(Op::CreatePo),
        (0u8..8).prop_map(Op::ReceivePo),
        (0u8..8).prop_map(Op::ClosePo),
        (0u32..(3 * HOUR as u32)).prop_map(Op::Advance),
        Just(Op::Reopen),
    ]
}

fn run(sb: &Stockbook, op: &Op) -> String {
    fn code<T>(r: stockbook::Result<T>) -> String {
        match r {
            Ok(_) => "ok".to_owned(),
            Err(e) => e.code().to_owned(),
        }
    }
    match op {
        Op::CreateOrder(i) => code(create_order(sb, &format!("O-{i}"))),
        Op::Confirm(i) => code(sb.confirm_order(&format!("O-{i}"))),
        Op::Cancel(i) => code(sb.cancel_order(&format!("O-{i}"), None)),
        Op::Reserve(i) => code(reserve(sb, &format!("R-{i}"))),
        Op::Release(i) => code(sb.release_reservation(&format!("R-{i}"), None)),
        Op::CreatePo(i) => code(create_po(sb, &format!("P-{i}"), T0)),
        Op::ReceivePo(i) => {
            code(sb.receive_purchase_order(ReceivePurchaseOrder::new(format!("P-{i}"), 1, 5)))
        }
        Op::ClosePo(i) => code(sb.close_purchase_order(&format!("P-{i}"))),
        Op::Advance(_) | Op::Reopen => String::new(),
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    /// With records leaving memory, every command is answered and every question is answered
    /// as by a book that keeps everything; the maintained state is the log's replay (verify),
    /// through reopens (snapshots and their tails).
    #[test]
    fn retention_changes_no_answer_and_replay_equals_the_projection(
        ops in proptest::collection::vec(op(), 1..120)
    ) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("book.redb");
        let clock = ManualClock::new(T0);
        let mut sb = Stockbook::open_with(&path, options(&clock, HOUR)).unwrap();
        let all = Stockbook::in_memory_with(options(&clock, i64::MAX)).unwrap();
        setup(&sb);
        setup(&all);
        for op in &ops {
            match op {
                Op::Advance(ms) => clock.advance(i64::from(*ms)),
                Op::Reopen => {
                    sb.close().unwrap();
                    sb = Stockbook::open_with(&path, options(&clock, HOUR)).unwrap();
                }
                other => prop_assert_eq!(run(&sb, other), run(&all, other), "{:?}", other),
            }
        }
        // A write after the window: whatever is due leaves.
        clock.advance(2 * HOUR);
        sb.receive(Receive::new("A", "WH1/A", 1)).unwrap();
        all.receive(Receive::new("A", "WH1/A", 1)).unwrap();
        prop_assert_eq!(sb.closed_in_memory().unwrap(), 0);
        prop_assert_eq!(answers(&sb), answers(&all));
        let report = sb.verify().unwrap();
        prop_assert!(report.problems.is_empty(), "{:?}", report.problems);
        sb.close().unwrap();
        let sb = Stockbook::open_with(&path, options(&clock, HOUR)).unwrap();
        prop_assert_eq!(answers(&sb), answers(&all));
        let report = sb.verify().unwrap();
        prop_assert!(report.problems.is_empty(), "{:?}", report.problems);
    }
}
