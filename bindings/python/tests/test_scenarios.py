"""Replays every scenario of tests/scenarios/ through the binding's one generic entry point.

Each step (without its `expect`) is handed as JSON text to `stockbook._call_json`, which forwards
it to the core's `call_json`; the runner maps nothing. The rules are those of
tests/scenarios/README.md: a step without `expect` must succeed; `error` names the code
(the exception is the class of that code, `facts` a subset of its facts as text) and a
refused step must leave `last_seq` unchanged; `ok` / `value` match the JSON answer as
subsets (objects), element by element (arrays) or equal (everything else); the book
verifies sound at the end. `advance_clock` / `set_clock` move the scenario's clock.
"""

from __future__ import annotations

import json
import os
from datetime import timedelta
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


def test_the_corpus_is_there() -> None:
    assert FILES, f"no scenarios in {SCENARIOS}"


def call(sb: stockbook.Stockbook, step: dict[str, Any]) -> Any:
    return json.loads(stockbook._call_json(sb, json.dumps(step)))


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


def class_of(code: str) -> type:
    return getattr(stockbook, "".join(part.title() for part in code.split("_")))


def run_step(sb: stockbook.Stockbook, step: dict[str, Any]) -> None:
    expect = step.pop("expect", None) or {}
    seq_before = call(sb, {"op": "last_seq"})
    try:
        result = call(sb, step)
    except stockbook.StockbookError as err:
        if "error" not in expect:
            raise AssertionError(f"unexpected error {err.code}: {err}") from err
        assert err.code == expect["error"], f"expected error {expect['error']}, got {err.code} ({err})"
        if err.code != "io":
            assert isinstance(err, class_of(err.code)), f"{type(err)} for code {err.code}"
        matches(expect.get("facts", {}), err.facts, "facts")
        assert call(sb, {"op": "last_seq"}) == seq_before, "a refused step wrote events"
        return
    assert "error" not in expect, f"expected error {expect['error']}, but it succeeded"
    want = expect.get("ok", expect.get("value"))
    if want is not None:
        matches(want, result)


@pytest.mark.parametrize("path", FILES, ids=[p.stem for p in FILES])
def test_scenario(path: Path) -> None:
    scenario = json.loads(path.read_text())
    clock = stockbook.ManualClock(at_ms(scenario.get("start_ms", DEFAULT_START_MS)))
    with stockbook.in_memory(clock=clock) as sb:
        for i, step in enumerate(scenario["steps"]):
            ms = step.get("args", {}).get("ms", 0)
            try:
                if step["op"] == "advance_clock":
                    clock.advance(timedelta(milliseconds=ms))
                elif step["op"] == "set_clock":
                    clock.set(at_ms(ms))
                else:
                    run_step(sb, step)
            except AssertionError as failure:
                raise AssertionError(f"step {i} ({step['op']}): {failure}") from failure
        assert call(sb, {"op": "verify"})["problems"] == []


def test_call_refusals_are_the_exceptions_of_their_code(sb: stockbook.Stockbook) -> None:
    with pytest.raises(stockbook.InvalidArgument) as refused:
        stockbook._call_json(sb, '{"op": "receive", "args": {"sku": "A", "location": "WH1", "qty": 1.5}}')
    assert refused.value.code == "invalid_argument"
    assert refused.value.facts["field"] == "args.qty"
    with pytest.raises(stockbook.NotFound) as missing:
        stockbook._call_json(sb, '{"op": "transfer", "kind": "query", "args": {"id": "T1"}}')
    assert missing.value.facts == {"kind": "transfer", "key": "T1"}
