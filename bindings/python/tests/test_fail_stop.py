"""The writer fails loudly: a panic refuses one command (Internal) while the engine goes on;
the new error codes reach Python as their exception classes."""

from __future__ import annotations

import threading
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path

import pytest

import stockbook


def test_a_panic_in_the_writer_refuses_that_command_alone(tmp_path: Path) -> None:
    with stockbook.open(tmp_path / "s.redb") as sb:
        sb.define_location("WH")
        sb.define_item("A")
        sb.define_item("BAD")
        before = sb.last_seq()
        sb._inject_panic_for_sku("BAD")
        start = threading.Barrier(8)
        outcomes: dict[int, BaseException | None] = {}

        def worker(i: int) -> None:
            start.wait()
            try:
                sb.receive("BAD" if i == 3 else "A", "WH", 1)
                outcomes[i] = None
            except stockbook.StockbookError as e:
                outcomes[i] = e

        threads = [threading.Thread(target=worker, args=(i,)) for i in range(8)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        failed = outcomes[3]
        assert isinstance(failed, stockbook.Internal)
        assert failed.code == "internal"
        assert "injected panic" in failed.facts["message"]
        assert all(outcomes[i] is None for i in range(8) if i != 3)
        assert sb.on_hand("A", "WH") == Decimal(7)
        assert sb.on_hand("BAD", "WH") == Decimal(0)
        assert sb.last_seq() == before + 7
        assert sb.verify().is_sound()
        # The engine keeps serving, and the hook fired once.
        sb.receive("BAD", "WH", 2)
        assert sb.on_hand("BAD", "WH") == Decimal(2)


def test_a_limit_is_refused_as_limit_exceeded() -> None:
    with stockbook.in_memory() as sb:
        attributes = {f"k{i}": "v" for i in range(257)}
        with pytest.raises(stockbook.LimitExceeded) as e:
            sb.define_item("A", attributes=attributes)
        assert e.value.code == "limit_exceeded"
        assert e.value.what == "attributes"
        assert e.value.max == 256


def test_an_expired_key_is_refused_as_key_expired() -> None:
    clock = stockbook.ManualClock(datetime(2030, 1, 1, tzinfo=timezone.utc))
    with stockbook.in_memory(clock=clock) as sb:
        sb.define_location("WH")
        sb.define_item("A")
        first = sb.receive("A", "WH", 1, key="rcv-1")
        assert sb.receive("A", "WH", 1, key="rcv-1") == first
        clock.advance(timedelta(days=30))
        with pytest.raises(stockbook.KeyExpired) as e:
            sb.receive("A", "WH", 1, key="rcv-1")
        assert e.value.key == "rcv-1"
        assert sb.on_hand("A", "WH") == Decimal(1)
