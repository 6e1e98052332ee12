"""Shared fixtures: an in-memory Stockbook on a manual clock, and time helpers."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Iterator

import pytest

import stockbook

START = datetime(2026, 1, 1, tzinfo=timezone.utc)


def at_ms(ms: int) -> datetime:
    """Milliseconds since the epoch as an aware UTC datetime."""
    return datetime(1970, 1, 1, tzinfo=timezone.utc) + timedelta(milliseconds=ms)


@pytest.fixture
def clock() -> stockbook.ManualClock:
    return stockbook.ManualClock(START)


@pytest.fixture
def sb(clock: stockbook.ManualClock) -> Iterator[stockbook.Stockbook]:
    with stockbook.in_memory(clock=clock) as book:
        yield book


@pytest.fixture
def stocked(sb: stockbook.Stockbook) -> stockbook.Stockbook:
    """BOLT (2 decimals) with 10.50 at WH1/A1, a site WH1 with bins A1 and A2."""
    sb.define_item("BOLT", name="Bolt M8", decimals=2)
    sb.define_location("WH1", kind="site")
    sb.define_location("WH1/A1", parent="WH1")
    sb.define_location("WH1/A2", parent="WH1")
    sb.receive("BOLT", "WH1/A1", "10.5")
    return sb
