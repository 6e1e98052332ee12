//! The event log on disk: envelopes stored in chunks of consecutive sequence numbers.
//!
//! A chunk row is keyed by the sequence of its first event and holds up to
//! [`CHUNK_EVENTS_MAX`] encoded envelopes. A commit group writes one row per chunk rather
//! than one per event — the log's share of a commit is one B-tree insert — and replay
//! decodes long runs at once. Reading one event decodes its chunk; readers that walk
//! nearby sequences reuse the decoded chunk. A row holds the stored envelopes of
//! [`schema`](super::schema), never the public types.

use redb::{ReadableTable, Table};

use super::schema;
use crate::error::{Error, Result};
use crate::event::Envelope;

/// The most events one chunk row holds: bounds the cost of reading a single event.
pub(crate) const CHUNK_EVENTS_MAX: usize = 256;

/// Appends `events` (consecutive, ascending) as chunk rows.
pub(crate) fn append(table: &mut Table<'_, u64, &'static [u8]>, events: &[Envelope]) -> Result<()> {
    let mut bytes = Vec::with_capacity(4096);
    for chunk in events.chunks(CHUNK_EVENTS_MAX) {
        bytes.clear();
        schema::encode_chunk_into(chunk, &mut bytes)?;
        table
            .insert(chunk[0].seq, bytes.as_slice())
            .map_err(Error::storage)?;
    }
    Ok(())
}

fn decode_chunk(first: u64, bytes: &[u8]) -> Result<Vec<Envelope>> {
    let chunk = schema::decode_chunk(bytes)?;
    if chunk.first().map(|e| e.seq) != Some(first) {
        return Err(Error::storage_msg(format!(
            "log chunk {first} does not start at its key"
        )));
    }
    Ok(chunk)
}

/// The sequence of the last event in the log (0 for an empty log).
pub(crate) fn last_seq<T: ReadableTable<u64, &'static [u8]>>(table: &T) -> Result<u64> {
    match table.last().map_err(Error::storage)? {
        Some((first, bytes)) => {
            let chunk = decode_chunk(first.value(), bytes.value())?;
            Ok(chunk.last().map_or(0, |e| e.seq))
        }
        None => Ok(0),
    }
}

/// A reader of the log of a committed read (what [`EventLog::reader`] gives).
///
/// [`EventLog::reader`]: super::backend::EventLog::reader
pub(crate) type EventReader<'t> = LogReader<'t, redb::ReadOnlyTable<u64, &'static [u8]>>;

/// Reads events by sequence, keeping the last decoded chunk.
pub(crate) struct LogReader<'t, T> {
    table: &'t T,
    chunk: Vec<Envelope>,
}

impl<'t, T: ReadableTable<u64, &'static [u8]>> LogReader<'t, T> {
    pub(crate) fn new(table: &'t T) -> Self {
        LogReader {
            table,
            chunk: Vec::new(),
        }
    }

    /// The event with sequence `seq`.
    pub(crate) fn get(&mut self, seq: u64) -> Result<&Envelope> {
        let cached = self.chunk.first().is_some_and(|e| e.seq <= seq)
            && self.chunk.last().is_some_and(|e| e.seq >= seq);
        if !cached {
            let row = self
                .table
                .range(..=seq)
                .map_err(Error::storage)?
                .next_back()
                .ok_or_else(|| Error::storage_msg(format!("event {seq} missing from the log")))?
                .map_err(Error::storage)?;
            self.chunk = decode_chunk(row.0.value(), row.1.value())?;
        }
        let first = self.chunk[0].seq;
        self.chunk
            .get((seq - first) as usize)
            .filter(|e| e.seq == seq)
            .ok_or_else(|| Error::storage_msg(format!("event {seq} missing from the log")))
    }
}

/// Calls `visit` with every event from `from_seq` on, in order, until it returns false.
pub(crate) fn scan<T: ReadableTable<u64, &'static [u8]>>(
    table: &T,
    from_seq: u64,
    mut visit: impl FnMut(Envelope) -> Result<bool>,
) -> Result<()> {
    scan_chunks(table, from_seq, |chunk| {
        for env in chunk {
            if env.seq >= from_seq && !visit(env)? {
                return Ok(false);
            }
        }
        Ok(true)
    })
}

/// Like [`scan`], with the chunks read and decoded ahead on a second thread while `visit`
/// runs on this one: for a replay of the whole log, where decoding is a fifth of the work.
/// The chunks go back to the reader to be freed: freeing memory of another thread is
/// slow in the allocator, and it would be this thread's work.
pub(crate) fn scan_ahead<T: ReadableTable<u64, &'static [u8]> + Sync>(
    table: &T,
    from_seq: u64,
    mut visit: impl FnMut(&Envelope) -> Result<bool>,
) -> Result<()> {
    // A few chunks ahead: enough to keep both threads busy, little memory.
    let (tx, rx) = crossbeam_channel::bounded::<Result<Vec<Envelope>>>(8);
    let (done_tx, done_rx) = crossbeam_channel::unbounded::<Vec<Envelope>>();
    std::thread::scope(|scope| {
        scope.spawn(move || {
            let read = scan_chunks(table, from_seq, |chunk| {
                done_rx.try_iter().for_each(drop);
                Ok(tx.send(Ok(chunk)).is_ok())
            });
            if let Err(e) = read {
                // The receiver may be gone already; then nobody needs the error.
                let _ = tx.send(Err(e));
            }
        });
        // Returning drops the receiver, which stops the reader at its next send.
        for chunk in rx {
            let chunk = chunk?;
            for env in &chunk {
                if env.seq >= from_seq && !visit(env)? {
                    return Ok(());
                }
            }
            // The reader may have finished: then the chunk is freed here.
            let _ = done_tx.send(chunk);
        }
        Ok(())
    })
}

/// Calls `visit` with every decoded chunk from the one holding `from_seq` on, in order,
/// until it returns false.
fn scan_chunks<T: ReadableTable<u64, &'static [u8]>>(
    table: &T,
    from_seq: u64,
    mut visit: impl FnMut(Vec<Envelope>) -> Result<bool>,
) -> Result<()> {
    // The chunk holding `from_seq` starts at or before it.
    let start = match table
        .range(..=from_seq)
        .map_err(Error::storage)?
        .next_back()
    {
        Some(row) => row.map_err(Error::storage)?.0.value(),
        None => from_seq,
    };
    for row in table.range(start..).map_err(Error::storage)? {
        let (first, bytes) = row.map_err(Error::storage)?;
        if !visit(decode_chunk(first.value(), bytes.value())?)? {
            return Ok(());
        }
    }
    Ok(())
}
