//! Reservations, allocation and orders as they cross the boundary, and their conversions.
//! Quantities are decimal text, timestamps epoch milliseconds, as everywhere in the binding.

use stockbook::orders as core;

use crate::error::{StockbookError, invalid_argument};
use crate::records::{qty, signed};

type Result<T> = std::result::Result<T, StockbookError>;

fn opt_qty(text: Option<&str>) -> Result<Option<stockbook::Qty>> {
    text.map(qty).transpose()
}

/// A non-negative `i32` as `u32`.
pub(crate) fn u32_of(field: &str, value: i32) -> Result<u32> {
    u32::try_from(value)
        .map_err(|_| invalid_argument(field, format!("must not be negative, got {value}")))
}

fn i32_of(value: u32) -> i32 {
    i32::try_from(value).unwrap_or(i32::MAX)
}

/// Where a reservation stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum ReservationState {
    /// Holding stock.
    Pending,
    /// Consumed by a movement; any rest was released.
    Committed,
    /// Given back before use.
    Released,
    /// Its time-to-live ran out.
    Expired,
}

same_variants!(ReservationState <=> core::ReservationState { Pending, Committed, Released, Expired });

/// Where an order stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum OrderState {
    /// Being written; holds nothing.
    Draft,
    /// Accepted; waiting for allocation.
    Confirmed,
    /// Stock reserved in bins.
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

same_variants!(OrderState <=> core::OrderState {
    Draft, Confirmed, Allocated, Picking, Packed, Shipped, Backordered, Delivered, Cancelled
});

/// Which stock to take first.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Enum)]
pub enum Strategy {
    /// First in, first out: the oldest receipt first.
    Fifo,
    /// First expired, first out, skipping lots with less shelf life left.
    Fefo {
        /// The least shelf life a lot must have left, in days.
        min_remaining_days: i32,
    },
    /// Last in, first out.
    Lifo,
    /// As few bins as possible.
    FewestLocations,
    /// The bins nearest to a location.
    Nearest {
        /// The location to measure from.
        location: String,
    },
    /// The caller's order of bins; bins not listed are not used.
    Ordered {
        /// Bin codes, first choice first.
        locations: Vec<String>,
    },
}

impl TryFrom<Strategy> for core::Strategy {
    type Error = StockbookError;
    fn try_from(s: Strategy) -> Result<Self> {
        Ok(match s {
            Strategy::Fifo => core::Strategy::Fifo,
            Strategy::Fefo { min_remaining_days } => core::Strategy::Fefo {
                min_remaining_days: u32_of("min_remaining_days", min_remaining_days)?,
            },
            Strategy::Lifo => core::Strategy::Lifo,
            Strategy::FewestLocations => core::Strategy::FewestLocations,
            Strategy::Nearest { location } => core::Strategy::Nearest { location },
            Strategy::Ordered { locations } => core::Strategy::Ordered { locations },
        })
    }
}

/// `None` is the core's default strategy (FIFO).
pub(crate) fn strategy(s: Option<Strategy>) -> Result<core::Strategy> {
    s.map_or_else(|| Ok(core::Strategy::default()), core::Strategy::try_from)
}

/// Who gets short stock when orders compete for it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum ShortagePolicy {
    /// By priority, then due date, then age.
    PriorityDueDate,
    /// Proportionally to demand, exactly.
    FairShare,
}

same_variants!(ShortagePolicy <=> core::ShortagePolicy { PriorityDueDate, FairShare });

fn policy(p: Option<ShortagePolicy>) -> core::ShortagePolicy {
    p.map_or_else(core::ShortagePolicy::default, Into::into)
}

/// A hold on stock.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct Reservation {
    /// Its id.
    pub id: String,
    /// The item.
    pub sku: String,
    /// The location whose subtree the stock is held in.
    pub scope: String,
    /// The lot held, if one is pinned.
    pub lot: Option<String>,
    /// Hard reservations pin a bin (and lot); soft ones hold a quantity in the scope.
    pub hard: bool,
    /// The quantity still held (zero once closed), as decimal text.
    pub qty: String,
    /// The quantity first reserved.
    pub requested: String,
    /// The quantity consumed by movements.
    pub committed: String,
    /// The order it serves.
    pub order: Option<String>,
    /// The order line it serves.
    pub line: Option<i32>,
    /// When it was made (engine time, ms since the epoch).
    pub created_at: i64,
    /// When it stops holding stock, if it has a time-to-live.
    pub expires_at: Option<i64>,
    /// Where it stands.
    pub state: ReservationState,
}

impl From<core::Reservation> for Reservation {
    fn from(r: core::Reservation) -> Self {
        Reservation {
            id: r.id,
            sku: r.sku,
            scope: r.scope,
            lot: r.lot,
            hard: r.hard,
            qty: r.qty.to_string(),
            requested: r.requested.to_string(),
            committed: r.committed.to_string(),
            order: r.order,
            line: r.line.map(i32_of),
            created_at: r.created_at,
            expires_at: r.expires_at,
            state: r.state.into(),
        }
    }
}

/// Which reservations to list.
#[derive(Debug, Clone, PartialEq, Eq, Default, uniffi::Record)]
pub struct ReservationFilter {
    /// Only those of this order.
    #[uniffi(default)]
    pub order: Option<String>,
    /// Only those of this item.
    #[uniffi(default)]
    pub sku: Option<String>,
    /// Only those whose scope lies in this location's subtree.
    #[uniffi(default)]
    pub scope: Option<String>,
    /// Only those in this state.
    #[uniffi(default)]
    pub state: Option<ReservationState>,
}

impl From<ReservationFilter> for core::ReservationFilter {
    fn from(f: ReservationFilter) -> Self {
        {
            let mut v = core::ReservationFilter::new();
            v.order = f.order;
            v.sku = f.sku;
            v.scope = f.scope;
            v.state = f.state.map(Into::into);
            v
        }
    }
}

/// Make a reservation.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct Reserve {
    /// The item.
    pub sku: String,
    /// How much, in `unit`, as decimal text.
    pub qty: String,
    /// The location whose subtree holds the stock (a site, zone or bin).
    pub scope: String,
    /// Its id (default: generated, `RS-<seq>`).
    #[uniffi(default)]
    pub reservation_id: Option<String>,
    /// The unit of `qty`.
    #[uniffi(default)]
    pub unit: Option<String>,
    /// Pin a lot.
    #[uniffi(default)]
    pub lot: Option<String>,
    /// Pin the bin (and lot, for lot-tracked items).
    #[uniffi(default = false)]
    pub hard: bool,
    /// The order it serves.
    #[uniffi(default)]
    pub order: Option<String>,
    /// The order line it serves.
    #[uniffi(default)]
    pub line: Option<i32>,
    /// Time-to-live in milliseconds.
    #[uniffi(default)]
    pub ttl_ms: Option<i64>,
}

impl TryFrom<Reserve> for core::Reserve {
    type Error = StockbookError;
    fn try_from(r: Reserve) -> Result<Self> {
        Ok({
            let mut v = core::Reserve::new(r.sku, r.scope, qty(&r.qty)?).hard(r.hard);
            v.reservation_id = r.reservation_id;
            v.unit = r.unit;
            v.lot = r.lot;
            v.order = r.order;
            v.line = r.line.map(|l| u32_of("line", l)).transpose()?;
            v.ttl_ms = r.ttl_ms;
            v
        })
    }
}

/// Issue reserved stock (ship it); a partial commit releases the rest.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct CommitReservation {
    /// The reservation.
    pub reservation_id: String,
    /// How much, as decimal text (default: all it holds).
    #[uniffi(default)]
    pub qty: Option<String>,
    /// The bin to take it from (default: the scope).
    #[uniffi(default)]
    pub location: Option<String>,
    /// The lot to take (default: the pinned lot).
    #[uniffi(default)]
    pub lot: Option<String>,
    /// Serials (serial-tracked items).
    #[uniffi(default)]
    pub serials: Vec<String>,
    /// The customer location (default `@customer`).
    #[uniffi(default)]
    pub to: Option<String>,
}

impl TryFrom<CommitReservation> for core::CommitReservation {
    type Error = StockbookError;
    fn try_from(c: CommitReservation) -> Result<Self> {
        Ok({
            let mut v = core::CommitReservation::new(c.reservation_id).serials(c.serials);
            v.qty = opt_qty(c.qty.as_deref())?;
            v.location = c.location;
            v.lot = c.lot;
            v.to = c.to;
            v
        })
    }
}

/// A line of a new order.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct NewOrderLine {
    /// The item.
    pub sku: String,
    /// How much, in `unit`, as decimal text.
    pub qty: String,
    /// The unit of `qty`.
    #[uniffi(default)]
    pub unit: Option<String>,
}

/// Create an order (as a draft).
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct CreateOrder {
    /// Its id.
    pub order_id: String,
    /// The site or zone it ships from.
    pub ship_from: String,
    /// The lines.
    pub lines: Vec<NewOrderLine>,
    /// The customer.
    #[uniffi(default)]
    pub customer: Option<String>,
    /// Priority: lower numbers are served first.
    #[uniffi(default = 100)]
    pub priority: i32,
    /// When it is due (ms since the epoch).
    #[uniffi(default)]
    pub due_at: Option<i64>,
    /// Where picked stock waits (default: `ship_from`).
    #[uniffi(default)]
    pub staging: Option<String>,
    /// Where shipped stock goes (default `@customer`).
    #[uniffi(default)]
    pub ship_to: Option<String>,
}

impl TryFrom<CreateOrder> for core::CreateOrder {
    type Error = StockbookError;
    fn try_from(o: CreateOrder) -> Result<Self> {
        Ok({
            let mut v = core::CreateOrder::new(
                o.order_id,
                o.ship_from,
                o.lines
                    .into_iter()
                    .map(|l| {
                        Ok({
                            let mut v = core::NewOrderLine::new(l.sku, qty(&l.qty)?);
                            v.unit = l.unit;
                            v
                        })
                    })
                    .collect::<Result<_>>()?,
            )
            .priority(u32_of("priority", o.priority)?);
            v.customer = o.customer;
            v.due_at = o.due_at;
            v.staging = o.staging;
            v.ship_to = o.ship_to;
            v
        })
    }
}

/// Allocate short stock across competing orders.
#[derive(Debug, Clone, PartialEq, Eq, Default, uniffi::Record)]
pub struct AllocateOrders {
    /// The orders (empty: every confirmed or backordered order).
    #[uniffi(default)]
    pub order_ids: Vec<String>,
    /// Who gets short stock (default: priority, then due date).
    #[uniffi(default)]
    pub policy: Option<ShortagePolicy>,
    /// Which stock to take first (default: FIFO).
    #[uniffi(default)]
    pub strategy: Option<Strategy>,
}

impl TryFrom<AllocateOrders> for core::AllocateOrders {
    type Error = StockbookError;
    fn try_from(a: AllocateOrders) -> Result<Self> {
        Ok(core::AllocateOrders::new()
            .order_ids(a.order_ids)
            .policy(policy(a.policy))
            .strategy(strategy(a.strategy)?))
    }
}

/// Fill backordered lines from stock that has arrived.
#[derive(Debug, Clone, PartialEq, Eq, Default, uniffi::Record)]
pub struct FillBackorders {
    /// Only this item (default: every item with backorders).
    #[uniffi(default)]
    pub sku: Option<String>,
    /// Who gets short stock (default: priority, then due date).
    #[uniffi(default)]
    pub policy: Option<ShortagePolicy>,
    /// Which stock to take first (default: FIFO).
    #[uniffi(default)]
    pub strategy: Option<Strategy>,
}

impl TryFrom<FillBackorders> for core::FillBackorders {
    type Error = StockbookError;
    fn try_from(f: FillBackorders) -> Result<Self> {
        Ok({
            let mut v = core::FillBackorders::new()
                .policy(policy(f.policy))
                .strategy(strategy(f.strategy)?);
            v.sku = f.sku;
            v
        })
    }
}

/// Pick stock of one line from one bin to the order's staging location.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct PickOrder {
    /// The order.
    pub order_id: String,
    /// The line.
    pub line: i32,
    /// The bin picked from.
    pub location: String,
    /// How much was picked, as decimal text.
    pub qty: String,
    /// The lot picked.
    #[uniffi(default)]
    pub lot: Option<String>,
    /// The serials picked.
    #[uniffi(default)]
    pub serials: Vec<String>,
    /// The bin held less than allocated: re-allocate or backorder the rest.
    #[uniffi(default = false)]
    pub short: bool,
}

impl TryFrom<PickOrder> for core::PickOrder {
    type Error = StockbookError;
    fn try_from(p: PickOrder) -> Result<Self> {
        Ok({
            let mut v = core::PickOrder::new(
                p.order_id,
                u32_of("line", p.line)?,
                p.location,
                qty(&p.qty)?,
            )
            .serials(p.serials)
            .short(p.short);
            v.lot = p.lot;
            v
        })
    }
}

/// A quantity of one order line inside a package.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct PackageContent {
    /// The order line.
    pub line: i32,
    /// How much of it, as decimal text.
    pub qty: String,
}

/// One package of a packed order.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct Package {
    /// Its id (label).
    pub id: String,
    /// What it holds.
    pub contents: Vec<PackageContent>,
}

impl TryFrom<Package> for core::Package {
    type Error = StockbookError;
    fn try_from(p: Package) -> Result<Self> {
        Ok(core::Package::new(
            p.id,
            p.contents
                .into_iter()
                .map(|c| {
                    Ok(core::PackageContent::new(
                        u32_of("line", c.line)?,
                        qty(&c.qty)?,
                    ))
                })
                .collect::<Result<_>>()?,
        ))
    }
}

impl From<core::Package> for Package {
    fn from(p: core::Package) -> Self {
        Package {
            id: p.id,
            contents: p
                .contents
                .into_iter()
                .map(|c| PackageContent {
                    line: i32_of(c.line),
                    qty: c.qty.to_string(),
                })
                .collect(),
        }
    }
}

/// The packages of a pack step.
pub(crate) fn packages(list: Vec<Package>) -> Result<Vec<core::Package>> {
    list.into_iter().map(core::Package::try_from).collect()
}

/// Stock picked for a line and waiting at the order's staging location.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct Pick {
    /// The bin it was picked from.
    pub from: String,
    /// The lot picked.
    pub lot: Option<String>,
    /// How much, as decimal text.
    pub qty: String,
    /// The serials picked.
    pub serials: Vec<String>,
    /// The reservation that holds it at the staging location.
    pub reservation: String,
}

/// One line of an order, with its quantities at every stage (base units, decimal text).
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct OrderLine {
    /// Line number, from 1.
    pub line: i32,
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
    /// Pending reservations of this line in bins.
    pub reservations: Vec<String>,
}

/// A customer order.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct Order {
    /// Its id.
    pub id: String,
    /// The customer.
    pub customer: Option<String>,
    /// Priority: lower numbers are served first.
    pub priority: i32,
    /// When it is due (ms since the epoch).
    pub due_at: Option<i64>,
    /// The site (or zone) it ships from.
    pub ship_from: String,
    /// Where picked stock waits for packing and shipping.
    pub staging: String,
    /// Where shipped stock goes.
    pub ship_to: String,
    /// The lines.
    pub lines: Vec<OrderLine>,
    /// The packages, once packed.
    pub packages: Vec<Package>,
    /// Where it stands.
    pub state: OrderState,
    /// When it was created (engine time, ms since the epoch).
    pub created_at: i64,
    /// Sequence of its creation.
    pub created_seq: i64,
}

impl From<core::Order> for Order {
    fn from(o: core::Order) -> Self {
        Order {
            id: o.id,
            customer: o.customer,
            priority: i32_of(o.priority),
            due_at: o.due_at,
            ship_from: o.ship_from,
            staging: o.staging,
            ship_to: o.ship_to,
            lines: o
                .lines
                .into_iter()
                .map(|l| OrderLine {
                    line: i32_of(l.line),
                    sku: l.sku,
                    ordered: l.ordered.to_string(),
                    allocated: l.allocated.to_string(),
                    picked: l.picked.to_string(),
                    shipped: l.shipped.to_string(),
                    backordered: l.backordered.to_string(),
                    picks: l
                        .picks
                        .into_iter()
                        .map(|p| Pick {
                            from: p.from,
                            lot: p.lot,
                            qty: p.qty.to_string(),
                            serials: p.serials,
                            reservation: p.reservation,
                        })
                        .collect(),
                    reservations: l.reservations,
                })
                .collect(),
            packages: o.packages.into_iter().map(Package::from).collect(),
            state: o.state.into(),
            created_at: o.created_at,
            created_seq: signed(o.created_seq),
        }
    }
}

/// On hand, reserved and available of an item in a subtree, read at one instant.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct StockLevel {
    /// On hand, as decimal text.
    pub on_hand: String,
    /// Reserved.
    pub reserved: String,
    /// Available to promise: on hand less reserved.
    pub available: String,
}

impl From<core::StockLevel> for StockLevel {
    fn from(s: core::StockLevel) -> Self {
        StockLevel {
            on_hand: s.on_hand.to_string(),
            reserved: s.reserved.to_string(),
            available: s.available.to_string(),
        }
    }
}

/// One backordered order line.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct Backorder {
    /// The order.
    pub order: String,
    /// The line.
    pub line: i32,
    /// The item.
    pub sku: String,
    /// How much waits for stock, as decimal text.
    pub qty: String,
    /// The order's priority.
    pub priority: i32,
    /// The order's due date.
    pub due_at: Option<i64>,
}

impl From<core::Backorder> for Backorder {
    fn from(b: core::Backorder) -> Self {
        Backorder {
            order: b.order,
            line: i32_of(b.line),
            sku: b.sku,
            qty: b.qty.to_string(),
            priority: i32_of(b.priority),
            due_at: b.due_at,
        }
    }
}

/// One bin and lot of an allocation plan.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct AllocationLine {
    /// The bin.
    pub location: String,
    /// The lot.
    pub lot: Option<String>,
    /// How much to take there, as decimal text.
    pub qty: String,
}

/// Where a demand would be served from.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
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

impl From<core::AllocationPlan> for AllocationPlan {
    fn from(p: core::AllocationPlan) -> Self {
        AllocationPlan {
            sku: p.sku,
            requested: p.requested.to_string(),
            lines: p
                .lines
                .into_iter()
                .map(|l| AllocationLine {
                    location: l.location,
                    lot: l.lot,
                    qty: l.qty.to_string(),
                })
                .collect(),
            short: p.short.to_string(),
        }
    }
}
