"""Planning through the binding: purchase orders, lead times, demand history, the
replenishment plan, and the pure forecasting and policy functions (floats there: they are
statistics, not ledger quantities)."""

from __future__ import annotations

import math
import sys
import threading
import time
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from typing import Any, Iterator

import pytest

import stockbook

MONDAY = datetime(2026, 1, 5, tzinfo=timezone.utc)
Z95 = 1.6448536269514722  # the standard normal quantile of 0.95


@pytest.fixture
def clock() -> stockbook.ManualClock:
    return stockbook.ManualClock(MONDAY)


@pytest.fixture
def depot(sb: stockbook.Stockbook) -> Iterator[stockbook.Stockbook]:
    """C (1 decimal) in a site WH1 with a bin WH1/A; suppliers ACME and BETA."""
    sb.define_item("C", decimals=1)
    sb.define_location("WH1", kind="site")
    sb.define_location("WH1/A", parent="WH1")
    yield sb


def approx(x: float) -> Any:
    return pytest.approx(x, rel=1e-12, abs=1e-12)


# ---- purchase orders and lead times -------------------------------------------------------


def test_purchase_order_lifecycle(depot: stockbook.Stockbook, clock: stockbook.ManualClock) -> None:
    sb = depot
    r = sb.create_purchase_order(
        "PO-1",
        "ACME",
        "WH1",
        [("C", 100, None, "2.5", "EUR"), {"sku": "C", "qty": "20.5"}],
        MONDAY + timedelta(days=14),
        over_receipt={"allow": {"tolerance_pct": 10}},
        under_tolerance_pct="5",
        actor="buyer",
    )
    po = sb.purchase_order("PO-1")
    assert (po.id, po.supplier, po.location, po.state) == ("PO-1", "ACME", "WH1", "open")
    assert (po.ordered_at, po.expected_at, po.closed_at) == (MONDAY, MONDAY + timedelta(days=14), None)
    assert po.over_receipt == {"allow": {"tolerance_pct": Decimal(10)}}
    assert po.under_tolerance_pct == Decimal(5)
    assert po.created_seq == r.first_seq
    line = po.lines[0]
    assert (line.line, line.sku, line.ordered, line.received, line.unit_cost, line.currency) == (
        1, "C", Decimal("100.0"), Decimal("0.0"), Decimal("2.5"), "EUR"
    )
    assert po.lines[1].unit_cost is None
    assert po.to_dict()["lines"][1]["ordered"] == Decimal("20.5")
    assert sb.on_order("C", "WH1") == Decimal("120.5")
    assert sb.on_order("C", "WH1/A") == 0  # delivered into WH1, not below it

    clock.advance(timedelta(days=10))
    sb.receive_purchase_order("PO-1", 1, 60, location="WH1/A")
    po = sb.purchase_order("PO-1")
    assert po.state == "partially_received"
    assert po.receipts[0].to_dict() == {
        "line": 1, "qty": Decimal("60.0"), "location": "WH1/A", "received_at": MONDAY + timedelta(days=10)
    }
    assert sb.on_hand("C", "WH1/A") == 60
    move = [e.data for e in sb.history("C") if isinstance(e.data, stockbook.Movement)][-1]
    assert (move.kind, move.unit_cost, move.currency) == ("receive", Decimal("2.5"), "EUR")
    seq = sb.last_seq()
    with pytest.raises(stockbook.InvalidQuantity):
        sb.receive_purchase_order("PO-1", 1, 51)  # above the 10 % tolerance
    assert sb.last_seq() == seq
    clock.advance(timedelta(days=4))
    sb.receive_purchase_order("PO-1", 1, 45)
    sb.receive_purchase_order("PO-1", line=2, qty=20)  # within the 5 % under-tolerance
    assert sb.purchase_order("PO-1").state == "received"
    assert sb.on_order("C", "WH1") == 0

    stats = sb.lead_time_stats("ACME", "C")
    assert (stats.supplier, stats.sku, stats.count) == ("ACME", "C", 3)
    assert (stats.min_days, stats.max_days) == (10.0, 14.0)
    assert stats.mean_days == approx(38 / 3)
    assert stats.std_dev_days == approx(math.sqrt(16 / 3))
    assert sb.lead_time_stats("ACME").count == 3
    nothing = sb.lead_time_stats("BETA")
    assert (nothing.count, nothing.mean_days, nothing.std_dev_days) == (0, None, None)

    changes = [e.data for e in sb.events() if isinstance(e.data, stockbook.PurchaseOrderChanged)]
    assert [c.step for c in changes] == ["created", "received", "received", "received"]
    assert changes[-1].order == sb.purchase_order("PO-1")


def test_close_cancel_and_filters(depot: stockbook.Stockbook) -> None:
    sb = depot
    due = MONDAY + timedelta(days=30)
    sb.create_purchase_order("PO-2", "ACME", "WH1", [("C", 5)], due)
    sb.create_purchase_order("PO-3", "BETA", "WH1/A", [("C", 7)], due, ordered_at=MONDAY - timedelta(days=1))
    assert sb.purchase_order("PO-3").ordered_at == MONDAY - timedelta(days=1)
    assert sb.purchase_order("PO-3").over_receipt == "refuse"
    assert sb.on_order("C", "WH1") == 12
    sb.cancel_purchase_order("PO-2")
    sb.receive_purchase_order("PO-3", 1, 2)
    sb.close_purchase_order("PO-3")
    assert sb.on_order("C", "WH1") == 0
    closed = sb.purchase_order("PO-3")
    assert (closed.state, closed.closed_at) == ("closed", MONDAY)
    assert [p.id for p in sb.purchase_orders()] == ["PO-2", "PO-3"]
    assert [p.id for p in sb.purchase_orders(supplier="ACME")] == ["PO-2"]
    assert [p.id for p in sb.purchase_orders(state="cancelled")] == ["PO-2"]
    assert [p.id for p in sb.purchase_orders(location="WH1/A", sku="C")] == ["PO-3"]
    assert sb.purchase_orders(sku="X") == []

    with pytest.raises(stockbook.InvalidTransition) as err:
        sb.cancel_purchase_order("PO-3")
    assert (err.value.entity, err.value.id, err.value.state) == ("purchase_order", "PO-3", "closed")
    with pytest.raises(stockbook.NotFound) as missing:
        sb.purchase_order("PO-9")
    assert (missing.value.kind, missing.value.key) == ("purchase_order", "PO-9")
    with pytest.raises(stockbook.AlreadyExists):
        sb.create_purchase_order("PO-2", "ACME", "WH1", [("C", 5)], due)
    with pytest.raises(stockbook.InvalidArgument) as state:
        sb.purchase_orders(state="lost")  # type: ignore[arg-type]
    assert state.value.field == "state"
    with pytest.raises(stockbook.NotFound):
        sb.purchase_orders(location="WH9")
    with pytest.raises(stockbook.InvalidArgument) as policy:
        sb.create_purchase_order("PO-4", "ACME", "WH1", [("C", 5)], due, over_receipt="maybe")  # type: ignore[arg-type]
    assert policy.value.field == "over_receipt"
    with pytest.raises(TypeError):
        sb.create_purchase_order("PO-4", "ACME", "WH1", [("C", 5.0)], due)  # type: ignore[list-item]
    with pytest.raises(TypeError):
        sb.create_purchase_order(
            "PO-4", "ACME", "WH1", [("C", 5)], due, over_receipt={"allow": {"tolerance_pct": 2.5}}  # type: ignore[arg-type]
        )
    with pytest.raises(stockbook.InvalidArgument) as early:
        sb.create_purchase_order("PO-4", "ACME", "WH1", [("C", 5)], MONDAY - timedelta(days=2))
    assert early.value.field == "expected_at"
    with pytest.raises(stockbook.InvalidCode):
        sb.lead_time_stats(" ACME")


# ---- demand history and the replenishment plan --------------------------------------------


def six_weeks_of_demand(sb: stockbook.Stockbook, clock: stockbook.ManualClock) -> None:
    sb.receive("C", "WH1/A", 100)
    clock.advance(timedelta(days=14))
    for _ in range(6):
        sb.ship("C", "WH1/A", 10)
        clock.advance(timedelta(days=7))


def test_demand_history(depot: stockbook.Stockbook, clock: stockbook.ManualClock) -> None:
    sb = depot
    six_weeks_of_demand(sb, clock)
    history = sb.demand_history("C", "WH1", "week", MONDAY, clock.now())
    assert (history.sku, history.location, history.bucket, history.include_backorders) == ("C", "WH1", "week", False)
    assert [p.start for p in history.periods] == [MONDAY + timedelta(weeks=w) for w in range(8)]
    assert [p.demand for p in history.periods] == [0, 0, 10, 10, 10, 10, 10, 10]
    assert str(history.periods[2].demand) == "10.0"
    assert history.series() == [0.0, 0.0, 10.0, 10.0, 10.0, 10.0, 10.0, 10.0]
    assert history.to_dict()["periods"][0] == {"start": MONDAY, "demand": Decimal("0.0"), "returns": Decimal("0.0")}
    daily = sb.demand_history("C", "WH1/A", "day", MONDAY + timedelta(days=14), MONDAY + timedelta(days=16))
    assert [p.demand for p in daily.periods] == [10, 0]
    monthly = sb.demand_history(sku="C", location="WH1", bucket="month", from_=MONDAY, to=clock.now() + timedelta(days=1), include_backorders=True)
    assert [p.start.month for p in monthly.periods] == [1, 2, 3]
    assert sum(p.demand for p in monthly.periods) == 60
    assert sum(p.returns for p in monthly.periods) == 0

    with pytest.raises(stockbook.InvalidArgument) as bucket:
        sb.demand_history("C", "WH1", "fortnight", MONDAY, clock.now())  # type: ignore[arg-type]
    assert bucket.value.field == "bucket"
    with pytest.raises(stockbook.InvalidParameter) as backwards:
        sb.demand_history("C", "WH1", "week", clock.now(), MONDAY)
    assert backwards.value.parameter == "to"
    with pytest.raises(stockbook.InvalidArgument):
        sb.demand_history("C", "@customer", "week", MONDAY, clock.now())
    with pytest.raises(stockbook.NotFound):
        sb.demand_history("NOPE", "WH1", "week", MONDAY, clock.now())
    with pytest.raises(ValueError, match="naive"):
        sb.demand_history("C", "WH1", "week", datetime(2026, 1, 1), clock.now())


def test_replenishment_plan_from_the_ledger(depot: stockbook.Stockbook, clock: stockbook.ManualClock) -> None:
    sb = depot
    six_weeks_of_demand(sb, clock)
    as_of = MONDAY + timedelta(weeks=8)
    plan = sb.replenishment_plan(as_of=as_of, history_periods=6, horizon_periods=4, skus=["C"], lead_time_days=14)
    assert (plan.as_of, plan.bucket, plan.problems) == (as_of, "week", ())
    (row,) = plan.rows
    assert (row.sku, row.site, row.on_hand, row.on_order, row.reserved, row.backordered) == (
        "C", "WH1", Decimal("40.0"), Decimal("0.0"), Decimal("0.0"), Decimal("0.0")
    )
    assert (row.pattern, row.method, row.history_periods) == ("smooth", "ses_optimized", 6)
    assert (row.demand_rate, row.sigma, row.position) == (approx(10.0), approx(0.0), 40.0)
    assert (row.lead_time_days, row.lead_time_source, row.supplier) == (14.0, "default", None)
    assert (row.service_level, row.safety_stock) == (0.95, approx(0.0))
    # Two weeks of lead time at 10 a week, no uncertainty: reorder at 20; cover 4 periods.
    assert (row.reorder_point, row.order_up_to) == (approx(20.0), approx(60.0))
    assert row.projected == tuple(approx(v) for v in (30.0, 20.0, 10.0, 0.0))
    order = row.order
    assert order is not None
    # The position reaches the reorder point at the end of the second period (index 1).
    assert (order.period, order.qty) == (1, Decimal("40.0"))
    assert (order.raw_qty, order.position_at_order) == (approx(40.0), approx(20.0))
    assert order.order_date == as_of + timedelta(weeks=2)
    assert order.expected_receipt == order.order_date + timedelta(days=14)
    d = plan.to_dict()
    assert d["rows"][0]["order"]["qty"] == Decimal("40.0") and d["as_of"] == as_of


def test_replenishment_plan_on_given_series(depot: stockbook.Stockbook) -> None:
    sb = depot
    plan = sb.replenishment_plan(
        as_of=MONDAY,
        method={"fixed": "naive"},
        order_quantity={"cover": {"periods": 4}},
        service_level=Decimal("0.95"),
        items=[{"sku": "C", "pack_size": 12, "lead_time_days": 7}],
        series=[{"sku": "C", "site": "WH1", "demand": [6, 6, Decimal(6), 6.0]}],
    )
    (row,) = plan.rows
    assert (row.method, row.demand_rate, row.lead_time_source) == ("naive", 6.0, "item")
    assert (row.reorder_point, row.order_up_to) == (approx(6.0), approx(30.0))
    assert row.order is not None and row.order.qty == 36  # 30 rounded up to packs of 12
    eoq = sb.replenishment_plan(
        as_of=MONDAY,
        order_quantity={"eoq": {"ordering_cost": 50, "holding_cost": 0.5}},
        series=[{"sku": "C", "site": "WH1", "demand": [4, 4, 4, 4]}],
        lead_time_days=7,
    )
    # EOQ of a demand of 4 per period: sqrt(2 * 50 * 4 / 0.5) = sqrt(800) on top of the ROP.
    assert eoq.rows[0].order_up_to == approx(eoq.rows[0].reorder_point + math.sqrt(800))

    problem = sb.replenishment_plan(
        as_of=MONDAY,
        method={"fixed": {"seasonal_naive": {"season_length": 12}}},
        series=[{"sku": "C", "site": "WH1", "demand": [1, 2]}],
    ).problems
    assert [(p.sku, p.site) for p in problem] == [("C", "WH1")]
    assert isinstance(problem[0].error, stockbook.InvalidParameter)
    assert problem[0].error.parameter == "series"
    as_dict = problem[0].to_dict()["error"]
    assert isinstance(as_dict, stockbook.InvalidParameter) and as_dict.facts == problem[0].error.facts


def test_replenishment_plan_refuses_bad_options(depot: stockbook.Stockbook) -> None:
    sb = depot
    for kwargs, code, name in (
        ({"service_level": 1}, "invalid_parameter", "service_level"),
        ({"service_level": float("nan")}, "invalid_parameter", "service_level"),
        ({"lead_time_days": -1}, "invalid_parameter", "lead_time_days"),
        ({"bucket": "fortnight"}, "invalid_argument", "bucket"),
        ({"history_periods": -1}, "invalid_argument", "history_periods"),
        ({"method": {"fixed": "teleport"}}, "invalid_argument", "method.fixed"),
        ({"order_quantity": {"cover": {}}}, "invalid_argument", "order_quantity.cover.periods"),
        ({"series": [{"sku": "C", "site": "WH1", "demand": [3, -1]}]}, "invalid_parameter", "series"),
    ):
        with pytest.raises(stockbook.StockbookError) as err:
            sb.replenishment_plan(**kwargs)
        assert err.value.code == code, kwargs
        assert err.value.facts.get("parameter", err.value.facts.get("field")) == name, kwargs
    with pytest.raises(stockbook.NotFound):
        sb.replenishment_plan(series=[{"sku": "C", "site": "WH9", "demand": [1, 2]}])
    with pytest.raises(stockbook.NotFound):
        sb.replenishment_plan(skus=["NOPE"])


# ---- forecasting --------------------------------------------------------------------------


def test_forecast_methods() -> None:
    naive = stockbook.forecast([3, 5, 4, 6], "naive", 2)
    assert (naive.method, naive.mean, naive.fitted) == ("naive", (6.0, 6.0), (None, 3.0, 5.0, 4.0))
    assert naive.params == {"kind": "none"}
    acc = naive.accuracy
    assert (acc.sigma, acc.mae, acc.mase, acc.n) == (approx(math.sqrt(3)), approx(5 / 3), approx(1.0), 3)
    # SES with a fixed alpha, by hand: the level starts at 3, then 4, 4, 5.
    ses = stockbook.forecast([Decimal(3), 5.0, 4, 6], {"ses": {"alpha": 0.5}}, 3)
    assert ses.method == {"ses": {"alpha": 0.5}}
    assert ses.mean == (5.0, 5.0, 5.0)
    assert ses.fitted == (None, 3.0, 4.0, 4.0)
    assert ses.params == {"kind": "ses", "alpha": 0.5}
    assert stockbook.forecast([2, 4, 6, 8], "historic_average", 1).mean == (5.0,)
    assert stockbook.forecast([2, 4, 6, 8], {"moving_average": {"window": 2}}, 1).mean == (7.0,)
    holt = stockbook.forecast([3, 5, 4, 6, 7, 8, 7, 9, 10, 11], "holt", 2)
    assert holt.method == {"holt": {"damped": None}}  # a bare name takes the defaults
    assert holt.params["kind"] == "ets"
    croston = stockbook.forecast([0, 4, 0, 0, 4, 0, 4], "croston_sba", 1)
    assert croston.params["kind"] == "croston" and croston.params["factor"] == 0.95
    d = croston.to_dict()
    assert set(d) == {"method", "mean", "fitted", "params", "accuracy", "intervals", "state"}
    # Croston has neither prediction intervals nor a smoothing state to go on from.
    assert d["intervals"] is None and d["state"] is None
    assert d["accuracy"]["n"] == croston.accuracy.n


def test_forecast_errors() -> None:
    for series in ([1], [1, -1], [1, float("nan")], []):
        with pytest.raises(stockbook.InvalidParameter) as err:
            stockbook.forecast(series, "naive", 2)
        assert err.value.parameter == "series"
    with pytest.raises(stockbook.InvalidParameter) as short:
        stockbook.forecast([1, 2, 3], "holt", 2)
    assert "at least" in short.value.reason
    methods: list[Any] = ["teleport", {"ses": {}}, {"ses": {"alpha": "high"}}, 3]
    for method in methods:
        with pytest.raises(stockbook.InvalidArgument) as bad:
            stockbook.forecast([1, 2, 3], method, 2)
        assert bad.value.field == "method"
    with pytest.raises(stockbook.InvalidParameter) as alpha:
        stockbook.forecast([1, 2, 3], {"ses": {"alpha": 2.0}}, 2)
    assert alpha.value.parameter == "alpha"
    with pytest.raises(TypeError):
        stockbook.forecast("123", "naive", 2)  # type: ignore[arg-type]
    with pytest.raises(stockbook.InvalidArgument) as negative:
        stockbook.forecast([1, 2], "naive", -1)
    assert negative.value.field == "horizon"


def test_classify_and_auto_forecast() -> None:
    none = stockbook.classify([0, 0, 0])
    assert (none.pattern, none.adi, none.cv2, none.demand_periods) == ("no_demand", None, None, 0)
    smooth = stockbook.classify([5, 5, 6, 5])
    assert (smooth.pattern, smooth.adi, smooth.demand_periods) == ("smooth", 1.0, 4)
    lumpy = [5, 0, 0, 7, 0, 6, 0, 0, 5, 0, 4, 0]
    sparse = stockbook.classify(lumpy)
    assert (sparse.pattern, sparse.adi) == ("intermittent", approx(2.2))
    with pytest.raises(stockbook.InvalidParameter):
        stockbook.classify([])

    auto = stockbook.auto_forecast(lumpy, 1, 3)
    assert auto.class_ == sparse
    assert auto.holdout >= 1
    assert len(auto.candidates) >= 2
    assert all(isinstance(c.mae, float) for c in auto.candidates)
    assert len(auto.forecast.mean) == 3
    assert auto.forecast.method in [c.method for c in auto.candidates]
    d = auto.to_dict()
    assert list(d) == ["class", "holdout", "candidates", "forecast"]
    assert d["class"]["pattern"] == "intermittent"
    assert repr(auto).startswith("AutoForecast(class_=DemandClass(pattern='intermittent'")
    with pytest.raises(stockbook.InvalidParameter):
        stockbook.auto_forecast([1, 2, 3], 1, 2)


def test_pure_functions_release_the_gil() -> None:
    # As for engine calls: a thread that holds the GIL keeps it for 10 s, so the counter
    # moves during the computation only if the binding released the GIL.
    series = [float((i * 7) % 5) for i in range(600)]
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
        for _ in range(3):
            stockbook.forecast(series, "croston_optimized", 4)
        after = counter[0]
    finally:
        stop.set()
        sys.setswitchinterval(interval)
        spinner.join()
    assert after > before


# ---- replenishment policies ---------------------------------------------------------------


def test_safety_stock_and_reorder_points() -> None:
    # Demand 10 ± 3 per period over a fixed lead time of 4: lead-time demand 40 ± 6.
    ss = stockbook.safety_stock_cycle(0.95, (10, 3), 4)
    assert (ss.k, ss.safety_stock, ss.reorder_point) == (approx(Z95), approx(6 * Z95), approx(40 + 6 * Z95))
    assert ss.lead_time_demand.to_dict() == {"mean": 40.0, "std_dev": 6.0}
    assert stockbook.safety_stock_cycle(0.95, {"mean": 10, "std_dev": 3}, {"mean": 4, "std_dev": 0}) == ss
    ltd = stockbook.lead_time_demand((10, 3), (4, 1))
    assert (ltd.mean, ltd.std_dev) == (40.0, approx(math.sqrt(4 * 9 + 100)))
    assert stockbook.reorder_point((10, 3), 4, 5.5) == 45.5

    exact = stockbook.safety_stock_fill_rate(0.98, 100, (10, 3), (4, 1), "exact")
    approximate = stockbook.safety_stock_fill_rate(0.98, 100, (10, 3), (4, 1), "approximate")
    assert exact.lead_time_demand == approximate.lead_time_demand == ltd
    assert approximate.k >= exact.k  # the approximation overstates the shortage
    assert exact.reorder_point == approx(40 + exact.safety_stock)
    generous = stockbook.safety_stock_fill_rate(0.5, 1000, (10, 3), 4, "exact")
    assert generous.k < 0 and generous.safety_stock < 0  # returned as is, not clamped

    mm = stockbook.min_max(0.95, (10, 3), 4, 30)
    assert (mm.min, mm.max) == (approx(ss.reorder_point), approx(ss.reorder_point + 30))
    assert mm.safety_stock == ss
    review = stockbook.periodic_review(0.95, (10, 3), 2, 7)
    assert review.protection_demand.to_dict() == {"mean": 90.0, "std_dev": 9.0}
    assert review.order_up_to == approx(90 + 9 * Z95)
    assert (review.k, review.safety_stock) == (approx(Z95), approx(9 * Z95))


def test_order_quantities() -> None:
    eoq = stockbook.eoq(100, 2, 1000)
    assert (eoq.quantity, eoq.cost) == (approx(math.sqrt(100_000)), approx(2 * math.sqrt(100_000)))
    assert eoq.to_dict() == {"quantity": eoq.quantity, "cost": eoq.cost}
    epq = stockbook.epq(100, 2, 1000, 4000)
    assert epq.quantity == approx(math.sqrt(2 * 100 * 1000 / (2 * 0.75)))
    assert stockbook.round_order_quantity(61, 50, 12) == 72.0
    assert stockbook.round_order_quantity(7, 50, 12) == 60.0
    assert stockbook.round_order_quantity(0, 50, 12) == 0.0
    assert stockbook.round_order_quantity(1.1, 0, 0.1) == approx(1.1)


def test_policy_errors() -> None:
    cases: list[tuple[Any, str]] = [
        (lambda: stockbook.eoq(-1, 2, 3), "fixed_cost"),
        (lambda: stockbook.epq(1, 2, 5, 4), "production_rate"),
        (lambda: stockbook.safety_stock_cycle(1.0, (1, 1), 2), "service_level"),
        (lambda: stockbook.safety_stock_fill_rate(0.9, 0, (1, 1), 2, "exact"), "order_quantity"),
        (lambda: stockbook.lead_time_demand((1, 1), -1), "lead_time.mean"),
        (lambda: stockbook.lead_time_demand((-1, 1), 2), "demand.mean"),
        (lambda: stockbook.reorder_point((1, 1), 2, math.inf), "safety_stock"),
        (lambda: stockbook.round_order_quantity(1, 0, 0), "pack_size"),
        (lambda: stockbook.periodic_review(0.9, (1, 1), 2, 0), "review_period"),
        (lambda: stockbook.min_max(0.9, (1, 1), 2, -3), "order_quantity"),
    ]
    for call, parameter in cases:
        with pytest.raises(stockbook.InvalidParameter) as err:
            call()
        assert err.value.parameter == parameter
    # A lead time of zero is same-day delivery and a fixed cost of zero a base-stock
    # policy: answers, not errors.
    assert stockbook.lead_time_demand((1, 1), 0).to_dict() == {"mean": 0.0, "std_dev": 0.0}
    assert stockbook.eoq(0, 2, 3).quantity == 0
    with pytest.raises(stockbook.InvalidArgument) as formula:
        stockbook.safety_stock_fill_rate(0.9, 10, (1, 1), 2, "best")  # type: ignore[arg-type]
    assert formula.value.field == "formula"
    with pytest.raises(TypeError, match="needs std_dev"):
        stockbook.lead_time_demand((1,), 2)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="takes only"):
        stockbook.lead_time_demand({"mean": 1, "sd": 2}, 2)
    with pytest.raises(TypeError):
        stockbook.lead_time_demand("ab", 2)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        stockbook.eoq("100", 2, 3)  # type: ignore[arg-type]


# ---- the normal distribution and the cost models ------------------------------------------
# Reference values: stockpyl 1.0.2 on Snyder & Shen's examples and the SPP table of G(k)
# (the project's replenishment reference vectors), which the core's tests also meet.


def test_standard_normal_functions() -> None:
    assert stockbook.normal_pdf(0) == approx(1 / math.sqrt(2 * math.pi))
    assert stockbook.normal_cdf(1) == approx(0.8413447460685429)
    assert stockbook.normal_cdf(-2) == approx(0.022750131948179195)
    assert stockbook.normal_quantile(0.95) == approx(Z95)
    assert stockbook.normal_quantile(p=stockbook.normal_cdf(1.3)) == approx(1.3)
    assert stockbook.standard_normal_loss(1.3) == approx(0.04552796208651397)
    assert stockbook.standard_normal_loss(k=-2) == approx(2.0084907026168297)
    for p in (0, 1, 1.5, math.nan):
        with pytest.raises(stockbook.InvalidParameter) as err:
            stockbook.normal_quantile(p)
        assert err.value.parameter == "p"


def test_newsvendor() -> None:
    # h = 0.18, p = 0.7, demand N(50, 8) and Poisson(50).
    normal = stockbook.newsvendor_normal(holding_cost=0.18, stockout_cost=0.7, demand=(50, 8))
    assert (normal.level, normal.cost) == (approx(56.60395592743389), approx(1.9976051931766445))
    poisson = stockbook.newsvendor_poisson(0.18, 0.7, demand_mean=50)
    assert poisson.to_dict() == {"level": 56.0, "cost": approx(1.7972352118091772)}
    with pytest.raises(stockbook.InvalidParameter) as err:
        stockbook.newsvendor_normal(0, 0.7, {"mean": 50, "std_dev": 8})
    assert err.value.parameter == "holding_cost"
    with pytest.raises(stockbook.InvalidParameter) as err:
        stockbook.newsvendor_poisson(0.18, 0.7, 0)
    assert err.value.parameter == "demand_mean"


def test_s_s_policies() -> None:
    # h = 1, p = 4, K = 5, Poisson(6) per period: (4, 10) costs 8.0341 and is the optimum.
    costs = {"holding": 1, "stockout": 4, "fixed": 5}
    assert stockbook.s_s_cost_poisson(4, 10, costs, 6) == approx(8.034111561471642)
    best = stockbook.s_s_optimal_poisson(costs=(1, 4, 5), demand_mean=6)
    assert (best.reorder_point, best.order_up_to) == (4, 10)
    assert best.cost == approx(stockbook.s_s_cost_poisson(4, 10, costs, 6))
    with pytest.raises(stockbook.InvalidParameter) as err:
        stockbook.s_s_cost_poisson(10, 10, costs, 6)
    assert err.value.parameter == "order_up_to"
    with pytest.raises(stockbook.InvalidParameter) as err:
        stockbook.s_s_optimal_poisson(costs, -1)
    assert err.value.parameter == "demand_mean"
    with pytest.raises(stockbook.InvalidArgument) as big:
        stockbook.s_s_cost_poisson(2**70, 2**71, costs, 6)
    assert big.value.field == "reorder_point"
    with pytest.raises(TypeError, match="takes only"):
        stockbook.s_s_optimal_poisson({"holding": 1, "stockout": 4, "fix": 5}, 6)


def test_r_q_policies() -> None:
    # h = 0.225, p = 7.5, K = 8, λ = 1300 and σ = 150 per year, L = 1/12 year.
    costs = (0.225, 7.5, 8)
    cost = stockbook.r_q_cost(126.8, 328.5, costs, (1300, 150), 1 / 12)
    assert cost == pytest.approx(78.07116250928294, rel=1e-9)
    eil = stockbook.r_q_eil(costs=costs, demand=(1300, 150), lead_time=1 / 12)
    assert eil.reorder_point == pytest.approx(213.97044213580244, rel=1e-9)
    assert eil.order_quantity == pytest.approx(318.5901810768729, rel=1e-9)
    assert eil.cost == pytest.approx(95.45114022285196, rel=1e-9)
    # h = 20, p = 150, K = 100, λ = 1.5, L = 2: (3, 5) at 107.92.
    exact = stockbook.r_q_poisson({"holding": 20, "stockout": 150, "fixed": 100}, 1.5, 2)
    assert (exact.reorder_point, exact.order_quantity) == (3.0, 5.0)
    assert exact.cost == pytest.approx(107.92358063314975, rel=1e-9)
    cases: list[tuple[Any, str]] = [
        (lambda: stockbook.r_q_cost(10, 0, costs, (1300, 150), 1), "order_quantity"),
        (lambda: stockbook.r_q_eil(costs, (1300, 150), -1), "lead_time"),
        (lambda: stockbook.r_q_poisson(costs, 0, 1), "demand_rate"),
    ]
    for call, parameter in cases:
        with pytest.raises(stockbook.InvalidParameter) as err:
            call()
        assert err.value.parameter == parameter
