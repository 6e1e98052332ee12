"""Planning at the scale of a book through the binding: forecasts recorded as they were
made (one, and a plan's at once), their accuracy against the demand that came, and a
what-if replay of the log under another policy. The figures are the hand computations of
core/tests/planning_accuracy.rs and core/tests/whatif.rs."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from decimal import Decimal
from typing import Any

import pytest

import stockbook

DAY0 = datetime(2026, 1, 1, tzinfo=timezone.utc)


def day(d: float) -> datetime:
    return DAY0 + timedelta(days=d)


def approx(x: float) -> Any:
    return pytest.approx(x, rel=1e-12, abs=1e-12)


def shipped(sb: stockbook.Stockbook, clock: stockbook.ManualClock, days: list[tuple[int, int]]) -> None:
    """Item A in bin WH1/A of site WH1, 1000 received on day 0, shipped `(day, qty)`."""
    sb.define_location("WH1", kind="site")
    sb.define_location("WH1/A", parent="WH1")
    sb.define_item("A")
    sb.receive("A", "WH1/A", 1000)
    for d, qty in days:
        clock.set(day(d) + timedelta(hours=1))
        sb.ship("A", "WH1/A", qty)


def test_recorded_forecasts_and_their_accuracy(sb: stockbook.Stockbook, clock: stockbook.ManualClock) -> None:
    shipped(sb, clock, [(0, 4), (1, 6), (2, 5), (3, 9), (4, 10), (6, 5)])
    clock.set(day(7))
    written = sb.record_forecast("A", "WH1", "day", day(4), [7, 7, 7], "naive", made_at=day(4), key="fc-1")
    assert sb.record_forecast("A", "WH1", "day", day(4), [7, 7, 7], "naive", made_at=day(4), key="fc-1") == written
    sb.record_forecast(
        "A", "WH1", "day", day(6), [6.0], "ses_optimized",
        lower=[4], upper=[8], level=80, made_at=day(5.5),
    )
    acc = sb.forecast_accuracy("WH1", day(4), day(7), bucket="day")
    assert acc.bucket == "day"
    (row,) = acc.rows
    assert (row.sku, row.site, row.compared, row.mape_periods, row.mase_periods) == ("A", "WH1", 3, 2, 3)
    assert [p.actual for p in row.periods] == [10.0, 0.0, 5.0]
    assert [p.forecast for p in row.periods] == [7.0, 7.0, 6.0]
    assert [p.step for p in row.periods] == [1, 2, 1]
    assert row.periods[2].made_at == day(5.5)
    assert row.mae == approx(11 / 3) and row.bias == approx(5 / 3) and row.mape == approx(25.0)
    assert row.mase == approx((3 / (7 / 3) + 7 / (7 / 3) + 1 / 3.6) / 3)
    one_step = sb.forecast_accuracy("WH1", day(4), day(7), bucket="day", step=1, sku="A")
    assert one_step.rows[0].compared == 2 and one_step.rows[0].periods[1].forecast is None

    with pytest.raises(stockbook.InvalidParameter) as bad:
        sb.record_forecast("A", "WH1", "day", day(4) + timedelta(hours=1), [1], "naive")
    assert bad.value.parameter == "start"
    with pytest.raises(stockbook.InvalidParameter) as bad:
        sb.record_forecast("A", "WH1", "day", day(4), [1], "naive", lower=[2])
    assert bad.value.parameter == "lower"
    with pytest.raises(stockbook.NotFound):
        sb.record_forecast("NOPE", "WH1", "day", day(4), [1], "naive")


def test_a_plan_records_its_forecasts_in_one_go(sb: stockbook.Stockbook, clock: stockbook.ManualClock) -> None:
    shipped(sb, clock, [(4, 10), (6, 5)])
    clock.set(day(4))
    plan = sb.replenishment_plan(
        bucket="day", horizon_periods=3, method={"fixed": "naive"},
        series=[{"sku": "A", "site": "WH1", "demand": [4, 6, 5, 9]}],
    )
    (row,) = plan.rows
    # A row's per-period forecast is what its projected position falls by each period.
    level = row.position
    points: list[float] = []
    for end in row.projected:
        points.append(level - end)
        level = end
    before = sb.last_seq()
    sb.record_forecasts([
        {"sku": row.sku, "site": row.site, "bucket": plan.bucket, "start": plan.as_of,
         "points": points, "method": row.method, "made_at": plan.as_of},
    ])
    assert sb.last_seq() == before + 1
    clock.set(day(7))
    (acc,) = sb.forecast_accuracy("WH1", day(4), day(7), bucket="day").rows
    # Naive: 9 a day against 10, 0, 5.
    assert [p.forecast for p in acc.periods] == [approx(9.0)] * 3
    assert acc.mae == approx(14 / 3) and acc.bias == approx(4.0)


def test_what_if_replays_the_log_under_another_policy(sb: stockbook.Stockbook, clock: stockbook.ManualClock) -> None:
    sb.define_location("WH1", kind="site")
    sb.define_location("WH1/A", parent="WH1")
    sb.define_item("A")
    sb.receive("A", "WH1/A", 5)
    for d, qty in [(1, 2), (2, 4), (3, 3), (4, 5), (5, 1)]:
        clock.set(day(d) + timedelta(hours=1))
        if d == 2:
            sb.receive("A", "WH1/A", 10)
        sb.ship("A", "WH1/A", qty)
    clock.set(day(9))
    w = sb.what_if("A", "WH1", day(1), day(6), {"min_max": {"reorder_point": 3, "order_up_to": "10"}}, bucket="day")
    assert (w.sku, w.site, w.reorder_point, w.order_up_to) == ("A", "WH1", Decimal(3), Decimal(10))
    assert [p.on_hand for p in w.periods] == [3, 0, 4, 0, 0]
    assert [p.ordered for p in w.periods] == [0, 7, 0, 0, 10]
    s = w.simulated
    assert (s.start_on_hand, s.stockout_periods, s.units_short, s.orders, s.units_ordered) == (5, 3, 3, 2, 17)
    assert s.fill_rate == approx(0.8) and s.average_on_hand == approx(1.4)
    a = w.actual
    assert [p.actual_on_hand for p in w.periods] == [3, 9, 6, 1, 0]
    assert (a.stockout_periods, a.receipts, a.units_received) == (1, 1, 10)
    assert a.average_on_hand == approx(3.8)
    backordered = sb.what_if(
        "A", "WH1", day(1), day(6), {"reorder_quantity": {"reorder_point": 2, "order_qty": 4}},
        bucket="day", lead_time_periods=0, backorders=True,
    )
    assert [p.backordered for p in backordered.periods] == [0, 1, 0, 1, 0]
    assert backordered.simulated.end_on_hand == 2
    with pytest.raises(stockbook.InvalidParameter) as bad:
        sb.what_if("A", "WH1", day(1), day(6), {"order_up_to": {"level": 5, "review_periods": 0}}, bucket="day")
    assert bad.value.parameter == "review_periods"
