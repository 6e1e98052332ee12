#!/usr/bin/env bash
# Builds the release cdylib, generates the bindings and runs bench/Overhead.kt through the
# Maven profile `bench` (exec plugin). Arguments: [rounds] [receives per round] [reads per round].
#   bash bindings/kotlin/bench/run.sh 7 300 50000
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
root="$(cd "$here/../.." && pwd)"
target_dir="${CARGO_TARGET_DIR:-$root/target}"
"$here/generate.sh" --release >/dev/null
cd "$here"
mvn -q -B -Dstyle.color=never -Pbench compile exec:exec \
    -Dstockbook.lib.dir="$target_dir/release" -Dbench.args="${*:-7 300 50000}"
