//! The engine's limits, in one place: every request is bounded, so that no caller can make
//! the writer hold an unbounded amount of work, memory or file space for one command.
//!
//! A request over a count or size limit here is refused before it reaches the writer with
//! [`Error::LimitExceeded`](crate::Error::LimitExceeded) (code `limit_exceeded`), naming
//! what is too long or too many (`what`) and the limit (`max`). The one exception keeps
//! the answer it always had: a code (SKU, location, lot, serial, actor, correlation) longer
//! than [`CODE_LEN_MAX`] is a malformed code, `invalid_code`, and free text longer than
//! [`TEXT_LEN_MAX`] is `invalid_argument`.

/// The most commands in one atomic batch (`execute_batch`): `what` = `batch`.
pub const BATCH_COMMANDS_MAX: usize = 10_000;

/// The most free attributes of one item: `what` = `attributes`.
pub const ATTRIBUTES_MAX: usize = 256;

/// The longest attribute name, in bytes: `what` = `attribute_key`.
pub const ATTRIBUTE_KEY_LEN_MAX: usize = 128;

/// The longest attribute value, in bytes: `what` = `attribute_value`.
pub const ATTRIBUTE_VALUE_LEN_MAX: usize = 4096;

/// The longest code (SKU, location, lot, serial, actor, correlation), in bytes; longer is
/// refused as `invalid_code`.
pub const CODE_LEN_MAX: usize = 128;

/// The longest free text (names, reasons, categories), in bytes; longer is refused as
/// `invalid_argument`.
pub const TEXT_LEN_MAX: usize = 4096;

/// The longest idempotency key, in bytes: `what` = `key`.
pub const KEY_LEN_MAX: usize = 128;

/// The most lines of one sales order: `what` = `lines`.
pub const ORDER_LINES_MAX: usize = 1000;

/// The most lines of one purchase order: `what` = `lines`.
pub const PURCHASE_ORDER_LINES_MAX: usize = 1000;

/// The most serials one command carries (and so one movement): `what` = `serials`.
pub const SERIALS_PER_COMMAND_MAX: usize = 10_000;
