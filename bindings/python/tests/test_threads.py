"""One handle shared by many threads: no oversell, and the GIL is released in the engine.

When reservations land, the no-oversell test becomes "reserve" instead of "ship/issue".
"""

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
    with stockbook.open(tmp_path / "stock.redb") as sb:
        sb.define_item("HOT")
        sb.define_location("BIN")
        sb.receive("HOT", "BIN", STOCK)
        taken = [Decimal(0)] * THREADS
        refusals = [0] * THREADS
        errors: list[BaseException] = []
        lowest = [Decimal(STOCK)]
        start = threading.Barrier(THREADS + 1)
        done = threading.Event()

        def worker(i: int) -> None:
            # Half ship, half issue; quantities 1..3, so the last units go to the 1s.
            qty = 1 + i % 3
            write = sb.ship if i % 2 else sb.issue
            start.wait()
            try:
                while True:
                    try:
                        write("HOT", "BIN", qty, actor=f"t{i}")
                    except stockbook.InsufficientStock as refused:
                        assert refused.available < qty
                        refusals[i] += 1
                        return
                    taken[i] += qty
            except BaseException as e:  # noqa: BLE001 - reported below
                errors.append(e)

        def watcher() -> None:
            while not done.is_set():
                lowest[0] = min(lowest[0], sb.on_hand("HOT", "BIN"))

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
        assert sum(taken) == STOCK
        assert all(r == 1 for r in refusals)
        assert sb.on_hand("HOT", "BIN") == 0
        assert lowest[0] >= 0
        moves = [e.data for e in sb.history("HOT") if isinstance(e.data, stockbook.Movement)]
        assert [m.kind for m in moves[:1]] == ["receive"]
        assert sum(m.qty for m in moves[1:]) == STOCK
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
