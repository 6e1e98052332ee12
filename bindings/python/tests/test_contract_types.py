"""The generated contract types (`stockbook.contract`) type real calls.

mypy checks this file (with --warn-unused-ignores): the calls built by their op must
type-check, and every line marked `# type: ignore[...]` must be one mypy refuses, or the
ignore is unused and mypy fails. The calls then run through the generic entry point.
"""

import json

import stockbook
from stockbook.contract import (
    AnswerOnHand,
    Command,
    CommandReceive,
    Query,
    QueryOnHand,
    Receipt,
    Receive,
)


def test_typed_calls_run_through_the_generic_entry_point(sb: stockbook.Stockbook) -> None:
    define: Command = {"op": "define_item", "args": {"sku": "A", "decimals": 2}}
    place: Command = {"op": "define_location", "args": {"code": "BIN"}}
    args: Receive = {"sku": "A", "location": "BIN", "qty": "10.5", "lot": None}
    receive: CommandReceive = {"op": "receive", "args": args}
    for call in (define, place, receive):
        stockbook._call_json(sb, json.dumps(call))
    again: Command = {"op": "receive", "args": {"sku": "A", "location": "BIN", "qty": 2}}
    receipt: Receipt = json.loads(stockbook._call_json(sb, json.dumps(again)))
    assert receipt["first_seq"] == receipt["last_seq"] == 4
    on_hand: QueryOnHand = {"op": "on_hand", "args": {"sku": "A", "location": "BIN"}}
    query: Query = on_hand
    answer: AnswerOnHand = {"op": "on_hand", "value": json.loads(stockbook._call_json(sb, json.dumps(query)))}
    assert answer["value"] == "12.50"


def test_the_types_refuse_what_the_engine_refuses(sb: stockbook.Stockbook) -> None:
    unknown: Receive = {"sku": "A", "location": "BIN", "qty": 1, "colour": "red"}  # type: ignore[typeddict-unknown-key]
    missing: Receive = {"sku": "A", "qty": 1}  # type: ignore[typeddict-item]
    crossed: QueryOnHand = {"op": "on_hand", "args": {"id": "TR-1"}}  # type: ignore[typeddict-item, typeddict-unknown-key]
    bad_qty: Receive = {"sku": "A", "location": "BIN", "qty": [1]}  # type: ignore[typeddict-item]
    wrong_op: CommandReceive = {"op": "issue", "args": unknown}  # type: ignore[typeddict-item]
    # The engine refuses the same shapes, naming the field.
    for call, field in (
        ({"op": "receive", "args": unknown}, "args.colour"),
        ({"op": "receive", "args": missing}, "args.location"),
        (crossed, "args.id"),
        # Python's typing takes a bool for a number; the engine does not.
        ({"op": "receive", "args": {"sku": "A", "location": "BIN", "qty": True}}, "args.qty"),
    ):
        try:
            stockbook._call_json(sb, json.dumps(call))
        except stockbook.InvalidArgument as err:
            assert err.field == field, err
        else:
            raise AssertionError(f"{call} was accepted")
    assert bad_qty["qty"] == [1] and wrong_op["op"] == "issue"
