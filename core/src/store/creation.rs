//! A file whose creation a power loss cut short. redb writes a new file's header with its
//! magic number left out, flushes, and only then writes the magic number (redb's
//! `docs/design.md`, "magic number"): a loss in between leaves a file of the new length
//! whose header has no magic number (or a torn part of it) and whose pages are all zeros.
//! redb refuses such a file on every open ("not a redb database"), so a store whose very
//! first open lost power could never be opened again. It holds nothing, and is started
//! afresh instead.

use std::io;

/// redb's magic number, the first bytes of every redb file (`docs/design.md`).
const REDB_MAGIC: [u8; 9] = [b'r', b'e', b'd', b'b', 0x1A, 0x0A, 0xA9, 0x0D, 0x0A];
/// redb's database header: 64 bytes, then two commit slots of 128 (`docs/design.md`).
const REDB_HEADER_BYTES: u64 = 320;
/// Where the header keeps the page size: after the magic number, the god byte and two
/// bytes of padding (`docs/design.md`).
const REDB_PAGE_SIZE_AT: usize = 12;

/// Whether the `len` bytes that `read` reads are a redb file whose creation never
/// finished: no complete magic number (its first bytes a part of it, then zeros), a page
/// size that is a power of two (when the header got that far) and nothing but zeros after
/// the header. Any other file, empty ones included, is not.
pub(crate) fn is_unfinished(
    len: u64,
    mut read: impl FnMut(u64, &mut [u8]) -> io::Result<()>,
) -> io::Result<bool> {
    if len == 0 {
        return Ok(false);
    }
    let mut header = [0u8; REDB_PAGE_SIZE_AT + 4];
    let head = header.len().min(usize::try_from(len).unwrap_or(usize::MAX));
    read(0, &mut header[..head])?;
    if head == header.len() {
        let page_size =
            u32::from_le_bytes(header[REDB_PAGE_SIZE_AT..].try_into().unwrap_or_default());
        if !page_size.is_power_of_two() || page_size < 512 {
            return Ok(false);
        }
    }
    let magic = &header[..REDB_MAGIC.len().min(head)];
    let written = magic
        .iter()
        .take_while(|&&b| b != 0)
        .count()
        .min(REDB_MAGIC.len() - 1);
    let torn_magic =
        magic[..written] == REDB_MAGIC[..written] && magic[written..].iter().all(|&b| b == 0);
    if !torn_magic {
        return Ok(false);
    }
    let mut chunk = vec![0u8; 64 * 1024];
    let mut at = REDB_HEADER_BYTES;
    while at < len {
        let n = usize::try_from(len - at).map_or(chunk.len(), |left| left.min(chunk.len()));
        read(at, &mut chunk[..n])?;
        if chunk[..n].iter().any(|&b| b != 0) {
            return Ok(false);
        }
        at += n as u64;
    }
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(image: &[u8]) -> bool {
        is_unfinished(image.len() as u64, |at, out| {
            let at = usize::try_from(at).unwrap();
            out.copy_from_slice(&image[at..at + out.len()]);
            Ok(())
        })
        .unwrap()
    }

    #[test]
    fn only_a_redb_header_without_its_magic_number_over_zeros_is_unfinished() {
        let mut image = vec![0u8; 200_000];
        image[9] = 1; // the god byte
        image[12..16].copy_from_slice(&4096u32.to_le_bytes()); // the page size
        assert!(check(&image));
        image[..4].copy_from_slice(b"redb"); // a torn magic number
        assert!(check(&image));
        assert!(check(&image[..100])); // a torn header
        image[..9].copy_from_slice(&REDB_MAGIC);
        assert!(!check(&image), "a whole magic number: a redb file");
        image[..9].fill(0);
        image[150_000] = 7;
        assert!(!check(&image), "data after the header");
        assert!(!check(b"hello, not a database\n"));
        assert!(!check(b"rexb\0\0\0\0\0"));
        assert!(!check(&[]), "an empty file is created as usual");
    }

    /// The constants above are redb's: a file it creates starts with its magic number and
    /// has room for its header.
    #[test]
    fn redb_starts_its_files_so() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("fresh.redb");
        drop(redb::Database::create(&path).unwrap());
        let bytes = std::fs::read(&path).unwrap();
        assert_eq!(bytes[..REDB_MAGIC.len()], REDB_MAGIC);
        assert!(bytes.len() as u64 > REDB_HEADER_BYTES);
    }
}
