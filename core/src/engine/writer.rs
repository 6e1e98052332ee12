//! The writer thread and group commit: it drains queued requests into a group, decides
//! and applies each against its own copy of the state, writes the group's events, index
//! rows and remembered keys in one transaction, commits once, then answers every caller
//! and publishes the new state and view to readers.

use crate::collections::HashMap;
use std::sync::Arc;

use crossbeam_channel::{Receiver, Sender};
use redb::ReadableDatabase;

use super::rows::{IndexEntry, index_rows};
use super::{Core, Durability};
use crate::command::state::State;
use crate::command::{Command, decide, decide_recalling};
use crate::error::{Error, Result};
use crate::event::{Envelope, Event};
use crate::ledger::{Meta, Receipt};
use crate::model::Timestamp;
use crate::store::backend::{StoreRead, StoreWrite};
use crate::store::index;
use crate::store::recent::Recent;
use crate::store::schema::{self, SnapshotV2};

/// What a remembered idempotency key holds (stored as the schema's key record).
struct KeyRecord {
    fingerprint: Vec<u8>,
    outcome: std::result::Result<Vec<Receipt>, Error>,
}

impl KeyRecord {
    fn encode(&self) -> Result<Vec<u8>> {
        schema::encode_key_record(&self.fingerprint, &self.outcome)
    }

    fn decode(bytes: &[u8]) -> Result<KeyRecord> {
        let (fingerprint, outcome) = schema::decode_key_record(bytes)?;
        Ok(KeyRecord {
            fingerprint,
            outcome,
        })
    }
}

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
    pub(super) core: Arc<Core>,
    pub(super) work: State,
    /// The unfolded rows and pairs, as of the group being written.
    pub(super) recent: Recent,
    pub(super) rx: Receiver<Request>,
}

impl Writer {
    pub(super) fn run(mut self) {
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
            self.process(group, &mut snapshot_seq);
        }
        // Closing: one last durable commit with a fresh snapshot.
        let _ = self.commit_final(snapshot_seq);
    }

    fn process(&mut self, group: Vec<Request>, snapshot_seq: &mut u64) {
        let now = self.core.options.clock.now_ms();
        let mut buffer = GroupBuffer::default();
        let mut keys: HashMap<String, KeyRecord> = HashMap::default();
        let mut answers: Vec<(Reply, Result<Vec<Receipt>>)> = Vec::with_capacity(group.len());
        let mut syncs = Vec::new();
        let txn = match self.core.db.begin_write() {
            Ok(txn) => StoreWrite::new(txn),
            Err(e) => {
                let err = Error::storage(e);
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
                return;
            }
        };
        self.expire_due(now, &mut buffer);
        for req in group {
            match req {
                Request::Commands {
                    commands,
                    meta,
                    batch,
                    reply,
                } => {
                    let outcome =
                        self.handle(&txn, &commands, &meta, batch, now, &mut buffer, &mut keys);
                    answers.push((reply, outcome));
                }
                Request::Sync { reply } => syncs.push(reply),
            }
        }
        let take_snapshot = self.work.last_seq
            >= snapshot_seq.saturating_add(self.core.options.snapshot_every_events);
        // A group that only refused (and remembered no key) changed nothing: it needs no
        // commit, so its callers do not wait for a flush.
        let written = if buffer.events.is_empty() && keys.is_empty() && syncs.is_empty() {
            txn.abort()
        } else {
            self.write_group(txn, &buffer, &keys, take_snapshot, !syncs.is_empty())
        };
        match written {
            Ok(()) => {
                if take_snapshot {
                    *snapshot_seq = self.work.last_seq;
                }
                let view = self.next_view();
                {
                    // The view changes under the state's lock, so that a reader holding
                    // the lock sees the two of one commit.
                    let mut shared = self.core.state.write();
                    if let Some(view) = view {
                        *self.core.view.write() = view;
                    }
                    for env in &buffer.events {
                        shared.apply(env);
                    }
                }
                for (reply, outcome) in answers {
                    let _ = reply.send(outcome);
                }
                for reply in syncs {
                    let _ = reply.send(Ok(()));
                }
            }
            Err(err) => {
                // Nothing of the group is on disk: go back to what readers see.
                self.work = self.core.state.read().clone();
                self.recent = self.core.view().recent().clone();
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
                let fingerprint = fingerprint(commands, meta)?;
                let earlier = match keys.get(key) {
                    Some(rec) => Some((rec.fingerprint.clone(), rec.outcome.clone())),
                    None => remembered(txn, key)?.map(|rec| (rec.fingerprint, rec.outcome)),
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
        // changes anything, so it is not journaled.
        let journal_mark = (commands.len() > 1).then(|| self.work.begin_journal());
        let buffer_mark = buffer.mark();
        let mut receipts = Vec::with_capacity(commands.len());
        let mut outcome = Ok(());
        for (i, command) in commands.iter().enumerate() {
            let next_seq = self.work.last_seq + 1;
            match decide_recalling(&mut self.work, command, now, next_seq, |k, id| {
                txn.closed(k, id)
            }) {
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
        if journal_mark.is_some() {
            self.work.end_journal();
        }
        let outcome = outcome.map(|()| receipts);
        if let (Some(key), Some(fingerprint)) = (&meta.key, fingerprint) {
            keys.insert(
                key.clone(),
                KeyRecord {
                    fingerprint,
                    outcome: outcome.clone(),
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
                .map(|(key, record)| Ok((key.as_str(), record.encode()?)))
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
        txn.commit()
    }

    /// The file as just committed with the unfolded rows that go with it. If no read
    /// transaction can be begun, readers keep the previous pair: older, but consistent.
    fn next_view(&self) -> Option<Arc<StoreRead>> {
        let txn = self.core.db.begin_read().ok()?;
        Some(Arc::new(StoreRead::new(txn, self.recent.clone())))
    }

    fn commit_final(&self, snapshot_seq: u64) -> Result<()> {
        let txn = StoreWrite::new(self.core.db.begin_write().map_err(Error::storage)?);
        if self.work.last_seq > snapshot_seq {
            write_snapshot(&txn, &self.work, &self.recent)?;
        }
        txn.commit()
    }
}

/// Writes the state and the unfolded rows of its time as the only snapshot.
fn write_snapshot(txn: &StoreWrite, state: &State, recent: &Recent) -> Result<()> {
    let bytes = schema::encode_snapshot(&SnapshotV2 {
        state: state.to_image(),
        recent: recent.to_image(),
    })?;
    txn.write_snapshot(state.last_seq, &bytes)
}

/// The canonical, versioned fingerprint of a keyed request (see `store::schema`).
fn fingerprint(commands: &[Command], meta: &Meta) -> Result<Vec<u8>> {
    crate::command::canonical::fingerprint(commands, meta)
}

fn remembered(txn: &StoreWrite, key: &str) -> Result<Option<KeyRecord>> {
    txn.recall_key(key)?
        .map(|bytes| KeyRecord::decode(&bytes))
        .transpose()
}
