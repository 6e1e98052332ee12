#!/usr/bin/env python3
"""A day of an ERP integration against Stockbook.

Loads items, locations and opening stock from CSV, fulfils a day of sales orders, posts a
cycle count and prints a low-stock report. Every write carries an idempotency key, so
running the script again against the same file writes nothing twice:

    python examples/python/erp_sync.py                  # a fresh file in a temp dir
    python examples/python/erp_sync.py --db stock.redb  # run it twice: same result

Until reservations land, an order line is fulfilled by checking on hand and shipping
directly (one atomic batch per line, picking across bins). `fulfil_line` is the one place
to change for reserve → pick → ship.
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


def load_opening_stock(sb: stockbook.Stockbook, as_of: datetime) -> None:
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


def fulfil_line(sb: stockbook.Stockbook, order: str, line: str, sku: str, qty: Decimal) -> str:
    """Ships one order line from the bins that hold it; all or nothing."""
    # On hand per bin, fullest first (reservations will replace this check).
    bins = sorted(sb.balances(sku=sku), key=lambda b: b.on_hand, reverse=True)
    if sum((b.on_hand for b in bins), Decimal(0)) < qty:
        return "backordered"
    picks, left = [], qty
    for b in bins:
        take = min(b.on_hand, left)
        if take > 0:
            picks.append(("ship", {"sku": sku, "location": b.location, "qty": take}))
            left -= take
    try:
        sb.execute_batch(picks, key=f"ship/{order}/{line}", actor=ACTOR, correlation=order)
    except stockbook.BatchRefused as refused:
        # Someone else took the stock between the check and the ship.
        return f"refused ({refused.source.code})"
    except stockbook.Conflict:
        # This line was shipped by an earlier run, from other bins than today's plan.
        return "already shipped"
    return "shipped from " + ", ".join(str(p[1]["location"]) for p in picks)


def process_orders(sb: stockbook.Stockbook) -> dict[str, list[str]]:
    outcome: dict[str, list[str]] = defaultdict(list)
    for r in rows("sales_orders.csv"):
        result = fulfil_line(sb, r["order_id"], r["line"], r["sku"], Decimal(r["qty"]))
        outcome[r["order_id"]].append(f"  line {r['line']}: {r['qty']:>7} {r['sku']:<14} {result}")
    return outcome


def cycle_count(sb: stockbook.Stockbook) -> None:
    receipt = sb.count("BOLT-M8", "WH1/A/02", 68, key="count/2026-01-02/BOLT-M8/WH1/A/02", actor="ann")
    print(f"cycle count BOLT-M8 @ WH1/A/02: counted 68, difference {receipt.difference}")


def low_stock_report(sb: stockbook.Stockbook) -> None:
    print("\nlow stock (on hand below reorder point):")
    print(f"  {'sku':<14} {'on hand':>9} {'reorder':>8}")
    for item in sb.items():
        reorder = Decimal(item.attributes.get("reorder_point", "0"))
        total = sb.item_total(item.sku)
        if total < reorder:
            print(f"  {item.sku:<14} {total:>9} {reorder:>8}  {item.unit}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, help="the Stockbook file (default: a temporary one)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = args.db or Path(tmp) / "erp.redb"
        with stockbook.open(path) as sb:
            before = sb.last_seq()
            load_master_data(sb)
            load_opening_stock(sb, as_of=datetime(2026, 1, 1, tzinfo=timezone.utc))
            print(f"loaded {len(sb.items())} items, opening stock at {len(sb.balances())} bins")
            for order, lines in process_orders(sb).items():
                print(order)
                print("\n".join(lines))
            cycle_count(sb)
            low_stock_report(sb)
            report = sb.verify()
            print(f"\n{sb.last_seq() - before} new events (log at {sb.last_seq()}); "
                  f"verify: {'sound' if report.is_sound() else report.problems}")


if __name__ == "__main__":
    main()
