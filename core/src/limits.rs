//! The engine's limits, in one place: every request is bounded, so that no caller can make
//! the writer hold an unbounded amount of work, memory or file space for one command.
//!
//! One rule: a request beyond a limit here is refused with
//! [`Error::LimitExceeded`](crate::Error::LimitExceeded) (code `limit_exceeded`), naming
//! what is too long or too many (`what`) and the limit (`max`), and nothing of it is
//! written; the batch and per-command counts are checked on the caller's thread, before
//! the request reaches the writer. The one exception is a code — an identifier: SKU,
//! location, lot, serial, unit, attribute name, idempotency key, actor, correlation —
//! longer than [`CODE_LEN_MAX`]: it is a malformed code, `invalid_code` with its `kind`,
//! as every binding's scenarios have always pinned it.

/// The most commands in one atomic batch (`execute_batch`): `what` = `batch`.
pub const BATCH_COMMANDS_MAX: usize = 10_000;

/// The most free attributes of one item: `what` = `attributes`.
pub const ATTRIBUTES_MAX: usize = 256;

/// The longest attribute name, in bytes: a code, refused as `invalid_code` (`kind` =
/// `attribute`).
pub const ATTRIBUTE_KEY_LEN_MAX: usize = CODE_LEN_MAX;

/// The longest attribute value, in bytes: `what` = `attribute_value`.
pub const ATTRIBUTE_VALUE_LEN_MAX: usize = 4096;

/// The longest code (SKU, location, lot, serial, unit, attribute name, key, actor,
/// correlation), in bytes; longer is a malformed code, refused as `invalid_code`.
pub const CODE_LEN_MAX: usize = 128;

/// The longest free text (names, reasons, categories), in bytes: `what` = the field.
pub const TEXT_LEN_MAX: usize = 4096;

/// The longest idempotency key, in bytes: a code, refused as `invalid_code` (`kind` =
/// `key`).
pub const KEY_LEN_MAX: usize = CODE_LEN_MAX;

/// The most lines of one sales order: `what` = `lines`.
pub const ORDER_LINES_MAX: usize = 1000;

/// The most lines of one purchase order: `what` = `lines`.
pub const PURCHASE_ORDER_LINES_MAX: usize = 1000;

/// The most serials one command carries (and so one movement): `what` = `serials`.
pub const SERIALS_PER_COMMAND_MAX: usize = 10_000;
