"""Stockbook: an embeddable inventory engine.

Stock ledgers, lots and serials, transfers, counts, reservations and orders, purchase
orders and replenishment planning, and an append-only event log in one file, with the
correctness of a double-entry ledger and the throughput of group commit.

    import stockbook

    with stockbook.open("stock.redb") as sb:
        sb.define_item("BOLT-M8", name="Bolt M8")
        sb.define_location("WH1", kind="site")
        sb.receive("BOLT-M8", "WH1", 100)
        sb.ship("BOLT-M8", "WH1", 30, key="order-17")
        assert sb.on_hand("BOLT-M8", "WH1") == 70

Quantities are exact: pass ``int``, ``str`` or ``decimal.Decimal`` (``float`` is refused
with ``TypeError``); they come back as ``Decimal`` at the item's precision. Instants are
timezone-aware ``datetime`` objects (a naive one is refused with ``ValueError``) and come
back as aware UTC datetimes, to the millisecond. Planning figures (forecasts, service
levels, lead times) are statistics and are floats. Errors are ``StockbookError``
subclasses named after the core's error codes (``InsufficientStock``, ``NotFound``, ...).

The methods, records and planning functions are generated from the core's one definition
(``_surface.py``); this package adds the handle's lifecycle (``_book.py``) and the
conversions (``_runtime.py``).
"""

from ._book import EventIterator, Stockbook, _call, _call_json, in_memory, open
from ._stockbook import (
    FORMAT_VERSION,
    AlreadyExists,
    Archived,
    BatchRefused,
    Closed,
    Conflict,
    HierarchyCycle,
    InsufficientStock,
    Internal,
    InvalidArgument,
    InvalidCode,
    InvalidParameter,
    InvalidQuantity,
    InvalidTransition,
    InvariantViolated,
    Io,
    IoNotFound,
    IoPermissionDenied,
    KeyExpired,
    LimitExceeded,
    Locked,
    LotExpired,
    ManualClock,
    NotAStockbookFile,
    NotEmpty,
    NotFound,
    StockbookError,
    Storage,
    Tracking,
    UnsupportedFormat,
    __version__,
)
from ._surface import *  # noqa: F403 (the generated records, enums and planning functions)
from ._surface import ERROR_DOCS as _ERROR_DOCS
from ._surface import __all__ as _generated

# The exception classes (made by the native module) carry the core's docs.
for _name, _doc in _ERROR_DOCS.items():
    _class = globals().get(_name)
    if isinstance(_class, type) and issubclass(_class, StockbookError):
        _class.__doc__ = _doc

__all__ = [
    "FORMAT_VERSION",
    "AlreadyExists",
    "Archived",
    "BatchRefused",
    "Closed",
    "Conflict",
    "EventIterator",
    "HierarchyCycle",
    "InsufficientStock",
    "Internal",
    "InvalidArgument",
    "InvalidCode",
    "InvalidParameter",
    "InvalidQuantity",
    "InvalidTransition",
    "InvariantViolated",
    "Io",
    "IoNotFound",
    "IoPermissionDenied",
    "KeyExpired",
    "LimitExceeded",
    "Locked",
    "LotExpired",
    "ManualClock",
    "NotAStockbookFile",
    "NotEmpty",
    "NotFound",
    "Stockbook",
    "StockbookError",
    "Storage",
    "Tracking",
    "UnsupportedFormat",
    "in_memory",
    "open",
    *_generated,
]
