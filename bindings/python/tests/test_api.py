"""Every method of the binding, its conversions and its errors."""

from __future__ import annotations

import importlib
import inspect
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path

import pytest

import stockbook
from conftest import START

# ---- opening and closing ----------------------------------------------------------------


def test_open_persists_and_context_manager_closes(tmp_path: Path) -> None:
    path = tmp_path / "stock.redb"
    with stockbook.open(path) as sb:
        assert sb.path == str(path)
        assert repr(sb) == f"Stockbook({str(path)!r})"
        sb.define_item("A")
        sb.define_location("BIN")
        sb.receive("A", "BIN", 5)
    with pytest.raises(stockbook.Closed) as closed:
        sb.last_seq()
    assert closed.value.code == "closed"
    with stockbook.open(str(path)) as again:
        assert again.on_hand("A", "BIN") == Decimal(5)
        assert again.last_seq() == 3


def test_in_memory_has_no_path(sb: stockbook.Stockbook) -> None:
    assert sb.path is None
    assert repr(sb) == "Stockbook(':memory:')"
    assert sb.last_seq() == 0


def test_open_in_a_missing_directory_is_file_not_found(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError) as err:
        stockbook.open(tmp_path / "missing" / "stock.redb")
    assert isinstance(err.value, stockbook.IoNotFound)
    assert isinstance(err.value, stockbook.StockbookError)
    assert isinstance(err.value, OSError)
    assert err.value.code == "io"
    assert err.value.kind == "not_found"
    assert err.value.errno == 2
    assert err.value.path == str(tmp_path / "missing")


def test_open_refuses_a_foreign_file(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_bytes(b"these are not the pages you are looking for" * 100)
    with pytest.raises(stockbook.NotAStockbookFile) as err:
        stockbook.open(path)
    assert err.value.code == "not_a_stockbook_file"
    assert err.value.path == str(path)


def test_open_twice_is_locked(tmp_path: Path) -> None:
    path = tmp_path / "stock.redb"
    with stockbook.open(path):
        with pytest.raises(stockbook.Locked) as err:
            stockbook.open(path)
        assert err.value.code == "locked"


def test_durability_options(tmp_path: Path) -> None:
    path = tmp_path / "bulk.redb"
    with stockbook.open(path, durability="bulk_load") as sb:
        sb.define_item("A")
        sb.sync()
    with stockbook.open(path, durability="immediate") as sb:
        assert [i.sku for i in sb.items()] == ["A"]
    with pytest.raises(stockbook.InvalidArgument) as err:
        stockbook.in_memory(durability="sometimes")  # type: ignore[arg-type]
    assert err.value.field == "durability"


def test_closing_twice_and_using_after_close(sb: stockbook.Stockbook) -> None:
    sb.close()
    sb.close()
    for call in (lambda: sb.item("A"), lambda: sb.define_item("A"), sb.verify, sb.now):
        with pytest.raises(stockbook.Closed):
            call()


# ---- the clock ----------------------------------------------------------------------------


def test_manual_clock_drives_the_engine(sb: stockbook.Stockbook, clock: stockbook.ManualClock) -> None:
    assert clock.now() == START
    assert sb.now() == START
    clock.advance(timedelta(hours=1, microseconds=999))
    assert sb.now() == START + timedelta(hours=1)
    later = datetime(2026, 3, 1, 12, 0, tzinfo=timezone(timedelta(hours=2)))
    clock.set(later)
    assert sb.now() == later
    assert sb.now().tzinfo == timezone.utc
    assert repr(clock) == f"ManualClock({sb.now()!r})"
    sb.define_item("A")
    event = next(iter(sb.events()))
    assert event.recorded_at == later
    assert event.effective_at == later


def test_naive_datetimes_are_refused(clock: stockbook.ManualClock) -> None:
    with pytest.raises(ValueError, match="naive"):
        clock.set(datetime(2026, 1, 1))
    with pytest.raises(ValueError, match="naive"):
        stockbook.ManualClock(datetime(2026, 1, 1))
    with pytest.raises(TypeError):
        clock.set(1_767_225_600_000)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        clock.advance(5)  # type: ignore[arg-type]


# ---- master data --------------------------------------------------------------------------


def test_define_item_with_every_field(sb: stockbook.Stockbook) -> None:
    receipt = sb.define_item(
        "MILK",
        name="Milk 1l",
        unit="l",
        decimals=3,
        tracking="lot",
        shelf_life_days=10,
        conversions={"crate": 12},
        allow_negative=False,
        category="dairy",
        attributes={"brand": "Acme"},
    )
    # Each command answers its own receipt type: a definition writes, nothing more.
    assert isinstance(receipt, stockbook.Written)
    assert (receipt.first_seq, receipt.last_seq) == (1, 1)
    item = sb.item("MILK")
    assert (item.sku, item.name, item.unit, item.decimals) == ("MILK", "Milk 1l", "l", 3)
    assert (item.tracking, item.shelf_life_days, item.category) == ("lot", 10, "dairy")
    assert item.attributes == {"brand": "Acme"}
    assert item.conversions[0].unit == "crate"
    assert item.conversions[0].factor == Decimal(12)
    assert not item.allow_negative and not item.archived
    assert item.to_dict() == {
        "sku": "MILK",
        "name": "Milk 1l",
        "unit": "l",
        "decimals": 3,
        "tracking": "lot",
        "shelf_life_days": 10,
        "conversions": [{"unit": "crate", "factor": Decimal(12)}],
        "allow_negative": False,
        "category": "dairy",
        "attributes": {"brand": "Acme"},
        "archived": False,
        "dimensions": None,
        "weight_g": None,
    }
    assert repr(item).startswith("Item(sku='MILK', name='Milk 1l', unit='l', decimals=3")
    assert item == sb.item("MILK")
    assert item != sb.items()[0].to_dict()


def test_update_item_round_trips_through_to_dict(sb: stockbook.Stockbook) -> None:
    sb.define_item("A", name="Old", conversions=[("box", 6)], category="x")
    sb.update_item(**{**sb.item("A").to_dict(), "name": "New"})
    item = sb.item("A")
    assert item.name == "New"
    assert item.category == "x"
    assert [(c.unit, c.factor) for c in item.conversions] == [("box", Decimal(6))]
    sb.update_item("A", conversions=item.conversions)
    assert sb.item("A").conversions == item.conversions
    assert sb.item("A").name == ""


def test_item_errors(sb: stockbook.Stockbook) -> None:
    sb.define_item("A")
    with pytest.raises(stockbook.AlreadyExists) as exists:
        sb.define_item("A")
    assert (exists.value.kind, exists.value.key) == ("item", "A")
    with pytest.raises(stockbook.InvalidCode) as bad:
        sb.define_item(" A")
    assert bad.value.code == "invalid_code"
    assert bad.value.facts["code"] == " A"
    assert bad.value.kind == "sku"
    with pytest.raises(stockbook.InvalidArgument) as tracking:
        sb.define_item("B", tracking="batch")  # type: ignore[arg-type]
    assert tracking.value.field == "tracking"
    with pytest.raises(stockbook.InvalidArgument) as decimals:
        sb.define_item("B", decimals=7)
    assert decimals.value.field == "decimals"
    with pytest.raises(stockbook.NotFound) as missing:
        sb.item("NOPE")
    assert (missing.value.kind, missing.value.key) == ("item", "NOPE")
    with pytest.raises(stockbook.NotFound):
        sb.update_item("NOPE")


def test_archive_item(stocked: stockbook.Stockbook) -> None:
    sb = stocked
    with pytest.raises(stockbook.NotEmpty) as full:
        sb.archive_item("BOLT")
    assert (full.value.kind, full.value.key) == ("item", "BOLT")
    sb.ship("BOLT", "WH1/A1", "10.50")
    sb.archive_item("BOLT")
    assert sb.item("BOLT").archived
    with pytest.raises(stockbook.Archived) as archived:
        sb.receive("BOLT", "WH1/A1", 1)
    assert (archived.value.kind, archived.value.key) == ("item", "BOLT")
    assert [i.sku for i in sb.items()] == ["BOLT"]


def test_locations(sb: stockbook.Stockbook) -> None:
    sb.define_location("WH1", name="Main", kind="site")
    sb.define_location(
        "WH1/A",
        kind="zone",
        parent="WH1",
        capacity={"units": 100, "weight_kg": "12.5"},
        coordinates=(3, 4),
        pickable=False,
    )
    sb.define_location("WH1/A/1", parent="WH1/A", coordinates={"x": 1, "y": 2, "z": 3})
    zone = sb.location("WH1/A")
    assert (zone.code, zone.kind, zone.parent, zone.pickable, zone.receivable) == (
        "WH1/A", "zone", "WH1", False, True
    )
    assert zone.capacity.units == Decimal(100)
    assert zone.capacity.weight_kg == Decimal("12.5")
    assert zone.capacity.volume_l is None
    assert zone.coordinates is not None and (zone.coordinates.x, zone.coordinates.y, zone.coordinates.z) == (3, 4, 0)
    assert zone.to_dict()["capacity"] == {"units": Decimal(100), "weight_kg": Decimal("12.5"), "volume_l": None}
    assert zone.to_dict()["coordinates"] == {"x": 3, "y": 4, "z": 0}
    assert sb.location("WH1/A/1").coordinates == sb.location("WH1/A/1").coordinates
    assert sb.children("WH1") == ["WH1/A"]
    codes = [loc.code for loc in sb.locations()]
    assert "@supplier" in codes and "WH1/A/1" in codes
    assert sb.location("@customer").kind == "customer"

    sb.update_location(**{**zone.to_dict(), "name": "Zone A"})
    assert sb.location("WH1/A").name == "Zone A"
    assert sb.location("WH1/A").capacity == zone.capacity

    with pytest.raises(stockbook.HierarchyCycle) as cycle:
        sb.update_location("WH1", kind="site", parent="WH1/A/1")
    assert (cycle.value.location, cycle.value.parent) == ("WH1", "WH1/A/1")
    with pytest.raises(stockbook.InvalidArgument):
        sb.archive_location("WH1/A")  # a child is active
    sb.archive_location("WH1/A/1")
    assert sb.location("WH1/A/1").archived
    with pytest.raises(stockbook.InvalidCode):
        sb.archive_location("@supplier")
    with pytest.raises(stockbook.InvalidArgument) as kind:
        sb.define_location("X", kind="shelf")  # type: ignore[arg-type]
    assert kind.value.field == "kind"
    with pytest.raises(TypeError):
        sb.define_location("X", capacity={"height": 3})
    with pytest.raises(stockbook.NotFound):
        sb.children("NOPE")


def test_lots_and_expiry(sb: stockbook.Stockbook, clock: stockbook.ManualClock) -> None:
    sb.define_item("VAX", tracking="lot", shelf_life_days=30)
    sb.define_location("FRIDGE")
    expiry = START + timedelta(days=10)
    sb.define_lot("VAX", "L1", expiry=expiry)
    sb.receive("VAX", "FRIDGE", 5, lot="L1")
    sb.receive("VAX", "FRIDGE", 3, lot="L2", produced=START)
    lot = sb.lot("VAX", "L1")
    assert (lot.sku, lot.lot, lot.expiry, lot.produced) == ("VAX", "L1", expiry, None)
    assert lot.first_received == START
    assert sb.lot("VAX", "L2").expiry == START + timedelta(days=30)
    assert [x.lot for x in sb.lots("VAX")] == ["L1", "L2"]
    assert sb.on_hand("VAX", "FRIDGE", lot="L2") == 3
    with pytest.raises(stockbook.Tracking) as tracking:
        sb.issue("VAX", "FRIDGE", 1)
    assert tracking.value.sku == "VAX"
    clock.advance(timedelta(days=11))
    with pytest.raises(stockbook.LotExpired) as expired:
        sb.issue("VAX", "FRIDGE", 1, lot="L1")
    assert (expired.value.sku, expired.value.lot) == ("VAX", "L1")
    assert expired.value.expiry == expiry
    sb.issue("VAX", "FRIDGE", 1, lot="L1", allow_expired=True)
    assert sb.on_hand("VAX", "FRIDGE") == 7
    with pytest.raises(stockbook.NotFound):
        sb.lot("VAX", "L9")


def test_serials(sb: stockbook.Stockbook) -> None:
    sb.define_item("PHONE", tracking="serial")
    sb.define_location("SHOP")
    sb.receive("PHONE", "SHOP", 3, serials=["S1", "S2", "S3"])
    assert sb.serials_at("PHONE", "SHOP") == ["S1", "S2", "S3"]
    sb.ship("PHONE", "SHOP", 1, serials=["S2"])
    serial = sb.serial("PHONE", "S2")
    assert (serial.sku, serial.serial, serial.location) == ("PHONE", "S2", "@customer")
    assert serial.to_dict() == {"sku": "PHONE", "serial": "S2", "location": "@customer"}
    with pytest.raises(stockbook.Tracking):
        sb.ship("PHONE", "SHOP", 2, serials=["S1"])
    with pytest.raises(TypeError):
        sb.ship("PHONE", "SHOP", 1, serials="S1")  # a str is not a list of serials


# ---- movements ----------------------------------------------------------------------------


def test_receive_ship_issue(stocked: stockbook.Stockbook) -> None:
    sb = stocked
    assert sb.on_hand("BOLT", "WH1/A1") == Decimal("10.50")
    assert str(sb.on_hand("BOLT", "WH1")) == "10.50"
    r = sb.ship("BOLT", "WH1/A1", Decimal("2.25"))
    assert (r.first_seq, r.last_seq) == (6, 6)
    sb.issue("BOLT", "WH1/A1", "0.25")
    assert sb.on_hand("BOLT", "WH1") == Decimal("8.00")
    with pytest.raises(stockbook.InsufficientStock) as err:
        sb.ship("BOLT", "WH1/A1", 9)
    e = err.value
    assert isinstance(e, stockbook.StockbookError)
    assert e.code == "insufficient_stock"
    assert (e.sku, e.location, e.lot) == ("BOLT", "WH1/A1", None)
    assert e.requested == Decimal("9.00") and isinstance(e.requested, Decimal)
    assert e.available == Decimal("8.00")
    assert e.facts == {"sku": "BOLT", "location": "WH1/A1", "requested": "9.00", "available": "8.00"}
    assert str(e) == "insufficient stock of BOLT at WH1/A1: requested 9.00, available 8.00"
    with pytest.raises(stockbook.InvalidQuantity) as digits:
        sb.ship("BOLT", "WH1/A1", "1.125")
    assert digits.value.value == "1.125"
    with pytest.raises(stockbook.InvalidQuantity):
        sb.ship("BOLT", "WH1/A1", 0)
    with pytest.raises(stockbook.InvalidArgument):
        sb.ship("BOLT", "@supplier", 1)
    with pytest.raises(stockbook.NotFound):
        sb.ship("BOLT", "WH9", 1)


def test_receive_with_cost_unit_and_supplier(sb: stockbook.Stockbook) -> None:
    sb.define_item("CAN", conversions={"case": 24})
    sb.define_location("BIN")
    sb.define_location("ACME", kind="supplier")
    r = sb.receive("CAN", "BIN", 2, unit="case", unit_cost="0.35", currency="EUR", from_="ACME")
    assert sb.on_hand("CAN", "BIN") == 48
    move = sb.history("CAN")[-1].data
    assert isinstance(move, stockbook.Movement)
    assert (move.kind, move.from_, move.to, move.qty) == ("receive", "ACME", "BIN", Decimal(48))
    assert (move.unit_cost, move.currency) == (Decimal("0.35"), "EUR")
    assert move.to_dict()["from"] == "ACME"
    assert r.first_seq == r.last_seq == sb.last_seq()
    with pytest.raises(stockbook.NotFound):
        sb.receive("CAN", "BIN", 1, unit="pallet")


def test_adjust_scrap_transfer(stocked: stockbook.Stockbook) -> None:
    sb = stocked
    sb.adjust("BOLT", "WH1/A1", "-0.5", reason_code="damaged")
    sb.adjust("BOLT", "WH1/A1", 2, reason_code="found")
    sb.scrap("BOLT", "WH1/A1", 1, reason_code="rust")
    assert sb.on_hand("BOLT", "WH1/A1") == Decimal("11.00")
    sb.transfer_stock("BOLT", "WH1/A1", "WH1/A2", 4)
    sb.transfer_stock(sku="BOLT", from_="WH1/A2", to="WH1/A1", qty=1)
    assert sb.on_hand("BOLT", "WH1/A2") == 3
    assert sb.on_hand("BOLT", "WH1") == 11
    kinds = [e.data.kind for e in sb.history("BOLT") if isinstance(e.data, stockbook.Movement)]
    assert kinds == ["receive", "adjust", "adjust", "scrap", "transfer", "transfer"]
    reasons = [e.data.reason_code for e in sb.history("BOLT") if isinstance(e.data, stockbook.Movement)]
    assert reasons[1:4] == ["damaged", "found", "rust"]
    with pytest.raises(TypeError):
        sb.adjust("BOLT", "WH1/A1", 1)  # type: ignore[call-arg]  # reason_code is required
    with pytest.raises(stockbook.InsufficientStock):
        sb.transfer_stock("BOLT", "WH1/A2", "WH1/A1", 4)


def test_two_step_transfer(stocked: stockbook.Stockbook) -> None:
    sb = stocked
    r = sb.dispatch_transfer("BOLT", "WH1/A1", "WH1/A2", 6, transfer_id="T1")
    assert r.transfer_id == "T1"
    assert sb.on_hand("BOLT", "@in-transit") == 6
    t = sb.transfer("T1")
    assert (t.id, t.sku, t.from_, t.to, t.dispatched, t.received, t.lot) == (
        "T1", "BOLT", "WH1/A1", "WH1/A2", Decimal(6), Decimal(0), None
    )
    assert t.to_dict()["from"] == "WH1/A1"
    sb.receive_transfer("T1", 4)
    sb.receive_transfer(transfer_id="T1", qty=2)
    assert sb.transfer("T1").received == 6
    assert sb.on_hand("BOLT", "WH1/A2") == 6
    with pytest.raises(stockbook.InvalidTransition) as done:
        sb.receive_transfer("T1", 1)
    e = done.value
    assert (e.entity, e.id, e.state, e.step) == ("transfer", "T1", "received", "receive")
    generated = sb.dispatch_transfer("BOLT", "WH1/A1", "WH1/A2", 1)
    assert generated.transfer_id == f"TR-{generated.first_seq}"
    types = [e.type for e in sb.events(from_seq=r.first_seq)]
    assert types[:2] == ["transfer_dispatched", "moved"]
    received = [e.data for e in sb.events() if e.type == "transfer_received"]
    assert isinstance(received[0], stockbook.TransferReceived)
    assert (received[0].id, received[0].qty) == ("T1", Decimal(4))
    with pytest.raises(stockbook.NotFound):
        sb.transfer("T9")


def test_count_posts_the_difference(stocked: stockbook.Stockbook) -> None:
    sb = stocked
    r = sb.count("BOLT", "WH1/A1", "9.75")
    assert r.difference == Decimal("-0.75")
    assert sb.on_hand("BOLT", "WH1/A1") == Decimal("9.75")
    counted = [e.data for e in sb.history("BOLT") if e.type == "counted"][0]
    assert isinstance(counted, stockbook.CountRecord)
    assert (counted.counted, counted.expected) == (Decimal("9.75"), Decimal("10.50"))
    assert sb.count("BOLT", "WH1/A1", "9.75").difference == 0
    with pytest.raises(stockbook.InvalidQuantity):
        sb.count("BOLT", "WH1/A1", -1)


# ---- quantities ---------------------------------------------------------------------------


def test_quantity_inputs(stocked: stockbook.Stockbook) -> None:
    sb = stocked
    for qty in (1, "1", "1.00", Decimal("1"), Decimal("1.000"), Decimal("1E+0")):
        sb.receive("BOLT", "WH1/A2", qty)
    assert sb.on_hand("BOLT", "WH1/A2") == 6
    sb.receive("BOLT", "WH1/A2", Decimal("1E+1"))
    assert sb.on_hand("BOLT", "WH1/A2") == 16
    for bad in (1.0, True, None, [1], b"1"):
        with pytest.raises(TypeError):
            sb.receive("BOLT", "WH1/A2", bad)  # type: ignore[arg-type]
    # Text that is no decimal is refused by the contract's reading, naming the argument.
    for bad_text in ("1,5", "abc", "", "1e3", "NaN"):
        with pytest.raises(stockbook.InvalidArgument) as malformed:
            sb.receive("BOLT", "WH1/A2", bad_text)
        assert malformed.value.field == "qty"
    for special in (Decimal("NaN"), Decimal("Infinity")):
        with pytest.raises(stockbook.InvalidArgument) as infinite:
            sb.receive("BOLT", "WH1/A2", special)
        assert infinite.value.field == "qty"
    with pytest.raises(stockbook.InvalidArgument) as overflow:
        sb.receive("BOLT", "WH1/A2", 10**30)
    assert overflow.value.field == "qty"
    assert sb.last_seq() == 12


def test_quantities_come_back_as_decimal_at_the_item_precision(stocked: stockbook.Stockbook) -> None:
    sb = stocked
    for value in (
        sb.on_hand("BOLT", "WH1"),
        sb.item_total("BOLT"),
        sb.balances()[0].on_hand,
        sb.on_hand_at("BOLT", "WH1", seq=5),
    ):
        assert isinstance(value, Decimal)
        assert str(value) == "10.50"


# ---- queries ------------------------------------------------------------------------------


def test_balances_and_totals(stocked: stockbook.Stockbook) -> None:
    sb = stocked
    sb.define_item("NUT")
    sb.receive("NUT", "WH1/A2", 7)
    physical = sb.balances()
    assert [(b.sku, b.location, b.lot, b.on_hand) for b in physical] == [
        ("BOLT", "WH1/A1", None, Decimal("10.50")),
        ("NUT", "WH1/A2", None, Decimal(7)),
    ]
    assert [b.sku for b in sb.balances(sku="NUT", include_virtual=True)] == ["NUT", "NUT"]
    assert [b.location for b in sb.balances(location="WH1/A1")] == ["WH1/A1"]
    assert sb.balances(sku="NUT", location="WH1/A1") == []
    assert physical[0].to_dict() == {"sku": "BOLT", "location": "WH1/A1", "lot": None, "on_hand": Decimal("10.50")}
    assert sb.item_total("NUT") == 7
    with pytest.raises(stockbook.NotFound):
        sb.balances(location="NOPE")
    with pytest.raises(stockbook.NotFound):
        sb.item_total("NOPE")
    with pytest.raises(stockbook.NotFound):
        sb.on_hand("BOLT", "NOPE")


def test_on_hand_at_time_and_seq(sb: stockbook.Stockbook, clock: stockbook.ManualClock) -> None:
    sb.define_item("A")
    sb.define_location("BIN")
    sb.receive("A", "BIN", 10)  # seq 3 at START
    clock.advance(timedelta(hours=2))
    sb.ship("A", "BIN", 4)  # seq 4 at START + 2h
    sb.receive("A", "BIN", 1, effective_at=START + timedelta(hours=1))  # backdated, seq 5
    assert sb.on_hand_at("A", "BIN", seq=3) == 10
    assert sb.on_hand_at("A", "BIN", seq=4) == 6
    assert sb.on_hand_at("A", "BIN", at=START) == 10
    assert sb.on_hand_at("A", "BIN", at=START + timedelta(hours=1)) == 11
    assert sb.on_hand_at("A", "BIN", at=START - timedelta(seconds=1)) == 0
    assert sb.on_hand_at("A", "BIN", at=START + timedelta(hours=3)) == 7
    with pytest.raises(TypeError):
        sb.on_hand_at("A", "BIN")
    with pytest.raises(TypeError):
        sb.on_hand_at("A", "BIN", at=START, seq=3)
    with pytest.raises(ValueError):
        sb.on_hand_at("A", "BIN", at=datetime(2026, 1, 1))
    with pytest.raises(stockbook.InvalidArgument) as future:
        sb.receive("A", "BIN", 1, effective_at=START + timedelta(days=30))
    assert future.value.field == "effective_at"


def test_events_iterate_lazily_in_pages(sb: stockbook.Stockbook) -> None:
    sb.define_item("A")
    sb.define_location("BIN")
    commands = [("receive", {"sku": "A", "location": "BIN", "qty": 1})] * 2500
    sb.execute_batch(commands)
    it = sb.events()
    assert isinstance(it, stockbook.EventIterator)
    assert iter(it) is it
    first = next(it)
    assert (first.seq, first.type) == (1, "item_defined")
    assert isinstance(first.data, stockbook.Item)
    seqs = [first.seq] + [e.seq for e in it]
    assert seqs == list(range(1, 2503))
    with pytest.raises(StopIteration):
        next(it)
    assert [e.seq for e in sb.events(from_seq=2500)] == [2500, 2501, 2502]
    assert list(sb.events(from_seq=9999)) == []
    event = sb.events(from_seq=3).__next__()
    d = event.to_dict()
    assert d["type"] == "moved" and d["seq"] == 3 and d["data"]["qty"] == Decimal(1)
    assert d["recorded_at"] == START
    assert repr(event).startswith("Envelope(seq=3, recorded_at=datetime.datetime(2026, 1, 1, 0, 0")


def test_history_pages(stocked: stockbook.Stockbook) -> None:
    sb = stocked
    sb.ship("BOLT", "WH1/A1", 1)
    sb.ship("BOLT", "WH1/A1", 1)
    assert [e.type for e in sb.history("BOLT")] == ["item_defined", "moved", "moved", "moved"]
    assert [e.seq for e in sb.history("BOLT", from_seq=5)] == [5, 6, 7]
    assert [e.seq for e in sb.history("BOLT", from_seq=5, limit=2)] == [5, 6]
    with pytest.raises(stockbook.NotFound):
        sb.history("NOPE")


def test_verify(stocked: stockbook.Stockbook) -> None:
    report = stocked.verify()
    assert report.is_sound()
    assert (report.events, report.problems) == (5, ())
    assert report.index_rows >= 1
    assert report.to_dict() == {"events": 5, "index_rows": report.index_rows, "problems": []}


# ---- metadata and idempotency -------------------------------------------------------------


def test_meta_is_recorded(stocked: stockbook.Stockbook) -> None:
    sb = stocked
    when = START - timedelta(days=1)
    sb.ship("BOLT", "WH1/A1", 1, actor="ann", key="k-1", correlation="SO-9", reason="rush", effective_at=when)
    event = sb.history("BOLT")[-1]
    assert (event.actor, event.key, event.correlation, event.reason) == ("ann", "k-1", "SO-9", "rush")
    assert event.effective_at == when
    assert event.recorded_at == START
    with pytest.raises(stockbook.InvalidCode):
        sb.ship("BOLT", "WH1/A1", 1, actor="")


def test_idempotency_key(stocked: stockbook.Stockbook) -> None:
    sb = stocked
    first = sb.ship("BOLT", "WH1/A1", 1, key="ship-1")
    seq = sb.last_seq()
    again = sb.ship("BOLT", "WH1/A1", 1, key="ship-1")
    assert again == first
    assert sb.last_seq() == seq
    assert sb.on_hand("BOLT", "WH1/A1") == Decimal("9.50")
    with pytest.raises(stockbook.Conflict) as conflict:
        sb.ship("BOLT", "WH1/A1", 2, key="ship-1")
    assert conflict.value.key == "ship-1"
    # A refusal is remembered too: a retry never turns it into a success.
    with pytest.raises(stockbook.InsufficientStock):
        sb.ship("BOLT", "WH1/A1", 20, key="ship-2")
    sb.receive("BOLT", "WH1/A1", 100)
    with pytest.raises(stockbook.InsufficientStock):
        sb.ship("BOLT", "WH1/A1", 20, key="ship-2")


# ---- batches ------------------------------------------------------------------------------


def test_execute_batch(stocked: stockbook.Stockbook) -> None:
    sb = stocked
    receipts = sb.execute_batch(
        [
            ("receive", {"sku": "BOLT", "location": "WH1/A2", "qty": 5}),
            ("transfer_stock", {"sku": "BOLT", "from_": "WH1/A2", "to": "WH1/A1", "qty": "2"}),
            ("dispatch_transfer", {"sku": "BOLT", "from_": "WH1/A1", "to": "WH1/A2", "qty": 1, "transfer_id": "T7"}),
            ("count", {"sku": "BOLT", "location": "WH1/A2", "counted": 3}),
        ],
        key="batch-1",
        actor="importer",
    )
    assert [r.first_seq for r in receipts] == [6, 7, 8, 10]
    assert receipts[2].transfer_id == "T7"
    assert receipts[3].difference == 0
    assert all(e.actor == "importer" for e in sb.events(from_seq=6))
    assert sb.execute_batch([], key="empty") == []


def test_execute_batch_is_all_or_nothing(stocked: stockbook.Stockbook) -> None:
    sb = stocked
    seq = sb.last_seq()
    with pytest.raises(stockbook.BatchRefused) as err:
        sb.execute_batch(
            [
                ("ship", {"sku": "BOLT", "location": "WH1/A1", "qty": 5}),
                ("ship", {"sku": "BOLT", "location": "WH1/A1", "qty": 6}),
            ]
        )
    e = err.value
    assert e.code == "batch_refused"
    assert e.index == 1
    assert isinstance(e.source, stockbook.InsufficientStock)
    assert e.source.available == Decimal("5.50")
    assert e.__cause__ is e.source
    assert e.facts["index"] == "1"
    assert sb.last_seq() == seq
    assert sb.on_hand("BOLT", "WH1/A1") == Decimal("10.50")


def test_execute_batch_refuses_what_is_not_a_command(stocked: stockbook.Stockbook) -> None:
    sb = stocked
    with pytest.raises(ValueError, match="unknown command"):
        sb.execute_batch([("teleport", {})])
    with pytest.raises(ValueError, match="unknown command"):
        sb.execute_batch([("__init__", {})])
    with pytest.raises(ValueError, match="only commands"):
        sb.execute_batch([("on_hand", {"sku": "BOLT", "location": "WH1"})])
    with pytest.raises(ValueError, match="only commands"):
        sb.execute_batch([("close", {})])
    with pytest.raises(TypeError, match="belong to execute_batch"):
        sb.execute_batch([("ship", {"sku": "BOLT", "location": "WH1/A1", "qty": 1, "key": "k"})])
    with pytest.raises(TypeError, match="pair"):
        sb.execute_batch(["ship"])  # type: ignore[list-item]
    with pytest.raises(TypeError, match="mapping"):
        sb.execute_batch([("ship", ["BOLT"])])  # type: ignore[list-item]
    with pytest.raises(TypeError):
        sb.execute_batch([("ship", {"sku": "BOLT"})])
    assert sb.last_seq() == 5
    assert sb.on_hand("BOLT", "WH1") == Decimal("10.50")


# ---- errors -------------------------------------------------------------------------------

CODES = {
    "InsufficientStock": "insufficient_stock",
    "NotFound": "not_found",
    "AlreadyExists": "already_exists",
    "Archived": "archived",
    "NotEmpty": "not_empty",
    "InvalidCode": "invalid_code",
    "InvalidQuantity": "invalid_quantity",
    "InvalidArgument": "invalid_argument",
    "InvalidParameter": "invalid_parameter",
    "HierarchyCycle": "hierarchy_cycle",
    "Tracking": "tracking",
    "LotExpired": "lot_expired",
    "Conflict": "conflict",
    "InvalidTransition": "invalid_transition",
    "BatchRefused": "batch_refused",
    "Locked": "locked",
    "NotAStockbookFile": "not_a_stockbook_file",
    "UnsupportedFormat": "unsupported_format",
    "Storage": "storage",
    "Closed": "closed",
    "Internal": "internal",
    "InvariantViolated": "invariant_violated",
    "LimitExceeded": "limit_exceeded",
    "KeyExpired": "key_expired",
}


def test_one_exception_class_per_code() -> None:
    _stockbook = importlib.import_module("stockbook._stockbook")

    for name, code in CODES.items():
        cls = getattr(stockbook, name)
        assert _stockbook._error_class(code) is cls
        assert issubclass(cls, stockbook.StockbookError), name
        assert cls.__module__ == "stockbook"
        assert cls.__doc__
    assert issubclass(stockbook.StockbookError, Exception)
    # A code this build does not know yet (a newer core) raises the base class.
    assert _stockbook._error_class("some_future_code") is stockbook.StockbookError
    assert issubclass(stockbook.IoNotFound, FileNotFoundError)
    assert issubclass(stockbook.IoPermissionDenied, PermissionError)
    assert issubclass(stockbook.Io, OSError) and issubclass(stockbook.Io, stockbook.StockbookError)


# ---- the module ---------------------------------------------------------------------------


def test_every_public_callable_has_a_docstring() -> None:
    names = [n for n in dir(stockbook.Stockbook) if not n.startswith("_")]
    assert len(names) >= 74
    for name in names:
        assert getattr(stockbook.Stockbook, name).__doc__, name
    # Module functions (open, in_memory, forecast, eoq, …), result classes and exceptions.
    for name in stockbook.__all__:
        value = getattr(stockbook, name)
        if callable(value):
            assert value.__doc__, name
    for cls in (stockbook.Order, stockbook.PlanRow, stockbook.Forecast):
        # A record's fields are slots, documented in `__slots__` (Python < 3.12 does not
        # give a slot's member descriptor its doc); its methods carry their own.
        slots: dict[str, str] = getattr(cls, "__slots__")
        for attr in (a for a in dir(cls) if not a.startswith("_")):
            assert slots.get(attr) or getattr(cls, attr).__doc__, f"{cls.__name__}.{attr}"
    assert "fewest_locations" in (stockbook.Stockbook.allocate_order.__doc__ or "")
    assert "croston_sba" in (stockbook.forecast.__doc__ or "")
    assert "supplier" in (stockbook.Stockbook.receive.__doc__ or "")
    assert inspect.signature(stockbook.Stockbook.receive).parameters["qty"].kind is inspect.Parameter.POSITIONAL_OR_KEYWORD
    assert stockbook.FORMAT_VERSION >= 1
    assert set(stockbook.__all__) <= set(dir(stockbook))
