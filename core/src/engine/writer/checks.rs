//! The checks before every commit ([`Invariant`]): sequence numbers contiguous, reserved
//! within on hand where the group moved or reserved stock, the index folded no further than
//! the log. A failed check stops the writer (fail-stop) rather than write a wrong state.

use std::sync::atomic::Ordering;

use super::{GroupBuffer, Writer};
use crate::collections::HashSet;
use crate::error::{Error, Result};
use crate::event::Event;

/// What the writer checks before every commit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Invariant {
    /// The group's events are numbered on from the last committed one, without a gap,
    /// and the writer's state stands at the last of them.
    SeqContiguous,
    /// On every (item, location, lot) a movement or a new reservation of the group
    /// touched, and every location above it, a positive reserved quantity is no more than
    /// what is on hand (the rule of `ledger::reservations`, for items that may go negative
    /// too: they may hold less than nothing, never less than is reserved).
    ReservedWithinOnHand,
    /// The point-in-time index is folded no further than the log reaches.
    FoldedWithinLog,
}

impl Invariant {
    /// Every invariant, in the order of their test-hook numbers (1, 2, 3).
    pub(crate) const ALL: [Invariant; 3] = [
        Invariant::SeqContiguous,
        Invariant::ReservedWithinOnHand,
        Invariant::FoldedWithinLog,
    ];

    /// Its name, as `invariant_violated` reports it.
    pub(crate) fn name(self) -> &'static str {
        match self {
            Invariant::SeqContiguous => "seq_contiguous",
            Invariant::ReservedWithinOnHand => "reserved_within_on_hand",
            Invariant::FoldedWithinLog => "folded_within_log",
        }
    }

    fn violated(self, detail: String) -> Error {
        Error::InvariantViolated {
            invariant: self.name().to_owned(),
            detail,
        }
    }
}

impl Writer {
    /// Checks the group's invariants before it commits (see [`Invariant`]); the test hook
    /// may corrupt one input.
    pub(super) fn check_group(&self, buffer: &GroupBuffer) -> Result<()> {
        let fault = match self.core.faults.invariant.load(Ordering::Relaxed) {
            0 => None,
            n => {
                self.core.faults.invariant.store(0, Ordering::SeqCst);
                Invariant::ALL.get(usize::from(n) - 1).copied()
            }
        };
        let bias = |i: Invariant| i64::from(fault == Some(i));
        // Sequence numbers: on from the last commit, no gap, the state at the last one.
        let mut next = self.committed_seq + 1 + bias(Invariant::SeqContiguous).unsigned_abs();
        for env in &buffer.events {
            if env.seq != next {
                return Err(Invariant::SeqContiguous.violated(format!(
                    "event {} where {next} was due (last committed {})",
                    env.seq, self.committed_seq
                )));
            }
            next += 1;
        }
        if self.work.last_seq != next - 1 {
            return Err(Invariant::SeqContiguous.violated(format!(
                "the state stands at {}, the group ends at {}",
                self.work.last_seq,
                next - 1
            )));
        }
        // Folding never runs ahead of the log.
        let folded = if fault == Some(Invariant::FoldedWithinLog) {
            self.work.last_seq + 1
        } else {
            self.recent.folded().seq
        };
        if folded > self.work.last_seq {
            return Err(Invariant::FoldedWithinLog.violated(format!(
                "folded to {folded}, the log ends at {}",
                self.work.last_seq
            )));
        }
        // Reserved within on hand, where the group moved stock or reserved it: releases,
        // commits and expiries only lower what is reserved.
        let short = bias(Invariant::ReservedWithinOnHand);
        let mut touched: HashSet<(&str, &str, &str)> = HashSet::default();
        for env in &buffer.events {
            match &env.event {
                Event::Moved(m) => {
                    let lot = m.lot.as_deref().unwrap_or("");
                    touched.insert((&m.sku, &m.from, lot));
                    touched.insert((&m.sku, &m.to, lot));
                }
                Event::ReservationCreated(r) => {
                    touched.insert((&r.sku, &r.scope, r.lot.as_deref().unwrap_or("")));
                }
                _ => {}
            }
        }
        for (sku, location, lot) in touched {
            let (stock, holds) = (&self.work.stock, &self.work.holds);
            if stock.is_virtual(location) {
                continue;
            }
            for node in stock.ancestors(location) {
                // Where nothing is reserved there is nothing to compare: on hand is read
                // only under a reservation (a lot's on hand is a scan of the node's lots).
                let reserved = holds.reserved_rollup(sku, node);
                if reserved > 0 {
                    let on_hand = stock.on_hand_rollup(sku, node) - short;
                    if reserved > on_hand {
                        return Err(Invariant::ReservedWithinOnHand.violated(format!(
                            "{sku} at {node}: reserved {reserved}, on hand {on_hand} in units"
                        )));
                    }
                }
                let lot_reserved = if lot.is_empty() {
                    0
                } else {
                    holds.reserved_lot_rollup(sku, node, lot)
                };
                if lot_reserved > 0 {
                    let lot_on_hand = stock.on_hand_lot_rollup(sku, node, lot) - short;
                    if lot_reserved > lot_on_hand {
                        return Err(Invariant::ReservedWithinOnHand.violated(format!(
                            "{sku} at {node}, lot {lot}: reserved {lot_reserved}, on hand \
                             {lot_on_hand} in units"
                        )));
                    }
                }
            }
        }
        Ok(())
    }
}
