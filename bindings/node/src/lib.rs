//! Node.js binding of the Stockbook inventory engine (napi-rs).
//!
//! Conversion and error mapping only: every rule lives in the `stockbook` crate.
//!
//! - [`book`]: the `Stockbook` class, its options and the `ManualClock`;
//! - [`call`]: `callJson`, the one generic entry point (a call as JSON text, forwarded to
//!   the core);
//! - [`inputs`]: command arguments, meta and filters as JavaScript passes them;
//! - [`records`]: what the engine returns, as plain JavaScript objects;
//! - [`orders`]: reservations, allocation and orders (arguments, records, methods);
//! - [`supply`]: purchase orders, stock on order and supplier lead times;
//! - [`planning`]: demand history and the replenishment plan;
//! - [`math`]: the pure planning math as module-level functions (forecasts, policies);
//! - [`convert`]: quantities, instants and sequence numbers;
//! - [`error`]: engine errors as JavaScript `Error` objects with `code` and facts;
//! - [`job`]: running engine calls on the libuv thread pool.
//!
//! The package's `lib.js` wraps the generated `index.js`: it turns the error objects into
//! instances of the exported error classes and argument errors into `TypeError`s.

// napi-derive expands `#[napi]` items into `unsafe` FFI glue; this crate writes one `unsafe`
// conversion itself (`planning::EngineError`, an error object inside a record).
#![allow(unsafe_code)]

pub mod book;
pub mod call;
pub mod convert;
pub mod error;
pub mod inputs;
pub mod job;
pub mod math;
pub mod orders;
pub mod planning;
pub mod records;
pub mod supply;
