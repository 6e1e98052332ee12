//! Read side of the ledger: master data, balances rolled up the location tree, the log,
//! per-item history and stock at a past time.
//!
//! Current state is read from the committed in-memory projection (never blocked by a
//! commit in progress); the log and the point-in-time index are read from redb read
//! transactions (MVCC).

use serde::{Deserialize, Serialize};

use super::Meta;
use super::Receipt;
use super::state::State;
use crate::command::Command;
use crate::engine::Stockbook;
use crate::error::{Error, Result};
use crate::event::{Envelope, TransferRecord};
use crate::model::{Item, Location, Lot, Qty, Serial, Timestamp};
use crate::store;
use crate::store::index::{self, Axis, Measure};

/// The most events one `events` or `history` call returns.
pub const PAGE_LEN_MAX: usize = 10_000;

/// One balance: on hand of an item at a location, for one lot.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Balance {
    /// The item.
    pub sku: String,
    /// The location.
    pub location: String,
    /// The lot, for lot-tracked items.
    pub lot: Option<String>,
    /// On hand, at the item's precision.
    pub on_hand: Qty,
}

/// Which balances to list.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct BalanceFilter {
    /// Only this item.
    #[serde(default)]
    pub sku: Option<String>,
    /// Only this location and the locations below it.
    #[serde(default)]
    pub location: Option<String>,
    /// Include virtual locations (supplier, customer, …).
    #[serde(default)]
    pub include_virtual: bool,
}

/// A point in the past: business time or log position.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AsOf {
    /// Every movement effective at or before this instant (ms since the epoch).
    Time(Timestamp),
    /// Every movement recorded at or before this sequence number.
    Seq(u64),
}

impl Stockbook {
    /// One item.
    pub fn item(&self, sku: &str) -> Result<Item> {
        self.read(|s| s.items.get(sku).cloned())?
            .ok_or_else(|| Error::not_found("item", sku))
    }

    /// Every item, archived ones included, by SKU.
    pub fn items(&self) -> Result<Vec<Item>> {
        let mut items = self.read(|s| s.items.values().cloned().collect::<Vec<_>>())?;
        items.sort_by(|a, b| a.sku.cmp(&b.sku));
        Ok(items)
    }

    /// One location.
    pub fn location(&self, code: &str) -> Result<Location> {
        self.read(|s| s.locations.get(code).cloned())?
            .ok_or_else(|| Error::not_found("location", code))
    }

    /// Every location (built-in virtual ones included), by code.
    pub fn locations(&self) -> Result<Vec<Location>> {
        self.read(|s| s.locations.values().cloned().collect())
    }

    /// The locations directly below `code`.
    pub fn children(&self, code: &str) -> Result<Vec<String>> {
        self.location(code)?;
        self.read(|s| {
            s.children
                .get(code)
                .map(|c| c.iter().cloned().collect())
                .unwrap_or_default()
        })
    }

    /// One lot.
    pub fn lot(&self, sku: &str, lot: &str) -> Result<Lot> {
        self.read(|s| s.lots.get(&(sku.to_owned(), lot.to_owned())).cloned())?
            .ok_or_else(|| Error::not_found("lot", format!("{sku}/{lot}")))
    }

    /// The lots of an item.
    pub fn lots(&self, sku: &str) -> Result<Vec<Lot>> {
        self.item(sku)?;
        self.read(|s| {
            s.lots
                .range((sku.to_owned(), String::new())..)
                .take_while(|((s, _), _)| s == sku)
                .map(|(_, l)| l.clone())
                .collect()
        })
    }

    /// Where a serial-numbered unit is.
    pub fn serial(&self, sku: &str, serial: &str) -> Result<Serial> {
        let location = self
            .read(|s| s.serials.get(&(sku.to_owned(), serial.to_owned())).cloned())?
            .ok_or_else(|| Error::not_found("serial", format!("{sku}/{serial}")))?;
        Ok(Serial {
            sku: sku.to_owned(),
            serial: serial.to_owned(),
            location,
        })
    }

    /// The serials of `sku` at `location` (exactly there), sorted.
    pub fn serials_at(&self, sku: &str, location: &str) -> Result<Vec<String>> {
        let mut found = self.read(|s| {
            s.serials
                .iter()
                .filter(|((k, _), l)| k == sku && l.as_str() == location)
                .map(|((_, n), _)| n.clone())
                .collect::<Vec<_>>()
        })?;
        found.sort();
        Ok(found)
    }

    /// A two-step transfer.
    pub fn transfer(&self, id: &str) -> Result<TransferRecord> {
        self.read(|s| s.transfers.get(id).cloned())?
            .ok_or_else(|| Error::not_found("transfer", id))
    }

    /// On hand of `sku` at `location` and every location below it, all lots.
    pub fn on_hand(&self, sku: &str, location: &str) -> Result<Qty> {
        self.on_hand_lot(sku, location, None)
    }

    /// On hand of `sku` at `location` and below, for one lot (`None`: all lots).
    pub fn on_hand_lot(&self, sku: &str, location: &str, lot: Option<&str>) -> Result<Qty> {
        self.read(|s| {
            known(s, sku, location)?;
            let units = if s.is_virtual(location) {
                s.balances_at(sku, location)
                    .filter(|(l, _)| lot.is_none_or(|want| want == *l))
                    .fold(0i64, |acc, (_, q)| acc.saturating_add(q))
            } else {
                match lot {
                    None => s.on_hand_rollup(sku, location),
                    Some(lot) => s.on_hand_lot_rollup(sku, location, lot),
                }
            };
            Ok(s.qty(sku, units))
        })?
    }

    /// On hand of `sku` across every physical location.
    pub fn item_total(&self, sku: &str) -> Result<Qty> {
        self.read(|s| {
            if !s.items.contains_key(sku) {
                return Err(Error::not_found("item", sku));
            }
            let units = s
                .balances
                .of(sku)
                .filter(|(l, _, _)| !s.is_virtual(l))
                .fold(0i64, |acc, (_, _, q)| acc.saturating_add(q));
            Ok(s.qty(sku, units))
        })?
    }

    /// Balances matching `filter`, by (sku, location, lot).
    pub fn balances(&self, filter: &BalanceFilter) -> Result<Vec<Balance>> {
        self.read(|s| {
            let places = match &filter.location {
                Some(code) => {
                    if !s.locations.contains_key(code) {
                        return Err(Error::not_found("location", code));
                    }
                    Some(
                        s.subtree(code)
                            .into_iter()
                            .collect::<std::collections::HashSet<_>>(),
                    )
                }
                None => None,
            };
            let rows: Box<dyn Iterator<Item = (&str, &str, &str, i64)>> = match &filter.sku {
                Some(sku) => Box::new(
                    s.balances
                        .of(sku)
                        .map(move |(l, t, q)| (sku.as_str(), l, t, q)),
                ),
                None => Box::new(s.balances.iter()),
            };
            Ok(rows
                .filter(|(_, loc, _, _)| {
                    places.as_ref().is_none_or(|p| p.contains(*loc))
                        && (filter.include_virtual || !s.is_virtual(loc))
                })
                .map(|(sku, location, lot, units)| Balance {
                    sku: sku.to_owned(),
                    location: location.to_owned(),
                    lot: (!lot.is_empty()).then(|| lot.to_owned()),
                    on_hand: s.qty(sku, units),
                })
                .collect::<Vec<_>>())
            .map(|mut rows| {
                rows.sort_unstable_by(|a, b| {
                    (&a.sku, &a.location, &a.lot).cmp(&(&b.sku, &b.location, &b.lot))
                });
                rows
            })
        })?
    }

    /// On hand of `sku` at `location` (and below, all lots) as it stood at `as_of`, from
    /// the point-in-time index: a bounded number of rows, whatever the history's length.
    /// Virtual locations (supplier, customer, …) are not indexed: asking for one is an
    /// `invalid_argument`.
    pub fn on_hand_at(&self, sku: &str, location: &str, as_of: AsOf) -> Result<Qty> {
        if self.read(|s| s.is_virtual(location))? {
            return Err(Error::invalid_argument(
                "location",
                format!("{location} is virtual: stock in the past is kept for physical locations"),
            ));
        }
        self.measure_at(Measure::OnHand, sku, location, as_of)
    }

    /// A measure of `sku` summed over the subtree of `location` at `as_of`.
    pub(crate) fn measure_at(
        &self,
        measure: Measure,
        sku: &str,
        location: &str,
        as_of: AsOf,
    ) -> Result<Qty> {
        let places = self.read(|s| known(s, sku, location).map(|()| s.subtree(location)))??;
        let view = self.core()?.view();
        let parts = view
            .txn
            .open_table(store::INDEX_PARTS)
            .map_err(Error::storage)?;
        let (axis, ordinal) = match as_of {
            AsOf::Time(t) => (Axis::Effective, t),
            AsOf::Seq(seq) => (Axis::Sequence, i64::try_from(seq).unwrap_or(i64::MAX)),
        };
        let units = index::value_at(&parts, &view.recent, measure, sku, &places, axis, ordinal)?;
        self.read(|s| s.qty(sku, units))
    }

    /// Up to `limit` events from sequence `from_seq` on.
    pub fn events(&self, from_seq: u64, limit: usize) -> Result<Vec<Envelope>> {
        let core = self.core()?;
        let read = core.begin_read()?;
        let table = read.open_table(store::EVENTS).map_err(Error::storage)?;
        let limit = limit.min(PAGE_LEN_MAX);
        let mut out = Vec::new();
        if limit > 0 {
            store::log::scan(&table, from_seq, |env| {
                out.push(env);
                Ok(out.len() < limit)
            })?;
        }
        Ok(out)
    }

    /// Every event from `from_seq` on, read lazily in pages.
    pub fn events_iter(&self, from_seq: u64) -> EventIter {
        EventIter {
            book: self.clone(),
            next: from_seq.max(1),
            page: Vec::new().into_iter(),
        }
    }

    /// Up to `limit` events concerning `sku`, from sequence `from_seq` on.
    pub fn history(&self, sku: &str, from_seq: u64, limit: usize) -> Result<Vec<Envelope>> {
        self.item(sku)?;
        let view = self.core()?.view();
        let archive = view
            .txn
            .open_table(store::ITEM_EVENTS)
            .map_err(Error::storage)?;
        let events = view.txn.open_table(store::EVENTS).map_err(Error::storage)?;
        let mut log = store::log::LogReader::new(&events);
        let seqs = store::history::seqs(
            &archive,
            &view.recent,
            sku,
            from_seq,
            u64::MAX,
            limit.min(PAGE_LEN_MAX),
        )?;
        seqs.into_iter().map(|seq| log.get(seq).cloned()).collect()
    }

    // ---- typed command helpers: the same as `execute(command, Meta::default())` ------------

    /// Defines an item.
    pub fn define_item(&self, item: Item) -> Result<Receipt> {
        self.execute(Command::DefineItem(item), Meta::default())
    }
    /// Replaces an item's master data.
    pub fn update_item(&self, item: Item) -> Result<Receipt> {
        self.execute(Command::UpdateItem(item), Meta::default())
    }
    /// Archives an item that holds no stock.
    pub fn archive_item(&self, sku: &str) -> Result<Receipt> {
        self.execute(
            Command::ArchiveItem {
                sku: sku.to_owned(),
            },
            Meta::default(),
        )
    }
    /// Defines a location.
    pub fn define_location(&self, location: Location) -> Result<Receipt> {
        self.execute(Command::DefineLocation(location), Meta::default())
    }
    /// Replaces a location's master data.
    pub fn update_location(&self, location: Location) -> Result<Receipt> {
        self.execute(Command::UpdateLocation(location), Meta::default())
    }
    /// Archives a location whose subtree holds no stock.
    pub fn archive_location(&self, code: &str) -> Result<Receipt> {
        self.execute(
            Command::ArchiveLocation {
                code: code.to_owned(),
            },
            Meta::default(),
        )
    }
    /// Defines a lot or changes its dates.
    pub fn define_lot(&self, lot: Lot) -> Result<Receipt> {
        self.execute(Command::DefineLot(lot), Meta::default())
    }
    /// Receives stock.
    pub fn receive(&self, receive: super::Receive) -> Result<Receipt> {
        self.execute(Command::Receive(receive), Meta::default())
    }
    /// Issues stock to internal use.
    pub fn issue(&self, issue: super::Issue) -> Result<Receipt> {
        self.execute(Command::Issue(issue), Meta::default())
    }
    /// Ships stock to a customer.
    pub fn ship(&self, issue: super::Issue) -> Result<Receipt> {
        self.execute(Command::Ship(issue), Meta::default())
    }
    /// Adjusts a balance.
    pub fn adjust(&self, adjust: super::Adjust) -> Result<Receipt> {
        self.execute(Command::Adjust(adjust), Meta::default())
    }
    /// Scraps stock.
    pub fn scrap(&self, scrap: super::Scrap) -> Result<Receipt> {
        self.execute(Command::Scrap(scrap), Meta::default())
    }
    /// Transfers stock in one step.
    pub fn transfer_stock(&self, transfer: super::Transfer) -> Result<Receipt> {
        self.execute(Command::Transfer(transfer), Meta::default())
    }
    /// Dispatches a two-step transfer.
    pub fn dispatch_transfer(&self, dispatch: super::Dispatch) -> Result<Receipt> {
        self.execute(Command::DispatchTransfer(dispatch), Meta::default())
    }
    /// Receives (part of) a two-step transfer.
    pub fn receive_transfer(&self, receive: super::ReceiveTransfer) -> Result<Receipt> {
        self.execute(Command::ReceiveTransfer(receive), Meta::default())
    }
    /// Records a cycle count.
    pub fn count(&self, count: super::Count) -> Result<Receipt> {
        self.execute(Command::Count(count), Meta::default())
    }
}

pub(crate) fn known(s: &State, sku: &str, location: &str) -> Result<()> {
    if !s.items.contains_key(sku) {
        return Err(Error::not_found("item", sku));
    }
    if !s.locations.contains_key(location) {
        return Err(Error::not_found("location", location));
    }
    Ok(())
}

/// Iterates the log lazily, a page per read transaction.
pub struct EventIter {
    book: Stockbook,
    next: u64,
    page: std::vec::IntoIter<Envelope>,
}

impl Iterator for EventIter {
    type Item = Result<Envelope>;

    fn next(&mut self) -> Option<Self::Item> {
        if let Some(env) = self.page.next() {
            return Some(Ok(env));
        }
        match self.book.events(self.next, 1024) {
            Ok(page) if page.is_empty() => None,
            Ok(page) => {
                self.next = page.last().map_or(self.next, |e| e.seq + 1);
                self.page = page.into_iter();
                self.page.next().map(Ok)
            }
            Err(e) => {
                self.next = u64::MAX;
                Some(Err(e))
            }
        }
    }
}

/// What [`Stockbook::verify`] found.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct IntegrityReport {
    /// Events read from the log.
    pub events: u64,
    /// Index rows checked.
    pub index_rows: u64,
    /// Every disagreement found; empty when the file is sound.
    pub problems: Vec<String>,
}

impl IntegrityReport {
    /// True when nothing is wrong.
    pub fn is_sound(&self) -> bool {
        self.problems.is_empty()
    }
}

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
        let read = &view.txn;
        let mut report = IntegrityReport::default();
        let mut rebuilt = State::with_builtins();
        let mut entries = Vec::new();
        let mut item_events = std::collections::BTreeSet::new();
        let events = read.open_table(store::EVENTS).map_err(Error::storage)?;
        let mut expected_seq = 1;
        // The rebuilt state derives its roll-ups at the end, the live one kept them up to
        // date: comparing the two checks both ways.
        rebuilt.begin_replay();
        store::log::scan(&events, 1, |env| {
            if env.seq != expected_seq {
                report
                    .problems
                    .push(format!("log gap or disorder at seq {}", env.seq));
            }
            expected_seq = env.seq + 1;
            entries.extend(crate::engine::index_rows(&rebuilt, &env));
            rebuilt.apply(&env);
            for sku in rebuilt.skus_of(&env.event) {
                item_events.insert((sku, env.seq));
            }
            report.events += 1;
            Ok(true)
        })?;
        rebuilt.finish_replay();
        let expected = index::expected_rows(entries.iter().map(crate::engine::IndexEntry::row));
        if rebuilt != live {
            report.problems.push(describe_difference(&rebuilt, &live));
        }
        // Stored are the folded rows of the effective axis; in memory, the unfolded rows of
        // both. Every effective row must be in exactly one of them, and every row in memory
        // must be one the log makes.
        let parts = read
            .open_table(store::INDEX_PARTS)
            .map_err(Error::storage)?;
        let (mut effective, problems) = index::stored_rows(&parts, view.recent.block_events())?;
        report.problems.extend(problems);
        let (mut twice, mut unknown) = (0usize, 0usize);
        for r in view.recent.rows() {
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
        let archive = read
            .open_table(store::ITEM_EVENTS)
            .map_err(Error::storage)?;
        let (history, twice) = store::history::all(&archive, &view.recent)?;
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
    for (sku, loc, lot, units) in s.balances.iter() {
        *sums.entry(sku).or_default() += i128::from(units);
        let allow = s.items.get(sku).is_some_and(|i| i.allow_negative);
        if units < 0 && !allow && !s.is_virtual(loc) {
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
    if rebuilt.items != live.items {
        parts.push("items");
    }
    if rebuilt.locations != live.locations {
        parts.push("locations");
    }
    if rebuilt.lots != live.lots {
        parts.push("lots");
    }
    if rebuilt.serials != live.serials {
        parts.push("serials");
    }
    if rebuilt.balances != live.balances {
        parts.push("balances");
    }
    if rebuilt.transfers != live.transfers {
        parts.push("transfers");
    }
    if rebuilt.purchase_orders != live.purchase_orders {
        parts.push("purchase_orders");
    }
    if rebuilt.last_seq != live.last_seq {
        parts.push("last_seq");
    }
    format!(
        "replayed state differs from the maintained one in: {}",
        parts.join(", ")
    )
}
