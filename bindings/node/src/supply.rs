//! Purchase orders, stock on order and supplier lead times: their arguments, their records
//! and the `Stockbook` methods that reach them (another `#[napi] impl` block of the class).
//!
//! Ordered and received quantities are ledger quantities: exact decimal text. Lead times
//! are statistics: plain numbers of days.

use napi::Env;
use napi::bindgen_prelude::{BigInt, Either};
use napi_derive::napi;
use stockbook as sb;
use stockbook::planning as pl;

use crate::book::Stockbook;
use crate::convert::{QtyIn, Refusal, TimeIn, int, opt_qty, opt_time, qty, qty_out, seq_out, time};
use crate::error::throw;
use crate::inputs::Meta;
use crate::job::Later;
use crate::records::Receipt;

// ---- values -------------------------------------------------------------------------------

/// Where a purchase order stands.
#[napi(string_enum = "snake_case")]
pub enum PurchaseOrderState {
    /// Placed; nothing received yet.
    Open,
    /// Some lines, or part of a line, received.
    PartiallyReceived,
    /// Every line complete (received in full, or within the under-receipt tolerance).
    /// Receipts within the over-receipt tolerance are still taken.
    Received,
    /// Closed by hand: what is missing is no longer expected.
    Closed,
    /// Cancelled before anything was received.
    Cancelled,
}

impl From<pl::PurchaseOrderState> for PurchaseOrderState {
    fn from(s: pl::PurchaseOrderState) -> Self {
        use pl::PurchaseOrderState as S;
        match s {
            S::Open => PurchaseOrderState::Open,
            S::PartiallyReceived => PurchaseOrderState::PartiallyReceived,
            S::Received => PurchaseOrderState::Received,
            S::Closed => PurchaseOrderState::Closed,
            S::Cancelled => PurchaseOrderState::Cancelled,
        }
    }
}

impl From<PurchaseOrderState> for pl::PurchaseOrderState {
    fn from(s: PurchaseOrderState) -> Self {
        use pl::PurchaseOrderState as S;
        match s {
            PurchaseOrderState::Open => S::Open,
            PurchaseOrderState::PartiallyReceived => S::PartiallyReceived,
            PurchaseOrderState::Received => S::Received,
            PurchaseOrderState::Closed => S::Closed,
            PurchaseOrderState::Cancelled => S::Cancelled,
        }
    }
}

/// The over-receipt policy without parameters.
#[napi(string_enum = "snake_case")]
pub enum OverReceiptName {
    /// Nothing above the ordered quantity is taken (the default).
    Refuse,
}

/// Up to `tolerancePct` percent above the ordered quantity is taken.
#[napi(object, object_to_js = false)]
pub struct OverReceiptAllowInput {
    /// The tolerance in percent of the ordered quantity, 0 to 1000.
    #[napi(ts_type = "string | number | bigint")]
    pub tolerance_pct: QtyIn,
}

/// An over-receipt policy with a tolerance: `{ allow: { tolerancePct } }`.
#[napi(object, object_to_js = false)]
pub struct OverReceiptWith {
    /// Take receipts up to a tolerance above the ordered quantity.
    pub allow: OverReceiptAllowInput,
}

/// What a receipt above the ordered quantity of a line gets: `'refuse'` or
/// `{ allow: { tolerancePct } }`.
pub type OverReceiptIn = Either<OverReceiptName, OverReceiptWith>;

fn over_receipt(o: Option<OverReceiptIn>) -> Result<pl::OverReceipt, Refusal> {
    Ok(match o {
        None | Some(Either::A(OverReceiptName::Refuse)) => pl::OverReceipt::Refuse,
        Some(Either::B(w)) => pl::OverReceipt::Allow {
            tolerance_pct: qty(w.allow.tolerance_pct, "overReceipt.allow.tolerancePct")?,
        },
    })
}

/// The tolerance of an over-receipt policy that allows some.
#[napi(object, object_from_js = false)]
pub struct OverReceiptAllowance {
    /// The tolerance in percent of the ordered quantity (exact decimal text).
    pub tolerance_pct: String,
}

/// An over-receipt policy that allows receipts up to a tolerance.
#[napi(object, object_from_js = false)]
pub struct OverReceiptAllowed {
    /// The tolerance.
    pub allow: OverReceiptAllowance,
}

fn over_receipt_out(o: pl::OverReceipt) -> Either<OverReceiptName, OverReceiptAllowed> {
    match o {
        pl::OverReceipt::Refuse => Either::A(OverReceiptName::Refuse),
        pl::OverReceipt::Allow { tolerance_pct } => Either::B(OverReceiptAllowed {
            allow: OverReceiptAllowance {
                tolerance_pct: qty_out(tolerance_pct),
            },
        }),
    }
}

// ---- records ------------------------------------------------------------------------------

/// One line of a purchase order (base units at the item's precision).
#[napi(object, object_from_js = false, use_nullable = true)]
pub struct PurchaseOrderLine {
    /// Line number, from 1.
    pub line: u32,
    /// The item.
    pub sku: String,
    /// Ordered.
    pub ordered: String,
    /// Received so far.
    pub received: String,
    /// Agreed cost per base unit, carried to the receipt's movement.
    pub unit_cost: Option<String>,
    /// ISO 4217 currency of `unitCost`.
    pub currency: Option<String>,
}

/// One receipt against a purchase order line.
#[napi(object, object_from_js = false)]
pub struct PurchaseOrderReceipt {
    /// The line.
    pub line: u32,
    /// How much arrived (base units).
    pub qty: String,
    /// Where it was put.
    pub location: String,
    /// When it was recorded (engine time, epoch ms): the end of this receipt's lead time.
    pub received_at: i64,
}

/// A purchase order.
#[napi(object, object_from_js = false, use_nullable = true)]
pub struct PurchaseOrder {
    /// Its id.
    pub id: String,
    /// The supplier's code.
    pub supplier: String,
    /// Where it is delivered: receipts go to this location or one below it, and its stock
    /// on order counts for every location above it.
    pub location: String,
    /// The lines.
    pub lines: Vec<PurchaseOrderLine>,
    /// When it was placed (epoch ms): the start of every receipt's lead time.
    pub ordered_at: i64,
    /// When the supplier is expected to deliver (epoch ms).
    pub expected_at: i64,
    /// What a receipt above the ordered quantity gets.
    #[napi(ts_type = "OverReceiptName | OverReceiptAllowed")]
    pub over_receipt: Either<OverReceiptName, OverReceiptAllowed>,
    /// A line short by at most this percentage of its ordered quantity counts as complete
    /// (0 to 100, exact decimal text).
    pub under_tolerance_pct: String,
    /// Every receipt, in order.
    pub receipts: Vec<PurchaseOrderReceipt>,
    /// Where it stands.
    pub state: PurchaseOrderState,
    /// When it was created (engine time, epoch ms).
    pub created_at: i64,
    /// Sequence of its creation.
    pub created_seq: BigInt,
    /// When it was closed or cancelled (epoch ms).
    pub closed_at: Option<i64>,
}

impl From<pl::PurchaseOrder> for PurchaseOrder {
    fn from(po: pl::PurchaseOrder) -> Self {
        PurchaseOrder {
            id: po.id,
            supplier: po.supplier,
            location: po.location,
            lines: po
                .lines
                .into_iter()
                .map(|l| PurchaseOrderLine {
                    line: l.line,
                    sku: l.sku,
                    ordered: qty_out(l.ordered),
                    received: qty_out(l.received),
                    unit_cost: l.unit_cost.map(qty_out),
                    currency: l.currency,
                })
                .collect(),
            ordered_at: po.ordered_at,
            expected_at: po.expected_at,
            over_receipt: over_receipt_out(po.over_receipt),
            under_tolerance_pct: qty_out(po.under_tolerance_pct),
            receipts: po
                .receipts
                .into_iter()
                .map(|r| PurchaseOrderReceipt {
                    line: r.line,
                    qty: qty_out(r.qty),
                    location: r.location,
                    received_at: r.received_at,
                })
                .collect(),
            state: po.state.into(),
            created_at: po.created_at,
            created_seq: seq_out(po.created_seq),
            closed_at: po.closed_at,
        }
    }
}

/// Lead times of a supplier (for one item, or all), in days: one observation per receipt
/// against a purchase order line, from the order's `orderedAt` to the receipt's recording.
/// Cancelled orders have no receipts; closed ones keep theirs.
#[napi(object, object_from_js = false, use_nullable = true)]
pub struct LeadTimeStats {
    /// The supplier.
    pub supplier: String,
    /// The item, when the statistics are for one item.
    pub sku: Option<String>,
    /// Number of observations.
    pub count: i64,
    /// Mean lead time in days; `null` without observations.
    pub mean_days: Option<f64>,
    /// Sample standard deviation (n − 1) in days: 0 for one observation, `null` without.
    pub std_dev_days: Option<f64>,
    /// Shortest lead time in days.
    pub min_days: Option<f64>,
    /// Longest lead time in days.
    pub max_days: Option<f64>,
}

impl From<pl::LeadTimeStats> for LeadTimeStats {
    fn from(s: pl::LeadTimeStats) -> Self {
        LeadTimeStats {
            supplier: s.supplier,
            sku: s.sku,
            count: i64::try_from(s.count).unwrap_or(i64::MAX),
            mean_days: s.mean_days,
            std_dev_days: s.std_dev_days,
            min_days: s.min_days,
            max_days: s.max_days,
        }
    }
}

// ---- arguments ----------------------------------------------------------------------------

/// A line of a new purchase order.
#[napi(object, object_to_js = false)]
pub struct NewPurchaseOrderLine {
    /// The item.
    pub sku: String,
    /// How much, in `unit`.
    #[napi(ts_type = "string | number | bigint")]
    pub qty: QtyIn,
    /// The unit of `qty` (default: the base unit).
    pub unit: Option<String>,
    /// Agreed cost per base unit.
    #[napi(ts_type = "string | number | bigint")]
    pub unit_cost: Option<QtyIn>,
    /// ISO 4217 currency of the cost.
    pub currency: Option<String>,
}

/// Place a purchase order.
#[napi(object, object_to_js = false)]
pub struct CreatePurchaseOrderArgs {
    /// Its id.
    pub po_id: String,
    /// The supplier's code. When a location of kind `supplier` has this code, receipts come
    /// from it; otherwise from `@supplier`.
    pub supplier: String,
    /// Where it is delivered (a physical location: site, zone or bin).
    pub location: String,
    /// The lines.
    pub lines: Vec<NewPurchaseOrderLine>,
    /// When the supplier is expected to deliver; not before `orderedAt`.
    #[napi(ts_type = "Date | number")]
    pub expected_at: TimeIn,
    /// When it was placed (default: now); at most a day ahead of the engine clock.
    #[napi(ts_type = "Date | number")]
    pub ordered_at: Option<TimeIn>,
    /// What a receipt above the ordered quantity gets (default `'refuse'`).
    #[napi(ts_type = "OverReceiptName | OverReceiptWith")]
    pub over_receipt: Option<OverReceiptIn>,
    /// Under-receipt tolerance in percent (default 0).
    #[napi(ts_type = "string | number | bigint")]
    pub under_tolerance_pct: Option<QtyIn>,
}

impl TryFrom<CreatePurchaseOrderArgs> for pl::CreatePurchaseOrder {
    type Error = Refusal;
    fn try_from(c: CreatePurchaseOrderArgs) -> Result<Self, Refusal> {
        let mut lines = Vec::with_capacity(c.lines.len());
        for l in c.lines {
            lines.push(pl::NewPurchaseOrderLine {
                sku: l.sku,
                qty: qty(l.qty, "qty")?,
                unit: l.unit,
                unit_cost: opt_qty(l.unit_cost, "unitCost")?,
                currency: l.currency,
            });
        }
        Ok(pl::CreatePurchaseOrder {
            po_id: c.po_id,
            supplier: c.supplier,
            location: c.location,
            lines,
            expected_at: time(c.expected_at, "expectedAt")?,
            ordered_at: opt_time(c.ordered_at, "orderedAt")?,
            over_receipt: over_receipt(c.over_receipt)?,
            under_tolerance_pct: opt_qty(c.under_tolerance_pct, "underTolerancePct")?
                .unwrap_or_default(),
        })
    }
}

/// Receive stock against one line of a purchase order.
#[napi(object, object_to_js = false)]
pub struct ReceivePurchaseOrderArgs {
    /// The purchase order.
    pub po_id: String,
    /// The line.
    pub line: f64,
    /// How much arrived, in `unit`.
    #[napi(ts_type = "string | number | bigint")]
    pub qty: QtyIn,
    /// The unit of `qty`.
    pub unit: Option<String>,
    /// Where it is put (default: the order's location); within the order's location.
    pub location: Option<String>,
    /// The lot (lot-tracked items).
    pub lot: Option<String>,
    /// The lot's expiry, for a new lot.
    #[napi(ts_type = "Date | number")]
    pub expiry: Option<TimeIn>,
    /// The lot's production date, for a new lot.
    #[napi(ts_type = "Date | number")]
    pub produced: Option<TimeIn>,
    /// Serial numbers (serial-tracked items).
    pub serials: Option<Vec<String>>,
    /// Cost per base unit (default: the line's).
    #[napi(ts_type = "string | number | bigint")]
    pub unit_cost: Option<QtyIn>,
    /// Currency of `unitCost` (default: the line's).
    pub currency: Option<String>,
}

impl TryFrom<ReceivePurchaseOrderArgs> for pl::ReceivePurchaseOrder {
    type Error = Refusal;
    fn try_from(r: ReceivePurchaseOrderArgs) -> Result<Self, Refusal> {
        Ok(pl::ReceivePurchaseOrder {
            po_id: r.po_id,
            line: int(r.line, "line")?,
            qty: qty(r.qty, "qty")?,
            unit: r.unit,
            location: r.location,
            lot: r.lot,
            expiry: opt_time(r.expiry, "expiry")?,
            produced: opt_time(r.produced, "produced")?,
            serials: r.serials.unwrap_or_default(),
            unit_cost: opt_qty(r.unit_cost, "unitCost")?,
            currency: r.currency,
        })
    }
}

/// A step on a purchase order that needs only its id (close, cancel).
#[napi(object, object_to_js = false)]
pub struct PurchaseOrderStepArgs {
    /// The purchase order.
    pub po_id: String,
}

/// Which purchase orders to list.
#[napi(object, object_to_js = false)]
pub struct PurchaseOrderFilter {
    /// Only those of this supplier.
    pub supplier: Option<String>,
    /// Only those with a line of this item.
    pub sku: Option<String>,
    /// Only those in this state.
    pub state: Option<PurchaseOrderState>,
    /// Only those delivered into this location's subtree.
    pub location: Option<String>,
}

/// The engine command for each purchase-order variant of [`crate::inputs::Command`].
pub(crate) mod command {
    use super::{
        CreatePurchaseOrderArgs, PurchaseOrderStepArgs, ReceivePurchaseOrderArgs, Refusal, pl,
    };
    use stockbook::Command as C;

    pub fn create_purchase_order(a: CreatePurchaseOrderArgs) -> Result<C, Refusal> {
        Ok(C::CreatePurchaseOrder(a.try_into()?))
    }
    pub fn receive_purchase_order(a: ReceivePurchaseOrderArgs) -> Result<C, Refusal> {
        Ok(C::ReceivePurchaseOrder(a.try_into()?))
    }
    pub fn step(a: PurchaseOrderStepArgs) -> pl::PurchaseOrderStep {
        pl::PurchaseOrderStep { po_id: a.po_id }
    }
}

// ---- methods ------------------------------------------------------------------------------

#[napi]
impl Stockbook {
    /// Places a purchase order: its open lines count as stock on order for its location
    /// and every location above it.
    #[napi(ts_return_type = "Promise<Receipt>")]
    pub fn create_purchase_order(
        &self,
        args: CreatePurchaseOrderArgs,
        meta: Option<Meta>,
    ) -> napi::Result<Later<Receipt>> {
        self.write(command::create_purchase_order(args), meta)
    }

    /// Receives stock against one line of a purchase order: a plain receipt in the ledger
    /// plus the order's new record, in one decision. Above the ordered quantity (and any
    /// over-receipt tolerance) it is refused with `InvalidQuantity`.
    #[napi(ts_return_type = "Promise<Receipt>")]
    pub fn receive_purchase_order(
        &self,
        args: ReceivePurchaseOrderArgs,
        meta: Option<Meta>,
    ) -> napi::Result<Later<Receipt>> {
        self.write(command::receive_purchase_order(args), meta)
    }

    /// Closes a purchase order: what is missing is no longer expected.
    #[napi(ts_return_type = "Promise<Receipt>")]
    pub fn close_purchase_order(
        &self,
        po_id: String,
        meta: Option<Meta>,
    ) -> napi::Result<Later<Receipt>> {
        let step = command::step(PurchaseOrderStepArgs { po_id });
        self.write(Ok(sb::Command::ClosePurchaseOrder(step)), meta)
    }

    /// Cancels a purchase order against which nothing has been received (one with
    /// receipts is closed instead).
    #[napi(ts_return_type = "Promise<Receipt>")]
    pub fn cancel_purchase_order(
        &self,
        po_id: String,
        meta: Option<Meta>,
    ) -> napi::Result<Later<Receipt>> {
        let step = command::step(PurchaseOrderStepArgs { po_id });
        self.write(Ok(sb::Command::CancelPurchaseOrder(step)), meta)
    }

    /// One purchase order with its lines and receipts.
    #[napi]
    pub fn purchase_order(&self, env: Env, id: String) -> napi::Result<PurchaseOrder> {
        throw(&env, self.book().purchase_order(&id)).map(PurchaseOrder::from)
    }

    /// Purchase orders matching `filter`, by id.
    #[napi]
    pub fn purchase_orders(
        &self,
        env: Env,
        filter: Option<PurchaseOrderFilter>,
    ) -> napi::Result<Vec<PurchaseOrder>> {
        let filter = filter.map_or_else(pl::PurchaseOrderFilter::default, |f| {
            pl::PurchaseOrderFilter {
                supplier: f.supplier,
                sku: f.sku,
                state: f.state.map(Into::into),
                location: f.location,
            }
        });
        throw(&env, self.book().purchase_orders(&filter))
            .map(|v| v.into_iter().map(PurchaseOrder::from).collect())
    }

    /// Stock of `sku` on order for delivery into `location` or anywhere below it: what
    /// open purchase orders still expect (ordered less received, for lines not complete).
    #[napi]
    pub fn on_order(&self, env: Env, sku: String, location: String) -> napi::Result<String> {
        throw(&env, self.book().on_order(&sku, &location)).map(qty_out)
    }

    /// Lead-time statistics of `supplier`, over all its receipts or those of one item
    /// (`sku`), in days.
    #[napi]
    pub fn lead_time_stats(
        &self,
        env: Env,
        supplier: String,
        sku: Option<String>,
    ) -> napi::Result<LeadTimeStats> {
        throw(&env, self.book().lead_time_stats(&supplier, sku.as_deref())).map(LeadTimeStats::from)
    }
}
