//! The order's fulfilment steps: pick, pack, ship, deliver, and cancel with
//! compensation (holds released, picked stock returned). Pure functions of the state,
//! like the rest of the saga's rules.

use super::OrdersView;
use super::decide::{allocate_line, changed, order, order_transition, simple_step};
use super::{
    CancelOrder, OrderState, OrderStep, PackOrder, Pick, PickOrder, Reservation, ReservationState,
    Strategy,
};
use crate::error::{EntityKind, Error, Result};
use crate::event::{Event, MovementKind};
use crate::ledger::Decision;
use crate::ledger::allocation::Pending;
use crate::ledger::reservations::reservation;
use crate::model::{Qty, Timestamp, validate_code};

pub(crate) fn pick(
    state: OrdersView<'_>,
    c: &PickOrder,
    now: Timestamp,
    next_seq: u64,
) -> Result<Decision> {
    let o = order(state, &c.order_id)?;
    if !matches!(o.state, OrderState::Allocated | OrderState::Picking) {
        return Err(order_transition(o, "pick"));
    }
    let index = o
        .lines
        .iter()
        .position(|l| l.line == c.line)
        .ok_or_else(|| Error::not_found(EntityKind::OrderLine, format!("{}/{}", o.id, c.line)))?;
    let line = &o.lines[index];
    let item = crate::ledger::active_item(state.ledger, &line.sku)?;
    let loc = crate::ledger::physical_location(state.ledger, &c.location)?;
    if loc.code == o.staging {
        return Err(Error::invalid_argument(
            "location",
            "is the order's staging location",
        ));
    }
    let qty = crate::ledger::movement_qty(item, c.qty, None)?;
    let lot = crate::ledger::check_tracking(item, c.lot.as_ref(), &c.serials, qty)?;
    // The line's reservations at this bin and lot, oldest first.
    let held: Vec<&Reservation> = line
        .reservations
        .iter()
        .filter_map(|id| state.holds.get(id))
        .filter(|r| {
            r.state == ReservationState::Pending && r.scope == loc.code && r.lot.as_ref() == lot
        })
        .collect();
    let held_units: i64 = held.iter().map(|r| r.qty.units()).sum();
    if qty.units() > held_units {
        return Err(Error::InvalidQuantity {
            value: qty.to_string(),
            reason: format!(
                "line {} has {} allocated at {}{}",
                c.line,
                state.qty(&item.sku, held_units),
                loc.code,
                lot.map(|l| format!(" lot {l}")).unwrap_or_default()
            ),
        });
    }
    let mut events = Vec::new();
    let mut new = o.clone();
    let mut left = qty.units();
    let mut first = None;
    for r in &held {
        let take = left.min(r.qty.units());
        if take > 0 {
            events.push(Event::ReservationCommitted {
                id: r.id.clone(),
                qty: state.qty(&item.sku, take),
            });
            left -= take;
            first.get_or_insert(*r);
        }
    }
    // Every reservation consumed is the movement's own hold; they share bin and lot, so
    // one credit for the whole quantity stands for them all.
    let mut credit = first
        .expect("qty > 0 consumes at least one reservation")
        .clone();
    credit.qty = qty;
    crate::ledger::check_take_reserved(
        state.ledger,
        item,
        loc,
        lot,
        &c.serials,
        qty,
        now,
        false,
        Some(&credit),
    )?;
    crate::ledger::check_put(state.ledger, item, (&loc.code, &o.staging), lot, qty)?;
    let mut m = crate::ledger::movement(MovementKind::Pick, item, lot, &loc.code, &o.staging, qty);
    m.serials.clone_from(&c.serials);
    events.push(Event::Moved(m));
    // The picked stock stays held for the order at the staging location.
    let staged_id = format!("{}-L{}-S{}", o.id, c.line, next_seq);
    events.push(Event::ReservationCreated(Reservation {
        id: staged_id.clone(),
        sku: item.sku.clone(),
        scope: o.staging.clone(),
        lot: lot.cloned(),
        hard: true,
        qty,
        requested: qty,
        committed: Qty::from_units(0, item.decimals)?,
        order: Some(o.id.clone()),
        line: Some(c.line),
        created_at: now,
        expires_at: None,
        state: ReservationState::Pending,
    }));
    let scale = item.decimals;
    {
        let nl = &mut new.lines[index];
        nl.allocated = nl.allocated.checked_sub(qty)?.rescale(scale)?;
        nl.picked = nl.picked.checked_add(qty)?.rescale(scale)?;
        nl.picks.push(Pick {
            from: loc.code.clone(),
            lot: lot.cloned(),
            qty,
            serials: c.serials.clone(),
            reservation: staged_id,
        });
    }
    // Reservations fully consumed leave the line's list.
    let consumed: Vec<String> = {
        let mut left = qty.units();
        held.iter()
            .filter_map(|r| {
                let take = left.min(r.qty.units());
                left -= take;
                (take == r.qty.units()).then(|| r.id.clone())
            })
            .collect()
    };
    new.lines[index]
        .reservations
        .retain(|id| !consumed.contains(id));
    let mut seq = next_seq + 1;
    if c.short {
        // The bin held less than allocated: give back the rest there, look elsewhere.
        let mut released = 0i64;
        let mut left = qty.units();
        for r in &held {
            let take = left.min(r.qty.units());
            left -= take;
            let rest = r.qty.units() - take;
            if rest > 0 {
                events.push(Event::ReservationReleased {
                    id: r.id.clone(),
                    qty: state.qty(&item.sku, rest),
                });
                released += rest;
            }
        }
        let nl = &mut new.lines[index];
        nl.reservations
            .retain(|id| !held.iter().any(|r| r.id == *id));
        nl.allocated = Qty::from_units(nl.allocated.units() - released, scale)?;
        if released > 0 {
            let mut pending = Pending::default();
            // This command's own releases are not applied yet: credit them.
            pending.add(
                state.ledger,
                &item.sku,
                &loc.code,
                lot.map_or("", String::as_str),
                -released,
            );
            let excluded = vec![loc.code.clone()];
            allocate_line(
                state,
                &mut pending,
                &mut new,
                index,
                released,
                &Strategy::Fifo,
                now,
                &mut seq,
                &excluded,
                &mut events,
            )?;
        }
    }
    new.state = OrderState::Picking;
    events.push(changed("picked", new));
    Ok(Decision::events(events))
}

pub(crate) fn pack(state: OrdersView<'_>, c: &PackOrder) -> Result<Decision> {
    let o = order(state, &c.order_id)?;
    if o.state != OrderState::Picking {
        return Err(order_transition(o, "pack"));
    }
    if c.packages.is_empty() {
        return Err(Error::invalid_argument("packages", "at least one package"));
    }
    let mut packed: std::collections::HashMap<u32, Qty> = std::collections::HashMap::new();
    let mut ids = std::collections::HashSet::new();
    for p in &c.packages {
        validate_code("package", &p.id)?;
        if !ids.insert(p.id.as_str()) {
            return Err(Error::invalid_argument(
                "packages",
                format!("package {} is given twice", p.id),
            ));
        }
        for content in &p.contents {
            let line = o
                .lines
                .iter()
                .find(|l| l.line == content.line)
                .ok_or_else(|| {
                    Error::not_found(EntityKind::OrderLine, format!("{}/{}", o.id, content.line))
                })?;
            let q = content.qty.rescale(line.ordered.scale())?;
            if q <= Qty::ZERO {
                return Err(Error::InvalidQuantity {
                    value: q.to_string(),
                    reason: "must be positive".into(),
                });
            }
            let sum = packed
                .entry(content.line)
                .or_insert(Qty::from_units(0, q.scale())?);
            *sum = sum.checked_add(q)?;
        }
    }
    for line in &o.lines {
        if !line.allocated.is_zero() {
            return Err(Error::invalid_argument(
                "packages",
                format!(
                    "line {} still has {} allocated and not picked",
                    line.line, line.allocated
                ),
            ));
        }
        let got = packed.get(&line.line).copied().unwrap_or(Qty::ZERO);
        if got != line.picked {
            return Err(Error::invalid_argument(
                "packages",
                format!(
                    "line {} picked {} but the packages hold {got}",
                    line.line, line.picked
                ),
            ));
        }
    }
    if o.lines.iter().all(|l| l.picked.is_zero()) {
        return Err(Error::invalid_argument(
            "packages",
            "nothing has been picked",
        ));
    }
    let mut new = o.clone();
    new.packages.clone_from(&c.packages);
    new.state = OrderState::Packed;
    Ok(Decision::events(vec![changed("packed", new)]))
}

pub(crate) fn ship(state: OrdersView<'_>, c: &OrderStep, now: Timestamp) -> Result<Decision> {
    let o = order(state, &c.order_id)?;
    match o.state {
        OrderState::Packed => {}
        OrderState::Shipped => return Ok(Decision::events(Vec::new())),
        _ => return Err(order_transition(o, "ship")),
    }
    let mut events = Vec::new();
    let mut new = o.clone();
    for line in &mut new.lines {
        let item = crate::ledger::active_item(state.ledger, &line.sku)?;
        for p in &line.picks {
            let r = reservation(state.ledger, &p.reservation)?;
            let staging = crate::ledger::physical_location(state.ledger, &o.staging)?;
            crate::ledger::check_take_reserved(
                state.ledger,
                item,
                staging,
                p.lot.as_ref(),
                &p.serials,
                p.qty,
                now,
                true,
                Some(r),
            )?;
            crate::ledger::check_put(
                state.ledger,
                item,
                (&o.staging, &o.ship_to),
                p.lot.as_ref(),
                p.qty,
            )?;
            events.push(Event::ReservationCommitted {
                id: r.id.clone(),
                qty: p.qty,
            });
            let mut m = crate::ledger::movement(
                MovementKind::Ship,
                item,
                p.lot.as_ref(),
                &o.staging,
                &o.ship_to,
                p.qty,
            );
            m.serials.clone_from(&p.serials);
            events.push(Event::Moved(m));
        }
        line.shipped = line
            .shipped
            .checked_add(line.picked)?
            .rescale(item.decimals)?;
        line.picked = Qty::from_units(0, item.decimals)?;
        line.picks.clear();
    }
    new.state = if new.lines.iter().all(|l| l.backordered.is_zero()) {
        OrderState::Shipped
    } else {
        OrderState::Backordered
    };
    events.push(changed("shipped", new));
    Ok(Decision::events(events))
}

pub(crate) fn deliver(state: OrdersView<'_>, c: &OrderStep) -> Result<Decision> {
    simple_step(
        state,
        c,
        (OrderState::Shipped, OrderState::Delivered),
        ("deliver", "delivered"),
    )
}

pub(crate) fn cancel(state: OrdersView<'_>, c: &CancelOrder) -> Result<Decision> {
    let o = order(state, &c.order_id)?;
    match o.state {
        OrderState::Cancelled => return Ok(Decision::events(Vec::new())),
        OrderState::Shipped | OrderState::Delivered => return Err(order_transition(o, "cancel")),
        _ => {}
    }
    let return_to = match &c.return_to {
        Some(code) => Some(
            crate::ledger::physical_location(state.ledger, code)?
                .code
                .clone(),
        ),
        None => None,
    };
    let mut events = Vec::new();
    let mut new = o.clone();
    for line in &mut new.lines {
        let item = crate::ledger::active_item(state.ledger, &line.sku)?;
        for id in &line.reservations {
            if let Some(r) = state
                .holds
                .get(id)
                .filter(|r| r.state == ReservationState::Pending)
            {
                events.push(Event::ReservationReleased {
                    id: r.id.clone(),
                    qty: r.qty,
                });
            }
        }
        for p in &line.picks {
            if let Some(r) = state
                .holds
                .get(&p.reservation)
                .filter(|r| r.state == ReservationState::Pending)
            {
                events.push(Event::ReservationReleased {
                    id: r.id.clone(),
                    qty: r.qty,
                });
            }
            let dest = return_to.clone().unwrap_or_else(|| p.from.clone());
            if dest != o.staging {
                crate::ledger::check_put(
                    state.ledger,
                    item,
                    (&o.staging, &dest),
                    p.lot.as_ref(),
                    p.qty,
                )?;
                let mut m = crate::ledger::movement(
                    MovementKind::Return,
                    item,
                    p.lot.as_ref(),
                    &o.staging,
                    &dest,
                    p.qty,
                );
                m.serials.clone_from(&p.serials);
                events.push(Event::Moved(m));
            }
        }
        let zero = Qty::from_units(0, item.decimals)?;
        line.allocated = zero;
        line.picked = zero;
        line.backordered = zero;
        line.picks.clear();
        line.reservations.clear();
    }
    new.packages.clear();
    new.state = OrderState::Cancelled;
    events.push(changed("cancelled", new));
    Ok(Decision::events(events))
}
