//! Opening a store: the replay that rebuilds the state and the unfolded index rows from
//! the newest snapshot and the log. The store reads them ([`Store::begin_replay`]); what
//! to make of them is decided here.

use super::rows::{IndexEntry, index_rows};
use crate::command::state::{ClosedRecords, State};
use crate::error::Result;
use crate::ledger::retention::Retention;
use crate::store::Store;
use crate::store::index;
use crate::store::recent::Recent;

/// The state as of the last commit, and the unfolded index rows and history pairs: the
/// newest snapshot, then the events after it replayed, regenerating the rows of every
/// event not yet folded.
pub(super) fn load_state(
    store: &Store,
    retention: Retention,
) -> Result<(State, Recent, ClosedRecords)> {
    let replay = store.begin_replay()?;
    let (folded, block_events) = (replay.folded(), replay.block_events());
    let fresh = || {
        (
            State::with_builtins(retention),
            Recent::new(folded, block_events),
        )
    };
    let (mut state, mut recent) = match replay.newest_snapshot()? {
        Some(Ok((image, Some(rows)))) => (
            State::from_image(image, retention),
            Recent::from_image(rows, folded, block_events),
        ),
        // A snapshot of an older version, without rows: enough when it is no newer than
        // everything folded (as after an upgrade).
        Some(Ok((image, None))) if image.last_seq <= folded.seq => (
            State::from_image(image, retention),
            Recent::new(folded, block_events),
        ),
        // No snapshot, or one this build cannot use (only a lost shortcut): replay all.
        _ => fresh(),
    };
    let mut rows: Vec<IndexEntry> = Vec::new();
    let mut pairs: Vec<(String, u64)> = Vec::new();
    let flush =
        |recent: &mut Recent, rows: &mut Vec<IndexEntry>, pairs: &mut Vec<(String, u64)>| {
            let index: Vec<index::IndexRow<'_>> = rows.iter().map(IndexEntry::row).collect();
            let borrowed: Vec<(&str, u64)> = pairs.iter().map(|(s, q)| (s.as_str(), *q)).collect();
            recent.add(&index, &borrowed);
            rows.clear();
            pairs.clear();
        };
    state.begin_replay();
    state.record_closed();
    let resume = state.last_seq;
    // From the snapshot's last event: its recorded time resumes the retention clock.
    replay.scan_log(resume.max(1), |env| {
        if env.seq == resume {
            state.resume_retention(env.recorded_at);
            return Ok(true);
        }
        let unfolded = env.seq > folded.seq;
        if unfolded {
            rows.extend(index_rows(&state, env));
        }
        state.apply(env);
        if unfolded {
            pairs.extend(
                state
                    .skus_of(&env.event)
                    .into_iter()
                    .map(|sku| (sku, env.seq)),
            );
            if pairs.len() >= 65_536 {
                flush(&mut recent, &mut rows, &mut pairs);
            }
        }
        Ok(true)
    })?;
    state.finish_replay();
    flush(&mut recent, &mut rows, &mut pairs);
    recent.resume(folded);
    let closed = state.replayed_closed();
    Ok((state, recent, closed))
}
