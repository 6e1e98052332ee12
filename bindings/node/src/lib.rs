//! Node.js binding of the Stockbook inventory engine (napi-rs): the native half.
//!
//! The handle and one generic entry only; every rule lives in the `stockbook` crate, and
//! every command and query method is generated (`surface.js`, from the core's one
//! definition by `cargo run -p xtask -- generate`).
//!
//! - [`book`]: the `Stockbook` handle (open, in memory, close, sync), its options and the
//!   `ManualClock`;
//! - [`call`]: the generic entry, a call as JSON text to the core (`call` on the thread
//!   pool, `callSync` on the calling thread), and `calculate` for the stateless planning
//!   calculations;
//! - [`convert`]: instants and integers of the handle's own arguments;
//! - [`error`]: engine errors as JSON text or JavaScript `Error` objects;
//! - [`job`]: running engine calls on the libuv thread pool.

// napi-derive expands `#[napi]` items into `unsafe` FFI glue.
#![allow(unsafe_code)]

pub mod book;
pub mod call;
pub mod convert;
pub mod error;
pub mod job;
