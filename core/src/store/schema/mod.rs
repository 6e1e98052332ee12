//! The on-disk schema: every record Stockbook stores, as its own types, converted to and
//! from the public types at this boundary.
//!
//! A public type may gain a field without touching a byte on disk: the stored types here
//! change only by the rules below, which `FORMAT.md` at the repository root spells out.
//!
//! | table / key           | record                                   | module       |
//! |-----------------------|------------------------------------------|--------------|
//! | `events` (first seq)  | chunk: LZ4 `Vec<`[`EnvelopeV1`]`>`       | [`event`]    |
//! | `idempotency` (key)   | [`KeyRecordV2`] (reads V1): key record   | [`key`]      |
//! | (fingerprint bytes)   | `(Vec<`[`StoredCommand`]`>, `[`MetaV1`]`)` | [`command`]  |
//! | `snapshots` (seq)     | [`SnapshotV1`] / [`SnapshotV2`]          | [`snapshot`] |
//! | `meta["folded"]`      | [`FoldedV1`]                             | [`snapshot`] |
//! | `closed` (kind, id)   | `ClosedV1`: a record that left memory    | `closed`     |
//! | `index_parts`         | packed rows (hand-written varints)       | `store::index` |
//!
//! The rules:
//! - **Enum tags are explicit and append-only.** A stored enum is declared with
//!   [`stored_enum!`], which writes each variant's tag next to it; postcard writes the tag
//!   as a varint and reads it back as a `u32`. Declaration order means nothing. A tag is
//!   never reused or renumbered; a new variant takes the next free tag.
//! - **A changed record shape is a new record version.** Structs are suffixed with their
//!   version (`ItemV1`, `ItemV2`); a new version travels under a new enum tag (events,
//!   commands) or a new record version byte (snapshots), and the old one is upcast on
//!   read. Stored enums are named `Stored…`: they evolve by new tags, not versions.
//! - **The writer writes the newest version.** The canonical command form used for
//!   fingerprints is the exception: a command is encoded with the *oldest* tag whose shape
//!   can carry its value, so a command that existed before a change keeps its bytes and a
//!   remembered idempotency key keeps matching.
//! - **A record is read whole.** Bytes left over after a record are an error, never
//!   ignored: a record read with the wrong shape fails instead of misreading.
//!
//! Golden bytes of every record kind and variant are committed under
//! `core/tests/data/format/golden/` and checked by this module's tests.

mod closed;
mod event;
mod key;
pub(crate) mod records;
mod snapshot;

#[cfg(test)]
mod tests;

#[cfg(test)]
pub(crate) use closed::encode_closed;
pub(crate) use closed::{Archived, Closed, ClosedKind, decode_closed, encode_closed_into};
pub(crate) use event::{TransferRecordV1, decode_chunk, encode_chunk_into};
#[cfg(test)]
pub(crate) use key::encode_key_record_v1;
pub(crate) use key::{decode_key_record, encode_key_record};
pub(crate) use records::{ItemV2, LocationV1, LotV1, OrderV1, PurchaseOrderV1, ReservationV1};
pub(crate) use snapshot::{
    BalanceKeyV1, RecentV1, SnapshotV2, StateV2, decode_folded, decode_snapshot, encode_folded,
    encode_snapshot,
};
#[cfg(test)]
pub(crate) use snapshot::{SnapshotV1, StateV1};

use serde::de::DeserializeOwned;

use crate::error::{Error, Result};

/// Declares a stored enum whose variant tags are written out, one per variant, and its
/// postcard-compatible `Serialize`/`Deserialize`: the tag is the serde variant index
/// (postcard writes it as a varint), read back as a `u32`. Variants are unit variants or
/// newtype variants (a struct variant is stored as a newtype of a struct with the same
/// fields: postcard writes the same bytes). Two variants with one tag are an unreachable
/// match arm: a warning, refused by `clippy -D warnings`.
macro_rules! stored_enum {
    (
        $(#[$meta:meta])*
        $vis:vis enum $name:ident {
            $( $(#[$vmeta:meta])* $tag:literal => $variant:ident $( ( $ty:ty ) )? ),+ $(,)?
        }
    ) => {
        $(#[$meta])*
        $vis enum $name {
            $( $(#[$vmeta])* $variant $( ( $ty ) )?, )+
        }

        impl $name {
            /// The stored tag of this variant.
            #[allow(dead_code, reason = "used by the tests and by readers that need it")]
            pub(crate) const fn tag(&self) -> u32 {
                match self {
                    $( Self::$variant { .. } => $tag, )+
                }
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(
                &self,
                serializer: S,
            ) -> std::result::Result<S::Ok, S::Error> {
                match self {
                    $(
                        $crate::store::schema::stored_enum!(@pattern $variant value $( $ty )?) =>
                            $crate::store::schema::stored_enum!(
                                @serialize serializer, $name, $tag, $variant, value $( , $ty )?
                            ),
                    )+
                }
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(
                deserializer: D,
            ) -> std::result::Result<Self, D::Error> {
                struct Visit;
                impl<'de> serde::de::Visitor<'de> for Visit {
                    type Value = $name;

                    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                        f.write_str(concat!("a stored ", stringify!($name)))
                    }

                    fn visit_enum<A: serde::de::EnumAccess<'de>>(
                        self,
                        data: A,
                    ) -> std::result::Result<$name, A::Error> {
                        #[allow(unused_imports, reason = "not every enum has data")]
                        use serde::de::VariantAccess as _;
                        let (tag, variant): (u32, A::Variant) = data.variant()?;
                        match tag {
                            $(
                                $tag => $crate::store::schema::stored_enum!(
                                    @deserialize variant, $name, $variant $( , $ty )?
                                ),
                            )+
                            other => Err(serde::de::Error::custom(format_args!(
                                "unknown {} tag {other}",
                                stringify!($name)
                            ))),
                        }
                    }
                }
                deserializer.deserialize_enum(
                    stringify!($name),
                    &[$( stringify!($variant) ),+],
                    Visit,
                )
            }
        }
    };
    (@pattern $variant:ident $value:ident) => { Self::$variant };
    (@pattern $variant:ident $value:ident $ty:ty) => { Self::$variant($value) };
    (@serialize $s:ident, $name:ident, $tag:literal, $variant:ident, $value:ident) => {
        $s.serialize_unit_variant(stringify!($name), $tag, stringify!($variant))
    };
    (@serialize $s:ident, $name:ident, $tag:literal, $variant:ident, $value:ident, $ty:ty) => {
        $s.serialize_newtype_variant(stringify!($name), $tag, stringify!($variant), $value)
    };
    (@deserialize $v:ident, $name:ident, $variant:ident) => {
        $v.unit_variant().map(|()| $name::$variant)
    };
    (@deserialize $v:ident, $name:ident, $variant:ident, $ty:ty) => {
        $v.newtype_variant::<$ty>().map($name::$variant)
    };
}
pub(crate) use stored_enum;

/// A stored record made from a public value (by reference: the public value stays the
/// caller's).
pub(crate) trait FromPublic<P: ?Sized> {
    /// The stored form of `public`.
    fn from_public(public: &P) -> Self;
}

/// A public value made from a stored record (by value: decoded records are consumed).
pub(crate) trait IntoPublic<P> {
    /// The public form of this record.
    fn into_public(self) -> P;
}

/// Types stored as they are (numbers, text).
macro_rules! stored_as_is {
    ($($ty:ty),* $(,)?) => {$(
        impl FromPublic<$ty> for $ty {
            fn from_public(public: &$ty) -> Self {
                public.clone()
            }
        }
        impl IntoPublic<$ty> for $ty {
            fn into_public(self) -> $ty {
                self
            }
        }
    )*};
}
stored_as_is!(
    String,
    bool,
    u8,
    u32,
    u64,
    i32,
    i64,
    std::collections::BTreeMap<String, String>
);

impl<S: FromPublic<P>, P> FromPublic<Option<P>> for Option<S> {
    fn from_public(public: &Option<P>) -> Self {
        public.as_ref().map(S::from_public)
    }
}

impl<S: IntoPublic<P>, P> IntoPublic<Option<P>> for Option<S> {
    fn into_public(self) -> Option<P> {
        self.map(S::into_public)
    }
}

impl<S: FromPublic<P>, P> FromPublic<Vec<P>> for Vec<S> {
    fn from_public(public: &Vec<P>) -> Self {
        public.iter().map(S::from_public).collect()
    }
}

impl<S: IntoPublic<P>, P> IntoPublic<Vec<P>> for Vec<S> {
    fn into_public(self) -> Vec<P> {
        self.into_iter().map(S::into_public).collect()
    }
}

impl<S: FromPublic<P>, P> FromPublic<Box<P>> for Box<S> {
    fn from_public(public: &Box<P>) -> Self {
        Box::new(S::from_public(public))
    }
}

impl<S: IntoPublic<P>, P> IntoPublic<Box<P>> for Box<S> {
    fn into_public(self) -> Box<P> {
        Box::new((*self).into_public())
    }
}

/// Conversions between a public struct and its stored twin of the same fields, in both
/// directions, as `From` and as the traits above (so that the twin nests in `Vec`,
/// `Option`, `Box`). The stored struct's field order is its own declaration's.
macro_rules! stored_struct {
    ($public:ident => $stored:ident { $( $field:ident ),+ $(,)? }) => {
        impl $crate::store::schema::FromPublic<$public> for $stored {
            fn from_public(p: &$public) -> Self {
                $stored {
                    $( $field: $crate::store::schema::FromPublic::from_public(&p.$field), )+
                }
            }
        }
        impl $crate::store::schema::IntoPublic<$public> for $stored {
            fn into_public(self) -> $public {
                $public {
                    $( $field: $crate::store::schema::IntoPublic::into_public(self.$field), )+
                }
            }
        }
        impl From<&$public> for $stored {
            fn from(p: &$public) -> Self {
                $crate::store::schema::FromPublic::from_public(p)
            }
        }
        impl From<$stored> for $public {
            fn from(s: $stored) -> Self {
                $crate::store::schema::IntoPublic::into_public(s)
            }
        }
    };
}
pub(crate) use stored_struct;

/// A stored enum of unit variants and its conversions from and to the public enum of the
/// same variant names.
macro_rules! stored_unit_enum {
    (
        $(#[$meta:meta])*
        $public:ident => $stored:ident { $( $tag:literal => $variant:ident ),+ $(,)? }
    ) => {
        $crate::store::schema::stored_enum! {
            $(#[$meta])*
            #[derive(Debug, Clone, Copy, PartialEq, Eq)]
            pub(crate) enum $stored {
                $(
                    #[doc = concat!("`", stringify!($public), "::", stringify!($variant), "`.")]
                    $tag => $variant,
                )+
            }
        }
        impl $crate::store::schema::FromPublic<$public> for $stored {
            fn from_public(p: &$public) -> Self {
                match p {
                    $( $public::$variant => $stored::$variant, )+
                }
            }
        }
        impl $crate::store::schema::IntoPublic<$public> for $stored {
            fn into_public(self) -> $public {
                match self {
                    $( $stored::$variant => $public::$variant, )+
                }
            }
        }
    };
}
pub(crate) use stored_unit_enum;

/// Decodes one whole record body (after its version byte): leftover bytes are an error.
pub(crate) fn decode_whole<T: DeserializeOwned>(body: &[u8]) -> Result<T> {
    let (value, rest) =
        postcard::take_from_bytes(body).map_err(|e| Error::storage_msg(format!("decode: {e}")))?;
    if !rest.is_empty() {
        return Err(Error::storage_msg(format!(
            "decode: {} bytes left after the record",
            rest.len()
        )));
    }
    Ok(value)
}
