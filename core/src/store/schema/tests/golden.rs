//! Golden bytes: every record kind and variant as this build writes it, against the
//! committed files of every format version.

use super::*;

// ---- golden entries -------------------------------------------------------------------------

pub(super) type Check = Box<dyn Fn(&[u8]) -> std::result::Result<(), String>>;

/// One golden sample: the file (record kind) and name it is kept under, the bytes this
/// build writes for it, and a check that committed bytes decode back to the sample.
pub(super) struct Entry {
    file: &'static str,
    name: String,
    bytes: Vec<u8>,
    decodes_to_sample: Check,
}

pub(super) fn entry<T: PartialEq + std::fmt::Debug + 'static>(
    file: &'static str,
    name: impl Into<String>,
    bytes: Vec<u8>,
    sample: T,
    decode: impl Fn(&[u8]) -> crate::error::Result<T> + 'static,
) -> Entry {
    Entry {
        file,
        name: name.into(),
        bytes,
        decodes_to_sample: Box::new(move |b| match decode(b) {
            Ok(v) if v == sample => Ok(()),
            Ok(v) => Err(format!("decodes to {v:?}, not {sample:?}")),
            Err(e) => Err(e.to_string()),
        }),
    }
}

pub(super) fn decode_envelope(bytes: &[u8]) -> crate::error::Result<Envelope> {
    Ok(decode_whole::<EnvelopeV1>(bytes)?.into_public())
}

pub(super) fn decode_fingerprint(bytes: &[u8]) -> crate::error::Result<(Vec<Command>, Meta)> {
    match bytes.split_first() {
        Some((1, body)) => {
            let (commands, meta): (Vec<StoredCommand>, MetaV1) = decode_whole(body)?;
            Ok((commands.into_public(), meta.into_public()))
        }
        _ => Err(Error::storage_msg("unknown fingerprint version")),
    }
}

pub(super) fn decode_part(bytes: &[u8]) -> crate::error::Result<Vec<MoveRow>> {
    index::decode_packed_part("BOLT-M8", bytes)
}

pub(super) fn decode_directory(bytes: &[u8]) -> crate::error::Result<Vec<u8>> {
    index::reencode_directory(bytes)
}

/// Decodes committed bytes of any version as their record kind, without a sample.
pub(super) fn decodes_as_its_kind(file: &str, bytes: &[u8]) -> crate::error::Result<()> {
    match file {
        "events" => decode_envelope(bytes).map(drop),
        "key_records" => decode_key_record(bytes).map(drop),
        "fingerprints" => decode_fingerprint(bytes).map(drop),
        "log_chunks" => decode_chunk(bytes).map(drop),
        "snapshots" => decode_snapshot(bytes).map(drop),
        "folded" => decode_folded(bytes).map(drop),
        "index_parts" => decode_part(bytes).map(drop),
        "index_directories" => decode_directory(bytes).map(drop),
        "closed" => decode_closed(bytes).map(drop),
        other => Err(Error::storage_msg(format!("unknown golden file {other}"))),
    }
}

pub(super) fn entries() -> Vec<Entry> {
    let mut out = Vec::new();
    for (i, (name, event)) in events().into_iter().enumerate() {
        let env = envelope(i as u64 + 1, event);
        let bytes = postcard(&EnvelopeV1::from_public(&env));
        out.push(entry("events", name, bytes, env, decode_envelope));
    }
    // Items of format 4 (tags 0 and 1), read and upcast.
    for (name, tag_event) in [
        (
            "item_defined_v1",
            StoredEvent::ItemDefined as fn(ItemV1) -> StoredEvent,
        ),
        ("item_updated_v1", StoredEvent::ItemUpdated),
    ] {
        let stored = EnvelopeV1 {
            event: tag_event(ItemV1::carrying(&item()).unwrap()),
            ..EnvelopeV1::from_public(&envelope(1, Event::ItemArchived { sku: String::new() }))
        };
        let public: Envelope = stored.clone().into_public();
        out.push(entry(
            "events",
            name,
            postcard(&stored),
            public,
            decode_envelope,
        ));
    }
    let fp = fingerprint(&[Command::ExpireDue {}], &Meta::new()).unwrap();
    // Key records as format 4 wrote them (`KeyRecordV1`, no time: read with none), under
    // the names they were first blessed with; then as this build writes them
    // (`KeyRecordV2`), under `v2_…`.
    let outcomes = errors()
        .into_iter()
        .map(|(code, error)| (code, Err(error)))
        .chain([("receipts", Ok(receipts()))]);
    for (name, outcome) in outcomes {
        let bytes = encode_key_record_v1(&fp, &outcome).unwrap();
        out.push(entry(
            "key_records",
            name,
            bytes,
            (fp.clone(), outcome.clone(), None),
            decode_key_record,
        ));
        let at = 1_700_000_000_123;
        let bytes = encode_key_record(&fp, &outcome, at).unwrap();
        out.push(entry(
            "key_records",
            format!("v2_{name}"),
            bytes,
            (fp.clone(), outcome, Some(at)),
            decode_key_record,
        ));
    }
    for (i, (name, event)) in later_events().into_iter().enumerate() {
        let env = envelope(events().len() as u64 + i as u64 + 1, event);
        let bytes = postcard(&EnvelopeV1::from_public(&env));
        out.push(entry("events", name, bytes, env, decode_envelope));
    }
    let meta = meta();
    for (name, command) in commands().into_iter().chain(later_commands()) {
        let bytes = fingerprint(std::slice::from_ref(&command), &meta).unwrap();
        let sample = (vec![command], unkeyed(&meta));
        out.push(entry(
            "fingerprints",
            name,
            bytes,
            sample,
            decode_fingerprint,
        ));
    }
    let batch: Vec<Command> = commands().into_iter().take(4).map(|(_, c)| c).collect();
    let bytes = fingerprint(&batch, &Meta::new()).unwrap();
    out.push(entry(
        "fingerprints",
        "batch",
        bytes,
        (batch, Meta::new()),
        decode_fingerprint,
    ));
    let chunk: Vec<Envelope> = events()
        .into_iter()
        .enumerate()
        .map(|(i, (_, e))| envelope(i as u64 + 1, e))
        .collect();
    let mut bytes = Vec::new();
    encode_chunk_into(&chunk, &mut bytes).unwrap();
    out.push(entry(
        "log_chunks",
        "every_event",
        bytes,
        chunk,
        decode_chunk,
    ));
    let v2 = snapshot_v2();
    let sample = (v2.state.clone(), Some(v2.recent.clone()));
    out.push(entry(
        "snapshots",
        "v2",
        encode_snapshot(&v2).unwrap(),
        sample,
        decode_snapshot,
    ));
    let v1 = snapshot_v1();
    let bytes = codec::encode_compressed(&v1).unwrap();
    let upcast = v1.clone().upcast();
    let sample = (upcast.state, Some(upcast.recent));
    out.push(entry("snapshots", "v1", bytes, sample, decode_snapshot));
    let bytes = codec::encode_compressed(&v1.state).unwrap();
    let sample = (v1.state.clone().upcast(), None);
    out.push(entry(
        "snapshots",
        "v1_state_only",
        bytes,
        sample,
        decode_snapshot,
    ));
    for (name, folded) in [
        (
            "settled",
            Folded {
                seq: 65_535,
                ..Folded::default()
            },
        ),
        (
            "under_way",
            Folded {
                seq: 65_535,
                block: Some(1),
                moves_done: 300,
                pairs_done: 120,
            },
        ),
    ] {
        out.push(entry(
            "folded",
            name,
            encode_folded(&folded).unwrap(),
            folded,
            decode_folded,
        ));
    }
    let mut rows = index_rows("WH1/A/03", 5);
    rows.extend(index_rows("WH1/A/04", 3));
    let part = index::encode_packed_part(&rows);
    out.push(entry(
        "index_parts",
        "two_sections",
        part.clone(),
        rows,
        decode_part,
    ));
    let second = index::encode_packed_part(&index_rows("WH1/A/05", 2));
    let directory = index::directory_of(&[(0, part), (1, second)]).unwrap();
    out.push(entry(
        "index_directories",
        "two_parts",
        directory.clone(),
        directory,
        decode_directory,
    ));
    for (name, record) in closed_records() {
        out.push(entry(
            "closed",
            name,
            encode_closed(&record).unwrap(),
            record,
            decode_closed,
        ));
    }
    out
}

/// One closed record of each kind, as the `closed` table keeps them.
pub(super) fn closed_records() -> Vec<(&'static str, Closed)> {
    let mut r = reservation();
    r.state = ReservationState::Committed;
    r.committed = r.qty;
    r.qty = Qty::from_units(0, r.qty.scale()).unwrap();
    let mut o = order();
    o.state = OrderState::Cancelled;
    let mut po = purchase_order();
    po.state = PurchaseOrderState::Closed;
    po.closed_at = Some(1_700_000_900_000);
    vec![
        ("reservation", Closed::Reservation(r)),
        ("order", Closed::Order(o)),
        ("purchase_order", Closed::PurchaseOrder(po)),
    ]
}

// ---- golden files ---------------------------------------------------------------------------

pub(super) const BLESS_VAR: &str = "STOCKBOOK_BLESS_GOLDEN";

pub(super) fn golden_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data/format/golden")
}

pub(super) fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write as _;
    bytes.iter().fold(String::new(), |mut out, b| {
        let _ = write!(out, "{b:02x}");
        out
    })
}

pub(super) fn unhex(text: &str) -> Vec<u8> {
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&text[i..i + 2], 16).expect("hex"))
        .collect()
}

/// The committed goldens of one version: (file, name) → bytes.
pub(super) fn read_goldens(dir: &std::path::Path) -> BTreeMap<(String, String), Vec<u8>> {
    let mut out = BTreeMap::new();
    for file in std::fs::read_dir(dir).unwrap() {
        let path = file.unwrap().path();
        if path.extension().is_none_or(|e| e != "hex") {
            continue;
        }
        let kind = path.file_stem().unwrap().to_string_lossy().into_owned();
        for line in std::fs::read_to_string(&path).unwrap().lines() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let (name, bytes) = line.split_once(' ').expect("`name hex` lines");
            let old = out.insert((kind.clone(), name.to_owned()), unhex(bytes.trim()));
            assert!(old.is_none(), "{}: {name} twice", path.display());
        }
    }
    out
}

/// Writes the goldens of this build's format version: the whole directory once, then only
/// the samples added since (appended to their files). A committed line is never rewritten:
/// a sample whose bytes changed stays a failure, since an encoding that changes is a new
/// format version.
pub(super) fn bless(entries: &[Entry]) {
    let dir = golden_root().join(format!("v{FORMAT_VERSION}"));
    if dir.exists() {
        let committed = read_goldens(&dir);
        let mut added: BTreeMap<&str, String> = BTreeMap::new();
        for e in entries {
            if !committed.contains_key(&(e.file.to_owned(), e.name.clone())) {
                let text = added.entry(e.file).or_default();
                text.push_str(&e.name);
                text.push(' ');
                text.push_str(&hex(&e.bytes));
                text.push('\n');
            }
        }
        for (file, text) in added {
            let path = dir.join(format!("{file}.hex"));
            let mut old = std::fs::read_to_string(&path).unwrap_or_default();
            if !old.is_empty() && !old.ends_with('\n') {
                old.push('\n');
            }
            std::fs::write(&path, old + &text).unwrap();
        }
        return;
    }
    let draft = golden_root().join(format!(".v{FORMAT_VERSION}.draft"));
    let _ = std::fs::remove_dir_all(&draft);
    std::fs::create_dir_all(&draft).unwrap();
    let mut files: BTreeMap<&str, String> = BTreeMap::new();
    for e in entries {
        let text = files.entry(e.file).or_insert_with(|| {
            format!(
                "# Golden bytes of format {FORMAT_VERSION}: {} records, `name hex` per line.\n\
                 # Written by `{BLESS_VAR}=1 cargo test -p stockbook --lib store::schema`; \
                 never edited.\n",
                e.file
            )
        });
        text.push_str(&e.name);
        text.push(' ');
        text.push_str(&hex(&e.bytes));
        text.push('\n');
    }
    for (file, text) in files {
        std::fs::write(draft.join(format!("{file}.hex")), text).unwrap();
    }
    std::fs::rename(&draft, &dir).unwrap();
}

#[test]
pub(super) fn every_record_kind_and_variant_keeps_its_golden_bytes() {
    let entries = entries();
    if std::env::var_os(BLESS_VAR).is_some() {
        bless(&entries);
    }
    let dir = golden_root().join(format!("v{FORMAT_VERSION}"));
    let committed = read_goldens(&dir);
    let mut problems = Vec::new();
    for e in &entries {
        let key = (e.file.to_owned(), e.name.clone());
        match committed.get(&key) {
            None => problems.push(format!("{}/{}: no golden bytes", e.file, e.name)),
            Some(golden) => {
                if *golden != e.bytes {
                    problems.push(format!(
                        "{}/{}: this build writes {}, the golden is {}",
                        e.file,
                        e.name,
                        hex(&e.bytes),
                        hex(golden)
                    ));
                }
                if let Err(why) = (e.decodes_to_sample)(golden) {
                    problems.push(format!("{}/{}: the golden {why}", e.file, e.name));
                }
            }
        }
    }
    let names: Vec<(String, String)> = entries
        .iter()
        .map(|e| (e.file.to_owned(), e.name.clone()))
        .collect();
    for key in committed.keys() {
        if !names.contains(key) {
            problems.push(format!("{}/{}: golden without a sample", key.0, key.1));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
pub(super) fn the_goldens_of_every_committed_version_keep_decoding() {
    let mut versions = 0;
    for dir in std::fs::read_dir(golden_root()).unwrap() {
        let dir = dir.unwrap().path();
        if !dir.file_name().unwrap().to_string_lossy().starts_with('v') {
            continue;
        }
        versions += 1;
        for ((file, name), bytes) in read_goldens(&dir) {
            decodes_as_its_kind(&file, &bytes)
                .unwrap_or_else(|e| panic!("{}: {file}/{name}: {e}", dir.display()));
        }
    }
    assert!(versions > 0, "no goldens under {}", golden_root().display());
}
