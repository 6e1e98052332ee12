//! The same stock ledger written the way a careful SQLite user would write it: the yardstick
//! of the comparison harness.
//!
//! Tables `items`, `locations`, `balances (sku, location, lot, on_hand, reserved)`,
//! `movements` (the log: one row per movement, `seq` autoincrement, business time
//! `effective_at`, indexed on `(sku, to_loc, effective_at)` and `(sku, from_loc,
//! effective_at)`) and `reservations`. Every command is one transaction begun with
//! `BEGIN IMMEDIATE` (so the check and the write see the same state), validates the item,
//! the locations and the quantity, refuses negative stock and keeps `reserved <= on_hand`
//! (also enforced by CHECK constraints), updates the balances and appends to the log in
//! that same transaction. The file is in WAL mode with `synchronous=FULL`: a commit is on
//! disk before the caller is answered, the durability of Stockbook's default.
//!
//! One [`SqliteLedger`] is one connection; give each thread its own. SQLite serialises
//! writers: a connection that finds the write lock taken waits in its busy handler
//! (`busy_timeout`), or, with [`SqliteLedger::with_writer_lock`], on an in-process mutex.
//!
//! Simplifications, all in SQLite's favour: balances are kept for physical locations only
//! (virtual ones are not counted), availability is checked at the bin (the bench reserves
//! at bins only, so the site-level check Stockbook also makes cannot differ), and there is
//! no idempotency table, capacity check, lot or serial tracking.

use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use rusqlite::{Connection, OptionalExtension, TransactionBehavior, params};

/// The built-in supplier location.
pub const SUPPLIER: &str = "@supplier";
/// The built-in customer location.
pub const CUSTOMER: &str = "@customer";

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS items (
    sku TEXT PRIMARY KEY,
    name TEXT NOT NULL DEFAULT '',
    decimals INTEGER NOT NULL CHECK (decimals BETWEEN 0 AND 6),
    archived INTEGER NOT NULL DEFAULT 0
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS locations (
    code TEXT PRIMARY KEY,
    parent TEXT REFERENCES locations(code),
    kind TEXT NOT NULL,
    receivable INTEGER NOT NULL DEFAULT 1,
    archived INTEGER NOT NULL DEFAULT 0
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS balances (
    sku TEXT NOT NULL,
    location TEXT NOT NULL,
    lot TEXT NOT NULL DEFAULT '',
    on_hand INTEGER NOT NULL CHECK (on_hand >= 0),
    reserved INTEGER NOT NULL DEFAULT 0 CHECK (reserved >= 0 AND reserved <= on_hand),
    PRIMARY KEY (sku, location, lot)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS movements (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    kind TEXT NOT NULL,
    sku TEXT NOT NULL,
    from_loc TEXT NOT NULL,
    to_loc TEXT NOT NULL,
    lot TEXT,
    qty INTEGER NOT NULL CHECK (qty > 0),
    effective_at INTEGER NOT NULL,
    recorded_at INTEGER NOT NULL,
    actor TEXT,
    reservation INTEGER
);
CREATE INDEX IF NOT EXISTS movements_to ON movements (sku, to_loc, effective_at);
CREATE INDEX IF NOT EXISTS movements_from ON movements (sku, from_loc, effective_at);
CREATE TABLE IF NOT EXISTS reservations (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    sku TEXT NOT NULL,
    scope TEXT NOT NULL,
    lot TEXT NOT NULL DEFAULT '',
    qty INTEGER NOT NULL CHECK (qty >= 0),
    requested INTEGER NOT NULL,
    committed INTEGER NOT NULL DEFAULT 0,
    state TEXT NOT NULL,
    created_at INTEGER NOT NULL
);
INSERT OR IGNORE INTO locations (code, parent, kind, receivable) VALUES
    ('@supplier', NULL, 'supplier', 0),
    ('@customer', NULL, 'customer', 0);
";

const VIRTUAL_KINDS: [&str; 6] = [
    "supplier",
    "customer",
    "adjustment",
    "scrap",
    "in_transit",
    "production",
];

/// Why a command was refused (or failed).
#[derive(Debug)]
pub enum LedgerError {
    /// Less available than asked for.
    InsufficientStock {
        /// The item.
        sku: String,
        /// The location.
        location: String,
        /// On hand less reserved, in units.
        available: i64,
        /// Asked for, in units.
        requested: i64,
    },
    /// An unknown item, location or reservation.
    NotFound {
        /// What was looked up.
        kind: &'static str,
        /// Its key.
        key: String,
    },
    /// Any other refusal.
    Invalid(String),
    /// The database failed.
    Sqlite(rusqlite::Error),
}

impl LedgerError {
    /// The same stable code Stockbook gives.
    pub fn code(&self) -> &'static str {
        match self {
            LedgerError::InsufficientStock { .. } => "insufficient_stock",
            LedgerError::NotFound { .. } => "not_found",
            LedgerError::Invalid(_) => "invalid_argument",
            LedgerError::Sqlite(_) => "storage",
        }
    }
}

impl std::fmt::Display for LedgerError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            LedgerError::InsufficientStock {
                sku,
                location,
                available,
                requested,
            } => write!(
                f,
                "insufficient stock of {sku} at {location}: {available} available, {requested} asked"
            ),
            LedgerError::NotFound { kind, key } => write!(f, "{kind} {key} not found"),
            LedgerError::Invalid(reason) => f.write_str(reason),
            LedgerError::Sqlite(e) => write!(f, "sqlite: {e}"),
        }
    }
}

impl std::error::Error for LedgerError {}

impl From<rusqlite::Error> for LedgerError {
    fn from(e: rusqlite::Error) -> Self {
        LedgerError::Sqlite(e)
    }
}

/// The result type of this module.
pub type Result<T> = std::result::Result<T, LedgerError>;

/// How a connection is set up.
#[derive(Debug, Clone, Copy)]
pub struct Config {
    /// `synchronous=FULL` (durable commits); `false` gives `OFF`, for bulk loads only.
    pub durable: bool,
    /// Page cache per connection, in bytes (Stockbook's default cache is 256 MiB).
    pub cache_bytes: i64,
    /// How long a writer waits for the write lock before giving up.
    pub busy_timeout_ms: u64,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            durable: true,
            cache_bytes: 256 * 1024 * 1024,
            busy_timeout_ms: 60_000,
        }
    }
}

/// One connection to a SQLite ledger file.
#[derive(Debug)]
pub struct SqliteLedger {
    conn: Connection,
    writer_lock: Option<Arc<Mutex<()>>>,
}

/// The time now, in ms since the Unix epoch.
pub fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as i64)
}

impl SqliteLedger {
    /// Opens (creating if need be) the ledger at `path`.
    pub fn open(path: impl AsRef<Path>, config: Config) -> Result<SqliteLedger> {
        let conn = Connection::open(path)?;
        conn.busy_timeout(Duration::from_millis(config.busy_timeout_ms))?;
        let mode: String = conn.query_row("PRAGMA journal_mode=WAL", [], |r| r.get(0))?;
        if !mode.eq_ignore_ascii_case("wal") {
            return Err(LedgerError::Invalid(format!(
                "journal_mode is {mode}, not wal"
            )));
        }
        conn.pragma_update(
            None,
            "synchronous",
            if config.durable { "FULL" } else { "OFF" },
        )?;
        conn.pragma_update(None, "cache_size", -(config.cache_bytes / 1024))?;
        conn.pragma_update(None, "foreign_keys", "OFF")?;
        conn.set_prepared_statement_cache_capacity(64);
        let mut ledger = SqliteLedger {
            conn,
            writer_lock: None,
        };
        let exists: i64 = ledger.conn.query_row(
            "SELECT count(*) FROM sqlite_master WHERE name = 'movements'",
            [],
            |r| r.get(0),
        )?;
        if exists == 0 {
            ledger.write(|w| Ok(w.conn.execute_batch(SCHEMA)?))?;
        }
        Ok(ledger)
    }

    /// Serialises this connection's writes on `lock` (shared by the process's connections)
    /// instead of leaving them to wait in SQLite's busy handler.
    #[must_use]
    pub fn with_writer_lock(mut self, lock: Arc<Mutex<()>>) -> SqliteLedger {
        self.writer_lock = Some(lock);
        self
    }

    /// The connection, for ad-hoc queries.
    pub fn connection(&self) -> &Connection {
        &self.conn
    }

    /// Runs `f` in one `BEGIN IMMEDIATE` transaction, committed if `f` succeeds and rolled
    /// back if it fails. Writes are recorded at `effective_at` (default: now).
    pub fn write_at<T>(
        &mut self,
        effective_at: Option<i64>,
        f: impl FnOnce(&Writer<'_>) -> Result<T>,
    ) -> Result<T> {
        let lock = self.writer_lock.clone();
        let _guard = lock
            .as_ref()
            .map(|l| l.lock().unwrap_or_else(std::sync::PoisonError::into_inner));
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let recorded_at = now_ms();
        let out = f(&Writer {
            conn: &tx,
            recorded_at,
            effective_at: effective_at.unwrap_or(recorded_at),
        })?;
        tx.commit()?;
        Ok(out)
    }

    /// [`SqliteLedger::write_at`] now.
    pub fn write<T>(&mut self, f: impl FnOnce(&Writer<'_>) -> Result<T>) -> Result<T> {
        self.write_at(None, f)
    }

    /// Runs one workload command in its own transaction; returns the movement's seq (or the
    /// reservation's id).
    pub fn execute(&mut self, op: &crate::workload::Op) -> Result<i64> {
        self.write(|w| w.apply(op))
    }

    /// Runs `ops` all or nothing in one transaction.
    pub fn execute_batch(
        &mut self,
        ops: &[crate::workload::Op],
        effective_at: Option<i64>,
    ) -> Result<()> {
        self.write_at(effective_at, |w| {
            for op in ops {
                w.apply(op)?;
            }
            Ok(())
        })
    }

    /// Reserves `qty` units of `sku` in bin `scope`; returns the reservation id.
    pub fn reserve(&mut self, sku: &str, scope: &str, qty: i64) -> Result<i64> {
        self.write(|w| w.reserve(sku, scope, qty))
    }

    /// Issues all a pending reservation holds to the customer.
    pub fn commit_reservation(&mut self, id: i64) -> Result<i64> {
        self.write(|w| w.commit_reservation(id))
    }

    /// Receives `qty` units.
    pub fn receive(&mut self, sku: &str, location: &str, qty: i64) -> Result<i64> {
        self.write(|w| w.receive(sku, location, qty))
    }

    /// On hand and reserved of `sku` in the subtree of `location` (a path prefix).
    pub fn stock_level(&self, sku: &str, location: &str) -> Result<(i64, i64)> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT COALESCE(SUM(on_hand), 0), COALESCE(SUM(reserved), 0) FROM balances
             WHERE sku = ?1 AND (location = ?2 OR (location >= ?2 || '/' AND location < ?2 || '0'))",
        )?;
        Ok(stmt.query_row(params![sku, location], |r| Ok((r.get(0)?, r.get(1)?)))?)
    }

    /// Available to promise of `sku` in the subtree of `location`: on hand less reserved.
    pub fn available(&self, sku: &str, location: &str) -> Result<i64> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT COALESCE(SUM(on_hand - reserved), 0) FROM balances
             WHERE sku = ?1 AND (location = ?2 OR (location >= ?2 || '/' AND location < ?2 || '0'))",
        )?;
        Ok(stmt.query_row(params![sku, location], |r| r.get(0))?)
    }

    /// On hand of `sku` at `location` (exactly there) as it stood at business time `at`:
    /// what went in minus what went out, summed over the log through its indexes.
    pub fn on_hand_at(&self, sku: &str, location: &str, at: i64) -> Result<i64> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT (SELECT COALESCE(SUM(qty), 0) FROM movements
                     WHERE sku = ?1 AND to_loc = ?2 AND effective_at <= ?3)
                  - (SELECT COALESCE(SUM(qty), 0) FROM movements
                     WHERE sku = ?1 AND from_loc = ?2 AND effective_at <= ?3)",
        )?;
        Ok(stmt.query_row(params![sku, location, at], |r| r.get(0))?)
    }

    /// Checks the ledger's invariants: no negative balance, no balance reserved beyond its
    /// stock, reserved counters equal to the pending reservations, and every balance equal
    /// to what the log says. Returns the number of violations found (0 when sound).
    pub fn audit(&self) -> Result<i64> {
        let bad_balances: i64 = self.conn.query_row(
            "SELECT count(*) FROM balances WHERE on_hand < 0 OR reserved < 0 OR reserved > on_hand",
            [],
            |r| r.get(0),
        )?;
        let bad_reserved: i64 = self.conn.query_row(
            "SELECT count(*) FROM balances b WHERE b.reserved != (
                 SELECT COALESCE(SUM(qty), 0) FROM reservations r
                 WHERE r.state = 'pending' AND r.sku = b.sku AND r.scope = b.location)",
            [],
            |r| r.get(0),
        )?;
        let bad_log: i64 = self.conn.query_row(
            "WITH flows AS (
                 SELECT sku, to_loc AS location, qty FROM movements
                 UNION ALL SELECT sku, from_loc, -qty FROM movements),
             logged AS (SELECT sku, location, SUM(qty) AS qty FROM flows
                 WHERE location NOT LIKE '@%' GROUP BY sku, location)
             SELECT count(*) FROM logged l
             LEFT JOIN balances b ON b.sku = l.sku AND b.location = l.location
             WHERE COALESCE(b.on_hand, 0) != l.qty",
            [],
            |r| r.get(0),
        )?;
        Ok(bad_balances + bad_reserved + bad_log)
    }

    /// Moves the WAL into the main file and empties it (for measuring the file size).
    pub fn checkpoint(&self) -> Result<()> {
        self.conn
            .query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))?;
        Ok(())
    }
}

/// The inside of one write transaction: the commands of the ledger.
pub struct Writer<'c> {
    conn: &'c Connection,
    recorded_at: i64,
    effective_at: i64,
}

struct Loc {
    receivable: bool,
}

impl Writer<'_> {
    /// Defines an item.
    pub fn define_item(&self, sku: &str, decimals: u8) -> Result<()> {
        let inserted = self
            .conn
            .prepare_cached(
                "INSERT INTO items (sku, decimals) VALUES (?1, ?2) ON CONFLICT DO NOTHING",
            )?
            .execute(params![sku, decimals])?;
        if inserted == 0 {
            return Err(LedgerError::Invalid(format!("item {sku} already exists")));
        }
        Ok(())
    }

    /// Defines a location under `parent`.
    pub fn define_location(&self, code: &str, parent: Option<&str>, kind: &str) -> Result<()> {
        if let Some(p) = parent {
            self.location(p)?;
        }
        let inserted = self.conn.prepare_cached(
            "INSERT INTO locations (code, parent, kind) VALUES (?1, ?2, ?3) ON CONFLICT DO NOTHING",
        )?
        .execute(params![code, parent, kind])?;
        if inserted == 0 {
            return Err(LedgerError::Invalid(format!(
                "location {code} already exists"
            )));
        }
        Ok(())
    }

    /// Defines the master data of [`crate::workload::master_data`]: the site, `bins` bins
    /// and `items` items.
    pub fn define_master_data(&self, items: usize, bins: usize) -> Result<()> {
        let site = crate::workload::SITE;
        self.define_location(site, None, "site")?;
        for b in 0..bins {
            self.define_location(&crate::bin_code(b), Some(site), "bin")?;
        }
        for i in 0..items {
            self.define_item(&crate::sku(i), 0)?;
        }
        Ok(())
    }

    /// Runs one workload command.
    pub fn apply(&self, op: &crate::workload::Op) -> Result<i64> {
        use crate::workload::Op;
        use crate::{bin_code, sku};
        match *op {
            Op::Receive { sku: s, bin, qty } => self.receive(&sku(s), &bin_code(bin), qty),
            Op::Issue { sku: s, bin, qty } => self.issue(&sku(s), &bin_code(bin), qty),
            Op::Transfer {
                sku: s,
                from,
                to,
                qty,
            } => self.transfer(&sku(s), &bin_code(from), &bin_code(to), qty),
            Op::Reserve { sku: s, bin, qty } => self.reserve(&sku(s), &bin_code(bin), qty),
        }
    }

    /// The item's quantity in its units, if it is active and `qty` is positive.
    fn units(&self, sku: &str, qty: i64) -> Result<i64> {
        let row: Option<(u32, bool)> = self
            .conn
            .prepare_cached("SELECT decimals, archived FROM items WHERE sku = ?1")?
            .query_row([sku], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?;
        let (decimals, archived) = row.ok_or_else(|| LedgerError::NotFound {
            kind: "item",
            key: sku.to_owned(),
        })?;
        if archived {
            return Err(LedgerError::Invalid(format!("item {sku} is archived")));
        }
        if qty <= 0 {
            return Err(LedgerError::Invalid(format!(
                "quantity {qty} is not positive"
            )));
        }
        qty.checked_mul(10i64.pow(decimals))
            .ok_or_else(|| LedgerError::Invalid(format!("quantity {qty} is too large")))
    }

    fn location(&self, code: &str) -> Result<(String, bool, bool)> {
        self.conn
            .prepare_cached("SELECT kind, receivable, archived FROM locations WHERE code = ?1")?
            .query_row([code], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .optional()?
            .ok_or_else(|| LedgerError::NotFound {
                kind: "location",
                key: code.to_owned(),
            })
    }

    fn physical(&self, code: &str) -> Result<Loc> {
        let (kind, receivable, archived) = self.location(code)?;
        if archived {
            return Err(LedgerError::Invalid(format!("location {code} is archived")));
        }
        if VIRTUAL_KINDS.contains(&kind.as_str()) {
            return Err(LedgerError::Invalid(format!("location {code} is virtual")));
        }
        Ok(Loc { receivable })
    }

    fn balance(&self, sku: &str, location: &str) -> Result<(i64, i64)> {
        Ok(self
            .conn
            .prepare_cached(
                "SELECT on_hand, reserved FROM balances WHERE sku = ?1 AND location = ?2 AND lot = ''",
            )?
            .query_row([sku, location], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?
            .unwrap_or((0, 0)))
    }

    /// Adds to a balance, creating it if need be.
    fn put(&self, sku: &str, location: &str, units: i64) -> Result<()> {
        self.conn
            .prepare_cached(
                "INSERT INTO balances (sku, location, lot, on_hand, reserved) VALUES (?1, ?2, '', ?3, 0)
                 ON CONFLICT (sku, location, lot) DO UPDATE SET on_hand = on_hand + excluded.on_hand",
            )?
            .execute(params![sku, location, units])?;
        Ok(())
    }

    /// Changes an existing balance (one that was checked to hold the stock).
    fn change(&self, sku: &str, location: &str, on_hand: i64, reserved: i64) -> Result<()> {
        let changed = self
            .conn
            .prepare_cached(
                "UPDATE balances SET on_hand = on_hand + ?3, reserved = reserved + ?4
                 WHERE sku = ?1 AND location = ?2 AND lot = ''",
            )?
            .execute(params![sku, location, on_hand, reserved])?;
        assert_eq!(changed, 1, "a checked balance exists");
        Ok(())
    }

    /// Refuses to take `units` from a balance that does not have them available.
    fn check_available(&self, sku: &str, location: &str, units: i64) -> Result<()> {
        let (on_hand, reserved) = self.balance(sku, location)?;
        if on_hand - reserved < units {
            return Err(LedgerError::InsufficientStock {
                sku: sku.to_owned(),
                location: location.to_owned(),
                available: on_hand - reserved,
                requested: units,
            });
        }
        Ok(())
    }

    fn log(
        &self,
        kind: &str,
        sku: &str,
        from: &str,
        to: &str,
        units: i64,
        reservation: Option<i64>,
    ) -> Result<i64> {
        self.conn
            .prepare_cached(
                "INSERT INTO movements (kind, sku, from_loc, to_loc, qty, effective_at, recorded_at, reservation)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            )?
            .execute(params![
                kind,
                sku,
                from,
                to,
                units,
                self.effective_at,
                self.recorded_at,
                reservation
            ])?;
        Ok(self.conn.last_insert_rowid())
    }

    /// Supplier → bin.
    pub fn receive(&self, sku: &str, location: &str, qty: i64) -> Result<i64> {
        let units = self.units(sku, qty)?;
        if !self.physical(location)?.receivable {
            return Err(LedgerError::Invalid(format!(
                "{location} is not receivable"
            )));
        }
        self.put(sku, location, units)?;
        self.log("receive", sku, SUPPLIER, location, units, None)
    }

    /// Bin → customer.
    pub fn issue(&self, sku: &str, location: &str, qty: i64) -> Result<i64> {
        let units = self.units(sku, qty)?;
        self.physical(location)?;
        self.check_available(sku, location, units)?;
        self.change(sku, location, -units, 0)?;
        self.log("issue", sku, location, CUSTOMER, units, None)
    }

    /// Bin → bin.
    pub fn transfer(&self, sku: &str, from: &str, to: &str, qty: i64) -> Result<i64> {
        let units = self.units(sku, qty)?;
        self.physical(from)?;
        self.physical(to)?;
        if from == to {
            return Err(LedgerError::Invalid(
                "to is the same location as from".into(),
            ));
        }
        self.check_available(sku, from, units)?;
        self.change(sku, from, -units, 0)?;
        self.put(sku, to, units)?;
        self.log("transfer", sku, from, to, units, None)
    }

    /// Holds `qty` of `sku` in bin `scope`; returns the reservation id.
    pub fn reserve(&self, sku: &str, scope: &str, qty: i64) -> Result<i64> {
        let units = self.units(sku, qty)?;
        self.physical(scope)?;
        self.check_available(sku, scope, units)?;
        self.change(sku, scope, 0, units)?;
        self.conn
            .prepare_cached(
                "INSERT INTO reservations (sku, scope, qty, requested, state, created_at)
                 VALUES (?1, ?2, ?3, ?3, 'pending', ?4)",
            )?
            .execute(params![sku, scope, units, self.recorded_at])?;
        Ok(self.conn.last_insert_rowid())
    }

    /// Ships all that reservation `id` holds from its bin to the customer.
    pub fn commit_reservation(&self, id: i64) -> Result<i64> {
        let (sku, scope, units, state): (String, String, i64, String) = self
            .conn
            .prepare_cached("SELECT sku, scope, qty, state FROM reservations WHERE id = ?1")?
            .query_row([id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
            .optional()?
            .ok_or_else(|| LedgerError::NotFound {
                kind: "reservation",
                key: id.to_string(),
            })?;
        if state != "pending" {
            return Err(LedgerError::Invalid(format!("reservation {id} is {state}")));
        }
        self.units(&sku, 1)?;
        self.physical(&scope)?;
        let (on_hand, reserved) = self.balance(&sku, &scope)?;
        if on_hand < units || reserved < units {
            return Err(LedgerError::InsufficientStock {
                sku,
                location: scope,
                available: on_hand,
                requested: units,
            });
        }
        self.change(&sku, &scope, -units, -units)?;
        let seq = self.log("ship", &sku, &scope, CUSTOMER, units, Some(id))?;
        self.conn
            .prepare_cached(
                "UPDATE reservations SET qty = 0, committed = ?2, state = 'committed' WHERE id = ?1",
            )?
            .execute(params![id, units])?;
        Ok(seq)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::workload::{Op, Stream};

    fn ledger(dir: &Path) -> SqliteLedger {
        let mut l = SqliteLedger::open(dir.join("t.sqlite"), Config::default()).unwrap();
        l.write(|w| w.define_master_data(3, 2)).unwrap();
        l
    }

    #[test]
    fn refuses_what_is_not_there_and_keeps_reservations_within_stock() {
        let dir = tempfile::tempdir().unwrap();
        let mut l = ledger(dir.path());
        let (s, b0, b1) = (crate::sku(0), crate::bin_code(0), crate::bin_code(1));
        l.receive(&s, &b0, 10).unwrap();
        let err = l
            .write(|w| w.issue(&s, &b0, 11))
            .expect_err("more than on hand");
        assert_eq!(err.code(), "insufficient_stock");
        let r = l.reserve(&s, &b0, 7).unwrap();
        assert_eq!(
            l.reserve(&s, &b0, 4).unwrap_err().code(),
            "insufficient_stock"
        );
        assert_eq!(
            l.write(|w| w.transfer(&s, &b0, &b1, 4)).unwrap_err().code(),
            "insufficient_stock"
        );
        assert_eq!(l.stock_level(&s, "WH1").unwrap(), (10, 7));
        l.commit_reservation(r).unwrap();
        assert_eq!(l.stock_level(&s, "WH1").unwrap(), (3, 0));
        assert!(
            l.commit_reservation(r).is_err(),
            "a reservation commits once"
        );
        assert_eq!(
            l.write(|w| w.receive("NOPE", &b0, 1)).unwrap_err().code(),
            "not_found"
        );
        assert_eq!(
            l.write(|w| w.receive(&s, CUSTOMER, 1)).unwrap_err().code(),
            "invalid_argument"
        );
        assert_eq!(l.audit().unwrap(), 0);
    }

    #[test]
    fn a_refused_batch_leaves_nothing_behind() {
        let dir = tempfile::tempdir().unwrap();
        let mut l = ledger(dir.path());
        let ops = [
            Op::Receive {
                sku: 0,
                bin: 0,
                qty: 5,
            },
            Op::Issue {
                sku: 0,
                bin: 0,
                qty: 6,
            },
        ];
        assert!(l.execute_batch(&ops, None).is_err());
        assert_eq!(l.stock_level(&crate::sku(0), "WH1").unwrap(), (0, 0));
        let n: i64 = l
            .connection()
            .query_row("SELECT count(*) FROM movements", [], |r| r.get(0))
            .unwrap();
        assert_eq!(n, 0);
    }

    #[test]
    fn point_in_time_and_rollups_follow_the_log() {
        let dir = tempfile::tempdir().unwrap();
        let mut l = ledger(dir.path());
        let ops: Vec<Op> = Stream::new(11, 3, 2, true).take(3000).collect();
        for (i, chunk) in ops.chunks(100).enumerate() {
            l.execute_batch(chunk, Some(1_000 * i as i64)).unwrap();
        }
        assert_eq!(l.audit().unwrap(), 0);
        // Replaying the stream by hand gives the same balances, now and in the past.
        let mut on_hand = [[0i64; 2]; 3];
        let mut at_10 = None;
        for (i, chunk) in ops.chunks(100).enumerate() {
            for op in chunk {
                match *op {
                    Op::Receive { sku, bin, qty } => on_hand[sku][bin] += qty,
                    Op::Issue { sku, bin, qty } => on_hand[sku][bin] -= qty,
                    Op::Transfer { sku, from, to, qty } => {
                        on_hand[sku][from] -= qty;
                        on_hand[sku][to] += qty;
                    }
                    Op::Reserve { .. } => {}
                }
            }
            if i == 10 {
                at_10 = Some(on_hand);
            }
        }
        let at_10 = at_10.unwrap();
        for s in 0..3 {
            let sku = crate::sku(s);
            for b in 0..2 {
                let bin = crate::bin_code(b);
                assert_eq!(l.on_hand_at(&sku, &bin, 10_000).unwrap(), at_10[s][b]);
                assert_eq!(l.on_hand_at(&sku, &bin, i64::MAX).unwrap(), on_hand[s][b]);
                assert_eq!(l.stock_level(&sku, &bin).unwrap().0, on_hand[s][b]);
            }
            assert_eq!(
                l.stock_level(&sku, "WH1").unwrap().0,
                on_hand[s][0] + on_hand[s][1]
            );
        }
    }
}
