"""The native module (type stubs, hand-written): the handle, the generic entry points and
the exception family. Checked against the built module by ``python -m mypy.stubtest``."""

import os
from collections.abc import Iterator, Mapping
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any, Literal, final

__all__ = [
    "open",
    "in_memory",
    "_call",
    "_call_json",
    "_calculate",
    "Stockbook",
    "ManualClock",
    "EventIterator",
    "FORMAT_VERSION",
    "__version__",
    "StockbookError",
    "InsufficientStock",
    "NotFound",
    "AlreadyExists",
    "Archived",
    "NotEmpty",
    "InvalidCode",
    "InvalidQuantity",
    "InvalidArgument",
    "InvalidParameter",
    "HierarchyCycle",
    "Tracking",
    "LotExpired",
    "Conflict",
    "InvalidTransition",
    "BatchRefused",
    "Locked",
    "NotAStockbookFile",
    "UnsupportedFormat",
    "Storage",
    "Closed",
    "Internal",
    "InvariantViolated",
    "LimitExceeded",
    "KeyExpired",
    "Io",
    "IoNotFound",
    "IoPermissionDenied",
    "_error_class",
    "_invalid_argument",
    "_error",
]

FORMAT_VERSION: int
__version__: str

def open(
    path: str | os.PathLike[str],
    *,
    durability: Literal["immediate", "bulk_load"] = "immediate",
    clock: ManualClock | None = None,
) -> Stockbook: ...
def in_memory(
    *,
    durability: Literal["immediate", "bulk_load"] = "immediate",
    clock: ManualClock | None = None,
) -> Stockbook: ...
def _call(
    book: Stockbook,
    op: str,
    args: Mapping[str, Any] | None = None,
    meta: Mapping[str, Any] | None = None,
    kind: str | None = None,
) -> Any: ...
def _call_json(book: Stockbook, call: str) -> str: ...
def _calculate(op: str, args: Mapping[str, Any] | None = None) -> Any: ...
def _error_class(code: str) -> type[StockbookError]: ...
def _invalid_argument(field: str, reason: str) -> InvalidArgument: ...
def _error(data: Any) -> StockbookError: ...
@final
class ManualClock:
    """A clock that moves only when told: for tests and simulations. Pass it as ``clock=``
    to ``open`` or ``in_memory``; the engine then reads its time from it."""

    def __new__(cls, now: datetime) -> ManualClock: ...
    def set(self, now: datetime) -> None: ...
    def advance(self, by: timedelta) -> None: ...
    def now(self) -> datetime: ...

@final
class EventIterator:
    def __iter__(self) -> Iterator[dict[str, Any]]: ...
    def __next__(self) -> dict[str, Any]: ...

@final
class Stockbook:
    def close(self) -> None: ...
    def sync(self) -> None: ...
    def _inject_panic_for_sku(self, sku: str | None) -> None: ...
    @property
    def path(self) -> str | None: ...
    def events(self, from_seq: int = 1) -> EventIterator: ...

class StockbookError(Exception):
    """Base of every Stockbook error: ``.code`` is the core's stable error code, ``.facts``
    its facts as text, and each fact is also an attribute."""

    code: str
    facts: dict[str, str]

class InsufficientStock(StockbookError):
    sku: str
    location: str
    lot: str | None
    requested: Decimal
    available: Decimal

class NotFound(StockbookError):
    kind: str
    key: str

class AlreadyExists(StockbookError):
    kind: str
    key: str

class Archived(StockbookError):
    kind: str
    key: str

class NotEmpty(StockbookError):
    kind: str
    key: str

class InvalidCode(StockbookError):
    # The offending code itself is `facts["code"]` (`.code` is the error code).
    kind: str
    reason: str

class InvalidQuantity(StockbookError):
    value: str
    reason: str

class InvalidArgument(StockbookError):
    field: str
    reason: str

class InvalidParameter(StockbookError):
    parameter: str
    reason: str

class HierarchyCycle(StockbookError):
    location: str
    parent: str

class Tracking(StockbookError):
    sku: str
    reason: str

class LotExpired(StockbookError):
    sku: str
    lot: str
    expiry: datetime

class Conflict(StockbookError):
    key: str
    reason: str

class InvalidTransition(StockbookError):
    entity: str
    id: str
    state: str
    step: str

class BatchRefused(StockbookError):
    index: int
    source: StockbookError

class Locked(StockbookError):
    path: str

class NotAStockbookFile(StockbookError):
    path: str
    reason: str

class UnsupportedFormat(StockbookError):
    found: int
    supported: int

class Storage(StockbookError):
    message: str

class Closed(StockbookError): ...

class Internal(StockbookError):
    message: str

class InvariantViolated(StockbookError):
    invariant: str
    detail: str

class LimitExceeded(StockbookError):
    what: str
    max: int

class KeyExpired(StockbookError):
    key: str

class Io(StockbookError, OSError):
    path: str
    kind: str
    message: str

class IoNotFound(Io, FileNotFoundError): ...
class IoPermissionDenied(Io, PermissionError): ...
