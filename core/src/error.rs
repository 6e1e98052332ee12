//! The one error type of the engine.
//!
//! Every variant has a stable snake_case [`Error::code`] that the bindings carry over
//! unchanged, and the facts a caller needs to act on it. Errors are values: they are
//! `Clone` and serialisable because an idempotency key remembers a refusal too.

use serde::{Deserialize, Serialize};

/// Shorthand for results of this crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Everything that can go wrong in Stockbook.
#[derive(
    Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize, Deserialize, schemars::JsonSchema,
)]
#[non_exhaustive]
pub enum Error {
    /// A movement would take a balance below zero (or a reservation above what is there).
    #[error(
        "insufficient stock of {sku} at {location}: requested {requested}, available {available}"
    )]
    InsufficientStock {
        /// The item.
        sku: String,
        /// The location the stock was asked of.
        location: String,
        /// The lot, where the item is lot-tracked.
        lot: Option<String>,
        /// The quantity asked for, as exact decimal text.
        requested: String,
        /// The quantity there was, as exact decimal text.
        available: String,
    },
    /// A referenced entity does not exist.
    #[error("{kind} not found: {key}")]
    NotFound {
        /// What kind of entity (`item`, `location`, `lot`, `serial`, `transfer`, …).
        kind: String,
        /// Its key.
        key: String,
    },
    /// An entity with this key exists already.
    #[error("{kind} already exists: {key}")]
    AlreadyExists {
        /// What kind of entity.
        kind: String,
        /// Its key.
        key: String,
    },
    /// The entity is archived and takes no more movements or changes.
    #[error("{kind} is archived: {key}")]
    Archived {
        /// What kind of entity.
        kind: String,
        /// Its key.
        key: String,
    },
    /// An entity still holds stock and cannot be archived.
    #[error("{kind} {key} still holds stock")]
    NotEmpty {
        /// What kind of entity.
        kind: String,
        /// Its key.
        key: String,
    },
    /// A code (SKU, location code, lot code, serial, key) is malformed.
    #[error("invalid {kind} code {code:?}: {reason}")]
    InvalidCode {
        /// What the code names.
        kind: String,
        /// The code as given (truncated to a printable length).
        code: String,
        /// Why it is refused.
        reason: String,
    },
    /// A quantity is malformed, has more digits than the item allows, or overflows.
    #[error("invalid quantity {value:?}: {reason}")]
    InvalidQuantity {
        /// The quantity as given.
        value: String,
        /// Why it is refused.
        reason: String,
    },
    /// A command argument is out of range or inconsistent with the others.
    #[error("invalid argument {field}: {reason}")]
    InvalidArgument {
        /// The argument's name.
        field: String,
        /// Why it is refused.
        reason: String,
    },
    /// A planning parameter or series is unusable (empty, too short, out of range).
    #[error("invalid parameter {parameter}: {reason}")]
    InvalidParameter {
        /// The parameter's name.
        parameter: String,
        /// Why it is refused.
        reason: String,
    },
    /// A location's new parent would make the hierarchy a cycle.
    #[error("location {location} cannot have parent {parent}: that makes a cycle")]
    HierarchyCycle {
        /// The location being changed.
        location: String,
        /// The parent asked for.
        parent: String,
    },
    /// The item's tracking asks for a lot or serials that the command lacks (or the reverse).
    #[error("tracking of {sku}: {reason}")]
    Tracking {
        /// The item.
        sku: String,
        /// What is wrong.
        reason: String,
    },
    /// A lot is past its expiry date and the command did not allow that.
    #[error("lot {lot} of {sku} expired at {expiry_ms}")]
    LotExpired {
        /// The item.
        sku: String,
        /// The lot.
        lot: String,
        /// The expiry instant, milliseconds since the Unix epoch.
        expiry_ms: i64,
    },
    /// The same idempotency key came with a different command, or state changed under a
    /// compare-and-set style request.
    #[error("conflict on {key}: {reason}")]
    Conflict {
        /// The key that conflicts.
        key: String,
        /// Why.
        reason: String,
    },
    /// A step that the entity's state machine does not allow now.
    #[error("{entity} {id} is {state}: cannot {step}")]
    InvalidTransition {
        /// What kind of entity (`order`, `reservation`, `transfer`).
        entity: String,
        /// Its id.
        id: String,
        /// The state it is in.
        state: String,
        /// The step that was asked for.
        step: String,
    },
    /// One command of an atomic batch was refused, so none of them was applied.
    #[error("batch refused at command {index}: {source}")]
    BatchRefused {
        /// Zero-based position of the refused command in the batch.
        index: u32,
        /// Why it was refused.
        source: Box<Error>,
    },
    /// Another process has the file open.
    #[error("the file {path} is open in another process")]
    Locked {
        /// The file.
        path: String,
    },
    /// The file exists but is not a Stockbook file.
    #[error("{path} is not a Stockbook file: {reason}")]
    NotAStockbookFile {
        /// The file.
        path: String,
        /// What was found instead.
        reason: String,
    },
    /// The file was written by a newer Stockbook with a format this one does not read.
    #[error("unsupported format version {found} (this build reads up to {supported})")]
    UnsupportedFormat {
        /// The file's format version.
        found: u32,
        /// The newest version this build reads.
        supported: u32,
    },
    /// The file or directory could not be read or written.
    #[error("i/o error on {path}: {message}")]
    Io {
        /// The path concerned.
        path: String,
        /// `std::io::ErrorKind` in snake_case: `not_found`, `permission_denied`, …
        kind: String,
        /// The operating system's message.
        message: String,
    },
    /// The storage engine failed; the command was not applied.
    #[error("storage error: {message}")]
    Storage {
        /// The storage engine's message.
        message: String,
    },
    /// The handle was closed.
    #[error("the stockbook is closed")]
    Closed,
    /// A fault inside the engine (a panic) stopped this request. It was rolled back:
    /// nothing of it was written, its key (if any) is not remembered, and the engine goes
    /// on serving the other requests.
    #[error("internal error: {message}")]
    Internal {
        /// What failed, as far as the engine knows.
        message: String,
    },
    /// A check the writer makes before every commit failed. The engine stopped writing
    /// rather than commit a state it cannot vouch for (fail-stop): the group was not
    /// written, and every later write answers this error while reads keep working.
    #[error("invariant violated: {invariant}: {detail}")]
    InvariantViolated {
        /// The invariant, by name (`seq_contiguous`, `reserved_within_on_hand`,
        /// `folded_within_log`).
        invariant: String,
        /// What was found.
        detail: String,
    },
    /// A request goes beyond one of the engine's limits (see [`crate::limits`]).
    #[error("{what} exceeds the limit of {max}")]
    LimitExceeded {
        /// What is too long or too many (`batch`, `attributes`, `serials`, …).
        what: String,
        /// The limit.
        max: u64,
    },
    /// The idempotency key was first used longer ago than the retention window
    /// (`Options::key_retention_ms`): its outcome is forgotten, and the command is not
    /// executed again.
    #[error("the idempotency key {key} has expired")]
    KeyExpired {
        /// The key.
        key: String,
    },
}

impl Error {
    /// Every code [`Error::code`] answers, in the order of the variants.
    pub const CODES: &[&str] = &[
        "insufficient_stock",
        "not_found",
        "already_exists",
        "archived",
        "not_empty",
        "invalid_code",
        "invalid_quantity",
        "invalid_argument",
        "invalid_parameter",
        "hierarchy_cycle",
        "tracking",
        "lot_expired",
        "conflict",
        "invalid_transition",
        "batch_refused",
        "locked",
        "not_a_stockbook_file",
        "unsupported_format",
        "io",
        "storage",
        "closed",
        "internal",
        "invariant_violated",
        "limit_exceeded",
        "key_expired",
    ];

    /// The stable snake_case code of this error, the same in every language binding.
    pub fn code(&self) -> &'static str {
        match self {
            Error::InsufficientStock { .. } => "insufficient_stock",
            Error::NotFound { .. } => "not_found",
            Error::AlreadyExists { .. } => "already_exists",
            Error::Archived { .. } => "archived",
            Error::NotEmpty { .. } => "not_empty",
            Error::InvalidCode { .. } => "invalid_code",
            Error::InvalidQuantity { .. } => "invalid_quantity",
            Error::InvalidArgument { .. } => "invalid_argument",
            Error::InvalidParameter { .. } => "invalid_parameter",
            Error::HierarchyCycle { .. } => "hierarchy_cycle",
            Error::Tracking { .. } => "tracking",
            Error::LotExpired { .. } => "lot_expired",
            Error::Conflict { .. } => "conflict",
            Error::InvalidTransition { .. } => "invalid_transition",
            Error::BatchRefused { .. } => "batch_refused",
            Error::Locked { .. } => "locked",
            Error::NotAStockbookFile { .. } => "not_a_stockbook_file",
            Error::UnsupportedFormat { .. } => "unsupported_format",
            Error::Io { .. } => "io",
            Error::Storage { .. } => "storage",
            Error::Closed => "closed",
            Error::Internal { .. } => "internal",
            Error::InvariantViolated { .. } => "invariant_violated",
            Error::LimitExceeded { .. } => "limit_exceeded",
            Error::KeyExpired { .. } => "key_expired",
        }
    }

    /// The facts of this error as (name, value) pairs of text, for bindings that attach
    /// them to their exception objects.
    pub fn facts(&self) -> Vec<(&'static str, String)> {
        let value = serde_json::to_value(self).unwrap_or(serde_json::Value::Null);
        let mut facts = Vec::new();
        if let serde_json::Value::Object(outer) = value
            && let Some((_, serde_json::Value::Object(fields))) = outer.into_iter().next()
        {
            for (name, v) in fields {
                let text = match v {
                    serde_json::Value::String(s) => s,
                    serde_json::Value::Null => continue,
                    other => other.to_string(),
                };
                facts.push((fact_name(&name), text));
            }
        }
        facts
    }

    pub(crate) fn not_found(kind: &str, key: impl Into<String>) -> Self {
        Error::NotFound {
            kind: kind.to_owned(),
            key: key.into(),
        }
    }

    pub(crate) fn invalid_argument(field: &str, reason: impl Into<String>) -> Self {
        Error::InvalidArgument {
            field: field.to_owned(),
            reason: reason.into(),
        }
    }

    pub(crate) fn invalid_parameter(parameter: &str, reason: impl Into<String>) -> Self {
        Error::InvalidParameter {
            parameter: parameter.to_owned(),
            reason: reason.into(),
        }
    }

    pub(crate) fn limit_exceeded(what: &str, max: usize) -> Self {
        Error::LimitExceeded {
            what: what.to_owned(),
            max: u64::try_from(max).unwrap_or(u64::MAX),
        }
    }

    pub(crate) fn storage(err: impl std::fmt::Display) -> Self {
        Error::Storage {
            message: err.to_string(),
        }
    }
}

/// Maps a field name to a `'static` one; the set of names is closed (the enum's fields).
fn fact_name(name: &str) -> &'static str {
    const NAMES: &[&str] = &[
        "sku",
        "location",
        "lot",
        "requested",
        "available",
        "kind",
        "key",
        "code",
        "reason",
        "value",
        "field",
        "parameter",
        "parent",
        "expiry_ms",
        "entity",
        "id",
        "state",
        "step",
        "index",
        "source",
        "path",
        "found",
        "supported",
        "message",
        "invariant",
        "detail",
        "what",
        "max",
    ];
    NAMES
        .iter()
        .find(|n| **n == name)
        .copied()
        .unwrap_or("detail")
}

impl From<std::io::Error> for Error {
    fn from(err: std::io::Error) -> Self {
        Error::Io {
            path: String::new(),
            kind: io_kind(err.kind()),
            message: err.to_string(),
        }
    }
}

/// `std::io::ErrorKind` in snake_case.
pub(crate) fn io_kind(kind: std::io::ErrorKind) -> String {
    let debug = format!("{kind:?}");
    let mut out = String::with_capacity(debug.len() + 4);
    for (i, ch) in debug.chars().enumerate() {
        if ch.is_ascii_uppercase() {
            if i > 0 {
                out.push('_');
            }
            out.push(ch.to_ascii_lowercase());
        } else {
            out.push(ch);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::Error;

    /// One value of every variant, in declaration order.
    fn one_of_each() -> Vec<Error> {
        let s = String::new;
        vec![
            Error::InsufficientStock {
                sku: s(),
                location: s(),
                lot: None,
                requested: s(),
                available: s(),
            },
            Error::NotFound {
                kind: s(),
                key: s(),
            },
            Error::AlreadyExists {
                kind: s(),
                key: s(),
            },
            Error::Archived {
                kind: s(),
                key: s(),
            },
            Error::NotEmpty {
                kind: s(),
                key: s(),
            },
            Error::InvalidCode {
                kind: s(),
                code: s(),
                reason: s(),
            },
            Error::InvalidQuantity {
                value: s(),
                reason: s(),
            },
            Error::InvalidArgument {
                field: s(),
                reason: s(),
            },
            Error::InvalidParameter {
                parameter: s(),
                reason: s(),
            },
            Error::HierarchyCycle {
                location: s(),
                parent: s(),
            },
            Error::Tracking {
                sku: s(),
                reason: s(),
            },
            Error::LotExpired {
                sku: s(),
                lot: s(),
                expiry_ms: 0,
            },
            Error::Conflict {
                key: s(),
                reason: s(),
            },
            Error::InvalidTransition {
                entity: s(),
                id: s(),
                state: s(),
                step: s(),
            },
            Error::BatchRefused {
                index: 0,
                source: Box::new(Error::Closed),
            },
            Error::Locked { path: s() },
            Error::NotAStockbookFile {
                path: s(),
                reason: s(),
            },
            Error::UnsupportedFormat {
                found: 0,
                supported: 0,
            },
            Error::Io {
                path: s(),
                kind: s(),
                message: s(),
            },
            Error::Storage { message: s() },
            Error::Closed,
            Error::Internal { message: s() },
            Error::InvariantViolated {
                invariant: s(),
                detail: s(),
            },
            Error::LimitExceeded { what: s(), max: 0 },
            Error::KeyExpired { key: s() },
        ]
    }

    /// `CODES` lists what `code()` answers, variant by variant (the contract tests tie
    /// `CODES` to the variants the schema lists).
    #[test]
    fn codes_are_what_code_answers() {
        let codes: Vec<&str> = one_of_each().iter().map(Error::code).collect();
        assert_eq!(codes, Error::CODES);
    }
}
