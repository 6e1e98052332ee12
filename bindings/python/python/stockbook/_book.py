"""The handle as Python uses it (hand-written): opening, closing, the context manager, the
lazy event iterator, atomic batches and the one reading that takes an optional lot. Every
other method is generated (``_surface.Surface``)."""

from __future__ import annotations

import os
from datetime import datetime
from decimal import Decimal
from typing import Any, Dict, Iterable, Iterator, List, Literal, Mapping, Optional, Tuple, Union

from . import _runtime as _rt
from . import _stockbook as _native
from ._stockbook import ManualClock
from ._surface import COMMANDS, Envelope, Receipt, Surface

Durability = Literal["immediate", "bulk_load"]
#: One command of ``execute_batch``: a write method's name and its keyword arguments.
BatchCommand = Tuple[str, Mapping[str, Any]]


class Stockbook(Surface):
    """An open Stockbook: one engine over one file (or in memory). Thread-safe: share one
    handle between threads; concurrent writes are group-committed. Use it as a context
    manager (``with stockbook.open(path) as sb:``) to close it at the end.

    Every write takes the keyword arguments ``key=`` (idempotency key: the same key again
    returns the first outcome and writes nothing), ``actor=``, ``correlation=``,
    ``reason=`` and ``effective_at=`` (a timezone-aware datetime: the business time it takes
    effect; default now), and returns its receipt (``Written``, ``Reserved``, ``Dispatched``,
    ``Counted``)."""

    __slots__ = ()

    def close(self) -> None:
        """Closes the engine for every user of this handle: waits for queued commands, makes
        everything durable and releases the file. Later calls raise ``Closed``."""
        self._book.close()

    def sync(self) -> None:
        """Makes everything committed so far durable (needed only with
        ``durability="bulk_load"``)."""
        self._book.sync()

    @property
    def path(self) -> Optional[str]:
        """The file's path (``None`` in memory)."""
        return self._book.path

    def __enter__(self) -> Stockbook:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return repr(self._book)

    def _inject_panic_for_sku(self, sku: Optional[str]) -> None:
        """Test hook: the next command naming ``sku`` panics inside the writer and is refused
        with ``Internal`` (``None`` disarms). Not part of the API."""
        self._book._inject_panic_for_sku(sku)

    def events(self, from_seq: int = 1) -> EventIterator:
        """Every event from sequence ``from_seq`` on, as a lazy iterator that reads the log a
        page at a time."""
        return EventIterator(self._book.events(from_seq))

    def on_hand(self, sku: str, location: str, *, lot: Optional[str] = None) -> Decimal:
        """On hand of ``sku`` at ``location`` and every location below it: all lots, or one
        ``lot``."""
        if lot is None:
            return super().on_hand(sku, location)
        return self.on_hand_lot(sku, location, lot=lot)

    def execute_batch(
        self,
        commands: Iterable[BatchCommand],
        *,
        key: Optional[str] = None,
        actor: Optional[str] = None,
        correlation: Optional[str] = None,
        reason: Optional[str] = None,
        effective_at: Optional[datetime] = None,
    ) -> List[Receipt]:
        """Executes ``commands`` all or nothing, in order, in one commit, and returns their
        receipts. Each command is an ``(op, kwargs)`` pair naming a write method and its
        keyword arguments, e.g. ``("receive", {"sku": "A", "location": "WH1", "qty": 5})``;
        ``key=``, ``actor=``, … apply to the whole batch. A refusal raises ``BatchRefused``
        with ``.index`` (zero-based) and ``.source`` (the command's own error)."""
        collector = _Collector(self._book)
        for entry in commands:
            try:
                op, kwargs = entry
            except (TypeError, ValueError):
                raise TypeError("each command of a batch is an (op, kwargs) pair") from None
            if not isinstance(kwargs, Mapping):
                raise TypeError(f"the arguments of {op!r} must be a mapping")
            method = getattr(collector, op, None) if not op.startswith("_") else None
            if method is None:
                raise ValueError(f"unknown command {op!r}")
            if op not in COMMANDS:
                raise ValueError(f"only commands can be part of execute_batch, not {op!r}")
            method(**kwargs)
        meta = _rt.meta(key, actor, correlation, reason, effective_at)
        receipts = _native._call(self._book, "batch", {"commands": collector.commands}, meta)
        return [Receipt._from_wire(r) for r in receipts]


class EventIterator:
    """The events of the log, read lazily a page at a time (from ``Stockbook.events``)."""

    __slots__ = ("_events",)

    def __init__(self, events: Iterator[Any]) -> None:
        self._events = events

    def __iter__(self) -> EventIterator:
        return self

    def __next__(self) -> Envelope:
        return Envelope._from_wire(next(self._events))


class _Collector(Stockbook):
    """A handle whose commands are collected for a batch instead of executed."""

    __slots__ = ("commands",)

    def __init__(self, book: _native.Stockbook) -> None:
        super().__init__(book)
        self.commands: List[Dict[str, Any]] = []

    def _command(self, op: str, args: Dict[str, Any], meta: Dict[str, Any] | None) -> Any:
        if meta is not None:
            raise TypeError(
                "key=, actor=, correlation=, reason= and effective_at= belong to "
                "execute_batch, not to its commands"
            )
        self.commands.append({"op": op, "args": args})
        # Read by the method's receipt type, whichever it is; the batch answers the real ones.
        return {"first_seq": 0, "last_seq": 0, "reservation_id": "", "transfer_id": "", "difference": "0"}


def open(
    path: Union[str, os.PathLike[str]],
    *,
    durability: Durability = "immediate",
    clock: Optional[ManualClock] = None,
) -> Stockbook:
    """Opens (or creates) the Stockbook file at ``path``. ``durability`` is ``"immediate"``
    (every commit is durable before it returns) or ``"bulk_load"`` (commits are flushed by
    ``sync()`` or ``close()``; a crash loses what was not synced). ``clock`` is a
    ``ManualClock`` for tests.

    Raises ``Locked`` when another process has it open, ``NotAStockbookFile`` for any other
    file, ``UnsupportedFormat`` for a file of a newer format, and ``FileNotFoundError`` (as
    ``stockbook.IoNotFound``) when its directory does not exist."""
    return Stockbook(_native.open(path, durability=durability, clock=clock))


def in_memory(
    *, durability: Durability = "immediate", clock: Optional[ManualClock] = None
) -> Stockbook:
    """A Stockbook that lives in memory only: for tests and scratch work. Options as for
    ``open``."""
    return Stockbook(_native.in_memory(durability=durability, clock=clock))


__all__ = ["EventIterator", "Stockbook", "in_memory", "open"]


def _call(
    book: Stockbook,
    op: str,
    args: Optional[Mapping[str, Any]] = None,
    meta: Optional[Mapping[str, Any]] = None,
    kind: Optional[str] = None,
) -> Any:
    """The generic entry point (internal): ``op`` with ``args`` and ``meta`` in wire form
    (plain data), performed on ``book``; answers plain data (a command's receipt, a batch's
    receipts, a query's answer). Refusals raise the ``StockbookError`` of their code."""
    return _native._call(book._book, op, args, meta, kind)


def _call_json(book: Stockbook, call: str) -> str:
    """The generic entry point with JSON text in and out (internal: the scenarios'): one
    call ``{"op", "args", "meta"?, "kind"?}``. Refusals name the core's field paths."""
    return _native._call_json(book._book, call)
