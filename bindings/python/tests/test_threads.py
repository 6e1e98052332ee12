"""One handle shared by many threads: no oversell, and the GIL is released in the engine."""

from __future__ import annotations

import sys
import threading
import time
from decimal import Decimal
from pathlib import Path

import stockbook

THREADS = 16
STOCK = 300


def test_no_oversell_under_concurrency(tmp_path: Path) -> None:
    """16 threads reserve one SKU until refused: never more is reserved than on hand, the
    accepted reservations add up to no more than the stock, and all of them commit."""
    with stockbook.open(tmp_path / "stock.redb") as sb:
        sb.define_item("HOT")
        sb.define_location("WH", kind="site")
        sb.define_location("WH/BIN", parent="WH")
        sb.receive("HOT", "WH/BIN", STOCK)
        accepted: list[list[str]] = [[] for _ in range(THREADS)]
        refusals = [0] * THREADS
        errors: list[BaseException] = []
        overbooked: list[stockbook.StockLevel] = []
        start = threading.Barrier(THREADS + 1)
        done = threading.Event()

        def worker(i: int) -> None:
            # Quantities 1..3, half of them hard (pinning the bin), half soft (the site):
            # the last units go to the 1s.
            qty = 1 + i % 3
            scope = "WH/BIN" if i % 2 else "WH"
            start.wait()
            try:
                while True:
                    try:
                        r = sb.reserve("HOT", scope, qty, hard=i % 2 == 1, actor=f"t{i}")
                    except stockbook.InsufficientStock as refused:
                        assert refused.available < qty
                        refusals[i] += 1
                        return
                    assert r.reservation_id is not None
                    accepted[i].append(r.reservation_id)
            except BaseException as e:  # noqa: BLE001 - reported below
                errors.append(e)

        def watcher() -> None:
            while not done.is_set():
                for scope in ("WH", "WH/BIN"):
                    level = sb.stock_level("HOT", scope)
                    if level.reserved > level.on_hand or level.available < 0:
                        overbooked.append(level)

        threads = [threading.Thread(target=worker, args=(i,)) for i in range(THREADS)]
        observer = threading.Thread(target=watcher)
        for t in threads:
            t.start()
        observer.start()
        start.wait()
        for t in threads:
            t.join()
        done.set()
        observer.join()

        assert errors == []
        assert overbooked == []
        assert all(r == 1 for r in refusals)
        held = {rid: sb.reservation(rid) for ids in accepted for rid in ids}
        assert len(held) == sum(len(ids) for ids in accepted)  # every id distinct
        total = sum((r.qty for r in held.values()), Decimal(0))
        assert total <= STOCK
        assert total == STOCK  # the threads reserving 1 took the last units
        level = sb.stock_level("HOT", "WH")
        assert (level.on_hand, level.reserved, level.available) == (STOCK, STOCK, 0)
        with_qty = {rid: i for i, ids in enumerate(accepted) for rid in ids}
        assert all(held[rid].qty == 1 + with_qty[rid] % 3 for rid in held)

        # Commit them all, again from 16 threads at once.
        ids = list(held)

        def commit(part: list[str]) -> None:
            try:
                for rid in part:
                    sb.commit_reservation(rid, location="WH/BIN")
            except BaseException as e:  # noqa: BLE001 - reported below
                errors.append(e)

        committers = [threading.Thread(target=commit, args=(ids[k::THREADS],)) for k in range(THREADS)]
        for t in committers:
            t.start()
        for t in committers:
            t.join()
        assert errors == []
        assert {sb.reservation(rid).state for rid in ids} == {"committed"}
        assert sum(sb.reservation(rid).committed for rid in ids) == STOCK
        level = sb.stock_level("HOT", "WH")
        assert (level.on_hand, level.reserved, level.available) == (0, 0, 0)
        shipped = [e.data for e in sb.history("HOT") if isinstance(e.data, stockbook.Movement) and e.data.kind == "ship"]
        assert sum(m.qty for m in shipped) == STOCK
        assert sb.on_hand("HOT", "@customer") == STOCK
        assert sb.verify().is_sound()


def test_the_gil_is_released_during_engine_calls(tmp_path: Path) -> None:
    # With a 10 s switch interval, a thread that holds the GIL keeps it: the counter can
    # only move while the main thread is inside the engine if the binding released it.
    with stockbook.open(tmp_path / "stock.redb") as sb:
        sb.define_item("A")
        sb.define_location("BIN")
        counter = [0]
        stop = threading.Event()

        def count() -> None:
            while not stop.is_set():
                counter[0] += 1
                time.sleep(0)

        interval = sys.getswitchinterval()
        sys.setswitchinterval(10)
        spinner = threading.Thread(target=count)
        try:
            spinner.start()
            time.sleep(0.05)
            before = counter[0]
            for _ in range(20):
                sb.receive("A", "BIN", 1)  # each a durable commit
            after = counter[0]
        finally:
            stop.set()
            sys.setswitchinterval(interval)
            spinner.join()
        assert after > before
