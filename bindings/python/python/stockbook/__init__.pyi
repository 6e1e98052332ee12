"""Stockbook: an embeddable inventory engine (type stubs, written by hand).

Checked against the built module with ``python -m mypy.stubtest stockbook``.
"""

import os
from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any, ClassVar, Literal, final

# A quantity argument: exact, never a float.
_Quantity = int | str | Decimal
_Tracking = Literal["none", "lot", "serial"]
_LocationKind = Literal[
    "site", "zone", "aisle", "bin",
    "supplier", "customer", "adjustment", "scrap", "in_transit", "production",
]
_Durability = Literal["immediate", "bulk_load"]
_Conversions = (
    Mapping[str, _Quantity]
    | Iterable[tuple[str, _Quantity] | Mapping[str, Any] | UnitConversion]
)
_CapacityArg = Mapping[str, _Quantity | None] | Capacity
_CoordinatesArg = tuple[int, int] | tuple[int, int, int] | Mapping[str, int] | Coordinates
# One command of execute_batch: a write method's name and its keyword arguments.
_BatchCommand = tuple[str, Mapping[str, Any]]

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

FORMAT_VERSION: int

def open(
    path: str | os.PathLike[str],
    *,
    durability: _Durability = "immediate",
    clock: ManualClock | None = None,
) -> Stockbook: ...
def in_memory(
    *, durability: _Durability = "immediate", clock: ManualClock | None = None
) -> Stockbook: ...

@final
class ManualClock:
    def __new__(cls, now: datetime) -> ManualClock: ...
    def set(self, now: datetime) -> None: ...
    def advance(self, by: timedelta) -> None: ...
    def now(self) -> datetime: ...

@final
class EventIterator:
    def __iter__(self) -> EventIterator: ...
    def __next__(self) -> Event: ...

@final
class Stockbook:
    # lifecycle
    def close(self) -> None: ...
    def sync(self) -> None: ...
    def last_seq(self) -> int: ...
    def now(self) -> datetime: ...
    @property
    def path(self) -> str | None: ...
    def __enter__(self) -> Stockbook: ...
    def __exit__(self, *_exc: object) -> bool: ...

    # master data
    def define_item(
        self,
        sku: str,
        *,
        name: str = "",
        unit: str = "ea",
        decimals: int = 0,
        tracking: _Tracking = "none",
        shelf_life_days: int | None = None,
        conversions: _Conversions | None = None,
        allow_negative: bool = False,
        category: str | None = None,
        attributes: Mapping[str, str] | None = None,
        archived: bool = False,
        key: str | None = None,
        actor: str | None = None,
        correlation: str | None = None,
        reason: str | None = None,
        effective_at: datetime | None = None,
    ) -> Receipt: ...
    def update_item(
        self,
        sku: str,
        *,
        name: str = "",
        unit: str = "ea",
        decimals: int = 0,
        tracking: _Tracking = "none",
        shelf_life_days: int | None = None,
        conversions: _Conversions | None = None,
        allow_negative: bool = False,
        category: str | None = None,
        attributes: Mapping[str, str] | None = None,
        archived: bool = False,
        key: str | None = None,
        actor: str | None = None,
        correlation: str | None = None,
        reason: str | None = None,
        effective_at: datetime | None = None,
    ) -> Receipt: ...
    def archive_item(
        self,
        sku: str,
        *,
        key: str | None = None,
        actor: str | None = None,
        correlation: str | None = None,
        reason: str | None = None,
        effective_at: datetime | None = None,
    ) -> Receipt: ...
    def define_location(
        self,
        code: str,
        *,
        name: str = "",
        kind: _LocationKind = "bin",
        parent: str | None = None,
        capacity: _CapacityArg | None = None,
        coordinates: _CoordinatesArg | None = None,
        pickable: bool = True,
        receivable: bool = True,
        archived: bool = False,
        key: str | None = None,
        actor: str | None = None,
        correlation: str | None = None,
        reason: str | None = None,
        effective_at: datetime | None = None,
    ) -> Receipt: ...
    def update_location(
        self,
        code: str,
        *,
        name: str = "",
        kind: _LocationKind = "bin",
        parent: str | None = None,
        capacity: _CapacityArg | None = None,
        coordinates: _CoordinatesArg | None = None,
        pickable: bool = True,
        receivable: bool = True,
        archived: bool = False,
        key: str | None = None,
        actor: str | None = None,
        correlation: str | None = None,
        reason: str | None = None,
        effective_at: datetime | None = None,
    ) -> Receipt: ...
    def archive_location(
        self,
        code: str,
        *,
        key: str | None = None,
        actor: str | None = None,
        correlation: str | None = None,
        reason: str | None = None,
        effective_at: datetime | None = None,
    ) -> Receipt: ...
    def define_lot(
        self,
        sku: str,
        lot: str,
        *,
        expiry: datetime | None = None,
        produced: datetime | None = None,
        key: str | None = None,
        actor: str | None = None,
        correlation: str | None = None,
        reason: str | None = None,
        effective_at: datetime | None = None,
    ) -> Receipt: ...

    # movements
    def receive(
        self,
        sku: str,
        location: str,
        qty: _Quantity,
        *,
        unit: str | None = None,
        lot: str | None = None,
        expiry: datetime | None = None,
        produced: datetime | None = None,
        serials: Sequence[str] | None = None,
        unit_cost: _Quantity | None = None,
        currency: str | None = None,
        from_: str | None = None,
        key: str | None = None,
        actor: str | None = None,
        correlation: str | None = None,
        reason: str | None = None,
        effective_at: datetime | None = None,
    ) -> Receipt: ...
    def issue(
        self,
        sku: str,
        location: str,
        qty: _Quantity,
        *,
        unit: str | None = None,
        lot: str | None = None,
        serials: Sequence[str] | None = None,
        allow_expired: bool = False,
        to: str | None = None,
        key: str | None = None,
        actor: str | None = None,
        correlation: str | None = None,
        reason: str | None = None,
        effective_at: datetime | None = None,
    ) -> Receipt: ...
    def ship(
        self,
        sku: str,
        location: str,
        qty: _Quantity,
        *,
        unit: str | None = None,
        lot: str | None = None,
        serials: Sequence[str] | None = None,
        allow_expired: bool = False,
        to: str | None = None,
        key: str | None = None,
        actor: str | None = None,
        correlation: str | None = None,
        reason: str | None = None,
        effective_at: datetime | None = None,
    ) -> Receipt: ...
    def adjust(
        self,
        sku: str,
        location: str,
        qty: _Quantity,
        *,
        reason_code: str,
        unit: str | None = None,
        lot: str | None = None,
        serials: Sequence[str] | None = None,
        key: str | None = None,
        actor: str | None = None,
        correlation: str | None = None,
        reason: str | None = None,
        effective_at: datetime | None = None,
    ) -> Receipt: ...
    def scrap(
        self,
        sku: str,
        location: str,
        qty: _Quantity,
        *,
        unit: str | None = None,
        lot: str | None = None,
        serials: Sequence[str] | None = None,
        reason_code: str | None = None,
        key: str | None = None,
        actor: str | None = None,
        correlation: str | None = None,
        reason: str | None = None,
        effective_at: datetime | None = None,
    ) -> Receipt: ...
    def transfer_stock(
        self,
        sku: str,
        from_: str,
        to: str,
        qty: _Quantity,
        *,
        unit: str | None = None,
        lot: str | None = None,
        serials: Sequence[str] | None = None,
        allow_expired: bool = False,
        key: str | None = None,
        actor: str | None = None,
        correlation: str | None = None,
        reason: str | None = None,
        effective_at: datetime | None = None,
    ) -> Receipt: ...
    def dispatch_transfer(
        self,
        sku: str,
        from_: str,
        to: str,
        qty: _Quantity,
        *,
        transfer_id: str | None = None,
        unit: str | None = None,
        lot: str | None = None,
        serials: Sequence[str] | None = None,
        allow_expired: bool = False,
        key: str | None = None,
        actor: str | None = None,
        correlation: str | None = None,
        reason: str | None = None,
        effective_at: datetime | None = None,
    ) -> Receipt: ...
    def receive_transfer(
        self,
        transfer_id: str,
        qty: _Quantity,
        *,
        unit: str | None = None,
        serials: Sequence[str] | None = None,
        key: str | None = None,
        actor: str | None = None,
        correlation: str | None = None,
        reason: str | None = None,
        effective_at: datetime | None = None,
    ) -> Receipt: ...
    def count(
        self,
        sku: str,
        location: str,
        counted: _Quantity,
        *,
        lot: str | None = None,
        unit: str | None = None,
        key: str | None = None,
        actor: str | None = None,
        correlation: str | None = None,
        reason: str | None = None,
        effective_at: datetime | None = None,
    ) -> Receipt: ...
    def execute_batch(
        self,
        commands: Iterable[_BatchCommand],
        *,
        key: str | None = None,
        actor: str | None = None,
        correlation: str | None = None,
        reason: str | None = None,
        effective_at: datetime | None = None,
    ) -> list[Receipt]: ...

    # queries
    def item(self, sku: str) -> Item: ...
    def items(self) -> list[Item]: ...
    def location(self, code: str) -> Location: ...
    def locations(self) -> list[Location]: ...
    def children(self, code: str) -> list[str]: ...
    def lot(self, sku: str, lot: str) -> Lot: ...
    def lots(self, sku: str) -> list[Lot]: ...
    def serial(self, sku: str, serial: str) -> Serial: ...
    def serials_at(self, sku: str, location: str) -> list[str]: ...
    def transfer(self, id: str) -> TransferRecord: ...
    def on_hand(self, sku: str, location: str, *, lot: str | None = None) -> Decimal: ...
    def item_total(self, sku: str) -> Decimal: ...
    def balances(
        self,
        *,
        sku: str | None = None,
        location: str | None = None,
        include_virtual: bool = False,
    ) -> list[Balance]: ...
    def on_hand_at(
        self,
        sku: str,
        location: str,
        *,
        at: datetime | None = None,
        seq: int | None = None,
    ) -> Decimal: ...
    def events(self, from_seq: int = 1) -> EventIterator: ...
    def history(self, sku: str, *, from_seq: int = 1, limit: int = 10000) -> list[Event]: ...
    def verify(self) -> IntegrityReport: ...

# ---- result objects: frozen, comparable with ==, `to_dict()` keyed by the Rust names ----

class _Record:
    __hash__: ClassVar[None]  # type: ignore[assignment]
    def to_dict(self) -> dict[str, Any]: ...
    def __eq__(self, value: object, /) -> bool: ...

@final
class UnitConversion(_Record):
    @property
    def unit(self) -> str: ...
    @property
    def factor(self) -> Decimal: ...

@final
class Item(_Record):
    @property
    def sku(self) -> str: ...
    @property
    def name(self) -> str: ...
    @property
    def unit(self) -> str: ...
    @property
    def decimals(self) -> int: ...
    @property
    def tracking(self) -> _Tracking: ...
    @property
    def shelf_life_days(self) -> int | None: ...
    @property
    def conversions(self) -> list[UnitConversion]: ...
    @property
    def allow_negative(self) -> bool: ...
    @property
    def category(self) -> str | None: ...
    @property
    def attributes(self) -> dict[str, str]: ...
    @property
    def archived(self) -> bool: ...

@final
class Capacity(_Record):
    @property
    def units(self) -> Decimal | None: ...
    @property
    def weight_kg(self) -> Decimal | None: ...
    @property
    def volume_l(self) -> Decimal | None: ...

@final
class Coordinates(_Record):
    @property
    def x(self) -> int: ...
    @property
    def y(self) -> int: ...
    @property
    def z(self) -> int: ...

@final
class Location(_Record):
    @property
    def code(self) -> str: ...
    @property
    def name(self) -> str: ...
    @property
    def kind(self) -> _LocationKind: ...
    @property
    def parent(self) -> str | None: ...
    @property
    def capacity(self) -> Capacity: ...
    @property
    def coordinates(self) -> Coordinates | None: ...
    @property
    def pickable(self) -> bool: ...
    @property
    def receivable(self) -> bool: ...
    @property
    def archived(self) -> bool: ...

@final
class Lot(_Record):
    @property
    def sku(self) -> str: ...
    @property
    def lot(self) -> str: ...
    @property
    def expiry(self) -> datetime | None: ...
    @property
    def produced(self) -> datetime | None: ...
    @property
    def first_received(self) -> datetime | None: ...

@final
class Serial(_Record):
    @property
    def sku(self) -> str: ...
    @property
    def serial(self) -> str: ...
    @property
    def location(self) -> str: ...

@final
class Balance(_Record):
    @property
    def sku(self) -> str: ...
    @property
    def location(self) -> str: ...
    @property
    def lot(self) -> str | None: ...
    @property
    def on_hand(self) -> Decimal: ...

@final
class TransferRecord(_Record):
    @property
    def id(self) -> str: ...
    @property
    def sku(self) -> str: ...
    @property
    def lot(self) -> str | None: ...
    @property
    def from_(self) -> str: ...
    @property
    def to(self) -> str: ...
    @property
    def dispatched(self) -> Decimal: ...
    @property
    def received(self) -> Decimal: ...
    @property
    def serials_in_transit(self) -> list[str]: ...

@final
class Receipt(_Record):
    @property
    def first_seq(self) -> int: ...
    @property
    def last_seq(self) -> int: ...
    @property
    def transfer_id(self) -> str | None: ...
    @property
    def difference(self) -> Decimal | None: ...

@final
class IntegrityReport(_Record):
    @property
    def events(self) -> int: ...
    @property
    def index_rows(self) -> int: ...
    @property
    def problems(self) -> list[str]: ...
    def is_sound(self) -> bool: ...

@final
class Movement(_Record):
    @property
    def kind(self) -> str: ...
    @property
    def sku(self) -> str: ...
    @property
    def lot(self) -> str | None: ...
    @property
    def from_(self) -> str: ...
    @property
    def to(self) -> str: ...
    @property
    def qty(self) -> Decimal: ...
    @property
    def serials(self) -> list[str]: ...
    @property
    def unit_cost(self) -> Decimal | None: ...
    @property
    def currency(self) -> str | None: ...
    @property
    def reason_code(self) -> str | None: ...
    @property
    def transfer(self) -> str | None: ...

@final
class CountRecord(_Record):
    @property
    def sku(self) -> str: ...
    @property
    def location(self) -> str: ...
    @property
    def lot(self) -> str | None: ...
    @property
    def counted(self) -> Decimal: ...
    @property
    def expected(self) -> Decimal: ...

@final
class ItemArchived(_Record):
    @property
    def sku(self) -> str: ...

@final
class LocationArchived(_Record):
    @property
    def code(self) -> str: ...

@final
class TransferReceived(_Record):
    @property
    def id(self) -> str: ...
    @property
    def qty(self) -> Decimal: ...
    @property
    def serials(self) -> list[str]: ...

@final
class Event(_Record):
    @property
    def seq(self) -> int: ...
    @property
    def recorded_at(self) -> datetime: ...
    @property
    def effective_at(self) -> datetime: ...
    @property
    def actor(self) -> str | None: ...
    @property
    def key(self) -> str | None: ...
    @property
    def correlation(self) -> str | None: ...
    @property
    def reason(self) -> str | None: ...
    @property
    def type(self) -> str: ...
    @property
    def data(
        self,
    ) -> (
        Item
        | Location
        | Lot
        | Movement
        | TransferRecord
        | CountRecord
        | ItemArchived
        | LocationArchived
        | TransferReceived
        | dict[str, Any]
    ): ...

# ---- errors: one class per core error code; `.code` and `.facts` on all of them ----

class StockbookError(Exception):
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
    expiry_ms: int

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

class Io(StockbookError, OSError):
    path: str
    kind: str
    message: str

class IoNotFound(Io, FileNotFoundError): ...
class IoPermissionDenied(Io, PermissionError): ...
