"""Per-call overhead of the binding: `receive` on a file store and `available` in memory.

A benchmark to run by hand, not a test (timings depend on the machine):

    python bindings/python/bench/overhead.py [--rounds 7] [--calls 2000] [--reads 200000]

Each round times a run of calls and divides by their number; the figure printed is the
median of the rounds, in microseconds per call. `receive` commits durably to a file in a
temporary folder (so it includes one fsync, which dominates and varies); `receive` in
memory shows the cost of a command without the disk; `available` is a cheap in-memory read, where
the binding's own cost shows most. Run it with the old build and the new one, on the same
machine, and compare the medians.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

import stockbook


def per_call_us(fn: object, calls: int, rounds: int) -> list[float]:
    """Microseconds per call of each round of `calls` calls of `fn()`."""
    assert callable(fn)
    out = []
    for _ in range(rounds):
        began = time.perf_counter()
        for _ in range(calls):
            fn()
        out.append((time.perf_counter() - began) / calls * 1e6)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--rounds", type=int, default=7, help="rounds of each measure")
    parser.add_argument("--calls", type=int, default=2000, help="receive calls per round")
    parser.add_argument("--reads", type=int, default=200_000, help="available calls per round")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as folder:
        with stockbook.open(str(Path(folder) / "bench.redb")) as sb:
            sb.define_item("BOLT")
            sb.define_location("WH", kind="site")
            sb.define_location("WH/A", parent="WH")
            per_call_us(lambda: sb.receive("BOLT", "WH/A", 1), 100, 1)  # warm-up
            receive = per_call_us(lambda: sb.receive("BOLT", "WH/A", 1), args.calls, args.rounds)

    with stockbook.in_memory() as sb:
        sb.define_item("BOLT")
        sb.define_location("WH", kind="site")
        sb.define_location("WH/A", parent="WH")
        sb.receive("BOLT", "WH/A", 100)
        sb.reserve("BOLT", "WH/A", 10)
        per_call_us(lambda: sb.receive("BOLT", "WH/A", 1), 1000, 1)  # warm-up
        receive_mem = per_call_us(lambda: sb.receive("BOLT", "WH/A", 1), args.calls,
                                  args.rounds)
        per_call_us(lambda: sb.available("BOLT", "WH/A"), 10_000, 1)  # warm-up
        available = per_call_us(lambda: sb.available("BOLT", "WH/A"), args.reads, args.rounds)

    print(f"python {sys.version.split()[0]}, stockbook {getattr(stockbook, '__version__', '?')}")
    for name, rounds in (("receive (file)", receive), ("receive (memory)", receive_mem),
                         ("available (memory)", available)):
        print(f"{name:20} median {statistics.median(rounds):9.3f} us/call  "
              f"(min {min(rounds):.3f}, max {max(rounds):.3f}, {len(rounds)} rounds)")


if __name__ == "__main__":
    main()
