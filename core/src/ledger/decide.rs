//! The rules of the ledger's own commands: master data (items, locations, lots) and the
//! movements (receive, issue, ship, adjust, scrap, transfer, dispatch, count). Each is a
//! pure function of the state: the events the command becomes, or why it is refused.

use super::Ledger;
use super::rules::{
    active_item, active_location, check_put, check_take, check_take_within, check_tracking,
    check_unreserved, fill_expiry, in_transit, lot_event, movement, movement_qty,
    physical_location, tracking, virtual_location,
};
use super::{
    Adjust, Count, Decision, Dispatch, Issue, Receive, ReceiveTransfer, ReturnStock, Scrap,
    Transfer,
};
use crate::error::{EntityKind, Error, Result};
use crate::event::{CountRecord, Event, MovementKind, TransferRecord};
use crate::model::reservation::ReservationState;
use crate::model::{
    Item, Location, LocationKind, Lot, Qty, Timestamp, Tracking, validate_code,
    virtual_locations as vl,
};

/// An item is defined once, with a valid code and not archived.
pub(crate) fn define_item(state: Ledger<'_>, item: &Item) -> Result<Decision> {
    item.validate()?;
    if state.items.contains_key(&item.sku) {
        return Err(Error::AlreadyExists {
            kind: EntityKind::Item,
            key: item.sku.clone(),
        });
    }
    if item.archived {
        return Err(Error::invalid_argument(
            "archived",
            "define the item, then archive it",
        ));
    }
    Ok(Decision::events(vec![Event::ItemDefined(item.clone())]))
}

/// An item's master data may change, but not its precision or tracking once it moved.
pub(crate) fn update_item(state: Ledger<'_>, item: &Item) -> Result<Decision> {
    item.validate()?;
    let old = active_item(state, &item.sku)?;
    if state.item_moved(&item.sku)
        && (old.decimals != item.decimals || old.tracking != item.tracking)
    {
        return Err(Error::invalid_argument(
            if old.decimals == item.decimals {
                "tracking"
            } else {
                "decimals"
            },
            "cannot change once the item has moved",
        ));
    }
    let mut new = item.clone();
    new.archived = false;
    Ok(Decision::events(vec![Event::ItemUpdated(new)]))
}

/// An item is archived once it holds no stock, here or in transit.
pub(crate) fn archive_item(state: Ledger<'_>, sku: &String) -> Result<Decision> {
    active_item(state, sku)?;
    // Stock in transit is still the item's: archiving would strand it.
    if state.stocked_item.contains_key(sku) || in_transit(state, |t| t.sku == *sku) {
        return Err(Error::NotEmpty {
            kind: EntityKind::Item,
            key: sku.clone(),
        });
    }
    Ok(Decision::events(vec![Event::ItemArchived {
        sku: sku.clone(),
    }]))
}

/// A location is defined once, under an active parent.
pub(crate) fn define_location(state: Ledger<'_>, loc: &Location) -> Result<Decision> {
    loc.validate()?;
    if state.locations.contains_key(&loc.code) {
        return Err(Error::AlreadyExists {
            kind: EntityKind::Location,
            key: loc.code.clone(),
        });
    }
    if loc.archived {
        return Err(Error::invalid_argument(
            "archived",
            "define it, then archive it",
        ));
    }
    if let Some(parent) = &loc.parent {
        active_location(state, parent)?;
    }
    Ok(Decision::events(vec![Event::LocationDefined(loc.clone())]))
}

/// A location's master data may change; a subtree holding stock keeps its place.
pub(crate) fn update_location(state: Ledger<'_>, loc: &Location) -> Result<Decision> {
    loc.validate()?;
    let old = active_location(state, &loc.code)?;
    if let Some(parent) = &loc.parent {
        active_location(state, parent)?;
        let mut cursor = Some(parent.as_str());
        while let Some(code) = cursor {
            if code == loc.code {
                return Err(Error::HierarchyCycle {
                    location: loc.code.clone(),
                    parent: parent.clone(),
                });
            }
            cursor = state.locations.get(code).and_then(|l| l.parent.as_deref());
        }
    }
    let holds = |code: &str| {
        state.subtree(code).iter().any(|l| {
            state.stocked_at.contains_key(l)
                || state
                    .holds
                    .reservations
                    .values()
                    .any(|r| r.scope == *l && r.state == ReservationState::Pending)
        })
    };
    // Roll-ups follow the tree: a subtree holding stock keeps its place in it.
    if old.parent != loc.parent && holds(&loc.code) {
        return Err(Error::NotEmpty {
            kind: EntityKind::Location,
            key: loc.code.clone(),
        });
    }
    if old.kind.is_virtual() != loc.kind.is_virtual() && state.stocked_at.contains_key(&loc.code) {
        return Err(Error::NotEmpty {
            kind: EntityKind::Location,
            key: loc.code.clone(),
        });
    }
    let mut new = loc.clone();
    new.archived = false;
    Ok(Decision::events(vec![Event::LocationUpdated(new)]))
}

/// A location is archived once its subtree is empty and its children archived.
pub(crate) fn archive_location(state: Ledger<'_>, code: &String) -> Result<Decision> {
    validate_code("location", code)?;
    if code.starts_with('@') {
        return Err(Error::InvalidCode {
            kind: "location".into(),
            code: code.clone(),
            reason: "built-in locations cannot be archived".into(),
        });
    }
    active_location(state, code)?;
    for loc in state.subtree(code) {
        // An open transfer to it could never be received once it is archived.
        if state.stocked_at.contains_key(&loc) || in_transit(state, |t| t.to == loc) {
            return Err(Error::NotEmpty {
                kind: EntityKind::Location,
                key: code.clone(),
            });
        }
        if loc != *code && state.locations.get(&loc).is_some_and(|l| !l.archived) {
            return Err(Error::invalid_argument(
                "code",
                format!("child location {loc} is active; archive it first"),
            ));
        }
    }
    Ok(Decision::events(vec![Event::LocationArchived {
        code: code.clone(),
    }]))
}

/// A lot of a lot-tracked item is defined, or its dates change.
pub(crate) fn define_lot(state: Ledger<'_>, lot: &Lot) -> Result<Decision> {
    let item = active_item(state, &lot.sku)?;
    if item.tracking != Tracking::Lot {
        return Err(tracking(item, "is not lot-tracked"));
    }
    validate_code("lot", &lot.lot)?;
    let mut rec = lot.clone();
    rec.first_received = state
        .lots
        .get(&(lot.sku.clone(), lot.lot.clone()))
        .and_then(|l| l.first_received);
    fill_expiry(item, &mut rec);
    Ok(Decision::events(vec![Event::LotDefined(rec)]))
}

/// Stock written off to scrap.
pub(crate) fn scrap(state: Ledger<'_>, s: &Scrap, now: Timestamp) -> Result<Decision> {
    if let Some(code) = &s.reason_code {
        validate_code("reason_code", code)?;
    }
    let item = active_item(state, &s.sku)?;
    let loc = physical_location(state, &s.location)?;
    let qty = movement_qty(item, s.qty, s.unit.as_deref())?;
    let lot = check_tracking(item, s.lot.as_ref(), &s.serials, qty)?;
    check_take(state, item, loc, lot, &s.serials, qty, now, true)?;
    check_put(state, item, (&loc.code, vl::SCRAP), lot, qty)?;
    let mut m = movement(MovementKind::Scrap, item, lot, &loc.code, vl::SCRAP, qty);
    m.serials.clone_from(&s.serials);
    m.reason_code.clone_from(&s.reason_code);
    Ok(Decision::events(vec![Event::Moved(m)]))
}

/// Stock moved between two physical locations in one step.
pub(crate) fn transfer(state: Ledger<'_>, t: &Transfer, now: Timestamp) -> Result<Decision> {
    let item = active_item(state, &t.sku)?;
    let from = physical_location(state, &t.from)?;
    let to = physical_location(state, &t.to)?;
    if from.code == to.code {
        return Err(Error::invalid_argument(
            "to",
            "is the same location as from",
        ));
    }
    let qty = movement_qty(item, t.qty, t.unit.as_deref())?;
    let lot = check_tracking(item, t.lot.as_ref(), &t.serials, qty)?;
    // Ancestors of both ends keep the stock: only the subtrees it leaves are checked.
    check_take_within(
        state,
        item,
        from,
        lot,
        &t.serials,
        qty,
        now,
        t.allow_expired,
        None,
        Some(&to.code),
    )?;
    check_put(state, item, (&from.code, &to.code), lot, qty)?;
    let mut m = movement(MovementKind::Transfer, item, lot, &from.code, &to.code, qty);
    m.serials.clone_from(&t.serials);
    Ok(Decision::events(vec![Event::Moved(m)]))
}

/// A physical location that takes stock arriving from outside (a receipt, a return).
fn receivable_location<'a>(state: Ledger<'a>, code: &str) -> Result<&'a Location> {
    let loc = physical_location(state, code)?;
    if !loc.receivable {
        return Err(Error::invalid_argument(
            "location",
            format!("{} is not receivable", loc.code),
        ));
    }
    Ok(loc)
}

/// Serials arriving from outside must not be in stock anywhere already.
fn check_serials_arriving(state: Ledger<'_>, item: &Item, serials: &[String]) -> Result<()> {
    for serial in serials {
        if let Some(at) = state.serials.get(&(item.sku.clone(), serial.clone()))
            && !state.is_virtual(at)
        {
            return Err(tracking(
                item,
                &format!("serial {serial} is already at {at}"),
            ));
        }
    }
    Ok(())
}

/// Stock received from a supplier.
pub(crate) fn receive(state: Ledger<'_>, r: &Receive) -> Result<Decision> {
    let item = active_item(state, &r.sku)?;
    let loc = receivable_location(state, &r.location)?;
    let from = match &r.from {
        Some(code) => virtual_location(state, code, LocationKind::Supplier)?,
        None => vl::SUPPLIER,
    };
    let qty = movement_qty(item, r.qty, r.unit.as_deref())?;
    let lot = check_tracking(item, r.lot.as_ref(), &r.serials, qty)?;
    if let Some(cost) = r.unit_cost
        && cost.is_negative()
    {
        return Err(Error::invalid_argument("unit_cost", "must not be negative"));
    }
    if let Some(currency) = &r.currency {
        if currency.len() != 3 || !currency.bytes().all(|b| b.is_ascii_uppercase()) {
            return Err(Error::invalid_argument(
                "currency",
                "must be an ISO 4217 code such as EUR",
            ));
        }
        if r.unit_cost.is_none() {
            return Err(Error::invalid_argument(
                "currency",
                "given without a unit_cost",
            ));
        }
    }
    check_serials_arriving(state, item, &r.serials)?;
    let mut events = Vec::with_capacity(2);
    if let Some(lot_code) = lot {
        events.extend(lot_event(state, item, lot_code, r.expiry, r.produced)?);
    } else if r.expiry.is_some() || r.produced.is_some() {
        return Err(Error::invalid_argument(
            "expiry",
            "dates belong to lots; the item has none",
        ));
    }
    check_put(state, item, (from, &loc.code), lot, qty)?;
    let mut m = movement(MovementKind::Receive, item, lot, from, &loc.code, qty);
    m.serials.clone_from(&r.serials);
    m.unit_cost = r.unit_cost;
    m.currency.clone_from(&r.currency);
    events.push(Event::Moved(m));
    Ok(Decision::events(events))
}

/// Stock a customer sends back, into a receivable location: a `return` movement from the
/// customer location. Its serials must not be in stock anywhere; a lot the book has not
/// seen yet is defined (stock sold before the book kept it).
pub(crate) fn return_stock(state: Ledger<'_>, r: &ReturnStock) -> Result<Decision> {
    let item = active_item(state, &r.sku)?;
    let loc = receivable_location(state, &r.location)?;
    let from = match &r.from {
        Some(code) => virtual_location(state, code, LocationKind::Customer)?,
        None => vl::CUSTOMER,
    };
    if let Some(reason) = &r.reason_code {
        validate_code("reason_code", reason)?;
    }
    let qty = movement_qty(item, r.qty, r.unit.as_deref())?;
    let lot = check_tracking(item, r.lot.as_ref(), &r.serials, qty)?;
    check_serials_arriving(state, item, &r.serials)?;
    let mut events = Vec::with_capacity(2);
    if let Some(lot_code) = lot {
        events.extend(lot_event(state, item, lot_code, None, None)?);
    }
    check_put(state, item, (from, &loc.code), lot, qty)?;
    let mut m = movement(MovementKind::Return, item, lot, from, &loc.code, qty);
    m.serials.clone_from(&r.serials);
    m.reason_code.clone_from(&r.reason_code);
    events.push(Event::Moved(m));
    Ok(Decision::events(events))
}

/// Stock issued or shipped out of a location.
pub(crate) fn issue(
    state: Ledger<'_>,
    i: &Issue,
    kind: MovementKind,
    now: Timestamp,
) -> Result<Decision> {
    let item = active_item(state, &i.sku)?;
    let loc = physical_location(state, &i.location)?;
    let to = match &i.to {
        Some(code) => virtual_location(state, code, LocationKind::Customer)?,
        None => vl::CUSTOMER,
    };
    let qty = movement_qty(item, i.qty, i.unit.as_deref())?;
    let lot = check_tracking(item, i.lot.as_ref(), &i.serials, qty)?;
    check_take(state, item, loc, lot, &i.serials, qty, now, i.allow_expired)?;
    check_put(state, item, (&loc.code, to), lot, qty)?;
    let mut m = movement(kind, item, lot, &loc.code, to, qty);
    m.serials.clone_from(&i.serials);
    Ok(Decision::events(vec![Event::Moved(m)]))
}

/// A balance corrected up or down.
pub(crate) fn adjust(state: Ledger<'_>, a: &Adjust, now: Timestamp) -> Result<Decision> {
    validate_code("reason_code", &a.reason_code)?;
    let item = active_item(state, &a.sku)?;
    let loc = physical_location(state, &a.location)?;
    let signed = item.to_base(a.qty, a.unit.as_deref())?;
    if signed.is_zero() {
        return Err(Error::InvalidQuantity {
            value: a.qty.to_string(),
            reason: "is zero".into(),
        });
    }
    let qty = if signed.is_negative() {
        signed.checked_neg()?
    } else {
        signed
    };
    let lot = check_tracking(item, a.lot.as_ref(), &a.serials, qty)?;
    let mut events = Vec::with_capacity(2);
    let mut m = if signed.is_negative() {
        check_take(state, item, loc, lot, &a.serials, qty, now, true)?;
        check_put(state, item, (&loc.code, vl::ADJUSTMENT), lot, qty)?;
        movement(
            MovementKind::Adjust,
            item,
            lot,
            &loc.code,
            vl::ADJUSTMENT,
            qty,
        )
    } else {
        if let Some(lot_code) = lot {
            events.extend(lot_event(state, item, lot_code, None, None)?);
        }
        for serial in &a.serials {
            if let Some(at) = state.serials.get(&(a.sku.clone(), serial.clone()))
                && !state.is_virtual(at)
            {
                return Err(tracking(
                    item,
                    &format!("serial {serial} is already at {at}"),
                ));
            }
        }
        check_put(state, item, (vl::ADJUSTMENT, &loc.code), lot, qty)?;
        movement(
            MovementKind::Adjust,
            item,
            lot,
            vl::ADJUSTMENT,
            &loc.code,
            qty,
        )
    };
    m.serials.clone_from(&a.serials);
    m.reason_code = Some(a.reason_code.clone());
    events.push(Event::Moved(m));
    Ok(Decision::events(events))
}

/// Stock dispatched into transit.
pub(crate) fn dispatch(
    state: Ledger<'_>,
    d: &Dispatch,
    now: Timestamp,
    next_seq: u64,
) -> Result<Decision> {
    let id = d
        .transfer_id
        .clone()
        .unwrap_or_else(|| format!("TR-{next_seq}"));
    validate_code("transfer", &id)?;
    if state.transfers.contains_key(&id) {
        return Err(Error::AlreadyExists {
            kind: EntityKind::Transfer,
            key: id,
        });
    }
    let item = active_item(state, &d.sku)?;
    let from = physical_location(state, &d.from)?;
    let to = physical_location(state, &d.to)?;
    if from.code == to.code {
        return Err(Error::invalid_argument(
            "to",
            "is the same location as from",
        ));
    }
    let qty = movement_qty(item, d.qty, d.unit.as_deref())?;
    let lot = check_tracking(item, d.lot.as_ref(), &d.serials, qty)?;
    check_take(
        state,
        item,
        from,
        lot,
        &d.serials,
        qty,
        now,
        d.allow_expired,
    )?;
    check_put(state, item, (&from.code, vl::IN_TRANSIT), lot, qty)?;
    let record = TransferRecord {
        id: id.clone(),
        sku: item.sku.clone(),
        lot: lot.cloned(),
        from: from.code.clone(),
        to: to.code.clone(),
        dispatched: qty,
        received: Qty::from_units(0, item.decimals)?,
        serials_in_transit: d.serials.clone(),
    };
    let mut m = movement(
        MovementKind::Dispatch,
        item,
        lot,
        &from.code,
        vl::IN_TRANSIT,
        qty,
    );
    m.serials.clone_from(&d.serials);
    m.transfer = Some(id.clone());
    Ok(Decision {
        events: vec![Event::TransferDispatched(record), Event::Moved(m)],
        transfer_id: Some(id),
        difference: None,
        reservation_id: None,
    })
}

/// Stock of a dispatched transfer received.
pub(crate) fn receive_transfer(state: Ledger<'_>, r: &ReceiveTransfer) -> Result<Decision> {
    validate_code("transfer", &r.transfer_id)?;
    let t = state
        .transfers
        .get(&r.transfer_id)
        .ok_or_else(|| Error::not_found(EntityKind::Transfer, &r.transfer_id))?;
    let item = active_item(state, &t.sku)?;
    let to = physical_location(state, &t.to)?;
    let qty = movement_qty(item, r.qty, r.unit.as_deref())?;
    let remaining = t.dispatched.checked_sub(t.received)?;
    if remaining.is_zero() {
        return Err(Error::InvalidTransition {
            entity: EntityKind::Transfer,
            id: t.id.clone(),
            state: "received".into(),
            step: "receive".into(),
        });
    }
    if qty > remaining {
        return Err(Error::InvalidQuantity {
            value: qty.to_string(),
            reason: format!("exceeds the {remaining} still in transit"),
        });
    }
    check_tracking(item, t.lot.as_ref(), &r.serials, qty)?;
    for serial in &r.serials {
        if !t.serials_in_transit.contains(serial) {
            return Err(tracking(
                item,
                &format!("serial {serial} is not in transfer {}", t.id),
            ));
        }
    }
    check_put(state, item, (vl::IN_TRANSIT, &to.code), t.lot.as_ref(), qty)?;
    let mut m = movement(
        MovementKind::TransferReceipt,
        item,
        t.lot.as_ref(),
        vl::IN_TRANSIT,
        &to.code,
        qty,
    );
    m.serials.clone_from(&r.serials);
    m.transfer = Some(t.id.clone());
    Ok(Decision::events(vec![
        Event::TransferReceived {
            id: t.id.clone(),
            qty,
            serials: r.serials.clone(),
        },
        Event::Moved(m),
    ]))
}

/// A cycle count, and the difference it posts.
pub(crate) fn count(state: Ledger<'_>, c: &Count) -> Result<Decision> {
    let item = active_item(state, &c.sku)?;
    if item.tracking == Tracking::Serial {
        return Err(tracking(
            item,
            "serial-tracked items are counted by scanning serials",
        ));
    }
    let loc = physical_location(state, &c.location)?;
    let counted = item.to_base(c.counted, c.unit.as_deref())?;
    if counted.is_negative() {
        return Err(Error::InvalidQuantity {
            value: c.counted.to_string(),
            reason: "a count cannot be negative".into(),
        });
    }
    let lot = check_tracking(item, c.lot.as_ref(), &[], counted)?;
    let lot_key = lot.map_or("", String::as_str);
    let expected_units = state.balance(&item.sku, &loc.code, lot_key);
    let expected = Qty::from_units(expected_units, item.decimals)?;
    let difference = counted.checked_sub(expected)?.rescale(item.decimals)?;
    let mut events = Vec::with_capacity(3);
    if let Some(lot_code) = lot
        && !state
            .lots
            .contains_key(&(item.sku.clone(), lot_code.clone()))
    {
        events.extend(lot_event(state, item, lot_code, None, None)?);
    }
    events.push(Event::Counted(CountRecord {
        sku: item.sku.clone(),
        location: loc.code.clone(),
        lot: lot.cloned(),
        counted,
        expected,
    }));
    if !difference.is_zero() {
        let qty = if difference.is_negative() {
            difference.checked_neg()?
        } else {
            difference
        };
        let (from, to) = if difference.is_negative() {
            // A count below what is reserved here would leave reservations holding stock
            // that is not there: refused, so that the holder releases or re-allocates
            // first and the invariant reserved <= on hand never breaks.
            check_unreserved(
                state,
                &item.sku,
                &loc.code,
                lot.map(String::as_str),
                qty.units(),
                None,
                None,
            )?;
            (loc.code.as_str(), vl::ADJUSTMENT)
        } else {
            (vl::ADJUSTMENT, loc.code.as_str())
        };
        check_put(state, item, (from, to), lot, qty)?;
        events.push(Event::Moved(movement(
            MovementKind::Count,
            item,
            lot,
            from,
            to,
            qty,
        )));
    }
    Ok(Decision {
        events,
        transfer_id: None,
        difference: Some(difference),
        reservation_id: None,
    })
}
