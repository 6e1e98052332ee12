//! A disk that loses power on cue: a redb `StorageBackend` for tests.
//!
//! A [`Disk`] keeps two images: the durable one (what survives a power loss) and the one
//! the process sees (the durable image with every write since the last `sync_data` on
//! top). A [`Plan`] makes it crash at the Nth `write` or `sync_data` call: every write not
//! followed by a sync is lost, except that a random prefix of the last write reaches the
//! durable image (a torn write), and from then on every call fails, as if the process
//! were gone. A plan can instead let each unsynced write survive or not, at random, as a
//! disk that reorders its writes does (the last one still torn). A plan can also fail one
//! chosen call (of any kind) with an I/O error and no
//! effect, as a flaky disk would, without crashing. [`Disk::survivor`] is a fresh disk
//! holding the durable image, to open again.

use std::io;
use std::sync::{Arc, Mutex, MutexGuard};

/// What a disk does wrong, counted in calls from the moment it is armed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Plan {
    /// Lose power at this `write` or `sync_data` call (1 = the first after arming).
    pub crash_at_op: Option<u64>,
    /// Fail this call, of any kind (1 = the first after arming), with an I/O error and no
    /// effect; the disk goes on working.
    pub fail_at_call: Option<u64>,
    /// Fail this `sync_data` call (1 = the first after arming) in the same way: the writes
    /// before it stay pending, neither lost nor durable.
    pub fail_at_sync: Option<u64>,
    /// At the crash, each unsynced write before the last survives or not, at random (the
    /// disk reorders writes), instead of all of them being lost.
    pub reorder: bool,
}

/// What a disk did, for the summary.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Stats {
    /// `write` and `sync_data` calls since arming.
    pub ops: u64,
    /// Calls of every kind since arming.
    pub calls: u64,
    /// `sync_data` calls since arming.
    pub syncs: u64,
    /// Whether the power was lost.
    pub crashed: bool,
    /// Whether the crash tore a write (a prefix of it, neither empty nor whole, survived).
    pub torn: bool,
    /// Writes since the last sync that the crash lost (the torn one included).
    pub lost_writes: u64,
    /// Whether the flaky call was answered with an error.
    pub injected: bool,
}

/// A call to the backend, as the fault plan counts it.
#[derive(Clone, Copy)]
enum Call<'a> {
    Other,
    Write(u64, &'a [u8]),
    Sync,
}

#[derive(Debug)]
enum Pending {
    Write { offset: u64, data: Vec<u8> },
    SetLen(u64),
}

#[derive(Debug)]
struct State {
    durable: Vec<u8>,
    /// What the process sees: `durable` with `pending` applied in order.
    seen: Vec<u8>,
    pending: Vec<Pending>,
    plan: Plan,
    stats: Stats,
    rng: u64,
}

impl State {
    fn next_random(&mut self) -> u64 {
        // xorshift64*
        self.rng ^= self.rng >> 12;
        self.rng ^= self.rng << 25;
        self.rng ^= self.rng >> 27;
        self.rng.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// Counts a call; answers the error it must fail with, if any.
    fn enter(&mut self, call: Call<'_>) -> io::Result<()> {
        if self.stats.crashed {
            return Err(gone());
        }
        self.stats.calls += 1;
        if matches!(call, Call::Sync) {
            self.stats.syncs += 1;
        }
        if let Call::Write(..) | Call::Sync = call {
            self.stats.ops += 1;
            if self.plan.crash_at_op == Some(self.stats.ops) {
                let in_progress = match call {
                    Call::Write(offset, data) => Some((offset, data)),
                    _ => None,
                };
                self.crash(in_progress);
                return Err(gone());
            }
        }
        let flaky = self.plan.fail_at_call == Some(self.stats.calls)
            || (matches!(call, Call::Sync) && self.plan.fail_at_sync == Some(self.stats.syncs));
        if flaky {
            self.stats.injected = true;
            return Err(io::Error::other("injected I/O error (a flaky disk)"));
        }
        Ok(())
    }

    /// Loses power: the unsynced writes are lost (or, reordering, each but the last
    /// survives or not; a file grown survives as grown, one shrunk as it was), the last one
    /// (the one in progress, or else the newest pending one) torn at a random byte.
    fn crash(&mut self, in_progress: Option<(u64, &[u8])>) {
        self.stats.crashed = true;
        let pending = std::mem::take(&mut self.pending);
        let writes = pending
            .iter()
            .filter(|p| matches!(p, Pending::Write { .. }))
            .count() as u64;
        self.stats.lost_writes = writes + u64::from(in_progress.is_some());
        let last_pending = if in_progress.is_some() {
            pending.len()
        } else {
            pending
                .iter()
                .rposition(|p| matches!(p, Pending::Write { .. }))
                .unwrap_or(pending.len())
        };
        if self.plan.reorder {
            for p in &pending[..last_pending] {
                if self.next_random().is_multiple_of(2) {
                    continue;
                }
                match p {
                    Pending::Write { offset, data } => {
                        write_into(&mut self.durable, *offset, data);
                        self.stats.lost_writes -= 1;
                    }
                    Pending::SetLen(len) => {
                        let len = usize::try_from(*len).expect("a length");
                        self.durable.resize(len.max(self.durable.len()), 0);
                    }
                }
            }
        }
        let last = in_progress
            .map(|(offset, data)| (offset, data.to_vec()))
            .or_else(|| {
                pending.into_iter().rev().find_map(|p| match p {
                    Pending::Write { offset, data } => Some((offset, data)),
                    Pending::SetLen(_) => None,
                })
            });
        if let Some((offset, data)) = last {
            let kept = (self.next_random() % (data.len() as u64 + 1)) as usize;
            self.stats.torn = kept > 0 && kept < data.len();
            write_into(&mut self.durable, offset, &data[..kept]);
        }
        self.seen = Vec::new();
    }
}

fn gone() -> io::Error {
    io::Error::other("power lost: the process is gone")
}

fn write_into(image: &mut Vec<u8>, offset: u64, data: &[u8]) {
    if data.is_empty() {
        return;
    }
    let start = usize::try_from(offset).expect("an offset in memory");
    let end = start + data.len();
    if image.len() < end {
        image.resize(end, 0);
    }
    image[start..end].copy_from_slice(data);
}

/// A simulated disk; clones share it. Hand [`Disk::backend`] to redb.
#[derive(Debug, Clone)]
pub struct Disk {
    state: Arc<Mutex<State>>,
}

impl Disk {
    /// An empty disk; `seed` chooses where crashes tear writes.
    pub fn new(seed: u64) -> Disk {
        Disk::from_image(Vec::new(), seed)
    }

    /// A disk holding `image`, durable.
    pub fn from_image(image: Vec<u8>, seed: u64) -> Disk {
        Disk {
            state: Arc::new(Mutex::new(State {
                seen: image.clone(),
                durable: image,
                pending: Vec::new(),
                plan: Plan::default(),
                stats: Stats::default(),
                rng: seed | 1,
            })),
        }
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        // A panic while the lock is held cannot leave the images half-updated: no code
        // inside it panics, but a test that failed elsewhere must still report cleanly.
        self.state
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// A redb backend over this disk.
    pub fn backend(&self) -> FaultBackend {
        FaultBackend { disk: self.clone() }
    }

    /// Starts counting calls afresh and follows `plan`.
    pub fn arm(&self, plan: Plan) {
        let mut s = self.lock();
        if !s.stats.crashed {
            s.plan = plan;
            s.stats = Stats::default();
        }
    }

    /// What happened since the disk was last armed.
    pub fn stats(&self) -> Stats {
        self.lock().stats
    }

    /// Cuts the power now (if it is still on): the unsynced writes are lost, the last one
    /// torn.
    pub fn cut_power(&self) {
        let mut s = self.lock();
        if !s.stats.crashed {
            s.crash(None);
        }
    }

    /// The operating system writes every pending write back, as after a clean exit, and
    /// the power goes off.
    pub fn write_back_and_power_off(&self) {
        let mut s = self.lock();
        if !s.stats.crashed {
            let pending = std::mem::take(&mut s.pending);
            apply(&mut s.durable, pending);
            s.stats.crashed = true;
            s.seen = Vec::new();
        }
    }

    /// A fresh disk holding what survived on this one (cutting its power first if it is
    /// still on).
    pub fn survivor(&self, seed: u64) -> Disk {
        self.cut_power();
        let image = self.lock().durable.clone();
        Disk::from_image(image, seed)
    }
}

fn apply(image: &mut Vec<u8>, pending: Vec<Pending>) {
    for p in pending {
        match p {
            Pending::Write { offset, data } => write_into(image, offset, &data),
            Pending::SetLen(len) => image.resize(usize::try_from(len).expect("a length"), 0),
        }
    }
}

/// A redb backend over a [`Disk`].
#[derive(Debug)]
pub struct FaultBackend {
    disk: Disk,
}

impl redb::StorageBackend for FaultBackend {
    fn len(&self) -> io::Result<u64> {
        let mut s = self.disk.lock();
        s.enter(Call::Other)?;
        Ok(s.seen.len() as u64)
    }

    fn read(&self, offset: u64, out: &mut [u8]) -> io::Result<()> {
        let mut s = self.disk.lock();
        s.enter(Call::Other)?;
        let start = usize::try_from(offset).map_err(io::Error::other)?;
        let end = start
            .checked_add(out.len())
            .filter(|&end| end <= s.seen.len())
            .ok_or_else(|| io::Error::from(io::ErrorKind::UnexpectedEof))?;
        out.copy_from_slice(&s.seen[start..end]);
        Ok(())
    }

    fn set_len(&self, len: u64) -> io::Result<()> {
        let mut s = self.disk.lock();
        s.enter(Call::Other)?;
        s.seen
            .resize(usize::try_from(len).map_err(io::Error::other)?, 0);
        s.pending.push(Pending::SetLen(len));
        Ok(())
    }

    fn sync_data(&self) -> io::Result<()> {
        let mut s = self.disk.lock();
        s.enter(Call::Sync)?;
        let pending = std::mem::take(&mut s.pending);
        apply(&mut s.durable, pending);
        Ok(())
    }

    fn write(&self, offset: u64, data: &[u8]) -> io::Result<()> {
        let mut s = self.disk.lock();
        s.enter(Call::Write(offset, data))?;
        write_into(&mut s.seen, offset, data);
        s.pending.push(Pending::Write {
            offset,
            data: data.to_vec(),
        });
        Ok(())
    }

    fn close(&self) -> io::Result<()> {
        Ok(())
    }
}
