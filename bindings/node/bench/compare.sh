#!/usr/bin/env bash
# Runs bench/overhead.mjs and bench/burst.mjs against two builds of the package, interleaved
# (old, new, old, new, …) so that both see the same load:
#   bash bench/compare.sh /path/to/old/lib.js [runs]
# The old build: a copy of the package's files and its release `.node`, from an older commit.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
old="$1"
runs="${2:-3}"
for i in $(seq "$runs"); do
  for which in old new; do
    lib=$([ "$which" = old ] && echo "$old" || echo lib.js)
    echo "== $which, run $i (load: $(cut -d' ' -f1-3 /proc/loadavg))"
    STOCKBOOK_LIB="$lib" node bench/overhead.mjs 7 300 200000 | grep -v '^lib'
    STOCKBOOK_LIB="$lib" node bench/burst.mjs | grep -E 'wall|p99'
  done
done
