//! Reservations, allocation and orders: their arguments, their records and the
//! `Stockbook` methods that reach them (a second `#[napi] impl` block of the class).

use napi::Env;
use napi::bindgen_prelude::{BigInt, Either};
use napi_derive::napi;
use serde_json::json;
use stockbook as sb;
use stockbook::orders as so;

use crate::book::Stockbook;
use crate::convert::{
    QtyIn, Refusal, TimeIn, int, opt_int, opt_qty, opt_time, qty, qty_out, seq_out, time,
    type_error,
};
use crate::error::throw;
use crate::inputs::{AsOf, Meta};
use crate::job::{Later, spawn_with};
use crate::records::Receipt;

// ---- values -------------------------------------------------------------------------------

/// Where a reservation stands.
#[napi(string_enum = "snake_case")]
pub enum ReservationState {
    /// Holding stock.
    Pending,
    /// Consumed by a movement (shipped or picked); any rest was released.
    Committed,
    /// Given back before use.
    Released,
    /// Its time-to-live ran out.
    Expired,
}

impl From<so::ReservationState> for ReservationState {
    fn from(s: so::ReservationState) -> Self {
        match s {
            so::ReservationState::Pending => ReservationState::Pending,
            so::ReservationState::Committed => ReservationState::Committed,
            so::ReservationState::Released => ReservationState::Released,
            so::ReservationState::Expired => ReservationState::Expired,
        }
    }
}

impl From<ReservationState> for so::ReservationState {
    fn from(s: ReservationState) -> Self {
        match s {
            ReservationState::Pending => so::ReservationState::Pending,
            ReservationState::Committed => so::ReservationState::Committed,
            ReservationState::Released => so::ReservationState::Released,
            ReservationState::Expired => so::ReservationState::Expired,
        }
    }
}

/// Where an order stands.
#[napi(string_enum = "snake_case")]
pub enum OrderState {
    /// Being written; holds nothing.
    Draft,
    /// Accepted; waiting for allocation.
    Confirmed,
    /// Stock reserved in bins (lines may carry backorders).
    Allocated,
    /// Picking has started.
    Picking,
    /// Picked stock is packed.
    Packed,
    /// Everything ordered has shipped.
    Shipped,
    /// Part has shipped; the rest waits for stock.
    Backordered,
    /// The customer has it.
    Delivered,
    /// Cancelled; everything it held was given back.
    Cancelled,
}

impl From<so::OrderState> for OrderState {
    fn from(s: so::OrderState) -> Self {
        use so::OrderState as S;
        match s {
            S::Draft => OrderState::Draft,
            S::Confirmed => OrderState::Confirmed,
            S::Allocated => OrderState::Allocated,
            S::Picking => OrderState::Picking,
            S::Packed => OrderState::Packed,
            S::Shipped => OrderState::Shipped,
            S::Backordered => OrderState::Backordered,
            S::Delivered => OrderState::Delivered,
            S::Cancelled => OrderState::Cancelled,
        }
    }
}

impl From<OrderState> for so::OrderState {
    fn from(s: OrderState) -> Self {
        use so::OrderState as S;
        match s {
            OrderState::Draft => S::Draft,
            OrderState::Confirmed => S::Confirmed,
            OrderState::Allocated => S::Allocated,
            OrderState::Picking => S::Picking,
            OrderState::Packed => S::Packed,
            OrderState::Shipped => S::Shipped,
            OrderState::Backordered => S::Backordered,
            OrderState::Delivered => S::Delivered,
            OrderState::Cancelled => S::Cancelled,
        }
    }
}

/// Who gets short stock when orders compete for it.
#[napi(string_enum = "snake_case")]
pub enum ShortagePolicy {
    /// By priority (lower first), then due date (earlier first, none last), then age.
    PriorityDueDate,
    /// Proportionally to demand, exactly; remainder units go to the largest fractional
    /// shares.
    FairShare,
}

impl From<ShortagePolicy> for so::ShortagePolicy {
    fn from(p: ShortagePolicy) -> Self {
        match p {
            ShortagePolicy::PriorityDueDate => so::ShortagePolicy::PriorityDueDate,
            ShortagePolicy::FairShare => so::ShortagePolicy::FairShare,
        }
    }
}

/// The strategies that take no parameter.
#[napi(string_enum = "snake_case")]
pub enum StrategyName {
    /// First in, first out: the oldest receipt first (the default).
    Fifo,
    /// Last in, first out.
    Lifo,
    /// As few bins as possible.
    FewestLocations,
}

/// First expired, first out, skipping lots with less shelf life left.
#[napi(object, object_to_js = false)]
pub struct FefoStrategy {
    /// The least shelf life a lot must have left, in days (default 0).
    pub min_remaining_days: Option<f64>,
}

/// The bins nearest to a location first.
#[napi(object, object_to_js = false)]
pub struct NearestStrategy {
    /// The location to measure from.
    pub location: String,
}

/// The caller's order of bins; bins not listed are not used.
#[napi(object, object_to_js = false)]
pub struct OrderedStrategy {
    /// Bin codes, first choice first.
    pub locations: Vec<String>,
}

/// A strategy with parameters: exactly one of its fields.
#[napi(object, object_to_js = false)]
pub struct StrategyWith {
    /// First expired, first out.
    pub fefo: Option<FefoStrategy>,
    /// The nearest bins first.
    pub nearest: Option<NearestStrategy>,
    /// The caller's order of bins.
    pub ordered: Option<OrderedStrategy>,
}

/// Which stock to take first: `'fifo'`, `'lifo'`, `'fewest_locations'`,
/// `{ fefo: { minRemainingDays } }`, `{ nearest: { location } }` or
/// `{ ordered: { locations } }`.
pub type StrategyIn = Either<StrategyName, StrategyWith>;

fn strategy(s: Option<StrategyIn>) -> Result<so::Strategy, Refusal> {
    Ok(match s {
        None => so::Strategy::default(),
        Some(Either::A(StrategyName::Fifo)) => so::Strategy::Fifo,
        Some(Either::A(StrategyName::Lifo)) => so::Strategy::Lifo,
        Some(Either::A(StrategyName::FewestLocations)) => so::Strategy::FewestLocations,
        Some(Either::B(w)) => match (w.fefo, w.nearest, w.ordered) {
            (Some(f), None, None) => so::Strategy::Fefo {
                min_remaining_days: opt_int(f.min_remaining_days, "minRemainingDays")?
                    .unwrap_or_default(),
            },
            (None, Some(n), None) => so::Strategy::Nearest {
                location: n.location,
            },
            (None, None, Some(o)) => so::Strategy::Ordered {
                locations: o.locations,
            },
            _ => {
                return Err(type_error(
                    "strategy",
                    "an object with exactly one of fefo, nearest or ordered",
                ));
            }
        },
    })
}

// ---- records ------------------------------------------------------------------------------

/// A hold on stock.
#[napi(object, object_from_js = false, use_nullable = true)]
pub struct Reservation {
    /// Its id.
    pub id: String,
    /// The item.
    pub sku: String,
    /// The location whose subtree the stock is held in.
    pub scope: String,
    /// The lot held, if one is pinned.
    pub lot: Option<String>,
    /// Hard reservations pin a bin (and, for lot-tracked items, a lot); soft ones hold a
    /// quantity anywhere in the scope.
    pub hard: bool,
    /// The quantity still held (zero once closed).
    pub qty: String,
    /// The quantity first reserved.
    pub requested: String,
    /// The quantity consumed by movements.
    pub committed: String,
    /// The order it serves.
    pub order: Option<String>,
    /// The order line it serves.
    pub line: Option<u32>,
    /// When it was made (engine time, epoch ms).
    pub created_at: i64,
    /// When it stops holding stock, if it has a time-to-live (epoch ms).
    pub expires_at: Option<i64>,
    /// Where it stands.
    pub state: ReservationState,
}

impl From<so::Reservation> for Reservation {
    fn from(r: so::Reservation) -> Self {
        Reservation {
            id: r.id,
            sku: r.sku,
            scope: r.scope,
            lot: r.lot,
            hard: r.hard,
            qty: qty_out(r.qty),
            requested: qty_out(r.requested),
            committed: qty_out(r.committed),
            order: r.order,
            line: r.line,
            created_at: r.created_at,
            expires_at: r.expires_at,
            state: r.state.into(),
        }
    }
}

/// Stock picked for a line and waiting at the order's staging location.
#[napi(object, object_from_js = false, use_nullable = true)]
pub struct Pick {
    /// The bin it was picked from (where a cancellation returns it).
    pub from: String,
    /// The lot picked.
    pub lot: Option<String>,
    /// How much.
    pub qty: String,
    /// The serials picked.
    pub serials: Vec<String>,
    /// The reservation that holds it at the staging location.
    pub reservation: String,
}

/// One line of an order, with its quantities at every stage (base units).
#[napi(object, object_from_js = false)]
pub struct OrderLine {
    /// Line number, from 1.
    pub line: u32,
    /// The item.
    pub sku: String,
    /// Ordered.
    pub ordered: String,
    /// Reserved in bins and not yet picked.
    pub allocated: String,
    /// Picked and not yet shipped.
    pub picked: String,
    /// Shipped.
    pub shipped: String,
    /// Waiting for stock.
    pub backordered: String,
    /// Open picks (at staging).
    pub picks: Vec<Pick>,
    /// Reservations of this line in bins (pending ones).
    pub reservations: Vec<String>,
}

/// A quantity of one order line inside a package.
#[napi(object, object_from_js = false)]
pub struct PackageContent {
    /// The order line.
    pub line: u32,
    /// How much of it.
    pub qty: String,
}

/// One package of a packed order.
#[napi(object, object_from_js = false)]
pub struct Package {
    /// Its id (label).
    pub id: String,
    /// What it holds.
    pub contents: Vec<PackageContent>,
}

/// A customer order.
#[napi(object, object_from_js = false, use_nullable = true)]
pub struct Order {
    /// Its id.
    pub id: String,
    /// The customer.
    pub customer: Option<String>,
    /// Priority: lower numbers are served first.
    pub priority: u32,
    /// When it is due (epoch ms).
    pub due_at: Option<i64>,
    /// The site (or zone) it ships from: stock is allocated within it.
    pub ship_from: String,
    /// Where picked stock waits for packing and shipping.
    pub staging: String,
    /// Where shipped stock goes (a customer location).
    pub ship_to: String,
    /// The lines.
    pub lines: Vec<OrderLine>,
    /// The packages, once packed.
    pub packages: Vec<Package>,
    /// Where it stands.
    pub state: OrderState,
    /// When it was created (engine time, epoch ms).
    pub created_at: i64,
    /// Sequence of its creation: the last tie-breaker of every ordering.
    pub created_seq: BigInt,
}

impl From<so::Order> for Order {
    fn from(o: so::Order) -> Self {
        Order {
            id: o.id,
            customer: o.customer,
            priority: o.priority,
            due_at: o.due_at,
            ship_from: o.ship_from,
            staging: o.staging,
            ship_to: o.ship_to,
            lines: o
                .lines
                .into_iter()
                .map(|l| OrderLine {
                    line: l.line,
                    sku: l.sku,
                    ordered: qty_out(l.ordered),
                    allocated: qty_out(l.allocated),
                    picked: qty_out(l.picked),
                    shipped: qty_out(l.shipped),
                    backordered: qty_out(l.backordered),
                    picks: l
                        .picks
                        .into_iter()
                        .map(|p| Pick {
                            from: p.from,
                            lot: p.lot,
                            qty: qty_out(p.qty),
                            serials: p.serials,
                            reservation: p.reservation,
                        })
                        .collect(),
                    reservations: l.reservations,
                })
                .collect(),
            packages: o
                .packages
                .into_iter()
                .map(|p| Package {
                    id: p.id,
                    contents: p
                        .contents
                        .into_iter()
                        .map(|c| PackageContent {
                            line: c.line,
                            qty: qty_out(c.qty),
                        })
                        .collect(),
                })
                .collect(),
            state: o.state.into(),
            created_at: o.created_at,
            created_seq: seq_out(o.created_seq),
        }
    }
}

/// On hand, reserved and available of an item in a subtree, read at one instant.
#[napi(object, object_from_js = false)]
pub struct StockLevel {
    /// On hand.
    pub on_hand: String,
    /// Reserved.
    pub reserved: String,
    /// Available to promise: on hand less reserved.
    pub available: String,
}

/// One backordered order line.
#[napi(object, object_from_js = false, use_nullable = true)]
pub struct Backorder {
    /// The order.
    pub order: String,
    /// The line.
    pub line: u32,
    /// The item.
    pub sku: String,
    /// How much waits for stock.
    pub qty: String,
    /// The order's priority.
    pub priority: u32,
    /// The order's due date (epoch ms).
    pub due_at: Option<i64>,
}

/// One bin and lot of an allocation plan.
#[napi(object, object_from_js = false, use_nullable = true)]
pub struct AllocationLine {
    /// The bin.
    pub location: String,
    /// The lot.
    pub lot: Option<String>,
    /// How much to take there.
    pub qty: String,
}

/// Where a demand would be served from.
#[napi(object, object_from_js = false)]
pub struct AllocationPlan {
    /// The item.
    pub sku: String,
    /// What was asked for.
    pub requested: String,
    /// The split over bins and lots.
    pub lines: Vec<AllocationLine>,
    /// What could not be served.
    pub short: String,
}

// ---- arguments ----------------------------------------------------------------------------

/// Make a reservation.
#[napi(object, object_to_js = false)]
pub struct ReserveArgs {
    /// Its id (default: generated, `RS-<seq>`).
    pub reservation_id: Option<String>,
    /// The item.
    pub sku: String,
    /// How much, in `unit`.
    #[napi(ts_type = "string | number | bigint")]
    pub qty: QtyIn,
    /// The unit of `qty`.
    pub unit: Option<String>,
    /// The location whose subtree holds the stock (a site, zone or bin).
    pub scope: String,
    /// Pin a lot.
    pub lot: Option<String>,
    /// Pin the bin (and lot, for lot-tracked items).
    pub hard: Option<bool>,
    /// The order it serves.
    pub order: Option<String>,
    /// The order line it serves.
    pub line: Option<f64>,
    /// Time-to-live in milliseconds.
    pub ttl_ms: Option<f64>,
}

impl TryFrom<ReserveArgs> for so::Reserve {
    type Error = Refusal;
    fn try_from(r: ReserveArgs) -> Result<Self, Refusal> {
        let mut reserve = so::Reserve::new(&r.sku, &r.scope, qty(r.qty, "qty")?);
        reserve.reservation_id = r.reservation_id;
        reserve.unit = r.unit;
        reserve.lot = r.lot;
        reserve.hard = r.hard.unwrap_or(reserve.hard);
        reserve.order = r.order;
        reserve.line = opt_int(r.line, "line")?;
        reserve.ttl_ms = r
            .ttl_ms
            .map(|ms| time(Either::A(ms), "ttlMs"))
            .transpose()?;
        Ok(reserve)
    }
}

/// Issue reserved stock (ship it); a partial commit releases the rest.
#[napi(object, object_to_js = false)]
pub struct CommitReservationArgs {
    /// The reservation.
    pub reservation_id: String,
    /// How much (default: all it holds).
    #[napi(ts_type = "string | number | bigint")]
    pub qty: Option<QtyIn>,
    /// The bin to take it from (default: the scope); within the scope.
    pub location: Option<String>,
    /// The lot to take (default: the pinned lot).
    pub lot: Option<String>,
    /// Serials (serial-tracked items).
    pub serials: Option<Vec<String>>,
    /// The customer location (default `@customer`).
    pub to: Option<String>,
}

impl TryFrom<CommitReservationArgs> for so::CommitReservation {
    type Error = Refusal;
    fn try_from(c: CommitReservationArgs) -> Result<Self, Refusal> {
        Ok({
            let mut v =
                so::CommitReservation::new(c.reservation_id).serials(c.serials.unwrap_or_default());
            v.qty = opt_qty(c.qty, "qty")?;
            v.location = c.location;
            v.lot = c.lot;
            v.to = c.to;
            v
        })
    }
}

/// Give back all or part of a reservation.
#[napi(object, object_to_js = false)]
pub struct ReleaseReservationArgs {
    /// The reservation.
    pub reservation_id: String,
    /// How much (default: all it holds).
    #[napi(ts_type = "string | number | bigint")]
    pub qty: Option<QtyIn>,
}

/// A line of a new order.
#[napi(object, object_to_js = false)]
pub struct NewOrderLine {
    /// The item.
    pub sku: String,
    /// How much, in `unit`.
    #[napi(ts_type = "string | number | bigint")]
    pub qty: QtyIn,
    /// The unit of `qty`.
    pub unit: Option<String>,
}

/// Create an order (as a draft).
#[napi(object, object_to_js = false)]
pub struct CreateOrderArgs {
    /// Its id.
    pub order_id: String,
    /// The customer.
    pub customer: Option<String>,
    /// Priority: lower numbers are served first (default: the engine's, 100).
    pub priority: Option<f64>,
    /// When it is due.
    #[napi(ts_type = "Date | number")]
    pub due_at: Option<TimeIn>,
    /// The site or zone it ships from.
    pub ship_from: String,
    /// Where picked stock waits (default: `shipFrom`).
    pub staging: Option<String>,
    /// Where shipped stock goes (default `@customer`).
    pub ship_to: Option<String>,
    /// The lines.
    pub lines: Vec<NewOrderLine>,
}

impl TryFrom<CreateOrderArgs> for so::CreateOrder {
    type Error = Refusal;
    fn try_from(c: CreateOrderArgs) -> Result<Self, Refusal> {
        let mut lines = Vec::with_capacity(c.lines.len());
        for l in c.lines {
            lines
                .push(json!({"sku": l.sku, "qty": qty(l.qty, "qty")?.to_string(), "unit": l.unit}));
        }
        // Through serde, so that a left-out priority takes the engine's own default.
        let mut value = json!({
            "order_id": c.order_id,
            "customer": c.customer,
            "due_at": opt_time(c.due_at, "dueAt")?,
            "ship_from": c.ship_from,
            "staging": c.staging,
            "ship_to": c.ship_to,
            "lines": lines,
        });
        if let Some(priority) = opt_int::<u32>(c.priority, "priority")? {
            value["priority"] = json!(priority);
        }
        serde_json::from_value(value).map_err(|e| type_error("createOrder", &e.to_string()))
    }
}

/// Allocate stock to an order's open lines (what is not there is backordered).
#[napi(object, object_to_js = false)]
pub struct AllocateOrderArgs {
    /// The order.
    pub order_id: String,
    /// Which stock to take first (default `'fifo'`).
    #[napi(ts_type = "StrategyName | StrategyWith")]
    pub strategy: Option<StrategyIn>,
}

/// Allocate short stock across competing orders.
#[napi(object, object_to_js = false)]
pub struct AllocateOrdersArgs {
    /// The orders (default: every confirmed or backordered order).
    pub order_ids: Option<Vec<String>>,
    /// Who gets short stock (default `'priority_due_date'`).
    pub policy: Option<ShortagePolicy>,
    /// Which stock to take first (default `'fifo'`).
    #[napi(ts_type = "StrategyName | StrategyWith")]
    pub strategy: Option<StrategyIn>,
}

impl TryFrom<AllocateOrdersArgs> for so::AllocateOrders {
    type Error = Refusal;
    fn try_from(a: AllocateOrdersArgs) -> Result<Self, Refusal> {
        Ok(so::AllocateOrders::new()
            .order_ids(a.order_ids.unwrap_or_default())
            .policy(a.policy.map(Into::into).unwrap_or_default())
            .strategy(strategy(a.strategy)?))
    }
}

/// Fill backordered lines from stock that has arrived.
#[napi(object, object_to_js = false)]
pub struct FillBackordersArgs {
    /// Only this item (default: every item with backorders).
    pub sku: Option<String>,
    /// Who gets short stock (default `'priority_due_date'`).
    pub policy: Option<ShortagePolicy>,
    /// Which stock to take first (default `'fifo'`).
    #[napi(ts_type = "StrategyName | StrategyWith")]
    pub strategy: Option<StrategyIn>,
}

impl TryFrom<FillBackordersArgs> for so::FillBackorders {
    type Error = Refusal;
    fn try_from(f: FillBackordersArgs) -> Result<Self, Refusal> {
        Ok({
            let mut v = so::FillBackorders::new()
                .policy(f.policy.map(Into::into).unwrap_or_default())
                .strategy(strategy(f.strategy)?);
            v.sku = f.sku;
            v
        })
    }
}

/// Pick stock of one line from one bin to the order's staging location.
#[napi(object, object_to_js = false)]
pub struct PickOrderArgs {
    /// The order.
    pub order_id: String,
    /// The line.
    pub line: f64,
    /// The bin picked from.
    pub location: String,
    /// The lot picked.
    pub lot: Option<String>,
    /// How much was picked.
    #[napi(ts_type = "string | number | bigint")]
    pub qty: QtyIn,
    /// The serials picked.
    pub serials: Option<Vec<String>>,
    /// The bin held less than allocated: release the rest of its allocation there and
    /// allocate it elsewhere, or backorder it.
    pub short: Option<bool>,
}

impl TryFrom<PickOrderArgs> for so::PickOrder {
    type Error = Refusal;
    fn try_from(p: PickOrderArgs) -> Result<Self, Refusal> {
        Ok({
            let mut v = so::PickOrder::new(
                p.order_id,
                int(p.line, "line")?,
                p.location,
                qty(p.qty, "qty")?,
            )
            .serials(p.serials.unwrap_or_default())
            .short(p.short.unwrap_or_default());
            v.lot = p.lot;
            v
        })
    }
}

/// A quantity of one order line to put in a package.
#[napi(object, object_to_js = false)]
pub struct PackageContentInput {
    /// The order line.
    pub line: f64,
    /// How much of it.
    #[napi(ts_type = "string | number | bigint")]
    pub qty: QtyIn,
}

/// One package to pack.
#[napi(object, object_to_js = false)]
pub struct PackageInput {
    /// Its id (label).
    pub id: String,
    /// What it holds.
    pub contents: Vec<PackageContentInput>,
}

/// Pack the picked stock into packages.
#[napi(object, object_to_js = false)]
pub struct PackOrderArgs {
    /// The order.
    pub order_id: String,
    /// The packages; together they must hold exactly what was picked.
    pub packages: Vec<PackageInput>,
}

impl TryFrom<PackOrderArgs> for so::PackOrder {
    type Error = Refusal;
    fn try_from(p: PackOrderArgs) -> Result<Self, Refusal> {
        let mut packages = Vec::with_capacity(p.packages.len());
        for package in p.packages {
            let mut contents = Vec::with_capacity(package.contents.len());
            for c in package.contents {
                contents.push(so::PackageContent::new(
                    int(c.line, "line")?,
                    qty(c.qty, "qty")?,
                ));
            }
            packages.push(so::Package::new(package.id, contents));
        }
        Ok(so::PackOrder::new(p.order_id, packages))
    }
}

/// A step on an order that needs only its id (confirm, ship, deliver).
#[napi(object, object_to_js = false)]
pub struct OrderStepArgs {
    /// The order.
    pub order_id: String,
}

/// Cancel an order, releasing what it holds and returning picked stock.
#[napi(object, object_to_js = false)]
pub struct CancelOrderArgs {
    /// The order.
    pub order_id: String,
    /// Where picked stock goes (default: back to the bins it was picked from).
    pub return_to: Option<String>,
}

/// Which reservations to list.
#[napi(object, object_to_js = false)]
pub struct ReservationFilter {
    /// Only those of this order.
    pub order: Option<String>,
    /// Only those of this item.
    pub sku: Option<String>,
    /// Only those whose scope lies in this location's subtree.
    pub scope: Option<String>,
    /// Only those in this state.
    pub state: Option<ReservationState>,
}

/// The engine command for each order/reservation variant of [`crate::inputs::Command`].
pub(crate) mod command {
    use super::{
        AllocateOrderArgs, AllocateOrdersArgs, CancelOrderArgs, CommitReservationArgs,
        CreateOrderArgs, FillBackordersArgs, OrderStepArgs, PackOrderArgs, PickOrderArgs, Refusal,
        ReleaseReservationArgs, ReserveArgs, opt_qty, so, strategy,
    };
    use stockbook::Command as C;

    pub fn reserve(a: ReserveArgs) -> Result<C, Refusal> {
        Ok(C::Reserve(a.try_into()?))
    }
    pub fn commit_reservation(a: CommitReservationArgs) -> Result<C, Refusal> {
        Ok(C::CommitReservation(a.try_into()?))
    }
    pub fn release_reservation(a: ReleaseReservationArgs) -> Result<C, Refusal> {
        Ok(C::ReleaseReservation {
            reservation_id: a.reservation_id,
            qty: opt_qty(a.qty, "qty")?,
        })
    }
    pub fn create_order(a: CreateOrderArgs) -> Result<C, Refusal> {
        Ok(C::CreateOrder(a.try_into()?))
    }
    pub fn allocate_order(a: AllocateOrderArgs) -> Result<C, Refusal> {
        Ok(C::AllocateOrder(
            so::AllocateOrder::new(a.order_id).strategy(strategy(a.strategy)?),
        ))
    }
    pub fn allocate_orders(a: AllocateOrdersArgs) -> Result<C, Refusal> {
        Ok(C::AllocateOrders(a.try_into()?))
    }
    pub fn fill_backorders(a: FillBackordersArgs) -> Result<C, Refusal> {
        Ok(C::FillBackorders(a.try_into()?))
    }
    pub fn pick_order(a: PickOrderArgs) -> Result<C, Refusal> {
        Ok(C::PickOrder(a.try_into()?))
    }
    pub fn pack_order(a: PackOrderArgs) -> Result<C, Refusal> {
        Ok(C::PackOrder(a.try_into()?))
    }
    pub fn step(a: OrderStepArgs) -> so::OrderStep {
        so::OrderStep::new(a.order_id)
    }
    pub fn cancel_order(a: CancelOrderArgs) -> C {
        C::CancelOrder({
            let mut v = so::CancelOrder::new(a.order_id);
            v.return_to = a.return_to;
            v
        })
    }
}

// ---- methods ------------------------------------------------------------------------------

#[napi]
impl Stockbook {
    /// Reserves stock in a scope (soft) or a bin (hard); the receipt's `reservationId`
    /// names it. Reserved stock is never more than on hand, under any concurrency.
    #[napi(ts_return_type = "Promise<Receipt>")]
    pub fn reserve(&self, args: ReserveArgs, meta: Option<Meta>) -> napi::Result<Later<Receipt>> {
        self.write(command::reserve(args), meta)
    }

    /// Issues reserved stock (ships it); a partial commit releases the rest.
    #[napi(ts_return_type = "Promise<Receipt>")]
    pub fn commit_reservation(
        &self,
        args: CommitReservationArgs,
        meta: Option<Meta>,
    ) -> napi::Result<Later<Receipt>> {
        self.write(command::commit_reservation(args), meta)
    }

    /// Gives back all (no `qty`) or part of a reservation.
    #[napi(ts_return_type = "Promise<Receipt>")]
    pub fn release_reservation(
        &self,
        reservation_id: String,
        #[napi(ts_arg_type = "string | number | bigint | null")] qty: Option<QtyIn>,
        meta: Option<Meta>,
    ) -> napi::Result<Later<Receipt>> {
        self.write(
            command::release_reservation(ReleaseReservationArgs {
                reservation_id,
                qty,
            }),
            meta,
        )
    }

    /// Records the expiry of every reservation past its time-to-live (any write does this
    /// first; this does only this).
    #[napi(ts_return_type = "Promise<Receipt>")]
    pub fn expire_due(&self, meta: Option<Meta>) -> napi::Result<Later<Receipt>> {
        self.write(Ok(sb::Command::ExpireDue {}), meta)
    }

    /// Creates an order as a draft.
    #[napi(ts_return_type = "Promise<Receipt>")]
    pub fn create_order(
        &self,
        args: CreateOrderArgs,
        meta: Option<Meta>,
    ) -> napi::Result<Later<Receipt>> {
        self.write(command::create_order(args), meta)
    }

    /// Confirms a draft order.
    #[napi(ts_return_type = "Promise<Receipt>")]
    pub fn confirm_order(
        &self,
        order_id: String,
        meta: Option<Meta>,
    ) -> napi::Result<Later<Receipt>> {
        self.write(
            Ok(sb::Command::ConfirmOrder(command::step(OrderStepArgs {
                order_id,
            }))),
            meta,
        )
    }

    /// Allocates stock to an order's open lines by `strategy` (default `'fifo'`); what is
    /// not there is backordered.
    #[napi(ts_return_type = "Promise<Receipt>")]
    pub fn allocate_order(
        &self,
        order_id: String,
        #[napi(ts_arg_type = "StrategyName | StrategyWith | null")] strategy: Option<StrategyIn>,
        meta: Option<Meta>,
    ) -> napi::Result<Later<Receipt>> {
        self.write(
            command::allocate_order(AllocateOrderArgs { order_id, strategy }),
            meta,
        )
    }

    /// Allocates short stock across competing orders under a policy.
    #[napi(ts_return_type = "Promise<Receipt>")]
    pub fn allocate_orders(
        &self,
        args: AllocateOrdersArgs,
        meta: Option<Meta>,
    ) -> napi::Result<Later<Receipt>> {
        self.write(command::allocate_orders(args), meta)
    }

    /// Fills backordered lines from stock that has arrived.
    #[napi(ts_return_type = "Promise<Receipt>")]
    pub fn fill_backorders(
        &self,
        args: Option<FillBackordersArgs>,
        meta: Option<Meta>,
    ) -> napi::Result<Later<Receipt>> {
        let args = args.unwrap_or(FillBackordersArgs {
            sku: None,
            policy: None,
            strategy: None,
        });
        self.write(command::fill_backorders(args), meta)
    }

    /// Picks a line's stock from a bin to the order's staging location.
    #[napi(ts_return_type = "Promise<Receipt>")]
    pub fn pick_order(
        &self,
        args: PickOrderArgs,
        meta: Option<Meta>,
    ) -> napi::Result<Later<Receipt>> {
        self.write(command::pick_order(args), meta)
    }

    /// Packs the picked stock into packages.
    #[napi(ts_return_type = "Promise<Receipt>")]
    pub fn pack_order(
        &self,
        args: PackOrderArgs,
        meta: Option<Meta>,
    ) -> napi::Result<Later<Receipt>> {
        self.write(command::pack_order(args), meta)
    }

    /// Ships a packed order: issues the stock and commits its reservations.
    #[napi(ts_return_type = "Promise<Receipt>")]
    pub fn ship_order(&self, order_id: String, meta: Option<Meta>) -> napi::Result<Later<Receipt>> {
        self.write(
            Ok(sb::Command::ShipOrder(command::step(OrderStepArgs {
                order_id,
            }))),
            meta,
        )
    }

    /// Records delivery of a shipped order.
    #[napi(ts_return_type = "Promise<Receipt>")]
    pub fn deliver_order(
        &self,
        order_id: String,
        meta: Option<Meta>,
    ) -> napi::Result<Later<Receipt>> {
        self.write(
            Ok(sb::Command::DeliverOrder(command::step(OrderStepArgs {
                order_id,
            }))),
            meta,
        )
    }

    /// Cancels an order with compensation: releases what it holds and returns picked stock
    /// (to `returnTo`, default: the bins it was picked from).
    #[napi(ts_return_type = "Promise<Receipt>")]
    pub fn cancel_order(
        &self,
        order_id: String,
        return_to: Option<String>,
        meta: Option<Meta>,
    ) -> napi::Result<Later<Receipt>> {
        self.write(
            Ok(command::cancel_order(CancelOrderArgs {
                order_id,
                return_to,
            })),
            meta,
        )
    }

    /// One reservation (a pending one past its time-to-live shows as expired).
    #[napi]
    pub fn reservation(&self, env: Env, id: String) -> napi::Result<Reservation> {
        throw(&env, self.book().reservation(&id)).map(Reservation::from)
    }

    /// Reservations matching `filter`, by id.
    #[napi]
    pub fn reservations(
        &self,
        env: Env,
        filter: Option<ReservationFilter>,
    ) -> napi::Result<Vec<Reservation>> {
        let filter = filter.map_or_else(so::ReservationFilter::default, |f| {
            let mut v = so::ReservationFilter::new();
            v.order = f.order;
            v.sku = f.sku;
            v.scope = f.scope;
            v.state = f.state.map(Into::into);
            v
        });
        throw(&env, self.book().reservations(&filter))
            .map(|v| v.into_iter().map(Reservation::from).collect())
    }

    /// Stock of `sku` reserved in the subtree of `location` now.
    #[napi]
    pub fn reserved(&self, env: Env, sku: String, location: String) -> napi::Result<String> {
        throw(&env, self.book().reserved(&sku, &location)).map(qty_out)
    }

    /// Available to promise: on hand less reserved, in the subtree of `location`.
    #[napi]
    pub fn available(&self, env: Env, sku: String, location: String) -> napi::Result<String> {
        throw(&env, self.book().available(&sku, &location)).map(qty_out)
    }

    /// On hand, reserved and available of `sku` in the subtree of `location`, read at one
    /// instant.
    #[napi]
    pub fn stock_level(&self, env: Env, sku: String, location: String) -> napi::Result<StockLevel> {
        throw(&env, self.book().stock_level(&sku, &location)).map(|l| StockLevel {
            on_hand: qty_out(l.on_hand),
            reserved: qty_out(l.reserved),
            available: qty_out(l.available),
        })
    }

    /// Stock of `sku` reserved in the subtree of `location` as it stood at `asOf`.
    #[napi(ts_return_type = "Promise<string>")]
    pub fn reserved_at(
        &self,
        sku: String,
        location: String,
        as_of: AsOf,
    ) -> napi::Result<Later<String>> {
        let book = self.book().clone();
        spawn_with(sb::AsOf::try_from(as_of), move |as_of| {
            book.reserved_at(&sku, &location, as_of).map(qty_out)
        })
    }

    /// Available to promise as it stood at `asOf`.
    #[napi(ts_return_type = "Promise<string>")]
    pub fn available_at(
        &self,
        sku: String,
        location: String,
        as_of: AsOf,
    ) -> napi::Result<Later<String>> {
        let book = self.book().clone();
        spawn_with(sb::AsOf::try_from(as_of), move |as_of| {
            book.available_at(&sku, &location, as_of).map(qty_out)
        })
    }

    /// One order with its line-level ordered, allocated, picked, shipped and backordered
    /// quantities.
    #[napi]
    pub fn order(&self, env: Env, id: String) -> napi::Result<Order> {
        throw(&env, self.book().order(&id)).map(Order::from)
    }

    /// Orders (in one `state`, or all), by id.
    #[napi]
    pub fn orders(&self, env: Env, state: Option<OrderState>) -> napi::Result<Vec<Order>> {
        throw(&env, self.book().orders(state.map(Into::into)))
            .map(|v| v.into_iter().map(Order::from).collect())
    }

    /// Every backordered line of an open order (of one `sku`, or all), in the order the
    /// shortage policy serves them.
    #[napi]
    pub fn backorders(&self, env: Env, sku: Option<String>) -> napi::Result<Vec<Backorder>> {
        throw(&env, self.book().backorders(sku.as_deref())).map(|v| {
            v.into_iter()
                .map(|b| Backorder {
                    order: b.order,
                    line: b.line,
                    sku: b.sku,
                    qty: qty_out(b.qty),
                    priority: b.priority,
                    due_at: b.due_at,
                })
                .collect()
        })
    }

    /// Where `qty` of `sku` would be taken from in `scope` by `strategy` (default
    /// `'fifo'`), without reserving anything.
    #[napi]
    pub fn plan_allocation(
        &self,
        env: Env,
        sku: String,
        #[napi(ts_arg_type = "string | number | bigint")] qty: QtyIn,
        scope: String,
        #[napi(ts_arg_type = "StrategyName | StrategyWith | null")] strategy: Option<StrategyIn>,
    ) -> napi::Result<AllocationPlan> {
        let refused = |r| crate::book::thrown(env, r);
        let qty = self::qty(qty, "qty").map_err(refused)?;
        let strategy = self::strategy(strategy).map_err(refused)?;
        throw(
            &env,
            self.book().plan_allocation(&sku, qty, &scope, &strategy),
        )
        .map(|p| AllocationPlan {
            sku: p.sku,
            requested: qty_out(p.requested),
            lines: p
                .lines
                .into_iter()
                .map(|l| AllocationLine {
                    location: l.location,
                    lot: l.lot,
                    qty: qty_out(l.qty),
                })
                .collect(),
            short: qty_out(p.short),
        })
    }
}
