//! The rules of purchase orders: which commands are accepted and which events they
//! become. Pure functions of the state, like the ledger's.

use super::SupplyView;
use super::{
    CreatePurchaseOrder, OVER_RECEIPT_PCT_MAX, OverReceipt, PURCHASE_ORDER_LINES_MAX,
    PURCHASE_ORDER_RECEIPTS_MAX, PurchaseOrder, PurchaseOrderLine, PurchaseOrderReceipt,
    PurchaseOrderState, PurchaseOrderStep, ReceivePurchaseOrder,
};
use crate::error::{EntityKind, Error, Result};
use crate::event::Event;
use crate::ledger::{Decision, Receive};
use crate::model::{LocationKind, Qty, Timestamp, validate_code};

fn purchase_order<'a>(state: SupplyView<'a>, id: &str) -> Result<&'a PurchaseOrder> {
    validate_code("purchase_order", id)?;
    state
        .supply
        .get(id)
        .ok_or_else(|| Error::not_found(EntityKind::PurchaseOrder, id))
}

fn transition(po: &PurchaseOrder, step: &str) -> Error {
    Error::InvalidTransition {
        entity: EntityKind::PurchaseOrder,
        id: po.id.clone(),
        state: po.state.as_str().into(),
        step: step.into(),
    }
}

fn changed(step: &str, po: PurchaseOrder) -> Event {
    Event::PurchaseOrderChanged {
        step: step.to_owned(),
        order: Box::new(po),
    }
}

/// A percentage in `[0, max]` with at most 6 decimals.
fn check_pct(field: &str, pct: Qty, max: i64) -> Result<()> {
    if pct.is_negative() || pct > Qty::from_int(max) || pct.scale() > 6 {
        return Err(Error::invalid_argument(
            field,
            format!("must be a percentage from 0 to {max} with at most 6 decimals, got {pct}"),
        ));
    }
    Ok(())
}

fn check_cost(unit_cost: Option<Qty>, currency: Option<&String>) -> Result<()> {
    if unit_cost.is_some_and(Qty::is_negative) {
        return Err(Error::invalid_argument("unit_cost", "must not be negative"));
    }
    if let Some(currency) = currency {
        if currency.len() != 3 || !currency.bytes().all(|b| b.is_ascii_uppercase()) {
            return Err(Error::invalid_argument(
                "currency",
                "must be an ISO 4217 code such as EUR",
            ));
        }
        if unit_cost.is_none() {
            return Err(Error::invalid_argument(
                "currency",
                "given without a unit_cost",
            ));
        }
    }
    Ok(())
}

pub(crate) fn create(
    state: SupplyView<'_>,
    c: &CreatePurchaseOrder,
    now: Timestamp,
    next_seq: u64,
) -> Result<Decision> {
    validate_code("purchase_order", &c.po_id)?;
    if state.supply.contains(&c.po_id) {
        return Err(Error::AlreadyExists {
            kind: EntityKind::PurchaseOrder,
            key: c.po_id.clone(),
        });
    }
    validate_code("supplier", &c.supplier)?;
    let location = crate::ledger::physical_location(state.ledger, &c.location)?;
    if c.lines.is_empty() || c.lines.len() > PURCHASE_ORDER_LINES_MAX {
        return Err(Error::invalid_argument(
            "lines",
            format!("a purchase order has 1..={PURCHASE_ORDER_LINES_MAX} lines"),
        ));
    }
    let ordered_at = c.ordered_at.unwrap_or(now);
    // Receipts are timed by the engine clock: an order placed later than now would give
    // its first receipts a negative lead time.
    if ordered_at > now {
        return Err(Error::invalid_argument("ordered_at", "lies in the future"));
    }
    if c.expected_at < ordered_at {
        return Err(Error::invalid_argument(
            "expected_at",
            "lies before the order was placed",
        ));
    }
    if let OverReceipt::Allow { tolerance_pct } = c.over_receipt {
        check_pct("tolerance_pct", tolerance_pct, OVER_RECEIPT_PCT_MAX)?;
    }
    check_pct("under_tolerance_pct", c.under_tolerance_pct, 100)?;
    let mut lines = Vec::with_capacity(c.lines.len());
    for (i, l) in c.lines.iter().enumerate() {
        let item = crate::ledger::active_item(state.ledger, &l.sku)?;
        let qty = crate::ledger::movement_qty(item, l.qty, l.unit.as_deref())?;
        check_cost(l.unit_cost, l.currency.as_ref())?;
        lines.push(PurchaseOrderLine {
            line: i as u32 + 1,
            sku: item.sku.clone(),
            ordered: qty,
            received: Qty::from_units(0, item.decimals)?,
            unit_cost: l.unit_cost,
            currency: l.currency.clone(),
        });
    }
    let po = PurchaseOrder {
        id: c.po_id.clone(),
        supplier: c.supplier.clone(),
        location: location.code.clone(),
        lines,
        ordered_at,
        expected_at: c.expected_at,
        over_receipt: c.over_receipt,
        under_tolerance_pct: c.under_tolerance_pct,
        receipts: Vec::new(),
        state: PurchaseOrderState::Open,
        created_at: now,
        created_seq: next_seq,
        closed_at: None,
    };
    Ok(Decision::events(vec![changed("created", po)]))
}

/// True when `received` units stay within the over-receipt policy for `ordered` units.
fn within_over_receipt(policy: OverReceipt, ordered: i64, received: i64) -> bool {
    match policy {
        OverReceipt::Refuse => received <= ordered,
        OverReceipt::Allow { tolerance_pct } => {
            // received ≤ ordered × (1 + pct/100), exactly.
            let scale = 10_i128.pow(u32::from(tolerance_pct.scale()));
            i128::from(received) * 100 * scale
                <= i128::from(ordered) * (100 * scale + i128::from(tolerance_pct.units()))
        }
    }
}

pub(crate) fn receive(
    state: SupplyView<'_>,
    r: &ReceivePurchaseOrder,
    now: Timestamp,
) -> Result<Decision> {
    let po = purchase_order(state, &r.po_id)?;
    if matches!(
        po.state,
        PurchaseOrderState::Closed | PurchaseOrderState::Cancelled
    ) {
        return Err(transition(po, "receive"));
    }
    if po.receipts.len() >= PURCHASE_ORDER_RECEIPTS_MAX {
        return Err(Error::invalid_argument(
            "po_id",
            format!("a purchase order records at most {PURCHASE_ORDER_RECEIPTS_MAX} receipts"),
        ));
    }
    let index = po
        .lines
        .iter()
        .position(|l| l.line == r.line)
        .ok_or_else(|| {
            Error::not_found(
                EntityKind::PurchaseOrderLine,
                format!("{}/{}", po.id, r.line),
            )
        })?;
    let line = &po.lines[index];
    let item = crate::ledger::active_item(state.ledger, &line.sku)?;
    let location = r.location.clone().unwrap_or_else(|| po.location.clone());
    crate::ledger::physical_location(state.ledger, &location)?;
    if !state.chain(&location).contains(&po.location) {
        return Err(Error::invalid_argument(
            "location",
            format!(
                "{location} is not within {}, where the purchase order is delivered",
                po.location
            ),
        ));
    }
    let qty = crate::ledger::movement_qty(item, r.qty, r.unit.as_deref())?;
    let received = line.received.checked_add(qty)?.rescale(item.decimals)?;
    if !within_over_receipt(po.over_receipt, line.ordered.units(), received.units()) {
        let limit = match po.over_receipt {
            OverReceipt::Refuse => "over-receipt is refused".to_owned(),
            OverReceipt::Allow { tolerance_pct } => {
                format!("over-receipt is allowed up to {tolerance_pct}%")
            }
        };
        return Err(Error::InvalidQuantity {
            value: qty.to_string(),
            reason: format!(
                "line {} ordered {}, received {} so far: {limit}",
                line.line, line.ordered, line.received
            ),
        });
    }
    let (unit_cost, currency) = match r.unit_cost {
        Some(cost) => (Some(cost), r.currency.clone()),
        None if r.currency.is_some() => (None, r.currency.clone()),
        None => (line.unit_cost, line.currency.clone()),
    };
    // Suppliers may be modelled as locations of kind `supplier`; stock then comes from it.
    let from = state
        .locations
        .get(&po.supplier)
        .filter(|l| l.kind == LocationKind::Supplier && !l.archived)
        .map(|l| l.code.clone());
    let plain = Receive {
        sku: item.sku.clone(),
        location: location.clone(),
        qty,
        unit: None,
        lot: r.lot.clone(),
        expiry: r.expiry,
        produced: r.produced,
        serials: r.serials.clone(),
        unit_cost,
        currency,
        from,
    };
    let mut decision = crate::ledger::decide::receive(state.ledger, &plain)?;
    let mut new = po.clone();
    new.lines[index].received = received;
    new.receipts.push(PurchaseOrderReceipt {
        line: r.line,
        qty,
        location,
        received_at: now,
    });
    new.state = if new.lines.iter().all(|l| new.line_complete(l)) {
        PurchaseOrderState::Received
    } else {
        PurchaseOrderState::PartiallyReceived
    };
    decision.events.push(changed("received", new));
    Ok(decision)
}

pub(crate) fn close(
    state: SupplyView<'_>,
    c: &PurchaseOrderStep,
    now: Timestamp,
) -> Result<Decision> {
    let po = purchase_order(state, &c.po_id)?;
    match po.state {
        // Repeating a step that is done is a no-op, so a retried call resumes cleanly.
        PurchaseOrderState::Closed => Ok(Decision::events(Vec::new())),
        PurchaseOrderState::Cancelled => Err(transition(po, "close")),
        _ => {
            let mut new = po.clone();
            new.state = PurchaseOrderState::Closed;
            new.closed_at = Some(now);
            Ok(Decision::events(vec![changed("closed", new)]))
        }
    }
}

pub(crate) fn cancel(
    state: SupplyView<'_>,
    c: &PurchaseOrderStep,
    now: Timestamp,
) -> Result<Decision> {
    let po = purchase_order(state, &c.po_id)?;
    match po.state {
        PurchaseOrderState::Cancelled => Ok(Decision::events(Vec::new())),
        PurchaseOrderState::Open => {
            let mut new = po.clone();
            new.state = PurchaseOrderState::Cancelled;
            new.closed_at = Some(now);
            Ok(Decision::events(vec![changed("cancelled", new)]))
        }
        // Stock has arrived: close it instead, so the receipts keep their order.
        _ => Err(transition(po, "cancel")),
    }
}
