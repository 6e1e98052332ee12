//! The writer thread and group commit: it drains queued requests into a group, decides
//! and applies each against its own copy of the state, writes the group's events, index
//! rows and remembered keys in one transaction, commits once, then answers every caller
//! and publishes the new state and view to readers.
//!
//! Fail-stop: a panic in one request refuses it (`internal`) and rolls the writer back to
//! before it, the rest of the group going on; before every commit the group's invariants
//! are checked ([`Invariant`]), and a failure stops the writer: the group is not written
//! and every later write answers the same `invariant_violated`.

use crate::collections::HashMap;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Arc;
use std::sync::atomic::Ordering;

use crossbeam_channel::{Receiver, Sender};

use super::rows::{IndexEntry, index_rows};
use super::{Core, Durability};
use crate::command::state::State;
use crate::command::{Command, decide, decide_recalling};
use crate::error::{Error, Result};
use crate::event::{Envelope, Event};
use crate::ledger::{Meta, Receipt};
use crate::model::Timestamp;
use crate::store::backend::{StoreRead, StoreWrite};
use crate::store::file::KeyClock;
use crate::store::index;
use crate::store::recent::Recent;
use crate::store::schema::{self, SnapshotV2};
pub(crate) use checks::Invariant;

/// What a remembered idempotency key holds (stored as the schema's key record).
struct KeyRecord {
    fingerprint: Vec<u8>,
    outcome: std::result::Result<Vec<Receipt>, Error>,
    /// When it was recorded (`None`: written before records carried their time).
    recorded_at: Option<Timestamp>,
}

impl KeyRecord {
    fn encode(&self, now: Timestamp) -> Result<Vec<u8>> {
        schema::encode_key_record(
            &self.fingerprint,
            &self.outcome,
            self.recorded_at.unwrap_or(now),
        )
    }

    fn decode(bytes: &[u8]) -> Result<KeyRecord> {
        let (fingerprint, outcome, recorded_at) = schema::decode_key_record(bytes)?;
        Ok(KeyRecord {
            fingerprint,
            outcome,
            recorded_at,
        })
    }
}

/// The most expired keys one commit group prunes: pruning stays a small share of any
/// group's work, and a backlog (after a long pause) drains over the following groups.
const KEYS_PRUNED_PER_GROUP_MAX: usize = 256;

type Reply = Sender<Result<Vec<Receipt>>>;

pub(super) enum Request {
    /// `batch`: sent by `execute_batch`, whose refusals are `batch_refused` even for one command.
    Commands {
        commands: Vec<Command>,
        meta: Meta,
        batch: bool,
        reply: Reply,
    },
    Sync {
        reply: Sender<Result<()>>,
    },
}

/// The events of one group, with the index rows they add, in log order.
#[derive(Default)]
struct GroupBuffer {
    events: Vec<Envelope>,
    index: Vec<IndexEntry>,
}

impl GroupBuffer {
    fn mark(&self) -> (usize, usize) {
        (self.events.len(), self.index.len())
    }
    fn truncate(&mut self, (events, index): (usize, usize)) {
        self.events.truncate(events);
        self.index.truncate(index);
    }
}

/// The fewest index rows and history pairs a group folds while a block waits.
const FOLD_ROWS_MIN: usize = 64;

/// The one thread that writes: it owns its copy of the state and the unfolded rows.
pub(super) struct Writer {
    core: Arc<Core>,
    work: State,
    /// The unfolded rows and pairs, as of the group being written.
    recent: Recent,
    rx: Receiver<Request>,
    /// The last sequence number committed.
    committed_seq: u64,
    /// Why the writer stopped (fail-stop): every later write answers it.
    stopped: Option<Error>,
    /// The recording time of key records that carry none.
    keys_upcast_at: Timestamp,
    /// The recording time of the oldest remembered key, if any: nothing to prune before.
    oldest_key: Option<Timestamp>,
    /// Whether an expired key was ever pruned (else no tombstone needs looking up).
    tombstones: bool,
}

impl Writer {
    pub(super) fn new(
        core: Arc<Core>,
        work: State,
        recent: Recent,
        rx: Receiver<Request>,
        keys: &KeyClock,
    ) -> Writer {
        Writer {
            core,
            committed_seq: work.last_seq,
            work,
            recent,
            rx,
            stopped: None,
            keys_upcast_at: keys.upcast_at,
            oldest_key: keys.oldest,
            tombstones: keys.tombstones,
        }
    }

    /// Serves requests until every handle is gone, then commits a last time. The answer is
    /// that commit's (or why the writer stopped): [`super::Stockbook::close`] returns it.
    pub(super) fn run(mut self) -> Result<()> {
        let group_max = self.core.options.group_commands_max.max(1);
        let mut snapshot_seq = self.work.last_seq;
        while let Ok(first) = self.rx.recv() {
            let mut group = Vec::with_capacity(64);
            group.push(first);
            while group.len() < group_max {
                match self.rx.try_recv() {
                    Ok(req) => group.push(req),
                    Err(_) => break,
                }
            }
            // A panic outside one request's own work (writing the group, bringing the
            // readers' copy up to date) leaves the writer's state in doubt: it stops
            // (fail-stop), and every later write answers why, rather than wait forever.
            let processed =
                catch_unwind(AssertUnwindSafe(|| self.process(group, &mut snapshot_seq)));
            if let Err(panic) = processed {
                self.stopped = Some(Error::Internal {
                    message: format!("the writer stopped: {}", panic_message(panic.as_ref())),
                });
            }
        }
        if let Some(err) = self.stopped.take() {
            // Nothing more is written by a stopped writer, not even a snapshot.
            return Err(err);
        }
        // Closing: one last durable commit with a fresh snapshot.
        self.commit_final(snapshot_seq)
    }

    fn process(&mut self, group: Vec<Request>, snapshot_seq: &mut u64) {
        if let Some(err) = &self.stopped {
            answer_all(group, err);
            return;
        }
        let now = self.core.options.clock.now_ms();
        let mut buffer = GroupBuffer::default();
        let mut keys: HashMap<String, KeyRecord> = HashMap::default();
        let mut answers: Vec<(Reply, Result<Vec<Receipt>>)> = Vec::with_capacity(group.len());
        let mut syncs = Vec::new();
        let txn = match self.core.store.begin_write() {
            Ok(txn) => txn,
            Err(e) => {
                answer_all(group, &e);
                return;
            }
        };
        // Every change of the group is journaled: to undo a batch, and to bring the copy
        // readers have now up to date after the commit without applying events again.
        self.work.begin_journal();
        self.expire_due(now, &mut buffer);
        for req in group {
            match req {
                Request::Commands {
                    commands,
                    meta,
                    batch,
                    reply,
                } => {
                    let mark = (buffer.mark(), self.work.owed_len());
                    // A panic refuses this request alone: its work is undone below. The
                    // writer's data stay sound: the state is rebuilt, the buffer cut back,
                    // and `keys` gains an entry only after a request's work is done.
                    let outcome = catch_unwind(AssertUnwindSafe(|| {
                        self.handle(&txn, &commands, &meta, batch, now, &mut buffer, &mut keys)
                    }))
                    .unwrap_or_else(|panic| {
                        self.roll_back_to(mark, &mut buffer);
                        Err(Error::Internal {
                            message: panic_message(panic.as_ref()),
                        })
                    });
                    answers.push((reply, outcome));
                }
                Request::Sync { reply } => syncs.push(reply),
            }
        }
        let take_snapshot = self.work.last_seq
            >= snapshot_seq.saturating_add(self.core.options.snapshot_every_events);
        // A group that only refused (and remembered no key) changed nothing: it needs no
        // commit, so its callers do not wait for a flush.
        let pruning = (self.oldest_key, self.tombstones);
        let written = if buffer.events.is_empty() && keys.is_empty() && syncs.is_empty() {
            txn.abort()
        } else {
            // Expired keys are pruned in a group that commits anyway.
            match self.prune_keys(&txn, now) {
                Ok(()) => self.write_group(txn, &buffer, &keys, take_snapshot, !syncs.is_empty()),
                Err(err) => Err(err),
            }
        };
        match written {
            Ok(()) => {
                if take_snapshot {
                    *snapshot_seq = self.work.last_seq;
                }
                self.committed_seq = self.work.last_seq;
                if !keys.is_empty() {
                    self.oldest_key = Some(self.oldest_key.map_or(now, |t| t.min(now)));
                }
                let view = self.next_view();
                // Published by swap: readers wait for two pointer swaps, never for the
                // group's events. The writer keeps its bookkeeping and brings the state
                // readers had until now up to date on its own time.
                let books = self.work.take_bookkeeping();
                let journal = self.work.take_journal();
                {
                    // The view changes under the state's lock, so that a reader holding
                    // the lock sees the two of one commit.
                    let mut shared = self.core.state.write();
                    if let Some(view) = view {
                        *self.core.view.write() = view;
                    }
                    std::mem::swap(&mut *shared, &mut self.work);
                }
                // Waiting subscribers wake only now that the events are visible.
                self.core.publish(self.committed_seq);
                // The group is durable and visible: its callers are answered before the
                // writer's own catch-up, which no caller waits for.
                for (reply, outcome) in answers {
                    let _ = reply.send(outcome);
                }
                for reply in syncs {
                    let _ = reply.send(Ok(()));
                }
                let armed_after = self.core.faults.panic_catching_up.load(Ordering::SeqCst);
                if armed_after != 0
                    && self.committed_seq >= armed_after
                    && self.core.faults.panic_catching_up.swap(0, Ordering::SeqCst) != 0
                {
                    std::panic::resume_unwind(Box::new("injected panic catching up".to_owned()));
                }
                {
                    let fresh = self.core.state.read();
                    self.work.catch_up(&fresh, &journal);
                    debug_assert!(*fresh == self.work, "the copies differ after a catch-up");
                }
                self.work.put_bookkeeping(books);
                debug_assert_eq!(self.work.last_seq, self.committed_seq);
            }
            Err(err) => {
                // Nothing of the group is on disk: go back to what readers see, owing the
                // store nothing of the group.
                self.rebuild_from_committed(&[], 0);
                self.recent = self.core.view().recent().clone();
                (self.oldest_key, self.tombstones) = pruning;
                if matches!(err, Error::InvariantViolated { .. }) {
                    self.stopped = Some(err.clone());
                }
                for (reply, _) in answers {
                    let _ = reply.send(Err(err.clone()));
                }
                for reply in syncs {
                    let _ = reply.send(Err(err.clone()));
                }
            }
        }
    }

    /// Decides and applies one request (one command, or an atomic batch).
    #[allow(clippy::too_many_arguments)]
    fn handle(
        &mut self,
        txn: &StoreWrite,
        commands: &[Command],
        meta: &Meta,
        batch: bool,
        now: Timestamp,
        buffer: &mut GroupBuffer,
        keys: &mut HashMap<String, KeyRecord>,
    ) -> Result<Vec<Receipt>> {
        meta.validate(now)?;
        let fingerprint = match &meta.key {
            Some(key) => {
                let fingerprint = crate::command::canonical::fingerprint(commands, meta)?;
                let earlier = match keys.get(key) {
                    Some(rec) => Some((rec.fingerprint.clone(), rec.outcome.clone())),
                    None => match remembered(txn, key)? {
                        Some(rec) => {
                            let at = rec.recorded_at.unwrap_or(self.keys_upcast_at);
                            if self.expired(at, now) {
                                return Err(Error::KeyExpired { key: key.clone() });
                            }
                            Some((rec.fingerprint, rec.outcome))
                        }
                        None if self.tombstones && txn.key_tombstoned(key)? => {
                            return Err(Error::KeyExpired { key: key.clone() });
                        }
                        None => None,
                    },
                };
                if let Some((earlier_fingerprint, outcome)) = earlier {
                    if earlier_fingerprint != fingerprint {
                        return Err(Error::Conflict {
                            key: key.clone(),
                            reason: "the key was used for a different command".into(),
                        });
                    }
                    return outcome;
                }
                Some(fingerprint)
            }
            None => None,
        };
        // Only an atomic batch can need undoing: a single command is decided before it
        // changes anything.
        let journal_mark = (commands.len() > 1).then(|| self.work.begin_journal());
        let buffer_mark = buffer.mark();
        let mut receipts = Vec::with_capacity(commands.len());
        let mut outcome = Ok(());
        for (i, command) in commands.iter().enumerate() {
            if self.core.faults.panic_armed.load(Ordering::Relaxed) {
                self.injected_panic(command);
            }
            let next_seq = self.work.last_seq + 1;
            match decide_recalling(&mut self.work, command, now, next_seq, txn) {
                Ok((decision, recalled)) => {
                    let first_seq = self.work.last_seq + 1;
                    for event in decision.events {
                        self.append(event, meta, now, None, buffer);
                    }
                    self.work.readmitted(&recalled);
                    self.follow_up(command, meta, now, buffer);
                    receipts.push(Receipt {
                        first_seq,
                        last_seq: self.work.last_seq,
                        transfer_id: decision.transfer_id,
                        difference: decision.difference,
                        reservation_id: decision.reservation_id,
                    });
                }
                Err(err) => {
                    if let Some(mark) = journal_mark {
                        self.work.rollback_to(mark);
                    }
                    buffer.truncate(buffer_mark);
                    outcome = Err(if batch {
                        Error::BatchRefused {
                            index: i as u32,
                            source: Box::new(err),
                        }
                    } else {
                        err
                    });
                    break;
                }
            }
        }
        let outcome = outcome.map(|()| receipts);
        if let (Some(key), Some(fingerprint)) = (&meta.key, fingerprint) {
            keys.insert(
                key.clone(),
                KeyRecord {
                    fingerprint,
                    outcome: outcome.clone(),
                    recorded_at: Some(now),
                },
            );
        }
        outcome
    }

    /// Wraps `event` in its envelope (the next sequence, the caller's meta, `reason` in
    /// place of the caller's when the engine acts on its own), applies it to the
    /// writer's state and buffers it with its index rows.
    fn append(
        &mut self,
        event: Event,
        meta: &Meta,
        now: Timestamp,
        reason: Option<&str>,
        buffer: &mut GroupBuffer,
    ) {
        let env = Envelope {
            seq: self.work.last_seq + 1,
            recorded_at: now,
            effective_at: meta.effective_at.unwrap_or(now),
            actor: meta.actor.clone(),
            key: meta.key.clone(),
            correlation: meta.correlation.clone(),
            reason: reason.map_or_else(|| meta.reason.clone(), |r| Some(r.to_owned())),
            event,
        };
        buffer.index.extend(index_rows(&self.work, &env));
        self.work.apply(&env);
        buffer.events.push(env);
    }

    /// Records the expiry of every reservation whose time ran out, before any command of
    /// the group: from then on they hold nothing and cannot be committed. Each expiry is
    /// effective at its own expiry time.
    fn expire_due(&mut self, now: Timestamp, buffer: &mut GroupBuffer) {
        for (expired_at, event) in crate::ledger::reservations::due_expiries(&self.work.holds, now)
        {
            let meta = Meta::new().actor("stockbook").effective_at(expired_at);
            self.append(event, &meta, now, Some("time-to-live ran out"), buffer);
        }
    }

    /// Work a command triggers in the same commit: stock that arrives fills backorders of
    /// its item in policy order.
    fn follow_up(
        &mut self,
        command: &Command,
        meta: &Meta,
        now: Timestamp,
        buffer: &mut GroupBuffer,
    ) {
        let sku = match command {
            Command::Receive(r) => Some(r.sku.as_str()),
            Command::Adjust(a) if !a.qty.is_negative() => Some(a.sku.as_str()),
            Command::Count(c) => Some(c.sku.as_str()),
            Command::ReceiveTransfer(r) => self
                .work
                .stock
                .transfers
                .get(&r.transfer_id)
                .map(|t| t.sku.as_str()),
            Command::ReceivePurchaseOrder(r) => self
                .work
                .supply
                .get(&r.po_id)
                .and_then(|po| po.lines.iter().find(|l| l.line == r.line))
                .map(|l| l.sku.as_str()),
            _ => None,
        };
        let Some(sku) = sku.map(str::to_owned) else {
            return;
        };
        if !crate::orders::decide::has_backorders(&self.work.orders, &sku) {
            return;
        }
        let fill = Command::FillBackorders(crate::orders::FillBackorders {
            sku: Some(sku),
            ..Default::default()
        });
        // A fill that finds nothing to do, or fails, leaves the receipt as it was.
        if let Ok(decision) = decide(&self.work, &fill, now, self.work.last_seq + 1) {
            for event in decision.events {
                let reason = "backorders filled by arriving stock";
                self.append(event, meta, now, Some(reason), buffer);
            }
        }
    }

    /// Writes a group: its log chunks and idempotency keys; its index rows and history
    /// pairs go to memory, and while a complete block waits, a share of it is folded into
    /// the tables — twice what the group adds, so that a block is folded before the next
    /// one completes.
    fn write_group(
        &mut self,
        mut txn: StoreWrite,
        buffer: &GroupBuffer,
        keys: &HashMap<String, KeyRecord>,
        take_snapshot: bool,
        force_durable: bool,
    ) -> Result<()> {
        let durable =
            !matches!(self.core.options.durability, Durability::BulkLoad) || force_durable;
        txn.set_durable(durable)?;
        if let Some(newest) = buffer.events.last() {
            txn.append_events(&buffer.events)?;
            let skus: Vec<(Vec<String>, u64)> = buffer
                .events
                .iter()
                .map(|env| (self.work.skus_of(&env.event), env.seq))
                .collect();
            let pairs: Vec<(&str, u64)> = skus
                .iter()
                .flat_map(|(skus, seq)| skus.iter().map(|sku| (sku.as_str(), *seq)))
                .collect();
            let rows: Vec<index::IndexRow<'_>> = buffer.index.iter().map(IndexEntry::row).collect();
            self.recent.add(&rows, &pairs);
            let budget = 2 * (2 * rows.len() + pairs.len()) + FOLD_ROWS_MIN;
            if let Some(share) = self
                .recent
                .take_share(self.recent.block(newest.seq), budget)
            {
                txn.fold(&share, self.recent.folded(), self.recent.block_events())?;
            }
        }
        if !keys.is_empty() {
            let records = keys
                .iter()
                .map(|(key, record)| {
                    let at = record.recorded_at.unwrap_or(self.keys_upcast_at);
                    Ok((key.as_str(), record.encode(at)?, at))
                })
                .collect::<Result<Vec<_>>>()?;
            txn.remember_keys(records)?;
        }
        let archived = self.work.take_archived();
        if !archived.is_empty() {
            txn.archive(&archived)?;
        }
        if take_snapshot {
            write_snapshot(&txn, &self.work, &self.recent)?;
        }
        self.check_group(buffer)?;
        txn.commit()
    }

    /// Undoes the request that began at `mark`: the buffer is cut back to it, and the
    /// state rebuilt from what readers see (the last commit) and the group's events before
    /// it. Only after a panic, so its cost does not matter.
    fn roll_back_to(&mut self, (mark, owed): ((usize, usize), usize), buffer: &mut GroupBuffer) {
        buffer.truncate(mark);
        // The `closed` changes owed before the request stay owed (records that came back
        // with an earlier request's change included).
        self.rebuild_from_committed(&buffer.events, owed);
    }

    /// Rebuilds the writer's state from what readers see (the last commit) and `events`,
    /// keeping the writer's bookkeeping and the first `owed` changes of its outbox: the
    /// events re-applied owe nothing again.
    fn rebuild_from_committed(&mut self, events: &[Envelope], owed: usize) {
        let mut books = self.work.take_bookkeeping();
        if let Some(outbox) = &mut books.outbox {
            outbox.truncate(owed);
        }
        let mut work = self.core.state.read().clone();
        // The journal starts again from the last commit, as readers' copy stands.
        work.begin_journal();
        for env in events {
            work.apply(env);
        }
        work.put_bookkeeping(books);
        self.work = work;
    }

    /// The test hook: panics if a panic is asked for the item `command` names.
    #[cold]
    fn injected_panic(&self, command: &Command) {
        let mut armed = self.core.faults.panic_sku.lock();
        if armed.is_some() && armed.as_deref() == command_sku(command) {
            let sku = armed.take().unwrap_or_default();
            self.core.faults.panic_armed.store(false, Ordering::SeqCst);
            drop(armed);
            // Unwinds without the panic hook: a test's injected panic prints nothing.
            std::panic::resume_unwind(Box::new(format!("injected panic deciding {sku}")));
        }
    }

    /// Whether a key recorded `at` is past its retention window at `now`.
    fn expired(&self, at: Timestamp, now: Timestamp) -> bool {
        now.saturating_sub(at) >= self.core.options.key_retention_ms.max(1)
    }

    /// Prunes a bounded number of expired keys in `txn`, oldest first.
    fn prune_keys(&mut self, txn: &StoreWrite, now: Timestamp) -> Result<()> {
        let cutoff = now.saturating_sub(self.core.options.key_retention_ms.max(1));
        if self.oldest_key.is_none_or(|oldest| oldest > cutoff) {
            return Ok(());
        }
        let (pruned, oldest) = txn.prune_keys(cutoff, KEYS_PRUNED_PER_GROUP_MAX)?;
        self.oldest_key = oldest;
        self.tombstones |= pruned > 0;
        Ok(())
    }

    /// The file as just committed with the unfolded rows that go with it. If no read
    /// transaction can be begun, readers keep the previous pair: older, but consistent.
    fn next_view(&self) -> Option<Arc<StoreRead>> {
        let view = self.core.store.begin_read(self.recent.clone()).ok()?;
        Some(Arc::new(view))
    }

    fn commit_final(&self, snapshot_seq: u64) -> Result<()> {
        let txn = self.core.store.begin_write()?;
        if self.work.last_seq > snapshot_seq {
            write_snapshot(&txn, &self.work, &self.recent)?;
        }
        txn.commit()
    }
}

/// Answers every request of `group` with `err`.
fn answer_all(group: Vec<Request>, err: &Error) {
    for req in group {
        match req {
            Request::Commands { reply, .. } => {
                let _ = reply.send(Err(err.clone()));
            }
            Request::Sync { reply } => {
                let _ = reply.send(Err(err.clone()));
            }
        }
    }
}

/// The text a panic carried.
fn panic_message(panic: &(dyn std::any::Any + Send)) -> String {
    let text = panic
        .downcast_ref::<&str>()
        .copied()
        .or_else(|| panic.downcast_ref::<String>().map(String::as_str))
        .unwrap_or("a panic without a message");
    format!("the writer panicked on this request: {text}")
}

/// The item a command names directly, if any (for the test hook).
fn command_sku(command: &Command) -> Option<&str> {
    Some(match command {
        Command::DefineItem(item) | Command::UpdateItem(item) => &item.sku,
        Command::ArchiveItem { sku } => sku,
        Command::DefineLot(lot) => &lot.sku,
        Command::Receive(c) => &c.sku,
        Command::Issue(c) | Command::Ship(c) => &c.sku,
        Command::Adjust(c) => &c.sku,
        Command::Scrap(c) => &c.sku,
        Command::Transfer(c) => &c.sku,
        Command::DispatchTransfer(c) => &c.sku,
        Command::Count(c) => &c.sku,
        Command::Reserve(c) => &c.sku,
        _ => return None,
    })
}

/// Writes the state and the unfolded rows of its time as the only snapshot.
fn write_snapshot(txn: &StoreWrite, state: &State, recent: &Recent) -> Result<()> {
    let bytes = schema::encode_snapshot(&SnapshotV2 {
        state: state.to_image(),
        recent: recent.to_image(),
    })?;
    txn.write_snapshot(state.last_seq, &bytes)
}

fn remembered(txn: &StoreWrite, key: &str) -> Result<Option<KeyRecord>> {
    txn.recall_key(key)?
        .map(|bytes| KeyRecord::decode(&bytes))
        .transpose()
}

mod checks;

#[cfg(test)]
mod tests;
