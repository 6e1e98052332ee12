"""Stockbook: an embeddable inventory engine (type stubs, written by hand).

Checked against the built module with ``python -m mypy.stubtest stockbook``.
"""

import os
from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any, Literal, TypedDict, final

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

_ReservationState = Literal["pending", "committed", "released", "expired"]
_OrderState = Literal[
    "draft", "confirmed", "allocated", "picking", "packed", "shipped", "backordered",
    "delivered", "cancelled",
]
_PurchaseOrderState = Literal["open", "partially_received", "received", "closed", "cancelled"]
_Bucket = Literal["day", "week", "month"]
_DemandPattern = Literal["smooth", "erratic", "intermittent", "lumpy", "no_demand"]

# Which stock to take first: the JSON form of tests/scenarios/README.md. A name, or a
# one-key dict of a name and its settings:
#   "fifo" | "lifo" | "fewest_locations" | "fefo"
#   {"fefo": {"min_remaining_days": 30}}
#   {"nearest": {"location": "WH1/A/01"}}
#   {"ordered": {"locations": ["WH1/B/02", "WH1/A/01"]}}
# None (the default) is "fifo".
class _FefoSettings(TypedDict, total=False):
    min_remaining_days: int

class _NearestSettings(TypedDict):
    location: str

class _OrderedSettings(TypedDict):
    locations: Sequence[str]

class _Fefo(TypedDict):
    fefo: _FefoSettings

class _Nearest(TypedDict):
    nearest: _NearestSettings

class _Ordered(TypedDict):
    ordered: _OrderedSettings

_Strategy = Literal["fifo", "lifo", "fewest_locations", "fefo"] | _Fefo | _Nearest | _Ordered
# Who gets short stock when orders compete for it. None (the default) is "priority_due_date".
_ShortagePolicy = Literal["priority_due_date", "fair_share"]

# Structured arguments: a mapping of the fields, or a tuple of them in this order.
# An order line: {"sku": str, "qty": _Quantity, "unit": str | None} or (sku, qty[, unit]).
_OrderLineArg = Mapping[str, Any] | tuple[str, _Quantity] | tuple[str, _Quantity, str | None]
# A package: {"id": str, "contents": [{"line": int, "qty": _Quantity}, ...]},
# (id, [(line, qty), ...]) or a Package from Order.packages.
_PackageContentArg = Mapping[str, Any] | tuple[int, _Quantity] | PackageContent
_PackageArg = Mapping[str, Any] | tuple[str, Sequence[_PackageContentArg]] | Package
# A purchase order line: {"sku", "qty", "unit", "unit_cost", "currency"} or a tuple in order.
_PurchaseLineArg = (
    Mapping[str, Any]
    | tuple[str, _Quantity]
    | tuple[str, _Quantity, str | None]
    | tuple[str, _Quantity, str | None, _Quantity | None]
    | tuple[str, _Quantity, str | None, _Quantity | None, str | None]
)

class _AllowSettings(TypedDict):
    tolerance_pct: _Quantity

class _Allow(TypedDict):
    allow: _AllowSettings

# "refuse" (the default) or {"allow": {"tolerance_pct": 10}}.
_OverReceiptArg = Literal["refuse"] | _Allow
_OverReceiptOut = Literal["refuse"] | dict[str, dict[str, Decimal]]

# A forecasting method: a name, or a one-key dict of a name and its settings, e.g.
# {"ses": {"alpha": 0.3}}, {"moving_average": {"window": 4}},
# {"seasonal_naive": {"season_length": 12}}, {"holt": {"damped": True}},
# {"holt_winters": {"season_length": 12, "seasonality": "additive", "damped": None}},
# {"auto_ets": {"season_length": 12}},
# {"tsb": {"alpha_demand": 0.1, "alpha_probability": 0.1}}.
_MethodName = Literal[
    "naive", "historic_average", "ses_optimized", "holt", "croston_classic", "croston_sba",
    "croston_optimized", "adida", "imapa",
]
_Method = _MethodName | Mapping[str, Mapping[str, Any]]
# A replenishment plan's method: "by_class", {"auto": {"season_length": N}} or
# {"fixed": _Method}.
_PlanMethod = Literal["by_class"] | Mapping[str, Any]
# Planning figures are statistics: floats (Decimal and int are read as floats).
_Number = float | int | Decimal
# Demand per period for the policy functions: (mean, std_dev) or {"mean", "std_dev"}.
_DemandArg = tuple[_Number, _Number] | Mapping[str, _Number]
# A lead time in the same periods: a number (fixed), (mean, std_dev) or a mapping.
_LeadTimeArg = _Number | tuple[_Number, _Number] | Mapping[str, _Number]
# Cost rates of an inventory model: (holding, stockout, fixed) or a mapping with those keys.
_CostsArg = tuple[_Number, _Number, _Number] | Mapping[str, _Number]

__all__ = [
    "FORMAT_VERSION",
    "Accuracy",
    "AllocationLine",
    "AllocationPlan",
    "AlreadyExists",
    "Archived",
    "AutoForecast",
    "Backorder",
    "Balance",
    "BatchRefused",
    "Candidate",
    "Capacity",
    "Closed",
    "Conflict",
    "Coordinates",
    "CountRecord",
    "DemandClass",
    "DemandHistory",
    "DemandPeriod",
    "Eoq",
    "Event",
    "EventIterator",
    "Forecast",
    "HierarchyCycle",
    "InsufficientStock",
    "IntegrityReport",
    "Internal",
    "IntervalDemand",
    "InvalidArgument",
    "InvalidCode",
    "InvalidParameter",
    "InvalidQuantity",
    "InvalidTransition",
    "InvariantViolated",
    "Io",
    "IoNotFound",
    "IoPermissionDenied",
    "Item",
    "ItemArchived",
    "KeyExpired",
    "LeadTimeStats",
    "LimitExceeded",
    "Location",
    "LocationArchived",
    "Locked",
    "Lot",
    "LotExpired",
    "ManualClock",
    "MinMax",
    "Movement",
    "Newsvendor",
    "NotAStockbookFile",
    "NotEmpty",
    "NotFound",
    "Order",
    "OrderChanged",
    "OrderLine",
    "Package",
    "PackageContent",
    "PeriodicReview",
    "Pick",
    "PlanProblem",
    "PlanRow",
    "PurchaseOrder",
    "PurchaseOrderChanged",
    "PurchaseOrderLine",
    "PurchaseOrderReceipt",
    "Receipt",
    "ReplenishmentPlan",
    "Reservation",
    "ReservationCommitted",
    "ReservationExpired",
    "ReservationReleased",
    "RqPolicy",
    "SafetyStock",
    "Serial",
    "SsPolicy",
    "StockLevel",
    "Stockbook",
    "StockbookError",
    "Storage",
    "SuggestedOrder",
    "Tracking",
    "TransferReceived",
    "TransferRecord",
    "UnitConversion",
    "UnsupportedFormat",
    "auto_forecast",
    "classify",
    "eoq",
    "epq",
    "forecast",
    "in_memory",
    "lead_time_demand",
    "min_max",
    "newsvendor_normal",
    "newsvendor_poisson",
    "normal_cdf",
    "normal_pdf",
    "normal_quantile",
    "open",
    "periodic_review",
    "r_q_cost",
    "r_q_eil",
    "r_q_poisson",
    "reorder_point",
    "round_order_quantity",
    "s_s_cost_poisson",
    "s_s_optimal_poisson",
    "safety_stock_cycle",
    "safety_stock_fill_rate",
    "standard_normal_loss",
]

FORMAT_VERSION: int
__version__: str

def open(
    path: str | os.PathLike[str],
    *,
    durability: _Durability = "immediate",
    clock: ManualClock | None = None,
) -> Stockbook: ...
def in_memory(
    *, durability: _Durability = "immediate", clock: ManualClock | None = None
) -> Stockbook: ...
def _call(book: Stockbook, call: str) -> str:
    """The generic entry point (internal): one call as JSON text, ``{"op", "args", "meta"?,
    "kind"?}``, performed on ``book``; answers JSON text (a command's receipt, a batch's
    receipts, a query's answer). Refusals raise the ``StockbookError`` of their code."""

# ---- planning math: pure functions over floats (statistics, not ledger quantities) ----

def forecast(series: Sequence[_Number], method: _Method, horizon: int) -> Forecast: ...
def auto_forecast(series: Sequence[_Number], season_length: int, horizon: int) -> AutoForecast: ...
def classify(series: Sequence[_Number]) -> DemandClass: ...
def lead_time_demand(demand: _DemandArg, lead_time: _LeadTimeArg) -> IntervalDemand: ...
def safety_stock_cycle(
    service_level: _Number, demand: _DemandArg, lead_time: _LeadTimeArg
) -> SafetyStock: ...
def safety_stock_fill_rate(
    fill_rate: _Number,
    order_quantity: _Number,
    demand: _DemandArg,
    lead_time: _LeadTimeArg,
    formula: Literal["approximate", "exact"],
) -> SafetyStock: ...
def reorder_point(demand: _DemandArg, lead_time: _LeadTimeArg, safety_stock: _Number) -> float: ...
def min_max(
    service_level: _Number, demand: _DemandArg, lead_time: _LeadTimeArg, order_quantity: _Number
) -> MinMax: ...
def periodic_review(
    service_level: _Number, demand: _DemandArg, lead_time: _LeadTimeArg, review_period: _Number
) -> PeriodicReview: ...
def eoq(fixed_cost: _Number, holding_cost: _Number, demand_rate: _Number) -> Eoq: ...
def epq(
    fixed_cost: _Number, holding_cost: _Number, demand_rate: _Number, production_rate: _Number
) -> Eoq: ...
def round_order_quantity(quantity: _Number, minimum: _Number, pack_size: _Number) -> float: ...
def normal_pdf(x: _Number) -> float:
    """The standard normal density φ(x)."""

def normal_cdf(x: _Number) -> float:
    """The standard normal distribution function Φ(x)."""

def normal_quantile(p: _Number) -> float:
    """The standard normal quantile Φ⁻¹(p), for ``p`` strictly between 0 and 1.

    Raises ``InvalidParameter`` (``parameter == "p"``) otherwise."""

def standard_normal_loss(k: _Number) -> float:
    """The standard normal loss function G(k) = E[(Z − k)⁺] = φ(k) − k(1 − Φ(k)): the
    expected shortage per unit of standard deviation when the safety factor is k."""

def newsvendor_normal(
    holding_cost: _Number, stockout_cost: _Number, demand: _DemandArg
) -> Newsvendor:
    """Newsvendor with normal demand: S* = μ + σΦ⁻¹(p/(p + h)), cost
    (h + p)σφ(Φ⁻¹(p/(p + h)))."""

def newsvendor_poisson(
    holding_cost: _Number, stockout_cost: _Number, demand_mean: _Number
) -> Newsvendor:
    """Newsvendor with Poisson demand of mean λ: the smallest S with F(S) ≥ p/(p + h), and
    the expected cost h·E[(S − D)⁺] + p·E[(D − S)⁺] there."""

def s_s_cost_poisson(
    reorder_point: int, order_up_to: int, costs: _CostsArg, demand_mean: _Number
) -> float:
    """Expected cost per period of a periodic-review (s, S) policy with Poisson demand of
    mean ``demand_mean`` per period and no lead time (Zheng & Federgruen's renewal
    expression); ``order_up_to`` must exceed ``reorder_point``."""

def s_s_optimal_poisson(costs: _CostsArg, demand_mean: _Number) -> SsPolicy:
    """The optimal (s, S) policy for Poisson demand per period, by Zheng & Federgruen's
    exact search (1991)."""

def r_q_cost(
    reorder_point: _Number,
    order_quantity: _Number,
    costs: _CostsArg,
    demand: _DemandArg,
    lead_time: _Number,
) -> float:
    """Expected cost per unit time of a continuous-review (r, Q) policy with normal demand.
    ``demand`` is per unit time, ``lead_time`` in the same unit."""

def r_q_eil(costs: _CostsArg, demand: _DemandArg, lead_time: _Number) -> RqPolicy:
    """The (r, Q) policy of the expected-inventory-level approximation: alternate
    r = μ + σΦ⁻¹(1 − Qh/(pλ)) and Q = √(2λ(K + p·n(r))/h) from the EOQ until both move
    less than 1e-6. The cost is the approximation's own."""

def r_q_poisson(costs: _CostsArg, demand_rate: _Number, lead_time: _Number) -> RqPolicy:
    """The optimal integer (r, Q) policy with Poisson demand of rate λ and lead time L
    (Federgruen & Zheng 1992)."""

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
    def _inject_panic_for_sku(self, sku: str | None) -> None: ...
    def now(self) -> datetime: ...
    @property
    def path(self) -> str | None: ...
    def __enter__(self) -> Stockbook: ...
    def __exit__(self, *_exc: object) -> None: ...

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
    # reservations and orders
    def reserve(
        self,
        sku: str,
        scope: str,
        qty: _Quantity,
        *,
        reservation_id: str | None = None,
        unit: str | None = None,
        lot: str | None = None,
        hard: bool = False,
        order: str | None = None,
        line: int | None = None,
        ttl: timedelta | None = None,
        key: str | None = None,
        actor: str | None = None,
        correlation: str | None = None,
        reason: str | None = None,
        effective_at: datetime | None = None,
    ) -> Receipt: ...
    def commit_reservation(
        self,
        reservation_id: str,
        qty: _Quantity | None = None,
        *,
        location: str | None = None,
        lot: str | None = None,
        serials: Sequence[str] | None = None,
        to: str | None = None,
        key: str | None = None,
        actor: str | None = None,
        correlation: str | None = None,
        reason: str | None = None,
        effective_at: datetime | None = None,
    ) -> Receipt: ...
    def release_reservation(
        self,
        reservation_id: str,
        qty: _Quantity | None = None,
        *,
        key: str | None = None,
        actor: str | None = None,
        correlation: str | None = None,
        reason: str | None = None,
        effective_at: datetime | None = None,
    ) -> Receipt: ...
    def expire_due(
        self,
        *,
        key: str | None = None,
        actor: str | None = None,
        correlation: str | None = None,
        reason: str | None = None,
        effective_at: datetime | None = None,
    ) -> Receipt: ...
    def create_order(
        self,
        order_id: str,
        ship_from: str,
        lines: Iterable[_OrderLineArg],
        *,
        customer: str | None = None,
        priority: int = 100,
        due_at: datetime | None = None,
        staging: str | None = None,
        ship_to: str | None = None,
        key: str | None = None,
        actor: str | None = None,
        correlation: str | None = None,
        reason: str | None = None,
        effective_at: datetime | None = None,
    ) -> Receipt: ...
    def confirm_order(
        self,
        order_id: str,
        *,
        key: str | None = None,
        actor: str | None = None,
        correlation: str | None = None,
        reason: str | None = None,
        effective_at: datetime | None = None,
    ) -> Receipt: ...
    def allocate_order(
        self,
        order_id: str,
        *,
        strategy: _Strategy | None = None,
        key: str | None = None,
        actor: str | None = None,
        correlation: str | None = None,
        reason: str | None = None,
        effective_at: datetime | None = None,
    ) -> Receipt: ...
    def allocate_orders(
        self,
        order_ids: Sequence[str] | None = None,
        *,
        policy: _ShortagePolicy | None = None,
        strategy: _Strategy | None = None,
        key: str | None = None,
        actor: str | None = None,
        correlation: str | None = None,
        reason: str | None = None,
        effective_at: datetime | None = None,
    ) -> Receipt: ...
    def fill_backorders(
        self,
        sku: str | None = None,
        *,
        policy: _ShortagePolicy | None = None,
        strategy: _Strategy | None = None,
        key: str | None = None,
        actor: str | None = None,
        correlation: str | None = None,
        reason: str | None = None,
        effective_at: datetime | None = None,
    ) -> Receipt: ...
    def pick_order(
        self,
        order_id: str,
        line: int,
        location: str,
        qty: _Quantity,
        *,
        lot: str | None = None,
        serials: Sequence[str] | None = None,
        short: bool = False,
        key: str | None = None,
        actor: str | None = None,
        correlation: str | None = None,
        reason: str | None = None,
        effective_at: datetime | None = None,
    ) -> Receipt: ...
    def pack_order(
        self,
        order_id: str,
        packages: Iterable[_PackageArg],
        *,
        key: str | None = None,
        actor: str | None = None,
        correlation: str | None = None,
        reason: str | None = None,
        effective_at: datetime | None = None,
    ) -> Receipt: ...
    def ship_order(
        self,
        order_id: str,
        *,
        key: str | None = None,
        actor: str | None = None,
        correlation: str | None = None,
        reason: str | None = None,
        effective_at: datetime | None = None,
    ) -> Receipt: ...
    def deliver_order(
        self,
        order_id: str,
        *,
        key: str | None = None,
        actor: str | None = None,
        correlation: str | None = None,
        reason: str | None = None,
        effective_at: datetime | None = None,
    ) -> Receipt: ...
    def cancel_order(
        self,
        order_id: str,
        *,
        return_to: str | None = None,
        key: str | None = None,
        actor: str | None = None,
        correlation: str | None = None,
        reason: str | None = None,
        effective_at: datetime | None = None,
    ) -> Receipt: ...

    # purchase orders
    def create_purchase_order(
        self,
        po_id: str,
        supplier: str,
        location: str,
        lines: Iterable[_PurchaseLineArg],
        expected_at: datetime,
        *,
        ordered_at: datetime | None = None,
        over_receipt: _OverReceiptArg | None = None,
        under_tolerance_pct: _Quantity | None = None,
        key: str | None = None,
        actor: str | None = None,
        correlation: str | None = None,
        reason: str | None = None,
        effective_at: datetime | None = None,
    ) -> Receipt: ...
    def receive_purchase_order(
        self,
        po_id: str,
        line: int,
        qty: _Quantity,
        *,
        unit: str | None = None,
        location: str | None = None,
        lot: str | None = None,
        expiry: datetime | None = None,
        produced: datetime | None = None,
        serials: Sequence[str] | None = None,
        unit_cost: _Quantity | None = None,
        currency: str | None = None,
        key: str | None = None,
        actor: str | None = None,
        correlation: str | None = None,
        reason: str | None = None,
        effective_at: datetime | None = None,
    ) -> Receipt: ...
    def close_purchase_order(
        self,
        po_id: str,
        *,
        key: str | None = None,
        actor: str | None = None,
        correlation: str | None = None,
        reason: str | None = None,
        effective_at: datetime | None = None,
    ) -> Receipt: ...
    def cancel_purchase_order(
        self,
        po_id: str,
        *,
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

    # reservations and orders: queries
    def reservation(self, id: str) -> Reservation: ...
    def reservations(
        self,
        *,
        order: str | None = None,
        sku: str | None = None,
        scope: str | None = None,
        state: _ReservationState | None = None,
    ) -> list[Reservation]: ...
    def available(self, sku: str, location: str) -> Decimal: ...
    def reserved(self, sku: str, location: str) -> Decimal: ...
    def stock_level(self, sku: str, location: str) -> StockLevel: ...
    def available_at(
        self,
        sku: str,
        location: str,
        *,
        at: datetime | None = None,
        seq: int | None = None,
    ) -> Decimal: ...
    def reserved_at(
        self,
        sku: str,
        location: str,
        *,
        at: datetime | None = None,
        seq: int | None = None,
    ) -> Decimal: ...
    def plan_allocation(
        self, sku: str, qty: _Quantity, scope: str, *, strategy: _Strategy | None = None
    ) -> AllocationPlan: ...
    def order(self, id: str) -> Order: ...
    def orders(self, state: _OrderState | None = None) -> list[Order]: ...
    def backorders(self, sku: str | None = None) -> list[Backorder]: ...

    # planning: queries
    def purchase_order(self, id: str) -> PurchaseOrder: ...
    def purchase_orders(
        self,
        *,
        supplier: str | None = None,
        sku: str | None = None,
        state: _PurchaseOrderState | None = None,
        location: str | None = None,
    ) -> list[PurchaseOrder]: ...
    def on_order(self, sku: str, location: str) -> Decimal: ...
    def lead_time_stats(self, supplier: str, sku: str | None = None) -> LeadTimeStats: ...
    def demand_history(
        self,
        sku: str,
        location: str,
        bucket: _Bucket,
        from_: datetime,
        to: datetime,
        *,
        include_backorders: bool = False,
    ) -> DemandHistory: ...
    def replenishment_plan(
        self,
        *,
        as_of: datetime | None = None,
        bucket: _Bucket | None = None,
        history_periods: int | None = None,
        horizon_periods: int | None = None,
        method: _PlanMethod | None = None,
        service_level: _Number | None = None,
        lead_time_days: _Number | None = None,
        order_quantity: Mapping[str, Mapping[str, _Number]] | None = None,
        min_order_qty: _Number | None = None,
        pack_size: _Number | None = None,
        include_backorders: bool | None = None,
        sites: Sequence[str] | None = None,
        skus: Sequence[str] | None = None,
        items: Sequence[Mapping[str, Any]] | None = None,
        series: Sequence[Mapping[str, Any]] | None = None,
    ) -> ReplenishmentPlan: ...

# ---- result objects: frozen, comparable with == and hashable, `to_dict()` keyed by field names ----

class _Record:
    def to_dict(self) -> dict[str, Any]: ...
    def __eq__(self, value: object, /) -> bool: ...
    def __hash__(self) -> int: ...

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
    @property
    def reservation_id(self) -> str | None: ...

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

# reservations and orders

@final
class Reservation(_Record):
    @property
    def id(self) -> str: ...
    @property
    def sku(self) -> str: ...
    @property
    def scope(self) -> str: ...
    @property
    def lot(self) -> str | None: ...
    @property
    def hard(self) -> bool: ...
    @property
    def qty(self) -> Decimal: ...
    @property
    def requested(self) -> Decimal: ...
    @property
    def committed(self) -> Decimal: ...
    @property
    def order(self) -> str | None: ...
    @property
    def line(self) -> int | None: ...
    @property
    def created_at(self) -> datetime: ...
    @property
    def expires_at(self) -> datetime | None: ...
    @property
    def state(self) -> _ReservationState: ...

@final
class Pick(_Record):
    @property
    def from_(self) -> str: ...
    @property
    def lot(self) -> str | None: ...
    @property
    def qty(self) -> Decimal: ...
    @property
    def serials(self) -> list[str]: ...
    @property
    def reservation(self) -> str: ...

@final
class OrderLine(_Record):
    @property
    def line(self) -> int: ...
    @property
    def sku(self) -> str: ...
    @property
    def ordered(self) -> Decimal: ...
    @property
    def allocated(self) -> Decimal: ...
    @property
    def picked(self) -> Decimal: ...
    @property
    def shipped(self) -> Decimal: ...
    @property
    def backordered(self) -> Decimal: ...
    @property
    def picks(self) -> list[Pick]: ...
    @property
    def reservations(self) -> list[str]: ...

@final
class PackageContent(_Record):
    @property
    def line(self) -> int: ...
    @property
    def qty(self) -> Decimal: ...

@final
class Package(_Record):
    @property
    def id(self) -> str: ...
    @property
    def contents(self) -> list[PackageContent]: ...

@final
class Order(_Record):
    @property
    def id(self) -> str: ...
    @property
    def customer(self) -> str | None: ...
    @property
    def priority(self) -> int: ...
    @property
    def due_at(self) -> datetime | None: ...
    @property
    def ship_from(self) -> str: ...
    @property
    def staging(self) -> str: ...
    @property
    def ship_to(self) -> str: ...
    @property
    def lines(self) -> list[OrderLine]: ...
    @property
    def packages(self) -> list[Package]: ...
    @property
    def state(self) -> _OrderState: ...
    @property
    def created_at(self) -> datetime: ...
    @property
    def created_seq(self) -> int: ...

@final
class StockLevel(_Record):
    @property
    def on_hand(self) -> Decimal: ...
    @property
    def reserved(self) -> Decimal: ...
    @property
    def available(self) -> Decimal: ...

@final
class Backorder(_Record):
    @property
    def order(self) -> str: ...
    @property
    def line(self) -> int: ...
    @property
    def sku(self) -> str: ...
    @property
    def qty(self) -> Decimal: ...
    @property
    def priority(self) -> int: ...
    @property
    def due_at(self) -> datetime | None: ...

@final
class AllocationLine(_Record):
    @property
    def location(self) -> str: ...
    @property
    def lot(self) -> str | None: ...
    @property
    def qty(self) -> Decimal: ...

@final
class AllocationPlan(_Record):
    @property
    def sku(self) -> str: ...
    @property
    def requested(self) -> Decimal: ...
    @property
    def lines(self) -> list[AllocationLine]: ...
    @property
    def short(self) -> Decimal: ...

@final
class ReservationCommitted(_Record):
    @property
    def id(self) -> str: ...
    @property
    def qty(self) -> Decimal: ...

@final
class ReservationReleased(_Record):
    @property
    def id(self) -> str: ...
    @property
    def qty(self) -> Decimal: ...

@final
class ReservationExpired(_Record):
    @property
    def id(self) -> str: ...

@final
class OrderChanged(_Record):
    @property
    def step(self) -> str: ...
    @property
    def order(self) -> Order: ...

# purchase orders, demand and the replenishment plan

@final
class PurchaseOrderLine(_Record):
    @property
    def line(self) -> int: ...
    @property
    def sku(self) -> str: ...
    @property
    def ordered(self) -> Decimal: ...
    @property
    def received(self) -> Decimal: ...
    @property
    def unit_cost(self) -> Decimal | None: ...
    @property
    def currency(self) -> str | None: ...

@final
class PurchaseOrderReceipt(_Record):
    @property
    def line(self) -> int: ...
    @property
    def qty(self) -> Decimal: ...
    @property
    def location(self) -> str: ...
    @property
    def received_at(self) -> datetime: ...

@final
class PurchaseOrder(_Record):
    @property
    def id(self) -> str: ...
    @property
    def supplier(self) -> str: ...
    @property
    def location(self) -> str: ...
    @property
    def lines(self) -> list[PurchaseOrderLine]: ...
    @property
    def ordered_at(self) -> datetime: ...
    @property
    def expected_at(self) -> datetime: ...
    @property
    def over_receipt(self) -> _OverReceiptOut: ...
    @property
    def under_tolerance_pct(self) -> Decimal: ...
    @property
    def receipts(self) -> list[PurchaseOrderReceipt]: ...
    @property
    def state(self) -> _PurchaseOrderState: ...
    @property
    def created_at(self) -> datetime: ...
    @property
    def created_seq(self) -> int: ...
    @property
    def closed_at(self) -> datetime | None: ...

@final
class PurchaseOrderChanged(_Record):
    @property
    def step(self) -> str: ...
    @property
    def order(self) -> PurchaseOrder: ...

@final
class LeadTimeStats(_Record):
    @property
    def supplier(self) -> str: ...
    @property
    def sku(self) -> str | None: ...
    @property
    def count(self) -> int: ...
    @property
    def mean_days(self) -> float | None: ...
    @property
    def std_dev_days(self) -> float | None: ...
    @property
    def min_days(self) -> float | None: ...
    @property
    def max_days(self) -> float | None: ...

@final
class DemandPeriod(_Record):
    @property
    def start(self) -> datetime: ...
    @property
    def demand(self) -> Decimal: ...
    @property
    def returns(self) -> Decimal: ...

@final
class DemandHistory(_Record):
    @property
    def sku(self) -> str: ...
    @property
    def location(self) -> str: ...
    @property
    def bucket(self) -> _Bucket: ...
    @property
    def include_backorders(self) -> bool: ...
    @property
    def periods(self) -> list[DemandPeriod]: ...
    def series(self) -> list[float]: ...

@final
class SuggestedOrder(_Record):
    @property
    def qty(self) -> Decimal: ...
    @property
    def raw_qty(self) -> float: ...
    @property
    def period(self) -> int: ...
    @property
    def order_date(self) -> datetime: ...
    @property
    def expected_receipt(self) -> datetime: ...
    @property
    def position_at_order(self) -> float: ...

@final
class PlanRow(_Record):
    @property
    def sku(self) -> str: ...
    @property
    def site(self) -> str: ...
    @property
    def on_hand(self) -> Decimal: ...
    @property
    def on_order(self) -> Decimal: ...
    @property
    def reserved(self) -> Decimal: ...
    @property
    def backordered(self) -> Decimal: ...
    @property
    def position(self) -> float: ...
    @property
    def history_periods(self) -> int: ...
    @property
    def pattern(self) -> _DemandPattern: ...
    @property
    def method(self) -> str: ...
    @property
    def demand_rate(self) -> float: ...
    @property
    def sigma(self) -> float: ...
    @property
    def supplier(self) -> str | None: ...
    @property
    def lead_time_days(self) -> float: ...
    @property
    def lead_time_std_days(self) -> float: ...
    @property
    def lead_time_source(self) -> Literal["item", "supplier_item", "supplier", "default"]: ...
    @property
    def service_level(self) -> float: ...
    @property
    def safety_stock(self) -> float: ...
    @property
    def reorder_point(self) -> float: ...
    @property
    def order_up_to(self) -> float: ...
    @property
    def projected(self) -> list[float]: ...
    @property
    def order(self) -> SuggestedOrder | None: ...

@final
class PlanProblem(_Record):
    @property
    def sku(self) -> str: ...
    @property
    def site(self) -> str: ...
    @property
    def error(self) -> StockbookError: ...

@final
class ReplenishmentPlan(_Record):
    @property
    def as_of(self) -> datetime: ...
    @property
    def bucket(self) -> _Bucket: ...
    @property
    def rows(self) -> list[PlanRow]: ...
    @property
    def problems(self) -> list[PlanProblem]: ...

# planning math

@final
class Accuracy(_Record):
    @property
    def sigma(self) -> float: ...
    @property
    def mae(self) -> float: ...
    @property
    def mase(self) -> float | None: ...
    @property
    def n(self) -> int: ...

@final
class Forecast(_Record):
    @property
    def method(self) -> str | dict[str, Any]: ...
    @property
    def mean(self) -> list[float]: ...
    @property
    def fitted(self) -> list[float | None]: ...
    @property
    def params(self) -> dict[str, Any]: ...
    @property
    def accuracy(self) -> Accuracy: ...

@final
class DemandClass(_Record):
    @property
    def pattern(self) -> _DemandPattern: ...
    @property
    def adi(self) -> float | None: ...
    @property
    def cv2(self) -> float | None: ...
    @property
    def demand_periods(self) -> int: ...

@final
class Candidate(_Record):
    @property
    def method(self) -> str | dict[str, Any]: ...
    @property
    def mae(self) -> float: ...
    @property
    def mase(self) -> float | None: ...

@final
class AutoForecast(_Record):
    @property
    def class_(self) -> DemandClass: ...
    @property
    def holdout(self) -> int: ...
    @property
    def candidates(self) -> list[Candidate]: ...
    @property
    def forecast(self) -> Forecast: ...

@final
class IntervalDemand(_Record):
    @property
    def mean(self) -> float: ...
    @property
    def std_dev(self) -> float: ...

@final
class SafetyStock(_Record):
    @property
    def k(self) -> float: ...
    @property
    def safety_stock(self) -> float: ...
    @property
    def reorder_point(self) -> float: ...
    @property
    def lead_time_demand(self) -> IntervalDemand: ...

@final
class MinMax(_Record):
    @property
    def min(self) -> float: ...
    @property
    def max(self) -> float: ...
    @property
    def safety_stock(self) -> SafetyStock: ...

@final
class PeriodicReview(_Record):
    @property
    def order_up_to(self) -> float: ...
    @property
    def k(self) -> float: ...
    @property
    def safety_stock(self) -> float: ...
    @property
    def protection_demand(self) -> IntervalDemand: ...

@final
class Eoq(_Record):
    @property
    def quantity(self) -> float: ...
    @property
    def cost(self) -> float: ...

@final
class Newsvendor(_Record):
    """A newsvendor (base-stock) solution."""
    @property
    def level(self) -> float:
        """The optimal stock level S*."""
    @property
    def cost(self) -> float:
        """Expected holding plus stockout cost at S*."""

@final
class SsPolicy(_Record):
    """An (s, S) policy and its expected cost per period."""
    @property
    def reorder_point(self) -> int:
        """Reorder point s: order when the inventory position is at or below it."""
    @property
    def order_up_to(self) -> int:
        """Order-up-to level S."""
    @property
    def cost(self) -> float:
        """Expected cost per period."""

@final
class RqPolicy(_Record):
    """An (r, Q) policy and its expected cost per unit time."""
    @property
    def reorder_point(self) -> float:
        """Reorder point r."""
    @property
    def order_quantity(self) -> float:
        """Order quantity Q."""
    @property
    def cost(self) -> float:
        """Expected cost per unit time."""

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
        | Reservation
        | ReservationCommitted
        | ReservationReleased
        | ReservationExpired
        | OrderChanged
        | PurchaseOrderChanged
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
