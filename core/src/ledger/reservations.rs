//! Reservations: the ledger's two-phase holds on stock. A reservation is made against
//! the stock free in a subtree, then committed (the stock leaves), released or expired.
//! Every check here keeps the invariant that, for every location, what is reserved in its
//! subtree never exceeds what is on hand there.

use serde::{Deserialize, Serialize};

use super::Decision;
use super::Ledger;
use super::allocation::Strategy;
use super::allocation::{self, Pending};
use super::rules::{
    active_item, check_put, check_take_reserved, check_tracking, insufficient, movement,
    movement_qty, physical_location, transition, virtual_location,
};
use crate::error::{EntityKind, Error, Result};
use crate::event::{Event, MovementKind};
use crate::model::reservation::{Reservation, ReservationState};
use crate::model::{
    Item, LocationKind, Qty, Timestamp, Tracking, validate_code, virtual_locations as vl,
};
use crate::setters::setters;

/// Make a reservation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct Reserve {
    /// Its id (default: generated, `RS-<seq>`).
    #[serde(default)]
    pub reservation_id: Option<String>,
    /// The item.
    pub sku: String,
    /// How much, in `unit`.
    pub qty: Qty,
    /// The unit of `qty`.
    #[serde(default)]
    pub unit: Option<String>,
    /// The location whose subtree holds the stock (a site, zone or bin).
    pub scope: String,
    /// Pin a lot.
    #[serde(default)]
    pub lot: Option<String>,
    /// Pin the bin (and lot, for lot-tracked items).
    #[serde(default)]
    pub hard: bool,
    /// The order it serves.
    #[serde(default)]
    pub order: Option<String>,
    /// The order line it serves.
    #[serde(default)]
    pub line: Option<u32>,
    /// Time-to-live in milliseconds.
    #[serde(default)]
    #[schemars(with = "Option<crate::model::MillisSchema>")]
    pub ttl_ms: Option<i64>,
}

impl Reserve {
    /// A soft reservation of `qty` base units of `sku` in `scope`.
    pub fn new(sku: impl Into<String>, scope: impl Into<String>, qty: impl Into<Qty>) -> Reserve {
        Reserve {
            reservation_id: None,
            sku: sku.into(),
            qty: qty.into(),
            unit: None,
            scope: scope.into(),
            lot: None,
            hard: false,
            order: None,
            line: None,
            ttl_ms: None,
        }
    }
}

setters! {
    Reserve {
        /// Its id (default: generated, `RS-<seq>`).
        text reservation_id,
        /// The unit of `qty`.
        text unit,
        /// Pin a lot.
        text lot,
        /// Pin the bin (and lot, for lot-tracked items).
        set(bool) hard,
        /// The order it serves.
        text order,
        /// The order line it serves.
        opt(u32) line,
        /// Time-to-live in milliseconds.
        opt(i64) ttl_ms,
    }
}

/// Issue reserved stock (ship it); a partial commit releases the rest.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct CommitReservation {
    /// The reservation.
    pub reservation_id: String,
    /// How much (default: all it holds).
    #[serde(default)]
    pub qty: Option<Qty>,
    /// The bin to take it from (default: the scope); within the scope.
    #[serde(default)]
    pub location: Option<String>,
    /// The lot to take (default: the pinned lot).
    #[serde(default)]
    pub lot: Option<String>,
    /// Serials (serial-tracked items).
    #[serde(default)]
    pub serials: Vec<String>,
    /// The customer location (default `@customer`).
    #[serde(default)]
    pub to: Option<String>,
}

impl CommitReservation {
    /// A new `CommitReservation` of `reservation_id`; every other field takes its default.
    #[must_use]
    pub fn new(reservation_id: impl Into<String>) -> CommitReservation {
        CommitReservation {
            reservation_id: reservation_id.into(),
            qty: None,
            location: None,
            lot: None,
            serials: Vec::new(),
            to: None,
        }
    }
}

setters! {
    CommitReservation {
        /// How much (default: all it holds).
        qty qty,
        /// The bin to take it from (default: the scope); within the scope.
        text location,
        /// The lot to take (default: the pinned lot).
        text lot,
        /// Serials (serial-tracked items).
        texts serials,
        /// The customer location (default `@customer`).
        text to,
    }
}

/// The reservation `id`, or `not_found`.
pub(crate) fn reservation<'a>(state: Ledger<'a>, id: &str) -> Result<&'a Reservation> {
    validate_code("reservation", id)?;
    state
        .holds
        .get(id)
        .ok_or_else(|| Error::not_found(EntityKind::Reservation, id))
}

pub(crate) fn reserve(
    state: Ledger<'_>,
    r: &Reserve,
    now: Timestamp,
    next_seq: u64,
) -> Result<Decision> {
    let id = r
        .reservation_id
        .clone()
        .unwrap_or_else(|| format!("RS-{next_seq}"));
    validate_code("reservation", &id)?;
    if state.holds.get(&id).is_some() {
        return Err(Error::AlreadyExists {
            kind: EntityKind::Reservation,
            key: id,
        });
    }
    let item = active_item(state, &r.sku)?;
    let scope = physical_location(state, &r.scope)?;
    let qty = movement_qty(item, r.qty, r.unit.as_deref())?;
    if let Some(lot) = &r.lot {
        if item.tracking != Tracking::Lot {
            return Err(Error::Tracking {
                sku: item.sku.clone(),
                reason: "is not lot-tracked: no lot is taken".into(),
            });
        }
        validate_code("lot", lot)?;
    }
    if r.hard {
        if state.children.contains_key(&scope.code) {
            return Err(Error::invalid_argument(
                "scope",
                "a hard reservation pins a bin: a location without children",
            ));
        }
        if item.tracking == Tracking::Lot && r.lot.is_none() {
            return Err(Error::Tracking {
                sku: item.sku.clone(),
                reason: "a hard reservation of a lot-tracked item pins a lot".into(),
            });
        }
    }
    if let Some(order_id) = &r.order {
        validate_code("order", order_id)?;
    }
    let expires_at = match r.ttl_ms {
        Some(ttl) if ttl <= 0 => return Err(Error::invalid_argument("ttl_ms", "must be positive")),
        Some(ttl) => Some(
            now.checked_add(ttl)
                .ok_or_else(|| Error::invalid_argument("ttl_ms", "too large"))?,
        ),
        None => None,
    };
    let units = qty.units();
    let lot = r.lot.as_deref();
    let free = allocation::free_units(state, &Pending::default(), &item.sku, &scope.code, lot);
    if free < units {
        // Name the location whose subtree is short, for the caller.
        let node = state
            .chain(&scope.code)
            .into_iter()
            .find(|n| {
                state.on_hand_rollup(&item.sku, n) - state.reserved_rollup(&item.sku, n) < units
            })
            .unwrap_or_else(|| scope.code.clone());
        return Err(insufficient(state, &item.sku, &node, lot, units, free));
    }
    let record = Reservation {
        id: id.clone(),
        sku: item.sku.clone(),
        scope: scope.code.clone(),
        lot: r.lot.clone(),
        hard: r.hard,
        qty,
        requested: qty,
        committed: Qty::from_units(0, item.decimals)?,
        order: r.order.clone(),
        line: r.line,
        created_at: now,
        expires_at,
        state: ReservationState::Pending,
    };
    Ok(Decision {
        events: vec![Event::ReservationCreated(record)],
        transfer_id: None,
        difference: None,
        reservation_id: Some(id),
    })
}

pub(crate) fn commit(state: Ledger<'_>, c: &CommitReservation, now: Timestamp) -> Result<Decision> {
    let r = reservation(state, &c.reservation_id)?;
    if r.state != ReservationState::Pending {
        return Err(transition(
            EntityKind::Reservation,
            &r.id,
            r.state.as_str(),
            "commit",
        ));
    }
    let item = active_item(state, &r.sku)?;
    let qty = match c.qty {
        Some(q) => movement_qty(item, q, None)?,
        None => r.qty,
    };
    if qty > r.qty {
        return Err(Error::InvalidQuantity {
            value: qty.to_string(),
            reason: format!("exceeds the {} the reservation holds", r.qty),
        });
    }
    let to = match &c.to {
        Some(code) => virtual_location(state, code, LocationKind::Customer)?.to_owned(),
        None => vl::CUSTOMER.to_owned(),
    };
    if c.location.is_none() && state.children.contains_key(&r.scope) {
        return commit_from_bins(state, r, item, qty, &to, c, now);
    }
    let location = c.location.clone().unwrap_or_else(|| r.scope.clone());
    let loc = physical_location(state, &location)?;
    if !state.chain(&loc.code).contains(&r.scope) {
        return Err(Error::invalid_argument(
            "location",
            format!(
                "{} is not within the reservation's scope {}",
                loc.code, r.scope
            ),
        ));
    }
    let lot = match (&c.lot, &r.lot) {
        (Some(given), Some(pinned)) if given != pinned => {
            return Err(Error::invalid_argument(
                "lot",
                format!("the reservation pins lot {pinned}"),
            ));
        }
        (Some(given), _) => Some(given.clone()),
        (None, pinned) => pinned.clone(),
    };
    let lot_ref = check_tracking(item, lot.as_ref(), &c.serials, qty)?;
    check_take_reserved(
        state,
        item,
        loc,
        lot_ref,
        &c.serials,
        qty,
        now,
        false,
        Some(r),
    )?;
    check_put(state, item, (&loc.code, &to), lot_ref, qty)?;
    let mut m = movement(MovementKind::Ship, item, lot_ref, &loc.code, &to, qty);
    m.serials.clone_from(&c.serials);
    let mut events = vec![
        Event::ReservationCommitted {
            id: r.id.clone(),
            qty,
        },
        Event::Moved(m),
    ];
    let rest = r.qty.checked_sub(qty)?;
    if !rest.is_zero() {
        events.push(Event::ReservationReleased {
            id: r.id.clone(),
            qty: rest.rescale(item.decimals)?,
        });
    }
    Ok(Decision::events(events))
}

/// Commits a reservation held over a subtree without naming a bin: the bins are chosen
/// first-in first-out among those not held for others, one shipment per bin and lot.
/// Serials and pinned lots name what leaves, so they need the bin named.
fn commit_from_bins(
    state: Ledger<'_>,
    r: &Reservation,
    item: &Item,
    qty: Qty,
    to: &str,
    c: &CommitReservation,
    now: Timestamp,
) -> Result<Decision> {
    if item.tracking != Tracking::None || r.lot.is_some() || c.lot.is_some() {
        return Err(Error::invalid_argument(
            "location",
            format!(
                "the reservation holds stock anywhere in {}: name the bin",
                r.scope
            ),
        ));
    }
    let mut pending = Pending::default();
    // The stock this reservation holds is what the commit takes: credit its own hold.
    pending.add(state, &r.sku, &r.scope, "", -r.qty.units());
    let plan = allocation::plan(
        state,
        &mut pending,
        &r.sku,
        qty.units(),
        &r.scope,
        &Strategy::Fifo,
        now,
        &[],
    );
    if !plan.short.is_zero() {
        let free = qty.units() - plan.short.units();
        return Err(insufficient(
            state,
            &r.sku,
            &r.scope,
            None,
            qty.units(),
            free,
        ));
    }
    let mut events = vec![Event::ReservationCommitted {
        id: r.id.clone(),
        qty,
    }];
    for line in plan.lines {
        check_put(state, item, (&line.location, to), None, line.qty)?;
        let m = movement(MovementKind::Ship, item, None, &line.location, to, line.qty);
        events.push(Event::Moved(m));
    }
    let rest = r.qty.checked_sub(qty)?;
    if !rest.is_zero() {
        events.push(Event::ReservationReleased {
            id: r.id.clone(),
            qty: rest.rescale(item.decimals)?,
        });
    }
    Ok(Decision::events(events))
}

pub(crate) fn release(state: Ledger<'_>, id: &str, qty: Option<Qty>) -> Result<Decision> {
    let r = reservation(state, id)?;
    if r.state != ReservationState::Pending {
        return Err(transition(
            EntityKind::Reservation,
            &r.id,
            r.state.as_str(),
            "release",
        ));
    }
    let scale = r.qty.scale();
    let qty = match qty {
        Some(q) => {
            let q = q.rescale(scale)?;
            if q <= Qty::ZERO || q > r.qty {
                return Err(Error::InvalidQuantity {
                    value: q.to_string(),
                    reason: format!("must be positive and at most the {} held", r.qty),
                });
            }
            q
        }
        None => r.qty,
    };
    Ok(Decision::events(vec![Event::ReservationReleased {
        id: r.id.clone(),
        qty,
    }]))
}

/// Expiry events for every pending reservation whose time ran out by `now`, oldest
/// first, each effective at its own expiry time.
pub(crate) fn due_expiries(holds: &super::Holds, now: Timestamp) -> Vec<(Timestamp, Event)> {
    holds
        .expiring()
        .take_while(|(at, _)| *at <= now)
        .map(|(at, id)| (at, Event::ReservationExpired { id: id.to_owned() }))
        .collect()
}
