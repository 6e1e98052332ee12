//! Reservations, allocation and the order lifecycle.

use std::sync::Arc;
use std::sync::atomic::{AtomicI64, AtomicUsize, Ordering};

use stockbook::orders::{
    AllocateOrders, CommitReservation, CreateOrder, NewOrderLine, OrderState, Package,
    PackageContent, PickOrder, ReservationFilter, ReservationState, Reserve, ShortagePolicy,
    Strategy,
};
use stockbook::{
    AsOf, Coordinates, Issue, Item, Location, LocationKind, ManualClock, Meta, Options, Qty,
    Receive, Stockbook, Tracking,
};

const T0: i64 = 1_767_225_600_000;
const SKUS: usize = 10;
const STOCK: i64 = 100;
const DAY: i64 = 86_400_000;

fn book() -> (Stockbook, Arc<ManualClock>) {
    let clock = ManualClock::new(T0);
    let sb = Stockbook::in_memory_with(Options::default().with_clock(clock.clone())).unwrap();
    let mut site = Location::new("WH1");
    site.kind = LocationKind::Site;
    sb.define_location(site).unwrap();
    for (i, bin) in ["WH1/A", "WH1/B", "WH1/C", "WH1/OUT"].iter().enumerate() {
        let mut loc = Location::new(*bin);
        loc.parent = Some("WH1".into());
        loc.coordinates = Some(Coordinates::new(i as i32 * 10, 0));
        sb.define_location(loc).unwrap();
    }
    sb.define_item(Item::new("A")).unwrap();
    let mut lot_item = Item::new("MILK");
    lot_item.tracking = Tracking::Lot;
    sb.define_item(lot_item).unwrap();
    (sb, clock)
}

fn q(n: i64) -> Qty {
    Qty::from_int(n)
}

fn receive_lot(sb: &Stockbook, bin: &str, lot: &str, qty: i64, expiry: Option<i64>) {
    let mut r = Receive::new("MILK", bin, qty);
    r.lot = Some(lot.into());
    r.expiry = expiry;
    sb.receive(r).unwrap();
}

#[test]
fn reservations_hold_stock_and_never_exceed_on_hand() {
    let (sb, _) = book();
    sb.receive(Receive::new("A", "WH1/A", 10)).unwrap();
    let r1 = sb
        .reserve(Reserve::new("A", "WH1", 6))
        .unwrap()
        .reservation_id;
    assert_eq!(sb.available("A", "WH1").unwrap(), q(4));
    assert_eq!(sb.reserved("A", "WH1").unwrap(), q(6));
    let err = sb.reserve(Reserve::new("A", "WH1", 5)).unwrap_err();
    assert_eq!(err.code(), "insufficient_stock");
    // A plain issue cannot take reserved stock either.
    let err = sb.issue(Issue::new("A", "WH1/A", 5)).unwrap_err();
    assert_eq!(err.code(), "insufficient_stock");
    sb.issue(Issue::new("A", "WH1/A", 4)).unwrap();
    // Commit part: the rest is released.
    let receipt = sb
        .commit_reservation(
            CommitReservation::new(r1.clone())
                .qty(q(2))
                .location("WH1/A"),
        )
        .unwrap();
    assert!(receipt.last_seq > receipt.first_seq);
    let r = sb.reservation(&r1).unwrap();
    assert_eq!(r.state, ReservationState::Committed);
    assert_eq!((r.committed, r.qty), (q(2), q(0)));
    assert_eq!(sb.on_hand("A", "WH1").unwrap(), q(4));
    assert_eq!(sb.available("A", "WH1").unwrap(), q(4));
    let err = sb.release_reservation(&r1, None).unwrap_err();
    assert_eq!(err.code(), "invalid_transition");
    assert!(sb.verify().unwrap().is_sound());
}

#[test]
fn expired_reservations_stop_counting_at_their_expiry_and_cannot_commit() {
    let (sb, clock) = book();
    sb.receive(Receive::new("A", "WH1/A", 10)).unwrap();
    let mut r = Reserve::new("A", "WH1/A", 8);
    r.ttl_ms = Some(60_000);
    let id = sb.reserve(r).unwrap().reservation_id;
    let at_reserve = sb.last_seq().unwrap();
    assert_eq!(sb.available("A", "WH1").unwrap(), q(2));
    clock.advance(60_000);
    // Past its TTL it no longer counts, before any write records it.
    assert_eq!(sb.available("A", "WH1").unwrap(), q(10));
    assert_eq!(
        sb.reservations(&ReservationFilter::default()).unwrap()[0].state,
        ReservationState::Expired
    );
    let err = sb
        .commit_reservation(CommitReservation::new(id.clone()))
        .unwrap_err();
    assert_eq!(err.code(), "invalid_transition");
    assert_eq!(
        sb.reservation(&id).unwrap().state,
        ReservationState::Expired
    );
    // Point in time: reserved until its expiry time, not until it was recorded.
    assert_eq!(
        sb.reserved_at("A", "WH1", AsOf::Time(T0 + 59_999)).unwrap(),
        q(8)
    );
    assert_eq!(
        sb.reserved_at("A", "WH1", AsOf::Time(T0 + 60_000)).unwrap(),
        q(0)
    );
    assert_eq!(
        sb.available_at("A", "WH1", AsOf::Seq(at_reserve)).unwrap(),
        q(2)
    );
    assert!(sb.verify().unwrap().is_sound());
}

#[test]
fn hard_reservations_pin_bin_and_lot() {
    let (sb, _) = book();
    receive_lot(&sb, "WH1/A", "L1", 5, None);
    let mut r = Reserve::new("MILK", "WH1", 2);
    r.hard = true;
    assert_eq!(
        sb.reserve(r.clone()).unwrap_err().code(),
        "invalid_argument"
    );
    r.scope = "WH1/A".into();
    assert_eq!(sb.reserve(r.clone()).unwrap_err().code(), "tracking");
    r.lot = Some("L1".into());
    sb.reserve(r.clone()).unwrap();
    r.qty = q(4);
    assert_eq!(sb.reserve(r).unwrap_err().code(), "insufficient_stock");
}

#[test]
fn allocation_strategies_pick_the_expected_bins() {
    let (sb, clock) = book();
    // Lots received in order L1 (A), L2 (B), L3 (C); expiries run the other way.
    receive_lot(&sb, "WH1/A", "L1", 5, Some(T0 + 30 * DAY));
    clock.advance(DAY);
    receive_lot(&sb, "WH1/B", "L2", 5, Some(T0 + 20 * DAY));
    clock.advance(DAY);
    receive_lot(&sb, "WH1/C", "L3", 8, Some(T0 + 10 * DAY));
    let plan = |strategy: Strategy, qty: i64| {
        sb.plan_allocation("MILK", q(qty), "WH1", &strategy)
            .unwrap()
            .lines
            .into_iter()
            .map(|l| (l.location, l.qty.units()))
            .collect::<Vec<_>>()
    };
    let v = |pairs: &[(&str, i64)]| {
        pairs
            .iter()
            .map(|(l, n)| ((*l).to_owned(), *n))
            .collect::<Vec<_>>()
    };
    assert_eq!(plan(Strategy::Fifo, 7), v(&[("WH1/A", 5), ("WH1/B", 2)]));
    assert_eq!(plan(Strategy::Lifo, 10), v(&[("WH1/C", 8), ("WH1/B", 2)]));
    assert_eq!(
        plan(
            Strategy::Fefo {
                min_remaining_days: 0
            },
            9
        ),
        v(&[("WH1/C", 8), ("WH1/B", 1)])
    );
    // L3 has 8 days left: with a 9-day minimum it is skipped.
    assert_eq!(
        plan(
            Strategy::Fefo {
                min_remaining_days: 9
            },
            6
        ),
        v(&[("WH1/B", 5), ("WH1/A", 1)])
    );
    // One bin holds 5: the smallest bin that covers it all (A, tie with B broken by code).
    assert_eq!(plan(Strategy::FewestLocations, 5), v(&[("WH1/A", 5)]));
    assert_eq!(plan(Strategy::FewestLocations, 7), v(&[("WH1/C", 7)]));
    assert_eq!(
        plan(Strategy::FewestLocations, 10),
        v(&[("WH1/C", 8), ("WH1/A", 2)])
    );
    assert_eq!(
        plan(
            Strategy::Nearest {
                location: "WH1/OUT".into()
            },
            9
        ),
        v(&[("WH1/C", 8), ("WH1/B", 1)])
    );
    assert_eq!(
        plan(
            Strategy::Ordered {
                locations: vec!["WH1/B".into(), "WH1/A".into()]
            },
            12
        ),
        v(&[("WH1/B", 5), ("WH1/A", 5)])
    );
    let p = sb
        .plan_allocation("MILK", q(30), "WH1", &Strategy::Fifo)
        .unwrap();
    assert_eq!(p.short, q(12));
    // Expired lots are never allocated.
    clock.set(T0 + 25 * DAY);
    assert_eq!(plan(Strategy::Fifo, 30), v(&[("WH1/A", 5)]));
}

fn order(sb: &Stockbook, id: &str, qty: i64, priority: u32, due: Option<i64>) {
    sb.create_order({
        let mut v = CreateOrder::new(id, "WH1", vec![NewOrderLine::new("A", q(qty))])
            .priority(priority)
            .staging("WH1/OUT");
        v.due_at = due;
        v
    })
    .unwrap();
    sb.confirm_order(id).unwrap();
}

#[test]
fn shortage_by_priority_then_due_date() {
    let (sb, _) = book();
    sb.receive(Receive::new("A", "WH1/A", 10)).unwrap();
    order(&sb, "O1", 6, 5, Some(T0 + 3 * DAY));
    order(&sb, "O2", 6, 1, None);
    order(&sb, "O3", 6, 5, Some(T0 + DAY));
    sb.allocate_orders(
        AllocateOrders::new()
            .policy(ShortagePolicy::PriorityDueDate)
            .strategy(Strategy::Fifo),
    )
    .unwrap();
    let alloc = |id: &str| {
        let o = sb.order(id).unwrap();
        (o.lines[0].allocated.units(), o.lines[0].backordered.units())
    };
    assert_eq!(alloc("O2"), (6, 0));
    assert_eq!(alloc("O3"), (4, 2));
    assert_eq!(alloc("O1"), (0, 6));
    let backorders = sb.backorders(None).unwrap();
    assert_eq!(
        backorders
            .iter()
            .map(|b| (b.order.as_str(), b.qty.units()))
            .collect::<Vec<_>>(),
        vec![("O3", 2), ("O1", 6)]
    );
    // Stock arrives: backorders fill in policy order, in the receipt's own commit.
    sb.receive(Receive::new("A", "WH1/B", 5)).unwrap();
    assert_eq!(alloc("O3"), (6, 0));
    assert_eq!(alloc("O1"), (3, 3));
    assert_eq!(sb.available("A", "WH1").unwrap(), q(0));
    assert!(sb.verify().unwrap().is_sound());
}

#[test]
fn fair_share_splits_exactly_with_a_deterministic_remainder() {
    let (sb, _) = book();
    sb.receive(Receive::new("A", "WH1/A", 10)).unwrap();
    order(&sb, "O1", 5, 1, None);
    order(&sb, "O2", 5, 1, None);
    order(&sb, "O3", 5, 1, None);
    sb.allocate_orders(
        AllocateOrders::new()
            .order_ids(["O3", "O1", "O2"])
            .policy(ShortagePolicy::FairShare)
            .strategy(Strategy::Fifo),
    )
    .unwrap();
    let got: Vec<i64> = ["O1", "O2", "O3"]
        .iter()
        .map(|id| sb.order(id).unwrap().lines[0].allocated.units())
        .collect();
    // 10 × 5/15 = 3.33 each; the one remainder unit goes to the oldest order.
    assert_eq!(got, vec![4, 3, 3]);
    assert_eq!(got.iter().sum::<i64>(), 10);
}

#[test]
fn order_lifecycle_ships_and_cancel_compensates() {
    let (sb, _) = book();
    sb.receive(Receive::new("A", "WH1/A", 4)).unwrap();
    sb.receive(Receive::new("A", "WH1/B", 4)).unwrap();
    order(&sb, "O1", 6, 1, None);
    let err = sb.pack_order(stockbook::orders::PackOrder::new("O1", vec![]));
    let err = err.unwrap_err();
    assert_eq!(err.code(), "invalid_transition");
    assert!(err.to_string().contains("O1") && err.to_string().contains("confirmed"));
    sb.allocate_order("O1", Strategy::Fifo).unwrap();
    let o = sb.order("O1").unwrap();
    assert_eq!(o.state, OrderState::Allocated);
    assert_eq!(o.lines[0].allocated, q(6));
    let pick = |bin: &str, n: i64, short: bool| {
        sb.pick_order(PickOrder::new("O1", 1, bin, q(n)).short(short))
    };
    pick("WH1/A", 4, false).unwrap();
    // B has 2 allocated to this line; only 1 is found there: a short pick.
    pick("WH1/B", 1, true).unwrap();
    let o = sb.order("O1").unwrap();
    // The missing unit is re-allocated from B's neighbours: none is free, so backordered.
    assert_eq!(
        (o.lines[0].picked.units(), o.lines[0].backordered.units()),
        (5, 1)
    );
    assert_eq!(sb.on_hand("A", "WH1/OUT").unwrap(), q(5));
    sb.pack_order(stockbook::orders::PackOrder::new(
        "O1",
        vec![Package::new("P1", vec![PackageContent::new(1, q(5))])],
    ))
    .unwrap();
    sb.ship_order("O1").unwrap();
    let o = sb.order("O1").unwrap();
    assert_eq!(o.state, OrderState::Backordered);
    assert_eq!(o.lines[0].shipped, q(5));
    assert_eq!(sb.on_hand("A", "WH1").unwrap(), q(3));
    // Shipping again is a no-op only once shipped; from backordered it is a transition error.
    assert_eq!(
        sb.ship_order("O1").unwrap_err().code(),
        "invalid_transition"
    );

    // Cancel after picking: reservations released, picked stock back in its bin.
    order(&sb, "O2", 2, 1, None);
    sb.allocate_order("O2", Strategy::Fifo).unwrap();
    sb.pick_order(PickOrder::new("O2", 1, "WH1/B", q(2)))
        .unwrap();
    assert_eq!(sb.on_hand("A", "WH1/OUT").unwrap(), q(2));
    sb.cancel_order("O2", None).unwrap();
    assert_eq!(sb.on_hand("A", "WH1/OUT").unwrap(), q(0));
    assert_eq!(sb.on_hand("A", "WH1/B").unwrap(), q(3));
    assert_eq!(sb.reserved("A", "WH1").unwrap(), q(0));
    assert_eq!(sb.order("O2").unwrap().state, OrderState::Cancelled);
    // Cancelling again is a no-op; the same key returns the first outcome.
    sb.cancel_order("O2", None).unwrap();
    assert!(sb.verify().unwrap().is_sound());
}

#[test]
fn sixty_four_threads_never_oversell_and_replay_matches() {
    let clock = ManualClock::new(T0);
    let sb = Stockbook::in_memory_with(Options::default().with_clock(clock.clone())).unwrap();
    let mut site = Location::new("WH1");
    site.kind = LocationKind::Site;
    sb.define_location(site).unwrap();
    let mut bin = Location::new("WH1/A");
    bin.parent = Some("WH1".into());
    sb.define_location(bin).unwrap();
    for i in 0..SKUS {
        sb.define_item(Item::new(format!("S{i}"))).unwrap();
        sb.receive(Receive::new(format!("S{i}"), "WH1/A", STOCK))
            .unwrap();
    }
    let accepted = AtomicI64::new(0);
    let committed = AtomicI64::new(0);
    let attempts = AtomicUsize::new(0);
    std::thread::scope(|s| {
        for t in 0..64 {
            let sb = sb.clone();
            let (accepted, committed, attempts, clock) = (&accepted, &committed, &attempts, &clock);
            s.spawn(move || {
                for k in 0..15 {
                    attempts.fetch_add(1, Ordering::Relaxed);
                    let sku = format!("S{}", (t + k) % SKUS);
                    let mut r = Reserve::new(&sku, "WH1", 1 + (t as i64 + k as i64) % 3);
                    if k % 4 == 0 {
                        r.ttl_ms = Some(1);
                    }
                    let Ok(receipt) = sb.execute(r, Meta::default()) else {
                        continue;
                    };
                    accepted.fetch_add(1, Ordering::Relaxed);
                    let id = receipt.reservation_id.unwrap();
                    match k % 4 {
                        0 => clock.advance(1),
                        1 => {
                            sb.release_reservation(&id, None).unwrap();
                        }
                        _ => {
                            // Every accepted, unexpired reservation can be committed.
                            let res = sb.commit_reservation(
                                CommitReservation::new(id.clone()).location("WH1/A"),
                            );
                            let r = sb.reservation(&id).unwrap();
                            match res {
                                Ok(_) => {
                                    committed.fetch_add(r.committed.units(), Ordering::Relaxed);
                                }
                                Err(e) => {
                                    assert_eq!(r.state, ReservationState::Expired, "{e}");
                                }
                            }
                        }
                    }
                    for i in 0..SKUS {
                        let level = sb.stock_level(&format!("S{i}"), "WH1").unwrap();
                        assert!(level.reserved <= level.on_hand, "{level:?}");
                        assert!(!level.available.is_negative());
                    }
                }
            });
        }
    });
    assert!(accepted.load(Ordering::Relaxed) > 0);
    let shipped: i64 = (0..SKUS)
        .map(|i| STOCK - sb.on_hand(&format!("S{i}"), "WH1").unwrap().units())
        .sum();
    assert_eq!(shipped, committed.load(Ordering::Relaxed));
    sb.expire_due().unwrap();
    let report = sb.verify().unwrap();
    assert!(report.is_sound(), "{:?}", report.problems);
}

#[test]
fn a_count_below_what_is_reserved_is_refused_and_changes_nothing() {
    let (sb, _) = book();
    sb.receive(Receive::new("A", "WH1/A", 5)).unwrap();
    let mut r = Reserve::new("A", "WH1/A", 4);
    r.hard = true;
    sb.reserve(r).unwrap();
    let before = sb.last_seq().unwrap();
    let count = |n: i64| stockbook::Count::new("A", "WH1/A", q(n));
    let err = sb.count(count(3)).unwrap_err();
    assert_eq!(err.code(), "insufficient_stock");
    assert_eq!(sb.last_seq().unwrap(), before);
    assert_eq!(sb.on_hand("A", "WH1/A").unwrap(), q(5));
    // Down to exactly what is reserved is fine.
    assert_eq!(sb.count(count(4)).unwrap().difference, q(-1));
    assert!(sb.verify().unwrap().is_sound());
}

#[test]
fn committing_a_site_reservation_without_a_bin_ships_from_free_bins_first_in_first_out() {
    let (sb, clock) = book();
    sb.receive(Receive::new("A", "WH1/B", 3)).unwrap();
    clock.advance(DAY);
    sb.receive(Receive::new("A", "WH1/A", 5)).unwrap();
    // B's 3 units are the oldest, but 2 of them are held for someone else.
    let mut other = Reserve::new("A", "WH1/B", 2);
    other.hard = true;
    sb.reserve(other).unwrap();
    let id = sb
        .reserve(Reserve::new("A", "WH1", 4))
        .unwrap()
        .reservation_id;
    sb.commit_reservation(CommitReservation::new(id.clone()))
        .unwrap();
    assert_eq!(sb.on_hand("A", "WH1/B").unwrap(), q(2));
    assert_eq!(sb.on_hand("A", "WH1/A").unwrap(), q(2));
    assert_eq!(
        sb.reservation(&id).unwrap().state,
        ReservationState::Committed
    );
    assert_eq!(sb.stock_level("A", "WH1").unwrap().available, q(2));
    assert!(sb.verify().unwrap().is_sound());
}
