"""Throughput of a cheap read, `available()`, from 1 thread and from 4 threads, side by side.

A benchmark to run by hand, not a test (timings depend on the machine):

    python bindings/python/bench/threads.py [--seconds 2] [--threads 4]

Each run keeps every thread calling `sb.available(sku, location)` in a tight loop for the
same wall time and prints the total calls per second of each run and their ratio. With the
GIL, 4 threads cannot beat 1; the ratio shows what the threads cost each other (≈ 1.0: no
loss; well below 1.0: each call pays for handing the GIL back and forth).
"""

from __future__ import annotations

import argparse
import sys
import threading
import time

import stockbook


def run(sb: stockbook.Stockbook, threads: int, seconds: float) -> float:
    """Calls of `available()` per second, all threads together."""
    counts = [0] * threads
    start = threading.Barrier(threads + 1)
    stop = threading.Event()

    def worker(i: int) -> None:
        n = 0
        start.wait()
        while not stop.is_set():
            for _ in range(100):
                sb.available("BOLT", "WH/A")
            n += 100
        counts[i] = n

    workers = [threading.Thread(target=worker, args=(i,)) for i in range(threads)]
    for w in workers:
        w.start()
    start.wait()
    began = time.perf_counter()
    time.sleep(seconds)
    stop.set()
    for w in workers:
        w.join()
    return sum(counts) / (time.perf_counter() - began)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=2.0, help="wall time of each run")
    parser.add_argument("--threads", type=int, default=4, help="threads of the second run")
    args = parser.parse_args()
    # The default switch interval (5 ms) is what users get: the benchmark keeps it.
    with stockbook.in_memory() as sb:
        sb.define_item("BOLT")
        sb.define_location("WH", kind="site")
        sb.define_location("WH/A", parent="WH")
        sb.receive("BOLT", "WH/A", 100)
        sb.reserve("BOLT", "WH/A", 10)
        run(sb, 1, 0.2)  # warm-up
        one = run(sb, 1, args.seconds)
        many = run(sb, args.threads, args.seconds)
    print(f"python {sys.version.split()[0]}, stockbook {getattr(stockbook, '__version__', '?')}")
    print(f"available(): 1 thread  {one:12,.0f} calls/s")
    print(f"available(): {args.threads} threads {many:12,.0f} calls/s  "
          f"({many / one:.2f}x of 1 thread)")


if __name__ == "__main__":
    main()
