"""Reservations, allocation and the order lifecycle through the binding: every method, its
conversions (strategies, policies, order lines, packages, durations) and its errors."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest

import stockbook
from conftest import START


NOW = START + timedelta(minutes=1)


@pytest.fixture
def shop(sb: stockbook.Stockbook, clock: stockbook.ManualClock) -> stockbook.Stockbook:
    """BOLT (2 decimals): 10 at WH1/A1 (received at START), 5 at WH1/A2 (received a
    minute later, at NOW); a site WH1."""
    sb.define_item("BOLT", decimals=2, conversions={"box": 5})
    sb.define_location("WH1", kind="site")
    sb.define_location("WH1/A1", parent="WH1", coordinates=(1, 1))
    sb.define_location("WH1/A2", parent="WH1", coordinates=(9, 9))
    sb.receive("BOLT", "WH1/A1", 10)
    clock.advance(timedelta(minutes=1))
    sb.receive("BOLT", "WH1/A2", 5)
    return sb


# ---- reservations -------------------------------------------------------------------------


def test_reserve_holds_stock(shop: stockbook.Stockbook) -> None:
    sb = shop
    r = sb.reserve("BOLT", "WH1", "4.5", order="SO-1", line=2, actor="ann")
    assert r.reservation_id == f"RS-{r.first_seq}"
    assert r.to_dict()["reservation_id"] == r.reservation_id
    res = sb.reservation(r.reservation_id)
    assert (res.id, res.sku, res.scope, res.lot, res.hard) == (r.reservation_id, "BOLT", "WH1", None, False)
    assert (res.qty, res.requested, res.committed) == (Decimal("4.50"), Decimal("4.50"), Decimal("0.00"))
    assert (res.order, res.line, res.state) == ("SO-1", 2, "pending")
    assert (res.created_at, res.expires_at) == (NOW, None)
    assert res.to_dict()["state"] == "pending"
    assert repr(res).startswith("Reservation(id='RS-")
    assert sb.reserved("BOLT", "WH1") == Decimal("4.50")
    assert sb.available("BOLT", "WH1") == Decimal("10.50")
    level = sb.stock_level("BOLT", "WH1")
    assert (level.on_hand, level.reserved, level.available) == (Decimal("15.00"), Decimal("4.50"), Decimal("10.50"))
    assert level.to_dict() == {"on_hand": Decimal("15.00"), "reserved": Decimal("4.50"), "available": Decimal("10.50")}
    assert sb.reserved("BOLT", "WH1/A1") == 0  # a soft reservation holds no bin
    event = sb.history("BOLT")[-1]
    assert event.type == "reservation_created"
    assert event.data == res and event.actor == "ann"


def test_reserve_never_more_than_on_hand(shop: stockbook.Stockbook) -> None:
    sb = shop
    sb.reserve("BOLT", "WH1", 12, reservation_id="R1")
    seq = sb.last_seq()
    with pytest.raises(stockbook.InsufficientStock) as err:
        sb.reserve("BOLT", "WH1", 4)
    assert (err.value.sku, err.value.location) == ("BOLT", "WH1")
    assert (err.value.requested, err.value.available) == (Decimal("4.00"), Decimal("3.00"))
    # Reserved stock is not issued to anyone else either.
    with pytest.raises(stockbook.InsufficientStock):
        sb.ship("BOLT", "WH1/A1", 10)
    assert sb.last_seq() == seq
    with pytest.raises(stockbook.AlreadyExists):
        sb.reserve("BOLT", "WH1", 1, reservation_id="R1")


def test_hard_reservations_units_and_lots(sb: stockbook.Stockbook) -> None:
    sb.define_item("MILK", tracking="lot", conversions={"crate": 12})
    sb.define_location("WH1", kind="site")
    sb.define_location("WH1/F", parent="WH1")
    sb.receive("MILK", "WH1/F", 24, lot="L1")
    r = sb.reserve("MILK", "WH1/F", 1, unit="crate", lot="L1", hard=True, reservation_id="H1")
    assert r.reservation_id == "H1"
    held = sb.reservation("H1")
    assert (held.qty, held.lot, held.hard) == (Decimal(12), "L1", True)
    with pytest.raises(stockbook.InvalidArgument) as not_a_bin:
        sb.reserve("MILK", "WH1", 1, lot="L1", hard=True)
    assert not_a_bin.value.field == "scope"
    with pytest.raises(stockbook.Tracking):
        sb.reserve("MILK", "WH1/F", 1, hard=True)


def test_reserve_refuses_bad_arguments(shop: stockbook.Stockbook) -> None:
    sb = shop
    with pytest.raises(TypeError):
        sb.reserve("BOLT", "WH1", 1.5)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        sb.reserve("BOLT", "WH1", 1, ttl=60)  # type: ignore[arg-type]
    with pytest.raises(stockbook.InvalidQuantity):
        sb.reserve("BOLT", "WH1", "0.125")
    with pytest.raises(stockbook.NotFound):
        sb.reserve("BOLT", "WH9", 1)
    with pytest.raises(stockbook.NotFound):
        sb.reserve("NOPE", "WH1", 1)
    assert sb.reservations() == []


def test_reservation_ttl_expires(shop: stockbook.Stockbook, clock: stockbook.ManualClock) -> None:
    sb = shop
    sb.reserve("BOLT", "WH1", 15, reservation_id="T", ttl=timedelta(minutes=30))
    assert sb.reservation("T").expires_at == NOW + timedelta(minutes=30)
    assert sb.available("BOLT", "WH1") == 0
    clock.advance(timedelta(minutes=30))
    # Reads stop counting it at once; the expiry is recorded by the next write.
    assert sb.reservation("T").state == "expired"
    assert sb.available("BOLT", "WH1") == 15
    seq = sb.last_seq()
    sb.expire_due(actor="janitor")
    expired = [e for e in sb.events(from_seq=seq + 1)]
    assert [e.type for e in expired] == ["reservation_expired"]
    assert isinstance(expired[0].data, stockbook.ReservationExpired)
    assert expired[0].data.id == "T"
    assert expired[0].effective_at == NOW + timedelta(minutes=30)
    seq = sb.last_seq()
    sb.expire_due()  # nothing left to expire: nothing written
    assert sb.last_seq() == seq
    with pytest.raises(stockbook.InvalidTransition) as done:
        sb.release_reservation("T")
    assert (done.value.entity, done.value.id, done.value.state) == ("reservation", "T", "expired")


def test_commit_and_release(shop: stockbook.Stockbook) -> None:
    sb = shop
    sb.reserve("BOLT", "WH1", 6, reservation_id="C")
    sb.commit_reservation("C", 2, location="WH1/A2", to="@customer")
    committed = sb.reservation("C")
    # A partial commit releases the rest.
    assert (committed.state, committed.committed, committed.qty) == ("committed", Decimal("2.00"), 0)
    assert sb.on_hand("BOLT", "WH1/A2") == 3
    assert sb.reserved("BOLT", "WH1") == 0
    assert [e.type for e in sb.history("BOLT")[-3:]] == ["reservation_committed", "moved", "reservation_released"]
    commit_event = sb.history("BOLT")[-3].data
    assert isinstance(commit_event, stockbook.ReservationCommitted)
    assert (commit_event.id, commit_event.qty) == ("C", Decimal("2.00"))
    release_event = sb.history("BOLT")[-1].data
    assert isinstance(release_event, stockbook.ReservationReleased)
    assert release_event.qty == 4

    sb.reserve("BOLT", "WH1", 5, reservation_id="R")
    sb.release_reservation("R", "1.5")
    assert sb.reservation("R").qty == Decimal("3.50")
    sb.release_reservation("R")
    assert sb.reservation("R").state == "released"
    with pytest.raises(stockbook.InvalidTransition):
        sb.commit_reservation("R")
    with pytest.raises(stockbook.NotFound) as missing:
        sb.commit_reservation("NOPE")
    assert (missing.value.kind, missing.value.key) == ("reservation", "NOPE")
    with pytest.raises(stockbook.NotFound):
        sb.reservation("NOPE")

    sb.reserve("BOLT", "WH1/A1", 3, reservation_id="W")
    with pytest.raises(stockbook.InvalidArgument):
        sb.commit_reservation("W", location="WH1/A2")  # outside its scope
    sb.commit_reservation(reservation_id="W")
    assert sb.on_hand("BOLT", "WH1/A1") == 7


def test_reservations_filters(shop: stockbook.Stockbook) -> None:
    sb = shop
    sb.reserve("BOLT", "WH1/A1", 1, reservation_id="A", order="SO-1")
    sb.reserve("BOLT", "WH1/A2", 1, reservation_id="B", order="SO-2")
    sb.reserve("BOLT", "WH1", 1, reservation_id="C", order="SO-1")
    sb.release_reservation("C")
    assert [r.id for r in sb.reservations()] == ["A", "B", "C"]
    assert [r.id for r in sb.reservations(order="SO-1")] == ["A", "C"]
    assert [r.id for r in sb.reservations(scope="WH1/A2")] == ["B"]
    assert [r.id for r in sb.reservations(scope="WH1", state="pending")] == ["A", "B"]
    assert [r.id for r in sb.reservations(sku="BOLT", state="released")] == ["C"]
    assert sb.reservations(sku="NUT") == []
    with pytest.raises(stockbook.InvalidArgument) as bad:
        sb.reservations(state="frozen")  # type: ignore[arg-type]
    assert bad.value.field == "state"
    with pytest.raises(stockbook.NotFound):
        sb.reservations(scope="WH9")


def test_availability_in_the_past(shop: stockbook.Stockbook, clock: stockbook.ManualClock) -> None:
    sb = shop
    clock.advance(timedelta(hours=1))
    r = sb.reserve("BOLT", "WH1", 4, reservation_id="P")
    clock.advance(timedelta(hours=1))
    sb.release_reservation("P")
    assert sb.reserved_at("BOLT", "WH1", seq=r.first_seq) == 4
    assert sb.reserved_at("BOLT", "WH1", seq=r.first_seq - 1) == 0
    assert sb.available_at("BOLT", "WH1", seq=r.first_seq) == Decimal("11.00")
    assert sb.available_at("BOLT", "WH1", at=NOW + timedelta(minutes=90)) == 11
    assert sb.reserved_at("BOLT", "WH1", at=NOW + timedelta(hours=3)) == 0
    assert sb.available_at("BOLT", "WH1", at=NOW) == 15
    assert sb.available_at("BOLT", "WH1", at=START) == 10
    for call in (sb.available_at, sb.reserved_at):
        with pytest.raises(TypeError, match="exactly one"):
            call("BOLT", "WH1")
        with pytest.raises(TypeError, match="exactly one"):
            call("BOLT", "WH1", at=START, seq=1)
    with pytest.raises(stockbook.NotFound):
        sb.available_at("BOLT", "WH9", seq=1)


# ---- allocation strategies ----------------------------------------------------------------


def test_plan_allocation_strategies(shop: stockbook.Stockbook) -> None:
    sb = shop
    def split(strategy: Any, qty: Any = 6) -> list[tuple[str, Decimal]]:
        plan = sb.plan_allocation("BOLT", qty, "WH1", strategy=strategy)
        return [(line.location, line.qty) for line in plan.lines]

    assert split(None) == [("WH1/A1", 6)]
    assert split("fifo") == [("WH1/A1", 6)]
    assert split("lifo") == [("WH1/A2", 5), ("WH1/A1", 1)]
    assert split("fewest_locations", 4) == [("WH1/A2", 4)]  # the smallest bin that holds it all
    assert split("fefo") == [("WH1/A1", 6)]
    assert split({"fefo": {"min_remaining_days": 30}}) == [("WH1/A1", 6)]
    assert split({"nearest": {"location": "WH1/A2"}}) == [("WH1/A2", 5), ("WH1/A1", 1)]
    assert split({"ordered": {"locations": ["WH1/A2"]}}) == [("WH1/A2", 5)]
    plan = sb.plan_allocation("BOLT", 20, "WH1")
    assert (plan.sku, plan.requested, plan.short) == ("BOLT", Decimal("20.00"), Decimal("5.00"))
    assert plan.to_dict()["lines"][0] == {"location": "WH1/A1", "lot": None, "qty": Decimal("10.00")}
    assert sb.reservations() == []  # planning reserves nothing

    bad_strategies: list[Any] = [
        "teleport", {"nearest": {}}, {"fefo": {"min_remaining_days": -1}}, 5, {"fifo": {}, "lifo": {}},
    ]
    for bad in bad_strategies:
        with pytest.raises(stockbook.InvalidArgument) as err:
            sb.plan_allocation("BOLT", 1, "WH1", strategy=bad)
        assert err.value.field == "strategy"
    with pytest.raises(TypeError):
        sb.plan_allocation("BOLT", 1.0, "WH1")  # type: ignore[arg-type]


# ---- the order lifecycle ------------------------------------------------------------------


def test_order_lifecycle(shop: stockbook.Stockbook) -> None:
    sb = shop
    sb.define_location("WH1/STAGE", parent="WH1", pickable=False)
    due = START + timedelta(days=2)
    sb.create_order(
        "SO-1",
        "WH1",
        [("BOLT", 3), {"sku": "BOLT", "qty": 1, "unit": "box"}],
        customer="ACME",
        priority=5,
        due_at=due,
        staging="WH1/STAGE",
        key="create-SO-1",
    )
    order = sb.order("SO-1")
    assert (order.id, order.customer, order.priority, order.due_at, order.state) == ("SO-1", "ACME", 5, due, "draft")
    assert (order.ship_from, order.staging, order.ship_to) == ("WH1", "WH1/STAGE", "@customer")
    assert [(l.line, l.sku, l.ordered) for l in order.lines] == [(1, "BOLT", Decimal(3)), (2, "BOLT", Decimal(5))]
    assert order.created_at == NOW and order.created_seq == sb.last_seq()

    sb.confirm_order("SO-1")
    sb.allocate_order("SO-1", strategy="lifo")
    order = sb.order("SO-1")
    assert order.state == "allocated"
    assert [l.allocated for l in order.lines] == [3, 5]
    assert all(len(l.reservations) >= 1 for l in order.lines)
    assert sb.reserved("BOLT", "WH1") == 8

    sb.pick_order("SO-1", 1, "WH1/A2", 3)
    sb.pick_order("SO-1", line=2, location="WH1/A2", qty=2)
    sb.pick_order("SO-1", 2, "WH1/A1", 3)
    order = sb.order("SO-1")
    assert order.state == "picking"
    assert [l.picked for l in order.lines] == [3, 5]
    pick = order.lines[0].picks[0]
    assert (pick.from_, pick.qty, pick.lot) == ("WH1/A2", Decimal(3), None)
    assert pick.to_dict()["from"] == "WH1/A2"
    assert sb.on_hand("BOLT", "WH1/STAGE") == 8

    sb.pack_order("SO-1", [
        {"id": "P1", "contents": [{"line": 1, "qty": 3}]},
        ("P2", [(2, "5")]),
    ])
    order = sb.order("SO-1")
    assert order.state == "packed"
    assert [(p.id, [(c.line, c.qty) for c in p.contents]) for p in order.packages] == [
        ("P1", [(1, Decimal(3))]), ("P2", [(2, Decimal(5))])
    ]
    sb.ship_order("SO-1")
    assert sb.order("SO-1").state == "shipped"
    assert [l.shipped for l in sb.order("SO-1").lines] == [3, 5]
    assert sb.on_hand("BOLT", "WH1") == 7
    assert sb.reserved("BOLT", "WH1") == 0
    sb.deliver_order("SO-1")
    assert sb.order("SO-1").state == "delivered"
    assert sb.verify().is_sound()

    steps = [e.data for e in sb.events() if isinstance(e.data, stockbook.OrderChanged)]
    assert len(steps) == len([e for e in sb.events() if e.type == "order_changed"]) >= 8
    assert [s.step for s in steps][:2] == ["created", "confirmed"]
    assert steps[-1].order == sb.order("SO-1")
    assert steps[0].to_dict()["order"]["id"] == "SO-1"
    assert [o.id for o in sb.orders()] == ["SO-1"]
    assert [o.id for o in sb.orders("delivered")] == ["SO-1"]
    assert sb.orders(state="draft") == []


def test_packages_round_trip_as_objects(shop: stockbook.Stockbook) -> None:
    sb = shop
    sb.create_order("SO-1", "WH1", [("BOLT", 2)])
    sb.confirm_order("SO-1")
    sb.allocate_order("SO-1")
    sb.pick_order("SO-1", 1, "WH1/A1", 2)
    with pytest.raises(stockbook.InvalidArgument):
        sb.pack_order("SO-1", [("P1", [(1, 1)])])  # not everything picked
    sb.pack_order("SO-1", [("P1", [(1, 1)]), ("P2", [{"line": 1, "qty": 1}])])
    packages = sb.order("SO-1").packages
    sb.create_order("SO-2", "WH1", [("BOLT", 2)])
    sb.confirm_order("SO-2")
    sb.allocate_order("SO-2")
    sb.pick_order("SO-2", 1, "WH1/A1", 2)
    sb.pack_order("SO-2", packages)  # Package objects of another order, same shape
    assert sb.order("SO-2").packages == packages


def test_order_invalid_transitions(shop: stockbook.Stockbook) -> None:
    sb = shop
    sb.create_order("SO-1", "WH1", [("BOLT", 1)])
    seq = sb.last_seq()
    for step, call in (
        ("allocate", lambda: sb.allocate_order("SO-1")),
        ("ship", lambda: sb.ship_order("SO-1")),
        ("deliver", lambda: sb.deliver_order("SO-1")),
        ("pick", lambda: sb.pick_order("SO-1", 1, "WH1/A1", 1)),
    ):
        with pytest.raises(stockbook.InvalidTransition) as err:
            call()
        assert (err.value.entity, err.value.id, err.value.state) == ("order", "SO-1", "draft")
        assert err.value.step == step
    assert sb.last_seq() == seq
    sb.confirm_order("SO-1")
    seq = sb.last_seq()
    sb.confirm_order("SO-1")  # a retried step is a no-op
    assert sb.last_seq() == seq
    sb.cancel_order("SO-1")
    with pytest.raises(stockbook.InvalidTransition) as cancelled:
        sb.confirm_order("SO-1")
    assert cancelled.value.state == "cancelled"
    with pytest.raises(stockbook.NotFound):
        sb.confirm_order("SO-9")
    with pytest.raises(stockbook.NotFound):
        sb.order("SO-9")
    with pytest.raises(stockbook.AlreadyExists):
        sb.create_order("SO-1", "WH1", [("BOLT", 1)])


def test_order_arguments_are_checked(shop: stockbook.Stockbook) -> None:
    sb = shop
    one_line: Any = {"sku": "BOLT", "qty": 1}  # a line, not a list of lines
    with pytest.raises(TypeError, match="list"):
        sb.create_order("SO-1", "WH1", one_line)
    with pytest.raises(TypeError, match="needs qty"):
        sb.create_order("SO-1", "WH1", [{"sku": "BOLT"}])
    with pytest.raises(TypeError, match="takes only"):
        sb.create_order("SO-1", "WH1", [{"sku": "BOLT", "qty": 1, "price": 3}])
    with pytest.raises(TypeError, match="at most"):
        sb.create_order("SO-1", "WH1", [("BOLT", 1, "ea", "extra")])  # type: ignore[list-item]
    with pytest.raises(TypeError):
        sb.create_order("SO-1", "WH1", [("BOLT", 1.5)])  # type: ignore[list-item]
    with pytest.raises(TypeError, match="mapping or a tuple"):
        sb.create_order("SO-1", "WH1", ["BOLT"])  # type: ignore[list-item]
    with pytest.raises(stockbook.InvalidQuantity):
        sb.create_order("SO-1", "WH1", [("BOLT", "1.001")])
    with pytest.raises(stockbook.InvalidArgument):
        sb.create_order("SO-1", "WH1", [])
    assert sb.orders() == []
    sb.create_order("SO-1", "WH1", [("BOLT", 1)])
    sb.confirm_order("SO-1")
    sb.allocate_order("SO-1")
    sb.pick_order("SO-1", 1, "WH1/A1", 1)
    with pytest.raises(TypeError, match="needs contents"):
        sb.pack_order("SO-1", [{"id": "P1"}])
    with pytest.raises(TypeError):
        sb.pack_order("SO-1", [("P1", [(1, 1.0)])])  # type: ignore[list-item]
    with pytest.raises(stockbook.InvalidArgument):
        sb.allocate_orders(policy="first_come")  # type: ignore[arg-type]


def test_cancel_with_compensation(shop: stockbook.Stockbook) -> None:
    sb = shop
    sb.define_location("WH1/RET", parent="WH1")
    sb.create_order("SO-1", "WH1", [("BOLT", 4)])
    sb.confirm_order("SO-1")
    sb.allocate_order("SO-1")
    sb.pick_order("SO-1", 1, "WH1/A1", 3)
    sb.cancel_order("SO-1", return_to="WH1/RET", reason="customer changed mind")
    assert sb.order("SO-1").state == "cancelled"
    assert sb.on_hand("BOLT", "WH1/RET") == 3
    assert sb.reserved("BOLT", "WH1") == 0
    assert {r.state for r in sb.reservations(order="SO-1")} <= {"released", "committed"}
    with pytest.raises(stockbook.InvalidTransition):
        sb.ship_order("SO-1")
    sb.create_order("SO-2", "WH1", [("BOLT", 2)])
    sb.confirm_order("SO-2")
    sb.allocate_order("SO-2")
    sb.pick_order("SO-2", 1, "WH1/A1", 2)
    sb.cancel_order("SO-2")  # back to the bin it came from
    assert sb.on_hand("BOLT", "WH1/A1") == 7
    assert sb.verify().is_sound()


def test_shortage_policies_and_backorders(shop: stockbook.Stockbook) -> None:
    sb = shop
    sb.create_order("LOW", "WH1", [("BOLT", 10)], priority=9)
    sb.create_order("HIGH", "WH1", [("BOLT", 10)], priority=1, due_at=START + timedelta(days=1))
    for o in ("LOW", "HIGH"):
        sb.confirm_order(o)
    sb.allocate_orders(["LOW", "HIGH"], policy="priority_due_date", strategy="fifo")
    assert sb.order("HIGH").lines[0].allocated == 10
    assert sb.order("LOW").lines[0].allocated == 5
    backorders = sb.backorders()
    assert [(b.order, b.line, b.sku, b.qty, b.priority) for b in backorders] == [("LOW", 1, "BOLT", Decimal(5), 9)]
    assert backorders[0].due_at is None
    assert backorders[0].to_dict()["qty"] == Decimal("5.00")
    assert sb.backorders(sku="NUT") == []
    sb.receive("BOLT", "WH1/A1", 5)
    sb.fill_backorders("BOLT", strategy={"ordered": {"locations": ["WH1/A1"]}})
    assert sb.order("LOW").lines[0].allocated == 10
    assert sb.backorders() == []

    sb.define_item("NUT")
    sb.receive("NUT", "WH1/A1", 10)
    for o in ("F1", "F2"):
        sb.create_order(o, "WH1", [("NUT", 10)])
        sb.confirm_order(o)
    sb.allocate_orders(policy="fair_share")
    assert [sb.order(o).lines[0].allocated for o in ("F1", "F2")] == [5, 5]
    assert [b.order for b in sb.backorders("NUT")] == ["F1", "F2"]
    sb.fill_backorders()  # nothing arrived: nothing changes
    assert [b.qty for b in sb.backorders("NUT")] == [5, 5]


def test_orders_in_batches_and_idempotency(shop: stockbook.Stockbook) -> None:
    sb = shop
    receipts = sb.execute_batch(
        [
            ("create_order", {"order_id": "SO-1", "ship_from": "WH1", "lines": [("BOLT", 2)]}),
            ("confirm_order", {"order_id": "SO-1"}),
            ("allocate_order", {"order_id": "SO-1", "strategy": {"nearest": {"location": "WH1/A2"}}}),
            ("reserve", {"sku": "BOLT", "scope": "WH1", "qty": 1, "reservation_id": "X"}),
            ("commit_reservation", {"reservation_id": "X", "location": "WH1/A1"}),
        ],
        key="batch-orders",
    )
    assert receipts[3].reservation_id == "X"
    assert sb.order("SO-1").state == "allocated"
    assert sb.reservation("X").state == "committed"
    seq = sb.last_seq()
    with pytest.raises(stockbook.BatchRefused) as refused:
        sb.execute_batch([
            ("reserve", {"sku": "BOLT", "scope": "WH1", "qty": 5}),
            ("reserve", {"sku": "BOLT", "scope": "WH1", "qty": 100}),
        ])
    assert refused.value.index == 1
    assert isinstance(refused.value.source, stockbook.InsufficientStock)
    assert sb.last_seq() == seq

    first = sb.reserve("BOLT", "WH1", 1, key="hold-1")
    assert sb.reserve("BOLT", "WH1", 1, key="hold-1") == first
    with pytest.raises(stockbook.Conflict):
        sb.reserve("BOLT", "WH1", 2, key="hold-1")
    # hold-1 (RS-…) and the order's line (one bin), by id: the retried key made no second
    # reservation.
    assert [(r.order, r.qty) for r in sb.reservations(state="pending")] == [
        (None, Decimal(1)), ("SO-1", Decimal(2))
    ]
