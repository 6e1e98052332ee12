//! Following the log as it grows: a reader that blocks until new events are committed
//! (woken by the writer after it publishes them, never by polling) and a cursor that moves
//! only when the reader acknowledges what it handled (at-least-once).

use std::time::{Duration, Instant};

use crate::engine::Stockbook;
use crate::error::{Error, Result};
use crate::event::Envelope;
use crate::integration::{CloudEvent, cloud_event};
use crate::ledger::PAGE_LEN_MAX;

impl Stockbook {
    /// Waits until an event after `after_seq` is committed and visible to readers, or
    /// `timeout` passes: the last committed sequence either way (not past `after_seq` when
    /// it timed out). The writer wakes the waiter when it publishes a commit.
    ///
    /// Refused with `closed` when the engine is (or gets) closed while waiting.
    pub fn wait_for_events(&self, after_seq: u64, timeout: Duration) -> Result<u64> {
        let core = self.core()?;
        let deadline = Instant::now().checked_add(timeout);
        let mut published = core.published.lock();
        loop {
            if published.closed {
                return Err(Error::Closed);
            }
            if published.seq > after_seq {
                return Ok(published.seq);
            }
            match deadline {
                Some(deadline) => {
                    if core
                        .published_changed
                        .wait_until(&mut published, deadline)
                        .timed_out()
                    {
                        return Ok(published.seq);
                    }
                }
                // A timeout beyond any instant: wait for a commit, however long.
                None => core.published_changed.wait(&mut published),
            }
        }
    }

    /// Up to `limit` events from sequence `from_seq` on as CloudEvents 1.0 records from
    /// `stockbook://<source>` (by default the book's file name without its extension,
    /// `memory` for a book in memory).
    pub fn cloud_events(
        &self,
        from_seq: u64,
        limit: usize,
        source: Option<&str>,
    ) -> Result<Vec<CloudEvent>> {
        let source = match source {
            Some(source) => source.to_owned(),
            None => self.source_name(),
        };
        Ok(self
            .events(from_seq, limit)?
            .iter()
            .map(|envelope| cloud_event(envelope, &source))
            .collect())
    }

    /// The book's name as a CloudEvents source: its file name without the extension.
    fn source_name(&self) -> String {
        self.path()
            .and_then(|path| path.file_stem())
            .map_or_else(|| "memory".to_owned(), |s| s.to_string_lossy().into_owned())
    }

    /// A reader of the log from sequence `from_seq` on (1 for the whole log), with its own
    /// cursor in memory: [`Feed::next_batch`] hands out events from the cursor on, and
    /// only [`Feed::ack`] moves it.
    pub fn feed(&self, from_seq: u64) -> Feed {
        Feed {
            book: self.clone(),
            next: from_seq.max(1),
        }
    }
}

/// A reader following the log ([`Stockbook::feed`]): at-least-once, since the cursor moves
/// only on an explicit [`Feed::ack`], so an unacknowledged batch is handed out again.
#[derive(Debug, Clone)]
pub struct Feed {
    book: Stockbook,
    /// The first sequence not yet acknowledged.
    next: u64,
}

impl Feed {
    /// The first sequence not yet acknowledged.
    pub fn cursor(&self) -> u64 {
        self.next
    }

    /// Up to `max` events from the cursor on, waiting up to `timeout` for the first one
    /// to be committed when there is none yet (an empty batch when the time runs out).
    ///
    /// Refused with `invalid_argument` for a `max` of 0 and `limit_exceeded` above the
    /// page length (`ledger::PAGE_LEN_MAX`).
    pub fn next_batch(&self, max: usize, timeout: Duration) -> Result<Vec<Envelope>> {
        if max == 0 {
            return Err(Error::invalid_argument("max", "must be at least 1"));
        }
        if max > PAGE_LEN_MAX {
            return Err(Error::limit_exceeded("max", PAGE_LEN_MAX));
        }
        let last = self.book.wait_for_events(self.next - 1, timeout)?;
        if last < self.next {
            return Ok(Vec::new());
        }
        self.book.events(self.next, max)
    }

    /// Acknowledges every event up to `seq`: the cursor moves past it.
    ///
    /// Refused with `invalid_argument` (the cursor unmoved) for a `seq` behind the cursor
    /// (already acknowledged) or past the log's last committed event.
    pub fn ack(&mut self, seq: u64) -> Result<()> {
        if seq < self.next {
            return Err(Error::invalid_argument(
                "seq",
                format!(
                    "{seq} is behind the cursor (next unacknowledged: {})",
                    self.next
                ),
            ));
        }
        let last = self.book.last_seq()?;
        if seq > last {
            return Err(Error::invalid_argument(
                "seq",
                format!("{seq} is past the log's last event ({last})"),
            ));
        }
        self.next = seq + 1;
        Ok(())
    }
}
