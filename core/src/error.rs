//! The one error type of the engine.
//!
//! Every variant has a stable snake_case [`Error::code`] that the bindings carry over
//! unchanged, and the facts a caller needs to act on it. Errors are values: they are
//! `Clone` and serialisable because an idempotency key remembers a refusal too.

use std::sync::Arc;

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
        kind: EntityKind,
        /// Its key.
        key: String,
    },
    /// An entity with this key exists already.
    #[error("{kind} already exists: {key}")]
    AlreadyExists {
        /// What kind of entity.
        kind: EntityKind,
        /// Its key.
        key: String,
    },
    /// The entity is archived and takes no more movements or changes.
    #[error("{kind} is archived: {key}")]
    Archived {
        /// What kind of entity.
        kind: EntityKind,
        /// Its key.
        key: String,
    },
    /// An entity still holds stock and cannot be archived.
    #[error("{kind} {key} still holds stock")]
    NotEmpty {
        /// What kind of entity.
        kind: EntityKind,
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
        #[schemars(with = "crate::model::InstantSchema")]
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
        /// What kind of entity (`order`, `reservation`, `transfer`, `purchase_order`).
        entity: EntityKind,
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
        /// The underlying error, answered by [`std::error::Error::source`]. It lives in
        /// memory only: a remembered refusal and the serialised form keep the message.
        #[serde(skip)]
        #[schemars(skip)]
        #[source]
        cause: Option<Cause>,
    },
    /// The storage engine failed; the command was not applied.
    #[error("storage error: {message}")]
    Storage {
        /// The storage engine's message.
        message: String,
        /// The storage engine's error, answered by [`std::error::Error::source`]. It
        /// lives in memory only: a remembered refusal and the serialised form keep the
        /// message.
        #[serde(skip)]
        #[schemars(skip)]
        #[source]
        cause: Option<Cause>,
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

    pub(crate) fn not_found(kind: EntityKind, key: impl Into<String>) -> Self {
        Error::NotFound {
            kind,
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

    /// A `storage` error that keeps `err` as its source.
    pub(crate) fn storage<E>(err: E) -> Self
    where
        E: std::error::Error + Send + Sync + 'static,
    {
        Error::Storage {
            message: err.to_string(),
            cause: Some(Cause::new(err)),
        }
    }

    /// A `storage` error the engine itself detected: a message and no source.
    pub(crate) fn storage_msg(message: impl Into<String>) -> Self {
        Error::Storage {
            message: message.into(),
            cause: None,
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
            cause: Some(Cause::new(err)),
        }
    }
}

/// What kind of entity an error speaks of. Its text ([`EntityKind::as_str`], the
/// serialised form, `Display`) is the stable name the bindings and scenarios see.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum EntityKind {
    /// An item (SKU).
    Item,
    /// A unit of measure of an item.
    Unit,
    /// A location.
    Location,
    /// A lot of an item.
    Lot,
    /// A serial number of an item.
    Serial,
    /// A transfer between locations.
    Transfer,
    /// A reservation.
    Reservation,
    /// A sales order.
    Order,
    /// A line of a sales order. Its name has a space, as it always had.
    #[serde(rename = "order line")]
    OrderLine,
    /// A purchase order.
    PurchaseOrder,
    /// A line of a purchase order.
    PurchaseOrderLine,
}

impl EntityKind {
    /// Every kind, in declaration order.
    pub const ALL: &[EntityKind] = &[
        EntityKind::Item,
        EntityKind::Unit,
        EntityKind::Location,
        EntityKind::Lot,
        EntityKind::Serial,
        EntityKind::Transfer,
        EntityKind::Reservation,
        EntityKind::Order,
        EntityKind::OrderLine,
        EntityKind::PurchaseOrder,
        EntityKind::PurchaseOrderLine,
    ];

    /// The stable name of this kind (`item`, `order line`, `purchase_order`, …).
    pub fn as_str(self) -> &'static str {
        match self {
            EntityKind::Item => "item",
            EntityKind::Unit => "unit",
            EntityKind::Location => "location",
            EntityKind::Lot => "lot",
            EntityKind::Serial => "serial",
            EntityKind::Transfer => "transfer",
            EntityKind::Reservation => "reservation",
            EntityKind::Order => "order",
            EntityKind::OrderLine => "order line",
            EntityKind::PurchaseOrder => "purchase_order",
            EntityKind::PurchaseOrderLine => "purchase_order_line",
        }
    }

    /// The kind whose [`EntityKind::as_str`] is `name`, if any.
    pub fn from_name(name: &str) -> Option<EntityKind> {
        EntityKind::ALL.iter().copied().find(|k| k.as_str() == name)
    }
}

// By hand, as its name in every format: a remembered refusal of format 4 held the kind as
// text, and the public type's encoding stays the one it had when the kind was a `String`.
impl Serialize for EntityKind {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for EntityKind {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let name = std::borrow::Cow::<'de, str>::deserialize(deserializer)?;
        EntityKind::from_name(&name).ok_or_else(|| {
            serde::de::Error::unknown_variant(
                &name,
                &[
                    "item",
                    "unit",
                    "location",
                    "lot",
                    "serial",
                    "transfer",
                    "reservation",
                    "order",
                    "order line",
                    "purchase_order",
                    "purchase_order_line",
                ],
            )
        })
    }
}

impl std::fmt::Display for EntityKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The underlying error of an `io` or `storage` error, shared so that [`Error`] stays
/// `Clone`. Its content takes no part in equality (only whether there is one does).
#[derive(Clone)]
pub struct Cause(Arc<dyn std::error::Error + Send + Sync>);

impl Cause {
    fn new<E: std::error::Error + Send + Sync + 'static>(err: E) -> Self {
        Cause(Arc::new(err))
    }
}

impl From<std::io::Error> for Cause {
    fn from(err: std::io::Error) -> Self {
        Cause::new(err)
    }
}

// `Cause` is deliberately not `std::error::Error` itself: thiserror then reaches through
// the `Deref` and `source()` answers the underlying error, so callers can downcast it.
impl std::ops::Deref for Cause {
    type Target = dyn std::error::Error + Send + Sync;

    fn deref(&self) -> &Self::Target {
        &*self.0
    }
}

impl std::fmt::Debug for Cause {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(&*self.0, f)
    }
}

impl PartialEq for Cause {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

impl Eq for Cause {}

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
    use super::{EntityKind, Error};

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
                kind: EntityKind::Item,
                key: s(),
            },
            Error::AlreadyExists {
                kind: EntityKind::Item,
                key: s(),
            },
            Error::Archived {
                kind: EntityKind::Item,
                key: s(),
            },
            Error::NotEmpty {
                kind: EntityKind::Item,
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
                entity: EntityKind::Order,
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
                cause: None,
            },
            Error::Storage {
                message: s(),
                cause: None,
            },
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

    /// An entity kind reads, prints and serialises as the name it always had.
    #[test]
    fn entity_kind_names_are_stable() {
        for kind in EntityKind::ALL {
            let json = serde_json::to_value(kind).unwrap();
            assert_eq!(json, serde_json::Value::from(kind.as_str()));
            assert_eq!(kind.to_string(), kind.as_str());
            assert_eq!(EntityKind::from_name(kind.as_str()), Some(*kind));
        }
        assert_eq!(EntityKind::OrderLine.as_str(), "order line");
        assert_eq!(EntityKind::from_name("nothing"), None);
    }

    /// `io` and `storage` errors answer their underlying error as `source()`, keep their
    /// message, stay `Clone`, and compare by what they say.
    #[test]
    fn io_and_storage_keep_their_source() {
        use std::error::Error as _;
        let io = std::io::Error::new(std::io::ErrorKind::PermissionDenied, "no way");
        let err = Error::from(io);
        assert_eq!(err.to_string(), "i/o error on : no way");
        let source = err.source().expect("io keeps its source");
        let io = source
            .downcast_ref::<std::io::Error>()
            .expect("the io error itself");
        assert_eq!(io.kind(), std::io::ErrorKind::PermissionDenied);
        let copy = err.clone();
        assert!(copy.source().is_some());
        assert_eq!(copy, err);

        let storage = Error::storage(std::io::Error::other("disk gone"));
        assert_eq!(storage.to_string(), "storage error: disk gone");
        assert!(storage.source().is_some());
        assert!(Error::storage_msg("lost").source().is_none());
        assert_eq!(Error::storage(std::io::Error::other("disk gone")), storage);
        assert!(!err.facts().iter().any(|(name, _)| *name == "cause"));
    }
}
