//! The idempotency record: what a remembered key holds — the fingerprint of the command
//! it came with and the outcome it got, receipts or a refusal (a refusal is remembered
//! too, so a retry never turns it into a success).
//!
//! A record is `[4] ++ postcard(KeyRecordV2)`: the fingerprint, the outcome and when the
//! key was recorded, from which its retention window counts. Format 4 and the first
//! builds of format 5 wrote `[1] ++ postcard(KeyRecordV1)`, without the time: such a
//! record is read with no time (`None`), and the engine counts its window from when this
//! build first opened the file (`meta["keys_upcast_at"]`).

use serde::{Deserialize, Serialize};

use super::records::StoredQty;
use super::{FromPublic, IntoPublic, decode_whole, stored_struct};
use crate::error::{EntityKind, Error, Result};
use crate::model::Receipt;
use crate::store::codec;

/// What a command produced beyond its events ([`Receipt`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct ReceiptV1 {
    /// First event written.
    pub first_seq: u64,
    /// Last event written.
    pub last_seq: u64,
    /// A dispatch's transfer id.
    pub transfer_id: Option<String>,
    /// A count's difference.
    pub difference: Option<StoredQty>,
    /// A reservation's id.
    pub reservation_id: Option<String>,
}
stored_struct!(Receipt => ReceiptV1 {
    first_seq, last_seq, transfer_id, difference, reservation_id,
});

/// `insufficient_stock`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct InsufficientStockV1 {
    /// The item.
    pub sku: String,
    /// The location.
    pub location: String,
    /// The lot.
    pub lot: Option<String>,
    /// Asked for.
    pub requested: String,
    /// There was.
    pub available: String,
}

/// An entity by kind and key: `not_found`, `already_exists`, `archived`, `not_empty`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct EntityV1 {
    /// What kind of entity.
    pub kind: String,
    /// Its key.
    pub key: String,
}

/// `invalid_code`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct InvalidCodeV1 {
    /// What the code names.
    pub kind: String,
    /// The code.
    pub code: String,
    /// Why.
    pub reason: String,
}

/// A named thing and why it is refused: `invalid_quantity` (value), `invalid_argument`
/// (field), `invalid_parameter` (parameter), `tracking` (sku), `conflict` (key).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct RefusedV1 {
    /// The value, field, parameter, item or key.
    pub what: String,
    /// Why.
    pub reason: String,
}

/// `hierarchy_cycle`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct HierarchyCycleV1 {
    /// The location.
    pub location: String,
    /// The parent asked for.
    pub parent: String,
}

/// `lot_expired`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct LotExpiredV1 {
    /// The item.
    pub sku: String,
    /// The lot.
    pub lot: String,
    /// The expiry.
    pub expiry_ms: i64,
}

/// `invalid_transition`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct InvalidTransitionV1 {
    /// What kind of entity.
    pub entity: String,
    /// Its id.
    pub id: String,
    /// Its state.
    pub state: String,
    /// The step asked for.
    pub step: String,
}

/// `batch_refused`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct BatchRefusedV1 {
    /// The refused command's position.
    pub index: u32,
    /// Why it was refused.
    pub source: Box<StoredError>,
}

/// A file by path: `locked`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct PathV1 {
    /// The file.
    pub path: String,
}

/// `not_a_stockbook_file`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct NotAStockbookFileV1 {
    /// The file.
    pub path: String,
    /// What was found.
    pub reason: String,
}

/// `unsupported_format`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct UnsupportedFormatV1 {
    /// The file's version.
    pub found: u32,
    /// The newest this build reads.
    pub supported: u32,
}

/// `io`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct IoV1 {
    /// The path.
    pub path: String,
    /// The `io::ErrorKind`.
    pub kind: String,
    /// The message.
    pub message: String,
}

/// `storage`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct StorageV1 {
    /// The message.
    pub message: String,
}

/// `invariant_violated`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct InvariantViolatedV1 {
    /// The invariant.
    pub invariant: String,
    /// What was found.
    pub detail: String,
}

/// `limit_exceeded`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct LimitExceededV1 {
    /// What is too long or too many.
    pub what: String,
    /// The limit.
    pub max: u64,
}

/// An idempotency key: `key_expired`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct KeyV1 {
    /// The key.
    pub key: String,
}

super::stored_enum! {
    /// An error as a remembered outcome stores it ([`Error`]): every variant, so that any
    /// refusal can be remembered and answered again.
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub(crate) enum StoredError {
        /// `insufficient_stock`.
        0 => InsufficientStock(InsufficientStockV1),
        /// `not_found`.
        1 => NotFound(EntityV1),
        /// `already_exists`.
        2 => AlreadyExists(EntityV1),
        /// `archived`.
        3 => Archived(EntityV1),
        /// `not_empty`.
        4 => NotEmpty(EntityV1),
        /// `invalid_code`.
        5 => InvalidCode(InvalidCodeV1),
        /// `invalid_quantity`.
        6 => InvalidQuantity(RefusedV1),
        /// `invalid_argument`.
        7 => InvalidArgument(RefusedV1),
        /// `invalid_parameter`.
        8 => InvalidParameter(RefusedV1),
        /// `hierarchy_cycle`.
        9 => HierarchyCycle(HierarchyCycleV1),
        /// `tracking`.
        10 => Tracking(RefusedV1),
        /// `lot_expired`.
        11 => LotExpired(LotExpiredV1),
        /// `conflict`.
        12 => Conflict(RefusedV1),
        /// `invalid_transition`.
        13 => InvalidTransition(InvalidTransitionV1),
        /// `batch_refused`.
        14 => BatchRefused(BatchRefusedV1),
        /// `locked`.
        15 => Locked(PathV1),
        /// `not_a_stockbook_file`.
        16 => NotAStockbookFile(NotAStockbookFileV1),
        /// `unsupported_format`.
        17 => UnsupportedFormat(UnsupportedFormatV1),
        /// `io`.
        18 => Io(IoV1),
        /// `storage`.
        19 => Storage(StorageV1),
        /// `closed`.
        20 => Closed,
        /// `internal`.
        21 => Internal(StorageV1),
        /// `invariant_violated`.
        22 => InvariantViolated(InvariantViolatedV1),
        /// `limit_exceeded`.
        23 => LimitExceeded(LimitExceededV1),
        /// `key_expired`.
        24 => KeyExpired(KeyV1),
    }
}

fn entity(kind: EntityKind, key: &str) -> EntityV1 {
    EntityV1 {
        kind: kind.as_str().to_owned(),
        key: key.to_owned(),
    }
}

/// The refusal `make` builds of a stored entity error, with its kind read back.
fn entity_error(e: EntityV1, code: &str, make: fn(EntityKind, String) -> Error) -> Error {
    match EntityKind::from_name(&e.kind) {
        Some(kind) => make(kind, e.key),
        None => unknown_kind(code, &e.kind, &e.key),
    }
}

/// A remembered refusal naming an entity kind this build does not know (only a newer
/// build could have written it): it stays a refusal, so a retry never turns it into a
/// success, and says what was remembered.
fn unknown_kind(code: &str, kind: &str, key: &str) -> Error {
    Error::Internal {
        message: format!(
            "a remembered {code} refusal names an unknown entity kind {kind:?} ({key})"
        ),
    }
}

fn refused(what: &str, reason: &str) -> RefusedV1 {
    RefusedV1 {
        what: what.to_owned(),
        reason: reason.to_owned(),
    }
}

impl FromPublic<Error> for StoredError {
    fn from_public(e: &Error) -> Self {
        match e {
            Error::InsufficientStock {
                sku,
                location,
                lot,
                requested,
                available,
            } => StoredError::InsufficientStock(InsufficientStockV1 {
                sku: sku.clone(),
                location: location.clone(),
                lot: lot.clone(),
                requested: requested.clone(),
                available: available.clone(),
            }),
            Error::NotFound { kind, key } => StoredError::NotFound(entity(*kind, key)),
            Error::AlreadyExists { kind, key } => StoredError::AlreadyExists(entity(*kind, key)),
            Error::Archived { kind, key } => StoredError::Archived(entity(*kind, key)),
            Error::NotEmpty { kind, key } => StoredError::NotEmpty(entity(*kind, key)),
            Error::InvalidCode { kind, code, reason } => StoredError::InvalidCode(InvalidCodeV1 {
                kind: kind.clone(),
                code: code.clone(),
                reason: reason.clone(),
            }),
            Error::InvalidQuantity { value, reason } => {
                StoredError::InvalidQuantity(refused(value, reason))
            }
            Error::InvalidArgument { field, reason } => {
                StoredError::InvalidArgument(refused(field, reason))
            }
            Error::InvalidParameter { parameter, reason } => {
                StoredError::InvalidParameter(refused(parameter, reason))
            }
            Error::HierarchyCycle { location, parent } => {
                StoredError::HierarchyCycle(HierarchyCycleV1 {
                    location: location.clone(),
                    parent: parent.clone(),
                })
            }
            Error::Tracking { sku, reason } => StoredError::Tracking(refused(sku, reason)),
            Error::LotExpired {
                sku,
                lot,
                expiry_ms,
            } => StoredError::LotExpired(LotExpiredV1 {
                sku: sku.clone(),
                lot: lot.clone(),
                expiry_ms: *expiry_ms,
            }),
            Error::Conflict { key, reason } => StoredError::Conflict(refused(key, reason)),
            Error::InvalidTransition {
                entity,
                id,
                state,
                step,
            } => StoredError::InvalidTransition(InvalidTransitionV1 {
                entity: entity.as_str().to_owned(),
                id: id.clone(),
                state: state.clone(),
                step: step.clone(),
            }),
            Error::BatchRefused { index, source } => StoredError::BatchRefused(BatchRefusedV1 {
                index: *index,
                source: Box::from_public(source),
            }),
            Error::Locked { path } => StoredError::Locked(PathV1 { path: path.clone() }),
            Error::NotAStockbookFile { path, reason } => {
                StoredError::NotAStockbookFile(NotAStockbookFileV1 {
                    path: path.clone(),
                    reason: reason.clone(),
                })
            }
            Error::UnsupportedFormat { found, supported } => {
                StoredError::UnsupportedFormat(UnsupportedFormatV1 {
                    found: *found,
                    supported: *supported,
                })
            }
            Error::Io {
                path,
                kind,
                message,
                cause: _,
            } => StoredError::Io(IoV1 {
                path: path.clone(),
                kind: kind.clone(),
                message: message.clone(),
            }),
            Error::Storage { message, cause: _ } => StoredError::Storage(StorageV1 {
                message: message.clone(),
            }),
            Error::Closed => StoredError::Closed,
            Error::Internal { message } => StoredError::Internal(StorageV1 {
                message: message.clone(),
            }),
            Error::InvariantViolated { invariant, detail } => {
                StoredError::InvariantViolated(InvariantViolatedV1 {
                    invariant: invariant.clone(),
                    detail: detail.clone(),
                })
            }
            Error::LimitExceeded { what, max } => StoredError::LimitExceeded(LimitExceededV1 {
                what: what.clone(),
                max: *max,
            }),
            Error::KeyExpired { key } => StoredError::KeyExpired(KeyV1 { key: key.clone() }),
        }
    }
}

impl IntoPublic<Error> for StoredError {
    fn into_public(self) -> Error {
        match self {
            StoredError::InsufficientStock(e) => Error::InsufficientStock {
                sku: e.sku,
                location: e.location,
                lot: e.lot,
                requested: e.requested,
                available: e.available,
            },
            StoredError::NotFound(e) => {
                entity_error(e, "not_found", |kind, key| Error::NotFound { kind, key })
            }
            StoredError::AlreadyExists(e) => entity_error(e, "already_exists", |kind, key| {
                Error::AlreadyExists { kind, key }
            }),
            StoredError::Archived(e) => {
                entity_error(e, "archived", |kind, key| Error::Archived { kind, key })
            }
            StoredError::NotEmpty(e) => {
                entity_error(e, "not_empty", |kind, key| Error::NotEmpty { kind, key })
            }
            StoredError::InvalidCode(e) => Error::InvalidCode {
                kind: e.kind,
                code: e.code,
                reason: e.reason,
            },
            StoredError::InvalidQuantity(e) => Error::InvalidQuantity {
                value: e.what,
                reason: e.reason,
            },
            StoredError::InvalidArgument(e) => Error::InvalidArgument {
                field: e.what,
                reason: e.reason,
            },
            StoredError::InvalidParameter(e) => Error::InvalidParameter {
                parameter: e.what,
                reason: e.reason,
            },
            StoredError::HierarchyCycle(e) => Error::HierarchyCycle {
                location: e.location,
                parent: e.parent,
            },
            StoredError::Tracking(e) => Error::Tracking {
                sku: e.what,
                reason: e.reason,
            },
            StoredError::LotExpired(e) => Error::LotExpired {
                sku: e.sku,
                lot: e.lot,
                expiry_ms: e.expiry_ms,
            },
            StoredError::Conflict(e) => Error::Conflict {
                key: e.what,
                reason: e.reason,
            },
            StoredError::InvalidTransition(e) => match EntityKind::from_name(&e.entity) {
                Some(entity) => Error::InvalidTransition {
                    entity,
                    id: e.id,
                    state: e.state,
                    step: e.step,
                },
                None => unknown_kind("invalid_transition", &e.entity, &e.id),
            },
            StoredError::BatchRefused(e) => Error::BatchRefused {
                index: e.index,
                source: e.source.into_public(),
            },
            StoredError::Locked(e) => Error::Locked { path: e.path },
            StoredError::NotAStockbookFile(e) => Error::NotAStockbookFile {
                path: e.path,
                reason: e.reason,
            },
            StoredError::UnsupportedFormat(e) => Error::UnsupportedFormat {
                found: e.found,
                supported: e.supported,
            },
            StoredError::Io(e) => Error::Io {
                path: e.path,
                kind: e.kind,
                message: e.message,
                cause: None,
            },
            StoredError::Storage(e) => Error::Storage {
                message: e.message,
                cause: None,
            },
            StoredError::Closed => Error::Closed,
            StoredError::Internal(e) => Error::Internal { message: e.message },
            StoredError::InvariantViolated(e) => Error::InvariantViolated {
                invariant: e.invariant,
                detail: e.detail,
            },
            StoredError::LimitExceeded(e) => Error::LimitExceeded {
                what: e.what,
                max: e.max,
            },
            StoredError::KeyExpired(e) => Error::KeyExpired { key: e.key },
        }
    }
}

impl From<&Error> for StoredError {
    fn from(e: &Error) -> Self {
        StoredError::from_public(e)
    }
}

impl From<StoredError> for Error {
    fn from(e: StoredError) -> Self {
        e.into_public()
    }
}

super::stored_enum! {
    /// A remembered outcome: the receipts of a command (or of a batch), or its refusal.
    /// Tags as postcard writes a `Result`: `Ok` 0, `Err` 1.
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub(crate) enum StoredOutcome {
        /// Accepted, with one receipt per command.
        0 => Receipts(Vec<ReceiptV1>),
        /// Refused.
        1 => Refused(StoredError),
    }
}

impl FromPublic<Result<Vec<Receipt>>> for StoredOutcome {
    fn from_public(outcome: &Result<Vec<Receipt>>) -> Self {
        match outcome {
            Ok(receipts) => StoredOutcome::Receipts(Vec::from_public(receipts)),
            Err(e) => StoredOutcome::Refused(StoredError::from_public(e)),
        }
    }
}

impl IntoPublic<Result<Vec<Receipt>>> for StoredOutcome {
    fn into_public(self) -> Result<Vec<Receipt>> {
        match self {
            StoredOutcome::Receipts(r) => Ok(r.into_public()),
            StoredOutcome::Refused(e) => Err(e.into_public()),
        }
    }
}

/// What a remembered idempotency key held in format 4 and the first builds of format 5:
/// no time (read, never written).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct KeyRecordV1 {
    /// The fingerprint of the command(s) the key first came with (see
    /// [`super::fingerprint`]).
    pub fingerprint: Vec<u8>,
    /// The first outcome.
    pub outcome: StoredOutcome,
}

/// What a remembered idempotency key holds: [`KeyRecordV1`] and when it was recorded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct KeyRecordV2 {
    /// When the key was recorded (the engine clock's time of its commit group), in
    /// milliseconds since the Unix epoch: its retention window counts from here.
    pub recorded_at: i64,
    /// The fingerprint of the command(s) the key first came with.
    pub fingerprint: Vec<u8>,
    /// The first outcome.
    pub outcome: StoredOutcome,
}

/// The record version byte of [`KeyRecordV2`] (postcard, like version 1).
pub(crate) const KEY_RECORD_V2: u8 = 4;

/// A remembered key's record, as read: its fingerprint, its outcome, and when it was
/// recorded (`None` for a record written before records carried their time).
pub(crate) type KeyRecordRead = (Vec<u8>, Result<Vec<Receipt>>, Option<i64>);

/// Encodes a remembered key's record as format 4 did (`KeyRecordV1`): for the tests that
/// hold this build to the old bytes.
#[cfg(test)]
pub(crate) fn encode_key_record_v1(
    fingerprint: &[u8],
    outcome: &Result<Vec<Receipt>>,
) -> Result<Vec<u8>> {
    codec::encode(&KeyRecordV1 {
        fingerprint: fingerprint.to_vec(),
        outcome: StoredOutcome::from_public(outcome),
    })
}

/// Encodes a remembered key's record: `fingerprint`, `outcome`, and `recorded_at`.
pub(crate) fn encode_key_record(
    fingerprint: &[u8],
    outcome: &Result<Vec<Receipt>>,
    recorded_at: i64,
) -> Result<Vec<u8>> {
    let mut out = codec::encode(&KeyRecordV2 {
        recorded_at,
        fingerprint: fingerprint.to_vec(),
        outcome: StoredOutcome::from_public(outcome),
    })?;
    out[0] = KEY_RECORD_V2;
    Ok(out)
}

/// Decodes a remembered key's record of either version (see [`KeyRecordRead`]).
pub(crate) fn decode_key_record(bytes: &[u8]) -> Result<KeyRecordRead> {
    match bytes.split_first() {
        Some((&KEY_RECORD_V2, body)) => {
            let record: KeyRecordV2 = decode_whole(body)?;
            Ok((
                record.fingerprint,
                record.outcome.into_public(),
                Some(record.recorded_at),
            ))
        }
        _ => {
            let record: KeyRecordV1 = decode_whole(&codec::body(bytes)?)?;
            Ok((record.fingerprint, record.outcome.into_public(), None))
        }
    }
}
