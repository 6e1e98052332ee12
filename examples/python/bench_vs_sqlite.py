#!/usr/bin/env python3
"""Stockbook against a plain SQLite stock ledger, through Python, same workload.

Workload:
  - receive: one durable command per transaction;
  - issue:   one durable command per transaction, refused if it would take the available
             stock (on hand less reserved) below zero, checked inside the transaction;
  - reserve: hold stock at a bin, refused if more would be reserved than is on hand
             (reserved <= on hand, checked inside the transaction);
  - commit:  issue a reservation's stock and close it;
  - on_hand: point lookups of one item at one bin;
  - threaded: THREADS threads running receive / issue / reserve / commit concurrently on
    one file, where Stockbook's group commit can batch them into shared commits.

SQLite is set up as a careful developer would: WAL, synchronous=FULL (durable commits),
an append-only movements table, a balances table (on hand and reserved) and a
reservations table updated in the same transaction, primary-key indexes, and every check
inside `BEGIN IMMEDIATE`. Quantities are integers in both (exact). Both sides must accept
and refuse the same commands (checked). Files live in a temporary directory under --dir.

    python examples/python/bench_vs_sqlite.py [--ops 2000] [--threads 8] [--dir .]
"""

from __future__ import annotations

import argparse
import random
import sqlite3
import tempfile
import threading
import time
from pathlib import Path
from typing import Callable, Optional, Protocol

import stockbook

SKUS = [f"SKU-{i:04d}" for i in range(200)]
BINS = [f"WH1/{i:02d}" for i in range(20)]


class Ledger(Protocol):
    def receive(self, sku: str, location: str, qty: int) -> None: ...
    def issue(self, sku: str, location: str, qty: int) -> bool: ...
    def reserve(self, sku: str, location: str, qty: int) -> Optional[str]: ...
    def commit(self, reservation: str) -> None: ...
    def on_hand(self, sku: str, location: str) -> int: ...


# ---- Stockbook ----------------------------------------------------------------------------


class StockbookLedger:
    def __init__(self, path: Path) -> None:
        self.sb = stockbook.open(path)
        self.sb.define_location("WH1", kind="site")
        self.sb.execute_batch(
            [("define_item", {"sku": s}) for s in SKUS]
            + [("define_location", {"code": b, "parent": "WH1"}) for b in BINS]
        )

    def receive(self, sku: str, location: str, qty: int) -> None:
        self.sb.receive(sku, location, qty)

    def issue(self, sku: str, location: str, qty: int) -> bool:
        try:
            self.sb.issue(sku, location, qty)
            return True
        except stockbook.InsufficientStock:
            return False

    def reserve(self, sku: str, location: str, qty: int) -> Optional[str]:
        try:
            return self.sb.reserve(sku, location, qty).reservation_id
        except stockbook.InsufficientStock:
            return None

    def commit(self, reservation: str) -> None:
        self.sb.commit_reservation(reservation)

    def on_hand(self, sku: str, location: str) -> int:
        return int(self.sb.on_hand(sku, location))

    def for_thread(self) -> StockbookLedger:
        return self  # one thread-safe handle, shared

    def close(self) -> None:
        self.sb.close()


# ---- SQLite -------------------------------------------------------------------------------

SCHEMA = """
CREATE TABLE IF NOT EXISTS items (sku TEXT PRIMARY KEY) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS locations (code TEXT PRIMARY KEY, virtual INTEGER NOT NULL)
    WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS movements (
    seq INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,
    sku TEXT NOT NULL REFERENCES items(sku),
    from_loc TEXT NOT NULL REFERENCES locations(code),
    to_loc TEXT NOT NULL REFERENCES locations(code),
    qty INTEGER NOT NULL CHECK (qty > 0),
    recorded_at INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS movements_by_item ON movements (sku, seq);
CREATE TABLE IF NOT EXISTS balances (
    sku TEXT NOT NULL,
    location TEXT NOT NULL,
    qty INTEGER NOT NULL,
    reserved INTEGER NOT NULL DEFAULT 0 CHECK (reserved >= 0),
    PRIMARY KEY (sku, location)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS reservations (
    id INTEGER PRIMARY KEY,
    sku TEXT NOT NULL REFERENCES items(sku),
    location TEXT NOT NULL REFERENCES locations(code),
    qty INTEGER NOT NULL CHECK (qty > 0),
    state TEXT NOT NULL,
    created_at INTEGER NOT NULL
);
"""


class SqliteLedger:
    def __init__(self, path: Path, setup: bool = True) -> None:
        self.path = path
        self.db = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=FULL")
        self.db.execute("PRAGMA busy_timeout=30000")
        if setup:
            self.db.executescript(SCHEMA)
            self.db.execute("BEGIN")
            self.db.executemany("INSERT INTO items VALUES (?)", [(s,) for s in SKUS])
            self.db.executemany(
                "INSERT INTO locations VALUES (?, ?)",
                [(b, 0) for b in ["WH1", *BINS]] + [("@supplier", 1), ("@customer", 1)],
            )
            self.db.execute("COMMIT")

    def _move(self, kind: str, sku: str, src: str, dst: str, qty: int) -> None:
        self.db.execute(
            "INSERT INTO movements (kind, sku, from_loc, to_loc, qty, recorded_at) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            (kind, sku, src, dst, qty, int(time.time() * 1000)),
        )
        for loc, delta in ((src, -qty), (dst, qty)):
            self.db.execute(
                "INSERT INTO balances (sku, location, qty) VALUES (?, ?, ?) "
                "ON CONFLICT (sku, location) DO UPDATE SET qty = qty + excluded.qty",
                (sku, loc, delta),
            )

    def _known(self, sku: str, location: str) -> None:
        if self.db.execute("SELECT 1 FROM items WHERE sku = ?", (sku,)).fetchone() is None:
            raise KeyError(sku)
        if self.db.execute("SELECT 1 FROM locations WHERE code = ?", (location,)).fetchone() is None:
            raise KeyError(location)

    def receive(self, sku: str, location: str, qty: int) -> None:
        self.db.execute("BEGIN IMMEDIATE")
        try:
            self._known(sku, location)
            self._move("receive", sku, "@supplier", location, qty)
            self.db.execute("COMMIT")
        except BaseException:
            self.db.execute("ROLLBACK")
            raise

    def _available(self, sku: str, location: str) -> int:
        row = self.db.execute(
            "SELECT qty - reserved FROM balances WHERE sku = ? AND location = ?", (sku, location)
        ).fetchone()
        return int(row[0]) if row else 0

    def issue(self, sku: str, location: str, qty: int) -> bool:
        self.db.execute("BEGIN IMMEDIATE")
        try:
            self._known(sku, location)
            if self._available(sku, location) < qty:
                self.db.execute("ROLLBACK")
                return False
            self._move("issue", sku, location, "@customer", qty)
            self.db.execute("COMMIT")
            return True
        except BaseException:
            self.db.execute("ROLLBACK")
            raise

    def reserve(self, sku: str, location: str, qty: int) -> Optional[str]:
        self.db.execute("BEGIN IMMEDIATE")
        try:
            self._known(sku, location)
            # reserved + qty <= on hand, checked and applied in one write transaction.
            if self._available(sku, location) < qty:
                self.db.execute("ROLLBACK")
                return None
            cur = self.db.execute(
                "INSERT INTO reservations (sku, location, qty, state, created_at) "
                "VALUES (?, ?, ?, 'pending', ?)",
                (sku, location, qty, int(time.time() * 1000)),
            )
            self.db.execute(
                "UPDATE balances SET reserved = reserved + ? WHERE sku = ? AND location = ?",
                (qty, sku, location),
            )
            self.db.execute("COMMIT")
            return str(cur.lastrowid)
        except BaseException:
            self.db.execute("ROLLBACK")
            raise

    def commit(self, reservation: str) -> None:
        self.db.execute("BEGIN IMMEDIATE")
        try:
            row = self.db.execute(
                "SELECT sku, location, qty FROM reservations WHERE id = ? AND state = 'pending'",
                (int(reservation),),
            ).fetchone()
            if row is None:
                raise KeyError(reservation)
            sku, location, qty = row
            self.db.execute(
                "UPDATE reservations SET state = 'committed' WHERE id = ?", (int(reservation),)
            )
            self.db.execute(
                "UPDATE balances SET reserved = reserved - ? WHERE sku = ? AND location = ?",
                (qty, sku, location),
            )
            self._move("ship", sku, location, "@customer", qty)
            self.db.execute("COMMIT")
        except BaseException:
            self.db.execute("ROLLBACK")
            raise

    def on_hand(self, sku: str, location: str) -> int:
        row = self.db.execute(
            "SELECT qty FROM balances WHERE sku = ? AND location = ?", (sku, location)
        ).fetchone()
        return row[0] if row else 0

    def for_thread(self) -> SqliteLedger:
        return SqliteLedger(self.path, setup=False)  # a connection per thread

    def close(self) -> None:
        self.db.close()


# ---- the workload -------------------------------------------------------------------------


def timed(n: int, op: Callable[[int], object]) -> float:
    start = time.perf_counter()
    for i in range(n):
        op(i)
    return n / (time.perf_counter() - start)


def single(ledger: Ledger, ops: int, seed: int) -> tuple[dict[str, float], list[int]]:
    """Rates per phase, and what was accepted (issues, reservations): the same on both
    sides, or the comparison would be unfair."""
    rnd = random.Random(seed)
    picks = [(rnd.choice(SKUS), rnd.choice(BINS)) for _ in range(ops)]
    rates = {}
    issued: list[bool] = []
    held: list[Optional[str]] = []
    rates["receive"] = timed(ops, lambda i: ledger.receive(*picks[i], 10))
    rates["issue"] = timed(ops, lambda i: issued.append(ledger.issue(*picks[i], 3 + i % 9)))
    rates["reserve"] = timed(ops, lambda i: held.append(ledger.reserve(*picks[i], 1 + i % 4)))
    accepted = [r for r in held if r is not None]
    rates["commit"] = timed(len(accepted), lambda i: ledger.commit(accepted[i]))
    rates["on_hand"] = timed(ops * 10, lambda i: ledger.on_hand(*picks[i % ops]))
    return rates, [sum(issued), len(accepted)]


def threaded(make: Callable[[], Ledger], ops: int, threads: int, seed: int) -> float:
    per_thread = ops // threads
    start_line = threading.Barrier(threads + 1)
    errors: list[BaseException] = []

    def work(t: int) -> None:
        ledger = make()
        rnd = random.Random(seed + t)
        start_line.wait()
        try:
            held: list[str] = []
            for i in range(per_thread):
                sku, loc = rnd.choice(SKUS), rnd.choice(BINS)
                step = i % 4
                if step == 0:
                    ledger.receive(sku, loc, 5)
                elif step == 1:
                    ledger.issue(sku, loc, 2)
                elif step == 2:
                    rid = ledger.reserve(sku, loc, 2)
                    if rid is not None:
                        held.append(rid)
                elif held:
                    ledger.commit(held.pop())
                else:
                    ledger.on_hand(sku, loc)
        except BaseException as e:  # noqa: BLE001 - reported below
            errors.append(e)

    workers = [threading.Thread(target=work, args=(t,)) for t in range(threads)]
    for w in workers:
        w.start()
    start_line.wait()
    began = time.perf_counter()
    for w in workers:
        w.join()
    elapsed = time.perf_counter() - began
    if errors:
        raise errors[0]
    return per_thread * threads / elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description="Stockbook vs SQLite through Python")
    parser.add_argument("--ops", type=int, default=2000, help="commands per phase")
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--dir", type=Path, default=Path.cwd(), help="where the files go")
    args = parser.parse_args()

    results: dict[str, dict[str, float]] = {}
    outcomes: dict[str, list[int]] = {}
    with tempfile.TemporaryDirectory(dir=args.dir) as tmp:
        for name, make in (
            ("stockbook", lambda p: StockbookLedger(p)),
            ("sqlite", lambda p: SqliteLedger(p)),
        ):
            ledger = make(Path(tmp) / f"single.{name}")
            rates, outcomes[name] = single(ledger, args.ops, seed=1)
            ledger.close()
            shared = make(Path(tmp) / f"threads.{name}")
            rates[f"threaded x{args.threads}"] = threaded(
                shared.for_thread, args.ops * 2, args.threads, seed=2
            )
            shared.close()
            results[name] = rates

    if outcomes["stockbook"] != outcomes["sqlite"]:
        raise SystemExit(f"the two ledgers disagree (issues, reservations accepted): {outcomes}")
    print(f"{'operation':<14} {'stockbook/s':>12} {'sqlite/s':>12} {'ratio':>7}")
    for op in results["stockbook"]:
        sb, sq = results["stockbook"][op], results["sqlite"][op]
        print(f"{op:<14} {sb:>12,.0f} {sq:>12,.0f} {sb / sq:>6.2f}x")
    issues, held = outcomes["stockbook"]
    print(f"(ops per phase: {args.ops}; issues accepted: {issues}; reservations accepted and "
          f"committed: {held}; lookups: {args.ops * 10}; durable commit per command; "
          f"threaded mix: receive / issue / reserve / commit, a quarter each)")


if __name__ == "__main__":
    main()
