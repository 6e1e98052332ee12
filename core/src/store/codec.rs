//! The binary codec of stored records.
//!
//! Every stored value starts with one version byte, then postcard. postcard is compact
//! and stable but not self-describing, so a record shape never changes in place: the
//! shapes are the stored types of [`super::schema`], where a new shape is a new record
//! version (a new enum tag, or a new version byte here) and the old one is upcast on
//! read. Golden bytes of every released version live in the tests (see `FORMAT.md`).
//!
//! Version 2 is version 1's postcard compressed with LZ4 (block format, size first): for
//! the long records — log chunks and snapshots — whose codes and timestamps repeat. LZ4
//! decompresses at memory speed, so replay does not slow down. Version 3 is version 2's
//! framing for the snapshot shape of format 5 (`schema::SnapshotV2`).

use std::borrow::Cow;

use serde::Serialize;
#[cfg(test)]
use serde::de::DeserializeOwned;

use crate::error::{Error, Result};

/// Version byte of plain records.
pub(crate) const RECORD_V1: u8 = 1;
/// Version byte of compressed records.
pub(crate) const RECORD_LZ4: u8 = 2;

/// Encodes `value` as a version-1 record, appending to `out`.
pub(crate) fn encode_into<T: Serialize>(value: &T, out: &mut Vec<u8>) -> Result<()> {
    out.push(RECORD_V1);
    postcard::to_io(value, &mut *out).map_err(|e| Error::storage_msg(format!("encode: {e}")))?;
    Ok(())
}

/// Encodes `value` as a version-1 record.
pub(crate) fn encode<T: Serialize>(value: &T) -> Result<Vec<u8>> {
    let mut out = Vec::with_capacity(128);
    encode_into(value, &mut out)?;
    Ok(out)
}

/// Encodes `value` as a compressed record, appending to `out`.
pub(crate) fn encode_compressed_into<T: Serialize>(value: &T, out: &mut Vec<u8>) -> Result<()> {
    let plain =
        postcard::to_stdvec(value).map_err(|e| Error::storage_msg(format!("encode: {e}")))?;
    out.push(RECORD_LZ4);
    out.extend_from_slice(&lz4_flex::block::compress_prepend_size(&plain));
    Ok(())
}

/// Encodes `value` as a compressed record (as format 4 wrote snapshots: the tests write one).
#[cfg(test)]
pub(crate) fn encode_compressed<T: Serialize>(value: &T) -> Result<Vec<u8>> {
    let mut out = Vec::new();
    encode_compressed_into(value, &mut out)?;
    Ok(out)
}

/// Encodes `value` compressed like a version-2 record, under the version byte `version`:
/// for a record kind whose new shape takes a new version byte (see `store::schema`).
pub(crate) fn encode_compressed_as<T: Serialize>(version: u8, value: &T) -> Result<Vec<u8>> {
    let mut out = Vec::new();
    encode_compressed_into(value, &mut out)?;
    out[0] = version;
    Ok(out)
}

/// The postcard body of a record of version 1 or 2: as stored, or decompressed.
pub(crate) fn body(bytes: &[u8]) -> Result<Cow<'_, [u8]>> {
    match bytes.split_first() {
        Some((&RECORD_V1, body)) => Ok(Cow::Borrowed(body)),
        Some((&RECORD_LZ4, body)) => decompress(body).map(Cow::Owned),
        Some((v, _)) => Err(Error::storage_msg(format!("unknown record version {v}"))),
        None => Err(Error::storage_msg("empty record")),
    }
}

/// An LZ4 block with its size first, decompressed.
pub(crate) fn decompress(body: &[u8]) -> Result<Vec<u8>> {
    lz4_flex::block::decompress_size_prepended(body)
        .map_err(|e| Error::storage_msg(format!("decompress: {e}")))
}

/// Decodes a record of any version this build reads (the stored records decode through
/// `store::schema`, which also refuses trailing bytes).
#[cfg(test)]
pub(crate) fn decode<T: DeserializeOwned>(bytes: &[u8]) -> Result<T> {
    match bytes.split_first() {
        Some((&RECORD_V1, body)) => {
            postcard::from_bytes(body).map_err(|e| Error::storage_msg(format!("decode: {e}")))
        }
        Some((&RECORD_LZ4, body)) => {
            let plain = lz4_flex::block::decompress_size_prepended(body)
                .map_err(|e| Error::storage_msg(format!("decompress: {e}")))?;
            postcard::from_bytes(&plain).map_err(|e| Error::storage_msg(format!("decode: {e}")))
        }
        Some((v, _)) => Err(Error::storage_msg(format!("unknown record version {v}"))),
        None => Err(Error::storage_msg("empty record")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A record as both versions store it. The bytes are what this format writes and must
    /// keep reading: a change to either breaks files already written.
    #[test]
    fn both_record_versions_read_back_their_golden_bytes() {
        let value = (7u64, String::from("SKU-1 SKU-1 SKU-1 SKU-1"), -3i64);
        let plain = encode(&value).unwrap();
        let compressed = encode_compressed(&value).unwrap();
        assert_eq!(plain, GOLDEN_V1);
        assert_eq!(compressed, GOLDEN_LZ4);
        for bytes in [GOLDEN_V1, GOLDEN_LZ4] {
            assert_eq!(decode::<(u64, String, i64)>(bytes).unwrap(), value);
        }
        assert!(decode::<(u64, String, i64)>(&[9, 1, 2]).is_err());
        assert!(decode::<(u64, String, i64)>(&[RECORD_LZ4, 200, 0, 0, 0, 1]).is_err());
    }

    const GOLDEN_V1: &[u8] = &[
        1, 7, 23, 83, 75, 85, 45, 49, 32, 83, 75, 85, 45, 49, 32, 83, 75, 85, 45, 49, 32, 83, 75,
        85, 45, 49, 5,
    ];
    /// Size first (26, little-endian u32), then the LZ4 block: the repeated code is a match.
    const GOLDEN_LZ4: &[u8] = &[
        2, 26, 0, 0, 0, 136, 7, 23, 83, 75, 85, 45, 49, 32, 6, 0, 96, 83, 75, 85, 45, 49, 5,
    ];
}
