//! The binary codec of stored records.
//!
//! Every stored value starts with one version byte, then postcard. postcard is compact
//! and stable but not self-describing, so a record shape never changes in place: a new
//! shape gets a new version byte and the old one is upcast on read. Golden bytes of
//! every released version live in the tests.

use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::error::{Error, Result};

/// Version byte of records written by this build.
pub(crate) const RECORD_V1: u8 = 1;

/// Encodes `value` as a version-1 record, appending to `out`.
pub(crate) fn encode_into<T: Serialize>(value: &T, out: &mut Vec<u8>) -> Result<()> {
    out.push(RECORD_V1);
    postcard::to_io(value, &mut *out).map_err(|e| Error::storage(format!("encode: {e}")))?;
    Ok(())
}

/// Encodes `value` as a version-1 record.
pub(crate) fn encode<T: Serialize>(value: &T) -> Result<Vec<u8>> {
    let mut out = Vec::with_capacity(128);
    encode_into(value, &mut out)?;
    Ok(out)
}

/// Decodes a record of any version this build reads.
pub(crate) fn decode<T: DeserializeOwned>(bytes: &[u8]) -> Result<T> {
    match bytes.split_first() {
        Some((&RECORD_V1, body)) => {
            postcard::from_bytes(body).map_err(|e| Error::storage(format!("decode: {e}")))
        }
        Some((v, _)) => Err(Error::storage(format!("unknown record version {v}"))),
        None => Err(Error::storage("empty record")),
    }
}
