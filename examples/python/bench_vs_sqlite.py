#!/usr/bin/env python3
"""Stockbook against a plain SQLite stock ledger, through Python, same workload.

Workload (reservations will join it when they land):
  - receive: one durable command per transaction;
  - issue:   one durable command per transaction, refused if it would take the balance
             below zero (checked inside the transaction);
  - on_hand: point lookups of one item at one bin;
  - threaded: THREADS threads issuing receive/issue commands concurrently on one file,
    where Stockbook's group commit can batch them into shared commits.

SQLite is set up as a careful developer would: WAL, synchronous=FULL (durable commits),
an append-only movements table plus a balances table updated in the same transaction,
primary-key indexes on both, and the negative-stock check inside `BEGIN IMMEDIATE`.
Quantities are integers in both (exact). Files live in a temporary directory under --dir.

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
from typing import Callable, Protocol

import stockbook

SKUS = [f"SKU-{i:04d}" for i in range(200)]
BINS = [f"WH1/{i:02d}" for i in range(20)]


class Ledger(Protocol):
    def receive(self, sku: str, location: str, qty: int) -> None: ...
    def issue(self, sku: str, location: str, qty: int) -> bool: ...
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
    PRIMARY KEY (sku, location)
) WITHOUT ROWID;
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
                "INSERT INTO balances VALUES (?, ?, ?) "
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

    def issue(self, sku: str, location: str, qty: int) -> bool:
        self.db.execute("BEGIN IMMEDIATE")
        try:
            self._known(sku, location)
            row = self.db.execute(
                "SELECT qty FROM balances WHERE sku = ? AND location = ?", (sku, location)
            ).fetchone()
            if (row[0] if row else 0) < qty:
                self.db.execute("ROLLBACK")
                return False
            self._move("issue", sku, location, "@customer", qty)
            self.db.execute("COMMIT")
            return True
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


def single(ledger: Ledger, ops: int, seed: int) -> dict[str, float]:
    rnd = random.Random(seed)
    picks = [(rnd.choice(SKUS), rnd.choice(BINS)) for _ in range(ops)]
    rates = {}
    rates["receive"] = timed(ops, lambda i: ledger.receive(*picks[i], 10))
    rates["issue"] = timed(ops, lambda i: ledger.issue(*picks[i], 3 + i % 9))
    rates["on_hand"] = timed(ops * 10, lambda i: ledger.on_hand(*picks[i % ops]))
    return rates


def threaded(make: Callable[[], object], ops: int, threads: int, seed: int) -> float:
    per_thread = ops // threads
    start_line = threading.Barrier(threads + 1)
    errors: list[BaseException] = []

    def work(t: int) -> None:
        ledger = make()
        rnd = random.Random(seed + t)
        start_line.wait()
        try:
            for i in range(per_thread):
                sku, loc = rnd.choice(SKUS), rnd.choice(BINS)
                if i % 2 == 0:
                    ledger.receive(sku, loc, 5)  # type: ignore[attr-defined]
                else:
                    ledger.issue(sku, loc, 4)  # type: ignore[attr-defined]
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
    with tempfile.TemporaryDirectory(dir=args.dir) as tmp:
        for name, make in (
            ("stockbook", lambda p: StockbookLedger(p)),
            ("sqlite", lambda p: SqliteLedger(p)),
        ):
            ledger = make(Path(tmp) / f"single.{name}")
            rates = single(ledger, args.ops, seed=1)
            ledger.close()
            shared = make(Path(tmp) / f"threads.{name}")
            rates[f"threaded x{args.threads}"] = threaded(
                shared.for_thread, args.ops * 2, args.threads, seed=2
            )
            shared.close()
            results[name] = rates

    print(f"{'operation':<14} {'stockbook/s':>12} {'sqlite/s':>12} {'ratio':>7}")
    for op in results["stockbook"]:
        sb, sq = results["stockbook"][op], results["sqlite"][op]
        print(f"{op:<14} {sb:>12,.0f} {sq:>12,.0f} {sb / sq:>6.2f}x")
    print(f"(ops per phase: {args.ops}; lookups: {args.ops * 10}; durable commit per command)")


if __name__ == "__main__":
    main()
