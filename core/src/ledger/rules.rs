//! The rules every command shares: which items and locations are active, quantities and
//! tracking, and whether stock may leave or enter a balance. Reservations and the
//! contexts above call them for every movement they decide.

use super::Ledger;
use super::SERIALS_PER_MOVEMENT_MAX;
use crate::error::{EntityKind, Error, Result};
use crate::event::{Event, Movement, MovementKind, TransferRecord};
use crate::model::reservation::Reservation;
use crate::model::{
    DAY_MS, Item, Location, LocationKind, Lot, Qty, Timestamp, Tracking, validate_code,
};

/// True when a two-step transfer matching `pred` still has stock in transit.
pub(crate) fn in_transit(state: Ledger<'_>, pred: impl Fn(&TransferRecord) -> bool) -> bool {
    state
        .transfers
        .values()
        .any(|t| t.received < t.dispatched && pred(t))
}

pub(crate) fn active_item<'a>(state: Ledger<'a>, sku: &str) -> Result<&'a Item> {
    validate_code("sku", sku)?;
    let item = state
        .stock
        .items
        .get(sku)
        .ok_or_else(|| Error::not_found(EntityKind::Item, sku))?;
    if item.archived {
        return Err(Error::Archived {
            kind: EntityKind::Item,
            key: sku.to_owned(),
        });
    }
    Ok(item)
}

pub(crate) fn active_location<'a>(state: Ledger<'a>, code: &str) -> Result<&'a Location> {
    validate_code("location", code)?;
    let loc = state
        .stock
        .locations
        .get(code)
        .ok_or_else(|| Error::not_found(EntityKind::Location, code))?;
    if loc.archived {
        return Err(Error::Archived {
            kind: EntityKind::Location,
            key: code.to_owned(),
        });
    }
    Ok(loc)
}

pub(crate) fn physical_location<'a>(state: Ledger<'a>, code: &str) -> Result<&'a Location> {
    let loc = active_location(state, code)?;
    if loc.kind.is_virtual() {
        return Err(Error::invalid_argument(
            "location",
            format!("{code} is a virtual {} location", loc.kind.as_str()),
        ));
    }
    Ok(loc)
}

pub(crate) fn virtual_location<'a>(
    state: Ledger<'a>,
    code: &'a str,
    kind: LocationKind,
) -> Result<&'a str> {
    let loc = active_location(state, code)?;
    if loc.kind != kind {
        return Err(Error::invalid_argument(
            "location",
            format!("{code} is not a {} location", kind.as_str()),
        ));
    }
    Ok(code)
}

/// A positive movement quantity in base units at the item's precision.
pub(crate) fn movement_qty(item: &Item, qty: Qty, unit: Option<&str>) -> Result<Qty> {
    let base = item.to_base(qty, unit)?;
    if base <= Qty::ZERO {
        return Err(Error::InvalidQuantity {
            value: qty.to_string(),
            reason: "must be positive".into(),
        });
    }
    Ok(base)
}

pub(crate) fn tracking(item: &Item, reason: &str) -> Error {
    Error::Tracking {
        sku: item.sku.clone(),
        reason: reason.to_owned(),
    }
}

/// Checks lot and serials against the item's tracking; returns the lot to use.
pub(crate) fn check_tracking<'a>(
    item: &Item,
    lot: Option<&'a String>,
    serials: &[String],
    qty: Qty,
) -> Result<Option<&'a String>> {
    match (item.tracking, lot) {
        (Tracking::Lot, None) => return Err(tracking(item, "is lot-tracked: a lot is required")),
        (Tracking::Lot, Some(code)) => validate_code("lot", code)?,
        (_, Some(_)) => return Err(tracking(item, "is not lot-tracked: no lot is taken")),
        (_, None) => {}
    }
    if item.tracking == Tracking::Serial {
        if serials.len() > SERIALS_PER_MOVEMENT_MAX {
            return Err(Error::invalid_argument(
                "serials",
                "too many for one movement",
            ));
        }
        if i64::try_from(serials.len()).ok() != Some(qty.units()) {
            return Err(tracking(
                item,
                &format!(
                    "is serial-tracked: {qty} units need {qty} serials, got {}",
                    serials.len()
                ),
            ));
        }
        let mut seen = std::collections::HashSet::with_capacity(serials.len());
        for s in serials {
            validate_code("serial", s)?;
            if !seen.insert(s.as_str()) {
                return Err(tracking(item, &format!("serial {s} is given twice")));
            }
        }
    } else if !serials.is_empty() {
        return Err(tracking(
            item,
            "is not serial-tracked: no serials are taken",
        ));
    }
    Ok(lot)
}

/// Checks that `qty` can leave `loc`: lot known and not expired, serials there, enough on
/// hand unless the item allows negative stock, and nothing reserved left uncovered.
#[allow(clippy::too_many_arguments)]
pub(crate) fn check_take(
    state: Ledger<'_>,
    item: &Item,
    loc: &Location,
    lot: Option<&String>,
    serials: &[String],
    qty: Qty,
    now: Timestamp,
    allow_expired: bool,
) -> Result<()> {
    check_take_reserved(
        state,
        item,
        loc,
        lot,
        serials,
        qty,
        now,
        allow_expired,
        None,
    )
}

/// [`check_take`] for a movement that consumes the reservation `credit`.
#[allow(clippy::too_many_arguments)]
pub(crate) fn check_take_reserved(
    state: Ledger<'_>,
    item: &Item,
    loc: &Location,
    lot: Option<&String>,
    serials: &[String],
    qty: Qty,
    now: Timestamp,
    allow_expired: bool,
    credit: Option<&Reservation>,
) -> Result<()> {
    check_take_within(
        state,
        item,
        loc,
        lot,
        serials,
        qty,
        now,
        allow_expired,
        credit,
        None,
    )
}

/// [`check_take_reserved`] for a movement to `kept_in`, a physical location: the
/// ancestors it shares with `loc` keep the stock, so their reservations do not stop it.
#[allow(clippy::too_many_arguments)]
pub(crate) fn check_take_within(
    state: Ledger<'_>,
    item: &Item,
    loc: &Location,
    lot: Option<&String>,
    serials: &[String],
    qty: Qty,
    now: Timestamp,
    allow_expired: bool,
    credit: Option<&Reservation>,
    kept_in: Option<&str>,
) -> Result<()> {
    if let Some(lot_code) = lot {
        let rec = state
            .lots
            .get(&(item.sku.clone(), lot_code.clone()))
            .ok_or_else(|| Error::not_found(EntityKind::Lot, format!("{}/{lot_code}", item.sku)))?;
        if let Some(expiry) = rec.expiry
            && expiry <= now
            && !allow_expired
        {
            return Err(Error::LotExpired {
                sku: item.sku.clone(),
                lot: lot_code.clone(),
                expiry_ms: expiry,
            });
        }
    }
    for serial in serials {
        let at = state.serials.get(&(item.sku.clone(), serial.clone()));
        if at != Some(&loc.code) {
            return Err(tracking(
                item,
                &format!("serial {serial} is not at {}", loc.code),
            ));
        }
    }
    let on_hand = state.balance(&item.sku, &loc.code, lot.map_or("", String::as_str));
    let after = on_hand
        .checked_sub(qty.units())
        .filter(|_| fits(state, &item.sku, &loc.code, lot, -qty.units()))
        .ok_or_else(|| Error::InvalidQuantity {
            value: qty.to_string(),
            reason: "overflow".into(),
        })?;
    if after < 0 && !item.allow_negative {
        return Err(Error::InsufficientStock {
            sku: item.sku.clone(),
            location: loc.code.clone(),
            lot: lot.cloned(),
            requested: qty.to_string(),
            available: state.qty(&item.sku, on_hand.max(0)).to_string(),
        });
    }
    check_unreserved(
        state,
        &item.sku,
        &loc.code,
        lot.map(String::as_str),
        qty.units(),
        credit,
        kept_in,
    )
}

/// Checks that `qty` can move from `from` to `to` without overflowing either balance
/// (the virtual side of a receipt grows ever more negative).
pub(crate) fn check_put(
    state: Ledger<'_>,
    item: &Item,
    (from, to): (&str, &str),
    lot: Option<&String>,
    qty: Qty,
) -> Result<()> {
    if !fits(state, &item.sku, to, lot, qty.units())
        || !fits(state, &item.sku, from, lot, -qty.units())
    {
        return Err(Error::InvalidQuantity {
            value: qty.to_string(),
            reason: "overflow".into(),
        });
    }
    Ok(())
}

/// True when adding `delta` to the balance of (`sku`, `loc`, `lot`) and to the roll-ups of
/// every location above it stays in range: two bins that each fit may not fit together.
fn fits(state: Ledger<'_>, sku: &str, loc: &str, lot: Option<&String>, delta: i64) -> bool {
    let lot = lot.map_or("", String::as_str);
    state.balance(sku, loc, lot).checked_add(delta).is_some()
        && (state.is_virtual(loc)
            || state.chain(loc).iter().all(|node| {
                state.on_hand_rollup(sku, node).checked_add(delta).is_some()
                    && state
                        .on_hand_lot_rollup(sku, node, lot)
                        .checked_add(delta)
                        .is_some()
            }))
}

/// The `LotDefined` event a movement into `lot` needs, if the lot is new; refuses dates
/// that contradict an existing lot.
pub(crate) fn lot_event(
    state: Ledger<'_>,
    item: &Item,
    lot: &str,
    expiry: Option<Timestamp>,
    produced: Option<Timestamp>,
) -> Result<Option<Event>> {
    match state.lots.get(&(item.sku.clone(), lot.to_owned())) {
        Some(existing) => {
            if expiry.is_some() && expiry != existing.expiry {
                return Err(Error::invalid_argument(
                    "expiry",
                    format!("lot {lot} already has another expiry; use define_lot to change it"),
                ));
            }
            if produced.is_some() && produced != existing.produced {
                return Err(Error::invalid_argument(
                    "produced",
                    format!("lot {lot} already has another production date"),
                ));
            }
            Ok(None)
        }
        None => {
            let mut rec = Lot {
                sku: item.sku.clone(),
                lot: lot.to_owned(),
                expiry,
                produced,
                first_received: None,
            };
            fill_expiry(item, &mut rec);
            Ok(Some(Event::LotDefined(rec)))
        }
    }
}

/// A lot with a production date and no expiry expires after the item's shelf life.
pub(crate) fn fill_expiry(item: &Item, lot: &mut Lot) {
    if lot.expiry.is_none()
        && let (Some(produced), Some(days)) = (lot.produced, item.shelf_life_days)
    {
        lot.expiry = Some(produced.saturating_add(i64::from(days) * DAY_MS));
    }
}

pub(crate) fn movement(
    kind: MovementKind,
    item: &Item,
    lot: Option<&String>,
    from: &str,
    to: &str,
    qty: Qty,
) -> Movement {
    Movement {
        kind,
        sku: item.sku.clone(),
        lot: lot.cloned(),
        from: from.to_owned(),
        to: to.to_owned(),
        qty,
        serials: Vec::new(),
        unit_cost: None,
        currency: None,
        reason_code: None,
        transfer: None,
    }
}

/// An `invalid_transition` error: `entity` `id` in `state` cannot take `step`.
pub(crate) fn transition(entity: EntityKind, id: &str, state: &str, step: &str) -> Error {
    Error::InvalidTransition {
        entity,
        id: id.to_owned(),
        state: state.to_owned(),
        step: step.to_owned(),
    }
}

/// An `insufficient_stock` error for `want` units of which `free` are free at `node`.
pub(crate) fn insufficient(
    state: Ledger<'_>,
    sku: &str,
    node: &str,
    lot: Option<&str>,
    want: i64,
    free: i64,
) -> Error {
    Error::InsufficientStock {
        sku: sku.to_owned(),
        location: node.to_owned(),
        lot: lot.map(str::to_owned),
        requested: state.qty(sku, want).to_string(),
        available: state.qty(sku, free.max(0)).to_string(),
    }
}

/// Checks that taking `units` of `sku` (and `lot`) out of `location` leaves every subtree
/// on the way to the root holding at least what is reserved in it. `credit` is a
/// reservation the movement consumes: its own hold does not count against it. `kept_in`
/// is where the stock goes, if it stays in the tree.
pub(crate) fn check_unreserved(
    state: Ledger<'_>,
    sku: &str,
    location: &str,
    lot: Option<&str>,
    units: i64,
    credit: Option<&Reservation>,
    kept_in: Option<&str>,
) -> Result<()> {
    let credited = credit
        .map(|r| (state.chain(&r.scope), r))
        .filter(|(_, r)| r.sku == sku);
    // A movement to `kept_in` leaves the stock in every subtree holding both ends.
    let kept = kept_in.map(|k| state.chain(k)).unwrap_or_default();
    for node in state.chain(location) {
        if kept.contains(&node) {
            continue;
        }
        let own = credited
            .as_ref()
            .filter(|(chain, _)| chain.contains(&node))
            .map_or(0, |(_, r)| r.qty.units().min(units));
        let reserved = state.reserved_rollup(sku, &node) - own;
        if reserved > 0 {
            let left = state.on_hand_rollup(sku, &node) - units;
            if left < reserved {
                let free = state.on_hand_rollup(sku, &node) - reserved;
                return Err(insufficient(state, sku, &node, lot, units, free));
            }
        }
        if let Some(lot) = lot {
            let own_lot = credited
                .as_ref()
                .filter(|(chain, r)| chain.contains(&node) && r.lot.as_deref() == Some(lot))
                .map_or(0, |(_, r)| r.qty.units().min(units));
            let reserved = state.reserved_lot_rollup(sku, &node, lot) - own_lot;
            if reserved > 0 {
                let on_hand = state.on_hand_lot_rollup(sku, &node, lot);
                if on_hand - units < reserved {
                    return Err(insufficient(
                        state,
                        sku,
                        &node,
                        Some(lot),
                        units,
                        on_hand - reserved,
                    ));
                }
            }
        }
    }
    Ok(())
}
