//! The one public error of the binding: a variant per core error code, each carrying the
//! code, the core's message and its facts. Kotlin sees it as the sealed class
//! `StockbookException` (`catch (e: StockbookException.InsufficientStock)`), Swift as the
//! enum `StockbookError`.
//!
//! Adding a core error code is one line in the `error_codes!` call below; a code this
//! binding does not know yet still arrives, as `Other`, with its code.

use std::collections::HashMap;

/// Declares the error enum and its conversion from the core error from one table of
/// `Variant = "code"` lines, so that the two can never disagree.
macro_rules! error_codes {
    ($( $(#[$doc:meta])* $variant:ident = $code:literal, )*) => {
        /// Everything that can go wrong in Stockbook, one variant per stable error code.
        ///
        /// Every variant carries `code` (the core's snake_case code), `detail` (the core's
        /// message) and `facts` (the error's fields as text, such as `sku`, `requested` and
        /// `available` of `insufficient_stock`).
        #[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, uniffi::Error)]
        pub enum StockbookError {
            $(
                $(#[$doc])*
                #[error("{detail}")]
                $variant {
                    /// The stable snake_case error code.
                    code: String,
                    /// The human-readable message.
                    detail: String,
                    /// The error's facts, as text.
                    facts: HashMap<String, String>,
                },
            )*
            /// An error code this build of the binding does not know yet.
            #[error("{detail}")]
            Other {
                /// The stable snake_case error code.
                code: String,
                /// The human-readable message.
                detail: String,
                /// The error's facts, as text.
                facts: HashMap<String, String>,
            },
        }

        impl StockbookError {
            /// The variant for `code`.
            fn with_code(code: String, detail: String, facts: HashMap<String, String>) -> Self {
                match code.as_str() {
                    $( $code => StockbookError::$variant { code, detail, facts }, )*
                    _ => StockbookError::Other { code, detail, facts },
                }
            }

            /// The stable snake_case error code.
            pub fn code(&self) -> &str {
                match self {
                    $( StockbookError::$variant { code, .. } )|* | StockbookError::Other { code, .. } => code,
                }
            }

            /// The error's facts, as text.
            pub fn facts(&self) -> &HashMap<String, String> {
                match self {
                    $( StockbookError::$variant { facts, .. } )|* | StockbookError::Other { facts, .. } => facts,
                }
            }
        }

        #[uniffi::export]
        impl StockbookError {
            /// The stable snake_case error code (the same as the variant's `code`): lets a
            /// caller read the code of any Stockbook error without matching its variant.
            pub fn error_code(&self) -> String {
                self.code().to_owned()
            }

            /// The error's facts as text (the same as the variant's `facts`).
            pub fn error_facts(&self) -> HashMap<String, String> {
                self.facts().clone()
            }

            /// The human-readable message (the same as the variant's `detail`).
            pub fn error_detail(&self) -> String {
                self.to_string()
            }
        }

        /// Every code with a variant of its own, for tests.
        #[cfg(test)]
        pub(crate) const KNOWN_CODES: &[&str] = &[$($code),*];
    };
}

error_codes! {
    /// A movement would take a balance below zero.
    InsufficientStock = "insufficient_stock",
    /// A referenced entity does not exist.
    NotFound = "not_found",
    /// An entity with this key exists already.
    AlreadyExists = "already_exists",
    /// The entity is archived.
    Archived = "archived",
    /// An entity still holds stock.
    NotEmpty = "not_empty",
    /// A code (SKU, location, lot, serial, key) is malformed.
    InvalidCode = "invalid_code",
    /// A quantity is malformed, too precise for the item, or overflows.
    InvalidQuantity = "invalid_quantity",
    /// An argument is out of range or inconsistent with the others.
    InvalidArgument = "invalid_argument",
    /// A planning parameter or series is unusable.
    InvalidParameter = "invalid_parameter",
    /// A location's new parent would make the hierarchy a cycle.
    HierarchyCycle = "hierarchy_cycle",
    /// The item's tracking asks for a lot or serials that the command lacks (or the reverse).
    Tracking = "tracking",
    /// A lot is past its expiry.
    LotExpired = "lot_expired",
    /// The same idempotency key came with a different command.
    Conflict = "conflict",
    /// A step that the entity's state machine does not allow now.
    InvalidTransition = "invalid_transition",
    /// One command of an atomic batch was refused, so none was applied.
    BatchRefused = "batch_refused",
    /// Another process has the file open.
    Locked = "locked",
    /// The file is not a Stockbook file.
    NotAStockbookFile = "not_a_stockbook_file",
    /// The file has a newer format than this build reads.
    UnsupportedFormat = "unsupported_format",
    /// The file or directory could not be read or written.
    Io = "io",
    /// The storage engine failed.
    Storage = "storage",
    /// The handle was closed.
    Closed = "closed",
    /// A fault inside the engine stopped this request; it was rolled back.
    Internal = "internal",
    /// A commit check failed: the engine stopped writing (reads go on).
    InvariantViolated = "invariant_violated",
    /// A request goes beyond one of the engine's limits.
    LimitExceeded = "limit_exceeded",
    /// The idempotency key is older than the retention window.
    KeyExpired = "key_expired",
}

impl From<stockbook::Error> for StockbookError {
    fn from(err: stockbook::Error) -> Self {
        let facts = err
            .facts()
            .into_iter()
            .map(|(name, text)| (name.to_owned(), text))
            .collect();
        StockbookError::with_code(err.code().to_owned(), err.to_string(), facts)
    }
}

/// An argument that could not be converted to the core's type (a negative count, say).
pub(crate) fn invalid_argument(field: &str, reason: impl Into<String>) -> StockbookError {
    stockbook::Error::InvalidArgument {
        field: field.to_owned(),
        reason: reason.into(),
    }
    .into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_maps_to_its_own_variant_and_keeps_its_facts() {
        let err: StockbookError = stockbook::Error::InsufficientStock {
            sku: "A".into(),
            location: "B".into(),
            lot: None,
            requested: "2".into(),
            available: "1".into(),
        }
        .into();
        assert!(matches!(err, StockbookError::InsufficientStock { .. }));
        assert_eq!(err.code(), "insufficient_stock");
        assert_eq!(err.facts()["available"], "1");
        assert!(!err.facts().contains_key("lot"), "absent facts stay absent");
        for code in KNOWN_CODES {
            let err = StockbookError::with_code((*code).to_owned(), String::new(), HashMap::new());
            assert!(
                !matches!(err, StockbookError::Other { .. }),
                "{code} has no variant"
            );
            assert_eq!(err.code(), *code);
        }
        let unknown = StockbookError::with_code("brand_new".into(), "x".into(), HashMap::new());
        assert!(matches!(unknown, StockbookError::Other { .. }));
        assert_eq!(unknown.to_string(), "x");
    }

    #[test]
    fn closed_has_its_variant() {
        let err: StockbookError = stockbook::Error::Closed.into();
        assert!(matches!(err, StockbookError::Closed { .. }));
    }

    #[test]
    fn the_fail_stop_and_limit_codes_have_their_variants() {
        let err: StockbookError = stockbook::Error::Internal {
            message: "boom".into(),
        }
        .into();
        assert!(matches!(err, StockbookError::Internal { .. }));
        let err: StockbookError = stockbook::Error::InvariantViolated {
            invariant: "seq_contiguous".into(),
            detail: "gap".into(),
        }
        .into();
        assert!(matches!(err, StockbookError::InvariantViolated { .. }));
        let err: StockbookError = stockbook::Error::LimitExceeded {
            what: "batch".into(),
            max: 10,
        }
        .into();
        assert!(matches!(err, StockbookError::LimitExceeded { .. }));
        assert_eq!(err.facts()["max"], "10");
        let err: StockbookError = stockbook::Error::KeyExpired { key: "k".into() }.into();
        assert!(matches!(err, StockbookError::KeyExpired { .. }));
        assert_eq!(err.facts()["key"], "k");
    }
}
