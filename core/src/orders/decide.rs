//! The rules of the order saga: which order commands are accepted and which events they
//! become. Pure functions of the state, like the ledger's, whose rules they call for every
//! hold and movement.

use super::OrdersView;
use super::{
    AllocateOrder, AllocateOrders, CreateOrder, FillBackorders, Order, OrderLine, OrderState,
    OrderStep, Reservation, ReservationState, ShortagePolicy, Strategy,
};
use crate::error::{EntityKind, Error, Result};
use crate::event::Event;
use crate::ledger::Decision;
use crate::ledger::allocation::{self, Pending, fair_shares};
use crate::ledger::rules::transition;
use crate::model::{LocationKind, Qty, Timestamp, validate_code, virtual_locations as vl};

/// The most lines one order may have.
pub const ORDER_LINES_MAX: usize = crate::limits::ORDER_LINES_MAX;

pub(super) fn order<'a>(state: OrdersView<'a>, id: &str) -> Result<&'a Order> {
    validate_code("order", id)?;
    state
        .orders
        .get(id)
        .ok_or_else(|| Error::not_found(EntityKind::Order, id))
}

pub(super) fn order_transition(o: &Order, step: &str) -> Error {
    transition(EntityKind::Order, &o.id, o.state.as_str(), step)
}

/// Refuses a direct commit or release of the pending reservation `id` when an order
/// manages it. Anything else (an unknown or closed reservation) is for the ledger's own
/// rules to answer, so this check runs first and changes no other refusal.
pub(crate) fn unmanaged(state: OrdersView<'_>, id: &str) -> Result<()> {
    match state.holds.get(id) {
        Some(r) if r.state == ReservationState::Pending => not_managed(state, r),
        _ => Ok(()),
    }
}

/// Refuses a direct commit or release of a reservation an order manages (its allocation or
/// its picked stock): only the order's own steps may close it, or the order would count
/// stock it no longer holds.
fn not_managed(state: OrdersView<'_>, r: &Reservation) -> Result<()> {
    let managed = r
        .order
        .as_ref()
        .and_then(|id| state.orders.get(id))
        .is_some_and(|o| {
            o.lines.iter().any(|l| {
                l.reservations.contains(&r.id) || l.picks.iter().any(|p| p.reservation == r.id)
            })
        });
    if managed {
        return Err(Error::invalid_argument(
            "reservation_id",
            format!(
                "{} is held for order {}: its steps (pick, ship, cancel) close it",
                r.id,
                r.order.as_deref().unwrap_or_default()
            ),
        ));
    }
    Ok(())
}

// ---- orders ---------------------------------------------------------------------------------

pub(super) fn changed(step: &str, order: Order) -> Event {
    Event::OrderChanged {
        step: step.to_owned(),
        order: Box::new(order),
    }
}

pub(crate) fn create(
    state: OrdersView<'_>,
    c: &CreateOrder,
    now: Timestamp,
    next_seq: u64,
) -> Result<Decision> {
    validate_code("order", &c.order_id)?;
    if state.orders.contains(&c.order_id) {
        return Err(Error::AlreadyExists {
            kind: EntityKind::Order,
            key: c.order_id.clone(),
        });
    }
    if let Some(customer) = &c.customer {
        validate_code("customer", customer)?;
    }
    let ship_from = crate::ledger::physical_location(state.ledger, &c.ship_from)?;
    let staging = match &c.staging {
        Some(code) => crate::ledger::physical_location(state.ledger, code)?
            .code
            .clone(),
        None => ship_from.code.clone(),
    };
    let ship_to = match &c.ship_to {
        Some(code) => {
            crate::ledger::virtual_location(state.ledger, code, LocationKind::Customer)?.to_owned()
        }
        None => vl::CUSTOMER.to_owned(),
    };
    if c.lines.is_empty() || c.lines.len() > ORDER_LINES_MAX {
        return Err(Error::invalid_argument(
            "lines",
            format!("an order has 1..={ORDER_LINES_MAX} lines"),
        ));
    }
    let mut lines = Vec::with_capacity(c.lines.len());
    for (i, l) in c.lines.iter().enumerate() {
        let item = crate::ledger::active_item(state.ledger, &l.sku)?;
        let qty = crate::ledger::movement_qty(item, l.qty, l.unit.as_deref())?;
        let zero = Qty::from_units(0, item.decimals)?;
        lines.push(OrderLine {
            line: i as u32 + 1,
            sku: item.sku.clone(),
            ordered: qty,
            allocated: zero,
            picked: zero,
            shipped: zero,
            backordered: zero,
            picks: Vec::new(),
            reservations: Vec::new(),
        });
    }
    let order = Order {
        id: c.order_id.clone(),
        customer: c.customer.clone(),
        priority: c.priority,
        due_at: c.due_at,
        ship_from: ship_from.code.clone(),
        staging,
        ship_to,
        lines,
        packages: Vec::new(),
        state: OrderState::Draft,
        created_at: now,
        created_seq: next_seq,
    };
    Ok(Decision::events(vec![changed("created", order)]))
}

/// A step that only moves an order from `from` to `to`. Repeating a step that is done
/// is a no-op, so a call retried after a crash resumes cleanly.
pub(super) fn simple_step(
    state: OrdersView<'_>,
    c: &OrderStep,
    (from, to): (OrderState, OrderState),
    (step, done): (&str, &str),
) -> Result<Decision> {
    let o = order(state, &c.order_id)?;
    if o.state == to {
        return Ok(Decision::events(Vec::new()));
    }
    if o.state != from {
        return Err(order_transition(o, step));
    }
    let mut new = o.clone();
    new.state = to;
    Ok(Decision::events(vec![changed(done, new)]))
}

pub(crate) fn confirm(state: OrdersView<'_>, c: &OrderStep) -> Result<Decision> {
    simple_step(
        state,
        c,
        (OrderState::Draft, OrderState::Confirmed),
        ("confirm", "confirmed"),
    )
}

/// What a line still needs: ordered less everything already allocated, picked or shipped.
fn open_units(line: &OrderLine) -> i64 {
    line.ordered.units() - line.allocated.units() - line.picked.units() - line.shipped.units()
}

/// Allocates `units` of one line: hard reservations per bin and lot of the plan.
#[allow(clippy::too_many_arguments)]
pub(super) fn allocate_line(
    state: OrdersView<'_>,
    pending: &mut Pending,
    o: &mut Order,
    index: usize,
    units: i64,
    strategy: &Strategy,
    now: Timestamp,
    next_seq: &mut u64,
    excluded: &[String],
    events: &mut Vec<Event>,
) -> Result<()> {
    let sku = o.lines[index].sku.clone();
    // Stock at the order's own staging location could never be picked from there.
    let mut excluded = excluded.to_vec();
    excluded.push(o.staging.clone());
    let plan = allocation::plan(
        state.ledger,
        pending,
        &sku,
        units,
        &o.ship_from,
        strategy,
        now,
        &excluded,
    );
    let scale = o.lines[index].ordered.scale();
    for part in plan.lines {
        let id = format!("{}-L{}-R{}", o.id, o.lines[index].line, *next_seq);
        *next_seq += 1;
        let zero = Qty::from_units(0, scale)?;
        events.push(Event::ReservationCreated(Reservation {
            id: id.clone(),
            sku: sku.clone(),
            scope: part.location,
            lot: part.lot,
            hard: true,
            qty: part.qty,
            requested: part.qty,
            committed: zero,
            order: Some(o.id.clone()),
            line: Some(o.lines[index].line),
            created_at: now,
            expires_at: None,
            state: ReservationState::Pending,
        }));
        let line = &mut o.lines[index];
        line.allocated = line.allocated.checked_add(part.qty)?.rescale(scale)?;
        line.reservations.push(id);
    }
    let line = &mut o.lines[index];
    line.backordered = Qty::from_units(open_units(line).max(0), scale)?;
    Ok(())
}

fn allocatable(o: &Order) -> bool {
    matches!(
        o.state,
        OrderState::Confirmed
            | OrderState::Allocated
            | OrderState::Picking
            | OrderState::Backordered
    )
}

/// The state an order reaches once allocated.
fn allocated_state(state: OrderState) -> OrderState {
    match state {
        OrderState::Picking => OrderState::Picking,
        _ => OrderState::Allocated,
    }
}

pub(crate) fn allocate(
    state: OrdersView<'_>,
    c: &AllocateOrder,
    now: Timestamp,
    next_seq: u64,
) -> Result<Decision> {
    let o = order(state, &c.order_id)?;
    if !allocatable(o) {
        return Err(order_transition(o, "allocate"));
    }
    let mut new = o.clone();
    let mut events = Vec::new();
    let mut pending = Pending::default();
    let mut seq = next_seq;
    for i in 0..new.lines.len() {
        let need = open_units(&new.lines[i]);
        if need > 0 {
            allocate_line(
                state,
                &mut pending,
                &mut new,
                i,
                need,
                &c.strategy,
                now,
                &mut seq,
                &[],
                &mut events,
            )?;
        }
    }
    new.state = allocated_state(new.state);
    events.push(changed("allocated", new));
    Ok(Decision::events(events))
}

/// Orders in the sequence the policy serves them.
fn by_policy<'a>(orders: impl Iterator<Item = &'a Order>) -> Vec<&'a Order> {
    let mut list: Vec<&Order> = orders.collect();
    list.sort_by(|a, b| a.serve_order(b));
    list
}

/// One open line competing for stock: (order index, line index, units needed).
type Claim = (usize, usize, i64);

/// Allocates the open need of several orders under a shortage policy.
#[allow(clippy::too_many_arguments)]
fn allocate_many(
    state: OrdersView<'_>,
    orders: Vec<&Order>,
    sku_filter: Option<&str>,
    policy: ShortagePolicy,
    strategy: &Strategy,
    now: Timestamp,
    next_seq: u64,
    step: &str,
) -> Result<Decision> {
    let mut working: Vec<Order> = by_policy(orders.into_iter()).into_iter().cloned().collect();
    let mut events = Vec::new();
    let mut pending = Pending::default();
    let mut seq = next_seq;
    let mut touched = vec![false; working.len()];
    match policy {
        ShortagePolicy::PriorityDueDate => {
            for (k, o) in working.iter_mut().enumerate() {
                for i in 0..o.lines.len() {
                    let need = open_units(&o.lines[i]);
                    if need > 0 && sku_filter.is_none_or(|s| s == o.lines[i].sku) {
                        allocate_line(
                            state,
                            &mut pending,
                            o,
                            i,
                            need,
                            strategy,
                            now,
                            &mut seq,
                            &[],
                            &mut events,
                        )?;
                        touched[k] = true;
                    }
                }
            }
        }
        ShortagePolicy::FairShare => {
            // Group the open lines by (sku, ship-from scope); split what is free exactly.
            let mut groups: std::collections::BTreeMap<(String, String), Vec<Claim>> =
                std::collections::BTreeMap::new();
            for (k, o) in working.iter().enumerate() {
                for (i, line) in o.lines.iter().enumerate() {
                    let need = open_units(line);
                    if need > 0 && sku_filter.is_none_or(|s| s == line.sku) {
                        groups
                            .entry((line.sku.clone(), o.ship_from.clone()))
                            .or_default()
                            .push((k, i, need));
                    }
                }
            }
            for ((sku, scope), members) in groups {
                let free = allocation::free_units(state.ledger, &pending, &sku, &scope, None);
                let demands: Vec<i64> = members.iter().map(|m| m.2).collect();
                let shares = fair_shares(free, &demands);
                for ((k, i, _), share) in members.into_iter().zip(shares) {
                    touched[k] = true;
                    let o = &mut working[k];
                    if share > 0 {
                        allocate_line(
                            state,
                            &mut pending,
                            o,
                            i,
                            share,
                            strategy,
                            now,
                            &mut seq,
                            &[],
                            &mut events,
                        )?;
                    }
                    let line = &mut o.lines[i];
                    line.backordered =
                        Qty::from_units(open_units(line).max(0), line.ordered.scale())?;
                }
            }
        }
    }
    for (k, mut o) in working.into_iter().enumerate() {
        if touched[k] {
            o.state = allocated_state(o.state);
            events.push(changed(step, o));
        }
    }
    Ok(Decision::events(events))
}

pub(crate) fn allocate_orders(
    state: OrdersView<'_>,
    c: &AllocateOrders,
    now: Timestamp,
    next_seq: u64,
) -> Result<Decision> {
    let orders: Vec<&Order> = if c.order_ids.is_empty() {
        state
            .orders
            .values()
            .filter(|o| matches!(o.state, OrderState::Confirmed | OrderState::Backordered))
            .collect()
    } else {
        let mut seen = std::collections::HashSet::new();
        let mut list = Vec::with_capacity(c.order_ids.len());
        for id in &c.order_ids {
            let o = order(state, id)?;
            if !allocatable(o) {
                return Err(order_transition(o, "allocate"));
            }
            if seen.insert(id.as_str()) {
                list.push(o);
            }
        }
        list
    };
    allocate_many(
        state,
        orders,
        None,
        c.policy,
        &c.strategy,
        now,
        next_seq,
        "allocated",
    )
}

pub(crate) fn fill_backorders(
    state: OrdersView<'_>,
    c: &FillBackorders,
    now: Timestamp,
    next_seq: u64,
) -> Result<Decision> {
    if let Some(sku) = &c.sku {
        crate::ledger::active_item(state.ledger, sku)?;
    }
    let orders = state.orders.values().filter(|o| {
        allocatable(o)
            && o.state != OrderState::Confirmed
            && o.lines
                .iter()
                .any(|l| !l.backordered.is_zero() && c.sku.as_ref().is_none_or(|s| *s == l.sku))
    });
    allocate_many(
        state,
        orders.collect(),
        c.sku.as_deref(),
        c.policy,
        &c.strategy,
        now,
        next_seq,
        "backorder_filled",
    )
}

/// True when some order waits for `sku`: a receipt of it should fill backorders.
pub(crate) fn has_backorders(book: &super::OrderBook, sku: &str) -> bool {
    book.values().any(|o| {
        allocatable(o)
            && o.state != OrderState::Confirmed
            && o.lines
                .iter()
                .any(|l| l.sku == sku && !l.backordered.is_zero())
    })
}
