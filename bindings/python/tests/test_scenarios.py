"""Replays every scenario of tests/scenarios/ through the Python API.

The same rules as core/tests/scenarios.rs (see tests/scenarios/README.md): a step without
`expect` must succeed; `error` names the code (and `facts`, a subset of the error's facts
as text) and a refused step must leave `last_seq` unchanged; `ok` / `value` match as
subsets (objects), element by element (arrays) or equal (everything else). Every op goes
through the binding's own public methods, with the arguments converted the way a Python
caller would write them (datetimes for instants, a timedelta for `ttl_ms`, `from_` for
`from`); tagged choices (`strategy`, `policy`, `method`, …) are passed in their JSON form,
which is also the Python form. Every scenario must replay: an op this binding does not know
fails the test.
"""

from __future__ import annotations

import json
import os
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

import stockbook
from conftest import at_ms

DEFAULT_START_MS = 1_767_225_600_000
SCENARIOS = Path(
    os.environ.get(
        "STOCKBOOK_SCENARIOS", Path(__file__).resolve().parents[3] / "tests" / "scenarios"
    )
)
FILES = sorted(SCENARIOS.glob("*.json"))

# Arguments that are instants (milliseconds in the scenarios).
INSTANT_ARGS = {
    "expiry", "produced", "first_received", "effective_at", "due_at", "expected_at",
    "ordered_at", "as_of",
}
# Arguments whose Python name differs: instants given as `*_ms`, and `from` (a keyword).
RENAMED = {"from": "from_", "at_ms": "at", "from_ms": "from_", "to_ms": "to"}
INSTANT_RENAMED = {"at_ms", "from_ms", "to_ms"}
# Scenario ops whose Python method has another name.
METHOD_OF = {"transfer": "transfer_stock"}


def test_the_corpus_is_there() -> None:
    assert FILES, f"no scenarios in {SCENARIOS}"


def python_args(args: dict[str, Any]) -> dict[str, Any]:
    """Scenario (JSON) arguments as a Python caller passes them."""
    out: dict[str, Any] = {}
    for name, value in args.items():
        if (name in INSTANT_ARGS or name in INSTANT_RENAMED) and isinstance(value, int):
            value = at_ms(value)
        if name == "ttl_ms":
            name, value = "ttl", timedelta(milliseconds=value)
        out[RENAMED.get(name, name)] = value
    return out


def as_json(value: Any) -> Any:
    """A Python result in the scenarios' JSON shape."""
    if hasattr(value, "to_dict"):
        value = value.to_dict()
    if isinstance(value, dict):
        return {k: as_json(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [as_json(v) for v in value]
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime):
        return (value - datetime(1970, 1, 1, tzinfo=timezone.utc)) // timedelta(milliseconds=1)
    return value


def matches(want: Any, got: Any, path: str = "") -> None:
    if isinstance(want, dict) and isinstance(got, dict):
        for k, w in want.items():
            matches(w, got.get(k), f"{path}.{k}")
    elif isinstance(want, list) and isinstance(got, list):
        assert len(want) == len(got), f"{path}: expected {len(want)} elements, got {got}"
        for i, (w, g) in enumerate(zip(want, got)):
            matches(w, g, f"{path}[{i}]")
    elif isinstance(want, bool) or isinstance(got, bool):
        assert want is got, f"{path}: expected {want!r}, got {got!r}"
    elif isinstance(want, (int, float)) and isinstance(got, (int, float)):
        assert float(want) == float(got), f"{path}: expected {want!r}, got {got!r}"
    else:
        assert want == got, f"{path}: expected {want!r}, got {got!r}"


def perform(
    sb: stockbook.Stockbook,
    clock: stockbook.ManualClock,
    op: str,
    args: dict[str, Any],
    meta: dict[str, Any],
) -> Any:
    if op == "advance_clock":
        clock.advance(timedelta(milliseconds=args.get("ms", 0)))
        return None
    if op == "set_clock":
        clock.set(at_ms(args.get("ms", 0)))
        return None
    if op == "on_hand":
        return sb.on_hand(args["sku"], args["location"], lot=args.get("lot"))
    if op == "transfer" and "id" in args:
        return sb.transfer(args["id"])
    if op == "history":
        return [e.type for e in sb.history(args["sku"])]
    if op == "last_seq":
        return sb.last_seq()
    if op == "batch":
        commands = [
            (METHOD_OF.get(c["op"], c["op"]), python_args(c.get("args", {})))
            for c in args["commands"]
        ]
        return sb.execute_batch(commands, **meta)
    # Every other op, command or query, is the method of the same name (queries take no
    # metadata): `on_hand_at(sku=, location=, at=)`, `reservations(order=, state=)`, …
    method = getattr(sb, METHOD_OF.get(op, op))
    return method(**python_args(args), **meta)


def class_of(code: str) -> type:
    return getattr(stockbook, "".join(part.title() for part in code.split("_")))


def run_step(sb: stockbook.Stockbook, clock: stockbook.ManualClock, step: dict[str, Any]) -> None:
    op = step["op"]
    args = step.get("args", {})
    expect = step.get("expect") or {}
    meta = python_args(step.get("meta", {}))
    seq_before = sb.last_seq()
    try:
        result = perform(sb, clock, op, args, meta)
    except stockbook.StockbookError as err:
        if "error" not in expect:
            raise AssertionError(f"unexpected error {err.code}: {err}") from err
        assert err.code == expect["error"], f"expected error {expect['error']}, got {err.code} ({err})"
        if err.code != "io":
            assert isinstance(err, class_of(err.code)), f"{type(err)} for code {err.code}"
        if "facts" in expect:
            matches(expect["facts"], err.facts, "facts")
        assert sb.last_seq() == seq_before, "a refused step wrote events"
        return
    assert "error" not in expect, f"expected error {expect['error']}, but it succeeded"
    want = expect.get("ok", expect.get("value"))
    if want is not None:
        matches(want, as_json(result))


@pytest.mark.parametrize("path", FILES, ids=[p.stem for p in FILES])
def test_scenario(path: Path) -> None:
    scenario = json.loads(path.read_text())
    clock = stockbook.ManualClock(at_ms(scenario.get("start_ms", DEFAULT_START_MS)))
    with stockbook.in_memory(clock=clock) as sb:
        for i, step in enumerate(scenario["steps"]):
            try:
                run_step(sb, clock, step)
            except AssertionError as failure:
                raise AssertionError(f"step {i} ({step['op']}): {failure}") from failure
        report = sb.verify()
        assert report.is_sound(), report.problems
