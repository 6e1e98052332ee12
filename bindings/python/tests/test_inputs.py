"""Bad inputs a new user tried (issue 15, point 4), each refused or read as meant.

The rule: integers are range-checked (never wrapped or truncated) and refused as the
package's `InvalidArgument` naming the keyword; errors name the argument as Python spells
it (`ttl`, not a Rust field); results are hashable, consistently with `==`; nothing in the
public surface carries a Rust name (`expiry`, an aware datetime, not `expiry_ms`).
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from typing import Any
from pathlib import Path

import pytest

import stockbook

from conftest import START


def test_version_is_the_package_version() -> None:
    from importlib.metadata import version

    assert isinstance(stockbook.__version__, str)
    assert stockbook.__version__ == version("stockbook")
    assert re.fullmatch(r"\d+\.\d+\.\d+\S*", stockbook.__version__)


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"decimals": -1}, "decimals"),
        ({"decimals": 256}, "decimals"),
        ({"decimals": 2**70}, "decimals"),
        ({"shelf_life_days": -3}, "shelf_life_days"),
        ({"shelf_life_days": 2**32}, "shelf_life_days"),
    ],
)
def test_integers_out_of_range_are_invalid_argument_naming_the_keyword(
    sb: stockbook.Stockbook, kwargs: dict[str, int], field: str
) -> None:
    with pytest.raises(stockbook.InvalidArgument) as bad:
        sb.define_item("X", **kwargs)  # type: ignore[arg-type]
    assert not isinstance(bad.value, OverflowError)
    assert bad.value.field == field
    assert field in str(bad.value)
    with pytest.raises(stockbook.NotFound):
        sb.item("X")


def test_integer_keywords_everywhere_are_range_checked(stocked: stockbook.Stockbook) -> None:
    sb = stocked
    sb.define_location("STAGE", parent="WH1")
    with pytest.raises(stockbook.InvalidArgument) as priority:
        sb.create_order("O1", ship_from="WH1", staging="STAGE", lines=[("BOLT", 1)], priority=-1)
    assert priority.value.field == "priority"
    with pytest.raises(stockbook.InvalidArgument) as limit:
        sb.history("BOLT", limit=-1)
    assert limit.value.field == "limit"
    with pytest.raises(stockbook.InvalidArgument) as seq:
        sb.on_hand_at("BOLT", "WH1", seq=-1)
    assert seq.value.field == "seq"
    with pytest.raises(stockbook.InvalidArgument) as horizon:
        stockbook.forecast([1, 2], "naive", -1)
    assert horizon.value.field == "horizon"


def test_errors_name_the_python_keyword_not_the_rust_field(stocked: stockbook.Stockbook) -> None:
    with pytest.raises(stockbook.InvalidArgument) as bad:
        stocked.reserve("BOLT", "WH1", 1, ttl=timedelta(0))
    assert bad.value.field == "ttl"
    assert "ttl_ms" not in str(bad.value)
    assert "ttl" in str(bad.value)
    # `.facts` keeps the engine's names: the language-neutral contract of the scenarios.
    assert bad.value.facts["field"] == "ttl_ms"


def test_lot_expired_carries_an_aware_datetime(
    sb: stockbook.Stockbook, clock: stockbook.ManualClock
) -> None:
    sb.define_item("VAX", tracking="lot")
    sb.define_location("FRIDGE")
    expiry = START + timedelta(days=10)
    sb.receive("VAX", "FRIDGE", 5, lot="L1", expiry=expiry)
    clock.advance(timedelta(days=11))
    with pytest.raises(stockbook.LotExpired) as expired:
        sb.issue("VAX", "FRIDGE", 1, lot="L1")
    assert expired.value.expiry == expiry
    assert expired.value.expiry.tzinfo is not None
    assert not hasattr(expired.value, "expiry_ms")
    public = [name for name in dir(expired.value) if not name.startswith("_")]
    assert not [name for name in public if name.endswith("_ms")], public


def test_records_are_hashable_consistently_with_equality(stocked: stockbook.Stockbook) -> None:
    sb = stocked
    item = sb.item("BOLT")
    again = sb.item("BOLT")
    assert item == again and item is not again
    assert hash(item) == hash(again)
    assert len({item, again}) == 1
    assert {item: 1}[again] == 1
    other = sb.item("BOLT")
    sb.update_item("BOLT", name="Bolt M8 zinc", decimals=2)
    assert sb.item("BOLT") != other
    levels = {sb.stock_level("BOLT", "WH1"), sb.stock_level("BOLT", "WH1")}
    assert len(levels) == 1
    balances = sb.balances(sku="BOLT")
    assert len(set(balances)) == len(balances)
    # Records holding lists and dicts are hashable too.
    sb.define_item("BOX", conversions={"case": 12}, attributes={"colour": "red"})
    assert hash(sb.item("BOX")) == hash(sb.item("BOX"))
    receipt = sb.receive("BOLT", "WH1/A1", Decimal("1.5"))
    assert hash(receipt) == hash(receipt)


def test_exit_returns_none_and_lets_exceptions_through(tmp_path: Path) -> None:
    sb = stockbook.open(tmp_path / "s.redb")
    # Falsy is not enough for flow analysis: the runtime returns None, as the stub says.
    assert getattr(sb, "__exit__")(None, None, None) is None
    with pytest.raises(KeyError):
        with stockbook.in_memory() as book:
            book.define_item("A")
            raise KeyError("propagates")


def now_of_a_fresh_book() -> datetime:
    # With `__exit__` typed `-> bool`, mypy (run over this file by run-tests.sh) assumes the
    # block may swallow an exception and reports "Missing return statement" here.
    with stockbook.in_memory() as book:
        return book.now()


def test_exit_typing_keeps_flow_analysis() -> None:
    value = now_of_a_fresh_book()
    assert value.tzinfo is not None
    assert value <= datetime.now(timezone.utc) + timedelta(seconds=5)


@pytest.mark.parametrize(
    "method", [{"holt": {"dampd": True}}, {"ses": {"alpha": 0.3, "beta": 9}}]
)
def test_unknown_settings_keys_are_refused_naming_the_argument(method: Any) -> None:
    with pytest.raises(stockbook.InvalidArgument) as bad:
        stockbook.forecast([1, 2, 3, 4, 5, 6], method, 2)
    assert bad.value.field == "method"
    assert ".".join(method) in str(bad.value)


def test_none_is_absent_for_optional_arguments(stocked: stockbook.Stockbook) -> None:
    sb = stocked
    receipt = sb.reserve("BOLT", "WH1", 1, hard=None, ttl=None, lot=None)
    assert sb.reservation(receipt.reservation_id or "").state == "pending"
    plan = sb.plan_allocation("BOLT", 1, "WH1", strategy=None)
    assert plan.short == 0
