//! Properties of reservations and orders over random sequences of stock commands (receive,
//! issue, transfer, adjust) and order commands (reserve with and without a time-to-live,
//! commit, release, clock advances, and orders created, confirmed, allocated, picked,
//! packed, shipped, delivered and cancelled), many of them refused.
//!
//! After every step, for every location and item: reserved ≤ on hand, read at one instant
//! (`stock_level`); reserved equals the sum of the pending, unexpired reservations whose
//! scope lies in the location's subtree, recomputed from `reservations()`; the same bound
//! holds for every pinned lot; every order's line quantities add up to what was ordered
//! and match its reservations and picks, and no pending reservation of an order is
//! forgotten by it; a refusal writes nothing but the expiries that were due. At the end
//! `verify()` is sound and `available_at` / `reserved_at` at every past sequence equal a
//! naive recomputation from the log.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use proptest::prelude::*;
use proptest::strategy::ValueTree;
use proptest::test_runner::TestRunner;
use stockbook::orders::{
    AllocateOrders, CommitReservation, CreateOrder, FillBackorders, NewOrderLine, Order,
    OrderState, Package, PackageContent, PickOrder, Reservation, ReservationFilter,
    ReservationState, Reserve, ShortagePolicy, Strategy as Allocation,
};
use stockbook::{
    Adjust, AsOf, Command, Coordinates, Envelope, Event, Issue, Item, Location, LocationKind,
    ManualClock, Meta, Options, Qty, Receive, Stockbook, Tracking, Transfer,
};

const START_MS: i64 = 1_767_225_600_000;
const DAY_MS: i64 = 86_400_000;

/// (sku, decimals, tracking, base units of one generated unit)
const ITEMS: &[(&str, u8, Tracking, i64)] = &[
    ("A", 0, Tracking::None, 1),
    ("B", 1, Tracking::None, 5),
    ("L", 0, Tracking::Lot, 1),
];
/// (code, parent, kind, x coordinate)
const LOCATIONS: &[(&str, Option<&str>, LocationKind, Option<i32>)] = &[
    ("WH", None, LocationKind::Site, None),
    ("WH/Z", Some("WH"), LocationKind::Zone, None),
    ("WH/Z/1", Some("WH/Z"), LocationKind::Bin, Some(0)),
    ("WH/Z/2", Some("WH/Z"), LocationKind::Bin, Some(10)),
    ("WH/C", Some("WH"), LocationKind::Bin, Some(30)),
    ("WH/OUT", Some("WH"), LocationKind::Bin, Some(40)),
    ("X", None, LocationKind::Site, None),
    ("X/1", Some("X"), LocationKind::Bin, None),
];
/// Where stock commands act.
const BINS: &[&str] = &["WH/Z/1", "WH/Z/2", "WH/C", "WH/OUT", "X/1"];
/// Where orders ship from, and their staging location (`None`: the ship-from itself).
const SHIP_FROM: &[(&str, Option<&str>)] = &[
    ("WH", Some("WH/OUT")),
    ("WH/Z", Some("WH/OUT")),
    ("X", None),
];
const LOTS: &[&str] = &["L1", "L2"];
/// L1 expires a day in; L2 never.
const L1_EXPIRY_MS: i64 = START_MS + DAY_MS;

#[derive(Debug, Clone)]
enum Op {
    Receive {
        sku: usize,
        bin: usize,
        n: i64,
        lot: usize,
    },
    Issue {
        sku: usize,
        bin: usize,
        n: i64,
        lot: usize,
    },
    Transfer {
        sku: usize,
        from: usize,
        to: usize,
        n: i64,
        lot: usize,
    },
    Adjust {
        sku: usize,
        bin: usize,
        n: i64,
        lot: usize,
    },
    Reserve {
        sku: usize,
        scope: usize,
        n: i64,
        hard: bool,
        lot: usize,
        ttl_ms: Option<i64>,
    },
    Commit {
        which: usize,
        n: Option<i64>,
        place: usize,
        lot: usize,
    },
    Release {
        which: usize,
        n: Option<i64>,
    },
    Advance {
        ms: i64,
    },
    ExpireDue,
    CreateOrder {
        from: usize,
        priority: u32,
        due_ms: Option<i64>,
        lines: Vec<(usize, i64)>,
    },
    Confirm {
        order: usize,
    },
    Allocate {
        order: usize,
        strategy: usize,
    },
    AllocateAll {
        fair: bool,
        strategy: usize,
    },
    Fill {
        fair: bool,
    },
    Pick {
        order: usize,
        line: usize,
        which: usize,
        n: i64,
        short: bool,
    },
    Pack {
        order: usize,
        wrong: bool,
    },
    Ship {
        order: usize,
    },
    Deliver {
        order: usize,
    },
    Cancel {
        order: usize,
        return_to: Option<usize>,
    },
    /// The next step of the newest order's workflow, whatever its state.
    Progress {
        strategy: usize,
        which: usize,
    },
}

fn op_strategy() -> impl Strategy<Value = Op> {
    let sku = 0..ITEMS.len();
    let bin = 0..BINS.len();
    let lot = 0usize..5;
    // Orders are named by recency (0: the newest), so that one order moves along.
    let order = prop_oneof![6 => Just(0usize), 3 => Just(1usize), 1 => 2usize..5];
    prop_oneof![
        6 => (sku.clone(), bin.clone(), 1i64..=10, lot.clone())
            .prop_map(|(sku, bin, n, lot)| Op::Receive { sku, bin, n, lot }),
        2 => (sku.clone(), bin.clone(), 1i64..=6, lot.clone())
            .prop_map(|(sku, bin, n, lot)| Op::Issue { sku, bin, n, lot }),
        2 => (sku.clone(), bin.clone(), bin.clone(), 1i64..=6, lot.clone())
            .prop_map(|(sku, from, to, n, lot)| Op::Transfer { sku, from, to, n, lot }),
        2 => (sku.clone(), bin.clone(), -4i64..=5, lot.clone())
            .prop_map(|(sku, bin, n, lot)| Op::Adjust { sku, bin, n, lot }),
        5 => (
            sku.clone(),
            0..LOCATIONS.len(),
            1i64..=6,
            any::<bool>(),
            lot.clone(),
            prop_oneof![1 => Just(None), 1 => (1i64..=30_000).prop_map(Some)],
        )
            .prop_map(|(sku, scope, n, hard, lot, ttl_ms)| Op::Reserve {
                sku,
                scope,
                n,
                hard,
                lot,
                ttl_ms
            }),
        3 => (any::<usize>(), proptest::option::of(1i64..=6), any::<usize>(), lot.clone())
            .prop_map(|(which, n, place, lot)| Op::Commit { which, n, place, lot }),
        2 => (any::<usize>(), proptest::option::of(1i64..=6))
            .prop_map(|(which, n)| Op::Release { which, n }),
        3 => prop_oneof![4 => 1i64..=60_000, 1 => Just(DAY_MS)].prop_map(|ms| Op::Advance { ms }),
        1 => Just(Op::ExpireDue),
        2 => (
            0..SHIP_FROM.len(),
            0u32..3,
            proptest::option::of(0i64..=3),
            prop::collection::vec((sku.clone(), 1i64..=4), 1..=3),
        )
            .prop_map(|(from, priority, due, lines)| Op::CreateOrder {
                from,
                priority,
                due_ms: due.map(|d| START_MS + d * DAY_MS),
                lines
            }),
        3 => order.clone().prop_map(|order| Op::Confirm { order }),
        3 => (order.clone(), 0usize..7).prop_map(|(order, strategy)| Op::Allocate { order, strategy }),
        1 => (any::<bool>(), 0usize..7).prop_map(|(fair, strategy)| Op::AllocateAll { fair, strategy }),
        1 => any::<bool>().prop_map(|fair| Op::Fill { fair }),
        6 => (order.clone(), 0usize..3, any::<usize>(), 1i64..=6, prop::bool::weighted(0.2))
            .prop_map(|(order, line, which, n, short)| Op::Pick { order, line, which, n, short }),
        3 => (order.clone(), prop::bool::weighted(0.1))
            .prop_map(|(order, wrong)| Op::Pack { order, wrong }),
        4 => order.clone().prop_map(|order| Op::Ship { order }),
        1 => order.clone().prop_map(|order| Op::Deliver { order }),
        1 => (order, proptest::option::of(bin)).prop_map(|(order, return_to)| Op::Cancel { order, return_to }),
        8 => (0usize..7, any::<usize>()).prop_map(|(strategy, which)| Op::Progress { strategy, which }),
    ]
}

fn qty(sku: usize, n: i64) -> Qty {
    let (_, decimals, _, unit) = ITEMS[sku];
    Qty::from_units(n * unit, decimals).unwrap()
}

/// 0..=3: lot L1 or L2 for the lot-tracked item (none for the others); 4: the wrong
/// thing (no lot for the lot-tracked item, a lot for the others).
fn lot_of(sku: usize, lot: usize) -> Option<String> {
    let tracked = ITEMS[sku].2 == Tracking::Lot;
    match (lot, tracked) {
        (4.., true) | (0..=3, false) => None,
        (4.., false) => Some(LOTS[0].to_owned()),
        (i, true) => Some(LOTS[i / 2].to_owned()),
    }
}

fn strategy(i: usize) -> Allocation {
    match i {
        0 => Allocation::Fifo,
        1 => Allocation::Lifo,
        2 => Allocation::FewestLocations,
        3 => Allocation::Fefo {
            min_remaining_days: 0,
        },
        4 => Allocation::Fefo {
            min_remaining_days: 1,
        },
        5 => Allocation::Nearest {
            location: "WH/OUT".into(),
        },
        _ => Allocation::Ordered {
            locations: vec!["WH/C".into(), "WH/Z/2".into(), "X/1".into()],
        },
    }
}

fn policy(fair: bool) -> ShortagePolicy {
    if fair {
        ShortagePolicy::FairShare
    } else {
        ShortagePolicy::PriorityDueDate
    }
}

fn sku_index(sku: &str) -> usize {
    ITEMS.iter().position(|i| i.0 == sku).unwrap()
}

/// Every location with its subtree (from the fixed tree above).
fn subtrees() -> BTreeMap<&'static str, BTreeSet<&'static str>> {
    let mut out: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    for (code, _, _, _) in LOCATIONS {
        let mut cursor = Some(*code);
        while let Some(c) = cursor {
            out.entry(c).or_default().insert(code);
            cursor = LOCATIONS.iter().find(|l| l.0 == c).and_then(|l| l.1);
        }
    }
    out
}

fn setup(sb: &Stockbook) {
    for (sku, decimals, tracking, _) in ITEMS {
        let mut item = Item::new(*sku);
        item.decimals = *decimals;
        item.tracking = *tracking;
        sb.define_item(item).unwrap();
    }
    for (code, parent, kind, x) in LOCATIONS {
        let mut loc = Location::new(*code);
        loc.parent = parent.map(str::to_owned);
        loc.kind = *kind;
        loc.coordinates = x.map(|x| Coordinates::new(x, 0));
        sb.define_location(loc).unwrap();
    }
}

/// The driver's memory: orders created so far (oldest first).
#[derive(Default)]
struct World {
    orders: Vec<String>,
}

impl World {
    fn order(&self, recency: usize) -> String {
        match self.orders.len() {
            0 => "O-none".into(),
            n => self.orders[n - 1 - recency % n].clone(),
        }
    }
}

/// Pending reservations: mostly the caller's own; with `orders`, also those an order holds
/// (which only the order's steps may close: committing or releasing them is refused).
fn pending(sb: &Stockbook, orders: bool) -> Vec<Reservation> {
    sb.reservations(&ReservationFilter::new().state(ReservationState::Pending))
        .unwrap()
        .into_iter()
        .filter(|r| orders || r.order.is_none())
        .collect()
}

/// The command an op becomes against the current state (`None`: nothing to do).
fn command(sb: &Stockbook, world: &mut World, op: &Op) -> Option<Command> {
    let sku = |i: usize| ITEMS[i].0.to_owned();
    Some(match op {
        Op::Receive {
            sku: s,
            bin,
            n,
            lot,
        } => {
            let mut r = Receive::new(sku(*s), BINS[*bin], qty(*s, *n));
            r.lot = lot_of(*s, *lot);
            if r.lot.as_deref() == Some(LOTS[0]) && ITEMS[*s].2 == Tracking::Lot {
                r.expiry = Some(L1_EXPIRY_MS);
            }
            Command::Receive(r)
        }
        Op::Issue {
            sku: s,
            bin,
            n,
            lot,
        } => {
            let mut i = Issue::new(sku(*s), BINS[*bin], qty(*s, *n));
            i.lot = lot_of(*s, *lot);
            Command::Issue(i)
        }
        Op::Transfer {
            sku: s,
            from,
            to,
            n,
            lot,
        } => Command::Transfer({
            let mut v =
                Transfer::new(sku(*s), BINS[*from], BINS[*to], qty(*s, *n)).allow_expired(true);
            v.lot = lot_of(*s, *lot);
            v
        }),
        Op::Adjust {
            sku: s,
            bin,
            n,
            lot,
        } => Command::Adjust({
            let mut v = Adjust::new(sku(*s), BINS[*bin], qty(*s, *n), "prop");
            v.lot = lot_of(*s, *lot);
            v
        }),
        Op::Reserve {
            sku: s,
            scope,
            n,
            hard,
            lot,
            ttl_ms,
        } => {
            let mut r = Reserve::new(sku(*s), LOCATIONS[*scope].0, qty(*s, *n));
            r.hard = *hard;
            r.ttl_ms = *ttl_ms;
            r.lot = lot_of(*s, *lot);
            Command::Reserve(r)
        }
        Op::Commit {
            which,
            n,
            place,
            lot,
        } => {
            let pending = pending(sb, which % 4 == 0);
            let r = pending.get(which / 4 % pending.len().max(1))?;
            let places: Vec<&str> = subtrees()[r.scope.as_str()].iter().copied().collect();
            let s = sku_index(&r.sku);
            Command::CommitReservation({
                let mut v = CommitReservation::new(r.id.clone())
                    .location(places[place % places.len()].to_owned());
                v.qty = n.map(|n| qty(s, n));
                v.lot = if r.lot.is_none() && ITEMS[s].2 == Tracking::Lot {
                    lot_of(s, lot % 4)
                } else {
                    None
                };
                v
            })
        }
        Op::Release { which, n } => {
            let pending = pending(sb, which % 4 == 0);
            let r = pending.get(which / 4 % pending.len().max(1))?;
            Command::ReleaseReservation {
                reservation_id: r.id.clone(),
                qty: n.map(|n| qty(sku_index(&r.sku), n)),
            }
        }
        Op::Advance { .. } => return None,
        Op::ExpireDue => Command::ExpireDue {},
        Op::CreateOrder {
            from,
            priority,
            due_ms,
            lines,
        } => {
            let id = format!("O{}", world.orders.len() + 1);
            let (ship_from, staging) = SHIP_FROM[*from];
            Command::CreateOrder({
                let mut v = CreateOrder::new(
                    id,
                    ship_from,
                    lines
                        .iter()
                        .map(|(s, n)| NewOrderLine::new(sku(*s), qty(*s, *n)))
                        .collect(),
                )
                .priority(*priority);
                v.due_at = *due_ms;
                v.staging = staging.map(str::to_owned);
                v
            })
        }
        Op::Confirm { order } => Command::ConfirmOrder(step(world.order(*order))),
        Op::Allocate { order, strategy: s } => Command::AllocateOrder(
            stockbook::orders::AllocateOrder::new(world.order(*order)).strategy(strategy(*s)),
        ),
        Op::AllocateAll { fair, strategy: s } => Command::AllocateOrders(
            AllocateOrders::new()
                .policy(policy(*fair))
                .strategy(strategy(*s)),
        ),
        Op::Fill { fair } => Command::FillBackorders(
            FillBackorders::new()
                .policy(policy(*fair))
                .strategy(Allocation::Fifo),
        ),
        Op::Pick {
            order,
            line,
            which,
            n,
            short,
        } => {
            let id = world.order(*order);
            let o = sb.order(&id).ok()?;
            // Mostly a line that has something allocated, so that orders get packed.
            let open: Vec<_> = o.lines.iter().filter(|l| !l.allocated.is_zero()).collect();
            let l = match open.len() {
                0 => &o.lines[line % o.lines.len()],
                k => open[line % k],
            };
            let held: Vec<Reservation> = l
                .reservations
                .iter()
                .filter_map(|r| sb.reservation(r).ok())
                .filter(|r| r.state == ReservationState::Pending)
                .collect();
            let (location, lot, units) = match held.get(which % held.len().max(1)) {
                Some(r) => {
                    let at: i64 = held
                        .iter()
                        .filter(|h| h.scope == r.scope && h.lot == r.lot)
                        .map(|h| h.qty.units())
                        .sum();
                    // n > 4: all there is at that bin; else a part of it.
                    let units = if *n > 4 { at } else { 1 + (n - 1) % at };
                    (r.scope.clone(), r.lot.clone(), units)
                }
                None => ("WH/C".to_owned(), None, *n),
            };
            Command::PickOrder({
                let mut v = PickOrder::new(
                    id,
                    l.line,
                    location,
                    Qty::from_units(units, ITEMS[sku_index(&l.sku)].1).unwrap(),
                )
                .short(*short);
                v.lot = lot;
                v
            })
        }
        Op::Pack { order, wrong } => {
            let id = world.order(*order);
            let o = sb.order(&id).ok()?;
            let mut contents: Vec<PackageContent> = o
                .lines
                .iter()
                .filter(|l| !l.picked.is_zero())
                .map(|l| PackageContent::new(l.line, l.picked))
                .collect();
            if *wrong && let Some(c) = contents.first_mut() {
                c.qty = Qty::from_units(c.qty.units() + 1, c.qty.scale()).unwrap();
            }
            Command::PackOrder(stockbook::orders::PackOrder::new(
                id,
                vec![Package::new("P1", contents)],
            ))
        }
        Op::Ship { order } => Command::ShipOrder(step(world.order(*order))),
        Op::Deliver { order } => Command::DeliverOrder(step(world.order(*order))),
        Op::Progress { strategy: s, which } => {
            let id = world.order(0);
            let o = sb.order(&id).ok()?;
            let next = match o.state {
                OrderState::Draft => Op::Confirm { order: 0 },
                OrderState::Confirmed | OrderState::Backordered => Op::Allocate {
                    order: 0,
                    strategy: *s,
                },
                OrderState::Allocated | OrderState::Picking
                    if o.lines.iter().any(|l| !l.allocated.is_zero()) =>
                {
                    Op::Pick {
                        order: 0,
                        line: *which,
                        which: *which / 7,
                        n: 6,
                        short: false,
                    }
                }
                OrderState::Allocated | OrderState::Picking => Op::Pack {
                    order: 0,
                    wrong: false,
                },
                OrderState::Packed => Op::Ship { order: 0 },
                _ => Op::Deliver { order: 0 },
            };
            return command(sb, world, &next);
        }
        Op::Cancel { order, return_to } => Command::CancelOrder({
            let mut v = stockbook::orders::CancelOrder::new(world.order(*order));
            v.return_to = return_to.map(|b| BINS[b].to_owned());
            v
        }),
    })
}

fn step(id: String) -> stockbook::orders::OrderStep {
    stockbook::orders::OrderStep::new(id)
}

fn events_since(sb: &Stockbook, seq: u64) -> Vec<Envelope> {
    sb.events_iter(seq + 1).map(Result::unwrap).collect()
}

/// Runs the ops, checking the invariants after each; returns how many were accepted.
fn run(sb: &Stockbook, clock: &ManualClock, ops: &[Op]) -> Result<usize, TestCaseError> {
    let mut world = World::default();
    let mut accepted = 0;
    for (i, op) in ops.iter().enumerate() {
        if let Op::Advance { ms } = op {
            clock.advance(*ms);
        }
        let Some(cmd) = command(sb, &mut world, op) else {
            check_state(sb).map_err(|e| fail(i, op, &e))?;
            continue;
        };
        let before = sb.last_seq().unwrap();
        let res = sb.execute(cmd.clone(), Meta::new().actor("prop"));
        // STOCKBOOK_PROPS_TRACE=1 prints every step and its outcome.
        if std::env::var_os("STOCKBOOK_PROPS_TRACE").is_some() {
            eprintln!(
                "step {i} {op:?} -> {:?}",
                res.as_ref().map(|_| ()).map_err(ToString::to_string)
            );
        }
        match res {
            Ok(_) => {
                accepted += 1;
                if let Command::CreateOrder(c) = &cmd {
                    world.orders.push(c.order_id.clone());
                }
            }
            Err(err) => {
                prop_assert!(
                    !matches!(err.code(), "storage" | "io" | "closed"),
                    "step {i}: an engine failure, not a refusal: {err}"
                );
                // A refusal writes nothing; only the expiries due were recorded before it.
                for env in events_since(sb, before) {
                    prop_assert!(
                        matches!(env.event, Event::ReservationExpired { .. }),
                        "step {i} ({op:?}) refused with {err} but wrote {:?}",
                        env.event
                    );
                }
            }
        }
        check_state(sb).map_err(|e| fail(i, op, &e))?;
    }
    Ok(accepted)
}

fn fail(i: usize, op: &Op, e: &str) -> TestCaseError {
    TestCaseError::fail(format!("after step {i} ({op:?}): {e}"))
}

/// The invariants of the current state (see the module docs).
fn check_state(sb: &Stockbook) -> Result<(), String> {
    let trees = subtrees();
    let all = sb.reservations(&ReservationFilter::default()).unwrap();
    let pending: Vec<&Reservation> = all
        .iter()
        .filter(|r| r.state == ReservationState::Pending)
        .collect();
    for (sku, _, tracking, _) in ITEMS {
        for (loc, places) in &trees {
            let level = sb.stock_level(sku, loc).unwrap();
            if level.reserved > level.on_hand || level.reserved.is_negative() {
                return Err(format!("{sku} at {loc}: {level:?}"));
            }
            if level.on_hand.checked_sub(level.reserved).unwrap() != level.available {
                return Err(format!("{sku} at {loc}: available is off: {level:?}"));
            }
            if sb.on_hand(sku, loc).unwrap() != level.on_hand {
                return Err(format!("{sku} at {loc}: on_hand differs from {level:?}"));
            }
            // Stock without a lot and each lot's stock add up to the whole.
            let by_lot: i64 = std::iter::once("")
                .chain(LOTS.iter().copied())
                .map(|lot| sb.on_hand_lot(sku, loc, Some(lot)).unwrap().units())
                .sum();
            if by_lot != level.on_hand.units() {
                return Err(format!(
                    "{sku} at {loc}: lots add up to {by_lot}, on hand is {}",
                    level.on_hand
                ));
            }
            let expected: i64 = pending
                .iter()
                .filter(|r| r.sku == *sku && places.contains(r.scope.as_str()))
                .map(|r| r.qty.units())
                .sum();
            if level.reserved.units() != expected {
                return Err(format!(
                    "{sku} at {loc}: reserved {} but pending reservations hold {expected}",
                    level.reserved
                ));
            }
            if *tracking == Tracking::Lot {
                for lot in LOTS {
                    let held: i64 = pending
                        .iter()
                        .filter(|r| {
                            r.sku == *sku
                                && r.lot.as_deref() == Some(*lot)
                                && places.contains(r.scope.as_str())
                        })
                        .map(|r| r.qty.units())
                        .sum();
                    let on_hand = sb.on_hand_lot(sku, loc, Some(lot)).unwrap().units();
                    if held > on_hand {
                        return Err(format!(
                            "{sku}/{lot} at {loc}: {held} held, {on_hand} there"
                        ));
                    }
                }
            }
        }
    }
    let by_id: BTreeMap<&str, &Reservation> = all.iter().map(|r| (r.id.as_str(), r)).collect();
    let orders: BTreeMap<String, Order> = sb
        .orders(None)
        .unwrap()
        .into_iter()
        .map(|o| (o.id.clone(), o))
        .collect();
    for o in orders.values() {
        check_order(o, &by_id)?;
    }
    // No pending reservation of an order is forgotten by it (it would hold stock forever).
    for r in &pending {
        let Some(o) = r.order.as_ref().and_then(|id| orders.get(id)) else {
            continue;
        };
        let known = o.lines.iter().any(|l| {
            Some(l.line) == r.line
                && (l.reservations.contains(&r.id) || l.picks.iter().any(|p| p.reservation == r.id))
        });
        if !known {
            return Err(format!(
                "{} is pending but {} does not know it: {o:?}",
                r.id, o.id
            ));
        }
    }
    Ok(())
}

fn check_order(o: &Order, by_id: &BTreeMap<&str, &Reservation>) -> Result<(), String> {
    for l in &o.lines {
        let (ordered, allocated, picked, shipped, backordered) = (
            l.ordered.units(),
            l.allocated.units(),
            l.picked.units(),
            l.shipped.units(),
            l.backordered.units(),
        );
        let quiet = allocated == 0 && picked == 0 && backordered == 0;
        let fine = match o.state {
            OrderState::Draft | OrderState::Confirmed => quiet && shipped == 0,
            OrderState::Cancelled => quiet && l.picks.is_empty() && l.reservations.is_empty(),
            OrderState::Shipped | OrderState::Delivered => {
                quiet && shipped == ordered && l.picks.is_empty()
            }
            _ => allocated + picked + shipped + backordered == ordered,
        };
        if !fine
            || [allocated, picked, shipped, backordered]
                .iter()
                .any(|q| *q < 0)
        {
            return Err(format!("{} line {} adds up wrong: {o:?}", o.id, l.line));
        }
        let mut held = 0;
        for id in &l.reservations {
            match by_id.get(id.as_str()) {
                Some(r)
                    if r.state == ReservationState::Pending
                        && r.order.as_ref() == Some(&o.id)
                        && r.line == Some(l.line)
                        && r.sku == l.sku =>
                {
                    held += r.qty.units();
                }
                other => return Err(format!("{} line {}: {id} is {other:?}", o.id, l.line)),
            }
        }
        if held != allocated {
            return Err(format!(
                "{} line {}: allocated {allocated}, held {held}",
                o.id, l.line
            ));
        }
        let mut staged = 0;
        for p in &l.picks {
            match by_id.get(p.reservation.as_str()) {
                Some(r)
                    if r.state == ReservationState::Pending
                        && r.scope == o.staging
                        && r.qty == p.qty
                        && r.lot == p.lot =>
                {
                    staged += p.qty.units();
                }
                other => return Err(format!("{} pick {p:?}: its hold is {other:?}", o.id)),
            }
        }
        if staged != picked {
            return Err(format!(
                "{} line {}: picked {picked}, staged {staged}",
                o.id, l.line
            ));
        }
    }
    Ok(())
}

/// `verify()`, and available / reserved at every past sequence against the log.
fn check_history(sb: &Stockbook) -> Result<(), TestCaseError> {
    let report = sb.verify().unwrap();
    prop_assert!(report.is_sound(), "verify: {:?}", report.problems);
    let trees = subtrees();
    let physical: BTreeSet<&str> = LOCATIONS.iter().map(|l| l.0).collect();
    // (sku, location) → units, on hand and reserved at the reservation's scope.
    let mut on_hand: BTreeMap<(String, String), i64> = BTreeMap::new();
    let mut reserved: BTreeMap<(String, String), i64> = BTreeMap::new();
    let mut holds: BTreeMap<String, (String, String, i64)> = BTreeMap::new();
    let events: Vec<Envelope> = sb.events_iter(1).map(Result::unwrap).collect();
    prop_assert_eq!(events.len() as u64, sb.last_seq().unwrap());
    for seq in 0..=events.len() {
        if seq > 0 {
            let env = &events[seq - 1];
            prop_assert_eq!(env.seq, seq as u64);
            let mut release = |id: &str, units: Option<i64>| {
                let (sku, scope, left) = holds.get_mut(id).expect("a known reservation");
                let units = units.unwrap_or(*left);
                *left -= units;
                *reserved.entry((sku.clone(), scope.clone())).or_default() -= units;
            };
            match &env.event {
                Event::Moved(m) => {
                    for (loc, sign) in [(&m.from, -1), (&m.to, 1)] {
                        if physical.contains(loc.as_str()) {
                            *on_hand.entry((m.sku.clone(), loc.clone())).or_default() +=
                                sign * m.qty.units();
                        }
                    }
                }
                Event::ReservationCreated(r) => {
                    holds.insert(
                        r.id.clone(),
                        (r.sku.clone(), r.scope.clone(), r.qty.units()),
                    );
                    *reserved
                        .entry((r.sku.clone(), r.scope.clone()))
                        .or_default() += r.qty.units();
                }
                Event::ReservationCommitted { id, qty }
                | Event::ReservationReleased { id, qty } => {
                    release(id, Some(qty.units()));
                }
                Event::ReservationExpired { id } => release(id, None),
                _ => {}
            }
        }
        for (sku, decimals, _, _) in ITEMS {
            for (loc, places) in &trees {
                let sum = |m: &BTreeMap<(String, String), i64>| -> i64 {
                    places
                        .iter()
                        .map(|p| m.get(&((*sku).to_owned(), (*p).to_owned())).unwrap_or(&0))
                        .sum()
                };
                let (have, held) = (sum(&on_hand), sum(&reserved));
                let at = AsOf::Seq(seq as u64);
                let got_reserved = sb.reserved_at(sku, loc, at).unwrap();
                let got_available = sb.available_at(sku, loc, at).unwrap();
                prop_assert_eq!(
                    (got_reserved, got_available),
                    (
                        Qty::from_units(held, *decimals).unwrap(),
                        Qty::from_units(have - held, *decimals).unwrap()
                    ),
                    "{} at {} as of seq {}",
                    sku,
                    loc,
                    seq
                );
            }
        }
    }
    Ok(())
}

fn book() -> (Stockbook, Arc<ManualClock>) {
    let clock = ManualClock::new(START_MS);
    let sb = Stockbook::in_memory_with(Options::default().with_clock(clock.clone())).unwrap();
    setup(&sb);
    (sb, clock)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, max_shrink_iters: 300, ..ProptestConfig::default() })]

    #[test]
    fn reservations_never_exceed_stock_and_replay_matches(
        ops in prop::collection::vec(op_strategy(), 1..70)
    ) {
        let (sb, clock) = book();
        run(&sb, &clock, &ops)?;
        check_history(&sb)?;
    }
}

/// The generator is worth its time only if orders get far: with a fixed seed, sequences
/// reach every order state, and picks, backorders and expiries happen.
#[test]
fn the_generated_workload_reaches_every_order_state() {
    // A fixed seed: this checks the generator, not the engine, and must not flake.
    let mut runner = TestRunner::deterministic();
    let ops = prop::collection::vec(op_strategy(), 150..=150);
    let mut states = BTreeSet::new();
    let mut seen = BTreeSet::new();
    let mut accepted = 0;
    for _ in 0..6 {
        let ops = ops.new_tree(&mut runner).unwrap().current();
        let (sb, clock) = book();
        accepted += run(&sb, &clock, &ops).unwrap();
        for env in sb.events_iter(1) {
            let event = env.unwrap().event;
            if let Event::OrderChanged { order, .. } = &event {
                states.insert(order.state.as_str());
            }
            seen.insert(match event {
                Event::ReservationExpired { .. } => "expired",
                Event::ReservationCommitted { .. } => "committed",
                Event::ReservationReleased { .. } => "released",
                Event::OrderChanged { step, .. } => match step.as_str() {
                    "picked" => "picked",
                    "backorder_filled" => "backorder_filled",
                    _ => "other",
                },
                _ => "other",
            });
        }
        check_history(&sb).unwrap();
    }
    for state in [
        "draft",
        "confirmed",
        "allocated",
        "picking",
        "packed",
        "shipped",
        "delivered",
        "cancelled",
    ] {
        assert!(
            states.contains(state),
            "no order reached {state}: {states:?}"
        );
    }
    for what in ["expired", "committed", "released", "picked"] {
        assert!(seen.contains(what), "nothing was {what}: {seen:?}");
    }
    eprintln!("order states {states:?}, events {seen:?}, {accepted} accepted");
    assert!(accepted > 300, "only {accepted} commands accepted");
}
