//! Purchase orders: lifecycle, partial, over- and under-receipt, stock on order, supplier
//! lead-time statistics, refusals that leave no trace, and replay.

use std::sync::Arc;

use stockbook::orders::{CreateOrder, NewOrderLine, OrderState, Strategy};
use stockbook::planning::{
    CreatePurchaseOrder, NewPurchaseOrderLine, OverReceipt, PurchaseOrderFilter,
    PurchaseOrderState, ReceivePurchaseOrder,
};
use stockbook::{
    Command, Event, Item, Location, LocationKind, ManualClock, Meta, MovementKind, Options, Qty,
    Stockbook, Tracking,
};

const T0: i64 = 1_767_225_600_000; // 2026-01-01T00:00:00Z
const DAY: i64 = 86_400_000;

fn q(text: &str) -> Qty {
    Qty::parse(text).unwrap()
}

fn book() -> (Stockbook, Arc<ManualClock>) {
    let clock = ManualClock::new(T0);
    let sb = Stockbook::in_memory_with(Options::default().with_clock(clock.clone())).unwrap();
    setup(&sb);
    (sb, clock)
}

fn setup(sb: &Stockbook) {
    for site in ["WH1", "WH2"] {
        let mut loc = Location::new(site);
        loc.kind = LocationKind::Site;
        sb.define_location(loc).unwrap();
    }
    for (bin, parent) in [("WH1/A", "WH1"), ("WH1/B", "WH1"), ("WH2/A", "WH2")] {
        let mut loc = Location::new(bin);
        loc.parent = Some(parent.into());
        sb.define_location(loc).unwrap();
    }
    sb.define_item(Item::new("A")).unwrap();
    let mut kg = Item::new("K");
    kg.decimals = 2;
    kg.unit = "kg".into();
    sb.define_item(kg).unwrap();
    let mut lot = Item::new("L");
    lot.tracking = Tracking::Lot;
    sb.define_item(lot).unwrap();
}

fn line(sku: &str, qty: &str) -> NewPurchaseOrderLine {
    NewPurchaseOrderLine::new(sku, q(qty))
}

fn po(
    id: &str,
    supplier: &str,
    location: &str,
    lines: Vec<NewPurchaseOrderLine>,
) -> CreatePurchaseOrder {
    CreatePurchaseOrder::new(id, supplier, location, lines, T0 + 10 * DAY)
}

fn receive(
    sb: &Stockbook,
    id: &str,
    line: u32,
    qty: &str,
    bin: Option<&str>,
) -> stockbook::Result<stockbook::Written> {
    let mut r = ReceivePurchaseOrder::new(id, line, q(qty));
    r.location = bin.map(str::to_owned);
    sb.receive_purchase_order(r)
}

/// Asserts that `f` is refused with `code` and changes nothing.
#[track_caller]
fn refused<T: std::fmt::Debug>(
    sb: &Stockbook,
    code: &str,
    f: impl FnOnce() -> stockbook::Result<T>,
) {
    let seq = sb.last_seq().unwrap();
    let pos = sb.purchase_orders(&PurchaseOrderFilter::default()).unwrap();
    let balances = sb.balances(&stockbook::BalanceFilter::default()).unwrap();
    let err = f().unwrap_err();
    assert_eq!(err.code(), code, "{err}");
    assert_eq!(sb.last_seq().unwrap(), seq, "a refusal wrote events");
    assert_eq!(
        sb.purchase_orders(&PurchaseOrderFilter::default()).unwrap(),
        pos
    );
    assert_eq!(
        sb.balances(&stockbook::BalanceFilter::default()).unwrap(),
        balances
    );
}

#[test]
fn lifecycle_partial_receipts_and_on_order() {
    let (sb, clock) = book();
    let mut order = po(
        "PO-1",
        "ACME",
        "WH1",
        vec![line("A", "100"), line("K", "12.5")],
    );
    order.lines[0].unit_cost = Some(q("2.40"));
    order.lines[0].currency = Some("EUR".into());
    sb.create_purchase_order(order).unwrap();
    let rec = sb.purchase_order("PO-1").unwrap();
    assert_eq!(rec.state, PurchaseOrderState::Open);
    assert_eq!(rec.ordered_at, T0);
    assert_eq!(rec.lines[1].ordered.to_string(), "12.50");
    assert_eq!(rec.lines[1].received.to_string(), "0.00");
    // On order where it is delivered and above, not in a bin below nor another site.
    assert_eq!(sb.on_order("A", "WH1").unwrap(), q("100"));
    assert_eq!(sb.on_order("K", "WH1").unwrap().to_string(), "12.50");
    assert_eq!(sb.on_order("A", "WH1/A").unwrap(), q("0"));
    assert_eq!(sb.on_order("A", "WH2").unwrap(), q("0"));

    clock.advance(5 * DAY);
    let receipt = receive(&sb, "PO-1", 1, "40", Some("WH1/A")).unwrap();
    // The same movement a plain receive writes, then the order's new record.
    let events = sb.events(receipt.first_seq, 10).unwrap();
    assert_eq!(events.len(), 2);
    match &events[0].event {
        Event::Moved(m) => {
            assert_eq!(m.kind, MovementKind::Receive);
            assert_eq!((m.from.as_str(), m.to.as_str()), ("@supplier", "WH1/A"));
            assert_eq!(m.qty, q("40"));
            assert_eq!(m.unit_cost, Some(q("2.40")));
            assert_eq!(m.currency.as_deref(), Some("EUR"));
        }
        other => panic!("expected a movement, got {other:?}"),
    }
    assert_eq!(events[1].event.name(), "purchase_order_changed");
    assert_eq!(sb.on_hand("A", "WH1").unwrap(), q("40"));
    let rec = sb.purchase_order("PO-1").unwrap();
    assert_eq!(rec.state, PurchaseOrderState::PartiallyReceived);
    assert_eq!(rec.lines[0].received, q("40"));
    assert_eq!(rec.receipts.len(), 1);
    assert_eq!(rec.receipts[0].received_at, T0 + 5 * DAY);
    assert_eq!(rec.receipts[0].location, "WH1/A");
    assert_eq!(sb.on_order("A", "WH1").unwrap(), q("60"));

    clock.advance(2 * DAY);
    receive(&sb, "PO-1", 1, "60", Some("WH1/B")).unwrap();
    assert_eq!(sb.on_order("A", "WH1").unwrap(), q("0"));
    assert_eq!(
        sb.purchase_order("PO-1").unwrap().state,
        PurchaseOrderState::PartiallyReceived
    );
    // Default location: the order's own (a site can hold stock).
    receive(&sb, "PO-1", 2, "12.5", None).unwrap();
    assert_eq!(sb.on_hand("K", "WH1").unwrap().to_string(), "12.50");
    let rec = sb.purchase_order("PO-1").unwrap();
    assert_eq!(rec.state, PurchaseOrderState::Received);
    assert_eq!(sb.on_order("K", "WH1").unwrap().to_string(), "0.00");

    sb.close_purchase_order("PO-1").unwrap();
    let rec = sb.purchase_order("PO-1").unwrap();
    assert_eq!(rec.state, PurchaseOrderState::Closed);
    assert_eq!(rec.closed_at, Some(T0 + 7 * DAY));
    // Closing again is a no-op; receiving into a closed order is a transition error.
    let seq = sb.last_seq().unwrap();
    sb.close_purchase_order("PO-1").unwrap();
    assert_eq!(sb.last_seq().unwrap(), seq);
    refused(&sb, "invalid_transition", || {
        receive(&sb, "PO-1", 1, "1", None)
    });
    assert!(sb.verify().unwrap().is_sound());
}

#[test]
fn over_receipt_is_refused_or_allowed_up_to_the_tolerance() {
    let (sb, _) = book();
    sb.create_purchase_order(po("PO-R", "ACME", "WH1", vec![line("A", "10")]))
        .unwrap();
    refused(&sb, "invalid_quantity", || {
        receive(&sb, "PO-R", 1, "11", Some("WH1/A"))
    });
    receive(&sb, "PO-R", 1, "10", Some("WH1/A")).unwrap();
    refused(&sb, "invalid_quantity", || {
        receive(&sb, "PO-R", 1, "1", Some("WH1/A"))
    });

    let mut allow = po(
        "PO-T",
        "ACME",
        "WH1",
        vec![line("A", "50"), line("K", "200")],
    );
    allow.over_receipt = OverReceipt::Allow {
        tolerance_pct: q("10"),
    };
    sb.create_purchase_order(allow).unwrap();
    receive(&sb, "PO-T", 1, "50", Some("WH1/A")).unwrap();
    // 50 × 1.10 = 55: 6 more would make 56.
    refused(&sb, "invalid_quantity", || {
        receive(&sb, "PO-T", 1, "6", Some("WH1/A"))
    });
    receive(&sb, "PO-T", 1, "5", Some("WH1/A")).unwrap();
    assert_eq!(
        sb.purchase_order("PO-T").unwrap().lines[0].received,
        q("55")
    );

    let mut fine = po("PO-D", "ACME", "WH1", vec![line("K", "200")]);
    fine.over_receipt = OverReceipt::Allow {
        tolerance_pct: q("2.5"),
    };
    sb.create_purchase_order(fine).unwrap();
    // 200 × 1.025 = 205 exactly: 205.01 is over, 205.00 is in.
    refused(&sb, "invalid_quantity", || {
        receive(&sb, "PO-D", 1, "205.01", Some("WH1/A"))
    });
    receive(&sb, "PO-D", 1, "205", Some("WH1/A")).unwrap();
    let rec = sb.purchase_order("PO-D").unwrap();
    assert_eq!(rec.state, PurchaseOrderState::Received);
    assert_eq!(rec.lines[0].received.to_string(), "205.00");
    assert!(sb.verify().unwrap().is_sound());
}

#[test]
fn under_receipt_tolerance_completes_a_short_line() {
    let (sb, _) = book();
    let mut short = po(
        "PO-U",
        "ACME",
        "WH1",
        vec![line("A", "100"), line("A", "100")],
    );
    short.under_tolerance_pct = q("5");
    sb.create_purchase_order(short).unwrap();
    assert_eq!(sb.on_order("A", "WH1").unwrap(), q("200"));
    // 95 is within 5 % of 100: complete, nothing more on order for the line.
    receive(&sb, "PO-U", 1, "95", Some("WH1/A")).unwrap();
    assert_eq!(sb.on_order("A", "WH1").unwrap(), q("100"));
    // 94 is not: 6 still on order.
    receive(&sb, "PO-U", 2, "94", Some("WH1/A")).unwrap();
    assert_eq!(sb.on_order("A", "WH1").unwrap(), q("6"));
    assert_eq!(
        sb.purchase_order("PO-U").unwrap().state,
        PurchaseOrderState::PartiallyReceived
    );
    receive(&sb, "PO-U", 2, "1", Some("WH1/A")).unwrap();
    assert_eq!(
        sb.purchase_order("PO-U").unwrap().state,
        PurchaseOrderState::Received
    );
    assert_eq!(sb.on_order("A", "WH1").unwrap(), q("0"));
}

#[test]
fn close_short_and_cancel() {
    let (sb, _) = book();
    sb.create_purchase_order(po("PO-S", "ACME", "WH1", vec![line("A", "100")]))
        .unwrap();
    receive(&sb, "PO-S", 1, "30", Some("WH1/A")).unwrap();
    refused(&sb, "invalid_transition", || {
        sb.cancel_purchase_order("PO-S")
    });
    sb.close_purchase_order("PO-S").unwrap();
    assert_eq!(sb.on_order("A", "WH1").unwrap(), q("0"));
    refused(&sb, "invalid_transition", || {
        sb.cancel_purchase_order("PO-S")
    });

    sb.create_purchase_order(po("PO-C", "ACME", "WH2", vec![line("A", "7")]))
        .unwrap();
    assert_eq!(sb.on_order("A", "WH2").unwrap(), q("7"));
    sb.cancel_purchase_order("PO-C").unwrap();
    assert_eq!(sb.on_order("A", "WH2").unwrap(), q("0"));
    assert_eq!(
        sb.purchase_order("PO-C").unwrap().state,
        PurchaseOrderState::Cancelled
    );
    refused(&sb, "invalid_transition", || {
        sb.close_purchase_order("PO-C")
    });
    refused(&sb, "invalid_transition", || {
        receive(&sb, "PO-C", 1, "1", None)
    });
    let open = sb
        .purchase_orders(&PurchaseOrderFilter::new().state(PurchaseOrderState::Closed))
        .unwrap();
    assert_eq!(open.len(), 1);
    assert_eq!(open[0].id, "PO-S");
    let at_wh2 = sb
        .purchase_orders(&PurchaseOrderFilter::new().location("WH2"))
        .unwrap();
    assert_eq!(at_wh2.len(), 1);
    assert_eq!(at_wh2[0].id, "PO-C");
}

#[test]
fn lead_time_statistics_match_a_hand_computation() {
    let (sb, clock) = book();
    sb.create_purchase_order(po(
        "PO-1",
        "ACME",
        "WH1",
        vec![line("A", "100"), line("K", "10")],
    ))
    .unwrap();
    let mut second = po("PO-2", "ACME", "WH1", vec![line("A", "50")]);
    second.ordered_at = Some(T0 - 4 * DAY);
    sb.create_purchase_order(second).unwrap();
    sb.create_purchase_order(po("PO-3", "OTHER", "WH1", vec![line("A", "5")]))
        .unwrap();
    clock.set(T0 + 5 * DAY);
    receive(&sb, "PO-1", 1, "40", None).unwrap(); // ACME, A: 5 days
    clock.set(T0 + 7 * DAY);
    receive(&sb, "PO-1", 1, "60", None).unwrap(); // ACME, A: 7 days
    receive(&sb, "PO-1", 2, "10", None).unwrap(); // ACME, K: 7 days
    clock.set(T0 + 8 * DAY);
    receive(&sb, "PO-2", 1, "50", None).unwrap(); // ACME, A: 12 days (ordered 4 days early)
    clock.set(T0 + 3 * DAY + DAY / 2);
    receive(&sb, "PO-3", 1, "5", None).unwrap(); // OTHER, A: 3.5 days

    // ACME, all items: 5, 7, 7, 12 → mean 7.75; squared deviations 7.5625 + 0.5625 +
    // 0.5625 + 18.0625 = 26.75, sample variance 26.75 / 3.
    let all = sb.lead_time_stats("ACME", None).unwrap();
    assert_eq!(all.count, 4);
    assert!((all.mean_days.unwrap() - 7.75).abs() < 1e-12);
    assert!((all.std_dev_days.unwrap() - (26.75_f64 / 3.0).sqrt()).abs() < 1e-12);
    assert_eq!(all.min_days, Some(5.0));
    assert_eq!(all.max_days, Some(12.0));
    // ACME, item A: 5, 7, 12 → mean 8; deviations −3, −1, 4 → variance 26 / 2 = 13.
    let a = sb.lead_time_stats("ACME", Some("A")).unwrap();
    assert_eq!((a.count, a.sku.as_deref()), (3, Some("A")));
    assert!((a.mean_days.unwrap() - 8.0).abs() < 1e-12);
    assert!((a.std_dev_days.unwrap() - 13_f64.sqrt()).abs() < 1e-12);
    // One observation: no spread.
    let other = sb.lead_time_stats("OTHER", None).unwrap();
    assert_eq!(other.count, 1);
    assert_eq!(other.mean_days, Some(3.5));
    assert_eq!(other.std_dev_days, Some(0.0));
    // None at all.
    let none = sb.lead_time_stats("NOBODY", None).unwrap();
    assert_eq!(none.count, 0);
    assert_eq!((none.mean_days, none.std_dev_days), (None, None));
    assert_eq!(
        sb.lead_time_stats("", None).unwrap_err().code(),
        "invalid_code"
    );
}

#[test]
fn refusals_name_the_problem_and_change_nothing() {
    let (sb, _) = book();
    sb.create_purchase_order(po(
        "PO-1",
        "ACME",
        "WH1",
        vec![line("A", "10"), line("L", "5")],
    ))
    .unwrap();
    refused(&sb, "already_exists", || {
        sb.create_purchase_order(po("PO-1", "ACME", "WH1", vec![line("A", "1")]))
    });
    refused(&sb, "not_found", || {
        sb.create_purchase_order(po("PO-2", "ACME", "WH1", vec![line("NOPE", "1")]))
    });
    refused(&sb, "not_found", || {
        sb.create_purchase_order(po("PO-2", "ACME", "WH9", vec![line("A", "1")]))
    });
    refused(&sb, "invalid_argument", || {
        sb.create_purchase_order(po("PO-2", "ACME", "@customer", vec![line("A", "1")]))
    });
    refused(&sb, "invalid_argument", || {
        sb.create_purchase_order(po("PO-2", "ACME", "WH1", vec![]))
    });
    refused(&sb, "invalid_quantity", || {
        sb.create_purchase_order(po("PO-2", "ACME", "WH1", vec![line("A", "0")]))
    });
    refused(&sb, "invalid_quantity", || {
        sb.create_purchase_order(po("PO-2", "ACME", "WH1", vec![line("A", "1.5")]))
    });
    refused(&sb, "invalid_code", || {
        sb.create_purchase_order(po("PO-2", " ACME", "WH1", vec![line("A", "1")]))
    });
    let mut early = po("PO-2", "ACME", "WH1", vec![line("A", "1")]);
    early.expected_at = T0 - DAY;
    refused(&sb, "invalid_argument", || sb.create_purchase_order(early));
    let mut later = po("PO-2", "ACME", "WH1", vec![line("A", "1")]);
    later.ordered_at = Some(T0 + 1);
    refused(&sb, "invalid_argument", || sb.create_purchase_order(later));
    let mut wild = po("PO-2", "ACME", "WH1", vec![line("A", "1")]);
    wild.over_receipt = OverReceipt::Allow {
        tolerance_pct: q("1000.5"),
    };
    refused(&sb, "invalid_argument", || sb.create_purchase_order(wild));
    let mut under = po("PO-2", "ACME", "WH1", vec![line("A", "1")]);
    under.under_tolerance_pct = q("-1");
    refused(&sb, "invalid_argument", || sb.create_purchase_order(under));
    let mut costly = po("PO-2", "ACME", "WH1", vec![line("A", "1")]);
    costly.lines[0].currency = Some("EUR".into());
    refused(&sb, "invalid_argument", || sb.create_purchase_order(costly));

    // Receipts.
    refused(&sb, "not_found", || receive(&sb, "PO-9", 1, "1", None));
    refused(&sb, "not_found", || receive(&sb, "PO-1", 3, "1", None));
    refused(&sb, "invalid_argument", || {
        receive(&sb, "PO-1", 1, "1", Some("WH2/A"))
    });
    refused(&sb, "invalid_quantity", || {
        receive(&sb, "PO-1", 1, "-1", None)
    });
    // The ledger's own rules still apply: a lot-tracked item needs a lot.
    refused(&sb, "tracking", || receive(&sb, "PO-1", 2, "5", None));
    let mut with_lot = ReceivePurchaseOrder::new("PO-1", 2, q("5"));
    with_lot.lot = Some("LOT-1".into());
    sb.receive_purchase_order(with_lot).unwrap();
    assert_eq!(sb.on_hand_lot("L", "WH1", Some("LOT-1")).unwrap(), q("5"));

    // An atomic batch refused half-way leaves the order as it was.
    let before = sb.purchase_order("PO-1").unwrap();
    let seq = sb.last_seq().unwrap();
    let err = sb
        .execute_batch(
            vec![
                Command::ReceivePurchaseOrder(ReceivePurchaseOrder::new("PO-1", 1, q("6"))),
                Command::ReceivePurchaseOrder(ReceivePurchaseOrder::new("PO-1", 1, q("6"))),
            ],
            Meta::default(),
        )
        .unwrap_err();
    assert_eq!(err.code(), "batch_refused");
    assert_eq!(sb.last_seq().unwrap(), seq);
    assert_eq!(sb.purchase_order("PO-1").unwrap(), before);
    assert_eq!(sb.on_hand("A", "WH1").unwrap(), q("0"));
    assert!(sb.verify().unwrap().is_sound());
}

#[test]
fn receipts_come_from_a_supplier_location_and_fill_backorders() {
    let (sb, _) = book();
    let mut supplier = Location::new("ACME");
    supplier.kind = LocationKind::Supplier;
    sb.define_location(supplier).unwrap();
    sb.create_order(
        CreateOrder::new("O1", "WH1", vec![NewOrderLine::new("A", q("8"))]).priority(1),
    )
    .unwrap();
    sb.confirm_order("O1").unwrap();
    sb.allocate_order("O1", Strategy::Fifo).unwrap();
    assert_eq!(sb.order("O1").unwrap().lines[0].backordered, q("8"));
    sb.create_purchase_order(po("PO-1", "ACME", "WH1", vec![line("A", "20")]))
        .unwrap();
    let receipt = receive(&sb, "PO-1", 1, "20", Some("WH1/A")).unwrap();
    match &sb.events(receipt.first_seq, 1).unwrap()[0].event {
        Event::Moved(m) => assert_eq!(m.from, "ACME"),
        other => panic!("expected a movement, got {other:?}"),
    }
    assert_eq!(sb.on_hand("A", "@supplier").unwrap(), q("0"));
    // Arriving stock fills the backorder in the same commit, as a plain receive does.
    let o = sb.order("O1").unwrap();
    assert_eq!(o.lines[0].backordered, q("0"));
    assert_eq!(o.lines[0].allocated, q("8"));
    assert_eq!(o.state, OrderState::Allocated);
    assert!(sb.verify().unwrap().is_sound());
}

#[test]
fn purchase_orders_survive_reopening_from_the_log_and_from_a_snapshot() {
    for snapshot_every_events in [1_000_000, 3] {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("book.redb");
        let clock = ManualClock::new(T0);
        let options = || {
            let mut o = Options::default().with_clock(clock.clone());
            o.snapshot_every_events = snapshot_every_events;
            o
        };
        let sb = Stockbook::open_with(&path, options()).unwrap();
        setup(&sb);
        sb.create_purchase_order(po("PO-1", "ACME", "WH1", vec![line("A", "10")]))
            .unwrap();
        clock.advance(DAY);
        receive(&sb, "PO-1", 1, "4", Some("WH1/A")).unwrap();
        sb.create_purchase_order(po("PO-2", "ACME", "WH2", vec![line("K", "3")]))
            .unwrap();
        sb.cancel_purchase_order("PO-2").unwrap();
        let before = sb.purchase_orders(&PurchaseOrderFilter::default()).unwrap();
        sb.close().unwrap();
        let sb = Stockbook::open_with(&path, options()).unwrap();
        assert_eq!(
            sb.purchase_orders(&PurchaseOrderFilter::default()).unwrap(),
            before
        );
        assert_eq!(sb.on_order("A", "WH1").unwrap(), q("6"));
        assert_eq!(sb.lead_time_stats("ACME", None).unwrap().count, 1);
        assert!(sb.verify().unwrap().is_sound());
        sb.close().unwrap();
    }
}

#[test]
fn commands_travel_as_json() {
    let cmd: Command = serde_json::from_value(serde_json::json!({
        "op": "create_purchase_order",
        "args": {
            "po_id": "PO-J", "supplier": "ACME", "location": "WH1",
            "expected_at": T0 + DAY,
            "lines": [{"sku": "A", "qty": "3"}],
            "over_receipt": {"allow": {"tolerance_pct": "5"}}
        }
    }))
    .unwrap();
    assert_eq!(cmd.name(), "create_purchase_order");
    let (sb, _) = book();
    sb.execute(cmd, Meta::default()).unwrap();
    let rec = sb.purchase_order("PO-J").unwrap();
    assert_eq!(
        rec.over_receipt,
        OverReceipt::Allow {
            tolerance_pct: q("5")
        }
    );
    let json = serde_json::to_value(&rec).unwrap();
    assert_eq!(json["state"], "open");
    assert_eq!(json["over_receipt"]["allow"]["tolerance_pct"], "5");
    assert_eq!(json["lines"][0]["ordered"], "3");
}
