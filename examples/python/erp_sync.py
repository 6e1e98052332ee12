#!/usr/bin/env python3
"""A day of an ERP integration against Stockbook.

Loads items, locations and opening stock from CSV, fulfils a day of sales orders through
the order lifecycle (create → confirm → allocate, which reserves stock in bins → pick →
pack → ship), posts a cycle count and prints a low-stock report and the backorders. Every
write carries an idempotency key, so running the script again against the same file
writes nothing twice:

    python examples/python/erp_sync.py                  # a fresh file in a temp dir
    python examples/python/erp_sync.py --db stock.redb  # run it twice: same result
"""

from __future__ import annotations

import argparse
import csv
import tempfile
from collections import defaultdict
from datetime import datetime, timezone
from decimal import Decimal
from pathlib import Path
from typing import Iterator

import stockbook

HERE = Path(__file__).resolve().parent
ACTOR = "erp-sync"
SITE = "WH1"
# Orders in these states have nothing left to pick, pack or ship today.
DONE = {"shipped", "backordered", "delivered", "cancelled"}


def rows(name: str) -> Iterator[dict[str, str]]:
    with open(HERE / name, newline="") as f:
        yield from csv.DictReader(f)


def load_master_data(sb: stockbook.Stockbook) -> None:
    for r in rows("items.csv"):
        sb.define_item(
            r["sku"],
            name=r["name"],
            unit=r["unit"],
            decimals=int(r["decimals"]),
            category=r["category"],
            attributes={"reorder_point": r["reorder_point"]},
            key=f"item/{r['sku']}",
            actor=ACTOR,
        )
    for r in rows("locations.csv"):
        sb.define_location(
            r["code"],
            name=r["name"],
            kind=r["kind"],  # type: ignore[arg-type]
            parent=r["parent"] or None,
            key=f"location/{r['code']}",
            actor=ACTOR,
        )


def load_opening_stock(sb: stockbook.Stockbook, as_of: datetime) -> int:
    loaded = 0
    for r in rows("opening_stock.csv"):
        sb.receive(
            r["sku"],
            r["location"],
            r["qty"],  # decimal text straight from the file: exact, never a float
            key=f"opening/{r['sku']}/{r['location']}",
            actor=ACTOR,
            reason="opening balance",
            effective_at=as_of,
        )
        loaded += 1
    return loaded


def fulfil_order(
    sb: stockbook.Stockbook, order_id: str, customer: str, lines: list[tuple[str, str]]
) -> list[str]:
    """Runs one order through its lifecycle; returns what happened, line by line.

    Each step has its own idempotency key: on a second run the same key returns the first
    outcome and writes nothing, and an order already shipped has nothing left to pick.
    """

    def key(step: str) -> str:
        return f"{step}/{order_id}"

    sb.create_order(order_id, SITE, lines, customer=customer,
                    key=key("create"), actor=ACTOR, correlation=order_id)
    sb.confirm_order(order_id, key=key("confirm"), actor=ACTOR, correlation=order_id)
    # Allocation reserves stock in bins (fewest bins first); what is missing is backordered.
    sb.allocate_order(order_id, strategy="fewest_locations",
                      key=key("allocate"), actor=ACTOR, correlation=order_id)
    order = sb.order(order_id)
    picked_from: dict[int, list[str]] = defaultdict(list)
    if order.state not in DONE:
        for line in order.lines:
            for reservation_id in line.reservations:
                held = sb.reservation(reservation_id)  # hard: one bin (and lot)
                sb.pick_order(order_id, line.line, held.scope, held.qty, lot=held.lot,
                              key=key(f"pick/{reservation_id}"), actor=ACTOR, correlation=order_id)
                picked_from[line.line].append(f"{held.qty} from {held.scope}")
        picked = [(line.line, line.picked) for line in sb.order(order_id).lines if line.picked > 0]
        if picked:
            sb.pack_order(order_id, [(f"{order_id}-P1", picked)],
                          key=key("pack"), actor=ACTOR, correlation=order_id)
            sb.ship_order(order_id, key=key("ship"), actor=ACTOR, correlation=order_id)
    order = sb.order(order_id)
    out = [f"{order_id} ({customer}): {order.state}"]
    for line in order.lines:
        if not line.shipped:
            done = "nothing"
        else:
            done = ", ".join(picked_from[line.line]) or "in an earlier run"
        short = f", backordered {line.backordered}" if line.backordered else ""
        out.append(f"  line {line.line}: {line.ordered:>7} {line.sku:<14} "
                   f"shipped {line.shipped} ({done}){short}")
    return out


def process_orders(sb: stockbook.Stockbook) -> list[str]:
    orders: dict[str, tuple[str, list[tuple[str, str]]]] = {}
    for r in rows("sales_orders.csv"):
        customer, lines = orders.setdefault(r["order_id"], (r["customer"], []))
        lines.append((r["sku"], r["qty"]))
    report: list[str] = []
    for order_id, (customer, lines) in orders.items():
        report += fulfil_order(sb, order_id, customer, lines)
    return report


def cycle_count(sb: stockbook.Stockbook) -> None:
    receipt = sb.count("BOLT-M8", "WH1/A/02", 68, key="count/2026-01-02/BOLT-M8/WH1/A/02", actor="ann")
    print(f"cycle count BOLT-M8 @ WH1/A/02: counted 68, difference {receipt.difference}")


def low_stock_report(sb: stockbook.Stockbook) -> None:
    print("\nlow stock (available below reorder point):")
    print(f"  {'sku':<14} {'on hand':>9} {'reserved':>9} {'available':>9} {'reorder':>8}")
    for item in sb.items():
        reorder = Decimal(item.attributes.get("reorder_point", "0"))
        level = sb.stock_level(item.sku, SITE)
        if level.available < reorder:
            print(f"  {item.sku:<14} {level.on_hand:>9} {level.reserved:>9} {level.available:>9} "
                  f"{reorder:>8}  {item.unit}")
    backorders = sb.backorders()
    print("\nbackorders (served first when stock arrives):")
    for b in backorders:
        print(f"  {b.order} line {b.line}: {b.qty} {b.sku}")
    if not backorders:
        print("  none")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, help="the Stockbook file (default: a temporary one)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = args.db or Path(tmp) / "erp.redb"
        with stockbook.open(path) as sb:
            before = sb.last_seq()
            load_master_data(sb)
            bins = load_opening_stock(sb, as_of=datetime(2026, 1, 1, tzinfo=timezone.utc))
            print(f"loaded {len(sb.items())} items, opening stock at {bins} bins")
            print("\n".join(process_orders(sb)))
            cycle_count(sb)
            low_stock_report(sb)
            report = sb.verify()
            print(f"\n{sb.last_seq() - before} new events (log at {sb.last_seq()}); "
                  f"verify: {'sound' if report.is_sound() else report.problems}")


if __name__ == "__main__":
    main()
