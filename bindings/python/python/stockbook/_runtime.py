"""The conversions of the Python surface, written once for every method (hand-written).

The generated surface (``_surface.py``) calls these for each field by its type in the
contract: quantities (exact: ``int``, ``str`` or ``Decimal`` in, never ``float``;
``Decimal`` out), instants (timezone-aware ``datetime`` in, a naive one refused; aware UTC
``datetime`` out, to the millisecond), durations (``timedelta``, whole milliseconds),
records (a mapping of the fields, a tuple of them in order, or the record itself in;
frozen, hashable dataclasses out) and maps (read-only, hashable dicts out).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from typing import Any, Callable, ClassVar, Dict, List, NoReturn, Optional, Tuple, TypeVar, Union

from ._stockbook import Stockbook as _Handle
from ._stockbook import InvalidArgument as InvalidArgument
from ._stockbook import StockbookError as StockbookError
from ._stockbook import _call, _error, _invalid_argument

EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)
_ONE_MS = timedelta(milliseconds=1)
_I64 = (-(2**63), 2**63 - 1)

#: A quantity argument: exact, never a float.
Quantity = Union[int, str, Decimal]
#: A planning figure: a statistic, read as a float.
Number = Union[float, int, Decimal]

K = TypeVar("K")
V = TypeVar("V")


def qty_in(value: object, field: str) -> int | str:
    """A quantity in wire form: a whole number or exact decimal text."""
    if isinstance(value, bool) or not isinstance(value, (int, str, Decimal)):
        raise TypeError(
            f"{field}: quantities are exact: pass an int, str or decimal.Decimal, "
            f"not {type(value).__name__}"
        )
    if isinstance(value, int):
        return value if _I64[0] <= value <= _I64[1] else str(value)
    if isinstance(value, Decimal):
        if not value.is_finite():
            _refuse(field, f"is not a finite number (got {value})")
        # Fixed-point text: str(Decimal("1E+2")) would be "1E+2".
        return format(value, "f")
    return value


def qty_out(value: str) -> Decimal:
    """A quantity from its wire text."""
    return Decimal(value)


def instant_in(value: object, field: str) -> int:
    """An instant in wire form: whole milliseconds since the epoch (finer digits floored)."""
    if not isinstance(value, datetime):
        raise TypeError(
            f"{field}: an instant must be a timezone-aware datetime.datetime, "
            f"not {type(value).__name__}"
        )
    if value.utcoffset() is None:
        raise ValueError(
            f"{field}: naive datetime refused: give it a timezone "
            "(e.g. tzinfo=datetime.timezone.utc)"
        )
    return (value - EPOCH) // _ONE_MS


def instant_out(value: int) -> datetime:
    """An instant from its wire milliseconds, as an aware UTC datetime."""
    return EPOCH + timedelta(milliseconds=value)


def millis_in(value: object, field: str) -> int:
    """A duration in wire form: whole milliseconds (finer digits floored)."""
    if not isinstance(value, timedelta):
        raise TypeError(f"{field}: a duration must be a datetime.timedelta, not {type(value).__name__}")
    return value // _ONE_MS


def millis_out(value: int) -> timedelta:
    """A duration from its wire milliseconds."""
    return timedelta(milliseconds=value)


def number_in(value: object, field: str) -> Any:
    """A planning figure in wire form: a float or a whole number (a ``Decimal`` is read as a
    float); text is refused."""
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, (str, bytes)):
        raise TypeError(f"{field}: expected a number, not {type(value).__name__}")
    return value


def fields_of(value: object, names: Tuple[str, ...], field: str) -> Mapping[str, Any]:
    """A record argument's fields by their Python names: from a mapping (wire names are
    taken too), a record object, a tuple of the fields in order, or, for a record whose
    other fields are optional, a number (its first field: a fixed lead time)."""
    if isinstance(value, Mapping):
        return value
    if isinstance(value, Record):
        return {f.name: getattr(value, f.name) for f in dataclasses.fields(value)}  # type: ignore[arg-type]
    if isinstance(value, tuple):
        if len(value) > len(names):
            raise TypeError(
                f"{field}: at most {len(names)} fields ({', '.join(names)}), got {len(value)}"
            )
        return dict(zip(names, value))
    if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
        return {names[0]: value}
    raise TypeError(
        f"{field}: expected a mapping or a tuple of its fields ({', '.join(names)}), "
        f"not {type(value).__name__}"
    )


def unknown(rest: Mapping[str, Any], names: Tuple[str, ...], field: str) -> NoReturn:
    """Refuses the fields of a record argument that the record does not have."""
    raise TypeError(f"{field} takes only {', '.join(names)}: not {', '.join(map(repr, rest))}")


def needs(field: str, name: str) -> NoReturn:
    """Refuses a record argument without one of its required fields."""
    raise TypeError(f"{field} needs {name}")


T = TypeVar("T")


def opt(convert: Callable[[Any], T], value: Any) -> Optional[T]:
    """An optional answer field converted, or None."""
    return None if value is None else convert(value)


def tag(value: Any) -> str:
    """The tag of a choice in wire form: its name, or the one key of ``{name: data}``."""
    return value if isinstance(value, str) else next(iter(value))


def seq(value: object, field: str) -> List[Any]:
    """A list argument: any iterable but text, bytes or a mapping."""
    if isinstance(value, (str, bytes, Mapping)) or not hasattr(value, "__iter__"):
        raise TypeError(f"{field}: expected a list, not {type(value).__name__}")
    return list(value)  # type: ignore[call-overload,unused-ignore]


def pairs(value: object, field: str) -> List[Any]:
    """A list of two-field records, given as a mapping from the first field to the second
    (``{"box": 12}``) or as a list."""
    if isinstance(value, Mapping):
        return list(value.items())
    return seq(value, field)


def error_out(value: Any) -> StockbookError:
    """An error an answer carries, as the exception of its code (not raised)."""
    error: StockbookError = _error(value)
    return error


def respelled(error: InvalidArgument, names: Mapping[str, str]) -> InvalidArgument:
    """``error`` naming the keyword the caller gave where the core names a wire path."""
    facts = getattr(error, "facts", {})
    field = facts.get("field", "") if isinstance(facts, dict) else ""
    for path, keyword in names.items():
        if field == path or field.startswith(path + "."):
            again: InvalidArgument = _invalid_argument(keyword, getattr(error, "reason", ""))
            again.facts = error.facts
            return again
    return error


def one_of(field: str, choices: List[Tuple[str, str, Any]]) -> Dict[str, Any]:
    """The one given keyword of a choice, ``{variant: value}``; refused unless exactly one of
    the keywords is given."""
    given = [(variant, value) for _, variant, value in choices if value is not None]
    if len(given) != 1:
        names = " or ".join(f"{keyword}=" for keyword, _, _ in choices)
        raise TypeError(f"{field}: give exactly one of {names}")
    return {given[0][0]: given[0][1]}


def meta(
    key: str | None,
    actor: str | None,
    correlation: str | None,
    reason: str | None,
    effective_at: datetime | None,
) -> Dict[str, Any] | None:
    """A command's meta in wire form (None: none given)."""
    if key is None and actor is None and correlation is None and reason is None and effective_at is None:
        return None
    out: Dict[str, Any] = {}
    if key is not None:
        out["key"] = key
    if actor is not None:
        out["actor"] = actor
    if correlation is not None:
        out["correlation"] = correlation
    if reason is not None:
        out["reason"] = reason
    if effective_at is not None:
        out["effective_at"] = instant_in(effective_at, "effective_at")
    return out


def _refuse(field: str, reason: str) -> NoReturn:
    raise _invalid_argument(field, reason)


class FrozenDict(Dict[K, V]):
    """A read-only dict that hashes by its items: a map inside a hashable record."""

    __slots__ = ()

    def __hash__(self) -> int:  # type: ignore[override]
        return hash(frozenset(self.items()))

    def _readonly(self, *_args: object, **_kwargs: object) -> NoReturn:
        raise TypeError("this dict is read-only (part of a frozen record)")

    __setitem__ = __delitem__ = clear = pop = popitem = setdefault = update = _readonly  # type: ignore[assignment,unused-ignore]
    __ior__ = _readonly  # type: ignore[assignment,unused-ignore]


def frozen(value: Any) -> Any:
    """Plain answer data (a union's form) made hashable: dicts frozen, lists tuples."""
    if isinstance(value, dict):
        return FrozenDict({k: frozen(v) for k, v in value.items()})
    if isinstance(value, list):
        return tuple(frozen(v) for v in value)
    return value


def plain(value: Any) -> Any:
    """A record field's value as plain data: records as dicts (by wire names), tuples as
    lists, frozen dicts as dicts."""
    if isinstance(value, Record):
        return value.to_dict()
    if isinstance(value, (tuple, list)):
        return [plain(v) for v in value]
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    return value


class Record:
    """Base of every record: ``to_dict()`` keyed by the contract's field names."""

    __slots__ = ()
    #: Python attribute -> contract field name, where they differ (``from_`` -> ``from``).
    _WIRE: ClassVar[Mapping[str, str]] = {}

    def to_dict(self) -> Dict[str, Any]:
        """The record as a dict keyed by the contract's field names; nested records are
        dicts, tuples lists."""
        wire = self._WIRE
        return {
            wire.get(f.name, f.name): plain(getattr(self, f.name))
            for f in dataclasses.fields(self)  # type: ignore[arg-type]
        }


class BookBase:
    """What every method of the handle calls: the native handle and the one generic entry
    point (a command with its meta, or a query)."""

    __slots__ = ("_book",)

    def __init__(self, book: _Handle) -> None:
        self._book = book

    def _command(self, op: str, args: Dict[str, Any], meta: Dict[str, Any] | None) -> Any:
        return _call(self._book, op, args, meta)

    def _query(self, op: str, args: Dict[str, Any], kind: str | None = None) -> Any:
        return _call(self._book, op, args, None, kind)
