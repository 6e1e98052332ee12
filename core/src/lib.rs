//! # Stockbook
//!
//! An embeddable inventory engine: stock ledgers, lots and serials, transfers, counts,
//! reservations that never oversell, order fulfilment, purchasing and replenishment
//! planning, and an append-only event log over one redb file — with the correctness of a
//! double-entry ledger and the throughput of group commit.
//!
//! ```
//! use stockbook::{Item, Location, Stockbook, Receive, Issue, Qty};
//!
//! let sb = Stockbook::in_memory()?;
//! sb.define_item(Item::new("BOLT-M8").decimals(0).name("Bolt M8"))?;
//! sb.define_location(Location::new("WH1"))?;
//! sb.receive(Receive::new("BOLT-M8", "WH1", 100))?;
//! sb.ship(Issue::new("BOLT-M8", "WH1", 30))?;
//! assert_eq!(sb.on_hand("BOLT-M8", "WH1")?, Qty::from_int(70));
//! let err = sb.ship(Issue::new("BOLT-M8", "WH1", 71)).unwrap_err();
//! assert_eq!(err.code(), "insufficient_stock");
//! # Ok::<(), stockbook::Error>(())
//! ```
//!
//! ## Map of the crate, top to bottom
//!
//! Each layer imports only the layers below it.
//! - [`engine`]: the [`Stockbook`] handle and its options; the writer and group commit;
//!   opening and replay; the handle's methods, by context (`engine/api`);
//! - [`command`]: every [`Command`] and [`Query`] (with its [`Answer`]), read from JSON with
//!   refusals that name the field, and their JSON Schema; the generic [`Call`] that
//!   [`Stockbook::call`] / [`Stockbook::call_json`] answer, the one entry point of every
//!   binding; the dispatch that hands each
//!   command to its context; the in-memory state, one part per context, that routes each
//!   event to its parts;
//! - [`orders`]: allocation across orders, shortage policies, the order saga;
//! - [`planning`]: purchase orders, demand history, forecasting, replenishment policies
//!   and the replenishment plan;
//! - [`warehouse`]: the layout geometry of a picking area and the pick-path routers
//!   (S-shape, largest gap, the optimum: exact on one block, local search on several);
//! - [`integration`]: the log handed to the world outside: events as CloudEvents JSON;
//! - [`ledger`]: the kernel the contexts call down into: master data, movements,
//!   balances, reservations (the rule that reserved never exceeds on hand), and their
//!   parts of the in-memory state (the stock, the holds);
//! - `store`: the storage seam (the one interface the engine reaches storage through:
//!   opening, format checks and upgrades, replay, the reads and writes of one commit),
//!   redb tables, codec, point-in-time index and snapshots;
//! - [`event`]: the facts of the log and their envelope;
//! - [`model`]: codes, exact quantities ([`Qty`]), items, locations, lots, and the
//!   records of orders, reservations and purchase orders;
//! - [`error`]: the one error type, with stable codes; [`limits`]: every bound on a
//!   request, each refused with a typed error.
#![forbid(unsafe_code)]

pub mod engine;

pub mod command;

pub mod orders;
pub mod planning;
pub mod warehouse;

pub mod integration;

pub mod ledger;

mod store;

pub mod event;
pub mod model;

mod collections;
pub mod error;
pub mod limits;
mod setters;

pub use command::{
    Answer, Call, Command, Counted, Dispatched, Query, ReceiptKind, Reserved, TypedReceipt, Written,
};
pub use command::{calculate, calculate_json};
pub use engine::{
    Clock, Durability, EventIter, Feed, ManualClock, Options, Stockbook, SystemClock, WithMeta,
};
pub use error::{Cause, EntityKind, Error, Result};
pub use event::{
    CountRecord, Envelope, Event, ForecastRecord, Movement, MovementKind, TransferRecord,
};
pub use integration::CloudEvent;
pub use ledger::{
    Adjust, AsOf, Balance, BalanceFilter, Count, Dispatch, IntegrityReport, Issue, Meta, Receipt,
    Receive, ReceiveTransfer, ReturnStock, Scrap, Transfer,
};
pub use model::{
    Capacity, Coordinates, Dimensions, Item, Location, LocationKind, Lot, Qty, Serial, Timestamp,
    Tracking, UnitConversion,
};
pub use orders::{
    AllocateOrder, AllocateOrders, CancelOrder, CommitReservation, CreateOrder, FillBackorders,
    NewOrderLine, Order, OrderState, OrderStep, PackOrder, PickOrder, Reservation,
    ReservationState, Reserve, ShortagePolicy, Strategy,
};
pub use planning::supply::{
    CreatePurchaseOrder, NewPurchaseOrderLine, OverReceipt, PurchaseOrder, PurchaseOrderState,
    PurchaseOrderStep, ReceivePurchaseOrder,
};
pub use planning::{
    AccuracyOptions, Calculation, CalculationAnswer, RecordForecast, RecordForecasts,
    WhatIfOptions, WhatIfPolicy,
};
pub use store::FORMAT_VERSION;

/// The README's Rust snippets, compiled and run as doctests (`cargo test --doc`): what a
/// newcomer copies first must work as printed.
#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
pub struct ReadmeSnippets;

// A handle is shared between threads (clone it, or put it in an `Arc`): this fails to
// compile if it ever stops being `Send + Sync`.
const _: () = {
    const fn shared_between_threads<T: Send + Sync>() {}
    shared_between_threads::<Stockbook>();
};
