//! The integrity check: every projection rebuilt from the log alone and compared with
//! the maintained one.

use super::super::rows::{IndexEntry, index_rows};
use crate::command::state::{ClosedRecords, State};
use crate::engine::Stockbook;
use crate::error::Result;
use crate::ledger::IntegrityReport;
use crate::store::index::{self, Axis};
use crate::store::schema::ClosedKind;

impl Stockbook {
    /// Rebuilds every projection from the log alone and compares it with the maintained
    /// one: the ledger state, the point-in-time index and the per-item history. Also checks
    /// that every item's ledger sums to zero and that no balance is negative where the item
    /// forbids it.
    pub fn verify(&self) -> Result<IntegrityReport> {
        let core = self.core()?;
        // The state and the view of one commit: the writer swaps the view while it holds
        // the state's write lock, so taking both under the state's read lock pairs them.
        let (live, view) = {
            let state = core.state.read();
            (state.clone(), core.view())
        };
        let mut report = IntegrityReport::default();
        let mut rebuilt = State::with_builtins(core.retention);
        rebuilt.record_closed();
        let mut entries = Vec::new();
        let mut item_events = std::collections::BTreeSet::new();
        let events = view.event_log()?;
        let mut expected_seq = 1;
        // The rebuilt state derives its roll-ups at the end, the live one kept them up to
        // date: comparing the two checks both ways.
        rebuilt.begin_replay();
        events.scan(1, |env| {
            if env.seq != expected_seq {
                report
                    .problems
                    .push(format!("log gap or disorder at seq {}", env.seq));
            }
            expected_seq = env.seq + 1;
            entries.extend(index_rows(&rebuilt, &env));
            rebuilt.apply(&env);
            for sku in rebuilt.skus_of(&env.event) {
                item_events.insert((sku, env.seq));
            }
            report.events += 1;
            Ok(true)
        })?;
        rebuilt.finish_replay();
        let expected = index::expected_rows(entries.iter().map(IndexEntry::row));
        if rebuilt != live {
            report.problems.push(describe_difference(&rebuilt, &live));
        }
        // The records out of memory: exactly those the log's retention rule moved out, as
        // they left.
        let expected_closed = rebuilt.replayed_closed();
        let mut kept = ClosedRecords::new();
        for kind in [
            ClosedKind::Reservation,
            ClosedKind::Order,
            ClosedKind::PurchaseOrder,
        ] {
            for record in view.closed_all(kind)? {
                let (kind, id) = record.key();
                kept.insert((kind, id.to_owned()), record);
            }
        }
        if kept != expected_closed {
            let differ = expected_closed
                .iter()
                .filter(|(k, r)| kept.get(*k) != Some(*r))
                .count()
                + kept
                    .keys()
                    .filter(|k| !expected_closed.contains_key(*k))
                    .count();
            report.problems.push(format!(
                "closed records out of memory differ from the log: {} kept, {} expected, {differ} differ",
                kept.len(),
                expected_closed.len()
            ));
        }
        // Stored are the folded rows of the effective axis; in memory, the unfolded rows of
        // both. Every effective row must be in exactly one of them, and every row in memory
        // must be one the log makes.
        let (mut effective, problems) = view.index_rows_folded()?;
        report.problems.extend(problems);
        let (mut twice, mut unknown) = (0usize, 0usize);
        for r in view.recent().rows() {
            let key = r.owned_key();
            if !Axis::is_effective(r.code) {
                if expected.get(&key) != Some(&r.value) {
                    unknown += 1;
                }
            } else if effective.insert(key, r.value).is_some() {
                twice += 1;
            }
        }
        if twice > 0 {
            report.problems.push(format!(
                "{twice} point-in-time index rows are both in memory and folded"
            ));
        }
        if unknown > 0 {
            report.problems.push(format!(
                "{unknown} point-in-time index rows in memory are not the log's"
            ));
        }
        report.index_rows = expected.len() as u64;
        let mut expected_effective = expected;
        expected_effective.retain(|k, _| Axis::is_effective(k.2));
        if effective != expected_effective {
            report.problems.push(format!(
                "point-in-time index differs from the log: {} rows by effective time, {} rebuilt",
                effective.len(),
                expected_effective.len()
            ));
        }
        let (history, twice) = view.item_history_all()?;
        if twice > 0 {
            report.problems.push(format!(
                "{twice} per-item history rows are both in memory and folded"
            ));
        }
        if history != item_events {
            report
                .problems
                .push("per-item history differs from the log".into());
        }
        check_ledger_rules(&live, &mut report);
        Ok(report)
    }
}

fn check_ledger_rules(s: &State, report: &mut IntegrityReport) {
    let mut sums: std::collections::HashMap<&str, i128> = std::collections::HashMap::new();
    for (sku, loc, lot, units) in s.stock.balances.iter() {
        *sums.entry(sku).or_default() += i128::from(units);
        let allow = s.stock.items.get(sku).is_some_and(|i| i.allow_negative);
        if units < 0 && !allow && !s.stock.is_virtual(loc) {
            report
                .problems
                .push(format!("negative balance {units} of {sku}/{lot} at {loc}"));
        }
    }
    for (sku, sum) in sums {
        if sum != 0 {
            report
                .problems
                .push(format!("ledger of {sku} sums to {sum}, not zero"));
        }
    }
}

fn describe_difference(rebuilt: &State, live: &State) -> String {
    let mut parts = Vec::new();
    if rebuilt.stock.items != live.stock.items {
        parts.push("items");
    }
    if rebuilt.stock.locations != live.stock.locations {
        parts.push("locations");
    }
    if rebuilt.stock.lots != live.stock.lots {
        parts.push("lots");
    }
    if rebuilt.stock.serials != live.stock.serials {
        parts.push("serials");
    }
    if rebuilt.stock.balances != live.stock.balances {
        parts.push("balances");
    }
    if rebuilt.stock.transfers != live.stock.transfers {
        parts.push("transfers");
    }
    if rebuilt.holds != live.holds {
        parts.push("reservations");
    }
    if rebuilt.orders != live.orders {
        parts.push("orders");
    }
    if rebuilt.supply != live.supply {
        parts.push("purchase_orders");
    }
    if rebuilt != live && parts.is_empty() {
        parts.push("derived state");
    }
    if rebuilt.last_seq != live.last_seq {
        parts.push("last_seq");
    }
    format!(
        "replayed state differs from the maintained one in: {}",
        parts.join(", ")
    )
}
