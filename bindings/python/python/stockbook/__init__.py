"""Stockbook: an embeddable inventory engine.

Stock ledgers, lots and serials, transfers, counts and an append-only event log in one
file, with the correctness of a double-entry ledger and the throughput of group commit.

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
back as aware UTC datetimes, to the millisecond. Errors are ``StockbookError`` subclasses
named after the core's error codes (``InsufficientStock``, ``NotFound``, ...).
"""

from ._stockbook import (
    FORMAT_VERSION,
    AlreadyExists,
    Archived,
    Balance,
    BatchRefused,
    Capacity,
    Closed,
    Conflict,
    Coordinates,
    CountRecord,
    Event,
    EventIterator,
    HierarchyCycle,
    InsufficientStock,
    IntegrityReport,
    InvalidArgument,
    InvalidCode,
    InvalidParameter,
    InvalidQuantity,
    InvalidTransition,
    Io,
    IoNotFound,
    IoPermissionDenied,
    Item,
    ItemArchived,
    Locked,
    Location,
    LocationArchived,
    Lot,
    LotExpired,
    ManualClock,
    Movement,
    NotAStockbookFile,
    NotEmpty,
    NotFound,
    Receipt,
    Serial,
    Stockbook,
    StockbookError,
    Storage,
    Tracking,
    TransferReceived,
    TransferRecord,
    UnitConversion,
    UnsupportedFormat,
    in_memory,
    open,
)

__all__ = [
    "FORMAT_VERSION",
    "AlreadyExists",
    "Archived",
    "Balance",
    "BatchRefused",
    "Capacity",
    "Closed",
    "Conflict",
    "Coordinates",
    "CountRecord",
    "Event",
    "EventIterator",
    "HierarchyCycle",
    "InsufficientStock",
    "IntegrityReport",
    "InvalidArgument",
    "InvalidCode",
    "InvalidParameter",
    "InvalidQuantity",
    "InvalidTransition",
    "Io",
    "IoNotFound",
    "IoPermissionDenied",
    "Item",
    "ItemArchived",
    "Locked",
    "Location",
    "LocationArchived",
    "Lot",
    "LotExpired",
    "ManualClock",
    "Movement",
    "NotAStockbookFile",
    "NotEmpty",
    "NotFound",
    "Receipt",
    "Serial",
    "Stockbook",
    "StockbookError",
    "Storage",
    "Tracking",
    "TransferReceived",
    "TransferRecord",
    "UnitConversion",
    "UnsupportedFormat",
    "in_memory",
    "open",
]
